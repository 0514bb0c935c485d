// SPDX-License-Identifier: GPL-2.0
/*
 * Selection (802.1AX-2014 6.4.14): which aggregator a port attaches to,
 * and which one aggregator carries the bond's traffic (ad_select). Ports
 * with the same key and the same partner share an aggregator; a port with
 * no partner, or one that cannot aggregate (not full duplex), sits alone.
 * The active aggregator is chosen as in-tree: not individual first, then
 * with a partner, then by ad_select (stable keeps the current one).
 */

#include <linux/kernel.h>
#include <linux/etherdevice.h>

#include "ad.h"

static struct ad_agg *ad_port_agg(struct ad_bond *ab, struct ad_port *port)
{
	return rcu_dereference_protected(port->agg, lockdep_is_held(&ab->lock));
}

static bool ad_agg_has_partner(const struct ad_agg *agg)
{
	return !is_zero_ether_addr(agg->partner_sys);
}

/* Ports of @agg whose link is up (the carrier counts these). */
u16 ad_agg_enabled_ports(const struct ad_agg *agg)
{
	const struct ad_port *p;
	u16 n = 0;

	for (p = agg->ports; p; p = p->next)
		n += p->enabled;
	return n;
}

/* Some port's device can carry traffic. */
static bool ad_agg_device_up(const struct ad_agg *agg)
{
	const struct ad_port *p;

	for (p = agg->ports; p; p = p->next)
		if (ad_port_link_usable(p))
			return true;
	return false;
}

/* As in-tree: enabled ports times the first port's speed (0 if it is down). */
static u64 ad_agg_bandwidth(const struct ad_agg *agg)
{
	const struct ad_port *head = agg->ports;

	if (!head)
		return 0;
	return (u64)ad_agg_enabled_ports(agg) * ad_port_speed(head);
}

struct ad_agg *ad_active_agg(struct ad_bond *ab)
{
	struct ad_port *p;

	lockdep_assert_held(&ab->lock);
	for (p = ad_first_port(ab); p; p = ad_next_port(ab, p))
		if (p->agg_own.active)
			return &p->agg_own;
	return NULL;
}

/* An aggregator with no ports forgets everything. */
static void ad_agg_clear(struct ad_agg *agg)
{
	agg->individual = false;
	WRITE_ONCE(agg->active, false);
	WRITE_ONCE(agg->actor_key, 0);
	WRITE_ONCE(agg->partner_sys_prio, 0);
	eth_zero_addr(agg->partner_sys);
	WRITE_ONCE(agg->partner_key, 0);
	WRITE_ONCE(agg->num_ports, 0);
	agg->ports = NULL;
}

/* @port leaves the aggregator it is attached to, if any. */
void ad_agg_detach(struct ad_bond *ab, struct ad_port *port)
{
	struct ad_agg *agg = ad_port_agg(ab, port);
	struct ad_port **pp;

	if (!agg)
		return;
	for (pp = &agg->ports; *pp && *pp != port; pp = &(*pp)->next)
		;
	if (*pp) {
		*pp = port->next;
		WRITE_ONCE(agg->num_ports, agg->num_ports - 1);
		ad_dbg(ab, port, "Port %d left LAG %d\n", port->actor.port, agg->id);
	} else {
		WARN_ON_ONCE(1);
		ad_event(ab, port, AD_EV_NOT_ON_LIST, agg->id);
	}
	port->next = NULL;
	rcu_assign_pointer(port->agg, NULL);
	if (!agg->ports)
		ad_agg_clear(agg);
}

/* Could @agg take another LAG? Empty, or holding only @leaving. */
static bool ad_agg_free_but(const struct ad_agg *agg, const struct ad_port *leaving)
{
	return !agg->num_ports || (agg->num_ports == 1 && agg->ports == leaving);
}

