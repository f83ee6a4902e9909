/*
 * lists.c - the canonical text of a list and its hash, the bounds of
 * what is kept (lists.h), and the script that puts a list in the store.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "full.h"
#include "json.h"
#include "lists.h"

static const char *const words[AGG_LIST_KINDS] = {"tools", "resources", "prompts"};
static const char letters[AGG_LIST_KINDS] = {'t', 'r', 'p'};

char
agg_list_letter(enum mcp_list_kind k)
{
	return letters[k];
}

const char *
agg_list_word(enum mcp_list_kind k)
{
	return words[k];
}

int
agg_list_kind(const char *s)
{
	int i;

	for (i = 0; i < AGG_LIST_KINDS; i++)
		if (strcmp(s, words[i]) == 0 || (s[0] == letters[i] && s[1] == '\0'))
			return i;
	return -1;
}

static int
fail(char *err, size_t len, const char *why)
{
	snprintf(err, len, "%s", why);
	return -1;
}

int
agg_list_canon(
    enum mcp_list_kind k, const cJSON *arr, struct mcp_buf *out, char *hash, char *err, size_t len)
{
	if (!cJSON_IsArray(arr))
		return fail(err, len, "not an array");
	/* The probe's own canonical form (lib/hash.c), so the hashes agree. */
	mcp_buf_reset(out);
	if (mcp_list_jcs(arr, k == MCP_LIST_RESOURCES ? "uri" : "name", out, err, len) == -1)
		return -1;
	if (mcp_sha256_tag(out->p, out->len, hash) == -1)
		return fail(err, len, "SHA-256 failed");
	return 0;
}

int
agg_list_carried(const cJSON *rec)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(rec, "detail");
	const char *step = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "step"));
	int k;

	if (step == NULL || strcmp(step, "tools_list") != 0 || !cJSON_IsObject(d))
		return 0;
	for (k = 0; k < AGG_LIST_KINDS; k++)
		if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(d, words[k])))
			return 1;
	return 0;
}

const char *
agg_list_hex(const char *hash)
{
	size_t i;

	if (hash == NULL || strncmp(hash, "sha256:", 7) != 0 || strlen(hash) != 71)
		return NULL;
	for (i = 7; i < 71; i++)
		if (!((hash[i] >= '0' && hash[i] <= '9') || (hash[i] >= 'a' && hash[i] <= 'f')))
			return NULL;
	return hash + 7;
}

cJSON *
agg_list_parse(enum mcp_list_kind k, const char *hash, const char *text, size_t n, const char **why)
{
	char h[MCP_HASH_LEN];
	cJSON *a;

	(void)k;
	*why = "not_kept";
	if (text == NULL)
		return NULL;
	*why = "bad_content";
	/* The store's text is trusted no more than a server's: it must hash to its key. */
	if (mcp_sha256_tag(text, n, h) == -1 || strcmp(h, hash) != 0)
		return NULL;
	if ((a = cJSON_ParseWithLength(text, n)) == NULL || !cJSON_IsArray(a)) {
		cJSON_Delete(a);
		return NULL;
	}
	return a;
}

cJSON *
agg_list_change(enum mcp_list_kind k, const cJSON *from, const cJSON *to)
{
	struct mcp_diff d;
	char err[128];
	cJSON *s;

	memset(&d, 0, sizeof(d));
	if (mcp_diff_lists(k, from, to, &d, err, sizeof(err)) == -1)
		return NULL;
	s = mcp_diff_summary(&d, AGG_SUMMARY_ITEMS, AGG_SUMMARY_BYTES);
	mcp_diff_free(&d);
	return s;
}

/*
 * Put a list.  KEYS: lsi ls:HEX lf.  ARGV: member (KIND:HEX) now text ttl
 * prefix max-lists max-bytes, the list's findings as the rules judge its
 * text here ("COUNT WORST RULES", findings.c) and those named in full
 * (JSON, '' for none).  The list's key is written, its findings kept in
 * lf (field HEX, and f:HEX; u:HEX, why it was not kept before, deleted),
 * its member scored now; then the members seen more than ttl ago are trimmed, and the
 * oldest seen evicted (its key deleted unless another kind's member names
 * the same text) until at most max-lists and max-bytes are kept.  Returns
 * the count evicted and the bytes the slug keeps, for the fleet's index
 * (agg_lists_fleet).
 */
