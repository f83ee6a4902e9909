/*
 * relay.c - push --to: a runner's records to the ingest of the deciding
 * host over HTTPS (mcp-aggregate(1) "push --to"), with a token of its
 * region and nothing else: no store password, no tunnel, no SSH.
 *
 * Each record is checked as push checks it; a step record is checked and
 * left there (nothing of it is stored).  The lists a tools_list step
 * carries are held apart (relaylists.c) and sent, after the results,
 * only when the ingest's answer to their result says the store lacks
 * them: the spool and the results' requests hold results only.  A
 * result record is written to the spool before it is sent, and leaves the spool only when the ingest's
 * answer says, for its line, stored, duplicate, refused for good, or
 * kept out as a conflict with another result of its window (said): a
 * run killed at any point leaves every record it read that was not so
 * answered in the spool, and the next run sends them first.  A result
 * sent twice (its answer lost) is a duplicate of its (slug, region,
 * window) the second time, and changes nothing.
 *
 * The spool of a run is a slot of its own (slot.c): the spool file of
 * the URL and region, or, while another run holds it, the next of
 * RELAY_SLOTS.  Its records are sent in order from the start of the file;
 * "sent" is the end of those answered for good.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aggregate.h"
#include "lists.h"
#include "loop.h"
#include "relay.h"

#define RELAY_BATCH 2000      /* results a request, at most */
#define RELAY_BYTES (1 << 20) /* bytes of records a request, about */
#define RELAY_WAIT 5.0        /* seconds a record waits for others before it is sent */
#define RELAY_LINGER 20.0     /* seconds spent after the end of stdin on what is left, by default */
#define BACKOFF_MAX 16        /* seconds between two tries, at most */

/* Where a record of this run lies in the slot, and its line of stdin. */
struct origin {
	off_t off;
	long line;
};

struct relay {
	const struct agg_opts *o;
	const char *region;
	struct agg_http *http;
	struct slot s;
	off_t sent;         /* bytes of the slot answered for good */
	long sent_line;     /* their lines */
	off_t old_end;      /* the records of before this run end here */
	int dirty;          /* written since the last fsync */
	long unsent;        /* results after sent */
	double first;       /* monotonic time the oldest of them came; 0: none */
	double retry_at;    /* no request before */
	int tries;          /* requests failed in a row */
	int down;           /* given up: the rest waits in the spool */
	struct mcp_buf out; /* the records of one read of stdin, checked */
	struct origin *org;
	size_t norg, corg;
	long stored, dups, refused, steps, replayed, kept;
	int failed;
	char later[AGG_WHY_MAX]; /* the last reason of a line the ingest will take later */
	struct rlists rl;        /* the lists: held, and those to send */
};

static double
elapsed_since(double t)
{
	return mcp_mono() - t;
}

