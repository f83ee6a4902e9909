/*
 * guard.c - the guards of mcp-aggregate registry sync: a sync that would
 * change too much to be believed, by whatever path, changes nothing
 * (mcp-aggregate(1) "registry sync").  A registry's listing is anyone's
 * to publish in: a hostile or cut one must not empty the fleet, nor flood
 * the store.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync.h"

/* Why a field probed before the sync would no longer be. */
enum lost { LOST_DELETED, LOST_GONE, LOST_STRIPPED, LOST_REFUSED, LOST_CONF, LOST_LOCAL, NLOST };

static const char *const lost_names[NLOST] = {
    "marked deleted by the registry",
    "gone from the listing",
    "remotes no longer listed by their server",
    "refused now",
    "needing configuration now",
    "local-only now",
};

const char *
reg_thousands(long n, char *buf, size_t len)
{
	char d[32];
	size_t i, o = 0, k = (size_t)snprintf(d, sizeof(d), "%ld", n);

	for (i = 0; i < k && o + 2 < len; i++) {
		if (i > 0 && d[i - 1] != '-' && (k - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = d[i];
	}
	buf[o] = '\0';
	return buf;
}

/* 1 when f is printed by targets: in state probe, not deleted. */
static int
probed(const struct reg_field *f)
{
	return !f->deleted && f->key[0] != '?' && reg_state_of(f) == REG_PROBE;
}

int
reg_probed_begin(const struct sync *s, struct reg_probed *p)
{
	size_t i;
	int added;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < s->old.n; i++) {
		if (!probed(&s->old.v[i]))
			continue;
		if (mcp_strmap_put(&p->set, s->old.v[i].slug, &added) == NULL)
			return -1;
		p->n++;
	}
	return 0;
}

void
reg_probed_free(struct reg_probed *p)
{
	mcp_strmap_free(&p->set);
	memset(p, 0, sizeof(*p));
}

/* The fields of p no longer probed after the merge, by why, into lost. */
static void
count_lost(const struct sync *s, const struct reg_probed *p, long lost[NLOST])
{
	const struct reg_field *f;
	size_t i, found = 0;

	memset(lost, 0, NLOST * sizeof(*lost));
	for (i = 0; i < s->old.n; i++) {
		f = &s->old.v[i];
		if (f->slug == NULL || mcp_strmap_get(&p->set, f->slug) == NULL)
			continue;
		found++;
		if (probed(f))
			continue;
		if (f->deleted && mcp_strmap_get(&s->newkey, f->key) != NULL)
			lost[LOST_DELETED]++;
		else if (f->deleted && mcp_strmap_get(&s->names, f->name) != NULL)
			lost[LOST_STRIPPED]++;
		else if (f->deleted)
			lost[LOST_GONE]++;
		else
			lost[reg_state_of(f) == REG_NEEDS_CONF ? LOST_CONF
			        : reg_state_of(f) == REG_LOCAL ? LOST_LOCAL
			                                       : LOST_REFUSED]++;
	}
	lost[LOST_GONE] += (long)(p->n - found);
}

/* The targets the sync would stop probing, past the guard's share: 1 (why in err), else 0. */
static int
shrinks(const struct sync *s, const struct reg_probed *p, char *err, size_t len)
{
	long lost[NLOST], all = 0;
	const char *sep;
	char a[32], b[32];
	size_t o;
	int i;

	count_lost(s, p, lost);
	for (i = 0; i < NLOST; i++)
		all += lost[i];
	if (all <= REG_GONE_MIN || all * 100 <= (long)p->n * REG_GONE_SHARE)
		return 0;
	o = (size_t)snprintf(err, len, "the sync would stop probing %s of %s targets (over %d %%):",
	    reg_thousands(all, a, sizeof(a)), reg_thousands((long)p->n, b, sizeof(b)),
	    REG_GONE_SHARE);
	for (i = 0, sep = ""; i < NLOST && o < len; i++)
		if (lost[i] > 0) {
			o += (size_t)snprintf(err + o, len - o, "%s %s %s", sep,
			    reg_thousands(lost[i], a, sizeof(a)), lost_names[i]);
			sep = ",";
		}
	if (o < len)
		snprintf(err + o, len - o, ": a hostile or cut listing?");
	return 1;
}

int
reg_too_much(const struct sync *s, const struct reg_probed *p, const struct counts *prev,
    const struct counts *c, char *err, size_t len)
{
	char a[32], b[32];

	if (s->gone > REG_GONE_MIN && s->gone * 100 > prev->servers * REG_GONE_SHARE)
		return snprintf(err, len,
		           "the full pass would delete %s of %s servers (over %d %%): an empty or "
		           "cut listing?",
		           reg_thousands(s->gone, a, sizeof(a)),
		           reg_thousands(prev->servers, b, sizeof(b)), REG_GONE_SHARE),
		       1;
	if (shrinks(s, p, err, len))
		return 1;
	if (prev->servers > 0 && c->targets > 2 * prev->targets + 1000)
		return snprintf(err, len,
		           "the targets would grow from %s to %s (over twice and 1,000 more): a "
		           "flood?",
		           reg_thousands(prev->targets, a, sizeof(a)),
		           reg_thousands(c->targets, b, sizeof(b))),
		       1;
	if (prev->servers > 0 && c->bytes > 2 * prev->bytes + REG_GROW_MIN)
		return snprintf(err, len,
		           "the store would grow from %s to %s bytes (over twice and %d MiB more): "
		           "a flood?",
		           reg_thousands((long)prev->bytes, a, sizeof(a)),
		           reg_thousands((long)c->bytes, b, sizeof(b)), REG_GROW_MIN >> 20),
		       1;
	return 0;
}

int
reg_too_big(const struct counts *c, char *err, size_t len)
{
	char a[32];

	if (c->bytes <= REG_STORE_MAX)
		return 0;
	snprintf(err, len, "the store would hold %s bytes, over %d MiB: a flood?",
	    reg_thousands((long)c->bytes, a, sizeof(a)), REG_STORE_MAX >> 20);
	return 1;
}
