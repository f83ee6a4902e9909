/*
 * test_addr.c - unit tests for lib/addr.c, in TAP: address classes, CIDR
 * ranges, the IPv4 forms hidden in IPv6 addresses, and the guard: its
 * ranges on the address as connected and as unwrapped, a site's NAT64
 * prefixes, and the question of the runner's own addresses.
 *
 * usage: test_addr
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "tap.h"

static const struct {
	const char *ip;
	enum mcp_addr_class c;
} classes[] = {
    {"0.0.0.0", MCP_ADDR_UNSPECIFIED},
    {"0.255.1.2", MCP_ADDR_UNSPECIFIED},
    {"127.0.0.1", MCP_ADDR_LOOPBACK},
    {"127.255.255.254", MCP_ADDR_LOOPBACK},
    {"10.0.0.1", MCP_ADDR_PRIVATE},
    {"10.255.255.255", MCP_ADDR_PRIVATE},
    {"172.16.0.1", MCP_ADDR_PRIVATE},
    {"172.31.255.255", MCP_ADDR_PRIVATE},
    {"172.15.255.255", MCP_ADDR_PUBLIC},
    {"172.32.0.0", MCP_ADDR_PUBLIC},
    {"192.168.1.1", MCP_ADDR_PRIVATE},
    {"192.169.0.1", MCP_ADDR_PUBLIC},
    {"169.254.169.254", MCP_ADDR_METADATA},
    {"100.64.0.1", MCP_ADDR_CGNAT},
    {"100.127.255.255", MCP_ADDR_CGNAT},
    {"100.63.255.255", MCP_ADDR_PUBLIC},
    {"100.128.0.0", MCP_ADDR_PUBLIC},
    {"8.8.8.8", MCP_ADDR_PUBLIC},
    {"192.0.2.1", MCP_ADDR_PUBLIC},
    {"::", MCP_ADDR_UNSPECIFIED},
    {"::1", MCP_ADDR_LOOPBACK},
    {"[::1]", MCP_ADDR_LOOPBACK},
    {"fc00::1", MCP_ADDR_ULA},
    {"fd12:3456::1", MCP_ADDR_ULA},
    {"fe80::1", MCP_ADDR_LINKLOCAL},
    {"febf::1", MCP_ADDR_LINKLOCAL},
    {"fec0::1", MCP_ADDR_PUBLIC},
    {"2001:db8::1", MCP_ADDR_PUBLIC},
    {"2606:4700::1111", MCP_ADDR_PUBLIC},
    /* IPv4 inside IPv6: mapped, compatible, NAT64. */
    {"::ffff:127.0.0.1", MCP_ADDR_LOOPBACK},
    {"::ffff:7f00:1", MCP_ADDR_LOOPBACK},
    {"::ffff:169.254.169.254", MCP_ADDR_METADATA},
    {"::ffff:10.1.2.3", MCP_ADDR_PRIVATE},
    {"::ffff:0.0.0.0", MCP_ADDR_UNSPECIFIED},
    {"::ffff:8.8.8.8", MCP_ADDR_PUBLIC},
    {"::127.0.0.1", MCP_ADDR_LOOPBACK},
    {"::10.0.0.1", MCP_ADDR_PRIVATE},
    {"::8.8.8.8", MCP_ADDR_PUBLIC},
    {"64:ff9b::192.168.0.1", MCP_ADDR_PRIVATE},
    {"64:ff9b::a9fe:a9fe", MCP_ADDR_METADATA},
    {"64:ff9b::8.8.8.8", MCP_ADDR_PUBLIC},
    /* SIIT (::ffff:0:0/96) and 6to4 (2002::/16) carry one too. */
    {"::ffff:0:7f00:1", MCP_ADDR_LOOPBACK},
    {"::ffff:0:a00:1", MCP_ADDR_PRIVATE},
    {"2002:a9fe:a9fe::1", MCP_ADDR_METADATA},
    {"2002:7f00:1::", MCP_ADDR_LOOPBACK},
    {"2002:c0a8:101::1", MCP_ADDR_PRIVATE},
    {"2002:808:808::1", MCP_ADDR_PUBLIC},
    /* Tunnels whose far end no prefix shows, reserved ranges, Azure's WireServer. */
    {"2001::1", MCP_ADDR_TUNNEL},
    {"2001:0:4136:e378:8000:63bf:3fff:fdd2", MCP_ADDR_TUNNEL},
    {"64:ff9b:1::a00:1", MCP_ADDR_TUNNEL},
    {"ff02::1", MCP_ADDR_RESERVED},
    {"224.0.0.1", MCP_ADDR_RESERVED},
    {"239.255.255.250", MCP_ADDR_RESERVED},
    {"240.0.0.1", MCP_ADDR_RESERVED},
    {"255.255.255.255", MCP_ADDR_RESERVED},
    {"192.0.0.170", MCP_ADDR_RESERVED},
    {"198.18.0.1", MCP_ADDR_RESERVED},
    {"198.19.255.255", MCP_ADDR_RESERVED},
    {"198.20.0.1", MCP_ADDR_PUBLIC},
    {"223.255.255.255", MCP_ADDR_PUBLIC},
    {"168.63.129.16", MCP_ADDR_METADATA},
    {"168.63.129.17", MCP_ADDR_PUBLIC},
};

