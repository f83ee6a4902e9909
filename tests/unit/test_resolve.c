/*
 * test_resolve.c - the static mcp-serve's resolver (serve/dns.c and
 * serve/resolve.c, compiled in here): the query it writes; its reading of
 * answers, good and hostile (another id or question, every truncation,
 * compression pointers that loop or go forward, counts past the message,
 * records of the wrong size, random damage); hosts and resolv.conf files;
 * and the exchange, against a nameserver forked on 127.0.0.1 that answers
 * with the wrong id first, or NXDOMAIN, SERVFAIL, or nothing.
 *
 * usage: test_resolve [datadir]   (the argument is ignored)
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <arpa/inet.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../serve/dns.c"
#include "../../serve/resolve.c"
#include "tap.h"

/* A DNS message under construction. */
struct pkt {
	unsigned char b[2048];
	size_t n;
};

static void
p16(struct pkt *p, unsigned v)
{
	put16(p->b + p->n, v);
	p->n += 2;
}

static void
pbytes(struct pkt *p, const void *s, size_t n)
{
	memcpy(p->b + p->n, s, n);
	p->n += n;
}

/* A name, uncompressed. */
static void
pname(struct pkt *p, const char *name)
{
	size_t l;

	while (*name != '\0') {
		l = strcspn(name, ".");
		p->b[p->n++] = (unsigned char)l;
		pbytes(p, name, l);
		name += l + (name[l] == '.');
	}
	p->b[p->n++] = 0;
}

static void
pptr(struct pkt *p, unsigned off)
{
	p16(p, 0xc000 | off);
}

/* The header and the question for (id, name, type). */
static void
phead(struct pkt *p, unsigned id, unsigned flags, unsigned an, const char *name, int type)
{
	p->n = 0;
	p16(p, id);
	p16(p, flags);
	p16(p, 1);
	p16(p, an);
	p16(p, 0);
	p16(p, 0);
	pname(p, name);
	p16(p, (unsigned)type);
	p16(p, 1);
}

/* A record's type, class, TTL and rdata, after its owner. */
static void
prr(struct pkt *p, int type, const void *rd, size_t rdlen)
{
	p16(p, (unsigned)type);
	p16(p, 1);
	p16(p, 0);
	p16(p, 300);
	p16(p, (unsigned)rdlen);
	pbytes(p, rd, rdlen);
}

#define ANS 0x8180 /* QR, RD, RA, NOERROR */

/* The answer read from a copy of exactly len bytes, so ASan sees an overread. */
static enum resolve_rc
answer(const struct pkt *p, size_t len, unsigned id, const char *name, int type,
    struct resolve_addr *out, int max, int *n)
{
	unsigned char *m = malloc(len ? len : 1);
	enum resolve_rc rc;

	memcpy(m, p->b, len);
	rc = resolve_dns_answer(m, len, id, name, type, out, max, n);
	free(m);
	return rc;
}

static void
test_query(void)
{
	static const unsigned char want[] = {0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 5, 's', 't',
	    'o', 'r', 'e', 4, 't', 'e', 's', 't', 0, 0, 28, 0, 1};
	static const char *const bad[] = {"", ".", "a..b", ".a", "a b", "a\\.b", "h\xc3\xa9"};
	unsigned char q[RESOLVE_QUERY_MAX];
	char long_name[300];
	size_t i;
	int n;

	n = resolve_dns_query(q, sizeof(q), 0x1234, "store.test", RESOLVE_TYPE_AAAA);
	ok(n == (int)sizeof(want) && memcmp(q, want, sizeof(want)) == 0,
	    "query: header with RD, the name's labels, AAAA, IN");
	n = resolve_dns_query(q, sizeof(q), 0x1234, "store.test.", RESOLVE_TYPE_AAAA);
	ok(n == (int)sizeof(want) && memcmp(q, want, sizeof(want)) == 0,
	    "query: a final dot changes nothing");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(resolve_dns_query(q, sizeof(q), 1, bad[i], RESOLVE_TYPE_A) == -1,
		    "query refused: \"%.20s\"", bad[i]);
	memset(long_name, 'a', 64);
	memcpy(long_name + 64, ".com", 5);
	ok(resolve_dns_query(q, sizeof(q), 1, long_name, RESOLVE_TYPE_A) == -1,
	    "query refused: a label of 64 bytes");
	memcpy(long_name + 63, ".com", 5);
	ok(resolve_dns_query(q, sizeof(q), 1, long_name, RESOLVE_TYPE_A) == 12 + 69 + 4,
	    "query: a label of 63 bytes");
	/* 127 labels "a": 255 bytes on the wire with the root; one more is too long. */
	for (i = 0; i < 127; i++)
		memcpy(long_name + 2 * i, "a.", 2);
	long_name[253] = '\0';
	ok(resolve_dns_query(q, sizeof(q), 1, long_name, RESOLVE_TYPE_A) == 12 + 255 + 4,
	    "query: a name of 255 bytes on the wire");
	memcpy(long_name + 253, ".a", 3);
	ok(resolve_dns_query(q, sizeof(q), 1, long_name, RESOLVE_TYPE_A) == -1,
	    "query refused: 257 bytes on the wire");
	ok(resolve_dns_query(q, 270, 1, "a", RESOLVE_TYPE_A) == -1,
	    "query refused: a buffer that cannot hold the longest name");
}

