// SPDX-License-Identifier: GPL-2.0
/*
 * 802.3ad (mode 4): the glue between the 802.1AX machines (ad_port.c,
 * ad_mux.c, ad_select.c) and the bond. It owns the 100 ms tick, the
 * receive of Slow Protocols frames, the sending of what the machines ask
 * for, and turns their decisions into the bond's terms under RTNL: which
 * slaves send and receive (their roles), the usable array, the carrier.
 *
 * Contexts: the tick (the bond's workqueue, RCU), receive (softirq, RCU),
 * and RTNL for everything else. The machines run under ad_bond::lock in
 * all three; nothing is sent while it is held, and RTNL is only ever
 * tried from the workqueue (close cancels the works while holding it).
 */

#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_arp.h>
#include <linux/pkt_sched.h>
#include <linux/ratelimit.h>
#include <linux/rtnetlink.h>
#include <linux/workqueue.h>

#include "bond.h"
#include "bond_mode.h"
#include "bond_options.h"
#include "ad.h"

/* 802.1AX-2014 6.2.11.2: the Slow Protocols group address */
static const u8 ad_slow_mac[ETH_ALEN] __aligned(2) = {
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x02
};

/* The mode's private area: the machines' state and the works driving it. */
struct ad_mode {
	struct ad_bond ab;
	struct delayed_work tick;	/* the machines, every 100 ms while up */
	struct delayed_work apply;	/* their decisions, under RTNL */
	/*
	 * The mode's log lines, so a partner's flood cannot fill the log: the
	 * ports' reasons (a line held back is tried again at the next pass,
	 * so no count of suppressed ones is printed), and apart, so a spoofed
	 * loopback cannot hold those back, the loopback error.
	 */
	struct ratelimit_state why_rs, loop_rs;
};

static struct ad_mode *ad_mode_of(struct bonding *bond)
{
	return bond_mode_priv(bond);
}

struct ad_port *ad_port_of(struct slave *slave)
{
	return bond_slave_priv(slave);
}

/* ---- what the machines ask of the bond -------------------------------------- */

/* Ports in slave order; a departed port (ad_port::gone) is skipped. RCU or RTNL. */
struct ad_port *ad_next_port(struct ad_bond *ab, struct ad_port *port)
{
	struct slave *slave = port->slave;

	list_for_each_entry_continue_rcu(slave, &ab->bond->slave_list, list)
		if (!READ_ONCE(ad_port_of(slave)->gone))
			return ad_port_of(slave);
	return NULL;
}

struct ad_port *ad_first_port(struct ad_bond *ab)
{
	struct slave *slave;

	list_for_each_entry_rcu(slave, &ab->bond->slave_list, list,
				lockdep_rtnl_is_held())
		if (!READ_ONCE(ad_port_of(slave)->gone))
			return ad_port_of(slave);
	return NULL;
}

bool ad_port_link_usable(const struct ad_port *port)
{
	return bond_slave_usable(port->slave);
}

/* The speed the port's key says, while its link is up (ad_select bandwidth). */
u32 ad_port_speed(const struct ad_port *port)
{
	if (READ_ONCE(port->slave->link) != BOND_SLAVE_LINK_UP)
		return 0;
	return ad_key_speed(port->actor.key);
}

void ad_event(struct ad_bond *ab, struct ad_port *port, enum ad_event ev, int arg)
{
	struct net_device *bd = ab->bond->dev;

	switch (ev) {
	case AD_EV_LOOPBACK:
		if (!__ratelimit(&container_of(ab, struct ad_mode, ab)->loop_rs))
			break;
		slave_err(bd, port->slave->dev,
			  "An illegal loopback occurred on slave\nCheck the configuration to verify that all adapters are connected to 802.3ad compliant switch ports\n");
		break;
	case AD_EV_SPEED_ZERO:
		slave_err(bd, port->slave->dev, "speed changed to 0 on port %d\n",
			  port->actor.port);
		break;
	case AD_EV_NO_AGGREGATOR:
		if (net_ratelimit())
			slave_err(bd, port->slave->dev,
				  "Port %d did not find a suitable aggregator\n",
				  port->actor.port);
		break;
	case AD_EV_NOT_ON_LIST:
		if (net_ratelimit())
			slave_warn(bd, port->slave->dev,
				   "Warning: Port %d was related to aggregator %d but was not on its port list\n",
				   port->actor.port, arg);
		break;
	case AD_EV_NO_PARTNER:
		if (net_ratelimit())
			netdev_warn(bd, "Warning: No 802.3ad response from the link partner for any adapters in the bond\n");
		break;
	case AD_EV_BAD_POLICY:
		if (net_ratelimit())
			netdev_warn(bd, "Impossible agg select mode %d\n", arg);
		break;
	case AD_EV_REMOVING_ACTIVE:
		slave_info(bd, port->slave->dev, "Removing an active aggregator\n");
		break;
	case AD_EV_NO_NEW_AGGREGATOR:
		slave_warn(bd, port->slave->dev,
			   "unbinding aggregator, and could not find a new aggregator for its ports\n");
		break;
	}
}

