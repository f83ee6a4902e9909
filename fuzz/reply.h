/*
 * reply.h - what the files of fuzz_reply share: the harness's view of
 * each easy handle, and the state of the one probe an input drives.
 * fuzz_reply.c is the scripted server, reply_curl.c stands in for libcurl
 * and the run loop, reply_check.c checks the records.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef FUZZ_REPLY_H
#define FUZZ_REPLY_H

#include "fuzz.h"
#include "../lib/buf.h"
#include "../lib/targets.h"
#include "../probe/probe.h"

/* The secrets a target may have: none may reach a record. */
#define TOKEN "Tk-fuzz-SECRET-0123456789"
#define KEY "Key-fuzz-SECRET-9876"
#define PASSWORD "pw-SECRET-55"
#define EXPECT_SECRET "Ex-fuzz-SECRET-77" /* an expect_secret's right-hand side */
#define BASIC "dXNlcjpwdy1TRUNSRVQtNTU"   /* base64 of user:PASSWORD, as libcurl sends it */
/* The harness's clocks start here (mono) and at 2026-01-01 (epoch). */
#define CLOCK0 1000.0
#define EPOCH0 1767225600.0

/* What the harness knows of one easy handle: the request, and its answer so far. */
struct em {
	CURL *h;
	char url[2100];
	struct curl_slist *hdrs; /* the probe's list (borrowed) */
	curl_write_callback hfn, wfn;
	void *hdata, *wdata;
	long nobody, timeout_ms;
	int inflight;
	double t0, due; /* clock time sent, and libcurl's timeout */
	long status;
	int in_body; /* the headers are done */
	int blank;   /* the headers of a 1xx answer ended */
	size_t got;  /* bytes handed to the callbacks */
};

/* One input: the probe, its target, the clock and what the probe wrote. */
struct reply {
	struct em em[8];
	double clock;
	int in_cb;        /* inside a libcurl callback */
	int poked;        /* the probe asked the run loop to look at it */
	const char *opts; /* the script's first line */
	struct probe *p;
	struct mcp_target t;
	struct mcp_buf out; /* the records */
};

extern struct reply rp;
extern struct runner *const reply_runner;

/* 1 when the script's options hold c. */
int reply_opt(char c);
/* The harness's record of an easy handle (a new one for a new handle). */
struct em *reply_em(CURL *c);
/* The easy handle of xfer x when it is in flight, else NULL. */
struct em *reply_inflight(const struct xfer *x);
/* The nine records of a finished probe, checked (reply_check.c). */
void reply_check_records(const char *s, size_t n);

#endif
