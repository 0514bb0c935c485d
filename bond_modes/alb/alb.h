/* SPDX-License-Identifier: GPL-2.0 */
/*
 * balance-tlb (mode 5) and balance-alb (mode 6): load balancing that needs
 * nothing from the switch. Every slave keeps a MAC of its own; the active
 * slave wears the bond's.
 *
 * - Transmit (alb_tx.c): each destination is given a slave, the least
 *   loaded for its speed, and keeps it until the next rebalance (10 s).
 *   With tlb_dynamic_lb 0 the transmit hash picks instead.
 * - Receive, alb only (alb_rlb.c): each IPv4 client is told, through the
 *   ARP replies we send it, the MAC of the slave it should send to.
 * - Addresses (alb_mac.c): distinct slave MACs, swaps on failover, and the
 *   learning frames that keep every MAC known to the switches.
 *
 * One spinlock (alb_mode::lock, BH) guards the tables; the transmit path
 * reads a destination's slave without it, under RCU.
 */
#ifndef _BOND_ALB_H
#define _BOND_ALB_H

#include <linux/ethtool.h>
#include <linux/if_ether.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "bond.h"
#include "bond_mode.h"

#define ALB_TICK_MS		100
#define ALB_TICKS_PER_SEC	(1000 / ALB_TICK_MS)
/* Destinations get their slave again from scratch this often. */
#define ALB_REBALANCE_SEC	10
#define ALB_TX_SLOTS		256
#define ALB_RX_SLOTS		256
/* After our own ARP request: wait before the clients are told again. */
#define RLB_UPDATE_DELAY_TICKS	(2 * ALB_TICKS_PER_SEC)
/* How many more ticks the updates go out after a slave left. */
#define RLB_UPDATE_RETRIES	3
/* ARP replies per update of one client: one may be lost. */
#define RLB_UPDATE_BURST	2
/*
 * A client that was told is told once more this much later: a Linux peer
 * ignores a second change of a neighbour's MAC within its locktime (1 s by
 * default), so of two changes in quick succession (two slaves added, a
 * failover after a rebalance) only the first would stick.
 */
#define RLB_ECHO_TICKS		(12 * ALB_TICKS_PER_SEC / 10)
/* The active slave stays promiscuous this long for a disabled slave's MAC. */
#define RLB_PROMISC_TICKS	(10 * ALB_TICKS_PER_SEC)

/* A destination's slot in the transmit table. */
struct alb_tx_slot {
	struct slave __rcu *slave;	/* lock; RCU: NULL, the next packet picks */
	u64 rate;			/* lock: bytes/s last period, at least 1 */
	u64 counted;			/* lock: the counters' sum at that time */
};

/* Bytes sent per slot, per CPU, never reset: the tick takes differences. */
struct alb_tx_bytes {
	u64 slot[ALB_TX_SLOTS];
	u64 unbalanced;			/* sent by the active slave, unbalanced */
};

/* One receive client (alb): a peer that talks to one of our addresses. */
struct rlb_client {
	__be32 ip_ours;			/* the bond's address it talks to */
	__be32 ip_client;
	u8 mac_ours[ETH_ALEN];		/* what our ARP carried */
	u8 mac_client[ETH_ALEN];	/* zero or broadcast until it answers */
	struct slave *slave;		/* its receive slave; NULL: none usable */
	u16 vlan_id;
	bool used;
	bool ntt;			/* it must hear its slave's MAC again */
	bool echo;			/* and once more, RLB_ECHO_TICKS later */
};

struct alb_mode {
	struct bonding *bond;		/* const */
	bool rlb;			/* const: balance-alb */
	spinlock_t lock;		/* BH: the tables below and the counters */
	struct alb_tx_slot tx[ALB_TX_SLOTS];
	struct alb_tx_bytes __percpu *bytes;	/* lockless, BH */
	u64 unbalanced_counted;		/* lock */
	struct delayed_work tick;	/* every ALB_TICK_MS while up */
	unsigned int lp_ticks;		/* tick: since the last learning frames */
	unsigned int rebalance_ticks;	/* tick: since the last rebalance */
	bool tx_rebalance_due;		/* RTNL sets, tick clears: rebalance now */
	/* tick: usable slaves at the last tick; more of them, rebalance */
	unsigned int usable_seen;

