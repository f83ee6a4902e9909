/*
 * run.c - the curl multi loop: targets started up to the job limit, each
 * driven by its completed transfers, records written as each finishes.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include "mcp.h"
#include "probe.h"
#include "rec.h"
#include "runner.h"

CURLM *
runner_multi(struct runner *r)
{
	return r->m;
}

const char *
runner_canary(const struct runner *r)
{
	return r->canary;
}

/*
 * Write the finished probe's records.  The probe itself is freed later,
 * by reap(), once no handler of it is on the stack; one that never started
 * (no slot) by its caller, sched.c.
 */
void
runner_finish(struct runner *r, struct probe *p)
{
	char err[256];

	/* The run's end reports a target whose DELETE its completion may follow. */
	if (p->reported)
		return;
	mcp_buf_reset(&r->out);
	/* A target whose records cannot be written is said, and the run goes on. */
	if (report_format(p, &r->out, err, sizeof(err)) == -1) {
		warnx("%s: %s", p->t->slug, err);
		r->broken = 1;
	} else if (!r->failed && mcp_rec_put(stdout, r->out.p, r->out.len) == -1) {
		mcp_stdout_failed();
		r->failed = 1;
	}
	if (probe_broken(p))
		r->broken = 1;
	p->reported = 1;
	sched_done(r, p);
	if (p->slot >= 0)
		r->done[r->ndone++] = p;
}

void
runner_due(struct runner *r, double t)
{
	if (t > 0 && (r->timer_due == 0 || t < r->timer_due))
		r->timer_due = t;
}

/* Free the probes reported since the last turn: the cost of a turn is
 * what happened in it, not the number of targets in flight. */
static void
reap(struct runner *r)
{
	struct probe *p;

	while (r->ndone > 0) {
		p = r->done[--r->ndone];
		r->live[p->slot] = NULL;
		r->idle[r->nidle++] = p->slot;
		probe_free(p);
		/* Closed without a word to runner_closesocket, if any were. */
		if (p->slow)
			r->slow_fds -= p->nsock;
		free(p);
		r->active--;
	}
}

static void
drain(struct runner *r)
{
	struct xfer *x;
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(r->m, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		x = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		if (x != NULL)
			xfer_complete(x, msg->data.result);
	}
}

/*
 * A callback changed p (an event arrived on a stream, an answer matched, a
 * resumption was scheduled): look at its timers on the next turn.
 */
void
runner_poke(struct runner *r, struct probe *p)
{
	if (p->dirty)
		return;
	p->dirty = 1;
	r->dirty[r->ndirty++] = p;
}

/*
 * Every byte from a server comes through here, from libcurl's callbacks
 * inside turn(): the time is the turn's, no clock read a callback.  A
 * stalled target that hears one is making progress again: the next turn
 * gives it back to -j (sched_heard).
 */
void
runner_heard(struct probe *p)
{
	struct runner *r = p->r;

	p->heard = r->now;
	if (p->slow)
		runner_poke(r, p);
}

/*
 * The probes' own timers: the poked ones every turn, all of them only
 * when the soonest known timer is due, so a turn costs O(events), not
 * O(targets in flight).  Then the schedule of the run (sched.c).
 */
static void
timers(struct runner *r)
{
	double now = mcp_mono();
	struct probe *p, *n;
	size_t i;
	int k;

	/* Its own time: reaching it is no reason to look at every target. */
	r->sched_due = sched_turn(r, now);
	for (i = 0; i < r->ndirty; i++) {
		p = r->dirty[i];
		p->dirty = 0;
		if (p->reported)
			continue;
		if (p->slow)
			sched_heard(r, p, now);
		runner_due(r, probe_timers(p, now));
	}
	r->ndirty = 0;
	if (r->timer_due == 0 || now < r->timer_due)
		return;
	r->timer_due = 0;
	/* The targets in flight are on the two queues; one reported leaves its own. */
	for (k = 0; k < 2; k++)
		for (p = TAILQ_FIRST(k ? &r->slow : &r->young); p != NULL; p = n) {
			n = TAILQ_NEXT(p, q);
			runner_due(r, probe_timers(p, now));
		}
}

/*
 * What epoll watches, by socket.  libcurl removes a kept-alive socket when
 * a request ends and adds it back for the next one on it: two epoll_ctl
 * calls a request, a fifth of the probe's system calls.  A removed socket
 * is parked instead, still in the epoll set, and taken out for real only if
 * it wakes epoll while parked.  libcurl's close of a socket comes through
 * runner_closesocket, which forgets it (the kernel drops a closed socket
 * from the set), so a new socket with the same number starts afresh.
 *
 * Only connection sockets are parked: runner_sockopt marks them as libcurl
 * opens them.  Others, such as the threaded resolver's socketpair, are
 * closed by libcurl itself, unseen; were one parked, a later socket with
 * its number would be taken as already watched and never be.
 */
