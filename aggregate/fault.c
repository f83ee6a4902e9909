/*
 * fault.c - the probe-fault judgment of a window (mcp-aggregate(1),
 * "Probe faults"): counts over every slug, then which regions are blind;
 * no I/O.
 *
 * A region's failure counts against it only where another region passed
 * the same slug (a server down everywhere says nothing about any probe),
 * its pass for it.  A region is a candidate when those failures are at
 * least min slugs and more than percent of them and its passes together:
 * by default more than three failures for each pass.  A blind runner
 * passes nothing that others pass; a publisher's entries that fail only
 * the regions they choose must outnumber three times what such a region
 * passes, so that a set as large as the rest of the fleet blinds no region
 * that passes half of that rest (mcp-aggregate(1) has the bound).
 * A region's word on the other fields counts the same way: a pass whose
 * tool hash differs from the one the other regions (two at least) agree
 * on, or a certificate expiry more than AGG_CERT_FAR earlier than every
 * other region's (two at least) for the slug, counts against it as a
 * failure would (and not for it as a pass), so that one region's token reporting another tool
 * list or a certificate about to expire for the whole fleet is set aside
 * as a blind runner is, by the same thresholds and the same bound.
 *
 * Candidates are blind only while some reporting region is not a
 * candidate itself: when every region fails the others' slugs (two
 * regions splitting the fleet, say) nothing tells which probe is blind,
 * and the verdicts stand as they are.
 *
 * A region whose runner says its own canary failed (mcp-probe --canary)
 * is blind whatever the thresholds, alone or with one slug: it told us
 * so.  Its passes count against no other region, and it is no region
 * that clears the others.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
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

/* aggregate.h: the counts of g added to its region's in f (vshard.c's sum). */
void
agg_fault_merge(struct agg_faults *f, const struct agg_fault_region *g)
{
	struct agg_fault_region *t = find(f, g->name);
	int s;

	if (t == NULL)
		return;
	t->probed += g->probed;
	t->passed += g->passed;
	t->failed += g->failed;
	t->hash += g->hash;
	t->cert += g->cert;
	for (s = 0; s < MCP_NSTEPS; s++)
		t->steps[s] += g->steps[s];
}

void
agg_fault_canary(struct agg_faults *f, const char *region)
{
	struct agg_fault_region *g = find(f, region);

	if (g != NULL)
		g->canary = 1;
}

/*
 * The tool-list id that the regions other than i agree on (each passing
 * with one, none blind by its canary), or 0 when they carry none, differ
 * among themselves, or are one region: one region's word against one is
 * no majority, and nothing tells which is right.
 */
static unsigned
others_hash(const struct agg_rstate *s, struct agg_fault_region *const *g, size_t n, size_t i)
{
	unsigned h = 0;
	size_t j, k = 0;

	for (j = 0; j < n; j++) {
		if (j == i || g[j] == NULL || g[j]->canary || s[j].step >= 0 || s[j].hash == 0)
			continue;
		if (h != 0 && s[j].hash != h)
			return 0;
		h = s[j].hash, k++;
	}
	return k >= 2 ? h : 0;
}

/*
 * The earliest certificate expiry of the regions other than i, or -1,
 * also when they are one region (as others_hash: else a token reporting
 * certificates far later than the only other region's would make that
 * region the one far earlier, and set it aside).
 */
static double
others_cert(const struct agg_rstate *s, struct agg_fault_region *const *g, size_t n, size_t i)
{
	double e = -1;
	size_t j, k = 0;

	for (j = 0; j < n; j++)
		if (j != i && g[j] != NULL && !g[j]->canary && s[j].cert >= 0) {
			k++;
			if (e < 0 || s[j].cert < e)
				e = s[j].cert;
		}
	return k >= 2 ? e : -1;
}

/*
 * What region i of a slug reports that the others contradict: a tool
 * hash of a pass that differs from the one they agree on, a certificate
 * expiry far earlier than each of theirs.  Bit 0 the hash, bit 1 the
 * certificate.
 */
static int
disagrees(const struct agg_rstate *s, struct agg_fault_region *const *g, size_t n, size_t i)
{
	unsigned h;
	double e;
	int d = 0;

	if (s[i].step < 0 && s[i].hash != 0 && (h = others_hash(s, g, n, i)) != 0 && h != s[i].hash)
		d |= 1;
	if (s[i].cert >= 0 && (e = others_cert(s, g, n, i)) >= 0 && s[i].cert + AGG_CERT_FAR < e)
		d |= 2;
	return d;
}

/* A region whose canary failed passes nothing that counts against another. */
void
agg_fault_add(struct agg_faults *f, const struct agg_rstate *s, size_t n)
{
	struct agg_fault_region *g[AGG_FAULT_REGIONS];
	size_t i, passes = 0;
	int fails, d;

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
		fails = s[i].step >= 0 && s[i].step < MCP_NSTEPS && passes > 0;
		d = disagrees(s, g, n, i);
		g[i]->passed += s[i].step < 0 && d == 0;
		g[i]->failed += fails || d != 0;
		g[i]->hash += d & 1;
		g[i]->cert += (d & 2) != 0;
		if (fails)
			g[i]->steps[s[i].step]++;
	}
}

static int
candidate(const struct agg_faults *f, const struct agg_fault_region *g)
{
	return f->min > 0 && g->failed >= f->min &&
	    g->failed * 100 > (long)f->percent * (g->failed + g->passed);
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

void
agg_fault_drop(const struct agg_faults *f, struct agg_result *res, size_t *nres, const char **seen,
    size_t *nseen)
{
	size_t i, k;

	if (f->n == 0)
		return;
	for (i = k = 0; i < *nres; i++)
		if (agg_fault_blind(f, res[i].region) == NULL)
			res[k++] = res[i];
	*nres = k;
	for (i = k = 0; i < *nseen; i++)
		if (agg_fault_blind(f, seen[i]) == NULL)
			seen[k++] = seen[i];
	*nseen = k;
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
