/*
 * approve.c - the lists a person approved or rejected, and the review
 * state of what a server serves since (issue 54; mcp-aggregate(1)
 * "tools", "verdict"; mcp-store(7) "Lists").  tools --approve and
 * --reject answer what each region serves now: mcp:{SLUG}:appr, field
 * KIND (t, r or p: every region) or KIND:REGION, value
 * {"hash":"sha256:HEX","state":"approved"|"rejected","by":"WHO","at":UNIX},
 * the list's text kept at mcp:{SLUG}:apl:HEX with no TTL while an answer
 * names it.  A kind no one answered for every region is pinned at first
 * sight by the verdict (mcp:{SLUG}:pin, field KIND).  The verdict then
 * says, per kind, approved, rejected or unreviewed (a person answered;
 * the list differs since), pinned or changed (first sight only).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "approve.h"
#include "findings.h"
#include "lists.h"
#include "rec.h"

/*
 * The answers' write.  KEYS: appr.  ARGV: the slug's prefix, then
 * quadruples: S (set) or D (delete), the field, the value, the list's hex
 * ('' for none).  A list set is copied from ls:HEX to apl:HEX unless it
 * is there; an apl:HEX no answer names any more is deleted.  Returns the
 * hexes whose text neither key held.
 */
static const char answer_lua[] =
    "local pre, missing, keep = ARGV[1], {}, {}\n"
    "local old = redis.call('HGETALL', KEYS[1])\n"
    "for i = 2, #ARGV, 4 do\n"
    "  local op, f, v, hex = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]\n"
    "  if op == 'D' then redis.call('HDEL', KEYS[1], f)\n"
    "  else\n"
    "    redis.call('HSET', KEYS[1], f, v)\n"
    "    if hex ~= '' and redis.call('EXISTS', pre .. 'apl:' .. hex) == 0 then\n"
    "      local t = redis.call('GET', pre .. 'ls:' .. hex)\n"
    "      if t then redis.call('SET', pre .. 'apl:' .. hex, t)\n"
    "      else missing[#missing + 1] = hex end\n"
    "    end\n"
    "  end\n"
    "end\n"
    "local now = redis.call('HGETALL', KEYS[1])\n"
    "for i = 2, #now, 2 do\n"
    "  local h = string.match(now[i], '\"hash\":\"sha256:(%x+)\"')\n"
    "  if h then keep[h] = true end\n"
    "end\n"
    "for i = 2, #old, 2 do\n"
    "  local h = string.match(old[i], '\"hash\":\"sha256:(%x+)\"')\n"
    "  if h and not keep[h] then redis.call('DEL', pre .. 'apl:' .. h) end\n"
    "end\n"
    "return missing\n";

#define ANSWERS_MAX (3 * (AGG_FAULT_REGIONS + 1)) /* fields of one answer */

struct lrow {
	const char *region, *hash;
	double at;
};

static int
row_cmp(const void *a, const void *b)
{
	return strcmp(((const struct lrow *)a)->region, ((const struct lrow *)b)->region);
}

/* The regions' current lists of kind k, by region: rows into v (borrowed), their number. */
static size_t
rows_of(int k, const redisReply *hv, const redisReply *lh, struct lrow *v, size_t max)
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

/* The hash most regions serve (a tie: the one seen latest). */
static const char *
rows_majority(const struct lrow *v, size_t n)
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

struct wq {
	const char *argv[5 + 4 * ANSWERS_MAX]; /* EVALSHA SHA 1 KEY PREFIX, then the answers */
	char own[ANSWERS_MAX][2][600];
	size_t n, nown;
};

static void
wq_add(struct wq *q, const struct agg_answer *a, int k, const char *region, const char *hash,
    double now)
{
	char *f = q->own[q->nown][0], *v = q->own[q->nown][1], *s;
	cJSON *o;

	if (q->nown == ANSWERS_MAX)
		return;
	q->nown++;
	if (region != NULL)
		snprintf(f, 600, "%c:%s", agg_list_letter(k), region);
	else
		snprintf(f, 600, "%c", agg_list_letter(k));
	q->argv[q->n++] = hash != NULL ? "S" : "D";
	q->argv[q->n++] = f;
	v[0] = '\0';
	if (hash != NULL && (o = cJSON_CreateObject()) != NULL) {
		cJSON_AddStringToObject(o, "hash", hash);
		cJSON_AddStringToObject(o, "state", a->reject ? "rejected" : "approved");
		cJSON_AddStringToObject(o, "by", a->by);
		cJSON_AddNumberToObject(o, "at", (double)(long long)now);
		if ((s = cJSON_PrintUnformatted(o)) != NULL && strlen(s) < 600)
			snprintf(v, 600, "%s", s);
		cJSON_free(s);
		cJSON_Delete(o);
	}
	q->argv[q->n++] = v;
	q->argv[q->n++] = hash != NULL && agg_list_hex(hash) != NULL ? agg_list_hex(hash) : "";
}

