#!/usr/bin/python3
# fuzz-netlink: RTM_NEWLINK messages built by hand, so malformed ones are
# possible: IFLA_INFO_DATA (IFLA_BOND_*) and IFLA_INFO_SLAVE_DATA
# (IFLA_BOND_SLAVE_*) attributes with random types, short/long/zero
# lengths, out-of-range values, wrong nesting (ARP_IP_TARGET and
# NS_IP6_TARGET nests with junk, empty, overlong, too many elements),
# unknown attribute numbers, broken IFLA_LINKINFO; on the creation of a new
# bond and on the change of existing bonds with slaves (active-backup and
# balance-rr, up) and without (balance-xor, down), and on their slaves.
#
#   fuzz_netlink.py --seed N --impl ours|intree [--oracle] [--count N]
#
# Every input is run against the module under test; with --oracle, the same
# inputs then run against the in-tree bonding.ko in the same VM and the two
# are compared (see fuzzlib.compare). Exit 0: no problem; 1: problems
# (printed with the exact input); 2: the harness failed.
import argparse
import os
import random
import socket
import struct
import sys
import time

sys.path.insert(0, __import__("os").path.dirname(__file__))
from fuzzlib import *  # noqa: E402,F401,F403
import fuzzlib  # noqa: E402


def log(s):
    print(s, flush=True)


# ---- attribute trees ------------------------------------------------------

class Ifx:
    """An ifindex by device name (resolved when sent), or a fixed number."""
    def __init__(self, sym, size=4):
        self.sym, self.size = sym, size

    def enc(self, ctx):
        v = ctx.get(self.sym, 0x7FFF0000) if isinstance(self.sym, str) else self.sym
        return struct.pack("<Q", v & 0xFFFFFFFFFFFFFFFF)[:self.size].ljust(self.size, b"\0")

    def desc(self):
        return "ifindex(%s)%s" % (self.sym, "" if self.size == 4 else "[%dB]" % self.size)


class A:
    """One attribute: T (with flags), V bytes, a list of A (nested) or Ifx."""
    def __init__(self, t, v, names=None):
        self.t, self.v, self.names = t, v, names

    def enc(self, ctx):
        if isinstance(self.v, list):
            p = b"".join(a.enc(ctx) for a in self.v)
        elif isinstance(self.v, Ifx):
            p = self.v.enc(ctx)
        else:
            p = self.v
        return nla(self.t, p)

    def desc(self):
        t = self.t & 0x3FFF
        nm = (self.names or {}).get(t, str(t))
        fl = ("N" if self.t & NLA_F_NESTED else "") + ("B" if self.t & NLA_F_NET_BYTEORDER else "")
        nm += "/" + fl if fl else ""
        if isinstance(self.v, list):
            return "%s{%s}" % (nm, ", ".join(a.desc() for a in self.v))
        if isinstance(self.v, Ifx):
            return "%s=%s" % (nm, self.v.desc())
        if len(self.v) in (1, 2, 4):
            n = int.from_bytes(self.v, "little")
            return "%s=%s(%d)" % (nm, self.v.hex(), n)
        return "%s=%s" % (nm, self.v.hex() if self.v else "''")


class Raw:
    """Bytes put as they are where attributes are expected."""
    def __init__(self, v):
        self.v = v

    def enc(self, ctx):
        return self.v

    def desc(self):
        return "raw(%s)" % self.v.hex()


