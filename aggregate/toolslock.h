/*
 * toolslock.h - mcp-aggregate tools --lock and --check (toolslock.c).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef AGG_TOOLSLOCK_H
#define AGG_TOOLSLOCK_H

struct mcp_store;

/* --check: what a region serves is not known (not kept, no answer), so not judged. */
#define AGG_EXIT_UNKNOWN 3

/* The lock of the slugs on stdout: MCP_EXIT_OK, or MCP_EXIT_FAIL after warnings. */
int agg_tools_lock(struct mcp_store *st, char **slugs, int n);

/*
 * The lock at path checked against what the regions serve, read from the
 * store st, or from served_path (answers of GET /api/status/SLUG/lists, a
 * line each) when not NULL; printed as text, JSON (how 'j') or SARIF
 * ('s').  0 passes, 1 differs, 2 a lock not read, 3 not known.
 */
int agg_tools_check(struct mcp_store *st, const char *path, const char *served_path, int how);

/* s on stdout as tools prints a server's text: what a reader would not see as text as \xNN (tools.c). */
void agg_tools_put_safe(const char *s);

#endif
