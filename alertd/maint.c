/*
 * maint.c - mcp-alert maint: maintenance windows, one per slug, in the hash
 * mcp:{slug}:alert:maint.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert.h"
#include "json.h"
#include "rec.h"

#define KEEP (7 * 86400) /* how long a window's hash outlives its end */

static void
mkey(char *buf, size_t len, const char *slug)
{
	snprintf(buf, len, "mcp:{%s}:alert:maint", slug);
}

/* Epoch seconds or ISO-8601 UTC (2026-11-24T16:00:00Z), up to ALERT_TIME_MAX; -1 when not. */
static double
time_of(const char *s)
{
	struct tm tm;
	const char *end;
	double t;

	if (s[0] != '\0' && strspn(s, "0123456789.") == strlen(s))
		t = mcp_parse_seconds(s);
	else {
		memset(&tm, 0, sizeof(tm));
		if ((end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm)) == NULL || *end != '\0')
			return -1;
		t = (double)timegm(&tm);
	}
	return t <= ALERT_TIME_MAX ? t : -1;
}

double
alert_time_of(const char *s)
{
	return time_of(s);
}

void
alert_maint_key(char *buf, size_t len, const char *slug)
{
	mkey(buf, len, slug);
}

int
alert_maint_parse(const redisReply *r, struct alert_maint *m)
{
	size_t i;
	int found = 0;

	memset(m, 0, sizeof(*m));
	for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
		const char *f = r->element[i]->str, *v = r->element[i + 1]->str;

		found = 1;
		if (strcmp(f, "start") == 0)
			m->start = strtod(v, NULL);
		else if (strcmp(f, "end") == 0)
			m->end = strtod(v, NULL);
		else if (strcmp(f, "reason") == 0)
			snprintf(m->reason, sizeof(m->reason), "%s", v);
	}
	return found;
}

static int
read_maint(struct mcp_store *st, const char *key, struct alert_maint *m)
{
	const char *argv[] = {"HGETALL", key};
	redisReply *r;
	int found;

	if ((r = alert_cmd(st, 2, argv)) == NULL)
		return -1;
	found = alert_maint_parse(r, m);
	freeReplyObject(r);
	return found;
}

int
alert_slug_known(struct mcp_store *st, const char *slug)
{
	char key[MCP_SLUG_MAX + 32];
	const char *zs[] = {"ZSCORE", "mcp:slugs", slug}, *ex[] = {"EXISTS", key};
	redisReply *r;
	int known;

	if ((r = alert_cmd(st, 3, zs)) == NULL)
		return -1;
	known = r->type == REDIS_REPLY_STRING;
	freeReplyObject(r);
	if (known)
		return 1;
	snprintf(key, sizeof(key), "mcp:{%s}:alert", slug);
	if ((r = alert_cmd(st, 2, ex)) == NULL)
		return -1;
	known = r->type == REDIS_REPLY_INTEGER && r->integer > 0;
	freeReplyObject(r);
	return known;
}

const struct option alert_opts_maint[] = {{"start", required_argument, NULL, 's'},
    {"end", required_argument, NULL, 'e'}, {"for", required_argument, NULL, 'f'},
    {"reason", required_argument, NULL, 'r'}, {"force", no_argument, NULL, 'F'},
    {NULL, 0, NULL, 0}};

