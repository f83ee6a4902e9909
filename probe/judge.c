/*
 * judge.c - conditions judged against what a probe saw, and references
 * between its calls replaced (mcp-probe(1), ASSERTIONS).  What a server
 * sent is only ever the subject of a comparison: read, never evaluated,
 * and shown cut to EXPECT_SHOWN_MAX bytes.  expect.c reads the
 * conditions; probe/chain.c applies them to a probe.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "expect.h"
#include "json.h"
#include "text.h"

/* A path segment's name, at the most: longer ones name nothing. */
#define NAME_MAX_LEN 256
/* The condition as shown in a message, at the most, in bytes. */
#define COND_SHOWN_MAX 150

/* The n bytes at s cut back to a UTF-8 character boundary. */
static size_t
utf8_cut(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/* Walk path from v; NULL when it leads nowhere. */
static const cJSON *
walk(const cJSON *v, const char *path)
{
	char name[NAME_MAX_LEN + 1];
	const char *nm;
	size_t len;
	long index;
	int k;

	while (v != NULL && (k = x_segment(path, &nm, &len, &index)) > 0) {
		path += k;
		if (nm != NULL) {
			if (!cJSON_IsObject(v) || len > NAME_MAX_LEN)
				return NULL;
			memcpy(name, nm, len);
			name[len] = '\0';
			v = cJSON_GetObjectItemCaseSensitive(v, name);
		} else {
			v = cJSON_IsArray(v) && index < cJSON_GetArraySize(v)
			    ? cJSON_GetArrayItem(v, (int)index)
			    : NULL;
		}
	}
	return v;
}

/* The tool named name (n bytes) in tools, or NULL. */
static const cJSON *
tool_named(const cJSON *tools, const char *name, size_t n)
{
	const cJSON *t, *nm;

	cJSON_ArrayForEach(t, tools)
	{
		nm = cJSON_GetObjectItemCaseSensitive(t, "name");
		if (cJSON_IsString(nm) && strlen(nm->valuestring) == n &&
		    memcmp(nm->valuestring, name, n) == 0)
			return t;
	}
	return NULL;
}

/* The text content items of a tool result, joined by newlines (owned). */
static cJSON *
joined_text(const cJSON *res)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(res, "content"), *i, *tx;
	struct mcp_buf b = {0};
	cJSON *s;

	cJSON_ArrayForEach(i, c)
	{
		tx = cJSON_GetObjectItemCaseSensitive(i, "text");
		if (cJSON_IsString(tx) &&
		    mcp_buf_addf(&b, "%s%s", b.len ? "\n" : "", tx->valuestring) == -1)
			break;
	}
	s = cJSON_CreateString(b.p != NULL ? b.p : "");
	mcp_buf_free(&b);
	return s;
}

/* A call's value at path (.structured..., .text, ...); *own holds what was made. */
static const cJSON *
call_value(const struct x_seen *s, int call, const char *path, cJSON **own)
{
	const cJSON *res = s->res[call];
	const char *rest;
	int r;

	if (call >= s->done || res == NULL || (r = x_call_root(path, &rest)) < 0)
		return NULL;
	switch (r) {
	case 0:
		return walk(cJSON_GetObjectItemCaseSensitive(res, "structuredContent"), rest);
	case 1:
		return *own = joined_text(res);
	case 2:
		return walk(cJSON_GetObjectItemCaseSensitive(res, "content"), rest);
	case 3:
		return *own = cJSON_CreateNumber(round(s->ms[call] * 10.0) / 10.0);
	default:
		return *own = cJSON_CreateBool(
		           cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(res, "isError")));
	}
}

/* What the left side of c names, before len() or has(); NULL when nothing. */
static const cJSON *
value(const struct x_cond *c, const struct x_seen *s, cJSON **own)
{
	const cJSON *t;
	size_t n;

	switch (c->subj) {
	case X_PROTOCOL:
		return *own = cJSON_CreateString(s->proto != NULL ? s->proto : "");
	case X_TOOLS:
		if (c->path[0] == '\0')
			return s->tools != NULL ? s->tools : (*own = cJSON_CreateArray());
		if (c->fn == 'h')
			return tool_named(s->tools, c->path + 1, strlen(c->path + 1));
		n = strcspn(c->path + 1, ".[");
		t = tool_named(s->tools, c->path + 1, n);
		return t != NULL ? walk(t, c->path + 1 + n) : NULL;
	default:
		return call_value(s, c->call, c->path, own);
	}
}

