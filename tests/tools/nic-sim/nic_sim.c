// SPDX-License-Identifier: GPL-2.0
/*
 * Test module: pairs of Ethernet devices with what a NIC offers a bond to
 * pass on, so that a bond's handling of it can be watched. nic<N> and its
 * peer nicp<N> are linked like a veth pair (a frame sent by one is received
 * by the other; carrier is up while both are up).
 *
 * PTP: each device registers a PHC (/dev/ptpX, the time of day plus an
 * offset that settime/adjtime move) and stamps in "hardware":
 *  - with tx_type ON, a transmit that asks for it (SKBTX_HW_TSTAMP) gets a
 *    stamp from the sender's PHC, as a NIC reports on completion;
 *  - with an rx_filter other than NONE, every received frame gets one from
 *    the receiver's PHC.
 * ethtool -T shows the PHC index and the hardware capabilities;
 * SIOCSHWTSTAMP / SIOCGHWTSTAMP (ndo_hwtstamp_* or, before 6.6,
 * ndo_eth_ioctl) set and read the configuration.
 *
 * kTLS (tls=1): NETIF_F_HW_TLS_TX and tlsdev_ops, so a TLS socket's key can
 * be handed to the device; its records then reach it unencrypted and go to
 * the peer as they are (the test reads plain TCP there).
 *
 * /sys/class/net/<dev>/nic_sim/: hwtstamp_sets (sets taken), tx_stamped
 * (stamps given), tls_keys (transmit keys held), tls_tx (packets of
 * offloaded TLS sockets sent).
 */
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/net_tstamp.h>
#include <linux/ptp_clock_kernel.h>
#include <linux/rtnetlink.h>
#include <linux/uaccess.h>
#include <net/tls.h>

struct nsim {
	struct net_device *dev;
	struct net_device *peer;	/* RTNL; set at creation, for life */
	struct ptp_clock *ptp;
	struct ptp_clock_info info;
	spinlock_t lock;		/* offset, tx_on, rx_on */
	s64 offset_ns;
	int tx_type, rx_filter;
	atomic_t sets, tx_stamped, tls_keys, tls_tx;
};

static int pairs = 2;
module_param(pairs, int, 0444);
static bool tls;
module_param(tls, bool, 0444);
static struct net_device **devs;	/* 2 * pairs */
static const struct net_device_ops nsim_ops;

static ktime_t nsim_now(struct nsim *p)
{
	unsigned long flags;
	s64 off;

	spin_lock_irqsave(&p->lock, flags);
	off = p->offset_ns;
	spin_unlock_irqrestore(&p->lock, flags);
	return ktime_add_ns(ktime_get_real(), off);
}

static int nsim_gettime(struct ptp_clock_info *info, struct timespec64 *ts)
{
	*ts = ktime_to_timespec64(nsim_now(container_of(info, struct nsim, info)));
	return 0;
}

static int nsim_settime(struct ptp_clock_info *info, const struct timespec64 *ts)
{
	struct nsim *p = container_of(info, struct nsim, info);
	unsigned long flags;

	spin_lock_irqsave(&p->lock, flags);
	p->offset_ns = timespec64_to_ns(ts) - ktime_get_real_ns();
	spin_unlock_irqrestore(&p->lock, flags);
	return 0;
}

static int nsim_adjtime(struct ptp_clock_info *info, s64 delta)
{
	struct nsim *p = container_of(info, struct nsim, info);
	unsigned long flags;

	spin_lock_irqsave(&p->lock, flags);
	p->offset_ns += delta;
	spin_unlock_irqrestore(&p->lock, flags);
	return 0;
}

/* The frequency is the system clock's: a servo's correction is accepted. */
static int nsim_adjfine(struct ptp_clock_info *info, long scaled_ppm)
{
	return 0;
}

static int nsim_enable(struct ptp_clock_info *info, struct ptp_clock_request *rq, int on)
{
	return -EOPNOTSUPP;
}

/* A packet of a socket whose TLS records this device "encrypts". */
static bool nsim_skb_tls(const struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_TLS_DEVICE)
	return skb->sk && sk_fullsock(skb->sk) &&
	       READ_ONCE(skb->sk->sk_validate_xmit_skb) == tls_validate_xmit_skb;
#else
	return false;
#endif
}

