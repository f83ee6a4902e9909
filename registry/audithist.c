/*
 * audithist.c - the history of the audit's servers: one read-only script
 * a slug (pipelined, AGG_BATCH slugs a round trip) reads its verdict
 * letters, its latest verdict (its readiness too) and every result of the
 * period that the store still holds, into struct audit_hist.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <ctype.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../aggregate/aggregate.h"
#include "../aggregate/histlua.h"
#include "audit.h"
#include "json.h"
#include "mcp.h"
#include "ready.h"
#include "reslua.h"

/*
 * The history of one slug over the period: KEYS[1] its codes, ARGV the
 * slug's key prefix (day:DAY, packed or of before, and the 7-byte slots of
 * rs:HOUR or of a folded hour's rf, else a runner of before's 16-byte ones
 * of rh:HOUR, are named from it: mcp-store(7)), the first and last window of the period and the
 * first window whose results are read (results live 25 hours).
 *
 * Every slot of those hours is read, wherever the windows with results
 * fall: a region's 60 slots become 60 state bytes (the third byte of each,
 * one gsub), which patterns count in C.  An hour where each region passed
 * or failed all along is settled from its counts; only an hour whose
 * regions changed within it is walked window by window.  A period whose
 * letters are all green reads its last hour alone (a green window has no
 * failing region to find), all of it when that hour holds no result.
 *
 * The reply: the verdict letters g a r u m, the windows with a result,
 * those split (a region passing, another failing), the results healthy,
 * auth-walled, broken and broken at auth with a 401/403 code, the broken
 * ones by step (8), the windows with a result that are decided and those
 * of them amber with no region failing (a divergence: an amber where a
 * region fails, or with no result, is none), then name, passed, failed,
 * split-failed per region.
 *
 * A day before yesterday has no day:DAY any more: its fold in the key days
 * (aggregate/histlua.h) is packed again and read the same way.
 */
