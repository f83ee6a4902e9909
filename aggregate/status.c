/*
 * status.c - mcp-aggregate status: the operator's first look, a line per
 * slug from the store, as the read side shows it (the verdict's state,
 * pending for none, unknown or one older than 5 minutes), with what fails
 * where, divergence, maintenance, uptime, p95 and the last probe's age.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "audit.h"
#include "lists.h"
#include "mcp.h"
#include "ready.h"
#include "rec.h"

#define STALE 300 /* a verdict older than this is no longer shown: pending */
#define NREP 4    /* replies per slug: verdict, last probe, maintenance, index */

struct row {
	const char *slug;
	const char *state; /* static */
	char step[32];
	char regions[256];
	int divergence;
	double uptime, p95, last, maint_end; /* -1: none */
	char reason[AGG_REASON_MAX + 1];
	int known;
	cJSON *ready; /* owned: the verdict's readiness, in this build's words, or NULL */
};

static const char *
state_of(const char *verdict)
{
	if (strcmp(verdict, "green") == 0)
		return "up";
	if (strcmp(verdict, "amber") == 0)
		return "degraded";
	if (strcmp(verdict, "red") == 0)
		return "down";
	return "pending";
}

static double
num(const cJSON *o, const char *k, double lo, double hi)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(v) && v->valuedouble >= lo && v->valuedouble <= hi ? v->valuedouble
	                                                                         : -1;
}

/* The failing regions, "a,b,c", cut at the buffer's end. */
static void
regions_of(const cJSON *rec, char *buf, size_t len)
{
	const cJSON *e, *a = cJSON_GetObjectItemCaseSensitive(rec, "failed_regions");
	size_t o = 0;

	buf[0] = '\0';
	cJSON_ArrayForEach(e, a)
	{
		if (!cJSON_IsString(e) || !mcp_slug_ok(e->valuestring))
			continue;
		if (o + strlen(e->valuestring) + 2 >= len)
			break;
		o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? "," : "", e->valuestring);
	}
}

/*
 * The verdict's readiness (ready.c) as status says it: the grade its
 * reasons make and each reason in this build's words (lib/ready.h), the
 * eras and when it was checked; NULL when it has none.
 */
static cJSON *
ready_of(const cJSON *rec)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(rec, "readiness"), *e;
	const char *at = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "checked_at"));
	int have[MCP_R_N] = {0}, k;
	char g[2] = "";
	cJSON *o, *a;

	if (!cJSON_IsObject(r))
		return NULL;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, "reasons"))
	{
		k = mcp_ready_code(
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "code")));
		if (k != -1)
			have[k] = 1;
	}
	o = cJSON_CreateObject();
	g[0] = mcp_ready_grade(have);
	cJSON_AddStringToObject(o, "grade", g);
	a = cJSON_AddArrayToObject(o, "eras");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, "eras"))
	{
		if (cJSON_IsString(e) &&
		    (strcmp(e->valuestring, "modern") == 0 ||
		        strcmp(e->valuestring, "legacy") == 0 ||
		        strcmp(e->valuestring, "sse") == 0))
			cJSON_AddItemToArray(a, cJSON_CreateString(e->valuestring));
	}
	a = cJSON_AddArrayToObject(o, "reasons");
	for (k = 0; k < MCP_R_N; k++)
		if (have[k])
			cJSON_AddItemToArray(a, mcp_ready_reason_json(k));
	if (at != NULL && strlen(at) == 20)
		cJSON_AddStringToObject(o, "checked_at", at);
	else
		cJSON_AddNullToObject(o, "checked_at");
	return o;
}

static void
read_verdict(const redisReply *r, double now, struct row *w)
{
	const cJSON *v, *step;
	const char *why;
	cJSON *rec;
	double win;

	if (r->type != REDIS_REPLY_STRING || (rec = mcp_json_parse(r->str, r->len, &why)) == NULL)
		return;
	w->known = 1;
	v = cJSON_GetObjectItemCaseSensitive(rec, "verdict");
	win = num(rec, "window", 0, AGG_TIME_MAX);
	if (cJSON_IsString(v) && win >= 0 && now - win <= STALE) {
		w->state = state_of(v->valuestring);
		step = cJSON_GetObjectItemCaseSensitive(rec, "step");
		if (cJSON_IsString(step) && mcp_step_index(step->valuestring) >= 0)
			snprintf(w->step, sizeof(w->step), "%s", step->valuestring);
		regions_of(rec, w->regions, sizeof(w->regions));
		w->divergence = cJSON_IsString(cJSON_GetObjectItemCaseSensitive(rec, "divergence"));
	}
	w->uptime = num(rec, "uptime_30d", 0, 100);
	w->p95 = num(rec, "p95_ms", 0, AGG_LATENCY_MAX * 2);
	w->ready = ready_of(rec);
	cJSON_Delete(rec);
}