class Msg:
    def __init__(self, op, target, nlflags, ifi_flags, ifi_change, attrs):
        self.op, self.target, self.nlflags = op, target, nlflags
        self.ifi_flags, self.ifi_change, self.attrs = ifi_flags, ifi_change, attrs

    def body(self, ctx):
        idx = ctx.get(self.target, 0) if self.op != "create" else 0
        return ifinfomsg(idx, self.ifi_flags, self.ifi_change) + \
            b"".join(a.enc(ctx) for a in self.attrs)

    def desc(self):
        fl = []
        if self.nlflags & NLM_F_CREATE:
            fl.append("CREATE")
        if self.nlflags & NLM_F_EXCL:
            fl.append("EXCL")
        s = "%s %s" % (self.op, self.target)
        if fl:
            s += " [%s]" % "|".join(fl)
        if self.ifi_change or self.ifi_flags:
            s += " ifi_flags=%#x/%#x" % (self.ifi_flags, self.ifi_change)
        return s + " " + " ".join(a.desc() for a in self.attrs)

    def uses(self):
        """The bond attribute numbers (and mode values) the message holds."""
        out = set()
        for a in self.attrs:
            if isinstance(a, A) and (a.t & 0x3FFF) == 18 and isinstance(a.v, list):
                kind = b""
                for b in a.v:
                    if isinstance(b, A) and (b.t & 0x3FFF) == 1 and isinstance(b.v, bytes):
                        kind = b.v.split(b"\0")[0]
                for b in a.v:
                    if isinstance(b, A) and (b.t & 0x3FFF) == 2 and kind != b"bond":
                        continue                # data for another kind: not ours to read
                    if isinstance(b, A) and (b.t & 0x3FFF) in (2, 5) and isinstance(b.v, list):
                        for c in b.v:
                            if isinstance(c, A):
                                out.add(("slave" if (b.t & 0x3FFF) == 5 else "bond", c.t & 0x3FFF,
                                         c.v[:1] if isinstance(c.v, bytes) else None))
        return out


# ---- the generator ----------------------------------------------------------

U8 = [0, 1, 2, 3, 4, 5, 6, 7, 8, 0x7F, 0x80, 0xFE, 0xFF]
U16 = [0, 1, 2, 15, 16, 17, 255, 256, 1023, 1024, 0x7FFF, 0x8000, 0xFFFE, 0xFFFF]
U32 = [0, 1, 2, 3, 4, 5, 6, 7, 8, 50, 99, 100, 101, 150, 200, 255, 256, 1000, 65535, 65536,
       300000, 300001, 0x7FFFFFFE, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF]
S32 = [-0x80000000, -0x7FFFFFFF, -2, -1, 0, 1, 2, 100, 0x7FFFFFFE, 0x7FFFFFFF]
BAD_LENS = [0, 1, 2, 3, 5, 6, 7, 8, 12, 16, 20, 64, 257]

# IFLA_BOND_* type: width or kind
BTYPE = {1: 1, 2: "ifx", 3: 4, 4: 4, 5: 4, 6: 1, 7: 4, 8: "v4", 9: 4, 10: 4, 11: "ifx",
         12: 1, 13: 1, 14: 1, 15: 4, 16: 1, 17: 1, 18: 4, 19: 4, 20: 4, 21: 1, 22: 1,
         23: "ad", 24: 2, 25: 2, 26: "mac", 27: 1, 28: 4, 29: 1, 30: 1, 31: "v6", 32: 1}
STYPE = {1: 1, 2: 1, 3: 4, 4: "mac", 5: 2, 6: 2, 7: 1, 8: 2, 9: "s32", 10: 2, 11: 1, 12: 1}
# Values a setting is likely to be checked against.
SMALL = {1: list(range(9)) + [255], 9: list(range(9)) + [0xFFFFFFFF], 10: [0, 1, 2, 0xFFFFFFFF],
         12: [0, 1, 2, 3, 255], 13: [0, 1, 2, 3, 255], 14: list(range(8)) + [255],
         6: [0, 1, 2, 255], 17: [0, 1, 2, 255], 27: [0, 1, 2], 29: [0, 1, 2], 32: [0, 1, 2],
         21: [0, 1, 2], 22: [0, 1, 2, 3], 30: [0, 1, 2, 254, 255], 16: [0, 1, 5, 255],
         28: [0, 100, 200, 300000, 300001, 0xFFFFFFFF]}


