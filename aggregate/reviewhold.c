/*
 * reviewhold.c - what waits for a person (review.c): the store's judgment
 * of a list (lf: "COUNT WORST RULES"), what the runners agree on of a list
 * the store could not read, and the holds, begun, grown, said and written
 * (mcp:{SLUG}:hold; mcp-store(7)).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "findings.h"
#include "lists.h"
#include "reviewint.h"

const char *const review_sev_word[] = {"none", "low", "medium", "high"};

static int
sev_rank(const char *s)
{
	int i;

	for (i = 0; i < 4; i++)
		if (s != NULL && strcmp(s, review_sev_word[i]) == 0)
			return i;
	return -1;
}

/* A judgment "COUNT WORST RULES" (lf, or a region's findings without STARTED). */
struct judged {
	int ok; /* 0: none (the store never judged the list) */
	int worst;
	char rules[AGG_FINDINGS_RULES];
};

static void
judged_of(const char *v, struct judged *j)
{
	char w[8];
	long c;

	memset(j, 0, sizeof(*j));
	if (v == NULL ||
	    sscanf(v, "%ld %7s %" AGG_STR(AGG_FINDINGS_RULES_W) "s", &c, w, j->rules) != 3 ||
	    sev_rank(w) < 0)
		return;
	j->ok = 1, j->worst = sev_rank(w);
	if (strcmp(j->rules, "-") == 0)
		j->rules[0] = '\0';
}

/* 1 when the list judged c has a high or medium finding the base b had not. */
static int
findings_new(const struct judged *c, const struct judged *b)
{
	const char *p = c->rules, *e;

	if (!c->ok || c->worst < 2)
		return 0;
	while (*p != '\0') {
		e = strchr(p, ',');
		if (e == NULL)
			e = p + strlen(p);
		if (!b->ok || !agg_rule_in(b->rules, p, (size_t)(e - p)))
			return 1;
		p = *e ? e + 1 : e;
	}
	return 0;
}

/*
 * What the runners say of the lists the store could not read (unread[i]
 * for row i: each region's findings, f, are then its runner's own): a high
 * or medium rule said by two regions serving such a list, or by the one
 * region where the kind has one, at the least worst of theirs, with the
 * regions that say it, into a new object; NULL when no rule is.  Counted
 * by rule across those regions, whatever list each serves: a server that
 * gives each region another list (a word drawn each time) must not hide
 * what every region found.
 */
cJSON *
review_runners_agree(const redisReply *f, const struct lrow *v, size_t n, const char *unread)
{
	struct judged j[AGG_FAULT_REGIONS];
	const redisReply *rv;
	size_t i, k, said, need = n > 1 ? 2 : 1;
	const char *val, *sp, *p, *e;
	int worst = 4, least;
	cJSON *o = NULL, *rules = NULL, *regions = NULL;
	char id[16];

	for (i = 0; i < n && i < AGG_FAULT_REGIONS; i++) {
		j[i].ok = 0;
		if (unread[i] && (rv = agg_hfield(f, v[i].region)) != NULL &&
		    (val = rv->str) != NULL && (sp = strchr(val, ' ')) != NULL)
			judged_of(sp + 1, &j[i]);
	}
	for (i = 0; i < n && i < AGG_FAULT_REGIONS; i++) {
		if (!j[i].ok || j[i].worst < 2)
			continue;
		for (p = j[i].rules; *p != '\0'; p = *e ? e + 1 : e) {
			e = p + strcspn(p, ",");
			if (e - p == 0 || e - p >= (long)sizeof(id))
				continue;
			snprintf(id, sizeof(id), "%.*s", (int)(e - p), p);
			for (k = 0, said = 0, least = 4; k < n && k < AGG_FAULT_REGIONS; k++)
				if (j[k].ok && j[k].worst >= 2 &&
				    agg_rule_in(j[k].rules, id, strlen(id)))
					said++, least = j[k].worst < least ? j[k].worst : least;
			if (said < need)
				continue;
			if (o == NULL) {
				o = cJSON_CreateObject();
				rules = cJSON_CreateArray();
				regions = cJSON_CreateArray();
			}
			review_name_add(rules, id);
			for (k = 0; k < n && k < AGG_FAULT_REGIONS; k++)
				if (j[k].ok && j[k].worst >= 2 &&
				    agg_rule_in(j[k].rules, id, strlen(id)))
					review_name_add(regions, v[k].region);
			worst = least < worst ? least : worst;
		}
	}
	if (o == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "worst", review_sev_word[worst]);
	cJSON_AddItemToObject(o, "rules", rules);
	cJSON_AddItemToObject(o, "regions", regions);
	return o;
}

