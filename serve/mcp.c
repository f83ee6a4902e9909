/*
 * mcp.c - /mcp: the read side as an MCP server (mcp-serve(8), "MCP").
 * Stateless: each POST is one JSON-RPC request answered whole, as JSON,
 * in the era its headers name: Streamable HTTP with initialize
 * (2025-06-18, 2025-11-25) or the modern 2026-07-28 (server/discover, no
 * handshake, every request standing alone).  No session is made, so any
 * responder may answer any request; a held stream is declined.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "version.h"
#include "mcpserve.h"
#include "notices.h"

static const char *const legacy_versions[] = {"2025-11-25", "2025-06-18"};

/* A JSON-RPC answer: {"jsonrpc":"2.0","id":ID,"result"|"error":...}, status set. */
static void
rpc_send(struct resp *r, int status, const cJSON *id, cJSON *result, cJSON *error)
{
	cJSON *o = cJSON_CreateObject();
	char *s;

	r->status = status;
	r->ctype = CT_JSON;
	r->cache = "no-store";
	mcp_buf_reset(&r->body);
	if (o != NULL) {
		cJSON_AddStringToObject(o, "jsonrpc", "2.0");
		cJSON_AddItemToObject(
		    o, "id", id != NULL ? cJSON_Duplicate(id, 1) : cJSON_CreateNull());
		if (result != NULL)
			cJSON_AddItemToObject(o, "result", result);
		else
			cJSON_AddItemToObject(o, "error", error);
		result = error = NULL;
	}
	cJSON_Delete(result);
	cJSON_Delete(error);
	if (o == NULL || (s = cJSON_PrintUnformatted(o)) == NULL) {
		cJSON_Delete(o);
		serve_error(r, 500, "out of memory", "no-store");
		return;
	}
	cJSON_Delete(o);
	if (mcp_buf_adds(&r->body, s) != 0)
		serve_error(r, 500, "out of memory", "no-store");
	free(s);
}

void
mcp_rpc_error(struct resp *r, int status, const cJSON *id, int code, const char *msg, cJSON *data)
{
	cJSON *e = cJSON_CreateObject();

	if (e != NULL) {
		cJSON_AddNumberToObject(e, "code", code);
		cJSON_AddStringToObject(e, "message", msg);
		if (data != NULL)
			cJSON_AddItemToObject(e, "data", data);
		data = NULL;
	}
	cJSON_Delete(data);
	rpc_send(r, status, id, NULL, e);
}

/* The versions this endpoint speaks (modern_only: as server/discover lists them). */
static cJSON *
versions(int modern_only)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;

	cJSON_AddItemToArray(a, cJSON_CreateString(MCP_MODERN));
	for (i = 0; !modern_only && i < sizeof(legacy_versions) / sizeof(legacy_versions[0]); i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(legacy_versions[i]));
	return a;
}

static int
legacy_version(const char *v)
{
	size_t i;

	for (i = 0; v != NULL && i < sizeof(legacy_versions) / sizeof(legacy_versions[0]); i++)
		if (strcmp(v, legacy_versions[i]) == 0)
			return 1;
	return 0;
}

cJSON *
mcp_server_info(void)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "name", MCP_SERVER_NAME);
	cJSON_AddStringToObject(o, "title", MCP_SERVER_TITLE);
	cJSON_AddStringToObject(o, "version", MCP_VERSION);
	return o;
}

static cJSON *
capabilities(void)
{
	cJSON *o = cJSON_CreateObject(), *t = cJSON_CreateObject(), *res = cJSON_CreateObject();

	cJSON_AddFalseToObject(t, "listChanged");
	cJSON_AddFalseToObject(res, "listChanged");
	cJSON_AddFalseToObject(res, "subscribe");
	cJSON_AddItemToObject(o, "tools", t);
	cJSON_AddItemToObject(o, "resources", res);
	cJSON_AddFalseToObject(cJSON_AddObjectToObject(o, "prompts"), "listChanged");
	return o;
}

static const char instructions[] =
    "The uptime monitor of MCP servers, read only. list_servers gives the fleet by state and "
    "region; "
    "server_status one server's verdict, failing regions and step, since when, uptime, p95 "
    "and maintenance; incidents the open and recent incidents and their posts; tool_changes "
    "what changed in a server's tool list; monthly_report a month's numbers.";

