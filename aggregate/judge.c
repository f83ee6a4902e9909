/*
 * judge.c - the pre-pass of a verdict run: every known slug's results of
 * the window read once, counted per region (fault.c), the blind regions
 * decided and kept in mcp:fault:W (mcp-store(7)), so that a pass over
 * named slugs decides them by the same judgment as the full pass did.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "reslua.h"

/*
 * Read-only: each region's latest result in the lookback [ARGV[3],
 * ARGV[4]) (epoch milliseconds), of the windows from ARGV[1] on that reach
 * into it, as "region code id cert" in the order first seen: code 0 for a
 * pass, else the failed step, 1 to 8 in the order of mcp_steps; id a
 * pass's tool-list id (the slot's 16 bits, 0 for none); cert the expiry of
 * the region's latest certificate (mcp:{SLUG}:cert) started at or after
 * ARGV[5] (epoch seconds), or -1: one of no time (past 9999) is none.  The slots
 * of rs:HOUR are read as bytes (lib/reslua.h), without the text the
 * decision's read makes of them, a folded hour's (rf) where they are
 * empty, started at the window's start as the verdict takes them; a
 * region the slots lack is read from the 16-byte slots of the rh:HOUR of
 * before, then from the res:W before it, until those keys have expired (both named from the prefix ARGV[2]).  A start equal to the
 * latest does not replace it, as in rule.c.
 */
static const char judge_lua[] = MCP_RES_FOLD_LUA
    "local STEPS = {dns = 1, connect = 2, tls = 3, http = 4, auth = 5, initialize = 6,\n"
    "  tools_list = 7, call = 8}\n"
    "local w0, pre, lo, hi = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])\n"
    "local hours, best, code, order, hid = {}, {}, {}, {}, {}\n"
    "local function note(r, t, c, id)\n"
    "  if t >= lo and t < hi and (best[r] == nil or t > best[r]) then\n"
    "    if best[r] == nil then order[#order + 1] = r end\n"
    "    best[r], code[r], hid[r] = t, c, id or 0\n"
    "  end\n"
    "end\n"
    "for i = 0, 4 do\n"
    "  local w = w0 + 60 * i\n"
    "  if (w + 60) * 1000 > lo then\n"
    "    local k = KEYS[1]\n"
    "    if math.floor(w / 3600) ~= math.floor(w0 / 3600) then k = KEYS[2] end\n"
    "    hours[k] = hours[k] or res_hour(redis.call('HGETALL', k), pre, math.floor(w / 3600))\n"
    "    local h, pos, got = hours[k], (w % 3600) / 60, {}\n"
    "    for j = 1, #h, 2 do\n"
    "      local a, b, c, _, _, i1, i2 = string.byte(h[j + 1], pos * 7 + 1, pos * 7 + 7)\n"
    "      if a == 255 and b == 255 then a, b = 0, 0 end\n"
    "      if c and c >= 64 then\n"
    "        got[h[j]] = true\n"
    "        local step = math.floor(c % 64 / 4)\n"
    "        if c < 192 then note(h[j], w * 1000 + a * 256 + b, 0, (i1 or 0) * 256 + (i2 or 0))\n"
    "        elseif step >= 1 and step <= 8 then note(h[j], w * 1000 + a * 256 + b, step) end\n"
    "      end\n"
    "    end\n"
    "    local hr = math.floor(w / 3600)\n"
    "    hours[hr] = hours[hr] or redis.call('HGETALL', pre .. 'rh:' .. hr)\n"
    "    h = hours[hr]\n"
    "    for j = 1, #h, 2 do\n"
    "      local so = pos * 16\n"
    "      local a, b, l, kind, _, _, _, _, i1, i2 = string.byte(h[j + 1], so + 1, so + 10)\n"
    "      if l and l ~= 0 and not got[h[j]] then\n"
    "        got[h[j]] = true\n"
    "        if l ~= 98 then\n"
    "          local id = kind > 0 and math.max((i1 or 0) * 256 + (i2 or 0), 1) or 0\n"
    "          note(h[j], w * 1000 + a * 256 + b, 0, id)\n"
    "        elseif kind >= 1 and kind <= 8 then note(h[j], w * 1000 + a * 256 + b, kind) end\n"
    "      end\n"
    "    end\n"
    "    local o = redis.call('HGETALL', pre .. 'res:' .. w)\n"
    "    for j = 1, #o, 2 do\n"
    "      if not got[o[j]] then\n"
    "        local f = {}\n"
    "        for x in string.gmatch(o[j + 1], '%S+') do f[#f + 1] = x end\n"
    "        local t = tonumber(f[1] or '')\n"
    "        local st, c = string.sub(f[2] or '', 1, 1), 0\n"
    "        if t and #f == 5 then t = t * 1000 elseif t then t = w * 1000 + t end\n"
    "        if st == 'b' then c = STEPS[f[3] or ''] end\n"
    "        local id = tonumber(string.match(f[2] or '', '^[ha](%x%x%x%x)') or '', 16)\n"
    "        if #f == 5 or id == nil then id = 0 end\n"
    "        if t and c and (st == 'h' or st == 'a' or st == 'b') then note(o[j], t, c, id) end\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n"
    "local out, cert, ce = {}, {}, redis.call('HGETALL', pre .. 'cert')\n"
    "for j = 1, #ce, 2 do\n"
    "  local st, ex = string.match(ce[j + 1], '^(%S+) (%d+)$')\n"
    "  ex = tonumber(ex or '')\n"
    "  if tonumber(st or '') and tonumber(st) >= tonumber(ARGV[5]) and ex <= 253402300799 then\n"
    "    cert[ce[j]] = ex\n"
    "  end\n"
    "end\n"
    "for _, r in ipairs(order) do\n"
    "  out[#out + 1] = r; out[#out + 1] = code[r]\n"
    "  out[#out + 1] = hid[r]; out[#out + 1] = cert[r] or -1\n"
    "end\n"
    "return out\n";

