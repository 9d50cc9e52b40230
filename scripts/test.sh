#!/usr/bin/env bash
# Sets up the machine, builds, and runs every test: unit, simulation and
# integration (the integration tests start their own servers on 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd "${BUILD_DIR:-build}"
ctest --output-on-failure -j"$(nproc)" --timeout 900
