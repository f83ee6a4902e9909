/*
 * mcptools.c - the tools and resources of /mcp (mcp-serve(8), "MCP"):
 * each reads the JSON API's own routes (serve_route), so a tool answers
 * what the API answers; read only, an output schema and structured
 * content each.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcpserve.h"

#define SLUG_SCHEMA "{\"type\":\"string\",\"pattern\":\"^[a-z0-9._-]{1,80}$\",\"description\":"
#define NULLABLE(t) "{\"type\":[\"" t "\",\"null\"]}"

/* What a tool reads and writes: its arguments, its structured content or the error's text. */
typedef int tool_fn(struct mcp_call *k, const cJSON *args, cJSON **out, char *err, size_t len);
static tool_fn list_servers, server_status, incidents, tool_changes, monthly_report;

static const struct tool {
	const char *name, *title, *desc, *input, *output;
	tool_fn *fn;
} tools[] =
    {
        {"list_servers", "Servers by state",
            "One page of the monitored servers, each with its state (up, degraded, down, pending), "
            "30-day uptime, p95 latency and last probe; state keeps only those in it. Pages as "
            "GET /api/status: pass next back as cursor.",
            "{\"type\":\"object\",\"properties\":{\"state\":{\"type\":\"string\",\"enum\":[\"up\","
            "\"degraded\",\"down\",\"pending\"]},\"limit\":{\"type\":\"integer\",\"minimum\":1,"
            "\"maximum\":1000},\"cursor\":{\"type\":\"string\"}},\"additionalProperties\":false}",
            "{\"type\":\"object\",\"properties\":{\"slugs\":{\"type\":\"array\"},"
            "\"next\":" NULLABLE(
                "string") ",\"counts\":{\"type\":\"object\"}},\"required\":[\"slugs\",\"next\"]}",
            list_servers},
        {"server_status", "One server's status",
            "One server's verdict: state, the failing regions and step, since when (the open "
            "incident), 30-day uptime, p95 latency, maintenance, and each region's latest probe.",
            "{\"type\":\"object\",\"properties\":{\"slug\":" SLUG_SCHEMA
            "\"the server\"}},\"required\":[\"slug\"],\"additionalProperties\":false}",
            "{\"type\":\"object\",\"properties\":{\"slug\":{\"type\":\"string\"},\"state\":{"
            "\"type\":"
            "\"string\"},\"uptime_30d\":" NULLABLE("number") ",\"p95_ms\":" NULLABLE(
                "number") ",\"as_of\":" NULLABLE("string") ",\"failing_regions\":{\"type\":"
                                                           "\"array\"},"
                                                           "\"failing_step\":" NULLABLE("string") ",\"since\":" NULLABLE(
                                                               "string") ","
                                                                         "\"regions\":{\"type\":"
                                                                         "\"array\"}},\"required\":"
                                                                         "[\"slug\",\"state\","
                                                                         "\"regions\"]}",
            server_status},
        {"incidents", "Incidents and posts",
            "The operator's incident posts and maintenance to come (every server's, or one's); "
            "with a slug also its open incidents and the last ten resolved.",
            "{\"type\":\"object\",\"properties\":{\"slug\":" SLUG_SCHEMA
            "\"the server; none for every server\"}},\"additionalProperties\":false}",
            "{\"type\":\"object\",\"properties\":{\"posts\":{\"type\":\"array\"},\"maintenance\":{"
            "\"type\":\"array\"},\"open\":{\"type\":\"array\"},\"recent\":{\"type\":\"array\"}},"
            "\"required\":[\"posts\",\"maintenance\"]}",
            incidents},
        {"tool_changes", "What changed in a server's tools",
            "A server's tool lists per region (their hashes), the regions that disagree and what "
            "their lists lack, and the history of changes, newest first, each with its summary.",
            "{\"type\":\"object\",\"properties\":{\"slug\":" SLUG_SCHEMA
            "\"the server\"}},\"required\":[\"slug\"],\"additionalProperties\":false}",
            "{\"type\":\"object\",\"properties\":{\"slug\":{\"type\":\"string\"},\"regions\":{"
            "\"type\":\"array\"},\"divergence\":{\"type\":\"array\"},\"history\":{\"type\":"
            "\"array\"}},\"required\":[\"slug\",\"regions\",\"divergence\",\"history\"]}",
            tool_changes},
        {"monthly_report", "A month's report",
            "One server's report of a month (default the month before this one): uptime, minutes "
            "down, degraded, in maintenance and without data, incidents, MTTR, each region.",
            "{\"type\":\"object\",\"properties\":{\"slug\":" SLUG_SCHEMA
            "\"the server\"},\"month\":{\"type\":\"string\",\"pattern\":\"^[0-9]{4}-[0-9]{2}$\"}},"
            "\"required\":[\"slug\"],\"additionalProperties\":false}",
            "{\"type\":\"object\",\"properties\":{\"slug\":{\"type\":\"string\"},\"month\":{"
            "\"type\":\"string\"},\"uptime\":" NULLABLE(
                "number") ",\"minutes\":{\"type\":"
                          "\"object\"},\"incidents\":{\"type\":\"array\"}},\"required\":[\"slug\","
                          "\"month\"]}",
            monthly_report},
};
#define NTOOLS (sizeof(tools) / sizeof(tools[0]))