/* ---- sending ------------------------------------------------------------------ */

/* A Slow Protocols frame from @slave's own address, its payload to fill. */
static struct sk_buff *ad_slow_skb(struct slave *slave, u8 **payload)
{
	struct net_device *dev = slave->dev;
	struct sk_buff *skb;
	struct ethhdr *eth;

	skb = alloc_skb(ETH_HLEN + AD_PDU_LEN + NET_IP_ALIGN, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, NET_IP_ALIGN);
	skb->dev = dev;
	skb_reset_mac_header(skb);
	eth = skb_put(skb, ETH_HLEN);
	ether_addr_copy(eth->h_dest, ad_slow_mac);
	/* the address the slave had before the bond gave it its own, as in-tree */
	ether_addr_copy(eth->h_source, slave->perm_hwaddr);
	eth->h_proto = htons(ETH_P_SLOW);
	skb_reset_network_header(skb);
	skb->protocol = htons(ETH_P_SLOW);
	*payload = skb_put(skb, AD_PDU_LEN);
	return skb;
}

/* The LACPDU @port's transmit machine asked for, queued on @out (lock held). */
static void ad_queue_lacpdu(struct ad_bond *ab, struct ad_port *port,
			    struct sk_buff_head *out)
{
	struct sk_buff *skb;
	u8 *payload;

	if (!port->tx_pending)
		return;
	skb = ad_slow_skb(port->slave, &payload);
	if (!skb)
		return;		/* still pending: the next tick tries again */
	ad_tx_take(ab, port, payload);
	skb->priority = TC_PRIO_CONTROL;
	ad_count(ab, port, BOND_3AD_STAT_LACPDU_TX);
	__skb_queue_tail(out, skb);
}

/* Under RCU, so that no slave device goes away underneath. */
static void ad_send_queued(struct sk_buff_head *out)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(out)))
		dev_queue_xmit(skb);
}

/* ---- what the machines decided, in the bond's terms (RTNL) ------------------- */

/*
 * Each slave's roles follow its port: it sends only while distributing in
 * the active aggregator, and receives all only while collecting there.
 * Then the usable array and the carrier follow.
 */
static void ad_apply(struct bonding *bond)
{
	struct ad_bond *ab = &ad_mode_of(bond)->ab;
	struct slave *slave;

	ASSERT_RTNL();
	bond_for_each_slave(bond, slave) {
		struct ad_port *port = ad_port_of(slave);
		bool backup, collecting;

		spin_lock_bh(&ab->lock);
		backup = !ad_port_transmits(port);
		collecting = port->rx_enabled && ad_port_agg_active(port);
		spin_unlock_bh(&ab->lock);
		bond_slave_set_roles(slave, backup,
				     !collecting && !bond->params.all_slaves_active);
	}
	bond_slaves_changed(bond, false);
}

static void ad_apply_work(struct work_struct *work)
{
	struct ad_mode *m = container_of(to_delayed_work(work), struct ad_mode, apply);

	/* close cancels this work holding RTNL: never wait for it here */
	if (!rtnl_trylock()) {
		queue_delayed_work(m->ab.bond->wq, &m->apply, 1);
		return;
	}
	ad_apply(m->ab.bond);
	rtnl_unlock();
}

/* ---- running the machines ------------------------------------------------------ */

/*
 * A port's reason for not distributing changed: ad_why_change says what
 * it calls for. A line the bond's rate limit holds back is tried again at
 * the next pass (the reason is not taken as logged).
 */
