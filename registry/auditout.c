/*
 * auditout.c - the audit as JSON (the saved audit's format,
 * mcp-aggregate(1) "audit") and as text tables: the buckets of the
 * servers and of the remotes (then auditready.c's census and readiness),
 * the regionally degraded remotes, the remotes apart from their server,
 * and the movement.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../aggregate/aggregate.h"
#include "audit.h"
#include "json.h"
#include "mcp.h"

char *
audit_name_cut(const char *name)
{
	static const char ell[] = "\xe2\x80\xa6";
	size_t cut = strlen(name);
	char *s;

	if (cut <= AUDIT_NAME_MAX)
		return strdup(name);
	cut = AUDIT_NAME_MAX - (sizeof(ell) - 1);
	while (cut > 0 && ((unsigned char)name[cut] & 0xc0) == 0x80)
		cut--;
	if ((s = malloc(cut + sizeof(ell))) == NULL)
		return NULL;
	memcpy(s, name, cut);
	memcpy(s + cut, ell, sizeof(ell));
	return s;
}

double
audit_percent(long n, long of)
{
	return of > 0 ? round(n * 10000.0 / of) / 100 : 0;
}

static void
add_regional(cJSON *arr, const struct audit_rem *s)
{
	const struct audit_hist *h = &s->h;
	cJSON *o = cJSON_CreateObject(), *f, *ok;
	size_t i;
	int any = 0;

	cJSON_AddStringToObject(o, "slug", s->slug);
	cJSON_AddStringToObject(o, "name", s->name);
	cJSON_AddNumberToObject(o, "share", audit_percent(h->nsplit, h->nwin));
	f = cJSON_AddArrayToObject(o, "regions");
	ok = cJSON_AddArrayToObject(o, "healthy_from");
	for (i = 0; i < h->nreg; i++)
		any |= h->reg[i].split * 100 >= (long)AUDIT_SHARE * h->nwin;
	/* The regions failing while another passed: those past the share, else any. */
	for (i = 0; i < h->nreg; i++) {
		const struct audit_region *g = &h->reg[i];
		cJSON *e;

		if (any ? g->split * 100 >= (long)AUDIT_SHARE * h->nwin : g->split > 0) {
			e = cJSON_CreateObject();
			cJSON_AddStringToObject(e, "region", g->name);
			cJSON_AddNumberToObject(e, "share", audit_percent(g->split, h->nwin));
			cJSON_AddItemToArray(f, e);
		} else if (g->pass > 0) {
			cJSON_AddItemToArray(ok, cJSON_CreateString(g->name));
		}
	}
	cJSON_AddItemToArray(arr, o);
}

/* By share of the windows split, larger first, then by slug (pointers into a->r). */
static int
share_cmp(const void *a, const void *b)
{
	const struct audit_rem *x = *(const struct audit_rem *const *)a;
	const struct audit_rem *y = *(const struct audit_rem *const *)b;
	double l = (double)x->h.nsplit * (double)y->h.nwin,
	       r = (double)y->h.nsplit * (double)x->h.nwin;

	return l > r ? -1 : l < r ? 1 : strcmp(x->slug, y->slug);
}

/* a->r is sorted by slug: so are pointers into it by address. */
static int
ptr_cmp(const void *a, const void *b)
{
	const struct audit_rem *x = *(const struct audit_rem *const *)a;
	const struct audit_rem *y = *(const struct audit_rem *const *)b;

	return x < y ? -1 : x > y;
}

/*
 * The regionally degraded remotes in slug order, AUDIT_LIST_MAX at most:
 * those of the largest shares (the bucket's remotes has them all); -1
 * when memory ran out.
 */
static int
regional_list(cJSON *arr, const struct audit *a)
{
	const struct audit_rem **p;
	size_t i, n = 0;

	if ((p = calloc(a->nr + 1, sizeof(*p))) == NULL)
		return -1;
	for (i = 0; i < a->nr; i++)
		if (a->r[i].bucket == B_REGIONAL)
			p[n++] = &a->r[i];
	if (n > AUDIT_LIST_MAX) {
		qsort(p, n, sizeof(*p), share_cmp);
		n = AUDIT_LIST_MAX;
		qsort(p, n, sizeof(*p), ptr_cmp);
	}
	for (i = 0; i < n; i++)
		add_regional(arr, p[i]);
	free(p);
	return 0;
}

