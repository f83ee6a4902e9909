/*
 * registry.h - the registry's room of mcp-aggregate: registry sync,
 * targets and audit (mcp-aggregate(1) "Registry"), its one way in.
 *
 * The room stands on aggregate.h (the store's connection, the usage, the
 * windows) and lib/; nothing of aggregate/ but main.c and the ingest
 * (ingest.c, known.c) includes this file, and no verdict, push or status
 * code needs the room.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef REGISTRY_H
#define REGISTRY_H

#include <stdio.h>

#include "store.h"

/*
 * Run the subcommand argv[0] ("registry", "targets" or "audit") with its
 * arguments; parses them, closes stdout, and returns the exit status.
 */
int reg_main(int argc, char **argv);

/*
 * For the ingest (aggregate/ingest.c), which answers GET /targets/REGION
 * on its own store connection: the targets as "targets [-o overrides] [--shard k/n]" prints them (k and
 * n 0: every target), into out: 0; -1 when the store failed, -2 when the
 * overrides file is bad, -3 out of memory (err; the details on stderr).
 */
int reg_targets_to(struct mcp_store *st, const char *overrides, unsigned k, unsigned n, FILE *out,
    char *err, size_t len);

/*
 * For each of the n slugs, known[i] = 1 when the registry has a field of
 * it (whatever its state), else 0.  0, or -1 when the store failed (err).
 */
int reg_in_registry(
    struct mcp_store *st, const char *const *slugs, size_t n, int *known, char *err, size_t len);

/*
 * The slugs of the target lines of an overrides file ("!SLUG" lines are
 * not), an owned array of *n owned strings.  0, or -1 when the file is
 * bad (said on stderr) or memory ran out.
 */
int reg_override_slugs(const char *path, char ***slugs, size_t *n);

#endif
