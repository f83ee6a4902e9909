/*
 * histlua.h - the Lua of a slug's history (mcp-store(7)), pasted into the
 * verdict's scripts: day:DAY, the window letters of a day, and the long
 * history made of them, tally, red and rgn (lib/hist.h reads those).
 *
 * AGG_DAY_LUA: the letters of day:DAY, 480 bytes, three windows a byte,
 * base 6 (the window of position p in byte p / 3, its digit p mod 3 the
 * lowest first): 0 not decided, then g a r u m.  day_letter(key, p) reads
 * the letter of position p, '' for none (nil when the key does not exist),
 * of the packed string or of the 1,440 letters of before; day_packed(s)
 * packs those letters, day_pack(key) converts them on the first
 * write (or makes the string whole), day_set(key, p, letter) writes one.
 *
 * AGG_FOLD_LUA: the days before yesterday, folded into the one string of
 * the key days (mcp-store(7)): a record a day, newest first, TAG (DAY mod
 * 65536) and LEN, big-endian 16 bits each, then the day's fold, LEN
 * bytes: its runs of equal digits, each a byte d + 6 k (d the digit, k
 * 0-39 a run of k + 1 windows, 40 one of 41 + the next byte, 41 one of
 * the next two bytes' length), the trailing run of 0 left out; or, when
 * the runs would take 480 bytes or more, the day packed as day:DAY.  A
 * green day is 3 bytes, a flapping one at most the 480.  day_fold(s) folds
 * a packed day, day_unfold(f) packs a fold again, fold_digit(f, p) reads
 * one window's digit; folds_parse(s, near, from) gives the records of the
 * key as {DAY = fold} (days recovered from their tags around near, those
 * before from dropped), folds_write(key, t, ttl) writes them back (an
 * empty string for none: days exists from a slug's first verdict on, as
 * the scripts that declare it need, like red and rgn's field V), and
 * fold_get(key, day) gives one day's fold, reading the whole key only when
 * its newest record is not older than the day.
 *
 * AGG_HIST_LUA: hist_tally(key, digits, day, old, letter, ttl) moves the
 * day's record of the tally from the window's old letter to its new one,
 * or counts it whole from the day's packed digits (digits() gives them)
 * when the ring holds no record of the day yet (a new day, or a day
 * written before the tally was): true then, and the day's red windows.
 * hist_red(key, s, day, ttl) writes the day's incidents, read from its
 * packed digits s, into red (and deletes the days that have left the
 * 400).  days_fold(key, pre, day, ttl), on a day's first verdict, folds
 * each day:DAY from the day before yesterday back to the newest day folded
 * already (30 days at most) into the key days, newest first, deletes it,
 * and drops the folds of days more than 31 days old: the key is read
 * whole only for its cut; days_set(key, day, p, letter, ttl) writes a
 * window of a folded day (a back-fill).  hist_regions(key, month, a,
 * first, ttl) counts each region's own result, a[first], a[first + 1] ... as "region" and p
 * (passed) or f (failed), in the month's record of rgn.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef AGG_HISTLUA_H
#define AGG_HISTLUA_H

#include "hist.h"

#define AGG_DAY_LUA                                                                                \
	"local DAYL, DAYD = {'g', 'a', 'r', 'u', 'm'}, {g = 1, a = 2, r = 3, u = 4, m = 5}\n"      \
	"local function day_letter(key, p)\n"                                                      \
	"  local n = redis.call('STRLEN', key)\n"                                                  \
	"  if n == 0 then return nil end\n"                                                        \
	"  if n == 1440 then\n"                                                                    \
	"    local c = redis.call('GETRANGE', key, p, p)\n"                                        \
	"    if c == '\\0' then return '' end\n"                                                   \
	"    return c\n"                                                                           \
	"  end\n"                                                                                  \
	"  local i = math.floor(p / 3)\n"                                                          \
	"  local b = string.byte(redis.call('GETRANGE', key, i, i))\n"                             \
	"  return b and DAYL[math.floor(b / 6 ^ (p % 3)) % 6] or ''\n"                             \
	"end\n"                                                                                    \
	"local function day_packed(cur)\n"                                                         \
	"  local t = {}\n"                                                                         \
	"  for i = 0, 479 do\n"                                                                    \
	"    local v = 0\n"                                                                        \
	"    for d = 3, 1, -1 do v = v * 6 + (DAYD[string.sub(cur, 3 * i + d, 3 * i + d)] or 0) "  \
	"end\n"                                                                                    \
	"    t[i + 1] = string.char(v)\n"                                                          \
	"  end\n"                                                                                  \
	"  return table.concat(t)\n"                                                               \
	"end\n"                                                                                    \
	"local function day_pack(key)\n"                                                           \
	"  local n = redis.call('STRLEN', key)\n"                                                  \
	"  if n == 480 then return end\n"                                                          \
	"  if n ~= 1440 then return redis.call('SET', key, string.rep('\\0', 480)) end\n"          \
	"  redis.call('SET', key, day_packed(redis.call('GET', key)))\n"                           \
	"end\n"                                                                                    \
	"local function day_set(key, p, letter)\n"                                                 \
	"  local i, f = math.floor(p / 3), 6 ^ (p % 3)\n"                                          \
	"  local b = string.byte(redis.call('GETRANGE', key, i, i))\n"                             \
	"  b = b - math.floor(b / f) % 6 * f + (DAYD[letter] or 0) * f\n"                          \
	"  redis.call('SETRANGE', key, i, string.char(b))\n"                                       \
	"end\n"

/* clang-format off */
#define AGG_FOLD_LUA \
	"local function fold_run(f, i)\n" \
	"  local b = string.byte(f, i)\n" \
	"  local d, k = b % 6, math.floor(b / 6)\n" \
	"  if k < 40 then return d, k + 1, i + 1 end\n" \
	"  if k == 40 then return d, 41 + (string.byte(f, i + 1) or 0), i + 2 end\n" \
	"  return d, (string.byte(f, i + 1) or 0) * 256 + (string.byte(f, i + 2) or 0), i + 3\n" \
	"end\n" \
	"local function fold_put(out, d, n)\n" \
	"  if n <= 40 then out[#out + 1] = string.char(d + 6 * (n - 1))\n" \
	"  elseif n <= 296 then out[#out + 1] = string.char(d + 240, n - 41)\n" \
	"  else out[#out + 1] = string.char(d + 246, math.floor(n / 256), n % 256) end\n" \
	"end\n" \
	"local function day_fold(s)\n" \
	"  local out, d, n, i, pat = {}, 0, 0, 1, {}\n" \
	"  while i <= 480 do\n" \
	"    local b = string.byte(s, i)\n" \
	"    if b % 43 == 0 then\n" \
	"      local p = pat[b] or (b == 0 and '[^%z]' or '[^' .. string.char(b) .. ']')\n" \
	"      local j, x = string.find(s, p, i + 1) or 481, b / 43\n" \
	"      pat[b] = p\n" \
	"      if x ~= d and n > 0 then fold_put(out, d, n); n = 0 end\n" \
	"      d, n, i = x, n + 3 * (j - i), j\n" \
	"    else\n" \
	"      for _ = 1, 3 do\n" \
	"        local x = b % 6\n" \
	"        if x ~= d and n > 0 then fold_put(out, d, n); n = 0 end\n" \
	"        d, n, b = x, n + 1, (b - x) / 6\n" \
	"      end\n" \
	"      i = i + 1\n" \
	"    end\n" \
	"  end\n" \
	"  if d > 0 then fold_put(out, d, n) end\n" \
	"  local f = table.concat(out)\n" \
	"  if #f >= 480 then return s end\n" \
	"  return f\n" \
	"end\n" \
	"local function day_unfold(f)\n" \
	"  if #f == 480 then return f end\n" \
	"  local out, acc, p, i, w = {}, 0, 0, 1, {[0] = 1, 6, 36}\n" \
	"  while i <= #f and p < 1440 do\n" \
	"    local d, n\n" \
	"    d, n, i = fold_run(f, i)\n" \
	"    n = math.min(n, 1440 - p)\n" \
	"    while n > 0 and p % 3 > 0 do\n" \
	"      acc, p, n = acc + d * w[p % 3], p + 1, n - 1\n" \
	"      if p % 3 == 0 then out[#out + 1] = string.char(acc); acc = 0 end\n" \
	"    end\n" \
	"    local m = (n - n % 3) / 3\n" \
	"    if m > 0 then out[#out + 1] = string.rep(string.char(43 * d), m) end\n" \
	"    p, n = p + 3 * m, n - 3 * m\n" \
	"    while n > 0 do acc, p, n = acc + d * w[p % 3], p + 1, n - 1 end\n" \
	"  end\n" \
	"  if p % 3 > 0 then out[#out + 1] = string.char(acc) end\n" \
	"  local s = table.concat(out)\n" \
	"  return s .. string.rep('\\0', 480 - #s)\n" \
	"end\n" \
	"local function fold_digit(f, p)\n" \
	"  if #f == 480 then\n" \
	"    return math.floor(string.byte(f, math.floor(p / 3) + 1) / 6 ^ (p % 3)) % 6\n" \
	"  end\n" \
	"  local q, i = 0, 1\n" \
	"  while i <= #f do\n" \
	"    local d, n\n" \
	"    d, n, i = fold_run(f, i)\n" \
	"    q = q + n\n" \
	"    if p < q then return d end\n" \
	"  end\n" \
	"  return 0\n" \
	"end\n" \
	"local function fold_day(tag, near) return near + 32767 - (near + 32767 - tag) % 65536 end\n" \
	"local function folds_parse(s, near, from)\n" \
	"  local t, i = {}, 1\n" \
	"  while i + 3 <= #s do\n" \
	"    local tag, n = struct.unpack('>I2I2', s, i)\n" \
	"    local d = fold_day(tag, near)\n" \
	"    if not t[d] and (not from or d >= from) then t[d] = string.sub(s, i + 4, i + 3 + n) end\n" \
	"    i = i + 4 + n\n" \
	"  end\n" \
	"  return t\n" \
	"end\n" \
	"local function folds_write(key, t, ttl)\n" \
	"  local ds, out = {}, {}\n" \
	"  for d in pairs(t) do ds[#ds + 1] = d end\n" \
	"  table.sort(ds, function(a, b) return a > b end)\n" \
	"  for _, d in ipairs(ds) do out[#out + 1] = struct.pack('>I2I2', d % 65536, #t[d]) .. t[d] end\n" \
	"  redis.call('SET', key, table.concat(out), 'EX', ttl)\n" \
	"end\n" \
	"local function fold_get(key, day)\n" \
	"  local h = redis.call('GETRANGE', key, 0, 1)\n" \
	"  if #h < 2 or fold_day(struct.unpack('>I2', h), day) < day then return nil end\n" \
	"  return folds_parse(redis.call('GET', key), day)[day]\n" \
	"end\n"