/* A remote in a bucket of its own, not its server's (a deleted one is counted apart). */
static int
apart(const struct audit *a, const struct audit_rem *r)
{
	return r->remote && r->bucket != B_DELETED && r->bucket != a->srv[r->srv].bucket;
}

/* The remotes apart from their server, in slug order, AUDIT_LIST_MAX at most. */
static void
apart_list(cJSON *o, const struct audit *a)
{
	cJSON *l = cJSON_AddArrayToObject(o, "apart"), *e;
	size_t i;
	long n = 0;

	for (i = 0; i < a->nr; i++) {
		const struct audit_rem *r = &a->r[i];

		if (!apart(a, r) || n++ >= AUDIT_LIST_MAX)
			continue;
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "slug", r->slug);
		cJSON_AddStringToObject(e, "name", r->name);
		cJSON_AddStringToObject(e, "bucket", audit_bucket_names[r->bucket]);
		cJSON_AddStringToObject(e, "server", a->srv[r->srv].slug);
		cJSON_AddStringToObject(
		    e, "server_bucket", audit_bucket_names[a->srv[r->srv].bucket]);
		cJSON_AddItemToArray(l, e);
	}
	cJSON_AddNumberToObject(o, "apart_count", (double)n);
}

static int
sev_rank(const char *w)
{
	return strcmp(w, "high") == 0 ? 3 : strcmp(w, "medium") == 0 ? 2 : strcmp(w, "low") == 0;
}

/* The findings of a server: its remotes' most, the worst (pointers into a->r). */
static const struct audit_rem *
findings_of(const struct audit *a, size_t srv)
{
	const struct audit_rem *best = NULL;
	size_t i;

	for (i = 0; i < a->nr; i++)
		if (a->r[i].srv == srv && a->r[i].h.fcount > 0 &&
		    (best == NULL || sev_rank(a->r[i].h.fworst) > sev_rank(best->h.fworst) ||
		        (sev_rank(a->r[i].h.fworst) == sev_rank(best->h.fworst) &&
		            a->r[i].h.fcount > best->h.fcount)))
			best = &a->r[i];
	return best;
}

/* By worst, then count, larger first, then slug (pointers into a->r). */
static int
findings_cmp(const void *a, const void *b)
{
	const struct audit_rem *x = *(const struct audit_rem *const *)a;
	const struct audit_rem *y = *(const struct audit_rem *const *)b;

	if (sev_rank(x->h.fworst) != sev_rank(y->h.fworst))
		return sev_rank(y->h.fworst) - sev_rank(x->h.fworst);
	if (x->h.fcount != y->h.fcount)
		return y->h.fcount > x->h.fcount ? 1 : -1;
	return strcmp(x->slug, y->slug);
}

/*
 * The findings column: each server with findings in its latest verdict
 * (the fleet's included), the worst first, AUDIT_LIST_MAX at most, and
 * how many; -1 when memory ran out.
 */
static int
findings_list(cJSON *o, const struct audit *a)
{
	const struct audit_rem **p, *r;
	cJSON *l = cJSON_AddArrayToObject(o, "findings"), *e;
	size_t i, n = 0;

	if ((p = calloc(a->nsrv + 1, sizeof(*p))) == NULL)
		return -1;
	for (i = 0; i < a->nsrv; i++)
		if ((r = findings_of(a, i)) != NULL)
			p[n++] = r;
	qsort(p, n, sizeof(*p), findings_cmp);
	cJSON_AddNumberToObject(o, "findings_count", (double)n);
	for (i = 0; i < n && i < AUDIT_LIST_MAX; i++) {
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "slug", a->srv[p[i]->srv].slug);
		cJSON_AddStringToObject(e, "name", a->srv[p[i]->srv].name);
		cJSON_AddNumberToObject(e, "count", (double)p[i]->h.fcount);
		cJSON_AddStringToObject(e, "worst", p[i]->h.fworst);
		cJSON_AddStringToObject(e, "rules", p[i]->h.frules);
		cJSON_AddItemToArray(l, e);
	}
	free(p);
	return 0;
}

