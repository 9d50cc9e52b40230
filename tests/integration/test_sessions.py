"""Sessions: ephemerals, expiry, reattaching, timeout negotiation, FIFO order, SetWatches."""

import threading

from kazoo.client import KazooClient
from kazoo.protocol.states import EventType, KazooState

from harness import jute, raw
from harness.wait import wait_until


def gone(zk, path):
    return lambda: zk.exists(path) is None


def test_ephemerals_are_deleted_when_the_session_closes(zk, zk_server, client_factory,
                                                         base_path):
    owner = client_factory(zk_server.hostport)
    path = owner.create(base_path + "/e", ephemeral=True)
    deleted = threading.Event()
    zk.exists(path, watch=lambda e: e.type == EventType.DELETED and deleted.set())
    owner.stop()
    # Closing is a transaction: it is done once stop() returns.
    assert zk.exists(path) is None
    assert deleted.wait(10)


def test_ephemerals_are_deleted_when_the_session_expires(zk, zk_server, base_path):
    s = raw.open_session(zk_server.host, zk_server.port, timeout_ms=4000)
    timeout_s = s.negotiated_timeout / 1000.0
    s.sock.settimeout(timeout_s * 4)
    try:
        reply, path = s.create(base_path + "/e", flags=jute.EPHEMERAL)
        assert reply.err == jute.OK
        deleted = threading.Event()
        zk.exists(path, watch=lambda e: e.type == EventType.DELETED and deleted.set())
        # The raw session never pings: the server must expire it and close the socket.
        assert s.expect_closed(), "server did not close an expired session"
        assert deleted.wait(timeout_s * 2)
        assert zk.exists(path) is None
    finally:
        s.close()


def test_a_pinging_session_outlives_its_timeout(zk_server, base_path, zk):
    s = raw.open_session(zk_server.host, zk_server.port, timeout_ms=4000)
    try:
        reply, path = s.create(base_path + "/e", flags=jute.EPHEMERAL)
        assert reply.err == jute.OK
        stop = threading.Event()
        for _ in range(8):  # 8 pings a second apart: twice the session timeout
            assert s.ping().err == jute.OK
            stop.wait(1.0)
        assert zk.exists(path) is not None
    finally:
        s.close()


def test_reattaching_by_id_and_password_keeps_ephemerals(zk_server, client_factory, base_path):
    owner = raw.open_session(zk_server.host, zk_server.port, timeout_ms=10000)
    reply, path = owner.create(base_path + "/e", flags=jute.EPHEMERAL)
    assert reply.err == jute.OK
    session = (owner.session_id, owner.passwd)
    owner.close()  # drop the connection, not the session

    again = client_factory(zk_server.hostport, client_id=session)
    assert again.client_id[0] == session[0]
    stat = again.exists(path)
    assert stat is not None and stat.ephemeralOwner == session[0]
    again.stop()
    observer = client_factory(zk_server.hostport)
    assert observer.exists(path) is None


def test_a_wrong_password_is_answered_as_an_expired_session(zk_server, base_path, zk):
    owner = raw.open_session(zk_server.host, zk_server.port)
    try:
        reply, path = owner.create(base_path + "/e", flags=jute.EPHEMERAL)
        assert reply.err == jute.OK
        bad = bytes(b ^ 0xFF for b in owner.passwd)
        with raw.RawSession(zk_server.host, zk_server.port) as intruder:
            resp = intruder.handshake(session_id=owner.session_id, passwd=bad)
            assert resp is not None, "server closed without a ConnectResponse"
            assert resp["timeOut"] == 0
            assert resp["sessionId"] == 0
            assert intruder.expect_closed()
        # The owner's session is untouched (its connection may have been
        # closed): its ephemeral stays and the right password still works.
        assert zk.exists(path).ephemeralOwner == owner.session_id
        with raw.RawSession(zk_server.host, zk_server.port) as again:
            resp = again.handshake(session_id=owner.session_id, passwd=owner.passwd)
            assert resp["sessionId"] == owner.session_id and resp["timeOut"] > 0
            assert again.exists(path)[0].err == jute.OK
    finally:
        owner.close()


def test_an_unknown_session_id_is_answered_as_expired(zk_server):
    with raw.RawSession(zk_server.host, zk_server.port) as s:
        resp = s.handshake(session_id=0x7EADBEEF00000001, passwd=b"p" * 16)
        assert resp is not None and resp["timeOut"] == 0
        assert s.expect_closed()


def test_kazoo_with_a_wrong_password_loses_that_session(zk_server):
    owner = raw.open_session(zk_server.host, zk_server.port)
    try:
        states = []
        bad = (owner.session_id, b"\x00" * 16)
        c = KazooClient(hosts=zk_server.hostport, client_id=bad, timeout=10.0)
        c.add_listener(states.append)
        try:
            c.start(timeout=15)
            # kazoo drops the refused session and continues with a new one.
            assert c.client_id[0] != owner.session_id
            assert states[-1] == KazooState.CONNECTED
        finally:
            c.stop()
            c.close()
    finally:
        owner.close()


def negotiated(server, requested_ms):
    with raw.RawSession(server.host, server.port) as s:
        resp = s.handshake(timeout_ms=requested_ms)
        s.close_session()
        return resp["timeOut"]


def test_session_timeout_is_clamped_to_tick_bounds(server_factory):
    srv = server_factory({"tickTime": "500"})
    assert negotiated(srv, 1) == 1000  # 2 * tickTime
    assert negotiated(srv, 999) == 1000
    assert negotiated(srv, 3000) == 3000
    assert negotiated(srv, 10000) == 10000  # 20 * tickTime
    assert negotiated(srv, 600000) == 10000


