/*
 * mkfold - the tables of what a reader sees of a character, made at build
 * time from Unicode's own data as ICU carries it (Debian's libicu-dev;
 * the Makefile runs this, and nothing of ICU is linked into the tools):
 *
 *   mkfold fold      the normal form's table, for toolset/scanrules.c: each
 *                    code point past ASCII that a reader takes for another
 *                    text, as that text, in UTF-8: a default-ignorable
 *                    code point as nothing; else its compatibility
 *                    decomposition (NFKD: fullwidth, mathematical,
 *                    enclosed, superscript and modifier letters,
 *                    ligatures), each character of it lower-cased, read by
 *                    its UTS #39 skeleton when that is ASCII (a look-alike
 *                    of another script for the Latin letter it passes for),
 *                    its combining marks (Mn, Me) left out; a letter
 *                    none of these reads, read as the Latin letter its
 *                    Unicode name says it is (the small capitals, the
 *                    negative circled and squared letters); a
 *                    parenthesized letter's "(p)" as the letter; a code
 *                    point that comes out as itself, or longer than
 *                    twice its own UTF-8 (the normal form's bound), is
 *                    not in the table, and what comes out as nothing is
 *                    a range of fold_none.
 *   mkfold ignorable the default-ignorable code points
 *                    (Default_Ignorable_Code_Point), as ranges, for
 *                    lib/text.c: characters a reader does not see.
 *
 * The tables are sorted by code point, for a binary search.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <unicode/uversion.h>

#define OUT_MAX 16 /* bytes of one character's text, at most; past it, left as it is */

static const UNormalizer2 *nfkd;
static USpoofChecker *spoof;

static void
die(const char *what, UErrorCode e)
{
	fprintf(stderr, "mkfold: %s: %s\n", what, u_errorName(e));
	exit(1);
}

/* 1 for a mark a reader reads as part of the letter before it. */
static int
mark(UChar32 c)
{
	int8_t t = u_charType(c);

	return t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK;
}

/* The code point c appended to the UTF-8 of out (n bytes used): -1 past OUT_MAX. */
static int
put(char *out, size_t *n, UChar32 c)
{
	if (*n + U8_LENGTH(c) > OUT_MAX)
		return -1;
	U8_APPEND_UNSAFE(out, *n, c);
	return 0;
}

/* The NFKD of the UTF-16 s (n units) into d (cap units): its length, or -1. */
static int32_t
decompose(const UChar *s, int32_t n, UChar *d, int32_t cap)
{
	UErrorCode e = U_ZERO_ERROR;
	int32_t k = unorm2_normalize(nfkd, s, n, d, cap, &e);

	return U_FAILURE(e) ? -1 : k;
}

/*
 * The printable ASCII a non-ASCII character c passes for (its UTS #39
 * skeleton, its marks left out, lower-cased: a look-alike letter, a
 * typographic quote or hyphen) into a (8 bytes), or "" when it passes for
 * none.
 */
static void
skeleton_ascii(UChar32 c, char *a)
{
	UChar s[4], sk[32], d[64];
	UErrorCode e = U_ZERO_ERROR;
	int32_t n = 0, k, m, i;
	size_t u = 0;
	UChar32 x;

	a[0] = '\0';
	U16_APPEND_UNSAFE(s, n, c);
	k = uspoof_getSkeleton(spoof, 0, s, n, sk, 32, &e);
	if (U_FAILURE(e) || (m = decompose(sk, k, d, 64)) < 0)
		return;
	for (i = 0; i < m;) {
		U16_NEXT(d, i, m, x);
		if (mark(x))
			continue;
		x = u_tolower(x);
		if (x < 0x21 || x > 0x7E || u + 1 >= 8) {
			a[0] = '\0';
			return;
		}
		a[u++] = (char)x;
	}
	a[u] = '\0';
}

/*
 * The Latin letter a character's Unicode name says it is, lower-cased,
 * into *l, when no decomposition or skeleton says so: "LATIN LETTER SMALL
 * CAPITAL M" (U+1D0D), "NEGATIVE CIRCLED LATIN CAPITAL LETTER F"
 * (U+1F155); not a letter turned, reversed or inverted, which no reader
 * takes for it, nor a regional indicator, which a reader sees as half a
 * flag ("\U0001F1F3\U0001F1F4" is a flag, not "no").  1, or 0 for none.
 */