#if IS_ENABLED(CONFIG_TLS_DEVICE)
static int nsim_tls_add(struct net_device *dev, struct sock *sk,
			enum tls_offload_ctx_dir direction,
			struct tls_crypto_info *crypto_info, u32 start_offload_tcp_sn)
{
	struct nsim *p = netdev_priv(dev);

	if (direction != TLS_OFFLOAD_CTX_DIR_TX)
		return -EOPNOTSUPP;
	atomic_inc(&p->tls_keys);
	return 0;
}

static void nsim_tls_del(struct net_device *dev, struct tls_context *ctx,
			 enum tls_offload_ctx_dir direction)
{
	struct nsim *p = netdev_priv(dev);

	if (direction == TLS_OFFLOAD_CTX_DIR_TX)
		atomic_dec(&p->tls_keys);
}

static const struct tlsdev_ops nsim_tls_ops = {
	.tls_dev_add	= nsim_tls_add,
	.tls_dev_del	= nsim_tls_del,
};
#endif

static netdev_tx_t nsim_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct nsim *p = netdev_priv(dev);
	struct net_device *peer = p->peer;
	struct nsim *q = netdev_priv(peer);
	struct skb_shared_hwtstamps hw = {};
	unsigned int len = skb->len;

	if (nsim_skb_tls(skb))
		atomic_inc(&p->tls_tx);
	if ((skb_shinfo(skb)->tx_flags & SKBTX_HW_TSTAMP) &&
	    READ_ONCE(p->tx_type) == HWTSTAMP_TX_ON) {
		skb_shinfo(skb)->tx_flags |= SKBTX_IN_PROGRESS;
		hw.hwtstamp = nsim_now(p);
		skb_tstamp_tx(skb, &hw);
		atomic_inc(&p->tx_stamped);
	}
	if (!netif_carrier_ok(dev)) {
		dev_core_stats_tx_dropped_inc(dev);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	/* on failure it has freed the skb */
	if (__dev_forward_skb(peer, skb)) {
		dev_core_stats_tx_dropped_inc(dev);
		return NETDEV_TX_OK;
	}
	if (READ_ONCE(q->rx_filter) != HWTSTAMP_FILTER_NONE)
		skb_hwtstamps(skb)->hwtstamp = nsim_now(q);
	dev_sw_netstats_tx_add(dev, 1, len);
	dev_sw_netstats_rx_add(peer, len);
	netif_rx(skb);
	return NETDEV_TX_OK;
}

static int nsim_open(struct net_device *dev)
{
	struct nsim *p = netdev_priv(dev);

	if (netif_running(p->peer)) {
		netif_carrier_on(dev);
		netif_carrier_on(p->peer);
	}
	return 0;
}

static int nsim_stop(struct net_device *dev)
{
	struct nsim *p = netdev_priv(dev);

	netif_carrier_off(dev);
	netif_carrier_off(p->peer);
	return 0;
}

static int nsim_check_config(int tx_type, int rx_filter)
{
	if (tx_type != HWTSTAMP_TX_OFF && tx_type != HWTSTAMP_TX_ON)
		return -ERANGE;
	if (rx_filter < 0 || rx_filter >= __HWTSTAMP_FILTER_CNT)
		return -ERANGE;
	return 0;
}

/* Any receive filter is served by stamping every frame. */
static int nsim_rx_filter(int rx_filter)
{
	return rx_filter == HWTSTAMP_FILTER_NONE ? rx_filter : HWTSTAMP_FILTER_ALL;
}

#ifdef NSIM_NDO_HWTSTAMP
static int nsim_hwtstamp_get(struct net_device *dev, struct kernel_hwtstamp_config *cfg)
{
	struct nsim *p = netdev_priv(dev);

	cfg->flags = 0;
	cfg->tx_type = READ_ONCE(p->tx_type);
	cfg->rx_filter = READ_ONCE(p->rx_filter);
	return 0;
}

static int nsim_hwtstamp_set(struct net_device *dev, struct kernel_hwtstamp_config *cfg,
			     struct netlink_ext_ack *extack)
{
	struct nsim *p = netdev_priv(dev);
	int err = nsim_check_config(cfg->tx_type, cfg->rx_filter);

