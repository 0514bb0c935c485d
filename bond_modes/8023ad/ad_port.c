// SPDX-License-Identifier: GPL-2.0
/*
 * The per-port machines of 802.1AX-2014 that do not choose aggregators:
 * receive (6.4.12), periodic transmission (6.4.13), transmit (6.4.16) and
 * churn detection (6.4.17, in-tree's simpler variant), and the port key
 * (6.3.5). Each runs once per tick, the only time their timers move, and
 * again without moving them whenever an event may have changed something
 * (a LACPDU arrived, a link changed): 802.1AX evaluates its machines
 * continuously, and the tick alone would delay each step of a handshake
 * by up to 100 ms. All of it under ad_bond::lock, and none of it sends
 * anything: the transmit machine leaves ad_port::tx_pending for the glue.
 */

#include <linux/kernel.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>

#include "ad.h"

static void ad_lock_held(struct ad_bond *ab)
{
	lockdep_assert_held(&ab->lock);
}

/* ---- the port key (6.3.5) -------------------------------------------------- */

/*
 * Mb/s of the key's speed codes 2, 3, ...: code 1 (1 Mb/s) no device
 * reports. 800 Gb/s only where the kernel knows it, as in-tree.
 */
static const u32 ad_speeds[] = {
	10, 100, 1000, 2500, 5000, 10000, 14000, 20000, 25000, 40000,
	50000, 56000, 100000, 200000, 400000,
#ifdef SPEED_800000
	SPEED_800000,
#endif
};

#define AD_SPEED_CODE_FIRST	2

/* The key's speed code of @mbps; 0 for a speed the table lacks. */
u16 ad_speed_code(u32 mbps)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ad_speeds); i++)
		if (ad_speeds[i] == mbps)
			return i + AD_SPEED_CODE_FIRST;
	return 0;
}

/* The Mb/s a port key says, 0 if none: aggregator bandwidth (ad_select). */
u32 ad_key_speed(u16 key)
{
	unsigned int code = (key & AD_KEY_SPEED_MASK) >> 1;

	if (code < AD_SPEED_CODE_FIRST ||
	    code - AD_SPEED_CODE_FIRST >= ARRAY_SIZE(ad_speeds))
		return 0;
	return ad_speeds[code - AD_SPEED_CODE_FIRST];
}

/*
 * The link or its speed changed: the key follows. @reset (the link went
 * down) clears the speed and duplex parts. A port whose full-duplex speed
 * changed starts over (BEGIN), as in-tree, so that it reselects with its
 * new key.
 */
void ad_port_set_key(struct ad_bond *ab, struct ad_port *port, u16 speed_code,
		     bool full_duplex, bool reset)
{
	u16 old = port->actor.key, key;

	ad_lock_held(ab);
	key = port->user_key << AD_KEY_USER_SHIFT;
	if (!reset)
		key |= (speed_code << 1) | (full_duplex ? AD_KEY_DUPLEX : 0);
	if (key == old)
		return;
	WRITE_ONCE(port->actor.key, key);
	port->lacp_enabled = key & AD_KEY_DUPLEX;
	if (reset)
		return;
	if (!speed_code)
		ad_event(ab, port, AD_EV_SPEED_ZERO, 0);
	else if (full_duplex && (old & AD_KEY_SPEED_MASK) != (key & AD_KEY_SPEED_MASK))
		port->begin = true;
}

/*
 * The LACPDU the transmit machine asked for, into @buf (AD_PDU_LEN bytes),
 * once: false if none is due. The caller sends it after the lock is dropped.
 */
bool ad_tx_take(struct ad_bond *ab, struct ad_port *port, void *buf)
{
	ad_lock_held(ab);
	if (!port->tx_pending)
		return false;
	ad_lacpdu_encode(port, buf);
	port->tx_pending = false;
	port->ntt = false;
	port->tx_stamp[port->tx_oldest] = ab->ticks;
	port->tx_oldest = (port->tx_oldest + 1) % AD_TX_BURST;
	return true;
}

/*
 * The port's link went up (with the speed and duplex it now has) or down:
 * the key follows and the active aggregator is chosen again. A link that
 * comes back after a down restarts the port, since the down cleared the
 * key's speed.
 */
void ad_port_link_changed(struct ad_bond *ab, struct ad_port *port, bool up,
			  u16 speed_code, bool full_duplex, u8 policy)
{
	ad_lock_held(ab);
	port->enabled = up;
	/* as in-tree's commit down: out of service now, not at the next tick */
	if (!up)
		ad_port_permit(ab, port, false, false);
	ad_port_set_key(ab, port, up ? speed_code : 0, full_duplex, !up);
	ad_agg_selection(ab, policy);
}

