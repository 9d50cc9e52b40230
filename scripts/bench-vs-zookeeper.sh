#!/usr/bin/env bash
# Our server against Apache ZooKeeper 3.8 under the same zkbench matrix.
#
# Both run standalone from the same zoo.cfg settings (sync on: both servers'
# default), each on a fresh data dir. Every workload of the matrix runs
# against each server in turn, alternating, for ROUNDS rounds; the table shows
# the mean ops/s, p50/p99 latency and the ratio ours/apache.
#
# ENSEMBLE=1 adds 3-server ensembles (members configured in the style of
# conf/zoo-ensemble-3.cfg, all on 127.0.0.1) as extra columns, for the
# implementations in ENSEMBLE_IMPLS (default: "ours apache").
#
# Usage: scripts/bench-vs-zookeeper.sh [seconds=5] [rounds=2]
# Environment: WORKLOADS ("set get mixed create multi"), SESSIONS (16),
# WINDOW (32), VALUE_SIZE (100), KEYS (1000), READ_RATIO (0.9), WARMUP (1),
# ZKBENCH_BIN (default $BUILD_DIR/client/zkbench/zkbench), ENSEMBLE,
# ENSEMBLE_IMPLS, and those of scripts/bench-lib.sh (BUILD_DIR, ZKSERVER_BIN,
# APACHE_JVM_FLAGS, BENCH_DIR).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-${root}/build}"
case "${build_dir}" in /*) ;; *) build_dir="${root}/${build_dir}" ;; esac
zkbench_bin="${ZKBENCH_BIN:-${build_dir}/client/zkbench/zkbench}"
if [[ ! -x "${zkbench_bin}" ]]; then
  echo "missing ${zkbench_bin}: build the zkbench target" >&2
  exit 1
fi
# bench-lib checks for its own load generator; this script only uses zkbench.
export ZKLOAD_BIN="${zkbench_bin}"
source "${root}/scripts/bench-lib.sh"

seconds="${1:-5}"
rounds="${2:-2}"
read -r -a workloads <<<"${WORKLOADS:-set get mixed create multi}"
sessions="${SESSIONS:-16}"
window="${WINDOW:-32}"
value_size="${VALUE_SIZE:-100}"
keys="${KEYS:-1000}"
read_ratio="${READ_RATIO:-0.9}"
warmup="${WARMUP:-1}"
read -r -a ensemble_impls <<<"${ENSEMBLE_IMPLS:-ours apache}"

# ensemble_start NAME IMPL: three members NAME1..NAME3 started together (none
# can answer before a quorum exists), then waits for each to serve.
ensemble_start() {
  local name="$1" impl="$2" i
  local -a peer election servers
  for i in 1 2 3; do
    peer[i]="$(free_port)"
    election[i]="$(free_port)"
  done
  for i in 1 2 3; do
    servers+=("server.${i}=127.0.0.1:${peer[i]}:${election[i]}")
  done
  for i in 1 2 3; do
    server_prepare "${name}${i}" "${servers[@]}"
    echo "${i}" >"$(server_data_dir "${name}${i}")/myid"
  done
  for i in 1 2 3; do
    local member="${name}${i}" dir="${work}/${name}${i}"
    local -a argv
    read -r -a argv <<<"$(server_argv "${impl}" "${dir}/zoo.cfg")"
    "${python}" "${probe}" --port "$(server_port "${member}")" --path / \
      --pidfile "${dir}/pid" --log "${dir}/server.log" --timeout 600 -- "${argv[@]}" \
      >"${dir}/probe.out" &
    probe_pids["${member}"]=$!
  done
  for i in 1 2 3; do
    local member="${name}${i}"
    while ! grep -q '^START_MS=' "${work}/${member}/probe.out" 2>/dev/null; do
      if ! kill -0 "${probe_pids[${member}]}" 2>/dev/null; then
        echo "${member} (${impl}) did not start; log tail:" >&2
        tail -n 20 "${work}/${member}/server.log" >&2
        exit 1
      fi
      sleep 0.1
    done
  done
}

# targets: column name -> connect string, and -> pid for CPU accounting.
declare -A hosts=() pids=()
columns=()
for impl in ours apache; do
  server_prepare "${impl}"
  server_start "${impl}" "${impl}"
  hosts[${impl}]="127.0.0.1:$(server_port "${impl}")"
  pids[${impl}]="$(server_pid "${impl}")"
  columns+=("${impl}")
done
if [[ "${ENSEMBLE:-0}" == 1 ]]; then
  for impl in "${ensemble_impls[@]}"; do
    name="${impl}-x3-"
    ensemble_start "${name}" "${impl}"
    hosts["${impl}-x3"]="127.0.0.1:$(server_port "${name}1"),127.0.0.1:$(server_port "${name}2"),127.0.0.1:$(server_port "${name}3")"
    pids["${impl}-x3"]=0
    columns+=("${impl}-x3")
  done
fi

declare -A sum_ops=() sum_p50=() sum_p99=() sum_ccpu=() sum_scpu=()
for ((round = 1; round <= rounds; round++)); do
  for workload in "${workloads[@]}"; do
    for column in "${columns[@]}"; do
      result="$("${zkbench_bin}" -hosts="${hosts[${column}]}" -workload="${workload}" \
        -sessions="${sessions}" -window="${window}" -value_size="${value_size}" \
        -keys="${keys}" -read_ratio="${read_ratio}" -duration_s="${seconds}" \
        -warmup_s="${warmup}" -root="/bench-${workload}-${round}" \
        -cpu_pid="${pids[${column}]}" | grep '^RESULT' || true)"
      if [[ -z "${result}" ]]; then
        echo "zkbench ${workload} against ${column} printed no result" >&2
        exit 1
      fi
      key="${workload}/${column}"
      echo "round ${round} ${key}: $(jv ops_per_sec "${result}") ops/s," \
        "p99 $(jv p99_us "${result}") us, errors $(jv errors "${result}")" >&2
      sum_ops[${key}]="$(calc "${sum_ops[${key}]:-0}+$(jv ops_per_sec "${result}")")"
      sum_p50[${key}]="$(calc "${sum_p50[${key}]:-0}+$(jv p50_us "${result}")/1000")"
      sum_p99[${key}]="$(calc "${sum_p99[${key}]:-0}+$(jv p99_us "${result}")/1000")"
      sum_ccpu[${key}]="$(calc "${sum_ccpu[${key}]:-0}+$(jv client_cpu_ms "${result}")")"
      sum_scpu[${key}]="$(calc "${sum_scpu[${key}]:-0}+$(jv server_cpu_ms "${result}")")"
    done
  done
done

mean() { calc "$1/${rounds}"; }
echo
echo "zkbench: ${sessions} sessions x ${window} in flight, ${value_size} B values, ${keys} keys," \
  "read ratio ${read_ratio} (mixed), ${seconds} s per run after ${warmup} s warm-up," \
  "${rounds} rounds, sync on"
printf '%-8s %-10s %10s %8s %8s %12s %12s %9s\n' workload server "ops/s" "p50 ms" "p99 ms" \
  "client CPU%" "server CPU%" "vs apache"
for workload in "${workloads[@]}"; do
  base="$(mean "${sum_ops[${workload}/apache]}")"
  for column in "${columns[@]}"; do
    key="${workload}/${column}"
    ops="$(mean "${sum_ops[${key}]}")"
    ccpu="$(calc "$(mean "${sum_ccpu[${key}]}")/(${seconds}*10)")"
    if [[ "${pids[${column}]}" == 0 ]]; then
      scpu="-"
    else
      scpu="$(printf '%.0f' "$(calc "$(mean "${sum_scpu[${key}]}")/(${seconds}*10)")")"
    fi
    printf '%-8s %-10s %10.0f %8.2f %8.2f %12.0f %12s %9.2f\n' "${workload}" "${column}" \
      "${ops}" "$(mean "${sum_p50[${key}]}")" "$(mean "${sum_p99[${key}]}")" "${ccpu}" \
      "${scpu}" "$(calc "${ops}/(${base}+0.000001)")"
  done
done
