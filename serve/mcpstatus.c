/*
 * mcpstatus.c - the tool server_status of /mcp and the operator's view
 * (mcp-serve(8), "MCP"): what GET /api/status/SLUG/regions answers, read
 * by the same functions in the same two round trips (the incidents asked
 * in the first), the summary and the open incidents after it, written
 * once as text; with a reader's token, what the operator sees as well.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "mcpserve.h"
#include "page.h"

#define WATCHDOG_KEY "mcp:alert:watchdog"
#define SILENCES_KEY "mcp:alert:silences"

/* An alert record of mcp:{SLUG}:incident or :incidents as the page shows it, or NULL. */
cJSON *
mcp_incident_of(const redisReply *r, double now)
{
	cJSON *o, *v = NULL, *e;
	const cJSON *at, *f;
	char iso[32];

	if (r->type != REDIS_REPLY_STRING || r->len > 65536 || (o = cJSON_Parse(r->str)) == NULL)
		return NULL;
	at = cJSON_GetObjectItemCaseSensitive(o, "incident_started_at");
	if (cJSON_IsNumber(at) && mcp_iso8601(at->valuedouble, iso, sizeof(iso)) == 0) {
		v = cJSON_CreateObject();
		cJSON_AddStringToObject(v, "since", iso);
		cJSON_AddNumberToObject(v, "for_s", floor(now - at->valuedouble));
		if (cJSON_IsString(f = cJSON_GetObjectItemCaseSensitive(o, "severity")))
			cJSON_AddStringToObject(v, "severity", f->valuestring);
		if (cJSON_IsString(f = cJSON_GetObjectItemCaseSensitive(o, "step")))
			cJSON_AddStringToObject(v, "step", f->valuestring);
		if (cJSON_IsString(f = cJSON_GetObjectItemCaseSensitive(o, "kind")))
			cJSON_AddStringToObject(v, "kind", f->valuestring);
		if (cJSON_IsNumber(f = cJSON_GetObjectItemCaseSensitive(o, "duration_s")))
			cJSON_AddNumberToObject(v, "duration_s", f->valuedouble);
		f = cJSON_GetObjectItemCaseSensitive(o, "regions");
		e = cJSON_AddArrayToObject(v, "regions");
		for (f = f != NULL ? f->child : NULL; f != NULL; f = f->next)
			if (cJSON_IsString(f) && mcp_slug_ok(f->valuestring))
				cJSON_AddItemToArray(e, cJSON_CreateString(f->valuestring));
	}
	cJSON_Delete(o);
	return v;
}

/* HGETALL mcp:{SLUG}:incident's reply into open, the downtime track first. */
void
mcp_incidents_open(const redisReply *r, double now, cJSON *open)
{
	cJSON *o;
	size_t i;

	for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2)
		if ((o = mcp_incident_of(r->element[i + 1], now)) != NULL) {
			cJSON_AddStringToObject(o, "track", r->element[i]->str);
			if (strcmp(r->element[i]->str, "down") == 0)
				cJSON_InsertItemInArray(open, 0, o);
			else
				cJSON_AddItemToArray(open, o);
		}
}

/* A time as ISO 8601 into o[key], null when it is none. */
static void
add_time(cJSON *o, const char *key, double t)
{
	char iso[32];

	if (t > 0 && mcp_iso8601(t, iso, sizeof(iso)) == 0)
		cJSON_AddStringToObject(o, key, iso);
	else
		cJSON_AddNullToObject(o, key);
}

/*
 * The runners as the watchdog of mcp-alert keeps them (mcp-alert(1),
 * FILES): "r:REGION" is "LAST LISTED FIRST OPEN START ROUTES SINCE", the
 * newest window it reported in and the time of its last result; "s:REGION"
 * "SHORT SFIRST SOK RESULTS UNJUDGED NOT_STARTED EVICTED RUN_ENDED ...",
 * the newest window it was short in and its figures then.
 */
