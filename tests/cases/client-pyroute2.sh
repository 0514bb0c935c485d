#!/bin/bash
# kernel-neutral: a client of the rtnetlink bond attributes, the same on every kernel
# pyroute2 (python3-pyroute2 0.7.2) as Python programs drive a bond: IPRoute's
# link('add', kind='bond', bond_...), link('set', master=...), and reading the
# IFLA_LINKINFO back from link('get'):
#  - an active-backup bond made in one RTM_NEWLINK (mode, miimon, primary by
#    ifindex, num_peer_notif), both veths enslaved, up with an address: the
#    IFLA_INFO_DATA attributes read back (active slave veth0) and each
#    slave's IFLA_INFO_SLAVE_KIND "bond" and IFLA_INFO_SLAVE_DATA (state
#    active/backup, MII up, no failures, its permanent MAC); traffic; a
#    failover, then the primary back with one link failure counted;
#  - options changed on the live bond with link('set', kind='bond'): miimon,
#    updelay, and the primary moved to veth1 (which becomes active);
#  - refusals, with the errno the in-tree driver gives and nothing changed:
#    a mode change with slaves (ENOTEMPTY), an xmit hash policy out of range
#    (EINVAL), lacp_rate outside 802.3ad (EACCES), a bond created with mode
#    99 (EINVAL, no device left behind), and mode 99 on an empty bond
#    (EINVAL); one message with a good miimon before a bad xmit hash policy
#    keeps the miimon (the options apply in order until one fails);
#  - the mode changed as programs must: slaves released, bond down, mode
#    balance-xor with layer3+4, slaves back; the read-back (both slaves
#    active) and traffic; then link('del') removes the bond and frees the
#    slaves.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-client.sh"

python3 -c 'import pyroute2' 2>/dev/null || skip "python3-pyroute2 is not installed"

bond_load
client_root
topo_peer_ns
topo_veth veth0 p0
topo_veth veth1 p1
mac0=$(link_mac veth0)
mac1=$(link_mac veth1)

# The program: one step per call, `python3 /tmp/bond-pyroute2.py STEP ARGS`.
# A failed check prints "FAIL: ..." and exits 1.
cat >/tmp/bond-pyroute2.py <<'PY'
import errno, sys, time
from pyroute2 import IPRoute
from pyroute2.netlink.exceptions import NetlinkError

ip = IPRoute()

def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)

def idx(name):
    r = ip.link_lookup(ifname=name)
    return r[0] if r else None

def linkinfo(name):
    i = idx(name)
    if i is None:
        fail("%s does not exist" % name)
    link = ip.link('get', index=i)[0]
    return link, link.get_attr('IFLA_LINKINFO')

def data(name):
    """The bond's IFLA_INFO_DATA as a dict."""
    _, li = linkinfo(name)
    if li is None or li.get_attr('IFLA_INFO_KIND') != 'bond':
        fail("%s: IFLA_INFO_KIND is not bond" % name)
    d = li.get_attr('IFLA_INFO_DATA')
    return {k: v for k, v in d['attrs']}

def slave(name):
    """A slave's IFLA_MASTER and IFLA_INFO_SLAVE_DATA as a dict."""
    link, li = linkinfo(name)
    if li is None or li.get_attr('IFLA_INFO_SLAVE_KIND') != 'bond':
        fail("%s: IFLA_INFO_SLAVE_KIND is not bond" % name)
    d = {k: v for k, v in li.get_attr('IFLA_INFO_SLAVE_DATA')['attrs']}
    d['master'] = link.get_attr('IFLA_MASTER')
    return d

def expect(got, want, desc):
    if got != want:
        fail("%s: got %r, expected %r" % (desc, got, want))

def expect_data(bond, **want):
    d = data(bond)
    for k, v in want.items():
        expect(d.get('IFLA_BOND_' + k.upper()), v, "%s's IFLA_BOND_%s" % (bond, k.upper()))

