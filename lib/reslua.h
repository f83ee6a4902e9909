/*
 * reslua.h - the Lua that packs and unpacks a result of mcp:{SLUG}:rs:HOUR
 * (mcp-store(7)): the functions are pasted at the top of the scripts of
 * mcp-aggregate and mcp-serve that write or read results, so every tool
 * reads the same 7 bytes the same way.
 *
 * A key rs:HOUR is a hash: region -> 60 slots of 7 bytes (420), the slot
 * of window W at 7 x ((W mod 3600) / 60).  A slot, big-endian:
 *
 *	0-1  OFFSET, ms after W (0..59999)
 *	2-6  40 bits, the top two the state: 0 an empty slot, 1 h, 2 a, 3 b;
 *	     h, a: 22 bits MS (0..4194302, 4194303 for none), then 16 bits
 *	     ID (0 for none; the first 4 hex digits of a sha256: hash, or of
 *	     the SHA-1 of any other, 1 for 0000);
 *	     b: 4 bits the failed step (1..8 in the order of mcp_steps), 8
 *	     bits the code's number in mcp:{SLUG}:codes (0 for none), zeros
 *
 * The 16-byte slots of rh:HOUR, the layout before, are read for a region
 * the 7-byte slots lack, until those keys have expired (25 hours): the
 * same fields, the ID of 64 bits cut to its first 16 the same way.
 *
 * res_pack(value, codes) takes a value in the text form of the old res:W
 * ("OFFSET hID MS", "OFFSET b STEP CODE", ...) and the codes key; the
 * caller has checked it.  res_text(slot, names) gives that text back (a
 * slot of 7 bytes, or of 16 of before), or nil for an empty slot; names
 * maps a code's number to the code (res_names(codes) reads it).
 * res_state(s, size, j) reads slot j of a region's string s (slots of size
 * 7, or 16 of before) without making its text: 0 empty, 1 h, 2 a, 3 b,
 * then for b the failed step and the code's number.
 * res_window(h, w, prefix, names) gives the results of window w as
 * HGETALL gave them from res:W, "region value ...": the slots of h (the
 * HGETALL of w's rs:HOUR) first, then those of the rh:HOUR of before and
 * the res:W before it, named from the prefix "mcp:{SLUG}:", for a region
 * the slots lack, until those keys have expired.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_RESLUA_H
#define MCP_RESLUA_H

#define MCP_RES_SLOT 7
#define MCP_RES_SLOTS 60
#define MCP_RES_CODES_MAX 250
#define MCP_RES_MS_NONE 4194303
#define MCP_RES_OLD_SLOT 16 /* rh:HOUR, the layout before */
#define MCP_RES_OLD_MS_NONE 16777215

