/*
 * ready.c - the readiness of a target for 2026's clients (--readiness,
 * readiness=1): what the steps already saw (the eras and transport, the
 * capabilities, the tools' names and annotations, a modern answer's
 * resultType and session, the server's requests of the client), and,
 * once the steps are decided, a few requests of its own:
 *
 *   modern: server/discover with a version no server speaks (the answer
 *   must be -32022 naming the versions it does), with an Mcp-Method
 *   header that is not the body's (-32020 or 400), and with a foreign
 *   Origin (403); then the legacy handshake, to learn whether it still
 *   speaks to older clients (its session, if it makes one, closed).
 *   legacy Streamable HTTP: ping, in its session, with a foreign Origin.
 *   HTTP+SSE: none.
 *   behind an OAuth wall (no credentials): the metadata of the
 *   authorization server its protected-resource metadata names (RFC 8414,
 *   then OpenID's places; no credential, the guard's rules, plain HTTP to
 *   loopback only): its issuer, whether it says it returns iss (RFC
 *   9207), and whether it registers clients by CIMD or by DCR alone.
 *
 * Each problem is a reason (a code, its severity, the spec's section it
 * rests on, what to do), and the grade is the worst they add up to:
 * F with a critical one, D with two major ones or more, C with one, B
 * with minor ones only, A with none.  What could not be learnt (an
 * answer that was no answer, a 401 without credentials) is "unknown" and
 * costs nothing.  A posture only: it never changes the target's state nor
 * its time; its requests go to the target's URL with what the steps'
 * requests carried there, and the server's text is never quoted in a
 * reason (names are counted, not said).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mcp.h"
#include "probe.h"
#include "ready.h"
#include "sha256.h"
#include "toolset.h"

/* A version no server speaks (and none ever will: a date long past any). */
#define READY_NO_VERSION "2999-12-31"
/* The Origin of a page no server serves (RFC 6761: .invalid never resolves). */
#define READY_ORIGIN "https://mcp-probe.invalid"
/* Tool names remembered to find one given twice; past it, not looked for. */
#define READY_NAMES 4096

enum rd_stage { RD_NO, RD_RUNNING, RD_DONE };
/* The checks of the requests, in their order. */
enum rd_check {
	RC_VERSION,
	RC_METHOD,
	RC_ORIGIN,
	RC_BADARGS,
	RC_ORDER,
	RC_LEGACY,
	RC_PING_ORIGIN,
	RC_AS,
	RC_APPS,
	RC_N
};
/* MCP Apps read (ui:// resources the tools name), at the most, and a URI's bytes. */
#define READY_APPS 4
#define READY_APP_URI 256
/* CSP origins said of an app, at the most. */
#define READY_APP_CSP 16
/* A tool's name kept for the call without its arguments, at the most. */
#define READY_TOOL_MAX 128
/* The authorization server's metadata, at the most, and its issuer said. */
#define READY_AS_MAX (64 * 1024)
#define READY_ISSUER_MAX 256
/* What a check learnt. */
enum rd_seen { SEEN_NOT, SEEN_UNKNOWN, SEEN_GOOD, SEEN_BAD };

struct ready {
	enum rd_stage stage;
	enum rd_check check;         /* in flight */
	enum rd_seen seen[RC_N];     /* what each check learnt */
	long count[MCP_R_N];         /* the problems found, by reason (0: none) */
	int caps_seen;               /* the handshake's capabilities were read */
	int modern;                  /* the steps found the 2026-07-28 era */
	int hints;                   /* a list's first page: 1 with ttlMs and cacheScope, -1 not */
	uint64_t names[READY_NAMES]; /* the names seen, by their SHA-256's first 8 bytes */
	size_t nnames;               /* of them */
	char *main_session;          /* owned, secret: the steps' session, kept aside */
	char proto[sizeof(((struct probe *)0)->proto)];
	enum mode mode;                    /* the steps' */
	char as_base[2048];                /* the authorization server the metadata names, or "" */
	char as_url[2048];                 /* the place of its metadata being asked */
	int as_try;                        /* which place (oauth_meta_place), -1: as_base itself */
	char issuer[READY_ISSUER_MAX + 1]; /* its metadata's issuer, printable, or "" */
	uint64_t order;                    /* FNV-1a of the names in the order listed */
	long untrusted, private, sink;     /* tools of each leg of the trifecta */
	int public;                        /* its list says cacheScope public */
	long ntools;                       /* the tools listed */
	char tool[READY_TOOL_MAX + 1];     /* a read-only tool with required arguments, or "" */
	char app[READY_APPS][READY_APP_URI + 1]; /* the ui:// resources the tools name */
	int napps, app_i;                        /* of them; the one being read */
	cJSON *apps;                             /* owned: what each read found, or NULL */
	char versions[512]; /* server/discover's supportedVersions, sorted, "|" between, or "" */
};

/*
 * Whether this run grades p: once in --readiness minutes, in the minute
 * of that period its slug's SHA-256 (its first 4 bytes, big-endian) names,
 * so that a fleet's postures are spread over the period, a few a minute,
 * and each target's always in the same minute of it.
 */