def test_session_timeout_is_clamped_to_configured_bounds(server_factory):
    srv = server_factory({"minSessionTimeout": "5000", "maxSessionTimeout": "8000"})
    assert negotiated(srv, 100) == 5000
    assert negotiated(srv, 6500) == 6500
    assert negotiated(srv, 120000) == 8000


def test_async_operations_of_one_session_complete_in_order(zk, base_path):
    path = zk.create(base_path + "/fifo", b"-1")
    completions = []
    lock = threading.Lock()

    def record(tag):
        def cb(result):
            with lock:
                completions.append(tag)
        return cb

    results = []
    for i in range(200):
        if i % 2 == 0:
            r = zk.set_async(path, str(i).encode())
        else:
            r = zk.get_async(path)
        r.rawlink(record(i))
        results.append(r)
    for i, r in enumerate(results):
        value = r.get(timeout=30)
        if i % 2 == 0:
            assert value.version == i // 2 + 1
        else:
            assert value[0] == str(i - 1).encode(), "read %d did not see the write before it" % i
    wait_until(lambda: len(completions) == 200, timeout=10, message="all callbacks")
    assert completions == list(range(200))


def test_pipelined_raw_requests_are_answered_in_request_order(zk_server, base_path):
    with raw.open_session(zk_server.host, zk_server.port) as s:
        xids = []
        for i in range(100):
            xids.append(s.send(jute.OP_CREATE, jute.create_body("%s/n%03d" % (base_path, i))))
            xids.append(s.send(jute.OP_EXISTS, jute.path_watch("%s/n%03d" % (base_path, i))))
            xids.append(s.send(jute.OP_GET_DATA, jute.path_watch(base_path + "/missing")))
        seen = []
        zxids = []
        for _ in xids:
            reply = s.read()
            seen.append(reply.xid)
            if reply.xid % 3 == 1:
                assert reply.err == jute.OK
                zxids.append(reply.zxid)
            elif reply.xid % 3 == 2:
                assert reply.err == jute.OK
            else:
                assert reply.err == jute.NO_NODE
        assert seen == xids
        assert zxids == sorted(zxids) and len(set(zxids)) == len(zxids)


def test_set_watches_after_reconnect_fires_missed_events(zk, zk_server, base_path):
    data_path = zk.create(base_path + "/d", b"1")
    child_parent = zk.create(base_path + "/p")
    doomed = zk.create(base_path + "/doomed")
    unborn = base_path + "/unborn"
    quiet = zk.create(base_path + "/quiet")

    s = raw.open_session(zk_server.host, zk_server.port, timeout_ms=20000)
    assert s.get_data(data_path, watch=True)[0].err == jute.OK
    assert s.get_children(child_parent, watch=True)[0].err == jute.OK
    assert s.get_data(doomed, watch=True)[0].err == jute.OK
    assert s.exists(unborn, watch=True)[0].err == jute.NO_NODE
    assert s.get_data(quiet, watch=True)[0].err == jute.OK
    session = (s.session_id, s.passwd, s.last_zxid)
    s.close()

    zk.set(data_path, b"2")
    zk.create(child_parent + "/c")
    zk.delete(doomed)
    zk.create(unborn)

    with raw.RawSession(zk_server.host, zk_server.port) as s2:
        resp = s2.handshake(timeout_ms=20000, session_id=session[0], passwd=session[1],
                            last_zxid=session[2])
        assert resp["sessionId"] == session[0]
        s2.send(jute.OP_SET_WATCHES,
                jute.set_watches_body(session[2], data=[data_path, doomed, quiet],
                                      exist=[unborn], child=[child_parent]),
                xid=jute.XID_SET_WATCHES)
        reply = s2.wait_reply(jute.XID_SET_WATCHES)
        assert reply.err == jute.OK
        # Missed events come before the SetWatches reply.
        got = sorted((e["type"], e["path"]) for e in s2.events)
        assert got == sorted([
            (jute.EVENT_NODE_DATA_CHANGED, data_path),
            (jute.EVENT_NODE_CHILDREN_CHANGED, child_parent),
            (jute.EVENT_NODE_DELETED, doomed),
            (jute.EVENT_NODE_CREATED, unborn),
        ])
        # The untouched node's watch was re-armed, not fired.
        s2.events.clear()
        zk.set(quiet, b"now")
        assert s2.wait_event() == {"type": jute.EVENT_NODE_DATA_CHANGED,
                                   "state": jute.STATE_SYNC_CONNECTED, "path": quiet}


def test_data_survives_a_server_restart(server_factory, client_factory):
    srv = server_factory()
    c = client_factory(srv.hostport)
    c.create("/keep/a", b"data", makepath=True)
    c.set("/keep/a", b"data2")
    c.stop()
    srv.restart()
    c2 = client_factory(srv.hostport)
    data, stat = c2.get("/keep/a")
    assert data == b"data2" and stat.version == 1
    assert c2.get_children("/keep") == ["a"]


def test_a_session_survives_a_server_restart(server_factory, client_factory):
    srv = server_factory()
    c = client_factory(srv.hostport, timeout=30.0)
    states = []
    c.add_listener(states.append)
    c.create("/eph", ephemeral=True)
    session_id = c.client_id[0]
    srv.restart()
    wait_until(lambda: KazooState.LOST in states or (states and c.connected), timeout=30,
               message="kazoo to reconnect or lose its session")
    assert KazooState.LOST not in states, "the session did not survive the restart"
    assert c.client_id[0] == session_id
    assert c.exists("/eph").ephemeralOwner == session_id
