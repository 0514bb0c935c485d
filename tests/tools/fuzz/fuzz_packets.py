#!/usr/bin/python3
# fuzz-packets: malformed and odd frames from the peer namespace into the
# bond's slaves (through the veth peers), built with scapy and sent with
# AF_PACKET: ARP (every opcode, odd hardware/protocol lengths and types,
# truncated, spoofed target replies and gratuitous ARPs), IPv6 NS/NA (bad,
# unknown and truncated options, wrong hop limits), IGMP v1/v2/v3 and MLD
# v1/v2 (queries, reports, truncated), all of them also VLAN-tagged and
# double-tagged (802.1Q, 802.1ad), truncated Ethernet frames, LACPDUs and
# random bytes; and truncated frames sent through the bond (its transmit
# path). In three setups of the bond, one after the other:
#   arp  active-backup, ARP monitor, arp_validate all, two targets
#   ns   active-backup, NS monitor (ns_ip6_target), arp_validate all
#   rr   balance-rr, MII monitor
# After each: no kernel report, the bond's configuration (every setting in
# sysfs, netlink and /proc) is what it was, and a ping through the bond
# gets through once its slaves are up again.
#
#   fuzz_packets.py --seed N [--count N] [--setups arp,ns,rr]
import argparse
import ctypes
import os
import random
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import fuzzlib  # noqa: E402

from scapy.layers.l2 import Ether, ARP, Dot1Q, Dot1AD  # noqa: E402
from scapy.layers.inet import IP  # noqa: E402
from scapy.layers.inet6 import (IPv6, ICMPv6ND_NS, ICMPv6ND_NA, ICMPv6NDOptSrcLLAddr,  # noqa: E402
                                ICMPv6NDOptDstLLAddr, ICMPv6NDOptUnknown, ICMPv6MLQuery,
                                ICMPv6MLReport, ICMPv6MLDone, ICMPv6MLQuery2, ICMPv6MLReport2,
                                ICMPv6MLDMultAddrRec, IPv6ExtHdrHopByHop, RouterAlert)
from scapy.contrib.igmp import IGMP  # noqa: E402
from scapy.contrib.igmpv3 import IGMPv3, IGMPv3mq, IGMPv3mr, IGMPv3gr  # noqa: E402

PEER = fuzzlib.PEER_NS
BOND = "fzb0"
SLAVES = ["fzv0", "fzv1"]
BOND_IP4, PEER_IP4, TARGET2 = "192.0.2.1", "192.0.2.2", "192.0.2.3"
BOND_IP6, PEER_IP6 = "2001:db8::1", "2001:db8::2"
BOND_MAC = "02:00:00:00:f0:%02x" % (sum(map(ord, "fzv0")) & 0xFF)   # the first slave's


def log(s):
    print(s, flush=True)


# ---- namespaces ------------------------------------------------------------------

libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNET = 0x40000000


def setns(fd):
    if libc.setns(fd, CLONE_NEWNET):
        raise OSError(ctypes.get_errno(), "setns")


# ---- the frames ---------------------------------------------------------------------

