/*
 * reportout.c - mcp-aggregate report's output (report.h): a table with
 * each slug's regions and incidents after it, JSON records ("report" a
 * slug, then "report_summary" for the fleet), or CSV rows of four kinds
 * (server, region, incident, fleet).  Each states the rule of lib/hist.h.
 * Numbers agree across the three: the uptime is rounded once, to three
 * decimals, and printed so.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "aggregate.h"
#include "mcp.h"
#include "rec.h"
#include "report.h"

#define CSV_HEAD                                                                                   \
	"kind,slug,region,period,from,to,minutes,uptime,green,amber,red,unknown,maintenance,"      \
	"undecided,incidents,mttr_s,start,end,duration_s,down,passed,failed,note\r\n"

/* The uptime rounded to 3 decimals as every format gives it; -1 for none. */
static double
pct3(double u)
{
	return u < 0 ? -1 : round(u * 1000) / 1000;
}

static int
flush_buf(struct mcp_buf *b)
{
	int rc = b->len > 0 && fwrite(b->p, 1, b->len, stdout) != b->len ? -1 : 0;

	mcp_buf_reset(b);
	return rc;
}

/* "2026-10" or "2026-08..2026-10". */
static void
period_name(const struct rep_out *o, char *buf, size_t len)
{
	char a[16], b[16];

	mcp_hist_month_text(o->month0, a, sizeof(a));
	mcp_hist_month_text(o->month1, b, sizeof(b));
	if (o->month0 == o->month1)
		snprintf(buf, len, "%s", a);
	else
		snprintf(buf, len, "%s..%s", a, b);
}

/* "2026-10-03 10:00", or "10:00" when day is the same as ref's. */
static void
hm(double t, double ref, char *buf, size_t len)
{
	char iso[32];

	if (mcp_iso8601(t, iso, sizeof(iso)) == -1) {
		snprintf(buf, len, "?");
		return;
	}
	if (ref >= 0 && floor(t / AGG_DAY) == floor(ref / AGG_DAY))
		snprintf(buf, len, "%.5s", iso + 11);
	else
		snprintf(buf, len, "%.10s %.5s", iso, iso + 11);
}

static long
no_data(const struct mcp_report *r)
{
	return r->n[MCP_H_UNKNOWN] + r->undecided;
}

/* ------------------------------------------------------------ text */

#define ROW "%-*s  %8s  %6s  %8s  %11s  %7s  %9s  %6s\n"

static int
text_row(struct mcp_buf *b, int width, const char *name, const struct mcp_report *r)
{
	char up[16], dn[16], dg[16], mt[16], nd[16], ni[16], tt[16];
	double u = pct3(mcp_report_uptime(r)), m = mcp_report_mttr(r);

	snprintf(up, sizeof(up), u >= 0 ? "%.3f%%" : "-", u);
	snprintf(dn, sizeof(dn), "%ld", r->n[MCP_H_RED]);
	snprintf(dg, sizeof(dg), "%ld", r->n[MCP_H_AMBER]);
	snprintf(mt, sizeof(mt), "%ld", r->n[MCP_H_MAINT]);
	snprintf(nd, sizeof(nd), "%ld", no_data(r));
	snprintf(ni, sizeof(ni), "%zu", r->ninc);
	snprintf(tt, sizeof(tt), m >= 0 ? "%.1f" : "-", m / 60);
	return mcp_buf_addf(b, ROW, width, name, up, dn, dg, mt, nd, ni, tt);
}

static int
text_regions(struct mcp_buf *b, const struct mcp_report *r)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < r->nreg; i++)
		rc |= mcp_buf_addf(b, "%s%s %.3f%% (%ld of %ld)",
		    i ? ", " : "  regions: ", r->reg[i].name,
		    pct3(mcp_report_region_uptime(&r->reg[i])), r->reg[i].pass,
		    r->reg[i].pass + r->reg[i].fail);
	return rc | (r->nreg > 0 ? mcp_buf_addc(b, '\n') : 0);
}

static int
text_incident(struct mcp_buf *b, const struct mcp_incident *e)
{
	char s[32], t[32];

	hm(e->start, -1, s, sizeof(s));
	hm(e->end, e->start, t, sizeof(t));
	return mcp_buf_addf(b, "  incident: %s to %s UTC, %.0f min, %ld min down%s%s%s%s\n", s, t,
	    (e->end - e->start) / 60, e->down, e->before ? "; began before the period" : "",
	    e->after ? "; went on past the period" : "", e->ongoing ? "; still going on" : "",
	    e->merged ? "; the rest of a day of more than 24 incidents" : "");
}

