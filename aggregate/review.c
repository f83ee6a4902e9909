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
 *   mcp:{SLUG}:rvc    the class of the difference between two lists,
 *                     KIND:BASEHEX:CURHEX -> CLASS, worked out once
 *   mcp:{SLUG}:lf     the store's judgment of each list's text
 *                     (pushlists.c), and u:HEX, why a list's text was
 *                     never judged
 *
 * States: approved, rejected (a person answered; the regions serve it),
 * unreviewed (a list waits for an answer, or a change from an answer no
 * one answered yet), pinned and changed (no one was ever asked: first
 * sight, and a change since that needs no one).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "findings.h"
#include "lists.h"
#include "review.h"

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
 * because it came first.  Returns {HGETALL appr, HGETALL pin, HGETALL
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
    "      end\n"
    "    elseif type(o.held) ~= 'table' then\n"
    "      local why = redis.call('HGET', KEYS[6], 'u:' .. hx)\n"
    "      if not why then\n"
    "        why = redis.call('EXISTS', pre .. 'ls:' .. hx) == 1 and 'not_judged' or 'not_kept'\n"
    "      end\n"
    "      o.held, now = {unread = why}, true\n"
    "    end\n"
    "    if now then\n"
    "      pin[i + 1] = cjson.encode(o)\n"
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
    "        m = redis.call('HGET', KEYS[9], k .. ':' .. bx .. ':' .. cx) or ''\n"
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

/* ---- the differences, and the texts their classes are worked out from ---- */

#define DIFF_FIELDS 9
#define DIFF_MAX (3 * AGG_FAULT_REGIONS)

/* One difference of the read's last element: borrowed strings. */
struct diff {
	int k;
	const char *region, *base, *cur, *memo, *lfb, *lfc, *ucur, *texts;
};

/* The reply's differences into d (at most max): their number. */
static size_t
diffs_of(const redisReply *r, struct diff *d, size_t max)
{
	const redisReply *a;
	size_t i, n = 0;
	int f;

	if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements < 7)
		return 0;
	a = r->element[6];
	for (i = 0; a->type == REDIS_REPLY_ARRAY && i + DIFF_FIELDS <= a->elements && n < max;
	     i += DIFF_FIELDS) {
		for (f = 0; f < DIFF_FIELDS && a->element[i + f]->type == REDIS_REPLY_STRING; f++)
			;
		if (f < DIFF_FIELDS || agg_list_kind(a->element[i]->str) < 0)
			continue;
		d[n].k = agg_list_kind(a->element[i]->str);
		d[n].region = a->element[i + 1]->str, d[n].base = a->element[i + 2]->str;
		d[n].cur = a->element[i + 3]->str, d[n].memo = a->element[i + 4]->str;
		d[n].lfb = a->element[i + 5]->str, d[n].lfc = a->element[i + 6]->str;
		d[n].ucur = a->element[i + 7]->str, d[n].texts = a->element[i + 8]->str;
		n++;
	}
	return n;
}

/* 1 when the class of d is to be worked out from the two texts, both kept. */
static int
diff_wants_texts(const struct diff *d)
{
	return d->memo[0] == '\0' && strcmp(d->texts, "abc") == 0 &&
	    agg_list_hex(d->base) != NULL && agg_list_hex(d->cur) != NULL;
}

int
agg_review_need(const redisReply *r)
{
	struct diff *d = calloc(DIFF_MAX, sizeof(*d));
	size_t i, n;
	int need = 0;

	if (d == NULL)
		return 0;
	n = diffs_of(r, d, DIFF_MAX);
	for (i = 0; i < n && !need; i++)
		need = diff_wants_texts(&d[i]);
	free(d);
	return need;
}

/*
 * The texts a class is worked out from.  KEYS: lsi (unread: the slug's
 * slot).  ARGV: the slug's prefix, the
 * bytes read at most, then "b:HEX" (a base: apl:HEX, else ls:HEX) or
 * "c:HEX" (ls:HEX).  Returns {TAG, TEXT ...}: TEXT '' when not kept, '-'
 * past the bytes.
 */
