/*
 * spool.c - where push keeps the records it could not store: the spool's
 * name, and a spool file opened so that no one can point it elsewhere.
 *
 * The spool is read, appended to and truncated by whoever runs push,
 * often a service's user, in a directory that may be shared (/var/spool,
 * a -S under /tmp).  A symbolic link put in place of the file, or of its
 * directory, would make push append records to, or read and then empty,
 * a file of the link's choosing; a file put there by another user would
 * feed push records of theirs.  So neither link is followed, and the file
 * opened must be a regular file of ours, writable by no one else, with
 * no other name (a hard link is a link too).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aggregate.h"
#include "hash.h"

#define DEFAULT_SPOOL "/var/spool/mcp-uptime/aggregate.jsonl"

/* Create the directories above path, mode 700, as mkdir -p. */
static int
mkdirs(const char *path)
{
	char d[PATH_MAX], *s;

	if (snprintf(d, sizeof(d), "%s", path) >= (int)sizeof(d)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (s = d + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdir(d, 0700) == -1 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return 0;
}

/*
 * Open the directory of path, not through a link; its descriptor, or -1
 * with errno set and the reason in why.
 */
static int
open_dir(const char *path, char *why, size_t len)
{
	char d[PATH_MAX], *s;
	struct stat sb;
	int fd, e;

	if (snprintf(d, sizeof(d), "%s", path) >= (int)sizeof(d)) {
		snprintf(why, len, "%s: %s", path, strerror(ENAMETOOLONG));
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((s = strrchr(d, '/')) == NULL)
		snprintf(d, sizeof(d), ".");
	else if (s == d)
		s[1] = '\0';
	else
		*s = '\0';
	if ((fd = open(d, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) != -1)
		return fd;
	/* Linux says ENOTDIR for a link with O_DIRECTORY, ELOOP without. */
	e = errno;
	if ((e == ENOTDIR || e == ELOOP) && lstat(d, &sb) == 0 && S_ISLNK(sb.st_mode))
		snprintf(why, len, "%s: its directory %s is a symbolic link: refused", path, d);
	else
		snprintf(why, len, "%s: %s", path, strerror(e));
	errno = e;
	return -1;
}

/* 0 when the open spool fd is one push may trust; else -1, why filled. */
static int
spool_trusted(int fd, const char *path, char *why, size_t len)
{
	struct stat sb;

	if (fstat(fd, &sb) == -1)
		snprintf(why, len, "%s: %s", path, strerror(errno));
	else if (!S_ISREG(sb.st_mode))
		snprintf(why, len, "%s: not a regular file: refused", path);
	else if (sb.st_uid != geteuid())
		snprintf(why, len, "%s: owned by uid %lu, not by uid %lu: refused", path,
		    (unsigned long)sb.st_uid, (unsigned long)geteuid());
	else if (sb.st_mode & (S_IWGRP | S_IWOTH))
		snprintf(why, len, "%s: writable by its group or others (mode %03o): refused", path,
		    (unsigned)(sb.st_mode & 07777));
	else if (sb.st_nlink != 1)
		snprintf(why, len, "%s: %lu names (hard links): refused", path,
		    (unsigned long)sb.st_nlink);
	else
		return 0;
	return -1;
}

int
agg_spool_open(const char *path, int create, char *why, size_t len)
{
	const char *base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	/*
	 * O_RDWR and O_NONBLOCK: a FIFO put there must not hang the open (nor
	 * fail it for want of a reader); it is refused next.  The flag means
	 * nothing to a regular file.
	 */
	int flags =
	    (create ? O_CREAT | O_APPEND : 0) | O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
	int dfd, fd, e;

	if (create && mkdirs(path) == -1) {
		e = errno;
		snprintf(why, len, "%s: %s", path, strerror(e));
		errno = e;
		return -1;
	}
	if ((dfd = open_dir(path, why, len)) == -1)
		return -1;
	fd = openat(dfd, base, flags, 0600);
	e = errno;
	close(dfd);
	if (fd == -1) {
		if (e == ELOOP)
			snprintf(why, len, "%s: a symbolic link: refused", path);
		else
			snprintf(why, len, "%s: %s", path, strerror(e));
		errno = e;
		return -1;
	}
	if (spool_trusted(fd, path, why, len) == -1) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

int
agg_spool_path(const struct agg_opts *o, const char *store, char *out, size_t outlen)
{
	const char *e = getenv("MCP_SPOOL"), *base;
	char key[MCP_STORE_PATH_MAX + 512 + MCP_SLUG_MAX + 2], tag[MCP_HASH_LEN];
	size_t n;

	base = o->spool != NULL ? o->spool : e != NULL && *e != '\0' ? e : DEFAULT_SPOOL;
	snprintf(
	    key, sizeof(key), "%s%s%s", store, o->region ? "\n" : "", o->region ? o->region : "");
	if (mcp_sha256_tag(key, strlen(key), tag) == -1)
		return -1;
	n = strlen(base);
	if (n > 6 && strcmp(base + n - 6, ".jsonl") == 0)
		n -= 6;
	if ((size_t)snprintf(out, outlen, "%.*s.%.16s%s", (int)n, base, tag + 7, base + n) >=
	    outlen)
		return -1;
	return 0;
}
