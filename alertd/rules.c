/*
 * rules.c - the incident state machine of mcp-alert(1): confirmation,
 * severity by layer and by region, dedup, reminders, escalation, recovery.
 * Rule times are the verdicts' windows, so a replayed stream decides as the
 * live one did; "at" in the records is the clock (mcp_now).
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert.h"
#include "loop.h"
#include "rec.h"

#define NLAYERS (MCP_NSTEPS + 1) /* the steps, then the divergence tier */
#define DIVERGENCE "cdn-cache-divergence"

enum { PASS, FAIL, NEUTRAL };

/* One slug's incident state: the hash mcp:{slug}:alert. */
struct state {
	double last;   /* the newest window decided, 0: none */
	int fail;      /* consecutive failing windows */
	int pass;      /* consecutive passing windows while open */
	double fstart; /* first window of the failing run */
	double pstart; /* first window of the passing run */
	int open;
	double start; /* the incident's first failing window */
	char sev[4];
	char step[32]; /* "" for the divergence tier */
	int esc;
	double ack;    /* when mcp-alert ack acknowledged it, 0: not */
	double notice; /* window of the trigger or the last reminder */
	char regions[1024];
	int cnt[NLAYERS];
};

/* What one verdict says. */
struct look {
	int kind;
	int outage;
	const char *sev;
	const char *step; /* NULL: divergence */
	int layer;
	const cJSON *regions;
	char summary[1024];
};

struct ctx {
	struct mcp_store *st;
	const struct alert_conf *c;
	const char *slug;
	double window;
	int maint; /* -1: not looked up yet */
	struct alert_maint m;
	struct mcp_buf out; /* the records of one verdict, printed once saved */
};

static const char *
layer_name(int i)
{
	return i < MCP_NSTEPS ? mcp_steps[i] : DIVERGENCE;
}

static void
key_of(char *buf, size_t len, const char *slug)
{
	snprintf(buf, len, "mcp:{%s}:alert", slug);
}

static int
state_load(struct ctx *x, struct state *s)
{
	char key[MCP_SLUG_MAX + 32];
	const char *argv[] = {"HGETALL", key};
	redisReply *r;
	size_t i;
	const char *f, *v;

	memset(s, 0, sizeof(*s));
	key_of(key, sizeof(key), x->slug);
	if ((r = alert_cmd(x->st, 2, argv)) == NULL)
		return -1;
	for (i = 0; i + 1 < r->elements; i += 2) {
		f = r->element[i]->str, v = r->element[i + 1]->str;
		if (strcmp(f, "last") == 0)
			s->last = strtod(v, NULL);
		else if (strcmp(f, "fail") == 0)
			s->fail = atoi(v);
		else if (strcmp(f, "pass") == 0)
			s->pass = atoi(v);
		else if (strcmp(f, "fstart") == 0)
			s->fstart = strtod(v, NULL);
		else if (strcmp(f, "pstart") == 0)
			s->pstart = strtod(v, NULL);
		else if (strcmp(f, "open") == 0)
			s->open = atoi(v);
		else if (strcmp(f, "start") == 0)
			s->start = strtod(v, NULL);
		else if (strcmp(f, "sev") == 0)
			snprintf(s->sev, sizeof(s->sev), "%s", v);
		else if (strcmp(f, "step") == 0)
			snprintf(s->step, sizeof(s->step), "%s", v);
		else if (strcmp(f, "esc") == 0)
			s->esc = atoi(v);
		else if (strcmp(f, "ack") == 0)
			s->ack = strtod(v, NULL);
		else if (strcmp(f, "notice") == 0)
			s->notice = strtod(v, NULL);
		else if (strcmp(f, "regions") == 0)
			snprintf(s->regions, sizeof(s->regions), "%s", v);
		else if (f[0] == 'c' && f[1] >= '0' && f[1] < '0' + NLAYERS && f[2] == '\0')
			s->cnt[f[1] - '0'] = atoi(v);
	}
	freeReplyObject(r);
	return 0;
}

struct args {
	const char *argv[64];
	char num[32][32];
	int n, k;
};

static void
arg_num(struct args *a, const char *name, double v)
{
	snprintf(a->num[a->k], sizeof(a->num[0]), "%.0f", v);
	a->argv[a->n++] = name;
	a->argv[a->n++] = a->num[a->k++];
}

