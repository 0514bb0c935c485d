// SPDX-License-Identifier: GPL-2.0
/*
 * The transmit hash policies (xmit_hash_policy) of the modes that spread
 * flows over slaves by hash. A flow must land on the slave the in-tree
 * driver would pick for the same set of slaves (peers, switches and tests
 * rely on it), so each policy computes the in-tree value:
 *
 *   layer2       last byte of both MACs, xor the ethertype
 *   layer2+3     that, xor the IP addresses, folded
 *   layer3+4     ports (or ICMP echo id) xor the IP addresses, folded, >> 1
 *   encap2+3/4   the same over the flow dissector's innermost headers; the
 *                skb's L4 hash when the stack already has one (encap3+4)
 *   vlan+srcmac  VLAN tag xor both halves of the source MAC
 *
 * Layer 3/4 read the outer IPv4/IPv6 header only (no extension headers), and
 * an ICMP error is hashed by the packet it quotes, so it follows its flow.
 * Lockless: called under RCU in the transmit path, and for XDP frames.
 */

#include <linux/skbuff.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/if_vlan.h>
#include <net/ip.h>
#include <net/flow_dissector.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/xdp.h>

#include "bond.h"
#include "bond_mode.h"
#include "bond_hash.h"

/* What the encap policies ask of the flow dissector. */
static const struct flow_dissector_key bond_encap_keys[] = {
	{ FLOW_DISSECTOR_KEY_CONTROL, offsetof(struct flow_keys, control) },
	{ FLOW_DISSECTOR_KEY_BASIC, offsetof(struct flow_keys, basic) },
	{ FLOW_DISSECTOR_KEY_IPV4_ADDRS, offsetof(struct flow_keys, addrs.v4addrs) },
	{ FLOW_DISSECTOR_KEY_IPV6_ADDRS, offsetof(struct flow_keys, addrs.v6addrs) },
	{ FLOW_DISSECTOR_KEY_TIPC, offsetof(struct flow_keys, addrs.tipckey) },
	{ FLOW_DISSECTOR_KEY_PORTS, offsetof(struct flow_keys, ports) },
	{ FLOW_DISSECTOR_KEY_ICMP, offsetof(struct flow_keys, icmp) },
	{ FLOW_DISSECTOR_KEY_VLAN, offsetof(struct flow_keys, vlan) },
	{ FLOW_DISSECTOR_KEY_FLOW_LABEL, offsetof(struct flow_keys, tags) },
	{ FLOW_DISSECTOR_KEY_GRE_KEYID, offsetof(struct flow_keys, keyid) },
};

static struct flow_dissector bond_encap_dissector __read_mostly;

void __init bond_hash_init(void)
{
	skb_flow_dissector_init(&bond_encap_dissector, bond_encap_keys,
				ARRAY_SIZE(bond_encap_keys));
}

/* The packet's headers, from an skb (pulled as needed) or a linear buffer. */
struct bond_pkt {
	struct sk_buff *skb;	/* NULL for XDP */
	const void *data;
	int hlen;		/* bytes readable at data */
	__be16 proto;		/* L3 protocol */
	int nhoff;		/* L3 header offset */
};

/* @n bytes from the start, or NULL. May move skb->data's buffer. */
static const void *bond_pkt_bytes(struct bond_pkt *p, int n)
{
	if (n <= p->hlen)
		return p->data;
	if (p->skb && pskb_may_pull(p->skb, n)) {
		p->data = p->skb->data;
		p->hlen = skb_headlen(p->skb);
		return p->data;
	}
	return NULL;
}

static u32 bond_hash_l2(struct bond_pkt *p)
{
	const struct ethhdr *eth = bond_pkt_bytes(p, sizeof(*eth));

	if (!eth)
		return 0;
	return eth->h_dest[5] ^ eth->h_source[5] ^ be16_to_cpu(eth->h_proto);
}

static u32 bond_hash_vlan_srcmac(struct bond_pkt *p)
{
	const struct ethhdr *eth = bond_pkt_bytes(p, sizeof(*eth));
	const u8 *s;
	u32 tag = 0;

	if (!eth)
		return 0;
	s = eth->h_source;
	if (p->skb && skb_vlan_tag_present(p->skb))
		tag = skb_vlan_tag_get(p->skb);
	return tag ^ (s[0] << 16 | s[1] << 8 | s[2]) ^ (s[3] << 16 | s[4] << 8 | s[5]);
}

