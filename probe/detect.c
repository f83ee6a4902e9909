/*
 * detect.c - finding the era and transport, and the handshake.  Modern
 * server/discover first, then legacy initialize, then the HTTP+SSE stream
 * (mcp-protocol §2.5).  A 401 or 403 at any point is an auth posture,
 * never a reason to fall back.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdlib.h>
#include <string.h>

#include "mcp.h"
#include "oauth.h"
#include "probe.h"
#include "version.h"

static const char *legacy_versions[] = {
    "2024-11-05",
    "2025-03-26",
    "2025-06-18",
    "2025-11-25",
    NULL,
};

static void send_initialize(struct probe *, const char *version);
static void send_discover(struct probe *);

/* Remember what detection tried, for the http step's detail. */
static void
attempt(struct probe *p, const char *what, const struct xfer *x, CURLcode rc)
{
	cJSON *a = cJSON_CreateObject();
	int code = rpc_code(x->msg);

	cJSON_AddStringToObject(a, "request", what);
	if (x->status > 0)
		cJSON_AddNumberToObject(a, "status", x->status);
	if (code != 0)
		cJSON_AddNumberToObject(a, "rpc_error", code);
	if (rc != CURLE_OK && rc != CURLE_WRITE_ERROR)
		cJSON_AddStringToObject(a, "error", curl_easy_strerror(rc));
	cJSON_AddItemToArray(p->attempts, a);
}

/* The http step's time: to the first byte of the answer that decided it. */
static double
http_ms(struct probe *p, struct xfer *x)
{
	double ms = since(p->mono0), body;
	int s;

	for (s = S_DNS; s <= S_TLS; s++)
		if (p->steps[s].status == ST_PASS)
			ms -= p->steps[s].ms;
	body = xfer_time(x, CURLINFO_TOTAL_TIME_T) - xfer_time(x, CURLINFO_STARTTRANSFER_TIME_T);
	p->init_ms = body > 0 ? body : 0;
	return ms - p->init_ms;
}

static const char *
posture_ok(const struct probe *p)
{
	if (p->oauth_token != NULL)
		return "oauth-client";
	return p->token != NULL || p->nhdr > 0 ? "credentialed" : "open";
}

/* The transport is known: the http and auth steps pass. */
static void
identified(struct probe *p, struct xfer *x, const char *era, const char *transport)
{
	cJSON *d;

	p->era_found = era;
	p->transport = transport;
	p->http_status = x->status;
	d = http_detail(p, x);
	step_pass(p, S_HTTP, http_ms(p, x), d);
	p->posture = posture_ok(p);
	step_pass(p, S_AUTH, p->oauth_ms, p->oauth_detail);
	p->oauth_detail = NULL;
}

/* Protected-resource metadata discovery for a 401 without a token. */
static void on_prm(struct xfer *x, CURLcode rc);
static void key_walled(struct probe *p);

static void
prm_failed(struct probe *p, const char *why)
{
	mcp_buf_addf(&p->prm_why, "%s%s: %s", p->prm_why.len ? "; " : "", p->prm_url, why);
}

static void
next_prm(struct probe *p)
{
	const char *why;

	while (p->prm_try < 4) {
		if (auth_prm_url(p, p->prm_try++, p->prm_url, sizeof(p->prm_url), &why) == -1) {
			/* A place not asked cannot say it holds nothing. */
			if (why != NULL) {
				prm_failed(p, why);
				p->oauth_seen = 1;
			}
		} else {
			if (xfer_get(p, &p->x, p->prm_url, "application/json", on_prm) == 0)
				return;
			step_fail(p, S_AUTH, since(p->step_t0), "transfer_failed",
			    "cannot start a request");
			finish(p);
			return;
		}
	}
	key_walled(p);
}

/* The scheme of the challenge ("Bearer", "Basic", ...), into buf. */
static const char *
scheme(const char *c, char *buf, size_t len)
{
	size_t n = strcspn(c, " ,\t");

	snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), c);
	return buf;
}

/*
 * No discovery place held OAuth metadata.  A challenge that names none,
 * with every place answering that it has none, asks for a static key or
 * token: the server is up, key-walled.  OAuth announced and broken (a
 * resource_metadata that does not answer, a place answering JSON that is
 * no metadata, a place that could not be asked) is half-configured.
 */