void
ready_init(struct probe *p)
{
	unsigned char h[MCP_SHA256_SIZE];
	unsigned long slot;
	long minute;

	if (p->o->readiness <= 0 || p->rd != NULL || p->t->slug == NULL)
		return;
	mcp_sha256(p->t->slug, strlen(p->t->slug), h);
	slot = ((unsigned long)h[0] << 24 | (unsigned long)h[1] << 16 | (unsigned long)h[2] << 8 |
	           h[3]) %
	    (unsigned long)p->o->readiness;
	minute = (long)(p->started_at / 60) % p->o->readiness;
	if (slot != (unsigned long)minute)
		return;
	p->rd = calloc(1, sizeof(*p->rd));
}

/* Name at most 1 to 128 of [A-Za-z0-9_.-] (2026-07-28 server/tools, Tool names). */
static int
name_valid(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= 128 &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.") == n;
}

/* Whether a name says the tool writes, when its annotations do not say. */
static int
write_shaped(const char *s)
{
	static const char *const verbs[] = {"delete", "remove", "drop", "destroy", "write",
	    "update", "create", "insert", "send", "post", "exec", "run", "kill", "purge",
	    "truncate", "overwrite", "move", "rename", "upload", "set", "put", "patch", NULL};
	char w[64];
	size_t i, n;

	/* The first word of the name: delete_file, deleteFile, delete-file. */
	for (n = 0; s[n] != '\0' && n < sizeof(w) - 1; n++) {
		if (s[n] == '_' || s[n] == '-' || s[n] == '.' ||
		    (n > 0 && s[n] >= 'A' && s[n] <= 'Z'))
			break;
		w[n] = (char)(s[n] >= 'A' && s[n] <= 'Z' ? s[n] + 32 : s[n]);
	}
	w[n] = '\0';
	for (i = 0; verbs[i] != NULL; i++)
		if (strcmp(w, verbs[i]) == 0)
			return 1;
	return 0;
}

/* Whether src is an icon a client may fetch: data:, or https: on the server's origin. */
static int
icon_safe(const struct probe *p, const char *src)
{
	size_t n = strlen(p->origin);

	if (strncmp(src, "data:", 5) == 0)
		return 1;
	if (strncmp(src, "https://", 8) != 0 || n == 0)
		return 0;
	return strncmp(src, p->origin, n) == 0 && (src[n] == '/' || src[n] == '\0');
}

void
ready_tool(struct probe *p, const cJSON *t)
{
	struct ready *rd = p->rd;
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(t, "name");
	const cJSON *ann = cJSON_GetObjectItemCaseSensitive(t, "annotations");
	const cJSON *dh = cJSON_GetObjectItemCaseSensitive(ann, "destructiveHint");
	const cJSON *ro = cJSON_GetObjectItemCaseSensitive(ann, "readOnlyHint");
	const cJSON *icons = cJSON_GetObjectItemCaseSensitive(t, "icons"), *i, *src;
	unsigned char h[MCP_SHA256_SIZE];
	uint64_t k;
	size_t j;

	const cJSON *schema = cJSON_GetObjectItemCaseSensitive(t, "inputSchema");
	const cJSON *req = cJSON_GetObjectItemCaseSensitive(schema, "required");
	const cJSON *ui;
	const char *c;
	unsigned legs;

	if (rd == NULL || !cJSON_IsString(name))
		return;
	if (!name_valid(name->valuestring))
		rd->count[MCP_R_NAME_INVALID]++;
	if (!param_schema_valid(schema))
		rd->count[MCP_R_HEADER_INVALID]++;
	legs = mcp_ready_legs(name->valuestring, schema);
	rd->untrusted += (legs & MCP_LEG_UNTRUSTED) != 0;
	rd->private += (legs & MCP_LEG_PRIVATE) != 0;
	rd->sink += (legs & MCP_LEG_SINK) != 0;
	/* The order listed: FNV-1a over the names, each ended by a NUL. */
	if (rd->ntools++ == 0)
		rd->order = 14695981039346656037ULL;
	for (c = name->valuestring;; c++) {
		rd->order = (rd->order ^ (unsigned char)*c) * 1099511628211ULL;
		if (*c == '\0')
			break;
	}
	/* An MCP App: the ui:// resource the tool names (_meta.ui.resourceUri). */
	ui = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(t, "_meta"), "ui"),
	    "resourceUri");
	if (!cJSON_IsString(ui))
		ui = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(t, "_meta"), "ui/resourceUri");
	if (cJSON_IsString(ui) && strncmp(ui->valuestring, "ui://", 5) == 0 &&
	    strlen(ui->valuestring) <= READY_APP_URI && rd->napps < READY_APPS) {
		for (j = 0; j < (size_t)rd->napps && strcmp(rd->app[j], ui->valuestring) != 0; j++)
			;
		if (j == (size_t)rd->napps)
			snprintf(rd->app[rd->napps++], sizeof(rd->app[0]), "%s", ui->valuestring);
	}
	/* A tool said to read only, with required arguments: called without them. */
	if (rd->tool[0] == '\0' && cJSON_IsTrue(ro) && cJSON_GetArraySize(req) > 0 &&
	    strlen(name->valuestring) <= READY_TOOL_MAX)
		snprintf(rd->tool, sizeof(rd->tool), "%s", name->valuestring);
	mcp_sha256(name->valuestring, strlen(name->valuestring), h);
	memcpy(&k, h, sizeof(k));
	for (j = 0; j < rd->nnames && rd->names[j] != k; j++)
		;
	if (j < rd->nnames)
		rd->count[MCP_R_NAME_DUPLICATE]++;
	else if (rd->nnames < READY_NAMES)
		rd->names[rd->nnames++] = k;
	/* Destructive: said so, or shaped so and not said read-only. */
	if (cJSON_IsTrue(dh) ||
	    (!cJSON_IsTrue(ro) && !cJSON_IsFalse(dh) && write_shaped(name->valuestring)))
		rd->count[MCP_R_DESTRUCTIVE_OPEN]++;
	if (!cJSON_IsArray(icons))
		return;
	cJSON_ArrayForEach(i, icons)
	{
		src = cJSON_GetObjectItemCaseSensitive(i, "src");
		if (cJSON_IsString(src) && !icon_safe(p, src->valuestring))
			rd->count[MCP_R_ICON]++;
	}
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A list of versions (strings) sorted, "|" between, into buf ("" for none or too many). */
static void
versions_of(const cJSON *a, char *buf, size_t len)
{
	const char *v[32];
	const cJSON *e;
	size_t n = 0, i, at = 0;

	buf[0] = '\0';
	cJSON_ArrayForEach(e, a)
	{
		if (!cJSON_IsString(e) || n == 32)
			return;
		v[n++] = e->valuestring;
	}
	qsort(v, n, sizeof(*v), str_cmp);
	for (i = 0; i < n; i++) {
		if (at + strlen(v[i]) + 2 > len) {
			buf[0] = '\0';
			return;
		}
		at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? "|" : "", v[i]);
	}
}

