/*
 * approve.c - a person's answer to what a server serves (mcp-aggregate(1)
 * "tools"; mcp-store(7) "Lists").  tools --approve and --reject answer
 * what each region serves now: mcp:{SLUG}:appr, field KIND (t, r or p:
 * every region) or KIND:REGION, value
 * {"hash":"sha256:HEX","state":"approved"|"rejected","by":"WHO","at":UNIX},
 * the list's text kept at mcp:{SLUG}:apl:HEX with no TTL while an answer
 * names it; and the holds of the regions answered (mcp:{SLUG}:hold) taken
 * away: an answer is the only thing that ends a review (review.c, the
 * rule the verdict reads them by).
 *
 * Without --region, the list most regions serve is answered for every
 * region, and a region apart is answered its own list, but for a list the
 * store found high or medium findings in, or could not read: that one is
 * approved only by an answer that names its region (--region), and waits.
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
#include "review.h"

/*
 * The answers' write.  KEYS: appr hold.  ARGV: the slug's prefix, then
 * quadruples: S (set) or D (delete) an answer, the field, the value, the
 * list's hex ('' for none); C a hold taken away (the field), A every hold
 * of a kind (the letter) but those P spares (the field).  A list set is
 * copied from ls:HEX to apl:HEX unless it is there; an apl:HEX no answer
 * names any more is deleted.  Returns the hexes whose text neither key
 * held.
 */
static const char answer_lua[] =
    "local pre, missing, keep, all, spare = ARGV[1], {}, {}, {}, {}\n"
    "local old = redis.call('HGETALL', KEYS[1])\n"
    "for i = 2, #ARGV, 4 do\n"
    "  local op, f, v, hex = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]\n"
    "  if op == 'D' then redis.call('HDEL', KEYS[1], f)\n"
    "  elseif op == 'C' then redis.call('HDEL', KEYS[2], f)\n"
    "  elseif op == 'A' then all[f] = true\n"
    "  elseif op == 'P' then spare[f] = true\n"
    "  else\n"
    "    redis.call('HSET', KEYS[1], f, v)\n"
    "    if hex ~= '' and redis.call('EXISTS', pre .. 'apl:' .. hex) == 0 then\n"
    "      local t = redis.call('GET', pre .. 'ls:' .. hex)\n"
    "      if t then redis.call('SET', pre .. 'apl:' .. hex, t)\n"
    "      else missing[#missing + 1] = hex end\n"
    "    end\n"
    "  end\n"
    "end\n"
    "for _, f in ipairs(redis.call('HKEYS', KEYS[2])) do\n"
    "  if all[string.sub(f, 1, 1)] and not spare[f] then redis.call('HDEL', KEYS[2], f) end\n"
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

#define ANSWERS_MAX (3 * (2 * AGG_FAULT_REGIONS + 2)) /* fields of one answer */

struct wq {
	const char *argv[6 + 4 * ANSWERS_MAX]; /* EVALSHA SHA 2 KEYS PREFIX, then the answers */
	char own[ANSWERS_MAX][2][600];
	size_t n, nown;
};

/* The next place of the queue, its field KIND or KIND:REGION written: the field, or NULL. */
static char *
wq_field(struct wq *q, int k, const char *region)
{
	char *f;

	if (q->nown == ANSWERS_MAX)
		return NULL;
	f = q->own[q->nown++][0];
	if (region != NULL)
		snprintf(f, 600, "%c:%s", agg_list_letter(k), region);
	else
		snprintf(f, 600, "%c", agg_list_letter(k));
	return f;
}