static void
key_walled(struct probe *p)
{
	char v[16], s[32];
	cJSON *d;

	if (p->oauth_seen || auth_param(p->challenge, "resource_metadata", v, sizeof(v)) != NULL) {
		step_fail(p, S_AUTH, since(p->step_t0), "auth_challenge_invalid",
		    "401 with a %s challenge but no authorization metadata (%s)",
		    scheme(p->challenge, s, sizeof(s)), p->prm_why.p ? p->prm_why.p : "");
		finish(p);
		return;
	}
	if (oauth_wanted(p)) {
		oauth_no_metadata(p);
		return;
	}
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "posture", "key-walled");
	cJSON_AddStringToObject(d, "scheme", scheme(p->challenge, s, sizeof(s)));
	cJSON_AddItemToObject(d, "missing", p->prm_missing ? p->prm_missing : cJSON_CreateArray());
	p->prm_missing = NULL;
	p->posture = "key-walled";
	step_pass(p, S_AUTH, since(p->step_t0), d);
	finish(p);
}

static void
on_prm(struct xfer *x, CURLcode rc)
{
	struct probe *p = x->p;
	cJSON *detail = NULL;
	char why[600];
	int ok = -1;

	/* The fourth place holds authorization server metadata (2025-03-26). */
	if (rc == CURLE_OK && x->status == 200)
		ok = p->prm_try == 4 ? auth_as_ok(x, &detail, why, sizeof(why))
		                     : auth_prm_ok(x, &detail, why, sizeof(why));
	if (ok == -2) {
		/* Metadata for another resource is never this server's (RFC 9728). */
		step_fail(p, S_AUTH, since(p->step_t0), "auth_challenge_invalid", "%s", why);
		finish(p);
		return;
	}
	if (ok == 0) {
		if (oauth_wanted(p)) {
			cJSON_Delete(detail);
			oauth_start(p, x->msg, p->prm_try == 4);
			return;
		}
		cJSON_AddStringToObject(detail, "posture", "auth-walled");
		p->posture = "auth-walled";
		step_pass(p, S_AUTH, since(p->step_t0), detail);
		finish(p);
		return;
	}
	if (xfer_refused(x, rc) != NULL) {
		step_fail(p, S_AUTH, since(p->step_t0), "address_refused", "%s: %s", p->prm_url,
		    xfer_refused(x, rc));
		finish(p);
		return;
	}
	if (rc != CURLE_OK)
		snprintf(why, sizeof(why), "%s", curl_easy_strerror(rc));
	else if (x->status != 200)
		snprintf(why, sizeof(why), "HTTP %ld", x->status);
	/* An answer that is no JSON object says "none here"; anything else does not. */
	if (rc == CURLE_OK && (x->status != 200 || !cJSON_IsObject(x->msg))) {
		if (p->prm_missing == NULL)
			p->prm_missing = cJSON_CreateArray();
		cJSON_AddItemToArray(p->prm_missing, cJSON_CreateString(p->prm_url));
		if (x->status == 200)
			snprintf(why, sizeof(why), "not JSON");
	} else {
		p->oauth_seen = 1;
	}
	prm_failed(p, why);
	next_prm(p);
}

/*
 * A 401, or a 403 with a challenge, decides the auth step: the endpoint
 * answered, so the http step passes.  Returns 1 when it was one of those.
 */
static int
auth_answer(struct probe *p, struct xfer *x)
{
	char names[512];

	if (x->status != 401 && !(x->status == 403 && x->www_auth != NULL))
		return 0;
	p->http_status = x->status;
	step_pass(p, S_HTTP, http_ms(p, x), http_detail(p, x));
	if (x->status == 403) {
		fail_status(p, S_AUTH, 0, x);
		if (strcmp(p->steps[S_AUTH].code, "auth_insufficient_scope") != 0)
			p->steps[S_AUTH].code = "auth_challenge_invalid";
		finish(p);
	} else if (oauth_rejected(p)) {
		/* A cached token refused: a new one is being asked for. */
	} else if (cred_names(p, names, sizeof(names)) > 0) {
		step_fail(p, S_AUTH, 0, "auth_rejected",
		    "HTTP 401: the credential was rejected (%s)", names);
		finish(p);
	} else if (x->www_auth == NULL || x->www_auth[strspn(x->www_auth, " \t")] == '\0') {
		step_fail(p, S_AUTH, 0, "auth_challenge_invalid",
		    "401 without a WWW-Authenticate challenge");
		finish(p);
	} else {
		/* The challenge outlives x, which the metadata requests reuse. */
		free(p->challenge);
		p->challenge = strdup(x->www_auth);
		p->step_t0 = mcp_mono();
		p->prm_try = 0;
		next_prm(p);
	}
	return 1;
}

