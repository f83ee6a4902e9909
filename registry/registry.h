/*
 * registry.h - the registry's room of mcp-aggregate: registry sync,
 * targets and audit (mcp-aggregate(1) "Registry"), its one way in.
 *
 * The room stands on aggregate.h (the store's connection, the usage, the
 * windows) and lib/; nothing of aggregate/ but main.c includes this file,
 * and no verdict, push or status code needs the room.
 */
#ifndef REGISTRY_H
#define REGISTRY_H

/* 1 when cmd is one of the room's subcommands. */
int reg_command(const char *cmd);

/*
 * Run the subcommand argv[0] ("registry", "targets" or "audit") with its
 * arguments; parses them, closes stdout, and returns the exit status.
 */
int reg_main(int argc, char **argv);

#endif
