// SPDX-License-Identifier: GPL-2.0
/*
 * The 802.3ad machines of bond_modes/8023ad/, compiled for user space and
 * run against each other: systems of ports joined by simulated links, a
 * tick every 100 ms of simulated time, LACPDUs delivered at once. Each
 * scenario checks what 802.1AX and in-tree make of it (convergence, a cut
 * and a return, a silent partner, passive ports, loopback, two partners
 * and ad_select, half duplex) and, after every tick, the invariants of
 * the aggregator lists. A random-PDU pass runs the receive machine on
 * garbage under the sanitizers. Exit status 0 when every check held.
 */

#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>

#include <linux/etherdevice.h>

#include "../../../bond_modes/8023ad/ad.h"

#define MAX_PORTS	8
#define S_ACT		LACP_STATE_LACP_ACTIVITY
#define S_AGG		LACP_STATE_AGGREGATION
#define S_SYNC		LACP_STATE_SYNCHRONIZATION
#define S_COLL		LACP_STATE_COLLECTING
#define S_DIST		LACP_STATE_DISTRIBUTING
#define S_DEF		LACP_STATE_DEFAULTED

int ad_sim_verbose;
static int failures, checks;

struct sim_port {
	struct ad_port ap;
	bool up, full, drop;		/* link state; drop: sends nothing */
	u32 sent_at[4];			/* the tick numbers of the last 4 LACPDUs */
	int nsent;
	u32 mbps;
	int logged;			/* log lines ad_why_change asked for */
	struct sim_port *peer;
	struct sim_sys *sys;
};

struct sim_sys {
	const char *name;
	struct ad_bond ab;
	struct sim_port p[MAX_PORTS];
	int n;
	u8 policy;
	bool coupled;
	bool ticks_only;		/* nearer in-tree: the machines run on ticks only */
	int events[AD_EV_NO_NEW_AGGREGATOR + 1];
};

#define sys_of(b)	((struct sim_sys *)((char *)(b) - offsetof(struct sim_sys, ab)))
#define sport(port)	((struct sim_port *)(port))

