// SPDX-License-Identifier: GPL-2.0
/*
 * What the bond offers the stack: its offload features, computed from the
 * slaves' on every enslave, release and slave feature change, and the VLAN
 * ids it filters, handed down to every slave. All under RTNL.
 *
 * The bond can offload what every slave can (checksums, segmentation, ...),
 * and a VLAN challenged slave makes the whole bond VLAN challenged. The
 * feature sets are the same on every supported kernel, so a bond looks the
 * same on 6.1 and 6.12.
 */

#include <linux/netdevice.h>
#include <linux/netdev_features.h>
#include <linux/if_vlan.h>
#include <linux/rtnetlink.h>

#include "bond.h"
#include "bond_mode.h"

#define BOND_F_GSO_ENCAP	(NETIF_F_GSO_GRE | NETIF_F_GSO_GRE_CSUM |	\
				 NETIF_F_GSO_IPXIP4 | NETIF_F_GSO_IPXIP6 |	\
				 NETIF_F_GSO_UDP_TUNNEL |			\
				 NETIF_F_GSO_UDP_TUNNEL_CSUM)

/* What a VLAN device on the bond may inherit. */
#define BOND_F_VLAN		(NETIF_F_HW_CSUM | NETIF_F_SG |			\
				 NETIF_F_FRAGLIST | NETIF_F_GSO_SOFTWARE |	\
				 BOND_F_GSO_ENCAP | NETIF_F_HIGHDMA |		\
				 NETIF_F_LRO)
/* What a tunnel over the bond may offload for its inner packets. */
#define BOND_F_ENC		(NETIF_F_HW_CSUM | NETIF_F_SG |			\
				 NETIF_F_RXCSUM | NETIF_F_GSO_SOFTWARE |	\
				 NETIF_F_GSO_PARTIAL)
#define BOND_F_MPLS		(NETIF_F_HW_CSUM | NETIF_F_SG |			\
				 NETIF_F_GSO_SOFTWARE)
#define BOND_F_GSO_PARTIAL	NETIF_F_GSO_ESP

#define BOND_F_VLAN_FILTER	(NETIF_F_HW_VLAN_CTAG_FILTER |			\
				 NETIF_F_HW_VLAN_STAG_FILTER)

/* The per-slave features start from this: nothing "one for all" yet. */
static netdev_features_t bond_features_base(netdev_features_t f)
{
	return (f & ~NETIF_F_ONE_FOR_ALL) | NETIF_F_ALL_FOR_ALL;
}

/* The features a new bond has and may have (bond_setup()). */
void bond_features_setup(struct net_device *dev)
{
	dev->hw_features = BOND_F_VLAN | BOND_F_GSO_ENCAP |
			   NETIF_F_HW_VLAN_CTAG_RX | NETIF_F_HW_VLAN_STAG_RX |
			   BOND_F_VLAN_FILTER;
	dev->features |= dev->hw_features | NETIF_F_HW_VLAN_CTAG_TX |
			 NETIF_F_HW_VLAN_STAG_TX | NETIF_F_GSO_PARTIAL;
}

/* ndo_fix_features: of what is wanted, what every slave can do. */
netdev_features_t bond_fix_features(struct net_device *dev,
				    netdev_features_t features)
{
	struct bonding *bond = bond_of(dev);
	netdev_features_t mask = features;
	struct slave *slave;

	features = bond_features_base(features);
	bond_for_each_slave(bond, slave)
		features = netdev_increment_features(features,
						     slave->dev->features, mask);
	return netdev_increment_features(features, NETIF_F_ALL_TSO |
					 NETIF_F_ALL_FOR_ALL, mask);
}

/* One feature set folded over the slaves. */
struct bond_fold {
	netdev_features_t vlan, enc, mpls, gso_partial;
	unsigned int dst_release;
	unsigned short header_len, headroom, tailroom;
	unsigned int tso_max_size;
	u16 tso_max_segs;
};

static void bond_fold_slave(struct bond_fold *f, const struct net_device *s)
{
	f->vlan = netdev_increment_features(f->vlan, s->vlan_features,
					    BOND_F_VLAN);
	f->enc = netdev_increment_features(f->enc, s->hw_enc_features,
					   BOND_F_ENC);
	f->mpls = netdev_increment_features(f->mpls, s->mpls_features,
					    BOND_F_MPLS);
	f->gso_partial = netdev_increment_features(f->gso_partial,
						   s->gso_partial_features,
						   BOND_F_GSO_PARTIAL);
	f->dst_release &= s->priv_flags;
	f->header_len = max(f->header_len, s->hard_header_len);
	f->headroom = max(f->headroom, s->needed_headroom);
	f->tailroom = max(f->tailroom, s->needed_tailroom);
	f->tso_max_size = min(f->tso_max_size, s->tso_max_size);
	f->tso_max_segs = min_t(u16, f->tso_max_segs, s->tso_max_segs);
}

/*
 * Recompute what depends on the slaves and tell the stack, which calls
 * bond_fix_features() for the features proper.
 */