/*
 * KEYS mcp:fault:W; ARGV TTL, then REGION VALUE pairs: the judgment
 * replaced whole.
 */
static const char save_lua[] = "redis.call('DEL', KEYS[1])\n"
                               "for i = 2, #ARGV, 2 do\n"
                               "  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])\n"
                               "end\n"
                               "if #ARGV > 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end\n"
                               "return 1\n";

struct jbatch {
	char sha[41];
	long long window;
	int lookback;
	char *const *slugs;
	size_t n;
	struct agg_faults *f, saved; /* saved: f before the batch, for a repeated round */
};

/* An integer of a reply, from lo to hi. */
static int
int_in(const redisReply *r, long long lo, long long hi)
{
	return r->type == REDIS_REPLY_INTEGER && r->integer >= lo && r->integer <= hi;
}

/* Count one slug's reply of the script: "region code id cert" each. */
static int
count(struct jbatch *b, const redisReply *a)
{
	struct agg_rstate s[AGG_FAULT_REGIONS];
	size_t i, k = 0;

	if (a->type != REDIS_REPLY_ARRAY)
		return -1;
	for (i = 0; i + 3 < a->elements && k < AGG_FAULT_REGIONS; i += 4) {
		if (a->element[i]->type != REDIS_REPLY_STRING ||
		    !int_in(a->element[i + 1], 0, MCP_NSTEPS) ||
		    !int_in(a->element[i + 2], 0, 65535) ||
		    !int_in(a->element[i + 3], -1, (long long)AGG_TIME_MAX))
			return -1;
		s[k].region = a->element[i]->str;
		s[k].step = (int)a->element[i + 1]->integer - 1;
		s[k].hash = (unsigned)a->element[i + 2]->integer;
		s[k++].cert = (double)a->element[i + 3]->integer;
	}
	agg_fault_add(b->f, s, k);
	return 0;
}

/* The windows from w0 (as verdict.c reads them), the lookback in ms. */
static int
append_read(struct mcp_store *st, const struct jbatch *b, const char *slug)
{
	long long w0 = b->window - 4 * AGG_WINDOW, hi = (b->window + AGG_WINDOW) * 1000LL;
	char k[2][MCP_SLUG_MAX + 64], pre[MCP_SLUG_MAX + 64];

	agg_key(pre, sizeof(pre), slug, "", -1);
	agg_key(k[0], sizeof(k[0]), slug, "rs", w0 / AGG_HOUR);
	agg_key(k[1], sizeof(k[1]), slug, "rs", b->window / AGG_HOUR);
	return mcp_store_appendf(st, "EVALSHA %s 2 %s %s %lld %s %lld %lld %lld", b->sha, k[0],
	    k[1], w0, pre, hi - b->lookback * 1000LL, hi, b->window + AGG_WINDOW - AGG_DAY);
}

