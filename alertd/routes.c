/*
 * routes.c - mcp-alert routes test: which routes a new incident of a
 * severity would be told of at a time, and the escalation steps that
 * would follow, from the configuration alone (and the slug's maintenance
 * window, when a slug is named).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alert.h"
#include "routes/routes.h"

static void
names(char *buf, size_t len, const struct alert_conf *c, unsigned long set)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < c->nroutes; i++)
		if (set & (1UL << i))
			n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? ", " : "",
			    c->routes[i].name);
	if (n == 0)
		snprintf(buf, len, "nobody");
}

const struct option alert_opts_routes[] = {{"severity", required_argument, NULL, 's'},
    {"at", required_argument, NULL, 'a'}, {NULL, 0, NULL, 0}};

int
alert_routes_test(struct mcp_store *st, const struct alert_conf *c, int argc, char **argv)
{
	const char *sev = "P1", *slug = NULL;
	char who[ALERT_ROUTES_MAX * (ALERT_NAME_MAX + 2)], when[32], end[32],
	    key[MCP_SLUG_MAX + 32];
	const char *get[] = {"HGETALL", key};
	double at = mcp_now();
	struct alert_maint m;
	unsigned long set, pd = 0, own = 0;
	redisReply *r;
	int ch, i;

	/* The words were checked (alert_cli_check): "routes test", then its own. */
	argc--, argv++;
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", alert_opts_routes, NULL)) != -1) {
		if (ch == 's' && strcmp(optarg, "P1") != 0 && strcmp(optarg, "P2") != 0 &&
		    strcmp(optarg, "P3") != 0) {
			warnx("routes test: --severity %s: not P1, P2 or P3", optarg);
			return MCP_EXIT_USAGE;
		} else if (ch == 's')
			sev = optarg;
		else if (ch == 'a' && (at = alert_time_of(optarg)) < 0) {
			warnx("routes test: --at %s: not a time", optarg);
			return MCP_EXIT_USAGE;
		} else if (ch != 's' && ch != 'a')
			alert_usage_exit(
			    "routes", "test", "routes test: %s: unknown option", argv[optind - 1]);
	}
	if (argc - optind > 1)
		alert_usage_exit("routes", "test", "routes test: want at most one SLUG");
	if (argc - optind == 1 && !mcp_slug_ok(argv[optind])) {
		warnx("routes test: %s: bad slug: not " MCP_SLUG_RULE, argv[optind]);
		return MCP_EXIT_USAGE;
	}
	slug = argc - optind == 1 ? argv[optind] : NULL;
	mcp_iso8601(at, when, sizeof(when));
	printf("%s at %s: %s hours (%s)\n", sev, when,
	    alert_business(c, at) ? "business" : "outside business", c->bzone);
	if (slug != NULL) {
		alert_maint_key(key, sizeof(key), slug);
		if ((r = alert_cmd(st, 2, get)) == NULL)
			return MCP_EXIT_FAIL;
		i = alert_maint_parse(r, &m);
		freeReplyObject(r);
		if (i == 1 && m.start <= at && at < m.end) {
			mcp_iso8601(m.end, end, sizeof(end));
			printf("%s: in maintenance until %s (%s): held back, nobody told\n", slug,
			    end, m.reason);
			return MCP_EXIT_OK;
		}
	}
	set = alert_routes_for(c, sev, at);
	names(who, sizeof(who), c, set);
	printf("told: %s\n", who);
	for (i = 0; i < c->nroutes; i++)
		if (c->routes[i].type == RT_PAGERDUTY)
			pd |= 1UL << i;
		else if (alert_pager_incidents(c->routes[i].type)) /* paging services */
			own |= 1UL << i;
	if (strcmp(sev, "P1") == 0 && set != 0 && (set & ~pd) == 0 && c->nsteps > 0)
		printf("then: left to PagerDuty's own escalation\n");
	else if (strcmp(sev, "P1") == 0 && set != 0 && (set & ~(pd | own)) == 0 && c->nsteps > 0)
		printf("then: left to the escalation of the services told\n");
	else if (strcmp(sev, "P1") == 0)
		for (i = 0; i < c->nsteps; i++) {
			names(who, sizeof(who), c, c->steps[i].routes);
			long a = c->steps[i].after;

			printf("unacknowledged after %ld%s: %s\n",
			    a % 3600 == 0     ? a / 3600
			        : a % 60 == 0 ? a / 60
			                      : a,
			    a % 3600 == 0     ? "h"
			        : a % 60 == 0 ? "m"
			                      : "s",
			    who);
		}
	return set != 0 ? MCP_EXIT_OK : MCP_EXIT_FAIL;
}