class Gen:
    def __init__(self, seed, devs):
        self.r = random.Random(seed)
        self.devs = devs            # names that ifindex attributes may point at
        self.v4n = 0
        self.v6n = 0

    def pick(self, seq):
        return self.r.choice(seq)

    def num(self, width, t=None, signed=False):
        r = self.r
        if t in SMALL and r.random() < 0.6:
            v = r.choice(SMALL[t])
        elif signed:
            v = r.choice(S32) if r.random() < 0.8 else r.randint(-2**31, 2**31 - 1)
        elif r.random() < 0.8:
            v = r.choice({1: U8, 2: U16, 4: U32}[width])
        else:
            v = r.getrandbits(8 * width)
        return v

    def packed(self, width, v, signed=False):
        fmt = {1: "B", 2: "H", 4: "I"}[width]
        if signed:
            fmt = "i"
        return struct.pack(fmt, v & ((1 << (8 * width)) - 1) if not signed else v)

    def length_variant(self, p):
        """P, or P cut or padded to another length."""
        if self.r.random() < 0.78:
            return p
        n = self.pick(BAD_LENS)
        q = (p + bytes(self.r.getrandbits(8) for _ in range(n)))[:n]
        self.dirty |= len(q) != len(p)
        return q

    def v4(self):
        r = self.r
        c = r.random()
        if c < 0.55:
            self.v4n += 1
            return socket.inet_aton(self.pick(["192.0.2.%d", "198.51.100.%d"]) % (1 + self.v4n % 250))
        return self.pick([b"\0\0\0\0", b"\xff\xff\xff\xff", socket.inet_aton("127.0.0.1"),
                          socket.inet_aton("224.0.0.1"), socket.inet_aton("0.0.0.7"),
                          socket.inet_aton("192.0.2.1"), socket.inet_aton("192.0.2.2")])

    def v6(self):
        c = self.r.random()
        if c < 0.55:
            self.v6n += 1
            return socket.inet_pton(socket.AF_INET6, "2001:db8::%x" % (0x100 + self.v6n))
        return socket.inet_pton(socket.AF_INET6, self.pick(
            ["::", "::1", "ff02::1", "ff02::1:ff00:2", "fe80::1", "::ffff:192.0.2.9",
             "2001:db8::2", "2001:db8::1"]))

    def targets(self, kind):
        """The elements of an ARP_IP_TARGET (v4) or NS_IP6_TARGET (v6) nest."""
        r = self.r
        c = r.random()
        if c < 0.08:
            self.dirty = True
            return Raw(bytes(r.getrandbits(8) for _ in range(r.randint(1, 40))))
        if c < 0.14:
            return []
        n = self.pick([1, 1, 1, 2, 2, 3, 4, 8, 15, 16, 16, 17, 18, 20])
        size = 4 if kind == "v4" else 16
        out = []
        prev = None
        for i in range(n):
            p = self.v4() if kind == "v4" else self.v6()
            if prev is not None and r.random() < 0.08:
                p = prev                                        # duplicate
            e = r.random()
            if e < 0.06:
                p = p[:r.randint(0, size - 1)]                  # short
                self.dirty = True
            elif e < 0.1:
                p = p + b"\x01" * r.randint(1, 4)               # long
                self.dirty = True
            prev = p
            t = i if r.random() < 0.9 else self.pick([0, 0x3FFF, 255, i | NLA_F_NESTED])
            if r.random() < 0.03:
                self.dirty = True
                out.append(A(t | NLA_F_NESTED, [A(0, p)]))      # a nest inside
            else:
                out.append(A(t, p))
        if r.random() < 0.05:
            self.dirty = True
            # an element whose length runs past the end of the nest
            out.append(Raw(struct.pack("HH", 64, n) + b"\x0a\x00\x00\x01"))
        return out

    def bond_attr(self, t=None):
        r = self.r
        if t is None:
            c = r.random()
            if c < 0.9:
                t = r.randint(1, 32)
                if t in UNIMPL_BOND and r.random() < 0.6:
                    t = r.randint(1, 32)        # fewer of what ours refuses anyway
            else:
                t = self.pick([0, 33, 34, 40, 100, 255, 0x3FFF])
        kind = BTYPE.get(t)
        flags = 0
        if r.random() < 0.04:
            flags = self.pick([NLA_F_NESTED, NLA_F_NET_BYTEORDER])
            self.dirty = True
        if kind is None:
            self.dirty = True
            return A(t | flags, bytes(r.getrandbits(8) for _ in range(self.pick([0, 1, 4, 8, 16]))),
                     BOND)
        if kind == "ifx":
            sym = self.pick(self.devs + ["lo", "nonexistent", 0])
            size = 4 if r.random() < 0.85 else self.pick([0, 1, 2, 3, 8])
            self.dirty |= size != 4
            return A(t | flags, Ifx(sym, size), BOND)
        if kind in ("v4", "v6"):
            if r.random() < 0.15:
                flags = 0
            else:
                flags = NLA_F_NESTED
            el = self.targets(kind)
            if isinstance(el, Raw):
                return A(t | flags, el.v, BOND)
            return A(t | flags, el, BOND)
        if kind == "ad":
            self.dirty = True
            el = [A(r.randint(0, 6), bytes(r.getrandbits(8) for _ in range(self.pick([0, 1, 2, 6]))))
                  for _ in range(r.randint(0, 3))]
            return A(t | NLA_F_NESTED, el, BOND)
        if kind == "mac":
            m = self.pick([bytes.fromhex("020000000001"), bytes.fromhex("010000000001"),
                           bytes(6), b"\xff" * 6, bytes.fromhex("0200000000")])
            return A(t | flags, self.length_variant(m), BOND)
        v = self.num(kind, t)
        return A(t | flags, self.length_variant(self.packed(kind, v)), BOND)

    def slave_attr(self):
        r = self.r
        t = r.randint(1, 12) if r.random() < 0.9 else self.pick([0, 13, 14, 20, 0x3FFF])
        if t in (5, 9, 10) or r.random() < 0.3:
            t = self.pick([5, 9, 10]) if t not in (5, 9, 10) and r.random() < 0.7 else t
        kind = STYPE.get(t)
        if kind is None:
            self.dirty = True
            return A(t, bytes(r.getrandbits(8) for _ in range(self.pick([0, 1, 2, 4, 8]))), SLAVE)
        if kind == "s32":
            return A(t, self.length_variant(self.packed(4, self.num(4, signed=True), True)), SLAVE)
        if kind == "mac":
            return A(t, self.length_variant(bytes.fromhex("020000000009")), SLAVE)
        return A(t, self.length_variant(self.packed(kind, self.num(kind))), SLAVE)

    def bond_data(self, nmax):
        r = self.r
        c = r.random()
        if c < 0.03:
            self.dirty = True
            return A(2, bytes(r.getrandbits(8) for _ in range(r.randint(1, 12))))  # flat junk
        if c < 0.05:
            return A(2 | NLA_F_NESTED, [])
        n = 1 if r.random() < 0.6 else r.randint(2, nmax)
        attrs = [self.bond_attr() for _ in range(n)]
        if r.random() < 0.03:
            self.dirty = True
            attrs.append(Raw(struct.pack("HH", 200, 3) + b"\x64\0\0\0"))   # truncated
        return A(2 | NLA_F_NESTED, attrs)

    def kind(self):
        r = self.r
        if r.random() < 0.95:
            return A(1, b"bond\0")
        self.dirty = True
        return A(1, self.pick([b"bond", b"bond\0junk", b"bonding\0", b"\0", b"", b"dummy\0",
                               b"bond_slave\0"]))

    def linkinfo(self, items):
        r = self.r
        if r.random() < 0.02:
            self.dirty = True
            return A(18, bytes(r.getrandbits(8) for _ in range(r.randint(1, 24))))
        return A(18 | NLA_F_NESTED, items)

    def top_extra(self, create):
        r = self.r
        c = r.randint(0, 4 if create else 3)
        if c == 0:
            return A(4, self.length_variant(struct.pack("I", self.pick(
                [0, 67, 68, 576, 1280, 1500, 1501, 9000, 65535, 65536, 0xFFFFFFFF]))), IFLA)
        if c == 1:
            m = self.pick([bytes.fromhex("0200000000aa"), bytes.fromhex("0100000000aa"),
                           bytes(6), b"\xff" * 6])
            return A(1, self.length_variant(m), IFLA)
        if c == 2:
            return A(13, struct.pack("I", self.pick([0, 1, 1000, 0xFFFFFFFF])), IFLA)
        if c == 3:
            if create:
                return A(31, struct.pack("I", self.pick([0, 1, 16, 255, 256, 4096])), IFLA)
            return A(10, Ifx(self.pick(self.devs + [0, "nonexistent"])), IFLA)   # MASTER
        return A(32, struct.pack("I", self.pick([0, 1, 16, 4096])), IFLA)

    def message(self, bonds, slaves, others):
        self.dirty = False
        m = self._message(bonds, slaves, others)
        m.clean = not self.dirty
        return m

    def _message(self, bonds, slaves, others):
        r = self.r
        c = r.random()
        if c < 0.25:                                               # create
            name = b"fzc0\0"
            if r.random() < 0.1:
                name = self.pick([b"fzc%d\0", b"fzcreate0123456789\0", b"\0", b"fz c\0",
                                  b"fz/c\0", b"fzb0\0", b"lo\0", b"fzc0"])
            nlflags = NLM_F_CREATE | NLM_F_EXCL
            if r.random() < 0.05:
                nlflags = self.pick([NLM_F_CREATE, 0])
            attrs = [A(3, name, IFLA)]
            attrs += [self.top_extra(True) for _ in range(1 if r.random() < 0.15 else 0)]
            items = [self.kind()] + ([self.bond_data(6)] if r.random() < 0.95 else [])
            attrs.append(self.linkinfo(items))
            up = IFF_UP if r.random() < 0.2 else 0
            return Msg("create", name.split(b"\0")[0].decode(errors="replace"), nlflags,
                       up, up, attrs)
        if c < 0.75:                                               # change a bond
            tgt = self.pick(bonds + ([self.pick(slaves + others)] if r.random() < 0.05 else []))
            attrs = [self.top_extra(False) for _ in range(1 if r.random() < 0.1 else 0)]
            items = [self.kind()] if r.random() < 0.97 else []
            items.append(self.bond_data(8))
            attrs.append(self.linkinfo(items))
            fl = ch = 0
            if r.random() < 0.05:
                ch = IFF_UP
                fl = self.pick([0, IFF_UP])
            return Msg("change", tgt, 0, fl, ch, attrs)
        tgt = self.pick(slaves + ([self.pick(bonds + others)] if r.random() < 0.1 else []))
        items = []
        if r.random() < 0.2:
            items.append(A(4, self.pick([b"bond\0", b"veth\0", b"junk\0"])))    # SLAVE_KIND
        c = r.random()
        if c < 0.03:
            self.dirty = True
            items.append(A(5, bytes(r.getrandbits(8) for _ in range(r.randint(1, 12)))))
        else:
            items.append(A(5 | NLA_F_NESTED, [self.slave_attr()
                                              for _ in range(1 if r.random() < 0.7 else r.randint(2, 4))]))
        attrs = [self.linkinfo(items)]
        fl = ch = 0
        c = r.random()
        if c < 0.05:                    # and move it to another master, or none
            attrs.insert(0, A(10, Ifx(self.pick(bonds + ["fzd0", "nonexistent", 0])), IFLA))
        elif c < 0.08:                  # or take it down or up
            ch, fl = IFF_UP, self.pick([0, IFF_UP])
        elif c < 0.1:
            attrs.insert(0, A(4, struct.pack("I", self.pick([68, 1280, 1500, 9000, 65535])), IFLA))
        return Msg("slave", tgt, 0, fl, ch, attrs)


