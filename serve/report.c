/*
 * report.c - GET /report/SLUG?month=YYYY-MM: one server's report of one
 * month, a page to read or to print (print to PDF): its uptime by the rule
 * of lib/hist.h and that rule in words, a bar a day, each region, each
 * incident with its start, end and duration, the mean time to recover.
 * The numbers are mcp-aggregate report's, from the same keys (tally, red,
 * rgn: mcp-store(7)).  Bounded: one slug and one month a request, four
 * commands in one round trip.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"
#include "mcp.h"
#include "serve.h"

#define REP_NREP 4 /* GET tally, HGETALL red, HGETALL rgn, ZSCORE mcp:slugs */

static const char *const rep_month_names[] = {"January", "February", "March", "April", "May",
    "June", "July", "August", "September", "October", "November", "December"};

struct report_page {
	struct mcp_report r;
	long month, first; /* the month, its first day */
	int ndays;
	double u[31], c[31], m[31];
	int known;
};

/* "October 2026" */
static void
rep_month_words(long month, char *buf, size_t len)
{
	snprintf(buf, len, "%s %ld", rep_month_names[month % 12], month / 12);
}

/* "1 October" */
static void
rep_day_words(long day, char *buf, size_t len)
{
	long long y;
	unsigned m, d;

	mcp_civil(day, &y, &m, &d);
	snprintf(buf, len, "%u %s", d, rep_month_names[m - 1]);
}

/* The month of the latest window decided as of now. */
static long
rep_this_month(double now)
{
	return mcp_hist_month((long)floor((now - MCP_HIST_COMPLETE) / 86400));
}

/* ?month=YYYY-MM, or the month before this one; -1 when it does not read. */
static long
rep_month_query(const char *qs, double now)
{
	char v[16];
	long m;
	int rc = serve_query_get(qs, "month", v, sizeof(v));

	if (rc == 0)
		return rep_this_month(now) - 1;
	return rc == 1 && mcp_hist_month_parse(v, &m) == 0 ? m : -1;
}

static int
rep_read(struct conn *c, const char *slug, long month, double now, struct report_page *p)
{
	char kt[128], kr[128], kg[128];
	const char *a0[] = {"GET", kt}, *a1[] = {"HGETALL", kr}, *a2[] = {"HGETALL", kg},
	           *a3[] = {"ZSCORE", "mcp:slugs", slug};
	const char **argv[] = {a0, a1, a2, a3};
	int argc[] = {2, 2, 2, 3}, d, rc = 0;
	long k[MCP_H_NKIND];
	struct mcp_hist_in in;
	redisReply *rep[REP_NREP];

	snprintf(kt, sizeof(kt), "mcp:{%s}:tally", slug);
	snprintf(kr, sizeof(kr), "mcp:{%s}:red", slug);
	snprintf(kg, sizeof(kg), "mcp:{%s}:rgn", slug);
	if (serve_query(c, REP_NREP, argc, argv, rep) != SR_OK)
		return -1;
	memset(p, 0, sizeof(*p));
	p->month = month;
	p->first = mcp_hist_month_day(month);
	p->ndays = (int)(mcp_hist_month_day(month + 1) - p->first);
	p->known = rep[0]->type == REDIS_REPLY_STRING || rep[3]->type == REDIS_REPLY_STRING;
	if (mcp_hist_in_replies(&in, rep[0], rep[1], rep[2]) == -1 ||
	    mcp_report_make(&p->r, month, month, now, &in) == -1)
		rc = -2;
	for (d = 0; rc == 0 && d < p->ndays; d++)
		if (mcp_hist_day(in.ring, in.ringlen, p->first + d, k)) {
			p->u[d] = (double)(k[MCP_H_GREEN] + k[MCP_H_AMBER]);
			p->c[d] = p->u[d] + (double)k[MCP_H_RED];
			p->m[d] = (double)k[MCP_H_MAINT];
		}
	mcp_hist_in_free(&in);
	serve_free_replies(rep, REP_NREP);
	return rc;
}

/* Minutes as people read them: "22 minutes", "1 hour 5 min". */
static void
rep_minutes(long n, char *buf, size_t len)
{
	if (n == 0)
		snprintf(buf, len, "none");
	else
		serve_duration((double)n * 60, buf, len);
}

