/*
 * redact.c - secrets in a target's URL query: the values of parameters
 * whose names say key, token, secret, password, sig or auth, and of those
 * named with --redact-param, are printed as REDACTED and scrubbed from a
 * server's text like a token (mcp-probe(1), URL REDACTION).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "mcp.h"
#include "probe.h"

static const char *const secret_words[] = {
    "key", "token", "secret", "password", "sig", "auth", NULL};

/* Whether the parameter name (n bytes, as in the URL) names a secret. */
static int
secret_name(const struct opts *o, const char *name, size_t n)
{
	char *d = curl_easy_unescape(NULL, name, (int)n, NULL);
	int i, hit = 0;

	if (d == NULL)
		return 1; /* what cannot be read is kept out */
	for (i = 0; secret_words[i] != NULL && !hit; i++)
		hit = strcasestr(d, secret_words[i]) != NULL;
	for (i = 0; i < o->nredact && !hit; i++)
		hit = strcasecmp(d, o->redact[i]) == 0;
	curl_free(d);
	return hit;
}

/*
 * Keep a redacted value, raw and decoded, for the scrubbing of server
 * text; nothing when p is NULL (the canary keeps no server text).
 */
static void
keep(struct probe *p, const char *v, size_t n)
{
	char *d;

	if (p == NULL || n == 0 || p->nqsec + 2 > QSEC_MAX)
		return;
	if ((p->qsec[p->nqsec] = strndup(v, n)) == NULL)
		return;
	p->nqsec++;
	d = curl_easy_unescape(NULL, v, (int)n, NULL);
	if (d != NULL && strcmp(d, p->qsec[p->nqsec - 1]) != 0 &&
	    (p->qsec[p->nqsec] = strdup(d)) != NULL)
		p->nqsec++;
	if (d != NULL) {
		OPENSSL_cleanse(d, strlen(d));
		curl_free(d);
	}
}

/*
 * Replace the secret values of u's query, the names of o's --redact-param
 * as well, keeping them in p when it is not NULL; -1 when out of memory.
 */
int
redact_params(const struct opts *o, struct probe *p, CURLU *u)
{
	char *q = NULL, *eq;
	const char *f, *end;
	struct mcp_buf out = {0};
	int rc = 0;

	if (curl_url_get(u, CURLUPART_QUERY, &q, 0) != CURLUE_OK || q == NULL)
		return 0;
	for (f = q; *f != '\0'; f = *end ? end + 1 : end) {
		end = f + strcspn(f, "&");
		eq = memchr(f, '=', (size_t)(end - f));
		if (out.len > 0)
			mcp_buf_addc(&out, '&');
		if (eq != NULL && secret_name(o, f, (size_t)(eq - f))) {
			keep(p, eq + 1, (size_t)(end - eq - 1));
			mcp_buf_add(&out, f, (size_t)(eq + 1 - f));
			mcp_buf_adds(&out, "REDACTED");
		} else {
			mcp_buf_add(&out, f, (size_t)(end - f));
		}
	}
	if (curl_url_set(u, CURLUPART_QUERY, out.p != NULL ? out.p : "", 0) != CURLUE_OK)
		rc = -1;
	OPENSSL_cleanse(q, strlen(q));
	curl_free(q);
	mcp_buf_free(&out);
	return rc;
}

int
redact_query(struct probe *p, CURLU *u)
{
	return redact_params(p->o, p, u);
}
