/*
 * reviewint.h - what the review's files share (review.h is their way in):
 * review.c the rule, kind by kind; reviewdiff.c the differences between a
 * region's base and its list, and their classes; reviewhold.c the store's
 * judgment of a list, what the runners agree on, and the holds.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef AGG_REVIEWINT_H
#define AGG_REVIEWINT_H

#include <cJSON.h>
#include <hiredis.h>

#include "aggregate.h"
#include "review.h"

#define DIFF_FIELDS 9
#define DIFF_MAX (3 * AGG_FAULT_REGIONS)

/* One difference of the read's last element: borrowed strings. */
struct diff {
	int k;
	const char *region, *base, *cur, *memo, *lfb, *lfc, *ucur, *texts;
};

/* The classes by rank, 0 "none" to 3 "breaking"; CLASS_UNKNOWN: not there to compare. */
#define CLASS_UNKNOWN (-1)
extern const char *const review_class_word[];
extern const char *const review_sev_word[];

/* The review's writes: holds begun or grown, classes worked out. */
struct rwrite {
	const char *argv[6 + 3 * (2 * DIFF_MAX)];
	char *own[2 * DIFF_MAX * 2];
	size_t n, nown;
};

/* Everything one kind's state is read from. */
struct rctx {
	const redisReply *r, *texts, *findings;
	const char *const
	    *blind; /* the regions the window judged blind: no wait of theirs begins */
	size_t nblind;
	const cJSON *drift;
	struct diff *d;
	size_t nd;
	long long window;
	struct rwrite *w;
	const char *unread; /* of the kind being read: row i's list never judged (unread[i]) */
};

/* review.c: a reply's field parsed (owned, or NULL); a string member, or ""; a number. */
cJSON *review_field_json(const redisReply *h, const char *f);
const char *review_str(const cJSON *o, const char *k);
double review_num(const cJSON *o, const char *k);
/* The string s added to the array of strings a, once. */
void review_name_add(cJSON *a, const char *s);

/* reviewdiff.c */
/* The read's differences into d (at most max): their number. */
size_t review_diffs_of(const redisReply *r, struct diff *d, size_t max);
/* A class's rank (CLASS_UNKNOWN for none known); the worse of two, breaking first. */
int review_class_rank(const char *c);
int review_class_worse(int a, int b);
/* A rank as JSON: its word, or null for CLASS_UNKNOWN (owned). */
cJSON *review_class_json(int c);
/*
 * The class of d: known already, or worked out from the texts read (t),
 * *memo 1 when the store is to keep it; CLASS_UNKNOWN when not there.
 */
int review_diff_class(const struct diff *d, const redisReply *t, int *memo);

/* reviewhold.c */
/* 1 when the window judged region blind (a probe fault): it begins no wait. */
int review_is_blind(const struct rctx *x, const char *region);
/* The difference of region in kind k, or NULL. */
const struct diff *review_diff_find(const struct rctx *x, int k, const char *region);
/* The hold of kind k in region (owned), or NULL. */
cJSON *review_hold_of(const struct rctx *x, int k, const char *region);
/*
 * Why region's list d waits for a person, a new hold (owned), or NULL:
 * answered, its base is a person's answer (or a first list held for its
 * findings); cls the class of the difference; v, n the kind's rows.
 */
cJSON *review_hold_new(const struct rctx *x, const struct diff *d, int answered, int cls,
    const struct lrow *v, size_t n);
/*
 * What the runners agree on of the lists the store could not read (rows
 * of unread[i]), as {worst, rules, regions} (owned), or NULL.
 */
cJSON *review_runners_agree(
    const redisReply *f, const struct lrow *v, size_t n, const char *unread);
/* A hold there grown by what it would begin now (nw): 1 when it changed. */
int review_hold_grow(cJSON *h, const cJSON *nw);
/* 1 when h waits only for a list never read, no one paged; dropped by the store's reading. */
int review_hold_quiet(const cJSON *h);
void review_hold_drop(const struct rctx *x, int k, const char *region);
/* A hold queued for the verdict's write; said in the verdict's array a. */
void review_hold_write(const struct rctx *x, int k, const char *region, const cJSON *h);
void review_hold_say(cJSON *a, const char *region, const cJSON *h);
/* A write queued: H a hold, M a class, the field, the value (copied). */
void review_write_add(struct rwrite *w, const char *op, const char *f, const char *v);
/* The writes as one command (owned copies): none when w holds nothing. */
void review_write_cmd(struct rwrite *w, const char *slug, struct agg_hcmd *h);
/* A held first list said (its findings, or why unread and the runners' word) into o. */
void review_held_add(
    const struct rctx *x, int k, cJSON *o, const cJSON *pin, const struct lrow *v, size_t n);

#endif
