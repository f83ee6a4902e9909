/*
 * ready.c - the readiness of a server for 2026's clients (mcp-probe
 * --readiness, issue 68) from push to the verdict.  push keeps each
 * region's latest "readiness" of a result in mcp:{SLUG}:ready, REGION ->
 * a compact JSON object: its start ("at"), its grade, the eras it heard
 * and the codes of its reasons, each one of those this file knows; a
 * result whose "readiness" is not as mcp-probe writes it is stored
 * without it, never refused.  The words of a reason (what, the spec's
 * section, what to do) are this file's, never a runner's.
 *
 * The verdict's "readiness": from the regions' postures of the last
 * AGG_READY_SPAN seconds (the posture probe runs hourly), the reasons a
 * majority of those regions found (so that one region, or one runner's
 * token, neither worsens nor clears a grade alone), and the grade those
 * reasons make by mcp-probe's rule: F with a critical one, D with two
 * major ones or more, C with one, B with minor ones, A with none.  A
 * posture only: it never changes a verdict's colour, nor its uptime.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "json.h"
#include "mcp.h"
#include "ready.h"

/* The span a region's posture counts for, back from the window's end. */
#define AGG_READY_SPAN (3 * 3600)
/* The regions read, at the most. */
#define READY_REGIONS 64

/* A ui:// URI as the store keeps one: printable, no blank, quote or backslash, 256 bytes at most. */
static int
app_uri_ok(const char *s)
{
	size_t i;

	if (s == NULL || strncmp(s, "ui://", 5) != 0)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] > 0x7e || s[i] == '"' ||
		    s[i] == '\\' || i >= 256)
			return 0;
	return 1;
}

/* 1 when s is 64 lowercase hex digits (a SHA-256). */
static int
hex64(const char *s)
{
	return s != NULL && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

int
agg_ready_value(const cJSON *rec, double started, char *out, size_t len)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(rec, "readiness");
	const cJSON *eras = cJSON_GetObjectItemCaseSensitive(r, "eras");
	const cJSON *rs = cJSON_GetObjectItemCaseSensitive(r, "reasons"), *e;
	const char *iss = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "issuer"));
	int have[MCP_R_N] = {0}, era[MCP_ERA_N] = {0}, i, n;
	char at[32];
	size_t k;

	out[0] = '\0';
	if (!cJSON_IsObject(r) || !cJSON_IsArray(eras) || !cJSON_IsArray(rs) ||
	    cJSON_GetArraySize(eras) > MCP_ERA_N || cJSON_GetArraySize(rs) > MCP_R_N)
		return 0;
	cJSON_ArrayForEach(e, eras)
	{
		if ((i = mcp_ready_era(cJSON_GetStringValue(e))) == -1)
			return 0;
		era[i] = 1;
	}
	cJSON_ArrayForEach(e, rs)
	{
		if ((i = mcp_ready_code(
		         cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "code")))) == -1)
			return 0;
		have[i] = 1;
	}
	mcp_json_number(started, at, sizeof(at));
	n = snprintf(out, len, "{\"at\":%s,\"grade\":\"%c\",\"eras\":[", at, mcp_ready_grade(have));
	for (i = 0, k = 0; i < MCP_ERA_N && n > 0 && (size_t)n < len; i++)
		if (era[i])
			n += snprintf(out + n, len - (size_t)n, "%s\"%s\"", k++ ? "," : "",
			    mcp_ready_eras[i]);
	if (n > 0 && (size_t)n < len)
		n += snprintf(out + n, len - (size_t)n, "],\"codes\":[");
	for (k = 0, i = 0; i < MCP_R_N && n > 0 && (size_t)n < len; i++)
		if (have[i])
			n += snprintf(out + n, len - (size_t)n, "%s\"%s\"", k++ ? "," : "",
			    mcp_ready_reasons[i].code);
	if (n > 0 && (size_t)n < len)
		n += snprintf(out + n, len - (size_t)n, "]");
	if (n > 0 && (size_t)n < len &&
	    cJSON_IsString(cJSON_GetObjectItemCaseSensitive(r, "cache_scope")) &&
	    strcmp(cJSON_GetObjectItemCaseSensitive(r, "cache_scope")->valuestring, "public") == 0)
		n += snprintf(out + n, len - (size_t)n, ",\"public\":1");
	/* The MCP Apps read: each one's URI and the first 16 hex digits of its HTML's and CSP's hashes. */
	if (n > 0 && (size_t)n < len) {
		const cJSON *apps = cJSON_GetObjectItemCaseSensitive(r, "apps"), *ap;
		int m = 0;

		cJSON_ArrayForEach(ap, apps)
		{
			const char *u =
			    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ap, "uri"));
			const char *h =
			    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ap, "sha256"));
			const char *c = cJSON_GetStringValue(
			    cJSON_GetObjectItemCaseSensitive(ap, "csp_sha256"));

			if (m == 4 || !app_uri_ok(u) || !hex64(h) || !hex64(c) || n <= 0 ||
			    (size_t)n >= len)
				continue;
			n += snprintf(out + n, len - (size_t)n, "%s[\"%s\",\"%.16s\",\"%.16s\"]",
			    m++ ? "," : ",\"apps\":[", u, h, c);
		}
		if (m > 0 && n > 0 && (size_t)n < len)
			n += snprintf(out + n, len - (size_t)n, "]");
	}
	/* The authorization server's issuer, as the probe writes one (no quote, no escape). */
	if (n > 0 && (size_t)n < len && iss != NULL && mcp_ready_issuer_ok(iss, AGG_ISSUER_MAX))
		n += snprintf(out + n, len - (size_t)n, ",\"issuer\":\"%s\"", iss);
	if (n > 0 && (size_t)n < len)
		n += snprintf(out + n, len - (size_t)n, "}");
	if (n <= 0 || (size_t)n >= len) {
		out[0] = '\0';
		return 0;
	}
	return 1;
}

