// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/bonding/<bond>: one directory per network namespace and one
 * read-only file per bond, which follows the bond's renames.
 */

#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <generated/utsrelease.h>
#include <net/net_namespace.h>

#include "bond.h"
#include "bond_iface.h"

static int bond_proc_show(struct seq_file *seq, void *v)
{
	seq_printf(seq, "%s: v%s\n\n", BOND_DRV_DESC, UTS_RELEASE);
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
