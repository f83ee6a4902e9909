/*
 * review.c - a change no person has answered (mcp-alert(1), "Tool
 * changes"; issue 54).  A verdict's review says, for each kind of list,
 * whether what the regions serve is what a person approved
 * (mcp-aggregate tools --approve) or has changed since: "unreviewed".
 * An unreviewed change of the class review or breaking (or of a class
 * not known: the lists were not kept) opens the incident
 * tools-unreviewed, one a slug, P3, or P2 for a breaking change (the
 * page itself is tools-changed's: this one's trigger goes to PagerDuty
 * only when tools-changed is not open).  It stays open across verdicts,
 * with the reminders of any incident, and a P2 not acknowledged in
 * tools_escalate becomes P1.  It resolves only when a person answers
 * (approve or reject): the first verdict whose review names nothing
 * waiting, and an answer given since the incident began; never by what
 * the server serves next (the store keeps each wait as a hold until it is
 * answered: aggregate/review.c).  A list pinned at first sight and
 * changed ("changed") is no incident, but for a change to a list with a
 * high or medium finding, or one the store could not read: that one is
 * held, as a first list is (its text has a high or medium finding, or the
 * store could not read it), P2 for a high finding, or one the runners
 * agree on where the store could not read.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "alert.h"
#include "rules.h"
#include "text.h"
#include "toolset.h"

#define REVIEW_TEXT 300 /* bytes of a change's text said in a summary */

static const char *
str_of(const cJSON *o, const char *k)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));

	return s != NULL ? s : "";
}

/*
 * s as one line of at most REVIEW_TEXT bytes, what a reader would not see
 * made "?", what a service would link made inert (tool_inert).
 */
static void
text_clean(char *buf, size_t len, const char *s)
{
	const char *s0 = s;
	size_t u = 0, n, k;
	char tmp[4];
	int bad;

	for (; *s != '\0' && u + 6 < len; s += n) {
		n = mcp_text_char(s, &bad);
		k = bad ? 1 : (k = tool_inert(s0, s, tmp)) > 0 ? k : n;
		if (u + k > REVIEW_TEXT) {
			memcpy(buf + u, "\xe2\x80\xa6", 3), u += 3;
			break;
		}
		if (bad)
			buf[u++] = '?';
		else if (k != n)
			memcpy(buf + u, tmp, k), u += k;
		else
			memcpy(buf + u, s, n), u += n;
	}
	buf[u] = '\0';
}

/* The words of why the store could not read a list (aggregate/review.c's "unread"). */
static const char *
unread_words(const char *why)
{
	return strcmp(why, "too_large") == 0
	    ? "too large to carry (past the probe's --list-max, or push's bound)"
	    : strcmp(why, "refused") == 0    ? "refused: the store was past its high-water mark"
	    : strcmp(why, "not_sent") == 0   ? "the runner sent its result without it"
	    : strcmp(why, "not_judged") == 0 ? "kept but never judged"
	                                     : "not kept (evicted, or never sent)";
}

/*
 * The rules of a findings object's "rules" (an array of ids, or a
 * comma-separated string), only ids mcp-rules(7) has, into buf.
 */
static void
rules_text(char *buf, size_t len, const cJSON *rules)
{
	char tmp[256], *r, *save = NULL;
	const cJSON *e;
	size_t u = 0;

	buf[0] = '\0';
	if (cJSON_IsString(rules)) {
		snprintf(tmp, sizeof(tmp), "%s", rules->valuestring);
		for (r = strtok_r(tmp, ",", &save); r != NULL; r = strtok_r(NULL, ",", &save))
			if (mcp_scan_rule(r) != NULL && u + strlen(r) + 3 < len)
				u += (size_t)snprintf(buf + u, len - u, "%s%s", u ? ", " : "", r);
		return;
	}
	cJSON_ArrayForEach(e, rules)
	{
		if (cJSON_IsString(e) && mcp_scan_rule(e->valuestring) != NULL &&
		    u + strlen(e->valuestring) + 3 < len)
			u += (size_t)snprintf(
			    buf + u, len - u, "%s%s", u ? ", " : "", e->valuestring);
	}
}