/* id 0x4242, store.test A: 192.0.2.1, a TXT record, 192.0.2.2 (all owners compressed). */
static void
good_answer(struct pkt *p)
{
	phead(p, 0x4242, ANS, 3, "store.test", RESOLVE_TYPE_A);
	pptr(p, 12);
	prr(p, RESOLVE_TYPE_A, "\300\0\2\1", 4);
	pptr(p, 12);
	prr(p, 16, "\3abc", 4);
	pptr(p, 12);
	prr(p, RESOLVE_TYPE_A, "\300\0\2\2", 4);
}

static void
test_answer(void)
{
	struct resolve_addr a[RESOLVE_ADDR_MAX];
	struct pkt p;
	char ip[64];
	int n = -1, i;

	good_answer(&p);
	ok(answer(&p, p.n, 0x4242, "store.test", RESOLVE_TYPE_A, a, 16, &n) == RESOLVE_OK &&
	        n == 2 && a[0].family == AF_INET && memcmp(a[0].a, "\300\0\2\1", 4) == 0 &&
	        memcmp(a[1].a, "\300\0\2\2", 4) == 0,
	    "answer: two A records read, the TXT passed over");
	ok(answer(&p, p.n, 0x4242, "STORE.Test.", RESOLVE_TYPE_A, a, 1, &n) == RESOLVE_OK && n == 1,
	    "answer: any case, a final dot, and max kept");
	ok(answer(&p, p.n, 0x4243, "store.test", RESOLVE_TYPE_A, a, 16, &n) == RESOLVE_NOTOURS,
	    "answer: another id is not ours");
	ok(answer(&p, p.n, 0x4242, "other.test", RESOLVE_TYPE_A, a, 16, &n) == RESOLVE_NOTOURS,
	    "answer: another name in the question is not ours");
	ok(answer(&p, p.n, 0x4242, "store.test", RESOLVE_TYPE_AAAA, a, 16, &n) == RESOLVE_NOTOURS,
	    "answer: another type in the question is not ours");
	p.b[2] &= 0x7f;
	ok(answer(&p, p.n, 0x4242, "store.test", RESOLVE_TYPE_A, a, 16, &n) == RESOLVE_NOTOURS,
	    "answer: a query (QR clear) is not ours");
	good_answer(&p);
	p.b[5] = 2;
	ok(answer(&p, p.n, 0x4242, "store.test", RESOLVE_TYPE_A, a, 16, &n) == RESOLVE_NOTOURS,
	    "answer: two questions are not ours");

	/* Every truncation: never an address, never a byte read past the end. */
	good_answer(&p);
	for (i = 0; i < (int)p.n; i++) {
		enum resolve_rc rc = answer(&p, (size_t)i, 0x4242, "store.test", 1, a, 16, &n);
		if (rc == RESOLVE_OK)
			break;
	}
	ok(i == (int)p.n, "answer: none of its %zu truncations gives an address", p.n);

	good_answer(&p);
	p.b[7] = 4; /* ancount 4 of 3 */
	ok(answer(&p, p.n, 0x4242, "store.test", 1, a, 16, &n) == RESOLVE_FAIL,
	    "answer: one record more counted than there is");
	p.b[6] = 0xff;
	p.b[7] = 0xff;
	ok(answer(&p, p.n, 0x4242, "store.test", 1, a, 16, &n) == RESOLVE_FAIL,
	    "answer: 65535 records counted");

	phead(&p, 7, ANS, 1, "store.test", RESOLVE_TYPE_A);
	pptr(&p, 12);
	prr(&p, RESOLVE_TYPE_A, "\300\0\2\1\1", 5);
	ok(answer(&p, p.n, 7, "store.test", 1, a, 16, &n) == RESOLVE_FAIL,
	    "answer: an A record of 5 bytes");
	phead(&p, 7, ANS, 1, "store.test", RESOLVE_TYPE_A);
	pptr(&p, 12);
	prr(&p, RESOLVE_TYPE_A, "\300\0\2\1", 4);
	p.b[p.n - 5] = 40; /* rdlength past the end */
	ok(answer(&p, p.n, 7, "store.test", 1, a, 16, &n) == RESOLVE_FAIL,
	    "answer: an rdlength past the end");
	phead(&p, 7, ANS, 1, "store.test", RESOLVE_TYPE_AAAA);
	pptr(&p, 12);
	prr(&p, RESOLVE_TYPE_AAAA, "\40\1\15\270\0\0\0\0\0\0\0\0\0\0\0\1", 16);
	ok(answer(&p, p.n, 7, "store.test", RESOLVE_TYPE_AAAA, a, 16, &n) == RESOLVE_OK && n == 1 &&
	        a[0].family == AF_INET6 &&
	        strcmp(inet_ntop(AF_INET6, a[0].a, ip, sizeof(ip)), "2001:db8::1") == 0,
	    "answer: an AAAA record (%s)", ip);
}

