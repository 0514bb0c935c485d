/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _AD_SIM_RCUPDATE_H
#define _AD_SIM_RCUPDATE_H
#include <linux/kernel.h>
#define __rcu
#define rcu_dereference_protected(p, c)	({ assert(c); (p); })
#define rcu_dereference_check(p, c)	(p)
#define rcu_assign_pointer(p, v)	((p) = (v))
#endif
