/*
 * group.c - one notification for the incidents that fail together, as
 * Alertmanager's group_by does.  Each incident stays its own in the store
 * (listed, acknowledged, resolved and counted alone); what a route
 * receives is one record for the group: the group's key as its slug, a
 * dedup_key of its own that is stable while the group is open, and the
 * members in "group" (CONTRACT.md section 4).  A group of one is sent as
 * the member's own record.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "alert.h"

/* Labels are words of the records' vocabulary; anything else is written as "_". */
static void
label(char *buf, size_t len, const char *s)
{
	size_t u = strlen(buf), i;

	if (u > 0 && u + 1 < len)
		buf[u++] = '/';
	for (i = 0; s[i] != '\0' && i < 32 && u + 1 < len; i++, u++)
		buf[u] = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		        (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'
		    ? s[i]
		    : '_';
	buf[u] = '\0';
}

int
alert_group_of(const struct alert_conf *c, const cJSON *rec, char *key, size_t len)
{
	const char *ev = alert_str(rec, "event"), *kind = alert_str(rec, "kind"),
	           *step = alert_str(rec, "step");

	key[0] = '\0';
	if (c->group_by & GROUP_SLUG || c->group_by == 0)
		return 0;
	if (strcmp(ev, "trigger") != 0 && strcmp(ev, "resolve") != 0)
		return 0;
	if (cJSON_GetObjectItemCaseSensitive(rec, "group") != NULL)
		return 0;
	/* The watchdog's incidents are about regions, a few at most: each told alone. */
	if (strcmp(kind, "runner-silent") == 0 || strcmp(kind, "monitoring-blind") == 0 ||
	    strcmp(kind, "probe-fault") == 0 || strcmp(kind, "runner-short") == 0 ||
	    strcmp(kind, "store-full") == 0)
		return 0;
	if (c->group_by & GROUP_SEVERITY)
		label(key, len, alert_str(rec, "severity"));
	if (c->group_by & GROUP_KIND)
		label(key, len, *kind != '\0' ? kind : "down");
	if (c->group_by & GROUP_STEP)
		label(key, len, *step != '\0' ? step : "-");
	return 1;
}

/* "a, b, c and N more": the first ALERT_GROUP_NAMED of a, in text. */
static void
names(char *buf, size_t len, const cJSON *a)
{
	const cJSON *e;
	size_t u = 0;
	int i = 0, n = cJSON_GetArraySize(a);

	buf[0] = '\0';
	cJSON_ArrayForEach(e, a)
	{
		if (i == ALERT_GROUP_NAMED || u + 1 >= len)
			break;
		u += (size_t)snprintf(
		    buf + u, len - u, "%s%s", i > 0 ? ", " : "", cJSON_GetStringValue(e));
		i++;
	}
	if (u < len && n > i)
		snprintf(buf + u, len - u, " and %d more", n - i);
}

cJSON *
alert_group_record(const struct alert_group *g, const cJSON *member, double now)
{
	char sum[4096], list[2048];
	int count = cJSON_GetArraySize(g->slugs), nadd = cJSON_GetArraySize(g->added),
	    nres = cJSON_GetArraySize(g->resolved);
	const char *ev = count == 0 ? "resolve" : "trigger", *kind = alert_str(member, "kind");
	const cJSON *step = cJSON_GetObjectItemCaseSensitive(member, "step");
	cJSON *o = cJSON_CreateObject(), *gr;

	if (o == NULL)
		err(MCP_EXIT_FAIL, "cJSON");
	cJSON_AddNumberToObject(o, "v", 1);
	cJSON_AddStringToObject(o, "type", "alert");
	cJSON_AddStringToObject(o, "event", ev);
	cJSON_AddStringToObject(o, "severity", alert_str(member, "severity"));
	cJSON_AddStringToObject(o, "slug", g->key);
	cJSON_AddStringToObject(o, "dedup_key", g->id);
	cJSON_AddNumberToObject(o, "incident_started_at", g->since);
	if (cJSON_IsString(step))
		cJSON_AddStringToObject(o, "step", step->valuestring);
	else
		cJSON_AddNullToObject(o, "step");
	if (*kind != '\0')
		cJSON_AddStringToObject(o, "kind", kind);
	if (count == 0) {
		names(list, sizeof(list), g->resolved);
		snprintf(sum, sizeof(sum), "%s: resolved: the last of the group recovered (%s)",
		    g->key, list);
		cJSON_AddNumberToObject(o, "duration_s", now - g->since > 0 ? now - g->since : 0);
	} else {
		names(list, sizeof(list), g->slugs);
		snprintf(sum, sizeof(sum), "%s: %d incident%s open together: %s", g->key, count,
		    count == 1 ? "" : "s", list);
		if (nadd > 0 || nres > 0)
			snprintf(sum + strlen(sum), sizeof(sum) - strlen(sum),
			    " (%d new, %d recovered since the last notice)", nadd, nres);
	}
	cJSON_AddStringToObject(o, "summary", sum);
	cJSON_AddNumberToObject(o, "at", mcp_ms_round(now));
	gr = cJSON_AddObjectToObject(o, "group");
	cJSON_AddStringToObject(gr, "key", g->key);
	cJSON_AddNumberToObject(gr, "count", count);
	cJSON_AddNumberToObject(gr, "seq", g->seq);
	cJSON_AddItemToObject(gr, "slugs", cJSON_Duplicate(g->slugs, 1));
	cJSON_AddItemToObject(gr, "added", cJSON_Duplicate(g->added, 1));
	cJSON_AddItemToObject(gr, "resolved", cJSON_Duplicate(g->resolved, 1));
	return o;
}
