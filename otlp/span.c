/*
 * span.c - one trace per probe: the steps of a probe kept until its
 * result, then a root span for the probe and a child span for each step
 * that ran, named and attributed by OpenTelemetry's semantic conventions
 * (MCP for the MCP steps; DNS, network, TLS and HTTP for the others).
 * Encoded as one ExportTraceServiceRequest (collector/trace/v1), whose
 * concatenations are requests too: repeated fields merge on the wire.
 * Pure: no I/O.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "mcp.h"
#include "otlp.h"
#include "sha256.h"

struct slot {
	struct slot *next;
	char *id;                 /* owned: the probe_id */
	cJSON *steps[MCP_NSTEPS]; /* owned copies, by seq */
};

struct otlp_traces {
	struct slot *head; /* oldest first */
	size_t n, max;
};

/* Where a span's fields are (trace.proto), and its kinds and status codes. */
enum { SPAN_KIND_INTERNAL = 1, SPAN_KIND_CLIENT = 3 };
enum { STATUS_UNSET = 0, STATUS_OK = 1, STATUS_ERROR = 2 };
#define F_ATTR 9 /* Span.attributes, Resource.attributes is 1 */

struct otlp_traces *
otlp_traces_new(size_t max_probes)
{
	struct otlp_traces *t = calloc(1, sizeof(*t));

	if (t != NULL)
		t->max = max_probes;
	return t;
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

void
otlp_span_id(const char *probe_id, const char *name, unsigned char id[8])
{
	unsigned char d[MCP_SHA256_SIZE];
	char in[256];
	int n = snprintf(in, sizeof(in), "%s/%s", probe_id, name);

	mcp_sha256(in, n < 0 ? 0 : (size_t)n < sizeof(in) ? (size_t)n : sizeof(in) - 1, d);
	memcpy(id, d, 8);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The probe_id as 16 bytes when it is 32 hex digits, else its SHA-256's first 16. */
static void
trace_id(const char *id, unsigned char out[16])
{
	unsigned char d[MCP_SHA256_SIZE];
	int i, hi, lo, zero = 1;

	for (i = 0; strlen(id) == 32 && i < 16; i++) {
		hi = hexval((unsigned char)id[2 * i]);
		lo = hexval((unsigned char)id[2 * i + 1]);
		if (hi < 0 || lo < 0)
			break;
		out[i] = (unsigned char)(hi << 4 | lo);
		zero &= out[i] == 0;
	}
	if (i == 16 && !zero)
		return;
	mcp_sha256(id, strlen(id), d);
	memcpy(out, d, 16);
}

/* What every span of a probe shares. */
struct probe_ctx {
	const cJSON *res;
	unsigned char trace[16], root[8];
	char host[256];
	long port;
	const char *scheme, *era, *version;
	uint64_t t0;
};

static void
url_parts(struct probe_ctx *c, const char *url)
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
span_encode(struct mcp_buf *out, const struct probe_ctx *c, const struct span *s)
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

/* An attribute from a string member of o, when it has one. */
static int
attr_from(struct mcp_buf *a, const char *key, const cJSON *o, const char *member)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, member);

	if (cJSON_IsString(v))
		return pb_kv_str(a, F_ATTR, key, v->valuestring);
	if (cJSON_IsNumber(v) && v->valuedouble >= -1e15 && v->valuedouble <= 1e15)
		return pb_kv_int(a, F_ATTR, key, (long long)v->valuedouble);
	return 0;
}

static int
attr_server(struct mcp_buf *a, const struct probe_ctx *c)
{
	if (c->host[0] != '\0' && pb_kv_str(a, F_ATTR, "server.address", c->host) == -1)
		return -1;
	if (c->port > 0 && pb_kv_int(a, F_ATTR, "server.port", c->port) == -1)
		return -1;
	return 0;
}

/*
 * The JSON-RPC code of a jsonrpc_error step, for records of a probe older
 * than detail.rpc_code: its message reads "JSON-RPC error CODE: ...".  0
 * when there is none.
 */
static long
rpc_code(const char *msg)
{
	const char *pre = "JSON-RPC error ";
	char *end;
	long v;

	if (msg == NULL || strncmp(msg, pre, strlen(pre)) != 0)
		return 0;
	v = strtol(msg + strlen(pre), &end, 10);
	return *end == ':' ? v : 0;
}

/*
 * The tool of a failed call, for records of a probe older than the
 * failed call's detail.tool: "tool NAME returned isError: ...".
 */
