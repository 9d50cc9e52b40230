"""A three-member ensemble losing members under write load.

Several kazoo clients keep creating nodes and record which creates were
acknowledged. While they write, a member is killed (-9), stopped (SIGSTOP),
or cut off from its peers; then it comes back. Afterwards every acknowledged
write is on every member (each read directly after sync), nothing appears
that was never attempted, the writers still have their sessions, and the
ephemerals of sessions that ended are gone everywhere.

Peer links go through proxies (Ensemble(proxied=True)) so that a test can
partition a member without root privileges.
"""

import threading
import uuid

import pytest
from kazoo.client import KazooClient
from kazoo.exceptions import KazooException
from kazoo.handlers.threading import KazooTimeoutError

from harness.ensemble import ELECTION_TIMEOUT, QUICK_ELECTION, Ensemble, requires_ensemble
from harness.wait import Deadline, wait_until

pytestmark = requires_ensemble()

CLIENT_START_TIMEOUT = 30.0
REQUEST_TIMEOUT = 5.0
WRITERS = 3
# Long enough to outlive an election plus a reconnect, short enough that a
# writer notices a stopped member soon (kazoo gives up on a silent server
# after 2/3 of the session timeout); short retries find the new quorum fast.
WRITER_SESSION_TIMEOUT = 12.0
FAST_RETRY = {"max_tries": -1, "delay": 0.1, "backoff": 1.5, "max_delay": 1.0}


@pytest.fixture(scope="module")
def ensemble(tmp_path_factory):
    with Ensemble(tmp_path_factory.mktemp("ensemble"), participants=3, proxied=True,
                  system_props=QUICK_ELECTION) as e:
        e.start()
        yield e


@pytest.fixture
def healthy(ensemble):
    """The module's ensemble with every member back and serving."""
    for m in ensemble:
        if not m.running():
            m.spawn()
    ensemble.heal()
    ensemble.wait_healthy()
    return ensemble


@pytest.fixture
def clients():
    started = []

    def make(hosts, timeout=10.0):
        c = KazooClient(hosts=hosts, timeout=timeout, randomize_hosts=False,
                        connection_retry=dict(FAST_RETRY))
        started.append(c)
        c.start(timeout=CLIENT_START_TIMEOUT)
        return c

    yield make
    for c in started:
        try:
            c.stop()
        finally:
            c.close()


class WriteLoad:
    """Writers, each its own session, creating distinct nodes until stopped."""

    def __init__(self, ensemble, clients, base, first=None):
        self.ensemble = ensemble
        self.base = base
        self.acked = set()
        self.unknown = set()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        # Each writer prefers a different member first; `first` puts one
        # member at the head of every writer's list.
        members = list(ensemble)
        self.writers = []
        for i in range(WRITERS):
            order = members[i % len(members):] + members[:i % len(members)]
            if first is not None:
                order = [first] + [m for m in order if m is not first]
            self.writers.append(clients(ensemble.hosts(order), timeout=WRITER_SESSION_TIMEOUT))
        self.session_ids = [w.client_id[0] for w in self.writers]
        self.threads = [threading.Thread(target=self._run, args=(i, w), daemon=True)
                        for i, w in enumerate(self.writers)]
        for t in self.threads:
            t.start()

    def _run(self, index, client):
        n = 0
        while not self.stopping.is_set():
            name = "w%d-%06d" % (index, n)
            n += 1
            try:
                client.create_async("%s/%s" % (self.base, name)).get(timeout=REQUEST_TIMEOUT)
                outcome = self.acked
            except (KazooException, KazooTimeoutError):
                outcome = self.unknown
                self.stopping.wait(0.1)
            with self.lock:
                outcome.add(name)

    def count(self):
        with self.lock:
            return len(self.acked)

    def wait_progress(self, more=20, timeout=ELECTION_TIMEOUT):
        """Waits until `more` further writes were acknowledged."""
        target = self.count() + more
        try:
            wait_until(lambda: self.count() >= target, timeout=timeout,
                       message="%d more acknowledged writes" % more)
        except AssertionError as e:
            raise AssertionError("%s; writers %s; modes %s" % (
                e, [w.state for w in self.writers], self.ensemble.modes())) from None

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join(timeout=REQUEST_TIMEOUT + 5)
        assert not any(t.is_alive() for t in self.threads)

    def check_sessions_kept(self):
        for w, sid in zip(self.writers, self.session_ids):
            wait_until(lambda w=w: w.connected, timeout=ELECTION_TIMEOUT, message="reconnect")
            assert w.client_id[0] == sid


def assert_every_member_has(ensemble, clients, load):
    """Every acknowledged create is on every member; nothing unattempted is anywhere."""
    attempted = load.acked | load.unknown
    for m in ensemble:
        reader = clients(m.hostport)
        reader.sync(load.base)
        children = set(reader.get_children(load.base))
        missing = load.acked - children
        assert not missing, "%r lost %d acknowledged writes, e.g. %s" % (
            m, len(missing), sorted(missing)[:5])
        assert children <= attempted, "%r has writes nobody made" % m