void
ready_caps(struct probe *p, const cJSON *res, int modern)
{
	struct ready *rd = p->rd;
	const cJSON *caps = cJSON_GetObjectItemCaseSensitive(res, "capabilities");
	const cJSON *rt = cJSON_GetObjectItemCaseSensitive(res, "resultType");

	if (rd == NULL)
		return;
	rd->caps_seen = 1;
	rd->modern = modern;
	if (cJSON_HasObjectItem(caps, "logging"))
		rd->count[MCP_R_LOGGING] = 1;
	if (modern && !cJSON_IsString(rt))
		rd->count[MCP_R_RESULT_TYPE] = 1;
	if (modern) {
		versions_of(cJSON_GetObjectItemCaseSensitive(res, "supportedVersions"),
		    rd->versions, sizeof(rd->versions));
		/* It answers in 2026-07-28: its list must say so. */
		if (strstr(rd->versions, MODERN_VERSION) == NULL)
			rd->count[MCP_R_VERSIONS] = 1;
	}
}

void
ready_session(struct probe *p, const struct xfer *x)
{
	if (p->rd != NULL && x->session != NULL)
		p->rd->count[MCP_R_MODERN_SESSION] = 1;
}

void
ready_asked(struct probe *p, const char *method)
{
	if (p->rd == NULL)
		return;
	if (strcmp(method, "sampling/createMessage") == 0)
		p->rd->count[MCP_R_SAMPLING] = 1;
	else if (strcmp(method, "roots/list") == 0)
		p->rd->count[MCP_R_ROOTS] = 1;
}

/* ttlMs and cacheScope on a modern list's first page (steps.c), or not. */
void
ready_hints(struct probe *p, int both, int public)
{
	if (p->rd != NULL && p->rd->hints == 0) {
		p->rd->hints = both ? 1 : -1;
		p->rd->public = public;
	}
}

/*
 * Whether an elicitation's URL is one to send a user to: https, on the
 * server's host or a host under the same parent domain (its last two
 * labels: login.example.com for mcp.example.com).
 */
static int
elicit_url_ok(const struct probe *p, const char *url)
{
	const char *h = p->origin, *u, *d;
	char host[256], mine[256];
	size_t n;
	int dots;

	if (strncmp(url, "https://", 8) != 0)
		return 0;
	u = url + 8;
	n = strcspn(u, "/:?#@");
	if (n == 0 || n >= sizeof(host) || u[n] == '@')
		return 0;
	memcpy(host, u, n), host[n] = '\0';
	if ((h = strstr(h, "://")) == NULL)
		return 0;
	h += 3;
	n = strcspn(h, "/:?#");
	if (n == 0 || n >= sizeof(mine))
		return 0;
	memcpy(mine, h, n), mine[n] = '\0';
	/* The parent domain: the last two labels of the server's host. */
	for (d = mine + strlen(mine), dots = 0; d > mine; d--)
		if (d[-1] == '.' && ++dots == 2)
			break;
	n = strlen(d);
	return strcasecmp(host, mine) == 0 || strcasecmp(host, d) == 0 ||
	    (strlen(host) > n + 1 && host[strlen(host) - n - 1] == '.' &&
	        strcasecmp(host + strlen(host) - n, d) == 0);
}

/* A 2026-07-28 list result without resultType (steps.c). */
void
ready_no_result_type(struct probe *p)
{
	if (p->rd != NULL)
		p->rd->count[MCP_R_RESULT_TYPE] = 1;
}