static int
rep_fact(struct mcp_buf *b, const char *value, const char *what)
{
	return mcp_buf_adds(b, "<div class=\"fact\"><b>") | serve_esc(b, value) |
	    mcp_buf_adds(b, "</b><span>") | serve_esc(b, what) | mcp_buf_adds(b, "</span></div>");
}

static int
rep_facts_part(struct mcp_buf *b, const struct mcp_report *r)
{
	double u = mcp_report_uptime(r), t = mcp_report_mttr(r);
	char v[64];
	int rc = mcp_buf_adds(b, "<div class=\"facts\">");

	snprintf(v, sizeof(v), u >= 0 ? "%.3f%%" : "no data", round(u * 1000) / 1000);
	rc |= rep_fact(b, v, "uptime");
	rep_minutes(r->n[MCP_H_RED], v, sizeof(v));
	rc |= rep_fact(b, v, "down (red)");
	rep_minutes(r->n[MCP_H_AMBER], v, sizeof(v));
	rc |= rep_fact(b, v, "degraded (amber), counted as up");
	rep_minutes(r->n[MCP_H_MAINT], v, sizeof(v));
	rc |= rep_fact(b, v, "in maintenance, not counted");
	rep_minutes(r->n[MCP_H_UNKNOWN] + r->undecided, v, sizeof(v));
	rc |= rep_fact(b, v, "without data, not counted");
	snprintf(v, sizeof(v), "%zu", r->ninc);
	rc |= rep_fact(b, v, r->ninc == 1 ? "incident" : "incidents");
	if (t >= 0)
		serve_duration(t, v, sizeof(v));
	else
		snprintf(v, sizeof(v), "none ended");
	rc |= rep_fact(b, v, "mean time to recover");
	return rc | mcp_buf_adds(b, "</div>\n");
}

static int
rep_regions_part(struct mcp_buf *b, const struct mcp_report *r)
{
	size_t i;
	int rc = mcp_buf_adds(b, "<h2>Regions</h2>\n");

	if (r->nreg == 0)
		return rc |
		    mcp_buf_adds(b, "<p>No region's probe was counted in this month.</p>\n");
	rc |= mcp_buf_adds(b,
	    "<div class=\"scroll\"><table><thead><tr><th>Region</th><th class=\"num\">Uptime</th>"
	    "<th class=\"num\">Minutes passed</th><th class=\"num\">Minutes failed</th></tr>"
	    "</thead><tbody>");
	for (i = 0; i < r->nreg; i++)
		rc |= mcp_buf_adds(b, "<tr><td>") | serve_region_name(b, r->reg[i].name) |
		    mcp_buf_addf(b,
		        "</td><td class=\"num\">%.3f%%</td><td class=\"num\">%ld</td>"
		        "<td class=\"num\">%ld</td></tr>",
		        round(mcp_report_region_uptime(&r->reg[i]) * 1000) / 1000, r->reg[i].pass,
		        r->reg[i].fail);
	return rc | mcp_buf_adds(b, "</tbody></table></div>\n");
}

static int
rep_incident_row(struct mcp_buf *b, const struct mcp_incident *e)
{
	char s[64], t[64], d[64], n[64];

	serve_when(e->start, s, sizeof(s));
	serve_when(e->end, t, sizeof(t));
	serve_duration(e->end - e->start, d, sizeof(d));
	rep_minutes(e->down, n, sizeof(n));
	return mcp_buf_addf(b,
	    "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s%s%s%s</td></tr>", s, t, d, n,
	    e->before ? "began before the month. " : "",
	    e->after ? "went on after the month. " : "",
	    e->ongoing ? "still going on: not in the MTTR. " : "",
	    e->merged ? "the rest of a day of more than 24." : "");
}

static int
rep_incidents_part(struct mcp_buf *b, const struct mcp_report *r)
{
	size_t i;
	int rc = mcp_buf_adds(b, "<h2>Incidents</h2>\n");

	if (r->ninc == 0)
		return rc | mcp_buf_adds(b, "<p>No incident: no red minute in this month.</p>\n");
	rc |= mcp_buf_adds(b,
	    "<div class=\"scroll\"><table><thead><tr><th>Start</th><th>End</th><th>Duration</th>"
	    "<th>Minutes down</th><th>Note</th></tr></thead><tbody>");
	for (i = 0; i < r->ninc; i++)
		rc |= rep_incident_row(b, &r->inc[i]);
	return rc | mcp_buf_adds(b, "</tbody></table></div>\n");
}

