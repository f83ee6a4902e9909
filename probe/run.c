/*
 * run.c - the curl multi loop: targets started up to the job limit, each
 * driven by its completed transfers, records written as each finishes.
 */
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include "mcp.h"
#include "probe.h"
#include "rec.h"

struct runner {
	const struct opts *o;
	struct mcp_targets *ts;
	CURLM *m;
	int ep;               /* epoll: libcurl tells which sockets to watch */
	unsigned char *watch; /* by socket: what epoll watches (W_*) */
	int nwatch;
	double curl_due;      /* mono time libcurl wants its timeout, or 0 */
	double timer_due;     /* mono time some probe timer may be due */
	struct probe **dirty; /* probes a callback changed, o->jobs at most */
	size_t ndirty;
	struct probe **live; /* owned slots, o->jobs of them */
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
};

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
 * by reap(), once no handler of it is on the stack.
 */
void
runner_finish(struct runner *r, struct probe *p)
{
	char err[256];

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
	r->done[r->ndone++] = p;
}

static void
due(struct runner *r, double t)
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
		free(p);
		r->active--;
	}
}

static void
start_next(struct runner *r)
{
	struct probe *p;
	long i;

	while (r->active < (size_t)r->o->jobs && r->next < r->ts->n && r->nidle > 0) {
		i = r->idle[--r->nidle];
		if ((p = malloc(sizeof(*p))) == NULL)
			err(MCP_EXIT_FAIL, "malloc");
		if (probe_init(p, r->o, &r->ts->v[r->next], r) == -1)
			errx(MCP_EXIT_FAIL, "%s: out of memory", r->ts->v[r->next].slug);
		r->next++;
		p->slot = i;
		r->live[i] = p;
		r->active++;
		probe_start(p);
		/* The backstop of this target's deadline, whatever else it waits for. */
		due(r, p->deadline + BACKSTOP);
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
 * The probes' own timers: the poked ones every turn, all of them only
 * when the soonest known timer is due, so a turn costs O(events), not
 * O(targets in flight).
 */
static void
timers(struct runner *r)
{
	double now = mcp_mono();
	size_t i;
	long j;

	for (i = 0; i < r->ndirty; i++) {
		r->dirty[i]->dirty = 0;
		if (!r->dirty[i]->reported)
			due(r, probe_timers(r->dirty[i], now));
	}
	r->ndirty = 0;
	if (r->timer_due == 0 || now < r->timer_due)
		return;
	r->timer_due = 0;
	for (j = 0; j < r->o->jobs; j++)
		if (r->live[j] != NULL && !r->live[j]->reported)
			due(r, probe_timers(r->live[j], now));
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

int
runner_sockopt(void *arg, curl_socket_t s, curlsocktype purpose)
{
	struct runner *r = arg;

	if (purpose == CURLSOCKTYPE_IPCXN && s >= 0 && s < r->nwatch)
		r->watch[s] = W_CONN;
	return CURL_SOCKOPT_OK;
}

int
runner_closesocket(void *arg, curl_socket_t s)
{
	struct runner *r = arg;

	if (s >= 0 && s < r->nwatch)
		r->watch[s] = 0;
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
	/* An overdue timer must not become a negative timeout: that waits forever. */
	ms = r->ndirty > 0 || wake <= now ? 0 : (int)((wake - now) * 1000) + 1;
	n = epoll_wait(r->ep, evs, 64, ms);
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

int
run(const struct opts *o, struct mcp_targets *ts)
{
	struct runner r = {0};
	struct rlimit rl;
	int rc;

	r.o = o;
	r.ts = ts;
	if (mcp_curl_init() == -1)
		errx(MCP_EXIT_FAIL, "curl_global_init failed");
	/* Before the fleet, so that every record of the run can say it. */
	if (o->canary != NULL)
		r.canary = canary_check(o);
	if ((r.ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		err(MCP_EXIT_FAIL, "epoll_create1");
	if ((r.m = curl_multi_init()) == NULL ||
	    (r.live = calloc((size_t)o->jobs, sizeof(*r.live))) == NULL ||
	    (r.dirty = calloc((size_t)o->jobs, sizeof(*r.dirty))) == NULL ||
	    (r.done = calloc((size_t)o->jobs, sizeof(*r.done))) == NULL ||
	    (r.idle = calloc((size_t)o->jobs, sizeof(*r.idle))) == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	for (r.nidle = 0; r.nidle < (size_t)o->jobs; r.nidle++)
		r.idle[r.nidle] = o->jobs - 1 - (long)r.nidle;
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
		start_next(&r);
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
	for (size_t i = 0; i < (size_t)o->jobs; i++)
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
	rc = r.failed ? MCP_EXIT_FAIL : r.broken ? MCP_EXIT_FAIL : MCP_EXIT_OK;
	return rc;
}
