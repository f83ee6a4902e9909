/*
 * grant.c - what the probe sends an authorization server and what it
 * takes back: the token request's form (client credentials, RFC 6749
 * §4.4, with client_secret_basic, client_secret_post or private_key_jwt,
 * RFC 7523 §2.2; or the JWT bearer grant, RFC 7523 §2.1), the answer read
 * as hostile text, and the OAuth settings of a target checked before the
 * run.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include "mcp.h"
#include "oauth.h"

#define TOKEN_MAX 16384
#define KEY_MAX 16384
/* The longest token lifetime kept: a year (RFC 6749 leaves it open). */
#define LIFE_MAX (366 * 86400.0)

static void
b64url(const unsigned char *in, size_t n, char *out)
{
	size_t k = (size_t)EVP_EncodeBlock((unsigned char *)out, in, (int)n), i;

	while (k > 0 && out[k - 1] == '=')
		k--;
	out[k] = '\0';
	for (i = 0; i < k; i++)
		if (out[i] == '+')
			out[i] = '-';
		else if (out[i] == '/')
			out[i] = '_';
}

static EVP_PKEY *
load_key(const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	EVP_PKEY *k;

	if (b == NULL)
		return NULL;
	k = PEM_read_bio_PrivateKey(b, NULL, NULL, (void *)"");
	BIO_free(b);
	return k;
}

/* "ES256" for a P-256 key, "RS256" for RSA of 2048 bits or more, else NULL. */
static const char *
key_alg(EVP_PKEY *k)
{
	char g[64];
	size_t n;

	if (EVP_PKEY_is_a(k, "RSA"))
		return EVP_PKEY_get_bits(k) >= 2048 && EVP_PKEY_get_bits(k) <= 8192 ? "RS256"
		                                                                    : NULL;
	if (EVP_PKEY_is_a(k, "EC") && EVP_PKEY_get_group_name(k, g, sizeof(g), &n) == 1 &&
	    strcmp(g, "prime256v1") == 0)
		return "ES256";
	return NULL;
}

/*
 * The private_key_jwt client assertion (RFC 7523 §3): iss and sub the
 * client, aud the issuer, five minutes of life, a fresh jti.
 */
static char *
client_jwt(const char *pem, const char *client, const char *aud)
{
	unsigned char sig[1024], raw[64], rnd[16];
	char *h = NULL, *pl = NULL, *out = NULL, *in = NULL, jti[33];
	EVP_PKEY *k = load_key(pem);
	EVP_MD_CTX *md = NULL;
	ECDSA_SIG *es = NULL;
	const unsigned char *q;
	const char *alg;
	cJSON *o;
	size_t slen = sizeof(sig), n;
	double now = mcp_now();
	int i;

	if (k == NULL || (alg = key_alg(k)) == NULL || RAND_bytes(rnd, sizeof(rnd)) != 1)
		goto out;
	for (i = 0; i < 16; i++)
		snprintf(jti + 2 * i, 3, "%02x", rnd[i]);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "alg", alg);
	cJSON_AddStringToObject(o, "typ", "JWT");
	h = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "iss", client);
	cJSON_AddStringToObject(o, "sub", client);
	cJSON_AddStringToObject(o, "aud", aud);
	cJSON_AddNumberToObject(o, "iat", (double)(long)now);
	cJSON_AddNumberToObject(o, "exp", (double)(long)now + 300);
	cJSON_AddStringToObject(o, "jti", jti);
	pl = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (h == NULL || pl == NULL)
		goto out;
	n = 4 * (strlen(h) + strlen(pl)) / 3 + 16;
	if ((in = malloc(n)) == NULL || (out = malloc(n + 8 + 4 * sizeof(sig) / 3)) == NULL)
		goto out;
	b64url((unsigned char *)h, strlen(h), in);
	n = strlen(in);
	in[n++] = '.';
	b64url((unsigned char *)pl, strlen(pl), in + n);
	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k) != 1 ||
	    EVP_DigestSign(md, sig, &slen, (unsigned char *)in, strlen(in)) != 1)
		goto bad;
	if (strcmp(alg, "ES256") == 0) {
		/* JWS wants r || s, 32 bytes each, not DER (RFC 7518 §3.4). */
		q = sig;
		if ((es = d2i_ECDSA_SIG(NULL, &q, (long)slen)) == NULL ||
		    BN_bn2binpad(ECDSA_SIG_get0_r(es), raw, 32) != 32 ||
		    BN_bn2binpad(ECDSA_SIG_get0_s(es), raw + 32, 32) != 32)
			goto bad;
		memcpy(sig, raw, 64);
		slen = 64;
	}
	n = (size_t)snprintf(out, 4 * (strlen(h) + strlen(pl)) / 3 + 16, "%s.", in);
	b64url(sig, slen, out + n);
	goto out;
