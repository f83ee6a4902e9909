/*
 * dns.c - a DNS query of type A or AAAA, and the reading of its answer
 * (RFC 1035), for resolve.c.  No I/O.
 *
 * Every byte of an answer is hostile: each offset is checked against the
 * length before it is read, a name is at most 255 bytes on the wire, and a
 * compression pointer must point before the last place a name jumped to
 * (each jump goes back, so no chain of pointers loops).  Only the header,
 * the question and the answer section are read; the authority and
 * additional sections, whatever they hold, are never looked at.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <ctype.h>
#include <string.h>
#include <sys/socket.h>

#include "resolve.h"

#define HDR 12
#define CLASS_IN 1
#define F_QR 0x8000
#define F_RD 0x0100
#define RCODE_NXDOMAIN 3

static unsigned
get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static void
put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

/* A byte of a host name's label: letters, digits, '-' and '_'. */
static int
hostch(int c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_';
}

/*
 * name in lowercase, without its final dot, into out (RESOLVE_NAME_MAX).
 * -1 when it is empty or too long.
 */
static int
norm(const char *name, char *out)
{
	size_t n = strlen(name), i;

	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n == 0 || n >= RESOLVE_NAME_MAX)
		return -1;
	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)name[i]);
	out[n] = '\0';
	return 0;
}

/*
 * The query for name (a host name, an optional final dot) and type into
 * buf, with recursion desired.  Its length, or -1 for a name that is not
 * a host name (an empty label, a label past 63 bytes or the whole past 255
 * on the wire, a byte other than a letter, a digit, '-' or '_').
 */
int
resolve_dns_query(unsigned char *buf, size_t len, unsigned id, const char *name, int type)
{
	const char *p = name;
	size_t o = HDR, l, i;

	if (len < HDR + 255 + 4 || *p == '\0')
		return -1;
	memset(buf, 0, HDR);
	put16(buf, id & 0xffff);
	put16(buf + 2, F_RD);
	put16(buf + 4, 1);
	while (*p != '\0') {
		l = strcspn(p, ".");
		if (l == 0 || l > 63 || o - HDR + 1 + l + 1 > 255)
			return -1;
		buf[o++] = (unsigned char)l;
		for (i = 0; i < l; i++) {
			if (!hostch(p[i]))
				return -1;
			buf[o++] = (unsigned char)p[i];
		}
		p += l;
		if (*p == '.')
			p++;
	}
	buf[o++] = 0;
	put16(buf + o, (unsigned)type);
	put16(buf + o + 2, CLASS_IN);
	return (int)(o + 4);
}

/*
 * The name at off in m[0, len), in lowercase with dots, into out
 * (RESOLVE_NAME_MAX), and in *next the offset just past where it is
 * written (past its first pointer, if any).  A name with a byte that is
 * not a host name's reads as "", which matches no name asked.  -1 for a
 * name that runs past len, is longer than 255 bytes, has a label of the
 * reserved kinds (0x40, 0x80), or a pointer that does not go back.
 */
static int
read_name(const unsigned char *m, size_t len, size_t off, char *out, size_t *next)
{
	size_t lim = off, o = 0, wire = 1, l, i;
	int jumped = 0, plain = 1;

	for (;;) {
		if (off >= len)
			return -1;
		l = m[off];
		if (l == 0)
			break;
		if ((l & 0xc0) == 0xc0) {
			if (off + 1 >= len || (l = (l & 0x3f) << 8 | m[off + 1]) >= lim)
				return -1;
			if (!jumped)
				*next = off + 2;
			jumped = 1;
			lim = off = l;
			continue;
		}
		if ((l & 0xc0) != 0 || l >= len - off || (wire += 1 + l) > 255)
			return -1;
		if (o > 0)
			out[o++] = '.';
		for (i = 1; i <= l; i++) {
			plain &= hostch(m[off + i]);
			out[o++] = (char)tolower(m[off + i]);
		}
		off += 1 + l;
	}
	if (!jumped)
		*next = off + 1;
	out[plain ? o : 0] = '\0';
	return 0;
}

