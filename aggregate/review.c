/*
 * review.c - the review's rule (review.h): the verdict's "review", kind by
 * kind (mcp-aggregate(1) "verdict"), read from
 *
 *   mcp:{SLUG}:appr   the answers (approve.c): KIND or KIND:REGION ->
 *                     {"hash","state","by","at"}
 *   mcp:{SLUG}:pin    a kind no one answered, pinned to the list most
 *                     regions served at first sight: {"hash","at"},
 *                     "judged" once the store judged its text (lf), "held"
 *                     when it has high or medium findings ({"worst",
 *                     "rules"}) or when the store could not read it
 *                     ({"unread": why})
 *   mcp:{SLUG}:hold   what waits for a person: KIND:REGION -> {"at",
 *                     "hash","base","why","class","worst","rules",
 *                     "unread","runners"}, written here, taken away only
 *                     by an answer (approve.c)
 *   mcp:{SLUG}:rvc    the class of the difference between a region's
 *                     base and its list, KIND:REGION -> "BASEHEX CURHEX
 *                     CLASS", worked out once a pair (one a region)
 *   mcp:{SLUG}:lf     the store's judgment of each list's text
 *                     (pushlists.c), and u:HEX, why a list's text was
 *                     never judged
 *
 * States: approved, rejected (a person answered; the regions serve it),
 * unreviewed (a list waits for an answer, or a change from an answer no
 * one answered yet), pinned and changed (no one was ever asked: first
 * sight, and a change since that needs no one).  The rule reads here,
 * kind by kind (kind_state, row_read); the differences and their classes
 * are reviewdiff.c's, the judgments and the holds reviewhold.c's.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "findings.h"
#include "lists.h"
#include "review.h"
#include "reviewint.h"

/*
 * The verdict's read.  KEYS: appr pin hash lhash tch lf drift hold rvc.
 * ARGV: the window, the TTL of the pin and the holds, 1 to renew them,
 * the slug's key prefix.  Each region's list is the window's own: a region
 * whose latest result is of a later window (its runner pushed before this
 * verdict ran) is read as the list it served before the change the drift
 * records after the window, so that the review and its class are of the
 * window's list.  A kind some region serves, with no answer for every
 * region (field KIND) and no pin, is pinned to the list most regions
 * serve.  A pin is judged once the store judged its text (lf): "held" for
 * high or medium findings; one whose text the store never judged is held
 * "unread" (why: lf's u:HEX, else not_kept or not_judged), never trusted
 * because it came first, until the store reads it clean (a wait the
 * runners paged for is a hold of its regions, which stays: kind_state).  Returns {HGETALL appr, HGETALL pin, HGETALL
 * hash, HGETALL lhash, the history since the earliest base or hold
 * (newest first, 16 at most, WITHSCORES) or {}, HGETALL hold, the
 * differences}: for each region serving another list than its base, nine
 * strings: the kind's letter, the region, the base's hash, the list's
 * hash, the class of the difference known ('' for none), lf of the base
 * and of the list ('' for none), why the list was never judged ('' for
 * none), and flags: 'a' when its class is wanted (the base a person's
 * answer, or a held first list: a pin nobody held takes it from the
 * history), 'b' the base's text kept (apl: or ls:), 'c' the list's.
 */