bad:
	free(out);
	out = NULL;
out:
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(k);
	free(h);
	free(pl);
	free(in);
	return out;
}

/* Form field name=value&, the value percent-encoded. */
static int
form(struct mcp_buf *b, const char *name, const char *value)
{
	char *e = curl_easy_escape(NULL, value, 0);
	int rc;

	if (e == NULL)
		return -1;
	rc = mcp_buf_addf(b, "%s%s=%s", b->len ? "&" : "", name, e);
	OPENSSL_cleanse(e, strlen(e));
	curl_free(e);
	return rc;
}

/* client_secret_basic: base64 of urlencoded id ":" urlencoded secret (RFC 6749 §2.3.1). */
static char *
basic_of(const char *id, const char *secret)
{
	char *a = curl_easy_escape(NULL, id, 0), *b = curl_easy_escape(NULL, secret, 0), *up = NULL;
	char *out = NULL;
	size_t n;

	if (a != NULL && b != NULL && asprintf(&up, "%s:%s", a, b) != -1 &&
	    (out = malloc(4 * (strlen(up) + 2) / 3 + 1)) != NULL)
		EVP_EncodeBlock((unsigned char *)out, (unsigned char *)up, (int)strlen(up));
	if (up != NULL) {
		n = strlen(up);
		OPENSSL_cleanse(up, n);
		free(up);
	}
	if (b != NULL)
		OPENSSL_cleanse(b, strlen(b));
	curl_free(a);
	curl_free(b);
	return out;
}

/* 1 when the server lists method, or lists none (RFC 8414 default basic). */
static int
method_ok(const cJSON *m, const char *method)
{
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(
	                m, "token_endpoint_auth_methods_supported"),
	            *e;

	if (!cJSON_IsArray(l))
		return strcmp(method, "client_secret_basic") == 0;
	cJSON_ArrayForEach(e, l)
	{
		if (cJSON_IsString(e) && strcmp(e->valuestring, method) == 0)
			return 1;
	}
	return 0;
}

/* The grant and client authentication this target uses. */
const char *
grant_of(const struct mcp_target *t, const cJSON *m)
{
	if (t->oauth_assertion != NULL)
		return "jwt-bearer";
	if (t->oauth_key != NULL)
		return "private_key_jwt";
	if (!method_ok(m, "client_secret_basic") && method_ok(m, "client_secret_post"))
		return "client_secret_post";
	return "client_secret_basic";
}

/*
 * The error code of an authorization server's refusal (RFC 6749 §5.2):
 * NQSCHAR, at most 64 of them, or "no error code".  Its description and
 * anything else it sent are never copied.
 */
void
grant_error(const cJSON *answer, char *buf, size_t len)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(answer, "error");
	const char *v = cJSON_GetStringValue(e);
	size_t i, n = v != NULL ? strlen(v) : 0;

	snprintf(buf, len, "no error code");
	if (n == 0 || n > 64)
		return;
	for (i = 0; i < n; i++)
		if (v[i] < 0x20 || v[i] > 0x7e || v[i] == '"' || v[i] == '\\')
			return;
	snprintf(buf, len, "%s", v);
}

/* A token is sent as a header value: printable ASCII, no blanks around. */
int
grant_token_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > TOKEN_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] <= 0x20 || s[i] > 0x7e)
			return 0;
	return 1;
}

/*
 * The token of a 200 answer: owned, or NULL with why.  *life is its
 * lifetime in seconds when the answer gave one that is an integer from 1
 * second to a year, else 0: the token is then kept for this run only.
 */
