#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A seeded churn campaign against bonding.ko, run inside the test VM.

    /usr/bin/python3 tests/stress/stress.py --seeds "N [N...]" --duration S

For each seed: load the module with load-time parameters drawn from the seed,
build five bonds over veth pairs into a peer namespace (a bridge there
answers pings) and dummies, and let concurrent workers churn them for S
seconds of wall time while traffic runs. Every worker draws its ops from its
own random stream, random.Random("SEED/WORKER") in the first epoch and
"SEED/WORKER/EPOCH" in the later ones (below), one op kind and one op seed
per step, so a seed reproduces each worker's op sequence; what an op finds
(which slaves a bond has now, say) depends on the interleaving.

A sixth bond, bond5, is 802.3ad with a live LACP partner: its ports sl0..
are veths whose peers pl0.. in namespace stlacp are the ports of pbond0, an
802.3ad bond of the same module there, so that LACPDUs flow both ways and
the ports aggregate. The lacp workers churn both ends (options, port
priorities, links, modes, ports taken away, the partner's life, the other
workers' ops aimed at bond5) and flood the ports with crafted LACPDUs and
Markers. At the start and the end of every epoch both ends are put back to a
plain 802.3ad pair, which must aggregate all its ports and carry pings
within LACP_SETTLE s (else a violation).

Long campaigns are cut into epochs of about 100 s: between two, the module
is unloaded (sometimes with bonds still up: rmmod must remove them) and
loaded again with new parameters. At the end everything is deleted, the
module removed, kmemleak scanned, the kernel log since the campaign began
checked with tests/vm/splat.sh, and one line printed:

    stress: seed=N duration=Ns impl=ours ops=N refusals=N splats=N leaks=N
            hangs=N violations=N errors=N rmmod=ok result=ok

A refusal (an op the kernel or ip refused) is normal and counted. The
campaign fails on a kernel report (splat), a kmemleak report (leak), an op
that outlived its timeout or got stuck (hang), a broken invariant
(violation: a bond moved to another namespace, a device still marked a
slave after every bond is gone, the module still there after rmmod), a bug
of this program (error), or a failed rmmod. On a hang the VM cannot be
cleaned up: the line is printed with result=FAIL, the blocked tasks are
dumped, and the VM is rebooted at once (rc and dmesg.log written for
tests/vm/run.sh).

Files, in /run/vmout (the VM's VM_OUT): stress-SEED.ops.log (every op, with
its worker, time on the kernel log's clock, outcome and latency),
stress-SEED.kmsg.log (the kernel log of the campaign), stress-SEED.kmemleak.log.
"""
import argparse
import ctypes
import errno
import fcntl
import glob
import json
import mmap
import os
import random
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import traceback

PROJ = os.environ.get("PROJ") or os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, PROJ + "/tests/tools/lacp")
import bond_xstats  # noqa: E402  (the 802.3ad xstats request)
OUT = "/run/vmout" if os.path.isdir("/run/vmout") else "/tmp"
IMPL = os.environ.get("BOND_IMPL", "ours")
MODPROBE_DIR = os.environ.get("BOND_MODPROBE_DIR", "/run/bond-modprobe.d")

BONDS = ["bond%d" % i for i in range(5)]
LBOND = "bond5"             # 802.3ad over LVETHS, PBOND its partner; the lacp workers' own
OBONDS = ["obond0", "obond1"]           # bonds made inside the other namespace
PBOND = "pbond0"                        # the LACP partner: an 802.3ad bond in LACPNS
VETHS = ["sv%d" % i for i in range(10)]  # peers pv0.. are ports of br0 in PEER
DUMMIES = ["sd%d" % i for i in range(3)]
LVETHS = ["sl%d" % i for i in range(4)]  # peers pl0.. are PBOND's ports in LACPNS
SLAVES = VETHS + DUMMIES      # the other workers' slaves (the pair's: op_lacp_steal)
MACVLANS = ["smv0", "smv1", "smv2"]
PEER, OTHER, LACPNS = "stpeer", "stother", "stlacp"
MODES = ["balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad",
         "balance-tlb", "balance-alb"]
IFF_SLAVE = 0x800
KMEMLEAK = "/sys/kernel/debug/kmemleak"


def ours(dev):
    """A device this program makes (not lo, not a namespace's fallback tunnels)."""
    return re.match(r"(sv|pv|sd|sl|pl|bond|obond|pbond|smv)\d|br0$", dev) is not None


def bidx(bond):
    m = re.match(r"bond(\d)", bond)
    return int(m.group(1)) if m else 0


# Bond i lives in 198.51.100.16i/28 and 2001:db8:i::/64; the peer's bridge
# answers at .2/::2; nothing answers at .9/::9 (a dead ARP/NS target).
def bond_ip(i): return "198.51.100.%d" % (16 * i + 1)
def peer_ip(i): return "198.51.100.%d" % (16 * i + 2)
def dead_ip(i): return "198.51.100.%d" % (16 * i + 9)
def bond_ip6(i): return "2001:db8:%d::1" % i
def peer_ip6(i): return "2001:db8:%d::2" % i
def dead_ip6(i): return "2001:db8:%d::9" % i


def mono():
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def wall():
    """Seconds of real time. The debug kernel under TCG has no usable TSC and
    counts time in jiffies, which fall behind when the host is busy (its
    seconds can last two of the host's): durations go by the RTC, which QEMU
    keeps on the host's clock."""
    try:
        return int(rd("/sys/class/rtc/rtc0/since_epoch"))
    except ValueError:
        return int(time.time())


def rd(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def exists(dev, ns=None):
    if ns is None:
        return os.path.exists("/sys/class/net/%s" % dev)
    return dev in ns_links(ns)


def slaves_of(bond):
    return rd("/sys/class/net/%s/bonding/slaves" % bond).split()


def main_bonds():
    return sorted(os.path.basename(os.path.dirname(p)) for p in glob.glob("/sys/class/net/*/bonding"))


def ns_links(ns):
    """The names of namespace ns's links (none if it is gone), by a netlink dump."""
    return list(ns_indexes(ns))


def ns_indexes(ns):
    """{name: ifindex} of namespace ns's links ({} if it is gone), by a netlink
    dump: if_nametoindex() of a missing name costs a modprobe."""
    names = {}
    try:
        with InNs(ns):
            sock = nl_socket()
        try:
            body = ifinfo()
            sock.send(struct.pack("IHHII", 16 + len(body), RTM_GETLINK,
                                  NLM_F_REQUEST | NLM_F_DUMP, 1, 0) + body)
            while True:
                data = sock.recv(1 << 20)
                off = 0
                while off + 16 <= len(data):
                    ln, t, _, _, _ = struct.unpack_from("IHHII", data, off)
                    if t in (NLMSG_DONE, NLMSG_ERROR) or ln < 16:
                        return names
                    index = struct.unpack_from("i", data, off + 20)[0]
                    p = off + 32
                    while p + 4 <= off + ln:
                        n, k = struct.unpack_from("HH", data, p)
                        if n < 4:
                            break
                        if k == IFLA_IFNAME:
                            names[data[p + 4:p + n].rstrip(b"\0").decode()] = index
                        p += (n + 3) & ~3
                    off += (ln + 3) & ~3
        finally:
            sock.close()
    except OSError:
        return names


def cpu_stat():
    """The machine's cpu jiffies so far: user nice system idle iowait irq softirq ..."""
    return [int(x) for x in rd("/proc/stat").split("\n")[0].split()[1:8]]


def task_times():
    """{(pid, tid, comm): cpu ticks} of every task now."""
    out = {}
    for path in glob.glob("/proc/[0-9]*/task/[0-9]*/stat"):
        st = rd(path)
        if not st:
            continue
        comm = st[st.index("(") + 1:st.rindex(")")]
        f = st[st.rindex(")") + 2:].split()
        parts = path.split("/")
        out[(parts[2], parts[4], comm)] = int(f[11]) + int(f[12])
    return out


def kmsg(text):
    try:
        with open("/dev/kmsg", "w") as f:
            f.write(text + "\n")
    except OSError:
        pass


# ---------------------------------------------------------------------------
# rtnetlink, in-process: an `ip` exec costs 0.1-0.2 s on TCG (more on the
# debug kernel), a netlink request a millisecond. The ops send most link
# changes this way and a share through ip(8), the same requests either way
# (ip also checks its arguments first; raw netlink also sends what ip would
# not: out-of-range numbers, attributes of the wrong size).

NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL, NLM_F_CREATE, NLM_F_DUMP = 1, 4, 0x200, 0x400, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
RTM_NEWLINK, RTM_DELLINK, RTM_GETLINK, RTM_SETLINK, RTM_NEWADDR = 16, 17, 18, 19, 20
IFLA_LINK, IFLA_PROTINFO, IFLA_CARRIER, IFLA_BRPORT_STATE = 5, 12, 33, 1
VETH_INFO_PEER, IFLA_VLAN_ID, IFLA_MACVLAN_MODE, MACVLAN_MODE_BRIDGE = 1, 1, 1, 4
IFF_PROMISC, IFF_ALLMULTI, AF_BRIDGE = 0x100, 0x200, 7
IFA_ADDRESS, IFA_LOCAL, IFA_FLAGS, IFA_F_NODAD = 1, 2, 8, 2
IFLA_ADDRESS, IFLA_IFNAME, IFLA_MTU, IFLA_MASTER, IFLA_LINKINFO = 1, 3, 4, 10, 18
IFLA_NET_NS_PID, IFLA_NET_NS_FD, IFLA_EXT_MASK = 19, 28, 29
IFLA_INFO_KIND, IFLA_INFO_DATA, IFLA_INFO_SLAVE_KIND, IFLA_INFO_SLAVE_DATA = 1, 2, 4, 5
IFF_UP = 1
IFLA_XDP, IFLA_XDP_FD, IFLA_XDP_FLAGS = 43, 1, 3
CLONE_NEWNET = 0x40000000
LIBC = ctypes.CDLL(None, use_errno=True)
INIT_NS = os.open("/proc/self/ns/net", os.O_RDONLY)

# ip(8) keyword -> (IFLA_BOND_* attribute, type, names of the values)
BOND_NL = {
    "mode": (1, "B", MODES), "active_slave": (2, "I", "ifindex"),
    "clear_active_slave": (2, "I", "zero"),
    "miimon": (3, "I", None), "updelay": (4, "I", None), "downdelay": (5, "I", None),
    "use_carrier": (6, "B", None), "arp_interval": (7, "I", None),
    "arp_ip_target": (8, "v4", None),
    "arp_validate": (9, "I", ["none", "active", "backup", "all", "filter", "filter_active",
                              "filter_backup"]),
    "arp_all_targets": (10, "I", ["any", "all"]), "primary": (11, "I", "ifindex"),
    "primary_reselect": (12, "B", ["always", "better", "failure"]),
    "fail_over_mac": (13, "B", ["none", "active", "follow"]),
    "xmit_hash_policy": (14, "B", ["layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4",
                                   "vlan+srcmac"]),
    "resend_igmp": (15, "I", None), "num_grat_arp": (16, "B", None),
    "num_unsol_na": (16, "B", None), "all_slaves_active": (17, "B", None),
    "min_links": (18, "I", None), "lp_interval": (19, "I", None),
    "packets_per_slave": (20, "I", None), "lacp_rate": (21, "B", ["slow", "fast"]),
    "ad_select": (22, "B", ["stable", "bandwidth", "count"]),
    "ad_actor_sys_prio": (24, "H", None), "ad_user_port_key": (25, "H", None),
    "ad_actor_system": (26, "mac", None), "tlb_dynamic_lb": (27, "B", None),
    "peer_notify_delay": (28, "I", None), "lacp_active": (29, "B", ["off", "on"]),
    "arp_missed_max": (30, "B", None), "ns_ip6_target": (31, "v6", None),
    "coupled_control": (32, "B", None),
}
# actor_port_prio: IFLA_BOND_SLAVE_ACTOR_PORT_PRIO (6.18 headers); a kernel
# whose headers lack it ignores the attribute
BOND_SLAVE_NL = {"queue_id": (5, "H"), "prio": (9, "i"), "actor_port_prio": (10, "H")}


def nla(kind, payload):
    n = 4 + len(payload)
    return struct.pack("HH", n, kind) + payload + b"\0" * (-n % 4)


def ifinfo(index=0, flags=0, change=0):
    return struct.pack("BxHiII", socket.AF_UNSPEC, 0, index, flags, change)


def nl_index(name):
    """name's ifindex in this thread's namespace; a missing one gets an
    index nobody has, for the kernel to refuse."""
    try:
        return socket.if_nametoindex(name)
    except OSError:
        return 0x7ffffff0


def nl_value(kind, typ, names, value, r):
    """One bond option as its netlink payload, or None when it has no netlink
    form (a word ip would reject)."""
    if names == "ifindex":
        return struct.pack("I", nl_index(value))
    if names == "zero":
        return struct.pack("I", 0)
    if typ == "v4":
        try:
            return b"".join(nla(i, socket.inet_aton(a)) for i, a in enumerate(value.split(",")))
        except OSError:
            return None
    if typ == "v6":
        try:
            return b"".join(nla(i, socket.inet_pton(socket.AF_INET6, a))
                            for i, a in enumerate(value.split(",")))
        except OSError:
            return None
    if typ == "mac":
        try:
            return bytes(int(x, 16) for x in value.split(":"))
        except ValueError:
            return None
    if names and value in names:
        n = names.index(value)
    else:
        try:
            n = int(value)
        except ValueError:
            return None
    size = {"B": 1, "H": 2, "I": 4, "i": 4}[typ]
    data = (n & ((1 << 8 * size) - 1)).to_bytes(size, "little")
    if r.random() < 0.04:
        data = r.choice([data[:1], data + b"\0\0\0\0", b""])     # the wrong size
        WRONG_SIZE[0] = True
    return data


WRONG_SIZE = [False]        # set when bond_nla sent an attribute of the wrong size


def bond_nla(args, r, slave=False):
    """ip-style ["miimon", "100", ...] as IFLA_INFO_DATA (or _SLAVE_DATA); None
    when one of them has no netlink form."""
    out = b""
    i = 0
    table = BOND_SLAVE_NL if slave else BOND_NL
    while i < len(args):
        key = args[i]
        if key == "clear_active_slave":
            out += nla(2, struct.pack("I", 0))
            i += 1
            continue
        if key not in table or i + 1 >= len(args):
            return None
        if slave:
            attr, typ = table[key]
            try:
                n = int(args[i + 1])
            except ValueError:
                return None
            size = {"H": 2, "i": 4}[typ]
            out += nla(attr, (n & ((1 << 8 * size) - 1)).to_bytes(size, "little"))
        else:
            attr, typ, names = table[key]
            data = nl_value(key, typ, names, args[i + 1], r)
            if data is None:
                return None
            out += nla(attr | (0x8000 if typ in ("v4", "v6") else 0), data)
        i += 2
    kinds = (IFLA_INFO_SLAVE_KIND, IFLA_INFO_SLAVE_DATA) if slave else (IFLA_INFO_KIND,
                                                                         IFLA_INFO_DATA)
    return nla(IFLA_LINKINFO, nla(kinds[0], b"bond\0") + nla(kinds[1] | 0x8000, out))


def nl_request(sock, mtype, flags, body, seq):
    """Send one request, return (errno, extack message)."""
    sock.send(struct.pack("IHHII", 16 + len(body), mtype, flags | NLM_F_REQUEST | NLM_F_ACK,
                          seq, 0) + body)
    while True:
        data = sock.recv(65536)
        off = 0
        while off + 16 <= len(data):
            ln, t, fl, sq, _ = struct.unpack_from("IHHII", data, off)
            if t == NLMSG_ERROR and sq == seq:
                err = -struct.unpack_from("i", data, off + 16)[0]
                text, p = "", off + 36
                while fl & 0x200 and p + 4 <= off + ln:      # NLM_F_ACK_TLVS
                    n, k = struct.unpack_from("HH", data, p)
                    if n < 4:
                        break
                    if k == 1:
                        text = data[p + 4:p + n].rstrip(b"\0").decode(errors="replace")
                    p += (n + 3) & ~3
                return err, text
            if ln < 16:
                break
            off += (ln + 3) & ~3


def nl_socket():
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    s.setsockopt(270, 10, 1)        # NETLINK_CAP_ACK
    s.setsockopt(270, 11, 1)        # NETLINK_EXT_ACK
    return s


class InNs:
    """This thread in namespace ns for a while (None: stay where it is)."""
    def __init__(self, ns):
        self.ns = ns

    def __enter__(self):
        if self.ns:
            fd = os.open("/run/netns/" + self.ns, os.O_RDONLY)
            try:
                if LIBC.setns(fd, CLONE_NEWNET):
                    raise OSError(ctypes.get_errno(), "setns")
            finally:
                os.close(fd)

    def __exit__(self, *exc):
        if self.ns and LIBC.setns(INIT_NS, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), "setns back")


# ---------------------------------------------------------------------------
# Actors: a worker thread, or the campaign's own setup/teardown. Every op goes
# through one of the primitives below: it is timed, logged and counted, and
# the watchdog can see what it is doing.

class Actor:
    def __init__(self, camp, name):
        self.camp, self.name = camp, name
        self._cur = None        # (description, start) of the op running now
        self.slow_noted = None
        self.tid = threading.get_native_id()
        self.worker = False
        self.sock = None        # for the ioctls
        self.nlsock = None      # rtnetlink, this actor's, in the first namespace
        self.seq = 0

    @property
    def cur(self):
        return self._cur

    @cur.setter
    def cur(self, value):
        self._cur = value
        self.camp.publish(value)

    def _start(self, desc):
        t0 = mono()
        self.cur = (desc, t0)
        return t0

    def stopping(self):
        """A worker's time is up: the rest of its current op is skipped (the
        campaign's own setup and teardown never are)."""
        return self.worker and self.camp.stop.is_set()

    def _done(self, kind, desc, rc, msg, t0):
        self.cur = None
        self.camp.record(self, kind, desc, rc, msg, mono() - t0)
        return rc == 0

    def cmd(self, kind, argv, timeout=None):
        """A command, killed when it outlives the op timeout."""
        if self.stopping():
            return False
        t = timeout or self.camp.op_timeout
        desc = " ".join(argv)
        t0 = self._start(desc)
        try:
            p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, timeout=t)
            rc = p.returncode
            lines = p.stderr.decode(errors="replace").strip().splitlines()
            msg = lines[-1] if lines else ""
        except subprocess.TimeoutExpired:
            rc, msg = 124, "timed out"
        except OSError as e:
            rc, msg = 127, str(e)
        return self._done(kind, desc, rc, msg, t0)

    def ip(self, kind, args, ns=None, timeout=None):
        if isinstance(args, str):
            args = args.split()
        return self.cmd(kind, ["ip"] + (["-n", ns] if ns else []) + list(args), timeout)

    def sh(self, kind, script, ns=None, timeout=None):
        argv = ["sh", "-c", script]
        if ns:
            argv = ["ip", "netns", "exec", ns] + argv
        return self.cmd(kind, argv, timeout)

    def nl(self, kind, desc, mtype, flags, build, ns=None):
        """One rtnetlink request; build() makes its body inside namespace ns
        (names resolve there)."""
        if self.stopping():
            return False
        t0 = self._start("nl " + desc)
        rc, msg = 0, ""
        try:
            self.seq += 1
            if ns:
                with InNs(ns):
                    s = nl_socket()
                    try:
                        body = build()
                        rc, msg = nl_request(s, mtype, flags, body, self.seq)
                    finally:
                        s.close()
            else:
                if self.nlsock is None:
                    self.nlsock = nl_socket()
                rc, msg = nl_request(self.nlsock, mtype, flags, build(), self.seq)
        except OSError as e:
            rc, msg = e.errno or 1, str(e)
        if rc:
            msg = "%s%s" % (errno.errorcode.get(rc, rc), (": " + msg) if msg else "")
        return self._done(kind, "nl " + desc, rc, msg, t0)

    def write(self, kind, path, data):
        if self.stopping():
            return False
        if isinstance(data, str):
            data = data.encode()
        desc = "echo %r > %s" % (data[:40].decode(errors="replace"), path)
        t0 = self._start(desc)
        rc, msg = 0, ""
        try:
            fd = os.open(path, os.O_WRONLY)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
        except OSError as e:
            rc, msg = e.errno or 1, errno.errorcode.get(e.errno, str(e.errno))
        return self._done(kind, desc, rc, msg, t0)

    def ioctl(self, kind, cmd, bond, slave):
        nums = {"enslave": 0x8990, "release": 0x8991, "change_active": 0x8995,
                "info": 0x8994, "slave_info": 0x8993}
        if self.stopping():
            return False
        if self.sock is None:
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        desc = "ioctl %s %s %s" % (cmd, bond, slave)
        t0 = self._start(desc)
        rc, msg = 0, ""
        try:
            if cmd in ("info", "slave_info"):
                buf = bytearray(64)
                if cmd == "slave_info":
                    struct.pack_into("i", buf, 0, int(slave))
                cbuf = (ctypes.c_char * len(buf)).from_buffer(buf)
                fcntl.ioctl(self.sock, nums[cmd],
                            struct.pack("16sP16x", bond.encode(), ctypes.addressof(cbuf)))
            else:
                fcntl.ioctl(self.sock, nums[cmd],
                            struct.pack("16s16s8x", bond.encode(), slave.encode()))
        except OSError as e:
            rc, msg = e.errno or 1, errno.errorcode.get(e.errno, str(e.errno))
        return self._done(kind, desc, rc, msg, t0)

    def reads(self, kind, paths):
        """Read every file in paths; a vanished file is no error."""
        if self.stopping():
            return
        t0 = self._start("%s (%d files)" % (kind, len(paths)))
        n = 0
        slow = (0, "")
        for p in paths:
            t1 = mono()
            try:
                fd = os.open(p, os.O_RDONLY)
                try:
                    while os.read(fd, 65536):
                        pass
                    n += 1
                finally:
                    os.close(fd)
            except OSError:
                pass
            if mono() - t1 > slow[0]:
                slow = (mono() - t1, p)
        self.cur = None
        self.camp.record(self, kind, "%d files, slowest %.2fs %s" % (n, slow[0], slow[1]), 0,
                         "", mono() - t0, log=mono() - t0 > 5)

    def dump(self, kind, ns=None):
        """RTM_GETLINK dump with stats: every bond's fill_info, slave info and
        get_stats, as `ip -d -s link` asks for them."""
        if self.stopping():
            return
        t0 = self._start("nl link dump")
        n, rc = 0, 0
        try:
            with InNs(ns):
                s = nl_socket()
                try:
                    self.seq += 1
                    body = ifinfo() + nla(IFLA_EXT_MASK, struct.pack("I", 1))
                    s.send(struct.pack("IHHII", 16 + len(body), RTM_GETLINK,
                                       NLM_F_REQUEST | NLM_F_DUMP, self.seq, 0) + body)
                    done = False
                    while not done:
                        data = s.recv(1 << 20)
                        off = 0
                        while off + 16 <= len(data):
                            ln, t, _, _, _ = struct.unpack_from("IHHII", data, off)
                            if t in (NLMSG_DONE, NLMSG_ERROR) or ln < 16:
                                done = True
                                break
                            n += 1
                            off += (ln + 3) & ~3
                finally:
                    s.close()
        except OSError as e:
            rc = e.errno or 1
        self.cur = None
        self.camp.record(self, kind, "", rc, "%d links" % n, mono() - t0, log=False)

    def pause(self, secs):
        self.camp.stop.wait(secs)

    # -- link changes, by netlink or (a share of the time) by ip(8)
    def link(self, r, kind, dev, ns=None, up=None, master=None, mtu=None, mac=None, netns=None,
             name=None, bond=None, bond_slave=None, flag=None, carrier=None):
        """`ip link set DEV ...` or the same RTM_NEWLINK sent here. master ""
        is nomaster; netns "1" is the first namespace (pid 1's); flag is
        ("promisc"|"allmulticast", on)."""
        args = []
        if up is not None:
            args.append("up" if up else "down")
        if flag is not None:
            args += [flag[0], "on" if flag[1] else "off"]
        if carrier is not None:
            args += ["carrier", "on" if carrier else "off"]
        if master is not None:
            args += ["master", master] if master else ["nomaster"]
        if mtu is not None:
            args += ["mtu", str(mtu)]
        if mac is not None:
            args += ["address", mac]
        if netns is not None:
            args += ["netns", netns]
        if name is not None:
            args += ["name", name]
        if bond is not None:
            args += ["type", "bond"] + bond
        if bond_slave is not None:
            args += ["type", "bond_slave"] + bond_slave
        via_ip = r.random() < self.camp.ip_share and not (
            set(bond or bond_slave or ()) & {"coupled_control", "actor_port_prio"})
        info = None
        WRONG_SIZE[0] = False
        if bond is not None or bond_slave is not None:
            info = bond_nla(bond if bond is not None else bond_slave, r,
                            slave=bond_slave is not None)
            via_ip = via_ip or info is None
        if via_ip:
            return self.ip(kind, ["link", "set", "dev", dev] + args, ns)

        def build():
            attrs = b""
            index = 0
            if name is not None:
                index = nl_index(dev)
                attrs += nla(IFLA_IFNAME, name.encode() + b"\0")
            else:
                attrs += nla(IFLA_IFNAME, dev.encode() + b"\0")
            if master is not None:
                attrs += nla(IFLA_MASTER, struct.pack("I", nl_index(master) if master else 0))
            if mtu is not None:
                attrs += nla(IFLA_MTU, struct.pack("I", mtu & 0xffffffff))
            if mac is not None:
                attrs += nla(IFLA_ADDRESS, bytes(int(x, 16) for x in mac.split(":")))
            if netns == "1":
                attrs += nla(IFLA_NET_NS_PID, struct.pack("I", 1))
            elif netns is not None:
                fd = os.open("/run/netns/" + netns, os.O_RDONLY)
                self._nsfd = fd
                attrs += nla(IFLA_NET_NS_FD, struct.pack("I", fd))
            if carrier is not None:
                attrs += nla(IFLA_CARRIER, struct.pack("B", carrier))
            if info:
                attrs += info
            flags = IFF_UP if up else 0
            change = IFF_UP if up is not None else 0
            if flag is not None:
                bit = IFF_PROMISC if flag[0] == "promisc" else IFF_ALLMULTI
                flags |= bit if flag[1] else 0
                change |= bit
            return ifinfo(index, flags, change) + attrs
        self._nsfd = None
        try:
            return self.nl(kind, "link set %s %s%s" % (
                dev, " ".join(args), " (an attribute of the wrong size)" if WRONG_SIZE[0] else ""),
                RTM_NEWLINK, 0, build, ns)
        finally:
            if self._nsfd is not None:
                os.close(self._nsfd)

    def link_add_bond(self, r, kind, bond, ns=None, up=False, opts=()):
        opts = list(opts)
        WRONG_SIZE[0] = False
        info = bond_nla(opts, r)
        if r.random() < self.camp.ip_share or info is None:
            return self.ip(kind, ["link", "add", bond] + (["up"] if up else []) +
                           ["type", "bond"] + opts, ns)
        return self.nl(kind, "link add %s%s type bond %s%s" % (
            bond, " up" if up else "", " ".join(opts),
            " (an attribute of the wrong size)" if WRONG_SIZE[0] else ""),
                       RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
                       lambda: ifinfo(0, IFF_UP if up else 0, IFF_UP if up else 0) +
                       nla(IFLA_IFNAME, bond.encode() + b"\0") + info, ns)

    def link_add(self, r, kind, name, ns=None, link=None, info_kind="dummy", data=b"",
                 ip_args=()):
        """`ip link add [link LINK] NAME type INFO_KIND ...` or the same request
        sent here: data is the IFLA_INFO_DATA payload, ip_args the words after
        the type for ip(8)."""
        if r.random() < self.camp.ip_share:
            return self.ip(kind, ["link", "add"] + (["link", link] if link else []) +
                           ["name", name, "type", info_kind] + list(ip_args), ns)

        def build():
            attrs = nla(IFLA_IFNAME, name.encode() + b"\0")
            if link:
                attrs += nla(IFLA_LINK, struct.pack("I", nl_index(link)))
            li = nla(IFLA_INFO_KIND, info_kind.encode() + b"\0")
            if data:
                li += nla(IFLA_INFO_DATA | 0x8000, data)
            return ifinfo() + attrs + nla(IFLA_LINKINFO, li)
        return self.nl(kind, "link add %s%s type %s %s" % (
            ("link %s " % link) if link else "", name, info_kind, " ".join(ip_args)),
            RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, build, ns)

    def veth_add(self, r, kind, name, peer, peer_ns):
        if r.random() < self.camp.ip_share:
            return self.ip(kind, "link add %s type veth peer name %s netns %s" % (name, peer, peer_ns))
        fd = os.open("/run/netns/" + peer_ns, os.O_RDONLY)
        try:
            peer_msg = ifinfo() + nla(IFLA_IFNAME, peer.encode() + b"\0") + \
                nla(IFLA_NET_NS_FD, struct.pack("I", fd))
            return self.nl(kind, "link add %s type veth peer name %s netns %s" % (name, peer, peer_ns),
                           RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
                           lambda: ifinfo() + nla(IFLA_IFNAME, name.encode() + b"\0") + nla(
                               IFLA_LINKINFO, nla(IFLA_INFO_KIND, b"veth\0") + nla(
                                   IFLA_INFO_DATA | 0x8000, nla(VETH_INFO_PEER, peer_msg))))
        finally:
            os.close(fd)

    def brport_state(self, r, kind, port, state, ns):
        """`bridge link set dev PORT state STATE` (0 disabled, 3 forwarding)."""
        if r.random() < self.camp.ip_share:
            return self.cmd(kind, ["bridge", "-n", ns, "link", "set", "dev", port, "state",
                                   str(state)])
        return self.nl(kind, "bridge link set dev %s state %d" % (port, state), RTM_SETLINK, 0,
                       lambda: struct.pack("BxHiII", AF_BRIDGE, 0, nl_index(port), 0, 0) +
                       nla(IFLA_PROTINFO | 0x8000, nla(IFLA_BRPORT_STATE, struct.pack("B", state))),
                       ns)

    def sysctl(self, kind, key, value, ns=None):
        """A sysctl of namespace ns (/proc/sys/net follows the thread's namespace)."""
        if self.stopping():
            return False
        t0 = self._start("sysctl %s=%s" % (key, value))
        rc, msg = 0, ""
        try:
            with InNs(ns):
                with open("/proc/sys/" + key.replace(".", "/"), "w") as f:
                    f.write(value)
        except OSError as e:
            rc, msg = e.errno or 1, str(e)
        return self._done(kind, "sysctl %s=%s%s" % (key, value, " in " + ns if ns else ""),
                          rc, msg, t0)

    def addr(self, r, dev, address, plen, ns=None):
        fam = socket.AF_INET6 if ":" in address else socket.AF_INET
        if r.random() < self.camp.ip_share:
            return self.ip("addr", "addr add %s/%d dev %s%s" % (
                address, plen, dev, " nodad" if fam == socket.AF_INET6 else ""), ns)

        def build():
            raw = socket.inet_pton(fam, address)
            return (struct.pack("BBBBI", fam, plen, 0, 0, nl_index(dev)) +
                    nla(IFA_LOCAL, raw) + nla(IFA_ADDRESS, raw) +
                    nla(IFA_FLAGS, struct.pack("I", IFA_F_NODAD)))
        return self.nl("addr", "addr add %s/%d dev %s" % (address, plen, dev), RTM_NEWADDR,
                       NLM_F_CREATE | NLM_F_EXCL, build, ns)

    def link_del(self, r, kind, dev, ns=None):
        if r.random() < self.camp.ip_share:
            return self.ip(kind, "link del dev %s" % dev, ns)
        return self.nl(kind, "link del %s" % dev, RTM_DELLINK, 0,
                       lambda: ifinfo() + nla(IFLA_IFNAME, dev.encode() + b"\0"), ns)


# ---------------------------------------------------------------------------
# The ops. Each takes (actor, rng): rng is the op's own stream, seeded from
# the worker's, so it may draw as much as it likes.

def set_down(a, r, dev, ns=None):
    return a.link(r, "link-down", dev, ns, up=False)


def enslave(a, r, bond, slave, ns=None):
    how = r.choice(["netlink", "netlink", "netlink1", "sysfs", "sysfs", "ioctl"])
    if ns:
        how = r.choice(["netlink", "netlink1"])
    if how != "netlink1" and r.random() < 0.85:
        set_down(a, r, slave, ns)
    if how == "netlink":
        return a.link(r, "enslave-netlink", slave, ns, master=bond)
    if how == "netlink1":        # down and master in one message
        return a.link(r, "enslave-netlink", slave, ns, up=False, master=bond)
    if how == "sysfs":
        return a.write("enslave-sysfs", "/sys/class/net/%s/bonding/slaves" % bond, "+%s" % slave)
    return a.ioctl("enslave-ioctl", "enslave", bond, slave)


def release(a, r, bond, slave, ns=None):
    how = "netlink" if ns else r.choice(["netlink", "netlink", "sysfs", "ioctl"])
    if how == "netlink":
        return a.link(r, "release-netlink", slave, ns, master="")
    if how == "sysfs":
        return a.write("release-sysfs", "/sys/class/net/%s/bonding/slaves" % bond, "-%s" % slave)
    return a.ioctl("release-ioctl", "release", bond, slave)


def bond_config(a, r, bond):
    """Addresses, a slave or two and up: a new bond's first moments."""
    i = bidx(bond)
    a.addr(r, bond, bond_ip(i), 28)
    a.addr(r, bond, bond_ip6(i), 64)
    for s in r.sample(SLAVES, r.randint(1, 3)):
        enslave(a, r, bond, s)
    if r.random() < 0.9:
        a.link(r, "bond-up", bond, up=True)


def monitor_args(r, bond):
    """Options for a link monitor: none, MII, or ARP/NS with live or dead targets."""
    i = bidx(bond)
    kind = r.choices(["none", "miimon", "arp-live", "arp-dead", "ns-live", "ns-dead"],
                     [1, 3, 2, 4, 1, 1])[0]
    if kind == "none":
        return ["miimon", "0", "arp_interval", "0"]
    if kind == "miimon":
        m = r.choice([10, 50, 100])
        args = ["miimon", str(m)]
        if r.random() < 0.5:
            args += ["updelay", str(m * r.randint(0, 3)), "downdelay", str(m * r.randint(0, 3))]
        return args
    # active-backup's arp_validate all with nobody answering is where the ARP
    # monitor keeps rotating its probe slave: weight it
    val = r.choices(["all", "active", "backup", "none", "filter", "filter_active",
                     "filter_backup"], [4, 1, 1, 1, 1, 1, 1])[0]
    args = ["arp_interval", str(r.choice([20, 50, 100, 200])), "arp_validate", val]
    if kind == "arp-live":
        args += ["arp_ip_target", peer_ip(i) + ("," + dead_ip(i) if r.random() < 0.3 else "")]
    elif kind == "arp-dead":
        args += ["arp_ip_target", dead_ip(i)]
    elif kind == "ns-live":
        args += ["ns_ip6_target", peer_ip6(i)]
    else:
        args += ["ns_ip6_target", dead_ip6(i)]
    if r.random() < 0.3:
        args += ["arp_all_targets", r.choice(["any", "all"])]
    if r.random() < 0.3:
        args += ["arp_missed_max", str(r.randint(1, 5))]
    return args


def op_reconfigure(a, r, bond=None):
    """down, release every slave, new mode and monitor, enslave, up."""
    bond = bond or r.choice(BONDS)
    mode = r.choices(MODES, [2, 5, 2, 2, 1, 2, 2])[0]
    set_down(a, r, bond)
    for s in slaves_of(bond):
        release(a, r, bond, s)
    if r.random() < 0.4:
        a.write("mode-sysfs", "/sys/class/net/%s/bonding/mode" % bond, mode)
    else:
        a.link(r, "mode-netlink", bond, bond=["mode", mode])
    a.link(r, "monitor", bond, bond=monitor_args(r, bond))
    for s in r.sample(SLAVES, r.randint(1, 4)):
        enslave(a, r, bond, s)
    if r.random() < 0.9:
        a.link(r, "bond-up", bond, up=True)


def op_arp_probe_scenario(a, r):
    """active-backup, ARP monitor, arp_validate, nobody answering: the monitor
    keeps rotating its probe slave. Then one of the slaves goes away: deleted,
    released, moved to another namespace."""
    bond = r.choice(BONDS)
    i = bidx(bond)
    set_down(a, r, bond)
    for s in slaves_of(bond):
        release(a, r, bond, s)
    a.link(r, "mode-netlink", bond, bond=["mode", "active-backup"])
    targets = dead_ip(i) if r.random() < 0.8 else "%s,%s" % (dead_ip(i), peer_ip(i))
    a.link(r, "monitor", bond, bond=[
        "arp_interval", str(r.choice([20, 50, 100])), "arp_ip_target", targets,
        "arp_validate", r.choice(["all", "all", "active", "backup", "filter_backup"])])
    mine = r.sample(VETHS, r.randint(2, 3))
    for s in mine:
        enslave(a, r, bond, s)
    a.link(r, "bond-up", bond, up=True)
    a.pause(r.uniform(0.1, 2))
    victim = r.choice(mine)
    k = r.randint(0, 5)
    if k <= 2:
        a.link_del(r, "slave-del", victim)
    elif k == 3:
        release(a, r, bond, victim)
    elif k == 4:
        a.link(r, "netns-slave-out", victim, netns=OTHER)
    else:
        a.link_del(r, "bond-del-netlink", bond)


def op_mode_bare(a, r, bond=None):
    """A mode change as it comes: refused while up or with slaves."""
    bond = bond or r.choice(BONDS)
    mode = r.choice(MODES + [str(n) for n in range(7)] + ["7", "foo", "802.3AD", "4 junk", " 4 "])
    if r.random() < 0.5:
        a.write("mode-sysfs", "/sys/class/net/%s/bonding/mode" % bond, mode)
    else:
        a.link(r, "mode-netlink", bond, bond=["mode", mode.strip()])


def op_mode_with_opts(a, r, bond=None):
    """mode plus options in one message: changelink stops at the first error."""
    bond = bond or r.choice(BONDS)
    args = ["mode", r.choice(MODES)] + monitor_args(r, bond)
    if r.random() < 0.3:
        args += ["miimon", "100"]       # with arp_interval: EINVAL
    a.link(r, "mode-netlink", bond, bond=args)


# option: (sysfs file, ip keyword or None, valid values, invalid values)
OPTIONS = [
    ("miimon", "miimon", ["0", "1", "50", "100", "200"], ["-1", "2147483648", "1e3", "0x10", "x"]),
    ("updelay", "updelay", ["0", "100", "150", "200"], ["-1", "y"]),
    ("downdelay", "downdelay", ["0", "100", "150", "200"], ["-1", "y"]),
    ("peer_notif_delay", "peer_notify_delay", ["0", "100", "300"], ["-1", "300001"]),
    ("use_carrier", "use_carrier", ["0", "1"], ["2"]),
    ("arp_interval", "arp_interval", ["0", "20", "100", "250"], ["-1", "x"]),
    ("arp_validate", "arp_validate", ["none", "active", "backup", "all", "filter", "filter_active",
                                      "filter_backup", "0", "3", "6"], ["7", "bogus"]),
    ("arp_all_targets", "arp_all_targets", ["any", "all", "0", "1"], ["2", "x"]),
    ("arp_missed_max", "arp_missed_max", ["1", "2", "3", "255"], ["0", "256"]),
    ("primary_reselect", "primary_reselect", ["always", "better", "failure"], ["3", "x"]),
    ("fail_over_mac", "fail_over_mac", ["none", "active", "follow"], ["3", "x"]),
    ("xmit_hash_policy", "xmit_hash_policy", ["layer2", "layer2+3", "layer3+4", "encap2+3",
                                              "encap3+4", "vlan+srcmac"], ["layer9", "6"]),
    ("resend_igmp", "resend_igmp", ["0", "1", "255"], ["256"]),
    ("num_grat_arp", "num_grat_arp", ["0", "1", "255"], ["256"]),
    ("num_unsol_na", "num_unsol_na", ["0", "1", "255"], ["256"]),
    ("all_slaves_active", "all_slaves_active", ["0", "1"], ["2"]),
    ("min_links", "min_links", ["0", "1", "2", "3"], ["-1"]),
    ("lp_interval", "lp_interval", ["1", "100"], ["0"]),
    ("packets_per_slave", "packets_per_slave", ["0", "1", "3", "65535"], ["65536", "-1"]),
    ("tlb_dynamic_lb", "tlb_dynamic_lb", ["0", "1"], ["2"]),
    ("lacp_rate", "lacp_rate", ["slow", "fast"], ["x"]),
    ("lacp_active", "lacp_active", ["on", "off"], ["x"]),
    ("ad_select", "ad_select", ["stable", "bandwidth", "count"], ["x"]),
    ("ad_user_port_key", "ad_user_port_key", ["0", "1023"], ["1024"]),
    ("ad_actor_sys_prio", "ad_actor_sys_prio", ["1", "65535"], ["0", "65536"]),
    ("ad_actor_system", "ad_actor_system", ["02:00:00:00:00:01", "00:00:00:00:00:00"],
     ["01:00:5e:00:00:01", "zz:zz"]),
    ("coupled_control", "coupled_control", ["0", "1"], ["2"]),
]
WEIRD = ["\0", "x" * 4096, "\n", " 100 ", "", "+", "-", "18446744073709551620"]


def op_option(a, r, bond=None):
    bond = bond or r.choice(BONDS)
    name, kw, good, bad = r.choice(OPTIONS)
    roll = r.random()
    value = r.choice(good) if roll < 0.7 else r.choice(bad) if roll < 0.93 else r.choice(WEIRD)
    if kw and r.random() < 0.5 and "\0" not in value and value.strip():
        args = [kw, value.strip()]
        if r.random() < 0.3:            # two in one message
            name2, kw2, good2, bad2 = r.choice(OPTIONS)
            args += [kw2, r.choice(good2 + bad2)]
        a.link(r, "option-netlink", bond, bond=args)
    else:
        a.write("option-sysfs", "/sys/class/net/%s/bonding/%s" % (bond, name), value)


def op_targets(a, r, bond=None):
    """ARP/NS target lists: sysfs +/-, a netlink list, and (ours) a slave's own."""
    bond = bond or r.choice(BONDS)
    i = bidx(bond)
    v4 = r.choice([peer_ip(i), dead_ip(i), dead_ip(i), "0.0.0.0", "255.255.255.255",
                   "300.1.1.1", "127.0.0.1", ""])
    v6 = r.choice([peer_ip6(i), dead_ip6(i), "::", "ff02::1", "::1", "fe80::1"])
    k = r.randint(0, 5)
    if k == 0:
        a.write("target-sysfs", "/sys/class/net/%s/bonding/arp_ip_target" % bond,
                r.choice("+-") + v4)
    elif k == 1:
        a.write("target-sysfs", "/sys/class/net/%s/bonding/ns_ip6_target" % bond,
                r.choice("+-") + v6)
    elif k == 2:
        n = r.choice([1, 2, 16, 17])
        lst = ",".join(["198.51.100.%d" % (16 * i + 3 + j % 13) if j else peer_ip(i)
                        for j in range(n)])
        a.link(r, "target-netlink", bond, bond=["arp_ip_target", lst])
    elif k == 3:
        a.link(r, "target-netlink", bond, bond=["ns_ip6_target", v6])
    else:
        # per-slave targets: our extension (no such file in-tree: a refusal)
        s = r.choice(SLAVES)
        f = "arp_ip_target" if k == 4 else "ns_ip6_target"
        a.write("target-slave", "/sys/class/net/%s/bonding_slave/%s" % (s, f),
                r.choice("+-") + (v4 if k == 4 else v6))


def op_active(a, r, bond=None):
    bond, s = bond or r.choice(BONDS), r.choice(SLAVES + ["nosuch", ""])
    k = r.randint(0, 4)
    if k == 0:
        a.write("active-sysfs", "/sys/class/net/%s/bonding/active_slave" % bond, s)
    elif k == 1:
        a.link(r, "active-netlink", bond,
               bond=["active_slave", s] if s else ["clear_active_slave"])
    elif k == 2:
        a.ioctl("active-ioctl", "change_active", bond, s)
    elif k == 3:
        a.write("primary-sysfs", "/sys/class/net/%s/bonding/primary" % bond, s)
    else:
        a.link(r, "primary-netlink", bond, bond=["primary", s or "nosuch"])


def op_slave_opts(a, r):
    bond, s = r.choice(BONDS), r.choice(SLAVES)
    k = r.randint(0, 3)
    if k == 0:
        a.link(r, "slave-opt-netlink", s,
               bond_slave=["queue_id", str(r.choice([0, 1, 2, 15, 16, 65535]))])
    elif k == 1:
        a.link(r, "slave-opt-netlink", s,
               bond_slave=["prio", str(r.choice([0, 1, -5, 100, 2147483647, -2147483648]))])
    elif k == 2:
        a.write("slave-opt-sysfs", "/sys/class/net/%s/bonding/queue_id" % bond,
                r.choice(["%s:%d" % (s, r.choice([0, 1, 3, 16, -1])), s, s + ":", "nosuch:1"]))
    else:
        a.ioctl("query-ioctl", r.choice(["info", "slave_info"]), bond, str(r.randint(-1, 4)))


def op_modparam_runtime(a, r):
    """num_grat_arp/num_unsol_na are writable module parameters (0644)."""
    p = r.choice(["num_grat_arp", "num_unsol_na"])
    a.write("modparam-runtime", "/sys/module/bonding/parameters/%s" % p,
            r.choice(["0", "1", "5", "255", "300", "-1", "x"]))


def op_enslave(a, r, bond=None):
    enslave(a, r, bond or r.choice(BONDS), r.choice(SLAVES))


def op_release(a, r, bond=None):
    bond = bond or r.choice(BONDS)
    cur = slaves_of(bond)
    s = r.choice(cur) if cur and r.random() < 0.8 else r.choice(SLAVES)
    release(a, r, bond, s)


def op_bond_updown(a, r, bond=None):
    a.link(r, "bond-updown", bond or r.choice(BONDS), up=r.random() < 0.6)


def op_peer_flap(a, r):
    """The far end of a veth goes down (carrier lost) and, a moment later, up."""
    p = "pv%d" % r.randrange(len(VETHS))
    a.link(r, "peer-flap", p, PEER, up=False)
    a.pause(r.uniform(0, 1.5))
    a.link(r, "peer-flap", p, PEER, up=True)


def op_path_cut(a, r):
    """The far end stops forwarding, both carriers stay up: only ARP/NS can tell."""
    p = "pv%d" % r.randrange(len(VETHS))
    a.brport_state(r, "path-cut", p, 0, PEER)
    a.pause(r.uniform(0, 3))
    a.brport_state(r, "path-cut", p, 3, PEER)


def op_slave_link(a, r):
    s = r.choice(SLAVES)
    k = r.randint(0, 2)
    if k == 0:
        a.link(r, "slave-updown", s, up=r.random() < 0.5)
    elif k == 1:
        d = r.choice(DUMMIES)
        a.link(r, "carrier", d, carrier=False)
        a.pause(r.uniform(0, 1))
        a.link(r, "carrier", d, carrier=True)
    else:
        a.link(r, "promisc", r.choice(BONDS),
               flag=(r.choice(["promisc", "allmulticast"]), r.random() < 0.5))


def op_bond_delete(a, r):
    bond = r.choice(BONDS)
    if r.random() < 0.5:
        a.link_del(r, "bond-del-netlink", bond)
    else:
        a.write("bond-del-sysfs", "/sys/class/net/bonding_masters", "-%s" % bond)


def op_bond_create(a, r):
    bond = r.choice(BONDS)
    k = r.randint(0, 3)
    if k == 0:
        ok = a.write("bond-add-sysfs", "/sys/class/net/bonding_masters", "+%s" % bond)
    elif k == 1:
        ok = a.link_add_bond(r, "bond-add-netlink", bond)
    else:
        opts = ["mode", r.choice(MODES)] + monitor_args(r, bond)
        if r.random() < 0.3:
            opts += ["xmit_hash_policy", r.choice(["layer2", "layer3+4", "vlan+srcmac"])]
        # up: opened right after changelink (the syzbot WARNING path)
        ok = a.link_add_bond(r, "bond-add-netlink", bond, up=k == 3, opts=opts)
    if ok:
        bond_config(a, r, bond)


def make_slave(a, r, s):
    if s in LVETHS:
        # the peer is a port of the partner (when there is one); down and
        # master in one message, so that the resets can count on it
        p = "pl" + s[2:]
        try:
            ok = a.veth_add(r, "slave-create", s, p, LACPNS)
        except OSError:         # the partner's namespace is being made again
            return
        if ok:
            a.sysctl("slave-create", "net.ipv6.conf.%s.disable_ipv6" % p, "1", LACPNS)
            if exists(PBOND, LACPNS):
                a.link(r, "slave-create", p, LACPNS, up=False, master=PBOND)
            a.link(r, "slave-create", p, LACPNS, up=True)
    elif s in VETHS:
        p = "pv" + s[2:]
        if a.veth_add(r, "slave-create", s, p, PEER):
            a.sysctl("slave-create", "net.ipv6.conf.%s.disable_ipv6" % p, "1", PEER)
            a.link(r, "slave-create", p, PEER, up=True, master="br0")
    else:
        a.link_add(r, "slave-create", s)


def op_slave_delete(a, r):
    """A slave deleted while enslaved (or not: whatever it is now)."""
    a.link_del(r, "slave-del", r.choice(SLAVES))


def op_repair(a, r):
    """Put names back: a renamed device, a deleted slave."""
    other = set(ns_links(OTHER))
    for dev in SLAVES + LVETHS + BONDS:
        if exists(dev):
            continue
        if exists(dev + "r"):
            set_down(a, r, dev + "r")
            a.link(r, "rename", dev + "r", name=dev)
        elif dev in SLAVES + LVETHS and dev not in other and dev + "r" not in other and \
                r.random() < 0.7:
            make_slave(a, r, dev)


def op_rename(a, r):
    dev = r.choice(SLAVES + BONDS)
    if r.random() < 0.7:
        set_down(a, r, dev)
    if a.link(r, "rename", dev, name=dev + "r"):
        a.pause(r.uniform(0, 0.5))
        set_down(a, r, dev + "r")
        a.link(r, "rename", dev + "r", name=dev)


def op_netns_slave(a, r):
    s = r.choice(SLAVES)
    if r.random() < 0.5:
        a.link(r, "netns-slave-out", s, netns=OTHER)
    else:
        a.link(r, "netns-slave-back", s, OTHER, netns="1")


def op_netns_bond(a, r):
    """Bonds are netns-local: a move must be refused."""
    bond = r.choice(BONDS)
    if not exists(bond):
        return
    if a.link(r, "netns-bond", bond, netns=OTHER):
        a.camp.violation("%s moved to namespace %s" % (bond, OTHER))
        a.link(r, "netns-bond", bond, OTHER, netns="1")


def op_mtu_move(a, r):
    """The bond changes its slaves' MTU; then one of them leaves for another netns."""
    bond = r.choice(BONDS)
    a.link(r, "mtu-bond", bond, mtu=r.choice([1280, 1400, 1500, 2000, 9000]))
    cur = slaves_of(bond)
    s = r.choice(cur) if cur else r.choice(SLAVES)
    a.pause(r.uniform(0, 0.5))
    a.link(r, "netns-slave-out", s, netns=OTHER)
    if r.random() < 0.5:
        a.pause(r.uniform(0, 2))
        a.link(r, "netns-slave-back", s, OTHER, netns="1")


def op_mtu_scenario(a, r):
    """A slave whose MTU the bond set (at enslave or after) leaves for the other
    namespace, and is deleted there or brought back."""
    bond = r.choice(BONDS)
    s = r.choice(DUMMIES + VETHS[:3])
    if r.random() < 0.5:
        a.link(r, "mtu-bond", bond, mtu=r.choice([1280, 1400, 2000, 9000]))
        enslave(a, r, bond, s)
    else:
        enslave(a, r, bond, s)
        a.link(r, "mtu-bond", bond, mtu=r.choice([1280, 1400, 2000, 9000]))
    a.pause(r.uniform(0, 0.5))
    a.link(r, "netns-slave-out", s, netns=OTHER)
    a.pause(r.uniform(0, 1))
    if r.random() < 0.5:
        a.link_del(r, "slave-del", s, OTHER)
    else:
        a.link(r, "netns-slave-back", s, OTHER, netns="1")


def op_other_bond(a, r):
    """Bonds of the other namespace: its own bonding_masters, slaves moved there."""
    ob = r.choice(OBONDS)
    k = r.randint(0, 4)
    if k == 0:
        a.sh("other-bond-add", "echo +%s > /sys/class/net/bonding_masters" % ob, ns=OTHER)
    elif k == 1:
        a.link_add_bond(r, "other-bond-add", ob, OTHER,
                        opts=["mode", r.choice(MODES), "miimon", "100"])
    elif k == 2:
        enslave(a, r, ob, r.choice(SLAVES), ns=OTHER)
        a.link(r, "other-bond-up", ob, OTHER, up=True)
    elif k == 3:
        name, kw, good, bad = r.choice(OPTIONS)
        a.sh("other-bond-opt", "echo %s > /sys/class/net/%s/bonding/%s" %
             (r.choice(good + bad), ob, name), ns=OTHER)
    else:
        if r.random() < 0.5:
            a.sh("other-bond-del", "echo -%s > /sys/class/net/bonding_masters" % ob, ns=OTHER)
        else:
            a.link_del(r, "other-bond-del", ob, OTHER)


def op_other_recycle(a, r):
    """The other namespace goes away with whatever is in it, and comes back."""
    a.cmd("netns-del", ["ip", "netns", "del", OTHER])
    a.pause(r.uniform(0, 1))
    a.cmd("netns-add", ["ip", "netns", "add", OTHER])
    a.ip("netns-add", "link set lo up", ns=OTHER)


def op_mtu(a, r):
    dev = r.choice(BONDS + SLAVES)
    a.link(r, "mtu", dev, mtu=r.choice([67, 68, 576, 1280, 1500, 1500, 4000, 9000, 65535, 65536]))


def rand_mac(r, ok=True):
    first = (r.randrange(256) & 0xfc) | 0x02 if ok else 0x01
    return ":".join("%02x" % b for b in [first] + [r.randrange(256) for _ in range(5)])


def op_mac(a, r):
    a.link(r, "mac", r.choice(BONDS + SLAVES), mac=rand_mac(r, r.random() < 0.9))


def op_nest(a, r):
    """A bond inside a bond (loops and depth are refused)."""
    inner, outer = r.sample(BONDS, 2)
    if r.random() < 0.7:
        set_down(a, r, inner)
        enslave(a, r, outer, inner)
    else:
        release(a, r, outer, inner)


def op_vlan(a, r):
    base = r.choice(BONDS + BONDS + SLAVES)
    vid = r.choice([10, 20])
    name = "%s.%d" % (base, vid)
    k = r.randint(0, 3)
    if k <= 1:
        if a.link_add(r, "vlan-add", name, link=base, info_kind="vlan",
                      data=nla(IFLA_VLAN_ID, struct.pack("H", vid)), ip_args=["id", str(vid)]):
            a.link(r, "vlan-up", name, up=True)
    elif k == 2:
        a.link_del(r, "vlan-del", name)
    else:
        # an upper of one bond into another bond (or its own: a loop)
        set_down(a, r, name)
        enslave(a, r, r.choice(BONDS), name)


def op_macvlan(a, r):
    mv = r.choice(MACVLANS)
    base = r.choice(BONDS + BONDS + SLAVES)
    if r.random() < 0.6:
        if a.link_add(r, "macvlan-add", mv, link=base, info_kind="macvlan",
                      data=nla(IFLA_MACVLAN_MODE, struct.pack("I", MACVLAN_MODE_BRIDGE)),
                      ip_args=["mode", "bridge"]):
            a.link(r, "macvlan-up", mv, up=True)
    else:
        a.link_del(r, "macvlan-del", mv)


def op_xdp(a, r):
    dev = r.choice(BONDS + BONDS + SLAVES)
    act = r.choice(["pass", "drop", "aborted", "off", "off"])
    mode = r.choice(["", "", "drv", "skb"])
    a.cmd("xdp", [a.camp.xdp_load, dev, act] + ([mode] if mode else []))


def op_read_sysfs(a, r):
    paths = glob.glob("/sys/class/net/*/bonding/*") + glob.glob("/sys/class/net/*/bonding_slave/*")
    paths += ["/sys/class/net/bonding_masters"] + glob.glob("/sys/module/bonding/parameters/*")
    r.shuffle(paths)
    a.reads("read-sysfs", paths)


def op_read_proc(a, r):
    # with debugfs' client tables, which balance-alb fills from softirq
    paths = glob.glob("/proc/net/bonding/*") * 3
    paths += glob.glob("/sys/kernel/debug/bonding/*/rlb_hash_table")
    r.shuffle(paths)
    a.reads("read-proc", paths)


def op_read_links(a, r):
    k = r.randint(0, 5)
    if k <= 2:
        a.dump("read-netlink", OTHER if k == 2 else None)
    elif k == 3:
        a.cmd("read-ip", ["ip", "-d", "-s", "link", "show"])
    elif k == 4:
        a.cmd("read-ip", ["ip", "-d", "-s", "-s", "link", "show", "type", "bond"])
    else:
        a.cmd("read-ip", ["ip", "-n", OTHER, "-d", "-s", "link", "show"])


def inet_csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


def icmp_burst(a, i, v6, from_peer, n, size, wait):
    """n echo requests between bond i and the peer (from the peer if from_peer),
    from a raw socket (bound to the bond); the number of replies in wait s."""
    if from_peer:
        dst = bond_ip6(i) if v6 else bond_ip(i)
    else:
        dst = peer_ip6(i) if v6 else peer_ip(i)
    if a.stopping():
        return 0
    bond = "bond%d" % i
    t0 = a._start("icmp %s%s" % (dst, "" if from_peer else " via " + bond))
    got = 0
    ident = random.randrange(1, 65535)
    # bond5's far end: the partner while it has a port of the pair, else the bridge
    far = LACPNS if bond == LBOND and set(slaves_of(LBOND)) & set(LVETHS) else PEER
    try:
        with InNs(far if from_peer else None):
            if v6:
                s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
            else:
                s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        try:
            if not from_peer:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, bond.encode())
            s.setblocking(False)
            payload = bytes(size)
            for seq in range(n):
                hdr = struct.pack("!BBHHH", 128 if v6 else 8, 0, 0, ident, seq)
                if not v6:
                    hdr = struct.pack("!BBHHH", 8, 0, inet_csum(hdr + payload), ident, seq)
                try:
                    s.sendto(hdr + payload, (dst, 0))
                except OSError:
                    pass
                if seq % 10 == 9:
                    time.sleep(0.01)
            end = mono() + wait
            while mono() < end and got < n:
                if not select.select([s], [], [], max(0, end - mono()))[0]:
                    break
                try:
                    data = s.recv(65536)
                except OSError:
                    continue
                off = 0 if v6 else (data[0] & 15) * 4
                if len(data) >= off + 8:
                    typ, _, _, rid, _ = struct.unpack_from("!BBHHH", data, off)
                    got += typ == (129 if v6 else 0) and rid == ident
        finally:
            s.close()
    except OSError:
        pass
    a.cur = None
    a.camp.record(a, "traffic-icmp", "", 0 if got else 1, "%d replies" % got, mono() - t0,
                  log=False)
    return got


def op_icmp(a, r):
    """A burst of echo requests through a bond, either way; counts the replies."""
    icmp_burst(a, r.randrange(len(BONDS)), r.random() < 0.3, r.random() < 0.3,
               r.choice([3, 5, 10, 20]), r.choice([8, 56, 1000, 2000]), 1.0)


def op_ping(a, r):
    i = r.randrange(len(BONDS))
    if r.random() < 0.8:
        a.cmd("traffic-ping", ["ping", "-q", "-c", "10", "-i", "0.05", "-W", "1", "-I", BONDS[i],
                               peer_ip(i)], timeout=20)
    else:
        a.cmd("traffic-ping6", ["ping", "-6", "-q", "-c", "10", "-i", "0.05", "-W", "1", "-I",
                                BONDS[i], peer_ip6(i)], timeout=20)


def op_flood(a, r):
    i = r.randrange(len(BONDS))
    a.cmd("traffic-flood", ["ping", "-q", "-f", "-c", "50", "-W", "1", "-I", BONDS[i],
                            peer_ip(i)], timeout=20)


def op_udp(a, r, i=None):
    i = r.randrange(len(BONDS)) if i is None else i
    fam = socket.AF_INET6 if r.random() < 0.3 else socket.AF_INET
    dst = peer_ip6(i) if fam == socket.AF_INET6 else peer_ip(i)
    if a.stopping():
        return
    t0 = a._start("udp %s via bond%d" % (dst, i))
    sent = 0
    try:
        s = socket.socket(fam, socket.SOCK_DGRAM)
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"bond%d" % i)
            s.setblocking(False)
            payload = bytes(r.choice([16, 512, 1400, 3000]))
            for n in range(r.choice([5, 10, 20, 50])):
                try:
                    s.sendto(payload, (dst, 9 + n % 8))
                    sent += 1
                except OSError:
                    pass
        finally:
            s.close()
    except OSError:
        pass
    a.cur = None
    a.camp.record(a, "traffic-udp", "", 0 if sent else 1, "%d sent" % sent, mono() - t0, log=False)