static const char audit_lua[] = MCP_RES_LUA AGG_FOLD_LUA
    "local pre, from, to = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])\n"
    "local rfrom = tonumber(ARGV[4])\n"
    "local byte, char, find, floor = string.byte, string.char, string.find, math.floor\n"
    "local gsub, rep, sub = string.gsub, string.rep, string.sub\n"
    "local function count(s, p) return select(2, gsub(s, p, '')) end\n"
    "local L = {'g', 'a', 'r', 'u', 'm'}\n"
    "local function digits(t, c)\n"
    "  local b = byte(t, 1)\n"
    "  if not b then return end\n"
    "  local e = b == 0 and '%z' or '%' .. char(b)\n"
    "  if b > 0 and find(char(b), '%w') then e = char(b) end\n"
    "  if not find(t, '[^' .. e .. ']') then\n"
    "    for q = 0, 2 do\n"
    "      local dg = floor(b / 6 ^ q) % 6\n"
    "      if dg > 0 then c[dg] = c[dg] + #t end\n"
    "    end\n"
    "    return\n"
    "  end\n"
    "  for k = 1, #t do\n"
    "    local b = byte(t, k)\n"
    "    for q = 0, 2 do\n"
    "      local dg = floor(b / 6 ^ q) % 6\n"
    "      if dg > 0 then c[dg] = c[dg] + 1 end\n"
    "    end\n"
    "  end\n"
    "end\n"
    "local function lrange(s, lo, hi, c)\n"
    "  if #s == 1440 then\n"
    "    local t = sub(s, lo + 1, hi + 1)\n"
    "    if not find(t, '[^g]') then c[1] = c[1] + #t\n"
    "    else for i = 1, 5 do c[i] = c[i] + count(t, L[i]) end end\n"
    "  elseif #s == 480 then\n"
    "    local p = lo\n"
    "    while p <= hi do\n"
    "      if p % 3 == 0 and p + 2 <= hi then\n"
    "        local b1 = floor((hi + 1) / 3) - 1\n"
    "        digits(sub(s, p / 3 + 1, b1 + 1), c)\n"
    "        p = (b1 + 1) * 3\n"
    "      else\n"
    "        local dg = floor(byte(s, floor(p / 3) + 1) / 6 ^ (p % 3)) % 6\n"
    "        if dg > 0 then c[dg] = c[dg] + 1 end\n"
    "        p = p + 1\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n"
    "local out, d0, d1, days = {0, 0, 0, 0, 0}, floor(from / 86400), floor(to / 86400), {}\n"
    "local folds\n"
    "for d = d0, d1 do\n"
    "  local lo, hi = 0, 1439\n"
    "  if d == d0 then lo = (from % 86400) / 60 end\n"
    "  if d == d1 then hi = (to % 86400) / 60 end\n"
    "  days[d] = redis.call('GET', pre .. 'day:' .. d)\n"
    "  if not days[d] then\n"
    "    folds = folds or folds_parse(redis.call('GET', pre .. 'days') or '', d1)\n"
    "    days[d] = folds[d] and day_unfold(folds[d]) or ''\n"
    "  end\n"
    "  lrange(days[d], lo, hi, out)\n"
    "end\n"
    "local function letter(m)\n"
    "  local s, i = days[floor(m / 1440)] or '', m % 1440\n"
    "  if #s == 480 then return floor(byte(s, floor(i / 3) + 1) / 6 ^ (i % 3)) % 6 end\n"
    "  if #s == 1440 then\n"
    "    local ch = sub(s, i + 1, i + 1)\n"
    "    for k = 1, 5 do if ch == L[k] then return k end end\n"
    "  end\n"
    "  return 0\n"
    "end\n"
    "local amb = out[2] > 0\n"
    "local apair, any = {}, false\n"
    "local c = redis.call('HMGET', KEYS[1], 'auth_required', 'auth_rejected',\n"
    "  'auth_insufficient_scope')\n"
    "for i = 1, 3 do\n"
    "  local ci = tonumber(c[i])\n"
    "  if ci and ci >= 0 and ci <= 255 and ci == floor(ci) then\n"
    "    for q = 0, 3 do apair[char(212 + floor(ci / 64), ci % 64 * 4 + q)] = 'x' end\n"
    "    any = true\n"
    "  end\n"
    "end\n"
    "local function old(s)\n"
    "  local t = {}\n"
    "  for j = 0, 59 do\n"
    "    local st, sp, ci = res_state(s, 16, j)\n"
    "    local c1, c2 = 0, 0\n"
    "    sp, ci = sp or 0, ci or 0\n"
    "    if st == 3 and sp <= 15 then c1, c2 = 192 + sp * 4 + floor(ci / 64) % 4, ci % 64 * 4\n"
    "    elseif st == 1 or st == 2 then c1 = st * 64 end\n"
    "    t[j + 1] = char(0, 0, c1, c2, 0, 0, 0)\n"
    "  end\n"
    "  return table.concat(t)\n"
    "end\n"
    "local reg, names = {}, {}\n"
    "local nh, na, nb, nauth, nwin, nsplit, ndec, namb = 0, 0, 0, 0, 0, 0, 0, 0\n"
    "local steps = {0, 0, 0, 0, 0, 0, 0, 0}\n"
    "local CLS = {}\n"
    "local function cls(b)\n"
    "  local id = b >= 192 and floor(b / 4) or floor(b / 64)\n"
    "  local p = CLS[id]\n"
    "  if not p then\n"
    "    if id >= 48 then p = '..[' .. char(id * 4) .. '-' .. char(id * 4 + 3) .. ']....'\n"
    "    elseif id == 0 then p = '..[%z\\1-?]....'\n"
    "    elseif id == 1 then p = '..[@-\\127]....'\n"
    "    else p = '..[\\128-\\191]....' end\n"
    "    CLS[id] = p\n"
    "  end\n"
    "  return id, p\n"
    "end\n"
    "local function auth(s)\n"
    "  nauth = nauth + (#s - #gsub(s, '..(..)...', apair)) / 6\n"
    "end\n"
    "local function broken(t, s)\n"
    "  for k = 1, #t do\n"
    "    local q = byte(t, k)\n"
    "    if q >= 192 then\n"
    "      q = floor(q / 4) % 16\n"
    "      if q >= 1 and q <= 8 then steps[q] = steps[q] + 1 end\n"
    "    end\n"
    "  end\n"
    "  if any and find(t, '[\\212-\\215]') then auth(s) end\n"
    "end\n"
    "local function mixed(h, j0, n, rs)\n"
    "  local tab = {}\n"
    "  for i, e in ipairs(rs) do\n"
    "    tab[i] = {byte(e[2] or gsub(e[3], '..(.)....', '%1'), 1, n)}\n"
    "  end\n"
    "  for k = 1, n do\n"
    "    local p, f = false, false\n"
    "    for i = 1, #rs do\n"
    "      local q = tab[i][k]\n"
    "      if q >= 192 then f = true elseif q >= 64 then p = true end\n"
    "    end\n"
    "    if p or f then\n"
    "      nwin = nwin + 1\n"
    "      if p and f then\n"
    "        nsplit = nsplit + 1\n"
    "        for i, e in ipairs(rs) do\n"
    "          if tab[i][k] >= 192 then e[1][3] = e[1][3] + 1 end\n"
    "        end\n"
    "      end\n"
    "      if amb then\n"
    "        local l = letter(h * 60 + j0 + k - 1)\n"
    "        if l >= 1 and l <= 3 then ndec = ndec + 1 end\n"
    "        if l == 2 and not f then namb = namb + 1 end\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n"
    "local function row(name, s, j0, j1, n, rs)\n"
    "  local r = reg[name]\n"
    "  if not r then r = {0, 0, 0}; reg[name] = r; names[#names + 1] = name end\n"
    "  if #s ~= 420 then s = sub(s .. rep('\\0', 420), 1, 420) end\n"
    "  if n < 60 then s = sub(s, j0 * 7 + 1, j1 * 7 + 7) end\n"
    "  local id, p = cls(byte(s, 3))\n"
    "  local ch, ca, cb, t = 0, 0, 0, nil\n"
    "  if gsub(s, p, '') == '' then\n"
    "    if id == 1 then ch = n elseif id == 2 then ca = n\n"
    "    elseif id >= 48 then\n"
    "      local sp = id % 16\n"
    "      cb = n\n"
    "      if sp >= 1 and sp <= 8 then steps[sp] = steps[sp] + n end\n"
    "      if sp == 5 and any then auth(s) end\n"
    "    end\n"
    "  else\n"
    "    t = gsub(s, '..(.)....', '%1')\n"
    "    ch, cb = count(t, '[@-\\127]'), count(t, '[\\192-\\255]')\n"
    "    ca = n - count(t, '[%z\\1-?]') - ch - cb\n"
    "    if cb > 0 then broken(t, s) end\n"
    "  end\n"
    "  nh, na, nb = nh + ch, na + ca, nb + cb\n"
    "  r[1], r[2] = r[1] + ch + ca, r[2] + cb\n"
    "  rs[#rs + 1] = {r, t, s, ch + ca, cb}\n"
    "end\n"
    "local function hour(h, j0, j1)\n"
    "  local n, rs, seen = j1 - j0 + 1, {}, {}\n"
    "  local kv = res_hour(redis.call('HGETALL', pre .. 'rs:' .. h), pre, h)\n"
    "  for i = 1, #kv, 2 do row(kv[i], kv[i + 1], j0, j1, n, rs); seen[kv[i]] = true end\n"
    "  kv = redis.call('HGETALL', pre .. 'rh:' .. h)\n"
    "  for i = 1, #kv, 2 do\n"
    "    if not seen[kv[i]] then row(kv[i], old(kv[i + 1]), j0, j1, n, rs) end\n"
    "  end\n"
    "  local hp, hb, most, uni = 0, 0, 0, true\n"
    "  for _, e in ipairs(rs) do\n"
    "    hp, hb = hp + e[4], hb + e[5]\n"
    "    if e[4] + e[5] > most then most = e[4] + e[5] end\n"
    "    if e[4] ~= n and e[5] ~= n then uni = false end\n"
    "  end\n"
    "  local split = hp > 0 and hb > 0\n"
    "  local need = split or (amb and hp + hb > 0)\n"
    "  if not need and (most == n or #rs <= 1) then\n"
    "    nwin = nwin + most\n"
    "  elseif uni then\n"
    "    nwin = nwin + n\n"
    "    if split then\n"
    "      nsplit = nsplit + n\n"
    "      for _, e in ipairs(rs) do if e[5] == n then e[1][3] = e[1][3] + n end end\n"
    "    end\n"
    "    if amb then\n"
    "      local m, lc = h * 60 + j0, {0, 0, 0, 0, 0}\n"
    "      lrange(days[floor(m / 1440)] or '', m % 1440, m % 1440 + n - 1, lc)\n"
    "      ndec = ndec + lc[1] + lc[2] + lc[3]\n"
    "      if hb == 0 then namb = namb + lc[2] end\n"
    "    end\n"
    "  else\n"
    "    mixed(h, j0, n, rs)\n"
    "  end\n"
    "end\n"
    "local function read(rfrom)\n"
    "  for h = floor(rfrom / 3600), floor(to / 3600) do\n"
    "    local j0, j1 = rfrom / 60 - h * 60, to / 60 - h * 60\n"
    "    if j0 < 0 then j0 = 0 end\n"
    "    if j1 > 59 then j1 = 59 end\n"
    "    hour(h, j0, j1)\n"
    "  end\n"
    "end\n"
    "if out[1] > 0 and out[2] + out[3] + out[5] == 0 and rfrom < to - 3540 then\n"
    "  read(to - 3540)\n"
    "  if nwin == 0 then read(rfrom) end\n"
    "else\n"
    "  read(rfrom)\n"
    "end\n"
    "out[6], out[7], out[8], out[9], out[10], out[11] = nwin, nsplit, nh, na, nb, nauth\n"
    "for i = 1, 8 do out[11 + i] = steps[i] end\n"
    "out[20], out[21] = ndec, namb\n"
    "for _, nm in ipairs(names) do\n"
    "  local r = reg[nm]\n"
    "  out[#out + 1] = nm; out[#out + 1] = r[1]; out[#out + 1] = r[2]; out[#out + 1] = r[3]\n"
    "end\n"
    "return out\n";

