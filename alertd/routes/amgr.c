/*
 * amgr.c - the Alertmanager route: the alerts of mcp-alert posted to
 * Alertmanager's API v2, so that a team's own routing, grouping and
 * receivers take them.  An alert's labels are its identity there: they
 * are made at its trigger (alertname, slug, severity, kind, dedup_key)
 * and kept, with the rest of the alert, in the store's hash
 * mcp:alert:am:ROUTE while it fires; the same labels are re-sent at least
 * once a minute with endsAt a few minutes on (as Prometheus re-sends its
 * alerts, so that neither endsAt nor Alertmanager's resolve_timeout ends
 * a firing one), and the resolve sends them with endsAt now.  An
 * acknowledgement is a silence of the alert's labels.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../alert.h"
#include "json.h"
#include "pagers.h"

#define AM_RESEND 60 /* seconds between two sendings of what fires */
#define AM_RESEND_S "60"
#define AM_TEST_HOLD 300 /* a test alert ends by itself after this */
#define AM_REFRESH_MAX 1000

__thread struct mcp_store *alert_am_store;

void
alert_am_key(char *buf, size_t len, const struct alert_route *r)
{
	snprintf(buf, len, "mcp:alert:am:%s", r->name);
}

/* How long a firing alert lasts in Alertmanager unless sent again: four sendings. */
static double
am_hold(const struct alert_conf *c)
{
	return 4.0 * (double)(c->tick > AM_RESEND ? c->tick : AM_RESEND);
}

static void
add_time(cJSON *o, const char *k, double t)
{
	char ts[32];

	mcp_iso8601(t, ts, sizeof(ts));
	cJSON_AddStringToObject(o, k, ts);
}

static cJSON *
labels_of(const cJSON *rec)
{
	cJSON *l = cJSON_CreateObject();
	char name[64];

	pg_alertname(name, sizeof(name), rec);
	cJSON_AddStringToObject(l, "alertname", name);
	pg_add_text(l, "slug", alert_str(rec, "slug"), 0, 200);
	cJSON_AddStringToObject(l, "severity", alert_str(rec, "severity"));
	cJSON_AddStringToObject(
	    l, "kind", *alert_str(rec, "kind") ? alert_str(rec, "kind") : "down");
	pg_add_text(l, "dedup_key", alert_str(rec, "dedup_key"), 0, 300);
	cJSON_AddStringToObject(l, "source", "mcp-uptime");
	return l;
}

/*
 * https://prometheus.io/docs/alerting/latest/clients/ and Alertmanager's
 * api/v2/openapi.yaml (postableAlert): {labels, annotations, startsAt,
 * endsAt, generatorURL}, times in RFC 3339.  kept: the alert as first
 * sent (its labels and startsAt stay), or NULL.
 */
static cJSON *
alert_of(const struct alert_conf *c, const cJSON *rec, const cJSON *kept, double now)
{
	enum pg_action a = pg_action_of(alert_str(rec, "event"));
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(rec, "incident_started_at");
	cJSON *o = cJSON_CreateObject(), *an;
	char link[512];
	struct mcp_buf m = {0};
	double start = a == PG_TEST || !cJSON_IsNumber(st) ? now : st->valuedouble;

	if (kept != NULL && cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(kept, "labels")))
		cJSON_AddItemToObject(o, "labels",
		    cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(kept, "labels"), 1));
	else
		cJSON_AddItemToObject(o, "labels", labels_of(rec));
	an = cJSON_AddObjectToObject(o, "annotations");
	pg_add_text(an, "summary", alert_str(rec, "summary"), 0, 1024);
	pg_message(&m, c, rec, 0, 8192);
	cJSON_AddStringToObject(an, "description", m.p);
	cJSON_AddStringToObject(an, "severity", alert_str(rec, "severity"));
	mcp_buf_free(&m);
	if (kept != NULL && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(kept, "startsAt")))
		cJSON_AddStringToObject(o, "startsAt", alert_str(kept, "startsAt"));
	else
		add_time(o, "startsAt", start);
	add_time(
	    o, "endsAt", a == PG_CLOSE ? now : now + (a == PG_TEST ? AM_TEST_HOLD : am_hold(c)));
	pg_link(link, sizeof(link), c, rec);
	if (link[0] != '\0')
		cJSON_AddStringToObject(o, "generatorURL", link);
	return o;
}

