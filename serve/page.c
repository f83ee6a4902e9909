/*
 * page.c - the public status pages, /status and /status/SLUG, as plain
 * HTML and CSS (no script: a page that works with JavaScript off, and a
 * Content-Security-Policy that allows none), and the Atom feed of a slug's
 * incidents.  What the pages never show: tool hashes, hosts, the servers'
 * error messages, anything about credentials.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "mcp.h"
#include "notices.h"
#include "ready.h"
#include "serve.h"

#define CT_HTML "text/html; charset=utf-8"
#define CACHE_PAGE "public, max-age=60"
#define HISTORY_SHOWN 10

/* What each step means, for people. */
static const char *
step_words(const char *step)
{
	static const char *const words[][2] = {
	    {"dns", "DNS resolution"},
	    {"connect", "the TCP connection"},
	    {"tls", "the TLS handshake"},
	    {"http", "the HTTP response"},
	    {"auth", "authentication"},
	    {"initialize", "the MCP handshake (initialize)"},
	    {"tools_list", "listing tools (tools/list)"},
	    {"call", "calling a tool"},
	    {"cdn-cache-divergence", "regions seeing different tool lists"},
	};
	size_t i;

	for (i = 0; step != NULL && i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(step, words[i][0]) == 0)
			return words[i][1];
	return "an unknown step";
}

/*
 * What an incident's alert record says fails, in words: its track when it
 * is not downtime, else the step of member key (the step of a trigger, the
 * root layer of a resolve).
 */
static const char *
what_failed(const cJSON *o, const char *key)
{
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
	const cJSON *step = cJSON_GetObjectItemCaseSensitive(o, key);

	if (cJSON_IsString(kind) && strcmp(kind->valuestring, "tools-changed") == 0)
		return "a breaking change of the tool list";
	if (cJSON_IsString(kind))
		return strcmp(kind->valuestring, "rate-limited") == 0 ? "rate limiting (HTTP 429)"
		    : strcmp(kind->valuestring, "latency") == 0       ? "slow responses"
		                                                      : "too many failing probes";
	/*
	 * A downtime incident whose step is null is the regions' divergence:
	 * no region fails, they serve different tool lists (mcp-alert(1)).
	 */
	if (cJSON_IsNull(step))
		return step_words("cdn-cache-divergence");
	return step_words(cJSON_IsString(step) ? step->valuestring : NULL);
}

/* The record's severity when it is one of P1, P2, P3, else NULL. */
static const char *
severity_of(const cJSON *o)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "severity");

	if (!cJSON_IsString(s) || strlen(s->valuestring) != 2 || s->valuestring[0] != 'P' ||
	    s->valuestring[1] < '1' || s->valuestring[1] > '3')
		return NULL;
	return s->valuestring;
}

static const char *
state_word(enum serve_state s)
{
	static const char *const w[] = {"Pending", "Up", "Degraded", "Down"};

	return w[s];
}

/* Everything one slug's page shows, read in two round trips. */
struct page_data {
	struct summary s;
	struct region g[SERVE_REGIONS_MAX];
	size_t n;
	int known;
	int days; /* bars shown: SERVE_DAYS, or SERVE_DAYS_MAX */
	double day_u[SERVE_DAYS_MAX], day_n[SERVE_DAYS_MAX], day_m[SERVE_DAYS_MAX];
	long today;
	struct latency lat;
	cJSON *open[4]; /* the open incidents' records: owned */
	int nopen;
	cJSON *hist[HISTORY_SHOWN]; /* the last resolved: owned */
	int nhist;
	cJSON *tch; /* the tool lists' changes, newest first (tools.c): owned */
};

static void
page_data_free(struct page_data *d)
{
	int i;

	for (i = 0; i < d->nopen; i++)
		cJSON_Delete(d->open[i]);
	for (i = 0; i < d->nhist; i++)
		cJSON_Delete(d->hist[i]);
	cJSON_Delete(d->tch);
	cJSON_Delete(d->s.rec);
}

/* An alert record from the store, kept only when it is an object. */
static cJSON *
record(const redisReply *r)
{
	const char *why;
	cJSON *o;

