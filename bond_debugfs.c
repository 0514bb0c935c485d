// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs, as in-tree: bonding/<bond>/rlb_hash_table lists the clients a
 * receive-balancing mode spread over the slaves, and is empty in other
 * modes. The mode hands over the data; the format is in-tree's.
 */

#include <linux/debugfs.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "bond.h"
#include "bond_mode.h"
#include "bond_iface.h"

#define BOND_RX_CLIENTS_MAX	256

static struct dentry *bond_debug_root;

static int bond_rlb_table_show(struct seq_file *m, void *v)
{
	struct bonding *bond = m->private;
	struct bond_rx_client *c;
	unsigned int i, n;

	if (!READ_ONCE(bond->mode)->rx_clients)
		return 0;
	c = kcalloc(BOND_RX_CLIENTS_MAX, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	rcu_read_lock();
	/* the mode may change meanwhile: its hook then finds no state */
	n = READ_ONCE(bond->mode)->rx_clients ?
	    READ_ONCE(bond->mode)->rx_clients(bond, c, BOND_RX_CLIENTS_MAX) : 0;
	rcu_read_unlock();
	seq_puts(m, "SourceIP        DestinationIP   Destination MAC   DEV\n");
	for (i = 0; i < n; i++)
		seq_printf(m, "%-15pI4 %-15pI4 %-17pM %s\n", &c[i].ip_ours,
			   &c[i].ip_client, c[i].mac_client,
			   c[i].slave[0] ? c[i].slave : "(none)");
	kfree(c);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bond_rlb_table);

/*
 * ndo_init. Bonds of the same name in other namespaces share the one
 * directory name: the first has it, as in-tree, and the others go without
 * rather than fill the log.
 */
void bond_debugfs_add(struct bonding *bond)
{
	struct dentry *d;

	ASSERT_RTNL();
	if (IS_ERR_OR_NULL(bond_debug_root))
		return;
	d = debugfs_lookup(bond->dev->name, bond_debug_root);
	if (d) {
		dput(d);
		return;
	}
	d = debugfs_create_dir(bond->dev->name, bond_debug_root);
	if (IS_ERR(d))
		return;
	bond->debug_dir = d;
	debugfs_create_file("rlb_hash_table", 0400, d, bond, &bond_rlb_table_fops);
}

/* ndo_uninit: a reader still in the file is waited for. */
void bond_debugfs_del(struct bonding *bond)
{
	ASSERT_RTNL();
	debugfs_remove_recursive(bond->debug_dir);
	bond->debug_dir = NULL;
}

void bond_debugfs_rename(struct bonding *bond)
{
	struct dentry *d;

	ASSERT_RTNL();
	if (!bond->debug_dir) {
		bond_debugfs_add(bond);
		return;
	}
	d = debugfs_rename(bond_debug_root, bond->debug_dir, bond_debug_root,
			   bond->dev->name);
	if (IS_ERR(d)) {
		netdev_warn(bond->dev, "failed to reregister, so just unregister old one\n");
		bond_debugfs_del(bond);
	}
}

void __init bond_debugfs_init(void)
{
	bond_debug_root = debugfs_create_dir("bonding", NULL);
	if (IS_ERR(bond_debug_root))
		pr_warn("Warning: Cannot create bonding directory in debugfs\n");
}

void bond_debugfs_exit(void)
{
	debugfs_remove_recursive(bond_debug_root);
	bond_debug_root = NULL;
}
