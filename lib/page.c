/*
 * page.c - the rules of the status page's subscriptions that both tools
 * apply: what an address is, what a subscriber's id is (lib/page.h).
 * Pure: no I/O.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <string.h>

#include "page.h"

int
mcp_page_addr_ok(const char *a)
{
	const char *at = strrchr(a, '@'), *d;
	size_t i, n = strlen(a);

	if (n > PAGE_ADDR_MAX || at == NULL || at == a || strchr(a, '@') != at || at - a > 64 ||
	    strchr(at, '.') == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)a[i] <= ' ' || (unsigned char)a[i] >= 0x7f ||
		    (a[i] >= 'A' && a[i] <= 'Z') || strchr("<>()[],;:\"\\%!`'", a[i]) != NULL)
			return 0;
	/* The domain: labels of letters, digits and hyphens, none empty. */
	for (d = at + 1; *d != '\0'; d += strcspn(d, ".") + (d[strcspn(d, ".")] == '.')) {
		size_t l = strcspn(d, ".");

		if (l == 0 || l > 63 || strspn(d, "abcdefghijklmnopqrstuvwxyz0123456789-") < l ||
		    d[0] == '-' || d[l - 1] == '-')
			return 0;
	}
	return a[n - 1] != '.';
}

int
mcp_page_id_ok(const char *s)
{
	return strlen(s) == PAGE_ID_HEX + 1 && strchr("ewk", s[0]) != NULL && s[0] != '\0' &&
	    strspn(s + 1, "0123456789abcdef") == PAGE_ID_HEX;
}
