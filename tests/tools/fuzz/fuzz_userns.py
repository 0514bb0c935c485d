#!/usr/bin/python3
# fuzz-userns: what an unprivileged user may do to bonds. As root this
# builds a bond in the initial namespaces (fzb0, active-backup, over fzv0
# and fzv1, up) and runs itself as nobody (setpriv --reuid 65534), which
#  1. as nobody: every SIOCBOND* ioctl and its SIOCDEVPRIVATE alias, the MII
#     ioctls, a write to every file of fzb0/bonding/, fzv0/bonding_slave/
#     and bonding_masters, netlink changes of fzb0 and its slaves, a new
#     bond, enslaving, deleting; and random sysfs writes and netlink
#     messages (the fuzz-sysfs and fuzz-netlink generators);
#  2. after unshare(user, net, mount) (root in its own user namespace), the
#     same with the sockets opened before (still of the initial network
#     namespace) and the initial namespace's /sys;
#  3. in its own network namespace, with its own /sys: makes bonds (the
#     fuzz-netlink baseline), configures them through netlink, sysfs and
#     ioctls, and runs the netlink and sysfs fuzz inputs against them with
#     the usual snapshots.
# The initial namespace's bond must come out unchanged, and nothing that
# changes it may succeed. Against ours, the same runs against the in-tree
# bonding.ko in the same VM: every result of 1.-3. (exact errnos, what the
# queries return) must be the same, so that whatever in-tree allows, ours
# allows, and nothing more. Of the fuzz inputs in its own namespace, only a
# difference of privilege (EPERM, or a sysfs file that will not open) or a
# state change on a refusal is a problem here; other differences are
# fuzz-netlink's and fuzz-sysfs's business and are listed as divergences.
#
# The test VM runs its jobs chrooted, and a chrooted process may not make a
# user namespace: leave_chroot() first moves the tree onto the root of a
# private mount namespace (as switch_root does).
#
#   fuzz_userns.py --seed N --impl ours|intree [--oracle] [--count N]
import argparse
import ctypes
import fcntl
import json
import re
import os
import socket
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fuzzlib  # noqa: E402
import fuzz_netlink  # noqa: E402
import fuzz_sysfs  # noqa: E402
from fuzzlib import (RTM_NEWLINK, RTM_DELLINK, NLM_F_CREATE, NLM_F_EXCL, NLA_F_NESTED,  # noqa: E402
                     ifinfomsg, nla, errname)

NOBODY = 65534
SIOCDEVPRIVATE = 0x89F0
IOCTLS = {"SIOCBONDENSLAVE": 0x8990, "SIOCBONDRELEASE": 0x8991, "SIOCBONDSETHWADDR": 0x8992,
          "SIOCBONDSLAVEINFOQUERY": 0x8993, "SIOCBONDINFOQUERY": 0x8994,
          "SIOCBONDCHANGEACTIVE": 0x8995, "BOND_ENSLAVE_OLD": SIOCDEVPRIVATE,
          "BOND_RELEASE_OLD": SIOCDEVPRIVATE + 1, "BOND_SETHWADDR_OLD": SIOCDEVPRIVATE + 2,
          "BOND_SLAVE_INFO_QUERY_OLD": SIOCDEVPRIVATE + 11,
          "BOND_INFO_QUERY_OLD": SIOCDEVPRIVATE + 12, "BOND_CHANGE_ACTIVE_OLD": SIOCDEVPRIVATE + 13}
QUERIES = {"SIOCBONDSLAVEINFOQUERY", "SIOCBONDINFOQUERY", "BOND_SLAVE_INFO_QUERY_OLD",
           "BOND_INFO_QUERY_OLD"}
# a value each bond file would take (the write is what is tested)
VALUES = {"slaves": "+fzd0", "mode": "balance-rr", "fail_over_mac": "none",
          "arp_validate": "none", "arp_all_targets": "all", "arp_interval": "0",
          "arp_ip_target": "+192.0.2.77", "downdelay": "200", "updelay": "100",
          "peer_notif_delay": "100", "lacp_active": "on", "lacp_rate": "slow",
          "ad_select": "stable", "xmit_hash_policy": "layer2+3", "num_grat_arp": "3",
          "num_unsol_na": "3", "miimon": "50", "primary": "fzv1", "primary_reselect": "better",
          "use_carrier": "0", "active_slave": "fzv1", "queue_id": "fzv1:3",
          "all_slaves_active": "1", "resend_igmp": "2", "min_links": "1", "lp_interval": "2",
          "packets_per_slave": "2", "tlb_dynamic_lb": "0", "ad_actor_sys_prio": "10",
          "ad_actor_system": "02:00:00:00:00:01", "ad_user_port_key": "3",
          "arp_missed_max": "3"}


