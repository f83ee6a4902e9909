/*
 * rules.c - the incident state machine of mcp-alert(1): confirmation,
 * severity by layer and by region, dedup, reminders, escalation, recovery,
 * maintenance, and the tracks beside downtime (rate limiting, latency,
 * error rate).  Rule times are the verdicts' windows, so a replayed stream
 * decides as the live one did; the escalation steps run on the clock
 * (mcp_now), as does "at" in the records.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alert.h"
#include "json.h"
#include "loop.h"
#include "rec.h"
#include "rules.h"

/* --- emitting ----------------------------------------------------------------- */

/*
 * 1 when x->window lies in the slug's maintenance window, 0 when not;
 * the window was read with the state (MAINT_LOADED), or the caller says
 * (0: a test, an acknowledgement).
 */
int
in_maint(struct ctx *x)
{
	if (x->maint == MAINT_LOADED)
		return x->m.end > 0 && x->m.start <= x->window && x->window < x->m.end;
	return x->maint;
}

/*
 * Emit e for track t: printed, and queued for the routes of set; inside a
 * maintenance window, or while the track's trigger is held back, only a
 * suppressed record is printed.
 */
int
emit_to(struct ctx *x, struct track *t, struct alert_ev *e, unsigned long set)
{
	const struct silence *sl = NULL;
	const char *bad;
	char why[256], *text = NULL;
	cJSON *rec, *regions = NULL;
	size_t mark = x->out.len;
	int mt, i, rc = 0;

	if ((mt = in_maint(x)) == -1)
		return -1;
	if (t != NULL && e->regions == NULL && t->regions[0] != '\0') {
		regions = mcp_json_parse(t->regions, strlen(t->regions), &bad);
		e->regions = cJSON_IsArray(regions) ? regions : NULL;
	}
	/* A silence holds back what it matches as maintenance does (mcp-alert(1), silence). */
	if (mt == 0 && strcmp(e->event, "acknowledge") != 0 &&
	    (sl = alert_silenced(x->st, e, mcp_now())) != NULL)
		mt = 1;
	/*
	 * Maintenance holds back what would page; the end of an incident
	 * already announced (its resolve, its acknowledgement) still goes
	 * to those told of it.
	 */
	if ((mt == 1 &&
	        !(t != NULL && !t->held &&
	            (strcmp(e->event, "resolve") == 0 || strcmp(e->event, "acknowledge") == 0))) ||
	    (t != NULL && t->held)) {
		if (mt == 1 && t != NULL && strcmp(e->event, "trigger") == 0)
			t->held = 1, t->held_end = sl != NULL ? sl->end : x->m.end;
		e->suppressed = e->event;
		e->event = "suppressed";
		e->reason = sl != NULL ? sl->reason : x->m.end > 0 ? x->m.reason : "";
		e->silence = sl != NULL ? sl->id : 0;
		set = 0;
	}
	rec = alert_record(e);
	if (mcp_rec_format(&x->out, rec, why, sizeof(why)) == -1) {
		warnx("%s", why);
		rc = -1;
	}
	/* Printed once: its jobs and its public record hold the same line. */
	if (rc == 0 && (text = strndup(x->out.p + mark, x->out.len - mark - 1)) == NULL)
		err(MCP_EXIT_FAIL, "out of memory");
	for (i = 0; rc == 0 && i < x->c->nroutes; i++)
		if (set & (1UL << i))
			job_add(x, i, rec, text);
	if (rc == 0)
		pub_add(x, e, rec, text);
	free(text);
	cJSON_Delete(rec);
	cJSON_Delete(regions);
	return rc;
}

struct alert_ev
ev_of(const struct track *t, int ti, const char *slug, const char *event, const char *summary)
{
	struct alert_ev e = {event, t->sev, slug, track_kind[ti], t->start,
	    t->step[0] ? t->step : NULL, NULL, summary, -1, NULL, NULL, 0, NULL};

	return e;
}