/* HMGET maint start end reason: a window in force now. */
static void
read_maint(const redisReply *r, double now, struct row *w)
{
	double start, end;
	const char *reason;

	if (!agg_maint_parse(r, &start, &end, &reason) || !(start <= now && now < end))
		return;
	w->maint_end = end;
	snprintf(w->reason, sizeof(w->reason), "%s", reason);
}

static void
row_of(redisReply **rep, const char *slug, double now, struct row *w)
{
	memset(w, 0, sizeof(*w));
	w->slug = slug;
	w->state = "pending";
	w->uptime = w->p95 = w->last = w->maint_end = -1;
	read_verdict(rep[0], now, w);
	if (rep[1]->type == REDIS_REPLY_ARRAY && rep[1]->elements == 2 &&
	    rep[1]->element[1]->type == REDIS_REPLY_STRING) {
		w->last = strtod(rep[1]->element[1]->str, NULL);
		w->known = 1;
	}
	read_maint(rep[2], now, w);
	if (rep[3]->type == REDIS_REPLY_STRING)
		w->known = 1;
}

static int
print_json(const struct row *w, double now)
{
	char err[256], iso[32], a[24];
	cJSON *o = cJSON_CreateObject(), *m;
	int rc;

	cJSON_AddNumberToObject(o, "v", 1);
	cJSON_AddStringToObject(o, "type", "status");
	cJSON_AddStringToObject(o, "slug", w->slug);
	cJSON_AddStringToObject(o, "state", w->state);
	if (w->step[0])
		cJSON_AddStringToObject(o, "step", w->step);
	else
		cJSON_AddNullToObject(o, "step");
	{
		cJSON *arr = cJSON_AddArrayToObject(o, "failed_regions");
		char buf[sizeof(w->regions)], *p, *save = NULL;

		memcpy(buf, w->regions, sizeof(buf));
		for (p = strtok_r(buf, ",", &save); p != NULL; p = strtok_r(NULL, ",", &save))
			cJSON_AddItemToArray(arr, cJSON_CreateString(p));
	}
	if (w->divergence)
		cJSON_AddStringToObject(o, "divergence", "cdn-cache-divergence");
	else
		cJSON_AddNullToObject(o, "divergence");
	if (w->maint_end >= 0 && mcp_iso8601(w->maint_end, iso, sizeof(iso)) == 0) {
		m = cJSON_AddObjectToObject(o, "maintenance");
		cJSON_AddStringToObject(m, "reason", w->reason);
		cJSON_AddStringToObject(m, "until", iso);
	} else {
		cJSON_AddNullToObject(o, "maintenance");
	}
	if (w->uptime >= 0)
		cJSON_AddNumberToObject(o, "uptime_30d", w->uptime);
	else
		cJSON_AddNullToObject(o, "uptime_30d");
	if (w->p95 >= 0)
		cJSON_AddNumberToObject(o, "p95_ms", w->p95);
	else
		cJSON_AddNullToObject(o, "p95_ms");
	if (w->last >= 0) {
		mcp_ago(now - w->last, a, sizeof(a));
		cJSON_AddStringToObject(o, "last_probe_ago", a);
	} else {
		cJSON_AddNullToObject(o, "last_probe_ago");
	}
	if (w->ready != NULL)
		cJSON_AddItemReferenceToObject(o, "readiness", w->ready);
	else
		cJSON_AddNullToObject(o, "readiness");
	rc = mcp_rec_write(stdout, o, err, sizeof(err));
	cJSON_Delete(o);
	return rc;
}

#define COLS "%-*s  %-11s  %-10s  %-*s  %-10s  %-12s  %7s  %7s  %s\n"

static int
print_table(const struct row *rows, size_t n, double now)
{
	size_t i, ws = 4, wr = 7;
	char up[24], p95[24], last[24], maint[24], iso[32];

	for (i = 0; i < n; i++) {
		ws = strlen(rows[i].slug) > ws ? strlen(rows[i].slug) : ws;
		wr = strlen(rows[i].regions) > wr ? strlen(rows[i].regions) : wr;
	}
	if (printf(COLS, (int)ws, "SLUG", "STATE", "STEP", (int)wr, "REGIONS", "DIVERGENCE",
	        "MAINTENANCE", "UPTIME", "P95", "LAST") < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const struct row *w = &rows[i];

		snprintf(up, sizeof(up), w->uptime >= 0 ? "%.2f%%" : "-", w->uptime);
		snprintf(p95, sizeof(p95), w->p95 >= 0 ? "%.0fms" : "-", w->p95);
		if (w->last >= 0)
			mcp_ago(now - w->last, last, sizeof(last));
		else
			snprintf(last, sizeof(last), "never");
		if (w->maint_end >= 0 && mcp_iso8601(w->maint_end, iso, sizeof(iso)) == 0)
			snprintf(maint, sizeof(maint), "until %.5s", iso + 11);
		else
			snprintf(maint, sizeof(maint), "-");
		if (printf(COLS, (int)ws, w->slug, w->state, w->step[0] ? w->step : "-", (int)wr,
		        w->regions[0] ? w->regions : "-", w->divergence ? "cdn-cache" : "-", maint,
		        up, p95, last) < 0)
			return -1;
	}
	return 0;
}

