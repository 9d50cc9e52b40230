"""Start and stop one standalone server process from a zoo.cfg.

The same class runs either our `zkserver` or Apache ZooKeeper (the Debian
`zookeeper` package), chosen by ZK_IMPL=ours|apache. Both are started as
`<launcher> zoo.cfg` and stopped by PID: SIGTERM, then SIGKILL after a bounded
wait. Every wait has a deadline; no process outlives the test session.
"""

import ctypes
import os
import signal
import socket
import subprocess
import time

from . import jute
from .wait import Deadline

HOST = "127.0.0.1"

# Debian installs the server jar with a manifest Class-Path naming its
# dependencies; slf4j-simple gives readable log lines on stderr.
APACHE_CLASSPATH = os.pathsep.join(
    ["/usr/share/java/zookeeper.jar", "/usr/share/java/slf4j-simple.jar"])
APACHE_MAIN = "org.apache.zookeeper.server.quorum.QuorumPeerMain"

START_TIMEOUT = float(os.environ.get("ZK_START_TIMEOUT", "30"))
STOP_TIMEOUT = 10.0

_PR_SET_PDEATHSIG = 1


def _die_with_parent():
    """Runs in the child before exec: if the test runner dies, so does the server."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        pass


def impl():
    """Which implementation the tests run against: 'ours' (default) or 'apache'."""
    value = os.environ.get("ZK_IMPL", "ours")
    if value not in ("ours", "apache"):
        raise ValueError("ZK_IMPL must be 'ours' or 'apache', not %r" % value)
    return value


def system_property_flags(system_props):
    """`-Dkey=value` words, as zkServer.sh users put them in SERVER_JVMFLAGS."""
    return ["-D%s=%s" % (k, v) for k, v in sorted((system_props or {}).items())]


def launcher_command(cfg_path, system_props=None):
    """The argv that starts the chosen implementation with `cfg_path`.

    Our server reads `system_props` from SERVER_JVMFLAGS (see launcher_env)."""
    if impl() == "apache":
        return [
            "java", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Dzookeeper.admin.enableServer=false"
        ] + system_property_flags(system_props) + ["-cp", APACHE_CLASSPATH, APACHE_MAIN, cfg_path]
    binary = os.environ.get("ZKSERVER_BIN", "")
    if not binary or not os.access(binary, os.X_OK):
        raise RuntimeError(
            "ZK_IMPL=ours needs ZKSERVER_BIN=<path to zkserver> (got %r); "
            "set ZK_IMPL=apache to run against Apache ZooKeeper" % binary)
    return [binary, cfg_path]


def spawn(cfg_path, system_props, log, work_dir):
    """Starts the server for `cfg_path`, its output appended to the open file `log`."""
    env = dict(os.environ)
    if system_props:
        env["SERVER_JVMFLAGS"] = " ".join(system_property_flags(system_props))
    return subprocess.Popen(
        launcher_command(cfg_path, system_props),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=work_dir,
        preexec_fn=_die_with_parent)


def free_port():
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def probe_session(host, port, timeout=2.0):
    """True when the server completes a handshake; the probe session is closed again."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.settimeout(timeout)
            jute.send_frame(s, jute.connect_request(timeout_ms=4000))
            reply = jute.recv_frame(s)
            if reply is None:
                return False
            resp = jute.parse_connect_response(reply)
            if resp["timeOut"] <= 0:
                return False
            jute.send_frame(s, jute.request_header(1, jute.OP_CLOSE_SESSION))
            jute.recv_frame(s)  # close reply; EOF is fine too
            return True
    except (OSError, jute.DecodeError):
        return False


class ServerProcess:
    """One server: its work dir, zoo.cfg, port and process.

    `extra_cfg` entries are added to (or override) the base zoo.cfg keys;
    an entry whose value is None removes that key.
    """

    def __init__(self, work_dir, extra_cfg=None, name="zk", system_props=None):
        self.work_dir = str(work_dir)
        self.name = name
        self.data_dir = os.path.join(self.work_dir, "data")
        self.cfg_path = os.path.join(self.work_dir, "zoo.cfg")
        self.log_path = os.path.join(self.work_dir, "server.log")
        self.extra_cfg = dict(extra_cfg or {})
        self.system_props = dict(system_props or {})
        self.port = None
        self.process = None
        os.makedirs(self.data_dir, exist_ok=True)

    @property
    def host(self):
        return HOST

    @property
    def hostport(self):
        return "%s:%d" % (HOST, self.port)

    def cfg(self):
        """The zoo.cfg keys this server runs with."""
        keys = {
            "tickTime": "2000",
            "initLimit": "10",
            "syncLimit": "5",
            "dataDir": self.data_dir,
            "clientPort": str(self.port),
            "clientPortAddress": HOST,
            "maxClientCnxns": "60",
            "admin.enableServer": "false",
            "4lw.commands.whitelist": "*",
        }
        for key, value in self.extra_cfg.items():
            if value is None:
                keys.pop(key, None)
            else:
                keys[key] = str(value)
        return keys

    def write_cfg(self):
        with open(self.cfg_path, "w") as f:
            for key, value in self.cfg().items():
                f.write("%s=%s\n" % (key, value))

    def start(self, attempts=3):
        """Starts the server and waits until it answers; retries on a port clash."""
        assert self.process is None, "server already running"
        last_error = None
        for _ in range(attempts):
            if self.port is None or last_error is not None:
                self.port = free_port()
            self.write_cfg()
            try:
                self._spawn_and_wait()
                return self
            except RuntimeError as e:
                last_error = e
                self.stop()
        raise RuntimeError("server did not start: %s\n--- log tail ---\n%s" %
                           (last_error, self.log_tail()))

    def _spawn_and_wait(self):
        with open(self.log_path, "ab") as log:
            self.process = spawn(self.cfg_path, self.system_props, log, self.work_dir)
        deadline = Deadline(START_TIMEOUT)
        while not deadline.expired():
            if self.process.poll() is not None:
                raise RuntimeError("exited with status %d" % self.process.returncode)
            if probe_session(HOST, self.port):
                return
            time.sleep(0.1)
        raise RuntimeError("no handshake within %.0fs" % START_TIMEOUT)

    def stop(self):
        """SIGTERM, bounded wait, then SIGKILL. Safe to call twice."""
        proc, self.process = self.process, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=STOP_TIMEOUT)

    def kill(self):
        """SIGKILL: a crash, not a shutdown."""
        proc, self.process = self.process, None
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait(timeout=STOP_TIMEOUT)

    def restart(self):
        """Stops and starts again on the same port and data dir."""
        self.stop()
        self._spawn_and_wait_on_same_port()
        return self

    def _spawn_and_wait_on_same_port(self):
        # The old listener is gone once the process exited; the port stays ours
        # unless something else grabbed it meanwhile, which start() would retry.
        self.write_cfg()
        deadline = Deadline(START_TIMEOUT)
        while True:
            try:
                self._spawn_and_wait()
                return
            except RuntimeError:
                self.stop()
                if deadline.expired():
                    raise RuntimeError("restart failed\n--- log tail ---\n" + self.log_tail())
                time.sleep(0.2)

    def running(self):
        return self.process is not None and self.process.poll() is None

    def log_tail(self, max_bytes=4000):
        try:
            with open(self.log_path, "rb") as f:
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - max_bytes))
                return f.read().decode("utf-8", "replace")
        except OSError:
            return "(no log)"
