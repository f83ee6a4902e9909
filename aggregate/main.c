/*
 * mcp-aggregate - store probe results in Redis and turn them into one
 * verdict per server per minute.  main() picks the subcommand from a
 * table; each parses its own options (common.c's agg_getopt: -h and
 * --help, a refused option named).
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

/* The options of push, verdict, results, status, token and ingest, as parsed. */
struct cli {
	struct agg_opts o;
	const char *overrides; /* ingest -o */
	int t_given;           /* -t, which push --to's default gives way to */
};

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

/* A long option of push, token or verdict, into c's options. */
static void
long_opt(struct cli *c, int opt, const char *arg)
{
	switch (opt) {
	case OPT_TO:
		c->o.to = arg;
		break;
	case OPT_TOKEN_FILE:
		c->o.token_file = arg;
		break;
	case OPT_TAKE_BACK:
		c->o.take_back = 1;
		break;
	case OPT_SHARD:
		shard_arg(arg, &c->o);
		break;
	case OPT_CACERT:
		if (access(arg, R_OK) == -1)
			errx(MCP_EXIT_USAGE, "--cacert %s: %s", arg, strerror(errno));
		c->o.cacert = arg;
		break;
	case OPT_LINGER:
		c->o.linger = strcmp(arg, "0") == 0 ? 0 : mcp_parse_seconds(arg);
		if (!(c->o.linger >= 0 && c->o.linger <= 600))
			errx(MCP_EXIT_USAGE, "--linger %s: want 0 to 600 seconds", arg);
		break;
	default:
		agg_usage();
	}
}

/* A short option, into c's options. */
static void
short_opt(struct cli *c, int opt, char *arg)
{
	switch (opt) {
	case 'j':
		c->o.json = 1;
		break;
	case 'F':
		c->o.fault_min = fault_arg("-F", arg, 0, 1000000);
		break;
	case 'L':
		c->o.lookback = lookback_of(arg);
		break;
	case 'o':
		c->overrides = arg;
		break;
	case 'P':
		c->o.fault_percent =
		    (int)fault_arg("-P", arg, AGG_FAULT_PERCENT_MIN, AGG_FAULT_PERCENT_MAX);
		break;
	case 'R':
		c->o.url = mcp_store_url_arg(arg);
		break;
	case 'r':
		if (!mcp_slug_ok(arg))
			errx(MCP_EXIT_USAGE, "-r %s: bad region: not " MCP_SLUG_RULE, arg);
		c->o.region = arg;
		break;
	case 'S':
		c->o.spool = arg;
		break;
	case 't':
		if ((c->o.timeout = mcp_parse_seconds(arg)) < 0)
			errx(MCP_EXIT_USAGE, "-t %s: not a number of seconds", arg);
		c->t_given = 1;
		break;
	case 'v':
		c->o.verbose = 1;
		break;
	default:
		long_opt(c, opt, arg);
	}
}

/*
 * The options of argv into c, the store's URL and the clock checked: the
 * index of the first operand.
 */
static int
parse(struct cli *c, int argc, char **argv, const char *shorts, const struct option *longs)
{
	char why[600];
	int opt;

	*c = (struct cli){AGG_OPTS_INIT, NULL, 0};
	while ((opt = agg_getopt(argc, argv, shorts, longs)) != -1)
		short_opt(c, opt, optarg);
	if (mcp_store_url_check(c->o.url, why, sizeof(why)) == -1)
		errx(MCP_EXIT_USAGE, "%s", why);
	/* Every time of a run is bounded by the clock, which must be one. */
	if (!(mcp_now() <= AGG_TIME_MAX))
		errx(MCP_EXIT_USAGE, "MCP_NOW: not a time (0 to %.0f)", AGG_TIME_MAX);
	return optind;
}

/* The exit status of a subcommand that printed, stdout closed. */
static int
done(int rc)
{
	if (rc == AGG_EXIT_STDOUT)
		return MCP_EXIT_FAIL;
	if (mcp_rec_close_stdout() == -1)
		rc = MCP_EXIT_FAIL;
	return rc;
}

static void
slugs_check(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++)
		if (!mcp_slug_ok(argv[i]))
			errx(MCP_EXIT_USAGE, "%s: bad slug: not " MCP_SLUG_RULE, argv[i]);
}

static const struct option no_longs[] = {{NULL, 0, NULL, 0}};

