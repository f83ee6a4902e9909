/*
 * auditready.c - what the audit adds for issue 68: each server in the
 * bucket the public censuses publish, and its readiness for 2026's
 * clients (the latest verdict's, of the remote audit_group chose),
 * tallied over the servers not deleted; as the audit's JSON members
 * "census" and "readiness", and as text tables after the buckets.  The
 * reasons, their order and severities are lib/ready.c's table.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "ready.h"

const char *const audit_grade_names[AUDIT_GRADES] = {"ungraded", "A", "B", "C", "D", "F"};

int
audit_grade_index(char grade)
{
	static const char letters[] = "ABCDF";
	const char *p = grade != '\0' ? strchr(letters, grade) : NULL;

	return p != NULL ? (int)(p - letters) + 1 : 0;
}

void
audit_tally(const struct audit *a, struct audit_tally *t)
{
	const struct audit_server *s;
	const struct audit_hist *h;
	size_t i;
	int k;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < a->nsrv; i++) {
		s = &a->srv[i];
		if (s->bucket == B_DELETED)
			continue;
		t->servers++;
		t->census[audit_census(s->bucket, s->best != NULL ? s->best->h.error : "")]++;
		if (s->ready == NULL) {
			t->grades[0]++;
			continue;
		}
		h = &s->ready->h;
		t->graded++;
		t->grades[audit_grade_index(h->grade)]++;
		for (k = 0; k < MCP_R_N; k++)
			t->reasons[k] += h->have[k] != 0;
		for (k = 0; k < MCP_ERA_N; k++)
			t->eras[k] += (h->eras >> k) & 1;
	}
}

/* The grades in the order people read them: A to F, then ungraded. */
static int
grade_at(int i)
{
	return (i + 1) % AUDIT_GRADES;
}

/*
 * "census": the servers in each of the censuses' buckets, and their share
 * of those probed (the censuses count the endpoints they probed).
 */
static void
census_json(cJSON *o, const struct audit_tally *t)
{
	cJSON *c = cJSON_AddObjectToObject(o, "census"), *n, *p;
	long probed = t->servers - t->census[C_NOTPROBED];
	int k;

	cJSON_AddNumberToObject(c, "probed", (double)probed);
	n = cJSON_AddObjectToObject(c, "buckets");
	p = cJSON_AddObjectToObject(c, "percent");
	for (k = 0; k < C_N; k++) {
		cJSON_AddNumberToObject(n, audit_census_names[k], (double)t->census[k]);
		if (k != C_NOTPROBED)
			cJSON_AddNumberToObject(
			    p, audit_census_names[k], audit_percent(t->census[k], probed));
	}
}

void
audit_ready_json(cJSON *o, const struct audit *a)
{
	struct audit_tally t;
	cJSON *r, *g, *p, *l, *e;
	int i, k;

	audit_tally(a, &t);
	census_json(o, &t);
	r = cJSON_AddObjectToObject(o, "readiness");
	cJSON_AddNumberToObject(r, "graded", (double)t.graded);
	g = cJSON_AddObjectToObject(r, "grades");
	p = cJSON_AddObjectToObject(r, "percent");
	for (i = 0; i < AUDIT_GRADES; i++) {
		k = grade_at(i);
		cJSON_AddNumberToObject(g, audit_grade_names[k], (double)t.grades[k]);
		cJSON_AddNumberToObject(
		    p, audit_grade_names[k], audit_percent(t.grades[k], t.servers));
	}
	l = cJSON_AddArrayToObject(r, "reasons");
	for (k = 0; k < MCP_R_N; k++) {
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "code", mcp_ready_reasons[k].code);
		cJSON_AddStringToObject(
		    e, "severity", mcp_ready_sev_name(mcp_ready_reasons[k].sev));
		cJSON_AddNumberToObject(e, "count", (double)t.reasons[k]);
		cJSON_AddNumberToObject(e, "percent_graded", audit_percent(t.reasons[k], t.graded));
		cJSON_AddItemToArray(l, e);
	}
	e = cJSON_AddObjectToObject(r, "eras");
	for (k = 0; k < MCP_ERA_N; k++)
		cJSON_AddNumberToObject(e, mcp_ready_eras[k], (double)t.eras[k]);
	/* The headline: the servers a 2026-07-28 client reaches without falling back. */
	cJSON_AddNumberToObject(e, "modern_ready", (double)t.eras[MCP_ERA_MODERN]);
}

static int
text_census(const struct audit_tally *t)
{
	long probed = t->servers - t->census[C_NOTPROBED];
	int k;

	if (printf("\n%-22s  %7s  %8s\n", "CENSUS BUCKET", "SERVERS", "PERCENT") < 0)
		return -1;
	for (k = 0; k < C_N; k++)
		if ((k == C_NOTPROBED
		            ? printf("%-22s  %7ld  %8s\n", audit_census_names[k], t->census[k], "-")
		            : printf("%-22s  %7ld  %7.2f%%\n", audit_census_names[k], t->census[k],
		                  audit_percent(t->census[k], probed))) < 0)
			return -1;
	return printf("\nThe buckets of the public censuses; the percentages are of the %ld "
	              "servers probed.\n",
	           probed) < 0
	    ? -1
	    : 0;
}

int
audit_ready_text(const struct audit *a)
{
	struct audit_tally t;
	int i, k;

	audit_tally(a, &t);
	if (text_census(&t) == -1 ||
	    printf("\n%-22s  %7s  %8s\n", "READINESS GRADE", "SERVERS", "PERCENT") < 0)
		return -1;
	for (i = 0; i < AUDIT_GRADES; i++) {
		k = grade_at(i);
		if (printf("%-22s  %7ld  %7.2f%%\n", audit_grade_names[k], t.grades[k],
		        audit_percent(t.grades[k], t.servers)) < 0)
			return -1;
	}
	if (printf("\nA server takes the readiness of the remote that decided its bucket, "
	           "else of its next remote graded.\n"
	           "\n%-28s  %-8s  %7s  %9s\n",
	        "READINESS REASON", "SEVERITY", "SERVERS", "OF GRADED") < 0)
		return -1;
	for (k = 0; k < MCP_R_N; k++)
		if (printf("%-28s  %-8s  %7ld  %8.2f%%\n", mcp_ready_reasons[k].code,
		        mcp_ready_sev_name(mcp_ready_reasons[k].sev), t.reasons[k],
		        audit_percent(t.reasons[k], t.graded)) < 0)
			return -1;
	if (printf("\n%-22s  %7s\n", "ERA SPOKEN", "SERVERS") < 0)
		return -1;
	for (k = 0; k < MCP_ERA_N; k++)
		if (printf("%-22s  %7ld\n", mcp_ready_eras[k], t.eras[k]) < 0)
			return -1;
	return printf("%-22s  %7ld\n", "modern_ready", t.eras[MCP_ERA_MODERN]) < 0 ? -1 : 0;
}
