/*
 * mcp_liveness - an advisory liveness cache of mcp-serve's embed status
 * (GET /api/embed-status/SLUG) for C programs that route calls to MCP
 * servers; the C twin of clients/node.  libcurl and POSIX threads only.
 *
 * A poll (mcp_live_poll, or every poll_ms in a thread of mcp_live_start)
 * asks for each watched slug with If-None-Match and keeps its parsed
 * state, never the body.  The hot path (mcp_live_state, mcp_live_allow,
 * mcp_live_record) takes a mutex and does no I/O: it may be called from
 * any thread.
 *
 * mcp_live_state is MCP_LIVE_UNKNOWN before an answer, more than stale_ms
 * after the last one (a 200, or a 304 that confirms it), for a 404 or a
 * state it does not know.  A failed API (no connection, a timeout, another
 * status, an answer that is not a JSON object with a state) changes
 * nothing until the state goes stale: then it is unknown, and
 * mcp_live_allow says yes (fail open).
 *
 * mcp_live_allow is 0 while the slug's breaker is open or its state is
 * down, else 1.  mcp_live_record(ok = 0) `failures` times in a row opens
 * the breaker for open_ms whatever the API says; then it is half-open: one
 * trial call at a time is allowed, a success closes it, a failure opens it
 * again.
 *
 * Functions return 0 or -1; none prints or exits.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_LIVENESS_H
#define MCP_LIVENESS_H

#include <stddef.h>
#include <stdint.h>

enum mcp_live_state {
	MCP_LIVE_UNKNOWN,
	MCP_LIVE_UP,
	MCP_LIVE_DEGRADED,
	MCP_LIVE_DOWN,
	MCP_LIVE_PENDING,
};

enum mcp_live_breaker {
	MCP_BREAKER_CLOSED,
	MCP_BREAKER_OPEN,
	MCP_BREAKER_HALF_OPEN,
};

struct mcp_live_opts {
	const char *base; /* mcp-serve's base URL (copied) */
	long poll_ms;     /* between polls of mcp_live_start; 15000 when 0 */
	long timeout_ms;  /* one request; 4000 when 0 */
	long stale_ms;    /* an older answer is unknown; 300000 when 0 */
	long open_ms;     /* the breaker stays open; 60000 when 0 */
	int failures;     /* consecutive failures that open it; 3 when 0 */
	const char *auth; /* a whole header line, "Authorization: Bearer ..." (copied), or NULL */
	int64_t (*now_ms)(void *arg); /* the clock; CLOCK_MONOTONIC when NULL */
	void *now_arg;
};

struct mcp_live_stats {
	long requests, ok, not_modified, not_found, failures;
};

struct mcp_live;

/* A new cache, or NULL with the reason in err. Needs curl_global_init first. */
struct mcp_live *mcp_live_new(const struct mcp_live_opts *opts, char *err, size_t errlen);
/* Watch SLUG from the next poll on; -1 for a bad slug or no memory. */
int mcp_live_watch(struct mcp_live *l, const char *slug);
/* Ask once for every watched slug, in the caller's thread; -1 when curl cannot start. */
int mcp_live_poll(struct mcp_live *l);
/* Poll now and every poll_ms in a thread of its own, until mcp_live_stop. */
int mcp_live_start(struct mcp_live *l);
void mcp_live_stop(struct mcp_live *l);
void mcp_live_free(struct mcp_live *l);

enum mcp_live_state mcp_live_state(struct mcp_live *l, const char *slug);
int mcp_live_allow(struct mcp_live *l, const char *slug);
void mcp_live_record(struct mcp_live *l, const char *slug, int ok);
enum mcp_live_breaker mcp_live_breaker(struct mcp_live *l, const char *slug);
/* The counters of SLUG, or of every slug when SLUG is NULL. */
void mcp_live_stats(struct mcp_live *l, const char *slug, struct mcp_live_stats *out);
/* "up", "degraded", "down", "pending", "unknown" (static). */
const char *mcp_live_state_name(enum mcp_live_state s);

#endif
