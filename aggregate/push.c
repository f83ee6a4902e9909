/*
 * push.c - mcp-aggregate push: probe records on stdin into the store, one
 * Lua call per result (first writer wins, and only a stored result counts
 * in the latency histograms), pipelined in batches; a local spool when
 * Redis cannot be reached, replayed by the next push.
 *
 * This file is the loop: each record checked (pushcheck.c) and queued, a
 * batch stored when full or when the input would block (pushsend.c, by
 * the scripts of pushlua.c, the lists beside in pushlists.c), the spool
 * replayed first and the slugs silent for 30 days forgotten last; and
 * the same a line at a time for the ingest (agg_push_*).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aggregate.h"
#include "json.h"
#include "lists.h"
#include "push.h"
#include "loop.h"
#include "mcp.h"

/* What push_open hands out: push's own context. */
struct agg_push {
	struct pctx p;
};

/* A line push does not take: said on stderr, or in the ingest's answer. */
static void
refuse(struct pctx *p, long lineno, const char *why)
{
	if (p->fate != NULL)
		p->fate(p->fate_arg, lineno, AGG_REFUSED, why);
	else
		warnx("%s:%ld: %s", p->name, lineno, why);
}

/*
 * 1 when the next read of f would block: its buffer is empty (glibc's
 * FILE fields) and its descriptor has nothing ready.  A batch is sent then,
 * so a record reaches the store at once and records batch only under load.
 */
static int
would_block(FILE *f)
{
	struct pollfd pfd = {fileno(f), POLLIN, 0};

	if (f->_IO_read_ptr < f->_IO_read_end)
		return 0;
	return poll(&pfd, 1, 0) == 0;
}

/*
 * Each record read (mcp_loop): refused, a step record checked, or a
 * result queued, the batch stored when full or when the input would block.
 */
static int
on_record(cJSON *rec, long lineno, void *arg)
{
	struct pctx *p = arg;
	struct pending *q = &p->b[p->n];
	char why[AGG_WHY_MAX + 300]; /* the origin's refusal says what to do */
	int k;

	mcp_buf_reset(&q->line);
	if ((k = push_take(p, rec, q, why, sizeof(why))) == 0) {
		refuse(p, lineno, why);
		return 1;
	}
	if (k == 's') {
		if (push_lists_step(p, rec, why, sizeof(why)) == -1) {
			refuse(p, lineno, why);
			return 1;
		}
		p->steps++;
		if (p->fate != NULL)
			p->fate(p->fate_arg, lineno, AGG_CHECKED, NULL);
		return 0;
	}
	if (push_not_its_slug(p, q, why, sizeof(why)) || push_not_begun(p, q, why, sizeof(why))) {
		refuse(p, lineno, why);
		return 1;
	}
	/* The ingest keeps no spool: its records are not written again. */
	if (p->fate == NULL &&
	    (mcp_json_write(&q->line, rec, why, sizeof(why)) == -1 ||
	        mcp_buf_addc(&q->line, '\n') == -1)) {
		refuse(p, lineno, why);
		return 1;
	}
	push_lists_claim(p, q, rec, lineno);
	q->lineno = lineno;
	q->done = 0;
	q->stored = q->counted = q->judged = 0;
	if (++p->n == AGG_BATCH || (p->in != NULL && would_block(p->in)))
		push_flush_batch(p);
	return 0;
}

/*
 * Replay the spool, in order, before anything new; emptied when all is
 * stored.  A spool that is not push's own (agg_spool_open) is neither read
 * nor emptied.
 */
static int
replay(struct pctx *p)
{
	struct mcp_loop_stats ls;
	struct stat sb;
	char why[2 * PATH_MAX];
	FILE *f;
	int fd, rc = 0;

	if ((fd = agg_spool_open(p->spool, 0, why, sizeof(why))) == -1) {
		if (errno == ENOENT)
			return 0;
		warnx("spool: %s", why);
		return -1;
	}
	flock(fd, LOCK_EX);
	if (fstat(fd, &sb) == 0 && sb.st_size > 0) {
		if ((f = fdopen(dup(fd), "r")) == NULL) {
			warn("spool: %s", p->spool);
			close(fd);
			return -1;
		}
		p->name = p->spool;
		p->in = f;
		p->replaying = 1;
		if (mcp_loop(f, p->spool, on_record, p, &ls) == -1)
			rc = -1;
		push_flush_batch(p);
		fclose(f);
		if (ls.bad > 0)
			rc = -1;
		if (!p->failed && p->st != NULL && ftruncate(fd, 0) == -1) {
			warn("spool: %s", p->spool);
			rc = -1;
		}
		p->replaying = 0;
	}
	close(fd);
	return p->failed ? -1 : rc;
}

