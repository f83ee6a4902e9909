/*
 * audit.c - mcp-aggregate audit: the reads (every field of
 * mcp:registry:servers, a remote, its history by audithist.c; what the
 * last sync left out; the saved audit), the remotes and then the servers
 * sorted into the buckets of mcp-aggregate(1) "audit" (auditrule.c), the
 * output (auditout.c); --save keeps it in mcp:registry:audit, --dataset
 * writes it as open data (auditdata.c).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "../aggregate/aggregate.h"
#include "audit.h"
#include "json.h"
#include "mcp.h"
#include "rec.h"

/* A duration: seconds, or a number with s, m, h or d; whole minutes, 1 minute to 31 days. */
static long
duration_arg(const char *s)
{
	char *end;
	double d = strtod(s, &end), mul = -1;

	if (end != s && (*end == '\0' || strcmp(end, "s") == 0))
		mul = 1;
	else if (end != s && strcmp(end, "m") == 0)
		mul = 60;
	else if (end != s && strcmp(end, "h") == 0)
		mul = 3600;
	else if (end != s && strcmp(end, "d") == 0)
		mul = 86400;
	d *= mul;
	if (!(d >= AGG_WINDOW && d <= AUDIT_PERIOD_MAX) || (long)d % AGG_WINDOW != 0)
		errx(MCP_EXIT_USAGE, "--period %s: want whole minutes from 1m to 31d", s);
	return (long)d;
}

/* The state of a field not probed, as its bucket; -1 for one to probe. */
static int
state_bucket(const char *status, const char *state)
{
	if (status != NULL && strcmp(status, "deleted") == 0)
		return B_DELETED;
	if (state == NULL)
		return -1;
	if (strcmp(state, "needs-configuration") == 0)
		return B_NEEDS;
	if (strcmp(state, "local-only") == 0)
		return B_LOCAL;
	if (strcmp(state, "refused") == 0)
		return B_REFUSED;
	return -1;
}

/* The registry a field names (the dataset's source): a's first, and whether another. */
static void
registry_of(struct audit *a, const char *url)
{
	if (url == NULL || url[0] == '\0')
		return;
	if (a->registry == NULL) {
		if ((a->registry = strdup(url)) == NULL)
			errx(MCP_EXIT_FAIL, "audit: out of memory");
		a->registries = 1;
	} else if (strcmp(a->registry, url) != 0) {
		a->registries = 2;
	}
}

/* One field of mcp:registry:servers into s; -1 for one that does not read. */
static int
remote_of(struct audit *a, const redisReply *f, const redisReply *v, struct audit_rem *s)
{
	const char *why, *name, *state;
	const cJSON *ix;
	cJSON *o;

	if (f->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING ||
	    !mcp_slug_ok(f->str)) {
		warnx("audit: %s: a field that is not a slug", AUDIT_KEY_SERVERS);
		return -1;
	}
	if ((o = mcp_json_parse(v->str, v->len, &why)) == NULL || !cJSON_IsObject(o)) {
		warnx("audit: %s: %s: %s", AUDIT_KEY_SERVERS, f->str, o ? "not an object" : why);
		cJSON_Delete(o);
		return -1;
	}
	memset(s, 0, sizeof(*s));
	name = mcp_json_str(o, "name", "");
	state = mcp_json_str(o, "state", NULL);
	ix = cJSON_GetObjectItemCaseSensitive(o, "remote");
	s->index = cJSON_IsNumber(ix) && ix->valuedouble >= 0 && ix->valuedouble <= 1e6
	    ? (long)ix->valuedouble
	    : -1;
	s->remote = state == NULL || strcmp(state, "local-only") != 0;
	registry_of(a, mcp_json_str(o, "registry", NULL));
	if ((s->slug = strdup(f->str)) == NULL || (s->name = audit_name_cut(name)) == NULL ||
	    (name[0] != '\0' && (s->key = strdup(name)) == NULL))
		errx(MCP_EXIT_FAIL, "audit: out of memory");
	/*
	 * A remote that needs configuration is a target once the operator's
	 * overrides give it: its history is read, and it is filed by its
	 * results when it has any.
	 */
	if ((s->bucket = state_bucket(mcp_json_str(o, "status", NULL), state)) == -1 ||
	    s->bucket == B_NEEDS)
		s->probe = 1;
	cJSON_Delete(o);
	return 0;
}

static int
rem_cmp(const void *a, const void *b)
{
	return strcmp(((const struct audit_rem *)a)->slug, ((const struct audit_rem *)b)->slug);
}

