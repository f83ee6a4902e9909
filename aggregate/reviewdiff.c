/*
 * reviewdiff.c - the difference between each region's base (the list a
 * person answered, or pinned) and the list it serves now, as the review
 * reads it (review.c): the read's differences, the texts a class is worked
 * out from (read in a round trip of their own, and only for a difference
 * whose class is wanted and not known yet), and the classes.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lists.h"
#include "reviewint.h"

const char *const review_class_word[] = {"none", "compatible", "review", "breaking"};

/* The reply's differences into d (at most max): their number. */
size_t
review_diffs_of(const redisReply *r, struct diff *d, size_t max)
{
	const redisReply *a;
	size_t i, n = 0;
	int f;

	if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements < 7)
		return 0;
	a = r->element[6];
	for (i = 0; a->type == REDIS_REPLY_ARRAY && i + DIFF_FIELDS <= a->elements && n < max;
	     i += DIFF_FIELDS) {
		for (f = 0; f < DIFF_FIELDS && a->element[i + f]->type == REDIS_REPLY_STRING; f++)
			;
		if (f < DIFF_FIELDS || agg_list_kind(a->element[i]->str) < 0)
			continue;
		d[n].k = agg_list_kind(a->element[i]->str);
		d[n].region = a->element[i + 1]->str, d[n].base = a->element[i + 2]->str;
		d[n].cur = a->element[i + 3]->str, d[n].memo = a->element[i + 4]->str;
		d[n].lfb = a->element[i + 5]->str, d[n].lfc = a->element[i + 6]->str;
		d[n].ucur = a->element[i + 7]->str, d[n].texts = a->element[i + 8]->str;
		n++;
	}
	return n;
}

/* 1 when the class of d is to be worked out from the two texts, both kept. */
static int
diff_wants_texts(const struct diff *d)
{
	return d->memo[0] == '\0' && strcmp(d->texts, "abc") == 0 &&
	    agg_list_hex(d->base) != NULL && agg_list_hex(d->cur) != NULL;
}

int
agg_review_need(const redisReply *r)
{
	struct diff *d = calloc(DIFF_MAX, sizeof(*d));
	size_t i, n;
	int need = 0;

	if (d == NULL)
		return 0;
	n = review_diffs_of(r, d, DIFF_MAX);
	for (i = 0; i < n && !need; i++)
		need = diff_wants_texts(&d[i]);
	free(d);
	return need;
}

/*
 * The texts a class is worked out from.  KEYS: lsi (unread: the slug's
 * slot).  ARGV: the slug's prefix, the
 * bytes read at most, then "b:HEX" (a base: apl:HEX, else ls:HEX) or
 * "c:HEX" (ls:HEX).  Returns {TAG, TEXT ...}: TEXT '' when not kept, '-'
 * past the bytes.
 */
const char agg_review_texts_lua[] =
    "local out, left = {}, tonumber(ARGV[2])\n"
    "for i = 3, #ARGV do\n"
    "  local tag, hx = string.match(ARGV[i], '^([bc]):(%x+)$')\n"
    "  if tag then\n"
    "    local k = ARGV[1] .. 'ls:' .. hx\n"
    "    if tag == 'b' and redis.call('EXISTS', ARGV[1] .. 'apl:' .. hx) == 1 then\n"
    "      k = ARGV[1] .. 'apl:' .. hx\n"
    "    end\n"
    "    local n = redis.call('STRLEN', k)\n"
    "    out[#out + 1] = ARGV[i]\n"
    "    if n > left then out[#out + 1] = '-'\n"
    "    else out[#out + 1] = redis.call('GET', k) or ''; left = left - n end\n"
    "  end\n"
    "end\n"
    "return out\n";

int
agg_review_texts_append(
    struct mcp_store *st, const char *sha, const char *slug, const redisReply *r)
{
	struct diff *d = calloc(DIFF_MAX, sizeof(*d));
	const char **argv = calloc(6 + 2 * DIFF_MAX, sizeof(*argv));
	char(*tag)[80] = calloc(2 * DIFF_MAX, sizeof(*tag));
	char pre[MCP_SLUG_MAX + 64], key[MCP_SLUG_MAX + 64], cap[24];
	size_t i, n, a = 0, t = 0;
	int rc = -1;

	if (d == NULL || argv == NULL || tag == NULL)
		goto out;
	agg_key(pre, sizeof(pre), slug, "", -1);
	agg_key(key, sizeof(key), slug, "lsi", -1);
	snprintf(cap, sizeof(cap), "%d", AGG_VLIST_BYTES);
	/* One key, the slug's, so that a cluster sends it where the slug's keys are. */
	argv[a++] = "EVALSHA", argv[a++] = sha, argv[a++] = "1", argv[a++] = key, argv[a++] = pre;
	argv[a++] = cap;
	n = review_diffs_of(r, d, DIFF_MAX);
	for (i = 0; i < n; i++) {
		if (!diff_wants_texts(&d[i]))
			continue;
		snprintf(tag[t], sizeof(tag[t]), "b:%s", agg_list_hex(d[i].base));
		argv[a++] = tag[t++];
		snprintf(tag[t], sizeof(tag[t]), "c:%s", agg_list_hex(d[i].cur));
		argv[a++] = tag[t++];
	}
	rc = mcp_store_appendv(st, (int)a, argv, NULL);
out:
	free(d);
	free(argv);
	free(tag);
	return rc;
}

int
review_class_rank(const char *c)
{
	int i;

	for (i = 1; i < 4; i++)
		if (c != NULL && strcmp(c, review_class_word[i]) == 0)
			return i;
	return c != NULL && strcmp(c, "none") == 0 ? 0 : CLASS_UNKNOWN;
}

/* The worse of two classes: breaking first, then a class not known. */
int
review_class_worse(int a, int b)
{
	if (a == 3 || b == 3)
		return 3;
	if (a == CLASS_UNKNOWN || b == CLASS_UNKNOWN)
		return CLASS_UNKNOWN;
	return a > b ? a : b;
}

/*
 * The class of d: known already, or worked out from the texts read (t),
 * the store told (*memo 1) so that it is worked out once; CLASS_UNKNOWN
 * when a text is not there, or not the list its hash names.
 */
int
review_diff_class(const struct diff *d, const redisReply *t, int *memo)
{
	char tag[80];
	const redisReply *a, *b;
	const char *why;
	cJSON *la = NULL, *lb = NULL, *s;
	int c = CLASS_UNKNOWN;

	*memo = 0;
	if (d->memo[0] != '\0')
		return review_class_rank(d->memo);
	if (!diff_wants_texts(d))
		return CLASS_UNKNOWN;
	snprintf(tag, sizeof(tag), "b:%s", agg_list_hex(d->base));
	a = agg_hfield(t, tag);
	snprintf(tag, sizeof(tag), "c:%s", agg_list_hex(d->cur));
	b = agg_hfield(t, tag);
	if (a == NULL || b == NULL ||
	    (la = agg_list_parse(d->k, d->base, a->len ? a->str : NULL, a->len, &why)) == NULL ||
	    (lb = agg_list_parse(d->k, d->cur, b->len ? b->str : NULL, b->len, &why)) == NULL)
		goto out;
	if ((s = agg_list_change(d->k, la, lb)) != NULL) {
		c = review_class_rank(
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(s, "class")));
		/* Two lists that differ but in nothing a diff says: compatible. */
		if (c == CLASS_UNKNOWN || c == 0)
			c = 1;
		*memo = 1;
		cJSON_Delete(s);
	}
out:
	cJSON_Delete(la);
	cJSON_Delete(lb);
	return c;
}
