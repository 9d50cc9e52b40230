"""A healthy ensemble (three participants and an observer) seen by real clients.

Writes through any member are visible on every member after sync; a session
works from any member and keeps its id when it moves; ephemerals and watches
behave the same whichever member a client talks to; the admin words show one
leader. One ensemble serves the whole module; each test works under its own
node.
"""

import threading
import uuid

import pytest
from kazoo.client import KazooClient
from kazoo.protocol.states import KazooState

from harness import fourlw
from harness.ensemble import Ensemble, requires_ensemble
from harness.proxy import Proxy
from harness.wait import wait_until

pytestmark = requires_ensemble()

CLIENT_TIMEOUT = 15.0


@pytest.fixture(scope="module")
def ensemble(tmp_path_factory):
    with Ensemble(tmp_path_factory.mktemp("ensemble"), participants=3, observers=1) as e:
        e.start()
        yield e


@pytest.fixture
def connect(client_factory):
    """connect(member or members) -> a started kazoo client pinned to those members."""

    def make(members, **kw):
        hosts = members if isinstance(members, str) else _hosts(members)
        return client_factory(hosts, randomize_hosts=False, **kw)

    return make


@pytest.fixture
def base(ensemble, connect):
    path = "/ens_%s" % uuid.uuid4().hex[:10]
    admin = connect(ensemble.members)
    admin.create(path)
    yield path
    if admin.connected:
        admin.delete(path, recursive=True)


def _hosts(members):
    if hasattr(members, "hostport"):
        return members.hostport
    return ",".join(m.hostport for m in members)


def test_exactly_one_participant_leads_and_the_others_follow_or_observe(ensemble):
    modes = ensemble.modes()
    assert sorted(modes[m.sid] for m in ensemble.participants) == ["follower", "follower", "leader"]
    assert modes[4] == "observer"
    for m in ensemble:
        stat = fourlw.parse_colon_lines(m.word("stat"))
        assert stat["Mode"] == modes[m.sid]
        assert m.mntr()["zk_server_state"] == modes[m.sid]


def test_the_leader_reports_its_synced_followers_and_observers_in_mntr(ensemble):
    leader = ensemble.leader()
    stats = leader.mntr()
    assert stats["zk_learners"] == "3"
    assert stats["zk_synced_followers"] == "2"
    assert stats["zk_synced_observers"] == "1"
    for m in ensemble:
        if m is not leader:
            assert "zk_synced_followers" not in m.mntr()


def test_every_member_reports_the_same_zxid_once_in_sync(ensemble, connect, base):
    writer = connect(ensemble.member(1))
    writer.create(base + "/n", b"x")
    for m in ensemble:
        connect(m).sync(base)

    def zxids():
        return {fourlw.parse_colon_lines(m.word("srvr"))["Zxid"] for m in ensemble}

    assert wait_until(lambda: len(zxids()) == 1, timeout=10, message="one zxid everywhere")


@pytest.mark.parametrize("writer_sid", [1, 2, 3, 4])
def test_a_write_through_one_member_is_readable_on_every_member_after_sync(
        ensemble, connect, base, writer_sid):
    writer = connect(ensemble.member(writer_sid))
    path = writer.create(base + "/w", b"from %d" % writer_sid, sequence=True)
    for m in ensemble:
        reader = connect(m)
        reader.sync(path)
        data, stat = reader.get(path)
        assert data == b"from %d" % writer_sid, m
        assert stat.version == 0


def test_conditional_updates_through_different_members_see_one_order(ensemble, connect, base):
    clients = [connect(m) for m in ensemble]
    path = clients[0].create(base + "/cas", b"0")
    for i, c in enumerate(clients * 2):
        c.sync(path)
        data, stat = c.get(path)
        assert stat.version == i
        c.set(path, b"%d" % (i + 1), version=stat.version)
    for c in clients:
        c.sync(path)
        assert c.get(path)[0] == b"%d" % (2 * len(clients))


def test_a_session_moves_to_another_member_and_keeps_its_id_ephemerals_and_watches(
        ensemble, connect, base):
    first, second = ensemble.member(1), ensemble.member(2)
    proxy = Proxy("127.0.0.1", first.port)
    try:
        client = connect(proxy.hostport)
        session_id = client.client_id[0]
        client.create(base + "/eph", b"mine", ephemeral=True)
        fired = threading.Event()
        assert client.exists(base + "/watched", watch=lambda event: fired.set()) is None
        states = []
        client.add_listener(states.append)

        client.set_hosts(second.hostport)
        proxy.cut()  # the client loses its member and reconnects to the other
        wait_until(lambda: KazooState.SUSPENDED in states and client.connected,
                   timeout=CLIENT_TIMEOUT, message="reconnect to the second member")
        assert client.client_id[0] == session_id
        assert KazooState.LOST not in states
        assert _connected_member(ensemble, session_id) is second

        other = connect(ensemble.member(3))
        other.sync(base)
        assert other.get(base + "/eph")[1].ephemeralOwner == session_id
        other.create(base + "/watched")
        assert fired.wait(CLIENT_TIMEOUT), "the watch moved with the session"
    finally:
        proxy.close()


def _connected_member(ensemble, session_id):
    """The member whose `cons` lists the session."""
    needle = "sid=0x%x" % session_id
    owners = [m for m in ensemble if needle in m.word("cons")]
    return owners[0] if len(owners) == 1 else None


def test_an_ephemeral_is_seen_on_every_member_and_vanishes_everywhere_when_its_session_closes(
        ensemble, connect, base):
    owner = KazooClient(hosts=ensemble.member(4).hostport, timeout=10.0)
    owner.start(timeout=CLIENT_TIMEOUT)
    try:
        session_id = owner.client_id[0]
        owner.create(base + "/eph", ephemeral=True)
        readers = [connect(m) for m in ensemble]
        for r in readers:
            r.sync(base)
            assert r.exists(base + "/eph").ephemeralOwner == session_id
    finally:
        owner.stop()
        owner.close()
    for r in readers:
        r.sync(base)
        assert r.exists(base + "/eph") is None


def test_a_watch_set_on_one_member_fires_for_a_change_made_through_another(
        ensemble, connect, base):
    watchers = [connect(m) for m in ensemble]
    writer = connect(ensemble.leader())
    writer.create(base + "/node", b"a")
    events = [[] for _ in watchers]
    for w, got in zip(watchers, events):
        w.sync(base)
        w.get(base + "/node", watch=got.append)
        w.get_children(base, watch=got.append)
    writer.set(base + "/node", b"b")
    writer.create(base + "/child")
    for got in events:
        wait_until(lambda: len(got) == 2, timeout=10, message="two watch events")
        assert sorted(e.type for e in got) == ["CHANGED", "CHILD"]


def test_an_observer_serves_reads_and_forwards_writes(ensemble, connect, base):
    observer = ensemble.member(4)
    assert observer.mode() == "observer"
    c = connect(observer)
    path = c.create(base + "/via-observer", b"o")
    leader_client = connect(ensemble.leader())
    leader_client.sync(path)
    assert leader_client.get(path)[0] == b"o"
