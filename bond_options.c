// SPDX-License-Identifier: GPL-2.0
/*
 * The bond options: one table drives module parameters, sysfs and netlink.
 *
 * A value arrives as a string (sysfs, module parameters) or a number
 * (netlink). bond_opt_set() checks the option may change now (mode, slaves,
 * up/down), parses the value against the option's named values and range,
 * and calls the setter; a refusal changes nothing and says why, in dmesg
 * and, over netlink, in the extack. Everything here runs under RTNL.
 */

#include <linux/ctype.h>
#include <linux/etherdevice.h>
#include <linux/if_bonding.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/netlink.h>
#include <net/ipv6.h>

#include "bond.h"
#include "bond_mode.h"
#include "bond_options.h"
#include "bond_iface.h"

/* ---- named values and ranges (the in-tree names and numbers) ------------ */

static const struct bond_opt_value bond_mode_vals[] = {
	{ "balance-rr",    BOND_MODE_ROUNDROBIN,   BOND_VAL_DEFAULT },
	{ "active-backup", BOND_MODE_ACTIVEBACKUP, 0 },
	{ "balance-xor",   BOND_MODE_XOR,          0 },
	{ "broadcast",     BOND_MODE_BROADCAST,    0 },
	{ "802.3ad",       BOND_MODE_8023AD,       0 },
	{ "balance-tlb",   BOND_MODE_TLB,          0 },
	{ "balance-alb",   BOND_MODE_ALB,          0 },
	{ }
};

static const struct bond_opt_value bond_intmax_vals[] = {
	{ "off",    0,       BOND_VAL_DEFAULT },
	{ "maxval", INT_MAX, BOND_VAL_MAX },
	{ }
};

static const struct bond_opt_value bond_peer_notif_delay_vals[] = {
	{ "off",    0,      0 },
	{ "maxval", 300000, BOND_VAL_MAX },
	{ }
};

static const struct bond_opt_value bond_on_vals[] = {	/* default on */
	{ "off", 0, 0 },
	{ "on",  1, BOND_VAL_DEFAULT },
	{ }
};

static const struct bond_opt_value bond_off_vals[] = {	/* default off */
	{ "off", 0, BOND_VAL_DEFAULT },
	{ "on",  1, 0 },
	{ }
};

static const struct bond_opt_value bond_primary_reselect_vals[] = {
	{ "always",  BOND_PRI_RESELECT_ALWAYS,  BOND_VAL_DEFAULT },
	{ "better",  BOND_PRI_RESELECT_BETTER,  0 },
	{ "failure", BOND_PRI_RESELECT_FAILURE, 0 },
	{ }
};

static const struct bond_opt_value bond_fail_over_mac_vals[] = {
	{ "none",   BOND_FOM_NONE,   BOND_VAL_DEFAULT },
	{ "active", BOND_FOM_ACTIVE, 0 },
	{ "follow", BOND_FOM_FOLLOW, 0 },
	{ }
};

static const struct bond_opt_value bond_xmit_hash_vals[] = {
	{ "layer2",      BOND_XMIT_POLICY_LAYER2,      BOND_VAL_DEFAULT },
	{ "layer3+4",    BOND_XMIT_POLICY_LAYER34,     0 },
	{ "layer2+3",    BOND_XMIT_POLICY_LAYER23,     0 },
	{ "encap2+3",    BOND_XMIT_POLICY_ENCAP23,     0 },
	{ "encap3+4",    BOND_XMIT_POLICY_ENCAP34,     0 },
	{ "vlan+srcmac", BOND_XMIT_POLICY_VLAN_SRCMAC, 0 },
	{ }
};

static const struct bond_opt_value bond_arp_validate_vals[] = {
	{ "none",          BOND_ARP_VALIDATE_NONE,   BOND_VAL_DEFAULT },
	{ "active",        BOND_ARP_VALIDATE_ACTIVE, 0 },
	{ "backup",        BOND_ARP_VALIDATE_BACKUP, 0 },
	{ "all",           BOND_ARP_VALIDATE_ALL,    0 },
	{ "filter",        BOND_ARP_FILTER,          0 },
	{ "filter_active", BOND_ARP_FILTER_ACTIVE,   0 },
	{ "filter_backup", BOND_ARP_FILTER_BACKUP,   0 },
	{ }
};

static const struct bond_opt_value bond_arp_all_targets_vals[] = {
	{ "any", BOND_ARP_TARGETS_ANY, BOND_VAL_DEFAULT },
	{ "all", BOND_ARP_TARGETS_ALL, 0 },
	{ }
};

static const struct bond_opt_value bond_missed_max_vals[] = {
	{ "minval",  1,   BOND_VAL_MIN },
	{ "maxval",  255, BOND_VAL_MAX },
	{ "default", 2,   BOND_VAL_DEFAULT },
	{ }
};

static const struct bond_opt_value bond_byte_default1_vals[] = {
	{ "off",     0,   0 },
	{ "maxval",  255, BOND_VAL_MAX },
	{ "default", 1,   BOND_VAL_DEFAULT },
	{ }
};

static const struct bond_opt_value bond_pps_vals[] = {
	{ "default", 1,         BOND_VAL_DEFAULT },
	{ "maxval",  USHRT_MAX, BOND_VAL_MAX },
	{ }
};

static const struct bond_opt_value bond_lp_interval_vals[] = {
	{ "minval", 1,       BOND_VAL_MIN | BOND_VAL_DEFAULT },
	{ "maxval", INT_MAX, BOND_VAL_MAX },
	{ }
};

/* No default: in-tree refuses "default" here. */
static const struct bond_opt_value bond_lacp_rate_vals[] = {
	{ "slow", BOND_LACP_SLOW, 0 },
	{ "fast", BOND_LACP_FAST, 0 },
	{ }
};

static const struct bond_opt_value bond_failover_relink_vals[] = {
	{ "off",    0,     BOND_VAL_MIN | BOND_VAL_DEFAULT },
	{ "maxval", 60000, BOND_VAL_MAX },
	{ }
};

