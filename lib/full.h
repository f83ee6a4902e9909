/*
 * full.h - the store's memory and what it refused for want of it
 * (mcp-store(7) "A full store"): the memory Redis says it uses and may
 * use, read with INFO memory and kept a moment, and a note of each
 * refusal, mcp:store:full, that mcp-alert's watchdog pages.
 *
 * Library code: nothing here prints or exits.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_FULL_H
#define MCP_FULL_H

#include <stddef.h>

#include <hiredis.h>

#define MCP_KEY_FULL "mcp:store:full"
#define MCP_FULL_CACHE 1.0  /* seconds INFO memory's figures are kept */
#define MCP_FULL_HIGH 75    /* the lists' high-water mark, a percentage of maxmemory */
#define MCP_FULL_GAP 300    /* seconds without a refusal that end one episode */
#define MCP_FULL_WHY 400    /* bytes of a refusal's words kept */
#define MCP_FULL_TTL 604800 /* seconds mcp:store:full outlives its last refusal */

struct mcp_store;

/*
 * The store's memory: *used and *max (0: no maxmemory), from INFO memory
 * unless read less than MCP_FULL_CACHE seconds ago (fresh set: read now).
 * 0, or -1 with err.
 */
int mcp_full_mem(
    struct mcp_store *st, int fresh, long long *used, long long *max, char *err, size_t len);

/* 1 when r is Redis's refusal for memory (-OOM ...). */
int mcp_full_oom(const redisReply *r);

/*
 * A refusal for memory noted in mcp:store:full: what ("lists",
 * "results", "verdicts", "alert"), how many, why (words, cut to
 * MCP_FULL_WHY bytes), at now.  Written by a script Redis runs past
 * maxmemory (flags=allow-oom): a few bytes, a fixed set of fields.
 * 0, or -1 with err.
 */
int mcp_full_note(struct mcp_store *st, const char *what, long n, const char *why, double now,
    char *err, size_t len);

/*
 * The fleet's index of lists and its scripts (mcp-store(7) "Lists"),
 * shared by mcp-aggregate's push, verdict and ingest (aggregate/lists.c)
 * and by whatever a full store refuses.
 */
#define MCP_KEY_LISTS "mcp:lists"
#define MCP_KEY_LISTS_SIZE "mcp:lists:size:{mcp:lists}"
#define MCP_KEY_LISTS_EVICTED "mcp:lists:evicted:{mcp:lists}"
#define MCP_KEY_LISTS_COUNT "mcp:lists:count:{mcp:lists}"
#define MCP_KEY_LISTS_PENDING "mcp:lists:pending:{mcp:lists}"
#define MCP_LISTS_TIER 10000000000LL /* added to a score: a slug not the registry's */
#define MCP_LISTS_TTL (31 * 86400)
extern const char mcp_lists_index_lua[];
extern const char mcp_lists_evict_lua[];

/*
 * The lists taken out of a store past its high-water mark (the index's
 * lowest scored slugs, their keys deleted) until it is below it, as its
 * script reads it: what a writer refused for memory does before it tries
 * again.
 * Runs past maxmemory.  The count of slugs taken out, or -1 with err.
 */
long mcp_full_relieve(struct mcp_store *st, double now, char *err, size_t len);

#endif
