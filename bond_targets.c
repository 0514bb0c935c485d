// SPDX-License-Identifier: GPL-2.0
/*
 * The ARP and NS target lists: the bond's (arp_ip_target, ns_ip6_target)
 * and each slave's own (bonding_slave/arp_ip_target, ns_ip6_target). One
 * set of rules for all: up to 16 addresses, no duplicates, no address that
 * cannot answer (0.0.0.0 and 255.255.255.255; ::, ::1 and multicast), "+a"
 * adds and "-a" removes, the in-tree messages. A refused change leaves the
 * list as it was. Lists are kept packed (the first empty slot ends them);
 * writers hold RTNL, the monitor reads them under RCU.
 */

#include <linux/netdevice.h>
#include <linux/inet.h>
#include <linux/rtnetlink.h>
#include <net/ipv6.h>
#include <net/addrconf.h>
#include <net/ndisc.h>
#include <net/netlink.h>

#include "bond.h"
#include "bond_mode.h"
#include "bond_options.h"

static bool bond_arp_target_ok(__be32 ip)
{
	return !ipv4_is_lbcast(ip) && !ipv4_is_zeronet(ip);
}

static bool bond_ns_target_ok(const struct in6_addr *ip)
{
	return !ipv6_addr_any(ip) && !ipv6_addr_loopback(ip) &&
	       !ipv6_addr_is_multicast(ip);
}

/* The slot of @ip in list @t, or -1. */
int bond_arp_find(const __be32 *t, __be32 ip)
{
	int i;

	for (i = 0; i < BOND_MAX_ARP_TARGETS && t[i]; i++)
		if (t[i] == ip)
			return i;
	return -1;
}

static int bond_arp_count(const __be32 *t)
{
	int n = 0;

	while (n < BOND_MAX_ARP_TARGETS && t[n])
		n++;
	return n;
}

static int bond_ns_find(const struct in6_addr *t, const struct in6_addr *ip)
{
	int i;

	for (i = 0; i < BOND_MAX_NS_TARGETS && !ipv6_addr_any(&t[i]); i++)
		if (ipv6_addr_equal(&t[i], ip))
			return i;
	return -1;
}

static int bond_ns_count(const struct in6_addr *t)
{
	int n = 0;

	while (n < BOND_MAX_NS_TARGETS && !ipv6_addr_any(&t[n]))
		n++;
	return n;
}

/* The bond-wide lists keep a receive time per target in every slave. */
static void bond_targets_rx_moved(struct bonding *bond, int slot, bool added)
{
	struct slave *slave;
	int i;

	bond_for_each_slave(bond, slave) {
		unsigned long *rx = slave->target_rx;

		if (added) {
			WRITE_ONCE(rx[slot], jiffies);
			continue;
		}
		for (i = slot; i < BOND_MAX_ARP_TARGETS - 1; i++)
			WRITE_ONCE(rx[i], READ_ONCE(rx[i + 1]));
		WRITE_ONCE(rx[i], 0);
	}
}

/* ---- IPv4 --------------------------------------------------------------- */

static int bond_arp_add(struct net_device *dev, __be32 *t, __be32 ip)
{
	int n = bond_arp_count(t);

	if (!bond_arp_target_ok(ip)) {
		netdev_err(dev, "invalid ARP target %pI4 specified for addition\n", &ip);
		return -EINVAL;
	}
	if (bond_arp_find(t, ip) >= 0) {
		netdev_err(dev, "ARP target %pI4 is already present\n", &ip);
		return -EINVAL;
	}
	if (n == BOND_MAX_ARP_TARGETS) {
		netdev_err(dev, "ARP target table is full!\n");
		return -EINVAL;
	}
	WRITE_ONCE(t[n], ip);
	return n;
}

static int bond_arp_del(struct net_device *dev, __be32 *t, __be32 ip)
{
	int i, at;

	if (!bond_arp_target_ok(ip)) {
		netdev_err(dev, "invalid ARP target %pI4 specified for removal\n", &ip);
		return -EINVAL;
	}
	at = bond_arp_find(t, ip);
	if (at < 0) {
		netdev_err(dev, "unable to remove nonexistent ARP target %pI4\n", &ip);
		return -EINVAL;
	}
	for (i = at; i < BOND_MAX_ARP_TARGETS - 1; i++)
		WRITE_ONCE(t[i], t[i + 1]);
	WRITE_ONCE(t[i], 0);
	return at;
}