def log(s):
    print(s, file=sys.stderr, flush=True)


libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWNET = 0x20000, 0x10000000, 0x40000000
MS_REC, MS_PRIVATE, MS_MOVE = 0x4000, 0x40000, 0x2000


def check(rc, what):
    if rc:
        e = ctypes.get_errno()
        raise OSError(e, "%s: %s" % (what, os.strerror(e)))


# ---- the operations -------------------------------------------------------------

def do_ioctl(sock, bond, name, slave):
    cmd = IOCTLS[name]
    try:
        if name in QUERIES:
            if "INFO_QUERY_OLD" in name and "SLAVE" not in name or name == "SIOCBONDINFOQUERY":
                buf = ctypes.create_string_buffer(12)
            else:
                buf = ctypes.create_string_buffer(struct.pack("i16sbbxxI", 0, b"", 0, 0, 0))
            fcntl.ioctl(sock, cmd, struct.pack("16sP16x", bond.encode(), ctypes.addressof(buf)))
            return "ok " + buf.raw.hex()
        fcntl.ioctl(sock, cmd, struct.pack("16s16s8x", bond.encode(), slave.encode()))
        return "ok"
    except OSError as e:
        return errname(e.errno)


def mii_ioctls(sock, bond):
    out = {}
    for name, cmd in (("SIOCGMIIPHY", 0x8947), ("SIOCGMIIREG", 0x8948), ("SIOCSMIIREG", 0x8949)):
        try:
            r = fcntl.ioctl(sock, cmd, struct.pack("16sHHHH20x", bond.encode(), 0, 1, 0, 0))
            out[name] = "ok %04x" % struct.unpack_from("HHHH", r, 16)[3]
        except OSError as e:
            out[name] = errname(e.errno)
    return out


def ioctl_matrix(sock, bond, pre):
    out = {}
    for name in IOCTLS:
        slave = {"ENSLAVE": "fzd0", "RELEASE": "fzv1", "SETHWADDR": "fzv1",
                 "CHANGEACTIVE": "fzv1", "CHANGE_ACTIVE": "fzv1"}
        s = next((v for k, v in slave.items() if k in name), "fzv0")
        out["%s ioctl %s %s %s" % (pre, name, bond, s)] = do_ioctl(sock, bond, name, s)
    for k, v in mii_ioctls(sock, bond).items():
        out["%s ioctl %s %s" % (pre, k, bond)] = v
    return out


def sysfs_matrix(pre, bond="fzb0", slave="fzv0", writes=True):
    out = {}
    for f in fuzz_sysfs.BOND_FILES:
        p = "/sys/class/net/%s/bonding/%s" % (bond, f)
        out["%s read %s/bonding/%s" % (pre, bond, f)] = read_result(p)
        if writes:
            out["%s write %s/bonding/%s" % (pre, bond, f)] = wres(fuzzlib.sysfs_write(
                p, (VALUES.get(f, "1") + "\n").encode()))
    for f in fuzz_sysfs.SLAVE_FILES + fuzz_sysfs.OURS_SLAVE_FILES:
        p = "/sys/class/net/%s/bonding_slave/%s" % (slave, f)
        out["%s read %s/bonding_slave/%s" % (pre, slave, f)] = read_result(p)
        if writes:
            v = "+192.0.2.78" if f == "arp_ip_target" else "+2001:db8::78" if \
                f == "ns_ip6_target" else "1"
            out["%s write %s/bonding_slave/%s" % (pre, slave, f)] = wres(
                fuzzlib.sysfs_write(p, (v + "\n").encode()))
    out["%s read bonding_masters" % pre] = read_result("/sys/class/net/bonding_masters")
    if writes:
        out["%s write bonding_masters +fzu9" % pre] = wres(fuzzlib.sysfs_write(
            "/sys/class/net/bonding_masters", b"+fzu9\n"))
        out["%s write bonding_masters -%s" % (pre, bond)] = wres(fuzzlib.sysfs_write(
            "/sys/class/net/bonding_masters", ("-%s\n" % bond).encode()))
    return out


