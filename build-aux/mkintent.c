/*
 * mkintent - the hash of toolset/intent.c's words as C: each word in
 * the normal form its texts are read in (toolset/scanrules.c's folded():
 * "remplacé" is read as "remplace", the "о" of "пользователь" as "o"),
 * with its length (whole_w[], whole_n[], stem_w[], stem_n[]); hash_whole[]
 * and hash_stem[] (each word's index, plus one, in the slot of the hash of
 * that form, the next free slot on a collision); and wordch[] (the bytes
 * of a word), as tables_hash() makes them.  A word of the tables that
 * the normal form would split, or one given twice, is an error.  Run at build
 * time (Makefile); toolset/intent.c includes its output, so no table is
 * built when a tool runs.
 *
 * usage: mkintent >intenthash.h
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#define MCP_MKRULES 1
#include "../toolset/scanrules.c"
#define MCP_MKINTENT 1
#include "../toolset/intent.c"

#include <err.h>
#include <stdio.h>

static void
put(const char *type, const char *name, const unsigned short *v, size_t n)
{
	size_t i;

	printf("static const %s %s[%zu] = {", type, name, n);
	for (i = 0; i < n; i++)
		printf("%s%u,", i % 16 == 0 ? "\n    " : " ", v[i]);
	printf("\n};\n");
}

static void
put_words(const char *name, const char *const *w, size_t n)
{
	const unsigned char *p;
	size_t i;

	printf("static const char *const %s[%zu] = {", name, n);
	for (i = 0; i < n; i++) {
		printf("\n    \"");
		for (p = (const unsigned char *)w[i]; *p != '\0'; p++)
			printf(*p < 0x80 ? "%c" : "\\%03o", *p);
		printf("\",");
	}
	printf("\n};\n");
}

/* The lengths of the words w[0..n) as n's. */
static void
put_lens(const char *name, const char *const *w, size_t n)
{
	unsigned short v[NWHOLE > NSTEMS ? NWHOLE : NSTEMS];
	size_t i;

	for (i = 0; i < n; i++)
		if ((v[i] = (unsigned short)strlen(w[i])) > WORD_MAX)
			errx(1, "\"%s\": longer than WORD_MAX in the normal form", w[i]);
	put("unsigned char", name, v, n);
}

/*
 * A word the normal form makes no word of its own is never met: "x-y" is
 * one, "x y" two; an apostrophe joins only before s or t ("it's",
 * "don't"); a whole word of more than 3 bytes is looked up without a
 * hyphen it ends with; "-" and a dash alone begin a clause.
 */
static void
check(const char *w, const char *was, int whole_word)
{
	const char *p;
	size_t n = strlen(w);

	for (p = w; *p != '\0'; p++)
		if (!wordch[(unsigned char)*p] && !(*p == '\'' && (p[1] == 's' || p[1] == 't')))
			errx(1, "\"%s\" (\"%s\"): no one word in the normal form", w, was);
	if ((whole_word && n > 3 && w[n - 1] == '-') || strcmp(w, "-") == 0 ||
	    strcmp(w, "\xe2\x80\x94") == 0 || strcmp(w, "\xe2\x80\x93") == 0)
		errx(1, "\"%s\" (\"%s\"): never looked up so", w, was);
}

int
main(int argc, char **argv)
{
	unsigned short ch[256];
	size_t i, j;

	(void)argv;
	if (argc != 1)
		errx(2, "usage: mkintent >intenthash.h");
	if (tables_hash(folded) == -1)
		errx(1, "a word of the tables: no normal form, or a stem of fewer than %d bytes",
		    STEM_KEY);
	for (i = 0; i < NWHOLE; i++) {
		check(whole_w[i], whole[i].w, 1);
		/* the first of two alike is the one looked up: the second would be dead */
		for (j = 0; j < i; j++)
			if (strcmp(whole_w[i], whole_w[j]) == 0)
				errx(1, "\"%s\" (\"%s\"): twice in whole[], as \"%s\" too",
				    whole_w[i], whole[i].w, whole[j].w);
	}
	for (i = 0; i < NSTEMS; i++)
		check(stem_w[i], stems[i].w, 0);
	for (i = 0; i < 256; i++)
		ch[i] = wordch[i];
	printf("/* Made by build-aux/mkintent from toolset/intent.c's tables: edit those. */\n");
	put("unsigned short", "hash_whole", hash_whole, HASH_SIZE);
	put("unsigned short", "hash_stem", hash_stem, HASH_SIZE);
	put("unsigned char", "wordch", ch, 256);
	printf("_Static_assert(%zu == sizeof(whole) / sizeof(whole[0]), \"intenthash.h is of "
	       "other tables: make it again\");\n",
	    NWHOLE);
	printf("_Static_assert(%zu == sizeof(stems) / sizeof(stems[0]), \"intenthash.h is of "
	       "other tables: make it again\");\n",
	    NSTEMS);
	put_words("whole_w", whole_w, NWHOLE);
	put_lens("whole_n", whole_w, NWHOLE);
	put_words("stem_w", stem_w, NSTEMS);
	put_lens("stem_n", stem_w, NSTEMS);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
	return 0;
}