/*
 * GET path?query through the API's own route, its JSON into *out (owned):
 * 0, or -1 with why in err (not found, moved, the store down, a bad
 * argument).
 */
static int
api_get(struct mcp_call *k, const char *path, const char *query, cJSON **out, char *err, size_t len)
{
	struct req s = *k->q;
	struct resp r;
	const cJSON *to;
	int n;

	*out = NULL;
	s.method = "GET";
	s.head = 0;
	s.inm = NULL;
	s.body = NULL;
	s.body_len = 0;
	s.query = query != NULL ? query : "";
	n = snprintf(s.path, sizeof(s.path), "%s", path);
	if (n < 0 || (size_t)n >= sizeof(s.path)) {
		snprintf(err, len, "not found");
		return -1;
	}
	serve_route(k->c, &s, &r);
	if (r.body.len > 0)
		*out = cJSON_ParseWithLength(r.body.p, r.body.len);
	if (r.status == 200 && *out != NULL) {
		serve_resp_free(&r);
		return 0;
	}
	if (r.status == 301 && (to = cJSON_GetObjectItemCaseSensitive(*out, "moved_to")) != NULL &&
	    cJSON_IsString(to))
		snprintf(err, len, "moved: the server is now %s", to->valuestring);
	else if (r.status == 404)
		snprintf(err, len, "not found");
	else if (r.status == 503)
		snprintf(err, len, "the store is unavailable: try again in 30 s");
	else if (r.status == 400)
		snprintf(err, len, "bad argument (a cursor or month that is not one)");
	else
		snprintf(err, len, "error %d", r.status);
	cJSON_Delete(*out);
	*out = NULL;
	serve_resp_free(&r);
	return -1;
}

/* A string argument: 1 and *v, 0 absent, -1 not a string. */
static int
arg_str(const cJSON *args, const char *name, const char **v)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(args, name);

	if (a == NULL)
		return 0;
	if (!cJSON_IsString(a))
		return -1;
	*v = a->valuestring;
	return 1;
}

static int
arg_slug(const cJSON *args, const char **slug, char *err, size_t len)
{
	if (arg_str(args, "slug", slug) != 1 || !mcp_slug_ok(*slug)) {
		snprintf(err, len, "slug: a server's name ([a-z0-9._-], 1 to 80) is required");
		return -1;
	}
	return 0;
}