static void
test_pointers(void)
{
	struct resolve_addr a[4];
	struct pkt p;
	size_t at;
	int n;

	phead(&p, 9, ANS, 1, "store.test", RESOLVE_TYPE_A);
	at = p.n;
	pptr(&p, (unsigned)at); /* points to itself */
	prr(&p, RESOLVE_TYPE_A, "\300\0\2\1", 4);
	ok(answer(&p, p.n, 9, "store.test", 1, a, 4, &n) == RESOLVE_FAIL,
	    "pointers: one that points to itself");

	phead(&p, 9, ANS, 1, "store.test", RESOLVE_TYPE_A);
	at = p.n;
	pptr(&p, (unsigned)at + 2); /* forward, to a pointer back to it */
	pptr(&p, (unsigned)at);
	prr(&p, RESOLVE_TYPE_A, "\300\0\2\1", 4);
	ok(answer(&p, p.n, 9, "store.test", 1, a, 4, &n) == RESOLVE_FAIL,
	    "pointers: two that point to each other");

	/* A label, then a pointer back to that label: a loop that grows. */
	phead(&p, 9, ANS, 1, "store.test", RESOLVE_TYPE_A);
	at = p.n;
	pbytes(&p, "\1x", 2);
	pptr(&p, (unsigned)at);
	prr(&p, RESOLVE_TYPE_A, "\300\0\2\1", 4);
	ok(answer(&p, p.n, 9, "store.test", 1, a, 4, &n) == RESOLVE_FAIL,
	    "pointers: a label and a pointer back to it");

	phead(&p, 9, ANS, 0, "store.test", RESOLVE_TYPE_A);
	p.b[12] = 0xc0;
	p.b[13] = 12;
	ok(answer(&p, p.n, 9, "store.test", 1, a, 4, &n) == RESOLVE_NOTOURS,
	    "pointers: the question's name pointing to itself");

	phead(&p, 9, ANS, 1, "store.test", RESOLVE_TYPE_A);
	pbytes(&p, "\100x", 2); /* a label of the reserved kind 0x40 */
	prr(&p, RESOLVE_TYPE_A, "\300\0\2\1", 4);
	ok(answer(&p, p.n, 9, "store.test", 1, a, 4, &n) == RESOLVE_FAIL,
	    "pointers: a label of the reserved kind 0x40");

	phead(&p, 9, ANS, 1, "store.test", RESOLVE_TYPE_A);
	for (n = 0; n < 5; n++) {
		p.b[p.n++] = 63;
		memset(p.b + p.n, 'a', 63);
		p.n += 63;
	}
	p.b[p.n++] = 0;
	prr(&p, RESOLVE_TYPE_A, "\300\0\2\1", 4);
	ok(answer(&p, p.n, 9, "store.test", 1, a, 4, &n) == RESOLVE_FAIL,
	    "pointers: an owner of 321 bytes");
}

