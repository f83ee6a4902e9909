/*
 * relay.h - push --to (relay.c) and its spool slots (slot.c), and the
 * runner's HTTPS client (send.c).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef RELAY_H
#define RELAY_H

#include <limits.h>
#include <sys/types.h>

#include "aggregate.h"
#include "hash.h"

#define RELAY_SLOTS 8 /* runs of push --to that share a spool at once, each a slot */

/*
 * A spool slot, held by one run (flock): the records it read and those
 * of the runs before it that were not answered for good, in order.
 */
struct slot {
	char path[PATH_MAX];
	int fd;    /* locked */
	off_t end; /* bytes of the file */
};

/*
 * Take a slot of the spool base: the first of base, base.1 ... that no
 * other run holds (base itself, waited for, when all are held), with the
 * records of every other slot no run holds moved into it.  0, or -1 with
 * why.
 */
int slot_take(const char *base, struct slot *s, char *why, size_t len);
/* The end of the line at off (past its newline), or the slot's end. */
off_t slot_line_end(const struct slot *s, off_t off);
/* Append n bytes (whole lines): 0, or -1 and errno. */
int slot_append(struct slot *s, const char *p, size_t n);
/*
 * The whole lines from off, at most lines of them and about max bytes
 * (one line at least), into b; their count in *m.  0, or -1 and errno.
 */
int slot_read(const struct slot *s, off_t off, size_t max, long lines, struct mcp_buf *b, long *m);
/*
 * The end of a run: the records before sent leave the slot (all of them:
 * emptied; some: the others written to a file that replaces it).  The
 * lines kept in *kept.  0, or -1 with why (the slot kept whole).
 */
int slot_finish(struct slot *s, off_t sent, long *kept, char *why, size_t len);
void slot_close(struct slot *s);

/* A list of a tools_list step, held for the answer to its result (relaylists.c). */
struct rlist {
	char slug[MCP_SLUG_MAX + 1]; /* "": forgotten */
	int kind;
	char hash[MCP_HASH_LEN];
	struct mcp_buf text; /* canonical, owned */
};

/* The lists of a run: held (a ring), and the records to send. */
struct rlists {
	struct rlist *held;
	size_t head, n, bytes;
	struct mcp_buf out; /* list records, whole lines */
	long sent, stored, unsent, absent;
	int said; /* a failure said */
};

struct agg_http;
/* Hold the lists of a tools_list step (rec), the oldest let go past the bounds. */
void rl_hold(struct rlists *l, const cJSON *rec);
/*
 * The answer to the result line (n bytes) named lists its store lacks
 * (lack, {"tools":"sha256:..."}): those held are queued to send.
 */
void rl_lack(struct rlists *l, const char *region, const char *line, size_t n, const cJSON *lack);
/* One request of the queued list records to the ingest at to (?lists). */
void rl_send(struct rlists *l, struct agg_http *http, const char *to);
void rl_free(struct rlists *l);

/* send.c: one HTTPS connection to the ingest, with the token of a file. */
/*
 * A URL a token may be sent to: https://, or http:// to a loopback host
 * (127.0.0.0/8, [::1], localhost: a runner tried on the deciding host
 * itself), where the token crosses no network.
 */
int agg_url_token_ok(const char *url);
/* The token read by the rules of a token file (mode 600); NULL with why ("token file PATH: ..."). */
struct agg_http *agg_http_open(
    const char *token_file, const char *cacert, double timeout, char *err, size_t len);
/*
 * POST the gzip body gz (GET when NULL) to url: the HTTP status, or -1
 * when no answer came (err).
 */
long agg_http_do(
    struct agg_http *c, const char *url, const struct mcp_buf *gz, char *err, size_t len);
const struct mcp_buf *agg_http_body(const struct agg_http *c);
long agg_http_retry_after(const struct agg_http *c);
void agg_http_close(struct agg_http *c);

#endif
