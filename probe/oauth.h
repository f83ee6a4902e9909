/*
 * oauth.h - OAuth machine credentials: the client credentials grant
 * (client_secret_basic, client_secret_post, private_key_jwt) and the JWT
 * bearer grant, sent only to the authorization server the operator pinned
 * (--oauth-issuer), for the target's own resource, inside the run's event
 * loop; tokens cached within a run and across runs.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef OAUTH_H
#define OAUTH_H

#include "probe.h"

/* oauth.c: the flow, driven by the run loop. */
/*
 * The 401's discovery found metadata m (protected resource metadata, or
 * with as_meta set the authorization server's own, 2025-03-26): check it
 * against the pinned issuer, get a token and start the handshake again
 * with it, or fail the auth step.
 */
void oauth_start(struct probe *p, const cJSON *m, int as_meta);
/* The 401's discovery found no metadata anywhere: no token can be got. */
void oauth_no_metadata(struct probe *p);
/*
 * The token was refused (401): when it came from a cache, forget it and
 * ask for a new one once.  Returns 1 when that was done.
 */
int oauth_rejected(struct probe *p);

/* grant.c: what is sent and what is taken back. */
/* 1 when the target is to get its own tokens. */
int oauth_wanted(const struct probe *p);
/*
 * Check and read the target's OAuth settings before the run: 0, or -1
 * after saying what is wrong, with at ("FILE:LINE: " or "") before it.
 */
int oauth_check(struct mcp_targets *ts, size_t i, const char *at);
const char *grant_of(const struct mcp_target *t, const cJSON *asmeta);
int grant_form(const struct mcp_target *t, const char *kind, const char *resource,
    const char *scope, struct mcp_buf *form, char **basic, char *why, size_t len);
char *grant_token(const cJSON *answer, double *life, char *why, size_t len);
void grant_error(const cJSON *answer, char *buf, size_t len);
int grant_token_ok(const char *s);

/* tokens.c: the caches. */
/* --oauth-cache DIR: made, or checked to be its owner's alone (exit 2). */
void oauth_cache_check(const char *dir);
/* The run is over: wipe the tokens held. */
void oauth_cleanup(void);
const cJSON *tokens_meta(const char *issuer);
const cJSON *tokens_meta_put(const char *issuer, cJSON *m);
void tokens_key(const char *issuer, const char *client, const char *res, const char *scope,
    const char *grant, char out[65]);
char *tokens_get(const struct probe *p, const char *key, const char *issuer, const char *resource,
    double *expires, const char **src);
void tokens_put(const struct probe *p, const char *key, const char *issuer, const char *resource,
    const char *token, double expires, int disk);
void tokens_drop(const struct probe *p, const char *key);

#endif
