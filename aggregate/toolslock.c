/*
 * toolslock.c - mcp-aggregate tools --lock and --check: the lists a
 * person approved (mcp:{SLUG}:appr, apl:HEX), else the lists the regions
 * serve now (first sight), written as a lock a repository keeps; and what
 * every region serves checked against a lock, as text, JSON or SARIF
 * (toolset/lock.c, sarif.c; mcp-aggregate(1) "tools").
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "json.h"
#include "lists.h"
#include "rec.h"
#include "toolset.h"
#include "toolslock.h"
#include "version.h"

#define LOCK_BYTES (64 << 20) /* bytes of a lock or of the lists served read */

/* A string reply's text, or NULL. */
static const char *
str_of(const redisReply *r)
{
	return r != NULL && r->type == REDIS_REPLY_STRING ? r->str : NULL;
}

/* The list KEY:HEX of slug (key "ls" or "apl"), checked against hash; owned or NULL. */
static cJSON *
get_list(struct mcp_store *st, const char *slug, const char *key, int k, const char *hash)
{
	char pre[MCP_SLUG_MAX + 64], kb[MCP_SLUG_MAX + 160], err[256];
	const char *argv[2] = {"GET", kb}, *why;
	redisReply *r;
	cJSON *a;

	if (agg_list_hex(hash) == NULL)
		return NULL;
	agg_key(pre, sizeof(pre), slug, "", -1);
	snprintf(kb, sizeof(kb), "%s%s:%s", pre, key, agg_list_hex(hash));
	if ((r = mcp_store_cmd(st, 2, argv, err, sizeof(err))) == NULL)
		return NULL;
	a = agg_list_parse(k, hash, str_of(r), str_of(r) ? r->len : 0, &why);
	freeReplyObject(r);
	return a;
}

/* HGETALL of slug's key what into *r: 0, or -1 after a warning. */
static int
hgetall(struct mcp_store *st, const char *slug, const char *what, redisReply **r)
{
	char k[MCP_SLUG_MAX + 64], err[512];
	const char *argv[2] = {"HGETALL", k};

	agg_key(k, sizeof(k), slug, what, -1);
	if ((*r = mcp_store_cmd(st, 2, argv, err, sizeof(err))) == NULL ||
	    (*r)->type != REDIS_REPLY_ARRAY) {
		warnx("redis: %s",
		    *r == NULL                            ? err
		        : (*r)->type == REDIS_REPLY_ERROR ? (*r)->str
		                                          : "bad reply");
		freeReplyObject(*r);
		return -1;
	}
	return 0;
}

/*
 * What slug's regions serve now, as GET /api/status/SLUG/lists answers:
 * {"slug","regions":[{"region","kind","hash","at"}],"lists":{HASH:[..]}},
 * a list whose text is not kept left out.  Owned, or NULL after a warning.
 */
static cJSON *
served_of(struct mcp_store *st, const char *slug)
{
	redisReply *h[2];
	cJSON *o, *g, *lists, *l;
	const char *v, *sp, *field;
	size_t i;
	int j, k;

	if (hgetall(st, slug, "hash", &h[0]) == -1)
		return NULL;
	if (hgetall(st, slug, "lhash", &h[1]) == -1) {
		freeReplyObject(h[0]);
		return NULL;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "slug", slug);
	g = cJSON_AddArrayToObject(o, "regions");
	lists = cJSON_AddObjectToObject(o, "lists");
	for (j = 0; j < 2; j++)
		for (i = 0; i + 1 < h[j]->elements; i += 2) {
			field = h[j]->element[i]->str, v = h[j]->element[i + 1]->str;
			k = j == 0 ? MCP_LIST_TOOLS : agg_list_kind((char[]){field[0], '\0'});
			if (j == 1 && (k <= 0 || field[1] != ':'))
				continue;
			if ((sp = strchr(v, ' ')) == NULL)
				continue;
			cJSON *e = cJSON_CreateObject();
			cJSON_AddStringToObject(e, "region", j == 0 ? field : field + 2);
			cJSON_AddStringToObject(e, "kind", agg_list_word(k));
			cJSON_AddStringToObject(e, "hash", sp + 1);
			cJSON_AddNumberToObject(e, "at", strtod(v, NULL));
			cJSON_AddItemToArray(g, e);
			if (cJSON_GetObjectItemCaseSensitive(lists, sp + 1) == NULL &&
			    (l = get_list(st, slug, "ls", k, sp + 1)) != NULL)
				cJSON_AddItemToObject(lists, sp + 1, l);
		}
	freeReplyObject(h[0]);
	freeReplyObject(h[1]);
	return o;
}

