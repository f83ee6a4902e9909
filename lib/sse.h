/*
 * sse.h - a push parser for text/event-stream, after the WHATWG "event
 * stream interpretation" rules.
 *
 * Feed it bytes as they arrive, in chunks of any size; it calls back once
 * for each dispatched event.  It handles CRLF, LF and CR line ends (also
 * split across chunks), a leading BOM, ':' comments, several data: lines
 * joined with '\n', id (ignored when it holds NUL), retry (digits only),
 * and discards an unterminated event at end of stream.  Events whose data
 * is empty (MCP priming events) are still dispatched; callers skip them.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_SSE_H
#define MCP_SSE_H

#include <stddef.h>

#include "buf.h"

struct mcp_sse_event {
	const char *type; /* "message" by default; borrowed for the callback */
	const char *data; /* NUL-terminated; borrowed for the callback */
	size_t datalen;
	const char *id; /* last event id so far ("" if none); borrowed */
};

/* Return 0 to go on, non-zero to stop parsing (mcp_sse_feed returns it). */
typedef int (*mcp_sse_cb)(const struct mcp_sse_event *ev, void *arg);

struct mcp_sse {
	struct mcp_buf line;  /* the line being read */
	struct mcp_buf data;  /* data buffer of the event being built */
	struct mcp_buf event; /* event type of the event being built */
	struct mcp_buf id;    /* last event id */
	long retry;           /* last retry value in ms, -1 if none */
	int started;          /* past the optional BOM */
	int last_cr;          /* last byte seen was CR (a following LF is eaten) */
	size_t max;           /* cap on line and data sizes; 0: unlimited */
};

void mcp_sse_init(struct mcp_sse *p, size_t max);
/*
 * Parse len bytes.  Returns 0, the callback's non-zero value, or -1 when a
 * line or event passed the cap (out of memory likewise).
 */
int mcp_sse_feed(struct mcp_sse *p, const char *buf, size_t len, mcp_sse_cb cb, void *arg);
void mcp_sse_free(struct mcp_sse *p);

#endif
