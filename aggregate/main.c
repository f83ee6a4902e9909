/*
 * mcp-aggregate - store probe results in Redis and turn them into one
 * verdict per server per minute.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aggregate.h"
#include "../registry/registry.h"
#include "mcp.h"
#include "rec.h"
#include "version.h"
#include "rtoken.h"

static int
lookback_of(const char *s)
{
	double d = mcp_parse_seconds(s);

	if (d < AGG_LOOKBACK_MIN || d > AGG_LOOKBACK_MAX || d != (int)d)
		errx(MCP_EXIT_USAGE, "-L %s: the lookback is %d to %d seconds", s, AGG_LOOKBACK_MIN,
		    AGG_LOOKBACK_MAX);
	return (int)d;
}

/* A whole number from lo to hi for the probe-fault thresholds. */
static long
fault_arg(const char *flag, const char *s, long lo, long hi)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end != '\0' || v < lo || v > hi)
		errx(MCP_EXIT_USAGE, "%s %s: want a whole number from %ld to %ld", flag, s, lo, hi);
	return v;
}

/* A window given on the command line: epoch seconds, down to its minute. */
static long long
window_arg(const char *s)
{
	double d = mcp_parse_seconds(s);

	if (d < 0 || d > AGG_TIME_MAX)
		errx(MCP_EXIT_USAGE, "%s: not a time (epoch seconds)", s);
	return agg_window(d);
}

/*
 * results SLUG [FROM [TO]]: the windows FROM to TO (FROM alone: that
 * window; neither: the hour up to the clock's window), at most 25 hours.
 */
static int
results(const struct agg_opts *o, int argc, char **argv)
{
	long long to = agg_window(mcp_now()), from = to - AGG_HOUR + AGG_WINDOW;

	if (argc < 1 || argc > 3)
		agg_usage();
	if (!mcp_slug_ok(argv[0]))
		errx(MCP_EXIT_USAGE, "%s: bad slug: not " MCP_SLUG_RULE, argv[0]);
	if (argc >= 2)
		from = to = window_arg(argv[1]);
	if (argc == 3)
		to = window_arg(argv[2]);
	if (to < from || to - from > AGG_TTL_SHORT)
		errx(MCP_EXIT_USAGE, "%s %s: TO before FROM, or more than 25 hours after it",
		    argv[1], argv[2]);
	return agg_results(o, argv[0], from, to);
}

enum { OPT_TO = 256, OPT_TOKEN_FILE, OPT_CACERT, OPT_LINGER, OPT_TAKE_BACK, OPT_SHARD };

/* verdict --shard K/N: 1 <= K <= N <= 1000, as targets' (the shares differ: slots). */
static void
shard_arg(const char *s, struct agg_opts *o)
{
	unsigned k, n;
	int used = 0;

	if (sscanf(s, "%4u/%4u%n", &k, &n, &used) != 2 || s[used] != '\0' || n < 1 || n > 1000 ||
	    k < 1 || k > n)
		errx(MCP_EXIT_USAGE, "--shard %s: want K/N, 1 <= K <= N <= 1000", s);
	o->shard_k = k;
	o->shard_n = n;
}

/* push's long options (the ingest's): every other subcommand has none. */
static const struct option push_longs[] = {
    {"to", required_argument, NULL, OPT_TO},
    {"token-file", required_argument, NULL, OPT_TOKEN_FILE},
    {"cacert", required_argument, NULL, OPT_CACERT},
    {"linger", required_argument, NULL, OPT_LINGER},
    {NULL, 0, NULL, 0},
};
/* token's: revoke --take-back. */
static const struct option token_longs[] = {
    {"take-back", no_argument, NULL, OPT_TAKE_BACK},
    {NULL, 0, NULL, 0},
};
/* verdict's: --shard. */
static const struct option verdict_longs[] = {
    {"shard", required_argument, NULL, OPT_SHARD},
    {NULL, 0, NULL, 0},
};
static const struct option no_longs[] = {{NULL, 0, NULL, 0}};

static const struct option *
longs_of(const char *cmd)
{
	if (strcmp(cmd, "push") == 0)
		return push_longs;
	if (strcmp(cmd, "verdict") == 0)
		return verdict_longs;
	return strcmp(cmd, "token") == 0 ? token_longs : no_longs;
}

