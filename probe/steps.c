/*
 * steps.c - the probe of one target as a state machine: each completed
 * transfer decides a step and starts the next request.  Legacy Streamable
 * HTTP: initialize, notifications/initialized, tools/list (every page),
 * tools/call or ping, DELETE.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "json.h"
#include "mcp.h"
#include "probe.h"
#include "version.h"

#define LEGACY_VERSION "2025-11-25"
#define MAX_PAGES 100

static const char *legacy_versions[] = {
	"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", NULL,
};

static void send_list(struct probe *);
static cJSON *http_detail(struct probe *, struct xfer *);
static void send_call(struct probe *);
static void finish(struct probe *);

void
step_pass(struct probe *p, enum step s, double ms, cJSON *detail)
{
	struct step_rec *r = &p->steps[s];

	r->status = ST_PASS;
	r->ms = ms < 0 ? 0 : ms;
	if (detail != NULL) {
		cJSON_Delete(r->detail);
		r->detail = detail;
	}
}

void
step_fail(struct probe *p, enum step s, double ms, const char *code, const char *fmt, ...)
{
	struct step_rec *r = &p->steps[s];
	va_list ap;

	r->status = ST_FAIL;
	r->ms = ms < 0 ? 0 : ms;
	r->code = code;
	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
}

static double
since(struct probe *p, double t0)
{
	(void)p;
	return (mcp_mono() - t0) * 1000.0;
}

/* A failed transfer at step s: the curl error, classified. */
static void
fail_curl(struct probe *p, enum step s, double ms, struct xfer *x, CURLcode rc)
{
	if (x->overflow) {
		step_fail(p, s, ms, "body_too_large", "response body passed %zu bytes",
		    p->o->max_body);
		return;
	}
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		step_fail(p, s, ms, "timeout", "no complete answer in time (%.0f ms)", ms);
		break;
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
		step_fail(p, s, ms, "connection_closed", "%s", curl_easy_strerror(rc));
		break;
	default:
		step_fail(p, s, ms, "transfer_failed", "%s", curl_easy_strerror(rc));
		break;
	}
}

static int
mentions_session(const struct xfer *x)
{
	const cJSON *e, *m;

	if (x->resp.p != NULL && strcasestr(x->resp.p, "session") != NULL)
		return 1;
	e = cJSON_GetObjectItemCaseSensitive(x->msg, "error");
	m = cJSON_GetObjectItemCaseSensitive(e, "message");
	return cJSON_IsString(m) && strcasestr(m->valuestring, "session") != NULL;
}

/* A non-2xx answer at step s, classified. */
static void
fail_status(struct probe *p, enum step s, double ms, struct xfer *x)
{
	long st = x->status;
	char scope[128];

	if (p->steps[s].detail == NULL)
		p->steps[s].detail = http_detail(p, x);
	if (st >= 300 && st < 400) {
		step_fail(p, s, ms, "http_redirect", "HTTP %ld to %.200s (not followed)", st,
		    x->location ? x->location : "nowhere");
		return;
	}
	if (p->session != NULL && (st == 404 || (st == 400 && mentions_session(x)))) {
		step_fail(p, s, ms, "session_lost", "session refused with HTTP %ld", st);
		return;
	}
	if (st == 401) {
		if (p->token != NULL)
			step_fail(p, s, ms, "auth_rejected", "HTTP 401: token rejected");
		else
			step_fail(p, s, ms, "auth_required", "HTTP 401 without a token");
		return;
	}
	if (st == 403 && x->www_auth != NULL &&
	    auth_param(x->www_auth, "error", scope, sizeof(scope)) != NULL &&
	    strcmp(scope, "insufficient_scope") == 0) {
		step_fail(p, s, ms, "auth_insufficient_scope", "HTTP 403: insufficient scope%s%s",
		    auth_param(x->www_auth, "scope", scope, sizeof(scope)) ? ", needs " : "",
		    auth_param(x->www_auth, "scope", scope, sizeof(scope)) ? scope : "");
		return;
	}
	if (st == 404)
		step_fail(p, s, ms, "http_404", "HTTP 404");
	else if (st == 429)
		step_fail(p, s, ms, "http_429", "HTTP 429%s%s", x->retry_after[0] ? ", retry after " : "",
		    x->retry_after);
	else if (st >= 500)
		step_fail(p, s, ms, "http_5xx", "HTTP %ld", st);
	else
		step_fail(p, s, ms, "http_4xx", "HTTP %ld", st);
}

