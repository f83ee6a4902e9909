/*
 * metric.c - the records of one export interval as OTLP metrics
 * (metrics.proto): mcp.client.operation.duration, the histogram of
 * OpenTelemetry's MCP conventions, fed by span.c with each MCP step that
 * ran; and the suite's own from the result and verdict records: each
 * probe's state, duration and certificate, the results by state, each
 * verdict and its tool-list changes.  Encoded as one
 * ExportMetricsServiceRequest.  Sums and the histogram are DELTA (the
 * interval's) or CUMULATIVE (since the run began).  Pure: no I/O.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "otlp.h"

static const double bounds[] = {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300};
#define NB (sizeof(bounds) / sizeof(bounds[0]))
/* Series of a kind kept at most; more are dropped and counted. */
#define SERIES_MAX 4096
/* Bytes of gauge points kept at most before an export is due. */
#define POINTS_MAX (4 << 20)

enum { TEMP_DELTA = 1, TEMP_CUMULATIVE = 2 };
enum { F_NUM_ATTR = 7, F_HIST_ATTR = 9 };

struct series {
	struct series *next;
	struct mcp_buf attrs; /* encoded KeyValues: the series' key */
	uint64_t count, b[NB + 1];
	double sum, min, max;
};

struct list {
	struct series *head;
	size_t n;
};

struct otlp_metrics {
	int cumulative;
	uint64_t start; /* of the interval, or of the run */
	struct list ops, results, changes;
	/* encoded NumberDataPoints of the gauges, field 1 of Gauge */
	struct mcp_buf state, duration, cert, verdict;
	int points; /* in those */
	long dropped;
};

static uint64_t
nanos(double t)
{
	return (uint64_t)(t * 1e3 + 0.5) * 1000000ULL;
}

struct otlp_metrics *
otlp_metrics_new(int cumulative, double now)
{
	struct otlp_metrics *m = calloc(1, sizeof(*m));

	if (m != NULL) {
		m->cumulative = cumulative;
		m->start = nanos(now);
	}
	return m;
}

static void
list_free(struct list *l)
{
	struct series *s, *next;

	for (s = l->head; s != NULL; s = next) {
		next = s->next;
		mcp_buf_free(&s->attrs);
		free(s);
	}
	l->head = NULL;
	l->n = 0;
}

static void
gauges_reset(struct otlp_metrics *m)
{
	mcp_buf_reset(&m->state);
	mcp_buf_reset(&m->duration);
	mcp_buf_reset(&m->cert);
	mcp_buf_reset(&m->verdict);
}

void
otlp_metrics_free(struct otlp_metrics *m)
{
	if (m == NULL)
		return;
	list_free(&m->ops);
	list_free(&m->results);
	list_free(&m->changes);
	mcp_buf_free(&m->state);
	mcp_buf_free(&m->duration);
	mcp_buf_free(&m->cert);
	mcp_buf_free(&m->verdict);
	free(m);
}

long
otlp_metrics_dropped(const struct otlp_metrics *m)
{
	return m->dropped;
}

int
otlp_metrics_due(const struct otlp_metrics *m)
{
	return m->state.len + m->duration.len + m->cert.len + m->verdict.len > POINTS_MAX;
}

/* The series of l whose attributes are a (taken over when new), or NULL. */
static struct series *
series_of(struct otlp_metrics *m, struct list *l, struct mcp_buf *a)
{
	struct series *s;

	for (s = l->head; s != NULL; s = s->next)
		if (s->attrs.len == a->len && memcmp(s->attrs.p, a->p, a->len) == 0) {
			mcp_buf_free(a);
			return s;
		}
	if (l->n >= SERIES_MAX || (s = calloc(1, sizeof(*s))) == NULL) {
		m->dropped++;
		mcp_buf_free(a);
		return NULL;
	}
	s->attrs = *a;
	memset(a, 0, sizeof(*a));
	s->next = l->head;
	l->head = s;
	l->n++;
	return s;
}

