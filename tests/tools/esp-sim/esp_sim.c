// SPDX-License-Identifier: GPL-2.0
/*
 * Test module: Ethernet devices esim0..esim<count-1> that offer ESP offload
 * the way a NIC does, so a bond's forwarding of security associations can
 * be watched. Each SA the stack (or a bond) programs is logged:
 *   esp_sim: <dev> add spi 0x<spi>        (the device found through
 *                                           xso.real_dev, as drivers do)
 *   esp_sim: <dev> delete spi 0x<spi>
 *   esp_sim: <dev> free spi 0x<spi>
 *   esp_sim: add spi 0x<spi>: real_dev <name> is not an esp_sim device
 *   esp_sim: <dev> delete spi 0x<spi>: not held   (a bad delete, below)
 * /sys/class/net/<dev>/esp_sim/sas counts the SAs the device holds,
 * .../esp_tx the packets it was handed with ESP offload metadata. Packets
 * are dropped after counting; `ip link set <dev> carrier off|on` works.
 * As hardware would need, .../bad_delete counts deletes of an SA the device
 * does not hold (never added, already deleted, or freed), and
 * .../undeleted_free frees of an SA that was not deleted on the device
 * first (left behind in hardware). The parameter add_delay_ms (writable)
 * makes each add take that long, as a NIC's firmware call can, to open the
 * window of a concurrent delete.
 */
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/version.h>
#include <linux/delay.h>
#include <net/xfrm.h>

#define ESIM_MAX_SA 16

struct esim {
	struct xfrm_state *sa[ESIM_MAX_SA];	/* RTNL or the xfrm locks */
	bool deleted[ESIM_MAX_SA];		/* sa[j] deleted, not yet freed */
	atomic_t nsa;
	atomic_long_t esp_tx;
	atomic_t bad_delete;
	atomic_t undeleted_free;
};

static int count = 2;
module_param(count, int, 0444);
static unsigned int add_delay_ms;
module_param(add_delay_ms, uint, 0644);
static struct net_device **devs;
static const struct net_device_ops esim_ops;

static struct esim *esim_of(struct net_device *dev)
{
	return dev && dev->netdev_ops == &esim_ops ? netdev_priv(dev) : NULL;
}

/* The device holding @xs, whatever xso.real_dev says now. */
static struct net_device *esim_holder(struct xfrm_state *xs, int *slot)
{
	int i, j;

	for (i = 0; i < count; i++)
		for (j = 0; j < ESIM_MAX_SA; j++)
			if (READ_ONCE(esim_of(devs[i])->sa[j]) == xs) {
				*slot = j;
				return devs[i];
			}
	return NULL;
}

