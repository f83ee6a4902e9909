/*
 * fuzz_number.c - number formatting (mcp_json_number) on any double.
 *
 * The input's first 8 bytes are a double's bits.  For a finite double the
 * text must read back (strtod) as exactly that double, have the fewest
 * significant digits that do (the shortest of printf's %.*e forms that
 * reads back), and follow the ECMAScript Number::toString layout: no '+'
 * in a plain number, no leading zeros, an exponent only below 1e-6 or from
 * 1e21.  A non-finite double must be refused.  The comparison with node
 * itself is in tests/fuzz.t (numgen).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>

#include "fuzz.h"
#include "../lib/json.h"

/* The significant digits of the text t ("-0.00123e+5" has 3). */
static int
sig_digits(const char *t)
{
	const char *s = t, *first = NULL, *last = NULL;

	for (; *s != '\0' && *s != 'e'; s++) {
		if (*s < '1' || *s > '9')
			continue;
		if (first == NULL)
			first = s;
		last = s;
	}
	if (first == NULL)
		return 1;
	return (int)(last - first) + 1 - (memchr(first, '.', (size_t)(last - first)) != NULL);
}

/* The fewest digits (1 to 17) of a %.*e form that reads back as d. */
static int
shortest(double d)
{
	char s[40];
	int p;

	for (p = 0; p < 17; p++) {
		snprintf(s, sizeof(s), "%.*e", p, d);
		if (strtod(s, NULL) == d)
			return p + 1;
	}
	return 17;
}

static void
check_layout(const char *t, double d)
{
	const char *e = strchr(t, 'e'), *s = t[0] == '-' ? t + 1 : t;
	double a = fabs(d);

	FUZZ_CHECK(strchr(t, '+') == NULL || (e != NULL && e[1] == '+'));
	FUZZ_CHECK(s[0] != '0' || s[1] == '\0' || s[1] == '.');
	FUZZ_CHECK((e != NULL) == (a != 0 && (a < 1e-6 || a >= 1e21)));
	if (e != NULL)
		FUZZ_CHECK(e[-1] != '.' && e[-1] != '0' && (e[1] == '+' || e[1] == '-'));
	else if (strchr(t, '.') != NULL)
		FUZZ_CHECK(t[strlen(t) - 1] != '0' && t[strlen(t) - 1] != '.');
	FUZZ_CHECK((t[0] == '-') == (d < 0));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char t[32], small[8];
	double d;
	int rc;

	if (size < sizeof(d))
		return 0;
	memcpy(&d, data, sizeof(d));
	rc = mcp_json_number(d, t, sizeof(t));
	if (!isfinite(d)) {
		FUZZ_CHECK(rc == -1);
		return 0;
	}
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(strtod(t, NULL) == d);
	check_layout(t, d);
	if (d != 0)
		FUZZ_CHECK(sig_digits(t) <= shortest(d));
	/* A buffer too short fails; it is never overrun (ASan sees to that). */
	rc = mcp_json_number(d, small, sizeof(small));
	FUZZ_CHECK(rc == (strlen(t) < sizeof(small) ? 0 : -1));
	return 0;
}