static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	checks++;
	if (ok)
		return;
	failures++;
	printf("FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* ---- what the glue provides in the kernel --------------------------------- */

const char *ad_sim_name(const void *ab, const void *port)
{
	static char buf[32];
	struct sim_sys *s = sys_of((struct ad_bond *)ab);

	if (!port)
		return s->name;
	snprintf(buf, sizeof(buf), "%s.p%d", s->name,
		 (int)(sport(port) - s->p));
	return buf;
}

struct ad_port *ad_first_port(struct ad_bond *ab)
{
	struct sim_sys *s = sys_of(ab);

	return s->n ? &s->p[0].ap : NULL;
}

struct ad_port *ad_next_port(struct ad_bond *ab, struct ad_port *port)
{
	struct sim_sys *s = sys_of(ab);
	int i = sport(port) - s->p + 1;

	return i < s->n ? &s->p[i].ap : NULL;
}

bool ad_port_link_usable(const struct ad_port *port)
{
	return sport(port)->up;
}

u32 ad_port_speed(const struct ad_port *port)
{
	return sport(port)->up ? ad_key_speed(port->actor.key) : 0;
}

void ad_event(struct ad_bond *ab, struct ad_port *port, enum ad_event ev, int arg)
{
	sys_of(ab)->events[ev]++;
	if (ad_sim_verbose)
		printf("  [%s] event %d (%d)\n", ad_sim_name(ab, port), ev, arg);
}

/* ---- systems and links ------------------------------------------------------ */

static void sys_init(struct sim_sys *s, const char *name, u8 mac, int n,
		     bool active, bool fast)
{
	int i;

	memset(s, 0, sizeof(*s));
	s->name = name;
	s->n = n;
	s->coupled = true;
	s->ab.sys_prio = 65535;
	s->ab.sys[0] = 0x02;
	s->ab.sys[5] = mac;
	s->ab.select_countdown = 1;	/* enslaved while down, then opened */
	s->ab.lock.held = true;
	for (i = 0; i < n; i++) {
		struct sim_port *p = &s->p[i];

		p->sys = s;
		p->up = true;
		p->full = true;
		p->mbps = 10000;
		ad_port_init(&s->ab, &p->ap, NULL, i + 1, 0, 255, active, fast);
		p->ap.agg_own.id = ++s->ab.next_agg_id;
		ad_port_set_key(&s->ab, &p->ap, ad_speed_code(p->mbps), true, false);
	}
	s->ab.lock.held = false;
}

static void wire(struct sim_port *a, struct sim_port *b)
{
	a->peer = b;
	b->peer = a;
}

static void link_set(struct sim_sys *s, int i, bool up)
{
	struct sim_port *p = &s->p[i];

	p->up = up;
	s->ab.lock.held = true;
	ad_port_link_changed(&s->ab, &p->ap, up, ad_speed_code(p->mbps), p->full, s->policy);
	s->ab.lock.held = false;
}

/* Both ends of the cable of @s's port @i. */
static void cable_set(struct sim_sys *s, int i, bool up)
{
	struct sim_port *peer = s->p[i].peer;

	link_set(s, i, up);
	if (peer)
		link_set(peer->sys, peer - peer->sys->p, up);
}

/* ---- running ------------------------------------------------------------- */

static void step(struct sim_sys *s, struct sim_port *news);

/*
 * 802.1AX 6.4.16: never a fourth LACPDU within a second of the first.
 * Events fall between ticks, so tick numbers 11 apart are a second.
 */
static void check_tx_rate(struct sim_port *p)
{
	u32 now = p->sys->ab.ticks;

	if (p->nsent >= 4)
		check(now - p->sent_at[p->nsent % 4] >= 11,
		      "%s.p%d: 4 LACPDUs within %u ticks", p->sys->name,
		      (int)(p - p->sys->p), now - p->sent_at[p->nsent % 4]);
	p->sent_at[p->nsent++ % 4] = now;
}

/* A LACPDU arrives; news makes the receiver's machines run at once, as the glue does. */
static void deliver(struct sim_port *from, const u8 *buf)
{
	struct sim_port *to = from->peer;
	struct ad_lacpdu_in in;
	bool news;

	check_tx_rate(from);
	if (!to || !from->up || !to->up || from->drop)
		return;
	ad_lacpdu_decode(buf, &in);
	to->sys->ab.lock.held = true;
	ad_count(&to->sys->ab, &to->ap, BOND_3AD_STAT_LACPDU_RX);
	news = ad_rx_machine(&to->sys->ab, &to->ap, &in);
	to->sys->ab.lock.held = false;
	if (news && !to->sys->ticks_only)
		step(to->sys, to);
}

/* The aggregator lists agree with the ports, and one aggregator at most is active. */
static void invariants(struct sim_sys *s)
{
	int i, active = 0;

	for (i = 0; i < s->n; i++) {
		struct ad_agg *agg = &s->p[i].ap.agg_own;
		struct ad_port *q;
		int len = 0;

		active += agg->active;
		for (q = agg->ports; q; q = q->next) {
			len++;
			check(q->agg == agg, "%s: a port on LAG %d's list points elsewhere",
			      s->name, agg->id);
			if (len > s->n)
				break;
		}
		check(len == agg->num_ports, "%s: LAG %d lists %d ports, counts %d",
		      s->name, agg->id, len, agg->num_ports);
		q = &s->p[i].ap;
		check(!ad_port_transmits(q) || q->enabled || !q->selected ||
		      q->mux_state != AD_MUX_DETACHED,
		      "%s.p%d transmits while detached", s->name, i);
	}
	check(active <= 1, "%s: %d active LAGs", s->name, active);
}

/* The log lines the glue would print as @s's ports' reasons change (@only: one port's). */
static void log_whys(struct sim_sys *s, struct sim_port *only)
{
	int i;

	for (i = 0; i < s->n; i++) {
		struct ad_port *ap = &s->p[i].ap;

		if (only && only != &s->p[i])
			continue;
		enum ad_why why = ad_port_why(&s->ab, ap, 0);

		switch (ad_why_change(ap->why_logged, why)) {
		case AD_WHY_KEEP:
			continue;
		case AD_WHY_LOG:
			s->p[i].logged++;
			if (ad_sim_verbose)
				printf("  [%s.p%d] log: %s (last %d)\n", s->name, i, ad_why_text(why), ap->why_logged);
			break;
		case AD_WHY_NOTE:
			break;
		}
		ap->why_logged = why;
	}
}

/*
 * The machines of @s for a tick (@news NULL) or for the port a LACPDU
 * brought news, and the LACPDUs they send.
 */
static void step(struct sim_sys *s, struct sim_port *news)
{
	u8 out[MAX_PORTS][AD_PDU_LEN];
	bool sent[MAX_PORTS] = { };
	int i;

	s->ab.lock.held = true;
	if (news)
		ad_port_events(&s->ab, &news->ap, s->policy, s->coupled);
	else
		ad_machines_tick(&s->ab, s->policy, s->coupled);
	/* as the glue: after an event, only that port's reason and PDU */
	log_whys(s, news);
	for (i = 0; i < s->n; i++) {
		if (news && news != &s->p[i])
			continue;
		sent[i] = ad_tx_take(&s->ab, &s->p[i].ap, out[i]);
		if (sent[i])
			ad_count(&s->ab, &s->p[i].ap, BOND_3AD_STAT_LACPDU_TX);
	}
	s->ab.lock.held = false;
	for (i = 0; i < s->n; i++)
		if (sent[i])
			deliver(&s->p[i], out[i]);
	invariants(s);
}

static void tick(struct sim_sys *s)
{
	if (ad_sim_verbose)
		printf("  [%s] tick %u\n", s->name, s->ab.ticks + 1);
	step(s, NULL);
}

static void run(struct sim_sys **sys, int nsys, int ticks)
{
	int t, i;

	for (t = 0; t < ticks; t++)
		for (i = 0; i < nsys; i++)
			tick(sys[i]);
}

static bool distributing(const struct sim_port *p)
{
	return (p->ap.actor.state & (S_COLL | S_DIST)) == (S_COLL | S_DIST) &&
	       ad_port_transmits(&p->ap);
}

static bool all_distributing(struct sim_sys *s)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!distributing(&s->p[i]))
			return false;
	return true;
}

