/*
 * test_hist.c - unit tests for the long history and the report made of it
 * (lib/hist.c): the civil dates, the months, the tally's records and the
 * rgn's, a day's incidents as red keeps them (every malformed value
 * refused), and the report over them: minutes of each kind, the days
 * without a record, incidents joined across midnight by the rule, those
 * of the period flagged (before, after, ongoing), the MTTR, the regions,
 * a fleet's sums, in TAP.
 *
 * usage: test_hist [datadir]   (the argument is ignored)
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hist.h"
#include "tap.h"

#define DAY 86400

/* Day d's record in ring: TAG and the counts g a r u m. */
static void
put_day(unsigned char *ring, long d, int g, int a, int r, int u, int m)
{
	unsigned char *p = ring + (d % MCP_HIST_DAYS) * MCP_HIST_REC;
	int v[6] = {(int)(d % 65535 + 1), g, a, r, u, m}, i;

	for (i = 0; i < 6; i++)
		p[2 * i] = (unsigned char)(v[i] >> 8), p[2 * i + 1] = (unsigned char)v[i];
}

static void
put_month(unsigned char *v, long month, int pass, int fail)
{
	unsigned char *p = v + (month % MCP_HIST_MONTHS) * MCP_HIST_MREC;
	int x[3] = {(int)(month % 65535 + 1), pass, fail}, i;

	for (i = 0; i < 3; i++)
		p[2 * i] = (unsigned char)(x[i] >> 8), p[2 * i + 1] = (unsigned char)x[i];
}

static void
test_dates(void)
{
	long long y;
	unsigned m, d;
	long month;

	mcp_civil(20781, &y, &m, &d);
	ok(y == 2026 && m == 11 && d == 24, "day 20781 is 2026-11-24");
	ok(mcp_days_from_civil(2026, 11, 24) == 20781, "and back");
	ok(mcp_days_from_civil(2024, 3, 1) - mcp_days_from_civil(2024, 2, 1) == 29,
	    "February 2024 has 29 days");
	ok(mcp_hist_month_parse("2026-10", &month) == 0 && month == 2026 * 12 + 9,
	    "2026-10 is month 12 x 2026 + 9");
	ok(mcp_hist_month_day(month) == mcp_days_from_civil(2026, 10, 1) &&
	        mcp_hist_month(mcp_days_from_civil(2026, 10, 31)) == month,
	    "its first day, and the month of its last");
	{
		static const char *const bad[] = {"2026-1", "2026-13", "2026-00", "1969-12",
		    "2026-10 ", "2026/10", "+026-10", "2026-+1", "", "20261-0"};
		size_t i;
		int all = 1;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			all &= mcp_hist_month_parse(bad[i], &month) == -1;
		ok(all, "a month that is not YYYY-MM from 1970-01 is refused");
	}
}

static void
test_records(void)
{
	static unsigned char ring[MCP_HIST_RING], v[MCP_HIST_MRING];
	long c[MCP_H_NKIND], pass, fail;

	memset(ring, 0, sizeof(ring));
	put_day(ring, 20781, 1430, 5, 3, 1, 1);
	ok(mcp_hist_day(ring, sizeof(ring), 20781, c) && c[0] == 1430 && c[1] == 5 && c[2] == 3 &&
	        c[3] == 1 && c[4] == 1,
	    "a day's record: green, amber, red, unknown, maintenance");
	ok(!mcp_hist_day(ring, sizeof(ring), 20781 + MCP_HIST_DAYS, c) &&
	        !mcp_hist_day(ring, sizeof(ring), 20781 - MCP_HIST_DAYS, c),
	    "the same slot 400 days on or before holds nothing of that day");
	ok(!mcp_hist_day(ring, sizeof(ring) - 1, 20781, c) && !mcp_hist_day(NULL, 0, 20781, c),
	    "a ring of the wrong length, or none, holds nothing");
	put_day(ring, 20782, 1440, 0, 1, 0, 0);
	ok(!mcp_hist_day(ring, sizeof(ring), 20782, c), "counts past a day's 1,440 do not read");
	memset(v, 0, sizeof(v));
	put_month(v, 24321, 43000, 12);
	ok(mcp_hist_region_month(v, sizeof(v), 24321, &pass, &fail) && pass == 43000 && fail == 12,
	    "a region's month: passed and failed");
	ok(!mcp_hist_region_month(v, sizeof(v), 24321 + MCP_HIST_MONTHS, &pass, &fail) &&
	        !mcp_hist_region_month(v, sizeof(v) - 1, 24321, &pass, &fail),
	    "14 months on, or a value of the wrong length: nothing");
}