#define MCP_RES_FOLD_LUA                                                                           \
	"local RES_NONE, RES_R = string.rep('\\0', 7), nil\n"                                      \
	"local function res_v(s, i)\n"                                                             \
	"  local n, m, b = 0, 1, 0\n"                                                              \
	"  repeat\n"                                                                               \
	"    b = string.byte(s, i)\n"                                                              \
	"    if not b or m > 2^28 then return nil end\n"                                           \
	"    n, m, i = n + b % 128 * m, m * 128, i + 1\n"                                          \
	"  until b < 128\n"                                                                        \
	"  return n, i\n"                                                                          \
	"end\n"                                                                                    \
	"local function res_rnames(pre)\n"                                                         \
	"  if not RES_R then\n"                                                                    \
	"    RES_R = {}\n"                                                                         \
	"    local r = redis.call('HGET', pre .. 'rf', 'R') or ''\n"                               \
	"    for n in string.gmatch(r, '%S+') do RES_R[#RES_R + 1] = n end\n"                      \
	"  end\n"                                                                                  \
	"  return RES_R\n"                                                                         \
	"end\n"                                                                                    \
	"local function res_unfold(v, rn)\n"                                                       \
	"  if string.byte(v, 1) ~= 1 then return nil end\n"                                        \
	"  local ap, ac, nr, i\n"                                                                  \
	"  ap, i = res_v(v, 2)\n"                                                                  \
	"  if i then ac, i = res_v(v, i) end\n"                                                    \
	"  if i then nr, i = res_v(v, i) end\n"                                                    \
	"  if not i or nr > 255 then return nil end\n"                                             \
	"  local regs = {}\n"                                                                      \
	"  for r = 1, nr do\n"                                                                     \
	"    local k, name, c, p = string.byte(v, i), nil, nil, nil\n"                             \
	"    if not k then return nil end\n"                                                       \
	"    if k >= 128 then\n"                                                                   \
	"      name, i = string.sub(v, i + 1, i + k - 128), i + 1 + k - 128\n"                     \
	"    else\n"                                                                               \
	"      name, i = rn[k + 1], i + 1\n"                                                       \
	"    end\n"                                                                                \
	"    c, i = res_v(v, i)\n"                                                                 \
	"    if i then p, i = res_v(v, i) end\n"                                                   \
	"    if not i then return nil end\n"                                                       \
	"    local t, got = {}, 0\n"                                                               \
	"    while got < 60 do\n"                                                                  \
	"      local hd = string.byte(v, i)\n"                                                     \
	"      if not hd then return nil end\n"                                                    \
	"      local st, n, slot = math.floor(hd / 64), math.min(hd % 64 + 1, 60 - got), "         \
	"RES_NONE\n"                                                                               \
	"      if st > 0 then\n"                                                                   \
	"        local x1, x2 = string.byte(v, i + 1, i + 2)\n"                                    \
	"        if not x2 then return nil end\n"                                                  \
	"        if st == 3 then\n"                                                                \
	"          slot = string.char(255, 255, 192 + x1 % 16 * 4 + math.floor(x2 / 64), x2 % 64 " \
	"* 4, 0, 0, 0)\n"                                                                          \
	"        else\n"                                                                           \
	"          slot = string.char(255, 255, st * 64 + 63, 255, 255, x1, x2)\n"                 \
	"        end\n"                                                                            \
	"        i = i + 2\n"                                                                      \
	"      end\n"                                                                              \
	"      t[#t + 1] = string.rep(slot, n)\n"                                                  \
	"      got, i = got + n, i + 1\n"                                                          \
	"    end\n"                                                                                \
	"    if name then regs[#regs + 1] = {name, table.concat(t), c, p} end\n"                   \
	"  end\n"                                                                                  \
	"  return regs, i, ap, ac\n"                                                               \
	"end\n"                                                                                    \
	"local function res_fold_lat(v, i)\n"                                                      \
	"  local b0, n, out = nil, nil, {}\n"                                                      \
	"  b0, i = res_v(v, i)\n"                                                                  \
	"  if i then n, i = res_v(v, i) end\n"                                                     \
	"  if not i or b0 + n > 512 then return out end\n"                                         \
	"  for b = b0, b0 + n - 1 do\n"                                                            \
	"    local c\n"                                                                            \
	"    c, i = res_v(v, i)\n"                                                                 \
	"    if not c then return out end\n"                                                       \
	"    if c > 0 then out[#out + 1] = tostring(b); out[#out + 1] = c end\n"                   \
	"  end\n"                                                                                  \
	"  return out\n"                                                                           \
	"end\n"                                                                                    \
	"local function res_merge(raw, f)\n"                                                       \
	"  if #raw < 420 then raw = raw .. string.rep('\\0', 420 - #raw) end\n"                    \
	"  local t = {}\n"                                                                         \
	"  for j = 0, 59 do\n"                                                                     \
	"    t[j + 1] = string.sub(string.byte(raw, j * 7 + 3) >= 64 and raw or f, j * 7 + 1, j "  \
	"* 7 + 7)\n"                                                                               \
	"  end\n"                                                                                  \
	"  return table.concat(t)\n"                                                               \
	"end\n"                                                                                    \
	"local function res_hour(kv, pre, hour)\n"                                                 \
	"  local f = redis.call('HGET', pre .. 'rf', hour)\n"                                      \
	"  local regs = f and res_unfold(f, res_rnames(pre))\n"                                    \
	"  if not regs then return kv end\n"                                                       \
	"  local out, at = {}, {}\n"                                                               \
	"  for j = 1, #kv, 2 do\n"                                                                 \
	"    out[j], out[j + 1], at[kv[j]] = kv[j], kv[j + 1], j + 1\n"                            \
	"  end\n"                                                                                  \
	"  for _, r in ipairs(regs) do\n"                                                          \
	"    local j = at[r[1]]\n"                                                                 \
	"    if j then out[j] = res_merge(out[j], r[2])\n"                                         \
	"    else out[#out + 1] = r[1]; out[#out + 1] = r[2] end\n"                                \
	"  end\n"                                                                                  \
	"  return out\n"                                                                           \
	"end\n"

