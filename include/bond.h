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
#include <linux/in6.h>
#include <net/netns/generic.h>
#include "generated/bond_abi.h"	/* made by Kbuild from abi/bond_abi.c */
#include "bond_mode.h"

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

/* miimon where a mode needs the MII monitor and none was set (ms) */
#define BOND_DEFAULT_MIIMON	100

/* ARP/NS monitor: the target lists, arp_validate, arp_all_targets. */
#define BOND_MAX_ARP_TARGETS	16
#define BOND_MAX_NS_TARGETS	BOND_MAX_ARP_TARGETS
#define BOND_MAX_VLAN_DEPTH	8
enum {
	BOND_ARP_VALIDATE_NONE = 0,
	BOND_ARP_VALIDATE_ACTIVE = BIT(0),	/* validate on the active slave */
	BOND_ARP_VALIDATE_BACKUP = BIT(1),	/* validate on backups */
	BOND_ARP_VALIDATE_ALL = BIT(0) | BIT(1),
	BOND_ARP_FILTER = BIT(2),		/* only ARP/NS count as heard */
	BOND_ARP_FILTER_ACTIVE = BIT(2) | BIT(0),
	BOND_ARP_FILTER_BACKUP = BIT(2) | BIT(1),
};

enum { BOND_ARP_TARGETS_ANY, BOND_ARP_TARGETS_ALL };

/* fail_over_mac and primary_reselect values (uAPI numbering). */
enum { BOND_FOM_NONE, BOND_FOM_ACTIVE, BOND_FOM_FOLLOW };
enum { BOND_PRI_RESELECT_ALWAYS, BOND_PRI_RESELECT_BETTER, BOND_PRI_RESELECT_FAILURE };

/* 802.3ad: ad_select and lacp_rate values (uAPI numbering). */
enum { BOND_AD_SELECT_STABLE, BOND_AD_SELECT_BANDWIDTH, BOND_AD_SELECT_COUNT };
enum { BOND_LACP_SLOW, BOND_LACP_FAST };
/* lacp_fallback (ours, sysfs only): without an LACP partner, legacy carries on alone */
enum { BOND_LACP_FALLBACK_LEGACY, BOND_LACP_FALLBACK_STRICT };

/* The bond's settings. RTNL; RCU readers use READ_ONCE. */
struct bond_params {
	u8 mode;		/* BOND_MODE_* */
	u8 use_carrier;
	u8 primary_reselect;	/* BOND_PRI_RESELECT_* */
	u8 fail_over_mac;	/* BOND_FOM_* */
	u8 num_peer_notif;	/* num_grat_arp == num_unsol_na */
	u8 all_slaves_active;
	u8 xmit_policy;		/* BOND_XMIT_POLICY_* */
	int min_links;
	u8 arp_validate;	/* BOND_ARP_VALIDATE_* | BOND_ARP_FILTER */
	u8 arp_all_targets;	/* BOND_ARP_TARGETS_* */
	u8 missed_max;		/* intervals without ARP before down */
	int arp_interval;	/* ms, 0 = off */
	__be32 arp_targets[BOND_MAX_ARP_TARGETS];	/* packed, 0 ends */
	struct in6_addr ns_targets[BOND_MAX_NS_TARGETS];	/* packed, :: ends */
	int miimon;		/* ms, 0 = off */
	int updelay;		/* in miimon ticks */
	int downdelay;		/* in miimon ticks */
	int peer_notif_delay;	/* in miimon ticks */
	int resend_igmp;
	u32 packets_per_slave;
	char primary[IFNAMSIZ];	/* may name a device not enslaved yet */
	/*
	 * Options the core only stores, for modes that read them when they
	 * need them: u32 each, written by the option table (BOND_STORED()).
	 */
	/* 802.3ad */
	u32 lacp_active;	/* 0: speaks only when spoken to */
	u32 lacp_fast;		/* BOND_LACP_*: the rate asked of the partner */
	u32 ad_select;		/* BOND_AD_SELECT_* */
	u32 coupled_control;	/* 1: collecting and distributing change together */
	u32 lacp_fallback;	/* BOND_LACP_FALLBACK_* */
	u32 ad_actor_sys_prio;
	u32 ad_user_port_key;	/* the port key's top 10 bits */
	/* balance-tlb and balance-alb */
	u32 tlb_dynamic_lb;	/* 0: by xmit_hash_policy, no rebalancing */
	u32 lp_interval;	/* s between learning packets */
	/* ours: ms without carrier after a failover, 0 = never (bond_active.c) */
	u32 failover_relink;
	/* 802.3ad: zero for the bond's own MAC */
	u8 ad_actor_system[ETH_ALEN];
};