# ---- the baseline: fuzzlib.standard_setup ------------------------------------

BONDS, SLAVES, OTHERS = fuzzlib.BONDS, fuzzlib.SLAVES, fuzzlib.OTHERS
setup = fuzzlib.standard_setup


def apply(rt, topo, m):
    return rt.request(RTM_NEWLINK, m.nlflags, m.body(topo.name2idx))


# Inputs that use what in-tree's 6.12 does not have and ours refuses with
# EOPNOTSUPP: the slave's ACTOR_PORT_PRIO outside 802.3ad. (Every mode
# exists in ours now: a mode refused would be a difference.)
UNIMPL_BOND = set()


def unimplemented(m):
    for side, t, first in m.uses():
        if side == "bond" and t in UNIMPL_BOND:
            return {"EOPNOTSUPP"}
        if side == "slave" and t == 10:         # ACTOR_PORT_PRIO: 802.3ad's
            return {"EOPNOTSUPP"}
    return None


def atomic(m):
    """Without the oracle: a refusal of M must change nothing when M changes
    one setting of an existing bond or slave and nothing else (in-tree
    applies a message's settings in order up to the refused one, and clears
    a target list before it checks the new one)."""
    if m.op not in ("change", "slave") or m.ifi_change or len(m.attrs) != 1:
        return False
    u = m.uses()
    return len(u) == 1 and not any(t in (8, 31) and side == "bond" for side, t, _ in u)