#define NFIXED 21 /* the numbers before the regions in the script's reply */
#define NREP 2    /* replies a slug: the latest verdict and the script's */

/* The verdict's findings (findings.c), the fleet's included, into h. */
static void
read_findings(const cJSON *f, struct audit_hist *h)
{
	const cJSON *fl = cJSON_GetObjectItemCaseSensitive(f, "fleet"), *c;
	size_t at = 0;

	h->fcount = (long)mcp_json_num(f, "count") + (long)mcp_json_num(fl, "count");
	if (h->fcount <= 0 || !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(f, "worst")))
		return;
	snprintf(h->fworst, sizeof(h->fworst), "%s",
	    cJSON_GetObjectItemCaseSensitive(f, "worst")->valuestring);
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(f, "rules"))
	{
		if (!cJSON_IsString(c) || at + strlen(c->valuestring) + 2 > sizeof(h->frules))
			break;
		at += (size_t)snprintf(
		    h->frules + at, sizeof(h->frules) - at, "%s%s", at ? "," : "", c->valuestring);
	}
}

/* A time as the verdict writes one: YYYY-MM-DDTHH:MM:SSZ. */
static int
time_ok(const char *s)
{
	static const char form[] = "dddd-dd-ddTdd:dd:ddZ";
	size_t i;

	for (i = 0; form[i] != '\0'; i++)
		if (form[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != form[i])
			return 0;
	return s[i] == '\0';
}

/*
 * The verdict's readiness (aggregate/ready.c) into h: its grade, the eras
 * and the reasons this build knows, when it was checked; none when its
 * grade is not a letter of mcp_ready_grade.
 */
static void
read_readiness(const cJSON *r, struct audit_hist *h)
{
	const char *g = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "grade"));
	const char *at = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "checked_at"));
	const cJSON *e;
	int k;

	if (g == NULL || strlen(g) != 1 || strchr("ABCDF", g[0]) == NULL)
		return;
	h->grade = g[0];
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, "eras"))
	{
		if ((k = mcp_ready_era(cJSON_GetStringValue(e))) != -1)
			h->eras |= (unsigned char)(1U << k);
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, "reasons"))
	{
		if ((k = mcp_ready_code(
		         cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "code")))) != -1)
			h->have[k] = 1;
	}
	if (at != NULL && time_ok(at))
		snprintf(h->graded_at, sizeof(h->graded_at), "%s", at);
}

