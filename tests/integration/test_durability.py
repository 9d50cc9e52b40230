"""Durability: acknowledged writes, sessions and stats survive a crash or restart.

The server runs with a small snapCount so that snapshots are taken while the
tests write, and recovery is a snapshot plus a replay of the log after it.
Random choices use one seed, printed with every failure; set
ZK_DURABILITY_SEED to repeat a run.
"""

import os
import random
import threading
import time

import pytest
from kazoo.client import KazooClient
from kazoo.exceptions import ConnectionClosedError, ConnectionLoss, SessionExpiredError
from kazoo.protocol.states import KazooState
from kazoo.retry import KazooRetry
from kazoo.security import OPEN_ACL_UNSAFE

from harness.clients import close
from harness import jute, raw
from harness.wait import Deadline, wait_until

SNAP_COUNT = 500
CLIENT_TIMEOUT = 15.0
RESULT_TIMEOUT = 30.0

# Errors that mean "the connection went away": the write may or may not be applied.
LOST = (ConnectionLoss, ConnectionClosedError, SessionExpiredError)


@pytest.fixture
def seed():
    value = int(os.environ.get("ZK_DURABILITY_SEED", random.randrange(1 << 30)))
    print("ZK_DURABILITY_SEED=%d" % value)
    return value


def fast_retry():
    """Reconnects every ~0.2s while the server is down, so restarts are quick to notice."""
    return KazooRetry(max_tries=-1, delay=0.1, backoff=1.5, max_delay=0.5)


def connect(srv, **kw):
    kw.setdefault("timeout", 10.0)
    kw.setdefault("connection_retry", fast_retry())
    c = KazooClient(hosts=srv.hostport, **kw)
    c.start(timeout=CLIENT_TIMEOUT)
    return c




def read_node(zk, path):
    """(data, version) of `path`, or None when it does not exist."""
    got = zk.exists(path)
    if got is None:
        return None
    data, stat = zk.get(path)
    return data, stat.version


def snapshot_files(data_dir):
    """Completed snapshot files anywhere under the data dir (ours or Apache's layout)."""
    found = []
    for root, _, files in os.walk(data_dir):
        for name in files:
            if name.startswith("snapshot.") and not name.endswith(".tmp"):
                found.append(os.path.join(root, name))
    return found


# 1. Crash under load -------------------------------------------------------

WORKERS = 4
BATCH = 8  # writes each worker keeps in flight at once
ROUNDS = 4
CRASH_SNAP_COUNT = 200


class Worker:
    """Writes to its own znodes under `base`, keeping BATCH async writes in flight.

    `acked` maps path -> (data, version) of the last write whose reply arrived;
    `pending` maps path -> (data, version) of a write that was sent but whose
    reply never came (the crash), so either state is allowed after recovery.
    """

    def __init__(self, index, base, seed):
        self.index = index
        self.base = base
        self.rng = random.Random(seed * 100 + index)
        self.acked = {}
        self.pending = {}
        self.next_id = 0
        self.errors = []
        self.stop = threading.Event()

    def _plan(self, round_no):
        """Up to BATCH (kind, path, data, expected version) writes on distinct paths."""
        ops = []
        existing = sorted(self.acked)
        self.rng.shuffle(existing)
        for k in range(BATCH):
            tag = ("r%d-w%d-%d-%s" % (round_no, self.index, k, "x" * self.rng.randrange(64)))
            if existing and self.rng.random() < 0.6:
                path = existing.pop()
                ops.append(("set", path, tag.encode(), self.acked[path][1]))
            else:
                path = "%s/n%06d" % (self.base, self.next_id)
                self.next_id += 1
                ops.append(("create", path, tag.encode(), -1))
        return ops

    def run(self, zk, round_no, acked_counter):
        self.stop.clear()
        while not self.stop.is_set():
            ops = self._plan(round_no)
            sent = []
            for kind, path, data, version in ops:
                if kind == "create":
                    sent.append((kind, path, data, version, zk.create_async(path, data)))
                else:
                    sent.append((kind, path, data, version, zk.set_async(path, data, version)))
            lost = False
            for kind, path, data, version, result in sent:
                new_version = 0 if kind == "create" else version + 1
                try:
                    value = result.get(timeout=RESULT_TIMEOUT)
                except LOST:
                    self.pending[path] = (data, new_version)
                    lost = True
                    continue
                except Exception as e:  # any other error is a finding
                    self.errors.append("%s %s (acked version %d): %r" % (kind, path, version, e))
                    lost = True
                    continue
                if kind == "set" and value.version != new_version:
                    self.errors.append("set %s answered version %d, expected %d" %
                                       (path, value.version, new_version))
                self.acked[path] = (data, new_version)
                acked_counter.add()
            if lost:
                return

    def reconcile(self, zk, seed):
        """Checks the recovered state, then adopts it for the next round."""
        problems = []
        for path in sorted(set(self.acked) | set(self.pending)):
            actual = read_node(zk, path)
            allowed = [self.acked.get(path)]
            if path in self.pending:
                allowed.append(self.pending[path])
            if actual not in allowed:
                problems.append("%s: recovered %r, allowed %r" % (path, _short(actual),
                                                                   [_short(a) for a in allowed]))
            if actual is None:
                self.acked.pop(path, None)
            else:
                self.acked[path] = actual
        for child in zk.get_children(self.base):
            path = "%s/%s" % (self.base, child)
            if path not in self.acked:
                problems.append("%s: exists but was never written (seed %d)" % (path, seed))
        pending, self.pending = len(self.pending), {}
        return problems, pending


