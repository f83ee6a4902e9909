/*
 * rules.c - the incident state machine of mcp-alert(1): confirmation,
 * severity by layer and by region, dedup, reminders, escalation, recovery,
 * maintenance, and the tracks beside downtime (rate limiting, latency,
 * error rate).  Rule times are the verdicts' windows, so a replayed stream
 * decides as the live one did; the escalation steps run on the clock
 * (mcp_now), as does "at" in the records.
 */
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
#include "loop.h"
#include "rec.h"

#define NLAYERS (MCP_NSTEPS + 1) /* the steps, then the divergence tier */
#define DIVERGENCE "cdn-cache-divergence"
#define LAT_DAYS 30
#define ERR_BUCKETS 24

enum { PASS, FAIL, NEUTRAL };
#define BATCH_MAX 32 /* verdicts decided together by the filter */
#define MAINT_LOADED 2
enum { T_DOWN, T_RL, T_LAT, T_ERR, NTRACKS };

/* The name in dedup keys and "kind", and the hash field of each track. */
static const char *const track_kind[NTRACKS] = {NULL, "rate-limited", "latency", "error-rate"};
static const char *const track_field[NTRACKS] = {"down", "rl", "slow", "erate"};

/* One incident track of a slug. */
struct track {
	int fail;      /* consecutive failing windows */
	int pass;      /* consecutive passing windows while open */
	double fstart; /* first window of the failing run */
	double pstart; /* first window of the passing run */
	int open;
	double start; /* the incident's first failing window */
	char sev[4];
	char step[32]; /* "" for none */
	int esc;       /* escalated to P1 by the rules */
	double ack;    /* when mcp-alert ack acknowledged it, 0: not */
	double notice; /* window of the trigger or the last reminder */
	double p1at;   /* the clock when it became P1, 0: not P1 */
	int steps;     /* escalation steps done */
	int held;      /* its trigger was held back by maintenance */
	double held_end;
	char routes[ALERT_ROUTES_MAX * ALERT_NAME_MAX]; /* the routes told of it, "name,name" */
	char regions[1024];
	int cnt[NLAYERS];
};

/* One slug's state: the hash mcp:{slug}:alert. */
struct state {
	double last; /* the newest window decided, 0: none */
	double seen; /* the newest window some region reported in */
	struct track t[NTRACKS];
	/* Latency baseline: per day, the sum and count of latency_ms. */
	long lday[LAT_DAYS];
	double lsum[LAT_DAYS];
	long lcnt[LAT_DAYS];
	/* Error rate: per bucket, the windows seen and failing. */
	long ebk[ERR_BUCKETS];
	long etot[ERR_BUCKETS];
	long efail[ERR_BUCKETS];
};

/* What one verdict says to one track. */
struct look {
	int kind;
	int outage;
	const char *sev;
	const char *step; /* NULL: none */
	int layer;
	const cJSON *regions;
	char summary[1024];
};

/* What one verdict says. */
struct verdict {
	struct look l;
	const char *error;
	const char *host;
	double latency; /* -1: none */
};

struct ctx {
	struct mcp_store *st;
	const struct alert_conf *c;
	const char *slug;
	double window;
	int maint; /* 0 or 1: known; MAINT_LOADED: x->m read with the state */
	struct alert_maint m;
	struct mcp_buf out; /* the records of one decision, printed once saved */
	char **jobs;        /* jobs of one decision: route index, job json */
	int *jobroute;
	size_t njobs;
	struct batch *b; /* the filter's verdicts waiting to be decided together */
};

static const char *
plural(int n)
{
	return n == 1 ? "" : "s";
}

static void
key_of(char *buf, size_t len, const char *slug)
{
	snprintf(buf, len, "mcp:{%s}:alert", slug);
}

/* --- the state in Redis ----------------------------------------------------- */

static void
track_parse(struct track *t, const char *v)
{
	char sev[4], step[32], routes[ALERT_ROUTES_MAX * ALERT_NAME_MAX], cnt[128], *p;
	int k = 0, i;

	memset(t, 0, sizeof(*t));
	if (sscanf(v, "%d %d %lf %lf %d %lf %3s %31s %d %lf %lf %lf %d %d %lf %2047s %127s %n",
	        &t->fail, &t->pass, &t->fstart, &t->pstart, &t->open, &t->start, sev, step, &t->esc,
	        &t->ack, &t->notice, &t->p1at, &t->steps, &t->held, &t->held_end, routes, cnt,
	        &k) < 17 ||
	    k == 0) {
		memset(t, 0, sizeof(*t));
		return;
	}
	snprintf(t->sev, sizeof(t->sev), "%s", strcmp(sev, "-") == 0 ? "" : sev);
	snprintf(t->step, sizeof(t->step), "%s", strcmp(step, "-") == 0 ? "" : step);
	snprintf(t->routes, sizeof(t->routes), "%s", strcmp(routes, "-") == 0 ? "" : routes);
	snprintf(t->regions, sizeof(t->regions), "%s", v + k);
	for (i = 0, p = cnt; i < NLAYERS && *p != '\0'; i++) {
		t->cnt[i] = (int)strtol(p, &p, 10);
		if (*p == ',')
			p++;
	}
}

