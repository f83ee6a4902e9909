/*
 * histlua.h - the Lua of a slug's history (mcp-store(7)), pasted into the
 * verdict's scripts: day:DAY, the window letters of a day, and the long
 * history made of them, tally, red and rgn (lib/hist.h reads those).
 *
 * AGG_DAY_LUA: the letters of day:DAY, 480 bytes, three windows a byte,
 * base 6 (the window of position p in byte p / 3, its digit p mod 3 the
 * lowest first): 0 not decided, then g a r u m.  day_letter(key, p) reads
 * the letter of position p, '' for none, of the packed string or of the
 * 1,440 letters of before; day_pack(key) converts those on the first
 * write (or makes the string whole), day_set(key, p, letter) writes one.
 *
 * AGG_HIST_LUA: hist_tally(key, dkey, day, old, letter, ttl) moves the
 * day's record of the tally from the window's old letter to its new one,
 * or counts it whole from day:DAY (dkey) when the ring holds no record of
 * the day yet (a new day, or a day written before the tally was): true
 * then, and the day's red windows.  hist_red(key, dkey, day, ttl) writes
 * the day's incidents, read from day:DAY, into red (and deletes the days
 * that have left the 400).  hist_regions(key, month, a, first, ttl) counts
 * each region's own result, a[first], a[first + 1] ... as "region" and p
 * (passed) or f (failed), in the month's record of rgn.
 */
#ifndef AGG_HISTLUA_H
#define AGG_HISTLUA_H

#include "hist.h"

#define AGG_DAY_LUA                                                                                \
	"local DAYL, DAYD = {'g', 'a', 'r', 'u', 'm'}, {g = 1, a = 2, r = 3, u = 4, m = 5}\n"      \
	"local function day_letter(key, p)\n"                                                      \
	"  if redis.call('STRLEN', key) == 1440 then\n"                                            \
	"    local c = redis.call('GETRANGE', key, p, p)\n"                                        \
	"    if c == '\\0' then return '' end\n"                                                   \
	"    return c\n"                                                                           \
	"  end\n"                                                                                  \
	"  local i = math.floor(p / 3)\n"                                                          \
	"  local b = string.byte(redis.call('GETRANGE', key, i, i))\n"                             \
	"  return b and DAYL[math.floor(b / 6 ^ (p % 3)) % 6] or ''\n"                             \
	"end\n"                                                                                    \
	"local function day_pack(key)\n"                                                           \
	"  local n = redis.call('STRLEN', key)\n"                                                  \
	"  if n == 480 then return end\n"                                                          \
	"  if n ~= 1440 then return redis.call('SET', key, string.rep('\\0', 480)) end\n"          \
	"  local cur, t = redis.call('GET', key), {}\n"                                            \
	"  for i = 0, 479 do\n"                                                                    \
	"    local v = 0\n"                                                                        \
	"    for d = 3, 1, -1 do v = v * 6 + (DAYD[string.sub(cur, 3 * i + d, 3 * i + d)] or 0) "  \
	"end\n"                                                                                    \
	"    t[i + 1] = string.char(v)\n"                                                          \
	"  end\n"                                                                                  \
	"  redis.call('SET', key, table.concat(t))\n"                                              \
	"end\n"                                                                                    \
	"local function day_set(key, p, letter)\n"                                                 \
	"  local i, f = math.floor(p / 3), 6 ^ (p % 3)\n"                                          \
	"  local b = string.byte(redis.call('GETRANGE', key, i, i))\n"                             \
	"  b = b - math.floor(b / f) % 6 * f + (DAYD[letter] or 0) * f\n"                          \
	"  redis.call('SETRANGE', key, i, string.char(b))\n"                                       \
	"end\n"