class Gen:
    def __init__(self, seed, peer_mac):
        self.r = random.Random(seed)
        self.peer_mac = peer_mac

    def pick(self, s):
        return self.r.choice(s)

    def mac(self):
        return self.pick([BOND_MAC, self.peer_mac, "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00",
                          "01:00:5e:00:00:01", "33:33:00:00:00:01", "02:00:00:00:00:%02x" %
                          self.r.randint(0, 255), "01:80:c2:00:00:02"])

    def ip4(self):
        return self.pick([BOND_IP4, PEER_IP4, TARGET2, "0.0.0.0", "255.255.255.255",
                          "192.0.2.%d" % self.r.randint(0, 255), "224.0.0.1", "224.0.0.22",
                          "127.0.0.1", "198.51.100.9"])

    def ip6(self):
        return self.pick([BOND_IP6, PEER_IP6, "::", "::1", "ff02::1", "ff02::1:ff00:1",
                          "ff02::1:ff00:2", "fe80::1", "2001:db8::%x" % self.r.randint(3, 999),
                          "ff02::16"])

    def arp(self):
        r = self.r
        c = r.random()
        if c < 0.25:                                   # a reply from a target
            a = ARP(op=2, hwsrc=self.mac(), psrc=self.pick([PEER_IP4, TARGET2]),
                    hwdst=BOND_MAC, pdst=BOND_IP4)
        elif c < 0.4:                                  # gratuitous
            ip = self.ip4()
            a = ARP(op=self.pick([1, 2]), hwsrc=self.mac(), psrc=ip, hwdst="00:00:00:00:00:00",
                    pdst=ip)
        else:
            a = ARP(op=1, hwsrc=self.mac(), psrc=self.ip4(), hwdst=self.mac(), pdst=self.ip4())
            raw = bytearray(bytes(a))
            # the header says what it likes; the body stays 6/4 sized
            struct.pack_into("!HHBBH", raw, 0, self.pick([1, 1, 1, 6, 0, 0xFFFF, 32]),
                             self.pick([0x0800, 0x0800, 0x86DD, 0, 0xFFFF]),
                             self.pick([6, 6, 6, 0, 1, 5, 7, 16, 255]),
                             self.pick([4, 4, 4, 0, 1, 3, 5, 16, 255]),
                             self.pick(list(range(0, 11)) + [255, 256, 0xFFFF]))
            return bytes(raw)
        return bytes(a)

    def ns_na(self):
        r = self.r
        src, dst = self.ip6(), self.ip6()
        tgt = self.pick([BOND_IP6, PEER_IP6, "::", "ff02::1", "fe80::1", self.ip6()])
        if r.random() < 0.5:
            m = ICMPv6ND_NS(tgt=tgt)
        else:
            m = ICMPv6ND_NA(tgt=tgt, R=r.randint(0, 1), S=r.randint(0, 1), O=r.randint(0, 1))
        opts = b""
        for _ in range(r.randint(0, 3)):
            c = r.random()
            if c < 0.3:
                o = ICMPv6NDOptSrcLLAddr(lladdr=self.mac())
            elif c < 0.6:
                o = ICMPv6NDOptDstLLAddr(lladdr=self.mac())
            else:
                o = ICMPv6NDOptUnknown(type=r.randint(0, 255),
                                       data=bytes(r.getrandbits(8) for _ in range(r.randint(0, 14))))
            ob = bytes(o)
            if r.random() < 0.3:
                ob = ob[:1] + bytes([self.pick([0, 1, 2, 255])]) + ob[2:]      # bad length
            opts += ob
        pkt = IPv6(src=src, dst=dst, hlim=self.pick([255, 255, 255, 1, 64])) / m
        raw = bytearray(bytes(pkt) + opts)
        # fix the payload length for the options, maybe the checksum too
        struct.pack_into("!H", raw, 4, len(raw) - 40)
        if r.random() < 0.8:
            struct.pack_into("!H", raw, 42, 0)
            struct.pack_into("!H", raw, 42, icmp6_csum(bytes(raw)))
        return bytes(raw)

    def igmp_mld(self):
        r = self.r
        c = r.random()
        if c < 0.2:
            p = IP(src=self.ip4(), dst=self.pick(["224.0.0.1", "224.0.0.22", "239.1.1.1"]),
                   ttl=1) / IGMP(type=self.pick([0x11, 0x12, 0x16, 0x17, 0x22, 0x00, 0xFF]),
                                 mrcode=r.randint(0, 255), gaddr=self.pick(["0.0.0.0", "239.1.1.1"]))
        elif c < 0.4:
            p = IP(src=self.ip4(), dst="224.0.0.1", ttl=1) / IGMPv3() / IGMPv3mq(
                gaddr=self.pick(["0.0.0.0", "239.1.1.1"]), numsrc=r.randint(0, 3),
                srcaddrs=[self.ip4() for _ in range(r.randint(0, 3))])
        elif c < 0.5:
            p = IP(src=self.ip4(), dst="224.0.0.22", ttl=1) / IGMPv3(type=0x22) / IGMPv3mr(
                records=[IGMPv3gr(rtype=r.randint(0, 7), maddr="239.1.1.%d" % r.randint(1, 9))
                         for _ in range(r.randint(0, 3))])
        else:
            hbh = IPv6ExtHdrHopByHop(options=[RouterAlert()])
            m = self.pick([ICMPv6MLQuery(), ICMPv6MLReport(mladdr="ff02::1:3"), ICMPv6MLDone(),
                           ICMPv6MLQuery2(), ICMPv6MLReport2(records=[ICMPv6MLDMultAddrRec()])])
            p = IPv6(src=self.pick(["fe80::1", "::", BOND_IP6]), dst=self.ip6(), hlim=1) / hbh / m
        return bytes(p)

    def l3(self):
        """(ethertype, payload) of one of the protocols, maybe truncated."""
        r = self.r
        c = r.random()
        if c < 0.4:
            t, p = 0x0806, self.arp()
        elif c < 0.7:
            t, p = 0x86DD, self.ns_na()
        elif c < 0.85:
            p = self.igmp_mld()
            t = 0x86DD if p[0] >> 4 == 6 else 0x0800
        elif c < 0.9:
            t, p = 0x8809, bytes([self.pick([1, 2, 3, 10])]) + bytes(
                r.getrandbits(8) for _ in range(r.randint(0, 120)))     # LACPDU / marker
        else:
            t = self.pick([0x0800, 0x86DD, 0x0806, 0x8100, 0x88A8, 0x8809, 0x88CC, 0xFFFF, 0x0000])
            p = bytes(r.getrandbits(8) for _ in range(r.randint(0, 100)))
        if r.random() < 0.15:
            p = p[:r.randint(0, len(p))]
        return t, p

    def frame(self):
        r = self.r
        c = r.random()
        if c < 0.05:
            # cut right after the Ethernet header: the type says what is not
            # there (AF_PACKET does not send less than a header)
            return mac_bytes(self.pick([BOND_MAC, "ff:ff:ff:ff:ff:ff", "33:33:00:00:00:01"])) + \
                mac_bytes(self.mac()) + struct.pack("!H", self.pick(
                    [0x0800, 0x86DD, 0x0806, 0x8100, 0x88A8, 0x8809])) + \
                bytes(r.getrandbits(8) for _ in range(r.randint(0, 6)))
        if c < 0.1:                                    # random bytes
            return bytes(r.getrandbits(8) for _ in range(r.randint(14, 1514)))
        t, p = self.l3()
        dst = self.pick(["ff:ff:ff:ff:ff:ff", BOND_MAC, "33:33:00:00:00:01", "33:33:ff:00:00:01",
                         "01:00:5e:00:00:01", "01:80:c2:00:00:02", self.mac()])
        src = self.mac() if r.random() < 0.4 else self.peer_mac
        tags = b""
        c = r.random()
        if c < 0.15:
            tags = struct.pack("!HH", 0x8100, self.pick([0, 1, 5, 4095]) | (r.randint(0, 7) << 13))
        elif c < 0.25:
            tags = struct.pack("!HHHH", self.pick([0x88A8, 0x8100, 0x9100]), self.pick([0, 7, 4095]),
                               0x8100, self.pick([0, 5, 4095]))
        elif c < 0.28:
            tags = struct.pack("!HH", 0x8100, 5) * r.randint(3, 8)       # deep stack
        return mac_bytes(dst) + mac_bytes(src) + tags + struct.pack("!H", t) + p


