/*
 * state.c - a slug's incident state in the hash mcp:{slug}:alert: its
 * tracks, the latency baseline and the error-rate buckets, read and
 * written; the routes an incident has told, and its queued jobs.
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
#include "notice.h"
#include "rec.h"
#include "rules.h"

/* The name in dedup keys and "kind", and the hash field of each track. */
const char *const track_kind[NTRACKS] = {
    NULL, "rate-limited", "latency", "error-rate", TOOLS_KIND, "cert-expiry", "token-expiry"};
const char *const track_field[NTRACKS] = {"down", "rl", "slow", "erate", "tools", "cert", "token"};
const char *const xtrack_field[NXTRACKS] = {"certx", "tokenx"};

const char *
plural(int n)
{
	return n == 1 ? "" : "s";
}

void
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

/* A track's value holds its routes, its regions and some numbers whole. */
_Static_assert(sizeof(((struct args *)0)->val[0]) >=
        sizeof(((struct track *)0)->routes) + sizeof(((struct track *)0)->regions) + 512,
    "a track fits in its value");

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

/* "EXPIRY TIER FINGERPRINT", as xtrack_format writes it; zeros when it does not read. */
static void
xtrack_parse(struct xtrack *x, const char *v)
{
	char fpr[16];

	memset(x, 0, sizeof(*x));
	if (sscanf(v, "%lf %d %15s", &x->exp, &x->tier, fpr) != 3 ||
	    !(x->exp > 0 && x->exp <= ALERT_TIME_MAX) || x->tier < 0 || x->tier > 8 ||
	    strspn(fpr, "-0123456789abcdef") != strlen(fpr)) {
		memset(x, 0, sizeof(*x));
		return;
	}
	snprintf(x->fpr, sizeof(x->fpr), "%s", strcmp(fpr, "-") == 0 ? "" : fpr);
}

/* "W name:n name:n ...": the regions failing now and for how long. */
static void
now_parse(struct state *s, const char *v)
{
	char name[MCP_SLUG_MAX + 1];
	int n, k;

	if (sscanf(v, "%lf%n", &s->now_w, &k) != 1 ||
	    !(s->now_w >= 0 && s->now_w <= ALERT_TIME_MAX)) {
		s->now_w = 0;
		return;
	}
	for (v += k; s->nnow < ALERT_REGIONS_MAX; v += k) {
		if (sscanf(v, " %80[a-z0-9._-]:%d%n", name, &n, &k) != 2 || !mcp_slug_ok(name) ||
		    n < 1 || n > 1000000)
			break;
		snprintf(s->now_name[s->nnow], sizeof(s->now_name[0]), "%s", name);
		s->now_n[s->nnow++] = n;
	}
}

/* The state from the reply of HGETALL mcp:{slug}:alert. */
void
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
		else if (strcmp(f, "now") == 0)
			now_parse(s, v);
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
		} else if (strcmp(f, "toolsx") == 0) {
			tools_parse(s, v);
		} else {
			for (k = 0; k < NTRACKS; k++)
				if (strcmp(f, track_field[k]) == 0)
					track_parse(&s->t[k], v);
			for (k = 0; k < NXTRACKS; k++)
				if (strcmp(f, xtrack_field[k]) == 0)
					xtrack_parse(&s->x[k], v);
		}
	}
}

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

static void
now_format(const struct state *s, struct args *a)
{
	char *b = a->val[a->k];
	size_t u, len = sizeof(a->val[0]);
	int i;

	u = (size_t)snprintf(b, len, "%.0f", s->now_w);
	for (i = 0; i < s->nnow && u < len; i++)
		u += (size_t)snprintf(b + u, len - u, " %s:%d", s->now_name[i], s->now_n[i]);
	a->argv[a->n++] = "now";
	a->argv[a->n++] = a->val[a->k++];
}

/* The HSET of s into a, whose key and values it holds. */
void
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
	now_format(s, a);
	for (i = 0, u = 0, ebk[0] = '\0'; i < ERR_BUCKETS && u < sizeof(ebk); i++)
		if (s->etot[i] > 0)
			u += (size_t)snprintf(ebk + u, sizeof(ebk) - u, "%ld:%ld:%ld ", s->ebk[i],
			    s->etot[i], s->efail[i]);
	arg_add(a, "ebk", "%s", ebk[0] ? ebk : "-");
	for (i = 0; i < NXTRACKS; i++)
		arg_add(a, xtrack_field[i], "%.0f %d %s", s->x[i].exp, s->x[i].tier,
		    s->x[i].fpr[0] ? s->x[i].fpr : "-");
	a->argv[a->n++] = "toolsx";
	tools_format(s, a->val[a->k], sizeof(a->val[0]));
	a->argv[a->n++] = a->val[a->k++];
}

#define STR_(x) #x
#define STR(x) STR_(x)

static void
pub_cmd(struct pub *p, int argc, const char *a0, const char *a1, const char *a2, const char *a3)
{
	p->argv[p->n][0] = a0, p->argv[p->n][1] = a1, p->argv[p->n][2] = a2, p->argv[p->n][3] = a3;
	p->argc[p->n++] = argc;
}

/* --- routes ----------------------------------------------------------------- */

unsigned long
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
void
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

unsigned long
pd_routes(const struct alert_conf *c)
{
	unsigned long set = 0;
	int i;

	for (i = 0; i < c->nroutes; i++)
		if (c->routes[i].type == RT_PAGERDUTY)
			set |= 1UL << i;
	return set;
}

