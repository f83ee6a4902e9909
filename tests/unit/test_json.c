/*
 * test_json.c - unit tests for lib/json.c, in TAP.
 *
 * usage: test_json [datadir]   (default tests/data, run from the repository root)
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "json.h"
#include "tap.h"

/* The whole file, NUL-terminated, or NULL. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f;
	char *p = NULL;
	long n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (p = malloc((size_t)n + 1)) != NULL) {
		if (fread(p, 1, (size_t)n, f) == (size_t)n) {
			p[n] = '\0';
			*len = (size_t)n;
		} else {
			free(p);
			p = NULL;
		}
	}
	fclose(f);
	return p;
}

/*
 * Parse text strictly.  cJSON's require_null_terminated check looks at the
 * byte after the value, so the length given must include the NUL.
 */
static cJSON *
parse(const char *text)
{
	return cJSON_ParseWithLengthOpts(text, strlen(text) + 1, NULL, 1);
}

/* The JCS text of text, or NULL (caller frees); the reason goes to err. */
static char *
jcs(const char *text, char *err, size_t errlen)
{
	struct mcp_buf b = {0};
	cJSON *v;

	snprintf(err, errlen, "parse error");
	if ((v = parse(text)) == NULL)
		return NULL;
	if (mcp_jcs_write(&b, v, err, errlen) == -1)
		mcp_buf_free(&b);
	cJSON_Delete(v);
	return b.p;
}

static void
test_vector(const char *dir, const char *name)
{
	char path[4096], err[128];
	struct mcp_buf b = {0};
	char *in, *want;
	size_t inlen = 0, wantlen = 0;
	cJSON *v = NULL;
	int good = 0;

	if (snprintf(path, sizeof(path), "%s/jcs/input/%s.json", dir, name) >= (int)sizeof(path))
		in = NULL;
	else
		in = slurp(path, &inlen);
	if (snprintf(path, sizeof(path), "%s/jcs/output/%s.json", dir, name) >= (int)sizeof(path))
		want = NULL;
	else
		want = slurp(path, &wantlen);
	if (in == NULL || want == NULL)
		printf("# cannot read the %s vector under %s/jcs\n", name, dir);
	else if ((v = cJSON_ParseWithLengthOpts(in, inlen + 1, NULL, 1)) == NULL)
		printf("# %s: parse error\n", name);
	else if (mcp_jcs_write(&b, v, err, sizeof(err)) == -1)
		printf("# %s: %s\n", name, err);
	else if (!(good = b.len == wantlen && memcmp(b.p, want, wantlen) == 0))
		printf("# got:  %s\n# want: %s\n", b.p, want);
	ok(good, "RFC 8785 vector %s, byte for byte", name);
	cJSON_Delete(v);
	mcp_buf_free(&b);
	free(in);
	free(want);
}

static void
test_vectors(const char *dir)
{
	static const char *names[] = {
	    "arrays", "french", "structures", "unicode", "values", "weird"};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		test_vector(dir, names[i]);
}

static void
number_is(double d, const char *in, const char *want)
{
	char got[32];
	int rc;

	rc = mcp_json_number(d, got, sizeof(got));
	if (rc == -1 || strcmp(got, want) != 0)
		printf("# got \"%s\" (rc %d)\n", rc == -1 ? "" : got, rc);
	ok(rc == 0 && strcmp(got, want) == 0, "number %s -> %s", in, want);
}

