/*
 * pace.c - each route paced to what its receiver accepts: GCRA, at most
 * rate_n deliveries in any rate_per seconds, a burst of rate_n.  The pace
 * is kept in the store (mcp:alert:pace:ROUTE), so that runs under cron
 * keep it too, and so is a receiver's Retry-After.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "alert.h"
#include "outbox.h"

/* What is left of the key's life, less the second pace_save adds; huge when it has none. */
static double
pace_ttl(struct mcp_store *st, const char *key)
{
	const char *ttl[] = {"PTTL", key};
	redisReply *r;
	double left = HUGE_VAL;

	if ((r = alert_cmd(st, 2, ttl)) == NULL)
		return left;
	if (r->type == REDIS_REPLY_INTEGER && r->integer >= 0)
		left = fmax((double)r->integer / 1000.0 - 1.0, 0.0);
	freeReplyObject(r);
	return left;
}

void
pace_load(struct mcp_store *st, const struct alert_route *rt, struct pace *p)
{
	const char *get[] = {"GET", p->key};
	redisReply *r;
	double v, now = mcp_now(), mono = mcp_mono();
	char *end;

	snprintf(p->key, sizeof(p->key), "mcp:alert:pace:%s", rt->name);
	p->tat = mono;
	p->t = rt->rate_n > 0 ? (double)rt->rate_per / rt->rate_n : 0;
	p->tol = rt->rate_n > 0 ? (double)rt->rate_per - p->t : 0;
	/* A Retry-After is kept there whatever the rate. */
	if ((r = alert_cmd(st, 2, get)) == NULL)
		return;
	if (r->type == REDIS_REPLY_STRING) {
		v = strtod(r->str, &end);
		/*
		 * The store's word is believed up to an hour ahead, no more,
		 * and never past the key's own expiry: that is counted in the
		 * store's time, so a wall clock stepped back (or a run told an
		 * earlier MCP_NOW) does not hold the route for the difference.
		 */
		if (*end == '\0' && isfinite(v) && v > now && v < now + RETRY_AFTER_MAX + 86400.0)
			p->tat = mono + fmin(v - now, pace_ttl(st, p->key));
	}
	freeReplyObject(r);
}

void
pace_save(struct mcp_store *st, const struct pace *p)
{
	double ahead = p->tat - mcp_mono();
	char v[64], px[32];
	const char *set[] = {"SET", p->key, v, "PX", px};
	redisReply *r;

	if (ahead <= 0)
		return;
	snprintf(v, sizeof(v), "%.3f", mcp_now() + ahead);
	snprintf(px, sizeof(px), "%.0f", ceil(ahead * 1000) + 1000);
	if ((r = alert_cmd(st, 5, set)) != NULL)
		freeReplyObject(r);
}

/*
 * Wait for the next delivery's turn: 0, or -1 when it comes after the
 * deadline or more than PACE_NAP_MAX seconds on (a Retry-After): the run
 * goes on without this route, which a later run delivers.
 */
int
pace_wait(const struct pace *p, double deadline)
{
	double now = mcp_mono(), wait = p->tat - p->tol - now;
	struct timespec ts;

	if (wait <= 0)
		return 0;
	if (now + wait > deadline || wait > PACE_NAP_MAX)
		return -1;
	ts.tv_sec = (time_t)wait;
	ts.tv_nsec = (long)((wait - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
	return 0;
}

void
pace_sent(struct pace *p, double ra)
{
	double now = mcp_mono();

	if (p->t > 0)
		p->tat = fmax(p->tat, now) + p->t;
	/* A receiver that asked to wait is left alone until then, every job of the route. */
	if (ra > 0)
		p->tat = fmax(p->tat, now + ra + p->tol);
}
