/*
 * addr.c - IP addresses and ranges, their classes, and the guard of the
 * targets that may reach public addresses only.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"

static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
static const unsigned char zero[12];

static int
is_v4(const unsigned char *a)
{
	return memcmp(a, mapped, 12) == 0;
}

/* s without brackets into buf; NULL when it does not fit. */
static const char *
unbracket(const char *s, char *buf, size_t len)
{
	size_t n = strlen(s);

	if (n < 2 || s[0] != '[' || s[n - 1] != ']')
		return s;
	if (n - 2 >= len)
		return NULL;
	memcpy(buf, s + 1, n - 2);
	buf[n - 2] = '\0';
	return buf;
}

int
mcp_addr_parse(const char *s, unsigned char a[MCP_ADDR_LEN])
{
	char buf[64];
	struct in_addr a4;

	if ((s = unbracket(s, buf, sizeof(buf))) == NULL)
		return -1;
	if (inet_pton(AF_INET, s, &a4) == 1) {
		memcpy(a, mapped, 12);
		memcpy(a + 12, &a4, 4);
		return 0;
	}
	return inet_pton(AF_INET6, s, a) == 1 ? 0 : -1;
}

int
mcp_addr_unwrap(unsigned char a[MCP_ADDR_LEN])
{
	static const unsigned char one[4] = {0, 0, 0, 1};
	static const unsigned char siit[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0};

	if (memcmp(a, nat64, 12) == 0 || memcmp(a, siit, 12) == 0 ||
	    (memcmp(a, zero, 12) == 0 && memcmp(a + 12, zero, 4) != 0 &&
	        memcmp(a + 12, one, 4) != 0)) {
		memcpy(a, mapped, 12);
		return 1;
	}
	/* 6to4, 2002:AABB:CCDD::/48: the IPv4 address A.B.C.D is where it goes. */
	if (a[0] == 0x20 && a[1] == 0x02) {
		memmove(a + 12, a + 2, 4);
		memcpy(a, mapped, 12);
		return 1;
	}
	return 0;
}

static enum mcp_addr_class
class_v4(const unsigned char *b)
{
	if (b[0] == 0)
		return MCP_ADDR_UNSPECIFIED;
	if (b[0] == 127)
		return MCP_ADDR_LOOPBACK;
	if (b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168))
		return MCP_ADDR_PRIVATE;
	/* Azure's WireServer (168.63.129.16) answers its VMs as the metadata service does. */
	if ((b[0] == 169 && b[1] == 254) ||
	    (b[0] == 168 && b[1] == 63 && b[2] == 129 && b[3] == 16))
		return MCP_ADDR_METADATA;
	if (b[0] == 100 && (b[1] & 0xc0) == 64)
		return MCP_ADDR_CGNAT;
	if (b[0] >= 224 || (b[0] == 192 && b[1] == 0 && b[2] == 0) ||
	    (b[0] == 198 && (b[1] & 0xfe) == 18))
		return MCP_ADDR_RESERVED;
	return MCP_ADDR_PUBLIC;
}

enum mcp_addr_class
mcp_addr_class(const unsigned char a[MCP_ADDR_LEN])
{
	unsigned char u[MCP_ADDR_LEN];

	memcpy(u, a, sizeof(u));
	mcp_addr_unwrap(u);
	if (is_v4(u))
		return class_v4(u + 12);
	if (memcmp(u, zero, 12) == 0 && u[12] == 0 && u[13] == 0 && u[14] == 0)
		return u[15] == 0 ? MCP_ADDR_UNSPECIFIED : MCP_ADDR_LOOPBACK;
	if ((u[0] & 0xfe) == 0xfc)
		return MCP_ADDR_ULA;
	if (u[0] == 0xfe && (u[1] & 0xc0) == 0x80)
		return MCP_ADDR_LINKLOCAL;
	if (u[0] == 0xff)
		return MCP_ADDR_RESERVED;
	if ((u[0] == 0x20 && u[1] == 0x01 && u[2] == 0 && u[3] == 0) ||
	    (u[0] == 0 && u[1] == 0x64 && u[2] == 0xff && u[3] == 0x9b && u[4] == 0 && u[5] == 1))
		return MCP_ADDR_TUNNEL;
	return MCP_ADDR_PUBLIC;
}

