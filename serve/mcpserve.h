/*
 * mcpserve.h - mcp-serve's MCP endpoint (mcp.c: transport and JSON-RPC;
 * mcptools.c: tools and resources; mcpdoc.c: the Server Card, the
 * catalog, the protected-resource metadata and who may ask what).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef SERVE_MCPSERVE_H
#define SERVE_MCPSERVE_H

#include "serve.h"

#define MCP_PATH "/mcp"
#define MCP_MODERN "2026-07-28"
#define MCP_SERVER_NAME "mcp-uptime"
#define MCP_SERVER_TITLE "mcp-uptime status"
#define MCP_RESOURCE_PREFIX "mcp-uptime://status/"

/* JSON-RPC error codes. */
#define MCP_E_PARSE (-32700)
#define MCP_E_REQUEST (-32600)
#define MCP_E_METHOD (-32601)
#define MCP_E_PARAMS (-32602)
#define MCP_E_INTERNAL (-32603)
#define MCP_E_NOT_FOUND (-32002) /* a resource, before 2026-07-28 (then -32602) */
#define MCP_E_HEADER (-32020)
#define MCP_E_VERSION (-32022)
#define MCP_E_LIMIT (-32000) /* a server error: too many requests (HTTP 429) */

/*
 * The per-client bounds of /mcp (mcp-serve(8), "Bounds and hostile
 * input"): requests a minute of one client (an IPv4 address, an IPv6
 * /64) and of its network (an IPv4 /24, an IPv6 /48), counted in the
 * store so that every responder and CGI process counts alike.
 */
#define MCP_CLIENT_MAX 600
#define MCP_NET_MAX 3000
#define MCP_LIMIT_KEY "mcp:{mcp}:limit:"

/* One request being answered: a method's failure is left in status, code, msg, data. */
struct mcp_call {
	struct conn *c;
	const struct req *q;
	const cJSON *params; /* borrowed; NULL when none */
	int modern;          /* 2026-07-28 */
	int operator;        /* a reader's token: the operator's view */
	double ttl_ms;       /* a list result's ttlMs (modern era) */
	int status, code;
	char msg[256];
	cJSON *data; /* owned, handed to the error */
};

void mcp_call_fail(struct mcp_call *k, int status, int code, const char *msg);
void mcp_rpc_error(
    struct resp *r, int status, const cJSON *id, int code, const char *msg, cJSON *data);
cJSON *mcp_server_info(void);

/* mcptools.c: the methods; each returns its result (owned), or NULL with k's error set. */
cJSON *mcp_tools_list(struct mcp_call *k);
cJSON *mcp_tools_call(struct mcp_call *k);
cJSON *mcp_resources_list(struct mcp_call *k);
cJSON *mcp_templates_list(struct mcp_call *k);
cJSON *mcp_resources_read(struct mcp_call *k);
cJSON *mcp_prompts_list(struct mcp_call *k);
cJSON *mcp_prompts_get(struct mcp_call *k);
/* The answer of a tool about a slug no server has here, into err. */
void mcp_unknown_slug(char *err, size_t len, const char *slug);

/* mcpstatus.c: server_status, its result a raw item (owned); the incidents of a slug. */
int mcp_server_status(struct mcp_call *k, const char *slug, cJSON **out, char *err, size_t len);
cJSON *mcp_incident_of(const redisReply *r, double now);
void mcp_incidents_open(const redisReply *r, double now, cJSON *open);

/*
 * mcptrust.c: a monitored server's text as data.  mcp_trust_mark wraps
 * each of its strings in o (in place) as {"untrusted":MCP_UNTRUSTED,
 * "quoted":TEXT}, TEXT made visible and bounded: 0, or -1 out of memory.
 * mcp_trust_text: o printed with each wrapper said as "[MCP_UNTRUSTED,
 * quoted: \"TEXT\"]", a quote mark in TEXT written \u{22} (owned), NULL
 * out of memory.
 */
#define MCP_UNTRUSTED "untrusted text from the monitored server"
int mcp_trust_mark(cJSON *o);
char *mcp_trust_text(const cJSON *o);

/* mcpdoc.c */
int mcp_doc_route(struct conn *c, const struct req *q, struct resp *r);
/* 1 a reader's token (the operator's view), 0 none, -1 refused (r: 401 and its challenge). */
int mcp_reader_of(struct conn *c, const struct req *q, struct resp *r);

#endif
