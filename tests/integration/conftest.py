"""Fixtures for the integration tests.

ZK_IMPL=ours|apache picks the server (default ours, from ZKSERVER_BIN).
`zk_server` is one server shared by a test module; tests that need their own
configuration or a restart use `server_factory`. Tests on the shared server
work under their own `base_path`, so they never see each other's nodes.
"""

import re
import uuid

import pytest
from kazoo.client import KazooClient

from harness import server as server_mod
from harness import wait

CLIENT_START_TIMEOUT = 15.0


def pytest_report_header(config):
    return "zk implementation: %s" % server_mod.impl()


@pytest.fixture(scope="module")
def zk_server(tmp_path_factory):
    srv = server_mod.ServerProcess(tmp_path_factory.mktemp("zk"))
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def server_factory(tmp_path):
    """Starts dedicated servers: server_factory(extra_cfg={...}) -> ServerProcess."""
    started = []

    def make(extra_cfg=None, name=None, system_props=None):
        name = name or "srv%d" % len(started)
        srv = server_mod.ServerProcess(tmp_path / name, extra_cfg=extra_cfg, name=name,
                                       system_props=system_props)
        started.append(srv)
        srv.start()
        return srv

    try:
        yield make
    finally:
        for srv in started:
            srv.stop()


@pytest.fixture
def client_factory():
    """Started KazooClients that are always stopped and closed after the test."""
    clients = []

    def make(hosts, **kw):
        kw.setdefault("timeout", 10.0)
        c = KazooClient(hosts=hosts, **kw)
        clients.append(c)
        c.start(timeout=CLIENT_START_TIMEOUT)
        return c

    try:
        yield make
    finally:
        for c in clients:
            try:
                c.stop()
            finally:
                c.close()


@pytest.fixture
def zk(zk_server, client_factory):
    """A connected kazoo client on the module's shared server."""
    return client_factory(zk_server.hostport)


@pytest.fixture
def base_path(request, zk_server, client_factory):
    """A fresh persistent node for this test; removed afterwards."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", request.node.name)[:60]
    path = "/it_%s_%s" % (name, uuid.uuid4().hex[:8])
    admin = client_factory(zk_server.hostport)
    admin.create(path)
    yield path
    if admin.connected:
        admin.delete(path, recursive=True)


@pytest.fixture
def wait_until():
    return wait.wait_until
