/*
 * common.c - what every subcommand of mcp-aggregate shares, the
 * registry's room included: the usage and the store's connection.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "mcp.h"

void
agg_usage(void)
{
	fprintf(stderr,
	    "usage: %s push [-v] [-r REGION] [-R URL] [-S FILE] [-t SECONDS]\n"
	    "       %s push [-v] [-r REGION] [-S FILE] [-t SECONDS] --to URL --token-file FILE "
	    "[--cacert FILE] [--linger SECONDS]\n"
	    "       %s verdict [-F SLUGS] [-L SECONDS] [-P PERCENT] [-R URL] [-t SECONDS] "
	    "[--shard K/N | SLUG ...]\n"
	    "       %s results [-R URL] [-t SECONDS] SLUG [FROM [TO]]\n"
	    "       %s status [-j] [-R URL] [-t SECONDS] [SLUG ...]\n"
	    "       %s report [-R URL] [-t SECONDS] [--json | --csv] [--month YYYY-MM | --from "
	    "YYYY-MM [--to YYYY-MM]] [SLUG ...]\n"
	    "       %s audit [-R URL] [-t SECONDS] [--json] [--period DURATION] [--save] [--at "
	    "EPOCH]\n"
	    "       %s registry sync [-R URL] [-t SECONDS] [--full] [--allow-http] [--force] "
	    "[--deadline SECONDS] [--cacert FILE] [URL]\n"
	    "       %s targets [-R URL] [-t SECONDS] [-o OVERRIDES] [--shard K/N]\n"
	    "       %s targets [-S FILE] [-t SECONDS] [--shard K/N] --from URL --token-file FILE "
	    "[--cacert FILE]\n"
	    "       %s token [-R URL] [-t SECONDS] add REGION | list [REGION] | revoke "
	    "[--take-back] REGION ID\n"
	    "       %s reader [-R URL] [-t SECONDS] add | list | revoke ID\n"
	    "       %s tools [-R URL] [-t SECONDS] [--json] [--diff | --history] SLUG [A [B]]\n"
	    "       %s tools [-R URL] [-t SECONDS] [--json] --approve | --reject [--region REGION] "
	    "[--by WHO] [--kind tools | resources | prompts] SLUG\n"
	    "       %s tools [-R URL] [-t SECONDS] --lock [--slugs FILE] [SLUG ...]\n"
	    "       %s tools [-R URL] [-t SECONDS] [--json | --sarif] [--served FILE] --check "
	    "LOCK\n"
	    "       %s fleet [-R URL] [-t SECONDS] [--json] [--save]\n"
	    "       %s ingest [-o OVERRIDES] [-R URL] [-t SECONDS]\n",
	    program_invocation_short_name, program_invocation_short_name,
	    program_invocation_short_name, program_invocation_short_name,
	    program_invocation_short_name, program_invocation_short_name,
	    program_invocation_short_name, program_invocation_short_name,
	    program_invocation_short_name, program_invocation_short_name,
	    program_invocation_short_name, program_invocation_short_name,
	    program_invocation_short_name, program_invocation_short_name,
	    program_invocation_short_name, program_invocation_short_name,
	    program_invocation_short_name, program_invocation_short_name);
	exit(MCP_EXIT_USAGE);
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