const char agg_lists_put_lua[] =
    "local lsi, m, now, ttl, pre = KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[4]), "
    "ARGV[5]\n"
    "redis.call('SET', KEYS[2], ARGV[3], 'EX', ttl)\n"
    "local hx = string.sub(m, 3)\n"
    "redis.call('HSET', KEYS[3], hx, ARGV[8])\n"
    "redis.call('HDEL', KEYS[3], 'u:' .. hx)\n"
    "if ARGV[9] ~= '' then redis.call('HSET', KEYS[3], 'f:' .. hx, ARGV[9])\n"
    "else redis.call('HDEL', KEYS[3], 'f:' .. hx) end\n"
    "redis.call('EXPIRE', KEYS[3], ttl)\n"
    "redis.call('ZADD', lsi, now, m)\n"
    "redis.call('ZREMRANGEBYSCORE', lsi, '-inf', '(' .. (now - ttl))\n"
    "redis.call('EXPIRE', lsi, ttl)\n"
    "local all = redis.call('ZRANGE', lsi, 0, -1)\n"
    "local size, total = {}, 0\n"
    "for i, x in ipairs(all) do\n"
    "  size[i] = redis.call('STRLEN', pre .. 'ls:' .. string.sub(x, 3))\n"
    "  total = total + size[i]\n"
    "end\n"
    "local n, out = #all, 0\n"
    "for i, x in ipairs(all) do\n"
    "  if n <= tonumber(ARGV[6]) and total <= tonumber(ARGV[7]) then break end\n"
    "  if x ~= m then\n"
    "    redis.call('ZREM', lsi, x)\n"
    "    n, total, out = n - 1, total - size[i], out + 1\n"
    "    local hex, used = string.sub(x, 3), false\n"
    "    for _, k in ipairs({'t', 'r', 'p'}) do\n"
    "      if redis.call('ZSCORE', lsi, k .. ':' .. hex) then used = true end\n"
    "    end\n"
    "    if not used then\n"
    "      redis.call('DEL', pre .. 'ls:' .. hex)\n"
    "      redis.call('HDEL', KEYS[3], hex, 'f:' .. hex)\n"
    "    end\n"
    "  end\n"
    "end\n"
    "return {out, total}\n";

long long
agg_lists_max(void)
{
	const char *e = getenv("MCP_LISTS_MAX");
	char *end;
	unsigned long long v;
	static int said;

	if (e == NULL || *e == '\0')
		return AGG_LISTS_MAX;
	errno = 0;
	v = strtoull(e, &end, 10);
	if (*end == 'k' || *end == 'K')
		v <<= 10, end++;
	else if (*end == 'M')
		v <<= 20, end++;
	else if (*end == 'G')
		v <<= 30, end++;
	if (errno != 0 || end == e || *end != '\0' || e[0] == '-' || v > (1ULL << 50)) {
		if (!said++)
			warnx("MCP_LISTS_MAX: %s: not a size in bytes (K, M, G): %lld bytes "
			      "kept",
			    e, (long long)AGG_LISTS_MAX);
		return AGG_LISTS_MAX;
	}
	return (long long)v;
}

/* The keys of the fleet's index, in the order its script takes them. */
static const char *const fleet_keys[] = {AGG_KEY_LISTS, AGG_KEY_LISTS_SIZE, AGG_KEY_LISTS_EVICTED,
    AGG_KEY_LISTS_COUNT, MCP_KEY_LISTS_PENDING};
#define NKEYS (sizeof(fleet_keys) / sizeof(fleet_keys[0]))

/*
 * The index's script (full.h) run on v, mode "t" or "a", extra its ARGV:
 * its reply, or NULL after a warning.
 */
