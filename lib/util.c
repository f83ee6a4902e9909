/*
 * util.c - time, names and numbers shared by the tools.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mcp.h"

const char *const mcp_steps[MCP_NSTEPS] = {
    "dns",
    "connect",
    "tls",
    "http",
    "auth",
    "initialize",
    "tools_list",
    "call",
};

int
mcp_step_index(const char *name)
{
	int i;

	for (i = 0; i < MCP_NSTEPS; i++)
		if (strcmp(name, mcp_steps[i]) == 0)
			return i;
	return -1;
}

double
mcp_time_of(const char *s)
{
	char *end;
	double t;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	t = strtod(s, &end);
	return errno == 0 && *end == '\0' && isfinite(t) && t >= 0 ? t : -1;
}

double
mcp_now(void)
{
	struct timespec ts;
	double t;

	if ((t = mcp_time_of(getenv("MCP_NOW"))) >= 0)
		return t;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

double
mcp_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
mcp_slug_ok(const char *s)
{
	size_t n, dots = 0;

	for (n = 0; s[n] != '\0'; n++) {
		if (n == MCP_SLUG_MAX)
			return 0;
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '.' ||
		        s[n] == '_' || s[n] == '-'))
			return 0;
		dots += s[n] == '.';
	}
	/* "." and ".." name no page that a web server passes on. */
	return n > 0 && dots < n;
}

/*
 * The civil date of a day count (days since 1970-01-01), by H. Hinnant's
 * days_from_civil inverse: arithmetic only.  gmtime_r and strftime would
 * read the time zone files on first use, a cost every CGI request of
 * mcp-serve would pay for a UTC date.
 */
void
mcp_civil(long long z, long long *y, unsigned *m, unsigned *d)
{
	long long era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long long)yoe + era * 400 + (*m <= 2);
}

/* mcp.h: Hinnant's days_from_civil, for years 0 to 9999. */
long long
mcp_days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

int
mcp_iso8601(double t, char *buf, size_t len)
{
	long long secs, y;
	unsigned m, d, sod;
	int n;

	/* Years 1970 to 9999: anything else is not a time a record carries. */
	if (!(t >= 0 && t < 253402300800.0))
		return -1;
	secs = (long long)floor(t);
	mcp_civil(secs / 86400, &y, &m, &d);
	sod = (unsigned)(secs % 86400);
	n = snprintf(buf, len, "%04lld-%02u-%02uT%02u:%02u:%02uZ", y, m, d, sod / 3600,
	    sod / 60 % 60, sod % 60);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

double
mcp_ms_round(double t)
{
	return round(t * 1000.0) / 1000.0;
}

double
mcp_ms_floor(double t)
{
	return floor(t * 1000.0) / 1000.0;
}

double
mcp_parse_seconds(const char *s)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(d) || d <= 0)
		return -1;
	return d;
}

uint32_t
mcp_fnv1a(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint32_t h = 2166136261u;

	while (n-- > 0)
		h = (h ^ *b++) * 16777619u;
	return h;
}

int
mcp_secret_fd_ok(int fd, char *why, size_t len)
{
	struct stat st;

	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(why, len, "not a regular file");
		return -1;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(why, len, "accessible by group or others (chmod 600)");
		return -1;
	}
	return 0;
}

