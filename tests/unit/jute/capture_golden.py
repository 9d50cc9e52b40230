#!/usr/bin/env python3
"""Captures the request frames real ZooKeeper clients send.

Two clients: a small program built against the C client, libzookeeper-mt
(Debian: libzookeeper-mt-dev), and kazoo (Debian: python3-kazoo). Each is
pointed at a stand-in server on 127.0.0.1 that answers just enough for the
client to proceed. Every frame a client sent (without its 4-byte length
prefix, pings left out) is written as hex into client_frames.h, which
golden_test.cc decodes with our records.

Usage: capture_golden.py [--out tests/unit/jute/client_frames.h] [--cc cc]
                         [--python /usr/bin/python3]
"""

import argparse
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading

# The C client's operations, in the order it sends them (see C_PROGRAM).
C_FRAME_NAMES = [
    "ConnectRequest",
    "AuthDigest",
    "CreateEphemeral",
    "GetDataWatch",
    "SetData",
    "ExistsWatch",
    "GetChildren2",
    "Delete",
    "CloseSession",
]

C_PROGRAM = r"""
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zookeeper/zookeeper.h>

static volatile int auth_done = 0;
static void on_auth(int rc, const void* data) { auth_done = 1; }
static void on_event(zhandle_t* zh, int type, int state, const char* path, void* ctx) {}

int main(int argc, char** argv) {
  zoo_set_debug_level(ZOO_LOG_LEVEL_ERROR);
  zhandle_t* zh = zookeeper_init(argv[1], on_event, 10000, 0, 0, 0);
  if (!zh) return 2;
  for (int i = 0; i < 500 && zoo_state(zh) != ZOO_CONNECTED_STATE; ++i) usleep(10000);
  if (zoo_state(zh) != ZOO_CONNECTED_STATE) return 3;

  zoo_add_auth(zh, "digest", "alice:secret", 12, on_auth, 0);
  for (int i = 0; i < 500 && !auth_done; ++i) usleep(10000);

  struct Id world = {"world", "anyone"};
  struct Id alice = {"digest", "alice:p8iVUrUQRb2ZDKVjuc3FOVaZlJ4="};
  struct ACL entries[2] = {{ZOO_PERM_READ, world}, {ZOO_PERM_ALL, alice}};
  struct ACL_vector acl = {2, entries};
  char path[64];
  zoo_create(zh, "/golden", "hello", 5, &acl, ZOO_EPHEMERAL, path, sizeof path);

  char buf[64];
  int len = sizeof buf;
  struct Stat stat;
  zoo_get(zh, "/golden", 1, buf, &len, &stat);
  zoo_set(zh, "/golden", "world!", 6, 0);
  zoo_exists(zh, "/golden", 1, &stat);
  struct String_vector children;
  zoo_get_children2(zh, "/", 0, &children, &stat);
  zoo_delete(zh, "/golden", 1);
  zookeeper_close(zh);
  return 0;
}
"""

# kazoo's operations, in the order it sends them (see KAZOO_PROGRAM).
KAZOO_FRAME_NAMES = [
    "ConnectRequest",
    "CreateEphemeralSequential",
    "GetDataWatch",
    "GetChildrenWatch",
    "Multi",
    "CloseSession",
]

KAZOO_PROGRAM = r"""
import sys
from kazoo.client import KazooClient

zk = KazooClient(hosts=sys.argv[1], timeout=10.0)
zk.start(timeout=10)
zk.create("/kazoo/seq-", b"payload", ephemeral=True, sequence=True)
zk.get("/kazoo", watch=lambda event: None)
zk.get_children("/kazoo", watch=lambda event: None)
t = zk.transaction()
t.check("/kazoo", 3)
t.create("/kazoo/a", b"x")
t.set_data("/kazoo", b"y", version=3)
t.delete("/kazoo/b", version=-1)
results = t.commit()
assert len(results) == 4, results
zk.stop()
zk.close()
"""

# Opcodes the stand-in server answers (ZooDefs.OpCode).
CREATE, DELETE, EXISTS, GET_DATA, SET_DATA, GET_CHILDREN = 1, 2, 3, 4, 5, 8
PING, GET_CHILDREN2, CHECK, MULTI = 11, 12, 13, 14
CLOSE_SESSION, AUTH = -11, 100


def jute_string(b):
    return struct.pack(">i", len(b)) + b


def stat_bytes():
    # czxid mzxid ctime mtime version cversion aversion ephemeralOwner
    # dataLength numChildren pzxid
    return struct.pack(">qqqqiiiqiiq", 5, 6, 1700000000000, 1700000000001, 1, 0, 0,
                       0x1234, 5, 0, 5)


def read_string(data, pos):
    (length,) = struct.unpack_from(">i", data, pos)
    pos += 4
    return data[pos:pos + max(length, 0)], pos + max(length, 0)


