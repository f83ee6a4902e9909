/*
 * sse.c - a push parser for text/event-stream (WHATWG HTML, "Interpreting an
 * event stream").  It works on bytes: the fields it acts on are ASCII, and
 * data is handed on as received.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <limits.h>
#include <string.h>

#include "sse.h"

static const char bom[] = "\xef\xbb\xbf";

void
mcp_sse_init(struct mcp_sse *p, size_t max)
{
	memset(p, 0, sizeof(*p));
	p->line.max = p->data.max = p->event.max = p->id.max = max;
	p->retry = -1;
	p->max = max;
}

void
mcp_sse_free(struct mcp_sse *p)
{
	mcp_buf_free(&p->line);
	mcp_buf_free(&p->data);
	mcp_buf_free(&p->event);
	mcp_buf_free(&p->id);
}

static int
field_is(const char *f, size_t flen, const char *name)
{
	return flen == strlen(name) && memcmp(f, name, flen) == 0;
}

/* Digits only, else the field is ignored; huge values saturate. */
static void
set_retry(struct mcp_sse *p, const char *v, size_t len)
{
	long r = 0;
	size_t i;

	if (len == 0)
		return;
	for (i = 0; i < len; i++)
		if (v[i] < '0' || v[i] > '9')
			return;
	for (i = 0; i < len; i++)
		r = r > (LONG_MAX - 9) / 10 ? LONG_MAX : r * 10 + (v[i] - '0');
	p->retry = r;
}

static int
set_field(struct mcp_sse *p, const char *f, size_t flen, const char *v, size_t vlen)
{
	if (field_is(f, flen, "event")) {
		mcp_buf_reset(&p->event);
		return mcp_buf_add(&p->event, v, vlen);
	}
	if (field_is(f, flen, "data")) {
		if (mcp_buf_add(&p->data, v, vlen) == -1)
			return -1;
		return mcp_buf_addc(&p->data, '\n');
	}
	/* A NUL in an id would cut it short in every later Last-Event-ID. */
	if (field_is(f, flen, "id") && memchr(v, '\0', vlen) == NULL) {
		mcp_buf_reset(&p->id);
		return mcp_buf_add(&p->id, v, vlen);
	}
	if (field_is(f, flen, "retry"))
		set_retry(p, v, vlen);
	return 0;
}

/*
 * A blank line: hand the event on, unless no data line came at all.  The
 * event type is reset either way; the last event id stays.
 */
static int
dispatch(struct mcp_sse *p, mcp_sse_cb cb, void *arg)
{
	struct mcp_sse_event ev;
	int rc;

	if (p->data.len == 0) {
		mcp_buf_reset(&p->event);
		return 0;
	}
	p->data.p[--p->data.len] = '\0'; /* the '\n' after the last data line */
	ev.type = p->event.len > 0 ? p->event.p : "message";
	ev.data = p->data.p;
	ev.datalen = p->data.len;
	ev.id = p->id.p != NULL ? p->id.p : "";
	rc = cb(&ev, arg);
	mcp_buf_reset(&p->data);
	mcp_buf_reset(&p->event);
	return rc;
}

static int
end_line(struct mcp_sse *p, mcp_sse_cb cb, void *arg)
{
	const char *s = p->line.p, *colon;
	size_t len = p->line.len, flen;
	int rc;

	if (len == 0)
		return dispatch(p, cb, arg);
	if (s[0] == ':') {
		rc = 0; /* a comment, such as a keep-alive */
	} else if ((colon = memchr(s, ':', len)) == NULL) {
		rc = set_field(p, s, len, "", 0);
	} else {
		flen = (size_t)(colon - s);
		s = colon + 1;
		if (s < p->line.p + len && *s == ' ')
			s++;
		rc = set_field(p, p->line.p, flen, s, len - (size_t)(s - p->line.p));
	}
	mcp_buf_reset(&p->line);
	return rc;
}

/*
 * Strip one BOM at the very start of the stream.  Its bytes wait in the line
 * buffer until they are known to be one, so a BOM split across feeds is found
 * too, and a false start stays part of the first line.  Advances *buf past
 * what it took; -1 when the line buffer is full.
 */
static int
skip_bom(struct mcp_sse *p, const char **buf, const char *end)
{
	for (; *buf < end && !p->started; (*buf)++) {
		if (**buf != bom[p->line.len]) {
			p->started = 1;
			break;
		}
		if (mcp_buf_addc(&p->line, **buf) == -1)
			return -1;
		if (p->line.len == 3) {
			mcp_buf_reset(&p->line);
			p->started = 1;
		}
	}
	return 0;
}

int
mcp_sse_feed(struct mcp_sse *p, const char *buf, size_t len, mcp_sse_cb cb, void *arg)
{
	const char *end = buf + len, *run;
	int rc;

	if (!p->started && skip_bom(p, &buf, end) == -1)
		return -1;
	while (buf < end) {
		/* An LF right after a CR, perhaps from the last feed, ends no line. */
		if (p->last_cr && *buf == '\n') {
			p->last_cr = 0;
			buf++;
			continue;
		}
		p->last_cr = 0;
		for (run = buf; buf < end && *buf != '\r' && *buf != '\n'; buf++)
			;
		if (mcp_buf_add(&p->line, run, (size_t)(buf - run)) == -1)
			return -1;
		if (buf == end)
			break;
		p->last_cr = *buf++ == '\r';
		if ((rc = end_line(p, cb, arg)) != 0)
			return rc;
	}
	return 0;
}