/* One line (or JSON record) of what was answered. */
static void
say(cJSON *out, const struct agg_answer *a, const char *slug, int k, const char *region,
    const char *hash)
{
	cJSON *o;

	if (a->json) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "kind", agg_list_word(k));
		if (region != NULL)
			cJSON_AddStringToObject(o, "region", region);
		else
			cJSON_AddNullToObject(o, "region");
		cJSON_AddStringToObject(o, "hash", hash);
		cJSON_AddItemToArray(out, o);
		return;
	}
	printf("%s: %s %s %.19s (%s) by %s\n", slug, agg_list_word(k),
	    a->reject ? "rejected" : "approved", hash, region != NULL ? region : "every region",
	    a->by);
}

int
agg_answer(struct mcp_store *st, const char *slug, const redisReply *hv, const redisReply *lh,
    const struct agg_answer *a)
{
	struct lrow v[AGG_FAULT_REGIONS];
	struct wq *q = calloc(1, sizeof(*q));
	char key[MCP_SLUG_MAX + 64], pre[MCP_SLUG_MAX + 64], sha[41], err[512];
	const char *maj;
	size_t n, i, j;
	double now = mcp_now();
	cJSON *out = cJSON_CreateObject(), *done = NULL;
	redisReply *r;
	int k, rc = MCP_EXIT_OK, any = 0;

	if (q == NULL || out == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	agg_key(key, sizeof(key), slug, "appr", -1);
	agg_key(pre, sizeof(pre), slug, "", -1);
	q->argv[q->n++] = "EVALSHA", q->argv[q->n++] = sha, q->argv[q->n++] = "1";
	q->argv[q->n++] = key, q->argv[q->n++] = pre;
	if (a->json) {
		cJSON_AddStringToObject(out, "slug", slug);
		cJSON_AddStringToObject(out, "state", a->reject ? "rejected" : "approved");
		cJSON_AddStringToObject(out, "by", a->by);
		cJSON_AddNumberToObject(out, "at", (double)(long long)now);
		done = cJSON_AddArrayToObject(out, "lists");
	}
	for (k = 0; k < AGG_LIST_KINDS; k++) {
		if (!(a->kinds & (1 << k)))
			continue;
		n = rows_of(k, hv, lh, v, AGG_FAULT_REGIONS);
		if (a->region != NULL) {
			for (i = 0; i < n && strcmp(v[i].region, a->region) != 0; i++)
				;
			if (i < n) {
				wq_add(q, a, k, a->region, v[i].hash, now);
				say(done, a, slug, k, a->region, v[i].hash);
				any++;
			}
			continue;
		}
		if ((maj = rows_majority(v, n)) == NULL)
			continue;
		wq_add(q, a, k, NULL, maj, now);
		say(done, a, slug, k, NULL, maj);
		any++;
		/* A region apart has its own answer; one serving the majority's, none. */
		for (i = 0; i < n; i++) {
			for (j = 0; j < i && strcmp(v[j].region, v[i].region) != 0; j++)
				;
			if (j < i)
				continue;
			if (strcmp(v[i].hash, maj) != 0) {
				wq_add(q, a, k, v[i].region, v[i].hash, now);
				say(done, a, slug, k, v[i].region, v[i].hash);
			} else {
				wq_add(q, a, k, v[i].region, NULL, now);
			}
		}
	}
	if (any == 0) {
		for (k = 0; k < AGG_LIST_KINDS && a->kinds != 1 << k; k++)
			;
		if (a->region != NULL)
			warnx("%s: nothing to %s: region %s served no %s list in 31 days: is the "
			      "region right? see mcp-aggregate tools %s",
			    slug, a->reject ? "reject" : "approve", a->region,
			    k < AGG_LIST_KINDS ? agg_list_word(k) : "tool, resource or prompt",
			    slug);
		else
			warnx("%s: nothing to %s: no %s list served in 31 days: is the slug right? "
			      "see mcp-aggregate status",
			    slug, a->reject ? "reject" : "approve",
			    k < AGG_LIST_KINDS ? agg_list_word(k) : "tool, resource or prompt");
		free(q);
		cJSON_Delete(out);
		return MCP_EXIT_FAIL;
	}
	if (mcp_store_script_load(st, answer_lua, sha, err, sizeof(err)) == -1 ||
	    (r = mcp_store_cmd(st, (int)q->n, q->argv, err, sizeof(err))) == NULL) {
		warnx("redis: %s", err);
		free(q);
		cJSON_Delete(out);
		return MCP_EXIT_FAIL;
	}
	if (r->type == REDIS_REPLY_ERROR) {
		warnx("redis: %s", r->str);
		rc = MCP_EXIT_FAIL;
	}
	for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++)
		warnx("%s: the text of sha256:%.12s is not kept (evicted or never printed): the "
		      "changes from it cannot be named",
		    slug, r->element[i]->str);
	freeReplyObject(r);
	if (a->json && mcp_rec_write(stdout, out, err, sizeof(err)) == -1)
		warnx("%s", err);
	cJSON_Delete(out);
	free(q);
	return rc;
}

