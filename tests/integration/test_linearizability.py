"""Concurrent compare-and-set and reads on a few znodes while members crash.

Each client thread has its own session and prefers a different member. It
reads a key (sync, then getData) or sets it conditionally on the version it
last saw (setData with a version). Every operation is recorded with its
invoke and its outcome: a reply is `ok` (a BadVersion reply is an observed
outcome too), a timeout or a lost connection is unknown. Meanwhile the
leader and then a follower are killed with SIGKILL and restarted. The
history must be linearizable per key (harness/linearizability.py).
"""

import random
import threading
import uuid

import pytest
from kazoo.client import KazooClient
from kazoo.exceptions import BadVersionError, KazooException
from kazoo.handlers.threading import KazooTimeoutError

from harness import linearizability as lin
from harness.ensemble import QUICK_ELECTION, Ensemble, requires_ensemble
from harness.wait import wait_until

pytestmark = requires_ensemble()

CLIENTS = 5
KEYS = 3
REQUEST_TIMEOUT = 4.0
FAST_RETRY = {"max_tries": -1, "delay": 0.1, "backoff": 1.5, "max_delay": 1.0}


@pytest.fixture(scope="module")
def ensemble(tmp_path_factory):
    with Ensemble(tmp_path_factory.mktemp("ensemble"), participants=3,
                  system_props=QUICK_ELECTION) as e:
        e.start()
        yield e


class Worker:
    """One session doing reads and conditional sets on random keys."""

    def __init__(self, process, hosts, keys, history, stopping, seed):
        self.process = process
        self.keys = keys
        self.history = history
        self.stopping = stopping
        self.rng = random.Random(seed)
        self.seen = {k: 0 for k in keys}  # last version seen per key
        self.client = KazooClient(hosts=hosts, timeout=30.0, randomize_hosts=False,
                                  connection_retry=dict(FAST_RETRY))
        self.client.start(timeout=30)
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        n = 0
        while not self.stopping.is_set():
            key = self.rng.choice(self.keys)
            if self.rng.random() < 0.4:
                self._read(key)
            else:
                n += 1
                self._cas(key, b"p%d-%d" % (self.process, n))

    def _read(self, key):
        op = self.history.invoke(self.process, key, "read")
        try:
            self.client.sync_async(key).get(timeout=REQUEST_TIMEOUT)
            data, stat = self.client.get_async(key).get(timeout=REQUEST_TIMEOUT)
        except (KazooException, KazooTimeoutError):
            self.history.info(op)
            self.stopping.wait(0.1)
            return
        self.history.ok(op, (data, stat.version))
        self.seen[key] = stat.version

    def _cas(self, key, value):
        expected = self.seen[key]
        op = self.history.invoke(self.process, key, "cas", value=value, expected=expected)
        try:
            stat = self.client.set_async(key, value, version=expected).get(timeout=REQUEST_TIMEOUT)
        except BadVersionError:
            self.history.ok(op, lin.BADVERSION)
            return
        except (KazooException, KazooTimeoutError):
            self.history.info(op)
            self.stopping.wait(0.1)
            return
        self.history.ok(op, stat.version)
        self.seen[key] = stat.version

    def close(self):
        try:
            self.client.stop()
        finally:
            self.client.close()


def ok_count(history, kind, result_filter=lambda r: True):
    return sum(1 for op in history.ops
               if op.kind == kind and op.status == "ok" and result_filter(op.result))


def test_cas_and_synced_reads_stay_linearizable_while_members_crash(ensemble, tmp_path):
    ensemble.wait_healthy()
    root = "/lin_%s" % uuid.uuid4().hex[:10]
    keys = ["%s/k%d" % (root, i) for i in range(KEYS)]
    setup = KazooClient(hosts=ensemble.hosts(), timeout=10.0)
    setup.start(timeout=30)
    try:
        setup.create(root)
        for k in keys:
            setup.create(k, b"init")
    finally:
        setup.stop()
        setup.close()

    history = lin.History()
    stopping = threading.Event()
    members = list(ensemble)
    workers = []
    try:
        for p in range(CLIENTS):
            order = members[p % len(members):] + members[:p % len(members)]
            workers.append(Worker(p, ensemble.hosts(order), keys, history, stopping, seed=p))
        for w in workers:
            w.thread.start()

        def progress(more):
            target = ok_count(history, "cas", lambda r: r != lin.BADVERSION) + more
            wait_until(lambda: ok_count(history, "cas", lambda r: r != lin.BADVERSION) >= target,
                       timeout=60, interval=0.1, message="%d more successful cas" % more)

        progress(20)
        for pick in (ensemble.leader, lambda: ensemble.followers()[0]):
            victim = pick()
            victim.kill()
            ensemble.wait_healthy(members=[m for m in members if m is not victim])
            progress(20)
            victim.start()
            ensemble.wait_healthy()
            progress(20)
    finally:
        stopping.set()
        for w in workers:
            w.thread.join(timeout=2 * REQUEST_TIMEOUT + 5)
        for w in workers:
            w.close()
    history.close()

    counts = history.counts()
    print("history:", len(history.ops), "ops", counts)
    assert ok_count(history, "read") >= 50, counts
    assert ok_count(history, "cas", lambda r: r == lin.BADVERSION) >= 1, counts
    results = lin.check(history, {k: (b"init", 0) for k in keys})
    for r in results:
        assert r.ok, r
