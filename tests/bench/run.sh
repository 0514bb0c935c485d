#!/bin/bash
# make bench: build, then run tests/bench/guest.sh in one VM boot (one round
# of everything took 8.5 min under TCG here, so five about 43).
set -uo pipefail
PROJ=$(cd "$(dirname "$0")/../.." && pwd)
"$PROJ/tests/vm/deps.sh" >/dev/null || exit 1
"$PROJ/tests/build.sh" "${KERNEL:-6.12}" || exit 1
VM_TIMEOUT=${VM_TIMEOUT:-4200} exec "$PROJ/tests/vm/run.sh" bash "$PROJ/tests/bench/guest.sh"
