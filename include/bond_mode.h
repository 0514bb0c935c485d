/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bonding mode: one file in bond_modes/ fills one struct bond_mode. The
 * core reaches a mode only through it: static properties are data, and
 * behaviour is hooks. Every hook but xmit is optional.
 */
#ifndef _BOND_MODE_H
#define _BOND_MODE_H

#include <linux/netdevice.h>
#include <linux/if_bonding.h>
#include <linux/skbuff.h>

struct bonding;
struct slave;
struct xdp_buff;
struct sock;

/*
 * A receive tap: sees each frame a slave received before the bond takes it
 * (RCU, BH). True: it consumed the frame, and the core frees it.
 */
typedef bool (*bond_rx_tap_t)(struct bonding *bond, struct slave *slave,
			      struct sk_buff *skb);

/* What an aggregating mode reports of its active aggregator and system. */
struct bond_agg_info {
	u16 id;
	u16 ports;
	u16 actor_key;
	u16 partner_key;
	u8 partner_system[ETH_ALEN];
	u16 sys_prio;			/* the actor system in use */
	u8 sys[ETH_ALEN];
};

/* One side of a port's LACP exchange (802.1AX actor or partner). */
struct bond_lacp_side {
	u16 sys_prio;
	u8 sys[ETH_ALEN];
	u16 key;
	u16 port_prio;
	u16 port;
	u8 state;			/* LACP_STATE_* */
};

/* What an aggregating mode reports of one port. */
struct bond_port_info {
	u16 agg_id;			/* 0: in no aggregator */
	u8 actor_churn, partner_churn;	/* 0 monitoring, 1 churned, 2 none */
	u32 actor_churn_count, partner_churn_count;
	struct bond_lacp_side actor, partner;
	const char *reason;		/* why it does not distribute (sysfs ad_reason) */
};

/* One receive-balanced client, as debugfs' rlb_hash_table lists it. */
struct bond_rx_client {
	__be32 ip_ours, ip_client;
	u8 mac_client[ETH_ALEN];
	char slave[IFNAMSIZ];		/* "" when it has none */
};

/* Link xstats counters, indexed by BOND_3AD_STAT_*. */
#define BOND_LACP_STATS		BOND_3AD_STAT_PAD

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
	/*
	 * Slaves need a known speed and duplex (802.3ad, tlb, alb): one
	 * without them stays down, and the mode runs the MII monitor (miimon
	 * 100 if it was off, the ARP monitor off), as in-tree.
	 */
	bool needs_speed_duplex;
	/* Only Ethernet slaves (802.3ad): others are refused, as in-tree. */
	bool ether_only;
	/*
	 * An inactive slave still passes unicast up (balance-alb: the peers
	 * send to every slave's own MAC); broadcast and multicast stay
	 * exact-match, so the bond hears each once.
	 */
	bool inactive_rx_unicast;
	/* With tlb_dynamic_lb 0 flows are spread by xmit_hash_policy. */
	bool hashes_when_static;

	/* The data path, under RCU (BH). Consumes the skb. */
	netdev_tx_t (*xmit)(struct bonding *bond, struct sk_buff *skb);
	/* Which slave xmit would use for this skb, or NULL; under RCU. */
	struct slave *(*xmit_slave)(struct bonding *bond, struct sk_buff *skb);
	/* The same over every slave, usable or not (RDMA LAG); optional. */
	struct slave *(*xmit_slave_all)(struct bonding *bond, struct sk_buff *skb);
	/*
	 * The slave all of a connected socket's packets take, or NULL when
	 * that cannot be told without a packet; optional, under RCU. kTLS
	 * device offload binds the socket's key to that slave.
	 */
	struct slave *(*sk_slave)(struct bonding *bond, struct sock *sk);
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
	 * With agg_info: one port (@slave) as it is now; false when it is in
	 * no aggregator (the actor's port priority is filled all the same).
	 */
	bool (*port_info)(struct bonding *bond, struct slave *slave,
			  struct bond_port_info *info);
	/* With agg_info: the LACP counters of @slave, or the bond's if NULL. */
	void (*lacp_stats)(struct bonding *bond, struct slave *slave,
			   u64 stats[BOND_LACP_STATS]);
	/* An option changed (enum bond_opt_id), under RTNL. */
	void (*option_changed)(struct bonding *bond, unsigned int opt_id);
	/*
	 * The clients a receive-balancing mode spreads over its slaves, at
	 * most @max into @out; returns how many. RCU, no RTNL (debugfs).
	 */
	unsigned int (*rx_clients)(struct bonding *bond, struct bond_rx_client *out,
				   unsigned int max);
	/* A slave option: @slave's 802.3ad port priority (RTNL). */
	void (*set_port_prio)(struct bonding *bond, struct slave *slave, u16 prio);

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
	/* The bond goes up (before the slaves' arrays follow) and down. */
	int (*open)(struct bonding *bond);
	void (*close)(struct bonding *bond);
	/* @slave's link (bond_slave_set_link()), speed or duplex changed. */
	void (*slave_changed)(struct bonding *bond, struct slave *slave);
	/*
	 * May @slave, whose link is up, carry traffic? The usable array
	 * takes only those (RTNL). NULL: every one.
	 */
	bool (*slave_transmits)(struct bonding *bond, struct slave *slave);
	/* The bond's carrier while it has slaves (RTNL). NULL: any slave up. */
	bool (*carrier)(struct bonding *bond);
	/*
	 * The active slave changed from @old to @new (either may be NULL),
	 * both already in their roles and curr_active_slave published.
	 */
	void (*active_changed)(struct bonding *bond, struct slave *old,
			       struct slave *new);
	/*
	 * The bond is given address @addr (valid, checked): the mode sets it
	 * on the bond and on whichever slaves it belongs to. NULL: every
	 * slave wears it.
	 */
	int (*set_mac)(struct bonding *bond, const u8 *addr);
	/* The bond's VLAN @vid is gone (RTNL). */
	void (*vlan_killed)(struct bonding *bond, u16 vid);
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
extern const struct bond_mode bond_mode_8023ad;
extern const struct bond_mode bond_mode_tlb;
extern const struct bond_mode bond_mode_alb;

/* Whether @bond spreads flows by xmit_hash_policy now. */
static inline bool bond_mode_uses_hash(const struct bond_mode *mode,
				       bool tlb_dynamic_lb)
{
	return mode->uses_xmit_hash ||
	       (mode->hashes_when_static && !tlb_dynamic_lb);
}

/* balance-xor's hashed transmit over the usable array, which 802.3ad shares. */
netdev_tx_t bond_hash_xmit(struct bonding *bond, struct sk_buff *skb);
struct slave *bond_hash_xmit_slave(struct bonding *bond, struct sk_buff *skb);
struct slave *bond_hash_xmit_slave_all(struct bonding *bond, struct sk_buff *skb);
struct slave *bond_hash_sk_slave(struct bonding *bond, struct sock *sk);
struct slave *bond_hash_xdp_slave(struct bonding *bond, struct xdp_buff *xdp);
bool bond_hash_xdp_ok(struct bonding *bond, u8 xmit_policy);

/* bond_xmit.c: the helpers the modes transmit with (RCU, BH off). */
netdev_tx_t bond_xmit_to(struct bonding *bond, struct slave *slave,
			 struct sk_buff *skb);
netdev_tx_t bond_xmit_drop(struct bonding *bond, struct sk_buff *skb);
struct slave *bond_queue_id_slave(struct bonding *bond, struct sk_buff *skb);

#endif /* _BOND_MODE_H */
