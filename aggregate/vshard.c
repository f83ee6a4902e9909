/*
 * vshard.c - mcp-aggregate verdict --shard K/N: a pass over the slugs of
 * one share of the 16384 hash slots of Redis Cluster, so that N deciding
 * hosts split a pass, each one's reads and writes on the masters of its
 * slots, no slug decided twice or missed.
 *
 * The probe-fault judgment is over every slug (fault.c): each share counts
 * its own slugs, keeps its counts in mcp:fault:W:parts ("K/N" -> a line a
 * region), waits for the other shares' counts, and judges their sum, which
 * is what a full pass counts, so every share sets aside the regions a full
 * pass would.  A share whose counts do not come within as long as this
 * share's own took to count, and AGG_SHARD_WAIT seconds more (the shares
 * are of a size; their hosts start within seconds of each other), is
 * counted by the share that waited, and kept for the others.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aggregate.h"
#include "mcp.h"

#define SLOTS 16384

/* aggregate.h */
int
agg_shard_has(const char *slug, unsigned k, unsigned n)
{
	char pre[MCP_SLUG_MAX + 64];

	if (n == 0)
		return 1;
	agg_key(pre, sizeof(pre), slug, "", -1);
	return mcp_store_slot(pre, strlen(pre)) * n / SLOTS == k - 1;
}

/* aggregate.h */
size_t
agg_shard_keep(char **slugs, size_t n, unsigned k, unsigned nshares)
{
	size_t i, m = 0;

	for (i = 0; i < n; i++)
		if (agg_shard_has(slugs[i], k, nshares))
			slugs[m++] = slugs[i];
	return m;
}

/* A share's counts: "REGION PROBED PASSED FAILED HASH CERT STEP1 ... STEP8", a line each. */
static int
part_format(const struct agg_faults *f, struct mcp_buf *b)
{
	size_t i;
	int s;

	for (i = 0; i < f->n; i++) {
		const struct agg_fault_region *g = &f->r[i];

		if (mcp_buf_addf(b, "%s %ld %ld %ld %ld %ld", g->name, g->probed, g->passed,
		        g->failed, g->hash, g->cert) == -1)
			return -1;
		for (s = 0; s < MCP_NSTEPS; s++)
			if (mcp_buf_addf(b, " %ld", g->steps[s]) == -1)
				return -1;
		if (mcp_buf_addc(b, '\n') == -1)
			return -1;
	}
	return mcp_buf_addc(b, '\0');
}

/* One line of a share's counts into the sum; a line that is not one is left out. */
static void
part_line(struct agg_faults *sum, const char *line)
{
	struct agg_fault_region g;
	char name[MCP_SLUG_MAX + 1];
	const char *p;
	int used = 0, s;

	memset(&g, 0, sizeof(g));
	if (sscanf(line, "%80s %ld %ld %ld %ld %ld%n", name, &g.probed, &g.passed, &g.failed,
	        &g.hash, &g.cert, &used) != 6 ||
	    !mcp_slug_ok(name))
		return;
	p = line + used;
	for (s = 0; s < MCP_NSTEPS; s++) {
		char *e;

		g.steps[s] = strtol(p, &e, 10);
		if (e == p || g.steps[s] < 0)
			return;
		p = e;
	}
	if (g.probed < 0 || g.passed < 0 || g.failed < 0 || g.hash < 0 || g.cert < 0)
		return;
	snprintf(g.name, sizeof(g.name), "%s", name);
	agg_fault_merge(sum, &g);
}

/* The shares' counts read: which came (seen[k - 1]), and their sum added into arg's. */
struct parts {
	unsigned n;
	char *seen;
	struct agg_faults *sum; /* NULL: only note which came */
};

static void
part_one(void *arg, const char *field, const char *value)
{
	struct parts *ps = arg;
	unsigned k, n;
	int used = 0;
	const char *p, *e;
	char line[512];

	if (sscanf(field, "%4u/%4u%n", &k, &n, &used) != 2 || field[used] != '\0' || n != ps->n ||
	    k < 1 || k > n || ps->seen[k - 1])
		return;
	ps->seen[k - 1] = 1;
	for (p = value; ps->sum != NULL && *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		if ((size_t)(e - p) < sizeof(line)) {
			memcpy(line, p, (size_t)(e - p));
			line[e - p] = '\0';
			part_line(ps->sum, line);
		}
	}
}

static void
parts_key(char *key, size_t len, long long window)
{
	snprintf(key, len, "mcp:fault:%lld:parts", window);
}