struct alert_ev
ev_of_state(const struct state *s, int ti, const char *slug, const char *event, const char *summary)
{
	struct alert_ev e = ev_of(&s->t[ti], ti, slug, event, summary);
	const struct xtrack *xs = ti >= T_CERT ? &s->x[ti - T_CERT] : NULL;

	if (xs != NULL && xs->exp > 0) {
		e.expires = xs->exp;
		e.fingerprint = xs->fpr[0] ? xs->fpr : NULL;
	}
	return e;
}

void
dur_text(char *buf, size_t len, double secs)
{
	long m = (long)(secs / 60), h = m / 60;

	if (h == 0)
		snprintf(buf, len, "%ld minute%s", m, plural((int)m));
	else if (m % 60 == 0)
		snprintf(buf, len, "%ld hour%s", h, plural((int)h));
	else
		snprintf(buf, len, "%ld hour%s %ld minute%s", h, plural((int)h), m % 60,
		    plural((int)(m % 60)));
}

/* "16:05": the UTC hour and minute of t, for summaries. */
void
alert_hm(char *buf, size_t len, double t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, len, "%H:%M", &tm);
}

static const char *
layer_name(int i)
{
	return i < MCP_NSTEPS ? mcp_steps[i] : DIVERGENCE;
}

static int
root_layer(const struct track *t)
{
	int i, best = 0;

	for (i = 1; i < NLAYERS; i++)
		if (t->cnt[i] > t->cnt[best])
			best = i;
	return best;
}

static int
resolve(struct ctx *x, struct state *s, int ti)
{
	struct track *t = &s->t[ti];
	char sum[1024] = "", d[64], a[8], b[8], what[160];
	struct alert_ev e = ev_of(t, ti, x->slug, "resolve", sum);
	int root = root_layer(t), rc;

	dur_text(d, sizeof(d), t->pstart - t->start);
	alert_hm(a, sizeof(a), t->start);
	alert_hm(b, sizeof(b), t->pstart);
	switch (ti) {
	case T_DOWN:
		e.layer = layer_name(root);
		snprintf(what, sizeof(what),
		    "root layer: %s in %d window%s; all layers now passing.", layer_name(root),
		    t->cnt[root], plural(t->cnt[root]));
		break;
	case T_RL:
		snprintf(what, sizeof(what), "rate limited (http_429) in %d window%s; no longer.",
		    t->cnt[0], plural(t->cnt[0]));
		break;
	case T_LAT:
		snprintf(what, sizeof(what),
		    "slow in %d window%s; latency back under %g times the baseline.", t->cnt[0],
		    plural(t->cnt[0]), x->c->latency_factor);
		break;
	default:
		snprintf(what, sizeof(what), "error rate back at or under %g%%.", x->c->error_rate);
		break;
	}
	snprintf(sum, sizeof(sum), "%s recovered after %s (%s\xe2\x80\x93%s UTC); %s", x->slug, d,
	    a, b, what);
	if (ti != T_DOWN) {
		/* "SLUG recovered" is said of downtime; the other tracks name theirs. */
		snprintf(sum, sizeof(sum), "%s: %s ended after %s (%s\xe2\x80\x93%s UTC); %s",
		    x->slug, track_kind[ti], d, a, b, what);
	}
	e.duration = t->pstart - t->start;
	rc = emit_to(x, t, &e, routes_of(x->c, t->routes));
	memset(t, 0, sizeof(*t));
	return rc;
}

/* Emit e to the routes of set, and remember them as told of t. */
int
announce(struct ctx *x, struct track *t, struct alert_ev *e, unsigned long set)
{
	if (emit_to(x, t, e, set) == -1)
		return -1;
	if (!t->held)
		routes_add(x->c, t, set);
	return 0;
}

