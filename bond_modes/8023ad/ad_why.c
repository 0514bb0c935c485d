// SPDX-License-Identifier: GPL-2.0
/*
 * Why a port does not distribute, in one reason (beyond in-tree: users of
 * in-tree read port state bits and guess). The reason is derived from the
 * machines' state each time it is asked for, so it is never stale; the
 * glue shows it in sysfs and logs the reasons that need a person when
 * they change. /proc stays as in-tree.
 */

#include <linux/kernel.h>
#include <linux/etherdevice.h>

#include "ad.h"

struct ad_why_info {
	const char *text;
	bool quiet;		/* a step on the way up, or logged elsewhere */
};

static const struct ad_why_info ad_whys[AD_WHY_COUNT] = {
	[AD_WHY_DISTRIBUTING] = { "distributing" },
	[AD_WHY_BOND_DOWN] = { "the bond is down", true },
	[AD_WHY_LINK_DOWN] = { "the link is down", true },
	[AD_WHY_SPEED_UNKNOWN] = { "the link speed is unknown, so the port has no key" },
	[AD_WHY_NOT_FULL_DUPLEX] = { "the link is not full duplex, so the port cannot aggregate" },
	[AD_WHY_FIRST_PDU] = { "waiting for the partner's first LACPDU", true },
	[AD_WHY_EXPIRED] = {
		"the partner's LACP information expired (no LACPDU within the timeout)" },
	[AD_WHY_NO_PDUS] = { "the partner sends no LACPDUs (it is passive, or runs no LACP)" },
	[AD_WHY_NO_PDUS_PASSIVE] = {
		"no LACPDUs: lacp_active is off here and the partner is passive or runs no LACP" },
	[AD_WHY_NO_AGGREGATOR] = { "no aggregator suits the port", true },
	[AD_WHY_OTHER_PARTNER] = {
		"the partner's system or key differs from the active aggregator's" },
	[AD_WHY_OTHER_KEY] = {
		"this port's key (speed, duplex or ad_user_port_key) is not the active LAG's" },
	[AD_WHY_ACTOR_CHURN] = { "actor churn: this port has not been in sync for 60 s" },
	[AD_WHY_PARTNER_CHURN] = {
		"partner churn: the partner has not synced the port for 60 s (not in its LAG?)" },
	[AD_WHY_SETTLING] = { "waiting for the aggregator selection to settle", true },
	[AD_WHY_WAIT_TIMER] = { "waiting for the aggregate wait timer (2 s)", true },
	[AD_WHY_PARTNER_SYNC] = { "waiting for the partner to synchronize", true },
	[AD_WHY_PARTNER_COLLECTING] = { "waiting for the partner to collect", true },
	[AD_WHY_FALLBACK] = {
		"distributing alone without an LACP partner (lacp_fallback legacy)" },
	[AD_WHY_STRICT] = { "no LACP partner, and lacp_fallback is strict" },
	[AD_WHY_MIN_LINKS] = { "min_links is not met: the bond has no carrier" },
};

const char *ad_why_text(enum ad_why why)
{
	return why < AD_WHY_COUNT ? ad_whys[why].text : "";
}

/* Is @why worth a log line when it starts (or ends, back to distributing)? */
bool ad_why_loud(enum ad_why why)
{
	return why < AD_WHY_COUNT && !ad_whys[why].quiet;
}

/*
 * What a change of the port's reason from @last (the last one logged or
 * noted) to @why calls for. Reasons that need a person are logged, and so
 * is the return to distributing after one, and the first step down from
 * distributing (the partner stopped syncing, say) even to a quiet reason.
 * The link and the bond going down are the core's to log: from
 * distributing they are noted, so the steps of the next start, and its
 * distributing, stay quiet; after a logged problem they change nothing, so
 * distributing still says it ended.
 */
enum ad_why_act ad_why_change(enum ad_why last, enum ad_why why)
{
	if (why == last)
		return AD_WHY_KEEP;
	/* a problem logged stays outstanding until distributing says it ended */
	if (why == AD_WHY_BOND_DOWN || why == AD_WHY_LINK_DOWN)
		return last == AD_WHY_DISTRIBUTING ? AD_WHY_NOTE : AD_WHY_KEEP;
	if (why == AD_WHY_DISTRIBUTING)
		return last == AD_WHY_BOND_DOWN || last == AD_WHY_LINK_DOWN ?
		       AD_WHY_NOTE : AD_WHY_LOG;
	if (ad_why_loud(why))
		return AD_WHY_LOG;
	return last == AD_WHY_DISTRIBUTING ? AD_WHY_LOG : AD_WHY_KEEP;
}

