/*
 * spawn - what one run of a program costs, started the way a CGI server
 * starts it
 *
 *	spawn N PROGRAM [ARG...]
 *
 * Runs PROGRAM N times, one after another (posix_spawn, then waitpid),
 * with its standard output to /dev/null and the environment it was given,
 * and prints "WALL_US CPU_US": microseconds of wall time a run, and of CPU
 * time (user and system, from the children's rusage) a run.  A small
 * parent: a shell's fork copies the shell's page tables, which costs more
 * on a paravirtualised VM than the program measured.  Exits 1 if a run
 * fails to start or exits non-zero.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <sys/resource.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double
tv_us(struct timeval tv)
{
	return tv.tv_sec * 1e6 + tv.tv_usec;
}

int
main(int argc, char **argv)
{
	posix_spawn_file_actions_t fa;
	struct timespec t0, t1;
	struct rusage ru;
	long n;
	int i;

	if (argc < 3 || (n = strtol(argv[1], NULL, 10)) < 1) {
		fprintf(stderr, "usage: spawn N PROGRAM [ARG...]\n");
		return 2;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		pid_t pid;
		int st;

		if (posix_spawn(&pid, argv[2], &fa, NULL, argv + 2, environ) != 0 ||
		    waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "spawn: %s failed\n", argv[2]);
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("%.0f %.0f\n", ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / 1e3 / n,
	    (tv_us(ru.ru_utime) + tv_us(ru.ru_stime)) / n);
	return 0;
}
