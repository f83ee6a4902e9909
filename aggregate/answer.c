/*
 * answer.c - the lines of a body the ingest took (ingest.c), a chunk of
 * CHUNK at a time: parsed, vetted (a slug the fleet knows, a start not a
 * day old), handed to push, stored in one flush, and answered in order,
 * one line of the answer for each line of the body that is not blank:
 *
 *     {"line":9,"status":"stored"}
 *     {"line":12,"status":"stored","lack":{"tools":"sha256:..."}}
 *     {"line":27,"status":"refused","reason":"..."}
 *
 * then {"done":true,...} with the counts.  A line push never told the
 * fate of cannot be: each result's is told by its flush.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "lists.h"
#include "loop.h"

#define CHUNK AGG_BATCH /* lines checked, stored and answered at a time */

/* The fates of one chunk of lines, told by push and by the checks here. */
struct fates {
	long first;                   /* the line of entry 0 */
	signed char f[CHUNK];         /* enum agg_fate, or -1: a blank line */
	char why[CHUNK][AGG_WHY_MAX]; /* of a refused or later line */
	long count[AGG_CONFLICT + 1]; /* of the whole body */
	/* The lists the store lacks and no line sent, by kind: its hash, or "". */
	char lack[CHUNK][AGG_LIST_KINDS][MCP_HASH_LEN];
	char slug[CHUNK][MCP_SLUG_MAX + 1]; /* of a line with a lack */
	int lists_ok;                       /* the lists of the body within their budget */
};

static const char *const fate_name[] = {
    "stored", "duplicate", "checked", "refused", "later", "conflict"};

static void
on_fate(void *arg, long lineno, enum agg_fate f, const char *why)
{
	struct fates *fs = arg;
	long i = lineno - fs->first;

	if (i < 0 || i >= CHUNK)
		return;
	fs->f[i] = (signed char)f;
	if (why != NULL)
		snprintf(fs->why[i], sizeof(fs->why[i]), "%s", why);
}

static void
on_lack(void *arg, long lineno, const char *slug, int kind, const char *hash)
{
	struct fates *fs = arg;
	long i = lineno - fs->first;

	if (i < 0 || i >= CHUNK || kind < 0 || kind >= AGG_LIST_KINDS ||
	    strlen(hash) >= MCP_HASH_LEN)
		return;
	memcpy(fs->lack[i][kind], hash, strlen(hash) + 1);
	snprintf(fs->slug[i], sizeof(fs->slug[i]), "%s", slug);
}

/* ,"lack":{"tools":"sha256:..."} of line i, when the store lacks a list of its result. */
static int
put_lack(struct mcp_buf *b, char (*lack)[MCP_HASH_LEN])
{
	int k, rc = 0, n = 0;

	for (k = 0; k < AGG_LIST_KINDS; k++) {
		if (lack[k][0] == '\0')
			continue;
		rc |= mcp_buf_adds(b, n++ == 0 ? ",\"lack\":{\"" : ",\"");
		rc |= mcp_buf_adds(b, agg_list_word(k));
		rc |= mcp_buf_adds(b, "\":\"");
		rc |= mcp_buf_adds(b, lack[k]);
		rc |= mcp_buf_addc(b, '"');
	}
	return n > 0 ? rc | mcp_buf_addc(b, '}') : rc;
}

/*
 * What the answer of the chunk says the store lacks, kept for the region
 * ING_LACK_TTL seconds (ING_LACK_KEY): a list sent on its own is taken
 * only when it is one of those (inglists.c).  One round trip.
 */
