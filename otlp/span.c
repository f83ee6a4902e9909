/*
 * span.c - one trace per probe: the steps of a probe kept until its
 * result, then a root span for the probe and a child span for each step
 * that ran, named and attributed by OpenTelemetry's semantic conventions
 * (MCP for the MCP steps; DNS, network, TLS and HTTP for the others).
 * Encoded as one ExportTraceServiceRequest (collector/trace/v1), whose
 * concatenations are requests too: repeated fields merge on the wire.
 * Pure: no I/O.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "mcp.h"
#include "otlp.h"
#include "trace.h"
#include "version.h"

struct slot {
	struct slot *next;
	char *id;                 /* owned: the probe_id */
	cJSON *steps[MCP_NSTEPS]; /* owned copies, by seq */
};

struct otlp_traces {
	struct slot *head; /* oldest first */
	size_t n, max;
	struct otlp_metrics *metrics; /* or NULL */
};

/* Where a span's fields are (trace.proto), and its kinds and status codes. */
enum { SPAN_KIND_INTERNAL = 1, SPAN_KIND_CLIENT = 3 };
enum { STATUS_UNSET = 0, STATUS_OK = 1, STATUS_ERROR = 2 };

struct otlp_traces *
otlp_traces_new(size_t max_probes)
{
	struct otlp_traces *t = calloc(1, sizeof(*t));

	if (t != NULL)
		t->max = max_probes;
	return t;
}

void
otlp_traces_observe(struct otlp_traces *t, struct otlp_metrics *m)
{
	t->metrics = m;
}

static void
slot_free(struct slot *s)
{
	int i;

	for (i = 0; i < MCP_NSTEPS; i++)
		cJSON_Delete(s->steps[i]);
	free(s->id);
	free(s);
}

void
otlp_traces_free(struct otlp_traces *t)
{
	struct slot *s, *next;

	if (t == NULL)
		return;
	for (s = t->head; s != NULL; s = next) {
		next = s->next;
		slot_free(s);
	}
	free(t);
}

/* The slot of id taken out of the list (owned), or NULL. */
static struct slot *
slot_take(struct otlp_traces *t, const char *id)
{
	struct slot **pp, *s;

	for (pp = &t->head; *pp != NULL; pp = &(*pp)->next) {
		if (strcmp((*pp)->id, id) == 0) {
			s = *pp;
			*pp = s->next;
			s->next = NULL;
			t->n--;
			return s;
		}
	}
	return NULL;
}

static void
slot_put(struct otlp_traces *t, struct slot *s)
{
	struct slot **pp = &t->head;

	while (*pp != NULL)
		pp = &(*pp)->next;
	*pp = s;
	t->n++;
}

static const char *
jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
keep_step(struct otlp_traces *t, const cJSON *rec, const char *id, long *evicted)
{
	const cJSON *seq = cJSON_GetObjectItemCaseSensitive(rec, "seq");
	struct slot *s = slot_take(t, id), *old;
	int i;

	if (!cJSON_IsNumber(seq) || seq->valuedouble < 1 || seq->valuedouble > MCP_NSTEPS)
		i = -1;
	else
		i = (int)seq->valuedouble - 1;
	if (s == NULL) {
		if ((s = calloc(1, sizeof(*s))) == NULL || (s->id = strdup(id)) == NULL) {
			free(s);
			return -1;
		}
		while (t->n >= t->max && t->head != NULL) {
			old = t->head;
			t->head = old->next;
			t->n--;
			slot_free(old);
			(*evicted)++;
		}
	}
	if (i >= 0) {
		cJSON_Delete(s->steps[i]);
		s->steps[i] = cJSON_Duplicate(rec, 1);
	}
	slot_put(t, s);
	return 0;
}

static void
url_parts(struct otlp_probe *c, const char *url)
{
	CURLU *u = curl_url();
	char *h = NULL, *p = NULL;

	c->host[0] = '\0';
	c->port = 0;
	if (u == NULL || url == NULL || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
		goto out;
	if (curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK &&
	    snprintf(c->host, sizeof(c->host), "%s", h) >= (int)sizeof(c->host))
		c->host[0] = '\0';
	if (curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) == CURLUE_OK)
		c->port = strtol(p, NULL, 10);
out:
	curl_free(h);
	curl_free(p);
	curl_url_cleanup(u);
}

static uint64_t
nanos(double t)
{
	return (uint64_t)(t * 1e3 + 0.5) * 1000000ULL;
}

struct span {
	const unsigned char *id, *parent;
	const char *name;
	int kind;
	uint64_t start, end;
	struct mcp_buf attrs; /* encoded KeyValues, field 9 */
	int status;
	const char *message;
};

