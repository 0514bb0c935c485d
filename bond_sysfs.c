// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs: /sys/class/net/bonding_masters (one per network namespace), the
 * per-bond bonding/ directory (one file per option, through the option
 * table) and the per-slave bonding_slave/ directory.
 */

/* bonding_masters' lines are the only prefixed ones, as in-tree (see Kbuild) */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/rtnetlink.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <net/net_namespace.h>

#include "bond.h"
#include "bond_options.h"
#include "bond_iface.h"
#include "compat.h"

static struct bond_net *bn_of_attr(BOND_CLASS_CONST struct class_attribute *attr)
{
	return container_of(attr, struct bond_net, class_attr_bonding_masters);
}

static ssize_t bonding_masters_show(BOND_CLASS_CONST struct class *cls,
				    BOND_CLASS_CONST struct class_attribute *attr,
				    char *buf)
{
	struct bond_net *bn = bn_of_attr(attr);
	struct bonding *bond;
	int len = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(bond, &bn->dev_list, bond_list) {
		/* Keep room for one more name, else say there are more. */
		if (len > PAGE_SIZE - IFNAMSIZ) {
			len = min_t(int, len, PAGE_SIZE - 10);
			len += sysfs_emit_at(buf, len, "++more++ ");
			break;
		}
		len += sysfs_emit_at(buf, len, "%s ", bond->dev->name);
	}
	rcu_read_unlock();

	if (len)
		buf[len - 1] = '\n';
	return len;
}

static int bonding_masters_delete(struct bond_net *bn, const char *name)
{
	struct net_device *dev;
	int ret = 0;

	rtnl_lock();
	dev = bond_find_by_name(bn, name);
	if (dev) {
		pr_info("%s is being deleted...\n", name);
		unregister_netdevice(dev);
	} else {
		pr_err("unable to delete non-existent %s\n", name);
		ret = -ENODEV;
	}
	rtnl_unlock();
	return ret;
}

static int bonding_masters_create(struct bond_net *bn, const char *name)
{
	int ret;

	pr_info("%s is being created...\n", name);
	ret = bond_create(bn->net, name);
	if (ret == -EEXIST)
		pr_info("%s already exists\n", name);
	else if (ret)
		pr_info("%s creation failed\n", name);
	return ret;
}

static ssize_t bonding_masters_store(BOND_CLASS_CONST struct class *cls,
				     BOND_CLASS_CONST struct class_attribute *attr,
				     const char *buf, size_t count)
{
	struct bond_net *bn = bn_of_attr(attr);
	char name[IFNAMSIZ];
	const char *word;
	size_t len;
	char op;
	int ret;

	/* The command is the first word: an operator and an interface name. */
	word = skip_spaces(buf);
	len = strcspn(word, " \t\n");
	if (len > 1 && len - 1 >= IFNAMSIZ) {
		pr_err("bonding_masters: interface name is longer than %d characters\n",
		       IFNAMSIZ - 1);
		return -EINVAL;
	}
	op = len ? word[0] : 0;
	if (len > 1)
		memcpy(name, word + 1, len - 1);
	name[len > 1 ? len - 1 : 0] = '\0';

	if ((op != '+' && op != '-') || !dev_valid_name(name)) {
		pr_err("no command found in bonding_masters - use +ifname or -ifname\n");
		return -EPERM;
	}

	if (op == '+')
		ret = bonding_masters_create(bn, name);
	else
		ret = bonding_masters_delete(bn, name);
	return ret ? ret : count;
}

static const struct class_attribute bonding_masters_attr = {
	.attr	= { .name = "bonding_masters", .mode = 0644 },
	.show	= bonding_masters_show,
	.store	= bonding_masters_store,
};

int __net_init bond_sysfs_net_init(struct bond_net *bn)
{
	int ret;

	bn->class_attr_bonding_masters = bonding_masters_attr;
	sysfs_attr_init(&bn->class_attr_bonding_masters.attr);

	ret = netdev_class_create_file_ns(&bn->class_attr_bonding_masters,
					  bn->net);
	/*
	 * A netdevice may already be called "bonding_masters". The namespace
	 * then works without the file, as with the in-tree driver, but says so.
	 */
	if (ret == -EEXIST) {
		pr_err("network device named %s already exists in sysfs\n",
		       bonding_masters_attr.attr.name);
		ret = 0;
	}
	return ret;
}

