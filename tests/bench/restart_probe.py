#!/usr/bin/env python3
"""Starts a server and times process start to its first successful read.

Usage: restart_probe.py --port P --path /known/znode --pidfile F --log L -- <argv...>

The clock starts just before the server process is spawned and stops when a
fresh session's getData of --path answers OK. The server's PID goes to
--pidfile. On success the probe prints `START_MS=<ms>` and then stays the
server's parent until the server exits (the caller stops it by PID), so no
process is left orphaned. When --timeout passes first the server is killed
and the probe exits 1.
"""

import argparse
import ctypes
import os
import signal
import socket
import struct
import subprocess
import sys
import time

OP_GET_DATA = 4
OP_CLOSE_SESSION = -11


def die_with_parent():
    """Runs in the child before exec: if the probe dies, so does the server."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def frame(payload):
    return struct.pack(">i", len(payload)) + payload


def recv_frame(sock):
    def exact(n):
        buf = b""
        while len(buf) < n:
            chunk = sock.recv(n - len(buf))
            if not chunk:
                raise OSError("connection closed")
            buf += chunk
        return buf

    (length,) = struct.unpack(">i", exact(4))
    return exact(length)


def connect_request():
    # protocolVersion, lastZxidSeen, timeOut, sessionId, passwd, readOnly
    return struct.pack(">iqiqi16s?", 0, 0, 10000, 0, 16, b"\0" * 16, False)


def get_data_request(xid, path):
    encoded = path.encode()
    return struct.pack(">iii", xid, OP_GET_DATA, len(encoded)) + encoded + b"\0"


def read_ok(port, path):
    """True when a new session's getData(path) answers with no error."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2.0) as s:
            s.settimeout(5.0)
            s.sendall(frame(connect_request()))
            reply = recv_frame(s)
            (_, timeout_ms) = struct.unpack(">ii", reply[:8])
            if timeout_ms <= 0:
                return False
            s.sendall(frame(get_data_request(1, path)))
            reply = recv_frame(s)
            (xid, _, err) = struct.unpack(">iqi", reply[:16])
            ok = xid == 1 and err == 0
            s.sendall(frame(struct.pack(">ii", 2, OP_CLOSE_SESSION)))
            return ok
    except (OSError, struct.error):
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--pidfile", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("argv", nargs="+")
    args = parser.parse_args()

    with open(args.log, "ab") as log:
        start = time.monotonic()
        proc = subprocess.Popen(args.argv, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, preexec_fn=die_with_parent)
    with open(args.pidfile, "w") as f:
        f.write("%d\n" % proc.pid)
    deadline = start + args.timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            print("server exited with status %d" % proc.returncode, file=sys.stderr)
            return 1
        if read_ok(args.port, args.path):
            print("START_MS=%.0f" % ((time.monotonic() - start) * 1000), flush=True)
            proc.wait()
            return 0
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    print("no successful read within %.0f s" % args.timeout, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
