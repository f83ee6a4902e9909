/*
 * cli.c - the room's way in (registry.h): the command lines of
 * mcp-aggregate registry sync and mcp-aggregate targets, and audit's.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../aggregate/aggregate.h"
#include "mcp.h"
#include "rec.h"
#include "audit.h"
#include "reg.h"
#include "registry.h"

enum {
	OPT_FULL = 256,
	OPT_ALLOW_HTTP,
	OPT_SHARD,
	OPT_FORCE,
	OPT_DEADLINE,
	OPT_CACERT,
	OPT_FROM,
	OPT_TOKEN_FILE
};

static const struct option longs[] = {
    {"full", no_argument, NULL, OPT_FULL},
    {"allow-http", no_argument, NULL, OPT_ALLOW_HTTP},
    {"shard", required_argument, NULL, OPT_SHARD},
    {"force", no_argument, NULL, OPT_FORCE},
    {"deadline", required_argument, NULL, OPT_DEADLINE},
    {"cacert", required_argument, NULL, OPT_CACERT},
    {"from", required_argument, NULL, OPT_FROM},
    {"token-file", required_argument, NULL, OPT_TOKEN_FILE},
    {NULL, 0, NULL, 0},
};

/* --shard K/N: 1 <= K <= N <= 1000. */
static void
shard_arg(const char *s, struct reg_targets_opts *t)
{
	unsigned k, n;
	int used = 0;

	if (sscanf(s, "%3u/%4u%n", &k, &n, &used) != 2 || s[used] != '\0' || n < 1 || n > 1000 ||
	    k < 1 || k > n)
		errx(MCP_EXIT_USAGE, "--shard %s: want K/N, 1 <= K <= N <= 1000", s);
	t->shard_k = k;
	t->shard_n = n;
}

/* --deadline SECONDS: more than 0, at most a day. */
static double
deadline_arg(const char *s)
{
	double d = mcp_parse_seconds(s);

	if (!(d > 0 && d <= AGG_DAY))
		errx(MCP_EXIT_USAGE, "--deadline %s: want seconds, more than 0, at most a day", s);
	return d;
}

/* The registry's base URL: http or https, no blank, no query; a trailing "/" dropped. */
static char *
base_arg(const char *s)
{
	char *b;
	size_t n;

	if ((strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0) ||
	    strpbrk(s, " \t\r\n?#") != NULL || strlen(s) > REG_BASE_MAX)
		errx(MCP_EXIT_USAGE,
		    "%s: not a registry URL (http or https, no query, at most %d bytes)", s,
		    REG_BASE_MAX);
	if ((b = strdup(s)) == NULL)
		err(MCP_EXIT_FAIL, "strdup");
	for (n = strlen(b); n > 0 && b[n - 1] == '/'; n--)
		b[n - 1] = '\0';
	return b;
}

/* targets --from URL: the ingest's list, with ?shard=K/N when asked. */
static int
targets_from(struct agg_opts *o, const char *from, const struct reg_targets_opts *t, int t_given)
{
	char url[4096];

	if (!t_given)
		o->timeout = 30;
	if (t->shard_n == 0)
		return agg_targets_from(o, from);
	if (strchr(from, '?') != NULL ||
	    (size_t)snprintf(url, sizeof(url), "%s?shard=%u/%u", from, t->shard_k, t->shard_n) >=
	        sizeof(url))
		errx(MCP_EXIT_USAGE, "--from %s: a URL without a query, of at most 4000 bytes",
		    from);
	return agg_targets_from(o, url);
}

static int
sync_or_targets(int argc, char **argv)
{
	struct agg_opts o = AGG_OPTS_INIT;
	struct reg_opts r = {REG_BASE, 0, 0, 0, REG_DEADLINE, NULL};
	struct reg_targets_opts t = {NULL, 0, 0};
	int sync = strcmp(argv[0], "registry") == 0, c, rc, t_given = 0;
	char why[600], *base = NULL;
	const char *from = NULL;

	if (sync)
		argc--, argv++;
	while ((c = agg_getopt(argc, argv, sync ? "R:t:" : "o:R:S:t:", longs)) != -1) {
		if (c == 'R')
			o.url = mcp_store_url_arg(optarg);
		else if (c == 't' && (o.timeout = mcp_parse_seconds(optarg)) < 0)
			errx(MCP_EXIT_USAGE, "-t %s: not a number of seconds", optarg);
		else if (c == 't')
			t_given = 1;
		else if (c == 'o' && !sync)
			t.overrides = optarg;
		else if (c == OPT_FULL && sync)
			r.full = 1;
		else if (c == OPT_ALLOW_HTTP && sync)
			r.allow_http = 1;
		else if (c == OPT_FORCE && sync)
			r.force = 1;
		else if (c == OPT_DEADLINE && sync)
			r.deadline = deadline_arg(optarg);
		else if (c == OPT_CACERT && access(optarg, R_OK) == -1)
			errx(MCP_EXIT_USAGE, "--cacert %s: %s", optarg, strerror(errno));
		else if (c == OPT_CACERT)
			r.cacert = o.cacert = optarg;
		else if (c == OPT_FROM && !sync)
			from = optarg;
		else if (c == OPT_TOKEN_FILE && !sync)
			o.token_file = optarg;
		else if (c == 'S' && !sync)
			o.spool = optarg;
		else if (c == OPT_SHARD && !sync)
			shard_arg(optarg, &t);
		else if (c != 't')
			agg_usage_why("--%s: unknown option", agg_long_name(longs, c));
	}
	argc -= optind, argv += optind;
	if (argc > (sync ? 1 : 0))
		agg_usage_why("%s: unexpected argument", argv[sync ? 1 : 0]);
	if (argc == 1)
		r.base = base = base_arg(argv[0]);
	if (mcp_store_url_check(o.url, why, sizeof(why)) == -1)
		errx(MCP_EXIT_USAGE, "%s", why);
	if (!(mcp_now() <= AGG_TIME_MAX))
		errx(MCP_EXIT_USAGE, "MCP_NOW: not a time (0 to %.0f)", AGG_TIME_MAX);
	if (!sync && from != NULL && t.overrides != NULL)
		agg_usage_why("-o and --from: one or the other");
	if (!sync && from == NULL && (o.token_file != NULL || o.spool != NULL))
		agg_usage_why("--token-file and -S go with --from");
	if (from != NULL)
		rc = targets_from(&o, from, &t, t_given);
	else
		rc = sync ? reg_sync(&o, &r) : reg_targets(&o, &t);
	free(base);
	if (rc == AGG_EXIT_STDOUT)
		return MCP_EXIT_FAIL;
	if (mcp_rec_close_stdout() == -1)
		rc = MCP_EXIT_FAIL;
	return rc;
}

int
reg_main(int argc, char **argv)
{
	struct agg_opts o = AGG_OPTS_INIT;

	if (strcmp(argv[0], "audit") == 0)
		return reg_audit(&o, argc, argv);
	if (strcmp(argv[0], "registry") != 0)
		return sync_or_targets(argc, argv);
	/* registry SUBCOMMAND: sync, the one there is. */
	if (argc < 2)
		agg_usage_why("sync is needed");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		agg_help();
	if (strcmp(argv[1], "sync") != 0)
		agg_usage_why(
		    argv[1][0] == '-' ? "%s: unknown option" : "%s: unknown command", argv[1]);
	agg_cmd_set("registry sync");
	return sync_or_targets(argc, argv);
}