	if (r->type != REDIS_REPLY_STRING || (o = mcp_json_parse(r->str, r->len, &why)) == NULL)
		return NULL;
	if (!cJSON_IsObject(o)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static int
page_read(struct conn *c, const char *slug, double now, struct page_data *d)
{
	char kv[128], ks[128], ku[128], ki[128], kh[128], km[128], kt[128], kc[128], last[8];
	const char *a0[] = {"GET", kv}, *a1[] = {"ZREVRANGE", ks, "0", "63", "WITHSCORES"},
	           *a2[] = {"ZSCORE", "mcp:slugs", slug}, *a3[] = {"HGETALL", ku},
	           *a4[] = {"HGETALL", ki}, *a5[] = {"LRANGE", kh, "0", "9"},
	           *a6[] = {"HMGET", km, "start", "end", "reason"}, *a7[] = {"GET", kt},
	           *a8[] = {"ZREVRANGE", kc, "0", last}, *a9[3];
	const char **argv[] = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9};
	int argc[] = {2, 5, 3, 2, 2, 4, 5, 2, 4, 3}, days = d->days;
	redisReply *rep[10];
	cJSON *o;
	size_t i, alias;

	memset(d, 0, sizeof(*d));
	d->days = days;
	d->today = (long)floor(now / 86400);
	snprintf(kt, sizeof(kt), "mcp:{%s}:tally", slug);
	snprintf(kc, sizeof(kc), "mcp:{%s}:tch", slug);
	snprintf(last, sizeof(last), "%d", SERVE_TOOLS_SHOWN - 1);
	snprintf(kv, sizeof(kv), "mcp:{%s}:verdict", slug);
	snprintf(ks, sizeof(ks), "mcp:{%s}:seen", slug);
	snprintf(ku, sizeof(ku), "mcp:{%s}:up", slug);
	snprintf(ki, sizeof(ki), "mcp:{%s}:incident", slug);
	snprintf(kh, sizeof(kh), "mcp:{%s}:incidents", slug);
	serve_maint_key(km, sizeof(km), slug);
	alias = serve_alias_cmd(a9, slug);
	if (serve_query(c, 9 + alias, argc, argv, rep) != SR_OK)
		return -1;
	serve_summary(rep[0], rep[1], now, &d->s, 1);
	serve_maint(rep[6], now, &d->s);
	serve_moved_of(alias ? rep[9] : NULL, &d->s);
	d->tch = serve_tools_history(rep[8]);
	d->n = serve_regions_of(rep[1], d->g);
	d->known = d->s.known || d->n > 0 || rep[2]->type == REDIS_REPLY_STRING;
	serve_days(rep[3], rep[7], d->today - d->days + 1, d->days, d->day_u, d->day_n, d->day_m);
	/* The downtime track first, then the others. */
	for (i = 0; rep[4]->type == REDIS_REPLY_ARRAY && i + 1 < rep[4]->elements && d->nopen < 4;
	     i += 2)
		if ((o = record(rep[4]->element[i + 1])) != NULL) {
			if (strcmp(rep[4]->element[i]->str, "down") == 0 && d->nopen > 0) {
				d->open[d->nopen] = d->open[0];
				d->open[0] = o;
				d->nopen++;
			} else {
				d->open[d->nopen++] = o;
			}
		}
	for (i = 0;
	     rep[5]->type == REDIS_REPLY_ARRAY && i < rep[5]->elements && d->nhist < HISTORY_SHOWN;
	     i++)
		if ((o = record(rep[5]->element[i])) != NULL)
			d->hist[d->nhist++] = o;
	serve_free_replies(rep, 9 + alias);
	serve_mark_faults(d->s.rec, d->g, d->n);
	if (d->known && d->s.moved[0] == '\0' &&
	    (serve_region_results(c, slug, d->g, d->n, now) == -1 ||
	        serve_latency_read(c, slug, now, &d->lat) == -1)) {
		page_data_free(d);
		return -1;
	}
	return 0;
}

/*
 * What a page or a feed of slug shows (owned: page_data_free and free), or
 * NULL after r is answered: 503 when the store fails, 301 for a slug the
 * registry moved (to the same route, suffix after the slug), 404 for a
 * slug it does not know.
 */
static struct page_data *
page_load(struct conn *c, const struct req *q, const char *slug, const char *suffix, int days,
    struct resp *r)
{
	struct page_data *d;