static int
text_details(struct mcp_buf *b, const char *name, const struct mcp_report *r)
{
	size_t i;
	int rc;

	if (r->nreg == 0 && r->ninc == 0 && r->days_none == 0)
		return 0;
	rc = mcp_buf_addf(b, "%s\n", name) | text_regions(b, r);
	for (i = 0; r->inc != NULL && i < r->ninc; i++)
		rc |= text_incident(b, &r->inc[i]);
	if (r->days_none > 0)
		rc |= mcp_buf_addf(b,
		    "  no record for %ld day%s of the period (its history starts later, or no "
		    "verdict was written)\n",
		    r->days_none, r->days_none == 1 ? "" : "s");
	return rc;
}

/* A sentence, wrapped at 78 columns, its lines indented. */
static int
text_wrapped(struct mcp_buf *b, const char *s)
{
	size_t col = 2, w;
	int rc = mcp_buf_adds(b, "  ");

	while (*s != '\0') {
		w = strcspn(s, " ");
		if (col > 2 && col + 1 + w > 78) {
			rc |= mcp_buf_adds(b, "\n    ");
			col = 4;
		} else if (col > 2) {
			rc |= mcp_buf_addc(b, ' ');
			col++;
		}
		rc |= mcp_buf_add(b, s, w);
		col += w;
		s += w + strspn(s + w, " ");
	}
	return rc | mcp_buf_addc(b, '\n');
}

static int
text_head(struct rep_out *o, size_t n)
{
	char p[40], a[32], z[32];

	period_name(o, p, sizeof(p));
	hm(o->start, -1, a, sizeof(a));
	hm(o->end, -1, z, sizeof(z));
	return mcp_buf_addf(&o->more,
	           "Report of %s: %s to %s UTC%s, %.0f minutes, %zu server%s.\n"
	           "Minutes of each kind; MTTR, the mean time to recover, in minutes. The rule "
	           "is stated below.\n\n",
	           p, a, z,
	           o->end < (double)mcp_hist_month_day(o->month1 + 1) * AGG_DAY ? " (so far)" : "",
	           (o->end - o->start) / 60, n, n == 1 ? "" : "s") |
	    mcp_buf_addf(&o->more, ROW, o->width, "SERVER", "UPTIME", "DOWN", "DEGRADED",
	        "MAINTENANCE", "NO DATA", "INCIDENTS", "MTTR");
}

/* ------------------------------------------------------------ JSON */

static void
json_counts(cJSON *o, const struct rep_out *x, const struct mcp_report *r)
{
	static const char *const kinds[] = {"green", "amber", "red", "unknown", "maintenance"};
	char p[40], iso[32];
	double u = pct3(mcp_report_uptime(r)), m = mcp_report_mttr(r);
	int k;

	period_name(x, p, sizeof(p));
	cJSON_AddStringToObject(o, "period", p);
	mcp_iso8601(x->start, iso, sizeof(iso));
	cJSON_AddStringToObject(o, "from", iso);
	mcp_iso8601(x->end, iso, sizeof(iso));
	cJSON_AddStringToObject(o, "to", iso);
	cJSON_AddNumberToObject(o, "minutes", (double)r->windows);
	if (u >= 0)
		cJSON_AddNumberToObject(o, "uptime", u);
	else
		cJSON_AddNullToObject(o, "uptime");
	for (k = 0; k < MCP_H_NKIND; k++)
		cJSON_AddNumberToObject(o, kinds[k], (double)r->n[k]);
	cJSON_AddNumberToObject(o, "undecided", (double)r->undecided);
	cJSON_AddNumberToObject(o, "down", (double)r->n[MCP_H_RED]);
	cJSON_AddNumberToObject(o, "degraded", (double)r->n[MCP_H_AMBER]);
	cJSON_AddNumberToObject(o, "no_data", (double)no_data(r));
	cJSON_AddNumberToObject(o, "days_without_record", (double)r->days_none);
	cJSON_AddNumberToObject(o, "incident_count", (double)r->ninc);
	cJSON_AddNumberToObject(o, "resolved", (double)r->resolved);
	if (m >= 0)
		cJSON_AddNumberToObject(o, "mttr_s", round(m));
	else
		cJSON_AddNullToObject(o, "mttr_s");
}

static void
json_regions(cJSON *o, const struct mcp_report *r)
{
	cJSON *a = cJSON_AddArrayToObject(o, "regions"), *e;
	size_t i;

	for (i = 0; a != NULL && i < r->nreg; i++) {
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "region", r->reg[i].name);
		cJSON_AddNumberToObject(e, "uptime", pct3(mcp_report_region_uptime(&r->reg[i])));
		cJSON_AddNumberToObject(e, "passed", (double)r->reg[i].pass);
		cJSON_AddNumberToObject(e, "failed", (double)r->reg[i].fail);
		cJSON_AddItemToArray(a, e);
	}
}

