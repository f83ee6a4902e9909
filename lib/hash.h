/*
 * hash.h - SHA-256 tags and the tool hash (OpenSSL; json.h stays free of it).
 */
#ifndef MCP_HASH_H
#define MCP_HASH_H

#include <stddef.h>

#include <cJSON.h>

/*
 * "sha256:" + lowercase hex SHA-256 of p (OpenSSL EVP) into out, which must
 * hold at least MCP_HASH_LEN bytes.  Returns 0 or -1.
 */
#define MCP_HASH_LEN (7 + 64 + 1)
int mcp_sha256_tag(const void *p, size_t len, char *out);

/*
 * The tool hash of the contract: JCS of the tools array sorted by "name"
 * (UTF-16 order; the array is not modified), hashed as above.
 * -1 with a reason when the tools are not I-JSON.
 */
int mcp_tool_hash(const cJSON *tools, char *out, char *err, size_t errlen);

#endif
