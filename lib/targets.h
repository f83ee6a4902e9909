/*
 * targets.h - the targets file: "SLUG URL [key=value ...]" per line.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_TARGETS_H
#define MCP_TARGETS_H

#include <stddef.h>

/*
 * A header sent with a target's requests: "Name: value", or "Name:path",
 * whose value is the first line of the file at path (a secret, read by
 * the tool with the rules of a token file).
 */
struct mcp_header {
	char *name;  /* owned */
	char *value; /* owned, wiped on free; NULL until a file is read */
	char *file;  /* owned path, or NULL */
};

/* guard=: where a target may connect (mcp-probe(1), THE GUARD). */
enum mcp_guard_kind {
	MCP_GUARD_NONE,        /* anywhere: the operator's own target */
	MCP_GUARD_PUBLIC,      /* public addresses, https only */
	MCP_GUARD_PUBLIC_HTTP, /* public addresses, http too */
};

/* card=1 and card=0 (mcp-probe(1)): the Server Card looked for or not. */
#define MCP_CARD_ON 1
#define MCP_CARD_OFF 2

#define MCP_HEADERS_MAX 16
#define MCP_HEADER_VALUE_MAX 4096

/*
 * Conditions on a target's steps, expect= and expect_secret=
 * (mcp-probe(1), ASSERTIONS): at most MCP_EXPECT_MAX in all, each at most
 * MCP_EXPECT_TEXT_MAX bytes.  Their meaning is the tool's: the file only
 * keeps their text.
 */
#define MCP_EXPECT_MAX 16
#define MCP_EXPECT_TEXT_MAX 512
struct mcp_cond_text {
	char *text; /* owned; wiped on free when secret */
	int secret; /* expect_secret: its right-hand value is never printed */
};

/* The calls of a target's call step: call, then call2 to call4. */
#define MCP_CALLS_MAX 4

/* A tool's own form of a target's conditions (mcp-probe: probe/expect.c). */
struct mcp_expect;

struct mcp_target {
	char *slug;       /* owned */
	char *url;        /* owned */
	char *token_file; /* owned, or NULL */
	char *token;      /* owned, wiped on free: read by the tool, or NULL */
	char *call;       /* owned tool name, or NULL */
	char *call_args;  /* owned JSON object text, or NULL */
	char *connect_to; /* owned HOST:PORT:ADDR:PORT, or NULL */
	char *era;        /* owned auto|modern|legacy|sse, or NULL */
	char *cloak;      /* owned cloak=: a client profile, "off", or NULL (the tool's to check) */
	/* OAuth machine credentials (probe/oauth.c): paths owned, contents wiped. */
	char *oauth_client, *oauth_scope;
	char *oauth_issuer; /* the authorization server the operator pinned */
	char *oauth_secret_file, *oauth_key_file, *oauth_assertion_file;
	char *oauth_secret, *oauth_key, *oauth_assertion; /* read by the tool, or NULL */
	struct mcp_header *headers; /* owned, room for MCP_HEADERS_MAX; NULL when none */
	int nheaders;
	struct mcp_cond_text *expect; /* owned, room for MCP_EXPECT_MAX; NULL when none */
	int nexpect;
	char *more_call[MCP_CALLS_MAX - 1]; /* owned tool names of call2 to call4, or NULL */
	char *more_args[MCP_CALLS_MAX - 1]; /* owned JSON object texts of call2_args..., or NULL */
	/* Compiled from expect by the tool that reads them, and freed by it
	 * before mcp_target_free (which leaves it alone), or NULL. */
	struct mcp_expect *compiled;
	double timeout; /* seconds; 0: the run's default */
	enum mcp_guard_kind guard;
	int from_registry; /* origin=registry: a line of mcp-aggregate targets */
	int traceparent;   /* traceparent=1: the probe sends its trace context */
	int card;          /* card=: MCP_CARD_ON, MCP_CARD_OFF, or 0: the run's --card */
	long lineno;       /* line in the file, 0 for the command line */
};

struct mcp_targets {
	struct mcp_target *v; /* owned array */
	size_t n;
	/* The file as messages name it ("stdin" for "-"): borrowed from
	 * mcp_targets_load's path, or NULL for targets of no file. */
	const char *name;
	long bad; /* the lines mcp_targets_load found wrong, each reported */
};

/*
 * Called by mcp_targets_load with each wrong line of a file: its number
 * and why (borrowed for the call; never the value of a secret).
 */
typedef void (*mcp_targets_bad_fn)(const struct mcp_targets *ts, long lineno, const char *why);

/*
 * Parse one line (without its newline) into t.  Returns 1 for a target,
 * 0 for a blank or comment line, -1 with a reason in err.
 */
/* 1 when s may stand as one token of a targets file: no blank, no control byte. */
int mcp_target_token_ok(const char *s);

int mcp_target_parse(const char *line, struct mcp_target *t, char *err, size_t errlen);

/*
 * Read a whole targets file, standard input when path is "-".  Every
 * wrong line (one that does not parse, a slug given twice, a NUL byte) is
 * handed to bad (NULL: none), counted in ts->bad and left out; the others
 * are kept, so that a tool can check them too and say all that is wrong
 * with the file at once.  A line too long is wrong too, and the file is
 * not read past it.  Returns 0 (a file of no
 * target is not refused here: see ts->n), or -1 when the file could not
 * be opened ("NAME: reason" in err) or read ("NAME:LINE: reason"); on -1
 * nothing is kept.
 */
int mcp_targets_load(
    const char *path, struct mcp_targets *ts, mcp_targets_bad_fn bad, char *err, size_t errlen);

/*
 * Add the header of spec ("Name: value", or "Name:path" when file is set)
 * to t.  Returns 0, or -1 with a reason in err.  Names the probe manages
 * itself (Host, Content-Type, Accept, Mcp-Session-Id, ...) are refused.
 */
int mcp_header_add(struct mcp_target *t, const char *spec, int file, char *err, size_t errlen);

/*
 * 0 when libcurl parses url as an http:// or https:// URL with a host
 * (what mcp-probe(1) asks of a target before it runs any), else -1.
 */
int mcp_target_check_url(const char *url);
/* 1 when libcurl reads url's host as localhost, an address of 127.0.0.0/8 or [::1]. */
int mcp_url_loopback(const char *url);

/*
 * Add the condition cond (expect=, or expect_secret= when secret) to t.
 * Returns 0, or -1 with a reason in err: an empty condition, one past
 * MCP_EXPECT_TEXT_MAX bytes or past MCP_EXPECT_MAX in all.  The reason
 * never quotes the condition: a secret one must not be printed.
 */
int mcp_expect_add(struct mcp_target *t, const char *cond, int secret, char *err, size_t errlen);

/* NULL when value may be sent as a header value, else why not. */
const char *mcp_header_value_bad(const char *value);

/*
 * The default slug of a URL given without one, into buf: its host, port
 * and path made a slug (mcp-probe(1)).  -1 when the URL has no host.
 */
int mcp_default_slug(const char *url, char *buf, size_t len);

/* Wipe and free a secret string; *s becomes NULL. */
void mcp_wipe_free(char **s);
void mcp_target_free(struct mcp_target *t);
void mcp_targets_free(struct mcp_targets *ts);

#endif