static int
trigger(struct ctx *x, struct track *t, int ti, const struct look *l, const char *summary)
{
	struct alert_ev e;
	char *r;

	t->open = 1, t->start = t->fstart, t->esc = 0, t->ack = 0, t->notice = x->window;
	t->pass = 0, t->steps = 0, t->held = 0, t->routes[0] = '\0';
	/* The worst severity of the run that confirmed it (a post-maintenance trigger: its own). */
	if (t->sev[0] == '\0' || strcmp(l->sev, t->sev) < 0)
		snprintf(t->sev, sizeof(t->sev), "%s", l->sev);
	snprintf(t->step, sizeof(t->step), "%s", l->step ? l->step : "");
	t->p1at = strcmp(l->sev, "P1") == 0 ? mcp_ms_round(mcp_now()) : 0;
	r = l->regions ? cJSON_PrintUnformatted(l->regions) : NULL;
	snprintf(
	    t->regions, sizeof(t->regions), "%s", r && strlen(r) < sizeof(t->regions) ? r : "[]");
	free(r);
	e = ev_of(t, ti, x->slug, "trigger", summary ? summary : l->summary);
	return announce(x, t, &e, alert_routes_for(x->c, t->sev, mcp_now()));
}

static int
escalate(struct ctx *x, struct track *t, int ti, const char *why)
{
	struct alert_ev e;

	snprintf(t->sev, sizeof(t->sev), "P1");
	t->esc = 1;
	t->p1at = mcp_ms_round(mcp_now());
	t->steps = 0;
	e = ev_of(t, ti, x->slug, "escalate", why);
	return announce(
	    x, t, &e, alert_routes_for(x->c, "P1", mcp_now()) | routes_of(x->c, t->routes));
}

/* The rules of the verdicts' time: escalation of a P2 at the tools layers, reminders. */
int
track_timers(struct ctx *x, struct track *t, int ti)
{
	char sum[1024], d[64], a[8];
	struct alert_ev e;
	int tl = mcp_step_index("tools_list"), call = mcp_step_index("call");
	int layer = t->step[0] ? mcp_step_index(t->step) : -1;

	if (!t->open)
		return 0;
	if (ti == T_DOWN && strcmp(t->sev, "P2") == 0 && !t->esc &&
	    (layer == tl || layer == call) && x->window - t->start >= x->c->tools_escalate) {
		dur_text(d, sizeof(d), x->window - t->start);
		snprintf(sum, sizeof(sum), "%s: %s unresolved after %s; escalated to P1", x->slug,
		    t->step, d);
		if (escalate(x, t, ti, sum) == -1)
			return -1;
	}
	/* A breaking change no one has answered nor acknowledged: P1 after the same wait. */
	if (ti == T_REVIEW && strcmp(t->sev, "P2") == 0 && !t->esc && t->ack == 0 &&
	    x->window - t->start >= x->c->tools_escalate) {
		dur_text(d, sizeof(d), x->window - t->start);
		snprintf(sum, sizeof(sum),
		    "%s: a breaking change unreviewed and unacknowledged after %s; escalated to P1",
		    x->slug, d);
		if (escalate(x, t, ti, sum) == -1)
			return -1;
	}
	if (x->window - t->notice >= x->c->reminder_every) {
		t->notice = x->window;
		alert_hm(a, sizeof(a), t->start);
		dur_text(d, sizeof(d), x->window - t->start);
		if (ti == T_DOWN)
			snprintf(sum, sizeof(sum),
			    "%s: incident open for %s (since %s UTC); root layer: %s", x->slug, d,
			    a, layer_name(root_layer(t)));
		else
			snprintf(sum, sizeof(sum), "%s: %s open for %s (since %s UTC)", x->slug,
			    track_kind[ti], d, a);
		e = ev_of(t, ti, x->slug, "reminder", sum);
		/* Not to PagerDuty, which has acknowledgements of its own. */
		return emit_to(x, t, &e, routes_of(x->c, t->routes) & ~pd_routes(x->c));
	}
	return 0;
}

