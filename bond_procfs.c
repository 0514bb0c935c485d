// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/bonding/<bond>: one directory per network namespace and one
 * read-only file per bond, which follows the bond's renames.
 */

#include <linux/proc_fs.h>
#include <linux/ethtool.h>
#include <linux/seq_file.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <generated/utsrelease.h>
#include <net/net_namespace.h>
#include <net/ipv6.h>

#include "bond.h"
#include "bond_mode.h"
#include "bond_options.h"
#include "bond_iface.h"

static void bond_proc_show_master(struct seq_file *seq, struct bonding *bond)
{
	const struct bond_mode *mode = bond->mode;
	const struct bond_opt_value *v;
	struct slave *curr, *prim;
	int mii = bond->params.miimon;

	seq_printf(seq, "Bonding Mode: %s", mode->proc_name);
	if (mode->failover && bond->params.fail_over_mac) {
		v = bond_opt_value_of(BOND_OPT_FAIL_OVER_MAC, bond->params.fail_over_mac);
		seq_printf(seq, " (fail_over_mac %s)", v->name);
	}
	seq_puts(seq, "\n");

	if (bond_mode_uses_hash(mode, bond->params.tlb_dynamic_lb)) {
		v = bond_opt_value_of(BOND_OPT_XMIT_HASH, bond->params.xmit_policy);
		seq_printf(seq, "Transmit Hash Policy: %s (%d)\n", v->name,
			   bond->params.xmit_policy);
	}

	if (mode->has_active) {
		prim = rcu_dereference(bond->primary_slave);
		curr = rcu_dereference(bond->curr_active_slave);
		seq_printf(seq, "Primary Slave: %s", prim ? prim->dev->name : "None");
		if (prim) {
			v = bond_opt_value_of(BOND_OPT_PRIMARY_RESELECT,
					      bond->params.primary_reselect);
			seq_printf(seq, " (primary_reselect %s)", v->name);
		}
		seq_printf(seq, "\nCurrently Active Slave: %s\n",
			   curr ? curr->dev->name : "None");
	}

	seq_printf(seq, "MII Status: %s\n", netif_carrier_ok(bond->dev) ? "up" : "down");
	seq_printf(seq, "MII Polling Interval (ms): %d\n", mii);
	seq_printf(seq, "Up Delay (ms): %d\n", bond->params.updelay * mii);
	seq_printf(seq, "Down Delay (ms): %d\n", bond->params.downdelay * mii);
	seq_printf(seq, "Peer Notification Delay (ms): %d\n",
		   bond->params.peer_notif_delay * mii);
	if (bond->params.arp_interval > 0) {
		seq_printf(seq, "ARP Polling Interval (ms): %d\n", bond->params.arp_interval);
		seq_printf(seq, "ARP Missed Max: %u\n", bond->params.missed_max);
		seq_puts(seq, "ARP IP target/s (n.n.n.n form):");
		bond_arp_targets_seq(seq, bond->params.arp_targets);
		seq_puts(seq, "NS IPv6 target/s (xx::xx form):");
		bond_ns_targets_seq(seq, bond->params.ns_targets);
	}
}

/* 802.3ad's section: the settings, then (admins only) the system and the active LAG. */
static void bond_proc_show_lacp(struct seq_file *seq, struct bonding *bond)
{
	const struct bond_mode *mode = READ_ONCE(bond->mode);
	const struct bond_opt_value *v;
	struct bond_agg_info info = { };
	bool active;

	if (!mode->agg_info)
		return;
	seq_puts(seq, "\n802.3ad info\n");
	seq_printf(seq, "LACP active: %s\n", READ_ONCE(bond->params.lacp_active) ? "on" : "off");
	seq_printf(seq, "LACP rate: %s\n", READ_ONCE(bond->params.lacp_fast) ? "fast" : "slow");
	seq_printf(seq, "Min links: %d\n", READ_ONCE(bond->params.min_links));
	v = bond_opt_value_of(BOND_OPT_AD_SELECT, READ_ONCE(bond->params.ad_select));
	seq_printf(seq, "Aggregator selection policy (ad_select): %s\n", v ? v->name : "?");
	if (!capable(CAP_NET_ADMIN))
		return;
	active = mode->agg_info(bond, &info);
	seq_printf(seq, "System priority: %d\n", info.sys_prio);
	seq_printf(seq, "System MAC address: %pM\n", info.sys);
	if (!active) {
		seq_printf(seq, "bond %s has no active aggregator\n", bond->dev->name);
		return;
	}
	seq_puts(seq, "Active Aggregator Info:\n");
	seq_printf(seq, "\tAggregator ID: %d\n", info.id);
	seq_printf(seq, "\tNumber of ports: %d\n", info.ports);
	seq_printf(seq, "\tActor Key: %d\n", info.actor_key);
	seq_printf(seq, "\tPartner Key: %d\n", info.partner_key);
	seq_printf(seq, "\tPartner Mac Address: %pM\n", info.partner_system);
}

static const char *bond_churn_name(u8 state)
{
	static const char *const names[] = { "monitoring", "churned", "none" };

	return state < ARRAY_SIZE(names) ? names[state] : "unknown";
}

