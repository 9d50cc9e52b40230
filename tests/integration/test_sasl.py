"""SASL DIGEST-MD5 authentication with users from a JAAS file, through kazoo and zkCli.sh.

The server runs with authProvider.1=SASLAuthenticationProvider and
-Djava.security.auth.login.config naming a JAAS file with a Server section, as
a ZooKeeper 3.8 user configures it. Every test holds against ZK_IMPL=apache too.
"""

import os

import pytest
from kazoo.client import KazooClient
from kazoo.exceptions import AuthFailedError, InvalidACLError, NoAuthError
from kazoo.handlers.threading import KazooTimeoutError
from kazoo.protocol.states import KeeperState
from kazoo.security import make_acl

from harness import server as server_mod
from harness.cli import ZKCLI, run_zkcli_script

SASL_PROVIDER = "org.apache.zookeeper.server.auth.SASLAuthenticationProvider"
SERVER_JAAS = """
Server {
    org.apache.zookeeper.server.auth.DigestLoginModule required
    user_super="super_secret"
    user_alice="alice_secret"
    user_bob="bob_secret";
};
"""
CLIENT_JAAS = """
Client {
    org.apache.zookeeper.server.auth.DigestLoginModule required
    username="%s"
    password="%s";
};
"""
START_TIMEOUT = 15.0

needs_zkcli = pytest.mark.skipif(not os.access(ZKCLI, os.X_OK),
                                 reason="zkCli.sh not installed (Debian package zookeeper)")


@pytest.fixture(scope="module")
def sasl_server(tmp_path_factory):
    work = tmp_path_factory.mktemp("sasl")
    jaas = work / "server-jaas.conf"
    jaas.write_text(SERVER_JAAS)
    srv = server_mod.ServerProcess(work / "srv", extra_cfg={"authProvider.1": SASL_PROVIDER},
                                   system_props={
                                       "java.security.auth.login.config": str(jaas),
                                       "zookeeper.superUser": "super",
                                   })
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def clients():
    """Makes KazooClients (started or not) that are always stopped and closed."""
    made = []

    def make(hosts, start=True, **kw):
        c = KazooClient(hosts=hosts, timeout=10.0, **kw)
        made.append(c)
        if start:
            c.start(timeout=START_TIMEOUT)
        return c

    yield make
    for c in made:
        try:
            c.stop()
        finally:
            c.close()


def digest_md5(user, password):
    return {"mechanism": "DIGEST-MD5", "username": user, "password": password}


def expect_auth_failed(client):
    """The session ends in AUTH_FAILED. kazoo reports CONNECTED before it
    negotiates SASL, so start() returns, or raises a time-out when the failure
    wins the race; otherwise the failure reaches the first request."""
    states = []
    session_callback = client._session_callback

    def record(state):
        states.append(state)
        return session_callback(state)

    client._session_callback = record
    with pytest.raises((AuthFailedError, KazooTimeoutError)):
        client.start(timeout=START_TIMEOUT)
        client.exists("/")
    assert KeeperState.AUTH_FAILED in states


def zkcli_env(tmp_path, user, password):
    """The environment that makes zkCli.sh log in with SASL as `user`."""
    jaas = tmp_path / ("client-%s-%s.conf" % (user, len(password)))
    jaas.write_text(CLIENT_JAAS % (user, password))
    return dict(os.environ, CLIENT_JVMFLAGS="-Djava.security.auth.login.config=%s" % jaas)


def test_a_sasl_user_owns_what_an_acl_gives_to_sasl_user(sasl_server, clients):
    alice = clients(sasl_server.hostport, sasl_options=digest_md5("alice", "alice_secret"))
    path = "/sasl_acl_alice"
    alice.create(path, b"mine", acl=[make_acl("sasl", "alice", all=True)])
    try:
        assert alice.get(path)[0] == b"mine"
        assert alice.get_acls(path)[0][0].id.scheme == "sasl"
        assert alice.get_acls(path)[0][0].id.id == "alice"
        anonymous = clients(sasl_server.hostport)
        with pytest.raises(NoAuthError):
            anonymous.get(path)
        bob = clients(sasl_server.hostport, sasl_options=digest_md5("bob", "bob_secret"))
        with pytest.raises(NoAuthError):
            bob.get(path)
        with pytest.raises(NoAuthError):
            bob.set(path, b"stolen")
    finally:
        alice.delete(path)