static int
maint_add(struct mcp_store *st, const struct alert_conf *c, int argc, char **argv)
{
	struct alert_maint old;
	char a[32], b[32];
	int force = 0, known;
	double start = mcp_now(), end = -1, now = start;
	const char *reason = NULL, *slug;
	char key[MCP_SLUG_MAX + 32], s[32], e[32], ttl[32];
	const char *cmd[] = {"HSET", key, "start", s, "end", e, "reason", NULL};
	const char *ex[] = {"EXPIRE", key, ttl};
	redisReply *r;
	long d;
	int ch;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", alert_opts_maint, NULL)) != -1) {
		if (ch == 's' && (start = time_of(optarg)) < 0)
			errx(MCP_EXIT_USAGE, "maint add: --start %s: not a time", optarg);
		else if (ch == 'e' && (end = time_of(optarg)) < 0)
			errx(MCP_EXIT_USAGE, "maint add: --end %s: not a time", optarg);
		else if (ch == 'f' && (d = alert_duration(optarg)) <= 0)
			errx(MCP_EXIT_USAGE, "maint add: --for %s: not a duration", optarg);
		else if (ch == 'f')
			end = -2 - d;
		else if (ch == 'r')
			reason = optarg;
		else if (ch == 'F')
			force = 1;
		else if (ch == '?')
			alert_usage_exit(
			    "maint", "add", "maint add: %s: unknown option", argv[optind - 1]);
	}
	/* One SLUG, anywhere among the options (alert_cli_check counted it). */
	if (optind != argc - 1)
		alert_usage_exit("maint", "add", "maint add: want SLUG");
	if (!mcp_slug_ok(slug = argv[optind]))
		errx(MCP_EXIT_USAGE, "maint add: %s: bad slug", slug);
	if (end == -1)
		errx(MCP_EXIT_USAGE, "maint add: %s: --end TIME or --for DURATION is required",
		    slug);
	if (reason == NULL)
		errx(MCP_EXIT_USAGE, "maint add: %s: --reason TEXT is required", slug);
	/* It is printed in records as it is: never cut, never rewritten. */
	if (strlen(reason) > ALERT_REASON_MAX || !mcp_utf8_valid(reason, strlen(reason)))
		errx(MCP_EXIT_USAGE, "maint add: --reason: not UTF-8 of at most %d bytes",
		    ALERT_REASON_MAX);
	if (end < -1)
		end = start + (-2 - end);
	if (end <= start)
		errx(MCP_EXIT_USAGE, "maint add: %s: the window ends before it starts", slug);
	/* A slug never seen is most likely a typo: its window would hold back nothing. */
	if (!force && (known = alert_slug_known(st, slug)) != 1) {
		if (known == -1)
			return MCP_EXIT_FAIL;
		errx(MCP_EXIT_USAGE,
		    "maint add: %s: no such slug (never probed, no alert state); --force to add "
		    "it anyway",
		    slug);
	}
	if (end - start > c->maint_max) {
		warnx("maint add: %s: a window of %.0f s is longer than %ld s; capped at %ld s",
		    slug, end - start, c->maint_max, c->maint_max);
		end = start + c->maint_max;
	}
	mkey(key, sizeof(key), slug);
	if (read_maint(st, key, &old) == 1 && old.end > now) {
		mcp_iso8601(old.start, a, sizeof(a)), mcp_iso8601(old.end, b, sizeof(b));
		warnx("maint add: %s: replaces the window %s to %s (%s)", slug, a, b, old.reason);
	}
	snprintf(s, sizeof(s), "%.0f", start);
	snprintf(e, sizeof(e), "%.0f", end);
	snprintf(ttl, sizeof(ttl), "%.0f", (end > now ? end - now : 0) + KEEP);
	cmd[7] = reason;
	if ((r = alert_cmd(st, 8, cmd)) == NULL)
		return MCP_EXIT_FAIL;
	freeReplyObject(r);
	if ((r = alert_cmd(st, 3, ex)) == NULL)
		return MCP_EXIT_FAIL;
	freeReplyObject(r);
	/* Its subscribers are told at the next run: announced, started, ended. */
	return alert_page_maint_changed(st, slug, end) == -1 ? MCP_EXIT_FAIL : MCP_EXIT_OK;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct scan {
	char **keys;
	size_t n;
};

/* The keys of the windows, by SCAN on the server or on each master of a cluster. */
static enum mcp_store_status
scan_once(struct mcp_store *st, void *arg, char *err, size_t errlen)
{
	struct scan *s = arg;

	if (mcp_store_scan(st, "mcp:{*}:alert:maint", &s->keys, &s->n, err, errlen) == -1)
		return MCP_STORE_AGAIN;
	return MCP_STORE_OK;
}