static void
test_classes(void)
{
	unsigned char a[MCP_ADDR_LEN];
	size_t i;
	int r;

	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		r = mcp_addr_parse(classes[i].ip, a);
		ok(r == 0 && mcp_addr_class(a) == classes[i].c, "%s is %s", classes[i].ip,
		    mcp_addr_class_name(classes[i].c));
	}
	ok(mcp_addr_parse("010.0.0.1", a) == -1 && mcp_addr_parse("10.1", a) == -1 &&
	        mcp_addr_parse("0x7f.1", a) == -1 && mcp_addr_parse("localhost", a) == -1 &&
	        mcp_addr_parse("", a) == -1 && mcp_addr_parse("[", a) == -1,
	    "octal, short, hex forms and names are no address");
	ok(mcp_addr_loopback("127.0.0.1") && mcp_addr_loopback("::ffff:127.9.9.9") &&
	        mcp_addr_loopback("::1") && !mcp_addr_loopback("10.0.0.1") &&
	        !mcp_addr_loopback("::2") && !mcp_addr_loopback("nonsense"),
	    "mcp_addr_loopback");
	ok(mcp_host_loopback("localhost") && mcp_host_loopback("LocalHost") &&
	        mcp_host_loopback("[::1]") && mcp_host_loopback("127.1.2.3") &&
	        !mcp_host_loopback("localhost.example") && !mcp_host_loopback("[::2]"),
	    "mcp_host_loopback");
}

