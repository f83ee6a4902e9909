/*
 * verdict.c - mcp-aggregate verdict: one verdict per slug for the latest
 * complete window, two pipelined round trips per batch of slugs.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "findings.h"
#include "full.h"
#include "hist.h"
#include "lists.h"
#include "histlua.h"
#include "mcp.h"
#include "rec.h"
#include "reslua.h"
#include "review.h"
#include "vlists.h"

/* Windows fetched per slug: the 5 minutes that end with W. */
#define NWIN (AGG_DIVERGENCE_SPAN / AGG_WINDOW)
/*
 * Replies per slug in the read round trip: results, seen, drift, host,
 * stats, cert, and the maintenance window of mcp-alert maint (start, end,
 * reason), read by a command of its own so that a cluster's ASK reaches it
 * while its slot migrates.
 */
#define R_RES 0
#define R_SEEN 1
#define R_DRIFT 2
#define R_HOST 3
#define R_STATS 4
#define R_CERT 5
#define R_MAINT 6
#define R_FINDINGS 7 /* the text rules' findings (findings.c) */
#define R_CLOAK 8    /* the regions' cloaking postures (cloak.c) */
#define R_REVIEW 9   /* the review of its lists (review.c) */
#define R_READY 10   /* the regions' readiness (ready.c) */
#define NREAD 11

/*
 * Read-only: the results of the NWIN windows from ARGV[1] on, one array
 * "region value ..." per window as HGETALL gave them from res:W, read from
 * the slots of rs:HOUR (KEYS[1], and KEYS[2] for the windows of the next
 * hour), a folded hour's slots (mcp:{SLUG}:rf) where the raw ones are
 * empty, then from the rh:HOUR and res:W of before for a region the slots
 * lack, until those keys have expired.
 *
 * The keys a script only reads and that may exist nowhere (codes, rh:HOUR,
 * res:W and hist:DAY of before) it names itself from the slug's prefix (ARGV):
 * the same hash tag, so the same slot.  Declared, a key that exists on
 * neither side of a slot being migrated makes Redis Cluster answer
 * TRYAGAIN until the slot has moved; the keys a script writes are all
 * declared, but for the day:DAY of a day before yesterday that the write
 * script deletes once it has folded it into days (declared): should that
 * key have moved already, it is read from there until it expires, and says
 * what the fold says.
 */
_Static_assert(NWIN == 5, "read_lua reads the windows i = 0 to 4");
static const char read_lua[] =
    MCP_RES_LUA "local w0 = tonumber(ARGV[1])\n"
                "local pre = ARGV[2]\n"
                "local names, hours, out = res_names(pre .. 'codes'), {}, {}\n"
                "for i = 0, 4 do\n"
                "  local w = w0 + 60 * i\n"
                "  local k = KEYS[1]\n"
                "  if math.floor(w / 3600) ~= math.floor(w0 / 3600) then k = KEYS[2] end\n"
                "  hours[k] = hours[k] or res_hour(redis.call('HGETALL', k), pre,\n"
                "    math.floor(w / 3600))\n"
                "  out[#out + 1] = res_window(hours[k], w, pre, names)\n"
                "end\n"
                "return out\n";

/* The scripts of the history: histlua.h. */
static const char stats_lua[] = AGG_STATS_LUA;
static const char write_lua[] = AGG_WRITE_LUA;

struct vctx {
	struct mcp_store *st;
	char read_sha[41], stats_sha[41], write_sha[41];
	char lists_sha[41], hist_sha[41];    /* vlists.c's */
	char review_sha[41], rtexts_sha[41]; /* review.c's */
	long long window;
	int lookback;
	struct mcp_buf out;       /* records of the batch, written once stored */
	struct agg_faults faults; /* the window's probe-fault judgment */
	struct agg_shorts shorts; /* the window's short runners (short.c) */
	/* Verdicts printed that the store refused (a full store), and why. */
	long refused;
	char refusal[256];
};

/* One slug of a batch: its replies (owned) and its finished record. */
struct slugwork {
	const char *slug;
	redisReply *r[NREAD];
	enum agg_verdict verdict;
	char code; /* the history's letter: the verdict's, or m in maintenance */
	struct mcp_buf rec;
	/* The regions' own results of W (rgn): borrowed from r[R_RES]; p or f. */
	const char *own[AGG_FAULT_REGIONS];
	char own_ok[AGG_FAULT_REGIONS];
	size_t nown;
	/* Its decision, and the results and regions it borrows from (owned). */
	struct agg_decision d;
	int decided;
	struct agg_result *res;
	size_t nres; /* after the blind regions' are dropped */
	const char **seen;
	/* Its lists, read only for drift or divergence (vlists.c): lr owned. */
	redisReply *lr;
	struct agg_lcache lc;
	redisReply *rt;     /* the texts the review's classes are worked out from, or NULL */
	struct agg_hcmd hc; /* the history's write, queued before the verdict's */
	int hist;           /* hc is queued */
	struct agg_hcmd rw; /* the review's write (its holds, its classes): review.c */
	int rev;            /* rw is queued */
	int refused;        /* the store refused its write */
};

static void
work_clear(struct slugwork *w)
{
	int i;

	for (i = 0; i < NREAD; i++) {
		freeReplyObject(w->r[i]);
		w->r[i] = NULL;
	}
	mcp_buf_reset(&w->rec);
	w->nown = 0;
	if (w->decided)
		agg_decision_free(&w->d);
	w->decided = 0;
	free(w->res);
	free(w->seen);
	w->res = NULL;
	w->seen = NULL;
	agg_lcache_free(&w->lc);
	freeReplyObject(w->lr);
	w->lr = NULL;
	agg_hcmd_free(&w->hc);
	w->hist = 0;
	freeReplyObject(w->rt);
	w->rt = NULL;
	agg_hcmd_free(&w->rw);
	w->rev = 0;
}

