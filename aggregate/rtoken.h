/* rtoken.h - mcp-aggregate reader: the readers' tokens of mcp-serve's /mcp. */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef AGG_RTOKEN_H
#define AGG_RTOKEN_H

int agg_reader(int argc, char **argv);

#endif
