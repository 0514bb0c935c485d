// SPDX-License-Identifier: GPL-2.0
/*
 * The mux machine (802.1AX-2014 6.4.15): it attaches a selected port to
 * its aggregator and turns collecting and distributing on and off. With
 * coupled control (the default) both change together (COLLECTING_
 * DISTRIBUTING); without it, as 802.1AX-2008 independent control, the port
 * collects first and distributes once the partner collects.
 *
 * What a port may do is only recorded here (tx_enabled, rx_enabled) and
 * flagged in ad_bond::changed: the glue applies it under RTNL.
 */

#include <linux/kernel.h>
#include <linux/etherdevice.h>

#include "ad.h"

static struct ad_agg *ad_port_agg(struct ad_bond *ab, struct ad_port *port)
{
	return rcu_dereference_protected(port->agg, lockdep_is_held(&ab->lock));
}

static void ad_actor_bits(struct ad_port *port, u8 bits, bool on)
{
	u8 state = port->actor.state;

	WRITE_ONCE(port->actor.state, on ? state | bits : state & ~bits);
}

/* What @port may do now: transmit (distribute) and receive (collect). */
void ad_port_permit(struct ad_bond *ab, struct ad_port *port, bool tx, bool rx)
{
	lockdep_assert_held(&ab->lock);
	if (port->tx_enabled == tx && port->rx_enabled == rx)
		return;
	WRITE_ONCE(port->tx_enabled, tx);
	WRITE_ONCE(port->rx_enabled, rx);
	ab->changed = true;
	ad_dbg(ab, port, "%s port %d\n",
	       tx ? "Enabling" : rx ? "Collecting on" : "Disabling", port->actor.port);
}

/* Only an aggregator with a partner holds its ports back (in-tree). */
static void ad_mux_disable(struct ad_bond *ab, struct ad_port *port, bool tx_only)
{
	struct ad_agg *agg = ad_port_agg(ab, port);

	if (agg && !is_zero_ether_addr(agg->partner_sys))
		ad_port_permit(ab, port, false, tx_only && port->rx_enabled);
}

/* Ports of the active aggregator whose link can carry traffic. */
static void ad_mux_enable(struct ad_bond *ab, struct ad_port *port, bool tx)
{
	struct ad_agg *agg = ad_port_agg(ab, port);

	if (agg && agg->active && ad_port_link_usable(port))
		ad_port_permit(ab, port, tx || port->tx_enabled, true);
}

static bool ad_agg_ready(struct ad_agg *agg)
{
	struct ad_port *p;

	for (p = agg->ports; p; p = p->next)
		if (!p->ready_n)
			return false;
	return true;
}

static bool ad_agg_is_active(struct ad_bond *ab, struct ad_port *port)
{
	struct ad_agg *agg = ad_port_agg(ab, port);

	return agg && agg->active;
}

/* The state a mux leaves for, from collecting and/or distributing. */
static u8 ad_mux_next_up(struct ad_bond *ab, struct ad_port *port)
{
	u8 pstate = port->partner.state;
	bool sync = port->selected && (pstate & AD_ST_SYNC) &&
		    (port->actor.state & AD_ST_SYNC);

	switch (port->mux_state) {
	case AD_MUX_COLLECTING_DISTRIBUTING:
		if (!sync)
			return AD_MUX_ATTACHED;
		if (ad_agg_is_active(ab, port) && !port->tx_enabled)
			ad_mux_enable(ab, port, true);
		break;
	case AD_MUX_COLLECTING:
		if (!sync)
			return AD_MUX_ATTACHED;
		if (pstate & AD_ST_COLLECTING)
			return AD_MUX_DISTRIBUTING;
		if (ad_agg_is_active(ab, port) && !port->rx_enabled)
			ad_mux_enable(ab, port, false);
		break;
	case AD_MUX_DISTRIBUTING:
		if (!sync || !(pstate & AD_ST_COLLECTING))
			return AD_MUX_COLLECTING;
		if (ad_agg_is_active(ab, port) && !port->tx_enabled)
			ad_mux_enable(ab, port, true);
		break;
	}
	return port->mux_state;
}

