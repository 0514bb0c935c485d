/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bonding mode: one file in bond_modes/ fills one struct bond_mode. The
 * core reaches a mode only through it: static properties are data, and
 * behaviour is hooks. Every hook but xmit is optional.
 */
#ifndef _BOND_MODE_H
#define _BOND_MODE_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>

struct bonding;
struct slave;
struct xdp_buff;

/*
 * A receive tap: sees each frame a slave received before the bond takes it
 * (RCU, BH). True: it consumed the frame, and the core frees it.
 */
typedef bool (*bond_rx_tap_t)(struct bonding *bond, struct slave *slave,
			      struct sk_buff *skb);

/* What an aggregating mode reports of its active aggregator. */
struct bond_agg_info {
	u16 id;
	u16 ports;
	u16 actor_key;
	u16 partner_key;
	u8 partner_system[ETH_ALEN];
};

struct bond_mode {
	u8 id;				/* BOND_MODE_*, the uAPI number */
	const char *name;		/* "active-backup": sysfs, netlink, modparam */
	const char *proc_name;		/* "fault-tolerance (active-backup)" */
	enum netdev_lag_tx_type lag_tx_type;
	/*
	 * The bond has an active slave users choose (primary, active_slave,
	 * prio): it alone takes the bond's receive filters and IGMP joins,
	 * and the others receive exact-match only (struct slave::inactive).
	 */
	bool has_active;
	/* Only the active slave transmits; the others are backups. */
	bool tx_active_only;
	/*
	 * A change of active slave is a failover: NETDEV_BONDING_FAILOVER and
	 * the peer notifications go out, and fail_over_mac applies.
	 */
	bool failover;
	/* IGMP reports go by the active slave: re-join when it changes. */
	bool igmp_on_active;
	/* Flows are spread by xmit_hash_policy. */
	bool uses_xmit_hash;
	/* Every packet goes by every slave: the bond is as fast as the slowest. */
	bool speed_is_min;
	/* ESP offload goes to the active slave (bond_xfrm.c). */
	bool xfrm_offload;

	/* The data path, under RCU (BH). Consumes the skb. */
	netdev_tx_t (*xmit)(struct bonding *bond, struct sk_buff *skb);
	/* Which slave xmit would use for this skb, or NULL; under RCU. */
	struct slave *(*xmit_slave)(struct bonding *bond, struct sk_buff *skb);
	/* The same over every slave, usable or not (RDMA LAG); optional. */
	struct slave *(*xmit_slave_all)(struct bonding *bond, struct sk_buff *skb);
	/* The slave for an XDP frame, or NULL; under RCU. Set: XDP works. */
	struct slave *(*xdp_slave)(struct bonding *bond, struct xdp_buff *xdp);
	/* Whether XDP works with this hash policy; NULL: always. */
	bool (*xdp_ok)(struct bonding *bond, u8 xmit_policy);
	/*
	 * The frames the mode itself takes (LACPDUs, ALB's ARP learning). A
	 * mode with @rx refuses the ARP monitor, which taps receive too.
	 */
	bond_rx_tap_t rx;
	/*
	 * Set by a mode that aggregates ports (802.3ad); the ad_* reports
	 * exist only in such a mode. Fills @info with the active aggregator,
	 * or returns false when there is none. RCU or RTNL.
	 */
	bool (*agg_info)(struct bonding *bond, struct bond_agg_info *info);

	/*
	 * The mode's own state, zeroed by the core: @priv_size bytes per bond
	 * (bond_mode_priv()), @slave_priv_size per slave (bond_slave_priv()).
	 * The data path may read them only through a slave it found: the mode
	 * changes only while the bond is down and has no slaves.
	 */
	unsigned int priv_size;
	unsigned int slave_priv_size;

	/* Control path, under RTNL. */
	/* The bond takes this mode, @priv zeroed; on failure it keeps its old one. */
	int (*init)(struct bonding *bond, void *priv);
	/*
	 * The bond left this mode (RTNL), or is freed (the destructor, no
	 * lock), and a grace period has passed: free what init made.
	 */
	void (*uninit)(void *priv);
	/* A slave joins, before it is published; a failure refuses it. */
	int (*slave_attach)(struct bonding *bond, struct slave *slave);
	/* A slave leaves; readers may see it until a grace period passes. */
	void (*slave_detach)(struct bonding *bond, struct slave *slave);
};

/* bond_modes/modes.c */
const struct bond_mode *bond_mode_get(unsigned int id);
int bond_mode_start(struct bonding *bond);
int bond_mode_switch(struct bonding *bond, const struct bond_mode *mode);
void bond_mode_free(struct bonding *bond);
const char *bond_mode_name(unsigned int id);
const char *bond_mode_long_name(unsigned int id);
int bond_modes_check(void);

/* The modes, each in its own file. */
extern const struct bond_mode bond_mode_roundrobin;
extern const struct bond_mode bond_mode_activebackup;
extern const struct bond_mode bond_mode_xor;
extern const struct bond_mode bond_mode_broadcast;

/* bond_xmit.c: the helpers the modes transmit with (RCU, BH off). */
netdev_tx_t bond_xmit_to(struct bonding *bond, struct slave *slave,
			 struct sk_buff *skb);
netdev_tx_t bond_xmit_drop(struct bonding *bond, struct sk_buff *skb);
struct slave *bond_queue_id_slave(struct bonding *bond, struct sk_buff *skb);

#endif /* _BOND_MODE_H */
