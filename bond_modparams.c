// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters: `modprobe bonding mode=1 miimon=100 ...` set the
 * defaults every new bond starts from. They are checked once at load, with
 * the in-tree warnings for values out of range and the in-tree refusals
 * (the load fails) for words that name nothing.
 */

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/inet.h>
#include <linux/netdevice.h>

#include "bond.h"
#include "bond_mode.h"
#include "bond_options.h"

/* ---- module parameters: the defaults of every new bond ------------------ */

static char *mode;
module_param(mode, charp, 0);
MODULE_PARM_DESC(mode, "Mode of operation; 0 for balance-rr, 1 for active-backup, 2 for balance-xor, 3 for broadcast, 4 for 802.3ad, 5 for balance-tlb, 6 for balance-alb");

static int miimon;
module_param(miimon, int, 0);
MODULE_PARM_DESC(miimon, "Link check interval in milliseconds");

static int updelay;
module_param(updelay, int, 0);
MODULE_PARM_DESC(updelay, "Delay before considering link up, in milliseconds");

static int downdelay;
module_param(downdelay, int, 0);
MODULE_PARM_DESC(downdelay, "Delay before considering link down, in milliseconds");

static int use_carrier = 1;
module_param(use_carrier, int, 0);
MODULE_PARM_DESC(use_carrier, "Use netif_carrier_ok (vs MII ioctls) in miimon; 0 for off, 1 for on (default)");

static char *primary;
module_param(primary, charp, 0);
MODULE_PARM_DESC(primary, "Primary network device to use");

static char *primary_reselect;
module_param(primary_reselect, charp, 0);
MODULE_PARM_DESC(primary_reselect, "Reselect primary slave once it comes up; 0 for always (default), 1 for only if speed of primary is better, 2 for only on active slave failure");

static char *fail_over_mac;
module_param(fail_over_mac, charp, 0);
MODULE_PARM_DESC(fail_over_mac, "For active-backup, do not set all slaves to the same MAC; 0 for none (default), 1 for active, 2 for follow");

static int num_peer_notif = 1;
module_param_named(num_grat_arp, num_peer_notif, int, 0644);
MODULE_PARM_DESC(num_grat_arp, "Number of peer notifications to send on failover event (alias of num_unsol_na)");
module_param_named(num_unsol_na, num_peer_notif, int, 0644);
MODULE_PARM_DESC(num_unsol_na, "Number of peer notifications to send on failover event (alias of num_grat_arp)");

static int all_slaves_active;
module_param(all_slaves_active, int, 0);
MODULE_PARM_DESC(all_slaves_active, "Keep all frames received on an interface by setting active flag for all slaves; 0 for never (default), 1 for always.");

static int resend_igmp = 1;
module_param(resend_igmp, int, 0);
MODULE_PARM_DESC(resend_igmp, "Number of IGMP membership reports to send on link failure");

static int arp_interval;
module_param(arp_interval, int, 0);
MODULE_PARM_DESC(arp_interval, "arp interval in milliseconds");

static char *arp_ip_target[BOND_MAX_ARP_TARGETS];
module_param_array(arp_ip_target, charp, NULL, 0);
MODULE_PARM_DESC(arp_ip_target, "arp targets in n.n.n.n form");

static char *arp_validate;
module_param(arp_validate, charp, 0);
MODULE_PARM_DESC(arp_validate, "validate src/dst of ARP probes; 0 for none (default), 1 for active, 2 for backup, 3 for all");

static char *arp_all_targets;
module_param(arp_all_targets, charp, 0);
MODULE_PARM_DESC(arp_all_targets, "fail on any/all arp targets timeout; 0 for any (default), 1 for all");

static char *xmit_hash_policy;
module_param(xmit_hash_policy, charp, 0);
MODULE_PARM_DESC(xmit_hash_policy, "balance-alb, balance-tlb, balance-xor, 802.3ad hashing method; 0 for layer 2 (default), 1 for layer 3+4, 2 for layer 2+3, 3 for encap layer 2+3, 4 for encap layer 3+4, 5 for vlan+srcmac");

static int min_links;
module_param(min_links, int, 0);
MODULE_PARM_DESC(min_links, "Minimum number of available links before turning on carrier");

