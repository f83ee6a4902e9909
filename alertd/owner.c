/*
 * owner.c - which configuration decides a store (mcp-alert(1), "The
 * deciding configuration"): the key mcp:alert:owner holds the absolute
 * path of the configuration whose routes the store's incidents were
 * announced to.  A run with another configuration, or none, would take
 * deliveries that configuration owes its routes (a trigger decided with
 * no route is told to nobody, and so are its reminders and its resolve),
 * so it is refused unless it is a dry run.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"

int
alert_owner(struct mcp_store *st, const struct alert_conf *c, const char *path, int claim)
{
	const char *get[] = {"GET", ALERT_OWNER_KEY};
	const char *set[] = {"SET", ALERT_OWNER_KEY, path, "NX"};
	redisReply *r;
	char owner[4096];
	int i;

	if (claim) {
		set[3] = NULL;
		if ((r = alert_cmd(st, 3, set)) == NULL)
			return -1;
		freeReplyObject(r);
		return 0;
	}
	for (i = 0; i < 2; i++) {
		if ((r = alert_cmd(st, 2, get)) == NULL)
			return -1;
		owner[0] = '\0';
		if (r->type == REDIS_REPLY_STRING)
			snprintf(owner, sizeof(owner), "%s", r->str);
		freeReplyObject(r);
		if (owner[0] != '\0')
			break;
		/* Unclaimed: a configuration with routes claims it; one without owes nobody. */
		if (path == NULL || c->nroutes == 0)
			return 0;
		if ((r = alert_cmd(st, 4, set)) == NULL)
			return -1;
		i = r->type == REDIS_REPLY_STATUS ? 2 : i; /* OK: claimed; nil: another was first */
		freeReplyObject(r);
		if (i == 2)
			return 0;
	}
	if (path != NULL && strcmp(owner, path) == 0)
		return 0;
	warnx(
	    "this store is decided by %s; a run with %s%s would take the deliveries it owes "
	    "its routes: refused (--dry-run shows what it would do; \"mcp-alert -c CONFIG claim\" "
	    "hands the store over)",
	    owner, path ? "" : "no configuration", path ? path : "");
	return 1;
}