/* ---- the export -------------------------------------------------------------------------- */

/* The approval of field (KIND or KIND:REGION) in appr, parsed, or NULL. */
static cJSON *
approval(const redisReply *appr, const char *field)
{
	size_t i;

	for (i = 0; i + 1 < appr->elements; i += 2)
		if (strcmp(appr->element[i]->str, field) == 0)
			return cJSON_Parse(appr->element[i + 1]->str);
	return NULL;
}

/* The hash most regions serve of kind k (a tie: the latest seen), and its regions. */
static const char *
first_sight(const cJSON *served, int k, cJSON *regions, int *split)
{
	const cJSON *e, *f;
	const char *best = NULL;
	int most = 0, n;
	double at = -1;

	*split = 0;
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(served, "regions"))
	{
		if (agg_list_kind(mcp_json_str(e, "kind", "")) != k)
			continue;
		n = 0;
		cJSON_ArrayForEach(f, cJSON_GetObjectItem(served, "regions")) n +=
		    agg_list_kind(mcp_json_str(f, "kind", "")) == k &&
		    strcmp(mcp_json_str(f, "hash", ""), mcp_json_str(e, "hash", "")) == 0;
		if (best != NULL && strcmp(best, mcp_json_str(e, "hash", "")) != 0)
			*split = 1;
		if (n > most || (n == most && mcp_json_num(e, "at") > at))
			best = mcp_json_str(e, "hash", ""), most = n, at = mcp_json_num(e, "at");
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(served, "regions"))
	{
		if (best != NULL && agg_list_kind(mcp_json_str(e, "kind", "")) == k &&
		    strcmp(mcp_json_str(e, "hash", ""), best) == 0)
			mcp_lock_add_sorted(regions, mcp_json_str(e, "region", ""));
	}
	return best;
}

/* An approved entry (field KIND or KIND:REGION): 0 done, 1 none, -1 after a warning. */
static int
put_approved(struct mcp_store *st, struct mcp_buf *out, const char *slug, int k, const cJSON *a,
    const char *region)
{
	const char *h = mcp_json_str(a, "hash", NULL), *state = mcp_json_str(a, "state", "");
	cJSON *meta, *list;
	char err[256];
	int rc = 0;

	if (strcmp(state, "approved") != 0 || h == NULL)
		return 1;
	if ((list = get_list(st, slug, "apl", k, h)) == NULL &&
	    (list = get_list(st, slug, "ls", k, h)) == NULL) {
		warnx("%s: %s: the approved list %.19s is not kept: not locked", slug,
		    agg_list_word(k), h);
		return -1;
	}
	meta = cJSON_CreateObject();
	cJSON_AddStringToObject(meta, "source", "approved");
	if (region != NULL)
		cJSON_AddStringToObject(meta, "region", region);
	if (cJSON_IsString(cJSON_GetObjectItem(a, "by")))
		cJSON_AddStringToObject(meta, "by", cJSON_GetObjectItem(a, "by")->valuestring);
	if (cJSON_GetObjectItem(a, "at") != NULL)
		cJSON_AddItemToObject(meta, "at", cJSON_Duplicate(cJSON_GetObjectItem(a, "at"), 1));
	if (mcp_lock_put(out, slug, k, meta, list, err, sizeof(err)) == -1)
		rc = -1, warnx("%s: %s: %s", slug, agg_list_word(k), err);
	cJSON_Delete(meta);
	cJSON_Delete(list);
	return rc;
}

/*
 * A list no person approved whose text the rules judge high or medium
 * (mcp-rules(7)) is not trusted because it came first: its entry is
 * written "held" (source), its findings said, and --check blocks it
 * until a person approves it by name.  1 when held (said), else 0.
 */
