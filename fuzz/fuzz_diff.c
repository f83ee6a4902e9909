/*
 * fuzz_diff.c - the list diff (toolset/diff.c, schema.c, class.c, words.c) on any two lists.
 *
 * The input: a first byte that picks the kind of list ('r' resources, 'p'
 * prompts, anything else tools), then the list from, a newline, and the
 * list to (each any text: what mcp_json_parse refuses is an empty list).
 *
 * What is checked:
 *  - the diff succeeds, keeps at most MCP_CH_MAX changes and counts the
 *    rest, its counts add up, and each change's texts are within their
 *    bounds, a rename's new name given and only a rename's;
 *  - a list compared with itself has no change, and from to to adds what
 *    to to from removes (and renames as many), when neither was cut;
 *  - the summary is I-JSON (a consumer may hash it), within max_bytes
 *    (2048 with 8 items, and 300), its text at most 240 bytes; every change
 *    as JSON is I-JSON, one object a change; the lines for a person are one
 *    a change, with no control character but their newlines.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include "fuzz.h"
#include "../lib/json.h"
#include "../toolset/toolset.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void
check_bounds(const struct mcp_diff *d)
{
	size_t i, k, sum = 0;

	FUZZ_CHECK(d->n <= MCP_CH_MAX && d->n <= d->cap + (d->cap == 0));
	for (k = 0; k < MCP_CH_NCLASS; k++)
		sum += d->count[k];
	FUZZ_CHECK(sum == d->n + d->more && d->security <= sum);
	FUZZ_CHECK(d->more == 0 || d->n == MCP_CH_MAX);
	for (i = 0; i < d->n; i++) {
		const struct mcp_change *c = &d->v[i];
		int rename = strstr(c->kind, "_renamed") != NULL;

		FUZZ_CHECK(c->cls < MCP_CH_NCLASS && c->kind != NULL);
		FUZZ_CHECK(strlen(c->item) <= MCP_CH_NAME_MAX && strlen(c->to) <= MCP_CH_NAME_MAX);
		FUZZ_CHECK(strlen(c->path) <= MCP_CH_PATH_MAX);
		FUZZ_CHECK(
		    strlen(c->before) <= MCP_CH_VALUE_MAX && strlen(c->after) <= MCP_CH_VALUE_MAX);
		/* A name may be "": a rename's new name too. */
		FUZZ_CHECK(rename == c->inferred && (rename || c->to[0] == '\0'));
	}
}

/* The number of items of d added, removed or renamed (what, past "tool_" or the like). */
static size_t
count(const struct mcp_diff *d, const char *what)
{
	static const char *items[] = {"tool_", "prompt_", "resource_"};
	size_t i, k, n = 0, l;

	for (i = 0; i < d->n; i++)
		for (k = 0; k < 3; k++) {
			l = strlen(items[k]);
			n += strncmp(d->v[i].kind, items[k], l) == 0 &&
			    strcmp(d->v[i].kind + l, what) == 0;
		}
	return n;
}

/* v written as canonical JSON (so: valid UTF-8, no member twice); its length. */
static size_t
ijson_len(const cJSON *v)
{
	struct mcp_buf b = {0};
	char err[128];
	size_t n;

	FUZZ_CHECK(v != NULL);
	FUZZ_CHECK(mcp_jcs_write(&b, v, err, sizeof(err)) == 0);
	mcp_buf_free(&b);
	FUZZ_CHECK(mcp_json_write(&b, v, err, sizeof(err)) == 0);
	n = b.len;
	mcp_buf_free(&b);
	return n;
}

static void
check_out(const struct mcp_diff *d)
{
	struct mcp_buf t = {0};
	cJSON *s;
	const cJSON *text;
	size_t i, lines = 0;

	s = mcp_diff_summary(d, 8, 2048);
	FUZZ_CHECK(ijson_len(s) <= 2048);
	text = cJSON_GetObjectItemCaseSensitive(s, "text");
	FUZZ_CHECK(cJSON_IsString(text) && strlen(text->valuestring) <= 240);
	FUZZ_CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(s, "items")) <= 8);
	cJSON_Delete(s);
	s = mcp_diff_summary(d, 1000, 300);
	FUZZ_CHECK(ijson_len(s) <= 300);
	cJSON_Delete(s);
	s = mcp_diff_json(d);
	ijson_len(s);
	FUZZ_CHECK(cJSON_GetArraySize(s) == (int)d->n);
	cJSON_Delete(s);
	FUZZ_CHECK(mcp_diff_text(d, &t) == 0);
	for (i = 0; i < t.len; i++) {
		FUZZ_CHECK(t.p[i] == '\n' || ((unsigned char)t.p[i] >= 0x20 && t.p[i] != 0x7f));
		lines += t.p[i] == '\n';
	}
	FUZZ_CHECK(lines == d->n + (d->more > 0));
	mcp_buf_free(&t);
}

static cJSON *
parse(const char *s, size_t n)
{
	const char *why;

	return mcp_json_parse(s, n, &why);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data + 1, *nl;
	enum mcp_list_kind kind;
	struct mcp_diff d, back, self;
	cJSON *a, *b;
	char err[128];
	size_t n;

	if (size < 1)
		return 0;
	kind = data[0] == 'r' ? MCP_LIST_RESOURCES
	    : data[0] == 'p'  ? MCP_LIST_PROMPTS
	                      : MCP_LIST_TOOLS;
	n = size - 1;
	nl = memchr(s, '\n', n);
	a = parse(s, nl ? (size_t)(nl - s) : n);
	b = nl ? parse(nl + 1, n - (size_t)(nl + 1 - s)) : NULL;

	FUZZ_CHECK(mcp_diff_lists(kind, a, b, &d, err, sizeof(err)) == 0);
	check_bounds(&d);
	check_out(&d);
	FUZZ_CHECK(mcp_diff_lists(kind, b, a, &back, err, sizeof(err)) == 0);
	check_bounds(&back);
	if (d.more == 0 && back.more == 0) {
		FUZZ_CHECK(count(&d, "added") == count(&back, "removed"));
		FUZZ_CHECK(count(&d, "removed") == count(&back, "added"));
		FUZZ_CHECK(count(&d, "renamed") == count(&back, "renamed"));
	}
	FUZZ_CHECK(mcp_diff_lists(kind, a, a, &self, err, sizeof(err)) == 0);
	FUZZ_CHECK(self.n == 0 && self.more == 0);
	mcp_diff_free(&d);
	mcp_diff_free(&back);
	mcp_diff_free(&self);
	cJSON_Delete(a);
	cJSON_Delete(b);
	return 0;
}
