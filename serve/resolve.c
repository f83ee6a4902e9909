/*
 * resolve.c - getaddrinfo, freeaddrinfo and gethostbyname for the static
 * mcp-serve, from /etc/hosts, /etc/resolv.conf and DNS over UDP, never
 * glibc's NSS: resolve.h says what is looked up, and in which order.
 * The files are read again at each lookup (a FastCGI responder that
 * connects again sees their changes); nothing is kept between lookups but
 * gethostbyname's result, as its contract says.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "resolve.h"

#define DNS_PORT 53
#define RESOLV_CONF "/etc/resolv.conf"
#define HOSTS "/etc/hosts"
#define SEP " \t\r\n"

/*
 * A numeric address: an IPv4 dotted quad, or IPv6 with an optional
 * %scope (an interface's name or index).  0, or -1 for anything else.
 */
static int
numeric(const char *s, struct resolve_addr *a)
{
	char buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 1], *pct, *end;
	unsigned long v;
	size_t n = strlen(s);

	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->a) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n + 1);
	if ((pct = strchr(buf, '%')) != NULL)
		*pct++ = '\0';
	if (inet_pton(AF_INET6, buf, a->a) != 1)
		return -1;
	a->family = AF_INET6;
	if (pct == NULL)
		return 0;
	if (isdigit((unsigned char)*pct)) {
		v = strtoul(pct, &end, 10);
		if (*end != '\0' || v > UINT_MAX)
			return -1;
	} else {
		v = if_nametoindex(pct);
	}
	a->scope = (unsigned)v;
	return v == 0 ? -1 : 0;
}

/* 127.0.0.1 and ::1 (0.0.0.0 and :: when any), as family asks.  Their number. */
static int
local_addrs(int family, int any, struct resolve_addr *a)
{
	int n = 0;

	if (family != AF_INET6) {
		memset(&a[n], 0, sizeof(a[n]));
		a[n].family = AF_INET;
		if (!any)
			memcpy(a[n].a, "\177\0\0\1", 4);
		n++;
	}
	if (family != AF_INET) {
		memset(&a[n], 0, sizeof(a[n]));
		a[n].family = AF_INET6;
		a[n].a[15] = !any;
		n++;
	}
	return n;
}

/* "localhost" and the names under ".localhost" (RFC 6761 6.3). */
static int
is_localhost(const char *name)
{
	size_t n = strlen(name);

	if (n > 0 && name[n - 1] == '.')
		n--;
	return (n == 9 && strncasecmp(name, "localhost", 9) == 0) ||
	    (n > 10 && strncasecmp(name + n - 10, ".localhost", 10) == 0);
}

/* One line of f into buf; a line too long for it is passed over whole.  0 at the end. */
static int
read_line(FILE *f, char *buf, size_t len)
{
	int c;

	while (fgets(buf, (int)len, f) != NULL) {
		if (strchr(buf, '\n') != NULL || feof(f))
			return 1;
		while ((c = getc(f)) != EOF && c != '\n')
			;
	}
	return 0;
}

static void
add_ns(struct resolve_conf *rc, const char *s)
{
	struct sockaddr_storage *ss = &rc->ns[rc->nns];
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	struct resolve_addr a;

	if (rc->nns == RESOLVE_NS_MAX || numeric(s, &a) == -1)
		return;
	memset(ss, 0, sizeof(*ss));
	if (a.family == AF_INET) {
		in->sin_family = AF_INET;
		in->sin_port = htons(DNS_PORT);
		memcpy(&in->sin_addr, a.a, 4);
	} else {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(DNS_PORT);
		memcpy(&in6->sin6_addr, a.a, 16);
		in6->sin6_scope_id = a.scope;
	}
	rc->nns++;
}

