/*
 * report.c - mcp-aggregate report: the uptime of one month or a range of
 * months, for the slugs named or every slug of the index, read from the
 * long history (mcp-store(7): tally, red, rgn) and counted by the rule of
 * lib/hist.h; printed by reportout.c.  Three reads a slug, in batches.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "mcp.h"
#include "rec.h"
#include "report.h"

#define NREP 3        /* replies a slug: GET tally, HGETALL red, HGETALL rgn */
#define MONTHS_MAX 14 /* months a report spans, at most: what the history holds */

static long
month_arg(const char *flag, const char *s)
{
	long m;

	if (mcp_hist_month_parse(s, &m) == -1)
		errx(MCP_EXIT_USAGE, "%s %s: want a month, YYYY-MM, 1970-01 or later", flag, s);
	return m;
}

/* One batch of slugs and its replies, NREP a slug. */
struct rctx {
	char **slugs;
	size_t n;
	redisReply **rep;
};

static enum mcp_store_status
report_once(struct mcp_store *st, void *arg, char *err, size_t errlen)
{
	struct rctx *x = arg;
	char k[3][MCP_SLUG_MAX + 64];
	size_t i;

	for (i = 0; i < x->n * NREP; i++) {
		freeReplyObject(x->rep[i]);
		x->rep[i] = NULL;
	}
	for (i = 0; i < x->n; i++) {
		agg_key(k[0], sizeof(k[0]), x->slugs[i], "tally", -1);
		agg_key(k[1], sizeof(k[1]), x->slugs[i], "red", -1);
		agg_key(k[2], sizeof(k[2]), x->slugs[i], "rgn", -1);
		mcp_store_appendf(st, "GET %s", k[0]);
		mcp_store_appendf(st, "HGETALL %s", k[1]);
		mcp_store_appendf(st, "HGETALL %s", k[2]);
	}
	if (mcp_store_read(st, x->rep, x->n * NREP, err, errlen) == -1)
		return MCP_STORE_AGAIN;
	for (i = 0; i < x->n * NREP; i++)
		if (x->rep[i]->type == REDIS_REPLY_ERROR) {
			snprintf(err, errlen, "%s", x->rep[i]->str);
			return mcp_store_retryable(st, x->rep[i]) ? MCP_STORE_AGAIN
			                                          : MCP_STORE_FAIL;
		}
	return MCP_STORE_OK;
}

/* One slug's report from its three replies; 0, or -1 for memory. */
static int
slug_report(redisReply **rep, const struct rep_out *o, double now, struct mcp_report *r)
{
	struct mcp_hist_in in;
	int rc;

	if (mcp_hist_in_replies(&in, rep[0], rep[1], rep[2]) == -1)
		return -1;
	rc = mcp_report_make(r, o->month0, o->month1, now, &in);
	mcp_hist_in_free(&in);
	return rc;
}

/*
 * Every slug, a batch at a time: each printed, each added to the fleet's.
 * A slug named (not of the index) without any history is a warning.
 */
static int
run(struct mcp_store *st, char **slugs, size_t n, int named, struct rep_out *o, double now)
{
	static const struct mcp_store_retry rp = {3, 0, NULL};
	struct rctx x = {NULL, 0, NULL};
	struct mcp_report r, fleet;
	char err[512];
	size_t i, j;
	int rc = MCP_EXIT_OK;

	if ((x.rep = calloc(AGG_BATCH * NREP, sizeof(*x.rep))) == NULL)
		errx(MCP_EXIT_FAIL, "report: out of memory");
	memset(&fleet, 0, sizeof(fleet));
	if (rep_head(o, n) == -1)
		rc = AGG_EXIT_STDOUT;
	for (i = 0; i < n && rc != AGG_EXIT_STDOUT; i += x.n) {
		x.slugs = slugs + i;
		x.n = n - i < AGG_BATCH ? n - i : AGG_BATCH;
		if (mcp_store_run(st, &rp, report_once, &x, err, sizeof(err)) != MCP_STORE_OK) {
			warnx("redis: %s", err);
			rc = MCP_EXIT_FAIL;
			goto out;
		}
		for (j = 0; j < x.n && rc != AGG_EXIT_STDOUT; j++) {
			if (named && x.rep[j * NREP]->type != REDIS_REPLY_STRING &&
			    x.rep[j * NREP + 2]->elements == 0) {
				warnx("report: %s: no history stored for this slug", x.slugs[j]);
				rc = MCP_EXIT_FAIL;
				continue;
			}
			if (slug_report(&x.rep[j * NREP], o, now, &r) == -1)
				errx(MCP_EXIT_FAIL, "report: out of memory");
			mcp_report_fleet(&fleet, &r);
			if (rep_slug(o, x.slugs[j], &r) == -1)
				rc = AGG_EXIT_STDOUT;
			mcp_report_free(&r);
		}
	}
	if (rc != AGG_EXIT_STDOUT) {
		fleet.month0 = o->month0, fleet.month1 = o->month1;
		fleet.start = o->start, fleet.end = o->end;
		if (rep_fleet(o, &fleet) == -1)
			rc = AGG_EXIT_STDOUT;
	}
out:
	for (i = 0; i < AGG_BATCH * NREP; i++)
		freeReplyObject(x.rep[i]);
	free(x.rep);
	return rc;
}

