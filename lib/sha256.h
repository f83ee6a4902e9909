/*
 * sha256.h - SHA-256 (FIPS 180-4) in portable C, for mcp-serve, which
 * links no OpenSSL (the tools that link it use hash.h).  Pure: no I/O.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_SHA256_H
#define MCP_SHA256_H

#include <stddef.h>

#define MCP_SHA256_SIZE 32
#define MCP_SHA256_HEX (2 * MCP_SHA256_SIZE + 1)

/* The digest of the n bytes at p into out (MCP_SHA256_SIZE bytes). */
void mcp_sha256(const void *p, size_t n, unsigned char *out);
/* The same as lowercase hex into out (MCP_SHA256_HEX bytes, NUL included). */
void mcp_sha256_hex(const void *p, size_t n, char *out);

#endif
