/*
 * tools.h - what the files of the tool lists' changes share (serve.h is
 * their way in for the rest of mcp-serve): tools.c the history, the
 * divergence, the page's section, the feed and /api/status/SLUG/tools;
 * toolstext.c a change in words; toolsreview.c the review;
 * toolsfindings.c the findings.  Every value read from the verdict is
 * checked where it is read; every name is a server's text.  The _html
 * functions append to b: 0, or -1 when it took not all (mcp_buf_add).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef SERVE_TOOLS_H
#define SERVE_TOOLS_H

#include <stddef.h>

#include <cJSON.h>

#include "buf.h"

#define TCH_NAME 64 /* bytes of a name said */

/* tools.c: the values of a record, checked. */
/* Member k of o as a hash shown ("sha256:" and hex, at most 80 bytes), borrowed; else NULL. */
const char *tch_hash(const cJSON *o, const char *k);
/* Member k of o as a time in whole seconds within the years a record carries, else -1. */
double tch_time(const cJSON *o, const char *k);
/* The valid region names of a, at most SERVE_REGIONS_MAX: an array (owned). */
cJSON *tch_regions(const cJSON *a);

/* toolstext.c: a change in words. */
/* s cut to TCH_NAME bytes of whole characters, the hidden ones U+FFFD: buf of TCH_NAME + 4 holds it. */
void tch_cut(char *buf, size_t len, const char *s);
/* One item of a change in words, into buf ("renamed get_data to fetch_data"). */
void tch_item_text(char *buf, size_t len, const cJSON *it);
/* o's class ("breaking", "review", "compatible"), borrowed; NULL when it has none of them. */
const char *tch_class(const cJSON *o);
/* The regions of a named in HTML, ", " between, "no region named" for none. */
int tch_regions_html(struct mcp_buf *b, const cJSON *a);
/* The items of change ch (of entry e, or why it is not known) as an HTML list. */
int tch_items_html(struct mcp_buf *b, const cJSON *ch, const cJSON *e);

/* toolsreview.c: the review, kind by kind. */
/* The verdict's review, checked: an object of kinds (owned, empty for none), NULL out of memory. */
cJSON *tch_review(const cJSON *rec);
/* The review of each kind as a line of HTML. */
int tch_review_html(struct mcp_buf *b, const cJSON *rec);

/* toolsfindings.c: what the rules found in the server's text. */
/* The ids of a that are rules of mcp-rules(7), each once, as {id, severity, what}: owned. */
cJSON *tch_rules(const cJSON *a);
/* The verdict's findings, checked (owned); NULL when the verdict says none. */
cJSON *tch_findings(const cJSON *rec);
/* The findings as the page's box, nothing when none. */
int tch_findings_html(struct mcp_buf *b, const cJSON *rec);

#endif
