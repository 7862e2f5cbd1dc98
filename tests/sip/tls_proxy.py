#!/usr/bin/env python3
"""SIP over TLS in front of SIPp (Debian's SIPp is built without TLS): accepts TLS on each
LISTEN port with the certificate and key of PEM, and relays the bytes both ways to the TCP
SIPp on TARGET.
Prints "ready" once it listens, then a line per TLS handshake: "handshake LISTEN ok
VERSION" or "handshake LISTEN failed REASON", and "closed LISTEN BYTES" when a connection
ends, with the bytes the client sent through it (tests/sip/server_test.py reads them).

Usage: tls_proxy.py LISTEN:TARGET:PEM [LISTEN:TARGET:PEM ...]"""
import socket
import ssl
import sys
import threading


def pipe(src, dst):
    """Relays src to dst until either ends; returns the bytes relayed."""
    n = 0
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
            n += len(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    return n


def serve(pem, listen, target):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(pem)
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", listen))
    ls.listen(16)

    def accept_loop():
        while True:
            conn, _ = ls.accept()
            threading.Thread(target=relay, args=(conn,), daemon=True).start()

    def relay(conn):
        conn.settimeout(10)
        try:
            tls = ctx.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError) as e:
            print(f"handshake {listen} failed {getattr(e, 'reason', None) or e}", flush=True)
            conn.close()
            return
        tls.settimeout(None)
        print(f"handshake {listen} ok {tls.version()}", flush=True)
        up = socket.create_connection(("127.0.0.1", target))
        threading.Thread(target=pipe, args=(up, tls), daemon=True).start()
        print(f"closed {listen} {pipe(tls, up)}", flush=True)

    return threading.Thread(target=accept_loop, daemon=True)


def main():
    threads = [serve(pem, int(a), int(b)) for a, b, pem in (p.split(":", 2) for p in sys.argv[1:])]
    for t in threads:
        t.start()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
