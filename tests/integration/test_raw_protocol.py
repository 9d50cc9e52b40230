"""The wire protocol byte by byte: handshakes, malformed input, limits.

After every test the server must still serve a new client with all data
intact: the `sentinel` fixture checks that.
"""

import socket
import struct
import time

import pytest

from harness import jute, raw
from harness.wait import wait_until

MAX_BUFFER = 0xFFFFF  # jute.maxbuffer default


@pytest.fixture(autouse=True)
def sentinel(zk_server, base_path):
    path = base_path + "/sentinel"
    with raw.open_session(zk_server.host, zk_server.port) as s:
        assert s.create(path, b"intact")[0].err == jute.OK
    yield
    with raw.open_session(zk_server.host, zk_server.port) as s:
        reply, data, _ = s.get_data(path)
        assert reply.err == jute.OK and data == b"intact", "server lost data or stopped serving"
        s.close_session()


def test_handshake_with_read_only_byte_is_answered_with_one(zk_server):
    with raw.RawSession(zk_server.host, zk_server.port) as s:
        resp = s.handshake(timeout_ms=10000, read_only=False)
        assert resp["protocolVersion"] == 0
        assert resp["timeOut"] == 10000
        assert resp["sessionId"] != 0
        assert len(resp["passwd"]) == 16
        assert resp["readOnly"] is False
        assert resp["trailing"] == 0
        assert s.ping().err == jute.OK


def test_handshake_without_read_only_byte_is_answered_without_one(zk_server):
    with raw.RawSession(zk_server.host, zk_server.port) as s:
        resp = s.handshake(timeout_ms=10000, read_only=None)
        assert resp["sessionId"] != 0 and resp["timeOut"] == 10000
        assert resp["readOnly"] is None and resp["trailing"] == 0
        assert s.exists("/zookeeper")[0].err == jute.OK


def test_each_handshake_gets_a_new_session(zk_server):
    ids = set()
    for _ in range(5):
        with raw.open_session(zk_server.host, zk_server.port) as s:
            ids.add(s.session_id)
            s.close_session()
    assert len(ids) == 5


def test_replies_carry_the_request_xid_and_the_current_zxid(zk_server, base_path):
    with raw.open_session(zk_server.host, zk_server.port) as s:
        reply, _ = s.create(base_path + "/z")
        created_zxid = reply.zxid
        reply, _, stat = s.get_data(base_path + "/z")
        assert reply.zxid >= created_zxid
        assert stat["czxid"] == created_zxid
        xid = s.send(jute.OP_EXISTS, jute.path_watch("/"), xid=4242)
        assert s.wait_reply(xid).xid == 4242


def test_close_session_is_acknowledged_then_the_connection_closes(zk_server, base_path):
    s = raw.open_session(zk_server.host, zk_server.port)
    try:
        assert s.create(base_path + "/e", flags=jute.EPHEMERAL)[0].err == jute.OK
        assert s.close_session().err == jute.OK
        assert s.expect_closed()
    finally:
        s.close()
    with raw.open_session(zk_server.host, zk_server.port) as other:
        assert other.exists(base_path + "/e")[0].err == jute.NO_NODE


def test_garbage_bytes_close_the_connection(zk_server):
    with raw.RawSession(zk_server.host, zk_server.port) as s:
        s.sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        assert s.expect_closed()


def test_random_bytes_after_the_handshake_close_the_connection(zk_server):
    with raw.open_session(zk_server.host, zk_server.port) as s:
        s.sock.sendall(jute.frame(b"\x01\x02\x03"))
        assert s.expect_closed()


@pytest.mark.parametrize("length", [MAX_BUFFER + 1, 0x7FFFFFFF, -1])
def test_frame_length_outside_limits_closes_before_handshake(zk_server, length):
    with raw.RawSession(zk_server.host, zk_server.port) as s:
        s.sock.sendall(struct.pack(">i", length) + b"\x00" * 16)
        assert s.expect_closed()