/* A modern error code: the server speaks 2026-07-28 but refused us. */
static int
modern_error(const struct xfer *x)
{
	int c = rpc_code(x->msg);

	return (x->status == 400 && (c == -32020 || c == -32021 || c == -32022)) ||
	    (x->status == 404 && c == -32601);
}

/*
 * A server's list of protocol versions, copied as what it must be: version
 * strings, at most 16.  Anything else in it is left out, never copied.
 */
static void
versions(cJSON *d, const cJSON *sup)
{
	const cJSON *v;
	cJSON *a;
	int n = 0;

	if (!cJSON_IsArray(sup) || (a = cJSON_AddArrayToObject(d, "supported_versions")) == NULL)
		return;
	cJSON_ArrayForEach(v, sup)
	{
		if (cJSON_IsString(v) && strlen(v->valuestring) <= 32 && n++ < 16)
			cJSON_AddItemToArray(a, cJSON_CreateString(v->valuestring));
	}
}

/* The "supported" list of a -32022 answer, or NULL. */
static const cJSON *
supported_of(const struct xfer *x)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(x->msg, "error");

	return cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(e, "data"), "supported");
}

static int
version_known(const char *v)
{
	int i;

	for (i = 0; legacy_versions[i] != NULL; i++)
		if (strcmp(v, legacy_versions[i]) == 0)
			return 1;
	return 0;
}

static int
lists(const cJSON *sup, const char *version)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, sup)
	{
		if (cJSON_IsString(v) && strcmp(v->valuestring, version) == 0)
			return 1;
	}
	return 0;
}

/* The newest legacy version the probe speaks in a server's list, or NULL. */
static const char *
legacy_listed(const cJSON *sup)
{
	const char *best = NULL;
	const cJSON *v;

	cJSON_ArrayForEach(v, sup)
	{
		if (cJSON_IsString(v) && version_known(v->valuestring) &&
		    (best == NULL || strcmp(v->valuestring, best) > 0))
			best = v->valuestring;
	}
	return best;
}

/*
 * The server does not speak what the probe offered: version_unsupported,
 * naming what each side offered (the server's list as kept in the detail).
 */
static void
fail_version(struct probe *p, const struct xfer *x, const char *offered)
{
	const cJSON *a, *v;
	cJSON *d = cJSON_CreateObject();
	struct mcp_buf why = {0};

	versions(d, supported_of(x));
	cJSON_AddStringToObject(d, "offered", offered);
	a = cJSON_GetObjectItemCaseSensitive(d, "supported_versions");
	cJSON_ArrayForEach(v, a) mcp_buf_addf(&why, "%s%s", why.len ? ", " : "", v->valuestring);
	if (p->refusal != NULL)
		mcp_buf_addf(&why, "%sserver/discover was refused with JSON-RPC error %d",
		    why.len ? "; " : "", rpc_code(p->refusal));
	p->steps[S_INIT].detail = d;
	step_fail(p, S_INIT, p->init_ms, "version_unsupported",
	    "the probe offered %s (it speaks %s and 2024-11-05 to %s); the server %s%s", offered,
	    MODERN_VERSION, LEGACY_VERSION,
	    cJSON_GetArraySize(a) > 0 ? "supports " : "names no version it supports",
	    why.p ? why.p : "");
	mcp_buf_free(&why);
}

/*
 * Instructions longer than a result carries: the rules of the part it
 * carries read alone (what the store can read of them), and the hash of
 * the whole.
 */
static void
instructions_head(struct probe *p, const char *t)
{
	struct mcp_scan h = {0};
	size_t n = PROBE_INSTR_SENT;
	char *head;

	while (n > 0 && ((unsigned char)t[n] & 0xc0) == 0x80)
		n--;
	p->instr_head_rules = 0;
	if (mcp_sha256_tag(t, strlen(t), p->instr_sha) == -1)
		p->instr_sha[0] = '\0';
	if ((head = strndup(t, n)) == NULL)
		return;
	if (mcp_scan_instructions(&h, head) == 0 && mcp_scan_finish(&h) == 0)
		p->instr_head_rules = h.rules;
	mcp_scan_free(&h);
	free(head);
}

