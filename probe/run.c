/*
 * run.c - the curl multi loop: targets started up to the job limit, each
 * driven by its completed transfers, records written as each finishes.
 */
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mcp.h"
#include "probe.h"
#include "rec.h"

struct runner {
	const struct opts *o;
	struct mcp_targets *ts;
	CURLM *m;
	struct probe **live; /* owned slots, o->jobs of them */
	size_t next;         /* next target to start */
	size_t active;
	struct mcp_buf out;
	int broken; /* a target was broken */
	int failed; /* the run itself failed (stdout) */
};

CURLM *
runner_multi(struct runner *r)
{
	return r->m;
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
	if (report_format(p, &r->out, err, sizeof(err)) == -1) {
		warnx("%s: %s", p->t->slug, err);
		r->failed = 1;
	} else if (!r->failed && mcp_rec_put(stdout, r->out.p, r->out.len) == -1) {
		warn("write stdout");
		r->failed = 1;
	}
	if (probe_broken(p))
		r->broken = 1;
	p->reported = 1;
}

static void
reap(struct runner *r)
{
	long i;

	for (i = 0; i < r->o->jobs; i++)
		if (r->live[i] != NULL && r->live[i]->reported) {
			probe_free(r->live[i]);
			free(r->live[i]);
			r->live[i] = NULL;
			r->active--;
		}
}

static void
start_next(struct runner *r)
{
	struct probe *p;
	long i;

	while (r->active < (size_t)r->o->jobs && r->next < r->ts->n) {
		for (i = 0; r->live[i] != NULL; i++)
			;
		if ((p = malloc(sizeof(*p))) == NULL)
			err(MCP_EXIT_FAIL, "malloc");
		if (probe_init(p, r->o, &r->ts->v[r->next], r) == -1)
			errx(MCP_EXIT_FAIL, "%s: out of memory", r->ts->v[r->next].slug);
		r->next++;
		r->live[i] = p;
		r->active++;
		probe_start(p);
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

/* Each live probe's timers; the time until the soonest, in ms. */
static long
timers(struct runner *r)
{
	double now = mcp_mono(), next = now + 1.0, t;
	long i;

	for (i = 0; i < r->o->jobs; i++) {
		if (r->live[i] == NULL || r->live[i]->reported)
			continue;
		/* The probe may finish here; reap() frees it. */
		t = probe_timers(r->live[i], now);
		if (t > 0 && t < next)
			next = t;
	}
	return (long)((next - now) * 1000) + 1;
}

int
run(const struct opts *o, struct mcp_targets *ts)
{
	struct runner r = {0};
	int running, rc;

	r.o = o;
	r.ts = ts;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		errx(MCP_EXIT_FAIL, "curl_global_init failed");
	if ((r.m = curl_multi_init()) == NULL ||
	    (r.live = calloc((size_t)o->jobs, sizeof(*r.live))) == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	curl_multi_setopt(r.m, CURLMOPT_MAXCONNECTS, o->jobs * 2);
	start_next(&r);
	while (!r.failed && (r.active > 0 || r.next < ts->n)) {
		curl_multi_perform(r.m, &running);
		drain(&r);
		timers(&r);
		drain(&r);
		reap(&r);
		start_next(&r);
		if (r.active == 0)
			continue;
		/* Records reach the next tool before we block. */
		if (fflush(stdout) == EOF) {
			warn("write stdout");
			r.failed = 1;
			break;
		}
		curl_multi_poll(r.m, NULL, 0, (int)timers(&r), NULL);
	}
	for (size_t i = 0; i < (size_t)o->jobs; i++)
		if (r.live[i] != NULL) {
			probe_free(r.live[i]);
			free(r.live[i]);
		}
	free(r.live);
	mcp_buf_free(&r.out);
	curl_multi_cleanup(r.m);
	curl_global_cleanup();
	rc = r.failed ? MCP_EXIT_FAIL : r.broken ? MCP_EXIT_FAIL : MCP_EXIT_OK;
	return rc;
}
