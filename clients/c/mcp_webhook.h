/*
 * mcp_webhook - a receiver's check of mcp-alert's webhook deliveries,
 * signed as Standard Webhooks has them (mcp-alert.conf(5), SECURITY
 * CONSIDERATIONS); the C twin of clients/node/webhook-verify.  OpenSSL's
 * libcrypto only.
 *
 * A delivery is taken when its webhook-signature holds a "v1," entry equal
 * (compared in constant time) to the base64 HMAC-SHA256 of
 * "webhook-id.webhook-timestamp.body", its timestamp is within
 * MCP_WEBHOOK_TOLERANCE seconds of the clock, and its id was not taken
 * before.  mcp_webhook_verify checks all but the id; a table of ids
 * (mcp_webhook_ids_*) or the receiver's own store does the rest: claim the
 * id before acting, forget it when the delivery was not acted on (answer
 * 5xx: it comes again, with the same id).
 *
 * A secret "whsec_BASE64" is the key it encodes; any other is its own
 * bytes.  Nothing prints, exits or keeps the key.  The table is not
 * locked: one thread, or a lock of the caller's.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_WEBHOOK_H
#define MCP_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>

#define MCP_WEBHOOK_TOLERANCE 300              /* seconds either way */
#define MCP_WEBHOOK_KEEP (24 * 3600 + 2 * 300) /* an id kept: give_up, and a margin */
#define MCP_WEBHOOK_ID_MAX 128                 /* bytes of a webhook-id, at most */

enum mcp_webhook_result {
	MCP_WEBHOOK_OK,
	MCP_WEBHOOK_HEADERS,   /* a header missing, or an id too long */
	MCP_WEBHOOK_TIMESTAMP, /* not epoch seconds */
	MCP_WEBHOOK_TOO_OLD,
	MCP_WEBHOOK_TOO_NEW,
	MCP_WEBHOOK_SIGNATURE, /* no v1 entry matches */
	MCP_WEBHOOK_KEY,       /* the secret is not a key */
	MCP_WEBHOOK_SEEN,      /* taken before: a repeat or a replay; answer 2xx, do nothing */
	MCP_WEBHOOK_FULL,      /* the table holds only recent ids; answer 503 */
};

/*
 * Check one delivery: its three headers as they came (NULL when missing),
 * its raw body, the clock in epoch seconds.  MCP_WEBHOOK_OK or why not.
 */
enum mcp_webhook_result mcp_webhook_verify(const char *secret, const char *id,
    const char *timestamp, const char *signature, const void *body, size_t len, int64_t now);

/* The reason in a word ("ok", "signature", "too-old", ...), as the Node twin says it. */
const char *mcp_webhook_reason(enum mcp_webhook_result r);

struct mcp_webhook_slot {
	char id[MCP_WEBHOOK_ID_MAX + 1];
	int64_t until; /* forgotten after; 0: free */
};

/* The ids taken: n slots the caller gives (zeroed), kept MCP_WEBHOOK_KEEP. */
struct mcp_webhook_ids {
	struct mcp_webhook_slot *slot;
	size_t n;
};

/*
 * Claim id before the delivery is acted on: MCP_WEBHOOK_OK (it is kept
 * from now on), MCP_WEBHOOK_SEEN (kept already: a repeat or a replay), or
 * MCP_WEBHOOK_FULL when every slot holds an id younger than twice the
 * tolerance (forgetting one would let its replay in).
 */
enum mcp_webhook_result mcp_webhook_ids_claim(
    struct mcp_webhook_ids *t, const char *id, int64_t now);

/* Forget a claimed id whose delivery was not acted on: its retry comes with the same id. */
void mcp_webhook_ids_forget(struct mcp_webhook_ids *t, const char *id);

#endif
