/*
 * loop.h - the record loop: read JSON lines, parse, count, report, hand on.
 */
#ifndef MCP_LOOP_H
#define MCP_LOOP_H

#include <stdio.h>

#include <cJSON.h>

/*
 * Called for each line that parses as a JSON object with "v":1 and a
 * string "type".  rec is borrowed: it is deleted after the call returns.
 * lineno is the 1-based line number.  Return 0 to go on, 1 to report the
 * record as bad (the callback has already printed why) and go on, -1 to
 * stop the loop.
 */
typedef int (*mcp_loop_cb)(cJSON *rec, long lineno, void *arg);

struct mcp_loop_stats {
	long lines; /* lines read, blank ones included */
	long good;  /* records handed to the callback and accepted */
	long bad;   /* lines reported and skipped */
};

/*
 * Read f to the end.  Blank lines are skipped; a final line without a
 * newline is still a record.  A line that is not JSON, not an object, or
 * lacks "v":1 / "type" is reported on stderr as "prog: name:LINE: reason"
 * and skipped.  Returns 0 when the stream was read to the end (bad lines
 * are counted in st, not failures of the loop), -1 when reading failed or
 * the callback stopped the loop.
 */
int mcp_loop(FILE *f, const char *name, mcp_loop_cb cb, void *arg, struct mcp_loop_stats *st);

/*
 * One line of a stream (line[n] must be writable and NUL; a final newline
 * is dropped): what mcp_loop does with each, for readers of their own.
 * Counts good and bad records in st, not lines.  0, or -1 when the
 * callback stopped.
 */
int mcp_loop_line(char *line, size_t n, const char *name, long lineno, mcp_loop_cb cb, void *arg,
    struct mcp_loop_stats *st);

#endif
