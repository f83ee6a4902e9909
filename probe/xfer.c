/*
 * xfer.c - one HTTP exchange of a probe: request headers, a capped
 * response body, event-stream replies parsed as they arrive, and the
 * JSON-RPC response matched by id.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "json.h"
#include "mcp.h"
#include "probe.h"
#include "trace.h"
#include "version.h"

/* How long a stream may stay open after it carried our response. */
#define LINGER 0.2

static char *
header_value(const char *line, size_t len, const char *name)
{
	size_t n = strlen(name);
	const char *v, *end;
	char *s;

	if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
		return NULL;
	v = line + n + 1;
	end = line + len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && isspace((unsigned char)end[-1]))
		end--;
	if ((s = malloc((size_t)(end - v) + 1)) == NULL)
		return NULL;
	memcpy(s, v, (size_t)(end - v));
	s[end - v] = '\0';
	return s;
}

/* When the certificate expires, in epoch seconds; -1 when it cannot be read. */
static double
not_after(const X509 *cert)
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) != 1 || (t = timegm(&tm)) == -1 ||
	    t < 0 || (double)t > MCP_TIME_MAX)
		return -1;
	return (double)t;
}

/*
 * The leaf certificate's days left and expiry (for the result's
 * cert_expires_at), TLS version and cipher, once.
 */
static void
tls_info(struct xfer *x)
{
	struct curl_tlssessioninfo *ti = NULL;
	struct probe *p = x->p;
	cJSON *d;
	X509 *cert;
	int days = 0, secs = 0;

	x->tls_seen = 1;
	if (p->steps[S_TLS].detail != NULL)
		return;
	if (curl_easy_getinfo(x->h, CURLINFO_TLS_SSL_PTR, &ti) != CURLE_OK || ti == NULL ||
	    ti->backend != CURLSSLBACKEND_OPENSSL || ti->internals == NULL)
		return;
	if ((d = cJSON_CreateObject()) == NULL)
		return;
	cJSON_AddStringToObject(d, "version", SSL_get_version(ti->internals));
	cJSON_AddStringToObject(d, "cipher", SSL_get_cipher_name((SSL *)ti->internals));
	if ((cert = SSL_get1_peer_certificate(ti->internals)) != NULL) {
		if (ASN1_TIME_diff(&days, &secs, NULL, X509_get0_notAfter(cert)) == 1)
			cJSON_AddNumberToObject(d, "days_left", days);
		if ((p->cert_not_after = not_after(cert)) >= 0)
			cJSON_AddNumberToObject(d, "not_after", p->cert_not_after);
		X509_free(cert);
	}
	p->steps[S_TLS].detail = d;
}

static void
take(char **dst, char *v)
{
	if (v == NULL)
		return;
	free(*dst);
	*dst = v;
}

static size_t
on_header(char *b, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;

	runner_heard(x->p);
	/* The authorization server's certificate is not the target's. */
	if (!x->tls_seen && !x->foreign && strncmp(x->p->t->url, "https:", 6) == 0)
		tls_info(x);
	/* Endless headers or 1xx answers would hold the probe: cut them. */
	x->hdr_bytes += len;
	if (x->hdr_bytes > HDR_MAX) {
		x->hdr_overflow = 1;
		return 0;
	}
	if (len >= 5 && strncmp(b, "HTTP/", 5) == 0) {
		/* A new status line (after 100 Continue): start over. */
		free(x->ctype);
		x->ctype = NULL;
		x->headers_done = 0;
		return len;
	}
	if (len <= 2 && (b[0] == '\r' || b[0] == '\n')) {
		curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &x->status);
		if (x->status >= 200)
			x->headers_done = 1;
		/* An authorization server's answer is read as JSON, never as a stream. */
		x->is_sse = !x->foreign && x->ctype != NULL &&
		    strncasecmp(x->ctype, "text/event-stream", 17) == 0;
		return len;
	}
	take(&x->ctype, header_value(b, len, "content-type"));
	take(&x->session, header_value(b, len, "mcp-session-id"));
	take(&x->www_auth, header_value(b, len, "www-authenticate"));
	take(&x->location, header_value(b, len, "location"));
	take(&x->retry_after, header_value(b, len, "retry-after"));
	take(&x->acao, header_value(b, len, "access-control-allow-origin"));
	take(&x->acac, header_value(b, len, "access-control-allow-credentials"));
	return len;
}

