/*
 * rule.c - the verdict rules of CONTRACT §3, window maths and the stored
 * forms of a result; no I/O.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"

/* What the decision needs per region. */
struct region {
	const char *name;
	int reports;                     /* has a result in the lookback */
	unsigned failmask;               /* bit s: its latest result in the lookback failed at s */
	const struct agg_result *latest; /* latest result of the divergence span */
};

long long
agg_window(double t)
{
	return (long long)floor(t / AGG_WINDOW) * AGG_WINDOW;
}

long long
agg_latest_complete(double now)
{
	return agg_window(now - AGG_WINDOW - AGG_GRACE);
}

/*
 * The logarithm gives the bucket up to a rounding error of the last bit;
 * the two loops settle a duration that lies on a bound, so that
 * 1.05^(b-1) < ms <= 1.05^b holds as pow() computes it.
 */
int
agg_lat_bucket(double ms)
{
	int b;

	if (!(ms > 1))
		return 0;
	if (ms > pow(AGG_LAT_BASE, AGG_LAT_NBUCKET - 2))
		return AGG_LAT_NBUCKET - 1;
	b = (int)ceil(log(ms) / log(AGG_LAT_BASE));
	while (pow(AGG_LAT_BASE, b) < ms)
		b++;
	while (b > 0 && pow(AGG_LAT_BASE, b - 1) >= ms)
		b--;
	return b;
}

long long
agg_lat_value(int bucket)
{
	if (bucket < 0)
		bucket = 0;
	if (bucket >= AGG_LAT_NBUCKET)
		bucket = AGG_LAT_NBUCKET - 1;
	return llround(pow(AGG_LAT_BASE, bucket));
}

const char *
agg_verdict_name(enum agg_verdict v)
{
	static const char *const names[] = {"green", "amber", "red", "unknown"};

	return names[v];
}

char
agg_verdict_code(enum agg_verdict v)
{
	return "garu"[v];
}

int
agg_key(char *buf, size_t len, const char *slug, const char *what, long long n)
{
	int k;

	if (n >= 0)
		k = snprintf(buf, len, "mcp:{%s}:%s:%lld", slug, what, n);
	else
		k = snprintf(buf, len, "mcp:{%s}:%s", slug, what);
	return k < 0 || (size_t)k >= len ? -1 : 0;
}

long long
agg_start_ms(double started, long long window)
{
	double d = (started - (double)window) * 1000;
	long long ms = llround(d);

	/*
	 * Rounding never carries a start up to a whole second: every bound a
	 * verdict compares a start with is a whole second, so the start stays
	 * on the side of each bound where the record put it.
	 */
	if (ms > d && ms % 1000 == 0)
		ms--;
	if (ms < 0)
		return 0;
	return ms >= AGG_WINDOW * 1000 ? AGG_WINDOW * 1000 - 1 : ms;
}

/* "sha256:" and 64 lowercase hex digits, as mcp-probe writes them. */
static int
hash_is_sha256(const char *h)
{
	size_t n;

	if (strncmp(h, "sha256:", 7) != 0)
		return 0;
	for (n = 0; h[7 + n] != '\0'; n++)
		if (!((h[7 + n] >= '0' && h[7 + n] <= '9') || (h[7 + n] >= 'a' && h[7 + n] <= 'f')))
			return 0;
	return n == 64;
}

int
agg_hash_id(const char *hash, char *buf, size_t len)
{
	int k;

	if (hash_is_sha256(hash))
		k = snprintf(buf, len, "%.*s", AGG_HASH_ID, hash + 7);
	else
		k = snprintf(buf, len, "=%s", hash);
	return k < 0 || (size_t)k >= len ? -1 : 0;
}

long
agg_ms_whole(double ms)
{
	if (!(ms >= 0))
		return -1;
	return ms >= AGG_LATENCY_MAX ? AGG_LATENCY_MAX : (long)llround(ms);
}

