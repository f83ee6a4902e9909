/*
 * send.c - the runner's side of the ingest's door over HTTPS (libcurl):
 * one connection kept for a run, the token sent in the Authorization
 * header only, never followed through a redirect, never printed, and
 * wiped when the run ends; the answer read up to a bound.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/crypto.h>

#include "targets.h"
#include "version.h"
#include "relay.h"

#define ANSWER_MAX (16 << 20) /* an answer of 100,000 lines, with room */

struct agg_http {
	CURL *h;
	char *token; /* owned, wiped at close */
	struct mcp_buf body;
	long retry_after;
	char err[CURL_ERROR_SIZE];
};

static size_t
on_body(char *p, size_t sz, size_t nm, void *arg)
{
	struct agg_http *c = arg;

	/* A short count ends the transfer: an answer past the bound is refused. */
	if (mcp_buf_add(&c->body, p, sz * nm) == -1)
		return 0;
	return sz * nm;
}

static size_t
on_header(char *p, size_t sz, size_t nm, void *arg)
{
	struct agg_http *c = arg;
	size_t n = sz * nm;
	char v[32];

	if (n > 12 && strncasecmp(p, "retry-after:", 12) == 0 && n - 12 < sizeof(v)) {
		memcpy(v, p + 12, n - 12);
		v[n - 12] = '\0';
		c->retry_after = strtol(v, NULL, 10);
		/* An HTTP-date, or nonsense: a short wait; never more than a minute. */
		if (c->retry_after <= 0 || strspn(v, " \t0123456789\r\n") != strlen(v))
			c->retry_after = 5;
		if (c->retry_after > 60)
			c->retry_after = 60;
	}
	return n;
}

int
agg_url_token_ok(const char *url)
{
	return strncmp(url, "https://", 8) == 0 ||
	    (strncmp(url, "http://", 7) == 0 && mcp_url_loopback(url));
}

struct agg_http *
agg_http_open(const char *token_file, const char *cacert, double timeout, char *err, size_t len)
{
	struct agg_http *c;
	char why[256];

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	if ((c->token = mcp_secret_read(token_file, why, sizeof(why))) == NULL) {
		snprintf(err, len, "token file %s: %s", token_file, why);
		free(c);
		return NULL;
	}
	if (mcp_curl_init() == -1 || (c->h = curl_easy_init()) == NULL) {
		snprintf(err, len, "libcurl: cannot start");
		agg_http_close(c);
		return NULL;
	}
	c->body.max = ANSWER_MAX;
	curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
	/*
	 * The token never crosses a network in clear, nor to another host:
	 * http:// only to loopback (agg_url_token_ok), and no redirect.
	 */
	curl_easy_setopt(c->h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c->h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c->h, CURLOPT_TIMEOUT_MS, (long)(timeout * 1000));
	curl_easy_setopt(c->h, CURLOPT_CONNECTTIMEOUT_MS, (long)(timeout * 1000));
	curl_easy_setopt(c->h, CURLOPT_USERAGENT, "mcp-aggregate/" MCP_VERSION);
	curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c->h, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(c->h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c->h, CURLOPT_HEADERDATA, c);
	curl_easy_setopt(c->h, CURLOPT_ERRORBUFFER, c->err);
	if (cacert != NULL)
		curl_easy_setopt(c->h, CURLOPT_CAINFO, cacert);
	return c;
}

void
agg_http_close(struct agg_http *c)
{
	if (c == NULL)
		return;
	if (c->h != NULL)
		curl_easy_cleanup(c->h);
	if (c->token != NULL) {
		OPENSSL_cleanse(c->token, strlen(c->token));
		free(c->token);
	}
	mcp_buf_free(&c->body);
	free(c);
}

/* Wipe the header lines (the token's) before they are freed. */
static void
headers_free(struct curl_slist *l)
{
	struct curl_slist *p;

	for (p = l; p != NULL; p = p->next)
		OPENSSL_cleanse(p->data, strlen(p->data));
	curl_slist_free_all(l);
}

/* The request's headers: the token, the runner's clock, and those of the body. */
static struct curl_slist *
headers(const struct agg_http *c, int post)
{
	struct curl_slist *l = NULL, *n;
	char line[AGG_TOKEN_LEN + 64], clock[64];
	int ok;

	if (strlen(c->token) > AGG_TOKEN_LEN)
		return NULL;
	snprintf(line, sizeof(line), "Authorization: Bearer %s", c->token);
	snprintf(clock, sizeof(clock), "X-Runner-Clock: %.3f", mcp_now());
	ok = (n = curl_slist_append(l, line)) != NULL;
	OPENSSL_cleanse(line, sizeof(line));
	if (!ok)
		return NULL;
	l = n;
	if (post) {
		const char *more[] = {
		    clock, "Content-Type: application/jsonl", "Content-Encoding: gzip", "Expect:"};
		size_t i;

		for (i = 0; i < sizeof(more) / sizeof(more[0]); i++) {
			if ((n = curl_slist_append(l, more[i])) == NULL) {
				headers_free(l);
				return NULL;
			}
			l = n;
		}
	}
	return l;
}

long
agg_http_do(struct agg_http *c, const char *url, const struct mcp_buf *gz, char *err, size_t len)
{
	struct curl_slist *l;
	CURLcode rc;
	long status = 0;

	mcp_buf_reset(&c->body);
	c->retry_after = 0;
	c->err[0] = '\0';
	if ((l = headers(c, gz != NULL)) == NULL) {
		snprintf(err, len, "%s",
		    strlen(c->token) > AGG_TOKEN_LEN ? "the token file: not a token of the ingest"
		                                     : "out of memory");
		return -1;
	}
	curl_easy_setopt(c->h, CURLOPT_URL, url);
	curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, l);
	if (gz != NULL) {
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, gz->p);
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)gz->len);
	} else {
		curl_easy_setopt(c->h, CURLOPT_HTTPGET, 1L);
	}
	rc = curl_easy_perform(c->h);
	curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, NULL);
	headers_free(l);
	if (rc != CURLE_OK) {
		snprintf(err, len, "%s", c->err[0] != '\0' ? c->err : curl_easy_strerror(rc));
		return -1;
	}
	curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &status);
	return status;
}

/* The answer's body of the last request: borrowed until the next. */
const struct mcp_buf *
agg_http_body(const struct agg_http *c)
{
	return &c->body;
}

/* The Retry-After of the last answer, seconds (0: none), at most 60. */
long
agg_http_retry_after(const struct agg_http *c)
{
	return c->retry_after;
}
