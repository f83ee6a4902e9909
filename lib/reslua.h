/*
 * reslua.h - the Lua that packs and unpacks a result of mcp:{SLUG}:rh:HOUR
 * (mcp-store(7)): the functions are pasted at the top of the scripts of
 * mcp-aggregate and mcp-serve that write or read results, so every tool
 * reads the same 16 bytes the same way.
 *
 * A key rh:HOUR is a hash: region -> 60 slots of 16 bytes, the slot of
 * window W at (W mod 3600) / 60.  A slot, big-endian:
 *
 *	0-1  OFFSET, ms after W (0..59999)
 *	2    state letter h, a or b; 0 for an empty slot
 *	3    b: the failed step, 1..8 in the order of mcp_steps;
 *	     h, a: the kind of ID: 0 none, 1 the 16 hex digits of a sha256:
 *	     hash, 2 the first 16 hex digits of the SHA-1 of any other ID
 *	4    b: the code's number in mcp:{SLUG}:codes, 0 for none
 *	5-7  MS, 0..16777214; 16777215 for none
 *	8-15 the ID's 8 bytes (h, a with an ID), else zero
 *
 * res_pack(value, codes) takes a value in the text form of the old res:W
 * ("OFFSET hID MS", "OFFSET b STEP CODE", ...) and the codes key; the
 * caller has checked it.  res_text(slot, names) gives that text back (the
 * ID of kind 2 as "=~" and its 16 digits), or nil for an empty slot;
 * names maps a code's number to the code (res_names(codes) reads it).
 * res_window(h, w, prefix, names) gives the results of window w as
 * HGETALL gave them from res:W, "region value ...": the slots of h (the
 * HGETALL of w's rh:HOUR) first, then the res:W of before, named from the
 * prefix "mcp:{SLUG}:", for a region the slots lack, until those keys
 * have expired.
 */
#ifndef MCP_RESLUA_H
#define MCP_RESLUA_H

#define MCP_RES_SLOT 16
#define MCP_RES_SLOTS 60
#define MCP_RES_CODES_MAX 250
#define MCP_RES_MS_NONE 16777215

