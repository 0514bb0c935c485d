// SPDX-License-Identifier: GPL-2.0
/*
 * The table of modes, indexed by the uAPI mode number. A mode that is not
 * in the table is refused by the mode option, with a message.
 */

#include <linux/kernel.h>
#include <linux/if_bonding.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "bond.h"
#include "bond_mode.h"

static const struct bond_mode *const bond_modes[BOND_MODE_ALB + 1] = {
	[BOND_MODE_ROUNDROBIN]		= &bond_mode_roundrobin,
	[BOND_MODE_ACTIVEBACKUP]	= &bond_mode_activebackup,
	[BOND_MODE_XOR]			= &bond_mode_xor,
	[BOND_MODE_BROADCAST]		= &bond_mode_broadcast,
	[BOND_MODE_8023AD]		= &bond_mode_8023ad,
	[BOND_MODE_TLB]			= &bond_mode_tlb,
	[BOND_MODE_ALB]			= &bond_mode_alb,
};

/* The uAPI names of every mode, implemented here or not. */
static const char *const bond_mode_names[BOND_MODE_ALB + 1] = {
	"balance-rr", "active-backup", "balance-xor", "broadcast",
	"802.3ad", "balance-tlb", "balance-alb",
};

/* The long names /proc and some messages use, for every mode. */
static const char *const bond_mode_long_names[BOND_MODE_ALB + 1] = {
	"load balancing (round-robin)", "fault-tolerance (active-backup)",
	"load balancing (xor)", "fault-tolerance (broadcast)",
	"IEEE 802.3ad Dynamic link aggregation",
	"transmit load balancing", "adaptive load balancing",
};

const struct bond_mode *bond_mode_get(unsigned int id)
{
	return id < ARRAY_SIZE(bond_modes) ? bond_modes[id] : NULL;
}

/* @mode's private state for @bond, made and set up, or an ERR_PTR. */
static void *bond_mode_priv_new(struct bonding *bond,
				const struct bond_mode *mode)
{
	void *priv = NULL;
	int ret;

	if (mode->priv_size) {
		priv = kzalloc(mode->priv_size, GFP_KERNEL);
		if (!priv)
			return ERR_PTR(-ENOMEM);
	}
	ret = mode->init ? mode->init(bond, priv) : 0;
	if (ret) {
		kfree(priv);
		return ERR_PTR(ret);
	}
	return priv;
}

/* No reader can reach @priv any more: @mode lets go of it. */
static void bond_mode_priv_free(const struct bond_mode *mode, void *priv)
{
	if (mode->uninit)
		mode->uninit(priv);
	kfree(priv);
}

/* A new bond: its first mode's private state (ndo_init). */
int bond_mode_start(struct bonding *bond)
{
	void *priv;

	ASSERT_RTNL();
	priv = bond_mode_priv_new(bond, bond->mode);
	if (IS_ERR(priv))
		return PTR_ERR(priv);
	bond->mode_priv = priv;
	/* pairs with bond_mode_priv_of(): the owner is seen after the state */
	smp_store_release(&bond->mode_priv_owner, bond->mode);
	bond_rx_tap_update(bond);
	return 0;
}

/*
 * The bond takes @mode; on failure it keeps the mode it had. The option
 * allows this only while the bond is down without slaves. Readers that
 * run on a down bond too (XDP transmit, ndo_get_xmit_slave) may still pair
 * one mode's hooks with the other's state: that is why a data-path hook
 * reaches its state only through a usable slave, and there is none, and a
 * report without a slave through bond_mode_priv_of(). The old state goes
 * after a grace period.
 */
int bond_mode_switch(struct bonding *bond, const struct bond_mode *mode)
{
	const struct bond_mode *old = bond->mode;
	void *old_priv = bond->mode_priv;
	void *priv;

	ASSERT_RTNL();
	if (WARN_ON_ONCE(bond_has_slaves(bond) || (bond->dev->flags & IFF_UP)))
		return -EBUSY;
	priv = bond_mode_priv_new(bond, mode);
	if (IS_ERR(priv))
		return PTR_ERR(priv);
	/* reports read the state without a slave: none may see it change hands */
	WRITE_ONCE(bond->mode_priv_owner, NULL);
	synchronize_net();
	WRITE_ONCE(bond->mode, mode);
	WRITE_ONCE(bond->mode_priv, priv);
	/* pairs with bond_mode_priv_of(): the owner is seen after the state */
	smp_store_release(&bond->mode_priv_owner, mode);
	bond_rx_tap_update(bond);
	bond_mode_priv_free(old, old_priv);
	return 0;
}

/* The bond is freed, after a grace period (the netdev destructor). */
void bond_mode_free(struct bonding *bond)
{
	bond_mode_priv_free(bond->mode, bond->mode_priv);
	bond->mode_priv = NULL;
	bond->mode_priv_owner = NULL;
}

/* Name of mode @id whether or not it is implemented, or NULL. */
const char *bond_mode_name(unsigned int id)
{
	return id < ARRAY_SIZE(bond_mode_names) ? bond_mode_names[id] : NULL;
}

const char *bond_mode_long_name(unsigned int id)
{
	return id < ARRAY_SIZE(bond_mode_long_names) ? bond_mode_long_names[id] : NULL;
}

/* Every mode in the table must be whole and sit at its own number. */
int __init bond_modes_check(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bond_modes); i++) {
		const struct bond_mode *m = bond_modes[i];

		if (!m)
			continue;
		if (m->id != i || !m->xmit || !m->name || !m->proc_name ||
		    strcmp(m->name, bond_mode_names[i]) ||
		    strcmp(m->proc_name, bond_mode_long_names[i])) {
			pr_err("mode table entry %u is inconsistent\n", i);
			return -EINVAL;
		}
	}
	return 0;
}