void
review_write_add(struct rwrite *w, const char *op, const char *f, const char *v)
{
	char *a = strdup(f), *b = strdup(v);

	if (a == NULL || b == NULL || w->nown + 2 > sizeof(w->own) / sizeof(w->own[0]) ||
	    w->n + 3 > sizeof(w->argv) / sizeof(w->argv[0])) {
		free(a), free(b);
		return;
	}
	w->own[w->nown++] = a, w->own[w->nown++] = b;
	w->argv[w->n++] = op, w->argv[w->n++] = a, w->argv[w->n++] = b;
}

/*
 * A hold's write.  KEYS: hold rvc.  ARGV: the TTL, then triples: H (a
 * hold) or M (a class), the field, the value; D a hold the store's own
 * reading ended (a wait only for a list it could not read, no one paged).
 */
static const char write_lua[] = "for i = 2, #ARGV, 3 do\n"
                                "  local k = ARGV[i] == 'M' and KEYS[2] or KEYS[1]\n"
                                "  if ARGV[i] == 'D' then redis.call('HDEL', k, ARGV[i + 1])\n"
                                "  else\n"
                                "    redis.call('HSET', k, ARGV[i + 1], ARGV[i + 2])\n"
                                "    redis.call('EXPIRE', k, ARGV[1])\n"
                                "  end\n"
                                "end\n"
                                "return 1\n";

/*
 * 1 when the window judged region blind (a probe fault: its results count
 * for no slug): what it serves begins no wait, as it decides no verdict.
 */
int
review_is_blind(const struct rctx *x, const char *region)
{
	size_t i;

	for (i = 0; i < x->nblind; i++)
		if (strcmp(x->blind[i], region) == 0)
			return 1;
	return 0;
}

/* The difference of region in kind k, or NULL. */
const struct diff *
review_diff_find(const struct rctx *x, int k, const char *region)
{
	size_t i;

	for (i = 0; i < x->nd; i++)
		if (x->d[i].k == k && strcmp(x->d[i].region, region) == 0)
			return &x->d[i];
	return NULL;
}

/* The hold of kind k in region (owned), or NULL. */
cJSON *
review_hold_of(const struct rctx *x, int k, const char *region)
{
	char f[MCP_SLUG_MAX + 8];
	const redisReply *h = x->r->element[5];
	cJSON *o;
	size_t i;

	snprintf(f, sizeof(f), "%c:%s", agg_list_letter(k), region);
	for (i = 0; h->type == REDIS_REPLY_ARRAY && i + 1 < h->elements; i += 2) {
		if (h->element[i]->str == NULL || strcmp(h->element[i]->str, f) != 0)
			continue;
		o = cJSON_ParseWithLength(h->element[i + 1]->str, h->element[i + 1]->len);
		if (cJSON_IsObject(o))
			return o;
		/* A hold the store holds but no one can read still waits: never read as none. */
		cJSON_Delete(o);
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "at", (double)x->window);
		cJSON_AddStringToObject(o, "why", "change");
		cJSON_AddNullToObject(o, "class");
		return o;
	}
	return NULL;
}

cJSON *
review_class_json(int c)
{
	return c == CLASS_UNKNOWN ? cJSON_CreateNull() : cJSON_CreateString(review_class_word[c]);
}

/*
 * Why region's list d waits for a person, into a new hold (owned), or
 * NULL when it does not: its base a person's answer or a held first
 * list (answered) and the class of the difference review, breaking or not
 * known; a high or medium finding the base had not; a list the store
 * could not read.
 */
cJSON *
review_hold_new(const struct rctx *x, const struct diff *d, int answered, int cls,
    const struct lrow *v, size_t n)
{
	struct judged jb, jc;
	const char *why = NULL, *u;
	cJSON *h, *run;

	judged_of(d->lfb[0] ? d->lfb : NULL, &jb);
	judged_of(d->lfc[0] ? d->lfc : NULL, &jc);
	/* A change from a person's answer is the person's to see, read or not. */
	if (jc.ok && findings_new(&jc, &jb))
		why = "findings";
	else if (answered && (!jc.ok || cls == CLASS_UNKNOWN || cls >= 2))
		why = "change";
	else if (!jc.ok)
		why = "unread";
	if (why == NULL)
		return NULL;
	h = cJSON_CreateObject();
	cJSON_AddNumberToObject(h, "at", (double)x->window);
	cJSON_AddStringToObject(h, "hash", d->cur);
	cJSON_AddStringToObject(h, "base", d->base);
	cJSON_AddStringToObject(h, "why", why);
	/* A finding the rules found is worth a person's review whatever the diff says. */
	cJSON_AddItemToObject(h, "class",
	    review_class_json(strcmp(why, "findings") == 0 ? review_class_worse(cls, 2)
	            : strcmp(why, "unread") == 0           ? review_class_worse(cls, CLASS_UNKNOWN)
	                                                   : cls));
	if (jc.ok && jc.worst >= 2) {
		cJSON_AddStringToObject(h, "worst", review_sev_word[jc.worst]);
		cJSON_AddStringToObject(h, "rules", jc.rules);
	}
	if (!jc.ok) {
		u = d->ucur[0]                      ? d->ucur
		    : strchr(d->texts, 'c') != NULL ? "not_judged"
		                                    : "not_kept";
		cJSON_AddStringToObject(h, "unread", u);
		if ((run = review_runners_agree(x->findings, v, n, x->unread)) != NULL)
			cJSON_AddItemToObject(h, "runners", run);
	}
	return h;
}

