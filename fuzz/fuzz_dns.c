/*
 * fuzz_dns.c - the static mcp-serve's reading of a DNS answer
 * (serve/dns.c) on any bytes.
 *
 * The answer comes from the network: it must never be read past its end,
 * never loop, and an address is taken only with the id and the question
 * asked.  The input's first byte picks the type asked (A or AAAA) and
 * how many addresses are kept; the rest is the answer, whose own id is the
 * one asked, so that the fuzzer gets past it.  The question asked is
 * store.test: the corpus answers it.  The answer is read from a copy of
 * exactly its length, so that ASan sees a byte read past it.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include "fuzz.h"
#include "../serve/resolve.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct resolve_addr out[RESOLVE_ADDR_MAX];
	int type, max, n = -1, i;
	enum resolve_rc rc;
	unsigned id;
	uint8_t *m;

	if (size < 1)
		return 0;
	type = data[0] & 1 ? RESOLVE_TYPE_AAAA : RESOLVE_TYPE_A;
	max = 1 + (data[0] >> 1) % RESOLVE_ADDR_MAX;
	data++;
	size--;
	id = size >= 2 ? (unsigned)data[0] << 8 | data[1] : 0;
	if ((m = malloc(size ? size : 1)) == NULL)
		abort();
	memcpy(m, data, size);
	rc = resolve_dns_answer(m, size, id, "store.test", type, out, max, &n);
	FUZZ_CHECK(rc == RESOLVE_OK || rc == RESOLVE_NONAME || rc == RESOLVE_FAIL ||
	    rc == RESOLVE_NOTOURS);
	if (rc == RESOLVE_OK) {
		FUZZ_CHECK(n >= 1 && n <= max);
		for (i = 0; i < n; i++)
			FUZZ_CHECK(out[i].family == (type == RESOLVE_TYPE_A ? AF_INET : AF_INET6));
		/* The question asked is in it, so the answer is at least that long. */
		FUZZ_CHECK(size >= 12 + 12 + 4);
	}
	/* Another id is never ours. */
	if (size >= 2)
		FUZZ_CHECK(resolve_dns_answer(m, size, id ^ 1, "store.test", type, out, max, &n) ==
		    RESOLVE_NOTOURS);
	free(m);
	return 0;
}