static const struct bond_opt_value bond_lacp_fallback_vals[] = {
	{ "legacy", BOND_LACP_FALLBACK_LEGACY, BOND_VAL_DEFAULT },
	{ "strict", BOND_LACP_FALLBACK_STRICT, 0 },
	{ }
};

static const struct bond_opt_value bond_ad_select_vals[] = {
	{ "stable",    BOND_AD_SELECT_STABLE,    BOND_VAL_DEFAULT },
	{ "bandwidth", BOND_AD_SELECT_BANDWIDTH, 0 },
	{ "count",     BOND_AD_SELECT_COUNT,     0 },
	{ }
};

static const struct bond_opt_value bond_ad_actor_sys_prio_vals[] = {
	{ "minval", 1,     BOND_VAL_MIN },
	{ "maxval", 65535, BOND_VAL_MAX | BOND_VAL_DEFAULT },
	{ }
};

static const struct bond_opt_value bond_ad_user_port_key_vals[] = {
	{ "minval", 0,    BOND_VAL_MIN | BOND_VAL_DEFAULT },
	{ "maxval", 1023, BOND_VAL_MAX },
	{ }
};

/* ---- setters and getters ------------------------------------------------ */

/*
 * A mode that needs the slaves' speed and duplex runs the MII monitor: the
 * ARP monitor goes, and miimon is 100 if it was off, as in-tree. The bond
 * is down, so neither monitor runs now.
 */
static void bond_mode_needs_miimon(struct bonding *bond)
{
	WRITE_ONCE(bond->params.arp_interval, 0);
	bond_rx_tap_update(bond);
	if (!bond->params.miimon)
		WRITE_ONCE(bond->params.miimon, BOND_DEFAULT_MIIMON);
}

static int bond_set_mode(struct bonding *bond, const struct bond_opt_arg *arg,
			 struct netlink_ext_ack *extack)
{
	const struct bond_mode *mode = bond_mode_get(arg->num);
	int ret;

	if (!mode) {
		netdev_err(bond->dev, "option mode: %s is not implemented by this bonding.ko yet\n",
			   bond_mode_name(arg->num));
		NL_SET_ERR_MSG(extack, "bonding mode not implemented yet");
		return -EOPNOTSUPP;
	}
	if (mode == bond->mode) {
		bond_xfrm_mode_set(bond, mode);	/* as in-tree: wanted again */
		return 0;
	}
	ret = bond_xdp_mode_check(bond, mode, bond->params.xmit_policy);
	if (ret) {
		NL_SET_ERR_MSG(extack, "The mode does not support the bond's XDP program");
		return ret;
	}
	/* the mode's needs first: the ARP monitor's tap may not meet the mode's */
	if (mode->needs_speed_duplex)
		bond_mode_needs_miimon(bond);
	ret = bond_mode_switch(bond, mode);
	if (ret)
		return ret;
	bond->params.mode = mode->id;
	/* as in-tree: alb balances by load, whatever tlb_dynamic_lb said */
	if (mode->id == BOND_MODE_ALB)
		bond->params.tlb_dynamic_lb = 1;
	WRITE_ONCE(bond->params.arp_validate, BOND_ARP_VALIDATE_NONE);
	bond_abi_sync_mode(bond);
	bond_xfrm_mode_set(bond, mode);
	return 0;
}

static u64 bond_get_mode(struct bonding *bond)
{
	return bond->params.mode;
}

/* The MII and ARP monitors exclude each other: starting one stops the other. */
static int bond_set_miimon(struct bonding *bond, const struct bond_opt_arg *arg,
			   struct netlink_ext_ack *extack)
{
	WRITE_ONCE(bond->params.miimon, arg->num);
	if (arg->num && bond->params.arp_interval) {
		netdev_dbg(bond->dev, "MII monitoring cannot be used with ARP monitoring - disabling ARP monitoring...\n");
		WRITE_ONCE(bond->params.arp_interval, 0);
		WRITE_ONCE(bond->params.arp_validate, BOND_ARP_VALIDATE_NONE);
		bond_ns_maddrs_sync(bond);
		bond_arpmon_stop(bond);
		bond_rx_tap_update(bond);
	}
	if (arg->num)
		bond_monitor_start(bond);
	else
		cancel_delayed_work(&bond->mii_work);
	return 0;
}

static int bond_set_arp_interval(struct bonding *bond, const struct bond_opt_arg *arg,
				 struct netlink_ext_ack *extack)
{
	WRITE_ONCE(bond->params.arp_interval, arg->num);
	bond_rx_tap_update(bond);
	if (arg->num && bond->params.miimon) {
		netdev_dbg(bond->dev, "ARP monitoring cannot be used with MII monitoring. Disabling MII monitoring\n");
		WRITE_ONCE(bond->params.miimon, 0);
		cancel_delayed_work(&bond->mii_work);
	}
	if (arg->num && !bond->params.arp_targets[0] &&
	    ipv6_addr_any(&bond->params.ns_targets[0]))
		netdev_dbg(bond->dev, "ARP monitoring has been set up, but no ARP targets have been specified\n");
	if (arg->num)
		bond_arpmon_start(bond);
	else
		bond_arpmon_stop(bond);
	return 0;
}

static u64 bond_get_arp_interval(struct bonding *bond)
{
	return bond->params.arp_interval;
}

static int bond_set_arp_targets(struct bonding *bond, const struct bond_opt_arg *arg,
				struct netlink_ext_ack *extack)
{
	return bond_arp_targets_edit(bond, arg->str);
}

static int bond_show_arp_targets(struct bonding *bond, char *buf)
{
	return bond_arp_targets_show(bond->params.arp_targets, buf);
}

static int bond_set_arp_validate(struct bonding *bond, const struct bond_opt_arg *arg,
				 struct netlink_ext_ack *extack)
{
	WRITE_ONCE(bond->params.arp_validate, arg->num);
	bond_ns_maddrs_sync(bond);
	return 0;
}

static u64 bond_get_arp_validate(struct bonding *bond)
{
	return bond->params.arp_validate;
}

static int bond_set_arp_all_targets(struct bonding *bond, const struct bond_opt_arg *arg,
				    struct netlink_ext_ack *extack)
{
	WRITE_ONCE(bond->params.arp_all_targets, arg->num);
	return 0;
}

