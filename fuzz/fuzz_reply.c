/*
 * fuzz_reply.c - the probe's handling of what a server answers: one whole
 * probe of one target (probe/steps.c, detect.c, ssetrans.c, auth.c,
 * classify.c, xfer.c, report.c) against a server scripted by the input,
 * with no network.
 *
 * The probe runs as in mcp-probe, but the harness stands in for libcurl's
 * transfers and for the run loop (run.c is not linked): the link wraps
 * curl_easy_setopt to learn each request (URL, headers, callbacks),
 * curl_multi_add_handle and curl_multi_remove_handle to know which are in
 * flight, curl_easy_getinfo to answer status, times and addresses, and
 * mcp_mono and mcp_now with a clock of the harness's own, so that a run
 * is the same every time.  Each request in flight is answered from the
 * script through the probe's own header and write callbacks, as libcurl
 * hands them on: one header line at a time, then the body in chunks of
 * pseudo-random sizes; a callback that refuses ends the transfer with
 * CURLE_WRITE_ERROR, as libcurl would.  Not covered: libcurl's own work
 * (status lines are only checked for their three digits; no chunked
 * coding, HTTP/2 framing or TLS), and run.c's epoll loop.
 *
 * The script: a first line of options, then blocks, each after a line
 * "%%[x|s|a][CURLCODE][+][*]".  The letter names the transfer the block
 * answers (x the request, s the HTTP+SSE stream, a an answer to a server
 * request; the default is the first in flight of x, a, s), the number
 * the result the transfer ends with (0 when absent), '+' leaves it open
 * for a later block (a stream that goes on), and '*' sends each header
 * field line of the block FLOOD times (past the 64 KiB cap).  A block
 * starts with the status line and headers unless the transfer's headers
 * are done; it holds the newline before the next "%%" line.  Options: m,
 * l or s for the modern, legacy or HTTP+SSE era (else auto), h for https,
 * u for a password in the URL, t for a bearer token, k for a key header,
 * c for a tool to call, L for a server on loopback, b for a 300-byte body
 * cap, d, n or e for no DNS time, no TCP connect or no TLS handshake in
 * the transfer times, E for an expired certificate, 2 for HTTP/2.  When
 * the script ends, what is in flight is closed, and the clock runs to the
 * deadline.
 *
 * Checked: the probe ends (records written) by its deadline; it never
 * adds or removes a transfer inside a libcurl callback; every request
 * goes to the target's origin, and the bearer token only to the target's
 * URL or its HTTP+SSE endpoint; the records are nine lines of valid UTF-8,
 * each a JSON object mcp_json_parse takes: eight steps in order with a
 * known status and an error only when failed, the steps after a failure
 * skipped, and a result whose state, failed step, posture, transport,
 * era, status, tool count and hash are of their kind; the token, the key
 * and the URL's password (plain, or as the Basic credential libcurl
 * sends) appear nowhere in them, and no session id the probe holds
 * appears in an error message.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <unistd.h>

#include "fuzz.h"
#include "../lib/json.h"
#include "../lib/mcp.h"
#include "../probe/probe.h"

#define TOKEN "Tk-fuzz-SECRET-0123456789"
#define KEY "Key-fuzz-SECRET-9876"
#define PASSWORD "pw-SECRET-55"
#define BASIC "dXNlcjpwdy1TRUNSRVQtNTU" /* base64 of user:PASSWORD, as libcurl sends it */
#define CLOCK0 1000.0
#define EPOCH0 1767225600.0
#define MAX_TURNS 400
#define FLOOD 1000 /* times a header line is sent in a block marked '*' */

/* What the harness knows of one easy handle: the request, and its answer so far. */
struct em {
	CURL *h;
	char url[2100];
	struct curl_slist *hdrs; /* the probe's list (borrowed) */
	curl_write_callback hfn, wfn;
	void *hdata, *wdata;
	long nobody, timeout_ms;
	int inflight;
	double t0, due; /* clock time sent, and libcurl's timeout */
	long status;
	int in_body; /* the headers are done */
	int blank;   /* the headers of a 1xx answer ended */
	size_t got;  /* bytes handed to the callbacks */
};