/* v as text, appended to b: a string as it is, anything else as JSON. */
static int
render(struct mcp_buf *b, const cJSON *v)
{
	char num[40], err[96];

	if (cJSON_IsString(v))
		return mcp_buf_adds(b, v->valuestring);
	if (cJSON_IsNumber(v))
		return mcp_json_number(v->valuedouble, num, sizeof(num)) == -1
		    ? -1
		    : mcp_buf_adds(b, num);
	return mcp_json_write(b, v, err, sizeof(err));
}

/* s as a number: decimal only (no hex, inf, nan), all of it. */
static int
number(const char *s, double *d)
{
	char *end;

	if (*s == '\0' || strspn(s, "0123456789+-.eE") != strlen(s))
		return 0;
	*d = strtod(s, &end);
	return *end == '\0' && isfinite(*d);
}

static int
holds(const struct x_cond *c, const cJSON *v, const char *text)
{
	double a, b;
	int cmp;

	if (c->op == '~' || c->op == 'n')
		return (regexec(&c->re, text, 0, NULL, 0) == 0) == (c->op == '~');
	a = cJSON_IsNumber(v) ? v->valuedouble : 0;
	if ((cJSON_IsNumber(v) || (cJSON_IsString(v) && number(v->valuestring, &a))) &&
	    number(c->right, &b))
		cmp = a < b ? -1 : a > b;
	else
		cmp = strcmp(text, c->right);
	switch (c->op) {
	case '=':
		return cmp == 0;
	case '!':
		return cmp != 0;
	case '<':
		return cmp < 0;
	case 'l':
		return cmp <= 0;
	case '>':
		return cmp > 0;
	default:
		return cmp >= 0;
	}
}

/* The condition as it may be shown: whole, or its left side and operator. */
static void
shown(const struct x_cond *c, char *out, size_t len)
{
	size_t n = c->secret ? c->shown : strlen(c->text);

	if (n > COND_SHOWN_MAX)
		n = utf8_cut(c->text, COND_SHOWN_MAX);
	snprintf(out, len, "%.*s%s", (int)n, c->text,
	    n < (c->secret ? c->shown : strlen(c->text)) ? "..." : "");
}

/*
 * The message of a failed condition; what says why, or NULL: the value was
 * obs, a secret in it scrubbed (obs is the caller's to change) before it
 * is cut.
 */
static void
message(const struct x_cond *c, const char *what, char *obs, const struct x_seen *s, char *msg)
{
	char cond[COND_SHOWN_MAX + 4];
	size_t n = strlen(obs);

	mcp_text_scrub(obs, s->secrets, s->nsec);
	shown(c, cond, sizeof(cond));
	if (c->secret) /* what never holds a value */
		snprintf(msg, EXPECT_MSG_MAX, "condition %s (expect_secret) failed%s%s", cond,
		    what != NULL ? ": " : "", what != NULL ? what : "");
	else if (what != NULL)
		snprintf(msg, EXPECT_MSG_MAX, "condition %s failed: %s", cond, what);
	else
		snprintf(msg, EXPECT_MSG_MAX, "condition %s failed: got \"%.*s%s\"", cond,
		    (int)(n > EXPECT_SHOWN_MAX ? utf8_cut(obs, EXPECT_SHOWN_MAX) : n), obs,
		    n > EXPECT_SHOWN_MAX ? "..." : "");
}

