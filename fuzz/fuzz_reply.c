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
 * coding, HTTP/2 framing or TLS), and run.c's epoll loop.  The stand-ins
 * are in reply_curl.c, the checks of the records in reply_check.c; this
 * file is the scripted server.
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
 * c for a tool to call (with x, then a second call whose arguments refer
 * to the first's answer, and conditions on every step, one of them an
 * expect_secret), L for a server on loopback, b for a 300-byte body
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
 * sends) and an expect_secret's right-hand side appear nowhere in them,
 * and no session id the probe holds appears in an error message.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <ctype.h>

#include "../lib/mcp.h"
#include "reply.h"

#define MAX_TURNS 400
#define FLOOD 1000 /* times a header line is sent in a block marked '*' */

struct reply rp;

/* Hand n bytes to a libcurl callback: 0, or CURLE_WRITE_ERROR when it refused. */
static int
deliver(curl_write_callback fn, void *arg, const char *p, size_t n)
{
	char buf[4096];
	size_t r;

	FUZZ_CHECK(fn != NULL && n <= sizeof(buf));
	memcpy(buf, p, n);
	rp.in_cb = 1;
	r = fn(buf, 1, n, arg);
	rp.in_cb = 0;
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

	for (i = 0; i < 16 && (rp.poked || i == 0) && !rp.p->reported; i++) {
		rp.poked = 0;
		next = probe_timers(rp.p, rp.clock);
	}
	return next;
}

/* The transfer a block names, or the first in flight. */
static struct xfer *
pick(char c)
{
	struct xfer *order[] = {&rp.p->x, &rp.p->a, &rp.p->s};
	size_t i;

	if (c == 'x' || c == 's' || c == 'a')
		return c == 'x' ? &rp.p->x : c == 's' ? &rp.p->s : &rp.p->a;
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (reply_inflight(order[i]) != NULL)
			return order[i];
	return NULL;
}

/* Transfers past libcurl's timeout end as libcurl would end them. */
static void
timeouts(void)
{
	struct xfer *all[] = {&rp.p->x, &rp.p->s, &rp.p->a};
	struct em *e;
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]) && !rp.p->reported; i++)
		if ((e = reply_inflight(all[i])) != NULL && rp.clock >= e->due)
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

	if (next > rp.clock && next < rp.p->deadline && !rp.p->reported) {
		rp.clock = next;
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

	rp.clock += 0.005;
	if ((x = pick(c)) == NULL || reply_inflight(x) == NULL) {
		wait_timer();
		if ((x = pick(c)) == NULL || reply_inflight(x) == NULL || rp.p->reported)
			return; /* nothing asked for it */
	}
	e = reply_inflight(x);
	if (d < head + hn && isdigit((unsigned char)*d))
		rc = (int)strtol(d, NULL, 10) % 100;
	/* The block's own result wins over what its bytes would end with. */
	r = answer(e, p, end, memchr(head, '*', hn) != NULL ? FLOOD : 1);
	if (r != 0 && (rc == 0 || r == CURLE_WRITE_ERROR))
		rc = r;
	if (r != 0)
		keep = 0;
	if (!keep && reply_inflight(x) != NULL)
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

	for (turns = 0; turns < MAX_TURNS && !rp.p->reported; turns++) {
		if ((x = pick(0)) != NULL) {
			complete(x, reply_inflight(x),
			    reply_inflight(x)->got > 0 ? CURLE_RECV_ERROR : 0);
			timers();
			continue;
		}
		next = timers();
		if (rp.p->reported)
			break;
		/* The run loop's backstop: the deadline, a quarter second past it. */
		if (next <= rp.clock)
			next = rp.p->deadline + BACKSTOP;
		rp.clock = next > rp.clock ? next : rp.clock + 0.001;
		timeouts();
	}
	FUZZ_CHECK(rp.p->reported); /* no server keeps a probe past its deadline */
}

static void
target(void)
{
	static char url[128];

	memset(&rp.t, 0, sizeof(rp.t));
	snprintf(url, sizeof(url), "%s://%smcp.example.com%s/a/mcp?x=1",
	    reply_opt('h') ? "https" : "http", reply_opt('u') ? "user:" PASSWORD "@" : "",
	    reply_opt('h') ? ":8443" : "");
	rp.t.slug = strdup("fuzz");
	rp.t.url = strdup(url);
	rp.t.era = strdup(reply_opt('m') ? "modern"
	        : reply_opt('l')         ? "legacy"
	        : reply_opt('s')         ? "sse"
	                                 : "auto");
	if (reply_opt('t'))
		rp.t.token = strdup(TOKEN);
	if (reply_opt('k')) {
		rp.t.headers = calloc(MCP_HEADERS_MAX, sizeof(*rp.t.headers));
		rp.t.headers[0].name = strdup("X-Api-Key");
		rp.t.headers[0].value = strdup(KEY);
		rp.t.nheaders = 1;
	}
	if (reply_opt('c')) {
		rp.t.call = strdup("echo");
		rp.t.call_args = strdup("{\"message\":\"hi\"}");
	}
	if (reply_opt('c') && reply_opt('x')) {
		static const char *const conds[] = {"[CALL1].structured.results[0].id~=^d",
		    "len([TOOLS])>=1", "[PROTOCOL]>=2025-03-26", "has([TOOLS].echo)==true",
		    "len([CALL].content)>0", "[CALL].ms<1000"};
		char err[300];
		size_t i;

		rp.t.more_call[0] = strdup("echo");
		rp.t.more_args[0] = strdup("{\"message\":\"{{call1.structured.results[0].id}}\","
		                           "\"t\":\"x{{call1.text}}\"}");
		for (i = 0; i < sizeof(conds) / sizeof(conds[0]); i++)
			FUZZ_CHECK(mcp_expect_add(&rp.t, conds[i], 0, err, sizeof(err)) == 0);
		FUZZ_CHECK(
		    mcp_expect_add(&rp.t, "[CALL].text!~" EXPECT_SECRET, 1, err, sizeof(err)) == 0);
		FUZZ_CHECK(expect_compile(&rp.t, err, sizeof(err)) == 0);
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

	memset(rp.em, 0, sizeof(rp.em));
	rp.clock = CLOCK0;
	rp.in_cb = rp.poked = 0;
	nl = memchr(s, '\n', size);
	line = nl != NULL ? nl + 1 : end;
	if (nl != NULL)
		*nl = '\0';
	rp.opts = s;
	o.max_body = reply_opt('b') ? 300 : 4 << 20;
	target();
	if ((rp.p = calloc(1, sizeof(*rp.p))) == NULL ||
	    probe_init(rp.p, &o, &rp.t, reply_runner) == -1)
		abort();
	probe_start(rp.p);
	timers();
	/* Blocks: from a "%%" line to the next. */
	while (line < end && !rp.p->reported) {
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
	probe_free(rp.p);
	free(rp.p);
	expect_free(&rp.t);
	mcp_target_free(&rp.t);
	mcp_buf_free(&rp.out);
	free(s);
	return 0;
}
