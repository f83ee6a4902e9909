/*
 * pushsend.c - the batch's round trips: each result's script call
 * (pushlua.c) with its canary and cloaking, the slugs' index, then the
 * runs counted, the lists the store lacks (pushlists.c) and the findings;
 * after the batch, its conflicts and the results refused for a window not
 * begun into the audit.  What the store did not take goes to the spool,
 * or back to the ingest's runner.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "aggregate.h"
#include "audit.h"
#include "mcp.h"
#include "push.h"

/*
 * The run's canary, by region and window (mcp:canary:W): "fail" wins
 * over "ok", whichever came first, so that any runner of a region that
 * could not reach its canary sets the region aside (judge.c).
 */
static void
append_canary(struct pctx *p, const struct pending *q)
{
	char key[64];

	snprintf(key, sizeof(key), "mcp:canary:%lld", q->window);
	if (q->canary == 'f')
		mcp_store_appendf(p->st, "HSET %s %s fail", key, q->region);
	else
		mcp_store_appendf(p->st, "HSETNX %s %s ok", key, q->region);
	mcp_store_appendf(p->st, "EXPIRE %s %d", key, AGG_TTL_SHORT);
}

/*
 * An unjudged result (CONTRACT §2) is kept out of the slots the verdict
 * reads, so that its region does not report the slug in that window and
 * a real result of the same window, pushed later, still takes the slot:
 * mcp:{SLUG}:uj:HOUR holds "REGION MINUTE" -> its reason's number, the
 * first writer's.  One for a window its region has a result of already
 * is a duplicate too (push_uj_lua), counted nowhere.  The reply says
 * stored (1) or a duplicate.
 */
static void
append_unjudged(struct pctx *p, const struct pending *q)
{
	long long hour = q->window / AGG_HOUR;
	char k[3][MCP_SLUG_MAX + 64], pre[MCP_SLUG_MAX + 64];

	agg_key(k[0], sizeof(k[0]), q->slug, "rs", hour);
	agg_key(k[1], sizeof(k[1]), q->slug, "uj", hour);
	agg_key(k[2], sizeof(k[2]), q->slug, "res", q->window);
	agg_key(pre, sizeof(pre), q->slug, "", -1);
	mcp_store_appendf(p->st, "EVALSHA %s 3 %s %s %s %s %d %lld %d %s %lld", p->uj_sha, k[0],
	    k[1], k[2], q->region, q->uj, q->window % AGG_HOUR / AGG_WINDOW, AGG_TTL_SHORT, pre,
	    hour);
}

/* What every result adds: its run's canary, its cloaking (cloak.c) and readiness (ready.c). */
static void
append_tail(struct pctx *p, const struct pending *q)
{
	char key[MCP_SLUG_MAX + 64];

	if (q->canary_sent)
		append_canary(p, q);
	if (q->cloak[0] != '\0') {
		agg_key(key, sizeof(key), q->slug, "cloak", -1);
		mcp_store_appendf(p->st, "HSET %s %s %s", key, q->region, q->cloak);
		mcp_store_appendf(p->st, "EXPIRE %s %d", key, AGG_TTL_LONG);
	}
	if (q->ready[0] != '\0') {
		agg_key(key, sizeof(key), q->slug, "ready", -1);
		mcp_store_appendf(p->st, "HSET %s %s %s", key, q->region, q->ready);
		mcp_store_appendf(p->st, "EXPIRE %s %d", key, AGG_TTL_LONG);
	}
}

/*
 * Every result's slug known (the index, by its latest start, and the name
 * index): one ZADD of each for the batch, not two commands a result, a
 * slug's run of results (its regions, one after another) named once.  Both
 * are idempotent: each try of the batch sends them for all of its records,
 * so that none is lost with a link that failed after its result was
 * stored.  The replies to read: 2, or 0 for an empty batch.
 */