static void
test_pieces(void)
{
	struct mcp_hist_piece p[MCP_HIST_DAY_INC];
	char many[512];
	size_t o = 0;
	int i;

	ok(mcp_hist_pieces("600-621:22 1000-1009:8", p) == 2 && p[0].s == 600 && p[0].e == 621 &&
	        p[0].n == 22 && p[1].n == 8 && !p[1].merged,
	    "two incidents of a day");
	ok(mcp_hist_pieces("0-1439:1440", p) == 1, "a whole day red");
	{
		static const char *const bad[] = {"600-599:1", "600-621:23", "5-9:2 3-4:1",
		    "5-9:2 9-10:2", "0-1440:1", "1-2:0", "1-2:1*  ", "1-2:1* 4-5:1", "1-2:1 ",
		    " 1-2:1", "1-2", "a-b:c", "1-2:1  3-4:1", "-1-2:1", "1-2:+1"};
		size_t k;
		int all = 1;

		for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
			if (mcp_hist_pieces(bad[k], p) != -1) {
				printf("# read: %s\n", bad[k]);
				all = 0;
			}
		ok(all,
		    "out of order, overlapping, out of the day, more red than minutes, "
		    "blanks, a * not last: refused");
	}
	for (i = 0; i < MCP_HIST_DAY_INC; i++)
		o += (size_t)snprintf(many + o, sizeof(many) - o, "%s%d-%d:1%s", i ? " " : "",
		    10 * i, 10 * i, i == MCP_HIST_DAY_INC - 1 ? "*" : "");
	ok(mcp_hist_pieces(many, p) == MCP_HIST_DAY_INC && p[MCP_HIST_DAY_INC - 1].merged,
	    "24 incidents, the last marked as taking the rest");
	snprintf(many + o, sizeof(many) - o, " 900-900:1");
	ok(mcp_hist_pieces(many, p) == -1, "a 25th is refused");
}

/*
 * October 2026 of one slug: day 3 down from 10:00 to 10:26, 24 of its 27
 * minutes red (the writer joined them), day 9 from 23:58 to day 10 00:02
 * (across midnight), day 31 from 23:50 on into November; 60 minutes of
 * maintenance on day 20; day 25 without a record.  The report is made on
 * 2026-11-15 and, for the ongoing case, on 2026-11-01 00:05.
 */