#define MCP_RES_LUA                                                                                \
	"local STEPS = {'dns', 'connect', 'tls', 'http', 'auth', 'initialize',\n"                  \
	"  'tools_list', 'call'}\n"                                                                \
	"local RES_FOLD_OFF = '0'\n"                                                               \
	"local function res_be(x, n)\n"                                                            \
	"  local b = {}\n"                                                                         \
	"  for i = n, 1, -1 do b[i] = x % 256; x = math.floor(x / 256) end\n"                      \
	"  return string.char(unpack(b))\n"                                                        \
	"end\n"                                                                                    \
	"local function res_id(id)\n"                                                              \
	"  if id == '' then return 0 end\n"                                                        \
	"  if not (#id >= 4 and #id <= 16 and string.match(id, '^%x+$')) then\n"                   \
	"    id = redis.sha1hex(id)\n"                                                             \
	"  end\n"                                                                                  \
	"  return math.max(tonumber(string.sub(id, 1, 4), 16), 1)\n"                               \
	"end\n"                                                                                    \
	"local function res_pack(v, codes)\n"                                                      \
	"  local off, st, a, b = string.match(v, '^(%d+) (%S+) ?(%S*) ?(%S*)$')\n"                 \
	"  local letter, x = string.sub(st, 1, 1), 0\n"                                            \
	"  if letter == 'b' then\n"                                                                \
	"    local step, ci = 0, 0\n"                                                              \
	"    for i = 1, #STEPS do if STEPS[i] == a then step = i end end\n"                        \
	"    if b ~= '' then\n"                                                                    \
	"      ci = tonumber(redis.call('HGET', codes, b))\n"                                      \
	"      if not ci then\n"                                                                   \
	"        ci = redis.call('HLEN', codes) + 1\n"                                             \
	"        if ci <= 250 then redis.call('HSET', codes, b, ci) else ci = 0 end\n"             \
	"      end\n"                                                                              \
	"    end\n"                                                                                \
	"    x = 3 * 2^38 + step * 2^34 + ci * 2^26\n"                                             \
	"  else\n"                                                                                 \
	"    local ms = 4194303\n"                                                                 \
	"    if a ~= '' then ms = math.min(math.floor(tonumber(a)), 4194302) end\n"                \
	"    x = (letter == 'h' and 1 or 2) * 2^38 + ms * 2^16 + res_id(string.sub(st, 2))\n"      \
	"  end\n"                                                                                  \
	"  return res_be(tonumber(off), 2) .. res_be(x, 5)\n"                                      \
	"end\n"                                                                                    \
	"local function res_names(codes)\n"                                                        \
	"  local c, names = redis.call('HGETALL', codes), {}\n"                                    \
	"  for i = 1, #c, 2 do names[tonumber(c[i + 1])] = c[i] end\n"                             \
	"  return names\n"                                                                         \
	"end\n"                                                                                    \
	"local function res_text_old(slot, names)\n"                                               \
	"  if string.byte(slot, 3) == 0 then return nil end\n"                                     \
	"  local off, letter, kind, ci, ms = struct.unpack('>I2c1BBI3', slot)\n"                   \
	"  if letter == 'b' then\n"                                                                \
	"    local s = off .. ' b ' .. (STEPS[kind] or '-')\n"                                     \
	"    if names[ci] then s = s .. ' ' .. names[ci] end\n"                                    \
	"    return s\n"                                                                           \
	"  end\n"                                                                                  \
	"  local s = off .. ' ' .. letter\n"                                                       \
	"  if kind > 0 then\n"                                                                     \
	"    s = s .. string.format('%04x', math.max(string.byte(slot, 9) * 256 +\n"               \
	"      string.byte(slot, 10), 1))\n"                                                       \
	"  end\n"                                                                                  \
	"  if ms ~= 16777215 then s = s .. ' ' .. ms end\n"                                        \
	"  return s\n"                                                                             \
	"end\n"                                                                                    \
	"local function res_text(slot, names)\n"                                                   \
	"  if #slot == 16 then return res_text_old(slot, names) end\n"                             \
	"  if #slot < 7 then return nil end\n"                                                     \
	"  local o1, o2, c1, c2, c3, c4, c5 = string.byte(slot, 1, 7)\n"                           \
	"  local x = (((c1 * 256 + c2) * 256 + c3) * 256 + c4) * 256 + c5\n"                       \
	"  local st, off = math.floor(x / 2^38), o1 * 256 + o2\n"                                  \
	"  if st == 0 then return nil end\n"                                                       \
	"  if off == 65535 then off = RES_FOLD_OFF end\n"                                          \
	"  if st == 3 then\n"                                                                      \
	"    local s = off .. ' b ' .. (STEPS[math.floor(x / 2^34) % 16] or '-')\n"                \
	"    local c = names[math.floor(x / 2^26) % 256]\n"                                        \
	"    if c then s = s .. ' ' .. c end\n"                                                    \
	"    return s\n"                                                                           \
	"  end\n"                                                                                  \
	"  local s = off .. ' ' .. (st == 1 and 'h' or 'a')\n"                                     \
	"  local ms, id = math.floor(x / 2^16) % 4194304, x % 65536\n"                             \
	"  if id > 0 then s = s .. string.format('%04x', id) end\n"                                \
	"  if ms ~= 4194303 then s = s .. ' ' .. ms end\n"                                         \
	"  return s\n"                                                                             \
	"end\n"                                                                                    \
	"local function res_state(s, sz, j)\n"                                                     \
	"  if sz == 7 then\n"                                                                      \
	"    local c1, c2 = string.byte(s, j * 7 + 3, j * 7 + 4)\n"                                \
	"    if not c1 then return 0 end\n"                                                        \
	"    local st = math.floor(c1 / 64)\n"                                                     \
	"    if st == 3 then\n"                                                                    \
	"      return 3, math.floor(c1 / 4) % 16, (c1 % 4) * 64 + math.floor((c2 or 0) / 4)\n"     \
	"    end\n"                                                                                \
	"    return st\n"                                                                          \
	"  end\n"                                                                                  \
	"  local o = j * 16 + 3\n"                                                                 \
	"  local ch = string.byte(s, o)\n"                                                         \
	"  if ch == 104 then return 1 elseif ch == 97 then return 2\n"                             \
	"  elseif ch == 98 then return 3, string.byte(s, o + 1), string.byte(s, o + 2) end\n"      \
	"  return 0\n"                                                                             \
	"end\n" MCP_RES_FOLD_LUA "local RES_OLD = {}\n"                                            \
	"local function res_window(h, w, pre, names)\n"                                            \
	"  local pos, a, got = (w % 3600) / 60, {}, {}\n"                                          \
	"  for j = 1, #h, 2 do\n"                                                                  \
	"    local t = res_text(string.sub(h[j + 1], pos * 7 + 1, pos * 7 + 7), names)\n"          \
	"    if t then a[#a + 1] = h[j]; a[#a + 1] = t; got[h[j]] = true end\n"                    \
	"  end\n"                                                                                  \
	"  local hour = math.floor(w / 3600)\n"                                                    \
	"  RES_OLD[hour] = RES_OLD[hour] or redis.call('HGETALL', pre .. 'rh:' .. hour)\n"         \
	"  local r = RES_OLD[hour]\n"                                                              \
	"  for j = 1, #r, 2 do\n"                                                                  \
	"    local t = not got[r[j]] and #r[j + 1] >= pos * 16 + 16 and\n"                         \
	"      res_text(string.sub(r[j + 1], pos * 16 + 1, pos * 16 + 16), names)\n"               \
	"    if t then a[#a + 1] = r[j]; a[#a + 1] = t; got[r[j]] = true end\n"                    \
	"  end\n"                                                                                  \
	"  local o = redis.call('HGETALL', pre .. 'res:' .. w)\n"                                  \
	"  for j = 1, #o, 2 do\n"                                                                  \
	"    if not got[o[j]] then a[#a + 1] = o[j]; a[#a + 1] = o[j + 1] end\n"                   \
	"  end\n"                                                                                  \
	"  return a\n"                                                                             \
	"end\n"