static redisReply *
fleet_call(struct mcp_store *st, const struct agg_lput *v, size_t n, long long now,
    const char *mode, long long extra)
{
	const char **argv;
	size_t *len, i, k = 0;
	char(*num)[24], a[6][24], nk[8], err[256];
	redisReply *r = NULL;

	argv = calloc(10 + NKEYS + 3 * n, sizeof(*argv));
	len = calloc(10 + NKEYS + 3 * n, sizeof(*len));
	num = calloc(2 * n + 1, sizeof(*num));
	if (argv == NULL || len == NULL || num == NULL) {
		warnx("lists: the fleet's index: out of memory");
		goto out;
	}
	snprintf(nk, sizeof(nk), "%zu", NKEYS);
	snprintf(a[0], sizeof(a[0]), "%lld", now);
	snprintf(a[1], sizeof(a[1]), "%d", AGG_TTL_LONG);
	snprintf(a[2], sizeof(a[2]), "%lld", agg_lists_max());
	snprintf(a[3], sizeof(a[3]), "%lld", (long long)AGG_LIST_TIER);
	snprintf(a[4], sizeof(a[4]), "%lld", extra);
	snprintf(a[5], sizeof(a[5]), "%d", AGG_LIST_SLUG_BYTES);
	argv[k++] = "EVAL", argv[k++] = mcp_lists_index_lua, argv[k++] = nk;
	for (i = 0; i < NKEYS; i++)
		argv[k++] = fleet_keys[i];
	for (i = 0; i < 4; i++)
		argv[k++] = a[i];
	argv[k++] = mode, argv[k++] = a[4], argv[k++] = a[5];
	for (i = 0; i < n; i++) {
		snprintf(
		    num[2 * i], sizeof(num[0]), "%lld", now + (v[i].registry ? 0 : AGG_LIST_TIER));
		snprintf(num[2 * i + 1], sizeof(num[0]), "%lld", v[i].bytes);
		argv[k++] = v[i].slug, argv[k++] = num[2 * i], argv[k++] = num[2 * i + 1];
	}
	for (i = 0; i < k; i++)
		len[i] = strlen(argv[i]);
	if (mcp_store_appendv(st, (int)k, argv, len) == -1 ||
	    mcp_store_read(st, &r, 1, err, sizeof(err)) == -1) {
		warnx("redis: lists: the fleet's index: %s", err);
		r = NULL;
		goto out;
	}
	if (r->type != REDIS_REPLY_ARRAY || r->elements < 3) {
		warnx("redis: lists: the fleet's index: %s",
		    r->type == REDIS_REPLY_ERROR ? r->str : "bad reply");
		freeReplyObject(r);
		r = NULL;
	}
out:
	free(argv);
	free(len);
	free(num);
	return r;
}

/* What the index took out (an index reply). */
struct taken {
	size_t slugs, reg, refused;
	long long bytes, lists, used, max;
	int byroom;
};

/*
 * The lists of the slugs the index took out deleted, in one round trip;
 * each slug refused marked in v.  0, or -1 after a warning.
 */
static int
fleet_evict(
    struct mcp_store *st, const redisReply *r, struct agg_lput *v, size_t n, struct taken *t)
{
	char err[256], pre[MCP_SLUG_MAX + 64], lsi[MCP_SLUG_MAX + 64];
	const redisReply *e;
	size_t i, j, nv = 0;

	memset(t, 0, sizeof(*t));
	t->byroom = r->element[0]->type == REDIS_REPLY_INTEGER && r->element[0]->integer == 1;
	t->used = r->element[1]->type == REDIS_REPLY_INTEGER ? r->element[1]->integer : 0;
	t->max = r->element[2]->type == REDIS_REPLY_INTEGER ? r->element[2]->integer : 0;
	for (i = 3; i + 3 < r->elements; i += 4) {
		const char *ev[] = {"EVAL", mcp_lists_evict_lua, "1", lsi, pre};

		e = r->element[i];
		if (e->type != REDIS_REPLY_STRING)
			continue;
		if (r->element[i + 3]->integer == 1) {
			for (j = 0; j < n; j++)
				if (strcmp(v[j].slug, e->str) == 0)
					v[j].refused = 1;
			t->refused++;
		}
		agg_key(lsi, sizeof(lsi), e->str, "lsi", -1);
		agg_key(pre, sizeof(pre), e->str, "", -1);
		mcp_store_appendv(st, 5, ev, NULL);
		t->bytes += r->element[i + 1]->integer;
		t->reg += r->element[i + 2]->integer == 1;
		t->slugs++, nv++;
	}
	for (i = 0; i < nv; i++) {
		redisReply *d;

		if (mcp_store_read(st, &d, 1, err, sizeof(err)) == -1) {
			warnx("redis: lists: eviction: %s", err);
			return -1;
		}
		if (d->type == REDIS_REPLY_INTEGER)
			t->lists += d->integer;
		else if (d->type == REDIS_REPLY_ERROR)
			warnx("redis: lists: eviction: %s", d->str);
		freeReplyObject(d);
	}
	return 0;
}

