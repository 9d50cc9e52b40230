"""Container and TTL znodes: created over the raw protocol, removed by the
server's periodic check, as ZooKeeper 3.8 does. The check interval and
extended types are given as Java system properties (SERVER_JVMFLAGS for us,
-D flags for Apache)."""

import pytest

from harness import jute, raw
from harness.wait import wait_until

OP_CREATE_CONTAINER = 19
OP_CREATE_TTL = 21
CONTAINER = 4
PERSISTENT_WITH_TTL = 5
PERSISTENT_SEQUENTIAL_WITH_TTL = 6

FAST_CHECKS = {"znode.container.checkIntervalMs": "100"}


def create_container(s, path):
    return s.call(OP_CREATE_CONTAINER, jute.create_body(path, b"", flags=CONTAINER))


def create_ttl(s, path, ttl, flags=PERSISTENT_WITH_TTL):
    body = (jute.Writer().string(path).buffer(b"t").acls(jute.OPEN_ACL_UNSAFE).int(flags)
            .long(ttl).bytes())
    return s.call(OP_CREATE_TTL, body)


def gone(s, path):
    return s.exists(path)[0].err == jute.NO_NODE


@pytest.fixture
def fast_server(server_factory):
    props = dict(FAST_CHECKS)
    props["zookeeper.extendedTypesEnabled"] = "true"
    return server_factory(system_props=props)


def test_a_container_goes_once_its_last_child_is_gone(fast_server):
    with raw.open_session(fast_server.host, fast_server.port) as s:
        reply = create_container(s, "/c")
        assert reply.err == jute.OK
        assert reply.body.string() == "/c"
        assert reply.body.stat()["ephemeralOwner"] == 0
        assert s.create("/c/child")[0].err == jute.OK
        assert s.delete("/c/child").err == jute.OK
        assert wait_until(lambda: gone(s, "/c"), timeout=10)


def test_a_container_that_never_had_children_stays(fast_server):
    with raw.open_session(fast_server.host, fast_server.port) as s:
        assert create_container(s, "/empty").err == jute.OK
        assert create_container(s, "/witness").err == jute.OK
        assert s.create("/witness/x")[0].err == jute.OK
        assert s.delete("/witness/x").err == jute.OK
        assert wait_until(lambda: gone(s, "/witness"), timeout=10)
        assert s.exists("/empty")[0].err == jute.OK


def test_a_ttl_node_expires_when_unmodified_and_childless(fast_server):
    with raw.open_session(fast_server.host, fast_server.port) as s:
        assert create_ttl(s, "/t", 500).err == jute.OK
        assert create_ttl(s, "/kept", 500).err == jute.OK
        assert s.create("/kept/child")[0].err == jute.OK
        assert wait_until(lambda: gone(s, "/t"), timeout=10)
        assert s.exists("/kept")[0].err == jute.OK
        reply = create_ttl(s, "/seq-", 60000, PERSISTENT_SEQUENTIAL_WITH_TTL)
        assert reply.err == jute.OK and reply.body.string() == "/seq-0000000002"


def test_ttl_arguments_are_checked(fast_server):
    with raw.open_session(fast_server.host, fast_server.port) as s:
        assert create_ttl(s, "/bad", 0).err == jute.BAD_ARGUMENTS
        assert create_ttl(s, "/bad", 100, flags=jute.PERSISTENT).err == jute.BAD_ARGUMENTS


def test_ttl_nodes_need_extended_types(server_factory):
    srv = server_factory(system_props=FAST_CHECKS)
    with raw.open_session(srv.host, srv.port) as s:
        assert create_ttl(s, "/t", 1000).err == jute.UNIMPLEMENTED
