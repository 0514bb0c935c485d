# Shared pieces of the fuzz tests (tests/cases/fuzz-*.sh), run with
# /usr/bin/python3 as root inside the test VM:
#  - a small rtnetlink client that sends hand-built (possibly malformed)
#    messages and returns the errno and extack, and dumps links;
#  - snapshot(): the state a refusal must not change, as a flat dict
#    {key: value}: every link of the namespace (the RTM_GETLINK data that
#    `ip -d -j link show` prints, decoded: flags, attributes, IFLA_LINKINFO
#    with the bond's IFLA_INFO_DATA and the slaves' IFLA_INFO_SLAVE_DATA),
#    every file of /sys/class/net/*/bonding/ and */bonding_slave/, the
#    bonding_masters file and /proc/net/bonding/*. Counters and timestamps
#    are left out; ifindexes are shown as device names so that two runs
#    (ours, in-tree) compare;
#  - the topology (bonds over veths whose peers live in a namespace), the
#    baseline and its restoration after an input that changed something;
#  - the differential driver: the same seeded inputs run against the
#    module under test and, in the same VM, against the in-tree bonding.ko
#    (the oracle), and the comparison of the two.
import errno
import json
import os
import random
import re
import socket
import struct
import subprocess
import sys
import time

# ---- netlink ----------------------------------------------------------------

NLMSG_ERROR, NLMSG_DONE = 2, 3
RTM_NEWLINK, RTM_DELLINK, RTM_GETLINK = 16, 17, 18
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 0x1, 0x4, 0x300
NLM_F_EXCL, NLM_F_CREATE = 0x200, 0x400
NLM_F_ACK_TLVS = 0x200
NLA_F_NESTED, NLA_F_NET_BYTEORDER = 0x8000, 0x4000
SOL_NETLINK, NETLINK_CAP_ACK, NETLINK_EXT_ACK = 270, 10, 11
IFF_UP = 0x1

IFLA = {1: "ADDRESS", 2: "BROADCAST", 3: "IFNAME", 4: "MTU", 5: "LINK", 6: "QDISC",
        7: "STATS", 10: "MASTER", 13: "TXQLEN", 14: "MAP", 16: "OPERSTATE",
        17: "LINKMODE", 18: "LINKINFO", 20: "IFALIAS", 23: "STATS64", 26: "AF_SPEC",
        27: "GROUP", 30: "PROMISCUITY", 31: "NUM_TX_QUEUES", 32: "NUM_RX_QUEUES",
        33: "CARRIER", 35: "CARRIER_CHANGES", 37: "LINK_NETNSID", 39: "PROTO_DOWN",
        40: "GSO_MAX_SEGS", 41: "GSO_MAX_SIZE", 42: "PAD", 43: "XDP",
        47: "CARRIER_UP_COUNT", 48: "CARRIER_DOWN_COUNT", 50: "MIN_MTU", 51: "MAX_MTU",
        52: "PROP_LIST", 54: "PERM_ADDRESS", 58: "GRO_MAX_SIZE", 59: "TSO_MAX_SIZE",
        60: "TSO_MAX_SEGS", 61: "ALLMULTI", 63: "GSO_IPV4_MAX_SIZE",
        64: "GRO_IPV4_MAX_SIZE"}
IFLA_N = {v: k for k, v in IFLA.items()}
# Not state: counters, timestamps, per-address-family data (inet6 cache
# info holds timestamps), padding.
IFLA_MASKED = {7, 23, 26, 35, 42, 47, 48}
IFLA_IFINDEX_VALUED = {5, 10}

BOND = {1: "MODE", 2: "ACTIVE_SLAVE", 3: "MIIMON", 4: "UPDELAY", 5: "DOWNDELAY",
        6: "USE_CARRIER", 7: "ARP_INTERVAL", 8: "ARP_IP_TARGET", 9: "ARP_VALIDATE",
        10: "ARP_ALL_TARGETS", 11: "PRIMARY", 12: "PRIMARY_RESELECT",
        13: "FAIL_OVER_MAC", 14: "XMIT_HASH_POLICY", 15: "RESEND_IGMP",
        16: "NUM_PEER_NOTIF", 17: "ALL_SLAVES_ACTIVE", 18: "MIN_LINKS",
        19: "LP_INTERVAL", 20: "PACKETS_PER_SLAVE", 21: "AD_LACP_RATE",
        22: "AD_SELECT", 23: "AD_INFO", 24: "AD_ACTOR_SYS_PRIO",
        25: "AD_USER_PORT_KEY", 26: "AD_ACTOR_SYSTEM", 27: "TLB_DYNAMIC_LB",
        28: "PEER_NOTIF_DELAY", 29: "AD_LACP_ACTIVE", 30: "MISSED_MAX",
        31: "NS_IP6_TARGET", 32: "COUPLED_CONTROL"}
BOND_N = {v: k for k, v in BOND.items()}
SLAVE = {1: "STATE", 2: "MII_STATUS", 3: "LINK_FAILURE_COUNT", 4: "PERM_HWADDR",
         5: "QUEUE_ID", 6: "AD_AGGREGATOR_ID", 7: "AD_ACTOR_OPER_PORT_STATE",
         8: "AD_PARTNER_OPER_PORT_STATE", 9: "PRIO", 10: "ACTOR_PORT_PRIO",
         11: "AD_CHURN_ACTOR_STATE", 12: "AD_CHURN_PARTNER_STATE"}
SLAVE_N = {v: k for k, v in SLAVE.items()}

ERRNAME = {v: k for k, v in errno.errorcode.items()}


def errname(e):
    if e == errno.EOPNOTSUPP:
        return "EOPNOTSUPP"                     # python calls it ENOTSUP
    return "ok" if e == 0 else errno.errorcode.get(e, "E%d" % e)


def nla(kind, payload):
    """One attribute: header, payload, padding to 4 bytes."""
    n = 4 + len(payload)
    return struct.pack("HH", n & 0xFFFF, kind & 0xFFFF) + payload + b"\0" * (-n % 4)


