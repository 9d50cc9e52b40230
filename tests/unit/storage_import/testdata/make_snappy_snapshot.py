#!/usr/bin/env python3
"""Writes apache38.snapshot.snappy: a snapshot Apache ZooKeeper itself wrote.

Starts Debian's Apache ZooKeeper 3.8 (package `zookeeper`, with snappy-java)
with zookeeper.snapshot.compression.method=snappy and a small snapCount,
writes the small tree apache_snappy_test.cc expects through kazoo, keeps
writing one filler node until a snapshot holding that tree has been taken,
stops the server and copies its newest snapshot.

Usage (from the repository root, with Debian's python3):
  tests/unit/storage_import/testdata/make_snappy_snapshot.py
"""

import glob
import logging
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "integration"))

from kazoo.client import KazooClient  # noqa: E402
from kazoo.security import make_digest_acl  # noqa: E402

from harness import server as server_mod  # noqa: E402

OUT = os.path.join(HERE, "apache38.snapshot.snappy")
# Periodic, so it compresses to a few KB, yet spans three 32 KiB snappy blocks.
BIG = bytes(range(256)) * 280


def main():
    os.environ["ZK_IMPL"] = "apache"
    logging.getLogger("kazoo").setLevel(logging.CRITICAL)  # reconnect noise after the stop
    work = tempfile.mkdtemp(prefix="zk-snappy-golden-")
    props = {"zookeeper.snapCount": "10", "zookeeper.snapshot.compression.method": "snappy"}
    srv = server_mod.ServerProcess(work, name="apache", system_props=props)
    try:
        srv.start()
        zk = KazooClient(hosts=srv.hostport, timeout=10.0, auth_data=[("digest", "alice:secret")])
        zk.start(timeout=15)
        try:
            zk.create("/golden", b"snappy")
            zk.create("/golden/secure", b"alice only",
                      acl=[make_digest_acl("alice", "secret", all=True)])
            zk.create("/golden/null", None)
            zk.create("/golden/big", BIG)
            zk.create("/golden/ephemeral", b"", ephemeral=True)
            zk.create("/golden/filler", b"")
            # snapCount 10 snapshots after 5 to 10 txns; 20 more make sure one
            # started after the tree above was complete.
            for i in range(20):
                zk.set("/golden/filler", b"%d" % i)
        finally:
            srv.stop()  # the ephemeral's session is still open in the snapshot
            zk.stop()
            zk.close()
        snaps = glob.glob(os.path.join(srv.data_dir, "version-2", "snapshot.*.snappy"))
        newest = max(snaps, key=lambda p: int(p.rsplit(".", 2)[1], 16))
        shutil.copyfile(newest, OUT)
        print("copied %s (%d bytes) to %s" % (newest, os.path.getsize(OUT), OUT))
    finally:
        srv.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