	if ((d = malloc(sizeof(*d))) == NULL) {
		serve_error(r, 500, "out of memory", NULL);
		return NULL;
	}
	d->days = days;
	if (page_read(c, slug, q->now, d) == -1) {
		free(d);
		serve_unavailable(r);
		return NULL;
	}
	if (d->s.moved[0] != '\0' || !d->known) {
		if (d->s.moved[0] != '\0')
			serve_moved(r, q, suffix, d->s.moved);
		else
			serve_error(r, 404, "not found", CACHE_API);
		page_data_free(d);
		free(d);
		return NULL;
	}
	return d;
}

/*
 * The head of every page: no script, one stylesheet.  No refresh either:
 * a page that reloads itself under its reader fails WCAG 2.2.1; the stale
 * banner says when what is shown is old.
 */
int
serve_page_head(struct mcp_buf *b, const char *title, const char *feed)
{
	int rc = mcp_buf_adds(b,
	    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");

	rc |= serve_esc(b, title) |
	    mcp_buf_adds(b, "</title><link rel=\"stylesheet\" href=\"/status.css\">");
	if (feed != NULL)
		rc |= mcp_buf_adds(b,
		          "<link rel=\"alternate\" type=\"application/atom+xml\" "
		          "title=\"Incidents\" href=\"") |
		    serve_esc(b, feed) | mcp_buf_adds(b, "\">");
	return rc | mcp_buf_adds(b, "</head><body><main>\n");
}

/* The verdict in words, with the regions that fail. */
static int
headline(struct mcp_buf *b, const struct page_data *d)
{
	const cJSON *rec = d->s.rec, *f, *e;
	const cJSON *step = rec ? cJSON_GetObjectItemCaseSensitive(rec, "step") : NULL;
	int rc, n = 0;

	rc = mcp_buf_addf(b,
	    "<p class=\"headline %s\" role=\"status\"><span class=\"dot\" "
	    "aria-hidden=\"true\"></span><span>%s",
	    serve_state_name(d->s.state), state_word(d->s.state));
	switch (d->s.state) {
	case ST_UP:
		rc |= mcp_buf_adds(b, ": every region passes");
		break;
	case ST_PENDING:
		rc |= mcp_buf_adds(b,
		    d->s.stale                 ? ": no fresh verdict"
		        : d->s.has_verdict     ? ": no region has reported lately"
		        : d->s.last_probe >= 0 ? ": probes arrived, no verdict yet"
		                               : ": awaiting first probe");
		break;
	default:
		if (d->s.divergence && !cJSON_IsString(step)) {
			rc |= mcp_buf_adds(b, ": regions see different tool lists");
			break;
		}
		rc |= mcp_buf_adds(b, ": ") |
		    serve_esc(b, step_words(cJSON_IsString(step) ? step->valuestring : NULL)) |
		    mcp_buf_adds(b, " failing in ");
		f = cJSON_GetObjectItemCaseSensitive(rec, "failed_regions");
		cJSON_ArrayForEach(e, f)
		{
			if (!cJSON_IsString(e) || !mcp_slug_ok(e->valuestring) || n == 8)
				continue;
			rc |= (n++ ? mcp_buf_adds(b, ", ") : 0) |
			    serve_region_name(b, e->valuestring);
		}
		if (n == 0)
			rc |= mcp_buf_adds(b, "some regions");
	}
	return rc | mcp_buf_adds(b, "</span></p>\n");
}

/*
 * The regions of this server that the verdict names in probe_fault, above
 * the state: their runners were blind (a failed canary, or most slugs
 * failing that other regions pass), and their failures are not the
 * server's (mcp-aggregate(1), "Probe faults").  Nothing when there are
 * none.
 */
static int
fault_banner(struct mcp_buf *b, const struct page_data *d)
{
	const cJSON *rep =
	    d->s.rec ? cJSON_GetObjectItemCaseSensitive(d->s.rec, "reporters") : NULL;
	size_t i;
	int rc = 0, n = 0;

	for (i = 0; i < d->n && n < 8; i++) {
		if (!d->g[i].fault)
			continue;
		rc |= mcp_buf_adds(b,
		          n++ ? ", " : "<p class=\"banner fault\" role=\"note\">Probe fault in ") |
		    serve_region_name(b, d->g[i].name);
	}
	if (n == 0)
		return 0;
	rc |= mcp_buf_adds(
	    b, n == 1 ? ": its results are set aside; " : ": their results are set aside; ");
	return rc |
	    mcp_buf_adds(b,
	        cJSON_GetArraySize(rep) > 0
	            ? "the server is judged by the other regions.</p>\n"
	            : "no other region reports, so the server's state is not known.</p>\n");
}

/* The four elements of an open incident: what, since when, where, how bad. */
static int
incident_card(struct mcp_buf *b, const cJSON *o, double now)
{
	static const char *const sev[][2] = {
	    {"P1", "P1, outage: people are paged"}, {"P2", "P2, degraded"}, {"P3", "P3, warning"}};
	const cJSON *at = cJSON_GetObjectItemCaseSensitive(o, "incident_started_at");
	const cJSON *regions = cJSON_GetObjectItemCaseSensitive(o, "regions"), *e;
	const char *what, *severity = "unknown";
	char t[64], iso[32], d[64];
	size_t i;
	int rc, n = 0;

	what = what_failed(o, "step");
	for (i = 0; i < 3; i++)
		if (severity_of(o) != NULL && strcmp(severity_of(o), sev[i][0]) == 0)
			severity = sev[i][1];
	rc = mcp_buf_adds(
	         b, "<section class=\"incident\" aria-label=\"Open incident\"><h2>Incident: ") |
	    serve_esc(b, what) | mcp_buf_adds(b, "</h2><dl><dt>What is failing</dt><dd>") |
	    serve_esc(b, what) | mcp_buf_adds(b, "</dd><dt>Since</dt><dd>");
	if (cJSON_IsNumber(at) && mcp_iso8601(at->valuedouble, iso, sizeof(iso)) == 0) {
		serve_when(at->valuedouble, t, sizeof(t));
		serve_duration(now - at->valuedouble, d, sizeof(d));
		rc |= mcp_buf_addf(b, "<time datetime=\"%s\">%s</time> (%s)", iso, t, d);
	} else {
		rc |= mcp_buf_adds(b, "unknown");
	}
	rc |= mcp_buf_adds(b, "</dd><dt>Where</dt><dd>");
	cJSON_ArrayForEach(e, regions)
	{
		if (!cJSON_IsString(e) || !mcp_slug_ok(e->valuestring) || n == SERVE_REGIONS_MAX)
			continue;
		rc |= (n++ ? mcp_buf_adds(b, ", ") : 0) | serve_region_name(b, e->valuestring);
	}
	if (n == 0)
		rc |= mcp_buf_adds(b, "every region that reports");
	return rc | mcp_buf_adds(b, "</dd><dt>Severity</dt><dd>") | serve_esc(b, severity) |
	    mcp_buf_adds(b, "</dd></dl></section>\n");
}

/* A region's state in words: "probe fault" is its runner blind, not the server. */
static const char *
state_text(const struct region *g, double now)
{
	const char *st = serve_region_state(g, now);

	return strcmp(st, "probe-fault") == 0 ? "probe fault" : st;
}

/* The map (a dot a region on the world outline) and the same facts as a table. */
static int
regions_part(struct mcp_buf *b, const struct page_data *d, double now)
{
	double lat, lon;
	char ago[32];
	size_t i;
	int rc;

	rc = mcp_buf_adds(b,
	    "<h2>Regions</h2>\n<svg class=\"map\" viewBox=\"0 0 360 156\" role=\"img\" "
	    "aria-label=\"Map of the regions; the table below gives the same facts\">"
	    "<image href=\"/world.svg\" width=\"360\" height=\"156\"/>");
	for (i = 0; i < d->n; i++) {
		if (serve_region_where(d->g[i].name, &lat, &lon) == -1)
			continue;
		rc |=
		    mcp_buf_addf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" class=\"%s\"><title>",
		        lon + 180, 90 - lat, serve_region_state(&d->g[i], now)) |
		    serve_region_text(b, d->g[i].name) |
		    mcp_buf_addf(b, ": %s</title></circle>", state_text(&d->g[i], now));
		/* The city beside its dot; west of it near the right edge. */
		rc |= mcp_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\"%s aria-hidden=\"true\">",
		    lon + 180 + (lon > 120 ? -6 : 6), 90 - lat + 2.5,
		    lon > 120 ? " text-anchor=\"end\"" : "");
		rc |= serve_esc(
		          b, serve_city(d->g[i].name) ? serve_city(d->g[i].name) : d->g[i].name) |
		    mcp_buf_adds(b, "</text>");
	}
	rc |= mcp_buf_adds(b,
	    "</svg>\n<div class=\"scroll\"><table><caption class=\"sr\">The latest "
	    "probe of each region</caption><thead><tr><th>Region</th><th>State</th>"
	    "<th>Failing step</th><th>Last probe</th><th class=\"num\">Latency</th>"
	    "</tr></thead><tbody>");
	for (i = 0; i < d->n; i++) {
		const char *st = serve_region_state(&d->g[i], now);

		mcp_ago(now - d->g[i].seen, ago, sizeof(ago));
		rc |= mcp_buf_adds(b, "<tr><td>") | serve_region_name(b, d->g[i].name) |
		    mcp_buf_addf(b,
		        "</td><td class=\"%s\"><span class=\"dot\" aria-hidden=\"true\">"
		        "</span> %s</td><td>",
		        st, state_text(&d->g[i], now));
		rc |= d->g[i].letter == 'b' && strcmp(st, "missing") != 0 && d->g[i].step[0]
		    ? serve_esc(b, step_words(d->g[i].step))
		    : mcp_buf_adds(b, "none");
		rc |= mcp_buf_addf(b, "</td><td>%s ago</td><td class=\"num\">", ago);
		rc |= d->g[i].ms >= 0 && strcmp(st, "up") == 0
		    ? mcp_buf_addf(b, "%.0f ms", d->g[i].ms)
		    : mcp_buf_adds(b, "&ndash;");
		rc |= mcp_buf_adds(b, "</td></tr>");
	}
	if (d->n == 0)
		rc |= mcp_buf_adds(
		    b, "<tr><td colspan=\"5\">No region has probed this server yet.</td></tr>");
	return rc | mcp_buf_adds(b, "</tbody></table></div>\n");
}