/*
 * The verdict's "readiness" from h, HGETALL of mcp:{SLUG}:ready: none
 * when no region's posture is of the span.
 */
void
agg_ready_add(cJSON *o, const redisReply *h, long long window, int divergent)
{
	size_t n = h->type == REDIS_REPLY_ARRAY ? h->elements / 2 : 0, i;
	int cnt[MCP_R_N] = {0}, ecnt[MCP_ERA_N] = {0}, have[MCP_R_N] = {0}, regions = 0, k;
	int icnt[READY_REGIONS] = {0}, niss = 0, j, public = 0;
	double at, end = (double)(window + AGG_WINDOW), newest = 0;
	const cJSON *e;
	const char *iss;
	cJSON *v, *r, *a, *x;
	char g[2], when[32], issuers[READY_REGIONS][AGG_ISSUER_MAX + 1];
	/* Each app said (URI, HTML, CSP) and the regions that said it so. */
	char appv[4 * READY_REGIONS][300];
	int appn[4 * READY_REGIONS] = {0}, napp = 0;

	if (n > READY_REGIONS)
		n = READY_REGIONS;
	for (i = 0; i < n; i++) {
		if (h->element[2 * i + 1]->type != REDIS_REPLY_STRING ||
		    (v = cJSON_Parse(h->element[2 * i + 1]->str)) == NULL)
			continue;
		at = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(v, "at"));
		if (!(at >= end - AGG_READY_SPAN && at < end)) {
			cJSON_Delete(v);
			continue;
		}
		regions++;
		if (at > newest)
			newest = at;
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(v, "codes"))
		{
			if ((k = mcp_ready_code(cJSON_GetStringValue(e))) != -1)
				cnt[k]++;
		}
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(v, "eras"))
		{
			if ((k = mcp_ready_era(cJSON_GetStringValue(e))) != -1)
				ecnt[k]++;
		}
		public |= cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(v, "public"));
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(v, "apps"))
		{
			char key[300];
			const char *u = cJSON_GetStringValue(cJSON_GetArrayItem(e, 0));
			const char *hh = cJSON_GetStringValue(cJSON_GetArrayItem(e, 1));
			const char *c = cJSON_GetStringValue(cJSON_GetArrayItem(e, 2));

			if (!app_uri_ok(u) || hh == NULL || c == NULL || strlen(hh) != 16 ||
			    strlen(c) != 16)
				continue;
			snprintf(key, sizeof(key), "%s %s %s", u, hh, c);
			for (j = 0; j < napp && strcmp(appv[j], key) != 0; j++)
				;
			if (j == napp && napp < 4 * READY_REGIONS)
				snprintf(appv[napp++], sizeof(appv[0]), "%s", key);
			if (j < napp)
				appn[j]++;
		}
		/* The issuers said, each with the regions that said it. */
		iss = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v, "issuer"));
		if (iss != NULL && mcp_ready_issuer_ok(iss, AGG_ISSUER_MAX)) {
			for (j = 0; j < niss && strcmp(issuers[j], iss) != 0; j++)
				;
			if (j == niss)
				snprintf(issuers[niss++], sizeof(issuers[0]), "%s", iss);
			icnt[j]++;
		}
		cJSON_Delete(v);
	}
	if (regions == 0)
		return;
	/* A majority of the regions that said: one alone decides only when it is alone. */
	for (k = 0; k < MCP_R_N; k++)
		have[k] = 2 * cnt[k] > regions;
	/* A list any cache may share, served different by the regions: the verdict's own finding. */
	if (public && divergent)
		have[MCP_R_PUBLIC_DIVERGENT] = 1, cnt[MCP_R_PUBLIC_DIVERGENT] = regions;
	r = cJSON_AddObjectToObject(o, "readiness");
	g[0] = mcp_ready_grade(have), g[1] = '\0';
	cJSON_AddStringToObject(r, "grade", g);
	a = cJSON_AddArrayToObject(r, "eras");
	for (k = 0; k < MCP_ERA_N; k++)
		if (2 * ecnt[k] > regions)
			cJSON_AddItemToArray(a, cJSON_CreateString(mcp_ready_eras[k]));
	a = cJSON_AddArrayToObject(r, "reasons");
	for (k = 0; k < MCP_R_N; k++) {
		if (!have[k])
			continue;
		x = mcp_ready_reason_json(k);
		cJSON_AddNumberToObject(x, "regions", cnt[k]);
		cJSON_AddItemToArray(a, x);
	}
	/* Each app as a majority of the regions read it: the store diffs them (mcp-alert). */
	a = NULL;
	for (j = 0; j < napp; j++) {
		char u[260], hs[17], c[17];

		if (2 * appn[j] <= regions || sscanf(appv[j], "%259s %16s %16s", u, hs, c) != 3)
			continue;
		if (a == NULL)
			a = cJSON_AddArrayToObject(r, "apps");
		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "uri", u);
		cJSON_AddStringToObject(x, "html", hs);
		cJSON_AddStringToObject(x, "csp", c);
		cJSON_AddItemToArray(a, x);
	}
	/* The authorization server's issuer, when a majority of the regions say the same. */
	for (j = 0; j < niss; j++)
		if (2 * icnt[j] > regions)
			cJSON_AddStringToObject(r, "issuer", issuers[j]);
	cJSON_AddNumberToObject(r, "regions", regions);
	mcp_iso8601(newest, when, sizeof(when));
	cJSON_AddStringToObject(r, "checked_at", when);
}
