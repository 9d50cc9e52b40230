"""Kafka-style brokers ride through a crash of the ZooKeeper leader (3-node ensemble).

The Java suite (tests/kafka) creates topics and pauses with "AWAIT kill-leader"
in the middle; this driver kills the leader with SIGKILL, lets the suite go on,
then restarts the dead server when asked so the suite can read all three
servers directly and compare their trees.
"""

import os
import sys

from harness.ensemble import Ensemble, requires_ensemble

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "kafka"))
import suite_runner  # noqa: E402

pytestmark = requires_ensemble()

RUN_TIMEOUT = 170.0


def test_brokers_keep_their_sessions_when_the_leader_dies_mid_topic_creation(tmp_path):
    suite_runner.classes_dir()  # compile before the servers take the CPU
    killed = []

    with Ensemble(tmp_path).start() as ens:

        def act(action):
            if action == "kill-leader":
                leader = ens.wait_leader()
                leader.kill()
                killed.append(leader)
            elif action == "restart-killed":
                killed[0].start()
                ens.wait_healthy()
            else:
                raise AssertionError("unknown action %r" % action)

        result = suite_runner.run(ens.hosts(), ["ensemble"], timeout=RUN_TIMEOUT, driver=act)
        assert len(killed) == 1, "the leader was not killed\n" + result.output()
        result.assert_passed([
            "every topic gets its partition states across the leader's crash",
            "broker 1 kept its session through the crash",
            "broker 2 kept its session through the crash",
            "broker 3 kept its session through the crash",
            "the controller and its epoch are unchanged",
            "the controller initialized each topic exactly once",
        ])
        same = [p for p in result.passed if "holds the same tree as the others" in p]
        assert len(same) == 3, result.output()
