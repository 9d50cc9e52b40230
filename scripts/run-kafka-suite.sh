#!/usr/bin/env bash
# Runs the Kafka-style broker coordination suite (tests/kafka, Apache's Java
# client) against our server or Apache ZooKeeper, standalone or on a 3-node
# ensemble. The pytest drivers in tests/integration start and stop the servers.
#
# Usage: scripts/run-kafka-suite.sh [-- extra pytest args, e.g. -k sigstop]
#        scripts/run-kafka-suite.sh --connect HOST:PORT[,...] [--scenario NAME[,...]]
#   IMPL=ours|apache      server to test (default ours)
#   ENSEMBLE=3            run the ensemble scenario (leader killed mid-way)
#                         instead of the standalone ones
#   ZKSERVER_BIN=PATH     our binary (default build/server/zkserver)
#   ZK_ENSEMBLE_READY=0   skip the ensemble scenario
#   KAFKA_SUITE_CLASSES   where the compiled suite is kept (default under /tmp)
# With --connect it runs the standalone scenarios against a server that is
# already running, without pytest.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python=/usr/bin/python3

if ! command -v javac >/dev/null; then
  echo "error: needs javac (default-jdk-headless, scripts/install-deps.sh)" >&2
  exit 2
fi

if [[ "${1:-}" == "--connect" ]]; then
  exec "${python}" "${repo}/tests/kafka/suite_runner.py" "$@"
fi
if [[ "${1:-}" == "--" ]]; then
  shift
fi

export ZK_IMPL="${IMPL:-${ZK_IMPL:-ours}}"
if [[ "${ZK_IMPL}" == "ours" ]]; then
  export ZKSERVER_BIN="${ZKSERVER_BIN:-${repo}/build/server/zkserver}"
  if [[ ! -x "${ZKSERVER_BIN}" ]]; then
    echo "error: ZKSERVER_BIN=${ZKSERVER_BIN} is not an executable (build zkserver first)" >&2
    exit 2
  fi
fi

case "${ENSEMBLE:-1}" in
  1) test_file=test_kafka_standalone.py ;;
  3) test_file=test_kafka_ensemble.py ;;
  *) echo "error: ENSEMBLE must be 1 or 3" >&2; exit 2 ;;
esac

cd "${repo}/tests/integration"
exec "${python}" -m pytest -v -rs -p no:cacheprovider "${test_file}" "$@"
