"""Read-only mode: a member that loses its quorum keeps serving reads to
clients that allow it (readonlymode.enabled), refuses their writes with
NotReadOnly, answers `isro` with "ro", and goes back to normal once a quorum
is back."""

import threading

import pytest
from kazoo.client import KazooClient
from kazoo.exceptions import NotReadOnlyCallError
from kazoo.protocol.states import KeeperState

from harness.ensemble import Ensemble, requires_ensemble
from harness.server import impl
from harness.wait import wait_until

# Against Apache 3.8 this scenario (a follower left alone, one host in the
# connect string) did not reach a read-only connection within 45 s here;
# kazoo's own TestReadOnlyMode, run by scripts/run-kazoo-suite.sh --ensemble,
# covers read-only mode against both.
pytestmark = [requires_ensemble(),
              pytest.mark.skipif(impl() == "apache", reason="see the module comment")]


@pytest.fixture
def ensemble(tmp_path):
    with Ensemble(tmp_path, participants=3,
                  system_props={"readonlymode.enabled": "true"}) as e:
        e.start()
        yield e


def test_a_member_without_quorum_serves_reads_only(ensemble):
    ensemble.wait_healthy()
    survivor = ensemble.followers()[0]
    writer = KazooClient(hosts=ensemble.hosts(), timeout=10.0)
    writer.start(timeout=30)
    writer.create("/ro", b"before")
    writer.stop()
    writer.close()

    client = KazooClient(hosts=ensemble.hosts([survivor]), timeout=10.0, read_only=True)
    read_only = threading.Event()
    client.add_listener(lambda s: read_only.set()
                        if client.client_state == KeeperState.CONNECTED_RO else None)
    client.start(timeout=30)
    try:
        assert survivor.word("isro") == "rw"
        for m in ensemble:
            if m is not survivor:
                m.stop()
        assert read_only.wait(45), "no read-only connection"
        wait_until(lambda: survivor.word("isro") == "ro", timeout=10, message="isro says ro")
        client.sync("/ro")
        assert client.get("/ro")[0] == b"before"
        with pytest.raises(NotReadOnlyCallError):
            client.create("/ro/child")

        for m in ensemble:
            if m is not survivor:
                m.start()
        ensemble.wait_healthy()
        wait_until(lambda: client.client_state == KeeperState.CONNECTED, timeout=30,
                   message="back to a read-write connection")
        client.create("/ro/child")
        assert survivor.word("isro") == "rw"
    finally:
        client.stop()
        client.close()
