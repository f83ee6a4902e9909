/*
 * silence.c - mcp-alert silence: silences by matcher (slug glob, track,
 * region, severity), held in the hash mcp:alert:silences, one JSON
 * object per id.  What a silence matches is suppressed as maintenance
 * suppresses (emit_to in rules.c).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert.h"
#include "json.h"
#include "rules.h"

#define SIL_KEY "mcp:alert:silences"
#define SIL_SEQ "mcp:alert:silence:next"
#define SIL_MAX 256

static struct silence sils[SIL_MAX];
static int nsils, loaded;

/* Every silence in the store, expired or not; 0 or -1. */
static int
load(struct mcp_store *st)
{
	const char *argv[] = {"HGETALL", SIL_KEY};
	const char *bad;
	struct silence *s;
	redisReply *r;
	cJSON *o;
	size_t i;

	nsils = 0;
	if ((r = alert_cmd(st, 2, argv)) == NULL)
		return -1;
	for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements && nsils < SIL_MAX;
	     i += 2) {
		if (r->element[i + 1]->str == NULL ||
		    (o = mcp_json_parse(
		         r->element[i + 1]->str, strlen(r->element[i + 1]->str), &bad)) == NULL)
			continue;
		s = &sils[nsils++];
		memset(s, 0, sizeof(*s));
		s->id = (long)mcp_json_num(o, "id");
		snprintf(s->slug, sizeof(s->slug), "%s", mcp_json_str(o, "slug", ""));
		snprintf(s->track, sizeof(s->track), "%s", mcp_json_str(o, "track", ""));
		snprintf(s->region, sizeof(s->region), "%s", mcp_json_str(o, "region", ""));
		snprintf(s->sev, sizeof(s->sev), "%s", mcp_json_str(o, "severity", ""));
		snprintf(s->reason, sizeof(s->reason), "%s", mcp_json_str(o, "reason", ""));
		s->start = mcp_json_num(o, "start"), s->end = mcp_json_num(o, "end");
		cJSON_Delete(o);
	}
	freeReplyObject(r);
	loaded = 1;
	return 0;
}

void
alert_silences_reload(void)
{
	loaded = 0;
}

const struct silence *
alert_silenced(struct mcp_store *st, const struct alert_ev *e, double now)
{
	const char *track = e->track != NULL ? e->track : "down";
	int i;

	/* No store (the fuzz harness of the rules): no silence. */
	if (st == NULL || (!loaded && load(st) == -1))
		return NULL;
	for (i = 0; i < nsils; i++) {
		const struct silence *s = &sils[i];

		if (s->start > now || now >= s->end || fnmatch(s->slug, e->slug, 0) != 0)
			continue;
		if (s->track[0] && strcmp(s->track, track) != 0)
			continue;
		if (s->sev[0] && strcmp(s->sev, e->severity) != 0)
			continue;
		if (s->region[0] && !(e->regions != NULL && in_array(e->regions, s->region)))
			continue;
		return s;
	}
	return NULL;
}

/* "silence: why", the usage of silence add, exit 2. */
static _Noreturn void
usage_err(const char *why)
{
	alert_usage_exit("silence", "add", "silence: %s", why);
}

static int
track_ok(const char *t)
{
	int i;

	for (i = 0; i < NTRACKS; i++)
		if (strcmp(t, i == T_DOWN ? "down" : track_kind[i]) == 0)
			return 1;
	return strcmp(t, WD_SILENT) == 0 || strcmp(t, WD_BLIND) == 0 || strcmp(t, WD_FAULT) == 0 ||
	    strcmp(t, WD_SHORT) == 0 || strcmp(t, WD_FULL) == 0;
}

const struct option alert_opts_silence[] = {{"for", required_argument, NULL, 'f'},
    {"until", required_argument, NULL, 'u'}, {"reason", required_argument, NULL, 'r'},
    {NULL, 0, NULL, 0}};