static void
test_cidr(void)
{
	struct mcp_cidr c;
	unsigned char a[MCP_ADDR_LEN];
	char err[128];

	ok(mcp_cidr_parse("10.0.0.0/8", &c, err, sizeof(err)) == 0 && c.bits == 104,
	    "10.0.0.0/8 parses (as /104 of the mapped form)");
	mcp_addr_parse("10.200.1.1", a);
	ok(mcp_cidr_match(&c, a), "10.200.1.1 is in 10.0.0.0/8");
	mcp_addr_parse("::ffff:10.200.1.1", a);
	ok(mcp_cidr_match(&c, a), "so is ::ffff:10.200.1.1");
	mcp_addr_parse("64:ff9b::10.200.1.1", a);
	ok(!mcp_cidr_match(&c, a), "64:ff9b::10.200.1.1 is not, as it is (the guard unwraps it)");
	ok(mcp_addr_unwrap(a) && mcp_cidr_match(&c, a), "unwrapped, it is");
	mcp_addr_parse("11.0.0.1", a);
	ok(!mcp_cidr_match(&c, a), "11.0.0.1 is not");
	ok(mcp_cidr_parse("203.0.113.7", &c, err, sizeof(err)) == 0 && c.bits == 128,
	    "an address alone is one address");
	ok(mcp_cidr_parse("198.18.0.0/15", &c, err, sizeof(err)) == 0, "198.18.0.0/15 parses");
	mcp_addr_parse("198.19.255.255", a);
	ok(mcp_cidr_match(&c, a), "a /15 matches on a bit inside a byte");
	mcp_addr_parse("198.20.0.0", a);
	ok(!mcp_cidr_match(&c, a), "and not past it");
	ok(mcp_cidr_parse("2001:db8::/32", &c, err, sizeof(err)) == 0 && c.bits == 32,
	    "2001:db8::/32 parses");
	mcp_addr_parse("2001:db8:ffff::1", a);
	ok(mcp_cidr_match(&c, a), "2001:db8:ffff::1 is in it");
	ok(mcp_cidr_parse("0.0.0.0/0", &c, err, sizeof(err)) == 0, "0.0.0.0/0 parses");
	mcp_addr_parse("2001:db8::1", a);
	ok(!mcp_cidr_match(&c, a), "every IPv4 address is not every IPv6 one");
	ok(mcp_cidr_parse("::/0", &c, err, sizeof(err)) == 0, "::/0 parses");
	mcp_addr_parse("8.8.8.8", a);
	ok(mcp_cidr_match(&c, a), "::/0 is every address, IPv4 too");
	ok(mcp_cidr_parse("10.0.0.1/8", &c, err, sizeof(err)) == -1 &&
	        strstr(err, "past the prefix") != NULL,
	    "bits past the prefix: %s", err);
	ok(mcp_cidr_parse("10.0.0.0/33", &c, err, sizeof(err)) == -1 &&
	        strstr(err, "0 to 32") != NULL,
	    "an IPv4 prefix over 32: %s", err);
	ok(mcp_cidr_parse("::/129", &c, err, sizeof(err)) == -1 &&
	        mcp_cidr_parse("10.0.0.0/", &c, err, sizeof(err)) == -1 &&
	        mcp_cidr_parse("10.0.0.0/-1", &c, err, sizeof(err)) == -1 &&
	        mcp_cidr_parse("10.0.0.0/8x", &c, err, sizeof(err)) == -1 &&
	        mcp_cidr_parse("10.0.0.0/+8", &c, err, sizeof(err)) == -1 &&
	        mcp_cidr_parse("example.com/8", &c, err, sizeof(err)) == -1 &&
	        mcp_cidr_parse("[::1]/128", &c, err, sizeof(err)) == -1,
	    "malformed ranges are refused");
}

