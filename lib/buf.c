/*
 * buf.c - a growable byte buffer with an optional hard cap.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static int
grow(struct mcp_buf *b, size_t need)
{
	size_t cap;
	char *p;

	if (b->max && need > b->max)
		return -1;
	if (need + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need + 1) {
		if (cap > (size_t)-1 / 2)
			return -1;
		cap *= 2;
	}
	/* A capped buffer never takes more than its cap: not twice, by doubling. */
	if (b->max && cap > b->max + 1)
		cap = b->max + 1;
	if (b->wipe) {
		/* Moved by hand: realloc would leave the old block as it was. */
		if ((p = malloc(cap)) == NULL)
			return -1;
		if (b->p != NULL) {
			memcpy(p, b->p, b->len + 1);
			explicit_bzero(b->p, b->cap);
			free(b->p);
		}
	} else if ((p = realloc(b->p, cap)) == NULL) {
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

int
mcp_buf_add(struct mcp_buf *b, const void *p, size_t len)
{
	if (len > (size_t)-1 - b->len - 1 || grow(b, b->len + len) == -1)
		return -1;
	if (len)
		memcpy(b->p + b->len, p, len);
	b->len += len;
	b->p[b->len] = '\0';
	return 0;
}

int
mcp_buf_addc(struct mcp_buf *b, char c)
{
	return mcp_buf_add(b, &c, 1);
}

int
mcp_buf_adds(struct mcp_buf *b, const char *s)
{
	return mcp_buf_add(b, s, strlen(s));
}

/*
 * Formatted into the room the buffer has first: one pass when it fits
 * (the usual case: a header line, a number), a second after growing it
 * when not.
 */
int
mcp_buf_addf(struct mcp_buf *b, const char *fmt, ...)
{
	size_t room = b->p != NULL && b->cap > b->len ? b->cap - b->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room > 0 ? b->p + b->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < room && (!b->max || b->len + (size_t)n <= b->max)) {
		b->len += (size_t)n;
		return 0;
	}
	if (room > 0)
		b->p[b->len] = '\0';
	if (n < 0 || grow(b, b->len + (size_t)n) == -1)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void
mcp_buf_reset(struct mcp_buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

void
mcp_buf_free(struct mcp_buf *b)
{
	if (b->wipe && b->p != NULL)
		explicit_bzero(b->p, b->cap);
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}
