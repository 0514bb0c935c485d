/* SPDX-License-Identifier: GPL-2.0 */
/* What the 802.3ad machines use of the kernel's basics, in user space. */
#ifndef _AD_SIM_KERNEL_H
#define _AD_SIM_KERNEL_H
#include <assert.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include <linux/bits.h>
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define READ_ONCE(x)		(*(volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))
#define fallthrough		__attribute__((__fallthrough__))
#define __packed		__attribute__((packed))
#define cpu_to_be16(x)		htons(x)
#define be16_to_cpu(x)		ntohs(x)
/* a state that cannot happen fails the simulation */
#define WARN_ON_ONCE(c)		({ int __c = !!(c); if (__c) { fprintf(stderr, "WARN_ON_ONCE(%s) at %s:%d\n", #c, __FILE__, __LINE__); abort(); } __c; })
#endif
