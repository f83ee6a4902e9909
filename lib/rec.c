/*
 * rec.c - writing records: one compact JSON object per line.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "rec.h"

int
mcp_rec_format(struct mcp_buf *out, const cJSON *rec, char *err, size_t errlen)
{
	if (mcp_json_write(out, rec, err, errlen) == -1)
		return -1;
	if (mcp_buf_addc(out, '\n') == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

int
mcp_rec_put(FILE *f, const char *p, size_t len)
{
	if (len && fwrite(p, 1, len, f) != len)
		return -1;
	if (ferror(f)) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

int
mcp_rec_write(FILE *f, const cJSON *rec, char *err, size_t errlen)
{
	struct mcp_buf b = {0};
	int rc;

	if (mcp_rec_format(&b, rec, err, errlen) == -1) {
		mcp_buf_free(&b);
		return -1;
	}
	rc = mcp_rec_put(f, b.p, b.len);
	if (rc == -1)
		snprintf(err, errlen, "%s", strerror(errno));
	mcp_buf_free(&b);
	return rc;
}

static int stdout_said;

int
mcp_stdout_failed(void)
{
	if (errno == 0)
		errno = EIO;
	/* The reader has gone: end quietly, as a filter ends by SIGPIPE. */
	if (errno == EPIPE) {
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
	}
	if (!stdout_said)
		warn("write stdout");
	stdout_said = 1;
	return -1;
}

int
mcp_rec_close_stdout(void)
{
	int bad;

	errno = 0;
	bad = fflush(stdout) == EOF || ferror(stdout);
	if (fclose(stdout) == EOF)
		bad = 1;
	if (bad || stdout_said)
		return bad ? mcp_stdout_failed() : -1;
	return 0;
}