static void
lack_keep(struct ing_conn *c, const char *region, struct fates *fs, size_t k)
{
	char key[MCP_SLUG_MAX + 32], m[MCP_SLUG_MAX + 80], err[256];
	long long now = (long long)mcp_now();
	redisReply *r;
	size_t i, n = 0;
	int j;

	snprintf(key, sizeof(key), "%s%s", ING_LACK_KEY, region);
	for (i = 0; i < k; i++)
		for (j = 0; j < AGG_LIST_KINDS; j++) {
			if (fs->lack[i][j][0] == '\0' || agg_list_hex(fs->lack[i][j]) == NULL)
				continue;
			snprintf(m, sizeof(m), "%s %c:%s", fs->slug[i], agg_list_letter(j),
			    agg_list_hex(fs->lack[i][j]));
			mcp_store_appendf(c->st, "ZADD %s %lld %s", key, now, m);
			n++;
		}
	if (n == 0)
		return;
	mcp_store_appendf(c->st, "ZREMRANGEBYSCORE %s -inf (%lld", key, now - ING_LACK_TTL);
	mcp_store_appendf(c->st, "ZREMRANGEBYRANK %s 0 %d", key, -ING_LACK_MAX - 1);
	mcp_store_appendf(c->st, "EXPIRE %s %d", key, ING_LACK_TTL);
	for (n += 3; n > 0 && mcp_store_read(c->st, &r, 1, err, sizeof(err)) == 0; n--)
		freeReplyObject(r);
}

/* {"line":N,"status":"S" into b, without printf: a line of the answer per line of the body. */
static int
put_line(struct mcp_buf *b, long line, const char *status)
{
	char num[24], *p = num + sizeof(num);
	unsigned long v = (unsigned long)line;

	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	return mcp_buf_add(b, "{\"line\":", 8) |
	    mcp_buf_add(b, p, (size_t)(num + sizeof(num) - p)) |
	    mcp_buf_add(b, ",\"status\":\"", 11) | mcp_buf_adds(b, status) | mcp_buf_addc(b, '"');
}

/* The answer's lines of the chunk, in order; a result push never told of: later. */
static int
emit(struct fates *fs, size_t k, struct mcp_buf *b)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < k; i++) {
		if (fs->f[i] < 0)
			continue;
		fs->count[fs->f[i]]++;
		rc |= put_line(b, fs->first + (long)i, fate_name[fs->f[i]]);
		if (fs->f[i] == AGG_REFUSED || fs->f[i] == AGG_LATER || fs->f[i] == AGG_CONFLICT) {
			rc |= mcp_buf_adds(b, ",\"reason\":");
			rc |= mcp_json_string(b, fs->why[i]);
		}
		if (fs->f[i] == AGG_STORED || fs->f[i] == AGG_DUPLICATE)
			rc |= put_lack(b, fs->lack[i]);
		rc |= mcp_buf_adds(b, "}\n");
	}
	return rc;
}

/* 1 when rec is a result record (the ingest vets those before push takes them). */
static int
is_result(const cJSON *rec)
{
	const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "type"));

	return t != NULL && strcmp(t, "result") == 0;
}

/*
 * Parse the lines of the chunk starting at *p: a result into rec, any
 * other record handed to push at once (checked, or refused: nothing of
 * it is stored), a line that is not a record refused (rec NULL for
 * those); the count of lines taken.
 */
static size_t
parse_chunk(char **p, char *end, cJSON **rec, struct fates *fs, struct agg_push *a)
{
	const char *why;
	size_t k, bytes;
	char *nl;
	size_t n;

	/*
	 * A chunk ends at CHUNK lines or ING_CHUNK_BYTES of them: what a
	 * chunk holds parsed at once (a parsed line takes some 40 times its
	 * bytes) is bounded whatever the lines are made of.
	 */
	for (k = 0, bytes = 0; k < CHUNK && *p < end && bytes < ING_CHUNK_BYTES; k++) {
		nl = memchr(*p, '\n', (size_t)(end - *p));
		n = nl != NULL ? (size_t)(nl - *p) : (size_t)(end - *p);
		rec[k] = NULL;
		fs->f[k] = -1;
		memset(fs->lack[k], 0, sizeof(fs->lack[k]));
		if (!fs->lists_ok && ing_list_line(*p, n)) {
			fs->f[k] = AGG_CHECKED; /* its lists over the budget: unread, not kept */
		} else if (n > ING_LINE_MAX) {
			fs->f[k] = AGG_REFUSED;
			snprintf(fs->why[k], sizeof(fs->why[k]), "line too long (over %d bytes)",
			    ING_LINE_MAX);
		} else {
			bytes += n;
			(*p)[n] = '\0';
			if (mcp_loop_parse(*p, n, &rec[k], &why) == -1)
				on_fate(fs, fs->first + (long)k, AGG_REFUSED, why);
			else if (rec[k] != NULL && !is_result(rec[k])) {
				agg_push_record(a, rec[k], fs->first + (long)k);
				cJSON_Delete(rec[k]);
				rec[k] = NULL;
			}
		}
		*p = nl != NULL ? nl + 1 : end;
	}
	return k;
}