/* Keep share k's counts f: 0, or -1 after a warning. */
static int
part_put(struct mcp_store *st, long long window, unsigned k, unsigned n, const struct agg_faults *f)
{
	struct mcp_buf b = {0};
	char key[64], field[16], ttl[16], err[512];
	const char *set[] = {"HSET", key, field, NULL}, *exp[] = {"EXPIRE", key, ttl};
	redisReply *r;
	int rc = 0;

	parts_key(key, sizeof(key), window);
	snprintf(field, sizeof(field), "%u/%u", k, n);
	snprintf(ttl, sizeof(ttl), "%d", (int)AGG_TTL_SHORT);
	if (part_format(f, &b) == -1) {
		warnx("verdict: out of memory");
		mcp_buf_free(&b);
		return -1;
	}
	set[3] = b.p;
	r = mcp_store_cmd(st, 4, set, err, sizeof(err));
	if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		warnx("redis: %s", r != NULL ? r->str : err);
		rc = -1;
	}
	freeReplyObject(r);
	freeReplyObject(mcp_store_cmd(st, 3, exp, err, sizeof(err)));
	mcp_buf_free(&b);
	return rc;
}

/* Count share k of the slugs all into a part of its own and keep it: 0, or -1. */
static int
count_share(struct mcp_store *st, const struct agg_opts *o, long long window, char **all, size_t n,
    unsigned k)
{
	struct agg_faults f = {o->fault_min, o->fault_percent, 0, {{{0}}}};
	char **mine = calloc(n + 1, sizeof(*mine));
	size_t m;
	int rc;

	if (mine == NULL) {
		warn("verdict");
		return -1;
	}
	memcpy(mine, all, n * sizeof(*mine));
	m = agg_shard_keep(mine, n, k, o->shard_n);
	rc = agg_judge_count(st, window, o->lookback, mine, m, &f);
	free(mine);
	return rc == -1 ? -1 : part_put(st, window, k, o->shard_n, &f);
}

/* Read which shares have kept their counts (and, with sum, add them up): -1 on failure. */
static int
parts_read(struct mcp_store *st, long long window, struct parts *ps)
{
	char key[64];

	parts_key(key, sizeof(key), window);
	memset(ps->seen, 0, ps->n);
	return agg_hash_each(st, key, part_one, ps) == -1 ? -1 : 0;
}

static int
all_seen(const struct parts *ps)
{
	unsigned k;

	for (k = 0; k < ps->n && ps->seen[k]; k++)
		;
	return k == ps->n;
}

/* aggregate.h */
int
agg_shard_judge(struct mcp_store *st, const struct agg_opts *o, long long window, char **all,
    size_t n, struct agg_faults *f)
{
	struct timespec nap = {0, 20 * 1000 * 1000};
	struct parts ps = {o->shard_n, calloc(o->shard_n, 1), NULL};
	double t0 = mcp_mono(), until;
	unsigned k;
	int rc = -1;

	f->min = o->fault_min;
	f->percent = o->fault_percent;
	f->n = 0;
	if (ps.seen == NULL) {
		warn("verdict");
		return -1;
	}
	if (o->fault_min == 0) {
		/* No comparison: a runner's own canary still sets it aside. */
		rc = agg_canaries(st, window, o->lookback, f);
		agg_fault_judge(f);
		goto out;
	}
	if (count_share(st, o, window, all, n, o->shard_k) == -1 ||
	    parts_read(st, window, &ps) == -1)
		goto out;
	until = mcp_mono() + (mcp_mono() - t0) + AGG_SHARD_WAIT;
	while (!all_seen(&ps) && mcp_mono() < until) {
		nanosleep(&nap, NULL);
		if (parts_read(st, window, &ps) == -1)
			goto out;
	}
	for (k = 1; k <= ps.n; k++)
		if (!ps.seen[k - 1]) {
			warnx("verdict: share %u/%u kept no counts of the probe faults in %.0f s: "
			      "counted here",
			    k, ps.n, mcp_mono() - t0);
			if (count_share(st, o, window, all, n, k) == -1)
				goto out;
		}
	/* The sum, on the canaries as a full pass starts from them. */
	ps.sum = f;
	if (agg_canaries(st, window, o->lookback, f) == -1 || parts_read(st, window, &ps) == -1)
		goto out;
	if (!all_seen(&ps)) {
		warnx("verdict: the shares' counts of the probe faults went missing");
		goto out;
	}
	rc = agg_judge_keep(st, window, f);
out:
	free(ps.seen);
	return rc;
}
