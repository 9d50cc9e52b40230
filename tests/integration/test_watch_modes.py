"""addWatch (persistent and persistent-recursive), checkWatches and
removeWatches over the raw protocol, as ZooKeeper 3.8 answers them."""

from harness import jute, raw

OP_CHECK_WATCHES = 17
OP_REMOVE_WATCHES = 18
OP_ADD_WATCH = 106
NO_WATCHER = -121
MODE_PERSISTENT = 0
MODE_PERSISTENT_RECURSIVE = 1
TYPE_CHILDREN, TYPE_DATA, TYPE_ANY = 1, 2, 3


def add_watch(s, path, mode):
    reply = s.call(OP_ADD_WATCH, jute.Writer().string(path).int(mode).bytes())
    assert reply.err == jute.OK
    assert reply.body.int() == 0  # an ErrorResponse carrying 0
    return reply


def watch_request(s, op, path, watcher_type):
    return s.call(op, jute.Writer().string(path).int(watcher_type).bytes())


def test_a_persistent_watch_fires_on_every_change_of_its_node(zk_server, base_path):
    path = base_path + "/p"
    with raw.open_session(zk_server.host, zk_server.port) as s:
        add_watch(s, path, MODE_PERSISTENT)
        assert s.create(path, b"1")[0].err == jute.OK
        assert s.wait_event()["type"] == jute.EVENT_NODE_CREATED
        for value in (b"2", b"3"):
            assert s.set_data(path, value)[0].err == jute.OK
            event = s.wait_event()
            assert event == {"type": jute.EVENT_NODE_DATA_CHANGED,
                             "state": jute.STATE_SYNC_CONNECTED, "path": path}
        assert s.create(path + "/c")[0].err == jute.OK
        assert s.wait_event()["type"] == jute.EVENT_NODE_CHILDREN_CHANGED


def test_a_recursive_watch_sees_changes_below_but_no_child_events(zk_server, base_path):
    root = base_path + "/r"
    with raw.open_session(zk_server.host, zk_server.port) as s:
        assert s.create(root)[0].err == jute.OK
        add_watch(s, root, MODE_PERSISTENT_RECURSIVE)
        assert s.create(root + "/a")[0].err == jute.OK
        assert s.wait_event() == {"type": jute.EVENT_NODE_CREATED,
                                  "state": jute.STATE_SYNC_CONNECTED, "path": root + "/a"}
        assert s.create(root + "/a/b")[0].err == jute.OK
        assert s.wait_event()["path"] == root + "/a/b"
        assert s.delete(root + "/a/b").err == jute.OK
        assert s.wait_event() == {"type": jute.EVENT_NODE_DELETED,
                                  "state": jute.STATE_SYNC_CONNECTED, "path": root + "/a/b"}


def test_check_and_remove_watches_answer_no_watcher_when_there_is_none(zk_server, base_path):
    path = base_path + "/w"
    with raw.open_session(zk_server.host, zk_server.port) as s:
        assert s.create(path)[0].err == jute.OK
        assert watch_request(s, OP_CHECK_WATCHES, path, TYPE_DATA).err == NO_WATCHER
        assert s.get_data(path, watch=True)[0].err == jute.OK
        assert watch_request(s, OP_CHECK_WATCHES, path, TYPE_DATA).err == jute.OK
        assert watch_request(s, OP_CHECK_WATCHES, path, TYPE_CHILDREN).err == NO_WATCHER
        assert watch_request(s, OP_REMOVE_WATCHES, path, TYPE_ANY).err == jute.OK
        assert watch_request(s, OP_CHECK_WATCHES, path, TYPE_DATA).err == NO_WATCHER
        assert watch_request(s, OP_REMOVE_WATCHES, path, TYPE_DATA).err == NO_WATCHER
        # The removed watch no longer fires: the next event is from a fresh watch.
        assert s.set_data(path, b"x")[0].err == jute.OK
        assert s.exists(path, watch=True)[0].err == jute.OK
        assert s.delete(path).err == jute.OK
        assert s.wait_event()["type"] == jute.EVENT_NODE_DELETED