/*
 * A hold already there grown by what region's list says now (nw, the hold
 * it would begin): the worse class, the worse findings, the runners'
 * word.  1 when it changed.
 */
int
review_hold_grow(cJSON *h, const cJSON *nw)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(h, "class");
	const cJSON *nc = cJSON_GetObjectItemCaseSensitive(nw, "class");
	int a = cJSON_IsString(c) ? review_class_rank(c->valuestring) : CLASS_UNKNOWN;
	int b = cJSON_IsString(nc) ? review_class_rank(nc->valuestring) : CLASS_UNKNOWN;
	int changed = 0;

	if (review_class_worse(a, b) != a) {
		cJSON_ReplaceItemInObject(h, "class", review_class_json(review_class_worse(a, b)));
		changed = 1;
	}
	if (sev_rank(review_str(nw, "worst")) > sev_rank(review_str(h, "worst")) ||
	    (strcmp(review_str(nw, "worst"), review_str(h, "worst")) == 0 &&
	        strcmp(review_str(nw, "rules"), review_str(h, "rules")) != 0 &&
	        strlen(review_str(nw, "rules")) > strlen(review_str(h, "rules")))) {
		cJSON_DeleteItemFromObject(h, "worst");
		cJSON_DeleteItemFromObject(h, "rules");
		cJSON_AddStringToObject(h, "worst", review_str(nw, "worst"));
		cJSON_AddStringToObject(h, "rules", review_str(nw, "rules"));
		changed = 1;
	}
	if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(nw, "runners")) &&
	    !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(h, "runners"))) {
		cJSON_AddItemToObject(h, "runners",
		    cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(nw, "runners"), 1));
		changed = 1;
	}
	return changed;
}

/* A hold written (begun or grown) for the verdict's write. */
/*
 * 1 when the hold h waits only because the store could not read the list,
 * and nobody was paged for it (the runners agree on nothing): the store's
 * own reading of the list ends it, or makes it a wait for its findings.
 */
int
review_hold_quiet(const cJSON *h)
{
	return strcmp(review_str(h, "why"), "unread") == 0 &&
	    !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(h, "runners"));
}

/* A quiet hold (review_hold_quiet) ended, for the verdict's write. */
void
review_hold_drop(const struct rctx *x, int k, const char *region)
{
	char f[MCP_SLUG_MAX + 8];

	snprintf(f, sizeof(f), "%c:%s", agg_list_letter(k), region);
	review_write_add(x->w, "D", f, "");
}

void
review_hold_write(const struct rctx *x, int k, const char *region, const cJSON *h)
{
	char f[MCP_SLUG_MAX + 8], *s;

	snprintf(f, sizeof(f), "%c:%s", agg_list_letter(k), region);
	if ((s = cJSON_PrintUnformatted(h)) != NULL)
		review_write_add(x->w, "H", f, s);
	cJSON_free(s);
}

/* A hold said in the verdict: its region first, then what it keeps. */
void
review_hold_say(cJSON *a, const char *region, const cJSON *h)
{
	cJSON *o = cJSON_CreateObject(), *rs;
	const cJSON *e;
	char buf[AGG_FINDINGS_RULES], *r, *save = NULL;

	cJSON_AddStringToObject(o, "region", region);
	cJSON_ArrayForEach(e, h)
	{
		if (strcmp(e->string, "rules") == 0 && cJSON_IsString(e)) {
			rs = cJSON_AddArrayToObject(o, "rules");
			snprintf(buf, sizeof(buf), "%s", e->valuestring);
			for (r = strtok_r(buf, ",", &save); r != NULL;
			     r = strtok_r(NULL, ",", &save))
				cJSON_AddItemToArray(rs, cJSON_CreateString(r));
		} else if (strcmp(e->string, "region") != 0) {
			cJSON_AddItemToObject(o, e->string, cJSON_Duplicate(e, 1));
		}
	}
	cJSON_AddItemToArray(a, o);
}