/* Every field of mcp:registry:servers, sorted by slug; -1 after a warning. */
static int
read_remotes(struct mcp_store *st, struct audit *a, int *bad)
{
	const char *argv[] = {"HGETALL", AUDIT_KEY_SERVERS};
	char err[512];
	redisReply *r;
	size_t i;

	if ((r = mcp_store_cmd(st, 2, argv, err, sizeof(err))) == NULL ||
	    r->type != REDIS_REPLY_ARRAY) {
		warnx("redis: %s", r ? (r->type == REDIS_REPLY_ERROR ? r->str : "bad reply") : err);
		freeReplyObject(r);
		return -1;
	}
	if ((a->r = calloc(r->elements / 2 + 1, sizeof(*a->r))) == NULL)
		errx(MCP_EXIT_FAIL, "audit: out of memory");
	for (i = 0; i + 1 < r->elements; i += 2)
		if (remote_of(a, r->element[i], r->element[i + 1], &a->r[a->nr]) == 0)
			a->nr++;
		else
			*bad = 1;
	freeReplyObject(r);
	qsort(a->r, a->nr, sizeof(*a->r), rem_cmp);
	return 0;
}

/* A count of mcp:registry:sync: a number from 0 to 10^12, else 0. */
static long long
sync_count(const redisReply *v)
{
	char *end;
	long long n;

	if (v->type != REDIS_REPLY_STRING)
		return 0;
	n = strtoll(v->str, &end, 10);
	return end != v->str && *end == '\0' && n >= 0 && n <= 1000000000000LL ? n : 0;
}

/* What the last sync left out (mcp-store(7)): 0 for a field it did not write. */
static int
read_sync(struct mcp_store *st, struct audit *a)
{
	const char *argv[] = {"HMGET", AUDIT_KEY_SYNC, "skipped", "remotes_dropped"};
	char err[512];
	redisReply *r;

	if ((r = mcp_store_cmd(st, 4, argv, err, sizeof(err))) == NULL ||
	    r->type != REDIS_REPLY_ARRAY || r->elements != 2) {
		warnx("redis: %s: %s", AUDIT_KEY_SYNC,
		    r ? (r->type == REDIS_REPLY_ERROR ? r->str : "bad reply") : err);
		freeReplyObject(r);
		return -1;
	}
	a->skipped = sync_count(r->element[0]);
	a->dropped = sync_count(r->element[1]);
	freeReplyObject(r);
	return 0;
}

/* The saved audit (field last), parsed, into a->prev; NULL when there is none. */
static int
read_previous(struct mcp_store *st, struct audit *a)
{
	const char *argv[] = {"HGET", AUDIT_KEY_AUDIT, "last"}, *why;
	char err[512];
	redisReply *r;

	if ((r = mcp_store_cmd(st, 3, argv, err, sizeof(err))) == NULL ||
	    r->type == REDIS_REPLY_ERROR) {
		warnx("redis: %s", r ? r->str : err);
		freeReplyObject(r);
		return -1;
	}
	if (r->type == REDIS_REPLY_STRING &&
	    (a->prev = mcp_json_parse(r->str, r->len, &why)) == NULL)
		warnx("audit: %s last: %s (no movement shown)", AUDIT_KEY_AUDIT, why);
	freeReplyObject(r);
	return 0;
}

/* Keep this audit as last, the one before moving to previous, at once. */
static int
save(struct mcp_store *st, const char *json)
{
	static const char lua[] = "local l = redis.call('HGET', KEYS[1], 'last')\n"
	                          "if l then redis.call('HSET', KEYS[1], 'previous', l) end\n"
	                          "redis.call('HSET', KEYS[1], 'last', ARGV[1])\n"
	                          "return 1\n";
	const char *argv[] = {"EVAL", lua, "1", AUDIT_KEY_AUDIT, json};
	char err[512];
	redisReply *r = mcp_store_cmd(st, 5, argv, err, sizeof(err));

	if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		warnx("redis: %s: %s", AUDIT_KEY_AUDIT, r ? r->str : err);
		freeReplyObject(r);
		return -1;
	}
	freeReplyObject(r);
	return 0;
}