/*
 * The verdict's read.  KEYS: appr pin hash lhash tch lf drift.  ARGV: the
 * window, the pin's TTL, 1 to renew it.  Each region's list is the
 * window's own: a region whose latest result is of a later window (its
 * runner pushed before this verdict ran) is read as the list it served
 * before the change the drift records after the window, so that the
 * review and its class are of the window's list, never of one whose
 * change the history does not hold yet.  A kind some region serves, with
 * no answer for every region (field KIND) and no pin, is pinned to the
 * list most regions serve.  A pin is judged once the text of its list
 * is (lf, findings.c: written where the list is stored, which may come
 * after the pin, or before this version): "judged", and "held" with its
 * worst and rules when the rules found high or medium in it: held for a
 * person's review, never trusted because it came first.  Returns {HGETALL appr, HGETALL pin, HGETALL hash,
 * HGETALL lhash, the history since the earliest base (newest first, 16
 * at most, WITHSCORES) or {} when every region serves its base's list}.
 */
const char agg_review_lua[] =
    "local ap = redis.call('HGETALL', KEYS[1])\n"
    "local pin = redis.call('HGETALL', KEYS[2])\n"
    "local hv = redis.call('HGETALL', KEYS[3])\n"
    "local lh = redis.call('HGETALL', KEYS[4])\n"
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
    "  local v = pin[i + 1]\n"
    "  local hx = string.match(v, '\"hash\":\"sha256:(%x+)\"')\n"
    "  if hx and not string.find(v, '\"judged\"', 1, true) then\n"
    "    local fv = redis.call('HGET', KEYS[6], hx)\n"
    "    local c, wv, rs\n"
    "    if fv then c, wv, rs = string.match(fv, '^(%d+) (%a+) ([%w,-]+)$') end\n"
    "    if c then\n"
    "      v = string.sub(v, 1, -2) .. ',\"judged\":true'\n"
    "      if wv == 'high' or wv == 'medium' then\n"
    "        v = v .. ',\"held\":{\"worst\":\"' .. wv .. '\",\"rules\":\"' .. rs .. '\"}'\n"
    "      end\n"
    "      pin[i + 1] = v .. '}'\n"
    "      redis.call('HSET', KEYS[2], pin[i], pin[i + 1])\n"
    "      wrote = true\n"
    "    end\n"
    "  end\n"
    "end\n"
    "if wrote or ARGV[3] == '1' then redis.call('EXPIRE', KEYS[2], ARGV[2]) end\n"
    "local base = {}\n"
    "for _, v in ipairs({pin, ap}) do\n"
    "  for i = 1, #v, 2 do\n"
    "    local ok, o = pcall(cjson.decode, v[i + 1])\n"
    "    if ok and type(o) == 'table' then base[v[i]] = o end\n"
    "  end\n"
    "end\n"
    "local min, differ = nil, false\n"
    "for _, k in ipairs({'t', 'r', 'p'}) do\n"
    "  for _, e in ipairs(cur[k]) do\n"
    "    local b = base[k .. ':' .. e[1]] or base[k]\n"
    "    if b and b.hash ~= e[2] then\n"
    "      differ = true\n"
    "      local at = tonumber(b.at) or 0\n"
    "      if min == nil or at < min then min = at end\n"
    "    end\n"
    "  end\n"
    "end\n"
    "local hist = {}\n"
    "if differ then\n"
    "  hist = redis.call('ZREVRANGEBYSCORE', KEYS[5], '+inf', min - 60, 'WITHSCORES', 'LIMIT', 0, "
    "16)\n"
    "end\n"
    "return {ap, pin, hv, lh, hist}\n";

