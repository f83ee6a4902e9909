/*
 * inglists.c - POST /ingest/REGION?lists: the lists the store lacks, sent
 * by push --to in requests of their own after the results whose answers
 * named them (mcp-aggregate(1) "ingest", mcp-serve(8) "INGEST").  Each
 * line is a list record,
 *
 *     {"v":1,"type":"list","region":"R","slug":"S","kind":"tools",
 *      "hash":"sha256:...","list":[...]}
 *
 * A request is charged its bytes against the region's bytes of lists a
 * minute, never its results' rate.  A list is kept when it hashes to its
 * hash and the ingest said, within ING_LACK_TTL seconds, that the store
 * lacks that list of that slug for a result of the region (ING_LACK_KEY):
 * a runner's bytes name no list its region's stored results do not carry.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "lists.h"
#include "loop.h"

struct lctx {
	struct ing_conn *c;
	const char *region;
	char put_sha[41];
	long stored, refused;
};

/*
 * 1 when the ingest said the store lacks the list m ("SLUG K:HEX") of the
 * region in the last ING_LACK_TTL seconds; -1 when the store failed.
 */
static int
asked(struct lctx *l, const char *m)
{
	char key[MCP_SLUG_MAX + 32], err[256];
	const char *argv[] = {"ZSCORE", key, m};
	redisReply *r;
	int rc;

	snprintf(key, sizeof(key), "%s%s", ING_LACK_KEY, l->region);
	if ((r = mcp_store_cmd(l->c->st, 3, argv, err, sizeof(err))) == NULL)
		return -1;
	rc = r->type == REDIS_REPLY_STRING && strtod(r->str, NULL) >= mcp_now() - ING_LACK_TTL;
	freeReplyObject(r);
	return rc;
}

/*
 * Keep the list text (n bytes) of the record, admitted first (lists.h),
 * and forget that it was asked for: 1 kept, 0 refused (why), -1 the store
 * failed (why).
 */
static int
keep(struct lctx *l, const char *slug, int k, const char *hash, const char *m,
    const struct mcp_buf *t, char *why)
{
	char key[MCP_SLUG_MAX + 32], err[256];
	struct agg_lput put = {slug, 0, -1, 0}, adm = {slug, 0, (long long)t->len, 0};
	redisReply *r;
	long long pending;
	int rc = 1, i;

	if (agg_lists_admit(l->c->st, &adm, 1, (long long)mcp_now(), 0, 1, &pending) == -1)
		return snprintf(why, AGG_WHY_MAX, "store unavailable"), -1;
	/* Refused: said where the review reads why a list was never read (review.c). */
	if (adm.refused && agg_list_unread_append(l->c->st, slug, hash, "refused") == 0 &&
	    mcp_store_read(l->c->st, &r, 1, err, sizeof(err)) == 0)
		freeReplyObject(r);
	if (adm.refused)
		return snprintf(why, AGG_WHY_MAX,
		           "no room for lists in the store now (MCP_LISTS_MAX, or its "
		           "memory's high-water mark): its results are kept"),
		       0;
	snprintf(key, sizeof(key), "%s%s", ING_LACK_KEY, l->region);
	agg_list_put_append(l->c->st, l->put_sha, slug, k, hash, t->p, t->len);
	mcp_store_appendf(l->c->st, "ZREM %s %s", key, m);
	mcp_store_appendf(l->c->st, "HEXISTS %s %s", MCP_KEY_REGISTRY, slug);
	for (i = 0; i < 3; i++) {
		if (mcp_store_read(l->c->st, &r, 1, err, sizeof(err)) == -1)
			return snprintf(why, AGG_WHY_MAX, "store unavailable"), -1;
		if (r->type == REDIS_REPLY_ERROR && i == 0) {
			ing_log(l->c, "%s: lists: redis: %s", l->region, r->str);
			snprintf(why, AGG_WHY_MAX, "store unavailable");
			rc = -1;
		}
		/* The slug's bytes, as push tells the fleet's index of them (lists.c). */
		if (i == 0 && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
		    r->element[1]->type == REDIS_REPLY_INTEGER)
			put.bytes = r->element[1]->integer;
		if (i == 2 && r->type == REDIS_REPLY_INTEGER)
			put.registry = r->integer == 1;
		freeReplyObject(r);
	}
	/* Told, put or not: what was admitted is no longer pending. */
	agg_lists_fleet(
	    l->c->st, &put, rc == 1 && put.bytes >= 0 ? 1 : 0, (long long)mcp_now(), pending, 1);
	return rc;
}

