"""Apache's Java shell, zkCli.sh, run one command at a time against the server."""

import os
import re

import pytest

from harness.cli import ZKCLI, run_zkcli

pytestmark = pytest.mark.skipif(not os.access(ZKCLI, os.X_OK),
                                reason="zkCli.sh not installed (Debian package zookeeper)")

STAT_LINES = ("cZxid", "ctime", "mZxid", "mtime", "pZxid", "cversion", "dataVersion",
              "aclVersion", "ephemeralOwner", "dataLength", "numChildren")


def parse_stat(lines):
    stat = {}
    for line in lines:
        key, sep, value = line.partition(" = ")
        if sep and key in STAT_LINES:
            stat[key] = value
    return stat


def test_create_get_set_stat_delete_round_trip(zk_server, base_path):
    hp = zk_server.hostport
    path = base_path + "/node"
    assert run_zkcli(hp, "create", path, "hello") == (0, ["Created " + path])
    assert run_zkcli(hp, "get", path) == (0, ["hello"])
    assert run_zkcli(hp, "set", path, "world") == (0, [])
    assert run_zkcli(hp, "get", path) == (0, ["world"])

    rc, lines = run_zkcli(hp, "stat", path)
    assert rc == 0
    stat = parse_stat(lines)
    assert list(stat) == list(STAT_LINES)
    assert stat["dataVersion"] == "1"
    assert stat["dataLength"] == "5"
    assert stat["numChildren"] == "0"
    assert stat["ephemeralOwner"] == "0x0"
    assert re.fullmatch(r"0x[0-9a-f]+", stat["cZxid"])
    assert int(stat["mZxid"], 16) > int(stat["cZxid"], 16)

    assert run_zkcli(hp, "delete", path) == (0, [])
    assert run_zkcli(hp, "get", path) == (1, ["Node does not exist: " + path])


def test_ls_lists_children_in_brackets(zk_server, base_path):
    hp = zk_server.hostport
    for name in ("b", "a"):
        assert run_zkcli(hp, "create", base_path + "/" + name, "")[0] == 0
    rc, lines = run_zkcli(hp, "ls", base_path)
    assert rc == 0
    assert len(lines) == 1
    assert sorted(lines[0].strip("[]").split(", ")) == ["a", "b"]


def test_ls_of_root_shows_the_zookeeper_node(zk_server):
    rc, lines = run_zkcli(zk_server.hostport, "ls", "/")
    assert rc == 0
    assert "zookeeper" in lines[0].strip("[]").split(", ")


def test_get_with_stat_prints_data_then_stat(zk_server, base_path):
    hp = zk_server.hostport
    run_zkcli(hp, "create", base_path + "/n", "abc")
    rc, lines = run_zkcli(hp, "get", "-s", base_path + "/n")
    assert rc == 0
    assert lines[0] == "abc"
    stat = parse_stat(lines[1:])
    assert stat["dataLength"] == "3" and stat["dataVersion"] == "0"


def test_create_sequential_prints_the_generated_name(zk_server, base_path):
    rc, lines = run_zkcli(zk_server.hostport, "create", "-s", base_path + "/s-", "x")
    assert (rc, lines) == (0, ["Created %s/s-0000000000" % base_path])


def test_errors_are_reported_with_exit_code_1(zk_server, base_path):
    hp = zk_server.hostport
    path = base_path + "/p"
    run_zkcli(hp, "create", path, "x")
    run_zkcli(hp, "create", path + "/c", "")
    assert run_zkcli(hp, "create", path, "again") == (1, ["Node already exists: " + path])
    assert run_zkcli(hp, "delete", path) == (1, ["Node not empty: " + path])
    assert run_zkcli(hp, "set", "-v", "7", path, "y") == (1, ["version No is not valid : " + path])
    assert run_zkcli(hp, "delete", base_path + "/nope") == (
        1, ["Node does not exist: %s/nope" % base_path])


def test_deleteall_removes_a_subtree(zk_server, base_path):
    hp = zk_server.hostport
    run_zkcli(hp, "create", base_path + "/t", "")
    run_zkcli(hp, "create", base_path + "/t/c", "")
    assert run_zkcli(hp, "deleteall", base_path + "/t") == (0, [])
    assert run_zkcli(hp, "ls", base_path) == (0, ["[]"])
