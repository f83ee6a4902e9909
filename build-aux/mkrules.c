/*
 * mkrules - the rules on words of toolset/scanrules.c as re2c input: one
 * matcher a expression, anchored where it is called, and the bytes each
 * may begin with.  Run at build time; re2c(1) makes the C of its output
 * (Makefile), which toolset/scanrules.c includes.
 *
 * The expressions are read as POSIX extended ones (what regcomp(3) read
 * before them), in the normal form their texts are matched in (folded()),
 * byte by byte as in the C locale: (), |, *, +, ?, {m,n}, bracket
 * expressions of bytes and ranges, \ before a byte, ^ and $ (the bytes
 * 0x02 and 0x03 the text is put between), . (any byte but NUL).  A NUL
 * matches nothing: it ends the text.
 *
 * usage: mkrules >rules.re
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#define MCP_MKRULES 1
#include "../toolset/scanrules.c"

#include <err.h>

#define BOL 0x02
#define EOL 0x03

/* What one piece of an expression is: its re2c text, the bytes it may begin with. */
struct piece {
	char *re;
	unsigned char first[256];
	int empty; /* it may match the empty string */
};

static const char *src; /* the expression being read */
static size_t at;
/*
 * A bound past BOUND_MAX is read as none: the automaton of "X[^.]{0,80}Y"
 * searched from every place has too many states, and its C too many bytes.
 * Such an expression's automaton matches more than it (relaxed): a match
 * of it is then tried by the expression itself (scanrules.c).
 */
#define BOUND_MAX 8
static int relaxed;

static void
fail(const char *why)
{
	errx(1, "expression \"%s\", byte %zu: %s", src, at, why);
}

static char *
cat3(const char *a, const char *b, const char *c)
{
	char *s;

	if (asprintf(&s, "%s%s%s", a, b, c) == -1)
		err(1, "asprintf");
	return s;
}

/* A set of bytes as an re2c class (NUL never in it). */
static struct piece
set(const unsigned char in[256])
{
	struct piece p = {0};
	char *s = cat3("[", "", ""), *t, r[24];
	int c, e;

	for (c = 1; c < 256; c++) {
		if (!in[c])
			continue;
		for (e = c; e + 1 < 256 && in[e + 1]; e++)
			;
		if (e == c)
			snprintf(r, sizeof(r), "\\x%02X", c);
		else
			snprintf(r, sizeof(r), "\\x%02X-\\x%02X", c, e);
		t = cat3(s, r, "");
		free(s);
		s = t;
		memset(p.first + c, 1, (size_t)(e - c + 1));
		c = e;
	}
	p.re = cat3(s, "]", "");
	free(s);
	if (strcmp(p.re, "[]") == 0)
		fail("an empty set");
	return p;
}

static struct piece
byte(int c)
{
	unsigned char in[256] = {0};

	in[c] = 1;
	return set(in);
}

/* A bracket expression, at[0] its '['. */
static struct piece
bracket(void)
{
	unsigned char in[256] = {0};
	int neg = 0, c, e, i, first = 1;

	at++;
	if (src[at] == '^')
		neg = 1, at++;
	for (; src[at] != '\0' && (first || src[at] != ']'); first = 0) {
		if (src[at] == '[')
			fail("a class or an equivalence inside brackets");
		c = (unsigned char)src[at++];
		e = c;
		if (src[at] == '-' && src[at + 1] != ']' && src[at + 1] != '\0') {
			e = (unsigned char)src[at + 1];
			at += 2;
			if (e < c)
				fail("a range backwards");
		}
		for (i = c; i <= e; i++)
			in[i] = 1;
	}
	if (src[at] != ']')
		fail("a bracket not closed");
	at++;
	if (neg)
		for (i = 0; i < 256; i++)
			in[i] = !in[i];
	in[0] = 0;
	return set(in);
}

static struct piece alt(void);

static struct piece
atom(void)
{
	struct piece p;
	unsigned char in[256];
	char *s;

	switch (src[at]) {
	case '(':
		at++;
		p = alt();
		if (src[at] != ')')
			fail("a parenthesis not closed");
		at++;
		s = cat3("(", p.re, ")");
		free(p.re);
		p.re = s;
		return p;
	case '[':
		return bracket();
	case '\\':
		if (src[++at] == '\0')
			fail("a backslash at the end");
		return byte((unsigned char)src[at++]);
	case '^':
		at++;
		return byte(BOL);
	case '$':
		at++;
		return byte(EOL);
	case '.':
		at++;
		memset(in, 1, sizeof(in));
		in[0] = 0;
		return set(in);
	case '*':
	case '+':
	case '?':
	case '{':
	case ')':
	case '|':
		fail("an operator with nothing before it");
	}
	return byte((unsigned char)src[at++]);
}