/*
 * One enslaved device. It is the rx_handler_data of its device, where
 * in-kernel readers of the in-tree driver's layout (net_lag_port_dev_txable()
 * and friends) look for dev, bond and the backup bit: the head of the struct
 * keeps those at the in-tree places (include/generated/bond_abi.h, from abi/).
 */
struct slave {
	union {
		struct {
			struct net_device *dev;		/* const */
			struct bonding *bond;		/* const */
			struct list_head list;		/* RTNL; RCU: in bonding::slave_list */
			u8 link;			/* mon; RCU: BOND_SLAVE_LINK_* */
			bool backup;			/* RTNL; RCU: stands by, sends nothing */
			bool inactive;			/* RTNL; RCU: rx exact-match only */
			u8 duplex;			/* RTNL: DUPLEX_*, from ethtool */
			u32 speed;			/* RTNL: Mb/s, SPEED_UNKNOWN if none */
			unsigned long delay_until;	/* mon: jiffies when FAIL/BACK ends */
			u32 link_failure_count;		/* mon */
			u16 queue_id;			/* RTNL; RCU: tx queue steering */
			s32 prio;			/* RTNL: higher is preferred as active */
			unsigned int orig_mtu;		/* const: restored on release */
			unsigned long last_link_up;	/* mon: jiffies; last of the head */
		};
		struct {
			u8 abi_head[BOND_ABI_SLAVE_FLAGS];
			u8 abi_flags;		/* RTNL: bit 0 = backup, for in-tree readers */
		};
	};
	u8 perm_hwaddr[MAX_ADDR_LEN];	/* const: restored on release */
	struct rtnl_link_stats64 stats_last;	/* bonding::stats_lock: at the last fold */
	/* ARP/NS monitor: jiffies, written locklessly by rx/probes */
	unsigned long last_rx;			/* heard (validated or not) */
	unsigned long last_tx;			/* probed */
	unsigned long target_rx[BOND_MAX_ARP_TARGETS];	/* per bond target */
	unsigned long own_rx;			/* heard from an own target */
	u8 link_new;				/* mon: ARP monitor's verdict */
	bool ns_maddrs;				/* RTNL: joined the NS targets' groups */
	/* RTNL; RCU: the slave's own targets (ours, not in-tree) */
	__be32 own_arp[BOND_MAX_ARP_TARGETS];
	struct in6_addr own_ns[BOND_MAX_NS_TARGETS];
#ifdef CONFIG_NET_POLL_CONTROLLER
	struct netpoll *np;		/* RTNL; RCU: set while the bond has netpoll */
#endif
	struct kobject kobj;		/* /sys/class/net/<slave>/bonding_slave */
	struct rcu_head rcu;
	/* the mode's: bond_mode::slave_priv_size bytes, freed with the slave */
	unsigned long mode_priv[];
};

/* An RCU-published snapshot of slaves, indexed for O(1) selection. */
struct bond_slave_arr {
	struct rcu_head rcu;
	unsigned int count;
	struct slave *arr[];
};

/*
 * Private data of a bond netdevice (netdev_priv()). In-kernel readers of the
 * in-tree layout (bond_option_active_slave_get_rcu()) look for dev,
 * curr_active_slave and params.mode: abi_mode sits where params.mode does.
 */
