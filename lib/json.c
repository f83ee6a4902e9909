/*
 * json.c - JSON text from cJSON trees: compact record output, RFC 8785
 * canonical form (JCS) and the I-JSON checks.  No OpenSSL here (hash.c has
 * the hashing), so that mcp-serve links none.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/*
 * cJSON stops nesting at CJSON_NESTING_LIMIT when parsing; trees built by
 * hand have no such bound, so the writers keep their own to protect the stack.
 */
#define MAX_DEPTH 1000

/* A truncated reason is still a useful reason, so truncation is accepted. */
static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/*
 * Decode one UTF-8 sequence of the n bytes at s into *cp.  Returns its length
 * (1-4), or 0 when it is not well-formed UTF-8 per RFC 3629: overlong forms,
 * surrogates (ED A0..BF) and code points past U+10FFFF are all refused.
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, unsigned long *cp)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		*cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		*cp = s[0] & 0x0f;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		*cp = s[0] & 0x07;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if (s[i] < lo || s[i] > hi)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	return len;
}

int
mcp_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	size_t i, n;

	for (i = 0; i < len; i += n)
		if ((n = utf8_decode(p + i, len - i, &cp)) == 0)
			return 0;
	return 1;
}

size_t
mcp_utf8_decode(const char *s, size_t n, unsigned long *cp)
{
	return n > 0 ? utf8_decode((const unsigned char *)s, n, cp) : 0;
}

/* Walks a UTF-8 string as UTF-16 code units. */
struct u16iter {
	const unsigned char *s;
	size_t len;
	long low; /* pending low surrogate, or -1 */
};

/* The next code unit, or -1 at the end (so a shorter string sorts first). */
static long
u16_next(struct u16iter *it)
{
	unsigned long cp;
	size_t n;
	long u;

	if (it->low != -1) {
		u = it->low;
		it->low = -1;
		return u;
	}
	if (it->len == 0)
		return -1;
	/* Invalid bytes never reach a canonical text; order them as themselves. */
	if ((n = utf8_decode(it->s, it->len, &cp)) == 0) {
		cp = it->s[0];
		n = 1;
	}
	it->s += n;
	it->len -= n;
	if (cp < 0x10000)
		return (long)cp;
	cp -= 0x10000;
	it->low = (long)(0xdc00 + (cp & 0x3ff));
	return (long)(0xd800 + (cp >> 10));
}

int
mcp_utf16_cmp(const char *a, const char *b)
{
	struct u16iter ia = {(const unsigned char *)a, strlen(a), -1};
	struct u16iter ib = {(const unsigned char *)b, strlen(b), -1};
	long ua, ub;

	do {
		ua = u16_next(&ia);
		ub = u16_next(&ib);
	} while (ua == ub && ua != -1);
	return ua < ub ? -1 : ua > ub;
}

/* Split "d[.ddd]e[+-]x" from %e into its digits and decimal exponent x. */
static int
split_e(const char *s, char digits[18], int *k)
{
	const char *e = strchr(s, 'e');

	for (*k = 0; s < e && *k < 17; s++)
		if (*s != '.')
			digits[(*k)++] = *s;
	return (int)strtol(e + 1, NULL, 10);
}

/* The value of the decimal digits[0].digits[1..k-1] x 10^x, as strtod reads it. */
static double
digits_value(const char *digits, int k, int x)
{
	char s[40];

	snprintf(s, sizeof(s), "%c.%.*se%d", digits[0], k - 1, digits + 1, x);
	return strtod(s, NULL);
}

/* Add one unit in the last place to the k digits; the exponent x may grow. */
static void
bump(char *digits, int k, int *x)
{
	int i;

	for (i = k - 1; i >= 0 && digits[i] == '9'; i--)
		digits[i] = '0';
	if (i >= 0) {
		digits[i]++;
		return;
	}
	digits[0] = '1';
	(*x)++;
}

/*
 * The fewest significant digits that read back as exactly d (finite, > 0),
 * the closest such when there is a choice: k digits into digits (no trailing
 * zeros), and the return value n, so that d = 0.digits x 10^n.
 */
