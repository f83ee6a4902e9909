/*
 * runner.h - the run loop's own state, shared by run.c (the loop, its
 * sockets and timers) and sched.c (which targets are in flight, and when
 * the run ends).  Nothing outside these two files looks inside.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef RUNNER_H
#define RUNNER_H

#include <sys/queue.h>

#include <signal.h>

#include "probe.h"

TAILQ_HEAD(probeq, probe);

struct runner {
	const struct opts *o;
	struct mcp_targets *ts;
	CURLM *m;
	int ep;               /* epoll: libcurl tells which sockets to watch */
	unsigned char *watch; /* by socket: what epoll watches (W_*) */
	int nwatch;
	double now;           /* mono time the turn's wait ended */
	double curl_due;      /* mono time libcurl wants its timeout, or 0 */
	double timer_due;     /* mono time some probe timer may be due */
	struct probe **dirty; /* probes a callback changed, cap at most */
	size_t ndirty;
	struct probe **live; /* owned slots, cap of them */
	long *idle;          /* the slots free, nidle of them */
	size_t nidle;
	struct probe **done; /* probes reported and not yet freed, ndone of them */
	size_t ndone;
	size_t next; /* next target to start */
	size_t active;
	struct mcp_buf out;
	const char *canary; /* "ok", "fail", or NULL: no --canary */
	int broken;         /* a target was broken */
	int failed;         /* the run itself failed (stdout) */

	/* sched.c */
	long cap;                    /* slots: o->jobs young and slow_max slow */
	long slow_max;               /* slow targets at the most */
	long fd_room;                /* descriptors the targets may hold together */
	long slow_fds;               /* the sockets the slow targets hold */
	struct probeq young;         /* targets that count against -j, oldest first */
	struct probeq slow;          /* targets that no longer do, oldest first */
	long nyoung, nslow;          /* their numbers */
	double end;                  /* mono time the run is over (-d), or 0 */
	double sched_due;            /* mono time sched_turn wants a look, or 0 */
	volatile sig_atomic_t *stop; /* set by SIGTERM: end the run now */
	sigset_t waitmask;           /* the signals let in while the loop waits */
	int ending;                  /* the cutoff has passed */
	int over;                    /* the run's end: what is left is ended */
	size_t nuj[3];               /* targets unjudged, by UJ_* (the run's last word) */
};

/* Why a target was unjudged (life.c): the index of runner's nuj. */
enum { UJ_NOT_STARTED, UJ_EVICTED, UJ_RUN_ENDED };

/* run.c: look at the timers again by mono time t. */
void runner_due(struct runner *r, double t);

/* sched.c */
void sched_init(struct runner *r);
/* Start targets while there is room; report those there is no time for. */
void sched_start(struct runner *r);
/* Move, end and report targets as time passes; the next mono time to look. */
double sched_turn(struct runner *r, double now);
/* p, stalled, heard a byte by now: it counts against -j again. */
void sched_heard(struct runner *r, struct probe *p, double now);
/* p is reported: out of its queue, it no longer counts. */
void sched_done(struct runner *r, struct probe *p);
/* The run's last word on standard error, if it cut anything short. */
void sched_summary(const struct runner *r);
/* The targets the run could not judge. */
size_t sched_unjudged(const struct runner *r);

#endif