const char agg_review_lua[] =
    "local ap = redis.call('HGETALL', KEYS[1])\n"
    "local pin = redis.call('HGETALL', KEYS[2])\n"
    "local hv = redis.call('HGETALL', KEYS[3])\n"
    "local lh = redis.call('HGETALL', KEYS[4])\n"
    "local hold = redis.call('HGETALL', KEYS[8])\n"
    "local pre = ARGV[4]\n"
    "local later\n"
    "local function own(i, v, region, k)\n"
    "  local at = tonumber(string.match(v[i], '^(%S+) '))\n"
    "  if not at or at < tonumber(ARGV[1]) + 60 then return end\n"
    "  later = later or redis.call('ZRANGEBYSCORE', KEYS[7], tonumber(ARGV[1]) + 60, '+inf')\n"
    "  for _, m in ipairs(later) do\n"
    "    local _, rg, from, _, kk = string.match(m, '^(%S+) (%S+) (%S+) (%S+)%s*(%a*)$')\n"
    "    if rg == region and (kk == '' and 't' or kk) == k then\n"
    "      v[i] = ARGV[1] .. ' ' .. from\n"
    "      return\n"
    "    end\n"
    "  end\n"
    "end\n"
    "for i = 1, #hv, 2 do own(i + 1, hv, hv[i], 't') end\n"
    "for i = 1, #lh, 2 do\n"
    "  local k, rg = string.match(lh[i], '^([rp]):(.+)$')\n"
    "  if k then own(i + 1, lh, rg, k) end\n"
    "end\n"
    "local cur, has, wrote = {t = {}, r = {}, p = {}}, {}, false\n"
    "for i = 1, #ap, 2 do has[ap[i]] = true end\n"
    "for i = 1, #pin, 2 do has[pin[i]] = true end\n"
    "for i = 1, #hv, 2 do\n"
    "  local h = string.match(hv[i + 1], ' ([%w:]+)$')\n"
    "  if h then cur.t[#cur.t + 1] = {hv[i], h} end\n"
    "end\n"
    "for i = 1, #lh, 2 do\n"
    "  local k, rg = string.match(lh[i], '^([rp]):(.+)$')\n"
    "  local h = string.match(lh[i + 1], ' ([%w:]+)$')\n"
    "  if k and h then cur[k][#cur[k] + 1] = {rg, h} end\n"
    "end\n"
    "for _, k in ipairs({'t', 'r', 'p'}) do\n"
    "  if #cur[k] > 0 and not has[k] then\n"
    "    local n, best, bn = {}, nil, 0\n"
    "    for _, e in ipairs(cur[k]) do\n"
    "      n[e[2]] = (n[e[2]] or 0) + 1\n"
    "      if n[e[2]] > bn or (n[e[2]] == bn and e[2] < best) then best, bn = e[2], n[e[2]] end\n"
    "    end\n"
    "    redis.call('HSET', KEYS[2], k, '{\"hash\":\"' .. best .. '\",\"at\":' .. ARGV[1] .. '}')\n"
    "    wrote = true\n"
    "  end\n"
    "end\n"
    "if wrote then pin = redis.call('HGETALL', KEYS[2]) end\n"
    "for i = 1, #pin, 2 do\n"
    "  local ok, o = pcall(cjson.decode, pin[i + 1])\n"
    "  local hx = ok and type(o) == 'table' and type(o.hash) == 'string' and\n"
    "    string.match(o.hash, '^sha256:(%x+)$')\n"
    "  if hx and not o.judged then\n"
    "    local fv, c, wv, rs = redis.call('HGET', KEYS[6], hx)\n"
    "    if fv then c, wv, rs = string.match(fv, '^(%d+) (%a+) ([%w,-]+)$') end\n"
    "    local now = false\n"
    "    if c then\n"
    "      o.judged, now = true, true\n"
    "      if wv == 'high' or wv == 'medium' then\n"
    "        if type(o.held) ~= 'table' then o.held = {} end\n"
    "        o.held.worst, o.held.rules = wv, rs\n"
    "      elseif type(o.held) == 'table' and not o.held.worst then\n"
    "        o.held = nil\n"
    "      end\n"
    "    elseif type(o.held) ~= 'table' then\n"
    "      local why = redis.call('HGET', KEYS[6], 'u:' .. hx)\n"
    "      if not why then\n"
    "        why = redis.call('EXISTS', pre .. 'ls:' .. hx) == 1 and 'not_judged' or 'not_kept'\n"
    "      end\n"
    "      o.held, now = {unread = why}, true\n"
    "    end\n"
    "    local ok2, enc = pcall(cjson.encode, o)\n"
    "    if now and ok2 then\n"
    "      pin[i + 1] = enc\n"
    "      redis.call('HSET', KEYS[2], pin[i], pin[i + 1])\n"
    "      wrote = true\n"
    "    end\n"
    "  end\n"
    "end\n"
    "if wrote or ARGV[3] == '1' then\n"
    "  redis.call('EXPIRE', KEYS[2], ARGV[2])\n"
    "  if #hold > 0 then redis.call('EXPIRE', KEYS[8], ARGV[2]) end\n"
    "end\n"
    "local base = {}\n"
    "for j, v in ipairs({pin, ap}) do\n"
    "  for i = 1, #v, 2 do\n"
    "    local ok, o = pcall(cjson.decode, v[i + 1])\n"
    "    if ok and type(o) == 'table' and type(o.hash) == 'string' then\n"
    "      o.answer = j == 2\n"
    "      base[v[i]] = o\n"
    "    end\n"
    "  end\n"
    "end\n"
    "local function kept(hx, apl)\n"
    "  if apl and redis.call('EXISTS', pre .. 'apl:' .. hx) == 1 then return true end\n"
    "  return redis.call('EXISTS', pre .. 'ls:' .. hx) == 1\n"
    "end\n"
    "local min, out = nil, {}\n"
    "for _, k in ipairs({'t', 'r', 'p'}) do\n"
    "  for _, e in ipairs(cur[k]) do\n"
    "    local b = base[k .. ':' .. e[1]] or base[k]\n"
    "    if b and b.hash ~= e[2] then\n"
    "      local at = tonumber(b.at) or 0\n"
    "      if min == nil or at < min then min = at end\n"
    "      local bx = string.match(b.hash, '^sha256:(%x+)$')\n"
    "      local cx = string.match(e[2], '^sha256:(%x+)$')\n"
    "      local m, lb, lc, u, t = '', '', '', '', ''\n"
    "      if b.answer or type(b.held) == 'table' then t = 'a' end\n"
    "      if bx and cx then\n"
    "        local mv = redis.call('HGET', KEYS[9], k .. ':' .. e[1]) or ''\n"
    "        local mb, mc, cl = string.match(mv, '^(%x+) (%x+) (%a+)$')\n"
    "        if mb == bx and mc == cx then m = cl end\n"
    "      end\n"
    "      if bx then\n"
    "        lb = redis.call('HGET', KEYS[6], bx) or ''\n"
    "        if kept(bx, true) then t = t .. 'b' end\n"
    "      end\n"
    "      if cx then\n"
    "        lc = redis.call('HGET', KEYS[6], cx) or ''\n"
    "        u = redis.call('HGET', KEYS[6], 'u:' .. cx) or ''\n"
    "        if kept(cx, false) then t = t .. 'c' end\n"
    "      end\n"
    "      for _, s in ipairs({k, e[1], b.hash, e[2], m, lb, lc, u, t}) do out[#out + 1] = s end\n"
    "    end\n"
    "  end\n"
    "end\n"
    "for i = 2, #hold, 2 do\n"
    "  local at = tonumber(string.match(hold[i], '\"at\":(%d+)'))\n"
    "  if at and (min == nil or at < min) then min = at end\n"
    "end\n"
    "local hist = {}\n"
    "if min then\n"
    "  hist = redis.call('ZREVRANGEBYSCORE', KEYS[5], '+inf', min - 60, 'WITHSCORES', 'LIMIT', 0, "
    "16)\n"
    "end\n"
    "return {ap, pin, hv, lh, hist, hold, out}\n";

