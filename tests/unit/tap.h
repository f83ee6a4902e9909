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

/*
 * Code point cp in UTF-8 at u (5 bytes, NUL-terminated); a surrogate
 * encoded as if it were a character (bytes a decoder refuses).
 */
static inline void
tap_utf8(unsigned long cp, unsigned char u[5])
{
	if (cp < 0x80)
		u[0] = (unsigned char)cp, u[1] = 0;
	else if (cp < 0x800)
		u[0] = (unsigned char)(0xc0 | cp >> 6), u[1] = (unsigned char)(0x80 | (cp & 0x3f)),
		u[2] = 0;
	else if (cp < 0x10000)
		u[0] = (unsigned char)(0xe0 | cp >> 12),
		u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f)),
		u[2] = (unsigned char)(0x80 | (cp & 0x3f)), u[3] = 0;
	else
		u[0] = (unsigned char)(0xf0 | cp >> 18),
		u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f)),
		u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f)),
		u[3] = (unsigned char)(0x80 | (cp & 0x3f)), u[4] = 0;
}

/* The plan, last; the exit status of the test program. */
static int
done_testing(void)
{
	printf("1..%d\n", ntests);
	return nfailed != 0;
}

#endif