static void ad_log_why(struct ad_mode *m, struct ad_port *port, u32 min_links)
{
	enum ad_why why = ad_port_why(&m->ab, port, min_links);

	switch (ad_why_change(port->why_logged, why)) {
	case AD_WHY_KEEP:
		return;
	case AD_WHY_LOG:
		if (!__ratelimit(&m->why_rs))
			return;
		slave_info(m->ab.bond->dev, port->slave->dev, "802.3ad: port %d: %s\n",
			   port->actor.port, ad_why_text(why));
		break;
	case AD_WHY_NOTE:
		break;
	}
	port->why_logged = why;
}

/*
 * The machines, for a tick (@port NULL: every port, the timers move) or
 * after a LACPDU brought @port news, with the LACPDUs they ask for queued
 * on @out to send once the lock is dropped. True if the bond's side
 * (roles, usable array, carrier) must follow.
 */
static bool ad_run_locked(struct ad_mode *m, struct ad_port *port,
			  struct sk_buff_head *out)
{
	struct ad_bond *ab = &m->ab;
	struct bonding *bond = ab->bond;
	u8 policy = READ_ONCE(bond->params.ad_select);
	bool coupled = READ_ONCE(bond->params.coupled_control);
	u32 min_links = READ_ONCE(bond->params.min_links);
	bool changed;

	lockdep_assert_held(&ab->lock);
	if (port) {
		ad_port_events(ab, port, policy, coupled);
		ad_queue_lacpdu(ab, port, out);
		ad_log_why(m, port, min_links);
	} else {
		ad_machines_tick(ab, policy, coupled);
		for (port = ad_first_port(ab); port; port = ad_next_port(ab, port)) {
			ad_queue_lacpdu(ab, port, out);
			ad_log_why(m, port, min_links);
		}
	}
	changed = ab->changed;
	ab->changed = false;
	return changed;
}

static void ad_tick_work(struct work_struct *work)
{
	struct ad_mode *m = container_of(to_delayed_work(work), struct ad_mode, tick);
	struct ad_bond *ab = &m->ab;
	struct sk_buff_head out;
	bool changed;

	__skb_queue_head_init(&out);
	rcu_read_lock();
	spin_lock_bh(&ab->lock);
	changed = ad_run_locked(m, NULL, &out);
	spin_unlock_bh(&ab->lock);
	ad_send_queued(&out);
	rcu_read_unlock();

	if (changed)
		queue_delayed_work(ab->bond->wq, &m->apply, 0);
	queue_delayed_work(ab->bond->wq, &m->tick, msecs_to_jiffies(AD_TICK_MS));
}

/* ---- receive (softirq, RCU) ----------------------------------------------------- */

static void ad_marker_rcv(struct ad_bond *ab, struct ad_port *port, const u8 *pdu)
{
	struct sk_buff *skb;
	u8 *payload;

	switch (pdu[2]) {
	case AD_MARKER_INFO:
		/* 802.1AX 6.5.4.2: the responder returns it as a response */
		ad_count(ab, port, BOND_3AD_STAT_MARKER_RX);
		skb = ad_slow_skb(port->slave, &payload);
		if (!skb)
			return;
		memcpy(payload, pdu, AD_PDU_LEN);
		payload[2] = AD_MARKER_RESPONSE;
		ad_count(ab, port, BOND_3AD_STAT_MARKER_RESP_TX);
		dev_queue_xmit(skb);
		break;
	case AD_MARKER_RESPONSE:
		ad_count(ab, port, BOND_3AD_STAT_MARKER_RESP_RX);
		break;
	default:
		ad_count(ab, port, BOND_3AD_STAT_MARKER_UNKNOWN_RX);
		break;
	}
}

/*
 * A LACPDU: the receive machine takes it, and when it brought news (a
 * partner's new state, a reply due) the other machines run at once rather
 * than at the next tick, so a handshake's steps do not wait 100 ms each.
 * A stream of identical PDUs costs one receive machine step each.
 */
static void ad_lacpdu_rcv(struct ad_mode *m, struct ad_port *port, const u8 *pdu)
{
	struct ad_bond *ab = &m->ab;
	struct ad_lacpdu_in in;
	struct sk_buff_head out;
	bool changed = false;

	ad_count(ab, port, BOND_3AD_STAT_LACPDU_RX);
	ad_lacpdu_decode(pdu, &in);
	__skb_queue_head_init(&out);
	spin_lock(&ab->lock);
	/* the port may have left while this waited for the lock */
	if (!port->gone && ad_rx_machine(ab, port, &in))
		changed = ad_run_locked(m, port, &out);
	spin_unlock(&ab->lock);
	ad_send_queued(&out);
	if (changed)
		queue_delayed_work(ab->bond->wq, &m->apply, 0);
}

