"""Watches: which operations fire which events, one-shot delivery, ordering."""

import queue

from kazoo.protocol.states import EventType

from harness import jute, raw

EVENT_TIMEOUT = 10.0


class Recorder:
    """A kazoo watch callback that queues the events it receives."""

    def __init__(self):
        self.events = queue.Queue()

    def __call__(self, event):
        self.events.put(event)

    def next(self):
        try:
            return self.events.get(timeout=EVENT_TIMEOUT)
        except queue.Empty:
            raise AssertionError("no watch event within %.0fs" % EVENT_TIMEOUT)

    def pending(self):
        return self.events.qsize()


def barrier(zk, path):
    """Fires and awaits a fresh watch on `path`: events queued before it have arrived."""
    marker = Recorder()
    zk.exists(path + "/barrier", watch=marker)
    zk.create(path + "/barrier")
    assert marker.next().type == EventType.CREATED
    zk.delete(path + "/barrier")


def test_data_watch_fires_changed_on_set(zk, base_path):
    path = zk.create(base_path + "/n", b"1")
    w = Recorder()
    zk.get(path, watch=w)
    zk.set(path, b"2")
    event = w.next()
    assert event.type == EventType.CHANGED
    assert event.path == path
    assert event.state == "CONNECTED"


def test_data_watch_fires_deleted_on_delete(zk, base_path):
    path = zk.create(base_path + "/n")
    w = Recorder()
    zk.get(path, watch=w)
    zk.delete(path)
    assert w.next().type == EventType.DELETED


def test_exists_watch_on_missing_node_fires_created(zk, base_path):
    path = base_path + "/later"
    w = Recorder()
    assert zk.exists(path, watch=w) is None
    zk.create(path)
    event = w.next()
    assert event.type == EventType.CREATED and event.path == path


def test_exists_watch_on_present_node_fires_changed_and_deleted(zk, base_path):
    path = zk.create(base_path + "/n")
    w1, w2 = Recorder(), Recorder()
    zk.exists(path, watch=w1)
    zk.set(path, b"x")
    assert w1.next().type == EventType.CHANGED
    zk.exists(path, watch=w2)
    zk.delete(path)
    assert w2.next().type == EventType.DELETED


def test_child_watch_fires_on_child_create_and_delete(zk, base_path):
    w1, w2 = Recorder(), Recorder()
    zk.get_children(base_path, watch=w1)
    zk.create(base_path + "/c")
    event = w1.next()
    assert event.type == EventType.CHILD and event.path == base_path
    zk.get_children(base_path, watch=w2)
    zk.delete(base_path + "/c")
    assert w2.next().type == EventType.CHILD


def test_child_watch_fires_deleted_when_the_parent_goes(zk, base_path):
    path = zk.create(base_path + "/p")
    w = Recorder()
    zk.get_children(path, watch=w)
    zk.delete(path)
    event = w.next()
    assert event.type == EventType.DELETED and event.path == path


def raw_events_until_barrier(s, zk, base_path):
    """All events the raw session gets before a barrier event it set up last.

    kazoo drops events it has no callback for, so exactly-once delivery is
    checked on a raw session: events on one session arrive in order.
    """
    barrier = base_path + "/barrier"
    assert s.exists(barrier, watch=True)[0].err == jute.NO_NODE
    zk.create(barrier)
    events = []
    while True:
        event = s.wait_event()
        if event["path"] == barrier:
            zk.delete(barrier)
            return events
        events.append(event)


def test_child_watch_ignores_data_changes(zk, zk_server, base_path):
    path = zk.create(base_path + "/p")
    zk.create(path + "/c")
    with raw.open_session(zk_server.host, zk_server.port) as s:
        assert s.get_children(path, watch=True)[0].err == jute.OK
        zk.set(path, b"parent data")
        zk.set(path + "/c", b"child data")
        assert raw_events_until_barrier(s, zk, base_path) == []


def test_data_watch_ignores_child_changes(zk, zk_server, base_path):
    path = zk.create(base_path + "/p")
    with raw.open_session(zk_server.host, zk_server.port) as s:
        assert s.get_data(path, watch=True)[0].err == jute.OK
        zk.create(path + "/c")
        assert raw_events_until_barrier(s, zk, base_path) == []


