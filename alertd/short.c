/*
 * short.c - the watchdog's runner-short incidents (mcp-alert(1),
 * "Watchdog"): a region the verdicts name in runner_short (mcp-aggregate(1),
 * "Unjudged results") could not judge a large share of its targets, for
 * want of jobs or of time.  Its unjudged results count for nothing, its
 * judged ones as any region's: the servers are not at fault, the runner
 * is, and the operator is told so once, a P2 of the region's own, with
 * the figures; resolved in the first window it reports, not short.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alert.h"
#include "rules.h"

/* Whether name is among the regions of runner_short a. */
static const cJSON *
short_entry(const cJSON *a, const char *name)
{
	const cJSON *e, *f;

	cJSON_ArrayForEach(e, a)
	{
		f = cJSON_GetObjectItemCaseSensitive(e, "region");
		if (cJSON_IsString(f) && strcmp(f->valuestring, name) == 0)
			return e;
	}
	return NULL;
}

static long
count_of(const cJSON *e, const char *k)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(e, k);

	return cJSON_IsNumber(f) && f->valuedouble >= 0 && f->valuedouble < 1e12
	    ? (long)f->valuedouble
	    : 0;
}

static void
note_one(struct wd *w, double window, const cJSON *e)
{
	static const char *const why[] = {"not_started", "evicted", "run_ended"};
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(e, "region");
	struct wd_region *r;
	int k;

	if (!cJSON_IsString(f) || !mcp_slug_ok(f->valuestring) ||
	    (r = wd_find(w, f->valuestring, 1)) == NULL)
		return;
	w->newest = fmax(w->newest, window);
	r->listed = fmax(r->listed, window);
	r->sfirst = r->sfirst > 0 ? fmin(r->sfirst, window) : window;
	if (window < r->shortw)
		return;
	r->shortw = window;
	r->s_results = count_of(e, "results");
	r->s_uj = count_of(e, "unjudged");
	for (k = 0; k < 3; k++)
		r->s_why[k] = count_of(e, why[k]);
}

void
wd_note_short(struct wd *w, double window, const cJSON *rec)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(rec, "runner_short");
	const cJSON *rep = cJSON_GetObjectItemCaseSensitive(rec, "reporters"), *e;
	struct wd_region *r;

	cJSON_ArrayForEach(e, a) note_one(w, window, e);
	/* Every record of a window names the same short regions: a reporter not named is not. */
	cJSON_ArrayForEach(e, rep)
	{
		if (cJSON_IsString(e) && mcp_slug_ok(e->valuestring) &&
		    short_entry(a, e->valuestring) == NULL &&
		    (r = wd_find(w, e->valuestring, 1)) != NULL)
			r->sok = fmax(r->sok, window);
	}
}

/*
 * The runner-short incident of g: open while its newest short window is
 * newer than its newest window reporting and not short, resolved at the
 * first window it reports, not short.
 */
int
wd_short(struct ctx *x, struct wd_region *g, const cJSON *one)
{
	char sum[512], a[8], b[8], d[64];
	int rc = 0;

	if (!g->sh.open && g->shortw > 0 && g->shortw > g->sok) {
		g->sh.open = 1;
		g->sh.start = g->sfirst > g->sok ? g->sfirst : g->shortw;
		alert_hm(a, sizeof(a), g->sh.start);
		snprintf(sum, sizeof(sum),
		    "runner %s short since %s UTC: %ld of %ld results unjudged (%ld not started, "
		    "%ld ended to make room, %ld ended by the run's end): too few jobs (-j) or too "
		    "short a deadline (-d) for its targets; its unjudged results are left out",
		    g->name, a, g->s_uj, g->s_results, g->s_why[0], g->s_why[1], g->s_why[2]);
		rc = wd_emit(x, &g->sh, g->name, WD_SHORT, "trigger", "P2", one, sum, 0);
	} else if (g->sh.open && g->sok > g->shortw) {
		alert_hm(a, sizeof(a), g->sh.start);
		alert_hm(b, sizeof(b), g->sok);
		dur_text(d, sizeof(d), g->sok - g->sh.start);
		snprintf(sum, sizeof(sum),
		    "runner %s judges its targets again after %s (%s\xe2\x80\x93%s UTC)", g->name,
		    d, a, b);
		rc = wd_emit(x, &g->sh, g->name, WD_SHORT, "resolve", "P2", one, sum, g->sok);
	}
	if (!g->sh.open && g->sok >= g->shortw)
		g->sfirst = 0;
	return rc;
}

/* "SHORTW SFIRST SOK RESULTS UNJUDGED NS EV RE OPEN START ROUTES" */
int
wd_short_parse(struct wd_region *g, const char *v)
{
	int n;

	if (sscanf(v, "%lf %lf %lf %ld %ld %ld %ld %ld %n", &g->shortw, &g->sfirst, &g->sok,
	        &g->s_results, &g->s_uj, &g->s_why[0], &g->s_why[1], &g->s_why[2], &n) != 8)
		return 0;
	wd_track_parse(&g->sh, v + n);
	return 1;
}

int
wd_short_value(const struct wd_region *g, char *buf, size_t len)
{
	if (g->shortw <= 0 && !g->sh.open)
		return 0;
	snprintf(buf, len, "%.0f %.0f %.0f %ld %ld %ld %ld %ld %d %.0f %s", g->shortw, g->sfirst,
	    g->sok, g->s_results, g->s_uj, g->s_why[0], g->s_why[1], g->s_why[2], g->sh.open,
	    g->sh.start, g->sh.routes[0] ? g->sh.routes : "-");
	return 1;
}

void
wd_short_merge(struct wd_region *g, const struct wd_region *s)
{
	int k;

	g->sok = fmax(g->sok, s->sok);
	if (s->shortw > g->shortw) {
		g->shortw = s->shortw, g->s_results = s->s_results, g->s_uj = s->s_uj;
		for (k = 0; k < 3; k++)
			g->s_why[k] = s->s_why[k];
	}
	if (s->sfirst > 0)
		g->sfirst = g->sfirst > 0 ? fmin(g->sfirst, s->sfirst) : s->sfirst;
}