/* The actor system changed (an option): the partner hears of it now. */
void ad_port_set_system(struct ad_bond *ab, struct ad_port *port)
{
	ad_lock_held(ab);
	WRITE_ONCE(port->actor.sys_prio, ab->sys_prio);
	ether_addr_copy(port->actor.sys, ab->sys);
	port->ntt = true;
}

/* lacp_active and lacp_rate, set while the bond is down. */
void ad_port_set_bits(struct ad_bond *ab, struct ad_port *port, bool active,
		      bool fast)
{
	u8 state = port->actor.state & ~(AD_ST_ACTIVITY | AD_ST_TIMEOUT);

	ad_lock_held(ab);
	if (active)
		state |= AD_ST_ACTIVITY;
	if (fast)
		state |= AD_ST_TIMEOUT;
	WRITE_ONCE(port->actor.state, state);
}

/* ---- a new port ------------------------------------------------------------ */

static void ad_partner_defaults(struct ad_port *port)
{
	struct ad_params *p = &port->partner;

	WRITE_ONCE(p->sys_prio, AD_PARTNER_ADMIN_SYS_PRIO);
	eth_zero_addr(p->sys);
	WRITE_ONCE(p->key, AD_PARTNER_ADMIN_KEY);
	WRITE_ONCE(p->port_prio, AD_PARTNER_ADMIN_PORT_PRIO);
	WRITE_ONCE(p->port, AD_PARTNER_ADMIN_PORT);
	WRITE_ONCE(p->state, 0);
}

/* @port starts: actor values from the bond, partner unknown, BEGIN. */
void ad_port_init(struct ad_bond *ab, struct ad_port *port, struct slave *slave,
		  u16 number, u16 user_key, u16 port_prio, bool lacp_active,
		  bool lacp_fast)
{
	u8 state = AD_ST_AGGREGATION;
	unsigned int i;

	ad_lock_held(ab);
	port->slave = slave;
	port->user_key = user_key;
	port->actor.sys_prio = ab->sys_prio;
	ether_addr_copy(port->actor.sys, ab->sys);
	port->actor.key = user_key << AD_KEY_USER_SHIFT;
	port->actor.port_prio = port_prio;
	port->actor.port = number;
	if (lacp_active)
		state |= AD_ST_ACTIVITY;
	if (lacp_fast)
		state |= AD_ST_TIMEOUT;
	port->actor.state = state;
	ad_partner_defaults(port);
	port->begin = true;
	port->why_logged = AD_WHY_BOND_DOWN;	/* the start is not news */
	port->lacp_enabled = true;
	port->enabled = true;	/* until the first link event says otherwise */
	for (i = 0; i < AD_TX_BURST; i++)
		port->tx_stamp[i] = ab->ticks - AD_TX_WINDOW_TICKS + AD_TX_FIRST_TICKS;
	port->agg_own.owner = port;
}

/* ---- receive machine (6.4.12) ---------------------------------------------- */

static void ad_set_state(struct ad_params *p, u8 bits, bool on)
{
	WRITE_ONCE(p->state, on ? p->state | bits : p->state & ~bits);
}

/* recordDefault: the partner is the administrative default. */
static void ad_record_default(struct ad_port *port)
{
	ad_partner_defaults(port);
	ad_set_state(&port->actor, AD_ST_DEFAULTED, true);
}

/* Do two sides' identities (all but the state) differ? */
static bool ad_ids_differ(const struct ad_params *a, const struct ad_params *b)
{
	return a->port != b->port || a->port_prio != b->port_prio ||
	       !ether_addr_equal(a->sys, b->sys) || a->sys_prio != b->sys_prio ||
	       a->key != b->key;
}

/* updateDefaultSelected: the defaults would change the partner. */
static void ad_update_default_selected(struct ad_port *port)
{
	struct ad_params admin = {
		.sys_prio = AD_PARTNER_ADMIN_SYS_PRIO, .key = AD_PARTNER_ADMIN_KEY,
		.port_prio = AD_PARTNER_ADMIN_PORT_PRIO, .port = AD_PARTNER_ADMIN_PORT,
	};

	if (ad_ids_differ(&admin, &port->partner) ||
	    (port->partner.state & AD_ST_AGGREGATION))
		port->selected = false;
}

