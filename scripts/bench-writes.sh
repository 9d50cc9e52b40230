#!/usr/bin/env bash
# Write throughput, server CPU per write and latency: our server against
# Apache ZooKeeper 3.8, both standalone with sync on, each on a fresh data dir.
# The same setData load (one key per in-flight slot) runs against each,
# alternating, and the server's utime+stime is read from /proc over the
# measured window.
#
# LOADGEN picks the load generator: zkbench (default; our async client, which
# drives about 100k writes/s on two cores) or zkload (Apache's C client, which
# itself uses more than a core and caps the load near 16-18k writes/s, so
# both servers then work in small batches and spend more CPU per write).
#
# The max column is the longest single write: with PRELOAD znodes in the tree
# and a SNAP_COUNT small enough that snapshots happen during the run, it
# shows how long a snapshot stalls the write path.
#
# Usage: scripts/bench-writes.sh [seconds=10] [rounds=2]
# Environment: SESSIONS (32), INFLIGHT (64), VALUE_BYTES (100), WARMUP (2 s),
# LOADGEN (zkbench), PRELOAD (znodes created before measuring with zkload, 0),
# SNAP_COUNT (zoo.cfg snapCount,
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
loadgen="${LOADGEN:-zkbench}"
zkbench_bin="${ZKBENCH_BIN:-${build}/client/zkbench/zkbench}"
if [[ "${loadgen}" == zkbench && ! -x "${zkbench_bin}" ]]; then
  echo "missing ${zkbench_bin}: build the zkbench target" >&2
  exit 1
fi
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

# run_set_load IMPL ROUND: one measured setData run; prints
# "ops_per_s cpu_ms_per_kop p50_us p99_us max_us errors".
run_set_load() {
  local impl="$1" round="$2" line
  if [[ "${loadgen}" == zkload ]]; then
    line="$("${zkload_bin}" --hosts="127.0.0.1:$(server_port "${impl}")" --op=set \
      --sessions="${sessions}" --inflight="${inflight}" --value_bytes="${value_bytes}" \
      --duration="${seconds}" --warmup="${warmup}" --cpu_pid="$(server_pid "${impl}")" |
      grep '^RESULT' || true)"
    [[ -n "${line}" ]] || return 0
    echo "$(kv ops_per_s "${line}") $(kv cpu_ms_per_kop "${line}") $(kv p50_us "${line}")" \
      "$(kv p99_us "${line}") $(kv max_us "${line}") $(kv errors "${line}")"
  else
    line="$("${zkbench_bin}" -hosts="127.0.0.1:$(server_port "${impl}")" -workload=set \
      -sessions="${sessions}" -window="${inflight}" -value_size="${value_bytes}" \
      -keys="$((sessions * inflight))" -duration_s="${seconds}" -warmup_s="${warmup}" \
      -root="/bench-writes-${round}" -cpu_pid="$(server_pid "${impl}")" |
      grep '^RESULT' || true)"
    [[ -n "${line}" ]] || return 0
    local ops count cpu_ms
    ops="$(jv ops_per_sec "${line}")"
    count="$(jv ops "${line}")"
    cpu_ms="$(jv server_cpu_ms "${line}")"
    echo "${ops} $(calc "${cpu_ms}*1000/${count}") $(jv p50_us "${line}")" \
      "$(jv p99_us "${line}") $(jv max_us "${line}") $(jv errors "${line}")"
  fi
}

declare -A sum_ops=() sum_cpu=() sum_p50=() sum_p99=() worst=()
rows=()
for ((round = 1; round <= rounds; round++)); do
  for impl in "${impls[@]}"; do
    result="$(run_set_load "${impl}" "${round}")"
    if [[ -z "${result}" ]]; then
      echo "${loadgen} against ${impl} printed no result" >&2
      exit 1
    fi
    read -r ops cpu p50 p99 max errors <<<"${result}"
    max="${max%.*}"  # whole microseconds
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
echo "setData ${value_bytes} B by ${loadgen}, ${sessions} sessions x ${inflight} in flight," \
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
