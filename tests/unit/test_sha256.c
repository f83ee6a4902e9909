/*
 * test_sha256.c - unit tests for lib/sha256.c, in TAP: the FIPS 180-4
 * examples, every length from 0 to 300 against OpenSSL (so that each
 * padding case, one block of tail or two, is met), and a million 'a's.
 *
 * usage: test_sha256
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "sha256.h"
#include "tap.h"

static void
ossl_hex(const void *p, size_t n, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;

	EVP_Digest(p, n, md, &len, EVP_sha256(), NULL);
	for (i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

int
main(void)
{
	static const struct {
		const char *in, *want;
	} v[] = {
	    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	};
	char got[MCP_SHA256_HEX], want[MCP_SHA256_HEX];
	unsigned char buf[300];
	size_t i, bad = 0;
	char *mil;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		mcp_sha256_hex(v[i].in, strlen(v[i].in), got);
		ok(strcmp(got, v[i].want) == 0, "FIPS 180-4 example \"%.10s\": %s", v[i].in, got);
	}
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 7 + 3);
	for (i = 0; i <= sizeof(buf); i++) {
		mcp_sha256_hex(buf, i, got);
		ossl_hex(buf, i, want);
		bad += strcmp(got, want) != 0;
	}
	ok(bad == 0, "every length from 0 to %zu bytes as OpenSSL has it (%zu differ)", sizeof(buf),
	    bad);
	if ((mil = malloc(1000000)) == NULL)
		return 1;
	memset(mil, 'a', 1000000);
	mcp_sha256_hex(mil, 1000000, got);
	ok(strcmp(got, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0,
	    "a million 'a's: %s", got);
	free(mil);
	return done_testing();
}