static void
json_incidents(cJSON *o, const struct mcp_report *r)
{
	cJSON *a = cJSON_AddArrayToObject(o, "incidents"), *e;
	char iso[32];
	size_t i;

	for (i = 0; a != NULL && i < r->ninc; i++) {
		const struct mcp_incident *x = &r->inc[i];

		e = cJSON_CreateObject();
		cJSON_AddNumberToObject(e, "start", x->start);
		cJSON_AddNumberToObject(e, "end", x->end);
		mcp_iso8601(x->start, iso, sizeof(iso));
		cJSON_AddStringToObject(e, "start_at", iso);
		mcp_iso8601(x->end, iso, sizeof(iso));
		cJSON_AddStringToObject(e, "end_at", iso);
		cJSON_AddNumberToObject(e, "duration_s", x->end - x->start);
		cJSON_AddNumberToObject(e, "down", (double)x->down);
		cJSON_AddBoolToObject(e, "began_before", x->before);
		cJSON_AddBoolToObject(e, "went_on_after", x->after);
		cJSON_AddBoolToObject(e, "ongoing", x->ongoing);
		cJSON_AddBoolToObject(e, "merged", x->merged);
		cJSON_AddItemToArray(a, e);
	}
}

static int
json_put(cJSON *o)
{
	char err[256];
	int rc = o == NULL ? -1 : mcp_rec_write(stdout, o, err, sizeof(err));

	cJSON_Delete(o);
	return rc;
}

/* ------------------------------------------------------------ CSV */

/* A field, quoted when it holds a comma, a quote or a line break. */
static int
csv_field(struct mcp_buf *b, const char *s, int last)
{
	int rc = 0;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		rc = mcp_buf_adds(b, s);
	} else {
		rc = mcp_buf_addc(b, '"');
		for (; *s != '\0'; s++)
			rc |= *s == '"' ? mcp_buf_adds(b, "\"\"") : mcp_buf_addc(b, *s);
		rc |= mcp_buf_addc(b, '"');
	}
	return rc | mcp_buf_adds(b, last ? "\r\n" : ",");
}

/* A row of CSV_HEAD's 23 fields. */
static int
csv_row(struct mcp_buf *b, const char *const f[23])
{
	int i, rc = 0;

	for (i = 0; i < 23; i++)
		rc |= csv_field(b, f[i] ? f[i] : "", i == 22);
	return rc;
}

/* The fields every row of the slug (or the fleet, "") has: kind to to. */
static void
csv_lead(const char *f[23], const char *kind, const char *slug, const struct rep_out *o, char p[40],
    char a[32], char z[32])
{
	memset(f, 0, 23 * sizeof(*f));
	period_name(o, p, 40);
	mcp_iso8601(o->start, a, 32);
	mcp_iso8601(o->end, z, 32);
	f[0] = kind, f[1] = slug, f[3] = p, f[4] = a, f[5] = z;
}

static int
csv_counts(struct mcp_buf *b, const char *kind, const char *slug, const struct rep_out *o,
    const struct mcp_report *r, const char *note)
{
	char p[40], a[32], z[32], v[11][24];
	const char *f[23];
	double u = pct3(mcp_report_uptime(r)), m = mcp_report_mttr(r);
	int k;

	csv_lead(f, kind, slug, o, p, a, z);
	snprintf(v[0], sizeof(v[0]), "%ld", r->windows);
	if (u >= 0)
		snprintf(v[1], sizeof(v[1]), "%.3f", u);
	else
		v[1][0] = '\0';
	for (k = 0; k < MCP_H_NKIND; k++)
		snprintf(v[2 + k], sizeof(v[0]), "%ld", r->n[k]);
	snprintf(v[7], sizeof(v[7]), "%ld", r->undecided);
	snprintf(v[8], sizeof(v[8]), "%zu", r->ninc);
	if (m >= 0)
		snprintf(v[9], sizeof(v[9]), "%.0f", m);
	else
		v[9][0] = '\0';
	for (k = 0; k < 10; k++)
		f[6 + k] = v[k];
	f[22] = note;
	return csv_row(b, f);
}

static int
csv_regions(
    struct mcp_buf *b, const char *slug, const struct rep_out *o, const struct mcp_report *r)
{
	char p[40], a[32], z[32], v[3][24];
	const char *f[23];
	size_t i;
	int rc = 0;

	for (i = 0; i < r->nreg; i++) {
		csv_lead(f, "region", slug, o, p, a, z);
		snprintf(v[0], sizeof(v[0]), "%.3f", pct3(mcp_report_region_uptime(&r->reg[i])));
		snprintf(v[1], sizeof(v[1]), "%ld", r->reg[i].pass);
		snprintf(v[2], sizeof(v[2]), "%ld", r->reg[i].fail);
		f[2] = r->reg[i].name, f[7] = v[0], f[20] = v[1], f[21] = v[2];
		rc |= csv_row(b, f);
	}
	return rc;
}