const char *
mcp_addr_class_name(enum mcp_addr_class c)
{
	switch (c) {
	case MCP_ADDR_UNSPECIFIED:
		return "unspecified";
	case MCP_ADDR_LOOPBACK:
		return "loopback";
	case MCP_ADDR_PRIVATE:
		return "private";
	case MCP_ADDR_METADATA:
		return "link-local (cloud metadata)";
	case MCP_ADDR_CGNAT:
		return "shared address space (CGNAT)";
	case MCP_ADDR_ULA:
		return "unique-local";
	case MCP_ADDR_LINKLOCAL:
		return "link-local";
	case MCP_ADDR_RESERVED:
		return "reserved (multicast, benchmarking, protocol or future use)";
	case MCP_ADDR_TUNNEL:
		return "a tunnel to addresses unseen (Teredo, NAT64 local-use)";
	case MCP_ADDR_OWN:
		return "an address of this runner";
	default:
		return "public";
	}
}

int
mcp_addr_loopback(const char *ip)
{
	unsigned char a[MCP_ADDR_LEN];

	return mcp_addr_parse(ip, a) == 0 && mcp_addr_class(a) == MCP_ADDR_LOOPBACK;
}

int
mcp_host_loopback(const char *host)
{
	return strcasecmp(host, "localhost") == 0 || mcp_addr_loopback(host);
}

int
mcp_cidr_parse(const char *s, struct mcp_cidr *c, char *err, size_t errlen)
{
	char buf[64], *slash, *end;
	long bits;
	int i, max;

	if (strlen(s) >= sizeof(buf)) {
		snprintf(err, errlen, "not a CIDR range (too long)");
		return -1;
	}
	memcpy(buf, s, strlen(s) + 1);
	if ((slash = strchr(buf, '/')) != NULL)
		*slash = '\0';
	if (mcp_addr_parse(buf, c->a) == -1 || buf[0] == '[') {
		snprintf(err, errlen, "not an address: want A.B.C.D/N or IPv6/N");
		return -1;
	}
	max = strchr(buf, ':') == NULL ? 32 : 128;
	bits = max;
	if (slash != NULL) {
		errno = 0;
		bits = strtol(slash + 1, &end, 10);
		if (errno != 0 || end == slash + 1 || *end != '\0' || slash[1] == '-' ||
		    slash[1] == '+' || bits < 0 || bits > max) {
			snprintf(err, errlen, "the prefix length must be 0 to %d", max);
			return -1;
		}
	}
	c->bits = (int)bits + (max == 32 ? 96 : 0);
	for (i = c->bits; i < 128; i++)
		if (c->a[i / 8] & (0x80 >> (i % 8))) {
			snprintf(err, errlen, "bits set past the prefix length");
			return -1;
		}
	return 0;
}

int
mcp_cidr_match(const struct mcp_cidr *c, const unsigned char a[MCP_ADDR_LEN])
{
	int whole = c->bits / 8, rest = c->bits % 8;

	if (memcmp(a, c->a, (size_t)whole) != 0)
		return 0;
	return rest == 0 || ((a[whole] ^ c->a[whole]) & (0xff00 >> rest)) == 0;
}

int
mcp_nat64_parse(const char *s, struct mcp_cidr *c, char *err, size_t errlen)
{
	if (mcp_cidr_parse(s, c, err, errlen) == -1)
		return -1;
	if (strchr(s, ':') == NULL || strchr(s, '/') == NULL) {
		snprintf(err, errlen, "not a NAT64 prefix: want IPv6/N");
		return -1;
	}
	switch (c->bits) {
	case 32:
	case 40:
	case 48:
	case 56:
	case 64:
	case 96:
		return 0;
	}
	snprintf(err, errlen, "a NAT64 prefix is 32, 40, 48, 56, 64 or 96 bits long (RFC 6052)");
	return -1;
}

