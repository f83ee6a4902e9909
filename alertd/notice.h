/*
 * notice.h - what the files of mcp-alert's side of the status page share:
 * the posts (post.c), their text (posttext.c), the subscribers (subs.c),
 * the notices and their messages (notice.c), their fan-out (fanout.c) and
 * their delivery (subsend.c).  The keys and bounds are lib/page.h's.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef ALERT_NOTICE_H
#define ALERT_NOTICE_H

#include "alert.h"
#include "page.h"

/* posttext.c: pure checks, unit-tested (tests/unit/test_alert.c). */
#define POST_STATES 4
extern const char *const post_states[POST_STATES]; /* investigating ... resolved */
/* The index of a post's state, or -1. */
int post_state(const char *s);
/*
 * Text of a title (lines 0) or of an update (lines 1): CR LF made LF in
 * place, blanks trimmed at both ends; then at most max bytes of UTF-8,
 * not empty, no control character but LF where lines are allowed (no C1
 * control either).  0, or -1 with why.
 */
int post_text(char *s, size_t max, int lines, char *why, size_t len);
/* 1 when s is a post's id: a decimal number from 1, at most 12 digits. */
int post_id_ok(const char *s);
/* 1 when s looks like a dedup_key: SLUG:START or SLUG:KIND:START. */
int post_incident_ok(const char *s);
/*
 * The link of a notice into buf: BASE/status/SLUG#post-ID for a post about
 * one slug, BASE/status#post-ID for more, BASE/status/SLUG for the rest;
 * "" when base is NULL.
 */
void notice_link(char *buf, size_t len, const char *base, const cJSON *notice);

/* notice.c: the notices, and what each kind of subscriber is sent. */
#define PAGE_STR_(x) #x
#define PAGE_STR(x) PAGE_STR_(x)
/*
 * Lua that stores a notice and queues it for the fan-out: KEYS[kn] its
 * key (PAGE_NOTICE ID), KEYS[kl] the list (PAGE_NOTICES), ARGV[aj] its
 * JSON, ARGV[ai] its id.  The oldest are dropped past PAGE_NOTICES_MAX.
 */
#define NOTICE_LUA(kn, kl, aj, ai)                                                                 \
	"redis.call('SET', KEYS[" kn "], ARGV[" aj                                                 \
	"], 'EX', " PAGE_STR(PAGE_NOTICE_TTL) ")\n"                                                \
	                                      "redis.call('RPUSH', KEYS[" kl "], ARGV[" ai "])\n"  \
	                                      "redis.call('LTRIM', KEYS[" kl                       \
	                                      "], -" PAGE_STR(PAGE_NOTICES_MAX) ", -1)\n"
/* A new notice: v, type, a random id, event, at; the caller adds the rest.  Owned. */
cJSON *notice_new(const char *event, double at);
/* The JSON of n (deleted), owned, its id copied into idbuf. */
char *notice_text(cJSON *n, char *idbuf, size_t idlen);
/* Store and queue the notice n (deleted): 0, or -1 after a message. */
int notice_queue(struct mcp_store *st, cJSON *n);
/* The message to a subscriber (RFC 5322, CRLF), owned; unsub: its unsubscribe URL or NULL. */
char *notice_mail(const struct alert_conf *c, const struct alert_route *r, const char *to,
    const char *sub, const char *unsub, const cJSON *n);
/* The confirmation message of a request, owned. */
char *notice_confirm_mail(
    const struct alert_conf *c, const struct alert_route *r, const cJSON *rec);
/* The Slack body of a notice, owned. */
char *notice_slack(const cJSON *n);

/* fanout.c */
int page_drain(struct mcp_store *st, const struct alert_conf *c);
int page_fanout(struct mcp_store *st, const struct alert_conf *c);
int page_maint(struct mcp_store *st, const struct alert_conf *c);

/* subsend.c */
int page_deliver(struct mcp_store *st, const struct alert_conf *c, struct mcp_buf *out);

/* A store reply's string, or "" (borrowed from the reply). */
const char *page_reply_str(const redisReply *r);

#endif