/* The slugs with a window, sorted; owned strings in *out. */
static int
maint_keys(struct mcp_store *st, char ***out, size_t *n)
{
	static const struct mcp_store_retry rp = {2, 0, NULL};
	struct scan s = {NULL, 0};
	char why[512];

	if (mcp_store_run(st, &rp, scan_once, &s, why, sizeof(why)) != MCP_STORE_OK) {
		warnx("redis: %s", why);
		return -1;
	}
	qsort(s.keys, s.n, sizeof(*s.keys), cmp_str);
	*out = s.keys, *n = s.n;
	return 0;
}

static int
maint_list(struct mcp_store *st, int json)
{
	char a[32], b[32];
	struct alert_maint m;
	char **keys, slug[MCP_SLUG_MAX + 1], err[256];
	size_t n, i;
	cJSON *o;
	int rc = MCP_EXIT_OK;

	if (maint_keys(st, &keys, &n) == -1)
		return MCP_EXIT_FAIL;
	if (!json)
		printf("%-24s %-20s %-20s %-6s %s\n", "SLUG", "START", "END", "ACTIVE", "REASON");
	for (i = 0; i < n; i++) {
		if (rc != MCP_EXIT_OK || read_maint(st, keys[i], &m) != 1 ||
		    sscanf(keys[i], "mcp:{%80[a-z0-9._-]}", slug) != 1) {
			free(keys[i]);
			continue;
		}
		if (!json) {
			mcp_iso8601(m.start, a, sizeof(a)), mcp_iso8601(m.end, b, sizeof(b));
			printf("%-24s %-20s %-20s %-6s %s\n", slug, a, b,
			    m.start <= mcp_now() && mcp_now() < m.end ? "yes" : "no", m.reason);
		} else {
			o = cJSON_CreateObject();
			cJSON_AddNumberToObject(o, "v", 1);
			cJSON_AddStringToObject(o, "type", "maint");
			cJSON_AddStringToObject(o, "slug", slug);
			cJSON_AddNumberToObject(o, "start", m.start);
			cJSON_AddNumberToObject(o, "end", m.end);
			cJSON_AddStringToObject(o, "reason", m.reason);
			cJSON_AddBoolToObject(
			    o, "active", m.start <= mcp_now() && mcp_now() < m.end);
			if (mcp_rec_write(stdout, o, err, sizeof(err)) == -1) {
				mcp_stdout_failed();
				rc = MCP_EXIT_FAIL;
			}
			cJSON_Delete(o);
		}
		free(keys[i]);
	}
	free(keys);
	return rc;
}

/*
 * End a window now: one still running is cut to end now (kept, so that
 * the post-maintenance check knows when it ended); one already over is
 * removed.
 */
static int
maint_end(struct mcp_store *st, const char *slug)
{
	char key[MCP_SLUG_MAX + 32], e[32];
	const char *del[] = {"DEL", key}, *cut[] = {"HSET", key, "end", e};
	struct alert_maint m;
	double now = mcp_now();
	redisReply *r;
	int rc;

	if (!mcp_slug_ok(slug))
		errx(MCP_EXIT_USAGE, "maint end: %s: bad slug", slug);
	mkey(key, sizeof(key), slug);
	if ((rc = read_maint(st, key, &m)) == -1)
		return MCP_EXIT_FAIL;
	if (rc == 0) {
		warnx("maint end: %s: no maintenance window", slug);
		return MCP_EXIT_FAIL;
	}
	snprintf(e, sizeof(e), "%.0f", now > m.start ? now : m.start);
	if ((r = alert_cmd(st, m.end > now ? 4 : 2, m.end > now ? cut : del)) == NULL)
		return MCP_EXIT_FAIL;
	freeReplyObject(r);
	return alert_page_maint_changed(st, slug, now) == -1 ? MCP_EXIT_FAIL : MCP_EXIT_OK;
}

/* argv[0] is "add", "list" or "end"; -1 for a usage error. */
int
alert_maint_main(struct mcp_store *st, const struct alert_conf *c, int argc, char **argv)
{
	if (strcmp(argv[0], "add") == 0)
		return maint_add(st, c, argc, argv);
	if (strcmp(argv[0], "list") == 0)
		return maint_list(st, alert_json_arg(argc, argv));
	if (strcmp(argv[0], "end") == 0 && argc == 2)
		return maint_end(st, argv[1]);
	return -1;
}
