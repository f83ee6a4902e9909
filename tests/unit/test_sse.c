/*
 * test_sse.c - unit tests for lib/sse.c, in TAP.
 *
 * usage: test_sse [datadir]   (the data directory is not used yet)
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sse.h"
#include "tap.h"

/*
 * One stream with every trap.  Line ends are mixed on purpose: the comments
 * say which event each part makes, or why it makes none.
 */
/* clang-format off */
static const char stream[] =
    "\xef\xbb\xbf"                   /* a BOM, stripped */
    "id: x\n"                        /* the priming event: an id, */
    ": keep-alive\r\n"               /*   a comment, a retry and */
    "retry: 1000\r"                  /*   empty data; dispatched */
    "data: \r\n"
    "\r\n"
    "event: notice\n"                /* an unrelated notification */
    "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\"}\n"
    "\n"
    "event: ghost\r"                 /* no data line: no event, */
    "\r"                             /*   and the type is reset */
    "data: {\"jsonrpc\":\"2.0\",\r"  /* a response over three lines, */
    "data: \"id\":1,\n"              /*   no event line, data:x with */
    "data:\"result\":{}}\r"          /*   no space, then CR CR */
    "\r"
    "data\n"                         /* a field without colon: "" */
    "data:  two spaces\r\n"          /* one space goes, one stays */
    "frob: unknown field\n"          /* ignored */
    "\n"
    "event: endpoint\r\n"
    "data: /messages?session=1\r\n"
    "\r\n"
    "id: bad\0id\n"                  /* holds NUL: ignored */
    "retry: 12a\n"                   /* not all digits: ignored */
    "data: after\n"
    "\n"
    "id\r\n"                         /* no colon: the id becomes "" */
    "data: last\r\n"
    "\r\n"
    "event: late\n"                  /* never ends: not dispatched */
    "data: never";
/* clang-format on */

/* What the stream dispatches: type, data and id per event. */
static const char *const want[][3] = {
    {"message", "", "x"},
    {"notice", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\"}", "x"},
    {"message", "{\"jsonrpc\":\"2.0\",\n\"id\":1,\n\"result\":{}}", "x"},
    {"message", "\n two spaces", "x"},
    {"endpoint", "/messages?session=1", "x"},
    {"message", "after", "x"},
    {"message", "last", ""},
};
#define NWANT (sizeof(want) / sizeof(want[0]))

/* Events as "type|data|id" records separated by 0x1e. */
static int
record(const struct mcp_sse_event *ev, void *arg)
{
	struct mcp_buf *log = arg;

	if (strlen(ev->data) != ev->datalen)
		return -2;
	if (mcp_buf_adds(log, ev->type) == -1 || mcp_buf_addc(log, '|') == -1 ||
	    mcp_buf_add(log, ev->data, ev->datalen) == -1 || mcp_buf_addc(log, '|') == -1 ||
	    mcp_buf_adds(log, ev->id) == -1 || mcp_buf_addc(log, '\x1e') == -1)
		return -3;
	return 0;
}

static void
expected(struct mcp_buf *log)
{
	size_t i;

	for (i = 0; i < NWANT; i++)
		mcp_buf_addf(log, "%s|%s|%s\x1e", want[i][0], want[i][1], want[i][2]);
}

/*
 * Feed the stream in pieces of at most step bytes, the first piece split at
 * cut; log what comes out.  Returns the last feed's result, or -9 when the
 * retry value is not the one the stream set.
 */
static int
run(struct mcp_buf *log, size_t cut, size_t step)
{
	struct mcp_sse p;
	size_t len = sizeof(stream) - 1, off = 0, n;
	int rc = 0;

	mcp_sse_init(&p, 64 * 1024);
	mcp_buf_reset(log);
	if (cut > 0)
		rc = mcp_sse_feed(&p, stream, cut, record, log);
	for (off = cut; rc == 0 && off < len; off += n) {
		n = len - off < step ? len - off : step;
		rc = mcp_sse_feed(&p, stream + off, n, record, log);
	}
	if (rc == 0 && p.retry != 1000)
		rc = -9;
	mcp_sse_free(&p);
	return rc;
}

static void
show(const char *what, const struct mcp_buf *log)
{
	size_t i;

	printf("# %s: ", what);
	for (i = 0; i < log->len; i++) {
		if (log->p[i] == '\x1e')
			fputs(" / ", stdout);
		else if (log->p[i] == '\n')
			fputs("\\n", stdout);
		else
			putchar(log->p[i]);
	}
	putchar('\n');
}

