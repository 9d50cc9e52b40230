"""Importing an Apache ZooKeeper data directory with `zkstorage import`.

Apache ZooKeeper (Debian's `zookeeper` package) runs with a small snapCount,
so its version-2 directory holds several snapshots and logs, while kazoo
writes a varied dataset. Every node's data, Stat and ACL is recorded from
Apache; Apache is stopped (SIGTERM, or SIGKILL as a crash), the directory is
imported, our zkserver starts on the result, and everything is read back and
compared exactly, zxids included. These tests always run both servers,
whatever ZK_IMPL says.
"""

import os
import re
import subprocess

import pytest
from kazoo.security import ACL, Id, make_digest_acl

from harness import clients
from harness.clients import close
from harness import fourlw, jute, raw
from harness import server as server_mod
from harness.wait import wait_until

IMPORT_TIMEOUT = 60.0
# The live session whose ephemeral must survive the import, then expire on ours.
LIVE_SESSION_MS = 20000
OP_CREATE_CONTAINER = 19
CONTAINER = 4

ALICE = ("alice", "secret")


def zkstorage_bin():
    """ZKSTORAGE_BIN, or the zkstorage built next to ZKSERVER_BIN."""
    path = os.environ.get("ZKSTORAGE_BIN", "")
    if not path:
        server_bin = os.environ.get("ZKSERVER_BIN", "")
        path = os.path.join(os.path.dirname(server_bin), "storage", "zkstorage")
    if not os.access(path, os.X_OK):
        pytest.fail("zkstorage not found (set ZKSTORAGE_BIN): %r" % path)
    return path


@pytest.fixture(autouse=True)
def needs_apache():
    if not os.path.exists("/usr/share/java/zookeeper.jar"):
        pytest.skip("Apache ZooKeeper (Debian package zookeeper) is not installed")


def start(srv, impl, monkeypatch):
    """Starts `srv` as the given implementation, whatever ZK_IMPL says."""
    monkeypatch.setenv("ZK_IMPL", impl)
    return srv.start()


def connect(srv):
    return clients.connect(srv.hostport, auth_data=[("digest", "%s:%s" % ALICE)])




def write_dataset(zk, srv):
    """Writes the dataset on `zk`; returns the live raw session owning an ephemeral."""
    alice_all = make_digest_acl(ALICE[0], ALICE[1], all=True)
    world_read = ACL(1, Id("world", "anyone"))

    zk.create("/imp/a/b/c/d", b"deep", makepath=True)
    zk.create("/imp/binary", bytes(range(256)))
    zk.create("/imp/empty", b"")
    zk.create("/imp/null", None)
    zk.create("/imp/secure", b"alice only", acl=[alice_all])
    zk.create("/imp/mixed", b"readable", acl=[world_read, alice_all])
    for i in range(4):
        zk.set("/imp/a", b"version %d" % (i + 1))
    zk.set_acls("/imp/mixed", [world_read, alice_all, ACL(2, Id("world", "anyone"))])

    zk.create("/imp/queue", b"")
    names = [zk.create("/imp/queue/job-", b"%d" % i, sequence=True) for i in range(5)]
    zk.delete(names[1])
    zk.delete(names[3])

    zk.create("/imp/gone/child", b"x", makepath=True)
    zk.delete("/imp/gone/child")
    zk.delete("/imp/gone")

    t = zk.transaction()
    t.create("/imp/multi", b"from a multi")
    t.set_data("/imp/a/b", b"changed in a multi")
    t.check("/imp/a", 4)
    assert not any(isinstance(r, Exception) for r in t.commit())
    failing = zk.transaction()
    failing.create("/imp/never", b"")
    failing.check("/imp/a", 99)
    failing.commit()  # fails as a whole: logged as an error multi
    assert zk.exists("/imp/never") is None

    # Enough small writes for several snapshots (snapCount is small).
    zk.create("/imp/bulk", b"")
    for i in range(30):
        zk.create("/imp/bulk/n%02d" % i, b"n%d" % i)
        if i % 3 == 0:
            zk.set("/imp/bulk/n%02d" % i, b"again")

    # An ephemeral of a session that closes (gone) and of one that stays live.
    closed = connect(srv)
    closed.create("/imp/ephemeral-closed", b"", ephemeral=True)
    close(closed)
    live = raw.open_session(srv.host, srv.port, timeout_ms=LIVE_SESSION_MS)
    reply, _ = live.create("/imp/ephemeral-live", b"live", flags=jute.EPHEMERAL)
    assert reply.err == jute.OK
    for path, child in (("/imp/container", "/imp/container/item"), ("/imp/container2", None)):
        reply = live.call(OP_CREATE_CONTAINER,
                          jute.create_body(path, b"c", jute.OPEN_ACL_UNSAFE, CONTAINER))
        assert reply.err == jute.OK
        if child:
            zk.create(child, b"kept")
    return live


