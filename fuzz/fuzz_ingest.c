/*
 * fuzz_ingest.c - what push --to reads from the deciding host, which may
 * be broken or hostile: the ingest's answer, line by line
 * (aggregate/relay.c, read_answer), and a gzip body inflated against its
 * bound (aggregate/gz.c, the ingest's side).
 *
 * The first byte picks: even, the input is an answer to a batch of 64
 * lines: every fate read must be one of the five and for a line of the
 * batch, every reason a string the answer held; odd, the rest is gzip,
 * inflated with a bound of 4096 bytes: never more than the bound kept,
 * and what inflates whole within it is the same inflated again.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include "fuzz.h"
#include "../aggregate/relay.c"

#define LINES 64
#define BOUND 4096

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return 0;
}

static void
answer(const uint8_t *data, size_t size)
{
	struct mcp_buf b = {0};
	signed char fate[LINES];
	char *why[LINES] = {0};
	cJSON *lack[LINES] = {0};
	long i;

	if (mcp_buf_add(&b, data, size) == -1)
		return;
	memset(fate, -1, sizeof(fate));
	read_answer(&b, fate, why, lack, LINES);
	for (i = 0; i < LINES; i++) {
		FUZZ_CHECK(fate[i] >= -1 && fate[i] <= AGG_CONFLICT);
		FUZZ_CHECK(fate[i] != -1 || (why[i] == NULL && lack[i] == NULL));
		free(why[i]);
		cJSON_Delete(lack[i]);
	}
	mcp_buf_free(&b);
}

static void
inflate_bounded(const uint8_t *data, size_t size)
{
	struct mcp_buf a = {0}, b = {0};
	char why[256];
	int rc = agg_gunzip((const char *)data, size, &a, BOUND, why, sizeof(why));

	FUZZ_CHECK(a.len <= BOUND || rc != 0);
	FUZZ_CHECK(rc != 1 || a.len <= BOUND);
	if (rc == 0) {
		FUZZ_CHECK(agg_gunzip((const char *)data, size, &b, BOUND, why, sizeof(why)) == 0);
		FUZZ_CHECK(a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0));
	}
	mcp_buf_free(&a);
	mcp_buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] % 2 == 0)
		answer(data + 1, size - 1);
	else
		inflate_bounded(data + 1, size - 1);
	return 0;
}
