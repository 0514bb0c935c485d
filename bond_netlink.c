// SPDX-License-Identifier: GPL-2.0
/*
 * rtnetlink: the "bond" link kind (ip link add ... type bond ...) and the
 * "bond_slave" info of its slaves. Attributes map to the option table, so
 * changelink and fill_info walk the table rather than list each option.
 */

#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/netlink.h>
#include <net/rtnetlink.h>

#include "bond.h"
#include "bond_mode.h"
#include "bond_options.h"
#include "bond_iface.h"

/* not const: 6.1's policy macros take a non-const range */
static struct netlink_range_validation bond_peer_notif_range = {
	.max = 300000,
};

static const struct nla_policy bond_policy[IFLA_BOND_MAX + 1] = {
	[IFLA_BOND_MODE]		= { .type = NLA_U8 },
	[IFLA_BOND_ACTIVE_SLAVE]	= { .type = NLA_U32 },
	[IFLA_BOND_MIIMON]		= { .type = NLA_U32 },
	[IFLA_BOND_UPDELAY]		= { .type = NLA_U32 },
	[IFLA_BOND_DOWNDELAY]		= { .type = NLA_U32 },
	[IFLA_BOND_USE_CARRIER]		= { .type = NLA_U8 },
	[IFLA_BOND_PRIMARY]		= { .type = NLA_U32 },
	[IFLA_BOND_PRIMARY_RESELECT]	= { .type = NLA_U8 },
	[IFLA_BOND_FAIL_OVER_MAC]	= { .type = NLA_U8 },
	[IFLA_BOND_RESEND_IGMP]		= { .type = NLA_U32 },
	[IFLA_BOND_NUM_PEER_NOTIF]	= { .type = NLA_U8 },
	[IFLA_BOND_ALL_SLAVES_ACTIVE]	= { .type = NLA_U8 },
	[IFLA_BOND_PACKETS_PER_SLAVE]	= { .type = NLA_U32 },
	[IFLA_BOND_XMIT_HASH_POLICY]	= { .type = NLA_U8 },
	[IFLA_BOND_ARP_INTERVAL]	= { .type = NLA_U32 },
	[IFLA_BOND_ARP_IP_TARGET]	= { .type = NLA_NESTED },
	[IFLA_BOND_NS_IP6_TARGET]	= { .type = NLA_NESTED },
	[IFLA_BOND_ARP_VALIDATE]	= { .type = NLA_U32 },
	[IFLA_BOND_ARP_ALL_TARGETS]	= { .type = NLA_U32 },
	[IFLA_BOND_MISSED_MAX]		= { .type = NLA_U8 },
	[IFLA_BOND_MIN_LINKS]		= { .type = NLA_U32 },
	[IFLA_BOND_PEER_NOTIF_DELAY]	= NLA_POLICY_FULL_RANGE(NLA_U32, &bond_peer_notif_range),
	[IFLA_BOND_LP_INTERVAL]		= { .type = NLA_U32 },
	[IFLA_BOND_AD_LACP_ACTIVE]	= { .type = NLA_U8 },
	[IFLA_BOND_AD_LACP_RATE]	= { .type = NLA_U8 },
	[IFLA_BOND_AD_SELECT]		= { .type = NLA_U8 },
	[IFLA_BOND_AD_INFO]		= { .type = NLA_NESTED },
	[IFLA_BOND_AD_ACTOR_SYS_PRIO]	= { .type = NLA_U16 },
	[IFLA_BOND_AD_USER_PORT_KEY]	= { .type = NLA_U16 },
	[IFLA_BOND_AD_ACTOR_SYSTEM]	= { .type = NLA_BINARY, .len = ETH_ALEN },
	[IFLA_BOND_TLB_DYNAMIC_LB]	= { .type = NLA_U8 },
	[IFLA_BOND_COUPLED_CONTROL]	= { .type = NLA_U8 },
};

static const struct nla_policy bond_slave_policy[IFLA_BOND_SLAVE_MAX + 1] = {
	[IFLA_BOND_SLAVE_QUEUE_ID]	= { .type = NLA_U16 },
	[IFLA_BOND_SLAVE_PRIO]		= { .type = NLA_S32 },
#ifdef BOND_HAVE_SLAVE_ACTOR_PORT_PRIO
	[IFLA_BOND_SLAVE_ACTOR_PORT_PRIO] = { .type = NLA_U16 },
#endif
};

