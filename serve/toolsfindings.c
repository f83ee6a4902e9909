/*
 * toolsfindings.c - what the rules of mcp-rules(7) found in a server's
 * text, on the read side: the verdict's findings checked (the count, the
 * worst, the rules, the regions, a change that added some), as JSON for
 * /api/status/SLUG/tools and as the page's box, with the findings the
 * verdict names in full: the rule, where, and the excerpt made visible.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <string.h>

#include "serve.h"
#include "tools.h"
#include "toolset.h"

/* The ids of a that are rules of mcp-rules(7), each once, as {id, severity, what} (owned). */
cJSON *
tch_rules(const cJSON *a)
{
	const struct mcp_rule_info *ri;
	cJSON *out = cJSON_CreateArray(), *o;
	const cJSON *e;

	cJSON_ArrayForEach(e, a)
	{
		ri = mcp_scan_rule(cJSON_GetStringValue(e));
		if (out == NULL || ri == NULL || cJSON_GetArraySize(out) >= (int)mcp_scan_nrules ||
		    (o = cJSON_CreateObject()) == NULL)
			continue;
		cJSON_AddStringToObject(o, "id", ri->id);
		cJSON_AddStringToObject(o, "severity", mcp_sev_name(ri->sev));
		cJSON_AddStringToObject(o, "what", ri->what);
		cJSON_AddItemToArray(out, o);
	}
	return out;
}

/*
 * The verdict's findings (mcp-rules(7); issue 54), its values checked:
 * count, worst, rules (each with its severity and line), regions, and
 * added (a change that adds a finding: at, rules, class review, security,
 * and first_sight for instructions found so at the first sight) or null.  Owned; NULL when the verdict says none.
 */
cJSON *
tch_findings(const cJSON *rec)
{
	static const char *const worsts[] = {"none", "low", "medium", "high"};
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(rec, "findings");
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(f, "added");
	const cJSON *count = cJSON_GetObjectItemCaseSensitive(f, "count");
	const char *w = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(f, "worst"));
	cJSON *out, *o;
	size_t j;

	for (j = 0; w != NULL && j < 4 && strcmp(w, worsts[j]) != 0; j++)
		;
	if (!cJSON_IsObject(f) || !cJSON_IsNumber(count) || !(count->valuedouble >= 0) ||
	    count->valuedouble > 1e9 || w == NULL || j == 4 || (out = cJSON_CreateObject()) == NULL)
		return NULL;
	cJSON_AddNumberToObject(out, "count", floor(count->valuedouble));
	cJSON_AddStringToObject(out, "worst", worsts[j]);
	cJSON_AddItemToObject(
	    out, "rules", tch_rules(cJSON_GetObjectItemCaseSensitive(f, "rules")));
	cJSON_AddItemToObject(
	    out, "regions", tch_regions(cJSON_GetObjectItemCaseSensitive(f, "regions")));
	if (!cJSON_IsObject(a) || tch_time(a, "at") < 0 ||
	    (o = cJSON_AddObjectToObject(out, "added")) == NULL) {
		cJSON_AddNullToObject(out, "added");
		return out;
	}
	cJSON_AddNumberToObject(o, "at", tch_time(a, "at"));
	cJSON_AddItemToObject(o, "rules", tch_rules(cJSON_GetObjectItemCaseSensitive(a, "rules")));
	cJSON_AddStringToObject(o, "class", "review");
	cJSON_AddBoolToObject(o, "security", 1);
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "first_sight")))
		cJSON_AddTrueToObject(o, "first_sight");
	return out;
}

#define TCH_EXCERPT 160 /* bytes of an excerpt shown, before its escapes */
#define TCH_FIRST 3     /* findings shown in full */

/*
 * The findings the verdict names in full, when it does (the probe's
 * result's first: rule, severity, the item, pointer, excerpt), each as a
 * line: the rule, where, and the excerpt made visible.
 */
