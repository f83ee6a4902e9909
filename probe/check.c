/*
 * check.c - everything about the targets that can be known before the
 * run: a bad target is a configuration error (exit 2), found before any
 * record is written, never a surprise half-way through a fleet.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "mcp.h"
#include "oauth.h"
#include "probe.h"
#include "strmap.h"

/*
 * The secret files of the run, each read once however many targets name
 * it (a fleet of 20,000 sharing one token file reads it once and compares
 * no pairs): path -> an owned copy, wiped when the checks end; first
 * lines and whole files apart, as they are read differently.
 */
static struct mcp_strmap once[2];

char *
secret_once(const char *path, size_t whole, char *why, size_t len)
{
	struct mcp_strmap *m = &once[whole > 0];
	struct mcp_strent *e;
	char *v;
	int added;

	if ((e = mcp_strmap_get(m, path)) != NULL) {
		if ((v = strdup(e->ptr)) == NULL)
			err(MCP_EXIT_FAIL, "strdup");
		return v;
	}
	v = whole > 0 ? mcp_secret_whole(path, whole, why, len) : mcp_secret_read(path, why, len);
	if (v == NULL)
		return NULL;
	if ((e = mcp_strmap_put(m, path, &added)) == NULL || (e->ptr = strdup(v)) == NULL)
		err(MCP_EXIT_FAIL, "out of memory");
	return v;
}

static void
secrets_forget(void)
{
	char *v;
	size_t i;
	int k;

	for (k = 0; k < 2; k++) {
		for (i = 0; i < once[k].cap; i++)
			if (once[k].v[i].key != NULL) {
				v = (char *)once[k].v[i].ptr;
				mcp_wipe_free(&v);
			}
		mcp_strmap_free(&once[k]);
	}
}

/*
 * Where a message about t starts: "FILE:LINE: " for a line of the
 * targets file, nothing for the target of the command line.
 */
static void
where(const struct mcp_targets *ts, const struct mcp_target *t, char *buf, size_t len)
{
	if (t->lineno > 0 && ts->name != NULL)
		snprintf(buf, len, "%s:%ld: ", ts->name, t->lineno);
	else
		buf[0] = '\0';
}

/* A wrong line of the targets file (mcp_targets_load), said as the others are. */
void
check_bad_line(const struct mcp_targets *ts, long lineno, const char *why)
{
	warnx("%s:%ld: %s", ts->name, lineno, why);
}

/* The token: first line of a regular file only its owner may access. */
static int
read_token(struct mcp_target *t, const char *at)
{
	char why[256];

	if ((t->token = secret_once(t->token_file, 0, why, sizeof(why))) == NULL)
		return warnx("%stoken file %s: %s", at, t->token_file, why), -1;
	return 0;
}

/*
 * Header values held in files: read once per file (targets that share a
 * file share the read), with the rules of a token file, never quoted.
 */
static int
check_headers(struct mcp_target *t, const char *at)
{
	struct mcp_header *h;
	const char *bad;
	char why[256];
	int k;

	for (k = 0; k < t->nheaders; k++) {
		h = &t->headers[k];
		if (t->token_file != NULL && strcasecmp(h->name, "Authorization") == 0)
			return warnx("%s%s: Authorization given twice (a token and a header)", at,
			           t->slug),
			       -1;
		if (h->file == NULL)
			continue;
		if (h->value == NULL &&
		    (h->value = secret_once(h->file, 0, why, sizeof(why))) == NULL)
			return warnx("%sheader file %s: %s", at, h->file, why), -1;
		if ((bad = mcp_header_value_bad(h->value)) != NULL)
			return warnx("%sheader file %s: %s", at, h->file, bad), -1;
	}
	return 0;
}

/* What is wrong with the call of t, or NULL. */
static const char *
call_bad(const struct mcp_target *t)
{
	const char *c;
	cJSON *args;
	int colons = 0, ok;

	if (t->call_args != NULL) {
		if (t->call == NULL)
			return "call arguments without a tool to call";
		args = cJSON_Parse(t->call_args);
		ok = cJSON_IsObject(args);
		cJSON_Delete(args);
		if (!ok)
			return "call arguments must be a JSON object";
	}
	for (c = t->connect_to; c != NULL && *c != '\0'; c++)
		colons += *c == ':';
	if (t->connect_to != NULL && colons < 3)
		return "connect_to must be HOST:PORT:ADDR:PORT";
	return NULL;
}

/* 0, or -1 after saying the first thing wrong with the target. */
static int
check_one(struct mcp_targets *ts, size_t i)
{
	struct mcp_target *t = &ts->v[i];
	const char *bad;
	char at[PATH_MAX + 32], why[400];

	where(ts, t, at, sizeof(at));
	if (mcp_target_check_url(t->url) == -1)
		return warnx("%s%s: not an http:// or https:// URL", at, t->slug), -1;
	if ((bad = call_bad(t)) != NULL)
		return warnx("%s%s: %s", at, t->slug, bad), -1;
	if (t->cloak != NULL && strcmp(t->cloak, "off") != 0 && cloak_profile(t->cloak) == NULL)
		return warnx(
		           "%s%s: cloak=%s: want %s, or off", at, t->slug, t->cloak, cloak_names()),
		       -1;
	if (expect_compile(t, why, sizeof(why)) == -1)
		return warnx("%s%s: %s", at, t->slug, why), -1;
	if (check_headers(t, at) == -1 || oauth_check(ts, i, at) == -1)
		return -1;
	if (t->token_file != NULL)
		return read_token(t, at);
	return 0;
}

/* The conditions compiled by check_targets, freed before the targets are. */
void
check_free(struct mcp_targets *ts)
{
	size_t i;

	for (i = 0; i < ts->n; i++)
		expect_free(&ts->v[i]);
}

/*
 * Each target checked, what is wrong with each said; a file of no target
 * is refused, as a run that probes nothing would pass unnoticed.  Exits 2
 * when anything is wrong, the file's wrong lines (ts->bad) included.
 */
void
check_targets(struct mcp_targets *ts)
{
	size_t i;
	long bad = ts->bad;

	for (i = 0; i < ts->n; i++)
		if (check_one(ts, i) == -1)
			bad++;
	secrets_forget();
	if (bad > 0)
		exit(MCP_EXIT_USAGE);
	if (ts->n == 0)
		errx(MCP_EXIT_USAGE,
		    "%s: no target, only blank lines and comments: write one target per line, "
		    "SLUG URL [key=value ...] (mcp-probe(1), TARGETS FILE)",
		    ts->name != NULL ? ts->name : "-f");
}