/* Ticks until every port of @a and @b distributes, or -1 within @limit. */
static int converge(struct sim_sys *a, struct sim_sys *b, int limit)
{
	struct sim_sys *both[] = { a, b };
	int t;

	for (t = 1; t <= limit; t++) {
		run(both, 2, 1);
		if (all_distributing(a) && all_distributing(b))
			return t;
	}
	return -1;
}

static enum ad_why why(struct sim_sys *s, int i, u32 min_links)
{
	enum ad_why w;

	s->ab.lock.held = true;
	w = ad_port_why(&s->ab, &s->p[i].ap, min_links);
	s->ab.lock.held = false;
	return w;
}

static void check_why(struct sim_sys *s, int i, enum ad_why want, const char *what)
{
	enum ad_why got = why(s, i, 0);

	check(got == want, "%s: %s.p%d says \"%s\", want \"%s\"", what, s->name, i,
	      ad_why_text(got), ad_why_text(want));
}

static long long stat(struct sim_sys *s, int which)
{
	return atomic64_read(&s->ab.stats.c[which]);
}

/* ---- scenarios ------------------------------------------------------------ */

static struct sim_sys A, B, C;

/* Two ports to one partner: one LAG each side, every port distributing. */
static void scenario_basic(void)
{
	int t, i;

	sys_init(&A, "A", 0xa, 2, true, false);
	sys_init(&B, "B", 0xb, 2, true, false);
	for (i = 0; i < 2; i++)
		wire(&A.p[i], &B.p[i]);
	t = converge(&A, &B, 100);
	printf("basic: all 4 ports distributing after %d ticks\n", t);
	check(t > 0 && t <= 40, "basic: distributing within 4 s (took %d ticks)", t);
	check(A.p[0].ap.agg == A.p[1].ap.agg, "basic: A's ports share a LAG");
	check(A.p[0].ap.agg && A.p[0].ap.agg->num_ports == 2, "basic: A's LAG has 2 ports");
	check(A.p[0].ap.actor.state == (S_ACT | S_AGG | S_SYNC | S_COLL | S_DIST),
	      "basic: actor state 0x%x, want 0x3d", A.p[0].ap.actor.state);
	check(A.p[0].ap.partner.state == (S_ACT | S_AGG | S_SYNC | S_COLL | S_DIST),
	      "basic: partner state 0x%x, want 0x3d", A.p[0].ap.partner.state);
	check(!memcmp(A.p[0].ap.partner.sys, B.ab.sys, ETH_ALEN), "basic: A's partner is B");
	check(A.p[1].ap.partner.port == 2, "basic: A.p1's partner port %d", A.p[1].ap.partner.port);
	check(A.p[0].ap.actor.key == (ad_speed_code(10000) << 1 | 1),
	      "basic: key %d for 10G full duplex", A.p[0].ap.actor.key);
	check_why(&A, 0, AD_WHY_DISTRIBUTING, "basic");
	check(why(&A, 0, 3) == AD_WHY_MIN_LINKS, "basic: 2 ports and min_links 3 not told");
	check(!A.p[0].logged && !A.p[1].logged, "basic: a normal start logged %d lines",
	      A.p[0].logged + A.p[1].logged);

	/* a cut: the port leaves at once, the LAG goes on with the other */
	cable_set(&A, 0, false);
	run((struct sim_sys *[]){ &A, &B }, 2, 2);
	check_why(&A, 0, AD_WHY_LINK_DOWN, "cut");
	check(!ad_port_transmits(&A.p[0].ap), "cut: A.p0 still transmits");
	check(distributing(&A.p[1]) && distributing(&B.p[1]), "cut: p1 stopped distributing");
	cable_set(&A, 0, true);
	/* back up, the old partner's information is no expiry */
	check_why(&A, 0, AD_WHY_FIRST_PDU, "link back up");
	t = converge(&A, &B, 100);
	printf("cut and restore: back after %d ticks\n", t);
	check(t > 0 && t <= 40, "restore: p0 back within 4 s (took %d)", t);
	check(A.p[0].ap.agg == A.p[1].ap.agg, "restore: p0 rejoined p1's LAG");
	check(!A.p[0].logged, "restore: a cut and its return logged %d lines", A.p[0].logged);

	/* slow rate: a LACPDU every 30 s per port once settled, 3 at most a second */
	{
		long long before = stat(&A, BOND_3AD_STAT_LACPDU_TX);

		run((struct sim_sys *[]){ &A, &B }, 2, 600);
		check(stat(&A, BOND_3AD_STAT_LACPDU_TX) - before <= 2 * 2 + 2,
		      "slow: %lld LACPDUs in 60 s from 2 ports",
		      stat(&A, BOND_3AD_STAT_LACPDU_TX) - before);
		check(all_distributing(&A), "slow: still distributing after 60 s");
	}

	/*
	 * A reply already due while the window is full is no news: the same
	 * LACPDU again does not run the machines again.
	 */
	{
		struct ad_port *ap = &A.p[0].ap;
		struct ad_lacpdu_in in = { .actor = B.p[0].ap.actor, .partner = ap->actor };
		u8 st;
		int k;

		A.ab.lock.held = true;
		for (k = 0; k < AD_TX_BURST; k++)
			ap->tx_stamp[k] = A.ab.ticks;
		in.partner.state ^= S_SYNC;	/* it sees us out of sync: reply due */
		check(ad_rx_machine(&A.ab, ap, &in), "news: a stale view of us is news");
		check(ap->ntt, "news: no reply due to a stale view of us");
		check(!ad_rx_machine(&A.ab, ap, &in), "news: the same LACPDU again is news");
		A.ab.lock.held = false;

		/* the partner stops syncing the port: worth a line, even if quiet */
		run((struct sim_sys *[]){ &A, &B }, 2, 20);
		check(all_distributing(&A), "news: not back to distributing");
		k = A.p[0].logged;
		in.actor = B.p[0].ap.actor;
		in.partner = ap->actor;
		A.ab.lock.held = true;
		for (st = 0; st < 2; st++) {
			in.actor.state &= ~(S_SYNC | S_COLL | S_DIST);
			ad_rx_machine(&A.ab, ap, &in);
		}
		A.ab.lock.held = false;
		B.p[0].drop = true;	/* B would put it right at once */
		step(&A, &A.p[0]);
		check(A.p[0].logged == k + 1, "unsync: %d lines when the partner left the port",
		      A.p[0].logged - k);
		B.p[0].drop = false;
		check(converge(&A, &B, 400) > 0, "unsync: back when the partner syncs again");
		check(A.p[0].logged == k + 2, "unsync: %d lines after the return, want 2",
		      A.p[0].logged - k);
	}
}

