/*
 * oauth.c - OAuth machine credentials.  After a 401 whose discovery found
 * the protected resource metadata, the probe finds the authorization
 * server it names (RFC 8414, then OpenID configuration), asks its token
 * endpoint for a token (client credentials, RFC 6749 §4.4, with
 * client_secret_basic, client_secret_post or private_key_jwt, RFC 7523 §2.2;
 * or the JWT bearer grant, RFC 7523 §2.1), and starts the handshake again
 * with it.  The two requests to the authorization server are blocking
 * libcurl easy calls inside the auth step, bounded by the target's
 * deadline: a grant is asked once per token lifetime (the caches), the
 * metadata once per run and server.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "mcp.h"
#include "oauth.h"

#define BODY_MAX (64 * 1024)
#define TOKEN_MAX 16384
#define KEY_MAX 16384

/* A token held for a (token endpoint, client, resource, scope). */
struct tok {
	struct tok *next;
	char key[65];   /* sha256 hex of the tuple and the credential kind */
	char *token;    /* wiped */
	double expires; /* epoch: use until then */
};

/* Authorization server metadata, once per run and server. */
struct asm
{
	struct asm *next;
	char *url;
	cJSON *m; /* NULL: it failed, why in why */
	char why[2600];
};

static struct tok *toks;
static struct asm *asms;

/* One bounded buffer that is never moved: a token read into it is wiped. */
struct body {
	char *p;
	size_t len;
	int over;
};

struct req {
	struct body b;
	int plain;   /* the URL is http: */
	int refused; /* plain HTTP off loopback: not sent */
	long status;
};

int
oauth_wanted(const struct probe *p)
{
	return p->t->oauth_client != NULL || p->t->oauth_assertion_file != NULL;
}

static int
loopback_ip(const char *a)
{
	return strncmp(a, "127.", 4) == 0 || strcmp(a, "::1") == 0 ||
	    strncmp(a, "::ffff:127.", 11) == 0;
}

/* Host names that can only be loopback, for the check before any request. */
static int
loopback_url(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL;
	int ok = 0;

	if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
		ok = strcasecmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 ||
		    strcmp(host, "[::1]") == 0;
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

/* NULL when url may be asked for metadata or tokens, else why not. */
static const char *
url_bad(const char *url)
{
	if (strncmp(url, "https://", 8) == 0)
		return NULL;
	if (strncmp(url, "http://", 7) == 0)
		return loopback_url(url) ? NULL : "plain HTTP off loopback";
	return "not an https URL";
}

static size_t
on_data(char *d, size_t sz, size_t n, void *u)
{
	struct req *r = u;

	n *= sz;
	if (r->b.len + n >= BODY_MAX) {
		r->b.over = 1;
		return 0;
	}
	memcpy(r->b.p + r->b.len, d, n);
	r->b.len += n;
	r->b.p[r->b.len] = '\0';
	return n;
}

/* The address is known and nothing is sent yet: plain HTTP only to loopback. */
static int
on_prereq(void *u, char *ip, char *local, int port, int lport)
{
	struct req *r = u;

	(void)local, (void)port, (void)lport;
	if (r->plain && !loopback_ip(ip)) {
		r->refused = 1;
		return CURL_PREREQFUNC_ABORT;
	}
	return CURL_PREREQFUNC_OK;
}

static void
req_free(struct req *r)
{
	if (r->b.p != NULL) {
		OPENSSL_cleanse(r->b.p, BODY_MAX);
		free(r->b.p);
	}
	memset(r, 0, sizeof(*r));
}

/*
 * One blocking request (a GET, or a form POST of body), bounded by the
 * request timeout and the target's deadline.  0 with the answer in r,
 * or -1 with why.
 */
static int
fetch(struct probe *p, const char *url, const char *body, const char *basic, struct req *r,
    char *why, size_t len)
{
	double left = p->deadline - mcp_mono();
	struct curl_slist *h = NULL, *l;
	char line[64 + TOKEN_MAX];
	CURLcode rc;
	CURL *c;

	memset(r, 0, sizeof(*r));
	if (left > p->o->req_timeout)
		left = p->o->req_timeout;
	if (left < 0.001) {
		snprintf(why, len, "the target's deadline passed");
		return -1;
	}
	if ((r->b.p = malloc(BODY_MAX)) == NULL || (c = curl_easy_init()) == NULL) {
		snprintf(why, len, "out of memory");
		req_free(r);
		return -1;
	}
	r->b.p[0] = '\0';
	r->plain = strncmp(url, "http://", 7) == 0;
	h = curl_slist_append(h, "Accept: application/json");
	h = curl_slist_append(h, p->region_hdr);
	if (basic != NULL) {
		snprintf(line, sizeof(line), "Authorization: Basic %s", basic);
		h = curl_slist_append(h, line);
		OPENSSL_cleanse(line, sizeof(line));
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(left * 1000));
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)(left * 1000));
	curl_easy_setopt(c, CURLOPT_USERAGENT, "mcp-probe");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_PREREQFUNCTION, on_prereq);
	curl_easy_setopt(c, CURLOPT_PREREQDATA, r);
	if (p->o->cacert != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, p->o->cacert);
	if (p->connect_to != NULL)
		curl_easy_setopt(c, CURLOPT_CONNECT_TO, p->connect_to);
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_cleanup(c);
	for (l = h; l != NULL; l = l->next)
		OPENSSL_cleanse(l->data, strlen(l->data));
	curl_slist_free_all(h);
	if (r->refused)
		snprintf(why, len, "plain HTTP to an address off loopback: not sent");
	else if (r->b.over)
		snprintf(why, len, "an answer over %d bytes", BODY_MAX);
	else if (rc != CURLE_OK)
		snprintf(why, len, "%s", curl_easy_strerror(rc));
	else
		return 0;
	req_free(r);
	return -1;
}

