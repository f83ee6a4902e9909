/*
 * payload.c - what each route type is sent: the PagerDuty Events v2 event
 * and the Slack message (their JSON as text: jsontext.c).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <string.h>

#include "routesint.h"
#include "../rules.h"
#include "../notice.h"
#include "json.h"

/* The PagerDuty Events API v2 action of an event, NULL for none. */
const char *
alert_pd_action(const char *event)
{
	if (strcmp(event, "trigger") == 0 || strcmp(event, "escalate") == 0 ||
	    strcmp(event, "test") == 0)
		return "trigger";
	if (strcmp(event, "resolve") == 0)
		return "resolve";
	if (strcmp(event, "acknowledge") == 0)
		return "acknowledge";
	return NULL;
}

static const char *
pd_severity(const char *sev, const char *event)
{
	if (strcmp(event, "test") == 0)
		return "info";
	if (strcmp(sev, "P1") == 0)
		return "critical";
	if (strcmp(sev, "P2") == 0)
		return "error";
	return "warning";
}

/* Drop a UTF-8 character cut short at the end of s. */
static void
utf8_trim(char *s)
{
	size_t n = strlen(s), i = n, need;
	unsigned char c;

	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0 || (c = (unsigned char)s[i - 1]) < 0x80)
		return;
	need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
	if (n - (i - 1) < need)
		s[i - 1] = '\0';
}

/*
 * https://developer.pagerduty.com/docs/events-api-v2/trigger-events/:
 * routing_key, event_action, dedup_key; a trigger adds the payload with
 * summary (at most 1024 characters), source and severity.
 */
char *
alert_pd_body(const struct alert_route *r, const cJSON *rec)
{
	const char *event = alert_str(rec, "event"), *action = alert_pd_action(event);
	char summary[1025], ts[32];
	const cJSON *at = cJSON_GetObjectItemCaseSensitive(rec, "at");
	cJSON *o = cJSON_CreateObject(), *p;

	cJSON_AddStringToObject(o, "routing_key", r->secret);
	cJSON_AddStringToObject(o, "event_action", action);
	cJSON_AddStringToObject(o, "dedup_key", alert_str(rec, "dedup_key"));
	if (strcmp(action, "trigger") == 0) {
		snprintf(summary, sizeof(summary), "%s%s",
		    strcmp(event, "test") == 0 ? "[TEST] " : "", alert_str(rec, "summary"));
		utf8_trim(summary); /* at most 1024 bytes, never half a character */
		mcp_iso8601(cJSON_IsNumber(at) ? at->valuedouble : mcp_now(), ts, sizeof(ts));
		p = cJSON_AddObjectToObject(o, "payload");
		cJSON_AddStringToObject(p, "summary", summary);
		cJSON_AddStringToObject(p, "source", alert_str(rec, "slug"));
		cJSON_AddStringToObject(
		    p, "severity", pd_severity(alert_str(rec, "severity"), event));
		cJSON_AddStringToObject(p, "timestamp", ts);
		if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(rec, "step")))
			cJSON_AddStringToObject(p, "component", alert_str(rec, "step"));
		cJSON_AddStringToObject(p, "group", "mcp-uptime");
		cJSON_AddStringToObject(p, "class", alert_str(rec, "severity"));
		cJSON_AddItemToObject(p, "custom_details", cJSON_Duplicate(rec, 1));
		cJSON_AddStringToObject(o, "client", "mcp-uptime");
	}
	return alert_print(o);
}

static cJSON *
text_block(const char *type, const char *ttype, const char *text)
{
	cJSON *b = cJSON_CreateObject(), *t;

	cJSON_AddStringToObject(b, "type", type);
	t = cJSON_AddObjectToObject(b, "text");
	cJSON_AddStringToObject(t, "type", ttype);
	cJSON_AddStringToObject(t, "text", text);
	return b;
}

/* Slack's mrkdwn escapes: &, < and >. */
static void
mrkdwn(char *buf, size_t len, const char *s)
{
	size_t u = 0;

	for (; *s != '\0' && u + 6 < len; s++) {
		if (*s == '&')
			u += (size_t)snprintf(buf + u, len - u, "&amp;");
		else if (*s == '<')
			u += (size_t)snprintf(buf + u, len - u, "&lt;");
		else if (*s == '>')
			u += (size_t)snprintf(buf + u, len - u, "&gt;");
		else
			buf[u++] = *s;
	}
	buf[u] = '\0';
}

/*
 * A Slack incoming webhook message: "text" as the notification fallback,
 * Block Kit "blocks": a header, the summary, a context line with the
 * dedup key (and, for a tools kind, that the names are the monitored
 * server's, untrusted).  No thread: an incoming webhook cannot reply in one.  The
 * slug is said once, in the header, not again at the summary's start.
 */
char *
alert_slack_body(const cJSON *rec)
{
	const char *event = alert_str(rec, "event");

	/* A subscriber's notice (notice.c) is not an alert. */
	if (strcmp(alert_str(rec, "type"), "notice") == 0)
		return notice_slack(rec);
	char head[160], text[2400], sum[2048], ctx[600], dk[300];
	cJSON *o = cJSON_CreateObject(), *blocks, *c, *els, *e;
	const cJSON *step = cJSON_GetObjectItemCaseSensitive(rec, "step");

	snprintf(head, sizeof(head), "%s%s %s: %s", strcmp(event, "test") == 0 ? "[TEST] " : "",
	    alert_str(rec, "severity"), event, alert_str(rec, "slug"));
	mrkdwn(
	    sum, sizeof(sum), alert_past_slug(alert_str(rec, "summary"), alert_str(rec, "slug")));
	snprintf(text, sizeof(text), "%s: %s", head, sum);
	mrkdwn(dk, sizeof(dk), alert_str(rec, "dedup_key"));
	snprintf(ctx, sizeof(ctx), "dedup_key `%s`%s%s%s", dk,
	    cJSON_IsString(step) ? " \xc2\xb7 step " : "",
	    cJSON_IsString(step) ? step->valuestring : "",
	    alert_str(rec, "untrusted")[0] ? " \xc2\xb7 " ALERT_UNTRUSTED : "");
	cJSON_AddStringToObject(o, "text", text);
	blocks = cJSON_AddArrayToObject(o, "blocks");
	cJSON_AddItemToArray(blocks, text_block("header", "plain_text", head));
	cJSON_AddItemToArray(blocks, text_block("section", "mrkdwn", sum));
	c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "type", "context");
	els = cJSON_AddArrayToObject(c, "elements");
	e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "type", "mrkdwn");
	cJSON_AddStringToObject(e, "text", ctx);
	cJSON_AddItemToArray(els, e);
	cJSON_AddItemToArray(blocks, c);
	return alert_print(o);
}
