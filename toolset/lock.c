/*
 * lock.c - the lockfile: the lists a server may serve, kept in a
 * repository, and what each region serves now checked against them
 * (mcp-aggregate(1) "tools --lock", "--check").  The file is JSON lines,
 * each line JCS, so that a diff of it in review shows one item a line and
 * a report can name the line of each item.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "json.h"
#include "mcp.h"
#include "toolset.h"

static const char *const kinds[] = {"tools", "resources", "prompts"};

static int
fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

static int
kind_of(const char *s)
{
	int k;

	for (k = 0; s != NULL && k < 3; k++)
		if (strcmp(s, kinds[k]) == 0)
			return k;
	return -1;
}

static const char *
key_of(enum mcp_list_kind k)
{
	return k == MCP_LIST_RESOURCES ? "uri" : "name";
}

/* One JCS line of o, deleted here. */
static int
put_line(struct mcp_buf *out, cJSON *o, char *err, size_t len)
{
	int rc = o == NULL ? fail(err, len, "out of memory") : mcp_jcs_write(out, o, err, len);

	cJSON_Delete(o);
	return rc == -1 ? -1 : mcp_buf_addc(out, '\n') == -1 ? fail(err, len, "out of memory") : 0;
}

int
mcp_lock_head(struct mcp_buf *out, const char *generated, const char *by, char *err, size_t len)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "mcp_uptime_lock", MCP_LOCK_VERSION);
	cJSON_AddStringToObject(o, "generated", generated);
	cJSON_AddStringToObject(o, "by", by);
	return put_line(out, o, err, len);
}

/* The "sha256:" tag of v's JCS into h. */
static int
item_hash(const cJSON *v, char *h, char *err, size_t len)
{
	struct mcp_buf b = {0};
	int rc = mcp_jcs_write(&b, v, err, len);

	if (rc == 0 && mcp_sha256_tag(b.p, b.len, h) == -1)
		rc = fail(err, len, "SHA-256 failed");
	mcp_buf_free(&b);
	return rc;
}

int
mcp_lock_put(struct mcp_buf *out, const char *slug, enum mcp_list_kind k, const cJSON *meta,
    const cJSON *list, char *err, size_t len)
{
	char h[MCP_HASH_LEN];
	const char *key = key_of(k), *name;
	const cJSON *it;
	cJSON *o;

	if (mcp_list_hash(list, key, h, err, len) == -1)
		return -1;
	o = meta != NULL ? cJSON_Duplicate(meta, 1) : cJSON_CreateObject();
	cJSON_AddStringToObject(o, "slug", slug);
	cJSON_AddStringToObject(o, "kind", kinds[k]);
	cJSON_AddStringToObject(o, "hash", h);
	cJSON_AddNumberToObject(o, "count", cJSON_GetArraySize(list));
	if (put_line(out, o, err, len) == -1)
		return -1;
	/* The items in the order the list is hashed in: a lock's diff is stable. */
	cJSON_ArrayForEach(it, list)
	{
		name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, key));
		if (item_hash(it, h, err, len) == -1)
			return -1;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "slug", slug);
		cJSON_AddStringToObject(o, "kind", kinds[k]);
		cJSON_AddStringToObject(o, key, name != NULL ? name : "");
		cJSON_AddStringToObject(o, "hash", h);
		cJSON_AddItemToObject(o, "def", cJSON_Duplicate(it, 1));
		if (put_line(out, o, err, len) == -1)
			return -1;
	}
	return 0;
}

/* ---- reading a lock --------------------------------------------------------------------- */

static struct mcp_lock_ent *
new_ent(struct mcp_lock *lk, const cJSON *o, size_t line, char *err, size_t len)
{
	const char *slug = mcp_json_str(o, "slug", NULL), *h = mcp_json_str(o, "hash", NULL);
	const char *region = mcp_json_str(o, "region", "");
	struct mcp_lock_ent *e, *v;
	int k = kind_of(mcp_json_str(o, "kind", NULL));

	if (slug == NULL || !mcp_slug_ok(slug) || k < 0 || h == NULL ||
	    strlen(h) + 1 != MCP_HASH_LEN || (region[0] != '\0' && !mcp_slug_ok(region))) {
		fail(err, len, "not an entry (slug, kind, hash)");
		return NULL;
	}
	if ((v = realloc(lk->v, (lk->n + 1) * sizeof(*v))) == NULL) {
		fail(err, len, "out of memory");
		return NULL;
	}
	lk->v = v;
	e = &lk->v[lk->n++];
	memset(e, 0, sizeof(*e));
	snprintf(e->slug, sizeof(e->slug), "%s", slug);
	snprintf(e->region, sizeof(e->region), "%s", region);
	snprintf(e->hash, sizeof(e->hash), "%s", h);
	e->kind = k;
	e->line = line;
	e->meta = cJSON_Duplicate(o, 1);
	e->list = cJSON_CreateArray();
	return e;
}