static int
append_index(struct pctx *p)
{
	const char *a[2 + 2 * AGG_BATCH + 1], *z[2 + 2 * AGG_BATCH];
	const char *last = NULL, *best = NULL;
	size_t i;
	int na = 3, nz = 2;

	a[0] = "ZADD", a[1] = AGG_KEY_SLUGS, a[2] = "GT";
	z[0] = "ZADD", z[1] = AGG_KEY_LEX;
	for (i = 0; i < p->n; i++) {
		const struct pending *q = &p->b[i];

		if (last != NULL && strcmp(last, q->slug) == 0) {
			/* The run's latest start: GT keeps the greatest anyway. */
			if (strtod(q->started, NULL) > strtod(best, NULL))
				a[na - 2] = best = q->started;
			continue;
		}
		last = q->slug, best = q->started;
		a[na++] = q->started, a[na++] = q->slug;
		z[nz++] = "0", z[nz++] = q->slug;
	}
	if (nz == 2)
		return 0;
	mcp_store_appendv(p->st, na, a, NULL);
	mcp_store_appendv(p->st, nz, z, NULL);
	return 2;
}

static void
append_push(struct pctx *p, const struct pending *q, long long now)
{
	long long hour = q->window / AGG_HOUR;
	char k[15][MCP_SLUG_MAX + 64], lnow[24];
	const char *hex[AGG_LIST_KINDS];
	int i;

	if (q->uj) {
		append_unjudged(p, q);
		append_tail(p, q);
		return;
	}
	agg_key(k[0], sizeof(k[0]), q->slug, "rs", hour);
	agg_key(k[12], sizeof(k[12]), q->slug, "", -1);
	agg_key(k[10], sizeof(k[10]), q->slug, "codes", -1);
	agg_key(k[11], sizeof(k[11]), q->slug, "res", q->window);
	agg_key(k[1], sizeof(k[1]), q->slug, "seen", -1);
	agg_key(k[2], sizeof(k[2]), q->slug, "hash", -1);
	agg_key(k[3], sizeof(k[3]), q->slug, "drift", -1);
	agg_key(k[4], sizeof(k[4]), q->slug, "lat", hour);
	agg_key(k[5], sizeof(k[5]), q->slug, "latsum", -1);
	agg_key(k[6], sizeof(k[6]), q->slug, "latidx", -1);
	agg_key(k[7], sizeof(k[7]), q->slug, "meta", -1);
	agg_key(k[8], sizeof(k[8]), q->slug, "lat:", -1); /* the prefix of lat:HOUR */
	agg_key(k[9], sizeof(k[9]), q->slug, "cert", -1);
	agg_key(k[13], sizeof(k[13]), q->slug, "lsi", -1);
	agg_key(k[14], sizeof(k[14]), q->slug, "lhash", -1);
	snprintf(lnow, sizeof(lnow), "%lld", now);
	for (i = 0; i < AGG_LIST_KINDS; i++)
		if ((hex[i] = agg_list_hex(q->lh[i])) == NULL)
			hex[i] = "";
	mcp_store_appendf(p->st,
	    "EVALSHA %s 13 %s %s %s %s %s %s %s %s %s %s %s %s %s %s %s %s %lld %s %s %d %d %lld "
	    "%s "
	    "%s %lld %s %lld %s %s %s %s %s %s %s %s %lld",
	    p->sha, k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], k[9], k[10], k[11], k[13],
	    k[14], q->region, q->value, q->started, q->window, q->hash, q->bucket, AGG_TTL_SHORT,
	    AGG_TTL_LONG, hour, k[8], q->host, now, q->cert, q->window % AGG_HOUR / AGG_WINDOW,
	    k[12], p->token != NULL ? p->token : "", *hex[0] || *hex[1] || *hex[2] ? lnow : "",
	    hex[0], hex[1], hex[2], q->lh[1], q->lh[2], p->token != NULL ? p->newest : -1LL);
	append_tail(p, q);
}

/* The replies append_push asks for a record. */
static int
replies(const struct pending *q)
{
	return 1 + (q->canary_sent ? 2 : 0) + (q->cloak[0] != '\0' ? 2 : 0) +
	    (q->ready[0] != '\0' ? 2 : 0);
}

/*
 * Which records of the round trip write their canary: the first of each
 * region, window and value, not all 512 of a runner's batch.
 */
