/*
 * fuzz_loop.c - the record loop (lib/loop.c) on any stream: mcp_loop over
 * the input as a FILE (fmemopen), and mcp_lines_feed, the same loop for
 * readers that poll, fed the same bytes in chunks of pseudo-random sizes.
 *
 * Checked, against a line split of the harness's own:
 *  - both ways hand on the same records (as mcp_json_write writes them)
 *    with the same line numbers, count the same and return the same;
 *  - every record handed on is a JSON object with "v":1 and a string
 *    "type", from a line that is not blank and not longer than
 *    MCP_LINE_MAX, and line numbers rise;
 *  - a stream read to the end counts all its lines (a final one without a
 *    newline too), and each line that is not blank is either good or bad.
 *
 * The first byte of the input is not part of the stream: its low bits say
 * how the callback answers (go on, call every third record bad, stop at
 * the second), and bit 2 turns the first two 0x01 bytes of the stream
 * into half of MCP_LINE_MAX blanks each, so that lines near and past the
 * cap are tried without inputs of a megabyte.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include "fuzz.h"
#include "../lib/json.h"
#include "../lib/loop.h"

#define PAD (MCP_LINE_MAX / 2 - 8)
#define NPAD 2 /* 0x01 bytes made PAD blanks, at most */

struct seen {
	struct mcp_buf log; /* "LINENO:record\n" for each record handed on */
	long last;          /* the last line number handed on */
	long calls;
	int mode; /* how the callback answers */
	const struct line *lines;
	long nlines;
};

struct line {
	size_t len; /* newline excluded */
	int blank;
};

static int
on_record(cJSON *rec, long lineno, void *arg)
{
	struct seen *s = arg;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, "v");
	char err[128];

	FUZZ_CHECK(cJSON_IsObject(rec));
	FUZZ_CHECK(cJSON_IsNumber(v) && v->valuedouble == 1);
	FUZZ_CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(rec, "type")));
	FUZZ_CHECK(lineno > s->last && lineno <= s->nlines);
	FUZZ_CHECK(!s->lines[lineno - 1].blank && s->lines[lineno - 1].len <= MCP_LINE_MAX);
	s->last = lineno;
	s->calls++;
	if (mcp_buf_addf(&s->log, "%ld:", lineno) == -1)
		abort();
	FUZZ_CHECK(mcp_json_write(&s->log, rec, err, sizeof(err)) == 0);
	if (mcp_buf_addc(&s->log, '\n') == -1)
		abort();
	if (s->mode == 1 && s->calls % 3 == 0)
		return 1;
	if (s->mode == 2 && s->calls == 2)
		return -1;
	return 0;
}

/*
 * The stream with its first NPAD 0x01 bytes made PAD blanks when pad is
 * set; owned.  The harness's own passes over a megabyte go through libc,
 * which is not instrumented, so that they cost little.
 */
static char *
expand(const uint8_t *d, size_t n, int pad, size_t *len)
{
	const uint8_t *p = d, *end = d + n, *one;
	size_t w = 0;
	int k;
	char *s;

	if ((s = malloc(n + (pad ? NPAD * PAD : 0) + 1)) == NULL)
		abort();
	for (k = 0; pad && k < NPAD && (one = memchr(p, 1, (size_t)(end - p))) != NULL; k++) {
		memcpy(s + w, p, (size_t)(one - p));
		w += (size_t)(one - p);
		memset(s + w, ' ', PAD);
		w += PAD;
		p = one + 1;
	}
	memcpy(s + w, p, (size_t)(end - p));
	w += (size_t)(end - p);
	s[w] = '\0';
	*len = w;
	return s;
}

/* The lines as the loop must see them; owned array, count in *n. */
static struct line *
split(const char *s, size_t len, long *n)
{
	const char *p = s, *end = s + len, *nl;
	size_t k = 1;
	struct line *v;

	for (nl = s; (nl = memchr(nl, '\n', (size_t)(end - nl))) != NULL; nl++)
		k++;
	if ((v = calloc(k, sizeof(*v))) == NULL)
		abort();
	for (*n = 0; p < end; (*n)++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		v[*n].len = (size_t)((nl != NULL ? nl : end) - p);
		/* strspn stops at the newline, or at the NUL after the stream. */
		v[*n].blank = strspn(p, " \t\r") >= v[*n].len;
		p += v[*n].len + 1;
	}
	return v;
}

static uint64_t
next_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen a = {0}, b = {0};
	struct mcp_loop_stats sa, sb = {0};
	struct mcp_lines l = {0};
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	size_t len, off = 0, k, nonblank = 0, i;
	struct line *lines;
	long nlines;
	int ra, rb = 0;
	char *s;
	FILE *f;

	if (size == 0)
		return 0;
	a.mode = b.mode = data[0] % 3;
	s = expand(data + 1, size - 1, data[0] & 4, &len);
	lines = split(s, len, &nlines);
	a.lines = b.lines = lines;
	a.nlines = b.nlines = nlines;
	for (i = 0; i < (size_t)nlines; i++)
		nonblank += !lines[i].blank;

	/* fmemopen cannot open an empty buffer: an empty stream is read from /dev/null. */
	f = len > 0 ? fmemopen(s, len, "r") : fopen("/dev/null", "r");
	if (f == NULL)
		abort();
	ra = mcp_loop(f, "fuzz", on_record, &a, &sa);
	fclose(f);

	for (i = 1; i < size; i++)
		seed = (seed ^ data[i]) * 1099511628211ULL;
	do {
		k = (size_t)(next_rand(&seed) % 4096) + 1;
		if (seed % 7 == 0)
			k = len; /* sometimes all at once */
		k = k < len - off ? k : len - off;
		rb = mcp_lines_feed(&l, s + off, k, off + k == len, "fuzz", on_record, &b, &sb);
		off += k;
	} while (rb == 0 && off < len);
	mcp_lines_free(&l);

	FUZZ_CHECK(ra == rb);
	FUZZ_CHECK(sa.lines == sb.lines && sa.good == sb.good && sa.bad == sb.bad);
	FUZZ_CHECK(
	    a.log.len == b.log.len && (a.log.len == 0 || memcmp(a.log.p, b.log.p, a.log.len) == 0));
	FUZZ_CHECK(ra == 0 || ra == -1);
	FUZZ_CHECK(sa.good <= a.calls && a.calls <= sa.good + sa.bad + (ra == -1));
	if (ra == 0) {
		FUZZ_CHECK(sa.lines == nlines);
		FUZZ_CHECK((size_t)(sa.good + sa.bad) == nonblank);
	} else {
		FUZZ_CHECK(a.mode == 2 && a.calls == 2);
	}
	mcp_buf_free(&a.log);
	mcp_buf_free(&b.log);
	free(lines);
	free(s);
	return 0;
}
