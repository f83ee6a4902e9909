/*
 * auditmove.c - the movement of the audit: its servers against the saved
 * audit (mcp:registry:audit last), bucket to bucket, and the servers that
 * moved, kept to AUDIT_LIST_MAX.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "mcp.h"

struct prev {
	const char *slug; /* borrowed from the previous audit's tree */
	int bucket;
};

static int
prev_cmp(const void *a, const void *b)
{
	return strcmp(((const struct prev *)a)->slug, ((const struct prev *)b)->slug);
}

/* The slugs of the previous audit and their buckets, sorted (owned array). */
static struct prev *
prev_list(const cJSON *prev, size_t *n)
{
	const cJSON *bs = cJSON_GetObjectItemCaseSensitive(prev, "buckets"), *b, *e;
	const cJSON *del = cJSON_GetObjectItemCaseSensitive(prev, "deleted");
	struct prev *p = NULL, *q;
	size_t cap = 0;
	int k;

	*n = 0;
	for (b = bs ? bs->child : NULL;; b = b->next) {
		const cJSON *obj = b != NULL ? b : del;

		k = b != NULL ? audit_bucket_of(b->string ? b->string : "") : B_DELETED;
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(obj, "slugs"))
		{
			if (k < 0 || !cJSON_IsString(e) || !mcp_slug_ok(e->valuestring))
				continue;
			if (*n == cap) {
				cap = cap ? cap * 2 : 256;
				if ((q = realloc(p, cap * sizeof(*p))) == NULL) {
					free(p);
					return NULL;
				}
				p = q;
			}
			p[*n].slug = e->valuestring;
			p[(*n)++].bucket = k;
		}
		if (b == NULL)
			break;
	}
	if (*n > 0)
		qsort(p, *n, sizeof(*p), prev_cmp);
	return p;
}

struct move {
	const char *slug, *name; /* borrowed from the audit or the previous one */
	int from, to;
};

static void
moved(struct move *mv, size_t *n, const char *slug, const char *name, int from, int to)
{
	if (from == to)
		return;
	mv[*n].slug = slug, mv[*n].name = name;
	mv[*n].from = from, mv[(*n)++].to = to;
}

/* Between two buckets of the audits: neither new, gone nor deleted. */
static int
between(const struct move *m)
{
	return m->from < B_NBUCKET && m->to < B_NBUCKET;
}

/*
 * The servers that moved, in slug order, AUDIT_LIST_MAX at most: those
 * that changed between two buckets first, then the new, gone and deleted
 * ones (a registry that grows by thousands must not hide a server that
 * broke).
 */
static void
moved_list(cJSON *list, const struct move *mv, size_t n)
{
	size_t i, k[2] = {AUDIT_LIST_MAX, 0};
	cJSON *o;

	for (i = 0; i < n && k[1] < AUDIT_LIST_MAX; i++)
		k[1] += between(&mv[i]);
	k[0] = AUDIT_LIST_MAX - k[1]; /* k[0] for the others, k[1] for those between */
	for (i = 0; i < n; i++) {
		size_t *left = &k[between(&mv[i])];

		if (*left == 0)
			continue;
		(*left)--;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "slug", mv[i].slug);
		if (mv[i].name != NULL && mv[i].name[0] != '\0')
			cJSON_AddStringToObject(o, "name", mv[i].name);
		else
			cJSON_AddNullToObject(o, "name");
		cJSON_AddStringToObject(o, "from", audit_bucket_names[mv[i].from]);
		cJSON_AddStringToObject(o, "to", audit_bucket_names[mv[i].to]);
		cJSON_AddItemToArray(list, o);
	}
}

static int
move_cmp(const void *a, const void *b)
{
	return strcmp(((const struct move *)a)->slug, ((const struct move *)b)->slug);
}

static int
slug_rem_cmp(const void *key, const void *elt)
{
	return strcmp(key, ((const struct audit_rem *)elt)->slug);
}

