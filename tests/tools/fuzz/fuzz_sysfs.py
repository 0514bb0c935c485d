#!/usr/bin/python3
# fuzz-sysfs: random strings written (one write(2) each, the bytes exactly)
# into every file of /sys/class/net/BOND/bonding/ (the in-tree set of 38:
# those ours lacks fail with ENOENT), /sys/class/net/SLAVE/bonding_slave/
# (read-only in-tree; ours has two writable ones of its own) and
# /sys/class/net/bonding_masters: empty, very long (4096+), non-ASCII and
# binary, numbers near INT/UINT/LONG limits, negative, with trailing garbage
# or other whitespace, names of 16+ characters, "+"/"-" prefixes with junk,
# and values that fit each file, plain or mutated.
#
#   fuzz_sysfs.py --seed N --impl ours|intree [--oracle] [--count N]
#
# The baseline and the comparison with the in-tree module: fuzzlib.
import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(__file__))
from fuzzlib import *  # noqa: E402,F401,F403
import fuzzlib  # noqa: E402


def log(s):
    print(s, flush=True)


BOND_FILES = ["slaves", "mode", "fail_over_mac", "arp_validate", "arp_all_targets",
              "arp_interval", "arp_ip_target", "downdelay", "updelay", "peer_notif_delay",
              "lacp_active", "lacp_rate", "ad_select", "xmit_hash_policy", "num_grat_arp",
              "num_unsol_na", "miimon", "primary", "primary_reselect", "use_carrier",
              "active_slave", "mii_status", "ad_aggregator", "ad_num_ports", "ad_actor_key",
              "ad_partner_key", "ad_partner_mac", "queue_id", "all_slaves_active",
              "resend_igmp", "min_links", "lp_interval", "packets_per_slave",
              "tlb_dynamic_lb", "ad_actor_sys_prio", "ad_actor_system", "ad_user_port_key",
              "arp_missed_max"]
READ_ONLY = {"mii_status", "ad_aggregator", "ad_num_ports", "ad_actor_key", "ad_partner_key",
             "ad_partner_mac"}
# in-tree files ours lacks: none since the 802.3ad/tlb/alb options exist
UNIMPL_FILES = set()
SLAVE_FILES = ["state", "mii_status", "link_failure_count", "perm_hwaddr", "queue_id",
               "ad_aggregator_id", "ad_actor_oper_port_state", "ad_partner_oper_port_state"]
OURS_SLAVE_FILES = ["arp_ip_target", "ns_ip6_target"]     # ours only: per-slave targets

ENUMS = {
    "mode": ["balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad",
             "balance-tlb", "balance-alb"],
    "fail_over_mac": ["none", "active", "follow"],
    "arp_validate": ["none", "active", "backup", "all", "filter", "filter_active",
                     "filter_backup"],
    "arp_all_targets": ["any", "all"],
    "primary_reselect": ["always", "better", "failure"],
    "xmit_hash_policy": ["layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4",
                         "vlan+srcmac"],
    "lacp_active": ["off", "on"], "lacp_rate": ["slow", "fast"],
    "ad_select": ["stable", "bandwidth", "count"],
    "use_carrier": ["off", "on"], "all_slaves_active": ["off", "on"],
    "tlb_dynamic_lb": ["off", "on"],
}
NUMS = {"miimon": 100, "updelay": 200, "downdelay": 200, "peer_notif_delay": 100,
        "arp_interval": 1000, "num_grat_arp": 3, "num_unsol_na": 3, "resend_igmp": 5,
        "packets_per_slave": 4, "min_links": 1, "lp_interval": 2, "arp_missed_max": 3,
        "ad_actor_sys_prio": 100, "ad_user_port_key": 5, "use_carrier": 0,
        "all_slaves_active": 1, "tlb_dynamic_lb": 0, "mode": 1, "fail_over_mac": 1,
        "arp_validate": 3, "arp_all_targets": 1, "primary_reselect": 2,
        "xmit_hash_policy": 2, "lacp_rate": 1, "lacp_active": 0, "ad_select": 1}
LIMITS = ["0", "1", "2", "7", "255", "256", "1023", "1024", "65535", "65536", "300000",
          "300001", "2147483647", "2147483648", "4294967295", "4294967296",
          "9223372036854775807", "9223372036854775808", "18446744073709551615",
          "18446744073709551616", "18446744073709551617", "99999999999999999999999999",
          "-1", "-0", "-2147483648", "-2147483649", "-9223372036854775808", "+5", "0x10",
          "010", "1e3", "5.0", "00000000000000000000000000000000000000000000005"]
SPACES = [" ", "\t", "\n", "\r", "\v", "\f", "\xa0", "\x85", "\u3000"]
JUNK = ["x", "junk", " junk", "\0", "\0junk", "\n\n", "\\n", "%s", "%n", "'", ";", "../",
        "\xff\xfe", "ü", "\u202e", "\U0001f600", "=", ":", ",", "/"]