static int
held_of(const char *slug, int k, const cJSON *list, const char *h, cJSON *meta)
{
	struct mcp_scan s = {0};
	enum mcp_sev w = MCP_SEV_N;
	cJSON *f, *a;
	char rules[256] = "";
	size_t i, u = 0;

	if (mcp_scan_list(&s, (enum mcp_list_kind)k, list) == 0)
		w = mcp_scan_worst(&s);
	if (w != MCP_SEV_HIGH && w != MCP_SEV_MEDIUM) {
		mcp_scan_free(&s);
		return 0;
	}
	cJSON_AddStringToObject(meta, "source", "held");
	f = cJSON_AddObjectToObject(meta, "findings");
	cJSON_AddStringToObject(f, "worst", mcp_sev_name(w));
	a = cJSON_AddArrayToObject(f, "rules");
	for (i = 0; i < mcp_scan_nrules; i++)
		if (s.rules & (1UL << i)) {
			cJSON_AddItemToArray(a, cJSON_CreateString(mcp_scan_rules[i].id));
			if (u + 12 < sizeof(rules))
				u += (size_t)snprintf(rules + u, sizeof(rules) - u, "%s%s",
				    u ? ", " : "", mcp_scan_rules[i].id);
		}
	mcp_scan_free(&s);
	warnx("%s: %s: %.19s was never approved and its text has %s findings (%s): locked as "
	      "held, which --check blocks until a person approves it: mcp-aggregate tools %s "
	      "--approve --by NAME, then --lock again",
	    slug, agg_list_word(k), h, mcp_sev_name(w), rules, slug);
	return 1;
}

/* The entries of one kind of slug: its approvals, else its first sight. */
static int
lock_kind(struct mcp_store *st, struct mcp_buf *out, const char *slug, int k,
    const redisReply *appr, const cJSON *served)
{
	char field[MCP_SLUG_MAX + 8], err[256];
	const char *h, *f;
	cJSON *a, *regions, *meta;
	size_t i;
	int rc = 0, every, split, r;

	snprintf(field, sizeof(field), "%c", agg_list_letter(k));
	a = approval(appr, field);
	every = put_approved(st, out, slug, k, a, NULL);
	if (every == 1 && a != NULL && strcmp(mcp_json_str(a, "state", ""), "rejected") == 0) {
		warnx("%s: %s: rejected, none approved: not locked", slug, agg_list_word(k));
		every = -1;
	}
	cJSON_Delete(a);
	rc = every == -1 ? -1 : 0;
	for (i = 0; i + 1 < appr->elements; i += 2) {
		f = appr->element[i]->str;
		if (f[0] != agg_list_letter(k) || f[1] != ':' || !mcp_slug_ok(f + 2))
			continue;
		a = cJSON_Parse(appr->element[i + 1]->str);
		if ((r = put_approved(st, out, slug, k, a, f + 2)) == -1)
			rc = -1;
		cJSON_Delete(a);
	}
	if (every != 1)
		return rc;
	regions = cJSON_CreateArray();
	if ((h = first_sight(served, k, regions, &split)) != NULL) {
		if (split)
			warnx("%s: %s: the regions serve different lists: the one most serve is "
			      "locked",
			    slug, agg_list_word(k));
		meta = cJSON_CreateObject();
		a = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItem(served, "lists"), h);
		if (a != NULL && held_of(slug, k, a, h, meta) == 1)
			rc = -1;
		else
			cJSON_AddStringToObject(meta, "source", "first_sight");
		cJSON_AddItemToObject(meta, "regions", regions);
		regions = NULL;
		if (a == NULL)
			rc = -1,
			warnx("%s: %s: the list %.19s is not kept: not locked", slug,
			    agg_list_word(k), h);
		else if (mcp_lock_put(out, slug, k, meta, a, err, sizeof(err)) == -1)
			rc = -1, warnx("%s: %s: %s", slug, agg_list_word(k), err);
		cJSON_Delete(meta);
	}
	cJSON_Delete(regions);
	return rc;
}