/* clang-format on */

/* The numbers of lib/hist.h are written into the Lua. */
#define AGG_STR_(x) #x
#define AGG_STR(x) AGG_STR_(x)
/* clang-format off */
#define AGG_HIST_LUA \
	"local HIST_DAYS, HIST_REC = " AGG_STR(MCP_HIST_DAYS) ", " AGG_STR(MCP_HIST_REC) "\n" \
	"local HIST_MONTHS, HIST_MREC = " AGG_STR(MCP_HIST_MONTHS) ", " AGG_STR(MCP_HIST_MREC) "\n" \
	"local HIST_REGIONS, HIST_INC = " AGG_STR(MCP_HIST_REGIONS) ", " AGG_STR(MCP_HIST_DAY_INC) "\n" \
	"local HIST_GAP = " AGG_STR(MCP_HIST_GAP) "\n" \
	"local function hist_count(s)\n" \
	"  local c = {0, 0, 0, 0, 0}\n" \
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
	"local function hist_tally(key, digits, day, old, letter, ttl)\n" \
	"  if redis.call('STRLEN', key) ~= HIST_DAYS * HIST_REC then\n" \
	"    redis.call('SET', key, string.rep('\\0', HIST_DAYS * HIST_REC))\n" \
	"  end\n" \
	"  local off, tag = (day % HIST_DAYS) * HIST_REC, day % 65535 + 1\n" \
	"  local t, g, a, r, u, m =\n" \
	"    struct.unpack('>I2I2I2I2I2I2', redis.call('GETRANGE', key, off, off + HIST_REC - 1))\n" \
	"  local c = {g, a, r, u, m}\n" \
	"  if t ~= tag then\n" \
	"    c = hist_count(digits())\n" \
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
	"local function hist_red(key, s, day, ttl)\n" \
	"  local out, cs, ce, cn, merged = {}, -1, -1, 0, false\n" \
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
	"local function days_set(key, day, p, letter, ttl)\n" \
	"  local t = folds_parse(redis.call('GET', key) or '', day)\n" \
	"  local s, i, f = day_unfold(t[day] or ''), math.floor(p / 3), 6 ^ (p % 3)\n" \
	"  local b = string.byte(s, i + 1)\n" \
	"  b = b - math.floor(b / f) % 6 * f + (DAYD[letter] or 0) * f\n" \
	"  s = string.sub(s, 1, i) .. string.char(b) .. string.sub(s, i + 2)\n" \
	"  t[day] = day_fold(s)\n" \
	"  folds_write(key, t, ttl)\n" \
	"  return s\n" \
	"end\n" \
	"local function days_fold(key, pre, day, ttl)\n" \
	"  local s, head, gone, i = redis.call('GET', key) or '', {}, {}, 1\n" \
	"  local newest = #s >= 4 and fold_day(string.byte(s, 1) * 256 + string.byte(s, 2), day) or day - 32\n" \
	"  for d = day - 2, math.max(newest + 1, day - 31), -1 do\n" \
	"    local k = pre .. 'day:' .. d\n" \
	"    local r = redis.call('GET', k)\n" \
	"    if r and #r == 1440 then r = day_packed(r) end\n" \
	"    if r and #r == 480 then\n" \
	"      local f = day_fold(r)\n" \
	"      head[#head + 1], gone[#gone + 1] = struct.pack('>I2I2', d % 65536, #f) .. f, k\n" \
	"    end\n" \
	"  end\n" \
	"  while i + 3 <= #s do\n" \
	"    local t1, t2, n1, n2 = string.byte(s, i, i + 3)\n" \
	"    if fold_day(t1 * 256 + t2, day) < day - 31 then break end\n" \
	"    i = i + 4 + n1 * 256 + n2\n" \
	"  end\n" \
	"  head[#head + 1] = string.sub(s, 1, i - 1)\n" \
	"  redis.call('SET', key, table.concat(head), 'EX', ttl)\n" \
	"  if #gone > 0 then redis.call('DEL', unpack(gone)) end\n" \
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
 * hist_uptime(tk, uk, day): the windows up and counted in the 30 days to
 * day, from the records of the tally (tk), else from the counters of a
 * store written before this version (uk, up, read only while it exists).
 */