const char agg_review_texts_lua[] =
    "local out, left = {}, tonumber(ARGV[2])\n"
    "for i = 3, #ARGV do\n"
    "  local tag, hx = string.match(ARGV[i], '^([bc]):(%x+)$')\n"
    "  if tag then\n"
    "    local k = ARGV[1] .. 'ls:' .. hx\n"
    "    if tag == 'b' and redis.call('EXISTS', ARGV[1] .. 'apl:' .. hx) == 1 then\n"
    "      k = ARGV[1] .. 'apl:' .. hx\n"
    "    end\n"
    "    local n = redis.call('STRLEN', k)\n"
    "    out[#out + 1] = ARGV[i]\n"
    "    if n > left then out[#out + 1] = '-'\n"
    "    else out[#out + 1] = redis.call('GET', k) or ''; left = left - n end\n"
    "  end\n"
    "end\n"
    "return out\n";

int
agg_review_texts_append(
    struct mcp_store *st, const char *sha, const char *slug, const redisReply *r)
{
	struct diff *d = calloc(DIFF_MAX, sizeof(*d));
	const char **argv = calloc(6 + 2 * DIFF_MAX, sizeof(*argv));
	char(*tag)[80] = calloc(2 * DIFF_MAX, sizeof(*tag));
	char pre[MCP_SLUG_MAX + 64], key[MCP_SLUG_MAX + 64], cap[24];
	size_t i, n, a = 0, t = 0;
	int rc = -1;

	if (d == NULL || argv == NULL || tag == NULL)
		goto out;
	agg_key(pre, sizeof(pre), slug, "", -1);
	agg_key(key, sizeof(key), slug, "lsi", -1);
	snprintf(cap, sizeof(cap), "%d", AGG_VLIST_BYTES);
	/* One key, the slug's, so that a cluster sends it where the slug's keys are. */
	argv[a++] = "EVALSHA", argv[a++] = sha, argv[a++] = "1", argv[a++] = key, argv[a++] = pre;
	argv[a++] = cap;
	n = diffs_of(r, d, DIFF_MAX);
	for (i = 0; i < n; i++) {
		if (!diff_wants_texts(&d[i]))
			continue;
		snprintf(tag[t], sizeof(tag[t]), "b:%s", agg_list_hex(d[i].base));
		argv[a++] = tag[t++];
		snprintf(tag[t], sizeof(tag[t]), "c:%s", agg_list_hex(d[i].cur));
		argv[a++] = tag[t++];
	}
	rc = mcp_store_appendv(st, (int)a, argv, NULL);
out:
	free(d);
	free(argv);
	free(tag);
	return rc;
}

/* The text read of tag ("b:HEX"), borrowed from t, or NULL. */
static const redisReply *
text_of(const redisReply *t, const char *tag)
{
	size_t i;

	for (i = 0; t != NULL && t->type == REDIS_REPLY_ARRAY && i + 1 < t->elements; i += 2)
		if (t->element[i]->type == REDIS_REPLY_STRING &&
		    t->element[i + 1]->type == REDIS_REPLY_STRING &&
		    strcmp(t->element[i]->str, tag) == 0)
			return t->element[i + 1];
	return NULL;
}

/* The classes by rank; CLASS_UNKNOWN: the lists were not there to compare. */
#define CLASS_UNKNOWN (-1)
static const char *const class_word[] = {"none", "compatible", "review", "breaking"};

static int
class_rank(const char *c)
{
	int i;

	for (i = 1; i < 4; i++)
		if (c != NULL && strcmp(c, class_word[i]) == 0)
			return i;
	return c != NULL && strcmp(c, "none") == 0 ? 0 : CLASS_UNKNOWN;
}

/* The worse of two classes: breaking first, then a class not known. */
static int
class_worse(int a, int b)
{
	if (a == 3 || b == 3)
		return 3;
	if (a == CLASS_UNKNOWN || b == CLASS_UNKNOWN)
		return CLASS_UNKNOWN;
	return a > b ? a : b;
}

/*
 * The class of d: known already, or worked out from the texts read (t),
 * the store told (*memo 1) so that it is worked out once; CLASS_UNKNOWN
 * when a text is not there, or not the list its hash names.
 */
