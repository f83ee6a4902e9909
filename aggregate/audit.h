/*
 * audit.h - "a window is written by the runner that probed it"
 * (mcp-aggregate(1) "push", mcp-store(7) "AUDIT"): what push refuses for
 * a window not begun and what it keeps out as a second, different result
 * of a window already stored is counted and kept in bounded keys, and
 * what a token wrote for each window is kept, so that revoking the token
 * can take back what it wrote for windows not yet decided.
 *
 *	mcp:audit:conflict        list, newest first, AGG_AUDIT_MAX entries,
 *	                          "NOW SLUG REGION WINDOW WRITER"
 *	mcp:audit:count:DAY       hash, "conflict REGION" and "future REGION"
 *	                          -> a count of the UTC day DAY (epoch / 86400)
 *	mcp:contest:W             hash, "SLUG REGION WRITER" -> the 7 bytes of
 *	                          the first conflicting result of each writer
 *	mcp:wrote:REGION:ID       sorted set of the windows token ID wrote
 *	mcp:wrote:REGION:ID:W     hash, SLUG -> the 7 bytes it wrote in W
 *
 * WRITER is a token's ID, or "-" for push on the deciding host.  Each key
 * expires: the audit's in AGG_AUDIT_TTL, the others with the results (25 h).
 */
#ifndef AUDIT_H
#define AUDIT_H

#include "aggregate.h"

#define AGG_AUDIT_MAX 1000          /* entries of mcp:audit:conflict */
#define AGG_AUDIT_TTL (8 * AGG_DAY) /* seconds the audit's keys are kept */
#define AGG_KEY_AUDIT "mcp:audit:conflict"
#define AGG_KEY_AUDIT_COUNT "mcp:audit:count:"

/*
 * Lua for push.c's script (ARGV as push's: [1] region, [2] value, [4]
 * window, [7] ttl-short, [12] now, [16] the token's ID or '', [17] the
 * slug).  push_again(cur, pos): a result of the window is in the slot at
 * pos: 0 when it is this one (a retry), else 2, counted, kept in the
 * audit and among the window's contested results.  push_wrote(): what
 * the token wrote, after a result is stored.
 */
#define AGG_AUDIT_LUA                                                                              \
	"local function audit_writer() return ARGV[16] ~= '' and ARGV[16] or '-' end\n"            \
	"local function push_again(cur, pos)\n"                                                    \
	"  local mine = res_pack(ARGV[2], KEYS[10])\n"                                             \
	"  if string.sub(cur, pos + 1, pos + 7) == mine then return 0 end\n"                       \
	"  local now, w = ARGV[12], audit_writer()\n"                                              \
	"  local day = 'mcp:audit:count:' .. math.floor(tonumber(now) / 86400)\n"                  \
	"  redis.call('LPUSH', 'mcp:audit:conflict',\n"                                            \
	"    now .. ' ' .. ARGV[17] .. ' ' .. ARGV[1] .. ' ' .. ARGV[4] .. ' ' .. w)\n"            \
	"  redis.call('LTRIM', 'mcp:audit:conflict', 0, 999)\n"                                    \
	"  redis.call('EXPIRE', 'mcp:audit:conflict', 691200)\n"                                   \
	"  redis.call('HINCRBY', day, 'conflict ' .. ARGV[1], 1)\n"                                \
	"  redis.call('EXPIRE', day, 691200)\n"                                                    \
	"  local ck = 'mcp:contest:' .. ARGV[4]\n"                                                 \
	"  redis.call('HSETNX', ck, ARGV[17] .. ' ' .. ARGV[1] .. ' ' .. w, mine)\n"               \
	"  redis.call('EXPIRE', ck, ARGV[7])\n"                                                    \
	"  return 2\n"                                                                             \
	"end\n"                                                                                    \
	"local function push_wrote()\n"                                                            \
	"  if ARGV[16] == '' then return end\n"                                                    \
	"  local z = 'mcp:wrote:' .. ARGV[1] .. ':' .. ARGV[16]\n"                                 \
	"  local k = z .. ':' .. ARGV[4]\n"                                                        \
	"  redis.call('HSET', k, ARGV[17], res_pack(ARGV[2], KEYS[10]))\n"                         \
	"  redis.call('EXPIRE', k, ARGV[7])\n"                                                     \
	"  redis.call('ZADD', z, ARGV[4], ARGV[4])\n"                                              \
	"  redis.call('ZREMRANGEBYSCORE', z, '-inf', '(' .. (tonumber(ARGV[12]) - ARGV[7]))\n"     \
	"  redis.call('EXPIRE', z, ARGV[7])\n"                                                     \
	"end\n"

/* Count n results of region refused for a window not begun (mcp:audit:count:DAY). */
void agg_audit_future(struct mcp_store *st, const char *region, long n);

/*
 * status: the counts of today and yesterday (UTC), a line on stderr for
 * each region that has any; 0, or -1 when the store failed (err).
 */
int agg_audit_show(struct mcp_store *st, char *err, size_t len);

/*
 * token revoke --take-back: what token ID of region wrote for the
 * windows after the newest decided is deleted, and a contested result of
 * another writer of the region put in its place.  The count of results
 * taken back, or -1 (err).
 */
long agg_audit_take_back(
    struct mcp_store *st, const char *region, const char *id, char *err, size_t len);

#endif