int
mcp_guard_unwrap(const struct mcp_guard *g, unsigned char a[MCP_ADDR_LEN])
{
	unsigned char v4[4];
	size_t i;
	int j, k;

	/* An IPv4 address is never read as a NAT64 one, whatever the prefix. */
	for (i = 0; i < g->nnat64 && !is_v4(a); i++) {
		if (!mcp_cidr_match(&g->nat64[i], a))
			continue;
		/* The 32 bits after the prefix, but bits 64 to 71 (RFC 6052 section 2.2). */
		for (j = 0, k = g->nat64[i].bits / 8; j < 4; j++, k++) {
			if (k == 8)
				k++;
			v4[j] = a[k];
		}
		memcpy(a, mapped, 12);
		memcpy(a + 12, v4, 4);
		return 1;
	}
	return mcp_addr_unwrap(a);
}

/* The longest range of v that a or u (a unwrapped) is in: its index, or -1. */
static int
longest(const struct mcp_cidr *v, size_t n, const unsigned char *a, const unsigned char *u)
{
	size_t i;
	int k = -1;

	for (i = 0; i < n; i++)
		if ((mcp_cidr_match(&v[i], a) || mcp_cidr_match(&v[i], u)) &&
		    (k == -1 || v[i].bits > v[k].bits))
			k = (int)i;
	return k;
}

/* c in CIDR notation, into buf. */
static const char *
cidr_text(const struct mcp_cidr *c, char *buf, size_t len)
{
	char t[INET6_ADDRSTRLEN] = "?";
	int v4 = is_v4(c->a) && c->bits >= 96;

	if (v4)
		inet_ntop(AF_INET, c->a + 12, t, sizeof(t));
	else
		inet_ntop(AF_INET6, c->a, t, sizeof(t));
	snprintf(buf, len, "%s/%d", t, v4 ? c->bits - 96 : c->bits);
	return buf;
}

/*
 * Whether a, or u (a unwrapped), is an address of this host, as g's own
 * says: 0 when neither is, else -1 with the reason, after shown, in why.
 */
static int
own_check(const struct mcp_guard *g, const unsigned char *a, const unsigned char *u,
    const char *shown, char *why, size_t len)
{
	int r;

	if (g->own == NULL)
		return 0;
	if ((r = g->own(g->own_arg, a)) == 0 && memcmp(a, u, MCP_ADDR_LEN) != 0)
		r = g->own(g->own_arg, u);
	if (r == 0)
		return 0;
	if (r == 1)
		snprintf(why, len, "%s is %s", shown, mcp_addr_class_name(MCP_ADDR_OWN));
	else
		snprintf(why, len, "%s: cannot tell whether it is an address of this runner: %s",
		    shown, strerror(errno));
	return -1;
}

int
mcp_guard_check(const struct mcp_guard *g, const char *ip, char *why, size_t len)
{
	unsigned char a[MCP_ADDR_LEN], u[MCP_ADDR_LEN];
	char v4[INET_ADDRSTRLEN], shown[64 + INET_ADDRSTRLEN + 16], range[INET6_ADDRSTRLEN + 8];
	enum mcp_addr_class c;
	int ka, kd;

	if (mcp_addr_parse(ip, a) == -1) {
		snprintf(why, len, "%s is not an IP address", ip);
		return -1;
	}
	memcpy(u, a, sizeof(u));
	/* Said when the IPv4 address inside is what the address is judged by. */
	if ((mcp_guard_unwrap(g, u) || (is_v4(u) && strchr(ip, ':') != NULL)) &&
	    inet_ntop(AF_INET, u + 12, v4, sizeof(v4)) != NULL)
		snprintf(shown, sizeof(shown), "%.64s (IPv4 %s)", ip, v4);
	else
		snprintf(shown, sizeof(shown), "%.64s", ip);
	/* The longest range decides; a denied one beats an allowed one as long. */
	ka = longest(g->allow, g->nallow, a, u);
	kd = longest(g->deny, g->ndeny, a, u);
	if (kd >= 0 && (ka == -1 || g->deny[kd].bits >= g->allow[ka].bits)) {
		snprintf(why, len, "%s is in the denied range %s", shown,
		    cidr_text(&g->deny[kd], range, sizeof(range)));
		return -1;
	}
	if (ka >= 0)
		return 0;
	if ((c = mcp_addr_class(u)) != MCP_ADDR_PUBLIC) {
		snprintf(why, len, "%s is %s", shown, mcp_addr_class_name(c));
		return -1;
	}
	return own_check(g, a, u, shown, why, len);
}
