/*
 * audit.c - mcp-aggregate audit: every server of mcp:registry:servers, its
 * verdict history and per-region results over the period read in one
 * script call a slug (pipelined), sorted into the buckets of
 * mcp-aggregate(1) "Audit"; --save keeps it in mcp:registry:audit.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../aggregate/aggregate.h"
#include "audit.h"
#include "json.h"
#include "mcp.h"
#include "rec.h"
#include "reslua.h"

/*
 * The history of one slug over the period: KEYS[1] its codes, ARGV the
 * slug's key prefix (day:DAY, packed or of before, and the 7-byte slots of
 * rs:HOUR, else a runner of before's 16-byte ones of rh:HOUR, are named
 * from it: mcp-store(7)), the first and last window of the period and the
 * first window whose results are read (results live 25 hours).  The
 * reply: the verdict letters g a r u m, the windows with a result, those
 * split (a region passing, another failing), the results healthy,
 * auth-walled, broken and broken at auth with a 401/403 code, the broken
 * ones by step (8), the windows whose results were read that are decided
 * and those of them amber with no region failing (a divergence: an amber
 * where a region fails, or with no results read, is none), then name,
 * passed, failed, split-failed per region.
 */
static const char audit_lua[] = MCP_RES_LUA
    "local pre, from, to, rfrom = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), "
    "tonumber(ARGV[4])\n"
    "local stride = tonumber(ARGV[5])\n"
    "local byte, floor, sub = string.byte, math.floor, string.sub\n"
    "local function count(s, p) return select(2, string.gsub(s, p, '')) end\n"
    "local L = {'g', 'a', 'r', 'u', 'm'}\n"
    "local out = {0, 0, 0, 0, 0}\n"
    "local function digits(t)\n"
    "  if not string.find(t, '[^+]') then out[1] = out[1] + 3 * #t; return end\n"
    "  for k = 1, #t do\n"
    "    local b = byte(t, k)\n"
    "    for q = 0, 2 do\n"
    "      local dg = floor(b / 6 ^ q) % 6\n"
    "      if dg > 0 then out[dg] = out[dg] + 1 end\n"
    "    end\n"
    "  end\n"
    "end\n"
    "local d0, d1, days = floor(from / 86400), floor(to / 86400), {}\n"
    "for d = d0, d1 do\n"
    "  local lo, hi = 0, 1439\n"
    "  if d == d0 then lo = (from % 86400) / 60 end\n"
    "  if d == d1 then hi = (to % 86400) / 60 end\n"
    "  local s = redis.call('GET', pre .. 'day:' .. d) or ''\n"
    "  days[d] = s\n"
    "  if #s == 1440 then\n"
    "    local t = sub(s, lo + 1, hi + 1)\n"
    "    if not string.find(t, '[^g]') then out[1] = out[1] + #t\n"
    "    else for i = 1, 5 do out[i] = out[i] + count(t, L[i]) end end\n"
    "  elseif #s == 480 then\n"
    "    local p = lo\n"
    "    while p <= hi do\n"
    "      if p % 3 == 0 and p + 2 <= hi then\n"
    "        local b1 = floor((hi + 1) / 3) - 1\n"
    "        digits(sub(s, p / 3 + 1, b1 + 1))\n"
    "        p = (b1 + 1) * 3\n"
    "      else\n"
    "        local dg = floor(byte(s, floor(p / 3) + 1) / 6 ^ (p % 3)) % 6\n"
    "        if dg > 0 then out[dg] = out[dg] + 1 end\n"
    "        p = p + 1\n"
    "      end\n"
    "    end\n"
    "  end\n"
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
    "if out[1] > 0 and out[2] + out[3] + out[5] == 0 and rfrom < to - 3540 then\n"
    "  rfrom = to - 3540\n"
    "end\n"
    "local auth = {}\n"
    "local c = redis.call('HMGET', KEYS[1], 'auth_required', 'auth_rejected', "
    "'auth_insufficient_scope')\n"
    "for i = 1, 3 do if c[i] then auth[tonumber(c[i])] = true end end\n"
    "local reg, names = {}, {}\n"
    "local nh, na, nb, nauth, nwin, nsplit, ndec, namb = 0, 0, 0, 0, 0, 0, 0, 0\n"
    "local steps = {0, 0, 0, 0, 0, 0, 0, 0}\n"
    "for h = floor(rfrom / 3600), floor(to / 3600) do\n"
    "  local j0, j1 = rfrom / 60 - h * 60, to / 60 - h * 60\n"
    "  if j0 < 0 then j0 = 0 end\n"
    "  if j1 > 59 then j1 = 59 end\n"
    "  j0 = j0 + (stride - (h * 60 + j0) % stride) % stride\n"
    "  local rows, seen = {}, {}\n"
    "  local kv = redis.call('HGETALL', pre .. 'rs:' .. h)\n"
    "  for i = 1, #kv, 2 do rows[#rows + 1] = {kv[i], kv[i + 1], 7}; seen[kv[i]] = true end\n"
    "  kv = redis.call('HGETALL', pre .. 'rh:' .. h)\n"
    "  for i = 1, #kv, 2 do\n"
    "    if not seen[kv[i]] then rows[#rows + 1] = {kv[i], kv[i + 1], 16} end\n"
    "  end\n"
    "  local hp, hb, most, rs = 0, 0, 0, {}\n"
    "  for _, row in ipairs(rows) do\n"
    "    local r = reg[row[1]]\n"
    "    if not r then r = {0, 0, 0}; reg[row[1]] = r; names[#names + 1] = row[1] end\n"
    "    local s, sz, ch, ca, cb = row[2], row[3], 0, 0, 0\n"
    "    for j = j0, j1, stride do\n"
    "      local st, sp, ci = res_state(s, sz, j)\n"
    "      if st == 1 then ch = ch + 1\n"
    "      elseif st == 2 then ca = ca + 1\n"
    "      elseif st == 3 then\n"
    "        cb = cb + 1\n"
    "        if sp and sp >= 1 and sp <= 8 then steps[sp] = steps[sp] + 1 end\n"
    "        if sp == 5 and auth[ci] then nauth = nauth + 1 end\n"
    "      end\n"
    "    end\n"
    "    nh, na, nb, hp, hb = nh + ch, na + ca, nb + cb, hp + ch + ca, hb + cb\n"
    "    r[1], r[2] = r[1] + ch + ca, r[2] + cb\n"
    "    if ch + ca + cb > most then most = ch + ca + cb end\n"
    "    rs[#rs + 1] = {r, s, sz}\n"
    "  end\n"
    "  local split = hp > 0 and hb > 0\n"
    "  if not split then nwin = nwin + most end\n"
    "  if split or (amb and hp + hb > 0) then\n"
    "    local P, F = {}, {}\n"
    "    for _, e in ipairs(rs) do\n"
    "      for j = j0, j1, stride do\n"
    "        local st = res_state(e[2], e[3], j)\n"
    "        if st == 1 or st == 2 then P[j] = true elseif st == 3 then F[j] = true end\n"
    "      end\n"
    "    end\n"
    "    for j = j0, j1, stride do\n"
    "      if split and (P[j] or F[j]) then nwin = nwin + 1 end\n"
    "      if P[j] and F[j] then nsplit = nsplit + 1 end\n"
    "      if amb and (P[j] or F[j]) then\n"
    "        local l = letter(h * 60 + j)\n"
    "        if l >= 1 and l <= 3 then ndec = ndec + 1 end\n"
    "        if l == 2 and not F[j] then namb = namb + 1 end\n"
    "      end\n"
    "    end\n"
    "    if split then\n"
    "      for _, e in ipairs(rs) do\n"
    "        for j = j0, j1, stride do\n"
    "          if P[j] and res_state(e[2], e[3], j) == 3 then e[1][3] = e[1][3] + 1 end\n"
    "        end\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n"
    "out[6], out[7], out[8], out[9], out[10], out[11] = nwin, nsplit, nh, na, nb, nauth\n"
    "for i = 1, 8 do out[11 + i] = steps[i] end\n"
    "out[20], out[21] = ndec, namb\n"
    "for _, n in ipairs(names) do\n"
    "  local r = reg[n]\n"
    "  out[#out + 1] = n; out[#out + 1] = r[1]; out[#out + 1] = r[2]; out[#out + 1] = r[3]\n"
    "end\n"
    "return out\n";

