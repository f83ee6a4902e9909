/*
 * test_webhook.c - mcp_webhook on deliveries signed here as mcp-alert
 * signs them, and on the example of the Standard Webhooks specification;
 * tests/client-c.t builds and runs it, and tests/alert-webhook.t checks
 * real deliveries of mcp-alert with webhook_check.c.  Prints "ok - ..." or
 * "not ok - ..." for each check.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include "../mcp_webhook.c"

#include <stdio.h>

#define SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define ID "msg_p5jXN8AQM9LWM0D4loKWxJek"
#define TS "1614265330"
#define BODY "{\"test\": 2432232314}"
#define SIG "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

static int failed;

static void
is(enum mcp_webhook_result got, enum mcp_webhook_result want, const char *what)
{
	printf("%sok - %s: %s", got == want ? "" : "not ", what, mcp_webhook_reason(want));
	if (got != want)
		printf(" (got %s)", mcp_webhook_reason(got));
	putchar('\n');
	failed |= got != want;
}

static enum mcp_webhook_result
v(const char *secret, const char *id, const char *ts, const char *sig, const char *body,
    int64_t now)
{
	return mcp_webhook_verify(secret, id, ts, sig, body, strlen(body), now);
}

static void
test_verify(void)
{
	const int64_t t = 1614265330;

	is(v(SECRET, ID, TS, SIG, BODY, t), MCP_WEBHOOK_OK, "the specification's example");
	is(v(SECRET, ID, TS, "v1,bm9wZQ== " SIG, BODY, t), MCP_WEBHOOK_OK, "one entry of several");
	is(v(SECRET, ID, TS, SIG, "{\"test\": 2432232315}", t), MCP_WEBHOOK_SIGNATURE,
	    "a body changed");
	is(v(SECRET, "msg_other", TS, SIG, BODY, t), MCP_WEBHOOK_SIGNATURE, "another id");
	is(v(SECRET, ID, "1614265331", SIG, BODY, t), MCP_WEBHOOK_SIGNATURE, "another timestamp");
	is(v("whsec_AAAA", ID, TS, SIG, BODY, t), MCP_WEBHOOK_SIGNATURE, "another key");
	is(v(SECRET, ID, TS, "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", BODY, t),
	    MCP_WEBHOOK_SIGNATURE, "a version not v1");
	is(v(SECRET, ID, TS, SIG, BODY, t + 300), MCP_WEBHOOK_OK, "5 minutes old");
	is(v(SECRET, ID, TS, SIG, BODY, t + 301), MCP_WEBHOOK_TOO_OLD,
	    "5 minutes and a second old");
	is(v(SECRET, ID, TS, SIG, BODY, t - 301), MCP_WEBHOOK_TOO_NEW, "as far ahead");
	is(v(SECRET, ID, "1.6e9", SIG, BODY, t), MCP_WEBHOOK_TIMESTAMP, "a timestamp not digits");
	is(v(SECRET, ID, TS, NULL, BODY, t), MCP_WEBHOOK_HEADERS, "no signature");
	is(v("whsec_not base64", ID, TS, SIG, BODY, t), MCP_WEBHOOK_KEY,
	    "a whsec_ secret not base64");
	is(v("raw-secret", "msg_x", "1", "v1,wZAWBtqaAiUbGfODPaEYxqsR/lfT2EFT/B5qm59XK+c=", "{}",
	       1),
	    MCP_WEBHOOK_OK, "a secret without whsec_: its own bytes");
}

static void
test_ids(void)
{
	struct mcp_webhook_slot slots[2] = {0};
	struct mcp_webhook_ids t = {slots, 2};
	const int64_t t0 = 1800000000;

	is(mcp_webhook_ids_claim(&t, "msg_a", t0), MCP_WEBHOOK_OK, "claim a new id");
	is(mcp_webhook_ids_claim(&t, "msg_a", t0 + 3600), MCP_WEBHOOK_SEEN,
	    "the same id an hour on");
	mcp_webhook_ids_forget(&t, "msg_a");
	is(mcp_webhook_ids_claim(&t, "msg_a", t0 + 30), MCP_WEBHOOK_OK,
	    "forgotten (not acted on): its retry is taken");
	is(mcp_webhook_ids_claim(&t, "msg_b", t0 + 30), MCP_WEBHOOK_OK, "another");
	is(mcp_webhook_ids_claim(&t, "msg_c", t0 + 60), MCP_WEBHOOK_FULL,
	    "a full table of recent ids: none forgotten");
	is(mcp_webhook_ids_claim(&t, "msg_c", t0 + 30 + 601), MCP_WEBHOOK_OK,
	    "once the oldest is past twice the tolerance, it makes room");
	is(mcp_webhook_ids_claim(&t, "msg_b", t0 + 631), MCP_WEBHOOK_SEEN, "the other is kept");
	is(mcp_webhook_ids_claim(&t, "msg_z", t0 + MCP_WEBHOOK_KEEP + 100), MCP_WEBHOOK_OK,
	    "after MCP_WEBHOOK_KEEP, slots are free");
}

int
main(void)
{
	test_verify();
	test_ids();
	return failed;
}
