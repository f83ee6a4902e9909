/*
 * tools.c - what a change of a server's tool list says to mcp-alert
 * (mcp-alert(1), "Tool changes").  A verdict's drift holds the lists that
 * changed in its window, region by region, each with its change classed
 * (mcp-aggregate's verdict, issue 46).  A breaking change opens the
 * incident tools-changed (P2) at once: one for the slug and the new list,
 * however many regions take it and whenever; it resolves on the first
 * green verdict with no other list taken, every region serving one list
 * again.  A list told of once is not told again (the last TOOLS_NOTED
 * are remembered), however its regions come and go.  While it is open, a divergence towards that list is the same
 * story, and opens no incident of its own.  A compatible change, or one
 * to review, is a note (P3, never PagerDuty): told once a list.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <string.h>

#include "alert.h"
#include "rules.h"

/* A hash as the state keeps it: "sha256:" and hex, or "" when not one. */
static const char *
hash_of(const cJSON *o, const char *k)
{
	const char *h = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));

	if (h == NULL || strlen(h) >= TOOL_HASH_MAX || strlen(h) == 0 ||
	    strspn(h, "sha256:0123456789abcdef") != strlen(h))
		return "";
	return h;
}

/*
 * A drift entry of a list: tools, resources or prompts, which alert alike
 * (a resource removed is breaking: issue 54).
 */
static int
tools_entry(const cJSON *e)
{
	const char *k = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "kind"));

	return cJSON_IsObject(e) &&
	    (k == NULL || strcmp(k, "tools") == 0 || strcmp(k, "resources") == 0 ||
	        strcmp(k, "prompts") == 0) &&
	    hash_of(e, "to")[0] != '\0';
}

void
tools_parse(struct state *s, const char *v)
{
	char h[TOOLS_NOTED + 1][TOOL_HASH_MAX];
	int n, i;

	n = sscanf(v, "%79s %79s %79s %79s %79s", h[0], h[1], h[2], h[3], h[4]);
	for (i = 0; i < n && i <= TOOLS_NOTED; i++) {
		if (strspn(h[i], "-sha256:0123456789abcdef") != strlen(h[i]))
			continue;
		snprintf(i == 0 ? s->tch : s->tnoted[i - 1], TOOL_HASH_MAX, "%s",
		    strcmp(h[i], "-") == 0 ? "" : h[i]);
	}
}

void
tools_format(const struct state *s, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s %s %s %s", s->tch[0] ? s->tch : "-",
	    s->tnoted[0][0] ? s->tnoted[0] : "-", s->tnoted[1][0] ? s->tnoted[1] : "-",
	    s->tnoted[2][0] ? s->tnoted[2] : "-", s->tnoted[3][0] ? s->tnoted[3] : "-");
}

/* The regions of the drift entries that took the list h, as a JSON array (owned). */
static cJSON *
regions_to(const cJSON *drift, const char *h)
{
	cJSON *a = cJSON_CreateArray();
	const cJSON *e, *r;
	int n = 0;

	cJSON_ArrayForEach(e, drift)
	{
		r = cJSON_GetObjectItemCaseSensitive(e, "region");
		if (n < ALERT_REGIONS_MAX && tools_entry(e) && strcmp(hash_of(e, "to"), h) == 0 &&
		    cJSON_IsString(r) && mcp_slug_ok(r->valuestring) &&
		    !in_array(a, r->valuestring)) {
			cJSON_AddItemToArray(a, cJSON_CreateString(r->valuestring));
			n++;
		}
	}
	return a;
}

/* The tools_divergence entry of regions still serving another list than h, or NULL. */
static const cJSON *
div_towards(const struct verdict *vd, const char *h)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, vd->tdiv)
	{
		if (cJSON_IsObject(e) && strcmp(hash_of(e, "majority"), h) == 0)
			return e;
	}
	return NULL;
}

/*
 * The words of the change to h: as the divergence of the regions still
 * serving the old list when the verdict names them, else as the drift of
 * the regions that took it.
 */
static void
summary_of(char *buf, size_t len, const struct verdict *vd, const cJSON *e, const cJSON *regions)
{
	const cJSON *dv = div_towards(vd, hash_of(e, "to"));
	char who[512], words[900];

	if (dv != NULL) {
		regions_join(
		    who, sizeof(who), cJSON_GetObjectItemCaseSensitive(dv, "regions"), NULL);
		tool_div_words(words, sizeof(words), who, dv);
	} else {
		regions_join(who, sizeof(who), regions, NULL);
		tool_drift_words(words, sizeof(words), who, e);
	}
	snprintf(buf, len, "%s: %s", vd->slug, words);
}

static struct alert_ev
tools_ev(const struct state *s, const char *slug, const char *event, const char *summary)
{
	struct alert_ev e = ev_of(&s->t[T_TOOLS], T_TOOLS, slug, event, summary);

	e.tool_hash = s->tch;
	return e;
}

/* Remember the list h as told (the oldest of TOOLS_NOTED forgotten). */
static void
note_add(struct state *s, const char *h)
{
	memmove(s->tnoted[1], s->tnoted[0], sizeof(s->tnoted[0]) * (TOOLS_NOTED - 1));
	snprintf(s->tnoted[0], sizeof(s->tnoted[0]), "%s", h);
}

