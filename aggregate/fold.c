/*
 * fold.c - the results and latencies of a slug's older hours folded into
 * mcp:{SLUG}:rf (mcp-store(7)), by the verdict's passes: rs:HOUR and
 * lat:HOUR stay raw for the hour of the clock and the hour before, which
 * the verdict's lookback and the probe-fault judgment
 * read; an older hour is kept as its windows' states, tool-list ids,
 * failed steps and codes (run-length), each region's p95 and the latency
 * histogram, a few dozen bytes a region-hour instead of 420.  A slug is
 * folded once an hour, by a pass of the minutes from the one its name
 * hashes to.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "mcp.h"
#include "reslua.h"

/* The hours a pass folds: H - 24 to H - 2, H the hour of its window. */
#define FOLD_HOURS 23

/*
 * KEYS rf, then rs:X lat:X for X = H - 24 to H - 2; ARGV H, the TTL.
 * Each hour after the last one folded (rf's field F; H - 25 when none: a
 * store of before, all its raw hours) that has a raw key is folded and its
 * raw keys deleted in the same script; hours older than H - 24 leave rf.
 * A late result into a folded hour stays raw (readers take it beside the
 * fold) until it expires: walking the folded hours for one would cost
 * every fold 46 key lookups.  So does a token's result written after its
 * window was decided (rw:HOUR's field "REGION +", audit.h): the fold
 * leaves it raw, so that revoking the token takes it back.  A value of rf (its
 * layout in lib/reslua.h): the format (1), the p95 of all the regions' MS
 * plus 1 (0 for none) and their count, the regions, then the histogram.
 * A region is its index in the names of "R" (at most 64), else its name's
 * length plus 128 and the name, the count and p95 plus 1 of its MS, then
 * runs of slots covering the 60: a head byte, the state (0 empty, 1 h, 2
 * a, 3 b) times 64 plus the run's length less 1, then for h and a the
 * 16-bit id, for b the step and the code's number.  The histogram: the
 * first bucket, the number of buckets, and the count of each.  Numbers are
 * varints (7 bits a byte, the low first).  The number of folds made.
 */