/*
 * Slow Protocols frames to the group address while the bond is up:
 * LACPDUs and Markers are the mode's; anything shorter than a PDU, or of
 * another subtype, is counted and goes on as any frame (in-tree's counts).
 */
static bool ad_rx(struct bonding *bond, struct slave *slave, struct sk_buff *skb)
{
	struct ad_mode *m = ad_mode_of(bond);
	struct ad_bond *ab = &m->ab;
	struct ad_port *port = ad_port_of(slave);
	u8 buf[AD_PDU_LEN];
	const u8 *pdu;

	if (skb->protocol != htons(ETH_P_SLOW) ||
	    !ether_addr_equal(eth_hdr(skb)->h_dest, ad_slow_mac) ||
	    !netif_running(bond->dev) || READ_ONCE(port->gone))
		return false;
	pdu = skb_header_pointer(skb, 0, AD_PDU_LEN, buf);
	if (!pdu) {
		ad_count(ab, port, BOND_3AD_STAT_LACPDU_ILLEGAL_RX);
		return false;
	}
	switch (pdu[0]) {
	case AD_SUBTYPE_LACP:
		ad_lacpdu_rcv(m, port, pdu);
		return true;
	case AD_SUBTYPE_MARKER:
		ad_marker_rcv(ab, port, pdu);
		return true;
	}
	ad_count(ab, port, BOND_3AD_STAT_LACPDU_UNKNOWN_RX);
	return false;
}

/* ---- the bond's events (RTNL) ----------------------------------------------- */

static int ad_init(struct bonding *bond, void *priv)
{
	struct ad_mode *m = priv;

	m->ab.bond = bond;
	m->ab.fallback_strict = bond->params.lacp_fallback == BOND_LACP_FALLBACK_STRICT;
	spin_lock_init(&m->ab.lock);
	/* a partner flapping a port's sync: 2 lines, 30 a minute at most */
	ratelimit_state_init(&m->why_rs, 60 * HZ, 30);
	ratelimit_set_flags(&m->why_rs, RATELIMIT_MSG_ON_RELEASE);
	ratelimit_state_init(&m->loop_rs, DEFAULT_RATELIMIT_INTERVAL,
			     DEFAULT_RATELIMIT_BURST);
	INIT_DELAYED_WORK(&m->tick, ad_tick_work);
	INIT_DELAYED_WORK(&m->apply, ad_apply_work);
	return 0;
}

/*
 * The first slave of an empty bond: the actor system is sampled now (the
 * bond's address, unless ad_actor_system names one), aggregator ids start
 * again, and selection waits 8 s for the other slaves, as in-tree.
 */
/* The actor system: ad_actor_system, or the bond's own address. */
static void ad_sample_system(struct bonding *bond, struct ad_bond *ab)
{
	const u8 *sys = bond->params.ad_actor_system;

	lockdep_assert_held(&ab->lock);
	ab->sys_prio = bond->params.ad_actor_sys_prio;
	ether_addr_copy(ab->sys, is_zero_ether_addr(sys) ? bond->dev->dev_addr : sys);
}

static void ad_first_slave(struct bonding *bond, struct ad_bond *ab)
{
	ad_sample_system(bond, ab);
	ab->next_agg_id = 0;
	ab->select_countdown = AD_FIRST_SELECT_TICKS;
}

/* The key's speed code of @slave's link; a speed keys lack is said once. */
static u16 ad_slave_speed_code(struct slave *slave, struct ad_port *port)
{
	static bool warned;
	u16 code;

	if (slave->link != BOND_SLAVE_LINK_UP && slave->link != BOND_SLAVE_LINK_FAIL)
		return 0;
	code = ad_speed_code(slave->speed);
	if (!code && slave->speed != SPEED_UNKNOWN && !warned) {
		warned = true;
		slave_err(slave->bond->dev, slave->dev,
			  "unknown ethtool speed (%d) for port %d (set it to 0)\n",
			  slave->speed, port->actor.port);
	}
	return code;
}