/*
 * @leaving's own aggregator goes with its slave. A LAG of other ports that
 * lives there moves to the first aggregator that is free, keeping that
 * one's id (as in-tree, so the LAG's id can change); with none free, its
 * ports start over, so that none is left on freed memory.
 */
void ad_agg_migrate(struct ad_bond *ab, struct ad_port *leaving)
{
	struct ad_agg *old = &leaving->agg_own, *new = NULL;
	struct ad_port *p;

	lockdep_assert_held(&ab->lock);
	if (ad_agg_free_but(old, leaving)) {
		if (old->active && old->num_ports)
			ad_event(ab, leaving, AD_EV_REMOVING_ACTIVE, 0);
		return;
	}
	for (p = ad_first_port(ab); p; p = ad_next_port(ab, p)) {
		if (p != leaving && ad_agg_free_but(&p->agg_own, leaving)) {
			new = &p->agg_own;
			break;
		}
	}
	if (!new) {
		ad_event(ab, leaving, AD_EV_NO_NEW_AGGREGATOR, 0);
		while (old->ports) {
			p = old->ports;
			p->selected = false;
			ad_agg_detach(ab, p);
		}
		return;
	}
	if (new->active && new->ports == leaving)
		ad_event(ab, leaving, AD_EV_REMOVING_ACTIVE, 0);
	ad_agg_detach(ab, leaving);	/* from @new, if it held it */
	new->individual = old->individual;
	WRITE_ONCE(new->actor_key, old->actor_key);
	WRITE_ONCE(new->partner_sys_prio, old->partner_sys_prio);
	ether_addr_copy(new->partner_sys, old->partner_sys);
	WRITE_ONCE(new->partner_key, old->partner_key);
	WRITE_ONCE(new->num_ports, old->num_ports);
	new->ports = old->ports;
	for (p = new->ports; p; p = p->next)
		rcu_assign_pointer(p->agg, new);
	WRITE_ONCE(new->active, old->active);
	ad_agg_clear(old);
}

static void ad_agg_attach(struct ad_agg *agg, struct ad_port *port)
{
	port->next = agg->ports;
	agg->ports = port;
	WRITE_ONCE(agg->num_ports, agg->num_ports + 1);
	rcu_assign_pointer(port->agg, agg);
}

/* Would @port aggregate with the ports already in @agg? */
static bool ad_agg_suits(const struct ad_agg *agg, const struct ad_port *port)
{
	return agg->num_ports && !agg->individual && ad_agg_has_partner(agg) &&
	       agg->actor_key == port->actor.key &&
	       ether_addr_equal(agg->partner_sys, port->partner.sys) &&
	       agg->partner_sys_prio == port->partner.sys_prio &&
	       agg->partner_key == port->partner.key;
}

/* @agg, empty, starts a new LAG with @port: its key and partner. */
static void ad_agg_start(struct ad_agg *agg, struct ad_port *port)
{
	agg->individual = !(port->actor.key & AD_KEY_DUPLEX);
	WRITE_ONCE(agg->actor_key, port->actor.key);
	WRITE_ONCE(agg->partner_sys_prio, port->partner.sys_prio);
	ether_addr_copy(agg->partner_sys, port->partner.sys);
	WRITE_ONCE(agg->partner_key, port->partner.key);
	ad_agg_attach(agg, port);
}

/*
 * Port selection: an unselected port joins the first aggregator that
 * suits it, or starts a new LAG in the first empty one.
 */