# ---------------------------------------------------------------------------
# 802.3ad with a partner. LBOND's ports sl0.. are veths whose peers pl0.. in
# LACPNS are the ports of PBOND, an 802.3ad bond of the same module there:
# LACPDUs flow both ways, the ports aggregate, and what is done to one end
# reaches the other's machines through the wire.

AD_IN_SERVICE = 0x3c    # port state: aggregation, sync, collecting, distributing
LACP_SETTLE = 90        # s of real time a plain pair has to aggregate
SLOW_DST = bytes.fromhex("0180c2000002")
ETH_P_SLOW = 0x8809


class NoFaults:
    """The rng of the resets: netlink, never ip(8), no attribute of the
    wrong size (only random() is drawn on those paths)."""
    @staticmethod
    def random():
        return 0.99


NOFAULT = NoFaults()

# (option, values, refused while the bond is up). The two ends draw their
# actor systems from one short list: now and then both claim the same.
AD_OPTIONS = [
    ("lacp_rate", ["slow", "fast", "fast"], True),
    ("lacp_active", ["on", "on", "off"], True),
    ("ad_select", ["stable", "bandwidth", "count"], True),
    ("ad_user_port_key", ["0", "0", "1", "1023"], True),
    ("coupled_control", ["0", "1", "1"], True),
    ("ad_actor_sys_prio", ["1", "100", "65535"], False),
    ("ad_actor_system", ["00:00:00:00:00:00", "02:00:00:00:ad:01", "02:00:00:00:ad:02"], False),
    ("min_links", ["0", "0", "1", "2", "4", "5"], False),
    ("xmit_hash_policy", ["layer2", "layer3+4", "layer2+3", "encap3+4"], False),
    ("all_slaves_active", ["0", "1"], False),
]
# the reset's options: the defaults, but a fast rate (aggregation in seconds)
AD_PLAIN = ["mode", "802.3ad", "miimon", "100", "lacp_rate", "fast", "lacp_active", "on",
            "ad_select", "stable", "ad_user_port_key", "0", "ad_actor_sys_prio", "65535",
            "ad_actor_system", "00:00:00:00:00:00", "min_links", "0", "coupled_control", "1",
            "all_slaves_active", "0", "xmit_hash_policy", "layer2"]


