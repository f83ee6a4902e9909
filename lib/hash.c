/*
 * hash.c - SHA-256 tags and the tool hash of the contract.  Apart from
 * json.c so that a tool that never hashes (mcp-serve) links no OpenSSL.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * SHA256_Init and friends are deprecated in OpenSSL 3 in favour of EVP, but
 * EVP's first digest loads the providers and the configuration: 1.6 ms and
 * 2 MB that a probe of a plain-HTTP server would spend on one hash.  The
 * low-level functions run the same assembly (SHA-NI where the CPU has it).
 * An OpenSSL built without them gets EVP.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "hash.h"
#include "json.h"

static int
fail(char *err, size_t errlen, const char *why)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s", why);
	return -1;
}

static int
put(struct mcp_buf *out, const char *text, char *err, size_t errlen)
{
	return mcp_buf_adds(out, text) == -1 ? fail(err, errlen, "out of memory") : 0;
}

/* "sha256:" and the hex of md into out. */
static void
tag(const unsigned char *md, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	memcpy(out, "sha256:", 7);
	for (i = 0; i < n; i++) {
		out[7 + 2 * i] = hex[md[i] >> 4];
		out[7 + 2 * i + 1] = hex[md[i] & 0xf];
	}
	out[7 + 2 * n] = '\0';
}

/* A single piece, for mcp_sha256_tag. */
struct whole {
	const void *p;
	size_t len;
};

static const void *
whole_piece(void *arg, size_t i, size_t *len)
{
	const struct whole *w = arg;

	(void)i;
	*len = w->len;
	return w->p;
}

int
mcp_sha256_tag(const void *p, size_t len, char *out)
{
	struct whole w = {p, len};

	return mcp_sha256_parts(whole_piece, &w, 1, out);
}

int
mcp_sha256_parts(
    const void *(*part)(void *arg, size_t i, size_t *len), void *arg, size_t n, char *out)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	const void *b;
	size_t i, len;
#ifndef OPENSSL_NO_DEPRECATED_3_0
	SHA256_CTX c;

	if (SHA256_Init(&c) != 1)
		return -1;
	for (i = 0; i < n; i++) {
		b = part(arg, i, &len);
		if (SHA256_Update(&c, b, len) != 1)
			return -1;
	}
	if (SHA256_Final(md, &c) != 1)
		return -1;
#else
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned int mdlen = 0;
	int ok = c != NULL && EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1;

	for (i = 0; ok && i < n; i++) {
		b = part(arg, i, &len);
		ok = EVP_DigestUpdate(c, b, len) == 1;
	}
	ok = ok && EVP_DigestFinal_ex(c, md, &mdlen) == 1 && mdlen == sizeof(md);
	EVP_MD_CTX_free(c);
	if (!ok)
		return -1;
#endif
	tag(md, sizeof(md), out);
	return 0;
}

/* An item and its place in the caller's array, for a stable sort by key. */
struct item_ref {
	const cJSON *item;
	const char *key;
	size_t pos;
};

static int
item_cmp(const void *a, const void *b)
{
	const struct item_ref *ta = a, *tb = b;
	int c;

	if ((c = mcp_utf16_cmp(ta->key, tb->key)) != 0)
		return c;
	return ta->pos < tb->pos ? -1 : ta->pos > tb->pos;
}

/* The items of arr sorted by member key, into a new array the caller frees. */
static struct item_ref *
sorted_items(const cJSON *arr, const char *key, size_t *n)
{
	struct item_ref *v;
	const cJSON *c, *k;
	size_t i = 0;

	*n = 0;
	for (c = arr->child; c != NULL; c = c->next)
		(*n)++;
	if ((v = calloc(*n ? *n : 1, sizeof(*v))) == NULL)
		return NULL;
	for (c = arr->child; c != NULL; c = c->next, i++) {
		k = cJSON_GetObjectItemCaseSensitive(c, key);
		v[i].item = c;
		v[i].key = cJSON_IsString(k) && k->valuestring ? k->valuestring : "";
		v[i].pos = i;
	}
	qsort(v, *n, sizeof(*v), item_cmp);
	return v;
}

int
mcp_list_jcs(const cJSON *arr, const char *key, struct mcp_buf *out, char *err, size_t errlen)
{
	struct item_ref *v;
	size_t n, i, mark = out->len;
	int rc;

	if (!cJSON_IsArray(arr))
		return fail(err, errlen, "the list is not an array");
	if ((v = sorted_items(arr, key, &n)) == NULL)
		return fail(err, errlen, "out of memory");
	rc = put(out, "[", err, errlen);
	for (i = 0; i < n && rc == 0; i++) {
		if (i > 0)
			rc = put(out, ",", err, errlen);
		if (rc == 0)
			rc = mcp_jcs_write(out, v[i].item, err, errlen);
	}
	if (rc == 0)
		rc = put(out, "]", err, errlen);
	free(v);
	if (rc == -1 && out->p != NULL) {
		out->len = mark;
		out->p[mark] = '\0';
	}
	return rc;
}

int
mcp_list_hash(const cJSON *arr, const char *key, char *out, char *err, size_t errlen)
{
	struct mcp_buf b = {0};
	int rc = mcp_list_jcs(arr, key, &b, err, errlen);

	if (rc == 0 && mcp_sha256_tag(b.p ? b.p : "", b.len, out) == -1)
		rc = fail(err, errlen, "SHA-256 failed");
	mcp_buf_free(&b);
	return rc;
}

int
mcp_tool_hash(const cJSON *tools, char *out, char *err, size_t errlen)
{
	if (!cJSON_IsArray(tools))
		return fail(err, errlen, "tools is not an array");
	return mcp_list_hash(tools, "name", out, err, errlen);
}
