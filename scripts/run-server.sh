#!/usr/bin/env bash
# Sets up the machine, builds, and starts a standalone server on 127.0.0.1:2181
# from conf/zoo.cfg, with its data under data/ in the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
mkdir -p data/standalone
exec "${BUILD_DIR:-build}/server/zkserver" "${1:-conf/zoo.cfg}"
