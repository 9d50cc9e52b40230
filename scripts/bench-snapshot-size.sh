#!/usr/bin/env bash
# Snapshot bytes per znode: our server against Apache ZooKeeper 3.8, each
# loaded with N znodes of VALUE_BYTES by zkload on a fresh data dir. The newest
# snapshot of each is read back with its own tool (zkstorage snapshot, and
# Apache's SnapshotFormatter) to count the znodes it holds, since a snapshot
# taken during the load holds fewer than N.
#
# RANDOM_VALUES=1 (default) gives every znode different pseudo-random bytes,
# which no format can compress; RANDOM_VALUES=0 writes zkload's usual 'v's.
#
# Usage: scripts/bench-snapshot-size.sh [znodes=200000]
# Environment: VALUE_BYTES (100), SNAP_COUNT (100000), RANDOM_VALUES (1), and
# those of scripts/bench-lib.sh (BUILD_DIR, ZKSERVER_BIN, ZKLOAD_BIN, ...).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

znodes="${1:-200000}"
value_bytes="${VALUE_BYTES:-100}"
zkstorage_bin="${ZKSTORAGE_BIN:-$(dirname "${zkserver_bin}")/storage/zkstorage}"
random_flag=()
if [[ "${RANDOM_VALUES:-1}" == 1 ]]; then random_flag=(--random_values); fi

declare -A bytes=() nodes=()
for impl in ours apache; do
  server_prepare "${impl}" "snapCount=${SNAP_COUNT:-100000}"
  server_start "${impl}" "${impl}"
  echo "${impl}: creating ${znodes} znodes" >&2
  "${zkload_bin}" --hosts="127.0.0.1:$(server_port "${impl}")" --op=create --count="${znodes}" \
    --value_bytes="${value_bytes}" "${random_flag[@]}" --duration=3600 | grep '^RESULT' >/dev/null
  server_stop "${impl}"
  file="$(find "$(server_data_dir "${impl}")" -type f -iname 'snapshot.*' ! -name '*.tmp' \
    -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2)"
  if [[ -z "${file}" ]]; then
    echo "${impl} wrote no snapshot; lower SNAP_COUNT" >&2
    exit 1
  fi
  bytes[${impl}]="$(stat -c %s "${file}")"
  if [[ "${impl}" == ours ]]; then
    nodes[${impl}]="$("${zkstorage_bin}" snapshot "${file}" |
      sed -n 's/^Summary: .* \([0-9]*\) nodes$/\1/p' | head -n 1)"
  else
    nodes[${impl}]="$(java -cp "${apache_classpath}" org.apache.zookeeper.server.SnapshotFormatter \
      "${file}" 2>/dev/null | sed -n 's/^ZNode Details (count=\([0-9]*\)).*/\1/p')"
  fi
done

echo
echo "newest snapshot after ${znodes} creates of ${value_bytes} B" \
  "($([[ ${#random_flag[@]} -gt 0 ]] && echo random || echo "'v'") values)"
printf '%-8s %12s %10s %12s\n' server bytes znodes "B/znode"
for impl in ours apache; do
  printf '%-8s %12s %10s %12.1f\n' "${impl}" "${bytes[${impl}]}" "${nodes[${impl}]}" \
    "$(calc "${bytes[${impl}]}/${nodes[${impl}]}")"
done
ours_per="$(calc "${bytes[ours]}/${nodes[ours]}")"
apache_per="$(calc "${bytes[apache]}/${nodes[apache]}")"
printf 'ratio ours/apache per znode: %.2f\n' "$(calc "${ours_per}/${apache_per}")"
echo "BENCH_SNAPSHOT_SIZE ours_bytes_per_znode=${ours_per} apache_bytes_per_znode=${apache_per}"