static int
state_save(struct ctx *x, const struct state *s)
{
	static const char *const cn[NLAYERS] = {
	    "c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"};
	char key[MCP_SLUG_MAX + 32], ttl[32];
	const char *ex[] = {"EXPIRE", key, ttl};
	struct args a = {.n = 0};
	redisReply *r;
	int i;

	key_of(key, sizeof(key), x->slug);
	a.argv[a.n++] = "HSET";
	a.argv[a.n++] = key;
	arg_num(&a, "last", s->last);
	arg_num(&a, "fail", s->fail);
	arg_num(&a, "pass", s->pass);
	arg_num(&a, "fstart", s->fstart);
	arg_num(&a, "pstart", s->pstart);
	arg_num(&a, "open", s->open);
	arg_num(&a, "start", s->start);
	arg_num(&a, "esc", s->esc);
	arg_num(&a, "notice", s->notice);
	arg_num(&a, "ack", s->ack);
	for (i = 0; i < NLAYERS; i++)
		arg_num(&a, cn[i], s->cnt[i]);
	a.argv[a.n++] = "sev", a.argv[a.n++] = s->sev;
	a.argv[a.n++] = "step", a.argv[a.n++] = s->step;
	a.argv[a.n++] = "regions", a.argv[a.n++] = s->regions;
	snprintf(ttl, sizeof(ttl), "%ld", x->c->state_ttl);
	if ((r = alert_cmd(x->st, a.n, a.argv)) == NULL)
		return -1;
	freeReplyObject(r);
	if ((r = alert_cmd(x->st, 3, ex)) == NULL)
		return -1;
	freeReplyObject(r);
	return 0;
}

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
		used += snprintf(buf + used, len - used, "%s%s", sep, w[i]);
	}
}

static int
p1_layer(int layer)
{
	return layer < mcp_step_index("tools_list");
}

static const char *
plural(int n)
{
	return n == 1 ? "" : "s";
}

/* Read one verdict; 0, or -1 with a reason in err. */
static int
classify(const cJSON *rec, struct look *l, char *err, size_t errlen)
{
	const char *slug = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "slug"));
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "verdict"));
	const char *sv = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "severity"));
	const cJSON *step = cJSON_GetObjectItem(rec, "step");
	const cJSON *failed = cJSON_GetObjectItem(rec, "failed_regions");
	const cJSON *rep = cJSON_GetObjectItem(rec, "reporters");
	char reach[512];
	int nf;

	memset(l, 0, sizeof(*l));
	if (v == NULL || sv == NULL || !cJSON_IsArray(failed) || !cJSON_IsArray(rep) ||
	    (!cJSON_IsNull(step) && !cJSON_IsString(step))) {
		snprintf(err, errlen,
		    "verdict record without verdict, severity, step, "
		    "failed_regions or reporters");
		return -1;
	}
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
		if (reach[0] != '\0') {
			size_t u = strlen(l->summary);
			snprintf(l->summary + u, sizeof(l->summary) - u,
			    "reachable from %s, not from ", reach);
		} else {
			size_t u = strlen(l->summary);
			snprintf(l->summary + u, sizeof(l->summary) - u, "not reachable from ");
		}
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

