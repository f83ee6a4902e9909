/*
 * expiry.h - the pure pieces of mcp-alert's expiry tracks (cert-expiry,
 * token-expiry): the tier a time left reaches, the expiry of a token (its
 * JWT exp claim, or a time written beside it), a token's fingerprint, and
 * times in words.  No I/O, nothing printed: expiry.c is unit-tested alone.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef EXPIRY_H
#define EXPIRY_H

#include <stddef.h>

/* A notice of an expiry track: secs before the expiry, with severity sev (static). */
struct exp_tier {
	long secs;
	const char *sev;
};
#define EXP_TIERS_MAX 4

/*
 * The tier that left seconds before the expiry reach, for tiers in
 * decreasing order of secs: 0 for none, else k when tiers[k - 1] is the
 * last whose secs is at least left.  A tier of 0 seconds is reached once
 * the expiry has passed (left <= 0).  Without such a tier, a passed expiry
 * is -1, a tier of its own that raises nothing: an expired certificate
 * fails the probe, and its outage pages.
 */
int exp_tier(double left, const struct exp_tier *t, int n);

/*
 * The exp claim of a JWT in JWS compact form (three base64url parts, the
 * payload a JSON object whose exp is a number of epoch seconds), floored to
 * whole seconds, into *exp.  0, or -1 with the reason in why: the reason
 * never holds any byte of the token.
 */
#define EXP_TOKEN_MAX 8192
int exp_jwt(const char *tok, double *exp, char *why, size_t len);

/*
 * A time as a sidecar file writes it: epoch seconds (1795536000, with a
 * fraction or not) or ISO 8601 (2026-11-24, 2026-11-24T16:00:00Z,
 * 2026-11-24T16:00:00.5+01:00, a space for the T, +0100 or +01), from
 * 1970 to 9999-12-31T23:59:59Z; blanks around it are ignored.  The time in
 * whole seconds (floored), or -1 when s is none of these.
 */
double exp_time_of(const char *s);

/* The fingerprint of a token: the first 12 hex digits of its SHA-256. */
#define EXP_FPR_LEN 12
int exp_fingerprint(const char *tok, char *out, size_t len);

/* A time left in words, the largest unit whole: "9 days", "23 hours", "5 minutes". */
void exp_left_text(char *buf, size_t len, double secs);

#endif