def parse_attrs(buf):
    """[(type, payload)] of a run of attributes (flags masked off)."""
    out, off = [], 0
    while off + 4 <= len(buf):
        n, t = struct.unpack_from("HH", buf, off)
        if n < 4 or off + n > len(buf):
            break
        out.append((t & 0x3FFF, buf[off + 4:off + n]))
        off += (n + 3) & ~3
    return out


def ifinfomsg(index=0, flags=0, change=0):
    return struct.pack("BxHiII", socket.AF_UNSPEC, 0, index, flags, change)


class Rtnl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
        self.s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.bind((0, 0))
        self.seq = 0

    def request(self, kind, flags, body):
        """Send one message and wait for its ack: (errno, extack text)."""
        self.seq += 1
        msg = struct.pack("IHHII", 16 + len(body), kind, flags | NLM_F_REQUEST | NLM_F_ACK,
                          self.seq, 0) + body
        self.s.send(msg)
        while True:
            r = self.s.recv(1 << 16)
            off = 0
            while off + 16 <= len(r):
                ln, t, fl, seq, _ = struct.unpack_from("IHHII", r, off)
                if ln < 16:
                    break
                if seq == self.seq and t == NLMSG_ERROR:
                    err = -struct.unpack_from("i", r, off + 16)[0]
                    text = ""
                    if fl & NLM_F_ACK_TLVS:
                        for at, ap in parse_attrs(r[off + 36:off + ln]):
                            if at == 1:
                                text = ap.rstrip(b"\0").decode(errors="replace")
                    return err, text
                off += (ln + 3) & ~3

    def dump_links(self):
        """[(ifindex, ifi_flags, [(type, payload)])] of every link."""
        self.seq += 1
        body = ifinfomsg() + nla(29, struct.pack("I", 1))   # IFLA_EXT_MASK: VF
        self.s.send(struct.pack("IHHII", 16 + len(body), RTM_GETLINK,
                                NLM_F_REQUEST | NLM_F_DUMP, self.seq, 0) + body)
        links = []
        while True:
            r = self.s.recv(1 << 20)
            off = 0
            while off + 16 <= len(r):
                ln, t, fl, seq, _ = struct.unpack_from("IHHII", r, off)
                if t == NLMSG_DONE and seq == self.seq:
                    return links
                if t == NLMSG_ERROR and seq == self.seq:
                    raise OSError(-struct.unpack_from("i", r, off + 16)[0], "dump")
                if t == RTM_NEWLINK and seq == self.seq:
                    _, _, idx, flags, _ = struct.unpack_from("BxHiII", r, off + 16)
                    links.append((idx, flags, parse_attrs(r[off + 32:off + ln])))
                off += (ln + 3) & ~3

    def names(self):
        """{ifindex: name} and {name: ifindex}."""
        by_idx = {}
        for idx, _, attrs in self.dump_links():
            for t, p in attrs:
                if t == 3:
                    by_idx[idx] = p.rstrip(b"\0").decode(errors="replace")
        return by_idx, {v: k for k, v in by_idx.items()}


# ---- state snapshots --------------------------------------------------------

def _u(p):
    if len(p) == 1:
        return str(p[0])
    if len(p) == 2:
        return str(struct.unpack("H", p)[0])
    if len(p) == 4:
        return str(struct.unpack("I", p)[0])
    return p.hex()


def _mac(p):
    return ":".join("%02x" % b for b in p)


def _decode_bond(t, p, idx2name):
    if t in (2, 11):                                   # ACTIVE_SLAVE, PRIMARY
        return idx2name.get(struct.unpack("I", p)[0], "#%d" % struct.unpack("I", p)[0])
    if t == 8:
        return ",".join(socket.inet_ntoa(a[:4]) if len(a) >= 4 else a.hex()
                        for _, a in parse_attrs(p))
    if t == 31:
        return ",".join(socket.inet_ntop(socket.AF_INET6, a[:16]) if len(a) >= 16 else a.hex()
                        for _, a in parse_attrs(p))
    if t == 23:
        return ";".join("%d=%s" % (at, ap.hex()) for at, ap in parse_attrs(p))
    if t == 26:
        return _mac(p)
    return _u(p)


def link_state(rt, snap):
    links = rt.dump_links()
    idx2name = {}
    for idx, _, attrs in links:
        for t, p in attrs:
            if t == 3:
                idx2name[idx] = p.rstrip(b"\0").decode(errors="replace")
    for idx, flags, attrs in links:
        name = idx2name.get(idx, "#%d" % idx)
        pre = "link %s " % name
        snap[pre + "flags"] = "%#x" % flags
        netnsid = any(t == 37 for t, _ in attrs)
        for t, p in attrs:
            if t in IFLA_MASKED or t == 3:
                continue
            key = pre + IFLA.get(t, "attr%d" % t)
            if t == 5 and netnsid:
                continue                        # the peer's ifindex, elsewhere
            if t in IFLA_IFINDEX_VALUED and len(p) == 4:
                snap[key] = idx2name.get(struct.unpack("I", p)[0], "#?")
            elif t in (1, 2, 54):
                snap[key] = _mac(p)
            elif t in (6, 20):
                snap[key] = p.rstrip(b"\0").decode(errors="replace")
            elif t == 18:
                for it, ip in parse_attrs(p):
                    if it in (1, 4):
                        snap[pre + ("kind" if it == 1 else "slave_kind")] = \
                            ip.rstrip(b"\0").decode(errors="replace")
                    elif it == 2:
                        for bt, bp in parse_attrs(ip):
                            snap[pre + "info_data " + BOND.get(bt, str(bt))] = \
                                _decode_bond(bt, bp, idx2name)
                    elif it == 5:
                        for st, sp in parse_attrs(ip):
                            snap[pre + "slave_data " + SLAVE.get(st, str(st))] = \
                                _mac(sp) if st == 4 else _u(sp)
                    elif it == 3:
                        pass                              # xstats: counters
            elif t == 43:
                snap[key] = ";".join("%d=%s" % (xt, xp.hex()) for xt, xp in parse_attrs(p))
            elif t == 52:
                snap[key] = ",".join(xp.rstrip(b"\0").decode(errors="replace")
                                     for _, xp in parse_attrs(p))
            else:
                snap[key] = _u(p)
    return idx2name


