/*
 * incidents.c - mcp-alert incidents [--json]: the open incidents, every track
 * of every slug listed in mcp:alert:open and the watchdog's, as a table
 * or as JSON lines.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert.h"
#include "json.h"
#include "rules.h"

struct row {
	char slug[MCP_SLUG_MAX + 1];
	const char *track;
	char sev[4];
	double since;
	char step[32];
	char regions[REGIONS_JSON_MAX];
	int acked;
	char key[MCP_SLUG_MAX + 64];
};

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regions of a row, "a,b" for the table. */
static void
regions_text(char *buf, size_t len, const char *json)
{
	const char *bad;
	cJSON *a = mcp_json_parse(json, strlen(json), &bad), *e;
	size_t n = 0;

	buf[0] = '\0';
	cJSON_ArrayForEach(e, a)
	{
		if (cJSON_IsString(e) && n + strlen(e->valuestring) + 2 < len)
			n += (size_t)snprintf(
			    buf + n, len - n, "%s%s", n ? "," : "", e->valuestring);
	}
	cJSON_Delete(a);
	if (n == 0)
		snprintf(buf, len, "-");
}

static void
row_print(const struct row *w, int json)
{
	char since[32], regions[1024], *line;
	const char *bad;
	cJSON *o;

	mcp_iso8601(w->since, since, sizeof(since));
	if (!json) {
		regions_text(regions, sizeof(regions), w->regions);
		printf("%-24s %-16s %-4s %-20s %-12s %-5s %s\n", w->slug, w->track, w->sev, since,
		    w->step[0] ? w->step : "-", w->acked ? "yes" : "no", regions);
		return;
	}
	if ((o = cJSON_CreateObject()) == NULL)
		err(MCP_EXIT_FAIL, "cJSON");
	cJSON_AddStringToObject(o, "slug", w->slug);
	cJSON_AddStringToObject(o, "track", w->track);
	cJSON_AddStringToObject(o, "severity", w->sev);
	cJSON_AddNumberToObject(o, "since", w->since);
	if (w->step[0])
		cJSON_AddStringToObject(o, "step", w->step);
	else
		cJSON_AddNullToObject(o, "step");
	cJSON_AddItemToObject(o, "regions",
	    w->regions[0] ? mcp_json_parse(w->regions, strlen(w->regions), &bad)
	                  : cJSON_CreateArray());
	cJSON_AddBoolToObject(o, "acked", w->acked);
	cJSON_AddStringToObject(o, "dedup_key", w->key);
	line = alert_print(o);
	printf("%s\n", line);
	free(line);
}

/* The open tracks of one slug's state. */
static void
slug_rows(const char *slug, const struct state *s, int json)
{
	struct row w;
	int ti;

	for (ti = 0; ti < NTRACKS; ti++) {
		const struct track *t = &s->t[ti];

		if (!t->open)
			continue;
		memset(&w, 0, sizeof(w));
		snprintf(w.slug, sizeof(w.slug), "%s", slug);
		w.track = ti == T_DOWN ? "down" : track_kind[ti];
		snprintf(w.sev, sizeof(w.sev), "%s", t->sev);
		w.since = t->start;
		snprintf(w.step, sizeof(w.step), "%s", t->step);
		snprintf(w.regions, sizeof(w.regions), "%s", t->regions);
		w.acked = t->ack > 0;
		if (ti == T_DOWN)
			snprintf(w.key, sizeof(w.key), "%s:%.0f", slug, t->start);
		else
			snprintf(w.key, sizeof(w.key), "%s:%s:%.0f", slug, track_kind[ti],
			    ti >= T_CERT && s->x[ti - T_CERT].exp > 0 ? s->x[ti - T_CERT].exp
			                                              : t->start);
		row_print(&w, json);
	}
}