static const char fold_lua[] = MCP_RES_LUA
    "local rf, H, ttl = KEYS[1], tonumber(ARGV[1]), ARGV[2]\n"
    "local R, idx, rdirty, folded = {}, {}, false, 0\n"
    "local byte, char, floor = string.byte, string.char, math.floor\n"
    "local function vput(t, n)\n"
    "  while n >= 128 do t[#t + 1] = char(128 + n % 128); n = floor(n / 128) end\n"
    "  t[#t + 1] = char(n)\n"
    "end\n"
    "local function p95(v)\n"
    "  local n, top = #v, {}\n"
    "  if n == 0 then return 0 end\n"
    "  local m = n - floor((95 * n + 99) / 100) + 1\n"
    "  for i = 1, n do\n"
    "    local x = v[i]\n"
    "    if #top < m or x > top[1] then\n"
    "      if #top == m then table.remove(top, 1) end\n"
    "      local k = #top + 1\n"
    "      while k > 1 and top[k - 1] > x do k = k - 1 end\n"
    "      table.insert(top, k, x)\n"
    "    end\n"
    "  end\n"
    "  return top[1] + 1\n"
    "end\n"
    "local function key(b, j)\n"
    "  local c1 = b[j * 7 + 3]\n"
    "  local st = floor(c1 / 64)\n"
    "  if st == 3 then return st, floor(c1 / 4) % 16, c1 % 4 * 64 + floor(b[j * 7 + 4] / 4) end\n"
    "  if st == 0 then return 0, 0, 0 end\n"
    "  return st, b[j * 7 + 6], b[j * 7 + 7]\n"
    "end\n"
    "local function runs(t, s)\n"
    "  local tri = string.gsub(s, '..(.)..(..)', '%1%2')\n"
    "  if byte(tri, 1) < 192 and tri == string.rep(string.sub(tri, 1, 3), 60) then\n"
    "    local st, b = floor(byte(tri, 1) / 64), {byte(s, 1, 7)}\n"
    "    t[#t + 1] = char(st * 64 + 59)\n"
    "    if st > 0 then t[#t + 1] = char(b[6], b[7]) end\n"
    "    return\n"
    "  end\n"
    "  local b, j = {byte(s, 1, 420)}, 0\n"
    "  while j < 60 do\n"
    "    local st, x1, x2 = key(b, j)\n"
    "    local n = 1\n"
    "    while j + n < 60 do\n"
    "      local a, p, q = key(b, j + n)\n"
    "      if a ~= st or p ~= x1 or q ~= x2 then break end\n"
    "      n = n + 1\n"
    "    end\n"
    "    t[#t + 1] = char(st * 64 + n - 1)\n"
    "    if st > 0 then t[#t + 1] = char(x1, x2) end\n"
    "    j = j + n\n"
    "  end\n"
    "end\n"
    "local function name_of(t, name)\n"
    "  local k = idx[name]\n"
    "  if not k and #R < 64 then\n"
    "    R[#R + 1] = name; k = #R - 1; idx[name] = k; rdirty = true\n"
    "  end\n"
    "  if k then t[#t + 1] = char(k) else t[#t + 1] = char(128 + #name) .. name end\n"
    "end\n"
    "local function durations(r, s, all)\n"
    "  local b = {byte(s, 1, 420)}\n"
    "  for q = 0, 59 do\n"
    "    local c1 = b[q * 7 + 3]\n"
    "    if c1 >= 64 and c1 < 192 and #r[5] < 60 then\n"
    "      local ms = c1 % 64 * 65536 + b[q * 7 + 4] * 256 + b[q * 7 + 5]\n"
    "      if ms ~= 4194303 then r[5][#r[5] + 1] = ms; all[#all + 1] = ms end\n"
    "    end\n"
    "  end\n"
    "end\n"
    "local function fold_hour(x, kv, lat)\n"
    "  local old = redis.call('HGET', rf, x)\n"
    "  local regs, li, ap, ac\n"
    "  if old then regs, li, ap, ac = res_unfold(old, R) end\n"
    "  if not regs then regs, li, ap, ac = {}, nil, 0, 0 end\n"
    "  local by, all, cnt = {}, {}, {}\n"
    "  for k = 1, math.min(ac, 3600) do all[k] = ap - 1 end\n"
    "  for _, r in ipairs(regs) do\n"
    "    by[r[1]], r[5] = r, {}\n"
    "    for k = 1, r[3] do r[5][k] = r[4] - 1 end\n"
    "  end\n"
    "  for j = 1, #kv, 2 do\n"
    "    local s = kv[j + 1]\n"
    "    if #s ~= 420 then s = string.sub(s .. string.rep('\\0', 420), 1, 420) end\n"
    "    local r = by[kv[j]]\n"
    "    if r then r[2] = res_merge(s, r[2])\n"
    "    elseif #kv[j] <= 80 then\n"
    "      r = {kv[j], s, 0, 0, {}}; regs[#regs + 1] = r; by[kv[j]] = r\n"
    "    end\n"
    "    if r then durations(r, s, all) end\n"
    "  end\n"
    "  local t = {char(1)}\n"
    "  vput(t, p95(all)); vput(t, #all); vput(t, math.min(#regs, 255))\n"
    "  for i = 1, math.min(#regs, 255) do\n"
    "    local r = regs[i]\n"
    "    name_of(t, r[1]); vput(t, #r[5]); vput(t, p95(r[5])); runs(t, r[2])\n"
    "  end\n"
    "  for _, v in ipairs(li and res_fold_lat(old, li) or {}) do lat[#lat + 1] = v end\n"
    "  local lo, hi = 512, -1\n"
    "  for j = 1, #lat, 2 do\n"
    "    local b, c = tonumber(lat[j]), tonumber(lat[j + 1])\n"
    "    if b and c and b >= 0 and b < 512 and b == floor(b) and c > 0 then\n"
    "      cnt[b] = (cnt[b] or 0) + floor(c)\n"
    "      lo, hi = math.min(lo, b), math.max(hi, b)\n"
    "    end\n"
    "  end\n"
    "  if hi < 0 then lo = 0 end\n"
    "  vput(t, lo); vput(t, hi - lo + 1)\n"
    "  for b = lo, hi do vput(t, cnt[b] or 0) end\n"
    "  redis.call('HSET', rf, x, table.concat(t))\n"
    "end\n"
    "local function late_slots(x, kv)\n"
    "  local keep, pre = {}, string.sub(rf, 1, #rf - 2)\n"
    "  for j = 1, #kv, 2 do\n"
    "    local w = redis.call('HGET', pre .. 'rw:' .. x, kv[j] .. ' +')\n"
    "    if w then\n"
    "      local s, k, n = kv[j + 1], {}, 0\n"
    "      for q = 0, 59 do\n"
    "        local mine = string.sub(s, q * 7 + 1, q * 7 + 7)\n"
    "        if #mine == 7 and string.sub(w, q * 4 + 1, q * 4 + 4) ~= '\\0\\0\\0\\0' then\n"
    "          k[q + 1], n = mine, n + 1\n"
    "        else\n"
    "          k[q + 1] = RES_NONE\n"
    "        end\n"
    "      end\n"
    "      if n > 0 then\n"
    "        keep[kv[j]] = table.concat(k)\n"
    "        local t = {}\n"
    "        for q = 0, 59 do\n"
    "          t[q + 1] = k[q + 1] == RES_NONE and string.sub(s, q * 7 + 1, q * 7 + 7) or "
    "RES_NONE\n"
    "        end\n"
    "        kv[j + 1] = table.concat(t)\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "  return keep\n"
    "end\n"
    "local F = tonumber(redis.call('HGET', rf, 'F') or '') or H - 25\n"
    "if F < H - 2 then\n"
    "  for n in string.gmatch(redis.call('HGET', rf, 'R') or '', '%S+') do\n"
    "    R[#R + 1] = n; idx[n] = #R - 1\n"
    "  end\n"
    "  RES_R = R\n"
    "  for q = math.max(F - H + 25, 0), 22 do\n"
    "    local rk, lk = KEYS[2 + 2 * q], KEYS[3 + 2 * q]\n"
    "    local kv, lat = redis.call('HGETALL', rk), redis.call('HGETALL', lk)\n"
    "    if #kv > 0 or #lat > 0 then\n"
    "      local keep = late_slots(H - 24 + q, kv)\n"
    "      fold_hour(H - 24 + q, kv, lat)\n"
    "      redis.call('DEL', rk, lk)\n"
    "      for r, s in pairs(keep) do redis.call('HSET', rk, r, s) end\n"
    "      if next(keep) then redis.call('EXPIRE', rk, ttl) end\n"
    "      folded = folded + 1\n"
    "    end\n"
    "  end\n"
    "  redis.call('HSET', rf, 'F', H - 2)\n"
    "end\n"
    "if redis.call('HLEN', rf) > 26 then\n"
    "  for _, f in ipairs(redis.call('HKEYS', rf)) do\n"
    "    local h = tonumber(f)\n"
    "    if h and h < H - 24 then redis.call('HDEL', rf, f) end\n"
    "  end\n"
    "else\n"
    "  redis.call('HDEL', rf, H - 25)\n"
    "end\n"
    "if rdirty then redis.call('HSET', rf, 'R', table.concat(R, ' ')) end\n"
    "redis.call('EXPIRE', rf, ttl)\n"
    "return folded\n";