/* An issuer matches when equal but for a trailing slash. */
static int
same_issuer(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);

	while (n > 0 && a[n - 1] == '/')
		n--;
	while (m > 0 && b[m - 1] == '/')
		m--;
	return n == m && strncmp(a, b, n) == 0;
}

/* The n-th RFC 8414 / OpenID place of an issuer's metadata, into buf. */
static int
as_place(const char *issuer, int n, char *buf, size_t len)
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

/*
 * The authorization server's metadata: asked once per run and server (a
 * failure is not kept: the next target asks again).  NULL with why.
 */
static const cJSON *
as_meta(struct probe *p, const char *issuer, char *why, size_t len)
{
	const cJSON *iss, *te;
	struct asm *a;
	struct req r;
	char url[2300], w[200];
	cJSON *m = NULL;
	int n;

	for (a = asms; a != NULL; a = a->next)
		if (strcmp(a->url, issuer) == 0)
			return a->m;
	snprintf(why, len, "no place to ask");
	for (n = 0; as_place(issuer, n, url, sizeof(url)) == 0; n++) {
		if (fetch(p, url, NULL, NULL, &r, w, sizeof(w)) == -1) {
			snprintf(why, len, "%s: %s", url, w);
			continue;
		}
		if (r.status != 200)
			snprintf(why, len, "%s: HTTP %ld", url, r.status);
		else if ((m = cJSON_Parse(r.b.p)) == NULL || !cJSON_IsObject(m))
			snprintf(why, len, "%s: not a JSON object", url);
		req_free(&r);
		if (!cJSON_IsObject(m)) {
			cJSON_Delete(m);
			m = NULL;
			continue;
		}
		iss = cJSON_GetObjectItemCaseSensitive(m, "issuer");
		te = cJSON_GetObjectItemCaseSensitive(m, "token_endpoint");
		if (!cJSON_IsString(iss) || !same_issuer(iss->valuestring, issuer))
			snprintf(why, len, "%s: its issuer is not %s", url, issuer);
		else if (!cJSON_IsString(te))
			snprintf(why, len, "%s: no token_endpoint", url);
		else if (url_bad(te->valuestring) != NULL)
			snprintf(
			    why, len, "%s: token_endpoint over %s", url, url_bad(te->valuestring));
		else
			break;
		/* Metadata that is wrong is the answer: no later place is asked. */
		cJSON_Delete(m);
		return NULL;
	}
	if (m == NULL)
		return NULL;
	if ((a = calloc(1, sizeof(*a))) == NULL || (a->url = strdup(issuer)) == NULL) {
		free(a);
		cJSON_Delete(m);
		snprintf(why, len, "out of memory");
		return NULL;
	}
	a->m = m;
	a->next = asms;
	asms = a;
	return m;
}

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
		return EVP_PKEY_get_bits(k) >= 2048 ? "RS256" : NULL;
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
static const char *
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

