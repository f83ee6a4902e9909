/*
 * The suite's version is kept in one place, VERSION at the top of the
 * tree: the Makefile gives it to every file as -DMCP_VERSION.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_VERSION
#error "MCP_VERSION comes from the Makefile (the file VERSION)"
#endif
