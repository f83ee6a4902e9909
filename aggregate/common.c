/*
 * common.c - what every subcommand of mcp-aggregate shares, the
 * registry's room included: the usage and the store's connection.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "aggregate.h"
#include "mcp.h"

void
agg_usage(void)
{
	fprintf(stderr,
	    "usage: %s push [-v] [-r REGION] [-R URL] [-S FILE] [-t SECONDS]\n"
	    "       %s verdict [-F SLUGS] [-L SECONDS] [-P PERCENT] [-R URL] [-t SECONDS] "
	    "[SLUG ...]\n"
	    "       %s results [-R URL] [-t SECONDS] SLUG [FROM [TO]]\n"
	    "       %s status [-j] [-R URL] [-t SECONDS] [SLUG ...]\n"
	    "       %s audit [-R URL] [-t SECONDS] [--json] [--period DURATION] [--save] [--at "
	    "EPOCH]\n"
	    "       %s registry sync [-R URL] [-t SECONDS] [--full] [--allow-http] [--force] "
	    "[--deadline SECONDS] [--cacert FILE] [URL]\n"
	    "       %s targets [-R URL] [-t SECONDS] [-o OVERRIDES] [--shard K/N]\n",
	    program_invocation_short_name, program_invocation_short_name,
	    program_invocation_short_name, program_invocation_short_name,
	    program_invocation_short_name, program_invocation_short_name,
	    program_invocation_short_name);
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
