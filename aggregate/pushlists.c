/*
 * pushlists.c - push's side of the lists (lists.h): the lists of a
 * tools_list step wait for their probe's result, which takes them when
 * they hash to what it carries; a batch sends the text of the lists the
 * store lacks in a second round trip.  Bounded: AGG_LIST_WAIT waiting,
 * AGG_LIST_HELD bytes held in all.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "push.h"
#include "toolset.h"

/* The string k of rec (checked before), or NULL. */
static const char *
sv(const cJSON *rec, const char *k)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, k));
}

/* A waiting list let go: its bytes are no longer held. */
static void
wait_drop(struct pctx *p, struct lwait *w)
{
	p->held -= w->text.len;
	mcp_buf_free(&w->text);
	w->seq = 0;
}

/* A free place for a waiting list: the oldest one's when all are taken. */
static struct lwait *
wait_slot(struct pctx *p)
{
	struct lwait *old = &p->wait[0];
	size_t i;

	for (i = 0; i < AGG_LIST_WAIT; i++) {
		if (p->wait[i].seq == 0)
			return &p->wait[i];
		if (p->wait[i].seq < old->seq)
			old = &p->wait[i];
	}
	wait_drop(p, old);
	return old;
}

/*
 * Room for n more bytes of lists under AGG_LIST_HELD: the batch goes out
 * first (its results' lists with it), then the oldest waiting lists go.
 */
static void
make_room(struct pctx *p, size_t n)
{
	size_t i;

	if (p->held + n > AGG_LIST_HELD && p->n > 0)
		push_flush_batch(p);
	while (p->held + n > AGG_LIST_HELD) {
		for (i = 0; i < AGG_LIST_WAIT && p->wait[i].seq == 0; i++)
			;
		if (i == AGG_LIST_WAIT)
			return;
		wait_drop(p, wait_slot(p));
	}
}

/*
 * A list of the step rec too large to carry waits, without its text, for
 * its result: the store then says why it could not read it (u:HEX).
 */
static void
wait_omitted(struct pctx *p, const cJSON *rec, const char *id, int k)
{
	struct lwait *w = wait_slot(p);

	snprintf(w->id, sizeof(w->id), "%s", id);
	snprintf(w->slug, sizeof(w->slug), "%s", sv(rec, "slug"));
	snprintf(w->region, sizeof(w->region), "%s", sv(rec, "region"));
	w->hash[0] = '\0';
	w->kind = k;
	w->omitted = 1;
	w->seq = ++p->wseq;
}

/*
 * The lists of a tools_list step (detail.tools, resources, prompts), in
 * their canonical text, wait for the result of their probe (same
 * probe_id, slug and region): 0, or -1 when the step is refused (why): a
 * list that is not I-JSON, or longer than AGG_LIST_BYTES.  A list the
 * probe left out as too large ("tools_omitted") waits without its text.
 */
int
push_lists_step(struct pctx *p, const cJSON *rec, char *why, size_t len)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(rec, "detail"), *a;
	const char *id = sv(rec, "probe_id"), *step = sv(rec, "step");
	struct mcp_buf t = {0};
	char h[MCP_HASH_LEN], err[128];
	struct lwait *w;
	int k;

	if (step == NULL || strcmp(step, "tools_list") != 0 || !cJSON_IsObject(d) || id == NULL ||
	    strlen(id) >= sizeof(w->id))
		return 0;
	for (k = 0; k < AGG_LIST_KINDS; k++) {
		a = cJSON_GetObjectItemCaseSensitive(d, agg_list_word(k));
		snprintf(err, sizeof(err), "%s_omitted", agg_list_word(k));
		if (!cJSON_IsArray(a) && cJSON_GetObjectItemCaseSensitive(d, err) != NULL)
			wait_omitted(p, rec, id, k);
		if (!cJSON_IsArray(a))
			continue;
		if (agg_list_canon(k, a, &t, h, err, sizeof(err)) == -1 || t.len > AGG_LIST_BYTES) {
			if (t.len > AGG_LIST_BYTES)
				wait_omitted(p, rec, id, k);
			if (t.len > AGG_LIST_BYTES)
				snprintf(why, len,
				    "detail.%s: a list of %zu bytes (canonical JSON): push keeps "
				    "lists of at most %d bytes",
				    agg_list_word(k), t.len, AGG_LIST_BYTES);
			else
				snprintf(why, len, "detail.%s: %s", agg_list_word(k), err);
			mcp_buf_free(&t);
			return -1;
		}
		make_room(p, t.len);
		w = wait_slot(p);
		snprintf(w->id, sizeof(w->id), "%s", id);
		snprintf(w->slug, sizeof(w->slug), "%s", sv(rec, "slug"));
		snprintf(w->region, sizeof(w->region), "%s", sv(rec, "region"));
		snprintf(w->hash, sizeof(w->hash), "%s", h);
		w->kind = k;
		w->omitted = 0;
		w->text = t;
		memset(&t, 0, sizeof(t));
		p->held += w->text.len;
		w->seq = ++p->wseq;
	}
	return 0;
}

