/*
 * fetch.h - the pages of a registry over HTTP (fetch.c).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef REG_FETCH_H
#define REG_FETCH_H

#include <curl/curl.h>

#include "buf.h"
#include "reg.h"

/*
 * A libcurl handle set up for a crawl, trusting cacert when not NULL
 * (owned: curl_easy_cleanup), or NULL.
 */
CURL *reg_fetch_handle(const char *cacert);

/*
 * GET url into body (capped at REG_PAGE_MAX), trying again on 429 (after
 * its Retry-After, at most a minute), 5xx and transport failures (after
 * 1, 2, 4 s), warning on stderr at each retry.  Nothing goes past deadline
 * (mcp_mono() seconds): a try is cut to it, and a wait that would end
 * past it fails at once.  A redirect within the origin over https is
 * followed (5 at most); any other fails, named.  0 for a 200, its Date
 * header in *date (epoch seconds, -1 when none), or -1 with the reason in
 * err.
 */
int reg_fetch(CURL *c, const char *url, double deadline, struct mcp_buf *body, double *date,
    char *err, size_t len);

#endif