#define NFIXED 21 /* the numbers before the regions in the script's reply */
#define NREP 2    /* replies a slug: the latest verdict and the script's */

static void
usage(void)
{
	fprintf(stderr,
	    "usage: %s audit [-R URL] [-t SECONDS] [--json] [--period DURATION] [--save] [--at "
	    "EPOCH]\n",
	    program_invocation_short_name);
	exit(MCP_EXIT_USAGE);
}

/* A duration: seconds, or a number with s, m, h or d; whole minutes, 1 minute to 31 days. */
static long
duration_arg(const char *s)
{
	char *end;
	double d = strtod(s, &end), mul = -1;

	if (end != s && (*end == '\0' || strcmp(end, "s") == 0))
		mul = 1;
	else if (end != s && strcmp(end, "m") == 0)
		mul = 60;
	else if (end != s && strcmp(end, "h") == 0)
		mul = 3600;
	else if (end != s && strcmp(end, "d") == 0)
		mul = 86400;
	d *= mul;
	if (!(d >= AGG_WINDOW && d <= AUDIT_PERIOD_MAX) || (long)d % AGG_WINDOW != 0)
		errx(MCP_EXIT_USAGE, "--period %s: want whole minutes from 1m to 31d", s);
	return (long)d;
}

/*
 * The step and divergence of the latest verdict, from its JSON, when its
 * window lies in the period (an --at of long ago has a newer one).
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
	size_t *idx, nidx; /* the servers probed, indexes into a->s */
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
		const char *slug = x->a->s[x->idx[i]].slug;

		agg_key(k[0], sizeof(k[0]), slug, "verdict", -1);
		agg_key(k[1], sizeof(k[1]), slug, "codes", -1);
		agg_key(pre, sizeof(pre), slug, "", -1);
		mcp_store_appendf(st, "GET %s", k[0]);
		mcp_store_appendf(st, "EVALSHA %s 1 %s %s %lld %lld %lld %ld", x->sha, k[1], pre,
		    x->a->from, x->a->to, rfrom, x->a->stride);
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