/* initialize (the legacy handshake): the version asked when it is one spoken here. */
static cJSON *
initialize(struct mcp_call *k)
{
	const cJSON *pv = cJSON_GetObjectItemCaseSensitive(k->params, "protocolVersion");
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "protocolVersion",
	    cJSON_IsString(pv) && legacy_version(pv->valuestring) ? pv->valuestring
	                                                          : legacy_versions[0]);
	cJSON_AddItemToObject(o, "capabilities", capabilities());
	cJSON_AddItemToObject(o, "serverInfo", mcp_server_info());
	cJSON_AddStringToObject(o, "instructions", instructions);
	return o;
}

/* server/discover (2026-07-28): answered in either era. */
static cJSON *
discover(struct mcp_call *k)
{
	cJSON *o = cJSON_CreateObject();

	(void)k;
	cJSON_AddItemToObject(o, "supportedVersions", versions(1));
	cJSON_AddItemToObject(o, "capabilities", capabilities());
	cJSON_AddStringToObject(o, "instructions", instructions);
	return o;
}

static cJSON *
ping(struct mcp_call *k)
{
	(void)k;
	return cJSON_CreateObject();
}

static cJSON *
decline_stream(struct mcp_call *k)
{
	mcp_call_fail(k, 400, MCP_E_REQUEST,
	    "a stateless server: no held stream and no subscription (poll tools and resources)");
	return NULL;
}

static const struct method {
	const char *name;
	cJSON *(*fn)(struct mcp_call *);
	int era;  /* 0 both, 1 legacy only, 2 modern only */
	int list; /* a list result: its caching hints in the modern era */
} methods[] = {
    {"initialize", initialize, 1, 0},
    {"ping", ping, 1, 0},
    {"server/discover", discover, 0, 0},
    {"tools/list", mcp_tools_list, 0, 1},
    {"tools/call", mcp_tools_call, 0, 0},
    {"resources/list", mcp_resources_list, 0, 1},
    {"resources/templates/list", mcp_templates_list, 0, 1},
    {"resources/read", mcp_resources_read, 0, 1},
    {"prompts/list", mcp_prompts_list, 0, 1},
    {"prompts/get", mcp_prompts_get, 0, 0},
    {"resources/subscribe", decline_stream, 1, 0},
    {"subscriptions/listen", decline_stream, 2, 0},
};

void
mcp_call_fail(struct mcp_call *k, int status, int code, const char *msg)
{
	k->status = status;
	k->code = code;
	snprintf(k->msg, sizeof(k->msg), "%s", msg);
}