/* clang-format off */
#define AGG_UPTIME_LUA \
	"local function hist_uptime(tk, uk, day)\n" \
	"  local HIST_DAYS, HIST_REC = " AGG_STR(MCP_HIST_DAYS) ", " AGG_STR(MCP_HIST_REC) "\n" \
	"  local u, c, lack, recs = 0, 0, {}, ''\n" \
	"  if redis.call('STRLEN', tk) == HIST_DAYS * HIST_REC then\n" \
	"    local o0, o1 = ((day - 29) % HIST_DAYS) * HIST_REC, (day % HIST_DAYS) * HIST_REC\n" \
	"    recs = redis.call('GETRANGE', tk, o0, o0 < o1 and o1 + HIST_REC - 1 or -1)\n" \
	"    if o0 > o1 then recs = recs .. redis.call('GETRANGE', tk, 0, o1 + HIST_REC - 1) end\n" \
	"  end\n" \
	"  for d = day - 29, day do\n" \
	"    local i, t, g, a, r, x, m = (d - day + 29) * HIST_REC, 0, 0, 0, 0, 0, 0\n" \
	"    if #recs >= i + HIST_REC then\n" \
	"      t, g, a, r, x, m = struct.unpack('>I2I2I2I2I2I2', recs, i + 1)\n" \
	"    end\n" \
	"    if t == d % 65535 + 1 and g + a + r + x + m <= 1440 then\n" \
	"      u, c = u + g + a, c + g + a + r\n" \
	"    else\n" \
	"      lack[#lack + 1] = d .. ':u'; lack[#lack + 1] = d .. ':n'\n" \
	"    end\n" \
	"  end\n" \
	"  if #lack > 0 and redis.call('EXISTS', uk) == 1 then\n" \
	"    local v = redis.call('HMGET', uk, unpack(lack))\n" \
	"    for i = 1, #v, 2 do u, c = u + (tonumber(v[i]) or 0), c + (tonumber(v[i + 1]) or 0) end\n" \
	"  end\n" \
	"  return u, c\n" \
	"end\n"
