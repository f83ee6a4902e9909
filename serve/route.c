/*
 * route.c - the routes of mcp-serve (serve/SPEC.md, CONTRACT §5): methods,
 * paths, queries, conditional requests and the header block.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcp.h"
#include "notices.h"
#include "serve.h"

/* The parts of the body after r->body dropped. */
static void
more_free(struct resp *r)
{
	size_t i;

	for (i = 0; i < r->nmore; i++)
		mcp_buf_free(&r->more[i]);
	free(r->more);
	r->more = NULL;
	r->nmore = 0;
}

void
serve_resp_free(struct resp *r)
{
	mcp_buf_free(&r->body);
	more_free(r);
	mcp_buf_free(&r->head);
}

/* The bytes of the body, its parts after r->body included. */
static size_t
body_len(const struct resp *r)
{
	size_t i, n = r->body.len;

	for (i = 0; i < r->nmore; i++)
		n += r->more[i].len;
	return n;
}

static int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/*
 * Percent-decode inlen bytes of in (plus signs too when form is set) into
 * out.  -1 on a bad escape, a NUL (raw or %00) or no room.
 */
static int
decode(const char *in, size_t inlen, char *out, size_t outlen, int form)
{
	size_t i, o = 0;
	int hi, lo, ch;

	for (i = 0; i < inlen; i++) {
		ch = (unsigned char)in[i];
		if (ch == '%') {
			if (i + 2 >= inlen)
				return -1;
			if ((hi = hexval(in[i + 1])) < 0 || (lo = hexval(in[i + 2])) < 0)
				return -1;
			ch = hi * 16 + lo;
			i += 2;
		} else if (ch == '+' && form) {
			ch = ' ';
		}
		if (ch == '\0' || o + 1 >= outlen)
			return -1;
		out[o++] = (char)ch;
	}
	out[o] = '\0';
	return 0;
}

int
serve_decode_path(const char *in, size_t inlen, char *out, size_t outlen)
{
	return decode(in, inlen, out, outlen, 0);
}

int
serve_decode_form(const char *in, size_t inlen, char *out, size_t outlen)
{
	return decode(in, inlen, out, outlen, 1);
}

/*
 * The value of name in the query string, decoded into out: 1, 0 when it
 * is absent, -1 when it is malformed or longer than outlen allows.
 */
int
serve_query_get(const char *qs, const char *name, char *out, size_t outlen)
{
	size_t nlen = strlen(name), plen, klen;
	const char *p = qs, *eq;

	while (*p != '\0') {
		plen = strcspn(p, "&");
		eq = memchr(p, '=', plen);
		klen = eq != NULL ? (size_t)(eq - p) : plen;
		if (klen == nlen && memcmp(p, name, nlen) == 0) {
			if (eq == NULL)
				return outlen > 0 ? (out[0] = '\0', 1) : -1;
			return decode(eq + 1, plen - klen - 1, out, outlen, 1) == -1 ? -1 : 1;
		}
		p += plen;
		if (*p == '&')
			p++;
	}
	return 0;
}

/*
 * If-None-Match against our tag by the weak comparison (RFC 9110
 * §13.1.2): W/ is ignored on both sides, a list is walked, * matches.
 */
static int
etag_match(const char *inm, const char *etag)
{
	const char *p = inm, *end, *rest;
	const char *ours = etag[0] == 'W' && etag[1] == '/' ? etag + 2 : etag;
	size_t olen = strlen(ours);

	while (*p != '\0') {
		p += strspn(p, " \t,");
		if (*p == '*')
			return 1;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (*p != '"')
			return 0; /* not a list of tags: no match */
		if ((end = strchr(p + 1, '"')) == NULL)
			return 0;
		rest = end + 1 + strspn(end + 1, " \t");
		if (*rest != ',' && *rest != '\0')
			return 0; /* junk after a tag: the header is not a list of tags */
		if ((size_t)(end + 1 - p) == olen && memcmp(p, ours, olen) == 0)
			return 1;
		p = rest;
	}
	return 0;
}

