/* SPDX-License-Identifier: GPL-2.0 */
/* The bond as the 802.3ad machines see it in the simulator (sim.c). */
#ifndef _AD_SIM_H
#define _AD_SIM_H
#include <linux/kernel.h>
struct slave;
struct bonding;
enum { BOND_AD_SELECT_STABLE, BOND_AD_SELECT_BANDWIDTH, BOND_AD_SELECT_COUNT };
extern int ad_sim_verbose;
const char *ad_sim_name(const void *ab, const void *port);
#define ad_dbg(ab, port, fmt, ...) \
	do { if (ad_sim_verbose) printf("  [%s] " fmt, ad_sim_name(ab, port), ##__VA_ARGS__); } while (0)
#endif
