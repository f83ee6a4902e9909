/*
 * owners.c - who owns which slug in the store, the sync's side of the
 * slug rule (registry/slugs.c): the fields' slugs, the slugs moved
 * (mcp:registry:aliases), the operator's slugs (mcp:slugs, not the
 * registry's), two fields of one owner left by a store of before made
 * one, and the slugs of the fields new to the store.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync.h"

static int
add_alias(struct sync *s, const char *from, const char *to)
{
	struct alias *v = s->aliases;
	size_t n = s->naliases;

	/* Room doubles at each power of two. */
	if ((n == 0 || (n & (n - 1)) == 0) &&
	    (v = reallocarray(s->aliases, n < 4 ? 4 : 2 * n, sizeof(*v))) == NULL)
		return -1;
	s->aliases = v;
	if ((v[n].from = strdup(from)) == NULL || (v[n].to = strdup(to)) == NULL) {
		free(v[n].from);
		return -1;
	}
	s->naliases++;
	return 0;
}

void
reg_store_free(struct sync *s)
{
	size_t i;

	for (i = 0; i < s->naliases; i++) {
		free(s->aliases[i].from);
		free(s->aliases[i].to);
	}
	free(s->aliases);
	s->aliases = NULL;
	s->naliases = 0;
	mcp_strmap_free(&s->others);
	freeReplyObject(s->others_r);
	s->others_r = NULL;
}

/* The synced_at of a stored value, 0 when it has none. */
static double
synced_at(const char *json)
{
	const char *why;
	cJSON *v = mcp_json_parse(json, strlen(json), &why);
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(v, "synced_at");
	double r = cJSON_IsNumber(t) ? t->valuedouble : 0;

	cJSON_Delete(v);
	return r;
}

static void
swap(char **a, char **b)
{
	char *t = *a;

	*a = *b;
	*b = t;
}

/*
 * k and f, two fields of one owner: a store of before gave a package-only
 * server's field and its first remote's a slug each.  k keeps the value
 * not deleted (else the later synced) under the slug the rule gives now;
 * the other slug becomes an alias of it, and f goes.
 */
static int
twin(struct sync *s, struct reg_field *k, struct reg_field *f)
{
	char q[MCP_QUOTED_MAX];
	int d;

	if (f->deleted < k->deleted ||
	    (f->deleted == k->deleted && synced_at(f->json) > synced_at(k->json))) {
		swap(&k->json, &f->json);
		d = k->deleted, k->deleted = f->deleted, f->deleted = d;
		d = k->state, k->state = f->state, f->state = d;
	}
	if (reg_twin_keeps(k->name, k->slug, f->slug))
		swap(&k->slug, &f->slug);
	if (add_alias(s, f->slug, k->slug) == -1)
		return -1;
	reg_warn_begin();
	warnx("registry: %s moved to %s: one server (%s), its first remote and its packages",
	    f->slug, k->slug, mcp_json_quoted(q, sizeof(q), k->name));
	reg_field_free(f);
	return 0;
}

/* s->old with each owner once (twin); 0, or -1 when memory ran out (s->old whole). */
static int
merge_twins(struct sync *s)
{
	struct mcp_strmap seen = {NULL, 0, 0};
	struct mcp_strent *e;
	size_t i, j = 0;
	int added, rc = 0;

	for (i = 0; i < s->old.n && rc == 0; i++) {
		if ((e = mcp_strmap_put(&seen, s->old.v[i].key, &added)) == NULL) {
			rc = -1;
		} else if (added) {
			/* Moved down, the place left empty: a failure frees each once. */
			if (j < i) {
				s->old.v[j] = s->old.v[i];
				memset(&s->old.v[i], 0, sizeof(s->old.v[i]));
			}
			e->num = j++;
		} else {
			rc = twin(s, &s->old.v[e->num], &s->old.v[i]);
		}
	}
	mcp_strmap_free(&seen);
	if (rc == 0)
		s->old.n = j;
	return rc;
}

