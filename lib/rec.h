/*
 * rec.h - writing records: one compact JSON object per line on a stream.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_REC_H
#define MCP_REC_H

#include <stdio.h>

#include <cJSON.h>

#include "buf.h"

/*
 * Append the record rec as one line ("...}\n") to out.  Used to gather a
 * group of records that must reach the stream together.  0 or -1 (err).
 */
int mcp_rec_format(struct mcp_buf *out, const cJSON *rec, char *err, size_t errlen);

/*
 * Write len bytes to f, checked.  Returns 0, or -1 with errno set when the
 * stream failed (the caller reports "write stdout: reason").
 */
int mcp_rec_put(FILE *f, const char *p, size_t len);

/* Format and write one record; 0 or -1 (err, or errno for the write). */
int mcp_rec_write(FILE *f, const cJSON *rec, char *err, size_t errlen);

/*
 * Report a failed write to stdout: "prog: write stdout: reason", with
 * errno's reason (EIO when the stream failed without one).  Said once a
 * run: a later call, and mcp_rec_close_stdout, stay quiet.  Returns -1.
 * EPIPE (the reader has gone, SIGPIPE ignored for the tool's sockets) ends
 * the tool by SIGPIPE, quietly, as a filter's closed pipe does.
 */
int mcp_stdout_failed(void);

/*
 * fflush, ferror and fclose of stdout, checked; on failure reports it as
 * mcp_stdout_failed does and returns -1.  Every tool calls it last, on
 * every path that exits 0 after writing (usage to stdout, -V included).
 */
int mcp_rec_close_stdout(void);

#endif