static void
test_cname(void)
{
	struct resolve_addr a[4];
	struct pkt p;
	size_t tgt;
	int n = -1;

	/* store.test CNAME web.example, web.example A 192.0.2.7, other.example A 192.0.2.9 */
	phead(&p, 5, ANS, 3, "store.test", RESOLVE_TYPE_A);
	pptr(&p, 12);
	p16(&p, RESOLVE_TYPE_CNAME);
	p16(&p, 1);
	p16(&p, 0);
	p16(&p, 60);
	p16(&p, 13);
	tgt = p.n;
	pname(&p, "web.example");
	pptr(&p, (unsigned)tgt);
	prr(&p, RESOLVE_TYPE_A, "\300\0\2\7", 4);
	pname(&p, "other.example");
	prr(&p, RESOLVE_TYPE_A, "\300\0\2\11", 4);
	ok(answer(&p, p.n, 5, "store.test", 1, a, 4, &n) == RESOLVE_OK && n == 1 && a[0].a[3] == 7,
	    "cname: the target's address counts, another owner's does not");

	phead(&p, 5, ANS, 1, "store.test", RESOLVE_TYPE_A);
	pname(&p, "other.example");
	prr(&p, RESOLVE_TYPE_A, "\300\0\2\11", 4);
	ok(answer(&p, p.n, 5, "store.test", 1, a, 4, &n) == RESOLVE_NONAME,
	    "cname: an address for another name is no address");

	phead(&p, 5, ANS, 1, "store.test", RESOLVE_TYPE_A);
	pptr(&p, 12);
	p16(&p, RESOLVE_TYPE_CNAME);
	p16(&p, 1);
	p16(&p, 0);
	p16(&p, 60);
	p16(&p, 3);
	pptr(&p, 12); /* a target of 2 bytes in an rdata of 3 */
	p.b[p.n++] = 0;
	ok(answer(&p, p.n, 5, "store.test", 1, a, 4, &n) == RESOLVE_FAIL,
	    "cname: a target that does not fill its rdata");

	phead(&p, 5, 0x8183, 0, "nx.test", RESOLVE_TYPE_A);
	ok(answer(&p, p.n, 5, "nx.test", 1, a, 4, &n) == RESOLVE_NONAME, "rcode: NXDOMAIN");
	phead(&p, 5, 0x8182, 0, "nx.test", RESOLVE_TYPE_A);
	ok(answer(&p, p.n, 5, "nx.test", 1, a, 4, &n) == RESOLVE_FAIL, "rcode: SERVFAIL");
	phead(&p, 5, 0x8185, 0, "nx.test", RESOLVE_TYPE_A);
	p.n = 12;
	p.b[5] = 0;
	ok(answer(&p, p.n, 5, "nx.test", 1, a, 4, &n) == RESOLVE_FAIL,
	    "rcode: REFUSED without the question");
	phead(&p, 5, ANS, 0, "nx.test", RESOLVE_TYPE_A);
	ok(answer(&p, p.n, 5, "nx.test", 1, a, 4, &n) == RESOLVE_NONAME,
	    "no record of the type: no such name");
}

/* Random damage to a good answer: whatever it reads, it reads within the message. */
static void
test_damage(void)
{
	struct resolve_addr a[RESOLVE_ADDR_MAX];
	unsigned long long x = 88172645463325252ULL;
	struct pkt p, good;
	int i, j, n, oks = 0;

	good_answer(&good);
	for (i = 0; i < 20000; i++) {
		p = good;
		for (j = 0; j < 1 + i % 4; j++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			p.b[x % p.n] = (unsigned char)(x >> 32);
		}
		if (i % 3 == 0)
			p.n -= x % 8;
		oks +=
		    answer(&p, p.n, 0x4242, "store.test", 1, a, RESOLVE_ADDR_MAX, &n) == RESOLVE_OK;
	}
	ok(1, "damage: 20,000 damaged answers read (%d still gave an address)", oks);
}

