/*
 * short.c - the short runners of a window: a region whose runs could not
 * judge a large share of their targets (mcp-probe's unjudged results: not
 * started, ended to make room, ended by the run's end) has too few jobs
 * or too short a deadline for its fleet.  Its unjudged results count for
 * nothing (push keeps them out of the slots the verdict reads: its region
 * does not report those slugs); what it judged counts as any region's.
 * The verdict names it in runner_short, with the figures, and mcp-alert's
 * watchdog opens a runner-short incident.  The counts are push's, in
 * mcp:runs:W (mcp-store(7)): one small read a verdict run.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"

/* Count the field "REGION:WHAT" = v into s. */
static void
add_field(void *arg, const char *f, const char *v)
{
	struct agg_shorts *s = arg;
	const char *c = strrchr(f, ':');
	char name[MCP_SLUG_MAX + 1];
	struct agg_short_region *g;
	long n = strtol(v, NULL, 10);
	size_t i, len;
	int k;

	if (c == NULL || (len = (size_t)(c - f)) == 0 || len > MCP_SLUG_MAX || n < 0)
		return;
	/* A count no runner makes: bounded, so that the shares below cannot overflow. */
	if (n > 1000000000L)
		n = 1000000000L;
	memcpy(name, f, len);
	name[len] = '\0';
	if (!mcp_slug_ok(name))
		return;
	for (i = 0; i < s->n && strcmp(s->r[i].name, name) != 0; i++)
		;
	if (i == s->n) {
		if (s->n == AGG_FAULT_REGIONS)
			return;
		memset(&s->r[s->n], 0, sizeof(s->r[0]));
		snprintf(s->r[s->n++].name, sizeof(s->r[0].name), "%s", name);
	}
	g = &s->r[i];
	if (strcmp(c + 1, "n") == 0)
		g->results = n;
	for (k = 1; k <= AGG_UJ_CODES; k++)
		if (strcmp(c + 1, agg_unjudged_name(k)) == 0)
			g->uj[k] = n;
}

/* Short: at least AGG_SHORT_MIN unjudged, more than AGG_SHORT_PERCENT of its results. */
static void
judge_short(struct agg_short_region *g)
{
	int k;

	g->unjudged = 0;
	for (k = 1; k <= AGG_UJ_CODES; k++)
		g->unjudged += g->uj[k];
	if (g->results < g->unjudged)
		g->results = g->unjudged;
	g->is_short = g->unjudged >= AGG_SHORT_MIN &&
	    g->unjudged * 100 > (long)AGG_SHORT_PERCENT * g->results;
}

int
agg_shorts_read(struct mcp_store *st, long long window, struct agg_shorts *s)
{
	char key[64];
	size_t i;

	s->n = 0;
	snprintf(key, sizeof(key), "mcp:runs:%lld", window);
	if (agg_hash_each(st, key, add_field, s) == -1)
		return -1;
	for (i = 0; i < s->n; i++)
		judge_short(&s->r[i]);
	return 0;
}

/* The figures of one region: results, unjudged, and each reason. */
static cJSON *
region_json(const struct agg_short_region *g)
{
	cJSON *e = cJSON_CreateObject();
	int k;

	cJSON_AddStringToObject(e, "region", g->name);
	cJSON_AddNumberToObject(e, "results", (double)g->results);
	cJSON_AddNumberToObject(e, "unjudged", (double)g->unjudged);
	for (k = 1; k <= AGG_UJ_CODES; k++)
		cJSON_AddNumberToObject(e, agg_unjudged_name(k), (double)g->uj[k]);
	return e;
}

void
agg_shorts_add(cJSON *o, const struct agg_shorts *s)
{
	const struct agg_short_region *g[AGG_FAULT_REGIONS];
	cJSON *a;
	size_t i, j, n = 0;

	for (i = 0; i < s->n; i++) {
		if (!s->r[i].is_short)
			continue;
		for (j = n++; j > 0 && strcmp(g[j - 1]->name, s->r[i].name) > 0; j--)
			g[j] = g[j - 1];
		g[j] = &s->r[i];
	}
	/* As probe_fault_detail: only when there are any. */
	if (n == 0 || (a = cJSON_AddArrayToObject(o, "runner_short")) == NULL)
		return;
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, region_json(g[i]));
}

int
agg_shorts_table(const struct agg_shorts *s, long long window)
{
	char asof[32];
	size_t i;
	int any = 0, k;

	for (i = 0; i < s->n; i++)
		any |= s->r[i].unjudged > 0;
	if (!any)
		return 0;
	mcp_iso8601((double)window, asof, sizeof(asof));
	if (printf("\nUNJUDGED in the window of %s (mcp-probe could not judge them: not "
	           "reporting, never failing)\n%-24s  %7s  %8s  %11s  %7s  %9s  %s\n",
	        asof, "REGION", "RESULTS", "UNJUDGED", "NOT_STARTED", "EVICTED", "RUN_ENDED",
	        "SHORT") < 0)
		return -1;
	for (i = 0; i < s->n; i++) {
		const struct agg_short_region *g = &s->r[i];

		k = printf("%-24s  %7ld  %8ld  %11ld  %7ld  %9ld  %s\n", g->name, g->results,
		    g->unjudged, g->uj[1], g->uj[2], g->uj[3],
		    g->is_short ? "short: too few jobs or too short a deadline" : "-");
		if (k < 0)
			return -1;
	}
	return 0;
}