static struct piece
repeat(void)
{
	struct piece p = atom();
	char *s, op[32];
	unsigned m, n;
	int k;

	for (;;) {
		switch (src[at]) {
		case '*':
		case '+':
		case '?':
			snprintf(op, sizeof(op), "%c", src[at]);
			p.empty = src[at] == '+' ? p.empty : 1;
			at++;
			break;
		case '{':
			k = 0;
			if (sscanf(src + at, "{%u,%u}%n", &m, &n, &k) == 2 && k > 0 && m <= n &&
			    n < 256 && n > BOUND_MAX)
				snprintf(op, sizeof(op), "{%u,}", m), relaxed = 1;
			else if (k > 0 && m <= n && n < 256)
				snprintf(op, sizeof(op), "{%u,%u}", m, n);
			else if (k = 0,
			    sscanf(src + at, "{%u,}%n", &m, &k) == 1 && k > 0 && m < 256)
				snprintf(op, sizeof(op), "{%u,}", m);
			else if (k = 0, sscanf(src + at, "{%u}%n", &m, &k) == 1 && k > 0 && m < 256)
				snprintf(op, sizeof(op), "{%u}", m);
			else
				fail("a bound not {m,n}, {m,} or {m}");
			p.empty = m == 0 ? 1 : p.empty;
			at += (size_t)k;
			break;
		default:
			return p;
		}
		s = cat3("(", p.re, ")");
		free(p.re);
		p.re = cat3(s, op, "");
		free(s);
	}
}

static struct piece
seq(void)
{
	struct piece p = {0}, q;
	char *s;
	int i;

	p.re = cat3("", "", "");
	p.empty = 1;
	while (src[at] != '\0' && src[at] != '|' && src[at] != ')') {
		q = repeat();
		if (p.empty)
			for (i = 0; i < 256; i++)
				p.first[i] |= q.first[i];
		p.empty = p.empty && q.empty;
		s = cat3(p.re, *p.re ? " " : "", q.re);
		free(p.re);
		free(q.re);
		p.re = s;
	}
	if (*p.re == '\0')
		fail("an empty alternative");
	return p;
}

static struct piece
alt(void)
{
	struct piece p = seq(), q;
	char *s;
	int i;

	while (src[at] == '|') {
		at++;
		q = seq();
		for (i = 0; i < 256; i++)
			p.first[i] |= q.first[i];
		p.empty = p.empty || q.empty;
		s = cat3(p.re, " | ", q.re);
		free(p.re);
		free(q.re);
		p.re = s;
	}
	return p;
}

int
main(void)
{
	unsigned long first[256] = {0}, exact = 0;
	struct piece p;
	size_t i;
	int c;

	printf("/* Made by build-aux/mkrules from the word table of toolset/scanrules.c. */\n");
	for (i = 0; i < NWORDS; i++) {
		if ((src = folded(words[i].re)) == NULL)
			err(1, "folded");
		at = 0;
		relaxed = 0;
		p = alt();
		if (src[at] != '\0')
			fail("a parenthesis not opened");
		if (p.empty)
			fail("it matches the empty string");
		for (c = 0; c < 256; c++)
			first[c] |= (unsigned long)p.first[c] << i;
		exact |= (unsigned long)!relaxed << i;
		if (src != words[i].re)
			free((char *)src);
		printf("\nstatic long\nrx_%zu(const unsigned char *s)\n{\n"
		       "\tconst unsigned char *YYCURSOR = s, *YYMARKER = s;\n\n"
		       "\t(void)YYMARKER;\n"
		       "\t/*!re2c\n"
		       "\tre2c:yyfill:enable = 0;\n"
		       "\tre2c:define:YYCTYPE = \"unsigned char\";\n"
		       "\t%s { return (long)(YYCURSOR - s); }\n"
		       "\t* { return -1; }\n"
		       "\t*/\n}\n",
		    i, p.re);
		free(p.re);
	}
	printf("\nstatic long (*const rx_fn[])(const unsigned char *) = {");
	for (i = 0; i < NWORDS; i++)
		printf("%srx_%zu", i ? ", " : "", i);
	printf("};\n\n/* The expressions whose automaton matches what they match, no more. */\n"
	       "static const unsigned long rx_exact = 0x%lx;\n",
	    exact);
	printf("\n/* The anchors of each expression, folded (anchored()). */\n"
	       "static const char *const rx_anchors[] = {");
	for (i = 0; i < NWORDS; i++) {
		if ((src = folded(words[i].anchors)) == NULL)
			err(1, "folded");
		printf("\n    \"");
		for (at = 0; src[at] != '\0'; at++)
			if ((unsigned char)src[at] < 0x80 && src[at] != '"' && src[at] != '\\')
				putchar(src[at]);
			else
				printf("\\%03o", (unsigned char)src[at]);
		printf("\",");
		if (src != words[i].anchors)
			free((char *)src);
	}
	printf("};\n");
	printf("\n/* The expressions that may begin with a byte, a bit each. */\n"
	       "static const unsigned long rx_first[256] = {");
	for (c = 0; c < 256; c++)
		printf("%s0x%lx", c == 0 ? "\n    " : c % 8 ? ", " : ",\n    ", first[c]);
	printf("};\n");
	return ferror(stdout) || fflush(stdout) == EOF;
}