struct bonding {
	union {
		struct {
			struct net_device *dev;			/* const: the bond itself */
			struct slave __rcu *curr_active_slave;	/* RTNL; RCU */
			struct slave __rcu *primary_slave;	/* RTNL; RCU */
			struct list_head slave_list;		/* RTNL; RCU: struct slave::list */
			unsigned int slave_cnt;			/* RTNL */
			bool force_primary;			/* RTNL: primary wins once */
			bool in_feat_change;			/* RTNL: computing features */
			bool warned_no_monitor;			/* RTNL */
			const struct bond_mode *mode;		/* RTNL; RCU (fixed while slaves) */
			struct bond_slave_arr __rcu *usable;	/* RTNL; RCU: slaves with link up */
			/* RTNL, swapped only down and without slaves: the mode's */
			void *mode_priv;
			struct workqueue_struct *wq;		/* const: ordered, per bond */
			struct bpf_prog *xdp_prog;		/* RTNL: runs on every slave */
			int peer_notif_left;			/* RTNL: NOTIFY_PEERS still due */
			int peer_notif_wait;			/* RTNL: ticks to the next one */
			int igmp_left;				/* RTNL: RESEND_IGMP still due */
			struct list_head bond_list;		/* RTNL; RCU: bond_net::dev_list */
			/* RTNL: /proc/net/bonding/<name>; the last of the head */
			struct proc_dir_entry *proc_entry;
		};
		struct {
			u8 abi_head[BOND_ABI_BOND_MODE];
			int abi_mode;		/* RTNL: params.mode, for in-tree readers */
		};
	};
	struct bond_params params;		/* RTNL; RCU via READ_ONCE */
	struct delayed_work mii_work;		/* mon */
	/*
	 * RTNL: the MII commit is running (get_link runs a slave's pending
	 * link-watch event, whose notifier would start a commit inside it).
	 */
	bool mii_committing;
	struct delayed_work arp_work;		/* mon: the ARP/NS monitor */
	/*
	 * RTNL to write (bond_rx_tap_update() alone); READ_ONCE under RCU in
	 * the receive handler: the mode's rx, or the ARP monitor's, or NULL.
	 */
	bond_rx_tap_t rx_tap;
	/*
	 * RTNL to write (bond_mode_switch()); RCU readers with acquire: the
	 * mode whose state mode_priv is, NULL while it changes hands.
	 */
	const struct bond_mode *mode_priv_owner;
	struct slave __rcu *arp_candidate;	/* RTNL; RCU: probing, no active */
	/* RTNL: the NS targets whose groups backups joined (bond_targets.c) */
	struct in6_addr ns_maddr_list[BOND_MAX_NS_TARGETS];
	struct delayed_work mcast_work;		/* IGMP/MLD re-joins */
	struct delayed_work relink_work;	/* failover_relink: carrier back */
	bool relinking;				/* RTNL: carrier held off by relink_work */
	struct dentry *debug_dir;		/* RTNL: debugfs bonding/<name> */
	spinlock_t stats_lock;
	struct rtnl_link_stats64 stats;		/* stats_lock: what the slaves counted */
#ifdef CONFIG_XFRM_OFFLOAD
	struct mutex xfrm_mutex;		/* see bond_xfrm.c */
	struct list_head xfrm_list;		/* xfrm_mutex: SAs offloaded to the bond */
	/* xfrm_mutex and the SA's x->lock to write: the SA a slave is adding */
	struct xfrm_state *xfrm_adding;
#endif
};

/* Per network namespace state (net_generic()). */
struct bond_net {
	struct net *net;		/* const */
	struct list_head dev_list;	/* RTNL; RCU: every bond in this netns */
	struct proc_dir_entry *proc_dir;	/* const after pernet init */
	/* /sys/class/net/bonding_masters, one per netns; const after init */
	struct class_attribute class_attr_bonding_masters;
};

