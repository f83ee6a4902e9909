/*
 * strmap.h - a set of strings, each with a number and a pointer, for the
 * fleet-sized checks that would otherwise compare every pair (a slug given
 * twice, a token file shared by many targets).  Open addressing, at most
 * half full; the keys are not copied and must outlive the map.
 */
#ifndef MCP_STRMAP_H
#define MCP_STRMAP_H

#include <stddef.h>

struct mcp_strent {
	const char *key; /* NULL: an empty slot */
	size_t num;
	const void *ptr;
};

struct mcp_strmap {
	struct mcp_strent *v;
	size_t n, cap; /* cap is a power of two, or 0 */
};

/* The entry of key, or NULL. */
struct mcp_strent *mcp_strmap_get(const struct mcp_strmap *m, const char *key);

/*
 * The entry of key, added (num 0, ptr NULL) when it was not there; *added
 * says which.  NULL when memory ran out.
 */
struct mcp_strent *mcp_strmap_put(struct mcp_strmap *m, const char *key, int *added);

void mcp_strmap_free(struct mcp_strmap *m);

#endif
