/*
 * fuzz_json.c - the JSON reader the tools use (mcp_json_parse), the JSON
 * writer, canonical JSON and the tool hash (lib/json.c) on any text.
 *
 * What is checked:
 *  - mcp_json_parse takes exactly the texts that cJSON parses whole, with
 *    no U+0000 in a string, no number past a double and no nesting past
 *    MCP_JSON_DEPTH; a text it refuses is refused for one of the reasons
 *    it documents;
 *  - mcp_json_write succeeds unless a number is not finite (on any tree
 *    cJSON builds, the ones mcp_json_parse refuses included), and its text
 *    parses again into a tree that it writes to the same text;
 *  - mcp_jcs_write succeeds exactly when mcp_ijson_check does, and then so
 *    does mcp_json_write; its text is valid UTF-8, parses again, and is
 *    its own canonical form, as is the canonical form of the re-parsed
 *    compact text (the first canonical output, byte for byte);
 *  - mcp_tool_hash of an array (or of the "tools" of an object, as in a
 *    tools/list result) is the same for the re-parsed text, and for the
 *    array reversed when the tool names are distinct (the hash sorts).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <ctype.h>
#include <math.h>

#include "fuzz.h"
#include "../lib/hash.h"
#include "../lib/json.h"

/* mcp_json_parse of a buffer, or abort when text we wrote does not parse. */
static cJSON *
reparse(const struct mcp_buf *b)
{
	const char *why;
	cJSON *v = mcp_json_parse(b->p, b->len, &why);

	FUZZ_CHECK(v != NULL);
	return v;
}

static int
all_finite(const cJSON *v)
{
	const cJSON *c;

	if (cJSON_IsNumber(v))
		return isfinite(v->valuedouble);
	for (c = v->child; c != NULL; c = c->next)
		if (!all_finite(c))
			return 0;
	return 1;
}

static void
check_write(const cJSON *v)
{
	struct mcp_buf a = {0}, b = {0};
	char err[128];
	cJSON *w;

	if (mcp_json_write(&a, v, err, sizeof(err)) == -1) {
		FUZZ_CHECK(!all_finite(v));
		FUZZ_CHECK(a.len == 0); /* nothing left behind */
		mcp_buf_free(&a);
		return;
	}
	FUZZ_CHECK(a.len == strlen(a.p));
	w = reparse(&a);
	FUZZ_CHECK(mcp_json_write(&b, w, err, sizeof(err)) == 0);
	FUZZ_CHECK(a.len == b.len && memcmp(a.p, b.p, a.len) == 0);
	cJSON_Delete(w);
	mcp_buf_free(&a);
	mcp_buf_free(&b);
}

/* The canonical form of the tree of text t; the result is owned. */
static void
jcs_of_text(const struct mcp_buf *t, struct mcp_buf *out)
{
	char err[128];
	cJSON *w = reparse(t);

	FUZZ_CHECK(mcp_jcs_write(out, w, err, sizeof(err)) == 0);
	cJSON_Delete(w);
}

static void
check_jcs(const cJSON *v)
{
	struct mcp_buf c = {0}, c2 = {0}, c3 = {0}, compact = {0};
	char err[128];
	int ok = mcp_ijson_check(v, err, sizeof(err)) == 0;

	FUZZ_CHECK((mcp_jcs_write(&c, v, err, sizeof(err)) == 0) == ok);
	if (!ok) {
		FUZZ_CHECK(c.len == 0);
		mcp_buf_free(&c);
		return;
	}
	FUZZ_CHECK(mcp_utf8_valid(c.p, c.len));
	FUZZ_CHECK(mcp_json_write(&compact, v, err, sizeof(err)) == 0);
	jcs_of_text(&c, &c2);
	FUZZ_CHECK(c.len == c2.len && memcmp(c.p, c2.p, c.len) == 0);
	jcs_of_text(&compact, &c3);
	FUZZ_CHECK(c.len == c3.len && memcmp(c.p, c3.p, c.len) == 0);
	mcp_buf_free(&c);
	mcp_buf_free(&c2);
	mcp_buf_free(&c3);
	mcp_buf_free(&compact);
}

/* 1 when every tool has a distinct string name (then the order is the names'). */
static int
distinct_names(const cJSON *tools)
{
	const cJSON *a, *b, *na, *nb;

	cJSON_ArrayForEach(a, tools)
	{
		na = cJSON_GetObjectItemCaseSensitive(a, "name");
		if (!cJSON_IsString(na))
			return 0;
		for (b = a->next; b != NULL; b = b->next) {
			nb = cJSON_GetObjectItemCaseSensitive(b, "name");
			if (!cJSON_IsString(nb) || strcmp(na->valuestring, nb->valuestring) == 0)
				return 0;
		}
	}
	return 1;
}