static int
list_servers(struct mcp_call *k, const cJSON *args, cJSON **out, char *err, size_t len)
{
	static const char *const states[] = {"up", "degraded", "down", "pending"};
	const cJSON *lim = cJSON_GetObjectItemCaseSensitive(args, "limit"), *e;
	const char *state = NULL, *cur = NULL;
	char qs[256];
	cJSON *keep, *counts, *st;
	size_t i;
	int n;

	if (arg_str(args, "state", &state) == -1 || arg_str(args, "cursor", &cur) == -1 ||
	    (lim != NULL &&
	        (!cJSON_IsNumber(lim) || lim->valuedouble < 1 ||
	            lim->valuedouble > SERVE_PAGE_MAX ||
	            lim->valuedouble != floor(lim->valuedouble)))) {
		snprintf(err, len, "state, cursor: strings; limit: an integer from 1 to %d",
		    SERVE_PAGE_MAX);
		return -1;
	}
	for (i = 0; state != NULL && i < 4 && strcmp(state, states[i]) != 0; i++)
		;
	if (i == 4 ||
	    (cur != NULL &&
	        (strlen(cur) > SERVE_CURSOR_MAX ||
	            strspn(cur, "abcdefghijklmnopqrstuvwxyz0123456789._-~") != strlen(cur)))) {
		snprintf(err, len,
		    state != NULL && i == 4 ? "state: up, degraded, down or pending"
		                            : "bad cursor");
		return -1;
	}
	n = snprintf(qs, sizeof(qs), "limit=%d%s%s",
	    lim != NULL ? (int)lim->valuedouble : SERVE_PAGE_DEFAULT, cur != NULL ? "&cursor=" : "",
	    cur != NULL ? cur : "");
	if (n < 0 || (size_t)n >= sizeof(qs) || api_get(k, "/api/status", qs, out, err, len) == -1)
		return -1;
	counts = cJSON_AddObjectToObject(*out, "counts");
	keep = cJSON_CreateArray();
	while ((e = cJSON_DetachItemFromArray(
	            cJSON_GetObjectItemCaseSensitive(*out, "slugs"), 0)) != NULL) {
		st = cJSON_GetObjectItemCaseSensitive(e, "state");
		if (cJSON_IsString(st)) {
			cJSON *c = cJSON_GetObjectItemCaseSensitive(counts, st->valuestring);
			if (c == NULL)
				cJSON_AddNumberToObject(counts, st->valuestring, 1);
			else
				cJSON_SetNumberValue(c, c->valuedouble + 1);
		}
		if (state == NULL || (cJSON_IsString(st) && strcmp(st->valuestring, state) == 0))
			cJSON_AddItemToArray(keep, (cJSON *)e);
		else
			cJSON_Delete((cJSON *)e);
	}
	cJSON_ReplaceItemInObjectCaseSensitive(*out, "slugs", keep);
	return 0;
}

/*
 * A slug's open incidents (HGETALL mcp:{SLUG}:incident, the downtime track
 * first), the last ten resolved (LRANGE :incidents), and its summary (GET
 * verdict, ZREVRANGE seen): one round trip.
 */
static int
incidents_read(struct mcp_call *k, const char *slug, cJSON *open, cJSON *recent, struct summary *s)
{
	char kv[128], ks[128], ki[128], km[128], kh[128];
	const char *a0[] = {"GET", kv}, *a1[] = {"ZREVRANGE", ks, "0", "0", "WITHSCORES"},
	           *a2[] = {"HGETALL", ki}, *a3[] = {"HMGET", km, "start", "end", "reason"},
	           *a4[] = {"LRANGE", kh, "0", "9"};
	const char **argv[] = {a0, a1, a2, a3, a4};
	int argc[] = {2, 5, 2, 5, 4};
	size_t i, n = recent != NULL ? 5 : 4;
	redisReply *rep[5];
	cJSON *o;

	snprintf(kv, sizeof(kv), "mcp:{%s}:verdict", slug);
	snprintf(ks, sizeof(ks), "mcp:{%s}:seen", slug);
	snprintf(ki, sizeof(ki), "mcp:{%s}:incident", slug);
	snprintf(kh, sizeof(kh), "mcp:{%s}:incidents", slug);
	serve_maint_key(km, sizeof(km), slug);
	if (serve_query(k->c, n, argc, argv, rep) != SR_OK)
		return -1;
	if (s != NULL) {
		serve_summary(rep[0], rep[1], k->q->now, s, 1);
		serve_maint(rep[3], k->q->now, s);
	}
	mcp_incidents_open(rep[2], k->q->now, open);
	for (i = 0; recent != NULL && rep[4]->type == REDIS_REPLY_ARRAY && i < rep[4]->elements;
	     i++)
		if ((o = mcp_incident_of(rep[4]->element[i], k->q->now)) != NULL)
			cJSON_AddItemToArray(recent, o);
	serve_free_replies(rep, n);
	return 0;
}

/* One server's status (mcpstatus.c). */
static int
server_status(struct mcp_call *k, const cJSON *args, cJSON **out, char *err, size_t len)
{
	const char *slug;

	*out = NULL;
	if (arg_slug(args, &slug, err, len) == -1)
		return -1;
	return mcp_server_status(k, slug, out, err, len);
}