/* Content-Type application/json (parameters allowed), case aside. */
static int
json_ctype(const char *ct)
{
	static const char want[] = "application/json";
	size_t n = sizeof(want) - 1;

	return ct != NULL && strncasecmp(ct, want, n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Accept: absent, or one of its types answers JSON. */
static int
accepts_json(const char *a)
{
	const char *p;

	if (a == NULL || *a == '\0')
		return 1;
	for (p = a; *p != '\0'; p++)
		if (strncasecmp(p, "application/json", 16) == 0 || strncasecmp(p, "*/*", 3) == 0 ||
		    strncasecmp(p, "application/*", 13) == 0)
			return 1;
	return 0;
}

/* A header's value as the 2026-07-28 era sends it: =?base64?...?= decoded. */
static int
header_value(const char *h, char *out, size_t len)
{
	size_t n = strlen(h), i, o = 0;
	unsigned v = 0;
	int bits = 0, c;
	const char *p;

	if (n < 12 || strncmp(h, "=?base64?", 9) != 0 || strcmp(h + n - 2, "?=") != 0)
		return snprintf(out, len, "%s", h) < (int)len ? 0 : -1;
	for (i = 9; i < n - 2 && h[i] != '='; i++) {
		static const char b64[] =
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
		if ((p = strchr(b64, h[i])) == NULL || h[i] == '\0')
			return -1;
		v = v << 6 | (unsigned)(p - b64);
		if ((bits += 6) >= 8) {
			bits -= 8;
			c = (int)(v >> bits & 0xff);
			if (c == 0 || o + 1 >= len)
				return -1;
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	return 0;
}

/*
 * The checks of the 2026-07-28 era: the version in _meta is the header's,
 * Mcp-Method is the method, Mcp-Name the name or URI of the calls that
 * have one.  0, or -1 with the error in k.
 */
static int
modern_checks(struct mcp_call *k, const char *method)
{
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(k->params, "_meta");
	const cJSON *pv =
	    cJSON_GetObjectItemCaseSensitive(meta, "io.modelcontextprotocol/protocolVersion");
	const cJSON *nm = NULL;
	char buf[512];

	if (!cJSON_IsString(pv) ||
	    !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(
	        meta, "io.modelcontextprotocol/clientCapabilities"))) {
		mcp_call_fail(k, 400, MCP_E_PARAMS,
		    "_meta needs io.modelcontextprotocol/protocolVersion and clientCapabilities");
		return -1;
	}
	if (k->q->mcp_version != NULL && cJSON_IsString(pv) &&
	    strcmp(pv->valuestring, k->q->mcp_version) != 0) {
		mcp_call_fail(k, 400, MCP_E_HEADER, "MCP-Protocol-Version and _meta disagree");
		return -1;
	}
	if (k->q->mcp_method == NULL || header_value(k->q->mcp_method, buf, sizeof(buf)) == -1 ||
	    strcmp(buf, method) != 0) {
		mcp_call_fail(k, 400, MCP_E_HEADER, "Mcp-Method does not match the method");
		return -1;
	}
	if (strcmp(method, "tools/call") == 0 || strcmp(method, "prompts/get") == 0)
		nm = cJSON_GetObjectItemCaseSensitive(k->params, "name");
	else if (strcmp(method, "resources/read") == 0)
		nm = cJSON_GetObjectItemCaseSensitive(k->params, "uri");
	if (nm != NULL && cJSON_IsString(nm) &&
	    (k->q->mcp_name == NULL || header_value(k->q->mcp_name, buf, sizeof(buf)) == -1 ||
	        strcmp(buf, nm->valuestring) != 0)) {
		mcp_call_fail(k, 400, MCP_E_HEADER, "Mcp-Name does not match the request");
		return -1;
	}
	return 0;
}

/*
 * The era of the request: modern when MCP-Protocol-Version (or, without
 * it, the _meta of the params) names 2026-07-28.  -1 with the error in k
 * for a version spoken nowhere here.
 */
static int
era_of(struct mcp_call *k, const char *method)
{
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(k->params, "_meta");
	const cJSON *pv =
	    cJSON_GetObjectItemCaseSensitive(meta, "io.modelcontextprotocol/protocolVersion");
	const char *v = k->q->mcp_version;

	if (v == NULL && cJSON_IsString(pv))
		v = pv->valuestring;
	if (v == NULL || legacy_version(v) || strcmp(v, "2025-03-26") == 0)
		return k->modern = 0;
	if (strcmp(v, MCP_MODERN) == 0)
		return k->modern = 1;
	if (strcmp(method, "initialize") == 0 && k->q->mcp_version == NULL)
		return k->modern = 0;
	k->modern = cJSON_IsString(pv) || k->q->mcp_method != NULL;
	mcp_call_fail(
	    k, 400, k->modern ? MCP_E_VERSION : MCP_E_REQUEST, "unsupported protocol version");
	k->data = cJSON_CreateObject();
	cJSON_AddItemToObject(k->data, "supported", versions(k->modern));
	cJSON_AddStringToObject(k->data, "requested", v);
	return -1;
}

/* The modern era's fields of a result: resultType, serverInfo, and a list's caching hints. */
static void
modern_result(struct mcp_call *k, cJSON *res, int list)
{
	cJSON *meta = cJSON_GetObjectItemCaseSensitive(res, "_meta");

	cJSON_AddStringToObject(res, "resultType", "complete");
	if (list && cJSON_GetObjectItemCaseSensitive(res, "ttlMs") == NULL) {
		cJSON_AddNumberToObject(res, "ttlMs", k->ttl_ms);
		cJSON_AddStringToObject(res, "cacheScope", k->operator? "private" : "public");
	}
	if (meta == NULL)
		meta = cJSON_AddObjectToObject(res, "_meta");
	cJSON_AddItemToObject(meta, "io.modelcontextprotocol/serverInfo", mcp_server_info());
}

/* One JSON-RPC message, parsed: answered into r. */
static void
message(struct conn *c, const struct req *q, const cJSON *m, struct resp *r)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(m, "id");
	const cJSON *method = cJSON_GetObjectItemCaseSensitive(m, "method");
	const cJSON *ver = cJSON_GetObjectItemCaseSensitive(m, "jsonrpc");
	struct mcp_call k = {0};
	const struct method *f = NULL;
	cJSON *res;
	size_t i;

	k.c = c;
	k.q = q;
	k.ttl_ms = 60000;
	k.params = cJSON_GetObjectItemCaseSensitive(m, "params");
	if (!cJSON_IsString(ver) || strcmp(ver->valuestring, "2.0") != 0 ||
	    (id != NULL && !cJSON_IsString(id) &&
	        !(cJSON_IsNumber(id) && fabs(id->valuedouble) <= 9007199254740991.0 &&
	            id->valuedouble == floor(id->valuedouble)))) {
		mcp_rpc_error(r, 400, NULL, MCP_E_REQUEST, "not a JSON-RPC 2.0 message", NULL);
		return;
	}
	if (!cJSON_IsString(method)) {
		/* A response or a notification the server has no use for: accepted. */
		r->status = id != NULL &&
		        (cJSON_GetObjectItemCaseSensitive(m, "result") != NULL ||
		            cJSON_GetObjectItemCaseSensitive(m, "error") != NULL)
		    ? 202
		    : 400;
		r->ctype = CT_JSON;
		r->cache = "no-store";
		if (r->status == 400)
			mcp_rpc_error(r, 400, id, MCP_E_REQUEST, "no method", NULL);
		return;
	}
	if (id == NULL) {
		/* Notifications (initialized, cancelled, ...): nothing to keep. */
		r->status = 202;
		r->ctype = CT_JSON;
		r->cache = "no-store";
		return;
	}
	if (k.params != NULL && !cJSON_IsObject(k.params)) {
		mcp_rpc_error(r, 400, id, MCP_E_PARAMS, "params is not an object", NULL);
		return;
	}
	if (era_of(&k, method->valuestring) == -1 ||
	    (k.modern && modern_checks(&k, method->valuestring) == -1)) {
		mcp_rpc_error(r, k.status, id, k.code, k.msg, k.data);
		return;
	}
	k.operator= mcp_reader_of(c, q, r);
	if (k.operator<0)
		return; /* a token refused: 401 with its challenge */
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(methods[i].name, method->valuestring) == 0 &&
		    (methods[i].era == 0 || methods[i].era == 1 + k.modern))
			f = &methods[i];
	if (f == NULL) {
		mcp_rpc_error(r, k.modern ? 404 : 200, id, MCP_E_METHOD, "method not found", NULL);
		return;
	}
	if ((res = f->fn(&k)) == NULL) {
		if (k.code == 0)
			mcp_call_fail(&k, 500, MCP_E_INTERNAL, "out of memory");
		mcp_rpc_error(r, k.status ? k.status : 200, id, k.code, k.msg, k.data);
		return;
	}
	if (k.modern)
		modern_result(&k, res, f->list);
	rpc_send(r, 200, id, res, NULL);
}

/* The host of "scheme://host[:port]" or of "host[:port]", without the port, into buf. */
static void
host_of(const char *s, char *buf, size_t len)
{
	const char *p = strstr(s, "://"), *e;

	p = p != NULL ? p + 3 : s;
	e = *p == '[' ? strchr(p, ']') : NULL;
	e = e != NULL ? e + 1 : p + strcspn(p, ":/");
	snprintf(buf, len, "%.*s", (int)(e - p), p);
}

static int
loopback_name(const char *h)
{
	return strcasecmp(h, "localhost") == 0 || strncmp(h, "127.", 4) == 0 ||
	    strcmp(h, "[::1]") == 0;
}

/*
 * DNS rebinding (MCP's security practices): a server reached on a loopback
 * address by a name that is not one, or asked from a page of another
 * origin than its own (the config's origin lines, else its Host), is
 * refused: a browser's page must not read it through a name it controls.
 */
static int
rebound(const struct req *q)
{
	char h[256], o[256];

	if (q->host == NULL)
		return 0;
	host_of(q->host, h, sizeof(h));
	if (q->server_addr != NULL &&
	    (strncmp(q->server_addr, "127.", 4) == 0 || strcmp(q->server_addr, "::1") == 0) &&
	    !loopback_name(h))
		return 1;
	if (q->origin == NULL || strcmp(q->origin, "null") == 0 || serve_conf_origin(q->origin))
		return 0;
	host_of(q->origin, o, sizeof(o));
	return strcasecmp(o, h) != 0;
}

/*
 * The client's and its network's requests of this minute, counted (INCR,
 * and a TTL of two minutes): 0 when both are within their bounds, else
 * the seconds left of the minute.  A store that does not answer counts
 * nothing: the request goes on, and its tools say the store is down.
 */
static int
over_bound(struct conn *c, const struct req *q)
{
	char client[64], net[64], kc[160], kn[160];
	const char *a0[] = {"INCR", kc}, *a1[] = {"EXPIRE", kc, "120"}, *a2[] = {"INCR", kn},
	           *a3[] = {"EXPIRE", kn, "120"};
	const char **argv[] = {a0, a1, a2, a3};
	int argc[] = {2, 3, 2, 3}, over;
	long long min = (long long)floor(q->now / 60);
	redisReply *rep[4];

	serve_client_of(q->remote, client, sizeof(client), net, sizeof(net));
	snprintf(kc, sizeof(kc), MCP_LIMIT_KEY "client:%s:%lld", client, min);
	snprintf(kn, sizeof(kn), MCP_LIMIT_KEY "net:%s:%lld", net, min);
	if (serve_query(c, 4, argc, argv, rep) != SR_OK)
		return 0;
	over = (rep[0]->type == REDIS_REPLY_INTEGER && rep[0]->integer > MCP_CLIENT_MAX) ||
	    (rep[2]->type == REDIS_REPLY_INTEGER && rep[2]->integer > MCP_NET_MAX);
	serve_free_replies(rep, 4);
	return over ? 60 - (int)fmod(floor(q->now), 60) : 0;
}

/* POST /mcp: the body bounded, then one message. */
static void
post(struct conn *c, const struct req *q, struct resp *r)
{
	const char *end = NULL;
	cJSON *m, *d;
	int wait;

	if (rebound(q)) {
		mcp_rpc_error(r, 403, NULL, MCP_E_REQUEST, "forbidden: Host or Origin", NULL);
		return;
	}
	if ((wait = over_bound(c, q)) > 0) {
		d = cJSON_CreateObject();
		cJSON_AddNumberToObject(d, "retry_after", wait);
		mcp_rpc_error(r, 429, NULL, MCP_E_LIMIT,
		    "too many requests from this client or its network: try again later", d);
		r->retry_after = wait;
		return;
	}
	if (q->clen < 0) {
		mcp_rpc_error(r, 411, NULL, MCP_E_REQUEST, "a length is required", NULL);
		return;
	}
	if (q->clen > SUB_BODY_MAX) {
		/* Refused on its length; main.c reads it through after the answer. */
		mcp_rpc_error(r, 413, NULL, MCP_E_REQUEST, "request too large", NULL);
		return;
	}
	if (!json_ctype(q->ctype)) {
		mcp_rpc_error(
		    r, 415, NULL, MCP_E_REQUEST, "Content-Type must be application/json", NULL);
		return;
	}
	if (!accepts_json(q->accept)) {
		mcp_rpc_error(
		    r, 406, NULL, MCP_E_REQUEST, "Accept must allow application/json", NULL);
		return;
	}
	if (q->body == NULL ||
	    (m = cJSON_ParseWithLengthOpts(q->body, q->body_len, &end, 0)) == NULL) {
		mcp_rpc_error(r, 400, NULL, MCP_E_PARSE, "parse error", NULL);
		return;
	}
	if (end != NULL && end[strspn(end, " \t\r\n")] != '\0')
		mcp_rpc_error(
		    r, 400, NULL, MCP_E_PARSE, "parse error: bytes after the message", NULL);
	else if (cJSON_IsArray(m))
		mcp_rpc_error(r, 400, NULL, MCP_E_REQUEST, "batches are not supported", NULL);
	else if (!cJSON_IsObject(m))
		mcp_rpc_error(r, 400, NULL, MCP_E_REQUEST, "not a JSON-RPC message", NULL);
	else
		message(c, q, m, r);
	cJSON_Delete(m);
}

int
serve_mcp_route(struct conn *c, const struct req *q, struct resp *r)
{
	if (strcmp(q->path, MCP_PATH) != 0)
		return mcp_doc_route(c, q, r);
	if (strcmp(q->method, "POST") == 0) {
		post(c, q, r);
		return 1;
	}
	/* No stream to hold: GET (and DELETE, no session to end) are 405. */
	mcp_rpc_error(
	    r, 405, NULL, MCP_E_REQUEST, "method not allowed: POST a JSON-RPC request", NULL);
	r->allow = "POST";
	return 1;
}
