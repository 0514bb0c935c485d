#!/bin/bash
# kernel-neutral: our /proc text
# The exact /proc/net/bonding/<bond> text in active-backup: an empty bond with
# fail_over_mac, then two veth slaves with a primary and delays, before and
# after the active slave's link is cut.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

mac0=02:00:00:00:00:a0
mac1=02:00:00:00:00:a1
ver="Ethernet Channel Bonding Driver: v$(uname -r)"

bond_load_defaults
ip link del bond0
check "empty bond" ip link add bond1 type bond mode active-backup fail_over_mac active
expect_file /proc/net/bonding/bond1 "empty active-backup bond" <<EOT
$ver

Bonding Mode: fault-tolerance (active-backup) (fail_over_mac active)
Primary Slave: None
Currently Active Slave: None
MII Status: down
MII Polling Interval (ms): 0
Up Delay (ms): 0
Down Delay (ms): 0
Peer Notification Delay (ms): 0
EOT
ip link del bond1

topo_peer_ns
topo_veth veth0 p0 $mac0
topo_veth veth1 p1 $mac1
check "bond0" ip link add bond0 type bond mode active-backup miimon 100 updelay 200 \
	downdelay 100 peer_notify_delay 300
ip link set veth0 master bond0
ip link set veth1 master bond0
echo veth1 >/sys/class/net/bond0/bonding/primary
ip link set bond0 up
check "veth1 active" wait_for 10 attr_is veth1 bond_opt bond0 active_slave
check "veth0 up" wait_for 10 attr_is up slave_attr veth0 mii_status
echo veth1:3 >/sys/class/net/bond0/bonding/queue_id
expect_file /proc/net/bonding/bond0 "two slaves" <<EOT
$ver

Bonding Mode: fault-tolerance (active-backup)
Primary Slave: veth1 (primary_reselect always)
Currently Active Slave: veth1
MII Status: up
MII Polling Interval (ms): 100
Up Delay (ms): 200
Down Delay (ms): 100
Peer Notification Delay (ms): 300

Slave Interface: veth0
MII Status: up
Speed: 10000 Mbps
Duplex: full
Link Failure Count: 0
Permanent HW addr: $mac0
Slave queue ID: 0

Slave Interface: veth1
MII Status: up
Speed: 10000 Mbps
Duplex: full
Link Failure Count: 0
Permanent HW addr: $mac1
Slave queue ID: 3
EOT

peer_cut 1
check "veth0 active" wait_for 10 attr_is veth0 bond_opt bond0 active_slave
check "veth1 down" wait_for 10 attr_is down slave_attr veth1 mii_status
echo failure >/sys/class/net/bond0/bonding/primary_reselect
expect_file /proc/net/bonding/bond0 "after the cut" <<EOT
$ver

Bonding Mode: fault-tolerance (active-backup)
Primary Slave: veth1 (primary_reselect failure)
Currently Active Slave: veth0
MII Status: up
MII Polling Interval (ms): 100
Up Delay (ms): 200
Down Delay (ms): 100
Peer Notification Delay (ms): 300

Slave Interface: veth0
MII Status: up
Speed: 10000 Mbps
Duplex: full
Link Failure Count: 0
Permanent HW addr: $mac0
Slave queue ID: 0

Slave Interface: veth1
MII Status: down
Speed: 10000 Mbps
Duplex: full
Link Failure Count: 1
Permanent HW addr: $mac1
Slave queue ID: 3
EOT

# No link at all: the bond's MII Status is its carrier.
peer_cut 0
check "veth0 down" wait_for 10 attr_is down slave_attr veth0 mii_status
check "no active slave" wait_for 10 attr_is "" bond_opt bond0 active_slave
expect_eq "$(proc_get bond0 'Currently Active Slave')" None "/proc active with no link"
expect_eq "$(proc_get bond0 'MII Status')" down "/proc bond MII Status with no link"
bond_unload