/*
 * Each server as a member of its bucket: its slug, its registry name and
 * the slugs of all its fields, so that the slug of a second remote leads
 * back to its server and name; NULL when memory ran out.  Owned: those of
 * more than one field go into their bucket's "members" (a server of one
 * field is its remote's slug), the rest are deleted.
 */
static cJSON **
members(const struct audit *a)
{
	cJSON **m = calloc(a->nsrv + 1, sizeof(*m));
	size_t i;

	if (m == NULL)
		return NULL;
	for (i = 0; i < a->nsrv; i++) {
		if ((m[i] = cJSON_CreateObject()) == NULL) {
			while (i > 0)
				cJSON_Delete(m[--i]);
			free(m);
			return NULL;
		}
		cJSON_AddStringToObject(m[i], "slug", a->srv[i].slug);
		cJSON_AddStringToObject(m[i], "name", a->srv[i].name);
		cJSON_AddArrayToObject(m[i], "slugs");
	}
	for (i = 0; i < a->nr; i++)
		cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(m[a->r[i].srv], "slugs"),
		    cJSON_CreateString(a->r[i].slug));
	return m;
}

/* A bucket: its servers (count, percent of the total, slugs, members) and its remotes. */
static cJSON *
bucket_json(const struct audit *a, int b, long total, cJSON **m)
{
	cJSON *o = cJSON_CreateObject(), *l;
	size_t i;

	cJSON_AddNumberToObject(o, "count", (double)a->count[b]);
	if (b != B_DELETED)
		cJSON_AddNumberToObject(o, "percent", audit_percent(a->count[b], total));
	cJSON_AddNumberToObject(o, "remotes", (double)a->rcount[b]);
	l = cJSON_AddArrayToObject(o, "slugs");
	for (i = 0; i < a->nsrv; i++)
		if (a->srv[i].bucket == b)
			cJSON_AddItemToArray(l, cJSON_CreateString(a->srv[i].slug));
	l = cJSON_AddArrayToObject(o, "members");
	for (i = 0; i < a->nsrv; i++)
		if (a->srv[i].bucket == b &&
		    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(m[i], "slugs")) > 1) {
			cJSON_AddItemToArray(l, m[i]);
			m[i] = NULL;
		}
	return o;
}

cJSON *
audit_json(const struct audit *a)
{
	cJSON *o = cJSON_CreateObject(), *bs, *reg, *mv, *sy, **m;
	char iso[32];
	long total = 0, remotes = 0;
	size_t i;
	int b;

	if (o == NULL || (m = members(a)) == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	for (b = 0; b < B_NBUCKET; b++)
		total += a->count[b], remotes += a->rcount[b];
	mcp_iso8601((double)a->to, iso, sizeof(iso));
	cJSON_AddNumberToObject(o, "v", 1);
	cJSON_AddStringToObject(o, "type", "audit");
	cJSON_AddStringToObject(o, "as_of", iso);
	cJSON_AddNumberToObject(o, "at", floor(a->at));
	cJSON_AddNumberToObject(o, "from", (double)a->from);
	cJSON_AddNumberToObject(o, "to", (double)a->to);
	cJSON_AddNumberToObject(o, "period", (double)a->period);
	cJSON_AddNumberToObject(o, "share_percent", AUDIT_SHARE);
	cJSON_AddNumberToObject(o, "total", (double)total);
	cJSON_AddNumberToObject(o, "servers", (double)total);
	cJSON_AddNumberToObject(o, "remotes", (double)remotes);
	bs = cJSON_AddObjectToObject(o, "buckets");
	for (b = 0; b < B_NBUCKET; b++)
		cJSON_AddItemToObject(bs, audit_bucket_names[b], bucket_json(a, b, total, m));
	cJSON_AddItemToObject(o, "deleted", bucket_json(a, B_DELETED, total, m));
	for (i = 0; i < a->nsrv; i++)
		cJSON_Delete(m[i]);
	free(m);
	audit_ready_json(o, a);
	sy = cJSON_AddObjectToObject(o, "sync");
	cJSON_AddNumberToObject(sy, "skipped", (double)a->skipped);
	cJSON_AddNumberToObject(sy, "remotes_dropped", (double)a->dropped);
	reg = cJSON_AddArrayToObject(o, "regional");
	apart_list(o, a);
	if (regional_list(reg, a) == -1 || findings_list(o, a) == -1 ||
	    (mv = audit_movement(a)) == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	cJSON_AddItemToObject(o, "movement", mv);
	return o;
}

static int
text_regional(const cJSON *json, long count)
{
	const cJSON *e, *g;
	char fail[512], ok[512];
	long listed = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(json, "regional"));
	size_t o;

	if (listed == 0)
		return 0;
	if (printf("\n%-40s  %7s  %-32s  %s\n", "REGIONALLY-DEGRADED REMOTE", "SHARE",
	        "FAILING FROM", "HEALTHY FROM") < 0)
		return -1;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(json, "regional"))
	{
		fail[0] = ok[0] = '\0';
		o = 0;
		cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(e, "regions"))
		{
			int k = snprintf(fail + o, sizeof(fail) - o, "%s%s (%.1f%%)", o ? "," : "",
			    mcp_json_str(g, "region", "-"), mcp_json_num(g, "share"));

			if (k < 0 || (size_t)k >= sizeof(fail) - o)
				break;
			o += (size_t)k;
		}
		o = 0;
		cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(e, "healthy_from"))
		{
			int k = snprintf(ok + o, sizeof(ok) - o, "%s%s", o ? "," : "",
			    cJSON_IsString(g) ? g->valuestring : "-");

			if (k < 0 || (size_t)k >= sizeof(ok) - o)
				break;
			o += (size_t)k;
		}
		if (printf("%-40s  %6.1f%%  %-32s  %s\n", mcp_json_str(e, "slug", "-"),
		        mcp_json_num(e, "share"), fail, ok[0] ? ok : "-") < 0)
			return -1;
	}
	if (count > listed && printf("(%ld more, of smaller shares)\n", count - listed) < 0)
		return -1;
	return 0;
}

