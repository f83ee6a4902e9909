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
 * lf (field HEX, and f:HEX), its member scored now; then the members seen more than ttl ago are trimmed, and the
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

/*
 * The fleet's index (mcp-store(7) "Lists").  KEYS: mcp:lists (slug ->
 * its tier and when last seen), its sizes (slug -> bytes; "" -> the
 * fleet's), its evicted (slug -> when), its counts.  ARGV: now ttl max
 * keep, then pairs: slug, its score (now, or AGG_LIST_TIER + now for a
 * slug not the registry's), its bytes.  The slugs not seen in ttl leave
 * the index (their lists expired); then, while the fleet holds more than
 * max, the lowest scored (the registry's before the others, the least
 * recently seen first) are taken out, at most 1,000 a call, and returned
 * for their lists to be deleted: {slug, bytes, registry (1 or 0)} ...
 */
static const char fleet_lua[] =
    "local idx, sz, ev, cnt = KEYS[1], KEYS[2], KEYS[3], KEYS[4]\n"
    "local now, ttl, max, tier = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), "
    "tonumber(ARGV[4])\n"
    "local total = tonumber(redis.call('HGET', sz, '') or '0')\n"
    "local function drop(s)\n"
    "  local b = tonumber(redis.call('HGET', sz, s) or '0')\n"
    "  redis.call('HDEL', sz, s)\n"
    "  redis.call('ZREM', idx, s)\n"
    "  total = total - b\n"
    "  return b\n"
    "end\n"
    "for i = 5, #ARGV, 3 do\n"
    "  local b = tonumber(ARGV[i + 2])\n"
    "  total = total - tonumber(redis.call('HGET', sz, ARGV[i]) or '0') + b\n"
    "  if b > 0 then\n"
    "    redis.call('HSET', sz, ARGV[i], b)\n"
    "    redis.call('ZADD', idx, ARGV[i + 1], ARGV[i])\n"
    "  else\n"
    "    redis.call('HDEL', sz, ARGV[i])\n"
    "    redis.call('ZREM', idx, ARGV[i])\n"
    "  end\n"
    "end\n"
    "for _, lo in ipairs({0, tier}) do\n"
    "  for _, s in ipairs(redis.call('ZRANGEBYSCORE', idx, lo, '(' .. (lo + now - ttl), "
    "'LIMIT', 0, 1000)) do drop(s) end\n"
    "end\n"
    "local out = {}\n"
    "while total > max and #out < 3000 do\n"
    "  local z = redis.call('ZRANGE', idx, 0, 0, 'WITHSCORES')\n"
    "  if #z == 0 then break end\n"
    "  local b = drop(z[1])\n"
    "  out[#out + 1] = z[1]\n"
    "  out[#out + 1] = b\n"
    "  out[#out + 1] = tonumber(z[2]) < tier and 1 or 0\n"
    "  redis.call('ZADD', ev, now, z[1])\n"
    "  redis.call('HINCRBY', cnt, 'slugs', 1)\n"
    "  redis.call('HINCRBY', cnt, 'bytes', b)\n"
    "  if tonumber(z[2]) < tier then redis.call('HINCRBY', cnt, 'registry', 1) end\n"
    "  redis.call('HSET', cnt, 'last', now)\n"
    "  redis.call('EXPIRE', cnt, ttl)\n"
    "end\n"
    "if total < 0 or redis.call('ZCARD', idx) == 0 then total = 0 end\n"
    "redis.call('HSET', sz, '', total)\n"
    "redis.call('ZREMRANGEBYSCORE', ev, '-inf', '(' .. (now - ttl))\n"
    "redis.call('ZREMRANGEBYRANK', ev, 0, -1001)\n"
    "for _, k in ipairs({idx, sz, ev}) do redis.call('EXPIRE', k, ttl) end\n"
    "return out\n";

/*
 * A slug's lists deleted, all of them.  KEYS: lsi.  ARGV: prefix.  Returns
 * the count deleted.
 */
