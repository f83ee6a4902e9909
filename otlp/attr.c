/*
 * attr.c - the names and attributes of a probe's spans, by OpenTelemetry's
 * semantic conventions: MCP for the MCP steps (mcp.method.name,
 * mcp.protocol.version, error.type, rpc.response.status_code,
 * gen_ai.tool.name), DNS, network and HTTP for the others, mcp_uptime.*
 * for what only the suite knows.  Pure: no I/O.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otlp.h"

static const char *
jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
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
attr_server(struct mcp_buf *a, const struct otlp_probe *c)
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
void
otlp_step_name(const struct otlp_probe *c, const char *step, const cJSON *rec, char *name,
    size_t len, const char **method)
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

/*
 * A step record's JSON-RPC error code: its detail.rpc_code, else the one
 * its error message names (records of before); 0 for none.
 */
static long
step_rpc(const cJSON *rec)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(rec, "detail");
	const cJSON *rc = cJSON_GetObjectItemCaseSensitive(d, "rpc_code");

	if (cJSON_IsNumber(rc) && rc->valuedouble >= INT_MIN && rc->valuedouble <= INT_MAX)
		return (long)rc->valuedouble;
	return rpc_code(jstr(cJSON_GetObjectItemCaseSensitive(rec, "error"), "message"));
}

int
otlp_step_attrs(struct mcp_buf *a, const struct otlp_probe *c, const char *step, const cJSON *rec,
    const char *method, const char *name)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(rec, "detail");
	const char *code = jstr(cJSON_GetObjectItemCaseSensitive(rec, "error"), "code");
	long rpc = step_rpc(rec);
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
	if (pb_kv_str(a, F_ATTR, "error.type", otlp_error_type(rec, num, sizeof(num))) == -1)
		return -1;
	return rpc != 0 ? pb_kv_str(a, F_ATTR, "rpc.response.status_code", num) : 0;
}

const char *
otlp_error_type(const cJSON *rec, char *num, size_t len)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(rec, "error");
	const char *code = jstr(e, "code"), *msg = jstr(e, "message");
	long rpc = step_rpc(rec);

	if (code == NULL)
		return NULL;
	if (rpc != 0) {
		snprintf(num, len, "%ld", rpc);
		return num;
	}
	if (strcmp(code, "call_failed") == 0 && msg != NULL &&
	    strstr(msg, " returned isError") != NULL)
		return "tool_error";
	return code;
}

int
otlp_root_attrs(struct mcp_buf *a, const struct otlp_probe *c, const char *err)
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
