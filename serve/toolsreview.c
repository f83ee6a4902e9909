/*
 * toolsreview.c - the verdict's review of a server's lists (issue 54) on
 * the read side: per kind its state, who answered and when, since when a
 * change waits and its class; a first list held (its findings, or why
 * the store could not read it, and what the runners agree on); the holds
 * that wait for a person's answer, region by region.  As JSON, every
 * value checked (/api/status/SLUG/tools), and as the page's lines.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <string.h>

#include "mcp.h"
#include "serve.h"
#include "tools.h"

/* A severity the rules give: high or medium, else NULL. */
static const char *
tch_grave(const cJSON *o, const char *k)
{
	const char *w = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));

	return w != NULL && (strcmp(w, "high") == 0 || strcmp(w, "medium") == 0) ? w : NULL;
}

/* Why the store could not read a list: one of the aggregate's words, else NULL. */
static const char *
tch_unread(const cJSON *o)
{
	static const char *const why[] = {
	    "too_large", "refused", "not_sent", "not_judged", "not_kept"};
	const char *u = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "unread"));
	size_t i;

	for (i = 0; u != NULL && i < sizeof(why) / sizeof(why[0]); i++)
		if (strcmp(u, why[i]) == 0)
			return why[i];
	return NULL;
}

/* Why the store could not read a list, in words (u one of tch_unread's). */
static const char *
tch_unread_words(const char *u)
{
	return strcmp(u, "too_large") == 0 ? "too large to carry"
	    : strcmp(u, "refused") == 0    ? "refused: the store was past its high-water mark"
	    : strcmp(u, "not_sent") == 0   ? "its runner sent the result without it"
	    : strcmp(u, "not_judged") == 0 ? "kept but never judged"
	                                   : "not kept";
}

/* What the runners agree on of a list the store could not read: {worst, rules, regions}. */
static void
tch_runners(cJSON *o, const cJSON *run)
{
	cJSON *x;

	if (tch_grave(run, "worst") == NULL || (x = cJSON_AddObjectToObject(o, "runners")) == NULL)
		return;
	cJSON_AddStringToObject(x, "worst", tch_grave(run, "worst"));
	cJSON_AddItemToObject(
	    x, "rules", tch_rules(cJSON_GetObjectItemCaseSensitive(run, "rules")));
	cJSON_AddItemToObject(
	    x, "regions", tch_regions(cJSON_GetObjectItemCaseSensitive(run, "regions")));
}

/*
 * A first list held for review (its text had a high or medium finding,
 * or the store could not read it), into o: when, the worst, the rules
 * (each with its severity and line), the regions serving it, why it was
 * not read and what the runners agree on; nothing when h is not one.
 */
static void
tch_held(cJSON *o, const cJSON *h)
{
	const char *w = tch_grave(h, "worst"), *u = tch_unread(h);
	cJSON *x;

	if (!cJSON_IsObject(h) || (w == NULL && u == NULL) || tch_time(h, "at") < 0 ||
	    (x = cJSON_AddObjectToObject(o, "held")) == NULL)
		return;
	cJSON_AddNumberToObject(x, "at", tch_time(h, "at"));
	if (w != NULL)
		cJSON_AddStringToObject(x, "worst", w);
	else
		cJSON_AddNullToObject(x, "worst");
	cJSON_AddItemToObject(x, "rules", tch_rules(cJSON_GetObjectItemCaseSensitive(h, "rules")));
	cJSON_AddItemToObject(
	    x, "regions", tch_regions(cJSON_GetObjectItemCaseSensitive(h, "regions")));
	if (u != NULL) {
		cJSON_AddStringToObject(x, "unread", u);
		tch_runners(x, cJSON_GetObjectItemCaseSensitive(h, "runners"));
	}
}

/*
 * What waits for a person's answer, region by region (the verdict's
 * holds), into o: each region, since when, why (change, findings,
 * unread), the class, the findings of its list, why it was not read.
 */
