/*
 * fuzz_targets.c - the targets file (lib/targets.c): mcp_target_parse on
 * every line of the input, mcp_header_add on every line as a -H or
 * --header-file argument, and mcp_targets_load on the whole input.
 *
 * A line parsed as a target has a slug that passes mcp_slug_ok, an http or
 * https URL, no empty option, a timeout in (0, 3600], and at most
 * MCP_HEADERS_MAX headers, each a field name the probe does not write
 * itself, given once, with a value fit for a header or a file to read it
 * from.  A refused line has a reason and leaves nothing allocated
 * (LeakSanitizer).  The whole input, read as a file, loads with no
 * wrong line exactly when it holds no NUL byte, every line parses and no
 * slug repeats, with the same targets in order; else the wrong lines are
 * counted and left out.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "../lib/mcp.h"
#include "../lib/targets.h"

static struct fuzz_file input;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file_open(&input, "targets");
	return 0;
}

static int
name_ok(const char *s)
{
	static const char *const own[] = {"host", "accept", "content-type", "content-length",
	    "mcp-session-id", "mcp-protocol-version", "last-event-id", "transfer-encoding"};
	size_t i, n = strlen(s);

	if (n == 0 || n > 64 ||
	    strspn(s,
	        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	        "0123456789!#$%&'*+-.^_`|~") != n)
		return 0;
	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (strcasecmp(s, own[i]) == 0)
			return 0;
	return 1;
}

static void
check_headers(const struct mcp_target *t)
{
	const struct mcp_header *h;
	int i, j;

	FUZZ_CHECK(t->nheaders >= 0 && t->nheaders <= MCP_HEADERS_MAX);
	for (i = 0; i < t->nheaders; i++) {
		h = &t->headers[i];
		FUZZ_CHECK(h->name != NULL && name_ok(h->name));
		FUZZ_CHECK((h->value == NULL) != (h->file == NULL));
		FUZZ_CHECK(h->value == NULL || mcp_header_value_bad(h->value) == NULL);
		FUZZ_CHECK(h->value == NULL || strlen(h->value) <= MCP_HEADER_VALUE_MAX);
		FUZZ_CHECK(h->file == NULL || h->file[0] != '\0');
		for (j = 0; j < i; j++)
			FUZZ_CHECK(strcasecmp(h->name, t->headers[j].name) != 0);
	}
}

static void
check_target(const struct mcp_target *t)
{
	int i;

	FUZZ_CHECK(t->slug != NULL && mcp_slug_ok(t->slug));
	FUZZ_CHECK(t->url != NULL &&
	    (strncmp(t->url, "http://", 7) == 0 || strncmp(t->url, "https://", 8) == 0));
	FUZZ_CHECK(t->token_file == NULL || t->token_file[0] != '\0');
	FUZZ_CHECK(t->call == NULL || t->call[0] != '\0');
	FUZZ_CHECK(t->call_args == NULL || t->call_args[0] != '\0');
	FUZZ_CHECK(t->connect_to == NULL || t->connect_to[0] != '\0');
	FUZZ_CHECK(t->era == NULL || strcmp(t->era, "auto") == 0 || strcmp(t->era, "modern") == 0 ||
	    strcmp(t->era, "legacy") == 0 || strcmp(t->era, "sse") == 0);
	FUZZ_CHECK(t->timeout >= 0 && t->timeout <= 3600);
	FUZZ_CHECK(t->guard == MCP_GUARD_NONE || t->guard == MCP_GUARD_PUBLIC ||
	    t->guard == MCP_GUARD_PUBLIC_HTTP);
	FUZZ_CHECK(t->token == NULL);
	FUZZ_CHECK(t->nexpect >= 0 && t->nexpect <= MCP_EXPECT_MAX);
	for (i = 0; i < t->nexpect; i++)
		FUZZ_CHECK(t->expect[i].text[0] != '\0' &&
		    strlen(t->expect[i].text) <= MCP_EXPECT_TEXT_MAX);
	FUZZ_CHECK(t->compiled == NULL);
	check_headers(t);
}

/* A line as a -H (even length) or --header-file (odd) argument. */
static void
check_header_arg(const char *line)
{
	struct mcp_target t;
	char err[256];
	int file = strlen(line) % 2;

	memset(&t, 0, sizeof(t));
	err[0] = '\0';
	if (mcp_header_add(&t, line, file, err, sizeof(err)) == 0) {
		FUZZ_CHECK(t.nheaders == 1);
		check_headers(&t);
		/* The same name again is refused, whatever its case. */
		FUZZ_CHECK(mcp_header_add(&t, line, file, err, sizeof(err)) == -1);
	} else {
		FUZZ_CHECK(err[0] != '\0' && t.nheaders == 0);
	}
	FUZZ_CHECK(t.nheaders <= 1);
	mcp_target_free(&t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_str(data, size), *line, *save = NULL, err[256];
	struct mcp_target t, *got = NULL;
	struct mcp_targets ts;
	size_t n = 0, i, j;
	int r, all_good = memchr(data, '\0', size) == NULL;

	/* Line by line, as the loader splits them (a NUL ends the text here). */
	if ((got = calloc(size + 1, sizeof(*got))) == NULL)
		abort();
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		check_header_arg(line);
		err[0] = '\0';
		r = mcp_target_parse(line, &t, err, sizeof(err));
		FUZZ_CHECK(r >= -1 && r <= 1);
		if (r == -1) {
			FUZZ_CHECK(err[0] != '\0' && t.slug == NULL && t.url == NULL);
			all_good = 0;
		} else if (r == 1) {
			check_target(&t);
			for (j = 0; j < n; j++)
				if (strcmp(got[j].slug, t.slug) == 0)
					all_good = 0;
			got[n++] = t;
		}
	}
	/* The loader reads the raw bytes; a NUL anywhere is an error naming its line. */
	fuzz_file_put(&input, data, size);
	r = mcp_targets_load(input.path, &ts, NULL, err, sizeof(err));
	FUZZ_CHECK(r == 0 && (ts.bad == 0) == all_good);
	/* The wrong lines are left out, the others kept, in order. */
	for (i = 0; i < ts.n; i++) {
		check_target(&ts.v[i]);
		FUZZ_CHECK(ts.v[i].lineno > 0 && (i == 0 || ts.v[i].lineno > ts.v[i - 1].lineno));
	}
	if (ts.bad == 0) {
		FUZZ_CHECK(ts.n == n);
		for (i = 0; i < ts.n; i++)
			FUZZ_CHECK(strcmp(ts.v[i].slug, got[i].slug) == 0 &&
			    strcmp(ts.v[i].url, got[i].url) == 0 &&
			    ts.v[i].nheaders == got[i].nheaders);
	}
	mcp_targets_free(&ts);
	for (i = 0; i < n; i++)
		mcp_target_free(&got[i]);
	free(got);
	free(text);
	return 0;
}
