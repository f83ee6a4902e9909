/*
 * prom.c - Prometheus text (format 0.0.4): /metrics, every slug of the
 * index or a share of them, and /api/embed-status-prom, one slug.
 *
 * A scrape of the fleet costs two commands a slug (the verdict and the
 * last probe; the maintenance window is not a series) and a round trip
 * per CHUNK of list.c.  The lines are written one append each into a
 * buffer per family (a family's samples must be together), sized for the
 * share up front, and the buffers go out as they are: nothing is
 * formatted twice or copied into one body.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcp.h"
#include "serve.h"

#define CT_PROM "text/plain; version=0.0.4; charset=utf-8"

enum fam { F_STATE, F_UPTIME, F_P95, F_PROBE, F_VAGE, F_DIV, F_REGION, F_GRADE, NFAM };

static const char *const fam_head[NFAM] = {
    "# HELP mcp_state The verdict: 1 up, 0.5 degraded, 0 down, -1 pending.\n"
    "# TYPE mcp_state gauge\n",
    "# HELP mcp_uptime_30d_ratio Windows up over windows decided in the last 30 days.\n"
    "# TYPE mcp_uptime_30d_ratio gauge\n",
    "# HELP mcp_p95_latency_seconds The 95th percentile of probe durations, last 24 hours, all "
    "regions.\n# TYPE mcp_p95_latency_seconds gauge\n",
    "# HELP mcp_last_probe_age_seconds Seconds since the newest probe of any region.\n"
    "# TYPE mcp_last_probe_age_seconds gauge\n",
    "# HELP mcp_verdict_age_seconds Seconds since the start of the latest verdict's window.\n"
    "# TYPE mcp_verdict_age_seconds gauge\n",
    "# HELP mcp_divergence 1 when regions disagree on the tool list (cdn-cache-divergence).\n"
    "# TYPE mcp_divergence gauge\n",
    "# HELP mcp_region_up The region's result in the latest verdict: 1 passing, 0 failing.\n"
    "# TYPE mcp_region_up gauge\n",
    "# HELP mcp_readiness_grade The readiness grade for 2026's clients: 5 A, 4 B, 3 C, 2 D, "
    "0 F.\n# TYPE mcp_readiness_grade gauge\n",
};

static const char *const fam_name[NFAM] = {"mcp_state", "mcp_uptime_30d_ratio",
    "mcp_p95_latency_seconds", "mcp_last_probe_age_seconds", "mcp_verdict_age_seconds",
    "mcp_divergence", "mcp_region_up", "mcp_readiness_grade"};

/* Bytes a slug's samples take in each family, about: the buffers' first size. */
static const size_t fam_bytes[NFAM] = {36, 48, 48, 48, 44, 36, 160, 40};

struct prom {
	struct mcp_buf f[NFAM];
	double now;
	int all; /* /metrics: the extra families */
};

/* NAME{slug="SLUG"} VALUE, or with region="REGION" too: one line, one append. */
static int
prom_line(struct mcp_buf *b, enum fam f, const char *slug, const char *region, const char *val)
{
	const char *part[] = {fam_name[f], "{slug=\"", slug, "", "", "\"} ", val};
	char line[256 + 2 * MCP_SLUG_MAX];
	size_t i, k, n = 0;

	if (region != NULL)
		part[3] = "\",region=\"", part[4] = region;
	for (i = 0; i < sizeof(part) / sizeof(part[0]); i++) {
		if ((k = strlen(part[i])) >= sizeof(line) - 1 - n)
			return -1;
		memcpy(line + n, part[i], k);
		n += k;
	}
	line[n++] = '\n';
	return mcp_buf_add(b, line, n);
}

/*
 * A whole number of seconds as printf's "%.0f" writes it, without printf
 * for the values a clock gives (below 2^53); buf has room for 32 bytes.
 */
static const char *
whole(double v, char *buf)
{
	unsigned long long u;
	char *p = buf + 31;

	if (!(v >= 0 && v < 9007199254740992.0)) {
		snprintf(buf, 32, "%.0f", v);
		return buf;
	}
	u = (unsigned long long)v;
	*p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	return p;
}

/* 1 when name is in the JSON array of strings arr. */
static int
in_array(const cJSON *arr, const char *name)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, arr)
	{
		if (cJSON_IsString(e) && strcmp(e->valuestring, name) == 0)
			return 1;
	}
	return 0;
}

