/*
 * gz.c - the gzip of the ingest's bodies (zlib): the runner compresses,
 * the ingest inflates, never past a bound, so that a body of 8 MiB that
 * would inflate to gigabytes costs the ingest the bound and no more.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <string.h>

#include <zlib.h>

#include "aggregate.h"

#define STEP 65536

int
agg_gunzip(const char *in, size_t n, struct mcp_buf *out, size_t max, char *why, size_t len)
{
	z_stream z;
	char buf[STEP];
	int rc = Z_OK;

	memset(&z, 0, sizeof(z));
	/* 16 + MAX_WBITS: a gzip header and trailer, not zlib's. */
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		snprintf(why, len, "inflate: out of memory");
		return -1;
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	while (rc != Z_STREAM_END) {
		z.next_out = (Bytef *)buf;
		z.avail_out = sizeof(buf);
		rc = inflate(&z, Z_NO_FLUSH);
		if (rc != Z_OK && rc != Z_STREAM_END) {
			snprintf(
			    why, len, "gzip: %s", z.msg != NULL ? z.msg : "a truncated stream");
			inflateEnd(&z);
			return -1;
		}
		if (out->len + (sizeof(buf) - z.avail_out) > max) {
			snprintf(why, len, "more than %zu bytes once inflated", max);
			inflateEnd(&z);
			return 1;
		}
		if (mcp_buf_add(out, buf, sizeof(buf) - z.avail_out) == -1) {
			snprintf(why, len, "inflate: out of memory");
			inflateEnd(&z);
			return -1;
		}
		if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
			snprintf(why, len, "gzip: a truncated stream");
			inflateEnd(&z);
			return -1;
		}
	}
	inflateEnd(&z);
	/* One member, nothing after it. */
	if (z.avail_in != 0) {
		snprintf(why, len, "gzip: bytes after the stream");
		return -1;
	}
	return 0;
}

int
agg_gzip(const char *in, size_t n, struct mcp_buf *out)
{
	z_stream z;
	char buf[STEP];
	int rc = Z_OK;

	memset(&z, 0, sizeof(z));
	/* Level 1: a runner may be a small machine, and JSON shrinks fivefold all the same. */
	if (deflateInit2(&z, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	while (rc != Z_STREAM_END) {
		z.next_out = (Bytef *)buf;
		z.avail_out = sizeof(buf);
		rc = deflate(&z, Z_FINISH);
		if ((rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) ||
		    mcp_buf_add(out, buf, sizeof(buf) - z.avail_out) == -1) {
			deflateEnd(&z);
			return -1;
		}
	}
	deflateEnd(&z);
	return 0;
}