/* 1 when the findings object o (worst, or a runners' word) is high. */
static int
is_high(const cJSON *o)
{
	return strcmp(str_of(o, "worst"), "high") == 0 ||
	    strcmp(str_of(cJSON_GetObjectItemCaseSensitive(o, "runners"), "worst"), "high") == 0;
}

/* 1 when the wait w (a held first list, or a hold) is a list the store never read. */
static int
unread_alone(const cJSON *w)
{
	const cJSON *why = cJSON_GetObjectItemCaseSensitive(w, "why");

	return cJSON_IsString(cJSON_GetObjectItemCaseSensitive(w, "unread")) &&
	    !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(w, "runners")) &&
	    (why == NULL || (cJSON_IsString(why) && strcmp(why->valuestring, "unread") == 0));
}

/*
 * 1 when all the kind waits for is lists the store could not read, of
 * which the runners agree on no high or medium finding: held, never
 * trusted, said by the verdict, the page and the lock, but no incident,
 * for nothing the server did says more than that it is unread (a runner
 * that carries no lists, a list past --list-max, a store past its mark:
 * one cause, which the page names, not a page a server).
 */
static int
unread_only(const cJSON *k)
{
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(k, "held"), *hd;

	if (cJSON_IsObject(h) && !unread_alone(h))
		return 0;
	cJSON_ArrayForEach(hd, cJSON_GetObjectItemCaseSensitive(k, "holds"))
	{
		if (!unread_alone(hd))
			return 0;
	}
	return cJSON_IsObject(h) ||
	    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(k, "holds")) > 0;
}

/* 1 when the kind's state holds an unreviewed change that wants an answer. */
static int
wants_answer(const cJSON *k)
{
	const char *c = str_of(k, "class");

	return cJSON_IsObject(k) && k->string != NULL &&
	    (strcmp(k->string, "tools") == 0 || strcmp(k->string, "resources") == 0 ||
	        strcmp(k->string, "prompts") == 0) &&
	    strcmp(str_of(k, "state"), "unreviewed") == 0 && strcmp(c, "compatible") != 0 &&
	    !unread_only(k);
}

/*
 * A first list held for review (mcp-aggregate(1) "tools": its text has a
 * high or medium finding), said with the rules found: their ids are
 * mcp-rules(7)'s, checked; no word of the server's.
 */
static void
held_text(char *buf, size_t len, const char *slug, const char *kind, const cJSON *h)
{
	const cJSON *run = cJSON_GetObjectItemCaseSensitive(h, "runners");
	char rules[160] = "", said[240] = "";

	if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(h, "unread"))) {
		rules_text(rules, sizeof(rules), cJSON_GetObjectItemCaseSensitive(run, "rules"));
		if (rules[0] != '\0')
			snprintf(said, sizeof(said),
			    "; every region serving it found %s (%s) in it", rules,
			    strcmp(str_of(run, "worst"), "high") == 0 ? "high" : "medium");
		snprintf(buf, len,
		    "%s: its first %s list is held for review: the store could not read its text "
		    "(%s), so it is not trusted%s; answer it: mcp-aggregate tools %s --approve "
		    "--by NAME, or --reject",
		    slug, kind, unread_words(str_of(h, "unread")), said, slug);
		return;
	}
	rules_text(rules, sizeof(rules), cJSON_GetObjectItemCaseSensitive(h, "rules"));
	snprintf(buf, len,
	    "%s: its first %s list is held for review: the rules found %s (%s) in its text, and "
	    "no one has approved it; answer it: mcp-aggregate tools %s --approve --by NAME, or "
	    "--reject",
	    slug, kind, rules[0] ? rules : "findings",
	    strcmp(str_of(h, "worst"), "high") == 0 ? "high" : "medium", slug);
}

/*
 * Why the holds of a kind wait, in words (the first of each reason),
 * into buf: "" when they say nothing more than the class.
 */
