/*
 * notices.h - mcp-serve's side of the status page's posts and
 * subscriptions: the posts and scheduled maintenance shown on the pages,
 * in the feeds and as JSON (posts.c, posttext.c), and the routes of the
 * readers' subscriptions (subscribe.c, subpage.c).  Keys and bounds:
 * lib/page.h; the rules: mcp-serve(8), "Posts" and "Subscriptions".
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef SERVE_NOTICES_H
#define SERVE_NOTICES_H

#include "page.h"
#include "serve.h"

/* The bounds of the subscription routes (mcp-serve(8), "Subscriptions"). */
#define SUB_BODY_MAX 4096     /* bytes of a POST body read; more is 413, unread */
#define SUB_CLIENT_MAX 10     /* subscription requests of one client (IPv4, IPv6 /64) an hour */
#define SUB_NET_MAX 30        /* of one network (IPv4 /24, IPv6 /48) an hour */
#define SUB_NET_FREE 2        /* of one network an hour that the page's budget never refuses */
#define SUB_ALL_MAX 100       /* the page's budget: requests an hour past a network's free ones */
#define SUB_TOKEN_MAX 600     /* confirmations and unsubscriptions of one client an hour */
#define SUB_ADDR_WINDOW 86400 /* the window of the two bounds of one address: */
#define SUB_ADDR_MAILS 3      /* confirmation messages to an address, */
                              /* and one of them asked from one network */
#define POSTS_SHOWN 20        /* posts read for a page: the open ones, then the newest */
#define WINDOWS_SHOWN 50      /* maintenance windows on the page of every server */

/* The Lua scripts of the subscription routes (sublua.c): their KEYS and ARGV are said there. */
extern const char serve_subscribe_lua[], serve_confirm_lua[], serve_unsub_lua[];

/* What a page shows of posts and maintenance: serve_posts_load, serve_posts_free. */
struct posts;
/*
 * The posts and maintenance windows of slug's page (NULL: the page of
 * every server), read in two round trips and checked (the store is read
 * as hostile: a post that is not one is left out, a text too long cut).
 * Owned; NULL when the store fails.
 */
struct posts *serve_posts_load(struct conn *c, const char *slug, double now);
void serve_posts_free(struct posts *p);
/* The maintenance to come and the open posts, for the top of a page. */
int serve_posts_open_html(struct mcp_buf *b, const struct posts *p, double now);
/* The resolved posts, for the history of a page. */
int serve_posts_past_html(struct mcp_buf *b, const struct posts *p);
/* One Atom entry for each update of each post, and each window to come. */
int serve_posts_feed(struct mcp_buf *b, const struct posts *p);
/* The JSON of the posts and windows: {"posts":[...],"maintenance":[...]}. */
int serve_posts_json(struct mcp_buf *b, const struct posts *p, double now);
/* The subscription form of the page, when mcp-alert takes subscriptions (PAGE_OPEN). */
int serve_posts_form(struct mcp_buf *b, const struct posts *p);
/* A server's: 1 when the slug is in the index or has posts. */
int serve_posts_known(const struct posts *p);
/* The routes of posts and subscriptions: 1 when path is one (r answered), else 0. */
int serve_notice_route(struct conn *c, const struct req *q, struct resp *r);

/* posttext.c: text a post's author wrote, as HTML or as XML text. */
/*
 * s, at most max bytes of it, escaped: no byte of it is markup; invalid
 * UTF-8, control characters (C0 but LF, DEL, C1), U+FFFE, U+FFFF and the
 * other noncharacters become U+FFFD (XML 1.0 excludes some, HTML warns of
 * all).  As
 * HTML (links 0: XML text), LF is <br> and each http(s) URL a link.
 */
int serve_post_text(struct mcp_buf *b, const char *s, size_t max, int links);

/* subpage.c: the subscription form, and the pages of the subscription routes. */
int serve_subscribe_form(struct mcp_buf *b, const char *slug);
/* subscribe.c: /subscribe (route 0), /subscribe/confirm (1), /unsubscribe (2). */
void serve_subscription(struct conn *c, const struct req *q, struct resp *r, int route);
/* A client (IPv4, IPv6 /64) and its network (/24, /48) as the limits count them. */
void serve_client_of(const char *remote, char *buf, size_t len, char *net, size_t netlen);
enum sub_page { SP_FORM, SP_SENT, SP_CONFIRM, SP_CONFIRMED, SP_EXPIRED, SP_UNSUB, SP_GONE, SP_BAD };
/* The page of kind k: slugs (a "*" for all) and a token where the page has them. */
void serve_sub_page(struct resp *r, enum sub_page k, const char *const *slugs, int nslugs,
    const char *token, const char *query, const char *why);

#endif
