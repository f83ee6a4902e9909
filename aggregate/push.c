/*
 * push.c - mcp-aggregate push: probe records on stdin into the store, one
 * Lua call per result (first writer wins, and only a stored result counts
 * in the latency histograms), pipelined in batches; a local spool when
 * Redis cannot be reached, replayed by the next push.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aggregate.h"
#include "audit.h"
#include "json.h"
#include "lists.h"
#include "push.h"
#include "loop.h"
#include "mcp.h"
#include "reslua.h"

/*
 * KEYS: rs:HOUR seen hash drift lat:HOUR latsum latidx meta cert codes
 * res:W.  ARGV: region value started window hash|'' bucket|'' ttl-short
 * ttl-long hour lat-prefix host|'' now cert-expiry|'' slot prefix
 * token-id|'', and ARGV[23] the newest window decided (-1: none known).
 * Returns 1 when stored, 0 for a late duplicate of (slug, region,
 * window), which changes nothing, and 2 for another result of a window
 * already stored, raw or folded, which changes nothing either but is kept
 * among the window's contested results (audit.h).  With a token's ID, the
 * token that wrote a result stored is kept beside it, apart when its
 * window was decided already (audit.h).  The tool-list id a slot keeps is
 * the slug's for the full hash (PUSH_IDS_LUA).
 *
 * The result goes into its 7-byte slot of rs:HOUR (lib/reslua.h), the
 * region's 420 bytes written whole the first time; a result of the same
 * window already in a layout of before (the 16-byte slots of rh:HOUR, a
 * runner not yet upgraded; res:W) stands too, until those keys have
 * expired.  rh:HOUR is named from the prefix: it may exist nowhere.
 *
 * Every trim is cut from the clock (now), not from the start of a result:
 * a start is at most AGG_SKEW ahead of the clock, but no start, however
 * wrong, may take the entries of the other regions with it.
 *
 * meta keeps the host of the latest result by start ("host_at"), so a
 * result pushed late (a slow region, the spool) does not bring back an
 * old host; cert keeps each region's latest certificate expiry the same
 * way, "STARTED EXPIRY", and forgets the regions silent for 25 hours once
 * it holds more than 16.
 *
 * A key's expiry is set when its region's slot string of the hour is new
 * (its first result of the hour: "fresh") or when the write may have made
 * the key, to its TTL counted from the end of the hour (the clock's, or the
 * result's when later): once a region-hour, not once a result, and never
 * sooner than its TTL after the latest result.  The trims of seen, cert and
 * drift are made then too: what they cut is read by no one in the hour
 * they stay (the verdict reads seen of 24 hours and drift of its window).
 *
 * latsum is the sum of the hourly latency histograms lat:X of the hours
 * [hour - 23, hour], "hour" the newest, "n" the count, "n:X" the count
 * each hour adds; latidx orders its buckets.  The newest hour is the
 * clock's, or the result's when its start is a little ahead; a newer hour
 * subtracts and deletes the hours that leave the 24; if one of them has
 * expired, the sum is built again from the hours still there.  An hour
 * older than the clock's and the one before may be folded (mcp:{SLUG}:rf,
 * fold.c): its histogram is read from the fold beside what lat:X still
 * holds (a late result), and a result of a window the fold holds for its
 * region is a duplicate, as in rs:HOUR.
 */
/*
 * The lists of a result (lists.h), after it is stored (1) or found a
 * duplicate (0), never for a conflict.  KEYS[12] lsi, KEYS[13] lhash;
 * ARGV[17] now ('' when the result names no list), ARGV[18..20] the hex
 * of its tool, resource and prompt hashes ('' for none), ARGV[21..22] its
 * resource and prompt hashes whole.  A list the store holds has its
 * member scored now (once a minute) and its key's TTL renewed (once an
 * hour); a list it lacks sets its bit (1 tools, 2 resources, 4 prompts)
 * in what is added to the reply, times 8, and push sends its text, when
 * it has it, in a second round trip (agg_lists_put_lua).  A stored
 * result's resource and prompt hashes are kept by region as the tool
 * hash is (lhash "r:REGION", "p:REGION"), a change of them a drift
 * member with a fifth field, r or p.
 */
#define PUSH_LISTS_LUA                                                                             \
	"local function push_latest(k, h)\n"                                                       \
	"  if h == '' then return end\n"                                                           \
	"  local f, t = k .. ':' .. ARGV[1], tonumber(ARGV[3])\n"                                  \
	"  local prev = redis.call('HGET', KEYS[13], f)\n"                                         \
	"  local pt, ph\n"                                                                         \
	"  if prev then\n"                                                                         \
	"    local sp = string.find(prev, ' ', 1, true)\n"                                         \
	"    pt, ph = tonumber(string.sub(prev, 1, sp - 1)), string.sub(prev, sp + 1)\n"           \
	"  end\n"                                                                                  \
	"  if not pt or t > pt then\n"                                                             \
	"    redis.call('HSET', KEYS[13], f, ARGV[3] .. ' ' .. h)\n"                               \
	"    if ph and ph ~= h then\n"                                                             \
	"      redis.call('ZADD', KEYS[4], ARGV[4],\n"                                             \
	"        ARGV[4] .. ' ' .. ARGV[1] .. ' ' .. ph .. ' ' .. h .. ' ' .. k)\n"                \
	"      redis.call('EXPIRE', KEYS[4], ARGV[7])\n"                                           \
	"    end\n"                                                                                \
	"  end\n"                                                                                  \
	"  redis.call('EXPIRE', KEYS[13], ARGV[8])\n"                                              \
	"end\n"                                                                                    \
	"local function push_lists(stored)\n"                                                      \
	"  local lsi, now, miss = KEYS[12], tonumber(ARGV[17]), 0\n"                               \
	"  for i, k in ipairs({'t', 'r', 'p'}) do\n"                                               \
	"    local hex = ARGV[17 + i]\n"                                                           \
	"    if hex ~= '' then\n"                                                                  \
	"      local m = k .. ':' .. hex\n"                                                        \
	"      local s = tonumber(redis.call('ZSCORE', lsi, m))\n"                                 \
	"      if not s then\n"                                                                    \
	"        miss = miss + 2 ^ (i - 1)\n"                                                      \
	"      elseif now - s >= 60 then\n"                                                        \
	"        redis.call('ZADD', lsi, 'GT', now, m)\n"                                          \
	"        if math.floor(now / 3600) ~= math.floor(s / 3600) then\n"                         \
	"          redis.call('EXPIRE', ARGV[15] .. 'ls:' .. hex, ARGV[8])\n"                      \
	"          redis.call('EXPIRE', lsi, ARGV[8])\n"                                           \
	"        end\n"                                                                            \
	"      end\n"                                                                              \
	"    end\n"                                                                                \
	"  end\n"                                                                                  \
	"  if stored then\n"                                                                       \
	"    push_latest('r', ARGV[21])\n"                                                         \
	"    push_latest('p', ARGV[22])\n"                                                         \
	"  end\n"                                                                                  \
	"  return miss * 8\n"                                                                      \
	"end\n"

/*
 * The slug's tool-list ids (mcp-store(7) "IDS"): a slot keeps 16 bits of
 * a tool list, and a server can grind a list to any 16 bits, so the id a
 * slot keeps is the slug's number for exactly one full hash, ARGV[5]:
 * mcp:{SLUG}:ids maps "h:HASH" -> "ID HOUR" and "i:ID" -> HASH.  A hash
 * new to the map takes the first 4 hex digits of its id (agg_hash_id)
 * when no other hash holds them, so an honest store keeps the ids it had,
 * else the first free of 63 more drawn from the hash.  HOUR is the latest
 * hour a slot was given the id, its window's or the clock's, the later;
 * an entry leaves the map IDS_KEEP hours after it (trimmed once an hour),
 * when no slot can hold the id any longer: rs:HOUR lives 26 hours past
 * it, a fold of its hour and a late slot the fold keeps raw 51, a
 * contested result 26.  The map is made first from the regions' latest
 * hashes (KEYS[3]), which slots of before may hold by their prefix.
 * push_id(v, take): v, a stored value "OFFSET hID MS", with ID the slug's
 * id of ARGV[5]; a hash the map lacks takes one when take, else nil.
 */
