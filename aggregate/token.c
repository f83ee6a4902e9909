/*
 * token.c - the ingest's tokens (mcp-aggregate(1) "token"): made from
 * OpenSSL's RAND_bytes, shown once, kept in the store as their SHA-256
 * only, compared in constant time; at most two a region, so that a
 * rotation has no gap and no token is forgotten.
 *
 * A token is "ID.SECRET": ID, 8 hexadecimal digits, names it in lists
 * and in the store; SECRET is 32 random bytes in base64url.  The store
 * keeps, under mcp:ingest:tokens, "REGION ID" -> "sha256:HEX CREATED", and
 * under mcp:ingest:used, "REGION ID" -> the time it was last used.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "aggregate.h"
#include "audit.h"
#include "hash.h"
#include "mcp.h"
#include "rec.h"

#define ID_LEN 8      /* hex digits */
#define SECRET_LEN 43 /* base64url of 32 bytes, no padding */

/*
 * Add only when the region has fewer than two: the count and the write in
 * one step, so that two adds at once cannot make a third.
 */
static const char add_lua[] =
    "local n = 0\n"
    "for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do\n"
    "  if string.sub(f, 1, #ARGV[1] + 1) == ARGV[1] .. ' ' then n = n + 1 end\n"
    "end\n"
    "if n >= tonumber(ARGV[4]) then return 0 end\n"
    "if redis.call('HSETNX', KEYS[1], ARGV[1] .. ' ' .. ARGV[2], ARGV[3]) == 0 then return -1 end\n"
    "return 1\n";

static void
b64url(const unsigned char *p, size_t n, char *out)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned v;
	size_t i, o = 0;
	int bits = 0;

	for (i = 0, v = 0; i < n; i++) {
		v = (v << 8) | p[i];
		bits += 8;
		while (bits >= 6) {
			out[o++] = a[(v >> (bits - 6)) & 63];
			bits -= 6;
		}
	}
	if (bits > 0)
		out[o++] = a[(v << (6 - bits)) & 63];
	out[o] = '\0';
}

