/*
 * hist.c - the long history of a slug and its report (hist.h).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"

#define DAY 86400
#define WIN 60

const char *const mcp_report_rule[][2] = {
    {"minutes",
        "Each minute of the period is one window with one verdict, decided by two of "
        "N regions (mcp-aggregate(1)); times are UTC."},
    {"down",
        "Down: the red minutes, two regions or more failing the same step (or the only "
        "region that reports failing)."},
    {"degraded",
        "Degraded: the amber minutes, one region failing or regions seeing different "
        "tool lists; counted as up, and shown."},
    {"maintenance",
        "In maintenance: the minutes decided while a maintenance window of "
        "mcp-alert maint held the server, whatever the probes saw; left out of the "
        "uptime, and shown."},
    {"no_data",
        "Without data: the unknown minutes (no region reported) and the minutes "
        "without a verdict (the aggregator did not run, or the server was not "
        "probed yet); left out of the uptime, and counted."},
    {"uptime", "Uptime: the green and amber minutes over the green, amber and red ones."},
    {"incidents",
        "An incident is a run of red minutes, read from the verdicts, not from "
        "mcp-alert (which may not run): red minutes at most 2 minutes apart are one "
        "incident. It starts at its first red minute and ends at the end of its last; "
        "its down minutes are the red ones in it. A day keeps 24 incidents: the 24th "
        "of a day with more takes the rest of that day."},
    {"mttr",
        "Mean time to recover (MTTR): the mean duration of the incidents that ended in "
        "the period, each whole (from before the period when it began there); one still "
        "going on is listed, not counted."},
    {"regions",
        "A region's uptime: the minutes its own probe passed over the minutes it "
        "probed, each minute counted once, as it was first decided; minutes in "
        "maintenance and results set aside as probe faults are left out."},
    {"fleet",
        "A fleet's uptime: every server's green and amber minutes over all their green, "
        "amber and red ones (each server-minute weighs the same)."},
    {NULL, NULL},
};

static unsigned
be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

int
mcp_hist_day(const unsigned char *ring, size_t len, long day, long c[MCP_H_NKIND])
{
	const unsigned char *p;
	long sum = 0;
	int k;

	if (ring == NULL || len != MCP_HIST_RING || day < 0)
		return 0;
	p = ring + (size_t)(day % MCP_HIST_DAYS) * MCP_HIST_REC;
	if (be16(p) != (unsigned)(day % 65535 + 1))
		return 0;
	for (k = 0; k < MCP_H_NKIND; k++)
		sum += c[k] = be16(p + 2 + 2 * k);
	return sum <= MCP_HIST_WINDOWS;
}

long
mcp_hist_month(long day)
{
	long long y;
	unsigned m, d;

	mcp_civil(day, &y, &m, &d);
	return (long)(12 * y + m - 1);
}

long
mcp_hist_month_day(long month)
{
	return (long)mcp_days_from_civil(month / 12, (unsigned)(month % 12 + 1), 1);
}

int
mcp_hist_month_parse(const char *s, long *month)
{
	long y, m;
	int i;

	for (i = 0; i < 7; i++)
		if (i == 4 ? s[i] != '-' : !(s[i] >= '0' && s[i] <= '9'))
			return -1;
	if (s[7] != '\0')
		return -1;
	y = strtol(s, NULL, 10);
	m = strtol(s + 5, NULL, 10);
	if (y < 1970 || m < 1 || m > 12)
		return -1;
	*month = 12 * y + m - 1;
	return 0;
}

void
mcp_hist_month_text(long month, char *buf, size_t len)
{
	snprintf(buf, len, "%04ld-%02ld", month / 12, month % 12 + 1);
}

int
mcp_hist_region_month(const unsigned char *v, size_t len, long month, long *pass, long *fail)
{
	const unsigned char *p;

	if (v == NULL || len != MCP_HIST_MRING || month < 0)
		return 0;
	p = v + (size_t)(month % MCP_HIST_MONTHS) * MCP_HIST_MREC;
	if (be16(p) != (unsigned)(month % 65535 + 1))
		return 0;
	*pass = be16(p + 2);
	*fail = be16(p + 4);
	return 1;
}

/* One "S-E:N" of a day's value, or "S-E:N*" when last is set: 0, or -1. */
static int
piece(const char *t, size_t len, int last, struct mcp_hist_piece *p)
{
	char buf[32];
	int used = 0;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, t, len);
	buf[len] = '\0';
	p->merged = last && buf[len - 1] == '*';
	if (p->merged)
		buf[--len] = '\0';
	if (strspn(buf, "0123456789-:") != len ||
	    sscanf(buf, "%4d-%4d:%4d%n", &p->s, &p->e, &p->n, &used) != 3 || (size_t)used != len)
		return -1;
	return p->s >= 0 && p->s <= p->e && p->e < MCP_HIST_WINDOWS && p->n >= 1 &&
	        p->n <= p->e - p->s + 1
	    ? 0
	    : -1;
}

