/*
 * auditout.c - the rules of the audit's buckets, its JSON, the movement
 * against the saved audit, and the text tables.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../aggregate/aggregate.h"
#include "audit.h"
#include "json.h"
#include "mcp.h"

const char *const audit_bucket_names[B_NALL] = {"healthy", "auth-walled", "broken:dns",
    "broken:connect", "broken:tls", "broken:http", "broken:auth", "broken:initialize",
    "broken:tools_list", "broken:call", "broken:unknown", "regionally-degraded", "cdn-divergent",
    "needs-configuration", "local-only", "refused", "unprobed", "deleted", "new", "gone"};

int
audit_bucket_of(const char *name)
{
	int b;

	for (b = 0; b < B_NALL; b++)
		if (strcmp(audit_bucket_names[b], name) == 0)
			return b;
	return -1;
}

static int
most_failed(const long *steps)
{
	int i, m = 0;

	for (i = 1; i < 8; i++)
		if (steps[i] > steps[m])
			m = i;
	return m;
}

/*
 * The rules, in order (mcp-aggregate(1) "Audit"): nothing in the period;
 * split in at least AUDIT_SHARE% of its windows; broken in most results
 * (auth-walled when most of those stop at auth with a 401/403 code); a
 * divergence (an amber counts where the results read show no region
 * failing: one where a region fails is that region's outage); walled in
 * most passing results; else healthy.
 */
int
audit_decide(const struct audit_hist *h)
{
	long up = h->letters[0] + h->letters[1], decided = up + h->letters[2];

	if (h->nwin == 0 && decided == 0)
		return B_UNPROBED;
	if (h->nwin > 0 && h->nsplit * 100 >= (long)AUDIT_SHARE * h->nwin)
		return B_REGIONAL;
	if (h->nwin > 0 && h->broken > h->healthy + h->walled) {
		if (h->authfail * 2 >= h->broken)
			return B_AUTH;
		return B_BROKEN + most_failed(h->steps);
	}
	/* The results have expired (an --at of long ago): the verdicts decide. */
	if (h->nwin == 0 && h->letters[2] > up)
		return h->latest_step >= 0 ? B_BROKEN + h->latest_step : B_BROKEN_UNKNOWN;
	if (h->divergence ||
	    (h->rdecided > 0 && h->ramber * 100 >= (long)AUDIT_SHARE * h->rdecided))
		return B_CDN;
	if (h->walled > h->healthy)
		return B_AUTH;
	return B_HEALTHY;
}

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

static double
percent(long n, long of)
{
	return of > 0 ? round(n * 10000.0 / of) / 100 : 0;
}

static void
add_regional(cJSON *arr, const struct audit_srv *s)
{
	const struct audit_hist *h = &s->h;
	cJSON *o = cJSON_CreateObject(), *f, *ok;
	size_t i;
	int any = 0;

	cJSON_AddStringToObject(o, "slug", s->slug);
	cJSON_AddStringToObject(o, "name", s->name);
	cJSON_AddNumberToObject(o, "share", percent(h->nsplit, h->nwin));
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
			cJSON_AddNumberToObject(e, "share", percent(g->split, h->nwin));
			cJSON_AddItemToArray(f, e);
		} else if (g->pass > 0) {
			cJSON_AddItemToArray(ok, cJSON_CreateString(g->name));
		}
	}
	cJSON_AddItemToArray(arr, o);
}

/* By share of the windows split, larger first, then by slug (pointers into a->s). */
static int
share_cmp(const void *a, const void *b)
{
	const struct audit_srv *x = *(const struct audit_srv *const *)a;
	const struct audit_srv *y = *(const struct audit_srv *const *)b;
	double l = (double)x->h.nsplit * (double)y->h.nwin,
	       r = (double)y->h.nsplit * (double)x->h.nwin;

	return l > r ? -1 : l < r ? 1 : strcmp(x->slug, y->slug);
}

/* a->s is sorted by slug: so are pointers into it by address. */
static int
ptr_cmp(const void *a, const void *b)
{
	const struct audit_srv *x = *(const struct audit_srv *const *)a;
	const struct audit_srv *y = *(const struct audit_srv *const *)b;

	return x < y ? -1 : x > y;
}

/*
 * The regionally degraded servers in slug order, AUDIT_LIST_MAX at most:
 * those of the largest shares (the bucket's count has them all); -1 when
 * memory ran out.
 */