/*
 * A start whose window begins within ING_CLOCK seconds of the ingest's
 * clock: answered later (the reason into why), for the runner's clock may
 * be that much ahead; push refuses a window further ahead (audit.h).
 */
static int
soon(const cJSON *v, double now, char *why)
{
	double w;

	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble <= AGG_TIME_MAX))
		return 0;
	w = (double)agg_window(v->valuedouble);
	if (!(w > now && w <= now + ING_CLOCK))
		return 0;
	snprintf(why, AGG_WHY_MAX,
	    "its window begins in %.0f s on the ingest's clock: send it again then", w - now);
	return 1;
}

/*
 * What the ingest refuses beyond push: a result of a slug the fleet does
 * not know, or started more than 25 hours before the ingest's clock.
 * The fate of a record refused here is told, and the record dropped.
 */
static void
vet_chunk(struct ing_conn *c, const char *overrides, cJSON **rec, size_t k, struct fates *fs)
{
	int known[CHUNK];
	const cJSON *v;
	char q[MCP_QUOTED_MAX], t[32], err[512], *why;
	double now = mcp_now();
	size_t i;
	int rc = ing_known(c, overrides, rec, k, known, err, sizeof(err));

	if (rc == -1)
		ing_log(c, "%s%s", strncmp(err, "the ingest's", 12) == 0 ? "" : "redis: ", err);
	for (i = 0; i < k; i++) {
		if (rec[i] == NULL || known[i] == -1)
			continue;
		why = fs->why[i];
		v = cJSON_GetObjectItemCaseSensitive(rec[i], "probe_started_at");
		if (rc == -1) {
			fs->f[i] = AGG_LATER;
			snprintf(why, AGG_WHY_MAX, "%s",
			    strncmp(err, "the ingest's", 12) == 0
			        ? "the ingest's targets are misconfigured (its log says why)"
			        : "store unavailable");
		} else if (known[i] == 2) {
			fs->f[i] = AGG_LATER;
			snprintf(why, AGG_WHY_MAX,
			    "slug not among the fleet's targets as read %d s ago at most: send it "
			    "again",
			    ING_KNOWN_FRESH);
		} else if (known[i] == 0) {
			fs->f[i] = AGG_REFUSED;
			snprintf(why, AGG_WHY_MAX,
			    "bad slug %s: not a target of the fleet (none of those GET /targets "
			    "serves: the registry's probed servers and the ingest's overrides "
			    "file)",
			    mcp_json_quoted(q, sizeof(q),
			        cJSON_GetStringValue(
			            cJSON_GetObjectItemCaseSensitive(rec[i], "slug"))));
		} else if (soon(v, now, why)) {
			fs->f[i] = AGG_LATER;
		} else if (cJSON_IsNumber(v) && v->valuedouble >= 0 &&
		    v->valuedouble < now - AGG_TTL_SHORT) {
			fs->f[i] = AGG_REFUSED;
			snprintf(why, AGG_WHY_MAX,
			    "probe_started_at %s is more than %d hours behind the ingest's clock",
			    mcp_json_num_text(t, sizeof(t), v->valuedouble),
			    AGG_TTL_SHORT / AGG_HOUR);
		} else {
			continue;
		}
		cJSON_Delete(rec[i]);
		rec[i] = NULL;
	}
}

/*
 * Every line answered later for one reason (the runner's clock): nothing
 * of it stored, and nothing lost, for either clock may be the wrong one;
 * the runner keeps the lines in its spool until the two agree.
 */