int
otlp_metrics_op(struct otlp_metrics *m, const struct otlp_probe *c, const char *method,
    const char *etype, double seconds)
{
	struct mcp_buf a = {0};
	struct series *s;
	size_t i;

	if (m == NULL)
		return 0;
	if (pb_kv_str(&a, F_HIST_ATTR, "mcp.method.name", method) == -1 ||
	    (etype != NULL && pb_kv_str(&a, F_HIST_ATTR, "error.type", etype) == -1) ||
	    (c->host[0] != '\0' && pb_kv_str(&a, F_HIST_ATTR, "server.address", c->host) == -1) ||
	    (c->port > 0 && pb_kv_int(&a, F_HIST_ATTR, "server.port", c->port) == -1) ||
	    pb_kv_str(&a, F_HIST_ATTR, "network.transport", "tcp") == -1 ||
	    (c->version != NULL &&
	        pb_kv_str(&a, F_HIST_ATTR, "mcp.protocol.version", c->version) == -1)) {
		mcp_buf_free(&a);
		return -1;
	}
	if ((s = series_of(m, &m->ops, &a)) == NULL)
		return 0;
	for (i = 0; i < NB && seconds > bounds[i]; i++)
		;
	s->b[i]++;
	s->min = s->count == 0 || seconds < s->min ? seconds : s->min;
	s->max = s->count == 0 || seconds > s->max ? seconds : s->max;
	s->count++;
	s->sum += seconds;
	return 0;
}

static const char *
jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double
jnum(const cJSON *o, const char *k, double lo, double hi)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(v) && v->valuedouble >= lo && v->valuedouble <= hi ? v->valuedouble
	                                                                         : NAN;
}

static int
pb_double(struct mcp_buf *b, unsigned field, double v)
{
	uint64_t u;

	memcpy(&u, &v, sizeof(u));
	return pb_fixed64(b, field, u);
}

/* A NumberDataPoint (as_double) with the KeyValues a, to the gauge's points g. */
static int
point(struct mcp_buf *g, const struct mcp_buf *a, uint64_t t, double v, int *n)
{
	struct mcp_buf p = {0};
	int rc = -1;

	(*n)++;
	if (mcp_buf_add(&p, a->p, a->len) == 0 && pb_fixed64(&p, 3, t) == 0 &&
	    pb_double(&p, 4, v) == 0)
		rc = pb_bytes(g, 1, p.p, p.len);
	mcp_buf_free(&p);
	return rc;
}

/* slug and region, then a third key's value when there is one. */
static int
attrs_of(struct mcp_buf *a, const char *slug, const char *region, const char *k, const char *v)
{
	mcp_buf_reset(a);
	return pb_kv_str(a, F_NUM_ATTR, "mcp_uptime.slug", slug) == -1 ||
	        (region != NULL && pb_kv_str(a, F_NUM_ATTR, "mcp_uptime.region", region) == -1) ||
	        (k != NULL && pb_kv_str(a, F_NUM_ATTR, k, v) == -1)
	    ? -1
	    : 0;
}

/* One state of names set to 1, the others 0: a point each. */
static int
one_hot(struct mcp_buf *g, const char *slug, const char *region, const char *key,
    const char *const *names, const char *state, uint64_t t, int *n)
{
	struct mcp_buf a = {0};
	int rc = 0;

	for (; rc == 0 && *names != NULL; names++)
		if ((rc = attrs_of(&a, slug, region, key, *names)) == 0)
			rc = point(g, &a, t, strcmp(*names, state) == 0, n);
	mcp_buf_free(&a);
	return rc;
}

static int
count(struct otlp_metrics *m, struct list *l, struct mcp_buf *a, uint64_t n)
{
	struct series *s = series_of(m, l, a);

	if (s != NULL)
		s->count += n;
	return 0;
}

static int
result(struct otlp_metrics *m, const cJSON *rec, const char *slug, const char *region)
{
	static const char *const states[] = {"healthy", "auth-walled", "broken", NULL};
	const char *state = jstr(rec, "state");
	double t0 = jnum(rec, "probe_started_at", 1, 1e11), ms = jnum(rec, "ms", 0, 1e8);
	double fin = jnum(rec, "probe_finished_at", 1, 1e11);
	double cert = jnum(rec, "cert_expires_at", 1, 1e11);
	uint64_t t = nanos(!isnan(fin) ? fin : t0);
	struct mcp_buf a = {0};
	int rc = 0;

	if (state == NULL || isnan(t0))
		return 0;
	if (strcmp(state, "unjudged") != 0)
		rc = one_hot(
		    &m->state, slug, region, "mcp_uptime.state", states, state, t, &m->points);
	if (rc == 0 && !isnan(ms) && strcmp(state, "unjudged") != 0 &&
	    (rc = attrs_of(&a, slug, region, NULL, NULL)) == 0)
		rc = point(&m->duration, &a, t, ms / 1e3, &m->points);
	if (rc == 0 && !isnan(cert) && (rc = attrs_of(&a, slug, region, NULL, NULL)) == 0)
		rc = point(&m->cert, &a, t, (cert - t0) / 86400, &m->points);
	if (rc == 0 && (rc = attrs_of(&a, slug, region, "mcp_uptime.state", state)) == 0)
		rc = count(m, &m->results, &a, 1);
	mcp_buf_free(&a);
	return rc;
}

