/*
 * addr.h - IP addresses and ranges: CIDR notation, the class of an address
 * (loopback, private, link-local, ...), and the guard of the targets that
 * may reach public addresses only (mcp-probe(1), guard=public).
 *
 * An address is held as 16 bytes: IPv6 as it is, IPv4 in its IPv4-mapped
 * form (::ffff:a.b.c.d), so that one range of either family matches both
 * ways an IPv4 address can be connected to.  Library code: nothing here
 * opens a socket; whether an address is this host's own is the caller's
 * question (struct mcp_guard's own).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_ADDR_H
#define MCP_ADDR_H

#include <stddef.h>

#define MCP_ADDR_LEN 16

enum mcp_addr_class {
	MCP_ADDR_PUBLIC,
	MCP_ADDR_UNSPECIFIED, /* 0.0.0.0/8, ::/128 */
	MCP_ADDR_LOOPBACK,    /* 127.0.0.0/8, ::1/128 */
	MCP_ADDR_PRIVATE,     /* 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 */
	MCP_ADDR_METADATA,    /* 169.254.0.0/16: link-local, the clouds' metadata */
	MCP_ADDR_CGNAT,       /* 100.64.0.0/10: shared address space */
	MCP_ADDR_ULA,         /* fc00::/7: unique-local */
	MCP_ADDR_LINKLOCAL,   /* fe80::/10 */
	MCP_ADDR_RESERVED,    /* 192.0.0.0/24, 198.18.0.0/15, 224.0.0.0/3, ff00::/8 */
	MCP_ADDR_TUNNEL,      /* Teredo 2001::/32, NAT64 local-use 64:ff9b:1::/48 */
	MCP_ADDR_OWN,         /* an address of this host: never a range's class */
};

/* A range: the address and its prefix length in the 16-byte form (IPv4 + 96). */
struct mcp_cidr {
	unsigned char a[MCP_ADDR_LEN];
	int bits;
};

/*
 * An address in text ("192.0.2.1", "2001:db8::1", "[::1]") into a.
 * Returns 0, or -1 when s is not one.
 */
int mcp_addr_parse(const char *s, unsigned char a[MCP_ADDR_LEN]);

/*
 * The IPv4 address an IPv6 one carries, in place: IPv4-compatible
 * (::a.b.c.d, but :: and ::1) and NAT64 (64:ff9b::a.b.c.d) become
 * IPv4-mapped.  Returns 1 when a changed.
 */
int mcp_addr_unwrap(unsigned char a[MCP_ADDR_LEN]);

/* The class of a, unwrapped first. */
enum mcp_addr_class mcp_addr_class(const unsigned char a[MCP_ADDR_LEN]);

/* "loopback", "private", ... (static). */
const char *mcp_addr_class_name(enum mcp_addr_class c);

/* 1 when ip, an address in text, is a loopback address (any form). */
int mcp_addr_loopback(const char *ip);

/* 1 when host, as a URL has it, is loopback: localhost or such an address. */
int mcp_host_loopback(const char *host);

/*
 * A range in CIDR notation ("10.0.0.0/8", "fc00::/7"; an address alone is
 * /32 or /128).  Bits set past the prefix are an error.  Returns 0, or -1
 * with a reason in err.
 */
int mcp_cidr_parse(const char *s, struct mcp_cidr *c, char *err, size_t errlen);

/* 1 when a, as it is (not unwrapped), is in c. */
int mcp_cidr_match(const struct mcp_cidr *c, const unsigned char a[MCP_ADDR_LEN]);

/*
 * A site's NAT64 prefix (RFC 6052 section 2.2): an IPv6 range of length
 * 32, 40, 48, 56, 64 or 96, in CIDR notation.  Returns 0, or -1 with a
 * reason in err.
 */
int mcp_nat64_parse(const char *s, struct mcp_cidr *c, char *err, size_t errlen);

/*
 * What a guarded target may connect to: any public address, but those in
 * deny and those of this host (own); none of the classes above, but those
 * in allow.  A range matches an address as connected or as unwrapped (the
 * IPv4 address it carries); when an address is in ranges of both lists,
 * the longest decides, deny when they are as long.  An address in one of
 * the nat64 prefixes carries an IPv4 address where RFC 6052 puts it, and
 * is judged as that address.  own, when not NULL, answers 1 when a is an
 * address of this host, 0 when not, -1 (errno set) when it cannot tell;
 * it is asked of public addresses only, as connected and as unwrapped.
 * The arrays are borrowed.
 */
struct mcp_guard {
	const struct mcp_cidr *deny, *allow, *nat64;
	size_t ndeny, nallow, nnat64;
	int (*own)(void *arg, const unsigned char a[MCP_ADDR_LEN]);
	void *own_arg;
};

/*
 * The IPv4 address a carries as g sees it, in place: by g's NAT64
 * prefixes first, else as mcp_addr_unwrap.  Returns 1 when a changed.
 */
int mcp_guard_unwrap(const struct mcp_guard *g, unsigned char a[MCP_ADDR_LEN]);

/*
 * 0 when a guarded target may connect to ip (an address in text), else -1
 * with why ("127.0.0.1 is loopback") in why.
 */
int mcp_guard_check(const struct mcp_guard *g, const char *ip, char *why, size_t len);

#endif