#define PUSH_IDS_LUA                                                                               \
	"local IDS_KEEP = 52\n"                                                                    \
	"local function ids_hour()\n"                                                              \
	"  return math.max(math.floor(tonumber(ARGV[12]) / 3600), tonumber(ARGV[9]))\n"            \
	"end\n"                                                                                    \
	"local function ids_set(k, h, id, hour)\n"                                                 \
	"  redis.call('HSET', k, 'h:' .. h, string.format('%04x %d', id, hour))\n"                 \
	"  redis.call('EXPIRE', k, (IDS_KEEP + 2) * 3600)\n"                                       \
	"end\n"                                                                                    \
	"local function ids_trim(k, hour)\n"                                                       \
	"  if redis.call('EXISTS', k) == 0 then\n"                                                 \
	"    local c = redis.call('HVALS', KEYS[3])\n"                                             \
	"    for _, e in ipairs(c) do\n"                                                           \
	"      local h = string.match(e, '^%S+ (.+)$')\n"                                          \
	"      local id = h and string.match(h, '^sha256:(%x%x%x%x)')\n"                           \
	"      if id and redis.call('HSETNX', k, 'i:' .. id, h) == 1 then\n"                       \
	"        ids_set(k, h, tonumber(id, 16), hour)\n"                                          \
	"      end\n"                                                                              \
	"    end\n"                                                                                \
	"  end\n"                                                                                  \
	"  if tonumber(redis.call('HGET', k, 't') or 0) >= hour then return end\n"                 \
	"  redis.call('HSET', k, 't', hour)\n"                                                     \
	"  local all = redis.call('HGETALL', k)\n"                                                 \
	"  for j = 1, #all, 2 do\n"                                                                \
	"    local f, v = all[j], all[j + 1]\n"                                                    \
	"    if string.sub(f, 1, 2) == 'h:' and tonumber(string.sub(v, 6)) < hour - IDS_KEEP "     \
	"then\n"                                                                                   \
	"      redis.call('HDEL', k, f, 'i:' .. string.sub(v, 1, 4))\n"                            \
	"    end\n"                                                                                \
	"  end\n"                                                                                  \
	"end\n"                                                                                    \
	"local function push_id(v, take)\n"                                                        \
	"  local off, l, x, rest = string.match(v, '^(%d+) ([ha])(%S+)(.*)$')\n"                   \
	"  if not off or ARGV[5] == '' then return v end\n"                                        \
	"  local k, h, hour = ARGV[15] .. 'ids', ARGV[5], ids_hour()\n"                            \
	"  local p, id = res_id(x), nil\n"                                                         \
	"  local e = redis.call('HGET', k, 'h:' .. h)\n"                                           \
	"  if e then\n"                                                                            \
	"    id = tonumber(string.sub(e, 1, 4), 16)\n"                                             \
	"    if take and tonumber(string.sub(e, 6)) < hour then ids_set(k, h, id, hour) end\n"     \
	"  elseif not take then\n"                                                                 \
	"    if redis.call('HEXISTS', k, string.format('i:%04x', p)) == 1 then return nil end\n"   \
	"    id = p\n"                                                                             \
	"  else\n"                                                                                 \
	"    ids_trim(k, hour)\n"                                                                  \
	"    for n = 0, 63 do\n"                                                                   \
	"      local c = n == 0 and p or\n"                                                        \
	"        math.max(tonumber(string.sub(redis.sha1hex(h .. ' ' .. n), 1, 4), 16), 1)\n"      \
	"      local ik = string.format('i:%04x', c)\n"                                            \
	"      if redis.call('HSETNX', k, ik, h) == 1 or redis.call('HGET', k, ik) == h then\n"    \
	"        id = c\n"                                                                         \
	"        break\n"                                                                          \
	"      end\n"                                                                              \
	"    end\n"                                                                                \
	"    if not id then\n"                                                                     \
	"      return redis.error_reply(k .. ': no tool-list id free (mcp-store(7) ids)')\n"       \
	"    end\n"                                                                                \
	"    ids_set(k, h, id, hour)\n"                                                            \
	"  end\n"                                                                                  \
	"  return off .. ' ' .. l .. string.format('%04x', id) .. rest\n"                          \
	"end\n"

