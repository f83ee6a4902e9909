/*
 * read.c - mcp-serve's reads of the store: one pipeline per round trip,
 * through lib/'s client (reconnect and retry), and the summary of a slug.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "mcp.h"
#include "ready.h"
#include "serve.h"

struct query {
	size_t n;
	int *argc;
	const char ***argv;
	redisReply **rep;
};

void
serve_free_replies(redisReply **rep, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (rep[i] != NULL)
			freeReplyObject(rep[i]);
		rep[i] = NULL;
	}
}

static enum mcp_store_status
query_round(struct mcp_store *st, void *arg, char *err, size_t errlen)
{
	struct query *q = arg;
	size_t i;

	serve_free_replies(q->rep, q->n);
	for (i = 0; i < q->n; i++)
		if (mcp_store_appendv(st, q->argc[i], q->argv[i], NULL) == -1) {
			snprintf(err, errlen, "out of memory");
			return MCP_STORE_FAIL;
		}
	if (mcp_store_read(st, q->rep, q->n, err, errlen) == -1)
		return MCP_STORE_AGAIN;
	for (i = 0; i < q->n; i++)
		if (mcp_store_retryable(st, q->rep[i])) {
			snprintf(err, errlen, "%s", q->rep[i]->str);
			return MCP_STORE_AGAIN;
		}
	return MCP_STORE_OK;
}

/*
 * A web request must not wait long: 2 s per command and for a connection,
 * a Sentinel lookup included, and one connection attempt a request.  A
 * link that broke since the last request is made again once; a store that
 * is down costs each request one refused connect, then its 503; one that
 * does not answer, its 2 s timeout once (not again on a new link).
 */
enum serve_rc
serve_query(struct conn *c, size_t n, int *argc, const char ***argv, redisReply **rep)
{
	static const struct mcp_store_retry rp = {2, 0, NULL, 1};
	struct mcp_store_opts o = {2.0, 0};
	struct query q = {n, argc, argv, rep};
	char err[512];

	memset(rep, 0, n * sizeof(*rep));
	if (c->st == NULL && (c->st = mcp_store_open(c->url, &o, err, sizeof(err))) == NULL) {
		serve_log(c, "redis: %s", err);
		return SR_DOWN;
	}
	if (mcp_store_run(c->st, &rp, query_round, &q, err, sizeof(err)) != MCP_STORE_OK) {
		serve_log(c, "redis: %s", err);
		serve_free_replies(rep, n);
		return SR_DOWN;
	}
	return SR_OK;
}

const char *
serve_state_name(enum serve_state s)
{
	static const char *const names[] = {"pending", "up", "degraded", "down", "maintenance"};

	return names[s];
}

/* A number member within [lo, hi], else -1 (absent, null, out of range). */
static double
num_in(const cJSON *o, const char *key, double lo, double hi)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v) || !(v->valuedouble >= lo && v->valuedouble <= hi))
		return -1;
	return v->valuedouble;
}

static enum serve_state
state_of(const char *verdict)
{
	if (strcmp(verdict, "green") == 0)
		return ST_UP;
	if (strcmp(verdict, "amber") == 0)
		return ST_DEGRADED;
	if (strcmp(verdict, "red") == 0)
		return ST_DOWN;
	return ST_PENDING;
}

/*
 * The verdict's readiness (aggregate/ready.c) into s: its reasons and eras
 * as this build knows them, the grade they make (lib/ready.h), never a
 * word of the record's own.
 */
static void
ready_of(const cJSON *rec, struct summary *s)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(rec, "readiness"), *e;
	const char *at = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "checked_at"));
	const char *iss;
	int have[MCP_R_N] = {0}, k;

	if (!cJSON_IsObject(r))
		return;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, "reasons"))
	{
		if ((k = mcp_ready_code(
		         cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "code")))) == -1)
			continue;
		have[k] = 1;
		s->ready_codes |= 1UL << k;
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, "eras"))
	{
		if ((k = mcp_ready_era(cJSON_GetStringValue(e))) != -1)
			s->ready_eras |= 1U << k;
	}
	s->grade = mcp_ready_grade(have);
	/* The issuer as aggregate keeps one: an http(s) URL of printable ASCII. */
	iss = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "issuer"));
	if (mcp_ready_issuer_ok(iss, sizeof(s->ready_issuer) - 1))
		snprintf(s->ready_issuer, sizeof(s->ready_issuer), "%s", iss);
	/* YYYY-MM-DDTHH:MM:SSZ, as the verdict writes it, or nothing. */
	for (k = 0; at != NULL && k < 20; k++)
		if (k == 4 || k == 7         ? at[k] != '-'
		        : k == 10            ? at[k] != 'T'
		        : k == 13 || k == 16 ? at[k] != ':'
		        : k == 19            ? at[k] != 'Z'
		                             : !(at[k] >= '0' && at[k] <= '9'))
			break;
	if (k == 20 && at[20] == '\0')
		memcpy(s->ready_at, at, 21);
}

/*
 * The parts of a stored verdict record the read side shows, all but
 * staleness (which depends on now: verdict_stale).
 */
