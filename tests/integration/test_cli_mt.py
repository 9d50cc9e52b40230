"""The C client's shell (cli_mt from Debian's zookeeper-bin) driven through stdin."""

import os
import re

import pytest

from harness.cli import CLI_MT, CliMt
from harness.proxy import Proxy

pytestmark = pytest.mark.skipif(not os.access(CLI_MT, os.X_OK),
                                reason="cli_mt not installed (Debian package zookeeper-bin)")

CONNECTED = r"^Watcher SESSION_EVENT state = CONNECTED_STATE"


def rc_line(path):
    return r"^%s: rc = (-?\d+)" % re.escape(path)


def rc_of(lines, path):
    return int(re.search(rc_line(path), lines[-1]).group(1))


@pytest.fixture
def shell_factory():
    shells = []

    def make(hostport):
        shell = CliMt(hostport)
        shells.append(shell)
        shell.expect(CONNECTED)
        return shell

    try:
        yield make
    finally:
        for shell in shells:
            shell.close()


@pytest.fixture
def shell(zk_server, shell_factory):
    return shell_factory(zk_server.hostport)


def create(shell, path, flags=""):
    cmd = "create %s%s" % ("+" + flags + " " if flags else "", path)
    lines = shell.command(cmd, r"^\[%s\]: rc = (-?\d+)" % re.escape(path))
    rc = int(re.search(r"rc = (-?\d+)", lines[-1]).group(1))
    name = None
    if rc == 0:
        name = shell.expect(r"^\tname = ")[-1].split(" = ", 1)[1]
    return rc, name


def get(shell, path):
    """(rc, data, stat dict) from the shell's get."""
    rc = rc_of(shell.command("get " + path, rc_line(path)), path)
    if rc != 0:
        return rc, None, None
    lines = shell.expect(r"^\tephemeralOwner = ")
    stat_text = "\n".join(lines)
    data = None
    for i, line in enumerate(lines):
        if re.match(r"^ value_len = \d+", line):
            data = lines[i + 1]
    stat = dict(re.findall(r"(\w+)\s*=\s*(\S+)", stat_text))
    return rc, data, stat


def children(shell, path, marker):
    """Child names from ls; a failing get on `marker` marks the end of the listing."""
    shell.send("ls " + path)
    shell.send("get " + marker)
    lines = shell.expect(rc_line(marker))
    start = next(i for i, l in enumerate(lines) if re.search(rc_line(path), l))
    assert int(re.search(r"rc = (-?\d+)", lines[start]).group(1)) == 0
    return sorted(l[1:] for l in lines[start + 1:-1] if l.startswith("\t"))


def test_create_get_ls_set_delete(shell, base_path):
    path = base_path + "/node"
    assert create(shell, path) == (0, path)

    rc, data, stat = get(shell, path)
    assert rc == 0
    assert data == "new"  # the shell's create stores the bytes "new"
    assert stat["version"] == "0"

    assert children(shell, base_path, base_path + "/marker") == ["node"]

    lines = shell.command("set %s hello" % path, rc_line(path))
    assert rc_of(lines, path) == 0
    rc, data, stat = get(shell, path)
    assert (rc, data, stat["version"]) == (0, "hello", "1")

    assert rc_of(shell.command("delete " + path, rc_line(path)), path) == 0
    assert get(shell, path)[0] == -101  # ZNONODE
    assert children(shell, base_path, base_path + "/marker") == []


def test_errors_come_back_as_c_client_codes(shell, base_path):
    path = base_path + "/p"
    assert create(shell, path)[0] == 0
    assert create(shell, path)[0] == -110  # ZNODEEXISTS
    assert create(shell, base_path + "/none/child")[0] == -101  # ZNONODE
    assert create(shell, path + "/c")[0] == 0
    assert rc_of(shell.command("delete " + path, rc_line(path)), path) == -111  # ZNOTEMPTY


def test_sequential_and_ephemeral_flags(shell, base_path, zk):
    rc, name = create(shell, base_path + "/s-", "s")
    assert (rc, name) == (0, base_path + "/s-0000000000")
    rc, name = create(shell, base_path + "/e", "e")
    assert rc == 0
    assert zk.exists(name).ephemeralOwner != 0


def test_the_c_client_rearms_watches_after_reconnecting(zk_server, shell_factory, zk, base_path):
    path = zk.create(base_path + "/w", b"before")
    proxy = Proxy(zk_server.host, zk_server.port)
    try:
        shell = shell_factory(proxy.hostport)
        rc, data, _ = get(shell, path)  # the shell's get leaves a data watch
        assert (rc, data) == (0, "before")
        proxy.cut()
        shell.expect(r"^Watcher SESSION_EVENT state = CONNECTING_STATE")
        zk.set(path, b"after")
        proxy.restore()
        shell.expect(CONNECTED, timeout=30)
        # SetWatches on reconnect tells the server what the client watched.
        shell.expect(r"^Watcher CHANGED_EVENT state = CONNECTED_STATE for path %s$" %
                     re.escape(path), timeout=15)
    finally:
        proxy.close()