/* The JSON-RPC error of a reply, as a step failure. */
static int
fail_rpc_error(struct probe *p, enum step s, double ms, const cJSON *msg)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(msg, "error");
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(e, "code");
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(e, "message");

	if (e == NULL)
		return 0;
	step_fail(p, s, ms, "jsonrpc_error", "JSON-RPC error %.0f: %.160s",
	    cJSON_IsNumber(code) ? code->valuedouble : 0,
	    cJSON_IsString(m) ? m->valuestring : "(no message)");
	return 1;
}

static int
is_ip_literal(const char *host)
{
	unsigned char a[16];
	char h[64];
	size_t n = strlen(host);

	if (n >= 2 && host[0] == '[' && n - 2 < sizeof(h)) {
		memcpy(h, host + 1, n - 2);
		h[n - 2] = '\0';
		return inet_pton(AF_INET6, h, a) == 1;
	}
	return inet_pton(AF_INET, host, a) == 1;
}

static void
pass_dns(struct probe *p, struct xfer *x, double ms)
{
	cJSON *d = cJSON_CreateObject();
	char *ip = NULL;

	if (curl_easy_getinfo(x->h, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != NULL &&
	    *ip != '\0')
		cJSON_AddStringToObject(d, "address", ip);
	if (p->pinned[0] != '\0')
		cJSON_AddStringToObject(d, "pinned", p->pinned);
	step_pass(p, S_DNS, ms, d);
}

static void
fail_tls(struct probe *p, struct xfer *x, double ms, CURLcode rc)
{
	long vr = 0;

	if (rc == CURLE_PEER_FAILED_VERIFICATION) {
		curl_easy_getinfo(x->h, CURLINFO_SSL_VERIFYRESULT, &vr);
		if (vr == X509_V_ERR_CERT_HAS_EXPIRED)
			step_fail(p, S_TLS, ms, "tls_cert_expired", "certificate has expired");
		else
			step_fail(p, S_TLS, ms, "tls_cert_invalid", "certificate not trusted: %s",
			    vr ? X509_verify_cert_error_string(vr) : curl_easy_strerror(rc));
	} else if (rc == CURLE_OPERATION_TIMEDOUT) {
		step_fail(p, S_TLS, ms, "timeout", "TLS handshake did not finish in time");
	} else {
		step_fail(p, S_TLS, ms, "tls_handshake", "%s", curl_easy_strerror(rc));
	}
}

/*
 * The dns, connect and tls steps, from the first transfer.  Returns 0 when
 * the connection was made (the HTTP answer decides the rest), -1 when one
 * of these steps failed.
 */
static int
net_steps(struct probe *p, struct xfer *x, CURLcode rc)
{
	double dns = xfer_time(x, CURLINFO_NAMELOOKUP_TIME_T);
	double con = xfer_time(x, CURLINFO_CONNECT_TIME_T);
	double app = xfer_time(x, CURLINFO_APPCONNECT_TIME_T);
	double total = xfer_time(x, CURLINFO_TOTAL_TIME_T);
	cJSON *d;
	long oserr = 0, port = 0;

	if (rc == CURLE_COULDNT_RESOLVE_HOST) {
		step_fail(p, S_DNS, total, "dns_nxdomain", "cannot resolve %s", p->host);
		return -1;
	}
	if (con == 0 && rc == CURLE_OPERATION_TIMEDOUT && dns == 0 && !is_ip_literal(p->host)) {
		step_fail(p, S_DNS, total, "dns_timeout", "no DNS answer for %s in time", p->host);
		return -1;
	}
	pass_dns(p, x, dns);
	if (con == 0 && x->tcp_at > 0)
		con = (x->tcp_at - x->started) * 1000.0;
	if (con == 0 && rc != CURLE_OK) {
		curl_easy_getinfo(x->h, CURLINFO_OS_ERRNO, &oserr);
		if (rc == CURLE_OPERATION_TIMEDOUT)
			step_fail(p, S_CONNECT, total - dns, "connect_timeout", "no TCP connection in time");
		else if (oserr == ECONNREFUSED)
			step_fail(p, S_CONNECT, total - dns, "connect_refused", "connection refused");
		else
			step_fail(p, S_CONNECT, total - dns, "connect_failed", "%s",
			    oserr ? strerror((int)oserr) : curl_easy_strerror(rc));
		return -1;
	}
	d = cJSON_CreateObject();
	curl_easy_getinfo(x->h, CURLINFO_PRIMARY_PORT, &port);
	cJSON_AddNumberToObject(d, "port", port);
	step_pass(p, S_CONNECT, con - dns, d);
	if (!p->https) {
		p->steps[S_TLS].status = ST_SKIP;
		p->skip_reason[S_TLS] = "plain_http";
		return 0;
	}
	if (app == 0) {
		fail_tls(p, x, total - con, rc);
		return -1;
	}
	step_pass(p, S_TLS, app - con, NULL);
	return 0;
}

static const char *
posture_ok(struct probe *p)
{
	return p->token != NULL ? "credentialed" : "open";
}

static cJSON *
http_detail(struct probe *p, struct xfer *x)
{
	cJSON *d = cJSON_CreateObject();
	long hv = 0;

	cJSON_AddNumberToObject(d, "status", x->status);
	if (x->ctype[0] != '\0')
		cJSON_AddStringToObject(d, "content_type", x->ctype);
	curl_easy_getinfo(x->h, CURLINFO_HTTP_VERSION, &hv);
	cJSON_AddStringToObject(d, "http_version",
	    hv == CURL_HTTP_VERSION_2_0 ? "2" : hv == CURL_HTTP_VERSION_1_0 ? "1.0" : "1.1");
	if (x->location != NULL)
		cJSON_AddStringToObject(d, "location", x->location);
	if (p->transport != NULL)
		cJSON_AddStringToObject(d, "transport", p->transport);
	return d;
}

/* Protected-resource metadata discovery for a 401 without a token. */
static void on_prm(struct xfer *x, CURLcode rc);

static void
next_prm(struct probe *p)
{
	while (p->prm_try < 3) {
		if (auth_prm_url(p, p->prm_try++, p->prm_url, sizeof(p->prm_url)) == 0) {
			if (xfer_get(p, &p->x, p->prm_url, "application/json", on_prm) == 0)
				return;
			step_fail(p, S_AUTH, since(p, p->step_t0), "transfer_failed",
			    "cannot start a request");
			finish(p);
			return;
		}
	}
	step_fail(p, S_AUTH, since(p, p->step_t0), "auth_challenge_invalid",
	    "401 with a Bearer challenge but no protected-resource metadata (%s)", p->prm_why);
	finish(p);
}

static void
on_prm(struct xfer *x, CURLcode rc)
{
	struct probe *p = x->p;
	cJSON *detail = NULL;
	char why[160];

	if (rc == CURLE_OK && x->status == 200 && auth_prm_ok(x, &detail, why, sizeof(why)) == 0) {
		cJSON_AddStringToObject(detail, "posture", "auth-walled");
		p->posture = "auth-walled";
		step_pass(p, S_AUTH, since(p, p->step_t0), detail);
		finish(p);
		return;
	}
	if (rc != CURLE_OK)
		snprintf(why, sizeof(why), "%s", curl_easy_strerror(rc));
	else if (x->status != 200)
		snprintf(why, sizeof(why), "HTTP %ld", x->status);
	snprintf(p->prm_why + strlen(p->prm_why), sizeof(p->prm_why) - strlen(p->prm_why),
	    "%s%s: %s", p->prm_why[0] ? "; " : "", p->prm_url, why);
	next_prm(p);
}

static void
on_401(struct probe *p, struct xfer *x)
{
	if (p->token != NULL) {
		step_fail(p, S_AUTH, 0, "auth_rejected", "HTTP 401: the token was rejected");
		finish(p);
		return;
	}
	if (x->www_auth == NULL || !auth_is_bearer(x->www_auth)) {
		step_fail(p, S_AUTH, 0, "auth_challenge_invalid",
		    x->www_auth ? "401 whose challenge is not Bearer" :
		    "401 without a WWW-Authenticate challenge");
		finish(p);
		return;
	}
	/* The challenge outlives x, which the metadata requests reuse. */
	free(p->challenge);
	p->challenge = strdup(x->www_auth);
	p->step_t0 = mcp_mono();
	p->prm_try = 0;
	next_prm(p);
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

static void
on_initialized(struct xfer *x, CURLcode rc)
{
	struct probe *p = x->p;
	double ms = p->init_ms + xfer_time(x, CURLINFO_TOTAL_TIME_T);
	cJSON *d;

	if (rc != CURLE_OK) {
		fail_curl(p, S_INIT, ms, x, rc);
	} else if (x->status < 200 || x->status > 299) {
		fail_status(p, S_INIT, ms, x);
	} else {
		d = p->init_detail;
		p->init_detail = NULL;
		step_pass(p, S_INIT, ms, d);
		send_list(p);
		return;
	}
	finish(p);
}

/* The initialize result: protocol version, server info. */
static int
check_init(struct probe *p, const cJSON *res, double ms)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(res, "protocolVersion");
	const cJSON *si = cJSON_GetObjectItemCaseSensitive(res, "serverInfo");
	const cJSON *f;
	cJSON *d, *s;

	if (!cJSON_IsObject(res) || !cJSON_IsString(v)) {
		step_fail(p, S_INIT, ms, "initialize_invalid", "initialize result has no protocolVersion");
		return -1;
	}
	if (!version_known(v->valuestring)) {
		step_fail(p, S_INIT, ms, "version_unsupported",
		    "server chose protocol version %.40s", v->valuestring);
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
	p->init_detail = d;
	return 0;
}

static void
on_initialize(struct xfer *x, CURLcode rc)
{
	struct probe *p = x->p;
	double start = xfer_time(x, CURLINFO_STARTTRANSFER_TIME_T);
	double conn = xfer_time(x, CURLINFO_APPCONNECT_TIME_T);
	double total = xfer_time(x, CURLINFO_TOTAL_TIME_T);
	double http_ms;
	const cJSON *res;

	if (net_steps(p, x, rc) == -1) {
		finish(p);
		return;
	}
	if (conn == 0)
		conn = xfer_time(x, CURLINFO_CONNECT_TIME_T);
	http_ms = (start > conn ? start : total) - conn;
	p->http_status = x->status;
	if (rc != CURLE_OK && !(x->msg != NULL && rc == CURLE_WRITE_ERROR)) {
		fail_curl(p, S_HTTP, total - conn, x, rc);
		finish(p);
		return;
	}
	if (x->status == 401 || (x->status == 403 && x->www_auth != NULL)) {
		step_pass(p, S_HTTP, http_ms, http_detail(p, x));
		if (x->status == 401)
			on_401(p, x);
		else {
			fail_status(p, S_AUTH, 0, x);
			if (strcmp(p->steps[S_AUTH].code, "auth_insufficient_scope") != 0)
				p->steps[S_AUTH].code = "auth_challenge_invalid";
			finish(p);
		}
		return;
	}
	if (x->status < 200 || x->status > 299) {
		fail_status(p, S_HTTP, http_ms, x);
		finish(p);
		return;
	}
	if (x->msg == NULL || !id_ok(x)) {
		p->steps[S_HTTP].detail = http_detail(p, x);
		step_fail(p, S_HTTP, http_ms, "not_mcp", "HTTP %ld %.60s is not a JSON-RPC answer%s",
		    x->status, x->ctype[0] ? x->ctype : "(no content type)",
		    x->bad_json ? " (malformed JSON)" : "");
		finish(p);
		return;
	}
	p->transport = "streamable-http";
	p->era_found = "legacy";
	step_pass(p, S_HTTP, http_ms, http_detail(p, x));
	p->posture = posture_ok(p);
	step_pass(p, S_AUTH, 0, NULL);
	p->init_ms = total - (start > 0 ? start : total);
	if (fail_rpc_error(p, S_INIT, p->init_ms, x->msg)) {
		finish(p);
		return;
	}
	res = cJSON_GetObjectItemCaseSensitive(x->msg, "result");
	/* The session id belongs to the probe now; x is reused. */
	p->session = x->session;
	x->session = NULL;
	if (check_init(p, res, p->init_ms) == -1) {
		finish(p);
		return;
	}
	if (xfer_post(p, &p->x, "notifications/initialized", NULL, -1, on_initialized) == -1) {
		step_fail(p, S_INIT, p->init_ms, "transfer_failed", "cannot start a request");
		finish(p);
	}
}

/* Check the collected tools; the hash is over all of them. */
static void
check_tools(struct probe *p)
{
	double ms = since(p, p->step_t0);
	char why[200];
	const cJSON *t, *name, *schema;
	cJSON *d;
	int i = 0;

	if (cJSON_GetArraySize(p->tools) == 0) {
		step_fail(p, S_LIST, ms, "tools_empty", "tools/list returned no tools");
		return;
	}
	cJSON_ArrayForEach(t, p->tools) {
		name = cJSON_GetObjectItemCaseSensitive(t, "name");
		schema = cJSON_GetObjectItemCaseSensitive(t, "inputSchema");
		if (!cJSON_IsString(name) || name->valuestring[0] == '\0') {
			step_fail(p, S_LIST, ms, "tools_malformed", "tool %d has no string name", i);
			return;
		}
		if (!cJSON_IsObject(schema)) {
			step_fail(p, S_LIST, ms, "tools_malformed", "tool \"%.60s\" has no inputSchema object",
			    name->valuestring);
			return;
		}
		i++;
	}
	if (mcp_tool_hash(p->tools, p->tool_hash, why, sizeof(why)) == -1) {
		step_fail(p, S_LIST, ms, "tools_malformed", "tool list is not I-JSON: %s", why);
		p->tool_hash[0] = '\0';
		return;
	}
	d = cJSON_CreateObject();
	cJSON_AddNumberToObject(d, "pages", p->pages);
	cJSON_AddNumberToObject(d, "tool_count", i);
	cJSON_AddStringToObject(d, "tool_hash", p->tool_hash);
	step_pass(p, S_LIST, ms, d);
}

static void
on_list(struct xfer *x, CURLcode rc)
{
	struct probe *p = x->p;
	double ms = since(p, p->step_t0);
	const cJSON *res, *tools, *next, *t;

	if (rc != CURLE_OK && !(x->msg != NULL && rc == CURLE_WRITE_ERROR)) {
		fail_curl(p, S_LIST, ms, x, rc);
	} else if (x->status < 200 || x->status > 299) {
		p->http_status = x->status;
		fail_status(p, S_LIST, ms, x);
	} else if (x->msg == NULL || !id_ok(x)) {
		step_fail(p, S_LIST, ms, "tools_malformed", "tools/list answer is not JSON-RPC%s",
		    x->bad_json ? " (malformed JSON)" : "");
	} else if (!fail_rpc_error(p, S_LIST, ms, x->msg)) {
		res = cJSON_GetObjectItemCaseSensitive(x->msg, "result");
		tools = cJSON_GetObjectItemCaseSensitive(res, "tools");
		next = cJSON_GetObjectItemCaseSensitive(res, "nextCursor");
		if (!cJSON_IsArray(tools)) {
			step_fail(p, S_LIST, ms, "tools_malformed", "result has no tools array");
			finish(p);
			return;
		}
		p->pages++;
		cJSON_ArrayForEach(t, tools)
			cJSON_AddItemToArray(p->tools, cJSON_Duplicate(t, 1));
		if (cJSON_IsString(next) && next->valuestring[0] != '\0') {
			if (p->pages >= MAX_PAGES || strcmp(next->valuestring, p->cursor) == 0 ||
			    strlen(next->valuestring) >= sizeof(p->cursor)) {
				step_fail(p, S_LIST, ms, "tools_malformed",
				    "pagination does not end (%d pages, or a repeated or oversized cursor)",
				    p->pages);
				finish(p);
				return;
			}
			snprintf(p->cursor, sizeof(p->cursor), "%s", next->valuestring);
			send_list(p);
			return;
		}
		check_tools(p);
		if (p->steps[S_LIST].status == ST_PASS) {
			send_call(p);
			return;
		}
	}
	finish(p);
}

static void
send_list(struct probe *p)
{
	cJSON *params = NULL;

	if (p->pages == 0)
		p->step_t0 = mcp_mono();
	if (p->cursor[0] != '\0') {
		params = cJSON_CreateObject();
		cJSON_AddStringToObject(params, "cursor", p->cursor);
	}
	if (xfer_post(p, &p->x, "tools/list", params, p->next_id++, on_list) == -1) {
		step_fail(p, S_LIST, 0, "transfer_failed", "cannot start a request");
		finish(p);
	}
}

/* The text of the first text content of a tool result, for messages. */
static const char *
first_text(const cJSON *res)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(res, "content"), *e, *t;

	cJSON_ArrayForEach(e, c) {
		t = cJSON_GetObjectItemCaseSensitive(e, "text");
		if (cJSON_IsString(t))
			return t->valuestring;
	}
	return "(no text)";
}

static void
on_call(struct xfer *x, CURLcode rc)
{
	struct probe *p = x->p;
	double ms = since(p, p->step_t0);
	const cJSON *res;
	cJSON *d;

	if (rc != CURLE_OK && !(x->msg != NULL && rc == CURLE_WRITE_ERROR)) {
		fail_curl(p, S_CALL, ms, x, rc);
	} else if (x->status < 200 || x->status > 299) {
		p->http_status = x->status;
		fail_status(p, S_CALL, ms, x);
	} else if (x->msg == NULL || !id_ok(x)) {
		step_fail(p, S_CALL, ms, "call_failed", "answer is not JSON-RPC%s",
		    x->bad_json ? " (malformed JSON)" : "");
	} else if (!fail_rpc_error(p, S_CALL, ms, x->msg)) {
		res = cJSON_GetObjectItemCaseSensitive(x->msg, "result");
		if (!cJSON_IsObject(res)) {
			step_fail(p, S_CALL, ms, "call_failed", "answer has no result object");
		} else if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(res, "isError"))) {
			step_fail(p, S_CALL, ms, "call_failed", "tool %.60s returned isError: %.120s",
			    p->t->call, first_text(res));
		} else {
			d = cJSON_CreateObject();
			if (p->t->call != NULL)
				cJSON_AddStringToObject(d, "tool", p->t->call);
			else
				cJSON_AddStringToObject(d, "method", "ping");
			step_pass(p, S_CALL, ms, d);
		}
	}
	finish(p);
}