/*
 * A trigger held back by maintenance: once the window has ended and the
 * grace passed, a track still failing fires a post-maintenance trigger.
 */
static int
post_maint(struct ctx *x, struct track *t, int ti, const struct look *l)
{
	char sum[1200], d[64];
	double end;
	int mt = 0;

	struct alert_ev e = ev_of(t, ti, x->slug, "trigger", "");

	if (!t->open || !t->held || (mt = in_maint(x)) != 0)
		return mt == -1 ? -1 : 0;
	end = x->m.end > 0 && x->m.end < t->held_end ? x->m.end : t->held_end;
	if (x->window < end + x->c->post_maint_grace || l->kind != FAIL)
		return 0;
	/* A silence still in force holds it back still. */
	e.regions = l->regions;
	if (alert_silenced(x->st, &e, mcp_now()) != NULL)
		return 0;
	t->held = 0;
	dur_text(d, sizeof(d), x->window - end);
	snprintf(sum, sizeof(sum), "%s (post-maintenance: still failing %s after the window ended)",
	    l->summary, d);
	t->fstart = t->start;
	return trigger(x, t, ti, l, sum);
}

/* One window for one track: count, open, escalate, resolve. */
static int
track_step(struct ctx *x, struct state *s, int ti, const struct look *l, int need)
{
	struct track *t = &s->t[ti];

	if (l->kind == PASS) {
		t->fail = 0;
		if (!t->open) {
			memset(t->cnt, 0, sizeof(t->cnt));
			t->sev[0] = '\0';
			return 0;
		}
		if (t->pass++ == 0)
			t->pstart = x->window;
		if (t->pass >= x->c->pass_windows)
			return resolve(x, s, ti);
	} else if (l->kind == FAIL) {
		t->pass = 0;
		if (t->fail++ == 0)
			t->fstart = x->window;
		t->cnt[l->layer >= 0 && l->layer < NLAYERS ? l->layer : 0]++;
		/* Before it opens, sev keeps the worst severity of the failing run. */
		if (!t->open && (t->sev[0] == '\0' || strcmp(l->sev, t->sev) < 0))
			snprintf(t->sev, sizeof(t->sev), "%s", l->sev);
		/* The regions' agreement sets the severity, not the speed (outage_windows). */
		if (l->outage && x->c->outage_windows > 0 && x->c->outage_windows < need)
			need = x->c->outage_windows;
		if (!t->open && (l->has_streak ? l->streak : t->fail) >= need)
			return trigger(x, t, ti, l, NULL);
		if (post_maint(x, t, ti, l) == -1)
			return -1;
		if (t->open && strcmp(t->sev, "P2") == 0 && strcmp(l->sev, "P1") == 0)
			if (escalate(x, t, ti, l->summary) == -1)
				return -1;
	}
	return track_timers(x, t, ti);
}

/* The 30-day latency baseline (mean), or -1 below the sample minimum. */
static double
lat_baseline(const struct alert_conf *c, const struct state *s, long day)
{
	double sum = 0;
	long n = 0;
	int i;

	for (i = 0; i < LAT_DAYS; i++)
		if (s->lcnt[i] > 0 && s->lday[i] > day - LAT_DAYS)
			sum += s->lsum[i], n += s->lcnt[i];
	return n >= c->latency_min_samples ? sum / (double)n : -1;
}

static void
lat_add(struct state *s, long day, double ms)
{
	int i, k = (int)(day % LAT_DAYS);

	for (i = 0; i < LAT_DAYS; i++)
		if (s->lday[i] <= day - LAT_DAYS)
			s->lcnt[i] = 0, s->lsum[i] = 0;
	if (s->lday[k] != day)
		s->lday[k] = day, s->lsum[k] = 0, s->lcnt[k] = 0;
	s->lsum[k] += ms;
	s->lcnt[k]++;
}

/*
 * Count a window's probes in the error rate, tot of them failing fail; the
 * rate in percent, or -1 below the minimum of probes.
 */
