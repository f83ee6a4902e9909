/*
 * sched.c - which targets are in flight, in what order, and when the run
 * ends.  A server that takes a connection and never answers must not hold
 * a place another target needs, and however many of them a fleet holds,
 * the run ends by its deadline with a result for every target.
 *
 * The order is a random permutation of the targets, drawn anew for each
 * run: neither the file's order nor the names decide who goes first, so a
 * publisher gains nothing by naming his servers to sort first.
 *
 * -j bounds the young targets: those making progress, each costing a
 * core's time as its answers come.  A target that has heard no byte from
 * its server for STALL_AFTER seconds (since its start, or its last byte) is
 * stalled: it no longer counts against -j, since waiting costs a socket,
 * not a core.  One that hears a byte again is young again.  The stalled
 * targets have bounds of their own: slow_max of them (SLOW_SHARE times
 * -j), and the descriptors left once every young place has four.  At
 * either bound the run starts no more targets, and the stalled target
 * silent longest, once silent EVICT_AFTER seconds, is ended to make room.
 * A target making progress never is: a server slow to answer on a runner
 * so loaded that every probe outlasts the 2 s mark is slow, not stalled,
 * and the run waits for it.  A runner so loaded that working servers
 * fall silent (100,000 targets on two shared cores) gets fewer in flight
 * at the bound, and those it ends are unjudged; letting the stalled take
 * more descriptors made the same runner's working servers time out,
 * broken (13,113 of 93,100).
 *
 * -d bounds the run.  Every target's deadline is cut to end CUT_SLACK
 * before the run's; a target is started only with MIN_RUN seconds left
 * before that, and those there is no time for are reported at once ("not
 * started"); WRAP before the run's end whatever is left is ended, its
 * records written.  SIGTERM ends the run the same way, at once.
 *
 * What the run ends before a target's own timeout ran out (not started,
 * ended to make room, cut by the run's end) is the runner's limit, not the
 * server's failure: the target is unjudged (life.c), and the run's last
 * word counts them and, when they are many, says the runner is short.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "mcp.h"
#include "probe.h"
#include "runner.h"

/* No byte for this long: the target is stalled. */
#define STALL_AFTER 2.0
/*
 * And for this long: it may be ended to make room.  A loaded runner (or
 * its servers' host) can leave a working server silent past STALL_AFTER;
 * the run first starts no more, which gives it the cores back, and ends
 * only what stays silent.
 */
#define EVICT_AFTER 5.0
#define SLOW_SHARE 4
#define CUT_SLACK 1.0
#define MIN_RUN 1.0
#define WRAP 0.5
/* More than this share of the targets unjudged: the runner is short. */
#define SHORT_PERCENT 10
/* Descriptors a young target may hold: request, stream, answer, token. */
#define FDS_YOUNG 4
/* Descriptors kept for everything else: stdio, epoll, the resolver. */
#define FDS_SPARE 64

/* A new random order of the targets: Fisher and Yates. */
static void
shuffle(struct mcp_targets *ts)
{
	struct mcp_target t;
	size_t i, j;

	for (i = ts->n; i > 1; i--) {
		j = arc4random_uniform((uint32_t)i);
		t = ts->v[i - 1];
		ts->v[i - 1] = ts->v[j];
		ts->v[j] = t;
	}
}