void __net_exit bond_sysfs_net_exit(struct bond_net *bn)
{
	netdev_class_remove_file_ns(&bn->class_attr_bonding_masters, bn->net);
}

/* ---- /sys/class/net/<bond>/bonding/: one file per option ---------------- */

struct bond_attr {
	struct device_attribute attr;
	enum bond_opt_id id;
};

#define to_bond_attr(a) container_of(a, struct bond_attr, attr)

static ssize_t bond_attr_show(struct device *d, struct device_attribute *attr,
			      char *buf)
{
	struct bonding *bond = bond_of(to_net_dev(d));
	int len;

	rcu_read_lock();
	len = bond_opt_show(bond, to_bond_attr(attr)->id, buf);
	rcu_read_unlock();
	return len;
}

/* Writes take RTNL; on contention the syscall restarts rather than block. */
static ssize_t bond_attr_store(struct device *d, struct device_attribute *attr,
			       const char *buf, size_t count)
{
	struct bonding *bond = bond_of(to_net_dev(d));
	struct bond_opt_arg arg = { .str = buf };
	int ret;

	if (!rtnl_trylock())
		return restart_syscall();
	ret = bond_opt_set(bond, to_bond_attr(attr)->id, &arg, NULL, NULL);
	if (!ret)
		call_netdevice_notifiers(NETDEV_CHANGEINFODATA, bond->dev);
	rtnl_unlock();
	return ret ? ret : count;
}

#define BOND_ATTR(_file, _id)						\
	static struct bond_attr bond_attr_##_file = {			\
		.attr = __ATTR(_file, 0644, bond_attr_show, bond_attr_store), \
		.id = _id,						\
	}

BOND_ATTR(mode, BOND_OPT_MODE);
BOND_ATTR(active_slave, BOND_OPT_ACTIVE_SLAVE);
BOND_ATTR(miimon, BOND_OPT_MIIMON);
BOND_ATTR(updelay, BOND_OPT_UPDELAY);
BOND_ATTR(downdelay, BOND_OPT_DOWNDELAY);
BOND_ATTR(peer_notif_delay, BOND_OPT_PEER_NOTIF_DELAY);
BOND_ATTR(use_carrier, BOND_OPT_USE_CARRIER);
BOND_ATTR(primary, BOND_OPT_PRIMARY);
BOND_ATTR(primary_reselect, BOND_OPT_PRIMARY_RESELECT);
BOND_ATTR(fail_over_mac, BOND_OPT_FAIL_OVER_MAC);
BOND_ATTR(resend_igmp, BOND_OPT_RESEND_IGMP);
BOND_ATTR(num_grat_arp, BOND_OPT_NUM_PEER_NOTIF);
BOND_ATTR(num_unsol_na, BOND_OPT_NUM_PEER_NOTIF_ALIAS);
BOND_ATTR(all_slaves_active, BOND_OPT_ALL_SLAVES_ACTIVE);
BOND_ATTR(packets_per_slave, BOND_OPT_PACKETS_PER_SLAVE);
BOND_ATTR(slaves, BOND_OPT_SLAVES);
BOND_ATTR(queue_id, BOND_OPT_QUEUE_ID);
BOND_ATTR(xmit_hash_policy, BOND_OPT_XMIT_HASH);
BOND_ATTR(min_links, BOND_OPT_MIN_LINKS);
BOND_ATTR(arp_interval, BOND_OPT_ARP_INTERVAL);
BOND_ATTR(arp_ip_target, BOND_OPT_ARP_TARGETS);
BOND_ATTR(arp_validate, BOND_OPT_ARP_VALIDATE);
BOND_ATTR(arp_all_targets, BOND_OPT_ARP_ALL_TARGETS);
BOND_ATTR(arp_missed_max, BOND_OPT_MISSED_MAX);
BOND_ATTR(lp_interval, BOND_OPT_LP_INTERVAL);
BOND_ATTR(tlb_dynamic_lb, BOND_OPT_TLB_DYNAMIC_LB);
BOND_ATTR(lacp_active, BOND_OPT_LACP_ACTIVE);
BOND_ATTR(lacp_rate, BOND_OPT_LACP_RATE);
BOND_ATTR(lacp_fallback, BOND_OPT_LACP_FALLBACK);
BOND_ATTR(failover_relink, BOND_OPT_FAILOVER_RELINK);
BOND_ATTR(ad_select, BOND_OPT_AD_SELECT);
BOND_ATTR(ad_actor_sys_prio, BOND_OPT_AD_ACTOR_SYS_PRIO);
BOND_ATTR(ad_actor_system, BOND_OPT_AD_ACTOR_SYSTEM);
BOND_ATTR(ad_user_port_key, BOND_OPT_AD_USER_PORT_KEY);

