/*
 * strmap.h - a set of strings, each with a number and a pointer, for the
 * fleet-sized checks that would otherwise compare every pair (a slug given
 * twice, a token file shared by many targets).  Open addressing, at most
 * half full.  The map keeps its own copy of each key, in blocks freed with
 * the map: a caller's key may die as soon as mcp_strmap_put returns, and an
 * entry's key is the map's, valid until mcp_strmap_free.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_STRMAP_H
#define MCP_STRMAP_H

#include <stddef.h>

struct mcp_strent {
	const char *key; /* the map's copy; NULL: an empty slot */
	size_t num;
	const void *ptr;
};

struct mcp_strblk; /* a block of the keys' copies (strmap.c) */

/* Zeroed ({0}) is an empty map. */
struct mcp_strmap {
	struct mcp_strent *v;
	size_t n, cap;           /* cap is a power of two, or 0 */
	struct mcp_strblk *keys; /* the newest block; each links the one before */
};

/* The entry of key, or NULL. */
struct mcp_strent *mcp_strmap_get(const struct mcp_strmap *m, const char *key);

/*
 * The entry of key, added (num 0, ptr NULL, a copy of key) when it was not
 * there; *added says which.  NULL when memory ran out (the map unchanged).
 */
struct mcp_strent *mcp_strmap_put(struct mcp_strmap *m, const char *key, int *added);

/* Frees the table and the keys' copies; the map is empty again. */
void mcp_strmap_free(struct mcp_strmap *m);

#endif