/* An OAuth error code is a token of printable ASCII (RFC 6749 §5.2). */
static void
error_code(const char *body, char *buf, size_t len)
{
	cJSON *j = cJSON_Parse(body);
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "error");
	size_t i;

	snprintf(buf, len, "no error code");
	if (cJSON_IsString(e) && strlen(e->valuestring) > 0 && strlen(e->valuestring) <= 64) {
		for (i = 0; e->valuestring[i] != '\0'; i++)
			if (e->valuestring[i] < 0x20 || e->valuestring[i] > 0x7e ||
			    e->valuestring[i] == '"' || e->valuestring[i] == '\\')
				break;
		if (e->valuestring[i] == '\0')
			snprintf(buf, len, "%s", e->valuestring);
	}
	cJSON_Delete(j);
}

/* The cache key: sha256 hex of the tuple and the kind of credential. */
static void
cache_key(const char *te, const char *client, const char *res, const char *scope, const char *grant,
    char out[65])
{
	unsigned char d[SHA256_DIGEST_LENGTH];
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	const char *parts[] = {te, client, res, scope, grant};
	int i;

	EVP_DigestInit_ex(c, EVP_sha256(), NULL);
	for (i = 0; i < 5; i++)
		EVP_DigestUpdate(c, parts[i], strlen(parts[i]) + 1);
	EVP_DigestFinal_ex(c, d, NULL);
	EVP_MD_CTX_free(c);
	for (i = 0; i < SHA256_DIGEST_LENGTH; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static int
cache_path(const struct probe *p, const char *key, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s", p->o->oauth_cache, key);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* A token from the cache directory, when its file is its owner's alone and fresh. */
static char *
disk_get(const struct probe *p, const char *key, double *expires)
{
	char path[4200], buf[TOKEN_MAX + 128], *s, *tok = NULL;
	struct stat st;
	ssize_t n;
	int fd;

	if (p->o->oauth_cache == NULL || cache_path(p, key, path, sizeof(path)) == -1 ||
	    (fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)) == -1)
		return NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
	    (st.st_mode & 077) == 0 && (n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		/* "EXPIRES TOKEN\n" */
		*expires = strtod(buf, &s);
		if (s != buf && *s == ' ' && *expires > mcp_now()) {
			s++;
			s[strcspn(s, "\n")] = '\0';
			if (*s != '\0')
				tok = strdup(s);
		}
	}
	OPENSSL_cleanse(buf, sizeof(buf));
	close(fd);
	return tok;
}

static void
disk_put(const struct probe *p, const char *key, const char *token, double expires)
{
	char path[4200], tmp[4300];
	struct mcp_buf b = {0};
	int fd, ok;

	if (p->o->oauth_cache == NULL || cache_path(p, key, path, sizeof(path)) == -1 ||
	    snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return;
	/* mkstemp makes the file 0600: never readable by others, not even briefly. */
	if ((fd = mkstemp(tmp)) == -1)
		return;
	b.max = TOKEN_MAX + 128;
	if (mcp_buf_addf(&b, "%.3f ", expires) == -1 || mcp_buf_adds(&b, token) == -1 ||
	    mcp_buf_addc(&b, '\n') == -1) {
		ok = 0;
	} else {
		ok = write(fd, b.p, b.len) == (ssize_t)b.len;
	}
	if (b.p != NULL)
		OPENSSL_cleanse(b.p, b.cap);
	mcp_buf_free(&b);
	ok = close(fd) == 0 && ok && rename(tmp, path) == 0;
	if (!ok)
		unlink(tmp);
}

static void
disk_drop(const struct probe *p, const char *key)
{
	char path[4200];

	if (p->o->oauth_cache != NULL && cache_path(p, key, path, sizeof(path)) == 0)
		unlink(path);
}

static struct tok *
mem_get(const char *key)
{
	struct tok *t;

	for (t = toks; t != NULL; t = t->next)
		if (strcmp(t->key, key) == 0 && t->token != NULL && t->expires > mcp_now())
			return t;
	return NULL;
}

static void
mem_put(const char *key, const char *token, double expires)
{
	struct tok *t;

	for (t = toks; t != NULL && strcmp(t->key, key) != 0; t = t->next)
		;
	if (t == NULL) {
		if ((t = calloc(1, sizeof(*t))) == NULL)
			return;
		snprintf(t->key, sizeof(t->key), "%s", key);
		t->next = toks;
		toks = t;
	}
	mcp_wipe_free(&t->token);
	t->token = strdup(token);
	t->expires = expires;
}

static void
mem_drop(const char *key)
{
	struct tok *t;

	for (t = toks; t != NULL; t = t->next)
		if (strcmp(t->key, key) == 0)
			mcp_wipe_free(&t->token);
}

void
oauth_cleanup(void)
{
	struct tok *t;
	struct asm *a;

	while ((t = toks) != NULL) {
		toks = t->next;
		mcp_wipe_free(&t->token);
		free(t);
	}
	while ((a = asms) != NULL) {
		asms = a->next;
		free(a->url);
		cJSON_Delete(a->m);
		free(a);
	}
}

/* A token is sent as a header value: printable ASCII, no blanks around. */
static int
token_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > TOKEN_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] <= 0x20 || s[i] > 0x7e)
			return 0;
	return 1;
}

