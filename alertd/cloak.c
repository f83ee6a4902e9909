/*
 * cloak.c - a server that serves a real client another tool list than the
 * monitor's, told by mcp-alert (mcp-alert(1), "Cloaking"; mcp-probe --as,
 * issue 54).  A verdict's "cloaking" that differs says which client was
 * told apart from the monitor, in which regions, and the tools the client
 * alone is shown, the monitor alone, or each another way: the note
 * tools-cloaking (P2, every P2 route but PagerDuty, as a note is never
 * resolved), told once for each list served to the client (the state's
 * "cloakx"), and again only after the regions have served both the same
 * list.  A posture: it opens no incident and changes none.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <string.h>

#include "alert.h"
#include "rules.h"

/* A short printable member of o, or "?": what the verdict says, bounded. */
static const char *
word(const cJSON *o, const char *k)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
	size_t i;

	if (s == NULL || s[0] == '\0' || strlen(s) > 100)
		return "?";
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return "?";
	return s;
}

/* The client's list as the state keeps it, or "" when not a hash. */
static const char *
client_hash(const cJSON *c)
{
	const char *h = word(c, "client_hash");

	if (strlen(h) != 71 || strncmp(h, "sha256:", 7) != 0 ||
	    strspn(h + 7, "0123456789abcdef") != 64)
		return "";
	return h;
}

#define CLOAK_SAID 3 /* tools a note names a kind of difference; the rest counted */

/*
 * The tools of what differs (the verdict's client_only, monitor_only,
 * changed), appended to buf: each kind's first CLOAK_SAID names, the
 * server's text cleaned as a tools kind's are, then how many more.
 */
static void
names_said(char *buf, size_t len, const cJSON *c)
{
	static const char *const key[3] = {"client_only", "monitor_only", "changed"};
	static const char *const said[3] = {
	    "; shown the client alone: ", "; the monitor alone: ", "; shown each another way: "};
	const cJSON *a, *m;
	char name[ALERT_TOOL_NAME + 8];
	double more = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(c, "names_more"));
	size_t at = strlen(buf);
	int k, i;

	more = more >= 0 && more <= 1e9 ? more : 0;
	for (k = 0; k < 3; k++) {
		if (!cJSON_IsArray(a = cJSON_GetObjectItemCaseSensitive(c, key[k])) ||
		    cJSON_GetArraySize(a) == 0)
			continue;
		i = 0;
		cJSON_ArrayForEach(m, a)
		{
			if (i == CLOAK_SAID || !cJSON_IsString(m)) {
				more++;
				continue;
			}
			tool_name_clean(name, sizeof(name), m->valuestring);
			if (at < len)
				at += (size_t)snprintf(
				    buf + at, len - at, "%s%s", i == 0 ? said[k] : ", ", name);
			i++;
		}
	}
	if (more >= 1 && at < len)
		snprintf(buf + at, len - at, "; %.0f more", more);
}

void
cloak_read(const cJSON *rec, struct verdict *vd)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(rec, "cloaking");
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(c, "regions"), *e;

	vd->cloak = NULL;
	if (!cJSON_IsObject(c) || !cJSON_IsArray(r) || cJSON_GetArraySize(r) > ALERT_REGIONS_MAX)
		return;
	cJSON_ArrayForEach(e, r) if (!cJSON_IsString(e) || !mcp_slug_ok(e->valuestring)) return;
	vd->cloak = c;
}

int
cloak_step(struct ctx *x, struct state *s, const struct verdict *vd)
{
	const cJSON *c = vd->cloak;
	const cJSON *regions = cJSON_GetObjectItemCaseSensitive(c, "regions");
	const char *st = word(c, "state"), *h = client_hash(c);
	struct alert_ev ev = {"note", "P2", x->slug, CLOAK_KIND, x->window, NULL, regions, NULL, -1,
	    NULL, NULL, 0, NULL};
	char who[512], sum[2048];

	if (c == NULL)
		return 0;
	/* Every region that read both lists read the same: told again if it comes back. */
	if (strcmp(st, "same") == 0 && cJSON_GetArraySize(regions) == 0) {
		s->cloak[0] = '\0';
		return 0;
	}
	if (strcmp(st, "differs") != 0 || h[0] == '\0' || strcmp(h, s->cloak) == 0)
		return 0;
	regions_join(who, sizeof(who), regions, NULL);
	snprintf(sum, sizeof(sum),
	    "%s: " CLOAK_KIND ": the client %s (User-Agent %s, profile %s) is served another "
	    "tool list than the monitor %s in %s (%.19s\xe2\x80\xa6 instead of "
	    "%.19s\xe2\x80\xa6)",
	    x->slug, word(c, "client"), word(c, "user_agent"), word(c, "profile"),
	    word(c, "monitor"), who, h, word(c, "monitor_hash"));
	names_said(sum, sizeof(sum), c);
	ev.summary = sum;
	ev.tool_hash = h;
	ev.change_class = "review";
	snprintf(s->cloak, sizeof(s->cloak), "%s", h);
	return emit_to(x, NULL, &ev, alert_routes_for(x->c, "P2", mcp_now()) & ~pd_routes(x->c));
}