#define MCP_RES_LUA                                                                                \
	"local STEPS = {'dns', 'connect', 'tls', 'http', 'auth', 'initialize',\n"                  \
	"  'tools_list', 'call'}\n"                                                                \
	"local function res_pack(v, codes)\n"                                                      \
	"  local off, st, a, b = string.match(v, '^(%d+) (%S+) ?(%S*) ?(%S*)$')\n"                 \
	"  local letter, id = string.sub(st, 1, 1), string.sub(st, 2)\n"                           \
	"  local kind, ci, ms, idb = 0, 0, 16777215, string.rep('\\0', 8)\n"                       \
	"  if letter == 'b' then\n"                                                                \
	"    for i = 1, #STEPS do if STEPS[i] == a then kind = i end end\n"                        \
	"    if b ~= '' then\n"                                                                    \
	"      ci = tonumber(redis.call('HGET', codes, b))\n"                                      \
	"      if not ci then\n"                                                                   \
	"        ci = redis.call('HLEN', codes) + 1\n"                                             \
	"        if ci <= 250 then redis.call('HSET', codes, b, ci) else ci = 0 end\n"             \
	"      end\n"                                                                              \
	"    end\n"                                                                                \
	"  else\n"                                                                                 \
	"    if a ~= '' then ms = math.min(tonumber(a), 16777214) end\n"                           \
	"    if #id == 16 and string.match(id, '^%x+$') then kind = 1\n"                           \
	"    elseif id ~= '' then kind, id = 2, string.sub(redis.sha1hex(id), 1, 16) end\n"        \
	"    if kind > 0 then\n"                                                                   \
	"      local b = {}\n"                                                                     \
	"      for i = 1, 15, 2 do b[#b + 1] = tonumber(string.sub(id, i, i + 1), 16) end\n"       \
	"      idb = string.char(unpack(b))\n"                                                     \
	"    end\n"                                                                                \
	"  end\n"                                                                                  \
	"  return struct.pack('>I2c1BBI3', tonumber(off), letter, kind, ci, ms) .. idb\n"          \
	"end\n"                                                                                    \
	"local function res_names(codes)\n"                                                        \
	"  local c, names = redis.call('HGETALL', codes), {}\n"                                    \
	"  for i = 1, #c, 2 do names[tonumber(c[i + 1])] = c[i] end\n"                             \
	"  return names\n"                                                                         \
	"end\n"                                                                                    \
	"local function res_text(slot, names)\n"                                                   \
	"  if #slot < 16 or string.byte(slot, 3) == 0 then return nil end\n"                       \
	"  local off, letter, kind, ci, ms = struct.unpack('>I2c1BBI3', slot)\n"                   \
	"  if letter == 'b' then\n"                                                                \
	"    local s = off .. ' b ' .. (STEPS[kind] or '-')\n"                                     \
	"    if names[ci] then s = s .. ' ' .. names[ci] end\n"                                    \
	"    return s\n"                                                                           \
	"  end\n"                                                                                  \
	"  local id = ''\n"                                                                        \
	"  if kind > 0 then\n"                                                                     \
	"    id = string.format('%02x%02x%02x%02x%02x%02x%02x%02x', string.byte(slot, 9, 16))\n"   \
	"    if kind == 2 then id = '=~' .. id end\n"                                              \
	"  end\n"                                                                                  \
	"  local s = off .. ' ' .. letter .. id\n"                                                 \
	"  if ms ~= 16777215 then s = s .. ' ' .. ms end\n"                                        \
	"  return s\n"                                                                             \
	"end\n"                                                                                    \
	"local function res_window(h, w, pre, names)\n"                                            \
	"  local pos, a, got = (w % 3600) / 60 * 16, {}, {}\n"                                     \
	"  for j = 1, #h, 2 do\n"                                                                  \
	"    local t = res_text(string.sub(h[j + 1], pos + 1, pos + 16), names)\n"                 \
	"    if t then a[#a + 1] = h[j]; a[#a + 1] = t; got[h[j]] = true end\n"                    \
	"  end\n"                                                                                  \
	"  local o = redis.call('HGETALL', pre .. 'res:' .. w)\n"                                  \
	"  for j = 1, #o, 2 do\n"                                                                  \
	"    if not got[o[j]] then a[#a + 1] = o[j]; a[#a + 1] = o[j + 1] end\n"                   \
	"  end\n"                                                                                  \
	"  return a\n"                                                                             \
	"end\n"

/*
 * A whole script: KEYS rh:HOUR, ARGV W PREFIX: the results of window W,
 * "region value ..." as HGETALL gave them from res:W, the slots first,
 * then res:W for the regions they lack (a store from before the packed
 * layout, until its keys have expired).  PREFIX is "mcp:{SLUG}:", from
 * which the script names codes and res:W, keys that may exist nowhere
 * (declared, they would make Redis Cluster answer TRYAGAIN while the slot
 * migrates).
 */
#define MCP_RES_LUA_WINDOW                                                                         \
	MCP_RES_LUA                                                                                \
	"local pre = ARGV[#ARGV]\n"                                                                \
	"return res_window(redis.call('HGETALL', KEYS[1]), tonumber(ARGV[1]), pre,\n"              \
	"  res_names(pre .. 'codes'))\n"

/*
 * A whole script: KEYS rh:HOUR, ARGV W REGION PREFIX: the region's result
 * of window W in the text form, or nil.
 */
#define MCP_RES_LUA_REGION                                                                         \
	MCP_RES_LUA                                                                                \
	"local pos = (tonumber(ARGV[1]) % 3600) / 60 * 16\n"                                       \
	"local v = redis.call('HGET', KEYS[1], ARGV[2])\n"                                         \
	"local t = v and res_text(string.sub(v, pos + 1, pos + 16), res_names(ARGV[#ARGV] .. "     \
	"'codes'))\n"                                                                              \
	"return t or redis.call('HGET', ARGV[#ARGV] .. 'res:' .. ARGV[1], ARGV[2])\n"

#endif