/* The token granted: from the answer r, or -1 with the reason in why. */
static char *
granted(struct req *r, double *expires, char *why, size_t len)
{
	cJSON *j;
	const cJSON *at = NULL, *tt, *ei;
	char *tok = NULL;
	double life;

	if ((j = cJSON_Parse(r->b.p)) == NULL || !cJSON_IsObject(j)) {
		snprintf(why, len, "the token endpoint's answer is not a JSON object");
		goto out;
	}
	at = cJSON_GetObjectItemCaseSensitive(j, "access_token");
	tt = cJSON_GetObjectItemCaseSensitive(j, "token_type");
	ei = cJSON_GetObjectItemCaseSensitive(j, "expires_in");
	if (!cJSON_IsString(at) || !token_ok(at->valuestring)) {
		snprintf(why, len, "the token endpoint's answer has no usable access_token");
		goto out;
	}
	if (cJSON_IsString(tt) && strcasecmp(tt->valuestring, "bearer") != 0) {
		snprintf(why, len, "token_type is not Bearer");
		goto out;
	}
	/*
	 * Used until shortly before it expires: a tenth of its life early,
	 * at most a minute.  Without expires_in, five minutes.
	 */
	life = cJSON_IsNumber(ei) && ei->valuedouble > 0 ? ei->valuedouble : 300;
	*expires = mcp_now() + life - (life / 10 < 60 ? life / 10 : 60);
	tok = strdup(at->valuestring);
out:
	if (j != NULL && cJSON_IsString(at))
		OPENSSL_cleanse(at->valuestring, strlen(at->valuestring));
	cJSON_Delete(j);
	return tok;
}