static int
rep_rule_part(struct mcp_buf *b)
{
	int i, rc = mcp_buf_adds(b, "<h2>How this report counts</h2>\n<ul class=\"rule\">");

	for (i = 0; mcp_report_rule[i][0] != NULL; i++)
		rc |= mcp_buf_adds(b, "<li>") | serve_esc(b, mcp_report_rule[i][1]) |
		    mcp_buf_adds(b, "</li>");
	return rc | mcp_buf_adds(b, "</ul>\n");
}

/* The links: the status page, the month before and the one after (within the history). */
static int
rep_nav_part(struct mcp_buf *b, const char *slug, long month, double now)
{
	char t[16], w[32];
	int rc =
	    mcp_buf_addf(b, "<p class=\"sub nav\"><a href=\"/status/%s\">Status page</a>", slug);

	if (month > rep_this_month(now) - MCP_HIST_MONTHS + 1) {
		mcp_hist_month_text(month - 1, t, sizeof(t));
		rep_month_words(month - 1, w, sizeof(w));
		rc |= mcp_buf_addf(
		    b, " &middot; <a href=\"/report/%s?month=%s\">&larr; %s</a>", slug, t, w);
	}
	if (month < rep_this_month(now)) {
		mcp_hist_month_text(month + 1, t, sizeof(t));
		rep_month_words(month + 1, w, sizeof(w));
		rc |= mcp_buf_addf(
		    b, " &middot; <a href=\"/report/%s?month=%s\">%s &rarr;</a>", slug, t, w);
	}
	return rc | mcp_buf_adds(b, "</p>");
}

static int
rep_render(struct mcp_buf *b, const char *slug, const struct report_page *p, double now)
{
	char title[160], mw[32], left[32], right[32], s[64], e[64], t[16], heading[64];
	struct bars x = {p->first, p->ndays, p->u, p->c, p->m, heading, NULL, left, right,
	    "the first day with data is", (long)floor((p->r.end - 1) / 86400)};
	int rc;

	rep_month_words(p->month, mw, sizeof(mw));
	mcp_hist_month_text(p->month, t, sizeof(t));
	snprintf(title, sizeof(title), "%s: uptime report, %s", slug, mw);
	snprintf(heading, sizeof(heading), "Each day of %s", mw);
	rep_day_words(p->first, left, sizeof(left));
	rep_day_words(p->first + p->ndays - 1, right, sizeof(right));
	serve_when(p->r.start, s, sizeof(s));
	serve_when(p->r.end, e, sizeof(e));
	rc = serve_page_head(b, title, NULL) | rep_nav_part(b, slug, p->month, now) |
	    mcp_buf_adds(b, "<h1>") | serve_esc(b, slug) | mcp_buf_adds(b, "</h1>\n");
	rc |= mcp_buf_addf(b, "<p class=\"period\">Uptime report, %s: from %s to %s%s.</p>\n", mw,
	    s, e, p->r.end < (double)mcp_hist_month_day(p->month + 1) * 86400 ? " (so far)" : "");
	rc |= rep_facts_part(b, &p->r) | serve_bars(b, &x) | rep_regions_part(b, &p->r) |
	    rep_incidents_part(b, &p->r) | rep_rule_part(b);
	serve_when(now, s, sizeof(s));
	rc |= mcp_buf_addf(b,
	    "<footer><p>Made at %s from the verdicts in the store; "
	    "<code>mcp-aggregate report --month %s ",
	    s, t);
	return rc | serve_esc(b, slug) |
	    mcp_buf_adds(b,
	        "</code> gives the same numbers as text, JSON or CSV.</p></footer>\n"
	        "</main></body></html>\n");
}

