#!/usr/bin/python3
# Send one packet per flow through a balance-xor bond and report, per flow,
# the slave it left by (from the slaves' tx_packets) and the slave the
# documented hash policy predicts. Usage:
#   xor_placement.py POLICY DEV SLAVE... < flows
# Each flow line: "udp4|udp6|icmp4|icmp6 SRC DST SPORT_OR_ID DPORT SMAC DMAC VID"
# (the addresses must route through DEV, DST with a static neighbour DMAC).
# Prints "flow seen predicted" per line; exit 1 if any differs.
import socket, struct, sys, time

policy, dev, slaves = sys.argv[1], sys.argv[2], sys.argv[3:]


def tx(s):
    with open(f"/sys/class/net/{s}/statistics/tx_packets") as f:
        return int(f.read())


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def send(kind, src, dst, a, b):
    fam = socket.AF_INET6 if kind.endswith("6") else socket.AF_INET
    if kind.startswith("udp"):
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.bind((src, a))
        s.sendto(b"x", (dst, b))
    else:
        proto = socket.IPPROTO_ICMPV6 if fam == socket.AF_INET6 else socket.IPPROTO_ICMP
        s = socket.socket(fam, socket.SOCK_RAW, proto)
        s.bind((src, 0))
        typ = 128 if fam == socket.AF_INET6 else 8
        hdr = struct.pack("!BBHHH", typ, 0, 0, a, 1)
        if fam == socket.AF_INET:
            hdr = struct.pack("!BBHHH", typ, 0, csum(hdr), a, 1)
        s.sendto(hdr, (dst, 0))  # the kernel fills the ICMPv6 checksum
    s.close()


def le32(b):
    return int.from_bytes(b, "little")


def addr_word(kind, ip):
    if kind.endswith("6"):
        b = socket.inet_pton(socket.AF_INET6, ip)
        x = le32(b[0:8]) ^ le32(b[8:16])
        return (x ^ (x >> 32)) & 0xFFFFFFFF
    return le32(socket.inet_aton(ip))


def predict(kind, src, dst, a, b, smac, dmac, vid, n):
    sm = bytes.fromhex(smac.replace(":", ""))
    dm = bytes.fromhex(dmac.replace(":", ""))
    etype = 0x86DD if kind.endswith("6") else 0x0800
    if vid:
        etype = 0x86DD if kind.endswith("6") else 0x0800  # the tag rides outside the frame
    l2 = dm[5] ^ sm[5] ^ etype
    if policy == "vlan+srcmac":
        return (vid ^ int.from_bytes(sm[0:3], "big") ^ int.from_bytes(sm[3:6], "big")) % n
    if policy == "layer2":
        return l2 % n
    if policy in ("layer2+3", "encap2+3"):
        h = l2
    elif kind.startswith("icmp"):
        typ = 128 if kind.endswith("6") else 8
        h = typ | (a or 1) << 16
    else:
        h = le32(a.to_bytes(2, "big") + b.to_bytes(2, "big"))
    h ^= addr_word(kind, dst) ^ addr_word(kind, src)
    h ^= h >> 16
    h ^= h >> 8
    h &= 0xFFFFFFFF
    if policy in ("layer3+4", "encap3+4"):
        h >>= 1
    return h % n


bad = 0
for line in sys.stdin:
    f = line.split()
    if not f:
        continue
    kind, src, dst, a, b, smac, dmac, vid = f[0], f[1], f[2], int(f[3]), int(f[4]), f[5], f[6], int(f[7])
    want = predict(kind, src, dst, a, b, smac, dmac, vid, len(slaves))
    seen = "?"
    for attempt in range(5):
        before = [tx(s) for s in slaves]
        send(kind, src, dst, a, b)
        time.sleep(0.02)
        d = [tx(s) - x for s, x in zip(slaves, before)]
        if sorted(d) == [0] * (len(d) - 1) + [1]:
            seen = d.index(1)
            break
    print(f"{' '.join(f[:5])} vid={vid} seen={seen} predicted={want}")
    if seen != want:
        bad += 1
sys.exit(1 if bad else 0)
