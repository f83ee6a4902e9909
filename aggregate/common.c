/*
 * common.c - what every subcommand of mcp-aggregate shares, the
 * registry's room included: the command line's grammar (the usage, -h and
 * --help, a usage error named) and the store's connection.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "mcp.h"
#include "rec.h"

/*
 * Each subcommand's lines of the usage, in the order of the SYNOPSIS of
 * mcp-aggregate(1), which they match word for word (tests/lint.t).
 */
static const struct {
	const char *cmd, *line;
} usages[] = {
    {"push", "push [-v] [-r REGION] [-R URL] [-S FILE] [-t SECONDS]"},
    {"push",
        "push [-v] [-r REGION] [-S FILE] [-t SECONDS] --to URL --token-file FILE "
        "[--cacert FILE] [--linger SECONDS]"},
    {"verdict",
        "verdict [-F SLUGS] [-L SECONDS] [-P PERCENT] [-R URL] [-t SECONDS] "
        "[--shard K/N | SLUG ...]"},
    {"results", "results [-R URL] [-t SECONDS] SLUG [FROM [TO]]"},
    {"status", "status [--json] [-R URL] [-t SECONDS] [SLUG ...]"},
    {"report",
        "report [-R URL] [-t SECONDS] [--json | --csv] [--month YYYY-MM | --from "
        "YYYY-MM [--to YYYY-MM]] [SLUG ...]"},
    {"audit",
        "audit [-R URL] [-t SECONDS] [--json] [--period DURATION] [--save] [--at EPOCH] "
        "[--dataset DIR]"},
    {"registry",
        "registry sync [-R URL] [-t SECONDS] [--full] [--allow-http] [--force] "
        "[--deadline SECONDS] [--cacert FILE] [URL]"},
    {"targets", "targets [-R URL] [-t SECONDS] [-o OVERRIDES] [--shard K/N]"},
    {"targets",
        "targets [-S FILE] [-t SECONDS] [--shard K/N] --from URL --token-file FILE "
        "[--cacert FILE]"},
    {"token",
        "token [-R URL] [-t SECONDS] add REGION | list [REGION] | revoke [--take-back] "
        "REGION ID"},
    {"reader", "reader [-R URL] [-t SECONDS] add | list | revoke ID"},
    {"tools", "tools [-R URL] [-t SECONDS] [--json] [--diff | --history] SLUG [A [B]]"},
    {"tools",
        "tools [-R URL] [-t SECONDS] [--json] --approve | --reject [--region REGION] "
        "[--by WHO] [--kind tools | resources | prompts] SLUG"},
    {"tools", "tools [-R URL] [-t SECONDS] --lock [--slugs FILE] [SLUG ...]"},
    {"tools", "tools [-R URL] [-t SECONDS] [--json | --sarif] [--served FILE] --check LOCK"},
    {"fleet", "fleet [-R URL] [-t SECONDS] [-g NAME=SLUG,SLUG...] [--json] [--save]"},
    {"ingest", "ingest [-o OVERRIDES] [-R URL] [-t SECONDS]"},
};

/* The subcommand running ("tools", "registry sync"); NULL before one is chosen. */
static const char *running;

void
agg_cmd_set(const char *cmd)
{
	running = cmd;
}

/* The usage of the subcommand running (every line before one), then where the manual is. */
static void
put_usage(FILE *f)
{
	size_t i, n = running != NULL ? strcspn(running, " ") : 0;
	int first = 1;

	for (i = 0; i < sizeof(usages) / sizeof(usages[0]); i++) {
		if (running != NULL &&
		    (strncmp(usages[i].cmd, running, n) != 0 || usages[i].cmd[n] != '\0'))
			continue;
		fprintf(f, "%s %s %s\n", first ? "usage:" : "      ", program_invocation_short_name,
		    usages[i].line);
		first = 0;
	}
	fprintf(f, "See mcp-aggregate(1) for the manual.\n");
}

void
agg_usage(void)
{
	put_usage(stderr);
	exit(MCP_EXIT_USAGE);
}

void
agg_usage_why(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", program_invocation_short_name);
	if (running != NULL)
		fprintf(stderr, "%s: ", running);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	agg_usage();
}

void
agg_help(void)
{
	put_usage(stdout);
	exit(mcp_rec_close_stdout() == -1 ? MCP_EXIT_FAIL : MCP_EXIT_OK);
}

/*
 * The option getopt_long refused, named: -x, or the long word as typed
 * (an abbreviation, "=VALUE" cut off).  moved: getopt went past the word
 * (a short option last of its cluster, or a long one).
 */
static void
refused(int c, int argc, char **argv, int moved)
{
	const char *w = moved && optind - 1 < argc ? argv[optind - 1] : "";
	int n = (int)strcspn(w, "=");

	if (strncmp(w, "--", 2) != 0)
		agg_usage_why(c == ':' ? "-%c: missing argument" : "-%c: unknown option", optopt);
	if (c == ':')
		agg_usage_why("%.*s: missing argument", n, w);
	if (w[n] == '=' && optopt != 0)
		agg_usage_why("%.*s: takes no argument", n, w);
	agg_usage_why("%.*s: unknown option", n, w);
}