static int
facts_part(struct mcp_buf *b, const struct page_data *d, double now)
{
	char ago[32];
	int rc =
	    mcp_buf_adds(b, "<h2>Performance</h2>\n<div class=\"facts\"><div class=\"fact\"><b>");

	rc |= d->s.p95 >= 0 ? mcp_buf_addf(b, "%.0f ms", d->s.p95) : mcp_buf_adds(b, "no data");
	rc |= mcp_buf_adds(b,
	    "</b><span>p95 latency, last 24 hours, all regions</span></div>"
	    "<div class=\"fact\"><b>");
	if (d->s.last_probe >= 0) {
		mcp_ago(now - d->s.last_probe, ago, sizeof(ago));
		rc |= mcp_buf_addf(b, "%s ago", ago);
	} else {
		rc |= mcp_buf_adds(b, "never");
	}
	rc |= mcp_buf_adds(b, "</b><span>last probe</span></div><div class=\"fact\"><b>");
	rc |=
	    d->s.uptime >= 0 ? mcp_buf_addf(b, "%.2f%%", d->s.uptime) : mcp_buf_adds(b, "no data");
	return rc | mcp_buf_adds(b, "</b><span>uptime, 30 days</span></div></div>\n");
}

/*
 * Readiness for 2026's clients: the grade, the eras, and each reason with
 * what to do (the words are this build's, lib/ready.h: no server's text).
 */