static int
csv_incidents(
    struct mcp_buf *b, const char *slug, const struct rep_out *o, const struct mcp_report *r)
{
	char p[40], a[32], z[32], s[32], e[32], d[24], n[24], note[160];
	const char *f[23];
	size_t i;
	int rc = 0;

	for (i = 0; i < r->ninc; i++) {
		const struct mcp_incident *x = &r->inc[i];

		csv_lead(f, "incident", slug, o, p, a, z);
		mcp_iso8601(x->start, s, sizeof(s));
		mcp_iso8601(x->end, e, sizeof(e));
		snprintf(d, sizeof(d), "%.0f", x->end - x->start);
		snprintf(n, sizeof(n), "%ld", x->down);
		snprintf(note, sizeof(note), "%s%s%s%s", x->before ? "began before; " : "",
		    x->after ? "went on after; " : "", x->ongoing ? "ongoing; " : "",
		    x->merged ? "merged; " : "");
		if (note[0] != '\0')
			note[strlen(note) - 2] = '\0';
		f[16] = s, f[17] = e, f[18] = d, f[19] = n, f[22] = note;
		rc |= csv_row(b, f);
	}
	return rc;
}

/* ------------------------------------------------------------ report.h */

int
rep_head(struct rep_out *o, size_t n)
{
	if (o->fmt == REP_TEXT && text_head(o, n) != 0)
		return -1;
	if (o->fmt == REP_CSV && mcp_buf_adds(&o->more, CSV_HEAD) != 0)
		return -1;
	return flush_buf(&o->more);
}

int
rep_slug(struct rep_out *o, const char *slug, const struct mcp_report *r)
{
	struct mcp_buf b = {0};
	cJSON *j;
	int rc;

	switch (o->fmt) {
	case REP_JSON:
		j = cJSON_CreateObject();
		cJSON_AddNumberToObject(j, "v", 1);
		cJSON_AddStringToObject(j, "type", "report");
		cJSON_AddStringToObject(j, "slug", slug);
		json_counts(j, o, r);
		json_regions(j, r);
		json_incidents(j, r);
		return json_put(j);
	case REP_CSV:
		rc = csv_counts(&b, "server", slug, o, r, NULL) | csv_regions(&b, slug, o, r) |
		    csv_incidents(&b, slug, o, r);
		break;
	default:
		rc = text_row(&b, o->width, slug, r) | text_details(&o->more, slug, r);
	}
	rc |= flush_buf(&b);
	mcp_buf_free(&b);
	return rc ? -1 : 0;
}

/* The rule as one text: its sentences, one after the other. */
static int
rule_text(struct mcp_buf *b)
{
	int i, rc = 0;

	for (i = 0; mcp_report_rule[i][0] != NULL; i++)
		rc |= mcp_buf_addf(b, "%s%s", i ? " " : "", mcp_report_rule[i][1]);
	return rc;
}

int
rep_fleet(struct rep_out *o, const struct mcp_report *f)
{
	struct mcp_buf b = {0};
	cJSON *j, *rule;
	int i, rc = 0;

	switch (o->fmt) {
	case REP_JSON:
		j = cJSON_CreateObject();
		cJSON_AddNumberToObject(j, "v", 1);
		cJSON_AddStringToObject(j, "type", "report_summary");
		cJSON_AddNumberToObject(j, "servers", (double)f->servers);
		json_counts(j, o, f);
		json_regions(j, f);
		rule = cJSON_AddObjectToObject(j, "rule");
		for (i = 0; rule != NULL && mcp_report_rule[i][0] != NULL; i++)
			cJSON_AddStringToObject(rule, mcp_report_rule[i][0], mcp_report_rule[i][1]);
		return json_put(j);
	case REP_CSV:
		if (rule_text(&b) != 0)
			return -1;
		rc = csv_counts(&o->more, "fleet", "", o, f, b.p) | csv_regions(&o->more, "", o, f);
		mcp_buf_reset(&b);
		break;
	default:
		rc = text_row(&b, o->width, "(all)", f) | text_regions(&b, f) |
		    mcp_buf_addc(&b, '\n');
		rc |= mcp_buf_adds(&o->more, o->more.len > 0 ? "\nRule:\n" : "Rule:\n");
		for (i = 0; mcp_report_rule[i][0] != NULL; i++)
			rc |= text_wrapped(&o->more, mcp_report_rule[i][1]);
	}
	rc |= flush_buf(&b) | flush_buf(&o->more);
	mcp_buf_free(&b);
	return rc ? -1 : 0;
}
