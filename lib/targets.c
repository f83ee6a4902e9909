/*
 * targets.c - the targets file: "SLUG URL [key=value ...]" per line.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/crypto.h>

#include "addr.h"
#include "mcp.h"
#include "json.h"
#include "loop.h"
#include "strmap.h"
#include "targets.h"

#define WS " \t\r"

/*
 * A word of the line as a message names it: a JSON string of its first
 * 40 bytes at most (cut on a character), then "..." when longer, so that
 * no byte of a file (an escape sequence, invalid UTF-8) reaches a
 * terminal as it is.
 */
#define SHOWN 40
#define SHOWN_MAX (6 * SHOWN + 8)
static const char *
shown(char *buf, size_t len, const char *word)
{
	char cut[SHOWN + 1];
	size_t n = strnlen(word, SHOWN + 1);
	int more = n > SHOWN;

	if (more)
		for (n = SHOWN; n > 0 && ((unsigned char)word[n] & 0xc0) == 0x80; n--)
			;
	memcpy(cut, word, n);
	cut[n] = '\0';
	mcp_json_quoted(buf, len - 3, cut);
	if (more)
		strcat(buf, "...");
	return buf;
}

/* A '#' at the start of the line or of a field starts a comment. */
static void
strip_comment(char *s)
{
	char *p;

	for (p = s; *p != '\0'; p++)
		if (*p == '#' && (p == s || strchr(WS, p[-1]) != NULL)) {
			*p = '\0';
			return;
		}
}

static int
set_str(char **dst, const char *val, const char *key, char *err, size_t errlen)
{
	if (*dst != NULL) {
		snprintf(err, errlen, "%s given twice", key);
		return -1;
	}
	if (*val == '\0') {
		snprintf(err, errlen, "%s is empty", key);
		return -1;
	}
	if ((*dst = strdup(val)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* Headers the probe writes itself: a target may not replace them. */
static const char *const managed[] = {"accept", "connection", "content-length", "content-type",
    "expect", "host", "last-event-id", "mcp-method", "mcp-name", "mcp-protocol-version",
    "mcp-session-id", "te", "transfer-encoding", "upgrade", "x-probe-region", NULL};

/* An HTTP field name (RFC 9110 token), 1 to 64 bytes. */
static int
name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		        (s[i] >= '0' && s[i] <= '9') || strchr("!#$%&'*+-.^_`|~", s[i]) != NULL))
			return 0;
	return 1;
}

int
mcp_target_check_url(const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	int ok;

	ok = u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0);
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ok ? 0 : -1;
}