static struct {
	struct em em[8];
	double clock;
	int in_cb; /* inside a libcurl callback */
	int poked;
	const char *opts; /* the script's first line */
	struct probe *p;
	struct mcp_target t;
	struct mcp_buf out; /* the records */
} h;

static struct runner *const fake_runner = (struct runner *)&h;
static CURLM *const fake_multi = (CURLM *)&h.clock;

static int
opt(char c)
{
	return strchr(h.opts, c) != NULL;
}

/* --- the clock ------------------------------------------------------------------ */

double __wrap_mcp_mono(void);
double __wrap_mcp_now(void);

double
__wrap_mcp_mono(void)
{
	return h.clock;
}

double
__wrap_mcp_now(void)
{
	return EPOCH0 + (h.clock - CLOCK0);
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

static struct em *
em_of(CURL *c)
{
	size_t i, free_slot = sizeof(h.em) / sizeof(h.em[0]);

	for (i = 0; i < sizeof(h.em) / sizeof(h.em[0]); i++) {
		if (h.em[i].h == c)
			return &h.em[i];
		if (h.em[i].h == NULL && i < free_slot)
			free_slot = i;
	}
	FUZZ_CHECK(free_slot < sizeof(h.em) / sizeof(h.em[0])); /* the probe holds three */
	memset(&h.em[free_slot], 0, sizeof(h.em[free_slot]));
	h.em[free_slot].h = c;
	return &h.em[free_slot];
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
	struct em *e = em_of(c);
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
	struct em *e = em_of(c);

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
		return opt('d') ? 0 : 1000;
	case CURLINFO_CONNECT_TIME_T:
		return opt('n') ? 0 : 2000;
	case CURLINFO_APPCONNECT_TIME_T:
		return opt('n') || opt('e') || !opt('h') ? 0 : 3000;
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
		*v = opt('n') ? ECONNREFUSED : 0;
		break;
	case CURLINFO_SSL_VERIFYRESULT:
		*v = opt('E') ? 10 : 18; /* expired, or self-signed */
		break;
	case CURLINFO_HTTP_VERSION:
		*v = opt('2') ? CURL_HTTP_VERSION_2_0 : CURL_HTTP_VERSION_1_1;
		break;
	case CURLINFO_PRIMARY_PORT:
		*v = opt('h') ? 8443 : 80;
		break;
	default:
		return CURLE_UNKNOWN_OPTION;
	}
	return CURLE_OK;
}

CURLcode
__wrap_curl_easy_getinfo(CURL *c, CURLINFO i, ...)
{
	struct em *e = em_of(c);
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
		*(const char **)v = opt('L') ? "127.0.0.1" : "203.0.113.9";
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
	FUZZ_CHECK(url_origin(h.t.url, b, sizeof(b)) == 0);
	FUZZ_CHECK(strcmp(a, b) == 0);
	for (l = e->hdrs; l != NULL; l = l->next)
		if (strncmp(l->data, "Authorization: Bearer ", 22) == 0)
			FUZZ_CHECK(strcmp(e->url, h.t.url) == 0 ||
			    (h.p->post_url != NULL && strcmp(e->url, h.p->post_url) == 0));
}

CURLMcode
__wrap_curl_multi_add_handle(CURLM *m, CURL *c)
{
	struct em *e = em_of(c);

	FUZZ_CHECK(m == fake_multi && !h.in_cb && !e->inflight);
	check_request(e);
	if (getenv("FUZZ_VERBOSE") != NULL)
		fprintf(stderr, "request %s%s\n", e->url, e->nobody ? " (no body)" : "");
	e->inflight = 1;
	e->t0 = h.clock;
	e->due = h.clock + (e->timeout_ms > 0 ? e->timeout_ms / 1000.0 : 3600);
	e->status = 0;
	e->in_body = 0;
	e->blank = 0;
	e->got = 0;
	return CURLM_OK;
}

CURLMcode
__wrap_curl_multi_remove_handle(CURLM *m, CURL *c)
{
	struct em *e = em_of(c);

	FUZZ_CHECK(m == fake_multi && !h.in_cb);
	e->inflight = 0;
	return CURLM_OK;
}

/* --- the run loop, as far as the probe sees it ---------------------------------- */

CURLM *
runner_multi(struct runner *r)
{
	FUZZ_CHECK(r == fake_runner);
	return fake_multi;
}

