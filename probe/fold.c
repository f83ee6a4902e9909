/*
 * fold.c - what a list costs while it is read.  Every answer's parsed
 * tree is bounded (TREE_FACTOR times -m); each page of a list is folded
 * into its items' canonical text as soon as it is read, and its tree and
 * body freed; once the last page is in, the items are sorted, hashed one
 * by one, and carried (within --list-max) or dropped.  So a target never
 * holds a list as a tree, nor two copies of it.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <sys/queue.h>

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "json.h"
#include "mcp.h"
#include "probe.h"

/*
 * The bytes cJSON's blocks take (modulo: a string cJSON printed and free(3)
 * freed is not taken back), and the parse under way: its start and bound.
 */
static size_t tree_bytes;
static size_t parse_base, parse_cap;
static int parse_over;

static void *
tree_malloc(size_t n)
{
	void *p;

	/* What this parse took: exact, even if a block freed here was not counted. */
	if (parse_cap > 0 && tree_bytes - parse_base + n > parse_cap) {
		parse_over = 1;
		return NULL;
	}
	if ((p = malloc(n)) != NULL)
		tree_bytes += malloc_usable_size(p);
	return p;
}

static void
tree_free(void *p)
{
	if (p != NULL)
		tree_bytes -= malloc_usable_size(p);
	free(p);
}

const char tree_too_large[] = "its parsed form passed its memory bound";

void
fold_init(void)
{
	cJSON_Hooks h = {tree_malloc, tree_free};

	cJSON_InitHooks(&h);
}

cJSON *
answer_parse(const struct probe *p, const char *s, size_t n, const char **why)
{
	cJSON *v;

	parse_base = tree_bytes;
	parse_cap = TREE_SMALL;
	if (p->place == 1 && p->o->max_body * TREE_FACTOR > parse_cap)
		parse_cap = p->o->max_body * TREE_FACTOR;
	parse_over = 0;
	v = mcp_json_parse(s, n, why);
	parse_cap = 0;
	if (parse_over) {
		cJSON_Delete(v);
		*why = tree_too_large;
		return NULL;
	}
	return v;
}

size_t
tree_size(const cJSON *v)
{
	const cJSON *c;
	size_t n = malloc_usable_size((void *)v);

	if (v->valuestring != NULL)
		n += malloc_usable_size(v->valuestring);
	if (v->string != NULL && !(v->type & cJSON_StringIsConst))
		n += malloc_usable_size(v->string);
	for (c = v->child; c != NULL; c = c->next)
		n += tree_size(c);
	return n;
}

/*
 * The run's places.  A place, once taken, is held until its target is
 * freed: what it took (its lists' trees and text, the tools it keeps, its
 * answers) is gone by then.  A target holding one never waits, so the
 * targets that wait always get one, as soon as a target that holds one
 * ends (at its deadline at the latest).
 */
static long places_free, places_n;
static TAILQ_HEAD(, probe) waiting = TAILQ_HEAD_INITIALIZER(waiting);

void
places_init(const struct opts *o)
{
	double n = RUN_PLACES_MEM / ((double)PLACE_COST * (double)o->max_body);

	places_n = places_free = n < 2 ? 2 : n > 100000 ? 100000 : (long)n;
}

long
places_count(void)
{
	return places_n;
}

int
place_need(struct probe *p, struct xfer *x, size_t bytes)
{
	if (p->place == 1 || bytes <= PLACE_FREE)
		return 0;
	if (p->place == 0 && places_free > 0) {
		places_free--;
		p->place = 1;
		return 0;
	}
	if (p->place == 0) {
		p->place = -1;
		if (p->place_waited == 0)
			p->place_waited = mcp_mono();
		TAILQ_INSERT_TAIL(&waiting, p, placeq);
	}
	x->paused = 1;
	return -1;
}

static void
resume(struct xfer *x)
{
	if (!x->paused)
		return;
	x->paused = 0;
	if (x->active)
		curl_easy_pause(x->h, CURLPAUSE_CONT);
}

/* A target waits no more once none of its answers does. */
void
place_unwait(struct probe *p)
{
	if (p->place != -1 || p->x.paused || p->s.paused || p->a.paused)
		return;
	TAILQ_REMOVE(&waiting, p, placeq);
	p->place = 0;
}