static int
prom_regions(struct prom *p, const char *slug, const cJSON *rec)
{
	const cJSON *rep = cJSON_GetObjectItemCaseSensitive(rec, "reporters"), *e;
	const cJSON *failed = cJSON_GetObjectItemCaseSensitive(rec, "failed_regions");
	int rc = 0, n = 0;

	cJSON_ArrayForEach(e, rep)
	{
		if (!cJSON_IsString(e) || !mcp_slug_ok(e->valuestring) || n++ == SERVE_REGIONS_MAX)
			continue;
		rc |= prom_line(&p->f[F_REGION], F_REGION, slug, e->valuestring,
		    in_array(failed, e->valuestring) ? "0" : "1");
	}
	return rc;
}

static int
prom_one(void *arg, const char *slug, const struct summary *s)
{
	static const char *const val[] = {"-1", "1", "0.5", "0"};
	struct prom *p = arg;
	char v[32];
	int rc;

	rc = prom_line(&p->f[F_STATE], F_STATE, slug, NULL, val[s->state]);
	if (s->uptime >= 0) {
		snprintf(v, sizeof(v), "%.6g", s->uptime / 100);
		rc |= prom_line(&p->f[F_UPTIME], F_UPTIME, slug, NULL, v);
	}
	if (s->p95 >= 0) {
		snprintf(v, sizeof(v), "%.6g", s->p95 / 1000);
		rc |= prom_line(&p->f[F_P95], F_P95, slug, NULL, v);
	}
	if (s->last_probe >= 0)
		rc |= prom_line(&p->f[F_PROBE], F_PROBE, slug, NULL,
		    whole(fmax(0, floor(p->now - s->last_probe)), v));
	if (!p->all || !s->has_verdict)
		return rc;
	rc |= prom_line(
	    &p->f[F_VAGE], F_VAGE, slug, NULL, whole(fmax(0, floor(p->now - s->window)), v));
	rc |= prom_line(&p->f[F_DIV], F_DIV, slug, NULL, s->divergence ? "1" : "0");
	if (s->grade >= 'A' && s->grade <= 'F' && s->grade != 'E')
		rc |= prom_line(&p->f[F_GRADE], F_GRADE, slug, NULL,
		    s->grade == 'F' ? "0" : (char[]){(char)('5' - (s->grade - 'A')), '\0'});
	if (!s->stale && s->rec != NULL)
		rc |= prom_regions(p, slug, s->rec);
	return rc;
}

static void
prom_free(struct prom *p)
{
	int i;

	for (i = 0; i < NFAM; i++)
		mcp_buf_free(&p->f[i]);
}

/* The series of one slug: /api/embed-status-prom, one body. */
void
serve_prom_one(const char *slug, const struct summary *s, double now, struct resp *r)
{
	struct prom p = {.now = now};
	int i, rc;

	r->ctype = CT_PROM;
	r->cache = "no-cache";
	rc = prom_one(&p, slug, s);
	for (i = 0; i < NFAM; i++)
		if (p.f[i].len > 0)
			rc |= mcp_buf_adds(&r->body, fam_head[i]) |
			    mcp_buf_add(&r->body, p.f[i].p, p.f[i].len);
	prom_free(&p);
	if (rc != 0)
		serve_error(r, 500, "out of memory", NULL);
}

/* Digits only, 1 to 4 of them. */
static int
small_num(const char *s, unsigned *out)
{
	size_t n = strspn(s, "0123456789");

	if (n == 0 || n > 4 || s[n] != '\0')
		return -1;
	*out = (unsigned)strtoul(s, NULL, 10);
	return 0;
}

/*
 * ?shard=K/N: the share K of N, 0 <= K < N <= SERVE_SHARDS_MAX; none is
 * the whole fleet (0/1).  0, or -1 when it is not one.
 */