void ad_port_selection(struct ad_bond *ab, struct ad_port *port, u8 policy)
{
	struct ad_agg *agg, *empty = NULL;
	struct ad_port *p;

	lockdep_assert_held(&ab->lock);
	if (port->selected)
		return;
	ad_agg_detach(ab, port);
	for (p = ad_first_port(ab); p; p = ad_next_port(ab, p)) {
		agg = &p->agg_own;
		if (!agg->num_ports) {
			empty = empty ?: agg;
			continue;
		}
		if (ad_agg_suits(agg, port)) {
			ad_agg_attach(agg, port);
			ad_dbg(ab, port, "Port %d joined LAG %d (existing LAG)\n",
			       port->actor.port, agg->id);
			goto selected;
		}
	}
	if (!empty) {
		ad_event(ab, port, AD_EV_NO_AGGREGATOR, 0);
		return;
	}
	agg = empty;
	ad_agg_start(agg, port);
	ad_dbg(ab, port, "Port %d joined LAG %d (new LAG)\n", port->actor.port, agg->id);
selected:
	port->selected = true;
	ad_agg_selection(ab, policy);
	if (!agg->active)
		WRITE_ONCE(port->actor.state, port->actor.state & ~AD_ST_SYNC);
}

/* The better of two candidate aggregators; @best may be NULL. */
static struct ad_agg *ad_agg_better(struct ad_bond *ab, struct ad_agg *best,
				    struct ad_agg *cand, u8 policy)
{
	if (!best)
		return cand;
	if (cand->individual != best->individual)
		return best->individual ? cand : best;
	if (ad_agg_has_partner(cand) != ad_agg_has_partner(best))
		return ad_agg_has_partner(cand) ? cand : best;
	switch (policy) {
	case BOND_AD_SELECT_COUNT:
		if (ad_agg_enabled_ports(cand) != ad_agg_enabled_ports(best))
			return ad_agg_enabled_ports(cand) > ad_agg_enabled_ports(best) ?
			       cand : best;
		fallthrough;
	case BOND_AD_SELECT_STABLE:
	case BOND_AD_SELECT_BANDWIDTH:
		return ad_agg_bandwidth(cand) > ad_agg_bandwidth(best) ? cand : best;
	}
	ad_event(ab, NULL, AD_EV_BAD_POLICY, policy);
	return best;
}

/* stable: the active aggregator stays while it can carry traffic. */
static bool ad_agg_keep_stable(struct ad_agg *active, struct ad_agg *best)
{
	if (!active->num_ports || !ad_agg_enabled_ports(active))
		return false;
	if (!ad_agg_has_partner(active) && best && ad_agg_has_partner(best))
		return false;
	return active->actor_key || !best || !best->actor_key;
}

/*
 * Aggregator selection: choose the active aggregator among those with an
 * enabled port whose device is up. A new choice takes the old one's ports
 * out of service; an aggregator without a partner (no LACP on the other
 * side) carries traffic at once, on every port that can, unless
 * lacp_fallback is strict.
 */
void ad_agg_selection(struct ad_bond *ab, u8 policy)
{
	struct ad_agg *active = ad_active_agg(ab), *best, *agg;
	struct ad_port *p;

	best = active && ad_agg_device_up(active) ? active : NULL;
	for (p = ad_first_port(ab); p; p = ad_next_port(ab, p)) {
		agg = &p->agg_own;
		WRITE_ONCE(agg->active, false);
		if (ad_agg_enabled_ports(agg) && ad_agg_device_up(agg))
			best = ad_agg_better(ab, best, agg, policy);
	}
	if (policy == BOND_AD_SELECT_STABLE && active &&
	    ad_agg_keep_stable(active, best))
		best = active;

	if (best && best != active) {
		if (best->individual)
			ad_event(ab, best->owner, AD_EV_NO_PARTNER, 0);
		ad_dbg(ab, best->owner, "LAG %d chosen as the active LAG\n", best->id);
	}
	if (best)
		WRITE_ONCE(best->active, true);
	/* with no choice at all, the old ports are down already */
	if (best && active && active != best)
		for (p = active->ports; p; p = p->next)
			ad_port_permit(ab, p, false, false);
	if (best && !ad_agg_has_partner(best) && !ab->fallback_strict)
		for (p = best->ports; p; p = p->next)
			if (ad_port_link_usable(p))
				ad_port_permit(ab, p, true, true);
	ab->changed = true;	/* the carrier follows the choice */
}
