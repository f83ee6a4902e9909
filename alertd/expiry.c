/*
 * expiry.c - the pure pieces of the expiry tracks of mcp-alert(1): tiers,
 * the expiry of a token (JWT exp, or a sidecar's time), its fingerprint,
 * times in words.  A token is a secret: nothing here copies any byte of
 * it into a reason, and what is decoded from it is wiped before it is
 * freed.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "expiry.h"
#include "hash.h"
#include "json.h"
#include "mcp.h"

int
exp_tier(double left, const struct exp_tier *t, int n)
{
	int i, k = 0;

	if (left <= 0 && (n == 0 || t[n - 1].secs != 0))
		return -1;
	for (i = 0; i < n; i++)
		if (left <= (double)t[i].secs)
			k = i + 1;
	return k;
}

static int
b64url_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	return c == '_' ? 63 : -1;
}

/*
 * The n base64url characters at s, unpadded or padded with up to two '=',
 * decoded into out (room for 3 * n / 4 + 1 bytes); the length, or -1.
 */
static long
b64url_decode(const char *s, size_t n, unsigned char *out)
{
	unsigned v = 0;
	long k = 0;
	int bits = 0, d, pad = 0;
	size_t i;

	while (n > 0 && s[n - 1] == '=' && pad < 2)
		n--, pad++;
	if (n % 4 == 1 || (pad > 0 && (n + (size_t)pad) % 4 != 0))
		return -1;
	for (i = 0; i < n; i++) {
		if ((d = b64url_value((unsigned char)s[i])) < 0)
			return -1;
		v = ((v << 6) | (unsigned)d) & 0x3fff;
		if ((bits += 6) >= 8) {
			bits -= 8;
			out[k++] = (unsigned char)(v >> bits);
		}
	}
	return k;
}

/* Wipe the strings of a tree decoded from a token before it is freed. */
static void
wipe_tree(cJSON *o)
{
	for (; o != NULL; o = o->next) {
		if (o->string != NULL)
			explicit_bzero(o->string, strlen(o->string));
		if (o->valuestring != NULL)
			explicit_bzero(o->valuestring, strlen(o->valuestring));
		wipe_tree(o->child);
	}
}

int
exp_jwt(const char *tok, double *exp, char *why, size_t len)
{
	const char *d1 = strchr(tok, '.'), *d2 = d1 != NULL ? strchr(d1 + 1, '.') : NULL, *bad;
	const cJSON *e;
	unsigned char *buf;
	cJSON *o = NULL;
	size_t n;
	long k;
	int rc = -1;

	if (d2 == NULL || strchr(d2 + 1, '.') != NULL || (n = (size_t)(d2 - d1 - 1)) == 0 ||
	    n > EXP_TOKEN_MAX) {
		snprintf(why, len, "not a JWT (three parts joined by dots)");
		return -1;
	}
	if ((buf = malloc(n)) == NULL) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	if ((k = b64url_decode(d1 + 1, n, buf)) >= 0)
		o = mcp_json_parse((const char *)buf, (size_t)k, &bad);
	explicit_bzero(buf, n);
	free(buf);
	e = cJSON_GetObjectItemCaseSensitive(o, "exp");
	if (k < 0)
		snprintf(why, len, "a JWT whose payload is not base64url");
	else if (!cJSON_IsObject(o))
		snprintf(why, len, "a JWT whose payload is not a JSON object");
	else if (!cJSON_IsNumber(e))
		snprintf(why, len, "a JWT without an exp claim");
	else if (!(e->valuedouble >= 1 && e->valuedouble <= MCP_TIME_MAX))
		snprintf(why, len, "a JWT whose exp is not a time from 1970 to 9999");
	else {
		*exp = floor(e->valuedouble);
		rc = 0;
	}
	wipe_tree(o);
	cJSON_Delete(o);
	return rc;
}

