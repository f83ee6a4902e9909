/*
 * watchdog.c - the watchdog of the probes and the heartbeat (mcp-alert(1),
 * "Watchdog"): a region that has reported for no slug in runner_silent
 * raises one P2 of its own, resolved when it reports again; every region
 * silent raises one P1, "monitoring is blind"; a region the verdicts name
 * in probe_fault (mcp-aggregate(1), "Probe faults") raises one P2,
 * probe-fault, resolved in the first window it reports unblinded; a region
 * the verdicts name in runner_short raises one P2, runner-short (short.c),
 * resolved in the first window it reports, not short.  The regions are known
 * from the verdicts' reporters and missing; the time is the verdicts'
 * (the newest window decided), so a replay decides as the live run did.
 * A region's silence counts from its last result: the store's (the
 * mcp:{SLUG}:seen of slugs that name it missing), or where the store has
 * none that fits the verdicts, the earliest the verdicts allow (its last
 * window reporting, plus a minute, less the lookback).
 * Its state is the hash mcp:alert:watchdog, decided under WATCH.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert.h"
#include "full.h"
#include "rules.h"

#define WD_KEY "mcp:alert:watchdog"
#define WD_FORGET 86400 /* a region no verdict has named for this long is forgotten */
#define WD_FIELD_MAX (ALERT_ROUTES_MAX * ALERT_NAME_MAX + 128)
#define WD_DECIDED 95 /* a window's verdict is decided this long after its start */

/*
 * w emptied.  Its regions are zeroed as they are added (wd_find): a struct
 * wd is 1.5 MB, and zeroing it whole was a third of the pages a run of
 * mcp-alert touched, each a page fault.
 */
void
wd_reset(struct wd *w)
{
	w->newest = 0, w->n = 0;
	memset(&w->blind, 0, sizeof(w->blind));
	memset(&w->full, 0, sizeof(w->full));
}

struct wd_region *
wd_find(struct wd *w, const char *name, int add)
{
	int i;

	for (i = 0; i < w->n; i++)
		if (strcmp(w->r[i].name, name) == 0)
			return &w->r[i];
	if (!add || w->n == ALERT_REGIONS_MAX)
		return NULL;
	memset(&w->r[w->n], 0, sizeof(w->r[0]));
	snprintf(w->r[w->n].name, sizeof(w->r[0].name), "%s", name);
	return &w->r[w->n++];
}

void
wd_note(struct wd *w, const char *slug, double window, const cJSON *reporters, const cJSON *missing)
{
	struct wd_region *r;
	const cJSON *e;

	w->newest = fmax(w->newest, window);
	cJSON_ArrayForEach(e, reporters)
	{
		if (cJSON_IsString(e) && mcp_slug_ok(e->valuestring) &&
		    (r = wd_find(w, e->valuestring, 1)) != NULL)
			r->last = fmax(r->last, window), r->listed = fmax(r->listed, window);
	}
	cJSON_ArrayForEach(e, missing)
	{
		if (cJSON_IsString(e) && mcp_slug_ok(e->valuestring) &&
		    (r = wd_find(w, e->valuestring, 1)) != NULL) {
			r->listed = fmax(r->listed, window), r->miss = fmax(r->miss, window);
			r->first = r->first > 0 ? fmin(r->first, window) : window;
			if (r->nslugs < WD_SLUGS)
				snprintf(r->slugs[r->nslugs++], sizeof(r->slugs[0]), "%s", slug);
		}
	}
}

/*
 * The count k of probe_fault_detail entry d, a whole number of slugs no
 * fleet reaches past: else 0, so that no record's number overflows a long.
 */
static long
count_of(const cJSON *d, const char *k)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(d, k);

	return cJSON_IsNumber(f) && f->valuedouble >= 0 && f->valuedouble <= 1e9
	    ? (long)f->valuedouble
	    : 0;
}

/* A count of probe_fault_detail entry d that is a part of failed, else 0. */
static long
part_of(const cJSON *d, const char *k, long failed)
{
	long n = count_of(d, k);

	return n <= failed ? n : 0;
}