static void
wq_add(struct wq *q, const struct agg_answer *a, int k, const char *region, const char *hash,
    double now)
{
	char *f, *v, *s;
	cJSON *o;

	if ((f = wq_field(q, k, region)) == NULL)
		return;
	v = q->own[q->nown - 1][1];
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

/* What an answer reads besides the regions' lists: the holds, and the store's judgments. */
struct aux {
	redisReply *hold; /* HGETALL mcp:{SLUG}:hold */
	redisReply *lf;   /* HGETALL mcp:{SLUG}:lf */
};

static int
aux_read(struct mcp_store *st, const char *slug, struct aux *x)
{
	char kh[MCP_SLUG_MAX + 64], kl[MCP_SLUG_MAX + 64], err[512];
	redisReply *r[2];

	agg_key(kh, sizeof(kh), slug, "hold", -1);
	agg_key(kl, sizeof(kl), slug, "lf", -1);
	memset(x, 0, sizeof(*x));
	if (mcp_store_appendf(st, "HGETALL %s", kh) == -1 ||
	    mcp_store_appendf(st, "HGETALL %s", kl) == -1 ||
	    mcp_store_read(st, r, 2, err, sizeof(err)) == -1) {
		warnx("redis: %s", err);
		return -1;
	}
	x->hold = r[0], x->lf = r[1];
	if (r[0]->type != REDIS_REPLY_ARRAY || r[1]->type != REDIS_REPLY_ARRAY) {
		warnx("redis: %s",
		    r[0]->type == REDIS_REPLY_ERROR       ? r[0]->str
		        : r[1]->type == REDIS_REPLY_ERROR ? r[1]->str
		                                          : "bad reply");
		return -1;
	}
	return 0;
}

/*
 * Why the list hash must not be approved by an answer that does not name
 * its region: its findings high or medium, or the store never judged its
 * text; into why (""), the rules into rules.  1 when it must not.
 */
static int
not_implied(const struct aux *x, const char *hash, char *why, size_t wlen, char *rules, size_t rlen)
{
	const redisReply *r =
	    agg_list_hex(hash) != NULL ? agg_hfield(x->lf, agg_list_hex(hash)) : NULL;
	const char *v = r != NULL ? r->str : NULL;
	char w[8], rs[AGG_FINDINGS_RULES];
	long c;

	why[0] = rules[0] = '\0';
	if (v == NULL || sscanf(v, "%ld %7s %" AGG_STR(AGG_FINDINGS_RULES_W) "s", &c, w, rs) != 3) {
		snprintf(why, wlen, "the store could not read its text");
		return 1;
	}
	if (strcmp(w, "high") != 0 && strcmp(w, "medium") != 0)
		return 0;
	snprintf(why, wlen, "its text has %s findings", w);
	snprintf(rules, rlen, "%s", rs);
	return 1;
}

/* A region's list left waiting: said, and in --json's "left". */
static void
say_left(cJSON *left, const struct agg_answer *a, const char *slug, int k, const char *region,
    const char *hash, const char *why, const char *rules)
{
	cJSON *o;

	if (left != NULL) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "kind", agg_list_word(k));
		cJSON_AddStringToObject(o, "region", region);
		cJSON_AddStringToObject(o, "hash", hash);
		cJSON_AddStringToObject(o, "why", why);
		cJSON_AddItemToArray(left, o);
	}
	warnx("%s: %s %.19s served in %s is not approved: %s%s%s%s; approve it by name: "
	      "mcp-aggregate tools %s --approve --region %s --by %s",
	    slug, agg_list_word(k), hash, region, why, rules[0] ? " (" : "", rules,
	    rules[0] ? ")" : "", slug, region, a->by);
}

/* What one answer does: its lines, its queue, what it left. */
struct answering {
	const struct agg_answer *a;
	const char *slug;
	struct wq *q;
	const struct aux *x;
	cJSON *done, *left;
	double now;
	int any, nleft;
};

/* 1 when the holds of kind k name a region (or, with region NULL, any). */
static int
holds_of(const struct aux *x, int k, const char *region)
{
	const redisReply *h = x->hold;
	size_t i;

	for (i = 0; h->type == REDIS_REPLY_ARRAY && i + 1 < h->elements; i += 2) {
		const char *f = h->element[i]->str;

		if (f != NULL && f[0] == agg_list_letter(k) && f[1] == ':' &&
		    (region == NULL || strcmp(f + 2, region) == 0))
			return 1;
	}
	return 0;
}