/* The history of every probed server, AGG_BATCH slugs a round trip. */
static int
read_history(struct mcp_store *st, struct audit *a)
{
	static const struct mcp_store_retry rp = {3, 0, NULL};
	struct actx x = {a, "", NULL, 0, 0, 0, NULL};
	char err[512];
	size_t i, j;
	int rc = 0;

	if ((x.idx = calloc(a->n + 1, sizeof(*x.idx))) == NULL)
		errx(MCP_EXIT_FAIL, "audit: out of memory");
	for (i = 0; i < a->n; i++)
		if (a->s[i].probe)
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
			struct audit_srv *s = &a->s[x.idx[j]];

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

/* One field of mcp:registry:servers into s; -1 for one that does not read. */
static int
server_of(const redisReply *f, const redisReply *v, struct audit_srv *s)
{
	const char *why, *name, *status, *state;
	cJSON *o;

	if (f->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING ||
	    !mcp_slug_ok(f->str)) {
		warnx("audit: %s: a field that is not a slug", AUDIT_KEY_SERVERS);
		return -1;
	}
	if ((o = mcp_json_parse(v->str, v->len, &why)) == NULL || !cJSON_IsObject(o)) {
		warnx("audit: %s: %s: %s", AUDIT_KEY_SERVERS, f->str, o ? "not an object" : why);
		cJSON_Delete(o);
		return -1;
	}
	memset(s, 0, sizeof(*s));
	if ((s->slug = strdup(f->str)) == NULL)
		errx(MCP_EXIT_FAIL, "audit: out of memory");
	name = mcp_json_str(o, "name", NULL);
	status = mcp_json_str(o, "status", NULL);
	state = mcp_json_str(o, "state", NULL);
	if ((s->name = audit_name_cut(name ? name : "")) == NULL)
		errx(MCP_EXIT_FAIL, "audit: out of memory");
	if (status != NULL && strcmp(status, "deleted") == 0)
		s->bucket = B_DELETED;
	else if (state != NULL && strcmp(state, "needs-configuration") == 0)
		s->bucket = B_NEEDS;
	else if (state != NULL && strcmp(state, "local-only") == 0)
		s->bucket = B_LOCAL;
	else if (state != NULL && strcmp(state, "refused") == 0)
		s->bucket = B_REFUSED;
	else
		s->probe = 1;
	cJSON_Delete(o);
	return 0;
}

static int
srv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct audit_srv *)a)->slug, ((const struct audit_srv *)b)->slug);
}