/* Is attribute @i one the option table or this file handles? */
static bool bond_nl_known(int i)
{
	enum bond_opt_id id;

	/* read-only, what fill_info reports: ignored on input, as in-tree */
	if (i == IFLA_BOND_AD_INFO)
		return true;
	for (id = 0; id < BOND_OPT_COUNT; id++)
		if (bond_opt_get(id)->nla == i)
			return true;
	return false;
}

static int bond_nl_validate(struct nlattr *tb[], struct nlattr *data[],
			    struct netlink_ext_ack *extack)
{
	int i;

	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN)
			return -EINVAL;
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS])))
			return -EADDRNOTAVAIL;
	}
	if (!data)
		return 0;
	/* An option this module does not have yet is refused, not ignored. */
	for (i = 1; i <= IFLA_BOND_MAX; i++) {
		if (data[i] && !bond_nl_known(i)) {
			NL_SET_ERR_MSG_ATTR(extack, data[i],
					    "bond option not supported by this bonding.ko yet");
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

/*
 * The argument for option @opt from its attribute: a number, or text the
 * setter parses as it does a sysfs write (a MAC; a device's name).
 * @text holds the MAC's text while the option is set.
 */
static int bond_nl_arg(struct bonding *bond, const struct bond_option *opt,
		       const struct nlattr *attr, struct bond_opt_arg *arg,
		       char text[18], struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	u32 ifindex;

	switch (opt->nla_type) {
	case NLA_U8:
		arg->num = nla_get_u8(attr);
		return 0;
	case NLA_U16:
		arg->num = nla_get_u16(attr);
		return 0;
	case NLA_U32:
		arg->num = nla_get_u32(attr);
		return 0;
	case NLA_BINARY:
		if (nla_len(attr) != ETH_ALEN) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "a MAC address is 6 bytes");
			return -EINVAL;
		}
		snprintf(text, 18, "%pM", nla_data(attr));
		arg->str = text;
		return 0;
	}
	/* active_slave and primary name a device by ifindex; 0 clears */
	ifindex = nla_get_u32(attr);
	arg->str = "";
	if (!ifindex)
		return 0;
	dev = __dev_get_by_index(dev_net(bond->dev), ifindex);
	if (dev) {
		arg->str = dev->name;
	} else if (opt->nla == IFLA_BOND_ACTIVE_SLAVE) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "interface does not exist");
		return -ENODEV;
	}
	/* an unknown primary clears it, as in-tree */
	return 0;
}

/* The one message may not start both monitors (checked before any change). */
static int bond_nl_monitors_check(struct nlattr *data[], struct netlink_ext_ack *extack)
{
	if (!data[IFLA_BOND_MIIMON] || !nla_get_u32(data[IFLA_BOND_MIIMON]))
		return 0;
	if (data[IFLA_BOND_ARP_INTERVAL] && nla_get_u32(data[IFLA_BOND_ARP_INTERVAL])) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_BOND_ARP_INTERVAL],
				    "ARP monitoring cannot be used with MII monitoring");
		return -EINVAL;
	}
	if (data[IFLA_BOND_ARP_VALIDATE] && nla_get_u32(data[IFLA_BOND_ARP_VALIDATE])) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_BOND_ARP_VALIDATE],
				    "ARP validating cannot be used with MII monitoring");
		return -EINVAL;
	}
	return 0;
}

static int bond_changelink(struct net_device *bond_dev, struct nlattr *tb[],
			   struct nlattr *data[], struct netlink_ext_ack *extack)
{
	struct bonding *bond = bond_of(bond_dev);
	const struct bond_option *opt;
	enum bond_opt_id id;
	int ret;

	ASSERT_RTNL();
	if (!data)
		return 0;
	ret = bond_nl_monitors_check(data, extack);
	if (ret)
		return ret;
	for (id = 0; id < BOND_OPT_COUNT; id++) {
		struct bond_opt_arg arg = { };
		const struct nlattr *attr;
		char text[18];

		opt = bond_opt_get(id);
		attr = opt->nla ? data[opt->nla] : NULL;
		if (!attr)
			continue;
		if (id == BOND_OPT_ARP_TARGETS || id == BOND_OPT_NS_TARGETS) {
			ret = id == BOND_OPT_ARP_TARGETS ?
			      bond_nl_set_arp_targets(bond, attr, extack) :
			      bond_nl_set_ns_targets(bond, attr, extack);
			if (ret)
				return ret;
			continue;
		}
		ret = bond_nl_arg(bond, opt, attr, &arg, text, extack);
		if (!ret)
			ret = bond_opt_set(bond, id, &arg, attr, extack);
		if (ret)
			return ret;
	}
	return 0;
}