static cJSON *
runners(const redisReply *wd)
{
	static const char *const figs[] = {
	    "results", "unjudged", "not_started", "evicted", "run_ended"};
	cJSON *a = cJSON_CreateArray(), *o, *sh;
	const cJSON *e;
	double v[11];
	size_t i, j;
	int n;

	for (i = 0; wd->type == REDIS_REPLY_ARRAY && i + 1 < wd->elements; i += 2) {
		const char *f = wd->element[i]->str, *val = wd->element[i + 1]->str;
		char open[32], routes[256];

		/* OPEN and ROUTES are words ("-" for none), the others numbers. */
		if (wd->element[i + 1]->type != REDIS_REPLY_STRING || strncmp(f, "r:", 2) != 0 ||
		    !mcp_slug_ok(f + 2) || wd->element[i + 1]->len > 200 ||
		    sscanf(val, "%lf %lf %lf %31s %lf %255s %lf", &v[0], &v[1], &v[2], open, &v[4],
		        routes, &v[6]) != 7)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "region", f + 2);
		add_time(o, "last_window", v[0]);
		add_time(o, "last_result", v[6]);
		cJSON_AddBoolToObject(
		    o, "silent_incident", strcmp(open, "-") != 0 && strcmp(open, "0") != 0);
		cJSON_AddNullToObject(o, "short");
		cJSON_AddItemToArray(a, o);
	}
	for (i = 0; wd->type == REDIS_REPLY_ARRAY && i + 1 < wd->elements; i += 2) {
		const char *f = wd->element[i]->str, *val = wd->element[i + 1]->str;

		if (wd->element[i + 1]->type != REDIS_REPLY_STRING || strncmp(f, "s:", 2) != 0 ||
		    (n = sscanf(val, "%lf %lf %lf %lf %lf %lf %lf %lf", &v[0], &v[1], &v[2], &v[3],
		         &v[4], &v[5], &v[6], &v[7])) != 8 ||
		    v[0] <= 0)
			continue;
		cJSON_ArrayForEach(e, a)
		{
			o = (cJSON *)e;
			if (strcmp(cJSON_GetObjectItemCaseSensitive(o, "region")->valuestring,
			        f + 2) != 0)
				continue;
			sh = cJSON_CreateObject();
			add_time(sh, "window", v[0]);
			add_time(sh, "first", v[1]);
			for (j = 0; j < 5; j++)
				cJSON_AddNumberToObject(sh, figs[j], v[3 + j]);
			cJSON_ReplaceItemInObjectCaseSensitive(o, "short", sh);
		}
	}
	return a;
}

/* The silences in force (mcp-alert silence) whose slug pattern matches slug. */
static cJSON *
silences(const redisReply *r, const char *slug, double now)
{
	static const char *const keep[] = {"id", "slug", "track", "region", "severity", "reason"};
	cJSON *a = cJSON_CreateArray(), *s, *o;
	const cJSON *f, *end;
	size_t i, j;

	for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
		if (r->element[i + 1]->type != REDIS_REPLY_STRING ||
		    r->element[i + 1]->len > 65536 ||
		    (s = cJSON_Parse(r->element[i + 1]->str)) == NULL)
			continue;
		f = cJSON_GetObjectItemCaseSensitive(s, "slug");
		end = cJSON_GetObjectItemCaseSensitive(s, "end");
		if (cJSON_IsString(f) && fnmatch(f->valuestring, slug, 0) == 0 &&
		    cJSON_IsNumber(end) && end->valuedouble > now) {
			o = cJSON_CreateObject();
			for (j = 0; j < sizeof(keep) / sizeof(keep[0]); j++)
				if ((f = cJSON_GetObjectItemCaseSensitive(s, keep[j])) != NULL &&
				    (cJSON_IsString(f) || cJSON_IsNumber(f) || cJSON_IsNull(f)))
					cJSON_AddItemToObject(o, keep[j], cJSON_Duplicate(f, 0));
			add_time(o, "until", end->valuedouble);
			cJSON_AddItemToArray(a, o);
		}
		cJSON_Delete(s);
	}
	return a;
}

static double
count_of(const redisReply *r)
{
	return r->type == REDIS_REPLY_INTEGER ? (double)r->integer : 0;
}

/*
 * What a reader's token adds (the operator's view): the verdict record as
 * the aggregator stored it, each region's failing step and error code, the
 * host and the time of the newest verdict, the runners, the silences, the
 * maintenance window's reason and the subscribers, counted: one round trip.
 * Never an address, a hook's URL or secret, a token.  NULL when the store
 * fails.
 */
static cJSON *
operator_view(
    struct mcp_call *k, const char *slug, struct summary *s, const struct region *g, size_t n)
{
	char ks[128];
	const char *a0[] = {"GET", "mcp:verdict:newest"}, *a1[] = {"HGETALL", WATCHDOG_KEY},
	           *a2[] = {"HGETALL", SILENCES_KEY}, *a3[] = {"SCARD", ks},
	           *a4[] = {"SCARD", PAGE_SUBS_WHOLE}, *a5[] = {"SCARD", PAGE_SUBS},
	           *a6[] = {"SCARD", PAGE_HOOKS};
	const char **argv[] = {a0, a1, a2, a3, a4, a5, a6};
	int argc[] = {2, 2, 2, 2, 2, 2, 2};
	redisReply *rep[7];
	const cJSON *host = cJSON_GetObjectItemCaseSensitive(s->rec, "host");
	cJSON *o, *a, *e, *sub;
	size_t i;