int
agg_token_parse(const char *tok, char *id)
{
	size_t i;

	for (i = 0; i < ID_LEN; i++)
		if (!(tok[i] >= '0' && tok[i] <= '9') && !(tok[i] >= 'a' && tok[i] <= 'f'))
			return -1;
	if (tok[ID_LEN] != '.' || strlen(tok + ID_LEN + 1) != SECRET_LEN ||
	    strspn(tok + ID_LEN + 1,
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != SECRET_LEN)
		return -1;
	memcpy(id, tok, ID_LEN);
	id[ID_LEN] = '\0';
	return 0;
}

int
agg_token_check(
    struct mcp_store *st, const char *region, const char *tok, char *id, char *err, size_t len)
{
	char field[MCP_SLUG_MAX + ID_LEN + 2], tag[MCP_HASH_LEN];
	const char *argv[] = {"HGET", AGG_KEY_TOKENS, field};
	redisReply *r;
	int rc;

	if (agg_token_parse(tok, id) == -1)
		return -1;
	/* Hashed before the store is asked: an id known or not takes the same time. */
	if (mcp_sha256_tag(tok, strlen(tok), tag) == -1)
		return snprintf(err, len, "SHA-256: failed"), -2;
	snprintf(field, sizeof(field), "%s %s", region, id);
	if ((r = mcp_store_cmd(st, 3, argv, err, len)) == NULL) {
		OPENSSL_cleanse(tag, sizeof(tag));
		return -2;
	}
	if (r->type == REDIS_REPLY_ERROR) {
		snprintf(err, len, "HGET %s: %s", AGG_KEY_TOKENS, r->str);
		freeReplyObject(r);
		OPENSSL_cleanse(tag, sizeof(tag));
		return -2;
	}
	rc = -1;
	if (r->type == REDIS_REPLY_STRING && r->len > MCP_HASH_LEN - 1 &&
	    CRYPTO_memcmp(tag, r->str, MCP_HASH_LEN - 1) == 0 && r->str[MCP_HASH_LEN - 1] == ' ')
		rc = 0;
	OPENSSL_cleanse(tag, sizeof(tag));
	freeReplyObject(r);
	return rc;
}

redisReply *
agg_cli_cmd(struct mcp_store *st, int argc, const char **argv)
{
	char err[512];
	redisReply *r = mcp_store_cmd(st, argc, argv, err, sizeof(err));

	if (r == NULL)
		warnx("redis: %s", err);
	else if (r->type == REDIS_REPLY_ERROR) {
		warnx("redis: %s: %s", argv[0], r->str);
		freeReplyObject(r);
		r = NULL;
	}
	return r;
}

static int
token_add(struct mcp_store *st, const char *region)
{
	unsigned char raw[4 + 32];
	char tok[ID_LEN + 1 + SECRET_LEN + 1], tag[MCP_HASH_LEN], val[MCP_HASH_LEN + 24],
	    id[ID_LEN + 1];
	char lim[8];
	const char *argv[] = {"EVAL", add_lua, "1", AGG_KEY_TOKENS, region, id, val, lim};
	char why[160];
	redisReply *r;
	int rc = MCP_EXIT_FAIL;

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		errx(MCP_EXIT_FAIL, "token: RAND_bytes failed");
	snprintf(id, sizeof(id), "%02x%02x%02x%02x", raw[0], raw[1], raw[2], raw[3]);
	memcpy(tok, id, ID_LEN);
	tok[ID_LEN] = '.';
	b64url(raw + 4, 32, tok + ID_LEN + 1);
	mcp_sha256_tag(tok, strlen(tok), tag);
	snprintf(val, sizeof(val), "%s %lld", tag, (long long)mcp_now());
	snprintf(lim, sizeof(lim), "%d", AGG_TOKENS_MAX);
	if (mcp_secret_stdout(why, sizeof(why)) == -1) {
		warnx("token: %s: nothing added (write it to a file of mode 600)", why);
		return MCP_EXIT_FAIL;
	}
	if ((r = agg_cli_cmd(st, 8, argv)) != NULL) {
		if (r->type == REDIS_REPLY_INTEGER && r->integer == 1) {
			if (printf("%s\n", tok) < 0 || fflush(stdout) == EOF)
				mcp_stdout_failed();
			else
				rc = MCP_EXIT_OK;
			warnx("token %s of %s added: it is shown once, keep it in the runner's "
			      "token file",
			    id, region);
		} else if (r->type == REDIS_REPLY_INTEGER && r->integer == 0) {
			warnx("token: %s has %d tokens already: revoke one first (token list)",
			    region, AGG_TOKENS_MAX);
		} else {
			warnx("token: %s: the id %s is taken: add again", region, id);
		}
		freeReplyObject(r);
	}
	OPENSSL_cleanse(raw, sizeof(raw));
	OPENSSL_cleanse(tok, sizeof(tok));
	return rc;
}

/* "2026-11-25T15:00:00Z" of the number at the start of s, or "-". */
static const char *
when(const char *s, char *buf, size_t len)
{
	double t = s != NULL ? strtod(s, NULL) : 0;

	if (t <= 0 || mcp_iso8601(t, buf, len) == -1)
		return "-";
	return buf;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of list, sorted: "REGION ID CREATED LAST_USED". */
static int
token_list(struct mcp_store *st, const char *region)
{
	const char *a1[] = {"HGETALL", AGG_KEY_TOKENS}, *a2[] = {"HGET", AGG_KEY_USED, NULL};
	char c[32], u[32], **lines;
	redisReply *r, *ru;
	size_t i, n = 0, k;
	int rc = MCP_EXIT_OK;

	if ((r = agg_cli_cmd(st, 2, a1)) == NULL)
		return MCP_EXIT_FAIL;
	if ((lines = calloc(r->elements / 2 + 1, sizeof(*lines))) == NULL)
		err(MCP_EXIT_FAIL, "token list");
	for (i = 0; i + 1 < r->elements; i += 2) {
		const char *f = r->element[i]->str, *sp = strchr(f, ' ');

		if (sp == NULL ||
		    (region != NULL &&
		        ((size_t)(sp - f) != strlen(region) ||
		            strncmp(f, region, strlen(region)) != 0)))
			continue;
		a2[2] = f;
		ru = agg_cli_cmd(st, 3, a2);
		if (asprintf(&lines[n], "%.*s %s %s %s", (int)(sp - f), f, sp + 1,
		        when(strchr(r->element[i + 1]->str, ' '), c, sizeof(c)),
		        when(ru != NULL && ru->type == REDIS_REPLY_STRING ? ru->str : NULL, u,
		            sizeof(u))) == -1)
			err(MCP_EXIT_FAIL, "token list");
		n++;
		freeReplyObject(ru);
	}
	qsort(lines, n, sizeof(*lines), cmp_str);
	for (k = 0; k < n; k++) {
		if (rc == MCP_EXIT_OK && puts(lines[k]) == EOF)
			rc = AGG_EXIT_STDOUT, mcp_stdout_failed();
		free(lines[k]);
	}
	free(lines);
	freeReplyObject(r);
	return rc;
}

/*
 * --take-back: what the token wrote for the windows not yet decided is
 * deleted (audit.c), and what it wrote late into windows decided already,
 * after the token is revoked, so that it writes no more.
 */
static int
take_back(struct mcp_store *st, const char *region, const char *id)
{
	char err[512];
	long late, n = agg_audit_take_back(st, region, id, &late, err, sizeof(err));

	if (n == -1) {
		warnx("token: take back: redis: %s", err);
		return MCP_EXIT_FAIL;
	}
	warnx("token %s of %s: %ld results of windows not yet decided taken back, and %ld it "
	      "wrote into windows decided already",
	    id, region, n, late);
	return MCP_EXIT_OK;
}

static int
token_revoke(struct mcp_store *st, const char *region, const char *id, int back)
{
	char field[MCP_SLUG_MAX + ID_LEN + 2];
	const char *a1[] = {"HDEL", AGG_KEY_TOKENS, field}, *a2[] = {"HDEL", AGG_KEY_USED, field};
	redisReply *r;
	int rc = MCP_EXIT_FAIL;

	snprintf(field, sizeof(field), "%s %s", region, id);
	if ((r = agg_cli_cmd(st, 3, a1)) == NULL)
		return MCP_EXIT_FAIL;
	if (r->type == REDIS_REPLY_INTEGER && r->integer == 1) {
		warnx("token %s of %s revoked", id, region);
		rc = MCP_EXIT_OK;
	} else {
		warnx("token: %s has no token %s (token list)", region, id);
	}
	freeReplyObject(r);
	freeReplyObject(agg_cli_cmd(st, 3, a2));
	if (back && take_back(st, region, id) != MCP_EXIT_OK)
		rc = MCP_EXIT_FAIL;
	return rc;
}

int
agg_token(const struct agg_opts *o, int argc, char **argv)
{
	struct mcp_store *st;
	int rc, n;

	if (argc < 1)
		agg_usage();
	n = strcmp(argv[0], "add") == 0 ? 2 : strcmp(argv[0], "revoke") == 0 ? 3 : 0;
	if ((strcmp(argv[0], "list") == 0 ? argc > 2 : argc != n) || (o->take_back && n != 3))
		agg_usage();
	if (argc >= 2 && !mcp_slug_ok(argv[1]))
		errx(MCP_EXIT_USAGE, "%s: bad region: not " MCP_SLUG_RULE, argv[1]);
	if (n == 3 && (strlen(argv[2]) != ID_LEN || strspn(argv[2], "0123456789abcdef") != ID_LEN))
		errx(MCP_EXIT_USAGE,
		    "%s: bad token id: want the 8 hexadecimal digits of token list", argv[2]);
	if ((st = agg_connect(o)) == NULL)
		return MCP_EXIT_FAIL;
	if (n == 2)
		rc = token_add(st, argv[1]);
	else if (n == 3)
		rc = token_revoke(st, argv[1], argv[2], o->take_back);
	else
		rc = token_list(st, argc == 2 ? argv[1] : NULL);
	mcp_store_close(st);
	return rc;
}