/*
 * The p+1 significant digits of d that read back as d, if there are any:
 * the correctly rounded ones, or a unit higher (below a power of two the
 * gap to the next lower double is half the gap above, so the nearest
 * p-digit decimal can miss below while the one a unit higher still reads
 * back as d).  Returns 1 with the digits, their count and the exponent.
 */
static int
digits_at(double d, int p, char digits[18], int *k, int *x)
{
	char s[40];
	double v;

	snprintf(s, sizeof(s), "%.*e", p, d);
	*x = split_e(s, digits, k);
	if ((v = strtod(s, NULL)) == d)
		return 1;
	if (v < d) {
		bump(digits, *k, x);
		if (digits_value(digits, *k, *x) == d)
			return 1;
	}
	return 0;
}

static int
shortest_digits(double d, char digits[18], int *k)
{
	int lo = 0, hi = 16, p, x;

	/*
	 * Reading back exactly is monotone in the precision, so the shortest
	 * one is found by bisection: about five tries instead of up to 17.
	 */
	while (lo < hi) {
		p = (lo + hi) / 2;
		if (digits_at(d, p, digits, k, &x))
			hi = p;
		else
			lo = p + 1;
	}
	digits_at(d, lo, digits, k, &x);
	while (*k > 1 && digits[*k - 1] == '0')
		(*k)--;
	return x + 1;
}

/* Lay out k digits with exponent n as ECMAScript Number::toString does. */
static size_t
es_layout(char *out, const char *digits, int k, int n)
{
	size_t w = 0;
	int i;

	if (k <= n && n <= 21) {
		memcpy(out, digits, (size_t)k);
		w = (size_t)k;
		for (i = k; i < n; i++)
			out[w++] = '0';
	} else if (0 < n && n <= 21) {
		memcpy(out, digits, (size_t)n);
		w = (size_t)n;
		out[w++] = '.';
		memcpy(out + w, digits + n, (size_t)(k - n));
		w += (size_t)(k - n);
	} else if (-6 < n && n <= 0) {
		out[w++] = '0';
		out[w++] = '.';
		for (i = n; i < 0; i++)
			out[w++] = '0';
		memcpy(out + w, digits, (size_t)k);
		w += (size_t)k;
	} else {
		out[w++] = digits[0];
		if (k > 1) {
			out[w++] = '.';
			memcpy(out + w, digits + 1, (size_t)(k - 1));
			w += (size_t)(k - 1);
		}
		w += (size_t)sprintf(out + w, "e%c%d", n > 0 ? '+' : '-', abs(n - 1));
	}
	out[w] = '\0';
	return w;
}

/*
 * d written with at most three decimals, when that is exact: d is the
 * double nearest n/1000 for an integer n, and below 2^42 the gap between
 * doubles is under 0.001, so no other decimal of three places or fewer
 * reads back as d and this is the shortest form.  0 when it does not apply.
 */
/* The decimal digits of a, with a leading '-' when neg; the length. */
static size_t
put_int(char *out, unsigned long long a, int neg)
{
	char tmp[24];
	size_t n = 0, w = 0;

	do
		tmp[n++] = (char)('0' + a % 10);
	while ((a /= 10) != 0);
	if (neg)
		out[w++] = '-';
	while (n > 0)
		out[w++] = tmp[--n];
	out[w] = '\0';
	return w;
}

static size_t
millis(double d, char *out)
{
	long long n, a;
	size_t w;

	if (!(fabs(d) < 4398046511104.0))
		return 0;
	n = llround(d * 1000.0);
	if ((double)n / 1000.0 != d)
		return 0;
	a = n < 0 ? -n : n;
	w = put_int(out, (unsigned long long)(a / 1000), n < 0);
	out[w++] = '.';
	out[w++] = (char)('0' + a % 1000 / 100);
	out[w++] = (char)('0' + a % 100 / 10);
	out[w++] = (char)('0' + a % 10);
	while (out[w - 1] == '0')
		w--;
	out[w] = '\0';
	return w;
}