int
agg_tools_lock(struct mcp_store *st, char **slugs, int n)
{
	struct mcp_buf out = {0};
	redisReply *appr;
	cJSON *served;
	char at[32], err[256];
	size_t before;
	int i, k, rc = MCP_EXIT_OK;

	mcp_iso8601(mcp_now(), at, sizeof(at));
	if (mcp_lock_head(&out, at, "mcp-aggregate " MCP_VERSION, err, sizeof(err)) == -1)
		errx(MCP_EXIT_FAIL, "%s", err);
	for (i = 0; i < n; i++) {
		if ((served = served_of(st, slugs[i])) == NULL)
			return MCP_EXIT_FAIL;
		if (hgetall(st, slugs[i], "appr", &appr) == -1) {
			cJSON_Delete(served);
			return MCP_EXIT_FAIL;
		}
		before = out.len;
		for (k = 0; k < AGG_LIST_KINDS; k++)
			if (lock_kind(st, &out, slugs[i], k, appr, served) == -1)
				rc = MCP_EXIT_FAIL;
		if (out.len == before)
			warnx(
			    "%s: not locked: no list approved, nor served in 31 days: is the slug "
			    "right? see mcp-aggregate status",
			    slugs[i]),
			    rc = MCP_EXIT_FAIL;
		freeReplyObject(appr);
		cJSON_Delete(served);
	}
	fwrite(out.p, 1, out.len, stdout);
	mcp_buf_free(&out);
	return rc;
}

/* ---- the check --------------------------------------------------------------------------- */

/* All of path (or stdin for "-"): owned, NUL-terminated, or NULL after a warning. */
static char *
slurp(const char *path, size_t *n)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	struct mcp_buf b = {.max = LOCK_BYTES};
	char chunk[65536];
	size_t r;
	int bad = 0;

	if (f == NULL) {
		warn("%s", path);
		return NULL;
	}
	while (!bad && (r = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (mcp_buf_add(&b, chunk, r) == -1)
			bad = 1, warnx("%s: over %d MiB", path, LOCK_BYTES >> 20);
	if (!bad && ferror(f))
		bad = 1, warn("%s", path);
	if (f != stdin)
		fclose(f);
	if (!bad && b.p == NULL && mcp_buf_add(&b, "", 0) == -1)
		bad = 1, warnx("%s: out of memory", path);
	if (bad)
		mcp_buf_free(&b);
	*n = b.len;
	return bad ? NULL : b.p;
}

/* The served answers of a file of GET /api/status/SLUG/lists answers, one a line. */
static cJSON *
served_file(const char *path)
{
	size_t n;
	char *t = slurp(path, &n), *p, *nl;
	cJSON *all, *o;

	if (t == NULL)
		return NULL;
	all = cJSON_CreateObject();
	for (p = t; *p != '\0'; p = nl + (*nl != '\0')) {
		nl = p + strcspn(p, "\n");
		if (nl == p)
			continue;
		if ((o = cJSON_ParseWithLength(p, (size_t)(nl - p))) == NULL ||
		    !cJSON_IsObject(o) || !mcp_slug_ok(mcp_json_str(o, "slug", ""))) {
			warnx("%s: an answer that is not a JSON object with a slug", path);
			cJSON_Delete(o);
			continue;
		}
		cJSON_AddItemToObject(all, mcp_json_str(o, "slug", ""), o);
	}
	free(t);
	return all;
}

static void
text_report(const cJSON *rep, const char *path)
{
	const cJSON *r, *c, *g;
	const char *st;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(rep, "results"))
	{
		st = mcp_json_str(r, "state", "");
		printf("%s:%d: %s %s: %s", path, (int)mcp_json_num(r, "line"),
		    mcp_json_str(r, "slug", ""), mcp_json_str(r, "kind", ""),
		    strcmp(st, "held") == 0             ? "HELD: never approved, its text has "
		                                          "high or medium findings (blocks)"
		        : strcmp(st, "differs") == 0    ? "DIFFERS (blocks)"
		        : strcmp(st, "compatible") == 0 ? "compatible changes only (passes)"
		        : strcmp(st, "not_kept") == 0   ? "a list not kept, not judged (blocks)"
		        : strcmp(st, "not_known") == 0  ? "nothing known of it, not judged (blocks)"
		        : strcmp(st, "not_served") == 0 ? "no region serves it now (passes)"
		                                        : "matches");
		if (cJSON_GetArraySize(cJSON_GetObjectItem(r, "regions")) > 0)
			printf(" in");
		cJSON_ArrayForEach(g, cJSON_GetObjectItem(r, "regions"))
		    printf(" %s", g->valuestring);
		putchar('\n');
		cJSON_ArrayForEach(c, cJSON_GetObjectItem(r, "changes"))
		{
			printf("%s:%d:   %-10s ", path, (int)mcp_json_num(c, "line"),
			    mcp_json_str(c, "class", ""));
			agg_tools_put_safe(mcp_json_str(c, "text", mcp_json_str(c, "kind", "")));
			putchar('\n');
		}
		if (mcp_json_num(r, "more") > 0)
			printf("%s:%d:   and %.0f more changes, not kept\n", path,
			    (int)mcp_json_num(r, "line"), mcp_json_num(r, "more"));
	}
}

