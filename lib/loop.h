/*
 * loop.h - the record loop: read JSON lines, parse, count, report, hand on.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_LOOP_H
#define MCP_LOOP_H

#include <stdio.h>
#include <sys/types.h>

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
 * The longest line a record may be, newline excluded.  A longer line is
 * reported as "line too long" and skipped whole, without being held in
 * memory; the lines after it are read as usual.
 */
#define MCP_LINE_MAX (1024 * 1024)

/*
 * Read f to the end.  Blank lines are skipped; a final line without a
 * newline is still a record.  A line that is not JSON, not an object, or
 * lacks "v":1 / "type", that is longer than MCP_LINE_MAX, or that holds a
 * NUL (a raw byte or a \u0000 in a string, which no record carries) is
 * reported on stderr as "prog: name:LINE: reason" and skipped.  Returns 0 when the stream was read to the end (bad lines
 * are counted in st, not failures of the loop), -1 when reading failed or
 * the callback stopped the loop.
 */
int mcp_loop(FILE *f, const char *name, mcp_loop_cb cb, void *arg, struct mcp_loop_stats *st);

/*
 * Parse one line (line[n] writable and NUL; a final newline is dropped)
 * as mcp_loop does, without reporting: 1 with the record in *rec (owned:
 * delete it), 0 for a blank line, -1 when it is not a record (*why, a
 * static text: "parse error", "not a JSON object", ...).
 */
int mcp_loop_parse(char *line, size_t n, cJSON **rec, const char **why);

/*
 * One line of a stream (line[n] must be writable and NUL; a final newline
 * is dropped): what mcp_loop does with each, for readers of their own.
 * Counts good and bad records in st, not lines.  0, or -1 when the
 * callback stopped.
 */
int mcp_loop_line(char *line, size_t n, const char *name, long lineno, mcp_loop_cb cb, void *arg,
    struct mcp_loop_stats *st);

/*
 * The same for a reader of its own (one that polls): feed the bytes as they
 * come, with eof set on the last call; complete lines go through
 * mcp_loop_line, at most MCP_LINE_MAX bytes a line are ever held.  Line
 * numbers and the lines count are kept in st.  0, or -1 when the callback
 * stopped the loop.
 */
struct mcp_lines {
	char *buf;    /* owned: the line being gathered */
	size_t len;   /* bytes of it held */
	int skipping; /* the line passed MCP_LINE_MAX: dropped up to its newline */
};

int mcp_lines_feed(struct mcp_lines *l, const char *p, size_t n, int eof, const char *name,
    mcp_loop_cb cb, void *arg, struct mcp_loop_stats *st);
void mcp_lines_free(struct mcp_lines *l);

/*
 * One line of f into *line (grown as getline(3) grows it), its newline
 * kept, NUL-terminated: never more than MCP_LINE_MAX + 1 bytes are read
 * or held, so a return above MCP_LINE_MAX is a line too long (the rest of
 * it unread).  The length; -1 at the end of the file; -2 for a read error
 * or no memory (errno says which): never the end of the file.
 */
ssize_t mcp_getline(char **line, size_t *cap, FILE *f);

#endif