void bond_compute_features(struct bonding *bond)
{
	const unsigned int dst_both = IFF_XMIT_DST_RELEASE |
				      IFF_XMIT_DST_RELEASE_PERM;
	struct net_device *dev = bond->dev;
	struct bond_fold f = {
		.vlan = bond_features_base(BOND_F_VLAN),
		.enc = bond_features_base(BOND_F_ENC),
		.mpls = bond_features_base(BOND_F_MPLS),
		.gso_partial = BOND_F_GSO_PARTIAL,
		.dst_release = dst_both,
		.header_len = ETH_HLEN,
		.tso_max_size = TSO_MAX_SIZE,
		.tso_max_segs = TSO_MAX_SEGS,
	};
	struct slave *slave;

	ASSERT_RTNL();
	bond_for_each_slave(bond, slave)
		bond_fold_slave(&f, slave->dev);

	dev->vlan_features = f.vlan;
	dev->hw_enc_features = f.enc | BOND_F_GSO_ENCAP |
			       NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_STAG_TX;
	/* ESP packets are marked encapsulated: offered whatever the slaves */
	if (IS_ENABLED(CONFIG_XFRM_OFFLOAD))
		dev->hw_enc_features |= BOND_F_XFRM;
	dev->mpls_features = f.mpls;
	dev->gso_partial_features = f.gso_partial;
	dev->priv_flags &= ~IFF_XMIT_DST_RELEASE;
	if ((dev->priv_flags & IFF_XMIT_DST_RELEASE_PERM) &&
	    f.dst_release == dst_both)
		dev->priv_flags |= IFF_XMIT_DST_RELEASE;
	dev->hard_header_len = f.header_len;
	dev->needed_headroom = f.headroom;
	dev->needed_tailroom = f.tailroom;
	netif_set_tso_max_segs(dev, f.tso_max_segs);
	netif_set_tso_max_size(dev, f.tso_max_size);

	/* Changing ours can change a slave's (LRO), which calls us again. */
	bond->in_feat_change = true;
	netdev_change_features(dev);
	bond->in_feat_change = false;
}

/* A slave's features changed (NETDEV_FEAT_CHANGE). */
void bond_slave_features_changed(struct bonding *bond)
{
	if (!bond->in_feat_change)
		bond_compute_features(bond);
}

/* ---- VLAN filters ------------------------------------------------------- */

int bond_vlan_rx_add_vid(struct net_device *dev, __be16 proto, u16 vid)
{
	struct bonding *bond = bond_of(dev);
	struct slave *slave, *done;
	int ret;

	ASSERT_RTNL();
	bond_for_each_slave(bond, slave) {
		ret = vlan_vid_add(slave->dev, proto, vid);
		if (ret)
			goto undo;
	}
	return 0;

undo:
	bond_for_each_slave(bond, done) {
		if (done == slave)
			break;
		vlan_vid_del(done->dev, proto, vid);
	}
	return ret;
}

int bond_vlan_rx_kill_vid(struct net_device *dev, __be16 proto, u16 vid)
{
	struct bonding *bond = bond_of(dev);
	struct slave *slave;

	ASSERT_RTNL();
	bond_for_each_slave(bond, slave)
		vlan_vid_del(slave->dev, proto, vid);
	if (bond->mode->vlan_killed)
		bond->mode->vlan_killed(bond, vid);
	return 0;
}

/* ---- a slave joins and leaves ------------------------------------------- */

/* Before the slave is opened: a VLAN challenged slave blocks new VLANs. */
void bond_features_slave_check(struct bonding *bond, struct net_device *slave_dev)
{
	if (slave_dev->features & NETIF_F_VLAN_CHALLENGED)
		slave_warn(bond->dev, slave_dev,
			   "enslaved VLAN challenged slave. Adding VLANs will be blocked as long as it is part of bond.\n");
}

/* The slave, open, gets the bond's VLAN ids and loses LRO if the bond has none. */
int bond_features_slave_join(struct bonding *bond, struct slave *slave)
{
	int ret;

	if (!(bond->dev->features & NETIF_F_LRO))
		dev_disable_lro(slave->dev);
	ret = vlan_vids_add_by_dev(slave->dev, bond->dev);
	if (ret)
		slave_err(bond->dev, slave->dev, "Couldn't add bond vlan ids\n");
	return ret;
}

void bond_features_slave_leave(struct bonding *bond, struct slave *slave)
{
	vlan_vids_del_by_dev(slave->dev, bond->dev);
}

/* After the slave's list entry is gone: the bond's features without it. */
void bond_features_slave_gone(struct bonding *bond, struct net_device *slave_dev)
{
	netdev_features_t old = bond->dev->features;

	bond_compute_features(bond);
	if ((old & NETIF_F_VLAN_CHALLENGED) &&
	    !(bond->dev->features & NETIF_F_VLAN_CHALLENGED))
		slave_info(bond->dev, slave_dev,
			   "last VLAN challenged slave left bond - VLAN blocking is removed\n");
}