/* The heads end before the places in-tree readers look at. */
static_assert(offsetofend(struct bonding, proc_entry) <= BOND_ABI_BOND_MODE);
static_assert(offsetofend(struct slave, last_link_up) <= BOND_ABI_SLAVE_FLAGS);
static_assert(offsetof(struct bonding, dev) == 0);
static_assert(offsetof(struct bonding, curr_active_slave) == BOND_ABI_BOND_CURR_ACTIVE);
static_assert(offsetof(struct bonding, abi_mode) == BOND_ABI_BOND_MODE);
static_assert(sizeof(((struct bonding *)0)->abi_mode) == BOND_ABI_BOND_MODE_SIZE);
static_assert(offsetof(struct slave, dev) == 0);
static_assert(offsetof(struct slave, bond) == BOND_ABI_SLAVE_BOND);
static_assert(offsetof(struct slave, abi_flags) == BOND_ABI_SLAVE_FLAGS);

extern unsigned int bond_net_id;

static inline struct bond_net *bond_net_of(const struct net *net)
{
	return net_generic(net, bond_net_id);
}

static inline struct bonding *bond_of(struct net_device *dev)
{
	return netdev_priv(dev);
}

/* The current mode's private state (bond_mode::priv_size bytes). */
static inline void *bond_mode_priv(const struct bonding *bond)
{
	return bond->mode_priv;
}

/*
 * @mode's private state for a reader that holds no slave (a report under
 * RCU), or NULL if the bond is not in @mode or is changing modes.
 */
static inline void *bond_mode_priv_of(const struct bonding *bond,
				      const struct bond_mode *mode)
{
	/* pairs with bond_mode_switch(): the state read is the owner's */
	if (smp_load_acquire(&bond->mode_priv_owner) != mode)
		return NULL;
	return READ_ONCE(bond->mode_priv);
}

/* The current mode's private state of @slave. */
static inline void *bond_slave_priv(struct slave *slave)
{
	return slave->mode_priv;
}

rx_handler_result_t bond_handle_frame(struct sk_buff **pskb);
void bond_rx_tap_update(struct bonding *bond);

/* The slave behind a device that one of our bonds enslaved, or NULL. */
static inline struct slave *bond_slave_of(const struct net_device *dev)
{
	if (rcu_access_pointer(dev->rx_handler) != bond_handle_frame)
		return NULL;
	return rcu_dereference_rtnl(dev->rx_handler_data);
}

/* Keep what in-tree readers of our structures see in step with us. */
static inline void bond_abi_sync_mode(struct bonding *bond)
{
	WRITE_ONCE(bond->abi_mode, bond->params.mode);
}

