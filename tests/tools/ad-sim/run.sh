#!/bin/bash
# Build the 802.3ad machines (bond_modes/8023ad/) for user space with the
# simulator, under ASan and UBSan, and run its scenarios. Host-side: no VM.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$here/../../../bond_modes/8023ad
out=${AD_SIM_OUT:-/tmp/ad-sim}
mkdir -p "$out"
cc -std=gnu11 -O1 -g -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -Werror \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-DAD_SIM -I"$here/shim" -I"$here" \
	-o "$out/ad-sim" "$here/sim.c" "$src/ad_pdu.c" "$src/ad_port.c" "$src/ad_mux.c" \
	"$src/ad_select.c" "$src/ad_why.c"
exec "$out/ad-sim" "$@"