int
agg_code_ok(const char *s)
{
	size_t n;

	for (n = 0; s[n] != '\0'; n++)
		if (n == AGG_CODE_MAX ||
		    !((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
			return 0;
	return n > 0;
}

static int
host_char(char c, int v6)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
	    c == '_' || c == '~' || c == '%' || (v6 && c == ':');
}

/*
 * The authority runs from "//" to the path, query or fragment; the host
 * from the last "@" in it to the port.  The probe drops the userinfo
 * before it prints a URL, but any URL in a record is read this way.
 */
int
agg_url_host(const char *url, char *buf, size_t len)
{
	const char *s = url, *a, *e, *h, *he;
	size_t n, i;
	int v6 = 0;

	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return -1;
	s += strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
	if (strncmp(s, "://", 3) != 0)
		return -1;
	a = s + 3;
	e = a + strcspn(a, "/?#");
	for (h = a, s = a; s < e; s++)
		if (*s == '@')
			h = s + 1;
	if (*h == '[') {
		v6 = 1;
		h++;
		if ((he = memchr(h, ']', (size_t)(e - h))) == NULL || (he + 1 < e && he[1] != ':'))
			return -1;
	} else if ((he = memchr(h, ':', (size_t)(e - h))) == NULL) {
		he = e;
	}
	n = (size_t)(he - h);
	if (n == 0 || n > AGG_HOST_MAX || n >= len)
		return -1;
	for (i = 0; i < n; i++) {
		buf[i] = h[i] >= 'A' && h[i] <= 'Z' ? (char)(h[i] - 'A' + 'a') : h[i];
		if (!host_char(buf[i], v6))
			return -1;
	}
	buf[n] = '\0';
	return 0;
}

/* The state letter, at the head of f; the rest of f follows it. */
static int
state_of(const char *f, struct agg_result *r)
{
	switch (f[0]) {
	case 'h':
		r->state = AGG_HEALTHY;
		return 0;
	case 'a':
		r->state = AGG_AUTH_WALLED;
		return 0;
	case 'b':
		r->state = AGG_BROKEN;
		return 0;
	}
	return -1;
}

/* A duration of the old format, a JSON number or "-": whole ms, or -1. */
static long
old_ms(const char *s)
{
	char *end;
	double d = strtod(s, &end);

	return end == s || *end != '\0' ? -1 : agg_ms_whole(d);
}

/*
 * The format of before: "STARTED STATE STEP HASH MS".  The hash is reduced
 * in place to the id a result is stored with now, so that the two formats
 * compare equal for one tool list during the upgrade.  The start lies in
 * the window of the key, as push wrote it.
 */
static int
parse_old(char **f, const char *region, long long window, struct agg_result *r)
{
	char *end;

	r->region = region;
	r->started = strtod(f[0], &end);
	if (*end != '\0' || end == f[0] || !(r->started >= (double)window) ||
	    !(r->started < (double)(window + AGG_WINDOW)) || f[1][1] != '\0' ||
	    state_of(f[1], r) == -1)
		return -1;
	r->failed_step = strcmp(f[2], "-") == 0 ? -1 : mcp_step_index(f[2]);
	if (r->state == AGG_BROKEN && r->failed_step < 0)
		return -1;
	r->hash = NULL;
	r->error = NULL;
	r->ms = r->state == AGG_BROKEN ? -1 : old_ms(f[4]);
	if (strcmp(f[3], "-") == 0 || r->state == AGG_BROKEN)
		return 0;
	if (hash_is_sha256(f[3])) {
		f[3][7 + AGG_HASH_ID] = '\0';
		r->hash = f[3] + 7;
	} else {
		/* The separator before the hash; the step is read already. */
		f[3][-1] = '=';
		r->hash = f[3] - 1;
	}
	return 0;
}

/*
 * A duration as stored now: digits, at most AGG_MS_MAX; counted as at most
 * AGG_LATENCY_MAX, which is all that push stores now.
 */
static int
ms_parse(const char *s, long *ms)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	*ms = strtol(s, &end, 10);
	if (*end != '\0' || *ms > AGG_MS_MAX)
		return -1;
	if (*ms > AGG_LATENCY_MAX)
		*ms = AGG_LATENCY_MAX;
	return 0;
}

/*
 * The format of now: "OFFSET hID MS" or "OFFSET aID MS" (the id right
 * after the state letter, none for no hash; MS left out when unknown), or
 * "OFFSET b STEP CODE" (CODE left out for none).  Values written before
 * MS and CODE existed are the same without them.  A code that is not one
 * is read as none: the failure counts all the same.
 */
static int
parse_new(char **f, int n, const char *region, long long window, struct agg_result *r)
{
	char *end;
	long ms;

	r->region = region;
	ms = strtol(f[0], &end, 10);
	if (*end != '\0' || end == f[0] || ms < 0 || ms >= AGG_WINDOW * 1000 ||
	    state_of(f[1], r) == -1)
		return -1;
	r->started = (double)window + (double)ms / 1000;
	r->failed_step = -1;
	r->hash = NULL;
	r->error = NULL;
	r->ms = -1;
	if (r->state == AGG_BROKEN) {
		if (n < 3 || f[1][1] != '\0')
			return -1;
		if (n == 4 && agg_code_ok(f[3]))
			r->error = f[3];
		r->failed_step = mcp_step_index(f[2]);
		return r->failed_step < 0 ? -1 : 0;
	}
	if (n == 4 || (n == 3 && ms_parse(f[2], &r->ms) == -1))
		return -1;
	if (f[1][1] != '\0')
		r->hash = f[1] + 1;
	return 0;
}

int
agg_result_parse(char *s, const char *region, long long window, struct agg_result *r)
{
	char *f[6], *save = NULL;
	int n;

	for (n = 0; n < 6; n++)
		if ((f[n] = strtok_r(n ? NULL : s, " ", &save)) == NULL)
			break;
	if (n == 5)
		return parse_old(f, region, window, r);
	if (n >= 2 && n <= 4)
		return parse_new(f, n, region, window, r);
	return -1;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static struct region *
region_of(struct region *rs, size_t *n, const char *name)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(rs[i].name, name) == 0)
			return &rs[i];
	memset(&rs[*n], 0, sizeof(rs[*n]));
	rs[*n].name = name;
	return &rs[(*n)++];
}

