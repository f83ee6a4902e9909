/*
 * expect.h - conditions on a probe's steps and references between its
 * calls (mcp-probe(1), ASSERTIONS): parsed and checked once, when the
 * targets are (expect.c), and judged against what a probe saw (judge.c).
 * Pure: no I/O, no probe; probe/chain.c applies them to a probe.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef EXPECT_H
#define EXPECT_H

#include <regex.h>

#include <cJSON.h>

#include "targets.h"

/* What a condition is about, and so the step it fails. */
enum x_subj { X_PROTOCOL, X_TOOLS, X_CALL };

/* The observed value shown in a message, at the most, in bytes. */
#define EXPECT_SHOWN_MAX 80
/* A failed condition's message, at the most, in bytes (its NUL included). */
#define EXPECT_MSG_MAX 300
/* A call's arguments after its references are replaced, at the most. */
#define EXPECT_ARGS_MAX 65536

/* One condition: LEFT OP RIGHT. */
struct x_cond {
	const char *text; /* as written (borrowed from the target) */
	int secret;       /* expect_secret: only the left side and operator are shown */
	size_t shown;     /* bytes of text before the right-hand side */
	enum x_subj subj;
	int call;    /* X_CALL: the call it is about, 0 to MCP_CALLS_MAX - 1 */
	int fn;      /* 0, 'l' len(), 'h' has() */
	int op;      /* '=' '!' '<' 'l' (<=) '>' 'g' (>=) '~' (~=) 'n' (!~) */
	char *path;  /* owned: the path after the subject, "" for none */
	char *right; /* owned, wiped for a secret: the right-hand side */
	regex_t re;  /* ~= and !~: compiled once */
	int has_re;
};

/* A target's: its memory follows its conditions, a fleet of 20,000 has many. */
struct mcp_expect {
	struct x_cond *c; /* owned, n of them */
	int n;
	int ncalls;     /* calls configured: 0 (ping or none) to MCP_CALLS_MAX */
	unsigned keep;  /* bit i: call i's result is read by a condition or a reference */
	unsigned judge; /* bit i: a condition judges call i's is_error itself */
	int count[3];   /* conditions about each subject */
};

/* What a probe saw, for the conditions and references to read (borrowed). */
struct x_seen {
	const char *proto;               /* the negotiated protocol version, or "" */
	const cJSON *tools;              /* the tools named, or NULL: none listed */
	int ntools;                      /* the tools listed, all of them */
	const cJSON *res[MCP_CALLS_MAX]; /* each call's result when kept, or NULL */
	double ms[MCP_CALLS_MAX];        /* each call's time */
	int done;                        /* calls answered so far */
	/* The probe's secrets, scrubbed from a value shown before it is cut (or none). */
	const char *const *secrets;
	int nsec;
};

/*
 * Parse and check t's conditions and its calls' references into
 * t->compiled.  0, or -1 with a reason in err that quotes no secret
 * condition's right-hand side.
 */
int expect_compile(struct mcp_target *t, char *err, size_t len);
void expect_free(struct mcp_target *t);

/*
 * The next segment of a path: ".name" (its name in *name, *len bytes) or
 * "[index]" (*index).  Returns the bytes it takes, 0 at the end, -1 when
 * the path is malformed.
 */
int x_segment(const char *path, const char **name, size_t *len, long *index);
/*
 * The first segment of a [CALL] path, .structured, .text, .content, .ms
 * or .is_error: 0 to 4, *rest after it; -1 for none.
 */
int x_call_root(const char *path, const char **rest);

/*
 * Judge the conditions of e about subj against what was seen.  Returns
 * how many failed (0: all hold) and sets *passed to how many held; on a
 * failure, msg (EXPECT_MSG_MAX bytes) holds the message of the first
 * that failed, and failed (EXPECT_MSG_MAX bytes) that condition as it may
 * be shown.
 */
int expect_judge(const struct mcp_expect *e, enum x_subj subj, const struct x_seen *s, int *passed,
    char *msg, char *failed);

/*
 * Replace the references {{callN.PATH}} in the strings of args (owned by
 * the caller) with what call N answered: a string that is one reference
 * becomes its JSON value, one inside longer text its text.  0, or -1 with
 * why (a reference without a value, arguments grown too large).
 */
int expect_refs(cJSON *args, const struct x_seen *s, char *why, size_t len);

#endif