/* Every field of mcp:registry:servers, sorted by slug; -1 after a warning. */
static int
read_servers(struct mcp_store *st, struct audit *a, int *bad)
{
	const char *argv[] = {"HGETALL", AUDIT_KEY_SERVERS};
	char err[512];
	redisReply *r;
	size_t i;

	if ((r = mcp_store_cmd(st, 2, argv, err, sizeof(err))) == NULL ||
	    r->type != REDIS_REPLY_ARRAY) {
		warnx("redis: %s", r ? (r->type == REDIS_REPLY_ERROR ? r->str : "bad reply") : err);
		freeReplyObject(r);
		return -1;
	}
	if ((a->s = calloc(r->elements / 2 + 1, sizeof(*a->s))) == NULL)
		errx(MCP_EXIT_FAIL, "audit: out of memory");
	for (i = 0; i + 1 < r->elements; i += 2)
		if (server_of(r->element[i], r->element[i + 1], &a->s[a->n]) == 0)
			a->n++;
		else
			*bad = 1;
	freeReplyObject(r);
	qsort(a->s, a->n, sizeof(*a->s), srv_cmp);
	return 0;
}

/* The saved audit (field last), parsed, into a->prev; NULL when there is none. */
static int
read_previous(struct mcp_store *st, struct audit *a)
{
	const char *argv[] = {"HGET", AUDIT_KEY_AUDIT, "last"}, *why;
	char err[512];
	redisReply *r;

	if ((r = mcp_store_cmd(st, 3, argv, err, sizeof(err))) == NULL ||
	    r->type == REDIS_REPLY_ERROR) {
		warnx("redis: %s", r ? r->str : err);
		freeReplyObject(r);
		return -1;
	}
	if (r->type == REDIS_REPLY_STRING &&
	    (a->prev = mcp_json_parse(r->str, r->len, &why)) == NULL)
		warnx("audit: %s last: %s (no movement shown)", AUDIT_KEY_AUDIT, why);
	freeReplyObject(r);
	return 0;
}

/* Keep this audit as last, the one before moving to previous, at once. */
static int
save(struct mcp_store *st, const char *json)
{
	static const char lua[] = "local l = redis.call('HGET', KEYS[1], 'last')\n"
	                          "if l then redis.call('HSET', KEYS[1], 'previous', l) end\n"
	                          "redis.call('HSET', KEYS[1], 'last', ARGV[1])\n"
	                          "return 1\n";
	const char *argv[] = {"EVAL", lua, "1", AUDIT_KEY_AUDIT, json};
	char err[512];
	redisReply *r = mcp_store_cmd(st, 5, argv, err, sizeof(err));

	if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		warnx("redis: %s: %s", AUDIT_KEY_AUDIT, r ? r->str : err);
		freeReplyObject(r);
		return -1;
	}
	freeReplyObject(r);
	return 0;
}