static int bond_nl_newlink(struct net *src_net, struct net_device *dev,
			   struct nlattr *tb[], struct nlattr *data[],
			   struct netlink_ext_ack *extack)
{
	int ret;

	ret = register_netdevice(dev);
	if (ret)
		return ret;
	bond_after_register(dev);
	/* As in-tree: a refused option fails the whole creation. */
	ret = bond_changelink(dev, tb, data, extack);
	if (ret)
		unregister_netdevice(dev);
	return ret;
}

static size_t bond_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(u32)) * BOND_OPT_COUNT +
	       nla_total_size(0) + 4 * nla_total_size(sizeof(u16)) +	/* AD_INFO */
	       nla_total_size(ETH_ALEN) +
	       nla_total_size(0) + BOND_MAX_ARP_TARGETS * nla_total_size(sizeof(u32)) +
	       nla_total_size(0) + BOND_MAX_NS_TARGETS *
	       nla_total_size(sizeof(struct in6_addr));
}

/* Option @id's attribute, if it is a plain value (the lists are apart). */
static int bond_nl_put_opt(struct sk_buff *skb, struct bonding *bond,
			   enum bond_opt_id id)
{
	const struct bond_option *opt = bond_opt_get(id);
	u8 mac[ETH_ALEN];

	switch (opt->nla_type) {
	case NLA_U8:
		return nla_put_u8(skb, opt->nla, bond_opt_value(bond, id));
	case NLA_U16:
		return nla_put_u16(skb, opt->nla, bond_opt_value(bond, id));
	case NLA_U32:
		return nla_put_u32(skb, opt->nla, bond_opt_value(bond, id));
	case NLA_BINARY:
		u64_to_ether_addr(bond_opt_value(bond, id), mac);
		return nla_put(skb, opt->nla, ETH_ALEN, mac);
	}
	return 0;
}