static void
track_format(const struct track *t, char *buf, size_t len)
{
	char cnt[128];
	size_t u = 0;
	int i;

	for (i = 0; i < NLAYERS; i++)
		u += (size_t)snprintf(cnt + u, sizeof(cnt) - u, "%s%d", i ? "," : "", t->cnt[i]);
	snprintf(buf, len, "%d %d %.0f %.0f %d %.0f %s %s %d %.3f %.0f %.3f %d %d %.0f %s %s %s",
	    t->fail, t->pass, t->fstart, t->pstart, t->open, t->start, t->sev[0] ? t->sev : "-",
	    t->step[0] ? t->step : "-", t->esc, t->ack, t->notice, t->p1at, t->steps, t->held,
	    t->held_end, t->routes[0] ? t->routes : "-", cnt, t->regions[0] ? t->regions : "[]");
}

/* The state from the reply of HGETALL mcp:{slug}:alert. */
static void
state_parse(struct state *s, const redisReply *r)
{
	size_t i;
	int k, n;
	const char *f, *v;

	memset(s, 0, sizeof(*s));
	for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
		f = r->element[i]->str, v = r->element[i + 1]->str;
		if (strcmp(f, "last") == 0)
			s->last = strtod(v, NULL);
		else if (strcmp(f, "seen") == 0)
			s->seen = strtod(v, NULL);
		else if (strcmp(f, "lat") == 0) {
			/* Each day back in its slot, day % LAT_DAYS, as lat_add keeps them. */
			for (k = 0; k < LAT_DAYS; k++, v += n) {
				long day, cnt;
				double sum;

				if (sscanf(v, "%ld:%lf:%ld %n", &day, &sum, &cnt, &n) != 3 ||
				    day < 0)
					break;
				s->lday[day % LAT_DAYS] = day, s->lsum[day % LAT_DAYS] = sum;
				s->lcnt[day % LAT_DAYS] = cnt;
			}
		} else if (strcmp(f, "ebk") == 0) {
			for (k = 0; k < ERR_BUCKETS; k++, v += n) {
				long b, tot, fail;

				if (sscanf(v, "%ld:%ld:%ld %n", &b, &tot, &fail, &n) != 3 || b < 0)
					break;
				s->ebk[b % ERR_BUCKETS] = b, s->etot[b % ERR_BUCKETS] = tot;
				s->efail[b % ERR_BUCKETS] = fail;
			}
		} else
			for (k = 0; k < NTRACKS; k++)
				if (strcmp(f, track_field[k]) == 0)
					track_parse(&s->t[k], v);
	}
}

struct args {
	const char *argv[32];
	char val[10][4096];
	char key[MCP_SLUG_MAX + 32];
	int n, k;
};

static void arg_add(struct args *a, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
arg_add(struct args *a, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->val[a->k], sizeof(a->val[0]), fmt, ap);
	va_end(ap);
	a->argv[a->n++] = name;
	a->argv[a->n++] = a->val[a->k++];
}

/* The HSET of s into a, whose key and values it holds. */
static void
state_args(const struct state *s, struct args *a)
{
	char lat[LAT_DAYS * 48], ebk[ERR_BUCKETS * 40];
	size_t u;
	int i;

	a->argv[a->n++] = "HSET";
	a->argv[a->n++] = a->key;
	arg_add(a, "last", "%.0f", s->last);
	arg_add(a, "seen", "%.0f", s->seen);
	for (i = 0; i < NTRACKS; i++) {
		a->argv[a->n++] = track_field[i];
		track_format(&s->t[i], a->val[a->k], sizeof(a->val[0]));
		a->argv[a->n++] = a->val[a->k++];
	}
	for (i = 0, u = 0, lat[0] = '\0'; i < LAT_DAYS && u < sizeof(lat); i++)
		if (s->lcnt[i] > 0)
			u += (size_t)snprintf(lat + u, sizeof(lat) - u, "%ld:%.0f:%ld ", s->lday[i],
			    s->lsum[i], s->lcnt[i]);
	arg_add(a, "lat", "%s", lat[0] ? lat : "-");
	for (i = 0, u = 0, ebk[0] = '\0'; i < ERR_BUCKETS && u < sizeof(ebk); i++)
		if (s->etot[i] > 0)
			u += (size_t)snprintf(ebk + u, sizeof(ebk) - u, "%ld:%ld:%ld ", s->ebk[i],
			    s->etot[i], s->efail[i]);
	arg_add(a, "ebk", "%s", ebk[0] ? ebk : "-");
}

/* --- routes ----------------------------------------------------------------- */

static unsigned long
routes_of(const struct alert_conf *c, const char *names)
{
	char buf[ALERT_ROUTES_MAX * ALERT_NAME_MAX], *p, *save = NULL;
	unsigned long set = 0;
	int i;

	snprintf(buf, sizeof(buf), "%s", names);
	for (p = strtok_r(buf, ",", &save); p != NULL; p = strtok_r(NULL, ",", &save))
		for (i = 0; i < c->nroutes; i++)
			if (strcmp(c->routes[i].name, p) == 0)
				set |= 1UL << i;
	return set;
}

/* Add the routes of set to the names of t (routes of another config stay). */
static void
routes_add(const struct alert_conf *c, struct track *t, unsigned long set)
{
	unsigned long have = routes_of(c, t->routes);
	size_t u;
	int i;

	for (i = 0; i < c->nroutes; i++) {
		if ((set & (1UL << i)) == 0 || (have & (1UL << i)) != 0)
			continue;
		u = strlen(t->routes);
		if (u + strlen(c->routes[i].name) + 2 < sizeof(t->routes))
			snprintf(t->routes + u, sizeof(t->routes) - u, "%s%s", u ? "," : "",
			    c->routes[i].name);
	}
}

