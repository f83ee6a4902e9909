/*
 * rec.c - the alert record of CONTRACT §4, written to stdout.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "full.h"
#include "rec.h"
#include "rules.h"

static cJSON *
regions_of(const cJSON *r)
{
	return r != NULL ? cJSON_Duplicate(r, 1) : cJSON_CreateArray();
}

/*
 * The summary; that of an incident that began before the store was seen
 * to have lost its state says it may repeat a page the store forgot (1).
 */
static int
summary_add(cJSON *o, const struct alert_ev *e)
{
	static const char more[] = " (mcp-alert's store lost its state at %s UTC: this may "
	                           "repeat an earlier page)";
	char hm[8], *s;
	size_t n;

	if (alert_reset_at <= 0 || e->started > alert_reset_at || strcmp(e->event, "test") == 0 ||
	    strcmp(e->event, "heartbeat") == 0) {
		cJSON_AddStringToObject(o, "summary", e->summary);
		return 0;
	}
	alert_hm(hm, sizeof(hm), alert_reset_at);
	n = strlen(e->summary) + sizeof(more) + sizeof(hm);
	if ((s = malloc(n)) == NULL)
		err(MCP_EXIT_FAIL, "malloc");
	snprintf(s, n, "%s", e->summary);
	snprintf(s + strlen(s), n - strlen(s), more, hm);
	cJSON_AddStringToObject(o, "summary", s);
	free(s);
	return 1;
}

/*
 * 1 when e is a downtime record whose summary tells a divergence of tool
 * lists ("SLUG: cdn-cache-divergence: ...", classify.c): the words after
 * it name the server's tools.  Said from the slug on, which no server
 * writes.
 */
static int
divergence_said(const struct alert_ev *e)
{
	size_t n = e->slug != NULL ? strlen(e->slug) : 0;

	return e->track == NULL && e->summary != NULL && n > 0 &&
	    strncmp(e->summary, e->slug, n) == 0 &&
	    strncmp(e->summary + n, ": " DIVERGENCE ": ", strlen(DIVERGENCE) + 4) == 0 &&
	    strcmp(e->summary + n + strlen(DIVERGENCE) + 4, DIVERGENCE_NO_NAMES) != 0;
}

cJSON *
alert_record(const struct alert_ev *e)
{
	char key[MCP_SLUG_MAX + 64];
	cJSON *o;
	int reset;

	if (strcmp(e->event, "test") == 0)
		snprintf(key, sizeof(key), "%s:test:%.0f", e->slug, e->started);
	else if (e->track != NULL && e->expires > 0)
		snprintf(key, sizeof(key), "%s:%s:%.0f", e->slug, e->track, e->expires);
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
	reset = summary_add(o, e);
	cJSON_AddNumberToObject(o, "at", mcp_ms_round(mcp_now()));
	if (e->duration >= 0)
		cJSON_AddNumberToObject(o, "duration_s", e->duration);
	if (e->layer != NULL)
		cJSON_AddStringToObject(o, "layer", e->layer);
	if (e->track != NULL)
		cJSON_AddStringToObject(o, "kind", e->track);
	if (e->expires > 0)
		cJSON_AddNumberToObject(o, "expires_at", e->expires);
	if (e->fingerprint != NULL)
		cJSON_AddStringToObject(o, "fingerprint", e->fingerprint);
	if (e->tool_hash != NULL && e->tool_hash[0] != '\0')
		cJSON_AddStringToObject(o, "tool_hash", e->tool_hash);
	if (e->change_class != NULL)
		cJSON_AddStringToObject(o, "change_class", e->change_class);
	/*
	 * A tools kind's summary names the monitored server's tools as its
	 * list does (cut, what a reader would not see made "?"): said so for
	 * whoever, or whatever model, reads the record.
	 */
	if ((e->track != NULL && strncmp(e->track, "tools-", 6) == 0) || divergence_said(e))
		cJSON_AddStringToObject(o, "untrusted", ALERT_UNTRUSTED);
	if (e->findings != NULL) {
		cJSON_AddTrueToObject(o, "security");
		cJSON_AddItemToObject(o, "findings", cJSON_Duplicate(e->findings, 1));
	}
	if (e->escalation > 0)
		cJSON_AddNumberToObject(o, "escalation", e->escalation);
	if (e->suppressed != NULL) {
		cJSON_AddStringToObject(o, "suppressed", e->suppressed);
		if (e->silence > 0) {
			cJSON_AddNumberToObject(o, "silence", (double)e->silence);
			cJSON_AddStringToObject(o, "reason", e->reason);
		} else
			cJSON_AddStringToObject(o, "maintenance", e->reason);
	}
	if (reset)
		cJSON_AddTrueToObject(o, "store_reset");
	return o;
}

static void
report(const char *why)
{
	warnx("redis: %s", why);
}

struct cmd {
	int argc;
	const char **argv;
	redisReply *r;
};

static enum mcp_store_status
cmd_once(struct mcp_store *st, void *arg, char *err, size_t errlen)
{
	struct cmd *c = arg;

	freeReplyObject(c->r);
	c->r = mcp_store_cmd(st, c->argc, c->argv, err, errlen);
	return mcp_store_retryable(st, c->r) ? MCP_STORE_AGAIN : MCP_STORE_OK;
}