static void
test_files(const char *dir)
{
	struct resolve_addr a[4];
	struct resolve_conf rc;
	char hosts[512], conf[512], ip[64], *big;
	FILE *f;
	int n;

	snprintf(hosts, sizeof(hosts), "%s/hosts", dir);
	snprintf(conf, sizeof(conf), "%s/resolv.conf", dir);
	big = malloc(3000);
	memset(big, 'x', 2999);
	big[2999] = '\0';
	f = fopen(hosts, "w");
	fprintf(f,
	    "# a comment store.test\n127.0.0.1\tlocalhost\n::1 localhost ip6-localhost\n"
	    "192.0.2.7 %s store.test\n192.0.2.5  Store.Test  st0re # the store\n"
	    "2001:db8::5 store.test\nbogus store.test\n192.0.2.6 other.test\n",
	    big);
	fclose(f);
	n = resolve_hosts(hosts, "store.test", AF_INET, a, 4);
	ok(n == 1 && strcmp(inet_ntop(AF_INET, a[0].a, ip, sizeof(ip)), "192.0.2.5") == 0,
	    "hosts: the IPv4 line, a line too long passed over whole (%d, %s)", n, ip);
	n = resolve_hosts(hosts, "STORE.test.", AF_UNSPEC, a, 4);
	ok(n == 2 && a[0].family == AF_INET && a[1].family == AF_INET6,
	    "hosts: any case, a final dot, both families in order");
	ok(resolve_hosts(hosts, "other.test", AF_INET6, a, 4) == 0, "hosts: a family it lacks");
	ok(resolve_hosts(hosts, "xxx", AF_INET, a, 4) == 0, "hosts: a name it lacks");
	ok(resolve_hosts(hosts, "the", AF_INET, a, 4) == 0, "hosts: a word of a comment");
	ok(resolve_hosts("/nonexistent/hosts", "localhost", AF_INET, a, 4) == 0,
	    "hosts: no file, no address");

	f = fopen(conf, "w");
	fprintf(f,
	    "; resolv.conf\ndomain first.example\nsearch a.example b.example # c\n"
	    "nameserver 192.0.2.53\nnameserver not-an-address\n"
	    "nameserver 2001:db8::53\nnameserver 192.0.2.54\nnameserver 192.0.2.55\n"
	    "options rotate timeout:1 ndots:3 attempts:4\n");
	fclose(f);
	resolve_conf_read(&rc, conf);
	ok(rc.nns == 3 && rc.ns[0].ss_family == AF_INET && rc.ns[1].ss_family == AF_INET6 &&
	        ntohs(((struct sockaddr_in *)&rc.ns[2])->sin_port) == 53 &&
	        ((struct sockaddr_in *)&rc.ns[2])->sin_addr.s_addr == inet_addr("192.0.2.54"),
	    "resolv.conf: three nameservers, the bad one passed over, port 53");
	ok(rc.nsearch == 2 && strcmp(rc.search[1], "b.example") == 0 && rc.ndots == 3 &&
	        rc.wait_ms == 1000,
	    "resolv.conf: the last search list, ndots, timeout");
	resolve_conf_read(&rc, "/nonexistent/resolv.conf");
	ok(rc.nns == 1 && rc.nsearch == 0 && rc.ndots == 1 && rc.wait_ms == RESOLVE_WAIT_MAX &&
	        ((struct sockaddr_in *)&rc.ns[0])->sin_addr.s_addr == htonl(INADDR_LOOPBACK),
	    "resolv.conf: none, 127.0.0.1 and the defaults");
	f = fopen(conf, "w");
	fprintf(f, "options timeout:30\n");
	fclose(f);
	resolve_conf_read(&rc, conf);
	ok(rc.wait_ms == RESOLVE_WAIT_MAX, "resolv.conf: a timeout of 30 s is cut to %d ms",
	    RESOLVE_WAIT_MAX);
	free(big);
}

/*
 * A nameserver on 127.0.0.1 (its port into *port), in a child: store.test
 * is 192.0.2.1, answered first with the wrong id; nx.test NXDOMAIN,
 * fail.test SERVFAIL, slow.test no answer; for store.b.example, 192.0.2.2.
 */