static int
regional_list(cJSON *arr, const struct audit *a)
{
	const struct audit_srv **p;
	size_t i, n = 0;

	if ((p = calloc(a->n + 1, sizeof(*p))) == NULL)
		return -1;
	for (i = 0; i < a->n; i++)
		if (a->s[i].bucket == B_REGIONAL)
			p[n++] = &a->s[i];
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

struct prev {
	const char *slug; /* borrowed from the previous audit's tree */
	int bucket;
};

static int
prev_cmp(const void *a, const void *b)
{
	return strcmp(((const struct prev *)a)->slug, ((const struct prev *)b)->slug);
}

/* The slugs of the previous audit and their buckets, sorted (owned array). */
static struct prev *
prev_list(const cJSON *prev, size_t *n)
{
	const cJSON *bs = cJSON_GetObjectItemCaseSensitive(prev, "buckets"), *b, *e;
	const cJSON *del = cJSON_GetObjectItemCaseSensitive(prev, "deleted");
	struct prev *p = NULL, *q;
	size_t cap = 0;
	int k;

	*n = 0;
	for (b = bs ? bs->child : NULL;; b = b->next) {
		const cJSON *obj = b != NULL ? b : del;

		k = b != NULL ? audit_bucket_of(b->string ? b->string : "") : B_DELETED;
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(obj, "slugs"))
		{
			if (k < 0 || !cJSON_IsString(e) || !mcp_slug_ok(e->valuestring))
				continue;
			if (*n == cap) {
				cap = cap ? cap * 2 : 256;
				if ((q = realloc(p, cap * sizeof(*p))) == NULL) {
					free(p);
					return NULL;
				}
				p = q;
			}
			p[*n].slug = e->valuestring;
			p[(*n)++].bucket = k;
		}
		if (b == NULL)
			break;
	}
	if (*n > 0)
		qsort(p, *n, sizeof(*p), prev_cmp);
	return p;
}

struct move {
	const char *slug, *name; /* borrowed from the audit or the previous one */
	int from, to;
};

static void
moved(struct move *mv, size_t *n, const char *slug, const char *name, int from, int to)
{
	if (from == to)
		return;
	mv[*n].slug = slug, mv[*n].name = name;
	mv[*n].from = from, mv[(*n)++].to = to;
}

/* Between two buckets of the audits: neither new, gone nor deleted. */
static int
between(const struct move *m)
{
	return m->from < B_NBUCKET && m->to < B_NBUCKET;
}

/*
 * The servers that moved, in slug order, AUDIT_LIST_MAX at most: those
 * that changed between two buckets first, then the new, gone and deleted
 * ones (a registry that grows by thousands must not hide a server that
 * broke).
 */
static void
moved_list(cJSON *list, const struct move *mv, size_t n)
{
	size_t i, k[2] = {AUDIT_LIST_MAX, 0};
	cJSON *o;

	for (i = 0; i < n && k[1] < AUDIT_LIST_MAX; i++)
		k[1] += between(&mv[i]);
	k[0] = AUDIT_LIST_MAX - k[1]; /* k[0] for the others, k[1] for those between */
	for (i = 0; i < n; i++) {
		size_t *left = &k[between(&mv[i])];

		if (*left == 0)
			continue;
		(*left)--;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "slug", mv[i].slug);
		if (mv[i].name != NULL && mv[i].name[0] != '\0')
			cJSON_AddStringToObject(o, "name", mv[i].name);
		else
			cJSON_AddNullToObject(o, "name");
		cJSON_AddStringToObject(o, "from", audit_bucket_names[mv[i].from]);
		cJSON_AddStringToObject(o, "to", audit_bucket_names[mv[i].to]);
		cJSON_AddItemToArray(list, o);
	}
}

