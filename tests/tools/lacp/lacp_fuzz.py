#!/usr/bin/python3
"""Malformed and odd slow-protocol frames (ethertype 0x8809) into one bond
slave, from its veth peer in another namespace, and what the bond's
802.3ad counters made of each.

    lacp_fuzz.py --netns NS --port PORT --bond BOND --slave SLAVE [--count N] CASE...

For each CASE (or "all"): snapshot the 802.3ad link xstats of SLAVE and of
BOND, send the case's frames on PORT (in NS), wait until the counters stop
moving, and print one line:

    CASE sent=N replies=R slave=COUNTER+D,... bond=same|COUNTER+D,...

COUNTERs are the xstats names less "lacpdu_" (rx, unknown_rx, illegal_rx,
marker_rx, marker_resp_rx, marker_resp_tx, marker_unknown_rx, marker_tx),
only those that moved; lacpdu_tx is left out (the bond's own LACPDUs, and
any it sends because of a case, would make it noise). "bond=same" when the
bond-wide deltas equal the slave's. "replies" counts the Marker Responses
that came back on PORT from SLAVE's MAC; for a case that gets replies,
" reply=ok" follows when each is the request with its TLV type made 2 (as
in-tree answers), " reply=DIFF" else. " dropped=N" follows when SLAVE's
rx_dropped moved (a frame lost before the bond saw it).

The frames are built with scapy (its LACP and Marker layers), from the bond's
own view of the link in /proc/net/bonding/BOND: a well-formed LACPDU is the
one the partner sends (actor = SLAVE's partner details, partner = SLAVE's
actor details), so that the ones that the bond takes change nothing. Keep
the partner from sending meanwhile (SIGSTOP) for exact lacpdu_rx counts.
"""
import argparse
import ctypes
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bond_xstats  # noqa: E402

from scapy.layers.l2 import Ether  # noqa: E402
from scapy.contrib.slowprot import SlowProtocol  # noqa: E402
from scapy.contrib.lacp import LACP, MarkerProtocol  # noqa: E402

SLOW_MAC = "01:80:c2:00:00:02"
ETH_P_SLOW = 0x8809
PACKET_OUTGOING = 4
CLONE_NEWNET = 0x40000000

CASES = [
    # name, what it is
    ("lacpdu-valid", "the partner's own LACPDU, as it would send it"),
    ("lacpdu-truncated", "the first 46 bytes of that LACPDU (a 60-byte frame)"),
    ("lacpdu-109", "that LACPDU less its last byte (109 bytes after the header)"),
    ("lacpdu-bad-version", "version 0xff"),
    ("lacpdu-version-0", "version 0"),
    ("lacpdu-bad-tlv-lengths", "TLV lengths actor 0, partner 0xff, collector 0, terminator 0xff"),
    ("lacpdu-bad-tlv-types", "TLV types actor 2, partner 1, collector 9, terminator 7"),
    ("lacpdu-long", "1000 bytes of junk after the 110"),
    ("lacpdu-garbage-reserved", "reserved fields and pad all 0xff"),
    ("lacpdu-unicast", "to the slave's MAC, not the slow-protocols group"),
    ("lacpdu-loopback", "our own actor system as the PDU's actor system"),
    ("subtype-0x0a", "subtype 0x0a (ESMC), 110 bytes"),
    ("subtype-0x0a-short", "subtype 0x0a, 20 bytes"),
    ("subtype-0", "subtype 0, 110 bytes"),
    ("subtype-0xff", "subtype 0xff, 110 bytes"),
    ("marker-info", "a Marker Information PDU"),
    ("marker-response", "a Marker Response PDU"),
    ("marker-bad-tlv", "a Marker PDU with TLV type 5"),
    ("marker-tlv-0", "a Marker PDU with TLV type 0"),
    ("marker-bad-version", "a Marker Information with version 9 and length 0"),
    ("marker-truncated", "a Marker Information of 30 bytes"),
    ("flood-unknown", "COUNT frames of subtype 0x0a"),
    ("flood-marker", "COUNT Marker Information PDUs"),
    ("flood-mixed", "COUNT frames, in turn: truncated, bad version, bad TLV lengths, "
                    "subtype 0x0a, marker TLV 5"),
]

libc = ctypes.CDLL(None, use_errno=True)


def setns(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), "setns " + path)
    finally:
        os.close(fd)