DEVS = ["fzv0", "fzv1", "fzv2", "fzv3", "fzd0", "fzb0", "fzb1", "fzb2", "lo", "nonexistent",
        "fzv0fzv0fzv0fzv", "fzv0fzv0fzv0fzv0", "fzv0fzv0fzv0fzv0fzv0fzv0", "fz%d", ".", "..",
        "fz/v0", "fz v0", "fz:v0"]
V4 = ["192.0.2.9", "192.0.2.2", "198.51.100.7", "0.0.0.0", "255.255.255.255", "127.0.0.1",
      "224.0.0.1", "0.0.0.7", "1.2.3.4.5", "300.1.1.1", "192.0.2", "192.0.2.9junk",
      "192.0.2.9 192.0.2.10", "::1", "", "192.000.002.009", "0x7f.1", "192.0.2.256"]
V6 = ["2001:db8::9", "2001:db8::2", "::", "::1", "ff02::1", "fe80::1", "2001:db8::9junk",
      "2001:db8:::9", "192.0.2.9", "::ffff:192.0.2.9", "2001:db8::1:2:3:4:5:6:7:8", ""]
MACS = ["02:00:00:00:00:01", "00:00:00:00:00:00", "01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff",
        "zz:00:00:00:00:01", "02:00:00:00:00", "02:00:00:00:00:01:02", "0200.0000.0001"]


class SysInput:
    def __init__(self, kind, dev, file, data, clean):
        self.kind, self.dev, self.file, self.data, self.clean = kind, dev, file, data, clean

    def path(self):
        if self.kind == "masters":
            return "/sys/class/net/bonding_masters"
        return "/sys/class/net/%s/%s/%s" % (self.dev, self.kind, self.file)

    def desc(self):
        where = "bonding_masters" if self.kind == "masters" else "%s/%s/%s" % (
            self.dev, self.kind, self.file)
        d = self.data
        shown = repr(d) if len(d) <= 120 else "%r...(%d bytes)" % (d[:60], len(d))
        return "write %s <- %s" % (where, shown)


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def pick(self, seq):
        return self.r.choice(seq)

    def junk_bytes(self, n):
        return bytes(self.r.getrandbits(8) for _ in range(n))

    def valid(self, kind, file):
        """A value that fits FILE, as a user would write it (no newline)."""
        r = self.r
        if kind == "masters":
            return self.pick(["+fzc0", "-fzc0", "+fzb0", "-fzb2", "+fz%d", "-fzd0", "-lo",
                              "+fzc0fzc0fzc0fz", "-nonexistent"])
        if kind == "bonding_slave":
            if file == "arp_ip_target":
                return self.pick("+-") + self.pick(V4[:8])
            if file == "ns_ip6_target":
                return self.pick("+-") + self.pick(V6[:6])
            return self.pick(["0", "1", "active", "up", "02:00:00:00:00:01"])
        if file in ENUMS and r.random() < 0.6:
            return self.pick(ENUMS[file])
        if file in NUMS:
            return str(self.pick([0, 1, NUMS[file], NUMS[file] * 2]))
        if file == "slaves":
            return self.pick("+-") + self.pick(["fzv0", "fzv1", "fzv2", "fzd0", "fzb2"])
        if file in ("primary", "active_slave"):
            return self.pick(["fzv0", "fzv1", "fzv2", ""])
        if file == "arp_ip_target":
            return self.pick("+-") + self.pick(V4[:8])
        if file == "queue_id":
            return "%s:%d" % (self.pick(["fzv0", "fzv1", "fzv2", "fzv3"]),
                              self.pick([0, 1, 2, 15, 16, 17]))
        if file == "ad_actor_system":
            return self.pick(MACS[:4])
        return self.pick(["1", "up", ""])

    def mutate(self, v):
        """V with junk: other whitespace, trailing garbage, a limit, ..."""
        r = self.r
        c = r.randint(0, 11)
        if c == 0:
            return v + self.pick(SPACES + JUNK)
        if c == 1:
            return self.pick(SPACES) + v
        if c == 2:
            return self.pick(LIMITS)
        if c == 3:
            return self.pick(LIMITS) + self.pick(SPACES + JUNK)
        if c == 4:
            return v.upper() if v.lower() == v else v.lower()
        if c == 5:
            return v[:r.randint(0, max(0, len(v) - 1))]
        if c == 6:
            return v + " " + self.pick(["1", "2", v, "junk"])
        if c == 7:
            return self.pick("+-") + self.pick(DEVS + V4 + LIMITS + JUNK)
        if c == 8:
            return self.pick(DEVS) + self.pick(["", ":1", ":65537", ":-1", ": 1", ":1x", ":"])
        if c == 9:
            return self.pick(["default", "minval", "maxval", "off", "on", "none", "all", "??",
                              "default junk", "Default", "maxval\r"])
        if c == 10:
            return v + "\0" + self.pick(["", "junk", "1"])
        return v * r.randint(2, 4)

    def value(self, kind, file):
        """(bytes, well-formed)."""
        r = self.r
        c = r.random()
        if c < 0.04:
            return b"", False
        if c < 0.07:
            return b"\n", False
        if c < 0.1:
            n = self.pick([4095, 4096, 4097, 5000, 8192])
            return (self.pick(["9", "a", "+", " ", "fzv0"]) * n).encode()[:n], False
        if c < 0.14:
            return self.junk_bytes(r.randint(1, 64)), False
        if c < 0.17:
            s = "".join(chr(r.randint(0x80, 0x2FFF)) for _ in range(r.randint(1, 12)))
            return s.encode("utf-8", "surrogatepass"), False
        v = self.valid(kind, file)
        clean = True
        if r.random() < 0.5:
            v = self.mutate(v)
            clean = False
        v += "\n" if r.random() < 0.5 else ""
        # kernel ctype is Latin-1: 0xa0 is a space there, 0xc2 0xa0 is not
        if all(ord(ch) < 256 for ch in v) and r.random() < 0.5:
            return v.encode("latin-1"), clean
        return v.encode("utf-8", "surrogateescape"), clean

    def input(self):
        r = self.r
        c = r.random()
        if c < 0.08:
            data, clean = self.value("masters", None)
            if b"bonding_masters" in data:
                data = b"+fzc0"
            return SysInput("masters", None, None, data, clean)
        if c < 0.2:
            dev = self.pick(fuzzlib.SLAVES)
            f = self.pick(SLAVE_FILES + OURS_SLAVE_FILES * 3)
            data, clean = self.value("bonding_slave", f)
            return SysInput("bonding_slave", dev, f, data, clean)
        dev = self.pick(fuzzlib.BONDS)
        f = self.pick(BOND_FILES)
        if (f in READ_ONLY or f in UNIMPL_FILES) and r.random() < 0.6:
            f = self.pick(BOND_FILES)           # fewer of what ours lacks anyway
        data, clean = self.value("bonding", f)
        return SysInput("bonding", dev, f, data, clean)


