/*
 * digest.c - "digest ROUTE INTERVAL": the route's P3 notices are not sent
 * one by one but kept, as the jobs they would have been, in the list
 * mcp:alert:digest:ROUTE (queued with the incident's state, as any job).
 * Once the oldest has waited INTERVAL, one digest record holding them all
 * is queued in the route's outbox, where it is delivered and retried as
 * any delivery, and only then are they taken off the list: a notice is
 * never lost, and at worst (a process killed between the two) sent in
 * two digests.  So a route hears at most one digest an INTERVAL.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "routes/routes.h"
#include "json.h"

#define DIGEST_MAX 500 /* notices in one digest; the rest wait for the next */

/* Release the lock KEYS[1] if it is still ours (ARGV[1]). */
static const char unlock_lua[] =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end\n"
    "return 0\n";

int
alert_digest_line(struct alert_conf *c, char **w, int nw, char *err, size_t errlen)
{
	int j;

	if (nw != 3) {
		snprintf(err, errlen, "digest: want \"digest ROUTE INTERVAL\"");
		return -1;
	}
	if ((j = alert_route_named(c, w[1], err, errlen)) == -1)
		return -1;
	/* PagerDuty hears of incidents, not of a digest: its P3s would be lost. */
	if (c->routes[j].type == RT_PAGERDUTY) {
		snprintf(
		    err, errlen, "digest: route \"%s\": a pagerduty route has no digest", w[1]);
		return -1;
	}
	/* paging services that keep incidents: the same. */
	if (alert_pager_incidents(c->routes[j].type)) {
		snprintf(
		    err, errlen, "digest: route \"%s\": a route of incidents has no digest", w[1]);
		return -1;
	}
	if ((c->routes[j].digest = alert_duration(w[2])) <= 0) {
		snprintf(err, errlen, "digest: not a duration (N, Ns, Nm, Nh, Nd): %s", w[2]);
		return -1;
	}
	return 0;
}

int
alert_digested(const struct alert_conf *c, int route, const cJSON *rec)
{
	const char *ev = alert_str(rec, "event");

	/* A heartbeat is P3 too, and must come on its own, as a test must. */
	return c->routes[route].digest > 0 && strcmp(alert_str(rec, "severity"), "P3") == 0 &&
	    strcmp(ev, "heartbeat") != 0 && strcmp(ev, "test") != 0 && strcmp(ev, "digest") != 0;
}

void
alert_digest_key(char *buf, size_t len, const struct alert_conf *c, int route)
{
	snprintf(buf, len, "mcp:alert:digest:%s", c->routes[route].name);
}

/* The time a job was queued ("first", as alert_job_new wrote it), or -1. */
static double
job_first(const char *job)
{
	const char *why;
	cJSON *j = mcp_json_parse(job, strlen(job), &why);
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(j, "first");
	double t = cJSON_IsNumber(f) ? f->valuedouble : -1;

	cJSON_Delete(j);
	return t;
}

/* The digest record of the jobs of r (the reply of LRANGE), owned; *n the notices in it. */
static cJSON *
digest_record(const struct alert_conf *c, int route, const redisReply *r, size_t *n)
{
	cJSON *d = cJSON_CreateObject(), *a, *j;
	double now = mcp_ms_round(mcp_now()), first = 0;
	char sum[256], key[ALERT_NAME_MAX + 64], ts[32];
	const char *why;
	size_t i;

	if (d == NULL)
		err(MCP_EXIT_FAIL, "cJSON");
	a = cJSON_CreateArray();
	for (*n = 0, i = 0; i < r->elements; i++) {
		j = mcp_json_parse(r->element[i]->str, r->element[i]->len, &why);
		if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(j, "rec"))) {
			if (*n == 0)
				first = cJSON_GetNumberValue(
				    cJSON_GetObjectItemCaseSensitive(j, "first"));
			cJSON_AddItemToArray(
			    a, cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(j, "rec"), 1));
			(*n)++;
		} else
			warnx("route %s: a digest's notice that is not a job of mcp-alert: dropped",
			    c->routes[route].name);
		cJSON_Delete(j);
	}
	if (isnan(first) || first <= 0 || first > ALERT_TIME_MAX)
		first = now;
	mcp_iso8601(first, ts, sizeof(ts));
	snprintf(sum, sizeof(sum), "%zu P3 notice%s since %s", *n, *n == 1 ? "" : "s", ts);
	snprintf(key, sizeof(key), "digest:%s:%.0f", c->routes[route].name, floor(now));
	cJSON_AddNumberToObject(d, "v", 1);
	cJSON_AddStringToObject(d, "type", "alert");
	cJSON_AddStringToObject(d, "event", "digest");
	cJSON_AddStringToObject(d, "severity", "P3");
	cJSON_AddStringToObject(d, "slug", "mcp-alert");
	cJSON_AddStringToObject(d, "dedup_key", key);
	cJSON_AddStringToObject(d, "summary", sum);
	cJSON_AddNumberToObject(d, "at", now);
	cJSON_AddNumberToObject(d, "since", first);
	cJSON_AddNumberToObject(d, "count", (double)*n);
	cJSON_AddItemToObject(d, "alerts", a);
	return d;
}