static void
nap(double s)
{
	struct timespec ts;

	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

/* The records of out to the end of the slot, each one's origin kept. */
static void
write_out(struct relay *r)
{
	if (r->out.len == 0)
		return;
	if (slot_append(&r->s, r->out.p, r->out.len) == -1) {
		warn("spool: %s", r->s.path);
		r->failed = 1;
		r->down = 1;
	}
	r->dirty = 1;
	mcp_buf_reset(&r->out);
}

/* The buffer back to its first n bytes. */
static void
cut(struct mcp_buf *b, size_t n)
{
	b->len = n;
	if (b->p != NULL)
		b->p[n] = '\0';
}

static int
on_record(cJSON *rec, long lineno, void *arg)
{
	struct relay *r = arg;
	char why[AGG_WHY_MAX];
	struct origin *v;
	size_t at;
	int k = agg_push_check(rec, r->region, "-r ", why, sizeof(why));

	if (k == 0) {
		warnx("stdin:%ld: %s", lineno, why);
		return 1;
	}
	/* A step is never sent: its lists are held, for the store may lack them. */
	if (k == 's') {
		r->steps++;
		if (agg_list_carried(rec))
			rl_hold(&r->rl, rec);
		return 0;
	}
	if (r->norg == r->corg) {
		r->corg = r->corg ? r->corg * 2 : 1024;
		if ((v = realloc(r->org, r->corg * sizeof(*v))) == NULL)
			err(MCP_EXIT_FAIL, "push");
		r->org = v;
	}
	r->org[r->norg].off = r->s.end + (off_t)r->out.len;
	r->org[r->norg++].line = lineno;
	at = r->out.len;
	if (mcp_json_write(&r->out, rec, why, sizeof(why)) == -1 ||
	    mcp_buf_addc(&r->out, '\n') == -1) {
		warnx("stdin:%ld: %s", lineno, why);
		cut(&r->out, at);
		r->norg--;
		return 1;
	}
	if (r->out.len - at > AGG_WIRE_LINE_MAX) {
		/* The ingest refuses it: it never enters the spool. */
		warnx("stdin:%ld: a record of %zu bytes as sent: at most %d", lineno,
		    r->out.len - at - 1, AGG_WIRE_LINE_MAX);
		cut(&r->out, at);
		r->norg--;
		return 1;
	}
	if (r->unsent++ == 0)
		r->first = mcp_mono();
	return 0;
}

/* "stdin:N" for a record of this run at off, else "SPOOL:N" (N its line in the slot). */
static const char *
origin_of(const struct relay *r, off_t off, long line, char *buf, size_t len)
{
	size_t lo = 0, hi = r->norg, mid;

	if (off < r->old_end) {
		snprintf(buf, len, "%s:%ld", r->s.path, line);
		return buf;
	}
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (r->org[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	snprintf(buf, len, "stdin:%ld", lo < r->norg ? r->org[lo].line : 0);
	return buf;
}

/* The next failure's wait: 1, 2, 4 ... BACKOFF_MAX seconds, a quarter of it at random. */
static void
backoff(struct relay *r, long retry_after)
{
	double d = (double)(1L << (r->tries < 5 ? r->tries : 5));

	if (d > BACKOFF_MAX)
		d = BACKOFF_MAX;
	d *= 0.75 + 0.25 * ((double)rand() / RAND_MAX);
	if (retry_after > d)
		d = (double)retry_after;
	r->tries++;
	r->retry_at = mcp_mono() + d;
}

/*
 * The fate of each line of an answer into fate[0..m) (-1: none), and the
 * lists its store lacks into lack (owned); 1 when it says it is done.
 */
static int
read_answer(const struct mcp_buf *b, signed char *fate, char **why, cJSON **lack, long m)
{
	static const char *const names[] = {
	    "stored", "duplicate", "checked", "refused", "later", "conflict"};
	const char *p = b->p, *e = b->p + b->len, *nl, *st;
	const cJSON *ln;
	cJSON *v;
	int done = 0, f;

	for (; p != NULL && p < e; p = nl != NULL ? nl + 1 : e) {
		nl = memchr(p, '\n', (size_t)(e - p));
		if ((v = cJSON_ParseWithLength(p, (size_t)((nl != NULL ? nl : e) - p))) == NULL)
			continue;
		ln = cJSON_GetObjectItemCaseSensitive(v, "line");
		st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v, "status"));
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "done")))
			done = 1;
		for (f = 0; st != NULL && f < 6 && strcmp(st, names[f]) != 0; f++)
			;
		if (cJSON_IsNumber(ln) && ln->valuedouble >= 1 && ln->valuedouble <= (double)m &&
		    st != NULL && f < 6) {
			fate[(long)ln->valuedouble - 1] = (signed char)f;
			free(why[(long)ln->valuedouble - 1]);
			why[(long)ln->valuedouble - 1] = strdup(mcp_json_str(v, "reason", ""));
			cJSON_Delete(lack[(long)ln->valuedouble - 1]);
			lack[(long)ln->valuedouble - 1] =
			    cJSON_DetachItemFromObjectCaseSensitive(v, "lack");
		}
		cJSON_Delete(v);
	}
	return done;
}

static int
final(signed char f)
{
	return f == AGG_STORED || f == AGG_DUPLICATE || f == AGG_CHECKED || f == AGG_REFUSED ||
	    f == AGG_CONFLICT;
}

