/*
 * approve.h - the lists a person approved or rejected (approve.c): the
 * answers of mcp-aggregate tools --approve and --reject, kept in
 * mcp:{SLUG}:appr, the first sight of a list never answered in
 * mcp:{SLUG}:pin, and the review state the verdict says of each kind
 * (mcp-aggregate(1) "tools", "verdict"; mcp-store(7) "Lists").
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef AGG_APPROVE_H
#define AGG_APPROVE_H

#include <cJSON.h>

#include "aggregate.h"

#define AGG_REVIEW_CHANGES 8 /* changes a kind's review state names, the newest */

/* What tools --approve or --reject asks. */
struct agg_answer {
	int reject;         /* 0: approve */
	const char *region; /* NULL: every region */
	const char *by;     /* who answers */
	int kinds;          /* bits 1 << MCP_LIST_*: the kinds answered */
	int json;
};

/*
 * Answer what the slug serves now (hv: HGETALL hash, lh: HGETALL lhash):
 * the fields of mcp:{SLUG}:appr written, the lists' texts copied to
 * mcp:{SLUG}:apl:HEX, one script.  An exit code.
 */
int agg_answer(struct mcp_store *st, const char *slug, const redisReply *hv, const redisReply *lh,
    const struct agg_answer *a);

/*
 * The verdict's read of the review (one command, queued): the answers,
 * the pins (written here for a kind first seen), the regions' lists and,
 * when a region serves another list than its answer's or pin's, the
 * history's entries since.
 */
extern const char agg_review_lua[];
int agg_review_append(struct mcp_store *st, const char *sha, const char *slug, long long window);
/* "review" into the verdict o from the reply r of agg_review_lua. */
void agg_review_add(cJSON *o, const redisReply *r, long long window);

#endif