/*
 * The server's instructions read by the text rules, and kept (their first
 * PROBE_INSTR_SENT + PROBE_INSTR_SLACK bytes) for a result whose findings
 * name them: the store judges their text (report.c,
 * findings.server.text).
 */
static void
instructions(struct probe *p, const cJSON *res)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(res, "instructions");
	const char *t = cJSON_IsString(f) ? f->valuestring : NULL;

	(void)mcp_scan_instructions(&p->scan, t);
	free(p->instr);
	p->instr = NULL;
	if (t == NULL)
		return;
	/* Cut before a character when it is written (report.c), once scrubbed. */
	p->instr_cut = strnlen(t, PROBE_INSTR_SENT + 1) > PROBE_INSTR_SENT;
	p->instr = strndup(t, PROBE_INSTR_SENT + PROBE_INSTR_SLACK);
	if (p->instr_cut)
		instructions_head(p, t);
}

/*
 * Capabilities that declare no tools (a server of resources or prompts
 * only): the tool steps are skipped, not failed; the resources and prompts
 * they declare are listed (lists.c).  Capabilities that are
 * missing altogether say nothing, and the tools are listed.
 */
static void
tools_declared(struct probe *p, const cJSON *res, cJSON *d)
{
	const cJSON *caps = cJSON_GetObjectItemCaseSensitive(res, "capabilities");

	p->no_tools = cJSON_IsObject(caps) && !cJSON_HasObjectItem(caps, "tools");
	/* Only what is declared is asked for: other servers see no more requests. */
	p->declares[LK_RESOURCES] =
	    cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(caps, "resources"));
	p->declares[LK_PROMPTS] = cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(caps, "prompts"));
	if (p->no_tools)
		cJSON_AddBoolToObject(d, "tools", 0);
}

/* server/discover: the capabilities and versions of a modern server. */
static void
discovered(struct probe *p, const cJSON *res)
{
	const cJSON *sup = cJSON_GetObjectItemCaseSensitive(res, "supportedVersions");
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(res, "_meta");
	const cJSON *si =
	    cJSON_GetObjectItemCaseSensitive(meta, "io.modelcontextprotocol/serverInfo");
	const cJSON *f;
	cJSON *d = cJSON_CreateObject(), *s;

	snprintf(p->proto, sizeof(p->proto), "%s", MODERN_VERSION);
	cJSON_AddStringToObject(d, "protocol_version", p->proto);
	versions(d, sup);
	instructions(p, res);
	if (cJSON_IsObject(si) && (s = cJSON_AddObjectToObject(d, "server")) != NULL) {
		if (cJSON_IsString(f = cJSON_GetObjectItemCaseSensitive(si, "name")))
			cJSON_AddStringToObject(s, "name", f->valuestring);
		if (cJSON_IsString(f = cJSON_GetObjectItemCaseSensitive(si, "version")))
			cJSON_AddStringToObject(s, "version", f->valuestring);
	}
	f = cJSON_GetObjectItemCaseSensitive(res, "resultType");
	if (cJSON_IsString(f))
		cJSON_AddStringToObject(d, "result_type", f->valuestring);
	tools_declared(p, res, d);
	ready_caps(p, res, 1);
	step_pass(p, S_INIT, p->init_ms, d);
}

/*
 * What every first answer of the handshake settles before its own meaning
 * is read: dns, connect and tls, a transfer that failed, an auth posture.
 * Returns 1 when the probe is decided (or waits on auth metadata).
 */
static int
settled(struct probe *p, struct xfer *x, CURLcode rc, const char *what)
{
	if (first_checks(p, x, rc) == -1)
		return 1;
	attempt(p, what, x, rc);
	if (!answered(x, rc)) {
		fail_curl(p, S_HTTP, since(p->mono0), x, rc);
		finish(p);
		return 1;
	}
	return auth_answer(p, x);
}

/*
 * The server refused the version offered, or refused us with a modern
 * error code.  A server that lists only versions older than the modern
 * one is of the legacy era.
 */
