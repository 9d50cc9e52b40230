"""A full disk: the server never acknowledges a write it could not sync, says
so in its log, and every write it did acknowledge comes back on restart.

Each test puts the data directory (or part of it) on a small tmpfs, which
takes root to mount; without root, or where mounting fails, the tests skip.

What our server is designed to do:
- the transaction log's write fails (ENOSPC): the log is marked failed,
  nothing after it is acknowledged, and the server closes every client
  connection and exits with status 0, as Apache's standalone server shuts
  down "normally" when its SyncRequestProcessor fails;
- a snapshot cannot be written: the forked writer fails, its temp file is
  removed, the failure is logged, and the server keeps serving: the log alone
  makes writes durable, so a restart loads the last good snapshot and
  replays the log after it.

One test needs no tmpfs: a fresh server with a separate dataLogDir, the
split the snapshot test relies on.

They read our server's log lines and storage layout, so they run against our
server only.
"""

import contextlib
import os
import random
import re
import shutil
import subprocess
import time

import pytest
from kazoo.exceptions import ConnectionLoss
from kazoo.handlers.threading import KazooTimeoutError
from kazoo.retry import KazooRetry

from harness import clients
from harness.clients import close
from harness import server as server_mod
from harness.wait import Deadline, wait_until

pytestmark = pytest.mark.skipif(server_mod.impl() != "ours",
                                reason="reads our server's log lines and storage layout")

WRITE_TIMEOUT = 15.0  # one write's reply; the server answers in milliseconds
REFUSED_WRITE_TIMEOUT = 3.0  # a write that must not succeed
EXIT_TIMEOUT = 15.0
MOUNT_TIMEOUT = 10.0
UNMOUNT_SECONDS = 5.0

# Scenario 1: the whole data dir (log included) on a disk that fills up.
LOG_DISK_KB = 1024
NODE_BYTES = 1024
FILL_LIMIT_BYTES = 4 * LOG_DISK_KB * 1024  # no failure by then is a failure
FILL_SECONDS = 60.0

# Scenario 3: snapshots on a small disk, the log on a roomy one.
SNAP_DISK_KB = 256
SNAP_COUNT = 20  # a snapshot every 10..19 txns
BIG_NODE_BYTES = 320 * 1024  # a tree holding this never fits SNAP_DISK_KB
MAX_WRITES_UNTIL_SNAPSHOT_FAILS = 200
WRITES_AFTER_SNAPSHOT_FAILED = 20

LOG_WRITE_FAILED = re.compile(r"Transaction log write failed at zxid 0x([0-9a-f]+): (.*)")
SNAPSHOT_FAILED = re.compile(r"Snapshot at zxid 0x([0-9a-f]+) failed: (.*)")
RECOVERED = re.compile(r"Recovered snapshot 0x([0-9a-f]+) with \d+ sessions; (\d+) log entries "
                       r"after it, up to 0x([0-9a-f]+)")
NO_SPACE = "No space left on device"
# What glog prints when a CHECK or a fatal signal ends the process.
CRASH_MARKS = ("Check failed", "Check failure stack trace", "*** SIG", "terminate called")


# Helpers -------------------------------------------------------------------


@contextlib.contextmanager
def small_tmpfs(path, size_kb):
    """A tmpfs of `size_kb` mounted on `path` for the block; unmounted after.

    REQUIRES: every process with files open there is stopped before the
    block ends (the servers are, by PID, in each test's own finally)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs takes root")
    os.makedirs(path, exist_ok=True)
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=%dk,mode=0755" % size_kb, "tmpfs", path],
            capture_output=True, text=True, timeout=MOUNT_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as e:
        pytest.skip("cannot mount a tmpfs: %s" % e)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs on %s: %s" % (path, mounted.stderr.strip()))
    try:
        yield path
    finally:
        unmount(path)


def unmount(path):
    """Unmounts `path`. A server killed by SIGKILL may leave its snapshot
    writer a moment to die (it follows by PR_SET_PDEATHSIG), so a busy mount
    is retried for a few seconds; then it is detached anyway and reported."""
    deadline = Deadline(UNMOUNT_SECONDS)
    while True:
        unmounted = subprocess.run(["umount", path], capture_output=True, text=True,
                                   timeout=MOUNT_TIMEOUT)
        if unmounted.returncode == 0:
            return
        if deadline.expired():
            break
        time.sleep(0.1)
    subprocess.run(["umount", "-l", path], capture_output=True, timeout=MOUNT_TIMEOUT)
    raise AssertionError("the tmpfs on %s was still busy: %s" % (path, unmounted.stderr.strip()))


def fast_retry():
    """Reconnects every ~0.2s, so a client notices a stopped server quickly."""
    return KazooRetry(max_tries=-1, delay=0.1, backoff=1.5, max_delay=0.5)


def connect(srv):
    return clients.connect(srv.hostport, connection_retry=fast_retry())




def payload(index, size=NODE_BYTES):
    """Distinct data for each znode: the index, then pseudo-random filler seeded
    by it, which snapshots cannot compress (they are snappy-compressed)."""
    head = b"node-%06d:" % index
    return head + random.Random(index).randbytes(size - len(head))


def server_log(srv, start=0):
    """The server's log from byte `start` on."""
    with open(srv.log_path, "rb") as f:
        f.seek(start)
        return f.read().decode("utf-8", "replace")


