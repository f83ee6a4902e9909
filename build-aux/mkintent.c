/*
 * mkintent - the hash of toolset/intent.c's words as C: hash_whole[] and
 * hash_stem[] (each word's index, plus one, in the slot of its hash, the
 * next free slot on a collision) and wordch[] (the bytes of a word), as
 * tables_hash() makes them from the tables themselves.  Run at build time
 * (Makefile); toolset/intent.c includes its output, so no table is built
 * when a tool runs.
 *
 * usage: mkintent >intenthash.h
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
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

int
main(int argc, char **argv)
{
	unsigned short ch[256];
	size_t i;

	(void)argv;
	if (argc != 1)
		errx(2, "usage: mkintent >intenthash.h");
	tables_hash();
	for (i = 0; i < 256; i++)
		ch[i] = wordch[i];
	printf("/* Made by build-aux/mkintent from toolset/intent.c's tables: edit those. */\n");
	put("unsigned short", "hash_whole", hash_whole, HASH_SIZE);
	put("unsigned short", "hash_stem", hash_stem, HASH_SIZE);
	put("unsigned char", "wordch", ch, 256);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
	return 0;
}