/* Emit e, or a suppressed record for it inside a maintenance window. */
static int
emit(struct ctx *x, struct alert_ev *e)
{
	if (x->maint == -1 && (x->maint = alert_maint_get(x->st, x->slug, x->window, &x->m)) == -1)
		return -1;
	if (x->maint == 1) {
		e->suppressed = e->event;
		e->event = "suppressed";
		e->reason = x->m.reason;
	}
	return alert_emit(e, &x->out);
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

static int
root_layer(const struct state *s)
{
	int i, best = 0;

	for (i = 1; i < NLAYERS; i++)
		if (s->cnt[i] > s->cnt[best])
			best = i;
	return best;
}

static struct alert_ev
ev_of(const struct state *s, const char *slug, const char *event, const char *summary)
{
	struct alert_ev e = {event, s->sev, slug, s->start, s->step[0] ? s->step : NULL, NULL,
	    summary, -1, NULL, NULL};

	return e;
}

static int
emit_stored(struct ctx *x, struct alert_ev *e, const struct state *s)
{
	cJSON *regions = cJSON_Parse(s->regions);
	int rc;

	e->regions = cJSON_IsArray(regions) ? regions : NULL;
	rc = emit(x, e);
	cJSON_Delete(regions);
	return rc;
}

static int
resolve(struct ctx *x, struct state *s)
{
	char sum[1024], d[64], a[8], b[8];
	struct alert_ev e = ev_of(s, x->slug, "resolve", sum);
	int root = root_layer(s), rc;

	dur_text(d, sizeof(d), s->pstart - s->start);
	hm(a, sizeof(a), s->start);
	hm(b, sizeof(b), s->pstart);
	snprintf(sum, sizeof(sum),
	    "%s recovered after %s (%s\xe2\x80\x93%s UTC); root layer: %s in %d window%s; "
	    "all layers now passing.",
	    x->slug, d, a, b, layer_name(root), s->cnt[root], plural(s->cnt[root]));
	e.duration = s->pstart - s->start;
	rc = emit_stored(x, &e, s);
	memset(s, 0, sizeof(*s));
	return rc;
}

static int
trigger(struct ctx *x, struct state *s, const struct look *l)
{
	struct alert_ev e;
	char *r;

	s->open = 1, s->start = s->fstart, s->esc = 0, s->ack = 0, s->notice = x->window,
	s->pass = 0;
	snprintf(s->sev, sizeof(s->sev), "%s", l->sev);
	snprintf(s->step, sizeof(s->step), "%s", l->step ? l->step : "");
	r = l->regions ? cJSON_PrintUnformatted(l->regions) : NULL;
	snprintf(
	    s->regions, sizeof(s->regions), "%s", r && strlen(r) < sizeof(s->regions) ? r : "[]");
	free(r);
	e = ev_of(s, x->slug, "trigger", l->summary);
	return emit_stored(x, &e, s);
}

static int
escalate(struct ctx *x, struct state *s, const char *why)
{
	struct alert_ev e;

	snprintf(s->sev, sizeof(s->sev), "P1");
	s->esc = 1;
	e = ev_of(s, x->slug, "escalate", why);
	return emit_stored(x, &e, s);
}

/* The rules of the clock: escalation of a P2 at the tools layers, reminders. */
static int
timers(struct ctx *x, struct state *s)
{
	char sum[1024], d[64], a[8];
	struct alert_ev e;
	int tl = mcp_step_index("tools_list"), call = mcp_step_index("call");
	int layer = s->step[0] ? mcp_step_index(s->step) : -1;

	if (!s->open)
		return 0;
	if (strcmp(s->sev, "P2") == 0 && !s->esc && (layer == tl || layer == call) &&
	    x->window - s->start >= x->c->tools_escalate) {
		dur_text(d, sizeof(d), x->window - s->start);
		snprintf(sum, sizeof(sum), "%s: %s unresolved after %s; escalated to P1", x->slug,
		    s->step, d);
		if (escalate(x, s, sum) == -1)
			return -1;
	}
	if (x->window - s->notice >= x->c->reminder_every) {
		s->notice = x->window;
		hm(a, sizeof(a), s->start);
		dur_text(d, sizeof(d), x->window - s->start);
		snprintf(sum, sizeof(sum),
		    "%s: incident open for %s (since %s UTC); root layer: %s", x->slug, d, a,
		    layer_name(root_layer(s)));
		e = ev_of(s, x->slug, "reminder", sum);
		return emit_stored(x, &e, s);
	}
	return 0;
}

static int
step_state(struct ctx *x, struct state *s, const struct look *l)
{
	if (l->kind == PASS) {
		s->fail = 0;
		if (!s->open) {
			memset(s->cnt, 0, sizeof(s->cnt));
			return 0;
		}
		if (s->pass++ == 0)
			s->pstart = x->window;
		if (s->pass >= x->c->pass_windows)
			return resolve(x, s);
	} else if (l->kind == FAIL) {
		s->pass = 0;
		if (s->fail++ == 0)
			s->fstart = x->window;
		s->cnt[l->layer]++;
		if (!s->open && (s->fail >= x->c->fail_windows || l->outage))
			return trigger(x, s, l);
		if (s->open && strcmp(s->sev, "P2") == 0 && strcmp(l->sev, "P1") == 0)
			if (escalate(x, s, l->summary) == -1)
				return -1;
	}
	return timers(x, s);
}

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

/* Save s in one MULTI/EXEC: 1 when saved, 0 when the WATCH saw a change. */
static int
commit(struct ctx *x, const struct state *s)
{
	const char *exec[] = {"EXEC"};
	redisReply *r;
	int rc;

	if (simple(x, "MULTI", NULL) == -1)
		return -1;
	if (state_save(x, s) == -1) {
		(void)simple(x, "DISCARD", NULL);
		return -1;
	}
	if ((r = alert_cmd(x->st, 1, exec)) == NULL)
		return -1;
	rc = r->type == REDIS_REPLY_ARRAY;
	freeReplyObject(r);
	return rc;
}

static int
put_out(struct ctx *x)
{
	if (mcp_rec_put(stdout, x->out.p, x->out.len) == -1 || fflush(stdout) == EOF) {
		warn("write stdout");
		return -1;
	}
	mcp_buf_reset(&x->out);
	return 0;
}

/*
 * Decide one verdict under WATCH, so that two mcp-alert processes on one
 * slug never both act on the same state: the loser decides again.
 */
static int
decide(struct ctx *x, const struct look *l)
{
	char key[MCP_SLUG_MAX + 32];
	struct state s;
	int tries, rc;

	key_of(key, sizeof(key), x->slug);
	for (tries = 0; tries < 10; tries++) {
		mcp_buf_reset(&x->out);
		x->maint = -1;
		if (simple(x, "WATCH", key) == -1 || state_load(x, &s) == -1)
			return -1;
		/* A window already decided (a replay after a restart) changes nothing. */
		if (x->window <= s.last)
			return simple(x, "UNWATCH", NULL);
		if (step_state(x, &s, l) == -1) {
			(void)simple(x, "UNWATCH", NULL);
			return -1;
		}
		s.last = x->window;
		if ((rc = commit(x, &s)) != 0)
			return rc == -1 ? -1 : put_out(x);
	}
	warnx("%s: the state kept changing under another writer; verdict of %.0f not decided",
	    x->slug, x->window);
	return -1;
}

static int
on_verdict(cJSON *rec, long lineno, void *arg)
{
	struct ctx *x = arg;
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "type"));
	const cJSON *win = cJSON_GetObjectItem(rec, "window");
	struct look l;
	char why[256];

	x->slug = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "slug"));
	if (strcmp(type, "verdict") != 0 || x->slug == NULL || !mcp_slug_ok(x->slug) ||
	    !cJSON_IsNumber(win) || win->valuedouble < 0) {
		warnx("stdin:%ld: not a verdict record with a slug and a window", lineno);
		return 1;
	}
	if (classify(rec, &l, why, sizeof(why)) == -1) {
		warnx("stdin:%ld: %s", lineno, why);
		return 1;
	}
	x->window = win->valuedouble;
	return decide(x, &l);
}

