"""Quotas as ZooKeeper 3.8 keeps them: zkCli.sh setquota/listquota/delquota, the
zookeeper_stats bookkeeping, and hard limits refused with QuotaExceeded (-125)
when zookeeper.enforceQuota=true, for create, setData and inside multi.

Expected zkCli.sh output was taken from Apache ZooKeeper 3.8; every test holds
against ZK_IMPL=apache too.
"""

import os

import pytest
from kazoo.client import KazooClient
from kazoo.exceptions import EXCEPTIONS, ZookeeperError

from harness import server as server_mod
from harness.cli import ZKCLI, run_zkcli_script

pytestmark = pytest.mark.skipif(not os.access(ZKCLI, os.X_OK),
                                reason="zkCli.sh not installed (Debian package zookeeper)")

QUOTA_EXCEEDED = -125


class QuotaExceededError(ZookeeperError):
    """kazoo 2.8 has no class for -125; without one its reader thread fails."""
    code = QUOTA_EXCEEDED


if QUOTA_EXCEEDED not in EXCEPTIONS:
    EXCEPTIONS[QUOTA_EXCEEDED] = QuotaExceededError
QuotaExceeded = EXCEPTIONS[QUOTA_EXCEEDED]


@pytest.fixture(scope="module")
def enforcing_server(tmp_path_factory):
    srv = server_mod.ServerProcess(tmp_path_factory.mktemp("quota"),
                                   system_props={"zookeeper.enforceQuota": "true"})
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def quota_path(request):
    """A top-level path of this test's own, so no other quota is above or below it."""
    return "/quota_" + request.node.name.replace("test_", "")[:40]


def kazoo(server, client_factory):
    return client_factory(server.hostport)


def stats(client, path):
    return client.get("/zookeeper/quota%s/zookeeper_stats" % path)[0].decode()


def test_setquota_listquota_and_delquota_print_what_zookeeper_prints(zk_server, quota_path):
    p = quota_path
    rc, lines = run_zkcli_script(zk_server.hostport, [
        "create " + p,
        "setquota -n 5 " + p,
        "setquota -B 100 " + p,
        "listquota " + p,
        "create %s/a abc" % p,
        "listquota " + p,
        "delquota -n " + p,
        "listquota " + p,
        "delquota -B " + p,
        "listquota " + p,
        "delquota " + p,
        "listquota " + p,
        "delquota " + p,
    ])
    limits = "absolute path is /zookeeper/quota%s/zookeeper_limits" % p
    assert rc == 0
    assert lines == [
        "Created " + p,
        limits,
        "Output quota for %s count=5,bytes=-1=;byteHardLimit=100;countHardLimit=-1" % p,
        "Output stat for %s count=1,bytes=0" % p,
        "Created %s/a" % p,
        limits,
        "Output quota for %s count=5,bytes=-1=;byteHardLimit=100;countHardLimit=-1" % p,
        "Output stat for %s count=2,bytes=3" % p,
        limits,
        "Output quota for %s count=-1,bytes=-1=;byteHardLimit=100;countHardLimit=-1" % p,
        "Output stat for %s count=2,bytes=3" % p,
        limits,
        "Output quota for %s count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=-1" % p,
        "Output stat for %s count=2,bytes=3" % p,
        limits,
        "quota for %s does not exist." % p,
        "Quota does not exist for " + p,
    ]


def test_a_quota_above_or_below_another_is_refused_by_zkcli(zk_server, quota_path):
    p = quota_path
    rc, lines = run_zkcli_script(zk_server.hostport, [
        "create " + p,
        "create %s/a" % p,
        "setquota -N 1 %s/a" % p,
        "setquota -N 1 " + p,
        "get /zookeeper/quota%s/a/zookeeper_limits" % p,
        "delquota %s/a" % p,
    ])
    assert lines == [
        "Created " + p,
        "Created %s/a" % p,
        "%s has a child %s/a which has a quota" % (p, p),
        "count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=1",
    ]


def test_stats_follow_creates_deletes_and_data_changes(zk_server, client_factory, quota_path):
    p = quota_path
    zk = kazoo(zk_server, client_factory)
    zk.create(p, b"12")
    run_zkcli_script(zk_server.hostport, ["setquota -n 100 " + p])
    assert stats(zk, p) == "count=1,bytes=2"
    zk.create(p + "/a", b"abc")
    zk.create(p + "/a/b", b"defg")
    assert stats(zk, p) == "count=3,bytes=9"
    zk.set(p + "/a", b"")
    zk.delete(p + "/a/b")
    assert stats(zk, p) == "count=2,bytes=2"


