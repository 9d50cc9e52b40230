"""A raw-socket ZooKeeper session for tests that need to control every byte.

It never pings on its own, so a test decides when (or whether) the session
stays alive. Every socket operation has a timeout.
"""

import socket

from . import jute

DEFAULT_IO_TIMEOUT = 10.0


class ConnectionClosed(Exception):
    pass


class Reply:
    def __init__(self, header, body):
        self.xid = header["xid"]
        self.zxid = header["zxid"]
        self.err = header["err"]
        self.body = body  # a jute.Reader positioned after the reply header

    def __repr__(self):
        return "Reply(xid=%d, zxid=%#x, err=%d)" % (self.xid, self.zxid, self.err)


class RawSession:
    def __init__(self, host, port, io_timeout=DEFAULT_IO_TIMEOUT):
        self.sock = socket.create_connection((host, port), timeout=io_timeout)
        self.sock.settimeout(io_timeout)
        self.next_xid = 1
        self.events = []  # watcher events received while waiting for replies
        self.session_id = None
        self.passwd = None
        self.negotiated_timeout = None
        self.last_zxid = 0

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # Handshake ------------------------------------------------------------
    def handshake(self, timeout_ms=10000, session_id=0, passwd=b"\x00" * 16, last_zxid=0,
                  read_only=False):
        """Sends ConnectRequest and returns the parsed ConnectResponse (None on EOF)."""
        jute.send_frame(self.sock,
                        jute.connect_request(timeout_ms, session_id, passwd, last_zxid, read_only))
        payload = jute.recv_frame(self.sock)
        if payload is None:
            return None
        resp = jute.parse_connect_response(payload)
        self.session_id = resp["sessionId"]
        self.passwd = resp["passwd"]
        self.negotiated_timeout = resp["timeOut"]
        return resp

    # Requests -------------------------------------------------------------
    def send(self, op, body=b"", xid=None):
        """Sends one request without waiting; returns its xid."""
        if xid is None:
            xid = self.next_xid
            self.next_xid += 1
        jute.send_frame(self.sock, jute.request_header(xid, op) + body)
        return xid

    def read(self):
        """The next frame as a Reply (watch events too: xid -1). Raises on EOF."""
        payload = jute.recv_frame(self.sock)
        if payload is None:
            raise ConnectionClosed()
        r = jute.Reader(payload)
        reply = Reply(jute.parse_reply_header(r), r)
        if reply.zxid > 0:
            self.last_zxid = max(self.last_zxid, reply.zxid)
        return reply

    def wait_reply(self, xid):
        """Reads until the reply for `xid`, collecting watch events on the way."""
        while True:
            reply = self.read()
            if reply.xid == jute.XID_NOTIFICATION:
                self.events.append(jute.parse_watcher_event(reply.body))
                continue
            if reply.xid == xid:
                return reply
            if reply.xid == jute.XID_PING:
                continue
            raise AssertionError("reply for xid %d while waiting for %d" % (reply.xid, xid))

    def call(self, op, body=b""):
        return self.wait_reply(self.send(op, body))

    def wait_event(self):
        """The next watch event (already buffered or read from the socket)."""
        if self.events:
            return self.events.pop(0)
        while True:
            reply = self.read()
            if reply.xid == jute.XID_NOTIFICATION:
                return jute.parse_watcher_event(reply.body)
            if reply.xid != jute.XID_PING:
                raise AssertionError("unexpected reply %r while waiting for an event" % reply)

    def expect_closed(self):
        """True when the server closes the connection (EOF or reset) before the timeout."""
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False

    # Convenience wrappers -------------------------------------------------
    def ping(self):
        return self.wait_reply(self.send(jute.OP_PING, xid=jute.XID_PING))

    def create(self, path, data=b"", flags=jute.PERSISTENT, acl=jute.OPEN_ACL_UNSAFE):
        reply = self.call(jute.OP_CREATE, jute.create_body(path, data, acl, flags))
        return reply, (reply.body.string() if reply.err == jute.OK else None)

    def get_data(self, path, watch=False):
        reply = self.call(jute.OP_GET_DATA, jute.path_watch(path, watch))
        if reply.err != jute.OK:
            return reply, None, None
        return reply, reply.body.buffer(), reply.body.stat()

    def set_data(self, path, data, version=-1):
        reply = self.call(jute.OP_SET_DATA, jute.set_data_body(path, data, version))
        return reply, (reply.body.stat() if reply.err == jute.OK else None)

    def exists(self, path, watch=False):
        reply = self.call(jute.OP_EXISTS, jute.path_watch(path, watch))
        return reply, (reply.body.stat() if reply.err == jute.OK else None)

    def get_children(self, path, watch=False):
        reply = self.call(jute.OP_GET_CHILDREN, jute.path_watch(path, watch))
        return reply, (reply.body.strings() if reply.err == jute.OK else None)

    def delete(self, path, version=-1):
        return self.call(jute.OP_DELETE, jute.delete_body(path, version))

    def close_session(self):
        return self.call(jute.OP_CLOSE_SESSION)


def open_session(host, port, timeout_ms=10000, **kw):
    """A RawSession that has completed its handshake."""
    s = RawSession(host, port)
    resp = s.handshake(timeout_ms=timeout_ms, **kw)
    if resp is None or resp["timeOut"] <= 0:
        s.close()
        raise AssertionError("handshake refused: %r" % (resp,))
    return s