/* The numbers of lib/hist.h are written into the Lua. */
#define AGG_STR_(x) #x
#define AGG_STR(x) AGG_STR_(x)
/* clang-format off */
#define AGG_HIST_LUA \
	"local HIST_DAYS, HIST_REC = " AGG_STR(MCP_HIST_DAYS) ", " AGG_STR(MCP_HIST_REC) "\n" \
	"local HIST_MONTHS, HIST_MREC = " AGG_STR(MCP_HIST_MONTHS) ", " AGG_STR(MCP_HIST_MREC) "\n" \
	"local HIST_REGIONS, HIST_INC = " AGG_STR(MCP_HIST_REGIONS) ", " AGG_STR(MCP_HIST_DAY_INC) "\n" \
	"local HIST_GAP = " AGG_STR(MCP_HIST_GAP) "\n" \
	"local function hist_count(dkey)\n" \
	"  local s, c = redis.call('GET', dkey) or '', {0, 0, 0, 0, 0}\n" \
	"  for i = 1, #s do\n" \
	"    local b = string.byte(s, i)\n" \
	"    while b > 0 do\n" \
	"      local d = b % 6\n" \
	"      if d > 0 then c[d] = c[d] + 1 end\n" \
	"      b = (b - d) / 6\n" \
	"    end\n" \
	"  end\n" \
	"  return c\n" \
	"end\n" \
	"local function hist_tally(key, dkey, day, old, letter, ttl)\n" \
	"  if redis.call('STRLEN', key) ~= HIST_DAYS * HIST_REC then\n" \
	"    redis.call('SET', key, string.rep('\\0', HIST_DAYS * HIST_REC))\n" \
	"  end\n" \
	"  local off, tag = (day % HIST_DAYS) * HIST_REC, day % 65535 + 1\n" \
	"  local t, g, a, r, u, m =\n" \
	"    struct.unpack('>I2I2I2I2I2I2', redis.call('GETRANGE', key, off, off + HIST_REC - 1))\n" \
	"  local c = {g, a, r, u, m}\n" \
	"  if t ~= tag then\n" \
	"    c = hist_count(dkey)\n" \
	"  else\n" \
	"    if DAYD[old] then c[DAYD[old]] = math.max(c[DAYD[old]] - 1, 0) end\n" \
	"    c[DAYD[letter]] = c[DAYD[letter]] + 1\n" \
	"  end\n" \
	"  redis.call('SETRANGE', key, off,\n" \
	"    struct.pack('>I2I2I2I2I2I2', tag, c[1], c[2], c[3], c[4], c[5]))\n" \
	"  redis.call('EXPIRE', key, ttl)\n" \
	"  return t ~= tag, c[3]\n" \
	"end\n" \
	"local function hist_keep(keys, ttl)\n" \
	"  for _, k in ipairs(keys) do\n" \
	"    redis.call('HSETNX', k, 'V', 1)\n" \
	"    redis.call('EXPIRE', k, ttl)\n" \
	"  end\n" \
	"end\n" \
	"local function hist_red(key, dkey, day, ttl)\n" \
	"  local s, out, cs, ce, cn, merged = redis.call('GET', dkey) or '', {}, -1, -1, 0, false\n" \
	"  for i = 1, #s do\n" \
	"    local b = string.byte(s, i)\n" \
	"    for k = 0, 2 do\n" \
	"      local d = b % 6\n" \
	"      if d == 3 then\n" \
	"        local p = 3 * (i - 1) + k\n" \
	"        if cs >= 0 and (p - ce <= HIST_GAP + 1 or #out == HIST_INC - 1) then\n" \
	"          merged = merged or p - ce > HIST_GAP + 1\n" \
	"          ce, cn = p, cn + 1\n" \
	"        else\n" \
	"          if cs >= 0 then out[#out + 1] = cs .. '-' .. ce .. ':' .. cn end\n" \
	"          cs, ce, cn = p, p, 1\n" \
	"        end\n" \
	"      end\n" \
	"      b = (b - d) / 6\n" \
	"    end\n" \
	"  end\n" \
	"  if cs >= 0 then out[#out + 1] = cs .. '-' .. ce .. ':' .. cn .. (merged and '*' or '') end\n" \
	"  if #out > 0 then\n" \
	"    redis.call('HSET', key, day, table.concat(out, ' '))\n" \
	"  else\n" \
	"    redis.call('HDEL', key, day)\n" \
	"  end\n" \
	"  for _, f in ipairs(redis.call('HKEYS', key)) do\n" \
	"    local d = tonumber(f)\n" \
	"    if d and d <= day - HIST_DAYS then redis.call('HDEL', key, f) end\n" \
	"  end\n" \
	"  redis.call('EXPIRE', key, ttl)\n" \
	"end\n" \
	"local function hist_regions(key, month, a, first, ttl)\n" \
	"  local off, tag, size = (month % HIST_MONTHS) * HIST_MREC, month % 65535 + 1,\n" \
	"    HIST_MONTHS * HIST_MREC\n" \
	"  local names, out, room = {}, {}, nil\n" \
	"  for i = first, #a - 1, 2 do names[#names + 1] = a[i] end\n" \
	"  local cur = redis.call('HMGET', key, unpack(names))\n" \
	"  for j = 1, #names do\n" \
	"    local s = cur[j]\n" \
	"    if not s and not room then\n" \
	"      room = HIST_REGIONS - redis.call('HLEN', key) + redis.call('HEXISTS', key, 'V')\n" \
	"    end\n" \
	"    if s or room > 0 then\n" \
	"      if not s then room = room - 1 end\n" \
	"      if not s or #s ~= size then s = string.rep('\\0', size) end\n" \
	"      local t, p, f = struct.unpack('>I2I2I2', string.sub(s, off + 1, off + HIST_MREC))\n" \
	"      if t ~= tag then p, f = 0, 0 end\n" \
	"      if a[first + 2 * j - 1] == 'p' then p = p + 1 else f = f + 1 end\n" \
	"      out[#out + 1] = names[j]\n" \
	"      out[#out + 1] = string.sub(s, 1, off) .. struct.pack('>I2I2I2', tag, p, f) ..\n" \
	"        string.sub(s, off + HIST_MREC + 1)\n" \
	"    end\n" \
	"  end\n" \
	"  if #out > 0 then redis.call('HSET', key, unpack(out)) end\n" \
	"  redis.call('EXPIRE', key, ttl)\n" \
	"end\n"