int
mcp_json_number(double d, char *buf, size_t len)
{
	char digits[18], out[40];
	size_t w = 0;
	int k, n;

	if (!isfinite(d))
		return -1;
	if (d == 0) { /* -0 included */
		out[w++] = '0';
		out[w] = '\0';
	} else if (d == floor(d) && fabs(d) < 9007199254740992.0) {
		/* An integer below 2^53 is its own shortest form. */
		w = put_int(out, (unsigned long long)fabs(d), d < 0);
	} else if ((w = millis(d, out)) > 0) {
		/* Times and durations: whole milliseconds. */
	} else {
		if (d < 0)
			out[w++] = '-';
		n = shortest_digits(fabs(d), digits, &k);
		w += es_layout(out + w, digits, k, n);
	}
	if (w >= len)
		return -1;
	memcpy(buf, out, w + 1);
	return 0;
}

/* The short escape of c, or NULL when c has none. */
static const char *
short_escape(unsigned char c)
{
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\b':
		return "\\b";
	case '\t':
		return "\\t";
	case '\n':
		return "\\n";
	case '\f':
		return "\\f";
	case '\r':
		return "\\r";
	default:
		return NULL;
	}
}

/*
 * A string the JCS way: only '"', '\\' and U+0000-U+001F are escaped (the
 * short forms, else \u00xx in lowercase); all else is copied raw, but for
 * bytes that are not UTF-8 (server text in a record), each written as
 * U+FFFD.  JCS input was checked before, so its strings are never changed.
 */
static int
put_string_as(struct mcp_buf *out, const char *s, int ascii)
{
	const char *run, *esc;
	unsigned long cp;
	unsigned char c;
	size_t n;
	int rc;

	if (mcp_buf_addc(out, '"') == -1)
		return -1;
	for (;; s++) {
		for (run = s; (c = (unsigned char)*s) >= 0x20 && c < 0x80 && c != '"' && c != '\\';
		     s++)
			;
		if (mcp_buf_add(out, run, (size_t)(s - run)) == -1)
			return -1;
		if (c == '\0')
			break;
		if (c >= 0x80) {
			/* Invalid UTF-8 is never written: U+FFFD stands for each bad byte. */
			n = utf8_decode((const unsigned char *)s, strnlen(s, 4), &cp);
			if (ascii && n == 0)
				rc = mcp_buf_adds(out, "\\ufffd");
			else if (ascii && cp > 0xffff)
				rc = mcp_buf_addf(out, "\\u%04lx\\u%04lx",
				    0xd800 + ((cp - 0x10000) >> 10),
				    0xdc00 + ((cp - 0x10000) & 0x3ff));
			else if (ascii)
				rc = mcp_buf_addf(out, "\\u%04lx", cp);
			else
				rc = n > 0 ? mcp_buf_add(out, s, n)
				           : mcp_buf_adds(out, "\xef\xbf\xbd");
			s += n > 0 ? n - 1 : 0;
		} else if ((esc = short_escape(c)) != NULL)
			rc = mcp_buf_adds(out, esc);
		else
			rc = mcp_buf_addf(out, "\\u%04x", c);
		if (rc == -1)
			return -1;
	}
	return mcp_buf_addc(out, '"');
}

static int
put_string(struct mcp_buf *out, const char *s)
{
	return put_string_as(out, s, 0);
}

int
mcp_json_string(struct mcp_buf *out, const char *s)
{
	return put_string(out, s);
}

int
mcp_json_string_ascii(struct mcp_buf *out, const char *s)
{
	return put_string_as(out, s, 1);
}

int
mcp_json_addnum(struct mcp_buf *out, double d)
{
	char num[32];

	if (mcp_json_number(d, num, sizeof(num)) == -1)
		return -1;
	return mcp_buf_adds(out, num);
}

static int
put_raw(struct mcp_buf *out, const char *text, char *err, size_t errlen)
{
	return mcp_buf_adds(out, text) == -1 ? fail(err, errlen, "out of memory") : 0;
}

static int
put_number(struct mcp_buf *out, double d, char *err, size_t errlen)
{
	char num[32];

	if (mcp_json_number(d, num, sizeof(num)) == -1)
		return fail(err, errlen, "number is not finite");
	return put_raw(out, num, err, errlen);
}