static void
test_numbers(void)
{
	static const struct {
		const char *in, *want;
	} t[] = {
	    {"1e21", "1e+21"},
	    {"1e20", "100000000000000000000"},
	    {"0.000001", "0.000001"},
	    {"1e-7", "1e-7"},
	    {"123e-20", "1.23e-18"},
	    {"9007199254740993", "9007199254740992"},
	    {"5e-324", "5e-324"},
	    {"1.7976931348623157e308", "1.7976931348623157e+308"},
	    {"333333333.33333329", "333333333.3333333"},
	    {"4.50", "4.5"},
	    {"2e-3", "0.002"},
	    {"-1.5e-7", "-1.5e-7"},
	    {"-0", "0"},
	    {"1795536000.123", "1795536000.123"},
	    {"41.7", "41.7"},
	    {"13", "13"},
	};
	/* RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text. */
	static const struct {
		uint64_t bits;
		const char *want;
	} b[] = {
	    {0x0000000000000000, "0"},
	    {0x8000000000000000, "0"},
	    {0x0000000000000001, "5e-324"},
	    {0x8000000000000001, "-5e-324"},
	    {0x7fefffffffffffff, "1.7976931348623157e+308"},
	    {0xffefffffffffffff, "-1.7976931348623157e+308"},
	    {0x4340000000000000, "9007199254740992"},
	    {0xc340000000000000, "-9007199254740992"},
	    {0x4430000000000000, "295147905179352830000"},
	    {0x44b52d02c7e14af5, "9.999999999999997e+22"},
	    {0x44b52d02c7e14af6, "1e+23"},
	    {0x44b52d02c7e14af7, "1.0000000000000001e+23"},
	    {0x444b1ae4d6e2ef4e, "999999999999999700000"},
	    {0x444b1ae4d6e2ef4f, "999999999999999900000"},
	    {0x444b1ae4d6e2ef50, "1e+21"},
	    {0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
	    {0x3eb0c6f7a0b5ed8d, "0.000001"},
	    {0x41b3de4355555553, "333333333.3333332"},
	    {0x41b3de4355555554, "333333333.33333325"},
	    {0x41b3de4355555555, "333333333.3333333"},
	    {0x41b3de4355555556, "333333333.3333334"},
	    {0x41b3de4355555557, "333333333.33333343"},
	    {0xbecbf647612f3696, "-0.0000033333333333333333"},
	    {0x43143ff3c1cb0959, "1424953923781206.2"},
	    /* Powers of two, where the nearest short decimal can miss below. */
	    {0x0060000000000000, "7.120236347223045e-307"},
	    {0x13e0000000000000, "5.940911144672375e-213"},
	};
	char hex[24], buf[32];
	double d;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		number_is(strtod(t[i].in, NULL), t[i].in, t[i].want);
	for (i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
		memcpy(&d, &b[i].bits, sizeof(d));
		snprintf(hex, sizeof(hex), "0x%016llx", (unsigned long long)b[i].bits);
		number_is(d, hex, b[i].want);
	}
	ok(mcp_json_number(NAN, buf, sizeof(buf)) == -1 &&
	        mcp_json_number(INFINITY, buf, sizeof(buf)) == -1 &&
	        mcp_json_number(-INFINITY, buf, sizeof(buf)) == -1,
	    "NaN and infinities are refused");
	ok(mcp_json_number(-1.5e-7, buf, 7) == -1 && mcp_json_number(-1.5e-7, buf, 8) == 0,
	    "a buffer too small is refused");
}

static void
jcs_is(const char *in, const char *want, const char *what)
{
	char err[128], *got;

	if ((got = jcs(in, err, sizeof(err))) == NULL)
		printf("# %s\n", err);
	else if (strcmp(got, want) != 0)
		printf("# got:  %s\n# want: %s\n", got, want);
	ok(got != NULL && strcmp(got, want) == 0, "%s", what);
	free(got);
}

static void
test_utf16_order(void)
{
	/* RFC 8785 section 3.2.3, with U+1F600 before U+FB33 as UTF-16 has it. */
	jcs_is("{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\","
	       "\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\",\"1\":\"One\","
	       "\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\","
	       "\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}",
	    "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\","
	    "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\",\"\xe2\x82\xac\":\"Euro Sign\","
	    "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\","
	    "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}",
	    "members sort by UTF-16 code units (RFC 8785 3.2.3)");
	jcs_is("{\"\\ufb33\":1,\"\\ud83d\\ude02\":2}",
	    "{\"\xf0\x9f\x98\x82\":2,\"\xef\xac\xb3\":1}", "U+1F602 sorts before U+FB33");
	ok(mcp_utf16_cmp("\xf0\x9f\x98\x82", "\xef\xac\xb3") < 0 &&
	        mcp_utf16_cmp("\xef\xac\xb3", "\xf0\x9f\x98\x82") > 0,
	    "mcp_utf16_cmp: a supplementary char before U+FB33");
	ok(mcp_utf16_cmp("\xf0\x90\x80\x80", "\xee\x80\x80") < 0 &&
	        mcp_utf16_cmp("\xf0\x90\x80\x80", "\xed\x9f\xbf") > 0,
	    "mcp_utf16_cmp: U+10000 between U+D7FF and U+E000");
	ok(mcp_utf16_cmp("a", "ab") < 0 && mcp_utf16_cmp("ab", "a") > 0 &&
	        mcp_utf16_cmp("", "a") < 0 && mcp_utf16_cmp("\xc3\xb6", "\xc3\xb6") == 0,
	    "mcp_utf16_cmp: a common prefix sorts the shorter first");
	jcs_is("{\"b\":{\"z\":[3,{\"y\":1,\"x\":2}],\"a\":null},\"a\":[\"/\",\"\\u2028\\u007f\"]}",
	    "{\"a\":[\"/\",\"\xe2\x80\xa8\x7f\"],\"b\":{\"a\":null,\"z\":[3,{\"x\":2,\"y\":1}]}}",
	    "sorting is recursive, arrays keep order, '/' U+007F U+2028 stay raw");
	jcs_is("[\"\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f \\\"\\\\\"]",
	    "[\"\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f \\\"\\\\\"]",
	    "controls escaped short or as lowercase \\u00xx");
}

/* 1 when text parses and mcp_jcs_write refuses it. */
static int
refused(const char *text)
{
	char err[128], *got;

	if ((got = jcs(text, err, sizeof(err))) != NULL) {
		printf("# accepted: %s\n", got);
		free(got);
		return 0;
	}
	printf("# %s\n", err);
	return strcmp(err, "parse error") != 0;
}

static void
test_ijson(void)
{
	cJSON *v;
	char err[128];
	int rc;

	ok(refused("{\"a\":1,\"b\":2,\"a\":3}"), "duplicate member name refused");
	ok(refused("[{\"x\":{\"\\u00e9\":1,\"\xc3\xa9\":2}}]"),
	    "nested duplicate (escaped) refused");
	ok(refused("{\"a\":\"\xc3\x28\"}"), "invalid UTF-8 C3 28 in a string refused");
	ok(refused("{\"\xc0\xaf\":1}"), "overlong C0 AF in a member name refused");
	ok(refused("[\"\xed\xa0\x80\"]"), "encoded surrogate ED A0 80 refused");
	ok(refused("[\"\xf4\x90\x80\x80\"]") && refused("[\"\xe2\x82\"]"),
	    "past U+10FFFF and truncated sequences refused");
	ok(refused("[1e400]"), "a number that overflows to infinity refused");
	ok(mcp_utf8_valid("\xf4\x8f\xbf\xbf\xed\x9f\xbf\xee\x80\x80", 10) &&
	        !mcp_utf8_valid("\xe0\x80\xaf", 3) && !mcp_utf8_valid("\xf0\x80\x80\xaf", 4) &&
	        !mcp_utf8_valid("\xed\xbf\xbf", 3) && !mcp_utf8_valid("\x80", 1) &&
	        !mcp_utf8_valid("\xf8\x88\x80\x80\x80", 5),
	    "mcp_utf8_valid: limits and the forbidden forms");
	v = parse("{\"a\":[1,{\"b\":\"\xed\xa0\x80\"}]}");
	rc = mcp_ijson_check(v, err, sizeof(err));
	ok(v != NULL && rc == -1, "mcp_ijson_check finds a deep invalid string");
	cJSON_Delete(v);
}

static void
test_write(void)
{
	static const char in[] = "{\"t\":1795536000.123,\"ms\":41.7,\"b\":true,\"a\":[13,-0,null,"
	                         "false,1E21,\"x\\u00e9\\n\\/\"],\"z\":{},\"e\":[]}";
	static const char want[] = "{\"t\":1795536000.123,\"ms\":41.7,\"b\":true,\"a\":[13,0,null,"
	                           "false,1e+21,\"x\xc3\xa9\\n/\"],\"z\":{},\"e\":[],"
	                           "\"raw\":{ \"q\" : 1 }}";
	struct mcp_buf b = {0};
	char err[128];
	cJSON *v;
	int rc;

	v = parse(in);
	if (v != NULL)
		cJSON_AddRawToObject(v, "raw", "{ \"q\" : 1 }");
	rc = v != NULL ? mcp_json_write(&b, v, err, sizeof(err)) : -1;
	if (rc == 0 && strcmp(b.p, want) != 0)
		printf("# got:  %s\n# want: %s\n", b.p, want);
	ok(rc == 0 && strcmp(b.p, want) == 0,
	    "mcp_json_write: insertion order, 1795536000.123 and 41.7 exact, raw verbatim");
	mcp_buf_reset(&b);
	rc = mcp_jcs_write(&b, v, err, sizeof(err));
	ok(rc == -1 && b.len == 0, "mcp_jcs_write refuses raw text and leaves out empty");
	cJSON_Delete(v);

	v = cJSON_CreateArray();
	cJSON_AddItemToArray(v, cJSON_CreateNumber(1));
	cJSON_AddItemToArray(v, cJSON_CreateNumber(INFINITY));
	mcp_buf_reset(&b);
	mcp_buf_adds(&b, "kept");
	rc = mcp_json_write(&b, v, err, sizeof(err));
	ok(rc == -1 && strcmp(b.p, "kept") == 0,
	    "mcp_json_write refuses infinity and keeps what out held");
	cJSON_Delete(v);
	mcp_buf_free(&b);
}

/*
 * The expected tag was computed independently with the npm package
 * canonicalize 5.1.0 (tests/node_modules), over the TOOLS text below (saved,
 * unescaped from C, as /tmp/tools.json) sorted by name the same way:
 *
 *   cd tests && node --input-type=module -e "
 *     import c from 'canonicalize'; import {createHash} from 'crypto'; import fs from 'fs';
 *     const t = JSON.parse(fs.readFileSync('/tmp/tools.json', 'utf8'));
 *     const nm = (x) => typeof x.name === 'string' ? x.name : '';
 *     const s = c([...t].sort((a, b) => nm(a) < nm(b) ? -1 : nm(a) > nm(b) ? 1 : 0));
 *     console.log('sha256:' + createHash('sha256').update(s, 'utf8').digest('hex'));"
 */
#define TOOLS                                                                                      \
	"[{\"name\":\"zeta\",\"description\":\"5 \\u20ac\",\"inputSchema\":{\"type\":\"object\","  \
	"\"properties\":{\"b\":{\"type\":\"number\",\"default\":4.50},\"a\":{\"type\":\"string\"}" \
	"},"                                                                                       \
	"\"required\":[\"b\",\"a\"]}},{\"name\":\"\\ufb33\",\"description\":\"dalet\","            \
	"\"inputSchema\":{\"type\":\"object\"}},{\"name\":\"\\ud83d\\ude00\","                     \
	"\"description\":\"before U+FB33\",\"annotations\":{\"readOnlyHint\":true}},"              \
	"{\"name\":\"alpha\",\"description\":\"tab\\t, quote \\\" and /\",\"n\":1e21},"            \
	"{\"description\":\"no name sorts first\"}]"
#define TOOLS_HASH "sha256:51695a9b6fe5ed036995ad1e70963e2bc544614dfe41c8bc943b52b60dc256b7"

static void
test_tool_hash(void)
{
	static const char sorted[] = "[{\"d\":0,\"name\":7},{\"d\":1,\"name\":\"a\"},"
	                             "{\"d\":2,\"name\":\"b\"},{\"d\":1,\"name\":\"b\"}]";
	struct mcp_buf before = {0}, after = {0};
	char tag[MCP_HASH_LEN], want[MCP_HASH_LEN], err[128];
	cJSON *v, *dup;
	int rc;

	v = parse(TOOLS);
	mcp_json_write(&before, v, err, sizeof(err));
	rc = v != NULL ? mcp_tool_hash(v, tag, err, sizeof(err)) : -1;
	if (rc == 0 && strcmp(tag, TOOLS_HASH) != 0)
		printf("# got %s\n", tag);
	ok(rc == 0 && strcmp(tag, TOOLS_HASH) == 0, "tool hash matches canonicalize + sha256");
	mcp_json_write(&after, v, err, sizeof(err));
	ok(v != NULL && strncmp(before.p, "[{\"name\":\"zeta\"", 15) == 0 &&
	        strcmp(before.p, after.p) == 0,
	    "the caller's tools keep their order");
	cJSON_Delete(v);
	/* Equal names keep their order; a name that is not a string sorts as "". */
	v = parse("[{\"name\":\"b\",\"d\":2},{\"name\":\"a\",\"d\":1},{\"name\":\"b\",\"d\":1},"
	          "{\"name\":7,\"d\":0}]");
	rc = mcp_sha256_tag(sorted, strlen(sorted), want);
	ok(rc == 0 && v != NULL && mcp_tool_hash(v, tag, err, sizeof(err)) == 0 &&
	        strcmp(tag, want) == 0,
	    "tool sort is stable, a non-string name sorts as \"\"");
	dup = parse("[{\"name\":\"a\",\"name\":\"b\"}]");
	ok(dup != NULL && mcp_tool_hash(dup, tag, err, sizeof(err)) == -1,
	    "a tool with a duplicate member fails the hash");
	ok(mcp_sha256_tag("abc", 3, tag) == 0 &&
	        strcmp(tag,
	            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0,
	    "mcp_sha256_tag of \"abc\" (FIPS 180-2 example)");
	cJSON_Delete(dup);
	cJSON_Delete(v);
	mcp_buf_free(&before);
	mcp_buf_free(&after);
}

/* mcp_list_jcs and mcp_list_hash: any list, sorted by the key asked for. */
static void
test_list_hash(void)
{
	static const char sorted[] = "[{\"name\":\"z\",\"uri\":\"file:///a\"},"
	                             "{\"name\":\"a\",\"uri\":\"file:///b\"}]";
	struct mcp_buf b = {.p = NULL};
	char tag[MCP_HASH_LEN], want[MCP_HASH_LEN], err[128];
	cJSON *v = parse("[{\"uri\":\"file:///b\",\"name\":\"a\"},"
	                 "{\"uri\":\"file:///a\",\"name\":\"z\"}]");
	cJSON *dup = parse("[{\"uri\":\"x\",\"uri\":\"y\"}]");

	ok(v != NULL && mcp_list_jcs(v, "uri", &b, err, sizeof(err)) == 0 &&
	        strcmp(b.p, sorted) == 0,
	    "mcp_list_jcs: the JCS form of the list sorted by uri");
	ok(mcp_sha256_tag(sorted, strlen(sorted), want) == 0 &&
	        mcp_list_hash(v, "uri", tag, err, sizeof(err)) == 0 && strcmp(tag, want) == 0,
	    "mcp_list_hash: the tag of those bytes");
	b.len = 0;
	ok(mcp_buf_adds(&b, "kept") == 0 && dup != NULL &&
	        mcp_list_jcs(dup, "uri", &b, err, sizeof(err)) == -1 && strcmp(b.p, "kept") == 0,
	    "mcp_list_jcs: a list that is not I-JSON fails, the buffer as it was");
	cJSON_Delete(v);
	cJSON_Delete(dup);
	mcp_buf_free(&b);
}

/* mcp_buf_addf: in the room there is, grown when there is none, and max held. */
static void
test_buf_addf(void)
{
	struct mcp_buf b = {0}, m = {.max = 10};
	char big[300];
	int i, rc = 0;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (i = 0; i < 40; i++)
		rc |= mcp_buf_addf(&b, "%d,", i);
	rc |= mcp_buf_addf(&b, "%s", big);
	ok(rc == 0 && b.len == 110 + 299 && strncmp(b.p, "0,1,2,", 6) == 0 &&
	        strcmp(b.p + 110, big) == 0 && b.p[b.len] == '\0',
	    "addf: 40 numbers, then 299 bytes past the room: all there, NUL-terminated");
	ok(mcp_buf_addf(&m, "%s", "12345678") == 0 && mcp_buf_addf(&m, "%s", "abc") == -1 &&
	        m.len == 8 && strcmp(m.p, "12345678") == 0,
	    "addf: past max fails, whether or not the room would hold it, and leaves the buffer as "
	    "it was");
	mcp_buf_reset(&m);
	ok(mcp_buf_addf(&m, "%s", "0123456789") == 0 && m.len == 10 &&
	        mcp_buf_addf(&m, "%s", "") == 0 && strcmp(m.p, "0123456789") == 0,
	    "addf: up to max exactly");
	mcp_buf_free(&b);
	mcp_buf_free(&m);
}

/* mcp_json_string_ascii: every character past ASCII \uXXXX, read back as it was. */
static void
test_string_ascii(void)
{
	/* Tag space, é, U+FFFF, the last code point, a stray byte, a quote, a tab. */
	static const char in[] = "a\xf3\xa0\x80\xa0\xc3\xa9\xef\xbf\xbf\xf4\x8f\xbf\xbf\xff\"\t";
	struct mcp_buf b = {0};
	cJSON *v;
	size_t i;
	int ascii = 1, rc = mcp_json_string_ascii(&b, in);

	ok(rc == 0 &&
	        strcmp(b.p, "\"a\\udb40\\udc20\\u00e9\\uffff\\udbff\\udfff\\ufffd\\\"\\t\"") == 0,
	    "string_ascii: %s", b.p != NULL ? b.p : "(null)");
	for (i = 0; i < b.len; i++)
		ascii &= (unsigned char)b.p[i] >= 0x20 && (unsigned char)b.p[i] < 0x7f;
	v = cJSON_Parse(b.p);
	ok(ascii && cJSON_IsString(v) &&
	        strcmp(v->valuestring,
	            "a\xf3\xa0\x80\xa0\xc3\xa9\xef\xbf\xbf\xf4\x8f\xbf\xbf"
	            "\xef\xbf\xbd\"\t") == 0,
	    "string_ascii: printable ASCII alone, parsed back to the same text (the stray byte "
	    "U+FFFD)");
	cJSON_Delete(v);
	mcp_buf_free(&b);
}

int
main(int argc, char *argv[])
{
	const char *dir = argc > 1 ? argv[1] : "tests/data";

	setvbuf(stdout, NULL, _IOLBF, 0);
	test_vectors(dir);
	test_numbers();
	test_utf16_order();
	test_ijson();
	test_write();
	test_tool_hash();
	test_list_hash();
	test_buf_addf();
	test_string_ascii();
	return done_testing();
}