int
agg_review_append(struct mcp_store *st, const char *sha, const char *slug, long long window)
{
	char k[10][MCP_SLUG_MAX + 64];
	static const char *const what[9] = {
	    "appr", "pin", "hash", "lhash", "tch", "lf", "drift", "hold", "rvc"};
	int i;

	for (i = 0; i < 9; i++)
		agg_key(k[i], sizeof(k[i]), slug, what[i], -1);
	agg_key(k[9], sizeof(k[9]), slug, "", -1);
	/* The pin's and the holds' TTL renewed in the first minute of each hour. */
	return mcp_store_appendf(st, "EVALSHA %s 9 %s %s %s %s %s %s %s %s %s %lld %d %d %s", sha,
	    k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], k[8], window, AGG_TTL_LONG,
	    window % AGG_HOUR < AGG_WINDOW, k[9]);
}

/* ---- the rows of a kind, and their bases ---- */

static int
row_cmp(const void *a, const void *b)
{
	return strcmp(((const struct lrow *)a)->region, ((const struct lrow *)b)->region);
}

size_t
agg_review_rows(int k, const redisReply *hv, const redisReply *lh, struct lrow *v, size_t max)
{
	const redisReply *h = k == MCP_LIST_TOOLS ? hv : lh;
	const char *f, *sp;
	size_t i, n = 0;

	for (i = 0; h->type == REDIS_REPLY_ARRAY && i + 1 < h->elements && n < max; i += 2) {
		f = h->element[i]->str;
		if (k != MCP_LIST_TOOLS) {
			if (f[0] != agg_list_letter(k) || f[1] != ':')
				continue;
			f += 2;
		}
		if ((sp = strchr(h->element[i + 1]->str, ' ')) == NULL)
			continue;
		v[n++] = (struct lrow){f, sp + 1, strtod(h->element[i + 1]->str, NULL)};
	}
	qsort(v, n, sizeof(*v), row_cmp);
	return n;
}