/* The movement since the previous audit: the merge of two sorted lists. */
static cJSON *
movement(const struct audit *a)
{
	static long tab[B_NALL][B_NALL];
	cJSON *m, *t, *e;
	const cJSON *as;
	struct prev *p;
	struct move *mv;
	size_t np, nmv = 0, i = 0, j = 0;
	int f, g, c;

	if (a->prev == NULL)
		return cJSON_CreateNull();
	memset(tab, 0, sizeof(tab));
	if ((p = prev_list(a->prev, &np)) == NULL && np > 0)
		return NULL;
	if ((mv = calloc(a->n + np + 1, sizeof(*mv))) == NULL) {
		free(p);
		return NULL;
	}
	m = cJSON_CreateObject();
	as = cJSON_GetObjectItemCaseSensitive(a->prev, "as_of");
	if (cJSON_IsString(as))
		cJSON_AddStringToObject(m, "previous_as_of", as->valuestring);
	else
		cJSON_AddNullToObject(m, "previous_as_of");
	t = cJSON_AddArrayToObject(m, "table");
	while (i < a->n || j < np) {
		c = i == a->n ? 1 : j == np ? -1 : strcmp(a->s[i].slug, p[j].slug);
		if (c < 0) {
			moved(mv, &nmv, a->s[i].slug, a->s[i].name, B_NEW, a->s[i].bucket);
			i++;
		} else if (c > 0) {
			moved(mv, &nmv, p[j].slug, NULL, p[j].bucket, B_GONE);
			j++;
		} else {
			moved(mv, &nmv, a->s[i].slug, a->s[i].name, p[j].bucket, a->s[i].bucket);
			i++, j++;
		}
	}
	for (i = 0; i < nmv; i++)
		tab[mv[i].from][mv[i].to]++;
	moved_list(cJSON_AddArrayToObject(m, "moved"), mv, nmv);
	cJSON_AddNumberToObject(m, "moved_count", (double)nmv);
	for (f = 0; f < B_NALL; f++)
		for (g = 0; g < B_NALL; g++)
			if (tab[f][g] > 0) {
				e = cJSON_CreateObject();
				cJSON_AddStringToObject(e, "from", audit_bucket_names[f]);
				cJSON_AddStringToObject(e, "to", audit_bucket_names[g]);
				cJSON_AddNumberToObject(e, "count", (double)tab[f][g]);
				cJSON_AddItemToArray(t, e);
			}
	free(mv);
	free(p);
	return m;
}

static cJSON *
bucket_json(const struct audit *a, int b, long total)
{
	cJSON *o = cJSON_CreateObject(), *l;
	size_t i;

	cJSON_AddNumberToObject(o, "count", (double)a->count[b]);
	if (b != B_DELETED)
		cJSON_AddNumberToObject(o, "percent", percent(a->count[b], total));
	l = cJSON_AddArrayToObject(o, "slugs");
	for (i = 0; i < a->n; i++)
		if (a->s[i].bucket == b)
			cJSON_AddItemToArray(l, cJSON_CreateString(a->s[i].slug));
	return o;
}

cJSON *
audit_json(const struct audit *a)
{
	cJSON *o = cJSON_CreateObject(), *bs, *reg, *mv;
	char iso[32];
	long total = 0;
	int b;

	for (b = 0; b < B_NBUCKET; b++)
		total += a->count[b];
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
	bs = cJSON_AddObjectToObject(o, "buckets");
	for (b = 0; b < B_NBUCKET; b++)
		cJSON_AddItemToObject(bs, audit_bucket_names[b], bucket_json(a, b, total));
	cJSON_AddItemToObject(o, "deleted", bucket_json(a, B_DELETED, total));
	reg = cJSON_AddArrayToObject(o, "regional");
	if (regional_list(reg, a) == -1 || (mv = movement(a)) == NULL) {
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
	if (printf("\n%-40s  %7s  %-32s  %s\n", "REGIONALLY-DEGRADED", "SHARE", "FAILING FROM",
	        "HEALTHY FROM") < 0)
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

int
audit_text(const struct audit *a, const cJSON *json)
{
	long total = (long)mcp_json_num(json, "total");
	char from[32], to[32];
	int b;

	mcp_iso8601((double)a->from, from, sizeof(from));
	mcp_iso8601((double)(a->to + AGG_WINDOW), to, sizeof(to));
	if (printf("audit of %s to %s\n%-22s  %7s  %8s\n", from, to, "BUCKET", "COUNT", "PERCENT") <
	    0)
		return -1;
	for (b = 0; b < B_NBUCKET; b++)
		if (printf("%-22s  %7ld  %7.2f%%\n", audit_bucket_names[b], a->count[b],
		        percent(a->count[b], total)) < 0)
			return -1;
	if (printf("%-22s  %7ld  %7.2f%%\n%-22s  %7ld\n", "total", total, total ? 100.0 : 0.0,
	        "deleted (apart)", a->count[B_DELETED]) < 0)
		return -1;
	if (text_regional(json, a->count[B_REGIONAL]) == -1 || text_movement(json) == -1)
		return -1;
	return fflush(stdout) == EOF ? -1 : 0;
}
