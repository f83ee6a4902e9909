/*
 * test_store.c - the pure parts of lib/store.c and lib/cluster.c: cluster
 * URLs and the slot of a key (the values of CLUSTER KEYSLOT, Redis 7.0).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "tap.h"

static void
test_urls(void)
{
	static const char *const bad[] = {"redis-cluster://", "redis-cluster://h,",
	    "redis-cluster://,h", "redis-cluster://h:0", "redis-cluster://h/1",
	    "redis-cluster://h/db", "redis-cluster://u@h", "redis-cluster://a,b,c,d,e,f,g,h,i"};
	struct mcp_store_url u;
	char err[256];
	size_t i;

	ok(mcp_store_parse_url(
	       "redis-cluster://:s%40cret@n1:7000,n2,[::1]:7002/0", &u, err, sizeof(err)) == 0 &&
	        u.kind == MCP_STORE_CLUSTER && u.nseed == 3 && strcmp(u.seed[0].host, "n1") == 0 &&
	        u.seed[0].port == 7000 && u.seed[1].port == 6379 &&
	        strcmp(u.seed[2].host, "::1") == 0 && u.seed[2].port == 7002 && u.db == 0 &&
	        u.has_password && strcmp(u.password, "s@cret") == 0,
	    "redis-cluster://:password@host:port,host,[v6]:port/0");
	ok(mcp_store_parse_url("redis-cluster://ops:pw@n1:7000/", &u, err, sizeof(err)) == 0 &&
	        u.nseed == 1 && strcmp(u.user, "ops") == 0,
	    "redis-cluster:// with a user, and a bare /");
	ok(mcp_store_url_check("redis-cluster://127.0.0.1:7000", err, sizeof(err)) == 0,
	    "mcp_store_url_check takes a cluster URL");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(mcp_store_parse_url(bad[i], &u, err, sizeof(err)) == -1 && err[0] != '\0',
		    "rejected: %s (%s)", bad[i], err);
	ok(mcp_store_parse_url("redis-cluster://:hunter2@h/3", &u, err, sizeof(err)) == -1 &&
	        strstr(err, "hunter2") == NULL && strstr(err, "database 0") != NULL,
	    "/3 refused, the password in no message (%s)", err);
}

static void
test_public(void)
{
	static const struct {
		const char *in, *out;
	} v[] = {
	    {"redis://:pw@h:6379/2", "redis://h:6379/2"},
	    {"redis://ops:p%40w@h", "redis://ops@h"},
	    {"redis://h", "redis://h"},
	    {"unix:///run/r.sock?db=3&password=pw", "unix:///run/r.sock?db=3"},
	    {"unix:///run/r.sock?password=pw&db=3&user=u", "unix:///run/r.sock?db=3&user=u"},
	    {"unix:///run/r.sock?password=pw", "unix:///run/r.sock"},
	    {"redis-sentinel://:pw@s1,s2:26380/mymaster/1",
	        "redis-sentinel://s1,s2:26380/mymaster/1"},
	};
	char out[256], arg[64];
	const char *kept;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		ok(mcp_store_url_public(v[i].in, out, sizeof(out)) == 0 &&
		        strcmp(out, v[i].out) == 0,
		    "public %s: %s", v[i].in, out);
	ok(mcp_store_url_public("redis://h:6379", out, 8) == -1, "too small: -1");
	snprintf(arg, sizeof(arg), "unix:///s?db=1&password=hunter2&user=u");
	kept = mcp_store_url_arg(arg);
	ok(strcmp(kept, "unix:///s?db=1&password=hunter2&user=u") == 0 &&
	        strcmp(arg, "unix:///s?db=1&password=*******&user=u") == 0,
	    "-R: kept whole, the argument's password blanked (%s)", arg);
	snprintf(arg, sizeof(arg), "redis://ops:hunter2@h/0");
	kept = mcp_store_url_arg(arg);
	ok(strcmp(kept, "redis://ops:hunter2@h/0") == 0 &&
	        strcmp(arg, "redis://ops:*******@h/0") == 0,
	    "-R: user:password@ (%s)", arg);
}

static void
test_slots(void)
{
	static const struct {
		const char *key;
		unsigned slot;
	} v[] = {
	    {"123456789", 0x31C3 % 16384}, /* the spec's CRC16 check value */
	    {"foo", 12182},
	    {"somekey", 11058},
	    {"{user1000}.following", 3443},
	    {"{user1000}.followers", 3443},
	    {"foo{}{bar}", 8363},    /* an empty tag: the whole key */
	    {"foo{{bar}}zap", 4015}, /* the tag "{bar" */
	    {"foo{bar}{zap}", 5061}, /* the first tag only */
	    {"mcp:{everything}:verdict", 11713},
	    {"mcp:{everything}:res:1795536000", 11713},
	    {"mcp:slugs", 1073},
	    {"mcp:alert:open", 14101},
	    {"{", 4092},
	    {"}{a}", 15495},
	    {"", 0},
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		ok(mcp_store_slot(v[i].key, strlen(v[i].key)) == v[i].slot, "slot of \"%s\": %u",
		    v[i].key, v[i].slot);
	ok(mcp_store_slot("a{b}c", 3) == mcp_store_slot("a{b", 3), "the length counts, not a NUL");
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_urls();
	test_public();
	test_slots();
	return done_testing();
}