/*
 * The IP header at *@off: its addresses into @fk, *@off past it, and its
 * transport protocol in *@l4 (-1 for a fragment); ports too if @ports.
 */
static bool bond_hash_ip(struct bond_pkt *p, struct flow_keys *fk, int *off,
			 int *l4, bool ports)
{
	const struct ipv6hdr *ip6;
	const struct iphdr *ip4;
	const void *d;

	if (p->proto == htons(ETH_P_IP)) {
		d = bond_pkt_bytes(p, *off + sizeof(*ip4));
		if (!d)
			return false;
		ip4 = d + *off;
		fk->addrs.v4addrs.src = ip4->saddr;
		fk->addrs.v4addrs.dst = ip4->daddr;
		fk->control.addr_type = FLOW_DISSECTOR_KEY_IPV4_ADDRS;
		*off += ip4->ihl * 4;
		if (!ip_is_fragment(ip4))
			*l4 = ip4->protocol;
	} else if (p->proto == htons(ETH_P_IPV6)) {
		d = bond_pkt_bytes(p, *off + sizeof(*ip6));
		if (!d)
			return false;
		ip6 = d + *off;
		fk->addrs.v6addrs.src = ip6->saddr;
		fk->addrs.v6addrs.dst = ip6->daddr;
		fk->control.addr_type = FLOW_DISSECTOR_KEY_IPV6_ADDRS;
		*off += sizeof(*ip6);
		*l4 = ip6->nexthdr;
	} else {
		return false;
	}
	if (ports && *l4 >= 0)
		fk->ports.ports = __skb_flow_get_ports(p->skb, *off, *l4, p->data,
						       p->hlen);
	return true;
}

/* An ICMP error quotes the packet that caused it: the flow is that one's. */
static bool bond_hash_icmp(struct bond_pkt *p, struct flow_keys *fk, int off,
			   int l4, bool ports)
{
	bool v4 = l4 == IPPROTO_ICMP;

	skb_flow_get_icmp_tci(p->skb, &fk->icmp, p->data, off, p->hlen);
	if (v4 ? !icmp_is_err(fk->icmp.type) : !icmpv6_is_err(fk->icmp.type))
		return true;
	off += v4 ? sizeof(struct icmphdr) : sizeof(struct icmp6hdr);
	return bond_hash_ip(p, fk, &off, &l4, ports);
}

/* The headers the policy hashes, into @fk; false: use layer2. */
static bool bond_hash_dissect(struct bonding *bond, struct bond_pkt *p,
			      u8 policy, struct flow_keys *fk)
{
	bool ports = policy == BOND_XMIT_POLICY_LAYER34;
	int off = p->nhoff, l4 = -1;

	if (policy == BOND_XMIT_POLICY_ENCAP23 ||
	    policy == BOND_XMIT_POLICY_ENCAP34) {
		memset(fk, 0, sizeof(*fk));
		return __skb_flow_dissect(dev_net(bond->dev), p->skb,
					  &bond_encap_dissector, fk,
					  p->data, p->proto, p->nhoff, p->hlen, 0);
	}
	fk->ports.ports = 0;
	memset(&fk->icmp, 0, sizeof(fk->icmp));
	if (!bond_hash_ip(p, fk, &off, &l4, ports))
		return false;
	if (l4 == IPPROTO_ICMP || l4 == IPPROTO_ICMPV6)
		return bond_hash_icmp(p, fk, off, l4, ports);
	return true;
}

/* @hash (L2 or L4 part) with the addresses of @fk, folded. */
static u32 bond_hash_fold(u32 hash, const struct flow_keys *fk, u8 policy)
{
	hash ^= (__force u32)flow_get_u32_dst(fk) ^
		(__force u32)flow_get_u32_src(fk);
	hash ^= hash >> 16;
	hash ^= hash >> 8;
	/* ports are often even: the lowest bit would split flows badly */
	if (policy == BOND_XMIT_POLICY_LAYER34 ||
	    policy == BOND_XMIT_POLICY_ENCAP34)
		return hash >> 1;
	return hash;
}

