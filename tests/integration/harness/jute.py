"""A small Jute encoder/decoder for the client protocol records the tests need.

Jute is big-endian: int = 4 bytes, long = 8, boolean = 1, buffer/ustring =
int length (-1 for null) then bytes, vector = int count then items. Every
frame on the wire is an int length followed by that many bytes.
"""

import struct

# Opcodes (ZooDefs.OpCode).
OP_NOTIFICATION = 0
OP_CREATE = 1
OP_DELETE = 2
OP_EXISTS = 3
OP_GET_DATA = 4
OP_SET_DATA = 5
OP_GET_ACL = 6
OP_SET_ACL = 7
OP_GET_CHILDREN = 8
OP_SYNC = 9
OP_PING = 11
OP_GET_CHILDREN2 = 12
OP_CHECK = 13
OP_MULTI = 14
OP_CREATE2 = 15
OP_SET_WATCHES = 101
OP_CLOSE_SESSION = -11

# Special xids.
XID_NOTIFICATION = -1
XID_PING = -2
XID_SET_WATCHES = -8

# Error codes (KeeperException.Code).
OK = 0
UNIMPLEMENTED = -6
BAD_ARGUMENTS = -8
NO_NODE = -101
BAD_VERSION = -103
NO_CHILDREN_FOR_EPHEMERALS = -108
NODE_EXISTS = -110
NOT_EMPTY = -111
SESSION_EXPIRED = -112

# Event types and states (Watcher.Event).
EVENT_NODE_CREATED = 1
EVENT_NODE_DELETED = 2
EVENT_NODE_DATA_CHANGED = 3
EVENT_NODE_CHILDREN_CHANGED = 4
STATE_SYNC_CONNECTED = 3

# Create modes.
PERSISTENT = 0
EPHEMERAL = 1
PERSISTENT_SEQUENTIAL = 2
EPHEMERAL_SEQUENTIAL = 3

PERM_ALL = 31
OPEN_ACL_UNSAFE = [(PERM_ALL, "world", "anyone")]

STAT_FIELDS = ("czxid", "mzxid", "ctime", "mtime", "version", "cversion", "aversion",
               "ephemeralOwner", "dataLength", "numChildren", "pzxid")
_STAT_FORMAT = ">qqqqiiiqiiq"
STAT_SIZE = struct.calcsize(_STAT_FORMAT)


class DecodeError(Exception):
    pass


class Writer:
    def __init__(self):
        self.parts = []

    def int(self, v):
        self.parts.append(struct.pack(">i", v))
        return self

    def long(self, v):
        self.parts.append(struct.pack(">q", v))
        return self

    def bool(self, v):
        self.parts.append(b"\x01" if v else b"\x00")
        return self

    def buffer(self, v):
        if v is None:
            return self.int(-1)
        self.int(len(v))
        self.parts.append(bytes(v))
        return self

    def string(self, v):
        return self.buffer(None if v is None else v.encode("utf-8"))

    def strings(self, values):
        self.int(len(values))
        for v in values:
            self.string(v)
        return self

    def acls(self, acls):
        self.int(len(acls))
        for perms, scheme, ident in acls:
            self.int(perms).string(scheme).string(ident)
        return self

    def bytes(self):
        return b"".join(self.parts)


class Reader:
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def _take(self, n):
        if n < 0 or self.pos + n > len(self.data):
            raise DecodeError("need %d bytes at %d of %d" % (n, self.pos, len(self.data)))
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def int(self):
        return struct.unpack(">i", self._take(4))[0]

    def long(self):
        return struct.unpack(">q", self._take(8))[0]

    def bool(self):
        return self._take(1) != b"\x00"

    def buffer(self):
        n = self.int()
        return None if n == -1 else self._take(n)

    def string(self):
        b = self.buffer()
        return None if b is None else b.decode("utf-8")

    def strings(self):
        n = self.int()
        return [] if n == -1 else [self.string() for _ in range(n)]

    def stat(self):
        return dict(zip(STAT_FIELDS, struct.unpack(_STAT_FORMAT, self._take(STAT_SIZE))))

    def remaining(self):
        return len(self.data) - self.pos


def frame(payload):
    return struct.pack(">i", len(payload)) + payload


def send_frame(sock, payload):
    sock.sendall(frame(payload))


def recv_exact(sock, n):
    """Reads exactly n bytes, or returns None on EOF/reset before that."""
    chunks = []
    while n > 0:
        try:
            chunk = sock.recv(n)
        except ConnectionResetError:
            return None
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def recv_frame(sock, max_len=16 * 1024 * 1024):
    """One whole frame's payload, or None when the peer closed the connection."""
    head = recv_exact(sock, 4)
    if head is None:
        return None
    (n,) = struct.unpack(">i", head)
    if n < 0 or n > max_len:
        raise DecodeError("frame length %d" % n)
    return recv_exact(sock, n)


def connect_request(timeout_ms=10000, session_id=0, passwd=b"\x00" * 16, last_zxid=0,
                    read_only=False, protocol_version=0):
    """ConnectRequest; read_only=None leaves out the trailing readOnly byte (old clients)."""
    w = Writer().int(protocol_version).long(last_zxid).int(timeout_ms).long(session_id)
    w.buffer(passwd)
    if read_only is not None:
        w.bool(read_only)
    return w.bytes()


def parse_connect_response(payload):
    r = Reader(payload)
    resp = {
        "protocolVersion": r.int(),
        "timeOut": r.int(),
        "sessionId": r.long(),
        "passwd": r.buffer(),
    }
    resp["readOnly"] = r.bool() if r.remaining() >= 1 else None
    resp["trailing"] = r.remaining()
    return resp


def request_header(xid, op):
    return Writer().int(xid).int(op).bytes()


def parse_reply_header(r):
    return {"xid": r.int(), "zxid": r.long(), "err": r.int()}


def parse_watcher_event(r):
    return {"type": r.int(), "state": r.int(), "path": r.string()}


# Request bodies.
def path_watch(path, watch=False):
    return Writer().string(path).bool(watch).bytes()


def create_body(path, data=b"", acl=OPEN_ACL_UNSAFE, flags=PERSISTENT):
    return Writer().string(path).buffer(data).acls(acl).int(flags).bytes()


def set_data_body(path, data, version=-1):
    return Writer().string(path).buffer(data).int(version).bytes()


def delete_body(path, version=-1):
    return Writer().string(path).int(version).bytes()


def sync_body(path):
    return Writer().string(path).bytes()


def set_watches_body(relative_zxid, data=(), exist=(), child=()):
    return (Writer().long(relative_zxid).strings(list(data)).strings(list(exist))
            .strings(list(child)).bytes())
