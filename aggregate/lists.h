/*
 * lists.h - the lists a server serves (tools, resources, prompts) kept as
 * content, not only as their hash (mcp-store(7) "Lists"): push keeps each
 * distinct list once by its hash, the verdict and the tools command read
 * them back and diff them (toolset/toolset.h).
 *
 * A list is the canonical text the probe hashed: the array sorted by its
 * key ("name", or "uri" for resources), JCS; its hash is "sha256:" and the
 * SHA-256 of that text, so a list read back is checked against its key.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef AGG_LISTS_H
#define AGG_LISTS_H

#include <stddef.h>

#include <cJSON.h>

#include "buf.h"
#include "full.h"
#include "hash.h"
#include "toolset.h"

#define AGG_LIST_KINDS 3
#define AGG_LIST_BYTES (256 << 10)    /* bytes of one list kept; a longer one is refused */
#define AGG_LIST_SLUG_MAX 16          /* lists kept a slug, the oldest seen evicted */
#define AGG_LIST_SLUG_BYTES (1 << 20) /* bytes of lists kept a slug */
#define AGG_LIST_HELD (32 << 20)      /* bytes push holds for a batch before it sends it */
#define AGG_LIST_WAIT 128             /* lists waiting for their probe's result, at most */
#define AGG_HISTORY_MAX 100           /* entries of the change history, mcp:{SLUG}:tch */
#define AGG_SUMMARY_ITEMS 8           /* items of a change's summary in a verdict */
#define AGG_SUMMARY_BYTES 2048        /* bytes of a change's summary in a verdict */

/* The kind's letter in mcp:{SLUG}:lsi ('t', 'r', 'p'), its word, its detail field. */
char agg_list_letter(enum mcp_list_kind k);
const char *agg_list_word(enum mcp_list_kind k); /* "tools", "resources", "prompts" */
/* The kind of a letter or a word; -1 for none. */
int agg_list_kind(const char *s);

/*
 * The canonical text of the list arr (an array) into out, its hash into
 * hash (MCP_HASH_LEN bytes): 0, or -1 with a reason (not an array, not
 * I-JSON, out of memory).
 */
int agg_list_canon(
    enum mcp_list_kind k, const cJSON *arr, struct mcp_buf *out, char *hash, char *err, size_t len);

/* The 64 hex digits of a "sha256:" hash, or NULL when it is not one. */
const char *agg_list_hex(const char *hash);

/*
 * Read lists from the store: the text of mcp:{SLUG}:ls:HEX parsed, NULL
 * when it is not there or does not hash to hash (why, a word:
 * "not_kept", "bad_content").  The tree is owned.
 */
cJSON *agg_list_parse(
    enum mcp_list_kind k, const char *hash, const char *text, size_t n, const char **why);

/*
 * The summary of the change from one list to another (mcp_diff_summary
 * bounded for a verdict), or NULL (out of memory).
 */
cJSON *agg_list_change(enum mcp_list_kind k, const cJSON *from, const cJSON *to);

/* 1 when rec is a tools_list step that carries a list (detail.tools, ...). */
int agg_list_carried(const cJSON *rec);

/*
 * Why the store lacks the text of the list hash of slug (one reply to
 * read): lf's u:HEX, unless the list is judged (pushlists.c).  0, or -1
 * when hash is no sha256 one (nothing queued).
 */
struct mcp_store;
int agg_list_unread_append(
    struct mcp_store *st, const char *slug, const char *hash, const char *why);

/* The Lua that push's script and the store's put share (push.c). */
extern const char agg_lists_put_lua[];

/*
 * The fleet's lists (mcp-store(7) "Lists"): at most agg_lists_max() bytes
 * of text in all, MCP_LISTS_MAX or AGG_LISTS_MAX; past it the lists of
 * whole slugs are evicted, the registry's first, the least recently seen
 * first.
 */
#define AGG_LISTS_MAX (64LL << 20)
#define AGG_LIST_TIER MCP_LISTS_TIER
#define AGG_KEY_LISTS MCP_KEY_LISTS
#define AGG_KEY_LISTS_SIZE MCP_KEY_LISTS_SIZE
#define AGG_KEY_LISTS_EVICTED MCP_KEY_LISTS_EVICTED
#define AGG_KEY_LISTS_COUNT MCP_KEY_LISTS_COUNT
long long agg_lists_max(void);

/* A slug's lists as a put left them: its bytes (the put script's reply). */
struct agg_lput {
	const char *slug;
	int registry; /* its results are the registry's ("origin":"registry") */
	long long bytes;
	int refused; /* agg_lists_admit: its lists not to be written */
};
/*
 * The fleet's index told of the slugs put (one round trip), and of done,
 * the memory of the lists admitted that are written (or refused) now, no
 * longer pending; the lists of the slugs it evicts deleted (one more),
 * said on stderr unless quiet.  0, or -1 after a warning.
 */
struct mcp_store;
int agg_lists_fleet(struct mcp_store *st, const struct agg_lput *v, size_t n, long long now,
    long long done, int quiet);

/*
 * Lists admitted before they are written (mcp-store(7) "Lists"): v[i]
 * the text each slug is to add, at most one entry a slug.  The fleet's
 * index counts them, then takes out the slugs least recently seen past
 * MCP_LISTS_MAX or past the store's high-water mark (MCP_FULL_HIGH of its
 * maxmemory, read by the index's script, less what other writers were
 * admitted and have not written yet), their lists deleted; a slug of v
 * taken out is refused (v[i].refused: write none of its lists).  The
 * memory admitted, pending until told (agg_lists_fleet), in *pending.  A
 * refusal past the mark is noted in mcp:store:full (full.h).  Said on
 * stderr unless quiet.  0, or -1 after a warning (every slug refused).
 */
int agg_lists_admit(struct mcp_store *st, struct agg_lput *v, size_t n, long long now, int fresh,
    int quiet, long long *pending);

/*
 * A store past its high-water mark (INFO memory, read now when fresh,
 * else kept a moment) has lists taken out until it is not: what a writer
 * does before it writes, and after Redis refused it for memory.
 */
void agg_lists_relieve(struct mcp_store *st, long long now, int fresh, int quiet);

/*
 * status: what the fleet's bound evicted (its counts end 31 days after
 * the last eviction), a line on stderr
 * when it evicted any; 0, or -1 when the store failed (err).
 */
int agg_lists_show(struct mcp_store *st, char *err, size_t len);

/*
 * status: what the store refused for want of memory (mcp:store:full,
 * its episodes; 7 days after the last), a line on stderr for each kind;
 * 0, or -1 when the store failed (err).
 */
int agg_full_show(struct mcp_store *st, char *err, size_t len);

#endif
