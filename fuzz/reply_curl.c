/*
 * reply_curl.c - libcurl and the run loop as fuzz_reply's probe sees them
 * (see fuzz_reply.c): the link wraps libcurl's calls and the clocks to
 * these, and run.c's functions are these.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <errno.h>
#include <stdarg.h>
#include <unistd.h>

#include "reply.h"

struct runner *const reply_runner = (struct runner *)&rp;
static CURLM *const fake_multi = (CURLM *)&rp.clock;

int
reply_opt(char c)
{
	return strchr(rp.opts, c) != NULL;
}

/* --- the clock ------------------------------------------------------------------ */

double __wrap_mcp_mono(void);
double __wrap_mcp_now(void);

double
__wrap_mcp_mono(void)
{
	return rp.clock;
}

double
__wrap_mcp_now(void)
{
	return EPOCH0 + (rp.clock - CLOCK0);
}

/* --- libcurl, as far as the probe sees it ---------------------------------------- */

CURLcode __real_curl_easy_setopt(CURL *c, CURLoption o, ...);
CURLcode __wrap_curl_easy_setopt(CURL *c, CURLoption o, ...);
CURLcode __real_curl_easy_getinfo(CURL *c, CURLINFO i, ...);
CURLcode __wrap_curl_easy_getinfo(CURL *c, CURLINFO i, ...);
void __real_curl_easy_cleanup(CURL *c);
void __wrap_curl_easy_cleanup(CURL *c);
CURLMcode __wrap_curl_multi_add_handle(CURLM *m, CURL *c);
CURLMcode __wrap_curl_multi_remove_handle(CURLM *m, CURL *c);

struct em *
reply_em(CURL *c)
{
	size_t i, free_slot = sizeof(rp.em) / sizeof(rp.em[0]);

	for (i = 0; i < sizeof(rp.em) / sizeof(rp.em[0]); i++) {
		if (rp.em[i].h == c)
			return &rp.em[i];
		if (rp.em[i].h == NULL && i < free_slot)
			free_slot = i;
	}
	FUZZ_CHECK(free_slot < sizeof(rp.em) / sizeof(rp.em[0])); /* the probe holds three */
	memset(&rp.em[free_slot], 0, sizeof(rp.em[free_slot]));
	rp.em[free_slot].h = c;
	return &rp.em[free_slot];
}

struct em *
reply_inflight(const struct xfer *x)
{
	size_t i;

	for (i = 0; x->h != NULL && i < sizeof(rp.em) / sizeof(rp.em[0]); i++)
		if (rp.em[i].h == x->h && rp.em[i].inflight)
			return &rp.em[i];
	return NULL;
}

static void
note_pointer(struct em *e, CURLoption o, void *v)
{
	if (o == CURLOPT_URL)
		snprintf(e->url, sizeof(e->url), "%s", v != NULL ? (const char *)v : "");
	else if (o == CURLOPT_HTTPHEADER)
		e->hdrs = v;
	else if (o == CURLOPT_HEADERDATA)
		e->hdata = v;
	else if (o == CURLOPT_WRITEDATA)
		e->wdata = v;
}

CURLcode
__wrap_curl_easy_setopt(CURL *c, CURLoption o, ...)
{
	struct em *e = reply_em(c);
	void (*f)(void);
	curl_off_t off;
	va_list ap;
	void *v;
	long l;

	va_start(ap, o);
	if (o < CURLOPTTYPE_OBJECTPOINT) {
		l = va_arg(ap, long);
		va_end(ap);
		if (o == CURLOPT_NOBODY)
			e->nobody = l;
		else if (o == CURLOPT_TIMEOUT_MS)
			e->timeout_ms = l;
		return __real_curl_easy_setopt(c, o, l);
	}
	if (o >= CURLOPTTYPE_FUNCTIONPOINT && o < CURLOPTTYPE_OFF_T) {
		f = va_arg(ap, void (*)(void));
		va_end(ap);
		if (o == CURLOPT_HEADERFUNCTION)
			e->hfn = (curl_write_callback)f;
		else if (o == CURLOPT_WRITEFUNCTION)
			e->wfn = (curl_write_callback)f;
		return __real_curl_easy_setopt(c, o, f);
	}
	if (o >= CURLOPTTYPE_OFF_T && o < CURLOPTTYPE_BLOB) {
		off = va_arg(ap, curl_off_t);
		va_end(ap);
		return __real_curl_easy_setopt(c, o, off);
	}
	v = va_arg(ap, void *);
	va_end(ap);
	note_pointer(e, o, v);
	return __real_curl_easy_setopt(c, o, v);
}

void
__wrap_curl_easy_cleanup(CURL *c)
{
	struct em *e = reply_em(c);

	FUZZ_CHECK(!e->inflight);
	memset(e, 0, sizeof(*e));
	__real_curl_easy_cleanup(c);
}

/* Transfer times in microseconds: dns 1 ms, connect 2, TLS 3, first byte 4, all 5. */
static curl_off_t
time_of(CURLINFO i)
{
	switch (i) {
	case CURLINFO_NAMELOOKUP_TIME_T:
		return reply_opt('d') ? 0 : 1000;
	case CURLINFO_CONNECT_TIME_T:
		return reply_opt('n') ? 0 : 2000;
	case CURLINFO_APPCONNECT_TIME_T:
		return reply_opt('n') || reply_opt('e') || !reply_opt('h') ? 0 : 3000;
	case CURLINFO_STARTTRANSFER_TIME_T:
		return 4000;
	default:
		return 5000;
	}
}

