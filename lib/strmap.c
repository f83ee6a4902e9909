/*
 * strmap.c - a set of strings with a number and a pointer each (strmap.h).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdlib.h>
#include <string.h>

#include "mcp.h"
#include "strmap.h"

/*
 * The keys' copies go in blocks, one malloc for many keys (a registry sync
 * puts 100,000): each block twice the last, up to BLK_MAX, or one key's own.
 */
#define BLK_MIN 1024
#define BLK_MAX (1024 * 1024)

struct mcp_strblk {
	struct mcp_strblk *prev;
	size_t used, size;
	char b[];
};

/* A copy of key in m's blocks, or NULL when memory ran out. */
static const char *
keep(struct mcp_strmap *m, const char *key)
{
	struct mcp_strblk *k = m->keys;
	size_t len = strlen(key) + 1, size;

	if (k == NULL || k->size - k->used < len) {
		size = k == NULL ? BLK_MIN : k->size < BLK_MAX ? 2 * k->size : BLK_MAX;
		if (size < len)
			size = len;
		if ((k = malloc(sizeof(*k) + size)) == NULL)
			return NULL;
		k->prev = m->keys;
		k->used = 0;
		k->size = size;
		m->keys = k;
	}
	memcpy(k->b + k->used, key, len);
	k->used += len;
	return k->b + k->used - len;
}

/* key's slot: its own, or the empty one it would take.  cap > 0. */
static struct mcp_strent *
slot(const struct mcp_strent *v, size_t cap, const char *key)
{
	size_t i = mcp_fnv1a(key, strlen(key)) & (cap - 1);

	while (v[i].key != NULL && strcmp(v[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return (struct mcp_strent *)&v[i];
}

struct mcp_strent *
mcp_strmap_get(const struct mcp_strmap *m, const char *key)
{
	struct mcp_strent *e;

	if (m->cap == 0)
		return NULL;
	e = slot(m->v, m->cap, key);
	return e->key != NULL ? e : NULL;
}

struct mcp_strent *
mcp_strmap_put(struct mcp_strmap *m, const char *key, int *added)
{
	struct mcp_strent *v, *e;
	const char *copy;
	size_t cap, i;

	if ((e = mcp_strmap_get(m, key)) != NULL) {
		*added = 0;
		return e;
	}
	if ((m->n + 1) * 2 > m->cap) {
		cap = m->cap ? m->cap * 2 : 64;
		if (cap < m->cap || (v = calloc(cap, sizeof(*v))) == NULL)
			return NULL;
		for (i = 0; i < m->cap; i++)
			if (m->v[i].key != NULL)
				*slot(v, cap, m->v[i].key) = m->v[i];
		free(m->v);
		m->v = v;
		m->cap = cap;
	}
	if ((copy = keep(m, key)) == NULL)
		return NULL;
	e = slot(m->v, m->cap, copy);
	e->key = copy;
	e->num = 0;
	e->ptr = NULL;
	m->n++;
	*added = 1;
	return e;
}

void
mcp_strmap_free(struct mcp_strmap *m)
{
	struct mcp_strblk *k;

	while ((k = m->keys) != NULL) {
		m->keys = k->prev;
		free(k);
	}
	free(m->v);
	m->v = NULL;
	m->n = m->cap = 0;
}