static u32 bond_hash_pkt(struct bonding *bond, struct bond_pkt *p)
{
	u8 policy = READ_ONCE(bond->params.xmit_policy);
	struct flow_keys fk;
	u32 hash;

	if (policy == BOND_XMIT_POLICY_VLAN_SRCMAC)
		return bond_hash_vlan_srcmac(p);
	if (policy == BOND_XMIT_POLICY_LAYER2 ||
	    !bond_hash_dissect(bond, p, policy, &fk))
		return bond_hash_l2(p);

	if (policy == BOND_XMIT_POLICY_LAYER23 ||
	    policy == BOND_XMIT_POLICY_ENCAP23)
		hash = bond_hash_l2(p);
	else if (fk.icmp.id)
		memcpy(&hash, &fk.icmp, sizeof(hash));
	else
		memcpy(&hash, &fk.ports.ports, sizeof(hash));
	return bond_hash_fold(hash, &fk, policy);
}

/*
 * The layer3+4 hash of what a connected socket sends, without a packet: the
 * value its packets hash to (kTLS device offload binds the socket to the
 * slave they take).
 */
u32 bond_sk_hash_l34(const struct sock *sk)
{
	const struct inet_sock *inet = inet_sk(sk);
	struct flow_keys fk = {};
	u32 hash;

	fk.ports.src = inet->inet_sport;
	fk.ports.dst = inet->inet_dport;
	fk.control.addr_type = FLOW_DISSECTOR_KEY_IPV4_ADDRS;
	fk.addrs.v4addrs.src = sk->sk_rcv_saddr;
	fk.addrs.v4addrs.dst = sk->sk_daddr;
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6 && !ipv6_addr_v4mapped(&sk->sk_v6_daddr)) {
		fk.control.addr_type = FLOW_DISSECTOR_KEY_IPV6_ADDRS;
		fk.addrs.v6addrs.src = sk->sk_v6_rcv_saddr;
		fk.addrs.v6addrs.dst = sk->sk_v6_daddr;
	}
#endif
	memcpy(&hash, &fk.ports.ports, sizeof(hash));
	return bond_hash_fold(hash, &fk, BOND_XMIT_POLICY_LAYER34);
}

u32 bond_xmit_hash(struct bonding *bond, struct sk_buff *skb)
{
	struct bond_pkt p = {
		.skb = skb,
		.data = skb->data,
		.hlen = skb_headlen(skb),
		.proto = skb->protocol,
		.nhoff = skb_network_offset(skb),
	};

	if (READ_ONCE(bond->params.xmit_policy) == BOND_XMIT_POLICY_ENCAP34 &&
	    skb->l4_hash)
		return skb->hash;
	return bond_hash_pkt(bond, &p);
}

u32 bond_xmit_hash_xdp(struct bonding *bond, struct xdp_buff *xdp)
{
	const struct ethhdr *eth = xdp->data;
	struct bond_pkt p = {
		.data = xdp->data,
		.hlen = xdp->data_end - xdp->data,
		.nhoff = sizeof(*eth),
	};

	if (p.hlen < (int)sizeof(*eth))
		return 0;
	p.proto = eth->h_proto;
	return bond_hash_pkt(bond, &p);
}

/* What LAG offloads are told about the hash in use. */
enum netdev_lag_hash bond_lag_hash_type(struct bonding *bond)
{
	static const enum netdev_lag_hash types[] = {
		[BOND_XMIT_POLICY_LAYER2] = NETDEV_LAG_HASH_L2,
		[BOND_XMIT_POLICY_LAYER34] = NETDEV_LAG_HASH_L34,
		[BOND_XMIT_POLICY_LAYER23] = NETDEV_LAG_HASH_L23,
		[BOND_XMIT_POLICY_ENCAP23] = NETDEV_LAG_HASH_E23,
		[BOND_XMIT_POLICY_ENCAP34] = NETDEV_LAG_HASH_E34,
		[BOND_XMIT_POLICY_VLAN_SRCMAC] = NETDEV_LAG_HASH_VLAN_SRCMAC,
	};
	u8 policy = bond->params.xmit_policy;

	if (bond->mode->lag_tx_type != NETDEV_LAG_TX_TYPE_HASH ||
	    policy >= ARRAY_SIZE(types))
		return NETDEV_LAG_HASH_NONE;
	return types[policy];
}
