#!/bin/bash
# kernel-neutral: our /proc text
# The exact /proc/net/bonding/<bond> text in balance-rr: no primary lines, no
# fail_over_mac suffix outside active-backup, one block per slave in enslave
# order, and the bond's MII Status following its carrier.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

mac0=02:00:00:00:00:a0
mac1=02:00:00:00:00:a1
ver="Ethernet Channel Bonding Driver: v$(uname -r)"

bond_load_defaults
expect_file /proc/net/bonding/bond0 "fresh bond0" <<EOT
$ver

Bonding Mode: load balancing (round-robin)
MII Status: down
MII Polling Interval (ms): 0
Up Delay (ms): 0
Down Delay (ms): 0
Peer Notification Delay (ms): 0
EOT

topo_peer_ns
topo_veth veth1 p1 $mac1
topo_veth veth0 p0 $mac0
echo active >/sys/class/net/bond0/bonding/fail_over_mac
echo 100 >/sys/class/net/bond0/bonding/miimon
echo 300 >/sys/class/net/bond0/bonding/downdelay
ip link set veth1 master bond0
ip link set veth0 master bond0
ip link set bond0 up
check "veth1 up" wait_for 10 attr_is up slave_attr veth1 mii_status
check "veth0 up" wait_for 10 attr_is up slave_attr veth0 mii_status
echo veth0:2 >/sys/class/net/bond0/bonding/queue_id
expect_file /proc/net/bonding/bond0 "two slaves" <<EOT
$ver

Bonding Mode: load balancing (round-robin)
MII Status: up
MII Polling Interval (ms): 100
Up Delay (ms): 0
Down Delay (ms): 300
Peer Notification Delay (ms): 0

Slave Interface: veth1
MII Status: up
Speed: 10000 Mbps
Duplex: full
Link Failure Count: 0
Permanent HW addr: $mac1
Slave queue ID: 0

Slave Interface: veth0
MII Status: up
Speed: 10000 Mbps
Duplex: full
Link Failure Count: 0
Permanent HW addr: $mac0
Slave queue ID: 2
EOT

peer_cut 0
peer_cut 1
check "veth0 down" wait_for 10 attr_is down slave_attr veth0 mii_status
check "veth1 down" wait_for 10 attr_is down slave_attr veth1 mii_status
check "bond carrier off" wait_for 10 attr_is down bond_opt bond0 mii_status
expect_file /proc/net/bonding/bond0 "no link" <<EOT
$ver

Bonding Mode: load balancing (round-robin)
MII Status: down
MII Polling Interval (ms): 100
Up Delay (ms): 0
Down Delay (ms): 300
Peer Notification Delay (ms): 0

Slave Interface: veth1
MII Status: down
Speed: 10000 Mbps
Duplex: full
Link Failure Count: 1
Permanent HW addr: $mac1
Slave queue ID: 0

Slave Interface: veth0
MII Status: down
Speed: 10000 Mbps
Duplex: full
Link Failure Count: 1
Permanent HW addr: $mac0
Slave queue ID: 2
EOT
bond_unload