void
place_give(struct probe *p)
{
	struct probe *q;

	p->x.paused = p->s.paused = p->a.paused = 0;
	if (p->place == -1)
		place_unwait(p);
	if (p->place != 1)
		return;
	p->place = 0;
	places_free++;
	while (places_free > 0 && (q = TAILQ_FIRST(&waiting)) != NULL) {
		TAILQ_REMOVE(&waiting, q, placeq);
		places_free--;
		q->place = 1;
		q->place_got = mcp_mono();
		resume(&q->x);
		resume(&q->s);
		resume(&q->a);
	}
}

void
fold_free(struct fold *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->it[i].err);
	free(f->it);
	mcp_buf_free(&f->text);
	mcp_buf_free(&f->keys);
	memset(f, 0, sizeof(*f));
}

static int
grow(struct fold *f)
{
	struct fold_item *v;
	size_t cap = f->cap ? f->cap * 2 : 64;

	if (f->n < f->cap)
		return 0;
	if ((v = realloc(f->it, cap * sizeof(*v))) == NULL)
		return -1;
	f->it = v;
	f->cap = cap;
	return 0;
}

/*
 * One item folded in: its sort key and its JCS text, or the reason it has
 * none (it is not I-JSON), said once the list is sorted.  -1 when memory
 * ran out or the text and keys together passed max.
 */
int
fold_item(struct fold *f, const cJSON *item, const char *key, size_t max)
{
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(item, key);
	struct fold_item *it;
	char err[200];

	if (grow(f) == -1)
		return -1;
	it = &f->it[f->n];
	memset(it, 0, sizeof(*it));
	it->key = f->keys.len;
	if (mcp_buf_adds(&f->keys, cJSON_IsString(k) && k->valuestring ? k->valuestring : "") ==
	        -1 ||
	    mcp_buf_addc(&f->keys, '\0') == -1)
		return -1;
	it->off = f->text.len;
	if (mcp_jcs_write(&f->text, item, err, sizeof(err)) == -1 &&
	    (it->err = strdup(err)) == NULL)
		return -1;
	it->len = f->text.len - it->off;
	it->pos = f->n++;
	return f->text.len + f->keys.len > max ? -1 : 0;
}

/* qsort_r order: by key (UTF-16 code units), then by place: stable. */
static int
item_cmp(const void *a, const void *b, void *arg)
{
	const struct fold_item *ta = a, *tb = b;
	const char *keys = arg;
	int c;

	if ((c = mcp_utf16_cmp(keys + ta->key, keys + tb->key)) != 0)
		return c;
	return ta->pos < tb->pos ? -1 : ta->pos > tb->pos;
}

/* The bytes of the sorted list, piece by piece: "[", items and commas, "]". */
static const void *
piece(void *arg, size_t i, size_t *len)
{
	const struct fold *f = arg;
	const struct fold_item *it;

	if (i == 0 || i == 2 * f->n) {
		*len = 1;
		return i == 0 ? "[" : "]";
	}
	if (i % 2 == 0) {
		*len = 1;
		return ",";
	}
	it = &f->it[i / 2];
	*len = it->len;
	return f->text.p + it->off;
}

int
fold_hash(struct fold *f, char *hash, struct mcp_buf *carry, size_t max, size_t *size, char *why,
    size_t len)
{
	size_t i, n, plen, total = 2;

	if (f->n > 0)
		qsort_r(f->it, f->n, sizeof(*f->it), item_cmp, f->keys.p);
	for (i = 0; i < f->n; i++) {
		if (f->it[i].err != NULL) {
			snprintf(why, len, "%s", f->it[i].err);
			return -1;
		}
		total += f->it[i].len + (i > 0);
	}
	n = f->n ? 2 * f->n + 1 : 2;
	if (f->n == 0) {
		if (mcp_sha256_tag("[]", 2, hash) == -1)
			goto sha;
	} else if (mcp_sha256_parts(piece, f, n, hash) == -1) {
		goto sha;
	}
	*size = total;
	if (carry == NULL || total > max)
		return 0;
	for (i = 0; i < n; i++) {
		const void *b = f->n == 0 ? (i == 0 ? "[" : "]") : piece(f, i, &plen);

		if (mcp_buf_add(carry, b, f->n == 0 ? 1 : plen) == -1) {
			snprintf(why, len, "out of memory");
			return -1;
		}
	}
	return 0;
sha:
	snprintf(why, len, "SHA-256 failed");
	return -1;
}