static int
incidents(struct mcp_call *k, const cJSON *args, cJSON **out, char *err, size_t len)
{
	const char *slug = NULL;
	char path[128];
	cJSON *open, *recent;
	int rc = arg_str(args, "slug", &slug);

	if (rc == -1 || (rc == 1 && !mcp_slug_ok(slug))) {
		snprintf(err, len, "slug: a server's name ([a-z0-9._-], 1 to 80)");
		return -1;
	}
	if (slug != NULL)
		snprintf(path, sizeof(path), "/api/status/%s/posts", slug);
	if (api_get(k, slug != NULL ? path : "/api/posts", NULL, out, err, len) == -1)
		return -1;
	if (slug == NULL)
		return 0;
	open = cJSON_AddArrayToObject(*out, "open");
	recent = cJSON_AddArrayToObject(*out, "recent");
	if (incidents_read(k, slug, open, recent, NULL) == -1) {
		snprintf(err, len, "the store is unavailable: try again in 30 s");
		return -1;
	}
	return 0;
}

static int
tool_changes(struct mcp_call *k, const cJSON *args, cJSON **out, char *err, size_t len)
{
	const char *slug;
	char path[128];

	if (arg_slug(args, &slug, err, len) == -1)
		return -1;
	snprintf(path, sizeof(path), "/api/status/%s/tools", slug);
	return api_get(k, path, NULL, out, err, len);
}

static int
monthly_report(struct mcp_call *k, const cJSON *args, cJSON **out, char *err, size_t len)
{
	const char *slug, *month = NULL;
	char qs[32];
	struct req s = *k->q;
	struct resp r;
	int rc = 0;

	if (arg_slug(args, &slug, err, len) == -1)
		return -1;
	if (arg_str(args, "month", &month) == -1 || (month != NULL && strlen(month) != 7)) {
		snprintf(err, len, "month: YYYY-MM");
		return -1;
	}
	snprintf(qs, sizeof(qs), "month=%s", month != NULL ? month : "");
	s.query = month != NULL ? qs : "";
	memset(&r, 0, sizeof(r));
	r.status = 200;
	serve_report_json(k->c, &s, slug, &r);
	*out = r.status == 200 ? cJSON_ParseWithLength(r.body.p, r.body.len) : NULL;
	if (*out == NULL) {
		rc = -1;
		snprintf(err, len,
		    r.status == 404       ? "not found (an unknown server, or a month not begun)"
		        : r.status == 400 ? "month: YYYY-MM"
		        : r.status == 503 ? "the store is unavailable: try again in 30 s"
		                          : "error");
	}
	serve_resp_free(&r);
	return rc;
}

static cJSON *
tool_json(const struct tool *t)
{
	cJSON *o = cJSON_CreateObject(), *a;

	cJSON_AddStringToObject(o, "name", t->name);
	cJSON_AddStringToObject(o, "title", t->title);
	cJSON_AddStringToObject(o, "description", t->desc);
	cJSON_AddItemToObject(o, "inputSchema", cJSON_Parse(t->input));
	cJSON_AddItemToObject(o, "outputSchema", cJSON_Parse(t->output));
	a = cJSON_AddObjectToObject(o, "annotations");
	cJSON_AddStringToObject(a, "title", t->title);
	cJSON_AddTrueToObject(a, "readOnlyHint");
	cJSON_AddFalseToObject(a, "destructiveHint");
	cJSON_AddTrueToObject(a, "idempotentHint");
	cJSON_AddFalseToObject(a, "openWorldHint");
	return o;
}

/* Any cursor on a list that fits one page is one that was never given. */
static int
no_cursor(struct mcp_call *k)
{
	if (cJSON_GetObjectItemCaseSensitive(k->params, "cursor") == NULL)
		return 0;
	mcp_call_fail(k, 200, MCP_E_PARAMS, "invalid cursor");
	return -1;
}

cJSON *
mcp_tools_list(struct mcp_call *k)
{
	cJSON *o, *a;
	size_t i;

	if (no_cursor(k) == -1)
		return NULL;
	o = cJSON_CreateObject();
	a = cJSON_AddArrayToObject(o, "tools");
	for (i = 0; i < NTOOLS; i++)
		cJSON_AddItemToArray(a, tool_json(&tools[i]));
	/* The list changes only with a new mcp-serve. */
	k->ttl_ms = 3600000;
	return o;
}