/* The day, its fold and the uptime: what the verdict's scripts read of the history. */
#define AGG_DAYS_LUA AGG_DAY_LUA AGG_FOLD_LUA AGG_UPTIME_LUA
/* clang-format on */

/*
 * Read-only: the latency bucket of the nearest-rank 95th percentile of the
 * 24-hour histogram, found from the top bucket down (a few buckets hold the
 * top 5 %), the 30 days of counters, W's old code.
 */
#define AGG_STATS_LUA                                                                              \
	AGG_DAYS_LUA                                                                               \
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
	"local u, c = hist_uptime(ARGV[3] .. 'tally', ARGV[3] .. 'up', day)\n"                     \
	"local pos = (tonumber(ARGV[1]) % 86400) / 60\n"                                           \
	"local old = day_letter(KEYS[3], pos)\n"                                                   \
	"if not old then\n"                                                                        \
	"  local f = fold_get(KEYS[2], day)\n"                                                     \
	"  old = f and DAYL[fold_digit(f, pos)] or ''\n"                                           \
	"end\n"                                                                                    \
	"if old == '' then\n"                                                                      \
	"  old = redis.call('HGET', ARGV[3] .. 'hist:' .. ARGV[2], ARGV[1]) or ''\n"               \
	"end\n"                                                                                    \
	"return {p95, tostring(u), tostring(c), old}\n"