static int ad_slave_attach(struct bonding *bond, struct slave *slave)
{
	struct ad_bond *ab = &ad_mode_of(bond)->ab;
	struct ad_port *port = ad_port_of(slave);
	bool first = !bond_has_slaves(bond);
	u16 number = 1;

	ASSERT_RTNL();
	/* port numbers as in-tree: one past the last slave's */
	if (!first)
		number = ad_port_of(list_last_entry(&bond->slave_list, struct slave,
						    list))->actor.port + 1;
	spin_lock_bh(&ab->lock);
	if (first)
		ad_first_slave(bond, ab);
	ad_port_init(ab, port, slave, number, bond->params.ad_user_port_key,
		     AD_PORT_PRIO_DEFAULT, bond->params.lacp_active,
		     bond->params.lacp_fast == BOND_LACP_FAST);
	port->agg_own.id = ++ab->next_agg_id;
	ad_port_set_key(ab, port, ad_slave_speed_code(slave, port),
			slave->duplex == DUPLEX_FULL, slave->link != BOND_SLAVE_LINK_UP);
	spin_unlock_bh(&ab->lock);

	/* not published yet: no reader sees these before they are whole */
	slave->backup = true;
	bond_abi_sync_backup(slave);
	slave->inactive = !bond->params.all_slaves_active;
	if (bond->dev->flags & IFF_UP)
		dev_mc_add(slave->dev, ad_slow_mac);
	return 0;
}

/*
 * A port leaves: it tells the partner it no longer aggregates (at once,
 * past the rate limit, as in-tree), its LAG moves out of its aggregator if
 * others use it, and the active aggregator is chosen again.
 */
static void ad_slave_detach(struct bonding *bond, struct slave *slave)
{
	const u8 gone_bits = LACP_STATE_SYNCHRONIZATION | LACP_STATE_COLLECTING |
			     LACP_STATE_DISTRIBUTING | LACP_STATE_AGGREGATION;
	struct ad_bond *ab = &ad_mode_of(bond)->ab;
	struct ad_port *port = ad_port_of(slave);
	struct sk_buff *skb;
	u8 *payload;

	ASSERT_RTNL();
	/* an enslave that failed before the upper link never spoke: no goodbye */
	skb = netdev_master_upper_dev_get(slave->dev) == bond->dev ?
	      ad_slow_skb(slave, &payload) : NULL;
	spin_lock_bh(&ab->lock);
	WRITE_ONCE(port->actor.state, port->actor.state & ~gone_bits);
	if (skb) {
		ad_lacpdu_encode(port, payload);
		skb->priority = TC_PRIO_CONTROL;
		ad_count(ab, port, BOND_3AD_STAT_LACPDU_TX);
	}
	ad_agg_migrate(ab, port);
	ad_agg_detach(ab, port);
	WRITE_ONCE(port->gone, true);
	ad_agg_selection(ab, bond->params.ad_select);
	spin_unlock_bh(&ab->lock);
	if (skb)
		dev_queue_xmit(skb);
	if (bond->dev->flags & IFF_UP)
		dev_mc_del(slave->dev, ad_slow_mac);
	ad_apply(bond);
}

static int ad_open(struct bonding *bond)
{
	struct ad_mode *m = ad_mode_of(bond);
	struct slave *slave;

	ASSERT_RTNL();
	spin_lock_bh(&m->ab.lock);
	m->ab.select_countdown = 1;
	spin_unlock_bh(&m->ab.lock);
	bond_for_each_slave(bond, slave)
		dev_mc_add(slave->dev, ad_slow_mac);
	queue_delayed_work(bond->wq, &m->tick, 0);
	return 0;
}

/* The machines stop where they are; they go on from there at the next open. */
static void ad_close(struct bonding *bond)
{
	struct ad_mode *m = ad_mode_of(bond);
	struct slave *slave;

	ASSERT_RTNL();
	cancel_delayed_work_sync(&m->tick);
	cancel_delayed_work_sync(&m->apply);
	bond_for_each_slave(bond, slave)
		dev_mc_del(slave->dev, ad_slow_mac);
}

/*
 * A link that is up or only failing (downdelay) keeps the port enabled; a
 * commit down disables it, as in-tree. Speed and duplex follow too.
 */
static void ad_slave_changed(struct bonding *bond, struct slave *slave)
{
	struct ad_bond *ab = &ad_mode_of(bond)->ab;
	struct ad_port *port = ad_port_of(slave);
	bool up = slave->link == BOND_SLAVE_LINK_UP ||
		  slave->link == BOND_SLAVE_LINK_FAIL;

	ASSERT_RTNL();
	spin_lock_bh(&ab->lock);
	ad_port_link_changed(ab, port, up, ad_slave_speed_code(slave, port),
			     slave->duplex == DUPLEX_FULL, bond->params.ad_select);
	spin_unlock_bh(&ab->lock);
	ad_apply(bond);
}

