// SPDX-License-Identifier: GPL-2.0
/*
 * The wire formats of 802.3ad: the LACPDU (802.1AX-2014 6.4.2) and the
 * Marker PDU (6.5.3), 110 bytes each after the Ethernet header. Encode and
 * decode work on a buffer the caller checked to be that long; nothing here
 * trusts the TLV lengths of what arrived, as in-tree does not either.
 */

#include <linux/kernel.h>
#include <linux/etherdevice.h>

#include "ad.h"

/* One side's information TLV body (6.4.2.3 items d-k): 18 bytes. */
struct ad_wire_info {
	__be16 sys_prio;
	u8 sys[ETH_ALEN];
	__be16 key;
	__be16 port_prio;
	__be16 port;
	u8 state;
	u8 reserved[3];
} __packed;

struct ad_wire_lacpdu {
	u8 subtype;			/* AD_SUBTYPE_LACP */
	u8 version;			/* 1 */
	u8 actor_tlv, actor_len;	/* 1, 20 */
	struct ad_wire_info actor;
	u8 partner_tlv, partner_len;	/* 2, 20 */
	struct ad_wire_info partner;
	u8 collector_tlv, collector_len;	/* 3, 16 */
	__be16 collector_max_delay;
	u8 collector_reserved[12];
	u8 terminator_tlv, terminator_len;	/* 0, 0 */
	u8 reserved[50];
} __packed;

static_assert(sizeof(struct ad_wire_info) == 18);
static_assert(sizeof(struct ad_wire_lacpdu) == AD_PDU_LEN);

#define AD_TLV_ACTOR		1
#define AD_TLV_PARTNER		2
#define AD_TLV_COLLECTOR	3
#define AD_INFO_TLV_LEN		(2 + sizeof(struct ad_wire_info))
#define AD_COLLECTOR_TLV_LEN	16

static void ad_info_encode(const struct ad_params *p, struct ad_wire_info *w)
{
	w->sys_prio = cpu_to_be16(p->sys_prio);
	memcpy(w->sys, p->sys, ETH_ALEN);
	w->key = cpu_to_be16(p->key);
	w->port_prio = cpu_to_be16(p->port_prio);
	w->port = cpu_to_be16(p->port);
	w->state = p->state;
}

static void ad_info_decode(const struct ad_wire_info *w, struct ad_params *p)
{
	p->sys_prio = be16_to_cpu(w->sys_prio);
	memcpy(p->sys, w->sys, ETH_ALEN);
	p->key = be16_to_cpu(w->key);
	p->port_prio = be16_to_cpu(w->port_prio);
	p->port = be16_to_cpu(w->port);
	p->state = w->state;
}

/* The LACPDU @port sends now, into @buf (AD_PDU_LEN bytes). */
void ad_lacpdu_encode(const struct ad_port *port, void *buf)
{
	struct ad_wire_lacpdu *pdu = buf;

	memset(pdu, 0, sizeof(*pdu));
	pdu->subtype = AD_SUBTYPE_LACP;
	pdu->version = 1;
	pdu->actor_tlv = AD_TLV_ACTOR;
	pdu->actor_len = AD_INFO_TLV_LEN;
	ad_info_encode(&port->actor, &pdu->actor);
	pdu->partner_tlv = AD_TLV_PARTNER;
	pdu->partner_len = AD_INFO_TLV_LEN;
	ad_info_encode(&port->partner, &pdu->partner);
	pdu->collector_tlv = AD_TLV_COLLECTOR;
	pdu->collector_len = AD_COLLECTOR_TLV_LEN;
	/* collector max delay 0: we deliver at once (6.4.2.3 item v) */
}

/* The two sides of a received LACPDU in @buf (AD_PDU_LEN bytes). */
void ad_lacpdu_decode(const void *buf, struct ad_lacpdu_in *in)
{
	const struct ad_wire_lacpdu *pdu = buf;

	ad_info_decode(&pdu->actor, &in->actor);
	ad_info_decode(&pdu->partner, &in->partner);
}
