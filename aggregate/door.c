/*
 * door.c - the ingest's side of the web server: a CGI program (RFC 3875)
 * run once per request, or, when its standard input is a listening
 * socket, a FastCGI responder that keeps its store connection from one
 * request to the next (as mcp-serve(8)).  Same routes, same bytes.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "ingest.h"

struct ing_src {
	FCGX_ParamArray envp; /* NULL in CGI mode */
	FCGX_Stream *in, *err;
	int read; /* the body was read (or refused for its length) */
};

const char *
ing_param(const struct ing_src *s, const char *name)
{
	if (s->envp != NULL)
		return FCGX_GetParam(name, s->envp);
	return getenv(name);
}

/* The CGI body: read(2) from stdin, within ING_READ_SECONDS in all. */
static ssize_t
cgi_read(char *buf, size_t n, double end)
{
	struct pollfd pfd = {0, POLLIN, 0};
	double left;
	ssize_t k;

	for (;;) {
		if ((left = end - mcp_mono()) <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if ((k = poll(&pfd, 1, (int)(left * 1000) + 1)) == -1 && errno != EINTR)
			return -1;
		/* Nothing yet: the deadline is checked again, never a read that blocks. */
		if (k <= 0)
			continue;
		if ((k = read(0, buf, n)) >= 0 || (errno != EAGAIN && errno != EINTR))
			return k;
	}
}

int
ing_body(struct ing_src *s, struct mcp_buf *b, size_t max, char *why, size_t len)
{
	const char *cl = ing_param(s, "CONTENT_LENGTH");
	double end = mcp_mono() + ING_READ_SECONDS;
	long long want = cl != NULL && *cl != '\0' ? strtoll(cl, NULL, 10) : -1;
	char buf[65536];
	ssize_t k;
	size_t n;

	s->read = 1;
	if (want > (long long)max)
		return 1;
	for (;;) {
		n = sizeof(buf);
		if (want >= 0 && (long long)b->len + (long long)n > want)
			n = (size_t)(want - (long long)b->len);
		if (n == 0)
			return 0;
		if (s->envp != NULL)
			k = FCGX_GetStr(buf, (int)n, s->in);
		else
			k = cgi_read(buf, n, end);
		if (k < 0 || (k == 0 && want >= 0)) {
			snprintf(why, len, "the body: %s",
			    k < 0 ? strerror(errno) : "shorter than its Content-Length");
			return -1;
		}
		if (k == 0)
			return 0;
		if (b->len + (size_t)k > max) {
			mcp_buf_reset(b);
			return 1;
		}
		if (mcp_buf_add(b, buf, (size_t)k) == -1) {
			snprintf(why, len, "the body: out of memory");
			return -1;
		}
	}
}

/* The header block of r; a HEAD keeps the headers and loses the body. */
static int
head(const struct ing_resp *r, struct mcp_buf *h)
{
	int rc = mcp_buf_addf(h, "Status: %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n",
	    r->status, mcp_http_reason(r->status), r->ctype, r->body.len);

	rc |= mcp_buf_adds(h, "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n");
	if (r->allow != NULL)
		rc |= mcp_buf_addf(h, "Allow: %s\r\n", r->allow);
	if (r->retry_after > 0)
		rc |= mcp_buf_addf(h, "Retry-After: %d\r\n", r->retry_after);
	if (r->challenge)
		rc |= mcp_buf_adds(h, "WWW-Authenticate: Bearer realm=\"mcp-ingest\"\r\n");
	rc |= mcp_buf_adds(h, "\r\n");
	return rc;
}

/* MCP_NOW of the request (tests, replays), for mcp_now() of every check. */
static void
request_clock(const struct ing_src *s)
{
	const char *t = ing_param(s, "MCP_NOW");

	if (s->envp == NULL)
		return;
	if (t != NULL && *t != '\0')
		setenv("MCP_NOW", t, 1);
	else
		unsetenv("MCP_NOW");
}

static int
is_head(const struct ing_src *s)
{
	const char *m = ing_param(s, "REQUEST_METHOD");

	return m != NULL && strcmp(m, "HEAD") == 0;
}

/*
 * Read and drop a CGI body the answer did not need (a 401, a 429): a CGI
 * program that exits before its body is written makes fcgiwrap answer
 * 502 instead of the program's answer.  At most a body's bound, within
 * ING_READ_SECONDS; a larger one is left, the answer going out all the
 * same.
 */
static void
drain(struct ing_src *s)
{
	struct mcp_buf b = {0};
	char why[128];

	if (!s->read)
		ing_body(s, &b, ING_BODY_MAX, why, sizeof(why));
	mcp_buf_free(&b);
}

static int
run_cgi(struct ing_conn *c)
{
	struct ing_src src = {0};
	struct ing_resp r = {0};
	struct mcp_buf h = {0};
	int rc = MCP_EXIT_OK;

	ing_request(c, &src, &r);
	drain(&src);
	if (head(&r, &h) != 0) {
		errno = ENOMEM;
		h.len = 0;
	}
	if (is_head(&src))
		r.body.len = 0;
	if (h.len == 0 || mcp_write_two(1, h.p, h.len, r.body.p, r.body.len) == -1) {
		fprintf(stderr, "%s: write stdout: %s\n", program_invocation_short_name,
		    strerror(errno));
		rc = MCP_EXIT_FAIL;
	}
	mcp_buf_free(&h);
	mcp_buf_free(&r.body);
	return rc;
}

/* A line of the log to FastCGI's stderr, which the web server keeps in its error log. */
static void
log_fcgi(void *arg, const char *line)
{
	struct ing_src *s = arg;

	if (s->err != NULL)
		FCGX_FPrintF(s->err, "%s\n", line);
	else
		fprintf(stderr, "%s\n", line);
}

static int
run_fcgi(struct ing_conn *c)
{
	FCGX_Request rq;
	struct ing_src src = {0};

	if (FCGX_Init() != 0 || FCGX_InitRequest(&rq, 0, 0) != 0) {
		fprintf(stderr, "%s: FastCGI: cannot initialise\n", program_invocation_short_name);
		return MCP_EXIT_FAIL;
	}
	c->fcgi = 1;
	c->log = log_fcgi;
	c->logarg = &src;
	while (FCGX_Accept_r(&rq) >= 0) {
		struct ing_resp r = {0};
		struct mcp_buf h = {0};

		src.envp = rq.envp;
		src.in = rq.in;
		src.err = rq.err;
		request_clock(&src);
		ing_request(c, &src, &r);
		/* A client gone away is its loss, not the responder's. */
		if (head(&r, &h) == 0 && FCGX_PutStr(h.p, (int)h.len, rq.out) >= 0 &&
		    r.body.len > 0 && !is_head(&src))
			FCGX_PutStr(r.body.p, (int)r.body.len, rq.out);
		mcp_buf_free(&h);
		mcp_buf_free(&r.body);
		FCGX_Finish_r(&rq);
		src.envp = NULL;
		src.in = NULL;
		src.err = NULL;
	}
	return MCP_EXIT_OK;
}

int
agg_ingest(const struct agg_opts *o, const char *overrides)
{
	struct ing_conn c = {0};
	int rc;

	c.o = o;
	c.overrides = overrides;
	rc = mcp_stdin_is_fcgi() ? run_fcgi(&c) : run_cgi(&c);
	ing_conn_free(&c);
	return rc;
}