static void
test_guard(void)
{
	struct mcp_cidr deny[3], allow[3];
	struct mcp_guard none = {0};
	struct mcp_guard g = {.deny = deny, .allow = allow, .ndeny = 3, .nallow = 3};
	char err[128], why[160];

	mcp_cidr_parse("203.0.113.0/24", &deny[0], err, sizeof(err));
	mcp_cidr_parse("2001:db8:bad::/48", &deny[1], err, sizeof(err));
	mcp_cidr_parse("127.0.0.0/8", &allow[0], err, sizeof(err));
	mcp_cidr_parse("10.1.0.0/16", &allow[1], err, sizeof(err));
	mcp_cidr_parse("127.0.0.2", &deny[2], err, sizeof(err));
	mcp_cidr_parse("203.0.113.5", &allow[2], err, sizeof(err));
	ok(mcp_guard_check(&none, "8.8.8.8", why, sizeof(why)) == 0, "a public address passes");
	ok(mcp_guard_check(&none, "127.0.0.1", why, sizeof(why)) == -1 &&
	        strcmp(why, "127.0.0.1 is loopback") == 0,
	    "127.0.0.1 is refused: %s", why);
	ok(mcp_guard_check(&none, "::ffff:127.0.0.1", why, sizeof(why)) == -1 &&
	        strcmp(why, "::ffff:127.0.0.1 (IPv4 127.0.0.1) is loopback") == 0,
	    "so is ::ffff:127.0.0.1: %s", why);
	ok(mcp_guard_check(&none, "169.254.169.254", why, sizeof(why)) == -1 &&
	        strstr(why, "cloud metadata") != NULL,
	    "169.254.169.254: %s", why);
	ok(mcp_guard_check(&none, "64:ff9b::a9fe:a9fe", why, sizeof(why)) == -1 &&
	        strstr(why, "(IPv4 169.254.169.254)") != NULL,
	    "its NAT64 form: %s", why);
	ok(mcp_guard_check(&none, "fd00:ec2::254", why, sizeof(why)) == -1 &&
	        strstr(why, "unique-local") != NULL,
	    "fd00:ec2::254: %s", why);
	ok(mcp_guard_check(&none, "nonsense", why, sizeof(why)) == -1,
	    "what is not an address is refused: %s", why);
	ok(mcp_guard_check(&g, "127.0.0.1", why, sizeof(why)) == 0 &&
	        mcp_guard_check(&g, "::ffff:127.0.0.1", why, sizeof(why)) == 0,
	    "an allowed range passes, in both forms");
	ok(mcp_guard_check(&g, "10.1.2.3", why, sizeof(why)) == 0 &&
	        mcp_guard_check(&g, "10.2.0.1", why, sizeof(why)) == -1,
	    "only the allowed part of a private range passes: %s", why);
	ok(mcp_guard_check(&g, "::1", why, sizeof(why)) == -1, "127.0.0.0/8 allowed is not ::1: %s",
	    why);
	ok(mcp_guard_check(&g, "203.0.113.9", why, sizeof(why)) == -1 &&
	        strcmp(why, "203.0.113.9 is in the denied range 203.0.113.0/24") == 0,
	    "a denied range is refused: %s", why);
	ok(mcp_guard_check(&g, "2001:db8:bad:1::1", why, sizeof(why)) == -1 &&
	        strstr(why, "2001:db8:bad::/48") != NULL,
	    "an IPv6 denied range: %s", why);
	ok(mcp_guard_check(&g, "2001:db8:bae::1", why, sizeof(why)) == 0, "next to it passes");
	ok(mcp_guard_check(&g, "127.0.0.2", why, sizeof(why)) == -1 &&
	        strcmp(why, "127.0.0.2 is in the denied range 127.0.0.2/32") == 0,
	    "a denied range inside an allowed one is refused: %s", why);
	ok(mcp_guard_check(&g, "203.0.113.5", why, sizeof(why)) == 0 &&
	        mcp_guard_check(&g, "203.0.113.6", why, sizeof(why)) == -1,
	    "an allowed range inside a denied one passes");
	mcp_cidr_parse("10.1.0.0/16", &deny[0], err, sizeof(err));
	ok(mcp_guard_check(&g, "10.1.0.1", why, sizeof(why)) == -1 && strstr(why, "denied") != NULL,
	    "a range both allowed and denied is denied: %s", why);
}

/*
 * Ranges inside the IPv6 transition prefixes match the address as
 * connected; IPv4 ranges match the address it carries.
 */
static void
test_transition(void)
{
	struct mcp_cidr deny[4], allow[2];
	struct mcp_guard g = {.deny = deny, .allow = allow, .ndeny = 4, .nallow = 2};
	char err[128], why[200];

	mcp_cidr_parse("64:ff9b::/96", &deny[0], err, sizeof(err));
	mcp_cidr_parse("2002::/16", &deny[1], err, sizeof(err));
	mcp_cidr_parse("::/96", &deny[2], err, sizeof(err));
	mcp_cidr_parse("203.0.113.0/24", &deny[3], err, sizeof(err));
	mcp_cidr_parse("64:ff9b::8.8.4.4", &allow[0], err, sizeof(err));
	mcp_cidr_parse("10.1.0.0/16", &allow[1], err, sizeof(err));
	ok(mcp_guard_check(&g, "64:ff9b::808:808", why, sizeof(why)) == -1 &&
	        strcmp(why,
	            "64:ff9b::808:808 (IPv4 8.8.8.8) is in the denied range 64:ff9b::/96") == 0,
	    "--guard-deny 64:ff9b::/96 refuses a NAT64 address of a public IPv4: %s", why);
	ok(mcp_guard_check(&g, "2002:808:808::1", why, sizeof(why)) == -1 &&
	        strstr(why, "denied range 2002::/16") != NULL,
	    "--guard-deny 2002::/16 refuses 6to4: %s", why);
	ok(mcp_guard_check(&g, "::8.8.8.8", why, sizeof(why)) == -1 &&
	        strstr(why, "denied range ::/96") != NULL,
	    "--guard-deny ::/96 refuses IPv4-compatible: %s", why);
	ok(mcp_guard_check(&g, "8.8.8.8", why, sizeof(why)) == 0,
	    "the IPv4 address itself is not in them");
	ok(mcp_guard_check(&g, "64:ff9b::cb00:7105", why, sizeof(why)) == -1 &&
	        strstr(why, "(IPv4 203.0.113.5) is in the denied range") != NULL,
	    "an IPv4 range refuses the address a NAT64 one carries: %s", why);
	ok(mcp_guard_check(&g, "64:ff9b::8.8.4.4", why, sizeof(why)) == 0,
	    "an allowed /128 inside the denied /96 passes (the longer decides)");
	ok(mcp_guard_check(&g, "64:ff9b::10.1.2.3", why, sizeof(why)) == 0,
	    "an allowed IPv4 /16 (a /112) inside a denied /96 passes, as connected through NAT64");
	ok(mcp_guard_check(&g, "2002:a01:203::", why, sizeof(why)) == 0,
	    "and through 6to4 (the /16 is shorter)");
}