char *
grant_token(const cJSON *answer, double *life, char *why, size_t len)
{
	const cJSON *at = cJSON_GetObjectItemCaseSensitive(answer, "access_token");
	const cJSON *tt = cJSON_GetObjectItemCaseSensitive(answer, "token_type");
	const cJSON *ei = cJSON_GetObjectItemCaseSensitive(answer, "expires_in");
	char *tok;

	*life = 0;
	if (!cJSON_IsObject(answer)) {
		snprintf(why, len, "the token endpoint's answer is not a JSON object");
		return NULL;
	}
	if (!cJSON_IsString(at) || !grant_token_ok(at->valuestring)) {
		snprintf(why, len, "the token endpoint's answer has no usable access_token");
		return NULL;
	}
	if (cJSON_IsString(tt) && strcasecmp(tt->valuestring, "bearer") != 0) {
		snprintf(why, len, "token_type is not Bearer");
		return NULL;
	}
	if (cJSON_IsNumber(ei) && ei->valuedouble >= 1 && ei->valuedouble <= LIFE_MAX &&
	    ei->valuedouble == (double)(long)ei->valuedouble)
		*life = ei->valuedouble;
	if ((tok = strdup(at->valuestring)) == NULL)
		snprintf(why, len, "out of memory");
	return tok;
}

/*
 * The token request's form for kind, and the HTTP Basic value of
 * client_secret_basic in *basic (owned, wiped by the caller): 0, or -1
 * with why.  private_key_jwt's assertion has the pinned issuer as aud.
 */
int
grant_form(const struct mcp_target *t, const char *kind, const char *resource, const char *scope,
    struct mcp_buf *b, char **basic, char *why, size_t len)
{
	char *jwt = NULL;
	int bad = 0;

