#!/bin/bash
# make bench: build, then run tests/bench/guest.sh in one VM boot.
set -uo pipefail
PROJ=$(cd "$(dirname "$0")/../.." && pwd)
"$PROJ/tests/vm/deps.sh" >/dev/null || exit 1
"$PROJ/tests/build.sh" "${KERNEL:-6.12}" || exit 1
VM_TIMEOUT=${VM_TIMEOUT:-3000} exec "$PROJ/tests/vm/run.sh" bash "$PROJ/tests/bench/guest.sh"
