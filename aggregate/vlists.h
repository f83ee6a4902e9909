/*
 * vlists.h - the verdict's reading of a slug's lists (vlists.c): the
 * changes of drift entries, tools_divergence, the change history.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef AGG_VLISTS_H
#define AGG_VLISTS_H

#include <cJSON.h>

#include "aggregate.h"

extern const char agg_vlists_lua[];
extern const char agg_vhist_lua[];

/*
 * The verdict's memory for lists: a slug's lists are read with at most
 * AGG_VLIST_BYTES of text (a list past it says change_unknown
 * "too_large"), and AGG_VLIST_GROUP slugs' at a time, each slug's freed
 * once its record is made.
 */
#define AGG_VLIST_BYTES (2 << 20)
#define AGG_VLIST_GROUP 8

/* The lists read for a slug: borrowed from the reply of agg_vlists_lua. */
#define AGG_LCACHE_MAX 64
struct agg_lcache {
	int read;              /* the round trip was made and answered */
	const redisReply *hv;  /* HGETALL hash: region -> "STARTED HASH" */
	const redisReply *tch; /* the history, member and score */
	const redisReply *lsi; /* the lists kept, KIND:HEX, newest first */
	const redisReply *idm; /* ID, HASH: the ids of the regions' latest hashes, or NULL */
	size_t n;
	struct {
		const char *hash, *text; /* text "": not kept */
		size_t len;
		int parsed;
		cJSON *list;     /* owned, once parsed; NULL: why */
		const char *why; /* static */
	} e[AGG_LCACHE_MAX];
};

/* 1 when the slug's window wants its lists read: drift, or divergence. */
int agg_vlists_need(const redisReply *drift, int divergence);
/* Queue the read (one command) of the lists drift and divergence name. */
int agg_vlists_append(struct mcp_store *st, const char *sha, const char *slug,
    const redisReply *drift, int divergence);
void agg_lcache_load(struct agg_lcache *c, const redisReply *r);
void agg_lcache_free(struct agg_lcache *c);

/*
 * The drift entries of the reply z ("W REGION FROM TO [KIND]"), each
 * with its kind and, with c, its change or change_unknown.
 */
cJSON *agg_drift_json(const redisReply *z, struct agg_lcache *c);
/*
 * tools_divergence into o when d says divergence: from the regions'
 * latest results of the divergence span up to window (res, the blind
 * regions' dropped), their 16-bit ids told as full hashes by the slug's
 * ids map, else by the hashes the store names (the regions' latest,
 * drift, the lists kept, the history).
 */
void agg_tools_divergence(cJSON *o, struct agg_lcache *c, const struct agg_decision *d,
    const struct agg_result *res, size_t nres, long long window, const redisReply *drift);
/* A command of the store, its arguments owned. */
struct agg_hcmd {
	int argc; /* 0: none */
	char **argv;
	size_t *len;
};
/*
 * The history's write for the drift entries (agg_drift_json's) into h,
 * its own copy, so that the lists it was made from may be freed before it
 * is queued (agg_hcmd_append): h->argc 0 for none.  0, or -1 (no memory).
 */
int agg_history_cmd(const char *sha, const char *slug, const struct agg_lcache *c,
    const cJSON *drift, long long window, struct agg_hcmd *h);
int agg_hcmd_append(struct mcp_store *st, const struct agg_hcmd *h);
void agg_hcmd_free(struct agg_hcmd *h);

#endif