def lacp_peer(dev):
    """The other end of one of the pair's veths: sl1 <-> pl1."""
    return ("pl" if dev.startswith("sl") else "sl") + dev[2:]


PLPORTS = [lacp_peer(s) for s in LVETHS]


def lacp_end(r):
    """(bond, namespace, ports) of one end of the pair, LBOND's more often."""
    if r.random() < 0.65:
        return LBOND, None, list(LVETHS)
    return PBOND, LACPNS, list(PLPORTS)


def ad_args(r, n):
    args = []
    for name, vals, _ in r.sample(AD_OPTIONS, n):
        args += [name, r.choice(vals)]
    return args


def proc_bond(bond, ns=None):
    """/proc/net/bonding/BOND as namespace ns sees it ("" if there is none)."""
    try:
        with InNs(ns):
            return rd("/proc/thread-self/net/bonding/" + bond)
    except OSError:
        return ""


def ad_details(text):
    """What a /proc/net/bonding file says of 802.3ad: {"mode", "active" (the
    active aggregator's id), "nports" (its ports), "ports": {slave: {"agg",
    "actor": {...}, "partner": {...}}}}."""
    out = {"mode": "", "active": None, "nports": None, "ports": {}}
    cur, block = None, None
    for line in text.splitlines():
        if line.startswith("Bonding Mode: "):
            out["mode"] = line[14:]
        elif line.startswith("\tAggregator ID: ") and cur is None:
            out["active"] = int(line.split(": ")[1])
        elif line.startswith("\tNumber of ports: ") and cur is None:
            out["nports"] = int(line.split(": ")[1])
        elif line.startswith("Slave Interface: "):
            cur, block = line[17:], None
            out["ports"][cur] = {"agg": None, "actor": {}, "partner": {}}
        elif cur and line.startswith("Aggregator ID: "):
            v = line[15:]
            out["ports"][cur]["agg"] = int(v) if v.isdigit() else None
        elif cur and line.startswith("details "):
            block = line.split()[1]
        elif cur and block in ("actor", "partner") and line.startswith("    ") and ": " in line:
            k, v = line.strip().split(": ", 1)
            out["ports"][cur][block][k] = v
    return out