static const char push_lua[] = MCP_RES_LUA PUSH_IDS_LUA AGG_AUDIT_LUA PUSH_LISTS_LUA
    "local function push_result()\n"
    "local pos = tonumber(ARGV[14]) * 7\n"
    "local cur = redis.call('HGET', KEYS[1], ARGV[1]) or ''\n"
    "local folded = tonumber(ARGV[9]) < math.floor(tonumber(ARGV[12]) / 3600) - 1\n"
    "local late = folded or tonumber(ARGV[4]) <= tonumber(ARGV[23])\n"
    "if #cur >= pos + 7 and string.byte(cur, pos + 3) >= 64 then return push_again(cur, pos, "
    "false) end\n"
    "if folded then\n"
    "  local f = res_hour({}, ARGV[15], ARGV[9])\n"
    "  for j = 1, #f, 2 do\n"
    "    if f[j] == ARGV[1] and string.byte(f[j + 1], pos + 3) >= 64 then\n"
    "      return push_again(f[j + 1], pos, true)\n"
    "    end\n"
    "  end\n"
    "end\n"
    "local old = redis.call('HGET', ARGV[15] .. 'rh:' .. ARGV[9], ARGV[1]) or ''\n"
    "local op = tonumber(ARGV[14]) * 16\n"
    "if #old >= op + 16 and string.byte(old, op + 3) ~= 0 then return 0 end\n"
    "if redis.call('HEXISTS', KEYS[11], ARGV[1]) == 1 then return 0 end\n"
    "local fresh = #cur < 420\n"
    "local xat = tonumber(ARGV[12])\n"
    "xat = (math.max(math.floor(xat / 3600), tonumber(ARGV[9])) + 1) * 3600 - xat\n"
    "if #cur < 420 then cur = cur .. string.rep('\\0', 420 - #cur) end\n"
    "local v = push_id(ARGV[2], true)\n"
    "if type(v) == 'table' then return v end\n"
    "redis.call('HSET', KEYS[1], ARGV[1], string.sub(cur, 1, pos) ..\n"
    "  res_pack(v, KEYS[10]) .. string.sub(cur, pos + 8))\n"
    "if fresh then redis.call('EXPIRE', KEYS[1], xat + ARGV[7]) end\n"
    "push_wrote(xat, late)\n"
    "if (fresh or string.match(ARGV[2], '^%d+ b')) and redis.call('EXISTS', KEYS[10]) == 1 then\n"
    "  redis.call('EXPIRE', KEYS[10], xat + ARGV[8])\n"
    "end\n"
    "local t, now = tonumber(ARGV[3]), tonumber(ARGV[12])\n"
    "if redis.call('ZADD', KEYS[2], 'GT', t, ARGV[1]) > 0 or fresh then\n"
    "  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (now - 172800))\n"
    "  redis.call('EXPIRE', KEYS[2], xat + ARGV[7])\n"
    "end\n"
    "if ARGV[11] ~= '' then\n"
    "  local at = tonumber(redis.call('HGET', KEYS[8], 'host_at'))\n"
    "  if (not at or t >= at) and\n"
    "    redis.call('HSET', KEYS[8], 'host', ARGV[11], 'host_at', ARGV[3]) > 0 or fresh then\n"
    "    redis.call('EXPIRE', KEYS[8], xat + ARGV[8])\n"
    "  end\n"
    "end\n"
    "if ARGV[13] ~= '' then\n"
    "  local prev = redis.call('HGET', KEYS[9], ARGV[1])\n"
    "  local pt = prev and tonumber(string.match(prev, '^(%S+)'))\n"
    "  local added = (not pt or t >= pt) and\n"
    "    redis.call('HSET', KEYS[9], ARGV[1], ARGV[3] .. ' ' .. ARGV[13]) > 0\n"
    "  if added and redis.call('HLEN', KEYS[9]) > 16 then\n"
    "    local c = redis.call('HGETALL', KEYS[9])\n"
    "    for i = 1, #c, 2 do\n"
    "      local at = tonumber(string.match(c[i + 1], '^(%S+)'))\n"
    "      if not at or at < now - 90000 then redis.call('HDEL', KEYS[9], c[i]) end\n"
    "    end\n"
    "  end\n"
    "  if added or fresh then redis.call('EXPIRE', KEYS[9], xat + ARGV[7]) end\n"
    "end\n"
    "if ARGV[6] ~= '' then\n"
    "  local h, sum, idx, pre = tonumber(ARGV[9]), KEYS[6], KEYS[7], ARGV[10]\n"
    "  local r = math.max(h, math.floor(now / 3600))\n"
    "  local function add(b, k)\n"
    "    k = tonumber(k)\n"
    "    local v = redis.call('HINCRBY', sum, b, k)\n"
    "    if v <= 0 then\n"
    "      redis.call('HDEL', sum, b)\n"
    "      redis.call('ZREM', idx, b)\n"
    "    elseif v == k then\n"
    "      redis.call('ZADD', idx, b, b)\n"
    "    end\n"
    "  end\n"
    "  local function lat_of(x)\n"
    "    local c = redis.call('HGETALL', pre .. x)\n"
    "    local f = x < math.floor(now / 3600) - 1 and redis.call('HGET', ARGV[15] .. 'rf', x)\n"
    "    local _, i = false, nil\n"
    "    if f then _, i = res_unfold(f, {}) end\n"
    "    for _, v in ipairs(i and res_fold_lat(f, i) or {}) do c[#c + 1] = v end\n"
    "    return c\n"
    "  end\n"
    "  local top = tonumber(redis.call('HGET', sum, 'hour'))\n"
    "  local moved = not top or r > top\n"
    "  if moved then\n"
    "    local rebuild = not top\n"
    "    for x = (top or r) - 23, math.min(top or r, r - 24) do\n"
    "      if rebuild then break end\n"
    "      local n = redis.call('HGET', sum, 'n:' .. x)\n"
    "      if n then\n"
    "        local c = lat_of(x)\n"
    "        if #c == 0 then rebuild = true end\n"
    "        for i = 1, #c, 2 do add(c[i], -c[i + 1]) end\n"
    "        redis.call('HINCRBY', sum, 'n', -n)\n"
    "        redis.call('HDEL', sum, 'n:' .. x)\n"
    "        redis.call('DEL', pre .. x)\n"
    "      end\n"
    "    end\n"
    "    if rebuild then\n"
    "      redis.call('DEL', sum, idx)\n"
    "      for x = r - 23, r do\n"
    "        local c, n = lat_of(x), 0\n"
    "        for i = 1, #c, 2 do\n"
    "          add(c[i], c[i + 1])\n"
    "          n = n + c[i + 1]\n"
    "        end\n"
    "        if n > 0 then\n"
    "          redis.call('HSET', sum, 'n:' .. x, n)\n"
    "          redis.call('HINCRBY', sum, 'n', n)\n"
    "        end\n"
    "      end\n"
    "    end\n"
    "    redis.call('HSET', sum, 'hour', r)\n"
    "    top = r\n"
    "  end\n"
    "  if h > top - 24 then\n"
    "    local nb = redis.call('HINCRBY', KEYS[5], ARGV[6], 1) == 1\n"
    "    add(ARGV[6], 1)\n"
    "    redis.call('HINCRBY', sum, 'n', 1)\n"
    "    redis.call('HINCRBY', sum, 'n:' .. h, 1)\n"
    "    if fresh or nb or moved then\n"
    "      redis.call('EXPIRE', KEYS[5], xat + ARGV[7])\n"
    "      redis.call('EXPIRE', sum, xat + ARGV[7])\n"
    "      redis.call('EXPIRE', idx, xat + ARGV[7])\n"
    "    end\n"
    "  end\n"
    "end\n"
    "if ARGV[5] ~= '' then\n"
    "  local prev = redis.call('HGET', KEYS[3], ARGV[1])\n"
    "  local pt, ph\n"
    "  if prev then\n"
    "    local sp = string.find(prev, ' ', 1, true)\n"
    "    pt, ph = tonumber(string.sub(prev, 1, sp - 1)), string.sub(prev, sp + 1)\n"
    "  end\n"
    "  local added = false\n"
    "  if not pt or t > pt then\n"
    "    added = redis.call('HSET', KEYS[3], ARGV[1], ARGV[3] .. ' ' .. ARGV[5]) > 0\n"
    "    if ph and ph ~= ARGV[5] then\n"
    "      redis.call('ZADD', KEYS[4], ARGV[4],\n"
    "        ARGV[4] .. ' ' .. ARGV[1] .. ' ' .. ph .. ' ' .. ARGV[5])\n"
    "      redis.call('EXPIRE', KEYS[4], ARGV[7])\n"
    "    end\n"
    "  end\n"
    "  if added or fresh then\n"
    "    redis.call('EXPIRE', KEYS[3], xat + ARGV[8])\n"
    "    redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', '(' .. (now - 90000))\n"
    "  end\n"
    "end\n"
    "return 1\n"
    "end\n"
    "local rc = push_result()\n"
    "if type(rc) == 'table' then return rc end\n"
    "if rc ~= 2 and ARGV[17] ~= '' then rc = rc + push_lists(rc == 1) end\n"
    "return rc\n";

/*
 * An unjudged result (append_unjudged).  KEYS: rs:HOUR uj:HOUR res:W.
 * ARGV: region reason minute ttl-short prefix hour.  Returns 1 when
 * stored, 0 when its region has a result of the window already, judged
 * (in any layout, as push_lua reads them) or not: a duplicate.
 */
static const char uj_lua[] =
    "local pos = tonumber(ARGV[3])\n"
    "local cur = redis.call('HGET', KEYS[1], ARGV[1]) or ''\n"
    "if #cur >= pos * 7 + 7 and string.byte(cur, pos * 7 + 3) >= 64 then return 0 end\n"
    "local old = redis.call('HGET', ARGV[5] .. 'rh:' .. ARGV[6], ARGV[1]) or ''\n"
    "if #old >= pos * 16 + 16 and string.byte(old, pos * 16 + 3) ~= 0 then return 0 end\n"
    "if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then return 0 end\n"
    "local r = redis.call('HSETNX', KEYS[2], ARGV[1] .. ':' .. ARGV[3], ARGV[2])\n"
    "redis.call('EXPIRE', KEYS[2], ARGV[4])\n"
    "return r\n";

/* What push_open hands out: push's own context. */
struct agg_push {
	struct pctx p;
};