/* ZREM from the name index the slugs of the reply r, a batch at a time. */
static void
forget_names(struct pctx *p, const redisReply *r)
{
	const char *argv[2 + AGG_BATCH];
	char err[256];
	size_t i, k;

	argv[0] = "ZREM", argv[1] = AGG_KEY_LEX;
	for (i = 0; r != NULL && r->type == REDIS_REPLY_ARRAY && i < r->elements; i += k) {
		for (k = 0; k < AGG_BATCH && i + k < r->elements; k++)
			argv[2 + k] = r->element[i + k]->str;
		freeReplyObject(mcp_store_cmd(p->st, (int)k + 2, argv, err, sizeof(err)));
	}
}

/*
 * Forget slugs silent for the 30 days their history lasts, by the clock:
 * the starts pushed say nothing of the other slugs.  The name index
 * forgets them first, so that it never lacks a slug the index holds.
 */
static void
trim_slugs(struct pctx *p)
{
	char cut[32], ttl[16], err[256];
	const char *old[] = {"ZRANGEBYSCORE", AGG_KEY_SLUGS, "-inf", cut};
	const char *argv[] = {"ZREMRANGEBYSCORE", AGG_KEY_SLUGS, "-inf", cut};
	const char *exp[] = {"EXPIRE", AGG_KEY_SLUGS, ttl}, *exp2[] = {"EXPIRE", AGG_KEY_LEX, ttl};
	redisReply *r;

	if (p->st == NULL)
		return;
	/* The clock is at most AGG_TIME_MAX (main): both always fit. */
	snprintf(cut, sizeof(cut), "(%lld", (long long)mcp_now() - AGG_UPTIME_DAYS * AGG_DAY);
	snprintf(ttl, sizeof(ttl), "%d", AGG_TTL_LONG);
	r = mcp_store_cmd(p->st, 4, old, err, sizeof(err));
	forget_names(p, r);
	freeReplyObject(r);
	r = mcp_store_cmd(p->st, 4, argv, err, sizeof(err));
	freeReplyObject(r);
	r = mcp_store_cmd(p->st, 3, exp, err, sizeof(err));
	freeReplyObject(r);
	r = mcp_store_cmd(p->st, 3, exp2, err, sizeof(err));
	freeReplyObject(r);
}

static void
summary(const struct pctx *p, const struct mcp_loop_stats *ls)
{
	char uj[256] = "";

	/* Only when there are any: a run that judged all is said as before. */
	if (p->unjudged > 0)
		snprintf(uj, sizeof(uj), "; %ld of the results unjudged", p->unjudged);
	if (p->lists_put > 0 || p->lists_unmatched > 0)
		snprintf(uj + strlen(uj), sizeof(uj) - strlen(uj),
		    "; %ld lists stored, %ld not their result's", p->lists_put, p->lists_unmatched);
	if (p->lists_refused > 0)
		snprintf(uj + strlen(uj), sizeof(uj) - strlen(uj),
		    "; %ld lists refused for the store's memory", p->lists_refused);
	warnx("push: %ld results stored, %ld duplicates ignored, %ld step records skipped, "
	      "%ld bad lines, %ld spooled, %ld replayed from the spool%s",
	    p->stored, p->dups, p->steps, ls->bad, p->spooled, p->replayed, uj);
}

/*
 * The results kept out of a window, said at the end.  A conflict is no
 * error of the input (the first writer wins); a window not begun is, and
 * its line was counted bad.
 */
static void
audit_summary(const struct pctx *p)
{
	if (p->conflicts > 0)
		warnx("push: %ld results conflicted with another of their window, kept out and "
		      "counted (mcp-aggregate status)",
		    p->conflicts);
	if (p->future > 0)
		warnx("push: %ld results refused for a window not begun on this host's clock",
		    p->future);
}