static u64 bond_get_arp_all_targets(struct bonding *bond)
{
	return bond->params.arp_all_targets;
}

static int bond_set_missed_max(struct bonding *bond, const struct bond_opt_arg *arg,
			       struct netlink_ext_ack *extack)
{
	WRITE_ONCE(bond->params.missed_max, arg->num);
	return 0;
}

static u64 bond_get_missed_max(struct bonding *bond)
{
	return bond->params.missed_max;
}

static u64 bond_get_miimon(struct bonding *bond)
{
	return bond->params.miimon;
}

/* The delays are kept as a count of miimon intervals, as in-tree. */
static int bond_set_delay(struct bonding *bond, const char *what, u64 ms,
			  int *ticks)
{
	int miimon = bond->params.miimon;

	if (!miimon) {
		netdev_err(bond->dev, "Unable to set %s as MII monitoring is disabled\n",
			   what);
		return -EPERM;
	}
	if (ms % miimon)
		netdev_warn(bond->dev, "%s (%llu) is not a multiple of miimon (%d), value rounded to %llu ms\n",
			    what, ms, miimon, ms / miimon * miimon);
	*ticks = ms / miimon;
	return 0;
}

static int bond_set_updelay(struct bonding *bond, const struct bond_opt_arg *arg,
			    struct netlink_ext_ack *extack)
{
	return bond_set_delay(bond, "up delay", arg->num, &bond->params.updelay);
}

static int bond_set_downdelay(struct bonding *bond, const struct bond_opt_arg *arg,
			      struct netlink_ext_ack *extack)
{
	return bond_set_delay(bond, "down delay", arg->num, &bond->params.downdelay);
}

static int bond_set_peer_notif_delay(struct bonding *bond,
				     const struct bond_opt_arg *arg,
				     struct netlink_ext_ack *extack)
{
	return bond_set_delay(bond, "peer notification delay", arg->num,
			      &bond->params.peer_notif_delay);
}

/*
 * A delay in ms, kept as miimon ticks: miimon can grow after the delay was
 * set, and the product then wraps at 32 bits, as in-tree's does (sysfs
 * shows it as an int: BOND_OPTF_INT).
 */
static u32 bond_delay_ms(struct bonding *bond, int ticks)
{
	return (u32)ticks * (u32)bond->params.miimon;
}

static u64 bond_get_updelay(struct bonding *bond)
{
	return bond_delay_ms(bond, bond->params.updelay);
}

static u64 bond_get_downdelay(struct bonding *bond)
{
	return bond_delay_ms(bond, bond->params.downdelay);
}

static u64 bond_get_peer_notif_delay(struct bonding *bond)
{
	return bond_delay_ms(bond, bond->params.peer_notif_delay);
}

static int bond_set_use_carrier(struct bonding *bond, const struct bond_opt_arg *arg,
				struct netlink_ext_ack *extack)
{
	WRITE_ONCE(bond->params.use_carrier, arg->num);
	bond_monitor_kick(bond);
	return 0;
}

static u64 bond_get_use_carrier(struct bonding *bond)
{
	return bond->params.use_carrier;
}

/* A name longer than an interface name can be is refused, not truncated. */
static int bond_check_ifname(struct bonding *bond, const char *opt,
			     const char *name, struct netlink_ext_ack *extack)
{
	if (strlen(name) < IFNAMSIZ)
		return 0;
	netdev_err(bond->dev, "option %s: interface name %s is longer than %d characters\n",
		   opt, name, IFNAMSIZ - 1);
	NL_SET_ERR_MSG(extack, "interface name too long");
	return -EINVAL;
}

static int bond_set_primary(struct bonding *bond, const struct bond_opt_arg *arg,
			    struct netlink_ext_ack *extack)
{
	int ret = bond_check_ifname(bond, "primary", arg->str, extack);

	if (ret)
		return ret;
	strscpy_pad(bond->params.primary, arg->str, IFNAMSIZ);
	if (arg->str[0] && !bond_has_slaves(bond))
		netdev_info(bond->dev, "Recording %s as primary, but it has not been enslaved yet\n",
			    arg->str);
	bond_primary_changed(bond);
	return 0;
}

static int bond_show_primary(struct bonding *bond, char *buf)
{
	struct slave *prim = rcu_dereference(bond->primary_slave);

	return prim ? sysfs_emit(buf, "%s\n", prim->dev->name) : 0;
}

static int bond_set_primary_reselect(struct bonding *bond,
				     const struct bond_opt_arg *arg,
				     struct netlink_ext_ack *extack)
{
	bond->params.primary_reselect = arg->num;
	bond_select_active(bond);
	return 0;
}

static u64 bond_get_primary_reselect(struct bonding *bond)
{
	return bond->params.primary_reselect;
}

static int bond_set_active(struct bonding *bond, const struct bond_opt_arg *arg,
			   struct netlink_ext_ack *extack)
{
	struct net_device *dev = NULL;
	int ret;

	if (arg->str[0]) {
		ret = bond_check_ifname(bond, "active_slave", arg->str, extack);
		if (ret)
			return ret;
		dev = __dev_get_by_name(dev_net(bond->dev), arg->str);
		if (!dev)
			return -ENODEV;
	}
	return bond_set_active_slave(bond, dev, extack);
}

static int bond_show_active(struct bonding *bond, char *buf)
{
	struct slave *curr = bond_shown_active_rcu(bond);

	return curr ? sysfs_emit(buf, "%s\n", curr->dev->name) : 0;
}

static int bond_set_fail_over_mac(struct bonding *bond,
				  const struct bond_opt_arg *arg,
				  struct netlink_ext_ack *extack)
{
	bond->params.fail_over_mac = arg->num;
	return 0;
}

static u64 bond_get_fail_over_mac(struct bonding *bond)
{
	return bond->params.fail_over_mac;
}

static int bond_set_resend_igmp(struct bonding *bond, const struct bond_opt_arg *arg,
				struct netlink_ext_ack *extack)
{
	bond->params.resend_igmp = arg->num;
	return 0;
}

static u64 bond_get_resend_igmp(struct bonding *bond)
{
	return bond->params.resend_igmp;
}