static int
tool_of_message(const char *msg, char *name, size_t len)
{
	const char *p, *q;

	if (msg == NULL || strncmp(msg, "tool ", 5) != 0 ||
	    (q = strstr(msg, " returned isError")) == NULL)
		return 0;
	p = msg + 5;
	if (q <= p || (size_t)(q - p) >= len)
		return 0;
	memcpy(name, p, (size_t)(q - p));
	name[q - p] = '\0';
	return 1;
}

/* The name and method of an MCP step; method NULL for the others. */
static void
step_name(const struct probe_ctx *c, const char *step, const cJSON *rec, char *name, size_t len,
    const char **method)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(rec, "detail");
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(rec, "error");
	const char *tool = jstr(d, "tool"), *m = jstr(d, "method");
	char t[128];

	*method = NULL;
	if (strcmp(step, "dns") == 0) {
		snprintf(name, len, "dns lookup");
	} else if (strcmp(step, "tls") == 0) {
		snprintf(name, len, "tls handshake");
	} else if (strcmp(step, "http") == 0) {
		snprintf(name, len, "POST");
	} else if (strcmp(step, "initialize") == 0) {
		*method = c->era != NULL && strcmp(c->era, "modern") == 0 ? "server/discover"
		                                                          : "initialize";
		snprintf(name, len, "%s", *method);
	} else if (strcmp(step, "tools_list") == 0) {
		*method = "tools/list";
		snprintf(name, len, "%s", *method);
	} else if (strcmp(step, "call") == 0) {
		if (m != NULL && strcmp(m, "ping") == 0) {
			*method = "ping";
			snprintf(name, len, "ping");
			return;
		}
		*method = "tools/call";
		if (tool == NULL && tool_of_message(jstr(e, "message"), t, sizeof(t)))
			tool = t;
		if (tool != NULL && snprintf(name, len, "tools/call %s", tool) < (int)len)
			return;
		snprintf(name, len, "tools/call");
	} else {
		snprintf(name, len, "%s", step);
	}
}

static int
step_attrs(struct mcp_buf *a, const struct probe_ctx *c, const char *step, const cJSON *rec,
    const char *method, const char *name)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(rec, "detail");
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(rec, "error");
	const char *code = jstr(e, "code"), *msg = jstr(e, "message");
	const cJSON *rc = cJSON_GetObjectItemCaseSensitive(d, "rpc_code");
	long rpc = cJSON_IsNumber(rc) && rc->valuedouble >= INT_MIN && rc->valuedouble <= INT_MAX
	    ? (long)rc->valuedouble
	    : rpc_code(msg);
	char num[32];

	if (pb_kv_str(a, F_ATTR, "mcp_uptime.step", step) == -1 || attr_server(a, c) == -1)
		return -1;
	if (method != NULL) {
		if (pb_kv_str(a, F_ATTR, "mcp.method.name", method) == -1 ||
		    (c->version != NULL &&
		        pb_kv_str(a, F_ATTR, "mcp.protocol.version", c->version) == -1) ||
		    pb_kv_str(a, F_ATTR, "network.transport", "tcp") == -1 ||
		    pb_kv_str(a, F_ATTR, "network.protocol.name", "http") == -1)
			return -1;
		if (strcmp(method, "tools/call") == 0 && strlen(name) > 11 &&
		    (pb_kv_str(a, F_ATTR, "gen_ai.tool.name", name + 11) == -1 ||
		        pb_kv_str(a, F_ATTR, "gen_ai.operation.name", "execute_tool") == -1))
			return -1;
	} else if (strcmp(step, "connect") == 0) {
		if (pb_kv_str(a, F_ATTR, "network.transport", "tcp") == -1 ||
		    attr_from(a, "network.peer.address", d, "address") == -1)
			return -1;
	} else if (strcmp(step, "dns") == 0) {
		if ((c->host[0] != '\0' &&
		        pb_kv_str(a, F_ATTR, "dns.question.name", c->host) == -1) ||
		    attr_from(a, "mcp_uptime.pinned", d, "pinned") == -1)
			return -1;
	} else if (strcmp(step, "http") == 0) {
		if (pb_kv_str(a, F_ATTR, "http.request.method", "POST") == -1 ||
		    (c->scheme != NULL && pb_kv_str(a, F_ATTR, "url.scheme", c->scheme) == -1) ||
		    pb_kv_str(a, F_ATTR, "network.protocol.name", "http") == -1 ||
		    attr_from(a, "network.protocol.version", d, "http_version") == -1 ||
		    attr_from(a, "http.response.status_code", c->res, "http_status") == -1)
			return -1;
	} else if (strcmp(step, "auth") == 0) {
		if (attr_from(a, "mcp_uptime.posture", d, "posture") == -1)
			return -1;
	}
	if (code == NULL)
		return 0;
	if (pb_kv_str(a, F_ATTR, "mcp_uptime.error_code", code) == -1)
		return -1;
	if (rpc != 0) {
		snprintf(num, sizeof(num), "%ld", rpc);
		return pb_kv_str(a, F_ATTR, "error.type", num) == -1 ||
		        pb_kv_str(a, F_ATTR, "rpc.response.status_code", num) == -1
		    ? -1
		    : 0;
	}
	if (strcmp(code, "call_failed") == 0 && msg != NULL &&
	    strstr(msg, " returned isError") != NULL)
		return pb_kv_str(a, F_ATTR, "error.type", "tool_error");
	return pb_kv_str(a, F_ATTR, "error.type", code);
}