const char *
agg_review_majority(const struct lrow *v, size_t n)
{
	size_t i, j, k, most = 0;
	const char *best = NULL;
	double at = -1;

	for (i = 0; i < n; i++) {
		for (j = 0, k = 0; j < n; j++)
			k += strcmp(v[j].hash, v[i].hash) == 0;
		if (k > most || (k == most && v[i].at > at))
			most = k, at = v[i].at, best = v[i].hash;
	}
	return best;
}

/* The value of field f of the HGETALL reply h, parsed (owned), or NULL. */
cJSON *
review_field_json(const redisReply *h, const char *f)
{
	const redisReply *v = agg_hfield(h, f);

	return v != NULL ? cJSON_ParseWithLength(v->str, v->len) : NULL;
}

const char *
review_str(const cJSON *o, const char *k)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));

	return s != NULL ? s : "";
}

double
review_num(const cJSON *o, const char *k)
{
	return cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

/* ---- the changes since a base, from the drift and the history ---- */

/* One change into a (when it has room) and the worst class and the since of it. */
static void
change_add(cJSON *a, const cJSON *e, double at, int *worst, double *since)
{
	const cJSON *ch = cJSON_GetObjectItemCaseSensitive(e, "change");
	const cJSON *x;
	cJSON *c;

	cJSON_ArrayForEach(x, a)
	{
		if (strcmp(review_str(x, "from"), review_str(e, "from")) == 0 &&
		    strcmp(review_str(x, "to"), review_str(e, "to")) == 0)
			return;
	}
	if (at < *since)
		*since = at;
	*worst = review_class_worse(*worst,
	    cJSON_IsObject(ch) ? review_class_rank(review_str(ch, "class")) : CLASS_UNKNOWN);
	if (cJSON_GetArraySize(a) >= AGG_REVIEW_CHANGES)
		return;
	c = cJSON_CreateObject();
	cJSON_AddNumberToObject(c, "at", at);
	cJSON_AddStringToObject(c, "from", review_str(e, "from"));
	cJSON_AddStringToObject(c, "to", review_str(e, "to"));
	if (cJSON_IsObject(ch)) {
		cJSON_AddStringToObject(c, "class", review_str(ch, "class"));
		cJSON_AddStringToObject(c, "text", review_str(ch, "text"));
	} else {
		cJSON_AddNullToObject(c, "class");
	}
	cJSON_AddItemToArray(a, c);
}

/*
 * The changes of kind k since the base's at, into o: those of the
 * verdict's own drift (the history has them from the next verdict on),
 * then the history's, newest first: "changes", and "since" (the first of
 * them, or the window).  Their worst class: the return (0: none).
 */
static int
add_changes(cJSON *o, const redisReply *hist, const cJSON *drift, int k, double base_at,
    long long window, double *since)
{
	cJSON *a = cJSON_AddArrayToObject(o, "changes"), *e;
	const cJSON *d;
	double at;
	size_t i;
	int worst = 0;

	cJSON_ArrayForEach(d, drift)
	{
		if (strcmp(review_str(d, "kind"), agg_list_word(k)) == 0)
			change_add(a, d, (double)window, &worst, since);
	}
	for (i = 0; hist->type == REDIS_REPLY_ARRAY && i + 1 < hist->elements; i += 2) {
		if ((e = cJSON_ParseWithLength(hist->element[i]->str, hist->element[i]->len)) ==
		    NULL)
			continue;
		at = review_num(e, "at");
		if (strcmp(review_str(e, "kind"), agg_list_word(k)) == 0 &&
		    at + AGG_WINDOW > base_at)
			change_add(a, e, at, &worst, since);
		cJSON_Delete(e);
	}
	return worst;
}

/* ---- one kind's state ---- */

/* The names of a JSON array of strings: s added once. */
void
review_name_add(cJSON *a, const char *s)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, a) if (strcmp(x->valuestring, s) == 0) return;
	cJSON_AddItemToArray(a, cJSON_CreateString(s));
}

