/*
 * results.c - mcp-aggregate results: the stored results of one slug, window
 * by window, in the text form of mcp-store(7), for a person or a test: the
 * packed slots of rs:HOUR are not for reading with redis-cli.  A region's
 * unjudged result of a window (uj:HOUR, which the verdict never reads) is
 * shown as "unjudged REASON".
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "mcp.h"
#include "rec.h"
#include "reslua.h"

static const char window_lua[] = MCP_RES_LUA_WINDOW;

/* Windows per round trip. */
#define CHUNK 120

struct rctx {
	const char *slug;
	long long from, n; /* the first window and how many from it */
	char sha[41];
	redisReply *r[CHUNK];
	redisReply *uj[CHUNK]; /* the hour's unjudged results, of each window */
};

struct pair {
	const char *region, *value;
	int rlen; /* the region is its first rlen bytes */
};

static int
pair_cmp(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	int c = strncmp(x->region, y->region, (size_t)(x->rlen < y->rlen ? x->rlen : y->rlen));

	return c != 0 ? c : x->rlen - y->rlen;
}

static void
clear(struct rctx *x)
{
	int i;

	for (i = 0; i < CHUNK; i++) {
		freeReplyObject(x->r[i]);
		freeReplyObject(x->uj[i]);
		x->r[i] = x->uj[i] = NULL;
	}
}

static enum mcp_store_status
round_once(struct mcp_store *st, void *arg, char *err, size_t errlen)
{
	struct rctx *x = arg;
	char k[3][MCP_SLUG_MAX + 64];
	long long i, w;

	clear(x);
	agg_key(k[1], sizeof(k[1]), x->slug, "", -1);
	for (i = 0; i < x->n; i++) {
		w = x->from + i * AGG_WINDOW;
		agg_key(k[0], sizeof(k[0]), x->slug, "rs", w / AGG_HOUR);
		agg_key(k[2], sizeof(k[2]), x->slug, "uj", w / AGG_HOUR);
		mcp_store_appendf(st, "EVALSHA %s 1 %s %lld %s", x->sha, k[0], w, k[1]);
		mcp_store_appendf(st, "HGETALL %s", k[2]);
	}
	for (i = 0; i < x->n; i++)
		if (mcp_store_read(st, &x->r[i], 1, err, errlen) == -1 ||
		    mcp_store_read(st, &x->uj[i], 1, err, errlen) == -1)
			return MCP_STORE_AGAIN;
	for (i = 0; i < x->n; i++)
		if (x->r[i]->type == REDIS_REPLY_ERROR) {
			snprintf(err, errlen, "%s", x->r[i]->str);
			return mcp_store_retryable(st, x->r[i]) ||
			        strncmp(x->r[i]->str, "NOSCRIPT", 8) == 0
			    ? MCP_STORE_AGAIN
			    : MCP_STORE_FAIL;
		}
	return MCP_STORE_OK;
}

/* 1 when p[0] to p[n - 1] hold the region of len bytes at r. */
static int
has_region(const struct pair *p, size_t n, const char *r, int len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i].rlen == len && strncmp(p[i].region, r, (size_t)len) == 0)
			return 1;
	return 0;
}

/*
 * The unjudged results of window w among u's "REGION:MINUTE" -> reason
 * into p from n on, but for a region whose real result of the window
 * took its slot since (the verdict reads that one); the new n.
 */
static size_t
add_unjudged(struct pair *p, size_t n, long long w, const redisReply *u)
{
	static const char *const text[] = {
	    NULL, "unjudged not_started", "unjudged evicted", "unjudged run_ended"};
	long long minute = w % AGG_HOUR / AGG_WINDOW;
	const char *f, *c;
	char *end;
	long v;
	size_t i;

	for (i = 0; u != NULL && u->type == REDIS_REPLY_ARRAY && i + 1 < u->elements; i += 2) {
		f = u->element[i]->str, c = f != NULL ? strrchr(f, ':') : NULL;
		if (c == NULL || u->element[i + 1]->str == NULL ||
		    strtoll(c + 1, &end, 10) != minute || *end != '\0')
			continue;
		v = strtol(u->element[i + 1]->str, &end, 10);
		if (*end != '\0' || v < 1 || v > AGG_UJ_CODES || has_region(p, n, f, (int)(c - f)))
			continue;
		p[n].region = f, p[n].rlen = (int)(c - f);
		p[n++].value = text[v];
	}
	return n;
}

/* Print one window's pairs, and its unjudged results, sorted by region. */
static int
print_window(long long w, const redisReply *a, const redisReply *u)
{
	size_t i, n = 0, m = a->type == REDIS_REPLY_ARRAY ? a->elements / 2 : 0;
	size_t mu = u != NULL && u->type == REDIS_REPLY_ARRAY ? u->elements / 2 : 0;
	struct pair *p = calloc(m + mu + 1, sizeof(*p));
	int rc = 0;

	if (p == NULL)
		err(MCP_EXIT_FAIL, NULL);
	for (i = 0; i < m; i++) {
		p[n].region = a->element[2 * i]->str;
		p[n].rlen = (int)strlen(p[n].region);
		p[n++].value = a->element[2 * i + 1]->str;
	}
	n = add_unjudged(p, n, w, u);
	qsort(p, n, sizeof(*p), pair_cmp);
	for (i = 0; i < n && rc == 0; i++)
		if (printf("%lld %.*s %s\n", w, p[i].rlen, p[i].region, p[i].value) < 0)
			rc = -1;
	free(p);
	return rc;
}

int
agg_results(const struct agg_opts *o, const char *slug, long long from, long long to)
{
	static const struct mcp_store_retry rp = {3, 0, NULL};
	struct rctx x;
	struct mcp_store *st;
	char err[512];
	long long i;
	int rc = 0;

	memset(&x, 0, sizeof(x));
	x.slug = slug;
	if ((st = agg_connect(o)) == NULL)
		return MCP_EXIT_FAIL;
	if (mcp_store_script_load(st, window_lua, x.sha, err, sizeof(err)) == -1) {
		warnx("redis: %s", err);
		mcp_store_close(st);
		return MCP_EXIT_FAIL;
	}
	for (x.from = from; rc == 0 && x.from <= to; x.from += CHUNK * AGG_WINDOW) {
		x.n = (to - x.from) / AGG_WINDOW + 1;
		if (x.n > CHUNK)
			x.n = CHUNK;
		if (mcp_store_run(st, &rp, round_once, &x, err, sizeof(err)) != MCP_STORE_OK) {
			warnx("redis: %s", err);
			rc = MCP_EXIT_FAIL;
			break;
		}
		for (i = 0; i < x.n; i++)
			if (print_window(x.from + i * AGG_WINDOW, x.r[i], x.uj[i]) == -1) {
				mcp_stdout_failed();
				rc = AGG_EXIT_STDOUT;
				break;
			}
	}
	clear(&x);
	mcp_store_close(st);
	return rc;
}