static int
tch_first_html(struct mcp_buf *b, const cJSON *first)
{
	static const char *const lists[] = {"tool", "resource", "prompt", "server"};
	char item[TCH_NAME + 8], ptr[TCH_NAME + 8], ex[TCH_EXCERPT * 16];
	const struct mcp_rule_info *ri;
	const cJSON *f;
	const char *l;
	int rc = 0, n = 0;
	size_t i;

	cJSON_ArrayForEach(f, first)
	{
		ri = mcp_scan_rule(cJSON_GetStringValue(cJSON_GetObjectItem(f, "rule")));
		if (ri == NULL || n++ == TCH_FIRST)
			continue;
		for (i = 0, l = NULL; i < 4 && l == NULL; i++)
			if (cJSON_IsString(cJSON_GetObjectItem(f, lists[i])))
				l = lists[i];
		tch_cut(
		    item, sizeof(item), l != NULL ? cJSON_GetObjectItem(f, l)->valuestring : "");
		tch_cut(ptr, sizeof(ptr), cJSON_GetStringValue(cJSON_GetObjectItem(f, "pointer")));
		serve_visible(ex, sizeof(ex),
		    cJSON_GetStringValue(cJSON_GetObjectItem(f, "excerpt")), TCH_EXCERPT);
		rc |= mcp_buf_addf(b, "<li class=\"finding\"><code>%s</code> in the %s <bdi>",
		    ri->id, l != NULL ? l : "text");
		rc |= serve_esc(b, item) | mcp_buf_adds(b, "</bdi> at <code>") | serve_esc(b, ptr) |
		    mcp_buf_adds(b, "</code>: <q class=\"excerpt\"><bdi>") | serve_esc(b, ex) |
		    mcp_buf_adds(b, "</bdi></q></li>");
	}
	return rc;
}

/* The rules of a as a list: each id, its severity and what it matches. */
static int
tch_rules_html(struct mcp_buf *b, const cJSON *a)
{
	const cJSON *r;
	int rc = mcp_buf_adds(b, "<ul class=\"items\">");

	cJSON_ArrayForEach(r, a)
	{
		rc |= mcp_buf_addf(b, "<li><code>%s</code> <span class=\"sev %s\">%s</span>: ",
		          cJSON_GetStringValue(cJSON_GetObjectItem(r, "id")),
		          cJSON_GetStringValue(cJSON_GetObjectItem(r, "severity")),
		          cJSON_GetStringValue(cJSON_GetObjectItem(r, "severity"))) |
		    serve_esc(b, cJSON_GetStringValue(cJSON_GetObjectItem(r, "what"))) |
		    mcp_buf_adds(b, "</li>");
	}
	return rc | mcp_buf_adds(b, "</ul>");
}

/*
 * What the rules found in the server's text, where the review shows:
 * "Findings: 2, the worst high, in R", each rule in a line, and a change
 * that added some said as review with security.  Nothing when none.
 */
int
tch_findings_html(struct mcp_buf *b, const cJSON *rec)
{
	cJSON *f = tch_findings(rec);
	const cJSON *a = cJSON_GetObjectItem(f, "added"), *first;
	char t[64];
	int rc = 0;

	if (f != NULL && cJSON_GetNumberValue(cJSON_GetObjectItem(f, "count")) > 0) {
		rc |= mcp_buf_addf(b,
		    "<div class=\"banner findings\" role=\"note\"><p>Findings in the text "
		    "served: %.0f, the worst <span class=\"sev %s\">%s</span>, in ",
		    cJSON_GetNumberValue(cJSON_GetObjectItem(f, "count")),
		    cJSON_GetStringValue(cJSON_GetObjectItem(f, "worst")),
		    cJSON_GetStringValue(cJSON_GetObjectItem(f, "worst")));
		rc |= tch_regions_html(b, cJSON_GetObjectItem(f, "regions")) |
		    mcp_buf_adds(b, " (the rules of mcp-rules(7)):</p>") |
		    tch_rules_html(b, cJSON_GetObjectItem(f, "rules"));
		/* Where, and what the text says, when the verdict carries them. */
		first = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(rec, "findings"), "first");
		if (cJSON_GetArraySize(first) > 0)
			rc |= mcp_buf_adds(b, "<ul class=\"items\">") | tch_first_html(b, first) |
			    mcp_buf_adds(b, "</ul>");
		if (cJSON_IsObject(a)) {
			serve_when(
			    cJSON_GetNumberValue(cJSON_GetObjectItem(a, "at")), t, sizeof(t));
			rc |= mcp_buf_addf(b,
			          "<p class=\"added\">%s, %s: <span class=\"cls "
			          "review\">review</span> <span class=\"cls security\">security"
			          "</span></p>",
			          cJSON_IsTrue(cJSON_GetObjectItem(a, "first_sight"))
			              ? "In its instructions since it was first seen"
			              : "Added by a change",
			          t) |
			    tch_rules_html(b, cJSON_GetObjectItem(a, "rules"));
		}
		rc |= mcp_buf_adds(b, "</div>\n");
	}
	cJSON_Delete(f);
	return rc;
}
