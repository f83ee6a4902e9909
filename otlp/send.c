/*
 * send.c - OTLP/HTTP requests to the collector, one at a time, by
 * libcurl's multi interface, so that the caller's poll waits for the
 * pipe and the collector together and a slow collector holds nothing
 * up.  A request takes the oldest traces of the queue (up to a batch),
 * gzipped; a 2xx or a refusal (4xx but 429) takes them out of the queue,
 * anything else (no connection, a timeout, 429, 502, 503, 504) leaves
 * them there and puts off the next attempt: Retry-After when the
 * collector gave one (up to RETRY_MAX), else 1, 2, 4 ... 60 seconds,
 * with jitter.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <zlib.h>

#include "mcp.h"
#include "otlp.h"
#include "otlpconf.h"
#include "version.h"

#define RETRY_MAX 300.0
#define BACKOFF_MAX 60.0
#define ANSWER_MAX 65536

struct otlp_sender {
	const struct otlp_conf *c;
	struct otlp_queue *q;
	CURLM *m;
	CURL *e;                    /* the request in flight, or NULL */
	struct curl_slist *headers; /* owned: the caller's and ours */
	struct mcp_buf body;        /* the gzipped request in flight */
	long frames;                /* of the queue's head, in flight */
	size_t answer;              /* bytes of the answer read */
	double retry_after;         /* from the answer, seconds; 0 none */
	double next_at;             /* monotonic time of the next attempt */
	int attempts;               /* failed in a row */
	char err[CURL_ERROR_SIZE];
	struct otlp_stats st;
};

struct otlp_sender *
otlp_sender_new(const struct otlp_conf *c, struct otlp_queue *q)
{
	struct otlp_sender *s = calloc(1, sizeof(*s));
	const struct curl_slist *h;
	struct curl_slist *n;

	if (s == NULL)
		return NULL;
	s->c = c;
	s->q = q;
	s->headers = curl_slist_append(NULL, "Content-Type: application/x-protobuf");
	s->headers = s->headers ? curl_slist_append(s->headers, "Content-Encoding: gzip") : NULL;
	s->headers = s->headers ? curl_slist_append(s->headers, "Expect:") : NULL;
	for (h = c->headers; s->headers != NULL && h != NULL; h = h->next) {
		if ((n = curl_slist_append(s->headers, h->data)) == NULL) {
			curl_slist_free_all(s->headers);
			s->headers = NULL;
		}
	}
	if (s->headers == NULL || (s->m = curl_multi_init()) == NULL) {
		otlp_sender_free(s);
		return NULL;
	}
	return s;
}

static void
abandon(struct otlp_sender *s)
{
	if (s->e == NULL)
		return;
	curl_multi_remove_handle(s->m, s->e);
	curl_easy_cleanup(s->e);
	s->e = NULL;
	s->frames = 0;
}

void
otlp_sender_free(struct otlp_sender *s)
{
	if (s == NULL)
		return;
	abandon(s);
	if (s->m != NULL)
		curl_multi_cleanup(s->m);
	otlp_headers_free(s->headers); /* they may hold the collector's key */
	mcp_buf_free(&s->body);
	free(s);
}

static int
gzip(struct mcp_buf *out, const unsigned char *p, size_t n)
{
	z_stream z = {0};
	unsigned char t[16384];
	int rc;

	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK)
		return -1;
	z.next_in = (unsigned char *)p;
	z.avail_in = (uInt)n;
	do {
		z.next_out = t;
		z.avail_out = sizeof(t);
		rc = deflate(&z, Z_FINISH);
		if (rc == Z_STREAM_ERROR || mcp_buf_add(out, t, sizeof(t) - z.avail_out) == -1) {
			deflateEnd(&z);
			return -1;
		}
	} while (rc != Z_STREAM_END);
	deflateEnd(&z);
	return 0;
}

static size_t
on_answer(char *p, size_t size, size_t n, void *arg)
{
	struct otlp_sender *s = arg;

	(void)p;
	s->answer += size * n;
	return s->answer > ANSWER_MAX ? 0 : size * n;
}

/* Retry-After: seconds, or an HTTP date. */
static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct otlp_sender *s = arg;
	size_t len = size * n;
	char v[128];
	double now;
	time_t t;

	if (len > 12 && len < sizeof(v) + 12 && strncasecmp(p, "Retry-After:", 12) == 0) {
		memcpy(v, p + 12, len - 12);
		v[len - 12] = '\0';
		v[strcspn(v, "\r\n")] = '\0';
		if ((s->retry_after = strtod(v, NULL)) <= 0 && (t = curl_getdate(v, NULL)) > 0) {
			now = mcp_now();
			s->retry_after = (double)t > now ? (double)t - now : 0;
		}
	}
	return len;
}

