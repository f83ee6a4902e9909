/*
 * origin.c - whose slug a result may land under (mcp-aggregate(1), push):
 * a registry slug (a field of mcp:registry:servers, or a slug the sync
 * moved) takes only the results of the registry's targets, those marked
 * "origin":"registry" (mcp-aggregate targets | mcp-probe), and such a
 * result only a registry slug.  So a registry entry that names itself
 * as an operator's target does, or an operator's target that names
 * itself as a registry slug, never mixes its results with the other's.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "json.h"

/* The slugs of the two replies into the set (its own copies): 0, or -1 when memory ran out. */
static int
keep(struct agg_origin *o, redisReply *const *r, size_t nr)
{
	size_t i, k;
	int added;

	for (k = 0; k < nr; k++)
		for (i = 0; i < r[k]->elements; i++)
			if (r[k]->element[i]->type == REDIS_REPLY_STRING &&
			    mcp_strmap_put(&o->slugs, r[k]->element[i]->str, &added) == NULL)
				return -1;
	return 0;
}

void
agg_origin_free(struct agg_origin *o)
{
	mcp_strmap_free(&o->slugs);
}

int
agg_origin_load(struct mcp_store *st, struct agg_origin *o, char *err, size_t len)
{
	const char *a0[] = {"HKEYS", MCP_KEY_REGISTRY}, *a1[] = {"HKEYS", MCP_KEY_ALIASES};
	redisReply *r[2] = {NULL, NULL};
	int rc = -1;

	o->at = mcp_mono();
	if ((r[0] = mcp_store_cmd(st, 2, a0, err, len)) == NULL ||
	    (r[1] = mcp_store_cmd(st, 2, a1, err, len)) == NULL)
		goto out;
	/* The store answered: what it holds is the set, an error an empty one. */
	agg_origin_free(o);
	o->read = 1;
	if (r[0]->type != REDIS_REPLY_ARRAY || r[1]->type != REDIS_REPLY_ARRAY) {
		snprintf(err, len, "HKEYS %s: %s",
		    r[0]->type != REDIS_REPLY_ARRAY ? MCP_KEY_REGISTRY : MCP_KEY_ALIASES,
		    r[0]->type == REDIS_REPLY_ERROR       ? r[0]->str
		        : r[1]->type == REDIS_REPLY_ERROR ? r[1]->str
		                                          : "not a hash");
		goto out;
	}
	if (keep(o, r, 2) == -1) {
		agg_origin_free(o);
		snprintf(err, len, "out of memory");
		goto out;
	}
	rc = 0;
out:
	freeReplyObject(r[0]);
	freeReplyObject(r[1]);
	return rc;
}

const char *
agg_origin_refused(const struct agg_origin *o, const char *slug, int reg, char *why, size_t len)
{
	int theirs;

	/* Never read (the store out of reach): the spool keeps it, the replay checks it. */
	if (!o->read)
		return NULL;
	theirs = mcp_strmap_get(&o->slugs, slug) != NULL;
	if (theirs && !reg)
		snprintf(why, len,
		    "slug \"%s\" is the registry's, and this result is not from its targets "
		    "(no \"origin\":\"registry\"): name the target otherwise, or replace the "
		    "registry's target of that slug in the overrides of mcp-aggregate targets -o",
		    slug);
	else if (!theirs && reg)
		snprintf(why, len,
		    "slug \"%s\" is not the registry's in this store, and this result says it "
		    "comes from the registry's targets (\"origin\":\"registry\"): take the "
		    "targets from the store you push to, and give origin= no line of your own",
		    slug);
	else
		return NULL;
	return why;
}