/* An input_required result of the call step (steps.c): what it asks, never followed. */
void
ready_input(struct probe *p, const cJSON *res)
{
	const cJSON *reqs = cJSON_GetObjectItemCaseSensitive(res, "inputRequests"), *r, *pr, *u;

	if (p->rd == NULL || !cJSON_IsObject(reqs))
		return;
	cJSON_ArrayForEach(r, reqs)
	{
		/* The probe declares no capability: any input request is undeclared. */
		p->rd->count[MCP_R_INPUT_UNDECLARED] = 1;
		pr = cJSON_GetObjectItemCaseSensitive(r, "params");
		u = cJSON_GetObjectItemCaseSensitive(pr, "url");
		if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(pr, "mode")) &&
		    strcmp(cJSON_GetObjectItemCaseSensitive(pr, "mode")->valuestring, "url") == 0 &&
		    (!cJSON_IsString(u) || !elicit_url_ok(p, u->valuestring)))
			p->rd->count[MCP_R_ELICIT_URL] = 1;
	}
}

static void next_check(struct probe *p);
static void on_check(struct xfer *x, CURLcode rc);
static int as_answer(struct probe *p, struct xfer *x, CURLcode rc);

/* An auth-walled target's OAuth authorization server, into rd->as_base: 1, or 0 for none. */
static int
as_named(struct probe *p)
{
	struct ready *rd = p->rd;
	const cJSON *d = p->steps[S_AUTH].detail;
	const cJSON *as =
	    cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(d, "authorization_servers"), 0);
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(d, "authorization_server_metadata");

	if (p->posture == NULL || strcmp(p->posture, "auth-walled") != 0 ||
	    p->steps[S_AUTH].status != ST_PASS)
		return 0;
	if (cJSON_IsString(as) && strlen(as->valuestring) < sizeof(rd->as_base)) {
		snprintf(rd->as_base, sizeof(rd->as_base), "%s", as->valuestring);
		rd->as_try = 0;
		return 1;
	}
	/* 2025-03-26: the metadata at the server's own origin is the server's. */
	if (cJSON_IsString(meta) && strlen(meta->valuestring) < sizeof(rd->as_base)) {
		snprintf(rd->as_base, sizeof(rd->as_base), "%s", meta->valuestring);
		rd->as_try = -1;
		return 1;
	}
	return 0;
}

/* The steps' session and version back, after the legacy handshake of a modern server. */
static void
restore(struct probe *p)
{
	struct ready *rd = p->rd;

	p->hdr_origin = p->hdr_method = p->hdr_version = NULL;
	if (rd->check != RC_LEGACY)
		return;
	mcp_wipe_free(&p->session);
	p->session = rd->main_session;
	rd->main_session = NULL;
	p->mode = rd->mode;
	memcpy(p->proto, rd->proto, sizeof(p->proto));
}

static void
on_closed(struct xfer *x, CURLcode rc)
{
	struct probe *p = x->p;

	(void)rc;
	restore(p);
	p->rd->check++;
	next_check(p);
}

/* Whether x answered at all: a 401 or 403 to the probe's own credentials says nothing. */
static int
spoke(const struct xfer *x, CURLcode rc)
{
	return (rc == CURLE_OK || x->overflow) && x->status > 0 && x->status != 401 &&
	    x->status != 407 && x->status != 429 && x->status < 500;
}

static int
rpc_error_code(const struct xfer *x)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(x->msg, "error");
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(e, "code");

	return cJSON_IsNumber(c) ? c->valueint : 0;
}

static int
has_result(const struct xfer *x)
{
	return x->status >= 200 && x->status <= 299 &&
	    cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(x->msg, "result"));
}

/* 1 when a CSP domain lets an app reach any origin: "*", a bare scheme, "*.". */
static int
csp_open(const char *d)
{
	return strcmp(d, "*") == 0 || strcmp(d, "https:") == 0 || strcmp(d, "http:") == 0 ||
	    strcmp(d, "https://*") == 0 || strcmp(d, "http://*") == 0 || strcmp(d, "data:") == 0;
}

/*
 * The answer to resources/read of the app being read: its HTML hashed, its
 * CSP's domains said (an origin that is printable ASCII, at most
 * READY_APP_CSP), its text read by the rules (mcp-rules(7)) as a
 * resource's; a resource not served is app_unreadable.  What is said of it
 * goes in rd->apps.
 */