/* The stored aliases, pairs of slugs (anything else dropped). */
static int
old_aliases(struct sync *s, const redisReply *r)
{
	size_t i;

	for (i = 0; i + 1 < r->elements; i += 2)
		if (r->element[i]->type == REDIS_REPLY_STRING &&
		    r->element[i + 1]->type == REDIS_REPLY_STRING &&
		    mcp_slug_ok(r->element[i]->str) && mcp_slug_ok(r->element[i + 1]->str) &&
		    add_alias(s, r->element[i]->str, r->element[i + 1]->str) == -1)
			return -1;
	return 0;
}

/*
 * The maps of the store's slugs: each field's slug to its owner, each
 * alias to the owner of the slug it leads to (an alias that leads to no
 * field, or is a field's slug itself, or repeats one, is dropped); then
 * the operator's slugs, those of r (mcp:slugs) that are not the registry's.
 */
static int
slug_maps(struct sync *s, const redisReply *r)
{
	const struct mcp_strent *to;
	struct mcp_strent *e;
	size_t i, j = 0;
	int added, rc = 0;

	for (i = 0; i < s->old.n; i++) {
		if ((e = mcp_strmap_put(&s->oldkey, s->old.v[i].key, &added)) == NULL)
			return -1;
		e->num = i;
		if ((e = mcp_strmap_put(&s->slugs, s->old.v[i].slug, &added)) == NULL)
			return -1;
		e->ptr = s->old.v[i].key;
	}
	for (i = 0; i < s->naliases; i++) {
		struct alias *a = &s->aliases[i];
		int kept = 0;

		if (rc == 0 && (to = mcp_strmap_get(&s->slugs, a->to)) != NULL && to->num == 0 &&
		    mcp_strmap_get(&s->slugs, a->from) == NULL) {
			if ((e = mcp_strmap_put(&s->slugs, a->from, &added)) == NULL)
				rc = -1;
			else
				kept = 1;
		}
		if (kept) {
			e->ptr = to->ptr;
			e->num = 1; /* an alias: never the one another leads to */
			s->aliases[j++] = *a;
		} else {
			free(a->from);
			free(a->to);
		}
	}
	s->naliases = j;
	if (rc == -1)
		return -1;
	for (i = 0; r != NULL && i < r->elements; i++)
		if (r->element[i]->type == REDIS_REPLY_STRING &&
		    mcp_strmap_get(&s->slugs, r->element[i]->str) == NULL &&
		    mcp_strmap_put(&s->others, r->element[i]->str, &added) == NULL)
			return -1;
	return 0;
}

/* A field left without a slug: named, counted, and dropped (its value). */
static void
no_slug(struct sync *s, struct reg_field *f)
{
	char q[MCP_QUOTED_MAX], a[MCP_SLUG_MAX + 1] = "", b[MCP_SLUG_MAX + 1] = "";

	reg_slug(f->name, atoi(f->key), 0, a, sizeof(a));
	reg_slug(f->name, atoi(f->key), 1, b, sizeof(b));
	reg_warn_begin();
	warnx("registry: %s remote %d: %s%s%s taken (another server's or an operator's), skipped",
	    mcp_json_quoted(q, sizeof(q), f->name), atoi(f->key), a, *a ? " and " : "", b);
	s->skipped++;
	free(f->json);
	f->json = NULL;
}

int
reg_give_new(struct sync *s)
{
	struct reg_field **v;
	size_t i, n = 0;

	if ((v = calloc(s->nw.n + 1, sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < s->nw.n; i++)
		if (mcp_strmap_get(&s->oldkey, s->nw.v[i].key) == NULL)
			v[n++] = &s->nw.v[i];
	if (reg_give_slugs(v, n, &s->slugs, &s->others) == -1)
		return free(v), -1;
	for (i = 0; i < n; i++)
		if (v[i]->slug == NULL)
			no_slug(s, v[i]);
	free(v);
	return 0;
}

int
reg_owners(struct sync *s, const redisReply *aliases, const redisReply *slugs)
{
	if (old_aliases(s, aliases) == -1 || merge_twins(s) == -1 || slug_maps(s, slugs) == -1)
		return -1;
	return 0;
}