/* What the index evicted said, unless quiet. */
static void
fleet_said(const struct taken *t, int quiet)
{
	if (quiet || t->slugs == 0)
		return;
	if (t->byroom)
		warnx("lists: the store past its high-water mark (%lld of %lld bytes used, "
		      "%d%% of its maxmemory): %lld lists of %zu slugs evicted (%zu of them the "
		      "registry's), %lld bytes, the least recently seen first; the new lists of "
		      "%zu of them refused; see mcp-aggregate status",
		    t->used, t->max, MCP_FULL_HIGH, t->lists, t->slugs, t->reg, t->bytes,
		    t->refused);
	else
		warnx("lists: the fleet's past its bound of %lld bytes (MCP_LISTS_MAX): %lld "
		      "lists of %zu slugs evicted (%zu of them the registry's), %lld bytes, the "
		      "least recently seen first%s; see mcp-aggregate status",
		    agg_lists_max(), t->lists, t->slugs, t->reg, t->bytes,
		    t->refused > 0 ? "; the new lists of some of them refused" : "");
}

int
agg_lists_fleet(struct mcp_store *st, const struct agg_lput *v, size_t n, long long now,
    long long done, int quiet)
{
	struct taken t;
	redisReply *r;
	int rc;

	if (n == 0 && done <= 0)
		return 0;
	if ((r = fleet_call(st, v, n, now, "t", done)) == NULL)
		return -1;
	rc = fleet_evict(st, r, NULL, 0, &t);
	freeReplyObject(r);
	fleet_said(&t, quiet);
	return rc;
}

/*
 * The slugs v refused, by name, as many as fit in buf, then how many
 * more (of refused in all): who waits.
 */
static void
refused_names(const struct agg_lput *v, size_t n, size_t refused, char *buf, size_t len)
{
	size_t i, u = 0, said = 0;

	buf[0] = '\0';
	for (i = 0; v != NULL && i < n; i++) {
		if (!v[i].refused || u + strlen(v[i].slug) + 24 >= len)
			continue;
		u += (size_t)snprintf(buf + u, len - u, "%s%s", said ? ", " : "", v[i].slug);
		said++;
	}
	if (refused > said)
		snprintf(buf + u, len - u, "%s%zu more", said ? ", and " : "", refused - said);
}

int
agg_lists_admit(struct mcp_store *st, struct agg_lput *v, size_t n, long long now, int fresh,
    int quiet, long long *pending)
{
	long long used = 0, max = 0;
	char why[MCP_FULL_WHY + 64], err[256];
	struct taken t;
	redisReply *r;
	size_t i;
	int rc;

	*pending = 0;
	for (i = 0; i < n; i++)
		v[i].refused = 0;
	/* With nothing to admit, a script only when INFO (kept a moment) says the store is past its mark. */
	if (n == 0 &&
	    (mcp_full_mem(st, fresh, &used, &max, err, sizeof(err)) == -1 || max == 0 ||
	        used <= max / 100 * MCP_FULL_HIGH))
		return 0;
	if ((r = fleet_call(st, v, n, now, "a", MCP_FULL_HIGH)) == NULL) {
		for (i = 0; i < n; i++)
			v[i].refused = 1;
		return -1;
	}
	rc = fleet_evict(st, r, v, n, &t);
	freeReplyObject(r);
	for (i = 0; i < n; i++)
		*pending += v[i].refused ? 0 : v[i].bytes * 5 / 4;
	fleet_said(&t, quiet);
	if (t.byroom && t.refused > 0) {
		char names[160];

		refused_names(v, n, t.refused, names, sizeof(names));
		snprintf(why, sizeof(why),
		    "the lists of %zu slugs (%s), the store past %d%% of its maxmemory (%lld of "
		    "%lld bytes used): their new lists wait unread, held for review until a "
		    "person answers",
		    t.refused, names, MCP_FULL_HIGH, t.used, t.max);
		if (mcp_full_note(st, "lists", (long)t.refused, why, mcp_now(), err, sizeof(err)) ==
		        -1 &&
		    !quiet)
			warnx("redis: %s", err);
	}
	return rc;
}