/*
 * The answer to the batch of m lines at r->sent (p, their bytes): the
 * lines answered for good, up to the first that is not, leave the spool;
 * a refused one is said.
 */
static void
settle(struct relay *r, const char *p, const char *end, long m, const struct mcp_buf *ans)
{
	signed char *fate = malloc((size_t)m);
	char **why = calloc((size_t)m, sizeof(*why)), where[PATH_MAX + 32], q[MCP_QUOTED_MAX];
	cJSON **lack = calloc((size_t)m, sizeof(*lack));
	const char *nl;
	long i;
	int done;

	if (fate == NULL || why == NULL || lack == NULL)
		err(MCP_EXIT_FAIL, "push");
	memset(fate, -1, (size_t)m);
	done = read_answer(ans, fate, why, lack, m);
	for (i = 0; i < m && final(fate[i]); i++, p = nl + 1) {
		/* The body's own end: a line holding a NUL is still one line. */
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		if (fate[i] == AGG_REFUSED || fate[i] == AGG_CONFLICT) {
			/* The ingest's words, as JSON: a host may be hostile too. */
			warnx("%s: %s: %s: %s", r->o->to,
			    origin_of(r, r->sent, r->sent_line + 1, where, sizeof(where)),
			    fate[i] == AGG_CONFLICT ? "kept out" : "refused",
			    mcp_json_quoted(q, sizeof(q), why[i] != NULL ? why[i] : ""));
			r->refused++;
		} else if (fate[i] == AGG_STORED) {
			r->stored++;
			r->replayed += r->sent < r->old_end;
		} else if (fate[i] != AGG_CHECKED) {
			r->dups++;
		}
		if (lack[i] != NULL && (fate[i] == AGG_STORED || fate[i] == AGG_DUPLICATE))
			rl_lack(&r->rl, r->region, p, (size_t)(nl - p), lack[i]);
		if (r->sent >= r->old_end)
			r->unsent--;
		r->sent += nl + 1 - p;
		r->sent_line++;
	}
	if (i < m) {
		if (!done)
			warnx("%s: an answer cut short: %ld of %ld lines to send again", r->o->to,
			    m - i, m);
		else if (fate[i] == AGG_LATER && why[i] != NULL && strcmp(why[i], r->later) != 0) {
			/* Kept, not lost; its reason said once a run (the runner's clock, the store). */
			snprintf(r->later, sizeof(r->later), "%s", why[i]);
			warnx("%s: %ld of %ld lines to send again: %s", r->o->to, m - i, m,
			    mcp_json_quoted(q, sizeof(q), why[i]));
		}
		backoff(r, 0);
	} else {
		r->tries = 0;
	}
	if (r->unsent <= 0)
		r->unsent = 0, r->first = 0;
	for (i = 0; i < m; i++)
		free(why[i]), cJSON_Delete(lack[i]);
	free(why);
	free(lack);
	free(fate);
}

/* A status that no retry will change: the run stops sending. */
static void
give_up(struct relay *r, long status)
{
	const struct mcp_buf *b = agg_http_body(r->http);
	char q[MCP_QUOTED_MAX];

	if (status == 401)
		warnx("%s: the ingest refused the token (401): is it of %s, and not revoked?",
		    r->o->to, r->region);
	else
		warnx("%s: the ingest answered %ld: %s", r->o->to, status,
		    mcp_json_quoted(q, sizeof(q), b->p != NULL ? b->p : ""));
	r->down = 1;
	r->failed = 1;
}

