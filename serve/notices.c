/*
 * notices.c - the routes of the posts and of the subscriptions: the JSON
 * of a server's posts and of every post, the feed of every server, and
 * the three subscription routes, which alone take a POST (CONTRACT §5).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "notices.h"

/* /api/status/SLUG/posts: its slug into buf, or NULL. */
static const char *
posts_slug(const char *path, char *buf, size_t len)
{
	static const char pre[] = "/api/status/", suf[] = "/posts";
	size_t n = strlen(path), pl = sizeof(pre) - 1, sl = sizeof(suf) - 1;

	if (n <= pl + sl || strncmp(path, pre, pl) != 0 || strcmp(path + n - sl, suf) != 0 ||
	    n - pl - sl >= len)
		return NULL;
	snprintf(buf, len, "%.*s", (int)(n - pl - sl), path + pl);
	return mcp_slug_ok(buf) ? buf : NULL;
}

/* The JSON of a server's posts (slug) or of every post. */
static void
posts_route(struct conn *c, const struct req *q, const char *slug, struct resp *r)
{
	struct posts *p = serve_posts_load(c, slug, q->now);

	if (p == NULL) {
		serve_unavailable(r);
		return;
	}
	if (slug != NULL && !serve_posts_known(p))
		serve_error(r, 404, "not found", CACHE_API);
	else {
		r->ctype = CT_JSON;
		r->cache = CACHE_API;
		if (serve_posts_json(&r->body, p, q->now) != 0)
			serve_error(r, 500, "out of memory", NULL);
	}
	serve_posts_free(p);
}

/* /feed.atom: every post's updates, and the windows to come. */
static void
feed_route(struct conn *c, const struct req *q, struct resp *r)
{
	struct posts *p = serve_posts_load(c, NULL, q->now);
	char iso[32];
	int rc;

	if (p == NULL) {
		serve_unavailable(r);
		return;
	}
	r->ctype = "application/atom+xml; charset=utf-8";
	r->cache = "public, max-age=60";
	mcp_iso8601(floor(q->now / 60) * 60, iso, sizeof(iso));
	rc = mcp_buf_addf(&r->body,
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed "
	    "xmlns=\"http://www.w3.org/2005/Atom\">"
	    "<title>Every server: reports and maintenance</title><id>urn:mcp-uptime:posts</id>"
	    "<updated>%s</updated><author><name>mcp-uptime</name></author><link "
	    "rel=\"alternate\" href=\"/status\"/><link rel=\"self\" href=\"/feed.atom\"/>\n",
	    iso);
	rc |= serve_posts_feed(&r->body, p) | mcp_buf_adds(&r->body, "</feed>\n");
	serve_posts_free(p);
	if (rc != 0)
		serve_error(r, 500, "out of memory", NULL);
}

int
serve_notice_route(struct conn *c, const struct req *q, struct resp *r)
{
	const char *p = q->path, *slug;
	char buf[MCP_SLUG_MAX + 8];
	int sub = strcmp(p, "/subscribe") == 0     ? 0
	    : strcmp(p, "/subscribe/confirm") == 0 ? 1
	    : strcmp(p, "/unsubscribe") == 0       ? 2
	                                           : -1;
	int get = strcmp(q->method, "GET") == 0 || q->head;

	if (sub >= 0) {
		if (!get && strcmp(q->method, "POST") != 0) {
			serve_error(r, 405, "method not allowed", NULL);
			r->allow = "GET, HEAD, POST";
		} else
			serve_subscription(c, q, r, sub);
		return 1;
	}
	slug = posts_slug(p, buf, sizeof(buf));
	if (slug == NULL && strcmp(p, "/api/posts") != 0 && strcmp(p, "/feed.atom") != 0)
		return 0;
	if (!get) {
		serve_error(r, 405, "method not allowed", NULL);
		r->allow = "GET, HEAD";
	} else if (strcmp(p, "/feed.atom") == 0)
		feed_route(c, q, r);
	else
		posts_route(c, q, slug, r);
	return 1;
}