/* aggregate.h */
int
agg_append_read(struct mcp_store *st, const char *sha, long long window, const char *slug)
{
	long long w0 = window - (NWIN - 1) * AGG_WINDOW;
	char k[2][MCP_SLUG_MAX + 64], pre[MCP_SLUG_MAX + 64];

	agg_key(pre, sizeof(pre), slug, "", -1);
	agg_key(k[0], sizeof(k[0]), slug, "rs", w0 / AGG_HOUR);
	agg_key(k[1], sizeof(k[1]), slug, "rs", window / AGG_HOUR);
	return mcp_store_appendf(st, "EVALSHA %s 2 %s %s %lld %s", sha, k[0], k[1], w0, pre);
}

static int
append_reads(struct vctx *v, const char *slug)
{
	long long day = v->window / AGG_DAY;
	char k[4][MCP_SLUG_MAX + 64], pre[MCP_SLUG_MAX + 64];

	agg_key(pre, sizeof(pre), slug, "", -1);
	agg_append_read(v->st, v->read_sha, v->window, slug);
	agg_key(k[0], sizeof(k[0]), slug, "seen", -1);
	mcp_store_appendf(v->st, "ZRANGE %s 0 -1 WITHSCORES", k[0]);
	agg_key(k[0], sizeof(k[0]), slug, "drift", -1);
	mcp_store_appendf(v->st, "ZRANGEBYSCORE %s %lld %lld", k[0], v->window, v->window);
	agg_key(k[0], sizeof(k[0]), slug, "meta", -1);
	mcp_store_appendf(v->st, "HGET %s host", k[0]);
	agg_key(k[0], sizeof(k[0]), slug, "latsum", -1);
	agg_key(k[1], sizeof(k[1]), slug, "days", -1);
	agg_key(k[2], sizeof(k[2]), slug, "day", day);
	agg_key(k[3], sizeof(k[3]), slug, "latidx", -1);
	mcp_store_appendf(v->st, "EVALSHA %s 4 %s %s %s %s %lld %lld %s", v->stats_sha, k[0], k[1],
	    k[2], k[3], v->window, day, pre);
	agg_key(k[0], sizeof(k[0]), slug, "cert", -1);
	mcp_store_appendf(v->st, "HGETALL %s", k[0]);
	agg_key(k[0], sizeof(k[0]), slug, "alert:maint", -1);
	mcp_store_appendf(v->st, "HMGET %s start end reason", k[0]);
	agg_findings_read(v->st, slug);
	agg_key(k[0], sizeof(k[0]), slug, "cloak", -1);
	mcp_store_appendf(v->st, "HGETALL %s", k[0]);
	if (agg_review_append(v->st, v->review_sha, slug, v->window) == -1)
		return -1;
	agg_key(k[0], sizeof(k[0]), slug, "ready", -1);
	mcp_store_appendf(v->st, "HGETALL %s", k[0]);
	return 0;
}

/* aggregate.h: the results of the NWIN windows up to W, replies in that order. */
int
agg_results_from(const redisReply *a, long long window, struct agg_result **res, size_t *nres)
{
	size_t i, j, n = 0;

	if (a->type != REDIS_REPLY_ARRAY || a->elements != NWIN)
		return -1;
	for (i = 0; i < NWIN; i++)
		if (a->element[i]->type == REDIS_REPLY_ARRAY)
			n += a->element[i]->elements / 2;
	if ((*res = calloc(n + 1, sizeof(**res))) == NULL)
		return -1;
	*nres = 0;
	for (i = 0; i < NWIN; i++) {
		redisReply *h = a->element[i];
		long long win = window - (long long)(NWIN - 1 - i) * AGG_WINDOW;

		for (j = 0; h->type == REDIS_REPLY_ARRAY && j + 1 < h->elements; j += 2)
			if (agg_result_parse(h->element[j + 1]->str, h->element[j]->str, win,
			        &(*res)[*nres]) == 0)
				(*nres)++;
	}
	return 0;
}

/*
 * The regions that may be missing: seen in the 24 hours up to W's end, and
 * not since.  A region whose latest result is newer than W (the first
 * minutes of a slug, a verdict decided late) is not silent: it reports in
 * a window still to be decided.
 */
static int
seen_of(const struct vctx *v, const redisReply *z, const char ***seen, size_t *n)
{
	double end = (double)(v->window + AGG_WINDOW), since = end - AGG_DAY, t;
	size_t j;

	*n = 0;
	if ((*seen = calloc(z->elements / 2 + 1, sizeof(**seen))) == NULL)
		return -1;
	for (j = 0; j + 1 < z->elements; j += 2) {
		t = strtod(z->element[j + 1]->str, NULL);
		if (t >= since && t < end)
			(*seen)[(*n)++] = z->element[j]->str;
	}
	return 0;
}