/* One request: the records from r->sent, as many as a batch takes. */
static void
send_one(struct relay *r)
{
	struct mcp_buf body = {0}, gz = {0};
	char err[512];
	long m = 0, status;

	if (r->dirty && fsync(r->s.fd) == -1) {
		warn("spool: %s", r->s.path);
		r->failed = 1;
	}
	r->dirty = 0;
	if (slot_read(&r->s, r->sent, RELAY_BYTES, RELAY_BATCH, &body, &m) == -1) {
		warn("spool: %s", r->s.path);
		r->failed = r->down = 1;
		return;
	}
	if (m == 0 && r->s.end > r->sent) {
		/*
		 * A line longer than any batch (a spool written by hand, or torn
		 * and mended): no ingest takes it, and it must not hold the rest.
		 */
		off_t e = slot_line_end(&r->s, r->sent);

		warnx("spool: %s:%ld: a line of %lld bytes, more than the ingest takes: dropped",
		    r->s.path, r->sent_line + 1, (long long)(e - r->sent));
		if (r->sent >= r->old_end && r->unsent > 0)
			r->unsent--;
		r->sent = e;
		r->sent_line++;
		r->refused++;
		goto out;
	}
	if (m == 0 || agg_gzip(body.p, body.len, &gz) == -1) {
		if (m > 0)
			warnx("gzip: out of memory");
		r->down = m > 0;
		goto out;
	}
	status = agg_http_do(r->http, r->o->to, &gz, err, sizeof(err));
	if (status == 200)
		settle(r, body.p, body.p + body.len, m, agg_http_body(r->http));
	else if (status == -1 || status == 408 || status == 429 || status >= 500) {
		if (r->tries == 0)
			warnx("%s: %s: trying again", r->o->to,
			    status == -1        ? err
			        : status == 429 ? "429, the region's rate"
			                        : "the ingest is unavailable");
		backoff(r, agg_http_retry_after(r->http));
	} else
		give_up(r, status);
out:
	mcp_buf_free(&body);
	mcp_buf_free(&gz);
}

/* A request is due: records wait, and enough of them, long enough, or stdin ended. */
static int
due(const struct relay *r, int eof)
{
	if (r->down || r->s.end <= r->sent || mcp_mono() < r->retry_at)
		return 0;
	return eof || r->unsent >= RELAY_BATCH || r->s.end - r->sent >= RELAY_BYTES ||
	    r->sent < r->old_end || (r->first > 0 && elapsed_since(r->first) >= RELAY_WAIT);
}

/* Lists to send, and no result due nor the ingest failing: the results go first. */
static int
lists_due(const struct relay *r, int eof)
{
	return r->rl.out.len > 0 && !r->down && r->tries == 0 && !due(r, eof);
}

/* Milliseconds poll may wait for stdin before a request falls due. */
static int
wait_ms(const struct relay *r)
{
	double at;

	if (lists_due(r, 0))
		return 0;
	if (r->down || r->s.end <= r->sent)
		return -1;
	at = r->first > 0 ? r->first + RELAY_WAIT : mcp_mono();
	if (r->retry_at > at)
		at = r->retry_at;
	at -= mcp_mono();
	return at <= 0 ? 0 : (int)(at * 1000) + 1;
}

/* Read what stdin has (poll said so): check it, write it to the spool. 1 at its end. */
static int
read_stdin(struct relay *r, struct mcp_lines *l, struct mcp_loop_stats *ls)
{
	char buf[65536];
	ssize_t n = read(0, buf, sizeof(buf));

	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n == -1)
		warn("read stdin");
	if (mcp_lines_feed(l, buf, n > 0 ? (size_t)n : 0, n <= 0, "stdin", on_record, r, ls) == -1)
		r->failed = 1;
	write_out(r);
	return n <= 0;
}

static void
run(struct relay *r, struct mcp_loop_stats *ls)
{
	struct mcp_lines l = {0};
	struct pollfd pfd = {0, POLLIN, 0};
	double eof_at = 0, linger = r->o->linger >= 0 ? r->o->linger : RELAY_LINGER;
	int eof = 0;

	for (;;) {
		if (due(r, eof)) {
			send_one(r);
			continue;
		}
		if (lists_due(r, eof)) {
			rl_send(&r->rl, r->http, r->o->to);
			continue;
		}
		if (eof) {
			if ((r->s.end <= r->sent && r->rl.out.len == 0) || r->down ||
			    elapsed_since(eof_at) >= linger)
				break;
			nap(r->retry_at - mcp_mono() < linger - elapsed_since(eof_at)
			        ? r->retry_at - mcp_mono()
			        : linger - elapsed_since(eof_at));
			continue;
		}
		if (poll(&pfd, 1, wait_ms(r)) > 0 && (eof = read_stdin(r, &l, ls)) == 1)
			eof_at = mcp_mono();
	}
	mcp_lines_free(&l);
}

