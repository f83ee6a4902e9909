/*
 * scancache.c - what the rules read in an item, kept for the process by
 * the item's whole text: a fleet serves the same tools at many addresses,
 * and a runner probes them all in one run; an item read once is not read
 * again, its findings, names and description's length given again as
 * they were.
 *
 * The key is what the rules read of the item and where (scan_cache_key:
 * each member's name and each string, whole, in order, each other value
 * by its type, the depth of each) and its kind; a hash finds the entry,
 * and the whole key is compared before an entry is taken, so no item
 * crafted to collide with another's hash is ever given that other's
 * findings.  At
 * most CACHE_ITEMS items and CACHE_BYTES bytes of text are kept; past
 * them, items are read as if there were no cache.  A process keeps
 * nothing until it says so (mcp_scan_cache): mcp-probe does for a fleet,
 * where a key's cost is paid back.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "scanint.h"

#define CACHE_ITEMS 1024
#define CACHE_SLOTS 2048 /* a power of two, twice the items */
#define CACHE_BYTES (4U << 20)

struct cached {
	char *text; /* the item's text */
	size_t len;
	int kind;
	struct mcp_finding *v; /* its findings, as read before mcp_scan_finish */
	size_t nv;
	struct mcp_scan_name *names;
	size_t nnames;
	struct mcp_scan_len *lens;
	size_t nlens;
	uint64_t *mention; /* the tools its text names (shape_mention) */
	size_t nmention;
	size_t bytes;
};

static struct cached cache[CACHE_ITEMS];
static unsigned short slot[CACHE_SLOTS]; /* an entry's index plus one */
static size_t ncache, cache_bytes;
static int off = 1; /* every item read afresh, until mcp_scan_cache(1) */

void
mcp_scan_cache(int on)
{
	off = !on;
}

int
scan_cache_on(void)
{
	return !off;
}

/* A hash of n bytes, eight at a time: it spreads the keys; the whole key is compared. */
static uint64_t
hash(const char *p, size_t n)
{
	uint64_t h = n * 0x9E3779B97F4A7C15ULL, w;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
		h ^= h >> 31;
	}
	for (w = 0; n > 0; n--)
		w = w << 8 | (unsigned char)p[n - 1];
	h = (h ^ w) * 0x94D049BB133111EBULL;
	return h ^ h >> 29;
}

/* n bytes of p onto b, its length first (four bytes: a string is less than 4 GiB). */
static int
put(struct mcp_buf *b, const char *p, size_t n)
{
	uint32_t l = (uint32_t)n;

	return mcp_buf_add(b, &l, sizeof(l)) == -1 || mcp_buf_add(b, p, n) == -1 ? -1 : 0;
}

int
scan_cache_key(struct mcp_buf *b, const cJSON *v, int depth)
{
	const cJSON *c;
	char tag;

	if (depth > SCAN_DEPTH_MAX)
		return 0;
	for (c = v->child; c != NULL; c = c->next) {
		tag = (char)(c->type & 0xFF);
		if (mcp_buf_addc(b, tag) == -1 ||
		    (c->string != NULL && put(b, c->string, strlen(c->string)) == -1))
			return -1;
		if ((c->type & 0xFF) == cJSON_String && c->valuestring != NULL &&
		    put(b, c->valuestring, strlen(c->valuestring)) == -1)
			return -1;
		if (((c->type & 0xFF) == cJSON_Object || (c->type & 0xFF) == cJSON_Array) &&
		    (scan_cache_key(b, c, depth + 1) == -1 || mcp_buf_addc(b, ')') == -1))
			return -1;
	}
	return 0;
}

/* The slot of an item of kind k and text (len bytes): its entry's, or the empty one it would take. */
static size_t
find(int k, const char *text, size_t len)
{
	size_t h = (size_t)(hash(text, len) + (uint64_t)k) & (CACHE_SLOTS - 1);
	const struct cached *c;

	for (; slot[h] != 0; h = (h + 1) & (CACHE_SLOTS - 1)) {
		c = &cache[slot[h] - 1];
		if (c->kind == k && c->len == len && memcmp(c->text, text, len) == 0)
			break;
	}
	return h;
}

int
scan_cache_get(struct mcp_scan *s, int k, const char *text, size_t len)
{
	const struct cached *c;
	size_t h, i;

	if (off || slot[h = find(k, text, len)] == 0)
		return 0;
	c = &cache[slot[h] - 1];
	for (i = 0; i < c->nv; i++)
		if (scan_keep(s, &c->v[i]) == -1)
			return -1;
	for (i = 0; i < c->nnames; i++)
		if (shape_name(s, c->names[i].list, c->names[i].item, c->names[i].name) == -1)
			return -1;
	for (i = 0; i < c->nlens; i++)
		if (scan_len(s, c->lens[i].list, c->lens[i].item, c->lens[i].len) == -1)
			return -1;
	for (i = 0; i < c->nmention; i++)
		if (shape_mention_add(s, c->mention[i]) == -1)
			return -1;
	s->bytes += c->bytes;
	return 1;
}

/* n bytes of v copied, or NULL (then nothing is kept). */
static void *
copy(const void *v, size_t n)
{
	void *p;

	if (n == 0)
		return NULL;
	if ((p = malloc(n)) != NULL)
		memcpy(p, v, n);
	return p;
}

void
scan_cache_put(
    const struct mcp_scan *s, int k, const char *key, size_t len, const struct scan_mark *m)
{
	struct cached *c;
	char *text;
	size_t h;

	if (off || ncache == CACHE_ITEMS || cache_bytes + len > CACHE_BYTES || s->more != m->more ||
	    s->nnames < m->nnames || s->nlen < m->nlen || s->nmention < m->nmention ||
	    slot[h = find(k, key, len)] != 0 || (text = copy(key, len)) == NULL)
		return;
	c = &cache[ncache];
	c->nv = s->n - m->n;
	c->nnames = s->nnames - m->nnames;
	c->nlens = s->nlen - m->nlen;
	c->v = copy(s->v + m->n, c->nv * sizeof(*c->v));
	c->names = copy(s->names + m->nnames, c->nnames * sizeof(*c->names));
	c->lens = copy(s->len + m->nlen, c->nlens * sizeof(*c->lens));
	c->nmention = s->nmention - m->nmention;
	c->mention = copy(s->mention + m->nmention, c->nmention * sizeof(*c->mention));
	if ((c->nv > 0 && c->v == NULL) || (c->nnames > 0 && c->names == NULL) ||
	    (c->nlens > 0 && c->lens == NULL) || (c->nmention > 0 && c->mention == NULL)) {
		free(c->v);
		free(c->names);
		free(c->lens);
		free(c->mention);
		free(text);
		return;
	}
	c->text = text;
	c->len = len;
	c->kind = k;
	c->bytes = s->bytes - m->bytes;
	cache_bytes += len;
	slot[h] = (unsigned short)++ncache;
}