static const char *
str_of(const cJSON *rec, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/*
 * Fields every probe record shares, checked against the clock as the
 * record is read (a push may read a stream for days); NULL when good,
 * else the reason, written into why.
 */
static const char *
check_common(const cJSON *rec, const char **slug, const char **region, double *started, char *why,
    size_t len)
{
	if (agg_name_check(rec, "slug", slug, why, len) == -1 ||
	    agg_name_check(rec, "region", region, why, len) == -1 ||
	    agg_start_check(rec, mcp_now(), started, why, len) == -1)
		return why;
	return NULL;
}

/*
 * The stored value, "OFFSET hID MS", "OFFSET aID MS" or "OFFSET b STEP
 * CODE" (mcp-store(7)): what the verdict reads, no more.  A broken result
 * keeps its step, its error code and no hash, as only passing results are
 * compared; the full hash goes to the hash key, where drift is seen.
 */
static const char *
result_value(
    struct pending *p, double started, char code, const char *step, long ms, const char *ecode)
{
	long long off = agg_start_ms(started, p->window);
	char id[HASH_MAX + 2] = "", dur[24] = "";
	int k;

	if (step != NULL) {
		k = snprintf(p->value, sizeof(p->value), "%lld %c %s%s%s", off, code, step,
		    ecode != NULL ? " " : "", ecode != NULL ? ecode : "");
	} else if (p->hash[0] != '\0' && agg_hash_id(p->hash, id, sizeof(id)) == -1) {
		k = -1;
	} else {
		if (ms >= 0)
			snprintf(dur, sizeof(dur), " %ld", ms);
		k = snprintf(p->value, sizeof(p->value), "%lld %c%s%s", off, code, id, dur);
	}
	return k < 0 || (size_t)k >= sizeof(p->value) ? "tool_hash: too long to store" : NULL;
}

/* The code of the result's "error", when it is one a result keeps; else NULL. */
static const char *
error_code(const cJSON *rec)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(rec, "error");
	const char *code = cJSON_IsObject(e) ? str_of(e, "code") : NULL;

	return code != NULL && agg_code_ok(code) ? code : NULL;
}

/*
 * Validate a result record into p (all but the line); a reason (in p->why,
 * or static), or NULL.
 */
static const char *
check_result(const cJSON *rec, struct pending *p)
{
	const char *slug, *region, *url, *step, *hash, *why;
	double started, ms, cert;
	char code;

	if ((why = check_common(rec, &slug, &region, &started, p->why, sizeof(p->why))) != NULL)
		return why;
	p->uj = 0;
	if (agg_canary_check(rec, &p->canary, p->why, sizeof(p->why)) == -1 ||
	    agg_origin_check(rec, &p->from_registry, p->why, sizeof(p->why)) == -1 ||
	    agg_state_check(rec, &code, p->why, sizeof(p->why)) == -1 ||
	    (code == 'u' && agg_unjudged_check(rec, &p->uj, p->why, sizeof(p->why)) == -1) ||
	    agg_step_check(rec, "failed_step", code == 'b', &step, p->why, sizeof(p->why)) == -1 ||
	    agg_hash_check(rec, &hash, p->why, sizeof(p->why)) == -1 ||
	    agg_ms_check(rec, &ms, p->why, sizeof(p->why)) == -1 ||
	    mcp_json_time(rec, "cert_expires_at", &cert, p->why, sizeof(p->why)) == -1 ||
	    agg_findings_check(rec, &p->fd, p->why, sizeof(p->why)) == -1)
		return p->why;
	p->cert[0] = '\0';
	agg_cloak_value(rec, started, p->cloak, sizeof(p->cloak));
	if (cert >= 0)
		snprintf(p->cert, sizeof(p->cert), "%.0f", cert);
	snprintf(p->slug, sizeof(p->slug), "%s", slug);
	snprintf(p->region, sizeof(p->region), "%s", region);
	mcp_json_number(started, p->started, sizeof(p->started));
	p->window = agg_window(started);
	snprintf(p->hash, sizeof(p->hash), "%s", hash);
	p->bucket[0] = '\0';
	if (code != 'b' && ms >= 0)
		snprintf(p->bucket, sizeof(p->bucket), "%d", agg_lat_bucket(ms));
	if ((url = str_of(rec, "url")) == NULL || agg_url_host(url, p->host, sizeof(p->host)) == -1)
		p->host[0] = '\0';
	if (code == 'u')
		return NULL;
	if (code == 'b')
		return result_value(p, started, code, step, -1, error_code(rec));
	return result_value(p, started, code, NULL, agg_ms_whole(ms), NULL);
}

static const char *
check_step(const cJSON *rec, char *why, size_t len)
{
	const char *slug, *region, *step;
	double started;
	char canary;
	int reg;

	if (check_common(rec, &slug, &region, &started, why, len) != NULL ||
	    agg_step_check(rec, "step", 1, &step, why, len) == -1 ||
	    agg_canary_check(rec, &canary, why, len) == -1 ||
	    agg_origin_check(rec, &reg, why, len) == -1)
		return why;
	return NULL;
}

/* Append the records not yet stored to the spool, under an exclusive lock. */
static void
spool_write(struct pctx *p)
{
	char why[2 * PATH_MAX];
	size_t i, k = 0;
	int fd, rc = 0;

	if ((fd = agg_spool_open(p->spool, 1, why, sizeof(why))) == -1) {
		warnx("spool: %s", why);
		p->failed = 1;
		return;
	}
	flock(fd, LOCK_EX);
	for (i = 0; i < p->n && rc == 0; i++) {
		if (p->b[i].done)
			continue;
		if (write(fd, p->b[i].line.p, p->b[i].line.len) != (ssize_t)p->b[i].line.len)
			rc = -1;
		else
			k++;
	}
	if (rc == -1 || fsync(fd) == -1) {
		warn("spool: %s", p->spool);
		p->failed = 1;
	}
	close(fd);
	p->spooled += (long)k;
}

/*
 * The run's canary, by region and window (mcp:canary:W): "fail" wins
 * over "ok", whichever came first, so that any runner of a region that
 * could not reach its canary sets the region aside (judge.c).
 */
static void
append_canary(struct pctx *p, const struct pending *q)
{
	char key[64];

	snprintf(key, sizeof(key), "mcp:canary:%lld", q->window);
	if (q->canary == 'f')
		mcp_store_appendf(p->st, "HSET %s %s fail", key, q->region);
	else
		mcp_store_appendf(p->st, "HSETNX %s %s ok", key, q->region);
	mcp_store_appendf(p->st, "EXPIRE %s %d", key, AGG_TTL_SHORT);
}

/*
 * An unjudged result (CONTRACT §2) is kept out of the slots the verdict
 * reads, so that its region does not report the slug in that window and
 * a real result of the same window, pushed later, still takes the slot:
 * mcp:{SLUG}:uj:HOUR holds "REGION MINUTE" -> its reason's number, the
 * first writer's.  One for a window its region has a result of already
 * is a duplicate too (uj_lua), counted nowhere.  The reply says stored (1)
 * or a duplicate.
 */
static void
append_unjudged(struct pctx *p, const struct pending *q)
{
	long long hour = q->window / AGG_HOUR;
	char k[3][MCP_SLUG_MAX + 64], pre[MCP_SLUG_MAX + 64];

	agg_key(k[0], sizeof(k[0]), q->slug, "rs", hour);
	agg_key(k[1], sizeof(k[1]), q->slug, "uj", hour);
	agg_key(k[2], sizeof(k[2]), q->slug, "res", q->window);
	agg_key(pre, sizeof(pre), q->slug, "", -1);
	mcp_store_appendf(p->st, "EVALSHA %s 3 %s %s %s %s %d %lld %d %s %lld", p->uj_sha, k[0],
	    k[1], k[2], q->region, q->uj, q->window % AGG_HOUR / AGG_WINDOW, AGG_TTL_SHORT, pre,
	    hour);
}

/* What every result adds: its run's canary, and its cloaking (cloak.c). */
static void
append_tail(struct pctx *p, const struct pending *q)
{
	char key[MCP_SLUG_MAX + 64];

	if (q->canary_sent)
		append_canary(p, q);
	if (q->cloak[0] == '\0')
		return;
	agg_key(key, sizeof(key), q->slug, "cloak", -1);
	mcp_store_appendf(p->st, "HSET %s %s %s", key, q->region, q->cloak);
	mcp_store_appendf(p->st, "EXPIRE %s %d", key, AGG_TTL_LONG);
}

