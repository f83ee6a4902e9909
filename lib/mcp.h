/*
 * mcp.h - what every tool of the suite shares: exit status, time, names.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_H
#define MCP_H

#include <stddef.h>
#include <stdint.h>

/* The exit status table of the whole suite; see EXIT STATUS in each page. */
enum mcp_exit {
	MCP_EXIT_OK = 0,    /* success */
	MCP_EXIT_FAIL = 1,  /* runtime failure; for mcp-probe, a broken target */
	MCP_EXIT_USAGE = 2, /* usage or configuration error */
};

#define MCP_SLUG_MAX 80

/*
 * The registry's slugs (mcp-store(7)): its fields, written by
 * mcp-aggregate registry sync; the slugs it moved, old -> new, in the
 * slot of the fields on a Redis Cluster (the hash tag), so that one
 * transaction writes both.  Read by push (whose slugs are whose) and by
 * mcp-serve (an old slug's 301).
 */
#define MCP_KEY_REGISTRY "mcp:registry:servers"
#define MCP_KEY_ALIASES "mcp:registry:aliases:{mcp:registry:servers}"
/* The readers' tokens of mcp-serve's /mcp: ID -> "sha256:HEX CREATED" (aggregate/rtoken.c). */
#define MCP_KEY_READERS "mcp:readers:tokens"

/* The eight steps of the probe, in order (CONTRACT §2). */
#define MCP_NSTEPS 8
extern const char *const mcp_steps[MCP_NSTEPS];

/* The words of an HTTP status line (RFC 9110), for the CGI "Status:" header. */
const char *mcp_http_reason(int status);
/*
 * 1 when standard input is a listening socket, which has no peer: a
 * FastCGI responder's (FCGX_IsCGI's test, without FCGX_Init).
 */
int mcp_stdin_is_fcgi(void);
/*
 * The n1 bytes at p1 then the n2 at p2 to fd in as few writev(2) as it
 * takes, not through stdio: 0, or -1 and errno.  A CGI answer's head and
 * body.
 */
int mcp_write_two(int fd, const void *p1, size_t n1, const void *p2, size_t n2);
/* Every byte of the n buffers of v to fd (v is consumed): 0, or -1 and errno. */
struct iovec;
int mcp_writev_all(int fd, struct iovec *v, int n);
/* All n bytes of p to fd, again after EINTR or a short write: 0, or -1 with errno. */
int mcp_write_all(int fd, const void *p, size_t n);

/* The index of a step name in mcp_steps, or -1. */
int mcp_step_index(const char *name);

/*
 * The current time in epoch seconds.  MCP_NOW, when set to a number,
 * replaces the system clock (replays, back-fills, tests).
 */
double mcp_now(void);

/* Epoch seconds written as a number (MCP_NOW, a Redis score): -1 when s is not one. */
double mcp_time_of(const char *s);

/* Monotonic seconds, for measuring durations; never affected by MCP_NOW. */
double mcp_mono(void);

/*
 * 1 when s is a slug: [a-z0-9._-]{1,80} and not all dots (CONTRACT §1).
 * Regions follow the same rule; MCP_SLUG_RULE says it in messages.
 */
/* An age as the read side says it: "37s", "4m", "2h", "3d" (a future time is 0s). */
void mcp_ago(double secs, char *buf, size_t len);

#define MCP_SLUG_RULE "[a-z0-9._-]{1,80}, not all dots"
int mcp_slug_ok(const char *s);

/* Format epoch seconds as ISO-8601 UTC ("2026-11-22T14:03:00Z") into buf. */
int mcp_iso8601(double t, char *buf, size_t len);

/*
 * The civil date (year, month 1-12, day 1-31) of a day count, days since
 * 1970-01-01, and the day count of a civil date (the proleptic Gregorian
 * calendar, UTC): arithmetic only, no time zone files.
 */
void mcp_civil(long long day, long long *y, unsigned *m, unsigned *d);
long long mcp_days_from_civil(long long y, unsigned m, unsigned d);

/* Round to millisecond precision, as records carry times. */
double mcp_ms_round(double t);
/*
 * Truncate to millisecond precision: a time that must not lie after the
 * clock it was read from (a job due now is due to the run that queued it).
 */
double mcp_ms_floor(double t);

/*
 * A secret (a bearer token, a routing key, an HMAC key): the first line of
 * a regular file that only its owner may access, blanks around it removed.
 * Owned (wipe it when done), or NULL with the reason in why, which never
 * holds the secret.
 */
char *mcp_secret_read(const char *path, char *why, size_t len);
/* The 32-bit FNV-1a hash of n bytes: for tables and short names, not for trust. */
uint32_t mcp_fnv1a(const void *p, size_t n);
/*
 * The file of a secret opened for reading, by the rules of a token file:
 * a regular file that neither group nor others may access.  The fd, or -1
 * with the reason in why.
 */
int mcp_secret_open(const char *path, char *why, size_t len);
/*
 * The same rules for a file already open (a configuration that holds a
 * secret): 0, or -1 with the reason in why, the words of mcp_secret_open.
 */
int mcp_secret_fd_ok(int fd, char *why, size_t len);
/*
 * Standard output made fit for a secret before one is printed: a regular
 * file there ("token add R >R.token") is made mode 600 whatever the
 * umask, and one that cannot be is refused (-1, the reason in why);
 * a terminal or a pipe is the reader's (0).
 */
int mcp_secret_stdout(char *why, size_t len);
/*
 * A whole secret file (a PEM key) of at most max bytes, by the same rules:
 * owned (wipe it when done), or NULL with the reason in why.
 */
char *mcp_secret_whole(const char *path, size_t max, char *why, size_t len);

/*
 * A file trusted as ssh(1) trusts its own, for one that names programs to
 * run or holds a secret: the file (fd, when not -1, else path) and every
 * directory above its real path owned by the effective user or root, and
 * none writable by group or others (but a sticky directory, as /tmp).  0,
 * or -1 with why: "owned by uid N, neither us (uid M) nor root",
 * "writable by group or others", or "directory DIR: " and one of them.
 */
int mcp_file_trusted(const char *path, int fd, char *why, size_t len);

/*
 * curl_global_init(), with OpenSSL's initialisation put off until a TLS
 * connection needs it when libcurl is the static build (curlinit.c).
 */
int mcp_curl_init(void);

/* Parse a positive decimal number of seconds; -1 when malformed. */
double mcp_parse_seconds(const char *s);

#endif