static const struct option longopts[] = {
    {"json", no_argument, NULL, 'j'},
    {"csv", no_argument, NULL, 'c'},
    {"month", required_argument, NULL, 'm'},
    {"from", required_argument, NULL, 'f'},
    {"to", required_argument, NULL, 'T'},
    {NULL, 0, NULL, 0},
};

/*
 * The period: --month, --from (to --to, or this month), or the month
 * before this one; this month is the clock's latest decided window's.
 */
static void
period_of(struct rep_out *o, long month, long from, long to, double now)
{
	long cur = mcp_hist_month((long)floor((now - MCP_HIST_COMPLETE) / AGG_DAY));
	char a[16];

	if (month >= 0 && (from >= 0 || to >= 0))
		errx(MCP_EXIT_USAGE, "--month and --from or --to: one period, not both");
	if (to >= 0 && from < 0)
		errx(MCP_EXIT_USAGE, "--to without --from");
	o->month0 = month >= 0 ? month : from >= 0 ? from : cur - 1;
	o->month1 = month >= 0 ? month : to >= 0 ? to : from >= 0 ? cur : cur - 1;
	mcp_hist_month_text(o->month1, a, sizeof(a));
	if (o->month1 < o->month0)
		errx(MCP_EXIT_USAGE, "--to %s: before --from", a);
	if (o->month1 > cur)
		errx(MCP_EXIT_USAGE, "%s: the month has not begun", a);
	if (o->month1 - o->month0 >= MONTHS_MAX)
		errx(MCP_EXIT_USAGE, "a report spans %d months at most: the history holds no more",
		    MONTHS_MAX);
	o->start = (double)mcp_hist_month_day(o->month0) * AGG_DAY;
	o->end = fmin((double)mcp_hist_month_day(o->month1 + 1) * AGG_DAY,
	    (double)(agg_latest_complete(now) + AGG_WINDOW));
}

int
agg_report(int argc, char **argv)
{
	struct agg_opts ao = AGG_OPTS_INIT;
	struct rep_out o;
	struct mcp_store *st;
	long month = -1, from = -1, to = -1;
	double now = mcp_now();
	char why[600], **slugs = argv, **own = NULL;
	size_t n = 0, i, w;
	int c, rc;

	memset(&o, 0, sizeof(o));
	o.fmt = REP_TEXT;
	while ((c = agg_getopt(argc, argv, "R:t:", longopts)) != -1) {
		switch (c) {
		case 'j':
		case 'c':
			if (o.fmt != REP_TEXT)
				errx(MCP_EXIT_USAGE, "--json and --csv: one format, not both");
			o.fmt = c == 'j' ? REP_JSON : REP_CSV;
			break;
		case 'm':
			month = month_arg("--month", optarg);
			break;
		case 'f':
			from = month_arg("--from", optarg);
			break;
		case 'T':
			to = month_arg("--to", optarg);
			break;
		case 'R':
			ao.url = mcp_store_url_arg(optarg);
			break;
		case 't':
			if ((ao.timeout = mcp_parse_seconds(optarg)) < 0)
				errx(MCP_EXIT_USAGE, "-t %s: not a number of seconds", optarg);
			break;
		default:
			agg_usage();
		}
	}
	for (i = (size_t)optind; i < (size_t)argc; i++)
		if (!mcp_slug_ok(argv[i]))
			errx(MCP_EXIT_USAGE, "%s: bad slug: not " MCP_SLUG_RULE, argv[i]);
	if (mcp_store_url_check(ao.url, why, sizeof(why)) == -1)
		errx(MCP_EXIT_USAGE, "%s", why);
	if (!(now >= 0 && now <= AGG_TIME_MAX))
		errx(MCP_EXIT_USAGE, "MCP_NOW: not a time (0 to %.0f)", AGG_TIME_MAX);
	period_of(&o, month, from, to, now);
	if ((st = agg_connect(&ao)) == NULL)
		return MCP_EXIT_FAIL;
	slugs = argv + optind;
	n = (size_t)(argc - optind);
	if (n == 0) {
		if (agg_all_slugs(st, &own, &n) == -1) {
			mcp_store_close(st);
			return MCP_EXIT_FAIL;
		}
		slugs = own;
	}
	for (i = 0, o.width = 6; i < n; i++)
		if ((w = strlen(slugs[i])) > (size_t)o.width)
			o.width = (int)w;
	rc = run(st, slugs, n, own == NULL, &o, now);
	if (rc == AGG_EXIT_STDOUT || fflush(stdout) == EOF) {
		mcp_stdout_failed();
		rc = MCP_EXIT_FAIL;
	} else if (mcp_rec_close_stdout() == -1) {
		rc = MCP_EXIT_FAIL;
	}
	for (i = 0; own != NULL && i < n; i++)
		free(own[i]);
	free(own);
	mcp_buf_free(&o.more);
	mcp_store_close(st);
	return rc;
}