	snprintf(ks, sizeof(ks), PAGE_SUBS_SLUG "%s", slug);
	if (serve_query(k->c, 7, argc, argv, rep) != SR_OK)
		return NULL;
	o = cJSON_CreateObject();
	a = cJSON_AddArrayToObject(o, "regions");
	for (i = 0; i < n; i++) {
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "region", g[i].name);
		cJSON_AddStringToObject(e, "state", serve_region_state(&g[i], k->q->now));
		if (g[i].letter == 'b' && g[i].step[0] != '\0')
			cJSON_AddStringToObject(e, "step", g[i].step);
		else
			cJSON_AddNullToObject(e, "step");
		if (g[i].letter == 'b' && g[i].code[0] != '\0')
			cJSON_AddStringToObject(e, "error", g[i].code);
		else
			cJSON_AddNullToObject(e, "error");
		add_time(e, "last_probe_at", g[i].seen);
		cJSON_AddItemToArray(a, e);
	}
	if (cJSON_IsString(host))
		cJSON_AddStringToObject(o, "host", host->valuestring);
	else
		cJSON_AddNullToObject(o, "host");
	add_time(
	    o, "newest_verdict", rep[0]->type == REDIS_REPLY_STRING ? serve_time(rep[0]->str) : -1);
	cJSON_AddItemToObject(o, "runners", runners(rep[1]));
	cJSON_AddItemToObject(o, "silences", silences(rep[2], slug, k->q->now));
	if (s->maint)
		cJSON_AddStringToObject(o, "maintenance_reason", s->maint_reason);
	else
		cJSON_AddNullToObject(o, "maintenance_reason");
	sub = cJSON_AddObjectToObject(o, "subscribers");
	cJSON_AddNumberToObject(sub, "of_server", count_of(rep[3]));
	cJSON_AddNumberToObject(sub, "of_every_server", count_of(rep[4]));
	cJSON_AddNumberToObject(sub, "all", count_of(rep[5]));
	cJSON_AddNumberToObject(sub, "hooks", count_of(rep[6]));
	serve_free_replies(rep, 7);
	if (s->rec != NULL) {
		cJSON_AddItemToObject(o, "verdict", s->rec);
		s->rec = NULL;
	} else
		cJSON_AddNullToObject(o, "verdict");
	return o;
}

/* The first round trip: seen, the verdict, the index, maintenance, the incidents, an alias. */
#define ROUND1 6

/* The text of server_status after the two round trips; 0 or -1 (out of memory). */
static int
status_text(struct mcp_buf *b, struct mcp_call *k, const char *slug, struct summary *s,
    const struct region *g, size_t n, cJSON *open)
{
	const cJSON *f;
	char *t;
	size_t i;
	int rc, first = 1;

	rc = mcp_buf_addf(b, "{\"slug\":\"%s\",", slug) | serve_maint_json(b, s) |
	    mcp_buf_adds(b, ",\"regions\":[");
	for (i = 0; i < n; i++)
		rc |= (i ? mcp_buf_addc(b, ',') : 0) | serve_region_json(b, &g[i], k->q->now);
	rc |= mcp_buf_adds(b, "],") | serve_summary_fields(b, s, k->q->now) |
	    mcp_buf_adds(b, ",\"failing_regions\":[");
	for (i = 0; i < n; i++)
		if (strcmp(serve_region_state(&g[i], k->q->now), "down") == 0) {
			rc |= mcp_buf_addf(b, "%s\"%s\"", first ? "" : ",", g[i].name);
			first = 0;
		}
	f = s->rec != NULL && s->state != ST_UP && s->state != ST_PENDING
	    ? cJSON_GetObjectItemCaseSensitive(s->rec, "step")
	    : NULL;
	rc |= mcp_buf_adds(b, "],\"failing_step\":") |
	    (cJSON_IsString(f) && mcp_slug_ok(f->valuestring)
	            ? mcp_buf_addf(b, "\"%s\"", f->valuestring)
	            : mcp_buf_adds(b, "null"));
	f = cJSON_GetObjectItemCaseSensitive(open->child, "since");
	rc |= mcp_buf_adds(b, ",\"since\":") |
	    (cJSON_IsString(f) ? mcp_json_string(b, f->valuestring) : mcp_buf_adds(b, "null"));
	if ((t = cJSON_PrintUnformatted(open)) == NULL)
		return -1;
	rc |= mcp_buf_addf(b, ",\"incidents\":%s", t);
	free(t);
	return rc;
}