/*
 * A whole script: KEYS rs:HOUR, ARGV W PREFIX: the results of window W,
 * "region value ..." as HGETALL gave them from res:W, the slots first,
 * then the rh:HOUR and res:W of before for the regions they lack (a store
 * from before, until its keys have expired).  PREFIX is "mcp:{SLUG}:",
 * from which the script names codes, rh:HOUR and res:W, keys that may
 * exist nowhere (declared, they would make Redis Cluster answer TRYAGAIN
 * while the slot migrates).
 */
#define MCP_RES_LUA_WINDOW                                                                         \
	MCP_RES_LUA                                                                                \
	"local pre, w = ARGV[#ARGV], tonumber(ARGV[1])\n"                                          \
	"RES_FOLD_OFF = '-'\n"                                                                     \
	"return res_window(res_hour(redis.call('HGETALL', KEYS[1]), pre, math.floor(w / 3600)),\n" \
	"  w, pre, res_names(pre .. 'codes'))\n"

/*
 * A whole script: KEYS rs:HOUR, ARGV W REGION PREFIX: the region's result
 * of window W in the text form (its slot of rs:HOUR, else of the rh:HOUR
 * of before, else its res:W), or nil.
 */
#define MCP_RES_LUA_REGION                                                                         \
	MCP_RES_LUA                                                                                \
	"local w, pre = tonumber(ARGV[1]), ARGV[#ARGV]\n"                                          \
	"local pos, names = (w % 3600) / 60, res_names(pre .. 'codes')\n"                          \
	"local v = redis.call('HGET', KEYS[1], ARGV[2])\n"                                         \
	"local t = v and res_text(string.sub(v, pos * 7 + 1, pos * 7 + 7), names)\n"               \
	"if not t then\n"                                                                          \
	"  local f = res_hour({}, pre, math.floor(w / 3600))\n"                                    \
	"  for j = 1, #f, 2 do\n"                                                                  \
	"    if f[j] == ARGV[2] then t = res_text(string.sub(f[j + 1], pos * 7 + 1, pos * 7 + "    \
	"7), names) end\n"                                                                         \
	"  end\n"                                                                                  \
	"end\n"                                                                                    \
	"if not t then\n"                                                                          \
	"  v = redis.call('HGET', pre .. 'rh:' .. math.floor(w / 3600), ARGV[2])\n"                \
	"  t = v and #v >= pos * 16 + 16 and\n"                                                    \
	"    res_text(string.sub(v, pos * 16 + 1, pos * 16 + 16), names)\n"                        \
	"end\n"                                                                                    \
	"return t or redis.call('HGET', pre .. 'res:' .. ARGV[1], ARGV[2])\n"

#endif