def _short(state):
    if state is None:
        return None
    data, version = state
    return (data[:16], version)


class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.value = 0

    def add(self):
        with self.lock:
            self.value += 1

    def get(self):
        with self.lock:
            return self.value


def test_every_acknowledged_write_survives_a_crash_under_load(server_factory, seed):
    rng = random.Random(seed)
    srv = server_factory(extra_cfg={"snapCount": CRASH_SNAP_COUNT})
    setup = connect(srv)
    workers = []
    for i in range(WORKERS):
        base = "/crash/w%d" % i
        setup.ensure_path(base)
        workers.append(Worker(i, base, seed))
    close(setup)

    for round_no in range(ROUNDS):
        acked = Counter()
        clients = [connect(srv) for _ in workers]
        threads = [
            threading.Thread(target=w.run, args=(c, round_no, acked), daemon=True)
            for w, c in zip(workers, clients)
        ]
        for t in threads:
            t.start()
        # Crash after a random amount of progress, while every worker has writes
        # in flight; every round writes enough to take a snapshot first.
        kill_after = rng.randrange(CRASH_SNAP_COUNT + 50, 4 * CRASH_SNAP_COUNT)
        deadline = Deadline(30.0)
        while acked.get() < kill_after and not deadline.expired():
            time.sleep(0.005)
        srv.kill()
        # Once a client has seen the connection drop, every reply that arrived
        # has been handed out; writes it queued since then were never sent, and
        # closing the client fails them (they count as in flight).
        wait_until(lambda: all(c.state != KazooState.CONNECTED for c in clients),
                   timeout=10.0, message="clients to notice the crash")
        for w in workers:
            w.stop.set()
        for c in clients:
            close(c)
        for t in threads:
            t.join(RESULT_TIMEOUT)
            assert not t.is_alive(), "a writer did not finish (seed %d)" % seed
        errors = [e for w in workers for e in w.errors]
        assert not errors, "writes failed before the crash (seed %d):\n%s" % (
            seed, "\n".join(errors[:20]))
        assert acked.get() >= kill_after, "only %d writes acknowledged in 30s (seed %d)" % (
            acked.get(), seed)

        srv.restart()
        check = connect(srv)
        try:
            problems, in_flight = [], 0
            for w in workers:
                found, pending = w.reconcile(check, seed)
                problems += found
                in_flight += pending
        finally:
            close(check)
        print("round %d: killed after %d acks with %d writes in flight; %d znodes" %
              (round_no, acked.get(), in_flight, sum(len(w.acked) for w in workers)))
        assert not problems, "round %d lost acknowledged writes (seed %d):\n%s" % (
            round_no, seed, "\n".join(problems[:20]))

    assert len(snapshot_files(srv.data_dir)) >= ROUNDS, "too few snapshots during the load"


