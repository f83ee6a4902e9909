/*
 * ready.h - the reasons of a server's readiness for 2026's clients
 * (mcp-probe --readiness, the verdict's "readiness"), and the grade they
 * make: one table, so that every tool says the same words.  Pure.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_READY_H
#define MCP_READY_H

#include <stddef.h>

enum mcp_ready_sev { MCP_SEV_MINOR = 1, MCP_SEV_MAJOR, MCP_SEV_CRITICAL };

/* The reasons, in the order every record lists them. */
enum mcp_ready_reason {
	MCP_R_SSE_ONLY,
	MCP_R_LEGACY_ONLY,
	MCP_R_MODERN_SESSION,
	MCP_R_RESULT_TYPE,
	MCP_R_VERSION_ANSWER,
	MCP_R_METHOD_HEADER,
	MCP_R_ORIGIN,
	MCP_R_CORS,
	MCP_R_LOGGING,
	MCP_R_SAMPLING,
	MCP_R_ROOTS,
	MCP_R_TTL,
	MCP_R_NAME_INVALID,
	MCP_R_NAME_DUPLICATE,
	MCP_R_DESTRUCTIVE_OPEN,
	MCP_R_ICON,
	MCP_R_AS_META,
	MCP_R_AS_ISS,
	MCP_R_DCR_ONLY,
	MCP_R_HEADER_INVALID,
	MCP_R_BADARGS,
	MCP_R_ORDER,
	MCP_R_TRIFECTA,
	MCP_R_ELICIT_URL,
	MCP_R_INPUT_UNDECLARED,
	MCP_R_PUBLIC_DIVERGENT,
	MCP_R_APP_UNREADABLE,
	MCP_R_APP_CSP,
	MCP_R_APP_TEXT,
	MCP_R_VERSIONS,
	MCP_R_N
};

struct mcp_ready_reason_def {
	const char *code;
	enum mcp_ready_sev sev;
	const char *spec; /* the section of docs/specification/2026-07-28/ it rests on */
	const char *what; /* what is wrong */
	const char *fix;  /* what to do */
};

extern const struct mcp_ready_reason_def mcp_ready_reasons[MCP_R_N];

/*
 * The legs of the lethal trifecta a tool stands on, by its name and its
 * inputSchema (cJSON, or NULL): fetches untrusted content, reads private
 * data, sends data out (mcp-probe(1), Readiness; mcp-rules(7), F004).
 */
#define MCP_LEG_UNTRUSTED 1u
#define MCP_LEG_PRIVATE 2u
#define MCP_LEG_SINK 4u
struct cJSON;
unsigned mcp_ready_legs(const char *name, const struct cJSON *schema);

/*
 * Reason k as every record says it, in this table's words: {"code",
 * "severity","spec","message","fix"}, owned (cJSON).
 */
struct cJSON *mcp_ready_reason_json(int k);

/* "minor", "major", "critical". */
const char *mcp_ready_sev_name(enum mcp_ready_sev s);
/* The reason of code s, or -1. */
int mcp_ready_code(const char *s);
/*
 * The grade the reasons found make (have[i] nonzero: reason i found): F
 * with a critical one, D with two major ones or more, C with one, B with
 * minor ones only, A with none.
 */
char mcp_ready_grade(const int *have);

/* The eras a server may speak, in the order every record lists them. */
enum mcp_ready_era { MCP_ERA_MODERN, MCP_ERA_LEGACY, MCP_ERA_SSE, MCP_ERA_N };

/* "modern" (2026-07-28), "legacy" (the initialize handshake), "sse" (HTTP+SSE). */
extern const char *const mcp_ready_eras[MCP_ERA_N];
/* The era of name s, or -1. */
int mcp_ready_era(const char *s);
/*
 * 1 when s is an authorization server's issuer as the records carry one:
 * an http(s) URL of at most max bytes of printable ASCII, without a blank,
 * a quote or a backslash.
 */
int mcp_ready_issuer_ok(const char *s, size_t max);

#endif