def mac_bytes(m):
    return bytes(int(x, 16) for x in m.split(":"))


def icmp6_csum(raw):
    src, dst = raw[8:24], raw[24:40]
    body = raw[40:]
    ph = src + dst + struct.pack("!IxxxB", len(body), raw[6])
    b = ph + body
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def tx_frames(r, n):
    """Frames the bond's own stack could never build: for its transmit path."""
    out = []
    for _ in range(n):
        t = r.choice([0x0800, 0x86DD, 0x0806, 0x8100, 0x88A8, 0x8809, 0x0000])
        dst = r.choice([b"\xff" * 6, mac_bytes("02:00:00:00:00:09"), mac_bytes("33:33:00:00:00:01")])
        p = bytes(r.getrandbits(8) for _ in range(r.choice([0, 1, 4, 19, 20, 39, 40, 60])))
        f = dst + mac_bytes(BOND_MAC) + struct.pack("!H", t) + p
        out.append(f[:r.randint(0, len(f))] if r.random() < 0.2 else f)
    return out


# ---- the setups ---------------------------------------------------------------------

SETUPS = {
    "arp": ("mode active-backup arp_interval 100 arp_ip_target %s,%s arp_validate all "
            "arp_missed_max 10" % (PEER_IP4, TARGET2), "4"),
    "ns": ("mode active-backup arp_interval 100 ns_ip6_target %s arp_validate all "
           "arp_missed_max 10" % PEER_IP6, "6"),
    "rr": ("mode balance-rr miimon 100", "46"),
}


