/*
 * store.h - the Redis client of the suite: URLs, connect, AUTH, SELECT,
 * command timeouts, reconnect, Sentinel master lookup and Redis Cluster
 * routing (hiredis 0.14, which knows nothing of either).
 *
 * Library code: nothing here prints or exits; failures return -1 with a
 * reason in the caller's err buffer.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_STORE_H
#define MCP_STORE_H

#include <stddef.h>

#include <hiredis.h>

#define MCP_STORE_DEFAULT_URL "redis://127.0.0.1:6379"
#define MCP_STORE_SENTINELS_MAX 8
#define MCP_STORE_SEEDS_MAX 8
#define MCP_STORE_HOST_MAX 256
#define MCP_STORE_PATH_MAX 1024
#define MCP_STORE_CRED_MAX 256

enum mcp_store_kind {
	MCP_STORE_TCP,  /* redis://[[user]:password@]host[:port][/db] */
	MCP_STORE_UNIX, /* unix:///path/to/redis.sock[?db=N] */
	MCP_STORE_SENTINEL, /* redis-sentinel://[[user]:password@]host[:port][,host[:port]...]/master[/db] */
	MCP_STORE_CLUSTER, /* redis-cluster://[[user]:password@]host[:port][,host[:port]...][/0] */
};

struct mcp_store_addr {
	char host[MCP_STORE_HOST_MAX];
	int port;
};

struct mcp_store_url {
	enum mcp_store_kind kind;
	struct mcp_store_addr addr;    /* TCP: the server; SENTINEL: unused */
	char path[MCP_STORE_PATH_MAX]; /* UNIX: the socket */
	struct mcp_store_addr sentinel[MCP_STORE_SENTINELS_MAX];
	int nsentinel;
	struct mcp_store_addr seed[MCP_STORE_SEEDS_MAX]; /* CLUSTER: nodes asked first */
	int nseed;
	char master[MCP_STORE_HOST_MAX];   /* SENTINEL: the master's name */
	char user[MCP_STORE_CRED_MAX];     /* "" for none (AUTH password alone) */
	char password[MCP_STORE_CRED_MAX]; /* "" for no AUTH */
	int has_password;
	int db;
};

/*
 * Parse a store URL (forms above; percent-escapes are decoded in user and
 * password; unix:// also takes ?user=, ?password=).  A URL without a
 * password takes the first line of the file $MCP_REDIS_PASSWORD_FILE
 * names, when set.  0, or -1 with err.
 */
int mcp_store_parse_url(const char *url, struct mcp_store_url *u, char *err, size_t errlen);

/*
 * The URL of an -R argument, kept in storage of its own (until the next
 * call), its password in arg overwritten with '*' so that ps(1) shows it
 * for no longer than the start of the program.
 */
const char *mcp_store_url_arg(char *arg);

/*
 * url without its password (user:password@ made user@, password= left
 * out of the query), for messages and the spool's name.  0, or -1 when
 * out is too small.
 */
int mcp_store_url_public(const char *url, char *out, size_t outlen);

/* The URL to use: the argument, else $MCP_REDIS, else the default.  Borrowed. */
const char *mcp_store_url_choose(const char *arg);

/*
 * Check the URL of arg (as chosen above) before any work: 0, or -1 with
 * "bad store URL: what is wrong" in err (the tool exits 2 with it).
 */
int mcp_store_url_check(const char *arg, char *err, size_t errlen);

struct mcp_store_opts {
	double timeout; /* seconds, connect and each command; 0: 5 s */
	double retry;   /* seconds to keep trying a reconnect; -1: the default
	                    * (one attempt, 10 s for Sentinel and cluster URLs) */
};

/*
 * One connection to the current master; for a cluster URL, one to each
 * master, opened when first needed, and the map of the 16384 slots.
 * Opaque.
 */
struct mcp_store;

/*
 * Connect (asking Sentinel for the master when the URL says so), AUTH,
 * SELECT, set the command timeout.  Returns an owned handle (free with
 * mcp_store_close) or NULL with a reason in err.  The password is wiped
 * from the parsed URL only at close.
 */
struct mcp_store *mcp_store_open(
    const char *url, const struct mcp_store_opts *o, char *err, size_t errlen);

/*
 * Drop the connection and connect again, to the master Sentinel names now,
 * trying for up to the retry time.  Every fresh connection gets AUTH,
 * SELECT and the command timeout again (hiredis forgets the timeout on
 * reconnect), and the scripts of mcp_store_script_load.  0, or -1 with err
 * (and no connection: mcp_store_ctx is NULL).
 */
int mcp_store_reconnect(struct mcp_store *st, char *err, size_t errlen);

/*
 * The live hiredis context, borrowed until the next reconnect or close;
 * NULL for a cluster handle (use mcp_store_appendf and friends).
 */
redisContext *mcp_store_ctx(struct mcp_store *st);

/* 1 for a handle on a Redis Cluster. */
int mcp_store_is_cluster(const struct mcp_store *st);

/*
 * Queue a command (hiredis format, or argv form: argvlen NULL for C
 * strings) for the next mcp_store_read.  A single server's handle writes
 * it into the context's output buffer, as redisAppendCommand does; a
 * cluster handle keeps it until the read, which routes each command to
 * the master of its key's slot (argv[1]; EVAL and EVALSHA: the first key,
 * if any; a command with no key: any master; MULTI to EXEC: the node of
 * the block's keys, which must share one slot).  0, or -1 (out of memory,
 * no connection).
 */