def test_watches_are_one_shot(zk, zk_server, base_path):
    path = zk.create(base_path + "/n")
    with raw.open_session(zk_server.host, zk_server.port) as s:
        assert s.get_data(path, watch=True)[0].err == jute.OK
        zk.set(path, b"1")
        zk.set(path, b"2")
        zk.set(path, b"3")
        events = raw_events_until_barrier(s, zk, base_path)
        assert events == [{"type": jute.EVENT_NODE_DATA_CHANGED,
                           "state": jute.STATE_SYNC_CONNECTED, "path": path}]


def test_one_change_fires_a_watch_set_twice_only_once(zk, zk_server, base_path):
    path = zk.create(base_path + "/n")
    with raw.open_session(zk_server.host, zk_server.port) as s:
        assert s.get_data(path, watch=True)[0].err == jute.OK
        assert s.exists(path, watch=True)[0].err == jute.OK
        zk.set(path, b"1")
        events = raw_events_until_barrier(s, zk, base_path)
        assert [e["type"] for e in events] == [jute.EVENT_NODE_DATA_CHANGED]


def test_delete_fires_data_and_child_watches_of_the_node(zk, zk_server, base_path):
    path = zk.create(base_path + "/n")
    with raw.open_session(zk_server.host, zk_server.port) as s:
        assert s.get_data(path, watch=True)[0].err == jute.OK
        assert s.get_children(path, watch=True)[0].err == jute.OK
        assert s.get_children(base_path, watch=True)[0].err == jute.OK
        zk.delete(path)
        events = raw_events_until_barrier(s, zk, base_path)
        # The node's own watches each say NodeDeleted once; the parent's says
        # its children changed. The parent's child watch was consumed, so
        # the barrier's creation below it fires nothing more.
        assert sorted((e["type"], e["path"]) for e in events) == [
            (jute.EVENT_NODE_DELETED, path),
            (jute.EVENT_NODE_CHILDREN_CHANGED, base_path),
        ]


def test_every_watching_session_gets_the_event(zk, zk_server, client_factory, base_path):
    other = client_factory(zk_server.hostport)
    path = zk.create(base_path + "/n")
    mine, theirs = Recorder(), Recorder()
    zk.get(path, watch=mine)
    other.get(path, watch=theirs)
    zk.set(path, b"x")
    assert mine.next().type == EventType.CHANGED
    assert theirs.next().type == EventType.CHANGED


def test_watch_event_arrives_before_the_reply_that_shows_the_change(zk, zk_server, base_path):
    path = zk.create(base_path + "/n", b"old")
    with raw.open_session(zk_server.host, zk_server.port) as s:
        reply, data, _ = s.get_data(path, watch=True)
        assert reply.err == jute.OK and data == b"old"
        zk.set(path, b"new")  # acknowledged before the raw client reads again
        xid = s.send(jute.OP_GET_DATA, jute.path_watch(path))
        first = s.read()
        assert first.xid == jute.XID_NOTIFICATION, "reply came before the watch event"
        event = jute.parse_watcher_event(first.body)
        assert event == {"type": jute.EVENT_NODE_DATA_CHANGED,
                         "state": jute.STATE_SYNC_CONNECTED, "path": path}
        reply = s.wait_reply(xid)
        assert reply.body.buffer() == b"new"


def test_raw_watch_events_carry_type_state_and_path(zk, zk_server, base_path):
    with raw.open_session(zk_server.host, zk_server.port) as s:
        assert s.exists(base_path + "/a", watch=True)[0].err == jute.NO_NODE
        assert s.get_children(base_path, watch=True)[0].err == jute.OK
        zk.create(base_path + "/a")
        events = [s.wait_event(), s.wait_event()]
        assert sorted((e["type"], e["path"]) for e in events) == [
            (jute.EVENT_NODE_CREATED, base_path + "/a"),
            (jute.EVENT_NODE_CHILDREN_CHANGED, base_path),
        ]
        assert all(e["state"] == jute.STATE_SYNC_CONNECTED for e in events)