/* One list record: 1 kept, 0 refused (why), -1 the store failed (why). */
static int
one(struct lctx *l, const cJSON *rec, char *why)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(rec, "list");
	const char *slug = mcp_json_str(rec, "slug", NULL),
	           *region = mcp_json_str(rec, "region", NULL),
	           *hash = mcp_json_str(rec, "hash", NULL);
	const char *kind = mcp_json_str(rec, "kind", NULL), *type = mcp_json_str(rec, "type", NULL);
	struct mcp_buf t = {0};
	char h[MCP_HASH_LEN], err[128], m[MCP_SLUG_MAX + 80];
	int k = kind != NULL ? agg_list_kind(kind) : -1, rc;

	if (type == NULL || strcmp(type, "list") != 0)
		return snprintf(why, AGG_WHY_MAX, "not a list record (\"type\":\"list\")"), 0;
	if (region == NULL || strcmp(region, l->region) != 0)
		return snprintf(why, AGG_WHY_MAX, "region: not the token's, %s", l->region), 0;
	if (slug == NULL || !mcp_slug_ok(slug))
		return snprintf(why, AGG_WHY_MAX, "bad slug: want " MCP_SLUG_RULE), 0;
	if (k < 0 || agg_list_hex(hash) == NULL || !cJSON_IsArray(a))
		return snprintf(why, AGG_WHY_MAX,
		           "want kind (tools, resources, prompts), hash (sha256:HEX) and list "
		           "(an array)"),
		       0;
	if (agg_list_canon(k, a, &t, h, err, sizeof(err)) == -1 || t.len > AGG_LIST_BYTES ||
	    strcmp(h, hash) != 0) {
		if (t.len > AGG_LIST_BYTES)
			snprintf(why, AGG_WHY_MAX,
			    "a list of %zu bytes (canonical JSON): at most %d", t.len,
			    AGG_LIST_BYTES);
		else
			snprintf(why, AGG_WHY_MAX, "list: %s",
			    strcmp(h, hash) != 0 ? "it does not hash to its hash" : err);
		mcp_buf_free(&t);
		return 0;
	}
	snprintf(m, sizeof(m), "%s %c:%s", slug, agg_list_letter(k), agg_list_hex(hash));
	if ((rc = asked(l, m)) == 1)
		rc = keep(l, slug, k, hash, m, &t, why);
	else if (rc == 0)
		snprintf(why, AGG_WHY_MAX,
		    "not a list the ingest said the store lacks for a result of %s (in the last %d "
		    "s)",
		    l->region, ING_LACK_TTL);
	else
		snprintf(why, AGG_WHY_MAX, "store unavailable");
	mcp_buf_free(&t);
	return rc;
}

/* Each line of the body, one at a time (a list is bounded, a line too), answered. */
static void
lines(struct lctx *l, char *p, char *end, struct ing_resp *r)
{
	char why[AGG_WHY_MAX], *nl;
	const char *pw;
	cJSON *rec;
	long lineno = 0, later = 0;
	size_t n;
	int rc;

	for (; p < end; p = nl != NULL ? nl + 1 : end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		lineno++;
		rec = NULL;
		if (n > ING_LINE_MAX) {
			rc = 0;
			snprintf(why, sizeof(why), "line too long (over %d bytes)", ING_LINE_MAX);
		} else {
			p[n] = '\0';
			if (mcp_loop_parse(p, n, &rec, &pw) == -1) {
				rc = 0;
				snprintf(why, sizeof(why), "%s", pw);
			} else if (rec == NULL) {
				continue;
			} else {
				rc = later > 0 ? -1 : one(l, rec, why);
			}
		}
		cJSON_Delete(rec);
		if (rc == 1)
			l->stored++;
		else if (rc == 0)
			l->refused++;
		else
			later++;
		mcp_buf_addf(&r->body, "{\"line\":%ld,\"status\":\"%s\"", lineno,
		    rc == 1       ? "stored"
		        : rc == 0 ? "refused"
		                  : "later");
		if (rc != 1) {
			mcp_buf_adds(&r->body, ",\"reason\":");
			mcp_json_string(&r->body, rc == 0 ? why : "store unavailable");
		}
		mcp_buf_adds(&r->body, "}\n");
	}
	mcp_buf_addf(&r->body,
	    "{\"done\":true,\"lines\":%ld,\"stored\":%ld,\"refused\":%ld,"
	    "\"later\":%ld}\n",
	    lineno, l->stored, l->refused, later);
}

void
ing_lists(struct ing_conn *c, struct ing_src *s, const char *region, struct ing_resp *r)
{
	struct mcp_buf raw = {0}, plain = {0};
	struct lctx l = {c, region, "", 0, 0};
	long lim = ing_lists_limit(c, s);
	char err[256];
	int k;

	/* A region at its bound is refused before its body is read. */
	if ((k = ing_rate(c, "lists", region, 0, lim)) != 0 ||
	    ing_read_body(c, s, &raw, &plain, r) == -1)
		goto out;
	if ((long)plain.len > lim) {
		ing_fail(r, 413, "a body of %zu bytes of lists: %s takes %ld a minute", plain.len,
		    region, lim);
		goto out;
	}
	if ((k = ing_rate(c, "lists", region, (long)plain.len, lim)) != 0)
		goto out;
	if (mcp_store_script_load(c->st, agg_lists_put_lua, l.put_sha, err, sizeof(err)) == -1) {
		ing_log(c, "redis: %s", err);
		k = -1;
		goto out;
	}
	r->status = 200;
	r->ctype = "application/jsonl; charset=utf-8";
	if (plain.p != NULL)
		lines(&l, plain.p, plain.p + plain.len, r);
	else
		mcp_buf_adds(&r->body,
		    "{\"done\":true,\"lines\":0,\"stored\":0,\"refused\":0,\"later\":0}\n");
out:
	if (k == 1)
		ing_fail(r, 429, "%s sent more than %ld bytes of lists this minute", region, lim);
	ing_rate_refused(c, r, k);
	mcp_buf_free(&raw);
	mcp_buf_free(&plain);
}
