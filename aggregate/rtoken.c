/*
 * rtoken.c - the readers' tokens (mcp-aggregate(1) "reader"): bearer
 * tokens that give an agent asking mcp-serve's /mcp the operator's view.
 * Made and kept as the ingest's are (token.c): "ID.SECRET", ID 8
 * hexadecimal digits, SECRET 32 random bytes in base64url, shown once;
 * the store keeps only "sha256:HEX CREATED" under mcp:readers:tokens,
 * field ID.  A kind of their own: no region, and mcp-serve checks them
 * (serve/mcpdoc.c) without OpenSSL.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "aggregate.h"
#include "hash.h"
#include "mcp.h"
#include "rec.h"
#include "rtoken.h"

#define ID_LEN 8

static int
reader_add(struct mcp_store *st)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char raw[4 + 33];
	char tok[ID_LEN + 1 + 44 + 1], tag[MCP_HASH_LEN], val[MCP_HASH_LEN + 24], id[ID_LEN + 1];
	const char *argv[] = {"HSETNX", MCP_KEY_READERS, id, val};
	char why[160];
	redisReply *r;
	size_t i, o = ID_LEN + 1;
	int rc = MCP_EXIT_FAIL;

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		errx(MCP_EXIT_FAIL, "reader: RAND_bytes failed");
	snprintf(id, sizeof(id), "%02x%02x%02x%02x", raw[0], raw[1], raw[2], raw[3]);
	memcpy(tok, id, ID_LEN);
	tok[ID_LEN] = '.';
	/* 33 bytes are 44 characters of base64url, no padding. */
	for (i = 4; i < sizeof(raw); i += 3) {
		unsigned v = (unsigned)raw[i] << 16 | (unsigned)raw[i + 1] << 8 | raw[i + 2];
		tok[o++] = b64[v >> 18 & 63];
		tok[o++] = b64[v >> 12 & 63];
		tok[o++] = b64[v >> 6 & 63];
		tok[o++] = b64[v & 63];
	}
	tok[o] = '\0';
	mcp_sha256_tag(tok, strlen(tok), tag);
	snprintf(val, sizeof(val), "%s %lld", tag, (long long)mcp_now());
	if (mcp_secret_stdout(why, sizeof(why)) == -1) {
		warnx("reader: %s: nothing added (write it to a file of mode 600)", why);
		return MCP_EXIT_FAIL;
	}
	if ((r = agg_cli_cmd(st, 4, argv)) != NULL) {
		if (r->type == REDIS_REPLY_INTEGER && r->integer == 1) {
			if (printf("%s\n", tok) < 0 || fflush(stdout) == EOF)
				mcp_stdout_failed();
			else
				rc = MCP_EXIT_OK;
			warnx("reader token %s added: it is shown once", id);
		} else {
			warnx("reader: the id %s is taken: add again", id);
		}
		freeReplyObject(r);
	}
	OPENSSL_cleanse(raw, sizeof(raw));
	OPENSSL_cleanse(tok, sizeof(tok));
	return rc;
}

static int
reader_list(struct mcp_store *st)
{
	const char *argv[] = {"HGETALL", MCP_KEY_READERS};
	redisReply *r;
	char iso[32];
	size_t i;
	int rc = MCP_EXIT_OK;

	if ((r = agg_cli_cmd(st, 2, argv)) == NULL)
		return MCP_EXIT_FAIL;
	for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
		const char *v = r->element[i + 1]->str, *sp = strchr(v, ' ');

		if (sp == NULL || mcp_iso8601(strtod(sp + 1, NULL), iso, sizeof(iso)) != 0)
			snprintf(iso, sizeof(iso), "-");
		if (printf("%s %s\n", r->element[i]->str, iso) < 0)
			rc = MCP_EXIT_FAIL;
	}
	freeReplyObject(r);
	return rc;
}

static int
reader_revoke(struct mcp_store *st, const char *id)
{
	const char *argv[] = {"HDEL", MCP_KEY_READERS, id};
	redisReply *r;
	int rc = MCP_EXIT_FAIL;

	if ((r = agg_cli_cmd(st, 3, argv)) == NULL)
		return MCP_EXIT_FAIL;
	if (r->type == REDIS_REPLY_INTEGER && r->integer == 1) {
		warnx("reader token %s revoked", id);
		rc = MCP_EXIT_OK;
	} else {
		warnx("reader: no token %s", id);
	}
	freeReplyObject(r);
	return rc;
}

int
agg_reader(int argc, char **argv)
{
	static const struct option no_longs[] = {{NULL, 0, NULL, 0}};
	struct agg_opts ao = AGG_OPTS_INIT;
	struct mcp_store *st;
	char why[600];
	int c, rc, want;

	while ((c = agg_getopt(argc, argv, "R:t:", no_longs)) != -1) {
		switch (c) {
		case 'R':
			ao.url = mcp_store_url_arg(optarg);
			break;
		case 't':
			if ((ao.timeout = mcp_parse_seconds(optarg)) < 0)
				errx(MCP_EXIT_USAGE, "-t %s: not a number of seconds", optarg);
			break;
		default:
			agg_usage();
		}
	}
	argc -= optind, argv += optind;
	if (argc < 1)
		agg_usage_why("add, list or revoke is needed");
	if (strcmp(argv[0], "add") != 0 && strcmp(argv[0], "list") != 0 &&
	    strcmp(argv[0], "revoke") != 0)
		agg_usage_why("%s: unknown command", argv[0]);
	want = strcmp(argv[0], "revoke") == 0 ? 2 : 1; /* revoke ID */
	if (argc < want)
		agg_usage_why("revoke: an ID is needed");
	if (argc > want)
		agg_usage_why("%s: unexpected argument", argv[want]);
	if (argc == 2 &&
	    (strlen(argv[1]) != ID_LEN || strspn(argv[1], "0123456789abcdef") != ID_LEN))
		errx(MCP_EXIT_USAGE,
		    "%s: bad token id: want the 8 hexadecimal digits of reader list", argv[1]);
	if (mcp_store_url_check(ao.url, why, sizeof(why)) == -1)
		errx(MCP_EXIT_USAGE, "%s", why);
	if ((st = agg_connect(&ao)) == NULL)
		return MCP_EXIT_FAIL;
	if (strcmp(argv[0], "add") == 0)
		rc = reader_add(st);
	else if (strcmp(argv[0], "revoke") == 0)
		rc = reader_revoke(st, argv[1]);
	else
		rc = reader_list(st);
	mcp_store_close(st);
	if (mcp_rec_close_stdout() == -1) {
		mcp_stdout_failed();
		rc = MCP_EXIT_FAIL;
	}
	return rc;
}
