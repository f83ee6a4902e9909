/*
 * audit.h - "a window is written by the runner that probed it"
 * (mcp-aggregate(1) "push", mcp-store(7) "AUDIT"): what push refuses for
 * a window not begun and what it keeps out as a second, different result
 * of a window already stored is counted and kept in bounded keys, and
 * which token wrote each result of the ingest is kept beside it, so that
 * revoking the token can take back what it wrote for windows not yet
 * decided, and what it wrote late into windows decided already.
 *
 *	mcp:{audit}:conflict      list, newest first, AGG_AUDIT_MAX entries,
 *	                          "NOW SLUG REGION WINDOW WRITER"
 *	mcp:{audit}:count:DAY     hash, "conflict REGION" and "future REGION"
 *	                          -> a count of the UTC day DAY (epoch / 86400)
 *	mcp:{SLUG}:rw:HOUR        hash, REGION -> 60 slots of 4 bytes: the ID
 *	                          of the token that wrote the result of each
 *	                          window of rs:HOUR, zeros for push on the host;
 *	                          "REGION +" the same, for the results written
 *	                          once their window was decided (kept raw by
 *	                          the fold)
 *	mcp:{SLUG}:contest:W      hash, "REGION WRITER" -> the 7 bytes of the
 *	                          first result of each writer kept out of W
 *
 * WRITER is a token's ID, or "-" for push on the deciding host.  The
 * audit's keys expire in AGG_AUDIT_TTL, the others with the results (25
 * h); the slug's keys carry its hash tag, as every key a result's script
 * writes must on a cluster.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef AUDIT_H
#define AUDIT_H

#include "aggregate.h"

#define AGG_AUDIT_MAX 1000          /* entries of mcp:{audit}:conflict */
#define AGG_AUDIT_TTL (8 * AGG_DAY) /* seconds the audit's keys are kept */
#define AGG_KEY_AUDIT "mcp:{audit}:conflict"
#define AGG_KEY_AUDIT_COUNT "mcp:{audit}:count:"

/*
 * Lua for pushlua.c's script (ARGV as push's: [1] region, [4] window, [7]
 * ttl-short, [9] hour, [14] slot, [15] the slug's prefix, [16] the
 * token's ID or '').  push_again(cur, pos, folded): a result of the
 * window is in the slot at pos of cur (a region's raw slots, or its slots
 * of the fold when folded: state, tool-list id, step and code only): 0
 * when it is this one (a retry; its id the slug's, push_id), else 2, kept
 * among the window's contested results.
 * push_wrote(xat, late): the token that wrote it, after a result is
 * stored, in the region's field of rw:HOUR, or its field "REGION +" when
 * the window was decided already (late); the key's expiry set when the
 * field is new: ttl-short and xat (seconds to the end of the hour,
 * pushlua.c).
 */
#define AGG_AUDIT_LUA                                                                              \
	"local function push_folded(s)\n"                                                          \
	"  if string.byte(s, 3) >= 192 then return string.char(255, 255) .. string.sub(s, 3, 7) "  \
	"end\n"                                                                                    \
	"  return string.char(255, 255, math.floor(string.byte(s, 3) / 64) * 64 + 63, 255, 255) "  \
	"..\n"                                                                                     \
	"    string.sub(s, 6, 7)\n"                                                                \
	"end\n"                                                                                    \
	"local function push_again(cur, pos, folded)\n"                                            \
	"  local v, had = push_id(ARGV[2], false), string.sub(cur, pos + 1, pos + 7)\n"            \
	"  local mine = v and res_pack(v, KEYS[10])\n"                                             \
	"  if mine and (had == mine or folded and push_folded(mine) == push_folded(had)) then\n"   \
	"    return 0\n"                                                                           \
	"  end\n"                                                                                  \
	"  local ck = ARGV[15] .. 'contest:' .. ARGV[4]\n"                                         \
	"  local f = ARGV[1] .. ' ' .. (ARGV[16] ~= '' and ARGV[16] or '-')\n"                     \
	"  if redis.call('HEXISTS', ck, f) == 0 then\n"                                            \
	"    v = push_id(ARGV[2], true)\n"                                                         \
	"    if type(v) == 'table' then return v end\n"                                            \
	"    redis.call('HSET', ck, f, res_pack(v, KEYS[10]))\n"                                   \
	"  end\n"                                                                                  \
	"  redis.call('EXPIRE', ck, ARGV[7])\n"                                                    \
	"  return 2\n"                                                                             \
	"end\n"                                                                                    \
	"local function push_wrote(xat, late)\n"                                                   \
	"  if ARGV[16] == '' then return end\n"                                                    \
	"  local k, at = ARGV[15] .. 'rw:' .. ARGV[9], tonumber(ARGV[14]) * 4\n"                   \
	"  local f = late and ARGV[1] .. ' +' or ARGV[1]\n"                                        \
	"  local cur = redis.call('HGET', k, f) or ''\n"                                           \
	"  local new = #cur < 240\n"                                                               \
	"  if #cur < 240 then cur = cur .. string.rep('\\0', 240 - #cur) end\n"                    \
	"  local id = string.char(tonumber(string.sub(ARGV[16], 1, 2), 16),\n"                     \
	"    tonumber(string.sub(ARGV[16], 3, 4), 16), tonumber(string.sub(ARGV[16], 5, 6), "      \
	"16),\n"                                                                                   \
	"    tonumber(string.sub(ARGV[16], 7, 8), 16))\n"                                          \
	"  redis.call('HSET', k, f, string.sub(cur, 1, at) .. id .. string.sub(cur, at + 5))\n"    \
	"  if new then redis.call('EXPIRE', k, xat + ARGV[7]) end\n"                               \
	"end\n"

/*
 * Queue on st the audit of a conflict (a script of the two {audit} keys):
 * one reply to read.  writer: a token's ID, or NULL for push.
 */
void agg_audit_conflict(struct mcp_store *st, const char *slug, const char *region,
    long long window, const char *writer);

/* Count n results of region refused for a window not begun (mcp:{audit}:count:DAY). */
void agg_audit_future(struct mcp_store *st, const char *region, long n);

/*
 * status: the counts of today and yesterday (UTC), a line on stderr for
 * each region that has any; 0, or -1 when the store failed (err).
 */
int agg_audit_show(struct mcp_store *st, char *err, size_t len);

/*
 * token revoke --take-back: what token ID of region wrote for the
 * windows after the newest decided is deleted, and a contested result of
 * another writer of the region put in its place; so is what it wrote
 * into windows decided already (a gap of the region, written late), in
 * the 25 hours the store keeps, into *late.  The count of results of
 * windows not yet decided taken back, or -1 (err).
 */
long agg_audit_take_back(
    struct mcp_store *st, const char *region, const char *id, long *late, char *err, size_t len);

#endif
