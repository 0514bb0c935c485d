/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bond device, its slaves and the per-namespace state: the core's
 * private types and the small core API that modes, monitors and the user
 * interfaces call.
 *
 * Lock rules are written beside each field:
 *   const  - set once before the object is published, never written again.
 *   RTNL   - written only with rtnl_lock held; read under RTNL.
 *   RCU    - also read under rcu_read_lock() (the data path, /proc, sysfs
 *            show); writers publish with rcu_assign_pointer/WRITE_ONCE.
 *   mon    - written only by the bond's monitor work, under RTNL when it
 *            commits; read anywhere with READ_ONCE.
 */
#ifndef _BOND_H
#define _BOND_H

#include <linux/netdevice.h>
#include <linux/list.h>
#include <linux/rtnetlink.h>
#include <linux/kobject.h>
#include <linux/proc_fs.h>
#include <linux/workqueue.h>
#include <linux/device/class.h>
#include <linux/if_bonding.h>
#include <net/netns/generic.h>

#define BOND_DRV_NAME		"bonding"
#define BOND_DRV_DESC		"Ethernet Channel Bonding Driver"
#define BOND_MOD_VERSION	"0.2.0"

struct bond_mode;
struct bonding;

/* Link states of a slave, as the MII monitor sees them (uAPI numbering). */
enum {
	BOND_SLAVE_LINK_UP	= BOND_LINK_UP,		/* carrying traffic */
	BOND_SLAVE_LINK_FAIL	= BOND_LINK_FAIL,	/* down, downdelay running */
	BOND_SLAVE_LINK_DOWN	= BOND_LINK_DOWN,	/* not used */
	BOND_SLAVE_LINK_BACK	= BOND_LINK_BACK,	/* up, updelay running */
};

/* fail_over_mac and primary_reselect values (uAPI numbering). */
enum { BOND_FOM_NONE, BOND_FOM_ACTIVE, BOND_FOM_FOLLOW };
enum { BOND_PRI_RESELECT_ALWAYS, BOND_PRI_RESELECT_BETTER, BOND_PRI_RESELECT_FAILURE };

/* The bond's settings. RTNL; RCU readers use READ_ONCE. */
struct bond_params {
	u8 mode;		/* BOND_MODE_* */
	u8 use_carrier;
	u8 primary_reselect;	/* BOND_PRI_RESELECT_* */
	u8 fail_over_mac;	/* BOND_FOM_* */
	u8 num_peer_notif;	/* num_grat_arp == num_unsol_na */
	u8 all_slaves_active;
	int miimon;		/* ms, 0 = off */
	int updelay;		/* in miimon ticks */
	int downdelay;		/* in miimon ticks */
	int peer_notif_delay;	/* in miimon ticks */
	int resend_igmp;
	u32 packets_per_slave;
	char primary[IFNAMSIZ];	/* may name a device not enslaved yet */
};

/*
 * One enslaved device. It is the rx_handler_data of its device, so the
 * first two fields sit where in-kernel readers of the in-tree layout
 * (net_lag_port_dev_txable() and friends) expect them.
 */
struct slave {
	struct net_device *dev;		/* const */
	struct bonding *bond;		/* const */
	struct list_head list;		/* RTNL; RCU: in bonding::slave_list */
	u8 link;			/* mon; RCU: BOND_SLAVE_LINK_* */
	bool backup;			/* RTNL; RCU: not the active slave */
	bool inactive;			/* RTNL; RCU: rx delivers exact-match only */
	u8 duplex;			/* RTNL: DUPLEX_*, from ethtool */
	u32 speed;			/* RTNL: Mb/s, SPEED_UNKNOWN if none */
	unsigned long delay_until;	/* mon: jiffies when FAIL/BACK ends */
	u32 link_failure_count;		/* mon */
	unsigned long last_link_up;	/* mon: jiffies */
	u16 queue_id;			/* RTNL; RCU: tx queue steering */
	s32 prio;			/* RTNL: higher is preferred as active */
	unsigned int orig_mtu;		/* const: restored on release */
	u8 perm_hwaddr[MAX_ADDR_LEN];	/* const: restored on release */
	struct rtnl_link_stats64 stats_base;	/* RTNL: slave counters at enslave */
	struct kobject kobj;		/* /sys/class/net/<slave>/bonding_slave */
	struct rcu_head rcu;
};

/* An RCU-published snapshot of slaves, indexed for O(1) selection. */
struct bond_slave_arr {
	struct rcu_head rcu;
	unsigned int count;
	struct slave *arr[];
};

/* Private data of a bond netdevice (netdev_priv()). */
struct bonding {
	struct net_device *dev;			/* const: the bond itself */
	struct slave __rcu *curr_active_slave;	/* RTNL; RCU */
	struct slave __rcu *primary_slave;	/* RTNL; RCU */
	struct list_head slave_list;		/* RTNL; RCU: struct slave::list */
	unsigned int slave_cnt;			/* RTNL */
	bool force_primary;			/* RTNL: primary wins once */
	const struct bond_mode *mode;		/* RTNL; RCU (fixed while slaves) */
	struct bond_params params;		/* RTNL; RCU via READ_ONCE */
	struct bond_slave_arr __rcu *usable;	/* RTNL; RCU: slaves with link up */
	u32 __percpu *rr_counter;		/* per-CPU, no lock */
	struct workqueue_struct *wq;		/* const: ordered, per bond */
	struct delayed_work mii_work;		/* mon */
	struct delayed_work mcast_work;		/* IGMP/MLD re-joins */
	bool warned_no_monitor;			/* RTNL */
	int peer_notif_left;			/* RTNL: NOTIFY_PEERS still due */
	int peer_notif_wait;			/* RTNL: ticks to the next one */
	int igmp_left;				/* RTNL: RESEND_IGMP still due */
	struct rtnl_link_stats64 stats_gone;	/* RTNL: counters of released slaves */
	struct list_head bond_list;		/* RTNL; RCU: in bond_net::dev_list */
	struct proc_dir_entry *proc_entry;	/* RTNL: /proc/net/bonding/<name> */
};