int
rpc_matches(const cJSON *msg, long want)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");

	if (!cJSON_IsNumber(id) || id->valuedouble != (double)want)
		return 0;
	return cJSON_HasObjectItem(msg, "result") || cJSON_HasObjectItem(msg, "error");
}

int
id_ok(const struct xfer *x)
{
	return x->msg != NULL && rpc_matches(x->msg, x->want_id);
}

static int
on_event(const struct mcp_sse_event *ev, void *arg)
{
	struct xfer *x = arg;
	cJSON *msg;

	/* Priming events (empty data) and other event types are not ours. */
	if (x->msg != NULL || ev->datalen == 0 || strcmp(ev->type, "message") != 0)
		return 0;
	if ((msg = answer_parse(x->p, ev->data, ev->datalen, &x->bad_json)) == NULL)
		return 0;
	if (cJSON_IsObject(msg) && cJSON_HasObjectItem(msg, "method") &&
	    cJSON_HasObjectItem(msg, "id")) {
		server_request(x->p, msg);
		cJSON_Delete(msg);
		return 0;
	}
	if (cJSON_IsObject(msg) && rpc_matches(msg, x->want_id)) {
		x->msg = msg;
		x->abort_at = mcp_mono() + LINGER;
		runner_poke(x->p->r, x->p);
		return 0;
	}
	cJSON_Delete(msg);
	return 0;
}

static size_t
on_body(char *b, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	struct probe *p = x->p;
	size_t len = size * n;

	runner_heard(p);
	/* A large answer (a list: all its pages) waits for one of the run's places. */
	if (place_need(p, x, x->got + len + (p->cur == S_LIST ? p->list_bytes : 0)) == -1)
		return CURL_WRITEFUNC_PAUSE;
	x->got += len;
	if (x->got > p->o->max_body) {
		x->overflow = 1;
		return 0;
	}
	if (x->is_sse) {
		if (x->msg == NULL && mcp_sse_feed(&x->sse, b, len, x->on_ev, x) == -1) {
			x->overflow = 1;
			return 0;
		}
		return len;
	}
	if (mcp_buf_add(&x->resp, b, len) == -1) {
		x->overflow = 1;
		return 0;
	}
	return len;
}

/*
 * libcurl sets up TLS only once the TCP connection is made, so this marks
 * the connect time even when the handshake then fails (libcurl's own
 * CONNECT_TIME stays 0 in that case).
 */
static CURLcode
on_ssl_ctx(CURL *h, void *ctx, void *arg)
{
	struct xfer *x = arg;

	(void)h;
	(void)ctx;
	if (x->tcp_at == 0)
		x->tcp_at = mcp_mono();
	return CURLE_OK;
}

/*
 * The guard of a target that may reach public addresses only: every
 * socket libcurl opens for it is opened here, once the address is known
 * (a name that resolves, or later resolves again, to an address of the
 * refused set is caught at the address it would be connected to), and
 * none is opened to such an address.  libcurl then tries the name's other
 * addresses, if any.
 */
static curl_socket_t
guard_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *sa)
{
	struct xfer *x = arg;
	char ip[INET6_ADDRSTRLEN], why[sizeof(x->guard_why)];
	const void *in;
	curl_socket_t s;

	if (x->url_refused || purpose != CURLSOCKTYPE_IPCXN)
		return CURL_SOCKET_BAD;
	if (sa->family == AF_INET)
		in = &((const struct sockaddr_in *)(const void *)&sa->addr)->sin_addr;
	else if (sa->family == AF_INET6)
		in = &((const struct sockaddr_in6 *)(const void *)&sa->addr)->sin6_addr;
	else
		in = NULL;
	if (in == NULL || inet_ntop(sa->family, in, ip, sizeof(ip)) == NULL) {
		if (x->guard_why[0] == '\0')
			snprintf(x->guard_why, sizeof(x->guard_why), "not an IP address");
		return CURL_SOCKET_BAD;
	}
	if (mcp_guard_check(&x->p->o->guard, ip, why, sizeof(why)) == -1) {
		if (x->guard_why[0] == '\0') {
			memcpy(x->guard_why, why, sizeof(why));
			snprintf(x->guard_ip, sizeof(x->guard_ip), "%s", ip);
		}
		return CURL_SOCKET_BAD;
	}
	if ((s = socket(sa->family, sa->socktype | SOCK_CLOEXEC, sa->protocol)) != CURL_SOCKET_BAD)
		x->admitted = 1;
	return s;
}

