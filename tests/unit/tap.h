/*
 * tap.h - the few lines of TAP the C unit tests print.  Included by one
 * test file each; ends with done_testing() as the script tests do.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef TAP_H
#define TAP_H

#include <stdarg.h>
#include <stdio.h>

static int ntests, nfailed;

__attribute__((format(printf, 2, 3))) static void
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	ntests++;
	if (!cond)
		nfailed++;
	printf("%sok %d - ", cond ? "" : "not ", ntests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* The plan, last; the exit status of the test program. */
static int
done_testing(void)
{
	printf("1..%d\n", ntests);
	return nfailed != 0;
}

#endif