/*
 * The machines run on LACPDU arrival as well as on ticks: the handshake
 * after the 2 s aggregate wait takes no tick per step (in-tree's pace is
 * the ticks-only run).
 */
static void scenario_events(void)
{
	int t_ticks, t_events, i;

	sys_init(&A, "A", 0xa, 2, true, false);
	sys_init(&B, "B", 0xb, 2, true, false);
	A.ticks_only = true;
	B.ticks_only = true;
	for (i = 0; i < 2; i++)
		wire(&A.p[i], &B.p[i]);
	t_ticks = converge(&A, &B, 100);
	sys_init(&A, "A", 0xa, 2, true, false);
	sys_init(&B, "B", 0xb, 2, true, false);
	for (i = 0; i < 2; i++)
		wire(&A.p[i], &B.p[i]);
	t_events = converge(&A, &B, 100);
	printf("events: distributing after %d ticks, %d with the machines on ticks only\n",
	       t_events, t_ticks);
	check(t_events > 0 && t_events <= AD_AGGREGATE_WAIT_TICKS + 2,
	      "events: distributing %d ticks after the start, want the wait + 2", t_events);
	check(t_ticks > t_events, "events: no faster than ticks only (%d, %d)",
	      t_events, t_ticks);
}

/* The partner falls silent: its information expires, the LAG stops. */
static void scenario_silent(void)
{
	int t, i;

	sys_init(&A, "A", 0xa, 2, true, true);
	sys_init(&B, "B", 0xb, 2, true, true);
	for (i = 0; i < 2; i++)
		wire(&A.p[i], &B.p[i]);
	check(converge(&A, &B, 100) > 0, "silent: converges first (fast rate)");
	B.p[0].drop = B.p[1].drop = true;
	for (t = 1; t <= 200; t++) {
		run((struct sim_sys *[]){ &A, &B }, 2, 1);
		if (t == 40)
			check_why(&A, 0, AD_WHY_EXPIRED, "silent, after 4 s");
		if (A.p[0].ap.actor.state & S_DEF)
			break;
	}
	printf("silent (fast): A defaulted the partner after %d ticks\n", t);
	run((struct sim_sys *[]){ &A, &B }, 2, 2);
	check(why(&A, 0, 0) == AD_WHY_NO_PDUS || why(&A, 0, 0) == AD_WHY_FALLBACK,
	      "silent: A.p0 says \"%s\"", ad_why_text(why(&A, 0, 0)));
	check(why(&A, 0, 0) == AD_WHY_FALLBACK || why(&A, 1, 0) == AD_WHY_FALLBACK,
	      "silent: no port says it carries on alone");
	/* strict: the lone port stops, and says why */
	A.ab.lock.held = true;
	A.ab.fallback_strict = true;
	for (i = 0; i < 2; i++)
		if (ad_port_agg_active(&A.p[i].ap))
			ad_port_permit(&A.ab, &A.p[i].ap, false, false);
	A.ab.lock.held = false;
	run((struct sim_sys *[]){ &A, &B }, 2, 2);
	check(!ad_port_transmits(&A.p[0].ap) && !ad_port_transmits(&A.p[1].ap),
	      "strict: a port transmits without a partner");
	check(why(&A, 0, 0) == AD_WHY_STRICT || why(&A, 1, 0) == AD_WHY_STRICT,
	      "strict: no port says lacp_fallback strict");
	A.ab.fallback_strict = false;
	/* 3 s to expire, 3 s more to default, from B's last LACPDU */
	check(t >= 55 && t <= 62, "silent: defaulted after 3 s + 3 s (took %d ticks)", t);
	check(!distributing(&A.p[0]) || !A.p[0].ap.agg->num_ports ||
	      is_zero_ether_addr(A.p[0].ap.agg->partner_sys),
	      "silent: A.p0 still distributes to a partner that is gone");
	B.p[0].drop = B.p[1].drop = false;
	t = converge(&A, &B, 100);
	printf("silent: back after %d ticks once B speaks again\n", t);
	check(t > 0, "silent: re-aggregates when the partner speaks again");
}