	if (err)
		return err;
	cfg->rx_filter = nsim_rx_filter(cfg->rx_filter);
	WRITE_ONCE(p->tx_type, cfg->tx_type);
	WRITE_ONCE(p->rx_filter, cfg->rx_filter);
	atomic_inc(&p->sets);
	return 0;
}
#else
static int nsim_eth_ioctl(struct net_device *dev, struct ifreq *ifr, int cmd)
{
	struct nsim *p = netdev_priv(dev);
	struct hwtstamp_config cfg;
	int err;

	switch (cmd) {
	case SIOCSHWTSTAMP:
		if (copy_from_user(&cfg, ifr->ifr_data, sizeof(cfg)))
			return -EFAULT;
		err = nsim_check_config(cfg.tx_type, cfg.rx_filter);
		if (err)
			return err;
		cfg.rx_filter = nsim_rx_filter(cfg.rx_filter);
		WRITE_ONCE(p->tx_type, cfg.tx_type);
		WRITE_ONCE(p->rx_filter, cfg.rx_filter);
		atomic_inc(&p->sets);
		break;
	case SIOCGHWTSTAMP:
		cfg.flags = 0;
		cfg.tx_type = READ_ONCE(p->tx_type);
		cfg.rx_filter = READ_ONCE(p->rx_filter);
		break;
	default:
		return -EOPNOTSUPP;
	}
	return copy_to_user(ifr->ifr_data, &cfg, sizeof(cfg)) ? -EFAULT : 0;
}
#endif

#ifdef NSIM_KERNEL_TS_INFO
#define nsim_ts_info kernel_ethtool_ts_info
#else
#define nsim_ts_info ethtool_ts_info
#endif

static int nsim_get_ts_info(struct net_device *dev, struct nsim_ts_info *info)
{
	struct nsim *p = netdev_priv(dev);

	info->so_timestamping = SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_RX_HARDWARE |
				SOF_TIMESTAMPING_RAW_HARDWARE | SOF_TIMESTAMPING_TX_SOFTWARE |
				SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;
	info->phc_index = ptp_clock_index(p->ptp);
	info->tx_types = BIT(HWTSTAMP_TX_OFF) | BIT(HWTSTAMP_TX_ON);
	info->rx_filters = BIT(HWTSTAMP_FILTER_NONE) | BIT(HWTSTAMP_FILTER_ALL);
	return 0;
}

static int nsim_get_link_ksettings(struct net_device *dev, struct ethtool_link_ksettings *cmd)
{
	cmd->base.speed = SPEED_1000;
	cmd->base.duplex = DUPLEX_FULL;
	cmd->base.port = PORT_OTHER;
	return 0;
}

static const struct ethtool_ops nsim_ethtool_ops = {
	.get_link		= ethtool_op_get_link,
	.get_ts_info		= nsim_get_ts_info,
	.get_link_ksettings	= nsim_get_link_ksettings,
};

static const struct net_device_ops nsim_ops = {
	.ndo_open		= nsim_open,
	.ndo_stop		= nsim_stop,
	.ndo_start_xmit		= nsim_xmit,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_get_stats64	= dev_get_tstats64,
#ifdef NSIM_NDO_HWTSTAMP
	.ndo_hwtstamp_get	= nsim_hwtstamp_get,
	.ndo_hwtstamp_set	= nsim_hwtstamp_set,
#else
	.ndo_eth_ioctl		= nsim_eth_ioctl,
#endif
};

static ssize_t hwtstamp_sets_show(struct device *d, struct device_attribute *attr, char *buf)
{
	struct nsim *p = netdev_priv(to_net_dev(d));

	return sysfs_emit(buf, "%d\n", atomic_read(&p->sets));
}
static DEVICE_ATTR_RO(hwtstamp_sets);

static ssize_t tx_stamped_show(struct device *d, struct device_attribute *attr, char *buf)
{
	struct nsim *p = netdev_priv(to_net_dev(d));

	return sysfs_emit(buf, "%d\n", atomic_read(&p->tx_stamped));
}
static DEVICE_ATTR_RO(tx_stamped);

static ssize_t tls_keys_show(struct device *d, struct device_attribute *attr, char *buf)
{
	struct nsim *p = netdev_priv(to_net_dev(d));

	return sysfs_emit(buf, "%d\n", atomic_read(&p->tls_keys));
}
static DEVICE_ATTR_RO(tls_keys);

static ssize_t tls_tx_show(struct device *d, struct device_attribute *attr, char *buf)
{
	struct nsim *p = netdev_priv(to_net_dev(d));

	return sysfs_emit(buf, "%d\n", atomic_read(&p->tls_tx));
}
static DEVICE_ATTR_RO(tls_tx);

