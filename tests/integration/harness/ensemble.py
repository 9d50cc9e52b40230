"""A replicated ensemble of server processes on 127.0.0.1.

Each member is a `ServerProcess` (same launcher, log file, stop-by-PID) with
its own zoo.cfg listing every member as
`server.N=127.0.0.1:<peer>:<election>[:observer]` and its id in
`<dataDir>/myid`, so ZK_IMPL=ours and ZK_IMPL=apache start the same way.

With `proxied=True` the peer links run through TCP proxies the test controls:
in member A's zoo.cfg, member B's peer and election addresses are proxies that
exist only for the pair (A, B), while A's own entry keeps its real ports.
Every server-to-server connection therefore crosses exactly one proxy, and
cutting the proxies of one member isolates it from the others while its
clients, which connect directly, stay connected to it.

Every wait has a deadline; every process is stopped by PID.
"""

import os
import signal
import time

from . import fourlw
from .proxy import Proxy
from .server import (HOST, START_TIMEOUT, STOP_TIMEOUT, ServerProcess, free_port, probe_session,
                     spawn)
from .wait import Deadline

# Quorum forming after a start or a failure: leader election, then sync.
ELECTION_TIMEOUT = float(os.environ.get("ZK_ELECTION_TIMEOUT", "60"))

SERVING_MODES = ("leader", "follower", "observer")

# Apache's election backs off up to 60s between notification rounds, so a
# member that was cut off may take a minute to rejoin; tests cap it at 2s.
# Passed to our server too (SERVER_JVMFLAGS), which may ignore it.
QUICK_ELECTION = {"zookeeper.fastleader.maxNotificationInterval": "2000"}


def ensemble_supported():
    """Both implementations run ensembles; ZK_ENSEMBLE_READY=0 skips ensemble tests."""
    return os.environ.get("ZK_ENSEMBLE_READY", "1") != "0"


def requires_ensemble():
    """A pytest mark for ensemble tests (skipped only with ZK_ENSEMBLE_READY=0)."""
    import pytest
    return pytest.mark.skipif(not ensemble_supported(),
                              reason="ensemble tests disabled (ZK_ENSEMBLE_READY=0)")


def _distinct_free_ports(count):
    ports = set()
    deadline = Deadline(10)
    while len(ports) < count:
        if deadline.expired():
            raise RuntimeError("could not find %d free ports" % count)
        ports.add(free_port())
    return list(ports)


class Member(ServerProcess):
    """One member of an ensemble: a server with an id, a role and peer ports."""

    def __init__(self, ensemble, sid, role, work_dir, extra_cfg=None, system_props=None):
        super().__init__(work_dir, extra_cfg=extra_cfg, name="server%d" % sid,
                         system_props=system_props)
        self.ensemble = ensemble
        self.sid = sid
        self.role = role  # "participant" or "observer"
        self.peer_port = None
        self.election_port = None
        self.paused = False

    def __repr__(self):
        return "<server.%d %s %s>" % (self.sid, self.role, self.hostport)

    def cfg(self):
        keys = super().cfg()
        for key, value in self.ensemble.server_lines(self.sid).items():
            keys[key] = value
        if self.role == "observer":
            keys["peerType"] = "observer"
        return keys

    def write_cfg(self):
        super().write_cfg()
        with open(os.path.join(self.data_dir, "myid"), "w") as f:
            f.write("%d\n" % self.sid)

    def spawn(self):
        """Starts the process without waiting: a member serves only once a quorum exists."""
        assert self.process is None, "%r already running" % self
        self.write_cfg()
        with open(self.log_path, "ab") as log:
            log.write(("\n=== start %s at %.3f ===\n" % (self.name, time.time())).encode())
            log.flush()
            self.process = spawn(self.cfg_path, self.system_props, log, self.work_dir)
        self.paused = False
        return self

    def start(self, attempts=1):
        """Spawns and waits until this member serves (needs a live quorum)."""
        del attempts  # ports are fixed for the ensemble's lifetime
        self.spawn()
        self.wait_serving()
        return self

    def restart(self):
        self.stop()
        return self.start()

    def stop(self):
        if self.paused:
            self.resume()  # a stopped process cannot act on SIGTERM
        super().stop()

    def kill(self):
        """SIGKILL (kill -9): a crash, not a shutdown."""
        self.paused = False
        super().kill()

    def pause(self):
        """SIGSTOP: the process keeps its sockets but stops answering."""
        assert self.running(), "%r is not running" % self
        self.process.send_signal(signal.SIGSTOP)
        self.paused = True

    def resume(self):
        if self.process is not None and self.paused:
            self.process.send_signal(signal.SIGCONT)
        self.paused = False

    @property
    def pid(self):
        return self.process.pid if self.process is not None else None

    def serving(self):
        """True when a client handshake succeeds right now."""
        return self.running() and not self.paused and probe_session(HOST, self.port, timeout=2.0)

    def wait_serving(self, timeout=ELECTION_TIMEOUT):
        deadline = Deadline(timeout)
        while not deadline.expired():
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError("%r is not running\n--- log tail ---\n%s" %
                                   (self, self.log_tail()))
            if self.serving():
                return self
            time.sleep(0.2)
        raise RuntimeError("%r did not serve within %.0fs\n--- log tail ---\n%s" %
                           (self, timeout, self.log_tail()))

    def word(self, word, timeout=5.0):
        return fourlw.send_word(HOST, self.port, word, timeout=timeout)

    def mode(self):
        """'leader', 'follower', 'observer', or None when not serving (or unreachable)."""
        if not self.running() or self.paused:
            return None
        try:
            text = self.word("srvr", timeout=3.0)
        except OSError:
            return None
        mode = fourlw.parse_colon_lines(text).get("Mode")
        return mode if mode in SERVING_MODES else None

    def mntr(self):
        return fourlw.parse_mntr(self.word("mntr"))