int
mcp_secret_stdout(char *why, size_t len)
{
	struct stat st;

	if (fstat(STDOUT_FILENO, &st) == -1 || !S_ISREG(st.st_mode))
		return 0;
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0 &&
	    fchmod(STDOUT_FILENO, S_IRUSR | S_IWUSR) == -1) {
		snprintf(why, len,
		    "standard output is a file others may read, and chmod 600 failed: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
mcp_secret_open(const char *path, char *why, size_t len)
{
	int fd;

	/* O_NONBLOCK: a FIFO named here must not hold the tool at its open. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		snprintf(why, len, "%s", strerror(errno));
		return -1;
	}
	if (mcp_secret_fd_ok(fd, why, len) == -1) {
		close(fd);
		return -1;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == -1) {
		snprintf(why, len, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

char *
mcp_secret_whole(const char *path, size_t max, char *why, size_t len)
{
	char *buf;
	ssize_t n;
	int fd;

	if ((fd = mcp_secret_open(path, why, len)) == -1)
		return NULL;
	if ((buf = calloc(1, max + 1)) == NULL) {
		snprintf(why, len, "out of memory");
		close(fd);
		return NULL;
	}
	n = read(fd, buf, max + 1);
	close(fd);
	if (n <= 0 || (size_t)n > max) {
		if (n <= 0)
			snprintf(why, len, "empty");
		else
			snprintf(why, len, "over %zu bytes", max);
		explicit_bzero(buf, max + 1);
		free(buf);
		return NULL;
	}
	return buf;
}

char *
mcp_secret_read(const char *path, char *why, size_t len)
{
	char buf[8192], *s, *e, *out;
	size_t n;
	FILE *f;
	int fd;

	if ((fd = mcp_secret_open(path, why, len)) == -1)
		return NULL;
	if ((f = fdopen(fd, "r")) == NULL) {
		snprintf(why, len, "%s", strerror(errno));
		close(fd);
		return NULL;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (s = buf; *s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'; s++)
		;
	for (e = s; *e != '\0' && *e != '\n' && *e != '\r'; e++)
		;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*e = '\0';
	out = *s != '\0' ? strdup(s) : NULL;
	explicit_bzero(buf, sizeof(buf));
	if (*s == '\0')
		snprintf(why, len, "nothing on its first line");
	else if (out == NULL)
		snprintf(why, len, "%s", strerror(errno));
	return out;
}

/* One step of mcp_file_trusted: 0, or -1 with why. */
static int
trusted_one(const struct stat *st, uid_t uid, int dir, char *why, size_t len)
{
	if (st->st_uid != uid && st->st_uid != 0) {
		snprintf(why, len, "owned by uid %lu, neither us (uid %lu) nor root",
		    (unsigned long)st->st_uid, (unsigned long)uid);
		return -1;
	}
	/* Others may add to a sticky directory, never rename what is ours in it. */
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) != 0 && !(dir && (st->st_mode & S_ISVTX))) {
		snprintf(why, len, "writable by group or others");
		return -1;
	}
	return 0;
}

int
mcp_file_trusted(const char *path, int fd, char *why, size_t len)
{
	char real[PATH_MAX], w[128], *p;
	struct stat st;
	uid_t uid = geteuid();

	if ((fd >= 0 ? fstat(fd, &st) : stat(path, &st)) == -1 || realpath(path, real) == NULL) {
		snprintf(why, len, "%s", strerror(errno));
		return -1;
	}
	if (trusted_one(&st, uid, 0, why, len) == -1)
		return -1;
	while ((p = strrchr(real, '/')) != NULL) {
		p[p == real] = '\0'; /* "/" stays "/" */
		if (stat(real, &st) == -1) {
			snprintf(why, len, "%s: %s", real, strerror(errno));
			return -1;
		}
		if (trusted_one(&st, uid, 1, w, sizeof(w)) == -1) {
			snprintf(why, len, "directory %s: %s", real, w);
			return -1;
		}
		if (p == real)
			break;
	}
	return 0;
}

/* "37s", "4m", "2h", "3d": whole units, rounded down; a future time is 0s. */
void
mcp_ago(double secs, char *buf, size_t len)
{
	long s = secs > 0 && secs < 1e12 ? (long)floor(secs) : 0;

	if (s < 60)
		snprintf(buf, len, "%lds", s);
	else if (s < 3600)
		snprintf(buf, len, "%ldm", s / 60);
	else if (s < 86400)
		snprintf(buf, len, "%ldh", s / 3600);
	else
		snprintf(buf, len, "%ldd", s / 86400);
}

const char *
mcp_http_reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 301:
		return "Moved Permanently";
	case 304:
		return "Not Modified";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 408:
		return "Request Timeout";
	case 410:
		return "Gone";
	case 411:
		return "Length Required";
	case 413:
		return "Content Too Large";
	case 415:
		return "Unsupported Media Type";
	case 429:
		return "Too Many Requests";
	case 503:
		return "Service Unavailable";
	default:
		return "Internal Server Error";
	}
}

int
mcp_stdin_is_fcgi(void)
{
	struct sockaddr_storage sa;
	socklen_t len = sizeof(sa);

	errno = 0;
	return getpeername(0, (struct sockaddr *)&sa, &len) != 0 && errno == ENOTCONN;
}

int
mcp_write_two(int fd, const void *p1, size_t n1, const void *p2, size_t n2)
{
	struct iovec iov[2] = {{(void *)p1, n1}, {(void *)p2, n2}};

	return mcp_writev_all(fd, iov, n2 > 0 ? 2 : 1);
}

int
mcp_writev_all(int fd, struct iovec *v, int n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = writev(fd, v, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (; n > 0 && (size_t)w >= v->iov_len; v++, n--)
			w -= (ssize_t)v->iov_len;
		if (n > 0) {
			v->iov_base = (char *)v->iov_base + w;
			v->iov_len -= (size_t)w;
		}
	}
	return 0;
}

int
mcp_write_all(int fd, const void *p, size_t n)
{
	return mcp_write_two(fd, p, n, NULL, 0);
}