static int
diff_class(const struct diff *d, const redisReply *t, int *memo)
{
	char tag[80];
	const redisReply *a, *b;
	const char *why;
	cJSON *la = NULL, *lb = NULL, *s;
	int c = CLASS_UNKNOWN;

	*memo = 0;
	if (d->memo[0] != '\0')
		return class_rank(d->memo);
	if (!diff_wants_texts(d))
		return CLASS_UNKNOWN;
	snprintf(tag, sizeof(tag), "b:%s", agg_list_hex(d->base));
	a = text_of(t, tag);
	snprintf(tag, sizeof(tag), "c:%s", agg_list_hex(d->cur));
	b = text_of(t, tag);
	if (a == NULL || b == NULL ||
	    (la = agg_list_parse(d->k, d->base, a->len ? a->str : NULL, a->len, &why)) == NULL ||
	    (lb = agg_list_parse(d->k, d->cur, b->len ? b->str : NULL, b->len, &why)) == NULL)
		goto out;
	if ((s = agg_list_change(d->k, la, lb)) != NULL) {
		c = class_rank(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(s, "class")));
		/* Two lists that differ but in nothing a diff says: compatible. */
		if (c == CLASS_UNKNOWN || c == 0)
			c = 1;
		*memo = 1;
		cJSON_Delete(s);
	}
out:
	cJSON_Delete(la);
	cJSON_Delete(lb);
	return c;
}

/* ---- findings: the store's judgment of a list, and what runners agree on ---- */

static const char *const sev_word[] = {"none", "low", "medium", "high"};

static int
sev_rank(const char *s)
{
	int i;

	for (i = 0; i < 4; i++)
		if (s != NULL && strcmp(s, sev_word[i]) == 0)
			return i;
	return -1;
}

/* A judgment "COUNT WORST RULES" (lf, or a region's findings without STARTED). */
struct judged {
	int ok; /* 0: none (the store never judged the list) */
	int worst;
	char rules[AGG_FINDINGS_RULES];
};

static void
judged_of(const char *v, struct judged *j)
{
	char w[8];
	long c;

	memset(j, 0, sizeof(*j));
	if (v == NULL ||
	    sscanf(v, "%ld %7s %" AGG_STR(AGG_FINDINGS_RULES_W) "s", &c, w, j->rules) != 3 ||
	    sev_rank(w) < 0)
		return;
	j->ok = 1, j->worst = sev_rank(w);
	if (strcmp(j->rules, "-") == 0)
		j->rules[0] = '\0';
}

/* 1 when the list judged c has a high or medium finding the base b had not. */
static int
findings_new(const struct judged *c, const struct judged *b)
{
	const char *p = c->rules, *e;

	if (!c->ok || c->worst < 2)
		return 0;
	while (*p != '\0') {
		e = strchr(p, ',');
		if (e == NULL)
			e = p + strlen(p);
		if (!b->ok || !agg_rule_in(b->rules, p, (size_t)(e - p)))
			return 1;
		p = *e ? e + 1 : e;
	}
	return 0;
}

/*
 * What the runners say of a list the store could not read (its regions'
 * findings, f, each the runner's own for a list never judged): a high or
 * medium finding every region serving it says, from at least two regions
 * (one where the kind has one region), their rules in common and the
 * least of their worst, into a new object; NULL when they do not agree.
 */
static cJSON *
runners_agree(const redisReply *f, const struct lrow *v, size_t n, const char *h)
{
	char common[AGG_FINDINGS_RULES] = "", keep[AGG_FINDINGS_RULES], *r, *save;
	struct judged j;
	size_t i, m, agree = 0, serve = 0;
	int worst = 4;
	const char *val, *sp;
	cJSON *o, *a;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i].hash, h) != 0)
			continue;
		serve++;
		for (m = 0, val = NULL; f != NULL && f->type == REDIS_REPLY_ARRAY &&
		     m + 1 < f->elements && val == NULL;
		     m += 2)
			if (f->element[m]->str != NULL &&
			    strcmp(f->element[m]->str, v[i].region) == 0)
				val = f->element[m + 1]->str;
		if (val == NULL || (sp = strchr(val, ' ')) == NULL)
			return NULL;
		judged_of(sp + 1, &j);
		if (!j.ok || j.worst < 2)
			return NULL;
		if (agree++ == 0) {
			snprintf(common, sizeof(common), "%s", j.rules);
		} else {
			/* Only the rules every one of them says. */
			snprintf(keep, sizeof(keep), "%s", common);
			common[0] = '\0';
			for (r = strtok_r(keep, ",", &save); r != NULL;
			     r = strtok_r(NULL, ",", &save))
				if (agg_rule_in(j.rules, r, strlen(r)))
					snprintf(common + strlen(common),
					    sizeof(common) - strlen(common), "%s%s",
					    common[0] ? "," : "", r);
		}
		worst = j.worst < worst ? j.worst : worst;
	}
	if (agree == 0 || agree < (n > 1 ? 2 : 1) || agree < serve || common[0] == '\0')
		return NULL;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "worst", sev_word[worst]);
	cJSON_AddStringToObject(o, "rules", common);
	a = cJSON_AddArrayToObject(o, "regions");
	for (i = 0; i < n; i++)
		if (strcmp(v[i].hash, h) == 0)
			cJSON_AddItemToArray(a, cJSON_CreateString(v[i].region));
	return o;
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
static cJSON *
field_json(const redisReply *h, const char *f)
{
	size_t i;

	for (i = 0; h->type == REDIS_REPLY_ARRAY && i + 1 < h->elements; i += 2)
		if (strcmp(h->element[i]->str, f) == 0)
			return cJSON_ParseWithLength(
			    h->element[i + 1]->str, h->element[i + 1]->len);
	return NULL;
}