/* updateSelected: the PDU names a different partner. */
static void ad_update_selected(struct ad_port *port, const struct ad_lacpdu_in *pdu)
{
	if (ad_ids_differ(&pdu->actor, &port->partner) ||
	    ((pdu->actor.state ^ port->partner.state) & AD_ST_AGGREGATION))
		port->selected = false;
}

/* updateNTT: the partner's view of us is out of date. */
static void ad_update_ntt(struct ad_port *port, const struct ad_lacpdu_in *pdu)
{
	const u8 seen = AD_ST_ACTIVITY | AD_ST_TIMEOUT | AD_ST_SYNC | AD_ST_AGGREGATION;

	if (ad_ids_differ(&pdu->partner, &port->actor) ||
	    ((pdu->partner.state ^ port->actor.state) & seen))
		port->ntt = true;
}

/*
 * recordPDU: the partner is the PDU's actor. In sync only if it sees us
 * as we are, or it says it will not aggregate (in-tree leaves lacp
 * activity out of the comparison, unlike 6.4.9).
 */
static void ad_record_pdu(struct ad_port *port, const struct ad_lacpdu_in *pdu)
{
	struct ad_params *p = &port->partner;
	u8 state = pdu->actor.state;

	port->matched = (!ad_ids_differ(&pdu->partner, &port->actor) &&
			 !((pdu->partner.state ^ port->actor.state) & AD_ST_AGGREGATION)) ||
			!(pdu->actor.state & AD_ST_AGGREGATION);
	if (!(port->matched && (state & AD_ST_SYNC)))
		state &= ~AD_ST_SYNC;
	WRITE_ONCE(p->sys_prio, pdu->actor.sys_prio);
	ether_addr_copy(p->sys, pdu->actor.sys);
	WRITE_ONCE(p->key, pdu->actor.key);
	WRITE_ONCE(p->port_prio, pdu->actor.port_prio);
	WRITE_ONCE(p->port, pdu->actor.port);
	WRITE_ONCE(p->state, state);
	ad_set_state(&port->actor, AD_ST_DEFAULTED, false);
}

/* The next receive state, and whether a PDU is taken in CURRENT. */
static u8 ad_rx_next(struct ad_port *port, bool pdu, bool tick)
{
	u8 state = port->rx_state;

	if (port->begin)
		return AD_RX_INITIALIZE;
	if (!port->enabled)
		return AD_RX_PORT_DISABLED;
	if (pdu && (state == AD_RX_EXPIRED || state == AD_RX_DEFAULTED ||
		    state == AD_RX_CURRENT)) {
		port->current_while = 0;
		if (state != AD_RX_CURRENT)
			port->churned = true;
		return AD_RX_CURRENT;
	}
	if (tick && port->current_while && !--port->current_while) {
		if (state == AD_RX_CURRENT)
			return AD_RX_EXPIRED;
		if (state == AD_RX_EXPIRED)
			return AD_RX_DEFAULTED;
		return state;
	}
	if (state == AD_RX_PORT_DISABLED)
		return port->lacp_enabled ? AD_RX_EXPIRED : AD_RX_LACP_DISABLED;
	return state;
}

static void ad_rx_enter(struct ad_port *port, const struct ad_lacpdu_in *pdu)
{
	switch (port->rx_state) {
	case AD_RX_INITIALIZE:
		port->lacp_enabled = port->actor.key & AD_KEY_DUPLEX;
		port->selected = false;
		ad_record_default(port);
		ad_set_state(&port->actor, AD_ST_EXPIRED, false);
		port->churned = true;
		port->rx_state = AD_RX_PORT_DISABLED;
		fallthrough;
	case AD_RX_PORT_DISABLED:
		port->partner_heard = false;
		port->matched = false;
		ad_set_state(&port->partner, AD_ST_SYNC, false);
		break;
	case AD_RX_LACP_DISABLED:
		port->selected = false;
		ad_record_default(port);
		ad_set_state(&port->partner, AD_ST_AGGREGATION, false);
		port->matched = true;
		ad_set_state(&port->actor, AD_ST_EXPIRED, false);
		break;
	case AD_RX_EXPIRED:
		port->matched = false;
		ad_set_state(&port->partner, AD_ST_SYNC, false);
		ad_set_state(&port->partner, AD_ST_TIMEOUT, true);
		port->current_while = AD_SHORT_TIMEOUT_TICKS;
		ad_set_state(&port->actor, AD_ST_EXPIRED, true);
		port->churned = true;
		break;
	case AD_RX_DEFAULTED:
		ad_update_default_selected(port);
		ad_record_default(port);
		port->matched = true;
		ad_set_state(&port->actor, AD_ST_EXPIRED, false);
		break;
	case AD_RX_CURRENT:
		if (!pdu)
			break;
		ad_update_selected(port, pdu);
		ad_update_ntt(port, pdu);
		ad_record_pdu(port, pdu);
		port->partner_heard = true;
		port->current_while = (port->actor.state & AD_ST_TIMEOUT) ?
				      AD_SHORT_TIMEOUT_TICKS : AD_LONG_TIMEOUT_TICKS;
		ad_set_state(&port->actor, AD_ST_EXPIRED, false);
		break;
	}
}

