/*
 * hash.h - SHA-256 tags and the tool hash (OpenSSL; json.h stays free of it).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_HASH_H
#define MCP_HASH_H

#include <stddef.h>

#include <cJSON.h>

#include "buf.h"

/*
 * "sha256:" + lowercase hex SHA-256 of p (OpenSSL EVP) into out, which must
 * hold at least MCP_HASH_LEN bytes.  Returns 0 or -1.
 */
#define MCP_HASH_LEN (7 + 64 + 1)
int mcp_sha256_tag(const void *p, size_t len, char *out);
/*
 * The same of the n pieces part(arg, 0 .. n - 1) gives (each borrowed until
 * the next call, its length in *len), one after the other, as if joined.
 */
int mcp_sha256_parts(
    const void *(*part)(void *arg, size_t i, size_t *len), void *arg, size_t n, char *out);

/*
 * A list of the contract (tools, resources, prompts) in canonical form:
 * the items of arr sorted by their string member key (UTF-16 order, stable;
 * an item without one sorts as ""; arr is not modified), each in JCS,
 * appended to out as one JSON array.  -1 with a reason, out as it was,
 * when the items are not I-JSON.  mcp_list_hash: the "sha256:" tag of
 * those bytes into out (MCP_HASH_LEN bytes).
 */
int mcp_list_jcs(const cJSON *arr, const char *key, struct mcp_buf *out, char *err, size_t errlen);
int mcp_list_hash(const cJSON *arr, const char *key, char *out, char *err, size_t errlen);

/*
 * The tool hash of the contract: JCS of the tools array sorted by "name"
 * (UTF-16 order; the array is not modified), hashed as above.
 * -1 with a reason when the tools are not I-JSON.
 */
int mcp_tool_hash(const cJSON *tools, char *out, char *err, size_t errlen);

#endif