/*
 * Every result's slug known (the index, by its latest start, and the name
 * index): one ZADD of each for the batch, not two commands a result, a
 * slug's run of results (its regions, one after another) named once.  Both
 * are idempotent: each try of the batch sends them for all of its records,
 * so that none is lost with a link that failed after its result was
 * stored.  The replies to read: 2, or 0 for an empty batch.
 */
static int
append_index(struct pctx *p)
{
	const char *a[2 + 2 * AGG_BATCH + 1], *z[2 + 2 * AGG_BATCH];
	const char *last = NULL, *best = NULL;
	size_t i;
	int na = 3, nz = 2;

	a[0] = "ZADD", a[1] = AGG_KEY_SLUGS, a[2] = "GT";
	z[0] = "ZADD", z[1] = AGG_KEY_LEX;
	for (i = 0; i < p->n; i++) {
		const struct pending *q = &p->b[i];

		if (last != NULL && strcmp(last, q->slug) == 0) {
			/* The run's latest start: GT keeps the greatest anyway. */
			if (strtod(q->started, NULL) > strtod(best, NULL))
				a[na - 2] = best = q->started;
			continue;
		}
		last = q->slug, best = q->started;
		a[na++] = q->started, a[na++] = q->slug;
		z[nz++] = "0", z[nz++] = q->slug;
	}
	if (nz == 2)
		return 0;
	mcp_store_appendv(p->st, na, a, NULL);
	mcp_store_appendv(p->st, nz, z, NULL);
	return 2;
}

static void
append_push(struct pctx *p, const struct pending *q, long long now)
{
	long long hour = q->window / AGG_HOUR;
	char k[15][MCP_SLUG_MAX + 64], lnow[24];
	const char *hex[AGG_LIST_KINDS];
	int i;

	if (q->uj) {
		append_unjudged(p, q);
		append_tail(p, q);
		return;
	}
	agg_key(k[0], sizeof(k[0]), q->slug, "rs", hour);
	agg_key(k[12], sizeof(k[12]), q->slug, "", -1);
	agg_key(k[10], sizeof(k[10]), q->slug, "codes", -1);
	agg_key(k[11], sizeof(k[11]), q->slug, "res", q->window);
	agg_key(k[1], sizeof(k[1]), q->slug, "seen", -1);
	agg_key(k[2], sizeof(k[2]), q->slug, "hash", -1);
	agg_key(k[3], sizeof(k[3]), q->slug, "drift", -1);
	agg_key(k[4], sizeof(k[4]), q->slug, "lat", hour);
	agg_key(k[5], sizeof(k[5]), q->slug, "latsum", -1);
	agg_key(k[6], sizeof(k[6]), q->slug, "latidx", -1);
	agg_key(k[7], sizeof(k[7]), q->slug, "meta", -1);
	agg_key(k[8], sizeof(k[8]), q->slug, "lat:", -1); /* the prefix of lat:HOUR */
	agg_key(k[9], sizeof(k[9]), q->slug, "cert", -1);
	agg_key(k[13], sizeof(k[13]), q->slug, "lsi", -1);
	agg_key(k[14], sizeof(k[14]), q->slug, "lhash", -1);
	snprintf(lnow, sizeof(lnow), "%lld", now);
	for (i = 0; i < AGG_LIST_KINDS; i++)
		if ((hex[i] = agg_list_hex(q->lh[i])) == NULL)
			hex[i] = "";
	mcp_store_appendf(p->st,
	    "EVALSHA %s 13 %s %s %s %s %s %s %s %s %s %s %s %s %s %s %s %s %lld %s %s %d %d %lld "
	    "%s "
	    "%s %lld %s %lld %s %s %s %s %s %s %s %s %lld",
	    p->sha, k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], k[9], k[10], k[11], k[13],
	    k[14], q->region, q->value, q->started, q->window, q->hash, q->bucket, AGG_TTL_SHORT,
	    AGG_TTL_LONG, hour, k[8], q->host, now, q->cert, q->window % AGG_HOUR / AGG_WINDOW,
	    k[12], p->token != NULL ? p->token : "", *hex[0] || *hex[1] || *hex[2] ? lnow : "",
	    hex[0], hex[1], hex[2], q->lh[1], q->lh[2], p->token != NULL ? p->newest : -1LL);
	append_tail(p, q);
}

/* The replies append_push asks for a record. */
static int
replies(const struct pending *q)
{
	return 1 + (q->canary_sent ? 2 : 0) + (q->cloak[0] != '\0' ? 2 : 0);
}

/*
 * Which records of the round trip write their canary: the first of each
 * region, window and value, not all 512 of a runner's batch.
 */
static void
mark_canaries(struct pctx *p)
{
	const struct pending *last = NULL;
	struct pending *q;
	size_t i;

	for (i = 0; i < p->n; i++) {
		q = &p->b[i];
		q->canary_sent = 0;
		if (q->done || !q->canary)
			continue;
		if (last != NULL && last->canary == q->canary && last->window == q->window &&
		    strcmp(last->region, q->region) == 0)
			continue;
		q->canary_sent = 1;
		last = q;
	}
}

/*
 * The results each region's runs brought to each window, and how many the
 * runner could not judge, by reason: mcp:runs:W holds "REGION:n" (results
 * stored) and "REGION:REASON" (unjudged ones), what the verdict judges a
 * short runner by (short.c).  Counted once, when stored; a count lost with
 * the link is not asked again.
 */
static void
count_runs(struct mcp_store *st, struct pctx *p)
{
	struct {
		const char *region;
		long long w;
		long n, uj[AGG_UJ_CODES + 1];
	} g[AGG_BATCH];
	char key[64], err[256];
	size_t i, j, k, ng = 0, nr = 0;
	redisReply *r;

	for (i = 0; i < p->n; i++) {
		struct pending *q = &p->b[i];

		if (!q->done || !q->stored || q->counted)
			continue;
		q->counted = 1;
		for (j = 0; j < ng && (g[j].w != q->window || strcmp(g[j].region, q->region)); j++)
			;
		if (j == ng) {
			memset(&g[ng], 0, sizeof(g[0]));
			g[ng].region = q->region, g[ng++].w = q->window;
		}
		g[j].n++, g[j].uj[q->uj]++;
	}
	for (j = 0; j < ng; j++) {
		snprintf(key, sizeof(key), "mcp:runs:%lld", g[j].w);
		mcp_store_appendf(st, "HINCRBY %s %s:n %ld", key, g[j].region, g[j].n), nr++;
		for (k = 1; k <= AGG_UJ_CODES; k++)
			if (g[j].uj[k] > 0)
				mcp_store_appendf(st, "HINCRBY %s %s:%s %ld", key, g[j].region,
				    agg_unjudged_name((int)k), g[j].uj[k]),
				    nr++;
		mcp_store_appendf(st, "EXPIRE %s %d", key, AGG_TTL_SHORT), nr++;
	}
	for (i = 0; i < nr && mcp_store_read(st, &r, 1, err, sizeof(err)) == 0; i++)
		freeReplyObject(r);
}

/*
 * A second, different result of a window already stored: kept out (the
 * first writer wins) and kept among the window's contested results by the
 * script, its audit written after the batch (conflicts_flush), and said:
 * never dropped in silence.
 */
static void
conflict(struct pctx *p, struct pending *q)
{
	char iso[32], why[AGG_WHY_MAX];

	p->conflicts++;
	q->conflicted = 1;
	if (mcp_iso8601((double)q->window, iso, sizeof(iso)) == -1)
		snprintf(iso, sizeof(iso), "%lld", q->window);
	snprintf(why, sizeof(why),
	    "%s of %s already has another result for the window %s: this one is kept out (the "
	    "first writer wins), counted and audited (mcp-aggregate status)",
	    q->region, q->slug, iso);
	if (p->fate != NULL)
		p->fate(p->fate_arg, q->lineno, AGG_CONFLICT, why);
	else
		warnx("%s:%ld: conflict: %s", p->name, q->lineno, why);
}

