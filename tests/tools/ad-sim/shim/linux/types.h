/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's type names over the uapi ones, for the 802.3ad machines in user space. */
#ifndef _AD_SIM_TYPES_H
#define _AD_SIM_TYPES_H
#include_next <linux/types.h>
#include <stdbool.h>
#include <stdint.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
#endif