static void
tch_holds(cJSON *o, const cJSON *holds)
{
	static const char *const whys[] = {"change", "findings", "unread"};
	const cJSON *h;
	const char *why, *region, *cls;
	cJSON *a = NULL, *x;
	size_t i;
	int n = 0;

	cJSON_ArrayForEach(h, holds)
	{
		region = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(h, "region"));
		why = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(h, "why"));
		for (i = 0; why != NULL && i < 3 && strcmp(why, whys[i]) != 0; i++)
			;
		if (region == NULL || !mcp_slug_ok(region) || why == NULL || i == 3 ||
		    tch_time(h, "at") < 0 || n++ == SERVE_REGIONS_MAX)
			continue;
		if (a == NULL && (a = cJSON_AddArrayToObject(o, "holds")) == NULL)
			return;
		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "region", region);
		cJSON_AddNumberToObject(x, "at", tch_time(h, "at"));
		cJSON_AddStringToObject(x, "why", whys[i]);
		cls = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(h, "class"));
		if (cls != NULL &&
		    (strcmp(cls, "breaking") == 0 || strcmp(cls, "review") == 0 ||
		        strcmp(cls, "compatible") == 0))
			cJSON_AddStringToObject(x, "class", cls);
		else
			cJSON_AddNullToObject(x, "class");
		if (tch_hash(h, "hash") != NULL)
			cJSON_AddStringToObject(x, "hash", tch_hash(h, "hash"));
		if (tch_grave(h, "worst") != NULL) {
			cJSON_AddStringToObject(x, "worst", tch_grave(h, "worst"));
			cJSON_AddItemToObject(
			    x, "rules", tch_rules(cJSON_GetObjectItemCaseSensitive(h, "rules")));
		}
		if (tch_unread(h) != NULL) {
			cJSON_AddStringToObject(x, "unread", tch_unread(h));
			tch_runners(x, cJSON_GetObjectItemCaseSensitive(h, "runners"));
		}
		cJSON_AddItemToArray(a, x);
	}
}

/*
 * The verdict's review (issue 54), its values checked: per kind, the
 * state, the hash, who answered and when, since when unreviewed or
 * changed, the class, the regions.  Owned; an empty object for none.
 */
cJSON *
tch_review(const cJSON *rec)
{
	static const char *const kinds[] = {"tools", "resources", "prompts"};
	static const char *const review_states[] = {
	    "approved", "rejected", "unreviewed", "pinned", "changed"};
	const cJSON *k, *a;
	cJSON *out = cJSON_CreateObject(), *o;
	const char *st, *by, *cls;
	size_t i, j;

	for (i = 0; out != NULL && i < 3; i++) {
		k = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(rec, "review"), kinds[i]);
		st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(k, "state"));
		for (j = 0; st != NULL && j < 5 && strcmp(st, review_states[j]) != 0; j++)
			;
		if (st == NULL || j == 5 || (o = cJSON_AddObjectToObject(out, kinds[i])) == NULL)
			continue;
		cJSON_AddStringToObject(o, "state", review_states[j]);
		if (tch_hash(k, "hash") != NULL)
			cJSON_AddStringToObject(o, "hash", tch_hash(k, "hash"));
		a = cJSON_GetObjectItemCaseSensitive(k, "answered");
		by = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a, "by"));
		if (by != NULL && strlen(by) <= 128 && tch_time(a, "at") >= 0) {
			cJSON_AddStringToObject(o, "by", by);
			cJSON_AddNumberToObject(o, "at", tch_time(a, "at"));
		}
		if (tch_time(k, "pinned_at") >= 0)
			cJSON_AddNumberToObject(o, "pinned_at", tch_time(k, "pinned_at"));
		if (tch_time(k, "since") >= 0)
			cJSON_AddNumberToObject(o, "since", tch_time(k, "since"));
		cls = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(k, "class"));
		if (cls != NULL &&
		    (strcmp(cls, "breaking") == 0 || strcmp(cls, "review") == 0 ||
		        strcmp(cls, "compatible") == 0))
			cJSON_AddStringToObject(o, "class", cls);
		if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(k, "regions")))
			cJSON_AddItemToObject(o, "regions",
			    tch_regions(cJSON_GetObjectItemCaseSensitive(k, "regions")));
		tch_held(o, cJSON_GetObjectItemCaseSensitive(k, "held"));
		tch_holds(o, cJSON_GetObjectItemCaseSensitive(k, "holds"));
	}
	return out;
}

/* A first list held, in words: when, and why (its findings, or unread). */
static int
tch_held_html(struct mcp_buf *b, const cJSON *h, const char *when)
{
	const cJSON *run = cJSON_GetObjectItem(h, "runners");
	const char *u = cJSON_GetStringValue(cJSON_GetObjectItem(h, "unread"));
	int rc;

	if (u == NULL)
		return mcp_buf_addf(b,
		    "held for review since first sight, %s: its text has %s findings, and no one "
		    "has approved it",
		    when, cJSON_GetStringValue(cJSON_GetObjectItem(h, "worst")));
	rc = mcp_buf_addf(b,
	    "held for review since first sight, %s: the store could not read its text (%s), so "
	    "it is not trusted",
	    when, tch_unread_words(u));
	if (cJSON_IsObject(run))
		rc |= mcp_buf_addf(b, "; every region serving it found %s findings in it",
		    cJSON_GetStringValue(cJSON_GetObjectItem(run, "worst")));
	return rc | mcp_buf_adds(b, "; no one has approved it");
}