# 2. Ephemerals across a restart ---------------------------------------------

@pytest.mark.parametrize("how", ["sigterm", "sigkill"])
def test_a_live_session_keeps_its_ephemeral_across_a_restart_and_a_gone_one_expires(
        server_factory, how):
    srv = server_factory(extra_cfg={"snapCount": SNAP_COUNT})
    # The live session's timeout is shorter than the gone one's, so when the
    # gone one has expired the live one has outlived its own timeout as well.
    live = connect(srv, timeout=4.0)
    states = []
    live.add_listener(states.append)
    try:
        live.ensure_path("/eph")
        live_path = live.create("/eph/live", b"live", ephemeral=True)
        live_id = live.client_id

        # The gone client never pings again after the restart and never reconnects.
        gone_timeout_ms = 6000
        gone = raw.open_session(srv.host, srv.port, timeout_ms=gone_timeout_ms)
        reply, gone_path = gone.create("/eph/gone", b"gone", flags=jute.EPHEMERAL)
        assert reply.err == jute.OK
        gone_id = gone.session_id

        if how == "sigkill":
            srv.kill()
        else:
            srv.stop()
        gone.close()
        restarted = time.monotonic()
        srv.restart()

        observer = connect(srv)
        try:
            # Sessions are restored with a fresh timeout, so both ephemerals are back.
            stat = observer.exists(gone_path)
            assert stat is not None, "the gone session's ephemeral vanished at restart"
            assert stat.ephemeralOwner == gone_id
            wait_until(lambda: live.state == KazooState.CONNECTED, timeout=CLIENT_TIMEOUT,
                       message="the live client to reconnect")
            assert live.client_id == live_id

            # The gone session expires one timeout after the restart.
            wait_until(lambda: observer.exists(gone_path) is None,
                       timeout=gone_timeout_ms / 1000.0 * 3,
                       message="the gone session's ephemeral to be removed")
            assert time.monotonic() - restarted >= gone_timeout_ms / 1000.0 * 0.5

            # By now the live session has outlived its own timeout since the restart too.
            stat = observer.exists(live_path)
            assert stat is not None and stat.ephemeralOwner == live_id[0]
            assert live.get(live_path)[0] == b"live"
            assert KazooState.LOST not in states
            assert observer.get_children("/eph") == ["live"]
        finally:
            close(observer)
    finally:
        close(live)


# 3. Snapshot plus log replay ------------------------------------------------

def dump(zk, path):
    """path -> (data, stat, sorted children, acl) for the whole subtree."""
    out = {}
    todo = [path]
    while todo:
        p = todo.pop()
        data, stat = zk.get(p)
        children = sorted(zk.get_children(p))
        acl = [(a.perms, a.id.scheme, a.id.id) for a in zk.get_acls(p)[0]]
        out[p] = (data, tuple(stat), children, acl)
        todo += ["%s/%s" % (p.rstrip("/"), c) for c in children]
    return out


def wait_all(results):
    return [r.get(timeout=RESULT_TIMEOUT) for r in results]