def wres(r):
    """A sysfs_write() result as text."""
    err, note = r
    return errname(err) + (" (%s)" % note if note else "")


def read_result(p):
    try:
        fd = os.open(p, os.O_RDONLY)
    except OSError as e:
        return "open " + errname(e.errno)
    try:
        os.read(fd, 4096)
        return "ok"
    except OSError as e:
        return errname(e.errno)
    finally:
        os.close(fd)


def bond_msg(idx, data, flags=0, change=0, name=None, top=b""):
    body = ifinfomsg(idx, flags, change) + top
    if name:
        body += nla(3, name.encode() + b"\0")
    return body + nla(18 | NLA_F_NESTED, nla(1, b"bond\0") + nla(2 | NLA_F_NESTED, data))


def netlink_matrix(rt, idx, pre):
    """Changes of fzb0 and its slaves through the netlink socket RT."""
    out = {}

    def req(name, kind, flags, body):
        err, ext = rt.request(kind, flags, body)
        out["%s netlink %s" % (pre, name)] = errname(err) + (" (%s)" % ext if ext else "")
    req("change fzb0 miimon 50", RTM_NEWLINK, 0, bond_msg(idx["fzb0"], nla(3, struct.pack("I", 50))))
    req("change fzb0 arp_ip_target", RTM_NEWLINK, 0, bond_msg(idx["fzb0"], nla(
        8 | NLA_F_NESTED, nla(0, socket.inet_aton("192.0.2.79")))))
    req("slave fzv1 queue_id 2", RTM_NEWLINK, 0, ifinfomsg(idx["fzv1"]) + nla(
        18 | NLA_F_NESTED, nla(5 | NLA_F_NESTED, nla(5, struct.pack("H", 2)))))
    req("slave fzv1 prio 7", RTM_NEWLINK, 0, ifinfomsg(idx["fzv1"]) + nla(
        18 | NLA_F_NESTED, nla(5 | NLA_F_NESTED, nla(9, struct.pack("i", 7)))))
    req("create fzu0", RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
        bond_msg(0, nla(1, b"\x01"), name="fzu0"))
    req("enslave fzd0", RTM_NEWLINK, 0, ifinfomsg(idx["fzd0"]) + nla(10, struct.pack("I", idx["fzb0"])))
    req("release fzv1", RTM_NEWLINK, 0, ifinfomsg(idx["fzv1"]) + nla(10, struct.pack("I", 0)))
    req("fzb0 down", RTM_NEWLINK, 0, ifinfomsg(idx["fzb0"], 0, 1))
    req("delete fzb0", RTM_DELLINK, 0, ifinfomsg(idx["fzb0"]))
    return out


def random_refusals(rt, idx, pre, seed, n):
    """N random sysfs writes into the bond files and N random netlink messages
    through RT: (results, inputs), for a namespace the user does not own."""
    out = {}
    g = fuzz_sysfs.Gen(seed)
    for i in range(n):
        inp = g.input()
        if inp.kind == "bonding" and inp.dev != "fzb0" or inp.kind == "bonding_slave" and \
                inp.dev not in ("fzv0", "fzv1"):
            inp.dev = "fzb0" if inp.kind == "bonding" else "fzv0"
        out["%s random sysfs %d %s" % (pre, i, inp.desc())] = wres(
            fuzzlib.sysfs_write(inp.path(), inp.data))
    g = fuzz_netlink.Gen(seed, fuzzlib.BONDS + fuzzlib.SLAVES + fuzzlib.OTHERS)
    for i in range(n):
        m = g.message(["fzb0"], ["fzv0", "fzv1"], ["fzd0"])
        err, ext = rt.request(RTM_NEWLINK, m.nlflags, m.body(idx))
        out["%s random netlink %d %s" % (pre, i, m.desc()[:200])] = errname(err)
    return out


# ---- the child: nobody -------------------------------------------------------------

