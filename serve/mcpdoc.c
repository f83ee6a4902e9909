/*
 * mcpdoc.c - what publishes /mcp and who may ask it what (mcp-serve(8),
 * "MCP"): the Server Card at /mcp/server-card, the MCP Catalog at
 * /.well-known/mcp/catalog.json, a server.json for the MCP Registry at
 * /mcp/server.json, the protected-resource metadata (RFC 9728), and the
 * readers' bearer tokens (mcp-aggregate reader), checked against the
 * SHA-256 the store keeps.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "version.h"
#include "mcpserve.h"
#include "sha256.h"

#define READER_ID_LEN 8
#define READER_SECRET_LEN 44
#define PRM_PATH "/.well-known/oauth-protected-resource"

/* The endpoint's origin as its clients reach it: https on port 443, else http; its Host. */
static int
origin_of(const struct req *q, char *buf, size_t len)
{
	const char *h = q->host != NULL && *q->host != '\0' ? q->host : "localhost";
	int n;

	if (strpbrk(h, " \"\\/<>") != NULL)
		h = "localhost";
	int tls = q->port != NULL && strcmp(q->port, "443") == 0;
	/* A Host without its port (as some servers pass it): the port the request came to. */
	int port = strchr(h, ':') == NULL && q->port != NULL && strcmp(q->port, "80") != 0 &&
	    !tls && strspn(q->port, "0123456789") == strlen(q->port) && *q->port != '\0';

	n = snprintf(buf, len, "%s://%s%s%s", tls ? "https" : "http", h, port ? ":" : "",
	    port ? q->port : "");
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static void
json_doc(struct resp *r, cJSON *o, const char *ctype)
{
	char *s = o != NULL ? cJSON_PrintUnformatted(o) : NULL;

	cJSON_Delete(o);
	if (s == NULL || mcp_buf_adds(&r->body, s) != 0) {
		free(s);
		serve_error(r, 500, "out of memory", NULL);
		return;
	}
	free(s);
	r->ctype = ctype;
	r->cache = "public, max-age=3600";
}

/* The Server Card (the shape of the Server Card extension), or a server.json (registry 1). */
static cJSON *
card(const struct req *q, int registry)
{
	static const char *const versions[] = {MCP_MODERN, "2025-11-25", "2025-06-18"};
	cJSON *o = cJSON_CreateObject(), *rem, *r, *v;
	char base[600], url[700], name[300], h[256];
	const char *p, *e;
	size_t i, n = 0;
	int k;

	if (origin_of(q, base, sizeof(base)) == -1)
		snprintf(base, sizeof(base), "http://localhost");
	/* The name in reverse DNS of the host: status.example.com is com.example.status. */
	snprintf(h, sizeof(h), "%.*s", (int)strcspn(strstr(base, "://") + 3, ":"),
	    strstr(base, "://") + 3);
	if (h[0] == '\0' || h[0] == '[')
		snprintf(h, sizeof(h), "localhost");
	name[0] = '\0';
	for (e = h + strlen(h); e > h && n + 1 < sizeof(name); e = p > h ? p - 1 : h) {
		for (p = e; p > h && p[-1] != '.'; p--)
			;
		k = snprintf(name + n, sizeof(name) - n, "%s%.*s", n ? "." : "", (int)(e - p), p);
		n = k < 0 || (size_t)k >= sizeof(name) - n ? sizeof(name) - 1 : n + (size_t)k;
	}
	snprintf(name + n, sizeof(name) - n, "/" MCP_SERVER_NAME);
	cJSON_AddStringToObject(o, "$schema",
	    registry
	        ? "https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json"
	        : "https://static.modelcontextprotocol.io/schemas/v1/server-card.schema.json");
	cJSON_AddStringToObject(o, "name", name);
	cJSON_AddStringToObject(o, "title", MCP_SERVER_TITLE);
	cJSON_AddStringToObject(o, "description",
	    "Uptime of MCP servers, read only: fleet, status, incidents, tool changes, reports");
	cJSON_AddStringToObject(o, "version", MCP_VERSION);
	snprintf(url, sizeof(url), "%s/status", base);
	cJSON_AddStringToObject(o, "websiteUrl", url);
	v = cJSON_CreateArray();
	for (i = 0; i < sizeof(versions) / sizeof(versions[0]); i++)
		cJSON_AddItemToArray(v, cJSON_CreateString(versions[i]));
	rem = cJSON_AddArrayToObject(o, "remotes");
	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "type", "streamable-http");
	snprintf(url, sizeof(url), "%s" MCP_PATH, base);
	cJSON_AddStringToObject(r, "url", url);
	if (!registry) {
		cJSON_AddItemToObject(r, "supportedProtocolVersions", cJSON_Duplicate(v, 1));
		cJSON_AddItemToObject(o, "supportedProtocolVersions", v);
	} else {
		cJSON_Delete(v);
	}
	cJSON_AddItemToArray(rem, r);
	return o;
}

static cJSON *
catalog(const struct req *q)
{
	cJSON *o = cJSON_CreateObject(), *e = cJSON_CreateObject();
	char base[600], url[700], id[700], h[256];

	if (origin_of(q, base, sizeof(base)) == -1)
		snprintf(base, sizeof(base), "http://localhost");
	snprintf(h, sizeof(h), "%.*s", (int)strcspn(strstr(base, "://") + 3, ":"),
	    strstr(base, "://") + 3);
	snprintf(id, sizeof(id), "urn:air:%s:mcp:" MCP_SERVER_NAME, h);
	snprintf(url, sizeof(url), "%s" MCP_PATH "/server-card", base);
	cJSON_AddStringToObject(o, "specVersion", "1.0");
	cJSON_AddStringToObject(e, "identifier", id);
	cJSON_AddStringToObject(e, "displayName", MCP_SERVER_TITLE);
	cJSON_AddStringToObject(e, "type", "application/mcp-server-card+json");
	cJSON_AddStringToObject(e, "url", url);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "entries"), e);
	return o;
}

