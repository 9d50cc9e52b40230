"""Damaged storage: the real server meets a torn or corrupt log tail, a corrupt
newest snapshot, leftover temp files and an unusable data directory.

It must start (or refuse to, with a clear error), never crash, and serve
exactly a prefix of the acknowledged history: what a damaged tail held may go,
nothing before it may.

These tests edit our own on-disk layout (FORMAT.md), so they run against our
server only.
"""

import glob
import os

import pytest

from harness import clients
from harness.clients import close
from harness import server as server_mod
from harness.wait import wait_until

pytestmark = pytest.mark.skipif(server_mod.impl() != "ours",
                                reason="edits the files of our own storage format")

NODES = 200


def connect(srv):
    return clients.connect(srv.hostport)




def storage_dir(srv):
    return os.path.join(srv.data_dir, "zkcpp-v1")


def newest_leveldb_log(srv):
    """The write-ahead log file leveldb appends the newest txns to."""
    logs = glob.glob(os.path.join(storage_dir(srv), "txnlog", "*.log"))
    assert logs, "no leveldb log file in " + storage_dir(srv)
    return max(logs, key=lambda p: int(os.path.basename(p).split(".")[0]))


def snapshots(srv):
    """Completed snapshot files, newest (highest zxid) first."""
    found = [p for p in glob.glob(os.path.join(storage_dir(srv), "snapshot.*"))
             if not p.endswith(".tmp")]
    return sorted(found, key=lambda p: int(p.rsplit(".", 1)[1], 16), reverse=True)


def create_nodes(zk, count=NODES, start=0):
    zk.ensure_path("/d")
    for i in range(start, start + count):
        zk.create("/d/n%04d" % i, b"x" * 50)


def present(srv):
    """Indexes of the /d children the restarted server serves."""
    zk = connect(srv)
    try:
        if zk.exists("/d") is None:
            return []
        return sorted(int(name[1:]) for name in zk.get_children("/d")
                      if name[0] == "n" and name[1:].isdigit())
    finally:
        close(zk)


def assert_prefix(indexes, at_least, below):
    """The survivors are n0..nk-1 with at_least <= k < below: a prefix, tail lost."""
    k = len(indexes)
    assert indexes == list(range(k)), "not a prefix of the history: %r" % indexes[:20]
    assert at_least <= k < below, "kept %d of the txns (expected %d..%d)" % (k, at_least,
                                                                            below - 1)


def crash_after_writes(srv):
    """Writes NODES znodes and SIGKILLs the server with the session open, so the
    last thing leveldb logged is the last create."""
    zk = connect(srv)
    create_nodes(zk)
    srv.kill()
    zk.stop()
    zk.close()


def assert_writable(srv):
    zk = connect(srv)
    try:
        zk.create("/d/after-restart", b"ok")
        assert zk.get("/d/after-restart")[0] == b"ok"
    finally:
        close(zk)


def test_a_torn_log_tail_loses_only_the_torn_txns(server_factory):
    srv = server_factory()
    crash_after_writes(srv)
    path = newest_leveldb_log(srv)
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        f.truncate(size - 40)  # cuts into the last record
    srv.restart()
    assert srv.running()
    assert_prefix(present(srv), NODES - 5, NODES)
    assert_writable(srv)


def test_flipped_bytes_in_the_log_tail_truncate_the_log_at_the_last_valid_txn(server_factory):
    srv = server_factory()
    crash_after_writes(srv)
    path = newest_leveldb_log(srv)
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        # The last few records: each create is one record of ~150 bytes.
        for offset in (size - 20, size - 400):
            f.seek(offset)
            byte = f.read(1)
            f.seek(offset)
            f.write(bytes([byte[0] ^ 0x5A]))
    srv.restart()
    assert srv.running()
    assert_prefix(present(srv), NODES - 10, NODES)
    assert_writable(srv)
    # A restart of the repaired log changes nothing.
    srv.restart()
    survivors = present(srv)
    assert survivors[-1] < NODES and len(survivors) >= NODES - 10


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty"])
def test_a_corrupt_newest_snapshot_falls_back_to_an_older_one_plus_the_log(server_factory, damage):
    srv = server_factory(extra_cfg={"snapCount": 100})
    zk = connect(srv)
    try:
        create_nodes(zk, count=400)
    finally:
        close(zk)
    wait_until(lambda: len(snapshots(srv)) >= 2, timeout=30.0,
               message="two snapshots with snapCount 100")
    srv.stop()
    newest = snapshots(srv)[0]
    size = os.path.getsize(newest)
    with open(newest, "r+b") as f:
        if damage == "flip":
            f.seek(size // 2)
            byte = f.read(1)
            f.seek(size // 2)
            f.write(bytes([byte[0] ^ 0xFF]))
        elif damage == "truncate":
            f.truncate(size // 2)
        else:
            f.truncate(0)
    srv.restart()
    assert present(srv) == list(range(400)), "lost data despite an older snapshot and the log"
    with open(srv.log_path, "rb") as f:
        log = f.read().decode("utf-8", "replace")
    assert "Skipping snapshot " + newest in log
    assert_writable(srv)


def test_leftover_snapshot_temp_files_are_removed_at_start(server_factory):
    srv = server_factory()
    zk = connect(srv)
    try:
        create_nodes(zk, count=10)
    finally:
        close(zk)
    srv.stop()
    leftover = os.path.join(storage_dir(srv), "snapshot.7.tmp")
    with open(leftover, "wb") as f:
        f.write(b"half a snapshot")
    srv.restart()
    assert not os.path.exists(leftover)
    assert present(srv) == list(range(10))


def test_a_data_dir_that_cannot_be_used_is_refused_with_a_clear_error(tmp_path):
    not_a_dir = tmp_path / "file-not-dir"
    not_a_dir.write_text("a regular file where the data directory should be")
    srv = server_mod.ServerProcess(tmp_path / "srv", extra_cfg={"dataDir": str(not_a_dir)})
    with pytest.raises(RuntimeError, match="exited with status"):
        srv.start(attempts=1)
    srv.stop()
    log = srv.log_tail()
    assert str(not_a_dir) in log, log
    # Nothing was served, so nothing could have been acknowledged.
    assert not srv.running()