/*
 * The result q (rec) takes its probe's waiting lists when each hashes to
 * the hash the result carries; one that does not is let go, and said.
 */
void
push_lists_claim(struct pctx *p, struct pending *q, const cJSON *rec, long lineno)
{
	static const char *const field[] = {"tool_hash", "resource_hash", "prompt_hash"};
	const char *id = sv(rec, "probe_id"), *h;
	struct lwait *w;
	size_t i;
	int k;

	q->lmiss = q->lsent = q->lomit = 0;
	for (k = 0; k < AGG_LIST_KINDS; k++) {
		p->held -= q->lt[k].len; /* a refused record's, in this place before */
		mcp_buf_free(&q->lt[k]);
		h = sv(rec, field[k]);
		snprintf(q->lh[k], sizeof(q->lh[k]), "%s", agg_list_hex(h) != NULL ? h : "");
	}
	for (i = 0; id != NULL && i < AGG_LIST_WAIT; i++) {
		w = &p->wait[i];
		if (w->seq == 0 || strcmp(w->id, id) != 0 || strcmp(w->slug, q->slug) != 0 ||
		    strcmp(w->region, q->region) != 0)
			continue;
		k = w->kind;
		if (w->omitted) {
			q->lomit |= 1 << k;
			wait_drop(p, w);
			continue;
		}
		if (strcmp(w->hash, q->lh[k]) == 0 && q->lt[k].len == 0) {
			q->lt[k] = w->text; /* its bytes still held, by q now */
			memset(&w->text, 0, sizeof(w->text));
			w->seq = 0;
			continue;
		}
		p->lists_unmatched++;
		if (p->fate == NULL)
			warnx("%s:%ld: the %s of its tools_list step hash to %s, not to the "
			      "result's %s: not kept",
			    p->name, lineno, agg_list_word(k), w->hash,
			    q->lh[k][0] != '\0' ? q->lh[k] : "(none)");
		wait_drop(p, w);
	}
}

/* Every list push holds let go, at its end. */
void
push_lists_free(struct pctx *p)
{
	size_t i;

	for (i = 0; i < AGG_LIST_WAIT; i++)
		if (p->wait[i].seq != 0)
			wait_drop(p, &p->wait[i]);
	for (i = 0; i < AGG_BATCH; i++) {
		int k;

		for (k = 0; k < AGG_LIST_KINDS; k++)
			mcp_buf_free(&p->b[i].lt[k]);
	}
}

/* The lists of the batch let go once it is sent. */
void
push_lists_release(struct pctx *p)
{
	size_t i;
	int k;

	for (i = 0; i < p->n; i++)
		for (k = 0; k < AGG_LIST_KINDS; k++) {
			p->held -= p->b[i].lt[k].len;
			mcp_buf_free(&p->b[i].lt[k]);
		}
}

/* 1 when a result before i in the batch sends the same list of its slug. */
static int
sent_before(const struct pctx *p, size_t i, int k)
{
	size_t j;

	for (j = 0; j < i; j++)
		if ((p->b[j].lsent & (1 << k)) && strcmp(p->b[j].lh[k], p->b[i].lh[k]) == 0 &&
		    strcmp(p->b[j].slug, p->b[i].slug) == 0)
			return 1;
	return 0;
}

/*
 * The findings of a list's text (n bytes of canonical JSON, of kind k),
 * as the rules read it here (mcp-rules(7)): "COUNT WORST RULES" into
 * value, those named in full (JSON, checked and cut as a result's are)
 * into first.  Judged where the list is stored, once a list, so that no
 * runner decides them for the others (findings.c).
 */