/* null, true, false, numbers and strings; 1 when v is none of these. */
static int
put_scalar(struct mcp_buf *out, const cJSON *v, char *err, size_t errlen)
{
	if (cJSON_IsNumber(v))
		return put_number(out, v->valuedouble, err, errlen);
	if (cJSON_IsString(v) && v->valuestring != NULL)
		return put_string(out, v->valuestring) == -1 ? fail(err, errlen, "out of memory")
		                                             : 0;
	if (cJSON_IsNull(v))
		return put_raw(out, "null", err, errlen);
	if (cJSON_IsTrue(v))
		return put_raw(out, "true", err, errlen);
	if (cJSON_IsFalse(v))
		return put_raw(out, "false", err, errlen);
	return 1;
}

/* A member's name and the colon after it. */
static int
put_key(struct mcp_buf *out, const cJSON *m, char *err, size_t errlen)
{
	if (m->string == NULL)
		return fail(err, errlen, "member without a name");
	if (put_string(out, m->string) == -1 || mcp_buf_addc(out, ':') == -1)
		return fail(err, errlen, "out of memory");
	return 0;
}

static int
write_value(struct mcp_buf *out, const cJSON *v, int depth, char *err, size_t errlen)
{
	const cJSON *c;
	int obj, rc;

	if ((rc = put_scalar(out, v, err, errlen)) != 1)
		return rc;
	if (cJSON_IsRaw(v) && v->valuestring != NULL)
		return put_raw(out, v->valuestring, err, errlen);
	obj = cJSON_IsObject(v);
	if (!obj && !cJSON_IsArray(v))
		return fail(err, errlen, "invalid cJSON item");
	if (depth >= MAX_DEPTH)
		return fail(err, errlen, "nesting too deep");
	if (put_raw(out, obj ? "{" : "[", err, errlen) == -1)
		return -1;
	for (c = v->child; c != NULL; c = c->next) {
		if (c != v->child && put_raw(out, ",", err, errlen) == -1)
			return -1;
		if (obj && put_key(out, c, err, errlen) == -1)
			return -1;
		if (write_value(out, c, depth + 1, err, errlen) == -1)
			return -1;
	}
	return put_raw(out, obj ? "}" : "]", err, errlen);
}

/* On failure nothing is left behind in out. */
static int
rewind_on_fail(struct mcp_buf *out, size_t mark, int rc)
{
	if (rc == -1 && out->p != NULL) {
		out->len = mark;
		out->p[mark] = '\0';
	}
	return rc;
}

int
mcp_json_write(struct mcp_buf *out, const cJSON *v, char *err, size_t errlen)
{
	size_t mark = out->len;

	return rewind_on_fail(out, mark, write_value(out, v, 0, err, errlen));
}

/* qsort order of member pointers: by name, UTF-16 code units. */
static int
member_cmp(const void *a, const void *b)
{
	const cJSON *ma = *(const cJSON *const *)a, *mb = *(const cJSON *const *)b;

	return mcp_utf16_cmp(ma->string, mb->string);
}

/*
 * The members of obj sorted by name, into a new array (owned by the caller;
 * NULL when obj is empty).  Fails on nameless members and on duplicates,
 * which end up next to each other once sorted.
 */
static int
sorted_members(const cJSON *obj, const cJSON ***res, size_t *n, char *err, size_t errlen)
{
	const cJSON **v, *c;
	size_t i = 0;

	*res = NULL;
	*n = 0;
	for (c = obj->child; c != NULL; c = c->next)
		(*n)++;
	if (*n == 0)
		return 0;
	if ((v = calloc(*n, sizeof(*v))) == NULL)
		return fail(err, errlen, "out of memory");
	for (c = obj->child; c != NULL; c = c->next) {
		if (c->string == NULL) {
			free(v);
			return fail(err, errlen, "member without a name");
		}
		v[i++] = c;
	}
	qsort(v, *n, sizeof(*v), member_cmp);
	for (i = 1; i < *n; i++) {
		if (strcmp(v[i - 1]->string, v[i]->string) == 0) {
			free(v);
			return fail(err, errlen, "duplicate member name");
		}
	}
	*res = v;
	return 0;
}

