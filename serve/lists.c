/*
 * lists.c - GET /api/status/SLUG/lists: the lists each region serves now
 * (tools, resources, prompts: mcp:{SLUG}:hash and lhash) and the text of
 * each, as kept (ls:HEX, checked against its hash), for a check against a
 * lock away from the store (mcp-guardrail --lock, mcp-aggregate tools
 * --check --served).  Every list is a server's text: written by
 * mcp_json_write, never as read.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "mcp.h"
#include "serve.h"
#include "sha256.h"

#define SL_LISTS_MAX (3 * SERVE_REGIONS_MAX) /* lists named, at most */
#define SL_BYTES (4 << 20)                   /* bytes of lists' text an answer carries */
#define SL_HASH_LEN (7 + 64 + 1)             /* "sha256:" and hex */

struct sl_named {
	char kind[12], region[MCP_SLUG_MAX + 1], hash[SL_HASH_LEN];
	double at;
};

/* The regions' lists of the two hashes' replies into v: how many. */
static size_t
sl_named_of(redisReply **rep, struct sl_named *v)
{
	static const char *const words[] = {"tools", "resources", "prompts"};
	const char *f, *val, *sp;
	size_t i, n = 0;
	int j, k;

	for (j = 0; j < 2; j++)
		for (i = 0; rep[j]->type == REDIS_REPLY_ARRAY && i + 1 < rep[j]->elements; i += 2) {
			f = rep[j]->element[i]->str, val = rep[j]->element[i + 1]->str;
			k = j == 0 ? 0 : f[0] == 'r' ? 1 : f[0] == 'p' ? 2 : -1;
			if (j == 1 && (k < 0 || f[1] != ':'))
				continue;
			f += j == 0 ? 0 : 2;
			if (n == SL_LISTS_MAX || !mcp_slug_ok(f) ||
			    (sp = strchr(val, ' ')) == NULL || strlen(sp + 1) + 1 != SL_HASH_LEN ||
			    strncmp(sp + 1, "sha256:", 7) != 0 ||
			    strspn(sp + 8, "0123456789abcdef") != 64)
				continue;
			snprintf(v[n].kind, sizeof(v[n].kind), "%s", words[k]);
			snprintf(v[n].region, sizeof(v[n].region), "%s", f);
			snprintf(v[n].hash, sizeof(v[n].hash), "%s", sp + 1);
			v[n++].at = strtod(val, NULL);
		}
	return n;
}

/* The answer: the regions, then each distinct list kept whose text hashes to its name. */
static int
sl_json(struct mcp_buf *b, const char *slug, const struct sl_named *v, size_t n, redisReply **txt)
{
	char h[MCP_SHA256_HEX], why[128];
	size_t i, j, bytes = 0;
	int rc, k = 0;
	cJSON *a;

	rc = mcp_buf_addf(b, "{\"slug\":\"%s\",\"regions\":[", slug);
	for (i = 0; i < n; i++) {
		rc |= mcp_buf_addf(b,
		    "%s{\"region\":\"%s\",\"kind\":\"%s\",\"hash\":\"%s\",\"at\":", i ? "," : "",
		    v[i].region, v[i].kind, v[i].hash);
		rc |= mcp_json_addnum(b, v[i].at) | mcp_buf_addc(b, '}');
	}
	rc |= mcp_buf_adds(b, "],\"lists\":{");
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && strcmp(v[j].hash, v[i].hash) != 0; j++)
			;
		if (j < i || txt[i]->type != REDIS_REPLY_STRING || bytes + txt[i]->len > SL_BYTES)
			continue;
		mcp_sha256_hex(txt[i]->str, txt[i]->len, h);
		if (strcmp(h, v[i].hash + 7) != 0 ||
		    (a = cJSON_ParseWithLength(txt[i]->str, txt[i]->len)) == NULL)
			continue;
		bytes += txt[i]->len;
		rc |= mcp_buf_addf(b, "%s\"%s\":", k++ ? "," : "", v[i].hash);
		rc |= mcp_json_write(b, a, why, sizeof(why)) == -1 ? -1 : 0;
		cJSON_Delete(a);
	}
	return rc | mcp_buf_adds(b, "}}");
}

void
serve_lists(struct conn *c, const struct req *q, const char *slug, struct resp *r)
{
	static struct sl_named v[SL_LISTS_MAX];
	static char keys[SL_LISTS_MAX][MCP_SLUG_MAX + 96];
	static const char *av[SL_LISTS_MAX][2];
	const char **argv[SL_LISTS_MAX];
	char kh[128], kl[128];
	const char *a0[] = {"HGETALL", kh}, *a1[] = {"HGETALL", kl},
	           *a2[] = {"ZSCORE", "mcp:slugs", slug}, **argv0[] = {a0, a1, a2};
	int argc0[] = {2, 2, 3}, argc[SL_LISTS_MAX], known;
	redisReply *rep[3], *txt[SL_LISTS_MAX];
	size_t n, i;

	(void)q;
	snprintf(kh, sizeof(kh), "mcp:{%s}:hash", slug);
	snprintf(kl, sizeof(kl), "mcp:{%s}:lhash", slug);
	if (serve_query(c, 3, argc0, argv0, rep) != SR_OK) {
		serve_unavailable(r);
		return;
	}
	n = sl_named_of(rep, v);
	known = n > 0 || rep[2]->type == REDIS_REPLY_STRING;
	serve_free_replies(rep, 3);
	if (!known) {
		serve_error(r, 404, "not found", CACHE_API);
		return;
	}
	for (i = 0; i < n; i++) {
		snprintf(keys[i], sizeof(keys[i]), "mcp:{%s}:ls:%s", slug, v[i].hash + 7);
		av[i][0] = "GET", av[i][1] = keys[i];
		argv[i] = av[i], argc[i] = 2;
	}
	if (n > 0 && serve_query(c, n, argc, argv, txt) != SR_OK) {
		serve_unavailable(r);
		return;
	}
	r->ctype = CT_JSON;
	r->cache = CACHE_API;
	if (sl_json(&r->body, slug, v, n, txt) != 0)
		serve_error(r, 500, "out of memory", NULL);
	if (n > 0)
		serve_free_replies(txt, n);
}