static unsigned long
pd_routes(const struct alert_conf *c)
{
	unsigned long set = 0;
	int i;

	for (i = 0; i < c->nroutes; i++)
		if (c->routes[i].type == RT_PAGERDUTY)
			set |= 1UL << i;
	return set;
}

static void
job_add(struct ctx *x, int route, const cJSON *rec)
{
	if ((x->jobs = reallocarray(x->jobs, x->njobs + 1, sizeof(*x->jobs))) == NULL ||
	    (x->jobroute = reallocarray(x->jobroute, x->njobs + 1, sizeof(*x->jobroute))) == NULL)
		err(MCP_EXIT_FAIL, "realloc");
	x->jobs[x->njobs] = alert_job_new(x->c, route, rec);
	x->jobroute[x->njobs++] = route;
}

static void
jobs_reset(struct ctx *x)
{
	size_t i;

	for (i = 0; i < x->njobs; i++)
		free(x->jobs[i]);
	x->njobs = 0;
}

/* --- emitting ----------------------------------------------------------------- */

/*
 * 1 when x->window lies in the slug's maintenance window, 0 when not;
 * the window was read with the state (MAINT_LOADED), or the caller says
 * (0: a test, an acknowledgement).
 */
static int
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
static int
emit_to(struct ctx *x, struct track *t, struct alert_ev *e, unsigned long set)
{
	char why[256];
	cJSON *rec, *regions = NULL;
	int mt, i, rc = 0;

	if ((mt = in_maint(x)) == -1)
		return -1;
	if (t != NULL && e->regions == NULL && t->regions[0] != '\0') {
		regions = cJSON_Parse(t->regions);
		e->regions = cJSON_IsArray(regions) ? regions : NULL;
	}
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
			t->held = 1, t->held_end = x->m.end;
		e->suppressed = e->event;
		e->event = "suppressed";
		e->reason = x->m.end > 0 ? x->m.reason : "";
		set = 0;
	}
	rec = alert_record(e);
	if (mcp_rec_format(&x->out, rec, why, sizeof(why)) == -1) {
		warnx("%s", why);
		rc = -1;
	}
	for (i = 0; rc == 0 && i < x->c->nroutes; i++)
		if (set & (1UL << i))
			job_add(x, i, rec);
	cJSON_Delete(rec);
	cJSON_Delete(regions);
	return rc;
}

static struct alert_ev
ev_of(const struct track *t, int ti, const char *slug, const char *event, const char *summary)
{
	struct alert_ev e = {event, t->sev, slug, track_kind[ti], t->start,
	    t->step[0] ? t->step : NULL, NULL, summary, -1, NULL, NULL, 0};

	return e;
}

static void
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

static void
hm(char *buf, size_t len, double t)
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
	char sum[1024], d[64], a[8], b[8], what[160];
	struct alert_ev e = ev_of(t, ti, x->slug, "resolve", sum);
	int root = root_layer(t), rc;

	dur_text(d, sizeof(d), t->pstart - t->start);
	hm(a, sizeof(a), t->start);
	hm(b, sizeof(b), t->pstart);
	switch (ti) {
	case T_DOWN:
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
static int
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
static int
timers(struct ctx *x, struct track *t, int ti)
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
	if (x->window - t->notice >= x->c->reminder_every) {
		t->notice = x->window;
		hm(a, sizeof(a), t->start);
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

	if (!t->open || !t->held || (mt = in_maint(x)) != 0)
		return mt == -1 ? -1 : 0;
	end = x->m.end > 0 && x->m.end < t->held_end ? x->m.end : t->held_end;
	if (x->window < end + x->c->post_maint_grace || l->kind != FAIL)
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
		if (!t->open && (t->fail >= need || l->outage))
			return trigger(x, t, ti, l, NULL);
		if (post_maint(x, t, ti, l) == -1)
			return -1;
		if (t->open && strcmp(t->sev, "P2") == 0 && strcmp(l->sev, "P1") == 0)
			if (escalate(x, t, ti, l->summary) == -1)
				return -1;
	}
	return timers(x, t, ti);
}

/* --- reading verdicts ----------------------------------------------------- */

static int
in_array(const cJSON *arr, const char *s)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, arr)
	{
		if (cJSON_IsString(e) && strcmp(e->valuestring, s) == 0)
			return 1;
	}
	return 0;
}

/* "a", "a and b", "a, b and c" of the strings of arr not in skip. */
static void
join(char *buf, size_t len, const cJSON *arr, const cJSON *skip)
{
	const cJSON *e;
	const char *w[64], *sep;
	size_t used = 0;
	int n = 0, i;

	cJSON_ArrayForEach(e, arr)
	{
		if (cJSON_IsString(e) && n < 64 && !in_array(skip, e->valuestring))
			w[n++] = e->valuestring;
	}
	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++) {
		sep = i == 0 ? "" : ", ";
		if (i > 0 && i == n - 1)
			sep = " and ";
		used += (size_t)snprintf(buf + used, len - used, "%s%s", sep, w[i]);
	}
}

static int
p1_layer(int layer)
{
	return layer < mcp_step_index("tools_list");
}