/*
 * A write of mcp-alert's own (its marker, a route's pace, a group, a
 * lock) that a full store refused, tried again as a script Redis runs
 * past maxmemory (flags=allow-oom): a few bytes a run, so that the pages
 * it owes are still delivered (mcp-store(7), "A full store").
 */
static void
cmd_reserve(struct mcp_store *st, struct cmd *c, char *err, size_t errlen)
{
	static const char wrap_lua[] = "#!lua flags=allow-oom\n"
	                               "local a = {ARGV[1], KEYS[1]}\n"
	                               "for i = 2, #ARGV do a[#a + 1] = ARGV[i] end\n"
	                               "return redis.call(unpack(a))\n";
	const char **a;
	redisReply *r;
	int i;

	if (c->argc < 2 || strcmp(c->argv[0], "EVAL") == 0 || strcmp(c->argv[0], "EVALSHA") == 0 ||
	    (a = calloc((size_t)c->argc + 3, sizeof(*a))) == NULL)
		return;
	a[0] = "EVAL", a[1] = wrap_lua, a[2] = "1", a[3] = c->argv[1], a[4] = c->argv[0];
	for (i = 2; i < c->argc; i++)
		a[i + 3] = c->argv[i];
	if ((r = mcp_store_cmd(st, c->argc + 3, a, err, errlen)) != NULL) {
		freeReplyObject(c->r);
		c->r = r;
	}
	free(a);
}

redisReply *
alert_cmd(struct mcp_store *st, int argc, const char **argv)
{
	/* Every command here is idempotent: after a reconnect, send it again. */
	static const struct mcp_store_retry rp = {2, 0, NULL};
	struct cmd c = {argc, argv, NULL};
	char err[512];

	if (mcp_store_run(st, &rp, cmd_once, &c, err, sizeof(err)) == MCP_STORE_DOWN) {
		warnx("redis: %s", err);
		freeReplyObject(c.r);
		return NULL;
	}
	if (mcp_full_oom(c.r))
		cmd_reserve(st, &c, err, sizeof(err));
	if (c.r == NULL) {
		warnx("redis: %s: %s", argv[0], err);
		return NULL;
	}
	if (c.r->type == REDIS_REPLY_ERROR) {
		warnx("redis: %s: %s", argv[0], c.r->str);
		freeReplyObject(c.r);
		return NULL;
	}
	return c.r;
}

/* "PREFIX" and n in decimal, then CRLF. */
static int
resp_len(struct mcp_buf *b, char prefix, size_t n)
{
	char d[24], *q = d + sizeof(d);

	*--q = '\n', *--q = '\r';
	do
		*--q = (char)('0' + n % 10);
	while ((n /= 10) > 0);
	*--q = prefix;
	return mcp_buf_add(b, q, (size_t)(d + sizeof(d) - q));
}

/*
 * p's commands as the protocol's text, appended to the connection's
 * output at once: hiredis formats argument by argument, with a format of
 * its own each, and that was a sixth of a quiet run's CPU.  0, or -1.
 */
static int
pipe_append(redisContext *c, const struct alert_pipe *p)
{
	struct mcp_buf b = {0};
	size_t len;
	int i, k, rc = 0;

	for (i = 0; rc == 0 && i < p->n; i++) {
		rc = resp_len(&b, '*', (size_t)p->argc[i]);
		for (k = 0; rc == 0 && k < p->argc[i]; k++) {
			len = strlen(p->argv[i][k]);
			if (resp_len(&b, '$', len) == -1 ||
			    mcp_buf_add(&b, p->argv[i][k], len) == -1 ||
			    mcp_buf_add(&b, "\r\n", 2) == -1)
				rc = -1;
		}
	}
	if (rc == 0 && b.len > 0 && redisAppendFormattedCommand(c, b.p, b.len) != REDIS_OK)
		rc = -1;
	mcp_buf_free(&b);
	return rc;
}

static enum mcp_store_status
pipe_once(struct mcp_store *st, void *arg, char *err, size_t errlen)
{
	struct alert_pipe *p = arg;
	redisContext *c = mcp_store_is_cluster(st) ? NULL : mcp_store_ctx(st);
	int i;

	snprintf(err, errlen, "out of memory");
	if (c != NULL && pipe_append(c, p) == -1)
		goto fail;
	for (i = 0; c == NULL && i < p->n; i++)
		if (mcp_store_appendv(st, p->argc[i], p->argv[i], NULL) == -1)
			goto fail;
	for (i = 0; i < p->n; i++)
		if (mcp_store_read(st, &p->r[i], 1, err, errlen) == -1)
			goto fail;
	/* READONLY, LOADING, MASTERDOWN: a failover; the caller starts over. */
	for (i = 0; i < p->n; i++)
		if (p->r[i]->type == REDIS_REPLY_ERROR && mcp_store_retryable(st, p->r[i])) {
			snprintf(err, errlen, "%s", p->r[i]->str);
			alert_pipe_free(p);
			return MCP_STORE_AGAIN;
		}
	return MCP_STORE_OK;
fail:
	alert_pipe_free(p);
	return MCP_STORE_AGAIN;
}

int
alert_pipe_run(struct mcp_store *st, struct alert_pipe *p)
{
	/* One round, and a reconnect after a failure for the caller's next. */
	static const struct mcp_store_retry rp = {1, 1, report};
	char err[512];

	memset(p->r, 0, sizeof(p->r));
	return mcp_store_run(st, &rp, pipe_once, p, err, sizeof(err)) == MCP_STORE_OK ? 0 : -1;
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
