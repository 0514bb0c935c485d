/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The option table: one entry per bond option describes its name, values
 * or range, the modes it applies to, when it may change, its netlink
 * attribute and its setter. Module parameters, sysfs and netlink all go
 * through it (bond_options.c).
 */
#ifndef _BOND_OPTIONS_H
#define _BOND_OPTIONS_H

#include <linux/types.h>
#include <net/netlink.h>

struct bonding;
struct bond_params;
struct slave;

/* In netlink changelink order: attributes are applied in this order. */
enum bond_opt_id {
	BOND_OPT_MODE,
	BOND_OPT_ACTIVE_SLAVE,
	BOND_OPT_MIIMON,
	BOND_OPT_UPDELAY,
	BOND_OPT_DOWNDELAY,
	BOND_OPT_PEER_NOTIF_DELAY,
	BOND_OPT_USE_CARRIER,
	BOND_OPT_ARP_INTERVAL,
	BOND_OPT_ARP_TARGETS,
	BOND_OPT_NS_TARGETS,
	BOND_OPT_ARP_VALIDATE,
	BOND_OPT_ARP_ALL_TARGETS,
	BOND_OPT_PRIMARY,
	BOND_OPT_PRIMARY_RESELECT,
	BOND_OPT_FAIL_OVER_MAC,
	BOND_OPT_XMIT_HASH,
	BOND_OPT_RESEND_IGMP,
	BOND_OPT_NUM_PEER_NOTIF,
	BOND_OPT_NUM_PEER_NOTIF_ALIAS,
	BOND_OPT_ALL_SLAVES_ACTIVE,
	BOND_OPT_MIN_LINKS,
	BOND_OPT_LP_INTERVAL,
	BOND_OPT_PACKETS_PER_SLAVE,
	BOND_OPT_LACP_ACTIVE,
	BOND_OPT_LACP_RATE,
	BOND_OPT_AD_SELECT,
	BOND_OPT_AD_ACTOR_SYS_PRIO,
	BOND_OPT_AD_USER_PORT_KEY,
	BOND_OPT_AD_ACTOR_SYSTEM,
	BOND_OPT_TLB_DYNAMIC_LB,
	BOND_OPT_MISSED_MAX,
	BOND_OPT_COUPLED_CONTROL,
	BOND_OPT_LACP_FALLBACK,
	BOND_OPT_FAILOVER_RELINK,
	BOND_OPT_SLAVES,
	BOND_OPT_QUEUE_ID,
	BOND_OPT_COUNT
};

/* A named value of an option; the flags mark the default and the range. */
#define BOND_VAL_DEFAULT	BIT(0)
#define BOND_VAL_MIN		BIT(1)
#define BOND_VAL_MAX		BIT(2)

struct bond_opt_value {
	const char *name;
	u64 value;
	u32 flags;
};

/* What a caller hands to bond_opt_set(): a string or a number. */
struct bond_opt_arg {
	const char *str;	/* NULL: use num */
	u64 num;
};

/* Option flags */
#define BOND_OPTF_NOSLAVES	BIT(0)	/* only while the bond has no slaves */
#define BOND_OPTF_IFDOWN	BIT(1)	/* only while the bond is down */
#define BOND_OPTF_RAW		BIT(2)	/* the setter parses a string itself */
#define BOND_OPTF_ENUM		BIT(3)	/* sysfs shows "<name> <value>" */
/*
 * Shown (sysfs, netlink) only in the modes it applies to, and only to
 * CAP_NET_ADMIN: the 802.3ad identity, as in-tree.
 */
#define BOND_OPTF_PRIVATE	BIT(4)
#define BOND_OPTF_INT		BIT(5)	/* sysfs shows a C int, as in-tree's "%d" */

struct bond_option {
	const char *name;		/* in messages and, by default, sysfs */
	const struct bond_opt_value *values;	/* named values, range ends */
	u32 modes;			/* BIT(mode) of modes it may be set in */
	u32 flags;			/* BOND_OPTF_* */
	u16 nla;			/* IFLA_BOND_*, 0 if none */
	/* NLA_U8/U16/U32, NLA_BINARY (a MAC; get() gives it as a u64), 0: special */
	u8 nla_type;
	/* A stored option (BOND_STORED()) has no set or get: its u32 field. */
	u16 stored_off;			/* offsetof(struct bond_params, field) */
	/* Apply a parsed value (num) or, for RAW options, the string. */
	int (*set)(struct bonding *bond, const struct bond_opt_arg *arg,
		   struct netlink_ext_ack *extack);
	/* The value as a number, for sysfs and netlink. */
	u64 (*get)(struct bonding *bond);
	/* Custom sysfs text (RCU held, RTNL not); NULL: from get/values. */
	int (*show)(struct bonding *bond, char *buf);
};

/* In an option's initializer: the core stores the value in a u32 field. */
#define BOND_STORED(field)	.stored_off = offsetof(struct bond_params, field)

#define BOND_MODES_ALL		GENMASK(6, 0)
/* Modes the ARP/NS monitor works in (not 802.3ad, tlb, alb). */
#define BOND_MODES_ARP		(BIT(BOND_MODE_ROUNDROBIN) | BIT(BOND_MODE_ACTIVEBACKUP) | \
				 BIT(BOND_MODE_XOR) | BIT(BOND_MODE_BROADCAST))

const struct bond_option *bond_opt_get(enum bond_opt_id id);
int bond_opt_set(struct bonding *bond, enum bond_opt_id id,
		 const struct bond_opt_arg *arg, const struct nlattr *attr,
		 struct netlink_ext_ack *extack);
int bond_opt_show(struct bonding *bond, enum bond_opt_id id, char *buf);
bool bond_opt_visible(struct bonding *bond, enum bond_opt_id id);
u64 bond_opt_value(struct bonding *bond, enum bond_opt_id id);
const struct bond_opt_value *bond_opt_value_of(enum bond_opt_id id, u64 value);

int bond_opt_parse_word(enum bond_opt_id id, const char *word, u64 *out);

/* bond_modparams.c */
void bond_options_defaults(struct bond_params *params);
int bond_options_load_defaults(void);

int bond_slave_set_queue_id(struct slave *slave, u16 qid,
			    struct netlink_ext_ack *extack);

#endif /* _BOND_OPTIONS_H */