int
mcp_hist_pieces(const char *v, struct mcp_hist_piece *inc)
{
	const char *t = v;
	size_t len;
	int n = 0;

	while (*t != '\0') {
		len = strcspn(t, " ");
		if (n == MCP_HIST_DAY_INC ||
		    piece(t, len, t[len] == '\0' || n == MCP_HIST_DAY_INC - 1, &inc[n]) == -1 ||
		    (n > 0 && inc[n].s <= inc[n - 1].e))
			return -1;
		n++;
		t += len;
		if (*t == ' ' && *++t == '\0')
			return -1;
	}
	return n;
}

/* The strings of a hash's HGETALL reply, into owned arrays; a non-string ends them. */
static int
hash_strings(const redisReply *r, const char ***s, size_t **len, size_t *n)
{
	size_t i;

	*n = 0;
	if (r == NULL || r->type != REDIS_REPLY_ARRAY)
		return 0;
	if ((*s = calloc(r->elements + 1, sizeof(**s))) == NULL ||
	    (len != NULL && (*len = calloc(r->elements + 1, sizeof(**len))) == NULL))
		return -1;
	for (i = 0; i < r->elements && r->element[i]->type == REDIS_REPLY_STRING; i++) {
		(*s)[i] = r->element[i]->str;
		if (len != NULL)
			(*len)[i] = r->element[i]->len;
	}
	*n = i - i % 2;
	return 0;
}

int
mcp_hist_in_replies(
    struct mcp_hist_in *in, const redisReply *tally, const redisReply *red, const redisReply *rgn)
{
	memset(in, 0, sizeof(*in));
	if (tally != NULL && tally->type == REDIS_REPLY_STRING) {
		in->ring = (const unsigned char *)tally->str;
		in->ringlen = tally->len;
	}
	if (hash_strings(red, &in->red, NULL, &in->nred) == -1 ||
	    hash_strings(rgn, &in->rgn, &in->rgnlen, &in->nrgn) == -1) {
		mcp_hist_in_free(in);
		return -1;
	}
	return 0;
}

void
mcp_hist_in_free(struct mcp_hist_in *in)
{
	free(in->red);
	free(in->rgn);
	free(in->rgnlen);
	memset(in, 0, sizeof(*in));
}

/* The period's bounds, in days and seconds; 0, or -1 when it has not begun. */
static int
period(struct mcp_report *r, long month0, long month1, double now)
{
	double upto = floor((now - MCP_HIST_COMPLETE) / WIN) * WIN + WIN;

	r->month0 = month0;
	r->month1 = month1;
	r->start = (double)mcp_hist_month_day(month0) * DAY;
	r->end = fmin((double)mcp_hist_month_day(month1 + 1) * DAY, upto);
	return r->end > r->start ? 0 : -1;
}

/* The day's counts into the report: those of its record, the rest undecided. */
static void
count_days(struct mcp_report *r, const struct mcp_hist_in *in)
{
	long d, d0 = (long)(r->start / DAY), c[MCP_H_NKIND], sum, elapsed;
	int k;

	for (d = d0; (double)d * DAY < r->end; d++) {
		elapsed = (long)fmin(MCP_HIST_WINDOWS, (r->end - (double)d * DAY) / WIN);
		sum = 0;
		if (mcp_hist_day(in->ring, in->ringlen, d, c)) {
			for (k = 0; k < MCP_H_NKIND; k++)
				r->n[k] += c[k], sum += c[k];
		} else {
			r->days_none++;
		}
		r->undecided += elapsed > sum ? elapsed - sum : 0;
		r->windows += elapsed > sum ? elapsed : sum;
	}
}

/* The slot of region name in r (added in order of names), or NULL when full. */
static struct mcp_report_region *
region_slot(struct mcp_report *r, const char *name)
{
	size_t i, j;

	for (i = 0; i < r->nreg; i++) {
		int c = strcmp(r->reg[i].name, name);

		if (c == 0)
			return &r->reg[i];
		if (c > 0)
			break;
	}
	if (r->nreg == MCP_HIST_REPORT_REGIONS)
		return NULL;
	for (j = r->nreg++; j > i; j--)
		r->reg[j] = r->reg[j - 1];
	snprintf(r->reg[i].name, sizeof(r->reg[i].name), "%s", name);
	r->reg[i].pass = r->reg[i].fail = 0;
	return &r->reg[i];
}

static void
count_regions(struct mcp_report *r, const struct mcp_hist_in *in)
{
	struct mcp_report_region *g;
	long m, pass, fail, tp, tf;
	size_t i;

	/* The regions, and the field V that keeps the key (not a region). */
	for (i = 0; i + 1 < in->nrgn && i / 2 <= MCP_HIST_REGIONS; i += 2) {
		if (!mcp_slug_ok(in->rgn[i]))
			continue;
		tp = tf = 0;
		for (m = r->month0; m <= r->month1; m++)
			if (mcp_hist_region_month((const unsigned char *)in->rgn[i + 1],
			        in->rgnlen[i + 1], m, &pass, &fail))
				tp += pass, tf += fail;
		if (tp + tf > 0 && (g = region_slot(r, in->rgn[i])) != NULL)
			g->pass += tp, g->fail += tf;
	}
}