static int bond_set_num_peer_notif(struct bonding *bond,
				   const struct bond_opt_arg *arg,
				   struct netlink_ext_ack *extack)
{
	bond->params.num_peer_notif = arg->num;
	return 0;
}

static u64 bond_get_num_peer_notif(struct bonding *bond)
{
	return bond->params.num_peer_notif;
}

static int bond_set_all_slaves_active(struct bonding *bond,
				      const struct bond_opt_arg *arg,
				      struct netlink_ext_ack *extack)
{
	struct slave *slave;

	bond->params.all_slaves_active = arg->num;
	/* as in-tree, only backups change (no slave is one in tlb and alb) */
	bond_for_each_slave(bond, slave)
		if (slave->backup)
			bond_slave_set_roles(slave, true, !arg->num);
	return 0;
}

static u64 bond_get_all_slaves_active(struct bonding *bond)
{
	return bond->params.all_slaves_active;
}

static int bond_set_xmit_hash(struct bonding *bond, const struct bond_opt_arg *arg,
			      struct netlink_ext_ack *extack)
{
	int ret = bond_xdp_mode_check(bond, bond->mode, arg->num);

	if (ret) {
		NL_SET_ERR_MSG(extack, "The hash policy does not support the bond's XDP program");
		return ret;
	}
	WRITE_ONCE(bond->params.xmit_policy, arg->num);
	return 0;
}

static u64 bond_get_xmit_hash(struct bonding *bond)
{
	return bond->params.xmit_policy;
}

/* Carrier needs min_links usable slaves in 802.3ad; kept for it elsewhere. */
static int bond_set_min_links(struct bonding *bond, const struct bond_opt_arg *arg,
			      struct netlink_ext_ack *extack)
{
	bond->params.min_links = arg->num;
	bond_set_carrier(bond);
	return 0;
}

static u64 bond_get_min_links(struct bonding *bond)
{
	return bond->params.min_links;
}

static int bond_set_pps(struct bonding *bond, const struct bond_opt_arg *arg,
			struct netlink_ext_ack *extack)
{
	WRITE_ONCE(bond->params.packets_per_slave, arg->num);
	return 0;
}

static u64 bond_get_pps(struct bonding *bond)
{
	return bond->params.packets_per_slave;
}

/* sysfs "slaves": "+name" enslaves, "-name" releases. */
static int bond_set_slaves(struct bonding *bond, const struct bond_opt_arg *arg,
			   struct netlink_ext_ack *extack)
{
	const char *name = arg->str + 1;
	struct net_device *dev;
	int ret;

	if ((arg->str[0] != '+' && arg->str[0] != '-') || !dev_valid_name(name)) {
		netdev_err(bond->dev, "no command found in slaves file - use +ifname or -ifname\n");
		return -EPERM;
	}
	ret = bond_check_ifname(bond, "slaves", name, extack);
	if (ret)
		return ret;
	dev = __dev_get_by_name(dev_net(bond->dev), name);
	if (!dev) {
		netdev_dbg(bond->dev, "interface %s does not exist!\n", name);
		return -ENODEV;
	}
	if (arg->str[0] == '+') {
		netdev_info(bond->dev, "Adding slave %s\n", dev->name);
		return bond_enslave(bond->dev, dev, NULL);
	}
	netdev_info(bond->dev, "Removing slave %s\n", dev->name);
	return bond_release(bond->dev, dev);
}

static int bond_show_slaves(struct bonding *bond, char *buf)
{
	struct slave *slave;
	int len = 0;

	bond_for_each_slave_rcu(bond, slave) {
		if (len > PAGE_SIZE - IFNAMSIZ - 6) {
			len += sysfs_emit_at(buf, len, "++more++ ");
			break;
		}
		len += sysfs_emit_at(buf, len, "%s ", slave->dev->name);
	}
	if (len)
		buf[len - 1] = '\n';
	return len;
}

/* sysfs "queue_id": "name:qid" sets one slave's queue id. */
static int bond_set_queue_id(struct bonding *bond, const struct bond_opt_arg *arg,
			     struct netlink_ext_ack *extack)
{
	char name[IFNAMSIZ + 1];
	struct net_device *dev;
	const char *colon;
	struct slave *slave;
	u16 qid;

	colon = strchr(arg->str, ':');
	if (!colon || colon == arg->str || colon - arg->str >= IFNAMSIZ ||
	    kstrtou16(colon + 1, 10, &qid))
		goto err;
	memcpy(name, arg->str, colon - arg->str);
	name[colon - arg->str] = '\0';
	dev = __dev_get_by_name(dev_net(bond->dev), name);
	slave = dev ? bond_slave_of(dev) : NULL;
	if (!slave || slave->bond != bond)
		goto err;
	return bond_slave_set_queue_id(slave, qid, extack);
err:
	netdev_info(bond->dev, "invalid input for queue_id set\n");
	return -EPERM;
}

static int bond_show_queue_id(struct bonding *bond, char *buf)
{
	struct slave *slave;
	int len = 0;

	bond_for_each_slave_rcu(bond, slave) {
		if (len > PAGE_SIZE - IFNAMSIZ - 6) {
			len += sysfs_emit_at(buf, len, "++more++ ");
			break;
		}
		len += sysfs_emit_at(buf, len, "%s:%d ", slave->dev->name,
				     READ_ONCE(slave->queue_id));
	}
	if (len)
		buf[len - 1] = '\n';
	return len;
}

/* A queue id names a tx queue of the bond; 0 is "none" and may repeat. */
int bond_slave_set_queue_id(struct slave *slave, u16 qid,
			    struct netlink_ext_ack *extack)
{
	struct bonding *bond = slave->bond;
	struct slave *other;

	ASSERT_RTNL();
	if (qid > bond->dev->real_num_tx_queues)
		goto err;
	bond_for_each_slave(bond, other)
		if (qid && other != slave && other->queue_id == qid)
			goto err;
	WRITE_ONCE(slave->queue_id, qid);
	return 0;
err:
	netdev_info(bond->dev, "invalid input for queue_id set\n");
	NL_SET_ERR_MSG(extack, "invalid queue_id");
	return -EPERM;
}

