/*
 * relaylists.c - the lists of push --to (relay.h): a tools_list step's
 * lists never enter the spool and never ride with the results.  They are
 * held, a bounded while, in their canonical text; the ingest's answer to
 * a result names the lists the store lacks, and those alone are sent,
 * after the results, in requests of their own (POST REGION?lists),
 * charged against the region's bytes of lists, not its results' rate.
 * A list that is not sent (evicted, refused, the ingest busy) costs
 * nothing but itself: the next probe's result asks for it again.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lists.h"
#include "relay.h"

#define HELD_MAX 8192       /* lists held for the answers of their results */
#define OUT_MAX (32 << 20)  /* bytes of list records waiting to be sent */
#define REQ_BYTES (1 << 20) /* bytes of list records a request, about */

/* A held list forgotten. */
static void
drop(struct rlists *l, struct rlist *h)
{
	l->bytes -= h->text.len;
	mcp_buf_free(&h->text);
	h->slug[0] = '\0';
}

/* The oldest held list forgotten. */
static void
drop_oldest(struct rlists *l)
{
	drop(l, &l->held[l->head]);
	l->head = (l->head + 1) % HELD_MAX;
	l->n--;
}

void
rl_hold(struct rlists *l, const cJSON *rec)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(rec, "detail"), *a;
	const char *slug = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "slug"));
	struct mcp_buf t = {0};
	char why[128], hash[MCP_HASH_LEN];
	struct rlist *h;
	int k;

	if (l->held == NULL && (l->held = calloc(HELD_MAX, sizeof(*l->held))) == NULL)
		err(MCP_EXIT_FAIL, "push");
	for (k = 0; k < AGG_LIST_KINDS && slug != NULL && strlen(slug) <= MCP_SLUG_MAX; k++) {
		a = cJSON_GetObjectItemCaseSensitive(d, agg_list_word(k));
		if (!cJSON_IsArray(a))
			continue;
		mcp_buf_free(&t);
		if (agg_list_canon(k, a, &t, hash, why, sizeof(why)) == -1 ||
		    t.len > AGG_LIST_BYTES)
			continue; /* the ingest would refuse it: the result goes alone */
		while (l->n == HELD_MAX || (l->n > 0 && l->bytes + t.len > AGG_LIST_HELD))
			drop_oldest(l);
		h = &l->held[(l->head + l->n++) % HELD_MAX];
		snprintf(h->slug, sizeof(h->slug), "%s", slug);
		h->kind = k;
		memcpy(h->hash, hash, sizeof(h->hash));
		h->text = t;
		memset(&t, 0, sizeof(t));
		l->bytes += h->text.len;
	}
	mcp_buf_free(&t);
}

/* The held list of slug, kind and hash, newest first; NULL when none. */
static struct rlist *
find(struct rlists *l, const char *slug, int k, const char *hash)
{
	struct rlist *h;
	size_t i;

	for (i = l->n; i > 0; i--) {
		h = &l->held[(l->head + i - 1) % HELD_MAX];
		if (h->slug[0] != '\0' && h->kind == k && strcmp(h->hash, hash) == 0 &&
		    strcmp(h->slug, slug) == 0)
			return h;
	}
	return NULL;
}

/* A list record of h into the requests to send; h forgotten. */
static void
queue(struct rlists *l, const char *region, struct rlist *h)
{
	struct mcp_buf *b = &l->out;
	size_t at = b->len;
	int rc;

	if (b->len + h->text.len + 512 > OUT_MAX) {
		l->unsent++;
		drop(l, h);
		return;
	}
	rc = mcp_buf_adds(b, "{\"v\":1,\"type\":\"list\",\"region\":");
	rc |= mcp_json_string(b, region);
	rc |= mcp_buf_adds(b, ",\"slug\":");
	rc |= mcp_json_string(b, h->slug);
	rc |= mcp_buf_addf(
	    b, ",\"kind\":\"%s\",\"hash\":\"%s\",\"list\":", agg_list_word(h->kind), h->hash);
	rc |= mcp_buf_add(b, h->text.p, h->text.len);
	rc |= mcp_buf_adds(b, "}\n");
	if (rc != 0) {
		b->len = at;
		l->unsent++;
	}
	drop(l, h);
}

void
rl_lack(struct rlists *l, const char *region, const char *line, size_t n, const cJSON *lack)
{
	const cJSON *v;
	const char *slug;
	struct rlist *h;
	cJSON *rec;
	int k;

	if (!cJSON_IsObject(lack) || (rec = cJSON_ParseWithLength(line, n)) == NULL)
		return;
	slug = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "slug"));
	cJSON_ArrayForEach(v, lack)
	{
		if (slug == NULL || (k = agg_list_kind(v->string)) < 0 ||
		    cJSON_GetStringValue(v) == NULL)
			continue;
		if (l->held != NULL && (h = find(l, slug, k, v->valuestring)) != NULL)
			queue(l, region, h);
		else
			l->absent++; /* not read by this run: the next probe's result asks again */
	}
	cJSON_Delete(rec);
}

/* The statuses of an answer to list records, counted. */
static void
count(struct rlists *l, const struct mcp_buf *b)
{
	const char *p = b->p, *e = b->p + b->len, *nl;
	cJSON *v;
	const char *st;

	for (; p != NULL && p < e; p = nl != NULL ? nl + 1 : e) {
		nl = memchr(p, '\n', (size_t)(e - p));
		if ((v = cJSON_ParseWithLength(p, (size_t)((nl != NULL ? nl : e) - p))) == NULL)
			continue;
		st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v, "status"));
		if (st != NULL && strcmp(st, "stored") == 0)
			l->stored++;
		else if (st != NULL)
			l->unsent++;
		cJSON_Delete(v);
	}
}

void
rl_send(struct rlists *l, struct agg_http *http, const char *to)
{
	struct mcp_buf gz = {0};
	char url[4096], err[512];
	const char *p = l->out.p, *e = p + l->out.len, *nl;
	size_t n = 0;
	long m = 0, status;

	/* Whole records, about REQ_BYTES of them, one at least. */
	for (; p < e && (nl = memchr(p, '\n', (size_t)(e - p))) != NULL; p = nl + 1, m++) {
		if (n > 0 && n + (size_t)(nl + 1 - p) > REQ_BYTES)
			break;
		n += (size_t)(nl + 1 - p);
	}
	if (n == 0 || (size_t)snprintf(url, sizeof(url), "%s?lists", to) >= sizeof(url) ||
	    agg_gzip(l->out.p, n, &gz) == -1) {
		l->unsent += m;
		mcp_buf_reset(&l->out);
		return;
	}
	status = agg_http_do(http, url, &gz, err, sizeof(err));
	l->sent += m;
	if (status == 200) {
		count(l, agg_http_body(http));
	} else {
		if (!l->said)
			warnx("%s: %ld lists not sent (%s): the next probes offer them again", to,
			    m,
			    status == -1        ? err
			        : status == 429 ? "429, the region's lists"
			                        : "refused");
		l->said = 1;
		l->unsent += m;
	}
	memmove(l->out.p, l->out.p + n, l->out.len - n);
	l->out.len -= n;
	l->out.p[l->out.len] = '\0';
	mcp_buf_free(&gz);
}

void
rl_free(struct rlists *l)
{
	while (l->n > 0)
		drop_oldest(l);
	free(l->held);
	mcp_buf_free(&l->out);
}