def port_state(p, side):
    try:
        return int(p[side].get("port state", "-1"))
    except ValueError:
        return -1


def ad_summary(bond, d):
    """One line: the mode, the active aggregator, each port's aggregator and states."""
    if not d["mode"]:
        return "%s: no /proc file" % bond
    ports = " ".join("%s agg %s actor %#x partner %#x" % (
        s, p["agg"], port_state(p, "actor") & 0xff, port_state(p, "partner") & 0xff)
        for s, p in sorted(d["ports"].items()))
    return "%s: %s, active aggregator %s with %s ports; %s" % (
        bond, d["mode"], d["active"], d["nports"], ports or "no slaves")


def ad_in_service(d, ports):
    """The ports (of those named) in service with their partner in service."""
    out = []
    for s in ports:
        p = d["ports"].get(s)
        if p and port_state(p, "actor") & AD_IN_SERVICE == AD_IN_SERVICE and \
                port_state(p, "partner") & AD_IN_SERVICE == AD_IN_SERVICE:
            out.append(s)
    return out


def ad_aggregated(d, ports):
    """All of ports in the active aggregator, which holds just them, all in service."""
    return "802.3ad" in d["mode"] and d["active"] is not None and \
        d["nports"] == len(ports) and \
        all(s in d["ports"] and d["ports"][s]["agg"] == d["active"] for s in ports) and \
        len(ad_in_service(d, ports)) == len(ports)