def log_size(srv):
    return os.path.getsize(srv.log_path)


def assert_no_crash_marks(log):
    for mark in CRASH_MARKS:
        assert mark not in log, "the server log shows a crash (%r):\n%s" % (mark, log[-3000:])


def storage_files(data_dir):
    """Names under <dataDir>/zkcpp-v1 (snapshots, temp files, the epoch file)."""
    path = os.path.join(data_dir, "zkcpp-v1")
    return sorted(os.listdir(path)) if os.path.isdir(path) else []


def snapshot_zxids(data_dir):
    """Zxids of the completed snapshot files, from their names."""
    return sorted(
        int(name[len("snapshot."):], 16) for name in storage_files(data_dir)
        if name.startswith("snapshot.") and not name.endswith(".tmp"))


def temp_files(data_dir):
    return [name for name in storage_files(data_dir) if name.endswith(".tmp")]


def wait_for_exit(srv, timeout=EXIT_TIMEOUT):
    """The exit status of a server that is expected to stop on its own."""
    try:
        return srv.process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise AssertionError("the server still runs %.0fs after its log failed:\n%s" %
                             (timeout, srv.log_tail()))


def stop_cleanly(srv):
    """SIGTERM by PID; returns the exit status (negative: the signal that ended it)."""
    proc = srv.process
    srv.stop()
    return proc.returncode if proc is not None else None


# 1 + 2. The transaction log's disk fills up ---------------------------------


class FullLogDisk:
    """What happened while a client filled the log's disk, for the tests below."""

    def __init__(self):
        self.acked = {}  # path -> data of every create that was answered OK
        self.in_flight = None  # (path, data) of the create that got no OK
        self.failure = None  # what that create raised
        self.written_bytes = 0
        self.second_path = None  # the other client's write after the failure
        self.second_result = None  # what it got: an exception (or a success)
        self.exit_status = None
        self.log = ""
        self.copy_dir = None  # the data dir, copied off the full disk


@pytest.fixture(scope="module")
def full_log_disk(tmp_path_factory):
    """Fills a server's data dir (log included) until a write fails, with a
    second client connected; then copies the dir to a roomy one."""
    work = tmp_path_factory.mktemp("full-log-disk")
    mount = str(work / "disk")
    out = FullLogDisk()
    with small_tmpfs(mount, LOG_DISK_KB):
        srv = server_mod.ServerProcess(work / "srv", extra_cfg={"dataDir": mount})
        writer = other = None
        try:
            srv.start()
            writer, other = connect(srv), connect(srv)
            writer.create("/fill")
            deadline = Deadline(FILL_SECONDS)
            index = 0
            while out.written_bytes < FILL_LIMIT_BYTES and not deadline.expired():
                path, data = "/fill/n%06d" % index, payload(index)
                try:
                    writer.create_async(path, data).get(timeout=WRITE_TIMEOUT)
                except Exception as e:  # the failure under test; checked below
                    out.in_flight, out.failure = (path, data), e
                    break
                out.acked[path] = data
                out.written_bytes += len(data)
                index += 1
            if out.failure is not None:
                # Another session asks for a write right after the failure.
                out.second_path = "/fill/from-the-other-client"
                try:
                    out.second_result = other.create_async(out.second_path, b"x").get(
                        timeout=REFUSED_WRITE_TIMEOUT)
                except Exception as e:  # expected: no write succeeds any more
                    out.second_result = e
                out.exit_status = wait_for_exit(srv)
        finally:
            for c in (writer, other):
                if c is not None:
                    close(c)
            srv.stop()
        out.log = server_log(srv)
        if out.failure is not None:
            out.copy_dir = str(work / "roomy-copy")
            shutil.copytree(mount, out.copy_dir)
    return out