/* Read one verdict; 0, or -1 with a reason in err. */
static int
classify(const cJSON *rec, struct verdict *vd, char *err, size_t errlen)
{
	const char *slug = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "slug"));
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "verdict"));
	const char *sv = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "severity"));
	const cJSON *step = cJSON_GetObjectItem(rec, "step");
	const cJSON *failed = cJSON_GetObjectItem(rec, "failed_regions");
	const cJSON *rep = cJSON_GetObjectItem(rec, "reporters");
	const cJSON *lat = cJSON_GetObjectItem(rec, "latency_ms");
	struct look *l = &vd->l;
	char reach[512];
	size_t u;
	int nf;

	memset(vd, 0, sizeof(*vd));
	if (v == NULL || sv == NULL || !cJSON_IsArray(failed) || !cJSON_IsArray(rep) ||
	    (!cJSON_IsNull(step) && !cJSON_IsString(step))) {
		snprintf(err, errlen,
		    "verdict record without verdict, severity, step, "
		    "failed_regions or reporters");
		return -1;
	}
	vd->error = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "error"));
	vd->host = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "host"));
	vd->latency = cJSON_IsNumber(lat) && isfinite(lat->valuedouble) && lat->valuedouble >= 0
	    ? lat->valuedouble
	    : -1;
	nf = cJSON_GetArraySize(failed);
	l->regions = failed;
	l->step = cJSON_GetStringValue(step);
	l->layer = l->step != NULL ? mcp_step_index(l->step) : -1;
	if (strcmp(v, "green") == 0) {
		l->kind = PASS;
		return 0;
	}
	if (strcmp(v, "unknown") == 0) {
		l->kind = NEUTRAL;
		return 0;
	}
	l->kind = FAIL;
	if (strcmp(v, "amber") == 0 && strcmp(sv, "divergence") == 0) {
		l->sev = "P2", l->step = NULL, l->layer = MCP_NSTEPS;
		l->regions = NULL;
		snprintf(l->summary, sizeof(l->summary),
		    "%s: " DIVERGENCE ": the regions serve different tool lists", slug);
		return 0;
	}
	if (l->layer < 0 || (strcmp(v, "amber") != 0 && strcmp(v, "red") != 0)) {
		snprintf(err, errlen, "verdict \"%s\" with step \"%s\": not known", v,
		    l->step ? l->step : "null");
		return -1;
	}
	if (strcmp(v, "amber") == 0) {
		l->sev = "P2";
		join(reach, sizeof(reach), rep, failed);
		snprintf(l->summary, sizeof(l->summary), "%s: %s failing in %d region%s; ", slug,
		    l->step, nf, plural(nf));
		u = strlen(l->summary);
		if (reach[0] != '\0')
			snprintf(l->summary + u, sizeof(l->summary) - u,
			    "reachable from %s, not from ", reach);
		else
			snprintf(l->summary + u, sizeof(l->summary) - u, "not reachable from ");
		join(reach, sizeof(reach), failed, NULL);
		strncat(l->summary, reach, sizeof(l->summary) - strlen(l->summary) - 1);
		return 0;
	}
	l->outage = strcmp(sv, "outage") == 0;
	/* Red is P1; a lone reporter failing is rated by its layer. */
	l->sev = l->outage || nf >= 2 || p1_layer(l->layer) ? "P1" : "P2";
	snprintf(l->summary, sizeof(l->summary), "%s: %s%s failing in %d region%s", slug,
	    l->outage ? "outage: " : "", l->step, nf, plural(nf));
	return 0;
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

/* Count a window in the error rate; the rate in percent, or -1 below the minimum. */
static double
err_add(const struct alert_conf *c, struct state *s, double window, int failing)
{
	long size = c->error_rate_window / ERR_BUCKETS, b, tot = 0, fail = 0;
	int i, k;

	size = size < 60 ? 60 : size;
	b = (long)(window / (double)size);
	k = (int)(b % ERR_BUCKETS);
	if (s->ebk[k] != b)
		s->ebk[k] = b, s->etot[k] = 0, s->efail[k] = 0;
	s->etot[k]++;
	s->efail[k] += failing;
	for (i = 0; i < ERR_BUCKETS; i++)
		if (s->ebk[i] > b - ERR_BUCKETS)
			tot += s->etot[i], fail += s->efail[i];
	return tot >= c->error_rate_min ? 100.0 * (double)fail / (double)tot : -1;
}

static int
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
		lat_add(s, day, vd->latency);
	}
	if (track_step(x, s, T_DOWN, &down, c->fail_windows) == -1 ||
	    track_step(x, s, T_RL, &rl, c->rate_limit_windows) == -1 ||
	    track_step(x, s, T_LAT, &lat, c->latency_windows) == -1)
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
	rate = err_add(c, s, x->window, failing);
	er.kind = rate > c->error_rate ? FAIL : PASS;
	dur_text(span, sizeof(span), (double)c->error_rate_window);
	snprintf(er.summary, sizeof(er.summary),
	    "%s: %.1f%% of windows failing over the last %s (threshold %g%%)", x->slug, rate, span,
	    c->error_rate);
	return track_step(x, s, T_ERR, &er, 1);
}

/* --- transactions ----------------------------------------------------------- */

static int
simple(struct ctx *x, const char *cmd, const char *arg)
{
	const char *argv[] = {cmd, arg};
	redisReply *r;

	if ((r = alert_cmd(x->st, arg != NULL ? 2 : 1, argv)) == NULL)
		return -1;
	freeReplyObject(r);
	return 0;
}