static void
later_all(char *p, char *end, const char *why, struct ing_resp *r, struct fates *fs)
{
	long lineno = 0;
	char *nl;

	for (; p < end; p = nl != NULL ? nl + 1 : end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		lineno++;
		if (strspn(p, " \t\r") >= (size_t)((nl != NULL ? nl : end) - p))
			continue;
		fs->count[AGG_LATER]++;
		mcp_buf_addf(&r->body, "{\"line\":%ld,\"status\":\"later\",\"reason\":", lineno);
		mcp_json_string(&r->body, why);
		mcp_buf_adds(&r->body, "}\n");
	}
}

/*
 * Forget the slugs silent for 30 days, as each push does at its end: once
 * in 5 minutes for the whole fleet, whichever request comes
 * first (a runner's push --to trims nothing: it has no store).
 */
static void
trim(struct ing_conn *c, struct agg_push *a)
{
	const char *argv[] = {"SET", "mcp:ingest:trim", "1", "NX", "EX", "300"};
	char err[256];
	redisReply *r = mcp_store_cmd(c->st, 6, argv, err, sizeof(err));

	if (r != NULL && r->type == REDIS_REPLY_STATUS)
		agg_push_trim(a);
	freeReplyObject(r);
}

/*
 * The lines of the body, a chunk at a time: parsed, vetted, handed to
 * push, stored in one flush, answered in order.
 */
static void
store_lines(struct ing_conn *c, const char *overrides, const char *region, char *p, char *end,
    struct fates *fs, struct ing_resp *r)
{
	cJSON *rec[CHUNK];
	struct agg_push *a;
	char err[512];
	size_t i, k;
	long lineno = 0;

	if ((a = agg_push_open(
	         c->st, region, "the token's region ", on_fate, fs, err, sizeof(err))) == NULL) {
		ing_log(c, "redis: %s", err);
		ing_drop_store(c);
		ing_fail(r, 503, "store unavailable");
		r->retry_after = 30;
		return;
	}
	agg_push_token(a, c->token_id);
	agg_push_lacks(a, on_lack, fs);
	while (p < end) {
		fs->first = lineno + 1;
		k = parse_chunk(&p, end, rec, fs, a);
		lineno += (long)k;
		vet_chunk(c, overrides, rec, k, fs);
		for (i = 0; i < k; i++) {
			if (rec[i] != NULL)
				agg_push_record(a, rec[i], fs->first + (long)i);
			cJSON_Delete(rec[i]);
		}
		agg_push_flush(a);
		if (agg_push_up(a))
			lack_keep(c, region, fs, k);
		if (emit(fs, k, &r->body) != 0) {
			ing_fail(r, 500, "out of memory");
			break;
		}
	}
	if (agg_push_up(a))
		trim(c, a);
	else
		ing_drop_store(c);
	agg_push_close(a);
}

void
ing_answer(struct ing_conn *c, const char *overrides, const char *region, char *p, size_t n,
    long lines, const char *clock_why, int lists_ok, struct ing_resp *r)
{
	struct fates *fs;

	if ((fs = calloc(1, sizeof(*fs))) == NULL) {
		ing_fail(r, 500, "out of memory");
		return;
	}
	fs->lists_ok = lists_ok;
	r->status = 200;
	r->ctype = "application/jsonl; charset=utf-8";
	if (p != NULL && clock_why != NULL)
		later_all(p, p + n, clock_why, r, fs);
	else if (p != NULL)
		store_lines(c, overrides, region, p, p + n, fs, r);
	if (r->status == 200 &&
	    mcp_buf_addf(&r->body,
	        "{\"done\":true,\"lines\":%ld,\"stored\":%ld,\"duplicate\":%ld,\"checked\":%ld,"
	        "\"refused\":%ld,\"later\":%ld,\"conflict\":%ld}\n",
	        lines, fs->count[AGG_STORED], fs->count[AGG_DUPLICATE], fs->count[AGG_CHECKED],
	        fs->count[AGG_REFUSED], fs->count[AGG_LATER], fs->count[AGG_CONFLICT]) != 0)
		ing_fail(r, 500, "out of memory");
	free(fs);
}