void
serve_error(struct resp *r, int status, const char *what, const char *cache)
{
	mcp_buf_reset(&r->body);
	more_free(r);
	r->status = status;
	r->ctype = CT_JSON;
	r->cache = cache;
	r->etag[0] = '\0';
	if (mcp_buf_addf(&r->body, "{\"error\":\"%s\"}", what) != 0)
		r->status = 500;
}

int
serve_alias_cmd(const char **argv, const char *slug)
{
	size_t n = strlen(slug);

	if (n < 10 || slug[n - 9] != '-' || strspn(slug + n - 8, "0123456789abcdef") != 8)
		return 0;
	argv[0] = "HGET";
	argv[1] = MCP_KEY_ALIASES;
	argv[2] = slug;
	return 1;
}

void
serve_moved_of(const redisReply *r, struct summary *s)
{
	s->moved[0] = '\0';
	if (r != NULL && r->type == REDIS_REPLY_STRING && mcp_slug_ok(r->str))
		snprintf(s->moved, sizeof(s->moved), "%s", r->str);
}

/*
 * A reference relative to the path, so that it holds under whatever
 * prefix the web server mounts mcp-serve at: a "../" for each "/" of
 * the suffix, the new slug, the suffix; the query kept when it is
 * printable ASCII and short (a badge's label and theme).
 */
void
serve_moved(struct resp *r, const struct req *q, const char *suffix, const char *to)
{
	const char *p;
	size_t n = 0, qn = strlen(q->query);
	int keep = suffix != NULL && qn > 0 && qn <= 512, k;

	for (p = q->query; keep && *p != '\0'; p++)
		keep = *p > 0x20 && *p < 0x7f;
	if (suffix == NULL)
		k = snprintf(r->location, sizeof(r->location), "embed-status-prom?slug=%s", to);
	else {
		for (p = suffix; (p = strchr(p, '/')) != NULL; p++)
			n += 3;
		k = snprintf(r->location, sizeof(r->location), "%.*s%s%s%s%s", (int)n,
		    "../../../../", to, suffix, keep ? "?" : "", keep ? q->query : "");
	}
	if (k < 0 || (size_t)k >= sizeof(r->location) || n > 12) {
		r->location[0] = '\0';
		serve_error(r, 500, "a redirect too long", NULL);
		return;
	}
	serve_error(r, 301, "moved", CACHE_API);
	mcp_buf_reset(&r->body);
	if (mcp_buf_addf(&r->body, "{\"moved_to\":\"%s\"}", to) != 0)
		serve_error(r, 500, "out of memory", NULL);
}

void
serve_unavailable(struct resp *r)
{
	serve_error(r, 503, "store unavailable", "no-store");
	r->retry_after = 30;
}