/* A unicast MAC, "00:00:00:00:00:00" for the bond's own. */
static int bond_set_ad_actor_system(struct bonding *bond,
				    const struct bond_opt_arg *arg,
				    struct netlink_ext_ack *extack)
{
	u8 mac[ETH_ALEN];

	if (!mac_pton(arg->str, mac) || is_multicast_ether_addr(mac)) {
		netdev_err(bond->dev, "Invalid ad_actor_system MAC address.\n");
		NL_SET_ERR_MSG(extack, "invalid ad_actor_system MAC address");
		return -EINVAL;
	}
	ether_addr_copy(bond->params.ad_actor_system, mac);
	return 0;
}

static u64 bond_get_ad_actor_system(struct bonding *bond)
{
	return ether_addr_to_u64(bond->params.ad_actor_system);
}

static int bond_show_ad_actor_system(struct bonding *bond, char *buf)
{
	return sysfs_emit(buf, "%pM\n", bond->params.ad_actor_system);
}

/* ---- the table ---------------------------------------------------------- */

#define BOND_MODES_ACTIVE	(BIT(BOND_MODE_ACTIVEBACKUP) | BIT(BOND_MODE_TLB) | \
				 BIT(BOND_MODE_ALB))
#define BOND_MODES_LACP		BIT(BOND_MODE_8023AD)