/*
 * What the guard says of a URL itself: https only (unless
 * guard=public-http), no user name or password.  Sets x->url_refused and
 * the reason, so that no socket is opened for it.
 */
static void
guard_url(struct probe *p, struct xfer *x, const char *url)
{
	const char *h = strstr(url, "://"), *why = NULL;
	size_t n;

	if (strncasecmp(url, "https://", 8) != 0 && p->t->guard != MCP_GUARD_PUBLIC_HTTP)
		why = "plain HTTP: a guarded target (guard=public) is probed over https only";
	else if (h != NULL && (n = strcspn(h + 3, "/?#")) > 0 && memchr(h + 3, '@', n) != NULL)
		why = "a user name or password in the URL of a guarded target";
	if (why == NULL)
		return;
	/* A fresh connection, which guard_socket refuses: an open one is never reused. */
	x->url_refused = 1;
	curl_easy_setopt(x->h, CURLOPT_FRESH_CONNECT, 1L);
	snprintf(x->guard_why, sizeof(x->guard_why), "%s", why);
}

/*
 * A connection reused from the cache opens no socket: before each request
 * the guard sees the address of the connection it goes over, wherever it
 * came from (another target's, to a name this one shares), and refuses it
 * as guard_socket would.
 */
static int
guard_prereq(void *arg, char *ip, char *local, int port, int lport)
{
	struct xfer *x = arg;
	char why[sizeof(x->guard_why)];

	(void)local, (void)port, (void)lport;
	if (mcp_guard_check(&x->p->o->guard, ip, why, sizeof(why)) == 0)
		return CURL_PREREQFUNC_OK;
	if (x->guard_why[0] == '\0') {
		memcpy(x->guard_why, why, sizeof(why));
		snprintf(x->guard_ip, sizeof(x->guard_ip), "%s", ip);
	}
	x->admitted = 0;
	return CURL_PREREQFUNC_ABORT;
}

const char *
xfer_refused(const struct xfer *x, CURLcode rc)
{
	if (rc == CURLE_OK || x->admitted || x->guard_why[0] == '\0')
		return NULL;
	return x->guard_why;
}

/*
 * A transfer handle with the options that never change for the probe:
 * set once, not again for every request.
 */
