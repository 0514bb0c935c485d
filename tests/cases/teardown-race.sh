#!/bin/bash
# smoke
# Teardown racing the interfaces (reliability.md 1.6, 1.7, 1.15): while
# writers hammer every bond's sysfs option files and bonding_masters, and
# readers loop over /proc/net/bonding, the bonding sysfs files and
# `ip -d -s link`, bonds are deleted and recreated by netlink and by
# bonding_masters, then the module is removed with all of it still running.
# In-tree meets this with rtnl_trylock and restarted syscalls; a driver that
# takes RTNL in a sysfs store while unregister waits for that store
# deadlocks, and one whose readers outlive the bond reads freed memory. The
# test asks for: every deletion and the rmmod done within their time (no
# hang), the module gone and loadable again, and (on the debug kernel) no
# report, which the suite checks after every test.
. "$(dirname "$0")/../lib.sh"

# On the debug kernel every step takes long and every refusal's kernel
# message crawls out of the serial console: fewer bonds, writers and time.
N=4 CHURN=12 LOOPS=2
[[ $(uname -r) == *debug* ]] && N=2 CHURN=6 LOOPS=1
pids=()
stop_loops() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	pids=()
}
cleanup() {
	stop_loops
	local i d
	for ((i = 0; i < N; i++)); do
		for d in "tb$i" "td${i}a" "td${i}b"; do ip link del "$d" 2>/dev/null; done
	done
	_cleanup
}
trap cleanup EXIT

# make_bond I: bond tbI over two dummies, up: with the MII monitor, the ARP
# monitor or (made through bonding_masters) none.
make_bond() {
	local b=tb$1
	case $(($1 % 3)) in
	0) ip link add "$b" type bond mode active-backup miimon 50 ;;
	1) ip link add "$b" type bond mode balance-rr arp_interval 50 arp_ip_target 192.0.2.9 ;;
	2) echo "+$b" >/sys/class/net/bonding_masters ;;
	esac 2>/dev/null || return 0
	ip link add "td${1}a" type dummy 2>/dev/null
	ip link add "td${1}b" type dummy 2>/dev/null
	ip link set "td${1}a" master "$b" 2>/dev/null
	echo "+td${1}b" >"/sys/class/net/$b/bonding/slaves" 2>/dev/null
	ip link set "$b" up 2>/dev/null
}

writer() {
	local i f v
	while :; do
		for ((i = 0; i < N; i++)); do
			for f in miimon updelay downdelay arp_interval primary active_slave mode \
				xmit_hash_policy num_grat_arp arp_validate min_links; do
				case $f in
				primary | active_slave) v=td${i}a ;;
				mode) v=balance-xor ;;
				xmit_hash_policy) v=layer3+4 ;;
				arp_validate) v=active ;;
				*) v=$((RANDOM % 200)) ;;
				esac
				echo "$v" >"/sys/class/net/tb$i/bonding/$f"
			done
			echo "-td${i}b" >"/sys/class/net/tb$i/bonding/slaves"
			echo "+td${i}b" >"/sys/class/net/tb$i/bonding/slaves"
			echo 100 >"/sys/class/net/td${i}a/bonding_slave/queue_id" 2>/dev/null
		done
	done 2>/dev/null
}
reader() {
	local f
	while :; do
		for f in /proc/net/bonding/* /sys/class/net/tb*/bonding/* /sys/class/net/td*/bonding_slave/*; do
			cat "$f"
		done
		ip -d -s link show
	done >/dev/null 2>&1
}

bond_load_defaults max_bonds=0
for ((i = 0; i < N; i++)); do make_bond $i; done
for ((i = 0; i < LOOPS; i++)); do
	writer & pids+=($!)
	reader & pids+=($!)
done

# churn: delete each bond (by netlink or by bonding_masters) and make it anew
end=$((SECONDS + CHURN))
rounds=0
while [ $SECONDS -lt $end ]; do
	for ((i = 0; i < N && SECONDS < end; i++)); do
		if ((RANDOM % 2)); then
			timeout 30 ip link del "tb$i" 2>/dev/null
		else
			timeout 30 sh -c "echo -tb$i >/sys/class/net/bonding_masters" 2>/dev/null
		fi
		[ $? = 124 ] && fail "deleting tb$i hung for 30 s"
		make_bond $i
	done
	rounds=$((rounds + 1))
done
say "$rounds rounds of deleting and remaking $N bonds under the writers and readers"

# the module goes with everything still running
timeout 60 rmmod bonding
rc=$?
[ $rc = 124 ] && fail "rmmod hung for 60 s"
[ $rc = 0 ] || fail "rmmod bonding: exit $rc"
! bond_loaded || fail "bonding still loaded after rmmod"
[ ! -e /sys/class/net/bonding_masters ] || fail "bonding_masters outlived the module"
stop_loops
bond_load_defaults max_bonds=0
bond_unload