int
alert_filter(struct mcp_store *st, const struct alert_conf *c)
{
	struct ctx x = {st, c, NULL, 0, -1, {0, 0, ""}, {0}};
	struct mcp_loop_stats ls = {0};
	int rc;

	rc = mcp_loop(stdin, "stdin", on_verdict, &x, &ls);
	mcp_buf_free(&x.out);
	if (rc == -1)
		return MCP_EXIT_FAIL;
	return ls.bad > 0 ? MCP_EXIT_FAIL : MCP_EXIT_OK;
}

int
alert_test(struct mcp_store *st, const char *slug)
{
	struct ctx x = {st, NULL, slug, mcp_now(), -1, {0, 0, ""}, {0}};
	char sum[256];
	int rc;
	struct alert_ev e = {"test", "P1", slug, 0, NULL, NULL, sum, -1, NULL, NULL};

	e.started = (double)(long)x.window;
	snprintf(sum, sizeof(sum), "%s: test alert from mcp-alert test; nothing is failing", slug);
	rc = emit(&x, &e) == -1 || put_out(&x) == -1 ? MCP_EXIT_FAIL : MCP_EXIT_OK;
	mcp_buf_free(&x.out);
	return rc;
}

int
alert_ack(struct mcp_store *st, const struct alert_conf *c, const char *key)
{
	struct ctx x = {st, c, NULL, 0, -1, {0, 0, ""}, {0}};
	char slug[MCP_SLUG_MAX + 1];
	const char *colon = strrchr(key, ':');
	struct state s;
	char *end;
	double start;
	int rc;

	if (colon == NULL || colon - key > MCP_SLUG_MAX || (start = strtod(colon + 1, &end)) <= 0 ||
	    *end != '\0') {
		warnx("ack: %s: not a dedup key (SLUG:START)", key);
		return MCP_EXIT_USAGE;
	}
	snprintf(slug, sizeof(slug), "%.*s", (int)(colon - key), key);
	if (!mcp_slug_ok(slug)) {
		warnx("ack: %s: bad slug", key);
		return MCP_EXIT_USAGE;
	}
	x.slug = slug;
	if (state_load(&x, &s) == -1)
		return MCP_EXIT_FAIL;
	if (!s.open || s.start != start) {
		warnx("ack: %s: no open incident with this key", key);
		rc = MCP_EXIT_FAIL;
	} else {
		s.ack = mcp_ms_round(mcp_now());
		rc = state_save(&x, &s) == -1 ? MCP_EXIT_FAIL : MCP_EXIT_OK;
	}
	return rc;
}