int
agg_review_append(struct mcp_store *st, const char *sha, const char *slug, long long window)
{
	char k[7][MCP_SLUG_MAX + 64];
	static const char *const what[7] = {"appr", "pin", "hash", "lhash", "tch", "lf", "drift"};
	int i;

	for (i = 0; i < 7; i++)
		agg_key(k[i], sizeof(k[i]), slug, what[i], -1);
	/* The pin's TTL renewed in the first minute of each hour. */
	return mcp_store_appendf(st, "EVALSHA %s 7 %s %s %s %s %s %s %s %lld %d %d", sha, k[0],
	    k[1], k[2], k[3], k[4], k[5], k[6], window, AGG_TTL_LONG,
	    window % AGG_HOUR < AGG_WINDOW);
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

/* The classes by rank: the words a change's class is kept as (static). */
static const char *const class_word[] = {NULL, "compatible", "review", "breaking"};

static int
class_rank(const char *c)
{
	return strcmp(c, "breaking") == 0  ? 3
	    : strcmp(c, "review") == 0     ? 2
	    : strcmp(c, "compatible") == 0 ? 1
	                                   : 0;
}

/* One change into a (when it has room) and the worst class and the since of it. */
static void
change_add(cJSON *a, const cJSON *e, double at, int *worst, const char **wc, double *since)
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
	if (class_rank(str_of(ch, "class")) > *worst)
		*worst = class_rank(str_of(ch, "class")), *wc = class_word[*worst];
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
 * then the history's, newest first: "changes", "since" (the first of
 * them, or the window), "class" (the worst known, or null).
 */
static void
add_changes(
    cJSON *o, const redisReply *hist, const cJSON *drift, int k, double base_at, long long window)
{
	cJSON *a = cJSON_AddArrayToObject(o, "changes"), *e;
	const cJSON *d;
	double since = (double)window, at;
	size_t i;
	int worst = 0;
	const char *wc = NULL;

	cJSON_ArrayForEach(d, drift)
	{
		if (strcmp(str_of(d, "kind"), agg_list_word(k)) == 0)
			change_add(a, d, (double)window, &worst, &wc, &since);
	}
	for (i = 0; hist->type == REDIS_REPLY_ARRAY && i + 1 < hist->elements; i += 2) {
		if ((e = cJSON_ParseWithLength(hist->element[i]->str, hist->element[i]->len)) ==
		    NULL)
			continue;
		at = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "at"));
		if (strcmp(str_of(e, "kind"), agg_list_word(k)) == 0 && at + AGG_WINDOW > base_at)
			change_add(a, e, at, &worst, &wc, &since);
		cJSON_Delete(e);
	}
	cJSON_AddNumberToObject(o, "since", since);
	if (wc != NULL)
		cJSON_AddStringToObject(o, "class", wc);
	else
		cJSON_AddNullToObject(o, "class");
}

/*
 * A held first list said (the pin's "held": its worst and rules), and,
 * when no region's list differs from it, the regions serving it.
 */
static void
held_add(cJSON *o, const cJSON *pin, const struct lrow *v, size_t n)
{
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(pin, "held");
	cJSON *x = cJSON_AddObjectToObject(o, "held"), *a;
	char rules[AGG_FINDINGS_RULES], *r, *save = NULL;
	size_t i;

	cJSON_AddNumberToObject(x, "at", cJSON_GetNumberValue(cJSON_GetObjectItem(pin, "at")));
	cJSON_AddStringToObject(x, "worst", str_of(h, "worst"));
	a = cJSON_AddArrayToObject(x, "rules");
	snprintf(rules, sizeof(rules), "%s", str_of(h, "rules"));
	for (r = strtok_r(rules, ",", &save); r != NULL; r = strtok_r(NULL, ",", &save))
		if (strcmp(r, "-") != 0)
			cJSON_AddItemToArray(a, cJSON_CreateString(r));
	a = cJSON_CreateArray();
	for (i = 0; i < n; i++)
		if (strcmp(v[i].hash, str_of(pin, "hash")) == 0 &&
		    (i == 0 || strcmp(v[i - 1].region, v[i].region) != 0))
			cJSON_AddItemToArray(a, cJSON_CreateString(v[i].region));
	cJSON_AddItemToObject(x, "regions", a);
}