struct fctx {
	char sha[41];
	char *const *slugs;
	size_t lo, hi;
	long long hour;
};

static int
append_fold(struct mcp_store *st, const struct fctx *x, const char *slug)
{
	static char keys[1 + 2 * FOLD_HOURS][MCP_SLUG_MAX + 64];
	const char *argv[4 + 1 + 2 * FOLD_HOURS + 2];
	char nkeys[8], hour[24], ttl[24];
	int i, n = 0;

	agg_key(keys[0], sizeof(keys[0]), slug, "rf", -1);
	for (i = 0; i < FOLD_HOURS; i++) {
		agg_key(keys[1 + 2 * i], sizeof(keys[0]), slug, "rs", x->hour - 24 + i);
		agg_key(keys[2 + 2 * i], sizeof(keys[0]), slug, "lat", x->hour - 24 + i);
	}
	snprintf(nkeys, sizeof(nkeys), "%d", 1 + 2 * FOLD_HOURS);
	snprintf(hour, sizeof(hour), "%lld", x->hour);
	snprintf(ttl, sizeof(ttl), "%d", (int)AGG_TTL_SHORT);
	argv[n++] = "EVALSHA", argv[n++] = x->sha, argv[n++] = nkeys;
	for (i = 0; i < 1 + 2 * FOLD_HOURS; i++)
		argv[n++] = keys[i];
	argv[n++] = hour, argv[n++] = ttl;
	return mcp_store_appendv(st, n, argv, NULL);
}