def wait_active(bond, name, secs=10):
    end = time.time() + secs
    while data(bond).get('IFLA_BOND_ACTIVE_SLAVE') != idx(name):
        if time.time() > end:
            fail("%s: IFLA_BOND_ACTIVE_SLAVE is %r, not %s (%d)" % (
                bond, data(bond).get('IFLA_BOND_ACTIVE_SLAVE'), name, idx(name)))
        time.sleep(0.1)

def set_bond(bond, **opts):
    ip.link('set', index=idx(bond), kind='bond', **opts)

def refused(code, desc, f):
    try:
        f()
    except NetlinkError as e:
        expect(errno.errorcode.get(e.code, e.code), errno.errorcode[code], desc + ": the errno")
        return
    fail(desc + ": accepted, expected %s" % errno.errorcode[code])

def refused_unchanged(bond, code, desc, **opts):
    before = data(bond)
    refused(code, desc, lambda: set_bond(bond, **opts))
    after = data(bond)
    changed = {k: (before.get(k), after.get(k)) for k in set(before) | set(after)
               if before.get(k) != after.get(k)}
    if changed:
        fail("%s: refused, but changed %r" % (desc, changed))

step, args = sys.argv[1], sys.argv[2:]

if step == 'create':
    ip.link('add', ifname='bond0', kind='bond', bond_mode=1, bond_miimon=100,
            bond_primary=idx('veth0'), bond_num_peer_notif=2)
    for s in ('veth0', 'veth1'):
        ip.link('set', index=idx(s), master=idx('bond0'))
    ip.link('set', index=idx('bond0'), state='up')
    ip.addr('add', index=idx('bond0'), address=args[0], prefixlen=24)

elif step == 'readback':
    mac0, mac1 = args
    wait_active('bond0', 'veth0')
    expect_data('bond0', mode=1, miimon=100, primary=idx('veth0'), num_peer_notif=2,
                updelay=0, downdelay=0, primary_reselect=0, xmit_hash_policy=0)
    b = idx('bond0')
    for name, state, mac in (('veth0', 0, mac0), ('veth1', 1, mac1)):
        s = slave(name)
        expect(s['master'], b, name + "'s IFLA_MASTER")
        expect(s.get('IFLA_BOND_SLAVE_STATE'), state, name + "'s IFLA_BOND_SLAVE_STATE")
        expect(s.get('IFLA_BOND_SLAVE_MII_STATUS'), 0, name + "'s IFLA_BOND_SLAVE_MII_STATUS (up)")
        expect(s.get('IFLA_BOND_SLAVE_LINK_FAILURE_COUNT'), 0, name + "'s link failures")
        expect(s.get('IFLA_BOND_SLAVE_PERM_HWADDR'), mac, name + "'s IFLA_BOND_SLAVE_PERM_HWADDR")

elif step == 'after-failover':
    wait_active('bond0', 'veth0')
    expect(slave('veth0').get('IFLA_BOND_SLAVE_LINK_FAILURE_COUNT'), 1, "veth0's link failures")
    expect(slave('veth1').get('IFLA_BOND_SLAVE_LINK_FAILURE_COUNT'), 0, "veth1's link failures")
    expect(slave('veth0').get('IFLA_BOND_SLAVE_STATE'), 0, "veth0's state (active)")
    expect(slave('veth1').get('IFLA_BOND_SLAVE_STATE'), 1, "veth1's state (backup)")

elif step == 'change':
    set_bond('bond0', bond_miimon=200, bond_updelay=400)
    expect_data('bond0', miimon=200, updelay=400)
    set_bond('bond0', bond_primary=idx('veth1'))
    expect_data('bond0', primary=idx('veth1'))
    wait_active('bond0', 'veth1')
    expect(slave('veth1').get('IFLA_BOND_SLAVE_STATE'), 0, "veth1's state (active)")
    expect(slave('veth0').get('IFLA_BOND_SLAVE_STATE'), 1, "veth0's state (backup)")

