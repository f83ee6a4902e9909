/*
 * statetext.c - a slug's incident state as the hash mcp:{slug}:alert
 * keeps it: its tracks, the latency baseline and the error-rate buckets,
 * read from the reply of HGETALL and written as one HSET of the fields
 * that changed.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "rules.h"

/* --- the state in Redis ----------------------------------------------------- */

/*
 * Text as the state is written, without stdio where it counts: a verdict
 * reads and writes the sixteen fields of its slug, most of them empty,
 * and the number conversions of printf and scanf were most of a storm's
 * CPU.  A value that does not fit its buffer is cut, as snprintf cut it.
 */
struct text {
	char *p;
	size_t len, u; /* p[u] is the NUL */
};

static void
put_mem(struct text *w, const char *s, size_t n)
{
	if (w->u + 1 >= w->len)
		return;
	if (n > w->len - 1 - w->u)
		n = w->len - 1 - w->u;
	memcpy(w->p + w->u, s, n);
	w->u += n;
	w->p[w->u] = '\0';
}

static void
put_str(struct text *w, const char *s)
{
	put_mem(w, s, strlen(s));
}

/* s, or "-" when it is empty. */
static void
put_word(struct text *w, const char *s)
{
	put_str(w, s[0] != '\0' ? s : "-");
}

static void
put_long(struct text *w, long long v)
{
	char b[24], *p = b + sizeof(b);
	unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (v < 0)
		*--p = '-';
	put_mem(w, p, (size_t)(b + sizeof(b) - p));
}

/* d as "%.0f" writes it, or "%.3f" when ms: whole numbers without stdio. */
static void
put_fixed(struct text *w, double d, int ms)
{
	char b[330]; /* the 309 digits of DBL_MAX, its sign and ".000" */

	if (d > -1e15 && d < 1e15 && d == (double)(long long)d && !(d == 0 && signbit(d))) {
		put_long(w, (long long)d);
		if (ms)
			put_mem(w, ".000", 4);
		return;
	}
	snprintf(b, sizeof(b), ms ? "%.3f" : "%.0f", d);
	put_str(w, b);
}

static void
put_sp(struct text *w)
{
	put_mem(w, " ", 1);
}

static void
track_text(const struct track *t, struct text *w)
{
	int i;

	put_long(w, t->fail), put_sp(w), put_long(w, t->pass), put_sp(w);
	put_fixed(w, t->fstart, 0), put_sp(w), put_fixed(w, t->pstart, 0), put_sp(w);
	put_long(w, t->open), put_sp(w), put_fixed(w, t->start, 0), put_sp(w);
	put_word(w, t->sev), put_sp(w), put_word(w, t->step), put_sp(w);
	put_long(w, t->esc), put_sp(w), put_fixed(w, t->ack, 1), put_sp(w);
	put_fixed(w, t->notice, 0), put_sp(w), put_fixed(w, t->p1at, 1), put_sp(w);
	put_long(w, t->steps), put_sp(w), put_long(w, t->held), put_sp(w);
	put_fixed(w, t->held_end, 0), put_sp(w), put_word(w, t->routes), put_sp(w);
	for (i = 0; i < NLAYERS; i++) {
		if (i > 0)
			put_mem(w, ",", 1);
		put_long(w, t->cnt[i]);
	}
	put_sp(w);
	put_str(w, t->regions[0] ? t->regions : "[]");
}

/*
 * The text of a track with nothing in it, made once (mcp-alert's threads
 * deliver; only the main thread reads and writes states).
 */
static const char *
empty_track(void)
{
	static char buf[160];
	static struct track zero;
	struct text w = {buf, sizeof(buf), 0};

	if (buf[0] == '\0')
		track_text(&zero, &w);
	return buf;
}

static int
track_empty(const struct track *t)
{
	int i;

	if (t->fail || t->pass || t->fstart != 0 || t->pstart != 0 || t->open || t->start != 0 ||
	    t->sev[0] || t->step[0] || t->esc || t->ack != 0 || t->notice != 0 || t->p1at != 0 ||
	    t->steps || t->held || t->held_end != 0 || t->routes[0] ||
	    (t->regions[0] && strcmp(t->regions, "[]") != 0))
		return 0;
	for (i = 0; i < NLAYERS; i++)
		if (t->cnt[i] != 0)
			return 0;
	return 1;
}

