#!/usr/bin/env python3
"""Print a bond's (or a bond slave's) 802.3ad link xstats, one "name value"
a line, in the order of enum BOND_3AD_STAT_* (uapi if_bonding.h).

    bond_xstats.py DEV [DEV...]

A bond DEV gets the bond-wide counters (IFLA_STATS_LINK_XSTATS), a slave
DEV its own (IFLA_STATS_LINK_XSTATS_SLAVE); with several DEVs each line is
"DEV name value". Prints nothing for a DEV outside 802.3ad (its
LINK_XSTATS_TYPE_BOND nest is empty). Exits 1 when a DEV is neither a bond
nor a bond slave.

Why not `ip link xstats type bond`: iproute2 6.1 (Debian 12) aborts with
"stack smashing detected" on it.
"""
import os
import socket
import struct
import sys

RTM_GETSTATS = 94
NLM_F_REQUEST = 1
IFLA_STATS_LINK_XSTATS = 2
IFLA_STATS_LINK_XSTATS_SLAVE = 3
LINK_XSTATS_TYPE_BOND = 2
BOND_XSTATS_3AD = 1
NAMES = ["lacpdu_rx", "lacpdu_tx", "lacpdu_unknown_rx", "lacpdu_illegal_rx",
         "marker_rx", "marker_tx", "marker_resp_rx", "marker_resp_tx",
         "marker_unknown_rx"]


def attrs(buf, off, end):
    """Yield (type, payload) of the netlink attributes in buf[off:end]."""
    while off + 4 <= end:
        n, t = struct.unpack_from("HH", buf, off)
        if n < 4:
            return
        yield t & 0x3fff, buf[off + 4:off + n]
        off += (n + 3) & ~3


def query(sock, ifindex, kind):
    body = struct.pack("BBHII", socket.AF_UNSPEC, 0, 0, ifindex, 1 << (kind - 1))
    sock.send(struct.pack("IHHII", 16 + len(body), RTM_GETSTATS, NLM_F_REQUEST, 1, 0) + body)
    r = sock.recv(65536)
    n, t = struct.unpack_from("IH", r)
    if t == 2:              # NLMSG_ERROR
        err = struct.unpack_from("i", r, 16)[0]
        raise OSError(-err, os.strerror(-err))
    return r[:n]


def counters(sock, dev):
    """{name: value} for dev, {} outside 802.3ad, None if not bond-related."""
    ifindex = socket.if_nametoindex(dev)
    master = os.path.exists("/sys/class/net/%s/bonding" % dev)
    kind = IFLA_STATS_LINK_XSTATS if master else IFLA_STATS_LINK_XSTATS_SLAVE
    r = query(sock, ifindex, kind)
    out, found = {}, False
    for t, p in attrs(r, 16 + 12, len(r)):          # after if_stats_msg
        if t != kind:
            continue
        for t2, p2 in attrs(p, 0, len(p)):
            if t2 != LINK_XSTATS_TYPE_BOND:
                continue
            found = True
            for t3, p3 in attrs(p2, 0, len(p2)):
                if t3 != BOND_XSTATS_3AD:
                    continue
                for t4, p4 in attrs(p3, 0, len(p3)):
                    if t4 < len(NAMES) and len(p4) == 8:
                        out[NAMES[t4]] = struct.unpack("Q", p4)[0]
    return out if found else None


def main():
    devs = sys.argv[1:]
    if not devs:
        sys.exit(__doc__)
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    rc = 0
    for dev in devs:
        c = counters(sock, dev)
        if c is None:
            print("%s: no bond xstats" % dev, file=sys.stderr)
            rc = 1
            continue
        for name in NAMES:
            if name in c:
                print(("%s " % dev if len(devs) > 1 else "") + "%s %d" % (name, c[name]))
    sys.exit(rc)


if __name__ == "__main__":
    main()
