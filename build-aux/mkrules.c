/*
 * mkrules - the rules on words of toolset/scanrules.c as re2c input: one
 * matcher an expression, anchored where it is called; the two bytes each
 * may begin with (rx_pair[]); and the automaton of their anchors (the
 * words a text must hold for an expression to match it), which one pass
 * over a text runs.  Run at build time; re2c(1) makes the C of its output
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
	unsigned char one[256]; /* the bytes it may match alone */
	unsigned char *pairs;   /* 65536 bits: the two bytes a longer match may begin with */
	int empty;              /* it may match the empty string */
};

#define PAIRS_SIZE (65536 / 8)
#define PAIR_SET(v, a, b) ((v)[((a) << 8 | (b)) >> 3] |= (unsigned char)(1U << ((b)&7)))

static unsigned char *
pairs_new(void)
{
	unsigned char *v = calloc(1, PAIRS_SIZE);

	if (v == NULL)
		err(1, "calloc");
	return v;
}

/* To p's pairs, each byte it may match alone followed by each of first. */
static void
pairs_then(struct piece *p, const unsigned char one[256], const unsigned char first[256])
{
	int a, b;

	for (a = 0; a < 256; a++)
		for (b = 0; one[a] && b < 256; b++)
			if (first[b])
				PAIR_SET(p->pairs, a, b);
}

static void
pairs_or(unsigned char *v, const unsigned char *w)
{
	size_t i;

	for (i = 0; i < PAIRS_SIZE; i++)
		v[i] |= w[i];
}

static const char *src; /* the expression being read */
static size_t at;
/*
 * A bound past BOUND_MAX is read as none: the automaton of "X[^.]{0,80}Y"
 * searched from every place has too many states, and its C too many bytes.
 * Such an expression's automaton matches more than it (relaxed): a match
 * of it is then tried by the expression itself (scanrules.c).
 */
#define BOUND_MAX 8
_Static_assert(sizeof(words) / sizeof(words[0]) < 31,
    "rx_pair[] holds 31 expressions and the bit of the end, ac_out[] 31 and the bit of "
    "\"system:\"");
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
	memcpy(p.one, p.first, sizeof(p.one));
	p.pairs = pairs_new();
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
			if (src[at] != '?')
				pairs_then(&p, p.one, p.first);
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
			/* More than one: a byte alone then the first of the next (a superset is safe). */
			if (strcmp(op, "{0,1}") != 0 && strcmp(op, "{1,1}") != 0 &&
			    strcmp(op, "{1}") != 0 && strcmp(op, "{0}") != 0)
				pairs_then(&p, p.one, p.first);
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
	p.pairs = pairs_new();
	while (src[at] != '\0' && src[at] != '|' && src[at] != ')') {
		q = repeat();
		/* pairs(PQ): P's, P's byte alone then Q's first, and Q's when P may be empty. */
		pairs_then(&p, p.one, q.first);
		if (p.empty)
			pairs_or(p.pairs, q.pairs);
		for (i = 0; i < 256; i++)
			p.one[i] = (unsigned char)((q.empty && p.one[i]) || (p.empty && q.one[i]));
		if (p.empty)
			for (i = 0; i < 256; i++)
				p.first[i] |= q.first[i];
		p.empty = p.empty && q.empty;
		free(q.pairs);
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
		for (i = 0; i < 256; i++) {
			p.first[i] |= q.first[i];
			p.one[i] |= q.one[i];
		}
		pairs_or(p.pairs, q.pairs);
		free(q.pairs);
		p.empty = p.empty || q.empty;
		s = cat3(p.re, " | ", q.re);
		free(p.re);
		free(q.re);
		p.re = s;
	}
	return p;
}

/*
 * The anchors' automaton (Aho and Corasick's): from state s, byte c goes
 * to ac_next[s][ac_class[c]], and a state says the expressions whose
 * anchors end there (ac_out[]), those of its suffixes included.
 */
#define AC_MAX 4096
static int ac_goto[AC_MAX][256], ac_fail[AC_MAX];
static unsigned long ac_out[AC_MAX];
static int ac_n = 1;

static void
ac_add(const unsigned char *a, size_t len, unsigned long mask)
{
	size_t i;
	int s = 0;

	for (i = 0; i < len; i++) {
		if (ac_goto[s][a[i]] == 0) {
			if (ac_n == AC_MAX)
				errx(1, "the anchors make more than %d states", AC_MAX);
			ac_goto[s][a[i]] = ac_n++;
		}
		s = ac_goto[s][a[i]];
	}
	ac_out[s] |= mask;
}