def lacp_addrs(a, r, bond, ns):
    i = bidx(LBOND)
    if bond == LBOND:
        a.addr(r, bond, bond_ip(i), 28)
        a.addr(r, bond, bond_ip6(i), 64)
    else:
        a.addr(r, bond, peer_ip(i), 28, ns)
        a.addr(r, bond, peer_ip6(i), 64, ns)


def xdp_off(a, dev):
    """Any XDP program off dev, in either mode, as `xdp-load DEV off skb|drv`
    does (by netlink here: an exec costs half a second on the debug kernel)."""
    for flags in (2, 4):        # XDP_FLAGS_SKB_MODE, XDP_FLAGS_DRV_MODE
        a.nl("lacp-reset", "xdp off %s (flags %d)" % (dev, flags), RTM_SETLINK, 0,
             lambda: ifinfo(nl_index(dev)) + nla(IFLA_XDP | 0x8000, nla(
                 IFLA_XDP_FD, struct.pack("i", -1)) + nla(IFLA_XDP_FLAGS, struct.pack("I", flags))))


def lacp_links_back(a, r):
    """LVETHS in the first namespace under their names: renamed back, brought
    back from the other namespace, made again if gone."""
    other = set(ns_links(OTHER))
    for s in LVETHS:
        if exists(s):
            continue
        if exists(s + "r"):
            set_down(a, r, s + "r")
            a.link(r, "lacp-reset", s + "r", name=s)
        elif s in other:
            a.link(r, "lacp-reset", s, OTHER, netns="1")
        elif s + "r" in other:
            a.link(r, "lacp-reset", s + "r", OTHER, netns="1")
            set_down(a, r, s + "r")
            a.link(r, "lacp-reset", s + "r", name=s)
        else:
            make_slave(a, r, s)


def lacp_reset(a):
    """Both ends back to a plain 802.3ad pair, whatever the churn left: the
    partner's namespace there, LVETHS home and out of other bonds, no XDP or
    macvlan on them, LBOND and PBOND there (made again if gone, LBOND out of
    any bond it was put in) with AD_PLAIN, all their ports in, addresses, up.
    The bonds that lived through the churn are kept."""
    r = NOFAULT
    if not os.path.exists("/run/netns/" + LACPNS):
        a.cmd("lacp-reset", ["ip", "netns", "add", LACPNS])
        a.ip("lacp-reset", "link set lo up", ns=LACPNS)
    lacp_links_back(a, r)
    for mv in MACVLANS:
        if any(os.path.exists("/sys/class/net/%s/lower_%s" % (mv, s)) for s in LVETHS):
            a.link_del(r, "lacp-reset", mv)
    if not exists(LBOND) and exists(LBOND + "r"):
        set_down(a, r, LBOND + "r")
        a.link(r, "lacp-reset", LBOND + "r", name=LBOND)
    if not exists(LBOND):
        a.link_add_bond(r, "lacp-reset", LBOND)
    if os.path.exists("/sys/class/net/%s/master" % LBOND):
        a.link(r, "lacp-reset", LBOND, master="")
    for dev in [LBOND] + LVETHS:
        xdp_off(a, dev)
    set_down(a, r, LBOND)
    for s in slaves_of(LBOND):
        a.link(r, "lacp-reset", s, master="")
    for s in LVETHS:
        if os.path.exists("/sys/class/net/%s/master" % s):
            a.link(r, "lacp-reset", s, master="")
    a.link(r, "lacp-reset", LBOND, bond=AD_PLAIN)
    a.link(r, "lacp-reset", LBOND, mtu=1500)
    for s in LVETHS:
        a.link(r, "lacp-reset", s, up=False, master=LBOND)
    lacp_addrs(a, r, LBOND, None)
    a.link(r, "lacp-reset", LBOND, up=True)

    if not exists(PBOND, LACPNS):
        a.link_add_bond(r, "lacp-reset", PBOND, LACPNS)
    set_down(a, r, PBOND, LACPNS)
    for p in PLPORTS:
        a.link(r, "lacp-reset", p, LACPNS, master="")
    a.link(r, "lacp-reset", PBOND, LACPNS, bond=AD_PLAIN)
    a.link(r, "lacp-reset", PBOND, LACPNS, mtu=1500)
    for p in PLPORTS:
        a.link(r, "lacp-reset", p, LACPNS, up=False, master=PBOND)
    lacp_addrs(a, r, PBOND, LACPNS)
    a.link(r, "lacp-reset", PBOND, LACPNS, up=True)


def lacp_settle(a, phase):
    """After lacp_reset: both ends must aggregate all their ports (one
    aggregator each, every port and its partner in service) within
    LACP_SETTLE s of real time, then carry pings. A violation if not."""
    t0, end = mono(), wall() + LACP_SETTLE
    a.cur = ("lacp: waiting for %s and %s to aggregate" % (LBOND, PBOND), t0)
    while True:
        dl = ad_details(proc_bond(LBOND))
        dp = ad_details(proc_bond(PBOND, LACPNS))
        done = ad_aggregated(dl, LVETHS) and ad_aggregated(dp, PLPORTS)
        if done or wall() >= end:
            break
        time.sleep(1)
    a.cur = None
    lines = [ad_summary(LBOND, dl), ad_summary(PBOND, dp)]
    if not done:
        a.camp.record(a, "lacp-settle", phase, 1, "not aggregated", mono() - t0)
        with a.camp.lock:
            a.camp.log.write("%s\n%s\n" % (proc_bond(LBOND), proc_bond(PBOND, LACPNS)))
        a.camp.violation("lacp: %s: the plain pair did not aggregate in %ds: %s" % (
            phase, LACP_SETTLE, " | ".join(lines)))
        return False
    a.camp.record(a, "lacp-settle", phase, 0, "", mono() - t0)
    got = icmp_burst(a, bidx(LBOND), False, False, 5, 56, 3.0) or \
        icmp_burst(a, bidx(LBOND), False, False, 5, 56, 5.0)
    a.camp.say("lacp: %s: aggregated in %.1fs, %s pings answered: %s" % (
        phase, mono() - t0, got, " | ".join(lines)))
    if not got:
        a.camp.violation("lacp: %s: an aggregated pair carries no pings: %s" % (
            phase, " | ".join(lines)))
        return False
    return True


def op_lacp_build(a, r):
    """One end rebuilt: down, its slaves out, 802.3ad with options that still
    let the pair aggregate, all its ports in, up. A wild one (2 in 5) draws
    any options (both ends passive, the same system, keys apart, min_links
    above the ports), some of the ports, or another mode (the partner goes
    quiet). A missing bond is made, options and all in one message."""
    bond, ns, ports = lacp_end(r)
    if bond == LBOND:
        for s in LVETHS:
            if not exists(s) and not exists(s + "r"):
                make_slave(a, r, s)
    wild = r.random() < 0.4
    mode = "802.3ad" if not wild or r.random() < 0.6 else r.choice(MODES)
    if wild:
        opts = ["mode", mode] + ad_args(r, r.randint(0, 4))
    else:
        opts = ["mode", mode, "lacp_rate", r.choice(["fast", "fast", "slow"]),
                "ad_select", r.choice(["stable", "bandwidth", "count"])]
        opts += ["ad_actor_sys_prio", r.choice(["1", "100", "65535"])] if r.random() < 0.3 else []
        opts += ["coupled_control", r.choice(["0", "1"])] if r.random() < 0.3 else []
    if not exists(bond, ns):
        if a.link_add_bond(r, "lacp-build", bond, ns, up=r.random() < 0.2,
                           opts=opts + ["miimon", "100"]):
            lacp_addrs(a, r, bond, ns)
    else:
        set_down(a, r, bond, ns)
        # PBOND's slaves are not in this namespace's sysfs: release all its ports
        for s in (slaves_of(bond) if ns is None else ports):
            release(a, r, bond, s, ns)
        a.link(r, "lacp-build", bond, ns, bond=opts)
    if r.random() < 0.3:
        a.link(r, "lacp-build", bond, ns, bond=["miimon", str(r.choice([0, 10, 100]))])
    for s in r.sample(ports, r.randint(1, len(ports)) if wild else len(ports)):
        enslave(a, r, bond, s, ns)
    if r.random() < 0.9:
        a.link(r, "bond-up", bond, ns, up=True)


def op_lacp_option(a, r):
    """An LACP option on one end: as it comes (most are refused while up), or
    down, set, up, as an admin does it."""
    bond, ns, _ = lacp_end(r)
    name, vals, down = r.choice(AD_OPTIONS)
    value = r.choice(vals)
    cycle = down and r.random() < 0.6
    if cycle:
        set_down(a, r, bond, ns)
    if ns is None and name != "coupled_control" and r.random() < 0.4:
        a.write("lacp-option-sysfs", "/sys/class/net/%s/bonding/%s" % (bond, name), value)
    else:
        args = [name, value] + (ad_args(r, 1) if r.random() < 0.3 else [])
        a.link(r, "lacp-option-netlink", bond, ns, bond=args)
    if cycle:
        a.pause(r.uniform(0, 0.5))
        a.link(r, "bond-up", bond, ns, up=True)


def op_lacp_slave_opts(a, r):
    """A port's priorities (prio, actor_port_prio) or queue, by netlink."""
    bond, ns, ports = lacp_end(r)
    s = r.choice(ports)
    k = r.choices(["actor_port_prio", "prio", "queue_id", "both"], [4, 2, 1, 2])[0]
    if k == "both":
        args = ["prio", str(r.choice([0, 10, -10])),
                "actor_port_prio", str(r.choice([1, 255, 65535]))]
    elif k == "actor_port_prio":
        args = [k, str(r.choice([0, 1, 100, 255, 65535]))]
    elif k == "prio":
        args = [k, str(r.choice([0, 1, -5, 100]))]
    else:
        args = [k, str(r.choice([0, 1, 3, 16]))]
    a.link(r, "lacp-slave-opt", s, ns, bond_slave=args)


def op_lacp_wire(a, r):
    """The pair's links: a far end down and up (the carrier drops here), a
    port down and up, the partner bond down and up, a port leaving its bond
    for a while (LACPDUs stop on that link) and coming back."""
    i = r.randrange(len(LVETHS))
    sl, pl = LVETHS[i], PLPORTS[i]
    k = r.choices(["far", "near", "partner", "leave"], [4, 2, 2, 2])[0]
    if k == "far":
        dev, ns = pl, LACPNS
    elif k == "near":
        dev, ns = sl, None
    elif k == "partner":
        dev, ns = PBOND, LACPNS
    else:
        bond, ns, port = (PBOND, LACPNS, pl) if r.random() < 0.6 else (LBOND, None, sl)
        release(a, r, bond, port, ns)
        a.pause(r.uniform(0, 4))
        enslave(a, r, bond, port, ns)
        return
    a.link(r, "lacp-flap", dev, ns, up=False)
    a.pause(r.uniform(0, 4))
    a.link(r, "lacp-flap", dev, ns, up=True)