/* The review state of kind k, or NULL when no region serves a list of it. */
static cJSON *
kind_state(const redisReply *r, const cJSON *drift, int k, long long window)
{
	struct lrow v[AGG_FAULT_REGIONS];
	const redisReply *ap = r->element[0], *pin = r->element[1];
	size_t n = rows_of(k, r->element[2], r->element[3], v, AGG_FAULT_REGIONS), i;
	char f[MCP_SLUG_MAX + 8];
	cJSON *o, *b, *first = NULL, *differ, *rej;
	const char *maj = rows_majority(v, n), *from = NULL;
	int answered = 0, nd = 0, nr = 0, ans, dif, first_ans = 0, first_dif = 0, held;
	double base_at = 0;

	if (maj == NULL)
		return NULL;
	o = cJSON_CreateObject();
	differ = cJSON_CreateArray();
	rej = cJSON_CreateArray();
	for (i = 0; i < n; i++) {
		snprintf(f, sizeof(f), "%c:%s", agg_list_letter(k), v[i].region);
		if ((b = field_json(ap, f)) == NULL) {
			f[1] = '\0';
			b = field_json(ap, f);
		}
		if ((ans = b != NULL) == 0)
			b = field_json(pin, f);
		if (b == NULL)
			continue;
		answered |= ans;
		if ((dif = strcmp(str_of(b, "hash"), v[i].hash) != 0)) {
			cJSON_AddItemToArray(differ, cJSON_CreateString(v[i].region));
			if (nd++ == 0 ||
			    cJSON_GetNumberValue(cJSON_GetObjectItem(b, "at")) < base_at)
				base_at = cJSON_GetNumberValue(cJSON_GetObjectItem(b, "at"));
		} else if (strcmp(str_of(b, "state"), "rejected") == 0) {
			cJSON_AddItemToArray(rej, cJSON_CreateString(v[i].region));
			nr++;
		}
		/*
		 * The base shown: that of a region apart (what the change is
		 * from), a person's answer before a pin, the latest given.
		 */
		if (first == NULL || dif > first_dif || (dif == first_dif && ans > first_ans) ||
		    (dif == first_dif && ans == first_ans &&
		        cJSON_GetNumberValue(cJSON_GetObjectItem(b, "at")) >
		            cJSON_GetNumberValue(cJSON_GetObjectItem(first, "at")))) {
			cJSON_Delete(first);
			first = b, first_ans = ans, first_dif = dif;
		} else {
			cJSON_Delete(b);
		}
	}
	if (first != NULL)
		from = str_of(first, "hash");
	/* A first list the rules judged high or medium: held for a person, as a change is. */
	held = !answered && first != NULL &&
	    cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(first, "held"));
	cJSON_AddStringToObject(o, "state",
	    answered || held ? (nd > 0          ? "unreviewed"
	                               : held   ? "unreviewed"
	                               : nr > 0 ? "rejected"
	                                        : "approved")
	                     : (nd > 0 ? "changed" : "pinned"));
	cJSON_AddStringToObject(o, "hash", maj);
	if (first != NULL && answered) {
		/* {hash, state, by, at} */
		cJSON_AddItemToObject(o, "answered", cJSON_Duplicate(first, 1));
	} else if (first != NULL) {
		cJSON_AddStringToObject(o, "pinned", from);
		cJSON_AddNumberToObject(
		    o, "pinned_at", cJSON_GetNumberValue(cJSON_GetObjectItem(first, "at")));
	}
	if (held)
		held_add(o, first, v, n);
	if (nd > 0) {
		cJSON_AddItemToObject(o, "regions", differ);
		add_changes(o, r->element[4], drift, k, base_at, window);
	} else {
		cJSON_Delete(differ);
		if (held) {
			/* Held since first sight: the review class, every region serving it. */
			cJSON_AddNumberToObject(
			    o, "since", cJSON_GetNumberValue(cJSON_GetObjectItem(first, "at")));
			cJSON_AddStringToObject(o, "class", "review");
			cJSON_AddItemToObject(o, "regions",
			    cJSON_Duplicate(
			        cJSON_GetObjectItemCaseSensitive(
			            cJSON_GetObjectItemCaseSensitive(o, "held"), "regions"),
			        1));
		}
	}
	if (nd == 0 && nr > 0 && !held)
		cJSON_AddItemToObject(o, "regions", rej);
	else
		cJSON_Delete(rej);
	cJSON_Delete(first);
	return o;
}

void
agg_review_add(cJSON *o, const redisReply *r, long long window)
{
	cJSON *rv, *s;
	int k;

	if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements < 5)
		return;
	rv = cJSON_CreateObject();
	for (k = 0; k < AGG_LIST_KINDS; k++)
		if ((s = kind_state(r, cJSON_GetObjectItemCaseSensitive(o, "drift"), k, window)) !=
		    NULL)
			cJSON_AddItemToObject(rv, agg_list_word(k), s);
	if (rv != NULL && rv->child == NULL)
		cJSON_Delete(rv);
	else
		cJSON_AddItemToObject(o, "review", rv);
}
