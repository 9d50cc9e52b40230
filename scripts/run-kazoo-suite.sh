#!/usr/bin/env bash
# Runs kazoo's own test suite (Debian's python3-kazoo ships it as kazoo.tests)
# against our server, or against Apache ZooKeeper with ZK_IMPL=apache.
#
# Usage: scripts/run-kazoo-suite.sh [--ensemble] [--out DIR] [--expected FILE]
#                                   [--update-expected FILE]
#                                   [-- extra pytest args, e.g. -k test_lock]
#   --ensemble            run the suite against a 3-server ensemble (kazoo's own
#                         cluster layout) instead of one standalone server
#   ZK_IMPL=ours|apache   server to test (default ours)
#   ZKSERVER_BIN=PATH     our binary (default build/server/zkserver)
#   KAZOO_TEST_TIMEOUT    seconds allowed per test (default 120)
#   KAZOO_SUITE_TIMEOUT   seconds allowed for the whole run (default 3600)
#
# Prints pass/fail/error/skip counts and writes DIR/outcomes.txt
# ("<outcome> <test id>" per line) and DIR/junit.xml.
# Without --expected the run is informative: it exits 0 once the suite ran.
# With --expected FILE (one test id per line, '#' comments) it exits 1 when
# any listed test did not pass, so CI can hold the ground already won.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${repo}/build/kazoo-suite"
expected=""
update_expected=""
pytest_args=()

while [[ $# -gt 0 ]]; do
  case "$1" in
    --ensemble) export KAZOO_SUITE_CLUSTER_SIZE=3; shift ;;
    --out) out="$2"; shift 2 ;;
    --expected) expected="$2"; shift 2 ;;
    --update-expected) update_expected="$2"; shift 2 ;;
    --) shift; pytest_args+=("$@"); break ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) pytest_args+=("$1"); shift ;;
  esac
done

export ZK_IMPL="${ZK_IMPL:-ours}"
python=/usr/bin/python3

if [[ "${ZK_IMPL}" == "ours" ]]; then
  export ZKSERVER_BIN="${ZKSERVER_BIN:-${repo}/build/server/zkserver}"
  if [[ ! -x "${ZKSERVER_BIN}" ]]; then
    echo "error: ZKSERVER_BIN=${ZKSERVER_BIN} is not an executable (build zkserver first)" >&2
    exit 2
  fi
fi

if ! "${python}" -c 'import kazoo.tests, mock, pytest_timeout' 2>/dev/null; then
  echo "error: needs python3-kazoo, python3-mock, python3-pytest-timeout (scripts/install-deps.sh)" >&2
  exit 2
fi

mkdir -p "${out}"
out="$(cd "${out}" && pwd)"

# The harness puts server N's client, election, leader and admin ports at
# offset+10(N-1) .. offset+10(N-1)+3.
export KAZOO_SUITE_CLUSTER_SIZE="${KAZOO_SUITE_CLUSTER_SIZE:-1}"
ZOOKEEPER_PORT_OFFSET="$("${python}" - <<'EOF'
import os, random, socket
size = int(os.environ["KAZOO_SUITE_CLUSTER_SIZE"])
for _ in range(200):
    base = random.randrange(20000, 60000, 10)
    socks = []
    try:
        for p in [base + 10 * i + j for i in range(size) for j in range(4)]:
            s = socket.socket()
            s.bind(("127.0.0.1", p))
            socks.append(s)
    except OSError:
        continue
    finally:
        for s in socks:
            s.close()
    print(base)
    break
EOF
)"
export ZOOKEEPER_PORT_OFFSET
export KAZOO_SUITE_OUTCOMES="${out}/outcomes.txt"
export PYTHONPATH="${repo}/tests/integration/kazoo_suite${PYTHONPATH:+:${PYTHONPATH}}"
export PYTHONDONTWRITEBYTECODE=1

echo "kazoo suite: ZK_IMPL=${ZK_IMPL} servers ${KAZOO_SUITE_CLUSTER_SIZE} port offset ${ZOOKEEPER_PORT_OFFSET} output ${out}"
set +e
(cd "${out}" && timeout --kill-after=30 "${KAZOO_SUITE_TIMEOUT:-3600}" \
  "${python}" -m pytest -p zk_suite_plugin -p no:cacheprovider \
    --timeout="${KAZOO_TEST_TIMEOUT:-120}" -q -rfE \
    --junitxml="${out}/junit.xml" --pyargs kazoo.tests ${pytest_args[@]+"${pytest_args[@]}"})
status=$?
set -e

if [[ ! -s "${KAZOO_SUITE_OUTCOMES}" ]]; then
  echo "error: the suite did not run (pytest status ${status})" >&2
  exit 2
fi

echo
echo "== kazoo suite against ${ZK_IMPL} (${KAZOO_SUITE_CLUSTER_SIZE} server(s)) =="
awk '{n[$1]++} END {printf "passed=%d failed=%d error=%d skipped=%d xfailed=%d xpassed=%d total=%d\n",
     n["passed"], n["failed"], n["error"], n["skipped"], n["xfailed"], n["xpassed"], NR}' \
  "${KAZOO_SUITE_OUTCOMES}"
echo "per-test outcomes: ${KAZOO_SUITE_OUTCOMES}"

if [[ -n "${update_expected}" ]]; then
  {
    echo "# kazoo.tests expected to pass against zkserver (scripts/run-kazoo-suite.sh --expected)"
    awk '$1 == "passed" {print $2}' "${KAZOO_SUITE_OUTCOMES}"
  } > "${update_expected}"
  echo "wrote $(grep -vc '^#' "${update_expected}") passing tests to ${update_expected}"
fi

if [[ -n "${expected}" ]]; then
  missing="$( (grep -v -e '^#' -e '^[[:space:]]*$' "${expected}" || true) | sort -u |
    comm -23 - <(awk '$1 == "passed" {print $2}' "${KAZOO_SUITE_OUTCOMES}" | sort -u))"
  if [[ -n "${missing}" ]]; then
    echo "expected to pass but did not:"
    echo "${missing}" | sed 's/^/  /'
    exit 1
  fi
  echo "all $(grep -v -c -e '^#' -e '^[[:space:]]*$' "${expected}") expected tests passed"
fi
exit 0