static void
mark_canaries(struct pctx *p)
{
	const struct pending *last = NULL;
	struct pending *q;
	size_t i;

	for (i = 0; i < p->n; i++) {
		q = &p->b[i];
		q->canary_sent = 0;
		if (q->done || !q->canary)
			continue;
		if (last != NULL && last->canary == q->canary && last->window == q->window &&
		    strcmp(last->region, q->region) == 0)
			continue;
		q->canary_sent = 1;
		last = q;
	}
}

/*
 * The results each region's runs brought to each window, and how many the
 * runner could not judge, by reason: mcp:runs:W holds "REGION:n" (results
 * stored) and "REGION:REASON" (unjudged ones), what the verdict judges a
 * short runner by (short.c).  Counted once, when stored; a count lost with
 * the link is not asked again.
 */
static void
count_runs(struct mcp_store *st, struct pctx *p)
{
	struct {
		const char *region;
		long long w;
		long n, uj[AGG_UJ_CODES + 1];
	} g[AGG_BATCH];
	char key[64], err[256];
	size_t i, j, k, ng = 0, nr = 0;
	redisReply *r;

	for (i = 0; i < p->n; i++) {
		struct pending *q = &p->b[i];

		if (!q->done || !q->stored || q->counted)
			continue;
		q->counted = 1;
		for (j = 0; j < ng && (g[j].w != q->window || strcmp(g[j].region, q->region)); j++)
			;
		if (j == ng) {
			memset(&g[ng], 0, sizeof(g[0]));
			g[ng].region = q->region, g[ng++].w = q->window;
		}
		g[j].n++, g[j].uj[q->uj]++;
	}
	for (j = 0; j < ng; j++) {
		snprintf(key, sizeof(key), "mcp:runs:%lld", g[j].w);
		mcp_store_appendf(st, "HINCRBY %s %s:n %ld", key, g[j].region, g[j].n), nr++;
		for (k = 1; k <= AGG_UJ_CODES; k++)
			if (g[j].uj[k] > 0)
				mcp_store_appendf(st, "HINCRBY %s %s:%s %ld", key, g[j].region,
				    agg_unjudged_name((int)k), g[j].uj[k]),
				    nr++;
		mcp_store_appendf(st, "EXPIRE %s %d", key, AGG_TTL_SHORT), nr++;
	}
	for (i = 0; i < nr && mcp_store_read(st, &r, 1, err, sizeof(err)) == 0; i++)
		freeReplyObject(r);
}

/*
 * A second, different result of a window already stored: kept out (the
 * first writer wins) and kept among the window's contested results by the
 * script, its audit written after the batch (conflicts_flush), and said:
 * never dropped in silence.
 */
static void
conflict(struct pctx *p, struct pending *q)
{
	char iso[32], why[AGG_WHY_MAX];

	p->conflicts++;
	q->conflicted = 1;
	if (mcp_iso8601((double)q->window, iso, sizeof(iso)) == -1)
		snprintf(iso, sizeof(iso), "%lld", q->window);
	snprintf(why, sizeof(why),
	    "%s of %s already has another result for the window %s: this one is kept out (the "
	    "first writer wins), counted and audited (mcp-aggregate status)",
	    q->region, q->slug, iso);
	if (p->fate != NULL)
		p->fate(p->fate_arg, q->lineno, AGG_CONFLICT, why);
	else
		warnx("%s:%ld: conflict: %s", p->name, q->lineno, why);
}

/*
 * The findings of the batch's results, after their lists are stored (the
 * third round trip): those of the lists as judged where they are kept,
 * the runner's for a list the store never had (findings.c).  Once a
 * result, when it is stored or found a duplicate.
 */
static void
push_findings(struct mcp_store *st, struct pctx *p)
{
	const char *hex[AGG_LIST_KINDS];
	char err[256];
	size_t i, n = 0;
	redisReply *r;
	int k;

	for (i = 0; i < p->n; i++) {
		struct pending *q = &p->b[i];

		if (!q->done || q->conflicted || q->judged)
			continue;
		for (k = 0; k < AGG_LIST_KINDS; k++)
			if ((hex[k] = agg_list_hex(q->lh[k])) == NULL)
				hex[k] = "";
		if (!q->fd.present && !*hex[0] && !*hex[1] && !*hex[2])
			continue;
		q->judged = 1;
		agg_findings_append(st, q->slug, q->region, q->started, &q->fd, hex);
		n++;
	}
	for (i = 0; i < n && mcp_store_read(st, &r, 1, err, sizeof(err)) == 0; i++) {
		if (r->type == REDIS_REPLY_ERROR)
			warnx("redis: findings: %s", r->str);
		freeReplyObject(r);
	}
}

