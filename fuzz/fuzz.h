/*
 * fuzz.h - what the libFuzzer harnesses in fuzz/ share.
 *
 * Each harness checks one parser that faces untrusted input: it must not
 * crash, leak or trip a sanitizer on any input, and where a property can be
 * stated (a round trip, two ways of feeding that must agree) a broken one
 * is reported by abort(), which libFuzzer records as a crash.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_FUZZ_H
#define MCP_FUZZ_H

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A property does not hold: say which, and crash so that libFuzzer keeps the input. */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			dprintf(2, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);        \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/*
 * The tools' warnings (warnx: "stdin:1: parse error") would flood the
 * fuzzer's output: the stderr stream goes to /dev/null, while descriptor 2
 * stays for the sanitizers' reports and FUZZ_CHECK.  FUZZ_VERBOSE=1 keeps
 * the warnings, to see what an input does.
 */
static inline void
fuzz_quiet(void)
{
	FILE *f;

	if (getenv("FUZZ_VERBOSE") == NULL && (f = fopen("/dev/null", "w")) != NULL)
		stderr = f;
}

/* A harness whose only set-up is fuzz_quiet(): its LLVMFuzzerInitialize. */
#define FUZZ_INIT_QUIET                                                                            \
	int LLVMFuzzerInitialize(int *argc, char ***argv)                                          \
	{                                                                                          \
		(void)argc;                                                                        \
		(void)argv;                                                                        \
		fuzz_quiet();                                                                      \
		return 0;                                                                          \
	}

/* The input as a NUL-terminated string (owned by the caller; it may hold NULs). */
static inline char *
fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * A file a loader reads by its path, in memory (a memfd seen through
 * /proc): fuzz_file_open once, then fuzz_file_put with each input.
 */
struct fuzz_file {
	int fd;
	char path[64];
};

static inline void
fuzz_file_open(struct fuzz_file *f, const char *name)
{
	if ((f->fd = memfd_create(name, 0)) == -1)
		abort();
	snprintf(f->path, sizeof(f->path), "/proc/self/fd/%d", f->fd);
}

/*
 * The same as a regular file, mode 600, in a directory of its own (mode
 * 700, in /dev/shm when there is one, to stay in memory): for a loader that
 * trusts a file only in directories nobody else can write to
 * (mcp_file_trusted), which a memfd's /proc path cannot show.  Removed at
 * exit.
 */
static struct fuzz_file *fuzz_private;

static inline void
fuzz_file_private_rm(void)
{
	char dir[64];

	snprintf(dir, sizeof(dir), "%s", fuzz_private->path);
	unlink(fuzz_private->path);
	*strrchr(dir, '/') = '\0';
	rmdir(dir);
}

static inline void
fuzz_file_open_private(struct fuzz_file *f, const char *name)
{
	char dir[32];

	snprintf(dir, sizeof(dir), "%s/fuzz.XXXXXX",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (mkdtemp(dir) == NULL ||
	    snprintf(f->path, sizeof(f->path), "%s/%s", dir, name) >= (int)sizeof(f->path) ||
	    (f->fd = open(f->path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) == -1)
		abort();
	fuzz_private = f;
	atexit(fuzz_file_private_rm);
}

static inline void
fuzz_file_put(const struct fuzz_file *f, const uint8_t *data, size_t size)
{
	if (ftruncate(f->fd, 0) == -1 || pwrite(f->fd, data, size, 0) != (ssize_t)size)
		abort();
}

#endif