/*
 * The partner says nothing. Until the port defaults, it may yet: a port
 * just up (or restarted) waits for the first LACPDU, quietly, even while
 * it already carries the traffic alone; one whose partner was heard since
 * the link came up has expired.
 */
static enum ad_why ad_why_silent(struct ad_bond *ab, const struct ad_port *port)
{
	if (port->begin || port->rx_state == AD_RX_INITIALIZE ||
	    port->rx_state == AD_RX_EXPIRED || port->rx_state == AD_RX_PORT_DISABLED)
		return port->partner_heard && !port->begin ? AD_WHY_EXPIRED :
							     AD_WHY_FIRST_PDU;
	if (ad_port_transmits(port))
		return AD_WHY_FALLBACK;
	if (ab->fallback_strict && ad_port_agg_active(port))
		return AD_WHY_STRICT;
	return port->actor.state & AD_ST_ACTIVITY ? AD_WHY_NO_PDUS :
						    AD_WHY_NO_PDUS_PASSIVE;
}

/* In an aggregator that is not the active one: what sets them apart. */
static enum ad_why ad_why_other(struct ad_bond *ab, const struct ad_agg *agg)
{
	const struct ad_agg *active = ad_active_agg(ab);

	if (active && active->actor_key != agg->actor_key &&
	    ether_addr_equal(active->partner_sys, agg->partner_sys))
		return AD_WHY_OTHER_KEY;
	return AD_WHY_OTHER_PARTNER;
}

/* Selected into the active aggregator: how far its mux got. */
static enum ad_why ad_why_mux(struct ad_bond *ab, const struct ad_port *port)
{
	if (port->partner_churn == AD_CHURN && !(port->partner.state & AD_ST_SYNC))
		return AD_WHY_PARTNER_CHURN;
	if (port->actor_churn == AD_CHURN && !(port->actor.state & AD_ST_SYNC))
		return AD_WHY_ACTOR_CHURN;
	switch (port->mux_state) {
	case AD_MUX_WAITING:
		return AD_WHY_WAIT_TIMER;
	case AD_MUX_ATTACHED:
		if (!ab->select_countdown && !(port->partner.state & AD_ST_SYNC))
			return AD_WHY_PARTNER_SYNC;
		return AD_WHY_SETTLING;
	case AD_MUX_COLLECTING:
		return AD_WHY_PARTNER_COLLECTING;
	case AD_MUX_DISTRIBUTING:
	case AD_MUX_COLLECTING_DISTRIBUTING:
		return ad_port_transmits(port) ? AD_WHY_DISTRIBUTING : AD_WHY_LINK_DOWN;
	}
	return AD_WHY_SETTLING;
}

/*
 * The first reason, in the order a person would check: the link, the
 * key, the partner's LACPDUs, the aggregator, the handshake, min_links.
 */
enum ad_why ad_port_why(struct ad_bond *ab, const struct ad_port *port, u32 min_links)
{
	const struct ad_agg *agg = rcu_dereference_protected(port->agg,
							     lockdep_is_held(&ab->lock));
	enum ad_why why;

	lockdep_assert_held(&ab->lock);
	if (!port->enabled || !ad_port_link_usable(port))
		return AD_WHY_LINK_DOWN;
	if (!(port->actor.key & AD_KEY_SPEED_MASK))
		return AD_WHY_SPEED_UNKNOWN;
	if (!(port->actor.key & AD_KEY_DUPLEX))
		return AD_WHY_NOT_FULL_DUPLEX;
	if (port->rx_state != AD_RX_CURRENT)
		why = ad_why_silent(ab, port);
	else if (!port->selected || !agg)
		why = AD_WHY_NO_AGGREGATOR;
	else if (!agg->active)
		why = ad_why_other(ab, agg);
	else
		why = ad_why_mux(ab, port);
	if ((why == AD_WHY_DISTRIBUTING || why == AD_WHY_FALLBACK) && agg &&
	    ad_agg_enabled_ports(agg) < min_links)
		return AD_WHY_MIN_LINKS;
	return why;
}