def test_an_auth_acl_entry_stands_for_the_sasl_identity(sasl_server, clients):
    alice = clients(sasl_server.hostport, sasl_options=digest_md5("alice", "alice_secret"))
    path = "/sasl_auth_entry"
    alice.create(path, acl=[make_acl("auth", "", all=True)])
    try:
        acl = alice.get_acls(path)[0]
        assert [(a.id.scheme, a.id.id, a.perms) for a in acl] == [("sasl", "alice", 31)]
    finally:
        alice.delete(path)


def test_the_configured_super_user_passes_every_acl(sasl_server, clients):
    alice = clients(sasl_server.hostport, sasl_options=digest_md5("alice", "alice_secret"))
    path = "/sasl_super"
    alice.create(path, b"secret", acl=[make_acl("sasl", "alice", all=True)])
    try:
        root = clients(sasl_server.hostport, sasl_options=digest_md5("super", "super_secret"))
        assert root.get(path)[0] == b"secret"
    finally:
        alice.delete(path)


def test_a_wrong_password_is_auth_failed(sasl_server, clients):
    client = clients(sasl_server.hostport, start=False,
                     sasl_options=digest_md5("alice", "not_her_password"))
    expect_auth_failed(client)


def test_an_unknown_user_is_auth_failed(sasl_server, clients):
    client = clients(sasl_server.hostport, start=False,
                     sasl_options=digest_md5("mallory", "mallory_secret"))
    expect_auth_failed(client)


def test_kazoos_legacy_sasl_auth_data_logs_in_too(sasl_server, clients):
    alice = clients(sasl_server.hostport, auth_data=[("sasl", "alice:alice_secret")])
    path = "/sasl_legacy"
    alice.create(path, acl=[make_acl("sasl", "alice", read=True, delete=True)])
    try:
        assert alice.exists(path) is not None
        assert alice.get(path)[0] == b""
        with pytest.raises(NoAuthError):
            clients(sasl_server.hostport).get(path)
    finally:
        alice.delete(path)


def test_sasl_acl_entries_are_invalid_without_the_sasl_provider(zk_server, clients):
    client = clients(zk_server.hostport)
    with pytest.raises(InvalidACLError):
        client.create("/sasl_no_provider", acl=[make_acl("sasl", "alice", all=True)])


@needs_zkcli
def test_zkcli_whoami_shows_the_sasl_user(sasl_server, tmp_path):
    rc, lines = run_zkcli_script(sasl_server.hostport, ["whoami"],
                                 env=zkcli_env(tmp_path, "alice", "alice_secret"))
    assert rc == 0
    assert "WatchedEvent state:SaslAuthenticated type:None path:null" in lines
    who = lines[lines.index("Auth scheme: User") + 1:]
    assert sorted(who) == ["ip: 127.0.0.1", "sasl: alice"]


@needs_zkcli
def test_zkcli_with_a_wrong_password_gets_auth_failed(sasl_server, tmp_path):
    rc, lines = run_zkcli_script(sasl_server.hostport, ["whoami"],
                                 env=zkcli_env(tmp_path, "alice", "wrong"))
    assert (rc, lines) == (0, ["WatchedEvent state:AuthFailed type:None path:null",
                               "Auth scheme: User"])


@needs_zkcli
def test_zkcli_sets_and_reads_a_sasl_acl(sasl_server, tmp_path):
    path = "/sasl_zkcli_acl"
    rc, lines = run_zkcli_script(sasl_server.hostport, [
        "create %s data sasl:alice:cdrwa" % path,
        "getAcl %s" % path,
        "get %s" % path,
    ], env=zkcli_env(tmp_path, "alice", "alice_secret"))
    assert rc == 0
    lines = [line for line in lines if not line.startswith("WatchedEvent state:SaslAuth")]
    assert lines == ["Created " + path, "'sasl,'alice", ": cdrwa", "data"]

    # Without the login: no reading or writing; deleting needs only the parent's ACL.
    rc, lines = run_zkcli_script(sasl_server.hostport,
                                 ["get " + path, "set %s x" % path, "delete " + path, "ls /"])
    assert lines[:2] == ["Insufficient permission : " + path] * 2
    assert "sasl_zkcli_acl" not in lines[2]