static const char *
str_of(const cJSON *o, const char *k)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));

	return s != NULL ? s : "";
}

static double
num_of(const cJSON *o, const char *k)
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
		if (strcmp(str_of(x, "from"), str_of(e, "from")) == 0 &&
		    strcmp(str_of(x, "to"), str_of(e, "to")) == 0)
			return;
	}
	if (at < *since)
		*since = at;
	*worst = class_worse(
	    *worst, cJSON_IsObject(ch) ? class_rank(str_of(ch, "class")) : CLASS_UNKNOWN);
	if (cJSON_GetArraySize(a) >= AGG_REVIEW_CHANGES)
		return;
	c = cJSON_CreateObject();
	cJSON_AddNumberToObject(c, "at", at);
	cJSON_AddStringToObject(c, "from", str_of(e, "from"));
	cJSON_AddStringToObject(c, "to", str_of(e, "to"));
	if (cJSON_IsObject(ch)) {
		cJSON_AddStringToObject(c, "class", str_of(ch, "class"));
		cJSON_AddStringToObject(c, "text", str_of(ch, "text"));
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
		if (strcmp(str_of(d, "kind"), agg_list_word(k)) == 0)
			change_add(a, d, (double)window, &worst, since);
	}
	for (i = 0; hist->type == REDIS_REPLY_ARRAY && i + 1 < hist->elements; i += 2) {
		if ((e = cJSON_ParseWithLength(hist->element[i]->str, hist->element[i]->len)) ==
		    NULL)
			continue;
		at = num_of(e, "at");
		if (strcmp(str_of(e, "kind"), agg_list_word(k)) == 0 && at + AGG_WINDOW > base_at)
			change_add(a, e, at, &worst, since);
		cJSON_Delete(e);
	}
	return worst;
}

/* ---- the holds: what waits for a person ---- */

/* The review's writes: holds begun or grown, classes worked out. */
struct rwrite {
	const char *argv[6 + 3 * (2 * DIFF_MAX)];
	char *own[2 * DIFF_MAX * 2];
	size_t n, nown;
};

static void
rw_add(struct rwrite *w, const char *op, const char *f, const char *v)
{
	char *a = strdup(f), *b = strdup(v);

	if (a == NULL || b == NULL || w->nown + 2 > sizeof(w->own) / sizeof(w->own[0]) ||
	    w->n + 3 > sizeof(w->argv) / sizeof(w->argv[0])) {
		free(a), free(b);
		return;
	}
	w->own[w->nown++] = a, w->own[w->nown++] = b;
	w->argv[w->n++] = op, w->argv[w->n++] = a, w->argv[w->n++] = b;
}

/*
 * A hold's write.  KEYS: hold rvc.  ARGV: the TTL, then triples: H (a
 * hold) or M (a class), the field, the value.
 */
static const char write_lua[] = "for i = 2, #ARGV, 3 do\n"
                                "  local k = ARGV[i] == 'H' and KEYS[1] or KEYS[2]\n"
                                "  redis.call('HSET', k, ARGV[i + 1], ARGV[i + 2])\n"
                                "  redis.call('EXPIRE', k, ARGV[1])\n"
                                "end\n"
                                "return 1\n";

/* Everything one kind's state is read from. */
struct rctx {
	const redisReply *r, *texts, *findings;
	const cJSON *drift;
	struct diff *d;
	size_t nd;
	long long window;
	struct rwrite *w;
};

