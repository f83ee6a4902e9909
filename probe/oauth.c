/*
 * oauth.c - OAuth machine credentials, the flow.  After a 401 whose
 * discovery found the protected resource metadata (or, for 2025-03-26
 * servers, authorization server metadata at the origin, which must name
 * that origin as its issuer: RFC 8414 §3.3), the probe checks that the
 * server names the authorization server the operator pinned
 * (--oauth-issuer), reads the pinned issuer's own metadata (RFC 8414, then
 * OpenID configuration) and requires its issuer to be the pin byte for
 * byte (RFC 8414 §3.3), asks that metadata's token endpoint for a token
 * for the target's own resource (RFC 8707), and starts the handshake again
 * with it.  A probed server is hostile: it never chooses where a
 * credential goes (RFC 9700 §4.4).  Both requests are transfers of the
 * run's event loop, bounded by the target's deadline, so an authorization
 * server that never answers holds only its own targets.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "mcp.h"
#include "oauth.h"

/* The most an authorization server's metadata or token answer may be. */
#define ANSWER_MAX (64 * 1024)

static void have_meta(struct probe *p, const cJSON *am);

static void fail(struct probe *p, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
fail(struct probe *p, const char *code, const char *fmt, ...)
{
	char *why;
	va_list ap;
	int rc;

	/* Whole: a secret in it is overwritten before it is cut (report.c). */
	va_start(ap, fmt);
	rc = vasprintf(&why, fmt, ap);
	va_end(ap);
	p->posture = "oauth-client";
	step_fail(p, S_AUTH, since(p->step_t0), code, "%s", rc == -1 ? "out of memory" : why);
	if (rc != -1)
		free(why);
	finish(p);
}

/*
 * NULL when the pinned issuer's token endpoint may be sent credentials:
 * https, or plain HTTP on loopback when the pin itself is (the address is
 * checked again when connected).
 */
static const char *
endpoint_bad(const char *pin, const char *te)
{
	if (strncmp(te, "https://", 8) == 0)
		return NULL;
	if (strncmp(te, "http://", 7) != 0)
		return "not an https URL";
	if (strncmp(pin, "http://", 7) != 0 || !mcp_url_loopback(te))
		return "plain HTTP off loopback";
	return NULL;
}

/* The n-th RFC 8414 / OpenID place of an issuer's metadata, into buf (probe.h). */
int
oauth_meta_place(const char *issuer, int n, char *buf, size_t len)
{
	const char *h = strstr(issuer, "://"), *path;
	size_t plen, olen;
	int k;

	if (h == NULL)
		return -1;
	path = h + 3 + strcspn(h + 3, "/?#");
	olen = (size_t)(path - issuer);
	plen = strcspn(path, "?#");
	while (plen > 0 && path[plen - 1] == '/')
		plen--;
	switch (n) {
	case 0:
		k = snprintf(buf, len, "%.*s/.well-known/oauth-authorization-server%.*s", (int)olen,
		    issuer, (int)plen, path);
		break;
	case 1:
		k = snprintf(buf, len, "%.*s/.well-known/openid-configuration%.*s", (int)olen,
		    issuer, (int)plen, path);
		break;
	case 2:
		if (plen == 0)
			return -1;
		k = snprintf(buf, len, "%.*s%.*s/.well-known/openid-configuration", (int)olen,
		    issuer, (int)plen, path);
		break;
	default:
		return -1;
	}
	return k < 0 || (size_t)k >= len ? -1 : 0;
}

/* Why a transfer to the authorization server failed, into buf. */
static const char *
xfer_why(const struct xfer *x, CURLcode rc, char *buf, size_t len)
{
	if (x->refused)
		snprintf(buf, len, "plain HTTP to an address off loopback: not sent");
	else if (x->overflow)
		snprintf(buf, len, "an answer over %d bytes", ANSWER_MAX);
	else if (rc != CURLE_OK)
		snprintf(buf, len, "%s", curl_easy_strerror(rc));
	else
		snprintf(buf, len, "HTTP %ld", x->status);
	return buf;
}

static void on_meta(struct xfer *x, CURLcode rc);

/* The next place of the pinned issuer's metadata, or the failure. */
static void
meta_next(struct probe *p)
{
	char url[2300];

	if (oauth_meta_place(p->t->oauth_issuer, p->oauth_place++, url, sizeof(url)) == -1) {
		fail(p, "oauth_discovery_failed",
		    "no usable metadata of the pinned authorization server %s (%s)",
		    p->t->oauth_issuer, p->oauth_why.p ? p->oauth_why.p : "no place to ask");
		return;
	}
	if (xfer_oauth(p, &p->x, url, NULL, NULL, ANSWER_MAX, on_meta) == -1)
		fail(p, "transfer_failed", "cannot start a request");
}

static void
on_meta(struct xfer *x, CURLcode rc)
{
	struct probe *p = x->p;
	const char *pin = p->t->oauth_issuer, *bad;
	const cJSON *iss, *te;
	char *url = NULL, w[200];
	cJSON *m;

	curl_easy_getinfo(x->h, CURLINFO_EFFECTIVE_URL, &url);
	if ((bad = xfer_refused(x, rc)) != NULL) {
		fail(p, "address_refused", "the metadata of the authorization server %s: %s", pin,
		    bad);
		return;
	}
	if (rc != CURLE_OK || x->status != 200 || !cJSON_IsObject(x->msg)) {
		if (rc == CURLE_OK && x->status == 200)
			snprintf(w, sizeof(w), "not a JSON object");
		else
			xfer_why(x, rc, w, sizeof(w));
		mcp_buf_addf(
		    &p->oauth_why, "%s%s: %s", p->oauth_why.len ? "; " : "", url ? url : "", w);
		meta_next(p);
		return;
	}
	/* Metadata that is wrong is the answer: no later place is asked. */
	iss = cJSON_GetObjectItemCaseSensitive(x->msg, "issuer");
	te = cJSON_GetObjectItemCaseSensitive(x->msg, "token_endpoint");
	if (!cJSON_IsString(iss) || strcmp(iss->valuestring, pin) != 0) {
		fail(p, "oauth_issuer_mismatch",
		    "the metadata at %s names the issuer %s, not the pinned %s: no credential "
		    "sent",
		    url ? url : "", cJSON_IsString(iss) ? iss->valuestring : "(none)", pin);
		return;
	}
	if (!cJSON_IsString(te)) {
		fail(
		    p, "oauth_discovery_failed", "the metadata of %s names no token_endpoint", pin);
		return;
	}
	if ((bad = endpoint_bad(pin, te->valuestring)) != NULL) {
		fail(p, "oauth_discovery_failed",
		    "the metadata of %s names a token_endpoint over %s: not asked", pin, bad);
		return;
	}
	m = x->msg;
	x->msg = NULL;
	have_meta(p, tokens_meta_put(pin, m));
}

/* The scope: the option's, else the challenge's, else the metadata's scopes_supported. */
static char *
scope_of(const struct probe *p, const cJSON *prm)
{
	const cJSON *ss = cJSON_GetObjectItemCaseSensitive(prm, "scopes_supported"), *e;
	struct mcp_buf b = {0};
	char v[1024];

	b.max = 4096;
	if (p->t->oauth_scope != NULL) {
		mcp_buf_adds(&b, p->t->oauth_scope);
	} else if (p->challenge != NULL &&
	    auth_param(p->challenge, "scope", v, sizeof(v)) != NULL && v[0] != '\0') {
		mcp_buf_adds(&b, v);
	} else {
		cJSON_ArrayForEach(e, ss)
		{
			if (cJSON_IsString(e))
				mcp_buf_addf(&b, "%s%s", b.len ? " " : "", e->valuestring);
		}
	}
	return b.p != NULL ? b.p : strdup("");
}

/* The token is got: the handshake again, with it. */
static void
use_token(struct probe *p, const cJSON *am, char *tok, double expires, const char *src)
{
	const cJSON *te = cJSON_GetObjectItemCaseSensitive(am, "token_endpoint");
	double net = 0;
	cJSON *d;
	int s;

	mcp_wipe_free(&p->oauth_token);
	mcp_wipe_free(&p->auth_hdr);
	p->oauth_token = tok;
	p->token = tok;
	if (asprintf(&p->auth_hdr, "Authorization: Bearer %s", tok) == -1) {
		p->auth_hdr = NULL;
		fail(p, "probe_error", "out of memory");
		return;
	}
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "posture", "oauth-client");
	cJSON_AddStringToObject(d, "issuer", p->t->oauth_issuer);
	cJSON_AddStringToObject(d, "token_endpoint", te->valuestring);
	cJSON_AddStringToObject(d, "grant", p->oauth_grant);
	cJSON_AddStringToObject(d, "resource", p->oauth_res);
	if (p->oauth_scope[0] != '\0')
		cJSON_AddStringToObject(d, "scope", p->oauth_scope);
	cJSON_AddStringToObject(d, "token_from", src);
	if (expires > 0)
		cJSON_AddNumberToObject(d, "token_expires_in", (double)(long)(expires - mcp_now()));
	cJSON_Delete(p->oauth_detail);
	p->oauth_detail = d;
	p->oauth_ms = since(p->step_t0);
	/* The handshake again, with the token: the http step is timed anew. */
	for (s = S_DNS; s <= S_TLS; s++)
		if (p->steps[s].status == ST_PASS)
			net += p->steps[s].ms;
	p->mono0 = mcp_mono() - net / 1000.0;
	p->steps[S_HTTP].status = ST_PENDING;
	p->cur = S_HTTP;
	detect_start(p);
}