static void
send_call(struct probe *p)
{
	cJSON *params = NULL, *args;
	int rc;

	p->step_t0 = mcp_mono();
	if (p->t->call != NULL) {
		params = cJSON_CreateObject();
		cJSON_AddStringToObject(params, "name", p->t->call);
		args = p->t->call_args ? cJSON_Parse(p->t->call_args) : cJSON_CreateObject();
		cJSON_AddItemToObject(params, "arguments", args);
		rc = xfer_post(p, &p->x, "tools/call", params, p->next_id++, on_call);
	} else {
		rc = xfer_post(p, &p->x, "ping", NULL, p->next_id++, on_call);
	}
	if (rc == -1) {
		step_fail(p, S_CALL, 0, "transfer_failed", "cannot start a request");
		finish(p);
	}
}

static void
on_delete(struct xfer *x, CURLcode rc)
{
	(void)rc;
	x->p->deleted = 1;
	runner_finish(x->p->r, x->p);
}

/* The steps are decided: fill in the skips, end the session, report. */
static void
finish(struct probe *p)
{
	const char *reason = "after_failure";
	int s;

	if (p->done)
		return;
	p->done = 1;
	p->finished_mono = mcp_mono();
	if (p->posture != NULL && strcmp(p->posture, "auth-walled") == 0)
		reason = "auth_walled";
	for (s = 0; s < S_NSTEPS; s++) {
		if (p->steps[s].status != ST_PENDING)
			continue;
		p->steps[s].status = ST_SKIP;
		p->skip_reason[s] = reason;
	}
	if (p->session != NULL && !p->x.active &&
	    xfer_delete(p, &p->x, on_delete) == 0)
		return;
	runner_finish(p->r, p);
}