static int
add_item(struct mcp_lock_ent *e, const cJSON *o, size_t line, char *err, size_t len)
{
	const cJSON *def = cJSON_GetObjectItemCaseSensitive(o, "def");
	char h[MCP_HASH_LEN];
	size_t *l;

	if (e == NULL || strcmp(mcp_json_str(o, "slug", ""), e->slug) != 0 ||
	    kind_of(mcp_json_str(o, "kind", NULL)) != (int)e->kind)
		return fail(err, len, "an item outside its entry");
	if (!cJSON_IsObject(def) || item_hash(def, h, err, len) == -1 ||
	    strcmp(h, mcp_json_str(o, "hash", "")) != 0)
		return fail(err, len, "the item's def does not hash to its hash");
	if ((l = realloc(e->lines, (e->nitems + 1) * sizeof(*l))) == NULL)
		return fail(err, len, "out of memory");
	e->lines = l;
	e->lines[e->nitems++] = line;
	cJSON_AddItemToArray(e->list, cJSON_Duplicate(def, 1));
	return 0;
}

int
mcp_lock_parse(const char *text, size_t n, struct mcp_lock *lk, char *err, size_t len)
{
	const char *p = text, *end = text + n, *nl, *why;
	struct mcp_lock_ent *e = NULL;
	size_t line = 0, bad = 0, i;
	char h[MCP_HASH_LEN];
	cJSON *o;
	int rc = 0;

	memset(lk, 0, sizeof(*lk));
	for (; rc == 0 && p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (++line, nl == p)
			continue;
		if ((o = mcp_json_parse(p, (size_t)(nl - p), &why)) == NULL || !cJSON_IsObject(o))
			rc = fail(err, len, "not a JSON object");
		else if (line == 1 && mcp_json_num(o, "mcp_uptime_lock") != MCP_LOCK_VERSION)
			rc = fail(err, len, "not a lock of version %d", MCP_LOCK_VERSION);
		else if (line > 1 && cJSON_GetObjectItemCaseSensitive(o, "def") != NULL)
			rc = add_item(e, o, line, err, len);
		else if (line > 1 && (e = new_ent(lk, o, line, err, len)) == NULL)
			rc = -1;
		cJSON_Delete(o);
		if (rc == -1)
			bad = line;
	}
	if (rc == 0 && line == 0)
		rc = fail(err, len, "empty");
	for (i = 0; rc == 0 && i < lk->n; i++) {
		e = &lk->v[i];
		if (mcp_list_hash(e->list, key_of(e->kind), h, err, len) == -1 ||
		    strcmp(h, e->hash) != 0)
			rc = fail(err, len, "its items do not hash to the list's hash");
		if (rc == -1)
			bad = e->line;
	}
	if (rc == -1) {
		mcp_lock_free(lk);
		lk->bad = bad;
	}
	return rc;
}

void
mcp_lock_error(
    char *out, size_t outlen, const char *path, const struct mcp_lock *lk, const char *err)
{
	if (lk->bad > 0)
		snprintf(out, outlen, "%s:%zu: %s", path, lk->bad, err);
	else
		snprintf(out, outlen, "%s: %s", path, err);
}

void
mcp_lock_free(struct mcp_lock *lk)
{
	size_t i;

	for (i = 0; i < lk->n; i++) {
		cJSON_Delete(lk->v[i].list);
		cJSON_Delete(lk->v[i].meta);
		free(lk->v[i].lines);
	}
	free(lk->v);
	memset(lk, 0, sizeof(*lk));
}

/* ---- the check --------------------------------------------------------------------------- */

/* The entry of slug, kind and region: the region's own, else every region's; -1 for none. */
static long
find_ent(const struct mcp_lock *lk, const char *slug, int k, const char *region)
{
	long every = -1;
	size_t i;

	for (i = 0; i < lk->n; i++) {
		if (strcmp(lk->v[i].slug, slug) != 0 || (int)lk->v[i].kind != k)
			continue;
		if (strcmp(lk->v[i].region, region) == 0)
			return (long)i;
		if (lk->v[i].region[0] == '\0' && every < 0)
			every = (long)i;
	}
	return every;
}

