/*
 * queue.c - the traces waiting for the collector: a list bounded in
 * bytes (the oldest leave first when a new one would pass the bound),
 * kept across runs in a spool file.  The file is the list as it was at
 * the end of the last run: read when the run starts, rewritten when it
 * ends, locked (flock) in between, so that two runs never share it.
 * Each frame in it: its length and its span count (32 bits each, little
 * endian), then one encoded ExportTraceServiceRequest.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mcp.h"
#include "otlp.h"

/* A frame's length and span count: its bytes in the spool count against the bound. */
#define FRAME_HEAD 8
/* No frame is longer than the largest -m: a longer length is a torn file. */
#define SPOOL_FRAME_MAX (1UL << 30)

static void
put32(unsigned char *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void
drop_head(struct otlp_queue *q)
{
	struct otlp_frame *f = q->head;

	q->head = f->next;
	if (q->head == NULL)
		q->tail = NULL;
	q->bytes -= f->len + FRAME_HEAD;
	q->frames--;
	free(f);
}

int
otlp_queue_push(struct otlp_queue *q, const void *p, size_t n, uint32_t spans)
{
	struct otlp_frame *f;

	if (n + FRAME_HEAD > q->max || (f = malloc(sizeof(*f) + n)) == NULL) {
		q->dropped_spans += spans;
		q->dropped_traces++;
		return -1;
	}
	while (q->head != NULL && q->bytes + n + FRAME_HEAD > q->max) {
		q->dropped_spans += q->head->spans;
		q->dropped_traces++;
		drop_head(q);
	}
	f->next = NULL;
	f->spans = spans;
	f->len = n;
	memcpy(f->data, p, n);
	if (q->tail != NULL)
		q->tail->next = f;
	else
		q->head = f;
	q->tail = f;
	q->bytes += n + FRAME_HEAD;
	q->frames++;
	return 0;
}

void
otlp_queue_pop(struct otlp_queue *q, long k)
{
	while (k-- > 0 && q->head != NULL)
		drop_head(q);
}

/* The frames of the spool into the queue; a torn tail is left out. */
static int
spool_read(struct otlp_queue *q, char *why, size_t len)
{
	unsigned char h[8], *p = NULL;
	size_t n;
	ssize_t r;

	for (;;) {
		if ((r = read(q->fd, h, FRAME_HEAD)) == 0)
			break;
		if (r != FRAME_HEAD)
			goto torn;
		n = get32(h);
		if (n == 0 || n > SPOOL_FRAME_MAX || (p = malloc(n)) == NULL ||
		    read(q->fd, p, n) != (ssize_t)n)
			goto torn;
		otlp_queue_push(q, p, n, get32(h + 4));
		free(p);
		p = NULL;
	}
	return 0;
torn:
	free(p);
	snprintf(why, len, "spool: a torn frame at the end, left out");
	return 1;
}

int
otlp_queue_open(struct otlp_queue *q, const char *spool, size_t max, char *why, size_t len)
{
	struct stat sb;

	memset(q, 0, sizeof(*q));
	q->max = max;
	q->fd = -1;
	if (spool == NULL)
		return 0;
	if ((q->fd = open(spool, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)) == -1) {
		snprintf(why, len, "%s: %s", spool, strerror(errno));
		return -1;
	}
	if (fstat(q->fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		snprintf(why, len, "%s: not a regular file", spool);
		goto fail;
	}
	if (flock(q->fd, LOCK_EX | LOCK_NB) == -1) {
		snprintf(why, len, "%s: %s", spool,
		    errno == EWOULDBLOCK ? "in use by another run" : strerror(errno));
		goto fail;
	}
	return spool_read(q, why, len);
fail:
	close(q->fd);
	q->fd = -1;
	return -1;
}

int
otlp_queue_close(struct otlp_queue *q, char *why, size_t len)
{
	struct otlp_frame *f;
	unsigned char h[8];
	int rc = 0;

	if (q->fd != -1) {
		if (ftruncate(q->fd, 0) == -1 || lseek(q->fd, 0, SEEK_SET) == -1)
			rc = -1;
		for (f = q->head; rc == 0 && f != NULL; f = f->next) {
			put32(h, (uint32_t)f->len);
			put32(h + 4, f->spans);
			if (mcp_write_two(q->fd, h, FRAME_HEAD, f->data, f->len) == -1)
				rc = -1;
		}
		if (rc == -1)
			snprintf(why, len, "spool: %s", strerror(errno));
		if (close(q->fd) == -1 && rc == 0) {
			snprintf(why, len, "spool: %s", strerror(errno));
			rc = -1;
		}
		q->fd = -1;
	}
	while (q->head != NULL)
		drop_head(q);
	return rc;
}
