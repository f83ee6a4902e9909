/*
 * trace.c - trace and span ids derived from a probe_id (trace.h): the
 * rule mcp-otlp(1) documents, kept in one place for both tools.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <string.h>

#include "sha256.h"
#include "trace.h"

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void
mcp_trace_id(const char *id, unsigned char out[16])
{
	unsigned char d[MCP_SHA256_SIZE];
	int i, hi, lo, zero = 1;

	for (i = 0; strlen(id) == 32 && i < 16; i++) {
		hi = hexval((unsigned char)id[2 * i]);
		lo = hexval((unsigned char)id[2 * i + 1]);
		if (hi < 0 || lo < 0)
			break;
		out[i] = (unsigned char)(hi << 4 | lo);
		zero &= out[i] == 0;
	}
	if (i == 16 && !zero)
		return;
	mcp_sha256(id, strlen(id), d);
	memcpy(out, d, 16);
}

void
mcp_span_id(const char *probe_id, const char *name, unsigned char id[8])
{
	unsigned char d[MCP_SHA256_SIZE];
	char in[256];
	int n = snprintf(in, sizeof(in), "%s/%s", probe_id, name);

	mcp_sha256(in, n < 0 ? 0 : (size_t)n < sizeof(in) ? (size_t)n : sizeof(in) - 1, d);
	memcpy(id, d, 8);
}

static char *
hex(char *o, const unsigned char *b, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		*o++ = digits[b[i] >> 4];
		*o++ = digits[b[i] & 15];
	}
	return o;
}

void
mcp_traceparent(const char *probe_id, const char *name, char out[MCP_TRACEPARENT_SIZE])
{
	unsigned char t[16], s[8];
	char *o = out;

	mcp_trace_id(probe_id, t);
	mcp_span_id(probe_id, name, s);
	memcpy(o, "00-", 3);
	o = hex(o + 3, t, sizeof(t));
	*o++ = '-';
	o = hex(o, s, sizeof(s));
	memcpy(o, "-01", 4);
}