/*
 * The active aggregator, read-only: empty outside an aggregating mode; the
 * keys and partner only for CAP_NET_ADMIN, and the partner only while an
 * aggregator is active. As in-tree.
 */
enum bond_agg_field { AGG_ID, AGG_PORTS, AGG_ACTOR_KEY, AGG_PARTNER_KEY, AGG_PARTNER };

struct bond_agg_attr {
	struct device_attribute attr;
	enum bond_agg_field field;
};

static ssize_t bond_agg_show(struct device *d, struct device_attribute *attr,
			     char *buf)
{
	enum bond_agg_field field = container_of(attr, struct bond_agg_attr, attr)->field;
	struct bonding *bond = bond_of(to_net_dev(d));
	struct bond_agg_info info = { };
	const struct bond_mode *mode;
	bool active;

	rcu_read_lock();
	mode = READ_ONCE(bond->mode);
	if (!mode->agg_info ||
	    (field >= AGG_ACTOR_KEY && !capable(CAP_NET_ADMIN))) {
		rcu_read_unlock();
		return 0;
	}
	active = mode->agg_info(bond, &info);
	rcu_read_unlock();

	switch (field) {
	case AGG_ID:
		return sysfs_emit(buf, "%u\n", info.id);
	case AGG_PORTS:
		return sysfs_emit(buf, "%u\n", info.ports);
	case AGG_ACTOR_KEY:
		return sysfs_emit(buf, "%u\n", info.actor_key);
	case AGG_PARTNER_KEY:
		return sysfs_emit(buf, "%u\n", info.partner_key);
	case AGG_PARTNER:
		return active ? sysfs_emit(buf, "%pM\n", info.partner_system) : 0;
	}
	return 0;
}

#define BOND_AGG_ATTR(_file, _field)					\
	static struct bond_agg_attr bond_attr_##_file = {		\
		.attr = __ATTR(_file, 0444, bond_agg_show, NULL),	\
		.field = _field,					\
	}

BOND_AGG_ATTR(ad_aggregator, AGG_ID);
BOND_AGG_ATTR(ad_num_ports, AGG_PORTS);
BOND_AGG_ATTR(ad_actor_key, AGG_ACTOR_KEY);
BOND_AGG_ATTR(ad_partner_key, AGG_PARTNER_KEY);
BOND_AGG_ATTR(ad_partner_mac, AGG_PARTNER);

/* mii_status is the bond's carrier. */
static ssize_t mii_status_show(struct device *d, struct device_attribute *attr,
			       char *buf)
{
	return sysfs_emit(buf, "%s\n", netif_carrier_ok(to_net_dev(d)) ? "up" : "down");
}
static DEVICE_ATTR_RO(mii_status);

static struct attribute *bond_attrs[] = {
	&bond_attr_slaves.attr.attr,
	&bond_attr_mode.attr.attr,
	&bond_attr_fail_over_mac.attr.attr,
	&bond_attr_downdelay.attr.attr,
	&bond_attr_updelay.attr.attr,
	&bond_attr_peer_notif_delay.attr.attr,
	&bond_attr_num_grat_arp.attr.attr,
	&bond_attr_num_unsol_na.attr.attr,
	&bond_attr_miimon.attr.attr,
	&bond_attr_primary.attr.attr,
	&bond_attr_primary_reselect.attr.attr,
	&bond_attr_use_carrier.attr.attr,
	&bond_attr_active_slave.attr.attr,
	&dev_attr_mii_status.attr,
	&bond_attr_queue_id.attr.attr,
	&bond_attr_all_slaves_active.attr.attr,
	&bond_attr_resend_igmp.attr.attr,
	&bond_attr_packets_per_slave.attr.attr,
	&bond_attr_xmit_hash_policy.attr.attr,
	&bond_attr_min_links.attr.attr,
	&bond_attr_arp_interval.attr.attr,
	&bond_attr_arp_ip_target.attr.attr,
	&bond_attr_arp_validate.attr.attr,
	&bond_attr_arp_all_targets.attr.attr,
	&bond_attr_arp_missed_max.attr.attr,
	&bond_attr_lp_interval.attr.attr,
	&bond_attr_tlb_dynamic_lb.attr.attr,
	&bond_attr_lacp_active.attr.attr,
	&bond_attr_lacp_rate.attr.attr,
	&bond_attr_lacp_fallback.attr.attr,
	&bond_attr_failover_relink.attr.attr,
	&bond_attr_ad_select.attr.attr,
	&bond_attr_ad_actor_sys_prio.attr.attr,
	&bond_attr_ad_actor_system.attr.attr,
	&bond_attr_ad_user_port_key.attr.attr,
	&bond_attr_ad_aggregator.attr.attr,
	&bond_attr_ad_num_ports.attr.attr,
	&bond_attr_ad_actor_key.attr.attr,
	&bond_attr_ad_partner_key.attr.attr,
	&bond_attr_ad_partner_mac.attr.attr,
	NULL,
};