/* One region's row read against its base. */
struct rowstate {
	cJSON *base; /* owned: the answer or the pin it is read against, or NULL */
	int ans;     /* the base is a person's answer */
	int dif;     /* the region serves another list than its base */
	int waits;   /* a hold (there, or begun now), or the held first list */
};

/* What one kind's state is built of while its rows are read. */
struct kstate {
	int answered, held_pin, nd, nr, nwait, worst;
	double base_at, since;
	cJSON *first; /* the base shown (owned) */
	cJSON *last;  /* the latest person's answer of any region (owned), or NULL */
	int first_ans, first_dif;
	cJSON *differ, *rej, *holds, *regions;
};

/* The base shown: that of a region apart, a person's answer before a pin, the latest. */
static void
first_pick(struct kstate *s, cJSON *b, int ans, int dif)
{
	if (s->first == NULL || dif > s->first_dif || (dif == s->first_dif && ans > s->first_ans) ||
	    (dif == s->first_dif && ans == s->first_ans &&
	        review_num(b, "at") > review_num(s->first, "at"))) {
		cJSON_Delete(s->first);
		s->first = cJSON_Duplicate(b, 1), s->first_ans = ans, s->first_dif = dif;
	}
}

/* The base of region's row: its own answer, every region's, else the pin. */
static cJSON *
base_of(const struct rctx *x, int k, const char *region, int *ans)
{
	char f[MCP_SLUG_MAX + 8];
	cJSON *b;

	snprintf(f, sizeof(f), "%c:%s", agg_list_letter(k), region);
	if ((b = review_field_json(x->r->element[0], f)) == NULL) {
		f[1] = '\0';
		b = review_field_json(x->r->element[0], f);
	}
	if ((*ans = b != NULL) == 0) {
		f[1] = '\0';
		b = review_field_json(x->r->element[1], f);
	}
	return b;
}