/* The request for the head of the queue, up to a batch; 0, or -1 with why. */
static int
start(struct otlp_sender *s, char *why, size_t len)
{
	struct mcp_buf raw = {0};
	struct otlp_frame *f;
	CURL *e;

	s->frames = 0;
	for (f = s->q->head; f != NULL && (s->frames == 0 || raw.len + f->len <= s->c->batch);
	     f = f->next) {
		if (mcp_buf_add(&raw, f->data, f->len) == -1)
			break;
		s->frames++;
	}
	mcp_buf_reset(&s->body);
	if (s->frames == 0 || gzip(&s->body, (unsigned char *)raw.p, raw.len) == -1 ||
	    (e = curl_easy_init()) == NULL) {
		mcp_buf_free(&raw);
		snprintf(why, len, "out of memory");
		return -1;
	}
	mcp_buf_free(&raw);
	s->err[0] = '\0';
	s->answer = 0;
	s->retry_after = 0;
	curl_easy_setopt(e, CURLOPT_URL, s->c->url);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, s->headers);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, s->body.p);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)s->body.len);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)(s->c->timeout * 1000));
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, s->err);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_answer);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, s);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "mcp-otlp/" MCP_VERSION);
	if (s->c->cacert != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, s->c->cacert);
	if (curl_multi_add_handle(s->m, e) != CURLM_OK) {
		curl_easy_cleanup(e);
		snprintf(why, len, "cannot start a transfer");
		return -1;
	}
	s->e = e;
	return 0;
}

static void
backoff(struct otlp_sender *s)
{
	double d = BACKOFF_MAX;

	s->st.failures++;
	if (s->attempts < 6)
		d = (double)(1 << s->attempts);
	d *= 0.5 + 0.5 * ((double)rand() / RAND_MAX);
	if (s->retry_after > 0)
		d = s->retry_after < RETRY_MAX ? s->retry_after : RETRY_MAX;
	s->attempts++;
	s->next_at = mcp_mono() + d;
}

static void
taken(struct otlp_sender *s, long *spans, long *traces)
{
	const struct otlp_frame *f;
	long i;

	for (i = 0, f = s->q->head; i < s->frames && f != NULL; i++, f = f->next) {
		*spans += f->spans;
		(*traces)++;
	}
	otlp_queue_pop(s->q, s->frames);
}

static void
finish(struct otlp_sender *s, CURLcode rc)
{
	long st = 0;

	curl_easy_getinfo(s->e, CURLINFO_RESPONSE_CODE, &st);
	if (rc != CURLE_OK) {
		snprintf(s->st.last_error, sizeof(s->st.last_error), "%s",
		    s->err[0] != '\0' ? s->err : curl_easy_strerror(rc));
		abandon(s);
		backoff(s);
		return;
	}
	if (st >= 200 && st <= 299) {
		taken(s, &s->st.sent_spans, &s->st.sent_traces);
		s->attempts = 0;
		s->next_at = 0;
	} else if (st == 429 || st == 502 || st == 503 || st == 504) {
		snprintf(s->st.last_error, sizeof(s->st.last_error), "HTTP %ld", st);
		abandon(s);
		backoff(s);
		return;
	} else {
		snprintf(s->st.last_error, sizeof(s->st.last_error), "HTTP %ld: %s refused", st,
		    s->c->what);
		taken(s, &s->st.refused_spans, &s->st.refused_traces);
		s->st.failures++;
	}
	abandon(s);
}

int
otlp_sender_step(struct otlp_sender *s, int fd, int ms, char *why, size_t len)
{
	struct curl_waitfd w = {.fd = fd, .events = CURL_WAIT_POLLIN};
	double wait = otlp_sender_wait(s);
	CURLMsg *msg;
	int running, left;

	if (s->e == NULL && s->q->head != NULL && wait == 0 && start(s, why, len) == -1)
		return -1;
	if (s->e == NULL && s->q->head != NULL && wait * 1000 < ms)
		ms = (int)(wait * 1000) + 1;
	if (curl_multi_poll(s->m, fd >= 0 ? &w : NULL, fd >= 0 ? 1 : 0, ms, NULL) != CURLM_OK ||
	    curl_multi_perform(s->m, &running) != CURLM_OK) {
		snprintf(why, len, "libcurl's multi failed");
		return -1;
	}
	while ((msg = curl_multi_info_read(s->m, &left)) != NULL)
		if (msg->msg == CURLMSG_DONE && msg->easy_handle == s->e)
			finish(s, msg->data.result);
	return fd >= 0 && (w.revents & CURL_WAIT_POLLIN) != 0;
}

int
otlp_sender_busy(const struct otlp_sender *s)
{
	return s->e != NULL || s->q->head != NULL;
}

double
otlp_sender_wait(const struct otlp_sender *s)
{
	double now = mcp_mono();

	return s->next_at > now ? s->next_at - now : 0;
}

const struct otlp_stats *
otlp_sender_stats(const struct otlp_sender *s)
{
	return &s->st;
}
