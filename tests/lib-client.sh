#!/bin/bash
# Helpers for the client tests (tests/cases/client-*.sh): Debian's network
# managers configuring bonds as their users do, started by hand in the VM
# (no systemd as PID 1). Source after lib.sh and lib-topo.sh.
#
# The VM's root is the host's, read-only. client_root gives /etc and /var
# (and /usr with CLIENT_ROOT_USR=1) a tmpfs layer on top, so a client
# writes its config, leases and state where it would on a real machine and
# the host's files stay untouched. Everything a test started is stopped,
# and the layers are removed, when the test ends.

_client_pids=()
_client_mounts=()

# client_root: the writable layers, and a clean slate for every client:
# no interfaces stanzas, no keyfiles, no leases, no networkd config.
client_root() {
	local d dirs="etc var"
	[ "${CLIENT_ROOT_USR:-0}" = 1 ] && dirs="$dirs usr"
	modprobe overlay || fail "modprobe overlay"
	mkdir -p /tmp/client-root
	mount -t tmpfs tmpfs /tmp/client-root || fail "tmpfs for the client layers"
	for d in $dirs; do
		mkdir -p "/tmp/client-root/$d/up" "/tmp/client-root/$d/work"
		mount -t overlay overlay \
			-o "lowerdir=/$d,upperdir=/tmp/client-root/$d/up,workdir=/tmp/client-root/$d/work" \
			"/$d" || fail "an overlay of /$d"
		_client_mounts=("/$d" "${_client_mounts[@]}")
	done
	_client_mounts+=(/tmp/client-root)
	printf 'source /etc/network/interfaces.d/*\n\nauto lo\niface lo inet loopback\n' \
		>/etc/network/interfaces
	rm -rf /etc/network/interfaces.d/* /etc/NetworkManager/system-connections/* \
		/etc/systemd/network/* /etc/netplan/* /var/lib/dhcp/* /var/lib/NetworkManager/* \
		/var/lib/dhcpcd/* 2>/dev/null
	_client_clean_run
	mkdir -p /run/network /run/systemd/network /run/dbus
	# after whatever the test's other libraries undo (lib-lacp's teamd)
	_client_prev_trap=$(trap -p EXIT | sed "s/^trap -- '\(.*\)' EXIT\$/\1/")
	trap '_client_teardown; eval "${_client_prev_trap:-_cleanup}"' EXIT
}

# client_spawn NAME CMD...: start a daemon in the background, its output
# in /tmp/NAME.log; stopped when the test ends.
client_spawn() {
	local name=$1
	shift
	"$@" >"/tmp/$name.log" 2>&1 &
	_client_pids+=($!)
}

# client_log NAME: the output of a daemon client_spawn started.
client_log() { cat "/tmp/$1.log" 2>/dev/null; }

# client_dbus: the system bus, which NetworkManager, nmcli and networkctl use.
client_dbus() {
	client_spawn dbus dbus-daemon --system --nofork --nopidfile
	wait_for 10 test -S /run/dbus/system_bus_socket || fail "the system dbus did not start"
}

# client_udev: systemd-udevd, with the network devices that exist already
# announced to it. networkd (and NetworkManager) wait for udev to have seen
# a link before they configure it, as on every Debian machine.
client_udev() {
	[ -S /run/udev/control ] && return
	client_spawn udevd /lib/systemd/systemd-udevd
	wait_for 20 test -S /run/udev/control || { client_log udevd | tail; fail "udevd did not start"; }
	# what udevadm trigger does, which refuses to run in the VM's chroot
	local d
	for d in /sys/class/net/*/uevent; do echo add >"$d"; done
	for d in /sys/class/net/*/ifindex; do
		wait_for 60 test -e "/run/udev/data/n$(cat "$d")" ||
			fail "udev did not see ${d%/ifindex}"
	done
}

# client_networkd: systemd-networkd, as its unit runs it (it drops to the
# systemd-network user and keeps its state in /run/systemd/netif).
client_networkd() {
	client_udev
	mkdir -p /run/systemd/netif
	chown systemd-network:systemd-network /run/systemd/netif
	client_spawn networkd env SYSTEMD_LOG_LEVEL=debug /lib/systemd/systemd-networkd
	wait_for 20 test -e /run/systemd/netif/state || { client_log networkd | tail -20
		fail "systemd-networkd did not start"; }
}

# What the clients keep in /run, the VM's own tmpfs that outlives a test:
# an earlier test's udev socket, networkd config or leases must not be seen.
_client_clean_run() {
	rm -rf /run/udev /run/systemd/network /run/systemd/netif /run/NetworkManager \
		/run/network /run/dbus /run/dhcpcd /run/netplan /run/dhclient*.pid \
		/run/bond-dhcp-follow.*
}

_client_teardown() {
	local pid m
	for pid in "${_client_pids[@]}"; do kill "$pid" 2>/dev/null; done
	# dhclient and dhcpcd daemonise: not children of the test
	pkill -x dhclient 2>/dev/null
	pkill -x dhcpcd 2>/dev/null
	pkill -x dnsmasq 2>/dev/null
	for pid in "${_client_pids[@]}"; do wait "$pid" 2>/dev/null; done
	# the daemons' whole logs, beside the VM's out.log, for a failure's reader
	if [ -d /run/vmout ]; then
		mkdir -p "/run/vmout/client-logs/$TEST_NAME"
		cp /tmp/*.log /run/*.log "/run/vmout/client-logs/$TEST_NAME/" 2>/dev/null
	fi
	sleep 0.2
	_client_clean_run
	for m in "${_client_mounts[@]}"; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
	done
}

# client_ping NS ADDR [SECONDS]: ADDR answers a ping from this side within
# SECONDS (default 10); NS, if not empty, pings from that namespace instead.
client_ping() {
	local end=$((SECONDS + ${3:-10}))
	until ${1:+ip netns exec "$1"} ping -q -c 1 -W 1 "$2" >/dev/null 2>&1; do
		[ $SECONDS -lt $end ] || return 1
	done
}

# client_failover BOND: cut the active slave's link (its peer end down) and
# wait until the bond has another active slave that carries a ping to the
# peer, then restore the link. Prints the new active slave.
client_failover() {
	local bond=$1 old new
	old=$(bond_opt "$bond" active_slave)
	[ -n "$old" ] || fail "$bond has no active slave before the failover"
	ip -n "$TOPO_NS" link set "$(client_peer_of "$old")" down
	wait_for 10 client_active_is_not "$bond" "$old" || fail "$bond did not fail over from $old"
	new=$(bond_opt "$bond" active_slave)
	client_ping "" "$PEER_IP4" 10 || fail "no ping through $new after the failover"
	ip -n "$TOPO_NS" link set "$(client_peer_of "$old")" up
	echo "$new"
}

client_active_is_not() {
	local a
	a=$(bond_opt "$1" active_slave)
	[ -n "$a" ] && [ "$a" != "$2" ]
}

# client_peer_of vethI: pI, its peer end in $TOPO_NS.
client_peer_of() { echo "p${1#veth}"; }

# client_slaves BOND: its slaves, sorted, space separated.
client_slaves() { tr ' ' '\n' <"/sys/class/net/$1/bonding/slaves" | sed '/^$/d' | sort | xargs; }

# client_nm: NetworkManager as a bond's owner has it: managing bond0,
# veth0 and veth1 only (Debian's udev rules leave veths unmanaged: a
# [device] section manages them), keyfile profiles, no connectivity check,
# debug logging; udevd and the system dbus first. Debian's
# /etc/NetworkManager/dispatcher.d/01-ifupdown goes: it runs ifupdown's
# if-post-down.d scripts (ifenslave's among them) on NM's "down" events,
# which release ports and tear bonds apart behind NM's back with any
# bonding driver, and a machine whose bonds NM owns has no use for it.
client_nm() {
	rm -f /etc/NetworkManager/dispatcher.d/01-ifupdown
	mkdir -p /etc/NetworkManager/conf.d
	cat >/etc/NetworkManager/conf.d/99-bond-test.conf <<EOF
[main]
plugins=keyfile
no-auto-default=*

[keyfile]
unmanaged-devices=except:interface-name:bond0;except:interface-name:veth0;except:interface-name:veth1

[connectivity]
enabled=false

[device-bond-test]
match-device=interface-name:veth0;interface-name:veth1
managed=1

[logging]
level=DEBUG
EOF
	client_udev
	client_dbus
	client_spawn nm NetworkManager --no-daemon --debug
	wait_for 30 eval 'nmcli -t general status >/dev/null 2>&1' || nm_fail "NetworkManager did not start"
}

# nm_fail MESSAGE: fail with NM's last log lines and its device list.
nm_fail() {
	client_log nm | grep -v '<debug>\|<trace>' | tail -30
	nmcli device status 2>&1
	fail "$*"
}
