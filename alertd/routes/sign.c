/*
 * sign.c - the signature of a webhook delivery, as Standard Webhooks has
 * it (https://www.standardwebhooks.com): the HMAC-SHA256 of
 * "ID.TIMESTAMP.BODY", in base64, after "v1,".  The id and the time are
 * signed with the body, so a receiver that keeps the ids it has taken and
 * refuses a time more than 5 minutes away takes no delivery twice, however
 * it was captured.  Pure: no I/O, nothing printed.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "routesint.h"

#define WHSEC "whsec_"

int
alert_webhook_key(const char *secret, unsigned char *key, size_t size)
{
	const char *b;
	size_t n, pad = 0;
	int k;

	if (strncmp(secret, WHSEC, strlen(WHSEC)) != 0) {
		n = strlen(secret);
		if (n == 0 || n > size)
			return -1;
		memcpy(key, secret, n);
		return (int)n;
	}
	/* EVP_DecodeBlock takes whole quantums and counts the padding as bytes. */
	b = secret + strlen(WHSEC);
	n = strlen(b);
	if (n == 0 || n % 4 != 0 || n / 4 * 3 > size)
		return -1;
	pad = (b[n - 1] == '=') + (b[n - 2] == '=');
	if ((k = EVP_DecodeBlock(key, (const unsigned char *)b, (int)n)) < 0 ||
	    strcspn(b, "=") != n - pad || (size_t)k <= pad) {
		explicit_bzero(key, size);
		return -1;
	}
	return k - (int)pad;
}

int
alert_webhook_sign(
    const char *secret, const char *id, long long ts, const char *body, char *out, size_t len)
{
	unsigned char key[ALERT_KEY_MAX], mac[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	int klen, rc = -1;
	size_t mlen;
	char *msg;

	/* "v1,", 44 base64 digits of the 32 bytes, the NUL. */
	if (len < 3 + 44 + 1 || (klen = alert_webhook_key(secret, key, sizeof(key))) == -1)
		return -1;
	mlen = strlen(id) + strlen(body) + 32;
	if ((msg = malloc(mlen)) != NULL &&
	    (size_t)snprintf(msg, mlen, "%s.%lld.%s", id, ts, body) < mlen &&
	    HMAC(EVP_sha256(), key, klen, (const unsigned char *)msg, strlen(msg), mac, &n) !=
	        NULL) {
		memcpy(out, "v1,", 3);
		EVP_EncodeBlock((unsigned char *)out + 3, mac, (int)n);
		rc = 0;
	}
	explicit_bzero(key, sizeof(key));
	explicit_bzero(mac, sizeof(mac));
	free(msg);
	return rc;
}
