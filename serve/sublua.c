/*
 * sublua.c - the three Lua scripts of the subscription routes
 * (subscribe.c), each the one write of its route, whole in one call: the
 * limits and the queued request, the confirmation, the unsubscription.
 * Their keys are the page's (lib/page.h, mcp-store(7)); what mcp-serve's
 * Redis user may run of them is in mcp-serve(8), SECURITY CONSIDERATIONS.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include "notices.h"

#define STR_(x) #x
#define STR(x) STR_(x)
#define HOUR "3600"

/* clang-format off */
/* An hour's count of KEYS[k]: INCR, the hour set by the first. */
#define COUNT_LUA                                                                                  \
	"local function count(k)\n"                                                                \
	"  local n = redis.call('INCR', k)\n"                                                      \
	"  if n == 1 then redis.call('EXPIRE', k, " HOUR ") end\n"                                 \
	"  return n end\n"

/*
 * KEYS: the client's count, its network's, the address's record (ask),
 * the requests, every client's count, the page's mark that mcp-alert
 * mails subscribers.  ARGV: the request (no address), the address, the
 * time, the network.  A network's first SUB_NET_FREE requests of its hour
 * pass the page's budget: a flood from a few networks shuts out nobody
 * else.  An address is sent SUB_ADDR_MAILS confirmations in its window,
 * one of them asked from each network: a stranger asking first leaves
 * the owner's own request its message.
 */
const char serve_subscribe_lua[] = COUNT_LUA
    "if redis.call('EXISTS', KEYS[6]) == 0 then return {-4, 3600} end\n"
    "if count(KEYS[1]) > " STR(SUB_CLIENT_MAX) " then return {-1, redis.call('TTL', KEYS[1])} end\n"
    "local m = count(KEYS[2])\n"
    "if m > " STR(SUB_NET_MAX) " then return {-1, redis.call('TTL', KEYS[2])} end\n"
    "if redis.call('LLEN', KEYS[4]) >= " STR(PAGE_REQUESTS_MAX) " then return {-2, 60} end\n"
    "if count(KEYS[5]) > " STR(SUB_ALL_MAX) " and m > " STR(SUB_NET_FREE) " then\n"
    "  return {-2, redis.call('TTL', KEYS[5])} end\n"
    "local now, k = tonumber(ARGV[3]), KEYS[3]\n"
    "local w = tonumber(redis.call('HGET', k, 'w') or '') or 0\n"
    "if now - w >= " STR(SUB_ADDR_WINDOW) " or now < w then\n"
    "  for _, f in ipairs(redis.call('HKEYS', k)) do\n"
    "    if string.sub(f, 1, 2) == 'x:' then redis.call('HDEL', k, f) end end\n"
    "  redis.call('HSET', k, 'w', ARGV[3], 'n', '0') end\n"
    "local x = 'x:' .. redis.sha1hex(ARGV[4])\n"
    "if redis.call('HEXISTS', k, x) == 1 or\n"
    "    tonumber(redis.call('HGET', k, 'n')) >= " STR(SUB_ADDR_MAILS) " then return {0, 0} end\n"
    "redis.call('HSET', k, 'a', ARGV[2], x, '1')\n"
    "redis.call('HINCRBY', k, 'n', 1)\n"
    "if redis.call('TTL', k) < " STR(SUB_ADDR_WINDOW) " then\n"
    "  redis.call('EXPIRE', k, " STR(SUB_ADDR_WINDOW) ") end\n"
    "redis.call('RPUSH', KEYS[4], ARGV[1])\n"
    "return {1, 0}\n";

#define TOKEN_LIMIT                                                                                \
	"local n = redis.call('INCR', KEYS[1])\n"                                                  \
	"if n == 1 then redis.call('EXPIRE', KEYS[1], " HOUR ") end\n"                             \
	"if n > " STR(SUB_TOKEN_MAX) " then return {-1, redis.call('TTL', KEYS[1])} end\n"

/*
 * KEYS: the client's count, the pending request.  ARGV: a new subscriber's
 * id, its unsubscribe token, the time.  The request taken (once), its
 * address read from the address's record (the pending request holds none),
 * the address's subscriber made or found, the slugs added (every one: '*').
 */