static void
holds_text(char *buf, size_t len, const cJSON *holds)
{
	const cJSON *h, *f = NULL, *u = NULL;
	char rules[160];
	size_t n = 0;

	buf[0] = '\0';
	cJSON_ArrayForEach(h, holds)
	{
		if (f == NULL && strcmp(str_of(h, "why"), "findings") == 0)
			f = h;
		if (u == NULL && str_of(h, "unread")[0] != '\0')
			u = h;
	}
	if (f != NULL) {
		rules_text(rules, sizeof(rules), cJSON_GetObjectItemCaseSensitive(f, "rules"));
		n += (size_t)snprintf(buf + n, len - n,
		    "; the store's rules found %s (%s) in the list %s serves, which the list "
		    "answered had not",
		    rules[0] ? rules : "findings",
		    strcmp(str_of(f, "worst"), "high") == 0 ? "high" : "medium",
		    mcp_slug_ok(str_of(f, "region")) ? str_of(f, "region") : "a region");
	}
	if (u != NULL && n < len) {
		rules_text(rules, sizeof(rules),
		    cJSON_GetObjectItemCaseSensitive(
		        cJSON_GetObjectItemCaseSensitive(u, "runners"), "rules"));
		snprintf(buf + n, len - n,
		    "; the store could not read the list %s serves (%s)%s%s%s",
		    mcp_slug_ok(str_of(u, "region")) ? str_of(u, "region") : "a region",
		    unread_words(str_of(u, "unread")),
		    rules[0] ? ", and every region serving it found " : "", rules,
		    rules[0] ? " in it" : "");
	}
}

/*
 * The kinds of the review waiting for an answer: their number, 1 in
 * *breaking when one is breaking, 1 in *grave when one is a first list
 * held for a high finding, the first said in words into buf, the regions
 * of all into regions.
 */
static int
waiting(const struct verdict *vd, const char *slug, int *breaking, int *grave, char *buf,
    size_t len, cJSON *regions)
{
	const cJSON *k, *r, *ch, *h, *hd;
	char t[REVIEW_TEXT + 8], at[8], why[320];
	int n = 0;

	*breaking = *grave = 0;
	cJSON_ArrayForEach(k, vd->review)
	{
		if (!wants_answer(k))
			continue;
		*breaking |= strcmp(str_of(k, "class"), "breaking") == 0;
		cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(k, "regions"))
		{
			if (cJSON_IsString(r) && mcp_slug_ok(r->valuestring) &&
			    !in_array(regions, r->valuestring) &&
			    cJSON_GetArraySize(regions) < ALERT_REGIONS_MAX)
				cJSON_AddItemToArray(regions, cJSON_CreateString(r->valuestring));
		}
		h = cJSON_GetObjectItemCaseSensitive(k, "held");
		*grave |= cJSON_IsObject(h) && is_high(h);
		cJSON_ArrayForEach(hd, cJSON_GetObjectItemCaseSensitive(k, "holds"))
		{
			*grave |= is_high(hd);
		}
		if (n++ > 0)
			continue;
		ch = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(k, "changes"), 0);
		if (cJSON_IsObject(h) && ch == NULL) {
			held_text(buf, len, slug, k->string, h);
			continue;
		}
		text_clean(t, sizeof(t), str_of(ch, "text"));
		alert_hm(at, sizeof(at),
		    cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(k, "since")));
		holds_text(why, sizeof(why), cJSON_GetObjectItemCaseSensitive(k, "holds"));
		snprintf(buf, len,
		    "%s: its %s changed at %s UTC and no one has reviewed it (%s%s)%s%s; answer "
		    "it: mcp-aggregate tools %s --approve --by NAME, or --reject",
		    slug, k->string, at,
		    str_of(k, "class")[0] ? str_of(k, "class") : "class not known", why,
		    t[0] ? ": " : "", t, slug);
	}
	return n;
}

/*
 * Who answered since the incident began (start): "tools approved by
 * alice" of the first kind answered, into buf.  1 when a person did.
 */
static int
answered(const struct verdict *vd, double start, char *buf, size_t len)
{
	const cJSON *k, *a;

	snprintf(buf, len, "answered");
	cJSON_ArrayForEach(k, vd->review)
	{
		a = cJSON_GetObjectItemCaseSensitive(k, "last_answer");
		if (!cJSON_IsObject(a))
			a = cJSON_GetObjectItemCaseSensitive(k, "answered");
		/*
		 * Whatever the kind says now: a harmless change after the answer
		 * (unreviewed, compatible) leaves it answered all the same.
		 */
		if (k->string != NULL && strlen(k->string) < 16 && cJSON_IsObject(a) &&
		    cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(a, "at")) >= start &&
		    (strcmp(str_of(a, "state"), "approved") == 0 ||
		        strcmp(str_of(a, "state"), "rejected") == 0)) {
			char who[ALERT_TOOL_NAME + 8];

			tool_name_clean(who, sizeof(who), str_of(a, "by"));
			snprintf(
			    buf, len, "answered: %s %s by %s", k->string, str_of(a, "state"), who);
			return 1;
		}
	}
	return 0;
}