static int
piece_cmp(const void *a, const void *b)
{
	const struct mcp_incident *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

/*
 * Every incident the history holds, oldest first, joined across midnight
 * by the rule (at most MCP_HIST_GAP windows apart): owned, *n of them.
 * Only the days of the last MCP_HIST_DAYS with a record of their own count.
 */
static struct mcp_incident *
all_incidents(const struct mcp_hist_in *in, long today, size_t *n)
{
	struct mcp_hist_piece p[MCP_HIST_DAY_INC];
	struct mcp_incident *v, *o;
	long day, c[MCP_H_NKIND];
	size_t i, k = 0, j;
	char *end;
	int np, q;

	*n = 0;
	if ((v = calloc(in->nred / 2 * MCP_HIST_DAY_INC + 1, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i + 1 < in->nred; i += 2) {
		day = strtol(in->red[i], &end, 10);
		if (*end != '\0' || end == in->red[i] || day > today ||
		    day <= today - MCP_HIST_DAYS || !mcp_hist_day(in->ring, in->ringlen, day, c) ||
		    (np = mcp_hist_pieces(in->red[i + 1], p)) <= 0)
			continue;
		for (q = 0; q < np; q++, k++) {
			v[k].start = (double)day * DAY + p[q].s * WIN;
			v[k].end = (double)day * DAY + (p[q].e + 1) * WIN;
			v[k].down = p[q].n;
			v[k].merged = p[q].merged;
		}
	}
	qsort(v, k, sizeof(*v), piece_cmp);
	for (i = 0, j = 0; i < k; i++) {
		o = j > 0 ? &v[j - 1] : NULL;
		if (o != NULL && v[i].start - o->end <= MCP_HIST_GAP * WIN &&
		    v[i].start >= o->end) {
			o->end = v[i].end;
			o->down += v[i].down;
			o->merged |= v[i].merged;
		} else {
			v[j++] = v[i];
		}
	}
	*n = j;
	return v;
}

/* The incidents that touch the period, flagged, and the recovery times of those that ended in it. */
static int
pick_incidents(struct mcp_report *r, const struct mcp_hist_in *in, double now)
{
	double upto = floor((now - MCP_HIST_COMPLETE) / WIN) * WIN + WIN;
	struct mcp_incident *all;
	size_t n, i;

	if ((all = all_incidents(in, (long)floor(now / DAY), &n)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		struct mcp_incident e = all[i];

		if (e.end <= r->start || e.start >= r->end)
			continue;
		e.before = e.start < r->start;
		e.after = e.end > r->end;
		e.ongoing = e.end > upto - (MCP_HIST_GAP + 1) * WIN;
		if (!e.after && !e.ongoing)
			r->resolved++, r->ttr += e.end - e.start;
		all[r->ninc++] = e;
	}
	r->inc = all;
	return 0;
}

int
mcp_report_make(
    struct mcp_report *r, long month0, long month1, double now, const struct mcp_hist_in *in)
{
	memset(r, 0, sizeof(*r));
	if (period(r, month0, month1, now) == -1)
		return -1;
	count_days(r, in);
	count_regions(r, in);
	return pick_incidents(r, in, now);
}

void
mcp_report_free(struct mcp_report *r)
{
	free(r->inc);
	r->inc = NULL;
	r->ninc = 0;
}

void
mcp_report_fleet(struct mcp_report *f, const struct mcp_report *r)
{
	struct mcp_report_region *g;
	size_t i;
	int k;

	f->windows += r->windows;
	for (k = 0; k < MCP_H_NKIND; k++)
		f->n[k] += r->n[k];
	f->undecided += r->undecided;
	f->days_none += r->days_none;
	f->ninc += r->ninc;
	f->resolved += r->resolved;
	f->ttr += r->ttr;
	f->servers++;
	for (i = 0; i < r->nreg; i++)
		if ((g = region_slot(f, r->reg[i].name)) != NULL)
			g->pass += r->reg[i].pass, g->fail += r->reg[i].fail;
}

double
mcp_report_uptime(const struct mcp_report *r)
{
	long up = r->n[MCP_H_GREEN] + r->n[MCP_H_AMBER], counted = up + r->n[MCP_H_RED];

	return counted > 0 ? 100.0 * (double)up / (double)counted : -1;
}

double
mcp_report_region_uptime(const struct mcp_report_region *g)
{
	return g->pass + g->fail > 0 ? 100.0 * (double)g->pass / (double)(g->pass + g->fail) : -1;
}

double
mcp_report_mttr(const struct mcp_report *r)
{
	return r->resolved > 0 ? r->ttr / (double)r->resolved : -1;
}