/* The line of item name in e, else the entry's. */
static size_t
item_line(const struct mcp_lock_ent *e, const char *name)
{
	const cJSON *it;
	size_t i = 0;

	cJSON_ArrayForEach(it, e->list)
	{
		if (name != NULL && strcmp(mcp_json_str(it, key_of(e->kind), ""), name) == 0 &&
		    i < e->nitems)
			return e->lines[i];
		i++;
	}
	return e->line;
}

/* Each change as JSON, its words and its line in the lock. */
static cJSON *
changes_of(const struct mcp_lock_ent *e, const struct mcp_diff *d)
{
	static const char *const item[] = {"tool", "resource", "prompt"};
	struct mcp_buf b = {0};
	cJSON *a = mcp_diff_json(d), *c;
	const char *s, *nl;
	char *t;

	if (a == NULL || mcp_diff_text(d, &b) == -1) {
		mcp_buf_free(&b);
		cJSON_Delete(a);
		return NULL;
	}
	s = b.p;
	cJSON_ArrayForEach(c, a)
	{
		cJSON_AddNumberToObject(
		    c, "line", (double)item_line(e, mcp_json_str(c, item[e->kind], NULL)));
		/* mcp_diff_text: a line a change, in order, after its class in 9 and a space. */
		if (s == NULL || (nl = strchr(s, '\n')) == NULL || nl - s <= 10)
			continue;
		if ((t = strndup(s + 10, (size_t)(nl - s - 10))) != NULL)
			cJSON_AddStringToObject(c, "text", t);
		free(t);
		s = nl + 1;
	}
	mcp_buf_free(&b);
	return a;
}

/* The list of hash that ans holds, checked against its hash; NULL if none. */
static const cJSON *
served_list(const cJSON *ans, const char *hash, int k)
{
	const cJSON *l =
	    cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ans, "lists"), hash);
	char h[MCP_HASH_LEN], err[128];

	if (!cJSON_IsArray(l) || mcp_list_hash(l, key_of(k), h, err, sizeof(err)) == -1 ||
	    strcmp(h, hash) != 0)
		return NULL;
	return l;
}

/* The result of entry e and a served hash, made at its first region. */
static cJSON *
result_of(cJSON *results, const struct mcp_lock_ent *e, const char *hash, int *fresh)
{
	cJSON *r;

	*fresh = 0;
	cJSON_ArrayForEach(r, results)
	{
		if (strcmp(mcp_json_str(r, "slug", ""), e->slug) == 0 &&
		    strcmp(mcp_json_str(r, "kind", ""), kinds[e->kind]) == 0 &&
		    strcmp(mcp_json_str(r, "served", ""), hash) == 0 &&
		    (int)mcp_json_num(r, "line") == (int)e->line)
			return r;
	}
	*fresh = 1;
	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "slug", e->slug);
	cJSON_AddStringToObject(r, "kind", kinds[e->kind]);
	cJSON_AddStringToObject(r, "locked", e->hash[0] != '\0' ? e->hash : "none");
	cJSON_AddStringToObject(r, "served", hash);
	cJSON_AddNumberToObject(r, "line", (double)e->line);
	cJSON_AddArrayToObject(r, "regions");
	cJSON_AddItemToArray(results, r);
	return r;
}

/*
 * 1 for an entry no person approved (first sight, or held) whose items'
 * text the rules judge high or medium (mcp-rules(7)), its findings in s;
 * 0 when it is not such an entry, -1 out of memory.  A lock written
 * before the rules, or by hand, is judged alike.
 */
static int
held_scan(const struct mcp_lock_ent *e, struct mcp_scan *s)
{
	enum mcp_sev w;

	if (e->meta == NULL ||
	    (strcmp(mcp_json_str(e->meta, "source", ""), "approved") == 0 &&
	        mcp_json_str(e->meta, "by", "")[0] != '\0'))
		return 0;
	if (mcp_scan_list(s, e->kind, e->list) == -1)
		return -1;
	w = mcp_scan_worst(s);
	return w == MCP_SEV_HIGH || w == MCP_SEV_MEDIUM;
}

/* A held entry (held_scan): r said "held", with its worst and rules; as held_scan returns. */
static int
held(cJSON *r, const struct mcp_lock_ent *e)
{
	struct mcp_scan s = {0};
	cJSON *f, *a;
	enum mcp_sev w;
	size_t i;
	int rc = held_scan(e, &s);

	w = mcp_scan_worst(&s);
	if (rc == 1) {
		cJSON_AddStringToObject(r, "state", "held");
		f = cJSON_AddObjectToObject(r, "findings");
		cJSON_AddStringToObject(f, "worst", mcp_sev_name(w));
		a = cJSON_AddArrayToObject(f, "rules");
		for (i = 0; i < mcp_scan_nrules; i++)
			if (s.rules & (1UL << i))
				cJSON_AddItemToArray(a, cJSON_CreateString(mcp_scan_rules[i].id));
		rc = 1;
	}
	mcp_scan_free(&s);
	return rc;
}