/*
 * 1 for a character a terminal must not get from a registry name: a
 * control (C0, DEL, C1: U+009B is a CSI) or a bidi mark, embedding,
 * override or isolate, which would reorder what follows it.
 */
static int
unsafe(unsigned long c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x61c || c == 0x200e || c == 0x200f ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/*
 * A registry name for a terminal: it is anyone's to publish, so each such
 * character, and each byte that is not UTF-8, is shown as '?'; cut at a
 * character at the buffer's end.
 */
static const char *
printable(const char *s, char *buf, size_t len)
{
	size_t i = 0, o = 0, n, all = strlen(s);
	unsigned long c;

	while (i < all) {
		if ((n = mcp_utf8_decode(s + i, all - i, &c)) == 0 || unsafe(c)) {
			if (o + 1 >= len)
				break;
			buf[o++] = '?';
			i += n ? n : 1;
			continue;
		}
		if (o + n >= len)
			break;
		memcpy(buf + o, s + i, n);
		o += n, i += n;
	}
	buf[o] = '\0';
	return buf;
}

static int
text_movement(const cJSON *json)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(json, "movement"), *e;
	char name[512];
	int listed;

	if (!cJSON_IsObject(m))
		return printf("\nMOVEMENT: no saved audit to compare with\n") < 0 ? -1 : 0;
	if (printf("\nMOVEMENT since %s\n%-22s  %-22s  %7s\n",
	        mcp_json_str(m, "previous_as_of", "-"), "FROM", "TO", "COUNT") < 0)
		return -1;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(m, "table"))
	{
		if (printf("%-22s  %-22s  %7.0f\n", mcp_json_str(e, "from", "-"),
		        mcp_json_str(e, "to", "-"), mcp_json_num(e, "count")) < 0)
			return -1;
	}
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(m, "moved")) == 0)
		return 0;
	if (printf("\n%-40s  %-40s  %-20s  %s\n", "SLUG", "NAME", "FROM", "TO") < 0)
		return -1;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(m, "moved"))
	{
		if (printf("%-40s  %-40s  %-20s  %s\n", mcp_json_str(e, "slug", "-"),
		        printable(mcp_json_str(e, "name", "-"), name, sizeof(name)),
		        mcp_json_str(e, "from", "-"), mcp_json_str(e, "to", "-")) < 0)
			return -1;
	}
	listed = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(m, "moved"));
	if (mcp_json_num(m, "moved_count") > listed &&
	    printf("(%.0f more moved: the table counts them all)\n",
	        mcp_json_num(m, "moved_count") - listed) < 0)
		return -1;
	return 0;
}

