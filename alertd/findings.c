/*
 * findings.c - a change that adds a finding, said to the operator
 * (mcp-alert(1), "Tool changes"; mcp-rules(7); issue 54).  A verdict's
 * findings.added names the rules a result found that none before it had,
 * and when: a change of class review with security.  The alert about the
 * change says it ("security: adds MCPU-P103 (high, ...) in eu-west-2"):
 * the tools-changed note of the verdict and the tools-unreviewed incident
 * it opens, each with the record's security and findings.  A high or
 * medium rule raises the note to P2 (every P2 route but PagerDuty: a note
 * is never resolved) and the incident to P2; a low one leaves them P3.
 * When neither is told in that verdict (the list was told of already, the
 * incident is open), a tools-note of its own says it.  Once per added
 * set: its "at" is kept (the state's "fndx"), never told again.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alert.h"
#include "rules.h"
#include "toolset.h"

#define FINDINGS_SAID 4 /* rules said in a summary; the others counted */

void
findings_read(const cJSON *rec, struct verdict *vd)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(rec, "findings");
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(f, "added");
	const cJSON *at = cJSON_GetObjectItemCaseSensitive(a, "at"), *r;
	int n = 0;

	vd->fadded = NULL;
	if (!cJSON_IsObject(a) || !cJSON_IsNumber(at) || !(at->valuedouble > 0) ||
	    at->valuedouble > 1e11)
		return;
	/* Every rule one of the table: an id not known is a verdict not as written. */
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(a, "rules"))
	{
		if (!cJSON_IsString(r) || mcp_scan_rule(r->valuestring) == NULL)
			return;
		n++;
	}
	if (n == 0)
		return;
	vd->fadded = a;
	r = cJSON_GetObjectItemCaseSensitive(f, "regions");
	vd->fregions = regions_ok(r) ? r : NULL;
}

/* The worst severity of the added rules: MCP_SEV_HIGH first. */
static enum mcp_sev
added_worst(const cJSON *a)
{
	enum mcp_sev w = MCP_SEV_LOW;
	const cJSON *r;

	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(a, "rules"))
	{
		if (mcp_scan_rule(r->valuestring)->sev < w)
			w = mcp_scan_rule(r->valuestring)->sev;
	}
	return w;
}

/* When the set was added, in whole seconds as the state keeps it. */
static double
added_at(const cJSON *a)
{
	return round(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(a, "at")));
}

/* The added set of vd when it was not told yet, else NULL. */
static const cJSON *
untold(const struct state *s, const struct verdict *vd)
{
	if (vd->fadded == NULL || added_at(vd->fadded) == s->fat)
		return NULL;
	return vd->fadded;
}

/*
 * "; security: adds MCPU-P103 (high, local files of credentials and keys
 * named) in eu-west-2" appended to sum: each rule's line of the table up
 * to its parenthesis, what the verdict says being ids and region names
 * checked, never text of the server's.
 */
static void
words(char *sum, size_t len, const cJSON *a, const cJSON *regions)
{
	const struct mcp_rule_info *ri;
	size_t u = strlen(sum), k;
	const cJSON *r;
	char who[512];
	int n = 0;

	snprintf(sum + u, len - u, "; security: adds");
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(a, "rules"))
	{
		if (n++ == FINDINGS_SAID)
			continue;
		ri = mcp_scan_rule(r->valuestring);
		k = strcspn(ri->what, "(");
		k -= k > 0 && ri->what[k - 1] == ' ';
		u = strlen(sum);
		snprintf(sum + u, len - u, "%s %s (%s, %.*s)", n > 1 ? "," : "", ri->id,
		    mcp_sev_name(ri->sev), (int)k, ri->what);
	}
	u = strlen(sum);
	if (n > FINDINGS_SAID)
		snprintf(sum + u, len - u, " and %d more", n - FINDINGS_SAID), u = strlen(sum);
	if (cJSON_GetArraySize(regions) > 0) {
		regions_join(who, sizeof(who), regions, NULL);
		snprintf(sum + u, len - u, " in %s", who);
	}
}

/* The record's findings: {at, rules, worst}, of the added set (owned by x's verdict). */
static cJSON *
record_of(const cJSON *a)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "at", added_at(a));
	cJSON_AddItemToObject(
	    o, "rules", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(a, "rules"), 1));
	cJSON_AddStringToObject(o, "worst", mcp_sev_name(added_worst(a)));
	return o;
}

int
findings_say(struct state *s, const struct verdict *vd, int as, char *sum, size_t len,
    struct alert_ev *e, cJSON **rec)
{
	const cJSON *a = untold(s, vd);

	*rec = NULL;
	if (a == NULL || (s->fsaid & as) != 0)
		return 0;
	s->fsaid |= as;
	words(sum, len, a, vd->fregions);
	*rec = record_of(a);
	e->findings = *rec;
	return added_worst(a) == MCP_SEV_LOW ? 1 : 2;
}

int
findings_step(struct ctx *x, struct state *s, const struct verdict *vd)
{
	const cJSON *a = untold(s, vd);
	struct alert_ev ev = {"note", "P3", x->slug, TOOLS_NOTE, x->window, NULL, vd->fregions,
	    NULL, -1, NULL, NULL, 0, NULL};
	char sum[1024];
	cJSON *rec;
	int rc = 0, sev;

	if (a != NULL && s->fsaid == 0) {
		/* Its instructions, poisoned since it was first seen, or a change. */
		snprintf(sum, sizeof(sum), "%s: %s", x->slug,
		    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "first_sight"))
		        ? "its instructions have findings since it was first seen"
		        : "its text changed");
		sev = findings_say(s, vd, FINDINGS_NOTE, sum, sizeof(sum), &ev, &rec);
		ev.summary = sum;
		ev.severity = sev == 2 ? "P2" : "P3";
		ev.change_class = "review";
		rc = emit_to(x, NULL, &ev,
		    alert_routes_for(x->c, ev.severity, mcp_now()) & ~pd_routes(x->c));
		cJSON_Delete(rec);
	}
	if (a != NULL)
		s->fat = added_at(a);
	s->fsaid = 0;
	return rc;
}
