/*
 * hist.h - the long history of a slug, and the report made of it
 * (mcp-store(7): tally, red and rgn; mcp-aggregate(1), "Reports").
 *
 * The verdict's script writes the three keys (aggregate/histlua.h);
 * mcp-aggregate report and mcp-serve's /report/SLUG read them through
 * here, so that both give the same numbers by the same rule.  Pure: it
 * reads the bytes the store gave, checks every one of them, and never
 * prints.
 *
 * tally   400 records of 12 bytes, the day DAY at 12 x (DAY mod 400):
 *         big-endian 16-bit TAG = (DAY mod 65535) + 1, then the windows of
 *         the day that were green, amber, red, unknown, in maintenance.
 *         A record whose TAG is not the day's is of another day (400 days
 *         before, or after): none.
 * red     hash: DAY -> the day's incidents, "S-E:N S-E:N ...", S and E the
 *         positions (0-1439) of the first and last red window of each, N
 *         its red windows; at most 24, the 24th ending in "*" when it took
 *         the rest of a day with more.
 * rgn     hash: REGION -> 14 records of 6 bytes, the month MONTH at
 *         6 x (MONTH mod 14): TAG = (MONTH mod 65535) + 1, the windows the
 *         region's own probe passed, those it failed.
 * Both hold a field V (1), neither a day nor a region, so that they exist
 * from a slug's first verdict on, as the script that declares them needs.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_HIST_H
#define MCP_HIST_H

#include <stddef.h>

#include <hiredis.h>

#include "mcp.h"

#define MCP_HIST_DAYS 400 /* days the tally keeps: its records */
#define MCP_HIST_REC 12   /* bytes a day's record */
#define MCP_HIST_RING (MCP_HIST_DAYS * MCP_HIST_REC)
#define MCP_HIST_MONTHS 14 /* months a region keeps */
#define MCP_HIST_MREC 6    /* bytes a month's record */
#define MCP_HIST_MRING (MCP_HIST_MONTHS * MCP_HIST_MREC)
#define MCP_HIST_REGIONS 16   /* regions a slug's rgn holds */
#define MCP_HIST_DAY_INC 24   /* incidents a day keeps */
#define MCP_HIST_GAP 2        /* windows not red inside one incident, at most */
#define MCP_HIST_WINDOWS 1440 /* windows a day */
#define MCP_HIST_TTL (MCP_HIST_DAYS * 86400)
/* A window W is decided at W + 95 (aggregate.h: its minute and the probes' 35 s). */
#define MCP_HIST_COMPLETE 95
/* Regions a report lists: a fleet's, the slugs' together. */
#define MCP_HIST_REPORT_REGIONS 64

/* A day's counts, by the verdict's letter. */
enum mcp_hist_kind { MCP_H_GREEN, MCP_H_AMBER, MCP_H_RED, MCP_H_UNKNOWN, MCP_H_MAINT, MCP_H_NKIND };

/*
 * The record of day in the tally ring (len bytes; anything but
 * MCP_HIST_RING reads as none): 1 with its counts in c, 0 when it holds
 * none of that day, or counts that cannot be (more than a day's windows).
 */
int mcp_hist_day(const unsigned char *ring, size_t len, long day, long c[MCP_H_NKIND]);

/* Months are 12 x year + month - 1: the month of a day, and its first day. */
long mcp_hist_month(long day);
long mcp_hist_month_day(long month);
/* "YYYY-MM", 1970-01 to 9999-12, into *month: 0, or -1. */
int mcp_hist_month_parse(const char *s, long *month);
/* "2026-10" into buf (8 bytes at least). */
void mcp_hist_month_text(long month, char *buf, size_t len);

/*
 * A region's passes and failures in month, from its value of rgn: 1, or 0
 * when it holds none for that month (or is not MCP_HIST_MRING bytes).
 */
int mcp_hist_region_month(const unsigned char *v, size_t len, long month, long *pass, long *fail);

/*
 * The day's incidents, from its value of red, into inc[MCP_HIST_DAY_INC]
 * as positions: their count, or -1 when the value does not read (out of
 * order, out of the day, more red windows than minutes).
 */
struct mcp_hist_piece {
	int s, e; /* positions of the first and last red window */
	int n;    /* red windows */
	int merged;
};
int mcp_hist_pieces(const char *v, struct mcp_hist_piece *inc);

struct mcp_incident {
	double start, end; /* its first red window's start, its last's end */
	long down;         /* red windows in it */
	int merged;        /* a day's 24th, which took the rest of the day */
	int before;        /* it began before the period */
	int after;         /* it went on past the period's end */
	int ongoing;       /* too recent to have ended (MCP_HIST_GAP windows) */
};

struct mcp_report_region {
	char name[MCP_SLUG_MAX + 1];
	long pass, fail;
};

struct mcp_report {
	long month0, month1; /* the period, months, both included */
	double start, end;   /* [start, end): end no later than the clock's latest window */
	long windows;        /* minutes of the period */
	long n[MCP_H_NKIND]; /* minutes of each letter */
	long undecided;      /* minutes without a verdict */
	long days_none;      /* days of the period without a record */
	struct mcp_report_region reg[MCP_HIST_REPORT_REGIONS]; /* sorted by name */
	size_t nreg;
	struct mcp_incident *inc; /* owned (mcp_report_free); NULL in a fleet's */
	size_t ninc;              /* incidents (listed in inc, or counted) */
	long resolved;            /* incidents that ended in the period */
	double ttr;               /* their whole durations, summed */
	long servers;             /* a fleet's: the reports added */
};

/* What the store holds for one slug; every value is checked. */
struct mcp_hist_in {
	const unsigned char *ring; /* GET tally, NULL for none */
	size_t ringlen;
	const char **red; /* HGETALL red: field, value, ... */
	size_t nred;      /* strings (2 a field) */
	const char **rgn; /* HGETALL rgn: field, value, ... */
	size_t *rgnlen;   /* their lengths */
	size_t nrgn;
};

/*
 * in from the replies of GET tally, HGETALL red and HGETALL rgn (borrowed:
 * valid while they are), its arrays owned (mcp_hist_in_free).  0, or -1
 * when memory ran out.
 */
int mcp_hist_in_replies(
    struct mcp_hist_in *in, const redisReply *tally, const redisReply *red, const redisReply *rgn);
void mcp_hist_in_free(struct mcp_hist_in *in);

/*
 * The report of months month0 to month1 as of now (the period ends at the
 * end of the latest window decided by then, MCP_HIST_COMPLETE): 0, or -1
 * when memory ran out, or when the period has not begun (r->windows 0).
 */
int mcp_report_make(
    struct mcp_report *r, long month0, long month1, double now, const struct mcp_hist_in *in);
void mcp_report_free(struct mcp_report *r);
/* A fleet's: start it from the period, then add each slug's report. */
void mcp_report_fleet(struct mcp_report *fleet, const struct mcp_report *r);

/* Uptime in percent, -1 for none; MTTR in seconds, -1 for none. */
double mcp_report_uptime(const struct mcp_report *r);
double mcp_report_region_uptime(const struct mcp_report_region *g);
double mcp_report_mttr(const struct mcp_report *r);

/*
 * The rule every report states, {name, sentence}, ending with {NULL,
 * NULL}: the text, JSON, CSV and the page say these words.
 */
extern const char *const mcp_report_rule[][2];

#endif