static enum mcp_store_status
batch_once(struct mcp_store *st, void *arg, char *err, size_t errlen)
{
	struct jbatch *b = arg;
	enum mcp_store_status rc = MCP_STORE_OK;
	redisReply *r;
	size_t i;

	*b->f = b->saved;
	for (i = 0; i < b->n; i++)
		append_read(st, b, b->slugs[i]);
	for (i = 0; i < b->n; i++) {
		if (mcp_store_read(st, &r, 1, err, errlen) == -1)
			return MCP_STORE_AGAIN;
		if (rc == MCP_STORE_OK && r->type == REDIS_REPLY_ERROR) {
			snprintf(err, errlen, "%s: %s", b->slugs[i], r->str);
			rc = mcp_store_retryable(st, r) || strncmp(r->str, "NOSCRIPT", 8) == 0
			    ? MCP_STORE_AGAIN
			    : MCP_STORE_FAIL;
		} else if (rc == MCP_STORE_OK && count(b, r) == -1) {
			snprintf(err, errlen, "%s: unexpected reply", b->slugs[i]);
			rc = MCP_STORE_FAIL;
		}
		freeReplyObject(r);
	}
	return rc;
}

/* " hash=N" and " cert=N" after a region's value, for the counts that are not 0. */
static void
disagreed(char *buf, size_t len, const struct agg_fault_region *g)
{
	size_t n = strlen(buf);

	if (g->hash > 0 && n < len)
		n += (size_t)snprintf(buf + n, len - n, " hash=%ld", g->hash);
	if (g->cert > 0 && n < len)
		snprintf(buf + n, len - n, " cert=%ld", g->cert);
}

static int
save(struct mcp_store *st, long long window, const struct agg_faults *f)
{
	static char vals[AGG_FAULT_REGIONS][128];
	const char *argv[2 * AGG_FAULT_REGIONS + 6];
	char key[64], ttl[16], err[512];
	redisReply *r;
	size_t i;
	int n = 0, s, rc = 0;

	snprintf(key, sizeof(key), "mcp:fault:%lld", window);
	snprintf(ttl, sizeof(ttl), "%d", (int)AGG_TTL_SHORT);
	argv[n++] = "EVAL", argv[n++] = save_lua, argv[n++] = "1", argv[n++] = key;
	argv[n++] = ttl;
	for (i = 0; i < f->n; i++) {
		s = agg_fault_step(&f->r[i]);
		snprintf(vals[i], sizeof(vals[i]), "%ld %ld %d %s%s", f->r[i].probed,
		    f->r[i].failed, f->r[i].blind, s < 0 ? "-" : mcp_steps[s],
		    f->r[i].canary ? " canary" : "");
		disagreed(vals[i], sizeof(vals[i]), &f->r[i]);
		argv[n++] = f->r[i].name, argv[n++] = vals[i];
	}
	r = mcp_store_cmd(st, n, argv, err, sizeof(err));
	if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		warnx("redis: %s", r ? r->str : err);
		rc = -1;
	}
	freeReplyObject(r);
	return rc;
}

int
agg_judge_count(struct mcp_store *st, long long window, int lookback, char *const *slugs, size_t n,
    struct agg_faults *f)
{
	static const struct mcp_store_retry rp = {3, 0, NULL, 0};
	struct jbatch b = {"", window, lookback, NULL, 0, f, {0}};
	char err[512] = "";
	size_t i;

	f->n = 0;
	if (agg_canaries(st, window, lookback, f) == -1)
		return -1;
	if (mcp_store_script_load(st, judge_lua, b.sha, err, sizeof(err)) == -1) {
		warnx("redis: %s", err);
		return -1;
	}
	for (i = 0; i < n; i += b.n) {
		b.slugs = slugs + i;
		b.n = n - i < AGG_BATCH ? n - i : AGG_BATCH;
		b.saved = *f;
		if (mcp_store_run(st, &rp, batch_once, &b, err, sizeof(err)) != MCP_STORE_OK) {
			warnx("redis: %s", err);
			return -1;
		}
	}
	return 0;
}

int
agg_judge_keep(struct mcp_store *st, long long window, struct agg_faults *f)
{
	agg_fault_judge(f);
	return save(st, window, f);
}

int
agg_judge(struct mcp_store *st, long long window, int lookback, char *const *slugs, size_t n,
    struct agg_faults *f)
{
	if (agg_judge_count(st, window, lookback, slugs, n, f) == -1)
		return -1;
	return agg_judge_keep(st, window, f);
}