/* The verdict's error code, as push keeps one: [a-z0-9_]{1,40}. */
static void
read_error(const cJSON *e, struct audit_hist *h)
{
	const char *s = cJSON_GetStringValue(e);

	if (s != NULL && s[0] != '\0' && strlen(s) < sizeof(h->error) &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(s))
		snprintf(h->error, sizeof(h->error), "%s", s);
}

/*
 * The step, error, divergence, findings and readiness of the latest
 * verdict, from its JSON, when its window lies in the period (an --at of
 * long ago has a newer one).
 */
static void
read_latest(const redisReply *r, long long from, long long to, struct audit_hist *h)
{
	const cJSON *step, *div, *win;
	const char *why;
	cJSON *rec;

	h->latest_step = -1;
	if (r->type != REDIS_REPLY_STRING || (rec = mcp_json_parse(r->str, r->len, &why)) == NULL)
		return;
	step = cJSON_GetObjectItemCaseSensitive(rec, "step");
	div = cJSON_GetObjectItemCaseSensitive(rec, "divergence");
	win = cJSON_GetObjectItemCaseSensitive(rec, "window");
	if (cJSON_IsNumber(win) && win->valuedouble >= (double)from &&
	    win->valuedouble <= (double)to) {
		if (cJSON_IsString(step))
			h->latest_step = mcp_step_index(step->valuestring);
		h->divergence = cJSON_IsString(div);
		read_findings(cJSON_GetObjectItemCaseSensitive(rec, "findings"), h);
		read_error(cJSON_GetObjectItemCaseSensitive(rec, "error"), h);
		read_readiness(cJSON_GetObjectItemCaseSensitive(rec, "readiness"), h);
	}
	cJSON_Delete(rec);
}

