"""The HTTP admin server (ZooKeeper's AdminServer) over real HTTP."""

import json
import urllib.error
import urllib.request

import pytest

from harness.server import free_port, impl
from harness.wait import wait_until


# Debian's Apache ZooKeeper ships without Jetty, so its AdminServer never starts:
# there is nothing to compare against here.
pytestmark = pytest.mark.skipif(impl() == "apache", reason="Debian's zookeeper has no Jetty")


def get(port, path):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=5) as rsp:
            return rsp.status, rsp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def admin_server(server_factory):
    port = free_port()
    srv = server_factory(extra_cfg={"admin.enableServer": "true",
                                    "admin.serverAddress": "127.0.0.1",
                                    "admin.serverPort": str(port)})
    assert wait_until(lambda: _answers(port), timeout=20)
    return srv, port


def _answers(port):
    try:
        get(port, "/commands/ruok")
        return True
    except OSError:
        return False


def test_commands_answer_json_with_the_command_name(server_factory, client_factory):
    srv, port = admin_server(server_factory)
    c = client_factory(srv.hostport)
    c.create("/adm", b"x", ephemeral=True)

    status, body = get(port, "/commands/ruok")
    assert status == 200
    assert json.loads(body)["command"] == "ruok" and json.loads(body)["error"] is None

    status, body = get(port, "/commands/monitor")
    assert status == 200
    monitor = json.loads(body)
    assert monitor["command"] == "monitor"
    assert monitor["ephemerals_count"] == 1
    assert monitor["znode_count"] >= 5

    status, body = get(port, "/commands/stat")
    assert status == 200
    assert json.loads(body)["server_stats"]["server_state"] == "standalone"

    status, body = get(port, "/commands")
    assert status == 200 and "/commands/monitor" in body


def test_an_unknown_command_is_404(server_factory):
    _, port = admin_server(server_factory)
    status, body = get(port, "/commands/no_such_command")
    assert status == 404
    assert "no_such_command" in json.loads(body)["error"]