static void
refused(struct probe *p, struct xfer *x, const char *offered)
{
	const cJSON *v;
	int code = rpc_code(x->msg), modern = code == -32020 || code == -32021;

	if (code == -32022) {
		cJSON_ArrayForEach(v, supported_of(x))
		{
			if (cJSON_IsString(v) && strcmp(v->valuestring, MODERN_VERSION) >= 0)
				modern = 1;
		}
	} else if (strcmp(offered, MODERN_VERSION) == 0) {
		modern = 1;
	}
	identified(p, x, modern ? "modern" : "legacy", "streamable-http");
	if (code == -32022)
		fail_version(p, x, offered);
	else
		fail_rpc_error(p, S_INIT, p->init_ms, x->msg);
	finish(p);
}

/*
 * -32022 to server/discover (mcp-probe(1), Era detection): a list naming the
 * modern version earns one more try; in auto, a list naming a legacy
 * version the probe speaks, or no list at all, the legacy handshake;
 * anything else is version_unsupported.
 */
static void
modern_unsupported(struct probe *p, struct xfer *x)
{
	const cJSON *sup = supported_of(x);
	const char *leg = legacy_listed(sup);

	if (lists(sup, MODERN_VERSION)) {
		if (!p->modern_retried) {
			p->modern_retried = 1;
			send_discover(p);
			return;
		}
	} else if (p->era == ERA_AUTO && (leg != NULL || cJSON_GetArraySize(sup) == 0)) {
		send_initialize(p, leg != NULL ? leg : LEGACY_VERSION);
		return;
	}
	refused(p, x, MODERN_VERSION);
}

/*
 * A discover result that names our version.  Some servers answer any
 * unknown method with an empty result; that is not a modern server.
 */
static int
speaks_modern(const cJSON *res)
{
	const cJSON *sup = cJSON_GetObjectItemCaseSensitive(res, "supportedVersions"), *v;

	if (!cJSON_IsArray(sup))
		return 0;
	cJSON_ArrayForEach(v, sup)
	{
		if (cJSON_IsString(v) && strcmp(v->valuestring, MODERN_VERSION) == 0)
			return 1;
	}
	return 0;
}

static void
on_discover(struct xfer *x, CURLcode rc)
{
	struct probe *p = x->p;
	const cJSON *res;

	if (settled(p, x, rc, "server/discover"))
		return;
	res = cJSON_GetObjectItemCaseSensitive(x->msg, "result");
	if (x->status >= 200 && x->status <= 299 && id_ok(x) && speaks_modern(res)) {
		identified(p, x, "modern", "streamable-http");
		ready_session(p, x);
		discovered(p, res);
		send_list(p);
		return;
	}
	if (rpc_code(x->msg) == -32022 && x->status < 500) {
		modern_unsupported(p, x);
		return;
	}
	/*
	 * Only a server/discover result or a -32022 shows a modern server.  A
	 * legacy server, or a bridge forwarding to one, refuses what it does
	 * not know with some 4xx, -32601 included (supergateway answers 404
	 * -32601), or answers it with anything at all: the legacy handshake
	 * decides.  A 429 refuses any request and fails here.
	 */
	if (p->era == ERA_AUTO &&
	    ((x->status >= 400 && x->status <= 499 && x->status != 429) ||
	        (x->status >= 200 && x->status <= 299))) {
		cJSON_Delete(p->refusal);
		p->refusal = rpc_code(x->msg) != 0 ? cJSON_Duplicate(x->msg, 1) : NULL;
		send_initialize(p, LEGACY_VERSION);
		return;
	}
	if (modern_error(x)) {
		refused(p, x, MODERN_VERSION);
		return;
	}
	if (x->status >= 200 && x->status <= 299) {
		p->steps[S_HTTP].detail = http_detail(p, x);
		step_fail(p, S_HTTP, http_ms(p, x), "not_mcp",
		    "HTTP %ld is not a modern MCP answer", x->status);
	} else {
		fail_status(p, S_HTTP, http_ms(p, x), x);
	}
	finish(p);
}