/*
 * The silence of an acknowledgement (openapi.yaml, postableSilence): the
 * alert's alertname and dedup_key, equal, from now until the longest an
 * incident's state is kept (state_ttl): it matches no other incident.
 */
static cJSON *
silence_of(const struct alert_conf *c, const cJSON *rec, const cJSON *kept, double now)
{
	cJSON *o = cJSON_CreateObject(), *ms = cJSON_AddArrayToObject(o, "matchers"), *m;
	cJSON *l = kept != NULL
	    ? cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(kept, "labels"), 1)
	    : labels_of(rec);
	static const char *const names[] = {"alertname", "dedup_key"};
	char comment[400];
	size_t i;

	for (i = 0; i < 2; i++) {
		m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "name", names[i]);
		cJSON_AddStringToObject(m, "value", alert_str(l, names[i]));
		cJSON_AddFalseToObject(m, "isRegex");
		cJSON_AddTrueToObject(m, "isEqual");
		cJSON_AddItemToArray(ms, m);
	}
	add_time(o, "startsAt", now);
	add_time(o, "endsAt", now + (double)c->state_ttl);
	cJSON_AddStringToObject(o, "createdBy", "mcp-alert");
	snprintf(comment, sizeof(comment),
	    "acknowledged with mcp-alert ack: %.300s; escalation stopped until it resolves",
	    alert_str(l, "dedup_key"));
	cJSON_AddStringToObject(o, "comment", comment);
	cJSON_Delete(l);
	return o;
}

char *
alert_am_req(const struct alert_conf *c, const struct alert_route *r, const cJSON *rec,
    const cJSON *kept, char **url)
{
	enum pg_action a = pg_action_of(alert_str(rec, "event"));
	struct mcp_buf u = {0};
	double now = mcp_now();
	cJSON *arr;

	if (a == PG_NONE)
		return NULL;
	mcp_buf_addf(&u, "%s/api/v2/%s", r->url, a == PG_ACK ? "silences" : "alerts");
	*url = u.p;
	if (a == PG_ACK)
		return alert_print(silence_of(c, rec, kept, now));
	arr = cJSON_CreateArray();
	cJSON_AddItemToArray(arr, alert_of(c, rec, kept, now));
	return alert_print(arr);
}

/* The alert kept for rec's dedup key, owned, or NULL. */
static cJSON *
kept_of(struct mcp_store *st, const char *key, const cJSON *rec)
{
	const char *get[] = {"HGET", key, alert_str(rec, "dedup_key")};
	const char *why;
	redisReply *r;
	cJSON *k = NULL;

	if (st == NULL || (r = alert_cmd(st, 3, get)) == NULL)
		return NULL;
	if (r->type == REDIS_REPLY_STRING)
		k = mcp_json_parse(r->str, r->len, &why);
	freeReplyObject(r);
	return k;
}

/* What fires is kept, what resolved forgotten: a store error is said, the delivery stands. */
static void
keep(struct mcp_store *st, const char *key, const cJSON *rec, const char *body)
{
	enum pg_action a = pg_action_of(alert_str(rec, "event"));
	const char *why;
	cJSON *arr, *al;
	char *s = NULL;
	const char *set[] = {"HSET", key, alert_str(rec, "dedup_key"), NULL};
	redisReply *r;

	if (a == PG_CLOSE) {
		set[0] = "HDEL";
		r = alert_cmd(st, 3, set);
	} else {
		arr = mcp_json_parse(body, strlen(body), &why);
		al = cJSON_DetachItemFromArray(arr, 0);
		cJSON_DeleteItemFromObjectCaseSensitive(al, "endsAt");
		s = alert_print(al);
		set[3] = s;
		r = alert_cmd(st, 4, set);
		cJSON_Delete(arr);
	}
	if (r != NULL)
		freeReplyObject(r);
	free(s);
}

static struct curl_slist *
auth(const struct alert_route *r)
{
	char hdr[600];
	struct curl_slist *h = NULL;

	if (r->secret != NULL &&
	    (size_t)snprintf(hdr, sizeof(hdr), "Authorization: Bearer %s", r->secret) < sizeof(hdr))
		h = curl_slist_append(h, hdr);
	explicit_bzero(hdr, sizeof(hdr));
	return h;
}