# ---- kept inputs (see fuzzlib.Kept): what the fuzzing found ------------------

def _refused(*errs):
    def check(rt, topo, err, ext):
        if fuzzlib.errname(err) in errs:
            return None
        return "%s (%s); in-tree refuses it: %s" % (fuzzlib.errname(err), ext, " or ".join(errs))
    return check


def _slaves_stay_up(bond, slaves):
    """Accepted, and 0.5 s later the slaves are still up (as in-tree)."""
    def check(rt, topo, err, ext):
        if err:
            return "refused: %s (%s); in-tree takes it" % (fuzzlib.errname(err), ext)
        time.sleep(0.5)
        st = {s: fuzzlib.read_file("/sys/class/net/%s/bonding_slave/mii_status" % s).strip()
              for s in slaves}
        if all(v == "up" for v in st.values()):
            return None
        return "0.5 s later the slaves are %s; in-tree keeps them up (for 2 x the interval)" % st
    return check


def _sysfs_reads(path, want):
    """Accepted, and then PATH reads WANT (what in-tree shows)."""
    def check(rt, topo, err, ext):
        if err:
            return "refused: %s (%s); in-tree takes it" % (fuzzlib.errname(err), ext)
        got = fuzzlib.read_file(path)
        return None if got == want else "%s reads %r; in-tree %r" % (path, got, want)
    return check


