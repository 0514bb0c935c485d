#!/usr/bin/python3
"""Time stamping through a device, as PTP software uses it.

  hwtstamp.py get DEV                      SIOCGHWTSTAMP: "flags tx_type rx_filter"
  hwtstamp.py set DEV FLAGS TX RX          SIOCSHWTSTAMP: the answer, as get
  hwtstamp.py send DEV DST_IP              one UDP datagram by DEV with hardware
                                           transmit stamping asked for: "hw SEC.NSEC"
                                           from the error queue, or "none"
An ioctl refused prints "error ERRNO_NAME" and exits 1.
"""
import ctypes
import errno
import fcntl
import socket
import struct
import sys
import time

SIOCSHWTSTAMP = 0x89B0
SIOCGHWTSTAMP = 0x89B1
SOF_TIMESTAMPING_TX_HARDWARE = 1 << 0
SOF_TIMESTAMPING_RAW_HARDWARE = 1 << 6
SOF_TIMESTAMPING_OPT_ID = 1 << 7
SO_TIMESTAMPING = 37
SCM_TIMESTAMPING = SO_TIMESTAMPING
MSG_ERRQUEUE = 0x2000


def ioctl(dev, cmd, cfg):
    buf = ctypes.create_string_buffer(struct.pack("iii", *cfg), 12)
    ifr = struct.pack("16sP", dev.encode(), ctypes.addressof(buf)).ljust(40, b"\0")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            fcntl.ioctl(s.fileno(), cmd, ifr)
        except OSError as e:
            # errno.errorcode names 95 ENOTSUP; the kernel's name is EOPNOTSUPP
            name = "EOPNOTSUPP" if e.errno == errno.EOPNOTSUPP else \
                errno.errorcode.get(e.errno, e.errno)
            print("error", name)
            sys.exit(1)
    print(*struct.unpack("iii", buf.raw))


def send(dev, dst):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, dev.encode())
        s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPING,
                     SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_RAW_HARDWARE |
                     SOF_TIMESTAMPING_OPT_ID)
        s.sendto(b"stamp me", (dst, 9))
        deadline = time.time() + 2
        while time.time() < deadline:
            try:
                _, anc, _, _ = s.recvmsg(512, 512, MSG_ERRQUEUE | socket.MSG_DONTWAIT)
            except BlockingIOError:
                time.sleep(0.01)
                continue
            for level, kind, data in anc:
                if level == socket.SOL_SOCKET and kind == SCM_TIMESTAMPING:
                    ts = struct.unpack("qqqqqq", data[:48])
                    if ts[4] or ts[5]:
                        print("hw %d.%09d" % (ts[4], ts[5]))
                        return
        print("none")


def main():
    if sys.argv[1] == "get":
        ioctl(sys.argv[2], SIOCGHWTSTAMP, (0, 0, 0))
    elif sys.argv[1] == "set":
        ioctl(sys.argv[2], SIOCSHWTSTAMP, tuple(int(v, 0) for v in sys.argv[3:6]))
    elif sys.argv[1] == "send":
        send(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
