/*
 * findings.h - the findings of the text rules (mcp-rules(7)) from each
 * region's result to the verdict (findings.c says what the store keeps).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef AGG_FINDINGS_H
#define AGG_FINDINGS_H

#include <cJSON.h>
#include <hiredis.h>

#include "store.h"

#define AGG_FINDINGS_RULES 256   /* "MCPU-P001,..." of one result */
#define AGG_FINDINGS_RULES_W 255 /* its width in a scanf conversion */
#define AGG_FINDINGS_FIRST 2048  /* the findings a result names in full, as JSON */
#define AGG_INSTR_MAX 65536      /* bytes of instructions a result carries (PROBE_INSTR_SENT) */
#define AGG_STR_(x) #x
#define AGG_STR(x) AGG_STR_(x)

struct agg_findings {
	int present; /* the result said "findings" (an object) */
	long count;
	char worst[8];
	char rules[AGG_FINDINGS_RULES];
	char first[AGG_FINDINGS_FIRST]; /* its "first", checked and cut (JSON), or "" */
	/*
	 * Those of the server's instructions, which the store does not keep,
	 * judged from the text its "server" carries (count 0 without); added
	 * to its lists' as the store judged them.
	 */
	long srv_count;
	char srv_worst[8];
	char srv_rules[AGG_FINDINGS_RULES];
	char srv_first[AGG_FINDINGS_FIRST];
	/*
	 * Instructions longer than a result carries (findings.server
	 * text_cut, the text a full AGG_INSTR_MAX): the SHA-256 of the
	 * whole and the runner's findings on the part the store never
	 * receives ("tail"), counted only where the regions agree
	 * (tail.c); "" for none.
	 */
	char srv_sha[80];
	char tail_worst[8];
	char tail_rules[AGG_FINDINGS_RULES];
};

/* 1 when the comma-separated list csv names the rule id r (its first n bytes). */
int agg_rule_in(const char *csv, const char *r, size_t n);

/* The result's "findings" into f (absent or null: not present); -1 with why. */
int agg_findings_check(const cJSON *rec, struct agg_findings *f, char *err, size_t len);
/*
 * Queue what push keeps of a result's findings (one reply): its lists'
 * (hex: of its tool, resource and prompt lists, "" for none) as judged
 * where they are stored, else the runner's f; 0 or -1.
 */
int agg_findings_append(struct mcp_store *st, const char *slug, const char *region,
    const char *started, const struct agg_findings *f, const char *const hex[3]);
/* Queue the verdict's read of the slug's findings (one reply: HGETALL). */
void agg_findings_read(struct mcp_store *st, const char *slug);
/*
 * The verdict's "findings" of window from that reply (nseen: the regions
 * that reported the slug in the day): absent when none was kept.
 */
void agg_findings_add(cJSON *o, const redisReply *h, long long window, size_t nseen);

/*
 * tail.c: the findings of instructions past the part a result carries
 * that the regions agree on (those of the day, LAST since; two regions,
 * or the one of a slug nseen says has one): {"rules","worst","regions",
 * "at" (when they came to agree),"first_sight"?}, owned, or NULL.
 */
cJSON *agg_tail_agreed(const redisReply *h, double since, size_t nseen);

#endif
