#!/usr/bin/env bash
# Fail-over time of a 3-member ensemble on 127.0.0.1: kill -9 the leader and
# measure how long until a write succeeds again through a client connected to
# a surviving member, and until a new leader reports itself (srvr).
#
# Usage: scripts/bench-election.sh [RUNS]        (default 3)
#   IMPL=ours|apache   server (default ours; ours needs an ensemble-capable zkserver)
#   ZKSERVER_BIN=PATH  our binary (default build/server/zkserver)
#   TICK_TIME          tickTime in ms (default 2000; initLimit=10, syncLimit=5)
#
# Each run: wait for a healthy ensemble, write once through a follower, kill
# the leader, retry the write (1s per attempt) until it succeeds, then restart
# the old leader. Prints one line per run and min/median/max.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-3}"
export ZK_IMPL="${IMPL:-${ZK_IMPL:-ours}}"
if [[ "${ZK_IMPL}" == "ours" ]]; then
  export ZKSERVER_BIN="${ZKSERVER_BIN:-${repo}/build/server/zkserver}"
  [[ -x "${ZKSERVER_BIN}" ]] || { echo "error: ${ZKSERVER_BIN} is not built" >&2; exit 2; }
fi
work="$(mktemp -d -t bench-election.XXXXXX)"
trap 'rm -rf "${work}"' EXIT

cd "${repo}/tests/integration"
PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 - "${runs}" "${work}" "${TICK_TIME:-2000}" <<'EOF'
import statistics
import sys
import time

from kazoo.client import KazooClient
from kazoo.exceptions import KazooException
from kazoo.handlers.threading import KazooTimeoutError

from harness.ensemble import Ensemble
from harness.server import impl

runs, work, tick = int(sys.argv[1]), sys.argv[2], sys.argv[3]
FAST_RETRY = {"max_tries": -1, "delay": 0.05, "backoff": 1.0, "max_delay": 0.05}
write_s, leader_s = [], []
print("ensemble fail-over: %s, 3 members, tickTime=%s, %d runs" % (impl(), tick, runs))
with Ensemble(work, participants=3,
              extra_cfg={"tickTime": tick, "initLimit": "10", "syncLimit": "5"}) as ens:
    ens.start()
    for run in range(1, runs + 1):
        ens.wait_healthy(timeout=120)
        leader = ens.leader()
        survivor = ens.followers()[0]
        client = KazooClient(hosts=survivor.hostport, timeout=30.0,
                             connection_retry=dict(FAST_RETRY))
        client.start(timeout=30)
        try:
            client.ensure_path("/bench-election")
            client.create("/bench-election/w", sequence=True)
            t0 = time.monotonic()
            leader.kill()
            new_leader_at = None
            while True:
                if new_leader_at is None and ens.leader() is not None:
                    new_leader_at = time.monotonic()
                try:
                    client.create_async("/bench-election/w", sequence=True).get(timeout=1.0)
                    break
                except (KazooException, KazooTimeoutError):
                    if time.monotonic() - t0 > 120:
                        raise SystemExit("no successful write within 120s")
                    time.sleep(0.02)
            t1 = time.monotonic()
            if new_leader_at is None:
                ens.wait_leader(timeout=60)
                new_leader_at = time.monotonic()
        finally:
            client.stop()
            client.close()
        write_s.append(t1 - t0)
        leader_s.append(new_leader_at - t0)
        print("run %d: killed leader server.%d; write ok via server.%d after %.2fs; "
              "new leader seen after %.2fs" % (run, leader.sid, survivor.sid, write_s[-1],
                                                leader_s[-1]))
        leader.spawn()

def summary(name, xs):
    print("%-26s min %.2fs  median %.2fs  max %.2fs" %
          (name, min(xs), statistics.median(xs), max(xs)))

summary("write available again:", write_s)
summary("new leader reported:", leader_s)
EOF