static int
check_value(const cJSON *v, int depth, char *err, size_t errlen)
{
	const cJSON **m, *c;
	size_t n, i;
	int rc = 0;

	if (cJSON_IsNumber(v))
		return isfinite(v->valuedouble) ? 0 : fail(err, errlen, "number is not finite");
	if (cJSON_IsString(v) && v->valuestring != NULL)
		return mcp_utf8_valid(v->valuestring, strlen(v->valuestring))
		    ? 0
		    : fail(err, errlen, "string is not valid UTF-8");
	if (cJSON_IsNull(v) || cJSON_IsBool(v))
		return 0;
	if (cJSON_IsRaw(v))
		return fail(err, errlen, "raw JSON text cannot be checked");
	if (!cJSON_IsArray(v) && !cJSON_IsObject(v))
		return fail(err, errlen, "invalid cJSON item");
	if (depth >= MAX_DEPTH)
		return fail(err, errlen, "nesting too deep");
	if (cJSON_IsArray(v)) {
		for (c = v->child; c != NULL && rc == 0; c = c->next)
			rc = check_value(c, depth + 1, err, errlen);
		return rc;
	}
	if (sorted_members(v, &m, &n, err, errlen) == -1)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		if (!mcp_utf8_valid(m[i]->string, strlen(m[i]->string)))
			rc = fail(err, errlen, "member name is not valid UTF-8");
		else
			rc = check_value(m[i], depth + 1, err, errlen);
	}
	free(m);
	return rc;
}

int
mcp_ijson_check(const cJSON *v, char *err, size_t errlen)
{
	return check_value(v, 0, err, errlen);
}

/* The canonical text of a tree already known to be I-JSON. */
static int
jcs_value(struct mcp_buf *out, const cJSON *v, char *err, size_t errlen)
{
	const cJSON **m, *c;
	size_t n, i;
	int rc;

	if ((rc = put_scalar(out, v, err, errlen)) != 1)
		return rc;
	if (cJSON_IsArray(v)) {
		rc = put_raw(out, "[", err, errlen);
		for (c = v->child; c != NULL && rc == 0; c = c->next) {
			if (c != v->child)
				rc = put_raw(out, ",", err, errlen);
			if (rc == 0)
				rc = jcs_value(out, c, err, errlen);
		}
		return rc == 0 ? put_raw(out, "]", err, errlen) : -1;
	}
	if (sorted_members(v, &m, &n, err, errlen) == -1)
		return -1;
	rc = put_raw(out, "{", err, errlen);
	for (i = 0; i < n && rc == 0; i++) {
		if (i > 0)
			rc = put_raw(out, ",", err, errlen);
		if (rc == 0)
			rc = put_key(out, m[i], err, errlen);
		if (rc == 0)
			rc = jcs_value(out, m[i], err, errlen);
	}
	free(m);
	return rc == 0 ? put_raw(out, "}", err, errlen) : -1;
}

int
mcp_jcs_write(struct mcp_buf *out, const cJSON *v, char *err, size_t errlen)
{
	size_t mark = out->len;

	if (mcp_ijson_check(v, err, errlen) == -1)
		return -1;
	return rewind_on_fail(out, mark, jcs_value(out, v, err, errlen));
}

/*
 * What the text holds that cJSON would hide: a NUL in a string (raw or
 * \u0000) and the deepest nesting.  A lexical pass, so that the answer does
 * not depend on how cJSON fails.
 */