int
main(int argc, char *argv[])
{
	struct agg_opts o = AGG_OPTS_INIT;
	const char *cmd, *flags, *overrides = NULL;
	char why[600];
	int c, i, rc, t_given = 0;

	/*
	 * A dead Redis must be an error to handle (reconnect, spool), not a
	 * SIGPIPE; a closed stdout still ends the tool as SIGPIPE would.
	 */
	signal(SIGPIPE, SIG_IGN);
	/*
	 * Run by a web server (RFC 3875): the ingest, whatever the arguments,
	 * which a CGI request may fill with words of its query.
	 */
	if (getenv("GATEWAY_INTERFACE") != NULL)
		return agg_ingest(&o, NULL);
	if (argc < 2)
		agg_usage();
	cmd = argv[1];
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		printf("%s %s\n", program_invocation_short_name, MCP_VERSION);
		return mcp_rec_close_stdout() == -1 ? MCP_EXIT_FAIL : MCP_EXIT_OK;
	}
	if (reg_command(cmd))
		return reg_main(argc - 1, argv + 1);
	if (strcmp(cmd, "report") == 0)
		return agg_report(argc - 1, argv + 1);
	if (strcmp(cmd, "tools") == 0)
		return agg_tools(argc - 1, argv + 1);
	if (strcmp(cmd, "fleet") == 0)
		return agg_fleet(argc - 1, argv + 1);
	if (strcmp(cmd, "reader") == 0)
		return agg_reader(argc - 1, argv + 1);
	if (strcmp(cmd, "push") == 0)
		flags = "R:r:S:t:v";
	else if (strcmp(cmd, "verdict") == 0)
		flags = "F:L:P:R:t:";
	else if (strcmp(cmd, "results") == 0)
		flags = "R:t:";
	else if (strcmp(cmd, "status") == 0)
		flags = "jR:t:";
	else if (strcmp(cmd, "token") == 0)
		flags = "R:t:";
	else if (strcmp(cmd, "ingest") == 0)
		flags = "o:R:t:";
	else
		agg_usage();
	argc--, argv++;
	while ((c = getopt_long(argc, argv, flags, longs_of(cmd), NULL)) != -1) {
		switch (c) {
		case OPT_TO:
			o.to = optarg;
			break;
		case OPT_TOKEN_FILE:
			o.token_file = optarg;
			break;
		case OPT_TAKE_BACK:
			o.take_back = 1;
			break;
		case OPT_SHARD:
			shard_arg(optarg, &o);
			break;
		case OPT_CACERT:
			if (access(optarg, R_OK) == -1)
				errx(MCP_EXIT_USAGE, "--cacert %s: %s", optarg, strerror(errno));
			o.cacert = optarg;
			break;
		case OPT_LINGER:
			o.linger = strcmp(optarg, "0") == 0 ? 0 : mcp_parse_seconds(optarg);
			if (!(o.linger >= 0 && o.linger <= 600))
				errx(MCP_EXIT_USAGE, "--linger %s: want 0 to 600 seconds", optarg);
			break;
		case 'j':
			o.json = 1;
			break;
		case 'F':
			o.fault_min = fault_arg("-F", optarg, 0, 1000000);
			break;
		case 'L':
			o.lookback = lookback_of(optarg);
			break;
		case 'o':
			overrides = optarg;
			break;
		case 'P':
			o.fault_percent = (int)fault_arg(
			    "-P", optarg, AGG_FAULT_PERCENT_MIN, AGG_FAULT_PERCENT_MAX);
			break;
		case 'R':
			o.url = mcp_store_url_arg(optarg);
			break;
		case 'r':
			if (!mcp_slug_ok(optarg))
				errx(MCP_EXIT_USAGE, "-r %s: bad region: not " MCP_SLUG_RULE,
				    optarg);
			o.region = optarg;
			break;
		case 'S':
			o.spool = optarg;
			break;
		case 't':
			if ((o.timeout = mcp_parse_seconds(optarg)) < 0)
				errx(MCP_EXIT_USAGE, "-t %s: not a number of seconds", optarg);
			t_given = 1;
			break;
		case 'v':
			o.verbose = 1;
			break;
		default:
			agg_usage();
		}
	}
	argc -= optind, argv += optind;
	if (mcp_store_url_check(o.url, why, sizeof(why)) == -1)
		errx(MCP_EXIT_USAGE, "%s", why);
	/* Every time of a run is bounded by the clock, which must be one. */
	if (!(mcp_now() <= AGG_TIME_MAX))
		errx(MCP_EXIT_USAGE, "MCP_NOW: not a time (0 to %.0f)", AGG_TIME_MAX);
	if (strcmp(cmd, "push") == 0) {
		if (argc != 0 ||
		    ((o.token_file != NULL || o.cacert != NULL || o.linger >= 0) && o.to == NULL))
			agg_usage();
		if (o.to != NULL && !t_given)
			o.timeout = 30; /* a request's answer, which stores its batch */
		rc = o.to != NULL ? agg_relay(&o) : agg_push(&o);
	} else if (strcmp(cmd, "results") == 0) {
		rc = results(&o, argc, argv);
	} else if (strcmp(cmd, "token") == 0) {
		rc = agg_token(&o, argc, argv);
	} else if (strcmp(cmd, "ingest") == 0) {
		if (argc != 0)
			agg_usage();
		return agg_ingest(&o, overrides);
	} else {
		/* A share is of the full pass: named slugs are decided whole. */
		if (o.shard_n > 0 && argc > 0)
			agg_usage();
		for (i = 0; i < argc; i++)
			if (!mcp_slug_ok(argv[i]))
				errx(MCP_EXIT_USAGE, "%s: bad slug: not " MCP_SLUG_RULE, argv[i]);
		rc = strcmp(cmd, "status") == 0 ? agg_status(&o, argv, argc)
		                                : agg_verdict(&o, argv, argc);
	}
	if (rc == AGG_EXIT_STDOUT)
		return MCP_EXIT_FAIL;
	if (mcp_rec_close_stdout() == -1)
		rc = MCP_EXIT_FAIL;
	return rc;
}