int
agg_getopt(int argc, char **argv, const char *shorts, const struct option *longs)
{
	static char s[64];
	static struct option l[40];
	size_t n;
	int c, before = optind;

	/* The subcommand's options, and -h and --help. */
	for (n = 0; longs[n].name != NULL; n++)
		if (n + 2 < sizeof(l) / sizeof(l[0]))
			l[n] = longs[n];
	if (n + 2 > sizeof(l) / sizeof(l[0]) ||
	    (size_t)snprintf(s, sizeof(s), ":h%s", shorts) >= sizeof(s))
		errx(MCP_EXIT_FAIL, "agg_getopt: too many options");
	l[n] = (struct option){"help", no_argument, NULL, 'h'};
	l[n + 1] = (struct option){NULL, 0, NULL, 0};
	opterr = 0;
	c = getopt_long(argc, argv, s, l, NULL);
	if (c == 'h')
		agg_help();
	if (c == '?' || c == ':')
		refused(c, argc, argv, optind > before);
	return c;
}

const char *
agg_long_name(const struct option *longs, int c)
{
	size_t i;

	for (i = 0; longs[i].name != NULL && longs[i].val != c; i++)
		;
	return longs[i].name != NULL ? longs[i].name : "?";
}

struct mcp_store *
agg_connect(const struct agg_opts *o)
{
	struct mcp_store_opts so = {o->timeout, -1};
	struct mcp_store *st;
	char err[512];

	if ((st = mcp_store_open(mcp_store_url_choose(o->url), &so, err, sizeof(err))) == NULL)
		warnx("redis: %s", err);
	return st;
}

/*
 * Each field of the hash at key handed to fn with its value (both
 * borrowed, valid during the call); fields or values not strings are
 * passed over.  The number of elements read (0: no such key), or -1 when
 * the store failed, said on stderr.
 */
long
agg_hash_each(struct mcp_store *st, const char *key,
    void (*fn)(void *arg, const char *field, const char *value), void *arg)
{
	const char *argv[] = {"HGETALL", key};
	char err[512];
	redisReply *r;
	size_t i;
	long n;

	r = mcp_store_cmd(st, 2, argv, err, sizeof(err));
	if (r == NULL || r->type != REDIS_REPLY_ARRAY) {
		warnx("redis: %s", r ? (r->type == REDIS_REPLY_ERROR ? r->str : "bad reply") : err);
		freeReplyObject(r);
		return -1;
	}
	for (i = 0; i + 1 < r->elements; i += 2)
		if (r->element[i]->type == REDIS_REPLY_STRING &&
		    r->element[i + 1]->type == REDIS_REPLY_STRING)
			fn(arg, r->element[i]->str, r->element[i + 1]->str);
	n = (long)r->elements;
	freeReplyObject(r);
	return n;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* aggregate.h */
int
agg_all_slugs(struct mcp_store *st, char ***out, size_t *n)
{
	const char *argv[] = {"ZRANGE", AGG_KEY_LEX, "-", "+", "BYLEX"};
	const char *alt[] = {"ZRANGE", AGG_KEY_SLUGS, "0", "-1"};
	char err[512];
	redisReply *r;
	size_t i;

	/* The name index is sorted; a store of before has only the slug index. */
	r = mcp_store_cmd(st, 5, argv, err, sizeof(err));
	if (r != NULL && r->type == REDIS_REPLY_ARRAY && r->elements == 0) {
		freeReplyObject(r);
		r = mcp_store_cmd(st, 4, alt, err, sizeof(err));
	}
	if (r == NULL || r->type != REDIS_REPLY_ARRAY) {
		warnx("redis: %s", r ? (r->type == REDIS_REPLY_ERROR ? r->str : "bad reply") : err);
		freeReplyObject(r);
		return -1;
	}
	*n = 0;
	if ((*out = calloc(r->elements + 1, sizeof(**out))) == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	for (i = 0; i < r->elements; i++)
		if (mcp_slug_ok(r->element[i]->str) && ((*out)[*n] = strdup(r->element[i]->str)))
			(*n)++;
	freeReplyObject(r);
	qsort(*out, *n, sizeof(**out), str_cmp);
	return 0;
}

const redisReply *
agg_hfield(const redisReply *h, const char *f)
{
	size_t i;

	for (i = 0; h != NULL && h->type == REDIS_REPLY_ARRAY && i + 1 < h->elements; i += 2)
		if (h->element[i]->type == REDIS_REPLY_STRING &&
		    h->element[i + 1]->type == REDIS_REPLY_STRING &&
		    strcmp(h->element[i]->str, f) == 0)
			return h->element[i + 1];
	return NULL;
}