static void
judge(int k, const char *text, size_t n, char *value, size_t vlen, struct agg_findings *f)
{
	cJSON *a = cJSON_ParseWithLength(text, n), *rec = cJSON_CreateObject(), *sum = NULL;
	struct mcp_scan s = {0};
	char err[128];

	memset(f, 0, sizeof(*f));
	snprintf(f->worst, sizeof(f->worst), "none");
	if (mcp_scan_list(&s, (enum mcp_list_kind)k, a) == 0 && rec != NULL &&
	    (sum = mcp_scan_summary(&s, 3)) != NULL) {
		cJSON_AddItemToObject(rec, "findings", sum);
		if (agg_findings_check(rec, f, err, sizeof(err)) == -1)
			snprintf(f->worst, sizeof(f->worst), "none");
	}
	snprintf(value, vlen, "%ld %s %s", f->count, f->worst, f->rules[0] ? f->rules : "-");
	mcp_scan_free(&s);
	cJSON_Delete(rec);
	cJSON_Delete(a);
}

void
agg_list_put_append(struct mcp_store *st, const char *sha, const char *slug, int kind,
    const char *hash, const char *text, size_t n)
{
	char lsi[MCP_SLUG_MAX + 64], key[MCP_SLUG_MAX + 160], pre[MCP_SLUG_MAX + 64], m[80];
	char now[24], ttl[16], maxn[16], maxb[16], lf[MCP_SLUG_MAX + 64];
	char value[64 + AGG_FINDINGS_RULES];
	struct agg_findings f;
	const char *argv[15];
	size_t len[15];
	int j;

	judge(kind, text, n, value, sizeof(value), &f);
	snprintf(now, sizeof(now), "%lld", (long long)mcp_now());
	snprintf(ttl, sizeof(ttl), "%d", AGG_TTL_LONG);
	snprintf(maxn, sizeof(maxn), "%d", AGG_LIST_SLUG_MAX);
	snprintf(maxb, sizeof(maxb), "%d", AGG_LIST_SLUG_BYTES);
	agg_key(lsi, sizeof(lsi), slug, "lsi", -1);
	agg_key(lf, sizeof(lf), slug, "lf", -1);
	agg_key(pre, sizeof(pre), slug, "", -1);
	snprintf(key, sizeof(key), "%sls:%s", pre, agg_list_hex(hash));
	snprintf(m, sizeof(m), "%c:%s", agg_list_letter(kind), agg_list_hex(hash));
	argv[0] = "EVALSHA", argv[1] = sha, argv[2] = "3", argv[3] = lsi;
	argv[4] = key, argv[5] = lf, argv[6] = m, argv[7] = now, argv[8] = text;
	argv[9] = ttl, argv[10] = pre, argv[11] = maxn, argv[12] = maxb;
	argv[13] = value, argv[14] = f.first;
	for (j = 0; j < 15; j++)
		len[j] = strlen(argv[j]);
	len[8] = n;
	mcp_store_appendv(st, 15, argv, len);
}

/*
 * The second round trip of a batch: the text of each list the store
 * lacks, for a result stored or a duplicate (agg_lists_put_lua).  A list
 * the store lacks whose text push does not have (the probe left it out,
 * or a runner sent its result alone) is counted, and told to the ingest,
 * whose runner sends it on its own (mcp-aggregate(1) "push --to"); else
 * the next probe brings it.
 */
/*
 * The slugs of the lists to send, each with the text it would add, into
 * adm (n at most): the count.
 */
static size_t
admit_of(struct pctx *p, struct agg_lput *adm)
{
	size_t i, j, n = 0;
	int k;

	for (i = 0; i < p->n; i++) {
		struct pending *q = &p->b[i];

		for (k = 0; k < AGG_LIST_KINDS; k++) {
			if (!(q->lmiss & (1 << k)) || q->lt[k].len == 0 || sent_before(p, i, k))
				continue;
			for (j = 0; j < n && strcmp(adm[j].slug, q->slug) != 0; j++)
				;
			if (j == n)
				adm[n++] = (struct agg_lput){q->slug, q->from_registry, 0, 0};
			adm[j].bytes += (long long)q->lt[k].len;
		}
	}
	return n;
}

/* 1 when the slug is one the admission refused. */
static int
refused(const struct agg_lput *adm, size_t n, const char *slug)
{
	size_t j;

	for (j = 0; j < n; j++)
		if (strcmp(adm[j].slug, slug) == 0)
			return adm[j].refused;
	return 1;
}

/*
 * Why the store lacks a list's text.  KEYS: lf.  ARGV: u:HEX, the word,
 * the TTL.  Kept beside the store's judgments unless the list is judged.
 */
static const char unread_lua[] =
    "if redis.call('HEXISTS', KEYS[1], string.sub(ARGV[1], 3)) == 0 then\n"
    "  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])\n"
    "  redis.call('EXPIRE', KEYS[1], ARGV[3])\n"
    "end\n"
    "return 1\n";