	*basic = NULL;
	if (strcmp(kind, "jwt-bearer") == 0) {
		bad |= form(b, "grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
		bad |= form(b, "assertion", t->oauth_assertion);
		if (t->oauth_client != NULL && t->oauth_secret == NULL && t->oauth_key == NULL)
			bad |= form(b, "client_id", t->oauth_client);
	} else {
		bad |= form(b, "grant_type", "client_credentials");
	}
	if (t->oauth_key != NULL) {
		if ((jwt = client_jwt(t->oauth_key, t->oauth_client, t->oauth_issuer)) == NULL) {
			snprintf(why, len, "the client assertion could not be signed");
			return -1;
		}
		bad |= form(b, "client_assertion_type",
		    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
		bad |= form(b, "client_assertion", jwt);
		mcp_wipe_free(&jwt);
	} else if (t->oauth_secret != NULL) {
		if (strcmp(kind, "client_secret_post") == 0) {
			bad |= form(b, "client_id", t->oauth_client);
			bad |= form(b, "client_secret", t->oauth_secret);
		} else if ((*basic = basic_of(t->oauth_client, t->oauth_secret)) == NULL) {
			bad = 1;
		}
	}
	bad |= form(b, "resource", resource);
	if (*scope != '\0')
		bad |= form(b, "scope", scope);
	if (bad) {
		mcp_wipe_free(basic);
		snprintf(why, len, "out of memory");
		return -1;
	}
	return 0;
}

/*
 * An issuer the operator may pin (RFC 8414 §2): an https URL with a host
 * and no query, fragment or userinfo; http only on a loopback host.
 */
static const char *
issuer_bad(const char *issuer)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *x = NULL;
	const char *why = NULL;

	if (u == NULL || curl_url_set(u, CURLUPART_URL, issuer, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		why = "not a URL";
	else if (curl_url_get(u, CURLUPART_QUERY, &x, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_FRAGMENT, &x, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_USER, &x, 0) == CURLUE_OK)
		why = "an issuer has no query, fragment or user";
	else if (strncmp(issuer, "https://", 8) != 0 &&
	    !(strncmp(issuer, "http://", 7) == 0 && mcp_url_loopback(issuer)))
		why = "want https (http only on a loopback host: localhost, 127.0.0.0/8, [::1])";
	curl_free(scheme);
	curl_free(host);
	curl_free(x);
	curl_url_cleanup(u);
	return why;
}

/* 1 when the target is to get its own tokens. */
int
oauth_wanted(const struct probe *p)
{
	return p->t->oauth_client != NULL || p->t->oauth_assertion_file != NULL;
}

/* Check and read the target's OAuth settings before the run (oauth.h). */
int
oauth_check(struct mcp_targets *ts, size_t i, const char *at)
{
	struct mcp_target *t = &ts->v[i];
	const char *bad;
	char why[256];
	EVP_PKEY *k;
	int n, j;

	n = (t->oauth_secret_file != NULL) + (t->oauth_key_file != NULL);
	if (t->oauth_client == NULL && t->oauth_assertion_file == NULL) {
		if (n > 0 || t->oauth_scope != NULL || t->oauth_issuer != NULL)
			return warnx("%s%s: OAuth settings without a client (oauth_client)", at,
			           t->slug),
			       -1;
		return 0;
	}
	/*
	 * Credentials go only to the authorization server the operator
	 * names, never to one a probed server names (RFC 9700 §4.4).
	 */
	if (t->oauth_issuer == NULL)
		return warnx(
		           "%s%s: OAuth credentials want the authorization server they belong to: "
		           "give %s",
		           at, t->slug, t->lineno > 0 ? "oauth_issuer=URL" : "--oauth-issuer URL"),
		       -1;
	if ((bad = issuer_bad(t->oauth_issuer)) != NULL)
		return warnx("%s%s: %s %s: %s", at, t->slug,
		           t->lineno > 0 ? "oauth_issuer" : "--oauth-issuer", t->oauth_issuer, bad),
		       -1;
	if (t->token_file != NULL)
		return warnx("%s%s: a token file and OAuth credentials: give one", at, t->slug), -1;
	for (j = 0; j < t->nheaders; j++)
		if (strcasecmp(t->headers[j].name, "Authorization") == 0)
			return warnx("%s%s: Authorization given twice (a header and OAuth "
			             "credentials)",
			           at, t->slug),
			       -1;
	if (n > 1)
		return warnx("%s%s: a client secret and a client key: give one", at, t->slug), -1;
	if (n == 0 && t->oauth_assertion_file == NULL)
		return warnx("%s%s: an OAuth client wants a secret, a key or an assertion file", at,
		           t->slug),
		       -1;
	if (n > 0 && t->oauth_client == NULL)
		return warnx("%s%s: a client secret or key wants the client id", at, t->slug), -1;
	if (t->oauth_secret_file != NULL &&
	    (t->oauth_secret = secret_once(t->oauth_secret_file, 0, why, sizeof(why))) == NULL)
		return warnx("%sOAuth secret file %s: %s", at, t->oauth_secret_file, why), -1;
	if (t->oauth_assertion_file != NULL &&
	    (t->oauth_assertion = secret_once(t->oauth_assertion_file, 0, why, sizeof(why))) ==
	        NULL)
		return warnx("%sOAuth assertion file %s: %s", at, t->oauth_assertion_file, why), -1;
	/* A targets file splits at blanks: several scopes are given with commas. */
	for (j = 0; t->lineno > 0 && t->oauth_scope != NULL && t->oauth_scope[j] != '\0'; j++)
		if (t->oauth_scope[j] == ',')
			t->oauth_scope[j] = ' ';
	if (t->oauth_key_file != NULL) {
		if ((t->oauth_key = secret_once(t->oauth_key_file, KEY_MAX, why, sizeof(why))) ==
		    NULL)
			return warnx("%sOAuth key file %s: %s", at, t->oauth_key_file, why), -1;
		k = load_key(t->oauth_key);
		if (k == NULL || key_alg(k) == NULL) {
			EVP_PKEY_free(k);
			return warnx("%sOAuth key file %s: want an unencrypted PEM private key, EC "
			             "P-256 "
			             "(ES256) or RSA of 2048 bits or more (RS256)",
			           at, t->oauth_key_file),
			       -1;
		}
		EVP_PKEY_free(k);
	}
	return 0;
}