static cJSON *
names_json(const char **v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;

	for (i = 0; a != NULL && i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

static void
tally(char code, long long by, long long *up, long long *counted)
{
	if (code == 'g' || code == 'a')
		*up += by;
	if (code == 'g' || code == 'a' || code == 'r')
		*counted += by;
}

/* Up and counted: what a history code adds to the 30-day counters (m: nothing). */
static void
add_stats(cJSON *o, const redisReply *s, char code)
{
	long long up, counted;
	const char *old;

	if (s->type != REDIS_REPLY_ARRAY || s->elements != 4) {
		cJSON_AddNullToObject(o, "p95_ms");
		cJSON_AddNullToObject(o, "uptime_30d");
		return;
	}
	if (s->element[0]->len > 0)
		cJSON_AddNumberToObject(
		    o, "p95_ms", (double)agg_lat_value(atoi(s->element[0]->str)));
	else
		cJSON_AddNullToObject(o, "p95_ms");
	up = strtoll(s->element[1]->str, NULL, 10);
	counted = strtoll(s->element[2]->str, NULL, 10);
	old = s->element[3]->str;
	if (old[0] != '\0')
		tally(old[0], -1, &up, &counted);
	tally(code, 1, &up, &counted);
	if (counted > 0)
		cJSON_AddNumberToObject(
		    o, "uptime_30d", round(10000.0 * (double)up / (double)counted) / 100);
	else
		cJSON_AddNullToObject(o, "uptime_30d");
}

/*
 * cert_expires_at, cert_regions and cert_regional from the regions' latest
 * TLS results of the 24 hours up to the window's end (or later: a region's
 * latest is often of the next window already), a blind region's left out:
 * the expiry two regions see when two or more regions report or are
 * missing (rule.c: a region silent for now still makes the deployment one
 * of several), and each region alone with an earlier one.
 */
static void
add_cert(cJSON *o, const struct vctx *v, const redisReply *h, size_t nregions)
{
	size_t n = h->type == REDIS_REPLY_ARRAY ? h->elements / 2 : 0, i, k = 0;
	const char **names = calloc(n + 1, sizeof(*names)), **vals = calloc(n + 1, sizeof(*vals));
	struct agg_cert c = {-1, calloc(n + 1, sizeof(char *)), 0, calloc(n + 1, sizeof(char *)),
	    calloc(n + 1, sizeof(double)), 0};
	cJSON *a, *e;

	if (names != NULL && vals != NULL && c.at != NULL && c.early != NULL &&
	    c.early_exp != NULL) {
		for (i = 0; i < n; i++)
			if (agg_fault_blind(&v->faults, h->element[2 * i]->str) == NULL)
				names[k] = h->element[2 * i]->str,
				vals[k++] = h->element[2 * i + 1]->str;
		agg_cert_pick(
		    names, vals, k, (double)(v->window + AGG_WINDOW - AGG_DAY), nregions >= 2, &c);
	}
	if (c.exp >= 0)
		cJSON_AddNumberToObject(o, "cert_expires_at", c.exp);
	else
		cJSON_AddNullToObject(o, "cert_expires_at");
	cJSON_AddItemToObject(o, "cert_regions", names_json(c.at, c.nat));
	a = cJSON_AddArrayToObject(o, "cert_regional");
	for (i = 0; a != NULL && i < c.nearly; i++) {
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "region", c.early[i]);
		cJSON_AddNumberToObject(e, "expires_at", c.early_exp[i]);
		cJSON_AddItemToArray(a, e);
	}
	free(names);
	free(vals);
	free(c.at);
	free(c.early);
	free(c.early_exp);
}

/* aggregate.h; a reason that is not UTF-8 of AGG_REASON_MAX bytes is "". */
int
agg_maint_parse(const redisReply *r, double *start, double *end, const char **reason)
{
	char *e1, *e2;

	if (r->type != REDIS_REPLY_ARRAY || r->elements != 3 ||
	    r->element[0]->type != REDIS_REPLY_STRING || r->element[1]->type != REDIS_REPLY_STRING)
		return 0;
	*start = strtod(r->element[0]->str, &e1);
	*end = strtod(r->element[1]->str, &e2);
	if (*e1 != '\0' || *e2 != '\0' || !(*start >= 0 && *start < *end && *end <= AGG_TIME_MAX))
		return 0;
	*reason = "";
	if (r->element[2]->type == REDIS_REPLY_STRING && r->element[2]->len <= AGG_REASON_MAX &&
	    mcp_utf8_valid(r->element[2]->str, r->element[2]->len))
		*reason = r->element[2]->str;
	return 1;
}

/* 1 when W lies in the slug's maintenance window, its bounds and reason filled. */
static int
maint_of(const struct vctx *v, const redisReply *s, double *start, double *end, const char **reason)
{
	return agg_maint_parse(s, start, end, reason) && *start <= (double)v->window &&
	    (double)v->window < *end;
}

static int
in_maint(const struct vctx *v, const redisReply *s)
{
	double start, end;
	const char *reason;

	return maint_of(v, s, &start, &end, &reason);
}

static void
add_maint(cJSON *o, const struct vctx *v, const redisReply *s)
{
	double start, end;
	const char *reason;
	cJSON *m;

	if (!maint_of(v, s, &start, &end, &reason)) {
		cJSON_AddNullToObject(o, "maintenance");
		return;
	}
	m = cJSON_AddObjectToObject(o, "maintenance");
	cJSON_AddNumberToObject(m, "start", start);
	cJSON_AddNumberToObject(m, "end", end);
	cJSON_AddStringToObject(m, "reason", reason);
}

/*
 * probe_fault, the blind regions sorted by name, and when there are any,
 * probe_fault_detail: what each failed, for mcp-alert's incident.
 */
static void
add_faults(cJSON *o, const struct vctx *v)
{
	const struct agg_fault_region *g[AGG_FAULT_REGIONS];
	const char *names[AGG_FAULT_REGIONS];
	cJSON *a, *e;
	size_t i, j, n = 0;
	int s;

	for (i = 0; i < v->faults.n; i++) {
		if (!v->faults.r[i].blind)
			continue;
		for (j = n++; j > 0 && strcmp(g[j - 1]->name, v->faults.r[i].name) > 0; j--)
			g[j] = g[j - 1];
		g[j] = &v->faults.r[i];
	}
	for (i = 0; i < n; i++)
		names[i] = g[i]->name;
	cJSON_AddItemToObject(o, "probe_fault", names_json(names, n));
	if (n == 0)
		return;
	a = cJSON_AddArrayToObject(o, "probe_fault_detail");
	for (i = 0; a != NULL && i < n; i++) {
		e = cJSON_CreateObject();
		s = agg_fault_step(g[i]);
		cJSON_AddStringToObject(e, "region", g[i]->name);
		cJSON_AddNumberToObject(e, "failed", (double)g[i]->failed);
		cJSON_AddNumberToObject(e, "probed", (double)g[i]->probed);
		if (s >= 0)
			cJSON_AddStringToObject(e, "step", mcp_steps[s]);
		else
			cJSON_AddNullToObject(e, "step");
		/* Its runner said so itself (mcp-probe --canary). */
		if (g[i]->canary)
			cJSON_AddStringToObject(e, "canary", "fail");
		/* Of failed, what disagreed with the other regions (fault.c). */
		if (g[i]->hash > 0)
			cJSON_AddNumberToObject(e, "hash", (double)g[i]->hash);
		if (g[i]->cert > 0)
			cJSON_AddNumberToObject(e, "cert", (double)g[i]->cert);
		cJSON_AddItemToArray(a, e);
	}
}

/* The regions that reported the slug in the day before the window's end (seen). */
static size_t
seen_today(const struct vctx *v, const redisReply *seen)
{
	double since = (double)(v->window + AGG_WINDOW - AGG_DAY);
	size_t i, n = 0;

	for (i = 0; seen->type == REDIS_REPLY_ARRAY && i + 1 < seen->elements; i += 2)
		n += strtod(seen->element[i + 1]->str, NULL) >= since;
	return n;
}

static cJSON *
record_of(const struct vctx *v, struct slugwork *w, const struct agg_decision *d)
{
	const char *blind[AGG_FAULT_REGIONS];
	size_t nblind = 0, i;
	char asof[32];
	cJSON *o = cJSON_CreateObject();

	for (i = 0; i < v->faults.n && nblind < AGG_FAULT_REGIONS; i++)
		if (v->faults.r[i].blind)
			blind[nblind++] = v->faults.r[i].name;

	mcp_iso8601((double)v->window, asof, sizeof(asof));
	cJSON_AddNumberToObject(o, "v", 1);
	cJSON_AddStringToObject(o, "type", "verdict");
	cJSON_AddStringToObject(o, "slug", w->slug);
	cJSON_AddNumberToObject(o, "window", (double)v->window);
	cJSON_AddStringToObject(o, "as_of", asof);
	cJSON_AddStringToObject(o, "verdict", agg_verdict_name(d->verdict));
	cJSON_AddStringToObject(o, "severity", d->severity);
	if (d->step >= 0)
		cJSON_AddStringToObject(o, "step", mcp_steps[d->step]);
	else
		cJSON_AddNullToObject(o, "step");
	cJSON_AddItemToObject(o, "failed_regions", names_json(d->failed, d->nfailed));
	cJSON_AddItemToObject(o, "reporters", names_json(d->reporters, d->nreporters));
	cJSON_AddItemToObject(o, "missing", names_json(d->missing, d->nmissing));
	if (d->divergence)
		cJSON_AddStringToObject(o, "divergence", "cdn-cache-divergence");
	else
		cJSON_AddNullToObject(o, "divergence");
	cJSON_AddItemToObject(
	    o, "drift", agg_drift_json(w->r[R_DRIFT], w->lr != NULL ? &w->lc : NULL));
	add_stats(o, w->r[R_STATS], w->code);
	if (d->error != NULL)
		cJSON_AddStringToObject(o, "error", d->error);
	else
		cJSON_AddNullToObject(o, "error");
	if (d->latency_ms >= 0)
		cJSON_AddNumberToObject(o, "latency_ms", (double)d->latency_ms);
	else
		cJSON_AddNullToObject(o, "latency_ms");
	if (w->r[R_HOST]->type == REDIS_REPLY_STRING)
		cJSON_AddStringToObject(o, "host", w->r[R_HOST]->str);
	else
		cJSON_AddNullToObject(o, "host");
	add_cert(o, v, w->r[R_CERT], d->nreporters + d->nmissing);
	cJSON_AddItemToObject(o, "divergent_regions", names_json(d->divergent, d->ndivergent));
	agg_tools_divergence(o, &w->lc, d, w->res, w->nres, v->window, w->r[R_DRIFT]);
	cJSON_AddItemToObject(o, "failing_now", names_json(d->failing_now, d->nfailing_now));
	add_maint(o, v, w->r[R_MAINT]);
	agg_findings_add(o, w->r[R_FINDINGS], v->window, seen_today(v, w->r[R_SEEN]));
	add_faults(o, v);
	agg_shorts_add(o, &v->shorts);
	agg_cloak_add(o, w->r[R_CLOAK], v->window);
	agg_ready_add(o, w->r[R_READY], v->window, d->ndivergent > 0);
	/* Last: the members before it stay where the contract put them. */
	agg_review_add(
	    o, w->r[R_REVIEW], w->rt, w->r[R_FINDINGS], blind, nblind, w->slug, v->window, &w->rw);
	return o;
}

/*
 * Each region's own result of W, the one it started in the window, once
 * the blind regions' are dropped: what rgn counts (mcp-store(7)).
 */
static void
own_results(const struct vctx *v, struct slugwork *w, const struct agg_result *res, size_t n)
{
	size_t i;

	w->nown = 0;
	for (i = 0; i < n && w->nown < AGG_FAULT_REGIONS; i++)
		if (agg_window(res[i].started) == v->window) {
			w->own[w->nown] = res[i].region;
			w->own_ok[w->nown++] = res[i].state == AGG_BROKEN ? 'f' : 'p';
		}
}

/* Decide one slug from its replies into w->d: 0, or -1 (err). */
static int
decide(struct vctx *v, struct slugwork *w, char *err, size_t errlen)
{
	struct agg_input in = {v->window, v->lookback, NULL, 0, NULL, 0};
	int i;

	for (i = 0; i < NREAD; i++)
		if (w->r[i]->type == REDIS_REPLY_ERROR) {
			/*
			 * A posture's read that fails (a slot being migrated
			 * answers the review's script of several keys TRYAGAIN)
			 * costs that posture, never the verdict: it is left out,
			 * and mcp-alert keeps what it had open.
			 */
			if ((i == R_FINDINGS || i == R_CLOAK || i == R_REVIEW || i == R_READY) &&
			    strncmp(w->r[i]->str, "NOSCRIPT", 8) != 0) {
				/* A script's own error is said: a slot moving is not worth a word. */
				if (strncmp(w->r[i]->str, "TRYAGAIN", 8) != 0 &&
				    strncmp(w->r[i]->str, "MOVED", 5) != 0 &&
				    strncmp(w->r[i]->str, "ASK", 3) != 0)
					warnx("verdict: %s: its %s left out of the verdict: %s",
					    w->slug,
					    i == R_FINDINGS    ? "findings"
					        : i == R_CLOAK ? "cloaking"
					        : i == R_READY ? "readiness"
					                       : "review",
					    w->r[i]->str);
				continue;
			}
			snprintf(err, errlen, "%s: %s", w->slug, w->r[i]->str);
			return -1;
		}
	if (agg_results_from(w->r[R_RES], v->window, &w->res, &in.nres) == -1 ||
	    seen_of(v, w->r[R_SEEN], &w->seen, &in.nseen) == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	agg_fault_drop(&v->faults, w->res, &in.nres, w->seen, &in.nseen);
	own_results(v, w, w->res, in.nres);
	w->nres = in.nres;
	in.res = w->res;
	in.seen = w->seen;
	if (agg_decide(&in, &w->d) == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	w->decided = 1;
	w->verdict = w->d.verdict;
	w->code = in_maint(v, w->r[R_MAINT]) ? 'm' : agg_verdict_code(w->d.verdict);
	return 0;
}

/*
 * Format the slug's record into w->rec and make the history's write of
 * its drift (w->hc), then free its lists: a batch holds the lists of a
 * group of slugs at a time, not its own.
 */
static int
finish(struct vctx *v, struct slugwork *w, char *err, size_t errlen)
{
	cJSON *o;
	int rc = -1;

	err[0] = '\0';
	if ((o = record_of(v, w, &w->d)) != NULL &&
	    agg_history_cmd(v->hist_sha, w->slug, &w->lc,
	        cJSON_GetObjectItemCaseSensitive(o, "drift"), v->window, &w->hc) == 0)
		rc = mcp_rec_format(&w->rec, o, err, errlen);
	if (rc == -1 && err[0] == '\0')
		snprintf(err, errlen, "out of memory");
	cJSON_Delete(o);
	agg_lcache_free(&w->lc);
	freeReplyObject(w->lr);
	w->lr = NULL;
	freeReplyObject(w->rt);
	w->rt = NULL;
	return rc;
}

/* 1 when slug w's window wants its lists read: drift, divergence (vlists.c). */
static int
lists_need(const struct slugwork *w)
{
	return agg_vlists_need(w->r[R_DRIFT], w->d.divergence);
}

/* A reply of finish_all's round trip into *r: 0, or -1 (the round is tried again). */
static int
group_read(struct vctx *v, redisReply **r, char *err, size_t errlen)
{
	if (mcp_store_read(v->st, r, 1, err, errlen) == -1)
		return -1;
	if ((*r)->type == REDIS_REPLY_ERROR && strncmp((*r)->str, "NOSCRIPT", 8) == 0) {
		snprintf(err, errlen, "%s", (*r)->str);
		/* The replies still due are read by the retry's reconnect. */
		return -1;
	}
	return 0;
}

/*
 * Finish the slugs of the batch: the lists of those whose window has
 * drift or divergence, and the texts of those whose review wants a class
 * worked out (review.c), read in round trips of their own,
 * AGG_VLIST_GROUP slugs at a time, each slug's record made and its lists
 * freed before the next group is read; none for a batch of green slugs
 * whose lists did not change.  A slug whose read failed says
 * change_unknown "not_read".
 */
static enum mcp_store_status
finish_all(struct vctx *v, struct slugwork *ws, size_t n, char *err, size_t errlen)
{
	size_t i, j, k;
	int ln, rn;

	for (i = 0; i < n; i = j) {
		for (j = i, k = 0; j < n && k < AGG_VLIST_GROUP; j++) {
			ln = lists_need(&ws[j]), rn = agg_review_need(ws[j].r[R_REVIEW]);
			if (ln)
				agg_vlists_append(v->st, v->lists_sha, ws[j].slug, ws[j].r[R_DRIFT],
				    ws[j].d.divergence);
			if (rn)
				agg_review_texts_append(
				    v->st, v->rtexts_sha, ws[j].slug, ws[j].r[R_REVIEW]);
			k += ln || rn;
		}
		for (k = i; k < j; k++) {
			if (lists_need(&ws[k])) {
				if (group_read(v, &ws[k].lr, err, errlen) == -1)
					return MCP_STORE_AGAIN;
				agg_lcache_load(&ws[k].lc, ws[k].lr);
			}
			if (agg_review_need(ws[k].r[R_REVIEW]) &&
			    group_read(v, &ws[k].rt, err, errlen) == -1)
				return MCP_STORE_AGAIN;
		}
		for (k = i; k < j; k++)
			if (finish(v, &ws[k], err, errlen) == -1)
				return MCP_STORE_FAIL;
	}
	return MCP_STORE_OK;
}

/*
 * The write script (histlua.h): KEYS verdict day:DAY days tally red rgn;
 * ARGV W, its letter, the record without its newline, DAY, the TTLs, the
 * prefix, the month, then each region's own result of W.
 */
/*
 * Whether window's pass folds the slug's days before yesterday into days
 * (the write script): in the AGG_FOLD_SPAN minutes from the slug's own
 * minute of the day, from the hash of its name as its hours' (fold.c), so
 * that a fleet's days are folded over the day rather than all at its first
 * window (100,000 slugs at once would add seconds to that minute's pass),
 * and a verdict run every few minutes still meets each slug's.  A day
 * missed is made up the next: a fold takes every older day still raw.
 */
static int
fold_due(const char *slug, long long window)
{
	long long m = window / 60 % 1440;

	return (m - agg_fold_minute(slug) + 1440) % 1440 < AGG_FOLD_SPAN;
}

static int
append_write(struct vctx *v, const struct slugwork *w)
{
	long long day = v->window / AGG_DAY;
	const char *argv[18 + 2 * AGG_FAULT_REGIONS];
	size_t len[18 + 2 * AGG_FAULT_REGIONS], i;
	char k[7][MCP_SLUG_MAX + 64], code[2] = {w->code, '\0'}, win[24], d[24], m[24];
	char ttl[16], ttl_long[16];
	static const char *const what[] = {"verdict", "day", "days", "tally", "red", "rgn"};
	int n = 0;

	argv[n++] = "EVALSHA", argv[n++] = v->write_sha, argv[n++] = "6";
	for (i = 0; i < 6; i++) {
		agg_key(k[i], sizeof(k[i]), w->slug, what[i], i == 1 ? day : -1);
		argv[n++] = k[i];
	}
	agg_key(k[6], sizeof(k[6]), w->slug, "", -1);
	snprintf(win, sizeof(win), "%lld", v->window);
	snprintf(d, sizeof(d), "%lld", day);
	snprintf(m, sizeof(m), "%ld", mcp_hist_month((long)day));
	snprintf(ttl, sizeof(ttl), "%d", (int)AGG_TTL_LONG);
	snprintf(ttl_long, sizeof(ttl_long), "%d", (int)MCP_HIST_TTL);
	argv[n++] = win, argv[n++] = code, argv[n++] = w->rec.p, argv[n++] = d, argv[n++] = ttl;
	argv[n++] = k[6], argv[n++] = m, argv[n++] = ttl_long;
	argv[n++] = fold_due(w->slug, v->window) ? "1" : "0";
	for (i = 0; i < w->nown; i++) {
		argv[n++] = w->own[i];
		argv[n++] = w->own_ok[i] == 'p' ? "p" : "f";
	}
	for (i = 0; i < (size_t)n; i++)
		len[i] = strlen(argv[i]);
	len[11] = w->rec.len - 1;
	return mcp_store_appendv(v->st, n, argv, len);
}

/* One batch of slugs, the work of a round. */
struct batch {
	struct vctx *v;
	struct slugwork *ws;
	size_t n;
};

/* Both round trips for one batch. */
static enum mcp_store_status
batch_once(struct mcp_store *st, void *arg, char *err, size_t errlen)
{
	struct batch *b = arg;
	struct vctx *v = b->v;
	struct slugwork *ws = b->ws;
	enum mcp_store_status rc = MCP_STORE_OK;
	redisReply *r;
	size_t i;
	int j;
	long nref;
	char refusal[256] = "";

	err[0] = '\0';
	for (i = 0; i < b->n; i++)
		work_clear(&ws[i]);
	for (i = 0; i < b->n; i++)
		append_reads(v, ws[i].slug);
	for (i = 0; i < b->n; i++)
		if (mcp_store_read(st, ws[i].r, NREAD, err, errlen) == -1)
			return MCP_STORE_AGAIN;
	for (i = 0; i < b->n; i++) {
		const redisReply *e = ws[i].r[R_RES]->type == REDIS_REPLY_ERROR ? ws[i].r[R_RES]
		    : ws[i].r[R_STATS]->type == REDIS_REPLY_ERROR               ? ws[i].r[R_STATS]
		                                                                : ws[i].r[R_REVIEW];

		if (e->type == REDIS_REPLY_ERROR && strncmp(e->str, "NOSCRIPT", 8) == 0) {
			snprintf(err, errlen, "%s", e->str);
			return MCP_STORE_AGAIN;
		}
		if (decide(v, &ws[i], err, errlen) == -1)
			return MCP_STORE_FAIL;
	}
	if ((rc = finish_all(v, ws, b->n, err, errlen)) != MCP_STORE_OK)
		return rc;
	for (i = 0; i < b->n; i++) {
		ws[i].hist = ws[i].hc.argc > 0 && agg_hcmd_append(st, &ws[i].hc) == 0;
		ws[i].rev = ws[i].rw.argc > 0 && agg_hcmd_append(st, &ws[i].rw) == 0;
		append_write(v, &ws[i]);
	}
	nref = 0;
	for (i = 0; i < b->n; i++) {
		ws[i].refused = 0;
		for (j = 0; j < 1 + ws[i].hist + ws[i].rev; j++) {
			if (mcp_store_read(st, &r, 1, err, errlen) == -1)
				return MCP_STORE_AGAIN;
			if (r->type == REDIS_REPLY_ERROR &&
			    (mcp_store_retryable(st, r) || strncmp(r->str, "NOSCRIPT", 8) == 0)) {
				snprintf(err, errlen, "%s: %s", ws[i].slug, r->str);
				rc = MCP_STORE_AGAIN;
			} else if (r->type == REDIS_REPLY_ERROR && !ws[i].refused) {
				/*
				 * Refused (a full store: OOM): the verdict is still
				 * printed, so that the alerts see it; the pass says what
				 * it could not write, and exits 1.
				 */
				ws[i].refused = 1;
				nref++;
				snprintf(refusal, sizeof(refusal), "%s", r->str);
			}
			freeReplyObject(r);
		}
	}
	if (rc != MCP_STORE_OK)
		return rc;
	if (nref > 0) {
		v->refused += nref;
		memcpy(v->refusal, refusal, sizeof(refusal));
		for (i = 0, j = 0; i < b->n && j < 3 && v->refused - nref + j < 3; i++)
			if (ws[i].refused) {
				warnx("verdict: %s: window %lld: printed, not stored: %s",
				    ws[i].slug, v->window, refusal);
				j++;
			}
	}
	for (i = 0; i < b->n; i++)
		if (mcp_buf_add(&v->out, ws[i].rec.p, ws[i].rec.len) == -1) {
			snprintf(err, errlen, "out of memory");
			return MCP_STORE_FAIL;
		}
	return MCP_STORE_OK;
}

/*
 * Verdicts refused for memory: noted for mcp-alert's watchdog (full.h),
 * and the lists take the refusal, evicted down to their mark, so that the
 * next pass stores (lists.h).
 */
static void
full_said(struct vctx *v)
{
	char why[MCP_FULL_WHY], err[256];

	if (strncmp(v->refusal, "OOM ", 4) != 0)
		return;
	snprintf(why, sizeof(why), "%ld verdicts of window %lld, printed", v->refused, v->window);
	if (mcp_full_note(v->st, "verdicts", v->refused, why, mcp_now(), err, sizeof(err)) == -1)
		warnx("redis: %s", err);
	agg_lists_relieve(v->st, (long long)mcp_now(), 1, 0);
}

/* One batch, reconnecting (Sentinel: to the new master) on a failure. */
static int
batch(struct vctx *v, struct slugwork *ws, size_t n)
{
	static const struct mcp_store_retry rp = {3, 0, NULL};
	struct batch b = {v, ws, n};
	char err[512] = "";
	size_t i;
	int rc = 0;

	if (mcp_store_run(v->st, &rp, batch_once, &b, err, sizeof(err)) != MCP_STORE_OK) {
		warnx("redis: %s", err);
		rc = -1;
	}
	for (i = 0; i < n; i++)
		work_clear(&ws[i]);
	return rc;
}

static int
flush_out(struct vctx *v)
{
	if (mcp_rec_put(stdout, v->out.p, v->out.len) == -1 || fflush(stdout) == EOF) {
		mcp_stdout_failed();
		return -1;
	}
	mcp_buf_reset(&v->out);
	return 0;
}

/* The known slugs, or NULL after a warning.  The reply is owned. */
static redisReply *
known_slugs(struct vctx *v)
{
	const char *argv[] = {"ZRANGE", AGG_KEY_SLUGS, "0", "-1"};
	char err[512];
	redisReply *r;

	r = mcp_store_cmd(v->st, 4, argv, err, sizeof(err));
	if (r == NULL || r->type != REDIS_REPLY_ARRAY) {
		warnx("redis: %s", r ? (r->type == REDIS_REPLY_ERROR ? r->str : "bad reply") : err);
		freeReplyObject(r);
		return NULL;
	}
	return r;
}

/*
 * Keep of the slugs named those the index knows (a slug with results in
 * the 30 days): a verdict for a slug never pushed would turn the read
 * side's 404 into a pending server for a month.  The others are named in
 * a warning.  The count kept, or -1 after a warning.
 */
static long
named_known(struct vctx *v, char **slugs, size_t n, int *unknown)
{
	const char **argv = calloc(n + 2, sizeof(*argv));
	char err[512];
	redisReply *r = NULL;
	size_t i, k = 0;
	long rc = -1;

	if (argv == NULL) {
		warn("verdict");
		return -1;
	}
	argv[0] = "ZMSCORE", argv[1] = AGG_KEY_SLUGS;
	for (i = 0; i < n; i++)
		argv[i + 2] = slugs[i];
	r = mcp_store_cmd(v->st, (int)n + 2, argv, err, sizeof(err));
	if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != n) {
		warnx("redis: %s", r ? (r->type == REDIS_REPLY_ERROR ? r->str : "bad reply") : err);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (r->element[i]->type == REDIS_REPLY_NIL) {
			warnx("verdict: %s: no results stored for this slug", slugs[i]);
			*unknown = 1;
			continue;
		}
		slugs[k++] = slugs[i];
	}
	rc = (long)k;
out:
	freeReplyObject(r);
	free(argv);
	return rc;
}

/*
 * The name index holds every known slug: a store written by a push of
 * before has none, so a pass that finds it short fills it (ZADD is
 * idempotent).  0, or -1 after a warning.
 */
static int
fill_names(struct vctx *v, char **slugs, size_t n)
{
	char err[512], ttl[16];
	const char *card[] = {"ZCARD", AGG_KEY_LEX}, *exp[] = {"EXPIRE", AGG_KEY_LEX, ttl};
	redisReply *r;
	size_t i, k;
	int rc = 0;

	if ((r = mcp_store_cmd(v->st, 2, card, err, sizeof(err))) == NULL ||
	    r->type != REDIS_REPLY_INTEGER) {
		warnx("redis: %s", r ? (r->type == REDIS_REPLY_ERROR ? r->str : "bad reply") : err);
		freeReplyObject(r);
		return -1;
	}
	if ((size_t)r->integer >= n) {
		freeReplyObject(r);
		return 0;
	}
	freeReplyObject(r);
	for (i = 0; i < n && rc == 0; i += k) {
		const char *z[2 * AGG_BATCH + 2];

		z[0] = "ZADD", z[1] = AGG_KEY_LEX;
		for (k = 0; k < AGG_BATCH / 2 && i + k < n; k++)
			z[2 + 2 * k] = "0", z[3 + 2 * k] = slugs[i + k];
		r = mcp_store_cmd(v->st, (int)(2 + 2 * k), z, err, sizeof(err));
		if (r == NULL || r->type == REDIS_REPLY_ERROR) {
			warnx("redis: %s", r ? r->str : err);
			rc = -1;
		}
		freeReplyObject(r);
	}
	snprintf(ttl, sizeof(ttl), "%d", (int)AGG_TTL_LONG);
	freeReplyObject(mcp_store_cmd(v->st, 3, exp, err, sizeof(err)));
	return rc;
}

static int
pass(struct vctx *v, char **slugs, size_t n)
{
	struct slugwork *ws;
	size_t i, k;
	int rc = MCP_EXIT_OK;

	if ((ws = calloc(AGG_BATCH, sizeof(*ws))) == NULL) {
		warn("verdict");
		return MCP_EXIT_FAIL;
	}
	for (i = 0; i < n && rc == MCP_EXIT_OK; i += k) {
		for (k = 0; k < AGG_BATCH && i + k < n; k++)
			ws[k].slug = slugs[i + k];
		if (batch(v, ws, k) == -1)
			rc = MCP_EXIT_FAIL;
		else if (flush_out(v) == -1)
			rc = AGG_EXIT_STDOUT;
	}
	for (k = 0; k < AGG_BATCH; k++)
		mcp_buf_free(&ws[k].rec);
	free(ws);
	return rc;
}

/*
 * The newest window any pass has decided, kept in AGG_KEY_NEWEST (never
 * moved back by a back-fill), so that the read side can tell at once how
 * old the newest verdict is (mcp-serve's /healthz).
 */
static const char newest_lua[] =
    "local v = tonumber(redis.call('GET', KEYS[1]) or '-1') or -1\n"
    "if tonumber(ARGV[1]) > v then redis.call('SET', KEYS[1], ARGV[1]) end\n"
    "redis.call('EXPIRE', KEYS[1], ARGV[2])\n"
    "return 1\n";

static enum mcp_store_status
newest_once(struct mcp_store *st, void *arg, char *err, size_t errlen)
{
	const struct vctx *v = arg;
	char w[32], ttl[32];
	const char *argv[] = {"EVAL", newest_lua, "1", AGG_KEY_NEWEST, w, ttl};
	redisReply *r;
	enum mcp_store_status rc = MCP_STORE_OK;

	snprintf(w, sizeof(w), "%lld", v->window);
	snprintf(ttl, sizeof(ttl), "%d", (int)AGG_TTL_LONG);
	if ((r = mcp_store_cmd(st, 6, argv, err, errlen)) == NULL)
		return MCP_STORE_AGAIN;
	if (mcp_store_retryable(st, r))
		rc = MCP_STORE_AGAIN;
	else if (r->type == REDIS_REPLY_ERROR)
		rc = MCP_STORE_FAIL;
	if (rc != MCP_STORE_OK)
		snprintf(err, errlen, "%s", r->type == REDIS_REPLY_ERROR ? r->str : "bad reply");
	freeReplyObject(r);
	return rc;
}

static int
mark_newest(struct vctx *v)
{
	static const struct mcp_store_retry rp = {3, 1, NULL};
	char err[512];

	if (mcp_store_run(v->st, &rp, newest_once, v, err, sizeof(err)) != MCP_STORE_OK) {
		warnx("redis: %s", err);
		return -1;
	}
	return 0;
}

/*
 * The window's probe-fault judgment: a full pass (all, the known slugs)
 * judges and keeps it; a pass over named slugs reads the one kept, or
 * judges over every known slug when there is none.  0, or -1 after a
 * warning.
 */
static int
judge(struct vctx *v, const struct agg_opts *o, char **all, size_t n)
{
	redisReply *known = NULL;
	char **list = all;
	size_t i;
	int rc;

	v->faults.min = o->fault_min;
	v->faults.percent = o->fault_percent;
	v->faults.n = 0;
	if (o->fault_min == 0) {
		/* No comparison: a runner's own canary still sets it aside. */
		if (agg_canaries(v->st, v->window, v->lookback, &v->faults) == -1)
			return -1;
		agg_fault_judge(&v->faults);
		return 0;
	}
	if (all == NULL) {
		if ((rc = agg_judgment(v->st, v->window, &v->faults)) != 0)
			return rc < 0 ? -1 : 0;
		if ((known = known_slugs(v)) == NULL)
			return -1;
		n = known->elements;
		if ((list = calloc(n + 1, sizeof(*list))) == NULL) {
			warn("verdict");
			freeReplyObject(known);
			return -1;
		}
		for (i = 0; i < n; i++)
			list[i] = known->element[i]->str;
	}
	rc = agg_judge(v->st, v->window, v->lookback, list, n, &v->faults);
	if (list != all)
		free(list);
	freeReplyObject(known);
	return rc;
}

int
agg_verdict(const struct agg_opts *o, char **slugs, int nslugs)
{
	struct vctx v = {0};
	redisReply *known = NULL;
	char err[512], **list = slugs;
	size_t n = (size_t)nslugs, i;
	int rc = MCP_EXIT_FAIL, unknown = 0;

	v.window = agg_latest_complete(mcp_now());
	v.lookback = o->lookback;
	if ((v.st = agg_connect(o)) == NULL)
		return MCP_EXIT_FAIL;
	if (mcp_store_script_load(v.st, read_lua, v.read_sha, err, sizeof(err)) == -1 ||
	    mcp_store_script_load(v.st, stats_lua, v.stats_sha, err, sizeof(err)) == -1 ||
	    mcp_store_script_load(v.st, write_lua, v.write_sha, err, sizeof(err)) == -1 ||
	    mcp_store_script_load(v.st, agg_vlists_lua, v.lists_sha, err, sizeof(err)) == -1 ||
	    mcp_store_script_load(v.st, agg_vhist_lua, v.hist_sha, err, sizeof(err)) == -1 ||
	    mcp_store_script_load(v.st, agg_review_lua, v.review_sha, err, sizeof(err)) == -1 ||
	    mcp_store_script_load(v.st, agg_review_texts_lua, v.rtexts_sha, err, sizeof(err)) ==
	        -1) {
		warnx("redis: %s", err);
		goto out;
	}
	if (nslugs > 0) {
		long k = named_known(&v, slugs, n, &unknown);

		if (k < 0)
			goto out;
		n = (size_t)k;
	} else {
		if ((known = known_slugs(&v)) == NULL)
			goto out;
		n = known->elements;
		if ((list = calloc(n + 1, sizeof(*list))) == NULL) {
			warn("verdict");
			goto out;
		}
		for (i = 0; i < n; i++)
			list[i] = known->element[i]->str;
	}
	/* A store that refuses the index's write (full) still gets its verdicts decided. */
	if (nslugs == 0 && fill_names(&v, list, n) == -1)
		unknown = 1;
	if (o->shard_n > 0) {
		/* The judgment over every slug, then the share's own (vshard.c). */
		if (agg_shard_judge(v.st, o, v.window, list, n, &v.faults) == -1)
			goto out;
		n = agg_shard_keep(list, n, o->shard_k, o->shard_n);
	} else if (judge(&v, o, nslugs == 0 ? list : NULL, n) == -1)
		goto out;
	if (agg_shorts_read(v.st, v.window, &v.shorts) == -1)
		goto out;
	/* A store past its high-water mark has the lists make room first (lists.h). */
	agg_lists_relieve(v.st, (long long)mcp_now(), 1, 0);
	rc = pass(&v, list, n);
	if (v.refused > 0) {
		warnx("verdict: %ld verdicts of window %lld printed but not stored: %s", v.refused,
		    v.window, v.refusal);
		full_said(&v);
		if (rc == MCP_EXIT_OK)
			rc = MCP_EXIT_FAIL;
	}
	/* Once a slug-hour, in its minute: the hours past the lookback folded. */
	if (rc == MCP_EXIT_OK && agg_fold(v.st, list, n, v.window) == -1)
		rc = MCP_EXIT_FAIL;
	if (rc == MCP_EXIT_OK && n > 0 && mark_newest(&v) == -1)
		rc = MCP_EXIT_FAIL;
	if (rc == MCP_EXIT_OK && unknown)
		rc = MCP_EXIT_FAIL;
out:
	if (list != slugs)
		free(list);
	freeReplyObject(known);
	mcp_buf_free(&v.out);
	mcp_store_close(v.st);
	return rc;
}