static const struct attribute_group bond_group = {
	.name = "bonding",
	.attrs = bond_attrs,
};

/* Before register_netdevice() makes the device's sysfs directory. */
void bond_sysfs_add(struct bonding *bond)
{
	bond->dev->sysfs_groups[0] = &bond_group;
}

/* ---- /sys/class/net/<slave>/bonding_slave/ ------------------------------ */

struct slave_attr {
	struct attribute attr;
	ssize_t (*show)(struct slave *slave, char *buf);
	/* under RTNL; a command without its newline */
	int (*store)(struct slave *slave, const char *cmd);
};

static ssize_t state_show(struct slave *slave, char *buf)
{
	return sysfs_emit(buf, "%s\n", READ_ONCE(slave->backup) ? "backup" : "active");
}

static ssize_t mii_status_slave_show(struct slave *slave, char *buf)
{
	return sysfs_emit(buf, "%s\n", bond_slave_link_name(READ_ONCE(slave->link)));
}

static ssize_t link_failure_count_show(struct slave *slave, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(slave->link_failure_count));
}

static ssize_t perm_hwaddr_show(struct slave *slave, char *buf)
{
	return sysfs_emit(buf, "%*phC\n", slave->dev->addr_len, slave->perm_hwaddr);
}

static ssize_t queue_id_show(struct slave *slave, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(slave->queue_id));
}

/* The port as an aggregating mode sees it: true if it is in an aggregator. */
static bool port_info_get(struct slave *slave, struct bond_port_info *pi)
{
	struct bonding *bond = slave->bond;
	const struct bond_mode *mode = READ_ONCE(bond->mode);
	bool agg;

	rcu_read_lock();
	agg = mode->port_info && mode->port_info(bond, slave, pi);
	rcu_read_unlock();
	return agg;
}

/* "N/A" in other modes or with no aggregator. */
enum { PORT_AGG_ID, PORT_ACTOR_STATE, PORT_PARTNER_STATE };

static ssize_t port_show(struct slave *slave, char *buf, int what)
{
	struct bond_port_info pi = { };

	if (!port_info_get(slave, &pi))
		return sysfs_emit(buf, "N/A\n");
	switch (what) {
	case PORT_AGG_ID:
		return sysfs_emit(buf, "%d\n", pi.agg_id);
	case PORT_ACTOR_STATE:
		return sysfs_emit(buf, "%u\n", pi.actor.state);
	}
	return sysfs_emit(buf, "%u\n", pi.partner.state);
}

static ssize_t ad_aggregator_id_show(struct slave *slave, char *buf)
{
	return port_show(slave, buf, PORT_AGG_ID);
}

static ssize_t ad_actor_oper_port_state_show(struct slave *slave, char *buf)
{
	return port_show(slave, buf, PORT_ACTOR_STATE);
}

static ssize_t ad_partner_oper_port_state_show(struct slave *slave, char *buf)
{
	return port_show(slave, buf, PORT_PARTNER_STATE);
}

/* Ours: why the port does not distribute, in words; "N/A" in other modes. */
static ssize_t ad_reason_show(struct slave *slave, char *buf)
{
	struct bond_port_info pi = { };

	port_info_get(slave, &pi);
	return sysfs_emit(buf, "%s\n", pi.reason ?: "N/A");
}

