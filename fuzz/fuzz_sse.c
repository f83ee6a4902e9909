/*
 * fuzz_sse.c - the SSE parser (lib/sse.c) on any byte stream.
 *
 * A server chooses how its stream is cut into reads, so the parser must
 * dispatch the same events whatever the cuts.  The input is fed whole,
 * then byte by byte, in chunks of pseudo-random sizes, and (for short
 * inputs) split in two at every point; every way must give the same events
 * (type, data with its length, id; a type or id is what a caller sees, up
 * to a NUL), the same return value and the same
 * last event id and retry.  A hash of the input picks a line cap and an
 * event after which the callback asks to stop, so both paths are compared
 * too.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include "fuzz.h"
#include "../lib/sse.h"

/* Every split point is tried for inputs up to this size (quadratic). */
#define ALL_SPLITS 300

struct run {
	struct mcp_buf log; /* the events, each field prefixed with its length */
	long events;
	long stop_at; /* the callback returns 1 at this event (from 1), 0: never */
};

static int
on_event(const struct mcp_sse_event *ev, void *arg)
{
	struct run *r = arg;
	size_t tl = strlen(ev->type), il = strlen(ev->id);

	/* The data is NUL-terminated at its length, whatever it holds. */
	FUZZ_CHECK(ev->data[ev->datalen] == '\0');
	FUZZ_CHECK(ev->datalen > 0 || ev->data[0] == '\0');
	if (mcp_buf_addf(&r->log, "%zu:", tl) == -1 || mcp_buf_add(&r->log, ev->type, tl) == -1 ||
	    mcp_buf_addf(&r->log, "%zu:", ev->datalen) == -1 ||
	    mcp_buf_add(&r->log, ev->data, ev->datalen) == -1 ||
	    mcp_buf_addf(&r->log, "%zu:", il) == -1 || mcp_buf_add(&r->log, ev->id, il) == -1)
		abort();
	return ++r->events == r->stop_at;
}

/* Feed the input in the chunks that next() cuts; log the outcome in r. */
static void
feed(struct run *r, const uint8_t *d, size_t n, size_t max, size_t (*next)(size_t, void *),
    void *arg)
{
	struct mcp_sse p;
	size_t off = 0, k;
	int rc = 0;

	mcp_sse_init(&p, max);
	while (off < n && rc == 0) {
		k = next(n - off, arg);
		rc = mcp_sse_feed(&p, (const char *)d + off, k, on_event, r);
		off += k;
	}
	if (mcp_buf_addf(&r->log, "|rc=%d retry=%ld id=", rc, p.retry) == -1 ||
	    (p.id.len > 0 && mcp_buf_add(&r->log, p.id.p, p.id.len) == -1))
		abort();
	mcp_sse_free(&p);
}

static size_t
whole(size_t left, void *arg)
{
	(void)arg;
	return left;
}

static size_t
bytewise(size_t left, void *arg)
{
	(void)arg;
	return left > 0 ? 1 : 0;
}

/* A xorshift generator seeded from the input: chunks of 1 to 64 bytes. */
static size_t
random_chunk(size_t left, void *arg)
{
	uint64_t *s = arg;
	size_t k;

	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	k = (size_t)(*s % 64) + 1;
	return k < left ? k : left;
}

struct split {
	size_t at;
	int first;
};

static size_t
two_parts(size_t left, void *arg)
{
	struct split *sp = arg;

	if (sp->first) {
		sp->first = 0;
		return sp->at < left ? sp->at : left;
	}
	return left;
}

static uint64_t
fnv1a(const uint8_t *d, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ d[i]) * 1099511628211ULL;
	return h;
}

static void
same(const struct run *a, const struct run *b)
{
	FUZZ_CHECK(a->events == b->events);
	FUZZ_CHECK(a->log.len == b->log.len);
	FUZZ_CHECK(a->log.len == 0 || memcmp(a->log.p, b->log.p, a->log.len) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t caps[] = {0, 0, 0, 0, 1, 3, 16, 64};
	uint64_t h = fnv1a(data, size), seed = h | 1;
	size_t max = caps[h % 8];
	long stop_at = (long)((h >> 8) % 4); /* 0: never */
	struct run ref = {{0}, 0, stop_at}, r = {{0}, 0, stop_at};
	struct split sp;

	feed(&ref, data, size, max, whole, NULL);
	feed(&r, data, size, max, bytewise, NULL);
	same(&ref, &r);
	mcp_buf_free(&r.log);
	r = (struct run){{0}, 0, stop_at};
	feed(&r, data, size, max, random_chunk, &seed);
	same(&ref, &r);
	mcp_buf_free(&r.log);
	for (sp.at = 1; size <= ALL_SPLITS && sp.at < size; sp.at++) {
		sp.first = 1;
		r = (struct run){{0}, 0, stop_at};
		feed(&r, data, size, max, two_parts, &sp);
		same(&ref, &r);
		mcp_buf_free(&r.log);
	}
	mcp_buf_free(&ref.log);
	return 0;
}