def _bond_msg(target, attrs):
    return Msg("change", target, 0, 0, 0, [A(18 | NLA_F_NESTED, [
        A(1, b"bond\0"), A(2 | NLA_F_NESTED, attrs)])])


CORPUS = [
    # seed 1 (input 18): IFLA_BOND_SLAVE_ACTOR_PORT_PRIO (802.3ad's) is taken
    # and ignored; in-tree: EACCES "option not supported in mode" outside
    # 802.3ad; ours' README: what it does not implement is refused
    fuzzlib.Kept(Msg("slave", "fzv1", 0, 0, 0, [A(18 | NLA_F_NESTED, [
        A(5 | NLA_F_NESTED, [A(10, struct.pack("H", 15), SLAVE)])])]),
        _refused("EACCES", "EOPNOTSUPP"), "IFLA_BOND_SLAVE_ACTOR_PORT_PRIO outside 802.3ad"),
    # seed 1 (input 220): the ARP monitor started on a balance-rr bond (that
    # ran the MII monitor) takes its slaves down at once, and with a long
    # interval they stay down that long; in-tree judges them by their
    # traffic and keeps them up
    fuzzlib.Kept(_bond_msg("fzb1", [A(7, struct.pack("I", 65535), BOND)]),
                 _slaves_stay_up("fzb1", ["fzv2", "fzv3"]),
                 "arp_interval 65535 on a balance-rr bond running the MII monitor"),
    # seed 1 (input 246): miimon 1436592771 on a bond with downdelay 200
    # (2 ticks): the delay, 2 x miimon, wraps at 32 bits; in-tree's sysfs
    # shows it as an int (-1421781754), ours showed the sign-extended u64
    fuzzlib.Kept(_bond_msg("fzb0", [A(3, struct.pack("I", 1436592771), BOND)]),
                 _sysfs_reads("/sys/class/net/fzb0/bonding/downdelay", "-1421781754\n"),
                 "miimon 1436592771 with downdelay 200: the delay wraps"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--impl", default="ours")
    ap.add_argument("--oracle", action="store_true")
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--budget", type=int, default=30)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--strict", action="store_true")
    ap.add_argument("--fast", action="store_true", help="no snapshots: a crash hunt "
                    "(the debug kernel); only without --oracle")
    a = ap.parse_args()

    g = Gen(a.seed, BONDS + SLAVES + OTHERS)
    inputs = [g.message(BONDS, SLAVES, OTHERS) for _ in range(a.count)]
    return fuzzlib.differential("fuzz-netlink", a, inputs, setup, apply, unimplemented, log,
                                atomic, None, CORPUS)


if __name__ == "__main__":
    sys.exit(main())
