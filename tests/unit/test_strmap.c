/*
 * test_strmap.c - unit tests for lib/strmap.c, in TAP.
 *
 * usage: test_strmap
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "tap.h"

#define N 20000

/*
 * The map keeps its own copy of each key: a key whose memory is freed or
 * written over after the put (a job's JSON deleted, a reused buffer) is
 * still found by its bytes, and others are still told apart from it.
 */
static void
owned(struct mcp_strmap *m)
{
	char buf[64], *gone, *big;
	struct mcp_strent *e;
	size_t len = 100000;
	int added, both;

	if ((gone = strdup("held@example.org")) == NULL || (big = malloc(len + 1)) == NULL)
		exit(1);
	e = mcp_strmap_put(m, gone, &added);
	both = e != NULL && added && e->key != gone;
	free(gone);
	snprintf(buf, sizeof(buf), "%s", "reused");
	e = mcp_strmap_put(m, buf, &added);
	both = both && e != NULL && added;
	snprintf(buf, sizeof(buf), "%s", "written over");
	both = mcp_strmap_get(m, "held@example.org") != NULL && both;
	ok(both && mcp_strmap_get(m, "reused") != NULL && mcp_strmap_get(m, "written over") == NULL,
	    "a key freed or written over after its put is still found by its bytes");
	memset(big, 'k', len);
	big[len] = '\0';
	e = mcp_strmap_put(m, big, &added);
	big[0] = 'x';
	ok(e != NULL && added && strlen(e->key) == len && e->key[0] == 'k' &&
	        mcp_strmap_get(m, big) == NULL,
	    "a key longer than any block of keys is copied whole");
	free(big);
}

int
main(void)
{
	static char keys[N][16];
	struct mcp_strmap m = {NULL, 0, 0};
	struct mcp_strent *e;
	size_t i, found = 0, right = 0;
	int added, all_added = 1, again = 0;

	ok(mcp_strmap_get(&m, "x") == NULL, "an empty map has nothing");
	for (i = 0; i < N; i++) {
		snprintf(keys[i], sizeof(keys[i]), "h%zu", i);
		e = mcp_strmap_put(&m, keys[i], &added);
		if (e == NULL)
			break;
		all_added &= added;
		e->num = i + 1;
	}
	ok(i == N && all_added, "%d distinct keys are each added", N);
	ok(m.n == N && m.cap >= 2 * N && (m.cap & (m.cap - 1)) == 0,
	    "the map holds them at most half full, in a power of two (%zu of %zu)", m.n, m.cap);
	for (i = 0; i < N; i++) {
		char copy[16];

		/* Found by its bytes, not by its pointer. */
		memcpy(copy, keys[i], sizeof(copy));
		if ((e = mcp_strmap_get(&m, copy)) != NULL) {
			found++;
			right += e->num == i + 1 && strcmp(e->key, keys[i]) == 0;
		}
	}
	ok(found == N && right == N, "each key is found, with its number (%zu, %zu)", found, right);
	e = mcp_strmap_put(&m, "h17", &added);
	again = e != NULL && !added && e->num == 18;
	ok(again && m.n == N, "a key put again is the entry already there");
	ok(mcp_strmap_get(&m, "h") == NULL && mcp_strmap_get(&m, "h200000") == NULL &&
	        mcp_strmap_get(&m, "") == NULL,
	    "keys never put are not found");
	e = mcp_strmap_put(&m, "", &added);
	ok(e != NULL && added && mcp_strmap_get(&m, "") == e, "the empty string is a key like any");
	owned(&m);
	mcp_strmap_free(&m);
	ok(m.v == NULL && m.n == 0 && m.cap == 0 && mcp_strmap_get(&m, "h1") == NULL,
	    "a freed map is empty, and can be asked");
	return done_testing();
}