static int
handle(struct probe *p, struct xfer *x)
{
	if ((x->h = curl_easy_init()) == NULL)
		return -1;
	curl_easy_setopt(x->h, CURLOPT_PRIVATE, x);
	curl_easy_setopt(x->h, CURLOPT_SHARE, p->sh);
	curl_easy_setopt(x->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(x->h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(x->h, CURLOPT_USERAGENT, "mcp-probe/" MCP_VERSION);
	/* Debian's CApath disables libcurl's CA cache: 21 ms per handshake. */
	curl_easy_setopt(x->h, CURLOPT_CAPATH, NULL);
	if (p->o->cacert != NULL)
		curl_easy_setopt(x->h, CURLOPT_CAINFO, p->o->cacert);
	curl_easy_setopt(x->h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(x->h, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(x->h, CURLOPT_SSL_CTX_FUNCTION, on_ssl_ctx);
	curl_easy_setopt(x->h, CURLOPT_SSL_CTX_DATA, x);
	if (p->connect_to != NULL)
		curl_easy_setopt(x->h, CURLOPT_CONNECT_TO, p->connect_to);
	curl_easy_setopt(x->h, CURLOPT_CLOSESOCKETFUNCTION, runner_closesocket);
	curl_easy_setopt(x->h, CURLOPT_CLOSESOCKETDATA, p);
	curl_easy_setopt(x->h, CURLOPT_SOCKOPTFUNCTION, runner_sockopt);
	curl_easy_setopt(x->h, CURLOPT_SOCKOPTDATA, p);
	if (p->t->guard != MCP_GUARD_NONE) {
		curl_easy_setopt(x->h, CURLOPT_OPENSOCKETFUNCTION, guard_socket);
		curl_easy_setopt(x->h, CURLOPT_OPENSOCKETDATA, x);
		/*
		 * No proxy of the environment: one would resolve and connect
		 * to the server's names itself, where the guard sees nothing.
		 */
		curl_easy_setopt(x->h, CURLOPT_PROXY, "");
	}
	curl_easy_setopt(x->h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(x->h, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(x->h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(x->h, CURLOPT_WRITEDATA, x);
	return 0;
}

/* 1 when url is at the target's origin. */
static int
same_origin(const struct probe *p, const char *url)
{
	char o[sizeof(p->origin)];

	return p->origin[0] != '\0' && url_origin(url, o, sizeof(o)) == 0 &&
	    strcmp(o, p->origin) == 0;
}

/* Whom a request is for (setup_for). */
enum dest {
	D_TARGET,  /* the target: its credential and headers where they belong */
	D_FOREIGN, /* the pinned authorization server: none of them, no connect_to */
	D_BARE,    /* a Server Card at the target's origin: connect_to, none of them */
};

/* Options of one request to dest. */
static int
setup_for(struct probe *p, struct xfer *x, const char *url, enum dest dest)
{
	double left = p->deadline - mcp_mono();
	long ms;
	int i;

	if (x->h == NULL && handle(p, x) == -1)
		return -1;
	xfer_reset(x);
	x->p = p;
	x->resp.max = p->o->max_body;
	mcp_sse_init(&x->sse, p->o->max_body);
	x->on_ev = on_event;
	if (left > p->o->req_timeout)
		left = p->o->req_timeout;
	if (p->req_cap > 0 && left > p->req_cap)
		left = p->req_cap;
	ms = left > 0.001 ? (long)(left * 1000) : 1;
	/* What a previous request on this handle may have set. */
	curl_easy_setopt(x->h, CURLOPT_FRESH_CONNECT, 0L);
	curl_easy_setopt(x->h, CURLOPT_CUSTOMREQUEST, NULL);
	curl_easy_setopt(x->h, CURLOPT_NOBODY, 0L);
	curl_easy_setopt(x->h, CURLOPT_POSTFIELDS, NULL);
	curl_easy_setopt(x->h, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(x->h, CURLOPT_URL, url);
	curl_easy_setopt(x->h, CURLOPT_TIMEOUT_MS, ms);
	curl_easy_setopt(x->h, CURLOPT_CONNECTTIMEOUT_MS, ms);
	curl_easy_setopt(x->h, CURLOPT_CONNECT_TO, dest == D_FOREIGN ? NULL : p->connect_to);
	curl_easy_setopt(x->h, CURLOPT_PREREQFUNCTION, NULL);
	curl_easy_setopt(
	    x->h, CURLOPT_USERAGENT, p->as != NULL ? p->as->ua : "mcp-probe/" MCP_VERSION);
	if (p->t->guard != MCP_GUARD_NONE) {
		guard_url(p, x, url);
		curl_easy_setopt(x->h, CURLOPT_PREREQFUNCTION, guard_prereq);
		curl_easy_setopt(x->h, CURLOPT_PREREQDATA, x);
	}
	x->hdrs = curl_slist_append(x->hdrs, p->region_hdr);
	if (dest != D_TARGET)
		return x->hdrs == NULL ? -1 : 0;
	/*
	 * The credential goes only to the server's endpoint and to the
	 * HTTP+SSE endpoint (same origin, checked when it was named): never
	 * to a discovery document or anywhere else a server points at.
	 */
	if (p->auth_hdr != NULL && (url == p->t->url || url == p->post_url))
		x->hdrs = curl_slist_append(x->hdrs, p->auth_hdr);
	/* The target's headers go to every request at its origin, no further. */
	if (p->nhdr > 0 && x->hdrs != NULL &&
	    (url == p->t->url || url == p->post_url || same_origin(p, url)))
		for (i = 0; i < p->nhdr && x->hdrs != NULL; i++)
			x->hdrs = curl_slist_append(x->hdrs, p->hdr[i]);
	return x->hdrs == NULL ? -1 : 0;
}

static int
setup(struct probe *p, struct xfer *x, const char *url)
{
	return setup_for(p, x, url, D_TARGET);
}

static int
start(struct xfer *x, void (*done)(struct xfer *, CURLcode))
{
	curl_easy_setopt(x->h, CURLOPT_HTTPHEADER, x->hdrs);
	x->done = done;
	x->started = mcp_mono();
	if (curl_multi_add_handle(runner_multi(x->p->r), x->h) != CURLM_OK)
		return -1;
	x->active = 1;
	return 0;
}

static int
add_hdr(struct xfer *x, const char *name, const char *value)
{
	char line[1200];
	struct curl_slist *l;
	int n;

	n = snprintf(line, sizeof(line), "%s: %s", name, value);
	if (n < 0 || (size_t)n >= sizeof(line))
		return -1;
	if ((l = curl_slist_append(x->hdrs, line)) == NULL)
		return -1;
	x->hdrs = l;
	return 0;
}

/* A header value that is not header-safe travels as =?base64?…?= (2026-07-28). */
static int
add_safe_hdr(struct xfer *x, const char *name, const char *value)
{
	unsigned char enc[800];
	char line[900];
	size_t n = strlen(value), i;
	int safe = n > 0 && value[0] != ' ' && value[n - 1] != ' ';

	for (i = 0; safe && i < n; i++)
		safe = (unsigned char)value[i] >= 0x20 && (unsigned char)value[i] <= 0x7e;
	if (safe)
		return add_hdr(x, name, value);
	if (n > 580)
		return -1;
	EVP_EncodeBlock(enc, (const unsigned char *)value, (int)n);
	snprintf(line, sizeof(line), "=?base64?%s?=", enc);
	return add_hdr(x, name, line);
}

/*
 * Who is asking, in every era: {"name":"mcp-probe","version":…} under key,
 * or the client p asks as (cloak.c).
 */
void
client_info(const struct probe *p, cJSON *parent, const char *key)
{
	cJSON *ci = cJSON_AddObjectToObject(parent, key);

	cJSON_AddStringToObject(ci, "name", p->as != NULL ? p->as->client : "mcp-probe");
	cJSON_AddStringToObject(ci, "version", p->as != NULL ? p->as->version : MCP_VERSION);
}

/* Modern requests carry the protocol version and capabilities in _meta. */
static cJSON *
modern_params(const struct probe *p, cJSON *params)
{
	cJSON *meta;

	if (params == NULL)
		params = cJSON_CreateObject();
	meta = cJSON_AddObjectToObject(params, "_meta");
	cJSON_AddStringToObject(meta, "io.modelcontextprotocol/protocolVersion",
	    p->hdr_version != NULL ? p->hdr_version : MODERN_VERSION);
	cJSON_AddObjectToObject(meta, "io.modelcontextprotocol/clientCapabilities");
	client_info(p, meta, "io.modelcontextprotocol/clientInfo");
	return params;
}

/* The step whose span a request of method belongs to (mcp-otlp(1)), or NULL. */
static const char *
method_step(const char *method)
{
	if (strcmp(method, "initialize") == 0 || strcmp(method, "server/discover") == 0 ||
	    strcmp(method, "notifications/initialized") == 0)
		return "initialize";
	if (strcmp(method, "tools/list") == 0)
		return "tools_list";
	if (strcmp(method, "tools/call") == 0 || strcmp(method, "ping") == 0)
		return "call";
	return NULL;
}

/*
 * --traceparent, traceparent=1: the W3C traceparent of the step's span
 * (lib/trace.h) in params._meta, unprefixed as OpenTelemetry's MCP
 * conventions carry it, and in the traceparent header.  Off, nothing.
 */
static cJSON *
trace_params(struct probe *p, const char *method, cJSON *params, char *tp)
{
	const char *step = method_step(method);
	cJSON *meta;

	tp[0] = '\0';
	if ((!p->o->traceparent && !p->t->traceparent) || step == NULL)
		return params;
	mcp_traceparent(p->id, step, tp);
	if (params == NULL)
		params = cJSON_CreateObject();
	meta = cJSON_GetObjectItemCaseSensitive(params, "_meta");
	if (!cJSON_IsObject(meta))
		meta = cJSON_AddObjectToObject(params, "_meta");
	cJSON_AddStringToObject(meta, "traceparent", tp);
	return params;
}

static int
post_headers(
    struct probe *p, struct xfer *x, const char *method, const cJSON *params, const char *tp)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(params, "name");
	char why[256];

	if (add_hdr(x, "Content-Type", "application/json") == -1)
		return -1;
	if (tp[0] != '\0' && add_hdr(x, "traceparent", tp) == -1)
		return -1;
	/* A readiness request's (ready.c): a foreign Origin. */
	if (p->hdr_origin != NULL && add_hdr(x, "Origin", p->hdr_origin) == -1)
		return -1;
	if (p->mode == MODE_SSE)
		return 0;
	if (add_hdr(x, "Accept", "application/json, text/event-stream") == -1)
		return -1;
	if (p->mode == MODE_MODERN) {
		if (add_hdr(x, "MCP-Protocol-Version",
		        p->hdr_version != NULL ? p->hdr_version : MODERN_VERSION) == -1 ||
		    add_hdr(x, "Mcp-Method", p->hdr_method != NULL ? p->hdr_method : method) == -1)
			return -1;
		if (strcmp(method, "tools/call") == 0 && cJSON_IsString(name) &&
		    (add_safe_hdr(x, "Mcp-Name", name->valuestring) == -1 ||
		        param_headers(p, name->valuestring,
		            cJSON_GetObjectItemCaseSensitive(params, "arguments"), &x->hdrs, why,
		            sizeof(why)) == -1))
			return -1;
		return 0;
	}
	if (p->session != NULL && add_hdr(x, "Mcp-Session-Id", p->session) == -1)
		return -1;
	if (p->proto[0] != '\0' && add_hdr(x, "MCP-Protocol-Version", p->proto) == -1)
		return -1;
	return 0;
}

int
xfer_post(struct probe *p, struct xfer *x, const char *method, cJSON *params, long id,
    void (*done)(struct xfer *, CURLcode))
{
	char err[128], tp[MCP_TRACEPARENT_SIZE];
	cJSON *msg;
	int rc;

	if (p->mode == MODE_MODERN)
		params = modern_params(p, params);
	params = trace_params(p, method, params, tp);
	if (setup(p, x, p->mode == MODE_SSE ? p->post_url : p->t->url) == -1 ||
	    (msg = cJSON_CreateObject()) == NULL) {
		cJSON_Delete(params);
		return -1;
	}
	cJSON_AddStringToObject(msg, "jsonrpc", "2.0");
	if (id >= 0)
		cJSON_AddNumberToObject(msg, "id", (double)id);
	cJSON_AddStringToObject(msg, "method", method);
	if (params != NULL)
		cJSON_AddItemToObject(msg, "params", params);
	rc = mcp_json_write(&x->req, msg, err, sizeof(err));
	if (rc == 0)
		rc = post_headers(p, x, method, params, tp);
	cJSON_Delete(msg);
	if (rc == -1)
		return -1;
	x->want_id = id;
	curl_easy_setopt(x->h, CURLOPT_POSTFIELDS, x->req.p);
	curl_easy_setopt(x->h, CURLOPT_POSTFIELDSIZE, (long)x->req.len);
	if (p->mode == MODE_SSE) {
		p->next = done;
		done = sse_post_done;
	}
	return start(x, done);
}

int
xfer_get(struct probe *p, struct xfer *x, const char *url, const char *accept,
    void (*done)(struct xfer *, CURLcode))
{
	if (setup(p, x, url) == -1)
		return -1;
	x->want_id = -1;
	if (add_hdr(x, "Accept", accept) == -1)
		return -1;
	curl_easy_setopt(x->h, CURLOPT_HTTPGET, 1L);
	return start(x, done);
}

/*
 * A GET of a Server Card (card.c): to the target's address (connect_to,
 * the guard) but with none of its credentials nor headers, the answer
 * capped at cap bytes.
 */
int
xfer_card(struct probe *p, struct xfer *x, const char *url, size_t cap,
    void (*done)(struct xfer *, CURLcode))
{
	if (setup_for(p, x, url, D_BARE) == -1 ||
	    add_hdr(x, "Accept", "application/mcp-server-card+json, application/json") == -1)
		return -1;
	x->resp.max = cap;
	x->want_id = -1;
	return start(x, done);
}

/* Plain HTTP to the authorization server goes only to a loopback address. */
static int
on_prereq(void *arg, char *ip, char *local, int port, int lport)
{
	struct xfer *x = arg;

	(void)local, (void)port, (void)lport;
	if (x->p->t->guard != MCP_GUARD_NONE &&
	    guard_prereq(arg, ip, local, port, lport) != CURL_PREREQFUNC_OK)
		return CURL_PREREQFUNC_ABORT;
	if (mcp_addr_loopback(ip))
		return CURL_PREREQFUNC_OK;
	x->refused = 1;
	return CURL_PREREQFUNC_ABORT;
}

/*
 * A request to the pinned authorization server (probe/oauth.c): a GET of
 * its metadata, or a POST of form with HTTP Basic basic (or none).  The
 * answer is capped at cap bytes.
 */
int
xfer_oauth(struct probe *p, struct xfer *x, const char *url, const char *form, const char *basic,
    size_t cap, void (*done)(struct xfer *, CURLcode))
{
	struct curl_slist *l;
	char *line = NULL;

	if (setup_for(p, x, url, D_FOREIGN) == -1 || add_hdr(x, "Accept", "application/json") == -1)
		return -1;
	x->resp.max = cap;
	x->want_id = -1;
	x->foreign = 1;
	x->req.wipe = x->resp.wipe = 1;
	/* Anything but https is plain HTTP, to a loopback address only. */
	if (strncasecmp(url, "https://", 8) != 0) {
		curl_easy_setopt(x->h, CURLOPT_PREREQFUNCTION, on_prereq);
		curl_easy_setopt(x->h, CURLOPT_PREREQDATA, x);
	}
	if (basic != NULL) {
		if (asprintf(&line, "Authorization: Basic %s", basic) == -1)
			return -1;
		l = curl_slist_append(x->hdrs, line);
		mcp_wipe_free(&line);
		if (l == NULL)
			return -1;
		x->hdrs = l;
	}
	if (form != NULL) {
		if (mcp_buf_adds(&x->req, form) == -1)
			return -1;
		curl_easy_setopt(x->h, CURLOPT_POSTFIELDS, x->req.p);
		curl_easy_setopt(x->h, CURLOPT_POSTFIELDSIZE, (long)x->req.len);
	}
	return start(x, done);
}

int
xfer_delete(struct probe *p, struct xfer *x, void (*done)(struct xfer *, CURLcode))
{
	if (setup(p, x, p->t->url) == -1)
		return -1;
	x->want_id = -1;
	if (add_hdr(x, "Mcp-Session-Id", p->session) == -1)
		return -1;
	if (p->proto[0] != '\0' && add_hdr(x, "MCP-Protocol-Version", p->proto) == -1)
		return -1;
	/* Closing the session is worth two seconds even past the deadline. */
	if (p->deadline - mcp_mono() < 2.0)
		curl_easy_setopt(x->h, CURLOPT_TIMEOUT_MS, 2000L);
	curl_easy_setopt(x->h, CURLOPT_CUSTOMREQUEST, "DELETE");
	curl_easy_setopt(x->h, CURLOPT_NOBODY, 1L);
	return start(x, done);
}

/* A JSON reply, read whole: the message for us, or whatever object it is. */
static void
parse_json_body(struct xfer *x)
{
	cJSON *msg;

	if (x->msg != NULL || x->resp.len == 0)
		return;
	if ((msg = answer_parse(x->p, x->resp.p, x->resp.len, &x->bad_json)) == NULL)
		return;
	if (cJSON_IsObject(msg)) {
		x->msg = msg;
		/* The answer is its tree now: a large one is not held twice. */
		if (x->status >= 200 && x->status <= 299 && x->want_id >= 0 && id_ok(x))
			mcp_buf_free(&x->resp);
		return;
	}
	x->bad_json = "not a JSON object";
	cJSON_Delete(msg);
}

/*
 * A legacy event stream that closed after an event id but before our
 * answer is resumed (2025-11-25): after its retry delay, a GET with
 * Last-Event-ID.  Returns 1 when the resumption is scheduled.
 */
static int
resumable(struct xfer *x, CURLcode rc)
{
	struct probe *p = x->p;
	double wait;

	if (!x->is_sse || rc != CURLE_OK || x->msg != NULL || x->want_id < 0 ||
	    p->mode != MODE_LEGACY || x->sse.id.len == 0 || x->status < 200 || x->status > 299 ||
	    p->resumes >= 3 || x->sse.id.len >= sizeof(p->last_event_id))
		return 0;
	wait = x->sse.retry >= 0 ? x->sse.retry / 1000.0 : 1.0;
	if (mcp_mono() + wait >= p->deadline)
		return 0;
	p->resumes++;
	memcpy(p->last_event_id, x->sse.id.p, x->sse.id.len + 1);
	p->resume_id = x->want_id;
	p->resume_done = x->done;
	p->resume_at = mcp_mono() + wait;
	runner_poke(p->r, p);
	return 1;
}

/*
 * The answer to a server-to-client request: ping is answered, anything
 * else is a method the probe does not have (it declares no capabilities).
 */
int
xfer_answer(
    struct probe *p, struct xfer *x, const cJSON *req, void (*done)(struct xfer *, CURLcode))
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(req, "method");
	const char *url = p->mode == MODE_SSE ? p->post_url : p->t->url;
	char err[128];
	cJSON *msg, *e;
	int rc;

	/* An HTTP+SSE request asked before the endpoint is known, or after it is gone. */
	if (url == NULL || setup(p, x, url) == -1 || (msg = cJSON_CreateObject()) == NULL)
		return -1;
	cJSON_AddStringToObject(msg, "jsonrpc", "2.0");
	cJSON_AddItemToObject(
	    msg, "id", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(req, "id"), 1));
	if (cJSON_IsString(m))
		ready_asked(p, m->valuestring);
	if (cJSON_IsString(m) && strcmp(m->valuestring, "ping") == 0) {
		cJSON_AddObjectToObject(msg, "result");
	} else {
		e = cJSON_AddObjectToObject(msg, "error");
		cJSON_AddNumberToObject(e, "code", -32601);
		cJSON_AddStringToObject(e, "message", "Method not found");
	}
	rc = mcp_json_write(&x->req, msg, err, sizeof(err));
	cJSON_Delete(msg);
	if (rc == -1 || post_headers(p, x, "", NULL, "") == -1)
		return -1;
	x->want_id = -1;
	curl_easy_setopt(x->h, CURLOPT_POSTFIELDS, x->req.p);
	curl_easy_setopt(x->h, CURLOPT_POSTFIELDSIZE, (long)x->req.len);
	return start(x, done);
}

int
xfer_resume(struct probe *p, struct xfer *x)
{
	if (setup(p, x, p->t->url) == -1)
		return -1;
	x->want_id = p->resume_id;
	if (add_hdr(x, "Accept", "text/event-stream") == -1 ||
	    add_hdr(x, "Last-Event-ID", p->last_event_id) == -1)
		return -1;
	if (p->session != NULL && add_hdr(x, "Mcp-Session-Id", p->session) == -1)
		return -1;
	if (p->proto[0] != '\0' && add_hdr(x, "MCP-Protocol-Version", p->proto) == -1)
		return -1;
	curl_easy_setopt(x->h, CURLOPT_HTTPGET, 1L);
	return start(x, p->resume_done);
}

void
xfer_complete(struct xfer *x, CURLcode rc)
{
	if (x->active) {
		curl_multi_remove_handle(runner_multi(x->p->r), x->h);
		x->active = 0;
	}
	if (x->status == 0)
		curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &x->status);
	if (!x->is_sse && (rc == CURLE_OK || x->overflow == 0))
		parse_json_body(x);
	if (resumable(x, rc))
		return;
	x->done(x, rc);
}

double
xfer_time(struct xfer *x, CURLINFO what)
{
	curl_off_t us = 0;

	if (x->h == NULL || curl_easy_getinfo(x->h, what, &us) != CURLE_OK)
		return 0;
	return us / 1000.0;
}

void
xfer_reset(struct xfer *x)
{
	struct curl_slist *l;

	/* The copies curl took of the credential lines are wiped too. */
	for (l = x->hdrs; l != NULL; l = l->next)
		OPENSSL_cleanse(l->data, strlen(l->data));
	curl_slist_free_all(x->hdrs);
	x->hdrs = NULL;
	/* A token request's form and answer held secrets: wiped when freed. */
	mcp_buf_free(&x->req);
	mcp_buf_free(&x->resp);
	x->req.wipe = x->resp.wipe = 0;
	mcp_sse_free(&x->sse);
	free(x->www_auth);
	free(x->location);
	free(x->session);
	free(x->ctype);
	free(x->retry_after);
	free(x->acao);
	free(x->acac);
	x->www_auth = x->location = x->session = x->ctype = x->retry_after = NULL;
	x->acao = x->acac = NULL;
	cJSON_Delete(x->msg);
	x->msg = NULL;
	x->status = 0;
	x->hdr_bytes = 0;
	x->hdr_overflow = 0;
	x->got = 0;
	x->want_id = -1;
	x->bad_json = NULL;
	x->is_sse = x->overflow = x->headers_done = x->tls_seen = x->refused = x->foreign = 0;
	x->url_refused = x->admitted = 0;
	x->guard_why[0] = x->guard_ip[0] = '\0';
	if (x->paused) {
		x->paused = 0;
		place_unwait(x->p);
	}
	x->abort_at = 0;
	x->tcp_at = 0;
}

void
xfer_free(struct xfer *x)
{
	if (x->active && x->p != NULL)
		curl_multi_remove_handle(runner_multi(x->p->r), x->h);
	x->active = 0;
	xfer_reset(x);
	if (x->h != NULL)
		curl_easy_cleanup(x->h);
	x->h = NULL;
}