static int
named_latin(UChar32 c, char *l)
{
	char name[128];
	UErrorCode e = U_ZERO_ERROR;
	int32_t n = u_charName(c, U_UNICODE_CHAR_NAME, name, sizeof(name), &e);

	if (U_FAILURE(e) || n < 9 || n >= (int32_t)sizeof(name))
		return 0;
	name[n] = '\0';
	/* "... LETTER F", "... LETTER SMALL CAPITAL M" */
	if ((memcmp(name + n - 8, "LETTER ", 7) != 0 &&
	        (n < 22 || memcmp(name + n - 22, "LETTER SMALL CAPITAL ", 21) != 0)) ||
	    name[n - 1] < 'A' || name[n - 1] > 'Z')
		return 0;
	if (strstr(name, "LATIN ") == NULL || strstr(name, "TURNED") != NULL ||
	    strstr(name, "REVERSED") != NULL || strstr(name, "INVERTED") != NULL)
		return 0;
	*l = (char)(name[n - 1] - 'A' + 'a');
	return 1;
}

/*
 * What a reader takes c for, in UTF-8, into out (*n bytes): 0 when that
 * is c itself, 1 else (*n 0: nothing), -1 when it is too long to say.
 */
static int
fold_of(UChar32 c, char *out, size_t *n)
{
	UChar s[4], d[64];
	int32_t k = 0, m, i;
	UChar32 x;
	char a[8];
	size_t j;

	*n = 0;
	if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
		return 1;
	U16_APPEND_UNSAFE(s, k, c);
	if ((m = decompose(s, k, d, 64)) < 0)
		return -1;
	for (i = 0; i < m;) {
		U16_NEXT(d, i, m, x);
		if (mark(x) || u_hasBinaryProperty(x, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
			continue;
		x = u_tolower(x);
		if (x >= 0x80) {
			skeleton_ascii(x, a);
			if (a[0] != '\0') {
				for (j = 0; a[j] != '\0'; j++)
					if (put(out, n, (UChar32)a[j]) == -1)
						return -1;
				continue;
			}
		}
		if (put(out, n, x) == -1)
			return -1;
	}
	/* The skeleton of a double quote is two apostrophes: read as ASCII's own. */
	if (*n == 2 && memcmp(out, "''", 2) == 0)
		*n = 1, out[0] = '"';
	/* "(p)", a parenthesized letter's decomposition: read as the letter a word holds */
	if (*n == 3 && out[0] == '(' && out[2] == ')' && out[1] >= 'a' && out[1] <= 'z')
		*n = 1, out[0] = out[1];
	/* Itself: its name may say which Latin letter it passes for; longer than twice itself: left as it is (the normal form's bound). */
	{
		char self[4], l;
		size_t sn = 0;

		put(self, &sn, c);
		if (sn == *n && memcmp(self, out, sn) == 0 && named_latin(c, &l)) {
			*n = 1, out[0] = l;
			return 1;
		}
		if ((sn == *n && memcmp(self, out, sn) == 0) || *n > 2 * sn)
			return 0;
	}
	return 1;
}

/* A byte string as a C string literal. */
static void
literal(const char *s, size_t n)
{
	size_t i;

	putchar('"');
	for (i = 0; i < n; i++) {
		unsigned char b = (unsigned char)s[i];

		if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\' && b != '?')
			putchar(b);
		else
			printf("\\%03o", b);
	}
	putchar('"');
}

/* The code points from 'from' that in() holds, as the ranges NAME (N their count). */
static void
ranges(const char *name, const char *n, UChar32 from, int (*in)(UChar32))
{
	UChar32 c, lo = -1;
	size_t count = 0;

	printf("static const uint32_t %s[][2] = {\n", name);
	for (c = from; c <= 0x110000; c++) {
		int yes = c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF) && in(c);

		if (yes && lo < 0)
			lo = c;
		else if (!yes && lo >= 0) {
			printf(
			    "    {0x%04lX, 0x%04lX},\n", (unsigned long)lo, (unsigned long)c - 1);
			lo = -1;
			count++;
		}
	}
	printf("};\n#define %s %zu\n", n, count);
}

/* 1 when the normal form reads c as nothing. */
static int
read_as_nothing(UChar32 c)
{
	char out[OUT_MAX];
	size_t n;

	return fold_of(c, out, &n) == 1 && n == 0;
}

static void
fold_table(void)
{
	char out[OUT_MAX];
	size_t n, count = 0;
	UChar32 c;
	UVersionInfo v;
	char ver[U_MAX_VERSION_STRING_LENGTH];
	int r;

	u_getUnicodeVersion(v);
	u_versionToString(v, ver);
	printf("/* Made by build-aux/mkfold from ICU %s, Unicode %s: what a reader takes each\n"
	       " * code point past ASCII for (scanrules.c's fold), sorted by code point. */\n",
	    U_ICU_VERSION, ver);
	printf("static const struct fold_ent {\n\tuint32_t cp;\n\tuint8_t n;\n\tconst char *s;\n} "
	       "fold_tab[] = {\n");
	for (c = 0x80; c <= 0x10FFFF; c++) {
		/*
		 * Surrogates are no characters; the Hangul syllables decompose
		 * into their jamo, which no rule reads: left as they are.
		 */
		if ((c >= 0xD800 && c <= 0xDFFF) || (c >= 0xAC00 && c <= 0xD7A3))
			continue;
		if ((r = fold_of(c, out, &n)) <= 0 || n == 0)
			continue;
		printf("    {0x%04lX, %zu, ", (unsigned long)c, n);
		literal(out, n);
		printf("},\n");
		count++;
	}
	printf("};\n#define FOLD_N %zu\n", count);
	/*
	 * The capitals of other scripts that pass for a Latin capital while
	 * their small letters pass for none (Cyrillic "В" for "B", Greek
	 * "Μ" for "M"): read as that letter only beside Latin ones
	 * (scanrules.c), for a word of their own script is not one.
	 */
	printf("static const struct fold_cap {\n\tuint32_t cp;\n\tchar c;\n} fold_caps[] = {\n");
	count = 0;
	for (c = 0x80; c <= 0xFFFF; c++) {
		char a[8];

		if ((c >= 0xD800 && c <= 0xDFFF) || u_tolower(c) == c ||
		    (fold_of(c, out, &n) > 0 && n == 1 && (unsigned char)out[0] < 0x80))
			continue;
		skeleton_ascii(c, a);
		if (a[0] < 'a' || a[0] > 'z' || a[1] != '\0')
			continue;
		printf("    {0x%04lX, '%c'},\n", (unsigned long)c, a[0]);
		count++;
	}
	printf("};\n#define FOLD_CAPS_N %zu\n", count);
	/* What is read as nothing, as ranges: the default-ignorables, the marks. */
	ranges("fold_none", "FOLD_NONE_N", 0x80, read_as_nothing);
}

static int
ignorable(UChar32 c)
{
	return u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

static void
ignorable_table(void)
{
	UVersionInfo v;
	char ver[U_MAX_VERSION_STRING_LENGTH];

	u_getUnicodeVersion(v);
	u_versionToString(v, ver);
	printf("/* Made by build-aux/mkfold from ICU %s, Unicode %s: the default-ignorable code\n"
	       " * points (Default_Ignorable_Code_Point), as ranges, sorted. */\n",
	    U_ICU_VERSION, ver);
	ranges("mcp_ignorable", "MCP_IGNORABLE_N", 0, ignorable);
}

int
main(int argc, char **argv)
{
	UErrorCode e = U_ZERO_ERROR;

	if (argc != 2 || (strcmp(argv[1], "fold") != 0 && strcmp(argv[1], "ignorable") != 0)) {
		fprintf(stderr, "usage: mkfold fold | ignorable\n");
		return 2;
	}
	if ((nfkd = unorm2_getNFKDInstance(&e)) == NULL || U_FAILURE(e))
		die("NFKD", e);
	if ((spoof = uspoof_open(&e)) == NULL || U_FAILURE(e))
		die("uspoof_open", e);
	if (strcmp(argv[1], "fold") == 0)
		fold_table();
	else
		ignorable_table();
	uspoof_close(spoof);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		perror("mkfold: stdout");
		return 1;
	}
	return 0;
}