/* Collect the names of regions matching pick() into a sorted owned array. */
static int
collect(const struct region *rs, size_t n, int (*pick)(const struct region *, unsigned),
    unsigned arg, const char ***out, size_t *nout)
{
	size_t i;

	*nout = 0;
	if ((*out = calloc(n ? n : 1, sizeof(**out))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (pick(&rs[i], arg))
			(*out)[(*nout)++] = rs[i].name;
	qsort(*out, *nout, sizeof(**out), name_cmp);
	return 0;
}

static int
pick_reporter(const struct region *r, unsigned arg)
{
	(void)arg;
	return r->reports;
}

static int
pick_failing(const struct region *r, unsigned mask)
{
	return (r->failmask & mask) != 0;
}

static int
diverges(const struct region *rs, size_t n)
{
	const char *first = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct agg_result *l = rs[i].latest;

		if (l == NULL || l->state == AGG_BROKEN || l->hash == NULL)
			continue;
		if (first == NULL)
			first = l->hash;
		else if (strcmp(first, l->hash) != 0)
			return 1;
	}
	return 0;
}

/* The regions carrying the hash h, among the passing ones. */
static size_t
carrying(const struct region *rs, size_t n, const char *h)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += rs[i].latest != NULL && rs[i].latest->state != AGG_BROKEN &&
		    rs[i].latest->hash != NULL && strcmp(rs[i].latest->hash, h) == 0;
	return k;
}

/*
 * The passing regions whose latest hash is not the one most carry, sorted
 * (every region with a hash when two or more hashes tie for most).
 */
static int
divergent(const struct region *rs, size_t n, struct agg_decision *d)
{
	const char *best = NULL, *h;
	size_t i, k, most = 0, ties = 0;

	d->ndivergent = 0;
	if ((d->divergent = calloc(n + 1, sizeof(*d->divergent))) == NULL)
		return -1;
	if (!d->divergence)
		return 0;
	for (i = 0; i < n; i++) {
		if (rs[i].latest == NULL || rs[i].latest->state == AGG_BROKEN ||
		    (h = rs[i].latest->hash) == NULL || (best != NULL && strcmp(h, best) == 0))
			continue;
		if ((k = carrying(rs, n, h)) > most)
			most = k, best = h, ties = 0;
		else if (k == most)
			ties++;
	}
	for (i = 0; i < n; i++)
		if (rs[i].latest != NULL && rs[i].latest->state != AGG_BROKEN &&
		    (h = rs[i].latest->hash) != NULL && (ties > 0 || strcmp(h, best) != 0))
			d->divergent[d->ndivergent++] = rs[i].name;
	qsort(d->divergent, d->ndivergent, sizeof(*d->divergent), name_cmp);
	return 0;
}