def apply(rt, topo, inp):
    return fuzzlib.sysfs_write(inp.path(), inp.data)


def exempt(inp):
    if inp.kind == "bonding_slave" and inp.file in OURS_SLAVE_FILES:
        return "ours-only"
    if inp.kind == "bonding" and inp.file in UNIMPL_FILES:
        return {"ENOENT"}
    return None


def deliberate(inp, o, t):
    # Ours refuses a name longer than an interface name can be where
    # in-tree cuts it to 15 characters (bond_options.c: "A name longer than
    # an interface name can be is refused, not truncated"; bonding_masters
    # likewise).
    words = inp.data.split()
    word = words[0] if words else b""
    if inp.kind == "masters" or inp.file == "slaves":
        if word[:1] not in (b"+", b"-"):
            return None
        word = word[1:]
    if o.res == "EINVAL" and len(word) >= 16 and \
            (inp.kind == "masters" or inp.file in ("slaves", "primary", "active_slave")):
        return "names of 16+ characters refused, not truncated"
    return None


def atomic(inp):
    return True


# ---- kept inputs (see fuzzlib.Kept): what the fuzzing found ------------------

def _reads(dev, sub, f, want, also=()):
    """The write succeeds and FILE then reads WANT (as in-tree), or it fails
    with one of the errnos ALSO."""
    def check(rt, topo, err, ext):
        got = fuzzlib.read_file("/sys/class/net/%s/%s/%s" % (dev, sub, f))
        if err == 0 and got == want:
            return None
        if err and fuzzlib.errname(err) in also:
            return None
        return "wrote: %s; %s reads %r, in-tree: ok and %r%s" % (
            fuzzlib.errname(err), f, got, want, "".join(", or " + e for e in also))
    return check


CORPUS = [
    # seed 5 (input 203): a number of more than 32 characters is cut to its
    # first 32 before conversion, so leading zeros make it 0; in-tree reads
    # it whole (sscanf %llu)
    fuzzlib.Kept(SysInput("bonding", "fzb0", "miimon", b"0" * 33 + b"50\n", True),
                 _reads("fzb0", "bonding", "miimon", "50\n"),
                 "a number longer than 32 characters"),
    fuzzlib.Kept(SysInput("bonding", "fzb2", "mode", b"0" * 46 + b"5\n", True),
                 _reads("fzb2", "bonding", "mode", "balance-tlb 5\n"),
                 "a mode number longer than 32 characters"),
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
    g = Gen(a.seed)
    inputs = [g.input() for _ in range(a.count)]
    return fuzzlib.differential("fuzz-sysfs", a, inputs, fuzzlib.standard_setup, apply, exempt,
                                log, atomic, deliberate, CORPUS)


if __name__ == "__main__":
    sys.exit(main())
