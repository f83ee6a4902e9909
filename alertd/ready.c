/*
 * ready.c - a server's readiness for 2026's clients, told by mcp-alert
 * when it worsens (mcp-alert(1), "Readiness"; mcp-probe --readiness,
 * issue 68).  The verdict's "readiness" is read as this build knows it:
 * its reasons' codes (lib/ready.h) and the grade they make, never the
 * record's own words.  A grade worse than the last one told (the state's
 * "gradex") is the note readiness-worse (P3, every P3 route but
 * PagerDuty, as a note is never resolved): the grade, the one before and
 * the reasons that are new.  A first grade, or a better one, is kept and
 * told nothing.  A posture: it opens no incident and changes none.
 *
 * The issuer of its authorization server (the verdict's, said by a
 * majority of the regions) that changes is a page: every client must
 * register again (2026-07-28, SEP-2352).  auth-issuer-changed is a
 * trigger (P2, every P2 route, PagerDuty too) that the monitor never
 * resolves: a person does, once the clients have registered again.  It
 * says the new issuer and the one before (the state's "issx"); a first
 * issuer is kept and told nothing.  It is not on the public page: the
 * server works.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <string.h>

#include "alert.h"
#include "notice.h"
#include "ready.h"
#include "rules.h"

void
ready_read(const cJSON *rec, struct verdict *vd)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(rec, "readiness"), *e;
	const char *iss = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "issuer"));
	int have[MCP_R_N] = {0}, k;

	vd->grade = 0;
	vd->ready_codes = 0;
	vd->issuer = NULL;
	vd->apps = NULL;
	if (!cJSON_IsObject(r))
		return;
	if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(r, "apps")) &&
	    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r, "apps")) <= 4)
		vd->apps = cJSON_GetObjectItemCaseSensitive(r, "apps");
	/* An issuer as mcp-aggregate keeps one: a URL of printable ASCII, no space or quote. */
	if (mcp_ready_issuer_ok(iss, ISSUER_MAX))
		vd->issuer = iss;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, "reasons"))
	{
		k = mcp_ready_code(
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "code")));
		if (k == -1)
			continue;
		have[k] = 1;
		vd->ready_codes |= 1UL << k;
	}
	vd->grade = mcp_ready_grade(have);
}

/* An app of the verdict as the state keeps it: "URI HTML CSP", or "" when it is not one. */
static void
app_word(char *buf, size_t len, const cJSON *a)
{
	const char *u = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a, "uri"));
	const char *h = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a, "html"));
	const char *c = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a, "csp"));
	size_t i;

	buf[0] = '\0';
	if (u == NULL || h == NULL || c == NULL || strncmp(u, "ui://", 5) != 0 || strlen(u) > 256 ||
	    strlen(h) != 16 || strlen(c) != 16 || strspn(h, "0123456789abcdef") != 16 ||
	    strspn(c, "0123456789abcdef") != 16)
		return;
	for (i = 0; u[i] != '\0'; i++)
		if ((unsigned char)u[i] <= 0x20 || (unsigned char)u[i] > 0x7e || u[i] == ';')
			return;
	snprintf(buf, len, "%s %s %s", u, h, c);
}

/*
 * The MCP Apps that changed since the state last saw them: the note
 * app-changed (P3, every P3 route but PagerDuty), once a change, naming
 * the app and whether its HTML or its CSP changed; an app first seen is
 * kept and told nothing, one gone is forgotten.
 */
static int
apps_step(struct ctx *x, struct state *s, const struct verdict *vd)
{
	struct alert_ev ev = {
	    "note", "P3", x->slug, APP_KIND, x->window, NULL, NULL, NULL, -1, NULL, NULL, 0, NULL};
	char now[APPS_STATE_MAX] = "", w[300], u[260], h[17], c[17], was[300], sum[1024];
	const cJSON *a;
	const char *p;
	size_t at = 0;
	int rc = 0;

	if (vd->apps == NULL)
		return 0;
	cJSON_ArrayForEach(a, vd->apps)
	{
		app_word(w, sizeof(w), a);
		if (w[0] == '\0' || sscanf(w, "%259s %16s %16s", u, h, c) != 3)
			continue;
		/* What the state says of this URI: "URI HTML CSP" up to the next ';'. */
		was[0] = '\0';
		for (p = s->apps; *p != '\0'; p += strcspn(p, ";"), p += *p == ';') {
			size_t n = strcspn(p, ";"), ul = strlen(u);

			if (n > ul && n < sizeof(was) && strncmp(p, u, ul) == 0 && p[ul] == ' ') {
				memcpy(was, p, n), was[n] = '\0';
				break;
			}
		}
		if (was[0] != '\0' && strcmp(was, w) != 0 && rc == 0) {
			int html = strncmp(was + strlen(u) + 1, h, 16) != 0;
			int csp = strcmp(was + strlen(u) + 18, c) != 0;

			snprintf(sum, sizeof(sum),
			    "%s: " APP_KIND
			    ": the MCP App %s changed its %s: review what a host renders "
			    "beside the agent",
			    x->slug, u,
			    html && csp ? "HTML and its CSP"
			        : html  ? "HTML"
			                : "CSP");
			ev.summary = sum;
			rc = emit_to(x, NULL, &ev,
			    alert_routes_for(x->c, "P3", mcp_now()) & ~pd_routes(x->c));
		}
		if (at + strlen(w) + 2 < sizeof(now))
			at +=
			    (size_t)snprintf(now + at, sizeof(now) - at, "%s%s", at ? ";" : "", w);
	}
	/* An app the regions did not agree on now is kept as it was: a split is no change. */
	for (p = s->apps; *p != '\0'; p += strcspn(p, ";"), p += *p == ';') {
		size_t n = strcspn(p, ";"), k = strcspn(p, " ");
		char uri[300], pat[302];

		if (k + 2 >= sizeof(uri) || n >= sizeof(was))
			continue;
		memcpy(uri, p, k), uri[k] = ' ', uri[k + 1] = '\0';
		snprintf(pat, sizeof(pat), ";%s", uri);
		/* In now already (its first entry, or after a ';'): the verdict's. */
		if (strncmp(now, uri, k + 1) == 0 || strstr(now, pat) != NULL)
			continue;
		if (at + n + 2 < sizeof(now))
			at += (size_t)snprintf(
			    now + at, sizeof(now) - at, "%s%.*s", at ? ";" : "", (int)n, p);
	}
	snprintf(s->apps, sizeof(s->apps), "%s", now);
	return rc;
}

