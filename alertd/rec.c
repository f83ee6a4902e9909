/*
 * rec.c - the alert record of CONTRACT §4, written to stdout.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "alert.h"
#include "rec.h"

static cJSON *
regions_of(const cJSON *r)
{
	return r != NULL ? cJSON_Duplicate(r, 1) : cJSON_CreateArray();
}

cJSON *
alert_record(const struct alert_ev *e)
{
	char key[MCP_SLUG_MAX + 64];
	cJSON *o;

	if (strcmp(e->event, "test") == 0)
		snprintf(key, sizeof(key), "%s:test:%.0f", e->slug, e->started);
	else if (e->track != NULL)
		snprintf(key, sizeof(key), "%s:%s:%.0f", e->slug, e->track, e->started);
	else
		snprintf(key, sizeof(key), "%s:%.0f", e->slug, e->started);
	if ((o = cJSON_CreateObject()) == NULL)
		err(MCP_EXIT_FAIL, "cJSON");
	cJSON_AddNumberToObject(o, "v", 1);
	cJSON_AddStringToObject(o, "type", "alert");
	cJSON_AddStringToObject(o, "event", e->event);
	cJSON_AddStringToObject(o, "severity", e->severity);
	cJSON_AddStringToObject(o, "slug", e->slug);
	cJSON_AddStringToObject(o, "dedup_key", key);
	cJSON_AddNumberToObject(o, "incident_started_at", e->started);
	if (e->step != NULL)
		cJSON_AddStringToObject(o, "step", e->step);
	else
		cJSON_AddNullToObject(o, "step");
	cJSON_AddItemToObject(o, "regions", regions_of(e->regions));
	cJSON_AddStringToObject(o, "summary", e->summary);
	cJSON_AddNumberToObject(o, "at", mcp_ms_round(mcp_now()));
	if (e->duration >= 0)
		cJSON_AddNumberToObject(o, "duration_s", e->duration);
	if (e->track != NULL)
		cJSON_AddStringToObject(o, "kind", e->track);
	if (e->escalation > 0)
		cJSON_AddNumberToObject(o, "escalation", e->escalation);
	if (e->suppressed != NULL) {
		cJSON_AddStringToObject(o, "suppressed", e->suppressed);
		cJSON_AddStringToObject(o, "maintenance", e->reason);
	}
	return o;
}

redisReply *
alert_cmd(struct mcp_store *st, int argc, const char **argv)
{
	char err[512];
	redisReply *r;
	int tries;

	/* Every command here is idempotent: after a reconnect, send it again. */
	for (tries = 0;; tries++) {
		r = mcp_store_cmd(st, argc, argv, err, sizeof(err));
		if (tries == 1 || !mcp_store_retryable(st, r))
			break;
		freeReplyObject(r);
		if (mcp_store_reconnect(st, err, sizeof(err)) == -1) {
			warnx("redis: %s", err);
			return NULL;
		}
	}
	if (r == NULL) {
		warnx("redis: %s: %s", argv[0], err);
		return NULL;
	}
	if (r->type == REDIS_REPLY_ERROR) {
		warnx("redis: %s: %s", argv[0], r->str);
		freeReplyObject(r);
		return NULL;
	}
	return r;
}

int
alert_pipe_run(struct mcp_store *st, struct alert_pipe *p)
{
	redisContext *c = mcp_store_ctx(st);
	char err[512];
	void *r;
	int i;

	memset(p->r, 0, sizeof(p->r));
	/* A reconnect that failed before left no connection: try again first. */
	if (c == NULL) {
		if (mcp_store_reconnect(st, err, sizeof(err)) == -1) {
			warnx("redis: %s", err);
			return -1;
		}
		c = mcp_store_ctx(st);
	}
	for (i = 0; i < p->n; i++)
		if (redisAppendCommandArgv(c, p->argc[i], p->argv[i], NULL) != REDIS_OK)
			goto fail;
	for (i = 0; i < p->n; i++) {
		if (redisGetReply(c, &r) != REDIS_OK)
			goto fail;
		p->r[i] = r;
	}
	/* READONLY, LOADING, MASTERDOWN: a failover; the caller starts over. */
	for (i = 0; i < p->n; i++)
		if (p->r[i]->type == REDIS_REPLY_ERROR && mcp_store_retryable(st, p->r[i])) {
			warnx("redis: %s", p->r[i]->str);
			goto again;
		}
	return 0;
fail:
	warnx("redis: %s", c->errstr[0] ? c->errstr : "connection failed");
again:
	alert_pipe_free(p);
	if (mcp_store_reconnect(st, err, sizeof(err)) == -1)
		warnx("redis: %s", err);
	return -1;
}

void
alert_pipe_free(struct alert_pipe *p)
{
	int i;

	for (i = 0; i < p->n; i++) {
		if (p->r[i] != NULL)
			freeReplyObject(p->r[i]);
		p->r[i] = NULL;
	}
}
