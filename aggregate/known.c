/*
 * known.c - the slugs the fleet knows, for the ingest: exactly those its
 * targets are, as GET /targets serves them (the registry's servers that
 * are probed, not deleted, with the overrides file's lines, less its
 * !SLUG).  A token can then write results of its region for the
 * fleet's servers only: not a slug of its own, not a server deleted or
 * waiting for configuration, not one the operator took out (each of
 * which no other region probes, so that one region's red would page).
 *
 * Each slug keeps the host of its target's URL: a result whose "url"
 * names another host is stored without it, so that one region's token
 * cannot set the host every verdict and alert shows (push keeps the
 * host of the latest result, whichever region sent it).
 *
 * A responder keeps the set it made; a slug not in it has the set made
 * again, once in ING_KNOWN_FRESH seconds at most (a server the sync just
 * added is found; a flood of unknown slugs costs a set a few seconds),
 * and every ING_KNOWN_TTL seconds in any case (a server removed is
 * refused).  A slug refused is refused by a set made for its request;
 * one missing from a set made seconds before is answered later, so that
 * a server added in those seconds loses no result.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../registry/registry.h"
#include "ingest.h"

void
ing_known_free(struct ing_known *k)
{
	mcp_strmap_free(&k->m);
	free(k->text);
	free(k->hosts);
	free(k->path);
	memset(k, 0, sizeof(*k));
}

/*
 * The set from the targets' text: each line's slug (cut in place) and
 * the host of its URL (into the pool).  0, or -1 out of memory.
 */
static int
index_text(struct ing_known *k)
{
	char *p = k->text, *e = k->text + k->len, *nl, *sp, *url;
	size_t at = 0;
	struct mcp_strent *x;
	int added;

	if ((k->hosts = malloc(k->len + 1)) == NULL)
		return -1;
	for (; p < e; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
			nl = e;
		*nl = '\0';
		if ((sp = strchr(p, ' ')) == NULL)
			continue;
		*sp = '\0';
		url = sp + 1;
		url[strcspn(url, " ")] = '\0';
		if ((x = mcp_strmap_put(&k->m, p, &added)) == NULL)
			return -1;
		/* A host is no longer than its URL: the pool, the text's size, holds every one. */
		if (agg_url_host(url, k->hosts + at, k->len + 1 - at) == -1)
			k->hosts[at] = '\0';
		x->ptr = k->hosts + at;
		at += strlen(k->hosts + at) + 1;
	}
	return 0;
}

/* The set made again from the targets: 0, or -1 (err) with no set. */
static int
load(struct ing_conn *c, const char *overrides, char *err, size_t len)
{
	struct ing_known *k = &c->known;
	FILE *f;
	int rc;

	ing_known_free(k);
	k->born = mcp_mono();
	if (overrides != NULL && (k->path = strdup(overrides)) == NULL)
		return snprintf(err, len, "out of memory"), -1;
	if ((f = open_memstream(&k->text, &k->len)) == NULL)
		return snprintf(err, len, "out of memory"), -1;
	rc = reg_targets_to(c->st, overrides, 0, 0, f, err, len);
	if (fclose(f) != 0 && rc == 0)
		rc = -3;
	if (rc == -2)
		snprintf(err, len, "the ingest's targets: the overrides file %s is bad",
		    overrides != NULL ? overrides : "");
	else if (rc == -3)
		snprintf(err, len, "out of memory");
	if (rc == 0 && k->text != NULL && index_text(k) == -1)
		rc = -3, snprintf(err, len, "out of memory");
	if (rc != 0) {
		ing_known_free(k);
		return -1;
	}
	k->ok = 1;
	return 0;
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

/* The result's "url" left out when its host is not its target's. */
static void
same_host(cJSON *rec, const char *host)
{
	const char *url = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "url"));
	char h[AGG_HOST_MAX + 1];

	if (url == NULL)
		return;
	if (host == NULL || *host == '\0' || agg_url_host(url, h, sizeof(h)) == -1 ||
	    strcmp(h, host) != 0)
		cJSON_DeleteItemFromObjectCaseSensitive(rec, "url");
}

/* known[i] for each record of the set as it is (-1, 0 or 1): the count of 0s. */
static size_t
lookup(const struct ing_known *k, cJSON *const *rec, size_t n, int *known)
{
	const char *slug;
	size_t i, miss = 0;

	for (i = 0; i < n; i++) {
		if ((slug = result_slug(rec[i])) == NULL)
			known[i] = -1;
		else if ((known[i] = mcp_strmap_get(&k->m, slug) != NULL) == 0)
			miss++;
	}
	return miss;
}

long
ing_known_count(struct ing_conn *c, const char *overrides, char *err, size_t len)
{
	if (ing_known(c, overrides, NULL, 0, NULL, err, len) == -1)
		return -1;
	return (long)c->known.m.n;
}

int
ing_known(struct ing_conn *c, const char *overrides, cJSON *const *rec, size_t n, int *known,
    char *err, size_t len)
{
	struct ing_known *k = &c->known;
	const struct mcp_strent *x;
	double now = mcp_mono();
	size_t i;
	int made = 0; /* the set was made for this request */

	if (overrides != NULL && *overrides == '\0')
		overrides = NULL;
	if (!k->ok || now - k->born >= ING_KNOWN_TTL || now < k->born ||
	    (overrides == NULL) != (k->path == NULL) ||
	    (overrides != NULL && strcmp(overrides, k->path) != 0)) {
		if (load(c, overrides, err, len) == -1)
			return -1;
		made = 1;
	}
	/* A slug not in the set: the set made again, if it is not fresh. */
	if (lookup(k, rec, n, known) > 0 && !made && now - k->born >= ING_KNOWN_FRESH) {
		if (load(c, overrides, err, len) == -1)
			return -1;
		made = 1;
		lookup(k, rec, n, known);
	}
	for (i = 0; i < n; i++)
		if (known[i] == 1 && (x = mcp_strmap_get(&k->m, result_slug(rec[i]))) != NULL)
			same_host(rec[i], x->ptr);
		else if (known[i] == 0 && !made)
			known[i] = 2; /* the set is seconds old: not a verdict, ask again */
	return 0;
}