def read_state(zk):
    """{path: (data, Stat, ACLs, sorted children)} for every node."""
    state = {}
    pending = ["/"]
    while pending:
        path = pending.pop()
        data, stat = zk.get(path)
        acls, _ = zk.get_acls(path)
        children = sorted(zk.get_children(path))
        state[path] = (data, tuple(stat), [(a.perms, a.id.scheme, a.id.id) for a in acls],
                       children)
        pending.extend(path.rstrip("/") + "/" + c for c in children)
    return state


def last_zxid(srv):
    return int(fourlw.parse_colon_lines(fourlw.send_word(srv.host, srv.port, "srvr"))["Zxid"], 16)


def describe_differences(expected, actual):
    lines = []
    for path in sorted(set(expected) | set(actual)):
        if expected.get(path) != actual.get(path):
            lines.append("%s:\n  apache: %r\n  ours:   %r" % (path, expected.get(path),
                                                           actual.get(path)))
    return "\n".join(lines)


def run_import(apache_data_dir, data_dir):
    result = subprocess.run([zkstorage_bin(), "import", apache_data_dir, data_dir],
                            capture_output=True, text=True, timeout=IMPORT_TIMEOUT)
    assert result.returncode == 0, "import failed:\n%s\n%s" % (result.stdout, result.stderr)
    return result.stdout


def version2_files(data_dir):
    names = os.listdir(os.path.join(data_dir, "version-2"))
    return ([n for n in names if n.startswith("snapshot.")],
            [n for n in names if n.startswith("log.")])


def newest_snapshot(names):
    """The snapshot.<hex zxid>[.ext] name with the highest zxid."""
    return max(names, key=lambda n: int(n.split(".")[1], 16))


@pytest.fixture
def apache_run(tmp_path, monkeypatch, request):
    """Runs Apache with the dataset, stops it as asked; yields what it served."""
    stop_mode, compression = request.param
    props = {"zookeeper.snapCount": "10"}
    if compression:
        props["zookeeper.snapshot.compression.method"] = compression
    apache = server_mod.ServerProcess(tmp_path / "apache", name="apache", system_props=props)
    live = None
    try:
        start(apache, "apache", monkeypatch)
        zk = connect(apache)
        try:
            live = write_dataset(zk, apache)
            live.ping()
            expected = read_state(zk)
        finally:
            close(zk)
        live.ping()
        zxid = last_zxid(apache)
        if stop_mode == "kill":
            apache.kill()
        else:
            apache.stop()
        yield {
            "data_dir": apache.data_dir,
            "work_dir": apache.work_dir,
            "state": expected,
            "zxid": zxid,
            "live_session": live.session_id,
            "compression": compression,
            "stop_mode": stop_mode,
        }
    finally:
        apache.kill()
        if live is not None:
            live.close()


@pytest.mark.parametrize("apache_run", [("term", ""), ("kill", "gz"), ("term", "snappy")],
                         indirect=True,
                         ids=["sigterm", "sigkill-gzip-snapshots", "sigterm-snappy-snapshots"])
