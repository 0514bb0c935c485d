/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _AD_SIM_ETHERDEVICE_H
#define _AD_SIM_ETHERDEVICE_H
#include <linux/kernel.h>
#include <linux/if_ether.h>
static inline bool ether_addr_equal(const u8 *a, const u8 *b) { return !memcmp(a, b, ETH_ALEN); }
static inline bool is_zero_ether_addr(const u8 *a) { static const u8 z[ETH_ALEN]; return ether_addr_equal(a, z); }
static inline void eth_zero_addr(u8 *a) { memset(a, 0, ETH_ALEN); }
static inline void ether_addr_copy(u8 *d, const u8 *s) { memcpy(d, s, ETH_ALEN); }
#endif