/* The deadline passed with a request in flight. */
void
probe_timeout(struct probe *p)
{
	int s;

	if (p->done)
		return;
	for (s = 0; s < S_NSTEPS; s++)
		if (p->steps[s].status == ST_PENDING) {
			step_fail(p, s, 0, "timeout", "deadline of %.0f s passed", p->timeout);
			break;
		}
	if (p->x.active)
		xfer_free(&p->x);
	finish(p);
}

static int
read_token(struct probe *p, char *err, size_t errlen)
{
	char buf[4096], *s, *e;
	FILE *f;
	size_t n;

	if ((f = fopen(p->t->token_file, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", p->t->token_file, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (s = buf; *s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'; s++)
		;
	for (e = s; *e != '\0' && *e != '\n' && *e != '\r'; e++)
		;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*e = '\0';
	if (*s == '\0') {
		snprintf(err, errlen, "%s: no token on the first line", p->t->token_file);
		OPENSSL_cleanse(buf, sizeof(buf));
		return -1;
	}
	p->token = strdup(s);
	if (asprintf(&p->auth_hdr, "Authorization: Bearer %s", s) == -1)
		p->auth_hdr = NULL;
	OPENSSL_cleanse(buf, sizeof(buf));
	if (p->token == NULL || p->auth_hdr == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static int
parse_url(struct probe *p, char *err, size_t errlen)
{
	CURLU *u = curl_url();
	char *host = NULL, *scheme = NULL, *out = NULL;
	int rc = -1;

	if (u == NULL || curl_url_set(u, CURLUPART_URL, p->t->url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
		snprintf(err, errlen, "%.200s: not a URL", p->t->url);
		goto out;
	}
	snprintf(p->host, sizeof(p->host), "%s", host);
	p->https = strcmp(scheme, "https") == 0;
	/* Userinfo is a secret: never printed. */
	curl_url_set(u, CURLUPART_USER, NULL, 0);
	curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
	if (curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK)
		snprintf(p->url, sizeof(p->url), "%s", out);
	rc = 0;
out:
	curl_free(host);
	curl_free(scheme);
	curl_free(out);
	curl_url_cleanup(u);
	return rc;
}

static void
random_id(char *out)
{
	unsigned char b[16];
	int i;

	if (RAND_bytes(b, sizeof(b)) != 1)
		memset(b, 0, sizeof(b));
	for (i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

int
probe_init(struct probe *p, const struct opts *o, struct mcp_target *t, struct runner *r,
    char *err, size_t errlen)
{
	const char *c;
	int n;

	memset(p, 0, sizeof(*p));
	p->o = o;
	p->t = t;
	p->r = r;
	p->next_id = 1;
	p->timeout = t->timeout > 0 ? t->timeout : o->timeout;
	random_id(p->id);
	n = snprintf(p->region_hdr, sizeof(p->region_hdr), "X-Probe-Region: %s", o->region);
	if (n < 0 || (size_t)n >= sizeof(p->region_hdr) || parse_url(p, err, errlen) == -1)
		return -1;
	if (t->connect_to != NULL) {
		if ((p->connect_to = curl_slist_append(NULL, t->connect_to)) == NULL)
			return -1;
		/* HOST:PORT:ADDR:PORT pins to ADDR:PORT. */
		c = strchr(t->connect_to, ':');
		c = c ? strchr(c + 1, ':') : NULL;
		snprintf(p->pinned, sizeof(p->pinned), "%s", c ? c + 1 : t->connect_to);
	}
	if ((p->tools = cJSON_CreateArray()) == NULL)
		return -1;
	if (t->token_file != NULL && read_token(p, err, errlen) == -1)
		return -1;
	return 0;
}

void
probe_start(struct probe *p)
{
	cJSON *params, *ci;

	p->mono0 = mcp_mono();
	p->deadline = p->mono0 + p->timeout;
	p->started_at = mcp_ms_round(mcp_now());
	params = cJSON_CreateObject();
	cJSON_AddStringToObject(params, "protocolVersion", LEGACY_VERSION);
	/* Empty capabilities: the tool list then depends on the server alone. */
	cJSON_AddObjectToObject(params, "capabilities");
	ci = cJSON_AddObjectToObject(params, "clientInfo");
	cJSON_AddStringToObject(ci, "name", "mcp-probe");
	cJSON_AddStringToObject(ci, "version", MCP_VERSION);
	if (xfer_post(p, &p->x, "initialize", params, p->next_id++, on_initialize) == 0) {
		/* Each target measures its own dns, connect and tls. */
		curl_easy_setopt(p->x.h, CURLOPT_FRESH_CONNECT, 1L);
	} else {
		step_fail(p, S_DNS, 0, "transfer_failed", "cannot start a request");
		finish(p);
	}
}

void
probe_free(struct probe *p)
{
	int s;

	xfer_free(&p->x);
	for (s = 0; s < S_NSTEPS; s++)
		cJSON_Delete(p->steps[s].detail);
	cJSON_Delete(p->tools);
	cJSON_Delete(p->init_detail);
	curl_slist_free_all(p->connect_to);
	free(p->challenge);
	if (p->session != NULL) {
		OPENSSL_cleanse(p->session, strlen(p->session));
		free(p->session);
	}
	if (p->token != NULL) {
		OPENSSL_cleanse(p->token, strlen(p->token));
		free(p->token);
	}
	if (p->auth_hdr != NULL) {
		OPENSSL_cleanse(p->auth_hdr, strlen(p->auth_hdr));
		free(p->auth_hdr);
	}
}
