/*
 * lists.c - the canonical text of a list and its hash, the bounds of
 * what is kept (lists.h), and the script that puts a list in the store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "lists.h"

static const char *const words[AGG_LIST_KINDS] = {"tools", "resources", "prompts"};
static const char letters[AGG_LIST_KINDS] = {'t', 'r', 'p'};

char
agg_list_letter(enum mcp_list_kind k)
{
	return letters[k];
}

const char *
agg_list_word(enum mcp_list_kind k)
{
	return words[k];
}

int
agg_list_kind(const char *s)
{
	int i;

	for (i = 0; i < AGG_LIST_KINDS; i++)
		if (strcmp(s, words[i]) == 0 || (s[0] == letters[i] && s[1] == '\0'))
			return i;
	return -1;
}

static int
fail(char *err, size_t len, const char *why)
{
	snprintf(err, len, "%s", why);
	return -1;
}

int
agg_list_canon(
    enum mcp_list_kind k, const cJSON *arr, struct mcp_buf *out, char *hash, char *err, size_t len)
{
	if (!cJSON_IsArray(arr))
		return fail(err, len, "not an array");
	/* The probe's own canonical form (lib/hash.c), so the hashes agree. */
	mcp_buf_reset(out);
	if (mcp_list_jcs(arr, k == MCP_LIST_RESOURCES ? "uri" : "name", out, err, len) == -1)
		return -1;
	if (mcp_sha256_tag(out->p, out->len, hash) == -1)
		return fail(err, len, "SHA-256 failed");
	return 0;
}

int
agg_list_carried(const cJSON *rec)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(rec, "detail");
	const char *step = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "step"));
	int k;

	if (step == NULL || strcmp(step, "tools_list") != 0 || !cJSON_IsObject(d))
		return 0;
	for (k = 0; k < AGG_LIST_KINDS; k++)
		if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(d, words[k])))
			return 1;
	return 0;
}

const char *
agg_list_hex(const char *hash)
{
	size_t i;

	if (hash == NULL || strncmp(hash, "sha256:", 7) != 0 || strlen(hash) != 71)
		return NULL;
	for (i = 7; i < 71; i++)
		if (!((hash[i] >= '0' && hash[i] <= '9') || (hash[i] >= 'a' && hash[i] <= 'f')))
			return NULL;
	return hash + 7;
}

cJSON *
agg_list_parse(enum mcp_list_kind k, const char *hash, const char *text, size_t n, const char **why)
{
	char h[MCP_HASH_LEN];
	cJSON *a;

	(void)k;
	*why = "not_kept";
	if (text == NULL)
		return NULL;
	*why = "bad_content";
	/* The store's text is trusted no more than a server's: it must hash to its key. */
	if (mcp_sha256_tag(text, n, h) == -1 || strcmp(h, hash) != 0)
		return NULL;
	if ((a = cJSON_ParseWithLength(text, n)) == NULL || !cJSON_IsArray(a)) {
		cJSON_Delete(a);
		return NULL;
	}
	return a;
}

cJSON *
agg_list_change(enum mcp_list_kind k, const cJSON *from, const cJSON *to)
{
	struct mcp_diff d;
	char err[128];
	cJSON *s;

	memset(&d, 0, sizeof(d));
	if (mcp_diff_lists(k, from, to, &d, err, sizeof(err)) == -1)
		return NULL;
	s = mcp_diff_summary(&d, AGG_SUMMARY_ITEMS, AGG_SUMMARY_BYTES);
	mcp_diff_free(&d);
	return s;
}

/*
 * Put a list.  KEYS: lsi ls:HEX.  ARGV: member (KIND:HEX) now text ttl
 * prefix max-lists max-bytes.  The list's key is written, its member
 * scored now; then the members seen more than ttl ago are trimmed, and the
 * oldest seen evicted (its key deleted unless another kind's member names
 * the same text) until at most max-lists and max-bytes are kept.  Returns
 * the count evicted.
 */
const char agg_lists_put_lua[] =
    "local lsi, m, now, ttl, pre = KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[4]), "
    "ARGV[5]\n"
    "redis.call('SET', KEYS[2], ARGV[3], 'EX', ttl)\n"
    "redis.call('ZADD', lsi, now, m)\n"
    "redis.call('ZREMRANGEBYSCORE', lsi, '-inf', '(' .. (now - ttl))\n"
    "redis.call('EXPIRE', lsi, ttl)\n"
    "local all = redis.call('ZRANGE', lsi, 0, -1)\n"
    "local size, total = {}, 0\n"
    "for i, x in ipairs(all) do\n"
    "  size[i] = redis.call('STRLEN', pre .. 'ls:' .. string.sub(x, 3))\n"
    "  total = total + size[i]\n"
    "end\n"
    "local n, out = #all, 0\n"
    "for i, x in ipairs(all) do\n"
    "  if n <= tonumber(ARGV[6]) and total <= tonumber(ARGV[7]) then break end\n"
    "  if x ~= m then\n"
    "    redis.call('ZREM', lsi, x)\n"
    "    n, total, out = n - 1, total - size[i], out + 1\n"
    "    local hex, used = string.sub(x, 3), false\n"
    "    for _, k in ipairs({'t', 'r', 'p'}) do\n"
    "      if redis.call('ZSCORE', lsi, k .. ':' .. hex) then used = true end\n"
    "    end\n"
    "    if not used then redis.call('DEL', pre .. 'ls:' .. hex) end\n"
    "  end\n"
    "end\n"
    "return out\n";
