#!/bin/bash
# Offload features (ethtool -k) come from the slaves, recomputed on enslave,
# release and a slave's feature change, and a VLAN on the bond follows:
# - with no slave: no scatter-gather, TSO or highdma, GSO off although
#   requested, tx-nocache-copy forced on; checksumming on;
# - "one for all" features (sg, and with it TSO and GSO; highdma): the bond
#   has them while any slave has them, loses them when the last slave having
#   them turns them off or is released, gets them back when one turns them on
#   or is enslaved again;
# - checksumming stays on whatever the slaves do (so does TSO, which the bond
#   adds itself as long as it has sg);
# - "all for all" (tx-nocache-copy): on only while every slave has it, even
#   when the bond did not ask for it; releasing the one slave without it
#   brings it back;
# - the bond's own ethtool -K turns a feature off on the bond (and its VLAN)
#   without touching the slaves;
# - the fixed features stable on both kernels.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

# feat DEV NAME: what `ethtool -k DEV` says about NAME ("on", "off [fixed]",
# "off [requested on]", ...).
feat() { ethtool -k "$1" | sed -n "s/^$2: //p"; }
# expect_feat DEV NAME VALUE [WHEN]
expect_feat() { expect_eq "$(feat "$1" "$2")" "$3" "$1 $2${4:+ ($4)}"; }
setk() { ethtool -K "$@" >/dev/null || fail "ethtool -K $*"; }

# sg_state DEV on|off WHEN: scatter-gather and what depends on it.
sg_state() {
	if [ "$2" = on ]; then
		expect_feat "$1" scatter-gather on "$3"
		expect_feat "$1" tcp-segmentation-offload on "$3"
		expect_feat "$1" generic-segmentation-offload on "$3"
	else
		expect_feat "$1" scatter-gather off "$3"
		expect_feat "$1" tcp-segmentation-offload off "$3"
		expect_feat "$1" generic-segmentation-offload "off [requested on]" "$3"
	fi
}

bond_load_defaults max_bonds=0
topo_peer_ns
topo_veth veth0 p0
topo_veth veth1 p1
for v in veth0 veth1; do
	expect_feat $v scatter-gather on "a veth's default"
	expect_feat $v highdma on "a veth's default"
	expect_feat $v tx-nocache-copy off "a veth's default"
done

check "bond0" ip link add bond0 type bond mode balance-rr miimon 100
sg_state bond0 off "no slaves"
expect_feat bond0 tx-checksumming on "no slaves"
expect_feat bond0 highdma "off [requested on]" "no slaves"
expect_feat bond0 tx-nocache-copy "on [requested off]" "no slaves"
expect_feat bond0 tx-fcoe-segmentation "on [fixed]" "no slaves"
for f in rx-checksumming vlan-challenged loopback hw-tc-offload; do
	expect_feat bond0 $f "off [fixed]"
done
for f in tx-vlan-offload tx-vlan-stag-hw-insert; do
	expect_feat bond0 $f "on [fixed]"
done
expect_feat bond0 rx-vlan-filter on "no slaves"

check "enslave veth0" ip link set veth0 master bond0
check "enslave veth1" ip link set veth1 master bond0
check "bond0 up" ip link set bond0 up
sg_state bond0 on "two veths"
expect_feat bond0 highdma on "two veths"
expect_feat bond0 tx-nocache-copy off "two veths"
expect_feat bond0 tx-fcoe-segmentation "off [fixed]" "two veths"
check "vlan on bond0" ip link add link bond0 name bond0.10 type vlan id 10
sg_state bond0.10 on "two veths"
expect_feat bond0.10 highdma on "two veths"

# sg: any slave is enough.
setk veth0 sg off
sg_state bond0 on "sg off on veth0 only"
sg_state bond0.10 on "sg off on veth0 only"
setk veth1 sg off
sg_state bond0 off "sg off on both"
sg_state bond0.10 off "sg off on both"
setk veth0 sg on
sg_state bond0 on "sg back on veth0"
sg_state bond0.10 on "sg back on veth0"
check "release veth0" ip link set veth0 nomaster
sg_state bond0 off "veth0, the one with sg, released"
sg_state bond0.10 off "veth0, the one with sg, released"
check "enslave veth0 again" ip link set veth0 master bond0
sg_state bond0 on "veth0 enslaved again"
sg_state bond0.10 on "veth0 enslaved again"
setk veth1 sg on

# Checksumming off on every slave: the bond keeps checksumming and TSO.
setk veth0 tx off
setk veth1 tx off
expect_feat veth0 tcp-segmentation-offload off "tx off"
expect_feat bond0 tx-checksumming on "tx off on both slaves"
expect_feat bond0 tcp-segmentation-offload on "tx off on both slaves"
expect_feat bond0.10 tx-checksumming on "tx off on both slaves"
setk veth0 tx on
setk veth1 tx on

# highdma: any slave is enough.
setk veth0 highdma off
expect_feat bond0 highdma on "highdma off on veth0 only"
setk veth1 highdma off
expect_feat bond0 highdma "off [requested on]" "highdma off on both"
expect_feat bond0.10 highdma "off [requested on]" "highdma off on both"
setk veth1 highdma on
expect_feat bond0 highdma on "highdma back on veth1"
expect_feat bond0.10 highdma on "highdma back on veth1"
setk veth0 highdma on

# tx-nocache-copy: every slave must have it.
setk veth0 tx-nocache-copy on
expect_feat bond0 tx-nocache-copy off "nocache on veth0 only"
setk veth1 tx-nocache-copy on
expect_feat bond0 tx-nocache-copy "on [requested off]" "nocache on both"
setk veth1 tx-nocache-copy off
expect_feat bond0 tx-nocache-copy off "nocache off again on veth1"
check "release veth1" ip link set veth1 nomaster
expect_feat bond0 tx-nocache-copy "on [requested off]" "veth1, the one without nocache, released"
check "enslave veth1 again" ip link set veth1 master bond0
expect_feat bond0 tx-nocache-copy off "veth1 enslaved again"
# (ethtool -K reports a failure, as nothing changed, but the request stays)
ethtool -K bond0 tx-nocache-copy on >/dev/null 2>&1
expect_feat bond0 tx-nocache-copy "off [requested on]" "requested on the bond, veth1 without"
setk veth0 tx-nocache-copy off

# The bond's own settings: off on the bond and its VLAN, slaves untouched.
setk bond0 sg off
sg_state bond0 off "sg off on the bond"
sg_state bond0.10 off "sg off on the bond"
sg_state veth0 on "sg off on the bond"
sg_state veth1 on "sg off on the bond"
setk bond0 sg on
sg_state bond0 on "sg back on on the bond"
sg_state bond0.10 on "sg back on on the bond"
setk bond0 tx off
expect_feat bond0 tx-checksumming off "tx off on the bond"
expect_feat bond0 tcp-segmentation-offload off "tx off on the bond"
expect_feat bond0.10 tx-checksumming off "tx off on the bond"
expect_feat veth0 tx-checksumming on "tx off on the bond"
setk bond0 tx on
expect_feat bond0 tx-checksumming on "tx back on on the bond"
expect_feat bond0 tcp-segmentation-offload on "tx back on on the bond"
expect_feat bond0.10 tx-checksumming on "tx back on on the bond"

# Without slaves again, back to the start.
check "release veth0" ip link set veth0 nomaster
check "release veth1" ip link set veth1 nomaster
sg_state bond0 off "all released"
expect_feat bond0 highdma "off [requested on]" "all released"
sg_state bond0.10 off "all released"
ip link del bond0
bond_unload
