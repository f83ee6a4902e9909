/*
 * remote.h - one remote of a registry entry (remote.c): what entry.c
 * makes a field of.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef REG_REMOTE_H
#define REG_REMOTE_H

#include "buf.h"
#include "json.h"
#include "reg.h"

#define REG_WHY_MAX (2 * MCP_QUOTED_MAX + 100)

/* What one remote makes: the URL filled, the headers kept, a state. */
struct reg_remote {
	const char *type; /* static, or NULL */
	char url[REG_URL_MAX + 1];
	int has_url;
	struct mcp_buf headers; /* owned: JSON array members */
	int state;              /* one of enum reg_state */
	char why[REG_WHY_MAX];  /* the reason of a state other than probe */
};

/* r (zeroed by the caller) made of rem, one member of a server's "remotes". */
void reg_remote_of(const cJSON *rem, const struct reg_opts *o, struct reg_remote *r);

#endif
