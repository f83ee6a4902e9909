/*
 * token.c - mcp-alert token [NAME=]FILE...: the watchdog of the probe
 * credential.  Each token file is read as mcp-probe reads it, its expiry
 * taken from the token (the JWT exp claim) or from FILE.expires, and the
 * token-expiry track of NAME decided on the clock, as mcp-alert decides a
 * verdict: under WATCH, its alerts queued with the state, then delivered.
 * The token is never printed, stored or sent: only its fingerprint (the
 * first 12 hex digits of its SHA-256) and its expiry leave this file.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alert.h"
#include "expiry.h"
#include "rules.h"

/* "NAME=FILE", or FILE named by its base name; 0, or -1 when the name is not a slug. */
static int
split(const char *arg, char *name, size_t len, const char **path)
{
	const char *eq = strchr(arg, '='), *slash = strchr(arg, '/'), *base;

	if (eq != NULL && (slash == NULL || slash > eq)) {
		snprintf(name, len, "%.*s", (int)(eq - arg), arg);
		*path = eq + 1;
		return (size_t)(eq - arg) < len && mcp_slug_ok(name) && **path != '\0' ? 0 : -1;
	}
	base = strrchr(arg, '/') != NULL ? strrchr(arg, '/') + 1 : arg;
	*path = arg;
	return strlen(base) < len && snprintf(name, len, "%s", base) > 0 && mcp_slug_ok(name) ? 0
	                                                                                      : -1;
}

int
alert_token_args(int argc, char **argv)
{
	char name[MCP_SLUG_MAX + 1];
	const char *path;
	int i;

	for (i = 0; i < argc; i++)
		if (split(argv[i], name, sizeof(name), &path) == -1) {
			warnx("token: %s: not [NAME=]FILE, NAME (or the file's name) "
			      "[a-z0-9._-]{1,80}",
			    argv[i]);
			return -1;
		}
	return argc > 0 ? 0 : -1;
}

/*
 * The token of path, as mcp-probe reads it (mcp_secret_read: the first
 * line of a regular file that group and others cannot access), owned by
 * us or by root in directories only we or root can write to
 * (mcp_file_trusted): another user could replace it.  Owned; NULL with why.
 */
static char *
token_read(const char *path, char *why, size_t len)
{
	if (mcp_file_trusted(path, -1, why, len) == -1)
		return NULL;
	return mcp_secret_read(path, why, len);
}

/* The first line of FILE.expires as a time: 0, or -1 with why. */
static int
sidecar(const char *path, const char *jwt_why, double *exp, char *why, size_t len)
{
	char side[PATH_MAX], line[128];
	FILE *f;
	int n;

	n = snprintf(side, sizeof(side), "%s.expires", path);
	if (n < 0 || (size_t)n >= sizeof(side)) {
		snprintf(why, len, "%s.expires: path too long", path);
		return -1;
	}
	if ((f = fopen(side, "re")) == NULL) {
		if (errno == ENOENT)
			snprintf(why, len, "no expiry known: %s, and no %s", jwt_why, side);
		else
			snprintf(why, len, "%s: %s", side, strerror(errno));
		return -1;
	}
	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	if ((*exp = exp_time_of(line)) <= 0) {
		snprintf(why, len, "%s: not epoch seconds or an ISO 8601 time with a zone", side);
		return -1;
	}
	return 0;
}

static int
on_token(struct ctx *x, struct state *s, void *arg)
{
	return expiry_step(x, s, T_TOKEN, arg) == -1 ? -1 : 1;
}

/* One token file: its expiry and fingerprint, then its track decided. */
static int
one(struct ctx *x, const char *arg)
{
	char name[MCP_SLUG_MAX + 1], why[PATH_MAX + 256], jwt_why[128], fpr[EXP_FPR_LEN + 1];
	struct sighting o = {-1, mcp_now(), fpr, NULL, NULL, 0};
	const char *path;
	char *tok;
	int rc;

	(void)split(arg, name, sizeof(name), &path);
	if ((tok = token_read(path, why, sizeof(why))) == NULL) {
		warnx("token: %s: %s", path, why);
		return -1;
	}
	rc = exp_fingerprint(tok, fpr, sizeof(fpr));
	if (rc == 0 && exp_jwt(tok, &o.exp, jwt_why, sizeof(jwt_why)) == -1)
		rc = sidecar(path, jwt_why, &o.exp, why, sizeof(why));
	else if (rc == -1)
		snprintf(why, sizeof(why), "SHA-256 failed");
	explicit_bzero(tok, strlen(tok));
	free(tok);
	if (rc == -1) {
		warnx("token: %s: %s", path, why);
		return -1;
	}
	x->slug = name;
	x->window = o.now;
	rc = decide(x, on_token, &o);
	x->slug = NULL;
	return rc;
}

int
alert_token(struct mcp_store *st, const struct alert_conf *c, int argc, char **argv)
{
	struct ctx x = {st, c, NULL, 0, 0, {0, 0, ""}, {0}, NULL, NULL, 0};
	int i, rc = MCP_EXIT_OK;

	for (i = 0; i < argc; i++)
		if (one(&x, argv[i]) == -1)
			rc = MCP_EXIT_FAIL;
	if (ctx_flush(&x) == -1)
		rc = MCP_EXIT_FAIL;
	ctx_free(&x);
	return rc;
}