/* A result of tools/call: the JSON as text and as structured content, or the error's text. */
static cJSON *
call_result(cJSON *out, const char *err)
{
	cJSON *o = cJSON_CreateObject(), *c = cJSON_AddArrayToObject(o, "content"), *t;
	/* A raw item (server_status) is its text already: printed once, not twice. */
	char *s = out == NULL  ? NULL
	    : cJSON_IsRaw(out) ? strdup(out->valuestring)
	                       : cJSON_PrintUnformatted(out);

	t = cJSON_CreateObject();
	cJSON_AddStringToObject(t, "type", "text");
	cJSON_AddStringToObject(t, "text", s != NULL ? s : err != NULL ? err : "out of memory");
	cJSON_AddItemToArray(c, t);
	if (s != NULL)
		cJSON_AddItemToObject(o, "structuredContent", out);
	else
		cJSON_Delete(out);
	cJSON_AddBoolToObject(o, "isError", s == NULL);
	free(s);
	return o;
}

cJSON *
mcp_tools_call(struct mcp_call *k)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(k->params, "name");
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(k->params, "arguments");
	cJSON *out = NULL;
	char err[256];
	size_t i;

	for (i = 0; cJSON_IsString(name) && i < NTOOLS; i++)
		if (strcmp(tools[i].name, name->valuestring) == 0)
			break;
	if (!cJSON_IsString(name) || i == NTOOLS) {
		mcp_call_fail(k, 200, MCP_E_PARAMS, "unknown tool");
		return NULL;
	}
	if (args != NULL && !cJSON_IsObject(args))
		return call_result(NULL, "arguments: an object");
	if (tools[i].fn(k, args, &out, err, sizeof(err)) == -1) {
		cJSON_Delete(out);
		return call_result(NULL, err);
	}
	return call_result(out, NULL);
}

/* resources/list: a page of the fleet as GET /api/status pages it, a resource a server. */
cJSON *
mcp_resources_list(struct mcp_call *k)
{
	const cJSON *cur = cJSON_GetObjectItemCaseSensitive(k->params, "cursor"), *e, *sl, *nx;
	cJSON *o, *a, *page, *args, *item;
	char err[256], uri[160];

	args = cJSON_CreateObject();
	if (cur != NULL)
		cJSON_AddItemToObject(args, "cursor", cJSON_Duplicate(cur, 1));
	if (list_servers(k, args, &page, err, sizeof(err)) == -1) {
		cJSON_Delete(args);
		mcp_call_fail(k, 200,
		    strstr(err, "cursor") != NULL || strstr(err, "argument") ? MCP_E_PARAMS
		                                                             : MCP_E_INTERNAL,
		    strstr(err, "cursor") != NULL || strstr(err, "argument") ? "invalid cursor"
		                                                             : err);
		return NULL;
	}
	cJSON_Delete(args);
	o = cJSON_CreateObject();
	a = cJSON_AddArrayToObject(o, "resources");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(page, "slugs"))
	{
		if (!cJSON_IsString(sl = cJSON_GetObjectItemCaseSensitive(e, "slug")))
			continue;
		snprintf(uri, sizeof(uri), MCP_RESOURCE_PREFIX "%s", sl->valuestring);
		item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "uri", uri);
		cJSON_AddStringToObject(item, "name", sl->valuestring);
		cJSON_AddStringToObject(item, "title", sl->valuestring);
		cJSON_AddStringToObject(
		    item, "description", "The server's status, as server_status answers it");
		cJSON_AddStringToObject(item, "mimeType", "application/json");
		cJSON_AddItemToArray(a, item);
	}
	if (cJSON_IsString(nx = cJSON_GetObjectItemCaseSensitive(page, "next")))
		cJSON_AddStringToObject(o, "nextCursor", nx->valuestring);
	cJSON_Delete(page);
	return o;
}

cJSON *
mcp_templates_list(struct mcp_call *k)
{
	cJSON *o, *a, *t;

	if (no_cursor(k) == -1)
		return NULL;
	o = cJSON_CreateObject();
	a = cJSON_AddArrayToObject(o, "resourceTemplates");
	t = cJSON_CreateObject();
	cJSON_AddStringToObject(t, "uriTemplate", MCP_RESOURCE_PREFIX "{slug}");
	cJSON_AddStringToObject(t, "name", "status");
	cJSON_AddStringToObject(t, "title", "A server's status");
	cJSON_AddStringToObject(t, "mimeType", "application/json");
	cJSON_AddItemToArray(a, t);
	k->ttl_ms = 3600000;
	return o;
}

