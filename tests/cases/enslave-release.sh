#!/bin/bash
# Enslave (ip link master, sysfs +X) and release (sysfs -X, nomaster): a bond
# with a random MAC takes the first slave's; slaves get the bond's MAC and MTU,
# the SLAVE flag, bonding_slave/ files and upper/lower links; release restores
# MAC and MTU; the last release gives the bond a new random MAC.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

mac0=02:00:00:00:00:a0
mac1=02:00:00:00:00:a1
bondmac=02:00:00:00:00:b1
slaves=/sys/class/net/bond0/bonding/slaves

has_flag() { [[ ,$(link_flags "$1"), == *,$2,* ]]; }

bond_load_defaults
topo_peer_ns
topo_veth veth0 p0 $mac0
topo_veth veth1 p1 $mac1
ip link set veth1 mtu 9000
expect_eq "$(cat /sys/class/net/bond0/addr_assign_type)" 1 "bond0 MAC is random (NET_ADDR_RANDOM)"
oldbond=$(link_mac bond0)
check "bond0 MASTER" has_flag bond0 MASTER

# First slave, by netlink: the bond takes its MAC (NET_ADDR_STOLEN).
check "enslave veth0 by ip link" ip link set veth0 master bond0
expect_eq "$(link_mac bond0)" $mac0 "bond0 took veth0's MAC"
expect_eq "$(cat /sys/class/net/bond0/addr_assign_type)" 2 "bond0 MAC is stolen (NET_ADDR_STOLEN)"
expect_eq "$(link_mac veth0)" $mac0 "veth0 MAC"
check "veth0 SLAVE" has_flag veth0 SLAVE
check "veth0 opened by the bond" has_flag veth0 UP
check_fails "veth0 not MASTER" has_flag veth0 MASTER
expect_eq "$(ip -j link show veth0 | jq -r '.[0].master')" bond0 "veth0 master"
expect_eq "$(basename "$(readlink /sys/class/net/veth0/master)")" bond0 "veth0/master link"
check "bond0/lower_veth0" test -L /sys/class/net/bond0/lower_veth0
check "veth0/upper_bond0" test -L /sys/class/net/veth0/upper_bond0
# Ours adds the slave's own ARP/NS target lists (per-slave targets) and
# ad_reason (why an 802.3ad port does not aggregate).
files="ad_actor_oper_port_state ad_aggregator_id ad_partner_oper_port_state link_failure_count mii_status perm_hwaddr queue_id state"
impl_is ours && files="ad_actor_oper_port_state ad_aggregator_id ad_partner_oper_port_state ad_reason arp_ip_target link_failure_count mii_status ns_ip6_target perm_hwaddr queue_id state"
expect_eq "$(ls /sys/class/net/veth0/bonding_slave | paste -sd' ')" "$files" "bonding_slave files"
expect_eq "$(slave_attr veth0 perm_hwaddr)" $mac0 "veth0 perm_hwaddr"

# Second slave, by sysfs: it gets the bond's MAC and MTU.
expect_eq "$(write_errno $slaves +veth1)" ok "+veth1"
expect_eq "$(cat $slaves)" "veth0 veth1" "slaves file"
expect_eq "$(link_mac veth1)" $mac0 "veth1 got the bond's MAC"
expect_eq "$(link_mtu veth1)" 1500 "veth1 got the bond's MTU"
expect_eq "$(slave_attr veth1 perm_hwaddr)" $mac1 "veth1 perm_hwaddr"
check "veth1 SLAVE" has_flag veth1 SLAVE
check "veth1 bonding_slave/" test -d /sys/class/net/veth1/bonding_slave

# Release veth0 by sysfs: its MAC is restored (it was already its own), the
# bond keeps that MAC (with the in-tree warning), veth0 is closed.
kmsg_mark rel0
expect_eq "$(write_errno $slaves -veth0)" ok "-veth0"
expect_eq "$(cat $slaves)" veth1 "slaves after -veth0"
check_fails "veth0 no longer SLAVE" has_flag veth0 SLAVE
check_fails "veth0 closed on release" has_flag veth0 UP
check_fails "veth0 bonding_slave/ gone" test -e /sys/class/net/veth0/bonding_slave
check_fails "bond0/lower_veth0 gone" test -e /sys/class/net/bond0/lower_veth0
check_fails "veth0/master gone" test -e /sys/class/net/veth0/master
expect_eq "$(link_mac veth0)" $mac0 "veth0 MAC after release"
expect_eq "$(link_mac bond0)" $mac0 "bond0 keeps its MAC while it has slaves"
kmsg_since rel0 | grep -qF "bond0: (slave veth0): the permanent HWaddr of slave - $mac0 - is still in use by bond - set the HWaddr of slave to a different address to avoid conflicts" ||
	fail "no 'still in use by bond' warning"

# Release the last slave by netlink: MAC and MTU restored; the bond gets a
# fresh random MAC.
check "veth1 nomaster" ip link set veth1 nomaster
expect_eq "$(link_mac veth1)" $mac1 "veth1 MAC restored"
expect_eq "$(link_mtu veth1)" 9000 "veth1 MTU restored"
expect_eq "$(cat $slaves)" "" "no slaves left"
newmac=$(link_mac bond0)
[ "$newmac" != $mac0 ] && [ "$newmac" != $mac1 ] && [ "$newmac" != "$oldbond" ] ||
	fail "bond0 MAC after the last release: $newmac"
expect_eq "$(cat /sys/class/net/bond0/addr_assign_type)" 1 "bond0 MAC random again"
check "bond0 still MASTER" has_flag bond0 MASTER

# A bond whose MAC was set keeps it; the slave takes the bond's.
check "bond1 with a set MAC" ip link add bond1 address $bondmac type bond
expect_eq "$(cat /sys/class/net/bond1/addr_assign_type)" 3 "bond1 MAC set (NET_ADDR_SET)"
check "enslave veth0 to bond1" ip link set veth0 master bond1
expect_eq "$(link_mac bond1)" $bondmac "bond1 keeps its MAC"
expect_eq "$(link_mac veth0)" $bondmac "veth0 takes bond1's MAC"
check "bond1 delete" ip link del bond1
expect_eq "$(link_mac veth0)" $mac0 "veth0 MAC restored when its bond is deleted"
check_fails "veth0 SLAVE after bond delete" has_flag veth0 SLAVE
bond_unload
