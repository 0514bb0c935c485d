#!/bin/bash
# Fail (exit 1) when any given kernel log holds an oops, WARN, BUG, KASAN,
# UBSAN, lockdep, RCU, refcount, list-debug, object-debug or kmemleak report,
# printing the lines found. Missing files are skipped.
pat='Oops|BUG:|WARNING:|kernel BUG|general protection fault|Kernel panic|KASAN|UBSAN|'
pat+='possible circular locking|possible recursive locking|inconsistent lock state|'
pat+='suspicious RCU usage|refcount_t:|list_add corruption|list_del corruption|ODEBUG|'
pat+='unreferenced object|blocked for more than|soft lockup|rcu_.* detected stalls|'
pat+='unregister_netdevice: waiting for|Call Trace:'
#
# With SPLAT_AFTER=MARK, only what follows the line holding MARK counts (a
# file without MARK counts whole); what comes before is shown as a warning.
# The harness uses it to tell the job's reports from the kernel's own boot.
bad=0
for f in "$@"; do
	[ -s "$f" ] || continue
	if [ -n "${SPLAT_AFTER:-}" ] && grep -q "$SPLAT_AFTER" "$f"; then
		if sed "/$SPLAT_AFTER/q" "$f" | grep -Eq "$pat"; then
			echo "splat: warning: $f: the kernel reported a problem while booting, before the job:" >&2
			sed "/$SPLAT_AFTER/q" "$f" | grep -E -m 3 -A 4 "$pat" >&2
		fi
		body=$(sed -n "/$SPLAT_AFTER/,\$p" "$f")
	else
		# (a builtin read: the harness calls this between every two tests)
		body=$(<"$f")
	fi
	if grep -Eq "$pat" <<<"$body"; then
		echo "splat: $f:" >&2
		grep -E -m 20 -B 2 -A 12 "$pat" <<<"$body" >&2
		bad=1
	fi
done
exit $bad