static void bond_proc_show_lacp_side(struct seq_file *seq, const char *what,
				     const char *key, const struct bond_lacp_side *s)
{
	seq_printf(seq, "details %s lacp pdu:\n", what);
	seq_printf(seq, "    system priority: %d\n", s->sys_prio);
	seq_printf(seq, "    system mac address: %pM\n", s->sys);
	seq_printf(seq, "    %s: %d\n", key, s->key);
	seq_printf(seq, "    port priority: %d\n", s->port_prio);
	seq_printf(seq, "    port number: %d\n", s->port);
	seq_printf(seq, "    port state: %d\n", s->state);
}

/* One port of an aggregating mode. */
static void bond_proc_show_port(struct seq_file *seq, struct bonding *bond,
				struct slave *slave)
{
	const struct bond_mode *mode = READ_ONCE(bond->mode);
	struct bond_port_info pi = { };

	if (!mode->port_info)
		return;
	if (!mode->port_info(bond, slave, &pi)) {
		seq_puts(seq, "Aggregator ID: N/A\n");
		return;
	}
	seq_printf(seq, "Aggregator ID: %d\n", pi.agg_id);
	seq_printf(seq, "Actor Churn State: %s\n", bond_churn_name(pi.actor_churn));
	seq_printf(seq, "Partner Churn State: %s\n", bond_churn_name(pi.partner_churn));
	seq_printf(seq, "Actor Churned Count: %d\n", pi.actor_churn_count);
	seq_printf(seq, "Partner Churned Count: %d\n", pi.partner_churn_count);
	if (!capable(CAP_NET_ADMIN))
		return;
	bond_proc_show_lacp_side(seq, "actor", "port key", &pi.actor);
	bond_proc_show_lacp_side(seq, "partner", "oper key", &pi.partner);
}

static void bond_proc_show_slave(struct seq_file *seq, struct bonding *bond,
				 struct slave *slave)
{
	seq_printf(seq, "\nSlave Interface: %s\n", slave->dev->name);
	seq_printf(seq, "MII Status: %s\n", bond_slave_link_name(READ_ONCE(slave->link)));
	if (slave->speed == SPEED_UNKNOWN)
		seq_puts(seq, "Speed: Unknown\n");
	else
		seq_printf(seq, "Speed: %u Mbps\n", slave->speed);
	if (slave->duplex == DUPLEX_UNKNOWN)
		seq_puts(seq, "Duplex: Unknown\n");
	else
		seq_printf(seq, "Duplex: %s\n", slave->duplex ? "full" : "half");
	seq_printf(seq, "Link Failure Count: %u\n", READ_ONCE(slave->link_failure_count));
	seq_printf(seq, "Permanent HW addr: %*phC\n", slave->dev->addr_len,
		   slave->perm_hwaddr);
	seq_printf(seq, "Slave queue ID: %d\n", READ_ONCE(slave->queue_id));
	bond_proc_show_port(seq, bond, slave);
	/* a slave's own targets (ours), only where it has some */
	if (slave->own_arp[0]) {
		seq_puts(seq, "ARP IP target/s (n.n.n.n form):");
		bond_arp_targets_seq(seq, slave->own_arp);
	}
	if (!ipv6_addr_any(&slave->own_ns[0])) {
		seq_puts(seq, "NS IPv6 target/s (xx::xx form):");
		bond_ns_targets_seq(seq, slave->own_ns);
	}
}

/* The whole file in one go, under RCU: a bond has at most a few slaves. */
static int bond_proc_show(struct seq_file *seq, void *v)
{
	struct bonding *bond = seq->private;
	struct slave *slave;

	seq_printf(seq, "%s: v%s\n\n", BOND_DRV_DESC, UTS_RELEASE);
	rcu_read_lock();
	bond_proc_show_master(seq, bond);
	bond_proc_show_lacp(seq, bond);
	bond_for_each_slave_rcu(bond, slave)
		bond_proc_show_slave(seq, bond, slave);
	rcu_read_unlock();
	return 0;
}

void __net_init bond_procfs_net_init(struct bond_net *bn)
{
	bn->proc_dir = proc_mkdir(BOND_DRV_NAME, bn->net->proc_net);
	if (!bn->proc_dir)
		pr_warn("Warning: Cannot create /proc/net/%s\n", BOND_DRV_NAME);
}

void __net_exit bond_procfs_net_exit(struct bond_net *bn)
{
	if (bn->proc_dir)
		remove_proc_entry(BOND_DRV_NAME, bn->net->proc_net);
	bn->proc_dir = NULL;
}

void bond_procfs_add(struct bonding *bond)
{
	struct bond_net *bn = bond_net_of(dev_net(bond->dev));

	ASSERT_RTNL();
	if (!bn->proc_dir)
		return;
	bond->proc_entry = proc_create_single_data(bond->dev->name, 0444,
						   bn->proc_dir,
						   bond_proc_show, bond);
	if (!bond->proc_entry) {
		netdev_warn(bond->dev, "Cannot create /proc/net/%s/%s\n",
			    BOND_DRV_NAME, bond->dev->name);
	}
}

/* proc_remove() waits for readers still inside bond_proc_show(). */
void bond_procfs_del(struct bonding *bond)
{
	ASSERT_RTNL();
	if (!bond->proc_entry)
		return;
	proc_remove(bond->proc_entry);
	bond->proc_entry = NULL;
}

void bond_procfs_rename(struct bonding *bond)
{
	bond_procfs_del(bond);
	bond_procfs_add(bond);
}