static int
any_open(const struct state *s)
{
	int i;

	for (i = 0; i < NTRACKS; i++)
		if (s->t[i].open)
			return 1;
	return 0;
}

/* One slug in a transaction: its keys, the state read, what saving it takes. */
struct slot {
	const char *slug;
	struct state s;
	int save;
	char mkey[MCP_SLUG_MAX + 32];
	const char *get[2], *mget[2], *ex[3], *set[3];
	char ttl[32];
	struct args a; /* the HSET; a.key is the state's key */
};

/*
 * WATCH the slots' states and read them and their maintenance windows, in
 * one round trip.  Each slot's maintenance window goes to m[i].  0; -1 on
 * a bad reply; -2 when the connection failed (it was reconnected: start
 * over).
 */
static int
tx_read(struct ctx *x, struct slot **sl, int n, struct alert_maint *m)
{
	const char *watch[BATCH_MAX + 1];
	struct alert_pipe *p;
	int i, rc = 0;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		err(MCP_EXIT_FAIL, "calloc");
	watch[0] = "WATCH";
	p->argv[0] = watch, p->argc[0] = n + 1, p->n = 1;
	for (i = 0; i < n; i++) {
		key_of(sl[i]->a.key, sizeof(sl[i]->a.key), sl[i]->slug);
		alert_maint_key(sl[i]->mkey, sizeof(sl[i]->mkey), sl[i]->slug);
		watch[i + 1] = sl[i]->a.key;
		sl[i]->get[0] = "HGETALL", sl[i]->get[1] = sl[i]->a.key;
		sl[i]->mget[0] = "HGETALL", sl[i]->mget[1] = sl[i]->mkey;
		p->argv[p->n] = sl[i]->get, p->argc[p->n++] = 2;
		p->argv[p->n] = sl[i]->mget, p->argc[p->n++] = 2;
	}
	if (alert_pipe_run(x->st, p) == -1) {
		free(p);
		return -2;
	}
	for (i = 0; rc == 0 && i < n; i++) {
		if (p->r[0]->type == REDIS_REPLY_ERROR ||
		    p->r[1 + 2 * i]->type != REDIS_REPLY_ARRAY ||
		    p->r[2 + 2 * i]->type != REDIS_REPLY_ARRAY) {
			warnx("redis: %s: unexpected reply", sl[i]->slug);
			rc = -1;
			break;
		}
		state_parse(&sl[i]->s, p->r[1 + 2 * i]);
		(void)alert_maint_parse(p->r[2 + 2 * i], &m[i]);
	}
	alert_pipe_free(p);
	free(p);
	return rc;
}

/*
 * Save the slots marked to save, queue the jobs, list or unlist each saved
 * slug as open: one MULTI/EXEC sent in one round trip.  1 when done, 0
 * when the WATCH saw a change, -1 on error, -2 when the connection failed
 * (start over).
 */
static int
tx_commit(struct ctx *x, struct slot **sl, int n)
{
	static const char *multi[] = {"MULTI"}, *exec[] = {"EXEC"};
	static char keys[ALERT_PIPE_MAX][ALERT_NAME_MAX + 32];
	static const char *push[ALERT_PIPE_MAX][3];
	struct alert_pipe *p;
	size_t j;
	int i, rc = 0;

	if (x->njobs + 3 * (size_t)n + 2 > ALERT_PIPE_MAX) {
		warnx("%s: %zu deliveries at once: too many", x->slug, x->njobs);
		return -1;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL)
		err(MCP_EXIT_FAIL, "calloc");
	p->argv[p->n] = multi, p->argc[p->n++] = 1;
	for (i = 0; i < n; i++) {
		if (!sl[i]->save)
			continue;
		sl[i]->a.n = sl[i]->a.k = 0;
		state_args(&sl[i]->s, &sl[i]->a);
		p->argv[p->n] = sl[i]->a.argv, p->argc[p->n++] = sl[i]->a.n;
		snprintf(sl[i]->ttl, sizeof(sl[i]->ttl), "%ld", x->c->state_ttl);
		sl[i]->ex[0] = "EXPIRE", sl[i]->ex[1] = sl[i]->a.key, sl[i]->ex[2] = sl[i]->ttl;
		p->argv[p->n] = sl[i]->ex, p->argc[p->n++] = 3;
		sl[i]->set[0] = any_open(&sl[i]->s) ? "SADD" : "SREM";
		sl[i]->set[1] = ALERT_OPEN_SET, sl[i]->set[2] = sl[i]->slug;
		p->argv[p->n] = sl[i]->set, p->argc[p->n++] = 3;
	}
	for (j = 0; j < x->njobs; j++) {
		alert_outbox_key(keys[j], sizeof(keys[j]), x->c, x->jobroute[j]);
		push[j][0] = "RPUSH", push[j][1] = keys[j], push[j][2] = x->jobs[j];
		p->argv[p->n] = push[j], p->argc[p->n++] = 3;
	}
	p->argv[p->n] = exec, p->argc[p->n++] = 1;
	if (alert_pipe_run(x->st, p) == -1) {
		free(p);
		return -2;
	}
	for (i = 0; rc == 0 && i < p->n - 1; i++)
		if (p->r[i]->type == REDIS_REPLY_ERROR) {
			warnx("redis: %s: %s", p->argv[i][0], p->r[i]->str);
			rc = -1;
		}
	if (rc == 0 && p->r[p->n - 1]->type == REDIS_REPLY_ERROR) {
		warnx("redis: EXEC: %s", p->r[p->n - 1]->str);
		rc = -1;
	}
	if (rc == 0)
		rc = p->r[p->n - 1]->type == REDIS_REPLY_ARRAY;
	alert_pipe_free(p);
	free(p);
	return rc;
}

