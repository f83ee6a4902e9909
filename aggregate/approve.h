/*
 * approve.h - a person's answer to what a server serves (approve.c): the
 * answers of mcp-aggregate tools --approve and --reject, kept in
 * mcp:{SLUG}:appr, and the holds they take away (mcp:{SLUG}:hold).  What
 * the verdict reads of them is the review's rule (review.h).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef AGG_APPROVE_H
#define AGG_APPROVE_H

#include <cJSON.h>

#include "aggregate.h"

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
 * mcp:{SLUG}:apl:HEX, the holds of the regions answered taken away, one
 * script.  Without a region, a region apart whose list has high or medium
 * findings, or whose text the store could not read, is not approved: it
 * is said, and left waiting.  An exit code: 1 when one was left.
 */
int agg_answer(struct mcp_store *st, const char *slug, const redisReply *hv, const redisReply *lh,
    const struct agg_answer *a);

#endif