/* One round trip for the records not yet done; any failure is worth another. */
static enum mcp_store_status
send_batch(struct mcp_store *st, void *arg, char *err, size_t errlen)
{
	struct pctx *p = arg;
	long long now = (long long)mcp_now();
	enum mcp_store_status rc = MCP_STORE_OK;
	redisReply *r;
	size_t i;
	int j, stored, nindex, oom = 0;

	mark_canaries(p);
	for (i = 0; i < p->n; i++)
		if (!p->b[i].done)
			append_push(p, &p->b[i], now);
	nindex = append_index(p);
	for (i = 0; i < p->n; i++) {
		if (p->b[i].done)
			continue;
		for (j = 0; j < replies(&p->b[i]); j++) {
			if (mcp_store_read(st, &r, 1, err, errlen) == -1)
				return MCP_STORE_AGAIN;
			if (r->type == REDIS_REPLY_ERROR) {
				snprintf(err, errlen, "%s: %s", mcp_store_where(st), r->str);
				rc = MCP_STORE_AGAIN;
				oom += mcp_full_oom(r);
			} else if (j == 0 && r->type == REDIS_REPLY_INTEGER && r->integer == 2) {
				p->b[i].done = 1;
				conflict(p, &p->b[i]);
			} else if (j == 0) {
				p->b[i].done = 1;
				/* The lists the store lacks ride on the reply (PUSH_LISTS_LUA). */
				if (r->type == REDIS_REPLY_INTEGER)
					p->b[i].lmiss = (int)(r->integer >> 3) & 7;
				stored = r->type == REDIS_REPLY_INTEGER && (r->integer & 7) == 1;
				p->b[i].stored = stored;
				if (stored)
					p->stored++, p->replayed += p->replaying,
					    p->unjudged += p->b[i].uj != 0;
				else
					p->dups++;
				if (p->fate != NULL)
					p->fate(p->fate_arg, p->b[i].lineno,
					    stored ? AGG_STORED : AGG_DUPLICATE, NULL);
			}
			freeReplyObject(r);
		}
	}
	for (j = 0; j < nindex; j++) {
		if (mcp_store_read(st, &r, 1, err, errlen) == -1)
			return MCP_STORE_AGAIN;
		if (r->type == REDIS_REPLY_ERROR) {
			snprintf(err, errlen, "%s: %s", mcp_store_where(st), r->str);
			rc = MCP_STORE_AGAIN;
		}
		freeReplyObject(r);
	}
	count_runs(st, p);
	/* Refused for memory: the lists make room before the next round, never the results. */
	if ((p->oom = oom) > 0) {
		char why[MCP_FULL_WHY], e[256];

		snprintf(why, sizeof(why),
		    "%d results refused, tried again once the lists make room", oom);
		if (mcp_full_note(st, "results", oom, why, mcp_now(), e, sizeof(e)) == -1 &&
		    p->fate == NULL)
			warnx("redis: %s", e);
		agg_lists_relieve(st, now, 1, p->fate != NULL);
	}
	push_lists_put(st, p);
	push_findings(st, p);
	return rc;
}

static void
report(const char *why)
{
	warnx("redis: %s", why);
}

/* The ingest's records not stored: the runner sends them again. */
static void
later(struct pctx *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!p->b[i].done)
			p->fate(p->fate_arg, p->b[i].lineno, AGG_LATER, "store unavailable");
}