static void
on_initialized(struct xfer *x, CURLcode rc)
{
	struct probe *p = x->p;
	double ms = p->init_ms + xfer_time(x, CURLINFO_TOTAL_TIME_T);

	if (rc != CURLE_OK) {
		fail_curl(p, S_INIT, ms, x, rc);
	} else if (x->status < 200 || x->status > 299) {
		fail_status(p, S_INIT, ms, x);
	} else {
		step_pass(p, S_INIT, ms, p->init_detail);
		p->init_detail = NULL;
		send_list(p);
		return;
	}
	finish(p);
}

/* The initialize result: protocol version and server info. */
static int
check_init(struct probe *p, const cJSON *res)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(res, "protocolVersion");
	const cJSON *si = cJSON_GetObjectItemCaseSensitive(res, "serverInfo");
	const cJSON *f;
	cJSON *d, *s;

	if (!cJSON_IsObject(res) || !cJSON_IsString(v)) {
		step_fail(p, S_INIT, p->init_ms, "initialize_invalid",
		    "initialize result has no protocolVersion");
		return -1;
	}
	if (!version_known(v->valuestring)) {
		step_fail(p, S_INIT, p->init_ms, "version_unsupported",
		    "server chose protocol version %s", v->valuestring);
		return -1;
	}
	snprintf(p->proto, sizeof(p->proto), "%s", v->valuestring);
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "protocol_version", p->proto);
	if (cJSON_IsObject(si) && (s = cJSON_AddObjectToObject(d, "server")) != NULL) {
		if (cJSON_IsString(f = cJSON_GetObjectItemCaseSensitive(si, "name")))
			cJSON_AddStringToObject(s, "name", f->valuestring);
		if (cJSON_IsString(f = cJSON_GetObjectItemCaseSensitive(si, "version")))
			cJSON_AddStringToObject(s, "version", f->valuestring);
	}
	cJSON_AddBoolToObject(d, "session", p->session != NULL);
	instructions(p, res);
	tools_declared(p, res, d);
	ready_caps(p, res, 0);
	cJSON_Delete(p->init_detail);
	p->init_detail = d;
	return 0;
}

/* The answer to initialize, on either legacy transport. */
static void
initialize_result(struct probe *p, struct xfer *x)
{
	if (fail_rpc_error(p, S_INIT, p->init_ms, x->msg) ||
	    check_init(p, cJSON_GetObjectItemCaseSensitive(x->msg, "result")) == -1) {
		finish(p);
		return;
	}
	p->step_t0 = mcp_mono();
	if (xfer_post(p, &p->x, "notifications/initialized", NULL, -1, on_initialized) == -1) {
		step_fail(p, S_INIT, p->init_ms, "transfer_failed", "cannot start a request");
		finish(p);
	}
}

/*
 * -32022 to initialize: a list naming another legacy version the probe
 * speaks earns one more try with it; anything else is version_unsupported
 * (a modern-only server refusing the legacy handshake).
 */
static void
legacy_unsupported(struct probe *p, struct xfer *x)
{
	const char *leg = legacy_listed(supported_of(x));

	if (!p->legacy_retried && leg != NULL && strcmp(leg, p->offered) != 0) {
		p->legacy_retried = 1;
		send_initialize(p, leg);
		return;
	}
	refused(p, x, p->offered);
}

static void
on_initialize(struct xfer *x, CURLcode rc)
{
	struct probe *p = x->p;

	if (settled(p, x, rc, "initialize"))
		return;
	if (rpc_code(x->msg) == -32022 && x->status < 500) {
		legacy_unsupported(p, x);
		return;
	}
	if (rpc_code(x->msg) == -32601) {
		/* initialize is every legacy server's: not knowing it fails. */
		refused(p, x, p->offered);
		return;
	}
	if (modern_error(x)) {
		/* A modern-only server refusing the legacy handshake. */
		refused(p, x, p->offered);
		return;
	}
	if (p->era == ERA_AUTO && (x->status == 400 || x->status == 404 || x->status == 405)) {
		sse_start(p);
		return;
	}
	if (x->status < 200 || x->status > 299) {
		fail_status(p, S_HTTP, http_ms(p, x), x);
		finish(p);
		return;
	}
	if (!id_ok(x)) {
		p->steps[S_HTTP].detail = http_detail(p, x);
		step_fail(p, S_HTTP, http_ms(p, x), "not_mcp",
		    "HTTP %ld %s is not a JSON-RPC answer%s%s%s", x->status,
		    x->ctype ? x->ctype : "(no content type)", x->bad_json ? " (" : "",
		    x->bad_json ? x->bad_json : "", x->bad_json ? ")" : "");
		finish(p);
		return;
	}
	/* The session id belongs to the probe now; x is reused. */
	p->session = x->session;
	x->session = NULL;
	identified(p, x, "legacy", "streamable-http");
	initialize_result(p, x);
}

