#!/bin/bash
# kernel-neutral: malformed frames in our receive paths (fuzz-netlink and fuzz-sysfs run the parsers on 6.1)
# smoke: run on the debug kernel by make check (malformed frames on the receive paths under KASAN)
# Fuzz what reaches the bond from the wire: from a peer namespace, frames
# built with scapy (tests/tools/fuzz/fuzz_packets.py) go through the veth
# peers into the slaves: ARP of every opcode with odd lengths and types,
# truncated, spoofed target replies and gratuitous ARPs; IPv6 NS/NA with
# bad, unknown and truncated options; IGMP v1/v2/v3 and MLD v1/v2; all of
# them VLAN-tagged and double-tagged too; truncated Ethernet frames,
# LACPDUs and random bytes; plus truncated frames sent through the bond.
# Three bonds in turn: active-backup with the ARP monitor (arp_validate
# all, two targets), active-backup with the NS monitor (ns_ip6_target,
# arp_validate all), balance-rr with the MII monitor. After each: no
# kernel report, the bond's configuration is unchanged, and once its slaves
# are up again a ping through it gets an answer. Knobs:
# tests/tools/fuzz/common.sh (FUZZ_COUNT: frames per bond).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tools/fuzz/common.sh"

count=$(fuzz_env COUNT "$([[ $(uname -r) == *debug* ]] && echo 150 || echo 600)")

bond_unload
ns_add fz-peer
/usr/bin/python3 "$FUZZ_TOOLS/fuzz_packets.py" --seed "$FUZZ_SEED" --count "$count"
rc=$?
bond_unload
fuzz_rc $rc