static int
sil_add(struct mcp_store *st, const struct alert_conf *c, int argc, char **argv)
{
	const char *reason = NULL, *incr[] = {"INCR", SIL_SEQ};
	const char *hset[] = {"HSET", SIL_KEY, NULL, NULL};
	struct silence s;
	double now = mcp_now(), end = -1;
	char id[32], *line, b[32];
	redisReply *r;
	cJSON *o;
	long d;
	int ch, i;

	memset(&s, 0, sizeof(s));
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", alert_opts_silence, NULL)) != -1) {
		if (ch == 'f' && (d = alert_duration(optarg)) <= 0)
			usage_err("--for: not a duration (N, Ns, Nm, Nh, Nd)");
		else if (ch == 'f')
			end = now + (double)d;
		else if (ch == 'u' && (end = alert_time_of(optarg)) < 0)
			usage_err("--until: not a time");
		else if (ch == 'r')
			reason = optarg;
		else if (ch == '?')
			usage_err("an unknown option");
	}
	for (i = optind; i < argc; i++) {
		char *v = strchr(argv[i], '=');
		size_t k = v != NULL ? (size_t)(v - argv[i]) : 0;

		if (v == NULL)
			usage_err("a matcher is NAME=VALUE");
		v++;
		if (k == 4 && strncmp(argv[i], "slug", 4) == 0 && strlen(v) < sizeof(s.slug) &&
		    *v != '\0')
			snprintf(s.slug, sizeof(s.slug), "%s", v);
		else if (k == 5 && strncmp(argv[i], "track", 5) == 0 && track_ok(v))
			snprintf(s.track, sizeof(s.track), "%s", v);
		else if (k == 6 && strncmp(argv[i], "region", 6) == 0 && mcp_slug_ok(v))
			snprintf(s.region, sizeof(s.region), "%s", v);
		else if (k == 8 && strncmp(argv[i], "severity", 8) == 0 &&
		    (strcmp(v, "P1") == 0 || strcmp(v, "P2") == 0 || strcmp(v, "P3") == 0))
			snprintf(s.sev, sizeof(s.sev), "%s", v);
		else {
			warnx("silence add: %s: not a matcher (slug=GLOB, track=T, region=R, "
			      "severity=P1|P2|P3)",
			    argv[i]);
			return MCP_EXIT_USAGE;
		}
	}
	if (s.slug[0] == '\0')
		usage_err("add: slug=GLOB is required");
	if (end < 0)
		usage_err("add: --for DURATION or --until TIME is required");
	if (reason == NULL)
		usage_err("add: --reason TEXT is required");
	if (strlen(reason) > ALERT_REASON_MAX || !mcp_utf8_valid(reason, strlen(reason))) {
		warnx("silence add: --reason: not UTF-8 of at most %d bytes", ALERT_REASON_MAX);
		return MCP_EXIT_USAGE;
	}
	if (end <= now) {
		warnx("silence add: the silence ends before it starts");
		return MCP_EXIT_USAGE;
	}
	if (end - now > c->maint_max) {
		warnx("silence add: a silence of %.0f s is longer than maint_max (%ld s); capped",
		    end - now, c->maint_max);
		end = now + (double)c->maint_max;
	}
	if ((r = alert_cmd(st, 2, incr)) == NULL)
		return MCP_EXIT_FAIL;
	s.id = (long)r->integer;
	freeReplyObject(r);
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "id", (double)s.id);
	cJSON_AddStringToObject(o, "slug", s.slug);
	if (s.track[0])
		cJSON_AddStringToObject(o, "track", s.track);
	if (s.region[0])
		cJSON_AddStringToObject(o, "region", s.region);
	if (s.sev[0])
		cJSON_AddStringToObject(o, "severity", s.sev);
	cJSON_AddNumberToObject(o, "start", mcp_ms_round(now));
	cJSON_AddNumberToObject(o, "end", mcp_ms_round(end));
	cJSON_AddStringToObject(o, "reason", reason);
	line = alert_print(o);
	snprintf(id, sizeof(id), "%ld", s.id);
	hset[2] = id, hset[3] = line;
	r = alert_cmd(st, 4, hset);
	free(line);
	if (r == NULL)
		return MCP_EXIT_FAIL;
	freeReplyObject(r);
	mcp_iso8601(end, b, sizeof(b));
	printf("silence %ld until %s\n", s.id, b);
	return MCP_EXIT_OK;
}

static int
id_cmp(const void *a, const void *b)
{
	const struct silence *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static int
sil_list(struct mcp_store *st, int json)
{
	char a[32], b[32], *line;
	double now = mcp_now();
	cJSON *o;
	int i;

	if (load(st) == -1)
		return MCP_EXIT_FAIL;
	qsort(sils, (size_t)nsils, sizeof(sils[0]), id_cmp);
	if (!json)
		printf("%-4s %-24s %-16s %-16s %-4s %-20s %s\n", "ID", "SLUG", "TRACK", "REGION",
		    "SEV", "UNTIL", "REASON");
	for (i = 0; i < nsils; i++) {
		const struct silence *s = &sils[i];

		if (s->end <= now)
			continue;
		mcp_iso8601(s->start, a, sizeof(a)), mcp_iso8601(s->end, b, sizeof(b));
		if (!json) {
			printf("%-4ld %-24s %-16s %-16s %-4s %-20s %s\n", s->id, s->slug,
			    s->track[0] ? s->track : "*", s->region[0] ? s->region : "*",
			    s->sev[0] ? s->sev : "*", b, s->reason);
			continue;
		}
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "id", (double)s->id);
		cJSON_AddStringToObject(o, "slug", s->slug);
		cJSON_AddStringToObject(o, "track", s->track);
		cJSON_AddStringToObject(o, "region", s->region);
		cJSON_AddStringToObject(o, "severity", s->sev);
		cJSON_AddNumberToObject(o, "start", s->start);
		cJSON_AddNumberToObject(o, "end", s->end);
		cJSON_AddStringToObject(o, "reason", s->reason);
		line = alert_print(o);
		printf("%s\n", line);
		free(line);
	}
	return MCP_EXIT_OK;
}

static int
sil_expire(struct mcp_store *st, const char *id)
{
	const char *del[] = {"HDEL", SIL_KEY, id};
	redisReply *r;
	long long n;

	if (id[0] == '\0' || strspn(id, "0123456789") != strlen(id))
		alert_usage_exit(
		    "silence", "expire", "silence: expire: ID is a number (silence list)");
	if ((r = alert_cmd(st, 3, del)) == NULL)
		return MCP_EXIT_FAIL;
	n = r->type == REDIS_REPLY_INTEGER ? r->integer : 0;
	freeReplyObject(r);
	if (n == 0) {
		warnx("silence expire: %s: no such silence", id);
		return MCP_EXIT_FAIL;
	}
	return MCP_EXIT_OK;
}

int
alert_silence_main(struct mcp_store *st, const struct alert_conf *c, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return sil_add(st, c, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return sil_list(st, alert_json_arg(argc - 1, argv + 1));
	if (argc == 3 && strcmp(argv[1], "expire") == 0)
		return sil_expire(st, argv[2]);
	alert_usage_exit("silence", NULL, "silence: want add, list or expire");
}