/*
 * The servers that moved, into mv (sorted by slug): each slug of the
 * previous audit counts for the server that holds it now, so that an
 * audit saved per remote (before servers) compares with one per server;
 * a server's previous bucket is the first by audit_rank of those its
 * slugs had, new for none; a slug no server holds is gone.
 */
static size_t
moves(const struct audit *a, struct prev *p, size_t np, int *was, struct move *mv)
{
	const struct audit_rem *r;
	size_t i, j, n = 0;

	for (i = 0; i < a->nsrv; i++)
		was[i] = B_NEW;
	for (j = 0; j < np; j++) {
		/* The remote of the slug in a->r (sorted by slug), if any. */
		if ((r = bsearch(p[j].slug, a->r, a->nr, sizeof(*a->r), slug_rem_cmp)) != NULL) {
			if (was[r->srv] == B_NEW ||
			    audit_rank(p[j].bucket) < audit_rank(was[r->srv]))
				was[r->srv] = p[j].bucket;
		} else if (j + 1 < np && strcmp(p[j].slug, p[j + 1].slug) == 0) {
			/* A slug twice (a saved audit edited by hand): its first bucket by rank. */
			if (audit_rank(p[j].bucket) < audit_rank(p[j + 1].bucket))
				p[j + 1].bucket = p[j].bucket;
		} else {
			moved(mv, &n, p[j].slug, NULL, p[j].bucket, B_GONE);
		}
	}
	for (i = 0; i < a->nsrv; i++)
		moved(mv, &n, a->srv[i].slug, a->srv[i].name, was[i], a->srv[i].bucket);
	qsort(mv, n, sizeof(*mv), move_cmp);
	return n;
}

/* The bucket-to-bucket counts of the moves. */
static void
move_table(cJSON *t, const struct move *mv, size_t n)
{
	static long tab[B_NALL][B_NALL];
	size_t i;
	int f, g;
	cJSON *e;

	memset(tab, 0, sizeof(tab));
	for (i = 0; i < n; i++)
		tab[mv[i].from][mv[i].to]++;
	for (f = 0; f < B_NALL; f++)
		for (g = 0; g < B_NALL; g++)
			if (tab[f][g] > 0) {
				e = cJSON_CreateObject();
				cJSON_AddStringToObject(e, "from", audit_bucket_names[f]);
				cJSON_AddStringToObject(e, "to", audit_bucket_names[g]);
				cJSON_AddNumberToObject(e, "count", (double)tab[f][g]);
				cJSON_AddItemToArray(t, e);
			}
}

cJSON *
audit_movement(const struct audit *a)
{
	const cJSON *as;
	struct prev *p;
	struct move *mv;
	size_t np, nmv;
	int *was;
	cJSON *m;

	if (a->prev == NULL)
		return cJSON_CreateNull();
	if ((p = prev_list(a->prev, &np)) == NULL && np > 0)
		return NULL;
	mv = calloc(a->nsrv + np + 1, sizeof(*mv));
	was = calloc(a->nsrv + 1, sizeof(*was));
	if (mv == NULL || was == NULL) {
		free(mv);
		free(was);
		free(p);
		return NULL;
	}
	nmv = moves(a, p, np, was, mv);
	m = cJSON_CreateObject();
	as = cJSON_GetObjectItemCaseSensitive(a->prev, "as_of");
	if (cJSON_IsString(as))
		cJSON_AddStringToObject(m, "previous_as_of", as->valuestring);
	else
		cJSON_AddNullToObject(m, "previous_as_of");
	move_table(cJSON_AddArrayToObject(m, "table"), mv, nmv);
	moved_list(cJSON_AddArrayToObject(m, "moved"), mv, nmv);
	cJSON_AddNumberToObject(m, "moved_count", (double)nmv);
	free(was);
	free(mv);
	free(p);
	return m;
}
