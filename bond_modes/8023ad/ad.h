/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 802.3ad (IEEE 802.1AX Link Aggregation Control Protocol): the state the
 * mode keeps per bond and per port, and the interfaces between its files:
 *
 *   ad_pdu.c     LACPDU and Marker PDU layout, encode and decode (6.4.2, 6.5.3)
 *   ad_port.c    the per-port machines: receive (6.4.12), periodic (6.4.13),
 *                transmit (6.4.16), churn detection (6.4.17)
 *   ad_mux.c     the mux machine, coupled and independent control (6.4.15)
 *   ad_select.c  port selection (6.4.14) and which aggregator is active
 *   ad_why.c     why a port does not distribute, in words
 *   ad_mode.c    the glue to the bond: hooks, the tick, receive, reports
 *
 * The machines only change this state: they never transmit, sleep or take
 * another lock. What they ask of the bond (send a PDU, enable or disable a
 * port for transmit and receive, recompute carrier) they leave as flags,
 * which the glue carries out once the mode lock is dropped.
 *
 * Locking (WireGuard style: written here, asserted in code):
 *   ad_bond::lock (BH spinlock) guards every ad_port and ad_agg field the
 *   machines use; the tick, the receive handler and RTNL paths all take it.
 *   ad_port::agg is also read under RCU (reports, the usable filter): it is
 *   published with rcu_assign_pointer, and an ad_agg lives in its slave's
 *   private area, freed a grace period after the slave leaves.
 *   Fields reports read locklessly are written with WRITE_ONCE.
 *   ad_bond::stats and ad_port::stats are atomic counters.
 */
#ifndef _BOND_AD_H
#define _BOND_AD_H

#include <linux/types.h>
#include <linux/bits.h>
#include <linux/if_ether.h>
#include <linux/if_bonding.h>
#include <linux/spinlock.h>
#include <linux/atomic.h>
#include <linux/rcupdate.h>

