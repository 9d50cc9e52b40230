#!/usr/bin/env bash
# Write throughput, server CPU per write and latency: our server against
# Apache ZooKeeper 3.8, both standalone with sync on, each on a fresh data dir.
# zkload runs the same setData load against each, alternating, and reads the
# server's utime+stime from /proc over the measured window.
#
# The max column is the longest single write: with PRELOAD znodes in the tree
# and a SNAP_COUNT small enough that snapshots happen during the run, it
# shows how long a snapshot stalls the write path.
#
# Usage: scripts/bench-writes.sh [seconds=10] [rounds=2]
# Environment: SESSIONS (32), INFLIGHT (64), VALUE_BYTES (100), WARMUP (2 s),
# PRELOAD (znodes created before measuring, 0), SNAP_COUNT (zoo.cfg snapCount,
# default: the servers' own), IMPLS (servers to run, "ours apache"), and those of scripts/bench-lib.sh (BUILD_DIR,
# ZKSERVER_BIN, ZKLOAD_BIN, ...).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

seconds="${1:-10}"
rounds="${2:-2}"
sessions="${SESSIONS:-32}"
inflight="${INFLIGHT:-64}"
value_bytes="${VALUE_BYTES:-100}"
warmup="${WARMUP:-2}"
preload="${PRELOAD:-0}"
read -r -a impls <<<"${IMPLS:-ours apache}"
cfg=()
if [[ -n "${SNAP_COUNT:-}" ]]; then cfg+=("snapCount=${SNAP_COUNT}"); fi

for impl in "${impls[@]}"; do
  server_prepare "${impl}" "${cfg[@]}"
  server_start "${impl}" "${impl}"
  if ((preload > 0)); then
    echo "${impl}: creating ${preload} znodes" >&2
    "${zkload_bin}" --hosts="127.0.0.1:$(server_port "${impl}")" --op=create --root=/preload \
      --count="${preload}" --sessions="${sessions}" --inflight="${inflight}" \
      --value_bytes="${value_bytes}" --duration=3600 | grep '^RESULT' >/dev/null
  fi
done

declare -A sum_ops=() sum_cpu=() sum_p50=() sum_p99=() worst=()
rows=()
for ((round = 1; round <= rounds; round++)); do
  for impl in "${impls[@]}"; do
    result="$("${zkload_bin}" --hosts="127.0.0.1:$(server_port "${impl}")" --op=set \
      --sessions="${sessions}" --inflight="${inflight}" --value_bytes="${value_bytes}" \
      --duration="${seconds}" --warmup="${warmup}" --cpu_pid="$(server_pid "${impl}")" |
      grep '^RESULT' || true)"
    if [[ -z "${result}" ]]; then
      echo "zkload against ${impl} printed no result" >&2
      exit 1
    fi
    ops="$(kv ops_per_s "${result}")"
    cpu="$(kv cpu_ms_per_kop "${result}")"
    p50="$(kv p50_us "${result}")"
    p99="$(kv p99_us "${result}")"
    max="$(kv max_us "${result}")"
    errors="$(kv errors "${result}")"
    rows+=("$(printf '%-8s %5d %10.0f %14.1f %9.2f %9.2f %9.2f %7s' "${impl}" "${round}" \
      "${ops}" "${cpu}" "$(calc "${p50}/1000")" "$(calc "${p99}/1000")" "$(calc "${max}/1000")" \
      "${errors}")")
    if ((max > ${worst[${impl}]:-0})); then worst[${impl}]="${max}"; fi
    sum_ops[${impl}]="$(calc "${sum_ops[${impl}]:-0}+${ops}")"
    sum_cpu[${impl}]="$(calc "${sum_cpu[${impl}]:-0}+${cpu}")"
    sum_p50[${impl}]="$(calc "${sum_p50[${impl}]:-0}+${p50}/1000")"
    sum_p99[${impl}]="$(calc "${sum_p99[${impl}]:-0}+${p99}/1000")"
  done
done

mean() { calc "$1/${rounds}"; }
echo
echo "setData ${value_bytes} B, ${sessions} sessions x ${inflight} in flight," \
  "${seconds} s per run (after ${warmup} s warm-up), sync on, ${preload} znodes preloaded" \
  "${SNAP_COUNT:+, snapCount=${SNAP_COUNT}}"
printf '%-8s %5s %10s %14s %9s %9s %9s %7s\n' server round "ops/s" "CPU ms/1k ops" "p50 ms" \
  "p99 ms" "max ms" errors
for row in "${rows[@]}"; do echo "${row}"; done
for impl in "${impls[@]}"; do
  printf '%-8s %5s %10.0f %14.1f %9.2f %9.2f %9.2f\n' "${impl}" mean \
    "$(mean "${sum_ops[${impl}]}")" "$(mean "${sum_cpu[${impl}]}")" \
    "$(mean "${sum_p50[${impl}]}")" "$(mean "${sum_p99[${impl}]}")" "$(calc "${worst[${impl}]}/1000")"
done
if [[ -z "${sum_ops[ours]:-}" || -z "${sum_ops[apache]:-}" ]]; then exit 0; fi
printf '%-8s %5s %10.2f %14.2f %9.2f %9.2f\n' ours/apa ratio \
  "$(calc "${sum_ops[ours]}/${sum_ops[apache]}")" \
  "$(calc "${sum_cpu[ours]}/${sum_cpu[apache]}")" \
  "$(calc "${sum_p50[ours]}/${sum_p50[apache]}")" \
  "$(calc "${sum_p99[ours]}/${sum_p99[apache]}")"
echo "BENCH_WRITES ours_ops_per_s=$(mean "${sum_ops[ours]}" | xargs printf '%.0f')" \
  "apache_ops_per_s=$(mean "${sum_ops[apache]}" | xargs printf '%.0f')" \
  "ours_cpu_ms_per_kop=$(mean "${sum_cpu[ours]}" | xargs printf '%.2f')" \
  "apache_cpu_ms_per_kop=$(mean "${sum_cpu[apache]}" | xargs printf '%.2f')" \
  "ours_p99_ms=$(mean "${sum_p99[ours]}" | xargs printf '%.2f')" \
  "apache_p99_ms=$(mean "${sum_p99[apache]}" | xargs printf '%.2f')" \
  "ours_max_ms=$(calc "${worst[ours]}/1000" | xargs printf '%.2f')" \
  "apache_max_ms=$(calc "${worst[apache]}/1000" | xargs printf '%.2f')"