@pytest.mark.parametrize("length", [MAX_BUFFER + 1, 0x7FFFFFFF, -5])
def test_frame_length_outside_limits_closes_after_handshake(zk_server, length):
    with raw.open_session(zk_server.host, zk_server.port) as s:
        s.sock.sendall(struct.pack(">i", length) + b"\x00" * 16)
        assert s.expect_closed()


def test_truncated_frame_then_close_leaves_the_server_healthy(zk_server):
    with raw.RawSession(zk_server.host, zk_server.port) as s:
        s.sock.sendall(struct.pack(">i", 100) + b"\x00" * 10)
    with raw.open_session(zk_server.host, zk_server.port) as s:
        s.sock.sendall(struct.pack(">i", 200) + jute.request_header(1, jute.OP_GET_DATA))


def test_half_sent_frame_does_not_stall_other_clients(zk_server, base_path):
    with raw.open_session(zk_server.host, zk_server.port) as slow:
        slow.sock.sendall(struct.pack(">i", 1000) + b"\x00" * 3)
        with raw.open_session(zk_server.host, zk_server.port) as s:
            for i in range(20):
                assert s.create("%s/n%d" % (base_path, i))[0].err == jute.OK


def test_request_before_handshake_gets_no_reply_and_is_closed(zk_server):
    with raw.RawSession(zk_server.host, zk_server.port) as s:
        s.send(jute.OP_GET_DATA, jute.path_watch("/zookeeper"))
        assert jute.recv_frame(s.sock) is None


def test_unknown_opcode_is_answered_unimplemented_and_the_connection_closed(
        zk_server, base_path):
    s = raw.open_session(zk_server.host, zk_server.port)
    try:
        assert s.create(base_path + "/e", flags=jute.EPHEMERAL)[0].err == jute.OK
        xid = s.send(999)
        reply = s.wait_reply(xid)
        assert reply.err == jute.UNIMPLEMENTED
        assert reply.body.remaining() == 0
        assert s.expect_closed()
    finally:
        s.close()
    # Only the connection was closed: the session and its ephemeral live on.
    with raw.RawSession(zk_server.host, zk_server.port) as again:
        resp = again.handshake(session_id=s.session_id, passwd=s.passwd)
        assert resp["sessionId"] == s.session_id and resp["timeOut"] > 0
        assert again.exists(base_path + "/e")[1]["ephemeralOwner"] == s.session_id
        assert again.close_session().err == jute.OK


def test_a_client_that_never_reads_does_not_stall_others(zk_server, base_path):
    big = base_path + "/big"
    with raw.open_session(zk_server.host, zk_server.port) as s:
        assert s.create(big, b"x" * 500000)[0].err == jute.OK

    hog = raw.open_session(zk_server.host, zk_server.port, timeout_ms=30000)
    try:
        hog.sock.settimeout(1.0)
        try:
            for _ in range(100):  # 50 MB of replies that nobody reads
                hog.send(jute.OP_GET_DATA, jute.path_watch(big))
        except socket.timeout:
            pass  # the server stopped reading from it: push-back is fine
        with raw.open_session(zk_server.host, zk_server.port) as s:
            started = time.monotonic()
            for i in range(50):
                assert s.create("%s/n%d" % (base_path, i), b"v")[0].err == jute.OK
                assert s.get_data(big)[0].err == jute.OK
            assert time.monotonic() - started < 20.0
    finally:
        hog.close()


def try_handshake(host, port):
    """The ConnectResponse, or None when the server refuses or drops the connection."""
    try:
        with raw.RawSession(host, port) as s:
            return s.handshake()
    except OSError:
        return None


def test_max_client_cnxns_limits_connections_per_ip(server_factory):
    srv = server_factory({"maxClientCnxns": "3"})
    sessions = [raw.open_session(srv.host, srv.port) for _ in range(3)]
    try:
        assert try_handshake(srv.host, srv.port) is None, \
            "a fourth connection from one IP was accepted"
        for s in sessions:
            assert s.ping().err == jute.OK
        sessions.pop().close()

        def fourth_fits():
            resp = try_handshake(srv.host, srv.port)
            return resp is not None and resp["timeOut"] > 0

        wait_until(fourth_fits, timeout=10, interval=0.2, message="a freed connection slot")
    finally:
        for s in sessions:
            s.close()
