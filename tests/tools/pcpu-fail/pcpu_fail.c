// SPDX-License-Identifier: GPL-2.0
/*
 * pcpu_fail: fail percpu allocations made by one module, on demand.
 *
 * A kprobe on the percpu allocator's exported entry (pcpu_alloc_noprof
 * since 6.10, __alloc_percpu before) looks at the caller's return address.
 * While fail_next > 0 and that address lies in the target module
 * ("bonding" unless target= says otherwise), the call is made to return
 * NULL at once, without entering the allocator (so without its warning),
 * fail_next is decremented and hits incremented.
 *
 *   insmod pcpu_fail.ko [target=NAME]
 *   echo 1 > /sys/module/pcpu_fail/parameters/fail_next
 *   cat /sys/module/pcpu_fail/parameters/hits
 *
 * The caller is told from "%pS" (kallsyms), as __module_address() is not
 * exported to modules. x86_64 only: at a function's entry the return
 * address is at regs->sp.
 */
#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/ptrace.h>
#include <linux/string.h>
#include <linux/version.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define PCPU_ALLOC_SYM "pcpu_alloc_noprof"
#else
#define PCPU_ALLOC_SYM "__alloc_percpu"
#endif

static int fail_next;
module_param(fail_next, int, 0644);
MODULE_PARM_DESC(fail_next, "how many more allocations of the target to fail");

static int hits;
module_param(hits, int, 0444);
MODULE_PARM_DESC(hits, "allocations failed so far");

static char *target = "bonding";
module_param(target, charp, 0444);
MODULE_PARM_DESC(target, "the module whose allocations fail");

/* Entered instead of the allocator, with its caller's return address on top. */
static noinline unsigned long pcpu_fail_return_null(void)
{
	return 0;
}

static bool pcpu_fail_caller_is_target(unsigned long ret)
{
	char sym[KSYM_SYMBOL_LEN + 8], want[MODULE_NAME_LEN + 4];
	char *p;

	/* "func+0x1/0x2 [mod]", or "[mod BUILDID]" with build ids. */
	snprintf(sym, sizeof(sym), "%pS", (void *)ret);
	snprintf(want, sizeof(want), " [%s", target);
	p = strstr(sym, want);
	if (!p)
		return false;
	p += strlen(want);
	return *p == ']' || *p == ' ';
}

static int pcpu_fail_pre(struct kprobe *kp, struct pt_regs *regs)
{
	unsigned long ret = *(unsigned long *)kernel_stack_pointer(regs);
	int n = READ_ONCE(fail_next);

	if (n <= 0 || !pcpu_fail_caller_is_target(ret))
		return 0;
	do {
		if (n <= 0)
			return 0;
	} while (!try_cmpxchg(&fail_next, &n, n - 1));
	WRITE_ONCE(hits, READ_ONCE(hits) + 1);
	pr_info("pcpu_fail: failing " PCPU_ALLOC_SYM " from %pS\n", (void *)ret);
	regs->ip = (unsigned long)pcpu_fail_return_null;
	return 1;	/* ip changed: no single-step of the probed instruction */
}

/*
 * Never called when the pre-handler moved ip, but its presence keeps the
 * probe from being jump-optimized (an optimized probe ignores a changed ip)
 * and makes an ftrace-based one IPMODIFY.
 */
static void pcpu_fail_post(struct kprobe *kp, struct pt_regs *regs,
			   unsigned long flags)
{
}

static struct kprobe pcpu_fail_kp = {
	.symbol_name = PCPU_ALLOC_SYM,
	.pre_handler = pcpu_fail_pre,
	.post_handler = pcpu_fail_post,
};

static int __init pcpu_fail_init(void)
{
	int err = register_kprobe(&pcpu_fail_kp);

	if (err)
		pr_err("pcpu_fail: kprobe on " PCPU_ALLOC_SYM ": %d\n", err);
	return err;
}

static void __exit pcpu_fail_exit(void)
{
	unregister_kprobe(&pcpu_fail_kp);
}

module_init(pcpu_fail_init);
module_exit(pcpu_fail_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("test tool: fail one module's percpu allocations");