static void
test_report(void)
{
	static unsigned char ring[MCP_HIST_RING], eu[MCP_HIST_MRING], us[MCP_HIST_MRING];
	long oct = 2026 * 12 + 9, d0 = mcp_hist_month_day(oct), d;
	char f[6][24];
	const char *red[12];
	const char *rgn[4] = {"us-east-1", (const char *)us, "eu-west-2", (const char *)eu};
	size_t rgnlen[4] = {9, sizeof(us), 9, sizeof(eu)};
	struct mcp_hist_in in = {ring, sizeof(ring), red, 0, rgn, rgnlen, 4};
	struct mcp_report r, fleet;
	double now = (double)(d0 + 45) * DAY;

	memset(ring, 0, sizeof(ring));
	for (d = d0; d < d0 + 31; d++)
		if (d != d0 + 24)
			put_day(ring, d, 1440, 0, 0, 0, 0);
	put_day(ring, d0 + 2, 1406, 10, 24, 0, 0);
	put_day(ring, d0 + 8, 1438, 0, 2, 0, 0);
	put_day(ring, d0 + 9, 1437, 0, 3, 0, 0);
	put_day(ring, d0 + 19, 1378, 0, 0, 2, 60);
	put_day(ring, d0 + 30, 1430, 0, 10, 0, 0);
	put_day(ring, d0 + 31, 1400, 0, 40, 0, 0);
	snprintf(f[0], sizeof(f[0]), "%ld", d0 + 2);
	snprintf(f[1], sizeof(f[1]), "%ld", d0 + 8);
	snprintf(f[2], sizeof(f[2]), "%ld", d0 + 9);
	snprintf(f[3], sizeof(f[3]), "%ld", d0 + 30);
	snprintf(f[4], sizeof(f[4]), "%ld", d0 + 31);
	snprintf(f[5], sizeof(f[5]), "%ld", d0 + 24);
	red[0] = f[0], red[1] = "600-626:24";
	red[2] = f[1], red[3] = "1438-1439:2";
	red[4] = f[2], red[5] = "0-2:3";
	red[6] = f[3], red[7] = "1430-1439:10";
	red[8] = f[4], red[9] = "0-39:40";
	red[10] = f[5], red[11] = "0-9:10"; /* a day without a record: not read */
	in.nred = 12;
	memset(us, 0, sizeof(us));
	memset(eu, 0, sizeof(eu));
	put_month(us, oct, 44600, 40);
	put_month(eu, oct, 44000, 0);
	put_month(eu, oct - 1, 1, 1);

	ok(mcp_report_make(&r, oct, oct, now, &in) == 0, "the report of October 2026");
	ok(r.windows == 31 * 1440 && r.n[MCP_H_RED] == 24 + 2 + 3 + 10 && r.n[MCP_H_AMBER] == 10 &&
	        r.n[MCP_H_MAINT] == 60 && r.n[MCP_H_UNKNOWN] == 2,
	    "minutes of the month, and of each kind");
	ok(r.days_none == 1 && r.undecided == 1440, "the day without a record: 1,440 undecided");
	ok(fabs(mcp_report_uptime(&r) -
	       100.0 * (double)(r.n[0] + r.n[1]) / (double)(r.n[0] + r.n[1] + r.n[2])) < 1e-9,
	    "uptime: green and amber over green, amber and red");
	ok(r.ninc == 3, "three incidents: the one of day 3, the one across midnight, the last");
	ok(r.inc[0].start == (double)(d0 + 2) * DAY + 600 * 60 &&
	        r.inc[0].end == (double)(d0 + 2) * DAY + 627 * 60 && r.inc[0].down == 24,
	    "the first: 10:00 to 10:27, 24 minutes down");
	ok(r.inc[1].start == (double)(d0 + 8) * DAY + 1438 * 60 &&
	        r.inc[1].end == (double)(d0 + 9) * DAY + 3 * 60 && r.inc[1].down == 5,
	    "the second across midnight: 23:58 to 00:03");
	ok(r.inc[2].after && !r.inc[2].before && !r.inc[2].ongoing &&
	        r.inc[2].end == (double)(d0 + 31) * DAY + 40 * 60 && r.inc[2].down == 50,
	    "the third goes on into November, whole");
	ok(r.resolved == 2 && fabs(mcp_report_mttr(&r) - (27 * 60 + 5 * 60) / 2.0) < 1e-9,
	    "MTTR: the two that ended in the month");
	ok(r.nreg == 2 && strcmp(r.reg[0].name, "eu-west-2") == 0 && r.reg[0].pass == 44000 &&
	        r.reg[1].fail == 40,
	    "the regions, by name, of the month only");
	memset(&fleet, 0, sizeof(fleet));
	mcp_report_fleet(&fleet, &r);
	mcp_report_fleet(&fleet, &r);
	ok(fleet.servers == 2 && fleet.windows == 2 * r.windows && fleet.ninc == 6 &&
	        fleet.resolved == 4 && fleet.reg[1].fail == 80 &&
	        fabs(mcp_report_uptime(&fleet) - mcp_report_uptime(&r)) < 1e-9,
	    "a fleet of two: sums, the same uptime");
	mcp_report_free(&r);

	ok(mcp_report_make(&r, oct + 1, oct + 1, now, &in) == 0 && r.ninc == 1 && r.inc[0].before &&
	        r.resolved == 1 && mcp_report_mttr(&r) == 40 * 60 + 10 * 60,
	    "November: the incident that began in October, its MTTR whole");
	mcp_report_free(&r);
	ok(mcp_report_make(&r, oct, oct + 1, now, &in) == 0 && r.ninc == 3 && r.resolved == 3,
	    "October to November: three incidents, all ended");
	mcp_report_free(&r);

	/* 2026-11-01 00:05: the latest window decided is 00:03, one after the red. */
	now = (double)(d0 + 31) * DAY + 5 * 60;
	put_day(ring, d0 + 31, 0, 0, 3, 0, 0);
	red[9] = "0-2:3";
	ok(mcp_report_make(&r, oct + 1, oct + 1, now, &in) == 0 && r.windows == 4 &&
	        r.undecided == 1 && r.ninc == 1 && r.inc[0].ongoing && r.resolved == 0,
	    "as of 00:05, four minutes of November, the incident still going on");
	mcp_report_free(&r);
	ok(mcp_report_make(&r, oct + 2, oct + 2, now, &in) == -1, "a month not begun: none");
	in.ring = NULL;
	ok(mcp_report_make(&r, oct, oct, (double)(d0 + 45) * DAY, &in) == 0 && r.days_none == 31 &&
	        r.ninc == 0 && mcp_report_uptime(&r) == -1,
	    "no tally: every day without a record, no incident read, no uptime");
	mcp_report_free(&r);
}

int
main(void)
{
	test_dates();
	test_records();
	test_pieces();
	test_report();
	return done_testing();
}