/* "options timeout:N ndots:N"; the others are passed over. */
static void
conf_options(struct resolve_conf *rc, char **sp)
{
	char *tok;
	long v;

	while ((tok = strtok_r(NULL, SEP, sp)) != NULL) {
		if (strncmp(tok, "timeout:", 8) == 0 && (v = atol(tok + 8)) > 0)
			rc->wait_ms =
			    v >= RESOLVE_WAIT_MAX / 1000 ? RESOLVE_WAIT_MAX : (int)v * 1000;
		else if (strncmp(tok, "ndots:", 6) == 0 && (v = atol(tok + 6)) >= 0)
			rc->ndots = v > 15 ? 15 : (int)v;
	}
}

static void
conf_line(struct resolve_conf *rc, char *line)
{
	char *sp, *tok = strtok_r(line, SEP, &sp);

	if (tok == NULL || *tok == '#' || *tok == ';')
		return;
	if (strcmp(tok, "nameserver") == 0 && (tok = strtok_r(NULL, SEP, &sp)) != NULL) {
		add_ns(rc, tok);
	} else if (strcmp(tok, "search") == 0 || strcmp(tok, "domain") == 0) {
		/* The last of the two wins, as in glibc. */
		rc->nsearch = 0;
		while ((tok = strtok_r(NULL, SEP, &sp)) != NULL && *tok != '#' && *tok != ';' &&
		    rc->nsearch < RESOLVE_SEARCH_MAX) {
			if (strlen(tok) < RESOLVE_NAME_MAX)
				strcpy(rc->search[rc->nsearch++], tok);
		}
	} else if (strcmp(tok, "options") == 0) {
		conf_options(rc, &sp);
	}
}

/* resolv.conf at path into *rc: defaults where it says nothing, or is missing. */
void
resolve_conf_read(struct resolve_conf *rc, const char *path)
{
	char line[1024];
	FILE *f;

	memset(rc, 0, sizeof(*rc));
	rc->ndots = 1;
	rc->wait_ms = RESOLVE_WAIT_MAX;
	if ((f = fopen(path, "re")) != NULL) {
		while (read_line(f, line, sizeof(line)))
			conf_line(rc, line);
		fclose(f);
	}
	if (rc->nns == 0)
		add_ns(rc, "127.0.0.1");
}

/*
 * The addresses the hosts file at path gives name (without regard to
 * case or a final dot) for family, in the order of the file, into out
 * (at most max).  Their number: 0 when it names none, or cannot be read.
 */
int
resolve_hosts(const char *path, const char *name, int family, struct resolve_addr *out, int max)
{
	char line[1024], want[RESOLVE_NAME_MAX], *sp, *tok;
	size_t len = strlen(name);
	struct resolve_addr a;
	FILE *f;
	int n = 0;

	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0 || len >= sizeof(want) || (f = fopen(path, "re")) == NULL)
		return 0;
	memcpy(want, name, len);
	want[len] = '\0';
	while (n < max && read_line(f, line, sizeof(line))) {
		line[strcspn(line, "#")] = '\0';
		tok = strtok_r(line, SEP, &sp);
		if (tok == NULL || numeric(tok, &a) == -1 ||
		    (family != AF_UNSPEC && a.family != family))
			continue;
		while ((tok = strtok_r(NULL, SEP, &sp)) != NULL && strcasecmp(tok, want) != 0)
			;
		if (tok != NULL)
			out[n++] = a;
	}
	fclose(f);
	return n;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* A UDP socket connected to ss (so only its answers are read), q sent.  -1 on failure. */
