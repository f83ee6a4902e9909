/*
 * timed - run a command and write "wall_s cpu_s maxrss_kb" of it to a file
 *
 *	timed out-file command [arg ...]
 *
 * GNU time prints wall and CPU time in hundredths of a second, too coarse
 * for a probe that takes a few milliseconds; this measures wall time with
 * CLOCK_MONOTONIC and CPU time (user + system) and peak RSS with wait4(2).
 * Exits with the command's status.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <sys/resource.h>
#include <sys/wait.h>

#include <stdio.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct timespec a, b;
	struct rusage ru;
	double wall, cpu;
	pid_t pid;
	FILE *f;
	int st;

	if (argc < 3) {
		fprintf(stderr, "usage: timed out-file command [arg ...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	if ((pid = fork()) == -1) {
		perror("timed: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) == -1) {
		perror("timed: wait4");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	wall = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	if ((f = fopen(argv[1], "w")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	fprintf(f, "%.4f %.4f %ld\n", wall, cpu, ru.ru_maxrss);
	if (fclose(f) == EOF) {
		perror(argv[1]);
		return 1;
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