/*
 * A first list held unread that the runners agree is poisoned is paged
 * for: a hold of each region serving it keeps the wait once the store
 * reads the list (the pin is let go when it reads it clean; what was
 * paged for is a person's to end).
 */
static void
held_told(const struct rctx *x, int k, const cJSON *pin, const cJSON *h, const struct lrow *v,
    size_t n, const cJSON *run)
{
	cJSON *o, *old;
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i].hash, review_str(pin, "hash")) != 0)
			continue;
		if ((old = review_hold_of(x, k, v[i].region)) != NULL) {
			cJSON_Delete(old);
			continue;
		}
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "at", (double)x->window);
		cJSON_AddStringToObject(o, "hash", v[i].hash);
		cJSON_AddStringToObject(o, "base", v[i].hash);
		cJSON_AddStringToObject(o, "why", "unread");
		cJSON_AddNullToObject(o, "class");
		cJSON_AddStringToObject(o, "unread", review_str(h, "unread"));
		cJSON_AddItemToObject(o, "runners", cJSON_Duplicate(run, 1));
		review_hold_write(x, k, v[i].region, o);
		cJSON_Delete(o);
	}
}

/*
 * A held first list said (the pin's "held": its worst and rules, or why
 * the store could not read it and what the runners agree on), and the
 * regions serving it.
 */
void
review_held_add(
    const struct rctx *x, int k, cJSON *o, const cJSON *pin, const struct lrow *v, size_t n)
{
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(pin, "held");
	cJSON *y = cJSON_AddObjectToObject(o, "held"), *a, *run;
	char rules[AGG_FINDINGS_RULES], *r, *save = NULL;
	size_t i;

	cJSON_AddNumberToObject(y, "at", review_num(pin, "at"));
	if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(h, "worst")))
		cJSON_AddStringToObject(y, "worst", review_str(h, "worst"));
	else
		cJSON_AddNullToObject(y, "worst");
	a = cJSON_AddArrayToObject(y, "rules");
	snprintf(rules, sizeof(rules), "%s", review_str(h, "rules"));
	for (r = strtok_r(rules, ",", &save); r != NULL; r = strtok_r(NULL, ",", &save))
		if (strcmp(r, "-") != 0)
			cJSON_AddItemToArray(a, cJSON_CreateString(r));
	a = cJSON_AddArrayToObject(y, "regions");
	for (i = 0; i < n; i++)
		if (strcmp(v[i].hash, review_str(pin, "hash")) == 0)
			review_name_add(a, v[i].region);
	if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(h, "unread"))) {
		cJSON_AddStringToObject(y, "unread", review_str(h, "unread"));
		if ((run = review_runners_agree(x->findings, v, n, x->unread)) != NULL) {
			cJSON_AddItemToObject(y, "runners", run);
			held_told(x, k, pin, h, v, n, run);
		}
	}
}
/* The writes into the command h (owned copies): none when w holds nothing. */
void
review_write_cmd(struct rwrite *w, const char *slug, struct agg_hcmd *h)
{
	char kh[MCP_SLUG_MAX + 64], kr[MCP_SLUG_MAX + 64], ttl[16];
	const char *argv[6 + 3 * (2 * DIFF_MAX)];
	size_t len[6 + 3 * (2 * DIFF_MAX)], i, n = 0;

	memset(h, 0, sizeof(*h));
	if (w->n == 0)
		return;
	agg_key(kh, sizeof(kh), slug, "hold", -1);
	agg_key(kr, sizeof(kr), slug, "rvc", -1);
	snprintf(ttl, sizeof(ttl), "%d", AGG_TTL_LONG);
	argv[n++] = "EVAL", argv[n++] = write_lua, argv[n++] = "2";
	argv[n++] = kh, argv[n++] = kr, argv[n++] = ttl;
	for (i = 0; i < w->n; i++)
		argv[n++] = w->argv[i];
	for (i = 0; i < n; i++)
		len[i] = strlen(argv[i]);
	if ((h->argv = calloc(n, sizeof(*h->argv))) == NULL ||
	    (h->len = calloc(n, sizeof(*h->len))) == NULL) {
		agg_hcmd_free(h);
		return;
	}
	for (i = 0; i < n; i++, h->argc++) {
		if ((h->argv[i] = strdup(argv[i])) == NULL) {
			agg_hcmd_free(h);
			return;
		}
		h->len[i] = len[i];
	}
}