static const struct bond_option bond_opts[BOND_OPT_COUNT] = {
	[BOND_OPT_MODE] = {
		.name = "mode", .values = bond_mode_vals, .modes = BOND_MODES_ALL,
		.flags = BOND_OPTF_NOSLAVES | BOND_OPTF_IFDOWN | BOND_OPTF_ENUM,
		.nla = IFLA_BOND_MODE, .nla_type = NLA_U8,
		.set = bond_set_mode, .get = bond_get_mode,
	},
	[BOND_OPT_ACTIVE_SLAVE] = {
		.name = "active_slave", .modes = BOND_MODES_ACTIVE,
		.flags = BOND_OPTF_RAW, .nla = IFLA_BOND_ACTIVE_SLAVE,
		.set = bond_set_active, .show = bond_show_active,
	},
	[BOND_OPT_MIIMON] = {
		.name = "miimon", .values = bond_intmax_vals, .modes = BOND_MODES_ALL,
		.nla = IFLA_BOND_MIIMON, .nla_type = NLA_U32,
		.set = bond_set_miimon, .get = bond_get_miimon,
	},
	[BOND_OPT_UPDELAY] = {
		.name = "updelay", .values = bond_intmax_vals, .modes = BOND_MODES_ALL,
		.flags = BOND_OPTF_INT,
		.nla = IFLA_BOND_UPDELAY, .nla_type = NLA_U32,
		.set = bond_set_updelay, .get = bond_get_updelay,
	},
	[BOND_OPT_DOWNDELAY] = {
		.name = "downdelay", .values = bond_intmax_vals, .modes = BOND_MODES_ALL,
		.flags = BOND_OPTF_INT,
		.nla = IFLA_BOND_DOWNDELAY, .nla_type = NLA_U32,
		.set = bond_set_downdelay, .get = bond_get_downdelay,
	},
	[BOND_OPT_PEER_NOTIF_DELAY] = {
		.name = "peer_notif_delay", .values = bond_peer_notif_delay_vals,
		.modes = BOND_MODES_ALL, .flags = BOND_OPTF_INT,
		.nla = IFLA_BOND_PEER_NOTIF_DELAY, .nla_type = NLA_U32,
		.set = bond_set_peer_notif_delay, .get = bond_get_peer_notif_delay,
	},
	[BOND_OPT_USE_CARRIER] = {
		.name = "use_carrier", .values = bond_on_vals, .modes = BOND_MODES_ALL,
		.nla = IFLA_BOND_USE_CARRIER, .nla_type = NLA_U8,
		.set = bond_set_use_carrier, .get = bond_get_use_carrier,
	},
	[BOND_OPT_ARP_INTERVAL] = {
		.name = "arp_interval", .values = bond_intmax_vals, .modes = BOND_MODES_ARP,
		.nla = IFLA_BOND_ARP_INTERVAL, .nla_type = NLA_U32,
		.set = bond_set_arp_interval, .get = bond_get_arp_interval,
	},
	/* netlink: a nested list, handled by bond_netlink.c */
	[BOND_OPT_ARP_TARGETS] = {
		.name = "arp_ip_target", .modes = BOND_MODES_ALL, .flags = BOND_OPTF_RAW,
		.nla = IFLA_BOND_ARP_IP_TARGET,
		.set = bond_set_arp_targets, .show = bond_show_arp_targets,
	},
	/* netlink only, as in-tree */
	[BOND_OPT_NS_TARGETS] = {
		.name = "ns_ip6_target", .modes = BOND_MODES_ALL,
		.nla = IFLA_BOND_NS_IP6_TARGET,
	},
	[BOND_OPT_ARP_VALIDATE] = {
		.name = "arp_validate", .values = bond_arp_validate_vals,
		.modes = BOND_MODES_ARP, .flags = BOND_OPTF_ENUM,
		.nla = IFLA_BOND_ARP_VALIDATE, .nla_type = NLA_U32,
		.set = bond_set_arp_validate, .get = bond_get_arp_validate,
	},
	[BOND_OPT_ARP_ALL_TARGETS] = {
		.name = "arp_all_targets", .values = bond_arp_all_targets_vals,
		.modes = BOND_MODES_ALL, .flags = BOND_OPTF_ENUM,
		.nla = IFLA_BOND_ARP_ALL_TARGETS, .nla_type = NLA_U32,
		.set = bond_set_arp_all_targets, .get = bond_get_arp_all_targets,
	},
	[BOND_OPT_PRIMARY] = {
		.name = "primary", .modes = BOND_MODES_ACTIVE, .flags = BOND_OPTF_RAW,
		.nla = IFLA_BOND_PRIMARY,
		.set = bond_set_primary, .show = bond_show_primary,
	},
	[BOND_OPT_PRIMARY_RESELECT] = {
		.name = "primary_reselect", .values = bond_primary_reselect_vals,
		.modes = BOND_MODES_ALL, .flags = BOND_OPTF_ENUM,
		.nla = IFLA_BOND_PRIMARY_RESELECT, .nla_type = NLA_U8,
		.set = bond_set_primary_reselect, .get = bond_get_primary_reselect,
	},
	[BOND_OPT_FAIL_OVER_MAC] = {
		.name = "fail_over_mac", .values = bond_fail_over_mac_vals,
		.modes = BOND_MODES_ALL, .flags = BOND_OPTF_NOSLAVES | BOND_OPTF_ENUM,
		.nla = IFLA_BOND_FAIL_OVER_MAC, .nla_type = NLA_U8,
		.set = bond_set_fail_over_mac, .get = bond_get_fail_over_mac,
	},
	[BOND_OPT_XMIT_HASH] = {
		.name = "xmit_hash_policy", .values = bond_xmit_hash_vals,
		.modes = BOND_MODES_ALL, .flags = BOND_OPTF_ENUM,
		.nla = IFLA_BOND_XMIT_HASH_POLICY, .nla_type = NLA_U8,
		.set = bond_set_xmit_hash, .get = bond_get_xmit_hash,
	},
	[BOND_OPT_RESEND_IGMP] = {
		.name = "resend_igmp", .values = bond_byte_default1_vals,
		.modes = BOND_MODES_ALL,
		.nla = IFLA_BOND_RESEND_IGMP, .nla_type = NLA_U32,
		.set = bond_set_resend_igmp, .get = bond_get_resend_igmp,
	},
	[BOND_OPT_NUM_PEER_NOTIF] = {
		.name = "num_grat_arp", .values = bond_byte_default1_vals,
		.modes = BOND_MODES_ALL,
		.nla = IFLA_BOND_NUM_PEER_NOTIF, .nla_type = NLA_U8,
		.set = bond_set_num_peer_notif, .get = bond_get_num_peer_notif,
	},
	/* the same setting under its other sysfs name, for the messages */
	[BOND_OPT_NUM_PEER_NOTIF_ALIAS] = {
		.name = "num_unsol_na", .values = bond_byte_default1_vals,
		.modes = BOND_MODES_ALL,
		.set = bond_set_num_peer_notif, .get = bond_get_num_peer_notif,
	},
	[BOND_OPT_ALL_SLAVES_ACTIVE] = {
		.name = "all_slaves_active", .values = bond_off_vals,
		.modes = BOND_MODES_ALL,
		.nla = IFLA_BOND_ALL_SLAVES_ACTIVE, .nla_type = NLA_U8,
		.set = bond_set_all_slaves_active, .get = bond_get_all_slaves_active,
	},
	[BOND_OPT_MIN_LINKS] = {
		.name = "min_links", .values = bond_intmax_vals,
		.modes = BOND_MODES_ALL,
		.nla = IFLA_BOND_MIN_LINKS, .nla_type = NLA_U32,
		.set = bond_set_min_links, .get = bond_get_min_links,
	},
	[BOND_OPT_LP_INTERVAL] = {
		.name = "lp_interval", .values = bond_lp_interval_vals,
		.modes = BOND_MODES_ALL,
		.nla = IFLA_BOND_LP_INTERVAL, .nla_type = NLA_U32,
		BOND_STORED(lp_interval),
	},
	[BOND_OPT_PACKETS_PER_SLAVE] = {
		.name = "packets_per_slave", .values = bond_pps_vals,
		.modes = BIT(BOND_MODE_ROUNDROBIN),
		.nla = IFLA_BOND_PACKETS_PER_SLAVE, .nla_type = NLA_U32,
		.set = bond_set_pps, .get = bond_get_pps,
	},
	[BOND_OPT_LACP_ACTIVE] = {
		.name = "lacp_active", .values = bond_on_vals, .modes = BOND_MODES_LACP,
		.flags = BOND_OPTF_IFDOWN | BOND_OPTF_ENUM,
		.nla = IFLA_BOND_AD_LACP_ACTIVE, .nla_type = NLA_U8,
		BOND_STORED(lacp_active),
	},
	[BOND_OPT_LACP_RATE] = {
		.name = "lacp_rate", .values = bond_lacp_rate_vals, .modes = BOND_MODES_LACP,
		.flags = BOND_OPTF_IFDOWN | BOND_OPTF_ENUM,
		.nla = IFLA_BOND_AD_LACP_RATE, .nla_type = NLA_U8,
		BOND_STORED(lacp_fast),
	},
	[BOND_OPT_AD_SELECT] = {
		.name = "ad_select", .values = bond_ad_select_vals, .modes = BOND_MODES_ALL,
		.flags = BOND_OPTF_IFDOWN | BOND_OPTF_ENUM,
		.nla = IFLA_BOND_AD_SELECT, .nla_type = NLA_U8,
		BOND_STORED(ad_select),
	},
	[BOND_OPT_AD_ACTOR_SYS_PRIO] = {
		.name = "ad_actor_sys_prio", .values = bond_ad_actor_sys_prio_vals,
		.modes = BOND_MODES_LACP, .flags = BOND_OPTF_PRIVATE,
		.nla = IFLA_BOND_AD_ACTOR_SYS_PRIO, .nla_type = NLA_U16,
		BOND_STORED(ad_actor_sys_prio),
	},
	[BOND_OPT_AD_USER_PORT_KEY] = {
		.name = "ad_user_port_key", .values = bond_ad_user_port_key_vals,
		.modes = BOND_MODES_LACP, .flags = BOND_OPTF_IFDOWN | BOND_OPTF_PRIVATE,
		.nla = IFLA_BOND_AD_USER_PORT_KEY, .nla_type = NLA_U16,
		BOND_STORED(ad_user_port_key),
	},
	/* netlink: the 6 bytes, handed to the setter as text */
	[BOND_OPT_AD_ACTOR_SYSTEM] = {
		.name = "ad_actor_system", .modes = BOND_MODES_LACP,
		.flags = BOND_OPTF_RAW | BOND_OPTF_PRIVATE,
		.nla = IFLA_BOND_AD_ACTOR_SYSTEM, .nla_type = NLA_BINARY,
		.set = bond_set_ad_actor_system, .get = bond_get_ad_actor_system,
		.show = bond_show_ad_actor_system,
	},
	[BOND_OPT_TLB_DYNAMIC_LB] = {
		.name = "tlb_dynamic_lb", .values = bond_on_vals,
		.modes = BIT(BOND_MODE_TLB) | BIT(BOND_MODE_ALB), .flags = BOND_OPTF_IFDOWN,
		.nla = IFLA_BOND_TLB_DYNAMIC_LB, .nla_type = NLA_U8,
		BOND_STORED(tlb_dynamic_lb),
	},
	[BOND_OPT_MISSED_MAX] = {
		.name = "arp_missed_max", .values = bond_missed_max_vals,
		.modes = BOND_MODES_ARP,
		.nla = IFLA_BOND_MISSED_MAX, .nla_type = NLA_U8,
		.set = bond_set_missed_max, .get = bond_get_missed_max,
	},
	/* netlink only, as in-tree */
	[BOND_OPT_COUPLED_CONTROL] = {
		.name = "coupled_control", .values = bond_on_vals, .modes = BOND_MODES_LACP,
		.flags = BOND_OPTF_IFDOWN,
		.nla = IFLA_BOND_COUPLED_CONTROL, .nla_type = NLA_U8,
		BOND_STORED(coupled_control),
	},
	/*
	 * Ours, sysfs only (no upstream netlink number yet): strict keeps the
	 * bond without carrier, and silent, until a port negotiates with an
	 * LACP partner, where legacy (in-tree) sends alone on one port.
	 */
	[BOND_OPT_LACP_FALLBACK] = {
		.name = "lacp_fallback", .values = bond_lacp_fallback_vals,
		.modes = BOND_MODES_LACP, .flags = BOND_OPTF_ENUM,
		BOND_STORED(lacp_fallback),
	},
	/*
	 * Ours, sysfs and module parameter only, like lacp_fallback: ms
	 * without carrier after a failover, so that DHCP clients ask the
	 * new slave's network (bond_active.c). Only active-backup's change
	 * of active is a failover (struct bond_mode::failover).
	 */
	[BOND_OPT_FAILOVER_RELINK] = {
		.name = "failover_relink", .values = bond_failover_relink_vals,
		.modes = BIT(BOND_MODE_ACTIVEBACKUP),
		BOND_STORED(failover_relink),
	},
	[BOND_OPT_SLAVES] = {
		.name = "slaves", .modes = BOND_MODES_ALL, .flags = BOND_OPTF_RAW,
		.set = bond_set_slaves, .show = bond_show_slaves,
	},
	[BOND_OPT_QUEUE_ID] = {
		.name = "queue_id", .modes = BOND_MODES_ALL, .flags = BOND_OPTF_RAW,
		.set = bond_set_queue_id, .show = bond_show_queue_id,
	},
};

