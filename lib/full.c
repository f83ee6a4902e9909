/*
 * full.c - the store's memory, and the note of what it refused (full.h).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "full.h"
#include "mcp.h"
#include "store.h"

/* The figures last read; one store a process. */
static struct {
	double at;
	long long used, max;
} mem;

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The number after "NAME:" at a line's start in INFO's text, or -1. */
static long long
field(const char *s, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = s; p != NULL; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, name, n) == 0 && p[n] == ':')
			return strtoll(p + n + 1, NULL, 10);
	}
	return -1;
}

int
mcp_full_mem(
    struct mcp_store *st, int fresh, long long *used, long long *max, char *err, size_t len)
{
	const char *argv[] = {"INFO", "memory"};
	redisReply *r;
	long long u, m;
	double now = mono();

	if (!fresh && mem.at > 0 && now - mem.at < MCP_FULL_CACHE) {
		*used = mem.used, *max = mem.max;
		return 0;
	}
	if ((r = mcp_store_cmd(st, 2, argv, err, len)) == NULL)
		return -1;
	if (r->type != REDIS_REPLY_STRING) {
		snprintf(err, len, "INFO memory: %s",
		    r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply");
		freeReplyObject(r);
		return -1;
	}
	u = field(r->str, "used_memory"), m = field(r->str, "maxmemory");
	freeReplyObject(r);
	if (u < 0 || m < 0) {
		snprintf(err, len, "INFO memory: no used_memory or maxmemory");
		return -1;
	}
	mem.at = now, mem.used = *used = u, mem.max = *max = m;
	return 0;
}

int
mcp_full_oom(const redisReply *r)
{
	return r != NULL && r->type == REDIS_REPLY_ERROR && strncmp(r->str, "OOM ", 4) == 0;
}

/*
 * KEYS: mcp:store:full.  ARGV: what n now why gap ttl.  Field WHAT:
 * "FIRST LAST COUNT" of the episode (a refusal more than gap after the
 * last begins a new one), WHAT:why the last refusal's words.
 */
static const char note_lua[] =
    "#!lua flags=allow-oom\n"
    "local k, w, n, now, gap = KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), "
    "tonumber(ARGV[5])\n"
    "local first, cnt = now, 0\n"
    "local v = redis.call('HGET', k, w)\n"
    "if v then\n"
    "  local a, b, c = string.match(v, '^(%d+) (%d+) (%d+)$')\n"
    "  if a and now - tonumber(b) <= gap then first, cnt = tonumber(a), tonumber(c) end\n"
    "end\n"
    "redis.call('HSET', k, w, string.format('%d %d %d', first, math.max(now, first), cnt + n), "
    "w .. ':why', ARGV[4])\n"
    "redis.call('EXPIRE', k, ARGV[6])\n"
    "return cnt + n\n";

int
mcp_full_note(struct mcp_store *st, const char *what, long n, const char *why, double now,
    char *err, size_t len)
{
	char cnt[24], at[24], gap[16], ttl[16], w[MCP_FULL_WHY + 1];
	const char *argv[] = {"EVAL", note_lua, "1", MCP_KEY_FULL, what, cnt, at, w, gap, ttl};
	redisReply *r;
	int rc = 0;

	snprintf(cnt, sizeof(cnt), "%ld", n);
	snprintf(at, sizeof(at), "%.0f", now);
	snprintf(gap, sizeof(gap), "%d", MCP_FULL_GAP);
	snprintf(ttl, sizeof(ttl), "%d", MCP_FULL_TTL);
	snprintf(w, sizeof(w), "%s", why); /* cut: the words are the tools', never a server's */
	if ((r = mcp_store_cmd(st, 10, argv, err, len)) == NULL)
		return -1;
	if (r->type == REDIS_REPLY_ERROR) {
		snprintf(err, len, "%s: %s", MCP_KEY_FULL, r->str);
		rc = -1;
	}
	freeReplyObject(r);
	return rc;
}

/*
 * The fleet's index (mcp-store(7) "Lists").  KEYS: mcp:lists (slug ->
 * its tier and when last seen), its sizes (slug -> bytes; "" -> the
 * fleet's), its evicted (slug -> when), its counts, its pending (the
 * memory of lists admitted and not yet written).  ARGV: now ttl max tier
 * mode extra slug-max, then triples: slug, its score (now, or
 * MCP_LISTS_TIER + now for a slug not the registry's), its bytes.  The
 * slugs not seen in ttl leave the index (their lists expired).
 *
 * Mode "t" tells the bytes a put left a slug, extra the memory of the
 * lists admitted that are now written (or refused) and no longer
 * pending.  Mode "a" admits lists before they are written: the bytes are
 * the text to add, the slug counted for what it may then hold (at most
 * slug-max), and the fleet may grow by the room below the store's
 * high-water mark at most, extra percent of its maxmemory, read here
 * (INFO memory: what Redis uses now, less what other writers were
 * admitted and have not written yet; the text counted 1.25 times).  The
 * memory admitted is pending until told, or for 5 s at most.
 *
 * Then, while the fleet holds more than max (or its room), the lowest
 * scored (the registry's before the others, the least recently seen
 * first) are taken out, at most 1,000 a call.  A slug admitted is scored
 * half a second after now until told: of those seen in the same second,
 * the one whose lists are being written is the last taken out, never the
 * first for its name sorting first.  Returns {1 when room, not
 * max, was the limit, used_memory, maxmemory}, then for each slug taken
 * out: slug, bytes, registry (1 or 0), 1 when it is one admitted (its
 * lists refused, not written).  Redis runs it past maxmemory
 * (allow-oom): it writes a field a slug at most, and taking lists out is
 * what a full store needs.
 */
const char mcp_lists_index_lua[] =
    "#!lua flags=allow-oom\n"
    "local idx, sz, ev, cnt, pk = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]\n"
    "local now, ttl, max, tier = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), "
    "tonumber(ARGV[4])\n"
    "local admit, extra, smax = ARGV[5] == 'a', tonumber(ARGV[6]), tonumber(ARGV[7])\n"
    "local total = tonumber(redis.call('HGET', sz, '') or '0')\n"
    "local used, mmax = 0, 0\n"
    "local function drop(s)\n"
    "  local b = tonumber(redis.call('HGET', sz, s) or '0')\n"
    "  redis.call('HDEL', sz, s)\n"
    "  redis.call('ZREM', idx, s)\n"
    "  total = total - b\n"
    "  return b\n"
    "end\n"
    "for _, lo in ipairs({0, tier}) do\n"
    "  for _, s in ipairs(redis.call('ZRANGEBYSCORE', idx, lo, '(' .. (lo + now - ttl), "
    "'LIMIT', 0, 1000)) do drop(s) end\n"
    "end\n"
    "if total < 0 then total = 0 end\n"
    "local cap, byroom = max, 0\n"
    "if admit then\n"
    "  local info = redis.call('INFO', 'memory')\n"
    "  used = tonumber(string.match(info, 'used_memory:(%d+)') or '0')\n"
    "  mmax = tonumber(string.match(info, 'maxmemory:(%d+)') or '0')\n"
    "  local pend = tonumber(redis.call('GET', pk) or '0')\n"
    "  if mmax > 0 then\n"
    "    local room = math.floor((mmax * extra / 100 - used - pend) * 4 / 5)\n"
    "    if total + room < max then cap, byroom = total + room, 1 end\n"
    "  end\n"
    "elseif extra > 0 and redis.call('DECRBY', pk, extra) <= 0 then\n"
    "  redis.call('DEL', pk)\n"
    "end\n"
    "local mine, before = {}, {}\n"
    "for i = 8, #ARGV, 3 do\n"
    "  local old = tonumber(redis.call('HGET', sz, ARGV[i]) or '0')\n"
    "  local b = tonumber(ARGV[i + 2])\n"
    "  if admit then b, mine[ARGV[i]], before[ARGV[i]] = math.min(old + b, smax), b, old end\n"
    "  total = total - old + b\n"
    "  if b > 0 then\n"
    "    redis.call('HSET', sz, ARGV[i], b)\n"
    "    redis.call('ZADD', idx, tonumber(ARGV[i + 1]) + (admit and 0.5 or 0), ARGV[i])\n"
    "  else\n"
    "    redis.call('HDEL', sz, ARGV[i])\n"
    "    redis.call('ZREM', idx, ARGV[i])\n"
    "  end\n"
    "end\n"
    "local out = {byroom, used, mmax}\n"
    "while total > cap and #out < 4003 do\n"
    "  local z = redis.call('ZRANGE', idx, 0, 0, 'WITHSCORES')\n"
    "  if #z == 0 then break end\n"
    "  local b = drop(z[1])\n"
    "  local reg = tonumber(z[2]) < tier and 1 or 0\n"
    "  out[#out + 1] = z[1]\n"
    "  out[#out + 1] = b\n"
    "  out[#out + 1] = reg\n"
    "  out[#out + 1] = mine[z[1]] and 1 or 0\n"
    "  mine[z[1]] = nil\n"
    "  redis.call('ZADD', ev, now, z[1])\n"
    "  redis.call('HINCRBY', cnt, 'slugs', 1)\n"
    "  redis.call('HINCRBY', cnt, 'bytes', b)\n"
    "  if reg == 1 then redis.call('HINCRBY', cnt, 'registry', 1) end\n"
    "  redis.call('HSET', cnt, 'last', now)\n"
    "  redis.call('EXPIRE', cnt, ttl)\n"
    "end\n"
    "local add = 0\n"
    "for s, b in pairs(mine) do add = add + b - before[s] end\n"
    "if add > 0 then\n"
    "  redis.call('INCRBY', pk, math.floor(add * 5 / 4))\n"
    "  redis.call('PEXPIRE', pk, 5000)\n"
    "end\n"
    "if total < 0 or redis.call('ZCARD', idx) == 0 then total = 0 end\n"
    "redis.call('HSET', sz, '', total)\n"
    "redis.call('ZREMRANGEBYSCORE', ev, '-inf', '(' .. (now - ttl))\n"
    "redis.call('ZREMRANGEBYRANK', ev, 0, -1001)\n"
    "for _, k in ipairs({idx, sz, ev}) do redis.call('EXPIRE', k, ttl) end\n"
    "return out\n";

/*
 * A slug's lists deleted, all of them.  KEYS: lsi.  ARGV: prefix.  Returns
 * the count deleted.  Reads and DEL only: Redis 7 runs it past maxmemory
 * as it is (a script without flags is refused there only at a write that
 * may grow the store).
 */
const char mcp_lists_evict_lua[] =
    "local n = 0\n"
    "for _, x in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do\n"
    "  n = n + redis.call('DEL', ARGV[1] .. 'ls:' .. string.sub(x, 3))\n"
    "end\n"
    "redis.call('DEL', KEYS[1])\n"
    "return n\n";

long
mcp_full_relieve(struct mcp_store *st, double now, char *err, size_t len)
{
	char a[5][32], pre[MCP_SLUG_MAX + 16], lsi[MCP_SLUG_MAX + 16];
	/* ARGV: now ttl max tier mode extra slug-max; the bound is the room's here. */
	const char *argv[] = {"EVAL", mcp_lists_index_lua, "5", MCP_KEY_LISTS, MCP_KEY_LISTS_SIZE,
	    MCP_KEY_LISTS_EVICTED, MCP_KEY_LISTS_COUNT, MCP_KEY_LISTS_PENDING, a[0], a[1], a[2],
	    a[3], "a", a[4], a[2]};
	redisReply *r, *d;
	size_t i;
	long n = 0;

	snprintf(a[0], sizeof(a[0]), "%.0f", now);
	snprintf(a[1], sizeof(a[1]), "%d", MCP_LISTS_TTL);
	snprintf(a[2], sizeof(a[2]), "%lld", 1LL << 50);
	snprintf(a[3], sizeof(a[3]), "%lld", (long long)MCP_LISTS_TIER);
	snprintf(a[4], sizeof(a[4]), "%d", MCP_FULL_HIGH);
	if ((r = mcp_store_cmd(st, 15, argv, err, len)) == NULL)
		return -1;
	if (r->type != REDIS_REPLY_ARRAY) {
		snprintf(err, len, "%s: %s", MCP_KEY_LISTS,
		    r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply");
		freeReplyObject(r);
		return -1;
	}
	for (i = 3; i + 3 < r->elements; i += 4) {
		const char *ev[] = {"EVAL", mcp_lists_evict_lua, "1", lsi, pre};

		if (r->element[i]->type != REDIS_REPLY_STRING)
			continue;
		snprintf(lsi, sizeof(lsi), "mcp:{%s}:lsi", r->element[i]->str);
		snprintf(pre, sizeof(pre), "mcp:{%s}:", r->element[i]->str);
		if ((d = mcp_store_cmd(st, 5, ev, err, len)) == NULL)
			break;
		freeReplyObject(d);
		n++;
	}
	freeReplyObject(r);
	mem.at = 0; /* read again: what was freed */
	return n;
}
