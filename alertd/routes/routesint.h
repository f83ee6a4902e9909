/*
 * routesint.h - what the files of the routes' room share across the
 * services: only routes/ includes it (chat.h and pagers.h do), the rest
 * of mcp-alert comes in through routes.h.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef ALERT_ROUTESINT_H
#define ALERT_ROUTESINT_H

#include "routes.h"

/*
 * routeconf.c: a route's URL and secret files, as a Slack route's are
 * read, for the routes of the services (chat.c, pagers.c): an http(s)
 * URL, or url_file=PATH's; the secret of a file, mode 600, trusted.
 * Owned, NULL with why.
 */
char *alert_route_url(
    struct alert_conf *c, const char *name, const char *arg, char *err, size_t errlen);
char *alert_route_secret(const char *path, char *err, size_t errlen);

/* sign.c */
#define ALERT_SIG_SIZE 48 /* "v1," and the base64 of an HMAC-SHA256, with its NUL */
/*
 * "v1,BASE64" of HMAC-SHA256(key, "ID.TS.BODY") into out (ALERT_SIG_SIZE
 * bytes at least).  0, or -1 when the secret is not a key.
 */
int alert_webhook_sign(
    const char *secret, const char *id, long long ts, const char *body, char *out, size_t len);

/* email.c */
#define ALERT_RCPT_MAX 16   /* addresses of one email route */
#define ALERT_ADDR_MAX 254  /* bytes of an address (RFC 5321: a path of 256) */
#define ALERT_GROUP_LIST 20 /* members of a group listed in a message */
/* "route NAME email URL FROM TO[,TO...] [credentials FILE]": w from NAME's TYPE on. */
int alert_email_conf(struct alert_route *r, char **w, int nw, char *err, size_t errlen);
/*
 * The message of rec for route r (RFC 5322, CRLF lines), owned.  Every
 * header made of the record's text is one line whatever it holds.
 */
char *alert_email_message(const struct alert_route *r, const cJSON *rec);
/* The thread's SMTP connection closed. */
void alert_email_done(void);
/* rec sent to r's server: 0 sent, 1 to retry, 2 refused for good; why says why. */
int alert_email_send(const struct alert_conf *c, const struct alert_route *r, const cJSON *rec,
    char *why, size_t len);

/* mailtext.c */
/* Cut s to at most max bytes, never inside a UTF-8 character: the length. */
size_t alert_utf8_cut(const char *s, size_t max);

/*
 * chattext.c: the summary past the slug it starts with ("SLUG: what",
 * "SLUG recovered ..."), or the whole of it: for a message whose header
 * says the slug already (Slack, payload.c; the chat services, chat.c).
 * Borrowed from sum.
 */
const char *alert_past_slug(const char *sum, const char *slug);

#endif
