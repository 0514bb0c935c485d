#!/bin/bash
# make bench: build, then run tests/bench/guest.sh in one VM boot (one round
# of everything took 8.5 min under TCG here, so five about 43), then draw
# the results (tests/bench/plot.sh). Its files go to VM_OUT (default
# build/bench): out.log with the table, bench-ratios.svg and
# bench-failover.svg.
set -uo pipefail
PROJ=$(cd "$(dirname "$0")/../.." && pwd)
"$PROJ/tests/vm/deps.sh" >/dev/null || exit 1
"$PROJ/tests/build.sh" "${KERNEL:-6.12}" || exit 1
export VM_OUT=${VM_OUT:-$PROJ/build/bench}
rm -rf "$VM_OUT"
VM_TIMEOUT=${VM_TIMEOUT:-4200} "$PROJ/tests/vm/run.sh" bash "$PROJ/tests/bench/guest.sh"
rc=$?
[ "$rc" = 0 ] && "$PROJ/tests/bench/plot.sh" "$VM_OUT"
exit "$rc"
