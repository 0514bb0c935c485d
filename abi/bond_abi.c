// SPDX-License-Identifier: GPL-2.0
/*
 * Not part of the module: compiled to assembly at build time, against the
 * kernel's own include/net/bonding.h, to learn where in-kernel readers of
 * the in-tree driver's private structures look. Kbuild turns the markers
 * into generated/bond_abi.h, and include/bond.h lays our structures out so
 * that those places hold what the readers expect:
 *
 *  - bond_option_active_slave_get_rcu() (RoCE GID table, mlx4, mlx5 mirred)
 *    reads bonding::curr_active_slave and bonding::params.mode;
 *  - net_lag_port_dev_txable() (mlxsw, mlx5 representors) reads the backup
 *    bit of the struct slave behind a slave's rx_handler_data.
 */
#include <linux/kbuild.h>
#include <net/bonding.h>

void bond_abi_markers(void);

void bond_abi_markers(void)
{
	DEFINE(BOND_ABI_BOND_CURR_ACTIVE, offsetof(struct bonding, curr_active_slave));
	DEFINE(BOND_ABI_BOND_MODE, offsetof(struct bonding, params.mode));
	DEFINE(BOND_ABI_BOND_MODE_SIZE, sizeof(((struct bonding *)0)->params.mode));
	DEFINE(BOND_ABI_SLAVE_BOND, offsetof(struct slave, bond));
	/* backup is bit 0 of the one byte between link_new_state and duplex */
	BUILD_BUG_ON(offsetof(struct slave, duplex) !=
		     offsetof(struct slave, link_new_state) + 2);
	DEFINE(BOND_ABI_SLAVE_FLAGS, offsetof(struct slave, link_new_state) + 1);
}
