"""The linearizability checker on synthetic histories, no server involved.

Each history is written as a list of events in real-time order, so a test
reads like a timeline. Both outcomes are checked: legal histories pass and
every kind of violation is caught.
"""

import random
import time

import pytest

from harness import linearizability as lin
from harness.linearizability import BADVERSION

INITIAL = (b"0", 0)


def build(events):
    """events: ("invoke", name, process, kind, args...) | (status, name[, result]).

    kind/args: ("read",) ("write", value) ("cas", expected_version, value)."""
    h = lin.History()
    by_name = {}
    for event in events:
        if event[0] == "invoke":
            _, name, process, kind, *args = event
            if kind == "write":
                by_name[name] = h.invoke(process, "k", "write", value=args[0])
            elif kind == "cas":
                by_name[name] = h.invoke(process, "k", "cas", expected=args[0], value=args[1])
            else:
                by_name[name] = h.invoke(process, "k", "read")
        elif event[0] == "ok":
            h.ok(by_name[event[1]], event[2] if len(event) > 2 else None)
        elif event[0] == "fail":
            h.fail(by_name[event[1]])
        elif event[0] == "info":
            h.info(by_name[event[1]])
    h.close()
    return h


def linearizable(events, initial=INITIAL):
    results = lin.check(build(events), {"k": initial})
    return all(results), results


def seq(process, name, kind, *args, result=None):
    """One operation that completes before the next event."""
    return [("invoke", name, process, kind) + args, ("ok", name, result)]


def test_a_sequential_history_of_reads_writes_and_cas_is_linearizable():
    events = (seq(1, "a", "read", result=(b"0", 0)) + seq(1, "b", "cas", 0, b"1", result=1) +
              seq(2, "c", "read", result=(b"1", 1)) + seq(2, "d", "write", b"2", result=2) +
              seq(1, "e", "cas", 0, b"x", result=BADVERSION) + seq(1, "f", "read", result=(b"2", 2)))
    ok, results = linearizable(events)
    assert ok, results


def test_a_read_that_returns_a_value_never_written_is_caught():
    ok, results = linearizable(seq(1, "a", "read", result=(b"9", 0)))
    assert not ok
    assert "cannot" in results[0].explanation


def test_a_stale_read_after_an_acknowledged_write_is_caught():
    events = seq(1, "w", "cas", 0, b"1", result=1) + seq(2, "r", "read", result=(b"0", 0))
    ok, _ = linearizable(events)
    assert not ok


def test_a_read_concurrent_with_a_write_may_see_either_value():
    for seen in ((b"0", 0), (b"1", 1)):
        events = [("invoke", "w", 1, "cas", 0, b"1"), ("invoke", "r", 2, "read"),
                  ("ok", "r", seen), ("ok", "w", 1)]
        ok, results = linearizable(events)
        assert ok, (seen, results)


def test_reads_concurrent_with_one_write_cannot_go_back_in_time():
    # Both reads overlap the write, but the second starts after the first saw
    # the new value, so it cannot see the old one.
    events = [("invoke", "w", 1, "cas", 0, b"1"),
              ("invoke", "r1", 2, "read"), ("ok", "r1", (b"1", 1)),
              ("invoke", "r2", 3, "read"), ("ok", "r2", (b"0", 0)),
              ("ok", "w", 1)]
    ok, _ = linearizable(events)
    assert not ok


def test_two_successful_cas_from_the_same_version_are_caught():
    events = [("invoke", "a", 1, "cas", 0, b"a"), ("invoke", "b", 2, "cas", 0, b"b"),
              ("ok", "a", 1), ("ok", "b", 1)]
    ok, _ = linearizable(events)
    assert not ok


def test_a_cas_may_fail_only_when_the_version_differs():
    legal = [("invoke", "a", 1, "cas", 0, b"a"), ("invoke", "b", 2, "cas", 0, b"b"),
             ("ok", "a", 1), ("ok", "b", BADVERSION)]
    assert linearizable(legal)[0]
    illegal = seq(1, "a", "cas", 0, b"a", result=BADVERSION)
    assert not linearizable(illegal)[0]


def test_concurrent_writes_need_an_order_that_explains_every_read():
    # w1 and w2 overlap; reads after both show w2 then w1 is impossible, but
    # w1 then w2 is fine, so only a consistent pair of reads is accepted.
    base = [("invoke", "w1", 1, "write", b"a"), ("invoke", "w2", 2, "write", b"b"),
            ("ok", "w1", None), ("ok", "w2", None)]
    assert linearizable(base + seq(3, "r1", "read", result=(b"b", 2)) +
                        seq(3, "r2", "read", result=(b"b", 2)))[0]
    assert linearizable(base + seq(3, "r1", "read", result=(b"a", 2)))[0]
    assert not linearizable(base + seq(3, "r1", "read", result=(b"b", 2)) +
                            seq(3, "r2", "read", result=(b"a", 2)))[0]


def test_a_write_with_unknown_outcome_may_take_effect_long_after_it_timed_out():
    events = ([("invoke", "w", 1, "cas", 0, b"1"), ("info", "w")] +
              seq(2, "r1", "read", result=(b"0", 0)) + seq(2, "r2", "read", result=(b"1", 1)))
    ok, results = linearizable(events)
    assert ok, results