/* "+a.b.c.d" or "-a.b.c.d" on list @t; returns the slot changed. */
static int bond_arp_edit(struct net_device *dev, __be32 *t, const char *cmd,
			 bool *added)
{
	__be32 ip;

	if (!cmd[0] || !in4_pton(cmd + 1, -1, (u8 *)&ip, -1, NULL)) {
		netdev_err(dev, "invalid ARP target specified\n");
		return -EPERM;
	}
	*added = cmd[0] == '+';
	if (cmd[0] == '+')
		return bond_arp_add(dev, t, ip);
	if (cmd[0] == '-')
		return bond_arp_del(dev, t, ip);
	netdev_err(dev, "no command found in arp_ip_targets file - use +<addr> or -<addr>\n");
	return -EPERM;
}

int bond_arp_targets_edit(struct bonding *bond, const char *cmd)
{
	__be32 *t = bond->params.arp_targets;
	bool added;
	int slot;

	ASSERT_RTNL();
	slot = bond_arp_edit(bond->dev, t, cmd, &added);
	if (slot < 0)
		return slot;
	bond_targets_rx_moved(bond, slot, added);
	if (!added && !t[0] && bond->params.arp_interval)
		netdev_warn(bond->dev, "Removing last arp target with arp_interval on\n");
	return 0;
}

/*
 * A slave was given an own target. One that is up keeps a fresh grace
 * before it is judged by its own targets. One that is not up has heard
 * nothing from them and comes up only by a reply: its last hearing goes
 * back further than any of the monitor's windows reaches (they run half
 * an interval into the future).
 */
static void bond_slave_own_target_added(struct slave *slave)
{
	struct bond_params *p = &slave->bond->params;
	unsigned long heard = jiffies;

	if (slave->link != BOND_SLAVE_LINK_UP)
		heard -= (p->missed_max + 2) * msecs_to_jiffies(p->arp_interval);
	WRITE_ONCE(slave->own_rx, heard);
}

int bond_slave_arp_targets_edit(struct slave *slave, const char *cmd)
{
	const char *end;
	bool added;
	__be32 ip;
	int slot;

	ASSERT_RTNL();
	/* stricter than the bond's file: nothing may follow the address */
	if (cmd[0] && (!in4_pton(cmd + 1, -1, (u8 *)&ip, -1, &end) || *end)) {
		netdev_err(slave->bond->dev, "invalid ARP target specified\n");
		return -EPERM;
	}
	slot = bond_arp_edit(slave->bond->dev, slave->own_arp, cmd, &added);
	if (slot < 0)
		return slot;
	if (added)
		bond_slave_own_target_added(slave);
	return 0;
}

/* ---- IPv6 --------------------------------------------------------------- */

static int bond_ns_add(struct net_device *dev, struct in6_addr *t,
		       const struct in6_addr *ip)
{
	int n = bond_ns_count(t);

	if (!bond_ns_target_ok(ip)) {
		netdev_err(dev, "invalid NS target %pI6c specified for addition\n", ip);
		return -EINVAL;
	}
	if (bond_ns_find(t, ip) >= 0) {
		netdev_err(dev, "NS target %pI6c is already present\n", ip);
		return -EINVAL;
	}
	if (n == BOND_MAX_NS_TARGETS) {
		netdev_err(dev, "NS target table is full!\n");
		return -EINVAL;
	}
	t[n] = *ip;
	return n;
}

static int bond_ns_del(struct net_device *dev, struct in6_addr *t,
		       const struct in6_addr *ip)
{
	int i, at = bond_ns_find(t, ip);

	if (at < 0) {
		netdev_err(dev, "unable to remove nonexistent NS target %pI6c\n", ip);
		return -EINVAL;
	}
	for (i = at; i < BOND_MAX_NS_TARGETS - 1; i++)
		t[i] = t[i + 1];
	t[i] = in6addr_any;
	return at;
}