static int
put_out(struct ctx *x)
{
	if (x->out.len > 0 &&
	    (mcp_rec_put(stdout, x->out.p, x->out.len) == -1 || fflush(stdout) == EOF)) {
		warn("write stdout");
		return -1;
	}
	mcp_buf_reset(&x->out);
	return 0;
}

typedef int (*decide_fn)(struct ctx *x, struct state *s, void *arg);

/*
 * Decide under WATCH, so that two mcp-alert processes on one slug never
 * both act on the same state: the loser decides again.  fn returns 1 to
 * save, 0 to leave the state as it was, -1 on error.
 */
static int
decide(struct ctx *x, decide_fn fn, void *arg)
{
	static struct slot one;
	struct slot *sl = &one;
	int tries, rc, broken = 0;

	one.slug = x->slug;
	for (tries = 0; tries < 10; tries++) {
		mcp_buf_reset(&x->out);
		jobs_reset(x);
		/* A lost connection is retried once, from the read. */
		if ((rc = tx_read(x, &sl, 1, &x->m)) == -2 && broken++ == 0)
			continue;
		if (rc < 0)
			return -1;
		x->maint = MAINT_LOADED;
		if ((one.save = fn(x, &one.s, arg)) <= 0) {
			(void)simple(x, "UNWATCH", NULL);
			return one.save;
		}
		if ((rc = tx_commit(x, &sl, 1)) == -2 && broken++ == 0)
			continue;
		if (rc != 0)
			return rc < 0 ? -1 : put_out(x);
	}
	warnx("%s: the state kept changing under another writer; not decided", x->slug);
	return -1;
}

static int
on_window(struct ctx *x, struct state *s, void *arg)
{
	/* A window already decided (a replay after a restart) changes nothing. */
	if (x->window <= s->last)
		return 0;
	if (step_state(x, s, arg) == -1)
		return -1;
	s->last = x->window;
	return 1;
}

/*
 * The filter decides up to BATCH_MAX verdicts of distinct slugs together: one
 * round trip WATCHes and reads them all, one MULTI/EXEC saves them all.
 * When another writer changed one of them, each is decided again alone.
 */

struct item {
	cJSON *rec; /* owned: vd points into it */
	struct verdict vd;
	double window;
	struct slot sl;
};

struct batch {
	struct item it[BATCH_MAX];
	int n;
};

static void
batch_clear(struct batch *b)
{
	int i;

	for (i = 0; i < b->n; i++)
		cJSON_Delete(b->it[i].rec);
	b->n = 0;
}

/* Each verdict of the batch decided alone, as decide() does. */
static int
batch_alone(struct ctx *x, struct batch *b)
{
	int i, rc = 0;

	mcp_buf_reset(&x->out);
	jobs_reset(x);
	for (i = 0; rc == 0 && i < b->n; i++) {
		x->slug = b->it[i].sl.slug, x->window = b->it[i].window;
		rc = decide(x, on_window, &b->it[i].vd);
	}
	batch_clear(b);
	return rc;
}

static int
batch_flush(struct ctx *x)
{
	struct batch *b = x->b;
	struct slot *sl[BATCH_MAX];
	struct alert_maint m[BATCH_MAX];
	struct item *it;
	int i, rc = 0, saves = 0;

	if (b->n == 0)
		return 0;
	if (b->n == 1)
		return batch_alone(x, b);
	mcp_buf_reset(&x->out);
	jobs_reset(x);
	for (i = 0; i < b->n; i++)
		sl[i] = &b->it[i].sl;
	if ((rc = tx_read(x, sl, b->n, m)) == -2)
		return batch_alone(x, b);
	for (i = 0; rc == 0 && i < b->n; i++) {
		it = &b->it[i];
		x->m = m[i], x->maint = MAINT_LOADED;
		x->slug = it->sl.slug, x->window = it->window;
		if ((it->sl.save = on_window(x, &it->sl.s, &it->vd)) == -1)
			rc = -1;
		else
			saves += it->sl.save;
	}
	if (rc == -1 || saves == 0) {
		(void)simple(x, "UNWATCH", NULL);
		batch_clear(b);
		return rc;
	}
	/* Too much for one transaction, the connection, another writer: one by one. */
	if (x->njobs + 3 * (size_t)b->n + 2 > ALERT_PIPE_MAX) {
		(void)simple(x, "UNWATCH", NULL);
		return batch_alone(x, b);
	}
	if ((rc = tx_commit(x, sl, b->n)) == -1)
		return -1;
	if (rc != 1)
		return batch_alone(x, b);
	batch_clear(b);
	return put_out(x);
}