/* An aggregating mode's active aggregator, when it has one (no CAP check). */
static int bond_nl_fill_ad_info(struct sk_buff *skb, struct bonding *bond)
{
	const struct bond_mode *mode = bond->mode;
	struct bond_agg_info info = { };
	struct nlattr *nest;

	if (!mode->agg_info || !mode->agg_info(bond, &info))
		return 0;
	nest = nla_nest_start_noflag(skb, IFLA_BOND_AD_INFO);
	if (!nest ||
	    nla_put_u16(skb, IFLA_BOND_AD_INFO_AGGREGATOR, info.id) ||
	    nla_put_u16(skb, IFLA_BOND_AD_INFO_NUM_PORTS, info.ports) ||
	    nla_put_u16(skb, IFLA_BOND_AD_INFO_ACTOR_KEY, info.actor_key) ||
	    nla_put_u16(skb, IFLA_BOND_AD_INFO_PARTNER_KEY, info.partner_key) ||
	    nla_put(skb, IFLA_BOND_AD_INFO_PARTNER_MAC, ETH_ALEN, info.partner_system))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int bond_fill_info(struct sk_buff *skb, const struct net_device *bond_dev)
{
	struct bonding *bond = bond_of((struct net_device *)bond_dev);
	const struct bond_option *opt;
	struct slave *slave;
	enum bond_opt_id id;
	int ret = 0;

	for (id = 0; id < BOND_OPT_COUNT && !ret; id++) {
		opt = bond_opt_get(id);
		if (!opt->nla || !bond_opt_visible(bond, id))
			continue;
		ret = bond_nl_put_opt(skb, bond, id);
	}
	if (ret || bond_nl_fill_targets(skb, bond) || bond_nl_fill_ad_info(skb, bond))
		return -EMSGSIZE;

	rcu_read_lock();
	slave = bond_shown_active_rcu(bond);
	if (slave && nla_put_u32(skb, IFLA_BOND_ACTIVE_SLAVE, slave->dev->ifindex))
		ret = -EMSGSIZE;
	slave = rcu_dereference(bond->primary_slave);
	if (slave && nla_put_u32(skb, IFLA_BOND_PRIMARY, slave->dev->ifindex))
		ret = -EMSGSIZE;
	rcu_read_unlock();
	return ret;
}

/* ---- the slaves --------------------------------------------------------- */

static size_t bond_get_slave_size(const struct net_device *bond_dev,
				  const struct net_device *slave_dev)
{
	return nla_total_size(sizeof(u8)) +		/* STATE */
	       nla_total_size(sizeof(u8)) +		/* MII_STATUS */
	       nla_total_size(sizeof(u32)) +		/* LINK_FAILURE_COUNT */
	       nla_total_size(MAX_ADDR_LEN) +		/* PERM_HWADDR */
	       nla_total_size(sizeof(u16)) +		/* QUEUE_ID */
	       nla_total_size(sizeof(s32)) +		/* PRIO */
	       nla_total_size(sizeof(u16)) +		/* AD_AGGREGATOR_ID */
	       nla_total_size(sizeof(u8)) +		/* AD_ACTOR_OPER_PORT_STATE */
	       nla_total_size(sizeof(u16)) +		/* AD_PARTNER_OPER_PORT_STATE */
	       2 * nla_total_size(sizeof(u8)) +		/* AD_CHURN_*_STATE */
	       nla_total_size(sizeof(u16));		/* ACTOR_PORT_PRIO */
}

/* An aggregating mode's view of the port; the partner's state is a u16, as in-tree. */
static int bond_nl_fill_port_info(struct sk_buff *skb, struct bonding *bond,
				  struct slave *slave)
{
	const struct bond_mode *mode = bond->mode;
	struct bond_port_info pi = { };

	if (!mode->port_info)
		return 0;
	if (mode->port_info(bond, slave, &pi) &&
	    (nla_put_u16(skb, IFLA_BOND_SLAVE_AD_AGGREGATOR_ID, pi.agg_id) ||
	     nla_put_u8(skb, IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE, pi.actor.state) ||
	     nla_put_u16(skb, IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE, pi.partner.state) ||
	     nla_put_u8(skb, IFLA_BOND_SLAVE_AD_CHURN_ACTOR_STATE, pi.actor_churn) ||
	     nla_put_u8(skb, IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE, pi.partner_churn)))
		return -EMSGSIZE;
#ifdef BOND_HAVE_SLAVE_ACTOR_PORT_PRIO
	if (nla_put_u16(skb, IFLA_BOND_SLAVE_ACTOR_PORT_PRIO, pi.actor.port_prio))
		return -EMSGSIZE;
#endif
	return 0;
}

static int bond_fill_slave_info(struct sk_buff *skb,
				const struct net_device *bond_dev,
				const struct net_device *slave_dev)
{
	struct slave *slave = bond_slave_of(slave_dev);

	if (nla_put_u8(skb, IFLA_BOND_SLAVE_STATE, READ_ONCE(slave->backup)) ||
	    nla_put_u8(skb, IFLA_BOND_SLAVE_MII_STATUS, READ_ONCE(slave->link)) ||
	    nla_put_u32(skb, IFLA_BOND_SLAVE_LINK_FAILURE_COUNT,
			READ_ONCE(slave->link_failure_count)) ||
	    nla_put(skb, IFLA_BOND_SLAVE_PERM_HWADDR, slave_dev->addr_len,
		    slave->perm_hwaddr) ||
	    nla_put_u16(skb, IFLA_BOND_SLAVE_QUEUE_ID, READ_ONCE(slave->queue_id)) ||
	    nla_put_s32(skb, IFLA_BOND_SLAVE_PRIO, READ_ONCE(slave->prio)))
		return -EMSGSIZE;
	return bond_nl_fill_port_info(skb, slave->bond, slave);
}

static int bond_slave_changelink(struct net_device *bond_dev,
				 struct net_device *slave_dev,
				 struct nlattr *tb[], struct nlattr *data[],
				 struct netlink_ext_ack *extack)
{
	struct bonding *bond = bond_of(bond_dev);
	struct slave *slave = bond_slave_of(slave_dev);
	int ret;

	ASSERT_RTNL();
	if (!data)
		return 0;
	if (data[IFLA_BOND_SLAVE_QUEUE_ID]) {
		ret = bond_slave_set_queue_id(slave,
					      nla_get_u16(data[IFLA_BOND_SLAVE_QUEUE_ID]),
					      extack);
		if (ret)
			return ret;
	}
	if (data[IFLA_BOND_SLAVE_PRIO]) {
		if (!bond->mode->has_active) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_BOND_SLAVE_PRIO],
					    "option not supported in mode");
			netdev_err(bond_dev, "option prio: mode dependency failed, not supported in mode %s(%u)\n",
				   bond->mode->name, bond->params.mode);
			return -EACCES;
		}
		WRITE_ONCE(slave->prio, nla_get_s32(data[IFLA_BOND_SLAVE_PRIO]));
		if (bond->params.primary[0])
			slave_warn(bond_dev, slave_dev,
				   "prio updated, but will not affect failover re-selection as primary slave have been set\n");
		bond_select_active(bond);
	}
