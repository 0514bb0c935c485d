// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs: /sys/class/net/bonding_masters, one per network namespace.
 *
 * Reading lists the bonds of the writer's namespace; writing "+name" creates
 * a bond and "-name" deletes one.
 */

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <net/net_namespace.h>

#include "bond.h"
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