static void
on_grant(struct xfer *x, CURLcode rc)
{
	struct probe *p = x->p;
	const cJSON *am = tokens_meta(p->t->oauth_issuer), *at;
	const char *te = cJSON_GetObjectItemCaseSensitive(am, "token_endpoint")->valuestring;
	char w[200], ec[80];
	double life = 0, expires = 0;
	char *tok = NULL;

	if (xfer_refused(x, rc) != NULL)
		fail(p, "address_refused", "the token endpoint %s: %s", te, xfer_refused(x, rc));
	else if (rc != CURLE_OK || x->refused || x->overflow)
		fail(p, "oauth_grant_failed", "the token endpoint %s: %s", te,
		    xfer_why(x, rc, w, sizeof(w)));
	else if (x->status != 200) {
		grant_error(x->msg, ec, sizeof(ec));
		fail(p, "oauth_grant_failed",
		    "the token endpoint %s refused the grant: HTTP %ld, %s", te, x->status, ec);
	} else if ((tok = grant_token(x->msg, &life, w, sizeof(w))) == NULL)
		fail(p, "oauth_grant_failed", "%s (%s)", w, te);
	at = cJSON_GetObjectItemCaseSensitive(x->msg, "access_token");
	if (cJSON_IsString(at))
		OPENSSL_cleanse(at->valuestring, strlen(at->valuestring));
	if (tok == NULL)
		return;
	/* Used until shortly before it expires: a tenth of its life early, at most a minute. */
	if (life > 0)
		expires = mcp_now() + life - (life / 10 < 60 ? life / 10 : 60);
	tokens_put(p, p->oauth_key, p->t->oauth_issuer, p->oauth_res, tok, expires, 1);
	use_token(p, am, tok, expires, "grant");
}