static int
ready_part(struct mcp_buf *b, const struct page_data *d, const char *slug)
{
	static const char *const eras[3] = {"2026-07-28", "legacy Streamable HTTP", "HTTP+SSE"};
	int rc, k, n = 0;

	if (d->s.grade < 'A' || d->s.grade > 'F')
		return 0;
	rc = mcp_buf_addf(b,
	    "<section class=\"readiness\" aria-label=\"Readiness\"><h2>Readiness for 2026's "
	    "clients: <span class=\"grade grade-%c\">%c</span></h2>\n<p>Speaks ",
	    d->s.grade, d->s.grade);
	for (k = 0; k < 3; k++)
		if (d->s.ready_eras & (1U << k))
			rc |= mcp_buf_addf(b, "%s%s", n++ ? ", " : "", eras[k]);
	if (n == 0)
		rc |= mcp_buf_adds(b, "no era the probes could name");
	if (d->s.ready_at[0] != '\0')
		rc |= mcp_buf_addf(b, "; checked <time datetime=\"%s\">%.10s %.5s UTC</time>",
		    d->s.ready_at, d->s.ready_at, d->s.ready_at + 11);
	rc |= mcp_buf_adds(b, ".</p>\n");
	/* The authorization server's issuer: its metadata's words, escaped. */
	if (d->s.ready_issuer[0] != '\0')
		rc |= mcp_buf_adds(b, "<p>Authorization server: <code>") |
		    serve_esc(b, d->s.ready_issuer) |
		    mcp_buf_adds(b, "</code> (the issuer its metadata names)</p>\n");
	if (d->s.ready_codes == 0)
		rc |= mcp_buf_adds(b, "<p>Nothing to mend.</p>\n");
	else
		rc |= mcp_buf_adds(b, "<ul class=\"reasons\">");
	for (k = 0; k < MCP_R_N; k++) {
		if (!(d->s.ready_codes & (1UL << k)))
			continue;
		rc |= mcp_buf_addf(b, "<li><b>%s</b> (%s): ", mcp_ready_reasons[k].code,
		    mcp_ready_sev_name(mcp_ready_reasons[k].sev));
		rc |= serve_esc(b, mcp_ready_reasons[k].what) | mcp_buf_adds(b, ". <i>Do:</i> ") |
		    serve_esc(b, mcp_ready_reasons[k].fix) |
		    mcp_buf_addf(
		        b, " (specification 2026-07-28, %s)</li>", mcp_ready_reasons[k].spec);
	}
	if (d->s.ready_codes != 0)
		rc |= mcp_buf_adds(b, "</ul>\n");
	return rc | mcp_buf_adds(b, "<p><a href=\"/api/status/") | serve_esc(b, slug) |
	    mcp_buf_adds(b, "/readiness\">JSON</a></p></section>\n");
}

