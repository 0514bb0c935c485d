/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bond device and the per-namespace state: the core's private types.
 *
 * Lock rules are written beside each field:
 *   RTNL   - written only with rtnl_lock held; read under RTNL or, where
 *            marked "RCU", under rcu_read_lock().
 *   const  - set once before the object is published, never written again.
 */
#ifndef _BOND_H
#define _BOND_H

#include <linux/netdevice.h>
#include <linux/list.h>
#include <linux/proc_fs.h>
#include <linux/device/class.h>
#include <net/netns/generic.h>

#define BOND_DRV_NAME		"bonding"
#define BOND_DRV_DESC		"Ethernet Channel Bonding Driver"
#define BOND_MOD_VERSION	"0.1.0"

/* Private data of a bond netdevice (netdev_priv()). */
struct bonding {
	struct net_device *dev;		/* const: the bond itself */
	struct list_head bond_list;	/* RTNL; RCU: entry in bond_net::dev_list */
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

/* bond_main.c: the core API used by the interfaces */
bool netif_is_our_bond(const struct net_device *dev);
int bond_create(struct net *net, const char *name);
struct net_device *bond_find_by_name(struct bond_net *bn, const char *name);
void bond_setup(struct net_device *dev);
void bond_after_register(struct net_device *dev);
unsigned int bond_num_tx_queues(void);

#endif /* _BOND_H */
