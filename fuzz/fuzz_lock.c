/*
 * fuzz_lock.c - the lockfile's reader (toolset/lock.c, mcp_lock_parse):
 * what mcp-guardrail --lock, mcp-probe --lock and mcp-aggregate tools
 * --check read from a repository, any text.
 *
 * What is checked:
 *  - a lock refused says why and leaves nothing held; one read has as
 *    many lines as items in each entry, each after its entry's line;
 *  - a lock read, written again entry by entry (mcp_lock_head,
 *    mcp_lock_put), reads again to the same entries: slug, region, kind,
 *    hash and count;
 *  - the probe's posture of an entry's own hash is "matches" (or "held",
 *    for an entry the check holds) where that entry is the one found for
 *    its slug, kind and region, and "differs" for a hash no entry has;
 *  - checked against what it locks, served from each entry's region (a
 *    region of its own for the entries of every region), the lock passes,
 *    and the report turns into SARIF.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include "fuzz.h"
#include "../lib/json.h"
#include "../lib/mcp.h"
#include "../toolset/toolset.h"

/* The region served for entries of every region; the lock may name it too. */
#define ANY_REGION "zz-fuzz-any"

static const char *const kinds[] = {"tools", "resources", "prompts"};

FUZZ_INIT_QUIET

/* The first entry of lk with e's slug, kind and region. */
static const struct mcp_lock_ent *
first_of(const struct mcp_lock *lk, const struct mcp_lock_ent *e)
{
	size_t i;

	for (i = 0; i < lk->n; i++)
		if (strcmp(lk->v[i].slug, e->slug) == 0 && lk->v[i].kind == e->kind &&
		    strcmp(lk->v[i].region, e->region) == 0)
			return &lk->v[i];
	return e;
}

/* lk written again, as mcp-aggregate writes a lock; -1 when an entry cannot be. */
static int
rewrite(const struct mcp_lock *lk, struct mcp_buf *out)
{
	static const char *const made[] = {"slug", "kind", "hash", "count"};
	char err[160];
	size_t i, j;
	cJSON *meta;
	int rc = 0;

	if (mcp_lock_head(out, "2026-11-27T00:00:00Z", "fuzz", err, sizeof(err)) == -1)
		return -1;
	for (i = 0; rc == 0 && i < lk->n; i++) {
		/* What mcp_lock_put adds itself is taken out of the entry's line. */
		FUZZ_CHECK((meta = cJSON_Duplicate(lk->v[i].meta, 1)) != NULL);
		for (j = 0; j < sizeof(made) / sizeof(made[0]); j++)
			cJSON_DeleteItemFromObjectCaseSensitive(meta, made[j]);
		rc = mcp_lock_put(
		    out, lk->v[i].slug, lk->v[i].kind, meta, lk->v[i].list, err, sizeof(err));
		cJSON_Delete(meta);
	}
	return rc;
}

static void
check_again(const struct mcp_lock *lk)
{
	struct mcp_buf b = {0};
	struct mcp_lock again;
	char err[160];
	size_t i;

	/* An entry's other members may be JSON the canonical writer refuses. */
	if (rewrite(lk, &b) == 0) {
		FUZZ_CHECK(mcp_lock_parse(b.p, b.len, &again, err, sizeof(err)) == 0);
		FUZZ_CHECK(again.n == lk->n);
		for (i = 0; i < lk->n; i++) {
			FUZZ_CHECK(strcmp(again.v[i].slug, lk->v[i].slug) == 0);
			FUZZ_CHECK(strcmp(again.v[i].region, lk->v[i].region) == 0);
			FUZZ_CHECK(again.v[i].kind == lk->v[i].kind);
			FUZZ_CHECK(strcmp(again.v[i].hash, lk->v[i].hash) == 0);
			FUZZ_CHECK(again.v[i].nitems == lk->v[i].nitems);
		}
		mcp_lock_free(&again);
	}
	mcp_buf_free(&b);
}

