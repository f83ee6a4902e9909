/*
 * slot.c - the spool slots of push --to (relay.h): each run holds one
 * slot with an exclusive flock(2) for as long as it runs, so that no run
 * ever empties records another is still sending.  A slot is opened as
 * push's spool is (agg_spool_open: no link followed, a file of ours that
 * no one else may write), and a run that ends with records answered for
 * good before records that are not replaces the file with one of the
 * rest: a run that opened the old file before that and locks it after
 * sees that the name now leads elsewhere, and opens it again.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loop.h"
#include "relay.h"

/* The name of slot k: base for 0, else with ".k" before its ".jsonl". */
static int
slot_name(const char *base, int k, char *out, size_t len)
{
	size_t n = strlen(base);
	int w;

	if (k == 0)
		w = snprintf(out, len, "%s", base);
	else if (n > 6 && strcmp(base + n - 6, ".jsonl") == 0)
		w = snprintf(out, len, "%.*s.%d.jsonl", (int)(n - 6), base, k);
	else
		w = snprintf(out, len, "%s.%d", base, k);
	return w < 0 || (size_t)w >= len ? -1 : 0;
}

/*
 * Open and lock path: the fd; -1 when another run holds it (or, without
 * create, there is none); -2 on an error (why).
 */
static int
slot_lock(const char *path, int wait, int create, char *why, size_t len)
{
	struct stat a, b;
	int fd, i, e;

	for (i = 0; i < 100; i++) {
		if ((fd = agg_spool_open(path, create, why, len)) == -1)
			return errno == ENOENT && !create ? -1 : -2;
		if (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) == -1) {
			e = errno;
			close(fd);
			if (e == EWOULDBLOCK)
				return -1;
			snprintf(why, len, "%s: %s", path, strerror(e));
			return -2;
		}
		if (fstat(fd, &a) == 0 && lstat(path, &b) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino)
			return fd;
		close(fd); /* replaced by the run that held it: the new one */
	}
	snprintf(why, len, "%s: replaced again and again", path);
	return -2;
}

/* End the file at a line: a run killed mid-write may have left half a line. */
static int
whole_lines(int fd, off_t *end)
{
	char c;

	if ((*end = lseek(fd, 0, SEEK_END)) == -1)
		return -1;
	if (*end > 0 && pread(fd, &c, 1, *end - 1) == 1 && c != '\n') {
		if (mcp_write_all(fd, "\n", 1) == -1)
			return -1;
		(*end)++;
	}
	return 0;
}

/* The records of a slot no run holds, moved to the end of ours. */
static int
adopt(struct slot *s, int from)
{
	char buf[65536];
	off_t off = 0;
	ssize_t n;

	while ((n = pread(from, buf, sizeof(buf), off)) > 0) {
		if (mcp_write_all(s->fd, buf, (size_t)n) == -1)
			return -1;
		off += n;
	}
	if (n == -1 || whole_lines(s->fd, &s->end) == -1 || fsync(s->fd) == -1)
		return -1;
	/* Ours are on disk: theirs may go (a crash between: sent twice, stored once). */
	return ftruncate(from, 0);
}