/* A slave's own NS targets, by sysfs: "+2001:db8::1" or "-2001:db8::1". */
int bond_slave_ns_targets_edit(struct slave *slave, const char *cmd)
{
	struct net_device *dev = slave->bond->dev;
	struct in6_addr ip;
	const char *end;
	int slot;

	ASSERT_RTNL();
	if (!cmd[0] || (cmd[0] != '+' && cmd[0] != '-') ||
	    !in6_pton(cmd + 1, -1, ip.s6_addr, -1, &end) || *end) {
		netdev_err(dev, "invalid NS target specified\n");
		return -EPERM;
	}
	if (cmd[0] == '+') {
		slot = bond_ns_add(dev, slave->own_ns, &ip);
		if (slot >= 0)
			bond_slave_own_target_added(slave);
	} else {
		slot = bond_ns_del(dev, slave->own_ns, &ip);
	}
	return slot < 0 ? slot : 0;
}

/* ---- NS targets' multicast groups on backups ---------------------------- */

/*
 * A backup of a validating active-backup bond must hear the active slave's
 * NS probes, sent to each target's solicited-node group: it joins those
 * groups. The groups joined are those of bond::ns_maddr_list, which
 * bond_ns_maddrs_sync() keeps equal to the target list.
 */
static void bond_ns_maddrs_set(struct slave *slave, const struct in6_addr *t,
			       bool add)
{
	char mac[MAX_ADDR_LEN];
	struct in6_addr mc;
	int i;

	for (i = 0; i < BOND_MAX_NS_TARGETS && !ipv6_addr_any(&t[i]); i++) {
		addrconf_addr_solict_mult(&t[i], &mc);
		if (ndisc_mc_map(&mc, mac, slave->dev, 0))
			continue;
		if (add)
			dev_mc_add(slave->dev, mac);
		else
			dev_mc_del(slave->dev, mac);
	}
}

/* Join or leave as the slave's role says; @gone: it is being released. */
void bond_ns_maddrs_slave(struct bonding *bond, struct slave *slave, bool gone)
{
	bool want = !gone && bond->mode->tx_active_only &&
		    bond->params.arp_validate && slave->backup &&
		    (slave->dev->flags & IFF_MULTICAST);

	ASSERT_RTNL();
	if (slave->ns_maddrs == want)
		return;
	bond_ns_maddrs_set(slave, bond->ns_maddr_list, want);
	slave->ns_maddrs = want;
}

/* After arp_validate, the NS targets or the mode changed. */
void bond_ns_maddrs_sync(struct bonding *bond)
{
	struct in6_addr *now = bond->params.ns_targets;
	struct slave *slave;

	ASSERT_RTNL();
	if (memcmp(bond->ns_maddr_list, now, sizeof(bond->ns_maddr_list))) {
		bond_for_each_slave(bond, slave)
			if (slave->ns_maddrs)
				bond_ns_maddrs_set(slave, bond->ns_maddr_list, false);
		memcpy(bond->ns_maddr_list, now, sizeof(bond->ns_maddr_list));
		bond_for_each_slave(bond, slave)
			if (slave->ns_maddrs)
				bond_ns_maddrs_set(slave, now, true);
	}
	bond_for_each_slave(bond, slave)
		bond_ns_maddrs_slave(bond, slave, false);
}

/* ---- netlink: a nested list replaces the bond's list -------------------- */

int bond_nl_set_arp_targets(struct bonding *bond, const struct nlattr *nest,
			    struct netlink_ext_ack *extack)
{
	__be32 t[BOND_MAX_ARP_TARGETS] = {};
	const struct nlattr *a;
	int rem, i, ret;

	nla_for_each_nested(a, nest, rem) {
		if (nla_len(a) < sizeof(__be32)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "Invalid IPv4 address");
			return -EINVAL;
		}
		ret = bond_arp_add(bond->dev, t, nla_get_be32(a));
		if (ret < 0) {
			NL_SET_ERR_MSG_ATTR(extack, a, "invalid option value");
			return ret;
		}
	}
	for (i = 0; i < BOND_MAX_ARP_TARGETS; i++) {
		if (bond->params.arp_targets[i] != t[i])
			bond_targets_rx_moved(bond, i, true);
		WRITE_ONCE(bond->params.arp_targets[i], t[i]);
	}
	if (!t[0] && bond->params.arp_interval)
		netdev_warn(bond->dev, "Removing last arp target with arp_interval on\n");
	return 0;
}