/* The child span of one step that ran; *t advances by its ms. */
static int
step_span(struct mcp_buf *out, const struct probe_ctx *c, const cJSON *rec, double *t, int *n)
{
	const char *step = jstr(rec, "step"), *status = jstr(rec, "status"), *method;
	const cJSON *ms = cJSON_GetObjectItemCaseSensitive(rec, "ms");
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(rec, "error");
	unsigned char id[8];
	char name[160];
	struct span s = {0};
	double d = cJSON_IsNumber(ms) && ms->valuedouble > 0 && ms->valuedouble < 1e7
	    ? ms->valuedouble / 1e3
	    : 0;
	int rc;

	if (step == NULL || status == NULL || strcmp(status, "skip") == 0)
		return 0;
	step_name(c, step, rec, name, sizeof(name), &method);
	otlp_span_id(jstr(rec, "probe_id"), step, id);
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
	rc = step_attrs(&s.attrs, c, step, rec, method, name);
	if (rc == 0)
		rc = span_encode(out, c, &s);
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
root_attrs(struct mcp_buf *a, const struct probe_ctx *c, const char *err)
{
	static const char *const m[][2] = {{"mcp_uptime.slug", "slug"},
	    {"mcp_uptime.probe_id", "probe_id"}, {"mcp_uptime.state", "state"},
	    {"mcp_uptime.failed_step", "failed_step"}, {"mcp_uptime.region", "region"},
	    {"mcp_uptime.transport", "transport"}, {"mcp_uptime.era", "era"},
	    {"mcp.protocol.version", "protocol_version"}, {"mcp_uptime.posture", "posture"},
	    {"http.response.status_code", "http_status"}, {"mcp_uptime.tool_count", "tool_count"},
	    {"mcp_uptime.tool_hash", "tool_hash"}};
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (attr_from(a, m[i][0], c->res, m[i][1]) == -1)
			return -1;
	if (attr_server(a, c) == -1)
		return -1;
	return err == NULL ? 0 : pb_kv_str(a, F_ATTR, "error.type", err);
}

static int
root_span(struct mcp_buf *out, const struct probe_ctx *c, const struct slot *sl, double end)
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
	rc = root_attrs(&s.attrs, c, err);
	if (rc == 0)
		rc = span_encode(out, c, &s);
	mcp_buf_free(&s.attrs);
	return rc;
}

/* Resource{attributes}: service.name, host.name, the region, then the user's. */
static int
resource(struct mcp_buf *out, const struct otlp_res *r, const char *region)
{
	struct mcp_buf a = {0};
	size_t i;
	int rc = -1;

	if (pb_kv_str(&a, 1, "service.name", r->service) == -1 ||
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
spans_of(struct mcp_buf *out, struct probe_ctx *c, const struct slot *sl, int *n)
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
trace(
    struct mcp_buf *out, const cJSON *res, const struct slot *sl, const struct otlp_res *r, int *n)
{
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(res, "probe_started_at");
	struct probe_ctx c = {.res = res};
	struct mcp_buf ss = {0}, rs = {0};
	int rc = -1;

	trace_id(jstr(res, "probe_id"), c.trace);
	otlp_span_id(jstr(res, "probe_id"), "probe", c.root);
	url_parts(&c, jstr(res, "url"));
	c.scheme = jstr(res, "url") != NULL && strncmp(jstr(res, "url"), "https:", 6) == 0 ? "https"
	                                                                                   : "http";
	c.era = jstr(res, "era");
	c.version = jstr(res, "protocol_version");
	c.t0 = nanos(st->valuedouble);
	if (scope(&ss) == -1)
		goto out;
	if (spans_of(&ss, &c, sl, n) == -1 || resource(&rs, r, jstr(res, "region")) == -1 ||
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
	rc = trace(out, rec, sl, res, nspans);
	if (sl != NULL)
		slot_free(sl);
	if (rc == -1) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	return 1;
}
