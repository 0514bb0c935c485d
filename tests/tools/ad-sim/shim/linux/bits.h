/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _AD_SIM_BITS_H
#define _AD_SIM_BITS_H
#define BIT(n)		(1UL << (n))
#define GENMASK(h, l)	(((~0UL) << (l)) & (~0UL >> (8 * sizeof(long) - 1 - (h))))
#endif