def config(rt):
    """The bond's configuration: every setting, not the links' state."""
    s = fuzzlib.snapshot(rt)
    return {k: v for k, v in s.items() if fuzzlib.config_key(k) and
            not k.startswith("link lo ") and " LINK_NETNSID" not in k and
            (fuzzlib.key_dev(k) in [BOND] + SLAVES or fuzzlib.key_dev(k) is None)}


def ping(fam, dst, secs):
    end = time.time() + secs
    while time.time() < end:
        r = subprocess.run(["ping", "-%s" % fam, "-c", "1", "-W", "1", "-I", BOND, dst],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode == 0:
            return True
        subprocess.run(["ip", "neigh", "flush", "dev", BOND], stderr=subprocess.DEVNULL)
        time.sleep(0.3)
    return False


def rx(dev):
    with open("/sys/class/net/%s/statistics/rx_packets" % dev) as f:
        return int(f.read())


def run_setup(name, frames, txf, socks, rt, km, problems):
    opts, fams = SETUPS[name]
    log("# %s: bond %s" % (name, opts))
    fuzzlib.ip_batch(["link set %s down" % s for s in SLAVES] +
                     ["link add %s type bond %s" % (BOND, opts)] +
                     ["link set %s master %s" % (s, BOND) for s in SLAVES] +
                     ["link set %s up" % BOND, "addr add %s/24 dev %s" % (BOND_IP4, BOND),
                      "addr add %s/64 dev %s nodad" % (BOND_IP6, BOND)])
    if not fuzzlib.settle(BOND, 30):
        problems.append("%s: the bond did not come up before the fuzzing" % name)
    if not all(ping(f, PEER_IP4 if f == "4" else PEER_IP6, 20) for f in fams):
        problems.append("%s: no ping through the bond before the fuzzing" % name)
    before = config(rt)
    km.new()
    rx0 = {s: rx(s) for s in SLAVES}
    sent = errors = 0
    t0 = time.time()
    # three rounds, each slave getting the other half the next time, with
    # pauses for the monitors (100 ms) to run in between
    for rnd in range(3):
        for i, f in enumerate(frames):
            try:
                socks[(i + rnd) % len(socks)].send(f)
                sent += 1
            except OSError:
                errors += 1
            if i % 50 == 49:
                time.sleep(0.02)
        time.sleep(0.3)
    txs = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    txs.bind((BOND, 0))
    txsent = 0
    for f in txf:
        try:
            txs.send(f)
            txsent += 1
        except OSError:
            pass
    txs.close()
    got = sum(rx(s) - rx0[s] for s in SLAVES)
    log("  sent %d frames into the slaves in %.1fs (%d refused by the sender), %d through the "
        "bond; the slaves received %d" % (sent, time.time() - t0, errors, txsent, got))
    if got < sent // 4:
        problems.append("%s: the slaves received only %d of %d frames" % (name, got, sent))
    splats = [l for l in km.new() if any(p in l for p in fuzzlib.SPLAT)]
    if splats:
        problems.append("%s: kernel report:\n    %s" % (name, "\n    ".join(splats[:8])))
    time.sleep(0.5)
    after = config(rt)
    d = fuzzlib.diff(before, after)
    if d:
        problems.append("%s: the frames changed the bond's configuration:\n%s" % (
            name, fuzzlib.show_diff(d, 10)))
    subprocess.run(["ip", "neigh", "flush", "dev", BOND], stderr=subprocess.DEVNULL)
    if not fuzzlib.settle(BOND, 30):
        problems.append("%s: the slaves did not all come back up" % name)
    for f in fams:
        if not ping(f, PEER_IP4 if f == "4" else PEER_IP6, 20):
            problems.append("%s: no IPv%s ping through the bond after the fuzzing" % (name, f))
    log("  %s: %s" % (name, "ok" if not problems else "%d problems so far" % len(problems)))
    subprocess.run(["ip", "link", "del", BOND])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=600)
    ap.add_argument("--setups", default="arp,ns,rr")
    a = ap.parse_args()

    fuzzlib.load_module(os.environ.get("BOND_IMPL", "ours"))
    rt = fuzzlib.Rtnl()
    km = fuzzlib.Kmsg()
    # the peer: a bridge holding the targets, one port per slave
    fuzzlib.ip_batch(["link add br0 type bridge forward_delay 0 mcast_snooping 0",
                      "link set br0 up", "addr add %s/24 dev br0" % PEER_IP4,
                      "addr add %s/24 dev br0" % TARGET2, "addr add %s/64 dev br0 nodad" % PEER_IP6],
                     PEER)
    fuzzlib.ip_batch(["link add %s address 02:00:00:00:f0:%02x type veth peer name p%s netns %s" %
                      (s, sum(map(ord, "fzv0")) & 0xFF if i == 0 else 0x11, s, PEER)
                      for i, s in enumerate(SLAVES)])
    fuzzlib.ip_batch(["link set p%s master br0 up" % s for s in SLAVES], PEER)
    here = os.open("/proc/self/ns/net", os.O_RDONLY)
    there = os.open("/run/netns/" + PEER, os.O_RDONLY)
    setns(there)
    socks = []
    for s in SLAVES:
        sk = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        sk.bind(("p" + s, 0))
        socks.append(sk)
    # br0's address, the source of the peer's own frames (SIOCGIFHWADDR)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    import fcntl
    hw = fcntl.ioctl(u, 0x8927, struct.pack("16s16x", b"br0"))
    peer_mac = ":".join("%02x" % b for b in hw[18:24])
    u.close()
    setns(here)

    t0 = time.time()
    g = Gen(a.seed, peer_mac)
    frames = [g.frame() for _ in range(a.count)]
    txf = tx_frames(random.Random(a.seed + 1), a.count // 6)
    log("# seed %d: %d frames built in %.1fs" % (a.seed, len(frames), time.time() - t0))
    problems = []
    for name in a.setups.split(","):
        run_setup(name, frames, txf, socks, rt, km, problems)
    for p in problems:
        log("PROBLEM: " + p)
    log("fuzz-packets seed=%d: %d frames per setup (%s), sent 3 times into the slaves, %d "
        "through the bond; configuration changes 0 allowed; %d problems" % (
            a.seed, len(frames), a.setups, len(txf), len(problems)))
    fuzzlib.unload_module()
    return 1 if problems else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception:  # noqa: BLE001
        import traceback
        traceback.print_exc()
        sys.exit(2)