static int
verdict(struct otlp_metrics *m, const cJSON *rec, const char *slug, double now)
{
	static const char *const states[] = {"up", "degraded", "down", "pending", NULL};
	const char *v = jstr(rec, "verdict"), *state = "pending";
	const cJSON *drift = cJSON_GetObjectItemCaseSensitive(rec, "drift"), *d;
	struct mcp_buf a = {0};
	const char *region;
	int rc;

	if (v != NULL && strcmp(v, "green") == 0)
		state = "up";
	else if (v != NULL && strcmp(v, "amber") == 0)
		state = "degraded";
	else if (v != NULL && strcmp(v, "red") == 0)
		state = "down";
	rc = one_hot(
	    &m->verdict, slug, NULL, "mcp_uptime.state", states, state, nanos(now), &m->points);
	if (!cJSON_IsArray(drift))
		drift = NULL;
	cJSON_ArrayForEach(d, drift)
	{
		region = jstr(d, "region");
		if (rc == 0 && (rc = attrs_of(&a, slug, region, NULL, NULL)) == 0)
			rc = count(m, &m->changes, &a, 1);
	}
	mcp_buf_free(&a);
	return rc;
}

int
otlp_metrics_rec(struct otlp_metrics *m, const cJSON *rec, double now)
{
	const char *type = jstr(rec, "type"), *slug = jstr(rec, "slug");

	if (m == NULL || type == NULL || slug == NULL)
		return 0;
	if (strcmp(type, "result") == 0)
		return result(m, rec, slug, jstr(rec, "region"));
	if (strcmp(type, "verdict") == 0)
		return verdict(m, rec, slug, now);
	return 0;
}

/* Metric{name, description, unit, and its data as field f}. */
static int
metric(struct mcp_buf *out, const char *name, const char *desc, const char *unit, unsigned f,
    const struct mcp_buf *data)
{
	struct mcp_buf b = {0};
	int rc = -1;

	if (pb_str(&b, 1, name) == 0 && pb_str(&b, 2, desc) == 0 && pb_str(&b, 3, unit) == 0 &&
	    pb_bytes(&b, f, data->p, data->len) == 0)
		rc = pb_bytes(out, 2, b.p, b.len); /* ScopeMetrics.metrics */
	mcp_buf_free(&b);
	return rc;
}

static int
histogram(struct mcp_buf *out, const struct otlp_metrics *m, uint64_t now, int *n)
{
	struct mcp_buf h = {0}, p = {0}, packed = {0};
	const struct series *s;
	unsigned char t[8];
	uint64_t u;
	size_t i;
	int j, rc = -1;

	for (s = m->ops.head; s != NULL; s = s->next, (*n)++) {
		mcp_buf_reset(&p);
		mcp_buf_reset(&packed);
		for (i = 0; i <= NB; i++) {
			for (j = 0; j < 8; j++)
				t[j] = (unsigned char)(s->b[i] >> (8 * j));
			if (mcp_buf_add(&packed, t, 8) == -1)
				goto out;
		}
		if (mcp_buf_add(&p, s->attrs.p, s->attrs.len) == -1 ||
		    pb_fixed64(&p, 2, m->start) == -1 || pb_fixed64(&p, 3, now) == -1 ||
		    pb_fixed64(&p, 4, s->count) == -1 || pb_double(&p, 5, s->sum) == -1 ||
		    pb_bytes(&p, 6, packed.p, packed.len) == -1)
			goto out;
		mcp_buf_reset(&packed);
		for (i = 0; i < NB; i++) {
			memcpy(&u, &bounds[i], 8);
			for (j = 0; j < 8; j++)
				t[j] = (unsigned char)(u >> (8 * j));
			if (mcp_buf_add(&packed, t, 8) == -1)
				goto out;
		}
		if (pb_bytes(&p, 7, packed.p, packed.len) == -1 ||
		    pb_double(&p, 11, s->min) == -1 || pb_double(&p, 12, s->max) == -1 ||
		    pb_bytes(&h, 1, p.p, p.len) == -1)
			goto out;
	}
	if (pb_uint(&h, 2, m->cumulative ? TEMP_CUMULATIVE : TEMP_DELTA) == -1)
		goto out;
	rc = metric(out, "mcp.client.operation.duration",
	    "The duration of an MCP request or notification, as the client sees it.", "s", 9, &h);
out:
	mcp_buf_free(&h);
	mcp_buf_free(&p);
	mcp_buf_free(&packed);
	return rc;
}

