// SPDX-License-Identifier: GPL-2.0
/*
 * The table of modes, indexed by the uAPI mode number. A mode that is not
 * in the table is refused by the mode option, with a message.
 */

#include <linux/kernel.h>
#include <linux/if_bonding.h>
#include <linux/string.h>

#include "bond_mode.h"

static const struct bond_mode *const bond_modes[BOND_MODE_ALB + 1] = {
	[BOND_MODE_ROUNDROBIN]		= &bond_mode_roundrobin,
	[BOND_MODE_ACTIVEBACKUP]	= &bond_mode_activebackup,
	[BOND_MODE_XOR]			= &bond_mode_xor,
	[BOND_MODE_BROADCAST]		= &bond_mode_broadcast,
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