static inline void bond_abi_sync_backup(struct slave *slave)
{
	WRITE_ONCE(slave->abi_flags, slave->backup ? 1 : 0);
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
void bond_stats_release(struct bonding *bond, struct slave *slave);

/* bond_xmit.c: the bond's transmit entry points (RCU) */
netdev_tx_t bond_start_xmit(struct sk_buff *skb, struct net_device *dev);
u16 bond_select_queue(struct net_device *dev, struct sk_buff *skb,
		      struct net_device *sb_dev);
struct net_device *bond_get_xmit_slave(struct net_device *dev,
				       struct sk_buff *skb, bool all_slaves);
struct net_device *bond_sk_get_lower_dev(struct net_device *dev, struct sock *sk);

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
#define slave_dbg(bond_dev, slave_dev, fmt, ...) \
	netdev_dbg(bond_dev, "(slave %s): " fmt, (slave_dev)->name, ##__VA_ARGS__)

/* bond_slave.c: enslave, release and the slave arrays (RTNL) */
void bond_refuse(struct bonding *bond, struct net_device *slave_dev,
		 struct netlink_ext_ack *extack, const char *msg);
void bond_refuse_bond(struct bonding *bond, struct netlink_ext_ack *extack,
		      const char *msg);
const char *bond_slave_link_name(u8 link);
void bond_fill_ifbond(struct bonding *bond, struct ifbond *info);
void bond_fill_ifslave(struct slave *slave, struct ifslave *info);
void bond_slave_add_rx_filters(struct bonding *bond, struct slave *slave);
void bond_slave_del_rx_filters(struct bonding *bond, struct slave *slave);
void bond_slave_unsync_addrs(struct bonding *bond, struct slave *slave);
int bond_enslave(struct net_device *bond_dev, struct net_device *slave_dev,
		 struct netlink_ext_ack *extack);
int bond_release(struct net_device *bond_dev, struct net_device *slave_dev);
void bond_release_all(struct bonding *bond);
void bond_rebuild_usable(struct bonding *bond);
void bond_slaves_changed(struct bonding *bond, bool reselect);
void bond_free_usable(struct bonding *bond);
int bond_dev_set_addr(struct net_device *dev, const u8 *addr);
int bond_take_addr(struct bonding *bond, struct net_device *slave_dev);
void bond_update_speed_duplex(struct slave *slave);
void bond_slave_set_link(struct slave *slave, u8 link);
void bond_slave_set_standby(struct slave *slave, bool standby);
void bond_slave_set_roles(struct slave *slave, bool backup, bool inactive);
int bond_slave_netdev_event(struct slave *slave, unsigned long event);

/* bond_features.c: offload features and VLAN filters (RTNL) */
void bond_features_setup(struct net_device *dev);
netdev_features_t bond_fix_features(struct net_device *dev,
				    netdev_features_t features);
void bond_compute_features(struct bonding *bond);
void bond_slave_features_changed(struct bonding *bond);
int bond_vlan_rx_add_vid(struct net_device *dev, __be16 proto, u16 vid);
int bond_vlan_rx_kill_vid(struct net_device *dev, __be16 proto, u16 vid);
void bond_features_slave_check(struct bonding *bond, struct net_device *slave_dev);
int bond_features_slave_join(struct bonding *bond, struct slave *slave);
void bond_features_slave_leave(struct bonding *bond, struct slave *slave);
void bond_features_slave_gone(struct bonding *bond, struct net_device *slave_dev);

/* bond_xfrm.c: IPsec offload by the active slave */
#define BOND_F_XFRM	(NETIF_F_HW_ESP | NETIF_F_HW_ESP_TX_CSUM | NETIF_F_GSO_ESP)
#ifdef CONFIG_XFRM_OFFLOAD
void bond_xfrm_setup(struct bonding *bond);
void bond_xfrm_destroy(struct bonding *bond);
void bond_xfrm_mode_set(struct bonding *bond, const struct bond_mode *mode);
void bond_xfrm_active_leave(struct bonding *bond, struct slave *old);
void bond_xfrm_active_join(struct bonding *bond, struct slave *new);
void bond_xfrm_flush(struct bonding *bond);
#else
static inline void bond_xfrm_setup(struct bonding *bond) { }
static inline void bond_xfrm_destroy(struct bonding *bond) { }
static inline void bond_xfrm_mode_set(struct bonding *bond,
				      const struct bond_mode *mode) { }
static inline void bond_xfrm_active_leave(struct bonding *bond,
					  struct slave *old) { }
static inline void bond_xfrm_active_join(struct bonding *bond,
					 struct slave *new) { }
static inline void bond_xfrm_flush(struct bonding *bond) { }
#endif

/* bond_netpoll.c: netconsole over the bond */
#ifdef CONFIG_NET_POLL_CONTROLLER
int bond_netpoll_setup(struct net_device *dev, struct netpoll_info *ni);
void bond_netpoll_cleanup(struct net_device *dev);
void bond_poll_controller(struct net_device *dev);
int bond_slave_netpoll_enable(struct slave *slave);
void bond_slave_netpoll_disable(struct slave *slave);
int bond_netpoll_slave_join(struct bonding *bond, struct slave *slave);
netdev_tx_t bond_netpoll_xmit(struct slave *slave, struct sk_buff *skb);
#else
static inline int bond_netpoll_slave_join(struct bonding *bond,
					  struct slave *slave)
{
	return 0;
}

static inline void bond_slave_netpoll_disable(struct slave *slave)
{
}

static inline netdev_tx_t bond_netpoll_xmit(struct slave *slave,
					    struct sk_buff *skb)
{
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}
#endif

/* bond_xdp.c: XDP programs on the slaves, XDP transmit (RTNL; RCU) */
struct netdev_bpf;
struct xdp_frame;
void bond_xdp_update_features(struct bonding *bond);
int bond_xdp_slave_join(struct bonding *bond, struct slave *slave,
			struct netlink_ext_ack *extack);
void bond_xdp_slave_leave(struct bonding *bond, struct slave *slave);
int bond_xdp(struct net_device *dev, struct netdev_bpf *xdp);
struct net_device *bond_xdp_get_xmit_slave(struct net_device *dev,
					   struct xdp_buff *xdp);
int bond_xdp_xmit(struct net_device *dev, int n, struct xdp_frame **frames,
		  u32 flags);
int bond_xdp_mode_check(struct bonding *bond, const struct bond_mode *mode,
			u8 policy);

/* bond_arpmon.c: the ARP/NS monitor */
void bond_arpmon_init(struct bonding *bond);
void bond_arpmon_start(struct bonding *bond);
void bond_arpmon_stop(struct bonding *bond);
void bond_arpmon_slave_init(struct bonding *bond, struct slave *slave);
void bond_arpmon_slave_leave(struct bonding *bond, struct slave *slave);
bool bond_arpmon_rcv(struct bonding *bond, struct slave *slave,
		     struct sk_buff *skb);

/* bond_targets.c: ARP/NS target lists, the bond's and each slave's (RTNL) */
struct seq_file;
int bond_arp_find(const __be32 *t, __be32 ip);
int bond_arp_targets_edit(struct bonding *bond, const char *cmd);
int bond_slave_arp_targets_edit(struct slave *slave, const char *cmd);
int bond_slave_ns_targets_edit(struct slave *slave, const char *cmd);
int bond_nl_set_arp_targets(struct bonding *bond, const struct nlattr *nest,
			    struct netlink_ext_ack *extack);
int bond_nl_set_ns_targets(struct bonding *bond, const struct nlattr *nest,
			   struct netlink_ext_ack *extack);
int bond_nl_fill_targets(struct sk_buff *skb, struct bonding *bond);
int bond_arp_targets_show(const __be32 *t, char *buf);
int bond_ns_targets_show(const struct in6_addr *t, char *buf);
void bond_arp_targets_seq(struct seq_file *seq, const __be32 *t);
void bond_ns_targets_seq(struct seq_file *seq, const struct in6_addr *t);
void bond_ns_maddrs_slave(struct bonding *bond, struct slave *slave, bool gone);
void bond_ns_maddrs_sync(struct bonding *bond);

/* bond_type.c: the bond's link type follows its first slave (RTNL) */
int bond_type_follow(struct bonding *bond, struct net_device *slave_dev);
void bond_type_reset(struct bonding *bond);
void bond_type_slave_unregistered(struct bonding *bond);

/* bond_active.c: the active slave, and the bond's carrier (RTNL) */
void bond_select_active(struct bonding *bond);
void bond_set_carrier(struct bonding *bond);
struct slave *bond_shown_active_rcu(struct bonding *bond);
void bond_change_active(struct bonding *bond, struct slave *new_active);
void bond_primary_changed(struct bonding *bond);
int bond_set_active_slave(struct bonding *bond, struct net_device *dev,
			  struct netlink_ext_ack *extack);
void bond_peer_notify_tick(struct bonding *bond);
void bond_relink_init(struct bonding *bond);
void bond_relink_stop(struct bonding *bond);

/* bond_monitor.c: the MII monitor */
void bond_monitor_init(struct bonding *bond);
void bond_monitor_start(struct bonding *bond);
void bond_monitor_stop(struct bonding *bond);
void bond_monitor_kick(struct bonding *bond);
void bond_monitor_event(struct bonding *bond);
int bond_slave_initial_link(struct bonding *bond, struct slave *slave);

#endif /* _BOND_H */