static int
run(const struct agg_opts *o, struct audit *a, int json, int keep)
{
	struct mcp_store *st;
	cJSON *out = NULL;
	char *text = NULL;
	size_t i;
	int rc = MCP_EXIT_OK, bad = 0;

	if ((st = agg_connect(o)) == NULL)
		return MCP_EXIT_FAIL;
	if (read_previous(st, a) == -1 || read_servers(st, a, &bad) == -1 ||
	    read_history(st, a) == -1) {
		rc = MCP_EXIT_FAIL;
		goto out;
	}
	for (i = 0; i < a->n; i++) {
		if (a->s[i].probe)
			a->s[i].bucket = audit_decide(&a->s[i].h);
		a->count[a->s[i].bucket]++;
	}
	if ((out = audit_json(a)) == NULL || (text = cJSON_PrintUnformatted(out)) == NULL)
		errx(MCP_EXIT_FAIL, "audit: out of memory");
	if (keep && save(st, text) == -1)
		rc = MCP_EXIT_FAIL;
	if (json ? printf("%s\n", text) < 0 : audit_text(a, out) == -1) {
		mcp_stdout_failed();
		rc = AGG_EXIT_STDOUT;
	} else if (bad && rc == MCP_EXIT_OK) {
		rc = MCP_EXIT_FAIL;
	}
out:
	cJSON_free(text);
	cJSON_Delete(out);
	mcp_store_close(st);
	return rc;
}

static const struct option longopts[] = {
    {"json", no_argument, NULL, 'j'},
    {"save", no_argument, NULL, 's'},
    {"period", required_argument, NULL, 'p'},
    {"at", required_argument, NULL, 'a'},
    {NULL, 0, NULL, 0},
};

int
reg_audit(struct agg_opts *o, int argc, char **argv)
{
	struct audit a;
	double at = mcp_now();
	int c, json = 0, keep = 0, rc;
	char why[600];
	size_t j;

	memset(&a, 0, sizeof(a));
	a.period = AGG_DAY;
	while ((c = getopt_long(argc, argv, "R:t:", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 's':
			keep = 1;
			break;
		case 'p':
			a.period = duration_arg(optarg);
			break;
		case 'a':
			at = mcp_parse_seconds(optarg);
			if (!(at >= 0 && at <= AGG_TIME_MAX))
				errx(MCP_EXIT_USAGE, "--at %s: not a time (epoch seconds)", optarg);
			break;
		case 'R':
			o->url = mcp_store_url_arg(optarg);
			break;
		case 't':
			if ((o->timeout = mcp_parse_seconds(optarg)) < 0)
				errx(MCP_EXIT_USAGE, "-t %s: not a number of seconds", optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (mcp_store_url_check(o->url, why, sizeof(why)) == -1)
		errx(MCP_EXIT_USAGE, "%s", why);
	if (!(at <= AGG_TIME_MAX))
		errx(MCP_EXIT_USAGE, "MCP_NOW: not a time (0 to %.0f)", AGG_TIME_MAX);
	a.at = at;
	a.to = agg_latest_complete(at);
	a.from = a.to - a.period + AGG_WINDOW;
	/* At most AUDIT_SAMPLE windows of results, evenly spaced. */
	a.stride = (a.period / AGG_WINDOW + AUDIT_SAMPLE - 1) / AUDIT_SAMPLE;
	if (a.period > AGG_DAY)
		a.stride = (AGG_DAY / AGG_WINDOW + AUDIT_SAMPLE - 1) / AUDIT_SAMPLE;
	rc = run(o, &a, json, keep);
	for (j = 0; j < a.n; j++) {
		free(a.s[j].slug);
		free(a.s[j].name);
	}
	free(a.s);
	cJSON_Delete(a.prev);
	if (rc != AGG_EXIT_STDOUT && mcp_rec_close_stdout() == -1)
		rc = MCP_EXIT_FAIL;
	return rc == AGG_EXIT_STDOUT ? MCP_EXIT_FAIL : rc;
}