static int
lowest_bit(unsigned mask)
{
	int s;

	for (s = 0; s < MCP_NSTEPS; s++)
		if (mask & (1u << s))
			return s;
	return -1;
}

/*
 * Fill the region table from the results: who reports in the lookback,
 * each region's latest result of the divergence span, and from it the step
 * a region fails.  A region fails by its latest result in the lookback
 * (CONTRACT §3): an earlier failure that a later pass has followed is over,
 * so a verdict turns green in the first window the regions pass again.
 */
static void
tabulate(const struct agg_input *in, struct region *rs, size_t *n)
{
	double hi = (double)(in->window + AGG_WINDOW);
	double lo = hi - in->lookback, dlo = hi - AGG_DIVERGENCE_SPAN;
	const struct agg_result *r;
	struct region *g;
	size_t i;

	for (i = 0; i < in->nres; i++) {
		r = &in->res[i];
		if (r->started >= hi || r->started < (lo < dlo ? lo : dlo))
			continue;
		g = region_of(rs, n, r->region);
		if (r->started >= lo)
			g->reports = 1;
		if (r->started >= dlo && (g->latest == NULL || r->started > g->latest->started))
			g->latest = r;
	}
	/* The span is at least the lookback: a region's latest of the span is
	 * its latest of the lookback when it reports. */
	for (i = 0; i < *n; i++) {
		r = rs[i].latest;
		if (rs[i].reports && r != NULL && r->started >= lo && r->state == AGG_BROKEN)
			rs[i].failmask = 1u << r->failed_step;
	}
}

static void
classify(struct agg_decision *d, const struct region *rs, size_t n, unsigned *mask)
{
	unsigned all = 0;
	int cnt[MCP_NSTEPS] = {0}, s, best = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		all |= rs[i].failmask;
		for (s = 0; s < MCP_NSTEPS; s++)
			cnt[s] += (rs[i].failmask >> s) & 1;
	}
	for (s = 1; s < MCP_NSTEPS; s++)
		if (cnt[s] > cnt[best])
			best = s;
	*mask = all;
	d->step = lowest_bit(all);
	if (d->nreporters == 0) {
		d->verdict = AGG_UNKNOWN, d->severity = "stale";
		d->divergence = 0;
	} else if (cnt[best] >= 2) {
		d->verdict = AGG_RED, d->severity = cnt[best] >= 3 ? "outage" : "alert";
		d->step = best;
		*mask = 1u << best;
	} else if (all != 0 && d->nreporters == 1) {
		d->verdict = AGG_RED, d->severity = "alert";
	} else if (all != 0) {
		d->verdict = AGG_AMBER, d->severity = "regional";
	} else if (d->divergence) {
		d->verdict = AGG_AMBER, d->severity = "divergence";
	} else {
		d->verdict = AGG_GREEN, d->severity = "ok";
	}
}