static void
read_verdict(const redisReply *r, struct summary *s, int keep)
{
	const cJSON *v, *div;
	const char *why;
	cJSON *rec;

	s->known = 1;
	if ((rec = mcp_json_parse(r->str, r->len, &why)) == NULL)
		return; /* unreadable: pending, as if none */
	v = cJSON_GetObjectItemCaseSensitive(rec, "verdict");
	/* A window is a whole minute of the years a record can carry. */
	s->window = num_in(rec, "window", 0, 253402300740.0);
	if (cJSON_IsString(v) && s->window >= 0 && fmod(s->window, 60) == 0 &&
	    mcp_iso8601(s->window, s->as_of, sizeof(s->as_of)) == 0) {
		s->has_verdict = 1;
		s->state = state_of(v->valuestring);
		s->uptime = num_in(rec, "uptime_30d", 0, 100);
		s->p95 = num_in(rec, "p95_ms", 0, 86400000);
		div = cJSON_GetObjectItemCaseSensitive(rec, "divergence");
		s->divergence = cJSON_IsString(div);
		ready_of(rec, s);
	} else {
		s->window = -1;
	}
	if (keep)
		s->rec = rec;
	else
		cJSON_Delete(rec);
}

static void
verdict_stale(struct summary *s, double now)
{
	if (s->has_verdict && now - s->window > SERVE_STALE) {
		s->stale = 1;
		s->state = ST_PENDING;
	}
}

/*
 * A FastCGI responder is asked for the same few records again and again
 * (a badge on a busy README, a widget on a busy page), and a record changes
 * once a minute: the summary of the last record read into each of 64
 * slots, by a hash of its bytes, spares parsing the same bytes again (the
 * same bytes give the same summary; staleness is decided afresh).
 */
#define VCACHE_SLOTS 64
static struct vcache {
	char *raw;
	size_t len;
	struct summary s;
} vcache[VCACHE_SLOTS];

static struct vcache *
vcache_slot(const char *p, size_t n)
{
	return &vcache[mcp_fnv1a(p, n) % VCACHE_SLOTS];
}

/* A time from the store or a request, of the years a record carries: -1 when not. */
double
serve_time(const char *s)
{
	double t = mcp_time_of(s);

	return t < 253402300800.0 ? t : -1;
}

/* The first score of ZREVRANGE seen 0 N WITHSCORES: the last probe. */
static double
last_probe(const redisReply *r)
{
	if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements < 2 ||
	    r->element[1]->type != REDIS_REPLY_STRING)
		return -1;
	return serve_time(r->element[1]->str);
}

void
serve_maint_key(char *buf, size_t len, const char *slug)
{
	snprintf(buf, len, "mcp:{%s}:alert:maint", slug);
}

/*
 * A maintenance window is in force from start to end (mcp-alert(1) maint);
 * one that does not read is none, and a reason that is not UTF-8 of at
 * most SERVE_REASON_MAX bytes is not shown.
 */
void
serve_maint(const redisReply *r, double now, struct summary *s)
{
	double start, end;

	s->maint = 0;
	s->maint_end = -1;
	s->maint_reason[0] = '\0';
	if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != 3 ||
	    r->element[0]->type != REDIS_REPLY_STRING || r->element[1]->type != REDIS_REPLY_STRING)
		return;
	if ((start = serve_time(r->element[0]->str)) < 0 ||
	    (end = serve_time(r->element[1]->str)) < 0 || !(start <= now && now < end))
		return;
	s->maint = 1;
	s->maint_end = end;
	if (r->element[2]->type == REDIS_REPLY_STRING && r->element[2]->len <= SERVE_REASON_MAX &&
	    mcp_utf8_valid(r->element[2]->str, r->element[2]->len))
		memcpy(s->maint_reason, r->element[2]->str, r->element[2]->len + 1);
}

/* The summary of a verdict record read through the cache of vcache_slot. */
static void
read_cached(const redisReply *verdict, struct summary *s)
{
	struct vcache *e = vcache_slot(verdict->str, verdict->len);
	char *p;

	if (e->raw != NULL && e->len == verdict->len && memcmp(e->raw, verdict->str, e->len) == 0) {
		*s = e->s;
		return;
	}
	read_verdict(verdict, s, 0);
	if ((p = malloc(verdict->len > 0 ? verdict->len : 1)) != NULL) {
		free(e->raw);
		e->raw = p;
		e->len = verdict->len;
		memcpy(e->raw, verdict->str, verdict->len);
		e->s = *s;
	}
}

static void
summary_of(const redisReply *verdict, const redisReply *seen, double now, struct summary *s,
    int keep, int cache)
{
	memset(s, 0, sizeof(*s));
	s->state = ST_PENDING;
	s->window = s->uptime = s->p95 = s->maint_end = -1;
	if (verdict != NULL && verdict->type == REDIS_REPLY_STRING) {
		if (cache)
			read_cached(verdict, s);
		else
			read_verdict(verdict, s, keep);
	}
	verdict_stale(s, now);
	if ((s->last_probe = last_probe(seen)) >= 0)
		s->known = 1;
}

void
serve_summary(
    const redisReply *verdict, const redisReply *seen, double now, struct summary *s, int keep)
{
	summary_of(verdict, seen, now, s, keep, 0);
}

void
serve_summary_one(
    const redisReply *verdict, const redisReply *seen, double now, struct summary *s, int fcgi)
{
	summary_of(verdict, seen, now, s, 0, fcgi);
}