/* The token request.  The token, or NULL with the code and reason. */
static char *
grant(struct probe *p, const cJSON *m, const char *issuer, const char *kind, const char *res,
    const char *scope, double *expires, const char **code, char *why, size_t len)
{
	const struct mcp_target *t = p->t;
	const char *te = cJSON_GetObjectItemCaseSensitive(m, "token_endpoint")->valuestring;
	struct mcp_buf b = {0};
	char *basic = NULL, *jwt = NULL, *tok = NULL, ec[80], w[200];
	struct req r;
	int bad = 0;

	*code = "oauth_grant_failed";
	if (strcmp(kind, "jwt-bearer") == 0) {
		bad |= form(&b, "grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
		bad |= form(&b, "assertion", t->oauth_assertion);
		if (t->oauth_client != NULL && t->oauth_secret == NULL && t->oauth_key == NULL)
			bad |= form(&b, "client_id", t->oauth_client);
	} else {
		bad |= form(&b, "grant_type", "client_credentials");
	}
	if (t->oauth_key != NULL) {
		if ((jwt = client_jwt(t->oauth_key, t->oauth_client, issuer)) == NULL) {
			snprintf(why, len, "the client assertion could not be signed");
			goto out;
		}
		bad |= form(&b, "client_assertion_type",
		    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
		bad |= form(&b, "client_assertion", jwt);
	} else if (t->oauth_secret != NULL) {
		if (strcmp(kind, "client_secret_post") == 0) {
			bad |= form(&b, "client_id", t->oauth_client);
			bad |= form(&b, "client_secret", t->oauth_secret);
		} else if ((basic = basic_of(t->oauth_client, t->oauth_secret)) == NULL) {
			bad = 1;
		}
	}
	bad |= form(&b, "resource", res);
	if (*scope != '\0')
		bad |= form(&b, "scope", scope);
	if (bad) {
		snprintf(why, len, "out of memory");
		goto out;
	}
	p->oauth_tries++;
	if (fetch(p, te, b.p, basic, &r, w, sizeof(w)) == -1) {
		snprintf(why, len, "the token endpoint %s: %s", te, w);
		goto out;
	}
	if (r.status != 200) {
		error_code(r.b.p, ec, sizeof(ec));
		snprintf(why, len, "the token endpoint %s refused the grant: HTTP %ld, %s", te,
		    r.status, ec);
	} else if ((tok = granted(&r, expires, w, sizeof(w))) == NULL) {
		snprintf(why, len, "%s (%s)", w, te);
	}
	req_free(&r);
out:
	if (b.p != NULL)
		OPENSSL_cleanse(b.p, b.cap);
	mcp_buf_free(&b);
	mcp_wipe_free(&basic);
	mcp_wipe_free(&jwt);
	return tok;
}

/* The scope: the option's, else the challenge's, else the metadata's scopes_supported. */
static void
scope_of(const struct probe *p, const cJSON *prm, struct mcp_buf *b)
{
	const cJSON *ss = cJSON_GetObjectItemCaseSensitive(prm, "scopes_supported"), *e;
	char v[1024];

	if (p->t->oauth_scope != NULL) {
		mcp_buf_adds(b, p->t->oauth_scope);
		return;
	}
	if (p->challenge != NULL && auth_param(p->challenge, "scope", v, sizeof(v)) != NULL &&
	    v[0] != '\0') {
		mcp_buf_adds(b, v);
		return;
	}
	cJSON_ArrayForEach(e, ss)
	{
		if (cJSON_IsString(e))
			mcp_buf_addf(b, "%s%s", b->len ? " " : "", e->valuestring);
	}
}

static void
fail(struct probe *p, const char *code, const char *why)
{
	p->posture = "oauth-client";
	step_fail(p, S_AUTH, since(p->step_t0), code, "%s", why);
	finish(p);
}

void
oauth_start(struct probe *p, const cJSON *m, int as_meta_given)
{
	const cJSON *as = cJSON_GetObjectItemCaseSensitive(m, "authorization_servers");
	const cJSON *res = cJSON_GetObjectItemCaseSensitive(m, "resource");
	const cJSON *te, *am;
	char w2[2600];
	struct mcp_buf scope = {0};
	const char *issuer, *resource, *kind, *code, *src = "grant";
	char key[65], why[3000];
	double expires = 0, net = 0;
	struct tok *hit;
	char *tok = NULL;
	cJSON *d;
	int s;

	if (as_meta_given) {
		am = m;
		issuer = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m, "issuer"));
		if (issuer == NULL)
			issuer = p->origin;
		te = cJSON_GetObjectItemCaseSensitive(m, "token_endpoint");
		if (!cJSON_IsString(te) || url_bad(te->valuestring) != NULL) {
			fail(p, "oauth_discovery_failed",
			    "the authorization server metadata names no usable token_endpoint");
			return;
		}
	} else {
		issuer = cJSON_GetStringValue(cJSON_GetArrayItem(as, 0));
		if (issuer == NULL || url_bad(issuer) != NULL) {
			snprintf(why, sizeof(why), "the authorization server %s: not asked (%s)",
			    issuer ? issuer : "(none)",
			    issuer ? url_bad(issuer) : "the metadata names none");
			fail(p, "oauth_discovery_failed", why);
			return;
		}
		if ((am = as_meta(p, issuer, w2, sizeof(w2))) == NULL) {
			snprintf(
			    why, sizeof(why), "no usable authorization server metadata (%s)", w2);
			fail(p, "oauth_discovery_failed", why);
			return;
		}
	}
	te = cJSON_GetObjectItemCaseSensitive(am, "token_endpoint");
	resource = cJSON_IsString(res) ? res->valuestring : p->url;
	scope_of(p, m, &scope);
	kind = grant_of(p->t, am);
	cache_key(te->valuestring, p->t->oauth_client ? p->t->oauth_client : "", resource,
	    scope.p ? scope.p : "", kind, key);
	memcpy(p->oauth_key, key, sizeof(key));
	if (m != p->oauth_prm) {
		cJSON_Delete(p->oauth_prm);
		p->oauth_prm = cJSON_Duplicate(m, 1);
		p->oauth_as_meta = as_meta_given;
	}
	if ((hit = mem_get(key)) != NULL) {
		tok = strdup(hit->token);
		expires = hit->expires;
		src = "run-cache";
	} else if ((tok = disk_get(p, key, &expires)) != NULL) {
		mem_put(key, tok, expires);
		src = "cache";
	} else {
		tok = grant(p, am, issuer, kind, resource, scope.p ? scope.p : "", &expires, &code,
		    why, sizeof(why));
		if (tok == NULL) {
			mcp_buf_free(&scope);
			fail(p, code, why);
			return;
		}
		mem_put(key, tok, expires);
		disk_put(p, key, tok, expires);
	}
	mcp_wipe_free(&p->oauth_token);
	mcp_wipe_free(&p->auth_hdr);
	p->oauth_token = tok;
	p->token = tok;
	if (asprintf(&p->auth_hdr, "Authorization: Bearer %s", tok) == -1) {
		p->auth_hdr = NULL;
		mcp_buf_free(&scope);
		fail(p, "probe_error", "out of memory");
		return;
	}
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "posture", "oauth-client");
	cJSON_AddStringToObject(d, "issuer", issuer);
	cJSON_AddStringToObject(d, "token_endpoint", te->valuestring);
	cJSON_AddStringToObject(d, "grant", kind);
	cJSON_AddStringToObject(d, "resource", resource);
	if (scope.len > 0)
		cJSON_AddStringToObject(d, "scope", scope.p);
	cJSON_AddStringToObject(d, "token_from", src);
	cJSON_AddNumberToObject(d, "token_expires_in", (double)(long)(expires - mcp_now()));
	mcp_buf_free(&scope);
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