/* A site's NAT64 prefix: its addresses are judged by the IPv4 address they carry. */
static void
test_nat64(void)
{
	struct mcp_cidr pre[3], deny[1];
	struct mcp_guard g = {.nat64 = pre, .nnat64 = 3, .deny = deny, .ndeny = 1};
	struct mcp_guard none = {0};
	unsigned char a[MCP_ADDR_LEN];
	char err[128], why[200];
	static const struct {
		const char *prefix, *addr, *v4;
	} forms[] = {
	    /* RFC 6052 section 2.4's table, 192.0.2.33 in each length. */
	    {"2001:db8::/32", "2001:db8:c000:221::", "192.0.2.33"},
	    {"2001:db8:100::/40", "2001:db8:1c0:2:21::", "192.0.2.33"},
	    {"2001:db8:122::/48", "2001:db8:122:c000:2:2100::", "192.0.2.33"},
	    {"2001:db8:122:300::/56", "2001:db8:122:3c0:0:221::", "192.0.2.33"},
	    {"2001:db8:122:344::/64", "2001:db8:122:344:c0:2:2100:0", "192.0.2.33"},
	    {"2001:db8:122:344::/96", "2001:db8:122:344::192.0.2.33", "192.0.2.33"},
	};
	size_t i;
	char v4[16];

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct mcp_guard one = {.nat64 = pre, .nnat64 = 1};

		ok(mcp_nat64_parse(forms[i].prefix, &pre[0], err, sizeof(err)) == 0 &&
		        mcp_addr_parse(forms[i].addr, a) == 0 && mcp_guard_unwrap(&one, a) == 1 &&
		        snprintf(v4, sizeof(v4), "%u.%u.%u.%u", a[12], a[13], a[14], a[15]) > 0 &&
		        strcmp(v4, forms[i].v4) == 0,
		    "%s in %s carries %s", forms[i].addr, forms[i].prefix, v4);
	}
	mcp_nat64_parse("2001:db8:64::/96", &pre[0], err, sizeof(err));
	mcp_nat64_parse("64:ff9b:1::/48", &pre[1], err, sizeof(err));
	mcp_nat64_parse("::/32", &pre[2], err, sizeof(err));
	mcp_cidr_parse("8.8.8.0/24", &deny[0], err, sizeof(err));
	ok(mcp_guard_check(&none, "2001:db8:64::10.0.0.1", why, sizeof(why)) == 0,
	    "without --guard-nat64, a site's NAT64 address of 10.0.0.1 is public");
	ok(mcp_guard_check(&g, "2001:db8:64::10.0.0.1", why, sizeof(why)) == -1 &&
	        strcmp(why, "2001:db8:64::10.0.0.1 (IPv4 10.0.0.1) is private") == 0,
	    "with it, it is private: %s", why);
	ok(mcp_guard_check(&g, "2001:db8:64::a9fe:a9fe", why, sizeof(why)) == -1 &&
	        strstr(why, "(IPv4 169.254.169.254) is link-local (cloud metadata)") != NULL,
	    "the metadata address through it: %s", why);
	ok(mcp_guard_check(&g, "2001:db8:64::8.8.8.8", why, sizeof(why)) == -1 &&
	        strstr(why, "in the denied range 8.8.8.0/24") != NULL,
	    "an IPv4 denied range matches through it: %s", why);
	ok(mcp_guard_check(&g, "2001:db8:64::1.1.1.1", why, sizeof(why)) == 0,
	    "a public IPv4 address through it passes");
	ok(mcp_guard_check(&g, "64:ff9b:1:101:100:100::", why, sizeof(why)) == 0,
	    "a local-use NAT64 prefix (a tunnel) named by the operator: judged by its IPv4 "
	    "1.1.1.1");
	ok(mcp_guard_check(&none, "64:ff9b:1:101:100:100::", why, sizeof(why)) == -1 &&
	        strstr(why, "tunnel") != NULL,
	    "unnamed, it is a tunnel to addresses unseen: %s", why);
	ok(mcp_guard_check(&g, "10.0.0.1", why, sizeof(why)) == -1 &&
	        mcp_guard_check(&g, "::ffff:10.0.0.1", why, sizeof(why)) == -1 &&
	        mcp_guard_check(&g, "1.1.1.1", why, sizeof(why)) == 0,
	    "an IPv4 address is never read as a NAT64 one, even in a ::/32 prefix");
	ok(mcp_nat64_parse("2001:db8::/33", &pre[0], err, sizeof(err)) == -1 &&
	        strstr(err, "32, 40, 48, 56, 64 or 96") != NULL,
	    "a NAT64 prefix of another length: %s", err);
	ok(mcp_nat64_parse("10.0.0.0/8", &pre[0], err, sizeof(err)) == -1 &&
	        mcp_nat64_parse("2001:db8::", &pre[0], err, sizeof(err)) == -1 &&
	        mcp_nat64_parse("2001:db8::1/96", &pre[0], err, sizeof(err)) == -1,
	    "an IPv4 range, an address without a length, bits past the prefix: refused");
}