int bond_nl_set_ns_targets(struct bonding *bond, const struct nlattr *nest,
			   struct netlink_ext_ack *extack)
{
	struct in6_addr t[BOND_MAX_NS_TARGETS] = {};
	const struct nlattr *a;
	struct in6_addr ip;
	int rem, i, ret;

	nla_for_each_nested(a, nest, rem) {
		if (nla_len(a) < sizeof(ip)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "Invalid IPv6 address");
			return -EINVAL;
		}
		ip = nla_get_in6_addr(a);
		ret = bond_ns_add(bond->dev, t, &ip);
		if (ret < 0) {
			NL_SET_ERR_MSG_ATTR(extack, a, "invalid option value");
			return ret;
		}
	}
	for (i = 0; i < BOND_MAX_NS_TARGETS; i++) {
		if (!ipv6_addr_equal(&bond->params.ns_targets[i], &t[i]))
			bond_targets_rx_moved(bond, i, true);
		bond->params.ns_targets[i] = t[i];
	}
	if (ipv6_addr_any(&t[0]) && bond->params.arp_interval)
		netdev_warn(bond->dev, "Removing last ns target with arp_interval on\n");
	bond_ns_maddrs_sync(bond);
	return 0;
}

int bond_nl_fill_targets(struct sk_buff *skb, struct bonding *bond)
{
	struct nlattr *nest;
	int i;

	if (bond->params.arp_targets[0]) {
		nest = nla_nest_start_noflag(skb, IFLA_BOND_ARP_IP_TARGET);
		if (!nest)
			return -EMSGSIZE;
		for (i = 0; i < BOND_MAX_ARP_TARGETS && bond->params.arp_targets[i]; i++)
			if (nla_put_be32(skb, i, bond->params.arp_targets[i]))
				return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	if (!ipv6_addr_any(&bond->params.ns_targets[0])) {
		nest = nla_nest_start_noflag(skb, IFLA_BOND_NS_IP6_TARGET);
		if (!nest)
			return -EMSGSIZE;
		for (i = 0; i < BOND_MAX_NS_TARGETS &&
		     !ipv6_addr_any(&bond->params.ns_targets[i]); i++)
			if (nla_put_in6_addr(skb, i, &bond->params.ns_targets[i]))
				return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

/* ---- text: sysfs and /proc ---------------------------------------------- */

/* sysfs: "a b c\n", nothing at all when empty. */
int bond_arp_targets_show(const __be32 *t, char *buf)
{
	int i, len = 0;

	for (i = 0; i < BOND_MAX_ARP_TARGETS && t[i]; i++)
		len += sysfs_emit_at(buf, len, "%s%pI4", i ? " " : "", &t[i]);
	if (len)
		len += sysfs_emit_at(buf, len, "\n");
	return len;
}

int bond_ns_targets_show(const struct in6_addr *t, char *buf)
{
	int i, len = 0;

	for (i = 0; i < BOND_MAX_NS_TARGETS && !ipv6_addr_any(&t[i]); i++)
		len += sysfs_emit_at(buf, len, "%s%pI6c", i ? " " : "", &t[i]);
	if (len)
		len += sysfs_emit_at(buf, len, "\n");
	return len;
}

/* /proc: " a, b" after the caller's label, then a newline. */
void bond_arp_targets_seq(struct seq_file *seq, const __be32 *t)
{
	int i;

	for (i = 0; i < BOND_MAX_ARP_TARGETS && t[i]; i++)
		seq_printf(seq, "%s %pI4", i ? "," : "", &t[i]);
	seq_puts(seq, "\n");
}

void bond_ns_targets_seq(struct seq_file *seq, const struct in6_addr *t)
{
	int i;

	for (i = 0; i < BOND_MAX_NS_TARGETS && !ipv6_addr_any(&t[i]); i++)
		seq_printf(seq, "%s %pI6c", i ? "," : "", &t[i]);
	seq_puts(seq, "\n");
}