static double
err_add(const struct alert_conf *c, struct state *s, double window, long tot_add, long fail_add)
{
	long size = c->error_rate_window / ERR_BUCKETS, b, tot = 0, fail = 0;
	int i, k;

	size = size < 60 ? 60 : size;
	b = (long)(window / (double)size);
	k = (int)(b % ERR_BUCKETS);
	if (s->ebk[k] != b)
		s->ebk[k] = b, s->etot[k] = 0, s->efail[k] = 0;
	s->etot[k] += tot_add;
	s->efail[k] += fail_add;
	for (i = 0; i < ERR_BUCKETS; i++)
		if (s->ebk[i] > b - ERR_BUCKETS)
			tot += s->etot[i], fail += s->efail[i];
	return tot >= c->error_rate_min ? 100.0 * (double)fail / (double)tot : -1;
}

/*
 * Downtime is confirmed on failures that are still there.  A verdict's
 * failed_regions holds every region that failed in the lookback (3
 * minutes), so one lost probe keeps its region failing for 3 windows: 3
 * consecutive failing verdicts, a page.  failing_now holds the regions
 * whose latest result failed; each region's run of such windows is kept,
 * and an incident opens when one region has failed fail_windows windows
 * in a row (outage_windows when three fail the outage's step now).  A failing
 * verdict with no region failing now passes: the server answers every
 * region, and a recovery is counted from its first such window.
 */
static void
now_step(struct ctx *x, struct state *s, const struct verdict *vd, struct look *down)
{
	char name[ALERT_REGIONS_MAX][MCP_SLUG_MAX + 1];
	int n[ALERT_REGIONS_MAX], k = 0, i, cont, best = 0, failed_now = 0;
	const cJSON *e;

	/* A window that does not count for downtime (a 429, a cold start,
	 * unknown) neither advances the runs nor breaks them. */
	if (down->kind == NEUTRAL) {
		if (s->now_w > 0 && x->window - s->now_w == 60)
			s->now_w = x->window;
		return;
	}
	cont = s->now_w > 0 && x->window - s->now_w == 60;
	cJSON_ArrayForEach(e, vd->now)
	{
		if (k == ALERT_REGIONS_MAX || !cJSON_IsString(e))
			break;
		snprintf(name[k], sizeof(name[0]), "%s", e->valuestring);
		n[k] = 1;
		for (i = 0; cont && i < s->nnow; i++)
			if (strcmp(s->now_name[i], name[k]) == 0 && s->now_n[i] < 1000000)
				n[k] = s->now_n[i] + 1;
		best = n[k] > best ? n[k] : best;
		if (vd->l.regions != NULL && in_array(vd->l.regions, name[k]))
			failed_now++;
		k++;
	}
	memcpy(s->now_name, name, sizeof(name));
	memcpy(s->now_n, n, sizeof(n));
	s->nnow = k, s->now_w = x->window;
	/* Divergence is judged on the latest results already. */
	if (down->kind != FAIL || down->layer == MCP_NSTEPS)
		return;
	if (k == 0) {
		down->kind = PASS;
		return;
	}
	down->has_streak = 1, down->streak = best;
	down->outage = down->outage && failed_now >= 3;
	/* Red for two regions of which one has recovered: one region now. */
	if (failed_now < 2 && cJSON_GetArraySize(vd->l.regions) >= 2 &&
	    strcmp(down->sev, "P1") == 0)
		down->sev = "P2";
}