/* The pinned issuer's metadata am is known: a token from a cache, or the grant. */
static void
have_meta(struct probe *p, const cJSON *am)
{
	const struct mcp_target *t = p->t;
	const char *te = cJSON_GetObjectItemCaseSensitive(am, "token_endpoint")->valuestring;
	const char *src;
	struct mcp_buf form = {0};
	char *tok, *basic = NULL, why[300];
	double expires = 0;
	int rc;

	p->oauth_grant = grant_of(t, am);
	tokens_key(t->oauth_issuer, t->oauth_client ? t->oauth_client : "", p->oauth_res,
	    p->oauth_scope, p->oauth_grant, p->oauth_key);
	tok = tokens_get(p, p->oauth_key, t->oauth_issuer, p->oauth_res, &expires, &src);
	if (tok != NULL) {
		use_token(p, am, tok, expires, src);
		return;
	}
	form.wipe = 1;
	if (grant_form(t, p->oauth_grant, p->oauth_res, p->oauth_scope, &form, &basic, why,
	        sizeof(why)) == -1) {
		mcp_buf_free(&form);
		fail(p, "oauth_grant_failed", "%s", why);
		return;
	}
	p->oauth_tries++;
	rc = xfer_oauth(p, &p->x, te, form.p, basic, ANSWER_MAX, on_grant);
	mcp_buf_free(&form);
	mcp_wipe_free(&basic);
	if (rc == -1)
		fail(p, "transfer_failed", "cannot start a request");
}

/*
 * 1 when url is where issuer's metadata is (RFC 8414 §3.1, the first
 * place): the metadata fetched there may name that issuer only (§3.3).
 * Scheme and host are compared in any case, a default port as none.
 */
static int
issuer_at(const char *issuer, const char *url)
{
	char place[2300], a[2300], b[2300];

	return oauth_meta_place(issuer, 0, place, sizeof(place)) == 0 &&
	    url_canonical(place, a, sizeof(a)) == 0 && url_canonical(url, b, sizeof(b)) == 0 &&
	    strcmp(a, b) == 0;
}