void
wd_note_fault(struct wd *w, double window, const cJSON *rec)
{
	const cJSON *pf = cJSON_GetObjectItemCaseSensitive(rec, "probe_fault");
	const cJSON *det = cJSON_GetObjectItemCaseSensitive(rec, "probe_fault_detail"), *e, *d, *f;
	struct wd_region *r;

	cJSON_ArrayForEach(e, pf)
	{
		if (!cJSON_IsString(e) || !mcp_slug_ok(e->valuestring) ||
		    (r = wd_find(w, e->valuestring, 1)) == NULL)
			continue;
		w->newest = fmax(w->newest, window);
		r->listed = fmax(r->listed, window);
		r->ffirst = r->ffirst > 0 ? fmin(r->ffirst, window) : window;
		if (window < r->fault)
			continue;
		r->fault = window;
		cJSON_ArrayForEach(d, det)
		{
			f = cJSON_GetObjectItemCaseSensitive(d, "region");
			if (!cJSON_IsString(f) || strcmp(f->valuestring, r->name) != 0)
				continue;
			r->failed = count_of(d, "failed");
			r->probed = count_of(d, "probed");
			f = cJSON_GetObjectItemCaseSensitive(d, "step");
			snprintf(r->step, sizeof(r->step), "%s",
			    cJSON_IsString(f) && mcp_step_index(f->valuestring) >= 0
			        ? f->valuestring
			        : "");
			f = cJSON_GetObjectItemCaseSensitive(d, "canary");
			r->canary = cJSON_IsString(f) && strcmp(f->valuestring, "fail") == 0;
			r->hash = part_of(d, "hash", r->failed);
			r->cert = part_of(d, "cert", r->failed);
		}
	}
}

/*
 * "LAST LISTED FIRST OPEN START ROUTES [SINCE]" of a region (SINCE, its
 * last result, absent before it was kept), "OPEN START ROUTES" of blindness.
 */
void
wd_track_parse(struct track *t, const char *s)
{
	char routes[sizeof(t->routes)] = "";
	int open = 0;
	double start = 0;

	memset(t, 0, sizeof(*t));
	if (sscanf(s, "%d %lf %2047s", &open, &start, routes) >= 2 && open == 1) {
		t->open = 1, t->start = start;
		snprintf(
		    t->routes, sizeof(t->routes), "%s", strcmp(routes, "-") == 0 ? "" : routes);
	}
}

static void
wd_parse(struct wd *w, const redisReply *r)
{
	struct wd_region *g;
	const char *f, *v;
	double last, listed, first, fault, ffirst;
	long failed, probed;
	char step[16];
	int n;
	size_t i;

	wd_reset(w);
	for (i = 0; r != NULL && i + 1 < r->elements; i += 2) {
		f = r->element[i]->str, v = r->element[i + 1]->str;
		if (f == NULL || v == NULL)
			continue;
		if (strcmp(f, "newest") == 0)
			w->newest = strtod(v, NULL);
		else if (strcmp(f, "blind") == 0)
			wd_track_parse(&w->blind, v);
		else if (strcmp(f, "full") == 0)
			wd_track_parse(&w->full, v);
		else if (strncmp(f, "r:", 2) == 0 && mcp_slug_ok(f + 2) &&
		    sscanf(v, "%lf %lf %lf %n", &last, &listed, &first, &n) == 3 &&
		    (g = wd_find(w, f + 2, 1)) != NULL) {
			g->last = last, g->listed = listed, g->first = first;
			wd_track_parse(&g->t, v + n);
			if (sscanf(v + n, "%*d %*f %*s %lf", &g->since) != 1)
				g->since = 0;
		} else if (strncmp(f, "f:", 2) == 0 && mcp_slug_ok(f + 2) &&
		    sscanf(v, "%lf %lf %ld %ld %15s %n", &fault, &ffirst, &failed, &probed, step,
		        &n) == 5 &&
		    (g = wd_find(w, f + 2, 1)) != NULL) {
			g->fault = fault, g->ffirst = ffirst, g->failed = failed,
			g->probed = probed;
			snprintf(
			    g->step, sizeof(g->step), "%s", strcmp(step, "-") == 0 ? "" : step);
			wd_track_parse(&g->pf, v + n);
		} else if (strncmp(f, "s:", 2) == 0 && mcp_slug_ok(f + 2) &&
		    (g = wd_find(w, f + 2, 1)) != NULL)
			wd_short_parse(g, v);
	}
}

