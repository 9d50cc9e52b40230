"""Record concurrent operations on znodes and check that they are linearizable.

The model is one register per znode holding (data, version), as ZooKeeper
keeps it:
  read            -> ok (data, version)         state unchanged
  write(v)        -> ok new_version             (v, version + 1)
  cas(expected,v) -> ok new_version             needs version == expected
                  -> ok "badversion"            needs version != expected
`cas` is setData with a version; a read is getData after sync.

Each operation has an invoke event and a completion: `ok` (it happened, with
this result), `fail` (it certainly did not happen: it is dropped), or `info`
(unknown, e.g. a timeout or a lost connection: it may take effect at any time
after its invoke, or never). Operations never completed are `info` too.

The checker is Wing & Gong's search with Lowe's memoisation (the approach of
Knossos and Porcupine): walk the history, linearize any pending call whose
model step is legal, backtrack at the first return whose call was not
linearized, and never revisit a (linearized set, state) pair. Keys are
independent registers, so each key is checked on its own.
"""

import threading

BADVERSION = "badversion"


class Op:
    __slots__ = ("id", "process", "key", "kind", "value", "expected", "invoke", "complete",
                 "status", "result")

    def __init__(self, op_id, process, key, kind, value=None, expected=None):
        self.id = op_id
        self.process = process
        self.key = key
        self.kind = kind  # "read", "write" or "cas"
        self.value = value
        self.expected = expected
        self.invoke = None
        self.complete = None
        self.status = None  # "ok", "fail", "info"
        self.result = None

    def __repr__(self):
        args = {
            "read": "",
            "write": "%r" % (self.value,),
            "cas": "%r, %r" % (self.expected, self.value)
        }[self.kind]
        return "op%d[p%s %s %s(%s) -> %s %r @%s..%s]" % (self.id, self.process, self.key,
                                                         self.kind, args, self.status, self.result,
                                                         self.invoke, self.complete)


class History:
    """A thread-safe log of invocations and completions in real-time order."""

    def __init__(self):
        self._lock = threading.Lock()
        self._clock = 0
        self.ops = []

    def _tick(self):
        self._clock += 1
        return self._clock

    def invoke(self, process, key, kind, value=None, expected=None):
        """Call right before sending the request."""
        with self._lock:
            op = Op(len(self.ops), process, key, kind, value, expected)
            op.invoke = self._tick()
            self.ops.append(op)
            return op

    def _complete(self, op, status, result):
        with self._lock:
            assert op.status is None, "%r completed twice" % op
            op.complete = self._tick()
            op.status = status
            op.result = result

    def ok(self, op, result=None):
        """Call right after the reply arrived: the operation happened with `result`."""
        self._complete(op, "ok", result)

    def fail(self, op):
        """The operation certainly had no effect."""
        self._complete(op, "fail", None)

    def info(self, op):
        """The outcome is unknown: it may have happened or not."""
        self._complete(op, "info", None)

    def close(self):
        """Marks operations still in flight as unknown."""
        with self._lock:
            pending = [op for op in self.ops if op.status is None]
        for op in pending:
            self.info(op)

    def keys(self):
        return sorted({op.key for op in self.ops})

    def counts(self):
        out = {}
        for op in self.ops:
            k = "%s:%s" % (op.kind, op.status if op.result != BADVERSION else BADVERSION)
            out[k] = out.get(k, 0) + 1
        return out


def step(state, op):
    """(legal, next state) for applying `op` to `state` = (data, version)."""
    data, version = state
    if op.kind == "read":
        return (data, version) == tuple(op.result), state
    if op.kind == "write":
        new_state = (op.value, version + 1)
        return op.status == "info" or op.result in (None, version + 1), new_state
    if op.kind == "cas":
        if op.status == "info":
            # Only the outcome that changes the state is worth trying; a
            # failed unknown cas is the same as one that never happened.
            return version == op.expected, (op.value, version + 1)
        if op.result == BADVERSION:
            return version != op.expected, state
        return version == op.expected and op.result in (None, version + 1), (op.value, version + 1)
    raise ValueError("unknown operation kind %r" % op.kind)