/* Passive against active aggregates; the passive side sends when spoken to. */
static void scenario_passive(void)
{
	int t, i;

	sys_init(&A, "A", 0xa, 2, false, false);
	sys_init(&B, "B", 0xb, 2, true, false);
	for (i = 0; i < 2; i++)
		wire(&A.p[i], &B.p[i]);
	t = converge(&A, &B, 100);
	printf("passive vs active: distributing after %d ticks\n", t);
	check(t > 0 && t <= 40, "passive: aggregates with an active partner (took %d)", t);
	check(!(A.p[0].ap.actor.state & S_ACT), "passive: A advertises passive");

	/* passive, and the partner says nothing: the reason names both */
	sys_init(&A, "A", 0xa, 2, false, false);
	sys_init(&B, "B", 0xb, 2, true, false);
	for (i = 0; i < 2; i++) {
		wire(&A.p[i], &B.p[i]);
		B.p[i].drop = true;
	}
	run((struct sim_sys *[]){ &A, &B }, 2, 100);
	check(why(&A, 1, 0) == AD_WHY_NO_PDUS_PASSIVE || why(&A, 0, 0) == AD_WHY_NO_PDUS_PASSIVE,
	      "passive: partner silent, A says \"%s\" and \"%s\"",
	      ad_why_text(why(&A, 0, 0)), ad_why_text(why(&A, 1, 0)));
}

