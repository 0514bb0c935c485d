#!/bin/bash
# ethtool on the bond: the speed is the sum of the speeds of the slaves that
# can transmit (balance-rr/xor/tlb/alb), the active slave's in active-backup
# and 802.3ad (each veth is its own aggregator without a LACP partner), the
# slowest slave's in broadcast; slaves of unknown speed add nothing; with no
# slave able to transmit it is "Unknown!" and the link is not detected. Cut
# links (miimon) stop counting. `ethtool -i` names the driver "bonding",
# version the running kernel's release, firmware-version 2 (the ABI version)
# and no bus, statistics, test, eeprom, register dump or private flags.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

# eth DEV FIELD: the value of "FIELD: " in `ethtool DEV`.
eth() { ethtool "$1" | sed -n "s/^[[:space:]]*$2: //p"; }
# speed_is DEV VALUE: for wait_for.
speed_is() { [ "$(eth "$1" Speed)" = "$2" ]; }
mii_is() { [ "$(slave_attr "$1" mii_status)" = "$2" ]; }

# expect_speed DEV SPEED DESC: wait (miimon, 802.3ad selection) for SPEED.
expect_speed() {
	wait_for 5 speed_is "$1" "$2" ||
		fail "$3: ethtool $1 Speed is '$(eth "$1" Speed)', expected '$2'"
}

bond_load_defaults max_bonds=0
topo_peer_ns
for i in 0 1 2 3; do topo_veth "veth$i" "p$i"; done
expect_eq "$(eth veth0 Speed)" 10000Mb/s "a veth's own speed"

# No slaves.
check "bond0" ip link add bond0 type bond mode balance-rr miimon 100
check "bond0 up" ip link set bond0 up
expect_eq "$(eth bond0 Speed)" "Unknown!" "no slaves: speed"
expect_eq "$(eth bond0 Duplex)" "Unknown! (255)" "no slaves: duplex"
expect_eq "$(eth bond0 Port)" "Other" "no slaves: port"
expect_eq "$(eth bond0 'Link detected')" no "no slaves: link"

# balance-rr over two veths: the sum, less what is cut.
check "enslave veth0" ip link set veth0 master bond0
check "enslave veth1" ip link set veth1 master bond0
expect_speed bond0 20000Mb/s "balance-rr, two slaves"
expect_eq "$(eth bond0 Duplex)" Full "balance-rr duplex"
expect_eq "$(eth bond0 Port)" Other "balance-rr port"
expect_eq "$(eth bond0 'Link detected')" yes "balance-rr link"
peer_cut 1
check "veth1 seen down" wait_for 5 mii_is veth1 down
expect_speed bond0 10000Mb/s "balance-rr, veth1 cut"
peer_cut 0
check "veth0 seen down" wait_for 5 mii_is veth0 down
expect_speed bond0 "Unknown!" "balance-rr, both cut"
expect_eq "$(eth bond0 Duplex)" "Unknown! (255)" "balance-rr, both cut: duplex"
expect_eq "$(eth bond0 'Link detected')" no "balance-rr, both cut: link"
peer_restore 0
peer_restore 1
expect_speed bond0 20000Mb/s "balance-rr, both restored"
check "release veth1" ip link set veth1 nomaster
expect_speed bond0 10000Mb/s "balance-rr, one slave left"

# A slave of unknown speed (dummy) adds nothing.
check "dummy" ip link add d0 type dummy
check "enslave d0" ip link set d0 master bond0
expect_eq "$(eth d0 Speed)" "" "a dummy reports no speed"
expect_speed bond0 10000Mb/s "balance-rr over veth0 and a dummy"
check "delete bond0" ip link del bond0
ip link del d0

# mode_speed MODE SPEED: a bond in MODE over veth0 and veth1 reports SPEED.
mode_speed() {
	check "bond $1" ip link add bond0 type bond mode "$1" miimon 100
	check "$1: enslave veth0" ip link set veth0 master bond0
	check "$1: enslave veth1" ip link set veth1 master bond0
	check "$1: up" ip link set bond0 up
	expect_speed bond0 "$2" "$1, two slaves"
}

mode_speed active-backup 10000Mb/s
active=$(bond_opt bond0 active_slave)
peer_cut "${active#veth}"
check "active-backup fails over" wait_for 5 eval '[ "$(bond_opt bond0 active_slave)" != "$active" ]'
expect_speed bond0 10000Mb/s "active-backup after failover"
peer_restore "${active#veth}"
ip link del bond0

for m in balance-xor balance-tlb balance-alb; do
	mode_missing $m && { say "skip $m: not in this bonding.ko yet"; continue; }
	mode_speed $m 20000Mb/s
	ip link del bond0
done
mode_speed broadcast 10000Mb/s
ip link del bond0
if mode_missing 802.3ad; then
	say "skip 802.3ad: not in this bonding.ko yet"
else
	mode_speed 802.3ad 10000Mb/s
	ip link del bond0
fi

# A nested balance-rr bond over veth2 and veth3 runs at 20000; next to veth0
# in broadcast the slowest counts, in balance-rr the sum.
check "inner bond" ip link add bi type bond mode balance-rr miimon 100
check "enslave veth2" ip link set veth2 master bi
check "enslave veth3" ip link set veth3 master bi
check "inner up" ip link set bi up
expect_speed bi 20000Mb/s "inner balance-rr bond"
check "inner down for enslaving" ip link set bi down
check "outer broadcast" ip link add bond0 type bond mode broadcast miimon 100
check "enslave veth0" ip link set veth0 master bond0
check "enslave bi" ip link set bi master bond0
check "outer up" ip link set bond0 up
expect_speed bond0 10000Mb/s "broadcast over a 10000 and a 20000 slave"
check "delete outer" ip link del bond0
check "outer balance-rr" ip link add bond0 type bond mode balance-rr miimon 100
check "enslave veth0" ip link set veth0 master bond0
check "enslave bi" ip link set bi master bond0
check "outer up" ip link set bond0 up
expect_speed bond0 30000Mb/s "balance-rr over a 10000 and a 20000 slave"

# Driver information.
info=$(ethtool -i bond0) || fail "ethtool -i bond0"
field() { sed -n "s/^$1: //p" <<<"$info"; }
expect_eq "$(field driver)" bonding "driver"
expect_eq "$(field version)" "$(uname -r)" "version"
expect_eq "$(field firmware-version)" 2 "firmware-version"
expect_eq "$(grep -c '^bus-info: *$' <<<"$info")" 1 "empty bus-info"
for f in supports-statistics supports-test supports-eeprom-access \
	supports-register-dump supports-priv-flags; do
	expect_eq "$(field $f)" no "$f"
done
ip link del bond0
ip link del bi
bond_unload