void
runner_poke(struct runner *r, struct probe *p)
{
	FUZZ_CHECK(r == fake_runner && p == h.p);
	h.poked = 1;
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

static void check_records(const char *s, size_t n);

void
runner_finish(struct runner *r, struct probe *p)
{
	char err[256];

	FUZZ_CHECK(r == fake_runner && p == h.p && !p->reported);
	mcp_buf_reset(&h.out);
	FUZZ_CHECK(report_format(p, &h.out, err, sizeof(err)) == 0);
	/* FUZZ_VERBOSE=1 shows what a script does. */
	if (getenv("FUZZ_VERBOSE") != NULL)
		fprintf(stderr, "%s", h.out.p);
	check_records(h.out.p, h.out.len);
	p->reported = 1;
}

/* --- the records ----------------------------------------------------------------- */

static const char *
str(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
one_of(const char *s, const char *const *set)
{
	for (; s != NULL && *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return 1;
	return 0;
}

static int
is_null(const cJSON *o, const char *k)
{
	return cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, k));
}

/* A whole number in [lo, hi], or null when may_null. */
static int
num_in(const cJSON *o, const char *k, double lo, double hi, int may_null)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	if (may_null && cJSON_IsNull(v))
		return 1;
	return cJSON_IsNumber(v) && v->valuedouble >= lo && v->valuedouble <= hi;
}

/* An error code a result keeps: [a-z0-9_]{1,40}. */
static int
code_ok(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	return n > 0 && n <= 40 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

/* The secrets of the probe that no message may quote. */
static void
check_message(const char *m)
{
	const char *sec[] = {
	    h.p->session, h.p->post_url, h.p->x.session, h.p->s.session, h.p->a.session};
	size_t i;

	for (i = 0; m != NULL && i < sizeof(sec) / sizeof(sec[0]); i++)
		if (sec[i] != NULL && strlen(sec[i]) >= 4 && strchr(sec[i], '*') == NULL)
			FUZZ_CHECK(strstr(m, sec[i]) == NULL);
}

static void
check_error(const cJSON *rec, int failed)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(rec, "error");

	if (!failed) {
		FUZZ_CHECK(cJSON_IsNull(e));
		return;
	}
	FUZZ_CHECK(cJSON_IsObject(e) && code_ok(str(e, "code")));
	check_message(str(e, "message"));
}

static void
check_step(const cJSON *rec, int i, int *failed)
{
	static const char *const status[] = {"pass", "fail", "skip", NULL};
	const char *st = str(rec, "status");

	FUZZ_CHECK(strcmp(str(rec, "type"), "step") == 0);
	FUZZ_CHECK(num_in(rec, "seq", i + 1, i + 1, 0));
	FUZZ_CHECK(str(rec, "step") != NULL && strcmp(str(rec, "step"), mcp_steps[i]) == 0);
	FUZZ_CHECK(one_of(st, status));
	FUZZ_CHECK(num_in(rec, "ms", 0, 1e9, 0));
	FUZZ_CHECK(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(rec, "detail")));
	/* After the first failure, every step is skipped. */
	if (*failed >= 0)
		FUZZ_CHECK(strcmp(st, "skip") == 0);
	else if (strcmp(st, "fail") == 0)
		*failed = i;
	check_error(rec, strcmp(st, "fail") == 0);
}

static void
check_result(const cJSON *rec, int failed)
{
	static const char *const states[] = {"healthy", "auth-walled", "broken", NULL};
	static const char *const postures[] = {
	    "open", "auth-walled", "key-walled", "credentialed", NULL};
	static const char *const transports[] = {"streamable-http", "sse", NULL};
	static const char *const eras[] = {"modern", "legacy", NULL};
	const char *state = str(rec, "state"), *hash = str(rec, "tool_hash");

	FUZZ_CHECK(strcmp(str(rec, "type"), "result") == 0);
	FUZZ_CHECK(one_of(state, states));
	FUZZ_CHECK((strcmp(state, "broken") == 0) == (failed >= 0));
	if (failed >= 0)
		FUZZ_CHECK(str(rec, "failed_step") != NULL &&
		    strcmp(str(rec, "failed_step"), mcp_steps[failed]) == 0);
	else
		FUZZ_CHECK(is_null(rec, "failed_step"));
	FUZZ_CHECK(is_null(rec, "posture") || one_of(str(rec, "posture"), postures));
	FUZZ_CHECK(is_null(rec, "transport") || one_of(str(rec, "transport"), transports));
	FUZZ_CHECK(is_null(rec, "era") || one_of(str(rec, "era"), eras));
	FUZZ_CHECK(num_in(rec, "http_status", 100, 999, 1));
	FUZZ_CHECK(num_in(rec, "tool_count", 0, TOOLS_MAX, 1));
	FUZZ_CHECK(
	    hash == NULL || (strlen(hash) == MCP_HASH_LEN - 1 && strncmp(hash, "sha256:", 7) == 0));
	FUZZ_CHECK(num_in(rec, "ms", 0, 1e9, 0));
	FUZZ_CHECK(num_in(rec, "probe_finished_at", EPOCH0, EPOCH0 + 3600, 0));
	check_error(rec, failed >= 0);
}