static int
run(const struct agg_opts *o, struct audit *a, int json, int keep, const char *dataset)
{
	struct mcp_store *st;
	cJSON *out = NULL;
	char *text = NULL, why[PATH_MAX + 256];
	size_t i;
	int rc = MCP_EXIT_OK, bad = 0;

	if ((st = agg_connect(o)) == NULL)
		return MCP_EXIT_FAIL;
	if (read_previous(st, a) == -1 || read_sync(st, a) == -1 ||
	    read_remotes(st, a, &bad) == -1 || audit_read_history(st, a) == -1) {
		rc = MCP_EXIT_FAIL;
		goto out;
	}
	for (i = 0; i < a->nr; i++)
		if (a->r[i].probe) {
			int d = audit_decide(&a->r[i].h);

			if (a->r[i].bucket != B_NEEDS || d != B_UNPROBED)
				a->r[i].bucket = d;
		}
	if (audit_group(a) == -1 || (out = audit_json(a)) == NULL ||
	    (text = cJSON_PrintUnformatted(out)) == NULL)
		errx(MCP_EXIT_FAIL, "audit: out of memory");
	if (keep && save(st, text) == -1)
		rc = MCP_EXIT_FAIL;
	if (dataset != NULL && audit_dataset(a, dataset, why, sizeof(why)) == -1) {
		warnx("audit: --dataset %s", why);
		rc = MCP_EXIT_FAIL;
	}
	if (json ? printf("%s\n", text) < 0 : audit_text(a, out) == -1) {
		mcp_stdout_failed();
		rc = AGG_EXIT_STDOUT;
	} else if (bad && rc == MCP_EXIT_OK) {
		rc = MCP_EXIT_FAIL;
	}
out:
	cJSON_free(text);
	cJSON_Delete(out);
	mcp_store_close(st);
	return rc;
}

static const struct option longopts[] = {
    {"json", no_argument, NULL, 'j'},
    {"save", no_argument, NULL, 's'},
    {"period", required_argument, NULL, 'p'},
    {"at", required_argument, NULL, 'a'},
    {"dataset", required_argument, NULL, 'D'},
    {NULL, 0, NULL, 0},
};

/* --dataset DIR: a directory to write in, else a usage error. */
static const char *
dataset_arg(const char *dir)
{
	struct stat sb;

	if (stat(dir, &sb) == -1)
		errx(MCP_EXIT_USAGE, "--dataset %s: %s", dir, strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		errx(MCP_EXIT_USAGE, "--dataset %s: %s", dir, strerror(ENOTDIR));
	if (access(dir, W_OK | X_OK) == -1)
		errx(MCP_EXIT_USAGE, "--dataset %s: %s", dir, strerror(errno));
	if (strlen(dir) > PATH_MAX - 64)
		errx(MCP_EXIT_USAGE, "--dataset %s: %s", dir, strerror(ENAMETOOLONG));
	return dir;
}

int
reg_audit(struct agg_opts *o, int argc, char **argv)
{
	struct audit a;
	double at = mcp_now();
	int c, json = 0, keep = 0, rc;
	const char *dataset = NULL;
	char why[600];
	size_t j;

	memset(&a, 0, sizeof(a));
	a.period = AGG_DAY;
	while ((c = agg_getopt(argc, argv, "R:t:", longopts)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 's':
			keep = 1;
			break;
		case 'p':
			a.period = duration_arg(optarg);
			break;
		case 'a':
			at = mcp_parse_seconds(optarg);
			if (!(at >= 0 && at <= AGG_TIME_MAX))
				errx(MCP_EXIT_USAGE, "--at %s: not a time (epoch seconds)", optarg);
			break;
		case 'D':
			dataset = dataset_arg(optarg);
			break;
		case 'R':
			o->url = mcp_store_url_arg(optarg);
			break;
		case 't':
			if ((o->timeout = mcp_parse_seconds(optarg)) < 0)
				errx(MCP_EXIT_USAGE, "-t %s: not a number of seconds", optarg);
			break;
		default:
			agg_usage();
		}
	}
	if (optind != argc)
		agg_usage_why("%s: unexpected argument", argv[optind]);
	if (mcp_store_url_check(o->url, why, sizeof(why)) == -1)
		errx(MCP_EXIT_USAGE, "%s", why);
	if (!(at <= AGG_TIME_MAX))
		errx(MCP_EXIT_USAGE, "MCP_NOW: not a time (0 to %.0f)", AGG_TIME_MAX);
	a.at = at;
	a.to = agg_latest_complete(at);
	a.from = a.to - a.period + AGG_WINDOW;
	rc = run(o, &a, json, keep, dataset);
	for (j = 0; j < a.nr; j++) {
		free(a.r[j].slug);
		free(a.r[j].name);
		free(a.r[j].key);
	}
	free(a.r);
	free(a.srv);
	free(a.registry);
	cJSON_Delete(a.prev);
	if (rc != AGG_EXIT_STDOUT && mcp_rec_close_stdout() == -1)
		rc = MCP_EXIT_FAIL;
	return rc == AGG_EXIT_STDOUT ? MCP_EXIT_FAIL : rc;
}