/* One step of the receive machine: a LACPDU, a tick, or another event. */
static void ad_rx_step(struct ad_bond *ab, struct ad_port *port,
		       const struct ad_lacpdu_in *pdu, bool tick)
{
	u8 last = port->rx_state;

	port->rx_state = ad_rx_next(port, pdu, tick);
	if (port->rx_state != last || pdu) {
		ad_dbg(ab, port, "Rx Machine: Port=%d, Last State=%d, Curr State=%d\n",
		       port->actor.port, last, port->rx_state);
		ad_rx_enter(port, pdu);
	}
}

/*
 * A LACPDU arrived. True if it brought news the other machines act on (a
 * partner that changed, a reply due), for the caller to run them now: a
 * stream of identical PDUs costs one receive step each. One that carries
 * our own system is our own, looped back: it is logged and otherwise
 * ignored, so the partner information still expires (in-tree stops the
 * timer first and keeps stale information for good).
 */
bool ad_rx_machine(struct ad_bond *ab, struct ad_port *port,
		   const struct ad_lacpdu_in *pdu)
{
	struct ad_params partner = port->partner;
	bool selected = port->selected;
	bool ntt = port->ntt;

	ad_lock_held(ab);
	if (ether_addr_equal(pdu->actor.sys, port->actor.sys)) {
		ad_event(ab, port, AD_EV_LOOPBACK, 0);
		return false;
	}
	ad_rx_step(ab, port, pdu, false);
	/* a reply already due (the window is full) is no news */
	return (port->ntt && !ntt) || port->selected != selected ||
	       partner.state != port->partner.state ||
	       ad_ids_differ(&partner, &port->partner);
}

/* ---- periodic transmission machine (6.4.13) -------------------------------- */

static u8 ad_periodic_next(struct ad_port *port)
{
	bool partner_short = port->partner.state & AD_ST_TIMEOUT;
	u8 state = port->periodic_state;

	if (port->begin || !port->lacp_enabled || !port->enabled ||
	    !((port->actor.state | port->partner.state) & AD_ST_ACTIVITY))
		return AD_NO_PERIODIC;
	if (port->periodic_timer) {
		if (!--port->periodic_timer)
			return AD_PERIODIC_TX;
		if (state == AD_FAST_PERIODIC && !partner_short)
			return AD_SLOW_PERIODIC;
		if (state == AD_SLOW_PERIODIC && partner_short) {
			port->periodic_timer = 0;
			return AD_PERIODIC_TX;
		}
		return state;
	}
	if (state == AD_NO_PERIODIC)
		return AD_FAST_PERIODIC;
	if (state == AD_PERIODIC_TX)
		return partner_short ? AD_FAST_PERIODIC : AD_SLOW_PERIODIC;
	return state;
}

/* We send at the rate the partner asks for (its TIMEOUT bit). */
void ad_periodic_machine(struct ad_port *port)
{
	u8 last = port->periodic_state;

	port->periodic_state = ad_periodic_next(port);
	if (port->periodic_state == last)
		return;
	switch (port->periodic_state) {
	case AD_NO_PERIODIC:
		port->periodic_timer = 0;
		break;
	case AD_FAST_PERIODIC:	/* PERIODIC_TX took one tick of the period */
		port->periodic_timer = AD_FAST_PERIODIC_TICKS - 1;
		break;
	case AD_SLOW_PERIODIC:
		port->periodic_timer = AD_SLOW_PERIODIC_TICKS - 1;
		break;
	case AD_PERIODIC_TX:
		port->ntt = true;
		break;
	}
}

/* ---- transmit machine (6.4.16) --------------------------------------------- */

/*
 * A LACPDU is due (ntt) and the window has room: the oldest of the last
 * AD_TX_BURST went out a second ago or more. The PDU itself is built and
 * sent by the glue once the lock is dropped; ntt is cleared only when it
 * was built (a failed allocation tries again at the next pass).
 */