void
sched_init(struct runner *r)
{
	struct rlimit rl;

	shuffle(r->ts);
	TAILQ_INIT(&r->young);
	TAILQ_INIT(&r->slow);
	r->slow_max = SLOW_SHARE * r->o->jobs;
	r->cap = r->o->jobs + r->slow_max;
	/* main() raised the soft limit as far as the hard one allows. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur > (rlim_t)r->cap * 16)
		r->fd_room = r->cap * 16;
	else
		r->fd_room = (long)rl.rlim_cur - FDS_SPARE;
	r->end = r->o->run_end;
}

double
runner_cutoff(const struct runner *r)
{
	return r->end > 0 ? r->end - CUT_SLACK : 0;
}

int
runner_ending(const struct runner *r)
{
	return r->ending;
}

/* A target there is no time for: its records say so, and it is freed. */
static void
not_started(struct runner *r, struct mcp_target *t, const char *why)
{
	struct probe *p;

	if ((p = malloc(sizeof(*p))) == NULL)
		err(MCP_EXIT_FAIL, "malloc");
	if (probe_init(p, r->o, t, r) == -1)
		errx(MCP_EXIT_FAIL, "%s: out of memory", t->slug);
	p->slot = -1;
	p->mono0 = p->deadline = p->finished_mono = mcp_mono();
	p->started_at = mcp_ms_round(mcp_now());
	p->cut_code = "not_started";
	step_fail(p, S_DNS, 0, "timeout", "not started: %s", why);
	finish(p);
	probe_free(p);
	free(p);
}

void
sched_done(struct runner *r, struct probe *p)
{
	if (p->unjudged != NULL)
		r->nuj[strcmp(p->unjudged, "not_started") == 0 ? UJ_NOT_STARTED
		        : strcmp(p->unjudged, "evicted") == 0  ? UJ_EVICTED
		                                               : UJ_RUN_ENDED]++;
	if (p->slot < 0 || p->q.tqe_prev == NULL)
		return;
	if (p->slow) {
		TAILQ_REMOVE(&r->slow, p, q);
		r->nslow--;
	} else {
		TAILQ_REMOVE(&r->young, p, q);
		r->nyoung--;
	}
	p->q.tqe_prev = NULL;
}

/* The reason a target is ended or not started: the run's deadline, or SIGTERM. */
static const char *
why_end(const struct runner *r, char *buf, size_t len)
{
	int n;

	if (r->stop != NULL && *r->stop)
		return "the run was ended (SIGTERM)";
	n = snprintf(buf, len, "the run's deadline (-d %g) came first", r->o->run_secs);
	return n < 0 || (size_t)n >= len ? "the run's deadline came first" : buf;
}

/* p, stalled, counts against -j again: at the end of the young. */
static void
promote(struct runner *r, struct probe *p)
{
	TAILQ_REMOVE(&r->slow, p, q);
	r->nslow--;
	r->slow_fds -= p->nsock;
	p->slow = 0;
	p->qat = p->heard;
	TAILQ_INSERT_TAIL(&r->young, p, q);
	r->nyoung++;
}

void
sched_heard(struct runner *r, struct probe *p, double now)
{
	if (p->slow && p->q.tqe_prev != NULL && p->heard + STALL_AFTER > now)
		promote(r, p);
}

/*
 * End the stalled target silent longest, to make room: room says for
 * what.  fds counts down the descriptors that frees (once reaped).  0
 * when there is none to end: one that heard a byte since it stalled is
 * making progress, and goes back to the young instead; one silent less
 * than EVICT_AFTER is waited for.
 */
static int
evict(struct runner *r, long *fds, const char *room)
{
	struct probe *p;
	double now = mcp_mono();
	char why[200];
	int n;

	while ((p = TAILQ_FIRST(&r->slow)) != NULL && p->heard + STALL_AFTER > now)
		promote(r, p);
	if (p == NULL || p->heard + EVICT_AFTER > now)
		return 0;
	n = snprintf(why, sizeof(why),
	    "ended after %.1f s, %.1f s without a byte, to make room: %s", now - p->mono0,
	    now - p->heard, room);
	*fds -= p->nsock;
	probe_cut(
	    p, "evicted", n < 0 || (size_t)n >= sizeof(why) ? "ended early to make room" : why);
	/* Reported, its DELETE not waited for: out of the queue (sched_done). */
	runner_finish(r, p);
	return 1;
}

/* A young target silent long enough: stalled from now on. */
static void
stall(struct runner *r, struct probe *p)
{
	TAILQ_REMOVE(&r->young, p, q);
	r->nyoung--;
	p->slow = 1;
	p->qat = p->heard;
	r->slow_fds += p->nsock;
	TAILQ_INSERT_TAIL(&r->slow, p, q);
	r->nslow++;
}

/* Time is up: every target in flight ends, and every other one is reported. */
static void
end_all(struct runner *r)
{
	char buf[96];
	const char *why = why_end(r, buf, sizeof(buf));
	struct probe *p;
	long i;

	r->ending = r->over = 1;
	for (i = 0; i < r->cap; i++) {
		if ((p = r->live[i]) == NULL || p->reported)
			continue;
		probe_cut(p, "run_ended", why);
		/* Its DELETE, if any, is not waited for. */
		runner_finish(r, p);
	}
	while (r->next < r->ts->n)
		not_started(r, &r->ts->v[r->next++], why);
}

/*
 * Room for one more target: a place (the stalled ones at most slow_max),
 * and its descriptors: the young places hold FDS_YOUNG each, the stalled
 * targets what they hold.
 */
static int
room_for(const struct runner *r, long fds)
{
	return r->nyoung + r->nslow < r->cap && fds + FDS_YOUNG * (r->nyoung + 1) <= r->fd_room;
}

/*
 * No room, evicted ended: look again at once (once they are reaped), or
 * when the stalled target silent longest may be ended.  Until then the
 * run starts no more.
 */
static void
wait_room(struct runner *r, int evicted)
{
	struct probe *p = TAILQ_FIRST(&r->slow);
	double t = evicted > 0 ? mcp_mono() : p != NULL ? p->heard + EVICT_AFTER : 0;

	if (t > 0 && (r->sched_due == 0 || t < r->sched_due))
		r->sched_due = t;
}

void
sched_start(struct runner *r)
{
	char buf[96];
	struct probe *p;
	double cut = runner_cutoff(r);
	long i, fds = r->slow_fds;
	char room[120];
	int evicted;

	if (r->ending || (cut > 0 && cut - mcp_mono() < MIN_RUN)) {
		while (r->next < r->ts->n)
			not_started(r, &r->ts->v[r->next++], why_end(r, buf, sizeof(buf)));
		return;
	}
	while (r->next < r->ts->n && r->nyoung < r->o->jobs) {
		if (!room_for(r, fds)) {
			if (r->nyoung + r->nslow >= r->cap)
				snprintf(room, sizeof(room),
				    "%ld targets stalled at once at the most (%d times -j)",
				    r->slow_max, SLOW_SHARE);
			else
				snprintf(room, sizeof(room),
				    "the stalled targets held %ld of the %ld descriptors, and -j "
				    "%ld "
				    "keeps %d a place",
				    r->slow_fds, r->fd_room, r->o->jobs, FDS_YOUNG);
			/* What the evicted hold is freed when they are reaped: next turn. */
			for (evicted = 0; !room_for(r, fds) && evict(r, &fds, room); evicted++)
				;
			wait_room(r, evicted);
			return;
		}
		/* Slots of targets ended are freed when they are reaped: next turn. */
		if (r->nidle == 0)
			return;
		i = r->idle[--r->nidle];
		if ((p = malloc(sizeof(*p))) == NULL)
			err(MCP_EXIT_FAIL, "malloc");
		if (probe_init(p, r->o, &r->ts->v[r->next], r) == -1)
			errx(MCP_EXIT_FAIL, "%s: out of memory", r->ts->v[r->next].slug);
		r->next++;
		p->slot = i;
		r->live[i] = p;
		r->active++;
		TAILQ_INSERT_TAIL(&r->young, p, q);
		r->nyoung++;
		probe_start(p);
		/* The backstop of this target's deadline, whatever else it waits for. */
		runner_due(r, p->deadline + BACKSTOP);
	}
}

double
sched_turn(struct runner *r, double now)
{
	struct probe *p;
	double next = 0;

	if ((r->stop != NULL && *r->stop) || (r->end > 0 && now >= r->end - WRAP)) {
		if (r->next < r->ts->n || r->active > 0)
			end_all(r);
		return 0;
	}
	if (r->end > 0) {
		r->ending = now >= runner_cutoff(r);
		next = r->ending ? r->end - WRAP : runner_cutoff(r);
		/* Then those left are not started: their records are due at once. */
		if (r->next < r->ts->n && now < runner_cutoff(r) - MIN_RUN)
			next = runner_cutoff(r) - MIN_RUN;
	}
	/*
	 * Longest silent first, by the time each took its place: one that
	 * heard a byte since takes a new place at the end (qat, its last
	 * byte), so the walk ends at the first that is not due, and a target
	 * is looked at about once each STALL_AFTER however many are in flight.
	 */
	while ((p = TAILQ_FIRST(&r->young)) != NULL) {
		if (p->qat + STALL_AFTER > now) {
			if (next == 0 || p->qat + STALL_AFTER < next)
				next = p->qat + STALL_AFTER;
			break;
		}
		if (p->heard + STALL_AFTER <= now) {
			stall(r, p);
			continue;
		}
		TAILQ_REMOVE(&r->young, p, q);
		p->qat = p->heard;
		TAILQ_INSERT_TAIL(&r->young, p, q);
	}
	return next;
}

size_t
sched_unjudged(const struct runner *r)
{
	return r->nuj[UJ_NOT_STARTED] + r->nuj[UJ_EVICTED] + r->nuj[UJ_RUN_ENDED];
}

/* What would have judged them: the advice of a short runner, into buf. */
static void
advice(const struct runner *r, char *buf, size_t len)
{
	double t = r->o->timeout;
	size_t i, o = 0;
	int n, term = r->stop != NULL && *r->stop;

	buf[0] = '\0';
	for (i = 0; i < r->ts->n; i++)
		if (r->ts->v[i].timeout > t)
			t = r->ts->v[i].timeout;
	if (r->nuj[UJ_EVICTED] > 0) {
		n = snprintf(buf + o, len - o,
		    "; stalled targets crowded out the others (at most %d times -j %ld of them, "
		    "and "
		    "the descriptors): raise -j or the limit of open files",
		    SLOW_SHARE, r->o->jobs);
		o += n > 0 && (size_t)n < len - o ? (size_t)n : 0;
	}
	if (term) {
		snprintf(buf + o, len - o, "; SIGTERM came first: give the run the time it needs");
		return;
	}
	if (r->nuj[UJ_NOT_STARTED] > 0 ||
	    (r->nuj[UJ_RUN_ENDED] > 0 && r->o->run_secs >= t + CUT_SLACK + MIN_RUN)) {
		n = snprintf(buf + o, len - o,
		    "; too many targets for -j %ld in the run's %g s: raise -j or -d", r->o->jobs,
		    r->o->run_secs);
		o += n > 0 && (size_t)n < len - o ? (size_t)n : 0;
	}
	if (r->nuj[UJ_RUN_ENDED] > 0 && r->o->run_secs < t + CUT_SLACK + MIN_RUN)
		snprintf(buf + o, len - o,
		    "; -d %g leaves less than the targets' timeout (%g s) and %g s: raise -d or "
		    "lower -t",
		    r->o->run_secs, t, CUT_SLACK + MIN_RUN);
}

void
sched_summary(const struct runner *r)
{
	char buf[96], more[400];
	size_t n = sched_unjudged(r), all = r->ts->n;

	if (n == 0)
		return;
	warnx("%zu of %zu targets unjudged, the runner's limit and not the servers' failure: "
	      "%zu not started, %zu ended to make room, %zu ended by the run's end (%s)",
	    n, all, r->nuj[UJ_NOT_STARTED], r->nuj[UJ_EVICTED], r->nuj[UJ_RUN_ENDED],
	    r->nuj[UJ_NOT_STARTED] + r->nuj[UJ_RUN_ENDED] > 0 ? why_end(r, buf, sizeof(buf))
	                                                      : "none cut by the run's end");
	if (n * 100 <= all * SHORT_PERCENT)
		return;
	advice(r, more, sizeof(more));
	warnx("the runner is short: %zu %% of its %zu targets unjudged (more than %d %%)%s",
	    n * 100 / all, all, SHORT_PERCENT, more);
}