static int
span_encode(struct mcp_buf *out, const struct otlp_probe *c, const struct span *s)
{
	struct mcp_buf b = {0}, st = {0};
	int rc = -1;

	if (pb_bytes(&b, 1, c->trace, 16) == -1 || pb_bytes(&b, 2, s->id, 8) == -1 ||
	    (s->parent != NULL && pb_bytes(&b, 4, s->parent, 8) == -1) ||
	    pb_str(&b, 5, s->name) == -1 || pb_uint(&b, 6, (uint64_t)s->kind) == -1 ||
	    pb_fixed64(&b, 7, s->start) == -1 || pb_fixed64(&b, 8, s->end) == -1 ||
	    (s->attrs.len > 0 && mcp_buf_add(&b, s->attrs.p, s->attrs.len) == -1))
		goto out;
	if (s->status != STATUS_UNSET) {
		if ((s->message != NULL && pb_str(&st, 2, s->message) == -1) ||
		    pb_uint(&st, 3, (uint64_t)s->status) == -1 ||
		    pb_bytes(&b, 15, st.p, st.len) == -1)
			goto out;
	}
	rc = pb_bytes(out, 2, b.p, b.len); /* ScopeSpans.spans */
out:
	mcp_buf_free(&b);
	mcp_buf_free(&st);
	return rc;
}

/* The child span of one step that ran; *t advances by its ms. */
static int
step_span(struct mcp_buf *out, const struct otlp_probe *c, const cJSON *rec, double *t, int *n)
{
	const char *step = jstr(rec, "step"), *status = jstr(rec, "status"), *method;
	const cJSON *ms = cJSON_GetObjectItemCaseSensitive(rec, "ms");
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(rec, "error");
	unsigned char id[8];
	char name[160], num[32];
	struct span s = {0};
	double d = cJSON_IsNumber(ms) && ms->valuedouble > 0 && ms->valuedouble < 1e7
	    ? ms->valuedouble / 1e3
	    : 0;
	int rc;

	if (step == NULL || status == NULL || strcmp(status, "skip") == 0)
		return 0;
	otlp_step_name(c, step, rec, name, sizeof(name), &method);
	mcp_span_id(jstr(rec, "probe_id"), step, id);
	s.id = id;
	s.parent = c->root;
	s.name = name;
	s.kind = SPAN_KIND_CLIENT;
	s.start = c->t0 + nanos(*t);
	s.end = c->t0 + nanos(*t + d);
	*t += d;
	if (strcmp(status, "fail") == 0) {
		s.status = STATUS_ERROR;
		s.message = jstr(e, "code");
	}
	rc = otlp_step_attrs(&s.attrs, c, step, rec, method, name);
	if (rc == 0)
		rc = span_encode(out, c, &s);
	if (rc == 0 && method != NULL)
		rc = otlp_metrics_op(
		    c->metrics, c, method, otlp_error_type(rec, num, sizeof(num)), d);
	mcp_buf_free(&s.attrs);
	(*n)++;
	return rc;
}

/* The code of the probe's failure: the result's error, else its failed step's. */
static const char *
probe_error(const cJSON *res, const struct slot *sl)
{
	const char *code = jstr(cJSON_GetObjectItemCaseSensitive(res, "error"), "code");
	const char *fs = jstr(res, "failed_step");
	int i = fs != NULL ? mcp_step_index(fs) : -1;

	if (code != NULL || i < 0 || sl == NULL || sl->steps[i] == NULL)
		return code;
	return jstr(cJSON_GetObjectItemCaseSensitive(sl->steps[i], "error"), "code");
}

static int
root_span(struct mcp_buf *out, const struct otlp_probe *c, const struct slot *sl, double end)
{
	const char *state = jstr(c->res, "state"), *slug = jstr(c->res, "slug");
	const char *err = probe_error(c->res, sl);
	char name[128];
	struct span s = {0};
	int rc;

	snprintf(name, sizeof(name), "probe %s", slug != NULL ? slug : "?");
	s.id = c->root;
	s.name = name;
	s.kind = SPAN_KIND_INTERNAL;
	s.start = c->t0;
	s.end = c->t0 + nanos(end);
	if (state != NULL && strcmp(state, "broken") == 0) {
		s.status = STATUS_ERROR;
		s.message = err;
	} else if (state != NULL &&
	    (strcmp(state, "healthy") == 0 || strcmp(state, "auth-walled") == 0)) {
		s.status = STATUS_OK;
	}
	rc = otlp_root_attrs(&s.attrs, c, err);
	if (rc == 0)
		rc = span_encode(out, c, &s);
	mcp_buf_free(&s.attrs);
	return rc;
}