static int
ms_cmp(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/*
 * The error code of the regions failing at step, each by its latest
 * result: the most frequent, on a tie the first by name; NULL when none
 * carries one.
 */
static int
error_of(const struct region *rs, size_t nrs, int step, const char **code)
{
	const struct agg_result *r;
	const char **v;
	size_t i, j, n = 0, best = 0;

	*code = NULL;
	if (step < 0)
		return 0;
	if ((v = calloc(nrs + 1, sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < nrs; i++) {
		r = rs[i].latest;
		if ((rs[i].failmask & (1u << step)) && r->error != NULL)
			v[n++] = r->error;
	}
	qsort(v, n, sizeof(*v), name_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && strcmp(v[i], v[j]) == 0; j++)
			;
		if (j - i > best)
			best = j - i, *code = v[i];
	}
	free(v);
	return 0;
}

/* The lower median of the durations of the passing results of W itself, or -1. */
static int
median_of(const struct agg_input *in, long *ms)
{
	double lo = (double)in->window, hi = lo + AGG_WINDOW;
	const struct agg_result *r;
	long *v;
	size_t i, n = 0;

	*ms = -1;
	if ((v = calloc(in->nres + 1, sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < in->nres; i++) {
		r = &in->res[i];
		if (r->started >= lo && r->started < hi && r->state != AGG_BROKEN && r->ms >= 0)
			v[n++] = r->ms;
	}
	qsort(v, n, sizeof(*v), ms_cmp);
	if (n > 0)
		*ms = v[(n - 1) / 2];
	free(v);
	return 0;
}

int
agg_decide(const struct agg_input *in, struct agg_decision *d)
{
	struct region *rs;
	unsigned mask;
	size_t n = 0, i;
	int rc = -1;

	memset(d, 0, sizeof(*d));
	if ((rs = calloc(in->nres + 1, sizeof(*rs))) == NULL)
		return -1;
	tabulate(in, rs, &n);
	d->divergence = diverges(rs, n);
	if (collect(rs, n, pick_reporter, 0, &d->reporters, &d->nreporters) == -1)
		goto out;
	classify(d, rs, n, &mask);
	if (collect(rs, n, pick_failing, mask, &d->failed, &d->nfailed) == -1 ||
	    collect(rs, n, pick_failing, mask, &d->failing_now, &d->nfailing_now) == -1 ||
	    error_of(rs, n, d->step, &d->error) == -1 || median_of(in, &d->latency_ms) == -1 ||
	    divergent(rs, n, d) == -1)
		goto out;
	if ((d->missing = calloc(in->nseen + 1, sizeof(*d->missing))) == NULL)
		goto out;
	for (i = 0; i < in->nseen; i++) {
		size_t j;

		for (j = 0; j < n && !(rs[j].reports && strcmp(rs[j].name, in->seen[i]) == 0); j++)
			;
		if (j == n)
			d->missing[d->nmissing++] = in->seen[i];
	}
	qsort(d->missing, d->nmissing, sizeof(*d->missing), name_cmp);
	rc = 0;
out:
	free(rs);
	if (rc == -1)
		agg_decision_free(d);
	return rc;
}

void
agg_decision_free(struct agg_decision *d)
{
	free(d->failed);
	free(d->reporters);
	free(d->missing);
	free(d->failing_now);
	free(d->divergent);
	d->failed = d->reporters = d->missing = d->failing_now = d->divergent = NULL;
}

/* "STARTED EXPIRY" as push stores it: 0 with both, else -1. */
static int
cert_value(const char *v, double *started, double *exp)
{
	char *end;

	*started = strtod(v, &end);
	if (end == v || *end != ' ' || !(*started >= 0 && *started <= AGG_TIME_MAX))
		return -1;
	v = end + 1;
	*exp = strtod(v, &end);
	if (end == v || *end != '\0' || !(*exp >= 0 && *exp <= AGG_TIME_MAX) || *exp != floor(*exp))
		return -1;
	return 0;
}

/* One region's expiry, for sorting: by expiry, then by name. */
struct cert_seen {
	const char *region;
	double exp;
};

static int
seen_cmp(const void *a, const void *b)
{
	const struct cert_seen *x = a, *y = b;

	if (x->exp != y->exp)
		return x->exp < y->exp ? -1 : 1;
	return strcmp(x->region, y->region);
}

/*
 * The expiry that pages must be one at least two regions see: the second
 * earliest of the regions' (the earliest when only one region reports);
 * a region alone with an earlier one is a regional fact (CONTRACT §3 and
 * mcp-aggregate(1)).
 */
void
agg_cert_pick(const char *const *regions, const char *const *values, size_t n, double since,
    int two, struct agg_cert *c)
{
	struct cert_seen *v = calloc(n + 1, sizeof(*v));
	double started, e;
	size_t i, k = 0;

	c->exp = -1;
	c->nat = c->nearly = 0;
	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		if (mcp_slug_ok(regions[i]) && cert_value(values[i], &started, &e) == 0 &&
		    started >= since)
			v[k].region = regions[i], v[k++].exp = e;
	qsort(v, k, sizeof(*v), seen_cmp);
	if (k > 0)
		c->exp = two ? (k > 1 ? v[1].exp : -1) : v[0].exp;
	for (i = 0; i < k; i++) {
		if (c->exp >= 0 && v[i].exp == c->exp)
			c->at[c->nat++] = v[i].region;
		else if (c->exp < 0 || v[i].exp < c->exp)
			c->early[c->nearly] = v[i].region, c->early_exp[c->nearly++] = v[i].exp;
	}
	free(v);
}