#ifdef BOND_HAVE_SLAVE_ACTOR_PORT_PRIO
	/* an 802.3ad port's priority; any u16, as in-tree */
	if (data[IFLA_BOND_SLAVE_ACTOR_PORT_PRIO]) {
		if (!bond->mode->set_port_prio) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_BOND_SLAVE_ACTOR_PORT_PRIO],
					    "option not supported in mode");
			netdev_err(bond_dev, "option actor_port_prio: mode dependency failed, not supported in mode %s(%u)\n",
				   bond->mode->name, bond->params.mode);
			return -EACCES;
		}
		bond->mode->set_port_prio(bond, slave,
					  nla_get_u16(data[IFLA_BOND_SLAVE_ACTOR_PORT_PRIO]));
	}
#endif
	return 0;
}

/* ---- link xstats: the LACP counters ------------------------------------ */

static size_t bond_get_linkxstats_size(const struct net_device *dev, int attr)
{
	if (attr != IFLA_STATS_LINK_XSTATS && attr != IFLA_STATS_LINK_XSTATS_SLAVE)
		return 0;
	return nla_total_size_64bit(sizeof(u64)) * BOND_LACP_STATS +
	       2 * nla_total_size(0);
}

/* The bond's, or a slave's (a LINK_XSTATS_TYPE_BOND nest, empty outside 802.3ad). */
static int bond_fill_linkxstats(struct sk_buff *skb, const struct net_device *dev,
				int *prividx, int attr)
{
	struct slave *slave = NULL;
	u64 stats[BOND_LACP_STATS];
	struct nlattr *nest, *lacp;
	struct bonding *bond;
	unsigned int i;

	switch (attr) {
	case IFLA_STATS_LINK_XSTATS:
		bond = bond_of((struct net_device *)dev);
		break;
	case IFLA_STATS_LINK_XSTATS_SLAVE:
		slave = bond_slave_of(dev);
		if (!slave)
			return 0;
		bond = slave->bond;
		break;
	default:
		return -EINVAL;
	}
	nest = nla_nest_start_noflag(skb, LINK_XSTATS_TYPE_BOND);
	if (!nest)
		return -EMSGSIZE;
	if (bond->mode->lacp_stats) {
		bond->mode->lacp_stats(bond, slave, stats);
		lacp = nla_nest_start_noflag(skb, BOND_XSTATS_3AD);
		if (!lacp)
			goto cancel;
		for (i = 0; i < BOND_LACP_STATS; i++)
			if (nla_put_u64_64bit(skb, i, stats[i], BOND_3AD_STAT_PAD))
				goto cancel;
		nla_nest_end(skb, lacp);
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static unsigned int bond_nl_num_queues(void)
{
	return bond_num_tx_queues();
}

struct rtnl_link_ops bond_link_ops __read_mostly = {
	.kind			= "bond",
	.priv_size		= sizeof(struct bonding),
	.setup			= bond_setup,
	.maxtype		= IFLA_BOND_MAX,
	.policy			= bond_policy,
	.validate		= bond_nl_validate,
	.newlink		= bond_nl_newlink,
	.changelink		= bond_changelink,
	.get_size		= bond_get_size,
	.fill_info		= bond_fill_info,
	.get_num_tx_queues	= bond_nl_num_queues,
	.get_num_rx_queues	= bond_nl_num_queues,
	.slave_maxtype		= IFLA_BOND_SLAVE_MAX,
	.slave_policy		= bond_slave_policy,
	.slave_changelink	= bond_slave_changelink,
	.get_slave_size		= bond_get_slave_size,
	.fill_slave_info	= bond_fill_slave_info,
	.get_linkxstats_size	= bond_get_linkxstats_size,
	.fill_linkxstats	= bond_fill_linkxstats,
};

int __init bond_netlink_init(void)
{
	return rtnl_link_register(&bond_link_ops);
}

void bond_netlink_exit(void)
{
	rtnl_link_unregister(&bond_link_ops);
}
