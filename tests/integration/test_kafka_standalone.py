"""Kafka-style brokers (Apache's Java client) coordinating through one server.

Each test runs one scenario of the Java suite in tests/kafka under its own
chroot on the module's shared server, and asserts on the properties it prints.
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "kafka"))
import suite_runner  # noqa: E402

RUN_TIMEOUT = 90.0


@pytest.fixture(scope="module", autouse=True)
def compiled_suite():
    """Compiles once per module, outside the time budget of the first scenario."""
    return suite_runner.classes_dir()


def run(zk_server, scenario, required):
    result = suite_runner.run(zk_server.hostport, [scenario], timeout=RUN_TIMEOUT)
    result.assert_passed(required)
    return result


def test_brokers_share_one_cluster_id_and_a_duplicate_broker_id_is_refused(zk_server):
    run(zk_server, "registration", [
        "racing brokers agree on the one cluster id",
        "every broker is registered under /brokers/ids",
        "a duplicate broker id is refused with NodeExists",
        "the refused duplicate leaves the first registration untouched",
        "a cleanly closed broker's registration is gone when close returns",
    ])


def test_one_controller_wins_and_a_closed_controller_is_replaced_with_the_next_epoch(zk_server):
    result = run(zk_server, "election", [
        "exactly one broker won the race",
        "the first controller creates /controller_epoch at 1",
        "the controller epoch rose by exactly one",
        "watch fired exactly once",
        "a rejoining broker does not take over a live controller",
        "the epoch counts every controller",
    ])
    # Two failovers, two survivors each: four watches that fired exactly once.
    assert sum("watch fired exactly once" in p for p in result.passed) == 4


def test_partition_state_changes_only_on_the_expected_version_and_controller_epoch(zk_server):
    run(zk_server, "topics", [
        "the controller creates a state znode for every new partition",
        "every partition starts led by its first replica",
        "an ISR update on a stale version is refused with BadVersion",
        "of two racing updates on one version exactly one wins",
        "the controller's epoch-guarded update applies",
        "the new controller moves every partition off the closed broker",
        "a stale controller's update is refused with BadVersion",
        "the multi reports BadVersion on the epoch check and RuntimeInconsistency after",
        "nothing of the stale controller's multi was applied",
        "the controller deletes a topic marked under /admin/delete_topics",
    ])


def test_sequential_notifications_are_consumed_in_order_exactly_once(zk_server):
    run(zk_server, "notifications", [
        "ten-digit sequence numbers, none skipped",
        "broker 1 applied each config change once, in sequence order",
        "broker 3 ends with the last config written for every topic",
        "the controller consumes and deletes every isr_change_ notification",
        "the controller handled each isr change once, in sequence order",
    ])


def test_a_silent_controller_expires_and_its_successor_fences_it(zk_server):
    run(zk_server, "expiry", [
        "broker 1's registration vanishes with its session",
        "exactly one surviving broker won the election",
        "the controller epoch rose by exactly one",
        "broker 2's /controller watch fired exactly once",
        "broker 3's /controller watch fired exactly once",
        "the silent broker has not yet heard of its expiry",
        "back online, the silent broker is told its session expired",
        "a stale controller's update is refused with BadVersion",
        "nothing of the stale controller's multi was applied",
        "the expired broker rejoins under a new session, as a follower",
    ])


def test_a_controller_paused_with_sigstop_expires_and_learns_it_on_resume(zk_server):
    run(zk_server, "pause", [
        "the broker process becomes controller",
        "broker 1's registration vanishes with its session",
        "exactly one surviving broker won the election",
        "the controller epoch rose by exactly one",
        "broker 2's /controller watch fired exactly once",
        "broker 3's /controller watch fired exactly once",
        "the new controller moves every partition off the paused broker",
        "resumed, the paused broker is told its session expired",
    ])