def _read(path):
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as e:
        return "<%s>" % errname(e.errno)
    try:
        return os.read(fd, 65536).decode(errors="replace")
    except OSError as e:
        return "<%s>" % errname(e.errno)
    finally:
        os.close(fd)


def sysfs_write(path, data):
    """One write(2) of DATA: (errno or 0, "open" if the open failed, or a
    note of a short write)."""
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError as e:
        return e.errno, "open"
    try:
        n = os.write(fd, data)
        return 0, ("" if n == len(data) else "wrote %d of %d" % (n, len(data)))
    except OSError as e:
        return e.errno, ""
    finally:
        os.close(fd)


def sysfs_state(snap):
    # the bonds' order there is their creation order, which a rebuild changes
    bm = _read("/sys/class/net/bonding_masters")
    snap["sysfs bonding_masters"] = " ".join(sorted(bm.split())) if not bm.startswith("<") else bm
    for dev in sorted(os.listdir("/sys/class/net")):
        for sub in ("bonding", "bonding_slave"):
            d = "/sys/class/net/%s/%s" % (dev, sub)
            try:
                files = sorted(os.listdir(d))
            except OSError:
                continue
            for f in files:
                snap["sysfs %s %s/%s" % (dev, sub, f)] = _read(d + "/" + f)


def proc_state(snap):
    try:
        bonds = sorted(os.listdir("/proc/net/bonding"))
    except OSError:
        return
    for b in bonds:
        sec = "bond"
        n = {}
        snap["proc %s" % b] = "exists"
        for line in _read("/proc/net/bonding/" + b).splitlines():
            if line.startswith("Slave Interface: "):
                sec = line[17:]
            if not line.strip():
                continue
            # "Label: value", or "Label:" with nothing after (a label may
            # hold colons: "NS IPv6 target/s (xx::xx form):")
            m = re.match(r"(.*?):(?: |$)(.*)$", line)
            label, val = (m.group(1), m.group(2)) if m else (line, "")
            k = "proc %s %s %s" % (b, sec, label)
            n[k] = n.get(k, 0) + 1
            if n[k] > 1:
                k += " #%d" % n[k]
            snap[k] = val


def snapshot_links_only(rt):
    snap = {}
    link_state(rt, snap)
    return snap


def snapshot(rt):
    snap = {}
    link_state(rt, snap)
    sysfs_state(snap)
    proc_state(snap)
    return snap


# Keys that may move without any input: failure counts (a monitor that was
# fuzzed into running), carrier. Only ignored when comparing with a baseline
# after a restore; between the two snapshots around one input they count.
def volatile(key):
    return ("LINK_FAILURE_COUNT" in key or "link_failure_count" in key or
            "Link Failure Count" in key)


def diff(a, b, skip=None):
    keys = set(a) | set(b)
    return {k: (a.get(k), b.get(k)) for k in sorted(keys)
            if a.get(k) != b.get(k) and not (skip and skip(k))}


def show_diff(d, limit=12, indent="    "):
    out = []
    for i, (k, (x, y)) in enumerate(sorted(d.items())):
        if i == limit:
            out.append(indent + "... %d more" % (len(d) - limit))
            break
        out.append(indent + "%s: %r -> %r" % (k, _short(x), _short(y)))
    return "\n".join(out)


def _short(v, n=70):
    if v is None:
        return None
    return v if len(v) <= n else v[:n] + "...(%d)" % len(v)


# ---- kernel log ---------------------------------------------------------------

SPLAT = ("Oops", "BUG:", "WARNING:", "kernel BUG", "general protection", "KASAN",
         "UBSAN", "Call Trace", "refcount_t:", "list_add corruption",
         "list_del corruption", "possible circular locking", "suspicious RCU",
         "inconsistent lock state", "possible recursive locking")


class Kmsg:
    """New kernel log records since the last call; splats flagged."""
    def __init__(self):
        self.fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
        os.lseek(self.fd, 0, os.SEEK_END)

    def new(self):
        out = []
        while True:
            try:
                rec = os.read(self.fd, 8192)
            except BlockingIOError:
                break
            except OSError as e:
                if e.errno == errno.EPIPE:       # overwritten: skip ahead
                    continue
                break
            if not rec:
                break
            out.append(rec.decode(errors="replace").split(";", 1)[-1].rstrip("\n"))
        return out

    def splats(self):
        return [l for l in self.new() if any(s in l for s in SPLAT)]


# ---- module and topology -------------------------------------------------------