def test_a_write_the_full_disk_cannot_hold_is_not_acknowledged_and_the_server_shuts_down(
        full_log_disk):
    out = full_log_disk
    print("%d creates (%d bytes) acknowledged; the failing one got %r, the other session's "
          "write %r; exit status %r" % (len(out.acked), out.written_bytes, out.failure,
                                        out.second_result, out.exit_status))
    assert out.failure is not None, (
        "%d creates (%d bytes) were all acknowledged on a %d KB disk" %
        (len(out.acked), out.written_bytes, LOG_DISK_KB))
    # Most of the disk went to acknowledged writes before it filled up.
    assert out.written_bytes >= LOG_DISK_KB * 1024 // 2, out.written_bytes
    # The client sees its connection go, never an OK for the write.
    assert isinstance(out.failure, ConnectionLoss), repr(out.failure)

    # The log says what failed, at which zxid, and why.
    failed = LOG_WRITE_FAILED.search(out.log)
    assert failed, "no log line about the log write failing:\n" + out.log[-3000:]
    assert NO_SPACE in failed.group(2), failed.group(0)
    assert "refusing further writes" in failed.group(2), failed.group(0)
    assert "Storage failed, no more writes will be acknowledged" in out.log
    assert "shutting down" in out.log

    # The other session gets no successful write: the server closed every
    # connection and exited, so the request either went down with the
    # connection or waits, unsent, while the client looks for a server.
    assert isinstance(out.second_result, (ConnectionLoss, KazooTimeoutError)), (
        "a write after the log failed got %r" % (out.second_result,))
    # It exits of its own accord, with no abort or fatal signal: status 0, as
    # Apache's standalone server ends "normally" once its log thread failed.
    assert out.exit_status is not None, "the server never exited"
    assert out.exit_status >= 0, "the server died of signal %d" % -out.exit_status
    assert out.exit_status == 0, "the server exited with status %d" % out.exit_status
    assert_no_crash_marks(out.log)


def test_every_acknowledged_write_comes_back_from_the_full_disk_on_a_roomy_one(
        full_log_disk, tmp_path):
    out = full_log_disk
    assert out.copy_dir is not None, "no write failed, so there is nothing to recover"
    failed_zxid = int(LOG_WRITE_FAILED.search(out.log).group(1), 16)

    srv = server_mod.ServerProcess(tmp_path / "srv", extra_cfg={"dataDir": out.copy_dir})
    try:
        srv.start()
        zk = connect(srv)
        try:
            lost, late = [], []
            for path, data in sorted(out.acked.items()):
                got = zk.exists(path)
                if got is None:
                    lost.append(path)
                    continue
                value, stat = zk.get(path)
                if value != data:
                    lost.append("%s (data differs)" % path)
                # Acknowledged means synced, so it came before the failed write.
                if stat.czxid >= failed_zxid:
                    late.append("%s czxid %#x" % (path, stat.czxid))
            assert not lost, "%d of %d acknowledged creates lost: %s" % (
                len(lost), len(out.acked), lost[:10])
            assert not late, "acknowledged at or after the failed zxid %#x: %s" % (failed_zxid,
                                                                                  late[:10])

            # Nothing else: at most the create that was in flight (its fate is open).
            allowed = set(out.acked) | {out.in_flight[0]}
            present = {"/fill/" + name for name in zk.get_children("/fill")}
            assert present <= allowed, sorted(present - allowed)[:10]
            assert zk.exists(out.second_path) is None, "the refused write was applied"

            # The recovered server takes writes again.
            zk.create("/fill/after-recovery", b"ok")
            assert zk.get("/fill/after-recovery")[0] == b"ok"
        finally:
            close(zk)
    finally:
        srv.stop()
    assert_no_crash_marks(server_log(srv))


# 3. Snapshots cannot be written, the log can ----------------------------------


def test_a_fresh_server_with_a_separate_data_log_dir_starts_and_keeps_its_log_there(tmp_path):
    """The split the next test relies on, checked without a tmpfs (no root)."""
    data_dir, log_dir = tmp_path / "data-dir", tmp_path / "log-dir"
    srv = server_mod.ServerProcess(tmp_path / "srv",
                                   extra_cfg={"dataDir": str(data_dir), "dataLogDir": str(log_dir)})
    try:
        srv.start()
        zk = connect(srv)
        try:
            zk.create("/split", b"kept")
        finally:
            close(zk)
        srv.restart()
        zk = connect(srv)
        try:
            assert zk.get("/split")[0] == b"kept"
        finally:
            close(zk)
    finally:
        srv.stop()
    assert os.path.isdir(log_dir / "zkcpp-v1" / "txnlog")
    assert not os.path.exists(data_dir / "zkcpp-v1" / "txnlog")
    assert "epoch" in storage_files(str(data_dir))