static int
review_resolve(struct ctx *x, struct state *s, const struct verdict *vd)
{
	struct track *t = &s->t[T_REVIEW];
	char sum[1024], d[64], a[8], b[8], why[200];
	struct alert_ev e;
	int rc;

	(void)answered(vd, t->start, why, sizeof(why));
	dur_text(d, sizeof(d), x->window - t->start);
	alert_hm(a, sizeof(a), t->start);
	alert_hm(b, sizeof(b), x->window);
	snprintf(sum, sizeof(sum), "%s: %s ended after %s (%s\xe2\x80\x93%s UTC); %s.", x->slug,
	    REVIEW_KIND, d, a, b, why);
	e = ev_of(t, T_REVIEW, x->slug, "resolve", sum);
	e.duration = x->window - t->start;
	rc = emit_to(x, t, &e, routes_of(x->c, t->routes));
	memset(t, 0, offsetof(struct track, routes));
	t->routes[0] = '\0', t->regions[0] = '\0';
	return rc;
}

static int
review_trigger(struct ctx *x, struct state *s, const struct verdict *vd, int breaking, int grave,
    const cJSON *regions, char *sum, size_t len)
{
	struct track *t = &s->t[T_REVIEW];
	unsigned long set;
	struct alert_ev e;
	cJSON *frec;
	int rc, sec;
	char *r;

	/* A change that adds a high or medium finding is P2, as a breaking one (findings.c). */
	e.findings = NULL;
	sec = findings_say(s, vd, FINDINGS_REVIEW, sum, len, &e, &frec);
	memset(t, 0, offsetof(struct track, routes));
	t->open = 1, t->start = x->window, t->fstart = x->window, t->notice = x->window;
	t->fail = 1, t->cnt[0] = 1;
	/* So is a first list held for a high finding. */
	snprintf(t->sev, sizeof(t->sev), "%s", breaking || grave || sec == 2 ? "P2" : "P3");
	r = cJSON_PrintUnformatted(regions);
	snprintf(
	    t->regions, sizeof(t->regions), "%s", r && strlen(r) < sizeof(t->regions) ? r : "[]");
	cJSON_free(r);
	t->routes[0] = '\0';
	e = ev_of(t, T_REVIEW, x->slug, "trigger", sum);
	e.regions = regions;
	e.change_class = breaking ? "breaking" : "review";
	e.findings = frec;
	set = alert_routes_for(x->c, t->sev, mcp_now());
	/* tools-changed paged for the breaking change already. */
	if (s->t[T_TOOLS].open)
		set &= ~pd_routes(x->c);
	rc = announce(x, t, &e, set);
	cJSON_Delete(frec);
	return rc;
}

int
review_step(struct ctx *x, struct state *s, const struct verdict *vd)
{
	struct track *t = &s->t[T_REVIEW];
	cJSON *regions;
	char sum[1024] = "";
	int n, breaking, grave, rc;

	/* A verdict that says nothing of review (an older aggregate) answers nothing. */
	if (vd->review == NULL)
		return t->open ? track_timers(x, t, T_REVIEW) : 0;
	if ((regions = cJSON_CreateArray()) == NULL)
		return -1;
	n = waiting(vd, x->slug, &breaking, &grave, sum, sizeof(sum), regions);
	if (n > 0 && !t->open)
		rc = review_trigger(x, s, vd, breaking, grave, regions, sum, sizeof(sum));
	else if (n == 0 && t->open && answered(vd, t->start, sum, sizeof(sum)))
		rc = review_resolve(x, s, vd);
	else
		rc = t->open ? track_timers(x, t, T_REVIEW) : 0;
	cJSON_Delete(regions);
	return rc;
}