static void
app_read(struct probe *p, struct xfer *x, CURLcode rc)
{
	static const char *const dirs[] = {
	    "connectDomains", "resourceDomains", "frameDomains", "baseUriDomains", NULL};
	struct ready *rd = p->rd;
	const cJSON *res = cJSON_GetObjectItemCaseSensitive(x->msg, "result");
	const cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(res, "contents"), 0);
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(c, "text"), *csp, *d;
	char hex[MCP_SHA256_HEX];
	struct mcp_scan sc;
	cJSON *o, *a, *rules;
	int k, n = 0;
	size_t i;

	if (!spoke(x, rc))
		return; /* no answer: nothing learnt */
	if (rd->apps == NULL)
		rd->apps = cJSON_CreateArray();
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "uri", rd->app[rd->app_i]);
	cJSON_AddItemToArray(rd->apps, o);
	if (!has_result(x) || !cJSON_IsString(text)) {
		rd->count[MCP_R_APP_UNREADABLE]++;
		cJSON_AddBoolToObject(o, "served", 0);
		return;
	}
	mcp_sha256_hex(text->valuestring, strlen(text->valuestring), hex);
	cJSON_AddStringToObject(o, "sha256", hex);
	csp = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "_meta"), "ui"),
	    "csp");
	a = cJSON_AddArrayToObject(o, "csp");
	for (k = 0; dirs[k] != NULL; k++) {
		cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(csp, dirs[k]))
		{
			if (!cJSON_IsString(d))
				continue;
			if (csp_open(d->valuestring))
				rd->count[MCP_R_APP_CSP] = 1;
			for (i = 0; d->valuestring[i] > 0x20 && d->valuestring[i] < 0x7f &&
			     d->valuestring[i] != '"' && d->valuestring[i] != '\\';
			     i++)
				;
			if (d->valuestring[i] == '\0' && i > 0 && i <= 200 && n++ < READY_APP_CSP)
				cJSON_AddItemToArray(a, cJSON_CreateString(d->valuestring));
		}
	}
	/* The CSP as one hash (its domains sorted, LF-ended), which the store diffs. */
	{
		const char *v[4 * 64];
		struct mcp_buf b = {0};
		size_t m = 0;

		for (k = 0; dirs[k] != NULL; k++)
			cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(csp, dirs[k]))
			{
				if (cJSON_IsString(d) && m < sizeof(v) / sizeof(v[0]))
					v[m++] = d->valuestring;
			}
		qsort(v, m, sizeof(*v), str_cmp);
		for (i = 0; i < m; i++)
			mcp_buf_addf(&b, "%s\n", v[i]);
		mcp_sha256_hex(b.p != NULL ? b.p : "", b.len, hex);
		cJSON_AddStringToObject(o, "csp_sha256", hex);
		mcp_buf_free(&b);
	}
	/* The app's text read by the rules, as a resource's item. */
	memset(&sc, 0, sizeof(sc));
	if (mcp_scan_item(&sc, MCP_LIST_RESOURCES, c) == 0 && mcp_scan_finish(&sc) == 0) {
		enum mcp_sev w = mcp_scan_worst(&sc);

		if (w != MCP_SEV_N) {
			cJSON_AddStringToObject(o, "findings", mcp_sev_name(w));
			rules = cJSON_AddArrayToObject(o, "rules");
			for (i = 0; i < sc.n && cJSON_GetArraySize(rules) < 8; i++) {
				for (k = 0; k < cJSON_GetArraySize(rules) &&
				     strcmp(cJSON_GetArrayItem(rules, k)->valuestring,
				         sc.v[i].rule) != 0;
				     k++)
					;
				if (k == cJSON_GetArraySize(rules))
					cJSON_AddItemToArray(
					    rules, cJSON_CreateString(sc.v[i].rule));
			}
		}
		if (w == MCP_SEV_HIGH || w == MCP_SEV_MEDIUM)
			rd->count[MCP_R_APP_TEXT]++;
	}
	mcp_scan_free(&sc);
}

/*
 * The order of a second tools/list against the steps' list: the same
 * names in the same order (good), others (bad), or one page of a longer
 * list (unknown: only a whole list compares).
 */
static enum rd_seen
order_of(const struct ready *rd, const struct xfer *x)
{
	const cJSON *res = cJSON_GetObjectItemCaseSensitive(x->msg, "result");
	const cJSON *tools = cJSON_GetObjectItemCaseSensitive(res, "tools"), *t, *n;
	uint64_t h = 14695981039346656037ULL;
	const char *c;

	if (!cJSON_IsArray(tools) || cJSON_GetArraySize(tools) != rd->ntools ||
	    cJSON_IsString(cJSON_GetObjectItemCaseSensitive(res, "nextCursor")))
		return SEEN_UNKNOWN;
	cJSON_ArrayForEach(t, tools)
	{
		n = cJSON_GetObjectItemCaseSensitive(t, "name");
		if (!cJSON_IsString(n))
			return SEEN_UNKNOWN;
		for (c = n->valuestring;; c++) {
			h = (h ^ (unsigned char)*c) * 1099511628211ULL;
			if (*c == '\0')
				break;
		}
	}
	return h == rd->order ? SEEN_GOOD : SEEN_BAD;
}