static int
shard_of(const char *qs, unsigned *k, unsigned *n)
{
	char buf[16], *slash;
	int rc = serve_query_get(qs, "shard", buf, sizeof(buf));

	*k = 0, *n = 1;
	if (rc == 0)
		return 0;
	if (rc == -1 || (slash = strchr(buf, '/')) == NULL)
		return -1;
	*slash = '\0';
	if (small_num(buf, k) == -1 || small_num(slash + 1, n) == -1)
		return -1;
	return *n >= 1 && *n <= SERVE_SHARDS_MAX && *k < *n ? 0 : -1;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The slugs of share k of n from the reply of ZRANGE mcp:slugs 0 -1,
 * sorted, into slugs (pointing into the reply): how many; every valid
 * slug of the index counted in *all.
 */
static size_t
share_of(const redisReply *r, unsigned k, unsigned n, char **slugs, size_t *all)
{
	const redisReply *e;
	size_t i, m = 0;

	*all = 0;
	for (i = 0; i < r->elements; i++) {
		e = r->element[i];
		if (e->type != REDIS_REPLY_STRING || !mcp_slug_ok(e->str))
			continue;
		++*all;
		if (n == 1 || mcp_fnv1a(e->str, e->len) % n == k)
			slugs[m++] = e->str;
	}
	qsort(slugs, m, sizeof(*slugs), str_cmp);
	return m;
}

/*
 * The families as the body's parts (owned by r from here): each with its
 * head, a family without a sample left out, mcp_slugs after them in share
 * 0 only, so that the shares together hold every series once.
 */
static int
prom_out(struct prom *p, unsigned k, size_t all, struct resp *r)
{
	size_t i;

	if ((r->more = calloc(NFAM + 1, sizeof(*r->more))) == NULL)
		return -1;
	for (i = 0; i < NFAM; i++) {
		if (p->f[i].len > strlen(fam_head[i]))
			r->more[r->nmore++] = p->f[i];
		else
			mcp_buf_free(&p->f[i]);
		memset(&p->f[i], 0, sizeof(p->f[i]));
	}
	if (k == 0 &&
	    mcp_buf_addf(&r->more[r->nmore++],
	        "# HELP mcp_slugs Servers in the slug index.\n"
	        "# TYPE mcp_slugs gauge\nmcp_slugs %zu\n",
	        all) != 0)
		return -1;
	return 0;
}

/*
 * Each family's buffer with its head, and room for m slugs' samples:
 * grown once, not doubled again and again through a 40 MB scrape.
 */
static int
prom_open(struct prom *p, size_t m)
{
	size_t want;
	char *np;
	int i;

	for (i = 0; i < NFAM; i++) {
		if (mcp_buf_adds(&p->f[i], fam_head[i]) != 0)
			return -1;
		if (m > (size_t)-1 / 256)
			return -1;
		if ((want = p->f[i].len + 1 + m * fam_bytes[i]) <= p->f[i].cap)
			continue;
		if ((np = realloc(p->f[i].p, want)) == NULL)
			return -1;
		p->f[i].p = np;
		p->f[i].cap = want;
	}
	return 0;
}

/* Every slug of the index, or share K of N of them: /metrics[?shard=K/N]. */
void
serve_metrics(struct conn *c, const struct req *q, struct resp *r)
{
	const char *a0[] = {"ZRANGE", "mcp:slugs", "0", "-1"}, **argv[] = {a0};
	struct prom p = {.now = q->now, .all = 1};
	int argc[] = {4}, rc = 0;
	redisReply *rep[1];
	unsigned k, n;
	size_t m, all;
	char **slugs;

	if (shard_of(q->query, &k, &n) == -1) {
		serve_error(r, 400, "bad query", NULL);
		return;
	}
	if (serve_query(c, 1, argc, argv, rep) != SR_OK) {
		serve_unavailable(r);
		return;
	}
	if (rep[0]->type != REDIS_REPLY_ARRAY ||
	    (slugs = calloc(rep[0]->elements + 1, sizeof(*slugs))) == NULL) {
		serve_free_replies(rep, 1);
		serve_unavailable(r);
		return;
	}
	m = share_of(rep[0], k, n, slugs, &all);
	if (prom_open(&p, m) != 0)
		rc = -2;
	else if (m > 0)
		rc = serve_each_summary(
		    c, q->now, slugs, m, SERVE_EACH_KEEP | SERVE_EACH_NO_MAINT, prom_one, &p);
	free(slugs);
	serve_free_replies(rep, 1);
	if (rc == 0)
		rc = prom_out(&p, k, all, r) == 0 ? 0 : -2;
	prom_free(&p);
	if (rc == -1)
		serve_unavailable(r);
	else if (rc != 0)
		serve_error(r, 500, "out of memory", NULL);
	r->ctype = rc == 0 ? CT_PROM : r->ctype;
	r->cache = rc == 0 ? "no-cache" : r->cache;
}