def test_our_server_serves_exactly_what_apache_served_after_an_import(apache_run, tmp_path,
                                                                      monkeypatch):
    snapshots, logs = version2_files(apache_run["data_dir"])
    assert len(snapshots) >= 2 and logs, (snapshots, logs)
    newest = newest_snapshot(snapshots)
    if apache_run["compression"]:
        # Compressed all along: no plain snapshot to fall back to.
        assert newest.endswith("." + apache_run["compression"]), snapshots
        assert all(n.endswith("." + apache_run["compression"]) for n in snapshots), snapshots

    ours = server_mod.ServerProcess(tmp_path / "ours", name="ours")
    output = run_import(apache_run["data_dir"], ours.data_dir)
    print(output)
    if apache_run["compression"]:
        loaded = re.search(r"^snapshot .*/version-2/(\S+) \(zxid", output, re.MULTILINE)
        assert loaded and loaded.group(1).endswith("." + apache_run["compression"]), output
        if apache_run["stop_mode"] == "term":
            # Apache finished its last snapshot long before this clean stop.
            assert loaded.group(1) == newest and "skipped snapshot" not in output, output
    try:
        start(ours, "ours", monkeypatch)
        # Our server may open a new epoch on start, but never reuses a zxid.
        assert last_zxid(ours) >= apache_run["zxid"]
        zk = connect(ours)
        try:
            actual = read_state(zk)
            expected = apache_run["state"]
            assert actual == expected, describe_differences(expected, actual)

            # Sequence numbers continue from the parent's imported cversion.
            name = zk.create("/imp/queue/job-", b"", sequence=True)
            assert name == "/imp/queue/job-0000000005"
            stat = zk.exists(name)
            assert stat.czxid > apache_run["zxid"]

            # The live session came along: its ephemeral goes when it expires.
            owner = apache_run["state"]["/imp/ephemeral-live"][1][7]
            assert owner == apache_run["live_session"]
            wait_until(lambda: zk.exists("/imp/ephemeral-live") is None,
                       timeout=LIVE_SESSION_MS / 1000.0 + 20,
                       message="the imported session to expire")
        finally:
            close(zk)
    finally:
        ours.stop()


@pytest.mark.parametrize("apache_run", [("term", "")], indirect=True, ids=["sigterm"])
def test_an_import_into_apaches_own_data_dir_lets_our_server_take_over(apache_run, monkeypatch):
    run_import(apache_run["data_dir"], apache_run["data_dir"])
    ours = server_mod.ServerProcess(apache_run["work_dir"], name="ours")
    try:
        start(ours, "ours", monkeypatch)
        zk = connect(ours)
        try:
            assert zk.get("/imp/a")[0] == b"version 4"
            assert zk.get("/imp/a")[1] == apache_run["state"]["/imp/a"][1]
        finally:
            close(zk)
    finally:
        ours.stop()
    # Apache's own files are left as they were.
    assert version2_files(apache_run["data_dir"])[0]


def test_an_import_refuses_a_directory_without_zookeeper_files(tmp_path):
    (tmp_path / "empty").mkdir()
    result = subprocess.run([zkstorage_bin(), "import", str(tmp_path / "empty"),
                             str(tmp_path / "ours")],
                            capture_output=True, text=True, timeout=IMPORT_TIMEOUT)
    assert result.returncode == 1
    assert "no ZooKeeper snapshot or log files" in result.stderr


@pytest.mark.parametrize("apache_run", [("term", "")], indirect=True, ids=["sigterm"])
def test_null_data_stays_null_after_an_import(apache_run, tmp_path, monkeypatch):
    assert apache_run["state"]["/imp/null"][0] is None
    ours = server_mod.ServerProcess(tmp_path / "ours", name="ours")
    run_import(apache_run["data_dir"], ours.data_dir)
    try:
        start(ours, "ours", monkeypatch)
        zk = connect(ours)
        try:
            assert zk.get("/imp/null")[0] is None
        finally:
            close(zk)
    finally:
        ours.stop()
