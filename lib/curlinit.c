/*
 * curlinit.c - curl_global_init() without OpenSSL's start-up cost.
 *
 * libcurl's global init calls OPENSSL_init_ssl(), which reads openssl.cnf,
 * loads the engines, every cipher and the error strings: 3 ms of CPU and
 * 2 MB in every run, most of which probe plain HTTP and never need TLS.
 * OpenSSL 1.1 and later initialise themselves on first use (SSL_CTX_new
 * calls OPENSSL_init_ssl, which loads the configuration by default).  When
 * libcurl is linked statically (deps/curl, see build-aux/curl) the Makefile
 * defines MCP_CURL_WRAP and links with -Wl,--wrap=OPENSSL_init_ssl, so that
 * libcurl's call lands here and is put off until that first use.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <curl/curl.h>

#include "mcp.h"

#ifdef MCP_CURL_WRAP
#include <openssl/ssl.h>

int __real_OPENSSL_init_ssl(uint64_t, const OPENSSL_INIT_SETTINGS *);
int __wrap_OPENSSL_init_ssl(uint64_t, const OPENSSL_INIT_SETTINGS *);

static int deferring;
static uint64_t deferred;

int
__wrap_OPENSSL_init_ssl(uint64_t opts, const OPENSSL_INIT_SETTINGS *settings)
{
	if (deferring) {
		deferred |= opts;
		return 1;
	}
	return __real_OPENSSL_init_ssl(opts | deferred, settings);
}
#endif

int
mcp_curl_init(void)
{
	CURLcode rc;

#ifdef MCP_CURL_WRAP
	deferring = 1;
#endif
	rc = curl_global_init(CURL_GLOBAL_DEFAULT);
#ifdef MCP_CURL_WRAP
	deferring = 0;
#endif
	return rc == CURLE_OK ? 0 : -1;
}