static int
history_part(struct mcp_buf *b, const struct page_data *d)
{
	int i, rc;

	rc = mcp_buf_adds(b, "<h2>Recent incidents</h2>\n");
	if (d->nhist == 0)
		return rc | mcp_buf_adds(b, "<p>No resolved incident in the last 90 days.</p>\n");
	rc |= mcp_buf_adds(b,
	    "<div class=\"scroll\"><table><thead><tr><th>Opened</th><th>Resolved</th>"
	    "<th>Duration</th><th>Root layer</th><th>Severity</th></tr></thead><tbody>");
	for (i = 0; i < d->nhist; i++) {
		const cJSON *o = d->hist[i];
		const cJSON *at = cJSON_GetObjectItemCaseSensitive(o, "incident_started_at");
		const cJSON *dur = cJSON_GetObjectItemCaseSensitive(o, "duration_s");
		char t1[64], t2[64], dd[64];

		if (!cJSON_IsNumber(at) || !cJSON_IsNumber(dur))
			continue;
		serve_when(at->valuedouble, t1, sizeof(t1));
		serve_when(at->valuedouble + dur->valuedouble, t2, sizeof(t2));
		serve_duration(dur->valuedouble, dd, sizeof(dd));
		rc |= mcp_buf_addf(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", t1, t2, dd);
		rc |= serve_esc(b, what_failed(o, "layer"));
		rc |= mcp_buf_adds(b, "</td><td>");
		rc |= severity_of(o) ? serve_esc(b, severity_of(o)) : mcp_buf_adds(b, "&ndash;");
		rc |= mcp_buf_adds(b, "</td></tr>");
	}
	return rc | mcp_buf_adds(b, "</tbody></table></div>\n");
}

/* A maintenance window in force: what, until when; failures are not counted. */
static int
maint_notice(struct mcp_buf *b, const struct summary *s)
{
	char iso[32], t[64];
	int rc;

	if (mcp_iso8601(s->maint_end, iso, sizeof(iso)) == -1)
		return 0;
	serve_when(s->maint_end, t, sizeof(t));
	rc = mcp_buf_addf(b,
	    "<section class=\"maint\" aria-label=\"Scheduled maintenance\"><h2>Scheduled "
	    "maintenance</h2><p>Until <time datetime=\"%s\">%s</time>",
	    iso, t);
	if (s->maint_reason[0] != '\0')
		rc |= mcp_buf_adds(b, ": ") | serve_esc(b, s->maint_reason);
	return rc |
	    mcp_buf_adds(b,
	        ".</p><p>The state below is what the probes see; windows of the "
	        "maintenance are not counted in the uptime.</p></section>\n");
}

void
serve_html_resp(struct resp *r)
{
	r->ctype = CT_HTML;
	r->cache = CACHE_PAGE;
	r->html = 1;
}

/* ?days=30 or ?days=90, the bars shown (SERVE_DAYS without); -1 for anything else. */
static int
days_query(const char *qs)
{
	char v[8];
	int rc = serve_query_get(qs, "days", v, sizeof(v));

	if (rc == 0)
		return SERVE_DAYS;
	if (rc == 1 && strcmp(v, "30") == 0)
		return 30;
	if (rc == 1 && strcmp(v, "90") == 0)
		return SERVE_DAYS_MAX;
	return -1;
}

/* The daily bars, with the links to the other length and to the monthly reports. */
static int
bars_part(struct mcp_buf *b, const struct page_data *d, const char *slug)
{
	char heading[64], left[32], nav[512];
	struct bars x = {d->today - d->days + 1, d->days, d->day_u, d->day_n, d->day_m, heading,
	    nav, left, "today", "the history starts on", d->today};
	int n;

	snprintf(heading, sizeof(heading), "Uptime, last %d days", d->days);
	snprintf(left, sizeof(left), "%d days ago", d->days);
	n = snprintf(nav, sizeof(nav),
	    "<p class=\"sub\">Show <a href=\"/status/%s?days=30\"%s>30 days</a> &middot; "
	    "<a href=\"/status/%s?days=90\"%s>90 days</a> &middot; <a href=\"/report/%s\">"
	    "Monthly reports</a></p>\n",
	    slug, d->days == 30 ? " aria-current=\"page\"" : "", slug,
	    d->days == 90 ? " aria-current=\"page\"" : "", slug);
	if (n < 0 || (size_t)n >= sizeof(nav))
		return -1;
	return serve_bars(b, &x);
}

void
serve_page(struct conn *c, const struct req *q, const char *slug, struct resp *r)
{
	struct page_data *d;
	struct mcp_buf *b = &r->body;
	char title[160], feed[128];
	struct posts *ps;
	int i, rc, days = days_query(q->query);

	if (days == -1) {
		serve_error(r, 400, "bad query", NULL);
		return;
	}
	if ((d = page_load(c, q, slug, "", days, r)) == NULL)
		return;
	if ((ps = serve_posts_load(c, slug, q->now)) == NULL) {
		page_data_free(d);
		free(d);
		serve_unavailable(r);
		return;
	}
	serve_html_resp(r);
	snprintf(title, sizeof(title), "%s: %s", slug, state_word(d->s.state));
	snprintf(feed, sizeof(feed), "/status/%s/feed.atom", slug);
	rc = serve_page_head(b, title, feed) |
	    mcp_buf_adds(b, "<p class=\"sub\"><a href=\"/status\">All servers</a></p><h1>") |
	    serve_esc(b, slug) | mcp_buf_adds(b, "</h1>\n") | fault_banner(b, d) | headline(b, d);
	if (d->s.stale || (!d->s.has_verdict && d->s.last_probe >= 0))
		rc |= d->s.has_verdict
		    ? mcp_buf_addf(b,
		          "<p class=\"banner\" role=\"note\">This page's data is %.0f "
		          "minutes old: the monitor has not decided a newer window.</p>\n",
		          floor((q->now - d->s.window) / 60))
		    : mcp_buf_adds(b,
		          "<p class=\"banner\" role=\"note\">Probes have arrived but no "
		          "verdict has been decided yet.</p>\n");
	if (d->s.maint)
		rc |= maint_notice(b, &d->s);
	/* The operator's word first: maintenance to come, open reports (posts.c). */
	rc |= serve_posts_open_html(b, ps, q->now);
	for (i = 0; i < d->nopen; i++)
		rc |= incident_card(b, d->open[i], q->now);
	rc |= regions_part(b, d, q->now) | bars_part(b, d, slug) | facts_part(b, d, q->now) |
	    ready_part(b, d, slug) | serve_latency_svg(b, &d->lat) | history_part(b, d) |
	    serve_tools_html(b, d->tch, d->s.rec);
	rc |= serve_posts_past_html(b, ps) | serve_posts_form(b, ps);
	serve_posts_free(ps);
	rc |= mcp_buf_adds(b, "<footer><p>");
	if (d->s.has_verdict) {
		serve_when(d->s.window, title, sizeof(title));
		rc |= mcp_buf_addf(b, "Verdict of the minute <time datetime=\"%s\">%s</time>. ",
		    d->s.as_of, title);
	}
	rc |= mcp_buf_adds(b, "<a href=\"") | serve_esc(b, feed) |
	    mcp_buf_adds(b, "\">Atom feed of incidents</a> &middot; <a href=\"/api/embed-status/") |
	    serve_esc(b, slug) | mcp_buf_adds(b, "\">JSON</a> &middot; <a href=\"/badge/") |
	    serve_esc(b, slug) |
	    mcp_buf_adds(b, ".svg\">Badge</a></p></footer>\n</main></body></html>\n");
	page_data_free(d);
	free(d);
	if (rc != 0)
		serve_error(r, 500, "out of memory", NULL);
}

struct index {
	struct mcp_buf *b;
	double now;
};

static int
index_row(void *arg, const char *slug, const struct summary *s)
{
	struct index *x = arg;
	char ago[32];
	int rc;

	rc = mcp_buf_addf(x->b,
	    "<tr><td><a href=\"/status/%s\">%s</a></td><td class=\"%s\"><span "
	    "class=\"dot\" aria-hidden=\"true\"></span> %s</td><td class=\"num\">",
	    slug, slug, serve_state_name(s->state), state_word(s->state));
	rc |= s->uptime >= 0 ? mcp_buf_addf(x->b, "%.2f%%", s->uptime)
	                     : mcp_buf_adds(x->b, "&ndash;");
	rc |= mcp_buf_adds(x->b, "</td><td>");
	if (s->last_probe >= 0) {
		mcp_ago(x->now - s->last_probe, ago, sizeof(ago));
		rc |= mcp_buf_addf(x->b, "%s ago", ago);
	} else {
		rc |= mcp_buf_adds(x->b, "never");
	}
	return rc | mcp_buf_adds(x->b, "</td></tr>");
}

/* /status: every slug of one page of the index, with its state. */
void
serve_index(struct conn *c, const struct req *q, struct resp *r)
{
	static char *slugs[SERVE_PAGE_MAX];
	struct index x = {&r->body, q->now};
	char next[SERVE_CURSOR_MAX + 1];
	redisReply *rep[1];
	size_t n;
	int rc;

	struct posts *ps;

	if (serve_scan(c, q, r, rep, slugs, &n, next) == -1)
		return;
	if ((ps = serve_posts_load(c, NULL, q->now)) == NULL) {
		serve_free_replies(rep, 1);
		serve_unavailable(r);
		return;
	}
	serve_html_resp(r);
	rc = serve_page_head(&r->body, "MCP servers: status", "/feed.atom") |
	    mcp_buf_adds(&r->body, "<h1>MCP servers</h1>\n") |
	    serve_posts_open_html(&r->body, ps, q->now) |
	    mcp_buf_adds(&r->body,
	        "<div class=\"scroll\"><table><thead><tr>"
	        "<th>Server</th><th>State</th><th class=\"num\">Uptime, 30 days</th>"
	        "<th>Last probe</th></tr></thead><tbody>");
	if (rc == 0 && serve_each_summary(c, q->now, slugs, n, 0, index_row, &x) == -1) {
		serve_free_replies(rep, 1);
		serve_posts_free(ps);
		mcp_buf_reset(&r->body);
		serve_unavailable(r);
		return;
	}
	if (n == 0)
		rc |= mcp_buf_adds(
		    &r->body, "<tr><td colspan=\"4\">No server is monitored yet.</td></tr>");
	rc |= mcp_buf_adds(&r->body, "</tbody></table></div>\n");
	if (next[0] != '\0')
		rc |= mcp_buf_addf(
		    &r->body, "<p><a href=\"/status?cursor=%s\">More servers</a></p>\n", next);
	rc |= serve_posts_past_html(&r->body, ps) | serve_posts_form(&r->body, ps) |
	    mcp_buf_adds(&r->body,
	        "<footer><p><a href=\"/feed.atom\">Atom feed of reports and "
	        "maintenance</a> &middot; <a href=\"/api/posts\">JSON</a>"
	        "</p></footer>\n");
	serve_posts_free(ps);
	rc |= mcp_buf_adds(&r->body, "</main></body></html>\n");
	serve_free_replies(rep, 1);
	if (rc != 0)
		serve_error(r, 500, "out of memory", NULL);
}

/* One Atom entry for an incident, opened or resolved. */
static int
feed_entry(struct mcp_buf *b, const char *slug, const cJSON *o, int resolved)
{
	const cJSON *at = cJSON_GetObjectItemCaseSensitive(o, "incident_started_at");
	const cJSON *dur = cJSON_GetObjectItemCaseSensitive(o, "duration_s");
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
	const char *what,
	    *k =
	        cJSON_IsString(kind) && mcp_slug_ok(kind->valuestring) ? kind->valuestring : "down";
	char iso[32], t[64], d[64];
	double upd;
	int rc;

	if (!cJSON_IsNumber(at) || mcp_iso8601(at->valuedouble, iso, sizeof(iso)) == -1 ||
	    (resolved && !cJSON_IsNumber(dur)))
		return 0;
	what = what_failed(o, resolved ? "layer" : "step");
	serve_when(at->valuedouble, t, sizeof(t));
	upd = resolved ? at->valuedouble + dur->valuedouble : at->valuedouble;
	rc = mcp_buf_addf(b, "<entry><id>urn:mcp-uptime:%s:%s:%.0f:%s</id><title>", slug, k,
	    at->valuedouble, resolved ? "resolved" : "opened");
	rc |= serve_esc(b, slug) | mcp_buf_adds(b, resolved ? ": resolved, " : ": incident, ") |
	    serve_esc(b, what);
	if (resolved) {
		serve_duration(dur->valuedouble, d, sizeof(d));
		rc |= mcp_buf_addf(b, " (%s)", d);
	}
	mcp_iso8601(upd, iso, sizeof(iso));
	rc |= mcp_buf_addf(
	    b, "</title><updated>%s</updated><link href=\"/status/%s\"/><summary>", iso, slug);
	rc |= mcp_buf_adds(b, "Opened ") | serve_esc(b, t) | mcp_buf_adds(b, "; ") |
	    serve_esc(b, what);
	if (severity_of(o) != NULL)
		rc |= mcp_buf_addf(b, "; severity %s", severity_of(o));
	if (resolved)
		rc |= mcp_buf_addf(b, "; resolved after %s", d);
	return rc | mcp_buf_adds(b, ".</summary></entry>\n");
}

/* /status/SLUG/feed.atom: the open incidents, then the last resolved. */
void
serve_feed(struct conn *c, const struct req *q, const char *slug, struct resp *r)
{
	struct page_data *d;
	struct mcp_buf *b = &r->body;
	char iso[32];
	int i, rc;

	struct posts *ps;

	if ((d = page_load(c, q, slug, "/feed.atom", SERVE_DAYS, r)) == NULL)
		return;
	if ((ps = serve_posts_load(c, slug, q->now)) == NULL) {
		page_data_free(d);
		free(d);
		serve_unavailable(r);
		return;
	}
	r->ctype = "application/atom+xml; charset=utf-8";
	r->cache = CACHE_PAGE;
	mcp_iso8601(d->s.window >= 0 ? d->s.window : floor(q->now / 60) * 60, iso, sizeof(iso));
	rc = mcp_buf_adds(b,
	         "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed "
	         "xmlns=\"http://www.w3.org/2005/Atom\"><title>") |
	    serve_esc(b, slug) |
	    mcp_buf_addf(b,
	        ": incidents</title><id>urn:mcp-uptime:%s</id><updated>%s</updated>"
	        "<author><name>mcp-uptime</name></author><link rel=\"alternate\" "
	        "href=\"/status/%s\"/><link rel=\"self\" href=\"/status/%s/feed.atom\"/>\n",
	        slug, iso, slug, slug);
	for (i = 0; i < d->nopen; i++)
		rc |= feed_entry(b, slug, d->open[i], 0);
	for (i = 0; i < d->nhist; i++)
		rc |= feed_entry(b, slug, d->hist[i], 1);
	rc |= serve_tools_feed(b, slug, d->tch);
	rc |= serve_posts_feed(b, ps) | mcp_buf_adds(b, "</feed>\n");
	serve_posts_free(ps);
	page_data_free(d);
	free(d);
	if (rc != 0)
		serve_error(r, 500, "out of memory", NULL);
}