/* Per network namespace state (net_generic()). */
struct bond_net {
	struct net *net;		/* const */
	struct list_head dev_list;	/* RTNL; RCU: every bond in this netns */
	struct proc_dir_entry *proc_dir;	/* const after pernet init */
	/* /sys/class/net/bonding_masters, one per netns; const after init */
	struct class_attribute class_attr_bonding_masters;
};

extern unsigned int bond_net_id;

static inline struct bond_net *bond_net_of(const struct net *net)
{
	return net_generic(net, bond_net_id);
}

static inline struct bonding *bond_of(struct net_device *dev)
{
	return netdev_priv(dev);
}

rx_handler_result_t bond_handle_frame(struct sk_buff **pskb);

/* The slave behind a device that one of our bonds enslaved, or NULL. */
static inline struct slave *bond_slave_of(const struct net_device *dev)
{
	if (rcu_access_pointer(dev->rx_handler) != bond_handle_frame)
		return NULL;
	return rcu_dereference_rtnl(dev->rx_handler_data);
}

static inline bool bond_has_slaves(const struct bonding *bond)
{
	return !list_empty(&bond->slave_list);
}

#define bond_for_each_slave(bond, s) \
	list_for_each_entry(s, &(bond)->slave_list, list)
#define bond_for_each_slave_rcu(bond, s) \
	list_for_each_entry_rcu(s, &(bond)->slave_list, list)

static inline struct slave *bond_active_slave_rtnl(struct bonding *bond)
{
	return rtnl_dereference(bond->curr_active_slave);
}

/* Can the slave carry traffic now? RCU or RTNL. */
static inline bool bond_slave_usable(const struct slave *slave)
{
	return READ_ONCE(slave->link) == BOND_SLAVE_LINK_UP &&
	       netif_running(slave->dev) && netif_carrier_ok(slave->dev);
}

/* bond_main.c: the bond device */
extern const struct net_device_ops bond_netdev_ops;
int bond_create(struct net *net, const char *name);
struct net_device *bond_find_by_name(struct bond_net *bn, const char *name);
void bond_setup(struct net_device *dev);
int bond_after_register(struct net_device *dev);
unsigned int bond_num_tx_queues(void);
void bond_set_carrier(struct bonding *bond);

static inline bool netif_is_our_bond(const struct net_device *dev)
{
	return dev->netdev_ops == &bond_netdev_ops;
}

/* Log lines about one slave, in the in-tree format. */
#define slave_info(bond_dev, slave_dev, fmt, ...) \
	netdev_info(bond_dev, "(slave %s): " fmt, (slave_dev)->name, ##__VA_ARGS__)
#define slave_warn(bond_dev, slave_dev, fmt, ...) \
	netdev_warn(bond_dev, "(slave %s): " fmt, (slave_dev)->name, ##__VA_ARGS__)
#define slave_err(bond_dev, slave_dev, fmt, ...) \
	netdev_err(bond_dev, "(slave %s): " fmt, (slave_dev)->name, ##__VA_ARGS__)

/* bond_slave.c: enslave, release and the slave arrays (RTNL) */
const char *bond_slave_link_name(u8 link);
void bond_slave_add_rx_filters(struct bonding *bond, struct slave *slave);
void bond_slave_del_rx_filters(struct bonding *bond, struct slave *slave);
int bond_enslave(struct net_device *bond_dev, struct net_device *slave_dev,
		 struct netlink_ext_ack *extack);
int bond_release(struct net_device *bond_dev, struct net_device *slave_dev);
void bond_release_all(struct bonding *bond);
void bond_rebuild_usable(struct bonding *bond);
void bond_free_usable(struct bonding *bond);
int bond_dev_set_addr(struct net_device *dev, const u8 *addr);
int bond_take_addr(struct bonding *bond, struct net_device *slave_dev);
void bond_update_speed_duplex(struct slave *slave);
void bond_slave_set_link(struct slave *slave, u8 link);
void bond_slave_set_backup(struct slave *slave, bool backup);
int bond_slave_netdev_event(struct slave *slave, unsigned long event);

/* bond_active.c: active slave selection for modes that use one (RTNL) */
void bond_select_active(struct bonding *bond);
void bond_change_active(struct bonding *bond, struct slave *new_active);
void bond_primary_changed(struct bonding *bond);
int bond_set_active_slave(struct bonding *bond, struct net_device *dev,
			  struct netlink_ext_ack *extack);
void bond_peer_notify_tick(struct bonding *bond);

/* bond_monitor.c: the MII monitor */
void bond_monitor_init(struct bonding *bond);
void bond_monitor_start(struct bonding *bond);
void bond_monitor_stop(struct bonding *bond);
void bond_monitor_kick(struct bonding *bond);
void bond_monitor_event(struct bonding *bond);
int bond_slave_initial_link(struct bonding *bond, struct slave *slave);

#endif /* _BOND_H */