/* Row i of kind k read: its base, whether it waits, and the holds it begins or grows. */
static void
row_read(const struct rctx *x, int k, const struct lrow *v, size_t n, size_t i, struct kstate *s)
{
	struct rowstate rs = {0};
	const struct diff *d = NULL;
	cJSON *h, *nw = NULL;
	int cls = CLASS_UNKNOWN, memo = 0, pinheld, pinread;
	char f[MCP_SLUG_MAX + 80];

	rs.base = base_of(x, k, v[i].region, &rs.ans);
	h = review_hold_of(x, k, v[i].region);
	if (rs.base == NULL && h == NULL)
		return;
	pinheld = rs.base != NULL && !rs.ans &&
	    cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(rs.base, "held"));
	/* A first list held for its findings is read as an answer; one held unread is no base to class. */
	pinread = pinheld &&
	    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(
	        cJSON_GetObjectItemCaseSensitive(rs.base, "held"), "unread"));
	s->answered |= rs.ans;
	s->held_pin |= pinheld;
	if (rs.base != NULL && !review_is_blind(x, v[i].region) &&
	    (rs.dif = strcmp(review_str(rs.base, "hash"), v[i].hash) != 0)) {
		cJSON_AddItemToArray(s->differ, cJSON_CreateString(v[i].region));
		if (s->nd++ == 0 || review_num(rs.base, "at") < s->base_at)
			s->base_at = review_num(rs.base, "at");
		if ((d = review_diff_find(x, k, v[i].region)) != NULL) {
			cls = review_diff_class(d, x->texts, &memo);
			if (memo) {
				char val[160];

				snprintf(f, sizeof(f), "%c:%s", agg_list_letter(k), v[i].region);
				snprintf(val, sizeof(val), "%s %s %s", agg_list_hex(d->base),
				    agg_list_hex(d->cur), review_class_word[cls]);
				review_write_add(x->w, "M", f, val);
			}
			nw = review_hold_new(x, d, rs.ans || pinread, cls, v, n);
		}
		/* A change from a pin nobody held takes its class from the history when not known. */
		if (cls != CLASS_UNKNOWN || rs.ans || pinread)
			s->worst = review_class_worse(s->worst, cls);
	} else if (rs.base != NULL && strcmp(review_str(rs.base, "state"), "rejected") == 0) {
		cJSON_AddItemToArray(s->rej, cJSON_CreateString(v[i].region));
		s->nr++;
	}
	/*
	 * A wait only for a list the store could not read, for which nobody
	 * was paged: its own reading ends it (the list judged clean, or the
	 * region back on its base) or makes it a wait for the findings.
	 */
	if (h != NULL && review_hold_quiet(h) &&
	    ((d != NULL && d->lfc[0] != '\0' &&
	         (nw == NULL || strcmp(review_str(nw, "why"), "unread") != 0)) ||
	        (rs.base != NULL && !rs.dif && !review_is_blind(x, v[i].region)))) {
		review_hold_drop(x, k, v[i].region);
		cJSON_Delete(h);
		h = NULL;
	}
	if (nw != NULL && h == NULL) {
		h = nw, nw = NULL;
		review_hold_write(x, k, v[i].region, h);
	} else if (nw != NULL && review_hold_grow(h, nw)) {
		review_hold_write(x, k, v[i].region, h);
	}
	rs.waits = h != NULL || pinheld;
	if (rs.waits)
		s->nwait++, review_name_add(s->regions, v[i].region);
	if (h != NULL)
		review_hold_say(s->holds, v[i].region, h);
	if (rs.base != NULL)
		first_pick(s, rs.base, rs.ans, rs.dif);
	if (rs.ans && (s->last == NULL || review_num(rs.base, "at") > review_num(s->last, "at"))) {
		cJSON_Delete(s->last);
		s->last = cJSON_Duplicate(rs.base, 1);
	}
	cJSON_Delete(nw);
	cJSON_Delete(h);
	cJSON_Delete(rs.base);
}