/* A port cabled back to its own system: logged, and it never aggregates with itself. */
static void scenario_loopback(void)
{
	sys_init(&A, "A", 0xa, 2, true, false);
	wire(&A.p[0], &A.p[1]);
	run((struct sim_sys *[]){ &A }, 1, 100);
	check(A.events[AD_EV_LOOPBACK] > 0, "loopback: not reported");
	check(is_zero_ether_addr(A.p[0].ap.partner.sys), "loopback: A took itself as partner");
}

/* Two partners: ad_select picks between their LAGs. */
static void scenario_two_partners(u8 policy, int nb, int nc, bool want_c)
{
	struct sim_sys *all[] = { &A, &B, &C };
	struct ad_agg *act = NULL;
	int i;

	sys_init(&A, "A", 0xa, nb + nc, true, true);
	sys_init(&B, "B", 0xb, nb, true, true);
	sys_init(&C, "C", 0xc, nc, true, true);
	A.policy = policy;
	for (i = 0; i < nb; i++)
		wire(&A.p[i], &B.p[i]);
	for (i = 0; i < nc; i++)
		wire(&A.p[nb + i], &C.p[i]);
	run(all, 3, 100);
	for (i = 0; i < A.n; i++)
		if (A.p[i].ap.agg_own.active)
			act = &A.p[i].ap.agg_own;
	check(act != NULL, "select %d: no active LAG", policy);
	if (!act)
		return;
	check(!memcmp(act->partner_sys, (want_c ? &C : &B)->ab.sys, ETH_ALEN),
	      "select %d (B %d ports, C %d): the LAG to %s should be active",
	      policy, nb, nc, want_c ? "C" : "B");
	for (i = 0; i < A.n; i++) {
		check(ad_port_transmits(&A.p[i].ap) == (A.p[i].ap.agg == act),
		      "select %d: A.p%d transmits %d", policy, i, A.p[i].ap.tx_enabled);
		check_why(&A, i, A.p[i].ap.agg == act ? AD_WHY_DISTRIBUTING :
			  AD_WHY_OTHER_PARTNER, "select");
	}
}

/* A half-duplex port does not speak LACP and sits alone; chosen, it says so. */
static void scenario_half_duplex(void)
{
	sys_init(&A, "A", 0xa, 1, true, false);
	A.p[0].full = false;
	link_set(&A, 0, true);
	run((struct sim_sys *[]){ &A }, 1, 50);
	check(!A.p[0].ap.lacp_enabled, "half duplex: LACP enabled");
	check(stat(&A, BOND_3AD_STAT_LACPDU_TX) == 0, "half duplex: sent %lld LACPDUs",
	      stat(&A, BOND_3AD_STAT_LACPDU_TX));
	check(A.p[0].ap.agg_own.individual && A.p[0].ap.agg_own.active,
	      "half duplex: not an active individual LAG");
	check(A.events[AD_EV_NO_PARTNER] > 0, "half duplex: no 'No 802.3ad response' warning");
	check(ad_port_transmits(&A.p[0].ap), "half duplex: the lone port does not carry traffic");
	check_why(&A, 0, AD_WHY_NOT_FULL_DUPLEX, "half duplex");
}