cJSON *
mcp_resources_read(struct mcp_call *k)
{
	const cJSON *uri = cJSON_GetObjectItemCaseSensitive(k->params, "uri");
	size_t pl = strlen(MCP_RESOURCE_PREFIX);
	cJSON *args, *out = NULL, *o, *c;
	char err[256] = "", *s;
	int rc = -1;

	if (!cJSON_IsString(uri)) {
		mcp_call_fail(k, 200, MCP_E_PARAMS, "uri: a string is required");
		return NULL;
	}
	if (strncmp(uri->valuestring, MCP_RESOURCE_PREFIX, pl) == 0 &&
	    mcp_slug_ok(uri->valuestring + pl)) {
		args = cJSON_CreateObject();
		cJSON_AddStringToObject(args, "slug", uri->valuestring + pl);
		rc = server_status(k, args, &out, err, sizeof(err));
		cJSON_Delete(args);
	}
	if (rc == -1 && strstr(err, "unavailable") != NULL) {
		mcp_call_fail(k, 200, MCP_E_INTERNAL, err);
		return NULL;
	}
	if (rc == -1) {
		mcp_call_fail(
		    k, 200, k->modern ? MCP_E_PARAMS : MCP_E_NOT_FOUND, "resource not found");
		k->data = cJSON_CreateObject();
		cJSON_AddStringToObject(k->data, "uri", uri->valuestring);
		return NULL;
	}
	s = cJSON_PrintUnformatted(out);
	cJSON_Delete(out);
	o = cJSON_CreateObject();
	c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "uri", uri->valuestring);
	cJSON_AddStringToObject(c, "mimeType", "application/json");
	cJSON_AddStringToObject(c, "text", s != NULL ? s : "{}");
	free(s);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "contents"), c);
	return o;
}

/* prompts/list: "triage this outage", which gathers the tools' answers. */
cJSON *
mcp_prompts_list(struct mcp_call *k)
{
	cJSON *o, *p, *a, *arg;

	if (no_cursor(k) == -1)
		return NULL;
	o = cJSON_CreateObject();
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "name", "triage_outage");
	cJSON_AddStringToObject(p, "title", "Triage this outage");
	cJSON_AddStringToObject(p, "description",
	    "A server's status, its incidents and its tool changes, gathered for a triage");
	a = cJSON_AddArrayToObject(p, "arguments");
	arg = cJSON_CreateObject();
	cJSON_AddStringToObject(arg, "name", "slug");
	cJSON_AddStringToObject(arg, "description", "the server");
	cJSON_AddTrueToObject(arg, "required");
	cJSON_AddItemToArray(a, arg);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "prompts"), p);
	k->ttl_ms = 3600000;
	return o;
}

static int
prompt_part(
    struct mcp_buf *b, struct mcp_call *k, tool_fn *fn, const cJSON *args, const char *title)
{
	cJSON *out = NULL;
	char err[256], *s = NULL;
	int rc;

	rc = fn(k, args, &out, err, sizeof(err));
	if (rc == 0)
		s = cJSON_PrintUnformatted(out);
	cJSON_Delete(out);
	rc = mcp_buf_addf(b, "\n\n%s:\n%s", title, s != NULL ? s : err);
	free(s);
	return rc;
}

cJSON *
mcp_prompts_get(struct mcp_call *k)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(k->params, "name");
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(k->params, "arguments");
	const char *slug;
	struct mcp_buf b = {0};
	char err[256];
	cJSON *o, *m, *c;
	int rc;

	if (!cJSON_IsString(name) || strcmp(name->valuestring, "triage_outage") != 0) {
		mcp_call_fail(k, 200, MCP_E_PARAMS, "unknown prompt");
		return NULL;
	}
	if (arg_slug(args, &slug, err, sizeof(err)) == -1) {
		mcp_call_fail(k, 200, MCP_E_PARAMS, err);
		return NULL;
	}
	rc = mcp_buf_addf(&b,
	    "Triage the outage of the MCP server %s: say what is failing, where, since when, "
	    "and whether its tool list changed, from what mcp-uptime answers below.",
	    slug);
	rc |= prompt_part(&b, k, server_status, args, "server_status") |
	    prompt_part(&b, k, incidents, args, "incidents") |
	    prompt_part(&b, k, tool_changes, args, "tool_changes");
	if (rc != 0 || mcp_buf_addc(&b, '\0') != 0) {
		mcp_buf_free(&b);
		return NULL;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "description", "Triage this outage");
	m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "role", "user");
	c = cJSON_AddObjectToObject(m, "content");
	cJSON_AddStringToObject(c, "type", "text");
	cJSON_AddStringToObject(c, "text", b.p);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "messages"), m);
	mcp_buf_free(&b);
	return o;
}