/* The holds of kind k of regions that serve no list of it now: they wait all the same. */
static void
holds_absent(const struct rctx *x, int k, const struct lrow *v, size_t n, struct kstate *s)
{
	const redisReply *hr = x->r->element[5];
	const char *f;
	cJSON *h;
	size_t i, j;

	for (i = 0; hr->type == REDIS_REPLY_ARRAY && i + 1 < hr->elements; i += 2) {
		f = hr->element[i]->str;
		if (f == NULL || f[0] != agg_list_letter(k) || f[1] != ':')
			continue;
		for (j = 0; j < n && strcmp(v[j].region, f + 2) != 0; j++)
			;
		if (j < n || !mcp_slug_ok(f + 2) || (h = review_hold_of(x, k, f + 2)) == NULL)
			continue;
		s->nwait++;
		review_name_add(s->regions, f + 2);
		review_hold_say(s->holds, f + 2, h);
		cJSON_Delete(h);
	}
}

/* The worst class of the holds said, and their earliest at. */
static int
holds_worst(const cJSON *holds, double *since)
{
	const cJSON *h, *c;
	int w = 0;

	cJSON_ArrayForEach(h, holds)
	{
		c = cJSON_GetObjectItemCaseSensitive(h, "class");
		w = review_class_worse(
		    w, cJSON_IsString(c) ? review_class_rank(c->valuestring) : CLASS_UNKNOWN);
		if (review_num(h, "at") < *since)
			*since = review_num(h, "at");
	}
	return w;
}

static const char *
state_word(const struct kstate *s)
{
	if (s->nwait > 0)
		return "unreviewed";
	if (s->answered)
		return s->nd > 0 ? "unreviewed" : s->nr > 0 ? "rejected" : "approved";
	return s->nd > 0 ? "changed" : "pinned";
}

/*
 * Which rows of kind k serve a list the store never judged: the pin's,
 * held unread, or another whose judgment the read found none of.
 */
static void
unread_rows(const struct rctx *x, int k, const struct lrow *v, size_t n, char *flags)
{
	char f[2] = {agg_list_letter(k), '\0'};
	cJSON *pin = review_field_json(x->r->element[1], f);
	const cJSON *held = cJSON_GetObjectItemCaseSensitive(pin, "held");
	const struct diff *d;
	size_t i;

	for (i = 0; i < n && i < AGG_FAULT_REGIONS; i++) {
		d = review_diff_find(x, k, v[i].region);
		flags[i] = (d != NULL && d->lfc[0] == '\0') ||
		    (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(held, "unread")) &&
		        strcmp(review_str(pin, "hash"), v[i].hash) == 0);
	}
	cJSON_Delete(pin);
}