static void
unwatch(struct ctx *x)
{
	const char *argv[] = {"UNWATCH"};
	redisReply *r;

	if ((r = alert_cmd(x->st, 1, argv)) != NULL)
		freeReplyObject(r);
}

int
wd_load(struct mcp_store *st, struct wd *w)
{
	const char *argv[] = {"HGETALL", WD_KEY};
	redisReply *r;

	if ((r = alert_cmd(st, 2, argv)) == NULL)
		return -1;
	wd_parse(w, r->type == REDIS_REPLY_ARRAY ? r : NULL);
	freeReplyObject(r);
	return 0;
}

/* Trigger or resolve the incident t of slug (a region, or "mcp-uptime"). */
int
wd_emit(struct ctx *x, struct track *t, const char *slug, const char *kind, const char *event,
    const char *sev, const cJSON *regions, const char *summary, double end)
{
	struct alert_ev e = {event, sev, slug, kind, t->start,
	    t->step[0] && strcmp(kind, WD_FAULT) == 0 ? t->step : NULL, regions, summary, -1, NULL,
	    NULL, 0, NULL};
	unsigned long set;

	x->slug = slug, x->maint = 0;
	if (strcmp(event, "resolve") == 0) {
		e.duration = fmax(0, end - t->start);
		set = routes_of(x->c, t->routes);
		t->open = 0;
		return emit_to(x, NULL, &e, set);
	}
	set = alert_routes_for(x->c, sev, mcp_now());
	snprintf(t->sev, sizeof(t->sev), "%s", sev);
	if (emit_to(x, NULL, &e, set) == -1)
		return -1;
	routes_add(x->c, t, set);
	return 0;
}

/*
 * The summary of a region set aside for what it reported passing: tool
 * hashes or certificates the other regions contradict (mcp-aggregate(1),
 * "Probe faults").  It failed none of those: a stale CDN edge of its
 * region reads as this, and so does its token in other hands.
 */
static void
disagree_text(char *sum, size_t len, const struct wd_region *g, const char *since)
{
	char what[160] = "";
	long rest = g->failed - g->hash - g->cert;
	size_t n = 0;

	if (g->hash > 0)
		n += (size_t)snprintf(what + n, sizeof(what) - n, "%ld another tool list", g->hash);
	if (g->cert > 0 && n < sizeof(what))
		n += (size_t)snprintf(what + n, sizeof(what) - n,
		    "%s%ld a certificate expiring a day or more before theirs", n ? ", " : "",
		    g->cert);
	if (rest > 0 && n < sizeof(what))
		snprintf(what + n, sizeof(what) - n, "%s%ld failed%s%s", n ? ", " : "", rest,
		    g->step[0] ? " at " : "", g->step);
	snprintf(sum, len,
	    "probe %s blind since %s UTC: disagrees with the other regions on %ld of %ld slug%s "
	    "(%s), as a CDN edge of its region or its token in other hands would; its results "
	    "are left out",
	    g->name, since, g->failed, g->probed, plural((int)g->probed), what);
}

/*
 * The probe-fault incident of g: open while its newest blind window is
 * newer than its newest window reporting, resolved at the first window it
 * reports unblinded again.
 */
static int
wd_fault(struct ctx *x, struct wd_region *g, const cJSON *one)
{
	char sum[512], a[8], b[8], d[64];
	int rc = 0;

	if (!g->pf.open && g->fault > 0 && g->fault > g->last) {
		g->pf.open = 1;
		g->pf.start = g->ffirst > g->last ? g->ffirst : g->fault;
		snprintf(g->pf.step, sizeof(g->pf.step), "%s", g->step);
		alert_hm(a, sizeof(a), g->pf.start);
		if (g->canary)
			snprintf(sum, sizeof(sum),
			    "probe %s blind since %s UTC: its runner's own canary failed (%ld "
			    "slug%s "
			    "probed); its results are left out",
			    g->name, a, g->probed, plural((int)g->probed));
		else if (g->hash > 0 || g->cert > 0)
			disagree_text(sum, sizeof(sum), g, a);
		else
			snprintf(sum, sizeof(sum),
			    "probe %s blind since %s UTC: failed %ld of %ld slug%s%s%s that other "
			    "regions pass; its results are left out",
			    g->name, a, g->failed, g->probed, plural((int)g->probed),
			    g->step[0] ? " at " : "", g->step);
		rc = wd_emit(x, &g->pf, g->name, WD_FAULT, "trigger", "P2", one, sum, 0);
	} else if (g->pf.open && g->last > g->fault) {
		alert_hm(a, sizeof(a), g->pf.start);
		alert_hm(b, sizeof(b), g->last);
		dur_text(d, sizeof(d), g->last - g->pf.start);
		snprintf(sum, sizeof(sum), "probe %s sees again after %s (%s\xe2\x80\x93%s UTC)",
		    g->name, d, a, b);
		rc = wd_emit(x, &g->pf, g->name, WD_FAULT, "resolve", "P2", one, sum, g->last);
	}
	if (!g->pf.open && g->last >= g->fault)
		g->ffirst = 0;
	return rc;
}

