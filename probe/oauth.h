/*
 * oauth.h - OAuth machine credentials: the client credentials grant
 * (client_secret_basic, client_secret_post, private_key_jwt) and the JWT
 * bearer grant, with the authorization server found along the protected
 * resource metadata, and tokens cached within a run and across runs.
 */
#ifndef OAUTH_H
#define OAUTH_H

#include "probe.h"

/* 1 when the target is to get its own tokens. */
int oauth_wanted(const struct probe *p);
/*
 * The 401's discovery found metadata m (protected resource metadata, or
 * with as_meta set the authorization server's own, 2025-03-26): get a
 * token and start the handshake again with it, or fail the auth step.
 */
void oauth_start(struct probe *p, const cJSON *m, int as_meta);
/* The 401's discovery found no metadata anywhere: no token can be got. */
void oauth_no_metadata(struct probe *p);
/*
 * The token was refused (401): when it came from a cache, forget it and
 * ask for a new one once.  Returns 1 when that was done.
 */
int oauth_rejected(struct probe *p);
/* Check and read the target's OAuth settings before the run (exit 2 on error). */
void oauth_check(struct mcp_targets *ts, size_t i, const char *at);
/* --oauth-cache DIR: made, or checked to be its owner's alone (exit 2). */
void oauth_cache_check(const char *dir);
/* The run is over: wipe the tokens held. */
void oauth_cleanup(void);

#endif