/* The watchdog's open incidents. */
static void
wd_rows(const struct wd *d, int json)
{
	struct row w;
	int i;

	/*
	 * i from -1 (the blindness) over the regions three times:
	 * runner-silent, probe-fault, then runner-short.
	 */
	for (i = -1; i < 3 * d->n; i++) {
		const struct track *t = i < 0 ? &d->blind
		    : i < d->n                ? &d->r[i].t
		    : i < 2 * d->n            ? &d->r[i - d->n].pf
		                              : &d->r[i - 2 * d->n].sh;
		const char *slug = i < 0 ? "mcp-uptime" : d->r[i % d->n].name;

		if (!t->open)
			continue;
		memset(&w, 0, sizeof(w));
		snprintf(w.slug, sizeof(w.slug), "%s", slug);
		w.track = i < 0    ? WD_BLIND
		    : i < d->n     ? WD_SILENT
		    : i < 2 * d->n ? WD_FAULT
		                   : WD_SHORT;
		snprintf(w.sev, sizeof(w.sev), "%s", i < 0 ? "P1" : "P2");
		w.since = t->start;
		if (i >= 0)
			snprintf(w.regions, sizeof(w.regions), "[\"%s\"]", slug);
		snprintf(w.key, sizeof(w.key), "%s:%s:%.0f", slug, w.track, t->start);
		row_print(&w, json);
	}
	if (d->full.open) {
		memset(&w, 0, sizeof(w));
		snprintf(w.slug, sizeof(w.slug), "mcp-uptime");
		w.track = WD_FULL;
		snprintf(w.sev, sizeof(w.sev), "P2");
		w.since = d->full.start;
		snprintf(w.key, sizeof(w.key), "mcp-uptime:%s:%.0f", WD_FULL, d->full.start);
		row_print(&w, json);
	}
}

int
alert_incidents(struct mcp_store *st, const struct alert_conf *c, int argc, char **argv)
{
	const char *members[] = {"SMEMBERS", ALERT_OPEN_SET};
	const char *get[] = {"HGETALL", NULL};
	char key[MCP_SLUG_MAX + 32], **slugs;
	struct state *s;
	struct wd *d;
	redisReply *r, *h;
	size_t i, n = 0;
	int json, rc = MCP_EXIT_OK;

	(void)c;
	json = alert_json_arg(argc, argv);
	if ((r = alert_cmd(st, 2, members)) == NULL)
		return MCP_EXIT_FAIL;
	if ((slugs = calloc(r->elements + 1, sizeof(*slugs))) == NULL ||
	    (s = calloc(1, sizeof(*s))) == NULL || (d = calloc(1, sizeof(*d))) == NULL)
		err(MCP_EXIT_FAIL, "calloc");
	for (i = 0; i < r->elements; i++)
		if (r->element[i]->type == REDIS_REPLY_STRING && mcp_slug_ok(r->element[i]->str))
			slugs[n++] = r->element[i]->str;
	qsort(slugs, n, sizeof(*slugs), str_cmp);
	if (!json)
		printf("%-24s %-16s %-4s %-20s %-12s %-5s %s\n", "SLUG", "TRACK", "SEV", "SINCE",
		    "STEP", "ACKED", "REGIONS");
	for (i = 0; i < n; i++) {
		key_of(key, sizeof(key), slugs[i]);
		get[1] = key;
		if ((h = alert_cmd(st, 2, get)) == NULL) {
			rc = MCP_EXIT_FAIL;
			break;
		}
		if (h->type == REDIS_REPLY_ARRAY) {
			state_parse(s, h);
			slug_rows(slugs[i], s, json);
		}
		freeReplyObject(h);
	}
	if (rc == MCP_EXIT_OK && wd_load(st, d) == -1)
		rc = MCP_EXIT_FAIL;
	else if (rc == MCP_EXIT_OK)
		wd_rows(d, json);
	free(slugs);
	free(s);
	free(d);
	freeReplyObject(r);
	return rc;
}