def multi_reply(request):
    """Answers every operation of a multi request with success."""
    pos, reply = 0, b""
    while True:
        op, done, _ = struct.unpack_from(">i?i", request, pos)
        pos += 9
        if done:
            return reply + struct.pack(">i?i", -1, True, -1)
        path, pos = read_string(request, pos)
        if op == CREATE:
            _, pos = read_string(request, pos)  # data
            (count,) = struct.unpack_from(">i", request, pos)
            pos += 4
            for _ in range(max(count, 0)):
                pos += 4  # perms
                _, pos = read_string(request, pos)
                _, pos = read_string(request, pos)
            pos += 4  # flags
        elif op == SET_DATA:
            _, pos = read_string(request, pos)
            pos += 4
        else:  # CHECK, DELETE: version
            pos += 4
        reply += struct.pack(">i?i", op, False, 0)
        if op == CREATE:
            reply += jute_string(path)
        elif op == SET_DATA:
            reply += stat_bytes()


def reply_body(op, body):
    if op == MULTI:
        return multi_reply(body)
    if op == CREATE:
        return jute_string(read_string(body, 0)[0] + b"0000000001")
    if op in (EXISTS, SET_DATA):
        return stat_bytes()
    if op == GET_DATA:
        return jute_string(b"hello") + stat_bytes()
    if op == GET_CHILDREN:
        return struct.pack(">i", 1) + jute_string(b"golden")
    if op == GET_CHILDREN2:
        return struct.pack(">i", 1) + jute_string(b"golden") + stat_bytes()
    return b""


def read_exact(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def read_frame(conn):
    header = read_exact(conn, 4)
    if header is None:
        return None
    (length,) = struct.unpack(">i", header)
    return read_exact(conn, length)


def send_frame(conn, payload):
    conn.sendall(struct.pack(">i", len(payload)) + payload)


def serve(listener, frames):
    conn, _ = listener.accept()
    with conn:
        connect = read_frame(conn)
        if connect is None:
            return
        frames.append(connect)
        # protocolVersion, timeOut, sessionId, passwd, then readOnly.
        send_frame(conn, struct.pack(">iiq", 0, 10000, 0x0123456789abcdef) +
                   jute_string(bytes(range(16))) + b"\x00")
        zxid = 0x100
        while True:
            frame = read_frame(conn)
            if frame is None:
                return
            xid, op = struct.unpack(">ii", frame[:8])
            if op != PING:
                frames.append(frame)
                zxid += 1
            send_frame(conn, struct.pack(">iqi", xid, zxid, 0) + reply_body(op, frame[8:]))
            if op == CLOSE_SESSION:
                return


def build_c_client(workdir, cc):
    source = os.path.join(workdir, "client.c")
    binary = os.path.join(workdir, "client")
    with open(source, "w") as f:
        f.write(C_PROGRAM)
    subprocess.run([cc, "-DTHREADED", "-O0", "-o", binary, source, "-lzookeeper_mt"], check=True)
    return [binary]


def write_kazoo_client(workdir, python):
    script = os.path.join(workdir, "client.py")
    with open(script, "w") as f:
        f.write(KAZOO_PROGRAM)
    return [python, script]


def capture(command, names):
    """Runs command HOST:PORT against a stand-in server; returns its frames."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(20)
    frames = []
    server = threading.Thread(target=serve, args=(listener, frames))
    server.start()
    port = listener.getsockname()[1]
    result = subprocess.run(command + [f"127.0.0.1:{port}"], timeout=60)
    server.join(timeout=10)
    listener.close()
    if result.returncode != 0 or len(frames) != len(names):
        raise RuntimeError(f"{command[0]} exited {result.returncode} after sending "
                           f"{len(frames)} of {len(names)} frames")
    return list(zip(names, frames))


def emit_frames(lines, namespace, frames):
    lines += [f"namespace {namespace} {{", ""]
    for name, frame in frames:
        hexed = frame.hex()
        one_line = f'inline constexpr char k{name}Hex[] = "{hexed}";'
        if len(one_line) <= 100:  # the column limit of .clang-format
            lines += [one_line, ""]
            continue
        lines.append(f"inline constexpr char k{name}Hex[] =")
        for i in range(0, len(hexed), 64):
            tail = ";" if i + 64 >= len(hexed) else ""
            lines.append(f'    "{hexed[i:i + 64]}"{tail}')
        lines.append("")
    lines += [f"}}  // namespace {namespace}", ""]


def write_header(path, c_frames, kazoo_frames):
    lines = [
        "// Request frames sent by real ZooKeeper clients, as hex, without their",
        "// 4-byte length prefix. Generated by capture_golden.py; do not edit.",
        "#pragma once",
        "",
        "namespace zk::golden {",
        "",
        "// The C client, libzookeeper-mt.",
    ]
    emit_frames(lines, "c_client", c_frames)
    lines.append("// kazoo, the Python client.")
    emit_frames(lines, "kazoo", kazoo_frames)
    lines.append("}  // namespace zk::golden")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(here, "client_frames.h"))
    ap.add_argument("--cc", default="cc")
    ap.add_argument("--python", default="/usr/bin/python3",
                    help="an interpreter that can import kazoo")
    args = ap.parse_args()

    try:
        with tempfile.TemporaryDirectory() as workdir:
            c_frames = capture(build_c_client(workdir, args.cc), C_FRAME_NAMES)
            kazoo_frames = capture(write_kazoo_client(workdir, args.python), KAZOO_FRAME_NAMES)
    except (RuntimeError, subprocess.SubprocessError) as e:
        print(f"capture failed: {e}", file=sys.stderr)
        return 1
    write_header(args.out, c_frames, kazoo_frames)
    print(f"wrote {len(c_frames) + len(kazoo_frames)} frames to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