static void
check_records(const char *s, size_t n)
{
	const char *nl, *why;
	cJSON *rec;
	int i, failed = -1;

	FUZZ_CHECK(mcp_utf8_valid(s, n));
	/* The secrets this target has (a server may well say the others). */
	FUZZ_CHECK(!opt('t') || strstr(s, TOKEN) == NULL);
	FUZZ_CHECK(!opt('k') || strstr(s, KEY) == NULL);
	FUZZ_CHECK(!opt('u') || (strstr(s, PASSWORD) == NULL && strstr(s, BASIC) == NULL));
	for (i = 0; i < S_NSTEPS + 1; i++, s = nl + 1) {
		FUZZ_CHECK((nl = memchr(s, '\n', n)) != NULL);
		rec = mcp_json_parse(s, (size_t)(nl - s), &why);
		FUZZ_CHECK(cJSON_IsObject(rec));
		FUZZ_CHECK(num_in(rec, "v", 1, 1, 0));
		FUZZ_CHECK(str(rec, "slug") != NULL && strcmp(str(rec, "slug"), "fuzz") == 0);
		FUZZ_CHECK(str(rec, "region") != NULL && strcmp(str(rec, "region"), "fuzz-1") == 0);
		FUZZ_CHECK(num_in(rec, "probe_started_at", EPOCH0, EPOCH0, 0));
		if (i < S_NSTEPS)
			check_step(rec, i, &failed);
		else
			check_result(rec, failed);
		cJSON_Delete(rec);
		n -= (size_t)(nl - s) + 1;
	}
	FUZZ_CHECK(n == 0);
}

/* --- the scripted server ---------------------------------------------------------- */

/* The easy handle of xfer x when it is in flight, else NULL. */
static struct em *
inflight(const struct xfer *x)
{
	size_t i;

	for (i = 0; x->h != NULL && i < sizeof(h.em) / sizeof(h.em[0]); i++)
		if (h.em[i].h == x->h && h.em[i].inflight)
			return &h.em[i];
	return NULL;
}

/* Hand n bytes to a libcurl callback: 0, or CURLE_WRITE_ERROR when it refused. */
static int
deliver(curl_write_callback fn, void *arg, const char *p, size_t n)
{
	char buf[4096];
	size_t r;

	FUZZ_CHECK(fn != NULL && n <= sizeof(buf));
	memcpy(buf, p, n);
	h.in_cb = 1;
	r = fn(buf, 1, n, arg);
	h.in_cb = 0;
	return r == n ? 0 : CURLE_WRITE_ERROR;
}

/*
 * The status of a status line "HTTP/V DDD ...", as libcurl 7.88 takes it:
 * three digits, 100 to 999.  0 when it is none.
 */
static long
status_line(const char *p, size_t n)
{
	size_t i = 5;

	if (n < 5 || strncmp(p, "HTTP/", 5) != 0)
		return 0;
	while (i < n && (isdigit((unsigned char)p[i]) || p[i] == '.'))
		i++;
	if (i == 5 || i + 4 > n || p[i] != ' ' || p[i + 1] < '1' || p[i + 1] > '9' ||
	    !isdigit((unsigned char)p[i + 2]) || !isdigit((unsigned char)p[i + 3]) ||
	    (i + 4 < n && isdigit((unsigned char)p[i + 4])))
		return 0;
	return strtol(p + i + 1, NULL, 10);
}