/* What each change of reason calls for: a line, a silent note, or nothing. */
static void scenario_why_change(void)
{
	static const struct {
		enum ad_why last, why;
		enum ad_why_act act;
	} t[] = {
		{ AD_WHY_BOND_DOWN, AD_WHY_FIRST_PDU, AD_WHY_KEEP },	/* a start */
		{ AD_WHY_BOND_DOWN, AD_WHY_DISTRIBUTING, AD_WHY_NOTE },
		{ AD_WHY_DISTRIBUTING, AD_WHY_LINK_DOWN, AD_WHY_NOTE },	/* the core logs it */
		{ AD_WHY_LINK_DOWN, AD_WHY_DISTRIBUTING, AD_WHY_NOTE },
		{ AD_WHY_DISTRIBUTING, AD_WHY_PARTNER_SYNC, AD_WHY_LOG }, /* a step down */
		{ AD_WHY_PARTNER_SYNC, AD_WHY_DISTRIBUTING, AD_WHY_LOG },
		{ AD_WHY_FIRST_PDU, AD_WHY_NO_PDUS, AD_WHY_LOG },
		{ AD_WHY_NO_PDUS, AD_WHY_LINK_DOWN, AD_WHY_KEEP },	/* still outstanding */
		{ AD_WHY_NO_PDUS, AD_WHY_DISTRIBUTING, AD_WHY_LOG },	/* ... until it ends */
		{ AD_WHY_NO_PDUS, AD_WHY_WAIT_TIMER, AD_WHY_KEEP },
		{ AD_WHY_MIN_LINKS, AD_WHY_MIN_LINKS, AD_WHY_KEEP },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++)
		check(ad_why_change(t[i].last, t[i].why) == t[i].act,
		      "why change %d: \"%s\" to \"%s\" calls for %d, want %d", i,
		      ad_why_text(t[i].last), ad_why_text(t[i].why),
		      ad_why_change(t[i].last, t[i].why), t[i].act);
}

/* Garbage LACPDUs between ticks: nothing breaks, the lists stay whole. */
static void scenario_fuzz(unsigned int seed)
{
	u8 buf[AD_PDU_LEN];
	struct ad_lacpdu_in in;
	int i, j;

	srand(seed);
	sys_init(&A, "A", 0xa, 3, true, false);
	sys_init(&B, "B", 0xb, 3, true, false);
	for (i = 0; i < 3; i++)
		wire(&A.p[i], &B.p[i]);
	for (i = 0; i < 20000; i++) {
		for (j = 0; j < AD_PDU_LEN; j++)
			buf[j] = rand();
		if (rand() % 2)		/* often our own partner's system */
			memcpy(buf + 6, B.ab.sys, ETH_ALEN);
		if (rand() % 4 == 0)	/* sometimes our own: loopback */
			memcpy(buf + 6, A.ab.sys, ETH_ALEN);
		ad_lacpdu_decode(buf, &in);
		A.ab.lock.held = true;
		ad_rx_machine(&A.ab, &A.p[rand() % 3].ap, &in);
		A.ab.lock.held = false;
		if (rand() % 8 == 0)
			cable_set(&A, rand() % 3, rand() % 2);
		if (i % 10 == 0)
			run((struct sim_sys *[]){ &A, &B }, 2, 1);
	}
	for (i = 0; i < 3; i++)
		cable_set(&A, i, true);
	check(converge(&A, &B, 400) > 0, "fuzz: A and B aggregate again after the garbage");
}

int main(int argc, char **argv)
{
	unsigned int seed = 1;
	int c;

	while ((c = getopt(argc, argv, "vs:")) != -1) {
		if (c == 'v')
			ad_sim_verbose = 1;
		else if (c == 's')
			seed = strtoul(optarg, NULL, 0);
	}
	scenario_basic();
	scenario_events();
	scenario_silent();
	scenario_passive();
	scenario_loopback();
	scenario_two_partners(BOND_AD_SELECT_COUNT, 1, 3, true);
	scenario_two_partners(BOND_AD_SELECT_BANDWIDTH, 3, 1, false);
	scenario_two_partners(BOND_AD_SELECT_STABLE, 2, 2, false);
	scenario_half_duplex();
	scenario_why_change();
	scenario_fuzz(seed);
	printf("ad-sim: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