void ad_tx_machine(struct ad_bond *ab, struct ad_port *port)
{
	if (port->ntt && port->lacp_enabled &&
	    ab->ticks - port->tx_stamp[port->tx_oldest] >= AD_TX_WINDOW_TICKS)
		port->tx_pending = true;
}

/* ---- churn detection (6.4.17; in-tree's variant) --------------------------- */

static void ad_churn_step(u8 *state, u16 *timer, u32 *count, bool in_sync)
{
	if (!*timer || --*timer || *state != AD_CHURN_MONITOR)
		return;
	if (in_sync) {
		WRITE_ONCE(*state, AD_NO_CHURN);
	} else {
		WRITE_ONCE(*state, AD_CHURN);
		WRITE_ONCE(*count, *count + 1);
	}
}

/*
 * A side churns when it is not in sync within 60 s of monitoring starting
 * (at BEGIN, on expiry, and on a partner back from expiry or defaults).
 */
void ad_churn_machine(struct ad_port *port)
{
	if (port->churned) {
		port->churned = false;
		WRITE_ONCE(port->actor_churn, AD_CHURN_MONITOR);
		WRITE_ONCE(port->partner_churn, AD_CHURN_MONITOR);
		port->actor_churn_timer = AD_CHURN_DETECTION_TICKS;
		port->partner_churn_timer = AD_CHURN_DETECTION_TICKS;
		return;
	}
	ad_churn_step(&port->actor_churn, &port->actor_churn_timer,
		      &port->actor_churn_count, port->actor.state & AD_ST_SYNC);
	ad_churn_step(&port->partner_churn, &port->partner_churn_timer,
		      &port->partner_churn_count, port->partner.state & AD_ST_SYNC);
}

/* ---- running the machines ---------------------------------------------------- */

/*
 * One port's machines, for a tick (@tick: the timers move) or after an
 * event (they do not). The order is in-tree's (and 802.1AX leaves it
 * open): receive, periodic, selection, mux, transmit, churn; a tick runs
 * the ports in slave order, and what one machine changes, the next sees in
 * this pass or the port's others in the next. The periodic and churn
 * machines only count time, so they run on ticks alone (their phase stays
 * in-tree's, and so do the PDUs they cause). The selection countdown holds
 * C_D back after the first slave.
 */
static void ad_port_machines(struct ad_bond *ab, struct ad_port *p, u8 policy,
			     bool coupled, bool tick)
{
	ad_rx_step(ab, p, NULL, tick);
	if (tick)
		ad_periodic_machine(p);
	ad_port_selection(ab, p, policy);
	ad_mux_machine(ab, p, coupled, tick);
	ad_tx_machine(ab, p);
	if (tick)
		ad_churn_machine(p);
	p->begin = false;
}

void ad_machines_tick(struct ad_bond *ab, u8 policy, bool coupled)
{
	struct ad_port *p;

	ad_lock_held(ab);
	if (!ad_first_port(ab))
		return;
	ab->ticks++;
	if (ab->select_countdown && !--ab->select_countdown)
		ad_agg_selection(ab, policy);
	for (p = ad_first_port(ab); p; p = ad_next_port(ab, p))
		ad_port_machines(ab, p, policy, coupled, true);
	/*
	 * A LAG attaches together: the members before the last one whose wait
	 * ran out were still waiting for it when their mux ran. In-tree leaves
	 * them to the next tick.
	 */
	for (p = ad_first_port(ab); p; p = ad_next_port(ab, p)) {
		if (p->mux_state != AD_MUX_WAITING || p->wait_while)
			continue;
		ad_mux_machine(ab, p, coupled, false);
		ad_tx_machine(ab, p);
	}
}

/*
 * A LACPDU brought @port news: its machines run now. A port still at
 * BEGIN waits for a tick, and so does one that must select again: ports
 * that hear from a new partner together then choose in slave order, as
 * in-tree, so the aggregator ids are in-tree's, and the mux does not
 * restart its wait before the port is selected. Only @port's own: the
 * other ports' machines see what it changed at the next tick, so a
 * partner that floods changes costs one port's pass per PDU, not a pass
 * over the bond.
 */
void ad_port_events(struct ad_bond *ab, struct ad_port *port, u8 policy,
		    bool coupled)
{
	ad_lock_held(ab);
	if (port->begin || !port->selected)
		return;
	ad_port_machines(ab, port, policy, coupled, false);
}
