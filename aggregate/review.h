/*
 * review.h - the review's rule (review.c): what each region serves of a
 * kind of list against what a person answered (approve.c) or what was
 * pinned at first sight, and what waits for a person's answer
 * (mcp-aggregate(1) "tools", "verdict"; mcp-store(7) "Lists").
 *
 * The rule, in one place: a list waits for a person when it is a first
 * list the store judged high or medium, or could not read; when it is a
 * change from a list a person answered (or a held first list) whose class,
 * that of the difference between that base and what the region serves
 * now, is review or breaking or not known; and when it is a change, from
 * any base, to a list with a high or medium finding the base did not have,
 * or to a list the store could not read.  Once it waits, it waits: the
 * verdict writes a hold (mcp:{SLUG}:hold, KIND:REGION) that only
 * mcp-aggregate tools --approve or --reject takes away, whatever the
 * server serves next.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef AGG_REVIEW_H
#define AGG_REVIEW_H

#include <cJSON.h>

#include "aggregate.h"
#include "vlists.h"

#define AGG_REVIEW_CHANGES 8 /* changes a kind's review state names, the newest */

/* A region's current list of a kind: borrowed from the store's reply. */
struct lrow {
	const char *region, *hash;
	double at; /* its result's start */
};
/*
 * The regions' current lists of kind k (hv: HGETALL hash, lh: HGETALL
 * lhash), sorted by region, into v (at most max): their number.
 */
size_t agg_review_rows(
    int k, const redisReply *hv, const redisReply *lh, struct lrow *v, size_t max);
/* The hash most rows serve (a tie: the one seen latest), or NULL for none. */
const char *agg_review_majority(const struct lrow *v, size_t n);

/*
 * The verdict's read of the review (one command, queued): the answers,
 * the pins (written here for a kind first seen, and judged), the regions'
 * lists, the history since the earliest base, the holds, and for each
 * region serving another list than its base, what the store knows of the
 * two (their findings, whether their text is kept, the class of their
 * difference when it was worked out before).
 */
extern const char agg_review_lua[];
int agg_review_append(struct mcp_store *st, const char *sha, const char *slug, long long window);

/*
 * 1 when the reply r of agg_review_lua names a difference whose class is
 * not yet known and both texts are kept: agg_review_texts_append reads
 * them (one command, queued), in a round trip of the verdict's lists.
 */
extern const char agg_review_texts_lua[];
int agg_review_need(const redisReply *r);
int agg_review_texts_append(
    struct mcp_store *st, const char *sha, const char *slug, const redisReply *r);

/*
 * "review" into the verdict o from the reply r of agg_review_lua, the
 * texts t of agg_review_texts_lua (NULL: none read) and the slug's
 * findings f (HGETALL mcp:{SLUG}:findings: what the runners said of a
 * list the store could not read); blind, the regions the window judged
 * blind (a probe fault), whose lists begin no wait.  What the verdict
 * must write (the holds begun, the classes worked out) into w: w->argc 0
 * for nothing.
 */
void agg_review_add(cJSON *o, const redisReply *r, const redisReply *t, const redisReply *f,
    const char *const *blind, size_t nblind, const char *slug, long long window,
    struct agg_hcmd *w);

#endif