/* The runner's own addresses: what own answers, asked of public addresses only. */
static int asked;

static int
own_of(void *arg, const unsigned char a[MCP_ADDR_LEN])
{
	unsigned char mine[MCP_ADDR_LEN];

	asked++;
	if (arg != NULL) {
		errno = ENOBUFS;
		return -1;
	}
	mcp_addr_parse("198.51.100.7", mine);
	return memcmp(a, mine, sizeof(mine)) == 0;
}

static void
test_own(void)
{
	struct mcp_cidr allow[1];
	struct mcp_guard g = {.own = own_of, .allow = allow, .nallow = 1};
	struct mcp_guard broken = {.own = own_of, .own_arg = &broken};
	char err[128], why[200];

	mcp_cidr_parse("127.0.0.0/8", &allow[0], err, sizeof(err));
	ok(mcp_guard_check(&g, "198.51.100.7", why, sizeof(why)) == -1 &&
	        strcmp(why, "198.51.100.7 is an address of this runner") == 0,
	    "an address of the runner's: %s", why);
	ok(mcp_guard_check(&g, "::ffff:198.51.100.7", why, sizeof(why)) == -1 &&
	        mcp_guard_check(&g, "64:ff9b::c633:6407", why, sizeof(why)) == -1 &&
	        strcmp(why,
	            "64:ff9b::c633:6407 (IPv4 198.51.100.7) is an address of this runner") == 0,
	    "its IPv4-mapped and NAT64 forms too: %s", why);
	ok(mcp_guard_check(&g, "198.51.100.8", why, sizeof(why)) == 0, "its neighbour is not");
	asked = 0;
	ok(mcp_guard_check(&g, "10.0.0.1", why, sizeof(why)) == -1 &&
	        mcp_guard_check(&g, "127.0.0.1", why, sizeof(why)) == 0 && asked == 0,
	    "own is asked of public addresses only: a class refuses first, a range allows first");
	mcp_cidr_parse("198.51.100.0/24", &allow[0], err, sizeof(err));
	ok(mcp_guard_check(&g, "198.51.100.7", why, sizeof(why)) == 0,
	    "--guard-allow exempts the runner's own address too");
	ok(mcp_guard_check(&broken, "8.8.8.8", why, sizeof(why)) == -1 &&
	        strcmp(why,
	            "8.8.8.8: cannot tell whether it is an address of this runner: No "
	            "buffer space available") == 0,
	    "own cannot tell: refused: %s", why);
}

int
main(void)
{
	test_classes();
	test_cidr();
	test_guard();
	test_transition();
	test_nat64();
	test_own();
	return done_testing();
}
