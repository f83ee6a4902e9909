/*
 * auditrule.c - the rules of the audit (mcp-aggregate(1) "audit"): the
 * bucket of a remote from its history, that of a server from its
 * remotes, and the public censuses' bucket of a server's.  Pure: no I/O.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdlib.h>
#include <string.h>

#include "audit.h"

const char *const audit_bucket_names[B_NALL] = {"healthy", "auth-walled", "broken:dns",
    "broken:connect", "broken:tls", "broken:http", "broken:auth", "broken:initialize",
    "broken:tools_list", "broken:call", "broken:unknown", "regionally-degraded", "cdn-divergent",
    "needs-configuration", "local-only", "refused", "unprobed", "deleted", "new", "gone"};

int
audit_bucket_of(const char *name)
{
	int b;

	for (b = 0; b < B_NALL; b++)
		if (strcmp(audit_bucket_names[b], name) == 0)
			return b;
	return -1;
}

static int
most_failed(const long *steps)
{
	int i, m = 0;

	for (i = 1; i < 8; i++)
		if (steps[i] > steps[m])
			m = i;
	return m;
}

/*
 * The rules, in order (mcp-aggregate(1) "Audit"): nothing in the period;
 * split in at least AUDIT_SHARE% of its windows; broken in most results
 * (auth-walled when most of those stop at auth with a 401/403 code); a
 * divergence (an amber counts where the results read show no region
 * failing: one where a region fails is that region's outage); walled in
 * most passing results; else healthy.
 */
int
audit_decide(const struct audit_hist *h)
{
	long up = h->letters[0] + h->letters[1], decided = up + h->letters[2];

	if (h->nwin == 0 && decided == 0)
		return B_UNPROBED;
	if (h->nwin > 0 && h->nsplit * 100 >= (long)AUDIT_SHARE * h->nwin)
		return B_REGIONAL;
	if (h->nwin > 0 && h->broken > h->healthy + h->walled) {
		if (h->authfail * 2 >= h->broken)
			return B_AUTH;
		return B_BROKEN + most_failed(h->steps);
	}
	/* The results have expired (an --at of long ago): the verdicts decide. */
	if (h->nwin == 0 && h->letters[2] > up)
		return h->latest_step >= 0 ? B_BROKEN + h->latest_step : B_BROKEN_UNKNOWN;
	if (h->divergence ||
	    (h->rdecided > 0 && h->ramber * 100 >= (long)AUDIT_SHARE * h->rdecided))
		return B_CDN;
	if (h->walled > h->healthy)
		return B_AUTH;
	return B_HEALTHY;
}

/*
 * A server is as usable as its best remote (the seeds' audit: a server
 * that answers from somewhere is not down): up everywhere, behind a
 * wall, up from some regions, up with its tool lists diverging, then
 * broken, the remote that got furthest first; then what was not probed.
 */
static const int rank_order[] = {B_HEALTHY, B_AUTH, B_REGIONAL, B_CDN, B_BROKEN + 7, B_BROKEN + 6,
    B_BROKEN + 5, B_BROKEN + 4, B_BROKEN + 3, B_BROKEN + 2, B_BROKEN + 1, B_BROKEN,
    B_BROKEN_UNKNOWN, B_UNPROBED, B_NEEDS, B_REFUSED, B_LOCAL, B_DELETED};

#define NRANK ((int)(sizeof(rank_order) / sizeof(rank_order[0])))

int
audit_rank(int bucket)
{
	int i;

	for (i = 0; i < NRANK; i++)
		if (rank_order[i] == bucket)
			return i;
	return NRANK;
}

/*
 * The order of grouping (pointers into a->r): by name, an unnamed field
 * alone; within a name the remotes not deleted first, then by their index
 * in the registry's list (none last), then by slug.
 */
static int
group_cmp(const void *a, const void *b)
{
	const struct audit_rem *x = *(const struct audit_rem *const *)a;
	const struct audit_rem *y = *(const struct audit_rem *const *)b;
	int c;

	if (x->key == NULL || y->key == NULL)
		return x->key != NULL ? -1 : y->key != NULL ? 1 : strcmp(x->slug, y->slug);
	if ((c = strcmp(x->key, y->key)) != 0)
		return c;
	if ((x->bucket == B_DELETED) != (y->bucket == B_DELETED))
		return x->bucket == B_DELETED ? 1 : -1;
	if (x->index != y->index)
		return x->index < 0 ? 1 : y->index < 0 ? -1 : x->index < y->index ? -1 : 1;
	return strcmp(x->slug, y->slug);
}