static void
on_check(struct xfer *x, CURLcode rc)
{
	struct probe *p = x->p;
	struct ready *rd = p->rd;
	enum rd_seen *s = &rd->seen[rd->check];
	const cJSON *e, *sup;
	int code;

	if (p->cut_code != NULL || runner_ending(p->r)) {
		restore(p);
		rd->stage = RD_DONE;
		finish(p);
		return;
	}
	code = rpc_error_code(x);
	switch (rd->check) {
	case RC_VERSION:
		e = cJSON_GetObjectItemCaseSensitive(x->msg, "error");
		sup = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(e, "data"), "supported");
		if (!spoke(x, rc))
			*s = SEEN_UNKNOWN;
		else
			*s = code == -32022 && cJSON_IsArray(sup) ? SEEN_GOOD : SEEN_BAD;
		/* Its -32022 names the versions its server/discover lists. */
		if (*s == SEEN_GOOD && rd->versions[0] != '\0') {
			char said[sizeof(rd->versions)];

			versions_of(sup, said, sizeof(said));
			if (strcmp(said, rd->versions) != 0)
				rd->count[MCP_R_VERSIONS] = 1;
		}
		break;
	case RC_METHOD:
		if (!spoke(x, rc))
			*s = SEEN_UNKNOWN;
		else
			*s = has_result(x) ? SEEN_BAD : SEEN_GOOD;
		break;
	case RC_ORIGIN:
	case RC_PING_ORIGIN:
		/* CORS is read off any answer, refused or not. */
		if ((rc == CURLE_OK || x->overflow) && x->acao != NULL && x->acac != NULL &&
		    strcasecmp(x->acac, "true") == 0 &&
		    (strcmp(x->acao, "*") == 0 || strcmp(x->acao, READY_ORIGIN) == 0))
			rd->count[MCP_R_CORS] = 1;
		if (x->status == 403)
			*s = SEEN_GOOD;
		else if (!spoke(x, rc))
			*s = SEEN_UNKNOWN;
		else
			*s = has_result(x) ? SEEN_BAD : SEEN_UNKNOWN;
		break;
	case RC_AS:
		if (as_answer(p, x, rc) == 1)
			return; /* the next place is asked */
		break;
	case RC_BADARGS:
		/* A result (isError or not) is right; a JSON-RPC error is not. */
		if (!spoke(x, rc))
			*s = SEEN_UNKNOWN;
		else if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(x->msg, "result")))
			*s = SEEN_GOOD;
		else
			*s = cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(x->msg, "error"))
			    ? SEEN_BAD
			    : SEEN_UNKNOWN;
		break;
	case RC_ORDER:
		*s = !spoke(x, rc) || !has_result(x) ? SEEN_UNKNOWN : order_of(rd, x);
		break;
	case RC_APPS:
		app_read(p, x, rc);
		/* The next app, if any: the check stays RC_APPS until the last. */
		if (++rd->app_i < rd->napps) {
			restore(p);
			next_check(p);
			return;
		}
		*s = SEEN_GOOD;
		break;
	case RC_LEGACY:
		if (!spoke(x, rc))
			*s = SEEN_UNKNOWN;
		else
			*s = has_result(x) ? SEEN_GOOD : SEEN_BAD;
		/* Its session, if it made one, is closed: no server is left one per hour. */
		if (x->session != NULL) {
			mcp_wipe_free(&p->session);
			p->session = x->session;
			x->session = NULL;
			if (xfer_delete(p, &p->x, on_closed) == 0)
				return;
		}
		break;
	default:
		break;
	}
	restore(p);
	rd->check++;
	next_check(p);
}

/*
 * issuer when it is one to say: an https URL (http on loopback), of
 * printable ASCII, at most READY_ISSUER_MAX bytes.
 */
static int
issuer_ok(const char *s)
{
	return mcp_ready_issuer_ok(s, READY_ISSUER_MAX) &&
	    (strncmp(s, "https://", 8) == 0 || mcp_url_loopback(s));
}

/* Ask the authorization server's metadata at place rd->as_try: 0, or -1. */
static int
as_ask(struct probe *p)
{
	struct ready *rd = p->rd;

	if (rd->as_try == -1)
		snprintf(rd->as_url, sizeof(rd->as_url), "%s", rd->as_base);
	else if (oauth_meta_place(rd->as_base, rd->as_try, rd->as_url, sizeof(rd->as_url)) == -1)
		return -1;
	return xfer_oauth(p, &p->x, rd->as_url, NULL, NULL, READY_AS_MAX, on_check);
}

/*
 * The authorization server's answer: its metadata read (0), the next
 * place asked (1), or nothing more to ask (0, the check decided).
 */
static int
as_answer(struct probe *p, struct xfer *x, CURLcode rc)
{
	struct ready *rd = p->rd;
	const cJSON *iss = cJSON_GetObjectItemCaseSensitive(x->msg, "issuer");
	const cJSON *rsp = cJSON_GetObjectItemCaseSensitive(
	    x->msg, "authorization_response_iss_parameter_supported");
	const cJSON *cimd =
	    cJSON_GetObjectItemCaseSensitive(x->msg, "client_id_metadata_document_supported");
	const cJSON *reg = cJSON_GetObjectItemCaseSensitive(x->msg, "registration_endpoint");

	if (rc != CURLE_OK || x->status <= 0 || x->status == 429 || x->status >= 500) {
		rd->seen[RC_AS] = SEEN_UNKNOWN; /* no answer: nothing learnt */
		return 0;
	}
	if (x->status >= 200 && x->status <= 299 && cJSON_IsObject(x->msg) && cJSON_IsString(iss)) {
		rd->seen[RC_AS] = SEEN_GOOD;
		if (issuer_ok(iss->valuestring))
			snprintf(rd->issuer, sizeof(rd->issuer), "%s", iss->valuestring);
		if (!cJSON_IsTrue(rsp))
			rd->count[MCP_R_AS_ISS] = 1;
		if (!cJSON_IsTrue(cimd) && cJSON_IsString(reg))
			rd->count[MCP_R_DCR_ONLY] = 1;
		return 0;
	}
	/* Answered, but no metadata there: the next place. */
	if (rd->as_try >= 0 && rd->as_try < 2 && (rd->as_try++, as_ask(p) == 0))
		return 1;
	rd->seen[RC_AS] = SEEN_BAD;
	rd->count[MCP_R_AS_META] = 1;
	return 0;
}