def test_a_write_with_unknown_outcome_may_never_take_effect():
    events = [("invoke", "w", 1, "write", b"1"), ("info", "w")] + \
        seq(2, "r", "read", result=(b"0", 0))
    assert linearizable(events)[0]


def test_a_write_with_unknown_outcome_cannot_take_effect_before_it_was_invoked():
    events = seq(2, "r", "read", result=(b"1", 1)) + [("invoke", "w", 1, "write", b"1"),
                                                      ("info", "w")]
    assert not linearizable(events)[0]


def test_a_failed_operation_is_known_not_to_have_happened():
    events = [("invoke", "w", 1, "write", b"1"), ("fail", "w")] + \
        seq(2, "r", "read", result=(b"1", 1))
    assert not linearizable(events)[0]


def test_an_unknown_write_explains_one_read_but_not_a_later_return_to_the_old_value():
    events = ([("invoke", "w", 1, "write", b"1"), ("info", "w")] +
              seq(2, "r1", "read", result=(b"1", 1)) + seq(2, "r2", "read", result=(b"0", 0)))
    assert not linearizable(events)[0]


def test_a_lost_acknowledged_write_is_caught_even_after_many_operations():
    events = seq(1, "c1", "cas", 0, b"1", result=1)
    events += seq(1, "c2", "cas", 1, b"2", result=2)
    # Later readers see version 1 again: the second write was lost.
    events += seq(2, "r", "read", result=(b"1", 1))
    assert not linearizable(events)[0]


def test_the_initial_state_counts():
    assert linearizable(seq(1, "r", "read", result=(b"x", 7)), initial=(b"x", 7))[0]
    assert not linearizable(seq(1, "r", "read", result=(b"x", 7)))[0]


def test_keys_are_checked_independently():
    h = lin.History()
    a = h.invoke(1, "a", "cas", expected=0, value=b"1")
    h.ok(a, 1)
    b = h.invoke(2, "b", "read")
    h.ok(b, (b"0", 0))  # key b was never written: fine
    c = h.invoke(2, "a", "read")
    h.ok(c, (b"0", 0))  # key a was written before: stale
    results = {r.key: r.ok for r in lin.check(h, {"a": INITIAL, "b": INITIAL})}
    assert results == {"a": False, "b": True}


def _simulated_register_history(seed, clients=5, ops_per_client=40, unknown_rate=0.05):
    """Clients run against an atomic register with random overlap; some outcomes are lost."""
    rng = random.Random(seed)
    h = lin.History()
    state = list(INITIAL)
    h.states = {INITIAL[1]: INITIAL[0]}  # version -> data, for corrupting tests
    pending = {}  # process -> (op, effect-applied result or None)
    remaining = {p: ops_per_client for p in range(clients)}
    while remaining or pending:
        idle = [p for p in remaining if p not in pending]
        if idle and (not pending or rng.random() < 0.5):
            p = rng.choice(idle)
            remaining[p] -= 1
            if remaining[p] == 0:
                del remaining[p]
            kind = rng.choice(["read", "cas", "cas", "write"])
            if kind == "read":
                op = h.invoke(p, "k", "read")
            elif kind == "write":
                op = h.invoke(p, "k", "write", value=b"w%d" % op_count(h))
            else:
                op = h.invoke(p, "k", "cas", expected=state[1] - rng.randint(0, 1),
                              value=b"c%d" % op_count(h))
            pending[p] = (op, None)
            continue
        p = rng.choice(list(pending))
        op, result = pending[p]
        if result is None:
            # The atomic step happens somewhere between invoke and completion.
            if op.kind == "read":
                result = (state[0], state[1])
            elif op.kind == "write" or state[1] == op.expected:
                state = [op.value, state[1] + 1]
                h.states[state[1]] = op.value
                result = state[1]
            else:
                result = BADVERSION
            pending[p] = (op, result)
            if rng.random() < 0.5:
                continue
        del pending[p]
        if rng.random() < unknown_rate:
            h.info(op)
        else:
            h.ok(op, result)
    return h


def _version_known_before(h, read):
    """The highest version an acknowledged operation showed before `read` was invoked."""
    versions = [0]
    for op in h.ops:
        if op.status == "ok" and op.complete < read.invoke and op.result != BADVERSION:
            versions.append(op.result[1] if op.kind == "read" else op.result)
    return max(versions)


def op_count(h):
    return len(h.ops)


@pytest.mark.parametrize("seed", range(8))
def test_histories_of_a_correct_register_always_pass(seed):
    h = _simulated_register_history(seed)
    results = lin.check(h, {"k": INITIAL})
    assert all(results), results


@pytest.mark.parametrize("seed", range(8))
def test_a_corrupted_read_in_a_long_history_is_caught(seed):
    h = _simulated_register_history(seed)
    rng = random.Random(seed)
    victim, known = rng.choice([(op, _version_known_before(h, op)) for op in h.ops
                                if op.kind == "read" and op.status == "ok" and
                                _version_known_before(h, op) >= 1])
    # A real earlier state, but one that a completed operation had already replaced.
    victim.result = (h.states[known - 1], known - 1)
    results = lin.check(h, {"k": INITIAL})
    assert not all(results)


def test_the_search_stays_fast_with_many_unknown_outcomes():
    h = _simulated_register_history(99, clients=6, ops_per_client=60, unknown_rate=0.1)
    start = time.monotonic()
    results = lin.check(h, {"k": INITIAL})
    assert all(results), results
    assert time.monotonic() - start < 20
