/*
 * report.h - mcp-aggregate report, between its reading (report.c) and its
 * printing (reportout.c): a table, JSON records or CSV, the rule of
 * lib/hist.h stated in each.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef AGG_REPORT_H
#define AGG_REPORT_H

#include <stddef.h>

#include "buf.h"
#include "hist.h"

enum rep_format { REP_TEXT, REP_JSON, REP_CSV };

struct rep_out {
	enum rep_format fmt;
	long month0, month1; /* the period, months */
	double start, end;   /* its bounds: end no later than the latest window */
	int width;           /* the slug column of the table */
	struct mcp_buf more; /* the table's details, printed after it */
};

/* Before the slugs: the table's head or the CSV header.  0, or -1 when stdout fails. */
int rep_head(struct rep_out *o, size_t nslugs);
/* One slug's report: a row and its details, a record, or rows. */
int rep_slug(struct rep_out *o, const char *slug, const struct mcp_report *r);
/* The fleet's, and the rule; the details of the table.  0, or -1. */
int rep_fleet(struct rep_out *o, const struct mcp_report *f);

#endif