int
step_state(struct ctx *x, struct state *s, const struct verdict *vd)
{
	const struct alert_conf *c = x->c;
	struct look down = vd->l, rl = vd->l, lat, er;
	long day = (long)(x->window / 86400);
	double base = -1, rate;
	char span[64];
	int reporting = vd->l.kind != NEUTRAL, failing;

	/* 429: never downtime on its own, a track of its own. */
	rl.kind = reporting ? PASS : NEUTRAL;
	if (vd->l.kind == FAIL && vd->error != NULL && strcmp(vd->error, "http_429") == 0) {
		down.kind = NEUTRAL;
		rl.kind = FAIL, rl.sev = "P2", rl.outage = 0, rl.layer = 0;
		snprintf(rl.summary, sizeof(rl.summary),
		    "%s: rate limited (http_429) at %s in %d consecutive windows", x->slug,
		    vd->l.step, c->rate_limit_windows);
	}
	/* Cold start: the first failure of a serverless host after it was idle. */
	if (down.kind == FAIL && vd->host != NULL && alert_platform(c, vd->host) &&
	    !s->t[T_DOWN].open && s->t[T_DOWN].fail == 0 &&
	    (s->seen == 0 || x->window - s->seen > c->cold_start_idle))
		down.kind = NEUTRAL;
	/* Latency: slow against the 30-day baseline, on passing windows. */
	memset(&lat, 0, sizeof(lat));
	lat.kind = NEUTRAL, lat.sev = "P3", lat.layer = 0;
	if (vd->l.kind == PASS && vd->latency >= 0) {
		if ((base = lat_baseline(c, s, day)) > 0)
			lat.kind = vd->latency > c->latency_factor * base ? FAIL : PASS;
		snprintf(lat.summary, sizeof(lat.summary),
		    "%s: latency %.0f ms, above %g times the 30-day baseline of %.0f ms for %d "
		    "consecutive windows",
		    x->slug, vd->latency, c->latency_factor, base, c->latency_windows);
		/* A slow window joins at the line: one outlier cannot lift it for 30 days. */
		lat_add(
		    s, day, base > 0 ? fmin(vd->latency, c->latency_factor * base) : vd->latency);
	}
	/* A change of the tool list first: its divergence may be its incident's story. */
	if (tools_step(x, s, vd) == -1 || cloak_step(x, s, vd) == -1 ||
	    ready_step(x, s, vd) == -1 || review_step(x, s, vd) == -1 ||
	    findings_step(x, s, vd) == -1)
		return -1;
	if (down.kind == FAIL && down.layer == MCP_NSTEPS && tools_told(s, vd))
		down.kind = NEUTRAL;
	if (vd->now != NULL)
		now_step(x, s, vd, &down);
	if (track_step(x, s, T_DOWN, &down, c->fail_windows) == -1 ||
	    track_step(x, s, T_RL, &rl, c->rate_limit_windows) == -1 ||
	    track_step(x, s, T_LAT, &lat, c->latency_windows) == -1 || cert_step(x, s, vd) == -1)
		return -1;
	/* Error rate: over the windows outside downtime incidents. */
	if (!reporting)
		return 0;
	s->seen = x->window;
	if (s->t[T_DOWN].open)
		return 0;
	/* 429 has a track of its own; a cold start is not a failure of the server. */
	failing = down.kind == FAIL && vd->l.layer != MCP_NSTEPS;
	memset(&er, 0, sizeof(er));
	er.sev = "P3", er.layer = 0;
	/*
	 * A window is one probe per reporting region, and the regions failing
	 * now are its failing probes: one region's lost probe is 1 in 5 with
	 * five regions, not a failing window.  A verdict of before
	 * failing_now counts as one probe.
	 */
	if (vd->now != NULL && cJSON_GetArraySize(vd->reporters) > 0)
		rate = err_add(c, s, x->window, cJSON_GetArraySize(vd->reporters),
		    failing ? cJSON_GetArraySize(vd->now) : 0);
	else
		rate = err_add(c, s, x->window, 1, failing);
	er.kind = rate > c->error_rate ? FAIL : PASS;
	dur_text(span, sizeof(span), (double)c->error_rate_window);
	snprintf(er.summary, sizeof(er.summary),
	    "%s: %.1f%% of probes failing over the last %s (threshold %g%%)", x->slug, rate, span,
	    c->error_rate);
	return track_step(x, s, T_ERR, &er, 1);
}
