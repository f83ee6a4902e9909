/*
 * numgen - print random doubles as mcp_json_number writes them
 *
 * usage: numgen N [SEED]
 *
 * Prints N lines "HEX TEXT": the 16 hex digits of a double's bits and its
 * text from mcp_json_number.  tests/fuzz.t gives them to node, whose
 * String(Number) is the reference (ECMAScript Number::toString, the form
 * RFC 8785 and JSON.stringify use).  The doubles are drawn to cover every
 * path of the writer: any bit pattern, subnormals, the extremes, integers
 * near 2^53, whole milliseconds, short decimals and powers of ten around
 * the switch to exponent form.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static uint64_t state = 88172645463325252ULL;

static uint64_t
next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

static double
of_bits(uint64_t b)
{
	double d;

	memcpy(&d, &b, sizeof(d));
	return d;
}

static uint64_t
bits_of(double d)
{
	uint64_t b;

	memcpy(&b, &d, sizeof(b));
	return b;
}

/* One double of the kind k. */
static double
draw(int k)
{
	uint64_t r = next();
	double sign = r & 1 ? -1 : 1;

	switch (k) {
	case 0: /* any bit pattern */
		return of_bits(r);
	case 1: /* a subnormal */
		return of_bits((r & 0x800fffffffffffffULL) | 1);
	case 2: /* the largest and smallest exponents */
		return of_bits(
		    (r & 0x800fffffffffffffULL) | ((r >> 1 & 1 ? 0x7feULL : 0x001ULL) << 52));
	case 3: /* an integer around 2^53 */
		return sign * (9007199254740992.0 + (double)(int64_t)(r % 4096) - 2048);
	case 4: /* whole milliseconds, as times and durations are */
		return sign * (double)(r % 100000000000000ULL) / 1000.0;
	case 5: /* a short decimal: few digits, any exponent */
		return sign * (double)(r % 100000) * pow(10, (int)(r >> 20 & 0x3f) - 40);
	case 6: /* a power of ten and its neighbours, near 1e21 and 1e-7 */
		return of_bits(bits_of(pow(10, (int)(r >> 16 & 0x3f) - 30)) + (r >> 8) % 5 - 2);
	default: /* a double with a short mantissa */
		return of_bits((r & 0xfff0000000000000ULL) | (next() & 0x000ff00000000000ULL));
	}
}

int
main(int argc, char *argv[])
{
	char text[64];
	long n, i;
	double d;

	if (argc < 2 || argc > 3 || (n = strtol(argv[1], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: numgen N [SEED]\n");
		return 2;
	}
	if (argc == 3)
		state = strtoull(argv[2], NULL, 10) | 1;
	for (i = 0; i < n;) {
		d = draw((int)(next() % 8));
		if (!isfinite(d))
			continue;
		if (mcp_json_number(d, text, sizeof(text)) == -1) {
			fprintf(stderr, "numgen: %a: not written\n", d);
			return 1;
		}
		printf("%016llx %s\n", (unsigned long long)bits_of(d), text);
		i++;
	}
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}