/* The slave's own ARP/NS targets (ours): "+addr" adds, "-addr" removes. */
static ssize_t arp_ip_target_show(struct slave *slave, char *buf)
{
	return bond_arp_targets_show(slave->own_arp, buf);
}

static ssize_t ns_ip6_target_show(struct slave *slave, char *buf)
{
	return bond_ns_targets_show(slave->own_ns, buf);
}

#define SLAVE_ATTR(_name, _show) \
	static struct slave_attr slave_attr_##_name = { \
		.attr = { .name = __stringify(_name), .mode = 0444 }, \
		.show = _show, \
	}
#define SLAVE_ATTR_RW(_name, _show, _store) \
	static struct slave_attr slave_attr_##_name = { \
		.attr = { .name = __stringify(_name), .mode = 0644 }, \
		.show = _show, .store = _store, \
	}

SLAVE_ATTR(state, state_show);
SLAVE_ATTR(mii_status, mii_status_slave_show);
SLAVE_ATTR(link_failure_count, link_failure_count_show);
SLAVE_ATTR(perm_hwaddr, perm_hwaddr_show);
SLAVE_ATTR(queue_id, queue_id_show);
SLAVE_ATTR(ad_aggregator_id, ad_aggregator_id_show);
SLAVE_ATTR(ad_actor_oper_port_state, ad_actor_oper_port_state_show);
SLAVE_ATTR(ad_partner_oper_port_state, ad_partner_oper_port_state_show);
SLAVE_ATTR(ad_reason, ad_reason_show);
SLAVE_ATTR_RW(arp_ip_target, arp_ip_target_show, bond_slave_arp_targets_edit);
SLAVE_ATTR_RW(ns_ip6_target, ns_ip6_target_show, bond_slave_ns_targets_edit);

static struct attribute *slave_attrs[] = {
	&slave_attr_state.attr,
	&slave_attr_mii_status.attr,
	&slave_attr_link_failure_count.attr,
	&slave_attr_perm_hwaddr.attr,
	&slave_attr_queue_id.attr,
	&slave_attr_ad_aggregator_id.attr,
	&slave_attr_ad_actor_oper_port_state.attr,
	&slave_attr_ad_partner_oper_port_state.attr,
	&slave_attr_ad_reason.attr,
	&slave_attr_arp_ip_target.attr,
	&slave_attr_ns_ip6_target.attr,
	NULL,
};
ATTRIBUTE_GROUPS(slave);

static ssize_t slave_attr_show(struct kobject *kobj, struct attribute *attr,
			       char *buf)
{
	struct slave *slave = container_of(kobj, struct slave, kobj);

	return container_of(attr, struct slave_attr, attr)->show(slave, buf);
}

/*
 * Release removes these files under RTNL and waits for writers: a writer
 * must not wait for RTNL, so it tries and has the write restarted.
 */
static ssize_t slave_attr_store(struct kobject *kobj, struct attribute *attr,
				const char *buf, size_t count)
{
	struct slave *slave = container_of(kobj, struct slave, kobj);
	struct slave_attr *sa = container_of(attr, struct slave_attr, attr);
	char *cmd;
	int ret;

	if (!sa->store)
		return -EPERM;
	cmd = kstrndup(buf, strcspn(buf, "\n"), GFP_KERNEL);
	if (!cmd)
		return -ENOMEM;
	if (!rtnl_trylock()) {
		kfree(cmd);
		return restart_syscall();
	}
	ret = sa->store(slave, cmd);
	rtnl_unlock();
	kfree(cmd);
	return ret ? ret : count;
}

static const struct sysfs_ops slave_sysfs_ops = {
	.show = slave_attr_show,
	.store = slave_attr_store,
};

/* The last reference gone (release and every sysfs reader): free it. */
static void slave_kobj_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct slave, kobj));
}

static const struct kobj_type slave_ktype = {
	.release = slave_kobj_release,
	.sysfs_ops = &slave_sysfs_ops,
	.default_groups = slave_groups,
};

/* A new slave's kobject: from here on kobject_put() frees the slave. */
void bond_sysfs_slave_init(struct slave *slave)
{
	kobject_init(&slave->kobj, &slave_ktype);
}

int bond_sysfs_slave_add(struct slave *slave)
{
	return kobject_add(&slave->kobj, &slave->dev->dev.kobj, "bonding_slave");
}

void bond_sysfs_slave_del(struct slave *slave)
{
	kobject_del(&slave->kobj);
}