static int packets_per_slave = 1;
module_param(packets_per_slave, int, 0);
MODULE_PARM_DESC(packets_per_slave, "Packets to send per slave in balance-rr mode; 0 for a random slave, 1 packet per slave (default), >1 packets per slave.");

static char *lacp_rate;
module_param(lacp_rate, charp, 0);
MODULE_PARM_DESC(lacp_rate, "LACPDU tx rate to request from 802.3ad partner; 0 for slow, 1 for fast");

static char *ad_select;
module_param(ad_select, charp, 0);
MODULE_PARM_DESC(ad_select, "802.3ad aggregation selection logic; 0 for stable (default), 1 for bandwidth, 2 for count");

static unsigned int lp_interval = 1;
module_param(lp_interval, uint, 0);
MODULE_PARM_DESC(lp_interval, "The number of seconds between instances where the bonding driver sends learning packets to each slaves peer switch. The default is 1.");

/* Ours, not in-tree: the default of every new bond's sysfs failover_relink. */
static unsigned int failover_relink;
module_param(failover_relink, uint, 0);
MODULE_PARM_DESC(failover_relink, "Milliseconds the bond drops its carrier after a failover, so that DHCP clients renew on the new slave's network (active-backup); 0 (default) never");

/* What every new bond starts from: the module parameters, checked. */
static struct bond_params bond_defaults;

void bond_options_defaults(struct bond_params *params)
{
	*params = bond_defaults;
}

/* A word parameter: a value's name or number; unknown is an error. */
static int bond_param_word(enum bond_opt_id id, const char *param, const char *what,
			   u64 *out)
{
	if (!param)
		return 0;
	if (bond_opt_parse_word(id, param, out)) {
		pr_err("Error: %s \"%s\"\n", what, param);
		return -EINVAL;
	}
	return 0;
}

static void bond_param_delay(const char *name, int *ms, int mii)
{
	if (*ms < 0) {
		pr_warn("Warning: %s module parameter (%d), not in range 0-%d, so it was reset to 0\n",
			name, *ms, INT_MAX);
		*ms = 0;
	}
	if (mii && *ms % mii) {
		pr_warn("Warning: %s (%d) is not a multiple of miimon (%d), %s rounded to %d ms\n",
			name, *ms, mii, name, *ms / mii * mii);
	}
}

static void bond_param_ranges(void)
{
	if (miimon < 0) {
		pr_warn("Warning: miimon module parameter (%d), not in range 0-%d, so it was reset to 0\n",
			miimon, INT_MAX);
		miimon = 0;
	}
	bond_param_delay("updelay", &updelay, miimon);
	bond_param_delay("downdelay", &downdelay, miimon);
	if (!miimon && (updelay || downdelay)) {
		pr_warn("Warning: miimon module parameter not set and updelay (%d) or downdelay (%d) module parameter is set; updelay and downdelay have no effect unless miimon is set\n",
			updelay, downdelay);
		updelay = 0;
		downdelay = 0;
	}
	if (use_carrier != 0 && use_carrier != 1) {
		pr_warn("Warning: use_carrier module parameter (%d), not of valid value (0/1), so it was set to 1\n",
			use_carrier);
		use_carrier = 1;
	}
	if (num_peer_notif < 0 || num_peer_notif > 255) {
		pr_warn("Warning: num_grat_arp/num_unsol_na (%d) not in range 0-255 so it was reset to 1\n",
			num_peer_notif);
		num_peer_notif = 1;
	}
	if (all_slaves_active != 0 && all_slaves_active != 1) {
		pr_warn("Warning: all_slaves_active module parameter (%d), not of valid value (0/1), so it was set to 0\n",
			all_slaves_active);
		all_slaves_active = 0;
	}
	if (resend_igmp < 0 || resend_igmp > 255) {
		pr_warn("Warning: resend_igmp (%d) should be between 0 and 255, resetting to %d\n",
			resend_igmp, 1);
		resend_igmp = 1;
	}
	if (min_links < 0) {
		pr_warn("Warning: min_links (%d) should be between 0 and %d, resetting to 0\n",
			min_links, INT_MAX);
		min_links = 0;
	}
	if (packets_per_slave < 0 || packets_per_slave > USHRT_MAX) {
		pr_warn("Warning: packets_per_slave (%d) should be between 0 and %u resetting to 1\n",
			packets_per_slave, USHRT_MAX);
		packets_per_slave = 1;
	}
	/* in-tree's words, typo included; past INT_MAX it would read negative */
	if (!lp_interval || lp_interval > INT_MAX) {
		pr_warn("Warning: ip_interval must be between 1 and %d, so it was reset to %d\n",
			INT_MAX, 1);
		lp_interval = 1;
	}
	if (failover_relink > 60000) {
		pr_warn("Warning: failover_relink (%u) must be between 0 and 60000 ms, so it was reset to 0\n",
			failover_relink);
		failover_relink = 0;
	}
}