static bool ad_slave_transmits(struct bonding *bond, struct slave *slave)
{
	return ad_port_transmits(ad_port_of(slave));
}

/* Some port of @agg collects and distributes with an LACP partner. */
static bool ad_agg_negotiated(const struct ad_agg *agg)
{
	const struct ad_port *p;

	if (is_zero_ether_addr(agg->partner_sys))
		return false;
	for (p = agg->ports; p; p = p->next)
		if (ad_port_transmits(p) && (p->actor.state & AD_ST_COLLECTING))
			return true;
	return false;
}

/*
 * As in-tree: an active aggregator with at least min_links ports up. With
 * lacp_fallback strict, it must also have negotiated with a partner.
 */
static bool ad_carrier(struct bonding *bond)
{
	struct ad_bond *ab = &ad_mode_of(bond)->ab;
	struct ad_agg *agg;
	bool up;

	spin_lock_bh(&ab->lock);
	agg = ad_active_agg(ab);
	up = agg && ad_agg_enabled_ports(agg) >= (u32)bond->params.min_links &&
	     (!ab->fallback_strict || ad_agg_negotiated(agg));
	spin_unlock_bh(&ab->lock);
	return up;
}

/* Also without RTNL or a slave (reports): the state may be changing hands. */
static bool ad_agg_info(struct bonding *bond, struct bond_agg_info *info)
{
	struct ad_mode *m = bond_mode_priv_of(bond, &bond_mode_8023ad);
	struct ad_bond *ab;
	struct ad_agg *agg;

	if (!m)
		return false;
	ab = &m->ab;
	spin_lock_bh(&ab->lock);
	info->sys_prio = ab->sys_prio;
	ether_addr_copy(info->sys, ab->sys);
	agg = ad_active_agg(ab);
	if (agg) {
		info->id = agg->id;
		info->ports = ad_agg_enabled_ports(agg);
		info->actor_key = agg->actor_key;
		info->partner_key = agg->partner_key;
		ether_addr_copy(info->partner_system, agg->partner_sys);
	}
	spin_unlock_bh(&ab->lock);
	return agg;
}

static void ad_side(const struct ad_params *p, struct bond_lacp_side *side)
{
	side->sys_prio = p->sys_prio;
	ether_addr_copy(side->sys, p->sys);
	side->key = p->key;
	side->port_prio = p->port_prio;
	side->port = p->port;
	side->state = p->state;
}

/* A consistent picture of one port, for /proc, netlink and sysfs. RCU or RTNL. */
static bool ad_port_info(struct bonding *bond, struct slave *slave,
			 struct bond_port_info *info)
{
	struct ad_bond *ab = &ad_mode_of(bond)->ab;
	struct ad_port *port = ad_port_of(slave);
	struct ad_agg *agg;

	spin_lock_bh(&ab->lock);
	agg = rcu_dereference_protected(port->agg, lockdep_is_held(&ab->lock));
	info->agg_id = agg ? agg->id : 0;
	info->actor_churn = port->actor_churn;
	info->partner_churn = port->partner_churn;
	info->actor_churn_count = port->actor_churn_count;
	info->partner_churn_count = port->partner_churn_count;
	ad_side(&port->actor, &info->actor);
	ad_side(&port->partner, &info->partner);
	info->reason = ad_why_text(netif_running(bond->dev) ?
				   ad_port_why(ab, port, bond->params.min_links) :
				   AD_WHY_BOND_DOWN);
	spin_unlock_bh(&ab->lock);
	return agg;
}

static void ad_lacp_stats(struct bonding *bond, struct slave *slave,
			  u64 stats[BOND_LACP_STATS])
{
	struct ad_mode *m = slave ? NULL : bond_mode_priv_of(bond, &bond_mode_8023ad);
	struct ad_stats *s = slave ? &ad_port_of(slave)->stats : m ? &m->ab.stats : NULL;
	unsigned int i;

	if (!s) {
		memset(stats, 0, BOND_LACP_STATS * sizeof(*stats));
		return;
	}
	for (i = 0; i < BOND_LACP_STATS; i++)
		stats[i] = atomic64_read(&s->c[i]);
}

