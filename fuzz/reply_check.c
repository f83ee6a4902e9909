/*
 * reply_check.c - the records of fuzz_reply's probe, checked (see the
 * list in fuzz_reply.c).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include "../lib/hash.h"
#include "../lib/json.h"
#include "../lib/mcp.h"
#include "reply.h"

static const char *
str(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
one_of(const char *s, const char *const *set)
{
	for (; s != NULL && *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return 1;
	return 0;
}

static int
is_null(const cJSON *o, const char *k)
{
	return cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, k));
}

/* A whole number in [lo, hi], or null when may_null. */
static int
num_in(const cJSON *o, const char *k, double lo, double hi, int may_null)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	if (may_null && cJSON_IsNull(v))
		return 1;
	return cJSON_IsNumber(v) && v->valuedouble >= lo && v->valuedouble <= hi;
}

/* An error code a result keeps: [a-z0-9_]{1,40}. */
static int
code_ok(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	return n > 0 && n <= 40 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

/* The secrets of the probe that no message may quote. */
static void
check_message(const char *m)
{
	const char *sec[] = {
	    rp.p->session, rp.p->post_url, rp.p->x.session, rp.p->s.session, rp.p->a.session};
	size_t i;

	for (i = 0; m != NULL && i < sizeof(sec) / sizeof(sec[0]); i++)
		if (sec[i] != NULL && strlen(sec[i]) >= 4 && strchr(sec[i], '*') == NULL)
			FUZZ_CHECK(strstr(m, sec[i]) == NULL);
}

static void
check_error(const cJSON *rec, int failed)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(rec, "error");

	if (!failed) {
		FUZZ_CHECK(cJSON_IsNull(e));
		return;
	}
	FUZZ_CHECK(cJSON_IsObject(e) && code_ok(str(e, "code")));
	check_message(str(e, "message"));
}

static void
check_step(const cJSON *rec, int i, int *failed)
{
	static const char *const status[] = {"pass", "fail", "skip", NULL};
	const char *st = str(rec, "status");

	FUZZ_CHECK(strcmp(str(rec, "type"), "step") == 0);
	FUZZ_CHECK(num_in(rec, "seq", i + 1, i + 1, 0));
	FUZZ_CHECK(str(rec, "step") != NULL && strcmp(str(rec, "step"), mcp_steps[i]) == 0);
	FUZZ_CHECK(one_of(st, status));
	FUZZ_CHECK(num_in(rec, "ms", 0, 1e9, 0));
	FUZZ_CHECK(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(rec, "detail")));
	/* After the first failure, every step is skipped. */
	if (*failed >= 0)
		FUZZ_CHECK(strcmp(st, "skip") == 0);
	else if (strcmp(st, "fail") == 0)
		*failed = i;
	check_error(rec, strcmp(st, "fail") == 0);
}

static void
check_result(const cJSON *rec, int failed)
{
	static const char *const states[] = {"healthy", "auth-walled", "broken", NULL};
	static const char *const postures[] = {
	    "open", "auth-walled", "key-walled", "credentialed", NULL};
	static const char *const transports[] = {"streamable-http", "sse", NULL};
	static const char *const eras[] = {"modern", "legacy", NULL};
	const char *state = str(rec, "state"), *hash = str(rec, "tool_hash");

	FUZZ_CHECK(strcmp(str(rec, "type"), "result") == 0);
	FUZZ_CHECK(one_of(state, states));
	FUZZ_CHECK((strcmp(state, "broken") == 0) == (failed >= 0));
	if (failed >= 0)
		FUZZ_CHECK(str(rec, "failed_step") != NULL &&
		    strcmp(str(rec, "failed_step"), mcp_steps[failed]) == 0);
	else
		FUZZ_CHECK(is_null(rec, "failed_step"));
	FUZZ_CHECK(is_null(rec, "posture") || one_of(str(rec, "posture"), postures));
	FUZZ_CHECK(is_null(rec, "transport") || one_of(str(rec, "transport"), transports));
	FUZZ_CHECK(is_null(rec, "era") || one_of(str(rec, "era"), eras));
	FUZZ_CHECK(num_in(rec, "http_status", 100, 999, 1));
	FUZZ_CHECK(num_in(rec, "tool_count", 0, TOOLS_MAX, 1));
	FUZZ_CHECK(
	    hash == NULL || (strlen(hash) == MCP_HASH_LEN - 1 && strncmp(hash, "sha256:", 7) == 0));
	FUZZ_CHECK(num_in(rec, "ms", 0, 1e9, 0));
	FUZZ_CHECK(num_in(rec, "probe_finished_at", EPOCH0, EPOCH0 + 3600, 0));
	check_error(rec, failed >= 0);
}

void
reply_check_records(const char *s, size_t n)
{
	const char *nl, *why;
	cJSON *rec;
	int i, failed = -1;

	FUZZ_CHECK(mcp_utf8_valid(s, n));
	/* The secrets this target has (a server may well say the others). */
	FUZZ_CHECK(!reply_opt('t') || strstr(s, TOKEN) == NULL);
	FUZZ_CHECK(!reply_opt('k') || strstr(s, KEY) == NULL);
	FUZZ_CHECK(!reply_opt('x') || strstr(s, EXPECT_SECRET) == NULL);
	FUZZ_CHECK(!reply_opt('u') || (strstr(s, PASSWORD) == NULL && strstr(s, BASIC) == NULL));
	for (i = 0; i < S_NSTEPS + 1; i++, s = nl + 1) {
		FUZZ_CHECK((nl = memchr(s, '\n', n)) != NULL);
		rec = mcp_json_parse(s, (size_t)(nl - s), &why);
		FUZZ_CHECK(cJSON_IsObject(rec));
		FUZZ_CHECK(num_in(rec, "v", 1, 1, 0));
		FUZZ_CHECK(str(rec, "slug") != NULL && strcmp(str(rec, "slug"), "fuzz") == 0);
		FUZZ_CHECK(str(rec, "region") != NULL && strcmp(str(rec, "region"), "fuzz-1") == 0);
		FUZZ_CHECK(num_in(rec, "probe_started_at", EPOCH0, EPOCH0, 0));
		if (i < S_NSTEPS)
			check_step(rec, i, &failed);
		else
			check_result(rec, failed);
		cJSON_Delete(rec);
		n -= (size_t)(nl - s) + 1;
	}
	FUZZ_CHECK(n == 0);
}