	/* balance-alb's receive side, all under the lock */
	struct rlb_client rx[ALB_RX_SLOTS];
	struct slave *rx_cursor;	/* the last slave given; compared only */
	bool rx_rebalance;		/* every client gets a slave again */
	bool rx_ntt;			/* some client must be told */
	u8 rx_update_delay;		/* ticks before the next updates */
	u8 rx_update_retries;
	u8 rx_echo_ticks;		/* until the clients marked echo are told */
	/* RTNL: the active slave was made promiscuous for a disabled MAC */
	bool active_promisc;
	unsigned int promisc_ticks;	/* RTNL */
};

/* Per slave. */
struct alb_port {
	u64 load;			/* lock: bytes/s of the slots it was given */
	/*
	 * lock: it is leaving. The usable array may still hold it until the
	 * core rebuilds it, but no slot or client may take it any more.
	 */
	bool gone;
	/* RTNL: the link the mode last acted on (BOND_SLAVE_LINK_*) */
	u8 link_seen;
};

static inline struct alb_mode *alb_of(struct bonding *bond)
{
	return bond_mode_priv(bond);
}

static inline struct alb_port *alb_port_of(struct slave *slave)
{
	return bond_slave_priv(slave);
}

/* Whether slots and clients may be given @slave now. Under the lock. */
static inline bool alb_port_takes(struct slave *slave)
{
	return !alb_port_of(slave)->gone && bond_slave_usable(slave);
}

/* A slave's speed for balancing: an unknown one counts as none. */
static inline u32 alb_speed(const struct slave *slave)
{
	u32 speed = READ_ONCE(slave->speed);

	return speed == (u32)SPEED_UNKNOWN ? 0 : speed;
}

/* Tables are locked with BH off; a caller in hard IRQ (netpoll) must not. */
static inline bool alb_may_lock(void)
{
	return !in_hardirq() && !irqs_disabled();
}

/* alb_tx.c */
netdev_tx_t alb_tlb_xmit(struct bonding *bond, struct sk_buff *skb);
netdev_tx_t alb_alb_xmit(struct bonding *bond, struct sk_buff *skb);
struct slave *alb_xmit_slave(struct bonding *bond, struct sk_buff *skb);
void alb_tx_forget_slave(struct alb_mode *m, struct slave *slave);
void alb_tx_rebalance(struct alb_mode *m);

/* alb_mac.c */
int alb_mac_attach(struct alb_mode *m, struct slave *slave);
void alb_mac_detach(struct alb_mode *m, struct slave *slave);
void alb_mac_active_changed(struct alb_mode *m, struct slave *old,
			    struct slave *new);
int alb_mac_set_bond_addr(struct bonding *bond, const u8 *addr);
void alb_send_learning(struct slave *slave, const u8 *mac, bool strict);
void alb_learning_tick(struct alb_mode *m);

/* alb_rlb.c */
struct slave *rlb_arp_xmit(struct alb_mode *m, struct sk_buff *skb);
bool rlb_rx(struct bonding *bond, struct slave *slave, struct sk_buff *skb);
void rlb_forget_slave(struct alb_mode *m, struct slave *slave);
void rlb_tell_slave_clients(struct alb_mode *m, struct slave *slave);
void rlb_teach_on_active(struct alb_mode *m, const u8 *mac);
void rlb_drop_promisc(struct alb_mode *m, struct slave *active);
void rlb_forget_vlan(struct bonding *bond, u16 vid);
void rlb_tick(struct alb_mode *m);
unsigned int rlb_clients(struct bonding *bond, struct bond_rx_client *out,
			 unsigned int max);

#endif /* _BOND_ALB_H */