/*
 * The header and the question of m: RESOLVE_OK when they are the answer to
 * the query (id, name, type) and its rcode is 0, with *off past the
 * question; else what the answer comes to.
 */
static enum resolve_rc
check_head(const unsigned char *m, size_t len, unsigned id, const char *want, int type, size_t *off)
{
	char qn[RESOLVE_NAME_MAX];
	unsigned flags;

	if (len < HDR || get16(m) != (id & 0xffff))
		return RESOLVE_NOTOURS;
	flags = get16(m + 2);
	if (!(flags & F_QR) || (flags >> 11 & 0xf) != 0)
		return RESOLVE_NOTOURS;
	/* Some servers leave the question out of an error (FORMERR, REFUSED). */
	if (get16(m + 4) == 0 && (flags & 0xf) != 0 && (flags & 0xf) != RCODE_NXDOMAIN)
		return RESOLVE_FAIL;
	if (get16(m + 4) != 1 || read_name(m, len, HDR, qn, off) == -1 || *off + 4 > len ||
	    strcmp(qn, want) != 0 || get16(m + *off) != (unsigned)type ||
	    get16(m + *off + 2) != CLASS_IN)
		return RESOLVE_NOTOURS;
	*off += 4;
	if ((flags & 0xf) == RCODE_NXDOMAIN)
		return RESOLVE_NONAME;
	return (flags & 0xf) != 0 ? RESOLVE_FAIL : RESOLVE_OK;
}

/*
 * The answer m[0, len) to the query (id, name, type): the addresses of
 * name into out (at most max; the rest are passed over) and their number
 * into *n.  The records are read in order; a CNAME whose owner is the name
 * so far makes its target the name whose records count (RFC 1034 4.3.2),
 * so an A or AAAA record counts only when its owner is name or the end of
 * its chain of aliases.  RESOLVE_OK with at least one address;
 * RESOLVE_NONAME for NXDOMAIN or no record of the type; RESOLVE_NOTOURS
 * for another id or question, or a message that is not an answer;
 * RESOLVE_FAIL for another rcode, or an answer section that does not parse
 * (a name or a record past the end, an A record not of 4 bytes).
 */
enum resolve_rc
resolve_dns_answer(const unsigned char *m, size_t len, unsigned id, const char *name, int type,
    struct resolve_addr *out, int max, int *n)
{
	char cur[RESOLVE_NAME_MAX], own[RESOLVE_NAME_MAX];
	size_t off, end, alen = type == RESOLVE_TYPE_A ? 4 : 16;
	unsigned an, i, rtype, rclass, rdlen;
	enum resolve_rc rc;
	int got = 0, ours;

	if (norm(name, cur) == -1)
		return RESOLVE_FAIL;
	if ((rc = check_head(m, len, id, cur, type, &off)) != RESOLVE_OK)
		return rc;
	an = get16(m + 6);
	for (i = 0; i < an; i++) {
		if (read_name(m, len, off, own, &off) == -1 || len - off < 10)
			return RESOLVE_FAIL;
		rtype = get16(m + off);
		rclass = get16(m + off + 2);
		rdlen = get16(m + off + 8);
		off += 10;
		if (rdlen > len - off)
			return RESOLVE_FAIL;
		/* An alias to a name that reads as "" ends the chain. */
		ours = rclass == CLASS_IN && own[0] != '\0' && strcmp(own, cur) == 0;
		if (ours && rtype == RESOLVE_TYPE_CNAME) {
			/* The target, read within the record: its pointers go back. */
			if (read_name(m, off + rdlen, off, cur, &end) == -1 || end != off + rdlen)
				return RESOLVE_FAIL;
		} else if (ours && rtype == (unsigned)type) {
			if (rdlen != alen)
				return RESOLVE_FAIL;
			if (got < max) {
				memset(&out[got], 0, sizeof(out[got]));
				out[got].family = type == RESOLVE_TYPE_A ? AF_INET : AF_INET6;
				memcpy(out[got].a, m + off, alen);
				got++;
			}
		}
		off += rdlen;
	}
	*n = got;
	return got > 0 ? RESOLVE_OK : RESOLVE_NONAME;
}
