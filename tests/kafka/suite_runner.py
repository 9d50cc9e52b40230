"""Compiles the Java Kafka coordination suite and runs it against a ZooKeeper service.

The suite (src/kafkasuite) is compiled with Debian's javac against the jars of
Debian's `zookeeper` package, once per source digest, into KAFKA_SUITE_CLASSES
(default: a directory under the system temp dir). Concurrent runs share one
compilation through a file lock.

Used by tests/integration/test_kafka_*.py; also a command line tool:

    /usr/bin/python3 tests/kafka/suite_runner.py --connect 127.0.0.1:2181 [--scenario topics]
"""

import argparse
import fcntl
import glob
import hashlib
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time

SRC_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "src")
JAVA_DIR = "/usr/share/java"
# javac needs the API jars named; at run time zookeeper.jar's manifest Class-Path
# brings in its dependencies (jute, netty, slf4j, jackson).
COMPILE_JARS = ["zookeeper.jar", "zookeeper-jute.jar", "jackson-databind.jar",
                "jackson-core.jar", "jackson-annotations.jar"]
RUN_JARS = ["zookeeper.jar", "slf4j-simple.jar"]
MAIN_CLASS = "kafkasuite.KafkaSuite"
STANDALONE_SCENARIOS = ["registration", "election", "topics", "notifications", "expiry",
                        "pause"]


def _sources():
    return sorted(glob.glob(os.path.join(SRC_DIR, "kafkasuite", "*.java")))


def _digest(sources):
    h = hashlib.sha256()
    for path in sources:
        h.update(os.path.basename(path).encode())
        with open(path, "rb") as f:
            h.update(f.read())
    return h.hexdigest()[:16]


def classes_dir():
    """Compiles the suite unless this exact source is compiled already; returns the dir."""
    sources = _sources()
    if not sources:
        raise RuntimeError("no Java sources under %s" % SRC_DIR)
    base = os.environ.get("KAFKA_SUITE_CLASSES") or os.path.join(
        tempfile.gettempdir(), "kafka-suite-classes-%d" % os.getuid())
    os.makedirs(base, exist_ok=True)
    out = os.path.join(base, _digest(sources))
    with open(os.path.join(base, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.isdir(out):
            return out
        staging = tempfile.mkdtemp(dir=base, prefix=".build-")
        cmd = ["javac", "-Xlint:all,-path", "-Werror", "-encoding", "UTF-8", "-d", staging,
               "-cp", os.pathsep.join(os.path.join(JAVA_DIR, j) for j in COMPILE_JARS)] + sources
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            raise RuntimeError("javac failed:\n%s%s" % (result.stdout, result.stderr))
        os.rename(staging, out)
    return out


def java_command(connect, scenarios):
    jars = [os.path.join(JAVA_DIR, j) for j in RUN_JARS if os.path.exists(os.path.join(JAVA_DIR, j))]
    return ["java", "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            # The client's own warnings (connection loss, expiry) help read a failure.
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp", os.pathsep.join([classes_dir()] + jars), MAIN_CLASS,
            "--connect", connect, "--scenario", ",".join(scenarios)]


class Result:
    """The runner's output lines, split into what the tests assert on."""

    def __init__(self, returncode, lines):
        self.returncode = returncode
        self.lines = lines
        self.passed = [l[len("PASS "):] for l in lines if l.startswith("PASS ")]
        self.failed = [l[len("FAIL "):] for l in lines if l.startswith("FAIL ")]
        self.summary = next((l for l in lines if l.startswith("SUMMARY ")), None)

    def output(self):
        return "\n".join(self.lines)

    def assert_passed(self, required=()):
        """Exit 0, no FAIL line, a summary, and every `required` property among the PASS lines."""
        assert not self.failed, "violated properties:\n  %s\n--- output ---\n%s" % (
            "\n  ".join(self.failed), self.output())
        assert self.returncode == 0, "runner exited %s\n%s" % (self.returncode, self.output())
        assert self.summary is not None, "no SUMMARY line\n" + self.output()
        missing = [r for r in required if not any(r in p for p in self.passed)]
        assert not missing, "properties not checked: %s\n%s" % (missing, self.output())


def run(connect, scenarios, timeout=150.0, driver=None, echo=False):
    """Runs the suite; `driver(action)` answers each "AWAIT <action>" line. Bounded by `timeout`."""
    proc = subprocess.Popen(java_command(connect, scenarios), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    lines_q = queue.Queue()

    def pump():
        for line in proc.stdout:
            lines_q.put(line.rstrip("\n"))
        lines_q.put(None)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    lines = []
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                lines.append("FAIL runner: no result within %.0fs" % timeout)
                break
            try:
                line = lines_q.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                break
            lines.append(line)
            if echo:
                print(line, flush=True)
            if line.startswith("AWAIT "):
                action = line[len("AWAIT "):].strip()
                if driver is None:
                    raise RuntimeError("the suite asks for %r but no driver was given" % action)
                driver(action)
                proc.stdin.write("done\n")
                proc.stdin.flush()
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        reader.join(timeout=5)
    return Result(proc.returncode, lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connect", required=True, help="host:port[,host:port...]")
    parser.add_argument("--scenario", default="standalone",
                        help="comma list: %s, or standalone" % ", ".join(STANDALONE_SCENARIOS))
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    scenarios = []
    for s in args.scenario.split(","):
        scenarios.extend(STANDALONE_SCENARIOS if s == "standalone" else [s])
    result = run(args.connect, scenarios, timeout=args.timeout, echo=True)
    return 0 if result.returncode == 0 and not result.failed else 1


if __name__ == "__main__":
    sys.exit(main())
