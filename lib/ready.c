/*
 * ready.c - the reasons of a server's readiness for 2026's clients and
 * the grade they make (ready.h).  Each reason's section is the 2026-07-28
 * specification's (docs/specification/2026-07-28/...); mcp-probe(1),
 * READINESS, lists them.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <string.h>

#include "json.h"
#include "ready.h"

const struct mcp_ready_reason_def mcp_ready_reasons[MCP_R_N] = {
    [MCP_R_SSE_ONLY] = {"sse_only", MCP_SEV_CRITICAL, "deprecated",
        "speaks only the HTTP+SSE transport, deprecated since 2025-03-26 (SEP-2596; earliest "
        "removal three months after SEP-2596 is final): clients have begun to refuse it",
        "serve Streamable HTTP, and the 2026-07-28 era (server/discover)"},
    [MCP_R_LEGACY_ONLY] = {"legacy_only", MCP_SEV_MAJOR, "changelog",
        "speaks no 2026-07-28 (server/discover is not answered): clients of the new era "
        "must fall back, and some no longer do",
        "answer server/discover and the 2026-07-28 requests (the SDKs' 2026 releases), "
        "keeping the legacy handshake for older clients"},
    [MCP_R_MODERN_SESSION] = {"modern_session", MCP_SEV_MAJOR, "basic/transports/streamable-http",
        "answers in the 2026-07-28 era with an Mcp-Session-Id: that era has no sessions "
        "(SEP-2567)",
        "keep no session in the 2026-07-28 era: each request stands alone"},
    [MCP_R_RESULT_TYPE] = {"result_type_missing", MCP_SEV_MAJOR, "basic/index",
        "a 2026-07-28 result (server/discover, a list) without resultType, which every result "
        "must carry (SEP-2322)",
        "set resultType on every result (\"complete\", or \"input_required\")"},
    [MCP_R_VERSION_ANSWER] = {"version_not_refused", MCP_SEV_MINOR, "basic/versioning",
        "a request of an unknown protocol version is not answered -32022 with the "
        "versions supported (data.supported)",
        "answer an unsupported version with error -32022 and data.supported listing the "
        "versions served"},
    [MCP_R_METHOD_HEADER] = {"method_header_ignored", MCP_SEV_MINOR,
        "basic/transports/streamable-http",
        "a request whose Mcp-Method header differs from its body's method is served, "
        "not refused (-32020, HTTP 400)",
        "refuse a request whose Mcp-Method or Mcp-Name header differs from its body"},
    [MCP_R_ORIGIN] = {"origin_unprotected", MCP_SEV_MAJOR, "basic/transports/streamable-http",
        "a request with a foreign Origin is served: a web page the user visits can reach "
        "it (DNS rebinding)",
        "answer a request whose Origin is not one of yours with 403"},
    [MCP_R_CORS] = {"cors_credentials_any", MCP_SEV_CRITICAL, "basic/transports/streamable-http",
        "CORS lets any origin send credentials: it answers a foreign Origin with "
        "Access-Control-Allow-Origin naming it (or *) and Allow-Credentials true",
        "allow credentials only to origins you name, never to the one asking"},
    [MCP_R_LOGGING] = {"deprecated_logging", MCP_SEV_MINOR, "deprecated",
        "declares the logging capability, deprecated in 2026-07-28 (SEP-2577; earliest "
        "removal in the first revision on or after 2027-07-28)",
        "log to stderr (stdio) or through OpenTelemetry, and drop the capability"},
    [MCP_R_SAMPLING] = {"deprecated_sampling", MCP_SEV_MINOR, "deprecated",
        "asks its client for sampling, deprecated in 2026-07-28 (SEP-2577; earliest removal "
        "in the first revision on or after 2027-07-28)",
        "call an LLM provider's API directly"},
    [MCP_R_ROOTS] = {"deprecated_roots", MCP_SEV_MINOR, "deprecated",
        "asks its client for roots, deprecated in 2026-07-28 (SEP-2577; earliest removal in "
        "the first revision on or after 2027-07-28)",
        "take directories and files as tool parameters, resource URIs or configuration"},
    [MCP_R_TTL] = {"cache_hints_missing", MCP_SEV_MINOR, "server/tools",
        "a 2026-07-28 tool list without ttlMs and cacheScope (SEP-2549)",
        "set ttlMs and cacheScope on list results"},
    [MCP_R_NAME_INVALID] = {"tool_name_invalid", MCP_SEV_MINOR, "server/tools",
        "tool names outside the spec's charset or length (1 to 128 of A-Z a-z 0-9 _ - .)",
        "rename the tools within the charset: clients may refuse or rename them"},
    [MCP_R_NAME_DUPLICATE] = {"tool_name_duplicate", MCP_SEV_MAJOR, "server/tools",
        "two tools of one name: which one an agent calls is the client's guess",
        "give every tool a name of its own"},
    [MCP_R_DESTRUCTIVE_OPEN] = {"destructive_unauthenticated", MCP_SEV_MAJOR,
        "basic/authorization/security-considerations",
        "serves tools that change or delete (destructiveHint, or a name that says so "
        "without readOnlyHint) to anyone, with no authentication",
        "put the server behind authorization, or mark read-only tools readOnlyHint"},
    [MCP_R_ICON] = {"icon_unsafe", MCP_SEV_MINOR, "basic/index",
        "icons whose src is neither https: nor data:, or on another origin than the server",
        "serve icons over https from the server's own origin, or as data: URIs"},
    [MCP_R_AS_META] = {"as_metadata_missing", MCP_SEV_MAJOR, "basic/authorization",
        "the authorization server its protected-resource metadata names publishes no metadata "
        "(RFC 8414, nor OpenID Connect discovery): a client cannot learn where to authorize",
        "publish the authorization server's metadata at its RFC 8414 well-known place"},
    [MCP_R_AS_ISS] = {"as_iss_unsupported", MCP_SEV_MINOR, "basic/authorization",
        "its authorization server does not say it returns iss in its authorization responses "
        "(RFC 9207, authorization_response_iss_parameter_supported), as 2026-07-28 asks "
        "(SEP-2468)",
        "return iss in authorization responses and say so in the metadata"},
    [MCP_R_DCR_ONLY] = {"dcr_only", MCP_SEV_MINOR, "basic/authorization/client-registration",
        "its authorization server registers clients by Dynamic Client Registration alone, "
        "deprecated in 2026-07-28 (earliest removal in the first revision on or after "
        "2027-07-28), and not by Client ID Metadata Documents",
        "support Client ID Metadata Documents (client_id_metadata_document_supported)"},
    [MCP_R_HEADER_INVALID] = {"tool_header_invalid", MCP_SEV_MINOR, "server/tools",
        "tools whose x-mcp-header annotations are invalid (not on a property, not a header name, "
        "given twice, on a value no header carries): 2026-07-28 clients must drop them, so an "
        "agent sees fewer tools than the server lists (SEP-2243)",
        "put x-mcp-header only on string, number or boolean properties, each a distinct "
        "header name"},
    [MCP_R_BADARGS] = {"invalid_args_protocol_error", MCP_SEV_MINOR, "server/tools",
        "a tool called without its required arguments answers a protocol error, not a result "
        "with isError: the model never sees what it did wrong (SEP-1303)",
        "answer input validation errors as a tool result with isError: true"},
    [MCP_R_ORDER] = {"tool_order_unstable", MCP_SEV_MINOR, "server/tools",
        "the tool list comes in another order when asked again: clients' caches and prompts "
        "change for nothing (2026-07-28 asks for a deterministic order)",
        "list the tools in a stable order"},
    [MCP_R_TRIFECTA] = {"lethal_trifecta", MCP_SEV_MAJOR, "basic/security_best_practices",
        "one server offers tools that fetch untrusted content, tools that read private data and "
        "tools that send data out: an instruction hidden in what it fetches can send away what "
        "it reads (the lethal trifecta; Snyk's toxic flow TF001)",
        "split the three across servers an agent does not hold together, or put a person's "
        "confirmation before a tool sends"},
    [MCP_R_ELICIT_URL] = {"elicitation_url_unsafe", MCP_SEV_MAJOR, "client/elicitation",
        "it asks the user to open a URL (URL-mode elicitation) that is not https or is away "
        "from the server's own domain: a phishing shape (the monitor never follows it)",
        "send users only to https pages of your own domain"},
    [MCP_R_INPUT_UNDECLARED] = {"input_request_undeclared", MCP_SEV_MINOR, "basic/patterns/mrtr",
        "it answers with input requests (elicitation, sampling or roots) that the client did "
        "not declare it supports, which 2026-07-28 forbids",
        "send only the input requests the client's capabilities declare"},
    [MCP_R_PUBLIC_DIVERGENT] = {"public_cache_divergent", MCP_SEV_MAJOR, "server/tools",
        "its tool list says cacheScope public, yet the regions are served different lists: "
        "a shared cache hands some clients another list (a stale edge, or cloaking)",
        "mark lists that differ by place or identity cacheScope private, or serve one list"},
    [MCP_R_APP_UNREADABLE] = {"app_unreadable", MCP_SEV_MINOR, "extensions/apps",
        "a tool points to an MCP App (_meta.ui.resourceUri) whose ui:// resource the server "
        "does not serve",
        "serve every ui:// resource a tool names, as text/html;profile=mcp-app"},
    [MCP_R_APP_CSP] = {"app_csp_open", MCP_SEV_MINOR, "extensions/apps",
        "an MCP App's CSP lets it reach any origin (* or a bare scheme in its domains): the "
        "host's sandbox is only as tight as what the app declares",
        "name each origin the app connects to or loads from"},
    [MCP_R_APP_TEXT] = {"app_text_findings", MCP_SEV_MAJOR, "extensions/apps",
        "the HTML of an MCP App holds text the rules read as aimed at the model (high or medium "
        "findings of mcp-rules(7)): a host renders it beside the agent",
        "keep instructions to the model out of the app's markup"},
    [MCP_R_VERSIONS] = {"versions_inconsistent", MCP_SEV_MINOR, "server/discover",
        "server/discover's supportedVersions do not match what it serves: 2026-07-28 missing "
        "from the list it answers in, or another list in its -32022 answer",
        "list in supportedVersions exactly the versions served, the same in -32022's "
        "data.supported"},
};

cJSON *
mcp_ready_reason_json(int k)
{
	cJSON *x = cJSON_CreateObject();

	cJSON_AddStringToObject(x, "code", mcp_ready_reasons[k].code);
	cJSON_AddStringToObject(x, "severity", mcp_ready_sev_name(mcp_ready_reasons[k].sev));
	cJSON_AddStringToObject(x, "spec", mcp_ready_reasons[k].spec);
	cJSON_AddStringToObject(x, "message", mcp_ready_reasons[k].what);
	cJSON_AddStringToObject(x, "fix", mcp_ready_reasons[k].fix);
	return x;
}

const char *
mcp_ready_sev_name(enum mcp_ready_sev s)
{
	return s == MCP_SEV_CRITICAL ? "critical" : s == MCP_SEV_MAJOR ? "major" : "minor";
}

int
mcp_ready_code(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < MCP_R_N; i++)
		if (strcmp(s, mcp_ready_reasons[i].code) == 0)
			return i;
	return -1;
}

char
mcp_ready_grade(const int *have)
{
	int i, worst = 0, majors = 0, minors = 0;

	for (i = 0; i < MCP_R_N; i++) {
		if (!have[i])
			continue;
		if ((int)mcp_ready_reasons[i].sev > worst)
			worst = (int)mcp_ready_reasons[i].sev;
		majors += mcp_ready_reasons[i].sev == MCP_SEV_MAJOR;
		minors += mcp_ready_reasons[i].sev == MCP_SEV_MINOR;
	}
	return worst == MCP_SEV_CRITICAL ? 'F'
	    : majors >= 2                ? 'D'
	    : majors == 1                ? 'C'
	    : minors > 0                 ? 'B'
	                                 : 'A';
}

/* The words of a name, lower case, at most n of them: delete_file, deleteFile, delete-file. */
static int
name_words(const char *s, char w[][32], int n)
{
	int k = 0;
	size_t i = 0;

	for (; *s != '\0' && k < n; s++) {
		int upper = *s >= 'A' && *s <= 'Z', alpha = upper || (*s >= 'a' && *s <= 'z');

		if (!alpha || (upper && i > 0)) {
			if (i > 0)
				w[k++][i] = '\0', i = 0;
			if (!alpha || k == n)
				continue;
		}
		if (i < 31)
			w[k][i++] = (char)(upper ? *s + 32 : *s);
	}
	if (i > 0 && k < n)
		w[k++][i] = '\0';
	return k;
}