static struct attribute *nsim_attrs[] = {
	&dev_attr_hwtstamp_sets.attr,
	&dev_attr_tx_stamped.attr,
	&dev_attr_tls_keys.attr,
	&dev_attr_tls_tx.attr,
	NULL,
};

static const struct attribute_group nsim_group = {
	.name = "nic_sim",
	.attrs = nsim_attrs,
};

static void nsim_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &nsim_ops;
	dev->ethtool_ops = &nsim_ethtool_ops;
	dev->needs_free_netdev = true;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	dev->sysfs_groups[0] = &nsim_group;
	eth_hw_addr_random(dev);
#if IS_ENABLED(CONFIG_TLS_DEVICE)
	if (tls) {
		/* the core drops TLS offload from a device without checksumming */
		dev->tlsdev_ops = &nsim_tls_ops;
		dev->hw_features |= NETIF_F_HW_TLS_TX | NETIF_F_HW_CSUM | NETIF_F_SG;
		dev->features |= NETIF_F_HW_TLS_TX | NETIF_F_HW_CSUM | NETIF_F_SG;
	}
#endif
}

static struct net_device *nsim_new(const char *fmt, int n)
{
	struct net_device *dev;
	struct nsim *p;
	char name[IFNAMSIZ];

	snprintf(name, sizeof(name), fmt, n);
	dev = alloc_netdev(sizeof(*p), name, NET_NAME_USER, nsim_setup);
	if (!dev)
		return NULL;
	p = netdev_priv(dev);
	p->dev = dev;
	spin_lock_init(&p->lock);
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	p->info = (struct ptp_clock_info) {
		.owner = THIS_MODULE,
		.max_adj = 100000000,
		.gettime64 = nsim_gettime,
		.settime64 = nsim_settime,
		.adjtime = nsim_adjtime,
		.adjfine = nsim_adjfine,
		.enable = nsim_enable,
	};
	snprintf(p->info.name, sizeof(p->info.name), "nic_sim %s", name);
	p->ptp = dev->tstats ? ptp_clock_register(&p->info, NULL) : ERR_PTR(-ENOMEM);
	if (IS_ERR_OR_NULL(p->ptp)) {
		free_percpu(dev->tstats);
		free_netdev(dev);
		return NULL;
	}
	return dev;
}

static void nsim_free(struct net_device *dev)
{
	struct nsim *p = netdev_priv(dev);

	ptp_clock_unregister(p->ptp);
	free_percpu(dev->tstats);
}

static void nsim_destroy(int n)
{
	int i;

	rtnl_lock();
	for (i = 0; i < n; i++)
		if (devs[i])
			unregister_netdevice(devs[i]);
	rtnl_unlock();
}

static int __init nsim_init(void)
{
	int i, err = 0;

	if (pairs < 1 || pairs > 16)
		return -EINVAL;
	devs = kcalloc(2 * pairs, sizeof(*devs), GFP_KERNEL);
	if (!devs)
		return -ENOMEM;
	for (i = 0; i < pairs; i++) {
		devs[2 * i] = nsim_new("nic%d", i);
		devs[2 * i + 1] = nsim_new("nicp%d", i);
		if (!devs[2 * i] || !devs[2 * i + 1]) {
			err = -ENOMEM;
			break;
		}
		((struct nsim *)netdev_priv(devs[2 * i]))->peer = devs[2 * i + 1];
		((struct nsim *)netdev_priv(devs[2 * i + 1]))->peer = devs[2 * i];
	}
	rtnl_lock();
	for (i = 0; !err && i < 2 * pairs; i++) {
		err = register_netdevice(devs[i]);
		if (err)
			break;
		devs[i]->priv_destructor = nsim_free;
	}
	rtnl_unlock();
	if (err) {
		/* registered ones free themselves; the others are ours to free */
		int reg = i;

		nsim_destroy(reg);
		for (i = reg; i < 2 * pairs; i++) {
			if (devs[i]) {
				nsim_free(devs[i]);
				free_netdev(devs[i]);
			}
		}
		kfree(devs);
	}
	return err;
}

static void __exit nsim_exit(void)
{
	nsim_destroy(2 * pairs);
	kfree(devs);
}

module_init(nsim_init);
module_exit(nsim_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Test NICs in pairs: a PHC with hardware time stamps, kTLS transmit offload");
