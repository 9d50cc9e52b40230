"""zkCli.sh commands beyond plain CRUD, each checked against the output Apache
ZooKeeper 3.8 gives (every test holds against ZK_IMPL=apache too): containers
and TTL nodes, digest ACLs with addauth, whoami, persistent recursive watches
and their removal, getAllChildrenNumber and getEphemerals.

Commands of one test run in one zkCli.sh session (piped to its stdin), since
identities and watches belong to the session.
"""

import os
import re

import pytest

from harness import server as server_mod
from harness.cli import ZKCLI, run_zkcli_script

pytestmark = pytest.mark.skipif(not os.access(ZKCLI, os.X_OK),
                                reason="zkCli.sh not installed (Debian package zookeeper)")

BOB_DIGEST = "bob:0ezhUayTjEymfNB3K9C0+wkMLMo="  # digest of bob:bobpw
STAT_KEYS = ("cZxid", "ctime", "mZxid", "mtime", "pZxid", "cversion", "dataVersion",
             "aclVersion", "ephemeralOwner", "dataLength", "numChildren")
VARYING = ("cZxid", "ctime", "mZxid", "mtime", "pZxid")


@pytest.fixture(scope="module")
def ext_server(tmp_path_factory):
    """A server with extendedTypesEnabled, so that TTL nodes exist."""
    srv = server_mod.ServerProcess(tmp_path_factory.mktemp("zkcli_api"),
                                   extra_cfg={"extendedTypesEnabled": "true"})
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def path(request):
    return "/cli_" + request.node.name.replace("test_", "")[:40]


def stable(lines):
    """Stat lines whose values vary between runs (zxids, times) lose their value."""
    out = []
    for line in lines:
        key, sep, _ = line.partition(" = ")
        out.append(key + " = *" if sep and key in VARYING else line)
    return out


def stat_block(data_length=0, num_children=0, version=0, cversion=0):
    values = {"cversion": cversion, "dataVersion": version, "aclVersion": 0,
              "ephemeralOwner": "0x0", "dataLength": data_length, "numChildren": num_children}
    return ["%s = %s" % (k, values.get(k, "*")) for k in STAT_KEYS]


def test_create_c_makes_a_container_that_shows_no_owner(ext_server, path):
    rc, lines = run_zkcli_script(ext_server.hostport, [
        "create -c %s box" % path,
        "create %s/item" % path,
        "stat " + path,
        "delete %s/item" % path,
        "delete " + path,
    ])
    assert rc == 0
    assert stable(lines) == (["Created " + path, "Created %s/item" % path] +
                             stat_block(data_length=3, num_children=1, cversion=1))


def test_create_t_makes_a_ttl_node_when_extended_types_are_enabled(ext_server, path):
    rc, lines = run_zkcli_script(ext_server.hostport, [
        "create -t 100000 %s data" % path,
        "get -s " + path,
        "create -t 100000 -s %s/seq- x" % path,
        "delete %s/seq-0000000000" % path,
        "delete " + path,
    ])
    assert stable(lines) == (["Created " + path, "data"] + stat_block(data_length=4) +
                             ["Created %s/seq-0000000000" % path])


def test_create_t_without_extended_types_is_refused(zk_server, path):
    rc, lines = run_zkcli_script(zk_server.hostport, ["create -t 100000 %s data" % path,
                                                      "ls " + path])
    assert lines == ["KeeperErrorCode = Unimplemented for " + path,
                     "Node does not exist: " + path]


def test_a_digest_acl_admits_the_session_after_addauth(zk_server, path):
    rc, lines = run_zkcli_script(zk_server.hostport, [
        "create %s secret" % path,
        "setAcl %s digest:%s:cdrwa" % (path, BOB_DIGEST),
        "getAcl " + path,
        "get " + path,
        "addauth digest bob:wrong",
        "get " + path,
        "addauth digest bob:bobpw",
        "get " + path,
        "getAcl " + path,
        "setAcl %s auth::rda" % path,
        "getAcl " + path,
        "delete " + path,
    ])
    denied = "Insufficient permission : " + path
    assert rc == 0
    assert lines == [
        "Created " + path,
        denied, denied, denied,
        "secret",
        "'digest,'" + BOB_DIGEST, ": cdrwa",
        # "auth" stands for every digest id of the session: bob with both
        # passwords, in the order of Java's ConcurrentHashMap.
        "'digest,'" + BOB_DIGEST, ": dra",
        "'digest,'bob:7e5oQdf4IqOAJ9OLk9OTl5I4cwM=", ": dra",
    ]


def test_whoami_lists_the_sessions_identities(zk_server):
    rc, lines = run_zkcli_script(zk_server.hostport, [
        "whoami",
        "addauth digest alice:pw",
        "whoami",
    ])
    assert lines == ["Auth scheme: User", "ip: 127.0.0.1",
                     "Auth scheme: User", "ip: 127.0.0.1", "digest: alice"]


def test_addwatch_persistent_recursive_reports_the_subtree_until_removed(zk_server, path):
    rc, lines = run_zkcli_script(zk_server.hostport, [
        "create " + path,
        "addWatch -m PERSISTENT_RECURSIVE " + path,
        "create %s/a v" % path,
        "create %s/a/b" % path,
        "set %s/a w" % path,
        "delete %s/a/b" % path,
        "sync " + path,
        "removewatches %s -a" % path,
        "create %s/c" % path,
        "removewatches %s -a" % path,
        "deleteall " + path,
    ])
    events = [line for line in lines if line.startswith("WatchedEvent")]
    output = [line for line in lines if not line.startswith("WatchedEvent")]
    event = "WatchedEvent state:SyncConnected type:%s path:%s"
    assert events == [
        event % ("NodeCreated", path + "/a"),
        event % ("NodeCreated", path + "/a/b"),
        event % ("NodeDataChanged", path + "/a"),
        event % ("NodeDeleted", path + "/a/b"),
        event % ("PersistentWatchRemoved", path),
    ]
    assert output[:3] == ["Created " + path, "Created %s/a" % path, "Created %s/a/b" % path]
    assert re.fullmatch(r"Sync is OK", output[3])
    assert output[4:] == ["Created %s/c" % path, "KeeperErrorCode = No such watcher for " + path]


def test_getallchildrennumber_counts_every_descendant(zk_server, path):
    rc, lines = run_zkcli_script(zk_server.hostport, [
        "create " + path,
        "getAllChildrenNumber " + path,
        "create %s/a" % path,
        "create %s/a/b" % path,
        "create %s/c" % path,
        "getAllChildrenNumber " + path,
        "getAllChildrenNumber %s/a" % path,
        "getAllChildrenNumber %s/none" % path,
        "deleteall " + path,
    ])
    assert [l for l in lines if not l.startswith("Created")] == [
        "0", "3", "1", "Node does not exist: %s/none" % path]


def test_getephemerals_lists_the_sessions_ephemerals(zk_server, path):
    rc, lines = run_zkcli_script(zk_server.hostport, [
        "getEphemerals",
        "create " + path,
        "create -e %s/e1" % path,
        "create -e %s/e2" % path,
        "create -e /cli_other_ephemeral_%s" % path.strip("/"),
        "getEphemerals " + path,
        "getEphemerals %s/e1" % path,
        "getEphemerals /nothing_here",
        "deleteall " + path,
    ])
    output = [line for line in lines if not line.startswith("Created")]
    assert output[0] == "[]"
    # Java lists them in its HashSet's order; the set of paths is what matters.
    assert sorted(output[1].strip("[]").split(", ")) == [path + "/e1", path + "/e2"]
    assert output[2:] == ["[%s/e1]" % path, "[]"]
