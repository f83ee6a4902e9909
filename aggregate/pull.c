/*
 * pull.c - targets --from: a runner's targets from the ingest's GET
 * /targets/REGION, with the token of its region (mcp-aggregate(1)
 * "targets").  Each line is parsed as mcp-probe(1) parses it before it is
 * printed, as the targets subcommand does: a line the probe would refuse
 * is named and left out.  The last list received is kept beside the
 * spool, and printed when the ingest cannot be reached: the deciding host
 * down does not leave the runner with nothing to probe.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rec.h"
#include "relay.h"
#include "targets.h"

#define TARGETS_MAX (128 << 20) /* the bound of what targets prints (REG_STORE_MAX) */

/* The lines of text a probe takes, into out; each one refused named, as URL:LINE. */
static void
keep_good(const char *url, const char *text, size_t n, struct mcp_buf *out)
{
	const char *p = text, *e = text + n, *nl;
	struct mcp_target t;
	char line[8192], why[300];
	long lineno = 0;
	size_t k;

	for (; p < e; p = nl != NULL ? nl + 1 : e) {
		nl = memchr(p, '\n', (size_t)(e - p));
		k = (size_t)((nl != NULL ? nl : e) - p);
		lineno++;
		if (k >= sizeof(line) || memchr(p, '\0', k) != NULL) {
			warnx("%s:%ld: %s: left out", url, lineno,
			    k >= sizeof(line) ? "line too long (over 8191 bytes)" : "a NUL byte");
			continue;
		}
		memcpy(line, p, k);
		line[k] = '\0';
		memset(&t, 0, sizeof(t));
		switch (mcp_target_parse(line, &t, why, sizeof(why))) {
		case 1:
			mcp_target_free(&t);
			/* FALLTHROUGH */
		case 0:
			mcp_buf_add(out, line, k);
			mcp_buf_addc(out, '\n');
			break;
		default:
			warnx("%s:%ld: %s: left out", url, lineno, why);
		}
	}
}

/* The cache: the spool's name with ".targets" for its ".jsonl", or after it. */
static int
cache_path(const struct agg_opts *o, const char *url, char *out, size_t len)
{
	size_t n;

	if (agg_spool_path(o, url, out, len) == -1 || (n = strlen(out)) + 9 >= len)
		return -1;
	/* The spool's name with .targets for its .jsonl, or after it. */
	if (n >= 6 && strcmp(out + n - 6, ".jsonl") == 0)
		n -= 6;
	memcpy(out + n, ".targets", 9);
	return 0;
}

/* Keep the list (a file of ours, replaced whole): 0, or -1 after a warning. */
static int
cache_put(const char *path, const struct mcp_buf *b)
{
	char tmp[PATH_MAX + 32], why[2 * PATH_MAX];
	int fd;

	/* The spool's rules make the directory, and check it. */
	if ((fd = agg_spool_open(path, 1, why, sizeof(why))) == -1) {
		warnx("spool: %s", why);
		return -1;
	}
	close(fd);
	snprintf(tmp, sizeof(tmp), "%s.new.%ld", path, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) == -1 ||
	    write(fd, b->p != NULL ? b->p : "", b->len) != (ssize_t)b->len || fsync(fd) == -1 ||
	    close(fd) == -1 || rename(tmp, path) == -1) {
		warn("spool: %s", tmp);
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* The list kept by the last run, to stdout: 0, or -1 when there is none. */
static int
cache_get(const char *path, struct mcp_buf *b)
{
	char why[2 * PATH_MAX], buf[65536];
	ssize_t n;
	int fd;

	if ((fd = agg_spool_open(path, 0, why, sizeof(why))) == -1) {
		if (errno != ENOENT)
			warnx("spool: %s", why);
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (mcp_buf_add(b, buf, (size_t)n) == -1)
			break;
	close(fd);
	return n == 0 ? 0 : -1;
}

int
agg_targets_from(const struct agg_opts *o, const char *url)
{
	struct agg_http *h;
	struct mcp_buf out = {0};
	const struct mcp_buf *b;
	char why[2 * PATH_MAX], cache[PATH_MAX], q[MCP_QUOTED_MAX];
	long status;
	int rc = MCP_EXIT_OK;

	if (!agg_url_token_ok(url))
		errx(MCP_EXIT_USAGE, "--from %s: want an https:// URL (http:// to loopback only)",
		    url);
	if (o->token_file == NULL)
		errx(MCP_EXIT_USAGE, "--from: a --token-file is needed");
	if (cache_path(o, url, cache, sizeof(cache)) == -1)
		errx(MCP_EXIT_USAGE, "spool: the path is too long");
	if ((h = agg_http_open(o->token_file, o->cacert, o->timeout, why, sizeof(why))) == NULL)
		errx(MCP_EXIT_USAGE, "%s", why);
	status = agg_http_do(h, url, NULL, why, sizeof(why));
	b = agg_http_body(h);
	if (status == 200 && b->len <= TARGETS_MAX) {
		keep_good(url, b->p != NULL ? b->p : "", b->len, &out);
		cache_put(cache, &out);
	} else {
		if (status == -1)
			warnx("%s: %s", url, why);
		else
			warnx("%s: the ingest answered %ld: %s", url, status,
			    mcp_json_quoted(q, sizeof(q), b->p != NULL ? b->p : ""));
		rc = MCP_EXIT_FAIL;
		if (cache_get(cache, &out) == 0)
			warnx("targets: the list of the last run, from %s", cache);
	}
	agg_http_close(h);
	if (out.len > 0 && mcp_rec_put(stdout, out.p, out.len) == -1) {
		mcp_stdout_failed();
		rc = AGG_EXIT_STDOUT;
	}
	mcp_buf_free(&out);
	return rc;
}