int
agg_push(const struct agg_opts *o)
{
	struct pctx p = {0};
	struct mcp_loop_stats ls = {0};
	char why[512], store[MCP_STORE_PATH_MAX + 512], spool[PATH_MAX];
	int rc = MCP_EXIT_OK;
	size_t i;

	if (mcp_store_url_public(mcp_store_url_choose(o->url), store, sizeof(store)) == -1 ||
	    agg_spool_path(o, store, spool, sizeof(spool)) == -1)
		errx(MCP_EXIT_USAGE, "spool: the path is too long");
	p.spool = spool;
	p.store = store;
	if ((p.b = calloc(AGG_BATCH, sizeof(*p.b))) == NULL)
		err(MCP_EXIT_FAIL, "push");
	if ((p.st = agg_connect(o)) != NULL &&
	    (mcp_store_script_load(p.st, push_lua, p.sha, why, sizeof(why)) == -1 ||
	        mcp_store_script_load(p.st, push_uj_lua, p.uj_sha, why, sizeof(why)) == -1 ||
	        mcp_store_script_load(p.st, agg_lists_put_lua, p.put_sha, why, sizeof(why)) ==
	            -1)) {
		warnx("redis: %s", why);
		mcp_store_close(p.st);
		p.st = NULL;
	}
	p.region = o->region;
	if (p.st == NULL || replay(&p) == -1)
		rc = MCP_EXIT_FAIL;
	p.name = "stdin";
	p.in = stdin;
	if (mcp_loop(stdin, "stdin", on_record, &p, &ls) == -1 || ls.bad > 0)
		rc = MCP_EXIT_FAIL;
	push_flush_batch(&p);
	trim_slugs(&p);
	if (p.spooled > 0) {
		warnx("spool: %s: %ld records for %s kept for the next push", p.spool, p.spooled,
		    p.store);
		rc = MCP_EXIT_FAIL;
	}
	if (p.failed)
		rc = MCP_EXIT_FAIL;
	audit_summary(&p);
	if (o->verbose)
		summary(&p, &ls);
	agg_origin_free(&p.origin);
	push_lists_free(&p);
	for (i = 0; i < AGG_BATCH; i++)
		mcp_buf_free(&p.b[i].line);
	free(p.b);
	mcp_store_close(p.st);
	return rc;
}

/*
 * The store side of push for the ingest (ingest.c): lines of its own,
 * each one's fate told to fate, on the ingest's connection.
 */
struct agg_push *
agg_push_open(struct mcp_store *st, const char *region, const char *rlabel, agg_fate_fn *fate,
    void *arg, char *err, size_t len)
{
	struct agg_push *a;

	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    (a->p.b = calloc(AGG_BATCH, sizeof(*a->p.b))) == NULL) {
		free(a);
		snprintf(err, len, "out of memory");
		return NULL;
	}
	if (mcp_store_script_load(st, push_lua, a->p.sha, err, len) == -1 ||
	    mcp_store_script_load(st, push_uj_lua, a->p.uj_sha, err, len) == -1 ||
	    mcp_store_script_load(st, agg_lists_put_lua, a->p.put_sha, err, len) == -1) {
		free(a->p.b);
		free(a);
		return NULL;
	}
	a->p.st = st;
	a->p.region = region;
	a->p.rlabel = rlabel;
	a->p.fate = fate;
	a->p.fate_arg = arg;
	return a;
}

/* One record of line lineno: its fate now (refused, checked) or at the flush. */
void
agg_push_record(struct agg_push *a, cJSON *rec, long lineno)
{
	on_record(rec, lineno, &a->p);
}

void
agg_push_flush(struct agg_push *a)
{
	push_flush_batch(&a->p);
}

/* What the ingest stores is kept as written by token id (borrowed, 9 bytes): audit.h. */
void
agg_push_token(struct agg_push *a, const char *id)
{
	a->p.token = id;
}

/* The lists a result's store lacks, told to fn (pushlists.c). */
void
agg_push_lacks(struct agg_push *a, agg_lack_fn *fn, void *arg)
{
	a->p.lack = fn;
	a->p.lack_arg = arg;
}

/* 1 while the store answers. */
int
agg_push_up(const struct agg_push *a)
{
	return a->p.st != NULL;
}

void
agg_push_trim(struct agg_push *a)
{
	trim_slugs(&a->p);
}

void
agg_push_close(struct agg_push *a)
{
	size_t i;

	if (a == NULL)
		return;
	push_lists_free(&a->p);
	for (i = 0; i < AGG_BATCH; i++)
		mcp_buf_free(&a->p.b[i].line);
	free(a->p.b);
	free(a);
}

int
agg_push_check(const cJSON *rec, const char *region, const char *rlabel, char *why, size_t len)
{
	struct pctx p = {0};
	struct pending q;
	int k;

	p.region = region;
	p.rlabel = rlabel;
	memset(&q, 0, sizeof(q));
	k = push_take(&p, rec, &q, why, len);
	return k;
}
