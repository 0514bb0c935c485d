/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The transmit hash (bond_hash.c): which slave of an array a packet or an
 * XDP frame goes to, by the bond's xmit_hash_policy. Lockless, under RCU.
 */
#ifndef _BOND_HASH_H
#define _BOND_HASH_H

#include <linux/netdevice.h>

struct bonding;
struct sk_buff;
struct xdp_buff;

void bond_hash_init(void);
u32 bond_xmit_hash(struct bonding *bond, struct sk_buff *skb);
u32 bond_xmit_hash_xdp(struct bonding *bond, struct xdp_buff *xdp);
u32 bond_sk_hash_l34(const struct sock *sk);
enum netdev_lag_hash bond_lag_hash_type(struct bonding *bond);

#endif /* _BOND_HASH_H */
