/*
 * fuzz_grant.c - what the probe takes from an authorization server
 * (probe/grant.c) and the audience it binds a token to (probe/auth.c).
 *
 * The input's first line is a URL given to url_canonical; the rest is a
 * token endpoint's answer, read with mcp_json_parse as the probe reads it.
 * Checked:
 *  - a canonical URI has a scheme and host in lower case and no user,
 *    query or fragment, and is its own canonical URI;
 *  - a token grant_token takes is printable ASCII without blanks, at
 *    most 16 KiB, and its lifetime is 0 (this run only) or a whole
 *    number of seconds from 1 to a year;
 *  - the error code grant_error copies is "no error code" or 1 to 64
 *    characters of RFC 6749's NQSCHAR.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include "fuzz.h"
#include "../lib/json.h"
#include "../lib/mcp.h"
#include "../probe/oauth.h"

static void
check_canonical(const char *url)
{
	char a[2048], b[2048];
	const char *host;
	size_t i;

	if (url_canonical(url, a, sizeof(a)) == -1)
		return;
	FUZZ_CHECK(strchr(a, '?') == NULL && strchr(a, '#') == NULL);
	host = strstr(a, "://");
	FUZZ_CHECK(host != NULL);
	for (i = 0; a + i < host; i++)
		FUZZ_CHECK(a[i] < 'A' || a[i] > 'Z');
	FUZZ_CHECK(strchr(host + 3, '@') == NULL || strchr(host + 3, '/') != NULL);
	for (i = 3; host[i] != '\0' && host[i] != '/' && host[i] != ':'; i++)
		FUZZ_CHECK(host[i] < 'A' || host[i] > 'Z');
	FUZZ_CHECK(url_canonical(a, b, sizeof(b)) == 0 && strcmp(a, b) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size), *why;
	char url[2048], w[200], ec[80], *tok;
	size_t n = nl ? (size_t)(nl - (const char *)data) : size, i;
	double life;
	cJSON *j;

	if (n < sizeof(url) && memchr(data, '\0', n) == NULL) {
		memcpy(url, data, n);
		url[n] = '\0';
		check_canonical(url);
	}
	if (nl == NULL)
		return 0;
	j = mcp_json_parse(nl + 1, size - n - 1, &why);
	if ((tok = grant_token(j, &life, w, sizeof(w))) != NULL) {
		FUZZ_CHECK(grant_token_ok(tok));
		FUZZ_CHECK(life == 0 || (life >= 1 && life <= 366 * 86400.0 && life == (long)life));
		free(tok);
	}
	grant_error(j, ec, sizeof(ec));
	if (strcmp(ec, "no error code") != 0) {
		FUZZ_CHECK(strlen(ec) >= 1 && strlen(ec) <= 64);
		for (i = 0; ec[i] != '\0'; i++)
			FUZZ_CHECK(ec[i] >= 0x20 && ec[i] <= 0x7e && ec[i] != '"' && ec[i] != '\\');
	}
	cJSON_Delete(j);
	return 0;
}
