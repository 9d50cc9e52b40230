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

# The suite runs one standalone server; the harness reads these at first use.
os.environ["ZOOKEEPER_CLUSTER_SIZE"] = "1"
os.environ.setdefault("ZOOKEEPER_VERSION", "3.8.0")
if zk_server.impl() == "apache":
    # The jar's manifest names its dependencies; no slf4j binding keeps it quiet.
    os.environ.setdefault("ZOOKEEPER_CLASSPATH", "/usr/share/java/zookeeper.jar")

from kazoo.testing import common, harness  # noqa: E402

_original_run = common.ManagedZooKeeper.run
_outcomes = {}


def _write_cfg(mzk):
    """The harness's zoo.cfg, minus what only a JVM understands (SASL provider, -D flags)."""
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
    ] + list(mzk.configuration_entries)
    with open(cfg_path, "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(data_path, "myid"), "w") as f:
        f.write(str(mzk.server_info.server_id))
    return cfg_path


def _run(self):
    if self.running:
        return
    if zk_server.impl() == "apache":
        _original_run(self)
    else:
        cfg_path = _write_cfg(self)
        log = open(os.path.join(self.working_path, "zkserver.log"), "ab")
        self.process = subprocess.Popen(zk_server.launcher_command(cfg_path),
                                        stdin=subprocess.DEVNULL, stdout=log,
                                        stderr=subprocess.STDOUT, cwd=self.working_path,
                                        preexec_fn=zk_server._die_with_parent)
        log.close()
        self._running = True
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


common.ManagedZooKeeper.run = _run
common.ManagedZooKeeper.stop = _stop


def pytest_report_header(config):
    return "kazoo suite against: %s" % zk_server.impl()


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