/* The check in rd->check, or the next one this target has, or the end. */
static void
next_check(struct probe *p)
{
	struct ready *rd = p->rd;
	cJSON *params;
	int rc = -1;

	for (; rd->check < RC_N; rd->check++) {
		if (p->cut_code != NULL || runner_ending(p->r) || mcp_mono() >= p->deadline)
			break;
		switch (rd->check) {
		case RC_VERSION:
			if (p->mode != MODE_MODERN || p->steps[S_INIT].status != ST_PASS)
				continue;
			p->hdr_version = READY_NO_VERSION;
			rc = xfer_post(p, &p->x, "server/discover", NULL, p->next_id++, on_check);
			break;
		case RC_METHOD:
			if (p->mode != MODE_MODERN || p->steps[S_INIT].status != ST_PASS)
				continue;
			p->hdr_method = "tools/list";
			rc = xfer_post(p, &p->x, "server/discover", NULL, p->next_id++, on_check);
			break;
		case RC_ORIGIN:
			if (p->mode != MODE_MODERN || p->steps[S_INIT].status != ST_PASS)
				continue;
			p->hdr_origin = READY_ORIGIN;
			rc = xfer_post(p, &p->x, "server/discover", NULL, p->next_id++, on_check);
			break;
		case RC_BADARGS:
			/* In the steps' session or era; never over HTTP+SSE (its stream is closed). */
			if (p->mode == MODE_SSE || p->steps[S_INIT].status != ST_PASS ||
			    rd->tool[0] == '\0')
				continue;
			params = cJSON_CreateObject();
			cJSON_AddStringToObject(params, "name", rd->tool);
			cJSON_AddObjectToObject(params, "arguments");
			rc = xfer_post(p, &p->x, "tools/call", params, p->next_id++, on_check);
			break;
		case RC_ORDER:
			if (p->mode != MODE_MODERN || p->steps[S_LIST].status != ST_PASS ||
			    rd->ntools < 2)
				continue;
			rc = xfer_post(p, &p->x, "tools/list", NULL, p->next_id++, on_check);
			break;
		case RC_LEGACY:
			if (p->mode != MODE_MODERN || p->steps[S_INIT].status != ST_PASS)
				continue;
			/* The legacy handshake, outside any session, as an older client asks. */
			rd->mode = p->mode;
			memcpy(rd->proto, p->proto, sizeof(rd->proto));
			rd->main_session = p->session;
			p->session = NULL;
			p->proto[0] = '\0';
			p->mode = MODE_LEGACY;
			params = cJSON_CreateObject();
			cJSON_AddStringToObject(params, "protocolVersion", LEGACY_VERSION);
			cJSON_AddObjectToObject(params, "capabilities");
			client_info(p, params, "clientInfo");
			rc = xfer_post(p, &p->x, "initialize", params, p->next_id++, on_check);
			break;
		case RC_PING_ORIGIN:
			if (p->mode != MODE_LEGACY || p->steps[S_INIT].status != ST_PASS)
				continue;
			p->hdr_origin = READY_ORIGIN;
			rc = xfer_post(p, &p->x, "ping", NULL, p->next_id++, on_check);
			break;
		case RC_AS:
			if (!as_named(p))
				continue;
			rc = as_ask(p);
			break;
		case RC_APPS:
			/* In the steps' session or era, as the lists were read; one resource a request. */
			if (p->mode == MODE_SSE || p->steps[S_INIT].status != ST_PASS ||
			    rd->app_i >= rd->napps)
				continue;
			params = cJSON_CreateObject();
			cJSON_AddStringToObject(params, "uri", rd->app[rd->app_i]);
			rc = xfer_post(p, &p->x, "resources/read", params, p->next_id++, on_check);
			break;
		default:
			continue;
		}
		if (rc == 0)
			return;
		/* Not sent: learnt nothing. */
		rd->seen[rd->check] = SEEN_UNKNOWN;
		restore(p);
	}
	rd->stage = RD_DONE;
	finish(p);
}

int
ready_wanted(struct probe *p)
{
	int s,
	    walled = p->posture != NULL && strcmp(p->posture, "auth-walled") == 0 &&
	    p->steps[S_AUTH].status == ST_PASS;

	if (p->rd == NULL || p->rd->stage != RD_NO)
		return 0;
	if (p->cut_code != NULL || runner_ending(p->r) || mcp_mono() >= p->deadline)
		return 0;
	/* Behind a wall, the steps after auth are never run: they are skipped at the end. */
	for (s = 0; s < S_NSTEPS && !walled; s++)
		if (p->steps[s].status == ST_PENDING)
			return 0;
	/* A server the probe spoke with, or one behind an OAuth wall. */
	return p->steps[S_INIT].status == ST_PASS || walled;
}

void
ready_start(struct probe *p)
{
	p->rd->stage = RD_RUNNING;
	p->rd->check = 0;
	/* The stream is done with, and cannot fail a step while the checks run. */
	sse_close(p);
	next_check(p);
}

void
ready_stop(struct probe *p)
{
	struct ready *rd = p->rd;

	if (rd == NULL || rd->stage != RD_RUNNING)
		return;
	if (rd->check < RC_N)
		rd->seen[rd->check] = SEEN_UNKNOWN;
	restore(p);
	rd->stage = RD_DONE;
}

static const char *
seen_name(enum rd_seen s, const char *good, const char *bad)
{
	return s == SEEN_GOOD ? good : s == SEEN_BAD ? bad : s == SEEN_UNKNOWN ? "unknown" : NULL;
}

static void
add_seen(cJSON *o, const char *key, const char *v)
{
	if (v != NULL)
		cJSON_AddStringToObject(o, key, v);
}