/* Append the records not yet stored to the spool, under an exclusive lock. */
static void
spool_write(struct pctx *p)
{
	char why[2 * PATH_MAX];
	size_t i, k = 0;
	int fd, rc = 0;

	if ((fd = agg_spool_open(p->spool, 1, why, sizeof(why))) == -1) {
		warnx("spool: %s", why);
		p->failed = 1;
		return;
	}
	flock(fd, LOCK_EX);
	for (i = 0; i < p->n && rc == 0; i++) {
		if (p->b[i].done)
			continue;
		if (write(fd, p->b[i].line.p, p->b[i].line.len) != (ssize_t)p->b[i].line.len)
			rc = -1;
		else
			k++;
	}
	if (rc == -1 || fsync(fd) == -1) {
		warn("spool: %s", p->spool);
		p->failed = 1;
	}
	close(fd);
	p->spooled += (long)k;
}

/* The results refused for a window not begun, counted in the store (audit.c). */
void
push_future_flush(struct pctx *p)
{
	if (p->st != NULL && p->future_new > 0)
		agg_audit_future(p->st, p->future_region, p->future_new);
	p->future_new = 0;
}

/* The batch's conflicts into the audit trail, in one round trip (audit.c). */
static void
conflicts_flush(struct pctx *p)
{
	char err[256];
	redisReply *r;
	size_t i, n = 0;

	for (i = 0; i < p->n; i++)
		if (p->b[i].conflicted && p->st != NULL) {
			agg_audit_conflict(
			    p->st, p->b[i].slug, p->b[i].region, p->b[i].window, p->token);
			n++;
		}
	for (i = 0; i < p->n; i++)
		p->b[i].conflicted = 0;
	for (; n > 0 && mcp_store_read(p->st, &r, 1, err, sizeof(err)) == 0; n--)
		freeReplyObject(r);
}

/*
 * With a token, the newest window decided: a result of a window up to it
 * is written late (push_wrote), and taken back with the token all the
 * same (audit.c).  -1 when unknown: then it counts as written in time.
 */
static void
read_newest(struct pctx *p)
{
	const char *a[] = {"GET", AGG_KEY_NEWEST};
	char err[256];
	redisReply *r;

	p->newest = -1;
	if (p->token == NULL || p->st == NULL ||
	    (r = mcp_store_cmd(p->st, 2, a, err, sizeof(err))) == NULL)
		return;
	if (r->type == REDIS_REPLY_STRING)
		p->newest = strtoll(r->str, NULL, 10);
	freeReplyObject(r);
}

/* The results a full store refused to the end noted for the watchdog (full.h). */
static void
full_said(struct pctx *p)
{
	char why[MCP_FULL_WHY], err[256];
	size_t i;
	long n = 0;

	for (i = 0; i < p->n; i++)
		n += !p->b[i].done;
	snprintf(why, sizeof(why), "%ld results of region %s, %s", n, p->b[0].region,
	    p->fate != NULL ? "sent again by its runner" : "spooled");
	/* Counted when refused (send_batch): the words only. */
	if (mcp_full_note(p->st, "results", 0, why, mcp_now(), err, sizeof(err)) == -1)
		warnx("redis: %s", err);
}

/*
 * Store the batch, reconnecting after each failure and after the last (the
 * next batch starts on a fresh link); with none to be had, the spool takes
 * what is left, this batch and all that follow.
 */
void
push_flush_batch(struct pctx *p)
{
	static const struct mcp_store_retry rp = {3, 1, report};
	char err[512];
	size_t i;

	push_future_flush(p);
	read_newest(p);
	if (p->st != NULL &&
	    mcp_store_run(p->st, &rp, send_batch, p, err, sizeof(err)) == MCP_STORE_DOWN) {
		if (p->fate == NULL)
			mcp_store_close(p->st);
		p->st = NULL;
	}
	conflicts_flush(p);
	for (i = 0; i < p->n && p->b[i].done; i++)
		;
	if (i < p->n && p->oom > 0 && p->st != NULL)
		full_said(p);
	if (i < p->n) {
		if (p->fate != NULL)
			later(p);
		else if (p->replaying)
			p->failed = 1; /* still in the spool file, as it was */
		else
			spool_write(p);
	}
	push_lists_release(p);
	for (i = 0; i < p->n; i++)
		mcp_buf_reset(&p->b[i].line);
	p->n = 0;
}