/* The header block; a 304 and a HEAD keep the headers and lose the body. */
static void
finish(const struct req *q, struct resp *r)
{
	struct mcp_buf *h = &r->head;
	int rc;

	if (r->status == 200 && r->etag[0] != '\0' && q->inm != NULL &&
	    etag_match(q->inm, r->etag)) {
		r->status = 304;
		mcp_buf_reset(&r->body);
		more_free(r);
	}
	rc = mcp_buf_addf(h, "Status: %d %s\r\n", r->status, mcp_http_reason(r->status));
	if (r->status != 304)
		rc |= mcp_buf_addf(
		    h, "Content-Type: %s\r\nContent-Length: %zu\r\n", r->ctype, body_len(r));
	if (r->cache != NULL)
		rc |= mcp_buf_addf(h, "Cache-Control: %s\r\n", r->cache);
	if (r->etag[0] != '\0')
		rc |= mcp_buf_addf(h, "ETag: %s\r\n", r->etag);
	rc |= mcp_buf_adds(h, "Vary: Accept-Encoding\r\nAccess-Control-Allow-Origin: *\r\n");
	if (r->allow != NULL)
		rc |= mcp_buf_addf(h, "Allow: %s\r\n", r->allow);
	if (r->www_auth[0] != '\0')
		rc |= mcp_buf_addf(h, "WWW-Authenticate: %s\r\n", r->www_auth);
	if (r->location[0] != '\0')
		rc |= mcp_buf_addf(h, "Location: %s\r\n", r->location);
	if (r->retry_after > 0)
		rc |= mcp_buf_addf(h, "Retry-After: %d\r\n", r->retry_after);
	/* A page runs no script at all, and loads nothing from elsewhere. */
	if (r->html)
		rc |= mcp_buf_adds(h,
		    "Content-Security-Policy: default-src 'none'; style-src 'self'; "
		    "img-src 'self'; base-uri 'none'; form-action 'self'; "
		    "frame-ancestors 'self'\r\nReferrer-Policy: same-origin\r\n");
	rc |= mcp_buf_adds(h, "X-Content-Type-Options: nosniff\r\n\r\n");
	if (q->head || r->status == 304) {
		mcp_buf_reset(&r->body);
		more_free(r);
	}
	if (rc != 0) {
		/* Out of memory: a bare 500 from static text. */
		mcp_buf_free(&r->head);
		mcp_buf_free(&r->body);
		more_free(r);
		r->head.p = NULL;
		mcp_buf_adds(&r->head,
		    "Status: 500 Internal Server Error\r\n"
		    "Content-Type: text/plain\r\nContent-Length: 0\r\n\r\n");
	}
}

/* The slug between prefix and suffix of path, checked; NULL when none. */
static const char *
slug_in(const char *path, const char *prefix, const char *suffix, char *buf, size_t len)
{
	size_t pl = strlen(prefix), sl = strlen(suffix), n = strlen(path);

	if (n < pl + sl || strncmp(path, prefix, pl) != 0 || strcmp(path + n - sl, suffix) != 0)
		return NULL;
	n -= pl + sl;
	if (n >= len)
		return NULL;
	memcpy(buf, path + pl, n);
	buf[n] = '\0';
	return mcp_slug_ok(buf) ? buf : NULL;
}

/*
 * GET the verdict and the last probe, and the maintenance window when the
 * answer shows it (maint: the badge and the shields endpoint), in one
 * round trip; a slug with neither a verdict nor a probe is looked up in
 * the slug index in a second one (known, or 404).  The embed route and
 * the Prometheus line send 2 commands a request, not 4.
 */
static int
summarise(struct conn *c, const char *slug, double now, struct summary *s, int maint)
{
	char kv[128], ks[128], km[128];
	const char *a0[] = {"GET", kv}, *a1[] = {"ZREVRANGE", ks, "0", "0", "WITHSCORES"},
	           *a2[] = {"HMGET", km, "start", "end", "reason"}, *al[3],
	           *a3[] = {"ZSCORE", "mcp:slugs", slug};
	const char **argv[] = {a0, a1, maint ? a2 : al, al}, **argv3[] = {a3};
	int argc[] = {2, 5, maint ? 5 : 3, 3}, argc3[] = {3};
	redisReply *rep[4];
	size_t n = maint ? 3 : 2;
	int alias = serve_alias_cmd(al, slug);

	snprintf(kv, sizeof(kv), "mcp:{%s}:verdict", slug);
	snprintf(ks, sizeof(ks), "mcp:{%s}:seen", slug);
	serve_maint_key(km, sizeof(km), slug);
	if (serve_query(c, n + alias, argc, argv, rep) != SR_OK)
		return -1;
	serve_summary_one(rep[0], rep[1], now, s, c->fcgi);
	serve_maint(maint ? rep[2] : NULL, now, s);
	serve_moved_of(alias ? rep[n] : NULL, s);
	serve_free_replies(rep, n + alias);
	if (s->moved[0] != '\0')
		return 0;
	if (s->known)
		return 0;
	if (serve_query(c, 1, argc3, argv3, rep) != SR_OK)
		return -1;
	if (rep[0]->type == REDIS_REPLY_STRING)
		s->known = 1;
	serve_free_replies(rep, 1);
	return 0;
}

