"""Drivers for the real command-line clients from Debian's ZooKeeper packages.

zkCli.sh (Java, package `zookeeper`) runs one command per invocation;
cli_mt (C, package `zookeeper-bin`) is driven line by line through stdin.
"""

import os
import queue
import re
import subprocess
import threading

from .wait import Deadline

ZKCLI = os.environ.get("ZKCLI", "/usr/share/zookeeper/bin/zkCli.sh")
CLI_MT = os.environ.get("CLI_MT", "/usr/lib/zookeeper/bin/cli_mt")

ZKCLI_TIMEOUT = 60.0
CLI_MT_EXIT_TIMEOUT = 10.0


def run_zkcli(hostport, *command, timeout=ZKCLI_TIMEOUT):
    """Runs `zkCli.sh -server hostport <command...>`; returns (exit code, output lines).

    zkCli.sh prints some results on stdout and others (e.g. "Created /x",
    errors) on stderr, so both are returned together; its logger noise
    (SLF4J lines, the connection banner) is dropped.
    """
    proc = subprocess.run([ZKCLI, "-server", hostport] + list(command),
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=timeout)
    lines = proc.stdout.decode("utf-8", "replace").splitlines()
    noise = re.compile(r"^(SLF4J:|Connecting to |WATCHER::|WatchedEvent state:SyncConnected "
                       r"type:None path:null|\s*$)")
    return proc.returncode, [line for line in lines if not noise.match(line)]


def run_zkcli_script(hostport, commands, timeout=ZKCLI_TIMEOUT, env=None):
    """Runs one zkCli.sh session with `commands` piped to its stdin, then quit.

    Piped input disables line editing, so the output has no prompts. Returns
    (exit code, output lines) with the same noise dropped as run_zkcli, and the
    final Closed event too. Watch events come from the client's event thread,
    so they may interleave with command output in any order.
    """
    script = "\n".join(list(commands) + ["quit"]) + "\n"
    proc = subprocess.run([ZKCLI, "-server", hostport], input=script.encode("utf-8"),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout,
                          env=env)
    lines = proc.stdout.decode("utf-8", "replace").splitlines()
    noise = re.compile(r"^(SLF4J:|Connecting to |WATCHER::|Welcome to ZooKeeper!|"
                       r"JLine support is disabled|WatchedEvent state:(SyncConnected|Closed) "
                       r"type:None path:null|\s*$)")
    return proc.returncode, [line for line in lines if not noise.match(line)]


class CliMt:
    """The C client's shell with its output read by a thread into a queue."""

    def __init__(self, hostport):
        self.proc = subprocess.Popen([CLI_MT, "-h", hostport], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.lines = queue.Queue()
        self.transcript = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for raw_line in self.proc.stdout:
            self.lines.put(raw_line.decode("utf-8", "replace").rstrip("\n"))
        self.lines.put(None)

    def send(self, line):
        self.proc.stdin.write((line + "\n").encode("utf-8"))
        self.proc.stdin.flush()

    def expect(self, pattern, timeout=15.0):
        """Consumes output lines until one matches `pattern`; returns the lines read."""
        regex = re.compile(pattern)
        seen = []
        deadline = Deadline(timeout)
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline.remaining()))
            except queue.Empty:
                line = None
                if not deadline.expired():
                    continue
            if line is None:
                raise AssertionError("no line matching %r; got:\n%s" % (pattern, "\n".join(seen)))
            seen.append(line)
            self.transcript.append(line)
            if regex.search(line):
                return seen

    def command(self, line, done_pattern, timeout=15.0):
        """Sends one command and returns its output up to the line matching done_pattern."""
        self.send(line)
        return self.expect(done_pattern, timeout)

    def close(self):
        if self.proc.poll() is None:
            try:
                self.send("quit")
                self.proc.stdin.close()
            except (BrokenPipeError, OSError):
                pass
            try:
                self.proc.wait(timeout=CLI_MT_EXIT_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=CLI_MT_EXIT_TIMEOUT)
        self.reader.join(timeout=CLI_MT_EXIT_TIMEOUT)
        self.proc.stdout.close()