#ifdef AD_SIM
/* tests/tools/ad-sim: the machines run in user space against each other */
#include "ad_sim.h"
#else
#include "bond.h"
/* The dynamic-debug lines of in-tree (state numbers as enum ad_*_state). */
#define ad_dbg(ab, port, fmt, ...) \
	slave_dbg((ab)->bond->dev, (port)->slave->dev, fmt, ##__VA_ARGS__)
#endif

struct bonding;
struct slave;
struct sk_buff;

/* ---- timing (802.1AX-2014 6.4.4), in ticks of 100 ms ---------------------- */

#define AD_TICK_MS			100
#define AD_TICKS_PER_SEC		(1000 / AD_TICK_MS)
#define AD_FAST_PERIODIC_TICKS		(1 * AD_TICKS_PER_SEC)
#define AD_SLOW_PERIODIC_TICKS		(30 * AD_TICKS_PER_SEC)
#define AD_SHORT_TIMEOUT_TICKS		(3 * AD_TICKS_PER_SEC)
#define AD_LONG_TIMEOUT_TICKS		(90 * AD_TICKS_PER_SEC)
#define AD_CHURN_DETECTION_TICKS	(60 * AD_TICKS_PER_SEC)
#define AD_AGGREGATE_WAIT_TICKS		(2 * AD_TICKS_PER_SEC)
/*
 * At most 3 LACPDUs in any Fast_Periodic_Time (6.4.16). In-tree spaces
 * them 3 ticks apart; a window lets a handshake's replies go at once. A
 * fourth goes 12 ticks after the first: events fall between ticks, and
 * each tick's 100 ms is counted in whole jiffies from a point inside one,
 * so 11 tick numbers apart could be a little under a second.
 */
#define AD_TX_BURST			3
#define AD_TX_WINDOW_TICKS		(AD_TICKS_PER_SEC + 2)
/* A new port's first LACPDU, 3 ticks on, as in-tree: by then it has expired. */
#define AD_TX_FIRST_TICKS		3
/* The first slave of an empty bond: aggregators settle for 8 s (in-tree). */
#define AD_FIRST_SELECT_TICKS		(8 * AD_TICKS_PER_SEC)

/* ---- identifiers and defaults ------------------------------------------- */

#define AD_PORT_PRIO_DEFAULT		255
/* The partner's administrative (default) values: 6.4.7, as in-tree. */
#define AD_PARTNER_ADMIN_SYS_PRIO	0xffff
#define AD_PARTNER_ADMIN_KEY		1
#define AD_PARTNER_ADMIN_PORT		1
#define AD_PARTNER_ADMIN_PORT_PRIO	0xff

/* The actor and partner state bits (802.1AX-2014 6.4.2.3), short. */
#define AD_ST_ACTIVITY		LACP_STATE_LACP_ACTIVITY
#define AD_ST_TIMEOUT		LACP_STATE_LACP_TIMEOUT
#define AD_ST_AGGREGATION	LACP_STATE_AGGREGATION
#define AD_ST_SYNC		LACP_STATE_SYNCHRONIZATION
#define AD_ST_COLLECTING	LACP_STATE_COLLECTING
#define AD_ST_DISTRIBUTING	LACP_STATE_DISTRIBUTING
#define AD_ST_DEFAULTED		LACP_STATE_DEFAULTED
#define AD_ST_EXPIRED		LACP_STATE_EXPIRED

/* Port key: user bits 15..6, speed code 5..1, full duplex bit 0 (6.3.5). */
#define AD_KEY_DUPLEX			BIT(0)
#define AD_KEY_SPEED_MASK		GENMASK(5, 1)
#define AD_KEY_USER_SHIFT		6

/* ---- the machines' states (the numbers dynamic debug prints) ------------- */

enum ad_rx_state {
	AD_RX_DUMMY, AD_RX_INITIALIZE, AD_RX_PORT_DISABLED, AD_RX_LACP_DISABLED,
	AD_RX_EXPIRED, AD_RX_DEFAULTED, AD_RX_CURRENT,
};

enum ad_periodic_state {
	AD_PERIODIC_DUMMY, AD_NO_PERIODIC, AD_FAST_PERIODIC, AD_SLOW_PERIODIC,
	AD_PERIODIC_TX,
};

enum ad_mux_state {
	AD_MUX_DUMMY, AD_MUX_DETACHED, AD_MUX_WAITING, AD_MUX_ATTACHED,
	AD_MUX_COLLECTING, AD_MUX_DISTRIBUTING, AD_MUX_COLLECTING_DISTRIBUTING,
};

/* Churn states, as netlink and /proc number and name them. */
enum ad_churn_state { AD_CHURN_MONITOR, AD_CHURN, AD_NO_CHURN };

/* ---- counters: indexed by BOND_3AD_STAT_*, the link xstats numbering ---- */

struct ad_stats {
	atomic64_t c[BOND_3AD_STAT_PAD];
};

/* ---- the actor's and partner's parameters (6.4.7), host order ------------ */

struct ad_params {
	u16 sys_prio;
	u8 sys[ETH_ALEN];
	u16 key;
	u16 port_prio;
	u16 port;
	u8 state;		/* LACP_STATE_* */
};

struct ad_port;

/*
 * An aggregator. Every port owns one (in its slave's private area), and a
 * LAG is the aggregator its ports attached to, which need not be one of
 * their own. Fields under ad_bond::lock; id, num_ports and the partner
 * are read by reports under RCU with READ_ONCE.
 */
struct ad_agg {
	struct ad_port *owner;		/* const: the port whose area holds it */
	u16 id;				/* 1, 2, ... since the bond last emptied */
	bool individual;		/* its ports cannot aggregate (not full duplex) */
	bool active;			/* carries the bond's traffic */
	u16 actor_key;
	u16 partner_sys_prio;
	u8 partner_sys[ETH_ALEN];
	u16 partner_key;
	u16 num_ports;
	struct ad_port *ports;		/* singly linked by ad_port::next */
};

/*
 * One port: the slave's private area (bond_mode::slave_priv_size). Under
 * ad_bond::lock unless a field says otherwise.
 */
struct ad_port {
	struct slave *slave;		/* const */
	struct ad_agg agg_own;		/* this port's own aggregator */
	struct ad_agg __rcu *agg;	/* lock to write; RCU: attached to, or NULL */
	struct ad_port *next;		/* in agg->ports */

	struct ad_params actor;		/* RCU readers: READ_ONCE of state */
	struct ad_params partner;	/* operational; RCU readers too */
	u16 user_key;			/* ad_user_port_key when enslaved */

	/* 802.1AX variables (6.4.8) */
	bool begin;
	bool lacp_enabled;
	bool enabled;			/* port_enabled: the link is up */
	bool selected;
	bool ready_n;
	bool matched;
	bool churned;			/* restart churn monitoring */
	bool ntt;
	/* a LACPDU came since the link came up: silence is an expiry */
	bool partner_heard;

	u8 rx_state, periodic_state, mux_state;
	u16 current_while, periodic_timer, wait_while;
	/* the tick numbers of the last AD_TX_BURST LACPDUs, oldest at tx_oldest */
	u32 tx_stamp[AD_TX_BURST];
	u8 tx_oldest;

	/* churn detection; RCU readers (reports) read them with READ_ONCE */
	u8 actor_churn, partner_churn;	/* enum ad_churn_state */
	u16 actor_churn_timer, partner_churn_timer;
	u32 actor_churn_count, partner_churn_count;

	/*
	 * What the mux decided the port may do; the glue applies it to the
	 * slave (backup, inactive) and the usable array under RTNL.
	 */
	bool tx_enabled;		/* distributing in the active aggregator */
	bool rx_enabled;		/* collecting in the active aggregator */

	/* a LACPDU to send once the lock is dropped (the transmit machine) */
	bool tx_pending;
	/* the slave left: iterations skip the port until it is freed (RCU) */
	bool gone;
	/* the last reason logged (enum ad_why), so a change logs once */
	u8 why_logged;

	struct ad_stats stats;
};

/*
 * The bond's 802.3ad state: the mode's private area (bond_mode::priv_size).
 */
struct ad_bond {
	struct bonding *bond;		/* const */
	spinlock_t lock;		/* see the head of this file */
	/* lock: the actor system, sampled when an empty bond gets a slave */
	u16 sys_prio;
	u8 sys[ETH_ALEN];
	u16 next_agg_id;		/* lock */
	u16 next_port_id;		/* RTNL: the number the next port gets */
	u32 ticks;			/* lock: ticks run, for the transmit window */
	/* lock: ticks until the first selection; C_D waits while it runs */
	u16 select_countdown;
	/* lock: the usable array, standby flags or carrier must be redone */
	bool changed;
	/* lock: lacp_fallback strict: no carrier, and no sending, without a partner */
	bool fallback_strict;
	struct ad_stats stats;		/* every port's counts, never reset */
};

/* ad_pdu.c */
#define AD_PDU_LEN		110	/* after the Ethernet header, padding included */
#define AD_SUBTYPE_LACP		1
#define AD_SUBTYPE_MARKER	2
#define AD_MARKER_INFO		1
#define AD_MARKER_RESPONSE	2

struct ad_lacpdu_in {
	struct ad_params actor;		/* the sender */
	struct ad_params partner;	/* what the sender knows of us */
};

void ad_lacpdu_encode(const struct ad_port *port, void *buf);
void ad_lacpdu_decode(const void *buf, struct ad_lacpdu_in *pdu);

/* ad_port.c: ad_bond::lock held */
void ad_port_init(struct ad_bond *ab, struct ad_port *port, struct slave *slave,
		  u16 number, u16 user_key, u16 port_prio, bool lacp_active,
		  bool lacp_fast);
bool ad_rx_machine(struct ad_bond *ab, struct ad_port *port,
		   const struct ad_lacpdu_in *pdu);
void ad_periodic_machine(struct ad_port *port);
void ad_tx_machine(struct ad_bond *ab, struct ad_port *port);
void ad_churn_machine(struct ad_port *port);
void ad_port_set_key(struct ad_bond *ab, struct ad_port *port, u16 speed_code,
		     bool full_duplex, bool reset);
u16 ad_speed_code(u32 mbps);
void ad_machines_tick(struct ad_bond *ab, u8 policy, bool coupled);
void ad_port_events(struct ad_bond *ab, struct ad_port *port, u8 policy,
		    bool coupled);
void ad_port_link_changed(struct ad_bond *ab, struct ad_port *port, bool up,
			  u16 speed_code, bool full_duplex, u8 policy);
bool ad_tx_take(struct ad_bond *ab, struct ad_port *port, void *buf);
void ad_port_set_system(struct ad_bond *ab, struct ad_port *port);
void ad_port_set_bits(struct ad_bond *ab, struct ad_port *port, bool active,
		      bool fast);
u32 ad_key_speed(u16 key);

/* ad_mux.c: ad_bond::lock held */
void ad_mux_machine(struct ad_bond *ab, struct ad_port *port, bool coupled,
		    bool tick);
void ad_port_permit(struct ad_bond *ab, struct ad_port *port, bool tx, bool rx);

/* ad_select.c: ad_bond::lock held */
void ad_port_selection(struct ad_bond *ab, struct ad_port *port, u8 policy);
void ad_agg_selection(struct ad_bond *ab, u8 policy);
void ad_agg_detach(struct ad_bond *ab, struct ad_port *port);
void ad_agg_migrate(struct ad_bond *ab, struct ad_port *leaving);
u16 ad_agg_enabled_ports(const struct ad_agg *agg);
struct ad_agg *ad_active_agg(struct ad_bond *ab);

/* ad_why.c: why a port does not distribute (ad_bond::lock held) */
enum ad_why {
	AD_WHY_DISTRIBUTING,
	AD_WHY_BOND_DOWN,
	AD_WHY_LINK_DOWN,
	AD_WHY_SPEED_UNKNOWN,
	AD_WHY_NOT_FULL_DUPLEX,
	AD_WHY_FIRST_PDU,
	AD_WHY_EXPIRED,
	AD_WHY_NO_PDUS,
	AD_WHY_NO_PDUS_PASSIVE,
	AD_WHY_NO_AGGREGATOR,
	AD_WHY_OTHER_PARTNER,
	AD_WHY_OTHER_KEY,
	AD_WHY_ACTOR_CHURN,
	AD_WHY_PARTNER_CHURN,
	AD_WHY_SETTLING,
	AD_WHY_WAIT_TIMER,
	AD_WHY_PARTNER_SYNC,
	AD_WHY_PARTNER_COLLECTING,
	AD_WHY_FALLBACK,
	AD_WHY_STRICT,
	AD_WHY_MIN_LINKS,
	AD_WHY_COUNT
};

/* what a change of reason calls for (ad_why_change) */
enum ad_why_act {
	AD_WHY_KEEP,		/* nothing: the last reason stays the last */
	AD_WHY_NOTE,		/* the new reason is the last, with no log line */
	AD_WHY_LOG,		/* a log line, then the new reason is the last */
};

enum ad_why ad_port_why(struct ad_bond *ab, const struct ad_port *port, u32 min_links);
enum ad_why_act ad_why_change(enum ad_why last, enum ad_why why);
const char *ad_why_text(enum ad_why why);
bool ad_why_loud(enum ad_why why);

/*
 * What the machines report, for the glue to log in the in-tree words
 * (ad_mode.c; the simulator logs its own way).
 */
enum ad_event {
	AD_EV_LOOPBACK,		/* our own LACPDU came back */
	AD_EV_SPEED_ZERO,	/* the link is up at a speed keys lack */
	AD_EV_NO_AGGREGATOR,	/* nothing suits the port, and none is free */
	AD_EV_NOT_ON_LIST,	/* the port's aggregator did not list it */
	AD_EV_NO_PARTNER,	/* an individual aggregator became active */
	AD_EV_BAD_POLICY,	/* an ad_select value selection does not know */
	AD_EV_REMOVING_ACTIVE,	/* a leaving port's aggregator was the active one */
	AD_EV_NO_NEW_AGGREGATOR, /* a leaving port's LAG found no aggregator */
};

/* ad_mode.c: for the machines */
void ad_event(struct ad_bond *ab, struct ad_port *port, enum ad_event ev, int arg);
struct ad_port *ad_port_of(struct slave *slave);
bool ad_port_link_usable(const struct ad_port *port);
u32 ad_port_speed(const struct ad_port *port);
struct ad_port *ad_first_port(struct ad_bond *ab);
struct ad_port *ad_next_port(struct ad_bond *ab, struct ad_port *port);

/*
 * Does @port carry the bond's traffic? Distributing, in the aggregator
 * that is active (RCU or the lock): a port keeps tx_enabled while its
 * aggregator is chosen again, as in-tree.
 */
static inline bool ad_port_agg_active(const struct ad_port *port)
{
	/* RCU readers and the lock's holders; RTNL holders see no free under them */
	const struct ad_agg *agg = rcu_dereference_check(port->agg, 1);

	return agg && READ_ONCE(agg->active);
}

static inline bool ad_port_transmits(const struct ad_port *port)
{
	return READ_ONCE(port->tx_enabled) && ad_port_agg_active(port);
}

/* Count @stat (BOND_3AD_STAT_*) for @port and its bond; any context. */
static inline void ad_count(struct ad_bond *ab, struct ad_port *port,
			    unsigned int stat)
{
	atomic64_inc(&port->stats.c[stat]);
	atomic64_inc(&ab->stats.c[stat]);
}

#endif /* _BOND_AD_H */