def proc_details(bond, slave):
    """{"actor": {...}, "partner": {...}} of slave's blocks in /proc."""
    out, cur, block = {"actor": {}, "partner": {}}, None, None
    with open("/proc/net/bonding/" + bond) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("Slave Interface: "):
                cur, block = line[17:], None
            elif cur == slave and line.startswith("details "):
                block = line.split()[1]
            elif cur == slave and block and line.startswith("    "):
                k, v = line.strip().split(": ", 1)
                out[block][k] = v
    if not out["actor"] or not out["partner"]:
        sys.exit("lacp_fuzz: no 802.3ad details for %s in /proc/net/bonding/%s" % (slave, bond))
    return out


def mac_of(dev):
    with open("/sys/class/net/%s/address" % dev) as f:
        return f.read().strip()


class Frames:
    def __init__(self, bond, slave, port_mac):
        d = proc_details(bond, slave)
        a, p = d["actor"], d["partner"]
        self.src = port_mac
        self.slave_mac = mac_of(slave)
        self.our_system = a["system mac address"]
        # what the partner sends: its actor fields are our "partner" details
        self.fields = dict(
            version=1,
            actor_system_priority=int(p["system priority"]), actor_system=p["system mac address"],
            actor_key=int(p["oper key"]), actor_port_priority=int(p["port priority"]),
            actor_port_number=int(p["port number"]), actor_state=int(p["port state"]),
            partner_system_priority=int(a["system priority"]), partner_system=a["system mac address"],
            partner_key=int(a["port key"]), partner_port_priority=int(a["port priority"]),
            partner_port_number=int(a["port number"]), partner_state=int(a["port state"]))

    def lacpdu(self, dst=SLOW_MAC, **over):
        f = dict(self.fields)
        f.update(over)
        return bytes(Ether(src=self.src, dst=dst) / SlowProtocol(subtype=1) / LACP(**f))

    def marker(self, tlv, **over):
        f = dict(version=1, marker_type=tlv, marker_length=16, requester_port=1,
                 requester_system=self.src, requester_transaction_id=0x12345678)
        f.update(over)
        return bytes(Ether(src=self.src, dst=SLOW_MAC) / SlowProtocol(subtype=2) / MarkerProtocol(**f))

    def subtype(self, sub, length):
        return bytes(Ether(src=self.src, dst=SLOW_MAC) / SlowProtocol(subtype=sub)) + b"\0" * (length - 1)

    def case(self, name, count):
        """The frames of one case."""
        v = self.lacpdu()
        one = {
            "lacpdu-valid": v,
            "lacpdu-truncated": v[:14 + 46],
            "lacpdu-109": v[:14 + 109],
            "lacpdu-bad-version": self.lacpdu(version=0xff),
            "lacpdu-version-0": self.lacpdu(version=0),
            "lacpdu-bad-tlv-lengths": self.lacpdu(actor_length=0, partner_length=0xff,
                                                  collector_length=0, terminator_length=0xff),
            "lacpdu-bad-tlv-types": self.lacpdu(actor_type=2, partner_type=1,
                                                collector_type=9, terminator_type=7),
            "lacpdu-long": v + bytes(range(256)) * 3 + b"\xee" * 232,
            "lacpdu-garbage-reserved": self.lacpdu(actor_reserved=b"\xff" * 3, partner_reserved=b"\xff" * 3,
                                                   collector_reserved=b"\xff" * 12, reserved=b"\xff" * 50),
            "lacpdu-unicast": self.lacpdu(dst=self.slave_mac),
            "lacpdu-loopback": self.lacpdu(actor_system=self.our_system),
            "subtype-0x0a": self.subtype(0x0a, 110),
            "subtype-0x0a-short": self.subtype(0x0a, 20),
            "subtype-0": self.subtype(0, 110),
            "subtype-0xff": self.subtype(0xff, 110),
            "marker-info": self.marker(1),
            "marker-response": self.marker(2),
            "marker-bad-tlv": self.marker(5),
            "marker-tlv-0": self.marker(0),
            "marker-bad-version": self.marker(1, version=9, marker_length=0),
            "marker-truncated": self.marker(1)[:14 + 30],
        }
        if name in one:
            return [one[name]]
        if name == "flood-unknown":
            return [one["subtype-0x0a"]] * count
        if name == "flood-marker":
            # each its own transaction id (frame bytes 26-29), so that each
            # reply is matched; patched in: scapy is slow under TCG
            m = one["marker-info"]
            return [m[:26] + struct.pack(">I", i) + m[30:] for i in range(count)]
        if name == "flood-mixed":
            kinds = [one[k] for k in ("lacpdu-truncated", "lacpdu-bad-version", "lacpdu-bad-tlv-lengths",
                                      "subtype-0x0a", "marker-bad-tlv")]
            return [kinds[i % len(kinds)] for i in range(count)]
        raise KeyError(name)