static const char evict_lua[] =
    "local n = 0\n"
    "for _, x in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do\n"
    "  n = n + redis.call('DEL', ARGV[1] .. 'ls:' .. string.sub(x, 3))\n"
    "end\n"
    "redis.call('DEL', KEYS[1])\n"
    "return n\n";

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

/* The keys of the fleet's index, in the order fleet_lua takes them. */
static const char *const fleet_keys[] = {
    AGG_KEY_LISTS, AGG_KEY_LISTS_SIZE, AGG_KEY_LISTS_EVICTED, AGG_KEY_LISTS_COUNT};

int
agg_lists_fleet(struct mcp_store *st, const struct agg_lput *v, size_t n, long long now, int quiet)
{
	const char **argv;
	size_t *len, i, k = 0, nv = 0, nreg = 0;
	char(*num)[24], a[4][24], err[256], pre[MCP_SLUG_MAX + 64], lsi[MCP_SLUG_MAX + 64];
	redisReply *r = NULL, *e;
	long long bytes = 0, lists = 0, max = agg_lists_max();
	int rc = -1;

	if (n == 0)
		return 0;
	argv = calloc(7 + 4 + 3 * n, sizeof(*argv));
	len = calloc(7 + 4 + 3 * n, sizeof(*len));
	num = calloc(2 * n, sizeof(*num));
	if (argv == NULL || len == NULL || num == NULL)
		goto out;
	snprintf(a[0], sizeof(a[0]), "%lld", now);
	snprintf(a[1], sizeof(a[1]), "%d", AGG_TTL_LONG);
	snprintf(a[2], sizeof(a[2]), "%lld", max);
	snprintf(a[3], sizeof(a[3]), "%lld", (long long)AGG_LIST_TIER);
	argv[k++] = "EVAL", argv[k++] = fleet_lua, argv[k++] = "4";
	for (i = 0; i < 4; i++)
		argv[k++] = fleet_keys[i];
	for (i = 0; i < 4; i++)
		argv[k++] = a[i];
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
		goto out;
	}
	if (r->type != REDIS_REPLY_ARRAY) {
		warnx("redis: lists: the fleet's index: %s",
		    r->type == REDIS_REPLY_ERROR ? r->str : "bad reply");
		goto out;
	}
	/* The evicted slugs' lists deleted, in one round trip. */
	for (i = 0; i + 2 < r->elements; i += 3) {
		const char *ev[] = {"EVAL", evict_lua, "1", lsi, pre};

		e = r->element[i];
		if (e->type != REDIS_REPLY_STRING)
			continue;
		agg_key(lsi, sizeof(lsi), e->str, "lsi", -1);
		agg_key(pre, sizeof(pre), e->str, "", -1);
		mcp_store_appendv(st, 5, ev, NULL);
		bytes += r->element[i + 1]->integer;
		nreg += r->element[i + 2]->integer == 1;
		nv++;
	}
	for (i = 0; i < nv; i++) {
		redisReply *d;

		if (mcp_store_read(st, &d, 1, err, sizeof(err)) == -1) {
			warnx("redis: lists: eviction: %s", err);
			goto out;
		}
		if (d->type == REDIS_REPLY_INTEGER)
			lists += d->integer;
		else if (d->type == REDIS_REPLY_ERROR)
			warnx("redis: lists: eviction: %s", d->str);
		freeReplyObject(d);
	}
	if (nv > 0 && !quiet)
		warnx("lists: the fleet's past its bound of %lld bytes (MCP_LISTS_MAX): %lld "
		      "lists of %zu slugs evicted (%zu of them the registry's), %lld bytes, the "
		      "least recently seen first; see mcp-aggregate status",
		    max, lists, nv, nreg, bytes);
	rc = 0;
out:
	freeReplyObject(r);
	free(argv);
	free(len);
	free(num);
	return rc;
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
