/*
 * targets.h - the targets file: "SLUG URL [key=value ...]" per line.
 */
#ifndef MCP_TARGETS_H
#define MCP_TARGETS_H

#include <stddef.h>

struct mcp_target {
	char *slug;       /* owned */
	char *url;        /* owned */
	char *token_file; /* owned, or NULL */
	char *token;      /* owned, wiped on free: read by the tool, or NULL */
	char *call;       /* owned tool name, or NULL */
	char *call_args;  /* owned JSON object text, or NULL */
	char *connect_to; /* owned HOST:PORT:ADDR:PORT, or NULL */
	char *era;        /* owned auto|modern|legacy|sse, or NULL */
	double timeout;   /* seconds; 0: the run's default */
	long lineno;      /* line in the file, 0 for the command line */
};

struct mcp_targets {
	struct mcp_target *v; /* owned array */
	size_t n;
};

/*
 * Parse one line (without its newline) into t.  Returns 1 for a target,
 * 0 for a blank or comment line, -1 with a reason in err.
 */
int mcp_target_parse(const char *line, struct mcp_target *t, char *err, size_t errlen);

/*
 * Read a whole targets file.  Returns 0, or -1 with "LINE: reason" (or the
 * open/read failure) in err; on -1 nothing is kept.  Duplicate slugs are
 * an error.
 */
int mcp_targets_load(const char *path, struct mcp_targets *ts, char *err, size_t errlen);

void mcp_target_free(struct mcp_target *t);
void mcp_targets_free(struct mcp_targets *ts);

#endif