/*
 * The last result of g as far as is known: the store's, else what the
 * verdicts tell.  A region reports in window W when it has a result in
 * [W + 60 - lookback, W + 60): its last window reporting puts its last
 * result at the earliest a minute less the lookback after that window's
 * start.  One never seen reporting has had none since the lookback of the
 * first window that named it missing began, at the latest.
 */
static double
wd_quiet(const struct alert_conf *c, const struct wd_region *g, double heard)
{
	double q = (heard > 0 ? heard : g->first) + 60 - (double)c->lookback;

	return floor(fmax(q, g->since));
}

/*
 * The store full (mcp-store(7) "A full store"): a refusal for memory
 * noted since the window before the newest opens one P2, slug mcp-uptime,
 * naming what was refused; none since resolves it.
 */
static int
wd_full(struct ctx *x, struct wd *w)
{
	char sum[WD_FULL_WORDS + 128], a[8], b[8];
	cJSON *none = cJSON_CreateArray();
	int rc = 0, recent = w->f.newest > 0 && w->f.newest >= w->newest - 60;

	if (recent && !w->full.open) {
		w->full.open = 1, w->full.start = floor(w->f.first);
		alert_hm(a, sizeof(a), w->full.start);
		snprintf(sum, sizeof(sum),
		    "the store refuses writes for want of memory since %s UTC: %s", a, w->f.words);
		rc = wd_emit(x, &w->full, "mcp-uptime", WD_FULL, "trigger", "P2", none, sum, 0);
	} else if (!recent && w->full.open) {
		alert_hm(a, sizeof(a), w->full.start);
		alert_hm(b, sizeof(b), w->f.newest);
		snprintf(sum, sizeof(sum),
		    "the store has room again: nothing refused for memory since %s UTC "
		    "(%s\xe2\x80\x93%s "
		    "UTC)",
		    b, a, b);
		rc = wd_emit(
		    x, &w->full, "mcp-uptime", WD_FULL, "resolve", "P2", none, sum, w->newest);
	}
	cJSON_Delete(none);
	return rc;
}

/*
 * What mcp:store:full says into w: the newest refusal, the first of its
 * episode, the words of each kind refused since the window before the
 * newest.  Written by mcp-aggregate (and mcp-alert), read outside the
 * transaction.  0, or -1 when the store fails.
 */
static int
wd_full_read(struct ctx *x, struct wd_full *w, double newest)
{
	const char *argv[] = {"HGETALL", MCP_KEY_FULL};
	double first, last;
	size_t i, j, n = 0;
	redisReply *r;
	const char *f, *v;
	char key[64];

	w->newest = w->first = 0, w->words[0] = '\0';
	if ((r = alert_cmd(x->st, 2, argv)) == NULL)
		return -1;
	for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
		f = r->element[i]->str, v = r->element[i + 1]->str;
		if (f == NULL || v == NULL || strchr(f, ':') != NULL ||
		    sscanf(v, "%lf %lf", &first, &last) != 2 || last < newest - 60)
			continue;
		w->newest = fmax(w->newest, last);
		w->first = w->first > 0 ? fmin(w->first, first) : first;
		snprintf(key, sizeof(key), "%s:why", f);
		for (j = 0; j + 1 < r->elements; j += 2)
			if (r->element[j]->str != NULL && strcmp(r->element[j]->str, key) == 0 &&
			    r->element[j + 1]->str != NULL && n < sizeof(w->words))
				n += (size_t)snprintf(w->words + n, sizeof(w->words) - n,
				    "%s%s: %s", n > 0 ? "; " : "", f, r->element[j + 1]->str);
	}
	freeReplyObject(r);
	return 0;
}