def op_lacp_life(a, r):
    """An end's bond deleted with its ports in service, or the partner's whole
    namespace deleted (its veths and bond go with it, and with them LBOND's
    ports) and made again empty: op_lacp_build and op_repair fill it."""
    k = r.choices(["pbond", "lbond", "ns"], [3, 2, 1])[0]
    if k == "pbond":
        a.link_del(r, "lacp-del", PBOND, LACPNS)
    elif k == "lbond":
        if r.random() < 0.5:
            a.link_del(r, "bond-del-netlink", LBOND)
        else:
            a.write("bond-del-sysfs", "/sys/class/net/bonding_masters", "-%s" % LBOND)
    else:
        a.cmd("lacp-netns-del", ["ip", "netns", "del", LACPNS])
        a.pause(r.uniform(0, 2))
        a.cmd("lacp-netns-add", ["ip", "netns", "add", LACPNS])
        a.ip("lacp-netns-add", "link set lo up", ns=LACPNS)


def op_lacp_generic(a, r):
    """What the other workers do to their bonds, done to LBOND: a mode change
    (refused or not), a whole reconfigure into a random mode over random
    slaves, any option, ARP targets, active slave, a slave in or out, down or up."""
    op = r.choices([op_option, op_mode_bare, op_mode_with_opts, op_reconfigure, op_active,
                    op_targets, op_enslave, op_release, op_bond_updown],
                   [4, 2, 1, 1, 1, 1, 2, 2, 2])[0]
    op(a, r, LBOND)


def op_lacp_heal(a, r):
    """The pair back toward aggregation (the other lacp ops take it apart): a
    deleted end made again, an end in another mode put back in 802.3ad, a
    deleted port made again, ports that are nobody's slave back in their
    bond, the bonds up."""
    for bond, ns, ports in ((LBOND, None, LVETHS), (PBOND, LACPNS, PLPORTS)):
        if not exists(bond, ns):
            if a.link_add_bond(r, "lacp-heal", bond, ns, opts=[
                    "mode", "802.3ad", "miimon", "100", "lacp_rate", "fast"]):
                lacp_addrs(a, r, bond, ns)
            continue
        mode = rd("/sys/class/net/%s/bonding/mode" % bond) if ns is None else \
            ad_details(proc_bond(bond, ns))["mode"]
        if mode and "802.3ad" not in mode:
            set_down(a, r, bond, ns)
            for s in (slaves_of(bond) if ns is None else ports):
                release(a, r, bond, s, ns)
            a.link(r, "lacp-heal", bond, ns, bond=["mode", "802.3ad", "miimon", "100"])
    other = set(ns_links(OTHER))
    for s in LVETHS:
        if not exists(s) and not exists(s + "r") and s not in other and s + "r" not in other:
            make_slave(a, r, s)
        if exists(s) and not os.path.exists("/sys/class/net/%s/master" % s):
            enslave(a, r, LBOND, s)
    have = ad_details(proc_bond(PBOND, LACPNS))["ports"]
    for p in PLPORTS:
        if p not in have:
            enslave(a, r, PBOND, p, LACPNS)
    for bond, ns in ((LBOND, None), (PBOND, LACPNS)):
        if r.random() < 0.5:
            a.link(r, "bond-up", bond, ns, up=True)


def op_lacp_steal(a, r):
    """What the other workers do to any slave, done to one of the pair's
    ports: taken into another bond, to the other namespace (and back),
    deleted (its peer goes with it), renamed and back, a new MTU or MAC, an
    XDP program on or off."""
    s = r.choice(LVETHS)
    k = r.choices(["bond", "netns", "delete", "rename", "mtu", "mac", "xdp"],
                  [3, 2, 1, 1, 1, 1, 1])[0]
    if k == "bond":
        enslave(a, r, r.choice(BONDS), s)
    elif k == "netns":
        a.link(r, "netns-slave-out", s, netns=OTHER)
        a.pause(r.uniform(0, 3))
        a.link(r, "netns-slave-back", s, OTHER, netns="1")
    elif k == "delete":
        a.link_del(r, "slave-del", s)
    elif k == "rename":
        if r.random() < 0.7:
            set_down(a, r, s)
        if a.link(r, "rename", s, name=s + "r"):
            a.pause(r.uniform(0, 1))
            set_down(a, r, s + "r")
            a.link(r, "rename", s + "r", name=s)
    elif k == "mtu":
        a.link(r, "mtu", s, mtu=r.choice([68, 1280, 1500, 9000]))
    elif k == "mac":
        a.link(r, "mac", s, mac=rand_mac(r, r.random() < 0.9))
    else:
        a.cmd("xdp", [a.camp.xdp_load, s, r.choice(["pass", "drop", "off", "off"])])


def op_lacp_traffic(a, r):
    """Traffic through the aggregation: pings either way, UDP to many ports
    (spread over the ports by layer3+4)."""
    i = bidx(LBOND)
    if r.random() < 0.6:
        icmp_burst(a, i, r.random() < 0.3, r.random() < 0.3, r.choice([3, 10, 20]),
                   r.choice([56, 1000]), 1.0)
    else:
        op_udp(a, r, i)


def lacp_side(d):
    """(system priority, system, key, port priority, port, state) of a /proc
    details block; None if it is not whole."""
    try:
        return [int(d["system priority"]), bytes.fromhex(d["system mac address"].replace(":", "")),
                int(d.get("port key", d.get("oper key"))), int(d["port priority"]),
                int(d["port number"]), int(d["port state"])]
    except (KeyError, ValueError, TypeError):
        return None


def lacpdu(actor, partner, version=1):
    """An LACPDU (802.1AX-2014 6.4.2.3), 110 bytes after the Ethernet header."""
    def tlv(typ, p):
        return struct.pack("!BBH6sHHHB3x", typ, 20, p[0] & 0xffff, p[1], p[2] & 0xffff,
                           p[3] & 0xffff, p[4] & 0xffff, p[5] & 0xff)
    return struct.pack("!BB", 1, version) + tlv(1, actor) + tlv(2, partner) + \
        struct.pack("!BBH12x", 3, 16, 0) + bytes(52)


def marker(tlv, port, system, tid, version=1, length=16):
    """A Marker PDU (802.1AX-2014 6.5.3.3): 110 bytes."""
    return struct.pack("!BBBBH6sI2x", 2, version, tlv, length, port, system, tid) + bytes(92)


def lacp_frames(r, d, rx_mac, n):
    """n Slow Protocols payloads as (destination, payload, a loopback?) for a
    port whose bond sees the link as d (its /proc block for the port, or
    None): the partner's own LACPDU, the same with its state, key or system
    changed, or with the wrong idea of us, our own (a loopback), random ones,
    malformed ones, other subtypes, Markers."""
    them = lacp_side(d["partner"]) if d else None
    us = lacp_side(d["actor"]) if d else None

    def rnd():
        return [r.choice([1, 0x8000, 0xffff]), b"\2" + r.randbytes(5),
                r.randrange(65536), r.randrange(256), r.randrange(1, 8), r.randrange(256)]
    if not them or not us:
        them, us = rnd(), rnd()
    kinds = r.choices(["mimic", "perturb", "random", "loopback", "malformed", "marker",
                       "subtype", "unicast"], [3, 5, 1, 1, 2, 2, 1, 1], k=r.choice([1, 1, 3, 6]))
    out = []
    for j in range(n):
        kind = kinds[j % len(kinds)]
        dst = SLOW_DST
        t, u = list(them), list(us)
        if kind == "perturb":
            k = r.randrange(9)
            if k == 0:
                t[5] &= ~0x38           # out of sync, not collecting or distributing
            elif k == 1:
                t[5] |= 0xc0            # expired, defaulted
            elif k == 2:
                t[5] ^= 0x02            # the other timeout
            elif k == 3:
                t[5] &= ~0x01           # passive
            elif k == 4:
                t[5] &= ~0x04           # individual
            elif k == 5:
                t[2] ^= r.choice([1, 0x40, 0x8000])     # another key
            elif k == 6:
                t[1] = b"\2" + r.randbytes(5)                  # another system
            elif k == 7:
                t[4] = r.randrange(65536)               # another port number
            else:
                u[r.choice([0, 2, 3, 4])] ^= 1         # the wrong idea of us
                u[5] ^= r.choice([0, 0x08, 0x3c])
        if kind in ("mimic", "perturb", "unicast"):
            pdu = lacpdu(t, u)
            if kind == "unicast":
                dst = rx_mac or SLOW_DST
        elif kind == "random":
            pdu = lacpdu(rnd(), rnd(), version=r.choice([1, 1, 2]))
        elif kind == "loopback":
            pdu = lacpdu(u, t)
        elif kind == "malformed":
            pdu = bytearray(lacpdu(t, u))
            k = r.randrange(6)
            if k == 0:
                pdu = pdu[:r.randint(1, 109)]
            elif k == 1:
                pdu[1] = r.choice([0, 0xff])
            elif k == 2:
                pdu[3], pdu[23], pdu[43], pdu[59] = 0, 0xff, 0, 0xff     # TLV lengths
            elif k == 3:
                pdu[2], pdu[22], pdu[42], pdu[58] = 2, 1, 9, 7            # TLV types
            elif k == 4:
                pdu += r.randbytes(r.randint(1, 1300))
            else:
                pdu[r.randrange(110)] = r.randrange(256)
            pdu = bytes(pdu)
        elif kind == "marker":
            k = r.randrange(6)
            pdu = marker(r.choice([1, 1, 2, 0, 5, 0xff]) if k < 5 else 1, r.randrange(65536),
                         t[1], r.getrandbits(32), version=1 if k < 5 else 9,
                         length=16 if k < 5 else 0)
            if k == 4:
                pdu = pdu[:r.randint(1, 40)]
        else:
            pdu = bytes([r.choice([0, 3, 4, 10, 0xff])]) + bytes(r.choice([19, 109, 200]))
        out.append((dst, pdu, kind == "loopback"))
    return out


def op_lacp_flood(a, r):
    """A burst of crafted Slow Protocols frames onto one link of the pair (most
    toward LBOND, from the partner's side; some the other way, or sent through
    the sender's bond), while the real partner talks on the same links."""
    i = r.randrange(len(LVETHS))
    if r.random() < 0.7:
        tx, tx_ns, tx_bond, rx_bond, rx_ns, rx_port = PLPORTS[i], LACPNS, PBOND, LBOND, None, LVETHS[i]
    else:
        tx, tx_ns, tx_bond, rx_bond, rx_ns, rx_port = LVETHS[i], None, LBOND, PBOND, LACPNS, PLPORTS[i]
    if r.random() < 0.1:
        tx = tx_bond
    n = r.choices([5, 30, 200, 1000], [3, 3, 2, 1])[0]
    if a.stopping():
        return
    t0 = a._start("lacp flood %d frames %s -> %s" % (n, tx, rx_port))
    d = ad_details(proc_bond(rx_bond, rx_ns))["ports"].get(rx_port)
    rx_mac = None
    if rx_ns is None:
        mac = rd("/sys/class/net/%s/address" % rx_port).strip()
        rx_mac = bytes.fromhex(mac.replace(":", "")) if len(mac) == 17 else None
    sent, err = 0, ""
    # at most 24 distinct frames, sent in turn: Python is slow under TCG
    t1 = mono()
    frames = lacp_frames(r, d, rx_mac, min(n, 24))
    t_build = mono() - t1
    try:
        with InNs(tx_ns):
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
            try:
                s.bind((tx, 0))
            except OSError:
                s.close()
                raise
        try:
            src = s.getsockname()[4][:6]
            # a loopback goes once: each logs two lines on the console, slow under TCG
            once = [o for _, _, o in frames]
            frames = [dst + src + struct.pack("!H", ETH_P_SLOW) + pdu for dst, pdu, _ in frames]
            for j in range(n):
                if j >= len(frames) and once[j % len(frames)]:
                    continue
                try:
                    s.send(frames[j % len(frames)])
                    sent += 1
                except OSError as e:
                    err = errno.errorcode.get(e.errno, str(e.errno))
                    if e.errno in (errno.ENXIO, errno.ENODEV, errno.ENETDOWN):
                        break
        finally:
            s.close()
    except OSError as e:
        err = errno.errorcode.get(e.errno, str(e))
    a.cur = None
    st = "port state %#x, partner %#x" % (port_state(d, "actor"), port_state(d, "partner")) \
        if d and d["actor"] else "not an 802.3ad port"
    a.camp.record(a, "lacp-flood", "%d/%d frames %s -> %s (%s; built in %.2fs)" % (
        sent, n, tx, rx_port, st, t_build), 0 if sent else 1, err, mono() - t0)


def xstats(a, kind, devs, ns=None):
    """The 802.3ad link xstats (RTM_GETSTATS) of bonds and their slaves."""
    if a.stopping():
        return
    t0 = a._start("%s xstats %s" % (kind, " ".join(devs)))
    n, rc = 0, 0
    index = ns_indexes(ns)
    try:
        with InNs(ns):
            s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
            try:
                for dev in devs:
                    idx = index.get(dev)
                    if not idx:
                        continue
                    master = re.match(r"(p|o)?bond\d", dev) is not None
                    try:
                        msg = bond_xstats.query(s, idx, bond_xstats.IFLA_STATS_LINK_XSTATS if
                                                master else bond_xstats.IFLA_STATS_LINK_XSTATS_SLAVE)
                    except OSError:
                        continue
                    n += sum(1 for _ in bond_xstats.attrs(msg, 28, len(msg)))
            finally:
                s.close()
    except OSError as e:
        rc = e.errno or 1
    a.cur = None
    a.camp.record(a, kind, "", rc, "%d attributes" % n, mono() - t0, log=False)


def op_lacp_read(a, r):
    """What the pair reports: a sample of its state into the ops log, its sysfs
    and /proc files, its xstats, a link dump and `ip -d link` of the partner's side."""
    k = r.randint(0, 4)
    if k == 0:
        if a.stopping():
            return
        t0 = a._start("lacp state")
        dl = ad_details(proc_bond(LBOND))
        dp = ad_details(proc_bond(PBOND, LACPNS))
        a.cur = None
        a.camp.record(a, "lacp-state", "%s: %d/%d ports in service, %s: %d/%d" % (
            LBOND, len(ad_in_service(dl, LVETHS)), len(dl["ports"]),
            PBOND, len(ad_in_service(dp, PLPORTS)), len(dp["ports"])), 0, "", mono() - t0)
    elif k == 1:
        paths = glob.glob("/sys/class/net/%s/bonding/ad_*" % LBOND) + \
            glob.glob("/sys/class/net/sl*/bonding_slave/*") + ["/proc/net/bonding/" + LBOND]
        r.shuffle(paths)
        a.reads("lacp-read", paths)
    elif k == 2:
        xstats(a, "lacp-xstats", [LBOND] + LVETHS) if r.random() < 0.5 else \
            xstats(a, "lacp-xstats", [PBOND] + PLPORTS, LACPNS)
    elif k == 3:
        a.dump("lacp-read", LACPNS)
    else:
        a.cmd("lacp-read", ["ip", "-n", LACPNS, "-d", "-s", "link", "show"])


def op_read_xstats(a, r):
    """Every bond's and slave's 802.3ad xstats, in whatever mode they are."""
    devs = main_bonds()
    for b in list(devs):
        devs += slaves_of(b)
    xstats(a, "read-xstats", devs)