static cJSON *
init_params(const struct probe *p, const char *version)
{
	cJSON *params = cJSON_CreateObject();

	cJSON_AddStringToObject(params, "protocolVersion", version);
	/* Empty capabilities: the tool list then depends on the server alone. */
	cJSON_AddObjectToObject(params, "capabilities");
	client_info(p, params, "clientInfo");
	return params;
}

static void
send_initialize(struct probe *p, const char *version)
{
	p->mode = MODE_LEGACY;
	snprintf(p->offered, sizeof(p->offered), "%s", version);
	if (xfer_post(p, &p->x, "initialize", init_params(p, p->offered), p->next_id++,
	        on_initialize) == 0) {
		/* Each target measures its own dns, connect and tls. */
		if (!p->net_done)
			curl_easy_setopt(p->x.h, CURLOPT_FRESH_CONNECT, 1L);
		return;
	}
	step_fail(p, p->net_done ? S_HTTP : S_DNS, 0, "transfer_failed", "cannot start a request");
	finish(p);
}

/* The HTTP+SSE endpoint is known: initialize over it. */
static void
on_sse_initialize(struct xfer *x, CURLcode rc)
{
	struct probe *p = x->p;

	p->init_ms = since(p->step_t0);
	if (!answered(x, rc)) {
		fail_curl(p, S_INIT, p->init_ms, x, rc);
		finish(p);
	} else if (x->status < 200 || x->status > 299) {
		fail_status(p, S_INIT, p->init_ms, x);
		finish(p);
	} else if (!id_ok(x)) {
		step_fail(p, S_INIT, p->init_ms, "initialize_invalid",
		    "no JSON-RPC answer to initialize");
		finish(p);
	} else {
		initialize_result(p, x);
	}
}

void
sse_identified(struct probe *p, struct xfer *s)
{
	attempt(p, "GET event-stream", s, CURLE_OK);
	identified(p, s, "legacy", "sse");
	p->step_t0 = mcp_mono();
	if (xfer_post(p, &p->x, "initialize", init_params(p, "2024-11-05"), p->next_id++,
	        on_sse_initialize) == -1) {
		step_fail(p, S_INIT, 0, "transfer_failed", "cannot start a request");
		finish(p);
	}
}

/* The stream ended, or failed, before its endpoint event. */
void
sse_failed(struct probe *p, struct xfer *s, CURLcode rc)
{
	attempt(p, "GET event-stream", s, rc);
	if (!answered(s, rc) && s->status == 0) {
		fail_curl(p, S_HTTP, since(p->mono0), s, rc);
	} else if (auth_answer(p, s)) {
		return;
	} else if (s->status < 200 || s->status > 299) {
		fail_status(p, S_HTTP, http_ms(p, s), s);
	} else {
		p->steps[S_HTTP].detail = http_detail(p, s);
		step_fail(p, S_HTTP, http_ms(p, s), "not_mcp",
		    "HTTP %ld %.60s without an endpoint event", s->status,
		    s->ctype ? s->ctype : "(no content type)");
	}
	finish(p);
}

static void
send_discover(struct probe *p)
{
	p->mode = MODE_MODERN;
	if (xfer_post(p, &p->x, "server/discover", NULL, p->next_id++, on_discover) == 0) {
		/* Each target measures its own dns, connect and tls. */
		if (!p->net_done)
			curl_easy_setopt(p->x.h, CURLOPT_FRESH_CONNECT, 1L);
		return;
	}
	step_fail(p, p->net_done ? S_HTTP : S_DNS, 0, "transfer_failed", "cannot start a request");
	finish(p);
}

void
detect_start(struct probe *p)
{
	switch (p->era) {
	case ERA_LEGACY:
		send_initialize(p, LEGACY_VERSION);
		return;
	case ERA_SSE:
		sse_start(p);
		return;
	default:
		break;
	}
	send_discover(p);
}