def write_history(zk, rng, parent, tag, children=300, rounds=5):
    """About children * (rounds + 2) txns touching `parent`'s stats in every way."""
    names = ["%s%04d" % (tag.decode(), i) for i in range(children)]
    wait_all([zk.create_async("%s/%s" % (parent, n), b"%s-0" % tag) for n in names])
    for r in range(rounds):
        wait_all([zk.set_async("%s/%s" % (parent, n), b"%s-%d-%d" % (tag, r, rng.randrange(1000)))
                  for n in names])
        wait_all([zk.set_async(parent, b"%s-parent-%d-%d" % (tag, r, i)) for i in range(10)])
    wait_all([zk.create_async("%s/s%s-" % (parent, tag.decode()), b"seq", sequence=True)
              for _ in range(children // 4)])
    for i in range(0, children, 10):  # ACL changes move aversion
        zk.set_acls("%s/%s" % (parent, names[i]), list(OPEN_ACL_UNSAFE))
    for i in range(children // 10):  # multi txns
        t = zk.transaction()
        t.create("%s/m%s%04d" % (parent, tag.decode(), i), b"m")
        t.set_data("%s/%s" % (parent, names[i]), b"multi")
        wait_all([t.commit_async()])
    doomed = rng.sample(names, children // 2)
    # Deletes last: the parent's cversion and pzxid come from the log's tail.
    wait_all([zk.delete_async("%s/%s" % (parent, n)) for n in doomed])


def test_snapshots_plus_log_replay_restore_data_and_stats_exactly(server_factory, seed):
    rng = random.Random(seed)
    srv = server_factory(extra_cfg={"snapCount": SNAP_COUNT})
    zk = connect(srv)
    try:
        zk.create("/replay")
        zk.create("/replay/parent", b"p")
        write_history(zk, rng, "/replay/parent", b"a")
        zk.create("/replay/after", b"last")  # the last txn is not the parent's
        before = dump(zk, "/replay")
        last_zxid = max(max(stat[1], stat[10]) for _, stat, _, _ in before.values())
    finally:
        close(zk)
    wait_until(lambda: len(snapshot_files(srv.data_dir)) >= 3, timeout=30.0,
               message="snapshots during %d+ txns with snapCount %d" % (4 * SNAP_COUNT,
                                                                       SNAP_COUNT))

    srv.restart()
    zk = connect(srv)
    try:
        after = dump(zk, "/replay")
        _assert_same(before, after, seed, "after SIGTERM")
        # Recovery restores the zxid counter too: new txns come after the old ones.
        zk.create("/replay/next")
        assert zk.exists("/replay/next").czxid > last_zxid
        zk.delete("/replay/next")
        write_history(zk, rng, "/replay/parent", b"b", children=100, rounds=3)
        before = dump(zk, "/replay")
    finally:
        close(zk)

    srv.kill()
    srv.restart()
    zk = connect(srv)
    try:
        _assert_same(before, dump(zk, "/replay"), seed, "after SIGKILL of a recovered server")
    finally:
        close(zk)


def _assert_same(before, after, seed, when):
    assert sorted(before) == sorted(after), "znodes differ %s (seed %d)" % (when, seed)
    fields = jute.STAT_FIELDS
    diffs = []
    for path in sorted(before):
        if before[path] != after[path]:
            b, a = before[path], after[path]
            stat_diff = {f: (x, y) for f, x, y in zip(fields, b[1], a[1]) if x != y}
            diffs.append("%s: data %r->%r stat %s children %d->%d acl %r->%r" %
                         (path, b[0][:20], a[0][:20], stat_diff, len(b[2]), len(a[2]), b[3],
                          a[3]))
    assert not diffs, "znodes changed %s (seed %d):\n%s" % (when, seed, "\n".join(diffs[:20]))


# 4. Null data --------------------------------------------------------------


def snapshot_zxids(data_dir):
    """The zxids (from the file names) of the completed snapshots under the data dir."""
    zxids = []
    for path in snapshot_files(data_dir):
        suffix = os.path.basename(path)[len("snapshot."):].split(".")[0]
        try:
            zxids.append(int(suffix, 16))
        except ValueError:
            pass
    return zxids


def test_null_data_stays_null_and_apart_from_empty_data_in_a_snapshot(server_factory):
    srv = server_factory(extra_cfg={"snapCount": 2})
    zk = connect(srv)
    try:
        zk.create("/nulls")
        zk.create("/nulls/null", None)
        zk.create("/nulls/empty", b"")
        last = zk.create("/nulls/full", b"x")
        assert zk.get("/nulls/null")[0] is None
        newest = zk.exists(last).czxid
        # Writes until a snapshot holds every node, so the restart reads them
        # from it rather than from the log replayed after it.
        deadline = Deadline(30.0)
        i = 0
        while max(snapshot_zxids(srv.data_dir), default=0) < newest:
            assert not deadline.expired(), "no snapshot after zxid %#x" % newest
            zk.create("/nulls/filler-%d" % i, b"f")
            i += 1
            time.sleep(0.05)
    finally:
        close(zk)

    srv.restart()
    zk = connect(srv)
    try:
        assert zk.get("/nulls/null")[0] is None
        assert zk.get("/nulls/empty")[0] == b""
        assert zk.get("/nulls/full")[0] == b"x"
    finally:
        close(zk)
