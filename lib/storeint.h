/*
 * storeint.h - what store.c and cluster.c share, no more: the handle and
 * the cluster half of each store call.  Not for the tools.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_STOREINT_H
#define MCP_STOREINT_H

#include <stdarg.h>
#include <sys/time.h>

#include "store.h"

/* The nodes a cluster handle knows at most: masters, seeds, those redirected to. */
#define MCP_STORE_NODES_MAX 64

struct mcp_cluster;

struct mcp_store {
	struct mcp_store_url url;
	struct mcp_store_opts opts;
	redisContext *c; /* a single server; NULL for a cluster */
	char where[MCP_STORE_PATH_MAX + 16];
	const char *lua[MCP_STORE_SCRIPTS_MAX]; /* loaded again on reconnect */
	int nlua;
	struct mcp_cluster *cl; /* a cluster URL: nodes, slot map, queue; owned */
	int timedout;           /* the last read failed by the command timeout */
};

/* store.c */
struct timeval mcp_store_tv(double s);
/*
 * "WHAT: why" of a failed context into err, "WHAT: timed out after N s"
 * for a timeout: 1 for that, else 0.
 */
int mcp_store_ctx_err(char *err, size_t errlen, const char *what, const redisContext *c);
void mcp_store_nap(double s);
/* AUTH on c with the URL's credentials, if any.  0, or -1 with err. */
int mcp_store_auth(
    struct mcp_store *st, redisContext *c, const char *where, char *err, size_t errlen);
/* SCRIPT LOAD of lua on c, its SHA1 into sha.  0, or -1 with err. */
int mcp_store_load_on(
    redisContext *c, const char *where, const char *lua, char *sha, char *err, size_t errlen);

/* cluster.c: each is the cluster half of the store call of its name. */
int mcp_cluster_reconnect(struct mcp_store *st, char *err, size_t errlen);
int mcp_cluster_linked(const struct mcp_store *st);
void mcp_cluster_free(struct mcp_store *st);
int mcp_cluster_queue(struct mcp_store *st, char *cmd, int len);
void mcp_cluster_drop(struct mcp_store *st);
int mcp_cluster_read(struct mcp_store *st, redisReply **r, size_t n, char *err, size_t errlen);
redisReply *mcp_cluster_cmd(
    struct mcp_store *st, int argc, const char **argv, char *err, size_t errlen);
int mcp_cluster_script_load(
    struct mcp_store *st, const char *lua, char *sha, char *err, size_t errlen);
int mcp_cluster_retryable(const struct mcp_store *st, const redisReply *r);
/* The masters' contexts (connected, borrowed) into c, at most max: their count, or -1. */
int mcp_cluster_masters(
    struct mcp_store *st, redisContext **c, const char **where, int max, char *err, size_t errlen);

#endif