/* One condition: 1 when it holds, else 0 with its message. */
static int
judge_one(const struct x_cond *c, const struct x_seen *s, char *msg)
{
	struct mcp_buf text = {0};
	const cJSON *v;
	cJSON *own = NULL, *fnv = NULL;
	const char *what = NULL;
	int ok = 0;

	v = value(c, s, &own);
	if (c->fn == 'l' && c->subj == X_TOOLS && c->path[0] == '\0') {
		/* The probe keeps the tools it names, and the count of all. */
		v = fnv = cJSON_CreateNumber(s->ntools);
	} else if (c->fn == 'h') {
		v = fnv = cJSON_CreateBool(v != NULL);
	} else if (c->fn == 'l' && v != NULL) {
		if (cJSON_IsArray(v) || cJSON_IsObject(v))
			v = fnv = cJSON_CreateNumber(cJSON_GetArraySize(v));
		else if (cJSON_IsString(v))
			v = fnv = cJSON_CreateNumber((double)strlen(v->valuestring));
		else
			what = "len() of a value that is no array, object or string";
	}
	if (v == NULL)
		what = c->subj == X_CALL && c->call >= s->done ? "the call was not answered"
		                                               : "no value there";
	else if (what == NULL && render(&text, v) == -1)
		what = "the value cannot be read";
	else if (what == NULL)
		ok = holds(c, v, text.p != NULL ? text.p : "");
	if (!ok)
		message(c, what, text.p != NULL ? text.p : (char[]){""}, s, msg);
	mcp_buf_free(&text);
	cJSON_Delete(own);
	cJSON_Delete(fnv);
	return ok;
}

int
expect_judge(const struct mcp_expect *e, enum x_subj subj, const struct x_seen *s, int *passed,
    char *msg, char *failed)
{
	char m[EXPECT_MSG_MAX];
	int i, bad = 0;

	*passed = 0;
	for (i = 0; e != NULL && i < e->n; i++) {
		if (e->c[i].subj != subj)
			continue;
		if (judge_one(&e->c[i], s, m)) {
			(*passed)++;
		} else if (bad++ == 0) {
			memcpy(msg, m, EXPECT_MSG_MAX);
			shown(&e->c[i], failed, EXPECT_MSG_MAX);
		}
	}
	return bad;
}

/* One reference at r ("{{callN.PATH}}"): its value, or NULL; *end past it. */
static const cJSON *
ref_value(const char *r, const struct x_seen *s, cJSON **own, const char **end)
{
	char path[MCP_EXPECT_TEXT_MAX + 2];
	const char *e = strstr(r, "}}");
	size_t n;

	/* Checked when the targets were read (refs_in). */
	if (e == NULL || (n = (size_t)(e - r - 7)) >= sizeof(path))
		return NULL;
	memcpy(path, r + 7, n);
	path[n] = '\0';
	*end = e + 2;
	return call_value(s, r[6] - '1', path, own);
}

/* A string with references: its new value (owned), or NULL with why. */
static cJSON *
replaced(const char *str, const struct x_seen *s, char *why, size_t len)
{
	struct mcp_buf b = {.max = EXPECT_ARGS_MAX};
	const char *r, *end = str;
	const cJSON *v;
	cJSON *own = NULL, *out = NULL;
	int rc = 0;

	for (r = strstr(str, "{{call"); rc == 0 && r != NULL; r = strstr(end, "{{call")) {
		rc = mcp_buf_add(&b, end, (size_t)(r - end));
		if ((v = ref_value(r, s, &own, &end)) == NULL) {
			snprintf(why, len, "%.*s has no value", (int)(strstr(r, "}}") + 2 - r), r);
			goto out;
		}
		/* One reference and nothing else: the value itself. */
		if (r == str && *end == '\0') {
			out = cJSON_Duplicate(v, 1);
			goto out;
		}
		rc |= render(&b, v);
		cJSON_Delete(own);
		own = NULL;
	}
	if (rc == 0 && mcp_buf_adds(&b, end) == 0)
		out = cJSON_CreateString(b.p != NULL ? b.p : "");
	else
		snprintf(why, len, "the arguments passed %d bytes", EXPECT_ARGS_MAX);
out:
	cJSON_Delete(own);
	mcp_buf_free(&b);
	return out;
}

int
expect_refs(cJSON *args, const struct x_seen *s, char *why, size_t len)
{
	cJSON *c, *next, *n;

	for (c = args->child; c != NULL; c = next) {
		next = c->next;
		if (cJSON_IsString(c) && strstr(c->valuestring, "{{call") != NULL) {
			if ((n = replaced(c->valuestring, s, why, len)) == NULL)
				return -1;
			/* The new value takes the member's name (c's own, not its value's). */
			if (!(n->type & cJSON_StringIsConst))
				cJSON_free(n->string);
			n->type &= ~cJSON_StringIsConst;
			n->string = c->string;
			c->string = NULL;
			cJSON_ReplaceItemViaPointer(args, c, n);
		} else if (expect_refs(c, s, why, len) == -1) {
			return -1;
		}
	}
	return 0;
}