/* xmit_hash_policy= means nothing in modes that do not hash. */
static int __init bond_param_xmit_hash(u64 mode, u64 *hash)
{
	if (!xmit_hash_policy)
		return 0;
	if (mode == BOND_MODE_ROUNDROBIN || mode == BOND_MODE_ACTIVEBACKUP ||
	    mode == BOND_MODE_BROADCAST) {
		pr_info("xmit_hash_policy param is irrelevant in mode %s\n",
			bond_mode_long_name(mode));
		return 0;
	}
	return bond_param_word(BOND_OPT_XMIT_HASH, xmit_hash_policy,
			       "Invalid xmit_hash_policy", hash);
}

static bool __init bond_param_has_target(const __be32 *t, int n, __be32 ip)
{
	while (n--)
		if (t[n] == ip)
			return true;
	return false;
}

static int __init bond_param_count(const __be32 *t)
{
	int n = 0;

	while (n < BOND_MAX_ARP_TARGETS && t[n])
		n++;
	return n;
}

/* lacp_rate= and ad_select=: 802.3ad's; a word that names nothing fails the load. */
static int __init bond_param_lacp(u64 mode, struct bond_params *p)
{
	u64 v = BOND_LACP_SLOW;

	if (lacp_rate && !bond_mode_get(mode)->agg_info) {
		pr_info("lacp_rate param is irrelevant in mode %s\n",
			bond_mode_long_name(mode));
	} else if (bond_param_word(BOND_OPT_LACP_RATE, lacp_rate,
				   "Invalid lacp rate", &v)) {
		return -EINVAL;
	}
	p->lacp_fast = v;
	v = BOND_AD_SELECT_STABLE;
	if (bond_param_word(BOND_OPT_AD_SELECT, ad_select, "Invalid ad_select", &v))
		return -EINVAL;
	if (ad_select && !bond_mode_get(mode)->agg_info)
		pr_warn("ad_select param only affects 802.3ad mode\n");
	p->ad_select = v;
	return 0;
}

/* arp_interval= and arp_ip_target=: bad ones switch the ARP monitor off. */
static void __init bond_param_arp(struct bond_params *p)
{
	int i, n = 0;
	__be32 ip;

	if (miimon && arp_interval) {
		pr_warn("Warning: miimon (%d) and arp_interval (%d) can't be used simultaneously, disabling ARP monitoring\n",
			miimon, arp_interval);
		arp_interval = 0;
	}
	if (arp_interval < 0) {
		pr_warn("Warning: arp_interval module parameter (%d), not in range 0-%d, so it was reset to 0\n",
			arp_interval, INT_MAX);
		arp_interval = 0;
	}
	for (i = 0; i < BOND_MAX_ARP_TARGETS && arp_ip_target[i]; i++) {
		if (!in4_pton(arp_ip_target[i], -1, (u8 *)&ip, -1, NULL) ||
		    ipv4_is_lbcast(ip) || ipv4_is_zeronet(ip)) {
			pr_warn("Warning: bad arp_ip_target module parameter (%s), ARP monitoring will not be performed\n",
				arp_ip_target[i]);
			arp_interval = 0;
			continue;
		}
		if (bond_param_has_target(p->arp_targets, n, ip)) {
			pr_warn("Warning: duplicate address %pI4 in arp_ip_target, skipping\n",
				&ip);
			continue;
		}
		p->arp_targets[n++] = ip;
	}
	if (arp_interval && !n) {
		pr_warn("Warning: arp_interval module parameter (%d) specified without providing an arp_ip_target parameter, arp_interval was reset to 0\n",
			arp_interval);
		arp_interval = 0;
	}
	p->arp_interval = arp_interval;
}