const struct bond_option *bond_opt_get(enum bond_opt_id id)
{
	return id < BOND_OPT_COUNT ? &bond_opts[id] : NULL;
}

/* ---- parsing, checking and setting -------------------------------------- */

/*
 * A stored option is a u32 field of bond_params the core only writes: the
 * modes that use it read it when they need it (802.3ad, tlb, alb), and in
 * other modes it means nothing, as in-tree.
 */
#define BOND_STORED_U32(field) \
	static_assert(sizeof_field(struct bond_params, field) == sizeof(u32))
BOND_STORED_U32(lp_interval);
BOND_STORED_U32(lacp_active);
BOND_STORED_U32(lacp_fast);
BOND_STORED_U32(ad_select);
BOND_STORED_U32(ad_actor_sys_prio);
BOND_STORED_U32(ad_user_port_key);
BOND_STORED_U32(tlb_dynamic_lb);
BOND_STORED_U32(coupled_control);
BOND_STORED_U32(lacp_fallback);
BOND_STORED_U32(failover_relink);

static u32 *bond_opt_field(struct bonding *bond, const struct bond_option *opt)
{
	WARN_ON_ONCE(!opt->stored_off);
	return (u32 *)((u8 *)&bond->params + opt->stored_off);
}

/* Option @id's value as a number (sysfs, netlink; RCU or RTNL). */
u64 bond_opt_value(struct bonding *bond, enum bond_opt_id id)
{
	const struct bond_option *opt = &bond_opts[id];

	if (opt->get)
		return opt->get(bond);
	return READ_ONCE(*bond_opt_field(bond, opt));
}

static const struct bond_opt_value *bond_opt_flagged(const struct bond_option *opt,
						     u32 flag)
{
	const struct bond_opt_value *v;

	for (v = opt->values; v && v->name; v++)
		if (v->flags & flag)
			return v;
	return NULL;
}

const struct bond_opt_value *bond_opt_value_of(enum bond_opt_id id, u64 value)
{
	const struct bond_opt_value *v;

	for (v = bond_opts[id].values; v && v->name; v++)
		if (v->value == value)
			return v;
	return NULL;
}

/*
 * A number must be one of the named values or, where the option has a
 * range (a max), within it. A word must be a value's name, or "default".
 */
static int bond_opt_parse(const struct bond_option *opt, const struct bond_opt_arg *in,
			  u64 *out)
{
	const struct bond_opt_value *v, *min, *max;
	char word[33];
	const char *p;
	u64 num;

	if (in->str) {
		/* the first word of the value, as much of it as a name can be */
		p = skip_spaces(in->str);
		strscpy(word, p, min_t(size_t, sizeof(word), strcspn(p, " \t") + 1));
		if (in->str[strspn(in->str, "0123456789 \t")]) {
			for (v = opt->values; v && v->name; v++) {
				if (!strcmp(word, v->name) ||
				    (!strcmp(word, "default") && (v->flags & BOND_VAL_DEFAULT))) {
					*out = v->value;
					return 0;
				}
			}
			return -EINVAL;
		}
		/* leading zeros say nothing: a long run of them must not cut the digits */
		while (p[0] == '0' && isdigit(p[1]))
			p++;
		strscpy(word, p, min_t(size_t, sizeof(word), strcspn(p, " \t") + 1));
		if (kstrtou64(word, 10, &num))
			return -EINVAL;
	} else {
		num = in->num;
	}

	for (v = opt->values; v && v->name; v++) {
		if (v->value == num) {
			*out = num;
			return 0;
		}
	}
	min = bond_opt_flagged(opt, BOND_VAL_MIN);
	max = bond_opt_flagged(opt, BOND_VAL_MAX);
	if (!max || num > max->value || (min && num < min->value))
		return -EINVAL;
	*out = num;
	return 0;
}

