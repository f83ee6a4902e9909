/*
 * known.c - the slugs the fleet knows, for the ingest: one in the slug
 * index (pushed before), a field of the registry's servers, or a target
 * of the ingest's overrides file.  A token can then write results of its
 * region for the fleet's servers only: one stolen cannot make slugs of
 * its own, which every reader would list and whose single-region red
 * verdicts would page.
 *
 * A FastCGI responder remembers the slugs it found known for
 * ING_KNOWN_TTL seconds (and no more than 100,000 of them), so that a
 * batch of known slugs costs the store nothing.
 */
#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>

#include "../registry/registry.h"
#include "ingest.h"

#define KNOWN_MAX 100000

void
ing_known_free(struct ing_known *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		free(k->keys[i]);
	free(k->keys);
	mcp_strmap_free(&k->m);
	memset(k, 0, sizeof(*k));
}

void
ing_overrides_free(struct ing_overrides *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		free(o->slugs[i]);
	free(o->slugs);
	free(o->path);
	mcp_strmap_free(&o->m);
	memset(o, 0, sizeof(*o));
}

/* The overrides file's target slugs, read again only when it changed. */
static const struct ing_overrides *
overrides_of(struct ing_overrides *o, const char *path)
{
	struct stat sb;
	long long ns;
	size_t i;
	int added;

	if (path == NULL || stat(path, &sb) == -1) {
		ing_overrides_free(o);
		return NULL;
	}
	ns = (long long)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec;
	if (o->path != NULL && strcmp(o->path, path) == 0 &&
	    o->dev == (unsigned long long)sb.st_dev && o->ino == (unsigned long long)sb.st_ino &&
	    o->size == (unsigned long long)sb.st_size && o->mtime_ns == ns)
		return o;
	ing_overrides_free(o);
	o->path = strdup(path);
	o->dev = (unsigned long long)sb.st_dev;
	o->ino = (unsigned long long)sb.st_ino;
	o->size = (unsigned long long)sb.st_size;
	o->mtime_ns = ns;
	if (o->path == NULL || reg_override_slugs(path, &o->slugs, &o->n) == -1)
		o->bad = 1;
	for (i = 0; !o->bad && i < o->n; i++)
		if (mcp_strmap_put(&o->m, o->slugs[i], &added) == NULL)
			o->bad = 1;
	return o;
}

static void
remember(struct ing_known *k, const char *slug)
{
	char *s, **v;
	int added;

	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 256;
		if ((v = realloc(k->keys, k->cap * sizeof(*v))) == NULL)
			return;
		k->keys = v;
	}
	if ((s = strdup(slug)) == NULL)
		return;
	if (mcp_strmap_put(&k->m, s, &added) == NULL || !added) {
		free(s);
		return;
	}
	k->keys[k->n++] = s;
}

/* The slug of a result record that push would take the slug of, or NULL. */
static const char *
result_slug(const cJSON *rec)
{
	const char *t, *slug;

	if (rec == NULL)
		return NULL;
	t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "type"));
	slug = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "slug"));
	if (t == NULL || strcmp(t, "result") != 0 || slug == NULL || !mcp_slug_ok(slug))
		return NULL;
	return slug;
}

/*
 * Ask the slug index for the slugs of ask (distinct), known[] of each
 * record of theirs set to 1 when it has them.  0, or -1 (err).
 */
static int
in_index(struct mcp_store *st, const char **ask, size_t na, int *found, char *err, size_t len)
{
	redisReply *r;
	size_t i;
	int rc = 0;

	for (i = 0; i < na; i++)
		if (mcp_store_appendf(st, "ZSCORE %s %s", AGG_KEY_SLUGS, ask[i]) == -1)
			return snprintf(err, len, "out of memory"), -1;
	for (i = 0; i < na; i++) {
		if (mcp_store_read(st, &r, 1, err, len) == -1)
			return -1;
		if (r->type == REDIS_REPLY_ERROR) {
			snprintf(err, len, "ZSCORE %s: %s", AGG_KEY_SLUGS, r->str);
			rc = -1;
		}
		found[i] = r->type == REDIS_REPLY_STRING;
		freeReplyObject(r);
	}
	return rc;
}

static int
in_overrides(struct ing_conn *c, const char *path, const char *slug)
{
	const struct ing_overrides *o = overrides_of(&c->ov, path);

	return o != NULL && !o->bad && mcp_strmap_get(&o->m, slug) != NULL;
}

int
ing_known(struct ing_conn *c, const char *overrides, cJSON *const *rec, size_t n, int *known,
    char *err, size_t len)
{
	const char *ask[AGG_BATCH], *slug;
	int found[AGG_BATCH], rest[AGG_BATCH];
	struct mcp_strmap seen = {NULL, 0, 0};
	struct mcp_strent *e;
	double now = mcp_now();
	size_t i, na = 0, nr;
	int added, rc = 0;

	if (now - c->known.born > ING_KNOWN_TTL || now < c->known.born || c->known.n > KNOWN_MAX) {
		ing_known_free(&c->known);
		c->known.born = now;
	}
	for (i = 0; i < n; i++) {
		known[i] = (slug = result_slug(rec[i])) == NULL ? -1 : 1;
		if (slug == NULL || mcp_strmap_get(&c->known.m, slug) != NULL)
			continue;
		known[i] = 0;
		if ((e = mcp_strmap_put(&seen, slug, &added)) == NULL) {
			mcp_strmap_free(&seen);
			return snprintf(err, len, "out of memory"), -1;
		}
		if (added && na < AGG_BATCH)
			ask[na++] = slug;
	}
	if (na > 0 && (rc = in_index(c->st, ask, na, found, err, len)) == 0) {
		for (i = nr = 0; i < na; i++)
			if (found[i])
				remember(&c->known, ask[i]);
			else
				ask[nr++] = ask[i];
		if (nr > 0 && (rc = reg_in_registry(c->st, ask, nr, rest, err, len)) == 0)
			for (i = 0; i < nr; i++)
				if (rest[i] || in_overrides(c, overrides, ask[i]))
					remember(&c->known, ask[i]);
	}
	for (i = 0; i < n; i++)
		if (known[i] == 0 && (slug = result_slug(rec[i])) != NULL &&
		    mcp_strmap_get(&c->known.m, slug) != NULL)
			known[i] = 1;
	mcp_strmap_free(&seen);
	return rc;
}