/* arp_validate= needs arp_interval=; arp_all_targets= is only reported. */
static int __init bond_param_arp_words(struct bond_params *p)
{
	char list[BOND_MAX_ARP_TARGETS * 17] = "";
	u64 v = 0;
	int i, n, len = 0;

	if (arp_validate && !p->arp_interval) {
		pr_err("arp_validate requires arp_interval\n");
		return -EINVAL;
	}
	if (bond_param_word(BOND_OPT_ARP_VALIDATE, arp_validate,
			    "invalid arp_validate", &v))
		return -EINVAL;
	p->arp_validate = v;
	v = 0;
	if (arp_all_targets &&
	    bond_opt_parse_word(BOND_OPT_ARP_ALL_TARGETS, arp_all_targets, &v)) {
		pr_err("Error: invalid arp_all_targets_value \"%s\"\n", arp_all_targets);
		v = 0;
	}
	p->arp_all_targets = v;
	if (!miimon && p->arp_interval) {
		n = bond_param_count(p->arp_targets);
		for (i = 0; i < n; i++)
			len += scnprintf(list + len, sizeof(list) - len, " %pI4",
					 &p->arp_targets[i]);
		pr_info("ARP monitoring set to %d ms, validate %s, with %d target(s):%s\n",
			p->arp_interval,
			bond_opt_value_of(BOND_OPT_ARP_VALIDATE, p->arp_validate)->name, n,
			list);
	}
	return 0;
}

/* Check the module parameters once at load; a bad word fails the load. */
int __init bond_options_load_defaults(void)
{
	struct bond_params *p = &bond_defaults;
	u64 m = BOND_MODE_ROUNDROBIN, reselect = 0, fom = 0, hash = 0;
	int ret;

	ret = bond_param_word(BOND_OPT_MODE, mode, "Invalid bonding mode", &m);
	if (ret)
		return ret;
	if (!bond_mode_get(m)) {
		pr_err("Error: bonding mode \"%s\" is not implemented by this bonding.ko yet\n",
		       mode);
		return -EOPNOTSUPP;
	}
	bond_param_ranges();
	if (bond_mode_get(m)->needs_speed_duplex && !miimon) {
		pr_warn("Warning: miimon must be specified, otherwise bonding will not detect link failure, speed and duplex which are essential for 802.3ad operation\n");
		pr_warn("Forcing miimon to 100msec\n");
		miimon = BOND_DEFAULT_MIIMON;
	}

	if (primary && !bond_mode_get(m)->has_active) {
		pr_warn("Warning: %s primary device specified but has no effect in %s mode\n",
			primary, bond_mode_long_name(m));
		primary = NULL;
	}
	if (primary) {
		ret = bond_param_word(BOND_OPT_PRIMARY_RESELECT, primary_reselect,
				      "Invalid primary_reselect", &reselect);
		if (ret)
			return ret;
	}
	ret = bond_param_word(BOND_OPT_FAIL_OVER_MAC, fail_over_mac,
			      "invalid fail_over_mac", &fom);
	if (ret)
		return ret;
	if (fail_over_mac && !bond_mode_get(m)->failover)
		pr_warn("Warning: fail_over_mac only affects active-backup mode\n");
	bond_param_arp(p);
	ret = bond_param_arp_words(p);
	if (ret)
		return ret;
	if (miimon)
		pr_info("MII link monitoring set to %d ms\n", miimon);
	ret = bond_param_xmit_hash(m, &hash);
	if (ret)
		return ret;
	ret = bond_param_lacp(m, p);
	if (ret)
		return ret;

	p->mode = m;
	p->miimon = miimon;
	p->updelay = miimon ? updelay / miimon : 0;
	p->downdelay = miimon ? downdelay / miimon : 0;
	p->use_carrier = use_carrier;
	p->primary_reselect = reselect;
	p->fail_over_mac = fom;
	p->num_peer_notif = num_peer_notif;
	p->all_slaves_active = all_slaves_active;
	p->resend_igmp = resend_igmp;
	p->packets_per_slave = packets_per_slave;
	p->xmit_policy = hash;
	p->min_links = min_links;
	p->missed_max = 2;
	p->lp_interval = lp_interval;
	p->failover_relink = failover_relink;
	p->lacp_active = 1;
	p->coupled_control = 1;
	p->ad_actor_sys_prio = 65535;
	p->tlb_dynamic_lb = 1;
	if (primary)
		strscpy_pad(p->primary, primary, IFNAMSIZ);
	return 0;
}