enum kind { K_EMBED, K_BADGE, K_SHIELDS, K_PROM, K_READY, K_READY_BADGE };

/* ?label= (printable ASCII) and ?theme=dark|light of a badge. */
static int
badge_query(const char *qs, char *label, char *theme, const char **th)
{
	size_t i;
	int rc;

	if (serve_query_get(qs, "label", label, SERVE_LABEL_MAX + 1) == -1)
		return -1;
	for (i = 0; label[i] != '\0'; i++)
		if (label[i] < 0x20 || label[i] > 0x7e)
			return -1;
	if ((rc = serve_query_get(qs, "theme", theme, 8)) == -1 ||
	    (rc == 1 && strcmp(theme, "dark") != 0 && strcmp(theme, "light") != 0))
		return -1;
	*th = rc == 1 ? theme : NULL;
	return 0;
}

static void
slug_route(struct conn *c, const struct req *q, const char *slug, enum kind k, struct resp *r)
{
	char label[SERVE_LABEL_MAX + 1] = "mcp", theme[8];
	const char *th = NULL;
	struct summary s;
	int rc;

	if (k == K_READY_BADGE)
		snprintf(label, sizeof(label), "readiness");
	if ((k == K_BADGE || k == K_READY_BADGE) &&
	    badge_query(q->query, label, theme, &th) == -1) {
		serve_error(r, 400, "bad query", NULL);
		return;
	}
	if (summarise(c, slug, q->now, &s, k == K_BADGE || k == K_SHIELDS) == -1) {
		serve_unavailable(r);
		if (k == K_BADGE) {
			/* An image still: pending, never a state the store did not give. */
			r->ctype = "image/svg+xml";
			mcp_buf_reset(&r->body);
			if (serve_badge_svg(&r->body, ST_PENDING, label, th) != 0)
				serve_error(r, 503, "store unavailable", "no-store");
		}
		return;
	}
	if (s.moved[0] != '\0') {
		serve_moved(r, q, k == K_BADGE ? ".svg" : k == K_PROM ? NULL : "", s.moved);
		return;
	}
	if (!s.known) {
		serve_error(r, 404, "not found", CACHE_API);
		return;
	}
	r->cache = CACHE_API;
	serve_etag(&s, r->etag, sizeof(r->etag));
	if (k == K_EMBED) {
		r->ctype = CT_JSON;
		rc = serve_summary_json(&r->body, &s, q->now);
	} else if (k == K_READY) {
		r->ctype = CT_JSON;
		rc = serve_readiness_json(&r->body, slug, &s);
	} else if (k == K_READY_BADGE) {
		r->ctype = "image/svg+xml";
		rc = serve_grade_badge_svg(&r->body, s.grade, label, th);
	} else if (k == K_PROM) {
		r->etag[0] = '\0';
		serve_prom_one(slug, &s, q->now, r);
		return;
	} else {
		/*
		 * The badge and the shields endpoint say maintenance while a
		 * window is in force (the five fields keep the verdict's state):
		 * a tag of their own, as the window starts and ends mid-minute.
		 */
		enum serve_state shown = s.maint ? ST_MAINT : s.state;

		if (s.maint && strlen(r->etag) + 6 < sizeof(r->etag))
			memcpy(r->etag + strlen(r->etag) - 1, "-maint\"", 8);
		if (k == K_SHIELDS) {
			r->ctype = CT_JSON;
			rc = serve_shields_json(&r->body, shown);
		} else {
			r->ctype = "image/svg+xml";
			/* A badge cached for long would keep a stale picture on a README. */
			if (shown == ST_PENDING)
				r->cache = CACHE_BRIEF;
			rc = serve_badge_svg(&r->body, shown, label, th);
		}
	}
	if (rc != 0)
		serve_error(r, 500, "out of memory", NULL);
}

/*
 * A file of the release (embed.js, the page's stylesheet, the map): it
 * changes only with a new mcp-serve, so it is cached a day and then
 * revalidated by its ETag.
 */