/* The decisions on w, at its newest window. */
static int
wd_decide(struct ctx *x, struct wd *w)
{
	const struct alert_conf *c = x->c;
	char sum[512], a[8], b[8], d[64];
	cJSON *one, *all = cJSON_CreateArray();
	struct wd_region *g;
	double latest = 0, heard, quiet;
	int i, silent = 0, rc = 0;

	x->window = w->newest;
	for (i = 0; rc == 0 && i < w->n; i++) {
		g = &w->r[i];
		/* A blind region reports all the same, and so does a short one. */
		heard = fmax(fmax(g->last, g->fault), g->shortw);
		quiet = wd_quiet(c, g, heard);
		one = cJSON_CreateArray();
		cJSON_AddItemToArray(one, cJSON_CreateString(g->name));
		if (w->newest - g->listed >= WD_FORGET) {
			if (g->t.open) {
				snprintf(sum, sizeof(sum),
				    "runner %s: no verdict has named it for a day; forgotten",
				    g->name);
				rc = wd_emit(x, &g->t, g->name, WD_SILENT, "resolve", "P2", one,
				    sum, w->newest);
			}
			if (rc == 0 && g->pf.open) {
				snprintf(sum, sizeof(sum),
				    "probe %s: no verdict has named it for a day; forgotten",
				    g->name);
				rc = wd_emit(x, &g->pf, g->name, WD_FAULT, "resolve", "P2", one,
				    sum, w->newest);
			}
			if (rc == 0 && g->sh.open) {
				snprintf(sum, sizeof(sum),
				    "runner %s: no verdict has named it for a day; forgotten",
				    g->name);
				rc = wd_emit(x, &g->sh, g->name, WD_SHORT, "resolve", "P2", one,
				    sum, w->newest);
			}
			g->name[0] = '\0'; /* not saved */
		} else if (heard < w->newest &&
		    w->newest + WD_DECIDED - quiet >= (double)c->runner_silent) {
			/* Silent as of when the newest window was decided. */
			silent++;
			cJSON_AddItemToArray(all, cJSON_CreateString(g->name));
			latest = fmax(latest, quiet);
			if (!g->t.open) {
				g->t.open = 1, g->t.start = quiet;
				alert_hm(a, sizeof(a), g->t.start);
				dur_text(d, sizeof(d), w->newest + WD_DECIDED - g->t.start);
				snprintf(sum, sizeof(sum),
				    "runner %s silent since %s UTC: no result for any slug for %s",
				    g->name, a, d);
				rc = wd_emit(
				    x, &g->t, g->name, WD_SILENT, "trigger", "P2", one, sum, 0);
			}
		} else if (g->t.open) {
			alert_hm(a, sizeof(a), g->t.start);
			alert_hm(b, sizeof(b), heard);
			dur_text(d, sizeof(d), heard - g->t.start);
			snprintf(sum, sizeof(sum),
			    "runner %s reporting again after %s (%s\xe2\x80\x93%s UTC)", g->name, d,
			    a, b);
			rc =
			    wd_emit(x, &g->t, g->name, WD_SILENT, "resolve", "P2", one, sum, heard);
		}
		if (rc == 0 && g->name[0] != '\0')
			rc = wd_fault(x, g, one);
		if (rc == 0 && g->name[0] != '\0')
			rc = wd_short(x, g, one);
		cJSON_Delete(one);
	}
	if (rc == 0 && silent > 0 && silent == w->n && !w->blind.open) {
		w->blind.open = 1, w->blind.start = latest;
		alert_hm(a, sizeof(a), latest);
		snprintf(sum, sizeof(sum),
		    "monitoring is blind: no region has reported since %s UTC (%d region%s silent)",
		    a, silent, plural(silent));
		rc = wd_emit(x, &w->blind, "mcp-uptime", WD_BLIND, "trigger", "P1", all, sum, 0);
	} else if (rc == 0 && w->blind.open && silent < w->n) {
		snprintf(sum, sizeof(sum), "monitoring sees again: %d of %d region%s reporting",
		    w->n - silent, w->n, plural(w->n));
		rc = wd_emit(
		    x, &w->blind, "mcp-uptime", WD_BLIND, "resolve", "P1", all, sum, w->newest);
	}
	cJSON_Delete(all);
	return rc == 0 ? wd_full(x, w) : rc;
}