int
agg_tools_check(struct mcp_store *st, const char *path, const char *served_path, int how)
{
	struct mcp_lock lk;
	cJSON *served, *rep, *o;
	char err[256], where[PATH_MAX + 300], *t;
	const char *state;
	size_t n, i;
	int rc;

	if ((t = slurp(path, &n)) == NULL)
		return MCP_EXIT_USAGE;
	if (mcp_lock_parse(t, n, &lk, err, sizeof(err)) == -1) {
		free(t);
		mcp_lock_error(where, sizeof(where), path, &lk, err);
		warnx("%s", where);
		return MCP_EXIT_USAGE;
	}
	free(t);
	if (served_path != NULL) {
		served = served_file(served_path);
	} else {
		served = cJSON_CreateObject();
		for (i = 0; served != NULL && i < lk.n; i++)
			if (cJSON_GetObjectItem(served, lk.v[i].slug) == NULL) {
				if ((o = served_of(st, lk.v[i].slug)) == NULL) {
					cJSON_Delete(served);
					served = NULL;
				} else
					cJSON_AddItemToObject(served, lk.v[i].slug, o);
			}
	}
	if (served == NULL) {
		mcp_lock_free(&lk);
		return AGG_EXIT_UNKNOWN;
	}
	rep = mcp_lock_check(&lk, served, err, sizeof(err));
	cJSON_Delete(served);
	mcp_lock_free(&lk);
	if (rep == NULL)
		errx(MCP_EXIT_FAIL, "%s: %s", path, err);
	state = mcp_json_str(rep, "state", "");
	rc = strcmp(state, "differs") == 0 || strcmp(state, "held") == 0 ? MCP_EXIT_FAIL
	    : strcmp(state, "unknown") == 0                              ? AGG_EXIT_UNKNOWN
	                                                                 : MCP_EXIT_OK;
	if (how == 's') {
		o = mcp_sarif_lock(rep, path, MCP_VERSION);
		if (mcp_rec_write(stdout, o, err, sizeof(err)) == -1)
			warnx("%s", err);
		cJSON_Delete(o);
	} else if (how == 'j') {
		if (mcp_rec_write(stdout, rep, err, sizeof(err)) == -1)
			warnx("%s", err);
	} else {
		text_report(rep, path);
	}
	if (how != 'j')
		warnx("%s: %s", path,
		    strcmp(state, "held") == 0
		        ? "a list locked at first sight has high or medium findings and no "
		          "person approved it (mcp-aggregate tools SLUG --approve --by NAME): "
		          "deploy blocked"
		        : rc == MCP_EXIT_FAIL
		        ? "a region serves what differs from the lock in a breaking "
		          "or review way: deploy blocked"
		        : rc == AGG_EXIT_UNKNOWN
		        ? "what a region serves is not known: not judged, "
		          "deploy blocked"
		        : "every region serves the lock or compatible changes: "
		          "passes");
	cJSON_Delete(rep);
	return rc;
}