static pid_t
nameserver(unsigned short *port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	struct sockaddr_storage from;
	socklen_t fl, sl = sizeof(sa);
	unsigned char q[512];
	char name[RESOLVE_NAME_MAX];
	struct pkt p;
	ssize_t k;
	size_t end;
	pid_t pid;
	int fd;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd == -1 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) == -1)
		return -1;
	*port = ntohs(sa.sin_port);
	fflush(stdout);
	if ((pid = fork()) != 0) {
		close(fd);
		return pid;
	}
	alarm(30); /* in case the test dies before it ends this */
	for (;;) {
		fl = sizeof(from);
		if ((k = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&from, &fl)) < 12 ||
		    read_name(q, (size_t)k, 12, name, &end) == -1 || end + 4 > (size_t)k)
			continue;
		phead(&p, get16(q), ANS, 1, name, (int)get16(q + end));
		pptr(&p, 12);
		prr(&p, RESOLVE_TYPE_A,
		    strcmp(name, "store.test") == 0 ? "\300\0\2\1" : "\300\0\2\2", 4);
		if (strcmp(name, "slow.test") == 0)
			continue;
		if (strcmp(name, "nx.test") == 0)
			p.b[3] = 0x83;
		if (strcmp(name, "fail.test") == 0)
			p.b[3] = 0x82;
		if (strcmp(name, "store.test") == 0) {
			p.b[1] ^= 1;
			sendto(fd, p.b, p.n, 0, (struct sockaddr *)&from, fl);
			p.b[1] ^= 1;
		}
		if (strcmp(name, "store.test") != 0 && strcmp(name, "store.b.example") != 0 &&
		    p.b[3] == 0x80)
			p.b[3] = 0x83; /* anything else: NXDOMAIN */
		sendto(fd, p.b, p.n, 0, (struct sockaddr *)&from, fl);
	}
}

static long long
took(long long t0)
{
	return now_ms() - t0;
}

static void
test_exchange(const char *dir)
{
	struct resolve_addr a[RESOLVE_ADDR_MAX];
	struct resolve_conf rc;
	unsigned short port;
	long long t0, t;
	char hosts[512];
	pid_t pid;
	int n = 0, e;

	snprintf(hosts, sizeof(hosts), "%s/hosts", dir);
	if ((pid = nameserver(&port)) == -1) {
		ok(0, "exchange: a nameserver on 127.0.0.1");
		return;
	}
	memset(&rc, 0, sizeof(rc));
	add_ns(&rc, "127.0.0.1");
	((struct sockaddr_in *)&rc.ns[0])->sin_port = htons(port);
	rc.ndots = 1;
	rc.wait_ms = 300;
	strcpy(rc.search[0], "a.example");
	strcpy(rc.search[1], "b.example");
	rc.nsearch = 2;

	ok(resolve_dns(&rc, "store.test", RESOLVE_TYPE_A, a, 16, &n) == RESOLVE_OK && n == 1 &&
	        a[0].a[3] == 1,
	    "exchange: the answer with the wrong id passed over, the right one read");
	ok(resolve_dns(&rc, "nx.test", RESOLVE_TYPE_A, a, 16, &n) == RESOLVE_NONAME,
	    "exchange: NXDOMAIN");
	ok(resolve_dns(&rc, "fail.test", RESOLVE_TYPE_A, a, 16, &n) == RESOLVE_FAIL,
	    "exchange: SERVFAIL from the only server");
	t0 = now_ms();
	e = resolve_dns(&rc, "slow.test", RESOLVE_TYPE_A, a, 16, &n);
	t = took(t0);
	ok(e == RESOLVE_AGAIN && t >= 290 && t < 1000,
	    "exchange: no answer, given up after %lld ms", t);
	ok(resolve_name(&rc, "store", AF_INET, a, 16, &n) == 0 && n == 1 && a[0].a[3] == 2,
	    "search: store, store.a.example (NXDOMAIN), then store.b.example");
	t0 = now_ms();
	e = resolve_name(&rc, "slow.test", AF_INET, a, 16, &n);
	t = took(t0);
	ok(e == EAI_AGAIN && t < 600, "search: no AAAA query after an A query unanswered (%lld ms)",
	    t);
	ok(resolve_name(&rc, "nx.test", AF_UNSPEC, a, 16, &n) == EAI_NONAME,
	    "name: unknown to the hosts file and to DNS");
	ok(resolve_local(hosts, "Store.Test", AF_INET, a, 16) == 1 && a[0].a[0] == 192 &&
	        a[0].a[3] == 5,
	    "local: a name of the hosts file");
	ok(resolve_local(hosts, "db.localhost", AF_UNSPEC, a, 16) == 2 && a[0].a[0] == 127 &&
	        a[1].family == AF_INET6 && a[1].a[15] == 1,
	    "local: a name under .localhost that the hosts file lacks: loopback");
	ok(resolve_local(hosts, "localhost", AF_INET6, a, 16) == 1 && a[0].family == AF_INET6,
	    "local: localhost, from the hosts file");
	ok(resolve_local(hosts, "localhost.example", AF_INET, a, 16) == 0,
	    "local: localhost.example is neither");
	((struct sockaddr_in *)&rc.ns[0])->sin_port = htons(9); /* nothing listens */
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	t0 = now_ms();
	e = resolve_dns(&rc, "store.test", RESOLVE_TYPE_A, a, 16, &n);
	ok(e == RESOLVE_FAIL && took(t0) < 250, "exchange: a refused port fails at once");
}