enum {
	W_IN = 1,     /* EPOLLIN is watched */
	W_OUT = 2,    /* EPOLLOUT is watched */
	W_ADDED = 4,  /* the socket is in the epoll set */
	W_PARKED = 8, /* libcurl removed it; still in the set */
	W_CONN = 16,  /* a connection: its close is seen */
};

/*
 * Every socket libcurl opens for a target comes through here, and its
 * close through runner_closesocket, with the target as data (a
 * connection keeps the data of the handle that opened it): so each target
 * knows the descriptors it holds, and the run those of its slow targets
 * (sched.c).
 */
int
runner_sockopt(void *arg, curl_socket_t s, curlsocktype purpose)
{
	struct probe *p = arg;
	struct runner *r = p->r;

	if (purpose == CURLSOCKTYPE_IPCXN && s >= 0 && s < r->nwatch)
		r->watch[s] = W_CONN;
	p->nsock++;
	if (p->slow)
		r->slow_fds++;
	return CURL_SOCKOPT_OK;
}

int
runner_closesocket(void *arg, curl_socket_t s)
{
	struct probe *p = arg;
	struct runner *r = p->r;

	if (s >= 0 && s < r->nwatch)
		r->watch[s] = 0;
	p->nsock--;
	if (p->slow)
		r->slow_fds--;
	return close(s);
}

static void
unwatch(struct runner *r, curl_socket_t s)
{
	epoll_ctl(r->ep, EPOLL_CTL_DEL, s, NULL);
	if (s >= 0 && s < r->nwatch)
		r->watch[s] &= W_CONN;
}

static int
on_socket(CURL *e, curl_socket_t s, int what, void *arg, void *sockp)
{
	struct runner *r = arg;
	struct epoll_event ev = {0};
	unsigned char want, *w;

	(void)e;
	(void)sockp;
	w = s >= 0 && s < r->nwatch ? &r->watch[s] : NULL;
	if (what == CURL_POLL_REMOVE) {
		if (w != NULL && (*w & (W_ADDED | W_CONN)) == (W_ADDED | W_CONN))
			*w |= W_PARKED;
		else
			unwatch(r, s);
		return 0;
	}
	want = ((what & CURL_POLL_IN) ? W_IN : 0) | ((what & CURL_POLL_OUT) ? W_OUT : 0);
	if (w != NULL && (*w & W_ADDED) && (*w & (W_IN | W_OUT)) == want) {
		*w = (*w & W_CONN) | W_ADDED | want;
		return 0;
	}
	ev.events = ((want & W_IN) ? EPOLLIN : 0) | ((want & W_OUT) ? EPOLLOUT : 0);
	ev.data.fd = s;
	if (w == NULL || !(*w & W_ADDED) || epoll_ctl(r->ep, EPOLL_CTL_MOD, s, &ev) == -1)
		if (epoll_ctl(r->ep, EPOLL_CTL_ADD, s, &ev) == -1 && errno == EEXIST)
			epoll_ctl(r->ep, EPOLL_CTL_MOD, s, &ev);
	if (w != NULL)
		*w = (*w & W_CONN) | W_ADDED | want;
	return 0;
}

static int
on_timer(CURLM *m, long ms, void *arg)
{
	struct runner *r = arg;

	(void)m;
	r->curl_due = ms < 0 ? 0 : mcp_mono() + ms / 1000.0;
	return 0;
}

