/*
 * epoch.c - a store that forgot mcp-alert's state says so (mcp-store(7),
 * "Persistence").  The hash mcp:alert:epoch holds since (when mcp-alert
 * first wrote state in this store), redis (the run_id of the Redis that
 * holds it) and, once a loss was seen, reset (when).  The state is known
 * lost when the marker a process saw is gone or was made anew, or when
 * Redis restarted without an append-only file (its state is a snapshot's).
 * From then on, a record of an incident that began before the loss was
 * seen may repeat a page the store forgot: it carries "store_reset":true
 * and its summary says so.  A store without a marker that no process
 * saw is a first run as far as anyone can tell, and nothing is said: a
 * store without persistence restarted between two runs of a cron job
 * looks the same (check warns of such a store).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"

#define EPOCH_KEY "mcp:alert:epoch"

double alert_reset_at;

/* The value of "name:" in the text of INFO, into buf ("" when absent). */
static void
info_field(const char *info, const char *name, char *buf, size_t len)
{
	const char *p = info;
	size_t n = strlen(name), k;

	buf[0] = '\0';
	while (p != NULL && *p != '\0') {
		if (strncmp(p, name, n) == 0 && p[n] == ':') {
			k = strcspn(p + n + 1, "\r\n");
			snprintf(buf, len, "%.*s", (int)(k < len ? k : len - 1), p + n + 1);
			return;
		}
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
}

/* INFO SECTION's field name into buf; -1 when the store fails. */
static int
info(struct mcp_store *st, const char *section, const char *name, char *buf, size_t len)
{
	const char *argv[] = {"INFO", section};
	redisReply *r;

	if ((r = alert_cmd(st, 2, argv)) == NULL)
		return -1;
	info_field(r->type == REDIS_REPLY_STRING ? r->str : "", name, buf, len);
	freeReplyObject(r);
	return 0;
}

static int
hset(struct mcp_store *st, const char *field, const char *value)
{
	const char *argv[] = {"HSET", EPOCH_KEY, field, value};
	redisReply *r;

	if ((r = alert_cmd(st, 4, argv)) == NULL)
		return -1;
	freeReplyObject(r);
	return 0;
}

static const char *
hm_of(double t)
{
	static char buf[32];

	if (mcp_iso8601(t, buf, sizeof(buf)) == -1)
		snprintf(buf, sizeof(buf), "?");
	return buf;
}

/* Make the marker if there is none (another process may have just made it): its since. */
static double
make(struct mcp_store *st, const char *now)
{
	const char *set[] = {"HSETNX", EPOCH_KEY, "since", now},
	           *get[] = {"HGET", EPOCH_KEY, "since"};
	redisReply *r;
	double since = -1;

	if ((r = alert_cmd(st, 4, set)) == NULL)
		return -1;
	freeReplyObject(r);
	if ((r = alert_cmd(st, 3, get)) == NULL)
		return -1;
	if (r->type == REDIS_REPLY_STRING)
		since = mcp_time_of(r->str);
	freeReplyObject(r);
	return since;
}

/*
 * How the state of the store stands, as it is about to be used; what was
 * lost said once.  0, or -1 when the store fails.
 */
int
alert_epoch(struct mcp_store *st, const struct alert_conf *c)
{
	static double seen; /* the since of the marker this process saw, 0: none */
	static int asked;   /* Redis's run_id compared, once a process */
	const char *get[] = {"HMGET", EPOCH_KEY, "since", "redis", "reset"};
	char id[64] = "", aof[8] = "", was[64] = "", now[32];
	double since = -1, reset = -1;
	redisReply *r;
	int lost = 0;

	if (c->dry_run)
		return 0;
	snprintf(now, sizeof(now), "%.3f", mcp_now());
	if ((r = alert_cmd(st, 5, get)) == NULL)
		return -1;
	if (r->type == REDIS_REPLY_ARRAY && r->elements == 3) {
		if (r->element[0]->type == REDIS_REPLY_STRING)
			since = mcp_time_of(r->element[0]->str);
		if (r->element[1]->type == REDIS_REPLY_STRING)
			snprintf(was, sizeof(was), "%s", r->element[1]->str);
		if (r->element[2]->type == REDIS_REPLY_STRING)
			reset = mcp_time_of(r->element[2]->str);
	}
	freeReplyObject(r);
	if (!asked &&
	    (info(st, "server", "run_id", id, sizeof(id)) == -1 ||
	        info(st, "persistence", "aof_enabled", aof, sizeof(aof)) == -1))
		return -1;
	if (since < 0 && seen > 0) {
		warnx("the store lost mcp-alert's state (its marker of %s is gone): the incidents "
		      "still open page again as new, marked store_reset",
		    hm_of(seen));
		lost = 1;
	} else if (since >= 0 && seen > 0 && since != seen) {
		warnx("the store's state of mcp-alert was made anew at %s: the incidents still "
		      "open page again as new, marked store_reset",
		    hm_of(since));
		lost = reset < since;
	} else if (since >= 0 && !asked && was[0] != '\0' && id[0] != '\0' &&
	    strcmp(was, id) != 0 && strcmp(aof, "0") == 0) {
		warnx("the store restarted without an append-only file: mcp-alert's state is a "
		      "snapshot's, what changed after it is lost; the incidents still open page "
		      "again as new, marked store_reset");
		lost = 1;
	}
	if (lost && (reset = mcp_time_of(now), hset(st, "reset", now) == -1))
		return -1;
	if (since < 0 && (since = make(st, now)) < 0)
		return -1;
	if (!asked && id[0] != '\0' && strcmp(was, id) != 0 && hset(st, "redis", id) == -1)
		return -1;
	seen = since, asked = 1;
	alert_reset_at = reset > 0 ? reset : 0;
	return 0;
}