static long
int_of(const redisReply *r)
{
	return r->type == REDIS_REPLY_INTEGER && r->integer >= 0 ? (long)r->integer : 0;
}

static int
region_cmp(const void *a, const void *b)
{
	return strcmp(
	    ((const struct audit_region *)a)->name, ((const struct audit_region *)b)->name);
}

/* The script's reply into h; -1 when it is not of the script's shape. */
static int
read_hist(const redisReply *r, struct audit_hist *h)
{
	size_t i;

	if (r->type != REDIS_REPLY_ARRAY || r->elements < NFIXED || (r->elements - NFIXED) % 4 != 0)
		return -1;
	for (i = 0; i < 5; i++)
		h->letters[i] = int_of(r->element[i]);
	h->nwin = int_of(r->element[5]);
	h->nsplit = int_of(r->element[6]);
	h->healthy = int_of(r->element[7]);
	h->walled = int_of(r->element[8]);
	h->broken = int_of(r->element[9]);
	h->authfail = int_of(r->element[10]);
	for (i = 0; i < 8; i++)
		h->steps[i] = int_of(r->element[11 + i]);
	h->rdecided = int_of(r->element[19]);
	h->ramber = int_of(r->element[20]);
	for (i = NFIXED; i < r->elements && h->nreg < AUDIT_REGIONS; i += 4) {
		struct audit_region *g = &h->reg[h->nreg];

		if (r->element[i]->type != REDIS_REPLY_STRING || !mcp_slug_ok(r->element[i]->str) ||
		    strlen(r->element[i]->str) >= sizeof(g->name))
			continue;
		snprintf(g->name, sizeof(g->name), "%s", r->element[i]->str);
		g->pass = int_of(r->element[i + 1]);
		g->fail = int_of(r->element[i + 2]);
		g->split = int_of(r->element[i + 3]);
		h->nreg++;
	}
	qsort(h->reg, h->nreg, sizeof(*h->reg), region_cmp);
	return 0;
}