/* The authorization servers the metadata names, for a message. */
static void
names_of(const cJSON *as, char *buf, size_t len)
{
	const cJSON *e;
	size_t n = 0;
	int k = 0;

	buf[0] = '\0';
	cJSON_ArrayForEach(e, as)
	{
		if (k++ == 4) {
			snprintf(buf + n, len - n, ", ...");
			return;
		}
		if (cJSON_IsString(e) && n < len)
			n += (size_t)snprintf(
			    buf + n, len - n, "%s%s", n ? ", " : "", e->valuestring);
		if (n >= len)
			return;
	}
}

/* 1 when the metadata lists the pinned issuer, byte for byte. */
static int
lists_pin(const cJSON *as, const char *pin)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, as)
	{
		if (cJSON_IsString(e) && strcmp(e->valuestring, pin) == 0)
			return 1;
	}
	return 0;
}

void
oauth_start(struct probe *p, const cJSON *m, int as_meta_given)
{
	const char *pin = p->t->oauth_issuer;
	const cJSON *as, *iss;
	char names[1200], canon[2048];

	if (m != p->oauth_prm) {
		cJSON_Delete(p->oauth_prm);
		p->oauth_prm = cJSON_Duplicate(m, 1);
		p->oauth_as_meta = as_meta_given;
		m = p->oauth_prm;
	}
	if (as_meta_given) {
		/*
		 * 2025-03-26: the origin's metadata must be its own (RFC 8414
		 * §3.3), and the origin the pinned server.
		 */
		iss = cJSON_GetObjectItemCaseSensitive(m, "issuer");
		if (cJSON_IsString(iss) && !issuer_at(iss->valuestring, p->prm_url)) {
			fail(p, "oauth_issuer_mismatch",
			    "the authorization server metadata at %s names the issuer %s, not the "
			    "one it was fetched for (RFC 8414 section 3.3): no credential sent",
			    p->prm_url, iss->valuestring);
			return;
		}
		if (!cJSON_IsString(iss) || strcmp(iss->valuestring, pin) != 0) {
			fail(p, "oauth_issuer_mismatch",
			    "the authorization server metadata at %s names the issuer %s, not the "
			    "pinned %s: no credential sent",
			    p->prm_url, cJSON_IsString(iss) ? iss->valuestring : "(none)", pin);
			return;
		}
	} else {
		as = cJSON_GetObjectItemCaseSensitive(m, "authorization_servers");
		if (!lists_pin(as, pin)) {
			names_of(as, names, sizeof(names));
			fail(p, "oauth_issuer_mismatch",
			    "the protected resource metadata names the authorization servers %s, "
			    "not "
			    "the pinned %s: no credential sent",
			    names, pin);
			return;
		}
	}
	/*
	 * The token's audience is the target's own canonical URI (RFC 8707,
	 * the MCP spec): never a wider resource its metadata may claim (a
	 * parent path would make one token good for every server under it),
	 * and never a form the server chose.
	 */
	if (url_canonical(p->t->url, canon, sizeof(canon)) == -1) {
		fail(p, "oauth_discovery_failed", "the target's URL has no canonical form");
		return;
	}
	free(p->oauth_res);
	free(p->oauth_scope);
	p->oauth_res = strdup(canon);
	p->oauth_scope = scope_of(p, m);
	if (p->oauth_res == NULL || p->oauth_scope == NULL) {
		fail(p, "probe_error", "out of memory");
		return;
	}
	p->oauth_place = 0;
	mcp_buf_free(&p->oauth_why);
	p->oauth_why.max = 2048;
	if ((m = tokens_meta(pin)) != NULL)
		have_meta(p, m);
	else
		meta_next(p);
}

void
oauth_no_metadata(struct probe *p)
{
	fail(p, "oauth_discovery_failed",
	    "401, and no protected resource metadata anywhere to find an authorization "
	    "server in (%s)",
	    p->prm_why.p ? p->prm_why.p : "");
}

int
oauth_rejected(struct probe *p)
{
	if (p->oauth_token == NULL || p->oauth_tries > 0 || p->oauth_retried ||
	    p->oauth_prm == NULL)
		return 0;
	p->oauth_retried = 1;
	/* A cached token the server no longer takes: forget it, ask once. */
	tokens_drop(p, p->oauth_key);
	p->step_t0 = mcp_mono();
	oauth_start(p, p->oauth_prm, p->oauth_as_meta);
	return 1;
}
