/* SPDX-License-Identifier: GPL-2.0 */
/* One thread: a lock is a flag the machines' assertions check. */
#ifndef _AD_SIM_SPINLOCK_H
#define _AD_SIM_SPINLOCK_H
#include <linux/kernel.h>
typedef struct { bool held; } spinlock_t;
#define lockdep_is_held(l)		((l)->held)
#define lockdep_assert_held(l)		assert((l)->held)
#endif
