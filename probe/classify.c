/*
 * classify.c - deciding steps: failures turned into stable error codes,
 * and the dns, connect and tls steps read from the first transfer.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/x509.h>

#include "mcp.h"
#include "probe.h"

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
	free(r->msg);
	/* Whole: a secret in it is scrubbed before it is cut (report.c). */
	va_start(ap, fmt);
	if (vasprintf(&r->msg, fmt, ap) == -1)
		r->msg = NULL;
	va_end(ap);
}

/*
 * The names of the credentials the probe sends (never their values), as
 * "Authorization, X-API-Key", into buf.  Returns how many.
 */
int
cred_names(const struct probe *p, char *buf, size_t len)
{
	size_t n = 0;
	int i, k = 0;

	buf[0] = '\0';
	if (p->token != NULL)
		n += (size_t)snprintf(buf, len, "Authorization: Bearer"), k++;
	for (i = 0; i < p->t->nheaders && n < len; i++, k++)
		n += (size_t)snprintf(
		    buf + n, len - n, "%s%s", k ? ", " : "", p->t->headers[i].name);
	return k;
}

/* A failed transfer at step s: the curl error, classified. */
void
fail_curl(struct probe *p, enum step s, double ms, struct xfer *x, CURLcode rc)
{
	const char *why;

	if ((why = xfer_refused(x, rc)) != NULL) {
		step_fail(p, s, ms, "address_refused", "%s", why);
		return;
	}
	if (x->overflow) {
		step_fail(
		    p, s, ms, "body_too_large", "response body passed %zu bytes", p->o->max_body);
		return;
	}
	/* libcurl 7.88 says "out of memory" for a header line past 100 KiB. */
	if (x->hdr_overflow || (rc == CURLE_OUT_OF_MEMORY && !x->headers_done)) {
		step_fail(p, s, ms, "headers_too_large",
		    "response headers passed %d bytes (1xx answers included)", HDR_MAX);
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
void
fail_status(struct probe *p, enum step s, double ms, struct xfer *x)
{
	long st = x->status;
	char scope[128];

	p->http_status = st;
	if (p->steps[s].detail == NULL)
		p->steps[s].detail = http_detail(p, x);
	if (st >= 300 && st < 400) {
		step_fail(p, s, ms, "http_redirect", "HTTP %ld to %s (not followed)", st,
		    x->location ? x->location : "nowhere");
		return;
	}
	if (p->session != NULL && (st == 404 || (st == 400 && mentions_session(x)))) {
		step_fail(p, s, ms, "session_lost", "session refused with HTTP %ld", st);
		return;
	}
	if (st == 401) {
		if (cred_names(p, scope, sizeof(scope)) > 0)
			step_fail(p, s, ms, "auth_rejected",
			    "HTTP 401: the credential was rejected (%s)", scope);
		else
			step_fail(p, s, ms, "auth_required", "HTTP 401 without a credential");
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
		step_fail(p, s, ms, "http_429", "HTTP 429%s%s",
		    x->retry_after ? ", retry after " : "", x->retry_after ? x->retry_after : "");
	else if (st >= 500)
		step_fail(p, s, ms, "http_5xx", "HTTP %ld", st);
	else
		step_fail(p, s, ms, "http_4xx", "HTTP %ld", st);
}

/* The JSON-RPC error of a reply, as a step failure. */
int
fail_rpc_error(struct probe *p, enum step s, double ms, const cJSON *msg)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(msg, "error");
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(e, "message");

	if (e == NULL)
		return 0;
	if (rpc_code(msg) != 0) {
		step_fail(p, s, ms, "jsonrpc_error", "JSON-RPC error %d: %s", rpc_code(msg),
		    cJSON_IsString(m) ? m->valuestring : "(no message)");
		/* The code alone, for readers that name it (mcp-otlp's error.type). */
		if (p->steps[s].detail == NULL)
			p->steps[s].detail = cJSON_CreateObject();
		cJSON_DeleteItemFromObjectCaseSensitive(p->steps[s].detail, "rpc_code");
		cJSON_AddNumberToObject(p->steps[s].detail, "rpc_code", rpc_code(msg));
	} else
		step_fail(p, s, ms, "jsonrpc_error", "JSON-RPC error without an integer code: %s",
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
	    *ip != '\0') {
		cJSON_AddStringToObject(d, "address", ip);
		snprintf(p->addr, sizeof(p->addr), "%s", ip);
	}
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
int
net_steps(struct probe *p, struct xfer *x, CURLcode rc)
{
	double dns = xfer_time(x, CURLINFO_NAMELOOKUP_TIME_T);
	double con = xfer_time(x, CURLINFO_CONNECT_TIME_T);
	double app = xfer_time(x, CURLINFO_APPCONNECT_TIME_T);
	double total = xfer_time(x, CURLINFO_TOTAL_TIME_T);
	const char *why;
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
	if ((why = xfer_refused(x, rc)) != NULL) {
		/* The address the name led to, though no socket was opened to it. */
		d = p->steps[S_DNS].detail;
		if (x->guard_ip[0] != '\0' && !cJSON_HasObjectItem(d, "address"))
			cJSON_AddStringToObject(d, "address", x->guard_ip);
		step_fail(p, S_CONNECT, total - dns, "address_refused", "%s", why);
		return -1;
	}
	if (con == 0 && x->tcp_at > 0)
		con = (x->tcp_at - x->started) * 1000.0;
	if (con == 0 && rc != CURLE_OK) {
		curl_easy_getinfo(x->h, CURLINFO_OS_ERRNO, &oserr);
		if (rc == CURLE_OPERATION_TIMEDOUT)
			step_fail(p, S_CONNECT, total - dns, "connect_timeout",
			    "no TCP connection in time");
		else if (oserr == ECONNREFUSED)
			step_fail(
			    p, S_CONNECT, total - dns, "connect_refused", "connection refused");
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

cJSON *
http_detail(struct probe *p, struct xfer *x)
{
	cJSON *d = cJSON_CreateObject();
	long hv = 0;

	cJSON_AddNumberToObject(d, "status", x->status);
	if (x->ctype != NULL)
		cJSON_AddStringToObject(d, "content_type", x->ctype);
	curl_easy_getinfo(x->h, CURLINFO_HTTP_VERSION, &hv);
	cJSON_AddStringToObject(d, "http_version",
	    hv == CURL_HTTP_VERSION_2_0       ? "2"
	        : hv == CURL_HTTP_VERSION_1_0 ? "1.0"
	                                      : "1.1");
	if (x->location != NULL)
		cJSON_AddStringToObject(d, "location", x->location);
	if (p->transport != NULL)
		cJSON_AddStringToObject(d, "transport", p->transport);
	return d;
}

/*
 * The JSON-RPC error code of a message, or 0.  A code is an integer
 * (JSON-RPC 2.0 §5.1); anything else, or one outside int, is none.
 */
int
rpc_code(const cJSON *msg)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(msg, "error");
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(e, "code");

	if (!cJSON_IsNumber(c) || !(c->valuedouble >= INT_MIN && c->valuedouble <= INT_MAX) ||
	    c->valuedouble != floor(c->valuedouble))
		return 0;
	return (int)c->valuedouble;
}

/*
 * 1 when the transfer brought an answer to work with: it completed, or it
 * was cut short after the answer had arrived on its stream.
 */
int
answered(struct xfer *x, CURLcode rc)
{
	return rc == CURLE_OK || (x->msg != NULL && rc == CURLE_WRITE_ERROR);
}
