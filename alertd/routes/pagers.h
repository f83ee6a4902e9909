/*
 * pagers.h - the routes of the paging and phone services (mcp-alert.conf(5),
 * "Paging services"): ntfy, Gotify and Pushover (pagers.c), Opsgenie and
 * Splunk On-Call (oncall.c), Alertmanager (amgr.c).  Each body is built
 * from the alert record alone, in the service's documented shape, its
 * text cut to the service's limits; secrets only in the request, never in
 * the record, the outbox or a message.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef ALERT_PAGERS_H
#define ALERT_PAGERS_H

#include <curl/curl.h>

#include "routesint.h"
#include "buf.h"

/* What an event asks of a service that keeps incidents. */
enum pg_action { PG_NONE, PG_OPEN, PG_TEST, PG_CLOSE, PG_ACK };

/* pagers.c */
/* 1 for the types of these files. */
int alert_pager_type(enum route_type t);
/* "route NAME TYPE ARGS...": w from NAME on; 0, or -1 with a reason in err. */
int alert_pager_conf(
    struct alert_conf *c, struct alert_route *r, char **w, int nw, char *err, size_t errlen);
/* rec sent to r: SENT, RETRY or REFUSED (outbox.h), a Retry-After in *ra. */
int alert_pager_send(const struct alert_conf *c, const struct alert_route *r, const cJSON *rec,
    double *ra, char *why, size_t len);
/* The body of ntfy, Gotify or Pushover for rec, owned; the token none of it. */
char *alert_phone_body(const struct alert_conf *c, const struct alert_route *r, const cJSON *rec);
enum pg_action pg_action_of(const char *event);
/* "[TEST] P1 trigger: SLUG" into buf. */
void pg_title(char *buf, size_t len, const cJSON *rec);
/* The status page of rec's server (its group: the page), or "". */
void pg_link(char *buf, size_t len, const struct alert_conf *c, const cJSON *rec);
/*
 * The message: the summary, what to run for a change of tools, the link,
 * the dedup key, one per line; at most units UTF-16 units and bytes bytes
 * (0: no bound), the summary cut first.
 */
void pg_message(
    struct mcp_buf *b, const struct alert_conf *c, const cJSON *rec, size_t units, size_t bytes);
/* s cleaned (no control or invisible character) and cut as pg_message, added as k to o. */
void pg_add_text(cJSON *o, const char *k, const char *s, size_t units, size_t bytes);
/* An incident service's priority of rec: 1 (the most urgent) to 5 (a test). */
int pg_priority(const cJSON *rec);
/* The labels' alertname of rec: "MCP" and its kind in CamelCase ("MCPDown"). */
void pg_alertname(char *buf, size_t len, const cJSON *rec);

/* send.c */
/* POST body to url as ctype, with the headers h (freed): SENT, RETRY or REFUSED. */
int alert_http_post(const struct alert_conf *c, const char *url, struct curl_slist *h,
    const char *ctype, const char *body, double *ra, char *why, size_t len);

/* oncall.c */
/* Opsgenie's request for rec: its body, owned, and its URL in url (owned); NULL: none. */
char *alert_opsgenie_req(
    const struct alert_conf *c, const struct alert_route *r, const cJSON *rec, char **url);
/* Splunk On-Call's body for rec, owned; NULL: none. */
char *alert_victorops_body(const struct alert_conf *c, const cJSON *rec);

/* amgr.c (its store, the key of its hash and its refresh: routes.h) */
/* Alertmanager's request for rec: its body, owned, and its URL (owned); NULL: none. */
char *alert_am_req(const struct alert_conf *c, const struct alert_route *r, const cJSON *rec,
    const cJSON *kept, char **url);
int alert_am_send(const struct alert_conf *c, const struct alert_route *r, const cJSON *rec,
    double *ra, char *why, size_t len);

#endif