/*
 * lacp_fallback changed while the bond runs: strict takes the ports of a
 * partnerless active aggregator out of service, legacy lets selection put
 * them back, as it does when such an aggregator becomes active.
 */
static void ad_set_fallback(struct bonding *bond, struct ad_bond *ab)
{
	struct ad_agg *agg;
	struct ad_port *p;

	lockdep_assert_held(&ab->lock);
	ab->fallback_strict = bond->params.lacp_fallback == BOND_LACP_FALLBACK_STRICT;
	agg = ad_active_agg(ab);
	if (ab->fallback_strict && agg && is_zero_ether_addr(agg->partner_sys))
		for (p = agg->ports; p; p = p->next)
			ad_port_permit(ab, p, false, false);
	ad_agg_selection(ab, bond->params.ad_select);
}

/*
 * The actor system changed: every port says so to its partner at once
 * (ntt), as in-tree. The ports' rate and activity bits follow lacp_rate
 * and lacp_active (set while the bond is down).
 */
static void ad_option_changed(struct bonding *bond, unsigned int opt_id)
{
	struct ad_bond *ab = &ad_mode_of(bond)->ab;
	struct ad_port *port;

	ASSERT_RTNL();
	spin_lock_bh(&ab->lock);
	switch (opt_id) {
	case BOND_OPT_AD_ACTOR_SYS_PRIO:
	case BOND_OPT_AD_ACTOR_SYSTEM:
		ad_sample_system(bond, ab);
		for (port = ad_first_port(ab); port; port = ad_next_port(ab, port))
			ad_port_set_system(ab, port);
		break;
	case BOND_OPT_LACP_RATE:
	case BOND_OPT_LACP_ACTIVE:
		for (port = ad_first_port(ab); port; port = ad_next_port(ab, port))
			ad_port_set_bits(ab, port, bond->params.lacp_active,
					 bond->params.lacp_fast == BOND_LACP_FAST);
		break;
	case BOND_OPT_LACP_FALLBACK:
		ad_set_fallback(bond, ab);
		break;
	}
	spin_unlock_bh(&ab->lock);
	/*
	 * A collecting port that is not distributing receives all the same;
	 * the fallback changes who sends and the carrier.
	 */
	if (opt_id == BOND_OPT_ALL_SLAVES_ACTIVE || opt_id == BOND_OPT_LACP_FALLBACK)
		ad_apply(bond);
}

/* A port priority changed (netlink): all ports tell their partners, as in-tree. */
static void ad_set_port_prio(struct bonding *bond, struct slave *slave, u16 prio)
{
	struct ad_bond *ab = &ad_mode_of(bond)->ab;
	struct ad_port *port;

	ASSERT_RTNL();
	spin_lock_bh(&ab->lock);
	WRITE_ONCE(ad_port_of(slave)->actor.port_prio, prio);
	for (port = ad_first_port(ab); port; port = ad_next_port(ab, port))
		ad_port_set_system(ab, port);
	spin_unlock_bh(&ab->lock);
}

const struct bond_mode bond_mode_8023ad = {
	.id			= BOND_MODE_8023AD,
	.name			= "802.3ad",
	.proc_name		= "IEEE 802.3ad Dynamic link aggregation",
	.lag_tx_type		= NETDEV_LAG_TX_TYPE_HASH,
	.uses_xmit_hash		= true,
	.needs_speed_duplex	= true,
	.ether_only		= true,
	.xmit			= bond_hash_xmit,
	.xmit_slave		= bond_hash_xmit_slave,
	.xmit_slave_all		= bond_hash_xmit_slave_all,
	.sk_slave		= bond_hash_sk_slave,
	.xdp_slave		= bond_hash_xdp_slave,
	.xdp_ok			= bond_hash_xdp_ok,
	.rx			= ad_rx,
	.agg_info		= ad_agg_info,
	.port_info		= ad_port_info,
	.lacp_stats		= ad_lacp_stats,
	.option_changed		= ad_option_changed,
	.set_port_prio		= ad_set_port_prio,
	.priv_size		= sizeof(struct ad_mode),
	.slave_priv_size	= sizeof(struct ad_port),
	.init			= ad_init,
	.slave_attach		= ad_slave_attach,
	.slave_detach		= ad_slave_detach,
	.open			= ad_open,
	.close			= ad_close,
	.slave_changed		= ad_slave_changed,
	.slave_transmits	= ad_slave_transmits,
	.carrier		= ad_carrier,
};