/* RFC 9728: the resource and how a token is sent; the tokens are the operator's own. */
static cJSON *
prm(const struct req *q)
{
	cJSON *o = cJSON_CreateObject();
	char base[600], url[700];

	if (origin_of(q, base, sizeof(base)) == -1)
		snprintf(base, sizeof(base), "http://localhost");
	snprintf(url, sizeof(url), "%s" MCP_PATH, base);
	cJSON_AddStringToObject(o, "resource", url);
	cJSON_AddItemToArray(
	    cJSON_AddArrayToObject(o, "bearer_methods_supported"), cJSON_CreateString("header"));
	cJSON_AddStringToObject(o, "resource_name", MCP_SERVER_TITLE);
	snprintf(url, sizeof(url), "%s/status", base);
	cJSON_AddStringToObject(o, "resource_documentation", url);
	return o;
}

int
mcp_doc_route(struct conn *c, const struct req *q, struct resp *r)
{
	const char *p = q->path;

	(void)c;
	if (strcmp(p, MCP_PATH "/server-card") != 0 && strcmp(p, MCP_PATH "/server.json") != 0 &&
	    strcmp(p, "/.well-known/mcp/catalog.json") != 0 && strcmp(p, PRM_PATH MCP_PATH) != 0 &&
	    strcmp(p, PRM_PATH) != 0)
		return 0;
	if (strcmp(q->method, "GET") != 0 && !q->head) {
		serve_error(r, 405, "method not allowed", NULL);
		r->allow = "GET, HEAD";
	} else if (strcmp(p, MCP_PATH "/server-card") == 0)
		json_doc(r, card(q, 0), "application/mcp-server-card+json");
	else if (strcmp(p, MCP_PATH "/server.json") == 0)
		json_doc(r, card(q, 1), CT_JSON);
	else if (strcmp(p, "/.well-known/mcp/catalog.json") == 0)
		json_doc(r, catalog(q), "application/json");
	else
		json_doc(r, prm(q), CT_JSON);
	return 1;
}

/* 401 with the challenge that names the metadata (RFC 6750 §3, RFC 9728 §5.1). */
static int
challenge(const struct req *q, struct resp *r, const char *why)
{
	char base[600];
	int n;

	if (origin_of(q, base, sizeof(base)) == -1)
		snprintf(base, sizeof(base), "http://localhost");
	mcp_rpc_error(r, 401, NULL, MCP_E_REQUEST, why, NULL);
	n = snprintf(r->www_auth, sizeof(r->www_auth),
	    "Bearer error=\"invalid_token\", resource_metadata=\"%s" PRM_PATH MCP_PATH "\"", base);
	if (n < 0 || (size_t)n >= sizeof(r->www_auth))
		snprintf(r->www_auth, sizeof(r->www_auth), "Bearer error=\"invalid_token\"");
	return -1;
}

int
mcp_reader_of(struct conn *c, const struct req *q, struct resp *r)
{
	char id[READER_ID_LEN + 1], hex[MCP_SHA256_HEX], want[8 + MCP_SHA256_HEX];
	const char *a0[] = {"HGET", MCP_KEY_READERS, id}, **argv[] = {a0}, *t;
	int argc[] = {3}, ok = 0;
	redisReply *rep[1];
	size_t i, n;
	unsigned char d = 0;

	if (q->auth == NULL)
		return 0;
	if (strncasecmp(q->auth, "Bearer ", 7) != 0)
		return challenge(q, r, "a reader's token is sent as Authorization: Bearer");
	t = q->auth + 7 + strspn(q->auth + 7, " ");
	n = strlen(t);
	if (n != READER_ID_LEN + 1 + READER_SECRET_LEN || t[READER_ID_LEN] != '.' ||
	    strspn(t, "0123456789abcdef") != READER_ID_LEN ||
	    strspn(t + READER_ID_LEN + 1,
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
	        READER_SECRET_LEN)
		return challenge(q, r, "not a reader's token");
	memcpy(id, t, READER_ID_LEN);
	id[READER_ID_LEN] = '\0';
	/* Hashed before the store is asked: a known id or not takes the same time. */
	mcp_sha256_hex(t, n, hex);
	snprintf(want, sizeof(want), "sha256:%s ", hex);
	if (serve_query(c, 1, argc, argv, rep) != SR_OK) {
		mcp_rpc_error(r, 503, NULL, MCP_E_INTERNAL, "store unavailable", NULL);
		r->retry_after = 30;
		return -1;
	}
	if (rep[0]->type == REDIS_REPLY_STRING && rep[0]->len >= strlen(want)) {
		for (i = 0; i < strlen(want); i++)
			d |= (unsigned char)(rep[0]->str[i] ^ want[i]);
		ok = d == 0;
	}
	serve_free_replies(rep, 1);
	explicit_bzero(hex, sizeof(hex));
	explicit_bzero(want, sizeof(want));
	return ok ? 1
	          : challenge(q, r, "a reader's token that is not one (revoked, or never made)");
}