int
mcp_url_loopback(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL;
	int ok = 0;

	if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
		ok = mcp_host_loopback(host);
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

const char *
mcp_header_value_bad(const char *v)
{
	size_t n = strlen(v), i;

	if (n == 0)
		return "an empty value";
	if (n > MCP_HEADER_VALUE_MAX)
		return "a value over 4096 bytes";
	for (i = 0; i < n; i++)
		if (((unsigned char)v[i] < 0x20 && v[i] != '\t') || v[i] == 0x7f)
			return "a control character in the value";
	if (v[0] == ' ' || v[0] == '\t' || v[n - 1] == ' ' || v[n - 1] == '\t')
		return "blanks around the value";
	return NULL;
}

int
mcp_header_add(struct mcp_target *t, const char *spec, int file, char *err, size_t errlen)
{
	const char *c = strchr(spec, ':'), *v, *bad;
	struct mcp_header *h;
	size_t n, i;
	int j;

	/* What follows the name is never quoted: it may be a secret. */
	if (c == NULL || !name_ok(spec, (size_t)(c - spec))) {
		snprintf(err, errlen, "want Name:%s, Name a field name of at most 64 bytes",
		    file ? "path" : "value");
		return -1;
	}
	n = (size_t)(c - spec);
	for (v = c + 1; *v == ' ' || *v == '\t'; v++)
		;
	for (i = 0; managed[i] != NULL; i++)
		if (strlen(managed[i]) == n && strncasecmp(spec, managed[i], n) == 0) {
			snprintf(
			    err, errlen, "header %.*s: the probe sends it itself", (int)n, spec);
			return -1;
		}
	for (j = 0; j < t->nheaders; j++)
		if (strlen(t->headers[j].name) == n &&
		    strncasecmp(spec, t->headers[j].name, n) == 0) {
			snprintf(err, errlen, "header %.*s given twice", (int)n, spec);
			return -1;
		}
	if (t->nheaders == MCP_HEADERS_MAX) {
		snprintf(err, errlen, "more than %d headers", MCP_HEADERS_MAX);
		return -1;
	}
	if (file && *v == '\0') {
		snprintf(err, errlen, "header %.*s: no file named", (int)n, spec);
		return -1;
	}
	/* Never quoted back: the value may be a secret given by mistake. */
	if (!file && (bad = mcp_header_value_bad(v)) != NULL) {
		snprintf(err, errlen, "header %.*s: %s", (int)n, spec, bad);
		return -1;
	}
	/* Most targets have none: the room is taken by the first. */
	if (t->headers == NULL &&
	    (t->headers = calloc(MCP_HEADERS_MAX, sizeof(*t->headers))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	h = &t->headers[t->nheaders];
	if ((h->name = strndup(spec, n)) == NULL ||
	    (file ? (h->file = strdup(v)) : (h->value = strdup(v))) == NULL) {
		free(h->name);
		memset(h, 0, sizeof(*h));
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	t->nheaders++;
	return 0;
}

int
mcp_expect_add(struct mcp_target *t, const char *cond, int secret, char *err, size_t errlen)
{
	struct mcp_cond_text *c;

	if (*cond == '\0' || strlen(cond) > MCP_EXPECT_TEXT_MAX || t->nexpect == MCP_EXPECT_MAX) {
		snprintf(err, errlen, "%s: %s", secret ? "expect_secret" : "expect",
		    *cond == '\0'                      ? "an empty condition"
		        : t->nexpect == MCP_EXPECT_MAX ? "more than 16 conditions"
		                                       : "a condition over 512 bytes");
		return -1;
	}
	/* Most targets have none: the room is taken by the first. */
	if (t->expect == NULL && (t->expect = calloc(MCP_EXPECT_MAX, sizeof(*t->expect))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	c = &t->expect[t->nexpect];
	if ((c->text = strdup(cond)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	c->secret = secret;
	t->nexpect++;
	return 0;
}

/* call2 to call4 and their _args: n, 2 to 4, or 0 for another key. */
static int
more_call_key(const char *k, int args)
{
	if (strncmp(k, "call", 4) != 0 || k[4] < '2' || k[4] > '0' + MCP_CALLS_MAX)
		return 0;
	return strcmp(k + 5, args ? "_args" : "") == 0 ? k[4] - '0' : 0;
}

static int
set_key(struct mcp_target *t, char *kv, char *err, size_t errlen)
{
	char *val, q[SHOWN_MAX];
	int n;

	if ((val = strchr(kv, '=')) == NULL) {
		snprintf(err, errlen, "expected key=value, got %s", shown(q, sizeof(q), kv));
		return -1;
	}
	*val++ = '\0';
	if (strcmp(kv, "token_file") == 0)
		return set_str(&t->token_file, val, kv, err, errlen);
	if (strcmp(kv, "header") == 0)
		return mcp_header_add(t, val, 0, err, errlen);
	if (strcmp(kv, "header_file") == 0)
		return mcp_header_add(t, val, 1, err, errlen);
	if (strcmp(kv, "call") == 0)
		return set_str(&t->call, val, kv, err, errlen);
	if (strcmp(kv, "call_args") == 0)
		return set_str(&t->call_args, val, kv, err, errlen);
	/* Repeatable, unlike the other keys: each is one more condition. */
	if (strcmp(kv, "expect") == 0 || strcmp(kv, "expect_secret") == 0)
		return mcp_expect_add(t, val, kv[6] == '_', err, errlen);
	if ((n = more_call_key(kv, 0)) > 0)
		return set_str(&t->more_call[n - 2], val, kv, err, errlen);
	if ((n = more_call_key(kv, 1)) > 0)
		return set_str(&t->more_args[n - 2], val, kv, err, errlen);
	if (strcmp(kv, "connect_to") == 0)
		return set_str(&t->connect_to, val, kv, err, errlen);
	if (strcmp(kv, "oauth_client") == 0)
		return set_str(&t->oauth_client, val, kv, err, errlen);
	if (strcmp(kv, "oauth_issuer") == 0)
		return set_str(&t->oauth_issuer, val, kv, err, errlen);
	if (strcmp(kv, "oauth_scope") == 0)
		return set_str(&t->oauth_scope, val, kv, err, errlen);
	if (strcmp(kv, "oauth_secret_file") == 0)
		return set_str(&t->oauth_secret_file, val, kv, err, errlen);
	if (strcmp(kv, "oauth_key_file") == 0)
		return set_str(&t->oauth_key_file, val, kv, err, errlen);
	if (strcmp(kv, "oauth_assertion_file") == 0)
		return set_str(&t->oauth_assertion_file, val, kv, err, errlen);
	if (strcmp(kv, "era") == 0) {
		if (strcmp(val, "auto") != 0 && strcmp(val, "modern") != 0 &&
		    strcmp(val, "legacy") != 0 && strcmp(val, "sse") != 0) {
			snprintf(err, errlen, "era must be auto, modern, legacy or sse");
			return -1;
		}
		return set_str(&t->era, val, kv, err, errlen);
	}
	/* Which profiles there are is the probe's to say (mcp-probe(1), CLOAKING). */
	if (strcmp(kv, "cloak") == 0)
		return set_str(&t->cloak, val, kv, err, errlen);
	if (strcmp(kv, "guard") == 0) {
		if (t->guard != MCP_GUARD_NONE) {
			snprintf(err, errlen, "guard given twice");
			return -1;
		}
		if (strcmp(val, "public") == 0)
			t->guard = MCP_GUARD_PUBLIC;
		else if (strcmp(val, "public-http") == 0)
			t->guard = MCP_GUARD_PUBLIC_HTTP;
		else {
			snprintf(err, errlen, "guard must be public or public-http");
			return -1;
		}
		return 0;
	}
	/* Fixed values only: the records say it, and push reads it (mcp-probe(1)). */
	if (strcmp(kv, "origin") == 0) {
		if (t->from_registry) {
			snprintf(err, errlen, "origin given twice");
			return -1;
		}
		if (strcmp(val, "registry") != 0) {
			snprintf(err, errlen, "origin must be registry");
			return -1;
		}
		t->from_registry = 1;
		return 0;
	}
	if (strcmp(kv, "traceparent") == 0) {
		if (strcmp(val, "1") != 0 && strcmp(val, "0") != 0) {
			snprintf(err, errlen, "traceparent must be 0 or 1");
			return -1;
		}
		t->traceparent = val[0] == '1';
		return 0;
	}
	if (strcmp(kv, "card") == 0) {
		if (strcmp(val, "1") != 0 && strcmp(val, "0") != 0) {
			snprintf(err, errlen, "card must be 0 or 1");
			return -1;
		}
		t->card = val[0] == '1' ? MCP_CARD_ON : MCP_CARD_OFF;
		return 0;
	}
	if (strcmp(kv, "timeout") == 0) {
		if ((t->timeout = mcp_parse_seconds(val)) < 0 || t->timeout > 3600) {
			snprintf(
			    err, errlen, "timeout must be seconds, more than 0 and at most 3600");
			return -1;
		}
		return 0;
	}
	snprintf(err, errlen, "unknown key %s", shown(q, sizeof(q), kv));
	return -1;
}

int
mcp_target_parse(const char *line, struct mcp_target *t, char *err, size_t errlen)
{
	char *copy, *tok, *save = NULL, q[SHOWN_MAX];
	int rc = -1;

	memset(t, 0, sizeof(*t));
	if ((copy = strdup(line)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	strip_comment(copy);
	if ((tok = strtok_r(copy, WS, &save)) == NULL) {
		free(copy);
		return 0;
	}
	if (!mcp_slug_ok(tok)) {
		snprintf(err, errlen, "bad slug %s: want " MCP_SLUG_RULE, shown(q, sizeof(q), tok));
		goto out;
	}
	t->slug = strdup(tok);
	if ((tok = strtok_r(NULL, WS, &save)) == NULL) {
		snprintf(err, errlen, "no URL after the slug: a line is SLUG URL [key=value ...]");
		goto out;
	}
	if (strncmp(tok, "http://", 7) != 0 && strncmp(tok, "https://", 8) != 0) {
		snprintf(err, errlen, "URL must start with http:// or https://");
		goto out;
	}
	t->url = strdup(tok);
	if (t->slug == NULL || t->url == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	while ((tok = strtok_r(NULL, WS, &save)) != NULL)
		if (set_key(t, tok, err, errlen) == -1)
			goto out;
	rc = 1;
out:
	free(copy);
	if (rc == -1)
		mcp_target_free(t);
	return rc;
}

/*
 * The default slug of a URL (mcp-probe(1), -s): its host, a port given in
 * it, and its path, lower-cased, every run of characters outside
 * [a-z0-9._] made one "-", none at either end; past 80 characters, the
 * first 71 and "-" and 8 hex digits of the FNV-1a hash of the whole.
 */
int
mcp_default_slug(const char *url, char *buf, size_t len)
{
	char s[4096];
	const char *h = strstr(url, "://"), *end, *at;
	size_t n = 0;
	int dash = 0;

	h = h ? h + 3 : url;
	end = h + strcspn(h, "/?#");
	if ((at = memchr(h, '@', (size_t)(end - h))) != NULL)
		h = at + 1;
	if (strchr(":/?#", *h) != NULL) /* no host (the NUL included) */
		return -1;
	end = h + strcspn(h, "?#");
	for (; h < end && n < sizeof(s) - 1; h++) {
		char c = *h >= 'A' && *h <= 'Z' ? (char)(*h + 'a' - 'A') : *h;

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_') {
			if (dash && n > 0)
				s[n++] = '-';
			s[n++] = c;
			dash = 0;
		} else {
			dash = 1;
		}
	}
	s[n] = '\0';
	if (n > MCP_SLUG_MAX) {
		snprintf(s + MCP_SLUG_MAX - 9, 10, "-%08x", (unsigned)mcp_fnv1a(s, n));
		n = MCP_SLUG_MAX;
	}
	if (n == 0 || n >= len || !mcp_slug_ok(s))
		return -1;
	memcpy(buf, s, n + 1);
	return 0;
}

static int
add(struct mcp_targets *ts, size_t *cap, struct mcp_target *t)
{
	struct mcp_target *v;

	if (ts->n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		if ((v = realloc(ts->v, *cap * sizeof(*v))) == NULL)
			return -1;
		ts->v = v;
	}
	ts->v[ts->n++] = *t;
	return 0;
}

/*
 * One line of a targets file: 1 kept, 0 blank, -1 wrong (why), -2 too
 * long (why): the rest of it would be read as lines of its own.
 */
static int
load_line(struct mcp_targets *ts, size_t *cap, struct mcp_strmap *slugs, char *line, ssize_t n,
    long lineno, char *why, size_t len)
{
	struct mcp_target t;
	struct mcp_strent *e;
	int r, added = 0;

	if (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	if (n > MCP_LINE_MAX) {
		snprintf(why, len, "line too long (over 1048576 bytes)");
		return -2;
	}
	/* The whole line is read: nothing of it may hide past a NUL. */
	if (memchr(line, '\0', (size_t)n) != NULL) {
		snprintf(why, len, "a NUL byte");
		return -1;
	}
	if ((r = mcp_target_parse(line, &t, why, len)) != 1)
		return r;
	if ((e = mcp_strmap_put(slugs, t.slug, &added)) != NULL && !added) {
		snprintf(why, len, "slug \"%s\" given twice, on lines %zu and %ld", t.slug, e->num,
		    lineno);
		mcp_target_free(&t);
		return -1;
	}
	t.lineno = lineno;
	if (e == NULL || add(ts, cap, &t) == -1) {
		mcp_target_free(&t);
		snprintf(why, len, "out of memory");
		return -1;
	}
	e->num = (size_t)lineno;
	return 1;
}

int
mcp_targets_load(
    const char *path, struct mcp_targets *ts, mcp_targets_bad_fn bad, char *err, size_t errlen)
{
	/* The slugs so far, with their lines: a fleet of 20,000 is checked
	 * for a slug given twice in linear time, not quadratic. */
	struct mcp_strmap slugs = {NULL, 0, 0};
	char *line = NULL, why[512];
	size_t linecap = 0, cap = 0;
	long lineno = 0;
	ssize_t n;
	FILE *f;
	int rc = 0, r;

	memset(ts, 0, sizeof(*ts));
	ts->name = strcmp(path, "-") == 0 ? "stdin" : path;
	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", ts->name, strerror(errno));
		return -1;
	}
	errno = 0;
	/* At most MCP_LINE_MAX + 1 bytes a line: a file of no newline is not
	 * read whole, and a failed read (no memory included) is no end. */
	while ((n = mcp_getline(&line, &linecap, f)) >= 0) {
		if ((r = load_line(ts, &cap, &slugs, line, n, ++lineno, why, sizeof(why))) >= 0)
			continue;
		ts->bad++;
		if (bad != NULL)
			bad(ts, lineno, why);
		if (r == -2) /* not read further: /dev/zero would never end */
			break;
	}
	if (n == -2) {
		snprintf(
		    err, errlen, "%s:%ld: %s", ts->name, lineno + 1, strerror(errno ? errno : EIO));
		rc = -1;
	}
	mcp_strmap_free(&slugs);
	free(line);
	if (f != stdin)
		fclose(f);
	if (rc == -1)
		mcp_targets_free(ts);
	return rc;
}

void
mcp_wipe_free(char **s)
{
	if (*s != NULL) {
		OPENSSL_cleanse(*s, strlen(*s));
		free(*s);
		*s = NULL;
	}
}

void
mcp_target_free(struct mcp_target *t)
{
	int i;

	free(t->slug);
	free(t->url);
	free(t->token_file);
	mcp_wipe_free(&t->token);
	free(t->call);
	free(t->call_args);
	free(t->connect_to);
	free(t->era);
	free(t->cloak);
	free(t->oauth_client);
	free(t->oauth_scope);
	free(t->oauth_issuer);
	free(t->oauth_secret_file);
	free(t->oauth_key_file);
	free(t->oauth_assertion_file);
	mcp_wipe_free(&t->oauth_secret);
	mcp_wipe_free(&t->oauth_key);
	mcp_wipe_free(&t->oauth_assertion);
	for (i = 0; i < t->nheaders; i++) {
		free(t->headers[i].name);
		free(t->headers[i].file);
		mcp_wipe_free(&t->headers[i].value);
	}
	free(t->headers);
	for (i = 0; i < t->nexpect; i++)
		if (t->expect[i].secret)
			mcp_wipe_free(&t->expect[i].text);
		else
			free(t->expect[i].text);
	free(t->expect);
	for (i = 0; i < MCP_CALLS_MAX - 1; i++) {
		free(t->more_call[i]);
		free(t->more_args[i]);
	}
	memset(t, 0, sizeof(*t));
}

void
mcp_targets_free(struct mcp_targets *ts)
{
	size_t i;

	for (i = 0; i < ts->n; i++)
		mcp_target_free(&ts->v[i]);
	free(ts->v);
	memset(ts, 0, sizeof(*ts));
}

int
mcp_target_token_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return 0;
	return 1;
}