void
oauth_no_metadata(struct probe *p)
{
	char why[3000];

	snprintf(why, sizeof(why),
	    "401, and no protected resource metadata anywhere to find an authorization "
	    "server in (%s)",
	    p->prm_why.p ? p->prm_why.p : "");
	fail(p, "oauth_discovery_failed", why);
}

int
oauth_rejected(struct probe *p)
{
	if (p->oauth_token == NULL || p->oauth_tries > 0 || p->oauth_prm == NULL)
		return 0;
	/* A cached token the server no longer takes: forget it, ask once. */
	mem_drop(p->oauth_key);
	disk_drop(p, p->oauth_key);
	p->step_t0 = mcp_mono();
	oauth_start(p, p->oauth_prm, p->oauth_as_meta);
	return 1;
}

void
oauth_check(struct mcp_targets *ts, size_t i, const char *at)
{
	struct mcp_target *t = &ts->v[i];
	char why[256];
	EVP_PKEY *k;
	int n, j;

	n = (t->oauth_secret_file != NULL) + (t->oauth_key_file != NULL);
	if (t->oauth_client == NULL && t->oauth_assertion_file == NULL) {
		if (n > 0 || t->oauth_scope != NULL)
			errx(MCP_EXIT_USAGE, "%s%s: OAuth settings without a client (oauth_client)",
			    at, t->slug);
		return;
	}
	if (t->token_file != NULL)
		errx(MCP_EXIT_USAGE, "%s%s: a token file and OAuth credentials: give one", at,
		    t->slug);
	for (j = 0; j < t->nheaders; j++)
		if (strcasecmp(t->headers[j].name, "Authorization") == 0)
			errx(MCP_EXIT_USAGE,
			    "%s%s: Authorization given twice (a header and OAuth credentials)", at,
			    t->slug);
	if (n > 1)
		errx(MCP_EXIT_USAGE, "%s%s: a client secret and a client key: give one", at,
		    t->slug);
	if (n == 0 && t->oauth_assertion_file == NULL)
		errx(MCP_EXIT_USAGE,
		    "%s%s: an OAuth client wants a secret, a key or an assertion file", at,
		    t->slug);
	if (n > 0 && t->oauth_client == NULL)
		errx(MCP_EXIT_USAGE, "%s%s: a client secret or key wants the client id", at,
		    t->slug);
	if (t->oauth_secret_file != NULL &&
	    (t->oauth_secret = secret_once(t->oauth_secret_file, 0, why, sizeof(why))) == NULL)
		errx(MCP_EXIT_USAGE, "%sOAuth secret file %s: %s", at, t->oauth_secret_file, why);
	if (t->oauth_assertion_file != NULL &&
	    (t->oauth_assertion = secret_once(t->oauth_assertion_file, 0, why, sizeof(why))) ==
	        NULL)
		errx(MCP_EXIT_USAGE, "%sOAuth assertion file %s: %s", at, t->oauth_assertion_file,
		    why);
	/* A targets file splits at blanks: several scopes are given with commas. */
	for (j = 0; t->lineno > 0 && t->oauth_scope != NULL && t->oauth_scope[j] != '\0'; j++)
		if (t->oauth_scope[j] == ',')
			t->oauth_scope[j] = ' ';
	if (t->oauth_key_file != NULL) {
		if ((t->oauth_key = secret_once(t->oauth_key_file, KEY_MAX, why, sizeof(why))) ==
		    NULL)
			errx(MCP_EXIT_USAGE, "%sOAuth key file %s: %s", at, t->oauth_key_file, why);
		k = load_key(t->oauth_key);
		if (k == NULL || key_alg(k) == NULL) {
			EVP_PKEY_free(k);
			errx(MCP_EXIT_USAGE,
			    "%sOAuth key file %s: want an unencrypted PEM private key, EC P-256 "
			    "(ES256) or RSA of 2048 bits or more (RS256)",
			    at, t->oauth_key_file);
		}
		EVP_PKEY_free(k);
	}
}

void
oauth_cache_check(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0700) == -1 && errno != EEXIST)
		errx(MCP_EXIT_USAGE, "--oauth-cache %s: %s", dir, strerror(errno));
	if (lstat(dir, &st) == -1)
		errx(MCP_EXIT_USAGE, "--oauth-cache %s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077) != 0)
		errx(MCP_EXIT_USAGE,
		    "--oauth-cache %s: want a directory of this user's that only it may access "
		    "(chmod 700)",
		    dir);
}
