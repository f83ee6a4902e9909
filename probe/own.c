/*
 * own.c - the addresses of this runner, as the guard refuses them
 * (mcp-probe(1), GUARDED TARGETS).  A service bound to 0.0.0.0 on the
 * runner answers on every address of its interfaces, public ones too,
 * which no class of lib/addr.c names.  Rather than a list of them read at
 * one moment, the kernel is asked, for each address a guarded target is
 * about to connect to (or send a request over), whether it routes that
 * address to this host: a route of type local, which every address of
 * every interface has from the moment it is added (in the network
 * namespace the probe runs in), as has a local route to a whole range
 * (AnyIP).  One RTM_GETROUTE over a netlink socket: about 3 us.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "probe.h"

static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static int
own_open(struct own *o)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	struct timeval tv = {1, 0};

	if ((o->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) == -1)
		return -1;
	/* The kernel answers at once; a second is a kernel that does not. */
	if (setsockopt(o->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == -1 ||
	    bind(o->fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		own_close(o);
		return -1;
	}
	return 0;
}

/* The route to a: send the question. */
static int
ask(struct own *o, const unsigned char *a)
{
	struct {
		struct nlmsghdr nh;
		struct rtmsg rt;
		unsigned char attr[RTA_SPACE(MCP_ADDR_LEN)];
	} req;
	struct rtattr *ra = (struct rtattr *)(void *)req.attr;
	int v4 = memcmp(a, mapped, sizeof(mapped)) == 0;
	size_t alen = v4 ? 4 : MCP_ADDR_LEN;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.rt)) + RTA_LENGTH(alen);
	req.nh.nlmsg_type = RTM_GETROUTE;
	req.nh.nlmsg_flags = NLM_F_REQUEST;
	req.nh.nlmsg_seq = ++o->seq;
	req.rt.rtm_family = v4 ? AF_INET : AF_INET6;
	req.rt.rtm_dst_len = (unsigned char)(alen * 8);
	ra->rta_type = RTA_DST;
	ra->rta_len = (unsigned short)RTA_LENGTH(alen);
	memcpy(RTA_DATA(ra), v4 ? a + 12 : a, alen);
	return send(o->fd, &req, req.nh.nlmsg_len, 0) == (ssize_t)req.nh.nlmsg_len ? 0 : -1;
}

/*
 * The answer to the question o->seq: 1 local, 0 not, -1 (errno) none.
 * An answer to an earlier question (one whose wait timed out) is passed.
 */
static int
answer(struct own *o)
{
	union {
		struct nlmsghdr nh;
		char b[8192];
	} buf;
	struct nlmsghdr *h;
	struct nlmsgerr *e;
	ssize_t n;

	for (;;) {
		if ((n = recv(o->fd, buf.b, sizeof(buf.b), 0)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (h = &buf.nh; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != o->seq)
				continue;
			if (h->nlmsg_type == RTM_NEWROUTE)
				return ((struct rtmsg *)NLMSG_DATA(h))->rtm_type == RTN_LOCAL;
			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			e = NLMSG_DATA(h);
			if (e->error == 0)
				continue;
			/*
			 * No route (unreachable, prohibited, a blackhole, a family
			 * the kernel lacks): no address of this host.
			 */
			if (e->error == -ENETUNREACH || e->error == -EHOSTUNREACH ||
			    e->error == -EACCES || e->error == -EINVAL || e->error == -EAFNOSUPPORT)
				return 0;
			errno = e->error < 0 ? -e->error : EPROTO;
			return -1;
		}
	}
}

int
own_addr(void *arg, const unsigned char a[MCP_ADDR_LEN])
{
	struct own *o = arg;
	int r;

	if (o->fd == -1 && own_open(o) == -1)
		return -1;
	if (ask(o, a) == -1 || (r = answer(o)) == -1) {
		/* A socket that failed once is made anew for the next question. */
		r = errno;
		own_close(o);
		errno = r;
		return -1;
	}
	return r;
}

void
own_close(struct own *o)
{
	if (o->fd != -1)
		close(o->fd);
	o->fd = -1;
}
