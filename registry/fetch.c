/*
 * fetch.c - one page of a registry's listing over HTTP, surviving the
 * registry as it is: 429 with Retry-After (honoured up to a minute), 5xx
 * and transport failures with backoff, a page over REG_PAGE_MAX refused,
 * a redirect followed within the same origin over https (a static
 * sub-registry's /v0.1/servers/), any other named and refused.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "mcp.h"
#include "fetch.h"
#include "sync.h"

#define TRIES 4            /* tries of a page in all */
#define REDIRECTS_MAX 5    /* redirects of a page followed */
#define URL_MAX 8192       /* bytes of a URL a redirect names */
#define RETRY_AFTER_MAX 60 /* seconds of a Retry-After honoured */

struct sink {
	struct mcp_buf *body;
	int over;
	long retry_after; /* -1: none */
	double date;      /* the Date header, epoch seconds; -1: none */
};

static size_t
on_body(char *p, size_t sz, size_t nm, void *arg)
{
	struct sink *s = arg;

	if (mcp_buf_add(s->body, p, sz * nm) == -1) {
		s->over = 1;
		return 0;
	}
	return sz * nm;
}

static size_t
on_header(char *p, size_t sz, size_t nm, void *arg)
{
	struct sink *s = arg;
	size_t n = sz * nm;
	char v[32];

	if (n > 5 && strncasecmp(p, "date:", 5) == 0 && n - 5 < sizeof(v)) {
		memcpy(v, p + 5, n - 5);
		v[n - 5] = '\0';
		v[strcspn(v, "\r\n")] = '\0';
		s->date = (double)curl_getdate(v, NULL);
	}
	if (n > 12 && strncasecmp(p, "retry-after:", 12) == 0 && n - 12 < sizeof(v)) {
		memcpy(v, p + 12, n - 12);
		v[n - 12] = '\0';
		s->retry_after = strtol(v, NULL, 10);
		if (s->retry_after < 0 || strspn(v, " \t0123456789\r\n") != strlen(v))
			s->retry_after = 5; /* an HTTP-date: a short wait */
	}
	return n;
}

CURL *
reg_fetch_handle(const char *cacert)
{
	CURL *c;

	if (mcp_curl_init() == -1 || (c = curl_easy_init()) == NULL)
		return NULL;
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)REG_PAGE_MAX);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "mcp-aggregate (mcp-uptime registry sync)");
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	if (cacert != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, cacert);
	return c;
}

static void
nap(double s)
{
	struct timespec ts = {(time_t)s, (long)((s - (time_t)s) * 1e9)};

	fflush(stdout);
	nanosleep(&ts, NULL);
}

/* The scheme, host and port of url into u (curl_url_cleanup), or NULL. */
static CURLU *
origin(const char *url, char **scheme, char **host, char **port)
{
	CURLU *u = curl_url();

	*scheme = *host = *port = NULL;
	if (u == NULL || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
		curl_free(*scheme);
		curl_free(*host);
		curl_url_cleanup(u);
		return NULL;
	}
	return u;
}

/*
 * A redirect from url to loc: 0 to follow it (within the origin of url,
 * over https), else -1 with why, loc named.
 */
static int
redirect_ok(const char *url, const char *loc, char *err, size_t len)
{
	char *s1, *h1, *p1, *s2 = NULL, *h2 = NULL, *p2 = NULL, q[MCP_QUOTED_MAX];
	CURLU *a = origin(url, &s1, &h1, &p1), *b = NULL;
	const char *why = NULL;
	size_t n = strlen(err);

	if (a == NULL || (b = origin(loc, &s2, &h2, &p2)) == NULL)
		why = "not a URL";
	else if (strcasecmp(s2, "https") != 0)
		why = "not https";
	else if (strcasecmp(s1, s2) != 0 || strcasecmp(h1, h2) != 0 || strcmp(p1, p2) != 0)
		why = "another origin";
	else if (strlen(loc) >= URL_MAX)
		why = "too long";
	if (why != NULL)
		snprintf(err + n, len - n, " to %s: %s, not followed",
		    mcp_json_quoted(q, sizeof(q), loc), why);
	if (a != NULL)
		curl_free(s1), curl_free(h1), curl_free(p1), curl_url_cleanup(a);
	if (b != NULL)
		curl_free(s2), curl_free(h2), curl_free(p2), curl_url_cleanup(b);
	return why == NULL ? 0 : -1;
}

/*
 * One try: 0 done, 1 worth another try (wait in *wait), 2 a redirect to
 * follow (to loc), -1 failed (err).
 */
static int
try_once(CURL *c, struct mcp_buf *body, double *wait, double *date, char *loc, size_t loclen,
    char *err, size_t len)
{
	struct sink s = {body, 0, -1, -1};
	CURLcode rc;
	long status = 0;
	char *to = NULL, *from = NULL;

	mcp_buf_reset(body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &s);
	rc = curl_easy_perform(c);
	if (s.over || rc == CURLE_FILESIZE_EXCEEDED)
		return snprintf(err, len, "page over %d MiB", REG_PAGE_MAX >> 20), -1;
	if (rc != CURLE_OK) {
		snprintf(err, len, "%s", curl_easy_strerror(rc));
		return rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL ? -1 : 1;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	*date = s.date;
	if (status == 200)
		return 0;
	snprintf(err, len, "HTTP status %ld", status);
	if (status == 429) {
		*wait = s.retry_after < 0             ? 5
		    : s.retry_after > RETRY_AFTER_MAX ? RETRY_AFTER_MAX
		                                      : s.retry_after;
		return 1;
	}
	if (status >= 300 && status <= 399) {
		curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &from);
		curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &to);
		if (to == NULL || from == NULL)
			return snprintf(err, len, "HTTP status %ld without a Location", status), -1;
		if (redirect_ok(from, to, err, len) == -1)
			return -1;
		snprintf(loc, loclen, "%s", to);
		return 2;
	}
	return status >= 500 && status <= 599 ? 1 : -1;
}

int
reg_fetch(CURL *c, const char *url, double deadline, struct mcp_buf *body, double *date, char *err,
    size_t len)
{
	double wait, backoff = 1, left;
	char loc[URL_MAX];
	int i, r, hops = 0;

	curl_easy_setopt(c, CURLOPT_URL, url);
	for (i = 1;; i++) {
		/* A try never outlasts the deadline: libcurl's own limit is cut to it. */
		if ((left = deadline - mcp_mono()) <= 0)
			return snprintf(err, len, "past the deadline"), -1;
		curl_easy_setopt(
		    c, CURLOPT_TIMEOUT_MS, (long)(left < 60 ? left * 1000 + 1 : 60000));
		wait = backoff;
		if ((r = try_once(c, body, &wait, date, loc, sizeof(loc), err, len)) <= 0)
			return r;
		if (r == 2 && ++hops > REDIRECTS_MAX)
			return snprintf(err, len, "more than %d redirects", REDIRECTS_MAX), -1;
		if (r == 2) { /* not a try: the same page, elsewhere in its origin */
			curl_easy_setopt(c, CURLOPT_URL, loc);
			i--;
			continue;
		}
		if (i == TRIES)
			break;
		if (mcp_mono() + wait >= deadline) {
			size_t n = strlen(err);

			snprintf(
			    err + n, len - n, ": a wait of %.0f s would pass the deadline", wait);
			return -1;
		}
		reg_warn_begin();
		warnx("registry: %s: try %d of %d, again in %.0f s", err, i, TRIES, wait);
		nap(wait);
		backoff *= 2;
	}
	return -1;
}