/* The review state of kind k, or NULL when no region serves a list of it and none waits. */
static cJSON *
kind_state(const struct rctx *x0, int k)
{
	char unread[AGG_FAULT_REGIONS];
	struct rctx y = *x0, *x = &y;
	struct lrow v[AGG_FAULT_REGIONS];
	const redisReply *r = x->r;
	size_t n = agg_review_rows(k, r->element[2], r->element[3], v, AGG_FAULT_REGIONS), i;
	struct kstate s = {0};
	const char *maj = agg_review_majority(v, n);
	cJSON *o;
	int cw;

	unread_rows(x, k, v, n, unread);
	y.unread = unread;
	s.differ = cJSON_CreateArray(), s.rej = cJSON_CreateArray();
	s.holds = cJSON_CreateArray(), s.regions = cJSON_CreateArray();
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(v[i - 1].region, v[i].region) != 0)
			row_read(x, k, v, n, i, &s);
	holds_absent(x, k, v, n, &s);
	if (maj == NULL && s.nwait == 0) {
		cJSON_Delete(s.differ), cJSON_Delete(s.rej);
		cJSON_Delete(s.holds), cJSON_Delete(s.regions);
		cJSON_Delete(s.first), cJSON_Delete(s.last);
		return NULL;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "state", state_word(&s));
	if (maj != NULL)
		cJSON_AddStringToObject(o, "hash", maj);
	else
		cJSON_AddNullToObject(o, "hash");
	if (s.first != NULL && s.answered) {
		/* {hash, state, by, at}; and the latest answer, which ends a wait. */
		cJSON_AddItemToObject(o, "answered", cJSON_Duplicate(s.first, 1));
		if (s.last != NULL && s.last != s.first &&
		    review_num(s.last, "at") > review_num(s.first, "at"))
			cJSON_AddItemToObject(o, "last_answer", cJSON_Duplicate(s.last, 1));
	} else if (s.first != NULL) {
		cJSON_AddStringToObject(o, "pinned", review_str(s.first, "hash"));
		cJSON_AddNumberToObject(o, "pinned_at", review_num(s.first, "at"));
	}
	if (s.held_pin && s.first != NULL && !s.first_ans)
		review_held_add(x, k, o, s.first, v, n);
	s.since = (double)x->window;
	if (s.nd > 0 || s.nwait > 0) {
		/* The class: never less than that of each region's difference from its base. */
		cw = review_class_worse(s.worst,
		    add_changes(o, r->element[4], x->drift, k, s.base_at, x->window, &s.since));
		cw = review_class_worse(cw, holds_worst(s.holds, &s.since));
		if (s.held_pin) {
			cw = review_class_worse(cw, 2);
			if (review_num(s.first, "at") < s.since)
				s.since = review_num(s.first, "at");
		}
		cJSON_AddNumberToObject(o, "since", s.since);
		cJSON_AddItemToObject(
		    o, "class", cw == 0 ? cJSON_CreateNull() : review_class_json(cw));
		for (i = 0; i < (size_t)cJSON_GetArraySize(s.differ); i++)
			review_name_add(
			    s.regions, cJSON_GetArrayItem(s.differ, (int)i)->valuestring);
		cJSON_AddItemToObject(o, "regions", s.regions);
		s.regions = NULL;
	} else if (s.nr > 0) {
		cJSON_AddItemToObject(o, "regions", s.rej);
		s.rej = NULL;
	}
	if (cJSON_GetArraySize(s.holds) > 0) {
		cJSON_AddItemToObject(o, "holds", s.holds);
		s.holds = NULL;
	}
	cJSON_Delete(s.differ), cJSON_Delete(s.rej);
	cJSON_Delete(s.holds), cJSON_Delete(s.regions);
	cJSON_Delete(s.first), cJSON_Delete(s.last);
	return o;
}

void
agg_review_add(cJSON *o, const redisReply *r, const redisReply *t, const redisReply *f,
    const char *const *blind, size_t nblind, const char *slug, long long window, struct agg_hcmd *h)
{
	struct rwrite *w = calloc(1, sizeof(*w));
	struct rctx x = {r, t, f, blind, nblind, cJSON_GetObjectItemCaseSensitive(o, "drift"), NULL,
	    0, window, w};
	cJSON *rv, *s;
	size_t i;
	int k;

	memset(h, 0, sizeof(*h));
	if (w == NULL || r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements < 7 ||
	    (x.d = calloc(DIFF_MAX, sizeof(*x.d))) == NULL) {
		free(w);
		return;
	}
	x.nd = review_diffs_of(r, x.d, DIFF_MAX);
	rv = cJSON_CreateObject();
	for (k = 0; k < AGG_LIST_KINDS; k++)
		if ((s = kind_state(&x, k)) != NULL)
			cJSON_AddItemToObject(rv, agg_list_word(k), s);
	if (rv != NULL && rv->child == NULL)
		cJSON_Delete(rv);
	else
		cJSON_AddItemToObject(o, "review", rv);
	review_write_cmd(w, slug, h);
	for (i = 0; i < w->nown; i++)
		free(w->own[i]);
	free(w);
	free(x.d);
}