static int
ns_open(const struct sockaddr_storage *ss, const unsigned char *q, size_t qlen)
{
	socklen_t sl =
	    ss->ss_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
	int fd = socket(ss->ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd == -1)
		return -1;
	if (connect(fd, (const struct sockaddr *)ss, sl) == -1 ||
	    send(fd, q, qlen, 0) != (ssize_t)qlen) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One datagram of fd, read as the answer to (id, name, type). */
static enum resolve_rc
ns_take(int fd, unsigned id, const char *name, int type, struct resolve_addr *out, int max, int *n)
{
	unsigned char m[RESOLVE_ANSWER_MAX];
	ssize_t k = recv(fd, m, sizeof(m), MSG_TRUNC);

	if (k < 0)
		return errno == EAGAIN || errno == EINTR ? RESOLVE_NOTOURS : RESOLVE_FAIL;
	if ((size_t)k > sizeof(m))
		return RESOLVE_FAIL;
	return resolve_dns_answer(m, (size_t)k, id, name, type, out, max, n);
}

/*
 * The query (name, type) sent at once to every nameserver of rc; the
 * first answer for it that settles it (addresses, or no such name) is
 * taken.  RESOLVE_FAIL when every server failed, RESOLVE_AGAIN when the
 * others did not answer in rc->wait_ms.
 */
enum resolve_rc
resolve_dns(const struct resolve_conf *rc, const char *name, int type, struct resolve_addr *out,
    int max, int *n)
{
	unsigned char q[RESOLVE_QUERY_MAX];
	struct pollfd p[RESOLVE_NS_MAX];
	enum resolve_rc res = RESOLVE_AGAIN, a;
	unsigned short id;
	int qlen, i, r, live = 0, failed = 0;
	long long end, left;

	if (getrandom(&id, sizeof(id), 0) != (ssize_t)sizeof(id))
		return RESOLVE_FAIL;
	if ((qlen = resolve_dns_query(q, sizeof(q), id, name, type)) < 0)
		return RESOLVE_NONAME;
	for (i = 0; i < rc->nns; i++) {
		p[i].fd = ns_open(&rc->ns[i], q, (size_t)qlen);
		p[i].events = POLLIN;
		live += p[i].fd != -1;
		failed += p[i].fd == -1;
	}
	end = now_ms() + rc->wait_ms;
	while (live > 0 && res == RESOLVE_AGAIN && (left = end - now_ms()) > 0) {
		if ((r = poll(p, (nfds_t)rc->nns, (int)left)) < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		for (i = 0; i < rc->nns && res == RESOLVE_AGAIN; i++) {
			if (p[i].fd == -1 || p[i].revents == 0)
				continue;
			a = ns_take(p[i].fd, id, name, type, out, max, n);
			if (a == RESOLVE_OK || a == RESOLVE_NONAME) {
				res = a;
			} else if (a == RESOLVE_FAIL) {
				close(p[i].fd);
				p[i].fd = -1;
				live--;
				failed++;
			}
		}
	}
	for (i = 0; i < rc->nns; i++) {
		if (p[i].fd != -1)
			close(p[i].fd);
	}
	return res == RESOLVE_AGAIN && failed == rc->nns ? RESOLVE_FAIL : res;
}

/*
 * name as is, and with each search domain, in glibc's order: as is first
 * when it has ndots dots or more, last otherwise, and alone when it ends
 * with a dot.  The first answer other than "no such name" ends the search.
 */
static enum resolve_rc
search(const struct resolve_conf *rc, const char *name, int type, struct resolve_addr *out, int max,
    int *n)
{
	char fq[RESOLVE_NAME_MAX];
	const char *s;
	enum resolve_rc res;
	int dots = 0, i;

	for (s = name; *s != '\0'; s++)
		dots += *s == '.';
	if (s > name && s[-1] == '.')
		return resolve_dns(rc, name, type, out, max, n);
	if (dots >= rc->ndots && (res = resolve_dns(rc, name, type, out, max, n)) != RESOLVE_NONAME)
		return res;
	for (i = 0; i < rc->nsearch; i++) {
		if (snprintf(fq, sizeof(fq), "%s.%s", name, rc->search[i]) >= (int)sizeof(fq))
			continue;
		if ((res = resolve_dns(rc, fq, type, out, max, n)) != RESOLVE_NONAME)
			return res;
	}
	return dots < rc->ndots ? resolve_dns(rc, name, type, out, max, n) : RESOLVE_NONAME;
}

/*
 * name (not numeric) for family from the hosts file at path, else as a
 * loopback name: its addresses into out (at most max, at least 2), and
 * their number; 0 when it is neither.
 */
int
resolve_local(const char *path, const char *name, int family, struct resolve_addr *out, int max)
{
	int n;

	if ((n = resolve_hosts(path, name, family, out, max)) > 0 || !is_localhost(name))
		return n;
	return local_addrs(family, 0, out);
}

/*
 * name for family (AF_INET, AF_INET6, or AF_UNSPEC: A, then AAAA) from
 * DNS: its addresses into out (at most max) and their number into *n.  0,
 * or an EAI_ code: EAI_NONAME when DNS does not know it, EAI_AGAIN when
 * it could not tell.
 */
int
resolve_name(const struct resolve_conf *rc, const char *name, int family, struct resolve_addr *out,
    int max, int *n)
{
	enum resolve_rc r4 = RESOLVE_NONAME, r6 = RESOLVE_NONAME;
	int n4 = 0, n6 = 0;

	if (family != AF_INET6)
		r4 = search(rc, name, RESOLVE_TYPE_A, out, max, &n4);
	n4 = r4 == RESOLVE_OK ? n4 : 0;
	/* No AAAA query after an A query that no server answered. */
	if (family != AF_INET && n4 < max && (r4 == RESOLVE_OK || r4 == RESOLVE_NONAME))
		r6 = search(rc, name, RESOLVE_TYPE_AAAA, out + n4, max - n4, &n6);
	*n = n4 + (r6 == RESOLVE_OK ? n6 : 0);
	if (*n > 0)
		return 0;
	return r4 == RESOLVE_NONAME && r6 == RESOLVE_NONAME ? EAI_NONAME : EAI_AGAIN;
}

/* node (NULL: the local host) for family into a[RESOLVE_ADDR_MAX].  0 or an EAI_ code. */
static int
lookup(const char *node, int family, int flags, struct resolve_addr *a, int *n)
{
	struct resolve_conf rc;

	if (node == NULL) {
		*n = local_addrs(family, flags & AI_PASSIVE, a);
		return 0;
	}
	if (numeric(node, &a[0]) == 0) {
		*n = 1;
		return family == AF_UNSPEC || a[0].family == family ? 0 : EAI_ADDRFAMILY;
	}
	if (flags & AI_NUMERICHOST)
		return EAI_NONAME;
	/* resolv.conf is read only for DNS: localhost costs one file. */
	if ((*n = resolve_local(HOSTS, node, family, a, RESOLVE_ADDR_MAX)) > 0)
		return 0;
	resolve_conf_read(&rc, RESOLV_CONF);
	return resolve_name(&rc, node, family, a, RESOLVE_ADDR_MAX, n);
}

/* A port: NULL for 0, else a decimal number up to 65535.  0 or -1. */
static int
port_of(const char *service, unsigned *port)
{
	char *end;
	unsigned long v;

	*port = 0;
	if (service == NULL)
		return 0;
	if (!isdigit((unsigned char)*service))
		return -1;
	v = strtoul(service, &end, 10);
	if (*end != '\0' || v > 65535)
		return -1;
	*port = (unsigned)v;
	return 0;
}

/* One addrinfo and its address in one block, as glibc allocates them. */
static struct addrinfo *
ai_new(const struct resolve_addr *a, int socktype, int protocol, unsigned port)
{
	struct ai {
		struct addrinfo ai;
		union {
			struct sockaddr_in in;
			struct sockaddr_in6 in6;
		} sa;
	} *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->ai.ai_family = a->family;
	p->ai.ai_socktype = socktype;
	p->ai.ai_protocol = protocol != 0 ? protocol
	    : socktype == SOCK_STREAM     ? IPPROTO_TCP
	                                  : IPPROTO_UDP;
	p->ai.ai_addr = (struct sockaddr *)&p->sa;
	if (a->family == AF_INET) {
		p->sa.in.sin_family = AF_INET;
		p->sa.in.sin_port = htons((unsigned short)port);
		memcpy(&p->sa.in.sin_addr, a->a, 4);
		p->ai.ai_addrlen = sizeof(p->sa.in);
	} else {
		p->sa.in6.sin6_family = AF_INET6;
		p->sa.in6.sin6_port = htons((unsigned short)port);
		memcpy(&p->sa.in6.sin6_addr, a->a, 16);
		p->sa.in6.sin6_scope_id = a->scope;
		p->ai.ai_addrlen = sizeof(p->sa.in6);
	}
	return &p->ai;
}

/*
 * getaddrinfo(3) for TCP and UDP: an ai_socktype of 0 gives one of each
 * per address.  No service names, no AI_CANONNAME; AI_ADDRCONFIG and
 * AI_V4MAPPED are passed over.
 */
int
__wrap_getaddrinfo(
    const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res)
{
	static const int types[] = {SOCK_STREAM, SOCK_DGRAM};
	struct addrinfo h = {.ai_family = AF_UNSPEC}, **tail = res;
	struct resolve_addr a[RESOLVE_ADDR_MAX];
	unsigned port;
	int n, e, i, t;

	*res = NULL;
	if (hints != NULL)
		h = *hints;
	if (h.ai_family != AF_UNSPEC && h.ai_family != AF_INET && h.ai_family != AF_INET6)
		return EAI_FAMILY;
	if (h.ai_socktype != 0 && h.ai_socktype != SOCK_STREAM && h.ai_socktype != SOCK_DGRAM)
		return EAI_SOCKTYPE;
	if (node == NULL && service == NULL)
		return EAI_NONAME;
	if (port_of(service, &port) == -1)
		return EAI_SERVICE;
	if ((e = lookup(node, h.ai_family, h.ai_flags, a, &n)) != 0)
		return e;
	for (i = 0; i < n; i++) {
		for (t = 0; t < 2; t++) {
			if (h.ai_socktype != 0 && h.ai_socktype != types[t])
				continue;
			if ((*tail = ai_new(&a[i], types[t], h.ai_protocol, port)) == NULL) {
				__wrap_freeaddrinfo(*res);
				*res = NULL;
				return EAI_MEMORY;
			}
			tail = &(*tail)->ai_next;
		}
	}
	return 0;
}

void
__wrap_freeaddrinfo(struct addrinfo *ai)
{
	struct addrinfo *next;

	for (; ai != NULL; ai = next) {
		next = ai->ai_next;
		free(ai);
	}
}

/*
 * gethostbyname(3), IPv4 only, into storage of its own that the next call
 * overwrites.  libfcgi calls it only from FCGX_OpenSocket, which mcp-serve
 * does not call; it is here so that the link has no NSS at all.
 */
struct hostent *
__wrap_gethostbyname(const char *name)
{
	static struct resolve_addr a[RESOLVE_ADDR_MAX];
	static char *addrs[RESOLVE_ADDR_MAX + 1], *aliases[1], hname[RESOLVE_NAME_MAX];
	static struct hostent h;
	int n, e, i;

	if (name == NULL || strlen(name) >= sizeof(hname)) {
		h_errno = HOST_NOT_FOUND;
		return NULL;
	}
	if ((e = lookup(name, AF_INET, 0, a, &n)) != 0) {
		h_errno = e == EAI_AGAIN ? TRY_AGAIN : HOST_NOT_FOUND;
		return NULL;
	}
	strcpy(hname, name);
	for (i = 0; i < n; i++)
		addrs[i] = (char *)a[i].a;
	addrs[n] = NULL;
	aliases[0] = NULL;
	h.h_name = hname;
	h.h_aliases = aliases;
	h.h_addrtype = AF_INET;
	h.h_length = 4;
	h.h_addr_list = addrs;
	return &h;
}