/* The region of the URL: its last path segment, a slug; NULL when it is none. */
static const char *
url_region(const char *url, char *buf, size_t len)
{
	const char *s = strrchr(url, '/');

	if (!agg_url_token_ok(url) || s == NULL || s < url + 8 ||
	    strpbrk(url, "?# \t\r\n") != NULL || strlen(s + 1) >= len)
		return NULL;
	snprintf(buf, len, "%s", s + 1);
	return mcp_slug_ok(buf) ? buf : NULL;
}

static void
summary(const struct relay *r, const struct mcp_loop_stats *ls)
{
	const char *p = r->rl.out.p, *e = p + r->rl.out.len;
	long left = 0;

	for (; p != NULL && (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++)
		left++;
	/* The lists first: the results' line stays the last. */
	if (r->rl.sent > 0 || r->rl.absent > 0 || left > 0)
		warnx("push: lists: %ld sent, %ld stored, %ld not taken or not sent, %ld the store "
		      "lacks not read by this run",
		    r->rl.sent, r->rl.stored, r->rl.unsent + left, r->rl.absent);
	warnx("push: %ld results stored, %ld duplicates ignored, %ld step records skipped, "
	      "%ld bad lines, %ld refused by the ingest, %ld spooled, %ld replayed from the spool",
	    r->stored, r->dups, r->steps, ls->bad, r->refused, r->kept, r->replayed);
}

int
agg_relay(const struct agg_opts *o)
{
	struct relay r = {0};
	struct mcp_loop_stats ls = {0};
	struct agg_opts so = *o;
	char region[MCP_SLUG_MAX + 1], why[2 * PATH_MAX], base[PATH_MAX];
	int rc = MCP_EXIT_OK;

	if (url_region(o->to, region, sizeof(region)) == NULL)
		errx(MCP_EXIT_USAGE,
		    "--to %s: want https://HOST/.../REGION (http:// to loopback only), "
		    "REGION " MCP_SLUG_RULE,
		    o->to);
	if (o->region != NULL && strcmp(o->region, region) != 0)
		errx(MCP_EXIT_USAGE, "-r %s: the URL of --to is of %s", o->region, region);
	if (o->token_file == NULL)
		errx(MCP_EXIT_USAGE, "--to: a --token-file is needed");
	if ((r.http = agg_http_open(o->token_file, o->cacert, o->timeout, why, sizeof(why))) ==
	    NULL)
		errx(MCP_EXIT_USAGE, "%s", why);
	so.region = region;
	if (agg_spool_path(&so, o->to, base, sizeof(base)) == -1)
		errx(MCP_EXIT_USAGE, "spool: the path is too long");
	r.o = o;
	r.region = region;
	srand((unsigned)getpid() ^ (unsigned)time(NULL));
	if (slot_take(base, &r.s, why, sizeof(why)) == -1) {
		warnx("spool: %s", why);
		agg_http_close(r.http);
		return MCP_EXIT_FAIL;
	}
	r.old_end = r.s.end;
	run(&r, &ls);
	write_out(&r);
	if (slot_finish(&r.s, r.sent, &r.kept, why, sizeof(why)) == -1) {
		warnx("spool: %s", why);
		r.failed = 1;
	}
	if (r.kept > 0)
		warnx("spool: %s: %ld records for %s kept for the next push", r.s.path, r.kept,
		    o->to);
	if (r.failed || r.kept > 0 || r.refused > 0 || ls.bad > 0)
		rc = MCP_EXIT_FAIL;
	if (o->verbose)
		summary(&r, &ls);
	slot_close(&r.s);
	agg_http_close(r.http);
	mcp_buf_free(&r.out);
	rl_free(&r.rl);
	free(r.org);
	return rc;
}