class Result:
    def __init__(self, key, ok, ops, explanation=""):
        self.key = key
        self.ok = ok
        self.ops = ops
        self.explanation = explanation

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return "<%s %s: %d ops%s>" % (self.key, "linearizable" if self.ok else "NOT linearizable",
                                      len(self.ops), "" if self.ok else "\n" + self.explanation)


class _Entry:
    __slots__ = ("op", "is_call", "match", "prev", "next")

    def __init__(self, op, is_call):
        self.op = op
        self.is_call = is_call
        self.match = None
        self.prev = None
        self.next = None


def _entry_list(ops):
    """A doubly linked list of call and return entries in time order, behind a sentinel."""
    infinity = float("inf")
    events = []
    for op in ops:
        call, ret = _Entry(op, True), _Entry(op, False)
        call.match = ret
        events.append((op.invoke, 0, call))
        # An unknown outcome never returns: it may take effect at any later point.
        events.append((infinity if op.status == "info" else op.complete, 1, ret))
    events.sort(key=lambda e: (e[0], e[1], e[2].op.id))
    head = _Entry(None, False)
    prev = head
    for _, _, entry in events:
        prev.next = entry
        entry.prev = prev
        prev = entry
    return head


def _lift(entry):
    entry.prev.next = entry.next
    if entry.next is not None:
        entry.next.prev = entry.prev
    ret = entry.match
    ret.prev.next = ret.next
    if ret.next is not None:
        ret.next.prev = ret.prev


def _unlift(entry):
    ret = entry.match
    ret.prev.next = ret
    if ret.next is not None:
        ret.next.prev = ret
    entry.prev.next = entry
    if entry.next is not None:
        entry.next.prev = entry


def check_key(key, ops, initial, max_steps=2_000_000):
    """Checks the operations on one key against a register starting at `initial`."""
    ops = [op for op in ops if op.status != "fail" and not (op.kind == "read" and op.status == "info")]
    for op in ops:
        if op.status not in ("ok", "info"):
            raise ValueError("%r has no completion (call History.close())" % op)
    bit = {op.id: 1 << i for i, op in enumerate(ops)}
    required = sum(1 for op in ops if op.status == "ok")
    head = _entry_list(ops)
    state = tuple(initial)
    linearized = 0
    done = 0
    stack = []
    cache = set()
    best = []
    steps = 0
    entry = head.next
    while done < required:
        steps += 1
        if steps > max_steps:
            raise RuntimeError("linearizability search for %s exceeded %d steps" % (key, max_steps))
        if entry is not None and entry.is_call:
            legal, next_state = step(state, entry.op)
            if legal:
                next_lin = linearized | bit[entry.op.id]
                if (next_lin, next_state) not in cache:
                    cache.add((next_lin, next_state))
                    stack.append((entry, state))
                    state, linearized = next_state, next_lin
                    done += entry.op.status == "ok"
                    _lift(entry)
                    if len(stack) > len(best):
                        best = [e.op for e, _ in stack]
                    entry = head.next
                    continue
            entry = entry.next
        else:
            # A return whose call could not be placed before it: undo the last choice.
            if not stack:
                blocking = entry.op if entry is not None else None
                return Result(key, False, ops, _explain(best, initial, blocking, ops))
            top, state = stack.pop()
            linearized &= ~bit[top.op.id]
            done -= top.op.status == "ok"
            _unlift(top)
            entry = top.next
    return Result(key, True, ops)


def _explain(best, initial, blocking, ops):
    state = tuple(initial)
    lines = ["longest linearizable prefix (%d of %d ops), from %r:" % (len(best), len(ops), state)]
    for op in best:
        _, state = step(state, op)
        lines.append("  %r  => %r" % (op, state))
    placed = {op.id for op in best}
    if blocking is not None:
        lines.append("then %r must have happened, but cannot" % blocking)
    pending = [op for op in ops if op.id not in placed and op.status == "ok"]
    lines.append("ops not placed (first 10): %s" % pending[:10])
    return "\n".join(lines)


def check(history, initial):
    """Checks every key; `initial` maps key -> (data, version) before the first op.

    Returns a list of Result, one per key; all true when the history is linearizable."""
    by_key = {}
    for op in history.ops:
        by_key.setdefault(op.key, []).append(op)
    return [check_key(key, by_key[key], initial[key]) for key in sorted(by_key)]