static CURLcode
getinfo_long(const struct em *e, CURLINFO i, long *v)
{
	switch (i) {
	case CURLINFO_RESPONSE_CODE:
		*v = e->status;
		break;
	case CURLINFO_OS_ERRNO:
		*v = reply_opt('n') ? ECONNREFUSED : 0;
		break;
	case CURLINFO_SSL_VERIFYRESULT:
		*v = reply_opt('E') ? 10 : 18; /* expired, or self-signed */
		break;
	case CURLINFO_HTTP_VERSION:
		*v = reply_opt('2') ? CURL_HTTP_VERSION_2_0 : CURL_HTTP_VERSION_1_1;
		break;
	case CURLINFO_PRIMARY_PORT:
		*v = reply_opt('h') ? 8443 : 80;
		break;
	default:
		return CURLE_UNKNOWN_OPTION;
	}
	return CURLE_OK;
}

CURLcode
__wrap_curl_easy_getinfo(CURL *c, CURLINFO i, ...)
{
	struct em *e = reply_em(c);
	va_list ap;
	void *v;

	va_start(ap, i);
	v = va_arg(ap, void *);
	va_end(ap);
	if ((i & CURLINFO_TYPEMASK) == CURLINFO_LONG && getinfo_long(e, i, v) == CURLE_OK)
		return CURLE_OK;
	if ((i & CURLINFO_TYPEMASK) == CURLINFO_OFF_T && i != CURLINFO_SIZE_DOWNLOAD_T) {
		*(curl_off_t *)v = time_of(i);
		return CURLE_OK;
	}
	if (i == CURLINFO_PRIMARY_IP) {
		*(const char **)v = reply_opt('L') ? "127.0.0.1" : "203.0.113.9";
		return CURLE_OK;
	}
	if (i == CURLINFO_TLS_SSL_PTR) {
		*(struct curl_tlssessioninfo **)v = NULL;
		return CURLE_OK;
	}
	return __real_curl_easy_getinfo(c, i, v);
}

/* A request: where it goes and what it carries. */
static void
check_request(const struct em *e)
{
	const struct curl_slist *l;
	char a[700], b[700];

	FUZZ_CHECK(url_origin(e->url, a, sizeof(a)) == 0);
	FUZZ_CHECK(url_origin(rp.t.url, b, sizeof(b)) == 0);
	FUZZ_CHECK(strcmp(a, b) == 0);
	for (l = e->hdrs; l != NULL; l = l->next)
		if (strncmp(l->data, "Authorization: Bearer ", 22) == 0)
			FUZZ_CHECK(strcmp(e->url, rp.t.url) == 0 ||
			    (rp.p->post_url != NULL && strcmp(e->url, rp.p->post_url) == 0));
}

CURLMcode
__wrap_curl_multi_add_handle(CURLM *m, CURL *c)
{
	struct em *e = reply_em(c);

	FUZZ_CHECK(m == fake_multi && !rp.in_cb && !e->inflight);
	check_request(e);
	if (getenv("FUZZ_VERBOSE") != NULL)
		fprintf(stderr, "request %s%s\n", e->url, e->nobody ? " (no body)" : "");
	e->inflight = 1;
	e->t0 = rp.clock;
	e->due = rp.clock + (e->timeout_ms > 0 ? e->timeout_ms / 1000.0 : 3600);
	e->status = 0;
	e->in_body = 0;
	e->blank = 0;
	e->got = 0;
	return CURLM_OK;
}

CURLMcode
__wrap_curl_multi_remove_handle(CURLM *m, CURL *c)
{
	struct em *e = reply_em(c);

	FUZZ_CHECK(m == fake_multi && !rp.in_cb);
	e->inflight = 0;
	return CURLM_OK;
}

/* --- the run loop, as far as the probe sees it ---------------------------------- */

CURLM *
runner_multi(struct runner *r)
{
	FUZZ_CHECK(r == reply_runner);
	return fake_multi;
}

void
runner_poke(struct runner *r, struct probe *p)
{
	FUZZ_CHECK(r == reply_runner && p == rp.p);
	rp.poked = 1;
}

/* A byte heard: a fuzzed target is never stalled (no scheduler), nothing to give back. */
void
runner_heard(struct probe *p)
{
	FUZZ_CHECK(p == rp.p);
}

int
runner_sockopt(void *r, curl_socket_t s, curlsocktype purpose)
{
	(void)r;
	(void)s;
	(void)purpose;
	return CURL_SOCKOPT_OK;
}

int
runner_closesocket(void *r, curl_socket_t s)
{
	(void)r;
	return close(s);
}

/* A fuzzed run has no deadline of its own (-d): no target's is cut. */
double
runner_cutoff(const struct runner *r)
{
	(void)r;
	return 0;
}

int
runner_ending(const struct runner *r)
{
	(void)r;
	return 0;
}

/* No canary in a fuzzed run: its records carry none. */
const char *
runner_canary(const struct runner *r)
{
	(void)r;
	return NULL;
}

void
runner_finish(struct runner *r, struct probe *p)
{
	char err[256];

	FUZZ_CHECK(r == reply_runner && p == rp.p && !p->reported);
	mcp_buf_reset(&rp.out);
	FUZZ_CHECK(report_format(p, &rp.out, err, sizeof(err)) == 0);
	/* FUZZ_VERBOSE=1 shows what a script does. */
	if (getenv("FUZZ_VERBOSE") != NULL)
		fprintf(stderr, "%s", rp.out.p);
	reply_check_records(rp.out.p, rp.out.len);
	p->reported = 1;
}
