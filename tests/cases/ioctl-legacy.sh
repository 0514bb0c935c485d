#!/bin/bash
# The legacy SIOCBOND* ioctls (ifenslave, some libraries): enslave, change
# the active slave, query the bond and its slaves, release, and the MII
# register read that reports the bond's link.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

bond_load_defaults max_bonds=0
ip link add bond0 type bond mode active-backup miimon 100 || fail "bond0"
topo_peer_ns
topo_veth veth0 p0
topo_veth veth1 p1
ip link set bond0 up

# bondctl CMD [SLAVE]: one ioctl on bond0, through python's fcntl.ioctl.
bondctl() {
	python3 - "$@" <<'PY'
import ctypes, fcntl, socket, struct, sys
cmd = sys.argv[1]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
nums = {"enslave": 0x8990, "release": 0x8991, "sethwaddr": 0x8992,
        "change_active": 0x8995}
if cmd in nums:
    req = struct.pack("16s16s8x", b"bond0", sys.argv[2].encode())
    try:
        fcntl.ioctl(s, nums[cmd], req)
        print("ok")
    except OSError as e:
        print("errno", e.errno)
elif cmd == "info":
    buf = ctypes.create_string_buffer(12)
    fcntl.ioctl(s, 0x8994, struct.pack("16sP16x", b"bond0", ctypes.addressof(buf)))
    print("mode=%d slaves=%d miimon=%d" % struct.unpack("iii", buf.raw))
elif cmd == "slave":
    buf = ctypes.create_string_buffer(struct.pack("i16sbbxxI", int(sys.argv[2]), b"", 0, 0, 0))
    try:
        fcntl.ioctl(s, 0x8993, struct.pack("16sP16x", b"bond0", ctypes.addressof(buf)))
    except OSError as e:
        print("errno", e.errno); sys.exit(0)
    sid, name, link, state, fails = struct.unpack("i16sbbxxI", buf.raw[:28])
    print("%s link=%d state=%d fails=%d" % (name.rstrip(b"\0").decode(), link, state, fails))
elif cmd == "mii":
    req = bytearray(struct.pack("16sHHHH20x", b"bond0", 0, 1, 0, 0))
    fcntl.ioctl(s, 0x8947, req)          # SIOCGMIIPHY, reads register 1 too
    print("bmsr=%#x" % struct.unpack_from("HHHH", req, 16)[3])
PY
}

expect_eq "$(bondctl enslave veth0)" ok "SIOCBONDENSLAVE veth0"
expect_eq "$(bondctl enslave veth1)" ok "SIOCBONDENSLAVE veth1"
expect_eq "$(bondctl enslave nosuchdev)" "errno 19" "enslave of a missing device (ENODEV)"
expect_eq "$(bonding_masters_slaves=$(cat /sys/class/net/bond0/bonding/slaves); echo $bonding_masters_slaves)" \
	"veth0 veth1" "slaves after the ioctls"
expect_eq "$(bondctl info)" "mode=1 slaves=2 miimon=100" "SIOCBONDINFOQUERY"
wait_for 5 attr_is veth0 bond_opt bond0 active_slave || fail "veth0 not active"
expect_eq "$(bondctl slave 0)" "veth0 link=0 state=0 fails=0" "slave 0"
expect_eq "$(bondctl slave 1)" "veth1 link=0 state=1 fails=0" "slave 1"
expect_eq "$(bondctl slave 2)" "errno 19" "slave 2 does not exist"

expect_eq "$(bondctl change_active veth1)" ok "SIOCBONDCHANGEACTIVE veth1"
expect_eq "$(bond_opt bond0 active_slave)" veth1 "active after the ioctl"
expect_eq "$(bondctl mii)" "bmsr=0x4" "BMSR link bit while up"

expect_eq "$(bondctl release veth0)" ok "SIOCBONDRELEASE veth0"
expect_eq "$(bond_opt bond0 slaves)" veth1 "slaves after release"
expect_eq "$(bondctl release veth0)" "errno 22" "release of a non-slave (EINVAL)"