static enum mcp_store_status
fold_once(struct mcp_store *st, void *arg, char *err, size_t errlen)
{
	struct fctx *x = arg;
	enum mcp_store_status rc = MCP_STORE_OK;
	redisReply *r;
	size_t i;

	for (i = x->lo; i < x->hi; i++)
		append_fold(st, x, x->slugs[i]);
	for (i = x->lo; i < x->hi; i++) {
		if (mcp_store_read(st, &r, 1, err, errlen) == -1)
			return MCP_STORE_AGAIN;
		if (rc == MCP_STORE_OK && r->type == REDIS_REPLY_ERROR) {
			snprintf(err, errlen, "fold %s: %s", x->slugs[i], r->str);
			rc = mcp_store_retryable(st, r) || strncmp(r->str, "NOSCRIPT", 8) == 0
			    ? MCP_STORE_AGAIN
			    : MCP_STORE_FAIL;
		}
		freeReplyObject(r);
	}
	return rc;
}

/* aggregate.h */
int
agg_fold_minute(const char *slug)
{
	return (int)(mcp_fnv1a(slug, strlen(slug)) % 1440);
}

/*
 * aggregate.h: each slug is folded in the minutes of the hour from the one
 * its name hashes to (AGG_FOLD_SPAN of them, so that a verdict run every
 * few minutes still meets it), so that a pass folds a sixtieth of the
 * slugs (and finds a few more folded already), not all of them at once.
 */
int
agg_fold(struct mcp_store *st, char *const *slugs, size_t n, long long window)
{
	static const struct mcp_store_retry rp = {3, 0, NULL};
	struct fctx x = {"", NULL, 0, 0, window / AGG_HOUR};
	int minute = (int)(window % AGG_HOUR / AGG_WINDOW), rc = 0;
	enum mcp_store_status st_rc;
	char err[512], **mine;
	size_t i, k = 0;

	if ((mine = calloc(n + 1, sizeof(*mine))) == NULL) {
		warn("fold");
		return -1;
	}
	for (i = 0; i < n; i++)
		if ((minute - agg_fold_minute(slugs[i]) % 60 + 60) % 60 < AGG_FOLD_SPAN)
			mine[k++] = slugs[i];
	x.slugs = mine;
	if (k > 0 && mcp_store_script_load(st, fold_lua, x.sha, err, sizeof(err)) == -1) {
		warnx("redis: %s", err);
		rc = -1;
	}
	for (x.lo = 0; rc == 0 && x.lo < k; x.lo = x.hi) {
		x.hi = x.lo + AGG_BATCH < k ? x.lo + AGG_BATCH : k;
		/*
		 * A slot on the move (TRYAGAIN, ASK split, a failover) after the
		 * retries: those slugs are folded at their next turn, as a pass
		 * that did not run; the verdicts are written already.
		 */
		if ((st_rc = mcp_store_run(st, &rp, fold_once, &x, err, sizeof(err))) ==
		    MCP_STORE_AGAIN)
			continue;
		if (st_rc != MCP_STORE_OK) {
			warnx("redis: %s", err);
			rc = -1;
		}
	}
	free(mine);
	return rc;
}