class Ensemble:
    """N participants plus optional observers; ids are 1..N+observers."""

    def __init__(self, work_dir, participants=3, observers=0, extra_cfg=None, proxied=False,
                 system_props=None):
        self.work_dir = str(work_dir)
        self.proxied = proxied
        self.members = []
        base_cfg = {"tickTime": "1000", "initLimit": "5", "syncLimit": "5"}
        base_cfg.update(extra_cfg or {})
        count = participants + observers
        ports = _distinct_free_ports(3 * count)
        for i in range(count):
            sid = i + 1
            role = "participant" if i < participants else "observer"
            m = Member(self, sid, role, os.path.join(self.work_dir, "server%d" % sid),
                       extra_cfg=base_cfg, system_props=system_props)
            m.port, m.peer_port, m.election_port = ports[3 * i:3 * i + 3]
            self.members.append(m)
        # proxies[(a, b)] = (peer proxy, election proxy) that `a` uses to reach `b`.
        self.proxies = {}
        if proxied:
            for a in self.members:
                for b in self.members:
                    if a is not b:
                        self.proxies[(a.sid, b.sid)] = (Proxy(HOST, b.peer_port),
                                                        Proxy(HOST, b.election_port))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def __iter__(self):
        return iter(self.members)

    def __len__(self):
        return len(self.members)

    def member(self, sid):
        return self.members[sid - 1]

    @property
    def participants(self):
        return [m for m in self.members if m.role == "participant"]

    def server_lines(self, for_sid):
        """The server.N keys in member `for_sid`'s zoo.cfg."""
        lines = {}
        for m in self.members:
            peer, election = m.peer_port, m.election_port
            if self.proxied and m.sid != for_sid:
                p_peer, p_election = self.proxies[(for_sid, m.sid)]
                peer, election = p_peer.port, p_election.port
            value = "%s:%d:%d" % (HOST, peer, election)
            if m.role == "observer":
                value += ":observer"
            lines["server.%d" % m.sid] = value
        return lines

    def hosts(self, members=None):
        """A connection string for the given members (default: all)."""
        members = self.members if members is None else members
        if isinstance(members, Member):
            members = [members]
        return ",".join(m.hostport for m in members)

    # --- lifecycle ---------------------------------------------------------

    def start(self, timeout=ELECTION_TIMEOUT):
        # Highest id first, as Apache's own harness does: the lowest id then
        # finds everyone up when it starts its election.
        for m in reversed(self.members):
            m.spawn()
        try:
            self.wait_healthy(timeout=timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        for m in self.members:
            m.stop()
        for pair in self.proxies.values():
            for p in pair:
                p.close()
        self.proxies = {}

    def running(self):
        return [m for m in self.members if m.running() and not m.paused]

    # --- observation ---------------------------------------------------------

    def modes(self, members=None):
        return {m.sid: m.mode() for m in (members or self.members)}

    def leader(self):
        """The one member that says it leads, or None."""
        leaders = [m for m in self.members if m.mode() == "leader"]
        return leaders[0] if len(leaders) == 1 else None

    def wait_leader(self, timeout=ELECTION_TIMEOUT, exclude=()):
        """Waits for exactly one serving leader (not among `exclude`) and returns it."""
        excluded = {m.sid for m in exclude}
        deadline = Deadline(timeout)
        while True:
            leaders = [m for m in self.running()
                       if m.sid not in excluded and m.mode() == "leader"]
            if len(leaders) == 1:
                return leaders[0]
            if deadline.expired():
                raise AssertionError("no single leader within %.0fs: modes %s" %
                                     (timeout, self.modes()))
            time.sleep(0.2)

    def followers(self):
        return [m for m in self.members if m.mode() == "follower"]

    def healthy(self, members=None):
        """Every given running member serves, exactly one of them leads, all answer a handshake."""
        members = members or self.running()
        modes = [m.mode() for m in members]
        if None in modes or modes.count("leader") != 1:
            return False
        return all(m.serving() for m in members)

    def wait_healthy(self, timeout=ELECTION_TIMEOUT, members=None):
        """Waits until every running member (or the given ones) serves with one leader."""
        deadline = Deadline(timeout)
        while not deadline.expired():
            for m in self.members:
                if m.process is not None and m.process.poll() is not None:
                    raise RuntimeError("%r exited with %d\n--- log tail ---\n%s" %
                                       (m, m.process.returncode, m.log_tail()))
            if self.healthy(members):
                return self
            time.sleep(0.2)
        raise AssertionError("ensemble not healthy within %.0fs: modes %s\n%s" %
                             (timeout, self.modes(), self._log_tails()))

    def _log_tails(self):
        return "\n".join("--- %r log tail ---\n%s" % (m, m.log_tail(1500)) for m in self.members)

    # --- partitions ----------------------------------------------------------

    def _links_of(self, sid):
        assert self.proxied, "partitions need Ensemble(proxied=True)"
        for (a, b), pair in self.proxies.items():
            if sid in (a, b):
                yield from pair

    def isolate(self, member):
        """Cuts every peer link to and from `member`; its client connections stay."""
        for p in self._links_of(member.sid):
            p.cut()

    def heal(self, member=None):
        """Restores the links of `member` (default: all links)."""
        links = (self._links_of(member.sid) if member is not None else
                 (p for pair in self.proxies.values() for p in pair))
        for p in links:
            p.restore()


__all__ = ["Ensemble", "Member", "ELECTION_TIMEOUT", "QUICK_ELECTION", "STOP_TIMEOUT", "START_TIMEOUT",
           "ensemble_supported", "requires_ensemble"]