/* The remotes whose bucket is not their server's. */
static int
text_apart(const cJSON *json)
{
	const cJSON *e, *l = cJSON_GetObjectItemCaseSensitive(json, "apart");
	long listed = cJSON_GetArraySize(l);

	if (listed == 0)
		return 0;
	if (printf("\n%-40s  %-20s  %s\n", "REMOTE APART FROM ITS SERVER", "BUCKET",
	        "SERVER (ITS BUCKET)") < 0)
		return -1;
	cJSON_ArrayForEach(e, l)
	{
		if (printf("%-40s  %-20s  %s (%s)\n", mcp_json_str(e, "slug", "-"),
		        mcp_json_str(e, "bucket", "-"), mcp_json_str(e, "server", "-"),
		        mcp_json_str(e, "server_bucket", "-")) < 0)
			return -1;
	}
	if (mcp_json_num(json, "apart_count") > listed &&
	    printf("(%.0f more)\n", mcp_json_num(json, "apart_count") - listed) < 0)
		return -1;
	return 0;
}

/* The servers with findings: slug, count, worst, rules. */
static int
text_findings(const cJSON *json)
{
	const cJSON *e;
	long listed = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(json, "findings"));

	if (listed == 0)
		return 0;
	if (printf("\n%-40s  %8s  %-6s  %s\n", "SERVER WITH FINDINGS", "FINDINGS", "WORST",
	        "RULES") < 0)
		return -1;
	cJSON_ArrayForEach(e,
	    cJSON_GetObjectItemCaseSensitive(json,
	        "findings")) if (printf("%-40s  %8.0f  %-6s  %s\n", mcp_json_str(e, "slug", "-"),
	                             mcp_json_num(e, "count"), mcp_json_str(e, "worst", "-"),
	                             mcp_json_str(e, "rules", "-")) < 0) return -1;
	if (mcp_json_num(json, "findings_count") > listed &&
	    printf("(%.0f more)\n", mcp_json_num(json, "findings_count") - listed) < 0)
		return -1;
	return 0;
}

/*
 * The buckets: servers, their percentage, and remotes (each in its own
 * bucket); then what the last sync left out.
 */
static int
text_buckets(const struct audit *a, long total, long remotes)
{
	int b;

	if (printf("%-22s  %7s  %8s  %7s\n", "BUCKET", "SERVERS", "PERCENT", "REMOTES") < 0)
		return -1;
	for (b = 0; b < B_NBUCKET; b++)
		if (printf("%-22s  %7ld  %7.2f%%  %7ld\n", audit_bucket_names[b], a->count[b],
		        audit_percent(a->count[b], total), a->rcount[b]) < 0)
			return -1;
	if (printf("%-22s  %7ld  %7.2f%%  %7ld\n%-22s  %7ld  %8s  %7ld\n", "total", total,
	        total ? 100.0 : 0.0, remotes, "deleted (apart)", a->count[B_DELETED], "",
	        a->rcount[B_DELETED]) < 0)
		return -1;
	return printf("\nA server takes the bucket of its best remote.\n"
	              "The last registry sync skipped %lld entries and dropped %lld remotes.\n",
	           a->skipped, a->dropped) < 0
	    ? -1
	    : 0;
}

int
audit_text(const struct audit *a, const cJSON *json)
{
	long total = (long)mcp_json_num(json, "servers"),
	     remotes = (long)mcp_json_num(json, "remotes");
	char from[32], to[32];

	mcp_iso8601((double)a->from, from, sizeof(from));
	mcp_iso8601((double)(a->to + AGG_WINDOW), to, sizeof(to));
	if (printf("audit of %s to %s: %ld servers, %ld remotes\n", from, to, total, remotes) < 0 ||
	    text_buckets(a, total, remotes) == -1 || audit_ready_text(a) == -1 ||
	    text_regional(json, a->rcount[B_REGIONAL]) == -1 || text_apart(json) == -1 ||
	    text_findings(json) == -1 || text_movement(json) == -1)
		return -1;
	return fflush(stdout) == EOF ? -1 : 0;
}