/* A hold op: C (this field), A (every hold of the kind), P (spared). */
static void
wq_hold(struct wq *q, const char *op, int k, const char *region)
{
	char *f;

	if ((f = wq_field(q, k, region)) == NULL)
		return;
	q->own[q->nown - 1][1][0] = '\0';
	q->argv[q->n++] = op, q->argv[q->n++] = f;
	q->argv[q->n++] = q->own[q->nown - 1][1], q->argv[q->n++] = "";
}

/* The answer of kind k for one region (--region). */
static void
answer_region(struct answering *w, int k, const struct lrow *v, size_t n)
{
	const char *region = w->a->region;
	size_t i;

	for (i = 0; i < n && strcmp(v[i].region, region) != 0; i++)
		;
	if (i < n) {
		wq_add(w->q, w->a, k, region, v[i].hash, w->now);
		say(w->done, w->a, w->slug, k, region, v[i].hash);
		w->any++;
	} else if (holds_of(w->x, k, region)) {
		/* A region that serves nothing now: its wait answered all the same. */
		w->any++;
	}
	wq_hold(w->q, "C", k, region);
}

/*
 * The answer of kind k for every region: the list most serve, and each
 * region apart its own, but a list with high or medium findings or one the
 * store could not read, which waits for an answer that names its region.
 * The list most serve is answered for every region only when more than
 * half the regions serve it, or it is none of those: where the regions
 * split evenly, the tie is no person's choice (a server may answer two
 * regions differently, a runner push the later result).
 */
static void
answer_every(struct answering *w, int k, const struct lrow *v, size_t n)
{
	const char *maj = agg_review_majority(v, n);
	char why[128], rules[AGG_FINDINGS_RULES];
	size_t i, nreg = 0, nmaj = 0;
	int every;

	if (maj == NULL) {
		if (holds_of(w->x, k, NULL))
			wq_hold(w->q, "A", k, NULL), w->any++;
		return;
	}
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(v[i - 1].region, v[i].region) != 0)
			nreg++, nmaj += strcmp(v[i].hash, maj) == 0;
	every = w->a->reject || 2 * nmaj > nreg ||
	    !not_implied(w->x, maj, why, sizeof(why), rules, sizeof(rules));
	if (every) {
		wq_add(w->q, w->a, k, NULL, maj, w->now);
		say(w->done, w->a, w->slug, k, NULL, maj);
	}
	w->any++;
	wq_hold(w->q, "A", k, NULL);
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(v[i - 1].region, v[i].region) == 0)
			continue;
		if (every && strcmp(v[i].hash, maj) == 0) {
			wq_add(w->q, w->a, k, v[i].region, NULL, w->now);
		} else if (!w->a->reject &&
		    not_implied(w->x, v[i].hash, why, sizeof(why), rules, sizeof(rules))) {
			wq_hold(w->q, "P", k, v[i].region);
			say_left(w->left, w->a, w->slug, k, v[i].region, v[i].hash, why, rules);
			w->nleft++;
		} else {
			wq_add(w->q, w->a, k, v[i].region, v[i].hash, w->now);
			say(w->done, w->a, w->slug, k, v[i].region, v[i].hash);
		}
	}
}

static void
nothing(const struct agg_answer *a, const char *slug)
{
	int k;

	for (k = 0; k < AGG_LIST_KINDS && a->kinds != 1 << k; k++)
		;
	if (a->region != NULL)
		warnx("%s: nothing to %s: region %s served no %s list in 31 days: is the "
		      "region right? see mcp-aggregate tools %s",
		    slug, a->reject ? "reject" : "approve", a->region,
		    k < AGG_LIST_KINDS ? agg_list_word(k) : "tool, resource or prompt", slug);
	else
		warnx("%s: nothing to %s: no %s list served in 31 days: is the slug right? "
		      "see mcp-aggregate status",
		    slug, a->reject ? "reject" : "approve",
		    k < AGG_LIST_KINDS ? agg_list_word(k) : "tool, resource or prompt");
}

