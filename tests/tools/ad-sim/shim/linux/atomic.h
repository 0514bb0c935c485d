/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _AD_SIM_ATOMIC_H
#define _AD_SIM_ATOMIC_H
typedef struct { long long counter; } atomic64_t;
#define atomic64_inc(a)		((a)->counter++)
#define atomic64_read(a)	((a)->counter)
#endif