static void
ac_print(void)
{
	static int queue[AC_MAX], cls[256], rep[256];
	int head = 0, tail = 0, s, c, d, t, ncls = 1;

	/* The failures breadth first, and every move made whole. */
	for (c = 0; c < 256; c++)
		if ((t = ac_goto[0][c]) != 0)
			queue[tail++] = t;
	while (head < tail) {
		s = queue[head++];
		ac_out[s] |= ac_out[ac_fail[s]];
		for (c = 0; c < 256; c++) {
			if ((t = ac_goto[s][c]) != 0) {
				ac_fail[t] = ac_goto[ac_fail[s]][c];
				queue[tail++] = t;
			} else {
				ac_goto[s][c] = ac_goto[ac_fail[s]][c];
			}
		}
	}
	/* The bytes that move every state alike are one class; 0 those that lead home. */
	for (c = 0; c < 256; c++) {
		for (s = 0; s < ac_n && ac_goto[s][c] == 0; s++)
			;
		cls[c] = 0;
		if (s == ac_n)
			continue;
		for (d = 1; d < ncls; d++) {
			for (s = 0; s < ac_n && ac_goto[s][c] == ac_goto[s][rep[d]]; s++)
				;
			if (s == ac_n)
				break;
		}
		if (d == ncls)
			rep[ncls++] = c;
		cls[c] = d;
	}
	printf("\n/* The anchors' automaton: %d states, %d classes of bytes. */\n"
	       "#define AC_CLASSES %d\nstatic const unsigned char ac_class[256] = {",
	    ac_n, ncls, ncls);
	for (c = 0; c < 256; c++)
		printf("%s%d", c == 0 ? "\n    " : c % 16 ? ", " : ",\n    ", cls[c]);
	printf("};\nstatic const unsigned short ac_next[%d][AC_CLASSES] = {", ac_n);
	for (s = 0; s < ac_n; s++) {
		printf("%s\n    {0", s ? "," : "");
		for (c = 1; c < ncls; c++)
			printf(", %d", ac_goto[s][rep[c]]);
		printf("}");
	}
	printf("};\nstatic const uint32_t ac_out[%d] = {", ac_n);
	for (s = 0; s < ac_n; s++)
		printf("%s0x%lx", s == 0 ? "\n    " : s % 8 ? ", " : ",\n    ", ac_out[s]);
	printf("};\n");
}

int
main(void)
{
	static unsigned long pair[65536];
	unsigned long exact = 0;
	const char *a, *e;
	size_t k;
	struct piece p;
	size_t i;
	int c, d, n;

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
		/* The two bytes it may begin with: a byte it matches alone, then any. */
		for (c = 1; c < 256; c++)
			for (d = 0; d < 256; d++)
				if (p.one[c] || (p.pairs[(c << 8 | d) >> 3] >> (d & 7) & 1))
					pair[c << 8 | d] |= 1UL << i;
		free(p.pairs);
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
	for (i = 0; i < NWORDS; i++) {
		if ((src = folded(words[i].anchors)) == NULL)
			err(1, "folded");
		for (a = src;; a = e + 1) {
			e = strchr(a, '|');
			k = e != NULL ? (size_t)(e - a) : strlen(a);
			if (k == 0)
				fail("an empty anchor");
			ac_add((const unsigned char *)a, k, 1UL << i);
			if (e == NULL)
				break;
		}
		if (src != words[i].anchors)
			free((char *)src);
	}
	/* The bit past the expressions': "system:", which "SYSTEM:" said in capitals becomes. */
	ac_add((const unsigned char *)"system:", 7, 1UL << NWORDS);
	ac_print();
	printf(
	    "\n/* The expressions that may begin with two bytes (the first << 8 | the second). */\n"
	    "static const uint32_t rx_pair[65536] = {");
	/* Bit 31 where a text ends: the 0x03 after it, then its NUL (scanrules.c, RX_END). */
	pair[EOL << 8] |= 1UL << 31;
	for (c = 0, n = 0; c < 65536; c++)
		if (pair[c] != 0)
			printf("%s[0x%04x] = 0x%lx",
			    n++ % 6     ? ", "
			        : n > 1 ? ",\n    "
			                : "\n    ",
			    c, pair[c]);
	printf("};\n");
	return ferror(stdout) || fflush(stdout) == EOF;
}