int
agg_list_unread_append(struct mcp_store *st, const char *slug, const char *hash, const char *why)
{
	char lf[MCP_SLUG_MAX + 64], f[80], ttl[16];
	const char *argv[7];

	if (agg_list_hex(hash) == NULL)
		return -1;
	agg_key(lf, sizeof(lf), slug, "lf", -1);
	snprintf(f, sizeof(f), "u:%s", agg_list_hex(hash));
	snprintf(ttl, sizeof(ttl), "%d", AGG_TTL_LONG);
	argv[0] = "EVAL", argv[1] = unread_lua, argv[2] = "1", argv[3] = lf;
	argv[4] = f, argv[5] = why, argv[6] = ttl;
	return mcp_store_appendv(st, 7, argv, NULL);
}

/* A list whose text the store lacks, and why. */
struct unread {
	const struct pending *q;
	int k;
	const char *why;
};

/*
 * Why the store lacks the text of each list of u, kept beside the store's
 * judgments (lf u:HEX), one round trip: the review holds a list whose
 * text it could not read, and says why (aggregate/review.c).
 */
static void
unread_put(struct mcp_store *st, const struct unread *u, size_t n)
{
	char err[256];
	redisReply *r;
	size_t i, m = 0;

	for (i = 0; i < n; i++)
		if (agg_list_unread_append(st, u[i].q->slug, u[i].q->lh[u[i].k], u[i].why) == 0)
			m++;
	for (i = 0; i < m && mcp_store_read(st, &r, 1, err, sizeof(err)) == 0; i++)
		freeReplyObject(r);
}

void
push_lists_put(struct mcp_store *st, struct pctx *p)
{
	char err[256];
	size_t i, n = 0, nfl = 0, nadm, nu = 0;
	long long pending;
	struct unread *un = calloc(p->n * AGG_LIST_KINDS + 1, sizeof(*un));
	redisReply *r;
	int k;
	/* Each put's slug and bytes, for the fleet's index (lists.c). */
	struct agg_lput *fl = calloc(p->n * AGG_LIST_KINDS + 1, sizeof(*fl));
	struct agg_lput *adm = calloc(p->n * AGG_LIST_KINDS + 1, sizeof(*adm));

	if (fl == NULL || adm == NULL || un == NULL) {
		free(fl), free(adm), free(un);
		warnx("lists: out of memory: not stored");
		return;
	}
	/* Admitted before they are written, never after (agg_lists_admit). */
	nadm = admit_of(p, adm);
	agg_lists_admit(st, adm, nadm, (long long)mcp_now(), 0, p->fate != NULL, &pending);
	for (i = 0; i < p->n; i++) {
		struct pending *q = &p->b[i];

		for (k = 0; k < AGG_LIST_KINDS; k++) {
			if (!(q->lmiss & (1 << k)))
				continue;
			if (q->lt[k].len == 0) {
				p->lists_absent++;
				if (p->lack != NULL)
					p->lack(p->lack_arg, q->lineno, q->slug, k, q->lh[k]);
				un[nu++] = (struct unread){
				    q, k, q->lomit & (1 << k) ? "too_large" : "not_sent"};
				continue;
			}
			if (sent_before(p, i, k))
				continue;
			if (refused(adm, nadm, q->slug)) {
				/* Stored again with the slug's next probe, when there is room. */
				p->lists_refused++;
				un[nu++] = (struct unread){q, k, "refused"};
				continue;
			}
			agg_list_put_append(
			    st, p->put_sha, q->slug, k, q->lh[k], q->lt[k].p, q->lt[k].len);
			fl[n] = (struct agg_lput){q->slug, q->from_registry, -1, 0};
			q->lmiss &= ~(1 << k);
			q->lsent |= 1 << k;
			n++;
		}
	}
	for (i = 0; i < n && mcp_store_read(st, &r, 1, err, sizeof(err)) == 0; i++) {
		if (r->type == REDIS_REPLY_ERROR)
			warnx("redis: lists: %s", r->str);
		else
			p->lists_put++;
		/* A put refused leaves the slug counted as admitted: more, never less. */
		if (r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
		    r->element[1]->type == REDIS_REPLY_INTEGER)
			fl[nfl++] = (struct agg_lput){
			    fl[i].slug, fl[i].registry, r->element[1]->integer, 0};
		freeReplyObject(r);
	}
	agg_lists_fleet(st, fl, nfl, (long long)mcp_now(), pending, p->fate != NULL);
	unread_put(st, un, nu);
	free(fl);
	free(adm);
	free(un);
}