/*
 * The findings of the batch's results, after their lists are stored (the
 * third round trip): those of the lists as judged where they are kept,
 * the runner's for a list the store never had (findings.c).  Once a
 * result, when it is stored or found a duplicate.
 */
static void
push_findings(struct mcp_store *st, struct pctx *p)
{
	const char *hex[AGG_LIST_KINDS];
	char err[256];
	size_t i, n = 0;
	redisReply *r;
	int k;

	for (i = 0; i < p->n; i++) {
		struct pending *q = &p->b[i];

		if (!q->done || q->conflicted || q->judged)
			continue;
		for (k = 0; k < AGG_LIST_KINDS; k++)
			if ((hex[k] = agg_list_hex(q->lh[k])) == NULL)
				hex[k] = "";
		if (!q->fd.present && !*hex[0] && !*hex[1] && !*hex[2])
			continue;
		q->judged = 1;
		agg_findings_append(st, q->slug, q->region, q->started, &q->fd, hex);
		n++;
	}
	for (i = 0; i < n && mcp_store_read(st, &r, 1, err, sizeof(err)) == 0; i++) {
		if (r->type == REDIS_REPLY_ERROR)
			warnx("redis: findings: %s", r->str);
		freeReplyObject(r);
	}
}

/* One round trip for the records not yet done; any failure is worth another. */
static enum mcp_store_status
send_batch(struct mcp_store *st, void *arg, char *err, size_t errlen)
{
	struct pctx *p = arg;
	long long now = (long long)mcp_now();
	enum mcp_store_status rc = MCP_STORE_OK;
	redisReply *r;
	size_t i;
	int j, stored, nindex, oom = 0;

	mark_canaries(p);
	for (i = 0; i < p->n; i++)
		if (!p->b[i].done)
			append_push(p, &p->b[i], now);
	nindex = append_index(p);
	for (i = 0; i < p->n; i++) {
		if (p->b[i].done)
			continue;
		for (j = 0; j < replies(&p->b[i]); j++) {
			if (mcp_store_read(st, &r, 1, err, errlen) == -1)
				return MCP_STORE_AGAIN;
			if (r->type == REDIS_REPLY_ERROR) {
				snprintf(err, errlen, "%s: %s", mcp_store_where(st), r->str);
				rc = MCP_STORE_AGAIN;
				oom += mcp_full_oom(r);
			} else if (j == 0 && r->type == REDIS_REPLY_INTEGER && r->integer == 2) {
				p->b[i].done = 1;
				conflict(p, &p->b[i]);
			} else if (j == 0) {
				p->b[i].done = 1;
				/* The lists the store lacks ride on the reply (PUSH_LISTS_LUA). */
				if (r->type == REDIS_REPLY_INTEGER)
					p->b[i].lmiss = (int)(r->integer >> 3) & 7;
				stored = r->type == REDIS_REPLY_INTEGER && (r->integer & 7) == 1;
				p->b[i].stored = stored;
				if (stored)
					p->stored++, p->replayed += p->replaying,
					    p->unjudged += p->b[i].uj != 0;
				else
					p->dups++;
				if (p->fate != NULL)
					p->fate(p->fate_arg, p->b[i].lineno,
					    stored ? AGG_STORED : AGG_DUPLICATE, NULL);
			}
			freeReplyObject(r);
		}
	}
	for (j = 0; j < nindex; j++) {
		if (mcp_store_read(st, &r, 1, err, errlen) == -1)
			return MCP_STORE_AGAIN;
		if (r->type == REDIS_REPLY_ERROR) {
			snprintf(err, errlen, "%s: %s", mcp_store_where(st), r->str);
			rc = MCP_STORE_AGAIN;
		}
		freeReplyObject(r);
	}
	count_runs(st, p);
	/* Refused for memory: the lists make room before the next round, never the results. */
	if ((p->oom = oom) > 0) {
		char why[MCP_FULL_WHY], e[256];

		snprintf(why, sizeof(why),
		    "%d results refused, tried again once the lists make room", oom);
		if (mcp_full_note(st, "results", oom, why, mcp_now(), e, sizeof(e)) == -1 &&
		    p->fate == NULL)
			warnx("redis: %s", e);
		agg_lists_relieve(st, now, 1, p->fate != NULL);
	}
	push_lists_put(st, p);
	push_findings(st, p);
	return rc;
}

static void
report(const char *why)
{
	warnx("redis: %s", why);
}

/* The ingest's records not stored: the runner sends them again. */
static void
later(struct pctx *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!p->b[i].done)
			p->fate(p->fate_arg, p->b[i].lineno, AGG_LATER, "store unavailable");
}

/* The results refused for a window not begun, counted in the store (audit.c). */
static void
future_flush(struct pctx *p)
{
	if (p->st != NULL && p->future_new > 0)
		agg_audit_future(p->st, p->future_region, p->future_new);
	p->future_new = 0;
}

/* The batch's conflicts into the audit trail, in one round trip (audit.c). */
static void
conflicts_flush(struct pctx *p)
{
	char err[256];
	redisReply *r;
	size_t i, n = 0;

	for (i = 0; i < p->n; i++)
		if (p->b[i].conflicted && p->st != NULL) {
			agg_audit_conflict(
			    p->st, p->b[i].slug, p->b[i].region, p->b[i].window, p->token);
			n++;
		}
	for (i = 0; i < p->n; i++)
		p->b[i].conflicted = 0;
	for (; n > 0 && mcp_store_read(p->st, &r, 1, err, sizeof(err)) == 0; n--)
		freeReplyObject(r);
}

/*
 * With a token, the newest window decided: a result of a window up to it
 * is written late (push_wrote), and taken back with the token all the
 * same (audit.c).  -1 when unknown: then it counts as written in time.
 */
static void
read_newest(struct pctx *p)
{
	const char *a[] = {"GET", AGG_KEY_NEWEST};
	char err[256];
	redisReply *r;

	p->newest = -1;
	if (p->token == NULL || p->st == NULL ||
	    (r = mcp_store_cmd(p->st, 2, a, err, sizeof(err))) == NULL)
		return;
	if (r->type == REDIS_REPLY_STRING)
		p->newest = strtoll(r->str, NULL, 10);
	freeReplyObject(r);
}

/* The results a full store refused to the end noted for the watchdog (full.h). */
static void
full_said(struct pctx *p)
{
	char why[MCP_FULL_WHY], err[256];
	size_t i;
	long n = 0;

	for (i = 0; i < p->n; i++)
		n += !p->b[i].done;
	snprintf(why, sizeof(why), "%ld results of region %s, %s", n, p->b[0].region,
	    p->fate != NULL ? "sent again by its runner" : "spooled");
	/* Counted when refused (send_batch): the words only. */
	if (mcp_full_note(p->st, "results", 0, why, mcp_now(), err, sizeof(err)) == -1)
		warnx("redis: %s", err);
}

/*
 * Store the batch, reconnecting after each failure and after the last (the
 * next batch starts on a fresh link); with none to be had, the spool takes
 * what is left, this batch and all that follow.
 */
void
push_flush_batch(struct pctx *p)
{
	static const struct mcp_store_retry rp = {3, 1, report};
	char err[512];
	size_t i;

	future_flush(p);
	read_newest(p);
	if (p->st != NULL &&
	    mcp_store_run(p->st, &rp, send_batch, p, err, sizeof(err)) == MCP_STORE_DOWN) {
		if (p->fate == NULL)
			mcp_store_close(p->st);
		p->st = NULL;
	}
	conflicts_flush(p);
	for (i = 0; i < p->n && p->b[i].done; i++)
		;
	if (i < p->n && p->oom > 0 && p->st != NULL)
		full_said(p);
	if (i < p->n) {
		if (p->fate != NULL)
			later(p);
		else if (p->replaying)
			p->failed = 1; /* still in the spool file, as it was */
		else
			spool_write(p);
	}
	push_lists_release(p);
	for (i = 0; i < p->n; i++)
		mcp_buf_reset(&p->b[i].line);
	p->n = 0;
}

