/*
 * test_ingest.c - unit tests for the pure pieces of the ingest and of
 * push --to: the gzip of a body and its bound (aggregate/gz.c), the form
 * of a token (aggregate/token.c), and the spool slots (aggregate/slot.c
 * over aggregate/spool.c): taken, held, moved, read in batches and ended
 * with what was answered gone.  Compiled in here, in TAP.
 *
 * usage: test_ingest [datadir]   (the argument is ignored)
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <sys/file.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../aggregate/gz.c"
#include "../../aggregate/slot.c"
#include "../../aggregate/spool.c"
#include "../../aggregate/token.c"
#include "tap.h"

/* Stand-ins for what token.c reaches in the rest of mcp-aggregate. */
struct mcp_store *
agg_connect(const struct agg_opts *o)
{
	(void)o;
	return NULL;
}

void
agg_usage(void)
{
	exit(2);
}

static void
test_gzip(void)
{
	struct mcp_buf in = {0}, gz = {0}, out = {0};
	char why[256];
	int i;

	for (i = 0; i < 20000; i++)
		mcp_buf_addf(&in, "{\"v\":1,\"type\":\"result\",\"n\":%d}\n", i);
	i = agg_gzip(in.p, in.len, &gz);
	ok(i == 0 && gz.len < in.len / 4, "gzip: %zu bytes in %zu", in.len, gz.len);
	ok(agg_gunzip(gz.p, gz.len, &out, in.len, why, sizeof(why)) == 0 && out.len == in.len &&
	        memcmp(out.p, in.p, in.len) == 0,
	    "gunzip: the same bytes back, at a bound of exactly their size");
	mcp_buf_reset(&out);
	ok(agg_gunzip(gz.p, gz.len, &out, in.len - 1, why, sizeof(why)) == 1 &&
	        strstr(why, "once inflated") != NULL && out.len <= in.len,
	    "gunzip: a byte over the bound: 1, inflated no further (%s)", why);
	mcp_buf_reset(&out);
	ok(agg_gunzip(gz.p, gz.len / 2, &out, in.len, why, sizeof(why)) == -1,
	    "gunzip: a stream cut in half: -1 (%s)", why);
	mcp_buf_reset(&out);
	ok(agg_gunzip(in.p, 100, &out, in.len, why, sizeof(why)) == -1,
	    "gunzip: JSON that is not gzip: -1 (%s)", why);
	mcp_buf_reset(&out);
	mcp_buf_add(&gz, "x", 1);
	ok(agg_gunzip(gz.p, gz.len, &out, in.len, why, sizeof(why)) == -1 &&
	        strstr(why, "after the stream") != NULL,
	    "gunzip: a byte after the stream: -1 (%s)", why);
	mcp_buf_free(&in);
	mcp_buf_free(&gz);
	mcp_buf_free(&out);
}

static void
test_token_form(void)
{
	static const char *const bad[] = {
	    "",
	    "3f9a0c1e",
	    "3f9a0c1e.",
	    "3F9A0C1E.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    "3f9a0c1e.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    "3f9a0c1e.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    "3f9a0c1e.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
	    "3f9a0c1e AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    "../../etc/passwd",
	};
	char id[9];
	size_t i;
	int all = 1;

	ok(agg_token_parse("3f9a0c1e.AZaz09-_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", id) == 0 &&
	        strcmp(id, "3f9a0c1e") == 0,
	    "token: ID.SECRET parsed, its id 3f9a0c1e");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (agg_token_parse(bad[i], id) != -1) {
			all = 0;
			printf("# taken: %s\n", bad[i]);
		}
	ok(all, "token: %zu forms refused (upper case, short, long, padding, a blank)",
	    sizeof(bad) / sizeof(bad[0]));
}

/* The lines of a file, or -1. */
static long
lines_of(const char *path)
{
	FILE *f = fopen(path, "r");
	long n = 0;
	int c;

	if (f == NULL)
		return -1;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static void
test_slots(void)
{
	char dir[] = "/tmp/test_ingest.XXXXXX", base[PATH_MAX], why[512], p1[PATH_MAX + 8];
	struct slot a, b, c;
	struct mcp_buf buf = {0};
	long m, kept;
	int i;

	if (mkdtemp(dir) == NULL) {
		ok(0, "slots: a directory");
		return;
	}
	snprintf(base, sizeof(base), "%s/spool.jsonl", dir);
	snprintf(p1, sizeof(p1), "%s/spool.1.jsonl", dir);
	ok(slot_take(base, &a, why, sizeof(why)) == 0 && strcmp(a.path, base) == 0 && a.end == 0,
	    "slots: the first run takes the spool itself");
	ok(slot_take(base, &b, why, sizeof(why)) == 0 && strcmp(b.path, p1) == 0,
	    "slots: a second run at once takes spool.1.jsonl");
	for (i = 0; i < 5; i++)
		slot_append(&b, "{\"b\":1}\n", 8);
	slot_close(&b); /* b ends with its 5 records kept */
	for (i = 0; i < 10; i++)
		slot_append(&a, "{\"a\":12}\n", 9);
	ok(slot_read(&a, 0, 30, 1000, &buf, &m) == 0 && m == 3 && buf.len == 27,
	    "slots: a batch of about 30 bytes: 3 whole lines");
	ok(slot_read(&a, 0, 1, 1000, &buf, &m) == 0 && m == 1 && buf.len == 9,
	    "slots: a batch smaller than a line: the line all the same");
	ok(slot_read(&a, 27, 1000, 4, &buf, &m) == 0 && m == 4 && buf.len == 36,
	    "slots: at most 4 lines, from the 4th");
	ok(slot_finish(&a, 27, &kept, why, sizeof(why)) == 0 && kept == 7 && lines_of(base) == 7,
	    "slots: 3 answered: the file replaced by the other 7");
	slot_close(&a);
	ok(slot_take(base, &c, why, sizeof(why)) == 0 && strcmp(c.path, base) == 0 &&
	        lines_of(base) == 12 && lines_of(p1) == 0,
	    "slots: the next run takes the spool, with the 5 of spool.1.jsonl moved in");
	ok(slot_finish(&c, c.end, &kept, why, sizeof(why)) == 0 && kept == 0 && lines_of(base) == 0,
	    "slots: everything answered: emptied");
	slot_close(&c);
	ok(slot_take(base, &a, why, sizeof(why)) == 0, "slots: taken again");
	slot_append(&a, "{\"a\":1}\n{\"a\":", 12);
	slot_close(&a); /* a run killed mid-write */
	ok(slot_take(base, &a, why, sizeof(why)) == 0 && a.end == 13 && lines_of(base) == 2,
	    "slots: half a line left by a run killed: ended at a line");
	ok(slot_finish(&a, 0, &kept, why, sizeof(why)) == 0 && kept == 2,
	    "slots: nothing answered: kept whole");
	slot_close(&a);
	mcp_buf_free(&buf);
	unlink(base);
	unlink(p1);
	rmdir(dir);
}

int
main(void)
{
	test_gzip();
	test_token_form();
	test_slots();
	return done_testing();
}
