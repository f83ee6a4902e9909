/*
 * resolve.h - host names for the static-pie mcp-serve, without glibc's NSS.
 *
 * glibc's getaddrinfo, linked into a static program, still loads the NSS
 * modules (libnss_*.so) of whatever glibc it finds at run time: on another
 * machine, or after an upgrade, a copied binary may fail to resolve, or
 * crash in a module built for another glibc.  The static link therefore
 * wraps getaddrinfo, freeaddrinfo and gethostbyname (ld --wrap) with the
 * functions below, which read /etc/hosts and /etc/resolv.conf themselves
 * and never reach NSS.  A name is looked up as follows:
 *
 *   - a numeric IPv4 address (a dotted quad) or IPv6 address (with an
 *     optional %scope) is taken as it is;
 *   - /etc/hosts: every line that names it, in the order of the file;
 *   - "localhost" and names under ".localhost" that /etc/hosts does not
 *     list for the family asked: 127.0.0.1 and ::1, never asked of DNS;
 *   - else DNS: one query of type A or AAAA over UDP, sent at once to the
 *     first RESOLVE_NS_MAX nameservers of /etc/resolv.conf (127.0.0.1 when
 *     it names none); the first answer for this query settles it.  The wait
 *     is the resolv.conf's "options timeout:N", at most RESOLVE_WAIT_MAX
 *     ms; its "search" or "domain" list and "ndots:N" are applied as glibc
 *     applies them, and a name that no server answered ends the search.
 *
 * Not supported: the order or the sources of nsswitch.conf (it is always
 * files, then dns), mDNS, LLMNR, retrying over TCP (a truncated answer is
 * used for the addresses it holds), service names (a port is a number),
 * AI_CANONNAME (ai_canonname is NULL), LOCALDOMAIN and RES_OPTIONS.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef RESOLVE_H
#define RESOLVE_H

#include <stddef.h>
#include <sys/socket.h>

#define RESOLVE_NS_MAX 3       /* nameservers asked, as glibc's MAXNS */
#define RESOLVE_SEARCH_MAX 6   /* search domains, as glibc's MAXDNSRCH */
#define RESOLVE_ADDR_MAX 16    /* addresses kept for one name */
#define RESOLVE_NAME_MAX 254   /* a name written with dots, and its NUL */
#define RESOLVE_WAIT_MAX 2000  /* ms: the longest wait for the servers */
#define RESOLVE_QUERY_MAX 512  /* bytes of a query (its name is at most 255) */
#define RESOLVE_ANSWER_MAX 512 /* bytes of an answer over UDP, without EDNS */

#define RESOLVE_TYPE_A 1
#define RESOLVE_TYPE_CNAME 5
#define RESOLVE_TYPE_AAAA 28

struct resolve_addr {
	int family;          /* AF_INET or AF_INET6 */
	unsigned char a[16]; /* 4 or 16 bytes, network order */
	unsigned scope;      /* IPv6 scope id, 0 for none */
};

/* What resolv.conf says; the defaults when it is missing. */
struct resolve_conf {
	struct sockaddr_storage ns[RESOLVE_NS_MAX];
	int nns;
	char search[RESOLVE_SEARCH_MAX][RESOLVE_NAME_MAX];
	int nsearch;
	int ndots;
	int wait_ms;
};

/*
 * What one DNS answer, or one exchange, comes to.  RESOLVE_NOTOURS is an
 * answer to another query (another id or another question), which the
 * exchange passes over; RESOLVE_FAIL is a server that failed (SERVFAIL,
 * REFUSED, an answer that does not parse) and RESOLVE_AGAIN one that did
 * not answer in time.
 */
enum resolve_rc { RESOLVE_OK, RESOLVE_NONAME, RESOLVE_FAIL, RESOLVE_NOTOURS, RESOLVE_AGAIN };

/* dns.c: the wire format, no I/O. */
int resolve_dns_query(unsigned char *buf, size_t len, unsigned id, const char *name, int type);
enum resolve_rc resolve_dns_answer(const unsigned char *m, size_t len, unsigned id,
    const char *name, int type, struct resolve_addr *out, int max, int *n);

/* resolve.c: the files, the exchange, and the order of the sources. */
void resolve_conf_read(struct resolve_conf *rc, const char *path);
int resolve_hosts(
    const char *path, const char *name, int family, struct resolve_addr *out, int max);
int resolve_local(
    const char *path, const char *name, int family, struct resolve_addr *out, int max);
enum resolve_rc resolve_dns(const struct resolve_conf *rc, const char *name, int type,
    struct resolve_addr *out, int max, int *n);
int resolve_name(const struct resolve_conf *rc, const char *name, int family,
    struct resolve_addr *out, int max, int *n);

/* The wrapped functions of libc, for the static link only. */
struct addrinfo;
struct hostent;
int __wrap_getaddrinfo(
    const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res);
void __wrap_freeaddrinfo(struct addrinfo *ai);
struct hostent *__wrap_gethostbyname(const char *name);

#endif