const char serve_confirm_lua[] = TOKEN_LIMIT
    "local p = redis.call('GET', KEYS[2])\n"
    "if not p then return {0} end\n"
    "redis.call('DEL', KEYS[2])\n"
    "local ok, r = pcall(cjson.decode, p)\n"
    "if not ok or type(r) ~= 'table' or type(r.h) ~= 'string' then return {0} end\n"
    "local ask = '" PAGE_ASK "' .. r.h\n"
    "local a = redis.call('HGET', ask, 'a')\n"
    "if type(a) ~= 'string' then return {0} end\n"
    "local th, left = string.sub(KEYS[2], #'" PAGE_PENDING "' + 1), {}\n"
    "for t in string.gmatch(redis.call('HGET', ask, 'p') or '', '%S+') do\n"
    "  if t ~= th then left[#left + 1] = t end end\n"
    "redis.call('HSET', ask, 'p', table.concat(left, ' '))\n"
    "local id = redis.call('GET', '" PAGE_ADDR "' .. r.h)\n"
    "if id and redis.call('EXISTS', '" PAGE_SUB "' .. id) == 0 then id = nil end\n"
    "if not id then\n"
    "  if redis.call('SCARD', '" PAGE_SUBS "') >= " STR(PAGE_SUBS_MAX) " then return {-2} end\n"
    "  id = ARGV[1]\n"
    "  redis.call('HSET', '" PAGE_SUB "' .. id, 'kind', 'email', 'addr', a,\n"
    "      'ah', r.h, 'unsub', ARGV[2], 'since', ARGV[3], 'slugs', '')\n"
    "  redis.call('SET', '" PAGE_ADDR "' .. r.h, id)\n"
    "  redis.call('SADD', '" PAGE_SUBS "', id)\n"
    "end\n"
    "local k = '" PAGE_SUB "' .. id\n"
    "local cur = redis.call('HGET', k, 'slugs') or ''\n"
    "if cur == '*' then return {1, '*'} end\n"
    "if r.all == true then\n"
    "  for s in string.gmatch(cur, '%S+') do redis.call('SREM', '" PAGE_SUBS_SLUG "' .. s, id) end\n"
    "  redis.call('HSET', k, 'slugs', '*')\n"
    "  redis.call('SADD', '" PAGE_SUBS_WHOLE "', id)\n"
    "  return {1, '*'}\n"
    "end\n"
    "local have, list = {}, {}\n"
    "for s in string.gmatch(cur, '%S+') do have[s] = true list[#list + 1] = s end\n"
    "if type(r.s) == 'table' then for _, s in ipairs(r.s) do\n"
    "  if type(s) == 'string' and not have[s] and #list < " STR(PAGE_SUB_SLUGS_MAX) " and\n"
    "      string.match(s, '^[a-z0-9._-]+$') then\n"
    "    have[s] = true list[#list + 1] = s\n"
    "    redis.call('SADD', '" PAGE_SUBS_SLUG "' .. s, id) end end end\n"
    "local j = table.concat(list, ' ')\n"
    "redis.call('HSET', k, 'slugs', j)\n"
    "return {1, j}\n";

/*
 * KEYS: the client's count, the subscriber.  ARGV: its id, the token.
 * Every trace of it: its sets, its address's key, what its address asked
 * (the record, its confirmations' tokens, its requests), and its jobs in
 * the mail outbox (read whole: it is bounded by the subscribers' count
 * times the notices of a run).
 */
const char serve_unsub_lua[] = TOKEN_LIMIT
    "local k = KEYS[2]\n"
    "if redis.call('HGET', k, 'kind') ~= 'email' or\n"
    "    redis.call('HGET', k, 'unsub') ~= ARGV[2] then return {0} end\n"
    "local slugs = redis.call('HGET', k, 'slugs') or ''\n"
    PAGE_FORGET_LUA
    "redis.call('DEL', k)\n"
    "return {1}\n";
/* clang-format on */