static int
on_verdict(cJSON *rec, long lineno, void *arg)
{
	struct ctx *x = arg;
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "type"));
	const char *slug = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "slug"));
	const cJSON *win = cJSON_GetObjectItem(rec, "window");
	struct item *it;
	char why[256];
	int i;

	if (strcmp(type, "verdict") != 0 || slug == NULL || !mcp_slug_ok(slug) ||
	    !cJSON_IsNumber(win) || win->valuedouble < 0) {
		warnx("stdin:%ld: not a verdict record with a slug and a window", lineno);
		return 1;
	}
	/* A window of the future (milliseconds for seconds?) would silence the slug. */
	if (win->valuedouble > mcp_now() + 86400) {
		warnx("stdin:%ld: window %.0f is more than a day ahead of the clock", lineno,
		    win->valuedouble);
		return 1;
	}
	for (i = 0; i < x->b->n; i++)
		if (strcmp(x->b->it[i].sl.slug, slug) == 0 && batch_flush(x) == -1)
			return -1;
	it = &x->b->it[x->b->n];
	if ((it->rec = cJSON_Duplicate(rec, 1)) == NULL)
		err(MCP_EXIT_FAIL, "cJSON");
	if (classify(it->rec, &it->vd, why, sizeof(why)) == -1) {
		warnx("stdin:%ld: %s", lineno, why);
		cJSON_Delete(it->rec);
		return 1;
	}
	it->sl.slug = cJSON_GetStringValue(cJSON_GetObjectItem(it->rec, "slug"));
	it->window = win->valuedouble;
	if (++x->b->n == BATCH_MAX)
		return batch_flush(x) == -1 ? -1 : 0;
	return 0;
}

static void
ctx_free(struct ctx *x)
{
	jobs_reset(x);
	free(x->jobs);
	free(x->jobroute);
	mcp_buf_free(&x->out);
}

/* Deliver what is due; the undelivered records go to stdout. */
static int
flush(struct ctx *x)
{
	int rc = alert_deliver(x->st, x->c, &x->out);

	return put_out(x) == -1 || rc == -1 ? -1 : 0;
}

/* --- the clock: escalation steps of unacknowledged P1s ---------------------- */

static int
on_clock(struct ctx *x, struct state *s, void *arg)
{
	const struct alert_conf *c = x->c;
	double now = mcp_now();
	char sum[1024], d[64];
	unsigned long told, pd = pd_routes(c);
	struct alert_ev e;
	struct track *t;
	int ti, changed = 0;

	(void)arg;
	/* Listed as open, but its state has expired or closed: unlist it. */
	if (!any_open(s))
		return 1;
	for (ti = 0; ti < NTRACKS; ti++) {
		t = &s->t[ti];
		if (!t->open || t->ack > 0 || t->held || strcmp(t->sev, "P1") != 0 || t->p1at <= 0)
			continue;
		/* Routes with an escalation of their own (PagerDuty) escalate alone. */
		told = routes_of(c, t->routes);
		if (told != 0 && (told & ~pd) == 0)
			continue;
		while (t->steps < c->nsteps && now - t->p1at >= c->steps[t->steps].after) {
			x->window = now;
			if (in_maint(x) == 1)
				break;
			dur_text(d, sizeof(d), now - t->p1at);
			snprintf(sum, sizeof(sum),
			    "%s: P1 unacknowledged for %s; escalation step %d of %d", x->slug, d,
			    t->steps + 1, c->nsteps);
			e = ev_of(t, ti, x->slug, "escalate", sum);
			e.escalation = t->steps + 1;
			if (announce(x, t, &e, c->steps[t->steps].routes) == -1)
				return -1;
			t->steps++;
			changed = 1;
		}
	}
	return changed;
}

int
alert_tick(struct mcp_store *st, const struct alert_conf *c)
{
	struct ctx x = {st, c, NULL, 0, 0, {0, 0, ""}, {0}, NULL, NULL, 0};
	const char *argv[] = {"SMEMBERS", ALERT_OPEN_SET};
	redisReply *r;
	size_t i;
	int rc = 0;

	if (c->nsteps > 0) {
		if ((r = alert_cmd(st, 2, argv)) == NULL)
			return -1;
		for (i = 0; rc == 0 && i < r->elements; i++) {
			if (!mcp_slug_ok(r->element[i]->str))
				continue;
			x.slug = r->element[i]->str;
			rc = decide(&x, on_clock, NULL);
		}
		freeReplyObject(r);
	}
	if (rc == 0)
		rc = flush(&x);
	ctx_free(&x);
	return rc;
}

/* --- the filter --------------------------------------------------------------- */

/*
 * Read verdicts as they come, deciding each line at once; every tick
 * seconds, and at the end, run the clock and deliver.  A filter that is
 * left running (a pipe that stays open) still escalates and retries.
 */