/*
 * Write W's verdict into the history (idempotent: the counters follow a
 * rewritten window) and as the current verdict unless a newer one is there.
 * A window in maintenance (m) counts in DAY:m only, neither up nor counted:
 * uptime_30d leaves it out, the daily bars show it.
 * KEYS: verdict day:DAY days tally red rgn; ARGV: W, its letter, the record,
 * DAY, the TTL of 31 days, the prefix, the month, the TTL of 400 days, 1
 * when the slug's older days are to be folded now (its minute of the day,
 * verdict.c: the fleet's folds spread over the day, not all at midnight)
 * else 0 (a day's first write then makes days exist, empty, for a Redis
 * Cluster's sake), then the regions' own results of W, "region" "p|f"
 * ...  The
 * window's letter is
 * at position (W mod 86400) / 60 of day:DAY, 480 bytes made whole at its
 * first write, the 1,440 letters of before packed then; hist:DAY, the hash
 * of before, named from the prefix, is read for a window day:DAY lacks
 * until it has expired.  The tally follows every write; red is written
 * again when a window turns red or stops being red (or the day's first
 * write finds red windows); the regions are counted when a window is
 * first decided, not in maintenance.
 */
#define AGG_WRITE_LUA                                                                              \
	AGG_DAYS_LUA AGG_HIST_LUA                                                                  \
	    "local w, v, day = ARGV[1], ARGV[2], tonumber(ARGV[4])\n"                              \
	    "local pos = (tonumber(w) % 86400) / 60\n"                                             \
	    "local old, fold, s = day_letter(KEYS[2], pos), nil, nil\n"                            \
	    "if not old then\n"                                                                    \
	    "  fold = fold_get(KEYS[3], day)\n"                                                    \
	    "  old = fold and DAYL[fold_digit(fold, pos)] or ''\n"                                 \
	    "end\n"                                                                                \
	    "if old == '' then old = redis.call('HGET', ARGV[6] .. 'hist:' .. day, w) end\n"       \
	    "if fold then\n"                                                                       \
	    "  s = days_set(KEYS[3], day, pos, v, ARGV[5])\n"                                      \
	    "else\n"                                                                               \
	    "  day_pack(KEYS[2])\n"                                                                \
	    "  day_set(KEYS[2], pos, v)\n"                                                         \
	    "  redis.call('EXPIRE', KEYS[2], ARGV[5])\n"                                           \
	    "end\n"                                                                                \
	    "local function digits() return s or redis.call('GET', KEYS[2]) or '' end\n"           \
	    "local ttl = tonumber(ARGV[8])\n"                                                      \
	    "local new, reds = hist_tally(KEYS[4], digits, day, old, v, ttl)\n"                    \
	    "if new then hist_keep({KEYS[5], KEYS[6]}, ttl) end\n"                                 \
	    "if ARGV[9] == '1' then days_fold(KEYS[3], ARGV[6], day, ARGV[5])\n"                   \
	    "elseif new then redis.call('SET', KEYS[3], '', 'NX', 'EX', ARGV[5]) end\n"            \
	    "if (old == 'r') ~= (v == 'r') or (new and reds > 0) then hist_red(KEYS[5], "          \
	    "digits(), day, ttl) end\n"                                                            \
	    "if not old and v ~= 'm' and #ARGV > 9 then hist_regions(KEYS[6], tonumber(ARGV[7]), " \
	    "ARGV, 10, ttl) end\n"                                                                 \
	    "local cur = redis.call('GET', KEYS[1])\n"                                             \
	    "local cw = cur and tonumber(string.match(cur, '\"window\":(%d+)'))\n"                 \
	    "if not cw or cw <= tonumber(w) then\n"                                                \
	    "  redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[5])\n"                               \
	    "end\n"                                                                                \
	    "return 1\n"

#endif