struct sctx {
	char **slugs;
	size_t n;
	redisReply **rep; /* NREP per slug */
};

static enum mcp_store_status
status_once(struct mcp_store *st, void *arg, char *err, size_t errlen)
{
	struct sctx *x = arg;
	char k[3][MCP_SLUG_MAX + 64];
	size_t i;

	for (i = 0; i < x->n * NREP; i++) {
		freeReplyObject(x->rep[i]);
		x->rep[i] = NULL;
	}
	for (i = 0; i < x->n; i++) {
		agg_key(k[0], sizeof(k[0]), x->slugs[i], "verdict", -1);
		agg_key(k[1], sizeof(k[1]), x->slugs[i], "seen", -1);
		agg_key(k[2], sizeof(k[2]), x->slugs[i], "alert:maint", -1);
		mcp_store_appendf(st, "GET %s", k[0]);
		mcp_store_appendf(st, "ZREVRANGE %s 0 0 WITHSCORES", k[1]);
		mcp_store_appendf(st, "HMGET %s start end reason", k[2]);
		mcp_store_appendf(st, "ZSCORE %s %s", AGG_KEY_SLUGS, x->slugs[i]);
	}
	if (mcp_store_read(st, x->rep, x->n * NREP, err, errlen) == -1)
		return MCP_STORE_AGAIN;
	for (i = 0; i < x->n * NREP; i++)
		if (x->rep[i]->type == REDIS_REPLY_ERROR) {
			snprintf(err, errlen, "%s", x->rep[i]->str);
			return mcp_store_retryable(st, x->rep[i]) ? MCP_STORE_AGAIN
			                                          : MCP_STORE_FAIL;
		}
	return MCP_STORE_OK;
}

/*
 * The table's last word: the runners of the latest complete window, when
 * one of them could not judge some of its targets (short.c); a store that
 * does not answer leaves it out, after a warning.  -1 when stdout fails.
 */
static int
runners(struct mcp_store *st, double now)
{
	static struct agg_shorts s;
	long long w = agg_latest_complete(now);

	if (agg_shorts_read(st, w, &s) == -1)
		return 0;
	return agg_shorts_table(&s, w);
}

int
agg_status(const struct agg_opts *o, char **slugs, int nslugs)
{
	static const struct mcp_store_retry rp = {3, 0, NULL};
	struct mcp_store *st;
	struct sctx x = {slugs, (size_t)nslugs, NULL};
	struct row *rows = NULL;
	char err[512], **own = NULL;
	double now = mcp_now();
	size_t i, k = 0;
	int rc = MCP_EXIT_OK;

	if ((st = agg_connect(o)) == NULL)
		return MCP_EXIT_FAIL;
	if (nslugs == 0) {
		if (agg_all_slugs(st, &own, &x.n) == -1) {
			mcp_store_close(st);
			return MCP_EXIT_FAIL;
		}
		x.slugs = own;
	}
	if ((x.rep = calloc(x.n * NREP + 1, sizeof(*x.rep))) == NULL ||
	    (rows = calloc(x.n + 1, sizeof(*rows))) == NULL)
		errx(MCP_EXIT_FAIL, "status: out of memory");
	if (x.n > 0 && mcp_store_run(st, &rp, status_once, &x, err, sizeof(err)) != MCP_STORE_OK) {
		warnx("redis: %s", err);
		rc = MCP_EXIT_FAIL;
		goto out;
	}
	if (agg_audit_show(st, err, sizeof(err)) == -1 ||
	    agg_lists_show(st, err, sizeof(err)) == -1 || agg_full_show(st, err, sizeof(err)) == -1)
		warnx("redis: %s", err);
	for (i = 0; i < x.n; i++) {
		row_of(&x.rep[i * NREP], x.slugs[i], now, &rows[k]);
		if (!rows[k].known) {
			cJSON_Delete(rows[k].ready);
			warnx("status: %s: no results stored for this slug", x.slugs[i]);
			rc = MCP_EXIT_FAIL;
			continue;
		}
		/* Exit 1 when a slug listed is not up: a script's check. */
		if (strcmp(rows[k].state, "up") != 0)
			rc = MCP_EXIT_FAIL;
		k++;
	}
	for (i = 0; i < k; i++)
		if (o->json && print_json(&rows[i], now) == -1)
			break;
	if ((o->json && i < k) || (!o->json && k > 0 && print_table(rows, k, now) == -1) ||
	    (!o->json && runners(st, now) == -1) || fflush(stdout) == EOF) {
		mcp_stdout_failed();
		rc = AGG_EXIT_STDOUT;
	}
out:
	for (i = 0; x.rep != NULL && i < x.n * NREP; i++)
		freeReplyObject(x.rep[i]);
	for (i = 0; own != NULL && i < x.n; i++)
		free(own[i]);
	free(own);
	free(x.rep);
	for (i = 0; rows != NULL && i < k; i++)
		cJSON_Delete(rows[i].ready);
	free(rows);
	mcp_store_close(st);
	return rc;
}
