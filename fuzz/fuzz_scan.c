/*
 * fuzz_scan.c - the text rules (toolset/scan.c, scanrules.c, mcp-rules(7))
 * over any list a server serves, or any text of its instructions.
 *
 * The input: a first byte that picks what the rest is: 'i' the server's
 * instructions (any bytes, up to a NUL), 'r' a resource list, 'p' a prompt
 * list, anything else a tool list (any text: an object is one item,
 * anything but an array or an object nothing).
 *
 * What is checked:
 *  - the scan succeeds; it keeps at most MCP_SCAN_MAX findings, counts
 *    the rest, and its counts add up; the worst severity is the first
 *    counted; each rule found has its bit;
 *  - each finding is of a rule of the table, at its severity or at low
 *    (a shape of honest words, toolset/shape.c: P103, P104, P106 only), of a list
 *    named, within the bounds of its fields, its pointer a JSON pointer;
 *    its excerpt is UTF-8 with every hidden character (the rules' set:
 *    tags, bidirectional controls, variation selectors, zero-width and
 *    control characters) written out, none left in it but tab and newline;
 *  - its summary and its every finding as JSON are I-JSON (a consumer
 *    hashes them), the summary's count all the findings';
 *  - the same text scanned again finds the same.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include "fuzz.h"
#include "../lib/json.h"
#include "../lib/mcp.h"
#include "../toolset/toolset.h"

FUZZ_INIT_QUIET

/* A character the rules call hidden (scanrules.c's hidden(), as mcp-rules(7) lists them). */
static int
hidden(unsigned long c)
{
	return (c >= 0xE0000 && c <= 0xE007F) || c == 0x061C || c == 0x200E || c == 0x200F ||
	    (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
	    (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF) ||
	    (c >= 0x200B && c <= 0x200D) || (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF ||
	    (c >= 0x180B && c <= 0x180F) || c == 0x17B4 || c == 0x17B5 || c == 0x00AD ||
	    c == 0x034F || c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 ||
	    (c >= 0xFFF9 && c <= 0xFFFB) || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
	    (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029;
}

static void
check_excerpt(const char *s)
{
	size_t n = strlen(s), i, k;
	unsigned long c;

	for (i = 0; i < n; i += k) {
		FUZZ_CHECK((k = mcp_utf8_decode(s + i, n - i, &c)) > 0);
		FUZZ_CHECK(!hidden(c));
	}
}

static void
check_finding(const struct mcp_finding *f)
{
	size_t r;

	for (r = 0; r < mcp_scan_nrules && strcmp(mcp_scan_rules[r].id, f->rule) != 0; r++)
		;
	FUZZ_CHECK(r < mcp_scan_nrules &&
	    (mcp_scan_rules[r].sev == f->sev ||
	        (f->sev == MCP_SEV_LOW &&
	            (strcmp(f->rule, "MCPU-P103") == 0 || strcmp(f->rule, "MCPU-P104") == 0 ||
	                strcmp(f->rule, "MCPU-P106") == 0 || strcmp(f->rule, "MCPU-P111") == 0 ||
	                strcmp(f->rule, "MCPU-P112") == 0 || strcmp(f->rule, "MCPU-P115") == 0 ||
	                strcmp(f->rule, "MCPU-P116") == 0 || strcmp(f->rule, "MCPU-P105") == 0 ||
	                strcmp(f->rule, "MCPU-P107") == 0 || strcmp(f->rule, "MCPU-P120") == 0))));
	FUZZ_CHECK(strcmp(f->list, "tool") == 0 || strcmp(f->list, "resource") == 0 ||
	    strcmp(f->list, "prompt") == 0 || strcmp(f->list, "server") == 0);
	FUZZ_CHECK(strlen(f->item) <= MCP_CH_NAME_MAX && strlen(f->pointer) <= MCP_SCAN_PTR_MAX);
	FUZZ_CHECK(strlen(f->excerpt) <= MCP_SCAN_EXCERPT_MAX);
	FUZZ_CHECK(strlen(f->hidden) <= MCP_SCAN_HIDDEN_MAX);
	FUZZ_CHECK(f->pointer[0] == '\0' || f->pointer[0] == '/');
	FUZZ_CHECK(f->hidden[0] == '\0' || strcmp(f->rule, "MCPU-P001") == 0);
	check_excerpt(f->excerpt);
}

/* v written as I-JSON, and deleted. */
static void
check_json(cJSON *v)
{
	struct mcp_buf b = {0};
	char err[128];

	FUZZ_CHECK(v != NULL);
	FUZZ_CHECK(mcp_json_write(&b, v, err, sizeof(err)) == 0);
	mcp_buf_free(&b);
	cJSON_Delete(v);
}

static void
scan(struct mcp_scan *s, int what, const char *text, const cJSON *list)
{
	enum mcp_list_kind k = what == 'r' ? MCP_LIST_RESOURCES
	    : what == 'p'                  ? MCP_LIST_PROMPTS
	                                   : MCP_LIST_TOOLS;
	const cJSON *it;

	memset(s, 0, sizeof(*s));
	if (what == 'i')
		FUZZ_CHECK(mcp_scan_instructions(s, text) == 0);
	else if (cJSON_IsObject(list))
		FUZZ_CHECK(mcp_scan_item(s, k, list) == 0);
	else if (cJSON_IsArray(list))
		cJSON_ArrayForEach(it, list) FUZZ_CHECK(mcp_scan_item(s, k, it) == 0);
	FUZZ_CHECK(mcp_scan_finish(s) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mcp_scan s, again;
	const char *why;
	cJSON *list = NULL, *sum;
	char *text;
	size_t i, total = 0;
	int v, worst = MCP_SEV_N;

	if (size < 1)
		return 0;
	text = fuzz_str(data + 1, size - 1);
	if (data[0] != 'i')
		list = mcp_json_parse(text, size - 1, &why);
	scan(&s, data[0], text, list);

	FUZZ_CHECK(s.n <= MCP_SCAN_MAX && (s.more == 0 || s.n == MCP_SCAN_MAX));
	for (v = 0; v < MCP_SEV_N; v++) {
		total += s.count[v];
		if (s.count[v] > 0 && worst == MCP_SEV_N)
			worst = v;
	}
	FUZZ_CHECK(total == s.n + s.more && (int)mcp_scan_worst(&s) == worst);
	for (i = 0; i < s.n; i++) {
		check_finding(&s.v[i]);
		for (v = 0; (size_t)v < mcp_scan_nrules; v++)
			if (strcmp(mcp_scan_rules[v].id, s.v[i].rule) == 0)
				FUZZ_CHECK(s.rules & (1UL << v));
	}
	FUZZ_CHECK((sum = mcp_scan_summary(&s, 8)) != NULL);
	FUZZ_CHECK(mcp_json_num(sum, "count") == (double)total);
	check_json(sum);
	check_json(mcp_scan_json(&s));

	scan(&again, data[0], text, list);
	FUZZ_CHECK(again.n == s.n && again.more == s.more);
	for (i = 0; i < s.n; i++)
		FUZZ_CHECK(strcmp(again.v[i].rule, s.v[i].rule) == 0 &&
		    strcmp(again.v[i].pointer, s.v[i].pointer) == 0 &&
		    strcmp(again.v[i].excerpt, s.v[i].excerpt) == 0);
	mcp_scan_free(&again);
	mcp_scan_free(&s);
	cJSON_Delete(list);
	free(text);
	return 0;
}