/*
 * 1 when the next read of f would block: its buffer is empty (glibc's
 * FILE fields) and its descriptor has nothing ready.  A batch is sent then,
 * so a record reaches the store at once and records batch only under load.
 */
static int
would_block(FILE *f)
{
	struct pollfd pfd = {fileno(f), POLLIN, 0};

	if (f->_IO_read_ptr < f->_IO_read_end)
		return 0;
	return poll(&pfd, 1, 0) == 0;
}

/*
 * push -r: a runner speaks for its own region only, so one region's
 * runner cannot fill another's results; the records replayed from the
 * spool too (the spool of push -r is that region's own).  NULL, or the
 * reason in why.
 */
static const char *
foreign(const struct pctx *p, const cJSON *rec, char *why, size_t len)
{
	const char *region = str_of(rec, "region");
	char q[MCP_QUOTED_MAX];

	if (p->region == NULL || strcmp(region, p->region) == 0)
		return NULL;
	snprintf(why, len, "bad region %s: not %s%s", mcp_json_quoted(q, sizeof(q), region),
	    p->rlabel != NULL ? p->rlabel : "-r ", p->region);
	return why;
}

/*
 * Check rec as push takes it, a result's fields into q: 'r' for a result
 * to store, 's' for a step record (checked; nothing of it is stored), 0
 * when it is refused, the reason in why.
 */
static int
take(const struct pctx *p, const cJSON *rec, struct pending *q, char *why, size_t len)
{
	const char *type = str_of(rec, "type"), *w;
	char t[MCP_QUOTED_MAX];

	if (strcmp(type, "step") == 0) {
		if (check_step(rec, why, len) != NULL || foreign(p, rec, why, len) != NULL)
			return 0;
		return 's';
	}
	if (strcmp(type, "result") != 0) {
		snprintf(
		    why, len, "not a probe record (type %s)", mcp_json_quoted(t, sizeof(t), type));
		return 0;
	}
	if ((w = check_result(rec, q)) != NULL) {
		snprintf(why, len, "%s", w);
		return 0;
	}
	return foreign(p, rec, why, len) != NULL ? 0 : 'r';
}

/* A line push does not take: said on stderr, or in the ingest's answer. */
static void
refuse(struct pctx *p, long lineno, const char *why)
{
	if (p->fate != NULL)
		p->fate(p->fate_arg, lineno, AGG_REFUSED, why);
	else
		warnx("%s:%ld: %s", p->name, lineno, why);
}

/*
 * A result under a slug that is not its origin's: the registry's slugs
 * take only the registry's targets' results, and those only the
 * registry's slugs (origin.c).  The slugs are read again every minute.
 */
static int
not_its_slug(struct pctx *p, const struct pending *q, char *why, size_t len)
{
	char err[AGG_WHY_MAX + 300];

	if (p->st != NULL && (p->origin.at == 0 || mcp_mono() - p->origin.at >= AGG_ORIGIN_EVERY) &&
	    agg_origin_load(p->st, &p->origin, err, sizeof(err)) == -1)
		warnx("redis: %s", err);
	return agg_origin_refused(&p->origin, q->slug, q->from_registry, why, len) != NULL;
}

/*
 * A result of a window not begun on this host's clock (MCP_NOW when
 * set): refused and counted.  Were it stored, its token would be the
 * first writer of a window still to come, and the runner that probes it
 * would be kept out.
 */
static int
not_begun(struct pctx *p, const struct pending *q, char *why, size_t len)
{
	char iso[32];

	if ((double)q->window <= mcp_now())
		return 0;
	if (mcp_iso8601((double)q->window, iso, sizeof(iso)) == -1)
		snprintf(iso, sizeof(iso), "%lld", q->window);
	snprintf(why, len,
	    "probe_started_at %s: its window %s has not begun on this host's clock: a result "
	    "is of a window under way or past",
	    q->started, iso);
	if (p->future_new > 0 && strcmp(p->future_region, q->region) != 0)
		future_flush(p);
	snprintf(p->future_region, sizeof(p->future_region), "%s", q->region);
	p->future_new++;
	p->future++;
	return 1;
}

static int
on_record(cJSON *rec, long lineno, void *arg)
{
	struct pctx *p = arg;
	struct pending *q = &p->b[p->n];
	char why[AGG_WHY_MAX + 300]; /* the origin's refusal says what to do */
	int k;

	mcp_buf_reset(&q->line);
	if ((k = take(p, rec, q, why, sizeof(why))) == 0) {
		refuse(p, lineno, why);
		return 1;
	}
	if (k == 's') {
		if (push_lists_step(p, rec, why, sizeof(why)) == -1) {
			refuse(p, lineno, why);
			return 1;
		}
		p->steps++;
		if (p->fate != NULL)
			p->fate(p->fate_arg, lineno, AGG_CHECKED, NULL);
		return 0;
	}
	if (not_its_slug(p, q, why, sizeof(why)) || not_begun(p, q, why, sizeof(why))) {
		refuse(p, lineno, why);
		return 1;
	}
	/* The ingest keeps no spool: its records are not written again. */
	if (p->fate == NULL &&
	    (mcp_json_write(&q->line, rec, why, sizeof(why)) == -1 ||
	        mcp_buf_addc(&q->line, '\n') == -1)) {
		refuse(p, lineno, why);
		return 1;
	}
	push_lists_claim(p, q, rec, lineno);
	q->lineno = lineno;
	q->done = 0;
	q->stored = q->counted = q->judged = 0;
	if (++p->n == AGG_BATCH || (p->in != NULL && would_block(p->in)))
		push_flush_batch(p);
	return 0;
}

/*
 * Replay the spool, in order, before anything new; emptied when all is
 * stored.  A spool that is not push's own (agg_spool_open) is neither read
 * nor emptied.
 */
static int
replay(struct pctx *p)
{
	struct mcp_loop_stats ls;
	struct stat sb;
	char why[2 * PATH_MAX];
	FILE *f;
	int fd, rc = 0;

	if ((fd = agg_spool_open(p->spool, 0, why, sizeof(why))) == -1) {
		if (errno == ENOENT)
			return 0;
		warnx("spool: %s", why);
		return -1;
	}
	flock(fd, LOCK_EX);
	if (fstat(fd, &sb) == 0 && sb.st_size > 0) {
		if ((f = fdopen(dup(fd), "r")) == NULL) {
			warn("spool: %s", p->spool);
			close(fd);
			return -1;
		}
		p->name = p->spool;
		p->in = f;
		p->replaying = 1;
		if (mcp_loop(f, p->spool, on_record, p, &ls) == -1)
			rc = -1;
		push_flush_batch(p);
		fclose(f);
		if (ls.bad > 0)
			rc = -1;
		if (!p->failed && p->st != NULL && ftruncate(fd, 0) == -1) {
			warn("spool: %s", p->spool);
			rc = -1;
		}
		p->replaying = 0;
	}
	close(fd);
	return p->failed ? -1 : rc;
}

/* ZREM from the name index the slugs of the reply r, a batch at a time. */
static void
forget_names(struct pctx *p, const redisReply *r)
{
	const char *argv[2 + AGG_BATCH];
	char err[256];
	size_t i, k;

	argv[0] = "ZREM", argv[1] = AGG_KEY_LEX;
	for (i = 0; r != NULL && r->type == REDIS_REPLY_ARRAY && i < r->elements; i += k) {
		for (k = 0; k < AGG_BATCH && i + k < r->elements; k++)
			argv[2 + k] = r->element[i + k]->str;
		freeReplyObject(mcp_store_cmd(p->st, (int)k + 2, argv, err, sizeof(err)));
	}
}