/* The queue sent: 0, or -1 after a warning. */
static int
answer_send(struct mcp_store *st, const char *slug, struct wq *q)
{
	char sha[41], err[512];
	redisReply *r;
	size_t i;
	int rc = 0;

	q->argv[1] = sha;
	if (mcp_store_script_load(st, answer_lua, sha, err, sizeof(err)) == -1 ||
	    (r = mcp_store_cmd(st, (int)q->n, q->argv, err, sizeof(err))) == NULL) {
		warnx("redis: %s", err);
		return -1;
	}
	if (r->type == REDIS_REPLY_ERROR) {
		warnx("redis: %s", r->str);
		rc = -1;
	}
	for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++)
		warnx("%s: the text of sha256:%.12s is not kept (evicted or never printed): the "
		      "changes from it cannot be named",
		    slug, r->element[i]->str);
	freeReplyObject(r);
	return rc;
}

int
agg_answer(struct mcp_store *st, const char *slug, const redisReply *hv, const redisReply *lh,
    const struct agg_answer *a)
{
	struct lrow v[AGG_FAULT_REGIONS];
	struct wq *q = calloc(1, sizeof(*q));
	char key[2][MCP_SLUG_MAX + 64], pre[MCP_SLUG_MAX + 64], err[512];
	cJSON *out = cJSON_CreateObject();
	struct aux x = {0};
	struct answering w = {a, slug, q, &x, NULL, NULL, mcp_now(), 0, 0};
	size_t n;
	int k, rc = MCP_EXIT_FAIL;

	if (q == NULL || out == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	agg_key(key[0], sizeof(key[0]), slug, "appr", -1);
	agg_key(key[1], sizeof(key[1]), slug, "hold", -1);
	agg_key(pre, sizeof(pre), slug, "", -1);
	q->argv[q->n++] = "EVALSHA", q->argv[q->n++] = NULL, q->argv[q->n++] = "2";
	q->argv[q->n++] = key[0], q->argv[q->n++] = key[1], q->argv[q->n++] = pre;
	if (a->json) {
		cJSON_AddStringToObject(out, "slug", slug);
		cJSON_AddStringToObject(out, "state", a->reject ? "rejected" : "approved");
		cJSON_AddStringToObject(out, "by", a->by);
		cJSON_AddNumberToObject(out, "at", (double)(long long)w.now);
		w.done = cJSON_AddArrayToObject(out, "lists");
		w.left = cJSON_AddArrayToObject(out, "left");
	}
	if (aux_read(st, slug, &x) == -1)
		goto out;
	for (k = 0; k < AGG_LIST_KINDS; k++) {
		if (!(a->kinds & (1 << k)))
			continue;
		n = agg_review_rows(k, hv, lh, v, AGG_FAULT_REGIONS);
		if (a->region != NULL)
			answer_region(&w, k, v, n);
		else
			answer_every(&w, k, v, n);
	}
	if (w.any == 0) {
		nothing(a, slug);
		goto out;
	}
	if (answer_send(st, slug, q) == -1)
		goto out;
	if (a->json && mcp_rec_write(stdout, out, err, sizeof(err)) == -1)
		warnx("%s", err);
	/* A region left waiting is a list not answered: said, and the exit says so. */
	rc = w.nleft > 0 ? MCP_EXIT_FAIL : MCP_EXIT_OK;
out:
	freeReplyObject(x.hold);
	freeReplyObject(x.lf);
	cJSON_Delete(out);
	free(q);
	return rc;
}
