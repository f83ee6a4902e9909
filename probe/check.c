/*
 * check.c - everything about the targets that can be known before the
 * run: a bad target is a configuration error (exit 2), found before any
 * record is written, never a surprise half-way through a fleet.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
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

static void
where(const struct mcp_target *t, char *buf, size_t len)
{
	if (t->lineno > 0)
		snprintf(buf, len, "line %ld: ", t->lineno);
	else
		buf[0] = '\0';
}

/* The token: first line of a regular file only its owner may access. */
static char *
read_token(const struct mcp_target *t)
{
	char at[32], why[256], *tok;

	where(t, at, sizeof(at));
	if ((tok = secret_once(t->token_file, 0, why, sizeof(why))) == NULL)
		errx(MCP_EXIT_USAGE, "%stoken file %s: %s", at, t->token_file, why);
	return tok;
}

static void
check_url(const struct mcp_target *t)
{
	char at[32];

	where(t, at, sizeof(at));
	if (mcp_target_check_url(t->url) == -1)
		errx(MCP_EXIT_USAGE, "%s%s: not an http:// or https:// URL", at, t->slug);
}

/*
 * Header values held in files: read once per file (targets that share a
 * file share the read), with the rules of a token file, never quoted.
 */
static void
check_headers(struct mcp_targets *ts, size_t i)
{
	struct mcp_target *t = &ts->v[i];
	struct mcp_header *h;
	const char *bad;
	char at[32], why[256];
	int k;

	where(t, at, sizeof(at));
	for (k = 0; k < t->nheaders; k++) {
		h = &t->headers[k];
		if (t->token_file != NULL && strcasecmp(h->name, "Authorization") == 0)
			errx(MCP_EXIT_USAGE,
			    "%s%s: Authorization given twice (a token and a header)", at, t->slug);
		if (h->file == NULL)
			continue;
		if (h->value == NULL &&
		    (h->value = secret_once(h->file, 0, why, sizeof(why))) == NULL)
			errx(MCP_EXIT_USAGE, "%sheader file %s: %s", at, h->file, why);
		if ((bad = mcp_header_value_bad(h->value)) != NULL)
			errx(MCP_EXIT_USAGE, "%sheader file %s: %s", at, h->file, bad);
	}
}

static void
check_one(struct mcp_targets *ts, size_t i)
{
	struct mcp_target *t = &ts->v[i];
	const char *c;
	char at[32], why[400];
	cJSON *args;
	int colons = 0, ok;

	where(t, at, sizeof(at));
	check_url(t);
	if (t->call_args != NULL) {
		if (t->call == NULL)
			errx(MCP_EXIT_USAGE, "%s%s: call arguments without a tool to call", at,
			    t->slug);
		args = cJSON_Parse(t->call_args);
		ok = cJSON_IsObject(args);
		cJSON_Delete(args);
		if (!ok)
			errx(MCP_EXIT_USAGE, "%s%s: call arguments must be a JSON object", at,
			    t->slug);
	}
	for (c = t->connect_to; c != NULL && *c != '\0'; c++)
		colons += *c == ':';
	if (t->connect_to != NULL && colons < 3)
		errx(MCP_EXIT_USAGE, "%s%s: connect_to must be HOST:PORT:ADDR:PORT", at, t->slug);
	if (t->cloak != NULL && strcmp(t->cloak, "off") != 0 && cloak_profile(t->cloak) == NULL)
		errx(MCP_EXIT_USAGE, "%s%s: cloak=%s: want %s, or off", at, t->slug, t->cloak,
		    cloak_names());
	if (expect_compile(t, why, sizeof(why)) == -1)
		errx(MCP_EXIT_USAGE, "%s%s: %s", at, t->slug, why);
	check_headers(ts, i);
	oauth_check(ts, i, at);
	if (t->token_file != NULL)
		t->token = read_token(t);
}

/* The conditions compiled by check_targets, freed before the targets are. */
void
check_free(struct mcp_targets *ts)
{
	size_t i;

	for (i = 0; i < ts->n; i++)
		expect_free(&ts->v[i]);
}

void
check_targets(struct mcp_targets *ts)
{
	size_t i;

	for (i = 0; i < ts->n; i++)
		check_one(ts, i);
	secrets_forget();
}