/*
 * Forget slugs silent for the 30 days their history lasts, by the clock:
 * the starts pushed say nothing of the other slugs.  The name index
 * forgets them first, so that it never lacks a slug the index holds.
 */
static void
trim_slugs(struct pctx *p)
{
	char cut[32], ttl[16], err[256];
	const char *old[] = {"ZRANGEBYSCORE", AGG_KEY_SLUGS, "-inf", cut};
	const char *argv[] = {"ZREMRANGEBYSCORE", AGG_KEY_SLUGS, "-inf", cut};
	const char *exp[] = {"EXPIRE", AGG_KEY_SLUGS, ttl}, *exp2[] = {"EXPIRE", AGG_KEY_LEX, ttl};
	redisReply *r;

	if (p->st == NULL)
		return;
	/* The clock is at most AGG_TIME_MAX (main): both always fit. */
	snprintf(cut, sizeof(cut), "(%lld", (long long)mcp_now() - AGG_UPTIME_DAYS * AGG_DAY);
	snprintf(ttl, sizeof(ttl), "%d", AGG_TTL_LONG);
	r = mcp_store_cmd(p->st, 4, old, err, sizeof(err));
	forget_names(p, r);
	freeReplyObject(r);
	r = mcp_store_cmd(p->st, 4, argv, err, sizeof(err));
	freeReplyObject(r);
	r = mcp_store_cmd(p->st, 3, exp, err, sizeof(err));
	freeReplyObject(r);
	r = mcp_store_cmd(p->st, 3, exp2, err, sizeof(err));
	freeReplyObject(r);
}

static void
summary(const struct pctx *p, const struct mcp_loop_stats *ls)
{
	char uj[256] = "";

	/* Only when there are any: a run that judged all is said as before. */
	if (p->unjudged > 0)
		snprintf(uj, sizeof(uj), "; %ld of the results unjudged", p->unjudged);
	if (p->lists_put > 0 || p->lists_unmatched > 0)
		snprintf(uj + strlen(uj), sizeof(uj) - strlen(uj),
		    "; %ld lists stored, %ld not their result's", p->lists_put, p->lists_unmatched);
	if (p->lists_refused > 0)
		snprintf(uj + strlen(uj), sizeof(uj) - strlen(uj),
		    "; %ld lists refused for the store's memory", p->lists_refused);
	warnx("push: %ld results stored, %ld duplicates ignored, %ld step records skipped, "
	      "%ld bad lines, %ld spooled, %ld replayed from the spool%s",
	    p->stored, p->dups, p->steps, ls->bad, p->spooled, p->replayed, uj);
}

/*
 * The results kept out of a window, said at the end.  A conflict is no
 * error of the input (the first writer wins); a window not begun is, and
 * its line was counted bad.
 */
static void
audit_summary(const struct pctx *p)
{
	if (p->conflicts > 0)
		warnx("push: %ld results conflicted with another of their window, kept out and "
		      "counted (mcp-aggregate status)",
		    p->conflicts);
	if (p->future > 0)
		warnx("push: %ld results refused for a window not begun on this host's clock",
		    p->future);
}

int
agg_push(const struct agg_opts *o)
{
	struct pctx p = {0};
	struct mcp_loop_stats ls = {0};
	char why[512], store[MCP_STORE_PATH_MAX + 512], spool[PATH_MAX];
	int rc = MCP_EXIT_OK;
	size_t i;

	if (mcp_store_url_public(mcp_store_url_choose(o->url), store, sizeof(store)) == -1 ||
	    agg_spool_path(o, store, spool, sizeof(spool)) == -1)
		errx(MCP_EXIT_USAGE, "spool: the path is too long");
	p.spool = spool;
	p.store = store;
	if ((p.b = calloc(AGG_BATCH, sizeof(*p.b))) == NULL)
		err(MCP_EXIT_FAIL, "push");
	if ((p.st = agg_connect(o)) != NULL &&
	    (mcp_store_script_load(p.st, push_lua, p.sha, why, sizeof(why)) == -1 ||
	        mcp_store_script_load(p.st, uj_lua, p.uj_sha, why, sizeof(why)) == -1 ||
	        mcp_store_script_load(p.st, agg_lists_put_lua, p.put_sha, why, sizeof(why)) ==
	            -1)) {
		warnx("redis: %s", why);
		mcp_store_close(p.st);
		p.st = NULL;
	}
	p.region = o->region;
	if (p.st == NULL || replay(&p) == -1)
		rc = MCP_EXIT_FAIL;
	p.name = "stdin";
	p.in = stdin;
	if (mcp_loop(stdin, "stdin", on_record, &p, &ls) == -1 || ls.bad > 0)
		rc = MCP_EXIT_FAIL;
	push_flush_batch(&p);
	trim_slugs(&p);
	if (p.spooled > 0) {
		warnx("spool: %s: %ld records for %s kept for the next push", p.spool, p.spooled,
		    p.store);
		rc = MCP_EXIT_FAIL;
	}
	if (p.failed)
		rc = MCP_EXIT_FAIL;
	audit_summary(&p);
	if (o->verbose)
		summary(&p, &ls);
	agg_origin_free(&p.origin);
	push_lists_free(&p);
	for (i = 0; i < AGG_BATCH; i++)
		mcp_buf_free(&p.b[i].line);
	free(p.b);
	mcp_store_close(p.st);
	return rc;
}

/*
 * The store side of push for the ingest (ingest.c): lines of its own,
 * each one's fate told to fate, on the ingest's connection.
 */
struct agg_push *
agg_push_open(struct mcp_store *st, const char *region, const char *rlabel, agg_fate_fn *fate,
    void *arg, char *err, size_t len)
{
	struct agg_push *a;

	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    (a->p.b = calloc(AGG_BATCH, sizeof(*a->p.b))) == NULL) {
		free(a);
		snprintf(err, len, "out of memory");
		return NULL;
	}
	if (mcp_store_script_load(st, push_lua, a->p.sha, err, len) == -1 ||
	    mcp_store_script_load(st, uj_lua, a->p.uj_sha, err, len) == -1 ||
	    mcp_store_script_load(st, agg_lists_put_lua, a->p.put_sha, err, len) == -1) {
		free(a->p.b);
		free(a);
		return NULL;
	}
	a->p.st = st;
	a->p.region = region;
	a->p.rlabel = rlabel;
	a->p.fate = fate;
	a->p.fate_arg = arg;
	return a;
}

/* One record of line lineno: its fate now (refused, checked) or at the flush. */
void
agg_push_record(struct agg_push *a, cJSON *rec, long lineno)
{
	on_record(rec, lineno, &a->p);
}

void
agg_push_flush(struct agg_push *a)
{
	push_flush_batch(&a->p);
}

/* What the ingest stores is kept as written by token id (borrowed, 9 bytes): audit.h. */
void
agg_push_token(struct agg_push *a, const char *id)
{
	a->p.token = id;
}

/* The lists a result's store lacks, told to fn (pushlists.c). */
void
agg_push_lacks(struct agg_push *a, agg_lack_fn *fn, void *arg)
{
	a->p.lack = fn;
	a->p.lack_arg = arg;
}

/* 1 while the store answers. */
int
agg_push_up(const struct agg_push *a)
{
	return a->p.st != NULL;
}

void
agg_push_trim(struct agg_push *a)
{
	trim_slugs(&a->p);
}

void
agg_push_close(struct agg_push *a)
{
	size_t i;

	if (a == NULL)
		return;
	push_lists_free(&a->p);
	for (i = 0; i < AGG_BATCH; i++)
		mcp_buf_free(&a->p.b[i].line);
	free(a->p.b);
	free(a);
}

int
agg_push_check(const cJSON *rec, const char *region, const char *rlabel, char *why, size_t len)
{
	struct pctx p = {0};
	struct pending q;
	int k;

	p.region = region;
	p.rlabel = rlabel;
	memset(&q, 0, sizeof(q));
	k = take(&p, rec, &q, why, len);
	return k;
}