/* Judge r: e's list against the list served. */
static int
judge(cJSON *r, const struct mcp_lock_ent *e, const cJSON *ans, char *err, size_t len)
{
	const char *hash = mcp_json_str(r, "served", "");
	const cJSON *to = served_list(ans, hash, e->kind);
	struct mcp_diff d;
	enum mcp_change_class w;
	cJSON *ch = NULL;
	int rc = 0;

	if ((rc = held(r, e)) != 0)
		return rc == 1 ? 0 : fail(err, len, "out of memory");
	if (strcmp(e->hash, hash) == 0) {
		cJSON_AddStringToObject(r, "state", "matches");
		return 0;
	}
	if (to == NULL) {
		cJSON_AddStringToObject(r, "state", "not_kept");
		return 0;
	}
	memset(&d, 0, sizeof(d));
	if (mcp_diff_lists(e->kind, e->list, to, &d, err, len) == -1 ||
	    (ch = changes_of(e, &d)) == NULL) {
		rc = fail(err, len, "out of memory");
	} else {
		w = mcp_diff_worst(&d);
		cJSON_AddStringToObject(r, "state",
		    w == MCP_CH_BREAKING || w == MCP_CH_REVIEW ? "differs" : "compatible");
		cJSON_AddStringToObject(
		    r, "class", w == MCP_CH_NCLASS ? "none" : mcp_change_class_name(w));
		cJSON_AddItemToObject(r, "changes", ch);
		cJSON_AddNumberToObject(r, "more", (double)d.more);
	}
	mcp_diff_free(&d);
	return rc;
}

void
mcp_lock_add_sorted(cJSON *a, const char *s)
{
	cJSON *e = cJSON_CreateString(s);
	char *t;

	/* Added last, then moved to its place by swapping the texts. */
	cJSON_AddItemToArray(a, e);
	for (; e != NULL && e->prev != NULL && e != a->child &&
	     strcmp(e->prev->valuestring, e->valuestring) > 0;
	     e = e->prev) {
		t = e->prev->valuestring;
		e->prev->valuestring = e->valuestring;
		e->valuestring = t;
	}
}

/* Results by their line in the lock, then their first region. */
static int
res_cmp(const void *x, const void *y)
{
	const cJSON *a = *(cJSON *const *)x, *b = *(cJSON *const *)y;
	double la = mcp_json_num(a, "line"), lb = mcp_json_num(b, "line");
	const cJSON *ra = cJSON_GetArrayItem(cJSON_GetObjectItem(a, "regions"), 0),
	            *rb = cJSON_GetArrayItem(cJSON_GetObjectItem(b, "regions"), 0);

	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(ra != NULL ? ra->valuestring : "", rb != NULL ? rb->valuestring : "");
}

static void
sort_results(cJSON *arr)
{
	size_t n = (size_t)cJSON_GetArraySize(arr), i;
	cJSON **v = calloc(n + 1, sizeof(*v));

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		v[i] = cJSON_DetachItemFromArray(arr, 0);
	qsort(v, n, sizeof(*v), res_cmp);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, v[i]);
	free(v);
}

/* Check one slug's answer; each entry no region served said too. */
static int
check_slug(const struct mcp_lock *lk, const char *slug, const cJSON *ans, cJSON *results, char *err,
    size_t len)
{
	struct mcp_lock_ent none;
	const struct mcp_lock_ent *e;
	const cJSON *g;
	cJSON *r;
	long i;
	int k, fresh;
	size_t j, first = 0;

	for (j = lk->n; j-- > 0;)
		if (strcmp(lk->v[j].slug, slug) == 0)
			first = lk->v[j].line;
	cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(ans, "regions"))
	{
		const char *region = mcp_json_str(g, "region", NULL),
		           *h = mcp_json_str(g, "hash", NULL);

		if (region == NULL || !mcp_slug_ok(region) || h == NULL ||
		    (k = kind_of(mcp_json_str(g, "kind", NULL))) < 0)
			continue;
		if ((i = find_ent(lk, slug, k, region)) >= 0) {
			e = &lk->v[i];
		} else {
			/* A kind the lock does not hold: an empty list, at the slug's first line. */
			memset(&none, 0, sizeof(none));
			snprintf(none.slug, sizeof(none.slug), "%s", slug);
			none.kind = k, none.line = first;
			none.list = cJSON_CreateArray();
			e = &none;
		}
		r = result_of(results, e, h, &fresh);
		mcp_lock_add_sorted(cJSON_GetObjectItem(r, "regions"), region);
		if (fresh && judge(r, e, ans, err, len) == -1)
			k = -1;
		if (e == &none)
			cJSON_Delete(none.list);
		if (k == -1)
			return -1;
	}
	return 0;
}