/* Why the holds wait, after the class: "; eu-west-2's list has high findings ...". */
static int
tch_holds_html(struct mcp_buf *b, const cJSON *holds)
{
	const cJSON *h;
	const char *why;
	int rc = 0;

	cJSON_ArrayForEach(h, holds)
	{
		why = cJSON_GetStringValue(cJSON_GetObjectItem(h, "why"));
		if (strcmp(why, "findings") == 0)
			rc |= mcp_buf_addf(b,
			    "; the list %s serves has %s findings its answered one had not",
			    cJSON_GetStringValue(cJSON_GetObjectItem(h, "region")),
			    cJSON_GetStringValue(cJSON_GetObjectItem(h, "worst")));
		else if (cJSON_IsString(cJSON_GetObjectItem(h, "unread")))
			rc |= mcp_buf_addf(b, "; the store could not read the list %s serves (%s)",
			    cJSON_GetStringValue(cJSON_GetObjectItem(h, "region")),
			    tch_unread_words(
			        cJSON_GetStringValue(cJSON_GetObjectItem(h, "unread"))));
	}
	return rc;
}

/* The review of each kind in a line: "Tools: unreviewed since ... in R (review)." */
int
tch_review_html(struct mcp_buf *b, const cJSON *rec)
{
	cJSON *rv = tch_review(rec), *k;
	const char *st, *by;
	char t[64];
	int rc = 0;

	cJSON_ArrayForEach(k, rv)
	{
		st = cJSON_GetStringValue(cJSON_GetObjectItem(k, "state"));
		by = cJSON_GetStringValue(cJSON_GetObjectItem(k, "by"));
		rc |= mcp_buf_addf(b, "<p class=\"review %s\">%c%s: ", st, k->string[0] - 'a' + 'A',
		    k->string + 1);
		/* Held, and unchanged since: its since is the held list's first sight. */
		if (cJSON_IsObject(cJSON_GetObjectItem(k, "held")) &&
		    cJSON_GetNumberValue(cJSON_GetObjectItem(k, "since")) ==
		        cJSON_GetNumberValue(
		            cJSON_GetObjectItem(cJSON_GetObjectItem(k, "held"), "at"))) {
			serve_when(cJSON_GetNumberValue(
			               cJSON_GetObjectItem(cJSON_GetObjectItem(k, "held"), "at")),
			    t, sizeof(t));
			rc |= tch_held_html(b, cJSON_GetObjectItem(k, "held"), t);
		} else if (strcmp(st, "unreviewed") == 0 || strcmp(st, "changed") == 0) {
			serve_when(
			    cJSON_GetNumberValue(cJSON_GetObjectItem(k, "since")), t, sizeof(t));
			rc |= mcp_buf_addf(b, "%s since %s in ",
			    st[0] == 'u' ? "changed, not reviewed," : "changed since first sight,",
			    t);
			rc |= tch_regions_html(b, cJSON_GetObjectItem(k, "regions"));
			if (cJSON_GetStringValue(cJSON_GetObjectItem(k, "class")) != NULL)
				rc |= mcp_buf_addf(b, " <span class=\"cls %s\">%s</span>",
				    cJSON_GetObjectItem(k, "class")->valuestring,
				    cJSON_GetObjectItem(k, "class")->valuestring);
			rc |= tch_holds_html(b, cJSON_GetObjectItem(k, "holds"));
		} else if (strcmp(st, "pinned") == 0) {
			serve_when(cJSON_GetNumberValue(cJSON_GetObjectItem(k, "pinned_at")), t,
			    sizeof(t));
			rc |= mcp_buf_addf(b, "pinned at first sight, %s", t);
		} else {
			serve_when(
			    cJSON_GetNumberValue(cJSON_GetObjectItem(k, "at")), t, sizeof(t));
			rc |= mcp_buf_addf(b, "%s by ", st);
			rc |= serve_esc(b, by != NULL ? by : "?") | mcp_buf_addf(b, ", %s", t);
		}
		rc |= mcp_buf_adds(b, ".</p>\n");
	}
	cJSON_Delete(rv);
	return rc;
}