def test_without_enforcement_hard_limits_are_not_applied(zk_server, client_factory, quota_path):
    p = quota_path
    zk = kazoo(zk_server, client_factory)
    zk.create(p)
    # -n, -b, -N and -B exclude each other: one setquota each.
    run_zkcli_script(zk_server.hostport, ["setquota -N 1 " + p, "setquota -B 1 " + p])
    zk.create(p + "/a", b"more than one byte")
    zk.set(p, b"also more")
    assert stats(zk, p) == "count=2,bytes=27"


def test_zkcli_create_past_a_hard_count_limit_is_refused(enforcing_server, quota_path):
    p = quota_path
    rc, lines = run_zkcli_script(enforcing_server.hostport, [
        "create " + p,
        "setquota -N 2 " + p,
        "create %s/a" % p,
        "create %s/b" % p,
        "create %s/a/c" % p,
        "listquota " + p,
    ])
    assert lines == [
        "Created " + p,
        "Created %s/a" % p,
        "Quota has exceeded : %s/b" % p,
        "Quota has exceeded : %s/a/c" % p,
        "absolute path is /zookeeper/quota%s/zookeeper_limits" % p,
        "Output quota for %s count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=2" % p,
        "Output stat for %s count=2,bytes=0" % p,
    ]


def test_create_and_set_past_a_hard_byte_limit_are_quota_exceeded(
        enforcing_server, client_factory, quota_path):
    p = quota_path
    zk = kazoo(enforcing_server, client_factory)
    zk.create(p, b"12345")
    run_zkcli_script(enforcing_server.hostport, ["setquota -B 10 " + p])
    with pytest.raises(QuotaExceeded):
        zk.set(p, b"12345678901")
    with pytest.raises(QuotaExceeded):
        zk.create(p + "/a", b"123456")
    zk.create(p + "/a", b"12345")  # exactly at the limit
    zk.set(p, b"1")  # shrinking is always allowed
    zk.set(p + "/a", b"123456789")
    assert stats(zk, p) == "count=2,bytes=10"
    assert zk.get(p)[0] == b"1"


def test_soft_limits_only_warn(enforcing_server, client_factory, quota_path):
    p = quota_path
    zk = kazoo(enforcing_server, client_factory)
    zk.create(p)
    run_zkcli_script(enforcing_server.hostport, ["setquota -n 1 " + p, "setquota -b 1 " + p])
    zk.create(p + "/a", b"abc")
    zk.set(p + "/a", b"abcdef")
    assert stats(zk, p) == "count=2,bytes=6"
    assert "Quota exceeded: %s" % p in open(enforcing_server.log_path, errors="replace").read()


def test_a_multi_past_a_hard_limit_fails_as_a_whole(enforcing_server, client_factory, quota_path):
    p = quota_path
    zk = kazoo(enforcing_server, client_factory)
    zk.create(p)
    run_zkcli_script(enforcing_server.hostport, ["setquota -N 2 " + p])
    t = zk.transaction()
    t.create(p + "/a")
    t.create(p + "/b")  # checked against the applied stats, like ZooKeeper: not refused
    t.create(p + "/c", b"x")
    results = t.commit()
    assert [type(r) for r in results] == [str, str, str]
    t = zk.transaction()
    t.create(p + "/d")
    t.set_data(p, b"y")
    results = t.commit()
    assert isinstance(results[0], QuotaExceeded)
    assert zk.exists(p + "/d") is None
    assert zk.get(p)[0] == b""


def test_quota_nodes_stay_writable_past_a_limit(enforcing_server, client_factory, quota_path):
    p = quota_path
    zk = kazoo(enforcing_server, client_factory)
    zk.create(p)
    run_zkcli_script(enforcing_server.hostport, ["setquota -N 1 " + p])
    with pytest.raises(QuotaExceeded):
        zk.create(p + "/a")
    rc, lines = run_zkcli_script(enforcing_server.hostport, ["delquota " + p])
    assert lines == []
    zk.create(p + "/a")
    assert zk.exists("/zookeeper/quota" + p + "/zookeeper_limits") is None