struct actx {
	struct audit *a;
	char sha[41];
	size_t *idx, nidx; /* the remotes probed, indexes into a->r */
	size_t lo, hi;     /* those of this round, indexes into idx */
	redisReply **rep;
};

static void
clear(struct actx *x)
{
	size_t i;

	for (i = 0; i < (x->hi - x->lo) * NREP; i++) {
		freeReplyObject(x->rep[i]);
		x->rep[i] = NULL;
	}
}

static enum mcp_store_status
audit_round(struct mcp_store *st, void *arg, char *err, size_t errlen)
{
	struct actx *x = arg;
	long long rfrom = x->a->from;
	char k[2][MCP_SLUG_MAX + 64], pre[MCP_SLUG_MAX + 64];
	size_t i, n = (x->hi - x->lo) * NREP;

	clear(x);
	/* Results are kept 25 hours: the last 24 of them are read. */
	if (rfrom < x->a->to - AGG_DAY + AGG_WINDOW)
		rfrom = x->a->to - AGG_DAY + AGG_WINDOW;
	for (i = x->lo; i < x->hi; i++) {
		const char *slug = x->a->r[x->idx[i]].slug;

		agg_key(k[0], sizeof(k[0]), slug, "verdict", -1);
		agg_key(k[1], sizeof(k[1]), slug, "codes", -1);
		agg_key(pre, sizeof(pre), slug, "", -1);
		mcp_store_appendf(st, "GET %s", k[0]);
		mcp_store_appendf(st, "EVALSHA %s 1 %s %s %lld %lld %lld", x->sha, k[1], pre,
		    x->a->from, x->a->to, rfrom);
	}
	if (mcp_store_read(st, x->rep, n, err, errlen) == -1)
		return MCP_STORE_AGAIN;
	for (i = 0; i < n; i++)
		if (x->rep[i]->type == REDIS_REPLY_ERROR) {
			snprintf(err, errlen, "%s", x->rep[i]->str);
			return mcp_store_retryable(st, x->rep[i]) ||
			        strncmp(x->rep[i]->str, "NOSCRIPT", 8) == 0
			    ? MCP_STORE_AGAIN
			    : MCP_STORE_FAIL;
		}
	return MCP_STORE_OK;
}

int
audit_read_history(struct mcp_store *st, struct audit *a)
{
	static const struct mcp_store_retry rp = {3, 0, NULL};
	struct actx x = {a, "", NULL, 0, 0, 0, NULL};
	char err[512];
	size_t i, j;
	int rc = 0;

	if ((x.idx = calloc(a->nr + 1, sizeof(*x.idx))) == NULL)
		errx(MCP_EXIT_FAIL, "audit: out of memory");
	for (i = 0; i < a->nr; i++)
		if (a->r[i].probe)
			x.idx[x.nidx++] = i;
	if (mcp_store_script_load(st, audit_lua, x.sha, err, sizeof(err)) == -1) {
		warnx("redis: %s", err);
		free(x.idx);
		return -1;
	}
	if ((x.rep = calloc((size_t)AGG_BATCH * NREP, sizeof(*x.rep))) == NULL)
		errx(MCP_EXIT_FAIL, "audit: out of memory");
	for (i = 0; i < x.nidx && rc == 0; i = x.hi) {
		x.lo = i;
		x.hi = i + AGG_BATCH < x.nidx ? i + AGG_BATCH : x.nidx;
		if (mcp_store_run(st, &rp, audit_round, &x, err, sizeof(err)) != MCP_STORE_OK) {
			warnx("redis: %s", err);
			rc = -1;
			break;
		}
		for (j = x.lo; j < x.hi; j++) {
			struct audit_rem *s = &a->r[x.idx[j]];

			read_latest(x.rep[(j - x.lo) * NREP], a->from, a->to, &s->h);
			if (read_hist(x.rep[(j - x.lo) * NREP + 1], &s->h) == -1) {
				warnx("audit: %s: the store's reply has not the script's shape",
				    s->slug);
				rc = -1;
			}
		}
		clear(&x);
	}
	clear(&x); /* what a failed round left */
	free(x.idx);
	free(x.rep);
	return rc;
}