/* The difference of region in kind k, or NULL. */
static const struct diff *
diff_find(const struct rctx *x, int k, const char *region)
{
	size_t i;

	for (i = 0; i < x->nd; i++)
		if (x->d[i].k == k && strcmp(x->d[i].region, region) == 0)
			return &x->d[i];
	return NULL;
}

/* The hold of kind k in region (owned), or NULL. */
static cJSON *
hold_of(const struct rctx *x, int k, const char *region)
{
	char f[MCP_SLUG_MAX + 8];

	snprintf(f, sizeof(f), "%c:%s", agg_list_letter(k), region);
	return field_json(x->r->element[5], f);
}

static cJSON *
class_json(int c)
{
	return c == CLASS_UNKNOWN ? cJSON_CreateNull() : cJSON_CreateString(class_word[c]);
}

/*
 * Why region's list d waits for a person, into a new hold (owned), or
 * NULL when it does not: its base a person's answer or a held first
 * list (answered) and the class of the difference review, breaking or not
 * known; a high or medium finding the base had not; a list the store
 * could not read.
 */
static cJSON *
hold_new(const struct rctx *x, const struct diff *d, int answered, int cls, const struct lrow *v,
    size_t n)
{
	struct judged jb, jc;
	const char *why = NULL, *u;
	cJSON *h, *run;

	judged_of(d->lfb[0] ? d->lfb : NULL, &jb);
	judged_of(d->lfc[0] ? d->lfc : NULL, &jc);
	if (!jc.ok)
		why = "unread";
	else if (findings_new(&jc, &jb))
		why = "findings";
	else if (answered && (cls == CLASS_UNKNOWN || cls >= 2))
		why = "change";
	if (why == NULL)
		return NULL;
	h = cJSON_CreateObject();
	cJSON_AddNumberToObject(h, "at", (double)x->window);
	cJSON_AddStringToObject(h, "hash", d->cur);
	cJSON_AddStringToObject(h, "base", d->base);
	cJSON_AddStringToObject(h, "why", why);
	/* A finding the rules found is worth a person's review whatever the diff says. */
	cJSON_AddItemToObject(h, "class",
	    class_json(strcmp(why, "findings") == 0 ? class_worse(cls, 2)
	            : strcmp(why, "unread") == 0    ? class_worse(cls, CLASS_UNKNOWN)
	                                            : cls));
	if (jc.ok && jc.worst >= 2) {
		cJSON_AddStringToObject(h, "worst", sev_word[jc.worst]);
		cJSON_AddStringToObject(h, "rules", jc.rules);
	}
	if (!jc.ok) {
		u = d->ucur[0]                      ? d->ucur
		    : strchr(d->texts, 'c') != NULL ? "not_judged"
		                                    : "not_kept";
		cJSON_AddStringToObject(h, "unread", u);
		if ((run = runners_agree(x->findings, v, n, d->cur)) != NULL)
			cJSON_AddItemToObject(h, "runners", run);
	}
	return h;
}

/*
 * A hold already there grown by what region's list says now (nw, the hold
 * it would begin): the worse class, the worse findings, the runners'
 * word.  1 when it changed.
 */
static int
hold_grow(cJSON *h, const cJSON *nw)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(h, "class");
	const cJSON *nc = cJSON_GetObjectItemCaseSensitive(nw, "class");
	int a = cJSON_IsString(c) ? class_rank(c->valuestring) : CLASS_UNKNOWN;
	int b = cJSON_IsString(nc) ? class_rank(nc->valuestring) : CLASS_UNKNOWN;
	int changed = 0;

	if (class_worse(a, b) != a) {
		cJSON_ReplaceItemInObject(h, "class", class_json(class_worse(a, b)));
		changed = 1;
	}
	if (sev_rank(str_of(nw, "worst")) > sev_rank(str_of(h, "worst")) ||
	    (strcmp(str_of(nw, "worst"), str_of(h, "worst")) == 0 &&
	        strcmp(str_of(nw, "rules"), str_of(h, "rules")) != 0 &&
	        strlen(str_of(nw, "rules")) > strlen(str_of(h, "rules")))) {
		cJSON_DeleteItemFromObject(h, "worst");
		cJSON_DeleteItemFromObject(h, "rules");
		cJSON_AddStringToObject(h, "worst", str_of(nw, "worst"));
		cJSON_AddStringToObject(h, "rules", str_of(nw, "rules"));
		changed = 1;
	}
	if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(nw, "runners")) &&
	    !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(h, "runners"))) {
		cJSON_AddItemToObject(h, "runners",
		    cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(nw, "runners"), 1));
		changed = 1;
	}
	return changed;
}