static void
asset(const struct asset *a, struct resp *r)
{
	r->ctype = a->ctype;
	r->cache = "public, max-age=86400";
	serve_asset_etag(a, r->etag, sizeof(r->etag));
	if (mcp_buf_add(&r->body, a->p, a->len) != 0)
		serve_error(r, 500, "out of memory", NULL);
}

static void
dispatch(struct conn *c, const struct req *q, struct resp *r)
{
	const struct asset *a;
	const char *p = q->path;
	char slug[MCP_SLUG_MAX + 8];
	int rc;

	if (slug_in(p, "/api/embed-status/", "", slug, sizeof(slug)) != NULL)
		slug_route(c, q, slug, K_EMBED, r);
	else if (slug_in(p, "/badge/", "/readiness.svg", slug, sizeof(slug)) != NULL)
		slug_route(c, q, slug, K_READY_BADGE, r);
	else if (slug_in(p, "/badge/", ".svg", slug, sizeof(slug)) != NULL)
		slug_route(c, q, slug, K_BADGE, r);
	else if (slug_in(p, "/api/shields/", "", slug, sizeof(slug)) != NULL)
		slug_route(c, q, slug, K_SHIELDS, r);
	else if (slug_in(p, "/api/status/", "/regions", slug, sizeof(slug)) != NULL)
		serve_regions(c, q, slug, r);
	else if (slug_in(p, "/api/status/", "/tools", slug, sizeof(slug)) != NULL)
		serve_tools(c, q, slug, r);
	else if (slug_in(p, "/api/status/", "/lists", slug, sizeof(slug)) != NULL)
		serve_lists(c, q, slug, r);
	else if (slug_in(p, "/api/status/", "/readiness", slug, sizeof(slug)) != NULL)
		slug_route(c, q, slug, K_READY, r);
	else if (strcmp(p, "/api/status") == 0)
		serve_list(c, q, r);
	else if (strcmp(p, "/metrics") == 0)
		serve_metrics(c, q, r);
	else if (strcmp(p, "/api/embed-status-prom") == 0) {
		rc = serve_query_get(q->query, "slug", slug, sizeof(slug));
		if (rc == 1 && mcp_slug_ok(slug))
			slug_route(c, q, slug, K_PROM, r);
		else
			serve_error(r, 404, "not found", CACHE_API);
	} else if (strcmp(p, "/healthz") == 0)
		serve_health(c, q, r);
	else if (strcmp(p, "/status") == 0 || strcmp(p, "/") == 0)
		serve_index(c, q, r); /* "/": where a newcomer looks first (README) */
	else if (strcmp(p, "/audit.json") == 0)
		serve_audit_json(c, q, r);
	else if (strcmp(p, "/audit") == 0)
		serve_audit_page(c, q, r);
	else if (slug_in(p, "/status/", "/feed.atom", slug, sizeof(slug)) != NULL)
		serve_feed(c, q, slug, r);
	else if (slug_in(p, "/status/", "", slug, sizeof(slug)) != NULL)
		serve_page(c, q, slug, r);
	else if (slug_in(p, "/report/", "", slug, sizeof(slug)) != NULL)
		serve_report(c, q, slug, r);
	else if ((a = serve_asset(p)) != NULL)
		asset(a, r);
	else
		serve_error(r, 404, "not found", CACHE_API);
}

void
serve_route(struct conn *c, const struct req *q, struct resp *r)
{
	memset(r, 0, sizeof(*r));
	r->status = 200;
	if (!serve_notice_route(c, q, r))
		dispatch(c, q, r);
}

void
serve_request(struct conn *c, const struct req *q, struct resp *r)
{
	memset(r, 0, sizeof(*r));
	r->status = 200;
	/* Posts and subscriptions (notices.h) and MCP (mcp.c): POST among their methods. */
	if (serve_notice_route(c, q, r) || serve_mcp_route(c, q, r))
		;
	else if (strcmp(q->method, "GET") != 0 && !q->head) {
		serve_error(r, 405, "method not allowed", NULL);
		r->allow = "GET, HEAD";
	} else {
		dispatch(c, q, r);
	}
	finish(q, r);
}