static void
check_hash(const cJSON *v)
{
	const cJSON *tools = cJSON_IsObject(v) ? cJSON_GetObjectItemCaseSensitive(v, "tools") : v;
	char h1[MCP_HASH_LEN], h2[MCP_HASH_LEN], err[128];
	struct mcp_buf t = {0};
	cJSON *w, *rev, *c;
	int rc;

	if (!cJSON_IsArray(tools) || cJSON_GetArraySize(tools) > 64)
		return;
	rc = mcp_tool_hash(tools, h1, err, sizeof(err));
	FUZZ_CHECK((rc == 0) == (mcp_ijson_check(tools, err, sizeof(err)) == 0));
	if (rc == -1)
		return;
	FUZZ_CHECK(strlen(h1) == MCP_HASH_LEN - 1 && strncmp(h1, "sha256:", 7) == 0);
	FUZZ_CHECK(mcp_json_write(&t, tools, err, sizeof(err)) == 0);
	w = reparse(&t);
	FUZZ_CHECK(mcp_tool_hash(w, h2, err, sizeof(err)) == 0 && strcmp(h1, h2) == 0);
	cJSON_Delete(w);
	mcp_buf_free(&t);
	if (!distinct_names(tools))
		return;
	/* The same tools in reverse order (references: nothing is copied). */
	rev = cJSON_CreateArray();
	cJSON_ArrayForEach(c, tools)
	    cJSON_InsertItemInArray(rev, 0, cJSON_CreateObjectReference(c->child));
	FUZZ_CHECK(mcp_tool_hash(rev, h2, err, sizeof(err)) == 0 && strcmp(h1, h2) == 0);
	cJSON_Delete(rev);
}

/* The deepest nesting of a tree: 0 for a scalar, 1 for [] or {}. */
static int
depth_of(const cJSON *v)
{
	const cJSON *c;
	int d = 0, k;

	for (c = v->child; c != NULL; c = c->next)
		if ((k = depth_of(c)) > d)
			d = k;
	return cJSON_IsArray(v) || cJSON_IsObject(v) ? d + 1 : 0;
}

/*
 * 1 when a string of the text (cJSON took it, so it is close to JSON)
 * holds the escape of U+0000, or an escape JSON does not have: cJSON
 * reads "\u" and anything but four hex digits as U+0000 too.  Written
 * apart from lib/json.c's own scan on purpose.
 */
static int
bad_escape(const char *s, size_t n)
{
	size_t i, j;
	int in = 0;

	for (i = 0; i < n; i++) {
		if (!in) {
			in = s[i] == '"';
		} else if (s[i] == '"') {
			in = 0;
		} else if (s[i] == '\\') {
			if (++i == n || s[i] == '\0' || strchr("\"\\/bfnrtu", s[i]) == NULL)
				return 1;
			if (s[i] != 'u')
				continue;
			for (j = 1; j <= 4; j++)
				if (i + j >= n || !isxdigit((unsigned char)s[i + j]))
					return 1;
			if (strncmp(s + i + 1, "0000", 4) == 0)
				return 1;
		}
	}
	return 0;
}

/* cJSON's tree of the whole text (blanks may follow), or NULL. */
static cJSON *
cjson_whole(const char *s, size_t n)
{
	const char *end;
	cJSON *v = cJSON_ParseWithLengthOpts(s, n, &end, 0);

	while (v != NULL && end < s + n && strchr(" \t\r\n", *end) != NULL && *end != '\0')
		end++;
	if (v != NULL && end != s + n) {
		cJSON_Delete(v);
		v = NULL;
	}
	return v;
}

/* Two trees write the same text (cJSON_Compare cannot tell duplicate members apart). */
static void
same_text(const cJSON *a, const cJSON *b)
{
	struct mcp_buf ta = {0}, tb = {0};
	char err[128];

	FUZZ_CHECK(mcp_json_write(&ta, a, err, sizeof(err)) == 0);
	FUZZ_CHECK(mcp_json_write(&tb, b, err, sizeof(err)) == 0);
	FUZZ_CHECK(ta.len == tb.len && memcmp(ta.p, tb.p, ta.len) == 0);
	mcp_buf_free(&ta);
	mcp_buf_free(&tb);
}

static void
check_parse(const char *s, size_t n, const cJSON *v, const cJSON *ref, const char *why)
{
	int fine = ref != NULL && memchr(s, '\0', n) == NULL && !bad_escape(s, n) &&
	    all_finite(ref) && depth_of(ref) <= MCP_JSON_DEPTH;

	FUZZ_CHECK((v != NULL) == fine);
	if (v == NULL)
		FUZZ_CHECK(strcmp(why, "malformed JSON") == 0 ||
		    strcmp(why, "a NUL byte in the JSON text") == 0 ||
		    strcmp(why, "a string holds U+0000") == 0 ||
		    strcmp(why, "a number outside the range of a double") == 0 ||
		    strcmp(why, "JSON nested deeper than 1000 levels") == 0);
	else
		same_text(v, ref);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *why = NULL;
	cJSON *v = mcp_json_parse(s, size, &why), *ref = cjson_whole(s, size);

	check_parse(s, size, v, ref, why);
	if (v != NULL) {
		check_write(v);
		check_jcs(v);
		check_hash(v);
	} else if (ref != NULL) {
		/* A tree the reader refuses is still one the writer must handle. */
		check_write(ref);
	}
	cJSON_Delete(v);
	cJSON_Delete(ref);
	return 0;
}
