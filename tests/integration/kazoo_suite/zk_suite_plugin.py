"""pytest plugin: run kazoo's own test suite against our server.

kazoo's harness (kazoo.testing.common.ManagedZooKeeper) writes a zoo.cfg and
starts `java ... QuorumPeerMain zoo.cfg`. With ZK_IMPL=ours (the default) this
plugin replaces that launch, without touching the installed package, by
`$ZKSERVER_BIN zoo.cfg` using an equivalent zoo.cfg. ZK_IMPL=apache keeps the
java launch (for a reference run). Either way the server is awaited with a
deadline after start and stopped by PID with a bounded wait.

Load with `-p zk_suite_plugin` and this directory on PYTHONPATH. Writes one
"<outcome> kazoo/tests/<file>::<class>::<test>" line per test to
$KAZOO_SUITE_OUTCOMES when set.
"""

import os
import subprocess
import sys
import time

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(_HERE))  # tests/integration, for `harness`

from harness import server as zk_server  # noqa: E402
from harness.wait import Deadline  # noqa: E402

# One standalone server, or an ensemble with KAZOO_SUITE_CLUSTER_SIZE=3; the
# harness reads these at first use.
CLUSTER_SIZE = int(os.environ.get("KAZOO_SUITE_CLUSTER_SIZE", "1"))
os.environ["ZOOKEEPER_CLUSTER_SIZE"] = str(CLUSTER_SIZE)
os.environ.setdefault("ZOOKEEPER_VERSION", "3.8.0")
if zk_server.impl() == "apache":
    # The jar's manifest names its dependencies; no slf4j binding keeps it quiet.
    os.environ.setdefault("ZOOKEEPER_CLASSPATH", "/usr/share/java/zookeeper.jar")

from kazoo.testing import common, harness  # noqa: E402

_original_run = common.ManagedZooKeeper.run
_outcomes = {}


def _write_cfg(mzk):
    """The harness's zoo.cfg (its -D flags and JAAS file go through SERVER_JVMFLAGS)."""
    data_path = os.path.join(mzk.working_path, "data")
    os.makedirs(data_path, exist_ok=True)
    cfg_path = os.path.join(mzk.working_path, "zoo.cfg")
    lines = [
        "tickTime=2000",
        "dataDir=%s" % data_path,
        "clientPort=%d" % mzk.server_info.client_port,
        "clientPortAddress=%s" % mzk.host,
        "maxClientCnxns=0",
        "admin.enableServer=false",
        "authProvider.1=org.apache.zookeeper.server.auth.SASLAuthenticationProvider",
    ] + list(mzk.configuration_entries)
    if mzk.peers:
        # The harness's ensemble lines, on 127.0.0.1 like everything else.
        lines += ["initLimit=4", "syncLimit=2", "peerType=%s" % mzk.server_info.peer_type]
        for p in sorted([mzk.server_info] + list(mzk.peers), key=lambda p: p.server_id):
            lines.append("server.%d=%s:%d:%d:%s" % (p.server_id, mzk.host, p.leader_port,
                                                     p.election_port, p.peer_type))
    with open(cfg_path, "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(data_path, "myid"), "w") as f:
        f.write(str(mzk.server_info.server_id))
    return cfg_path


def _jvm_flags(mzk):
    """The -D flags the harness gives its JVM, with the JAAS file it writes."""
    jaas_path = os.path.join(mzk.working_path, "jaas.conf")
    with open(jaas_path, "w") as f:
        f.write(mzk.jaas_config or "")
    # kazoo's harness always starts its JVMs with read-only mode on.
    flags = ["-Dreadonlymode.enabled=true", "-Djava.security.auth.login.config=%s" % jaas_path]
    flags += [f for f in mzk.java_system_properties if f.startswith("-D")]
    return " ".join(flags)


def _run(self):
    if self.running:
        return
    if zk_server.impl() == "apache":
        _original_run(self)
    else:
        cfg_path = _write_cfg(self)
        log = open(os.path.join(self.working_path, "zkserver.log"), "ab")
        env = dict(os.environ, SERVER_JVMFLAGS=_jvm_flags(self))
        self.process = subprocess.Popen(zk_server.launcher_command(cfg_path), env=env,
                                        stdin=subprocess.DEVNULL, stdout=log,
                                        stderr=subprocess.STDOUT, cwd=self.working_path,
                                        preexec_fn=zk_server._die_with_parent)
        log.close()
        self._running = True
    if not getattr(self, "_defer_wait", False):
        _wait_serving(self)


def _wait_serving(self):
    deadline = Deadline(zk_server.START_TIMEOUT)
    while not deadline.expired():
        if self.process.poll() is not None:
            raise RuntimeError("server exited with status %d (see %s)" %
                               (self.process.returncode, self.working_path))
        if zk_server.probe_session(self.host, self.server_info.client_port):
            return
        time.sleep(0.1)
    raise RuntimeError("server did not answer within %.0fs" % zk_server.START_TIMEOUT)


def _stop(self):
    if not self.running:
        return
    proc = self.process
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=zk_server.STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=zk_server.STOP_TIMEOUT)
    self._running = False


def _start_cluster(self):
    """Starts every member before waiting: none serves until a quorum is up."""
    for server in reversed(list(self)):
        server._defer_wait = True
        try:
            server.run()
        finally:
            server._defer_wait = False
    for server in self:
        _wait_serving(server)


common.ManagedZooKeeper.run = _run
common.ManagedZooKeeper.stop = _stop
common.ZookeeperCluster.start = _start_cluster


def pytest_report_header(config):
    return "kazoo suite against: %s, %d server(s)" % (zk_server.impl(), CLUSTER_SIZE)


def _test_id(nodeid):
    """'kazoo/tests/test_x.py::Class::test', whatever directory pytest ran from."""
    marker = "kazoo/tests/"
    i = nodeid.find(marker)
    return nodeid[i:] if i >= 0 else marker + nodeid


def pytest_runtest_logreport(report):
    # One outcome per test: a failure in setup/teardown wins over the call's pass.
    if report.when == "call" or report.outcome != "passed":
        outcome = report.outcome
        if hasattr(report, "wasxfail"):
            outcome = "xfailed" if report.skipped else "xpassed"
        elif report.when != "call" and report.failed:
            outcome = "error"
        test_id = _test_id(report.nodeid)
        if _outcomes.get(test_id) not in ("failed", "error"):
            _outcomes[test_id] = outcome


def pytest_sessionfinish(session, exitstatus):
    path = os.environ.get("KAZOO_SUITE_OUTCOMES")
    if path:
        with open(path, "w") as f:
            for nodeid in sorted(_outcomes):
                f.write("%s %s\n" % (_outcomes[nodeid], nodeid))


def pytest_unconfigure(config):
    # The harness only stops its cluster at interpreter exit; do it here, bounded.
    if harness.CLUSTER is not None:
        harness.CLUSTER.terminate()
        harness.CLUSTER = None