int
otlp_resource(struct mcp_buf *out, const struct otlp_res *r, const char *region)
{
	struct mcp_buf a = {0};
	size_t i;
	int rc = -1;

	if (pb_kv_str(&a, 1, "service.name", r->service) == -1 ||
	    pb_kv_str(&a, 1, "service.version", MCP_VERSION) == -1 ||
	    (r->host != NULL && pb_kv_str(&a, 1, "host.name", r->host) == -1) ||
	    (region != NULL &&
	        (pb_kv_str(&a, 1, "cloud.region", region) == -1 ||
	            pb_kv_str(&a, 1, "mcp_uptime.region", region) == -1)))
		goto out;
	for (i = 0; i < r->nattrs; i++)
		if (pb_kv_str(&a, 1, r->attrs[2 * i], r->attrs[2 * i + 1]) == -1)
			goto out;
	rc = pb_bytes(out, 1, a.p, a.len);
out:
	mcp_buf_free(&a);
	return rc;
}

static int
spans_of(struct mcp_buf *out, struct otlp_probe *c, const struct slot *sl, int *n)
{
	const cJSON *fin = cJSON_GetObjectItemCaseSensitive(c->res, "probe_finished_at");
	const cJSON *ms = cJSON_GetObjectItemCaseSensitive(c->res, "ms");
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(c->res, "probe_started_at");
	double t = 0, end = 0;
	int i;

	for (i = 0; sl != NULL && i < MCP_NSTEPS; i++)
		if (sl->steps[i] != NULL && step_span(out, c, sl->steps[i], &t, n) == -1)
			return -1;
	if (cJSON_IsNumber(fin) && fin->valuedouble >= st->valuedouble &&
	    fin->valuedouble - st->valuedouble < 1e5)
		end = fin->valuedouble - st->valuedouble;
	else if (cJSON_IsNumber(ms) && ms->valuedouble > 0 && ms->valuedouble < 1e8)
		end = ms->valuedouble / 1e3;
	if (end < t)
		end = t;
	(*n)++;
	return root_span(out, c, sl, end);
}

/* ScopeSpans.scope: InstrumentationScope{name}. */
static int
scope(struct mcp_buf *out)
{
	struct mcp_buf b = {0};
	int rc = pb_str(&b, 1, "mcp-otlp") == -1 ? -1 : pb_bytes(out, 1, b.p, b.len);

	mcp_buf_free(&b);
	return rc;
}

static int
trace(struct mcp_buf *out, const cJSON *res, const struct slot *sl, const struct otlp_res *r,
    struct otlp_metrics *m, int *n)
{
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(res, "probe_started_at");
	struct otlp_probe c = {.res = res, .metrics = m};
	struct mcp_buf ss = {0}, rs = {0};
	int rc = -1;

	mcp_trace_id(jstr(res, "probe_id"), c.trace);
	mcp_span_id(jstr(res, "probe_id"), "probe", c.root);
	url_parts(&c, jstr(res, "url"));
	c.scheme = jstr(res, "url") != NULL && strncmp(jstr(res, "url"), "https:", 6) == 0 ? "https"
	                                                                                   : "http";
	c.era = jstr(res, "era");
	c.version = jstr(res, "protocol_version");
	c.t0 = nanos(st->valuedouble);
	if (scope(&ss) == -1)
		goto out;
	if (spans_of(&ss, &c, sl, n) == -1 || otlp_resource(&rs, r, jstr(res, "region")) == -1 ||
	    pb_bytes(&rs, 2, ss.p, ss.len) == -1)
		goto out;
	rc = pb_bytes(out, 1, rs.p, rs.len);
out:
	mcp_buf_free(&ss);
	mcp_buf_free(&rs);
	return rc;
}

int
otlp_traces_add(struct otlp_traces *t, const cJSON *rec, const struct otlp_res *res,
    struct mcp_buf *out, int *nspans, long *evicted, char *why, size_t len)
{
	const char *type = jstr(rec, "type"), *id = jstr(rec, "probe_id");
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(rec, "probe_started_at");
	struct slot *sl;
	int rc;

	*nspans = 0;
	if (type == NULL || (strcmp(type, "step") != 0 && strcmp(type, "result") != 0))
		return 0;
	if (id == NULL || *id == '\0' || strlen(id) > 128) {
		snprintf(why, len, "%s record without a probe_id", type);
		return -1;
	}
	if (!cJSON_IsNumber(st) || st->valuedouble <= 0 || st->valuedouble > 1e11) {
		snprintf(why, len, "%s record without a probe_started_at", type);
		return -1;
	}
	if (strcmp(type, "step") == 0) {
		if (keep_step(t, rec, id, evicted) == 0)
			return 0;
		snprintf(why, len, "out of memory");
		return -1;
	}
	sl = slot_take(t, id);
	rc = trace(out, rec, sl, res, t->metrics, nspans);
	if (sl != NULL)
		slot_free(sl);
	if (rc == -1) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	return 1;
}
