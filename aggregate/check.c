/*
 * check.c - the bounds of what a probe record may bring into the store
 * (LIMITS in mcp-aggregate(1)), and how a refused value is named; no I/O.
 * A value out of bounds is refused with its record, never cut or
 * rewritten to fit: the reason names the field and the value.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <string.h>

#include "aggregate.h"
#include "json.h"

/* A field out of its rule: the reason, naming the value when a string. */
static int
bad(const char *field, const cJSON *v, const char *rule, char *err, size_t len)
{
	char q[MCP_QUOTED_MAX];

	if (cJSON_IsString(v))
		snprintf(err, len, "bad %s %s: %s", field,
		    mcp_json_quoted(q, sizeof(q), v->valuestring), rule);
	else
		snprintf(err, len, "bad %s: %s", field, rule);
	return -1;
}

int
agg_name_check(const cJSON *rec, const char *field, const char **name, char *err, size_t len)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, field);

	if (v == NULL) {
		snprintf(err, len, "missing \"%s\"", field);
		return -1;
	}
	if (!cJSON_IsString(v)) {
		snprintf(err, len, "%s: not a string", field);
		return -1;
	}
	if (!mcp_slug_ok(v->valuestring))
		return bad(field, v, "not " MCP_SLUG_RULE, err, len);
	*name = v->valuestring;
	return 0;
}

int
agg_start_check(const cJSON *rec, double now, double *t, char *err, size_t len)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, "probe_started_at");
	char n[32];

	if (v == NULL) {
		snprintf(err, len, "missing \"probe_started_at\"");
		return -1;
	}
	if (!cJSON_IsNumber(v)) {
		snprintf(err, len, "probe_started_at: not a number");
		return -1;
	}
	*t = v->valuedouble;
	if (!(*t >= 0 && *t <= AGG_TIME_MAX)) {
		snprintf(err, len, "probe_started_at %s: not a time (0 to %.0f)",
		    mcp_json_num_text(n, sizeof(n), *t), AGG_TIME_MAX);
		return -1;
	}
	if (*t > now + AGG_SKEW) {
		snprintf(err, len, "probe_started_at %s is more than %d s ahead of the clock",
		    mcp_json_num_text(n, sizeof(n), *t), AGG_SKEW);
		return -1;
	}
	if (*t < now - AGG_PAST) {
		snprintf(err, len, "probe_started_at %s is more than %d days behind the clock",
		    mcp_json_num_text(n, sizeof(n), *t), AGG_PAST / AGG_DAY);
		return -1;
	}
	return 0;
}

int
agg_ms_check(const cJSON *rec, double *ms, char *err, size_t len)
{
	return mcp_json_bounded(rec, "ms", AGG_MS_LIMIT, ms, err, len);
}

int
agg_canary_check(const cJSON *rec, char *code, char *err, size_t len)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, "canary");
	const char *s = cJSON_GetStringValue(v);

	*code = 0;
	if (v == NULL)
		return 0;
	if (s != NULL && strcmp(s, "ok") == 0)
		*code = 'o';
	else if (s != NULL && strcmp(s, "fail") == 0)
		*code = 'f';
	else
		return bad("canary", v, "not ok or fail", err, len);
	return 0;
}

int
agg_origin_check(const cJSON *rec, int *reg, char *err, size_t len)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, "origin");
	const char *s = cJSON_GetStringValue(v);

	*reg = 0;
	if (v == NULL)
		return 0;
	if (s == NULL || strcmp(s, "registry") != 0)
		return bad("origin", v, "not registry", err, len);
	*reg = 1;
	return 0;
}

int
agg_state_check(const cJSON *rec, char *code, char *err, size_t len)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, "state");
	const char *s = cJSON_GetStringValue(v);

	*code = 0;
	if (v == NULL) {
		snprintf(err, len, "missing \"state\"");
		return -1;
	}
	if (s != NULL && strcmp(s, "healthy") == 0)
		*code = 'h';
	else if (s != NULL && strcmp(s, "auth-walled") == 0)
		*code = 'a';
	else if (s != NULL && strcmp(s, "broken") == 0)
		*code = 'b';
	else if (s != NULL && strcmp(s, "unjudged") == 0)
		*code = 'u';
	else
		return bad("state", v, "not healthy, auth-walled, broken or unjudged", err, len);
	return 0;
}

/* The reasons of an unjudged result, in the order of their numbers (1 to 3). */
static const char *const uj_codes[] = {"not_started", "evicted", "run_ended"};

const char *
agg_unjudged_name(int n)
{
	return n >= 1 && n <= AGG_UJ_CODES ? uj_codes[n - 1] : NULL;
}

int
agg_unjudged_check(const cJSON *rec, int *n, char *err, size_t len)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(rec, "error");
	const cJSON *v = cJSON_IsObject(e) ? cJSON_GetObjectItemCaseSensitive(e, "code") : NULL;
	int i;

	for (i = 1; cJSON_IsString(v) && i <= AGG_UJ_CODES; i++)
		if (strcmp(v->valuestring, uj_codes[i - 1]) == 0) {
			*n = i;
			return 0;
		}
	return bad(
	    "error.code", v, "an unjudged result says not_started, evicted or run_ended", err, len);
}

int
agg_step_check(
    const cJSON *rec, const char *field, int need, const char **step, char *err, size_t len)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, field);
	int failed = strcmp(field, "failed_step") == 0;

	*step = NULL;
	if (!need) {
		if (v == NULL || cJSON_IsNull(v))
			return 0;
		return bad(field, v, "only a broken result has one", err, len);
	}
	if (!cJSON_IsString(v) || mcp_step_index(v->valuestring) < 0)
		return bad(field, v,
		    failed ? "a broken result names a step of the contract"
		           : "not a step of the contract",
		    err, len);
	*step = v->valuestring;
	return 0;
}

int
agg_hash_check(const cJSON *rec, const char **hash, char *err, size_t len)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, "tool_hash");
	const char *h = cJSON_GetStringValue(v);
	size_t n = 0;

	*hash = "";
	if (v == NULL || cJSON_IsNull(v))
		return 0;
	for (; h != NULL && h[n] != '\0'; n++)
		if (n == AGG_TOOL_HASH_MAX || h[n] <= ' ' || h[n] > '~')
			break;
	if (h == NULL || n == 0 || h[n] != '\0')
		return bad("tool_hash", v, "not 1 to 128 printable ASCII characters", err, len);
	*hash = h;
	return 0;
}