int
slot_take(const char *base, struct slot *s, char *why, size_t len)
{
	char path[PATH_MAX];
	int k, mine = -1, fd = -1;
	struct stat sb;

	for (k = 0; k < RELAY_SLOTS && fd < 0; k++) {
		if (slot_name(base, k, s->path, sizeof(s->path)) == -1)
			return snprintf(why, len, "%s: the path is too long", base), -1;
		if ((fd = slot_lock(s->path, 0, 1, why, len)) == -2)
			return -1;
		mine = k;
	}
	if (fd < 0 &&
	    (slot_name(base, mine = 0, s->path, sizeof(s->path)),
	        (fd = slot_lock(s->path, 1, 1, why, len)) < 0))
		return -1;
	s->fd = fd;
	if (whole_lines(fd, &s->end) == -1)
		return snprintf(why, len, "%s: %s", s->path, strerror(errno)), -1;
	for (k = 0; k < RELAY_SLOTS; k++) {
		if (k == mine || slot_name(base, k, path, sizeof(path)) == -1 ||
		    (fd = slot_lock(path, 0, 0, why, len)) < 0)
			continue;
		if (fstat(fd, &sb) == 0 && sb.st_size > 0 && adopt(s, fd) == -1) {
			snprintf(why, len, "%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

int
slot_append(struct slot *s, const char *p, size_t n)
{
	if (mcp_write_all(s->fd, p, n) == -1)
		return -1;
	s->end += (off_t)n;
	return 0;
}

int
slot_read(const struct slot *s, off_t off, size_t max, long lines, struct mcp_buf *b, long *m)
{
	size_t want = max + MCP_LINE_MAX + 2, used = 0;
	char buf[65536], *p, *nl;
	ssize_t n;

	*m = 0;
	mcp_buf_reset(b);
	while (b->len < want && off + (off_t)b->len < s->end &&
	    (n = pread(s->fd, buf, sizeof(buf), off + (off_t)b->len)) > 0)
		if (mcp_buf_add(b, buf, (size_t)n) == -1)
			return errno = ENOMEM, -1;
	for (p = b->p; p != NULL && *m < lines && (nl = memchr(p, '\n', b->len - used)) != NULL;
	     p = nl + 1) {
		if (used > 0 && used + (size_t)(nl + 1 - p) > max)
			break;
		used += (size_t)(nl + 1 - p);
		(*m)++;
	}
	b->len = used;
	if (b->p != NULL)
		b->p[used] = '\0';
	return 0;
}

off_t
slot_line_end(const struct slot *s, off_t off)
{
	char buf[65536], *nl;
	ssize_t n;

	for (; off < s->end && (n = pread(s->fd, buf, sizeof(buf), off)) > 0; off += n)
		if ((nl = memchr(buf, '\n', (size_t)n)) != NULL)
			return off + (nl - buf) + 1;
	return s->end;
}

static long
count_lines(const char *p, size_t n)
{
	long k = 0;

	for (; n > 0; n--)
		k += *p++ == '\n';
	return k;
}

/* The records of [sent, end) into a file that replaces the slot; their lines in *kept. */
static int
rewrite(struct slot *s, off_t sent, long *kept)
{
	char tmp[PATH_MAX + 32], buf[65536];
	off_t off = sent;
	ssize_t n;
	int fd, rc = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.new.%ld", s->path, (long)getpid()) >=
	    sizeof(tmp))
		return errno = ENAMETOOLONG, -1;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) == -1)
		return -1;
	*kept = 0;
	while (rc == 0 && off < s->end && (n = pread(s->fd, buf, sizeof(buf), off)) > 0) {
		*kept += count_lines(buf, (size_t)n);
		rc = mcp_write_all(fd, buf, (size_t)n);
		off += n;
	}
	if (rc == -1 || off < s->end || fsync(fd) == -1 || rename(tmp, s->path) == -1) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	return close(fd);
}

int
slot_finish(struct slot *s, off_t sent, long *kept, char *why, size_t len)
{
	struct mcp_buf b = {0};
	long m = 0;

	*kept = 0;
	if (fsync(s->fd) == -1)
		return snprintf(why, len, "%s: %s", s->path, strerror(errno)), -1;
	if (sent >= s->end)
		return ftruncate(s->fd, 0) == -1
		       ? snprintf(why, len, "%s: %s", s->path, strerror(errno)),
		       -1 : 0;
	if (sent > 0 && rewrite(s, sent, kept) == 0)
		return 0;
	/* Nothing answered for good, or the new file could not be made: all of it stays. */
	for (sent = 0; sent < s->end && slot_read(s, sent, 1 << 20, 1L << 30, &b, &m) == 0 && m > 0;
	     sent += (off_t)b.len)
		*kept += m;
	mcp_buf_free(&b);
	return 0;
}

void
slot_close(struct slot *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}