/*
 * The result's "readiness" (owned), or NULL: not asked for, or the
 * server never spoken with (its steps say why).
 */
cJSON *
ready_json(struct probe *p)
{
	struct ready *rd = p->rd;
	const char *eras[3];
	cJSON *o, *a, *c, *r;
	int i, n = 0, open, have[MCP_R_N];
	char grade[2] = "";

	if (rd == NULL || rd->stage == RD_NO)
		return NULL;
	/* Behind a wall only its authorization server is read: nothing learnt, no grade. */
	if (p->steps[S_INIT].status != ST_PASS && rd->seen[RC_AS] != SEEN_GOOD &&
	    rd->seen[RC_AS] != SEEN_BAD)
		return NULL;
	open = p->posture != NULL && strcmp(p->posture, "open") == 0;
	/* The eras it speaks, as far as they were learnt (none behind a wall). */
	if (p->era_found == NULL || p->steps[S_INIT].status != ST_PASS) {
		;
	} else if (p->transport != NULL && strcmp(p->transport, "sse") == 0) {
		eras[n++] = "sse";
		rd->count[MCP_R_SSE_ONLY] = 1;
	} else if (strcmp(p->era_found, "modern") == 0) {
		eras[n++] = "modern";
		if (rd->seen[RC_LEGACY] == SEEN_GOOD)
			eras[n++] = "legacy";
	} else {
		eras[n++] = "legacy";
		/* In auto, the steps asked for server/discover first: it was not answered. */
		if (p->era == ERA_AUTO)
			rd->count[MCP_R_LEGACY_ONLY] = 1;
	}
	if (rd->seen[RC_VERSION] == SEEN_BAD)
		rd->count[MCP_R_VERSION_ANSWER] = 1;
	if (rd->seen[RC_METHOD] == SEEN_BAD)
		rd->count[MCP_R_METHOD_HEADER] = 1;
	if (rd->seen[RC_BADARGS] == SEEN_BAD)
		rd->count[MCP_R_BADARGS] = 1;
	if (rd->seen[RC_ORDER] == SEEN_BAD)
		rd->count[MCP_R_ORDER] = 1;
	if (rd->untrusted > 0 && rd->private > 0 && rd->sink > 0)
		rd->count[MCP_R_TRIFECTA] = 1;
	if (rd->seen[RC_ORIGIN] == SEEN_BAD || rd->seen[RC_PING_ORIGIN] == SEEN_BAD)
		rd->count[MCP_R_ORIGIN] = 1;
	if (n > 0 && strcmp(p->era_found, "modern") == 0 && rd->hints == -1)
		rd->count[MCP_R_TTL] = 1;
	/* Destructive tools matter only where anyone may call them. */
	if (!open)
		rd->count[MCP_R_DESTRUCTIVE_OPEN] = 0;

	for (i = 0; i < MCP_R_N; i++)
		have[i] = rd->count[i] != 0;
	grade[0] = mcp_ready_grade(have);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "grade", grade);
	a = cJSON_AddArrayToObject(o, "eras");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(eras[i]));
	c = cJSON_AddObjectToObject(o, "checks");
	add_seen(c, "unknown_version", seen_name(rd->seen[RC_VERSION], "refused", "served"));
	add_seen(c, "method_mismatch", seen_name(rd->seen[RC_METHOD], "refused", "served"));
	add_seen(c, "foreign_origin",
	    seen_name(
	        rd->seen[RC_ORIGIN] != SEEN_NOT ? rd->seen[RC_ORIGIN] : rd->seen[RC_PING_ORIGIN],
	        "refused", "served"));
	add_seen(c, "legacy_handshake", seen_name(rd->seen[RC_LEGACY], "answered", "refused"));
	add_seen(c, "missing_arguments",
	    seen_name(rd->seen[RC_BADARGS], "tool_result", "protocol_error"));
	add_seen(c, "tool_order", seen_name(rd->seen[RC_ORDER], "stable", "changed"));
	add_seen(c, "apps", seen_name(rd->seen[RC_APPS], "read", "read"));
	add_seen(c, "authorization_server", seen_name(rd->seen[RC_AS], "metadata", "no_metadata"));
	/* The MCP Apps read: each ui:// resource's hash, CSP and findings. */
	if (rd->apps != NULL)
		cJSON_AddItemToObject(o, "apps", cJSON_Duplicate(rd->apps, 1));
	/* A list any cache may share: the verdict compares it across the regions. */
	if (rd->public)
		cJSON_AddStringToObject(o, "cache_scope", "public");
	/* The authorization server's issuer: a change makes every client register again. */
	if (rd->issuer[0] != '\0')
		cJSON_AddStringToObject(o, "issuer", rd->issuer);
	a = cJSON_AddArrayToObject(o, "reasons");
	for (i = 0; i < MCP_R_N; i++) {
		if (rd->count[i] == 0)
			continue;
		r = mcp_ready_reason_json(i);
		if (rd->count[i] > 1)
			cJSON_AddNumberToObject(r, "count", (double)rd->count[i]);
		cJSON_AddItemToArray(a, r);
	}
	return o;
}

void
ready_free(struct probe *p)
{
	if (p->rd == NULL)
		return;
	mcp_wipe_free(&p->rd->main_session);
	cJSON_Delete(p->rd->apps);
	free(p->rd);
	p->rd = NULL;
}