static const char *
scan_text(const char *s, size_t n)
{
	size_t i, depth = 0;
	int str = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\0')
			return "a NUL byte in the JSON text";
		if (str) {
			if (s[i] == '"')
				str = 0;
			else if (s[i] == '\\' && i + 1 < n && s[++i] == 'u') {
				/* cJSON reads a \u without four hex digits as U+0000. */
				if (i + 4 >= n || !isxdigit((unsigned char)s[i + 1]) ||
				    !isxdigit((unsigned char)s[i + 2]) ||
				    !isxdigit((unsigned char)s[i + 3]) ||
				    !isxdigit((unsigned char)s[i + 4]))
					return "malformed JSON";
				if (memcmp(s + i + 1, "0000", 4) == 0)
					return "a string holds U+0000";
				i += 4;
			}
			continue;
		}
		if (s[i] == '"')
			str = 1;
		else if (s[i] == '[' || s[i] == '{') {
			if (++depth > MCP_JSON_DEPTH)
				return "JSON nested deeper than 1000 levels";
		} else if ((s[i] == ']' || s[i] == '}') && depth > 0)
			depth--;
	}
	return NULL;
}

static int
finite_tree(const cJSON *v)
{
	const cJSON *c;

	if (cJSON_IsNumber(v))
		return isfinite(v->valuedouble);
	for (c = v->child; c != NULL; c = c->next)
		if (!finite_tree(c))
			return 0;
	return 1;
}

cJSON *
mcp_json_parse(const char *s, size_t n, const char **why)
{
	const char *end;
	cJSON *v;

	if ((*why = scan_text(s, n)) != NULL)
		return NULL;
	v = cJSON_ParseWithLengthOpts(s, n, &end, 0);
	while (v != NULL && end < s + n &&
	    (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n'))
		end++;
	if (v == NULL || end != s + n) {
		cJSON_Delete(v);
		*why = "malformed JSON";
		return NULL;
	}
	if (!finite_tree(v)) {
		cJSON_Delete(v);
		*why = "a number outside the range of a double";
		return NULL;
	}
	return v;
}

const char *
mcp_json_quoted(char *buf, size_t len, const char *s)
{
	struct mcp_buf b = {0};
	char cut[MCP_SHOWN_MAX + 1];
	size_t n = strnlen(s, MCP_SHOWN_MAX + 1);
	int more = n > MCP_SHOWN_MAX, k = -1;

	if (more)
		for (n = MCP_SHOWN_MAX; n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80; n--)
			;
	memcpy(cut, s, n);
	cut[n] = '\0';
	if (mcp_json_string(&b, cut) == 0)
		k = snprintf(buf, len, "%s%s", b.p, more ? "..." : "");
	if (k < 0 || (size_t)k >= len)
		snprintf(buf, len, "\"?\"");
	mcp_buf_free(&b);
	return buf;
}

const char *
mcp_json_num_text(char *buf, size_t len, double d)
{
	if (mcp_json_number(d, buf, len) == -1)
		snprintf(buf, len, "out of range");
	return buf;
}

int
mcp_json_bounded(const cJSON *obj, const char *key, double max, double *out, char *err, size_t len)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char n[32], m[32];

	*out = -1;
	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsNumber(v)) {
		snprintf(err, len, "%s: not a number or null", key);
		return -1;
	}
	if (!(v->valuedouble >= 0 && v->valuedouble <= max)) {
		snprintf(err, len, "%s %s: out of range (0 to %s)", key,
		    mcp_json_num_text(n, sizeof(n), v->valuedouble),
		    mcp_json_num_text(m, sizeof(m), max));
		return -1;
	}
	*out = v->valuedouble;
	return 0;
}

int
mcp_json_time(const cJSON *obj, const char *key, double *out, char *err, size_t len)
{
	char n[32];

	if (mcp_json_bounded(obj, key, MCP_TIME_MAX, out, err, len) == -1)
		return -1;
	if (*out >= 0 && *out != floor(*out)) {
		snprintf(err, len, "%s %s: not whole seconds", key,
		    mcp_json_num_text(n, sizeof(n), *out));
		*out = -1;
		return -1;
	}
	return 0;
}

const char *
mcp_json_str(const cJSON *o, const char *k, const char *dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : dflt;
}

double
mcp_json_num(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

size_t
mcp_utf8_encode(unsigned long c, char *b)
{
	if (c < 0x80) {
		b[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		b[0] = (char)(0xC0 | c >> 6);
		b[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		b[0] = (char)(0xE0 | c >> 12);
		b[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		b[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	b[0] = (char)(0xF0 | c >> 18);
	b[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	b[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	b[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}
