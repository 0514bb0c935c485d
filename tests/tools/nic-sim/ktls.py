#!/usr/bin/python3
"""kTLS transmit, as an application that hands TLS 1.2 to the kernel does.

  ktls.py server PORT              accept and read (plain TCP) until killed
  ktls.py client DST PORT NBYTES   connect (prints "connected LPORT" and waits
                                   for a line on stdin), then set TLS_TX
                                   (AES-GCM-128, a fixed key) and send NBYTES
                                   in records; prints "sent NBYTES" and waits
                                   for another line before it closes
"""
import socket
import struct
import sys
import threading

SOL_TLS = 282
TLS_TX = 1
TCP_ULP = 31
TLS_1_2_VERSION = 0x0303
TLS_CIPHER_AES_GCM_128 = 51


def server(port):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("0.0.0.0", port))
    ls.listen(8)

    def drain(c):
        with c:
            while c.recv(65536):
                pass

    while True:
        c, _ = ls.accept()
        threading.Thread(target=drain, args=(c,), daemon=True).start()


def client(dst, port, nbytes):
    s = socket.create_connection((dst, port), timeout=120)
    print("connected", s.getsockname()[1], flush=True)
    sys.stdin.readline()
    s.setsockopt(socket.IPPROTO_TCP, TCP_ULP, b"tls")
    info = struct.pack("<HH8s16s4s8s", TLS_1_2_VERSION, TLS_CIPHER_AES_GCM_128,
                       b"\1" * 8, b"\2" * 16, b"\3" * 4, b"\0" * 8)
    s.setsockopt(SOL_TLS, TLS_TX, info)
    chunk = b"x" * 16384
    sent = 0
    while sent < nbytes:
        s.sendall(chunk)
        sent += len(chunk)
    print("sent", sent, flush=True)
    sys.stdin.readline()
    s.close()


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(int(sys.argv[2]))
    elif sys.argv[1] == "client":
        client(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(__doc__)