static void
check_posture(const struct mcp_lock *lk)
{
	const char *hash[3];
	const char *none =
	    "sha256:0000000000000000000000000000000000000000000000000000000000000000";
	const struct mcp_lock_ent *e;
	const char *st;
	cJSON *differ;
	size_t i, k;

	for (k = 0; k < 3; k++)
		hash[k] = none;
	for (i = 0; i < lk->n && strcmp(lk->v[i].slug, "zz-fuzz-none") != 0; i++)
		;
	if (i == lk->n)
		FUZZ_CHECK(strcmp(mcp_lock_posture(lk, "zz-fuzz-none", "", hash, NULL),
		               "not_locked") == 0);
	for (i = 0; i < lk->n; i++) {
		e = &lk->v[i];
		for (k = 0; k < 3; k++)
			hash[k] = NULL;
		hash[e->kind] = e->hash;
		FUZZ_CHECK((differ = cJSON_CreateArray()) != NULL);
		st = mcp_lock_posture(lk, e->slug, e->region, hash, differ);
		if (strcmp(first_of(lk, e)->hash, e->hash) == 0)
			FUZZ_CHECK((strcmp(st, "matches") == 0 || strcmp(st, "held") == 0) &&
			    cJSON_GetArraySize(differ) == 0);
		hash[e->kind] = none;
		if (strcmp(e->hash, none) != 0 && strcmp(first_of(lk, e)->hash, none) != 0) {
			st = mcp_lock_posture(lk, e->slug, e->region, hash, differ);
			FUZZ_CHECK(strcmp(st, "differs") == 0);
			FUZZ_CHECK(strcmp(cJSON_GetStringValue(cJSON_GetArrayItem(
			                      differ, cJSON_GetArraySize(differ) - 1)),
			               kinds[e->kind]) == 0);
		}
		cJSON_Delete(differ);
	}
}

/* What each entry locks, served from its region: {slug: {"regions", "lists"}}. */
static cJSON *
served_of(const struct mcp_lock *lk)
{
	cJSON *served = cJSON_CreateObject(), *ans, *g, *lists;
	const struct mcp_lock_ent *e;
	size_t i;

	for (i = 0; i < lk->n; i++) {
		e = &lk->v[i];
		if (first_of(lk, e) != e)
			continue;
		if ((ans = cJSON_GetObjectItemCaseSensitive(served, e->slug)) == NULL) {
			ans = cJSON_AddObjectToObject(served, e->slug);
			cJSON_AddArrayToObject(ans, "regions");
			cJSON_AddObjectToObject(ans, "lists");
		}
		g = cJSON_CreateObject();
		cJSON_AddStringToObject(g, "region", e->region[0] != '\0' ? e->region : ANY_REGION);
		cJSON_AddStringToObject(g, "kind", kinds[e->kind]);
		cJSON_AddStringToObject(g, "hash", e->hash);
		cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(ans, "regions"), g);
		lists = cJSON_GetObjectItemCaseSensitive(ans, "lists");
		if (!cJSON_HasObjectItem(lists, e->hash))
			cJSON_AddItemToObject(lists, e->hash, cJSON_Duplicate(e->list, 1));
	}
	return served;
}

static void
check_served(const struct mcp_lock *lk)
{
	cJSON *served, *rep, *sarif;
	char err[160];
	size_t i;

	/* The lock's own entries for the stand-in region would be found first. */
	for (i = 0; i < lk->n; i++)
		if (strcmp(lk->v[i].region, ANY_REGION) == 0)
			return;
	served = served_of(lk);
	FUZZ_CHECK((rep = mcp_lock_check(lk, served, err, sizeof(err))) != NULL);
	/*
	 * The lists a lock names pass it, but for an entry no person approved
	 * by name whose own text the rules judge high or medium: held, and
	 * nothing else then keeps it from passing.
	 */
	if (strcmp(mcp_json_str(rep, "state", ""), "held") == 0) {
		const cJSON *r;

		cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(rep, "results"))
		    FUZZ_CHECK(strcmp(mcp_json_str(r, "state", ""), "matches") == 0 ||
		        strcmp(mcp_json_str(r, "state", ""), "held") == 0);
	} else {
		FUZZ_CHECK(strcmp(mcp_json_str(rep, "state", ""), "passes") == 0);
	}
	FUZZ_CHECK((sarif = mcp_sarif_lock(rep, "mcp.lock", "0.1.0")) != NULL);
	cJSON_Delete(sarif);
	cJSON_Delete(rep);
	cJSON_Delete(served);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mcp_lock lk;
	char err[160];
	size_t i, j;

	err[0] = '\0';
	if (mcp_lock_parse((const char *)data, size, &lk, err, sizeof(err)) == -1) {
		FUZZ_CHECK(err[0] != '\0' && lk.n == 0 && lk.v == NULL);
		return 0;
	}
	for (i = 0; i < lk.n; i++) {
		FUZZ_CHECK((size_t)cJSON_GetArraySize(lk.v[i].list) == lk.v[i].nitems);
		for (j = 0; j < lk.v[i].nitems; j++)
			FUZZ_CHECK(lk.v[i].lines[j] > lk.v[i].line);
	}
	check_again(&lk);
	check_posture(&lk);
	check_served(&lk);
	mcp_lock_free(&lk);
	return 0;
}