def child(a):
    res = {}
    rt0 = fuzzlib.Rtnl()
    s0 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    idx = rt0.names()[1]
    # 1. nobody, in the initial namespaces
    res.update(ioctl_matrix(s0, "fzb0", "init/nobody"))
    res.update(sysfs_matrix("init/nobody"))
    res.update(netlink_matrix(rt0, idx, "init/nobody"))
    res.update(random_refusals(rt0, idx, "init/nobody", a.seed, a.refusals))
    # 2. root of its own user namespace, with what it opened before
    uid, gid = os.getuid(), os.getgid()
    try:
        check(libc.unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS), "unshare")
    except OSError as e:
        print("RESULT " + json.dumps({"skip": str(e)}))
        return 0
    with open("/proc/self/setgroups", "w") as f:
        f.write("deny")
    with open("/proc/self/uid_map", "w") as f:
        f.write("0 %d 1" % uid)
    with open("/proc/self/gid_map", "w") as f:
        f.write("0 %d 1" % gid)
    res.update(ioctl_matrix(s0, "fzb0", "init/userns-root"))
    res.update(sysfs_matrix("init/userns-root"))
    res.update(netlink_matrix(rt0, idx, "init/userns-root"))
    res.update(random_refusals(rt0, idx, "init/userns-root", a.seed + 1, a.refusals))
    # 3. its own network namespace and sysfs
    check(libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
    check(libc.mount(b"sysfs", b"/sys", b"sysfs", 0, None), "mount sysfs")
    subprocess.run(["ip", "link", "set", "lo", "up"])
    fuzzlib.PEER_NS = None
    rt = fuzzlib.Rtnl()
    err, ext = rt.request(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
                          bond_msg(0, nla(1, b"\x01") + nla(3, struct.pack("I", 100)), name="fzb0"))
    res["own netlink create fzb0 active-backup miimon 100"] = errname(err) + \
        (" (%s)" % ext if ext else "")
    records = {}
    if err == 0:
        rt.request(RTM_DELLINK, 0, ifinfomsg(rt.names()[1]["fzb0"]))
        topo = fuzzlib.standard_setup(rt, log)
        idx = topo.name2idx
        s1 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        res.update(ioctl_matrix(s1, "fzb0", "own"))
        res.update(netlink_matrix(rt, idx, "own"))
        topo.restore()
        res.update(sysfs_matrix("own"))
        topo.restore()
        base = topo.base
        # the fuzz inputs, as in fuzz-netlink and fuzz-sysfs
        for kind, mod in (("netlink", fuzz_netlink), ("sysfs", fuzz_sysfs)):
            inputs = make_inputs(kind, a.seed + 1000, a.count)
            recs = fuzzlib.run_records("userns", rt, None, topo, inputs, mod.apply, a.budget, log)
            records[kind] = [fuzzlib.record_to_json(r) for r in recs]
        topo.destroy()
        records["base"] = sorted(base)
    print("RESULT " + json.dumps({"matrix": res, "records": records}))
    return 0


def make_inputs(kind, seed, count):
    if kind == "netlink":
        g = fuzz_netlink.Gen(seed, fuzz_netlink.BONDS + fuzz_netlink.SLAVES + fuzz_netlink.OTHERS)
        return [g.message(fuzz_netlink.BONDS, fuzz_netlink.SLAVES, fuzz_netlink.OTHERS)
                for _ in range(count)]
    g = fuzz_sysfs.Gen(seed)
    return [g.input() for _ in range(count)]


def leave_chroot():
    """The test VM runs its jobs chrooted into the host's tree, and a
    chrooted process may not make a user namespace (EPERM). In a private
    mount namespace, move that tree onto the namespace's root, as
    switch_root does: from here on (and for the children) the root is the
    mount namespace's root, and the other processes of the VM see no change."""
    if os.stat("/").st_ino == os.stat("/proc/1/root").st_ino and \
            os.stat("/").st_dev == os.stat("/proc/1/root").st_dev:
        return                                  # not chrooted
    cwd = os.getcwd()
    inner = None
    with open("/proc/1/mountinfo") as f:        # where init mounted our root
        for line in f:
            p = line.split()
            if p[4] != "/" and os.path.exists("/proc/1/root" + p[4]) and \
                    os.stat("/proc/1/root" + p[4]).st_dev == os.stat("/").st_dev and \
                    os.stat("/proc/1/root" + p[4]).st_ino == os.stat("/").st_ino:
                inner = p[4]
                break
    if inner is None:
        raise RuntimeError("cannot find the chroot's mount point in init's namespace")
    os.chroot("/proc/1/root")
    check(libc.unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)")
    check(libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "make-rprivate /")
    os.chdir(inner)
    check(libc.mount(b".", b"/", None, MS_MOVE, None), "mount --move %s /" % inner)
    os.chroot(".")
    os.chdir(cwd)


def privileged_refusal(r):
    return r.res == "EPERM" or (r.res == "EACCES" and r.ext == "open")


def privilege_compare(inputs, ro, rt, exempt):
    """The fuzz inputs in the user's own namespace: a problem when ours
    changes state on a refusal where in-tree does not, or when one module
    refuses for want of privilege (EPERM, or a sysfs file that does not
    open: EACCES) what the other lets this user do. Other differences are
    fuzz-netlink's and fuzz-sysfs's business: divergences here."""
    problems, divergences = [], []
    for o, t in zip(ro, rt):
        text = "ours %s%s, in-tree %s%s: input %d: %s" % (
            o.res, " (%s)" % o.ext if o.ext else "", t.res, " (%s)" % t.ext if t.ext else "",
            o.i, inputs[o.i].desc())
        extra = {k: v for k, v in o.changed.items() if k not in t.changed}
        if extra:
            problems.append("ours changes state on refusal, in-tree does not: %s\n%s" % (
                text, fuzzlib.show_diff(extra, 8)))
        ex = exempt(inputs[o.i])
        if o.res == t.res or ex == "ours-only" or (ex and o.res in ex):
            continue
        # both refused (say EPERM for updelay without miimon against
        # EINVAL for the name, in 6.1's in-tree order): not a privilege
        # matter; one that lets the user do it is
        if privileged_refusal(o) != privileged_refusal(t) and "ok" in (o.res, t.res):
            problems.append("privilege: " + text)
        else:
            divergences.append(text)
    return problems, divergences


# ---- the parent: root ---------------------------------------------------------------

def run_impl(impl, a, count):
    fuzzlib.load_module(impl)
    rt = fuzzlib.Rtnl()
    km = fuzzlib.Kmsg()
    topo = fuzzlib.Topo(rt, fuzzlib.standard_specs()[:1] + [fuzzlib.DummySpec("fzd0")], log)
    topo.build()
    before = topo.base
    t0 = time.time()
    r = subprocess.run(["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups",
                        "/usr/bin/python3", os.path.join(HERE, "fuzz_userns.py"), "--child",
                        "--seed", str(a.seed), "--count", str(count), "--budget", str(a.budget),
                        "--refusals", str(a.refusals)],
                       stdout=subprocess.PIPE, universal_newlines=True, cwd="/")
    log("  %s: the unprivileged run took %.1fs (exit %d)" % (impl, time.time() - t0, r.returncode))
    out = None
    for line in r.stdout.splitlines():
        if line.startswith("RESULT "):
            out = json.loads(line[7:])
    after = fuzzlib.snapshot(rt)
    changed = fuzzlib.diff(before, after, fuzzlib.volatile)
    splats = km.splats()
    topo.destroy()
    fuzzlib.unload_module()
    if out is None:
        raise RuntimeError("%s: the unprivileged run gave no result:\n%s" % (impl, r.stdout[-2000:]))
    return out, changed, splats


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--impl", default="ours")
    ap.add_argument("--oracle", action="store_true")
    ap.add_argument("--child", action="store_true")
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--budget", type=int, default=10)
    ap.add_argument("--refusals", type=int, default=25)
    ap.add_argument("--strict", action="store_true")
    a = ap.parse_args()
    if a.child:
        return child(a)

    leave_chroot()
    impls = [a.impl] + (["intree"] if a.oracle and a.impl != "intree" else [])
    res = {}
    problems, divergences, notes = [], [], []
    count = a.count
    for impl in impls:
        log("# fuzz-userns: %s" % impl)
        out, changed, splats = run_impl(impl, a, count)
        if "skip" in out:
            why = "" if os.path.exists("/proc/self/ns/user") else \
                " (this kernel has no user namespaces: CONFIG_USER_NS)"
            print("# no user namespace for nobody: %s%s" % (out["skip"], why), flush=True)
            fuzzlib.unload_module()
            return 77
        res[impl] = out
        if changed:
            problems.append("%s: the unprivileged user changed the initial namespace's bond:\n%s" % (
                impl, fuzzlib.show_diff(changed, 10)))
        if splats:
            problems.append("%s: kernel report:\n    %s" % (impl, "\n    ".join(splats[:8])))
        m = out["matrix"]
        # nobody and a user namespace's root change nothing of the initial ones
        for k, v in sorted(m.items()):
            if k.startswith("init/") and (" write " in k or " netlink " in k or " sysfs " in k or
                                          (" ioctl " in k and "QUERY" not in k and "SIOCG" not in k)):
                if v.startswith("ok"):
                    problems.append("%s: allowed to an unprivileged user: %s" % (impl, k))
        if not m.get("own netlink create fzb0 active-backup miimon 100", "").startswith("ok"):
            notes.append("%s: no bond in the user's own namespace: %s" % (
                impl, m.get("own netlink create fzb0 active-backup miimon 100")))
        recs = out["records"]
        for kind in ("netlink", "sysfs"):
            n = len(recs.get(kind, []))
            refused = sum(1 for r in recs.get(kind, []) if r["res"] != "ok")
            changed_n = sum(1 for r in recs.get(kind, []) if r["changed"])
            log("  %s, own namespace, %s fuzz: tried %d, refused %d, accepted %d, "
                "state-changes-on-refusal %d" % (impl, kind, n, refused, n - refused, changed_n))
        if impl == a.impl and len(impls) == 2:
            count = min(len(recs.get("netlink", [])), len(recs.get("sysfs", []))) or 1
    if len(impls) == 2:
        mo, mt = res[impls[0]]["matrix"], res["intree"]["matrix"]
        for k in sorted(set(mo) | set(mt)):
            vo, vt = mo.get(k), mt.get(k)
            if vo == vt:
                continue
            fm = re.search(r"/(bonding|bonding_slave)/(\w+)", k)
            f = fm.group(2) if fm else ""
            if vo is not None and "ENOENT" in vo and fm and fm.group(1) == "bonding" and \
                    f in fuzz_sysfs.UNIMPL_FILES:
                continue                        # a file of what ours does not implement
            if fm and fm.group(1) == "bonding_slave" and f in fuzz_sysfs.OURS_SLAVE_FILES:
                continue                        # ours' own per-slave target files
            if vt is None or vo is None:
                continue                        # an input beyond one run's budget
            text = "%s: ours %s, in-tree %s" % (k, vo, vt)
            if vo.startswith("ok") and not vt.startswith("ok"):
                problems.append("ours allows what in-tree does not: " + text)
            elif vt.startswith("ok") and not vo.startswith("ok"):
                problems.append("ours refuses what in-tree allows: " + text)
            elif vo.startswith("ok"):
                problems.append("different answer: " + text)
            else:
                problems.append("different errno: " + text)
        ro, rt = res[impls[0]]["records"], res["intree"]["records"]
        for kind, mod, ex in (("netlink", fuzz_netlink, fuzz_netlink.unimplemented),
                              ("sysfs", fuzz_sysfs, fuzz_sysfs.exempt)):
            if kind not in ro or kind not in rt:
                continue
            inputs = make_inputs(kind, a.seed + 1000, max(len(ro[kind]), len(rt[kind])))
            p, d = privilege_compare(inputs, [fuzzlib.record_from_json(j) for j in ro[kind]],
                                     [fuzzlib.record_from_json(j) for j in rt[kind]], ex)
            problems += ["own namespace, %s fuzz: %s" % (kind, x) for x in p]
            divergences += ["own namespace, %s fuzz: %s" % (kind, x) for x in d]
    for n in notes:
        print("# note: " + n)
    for d in divergences:
        print("DIVERGENCE: " + d)
    for p in problems:
        print("PROBLEM: " + p)
    m = res[a.impl]["matrix"]
    def mutating(k):
        return k.startswith("init/") and (" write " in k or " netlink " in k or " sysfs " in k or
                                          (" ioctl " in k and "QUERY" not in k and "SIOCG" not in k))
    denied = sum(1 for k, v in m.items() if mutating(k) and not v.startswith("ok"))
    tried = sum(1 for k in m if mutating(k))
    own = sum(1 for k in m if k.startswith("own"))
    own_ok = sum(1 for k, v in m.items() if k.startswith("own") and v.startswith("ok"))
    print("fuzz-userns seed=%d: %s: initial namespaces: tried %d, refused %d; own namespace: "
          "%d operations, %d allowed; %d problems, %d divergences (a change in the initial "
          "namespaces would be a problem)" % (
              a.seed, a.impl, tried, denied, own, own_ok, len(problems), len(divergences)),
          flush=True)
    return 1 if problems or (divergences and a.strict) else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception:  # noqa: BLE001
        import traceback
        traceback.print_exc()
        sys.exit(2)