void
job_add(struct ctx *x, int route, const cJSON *rec)
{
	if ((x->jobs = reallocarray(x->jobs, x->njobs + 1, sizeof(*x->jobs))) == NULL ||
	    (x->jobroute = reallocarray(x->jobroute, x->njobs + 1, sizeof(*x->jobroute))) == NULL ||
	    (x->jobdigest = realloc(x->jobdigest, x->njobs + 1)) == NULL)
		err(MCP_EXIT_FAIL, "realloc");
	x->jobs[x->njobs] = alert_job_new(x->c, route, rec);
	x->jobdigest[x->njobs] = (unsigned char)alert_digested(x->c, route, rec);
	x->jobroute[x->njobs++] = route;
}

void
jobs_reset(struct ctx *x)
{
	size_t i;

	for (i = 0; i < x->njobs; i++)
		free(x->jobs[i]);
	x->njobs = 0;
	for (i = 0; i < x->npub; i++) {
		free(x->pub[i].rec);
		free(x->pub[i].note);
	}
	x->npub = 0;
}

/*
 * The notice of an incident opened or resolved, for the subscribers of its
 * slug (subscriber_incidents in mcp-alert.conf(5)): its summary is the
 * title.  Owned; its id into nid.
 */
static char *
pub_note(const struct alert_ev *e, const cJSON *rec, char *nid, size_t len)
{
	int opened = strcmp(e->event, "trigger") == 0;
	cJSON *n = notice_new(opened ? "incident-opened" : "incident-resolved", mcp_now());

	cJSON_AddStringToObject(n, "title", e->summary);
	cJSON_AddStringToObject(n, "text",
	    opened ? "The probes see this server failing; "
	             "this notice was sent without a person."
	           : "The probes see this server working again.");
	cJSON_AddBoolToObject(n, "all", 0);
	cJSON_AddItemToObject(n, "slugs", cJSON_CreateStringArray(&e->slug, 1));
	cJSON_AddStringToObject(n, "incident", alert_str(rec, "dedup_key"));
	return notice_text(n, nid, len);
}

/*
 * The public record of an incident, for the status page: an opened or
 * escalated one (trigger, escalate) is set as its track's field of
 * mcp:{slug}:incident; a resolved one leaves it for the head of
 * mcp:{slug}:incidents.  Written in the transaction of the state.
 */
void
pub_add(struct ctx *x, const struct alert_ev *e, const cJSON *rec)
{
	struct mcp_buf line = {0};
	struct pub *p;
	char why[256];

	if (strcmp(e->event, "trigger") != 0 && strcmp(e->event, "escalate") != 0 &&
	    strcmp(e->event, "resolve") != 0)
		return;
	/* An expiry to come is the operators' concern: the public pages show outages. */
	if (e->expires > 0)
		return;
	/* So is the watchdog of the probes: its slug is a region, or mcp-uptime. */
	if (e->track != NULL &&
	    (strcmp(e->track, WD_SILENT) == 0 || strcmp(e->track, WD_BLIND) == 0 ||
	        strcmp(e->track, WD_FAULT) == 0 || strcmp(e->track, WD_SHORT) == 0))
		return;
	/* The bytes of the record printed, without its newline. */
	if (mcp_rec_format(&line, rec, why, sizeof(why)) == -1)
		errx(MCP_EXIT_FAIL, "%s", why);
	line.p[--line.len] = '\0';
	if ((x->pub = reallocarray(x->pub, x->npub + 1, sizeof(*x->pub))) == NULL)
		err(MCP_EXIT_FAIL, "out of memory");
	p = &x->pub[x->npub++];
	memset(p, 0, sizeof(*p));
	p->rec = line.p;
	p->resolve = strcmp(e->event, "resolve") == 0;
	snprintf(p->key[0], sizeof(p->key[0]), "mcp:{%s}:incident", e->slug);
	snprintf(p->key[1], sizeof(p->key[1]), "mcp:{%s}:incidents", e->slug);
	snprintf(p->field, sizeof(p->field), "%s", e->track != NULL ? e->track : "down");
	snprintf(p->ttl, sizeof(p->ttl), "%ld", p->resolve ? ALERT_HISTORY_TTL : x->c->state_ttl);
	if (strcmp(e->event, "escalate") != 0 && alert_page_incidents(x->c, e->slug))
		p->note = pub_note(e, rec, p->nid, sizeof(p->nid));
}

/*
 * The commands of p, pointing into p: made when the array of them no
 * longer moves (just before they are sent).
 */
void
pub_bind(struct pub *p)
{
	static const char note_lua[] = NOTICE_LUA("1", "2", "1", "2");

	snprintf(p->nkey, sizeof(p->nkey), PAGE_NOTICE "%s", p->nid);
	p->nargv[0] = "EVAL", p->nargv[1] = note_lua, p->nargv[2] = "2", p->nargv[3] = p->nkey;
	p->nargv[4] = PAGE_NOTICES, p->nargv[5] = p->note, p->nargv[6] = p->nid;
	p->n = 0;
	if (!p->resolve) {
		pub_cmd(p, 4, "HSET", p->key[0], p->field, p->rec);
		pub_cmd(p, 3, "EXPIRE", p->key[0], p->ttl, NULL);
		return;
	}
	pub_cmd(p, 3, "HDEL", p->key[0], p->field, NULL);
	pub_cmd(p, 3, "LPUSH", p->key[1], p->rec, NULL);
	pub_cmd(p, 4, "LTRIM", p->key[1], "0", STR(ALERT_HISTORY_LAST));
	pub_cmd(p, 3, "EXPIRE", p->key[1], p->ttl, NULL);
}
