/*
 * pushlua.c - push's scripts, as text: push_lua stores a judged result
 * (its slot of the hour, the slug's keys beside it, the tool-list ids and
 * the lists it names), built of the slots' Lua (lib/reslua.h), the
 * audit's (audit.h) and the two pieces below; push_uj_lua stores an
 * unjudged result.  Loaded on each connection (push.c), called a result
 * at a time (pushsend.c); what each takes and returns is said above it.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include "audit.h"
#include "push.h"
#include "reslua.h"

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

/*
 * A judged result (append_push).  KEYS: rs:HOUR seen hash drift lat:HOUR
 * latsum latidx meta cert codes res:W.  ARGV: region value started window
 * hash|'' bucket|'' ttl-short ttl-long hour lat-prefix host|'' now
 * cert-expiry|'' slot prefix token-id|'', and ARGV[23] the newest window
 * decided (-1: none known).
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
const char push_lua[] = MCP_RES_LUA PUSH_IDS_LUA AGG_AUDIT_LUA PUSH_LISTS_LUA
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
const char push_uj_lua[] =
    "local pos = tonumber(ARGV[3])\n"
    "local cur = redis.call('HGET', KEYS[1], ARGV[1]) or ''\n"
    "if #cur >= pos * 7 + 7 and string.byte(cur, pos * 7 + 3) >= 64 then return 0 end\n"
    "local old = redis.call('HGET', ARGV[5] .. 'rh:' .. ARGV[6], ARGV[1]) or ''\n"
    "if #old >= pos * 16 + 16 and string.byte(old, pos * 16 + 3) ~= 0 then return 0 end\n"
    "if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then return 0 end\n"
    "local r = redis.call('HSETNX', KEYS[2], ARGV[1] .. ':' .. ARGV[3], ARGV[2])\n"
    "redis.call('EXPIRE', KEYS[2], ARGV[4])\n"
    "return r\n";