int
alert_filter(struct mcp_store *st, const struct alert_conf *c)
{
	struct ctx x = {st, c, NULL, 0, 0, {0, 0, ""}, {0}, NULL, NULL, 0};
	struct mcp_loop_stats ls = {0};
	struct pollfd pfd = {STDIN_FILENO, POLLIN, 0};
	char *buf = NULL, *nl;
	size_t len = 0, cap = 0, off;
	double next = mcp_mono() + (double)c->tick;
	long lineno = 0;
	ssize_t n;
	int rc = 0, eof = 0, wait;

	if ((x.b = calloc(1, sizeof(*x.b))) == NULL)
		err(MCP_EXIT_FAIL, "calloc");

	while (rc == 0 && !eof) {
		wait = (int)(fmin(next - mcp_mono(), 60) * 1000);
		n = poll(&pfd, 1, wait < 0 ? 0 : wait);
		if (n == -1 && errno != EINTR) {
			warn("poll stdin");
			rc = -1;
			break;
		}
		if (n > 0) {
			if (cap - len < 65536 &&
			    (buf = realloc(buf, cap = cap ? cap * 2 : 131072)) == NULL)
				err(MCP_EXIT_FAIL, "realloc");
			if ((n = read(STDIN_FILENO, buf + len, cap - len - 1)) == -1) {
				if (errno == EINTR || errno == EAGAIN)
					continue;
				warn("read stdin");
				rc = -1;
				break;
			}
			eof = n == 0;
			len += (size_t)n;
			for (off = 0; rc == 0; off = (size_t)(nl - buf) + 1) {
				if ((nl = memchr(buf + off, '\n', len - off)) == NULL) {
					if (!eof || off == len)
						break;
					nl = buf + len; /* the last line, without a newline */
				}
				*nl = '\0';
				rc = mcp_loop_line(buf + off, (size_t)(nl - buf - (long)off),
				    "stdin", ++lineno, on_verdict, &x, &ls);
				if (nl == buf + len) {
					off = len;
					break;
				}
			}
			memmove(buf, buf + off, len - off);
			len -= off;
			if (rc == 0 && batch_flush(&x) == -1)
				rc = -1;
			if (rc == 0 && !eof && flush(&x) == -1)
				rc = -1;
		}
		if (rc == 0 && !eof && mcp_mono() >= next) {
			rc = alert_tick(st, c);
			next = mcp_mono() + (double)c->tick;
		}
	}
	free(buf);
	batch_clear(x.b);
	free(x.b);
	if (rc == 0)
		rc = alert_tick(st, c);
	ctx_free(&x);
	if (rc == -1)
		return MCP_EXIT_FAIL;
	return ls.bad > 0 ? MCP_EXIT_FAIL : MCP_EXIT_OK;
}

/* --- test and ack ------------------------------------------------------------- */

int
alert_test(struct mcp_store *st, const struct alert_conf *c, const char *slug)
{
	struct ctx x = {st, c, slug, mcp_now(), 0, {0, 0, ""}, {0}, NULL, NULL, 0};
	char sum[256];
	int rc;
	struct alert_ev e = {"test", "P1", slug, NULL, 0, NULL, NULL, sum, -1, NULL, NULL, 0};

	e.started = (double)(long)x.window;
	x.maint = 0; /* a test goes through, maintenance or not */
	snprintf(sum, sizeof(sum), "%s: test alert from mcp-alert test; nothing is failing", slug);
	rc = emit_to(&x, NULL, &e, alert_routes_for(c, "P1", mcp_now()));
	if (rc == 0)
		rc = tx_commit(&x, NULL, 0) == 1 ? 0 : -1;
	if (rc == 0)
		rc = put_out(&x);
	if (rc == 0)
		rc = flush(&x);
	ctx_free(&x);
	return rc == 0 ? MCP_EXIT_OK : MCP_EXIT_FAIL;
}

struct ackarg {
	int track;
	double start;
	int found;
};

static int
on_ack(struct ctx *x, struct state *s, void *arg)
{
	struct ackarg *a = arg;
	struct track *t = &s->t[a->track];
	char sum[256];
	struct alert_ev e;

	if (!t->open || t->start != a->start) {
		a->found = 0;
		return 0;
	}
	a->found = 1;
	if (t->ack > 0)
		return 0;
	t->ack = mcp_ms_round(mcp_now());
	snprintf(sum, sizeof(sum), "%s: acknowledged; escalation stopped", x->slug);
	e = ev_of(t, a->track, x->slug, "acknowledge", sum);
	x->window = mcp_now();
	x->maint = 0;
	/* PagerDuty hears of it; the other routes have nothing to stop. */
	if (emit_to(x, t, &e, routes_of(x->c, t->routes) & pd_routes(x->c)) == -1)
		return -1;
	return 1;
}

int
alert_ack(struct mcp_store *st, const struct alert_conf *c, const char *key)
{
	struct ctx x = {st, c, NULL, 0, 0, {0, 0, ""}, {0}, NULL, NULL, 0};
	char slug[MCP_SLUG_MAX + 1], kind[32] = "";
	const char *colon = strchr(key, ':'), *last = strrchr(key, ':');
	struct ackarg a = {T_DOWN, 0, 0};
	char *end;
	int rc, i;

	if (colon == NULL || colon - key > MCP_SLUG_MAX ||
	    (a.start = strtod(last + 1, &end)) <= 0 || *end != '\0' ||
	    last - colon - 1 >= (long)sizeof(kind)) {
		warnx("ack: %s: not a dedup key (SLUG:START or SLUG:KIND:START)", key);
		return MCP_EXIT_USAGE;
	}
	snprintf(slug, sizeof(slug), "%.*s", (int)(colon - key), key);
	if (last != colon) {
		snprintf(kind, sizeof(kind), "%.*s", (int)(last - colon - 1), colon + 1);
		for (i = 1; i < NTRACKS && strcmp(kind, track_kind[i]) != 0; i++)
			;
		a.track = i;
	}
	if (!mcp_slug_ok(slug) || a.track == NTRACKS) {
		warnx("ack: %s: not a dedup key (SLUG:START or SLUG:KIND:START)", key);
		return MCP_EXIT_USAGE;
	}
	x.slug = slug;
	if ((rc = decide(&x, on_ack, &a)) == 0 && !a.found) {
		warnx("ack: %s: no open incident with this key", key);
		rc = 1;
	}
	if (rc == 0)
		rc = flush(&x);
	ctx_free(&x);
	return rc == 0 ? MCP_EXIT_OK : MCP_EXIT_FAIL;
}