/*
 * 1 when the firing alerts are due to be sent again, the next sending then
 * due in a minute (mcp:alert:am:ROUTE:sent); 0 when not yet; -1 a store error.
 */
static int
due(struct mcp_store *st, const struct alert_route *r)
{
	char k[ALERT_NAME_MAX + 40];
	const char *set[] = {"SET", k, "1", "EX", AM_RESEND_S, "NX"};

	snprintf(k, sizeof(k), "mcp:alert:am:%s:sent", r->name);
	return alert_lock(st, set);
}

int
alert_am_send(const struct alert_conf *c, const struct alert_route *r, const cJSON *rec, double *ra,
    char *why, size_t len)
{
	enum pg_action a = pg_action_of(alert_str(rec, "event"));
	char key[ALERT_NAME_MAX + 32], *url = NULL, *body;
	struct mcp_store *st = alert_am_store;
	cJSON *kept;
	int rc;

	alert_am_key(key, sizeof(key), r);
	kept = a == PG_NONE || a == PG_TEST ? NULL : kept_of(st, key, rec);
	if ((body = alert_am_req(c, r, rec, kept, &url)) == NULL) {
		cJSON_Delete(kept);
		return SENT; /* nothing Alertmanager hears of */
	}
	rc = alert_http_post(c, url, auth(r), "application/json", body, ra, why, len);
	if (rc == SENT && st != NULL && (a == PG_OPEN || a == PG_CLOSE))
		keep(st, key, rec, body);
	/* What was just sent waits a minute: so does the rest, sent at most a minute before. */
	if (rc == SENT && st != NULL && a == PG_OPEN)
		(void)due(st, r);
	cJSON_Delete(kept);
	free(url);
	free(body);
	return rc;
}

/* The kept alerts of reply f, each with endsAt now + hold, into arr; those too old dropped. */
static void
refreshed(struct mcp_store *st, const struct alert_conf *c, const char *key, const redisReply *f,
    cJSON *arr)
{
	const char *del[] = {"HDEL", key, NULL}, *why;
	double now = mcp_now(), t;
	redisReply *r;
	cJSON *al;
	size_t i;

	for (i = 0; i + 1 < f->elements && cJSON_GetArraySize(arr) < AM_REFRESH_MAX; i += 2) {
		if (f->element[i + 1]->type != REDIS_REPLY_STRING)
			continue;
		al = mcp_json_parse(f->element[i + 1]->str, f->element[i + 1]->len, &why);
		t = alert_time_of(alert_str(al, "startsAt"));
		/* No incident lives longer than its state: one never resolved is forgotten. */
		if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(al, "labels")) || t <= 0 ||
		    now - t > (double)c->state_ttl) {
			del[2] = f->element[i]->str;
			if ((r = alert_cmd(st, 3, del)) != NULL)
				freeReplyObject(r);
			cJSON_Delete(al);
			continue;
		}
		add_time(al, "endsAt", now + am_hold(c));
		cJSON_AddItemToArray(arr, al);
	}
}

int
alert_am_refresh(struct mcp_store *st, const struct alert_conf *c, const struct alert_route *r)
{
	char key[ALERT_NAME_MAX + 32], why[256], *url = NULL, *body;
	const char *all[] = {"HGETALL", key};
	struct mcp_buf u = {0};
	redisReply *f;
	cJSON *arr;
	double ra = 0;
	int k, rc = 0;

	alert_am_key(key, sizeof(key), r);
	if ((k = due(st, r)) != 1)
		return k == -1 ? -1 : 0;
	if ((f = alert_cmd(st, 2, all)) == NULL)
		return -1;
	arr = cJSON_CreateArray();
	if (f->type == REDIS_REPLY_ARRAY)
		refreshed(st, c, key, f, arr);
	freeReplyObject(f);
	if (cJSON_GetArraySize(arr) == 0) {
		cJSON_Delete(arr);
		return 0;
	}
	k = cJSON_GetArraySize(arr);
	body = alert_print(arr);
	mcp_buf_addf(&u, "%s/api/v2/alerts", r->url);
	url = u.p;
	if (alert_http_post(c, url, auth(r), "application/json", body, &ra, why, sizeof(why)) !=
	    SENT)
		warnx("route %s: %d firing alert%s not sent again: %s; tried again in a minute",
		    r->name, k, k == 1 ? "" : "s", why);
	free(url);
	free(body);
	return rc;
}