def ephemeral_of_session_on(member, clients, base, timeout_s=4.0):
    """An ephemeral owned by a short session that can only talk to `member`."""
    owner = clients(member.hostport, timeout=timeout_s)
    path = owner.create(base + "/eph-%d-" % member.sid, ephemeral=True, sequence=True)
    return owner, path


def wait_gone_everywhere(members, clients, path, timeout=ELECTION_TIMEOUT):
    readers = [clients(m.hostport) for m in members]

    def gone():
        for r in readers:
            r.sync(path)
            if r.exists(path) is not None:
                return False
        return True

    wait_until(gone, timeout=timeout, interval=0.5, message="%s gone everywhere" % path)


@pytest.fixture
def base(healthy, clients):
    path = "/fail_%s" % uuid.uuid4().hex[:10]
    clients(healthy.hosts()).create(path)
    return path


def crash_and_recover(ensemble, clients, base, victim, load):
    _, eph = ephemeral_of_session_on(victim, clients, base)
    load.wait_progress()
    victim.kill()
    survivors = [m for m in ensemble if m is not victim]
    ensemble.wait_healthy(members=survivors)
    load.wait_progress()
    # The victim's own session had nowhere to go: it expires, everywhere.
    wait_gone_everywhere(survivors, clients, eph)
    victim.start()
    ensemble.wait_healthy()
    load.wait_progress()
    load.stop()
    assert load.count() > 60
    assert_every_member_has(ensemble, clients, load)
    load.check_sessions_kept()


def test_killing_the_leader_under_load_loses_no_acknowledged_write(healthy, clients, base):
    leader = healthy.leader()
    load = WriteLoad(healthy, clients, base, first=leader)
    crash_and_recover(healthy, clients, base, leader, load)
    assert healthy.wait_leader() is not None


def test_killing_a_follower_under_load_loses_no_acknowledged_write(healthy, clients, base):
    follower = healthy.followers()[0]
    load = WriteLoad(healthy, clients, base, first=follower)
    crash_and_recover(healthy, clients, base, follower, load)


def test_a_stopped_and_continued_leader_rejoins_without_losing_writes(healthy, clients, base):
    leader = healthy.leader()
    load = WriteLoad(healthy, clients, base)
    load.wait_progress()
    leader.pause()
    try:
        new_leader = healthy.wait_leader(exclude=[leader])
        load.wait_progress()
    finally:
        leader.resume()
    healthy.wait_healthy()
    assert healthy.leader() is new_leader
    load.wait_progress()
    load.stop()
    assert_every_member_has(healthy, clients, load)
    load.check_sessions_kept()


def test_a_leader_cut_off_from_its_peers_steps_down_and_rejoins_after_healing(
        healthy, clients, base):
    old = healthy.leader()
    # One writer that can only reach the old leader: once cut off, nothing it
    # sends may be acknowledged until the partition heals.
    pinned = clients(old.hostport)
    load = WriteLoad(healthy, clients, base, first=old)
    load.wait_progress()
    healthy.isolate(old)
    new_leader = healthy.wait_leader(exclude=[old])
    wait_until(lambda: old.mode() is None, timeout=ELECTION_TIMEOUT,
               message="the isolated leader stops serving")
    load.wait_progress()
    try:
        pinned.create_async(base + "/from-the-minority").get(timeout=REQUEST_TIMEOUT)
        minority_acked = True
    except (KazooException, KazooTimeoutError):
        minority_acked = False
    healthy.heal()
    healthy.wait_healthy()
    assert old.mode() == "follower" and healthy.leader() is new_leader
    load.wait_progress()
    load.stop()
    if minority_acked:
        load.acked.add("from-the-minority")
    else:
        load.unknown.add("from-the-minority")
    assert_every_member_has(healthy, clients, load)
    load.check_sessions_kept()


def test_the_ensemble_serves_with_any_one_member_down_and_stops_without_a_quorum(
        healthy, clients, base):
    first, second, third = list(healthy)
    third.kill()
    healthy.wait_healthy(members=[first, second])
    c = clients(first.hostport)
    c.create(base + "/two-of-three")
    second.kill()
    wait_until(lambda: first.mode() is None, timeout=ELECTION_TIMEOUT,
               message="a lone member stops serving")
    deadline = Deadline(3)
    with pytest.raises((KazooException, KazooTimeoutError)):
        c.create_async(base + "/one-of-three").get(timeout=deadline.remaining() + 1)
    c.stop()  # drops the queued create, so it cannot be sent once a quorum is back
    second.start()
    third.start()
    healthy.wait_healthy()
    reader = clients(third.hostport)
    reader.sync(base)
    assert reader.get_children(base) == ["two-of-three"]