static void
test_stream(void)
{
	struct mcp_buf want_log = {0}, log = {0};
	size_t cut, len = sizeof(stream) - 1;
	int rc, good;

	expected(&want_log);
	rc = run(&log, 0, len);
	good = rc == 0 && log.len == want_log.len && memcmp(log.p, want_log.p, log.len) == 0;
	if (!good) {
		printf("# rc %d\n", rc);
		show("got", &log);
		show("want", &want_log);
	}
	ok(good, "whole stream: %zu events, traps handled", NWANT);

	rc = run(&log, 0, 1);
	good = rc == 0 && log.len == want_log.len && memcmp(log.p, want_log.p, log.len) == 0;
	if (!good)
		show("got", &log);
	ok(good, "one byte at a time: the same events");

	for (cut = 1, good = 1; cut < len && good; cut++) {
		rc = run(&log, cut, len);
		good =
		    rc == 0 && log.len == want_log.len && memcmp(log.p, want_log.p, log.len) == 0;
		if (!good) {
			printf("# split at %zu: rc %d\n", cut, rc);
			show("got", &log);
		}
	}
	ok(good, "every split into two feeds (%zu): the same events", len - 1);
	mcp_buf_free(&want_log);
	mcp_buf_free(&log);
}

static int
stop(const struct mcp_sse_event *ev, void *arg)
{
	(*(int *)arg)++;
	return strcmp(ev->data, "2") == 0 ? 7 : 0;
}

static int
count(const struct mcp_sse_event *ev, void *arg)
{
	(void)ev;
	(*(int *)arg)++;
	return 0;
}

static void
test_stop_and_cap(void)
{
	static const char three[] = "data: 1\n\ndata: 2\n\ndata: 3\n\n";
	struct mcp_sse p;
	char *big;
	size_t mib = 1024 * 1024, i;
	int n = 0, rc;

	mcp_sse_init(&p, 0);
	rc = mcp_sse_feed(&p, three, sizeof(three) - 1, stop, &n);
	ok(rc == 7 && n == 2, "a callback's non-zero return stops parsing and is returned");
	mcp_sse_free(&p);

	if ((big = malloc(mib + 8)) == NULL)
		return;
	memcpy(big, "data: ", 6);
	memset(big + 6, 'a', mib);
	memcpy(big + 6 + mib, "\n\n", 2);
	n = 0;
	mcp_sse_init(&p, 64 * 1024);
	rc = mcp_sse_feed(&p, big, mib + 8, count, &n);
	ok(rc == -1 && n == 0, "a 1 MiB data line with max 64 KiB returns -1");
	mcp_sse_free(&p);

	/* The same bytes in 4 KiB lines: the line cap holds, the data cap trips. */
	for (i = 4096; i < mib; i += 4096)
		memcpy(big + i, "\ndata:", 6);
	n = 0;
	mcp_sse_init(&p, 64 * 1024);
	rc = mcp_sse_feed(&p, big, mib + 8, count, &n);
	ok(rc == -1 && n == 0, "1 MiB of data in short lines with max 64 KiB returns -1");
	mcp_sse_free(&p);

	n = 0;
	mcp_sse_init(&p, 0);
	rc = mcp_sse_feed(&p, big, mib + 8, count, &n);
	ok(rc == 0 && n == 1, "with no cap the same event is dispatched");
	mcp_sse_free(&p);
	free(big);
}

static void
test_bom(void)
{
	struct mcp_buf log = {0};
	struct mcp_sse p;
	int rc;

	/* Only one BOM is stripped; a second one is part of a field name. */
	mcp_sse_init(&p, 0);
	rc = mcp_sse_feed(&p, "\xef\xbb", 2, record, &log);
	rc |= mcp_sse_feed(&p,
	    "\xbf"
	    "data: a\n\n\xef\xbb\xbf"
	    "data: b\n\ndata: c\n\n",
	    31, record, &log);
	ok(rc == 0 && log.p != NULL && strcmp(log.p, "message|a|\x1emessage|c|\x1e") == 0,
	    "one BOM is stripped, split across feeds; a second is not");
	mcp_sse_free(&p);

	/* A false start of a BOM stays part of the first line. */
	mcp_buf_reset(&log);
	mcp_sse_init(&p, 0);
	rc = mcp_sse_feed(&p, "\xef", 1, record, &log);
	rc |= mcp_sse_feed(&p, "data: c\n\ndata: d\n\n", 18, record, &log);
	ok(rc == 0 && log.p != NULL && strcmp(log.p, "message|d|\x1e") == 0,
	    "a partial BOM is kept as data of the first line");
	mcp_sse_free(&p);
	mcp_buf_free(&log);
}

int
main(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_stream();
	test_stop_and_cap();
	test_bom();
	return done_testing();
}