def sh(cmd, check=True):
    r = subprocess.run(cmd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    if check and r.returncode:
        raise RuntimeError("%s: %s" % (cmd, r.stdout.strip()))
    return r.stdout


def load_module(impl):
    """Load the module under test (the harness' modprobe rule) or the in-tree
    one (modprobe with no configuration at all), with no default bond."""
    if os.path.exists("/sys/module/bonding"):
        sh("rmmod bonding")
    if impl == "intree":
        empty = "/run/fuzz-empty-modprobe.d"
        os.makedirs(empty, exist_ok=True)
        sh("modprobe -C %s bonding max_bonds=0" % empty)
    else:
        sh("modprobe -C %s bonding max_bonds=0" % os.environ["BOND_MODPROBE_DIR"])
    srcver = _read("/sys/module/bonding/srcversion").strip()
    return srcver


def unload_module():
    if os.path.exists("/sys/module/bonding"):
        sh("rmmod bonding")


PEER_NS = os.environ.get("FUZZ_PEER_NS", "fz-peer")


def settle(bond, secs=5.0, want_active=None):
    """Wait until every slave of BOND is up (and, in active-backup, a slave
    is active); True if it got there."""
    end = time.time() + secs
    while time.time() < end:
        slaves = _read("/sys/class/net/%s/bonding/slaves" % bond).split()
        ok = all(_read("/sys/class/net/%s/bonding_slave/mii_status" % s).strip() == "up"
                 for s in slaves)
        mode = _read("/sys/class/net/%s/bonding/mode" % bond)
        if ok and mode.startswith("active-backup") and slaves:
            act = _read("/sys/class/net/%s/bonding/active_slave" % bond).strip()
            ok = act == want_active if want_active else bool(act)
        if ok and slaves:
            # the bond's operstate follows its carrier through linkwatch, later
            ok = _read("/sys/class/net/%s/operstate" % bond).strip() == "up"
        if ok:
            return True
        time.sleep(0.05)
    return False


def ip_batch(lines, netns=None):
    """Run ip(8) commands (without the leading "ip") in one process."""
    if not lines:
        return
    cmd = ["ip"] + (["-n", netns] if netns else []) + ["-force", "-batch", "-"]
    r = subprocess.run(cmd, input="\n".join(lines) + "\n", stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True)
    if r.returncode:
        raise RuntimeError("ip -batch: %s" % r.stdout.strip())


class BondSpec:
    """A bond of the baseline: `ip link add NAME type bond OPTS`, slaves
    (veths with fixed MACs, peers up in PEER_NS), up or down, and extra
    ip(8) commands (without "ip"; %(b)s is the bond's name)."""
    def __init__(self, name, opts, slaves, up, extra=(), active=None):
        self.name, self.opts, self.slaves, self.up = name, opts, slaves, up
        self.extra, self.active = extra, active

    def mac(self, i):
        return "02:00:00:00:%02x:%02x" % (0xf0 + i, sum(map(ord, self.slaves[i])) & 0xFF)

    def commands(self):
        """(here, in the peer namespace, here after) ip(8) commands."""
        pre = ["link add %s type bond %s" % (self.name, self.opts)]
        peer, post = [], []
        for i, s in enumerate(self.slaves):
            # the peer in PEER_NS, or here when there is none (a user namespace)
            pre.append("link add %s address %s type veth peer name p%s address %s%s" %
                       (s, self.mac(i), s, self.mac(i).replace("02:", "06:", 1),
                        " netns " + PEER_NS if PEER_NS else ""))
            peer.append("link set p%s up" % s)
            post.append("link set %s master %s" % (s, self.name))
        post += [c % {"b": self.name} for c in self.extra]
        if self.up:
            post.append("link set %s up" % self.name)
        return pre, peer, post

    def build(self):
        build_all([self])

    def destroy(self):
        ip_batch(["link del %s" % d for d in [self.name] + self.slaves
                  if os.path.exists("/sys/class/net/" + d)])

    def owns(self, dev):
        return dev == self.name or dev in self.slaves or \
            (not PEER_NS and dev in ["p" + x for x in self.slaves])



class DummySpec(BondSpec):
    """A dummy device of the baseline (no slave of anything)."""
    def __init__(self, name):
        BondSpec.__init__(self, name, "", [], False)

    def commands(self):
        return ["link add %s address 02:00:00:00:fd:%02x type dummy" % (
            self.name, sum(map(ord, self.name)) & 0xFF)], [], []


def build_all(bonds):
    """(Re)build BONDS: three ip(8) processes for all of them."""
    for b in bonds:
        b.destroy()
    pre, peer, post = [], [], []
    for b in bonds:
        x, y, z = b.commands()
        pre += x
        peer += y
        post += z
    ip_batch(pre)
    ip_batch(peer, PEER_NS)
    ip_batch(post)
    for b in bonds:
        if b.up and b.slaves and not settle(b.name, 10, b.active):
            raise RuntimeError("%s did not settle" % b.name)


def key_dev(key):
    """The device a snapshot key belongs to (None: global)."""
    parts = key.split(" ")
    if parts[0] in ("link", "proc") and len(parts) > 1:
        return parts[1]
    if parts[0] == "sysfs" and len(parts) > 2:
        return parts[1]
    return None


# Bond attributes the restore may not send in a state: (modes, needs down,
# needs no slaves); absent: settable in any mode and state.
MODE_RR, MODE_AB, MODE_XOR, MODE_BC, MODE_3AD, MODE_TLB, MODE_ALB = range(7)
ARP_MODES = {MODE_RR, MODE_AB, MODE_XOR, MODE_BC}
RESTORE_RULES = {
    "MODE": (None, True, True), "FAIL_OVER_MAC": (None, False, True),
    "ACTIVE_SLAVE": "skip", "AD_INFO": "skip",
    "PACKETS_PER_SLAVE": ({MODE_RR}, False, False),
    "ARP_INTERVAL": (ARP_MODES, False, False), "ARP_VALIDATE": (ARP_MODES, False, False),
    "MISSED_MAX": (ARP_MODES, False, False),
    "PRIMARY": ({MODE_AB, MODE_TLB, MODE_ALB}, False, False),
    "AD_LACP_RATE": ({MODE_3AD}, True, False), "AD_LACP_ACTIVE": ({MODE_3AD}, True, False),
    "AD_SELECT": (None, True, False), "AD_ACTOR_SYS_PRIO": ({MODE_3AD}, False, False),
    "AD_USER_PORT_KEY": ({MODE_3AD}, True, False), "AD_ACTOR_SYSTEM": ({MODE_3AD}, False, False),
    "TLB_DYNAMIC_LB": ({MODE_TLB, MODE_ALB}, True, False),
    "COUPLED_CONTROL": ({MODE_3AD}, True, False),
}


class Topo:
    """The baseline: some bonds; snapshot; restore after a change."""
    def __init__(self, rt, specs, log):
        self.rt, self.specs, self.log = rt, specs, log
        self.rebuilds = 0
        self.restores = 0

    def build(self):
        build_all(self.specs)
        self.base = self.stable() if not FAST else {}
        self.refresh()
        self.links0 = set(self.name2idx)

    def rebuild_fast(self):
        """FAST mode: everything as built, without looking (no snapshot)."""
        _, name2idx = self.rt.names()
        for dev, idx in name2idx.items():
            if dev not in self.links0:
                self.rt.request(RTM_DELLINK, 0, ifinfomsg(idx))
        build_all(self.specs)
        self.refresh()
        self.rebuilds += 1

    def refresh(self):
        """The ifindex of each device, for the inputs (after any change)."""
        self.idx2name, self.name2idx = self.rt.names()
        self.base_raw = self._raw_links()

    def destroy(self):
        for b in self.specs:
            b.destroy()

    def stable(self, secs=10):
        """A snapshot that stays the same for a while (linkwatch is done)."""
        end = time.time() + secs
        s1 = snapshot(self.rt)
        while time.time() < end:
            time.sleep(0.3)
            s2 = snapshot(self.rt)
            if not diff(s1, s2):
                return s2
            s1 = s2
        raise RuntimeError("the baseline does not settle:\n" + show_diff(diff(s1, snapshot(self.rt))))

    def _raw_links(self):
        out = {}
        by_idx, _ = self.rt.names()
        for idx, flags, attrs in self.rt.dump_links():
            out[by_idx.get(idx)] = (flags, attrs)
        return out

    def names(self):
        devs = set()
        for b in self.specs:
            devs.add(b.name)
            devs.update(b.slaves)
            if not PEER_NS:
                devs.update("p" + x for x in b.slaves)
        return devs

    def differs(self, snap):
        return diff(self.base, snap, volatile)

    def extra_links(self, snap=None):
        """Devices that were not in the baseline (left by a create)."""
        snap = snap or snapshot(self.rt)
        base = {key_dev(k) for k in self.base if k.startswith("link ")}
        now = {key_dev(k) for k in snap if k.startswith("link ")}
        return sorted(now - base)

    def restore(self, snap=None):
        """Bring everything back to the baseline: delete new devices, re-send
        the baseline options of each bond that differs, and rebuild a bond
        that still differs. Returns the fresh snapshot."""
        snap = snap or snapshot(self.rt)
        d = self.differs(snap)
        if not d:
            return snap
        self.restores += 1
        _, name2idx = self.rt.names()
        for dev in self.extra_links(snap):
            if dev in name2idx:
                self.rt.request(RTM_DELLINK, 0, ifinfomsg(name2idx[dev]))
        touched = {key_dev(k) for k in d}
        glob = any(key_dev(k) is None or key_dev(k) not in self.names() for k in d)
        bonds = [b for b in self.specs if glob or any(b.owns(x) for x in touched)]
        for b in bonds:
            if not isinstance(b, DummySpec):
                self._resend(b)
        for b in bonds:
            if b.up and b.slaves:
                settle(b.name, 3, b.active)
        snap = snapshot(self.rt)
        self.refresh()
        d = self.differs(snap)
        if d:
            for b in bonds:
                if any(key_dev(k) is not None and b.owns(key_dev(k)) for k in d):
                    self.log("  restore: rebuilding %s:\n%s" % (
                        b.name, show_diff({k: v for k, v in d.items()
                                           if b.owns(key_dev(k) or "")}, 6)))
                    self.rebuilds += 1
                    b.build()
            snap = self.stable()
            d = self.differs(snap)
            if d:
                self.log("  restore: still differs after a rebuild:\n" + show_diff(d, 8))
                # give up comparing with this baseline: take the new one
                self.base = snap
                self.base_raw = self._raw_links()
            self.refresh()
        return snap

    def _resend(self, b):
        _, name2idx = self.rt.names()
        if b.name not in name2idx:
            self.rebuilds += 1
            b.build()
            return
        idx = name2idx[b.name]
        flags, attrs = self.base_raw[b.name]
        mode = int(self.base.get("link %s info_data MODE" % b.name, "0"))
        up = bool(flags & IFF_UP)
        data = []
        miimon = self.base.get("link %s info_data MIIMON" % b.name, "0")
        top = []
        for t, p in attrs:
            if t == 4:
                top.append(nla(4, p))                       # MTU
            elif t == 1:
                top.append(nla(1, p))                       # ADDRESS
            elif t == 13:
                top.append(nla(13, p))                      # TXQLEN
            elif t == 18:
                for it, ip in parse_attrs(p):
                    if it != 2:
                        continue
                    for bt, bp in parse_attrs(ip):
                        nm = BOND.get(bt)
                        rule = RESTORE_RULES.get(nm)
                        if rule == "skip":
                            continue
                        if nm in ("UPDELAY", "DOWNDELAY", "PEER_NOTIF_DELAY") and miimon == "0":
                            continue
                        if nm == "PRIMARY":
                            pn = self.base.get("link %s info_data PRIMARY" % b.name)
                            if pn not in name2idx:
                                continue
                            bp = struct.pack("I", name2idx[pn])
                        if rule:
                            modes, down, empty = rule
                            if modes is not None and mode not in modes:
                                continue
                            if down and up:
                                continue
                            if empty and b.slaves:
                                continue
                        flag = NLA_F_NESTED if bt in (8, 31) else 0
                        data.append(nla(bt | flag, bp))
        # an empty list is not dumped: clear it
        have = {struct.unpack_from("HH", x)[1] & 0x3FFF for x in data}
        for bt in (8, 31):
            if bt not in have:
                data.append(nla(bt | NLA_F_NESTED, b""))
        # down first if a setting that needs it (the mode) or the flag moved
        now = snapshot_links_only(self.rt)
        pre = "link %s " % b.name
        down_keys = [pre + "flags"] + [pre + "info_data " + k for k in
                                       ("MODE", "AD_SELECT", "AD_LACP_RATE", "AD_LACP_ACTIVE",
                                        "TLB_DYNAMIC_LB", "AD_USER_PORT_KEY", "COUPLED_CONTROL")]
        went_down = any(now.get(k) != self.base.get(k) for k in down_keys)
        if went_down:
            self.rt.request(RTM_NEWLINK, 0, ifinfomsg(idx, 0, IFF_UP))
        if not any(BOND.get(struct.unpack_from("HH", a)[1] & 0x3FFF) == "PRIMARY" for a in data):
            data.append(nla(11, struct.pack("I", 0)))       # no primary
        body = ifinfomsg(idx) + b"".join(top) + nla(18 | NLA_F_NESTED,
                                                    nla(1, b"bond\0") + nla(2 | NLA_F_NESTED,
                                                                            b"".join(data)))
        err, ext = self.rt.request(RTM_NEWLINK, 0, body)
        if err:
            # a setting this module lacks (the in-tree one has more): one by one
            for a in data:
                self.rt.request(RTM_NEWLINK, 0, ifinfomsg(idx) + nla(
                    18 | NLA_F_NESTED, nla(1, b"bond\0") + nla(2 | NLA_F_NESTED, a)))
        for s in b.slaves:
            # ours: the slave's own target lists (bonding_slave/*_target)
            for f in ("arp_ip_target", "ns_ip6_target"):
                k = "sysfs %s bonding_slave/%s" % (s, f)
                if k not in self.base:
                    continue
                was = set(self.base[k].split())
                now = set(_read("/sys/class/net/%s/bonding_slave/%s" % (s, f)).split())
                for cmd in ["-" + x for x in now - was] + ["+" + x for x in was - now]:
                    sysfs_write("/sys/class/net/%s/bonding_slave/%s" % (s, f), cmd.encode())
            if s not in self.base_raw or s not in name2idx:
                continue
            sd = []
            for t, p in self.base_raw[s][1]:
                if t == 18:
                    for it, ip in parse_attrs(p):
                        if it == 5:
                            sd = [nla(st, sp) for st, sp in parse_attrs(ip) if st in (5, 9)]
            if sd:
                self.rt.request(RTM_NEWLINK, 0, ifinfomsg(name2idx[s]) + nla(
                    18 | NLA_F_NESTED, nla(5 | NLA_F_NESTED, b"".join(sd))))
        if up and went_down:
            self.rt.request(RTM_NEWLINK, 0, ifinfomsg(idx, IFF_UP, IFF_UP))
        if b.active and up:
            settle(b.name, 3)
            act = self.base.get("link %s info_data ACTIVE_SLAVE" % b.name)
            if act in name2idx:
                self.rt.request(RTM_NEWLINK, 0, ifinfomsg(idx) + nla(
                    18 | NLA_F_NESTED, nla(1, b"bond\0") + nla(
                        2 | NLA_F_NESTED, nla(2, struct.pack("I", name2idx[act])))))


# The baseline most tests use: fzb0 active-backup over fzv0 (primary,
# active) and fzv1, up, with ARP and NS targets (not monitoring: the MII
# monitor runs); fzb1 balance-rr over fzv2 and fzv3, up; fzb2 balance-xor,
# down, no slaves; fzd0, a dummy that is no slave.
BONDS = ["fzb0", "fzb1", "fzb2"]
SLAVES = ["fzv0", "fzv1", "fzv2", "fzv3"]
OTHERS = ["fzd0"]


def standard_specs():
    return [
        BondSpec("fzb0", "mode active-backup miimon 100 downdelay 200 "
                 "arp_ip_target 192.0.2.2,198.51.100.7 ns_ip6_target 2001:db8::2",
                 ["fzv0", "fzv1"], True, ["link set %(b)s type bond primary fzv0"], "fzv0"),
        BondSpec("fzb1", "mode balance-rr miimon 100 packets_per_slave 3 "
                 "arp_ip_target 192.0.2.2", ["fzv2", "fzv3"], True),
        BondSpec("fzb2", "mode balance-xor xmit_hash_policy layer3+4", [], False,
                 ["link set %(b)s address 02:00:00:00:fb:02"]),
    ]


def standard_setup(rt, log):
    topo = Topo(rt, standard_specs() + [DummySpec("fzd0")], log)
    topo.build()
    return topo


# ---- the differential driver -----------------------------------------------------

class Record:
    __slots__ = ("i", "desc", "res", "ext", "changed", "accepted_diff", "splat", "note")

    def __init__(self, i, desc):
        self.i, self.desc = i, desc
        self.res, self.ext, self.changed, self.accepted_diff = "ok", "", {}, {}
        self.splat, self.note = [], ""


def run_inputs(impl, inputs, setup, apply, budget, log, verbose=False, corpus=(),
               corpus_failures=None):
    """Load IMPL, build the baseline with SETUP(rt, log) -> Topo, run the
    kept inputs (run_corpus), then the inputs (run_records), take it all
    down. Returns (records, baseline)."""
    load_module(impl)
    rt = Rtnl()
    topo = setup(rt, log)
    km = Kmsg()
    fails = run_corpus(impl, rt, km, topo, corpus, apply, log)
    if corpus_failures is not None:
        corpus_failures.extend(fails)
    recs = run_records(impl, rt, km, topo, inputs, apply, budget, log, verbose)
    base = topo.base
    topo.destroy()
    unload_module()
    return recs, base


# Kept inputs: each found something once (in ours or in-tree); it runs first,
# in every run, with or without the oracle, and its CHECK(rt, topo, errno,
# extack) says what in-tree does (None) or what went wrong (text).
class Kept:
    def __init__(self, inp, check, why):
        self.inp, self.check, self.why = inp, check, why


def run_corpus(impl, rt, km, topo, corpus, apply, log):
    fails = []
    for k in corpus:
        err, ext = apply(rt, topo, k.inp)
        bad = k.check(rt, topo, err, ext)
        splat = km.splats() if km else []
        if splat:
            bad = (bad + "; " if bad else "") + "kernel report: " + splat[0]
        if bad:
            fails.append("%s: kept input (%s): %s\n    %s" % (impl, k.why, k.inp.desc(), bad))
        if FAST:
            topo.rebuild_fast()
        else:
            topo.restore()
    if corpus:
        log("  %s: %d kept inputs, %d failed" % (impl, len(corpus), len(fails)))
    return fails


def read_file(path):
    return _read(path)


# FAST (the debug kernel, where a snapshot takes seconds): a crash hunt.
# No snapshots, so no state comparison; the baseline is rebuilt every
# FAST_EVERY inputs and in between the state drifts with what is accepted.
FAST = False
FAST_EVERY = 25


def run_fast(impl, rt, km, topo, inputs, apply, budget, log, verbose=False):
    recs = []
    t0 = time.time()
    for i, inp in enumerate(inputs):
        if time.time() - t0 > budget:
            log("  %s: time budget of %ds spent after %d inputs" % (impl, budget, i))
            break
        if i and i % FAST_EVERY == 0:
            topo.rebuild_fast()
        r = Record(i, inp.desc())
        err, ext = apply(rt, topo, inp)
        r.res, r.ext = errname(err), ext
        r.splat = km.splats() if km else []
        if r.splat:
            log("  %s: kernel report after input %d: %s" % (impl, i, r.splat[0]))
        if verbose:
            log("  [%s %d] %s -> %s %s" % (impl, i, r.desc[:150], r.res, r.ext))
        recs.append(r)
    log("  %s: %d inputs in %.1fs, fast mode (no snapshots), %d rebuilds" % (
        impl, len(recs), time.time() - t0, topo.rebuilds))
    return recs


def run_records(impl, rt, km, topo, inputs, apply, budget, log, verbose=False):
    """Run each input with APPLY(rt, topo, inp) -> (errno, extack), snapshot
    before and after; restore the baseline after a change. A refusal that
    changed something is replayed once from the baseline, to make sure the
    input (not a monitor) did it. KM (a Kmsg, or None) flags kernel reports."""
    if FAST:
        return run_fast(impl, rt, km, topo, inputs, apply, budget, log, verbose)
    before = topo.base
    recs = []
    trest = 0.0
    t0 = time.time()
    for i, inp in enumerate(inputs):
        if time.time() - t0 > budget:
            log("  %s: time budget of %ds spent after %d inputs" % (impl, budget, i))
            break
        r = Record(i, inp.desc())
        ti = time.time()
        err, ext = apply(rt, topo, inp)
        tapply = time.time() - ti
        r.res, r.ext = errname(err), ext
        after = snapshot(rt)
        d = diff(before, after)
        if err and d:
            # replay from the baseline: does the input itself change state?
            topo.restore(after)
            b2 = snapshot(rt)
            err2, _ = apply(rt, topo, inp)
            a2 = snapshot(rt)
            d2 = diff(b2, a2)
            if err2 and d2:
                r.changed = d2
            elif err2:
                r.note = "a change seen once, not on replay"
            after = a2
        elif not err:
            r.accepted_diff = d
        r.splat = km.splats() if km else []
        if r.splat:
            log("  %s: kernel report after input %d: %s" % (impl, i, r.splat[0]))
        if verbose:
            log("  [%s %d %.0fms/%.0fms] %s -> %s %s%s" % (
                impl, i, tapply * 1000, (time.time() - ti) * 1000, r.desc[:150], r.res, r.ext,
                " CHANGED" if r.changed else ""))
        recs.append(r)
        t1 = time.time()
        before = topo.restore(after) if (topo.differs(after) or topo.extra_links(after)) else after
        trest += time.time() - t1
    log("  %s: %d inputs in %.1fs (%.1fs restoring), %d restores, %d rebuilds" % (
        impl, len(recs), time.time() - t0, trest, topo.restores, topo.rebuilds))
    return recs


def record_to_json(r):
    return {k: getattr(r, k) for k in Record.__slots__}


def record_from_json(j):
    r = Record(j["i"], j["desc"])
    for k in Record.__slots__:
        v = j[k]
        if k in ("changed", "accepted_diff"):
            v = {kk: tuple(vv) for kk, vv in v.items()}
        setattr(r, k, v)
    return r


# ---- comparing the module under test with the in-tree one ---------------------

# Link state, not configuration: an accepted input may move it in one run and
# not (yet) in the other (a monitor's timing), so it is left out when the
# effects of an accepted input are compared.
DYNAMIC = ("MII_STATUS", "mii_status", "MII Status", "slave_data STATE", "bonding_slave/state",
           "ACTIVE_SLAVE", "active_slave", "Currently Active Slave", " flags", " OPERSTATE",
           " CARRIER", " LINKMODE", "Speed", "Duplex")


def config_key(k):
    return not volatile(k) and not any(s in k for s in DYNAMIC)


def pattern(k):
    p = k.split(" ")
    if p[0] in ("link", "sysfs") and len(p) > 1:
        p[1] = "*"
    if p[0] == "proc" and len(p) > 2:
        p[1] = "*"
        if p[2] != "bond":
            p[2] = "*"
    return " ".join(p)


def summary(impl, recs):
    refused = sum(1 for r in recs if r.res != "ok")
    changed = sum(1 for r in recs if r.changed)
    return "%s: tried %d, refused %d, accepted %d, state-changes-on-refusal %s" % (
        impl, len(recs), refused, len(recs) - refused,
        changed if not FAST else "not measured (fast mode: no snapshots)")


def intree_notes(inputs, recs):
    """Notes on in-tree's refusals that change state (not failures)."""
    notes = []
    odd = [r for r in recs if r.changed]
    for r in odd[:6]:
        notes.append("in-tree changes state on refusal (%s) of input %d: %s:\n%s" % (
            r.res, r.i, inputs[r.i].desc(), show_diff(r.changed, 6)))
    if len(odd) > 6:
        notes.append("... and %d more in-tree refusals that change state" % (len(odd) - 6))
    return notes


def compare(inputs, ro, rt, base_o, base_t, exempt, deliberate):
    """Ours' records RO against in-tree's RT (same inputs): (problems,
    divergences, notes, exempt count, deliberate count); see differential."""
    problems, divergences = [], []
    notes = intree_notes(inputs, rt)
    exempt_n = deliberate_n = 0
    pat_o = {pattern(k) for k in base_o}
    pat_t = {pattern(k) for k in base_t}

    def input_text(i):
        return "input %d: %s" % (i, inputs[i].desc())

    def outcome(r):
        return r.res + (" (%s)" % r.ext if r.ext else "")

    def comparable(k, v):
        if k.startswith("link ") and k.endswith(" ADDRESS") and v[0] is None:
            return False                        # a new bond's random address
        return config_key(k) and pattern(k) in pat_o and pattern(k) in pat_t

    for o, t in zip(ro, rt):
        inp = inputs[o.i]
        ex = exempt(inp) if exempt else None
        if o.changed:
            extra = {k: v for k, v in o.changed.items() if k not in t.changed}
            if extra:
                problems.append("ours changes state on refusal (ours %s, in-tree %s%s): %s\n%s" % (
                    o.res, t.res, ", which changes other things" if t.changed else "",
                    input_text(o.i), show_diff(extra, 8)))
        if ex == "ours-only":
            exempt_n += 1
            continue
        if o.res != t.res:
            if ex and o.res in ex:
                exempt_n += 1
                continue
            why = deliberate(inp, o, t) if deliberate else None
            if why:
                deliberate_n += 1
                notes.append("deliberate (%s): ours %s, in-tree %s: %s" % (
                    why, outcome(o), outcome(t), input_text(o.i)))
                continue
            text = "ours %s, in-tree %s: %s" % (outcome(o), outcome(t), input_text(o.i))
            if o.res == "ok":
                problems.append("ours accepts what in-tree refuses: " + text)
            elif t.res != "ok":
                divergences.append("errno: " + text)
            elif getattr(inp, "clean", False):
                problems.append("ours refuses a well-formed input in-tree accepts: " + text)
            else:
                divergences.append("ours stricter: " + text)
            continue
        if o.res != "ok" and o.ext != t.ext and not ex:
            divergences.append("extack: ours %r, in-tree %r, both %s: %s" % (
                o.ext, t.ext, o.res, input_text(o.i)))
        if o.res == "ok":
            do = {k: v for k, v in o.accepted_diff.items() if comparable(k, v)}
            dt = {k: v for k, v in t.accepted_diff.items() if comparable(k, v)}
            if do != dt:
                both = set(do) | set(dt)
                problems.append("accepted by both, different effect: %s\n%s" % (
                    input_text(o.i), "\n".join(
                        "    %s: ours %r, in-tree %r" % (k, do.get(k), dt.get(k))
                        for k in sorted(both) if do.get(k) != dt.get(k))[:1500]))
    return problems, divergences, notes, exempt_n, deliberate_n


def differential(name, a, inputs, setup, apply, exempt, log, atomic=None, deliberate=None,
                 corpus=()):
    """Run INPUTS against a.impl and, with a.oracle, the in-tree module;
    print the counts, the problems and the divergences; return 0 if there is
    no problem (and, with a.strict, no divergence), 1 otherwise.

    Problems (bugs in ours, or the test fails): a kernel report; a refusal
    that changes state in ours where in-tree's refusal of the same input
    changes less; an input ours accepts and in-tree refuses; an input both
    accept with different effects; a well-formed input (inp.clean: a value
    as ip(8) or echo would send it) ours refuses and in-tree accepts.
    Divergences (reported): both refuse with different errnos or extacks;
    ours refuses a malformed input that in-tree's laxer parsing accepts.

    EXEMPT(input) -> None, or the set of results ours may give for an input
    that uses what ours does not implement ("EOPNOTSUPP", "ENOENT"), or
    "ours-only" for what only ours has (not compared; its refusals must
    still change nothing). DELIBERATE(input, ours, intree) -> the reason of
    a known, intended difference, or None. ATOMIC(input): without an oracle,
    a refusal of this input must change nothing (in-tree semantics: a
    message's attributes apply in order up to the first refused one).
    CORPUS: kept inputs (Kept), run first in every run, each with its own
    check of what in-tree does; a failed check is a problem."""
    global FAST
    impls = [a.impl]
    if a.oracle and a.impl != "intree":
        impls.append("intree")
    FAST = bool(getattr(a, "fast", False)) and len(impls) == 1
    res, bases = {}, {}
    corpus_failures = []
    for impl in impls:
        if impl == "intree" and a.impl in res:
            inputs_run = inputs[:len(res[a.impl])]     # the oracle: what ours got through
        else:
            inputs_run = inputs
        log("# %s: %d inputs against %s" % (name, len(inputs_run), impl))
        try:
            res[impl], bases[impl] = run_inputs(impl, inputs_run, setup, apply, a.budget, log,
                                                a.verbose, corpus, corpus_failures)
        except Exception as e:  # noqa: BLE001
            log("HARNESS: %s run failed: %r" % (impl, e))
            import traceback
            traceback.print_exc()
            return 2
    problems, divergences, notes = list(corpus_failures), [], []
    for impl in impls:
        for r in res[impl]:
            if r.splat:
                problems.append("%s: kernel report after input %d: %s:\n    %s" % (
                    impl, r.i, inputs[r.i].desc(), "\n    ".join(r.splat[:6])))
    exempt_n = deliberate_n = 0
    if len(impls) == 2:
        p, d, n, exempt_n, deliberate_n = compare(inputs, res[impls[0]], res["intree"],
                                                  bases[impls[0]], bases["intree"],
                                                  exempt, deliberate)
        problems += p
        divergences += d
        notes += n
    elif a.impl != "intree":
        # no oracle: ours against its own promises
        for r in res[a.impl]:
            if atomic and r.changed and atomic(inputs[r.i]):
                problems.append("%s changes state on refusal (%s) of a single setting: "
                                "input %d: %s\n%s" % (a.impl, r.res, r.i, inputs[r.i].desc(),
                                                      show_diff(r.changed, 8)))
            ex = exempt(inputs[r.i]) if exempt else None
            if isinstance(ex, set) and r.res == "ok":
                problems.append("%s accepts a setting it does not implement (its README: "
                                "refused, never silently accepted): input %d: %s" % (
                                    a.impl, r.i, inputs[r.i].desc()))
    elif "intree" in res:
        notes += intree_notes(inputs, res["intree"])
    for n in notes:
        log("# note: " + n)
    for d in divergences:
        log("DIVERGENCE: " + d)
    for p in problems:
        log("PROBLEM: " + p)
    line = "%s seed=%d: %s" % (name, a.seed, "; ".join(summary(i, res[i]) for i in impls))
    if len(impls) == 2:
        line += ("; compared with in-tree: %d problems, %d divergences, %d exempt "
                 "(not implemented in ours, or ours only), %d deliberate") % (
            len(problems), len(divergences), exempt_n, deliberate_n)
    else:
        line += "; %d problems" % len(problems)
    log(line)
    if problems or (divergences and getattr(a, "strict", False)):
        return 1
    return 0