static void
test_getaddrinfo(void)
{
	struct addrinfo h = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *r = NULL, *p;
	struct sockaddr_in6 *in6;
	int e, n;

	e = __wrap_getaddrinfo("127.0.0.1", "6379", &h, &r);
	ok(e == 0 && r != NULL && r->ai_next == NULL && r->ai_family == AF_INET &&
	        r->ai_protocol == IPPROTO_TCP &&
	        ntohs(((struct sockaddr_in *)r->ai_addr)->sin_port) == 6379,
	    "getaddrinfo: 127.0.0.1 port 6379, TCP");
	__wrap_freeaddrinfo(r);
	ok(__wrap_getaddrinfo("::1", "6379", &h, &r) == EAI_ADDRFAMILY && r == NULL,
	    "getaddrinfo: ::1 is not AF_INET");
	h.ai_family = AF_INET6;
	e = __wrap_getaddrinfo("fe80::1%1", "6379", &h, &r);
	in6 = e == 0 ? (struct sockaddr_in6 *)r->ai_addr : NULL;
	ok(e == 0 && in6->sin6_scope_id == 1 && r->ai_addrlen == sizeof(*in6),
	    "getaddrinfo: fe80::1%%1, its scope");
	__wrap_freeaddrinfo(r);
	ok(__wrap_getaddrinfo("fe80::1%", "1", &h, &r) == EAI_NONAME &&
	        __wrap_getaddrinfo("h", "http", &h, &r) == EAI_SERVICE &&
	        __wrap_getaddrinfo("h", "65536", &h, &r) == EAI_SERVICE &&
	        __wrap_getaddrinfo(NULL, NULL, &h, &r) == EAI_NONAME,
	    "getaddrinfo: an empty scope, a service name, port 65536, nothing at all");
	h.ai_family = AF_UNSPEC;
	h.ai_socktype = 0;
	e = __wrap_getaddrinfo("192.0.2.1", NULL, &h, &r);
	for (n = 0, p = r; p != NULL; p = p->ai_next)
		n++;
	ok(e == 0 && n == 2 && r->ai_socktype == SOCK_STREAM &&
	        r->ai_next->ai_socktype == SOCK_DGRAM && r->ai_next->ai_protocol == IPPROTO_UDP,
	    "getaddrinfo: no socket type, one TCP and one UDP");
	__wrap_freeaddrinfo(r);
	h.ai_flags = AI_NUMERICHOST;
	ok(__wrap_getaddrinfo("localhost", "1", &h, &r) == EAI_NONAME,
	    "getaddrinfo: AI_NUMERICHOST, a name");
	h.ai_flags = AI_PASSIVE;
	e = __wrap_getaddrinfo(NULL, "80", &h, &r);
	ok(e == 0 && r->ai_family == AF_INET &&
	        ((struct sockaddr_in *)r->ai_addr)->sin_addr.s_addr == 0,
	    "getaddrinfo: AI_PASSIVE, no node: the any address");
	__wrap_freeaddrinfo(r);
	ok(__wrap_gethostbyname("192.0.2.3") != NULL && __wrap_gethostbyname("::1") == NULL &&
	        h_errno == HOST_NOT_FOUND,
	    "gethostbyname: an IPv4 address; an IPv6 one is not found");
}

int
main(int argc, char *argv[])
{
	char dir[] = "/tmp/test_resolve.XXXXXX", path[64];

	(void)argc;
	(void)argv;
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_query();
	test_answer();
	test_pointers();
	test_cname();
	test_damage();
	test_files(dir);
	test_exchange(dir);
	test_getaddrinfo();
	snprintf(path, sizeof(path), "%s/hosts", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/resolv.conf", dir);
	unlink(path);
	rmdir(dir);
	return done_testing();
}