/* clang-format on */

/*
 * Read-only: the latency bucket of the nearest-rank 95th percentile of the
 * 24-hour histogram, found from the top bucket down (a few buckets hold the
 * top 5 %), the 30 days of counters, W's old code.
 */
#define AGG_STATS_LUA                                                                              \
	AGG_DAY_LUA                                                                                \
	"local n = tonumber(redis.call('HGET', KEYS[1], 'n')) or 0\n"                              \
	"local p95, off = '', 0\n"                                                                 \
	"local tail, acc = n - math.floor((95 * n + 99) / 100) + 1, 0\n"                           \
	"while n > 0 and p95 == '' do\n"                                                           \
	"  local bs = redis.call('ZREVRANGE', KEYS[4], off, off + 7)\n"                            \
	"  if #bs == 0 then break end\n"                                                           \
	"  local cs = redis.call('HMGET', KEYS[1], unpack(bs))\n"                                  \
	"  for i = 1, #bs do\n"                                                                    \
	"    acc = acc + (tonumber(cs[i]) or 0)\n"                                                 \
	"    if acc >= tail then p95 = bs[i]; break end\n"                                         \
	"  end\n"                                                                                  \
	"  off = off + 8\n"                                                                        \
	"end\n"                                                                                    \
	"local day = tonumber(ARGV[2])\n"                                                          \
	"local f = {}\n"                                                                           \
	"for d = day - 29, day do f[#f + 1] = d .. ':u'; f[#f + 1] = d .. ':n' end\n"              \
	"local v = redis.call('HMGET', KEYS[2], unpack(f))\n"                                      \
	"local u, c = 0, 0\n"                                                                      \
	"for i = 1, #v, 2 do\n"                                                                    \
	"  u = u + (tonumber(v[i]) or 0); c = c + (tonumber(v[i + 1]) or 0)\n"                     \
	"end\n"                                                                                    \
	"local pos = (tonumber(ARGV[1]) % 86400) / 60\n"                                           \
	"local old = day_letter(KEYS[3], pos)\n"                                                   \
	"if old == '' then\n"                                                                      \
	"  old = redis.call('HGET', ARGV[3] .. 'hist:' .. ARGV[2], ARGV[1]) or ''\n"               \
	"end\n"                                                                                    \
	"return {p95, tostring(u), tostring(c), old}\n"