/*
 * server_status: GET /api/status/SLUG/regions (each region's latest probe,
 * the maintenance window), the embed route's five fields, the failing
 * regions and step, since when and the open incidents, into *out as a raw
 * item (its text written once).  0, or -1 with why in err.
 */
int
mcp_server_status(struct mcp_call *k, const char *slug, cJSON **out, char *err, size_t len)
{
	static struct region g[SERVE_REGIONS_MAX];
	char ks[128], kv[128], km[128], ki[128];
	const char *a0[] = {"ZREVRANGE", ks, "0", "63", "WITHSCORES"}, *a1[] = {"GET", kv},
	           *a2[] = {"ZSCORE", "mcp:slugs", slug},
	           *a3[] = {"HMGET", km, "start", "end", "reason"}, *a4[] = {"HGETALL", ki}, *a5[3];
	const char **argv[ROUND1] = {a0, a1, a2, a3, a4, a5};
	int argc[ROUND1] = {5, 2, 3, 5, 2, 3}, alias, known, rc;
	redisReply *rep[ROUND1];
	struct summary s;
	struct mcp_buf b = {0};
	cJSON *open, *op = NULL;
	char *t;
	size_t n, i;

	*out = NULL;
	snprintf(ks, sizeof(ks), "mcp:{%s}:seen", slug);
	snprintf(kv, sizeof(kv), "mcp:{%s}:verdict", slug);
	snprintf(ki, sizeof(ki), "mcp:{%s}:incident", slug);
	serve_maint_key(km, sizeof(km), slug);
	alias = serve_alias_cmd(a5, slug);
	if (serve_query(k->c, ROUND1 - 1 + alias, argc, argv, rep) != SR_OK) {
		snprintf(err, len, "the store is unavailable: try again in 30 s");
		return -1;
	}
	n = serve_regions_of(rep[0], g);
	/* What the results fill, emptied for the n regions only (not the whole 21 KB). */
	for (i = 0; i < n; i++) {
		g[i].letter = 0, g[i].step[0] = '\0', g[i].code[0] = '\0', g[i].hash[0] = '\0';
		g[i].ms = -1, g[i].differs = 0, g[i].fault = 0;
	}
	serve_summary(rep[1], rep[0], k->q->now, &s, 1);
	serve_maint(rep[3], k->q->now, &s);
	serve_moved_of(alias ? rep[5] : NULL, &s);
	known = n > 0 || s.known || rep[2]->type == REDIS_REPLY_STRING;
	open = cJSON_CreateArray();
	mcp_incidents_open(rep[4], k->q->now, open);
	serve_free_replies(rep, ROUND1 - 1 + alias);
	serve_mark_faults(s.rec, g, n);
	rc = -1;
	if (s.moved[0] != '\0')
		snprintf(err, len, "moved: the server is now %s", s.moved);
	else if (!known)
		mcp_unknown_slug(err, len, slug);
	else if (serve_region_results(k->c, slug, g, n, k->q->now) == -1)
		snprintf(err, len, "the store is unavailable: try again in 30 s");
	else if (status_text(&b, k, slug, &s, g, n, open) != 0)
		snprintf(err, len, "out of memory");
	/* After the text, which reads the verdict that the view takes. */
	else if (k->operator&&(op = operator_view(k, slug, &s, g, n)) == NULL)
		snprintf(err, len, "the store is unavailable: try again in 30 s");
	else {
		rc = 0;
		if (op != NULL) {
			if ((t = cJSON_PrintUnformatted(op)) == NULL ||
			    mcp_buf_addf(&b, ",\"operator\":%s", t) != 0)
				rc = -1;
			free(t);
		}
		if (rc == 0 && mcp_buf_addc(&b, '}') == 0 && mcp_buf_addc(&b, '\0') == 0)
			*out = cJSON_CreateRaw(b.p);
		if (*out == NULL) {
			rc = -1;
			snprintf(err, len, "out of memory");
		}
	}
	mcp_buf_free(&b);
	cJSON_Delete(op);
	cJSON_Delete(open);
	cJSON_Delete(s.rec);
	return rc;
}
