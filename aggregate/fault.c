/*
 * fault.c - the probe-fault judgment of a window (mcp-aggregate(1),
 * "Probe faults"): counts over every slug, then which regions are blind;
 * no I/O.
 *
 * A region's failure counts against it only where another region passed
 * the same slug: a server down everywhere says nothing about any probe.
 * A region is blind when those failures reach both thresholds, and only
 * while some reporting region is not a candidate itself: when every
 * region fails the others' slugs (two regions splitting the fleet, say)
 * nothing tells which probe is blind, and the verdicts stand as they are.
 *
 * A region whose runner says its own canary failed (mcp-probe --canary)
 * is blind whatever the thresholds, alone or with one slug: it told us
 * so.  Its passes count against no other region, and it is no region
 * that clears the others.
 */
#include <stdio.h>
#include <string.h>

#include "aggregate.h"

static struct agg_fault_region *
find(struct agg_faults *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->r[i].name, name) == 0)
			return &f->r[i];
	if (f->n == AGG_FAULT_REGIONS)
		return NULL;
	memset(&f->r[f->n], 0, sizeof(f->r[0]));
	snprintf(f->r[f->n].name, sizeof(f->r[0].name), "%s", name);
	return &f->r[f->n++];
}

void
agg_fault_canary(struct agg_faults *f, const char *region)
{
	struct agg_fault_region *g = find(f, region);

	if (g != NULL)
		g->canary = 1;
}

/* A region whose canary failed passes nothing that counts against another. */
void
agg_fault_add(struct agg_faults *f, const struct agg_rstate *s, size_t n)
{
	struct agg_fault_region *g[AGG_FAULT_REGIONS];
	size_t i, passes = 0;

	if (n > AGG_FAULT_REGIONS)
		n = AGG_FAULT_REGIONS;
	for (i = 0; i < n; i++) {
		g[i] = find(f, s[i].region);
		passes += s[i].step < 0 && g[i] != NULL && !g[i]->canary;
	}
	for (i = 0; i < n; i++) {
		if (g[i] == NULL)
			continue;
		g[i]->probed++;
		if (s[i].step >= 0 && s[i].step < MCP_NSTEPS && passes > 0) {
			g[i]->failed++;
			g[i]->steps[s[i].step]++;
		}
	}
}

static int
candidate(const struct agg_faults *f, const struct agg_fault_region *g)
{
	return f->min > 0 && g->failed >= f->min && g->failed * 100 >= (long)f->percent * g->probed;
}

void
agg_fault_judge(struct agg_faults *f)
{
	size_t i, clear = 0;

	for (i = 0; i < f->n; i++)
		clear += !f->r[i].canary && !candidate(f, &f->r[i]);
	for (i = 0; i < f->n; i++)
		f->r[i].blind = f->r[i].canary || (clear > 0 && candidate(f, &f->r[i]));
}

const struct agg_fault_region *
agg_fault_blind(const struct agg_faults *f, const char *region)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->r[i].blind && strcmp(f->r[i].name, region) == 0)
			return &f->r[i];
	return NULL;
}

int
agg_fault_step(const struct agg_fault_region *g)
{
	int s, best = -1;

	for (s = 0; s < MCP_NSTEPS; s++)
		if (g->steps[s] > 0 && (best < 0 || g->steps[s] > g->steps[best]))
			best = s;
	return best;
}