/* A hold written (begun or grown) for the verdict's write. */
static void
hold_write(const struct rctx *x, int k, const char *region, const cJSON *h)
{
	char f[MCP_SLUG_MAX + 8], *s;

	snprintf(f, sizeof(f), "%c:%s", agg_list_letter(k), region);
	if ((s = cJSON_PrintUnformatted(h)) != NULL)
		rw_add(x->w, "H", f, s);
	cJSON_free(s);
}

/* A hold said in the verdict: its region first, then what it keeps. */
static void
hold_say(cJSON *a, const char *region, const cJSON *h)
{
	cJSON *o = cJSON_CreateObject(), *rs;
	const cJSON *e;
	char buf[AGG_FINDINGS_RULES], *r, *save = NULL;

	cJSON_AddStringToObject(o, "region", region);
	cJSON_ArrayForEach(e, h)
	{
		if (strcmp(e->string, "rules") == 0 && cJSON_IsString(e)) {
			rs = cJSON_AddArrayToObject(o, "rules");
			snprintf(buf, sizeof(buf), "%s", e->valuestring);
			for (r = strtok_r(buf, ",", &save); r != NULL;
			     r = strtok_r(NULL, ",", &save))
				cJSON_AddItemToArray(rs, cJSON_CreateString(r));
		} else if (strcmp(e->string, "region") != 0) {
			cJSON_AddItemToObject(o, e->string, cJSON_Duplicate(e, 1));
		}
	}
	cJSON_AddItemToArray(a, o);
}

/* ---- one kind's state ---- */

/* The names of a JSON array of strings: s added once. */
static void
name_add(cJSON *a, const char *s)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, a) if (strcmp(x->valuestring, s) == 0) return;
	cJSON_AddItemToArray(a, cJSON_CreateString(s));
}

/*
 * A held first list said (the pin's "held": its worst and rules, or why
 * the store could not read it and what the runners agree on), and the
 * regions serving it.
 */
static void
held_add(const struct rctx *x, cJSON *o, const cJSON *pin, const struct lrow *v, size_t n)
{
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(pin, "held");
	cJSON *y = cJSON_AddObjectToObject(o, "held"), *a, *run;
	char rules[AGG_FINDINGS_RULES], *r, *save = NULL;
	size_t i;

	cJSON_AddNumberToObject(y, "at", num_of(pin, "at"));
	if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(h, "worst")))
		cJSON_AddStringToObject(y, "worst", str_of(h, "worst"));
	else
		cJSON_AddNullToObject(y, "worst");
	a = cJSON_AddArrayToObject(y, "rules");
	snprintf(rules, sizeof(rules), "%s", str_of(h, "rules"));
	for (r = strtok_r(rules, ",", &save); r != NULL; r = strtok_r(NULL, ",", &save))
		if (strcmp(r, "-") != 0)
			cJSON_AddItemToArray(a, cJSON_CreateString(r));
	a = cJSON_AddArrayToObject(y, "regions");
	for (i = 0; i < n; i++)
		if (strcmp(v[i].hash, str_of(pin, "hash")) == 0)
			name_add(a, v[i].region);
	if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(h, "unread"))) {
		cJSON_AddStringToObject(y, "unread", str_of(h, "unread"));
		if ((run = runners_agree(x->findings, v, n, str_of(pin, "hash"))) != NULL)
			cJSON_AddItemToObject(y, "runners", run);
	}
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
	int first_ans, first_dif;
	cJSON *differ, *rej, *holds, *regions;
};

