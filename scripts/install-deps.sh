#!/usr/bin/env bash
# Installs the build and test dependencies from Debian (12, bookworm) packages.
# Idempotent: when every package is already installed it does not touch apt.
# Run as root (or via sudo); non-interactive.
set -euo pipefail

packages=(
  # build
  cmake g++ make pkg-config clang-format
  libboost-dev libboost-system-dev  # asio and beast are header-only
  libleveldb-dev libgoogle-glog-dev libgflags-dev libssl-dev
  libsnappy-dev  # snapshot compression
  libjemalloc-dev  # the server's allocator
  libgtest-dev libgmock-dev
  libedit-dev  # zkcli line editing
  # integration tests: real clients and the reference server
  python3 python3-pytest python3-kazoo
  zookeeper zookeeper-bin libzookeeper-mt-dev default-jre-headless
  netcat-openbsd
  libsasl2-dev libsasl2-modules  # SASL DIGEST-MD5 authentication
  python3-pure-sasl  # kazoo's SASL client
  # kazoo's own test suite (scripts/run-kazoo-suite.sh)
  python3-mock python3-objgraph python3-pytest-timeout
  default-jdk-headless  # javac for the Kafka-style suite (tests/kafka)
)

missing=()
for pkg in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Status}' "${pkg}" 2>/dev/null || true)"
  if [[ "${status}" != "installed" ]]; then
    missing+=("${pkg}")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [[ "$(id -u)" -ne 0 ]]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
${sudo} apt-get update -q
${sudo} apt-get install -y -q --no-install-recommends "${missing[@]}"
