/*
 * oncall.c - the services that keep incidents of their own, as PagerDuty
 * does: Opsgenie's Alert API v2 and Splunk On-Call's REST endpoint.  The
 * dedup key is the identity of the incident there (Opsgenie's alias,
 * On-Call's entity_id): the trigger opens it, the resolve closes it, an
 * acknowledgement with mcp-alert ack acknowledges it.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../alert.h"
#include "pagers.h"

/*
 * https://docs.opsgenie.com/docs/alert-api: POST /v2/alerts {message (at
 * most 130 characters), alias (512), description (15,000), priority P1 to
 * P5, source, entity (512), tags (20 of 50 characters), details}, answered
 * 202; POST /v2/alerts/ALIAS/close?identifierType=alias and .../acknowledge
 * {source, user, note (25,000)}.  P1, P2, P3 are P1, P2, P3; a test is P5.
 */
char *
alert_opsgenie_req(
    const struct alert_conf *c, const struct alert_route *r, const cJSON *rec, char **url)
{
	enum pg_action a = pg_action_of(alert_str(rec, "event"));
	const char *key = alert_str(rec, "dedup_key"), *step;
	char prio[4], link[512], *esc;
	struct mcp_buf m = {0}, u = {0}, t = {0};
	cJSON *o, *tags, *d;

	if (a == PG_NONE)
		return NULL;
	o = cJSON_CreateObject();
	if (a == PG_CLOSE || a == PG_ACK) {
		if ((esc = curl_easy_escape(NULL, key, 0)) == NULL)
			errx(MCP_EXIT_FAIL, "out of memory");
		mcp_buf_addf(&u, "%s/v2/alerts/%s/%s?identifierType=alias", r->url, esc,
		    a == PG_CLOSE ? "close" : "acknowledge");
		curl_free(esc);
		cJSON_AddStringToObject(o, "source", "mcp-uptime");
		cJSON_AddStringToObject(o, "user", "mcp-alert");
		pg_add_text(o, "note", alert_str(rec, "summary"), 25000, 0);
		*url = u.p;
		return alert_print(o);
	}
	mcp_buf_addf(&u, "%s/v2/alerts", r->url);
	if (a == PG_TEST)
		mcp_buf_adds(&t, "[TEST] ");
	mcp_buf_adds(&t, alert_str(rec, "summary"));
	pg_add_text(o, "message", t.p, 130, 0);
	pg_add_text(o, "alias", key, 512, 0);
	pg_message(&m, c, rec, 15000, 0);
	cJSON_AddStringToObject(o, "description", m.p);
	snprintf(prio, sizeof(prio), "P%d", pg_priority(rec));
	cJSON_AddStringToObject(o, "priority", prio);
	cJSON_AddStringToObject(o, "source", "mcp-uptime");
	pg_add_text(o, "entity", alert_str(rec, "slug"), 512, 0);
	tags = cJSON_AddArrayToObject(o, "tags");
	cJSON_AddItemToArray(tags, cJSON_CreateString("mcp-uptime"));
	cJSON_AddItemToArray(tags, cJSON_CreateString(alert_str(rec, "severity")));
	d = cJSON_AddObjectToObject(o, "details");
	cJSON_AddStringToObject(d, "dedup_key", key);
	cJSON_AddStringToObject(
	    d, "kind", *alert_str(rec, "kind") ? alert_str(rec, "kind") : "down");
	if ((step = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "step"))) != NULL)
		pg_add_text(d, "step", step, 200, 0);
	pg_link(link, sizeof(link), c, rec);
	if (link[0] != '\0')
		cJSON_AddStringToObject(d, "status_page", link);
	mcp_buf_free(&m);
	mcp_buf_free(&t);
	*url = u.p;
	return alert_print(o);
}

/*
 * https://help.victorops.com/knowledge-base/rest-endpoint-integration-guide/:
 * POST the endpoint's URL (.../alert/API_KEY/ROUTING_KEY) {message_type
 * CRITICAL, WARNING, ACKNOWLEDGEMENT, INFO or RECOVERY, entity_id,
 * entity_display_name, state_message, state_start_time, monitoring_tool};
 * RECOVERY of the same entity_id resolves.  P1 is CRITICAL, P2 and P3
 * WARNING, a test INFO (a timeline entry, no incident).
 */
char *
alert_victorops_body(const struct alert_conf *c, const cJSON *rec)
{
	static const char *const type[] = {NULL, NULL, "INFO", "RECOVERY", "ACKNOWLEDGEMENT"};
	enum pg_action a = pg_action_of(alert_str(rec, "event"));
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(rec, "incident_started_at");
	char title[200], link[512];
	struct mcp_buf m = {0};
	cJSON *o;

	if (a == PG_NONE)
		return NULL;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "message_type",
	    a != PG_OPEN                ? type[a]
	        : pg_priority(rec) == 1 ? "CRITICAL"
	                                : "WARNING");
	pg_add_text(o, "entity_id", alert_str(rec, "dedup_key"), 512, 0);
	pg_title(title, sizeof(title), rec);
	pg_add_text(o, "entity_display_name", title, 512, 0);
	pg_message(&m, c, rec, 0, 10000);
	cJSON_AddStringToObject(o, "state_message", m.p);
	if (cJSON_IsNumber(st) && st->valuedouble > 0)
		cJSON_AddNumberToObject(o, "state_start_time", (double)(long long)st->valuedouble);
	cJSON_AddStringToObject(o, "monitoring_tool", "mcp-uptime");
	pg_link(link, sizeof(link), c, rec);
	if (link[0] != '\0')
		cJSON_AddStringToObject(o, "alert_url", link);
	mcp_buf_free(&m);
	return alert_print(o);
}
