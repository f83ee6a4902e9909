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
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <string.h>

#include "alert.h"
#include "ready.h"
#include "rules.h"

void
ready_read(const cJSON *rec, struct verdict *vd)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(rec, "readiness"), *e;
	int have[MCP_R_N] = {0}, k;

	vd->grade = 0;
	vd->ready_codes = 0;
	if (!cJSON_IsObject(r))
		return;
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

int
ready_step(struct ctx *x, struct state *s, const struct verdict *vd)
{
	struct alert_ev ev = {"note", "P3", x->slug, READY_KIND, x->window, NULL, NULL, NULL, -1,
	    NULL, NULL, 0, NULL};
	char sum[2048];
	size_t at;
	int k, n = 0;

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
	return emit_to(x, NULL, &ev, alert_routes_for(x->c, "P3", mcp_now()) & ~pd_routes(x->c));
}
