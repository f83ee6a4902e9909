/*
 * assets.c - the files mcp-serve sends as they are (serve/assets/), built
 * into the binary with the assembler's .incbin, so that a CGI program has
 * nothing to find on disk and a release carries its own copies.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <string.h>

#include "serve.h"

/* Each file between two symbols; the path is the compiler's, from the top. */
#define ASSET(name, file)                                                                          \
	__asm__(".section .rodata\n"                                                               \
	        ".global " #name "_start\n" #name "_start:\n"                                      \
	        ".incbin \"" file "\"\n"                                                           \
	        ".global " #name "_end\n" #name "_end:\n"                                          \
	        ".byte 0\n"                                                                        \
	        ".previous\n");                                                                    \
	extern const char name##_start[], name##_end[]

ASSET(embed_js, "serve/assets/embed.js");
ASSET(status_css, "serve/assets/status.css");
ASSET(world_svg, "serve/assets/world.svg");

const struct asset *
serve_asset(const char *path)
{
	static struct asset a[] = {
	    {"/embed.js", "text/javascript; charset=utf-8", NULL, 0},
	    {"/status.css", "text/css; charset=utf-8", NULL, 0},
	    {"/world.svg", "image/svg+xml", NULL, 0},
	};
	size_t i;

	a[0].p = embed_js_start, a[0].len = (size_t)(embed_js_end - embed_js_start);
	a[1].p = status_css_start, a[1].len = (size_t)(status_css_end - status_css_start);
	a[2].p = world_svg_start, a[2].len = (size_t)(world_svg_end - world_svg_start);
	for (i = 0; i < sizeof(a) / sizeof(a[0]); i++)
		if (strcmp(path, a[i].path) == 0)
			return &a[i];
	return NULL;
}

/* A strong tag of the bytes (64-bit FNV-1a): it changes when the file does. */
void
serve_asset_etag(const struct asset *a, char *buf, size_t len)
{
	unsigned long long h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < a->len; i++)
		h = (h ^ (unsigned char)a->p[i]) * 0x100000001b3ULL;
	snprintf(buf, len, "\"a-%016llx\"", h);
}