/* n digits at *s as a number, s moved past them; -1 when they are not digits. */
static int
digits(const char **s, int n)
{
	int v = 0;

	for (; n > 0; n--, (*s)++) {
		if (!isdigit((unsigned char)**s))
			return -1;
		v = v * 10 + (**s - '0');
	}
	return v;
}

/* The zone of an ISO 8601 time at s into *off, seconds east of UTC; 0, or -1. */
static int
zone_of(const char *s, long *off)
{
	int sign, h, m = 0;

	*off = 0;
	if ((*s == 'Z' || *s == 'z') && s[1] == '\0')
		return 0;
	if (*s != '+' && *s != '-')
		return -1;
	sign = *s++ == '-' ? -1 : 1;
	if ((h = digits(&s, 2)) < 0 || h > 23)
		return -1;
	if (*s == ':')
		s++;
	if (*s != '\0' && ((m = digits(&s, 2)) < 0 || m > 59))
		return -1;
	if (*s != '\0')
		return -1;
	*off = sign * (h * 3600L + m * 60L);
	return 0;
}

/* "THH:MM[:SS[.F]]ZONE" at s into the seconds of the day and the zone; 0, or -1. */
static int
clock_of(const char *s, long *sod, long *off)
{
	int h, mi, sec = 0;

	if (*s != 'T' && *s != 't' && *s != ' ')
		return -1;
	s++;
	if ((h = digits(&s, 2)) < 0 || h > 23 || *s++ != ':' || (mi = digits(&s, 2)) < 0 || mi > 59)
		return -1;
	if (*s == ':') {
		s++;
		if ((sec = digits(&s, 2)) < 0 || sec > 59)
			return -1;
	}
	if (*s == '.' || *s == ',') {
		if (!isdigit((unsigned char)*++s))
			return -1;
		while (isdigit((unsigned char)*s))
			s++;
	}
	*sod = h * 3600L + mi * 60L + sec;
	/* A time without a zone would be local time: which one is not known. */
	return zone_of(s, off);
}

static double
iso_of(const char *s)
{
	static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, mo, d;
	long sod = 0, off = 0;
	double t;

	if ((y = digits(&s, 4)) < 1970 || *s++ != '-' || (mo = digits(&s, 2)) < 1 || mo > 12 ||
	    *s++ != '-' || (d = digits(&s, 2)) < 1 || (unsigned)d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
		return -1;
	if (*s != '\0' && clock_of(s, &sod, &off) == -1)
		return -1;
	t = (double)(mcp_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + sod - off);
	return t >= 0 && t <= MCP_TIME_MAX ? t : -1;
}

double
exp_time_of(const char *s)
{
	char buf[64], *end;
	size_t n;
	double t;

	while (isspace((unsigned char)*s))
		s++;
	for (n = strlen(s); n > 0 && isspace((unsigned char)s[n - 1]); n--)
		;
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (strspn(buf, "0123456789.") == n) {
		t = strtod(buf, &end);
		if (*end != '\0' || !isdigit((unsigned char)buf[0]) || !(t <= MCP_TIME_MAX))
			return -1;
		return floor(t);
	}
	return (t = iso_of(buf)) < 0 ? -1 : floor(t);
}

int
exp_fingerprint(const char *tok, char *out, size_t len)
{
	char tag[MCP_HASH_LEN];

	if (len < EXP_FPR_LEN + 1 || mcp_sha256_tag(tok, strlen(tok), tag) == -1)
		return -1;
	snprintf(out, len, "%.*s", EXP_FPR_LEN, tag + 7);
	return 0;
}

void
exp_left_text(char *buf, size_t len, double secs)
{
	long n;
	const char *unit;

	if (secs < 0)
		secs = -secs;
	if (secs >= 36 * 3600.0)
		n = lround(secs / 86400), unit = "day";
	else if (secs >= 90 * 60.0)
		n = lround(secs / 3600), unit = "hour";
	else
		n = lround(secs / 60), unit = "minute";
	snprintf(buf, len, "%ld %s%s", n, unit, n == 1 ? "" : "s");
}