cJSON *
mcp_lock_check(const struct mcp_lock *lk, const cJSON *served, char *err, size_t len)
{
	cJSON *rep = cJSON_CreateObject(), *results = cJSON_AddArrayToObject(rep, "results"), *r;
	const char *state = "passes", *s;
	const cJSON *g;
	size_t i, j;

	for (i = 0; i < lk->n; i++) {
		for (j = 0; j < i && strcmp(lk->v[j].slug, lk->v[i].slug) != 0; j++)
			;
		if (j < i)
			continue;
		if (check_slug(lk, lk->v[i].slug,
		        cJSON_GetObjectItemCaseSensitive(served, lk->v[i].slug), results, err,
		        len) == -1) {
			cJSON_Delete(rep);
			return NULL;
		}
	}
	/* An entry no region serves now is said; it blocks nothing. */
	for (i = 0; i < lk->n; i++) {
		cJSON_ArrayForEach(
		    r, results) if (strcmp(mcp_json_str(r, "locked", ""), lk->v[i].hash) == 0 &&
		    (int)mcp_json_num(r, "line") == (int)lk->v[i].line) break;
		if (r != NULL)
			continue;
		r = cJSON_CreateObject();
		cJSON_AddStringToObject(r, "slug", lk->v[i].slug);
		cJSON_AddStringToObject(r, "kind", kinds[lk->v[i].kind]);
		cJSON_AddStringToObject(r, "locked", lk->v[i].hash);
		cJSON_AddNullToObject(r, "served");
		cJSON_AddNumberToObject(r, "line", (double)lk->v[i].line);
		cJSON_AddArrayToObject(r, "regions");
		g = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(served, lk->v[i].slug), "regions");
		cJSON_AddStringToObject(
		    r, "state", cJSON_GetArraySize(g) > 0 ? "not_served" : "not_known");
		cJSON_AddItemToArray(results, r);
	}
	sort_results(results);
	cJSON_ArrayForEach(r, results)
	{
		s = mcp_json_str(r, "state", "");
		if (strcmp(s, "held") == 0)
			state = "held";
		else if (strcmp(s, "differs") == 0 && strcmp(state, "held") != 0)
			state = "differs";
		else if ((strcmp(s, "not_kept") == 0 || strcmp(s, "not_known") == 0) &&
		    strcmp(state, "passes") == 0)
			state = "unknown";
	}
	cJSON_AddStringToObject(rep, "state", state);
	return rep;
}

const char *
mcp_lock_posture(const struct mcp_lock *lk, const char *slug, const char *region,
    const char *const hash[3], cJSON *differ)
{
	const char *state = "matches";
	struct mcp_scan s;
	long e, matched[3] = {-1, -1, -1};
	size_t i;
	int k, rc;

	for (i = 0; i < lk->n && strcmp(lk->v[i].slug, slug) != 0; i++)
		;
	if (i == lk->n)
		return "not_locked";
	for (k = 0; k < 3; k++) {
		/* A list not read whole has no hash: not known, so not judged. */
		if (hash[k] == NULL || hash[k][0] == '\0')
			continue;
		e = find_ent(lk, slug, k, region);
		if (e < 0 || strcmp(lk->v[e].hash, hash[k]) != 0) {
			state = "differs";
			cJSON_AddItemToArray(differ, cJSON_CreateString(kinds[k]));
		} else {
			matched[k] = e;
		}
	}
	/*
	 * Every list served as the lock has it, but one of them a held entry
	 * (held_scan: no person approved it, its text has findings): "held",
	 * as --check says, never "matches".  An entry that cannot be judged
	 * (out of memory) is not said to match either.
	 */
	for (k = 0; k < 3 && strcmp(state, "matches") == 0; k++) {
		if (matched[k] < 0)
			continue;
		memset(&s, 0, sizeof(s));
		rc = held_scan(&lk->v[matched[k]], &s);
		mcp_scan_free(&s);
		if (rc != 0)
			state = "held";
	}
	return state;
}
