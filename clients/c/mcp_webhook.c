/*
 * mcp_webhook.c - a receiver's check of mcp-alert's webhook deliveries
 * (mcp_webhook.h).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include "mcp_webhook.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define WHSEC "whsec_"
#define KEY_MAX 512

/* The key of a secret into key: its length, or -1. */
static int
key_of(const char *secret, unsigned char *key)
{
	const char *b;
	size_t n, pad;
	int k;

	if (strncmp(secret, WHSEC, strlen(WHSEC)) != 0) {
		n = strlen(secret);
		if (n == 0 || n > KEY_MAX)
			return -1;
		memcpy(key, secret, n);
		return (int)n;
	}
	b = secret + strlen(WHSEC);
	n = strlen(b);
	if (n == 0 || n % 4 != 0 || n / 4 * 3 > KEY_MAX)
		return -1;
	pad = (b[n - 1] == '=') + (b[n - 2] == '=');
	/* EVP_DecodeBlock counts the padding as bytes. */
	if ((k = EVP_DecodeBlock(key, (const unsigned char *)b, (int)n)) < 0 ||
	    strcspn(b, "=") != n - pad || (size_t)k <= pad)
		return -1;
	return k - (int)pad;
}

/* The epoch seconds of a timestamp header: 0, or -1 when not digits alone. */
static int
seconds_of(const char *s, int64_t *t)
{
	size_t i;

	*t = 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (!isdigit((unsigned char)s[i]) || i == 15)
			return -1;
		*t = *t * 10 + (s[i] - '0');
	}
	return i == 0 ? -1 : 0;
}

/* 1 when one "v1,BASE64" entry of sigs is mac, each compared in constant time. */
static int
signature_matches(const char *sigs, const unsigned char *mac)
{
	unsigned char want[45], got[48];
	const char *p, *e;
	int match = 0;

	EVP_EncodeBlock(want, mac, 32);
	for (p = sigs; *p != '\0'; p = *e == ' ' ? e + 1 : e) {
		e = p + strcspn(p, " ");
		if (e - p == 3 + 44 && strncmp(p, "v1,", 3) == 0) {
			memcpy(got, p + 3, 44);
			match |= CRYPTO_memcmp(got, want, 44) == 0;
		}
	}
	return match;
}

enum mcp_webhook_result
mcp_webhook_verify(const char *secret, const char *id, const char *timestamp, const char *signature,
    const void *body, size_t len, int64_t now)
{
	unsigned char key[KEY_MAX], mac[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	int klen, ok = 0;
	size_t il, tl;
	int64_t t;
	char *msg;

	if (id == NULL || timestamp == NULL || signature == NULL || strlen(id) > MCP_WEBHOOK_ID_MAX)
		return MCP_WEBHOOK_HEADERS;
	if (seconds_of(timestamp, &t) == -1)
		return MCP_WEBHOOK_TIMESTAMP;
	if (t < now - MCP_WEBHOOK_TOLERANCE)
		return MCP_WEBHOOK_TOO_OLD;
	if (t > now + MCP_WEBHOOK_TOLERANCE)
		return MCP_WEBHOOK_TOO_NEW;
	if ((klen = key_of(secret, key)) == -1)
		return MCP_WEBHOOK_KEY;
	/* "ID.TIMESTAMP.BODY", the body's bytes as they came (a NUL among them too). */
	il = strlen(id), tl = strlen(timestamp);
	if ((msg = malloc(il + tl + 2 + len + 1)) != NULL) {
		memcpy(msg, id, il);
		msg[il] = '.';
		memcpy(msg + il + 1, timestamp, tl);
		msg[il + 1 + tl] = '.';
		memcpy(msg + il + tl + 2, body, len);
		if (HMAC(EVP_sha256(), key, klen, (unsigned char *)msg, il + tl + 2 + len, mac,
		        &n) != NULL &&
		    n == 32)
			ok = signature_matches(signature, mac);
		free(msg);
	}
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(mac, sizeof(mac));
	return ok ? MCP_WEBHOOK_OK : MCP_WEBHOOK_SIGNATURE;
}

const char *
mcp_webhook_reason(enum mcp_webhook_result r)
{
	static const char *const words[] = {
	    "ok", "headers", "timestamp", "too-old", "too-new", "signature", "key", "seen", "full"};

	return (size_t)r < sizeof(words) / sizeof(words[0]) ? words[r] : "?";
}

enum mcp_webhook_result
mcp_webhook_ids_claim(struct mcp_webhook_ids *t, const char *id, int64_t now)
{
	struct mcp_webhook_slot *free_slot = NULL, *oldest = NULL;
	size_t i;

	if (strlen(id) > MCP_WEBHOOK_ID_MAX)
		return MCP_WEBHOOK_HEADERS;
	for (i = 0; i < t->n; i++) {
		struct mcp_webhook_slot *s = &t->slot[i];

		if (s->until != 0 && s->until > now && strcmp(s->id, id) == 0)
			return MCP_WEBHOOK_SEEN;
		if (s->until <= now && free_slot == NULL)
			free_slot = s;
		if (oldest == NULL || s->until < oldest->until)
			oldest = s;
	}
	/* Only an id whose replay the clock refuses by now may be forgotten early. */
	if (free_slot == NULL && oldest != NULL &&
	    oldest->until - MCP_WEBHOOK_KEEP + 2 * MCP_WEBHOOK_TOLERANCE <= now)
		free_slot = oldest;
	if (free_slot == NULL)
		return MCP_WEBHOOK_FULL;
	memcpy(free_slot->id, id, strlen(id) + 1);
	free_slot->until = now + MCP_WEBHOOK_KEEP;
	return MCP_WEBHOOK_OK;
}

void
mcp_webhook_ids_forget(struct mcp_webhook_ids *t, const char *id)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->slot[i].until != 0 && strcmp(t->slot[i].id, id) == 0)
			t->slot[i].until = 0;
}
