/*
 * chat.h - the routes of the chat services (mcp-alert.conf(5), Routes):
 * Microsoft Teams, Discord, Telegram, Google Chat, Mattermost,
 * Rocket.Chat, Zulip and Matrix.  chatsend.c reads their lines and sends;
 * chat.c makes each service's request of a record; chattext.c says a
 * text in a service's markup.  Shared by these and by send.c, routeconf.c.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef ALERT_CHAT_H
#define ALERT_CHAT_H

#include "routesint.h"

/* chattext.c */
enum chat_markup {
	CHAT_PLAIN,      /* no markup: Google Chat's card titles, Matrix's body */
	CHAT_TEAMS,      /* Teams' TextRun: no markdown, but {{DATE()}} */
	CHAT_DISCORD,    /* Discord's markdown */
	CHAT_COMMONMARK, /* Mattermost, Rocket.Chat */
	CHAT_ZULIP,      /* Zulip's markdown */
	CHAT_HTML,       /* Telegram's HTML, Google Chat's cards, Matrix's formatted_body */
};
/*
 * s appended to b on one line in markup m, at most units characters
 * (UTF-16 units: a character past the BMP is two) and bytes bytes, as
 * written; cut, it ends in an ellipsis.  The units written.
 */
size_t chat_text(struct mcp_buf *b, const char *s, size_t units, size_t bytes, enum chat_markup m);
/* "4h 4m", "2m 5s": secs said short. */
void chat_duration(char *buf, size_t len, double secs);

/* chat.c: one request of a service. */
struct chat_req {
	const char *method; /* "POST" or "PUT" */
	char *url;          /* owned, wiped: holds the token of some services */
	const char *type;   /* its Content-Type */
	char *body;         /* owned */
	int basic;          /* Zulip: HTTP Basic, the route's first word and its secret */
	int bearer;         /* Matrix: Authorization: Bearer and the secret */
};
/*
 * The request of rec for r (a chat route), id the delivery's (the same on
 * every attempt: Matrix's transaction id).  0, or -1 when the route hears
 * nothing of such a record.
 */
int chat_request(const struct alert_conf *c, const struct alert_route *r, const char *id,
    const cJSON *rec, struct chat_req *q);
void chat_req_free(struct chat_req *q);

/* chatsend.c */
/* 1 when t is the type of a chat route. */
int alert_chat_kind(int t);
/* The arguments of a chat route's line (w from TYPE's first argument on): 0, or -1 with why. */
int alert_chat_conf(
    struct alert_conf *c, struct alert_route *r, char **w, int nw, char *err, size_t errlen);
/* rec sent to r: SENT, RETRY or REFUSED with why; the wait a 429 asked for in *ra. */
int alert_chat_send(const struct alert_conf *c, const struct alert_route *r, const char *id,
    const cJSON *rec, double *ra, char *why, size_t len);
/* The thread's connections closed. */
void alert_chat_done(void);

#endif