static int
tools_resolve(struct ctx *x, struct state *s, const char *why)
{
	struct track *t = &s->t[T_TOOLS];
	char sum[1024] = "", d[64], a[8], b[8];
	struct alert_ev e = tools_ev(s, x->slug, "resolve", sum);
	int rc;

	dur_text(d, sizeof(d), x->window - t->start);
	alert_hm(a, sizeof(a), t->start);
	alert_hm(b, sizeof(b), x->window);
	snprintf(sum, sizeof(sum), "%s: %s ended after %s (%s\xe2\x80\x93%s UTC); %s", x->slug,
	    TOOLS_KIND, d, a, b, why);
	e.duration = x->window - t->start;
	e.change_class = "breaking";
	rc = emit_to(x, t, &e, routes_of(x->c, t->routes));
	memset(t, 0, sizeof(*t));
	note_add(s, s->tch);
	s->tch[0] = '\0';
	return rc;
}

static int
tools_trigger(struct ctx *x, struct state *s, const struct verdict *vd, const cJSON *e)
{
	struct track *t = &s->t[T_TOOLS];
	cJSON *regions = regions_to(vd->drift, hash_of(e, "to"));
	char sum[1024], *r;
	struct alert_ev ev;
	int rc;

	memset(t, 0, sizeof(*t));
	t->open = 1, t->start = x->window, t->fstart = x->window, t->notice = x->window;
	t->fail = 1, t->cnt[0] = 1;
	snprintf(t->sev, sizeof(t->sev), "P2");
	snprintf(s->tch, sizeof(s->tch), "%s", hash_of(e, "to"));
	r = cJSON_PrintUnformatted(regions);
	snprintf(
	    t->regions, sizeof(t->regions), "%s", r && strlen(r) < sizeof(t->regions) ? r : "[]");
	cJSON_free(r);
	summary_of(sum, sizeof(sum), vd, e, regions);
	cJSON_Delete(regions);
	ev = tools_ev(s, x->slug, "trigger", sum);
	ev.change_class = "breaking";
	rc = announce(x, t, &ev, alert_routes_for(x->c, "P2", mcp_now()));
	return rc;
}

/* 1 when the list h was noted already (or is the open incident's). */
static int
noted(const struct state *s, const char *h)
{
	int i;

	for (i = 0; i < TOOLS_NOTED; i++)
		if (strcmp(s->tnoted[i], h) == 0)
			return 1;
	return strcmp(s->tch, h) == 0;
}

/* A note of a compatible or review change to the list of e: P3, never PagerDuty. */
static int
tools_note(struct ctx *x, struct state *s, const struct verdict *vd, const cJSON *e)
{
	cJSON *regions = regions_to(vd->drift, hash_of(e, "to"));
	struct alert_ev ev = {"note", "P3", x->slug, TOOLS_NOTE, x->window, NULL, regions, NULL, -1,
	    NULL, NULL, 0, NULL};
	char sum[1024];
	cJSON *frec;
	int rc;

	summary_of(sum, sizeof(sum), vd, e, regions);
	ev.summary = sum;
	ev.tool_hash = hash_of(e, "to");
	ev.change_class = tool_class(cJSON_GetObjectItemCaseSensitive(e, "change"));
	/* A change that adds a finding says so; a high or medium one is P2 (findings.c). */
	if (findings_say(s, vd, FINDINGS_NOTE, sum, sizeof(sum), &ev, &frec) == 2)
		ev.severity = "P2";
	note_add(s, hash_of(e, "to"));
	rc = emit_to(
	    x, NULL, &ev, alert_routes_for(x->c, ev.severity, mcp_now()) & ~pd_routes(x->c));
	cJSON_Delete(frec);
	cJSON_Delete(regions);
	return rc;
}

/* 1 when the verdict shows every region serving one list, that of the open incident. */
static int
one_list(const struct state *s, const struct verdict *vd)
{
	const cJSON *e;

	if (vd->l.kind != PASS || vd->divergence || cJSON_GetArraySize(vd->tdiv) > 0)
		return 0;
	cJSON_ArrayForEach(e, vd->drift)
	{
		if (tools_entry(e) && strcmp(hash_of(e, "to"), s->tch) != 0)
			return 0;
	}
	return 1;
}

int
tools_step(struct ctx *x, struct state *s, const struct verdict *vd)
{
	struct track *t = &s->t[T_TOOLS];
	const cJSON *e, *brk = NULL;
	const char *cls;
	int n = 0;

	/* The first breaking change of the window, and a note of each other new list. */
	cJSON_ArrayForEach(e, vd->drift)
	{
		if (n++ == ALERT_REGIONS_MAX)
			break;
		if (!tools_entry(e))
			continue;
		cls = tool_class(cJSON_GetObjectItemCaseSensitive(e, "change"));
		if (cls != NULL && strcmp(cls, "breaking") == 0) {
			if (brk == NULL)
				brk = e;
		} else if (cls != NULL && !noted(s, hash_of(e, "to")) &&
		    tools_note(x, s, vd, e) == -1)
			return -1;
	}
	if (brk != NULL && t->open && strcmp(hash_of(brk, "to"), s->tch) != 0 &&
	    tools_resolve(x, s, "a newer breaking change replaced it.") == -1)
		return -1;
	/* A list told of already (a region catching up after the end, a flapping edge): told. */
	if (brk != NULL && !t->open && !noted(s, hash_of(brk, "to")))
		return tools_trigger(x, s, vd, brk);
	if (t->open && one_list(s, vd))
		return tools_resolve(x, s, "every region serves one tool list again.");
	return t->open ? track_timers(x, t, T_TOOLS) : 0;
}

/*
 * 1 when the divergence of vd is the open tools-changed incident's story:
 * every region apart serves another list than the one it is about.
 */
int
tools_told(const struct state *s, const struct verdict *vd)
{
	const cJSON *e;

	if (!s->t[T_TOOLS].open || cJSON_GetArraySize(vd->tdiv) == 0)
		return 0;
	cJSON_ArrayForEach(e, vd->tdiv)
	{
		if (strcmp(hash_of(e, "majority"), s->tch) != 0)
			return 0;
	}
	return 1;
}