static int bond_opt_check(struct bonding *bond, const struct bond_option *opt)
{
	if (!(opt->modes & BIT(bond->params.mode)))
		return -EACCES;
	if ((opt->flags & BOND_OPTF_NOSLAVES) && bond_has_slaves(bond))
		return -ENOTEMPTY;
	if ((opt->flags & BOND_OPTF_IFDOWN) && (bond->dev->flags & IFF_UP))
		return -EBUSY;
	return 0;
}

/* Say why a value was refused, in dmesg and in the extack. */
static void bond_opt_explain(struct bonding *bond, const struct bond_option *opt,
			     int err, const struct bond_opt_arg *arg,
			     const struct nlattr *attr, struct netlink_ext_ack *extack)
{
	const struct bond_opt_value *min, *max;

	switch (err) {
	case -EINVAL:
		NL_SET_ERR_MSG_ATTR(extack, attr, "invalid option value");
		if (arg->str)
			netdev_err(bond->dev, "option %s: invalid value (%s)\n",
				   opt->name, arg->str);
		else
			netdev_err(bond->dev, "option %s: invalid value (%llu)\n",
				   opt->name, arg->num);
		min = bond_opt_flagged(opt, BOND_VAL_MIN);
		max = bond_opt_flagged(opt, BOND_VAL_MAX);
		if (max)
			netdev_err(bond->dev, "option %s: allowed values %llu - %llu\n",
				   opt->name, min ? min->value : 0, max->value);
		break;
	case -EACCES:
		netdev_err(bond->dev, "option %s: mode dependency failed, not supported in mode %s(%u)\n",
			   opt->name, bond->mode->name, bond->params.mode);
		NL_SET_ERR_MSG_ATTR(extack, attr, "option not supported in mode");
		break;
	case -ENOTEMPTY:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "unable to set option because the bond device has slaves");
		netdev_err(bond->dev, "option %s: unable to set because the bond device has slaves\n",
			   opt->name);
		break;
	case -EBUSY:
		if (!(opt->flags & BOND_OPTF_IFDOWN))
			break;
		NL_SET_ERR_MSG_ATTR(extack, attr, "unable to set option because the bond is up");
		netdev_err(bond->dev, "option %s: unable to set because the bond device is up\n",
			   opt->name);
		break;
	case -ENODEV:
		if (!arg->str)
			break;
		netdev_err(bond->dev, "option %s: interface %s does not exist!\n",
			   opt->name, arg->str);
		NL_SET_ERR_MSG_ATTR(extack, attr, "interface does not exist");
		break;
	}
}

int bond_opt_set(struct bonding *bond, enum bond_opt_id id,
		 const struct bond_opt_arg *arg, const struct nlattr *attr,
		 struct netlink_ext_ack *extack)
{
	const struct bond_option *opt = &bond_opts[id];
	struct bond_opt_arg parsed = { };
	char *str = NULL;
	int ret;

	ASSERT_RTNL();
	ret = bond_opt_check(bond, opt);
	if (ret)
		goto out;

	if (arg->str) {
		/* a trailing newline (echo) is not part of the value */
		str = kstrndup(arg->str, strcspn(arg->str, "\n"), GFP_KERNEL);
		if (!str)
			return -ENOMEM;
	}
	if (opt->flags & BOND_OPTF_RAW) {
		parsed.str = str ? str : "";
	} else {
		struct bond_opt_arg in = { .str = str, .num = arg->num };

		ret = bond_opt_parse(opt, &in, &parsed.num);
		if (ret)
			goto out;
	}
	if (opt->set)
		ret = opt->set(bond, &parsed, extack);
	else
		WRITE_ONCE(*bond_opt_field(bond, opt), parsed.num);
	if (!ret && bond->mode->option_changed)
		bond->mode->option_changed(bond, id);
out:
	if (ret) {
		struct bond_opt_arg shown = { .str = str, .num = arg->num };

		bond_opt_explain(bond, opt, ret, &shown, attr, extack);
	}
	kfree(str);
	return ret;
}

/* May the caller see option @id's value? (RCU or RTNL; the caller's creds) */
bool bond_opt_visible(struct bonding *bond, enum bond_opt_id id)
{
	const struct bond_option *opt = &bond_opts[id];

	if (!(opt->flags & BOND_OPTF_PRIVATE))
		return true;
	return (opt->modes & BIT(READ_ONCE(bond->params.mode))) &&
	       capable(CAP_NET_ADMIN);
}

/* sysfs text of an option: custom, "<name> <value>" or the number. */
int bond_opt_show(struct bonding *bond, enum bond_opt_id id, char *buf)
{
	const struct bond_option *opt = &bond_opts[id];
	const struct bond_opt_value *v;
	u64 val;

	if (!bond_opt_visible(bond, id))
		return 0;
	if (opt->show)
		return opt->show(bond, buf);
	val = bond_opt_value(bond, id);
	if (opt->flags & BOND_OPTF_ENUM) {
		v = bond_opt_value_of(id, val);
		return sysfs_emit(buf, "%s %llu\n", v ? v->name : "?", val);
	}
	if (opt->flags & BOND_OPTF_INT)
		return sysfs_emit(buf, "%d\n", (int)(u32)val);
	return sysfs_emit(buf, "%llu\n", val);
}

/* Parse a module parameter's word for option @id (bond_modparams.c). */
int bond_opt_parse_word(enum bond_opt_id id, const char *word, u64 *out)
{
	struct bond_opt_arg in = { .str = word };

	return bond_opt_parse(&bond_opts[id], &in, out);
}
