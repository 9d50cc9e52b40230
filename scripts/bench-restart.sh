#!/usr/bin/env bash
# Restart cost of a loaded server: our server against Apache ZooKeeper 3.8.
# Each server, in turn and alone on the machine, gets N znodes of 100 bytes
# (zkload --op=create), is stopped with SIGTERM and started again; we time
# process start to the first successful getData of a known znode, and read the
# data dir's size on disk and the restarted process's RSS.
#
# With the default snapCount (100000) both servers snapshot during the load,
# so the restart reads a snapshot plus the log after it, as in production;
# for fewer than 200000 znodes snapCount is lowered to N/2 so that still holds.
#
# Usage: scripts/bench-restart.sh [znodes=1000000]
# Environment: SESSIONS (32), INFLIGHT (64), VALUE_BYTES (100), and those of
# scripts/bench-lib.sh (BUILD_DIR, ZKSERVER_BIN, ZKLOAD_BIN, APACHE_JVM_FLAGS, ...).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

znodes="${1:-1000000}"
sessions="${SESSIONS:-32}"
inflight="${INFLIGHT:-64}"
value_bytes="${VALUE_BYTES:-100}"
known_path=/zkload/s0
snap_count=100000
if ((znodes < 2 * snap_count)); then snap_count=$((znodes / 2 > 2 ? znodes / 2 : 2)); fi

declare -A load_ops=() disk=() start_ms=() rss=() count=() snaps=() newest=()
for impl in ours apache; do
  server_prepare "${impl}" "snapCount=${snap_count}"
  server_start "${impl}" "${impl}"
  port="$(server_port "${impl}")"
  echo "${impl}: loading ${znodes} znodes on port ${port}" >&2
  result="$("${zkload_bin}" --hosts="127.0.0.1:${port}" --op=create --count="${znodes}" \
    --sessions="${sessions}" --inflight="${inflight}" --value_bytes="${value_bytes}" \
    --duration=3600 | grep '^RESULT' || true)"
  if [[ -z "${result}" || "$(kv errors "${result}")" != 0 ]]; then
    echo "loading ${impl} failed: ${result}" >&2
    exit 1
  fi
  load_ops[${impl}]="$(kv ops_per_s "${result}")"
  server_stop "${impl}"

  data="$(server_data_dir "${impl}")"
  disk[${impl}]="$(disk_kb "${data}")"
  snaps[${impl}]="$(find "${data}" -type f -iname '*snap*' | wc -l)"
  # Both keep every snapshot (autopurge is off), so the newest one is shown too.
  newest[${impl}]="$(find "${data}" -type f -iname '*snap*' -printf '%T@ %k\n' | sort -n |
    tail -n 1 | cut -d' ' -f2)"
  if [[ "${snaps[${impl}]}" == 0 ]]; then
    echo "warning: ${impl} wrote no snapshot file under ${data}" >&2
  fi

  server_start "${impl}" "${impl}" "${known_path}"
  start_ms[${impl}]="${START_MS}"
  rss[${impl}]="$(rss_kb "$(server_pid "${impl}")")"
  count[${impl}]="$(mntr_value "${port}" zk_znode_count)"
  server_stop "${impl}"
done

per_node() { calc "$1*1024/${znodes}"; }
row() {
  printf '%-28s %14s %14s %8.2f\n' "$1" "$2" "$3" "$(calc "$4/$5")"
}
echo
echo "${znodes} znodes of ${value_bytes} B, loaded by ${sessions} sessions x ${inflight} in flight," \
  "sync on, SIGTERM then restart"
printf '%-28s %14s %14s %8s\n' metric ours apache ratio
row "load rate (creates/s)" "$(printf '%.0f' "${load_ops[ours]}")" \
  "$(printf '%.0f' "${load_ops[apache]}")" "${load_ops[ours]}" "${load_ops[apache]}"
row "start to first read (ms)" "${start_ms[ours]}" "${start_ms[apache]}" \
  "${start_ms[ours]}" "${start_ms[apache]}"
row "data dir on disk (KiB)" "${disk[ours]}" "${disk[apache]}" "${disk[ours]}" "${disk[apache]}"
row "  per znode (bytes)" "$(printf '%.1f' "$(per_node "${disk[ours]}")")" \
  "$(printf '%.1f' "$(per_node "${disk[apache]}")")" "${disk[ours]}" "${disk[apache]}"
row "newest snapshot (KiB)" "${newest[ours]:-0}" "${newest[apache]:-0}" "${newest[ours]:-0}" \
  "${newest[apache]:-1}"
row "  per znode (bytes)" "$(printf '%.1f' "$(per_node "${newest[ours]:-0}")")" \
  "$(printf '%.1f' "$(per_node "${newest[apache]:-0}")")" "${newest[ours]:-0}" "${newest[apache]:-1}"
row "RSS after restart (KiB)" "${rss[ours]}" "${rss[apache]}" "${rss[ours]}" "${rss[apache]}"
row "  per znode (bytes)" "$(printf '%.1f' "$(per_node "${rss[ours]}")")" \
  "$(printf '%.1f' "$(per_node "${rss[apache]}")")" "${rss[ours]}" "${rss[apache]}"
printf '%-28s %14s %14s\n' "znodes after restart" "${count[ours]}" "${count[apache]}"
printf '%-28s %14s %14s\n' "snapshot files" "${snaps[ours]}" "${snaps[apache]}"
echo "BENCH_RESTART znodes=${znodes} ours_start_ms=${start_ms[ours]}" \
  "apache_start_ms=${start_ms[apache]} ours_disk_kb=${disk[ours]} apache_disk_kb=${disk[apache]}" \
  "ours_rss_kb=${rss[ours]} apache_rss_kb=${rss[apache]}"