static int
cmd_push(int argc, char **argv)
{
	static const struct option longs[] = {
	    {"to", required_argument, NULL, OPT_TO},
	    {"token-file", required_argument, NULL, OPT_TOKEN_FILE},
	    {"cacert", required_argument, NULL, OPT_CACERT},
	    {"linger", required_argument, NULL, OPT_LINGER},
	    {NULL, 0, NULL, 0},
	};
	struct cli c;
	int n = parse(&c, argc, argv, "R:r:S:t:v", longs);

	if (n < argc)
		agg_usage_why("%s: unexpected argument", argv[n]);
	if ((c.o.token_file != NULL || c.o.cacert != NULL || c.o.linger >= 0) && c.o.to == NULL)
		agg_usage_why("--token-file, --cacert and --linger go with --to");
	if (c.o.to != NULL && !c.t_given)
		c.o.timeout = 30; /* a request's answer, which stores its batch */
	return done(c.o.to != NULL ? agg_relay(&c.o) : agg_push(&c.o));
}

static int
cmd_verdict(int argc, char **argv)
{
	static const struct option longs[] = {
	    {"shard", required_argument, NULL, OPT_SHARD},
	    {NULL, 0, NULL, 0},
	};
	struct cli c;
	int n = parse(&c, argc, argv, "F:L:P:R:t:", longs);

	/* A share is of the full pass: named slugs are decided whole. */
	if (c.o.shard_n > 0 && n < argc)
		agg_usage_why("--shard and SLUG: one or the other");
	slugs_check(argc - n, argv + n);
	return done(agg_verdict(&c.o, argv + n, argc - n));
}

static int
cmd_status(int argc, char **argv)
{
	static const struct option longs[] = {
	    {"json", no_argument, NULL, 'j'},
	    {NULL, 0, NULL, 0},
	};
	struct cli c;
	int n = parse(&c, argc, argv, "jR:t:", longs);

	slugs_check(argc - n, argv + n);
	return done(agg_status(&c.o, argv + n, argc - n));
}

/*
 * results SLUG [FROM [TO]]: the windows FROM to TO (FROM alone: that
 * window; neither: the hour up to the clock's window), at most 25 hours.
 */
static int
cmd_results(int argc, char **argv)
{
	struct cli c;
	int n = parse(&c, argc, argv, "R:t:", no_longs);
	long long to = agg_window(mcp_now()), from = to - AGG_HOUR + AGG_WINDOW;

	argc -= n, argv += n;
	if (argc < 1)
		agg_usage_why("a SLUG is needed");
	if (argc > 3)
		agg_usage_why("%s: unexpected argument", argv[3]);
	if (!mcp_slug_ok(argv[0]))
		errx(MCP_EXIT_USAGE, "%s: bad slug: not " MCP_SLUG_RULE, argv[0]);
	if (argc >= 2)
		from = to = window_arg(argv[1]);
	if (argc == 3)
		to = window_arg(argv[2]);
	if (to < from || to - from > AGG_TTL_SHORT)
		errx(MCP_EXIT_USAGE, "%s %s: TO before FROM, or more than 25 hours after it",
		    argv[1], argv[2]);
	return done(agg_results(&c.o, argv[0], from, to));
}

static int
cmd_token(int argc, char **argv)
{
	static const struct option longs[] = {
	    {"take-back", no_argument, NULL, OPT_TAKE_BACK},
	    {NULL, 0, NULL, 0},
	};
	struct cli c;
	int n = parse(&c, argc, argv, "R:t:", longs);

	if (n == argc)
		agg_usage_why("add, list or revoke is needed");
	if (strcmp(argv[n], "add") != 0 && strcmp(argv[n], "list") != 0 &&
	    strcmp(argv[n], "revoke") != 0)
		agg_usage_why("%s: unknown command", argv[n]);
	return done(agg_token(&c.o, argc - n, argv + n));
}

static int
cmd_ingest(int argc, char **argv)
{
	struct cli c;
	int n = parse(&c, argc, argv, "o:R:t:", no_longs);

	if (n < argc)
		agg_usage_why("%s: unexpected argument", argv[n]);
	return agg_ingest(&c.o, c.overrides);
}

/* The subcommands: each parses its own options (argv[0] its name). */
static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} cmds[] = {
    {"push", cmd_push},
    {"verdict", cmd_verdict},
    {"results", cmd_results},
    {"status", cmd_status},
    {"report", agg_report},
    {"audit", reg_main},
    {"registry", reg_main},
    {"targets", reg_main},
    {"token", cmd_token},
    {"reader", agg_reader},
    {"tools", agg_tools},
    {"fleet", agg_fleet},
    {"ingest", cmd_ingest},
};

int
main(int argc, char *argv[])
{
	struct agg_opts o = AGG_OPTS_INIT;
	size_t i;

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
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("%s %s\n", program_invocation_short_name, MCP_VERSION);
		return mcp_rec_close_stdout() == -1 ? MCP_EXIT_FAIL : MCP_EXIT_OK;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		agg_help();
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0) {
			agg_cmd_set(cmds[i].name);
			return cmds[i].run(argc - 1, argv + 1);
		}
	agg_usage_why(argv[1][0] == '-' ? "%s: unknown option" : "%s: unknown command", argv[1]);
}