static u8 ad_mux_next(struct ad_bond *ab, struct ad_port *port, bool coupled,
		      bool tick)
{
	struct ad_agg *agg = ad_port_agg(ab, port);

	if (port->begin)
		return AD_MUX_DETACHED;
	switch (port->mux_state) {
	case AD_MUX_DUMMY:
		return AD_MUX_DETACHED;
	case AD_MUX_DETACHED:
		return port->selected ? AD_MUX_WAITING : AD_MUX_DETACHED;
	case AD_MUX_WAITING:
		if (!port->selected || !agg) {
			port->ready_n = false;
			return AD_MUX_DETACHED;
		}
		if (tick && port->wait_while && !--port->wait_while)
			port->ready_n = true;
		/* the whole LAG attaches together, once every member waited */
		if (!port->wait_while && ad_agg_ready(agg))
			return AD_MUX_ATTACHED;
		return AD_MUX_WAITING;
	case AD_MUX_ATTACHED:
		if (port->selected && (port->partner.state & AD_ST_SYNC) &&
		    !ab->select_countdown) {
			if (agg && agg->active)
				return coupled ? AD_MUX_COLLECTING_DISTRIBUTING :
						 AD_MUX_COLLECTING;
		} else if (!port->selected) {
			port->ready_n = false;
			return AD_MUX_DETACHED;
		} else if (agg && agg->active) {
			/* in sync from now on; the partner learns it at the next PDU */
			ad_actor_bits(port, AD_ST_SYNC, true);
		}
		return AD_MUX_ATTACHED;
	}
	return ad_mux_next_up(ab, port);
}

static void ad_mux_enter(struct ad_bond *ab, struct ad_port *port)
{
	switch (port->mux_state) {
	case AD_MUX_DETACHED:
		ad_actor_bits(port, AD_ST_SYNC | AD_ST_COLLECTING | AD_ST_DISTRIBUTING, false);
		ad_mux_disable(ab, port, false);
		port->ntt = true;
		break;
	case AD_MUX_WAITING:
		port->wait_while = AD_AGGREGATE_WAIT_TICKS;
		break;
	case AD_MUX_ATTACHED:
		ad_actor_bits(port, AD_ST_SYNC, ad_agg_is_active(ab, port));
		ad_actor_bits(port, AD_ST_COLLECTING | AD_ST_DISTRIBUTING, false);
		ad_mux_disable(ab, port, false);
		port->ntt = true;
		break;
	case AD_MUX_COLLECTING_DISTRIBUTING:
		ad_actor_bits(port, AD_ST_SYNC | AD_ST_COLLECTING | AD_ST_DISTRIBUTING, true);
		ad_mux_enable(ab, port, true);
		port->ntt = true;
		break;
	case AD_MUX_COLLECTING:
		ad_actor_bits(port, AD_ST_SYNC | AD_ST_COLLECTING, true);
		ad_actor_bits(port, AD_ST_DISTRIBUTING, false);
		ad_mux_enable(ab, port, false);
		ad_mux_disable(ab, port, true);
		port->ntt = true;
		break;
	case AD_MUX_DISTRIBUTING:
		ad_actor_bits(port, AD_ST_SYNC | AD_ST_DISTRIBUTING, true);
		ad_mux_enable(ab, port, true);
		break;
	}
}

/* One step of @port's mux machine; wait_while runs down only on a @tick. */
void ad_mux_machine(struct ad_bond *ab, struct ad_port *port, bool coupled,
		    bool tick)
{
	u8 last = port->mux_state;

	lockdep_assert_held(&ab->lock);
	port->mux_state = ad_mux_next(ab, port, coupled, tick);
	if (port->mux_state == last)
		return;
	ad_dbg(ab, port, "Mux Machine: Port=%d, Last State=%d, Curr State=%d\n",
	       port->actor.port, last, port->mux_state);
	ad_mux_enter(ab, port);
}