/*
 * Header lines up to the end of the headers, each field line reps times
 * (a flood); advances *p.  0 or a CURLcode.
 */
static int
headers(struct em *e, const char **p, const char *end, int reps)
{
	const char *nl;
	size_t n;
	long st;
	int rc, i;

	while (!e->in_body && *p < end) {
		nl = memchr(*p, '\n', (size_t)(end - *p));
		n = (size_t)((nl != NULL ? nl + 1 : end) - *p);
		if (n > 4000)
			n = 4000;
		/* A first line, or one after a 1xx answer, must be a status line. */
		if (e->status == 0 || (e->status < 200 && e->got > 0 && e->blank)) {
			if ((st = status_line(*p, n)) == 0)
				return CURLE_UNSUPPORTED_PROTOCOL; /* libcurl refuses it */
			e->status = st;
			e->blank = 0;
			i = reps - 1; /* a status line is sent once */
		} else {
			i = n <= 2 ? reps - 1 : 0; /* so is a blank line */
		}
		for (; i < reps; i++) {
			if ((rc = deliver(e->hfn, e->hdata, *p, n)) != 0)
				return rc;
			e->got += n;
		}
		if (n == 1 || (n == 2 && (*p)[0] == '\r')) {
			e->blank = 1;
			if (e->status >= 200)
				e->in_body = 1;
		}
		*p += n;
	}
	return 0;
}

static uint64_t
next_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* A block of the script for the transfer of e: headers, then body. */
static int
answer(struct em *e, const char *p, const char *end, int reps)
{
	uint64_t seed = (uint64_t)(end - p) * 0x9e3779b97f4a7c15ULL + 1;
	size_t k;
	int rc;

	if ((rc = headers(e, &p, end, reps)) != 0)
		return rc;
	while (p < end && !e->nobody) {
		k = (size_t)(next_rand(&seed) % 97) + 1;
		k = k < (size_t)(end - p) ? k : (size_t)(end - p);
		if ((rc = deliver(e->wfn, e->wdata, p, k)) != 0)
			return rc;
		e->got += k;
		p += k;
	}
	return 0;
}

/* A transfer ends: the run loop hands its result to the probe. */
static void
complete(struct xfer *x, struct em *e, int rc)
{
	if (rc == 0 && !e->in_body)
		rc = e->got > 0 ? CURLE_WEIRD_SERVER_REPLY : CURLE_GOT_NOTHING;
	xfer_complete(x, (CURLcode)rc);
}

/* What the run loop does after libcurl: the probe's timers, as long as it asks. */
static double
timers(void)
{
	double next = 0;
	int i;

	for (i = 0; i < 16 && (h.poked || i == 0) && !h.p->reported; i++) {
		h.poked = 0;
		next = probe_timers(h.p, h.clock);
	}
	return next;
}

/* The transfer a block names, or the first in flight. */
static struct xfer *
pick(char c)
{
	struct xfer *order[] = {&h.p->x, &h.p->a, &h.p->s};
	size_t i;

	if (c == 'x' || c == 's' || c == 'a')
		return c == 'x' ? &h.p->x : c == 's' ? &h.p->s : &h.p->a;
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (inflight(order[i]) != NULL)
			return order[i];
	return NULL;
}

/* Transfers past libcurl's timeout end as libcurl would end them. */
static void
timeouts(void)
{
	struct xfer *all[] = {&h.p->x, &h.p->s, &h.p->a};
	struct em *e;
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]) && !h.p->reported; i++)
		if ((e = inflight(all[i])) != NULL && h.clock >= e->due)
			xfer_complete(all[i], CURLE_OPERATION_TIMEDOUT);
}

/*
 * Nothing is in flight for the block: time runs to the probe's next timer
 * (a resumption, a streamed answer due), but not to its deadline.
 */
static void
wait_timer(void)
{
	double next = timers();

	if (next > h.clock && next < h.p->deadline && !h.p->reported) {
		h.clock = next;
		timeouts();
		timers();
	}
}