/*
 * Write W's verdict into the history (idempotent: the counters follow a
 * rewritten window) and as the current verdict unless a newer one is there.
 * A window in maintenance (m) counts in DAY:m only, neither up nor counted:
 * uptime_30d leaves it out, the daily bars show it.
 * KEYS: verdict day:DAY up tally red rgn; ARGV: W, its letter, the record,
 * DAY, the TTL of 31 days, the prefix, the month, the TTL of 400 days, then
 * the regions' own results of W, "region" "p|f" ...  The window's letter is
 * at position (W mod 86400) / 60 of day:DAY, 480 bytes made whole at its
 * first write, the 1,440 letters of before packed then; hist:DAY, the hash
 * of before, named from the prefix, is read for a window day:DAY lacks
 * until it has expired.  The tally follows every write; red is written
 * again when a window turns red or stops being red (or the day's first
 * write finds red windows); the regions are counted when a window is
 * first decided, not in maintenance.
 */
#define AGG_WRITE_LUA                                                                              \
	AGG_DAY_LUA AGG_HIST_LUA                                                                   \
	    "local w, v, day = ARGV[1], ARGV[2], tonumber(ARGV[4])\n"                              \
	    "local function bump(x, by)\n"                                                         \
	    "  if x == 'g' or x == 'a' then redis.call('HINCRBY', KEYS[3], day .. ':u', by) end\n" \
	    "  if x == 'g' or x == 'a' or x == 'r' then\n"                                         \
	    "    redis.call('HINCRBY', KEYS[3], day .. ':n', by)\n"                                \
	    "  end\n"                                                                              \
	    "  if x == 'm' then redis.call('HINCRBY', KEYS[3], day .. ':m', by) end\n"             \
	    "end\n"                                                                                \
	    "local pos = (tonumber(w) % 86400) / 60\n"                                             \
	    "local old = day_letter(KEYS[2], pos)\n"                                               \
	    "if old == '' then old = redis.call('HGET', ARGV[6] .. 'hist:' .. day, w) end\n"       \
	    "if old then bump(old, -1) end\n"                                                      \
	    "bump(v, 1)\n"                                                                         \
	    "day_pack(KEYS[2])\n"                                                                  \
	    "day_set(KEYS[2], pos, v)\n"                                                           \
	    "redis.call('EXPIRE', KEYS[2], ARGV[5])\n"                                             \
	    "redis.call('HDEL', KEYS[3], (day - 30) .. ':u', (day - 30) .. ':n', (day - 30) .. "   \
	    "':m',\n"                                                                              \
	    "  (day - 31) .. ':u', (day - 31) .. ':n', (day - 31) .. ':m')\n"                      \
	    "redis.call('EXPIRE', KEYS[3], ARGV[5])\n"                                             \
	    "local ttl = tonumber(ARGV[8])\n"                                                      \
	    "local new, reds = hist_tally(KEYS[4], KEYS[2], day, old, v, ttl)\n"                   \
	    "if new then hist_keep({KEYS[5], KEYS[6]}, ttl) end\n"                                 \
	    "if (old == 'r') ~= (v == 'r') or (new and reds > 0) then hist_red(KEYS[5], KEYS[2], " \
	    "day, ttl) end\n"                                                                      \
	    "if not old and v ~= 'm' and #ARGV > 8 then hist_regions(KEYS[6], tonumber(ARGV[7]), " \
	    "ARGV, 9, ttl) end\n"                                                                  \
	    "local cur = redis.call('GET', KEYS[1])\n"                                             \
	    "local cw = cur and tonumber(string.match(cur, '\"window\":(%d+)'))\n"                 \
	    "if not cw or cw <= tonumber(w) then\n"                                                \
	    "  redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[5])\n"                               \
	    "end\n"                                                                                \
	    "return 1\n"

#endif