# worker: (name, [(weight, op), ...], longest pause between two ops in s)
WORKERS = [
    ("slaves-a", [(6, op_enslave), (5, op_release), (2, op_active), (1, op_slave_opts)], 0.05),
    ("slaves-b", [(6, op_enslave), (5, op_release), (1, op_active), (1, op_slave_opts)], 0.05),
    ("modes", [(3, op_reconfigure), (2, op_mode_bare), (1, op_mode_with_opts)], 0.2),
    # the sequences behind two bugs found before (a freed probe slave, a
    # reference left on a slave that changed namespace), with random details
    ("scenarios", [(1, op_arp_probe_scenario), (1, op_mtu_scenario)], 0.5),
    ("options", [(8, op_option), (3, op_targets), (1, op_modparam_runtime)], 0.05),
    ("links", [(3, op_bond_updown), (3, op_peer_flap), (2, op_path_cut), (2, op_slave_link)], 0.1),
    ("life", [(2, op_bond_delete), (3, op_bond_create), (2, op_slave_delete), (4, op_repair),
              (1, op_rename)], 0.2),
    ("netns", [(3, op_netns_slave), (1, op_netns_bond), (3, op_mtu_move), (2, op_other_bond),
               (0.3, op_other_recycle)], 0.2),
    ("stack", [(2, op_mtu), (1, op_mac), (2, op_nest), (2, op_vlan), (2, op_macvlan),
               (2, op_xdp)], 0.1),
    # 802.3ad with a partner (bond5 and pbond0): its configuration and ports,
    # and what goes on on its wire, apart so that the two race
    ("lacp", [(2, op_lacp_build), (4, op_lacp_option), (2, op_lacp_slave_opts),
              (2, op_lacp_generic), (4, op_lacp_heal), (2, op_lacp_steal),
              (0.4, op_lacp_life)], 0.5),
    ("lacp-wire", [(5, op_lacp_flood), (3, op_lacp_wire), (2, op_lacp_read),
                   (2, op_lacp_traffic)], 0.3),
    ("readers-a", [(3, op_read_sysfs), (2, op_read_proc), (3, op_read_links),
                   (1, op_read_xstats)], 0.05),
    ("readers-b", [(3, op_read_sysfs), (3, op_read_proc), (2, op_read_links),
                   (1, op_read_xstats)], 0.05),
    ("traffic-a", [(6, op_icmp), (1, op_ping), (1, op_flood), (3, op_udp)], 0.5),
    ("traffic-b", [(6, op_icmp), (1, op_ping), (1, op_flood), (3, op_udp)], 0.5),
]


class Worker(Actor):
    """One worker: its own process (a thread would wait for the GIL, which
    every exec holds while the child loads), its own stream of the seed."""
    def __init__(self, camp, name, ops, pace):
        Actor.__init__(self, camp, name)
        self.worker = True
        # each epoch its own stream: the workers start again every epoch, and
        # a long campaign would replay the first epoch's ops again and again
        self.rng = random.Random("%d/%s%s" % (camp.seed, name,
                                              "/%d" % camp.epoch if camp.epoch else ""))
        self.weights = [w for w, _ in ops]
        self.ops = [f for _, f in ops]
        self.pace = pace
        self.steps = 0

    def run(self):
        while not self.camp.stop.is_set():
            # three draws per step whatever happens: the sequence is the seed's
            op = self.rng.choices(self.ops, self.weights)[0]
            opseed = self.rng.getrandbits(64)
            pause = self.rng.random() * self.pace
            self.steps += 1
            self.camp.log_step(self, op.__name__, opseed)
            try:
                op(self, random.Random(opseed))
            except Exception:
                self.camp.error("%s step %d %s (op seed %d):\n%s" % (
                    self.name, self.steps, op.__name__, opseed, traceback.format_exc()))
            self.camp.stop.wait(pause)


# The workers' shared page: per worker a slot (start of its current op, 0
# when between ops; its pid; what it does), and an abort byte.
SLOT, SLOTS = 256, 32
ABORT = SLOT * SLOTS        # set on a hang: everyone stops now
STOP = ABORT + 1            # set when the epoch's time is up


class Deadline:
    """A worker's stop: the epoch's end or an abort, both said by the campaign."""
    def __init__(self, shm):
        self.shm = shm

    def is_set(self):
        return self.shm[STOP] != 0 or self.shm[ABORT] != 0

    def wait(self, secs):
        end = mono() + secs
        while mono() < end and not self.is_set():
            time.sleep(min(0.2, max(0, end - mono())))


class Tally:
    """Counts and logs ops: the campaign's, or one worker's (merged at the end)."""
    def __init__(self, log_path):
        self.lock = threading.Lock()
        self.ops = self.refusals = self.timeouts = self.hangs = 0
        self.traffic = self.traffic_ok = 0
        self.kinds = {}
        self.violations, self.errors = [], []
        self.max_lat = (0.0, "")
        self.log = open(log_path, "w", buffering=1)

    def publish(self, cur):
        pass

    def record(self, actor, kind, desc, rc, msg, lat, log=True):
        hang = rc in (124, 137) and not kind.startswith("traffic")
        with self.lock:
            if kind.startswith("traffic"):
                self.traffic += 1
                self.traffic_ok += rc == 0
            else:
                self.ops += 1
                k = self.kinds.setdefault(kind, [0, 0])
                k[0] += 1
                if rc != 0:
                    self.refusals += 1
                    k[1] += 1
                if lat > self.max_lat[0]:
                    self.max_lat = (lat, desc or kind)
            if hang:
                self.timeouts += 1
                self.hangs += 1
            if log or rc != 0:
                self.log.write("[%11.6f] %-9s %-18s %s -> %s%s (%.2fs)\n" % (
                    mono(), actor.name, kind, desc, "ok" if rc == 0 else "rc=%s" % rc,
                    (" " + msg) if msg and rc != 0 else "", lat))
        if hang:
            self.say("hang: %s: '%s' did not finish in %ds" % (actor.name, desc, self.op_timeout))

    def log_step(self, actor, opname, opseed):
        with self.lock:
            self.log.write("[%11.6f] %-9s step %d: %s (op seed %d)\n" % (
                mono(), actor.name, actor.steps, opname, opseed))

    def say(self, text):
        print("stress: " + text, flush=True)
        with self.lock:
            self.log.write("[%11.6f] %s\n" % (mono(), text))

    def violation(self, text):
        with self.lock:
            self.violations.append(text)
        self.say("violation: " + text)

    def error(self, text):
        with self.lock:
            self.errors.append(text)
        self.say("error (a bug of the stress program): " + text)

    def state(self):
        return {"ops": self.ops, "refusals": self.refusals, "timeouts": self.timeouts,
                "hangs": self.hangs, "traffic": self.traffic, "traffic_ok": self.traffic_ok,
                "kinds": self.kinds, "violations": self.violations, "errors": self.errors,
                "max_lat": self.max_lat}

    def merge(self, st):
        with self.lock:
            for k in ("ops", "refusals", "timeouts", "hangs", "traffic", "traffic_ok"):
                setattr(self, k, getattr(self, k) + st[k])
            for k, v in st["kinds"].items():
                mine = self.kinds.setdefault(k, [0, 0])
                mine[0] += v[0]
                mine[1] += v[1]
            self.violations += st["violations"]
            self.errors += st["errors"]
            if st["max_lat"][0] > self.max_lat[0]:
                self.max_lat = tuple(st["max_lat"])


class WorkerTally(Tally):
    """The campaign as a worker process sees it."""
    def __init__(self, camp, idx, name):
        Tally.__init__(self, "%s/stress-%d.ops.%s.log" % (OUT, camp.seed, name))
        self.seed, self.idx, self.epoch = camp.seed, idx, camp.epoch
        self.op_timeout, self.ip_share, self.xdp_load = camp.op_timeout, camp.ip_share, camp.xdp_load
        self.shm = camp.shm
        self.stop = Deadline(camp.shm)

    def publish(self, cur):
        off = self.idx * SLOT
        if cur:
            desc = cur[0].encode(errors="replace")[:SLOT - 13] + b"\0"
            self.shm[off + 12:off + 12 + len(desc)] = desc
            struct.pack_into("<dI", self.shm, off, cur[1], os.getpid())
        else:
            struct.pack_into("<d", self.shm, off, 0.0)


def worker_process(camp, idx, name, ops, pace, wfd):
    """The child's life: run the worker until told to stop, send the tally
    up the pipe, exit (never returns)."""
    code = 0
    try:
        sys.stdout = open(1, "w", buffering=1, closefd=False)
        tally = WorkerTally(camp, idx, name)
        w = Worker(tally, name, ops, pace)
        try:
            w.run()
        except Exception:
            tally.error("%s: %s" % (name, traceback.format_exc()))
        st = tally.state()
        st["steps"] = w.steps
        data = json.dumps(st).encode()
        while data:
            data = data[os.write(wfd, data):]
        tally.log.close()
    except BaseException:
        code = 1
    finally:
        os._exit(code)


# ---------------------------------------------------------------------------

def modparams(r):
    """Load-time parameters for one epoch: the defaults of every new bond."""
    if r.random() < 0.2:
        return []
    p = ["max_bonds=%d" % r.choice([0, 0, 1, 2, 5])]
    style = r.choices(["ab-arp-dead", "miimon", "arp-live", "mode", "ad", "odd", "invalid"],
                      [3, 2, 1, 2, 2, 2, 1])[0]
    if style == "ab-arp-dead":
        p += ["mode=active-backup", "arp_interval=%d" % r.choice([20, 50, 100]),
              "arp_ip_target=%s" % dead_ip(0), "arp_validate=all"]
    elif style == "miimon":
        p += ["mode=%s" % r.choice(MODES[:4]), "miimon=100", "updelay=200", "downdelay=100"]
    elif style == "arp-live":
        p += ["mode=%s" % r.choice(MODES[:4]), "arp_interval=100",
              "arp_ip_target=%s,%s" % (peer_ip(0), dead_ip(0)),
              "arp_validate=%s" % r.choice(["none", "active", "all", "filter"]),
              "arp_all_targets=%s" % r.choice(["any", "all"])]
    elif style == "mode":
        p += ["mode=%s" % r.choice(MODES + ["0", "1", "2", "3"]), "miimon=%d" % r.choice([0, 50])]
    elif style == "ad":
        # every new bond 802.3ad: the dummies' ports never come up
        p += ["mode=802.3ad", "miimon=100", "lacp_rate=%s" % r.choice(["slow", "fast"]),
              "ad_select=%s" % r.choice(["stable", "bandwidth", "count"])]
        if r.random() < 0.4:
            p += ["min_links=%d" % r.randint(1, 3)]
    elif style == "odd":
        # warned about and reset, or ignored
        p += r.sample(["miimon=-5", "tx_queues=%d" % r.choice([0, 1, 4, 300]), "num_grat_arp=300",
                       "packets_per_slave=70000", "use_carrier=7", "resend_igmp=300",
                       "all_slaves_active=2", "updelay=-1", "max_bonds=-1", "lp_interval=0",
                       "primary=sv1", "min_links=2", "fail_over_mac=active",
                       "xmit_hash_policy=layer3+4"], 4)
    else:
        p += [r.choice(["mode=7", "mode=bogus", "mode=balance-xor xmit_hash_policy=bogus",
                        "arp_validate=all", "arp_validate=bogus", "primary_reselect=bogus",
                        "fail_over_mac=bogus", "arp_all_targets=bogus", "ad_select=bogus",
                        "mode=802.3ad lacp_rate=bogus"])]
    return " ".join(p).split()


