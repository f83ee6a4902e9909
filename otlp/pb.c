/*
 * pb.c - the protobuf wire format (varints, fixed and length-delimited
 * fields), written by hand for OTLP's trace.proto, common.proto and
 * resource.proto: no generated code, no library.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <string.h>

#include "otlp.h"

enum { WIRE_VARINT = 0, WIRE_I64 = 1, WIRE_LEN = 2, WIRE_I32 = 5 };

int
pb_varint(struct mcp_buf *b, uint64_t v)
{
	unsigned char t[10];
	size_t n = 0;

	do {
		t[n] = v & 0x7f;
		v >>= 7;
		if (v != 0)
			t[n] |= 0x80;
		n++;
	} while (v != 0);
	return mcp_buf_add(b, t, n);
}

int
pb_tag(struct mcp_buf *b, unsigned field, unsigned wire)
{
	return pb_varint(b, (uint64_t)field << 3 | wire);
}

int
pb_uint(struct mcp_buf *b, unsigned field, uint64_t v)
{
	if (pb_tag(b, field, WIRE_VARINT) == -1)
		return -1;
	return pb_varint(b, v);
}

int
pb_fixed64(struct mcp_buf *b, unsigned field, uint64_t v)
{
	unsigned char t[8];
	int i;

	for (i = 0; i < 8; i++)
		t[i] = (unsigned char)(v >> (8 * i));
	if (pb_tag(b, field, WIRE_I64) == -1)
		return -1;
	return mcp_buf_add(b, t, 8);
}

int
pb_fixed32(struct mcp_buf *b, unsigned field, uint32_t v)
{
	unsigned char t[4];
	int i;

	for (i = 0; i < 4; i++)
		t[i] = (unsigned char)(v >> (8 * i));
	if (pb_tag(b, field, WIRE_I32) == -1)
		return -1;
	return mcp_buf_add(b, t, 4);
}

int
pb_bytes(struct mcp_buf *b, unsigned field, const void *p, size_t n)
{
	if (pb_tag(b, field, WIRE_LEN) == -1 || pb_varint(b, n) == -1)
		return -1;
	return n == 0 ? 0 : mcp_buf_add(b, p, n);
}

int
pb_str(struct mcp_buf *b, unsigned field, const char *s)
{
	return pb_bytes(b, field, s, strlen(s));
}

/* KeyValue{key = 1, value = 2}: v holds the AnyValue's fields (string 1, bool 2, int 3). */
static int
kv(struct mcp_buf *b, unsigned f, const char *key, const struct mcp_buf *v)
{
	struct mcp_buf pair = {0};
	int rc = -1;

	if (pb_str(&pair, 1, key) == 0 && pb_bytes(&pair, 2, v->p, v->len) == 0)
		rc = pb_bytes(b, f, pair.p, pair.len);
	mcp_buf_free(&pair);
	return rc;
}

int
pb_kv_str(struct mcp_buf *b, unsigned f, const char *key, const char *val)
{
	struct mcp_buf v = {0};
	int rc = pb_str(&v, 1, val) == -1 ? -1 : kv(b, f, key, &v);

	mcp_buf_free(&v);
	return rc;
}

int
pb_kv_int(struct mcp_buf *b, unsigned f, const char *key, long long val)
{
	struct mcp_buf v = {0};
	int rc = pb_uint(&v, 3, (uint64_t)val) == -1 ? -1 : kv(b, f, key, &v);

	mcp_buf_free(&v);
	return rc;
}

int
pb_kv_bool(struct mcp_buf *b, unsigned f, const char *key, int val)
{
	struct mcp_buf v = {0};
	int rc = pb_uint(&v, 2, val != 0) == -1 ? -1 : kv(b, f, key, &v);

	mcp_buf_free(&v);
	return rc;
}
