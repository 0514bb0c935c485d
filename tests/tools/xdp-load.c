// SPDX-License-Identifier: GPL-2.0
/*
 * xdp-load: attach a two-instruction XDP program (return a fixed action) to
 * a network device, or detach whatever XDP program it has, for the bonding
 * behaviour tests. No libbpf, no compiler for BPF: the program is built by
 * hand and loaded with the raw bpf(2) syscall, and attached over rtnetlink
 * (RTM_SETLINK with a nested IFLA_XDP holding IFLA_XDP_FD and IFLA_XDP_FLAGS).
 *
 *   xdp-load DEV pass|drop|tx|aborted [drv|skb]   attach
 *   xdp-load DEV off [drv|skb]                    detach (fd -1)
 *
 * DEV is a name or an ifindex in the current network namespace. Without
 * drv/skb the kernel picks the mode (native when the driver has ndo_bpf).
 * On failure it prints "xdp-load: ERRNO_NAME (strerror): extack message"
 * on stderr and exits 1; the errno name makes the message easy to match.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static const char *errno_name(int e)
{
	switch (e) {
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EINVAL: return "EINVAL";
	case EEXIST: return "EEXIST";
	case EBUSY: return "EBUSY";
	case ENODEV: return "ENODEV";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case ERANGE: return "ERANGE";
	case ENOSPC: return "ENOSPC";
	case E2BIG: return "E2BIG";
	default: return "E?";
	}
}

static int load_prog(int action)
{
	/* r0 = action; exit */
	struct bpf_insn insns[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = action },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	static char log[4096];
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_XDP;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = 2;
	attr.license = (uintptr_t)"GPL";
	attr.log_buf = (uintptr_t)log;
	attr.log_size = sizeof(log);
	attr.log_level = 1;
	memcpy(attr.prog_name, "bt_xdp", 7);
	fd = syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd < 0) {
		int e = errno;

		fprintf(stderr, "xdp-load: %s (%s): BPF_PROG_LOAD failed\n%s\n",
			errno_name(e), strerror(e), log);
		exit(1);
	}
	return fd;
}

struct req {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	char attrs[64];
};

static void put_attr(struct req *r, int type, const void *data, int len)
{
	struct nlattr *a = (struct nlattr *)((char *)r + NLMSG_ALIGN(r->nh.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static int set_xdp(int ifindex, int prog_fd, uint32_t flags)
{
	struct req r;
	struct nlattr *nest;
	char buf[8192];
	int one = 1, s, n;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (s < 0) {
		perror("xdp-load: socket");
		exit(1);
	}
	setsockopt(s, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(s, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	memset(&r, 0, sizeof(r));
	r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	r.nh.nlmsg_type = RTM_SETLINK;
	r.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	r.nh.nlmsg_seq = 1;
	r.ifi.ifi_family = AF_UNSPEC;
	r.ifi.ifi_index = ifindex;

	nest = (struct nlattr *)((char *)&r + NLMSG_ALIGN(r.nh.nlmsg_len));
	put_attr(&r, IFLA_XDP | NLA_F_NESTED, NULL, 0);
	put_attr(&r, IFLA_XDP_FD, &prog_fd, sizeof(prog_fd));
	if (flags)
		put_attr(&r, IFLA_XDP_FLAGS, &flags, sizeof(flags));
	nest->nla_len = (char *)&r + r.nh.nlmsg_len - (char *)nest;

	if (sendto(s, &r, r.nh.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("xdp-load: sendto");
		exit(1);
	}
	n = recv(s, buf, sizeof(buf), 0);
	if (n < 0) {
		perror("xdp-load: recv");
		exit(1);
	}
	for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (unsigned int)n);
	     h = NLMSG_NEXT(h, n)) {
		struct nlmsgerr *err;
		const char *msg = "";
		int e;

		if (h->nlmsg_type != NLMSG_ERROR)
			continue;
		err = NLMSG_DATA(h);
		if (!err->error)
			return 0;
		e = -err->error;
		if (h->nlmsg_flags & NLM_F_ACK_TLVS) {
			/* with NETLINK_CAP_ACK only the request's header is echoed */
			char *p = (char *)err + sizeof(*err);
			char *end = (char *)h + h->nlmsg_len;

			while (p + NLA_HDRLEN <= end) {
				struct nlattr *a = (struct nlattr *)p;

				if (a->nla_len < NLA_HDRLEN)
					break;
				if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
					msg = p + NLA_HDRLEN;
				p += NLA_ALIGN(a->nla_len);
			}
		}
		fprintf(stderr, "xdp-load: %s (%s): %s\n", errno_name(e), strerror(e), msg);
		exit(1);
	}
	fprintf(stderr, "xdp-load: no netlink acknowledgement\n");
	exit(1);
}

int main(int argc, char **argv)
{
	uint32_t flags = 0;
	int ifindex, action, fd = -1;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: %s DEV pass|drop|tx|aborted|off [drv|skb]\n", argv[0]);
		return 2;
	}
	ifindex = if_nametoindex(argv[1]);
	if (!ifindex)
		ifindex = atoi(argv[1]);
	if (ifindex <= 0) {
		fprintf(stderr, "xdp-load: no device %s\n", argv[1]);
		return 1;
	}
	if (argc == 4) {
		if (!strcmp(argv[3], "drv"))
			flags = XDP_FLAGS_DRV_MODE;
		else if (!strcmp(argv[3], "skb"))
			flags = XDP_FLAGS_SKB_MODE;
		else {
			fprintf(stderr, "xdp-load: mode is drv or skb\n");
			return 2;
		}
	}
	if (!strcmp(argv[2], "off"))
		return set_xdp(ifindex, -1, flags);
	if (!strcmp(argv[2], "pass"))
		action = XDP_PASS;
	else if (!strcmp(argv[2], "drop"))
		action = XDP_DROP;
	else if (!strcmp(argv[2], "tx"))
		action = XDP_TX;
	else if (!strcmp(argv[2], "aborted"))
		action = XDP_ABORTED;
	else {
		fprintf(stderr, "xdp-load: unknown action %s\n", argv[2]);
		return 2;
	}
	fd = load_prog(action);
	return set_xdp(ifindex, fd, flags);
}
