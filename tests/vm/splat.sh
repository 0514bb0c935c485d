#!/bin/bash
# Fail (exit 1) when any given kernel log holds an oops, WARN, BUG, KASAN,
# UBSAN, lockdep, RCU, refcount, list-debug, object-debug or kmemleak report,
# printing the lines found. Missing files are skipped.
pat='Oops|BUG:|WARNING:|kernel BUG|general protection fault|Kernel panic|KASAN|UBSAN|'
pat+='possible circular locking|possible recursive locking|inconsistent lock state|'
pat+='suspicious RCU usage|refcount_t:|list_add corruption|list_del corruption|ODEBUG|'
pat+='unreferenced object|blocked for more than|soft lockup|rcu_.* detected stalls|'
pat+='unregister_netdevice: waiting for|Call Trace:'
bad=0
for f in "$@"; do
	[ -s "$f" ] || continue
	if grep -Eq "$pat" "$f"; then
		echo "splat: $f:" >&2
		grep -E -m 20 -B 2 -A 12 "$pat" "$f" >&2
		bad=1
	fi
done
exit $bad