def read_int(path):
    with open(path) as f:
        return int(f.read())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--netns")
    ap.add_argument("--port")
    ap.add_argument("--bond")
    ap.add_argument("--slave")
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--list", action="store_true", help="list the cases")
    ap.add_argument("cases", nargs="*")
    args = ap.parse_args()
    if args.list:
        for name, what in CASES:
            print("%-24s %s" % (name, what))
        return
    if not (args.netns and args.port and args.bond and args.slave):
        ap.error("--netns, --port, --bond and --slave are needed")
    names = [n for n, _ in CASES]
    cases = names if args.cases in ([], ["all"]) else args.cases
    for c in cases:
        if c not in names:
            sys.exit("lacp_fuzz: no case %s (--list)" % c)

    nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)   # here, where the bond is
    home = "/proc/self/ns/net"
    home_fd = os.open(home, os.O_RDONLY)
    setns("/run/netns/" + args.netns)
    tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    tx.bind((args.port, 0))
    rx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_SLOW))
    rx.setsockopt(socket.SOL_SOCKET, 33, 64 << 20)               # SO_RCVBUFFORCE: a flood's replies
    rx.bind((args.port, ETH_P_SLOW))
    rx.setblocking(False)
    port_mac = ":".join("%02x" % b for b in tx.getsockname()[4][:6])
    if libc.setns(home_fd, CLONE_NEWNET):
        sys.exit("lacp_fuzz: setns back")
    os.close(home_fd)

    frames = Frames(args.bond, args.slave, port_mac)
    slave_mac = bytes.fromhex(frames.slave_mac.replace(":", ""))
    drop_path = "/sys/class/net/%s/statistics/rx_dropped" % args.slave

    def snapshot():
        return (bond_xstats.counters(nl, args.slave) or {}), (bond_xstats.counters(nl, args.bond) or {})

    def drain():
        got = []
        while True:
            try:
                data, addr = rx.recvfrom(2048)
            except BlockingIOError:
                return got
            if addr[2] == PACKET_OUTGOING or data[6:12] != slave_mac:
                continue
            if len(data) >= 17 and data[14] == 2 and data[16] == 2:
                got.append(data)

    def delta(after, before):
        return {k: after[k] - before.get(k, 0) for k in after
                if k != "lacpdu_tx" and after[k] != before.get(k, 0)}

    def fmt(d):
        return ",".join("%s+%d" % (k.replace("lacpdu_", ""), v) for k, v in sorted(d.items())) or "none"

    for name in cases:
        fr = frames.case(name, args.count)
        drain()
        t0 = time.time()
        s0, b0 = snapshot()
        d0 = read_int(drop_path)
        for f in fr:
            tx.send(f)
        # until the counters stand still for 0.3 s (at most 30 s)
        last, still, end, replies = None, time.time(), time.time() + 30, []
        while time.time() < end:
            replies += drain()
            cur = snapshot()
            if cur != last:
                last, still = cur, time.time()
            elif time.time() - still >= 0.3:
                break
            time.sleep(0.05)
        replies += drain()
        s1, b1 = last
        ds, db = delta(s1, s0), delta(b1, b0)
        line = "%s sent=%d replies=%d slave=%s bond=%s" % (
            name, len(fr), len(replies), fmt(ds), "same" if ds == db else fmt(db))
        if replies:
            want = {f[14:14 + 2] + b"\x02" + f[14 + 3:14 + 110] for f in fr}
            ok = all(r[14:14 + 110] in want for r in replies)
            line += " reply=" + ("ok" if ok else "DIFF")
        dropped = read_int(drop_path) - d0
        if dropped:
            line += " dropped=%d" % dropped
        print(line, flush=True)
        print("%s: %d ms" % (name, (time.time() - t0) * 1000), file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