/*
 * Route i's digest, under its lock: the digest queued in the outbox, then
 * the notices it holds taken off the head of the list (those added since
 * stay).  One MULTI/EXEC on one server; two commands in that order on a
 * cluster, whose slots the two keys may not share.
 */
static int
flush_route(struct mcp_store *st, const struct alert_conf *c, int i)
{
	char key[ALERT_NAME_MAX + 32], box[ALERT_NAME_MAX + 32], lock[ALERT_NAME_MAX + 48];
	char token[33], from[32];
	const char *set[] = {"SET", lock, token, "NX", "PX", "60000"};
	const char *range[] = {"LRANGE", key, "0", "499"};
	const char *multi[] = {"MULTI"}, *exec[] = {"EXEC"};
	const char *push[] = {"RPUSH", box, NULL}, *trim[] = {"LTRIM", key, from, "-1"};
	const char *unlock[] = {"EVAL", unlock_lua, "1", lock, token};
	struct alert_pipe p = {0, {0}, {NULL}, {NULL}};
	redisReply *r;
	cJSON *d;
	size_t n, k;
	int rc = 0, cl = mcp_store_is_cluster(st);
	char *job;

	_Static_assert(DIGEST_MAX == 500, "LRANGE 0 499");
	alert_digest_key(key, sizeof(key), c, i);
	alert_outbox_key(box, sizeof(box), c, i);
	snprintf(lock, sizeof(lock), "mcp:alert:digest-lock:%s", c->routes[i].name);
	alert_hex_random(token, 16);
	/* One process makes a route's digest at a time: nothing in two digests. */
	if ((rc = alert_lock(st, set)) != 1)
		return rc;
	rc = 0;
	if ((r = alert_cmd(st, 4, range)) == NULL) {
		rc = -1;
		goto unlock;
	}
	if (r->type != REDIS_REPLY_ARRAY || r->elements == 0) {
		freeReplyObject(r);
		goto unlock;
	}
	d = digest_record(c, i, r, &n);
	snprintf(from, sizeof(from), "%zu", r->elements);
	freeReplyObject(r);
	job = n > 0 ? alert_job_new(c, i, d) : NULL;
	cJSON_Delete(d);
	push[2] = job;
	if (!cl)
		p.argv[p.n] = multi, p.argc[p.n++] = 1;
	if (job != NULL)
		p.argv[p.n] = push, p.argc[p.n++] = 3;
	p.argv[p.n] = trim, p.argc[p.n++] = 4;
	if (!cl)
		p.argv[p.n] = exec, p.argc[p.n++] = 1;
	if (alert_pipe_run(st, &p) == -1)
		rc = -1;
	for (k = 0; rc == 0 && k < (size_t)p.n; k++)
		if (p.r[k]->type == REDIS_REPLY_ERROR) {
			warnx("route %s: digest: redis: %s", c->routes[i].name, p.r[k]->str);
			rc = -1;
		}
	alert_pipe_free(&p);
	free(job);
unlock:
	if ((r = alert_cmd(st, 5, unlock)) == NULL)
		return -1;
	freeReplyObject(r);
	return rc;
}

int
alert_digest_flush(struct mcp_store *st, const struct alert_conf *c)
{
	static char keys[ALERT_ROUTES_MAX][ALERT_NAME_MAX + 32];
	static const char *idx[ALERT_ROUTES_MAX][3];
	struct alert_pipe p = {0, {0}, {NULL}, {NULL}};
	double now = mcp_now(), first;
	int i, rc = 0;

	if (c->dry_run || c->nroutes == 0)
		return 0;
	/* The head of every route's list, a route without a digest too: it may have had one. */
	for (i = 0; i < c->nroutes; i++) {
		alert_digest_key(keys[i], sizeof(keys[i]), c, i);
		idx[i][0] = "LINDEX", idx[i][1] = keys[i], idx[i][2] = "0";
		p.argv[p.n] = idx[i], p.argc[p.n++] = 3;
	}
	if (alert_pipe_run(st, &p) == -1) {
		alert_pipe_free(&p);
		return -1;
	}
	for (i = 0; rc == 0 && i < c->nroutes; i++) {
		if (p.r[i]->type != REDIS_REPLY_STRING)
			continue;
		first = job_first(p.r[i]->str);
		if (c->routes[i].digest > 0 && first >= 0 &&
		    now - first < (double)c->routes[i].digest)
			continue;
		rc = flush_route(st, c, i);
	}
	alert_pipe_free(&p);
	return rc;
}