/* t zeroed by the caller. */
static void
track_parse(struct track *t, const char *v)
{
	char sev[4], step[32], routes[ALERT_ROUTES_MAX * ALERT_NAME_MAX], cnt[128], *p;
	int k = 0, i;

	/* Most tracks of most slugs: nothing to read. */
	if (strcmp(v, empty_track()) == 0) {
		snprintf(t->regions, sizeof(t->regions), "[]");
		return;
	}
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
_Static_assert(
    ARG_MAX >= sizeof(((struct track *)0)->routes) + sizeof(((struct track *)0)->regions) + 512,
    "a track fits in its value");

static void
track_format(const struct track *t, char *buf, size_t len)
{
	struct text w = {buf, len, 0};

	buf[0] = '\0';
	if (track_empty(t))
		put_str(&w, empty_track());
	else
		track_text(t, &w);
}

#define XTRACK_EMPTY "0 0 -"

/* "EXPIRY TIER FINGERPRINT", as xtrack_format writes it; zeros when it does not read. */
static void
xtrack_parse(struct xtrack *x, const char *v)
{
	char fpr[16];

	if (strcmp(v, XTRACK_EMPTY) == 0)
		return; /* x zeroed by the caller */
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
	char name[MCP_SLUG_MAX + 1], *e;
	size_t k;
	long n;

	s->now_w = strtod(v, &e);
	if (e == v || !(s->now_w >= 0 && s->now_w <= ALERT_TIME_MAX)) {
		s->now_w = 0;
		return;
	}
	for (v = e; s->nnow < ALERT_REGIONS_MAX; v = e) {
		while (isspace((unsigned char)*v))
			v++;
		k = strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789._-");
		if (k == 0 || k > MCP_SLUG_MAX || v[k] != ':')
			break;
		memcpy(name, v, k), name[k] = '\0';
		n = strtol(v + k + 1, &e, 10);
		if (e == v + k + 1 || !mcp_slug_ok(name) || n < 1 || n > 1000000)
			break;
		memcpy(s->now_name[s->nnow], name, k + 1);
		s->now_n[s->nnow++] = (int)n;
	}
}

/*
 * "A:B:C" and the blanks after it, an entry of lat (B a sum) or of ebk
 * (B a count): 1 with *v past it, 0 when v does not start with one.
 */
static int
entry_parse(const char **v, long *a, double *bsum, long *b, long *c)
{
	const char *p = *v;
	char *e;

	*a = strtol(p, &e, 10);
	if (e == p || *e != ':')
		return 0;
	p = e + 1;
	if (bsum != NULL)
		*bsum = strtod(p, &e);
	else
		*b = strtol(p, &e, 10);
	if (e == p || *e != ':')
		return 0;
	p = e + 1;
	*c = strtol(p, &e, 10);
	if (e == p)
		return 0;
	while (isspace((unsigned char)*e))
		e++;
	*v = e;
	return 1;
}

/* Each day back in its slot, day % LAT_DAYS, as lat_add keeps them. */
static void
lat_parse(struct state *s, const char *v)
{
	long day, cnt;
	double sum;
	int k;

	for (k = 0; k < LAT_DAYS && entry_parse(&v, &day, &sum, NULL, &cnt) && day >= 0; k++) {
		s->lday[day % LAT_DAYS] = day, s->lsum[day % LAT_DAYS] = sum;
		s->lcnt[day % LAT_DAYS] = cnt;
	}
}

static void
ebk_parse(struct state *s, const char *v)
{
	long b, tot, fail;
	int k;

	for (k = 0; k < ERR_BUCKETS && entry_parse(&v, &b, NULL, &tot, &fail) && b >= 0; k++) {
		s->ebk[b % ERR_BUCKETS] = b, s->etot[b % ERR_BUCKETS] = tot;
		s->efail[b % ERR_BUCKETS] = fail;
	}
}

#define TOOLSX_EMPTY "- - - - -"

/*
 * s emptied: what memset would make of it, but for the bytes of its
 * strings past their first (60 KB, most of it room for routes, regions
 * and names; zeroing all of it was a tenth of a storm's run).
 */
_Static_assert(offsetof(struct track, regions) > offsetof(struct track, routes) &&
        offsetof(struct track, routes) > offsetof(struct track, cnt),
    "a track's strings come last");
_Static_assert(offsetof(struct state, now_n) > offsetof(struct state, now_name) &&
        offsetof(struct state, tch) > offsetof(struct state, now_n) &&
        offsetof(struct state, tnoted) > offsetof(struct state, tch),
    "what follows now_name is zeroed whole");
static void
state_zero(struct state *s)
{
	int i;

	s->last = 0, s->seen = 0;
	for (i = 0; i < NTRACKS; i++) {
		memset(&s->t[i], 0, offsetof(struct track, routes));
		s->t[i].routes[0] = '\0', s->t[i].regions[0] = '\0';
	}
	memset(s->x, 0, sizeof(s->x));
	s->now_w = 0, s->nnow = 0;
	for (i = 0; i < ALERT_REGIONS_MAX; i++)
		s->now_name[i][0] = '\0';
	memset(s->now_n, 0, sizeof(*s) - offsetof(struct state, now_n));
}

/* The state from the reply of HGETALL mcp:{slug}:alert. */
void
state_parse(struct state *s, const redisReply *r)
{
	size_t i;
	int k;
	const char *f, *v;

	state_zero(s);
	for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
		f = r->element[i]->str, v = r->element[i + 1]->str;
		if (strcmp(f, "last") == 0)
			s->last = strtod(v, NULL);
		else if (strcmp(f, "seen") == 0)
			s->seen = strtod(v, NULL);
		else if (strcmp(f, "now") == 0)
			now_parse(s, v);
		else if (strcmp(f, "lat") == 0)
			lat_parse(s, v);
		else if (strcmp(f, "ebk") == 0)
			ebk_parse(s, v);
		else if (strcmp(f, "cloakx") == 0) {
			if (strcmp(v, "-") != 0 && strlen(v) < sizeof(s->cloak))
				snprintf(s->cloak, sizeof(s->cloak), "%s", v);
		} else if (strcmp(f, "appsx") == 0) {
			if (strcmp(v, "-") != 0 && strlen(v) < sizeof(s->apps))
				snprintf(s->apps, sizeof(s->apps), "%s", v);
		} else if (strcmp(f, "issx") == 0) {
			if (strcmp(v, "-") != 0 && strlen(v) < sizeof(s->issuer))
				snprintf(s->issuer, sizeof(s->issuer), "%s", v);
		} else if (strcmp(f, "gradex") == 0) {
			/* GRADE CODES: a letter and the reasons' bits, or "-". */
			if (v[0] >= 'A' && v[0] <= 'F' && v[1] == ' ') {
				s->grade = v[0];
				s->ready_codes = strtoul(v + 2, NULL, 10);
			}
		} else if (strcmp(f, "fndx") == 0) {
			s->fat = strtod(v, NULL);
		} else if (strcmp(f, "toolsx") == 0) {
			if (strcmp(v, TOOLSX_EMPTY) != 0)
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

/* The value of field f in the reply of HGETALL r, or NULL. */
static const redisReply *
stored(const redisReply *r, const char *f)
{
	size_t i;

	for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2)
		if (r->element[i]->type == REDIS_REPLY_STRING && strcmp(r->element[i]->str, f) == 0)
			return r->element[i + 1];
	return NULL;
}

/*
 * The field just written to a kept, or taken back when the store holds
 * that text already, or holds no such field and the text is the field's
 * empty one.
 */
static void
arg_same(struct args *a, const char *empty)
{
	const char *v = a->argv[a->n - 1];
	size_t len = strlen(v);
	const redisReply *o = a->was != NULL ? stored(a->was, a->argv[a->n - 2]) : NULL;

	if (a->was != NULL &&
	    (o != NULL
	            ? o->type == REDIS_REPLY_STRING && o->len == len && memcmp(o->str, v, len) == 0
	            : strcmp(v, empty) == 0))
		a->n -= 2;
	else
		a->used += len + 1;
}

/* The next value of a, as a text to write (of ARG_MAX bytes at most); arg_same after. */
static struct text
arg_text(struct args *a, const char *name)
{
	size_t room = sizeof(a->pool) - a->used;
	struct text w = {a->pool + a->used, room < ARG_MAX ? room : ARG_MAX, 0};

	w.p[0] = '\0';
	a->argv[a->n++] = name;
	a->argv[a->n++] = w.p;
	return w;
}

static void
arg_num(struct args *a, const char *name, double d)
{
	struct text w = arg_text(a, name);

	put_fixed(&w, d, 0);
	arg_same(a, "0");
}

static void
now_format(const struct state *s, struct args *a)
{
	struct text w = arg_text(a, "now");
	int i;

	put_fixed(&w, s->now_w, 0);
	for (i = 0; i < s->nnow; i++) {
		put_sp(&w), put_str(&w, s->now_name[i]);
		put_mem(&w, ":", 1), put_long(&w, s->now_n[i]);
	}
	arg_same(a, "0");
}

/* An entry of lat ("%ld:%.0f:%ld ") or, sum NULL, of ebk ("%ld:%ld:%ld "). */
static void
put_entry(struct text *w, long a, const double *sum, long b, long c)
{
	put_long(w, a), put_mem(w, ":", 1);
	if (sum != NULL)
		put_fixed(w, *sum, 0);
	else
		put_long(w, b);
	put_mem(w, ":", 1), put_long(w, c), put_sp(w);
}

/* The HSET of s into a, whose key and values it holds (see struct args). */
void
state_args(const struct state *s, struct args *a)
{
	char lat[LAT_DAYS * 48], ebk[ERR_BUCKETS * 40];
	struct text lw = {lat, sizeof(lat), 0}, ew = {ebk, sizeof(ebk), 0}, w;
	int i;

	a->argv[a->n++] = "HSET";
	a->argv[a->n++] = a->key;
	arg_num(a, "last", s->last);
	arg_num(a, "seen", s->seen);
	for (i = 0; i < NTRACKS; i++) {
		w = arg_text(a, track_field[i]);
		track_format(&s->t[i], w.p, w.len);
		arg_same(a, empty_track());
	}
	for (i = 0, lat[0] = '\0'; i < LAT_DAYS; i++)
		if (s->lcnt[i] > 0)
			put_entry(&lw, s->lday[i], &s->lsum[i], 0, s->lcnt[i]);
	w = arg_text(a, "lat");
	put_str(&w, lat[0] ? lat : "-");
	arg_same(a, "-");
	now_format(s, a);
	for (i = 0, ebk[0] = '\0'; i < ERR_BUCKETS; i++)
		if (s->etot[i] > 0)
			put_entry(&ew, s->ebk[i], NULL, s->etot[i], s->efail[i]);
	w = arg_text(a, "ebk");
	put_str(&w, ebk[0] ? ebk : "-");
	arg_same(a, "-");
	for (i = 0; i < NXTRACKS; i++) {
		w = arg_text(a, xtrack_field[i]);
		put_fixed(&w, s->x[i].exp, 0), put_sp(&w), put_long(&w, s->x[i].tier);
		put_sp(&w), put_word(&w, s->x[i].fpr);
		arg_same(a, XTRACK_EMPTY);
	}
	w = arg_text(a, "toolsx");
	tools_format(s, w.p, w.len);
	arg_same(a, TOOLSX_EMPTY);
	w = arg_text(a, "cloakx");
	put_word(&w, s->cloak);
	arg_same(a, "-");
	w = arg_text(a, "appsx");
	put_str(&w, s->apps[0] != '\0' ? s->apps : "-");
	arg_same(a, "-");
	w = arg_text(a, "issx");
	put_word(&w, s->issuer[0] != '\0' ? s->issuer : "-");
	arg_same(a, "-");
	w = arg_text(a, "gradex");
	if (s->grade != 0) {
		char g[2] = {s->grade, '\0'};

		put_word(&w, g), put_sp(&w), put_long(&w, (long)s->ready_codes);
	} else {
		put_word(&w, "-");
	}
	arg_same(a, "-");
	arg_num(a, "fndx", s->fat);
}
