/*
 * webhook_check.c - one delivery checked by mcp_webhook, for
 * tests/alert-webhook.t: webhook_check KEYFILE ID TIMESTAMP SIGNATURE
 * BODYFILE NOW prints the reason ("ok", "signature", ...) and exits 0 for
 * ok, 1 for anything else.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include "../mcp_webhook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char **argv)
{
	char key[1024], body[1 << 20];
	enum mcp_webhook_result r;
	size_t n;
	FILE *f;

	if (argc != 7)
		return fputs("usage: webhook_check KEYFILE ID TS SIG BODYFILE NOW\n", stderr), 2;
	if ((f = fopen(argv[1], "r")) == NULL || fgets(key, sizeof(key), f) == NULL)
		return perror(argv[1]), 2;
	fclose(f);
	key[strcspn(key, "\r\n")] = '\0';
	if ((f = fopen(argv[5], "rb")) == NULL)
		return perror(argv[5]), 2;
	n = fread(body, 1, sizeof(body), f);
	fclose(f);
	r = mcp_webhook_verify(key, argv[2], argv[3], argv[4], body, n, strtoll(argv[6], NULL, 10));
	puts(mcp_webhook_reason(r));
	return r != MCP_WEBHOOK_OK;
}
