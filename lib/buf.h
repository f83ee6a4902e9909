/*
 * buf.h - a growable byte buffer with an optional hard cap.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_BUF_H
#define MCP_BUF_H

#include <stddef.h>

struct mcp_buf {
	char *p;    /* owned; always NUL-terminated when non-NULL */
	size_t len; /* bytes used, not counting the NUL */
	size_t cap; /* bytes allocated */
	size_t max; /* 0: unlimited; else appends past max fail */
	int wipe;   /* it holds secrets: every block it leaves is zeroed */
};

/* Append; -1 when the cap would be passed or memory ran out (buf unchanged). */
int mcp_buf_add(struct mcp_buf *b, const void *p, size_t len);
int mcp_buf_addc(struct mcp_buf *b, char c);
int mcp_buf_adds(struct mcp_buf *b, const char *s);
/* printf-style append. */
int mcp_buf_addf(struct mcp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void mcp_buf_reset(struct mcp_buf *b); /* len = 0, memory kept */
void mcp_buf_free(struct mcp_buf *b);  /* releases memory, keeps max */

#endif