/* The JSON of a report (the MCP tool monthly_report): the page's numbers. */
static int
rep_json(struct mcp_buf *b, const char *slug, const struct report_page *p)
{
	const struct mcp_report *r = &p->r;
	double u = mcp_report_uptime(r), t = mcp_report_mttr(r), g;
	char iso[32], iso2[32];
	size_t i;
	int rc = mcp_buf_addf(b, "{\"slug\":\"%s\",\"month\":\"%04ld-%02ld\",\"uptime\":", slug,
	    p->month / 12, p->month % 12 + 1);

	rc |= u >= 0 ? mcp_buf_addf(b, "%.3f", round(u * 1000) / 1000) : mcp_buf_adds(b, "null");
	rc |= mcp_buf_addf(b,
	    ",\"minutes\":{\"period\":%ld,\"down\":%ld,\"degraded\":%ld,\"maintenance\":%ld,"
	    "\"without_data\":%ld},\"mttr_s\":",
	    r->windows, r->n[MCP_H_RED], r->n[MCP_H_AMBER], r->n[MCP_H_MAINT],
	    r->n[MCP_H_UNKNOWN] + r->undecided);
	rc |= t >= 0 ? mcp_buf_addf(b, "%.0f", t) : mcp_buf_adds(b, "null");
	rc |= mcp_buf_addf(b, ",\"incident_count\":%zu,\"incidents\":[", r->ninc);
	for (i = 0; r->inc != NULL && i < r->ninc; i++) {
		if (mcp_iso8601(r->inc[i].start, iso, sizeof(iso)) != 0 ||
		    mcp_iso8601(r->inc[i].end, iso2, sizeof(iso2)) != 0)
			continue;
		rc |= mcp_buf_addf(b,
		    "%s{\"start\":\"%s\",\"end\":\"%s\",\"minutes_down\":%ld,\"ongoing\":%s}",
		    i ? "," : "", iso, iso2, r->inc[i].down, r->inc[i].ongoing ? "true" : "false");
	}
	rc |= mcp_buf_adds(b, "],\"regions\":[");
	for (i = 0; i < r->nreg; i++) {
		g = mcp_report_region_uptime(&r->reg[i]);
		rc |= mcp_buf_addf(b,
		    "%s{\"region\":\"%s\",\"pass\":%ld,\"fail\":%ld,\"uptime\":", i ? "," : "",
		    r->reg[i].name, r->reg[i].pass, r->reg[i].fail);
		rc |= (g >= 0 ? mcp_buf_addf(b, "%.3f", round(g * 1000) / 1000)
		              : mcp_buf_adds(b, "null")) |
		    mcp_buf_addc(b, '}');
	}
	return rc | mcp_buf_adds(b, "]}");
}

/* The report of ?month= read, then the page (json 0) or its JSON. */
static void
report(struct conn *c, const struct req *q, const char *slug, struct resp *r, int json)
{
	struct report_page *p;
	long month = rep_month_query(q->query, q->now);
	int rc;

	if (month < 0) {
		serve_error(r, 400, "bad query", NULL);
		return;
	}
	if (month > rep_this_month(q->now)) {
		serve_error(r, 404, "not found", CACHE_API);
		return;
	}
	if ((p = malloc(sizeof(*p))) == NULL) {
		serve_error(r, 500, "out of memory", NULL);
		return;
	}
	rc = rep_read(c, slug, month, q->now, p);
	if (rc == -1) {
		serve_unavailable(r);
	} else if (rc == -2) {
		serve_error(r, 500, "out of memory", NULL);
	} else if (!p->known) {
		serve_error(r, 404, "not found", CACHE_API);
	} else if (json) {
		r->ctype = CT_JSON;
		r->cache = CACHE_API;
		if (rep_json(&r->body, slug, p) != 0)
			serve_error(r, 500, "out of memory", NULL);
	} else {
		serve_html_resp(r);
		if (rep_render(&r->body, slug, p, q->now) != 0)
			serve_error(r, 500, "out of memory", NULL);
	}
	if (rc != -1)
		mcp_report_free(&p->r);
	free(p);
}

void
serve_report(struct conn *c, const struct req *q, const char *slug, struct resp *r)
{
	report(c, q, slug, r, 0);
}

void
serve_report_json(struct conn *c, const struct req *q, const char *slug, struct resp *r)
{
	report(c, q, slug, r, 1);
}