def test_a_failed_snapshot_leaves_writes_going_and_a_restart_replays_the_log(tmp_path):
    mount = str(tmp_path / "snap-disk")
    log_dir = tmp_path / "log-disk"
    log_dir.mkdir()
    with small_tmpfs(mount, SNAP_DISK_KB):
        srv = server_mod.ServerProcess(
            tmp_path / "srv",
            extra_cfg={"dataDir": mount, "dataLogDir": str(log_dir), "snapCount": SNAP_COUNT})
        try:
            srv.start()
            expected = {}
            zk = connect(srv)
            try:
                zk.create("/snap")
                # Small nodes: snapshots fit on the small disk.
                for i in range(2 * SNAP_COUNT):
                    path, data = "/snap/a%03d" % i, payload(i, 100)
                    zk.create(path, data)
                    expected[path] = data
                wait_until(lambda: snapshot_zxids(mount), timeout=15.0,
                           message="a snapshot of the small tree")

                # From here on every snapshot holds more than the disk.
                big = payload(9999, BIG_NODE_BYTES)
                zk.create("/snap/big", big)
                expected["/snap/big"] = big
                big_zxid = zk.exists("/snap/big").czxid
                index = 0

                def write_small():
                    nonlocal index
                    path, data = "/snap/b%04d" % index, payload(index, 100)
                    zk.create_async(path, data).get(timeout=WRITE_TIMEOUT)
                    expected[path] = data
                    index += 1

                def snapshot_failures():
                    return [(int(m.group(1), 16), m.group(2))
                            for m in SNAPSHOT_FAILED.finditer(server_log(srv))]

                while index < MAX_WRITES_UNTIL_SNAPSHOT_FAILS and not snapshot_failures():
                    write_small()
                failures = wait_until(snapshot_failures, timeout=15.0,
                                      message="a snapshot to fail on the full disk")
                for zxid, why in failures:
                    assert zxid >= big_zxid, "a snapshot of the small tree failed: %s" % why
                    assert NO_SPACE in why, why

                # Writes go on: each is acknowledged once the log (on the roomy
                # disk) has synced it, and later snapshot attempts fail too.
                for _ in range(WRITES_AFTER_SNAPSHOT_FAILED):
                    write_small()
                other = connect(srv)
                try:
                    other.create("/snap/from-another-session", b"fresh")
                    expected["/snap/from-another-session"] = b"fresh"
                finally:
                    close(other)
                last_zxid = zk.exists("/snap/from-another-session").czxid
                assert srv.running()
            finally:
                close(zk)

            log = server_log(srv)
            assert not LOG_WRITE_FAILED.search(log), "the log failed, not only snapshots"
            assert_no_crash_marks(log)

            # A clean stop leaves only whole snapshots, all older than the big node.
            assert stop_cleanly(srv) == 0, srv.log_tail()
            assert not temp_files(mount), storage_files(mount)
            good = snapshot_zxids(mount)
            assert good and max(good) < big_zxid, (good, big_zxid)

            # The restart loads the newest good snapshot and replays the log after it.
            restart_at = log_size(srv)
            srv.restart()
            recovered = RECOVERED.search(server_log(srv, restart_at))
            assert recovered, server_log(srv, restart_at)[-3000:]
            snap_zxid, replayed, up_to = (int(recovered.group(1), 16), int(recovered.group(2)),
                                          int(recovered.group(3), 16))
            assert snap_zxid == max(good)
            assert up_to >= last_zxid
            # At least the big node, every small one after it and the other session's.
            assert replayed >= index + 2, (replayed, index)

            zk = connect(srv)
            try:
                present = sorted("/snap/" + name for name in zk.get_children("/snap"))
                assert present == sorted(expected), (
                    "missing %s, unexpected %s" % (sorted(set(expected) - set(present))[:10],
                                                  sorted(set(present) - set(expected))[:10]))
                differs = [p for p, data in sorted(expected.items()) if zk.get(p)[0] != data]
                assert not differs, "data differs after the restart: %s" % differs[:10]
                zk.create("/snap/after-restart", b"ok")
                assert zk.get("/snap/after-restart")[0] == b"ok"
            finally:
                close(zk)
            assert_no_crash_marks(server_log(srv, restart_at))
        finally:
            srv.stop()