static int
in_list(const char *w, const char *const *l)
{
	for (; *l != NULL; l++)
		if (strcmp(w, *l) == 0)
			return 1;
	return 0;
}

/* Whether the tool's schema has a top-level property of one of the names. */
static int
has_prop(const cJSON *schema, const char *const *names)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(schema, "properties"))
	{
		char low[32];
		size_t i;

		for (i = 0; p->string != NULL && p->string[i] != '\0' && i < sizeof(low) - 1; i++)
			low[i] =
			    (char)(p->string[i] >= 'A' && p->string[i] <= 'Z' ? p->string[i] + 32
			                                                      : p->string[i]);
		low[i] = '\0';
		if (in_list(low, names))
			return 1;
	}
	return 0;
}

/*
 * The legs of the lethal trifecta a tool stands on (ready.h), by its
 * name's words and its schema's properties (measured on 119 real
 * servers' lists: one server has all three, one that means to;
 * mcp-probe(1), Readiness):
 * untrusted content, a verb that fetches with a URL to fetch (or a web
 * search); private data, a verb that reads and a noun of what is
 * private; a sink, a verb that sends with a destination to send to.
 */
unsigned
mcp_ready_legs(const char *name, const cJSON *schema)
{
	static const char *const fetch[] = {
	    "fetch", "browse", "scrape", "crawl", "navigate", "download", "visit", NULL};
	static const char *const urlp[] = {"url", "uri", "href", "link", "website", "page", NULL};
	static const char *const web[] = {
	    "web", "internet", "url", "webpage", "website", "page", "html", "browser", NULL};
	static const char *const readv[] = {"read", "get", "list", "search", "query", "find",
	    "fetch", "show", "view", "open", "load", "cat", "select", "retrieve", "download", NULL};
	static const char *const privn[] = {"file", "files", "directory", "dir", "folder", "path",
	    "database", "db", "sql", "query", "table", "email", "emails", "inbox", "mail",
	    "message", "messages", "calendar", "contacts", "contact", "secret", "secrets",
	    "credential", "credentials", "env", "environment", "document", "documents", "note",
	    "notes", "drive", "repo", "repository", NULL};
	static const char *const sendv[] = {"send", "post", "upload", "publish", "email", "mail",
	    "notify", "share", "forward", "reply", "tweet", "message", "webhook", "submit", "push",
	    NULL};
	static const char *const destp[] = {"to", "recipient", "recipients", "email", "address",
	    "url", "webhook", "channel", "chat", "phone", "destination", "endpoint", NULL};
	char w[8][32];
	int n = name_words(name, w, 8), i, webw = 0, priv = 0;
	unsigned legs = 0;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		webw |= in_list(w[i], web);
		priv |= in_list(w[i], privn);
	}
	if ((in_list(w[0], fetch) && (has_prop(schema, urlp) || webw)) ||
	    (strcmp(w[0], "search") == 0 && webw))
		legs |= MCP_LEG_UNTRUSTED;
	if (in_list(w[0], readv) && priv)
		legs |= MCP_LEG_PRIVATE;
	if (in_list(w[0], sendv) && has_prop(schema, destp))
		legs |= MCP_LEG_SINK;
	return legs;
}

const char *const mcp_ready_eras[MCP_ERA_N] = {"modern", "legacy", "sse"};

int
mcp_ready_era(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < MCP_ERA_N; i++)
		if (strcmp(s, mcp_ready_eras[i]) == 0)
			return i;
	return -1;
}

int
mcp_ready_issuer_ok(const char *s, size_t max)
{
	size_t i, n;

	if (s == NULL || (n = strlen(s)) == 0 || n > max ||
	    (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0))
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] > 0x7e || s[i] == '"' ||
		    s[i] == '\\')
			return 0;
	return 1;
}