/* The HSET of w (and the DEL before it): the fields in vals, argv pointing into them. */
static int
wd_args(const struct wd *w, const char **argv, char (*vals)[WD_FIELD_MAX])
{
	const struct wd_region *g;
	int i, n = 0, k = 0;

	argv[n++] = "HSET", argv[n++] = WD_KEY;
	argv[n++] = "newest";
	snprintf(vals[k], WD_FIELD_MAX, "%.0f", w->newest);
	argv[n++] = vals[k++];
	argv[n++] = "blind";
	snprintf(vals[k], WD_FIELD_MAX, "%d %.0f %s", w->blind.open, w->blind.start,
	    w->blind.routes[0] ? w->blind.routes : "-");
	argv[n++] = vals[k++];
	argv[n++] = "full";
	snprintf(vals[k], WD_FIELD_MAX, "%d %.0f %s", w->full.open, w->full.start,
	    w->full.routes[0] ? w->full.routes : "-");
	argv[n++] = vals[k++];
	for (i = 0; i < w->n; i++) {
		g = &w->r[i];
		if (g->name[0] == '\0')
			continue;
		snprintf(vals[k], WD_FIELD_MAX, "r:%s", g->name);
		argv[n++] = vals[k++];
		snprintf(vals[k], WD_FIELD_MAX, "%.0f %.0f %.0f %d %.0f %s %.3f", g->last,
		    g->listed, g->first, g->t.open, g->t.start, g->t.routes[0] ? g->t.routes : "-",
		    g->since);
		argv[n++] = vals[k++];
		if (wd_short_value(g, vals[k + 1], WD_FIELD_MAX)) {
			snprintf(vals[k], WD_FIELD_MAX, "s:%s", g->name);
			argv[n++] = vals[k++];
			argv[n++] = vals[k++];
		}
		if (g->fault <= 0 && !g->pf.open)
			continue;
		snprintf(vals[k], WD_FIELD_MAX, "f:%s", g->name);
		argv[n++] = vals[k++];
		snprintf(vals[k], WD_FIELD_MAX, "%.0f %.0f %ld %ld %s %d %.0f %s", g->fault,
		    g->ffirst, g->failed, g->probed, g->step[0] ? g->step : "-", g->pf.open,
		    g->pf.start, g->pf.routes[0] ? g->pf.routes : "-");
		argv[n++] = vals[k++];
	}
	return n;
}

/*
 * The last result of a region the verdicts of this run name missing, as
 * the store has it (mcp:{SLUG}:seen, written by mcp-aggregate push): the
 * latest over some of those slugs that fits the verdicts (before the
 * lookback of the newest window naming it missing), 0 for none, -1 when
 * the store fails.
 */
static double
wd_last_result(struct ctx *x, const struct wd_region *s)
{
	char key[MCP_SLUG_MAX + 16];
	const char *argv[] = {"ZSCORE", key, s->name};
	double t, best = 0, bound = s->miss + 60 - (double)x->c->lookback;
	redisReply *r;
	int i;

	if (s->miss <= fmax(fmax(s->last, s->fault), s->shortw))
		return 0; /* it reports in the newest window that names it */
	for (i = 0; i < s->nslugs; i++) {
		snprintf(key, sizeof(key), "mcp:{%s}:seen", s->slugs[i]);
		if ((r = alert_cmd(x->st, 3, argv)) == NULL)
			return -1;
		if (r->type == REDIS_REPLY_STRING && (t = mcp_time_of(r->str)) > 0 && t < bound)
			best = fmax(best, t);
		freeReplyObject(r);
	}
	return best;
}