static int
server_cmp(const void *a, const void *b)
{
	return strcmp(
	    ((const struct audit_server *)a)->slug, ((const struct audit_server *)b)->slug);
}

static int
slug_server_cmp(const void *key, const void *elt)
{
	return strcmp(key, ((const struct audit_server *)elt)->slug);
}

/* The index in a->srv (sorted by slug) of the server of a slug that is one. */
static size_t
server_index(const struct audit *a, const char *slug)
{
	const struct audit_server *s =
	    bsearch(slug, a->srv, a->nsrv, sizeof(*a->srv), slug_server_cmp);

	return (size_t)(s - a->srv);
}

/* 1 when two remotes (in the order of group_cmp) are of one server. */
static int
same_server(const struct audit_rem *x, const struct audit_rem *y)
{
	return x->key != NULL && y->key != NULL && strcmp(x->key, y->key) == 0;
}

int
audit_group(struct audit *a)
{
	struct audit_rem **p;
	struct audit_server *s = NULL;
	const char **own; /* a->r[i]'s server's slug */
	size_t i;

	p = calloc(a->nr + 1, sizeof(*p));
	own = calloc(a->nr + 1, sizeof(*own));
	if (p == NULL || own == NULL || (a->srv = calloc(a->nr + 1, sizeof(*a->srv))) == NULL) {
		free(p);
		free(own);
		return -1;
	}
	for (i = 0; i < a->nr; i++)
		p[i] = &a->r[i];
	qsort(p, a->nr, sizeof(*p), group_cmp);
	/* A server's slug and name are those of its first remote in that order. */
	for (i = 0; i < a->nr; i++) {
		if (i == 0 || !same_server(p[i - 1], p[i])) {
			s = &a->srv[a->nsrv++];
			s->slug = p[i]->slug, s->name = p[i]->name, s->key = p[i]->key;
			s->bucket = p[i]->bucket, s->best = p[i];
		} else if (audit_rank(p[i]->bucket) < audit_rank(s->bucket)) {
			s->bucket = p[i]->bucket, s->best = p[i];
		}
		s->remotes += p[i]->remote && p[i]->bucket != B_DELETED;
		/* Its readiness: that of the best graded remote, the first of them as best is. */
		if (p[i]->h.grade != 0 && p[i]->bucket != B_DELETED &&
		    (s->ready == NULL || audit_rank(p[i]->bucket) < audit_rank(s->ready->bucket)))
			s->ready = p[i];
		own[p[i] - a->r] = s->slug;
	}
	qsort(a->srv, a->nsrv, sizeof(*a->srv), server_cmp);
	for (i = 0; i < a->nr; i++) {
		a->r[i].srv = server_index(a, own[i]);
		if (a->r[i].remote)
			a->rcount[a->r[i].bucket]++;
	}
	for (i = 0; i < a->nsrv; i++)
		a->count[a->srv[i].bucket]++;
	free(own);
	free(p);
	return 0;
}

const char *const audit_census_names[C_N] = {"healthy", "auth-walled", "http-not-mcp", "malformed",
    "dead", "regionally-degraded", "unknown", "not-probed"};

/*
 * The public censuses (AliveMCP, MCP Vitals, the registry's own) probe
 * each endpoint once in a while, from one place or a few:
 * healthy is what answers MCP with its tools, a divergence of the tool
 * lists included (AliveMCP counts "schema drift" healthy); auth-walled
 * is any 401 or 403, a half-configured challenge too; dead is DNS,
 * connect, TLS, and a 404 (the registry's census counts 404 among the
 * hard-unreachable); HTTP that does not lead to MCP is http-not-mcp;
 * MCP whose lists or calls fail is malformed.
 */
int
audit_census(int bucket, const char *error)
{
	int not_found = error != NULL && strcmp(error, "http_404") == 0;

	switch (bucket) {
	case B_HEALTHY:
	case B_CDN:
		return C_HEALTHY;
	case B_AUTH:
	case B_BROKEN + 4: /* auth */
		return C_AUTH;
	case B_BROKEN:     /* dns */
	case B_BROKEN + 1: /* connect */
	case B_BROKEN + 2: /* tls */
		return C_DEAD;
	case B_BROKEN + 3: /* http */
	case B_BROKEN + 5: /* initialize */
		return not_found ? C_DEAD : C_NOTMCP;
	case B_BROKEN + 6: /* tools_list */
	case B_BROKEN + 7: /* call */
		return C_MALFORMED;
	case B_REGIONAL:
		return C_REGIONAL;
	case B_BROKEN_UNKNOWN:
		return C_UNKNOWN;
	default:
		return C_NOTPROBED;
	}
}