/* A monotonic Sum of the series of l (as_int). */
static int
sum(struct mcp_buf *out, const struct otlp_metrics *m, const struct list *l, uint64_t now,
    const char *name, const char *desc, const char *unit, int *n)
{
	struct mcp_buf d = {0}, p = {0};
	const struct series *s;
	int rc = -1;

	for (s = l->head; s != NULL; s = s->next, (*n)++) {
		mcp_buf_reset(&p);
		if (mcp_buf_add(&p, s->attrs.p, s->attrs.len) == -1 ||
		    pb_fixed64(&p, 2, m->start) == -1 || pb_fixed64(&p, 3, now) == -1 ||
		    pb_fixed64(&p, 6, s->count) == -1 || pb_bytes(&d, 1, p.p, p.len) == -1)
			goto out;
	}
	if (pb_uint(&d, 2, m->cumulative ? TEMP_CUMULATIVE : TEMP_DELTA) == -1 ||
	    pb_uint(&d, 3, 1) == -1)
		goto out;
	rc = metric(out, name, desc, unit, 7, &d);
out:
	mcp_buf_free(&d);
	mcp_buf_free(&p);
	return rc;
}

static int
gauge(struct mcp_buf *out, const struct mcp_buf *pts, const char *name, const char *desc,
    const char *unit)
{
	return pts->len == 0 ? 0 : metric(out, name, desc, unit, 5, pts);
}

/* Start over: a new interval (DELTA), or the same one going on (CUMULATIVE). */
static void
reset(struct otlp_metrics *m, uint64_t now)
{
	gauges_reset(m);
	m->points = 0;
	if (m->cumulative)
		return;
	list_free(&m->ops);
	list_free(&m->results);
	list_free(&m->changes);
	m->start = now;
}

static int
metrics_of(struct mcp_buf *sm, const struct otlp_metrics *m, uint64_t now, int *n)
{
	struct mcp_buf b = {0};
	int rc = pb_str(&b, 1, "mcp-otlp") == -1 ? -1 : pb_bytes(sm, 1, b.p, b.len);

	mcp_buf_free(&b);
	if (rc == 0 && m->ops.head != NULL)
		rc = histogram(sm, m, now, n);
	if (rc == 0 && m->results.head != NULL)
		rc = sum(sm, m, &m->results, now, "mcp_uptime.probe.results",
		    "Probe results, by state.", "{result}", n);
	if (rc == 0 && m->changes.head != NULL)
		rc = sum(sm, m, &m->changes, now, "mcp_uptime.tools.changes",
		    "Same-region tool-list changes (the verdicts' drift entries).", "{change}", n);
	if (rc == 0)
		rc = gauge(sm, &m->state, "mcp_uptime.probe.state",
		    "1 for the state of the probe's result, 0 for the others.", "1");
	if (rc == 0)
		rc = gauge(sm, &m->duration, "mcp_uptime.probe.duration",
		    "The duration of the whole probe.", "s");
	if (rc == 0)
		rc = gauge(sm, &m->cert, "mcp_uptime.tls.cert.days_left",
		    "Days from the probe to its server certificate's notAfter.", "d");
	if (rc == 0)
		rc = gauge(sm, &m->verdict, "mcp_uptime.verdict",
		    "1 for the state of the server's verdict (up, degraded, down, pending), 0 for "
		    "the others.",
		    "1");
	return rc;
}

int
otlp_metrics_export(struct otlp_metrics *m, const struct otlp_res *res, double now_s,
    struct mcp_buf *out, int *npoints)
{
	struct mcp_buf sm = {0}, rm = {0};
	uint64_t now = nanos(now_s);
	int rc = -1, n = 0;

	*npoints = 0;
	if (m->ops.head == NULL && m->results.head == NULL && m->changes.head == NULL &&
	    m->state.len + m->duration.len + m->cert.len + m->verdict.len == 0)
		return 0;
	n = m->points;
	if (metrics_of(&sm, m, now, &n) == -1 || otlp_resource(&rm, res, NULL) == -1 ||
	    pb_bytes(&rm, 2, sm.p, sm.len) == -1 || pb_bytes(out, 1, rm.p, rm.len) == -1)
		goto out;
	*npoints = n;
	rc = 1;
out:
	reset(m, now);
	mcp_buf_free(&sm);
	mcp_buf_free(&rm);
	return rc;
}