/* One block, after its "%%" line (head, without the newline). */
static void
block(const char *head, size_t hn, const char *p, const char *end)
{
	char c = hn > 2 ? head[2] : 0;
	const char *d = head + 2 + (c != 0 && strchr("xsa", c) != NULL);
	int rc = 0, r, keep = memchr(head, '+', hn) != NULL;
	struct xfer *x;
	struct em *e;

	h.clock += 0.005;
	if ((x = pick(c)) == NULL || inflight(x) == NULL) {
		wait_timer();
		if ((x = pick(c)) == NULL || inflight(x) == NULL || h.p->reported)
			return; /* nothing asked for it */
	}
	e = inflight(x);
	if (d < head + hn && isdigit((unsigned char)*d))
		rc = (int)strtol(d, NULL, 10) % 100;
	/* The block's own result wins over what its bytes would end with. */
	r = answer(e, p, end, memchr(head, '*', hn) != NULL ? FLOOD : 1);
	if (r != 0 && (rc == 0 || r == CURLE_WRITE_ERROR))
		rc = r;
	if (r != 0)
		keep = 0;
	if (!keep && inflight(x) != NULL)
		complete(x, e, rc);
	timers();
}

/* The script is over: the server closes what is open, and time runs on. */
static void
wind_down(void)
{
	struct xfer *x;
	double next;
	int turns;

	for (turns = 0; turns < MAX_TURNS && !h.p->reported; turns++) {
		if ((x = pick(0)) != NULL) {
			complete(x, inflight(x), inflight(x)->got > 0 ? CURLE_RECV_ERROR : 0);
			timers();
			continue;
		}
		next = timers();
		if (h.p->reported)
			break;
		/* The run loop's backstop: the deadline, a quarter second past it. */
		if (next <= h.clock)
			next = h.p->deadline + BACKSTOP;
		h.clock = next > h.clock ? next : h.clock + 0.001;
		timeouts();
	}
	FUZZ_CHECK(h.p->reported); /* no server keeps a probe past its deadline */
}

static void
target(void)
{
	static char url[128];

	memset(&h.t, 0, sizeof(h.t));
	snprintf(url, sizeof(url), "%s://%smcp.example.com%s/a/mcp?x=1",
	    opt('h') ? "https" : "http", opt('u') ? "user:" PASSWORD "@" : "",
	    opt('h') ? ":8443" : "");
	h.t.slug = strdup("fuzz");
	h.t.url = strdup(url);
	h.t.era = strdup(opt('m') ? "modern" : opt('l') ? "legacy" : opt('s') ? "sse" : "auto");
	if (opt('t'))
		h.t.token = strdup(TOKEN);
	if (opt('k')) {
		h.t.headers[0].name = strdup("X-Api-Key");
		h.t.headers[0].value = strdup(KEY);
		h.t.nheaders = 1;
	}
	if (opt('c')) {
		h.t.call = strdup("echo");
		h.t.call_args = strdup("{\"message\":\"hi\"}");
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	if (mcp_curl_init() == -1)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct opts o = {.region = "fuzz-1", .timeout = 30, .req_timeout = 10, .jobs = 1};
	char *s = fuzz_str(data, size), *end = s + size, *line, *next, *nl;

	memset(h.em, 0, sizeof(h.em));
	h.clock = CLOCK0;
	h.in_cb = h.poked = 0;
	nl = memchr(s, '\n', size);
	line = nl != NULL ? nl + 1 : end;
	if (nl != NULL)
		*nl = '\0';
	h.opts = s;
	o.max_body = opt('b') ? 300 : 4 << 20;
	target();
	if ((h.p = calloc(1, sizeof(*h.p))) == NULL || probe_init(h.p, &o, &h.t, fake_runner) == -1)
		abort();
	probe_start(h.p);
	timers();
	/* Blocks: from a "%%" line to the next. */
	while (line < end && !h.p->reported) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		for (next = nl; next < end &&
		     !(next[0] == '\n' && next + 2 < end && next[1] == '%' && next[2] == '%');
		     next++)
			;
		/* A block holds the newline before the next "%%" line. */
		if (nl - line >= 2 && line[0] == '%' && line[1] == '%')
			block(line, (size_t)(nl - line), nl < end ? nl + 1 : end,
			    next < end ? next + 1 : end);
		line = next < end ? next + 1 : end;
	}
	wind_down();
	probe_free(h.p);
	free(h.p);
	mcp_target_free(&h.t);
	mcp_buf_free(&h.out);
	free(s);
	return 0;
}