/* "PROBED FAILED BLIND STEP [canary] [hash=N] [cert=N]" of a region, as save() keeps it. */
static void
load_one(void *arg, const char *region, const char *v)
{
	struct agg_faults *f = arg;
	struct agg_fault_region *g;
	char step[16];
	const char *p;
	int blind, s, n;

	if (f->n == AGG_FAULT_REGIONS || !mcp_slug_ok(region))
		return;
	g = &f->r[f->n];
	memset(g, 0, sizeof(*g));
	if (sscanf(v, "%ld %ld %d %15s%n", &g->probed, &g->failed, &blind, step, &n) < 4)
		return;
	snprintf(g->name, sizeof(g->name), "%s", region);
	g->canary = strncmp(v + n, " canary", 7) == 0;
	if ((p = strstr(v + n, " hash=")) != NULL)
		g->hash = strtol(p + 6, NULL, 10);
	if ((p = strstr(v + n, " cert=")) != NULL)
		g->cert = strtol(p + 6, NULL, 10);
	/* Parts of failed, as save() wrote them. */
	if (g->hash < 0 || g->hash > g->failed)
		g->hash = 0;
	if (g->cert < 0 || g->cert > g->failed)
		g->cert = 0;
	g->blind = blind == 1;
	if ((s = mcp_step_index(step)) >= 0)
		g->steps[s] = g->failed;
	f->n++;
}

int
agg_judgment(struct mcp_store *st, long long window, struct agg_faults *f)
{
	char key[64];
	long n;

	f->n = 0;
	snprintf(key, sizeof(key), "mcp:fault:%lld", window);
	if ((n = agg_hash_each(st, key, load_one, f)) == -1)
		return -1;
	return n > 0 ? 1 : 0;
}

/*
 * The canaries of the windows that reach into the lookback of W, oldest
 * first: a region's latest one decides.  mcp:canary:W holds "fail" for a
 * region when any record of that window said so (push writes "ok" only
 * where there is none), so one shard of a region that could not reach its
 * canary sets the region aside.  A few small reads a verdict run,
 * whatever the fleet's size.
 */
int
agg_canaries(struct mcp_store *st, long long window, int lookback, struct agg_faults *f)
{
	char key[64], err[512];
	const char *argv[] = {"HGETALL", key};
	const char *state[AGG_FAULT_REGIONS];
	char name[AGG_FAULT_REGIONS][MCP_SLUG_MAX + 1];
	long long w = (window + AGG_WINDOW - lookback) / AGG_WINDOW * AGG_WINDOW;
	redisReply *r[AGG_LOOKBACK_MAX / AGG_WINDOW + 1];
	size_t i, j, k, nw = 0, n = 0;
	int rc = 0;

	for (; w <= window && nw < sizeof(r) / sizeof(r[0]); w += AGG_WINDOW) {
		snprintf(key, sizeof(key), "mcp:canary:%lld", w);
		r[nw] = mcp_store_cmd(st, 2, argv, err, sizeof(err));
		if (r[nw] == NULL || r[nw]->type != REDIS_REPLY_ARRAY) {
			warnx("redis: %s",
			    r[nw] ? (r[nw]->type == REDIS_REPLY_ERROR ? r[nw]->str : "bad reply")
			          : err);
			freeReplyObject(r[nw]);
			rc = -1;
			break;
		}
		nw++;
	}
	for (i = 0; rc == 0 && i < nw; i++)
		for (j = 0; j + 1 < r[i]->elements; j += 2) {
			if (r[i]->element[j]->type != REDIS_REPLY_STRING ||
			    r[i]->element[j + 1]->type != REDIS_REPLY_STRING ||
			    !mcp_slug_ok(r[i]->element[j]->str))
				continue;
			for (k = 0; k < n && strcmp(name[k], r[i]->element[j]->str) != 0; k++)
				;
			if (k == n && n == AGG_FAULT_REGIONS)
				continue;
			if (k == n)
				snprintf(name[n++], sizeof(name[0]), "%s", r[i]->element[j]->str);
			state[k] = strcmp(r[i]->element[j + 1]->str, "fail") == 0 ? "fail" : "ok";
		}
	for (k = 0; rc == 0 && k < n; k++)
		if (strcmp(state[k], "fail") == 0)
			agg_fault_canary(f, name[k]);
	for (i = 0; i < nw; i++)
		freeReplyObject(r[i]);
	return rc;
}