/* The base shown: that of a region apart, a person's answer before a pin, the latest. */
static void
first_pick(struct kstate *s, cJSON *b, int ans, int dif)
{
	if (s->first == NULL || dif > s->first_dif || (dif == s->first_dif && ans > s->first_ans) ||
	    (dif == s->first_dif && ans == s->first_ans &&
	        num_of(b, "at") > num_of(s->first, "at"))) {
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
	if ((b = field_json(x->r->element[0], f)) == NULL) {
		f[1] = '\0';
		b = field_json(x->r->element[0], f);
	}
	if ((*ans = b != NULL) == 0) {
		f[1] = '\0';
		b = field_json(x->r->element[1], f);
	}
	return b;
}

/* Row i of kind k read: its base, whether it waits, and the holds it begins or grows. */
static void
row_read(const struct rctx *x, int k, const struct lrow *v, size_t n, size_t i, struct kstate *s)
{
	struct rowstate rs = {0};
	const struct diff *d;
	cJSON *h, *nw = NULL;
	int cls = CLASS_UNKNOWN, memo = 0, pinheld;
	char f[MCP_SLUG_MAX + 80];

	rs.base = base_of(x, k, v[i].region, &rs.ans);
	h = hold_of(x, k, v[i].region);
	if (rs.base == NULL && h == NULL)
		return;
	pinheld = rs.base != NULL && !rs.ans &&
	    cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(rs.base, "held"));
	s->answered |= rs.ans;
	s->held_pin |= pinheld;
	if (rs.base != NULL && (rs.dif = strcmp(str_of(rs.base, "hash"), v[i].hash) != 0)) {
		cJSON_AddItemToArray(s->differ, cJSON_CreateString(v[i].region));
		if (s->nd++ == 0 || num_of(rs.base, "at") < s->base_at)
			s->base_at = num_of(rs.base, "at");
		if ((d = diff_find(x, k, v[i].region)) != NULL) {
			cls = diff_class(d, x->texts, &memo);
			if (memo) {
				snprintf(f, sizeof(f), "%c:%s:%s", agg_list_letter(k),
				    agg_list_hex(d->base), agg_list_hex(d->cur));
				rw_add(x->w, "M", f, class_word[cls]);
			}
			nw = hold_new(x, d, rs.ans || pinheld, cls, v, n);
		}
		/* A change from a pin nobody held takes its class from the history when not known. */
		if (cls != CLASS_UNKNOWN || rs.ans || pinheld)
			s->worst = class_worse(s->worst, cls);
	} else if (rs.base != NULL && strcmp(str_of(rs.base, "state"), "rejected") == 0) {
		cJSON_AddItemToArray(s->rej, cJSON_CreateString(v[i].region));
		s->nr++;
	}
	if (nw != NULL && h == NULL) {
		h = nw, nw = NULL;
		hold_write(x, k, v[i].region, h);
	} else if (nw != NULL && hold_grow(h, nw)) {
		hold_write(x, k, v[i].region, h);
	}
	rs.waits = h != NULL || pinheld;
	if (rs.waits)
		s->nwait++, name_add(s->regions, v[i].region);
	if (h != NULL)
		hold_say(s->holds, v[i].region, h);
	if (rs.base != NULL)
		first_pick(s, rs.base, rs.ans, rs.dif);
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
		if (j < n ||
		    (h = cJSON_ParseWithLength(hr->element[i + 1]->str, hr->element[i + 1]->len)) ==
		        NULL)
			continue;
		s->nwait++;
		name_add(s->regions, f + 2);
		hold_say(s->holds, f + 2, h);
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
		w = class_worse(w, cJSON_IsString(c) ? class_rank(c->valuestring) : CLASS_UNKNOWN);
		if (num_of(h, "at") < *since)
			*since = num_of(h, "at");
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

/* The review state of kind k, or NULL when no region serves a list of it and none waits. */
static cJSON *
kind_state(const struct rctx *x, int k)
{
	struct lrow v[AGG_FAULT_REGIONS];
	const redisReply *r = x->r;
	size_t n = agg_review_rows(k, r->element[2], r->element[3], v, AGG_FAULT_REGIONS), i;
	struct kstate s = {0};
	const char *maj = agg_review_majority(v, n);
	cJSON *o;
	int cw;

	s.differ = cJSON_CreateArray(), s.rej = cJSON_CreateArray();
	s.holds = cJSON_CreateArray(), s.regions = cJSON_CreateArray();
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(v[i - 1].region, v[i].region) != 0)
			row_read(x, k, v, n, i, &s);
	holds_absent(x, k, v, n, &s);
	if (maj == NULL && s.nwait == 0) {
		cJSON_Delete(s.differ), cJSON_Delete(s.rej);
		cJSON_Delete(s.holds), cJSON_Delete(s.regions);
		cJSON_Delete(s.first);
		return NULL;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "state", state_word(&s));
	if (maj != NULL)
		cJSON_AddStringToObject(o, "hash", maj);
	else
		cJSON_AddNullToObject(o, "hash");
	if (s.first != NULL && s.answered) {
		/* {hash, state, by, at} */
		cJSON_AddItemToObject(o, "answered", cJSON_Duplicate(s.first, 1));
	} else if (s.first != NULL) {
		cJSON_AddStringToObject(o, "pinned", str_of(s.first, "hash"));
		cJSON_AddNumberToObject(o, "pinned_at", num_of(s.first, "at"));
	}
	if (s.held_pin && s.first != NULL && !s.first_ans)
		held_add(x, o, s.first, v, n);
	s.since = (double)x->window;
	if (s.nd > 0 || s.nwait > 0) {
		/* The class: never less than that of each region's difference from its base. */
		cw = class_worse(s.worst,
		    add_changes(o, r->element[4], x->drift, k, s.base_at, x->window, &s.since));
		cw = class_worse(cw, holds_worst(s.holds, &s.since));
		if (s.held_pin) {
			cw = class_worse(cw, 2);
			if (num_of(s.first, "at") < s.since)
				s.since = num_of(s.first, "at");
		}
		cJSON_AddNumberToObject(o, "since", s.since);
		cJSON_AddItemToObject(o, "class", cw == 0 ? cJSON_CreateNull() : class_json(cw));
		for (i = 0; i < (size_t)cJSON_GetArraySize(s.differ); i++)
			name_add(s.regions, cJSON_GetArrayItem(s.differ, (int)i)->valuestring);
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
	cJSON_Delete(s.first);
	return o;
}

/* The writes into the command h (owned copies): none when w holds nothing. */
static void
write_cmd(struct rwrite *w, const char *slug, struct agg_hcmd *h)
{
	char kh[MCP_SLUG_MAX + 64], kr[MCP_SLUG_MAX + 64], ttl[16];
	const char *argv[6 + 3 * (2 * DIFF_MAX)];
	size_t len[6 + 3 * (2 * DIFF_MAX)], i, n = 0;

	memset(h, 0, sizeof(*h));
	if (w->n == 0)
		return;
	agg_key(kh, sizeof(kh), slug, "hold", -1);
	agg_key(kr, sizeof(kr), slug, "rvc", -1);
	snprintf(ttl, sizeof(ttl), "%d", AGG_TTL_LONG);
	argv[n++] = "EVAL", argv[n++] = write_lua, argv[n++] = "2";
	argv[n++] = kh, argv[n++] = kr, argv[n++] = ttl;
	for (i = 0; i < w->n; i++)
		argv[n++] = w->argv[i];
	for (i = 0; i < n; i++)
		len[i] = strlen(argv[i]);
	if ((h->argv = calloc(n, sizeof(*h->argv))) == NULL ||
	    (h->len = calloc(n, sizeof(*h->len))) == NULL) {
		agg_hcmd_free(h);
		return;
	}
	for (i = 0; i < n; i++, h->argc++) {
		if ((h->argv[i] = strdup(argv[i])) == NULL) {
			agg_hcmd_free(h);
			return;
		}
		h->len[i] = len[i];
	}
}

void
agg_review_add(cJSON *o, const redisReply *r, const redisReply *t, const redisReply *f,
    const char *slug, long long window, struct agg_hcmd *h)
{
	struct rwrite *w = calloc(1, sizeof(*w));
	struct rctx x = {r, t, f, cJSON_GetObjectItemCaseSensitive(o, "drift"), NULL, 0, window, w};
	cJSON *rv, *s;
	size_t i;
	int k;

	memset(h, 0, sizeof(*h));
	if (w == NULL || r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements < 7 ||
	    (x.d = calloc(DIFF_MAX, sizeof(*x.d))) == NULL) {
		free(w);
		return;
	}
	x.nd = diffs_of(r, x.d, DIFF_MAX);
	rv = cJSON_CreateObject();
	for (k = 0; k < AGG_LIST_KINDS; k++)
		if ((s = kind_state(&x, k)) != NULL)
			cJSON_AddItemToObject(rv, agg_list_word(k), s);
	if (rv != NULL && rv->child == NULL)
		cJSON_Delete(rv);
	else
		cJSON_AddItemToObject(o, "review", rv);
	write_cmd(w, slug, h);
	for (i = 0; i < w->nown; i++)
		free(w->own[i]);
	free(w);
	free(x.d);
}