/* Wait for sockets or the soonest timer, and let libcurl act. */
static void
turn(struct runner *r)
{
	struct epoll_event evs[64];
	double now = mcp_mono(), wake = now + 1.0;
	int n, i, flags, running, ms;

	if (r->curl_due > 0 && r->curl_due < wake)
		wake = r->curl_due;
	if (r->timer_due > 0 && r->timer_due < wake)
		wake = r->timer_due;
	if (r->sched_due > 0 && r->sched_due < wake)
		wake = r->sched_due;
	/* An overdue timer must not become a negative timeout: that waits forever. */
	ms = r->ndirty > 0 || wake <= now ? 0 : (int)((wake - now) * 1000) + 1;
	/* SIGTERM comes only here (EINTR): the next turn ends the run. */
	n = epoll_pwait(r->ep, evs, 64, ms, &r->waitmask);
	/* The time of what libcurl's callbacks hear in this turn (runner_heard). */
	r->now = mcp_mono();
	for (i = 0; i < n; i++) {
		if (evs[i].data.fd < r->nwatch && (r->watch[evs[i].data.fd] & W_PARKED)) {
			unwatch(r, evs[i].data.fd);
			continue;
		}
		flags = ((evs[i].events & EPOLLIN) ? CURL_CSELECT_IN : 0) |
		    ((evs[i].events & EPOLLOUT) ? CURL_CSELECT_OUT : 0) |
		    ((evs[i].events & (EPOLLERR | EPOLLHUP)) ? CURL_CSELECT_ERR : 0);
		curl_multi_socket_action(r->m, evs[i].data.fd, flags, &running);
	}
	if (r->curl_due > 0 && mcp_mono() >= r->curl_due) {
		r->curl_due = 0;
		curl_multi_socket_action(r->m, CURL_SOCKET_TIMEOUT, 0, &running);
	}
}

static volatile sig_atomic_t stopped;

static void
on_term(int sig)
{
	(void)sig;
	stopped = 1;
}

/*
 * SIGTERM (timeout(1), systemd, mcp-fleet(8)'s cut) ends the run as its
 * deadline would: every target gets its records before the exit.  It is
 * blocked but in the loop's wait, so that it cannot slip in between the
 * look at the flag and the wait, and leave the loop asleep.
 */
static void
catch_term(struct runner *r)
{
	struct sigaction sa = {0};
	sigset_t term;

	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, &r->waitmask);
	sigdelset(&r->waitmask, SIGTERM);
	r->stop = &stopped;
}

int
run(const struct opts *o, struct mcp_targets *ts)
{
	struct runner r = {0};
	struct rlimit rl;
	int rc;

	r.o = o;
	r.ts = ts;
	r.now = mcp_mono();
	catch_term(&r);
	places_init(o);
	sched_init(&r);
	if (mcp_curl_init() == -1)
		errx(MCP_EXIT_FAIL, "curl_global_init failed");
	/* Before the fleet, so that every record of the run can say it. */
	if (o->canary != NULL)
		r.canary = canary_check(o);
	if ((r.ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		err(MCP_EXIT_FAIL, "epoll_create1");
	if ((r.m = curl_multi_init()) == NULL ||
	    (r.live = calloc((size_t)r.cap, sizeof(*r.live))) == NULL ||
	    (r.dirty = calloc((size_t)r.cap, sizeof(*r.dirty))) == NULL ||
	    (r.done = calloc((size_t)r.cap, sizeof(*r.done))) == NULL ||
	    (r.idle = calloc((size_t)r.cap, sizeof(*r.idle))) == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	for (r.nidle = 0; r.nidle < (size_t)r.cap; r.nidle++)
		r.idle[r.nidle] = r.cap - 1 - (long)r.nidle;
	/* Sockets past the table (a huge descriptor limit) are watched plainly. */
	r.nwatch =
	    getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536 ? (int)rl.rlim_cur : 65536;
	if ((r.watch = calloc((size_t)r.nwatch, 1)) == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	curl_multi_setopt(r.m, CURLMOPT_MAXCONNECTS, o->jobs * 2);
	curl_multi_setopt(r.m, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(r.m, CURLMOPT_SOCKETDATA, &r);
	curl_multi_setopt(r.m, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(r.m, CURLMOPT_TIMERDATA, &r);
	while (!r.failed) {
		drain(&r);
		timers(&r);
		drain(&r);
		reap(&r);
		sched_start(&r);
		if (r.active == 0 && r.next >= ts->n)
			break;
		/* Records reach the next tool before we block. */
		if (fflush(stdout) == EOF) {
			mcp_stdout_failed();
			r.failed = 1;
			break;
		}
		turn(&r);
	}
	sched_summary(&r);
	for (size_t i = 0; i < (size_t)r.cap; i++)
		if (r.live[i] != NULL) {
			probe_free(r.live[i]);
			free(r.live[i]);
		}
	free(r.live);
	free(r.dirty);
	free(r.done);
	free(r.idle);
	mcp_buf_free(&r.out);
	curl_multi_cleanup(r.m);
	free(r.watch);
	close(r.ep);
	curl_global_cleanup();
	/* A target the run could not judge is a runtime failure as a broken one is. */
	rc = r.failed || r.broken || sched_unjudged(&r) > 0 ? MCP_EXIT_FAIL : MCP_EXIT_OK;
	return rc;
}
