/*
 * tail.c - the findings of a server's instructions past the part a result
 * carries (findings.h): the store cannot read them, so what counts is what
 * the regions say of them.  Each runner's claim is kept by push as
 * "_tail:REGION" "FIRST LAST SHA WORST RULES" in the slug's findings
 * (findings.c); a rule counts when, among the claims of the day, two
 * regions say it, or the one region that reports the slug does, whatever
 * text each read: a server that varies its instructions (a date, a word
 * drawn each time) gives each region another SHA-256, and that must not
 * erase what every region found.  So no finding every region made is
 * erased, and no single runner adds one where there are others to agree
 * with it.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "findings.h"

#define CLAIMS_MAX AGG_FAULT_REGIONS

/* One region's claim. */
struct claim {
	const char *region; /* borrowed from the reply */
	char sha[80];
	char rules[AGG_FINDINGS_RULES];
	double first, last;
	int worst; /* 1 low, 2 medium, 3 high */
};

static int
sev_rank(const char *s)
{
	return s == NULL               ? -1
	    : strcmp(s, "high") == 0   ? 3
	    : strcmp(s, "medium") == 0 ? 2
	    : strcmp(s, "low") == 0    ? 1
	    : strcmp(s, "none") == 0   ? 0
	                               : -1;
}

static const char *const sev_word[] = {"none", "low", "medium", "high"};

/* The claims of the day (LAST since), at most max, into c: their number. */
static size_t
claims_of(const redisReply *h, double since, struct claim *c, size_t max)
{
	char w[8];
	size_t i, n = 0;

	for (i = 0; h->type == REDIS_REPLY_ARRAY && i + 1 < h->elements && n < max; i += 2) {
		const char *k = h->element[i]->str, *v = h->element[i + 1]->str;

		if (k == NULL || v == NULL || strncmp(k, "_tail:", 6) != 0 ||
		    sscanf(v, "%lf %lf %79s %7s %" AGG_STR(AGG_FINDINGS_RULES_W) "s", &c[n].first,
		        &c[n].last, c[n].sha, w, c[n].rules) != 5 ||
		    c[n].last < since || sev_rank(w) < 1)
			continue;
		c[n].region = k + 6;
		c[n].worst = sev_rank(w);
		n++;
	}
	return n;
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * The rule r (n bytes) of the claims: how many regions say it,
 * the least worst of them, and when the need-th of them first said it.
 */
static size_t
rule_said(
    const struct claim *c, size_t nc, const char *r, size_t n, int *worst, double *at, size_t need)
{
	double firsts[CLAIMS_MAX];
	size_t i, k = 0;

	*worst = 4;
	for (i = 0; i < nc; i++)
		if (agg_rule_in(c[i].rules, r, n)) {
			firsts[k++] = c[i].first;
			*worst = c[i].worst < *worst ? c[i].worst : *worst;
		}
	if (k >= need) {
		qsort(firsts, k, sizeof(firsts[0]), dbl_cmp);
		*at = firsts[need - 1];
	}
	return k;
}

/* The agreed rule r (n bytes) added to t, its claimants to its regions. */
static void
agreed_add(
    cJSON *t, const struct claim *c, size_t nc, const char *r, size_t n, int worst, double at)
{
	cJSON *rules = cJSON_GetObjectItemCaseSensitive(t, "rules");
	cJSON *regions = cJSON_GetObjectItemCaseSensitive(t, "regions");
	const cJSON *x;
	char id[16];
	size_t i;
	int have;

	snprintf(id, sizeof(id), "%.*s", (int)n, r);
	cJSON_ArrayForEach(x, rules) if (strcmp(x->valuestring, id) == 0) return;
	cJSON_AddItemToArray(rules, cJSON_CreateString(id));
	if (worst > sev_rank(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "worst"))))
		cJSON_ReplaceItemInObject(t, "worst", cJSON_CreateString(sev_word[worst]));
	if (at > cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(t, "at")))
		cJSON_ReplaceItemInObject(t, "at", cJSON_CreateNumber(at));
	for (i = 0; i < nc; i++) {
		if (!agg_rule_in(c[i].rules, r, n))
			continue;
		have = 0;
		cJSON_ArrayForEach(x, regions) have |= strcmp(x->valuestring, c[i].region) == 0;
		if (!have)
			cJSON_AddItemToArray(regions, cJSON_CreateString(c[i].region));
	}
}

cJSON *
agg_tail_agreed(const redisReply *h, double since, size_t nseen)
{
	struct claim *c = calloc(CLAIMS_MAX, sizeof(*c));
	size_t nc, i, need = nseen > 1 ? 2 : 1, n;
	const char *p, *e;
	double at = 0;
	int worst;
	cJSON *t = NULL;

	if (c == NULL || h == NULL || h->type != REDIS_REPLY_ARRAY)
		goto out;
	nc = claims_of(h, since, c, CLAIMS_MAX);
	for (i = 0; i < nc; i++)
		for (p = c[i].rules; *p != '\0'; p = *e ? e + 1 : e) {
			e = p + strcspn(p, ",");
			n = (size_t)(e - p);
			if (n == 0 || n > 12 || rule_said(c, nc, p, n, &worst, &at, need) < need)
				continue;
			if (t == NULL) {
				t = cJSON_CreateObject();
				cJSON_AddArrayToObject(t, "rules");
				cJSON_AddStringToObject(t, "worst", "none");
				cJSON_AddArrayToObject(t, "regions");
				cJSON_AddNumberToObject(t, "at", 0);
			}
			agreed_add(t, c, nc, p, n, worst, at);
		}
	if (t != NULL) {
		/* Said since first sight: no clean result of the server came before it. */
		const redisReply *cv = agg_hfield(h, "_clean");
		const char *clean = cv != NULL ? cv->str : NULL;
		double first = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(t, "at"));

		for (i = 0; i < nc; i++)
			first = c[i].first < first ? c[i].first : first;
		if (clean == NULL || first <= strtod(clean, NULL) + 2 * AGG_WINDOW)
			cJSON_AddTrueToObject(t, "first_sight");
	}
out:
	free(c);
	return t;
}