/* The issuer that changed: a page, once. */
static int
issuer_step(struct ctx *x, struct state *s, const struct verdict *vd)
{
	struct alert_ev ev = {"trigger", "P2", x->slug, ISSUER_KIND, x->window, NULL, NULL, NULL,
	    -1, NULL, NULL, 0, NULL};
	char sum[1024];

	if (vd->issuer == NULL || strcmp(vd->issuer, s->issuer) == 0)
		return 0;
	if (s->issuer[0] == '\0') {
		snprintf(s->issuer, sizeof(s->issuer), "%s", vd->issuer);
		return 0;
	}
	snprintf(sum, sizeof(sum),
	    "%s: " ISSUER_KIND ": its authorization server's issuer is now \"%s\", was \"%s\": "
	    "every client must register again (2026-07-28, SEP-2352)",
	    x->slug, vd->issuer, s->issuer);
	ev.summary = sum;
	snprintf(s->issuer, sizeof(s->issuer), "%s", vd->issuer);
	return emit_to(x, NULL, &ev, alert_routes_for(x->c, "P2", mcp_now()));
}

/* The notice readiness-worse for the slug's subscribers (subscriber_incidents): 0, or -1. */
static int
readiness_notice(struct ctx *x, const char *summary)
{
	cJSON *n = notice_new("readiness-worse", mcp_now());

	cJSON_AddStringToObject(n, "title", summary);
	cJSON_AddStringToObject(n, "text",
	    "The server still answers: what worsened is how ready it is for the MCP clients of "
	    "2026, as the monitor grades it once an hour; this notice was sent without a person.");
	cJSON_AddBoolToObject(n, "all", 0);
	cJSON_AddItemToObject(n, "slugs", cJSON_CreateStringArray(&x->slug, 1));
	return notice_queue(x->st, n);
}

int
ready_step(struct ctx *x, struct state *s, const struct verdict *vd)
{
	struct alert_ev ev = {"note", "P3", x->slug, READY_KIND, x->window, NULL, NULL, NULL, -1,
	    NULL, NULL, 0, NULL};
	char sum[2048];
	size_t at;
	int k, n = 0;

	if (issuer_step(x, s, vd) == -1 || apps_step(x, s, vd) == -1)
		return -1;
	if (vd->grade == 0)
		return 0;
	/* The first grade, or a better one: kept, told nothing. */
	if (s->grade == 0 || vd->grade <= s->grade) {
		s->grade = vd->grade;
		s->ready_codes = vd->ready_codes;
		return 0;
	}
	at = (size_t)snprintf(sum, sizeof(sum),
	    "%s: " READY_KIND ": its readiness for 2026's clients is now %c, was %c", x->slug,
	    vd->grade, s->grade);
	for (k = 0; k < MCP_R_N && at < sizeof(sum); k++) {
		if (!(vd->ready_codes & (1UL << k)) || (s->ready_codes & (1UL << k)))
			continue;
		at += (size_t)snprintf(sum + at, sizeof(sum) - at, "%s%s (%s): %s",
		    n++ ? "; " : ": ", mcp_ready_reasons[k].code,
		    mcp_ready_sev_name(mcp_ready_reasons[k].sev), mcp_ready_reasons[k].what);
	}
	ev.summary = sum;
	s->grade = vd->grade;
	s->ready_codes = vd->ready_codes;
	/* The server's subscribers are told too, when its automatic notices reach them. */
	if (alert_page_incidents(x->c, x->slug) && readiness_notice(x, sum) == -1)
		return -1;
	return emit_to(x, NULL, &ev, alert_routes_for(x->c, "P3", mcp_now()) & ~pd_routes(x->c));
}