class Campaign(Tally):
    def __init__(self, seed, duration, args):
        Tally.__init__(self, "%s/stress-%d.ops.log" % (OUT, seed))
        self.seed, self.duration = seed, duration
        self.epoch = 0
        self.op_timeout, self.hang_after = args.op_timeout, args.hang_after
        self.xdp_load = args.xdp_load
        self.ip_share = args.ip_share
        self.stop = threading.Event()       # never set: the campaign's own ops always run
        self.shm = mmap.mmap(-1, STOP + 1)
        self.running = {}                   # pid: (worker name, slot) of this epoch
        self.actors = []
        self.steps = {}
        self.profile = args.profile
        self.only = args.workers.split(",") if args.workers else None
        self.tasks0 = task_times() if self.profile else {}
        self.task_last, self.task_cpu = {}, {}
        self.tids = {threading.get_native_id(): "main"}
        self.ended = False
        self.lacp_hist = {}         # {ports of LBOND in service: samples} (watchdog, 5 s)
        self.me = Actor(self, "main")
        self.actors.append(self.me)

    # -- the kernel log of this campaign, read as it comes (the ring buffer
    # would not hold a whole campaign's messages)
    def kmsg_reader(self):
        path = "%s/stress-%d.kmsg.log" % (OUT, self.seed)
        self.kmsg_path = path
        out = open(path, "w", buffering=1)
        fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
        os.lseek(fd, 0, os.SEEK_END)
        po = select.poll()
        po.register(fd, select.POLLIN)
        self.kmsg_stop = threading.Event()

        def loop():
            while True:
                stopping = self.kmsg_stop.is_set()
                po.poll(300)
                while True:
                    try:
                        rec = os.read(fd, 8192).decode(errors="replace")
                    except BlockingIOError:
                        break
                    except BrokenPipeError:
                        out.write("[stress: kernel log records lost]\n")
                        continue
                    head, _, msg = rec.partition(";")
                    f = head.split(",")
                    us = int(f[2]) if len(f) > 2 and f[2].isdigit() else 0
                    # the record, then " KEY=value" lines; a record's own line breaks
                    # come escaped, as \x0a
                    text = msg.split("\n")[0].replace("\\x0a", "\n").replace("\\x09", "\t")
                    for line in text.rstrip("\n").split("\n"):
                        out.write("[%5d.%06d] %s\n" % (us // 1000000, us % 1000000, line))
                if stopping:
                    break
            os.close(fd)
            out.close()
        self.kmsg_thread = threading.Thread(target=loop, daemon=True)
        self.kmsg_thread.start()

    def current(self):
        """(name, pid, (op, start)) of every actor in an op now."""
        out = []
        if self.me.cur:
            out.append(("main", os.getpid(), self.me.cur))
        for pid, (name, idx) in list(self.running.items()):
            start, wpid = struct.unpack_from("<dI", self.shm, idx * SLOT)
            if start:
                desc = bytes(self.shm[idx * SLOT + 12:(idx + 1) * SLOT]).split(b"\0")[0]
                out.append((name, wpid, (desc.decode(errors="replace"), start)))
        return out

    def watchdog(self):
        last = 0
        self.slow_noted = {}
        while not self.ended:
            time.sleep(1)
            now = mono()
            for name, pid, cur in self.current():
                if now - cur[1] > self.hang_after:
                    self.hung(name, cur)
                    return
                if now - cur[1] > self.op_timeout / 4 and self.slow_noted.get(name) != cur:
                    # where a slow op waits in the kernel: the worker (a sysfs
                    # or netlink op) or its children (ip, ...)
                    self.slow_noted[name] = cur
                    stacks = "".join("  task %s (%s):\n%s" % (
                        t, rd("/proc/%s/comm" % t).strip(), rd("/proc/%s/stack" % t))
                        for t in [str(pid)] + rd("/proc/%d/task/%d/children" % (pid, pid)).split())
                    with self.lock:
                        self.log.write("[%11.6f] %-9s slow: '%s' running for %ds; kernel stacks:"
                                       "\n%s" % (mono(), name, cur[0], now - cur[1], stacks))
            if now - last > 5:
                last = now
                if self.running:
                    n = len(ad_in_service(ad_details(proc_bond(LBOND)), LVETHS))
                    self.lacp_hist[n] = self.lacp_hist.get(n, 0) + 1
                if self.profile:
                    # cpu per task, sampled: tasks that end before the campaign count too
                    cur_t = task_times()
                    for k, v in cur_t.items():
                        d = v - self.task_last.get(k, self.tasks0.get(k, 0))
                        if d > 0:
                            self.task_cpu[k] = self.task_cpu.get(k, 0) + d
                    self.task_last = cur_t
                with self.lock:
                    line = "seed=%d ops=%d refusals=%d hangs=%d\n" % (
                        self.seed, self.ops, self.refusals, self.hangs)
                try:
                    with open("%s/stress-progress" % OUT, "w") as f:
                        f.write(line)
                except OSError:
                    pass

    def hung(self, name, cur):
        """An op stuck for good: report, dump the blocked tasks, reboot."""
        self.hangs += 1
        self.shm[ABORT] = 1
        self.say("hang: %s: '%s' stuck for %ds; dumping blocked tasks, then rebooting" % (
            name, cur[0], mono() - cur[1]))
        for n, pid, c in self.current():
            self.say("  %s was in '%s' for %ds" % (n, c[0], mono() - c[1]))
        try:
            with open("/proc/sys/kernel/sysrq", "w") as f:
                f.write("1")
            with open("/proc/sysrq-trigger", "w") as f:
                f.write("w")
        except OSError:
            pass
        time.sleep(3)
        self.kmsg_stop.set()
        self.kmsg_thread.join(5)
        self.merge_logs()
        splats, first = self.splat_check()
        self.summary(splats, "-", "not-reached")
        if first:
            print(first, flush=True)
        os.system("dmesg > %s/dmesg.log 2>&1" % OUT)
        with open("%s/rc" % OUT, "w") as f:
            f.write("1\n")
        os.sync()
        with open("/proc/sysrq-trigger", "w") as f:
            f.write("b")
        time.sleep(30)

    # -- setup and teardown
    def load(self, r, epoch):
        params = modparams(r)
        m = self.me
        self.say("epoch %d: modprobe bonding %s" % (epoch, " ".join(params)))
        if not m.cmd("modprobe", ["modprobe", "-C", MODPROBE_DIR, "bonding"] + params):
            self.say("epoch %d: refused; loading with no parameters" % epoch)
            if not m.cmd("modprobe", ["modprobe", "-C", MODPROBE_DIR, "bonding"]):
                self.violation("modprobe bonding (no parameters) failed")
                return False
        return True

    def topology(self):
        m = self.me
        for ns in (PEER, OTHER, LACPNS):
            m.cmd("setup", ["ip", "netns", "add", ns])
            m.ip("setup", "link set lo up", ns=ns)
        m.ip("setup", "link add br0 type bridge forward_delay 0 mcast_snooping 0", ns=PEER)
        m.ip("setup", "link set br0 up", ns=PEER)
        for i in range(len(BONDS) + 1):     # and bond5's, for when it has other slaves
            m.ip("setup", "addr add %s/28 dev br0" % peer_ip(i), ns=PEER)
            m.ip("setup", "addr add %s/64 dev br0 nodad" % peer_ip6(i), ns=PEER)
        for k in ("all", "default"):
            m.cmd("setup", ["sysctl", "-qw", "net.ipv6.conf.%s.keep_addr_on_down=1" % k])
        r = random.Random("%d/topology" % self.seed)
        for s in SLAVES + LVETHS:
            make_slave(m, r, s)

    def epoch_start(self, r, e):
        for b in BONDS:
            if not exists(b):
                if r.random() < 0.5:
                    self.me.ip("setup", "link add %s type bond" % b)
                else:
                    self.me.write("setup", "/sys/class/net/bonding_masters", "+%s" % b)
            bond_config(self.me, r, b)
        lacp_reset(self.me)
        lacp_settle(self.me, "epoch %d start" % e)

    def run_workers(self, secs):
        """The workers, each in a process of its own, for secs of real time."""
        end = wall() + secs
        self.shm[ABORT] = self.shm[STOP] = 0
        self.shm[0:ABORT] = bytes(ABORT)
        self.running = {}
        pipes = {}
        chosen = [w for w in WORKERS if not self.only or w[0] in self.only]
        sys.stdout.flush()
        for idx, (name, ops, pace) in enumerate(chosen):
            rfd, wfd = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(rfd)
                worker_process(self, idx, name, ops, pace, wfd)
            os.close(wfd)
            self.running[pid] = (name, idx)
            self.tids[pid] = name
            pipes[pid] = rfd
        while wall() < end and not self.shm[ABORT]:
            time.sleep(0.5)
        self.shm[STOP] = 1
        for pid, rfd in pipes.items():
            data = b""
            while True:
                chunk = os.read(rfd, 65536)
                if not chunk:
                    break
                data += chunk
            os.close(rfd)
            os.waitpid(pid, 0)
            name = self.running[pid][0]
            try:
                st = json.loads(data)
            except ValueError:
                self.error("worker %s died without its tally" % name)
                continue
            self.merge(st)
            self.steps[name] = self.steps.get(name, 0) + st["steps"]
        self.running = {}
        self.merge_logs()

    def merge_logs(self):
        """The workers' op logs into the campaign's, in time order."""
        with self.lock:
            self.log.flush()
            lines = []
            for path in [self.log.name] + glob.glob("%s/stress-%d.ops.*.log" % (OUT, self.seed)):
                key = 0.0
                for line in open(path, errors="replace"):
                    m = re.match(r"\[ *([0-9.]+)\]", line)
                    if m:
                        key = float(m.group(1))
                    lines.append((key, line))
                if path != self.log.name:
                    os.unlink(path)
            lines.sort(key=lambda kv: kv[0])
            self.log.close()
            self.log = open(self.log.name, "w", buffering=1)
            self.log.writelines(line for _, line in lines)

    def delete_bonds(self, r):
        m = self.me
        for b in main_bonds():
            if r.random() < 0.5:
                m.ip("teardown", "link del %s" % b)
            else:
                m.write("teardown", "/sys/class/net/bonding_masters", "-%s" % b)
        for b in OBONDS + [x + "r" for x in BONDS]:
            if exists(b, OTHER):
                m.ip("teardown", "link del %s" % b, ns=OTHER)
        if exists(PBOND, LACPNS):
            m.ip("teardown", "link del %s" % PBOND, ns=LACPNS)
        left = main_bonds()
        if left:
            self.violation("bonds left after deleting them all: %s" % " ".join(left))

    def check_no_slaves(self):
        """With every bond gone, nothing may still be a slave."""
        for p in glob.glob("/sys/class/net/*/flags"):
            dev = p.split("/")[4]
            try:
                flags = int(rd(p).strip() or "0", 16)
            except ValueError:
                continue
            if flags & IFF_SLAVE or os.path.exists("/sys/class/net/%s/master" % dev) and \
                    os.path.exists("/sys/class/net/%s/bonding_slave" % dev):
                self.violation("%s is still a bond's slave (flags %#x) with no bond left" % (dev, flags))

    def rmmod(self):
        for attempt in range(3):
            if self.me.cmd("rmmod", ["rmmod", "bonding"]):
                break
            time.sleep(2)
        if os.path.exists("/sys/module/bonding"):
            self.violation("rmmod bonding failed: the module is still loaded")
            return False
        for p in ("/sys/class/net/bonding_masters", "/proc/net/bonding"):
            if os.path.exists(p):
                self.violation("%s still there after rmmod" % p)
        return True

    def final_cleanup(self):
        m = self.me
        for s in SLAVES + LVETHS:
            for dev in (s, s + "r"):
                if exists(dev):
                    m.ip("teardown", "link del %s" % dev)
        for dev in ns_links(OTHER):
            if ours(dev):
                m.ip("teardown", "link del %s" % dev, ns=OTHER)
        for dev in MACVLANS:
            if exists(dev):
                m.ip("teardown", "link del %s" % dev)
        for ns in (PEER, LACPNS):
            for dev in ns_links(ns):
                if ours(dev):
                    m.ip("teardown", "link del %s" % dev, ns=ns)
        for ns in (OTHER, PEER, LACPNS):
            m.cmd("teardown", ["ip", "netns", "del", ns])

    def kmemleak(self):
        path = KMEMLEAK
        if not os.access(path, os.W_OK):
            return "-"
        # two scans: an object is reported once its contents stayed the same
        # from one scan to the next
        for _ in range(2):
            with open(path, "w") as f:
                f.write("scan")
            time.sleep(2)
        text = rd(path)
        with open("%s/stress-%d.kmemleak.log" % (OUT, self.seed), "w") as f:
            f.write(text)
        with open(path, "w") as f:
            f.write("clear")
        n = text.count("unreferenced object")
        if n:
            self.say("kmemleak: %d unreferenced objects; the first:" % n)
            print("\n".join(text.splitlines()[:20]), flush=True)
        return n

    HEAD = re.compile(r"BUG:|WARNING:|kernel BUG|general protection fault|Kernel panic|UBSAN:|"
                      r"possible circular locking|possible recursive locking|"
                      r"inconsistent lock state|suspicious RCU usage|refcount_t:|"
                      r"list_add corruption|list_del corruption|ODEBUG:|blocked for more than|"
                      r"soft lockup|rcu_.* detected stalls|unregister_netdevice: waiting for")

    def splat_check(self):
        """tests/vm/splat.sh over the campaign's kernel log: (count, its report)."""
        p = subprocess.run([PROJ + "/tests/vm/splat.sh", self.kmsg_path], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        if p.returncode == 0:
            return 0, ""
        # distinct reports: the same message again (a refcount wait repeats
        # every 10 s) counts once
        heads = set()
        for line in open(self.kmsg_path, errors="replace"):
            if self.HEAD.search(line):
                heads.add(re.sub(r"^\[[ 0-9.]*\] |[0-9]+", "", line))
        return max(len(heads), 1), "\n".join(p.stdout.splitlines()[:30])

    def summary(self, splats, leaks, rmmod):
        bad = splats or (leaks not in ("-", 0)) or self.hangs or self.violations or \
            self.errors or rmmod != "ok"
        print("stress: seed=%d duration=%ds impl=%s kernel=%s ops=%d refusals=%d splats=%d "
              "leaks=%s hangs=%d violations=%d errors=%d rmmod=%s result=%s" % (
                  self.seed, self.duration, IMPL, os.uname().release, self.ops, self.refusals,
                  splats, leaks, self.hangs, len(self.violations), len(self.errors), rmmod,
                  "FAIL" if bad else "ok"), flush=True)
        return not bad

    def run(self):
        mark = "stress-campaign-seed-%d" % self.seed
        self.kmsg_reader()
        time.sleep(0.5)
        kmsg(mark)
        threading.Thread(target=self.watchdog, daemon=True).start()
        r = random.Random("%d/main" % self.seed)
        epochs = max(1, round(self.duration / 100))
        if os.access(KMEMLEAK, os.W_OK):
            # no automatic scans: one takes a CPU for a long while on the debug
            # kernel under TCG; the campaign scans at its end
            with open(KMEMLEAK, "w") as f:
                f.write("scan=off")
        self.say("seed %d: %d s in %d epoch(s), %d workers, op timeout %ds, ops log %s" % (
            self.seed, self.duration, epochs, len(WORKERS), self.op_timeout, self.log.name))
        rmmod = "ok"
        self.t_start, self.w_start = mono(), wall()
        self.cpu0 = cpu_stat()

        self.topology()
        for e in range(epochs):
            self.epoch = e
            if not self.load(r, e):
                rmmod = "not-reached"
                break
            kmsg("%s-epoch-%d" % (mark, e))
            self.epoch_start(r, e)
            # not a verdict (a bond may start with dummies only, or an ARP
            # monitor with nobody answering): whether the topology carries
            # traffic at all
            alive = [b for i, b in enumerate(BONDS) if icmp_burst(self.me, i, False, False,
                                                                   3, 56, 3.0)]
            self.say("epoch %d: bonds answering pings at the start: %s" % (
                e, " ".join(alive) or "none"))
            self.run_workers(self.duration / epochs)
            # the pair made plain again after the churn must aggregate again
            lacp_reset(self.me)
            lacp_settle(self.me, "epoch %d end" % e)
            last = e == epochs - 1
            if last or r.random() < 0.6:
                self.delete_bonds(r)
                self.check_no_slaves()
            else:
                self.say("epoch %d: rmmod with the bonds still there" % e)
            if not self.rmmod():
                rmmod = "FAIL"
                break
            self.check_no_slaves()
        self.final_cleanup()
        if rmmod == "ok" and os.path.exists("/sys/module/bonding"):
            rmmod = "FAIL" if not self.rmmod() else "ok"
        leaks = self.kmemleak()
        time.sleep(1)
        kmsg(mark + "-end")
        self.kmsg_stop.set()
        self.kmsg_thread.join(10)
        self.ended = True
        splats, first = self.splat_check()
        if first:
            print(first, flush=True)
        with self.lock:
            top = sorted(self.kinds.items(), key=lambda kv: -kv[1][0])
        print("stress: ops by kind (ops/refused): " + " ".join(
            "%s=%d/%d" % (k, v[0], v[1]) for k, v in top), flush=True)
        t = os.times()
        d = [b - a for a, b in zip(self.cpu0, cpu_stat())]
        print("stress: cpu: this program %.0fs user %.0fs system, workers and children %.0fs, "
              "in %.0fs (%ds of real time); the machine: %s" % (
                  t.user, t.system, t.children_user + t.children_system, mono() - self.t_start,
                  wall() - self.w_start,
                  " ".join("%s %d%%" % (n, 100 * v // max(1, sum(d))) for n, v in zip(
                      ["user", "nice", "system", "idle", "iowait", "irq", "softirq"], d))),
              flush=True)
        if self.profile:
            hz = os.sysconf("SC_CLK_TCK")
            top = sorted(((v, self.tids.get(int(k[1]), k[2])) for k, v in self.task_cpu.items()),
                         reverse=True)
            print("stress: busiest tasks (cpu s): " + " ".join(
                "%s=%.0f" % (c, v / hz) for v, c in top[:10]), flush=True)
        print("stress: steps per worker: " + " ".join(
            "%s=%d" % kv for kv in sorted(self.steps.items())), flush=True)
        print("stress: %s's ports in service with their partner (samples every 5 s): %s" % (
            LBOND, " ".join("%d:%d" % kv for kv in sorted(self.lacp_hist.items())) or "none"),
            flush=True)
        print("stress: traffic runs %d (%d got through); slowest op %.1fs: %s" % (
            self.traffic, self.traffic_ok, self.max_lat[0], self.max_lat[1]), flush=True)
        for v in self.violations:
            print("stress: violation: " + v, flush=True)
        for e in self.errors[:3]:
            print("stress: error: " + e, flush=True)
        ok = self.summary(splats, leaks, rmmod)
        self.log.close()
        return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", required=True, help="one or more seeds, space-separated")
    ap.add_argument("--duration", type=int, default=300, help="churn seconds per seed")
    slow = "bonddebug" in os.uname().release
    # an op still running after op-timeout is killed and counted as a hang;
    # one that cannot even be killed (stuck in the kernel) ends the campaign
    # after hang-after. The debug kernel under TCG is 5-20 times slower.
    ap.add_argument("--op-timeout", type=int, default=120 if slow else 30)
    ap.add_argument("--hang-after", type=int, default=240 if slow else 90)
    ap.add_argument("--ip-share", type=float, default=0.15,
                    help="the share of link changes sent through ip(8), not in-process netlink")
    ap.add_argument("--workers", default="",
                    help="only these workers (comma-separated names), to narrow a failure down")
    ap.add_argument("--profile", action="store_true",
                    help="sample every task's cpu time and print the busiest")
    ap.add_argument("--xdp-load", default=PROJ + "/build/stress/xdp-load")
    args = ap.parse_args()
    if not os.access(args.xdp_load, os.X_OK):
        args.xdp_load = "/tmp/stress-xdp-load"
        subprocess.run(["gcc", "-O2", "-o", args.xdp_load, PROJ + "/tests/tools/xdp-load.c"],
                       check=True)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    ok = True
    for seed in [int(s) for s in args.seeds.split()]:
        if os.path.exists("/sys/module/bonding"):
            subprocess.run(["rmmod", "bonding"])
        camp = Campaign(seed, args.duration, args)
        try:
            ok &= camp.run()
        except Exception:
            camp.error("campaign: " + traceback.format_exc())
            camp.shm[ABORT] = 1
            camp.ended = True
            camp.summary(0, "-", "not-reached")
            ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
