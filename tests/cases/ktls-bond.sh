#!/bin/bash
# kTLS device offload through a bond, as in-tree: the bond names the slave
# a TCP socket's packets take (ndo_sk_get_lower_dev), the socket's key goes
# to that slave, and its records leave by it. Two pairs of nic_sim devices
# (tests/tools/nic-sim, tls=1: NETIF_F_HW_TLS_TX) are the slaves, their
# peers ports of the peer's bridge, where a plain TCP server reads.
#  - balance-xor with layer3+4: each of 4 connections is offloaded
#    (/proc/net/tls_stat TlsTxDevice), the key is held by the slave that
#    carried the connection's handshake (the hash of its packets), and all
#    of its offloaded records leave by that slave;
#  - active-backup and balance-xor with layer2 cannot name one slave for a
#    socket: TLS falls back to the kernel's software crypto (TlsTxSw), no
#    slave holds a key, and the data still arrives.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

. "$(dirname "$0")/../lib-nic.sh"

ktls=$NIC_TOOLS/ktls.py
PORT=4433
stat_of() { awk -v k="$1" '$1 == k { print $2 }' /proc/net/tls_stat; }
txp() { cat "/sys/class/net/$1/statistics/tx_packets"; }
listening() { ip netns exec "$TOPO_NS" ss -Htln "sport = :$PORT" | grep -q .; }

# setup OPTIONS...: the bond (lib-nic.sh), the server in the peer
setup() {
	nic_bond tls=1 miimon 100 "$@"
	ip netns exec "$TOPO_NS" python3 "$ktls" server "$PORT" &
	NIC_PIDS+=($!)
	check "the server listens" wait_for 60 listening
}

# one_conn: a connection, then TLS_TX and 256 KiB. Sets lport, hs (the
# slave whose tx_packets grew by the handshake), keyed (the slave holding a
# key while the socket is open, or "none") and sent.
one_conn() {
	local b0 b1 line
	hs= keyed=none
	b0=$(txp nic0) b1=$(txp nic1)
	coproc CL { python3 "$ktls" client "$PEER_IP4" "$PORT" 262144; }
	read -r -t 120 line <&"${CL[0]}" || fail "the client did not connect"
	lport=${line#connected }
	(($(txp nic0) - b0 >= 2)) && hs=nic0
	if (($(txp nic1) - b1 >= 2)); then
		[ -n "$hs" ] && hs=both || hs=nic1
	fi
	echo go >&"${CL[1]}"
	read -r -t 300 line <&"${CL[0]}" || fail "the client did not send"
	sent=${line#sent }
	# the socket is still open: its key is still held
	for i in 0 1; do
		[ "$(nic_attr "nic$i" tls_keys)" -gt 0 ] && keyed=nic$i
	done
	echo close >&"${CL[1]}"
	wait "$CL_PID" 2>/dev/null
}

bond_load
say "balance-xor layer3+4: offloaded to the slave the socket hashes to"
setup mode balance-xor xmit_hash_policy layer3+4
seen=
for n in 1 2 3 4; do
	dev0=$(stat_of TlsTxDevice) t0=$(nic_attr nic0 tls_tx) t1=$(nic_attr nic1 tls_tx)
	one_conn
	say "connection $n, local port $lport: handshake by $hs, key on $keyed"
	expect_eq "$sent" 262144 "connection $n: bytes sent"
	expect_eq "$(stat_of TlsTxDevice)" $((dev0 + 1)) "connection $n: TlsTxDevice"
	expect_match "$hs" '^nic[01]$' "connection $n: one slave carried the handshake"
	expect_eq "$keyed" "$hs" "connection $n: the slave holding the key"
	d0=$(($(nic_attr nic0 tls_tx) - t0)) d1=$(($(nic_attr nic1 tls_tx) - t1))
	if [ "$hs" = nic0 ]; then
		check "connection $n: records by nic0 ($d0), none by nic1 ($d1)" test $d0 -gt 0 -a $d1 = 0
	else
		check "connection $n: records by nic1 ($d1), none by nic0 ($d0)" test $d1 -gt 0 -a $d0 = 0
	fi
	seen+=" $hs"
done
say "slaves used:$seen"
check "keys left after the sockets closed" wait_for 10 eval '[ "$(nic_attr nic0 tls_keys)$(nic_attr nic1 tls_keys)" = 00 ]'
nic_teardown

for opts in "mode active-backup" "mode balance-xor xmit_hash_policy layer2"; do
	say "$opts: software TLS"
	# shellcheck disable=SC2086
	setup $opts
	sw0=$(stat_of TlsTxSw) dev0=$(stat_of TlsTxDevice)
	one_conn
	expect_eq "$sent" 262144 "$opts: bytes sent"
	expect_eq "$(stat_of TlsTxSw)" $((sw0 + 1)) "$opts: TlsTxSw"
	expect_eq "$(stat_of TlsTxDevice)" "$dev0" "$opts: TlsTxDevice"
	expect_eq "$keyed" none "$opts: no slave holds a key"
	nic_teardown
done
bond_unload
echo ok