int mcp_store_appendf(struct mcp_store *st, const char *fmt, ...);
int mcp_store_appendv(struct mcp_store *st, int argc, const char **argv, const size_t *argvlen);

/* The slot of a key (CRC16-XMODEM of the key or its {hash tag}, mod 16384). */
unsigned mcp_store_slot(const char *key, size_t len);

/*
 * Every key matching the glob match, by SCAN (on each master of a
 * cluster): *keys is an owned array of *n owned strings, in no order.
 * 0, or -1 with err (nothing to free then).
 */
int mcp_store_scan(
    struct mcp_store *st, const char *match, char ***keys, size_t *n, char *err, size_t errlen);

/* Where the handle is connected now ("host:port" or the socket path). */
const char *mcp_store_where(const struct mcp_store *st);

/*
 * 1 when a failure should be answered by a reconnect: an I/O error or
 * closed connection on the context, or a reply error READONLY / LOADING /
 * MASTERDOWN (a failover in progress or an old master demoted); for a
 * cluster also CLUSTERDOWN, TRYAGAIN, and MOVED or ASK left after the
 * redirections a command is allowed (the reconnect reads the slot map).
 */
int mcp_store_retryable(const struct mcp_store *st, const redisReply *r);

void mcp_store_close(struct mcp_store *st);

/*
 * Run one command (argv form) and hand back the owned reply, or NULL with
 * err.  A reply of type error is returned too; the caller inspects it.
 * A cluster handle routes it as mcp_store_read does, apart from the queue.
 */
redisReply *mcp_store_cmd(
    struct mcp_store *st, int argc, const char **argv, char *err, size_t errlen);

/*
 * Load a Lua script (SCRIPT LOAD; on every master of a cluster) and copy
 * its SHA1 (41 bytes) into sha.  The handle remembers lua (borrowed: it
 * must live as long as the handle, a static string) and loads it again on
 * every reconnect, as a new master may not have it (a cluster node that
 * answers NOSCRIPT gets them all and the command again); at most
 * MCP_STORE_SCRIPTS_MAX scripts.  0, or -1 with err.
 */
#define MCP_STORE_SCRIPTS_MAX 16
int mcp_store_script_load(
    struct mcp_store *st, const char *lua, char *sha, char *err, size_t errlen);

/*
 * Read the next n replies of the commands queued by mcp_store_appendf and
 * mcp_store_appendv into r, owned by the caller, in the order queued.  0,
 * or -1 with err ("where: why") when the link failed: the replies read
 * before stay in r, the rest are untouched.
 *
 * A cluster handle sends the commands queued at the first read that needs
 * them, one pipeline per master, and follows redirections: MOVED (the map
 * is read again, the command sent where it says), ASK (ASKING and the
 * command sent there once, the map kept), TRYAGAIN (a short wait), at most
 * 5 times a command, after which its error reply is what is read.
 */
int mcp_store_read(struct mcp_store *st, redisReply **r, size_t n, char *err, size_t errlen);

/*
 * A pipeline with reconnect and retry.  The round is the caller's: it
 * appends its commands, reads their replies with mcp_store_read, and keeps
 * what it needs in arg.  It must be safe to run again after a failure (free
 * or reuse what the failed round left).  It returns MCP_STORE_OK,
 * MCP_STORE_AGAIN when a reconnect and a new round may help (the link
 * failed, mcp_store_retryable, NOSCRIPT), or MCP_STORE_FAIL when they
 * cannot; a failure puts a reason in err.
 */
enum mcp_store_status {
	MCP_STORE_OK = 0,
	MCP_STORE_AGAIN = -1,
	MCP_STORE_FAIL = -2,
	MCP_STORE_DOWN = -3, /* mcp_store_run only: a reconnect failed */
};
typedef enum mcp_store_status mcp_store_round_fn(
    struct mcp_store *st, void *arg, char *err, size_t errlen);

/*
 * The policy of a run.  rounds: rounds in all, the first counted.  last: 1
 * to reconnect after the last failed round too, so that the next run starts
 * on a fresh link.  report: told each failed round and reconnect as it
 * happens (the tool prints it); NULL: the caller reads the last reason in err.
 */
struct mcp_store_retry {
	int rounds;
	int last;
	void (*report)(const char *why);
	int timeout_ends; /* a round whose read timed out is not repeated */
};

/*
 * Run round until it succeeds or rp->rounds have failed, reconnecting
 * (Sentinel: to the master named now; the remembered scripts loaded again)
 * after each failure it returns as MCP_STORE_AGAIN.  A handle left with no
 * connection by an earlier failed reconnect is reconnected first.  Returns
 * MCP_STORE_OK; MCP_STORE_AGAIN when every round failed; MCP_STORE_FAIL
 * when the round said so; MCP_STORE_DOWN when a reconnect failed (the
 * handle has no connection: the next run or mcp_store_reconnect tries
 * again).  With rp->timeout_ends, a round whose read timed out ends the run
 * (MCP_STORE_AGAIN, the link dropped for the next run to make): the run
 * waits one timeout at most.  Each failure leaves its reason in err
 * (nothing is printed).
 */
enum mcp_store_status mcp_store_run(struct mcp_store *st, const struct mcp_store_retry *rp,
    mcp_store_round_fn *round, void *arg, char *err, size_t errlen);

#endif