int
alert_watchdog(struct ctx *x, const struct wd *seen)
{
	static const char *del[] = {"DEL", WD_KEY};
	const char *watch[] = {"WATCH", WD_KEY}, *get[] = {"HGETALL", WD_KEY};
	static char vals[6 * ALERT_REGIONS_MAX + 4][WD_FIELD_MAX];
	static const char *argv[8 * ALERT_REGIONS_MAX + 8];
	struct alert_pipe p;
	struct wd *w;
	const struct wd_region *s;
	struct wd_region *g;
	int tries, i, rc = -1, relieved = 0;
	double since[ALERT_REGIONS_MAX];
	struct wd_full full;

	/* Read once, outside the transaction: mcp-aggregate writes them, not mcp-alert. */
	for (i = 0; i < seen->n; i++)
		if ((since[i] = wd_last_result(x, &seen->r[i])) < 0)
			return -1;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		err(MCP_EXIT_FAIL, "calloc");
	if (wd_full_read(x, &full, seen->newest) == -1) {
		free(w);
		return -1;
	}
	for (tries = 0; tries < 10; tries++) {
		mcp_buf_reset(&x->out);
		jobs_reset(x);
		memset(&p, 0, sizeof(p));
		p.argv[0] = watch, p.argc[0] = 2, p.argv[1] = get, p.argc[1] = 2, p.n = 2;
		if (alert_pipe_run(x->st, &p) == -1)
			break;
		if (p.r[1]->type != REDIS_REPLY_ARRAY) {
			warnx("redis: %s: unexpected reply", WD_KEY);
			alert_pipe_free(&p);
			break;
		}
		wd_parse(w, p.r[1]);
		alert_pipe_free(&p);
		w->newest = fmax(w->newest, seen->newest);
		w->f = full;
		for (i = 0; i < seen->n; i++) {
			s = &seen->r[i];
			if ((g = wd_find(w, s->name, 1)) == NULL)
				continue;
			g->last = fmax(g->last, s->last), g->listed = fmax(g->listed, s->listed);
			g->since = fmax(g->since, since[i]);
			if (s->first > 0)
				g->first = g->first > 0 ? fmin(g->first, s->first) : s->first;
			if (s->fault > g->fault) {
				g->fault = s->fault, g->failed = s->failed, g->probed = s->probed;
				g->canary = s->canary, g->hash = s->hash, g->cert = s->cert;
				snprintf(g->step, sizeof(g->step), "%s", s->step);
			}
			if (s->ffirst > 0)
				g->ffirst = g->ffirst > 0 ? fmin(g->ffirst, s->ffirst) : s->ffirst;
			wd_short_merge(g, s);
		}
		if (w->n == 0 || wd_decide(x, w) == -1) {
			rc = w->n == 0 ? 0 : -1;
			unwatch(x);
			break;
		}
		x->xargv[0] = del, x->xargc[0] = 2;
		x->xargv[1] = argv, x->xargc[1] = wd_args(w, argv, vals);
		x->nx = 2;
		rc = ctx_commit(x);
		x->nx = 0;
		if (rc == -2 && relieved++ == 0)
			continue; /* lists evicted for room (filter.c) */
		if (rc != 0)
			break;
		rc = -1;
	}
	free(w);
	return rc < 0 ? -1 : 0;
}

/*
 * The heartbeat: once every interval, whoever sets the key with its TTL
 * first queues a heartbeat record for the heartbeat route.
 */
int
alert_heartbeat(struct ctx *x)
{
	const struct alert_conf *c = x->c;
	char ttl[32], now[32], sum[160], d[64];
	const char *set[] = {"SET", "mcp:alert:heartbeat", now, "EX", ttl, "NX"};
	struct alert_ev e = {
	    "heartbeat", "P3", "mcp-alert", NULL, 0, NULL, NULL, sum, -1, NULL, NULL, 0, NULL};
	redisReply *r;
	cJSON *rec;
	int ok, rc;

	if (c->hb_route < 0 || c->dry_run)
		return 0;
	snprintf(ttl, sizeof(ttl), "%ld", c->hb_every);
	snprintf(now, sizeof(now), "%.0f", mcp_now());
	if ((r = alert_cmd(x->st, 6, set)) == NULL)
		return -1;
	ok = r->type == REDIS_REPLY_STATUS;
	freeReplyObject(r);
	if (!ok)
		return 0;
	e.started = floor(mcp_now());
	if (c->hb_every < 60)
		snprintf(d, sizeof(d), "%ld s", c->hb_every);
	else
		dur_text(d, sizeof(d), (double)c->hb_every);
	snprintf(sum, sizeof(sum), "mcp-alert is running (a heartbeat every %s)", d);
	jobs_reset(x);
	rec = alert_record(&e);
	job_add(x, c->hb_route, rec, NULL);
	cJSON_Delete(rec);
	rc = ctx_commit(x);
	jobs_reset(x);
	return rc == 1 ? 0 : -1;
}
