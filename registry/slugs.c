/*
 * slugs.c - who gets which slug (mcp-aggregate(1) "Registry"), pure:
 * no I/O.  A slug is a public name (a status page's URL, a badge, the
 * audit), so it depends on the name and the remote, never on the order
 * the registry listed them in: a slug given stays with its owner, and of
 * the servers of one sync that want one free slug, the bytewise-smallest
 * (name, remote) takes it.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdlib.h>
#include <string.h>

#include "reg.h"

/* By name, bytewise, then by the remote's index (the number that starts the key). */
static int
claim_cmp(const void *a, const void *b)
{
	const struct reg_field *x = *(struct reg_field *const *)a;
	const struct reg_field *y = *(struct reg_field *const *)b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : atoi(x->key) - atoi(y->key);
}

static int
is_free(const struct mcp_strmap *given, const struct mcp_strmap *others, const char *slug)
{
	return mcp_strmap_get(given, slug) == NULL &&
	    (others == NULL || mcp_strmap_get(others, slug) == NULL);
}

static int
give(struct mcp_strmap *given, struct reg_field *f, const char *slug)
{
	struct mcp_strent *e;
	int added;

	if ((f->slug = strdup(slug)) == NULL ||
	    (e = mcp_strmap_put(given, f->slug, &added)) == NULL)
		return -1;
	e->ptr = f->key;
	return 0;
}

int
reg_give_slugs(
    struct reg_field **v, size_t n, struct mcp_strmap *given, const struct mcp_strmap *others)
{
	char buf[MCP_SLUG_MAX + 1];
	size_t i;
	int hashed;

	if (n > 1)
		qsort(v, n, sizeof(*v), claim_cmp);
	/* Every plain slug first: a hashed one never takes another's plain one. */
	for (hashed = 0; hashed <= 1; hashed++)
		for (i = 0; i < n; i++)
			if (v[i]->slug == NULL &&
			    reg_slug(v[i]->name, atoi(v[i]->key), hashed, buf, sizeof(buf)) == 0 &&
			    is_free(given, others, buf) && give(given, v[i], buf) == -1)
				return -1;
	return 0;
}

int
reg_twin_keeps(const char *name, const char *a, const char *b)
{
	char s[MCP_SLUG_MAX + 1];
	int hashed;

	for (hashed = 0; hashed <= 1; hashed++)
		if (reg_slug(name, 0, hashed, s, sizeof(s)) == 0 &&
		    (strcmp(a, s) == 0 || strcmp(b, s) == 0))
			return strcmp(b, s) == 0 && strcmp(a, s) != 0;
	return strcmp(b, a) < 0;
}