elif step == 'refusals':
    refused_unchanged('bond0', errno.ENOTEMPTY, "mode balance-rr with slaves", bond_mode=0)
    refused_unchanged('bond0', errno.EINVAL, "xmit_hash_policy 9", bond_xmit_hash_policy=9)
    refused_unchanged('bond0', errno.EACCES, "lacp_rate fast in active-backup",
                      bond_ad_lacp_rate=1)
    refused(errno.EINVAL, "a new bond1 with mode 99",
            lambda: ip.link('add', ifname='bond1', kind='bond', bond_mode=99))
    expect(idx('bond1'), None, "bond1 after its refused creation")
    # One message, a good miimon then a bad policy: what came before stays.
    refused(errno.EINVAL, "miimon 300 with xmit_hash_policy 9",
            lambda: set_bond('bond0', bond_miimon=300, bond_xmit_hash_policy=9))
    expect_data('bond0', miimon=300, xmit_hash_policy=0)

elif step == 'to-xor':
    for s in ('veth0', 'veth1'):
        ip.link('set', index=idx(s), master=0)
    ip.link('set', index=idx('bond0'), state='down')
    refused_unchanged('bond0', errno.EINVAL, "mode 99 on the empty bond", bond_mode=99)
    set_bond('bond0', bond_mode=2, bond_xmit_hash_policy=1)
    for s in ('veth0', 'veth1'):
        ip.link('set', index=idx(s), master=idx('bond0'))
    ip.link('set', index=idx('bond0'), state='up')
    expect_data('bond0', mode=2, xmit_hash_policy=1, miimon=300)
    if 'IFLA_BOND_ACTIVE_SLAVE' in data('bond0'):
        fail("balance-xor bond0 reports an IFLA_BOND_ACTIVE_SLAVE")
    for s in ('veth0', 'veth1'):
        expect(slave(s).get('IFLA_BOND_SLAVE_STATE'), 0, s + "'s state in balance-xor")

elif step == 'delete':
    ip.link('del', index=idx('bond0'))
    expect(idx('bond0'), None, "bond0 after link('del')")
    for s in ('veth0', 'veth1'):
        link = ip.link('get', index=idx(s))[0]
        expect(link.get_attr('IFLA_MASTER'), None, s + "'s IFLA_MASTER after the delete")

else:
    fail("no step " + step)
PY

pr() { python3 /tmp/bond-pyroute2.py "$@" || exit 1; }

pr create "$BOND_IP4"
pr readback "$mac0" "$mac1"
expect_eq "$(client_slaves bond0)" "veth0 veth1" "bond0's slaves"
expect_eq "$(bond_opt bond0 mode)" "active-backup 1" "mode (sysfs)"
expect_eq "$(bond_opt bond0 primary)" veth0 "primary (sysfs)"
expect_eq "$(bond_opt bond0 num_grat_arp)" 2 "num_grat_arp (sysfs)"
check "ping the peer through bond0" client_ping "" "$PEER_IP4"

new=$(client_failover bond0) || exit 1
expect_eq "$new" veth1 "the active slave after the primary's link cut"
pr after-failover
check "ping after the primary's return" client_ping "" "$PEER_IP4"

pr change
expect_eq "$(bond_opt bond0 miimon)" 200 "miimon (sysfs) after the change"
expect_eq "$(bond_opt bond0 updelay)" 400 "updelay (sysfs) after the change"
expect_eq "$(bond_opt bond0 primary)" veth1 "primary (sysfs) after the change"
check "ping through veth1" client_ping "" "$PEER_IP4"

pr refusals
check_fails "bond1 left behind" link_exists bond1
expect_eq "$(bond_opt bond0 mode)" "active-backup 1" "mode (sysfs) after the refusals"
expect_eq "$(bond_opt bond0 xmit_hash_policy)" "layer2 0" "xmit_hash_policy (sysfs) after the refusals"

pr to-xor
expect_eq "$(bond_opt bond0 mode)" "balance-xor 2" "mode (sysfs) after the change to balance-xor"
expect_eq "$(bond_opt bond0 xmit_hash_policy)" "layer3+4 1" "xmit_hash_policy (sysfs)"
expect_eq "$(client_slaves bond0)" "veth0 veth1" "balance-xor bond0's slaves"
ip addr add "$BOND_IP4/24" dev bond0 2>/dev/null
check "ping the peer through the balance-xor bond0" client_ping "" "$PEER_IP4"

pr delete
check_fails "bond0 gone" link_exists bond0
echo "ok"
