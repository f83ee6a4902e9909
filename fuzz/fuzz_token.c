/*
 * fuzz_token.c - the token readers of mcp-alert token (alertd/expiry.c):
 * a JWT's exp claim, a FILE.expires time and the fingerprint, on any input.
 *
 * The input, cut at its first NUL as a token file's line would be, goes to
 * exp_jwt, exp_time_of and exp_fingerprint.  Checked: an exp taken is a
 * whole number of seconds from 1 to 9999-12-31T23:59:59Z; a reason given
 * is one of the fixed texts (so that no byte of a token can reach a
 * message); a time taken is whole seconds from 0 to 9999; a fingerprint
 * is 12 lower-case hex digits.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include "fuzz.h"
#include "../alertd/expiry.c"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return 0;
}

static int
known_reason(const char *why)
{
	static const char *const texts[] = {"not a JWT (three parts joined by dots)",
	    "out of memory", "a JWT whose payload is not base64url",
	    "a JWT whose payload is not a JSON object", "a JWT without an exp claim",
	    "a JWT whose exp is not a time from 1970 to 9999"};
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (strcmp(why, texts[i]) == 0)
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), why[128] = "", fpr[EXP_FPR_LEN + 1];
	double exp = -1, t;

	if (exp_jwt(s, &exp, why, sizeof(why)) == 0)
		FUZZ_CHECK(exp >= 1 && exp <= MCP_TIME_MAX && exp == floor(exp));
	else
		FUZZ_CHECK(known_reason(why));
	t = exp_time_of(s);
	FUZZ_CHECK(t == -1 || (t >= 0 && t <= MCP_TIME_MAX && t == floor(t)));
	FUZZ_CHECK(exp_fingerprint(s, fpr, sizeof(fpr)) == 0 && strlen(fpr) == EXP_FPR_LEN &&
	    strspn(fpr, "0123456789abcdef") == EXP_FPR_LEN);
	free(s);
	return 0;
}