static int esim_add(struct xfrm_state *xs)
{
	struct net_device *dev = xs->xso.real_dev;
	struct esim *e = esim_of(dev);
	unsigned int delay = READ_ONCE(add_delay_ms);
	int j;

	if (delay)
		msleep(delay);
	if (!e) {
		pr_info("esp_sim: add spi 0x%08x: real_dev %s is not an esp_sim device\n",
			ntohl(xs->id.spi), dev ? dev->name : "(null)");
		return -EINVAL;
	}
	for (j = 0; j < ESIM_MAX_SA; j++)
		if (!cmpxchg(&e->sa[j], NULL, xs)) {
			WRITE_ONCE(e->deleted[j], false);
			break;
		}
	if (j == ESIM_MAX_SA)
		return -ENOSPC;
	atomic_inc(&e->nsa);
	pr_info("esp_sim: %s add spi 0x%08x\n", dev->name, ntohl(xs->id.spi));
	return 0;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
static int esim_add_ext(struct xfrm_state *xs, struct netlink_ext_ack *extack)
{
	return esim_add(xs);
}
#define ESIM_ADD esim_add_ext
#else
#define ESIM_ADD esim_add
#endif

static void esim_delete(struct xfrm_state *xs)
{
	struct net_device *dev;
	int j;

	dev = esim_holder(xs, &j);
	if (!dev || READ_ONCE(esim_of(dev)->deleted[j])) {
		struct net_device *real = dev ?: xs->xso.real_dev;

		if (esim_of(real))
			atomic_inc(&esim_of(real)->bad_delete);
		pr_info("esp_sim: %s delete spi 0x%08x: not held\n",
			real ? real->name : "(none)", ntohl(xs->id.spi));
		return;
	}
	WRITE_ONCE(esim_of(dev)->deleted[j], true);
	pr_info("esp_sim: %s delete spi 0x%08x\n", dev->name, ntohl(xs->id.spi));
}

static void esim_free(struct xfrm_state *xs)
{
	struct net_device *dev;
	int j;

	dev = esim_holder(xs, &j);
	if (dev) {
		if (!READ_ONCE(esim_of(dev)->deleted[j]))
			atomic_inc(&esim_of(dev)->undeleted_free);
		WRITE_ONCE(esim_of(dev)->sa[j], NULL);
		atomic_dec(&esim_of(dev)->nsa);
	}
	pr_info("esp_sim: %s free spi 0x%08x\n", dev ? dev->name : "(none)",
		ntohl(xs->id.spi));
}

static bool esim_offload_ok(struct sk_buff *skb, struct xfrm_state *xs)
{
	return true;
}

static const struct xfrmdev_ops esim_xfrm_ops = {
	.xdo_dev_state_add	= ESIM_ADD,
	.xdo_dev_state_delete	= esim_delete,
	.xdo_dev_state_free	= esim_free,
	.xdo_dev_offload_ok	= esim_offload_ok,
};

static netdev_tx_t esim_xmit(struct sk_buff *skb, struct net_device *dev)
{
	if (xfrm_offload(skb))
		atomic_long_inc(&esim_of(dev)->esp_tx);
	dev_lstats_add(dev, skb->len);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static int esim_change_carrier(struct net_device *dev, bool on)
{
	if (on)
		netif_carrier_on(dev);
	else
		netif_carrier_off(dev);
	return 0;
}

static void esim_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *s)
{
	dev_lstats_read(dev, &s->tx_packets, &s->tx_bytes);
}

static const struct net_device_ops esim_ops = {
	.ndo_start_xmit		= esim_xmit,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_change_carrier	= esim_change_carrier,
	.ndo_get_stats64	= esim_get_stats64,
};

static ssize_t sas_show(struct device *d, struct device_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&esim_of(to_net_dev(d))->nsa));
}
static DEVICE_ATTR_RO(sas);

static ssize_t esp_tx_show(struct device *d, struct device_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&esim_of(to_net_dev(d))->esp_tx));
}
static DEVICE_ATTR_RO(esp_tx);

static ssize_t bad_delete_show(struct device *d, struct device_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&esim_of(to_net_dev(d))->bad_delete));
}
static DEVICE_ATTR_RO(bad_delete);

static ssize_t undeleted_free_show(struct device *d, struct device_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&esim_of(to_net_dev(d))->undeleted_free));
}
static DEVICE_ATTR_RO(undeleted_free);

static struct attribute *esim_attrs[] = {
	&dev_attr_sas.attr, &dev_attr_esp_tx.attr, &dev_attr_bad_delete.attr,
	&dev_attr_undeleted_free.attr, NULL
};
static const struct attribute_group esim_group = {
	.name = "esp_sim",
	.attrs = esim_attrs,
};

#define ESIM_F (NETIF_F_HW_ESP | NETIF_F_HW_ESP_TX_CSUM | NETIF_F_GSO_ESP | \
		NETIF_F_SG | NETIF_F_HW_CSUM)

static void esim_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &esim_ops;
	dev->xfrmdev_ops = &esim_xfrm_ops;
	dev->needs_free_netdev = true;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_LSTATS;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->hw_features |= ESIM_F;
	dev->features |= ESIM_F;
	dev->hw_enc_features |= ESIM_F;
	dev->sysfs_groups[0] = &esim_group;
	eth_hw_addr_random(dev);
}

static void esim_exit(void)
{
	int i;

	rtnl_lock();
	for (i = 0; i < count; i++)
		if (devs[i])
			unregister_netdevice(devs[i]);
	rtnl_unlock();
	kfree(devs);
}

static int __init esim_init(void)
{
	int i, ret = 0;

	if (count < 1 || count > 8)
		return -EINVAL;
	devs = kcalloc(count, sizeof(*devs), GFP_KERNEL);
	if (!devs)
		return -ENOMEM;
	for (i = 0; i < count && !ret; i++) {
		devs[i] = alloc_netdev(sizeof(struct esim), "esim%d", NET_NAME_ENUM, esim_setup);
		if (!devs[i]) {
			ret = -ENOMEM;
			break;
		}
		ret = register_netdev(devs[i]);
		if (ret) {
			free_netdev(devs[i]);
			devs[i] = NULL;
		}
	}
	if (ret)
		esim_exit();
	return ret;
}

module_init(esim_init);
module_exit(esim_exit);
MODULE_DESCRIPTION("Test devices with ESP offload, for the bonding tests");
MODULE_LICENSE("GPL");