void
agg_lists_relieve(struct mcp_store *st, long long now, int fresh, int quiet)
{
	long long pending;

	agg_lists_admit(st, NULL, 0, now, fresh, quiet, &pending);
}

int
agg_full_show(struct mcp_store *st, char *err, size_t len)
{
	const char *a[] = {"HGETALL", MCP_KEY_FULL};
	char key[64], t0[32], t1[32];
	const char *f, *v, *why;
	double first, last;
	long n;
	redisReply *r;
	size_t i, j;

	if ((r = mcp_store_cmd(st, 2, a, err, len)) == NULL)
		return -1;
	for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
		f = r->element[i]->str, v = r->element[i + 1]->str;
		if (f == NULL || v == NULL || strchr(f, ':') != NULL ||
		    sscanf(v, "%lf %lf %ld", &first, &last, &n) != 3)
			continue;
		snprintf(key, sizeof(key), "%s:why", f);
		for (why = "", j = 0; j + 1 < r->elements; j += 2)
			if (r->element[j]->str != NULL && strcmp(r->element[j]->str, key) == 0 &&
			    r->element[j + 1]->str != NULL)
				why = r->element[j + 1]->str;
		mcp_iso8601(first, t0, sizeof(t0));
		mcp_iso8601(last, t1, sizeof(t1));
		warnx("store: %s refused for want of memory, %ld since %s, the last at %s (%s); "
		      "see mcp-store(7), A full store",
		    f, n, t0, t1, why);
	}
	freeReplyObject(r);
	return 0;
}

int
agg_lists_show(struct mcp_store *st, char *err, size_t len)
{
	const char *a0[] = {"HMGET", AGG_KEY_LISTS_COUNT, "slugs", "registry", "bytes", "last"};
	const char *a1[] = {"HGET", AGG_KEY_LISTS_SIZE, ""};
	const char *a2[] = {"ZREVRANGE", AGG_KEY_LISTS_EVICTED, "0", "4"};
	redisReply *r, *y = NULL, *z = NULL;
	char at[32], names[5 * (MCP_SLUG_MAX + 2) + 1] = "";
	size_t i, n = 0;
	int rc = -1;

	if ((r = mcp_store_cmd(st, 6, a0, err, len)) == NULL ||
	    (z = mcp_store_cmd(st, 3, a1, err, len)) == NULL)
		goto out;
	if (r->type != REDIS_REPLY_ARRAY || r->elements != 4) {
		snprintf(err, len, "%s: %s", AGG_KEY_LISTS_COUNT,
		    r->type == REDIS_REPLY_ERROR ? r->str : "bad reply");
		goto out;
	}
	rc = 0;
	if (r->element[0]->type != REDIS_REPLY_STRING)
		goto out; /* none evicted in the 31 days before the last eviction */
	mcp_iso8601(
	    strtod(r->element[3]->type == REDIS_REPLY_STRING ? r->element[3]->str : "0", NULL), at,
	    sizeof(at));
	if ((y = mcp_store_cmd(st, 4, a2, err, len)) == NULL)
		goto out;
	for (i = 0; y->type == REDIS_REPLY_ARRAY && i < y->elements && n < sizeof(names); i++)
		n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s", i ? ", " : "",
		    y->element[i]->type == REDIS_REPLY_STRING ? y->element[i]->str : "?");
	warnx("lists: the lists of %s slugs evicted past the fleet's bound of %lld bytes "
	      "(MCP_LISTS_MAX), %s of them the registry's, %s bytes, the last at "
	      "%s (%s%s); %s bytes kept",
	    r->element[0]->str, agg_lists_max(),
	    r->element[1]->type == REDIS_REPLY_STRING ? r->element[1]->str : "0",
	    r->element[2]->type == REDIS_REPLY_STRING ? r->element[2]->str : "0", at, names,
	    y->type == REDIS_REPLY_ARRAY && y->elements == 5 ? ", ..." : "",
	    z->type == REDIS_REPLY_STRING ? z->str : "0");
out:
	freeReplyObject(r);
	freeReplyObject(y);
	freeReplyObject(z);
	return rc;
}
