#!/usr/bin/env bash
# Starts, stops or shows a local 3- or 5-member ensemble on 127.0.0.1.
#
# Usage: scripts/ensemble.sh start [SIZE] | stop | status
#   SIZE            3 (default) or 5
#   IMPL=ours|apache  our zkserver (default) or Apache ZooKeeper from Debian
#   ZKSERVER_BIN    our binary (default build/server/zkserver)
#   CLIENT_BASE, PEER_BASE, ELECTION_BASE   first ports (2181, 2888, 3888);
#                   member N uses BASE+N-1
#   TICK_TIME       tickTime in ms (default 2000)
#
# Member N lives in data/ensemble-N/ (zoo.cfg, data/myid, server.log, pid).
# `stop` ends each member by the PID it recorded: SIGTERM, then SIGKILL.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${repo}"

IMPL="${IMPL:-ours}"
CLIENT_BASE="${CLIENT_BASE:-2181}"
PEER_BASE="${PEER_BASE:-2888}"
ELECTION_BASE="${ELECTION_BASE:-3888}"
TICK_TIME="${TICK_TIME:-2000}"
START_TIMEOUT="${START_TIMEOUT:-60}"

member_dirs() {
  local d
  for d in data/ensemble-*; do
    [[ -f "${d}/zoo.cfg" ]] && echo "${d}"
  done
  return 0
}

client_port_of() {
  sed -n 's/^clientPort=//p' "$1/zoo.cfg"
}

pid_of() {
  local pid
  [[ -f "$1/pid" ]] || return 1
  pid="$(cat "$1/pid")"
  kill -0 "${pid}" 2>/dev/null || return 1
  echo "${pid}"
}

# Prints the Mode line of `srvr` on a client port, or "not serving".
mode_of() {
  local out
  out="$(timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1 && printf srvr >&3 && cat <&3" \
    2>/dev/null || true)"
  out="$(sed -n 's/^Mode: //p' <<<"${out}")"
  echo "${out:-not serving}"
}

# Runs in the member's directory; exec keeps the recorded PID the server's own.
launch() {
  case "${IMPL}" in
    ours) exec setsid "${zkserver_bin}" zoo.cfg ;;
    apache)
      exec setsid java -Xmx256m -Dzookeeper.admin.enableServer=false \
        -cp /usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar \
        org.apache.zookeeper.server.quorum.QuorumPeerMain zoo.cfg ;;
  esac
}

write_cfg() {
  local dir="$1" id="$2" size="$3" n
  mkdir -p "${dir}/data"
  echo "${id}" > "${dir}/data/myid"
  {
    echo "# member ${id} of a local ${size}-member ensemble (scripts/ensemble.sh)"
    echo "tickTime=${TICK_TIME}"
    echo "initLimit=10"
    echo "syncLimit=5"
    echo "dataDir=data"
    echo "clientPort=$((CLIENT_BASE + id - 1))"
    echo "clientPortAddress=127.0.0.1"
    echo "admin.enableServer=false"
    echo "4lw.commands.whitelist=*"
    for ((n = 1; n <= size; n++)); do
      echo "server.${n}=127.0.0.1:$((PEER_BASE + n - 1)):$((ELECTION_BASE + n - 1))"
    done
  } > "${dir}/zoo.cfg"
}

start() {
  local size="${1:-3}" id dir port
  [[ "${size}" == 3 || "${size}" == 5 ]] || { echo "error: SIZE must be 3 or 5" >&2; exit 2; }
  case "${IMPL}" in
    ours)
      zkserver_bin="${ZKSERVER_BIN:-build/server/zkserver}"
      [[ -x "${zkserver_bin}" ]] || {
        echo "error: ${zkserver_bin} is not built (scripts/build.sh)" >&2
        exit 2
      }
      zkserver_bin="$(cd "$(dirname "${zkserver_bin}")" && pwd)/$(basename "${zkserver_bin}")" ;;
    apache) ;;
    *) echo "error: IMPL must be ours or apache" >&2; exit 2 ;;
  esac
  if [[ -n "$(member_dirs)" ]]; then
    for dir in $(member_dirs); do
      if pid_of "${dir}" >/dev/null; then
        echo "error: ${dir} is running; run '$0 stop' first" >&2
        exit 1
      fi
    done
  fi
  for ((id = 1; id <= size; id++)); do
    dir="data/ensemble-${id}"
    write_cfg "${dir}" "${id}" "${size}"
    (cd "${dir}" && launch </dev/null >>server.log 2>&1 & echo $! > "${dir}/pid")
    echo "started member ${id} (pid $(cat "${dir}/pid"), client port $((CLIENT_BASE + id - 1)))"
  done
  # Members beyond SIZE from an earlier, larger ensemble are left out.
  for dir in $(member_dirs); do
    id="${dir##*-}"
    ((id > size)) && rm -f "${dir}/zoo.cfg" "${dir}/pid"
  done
  local deadline=$((SECONDS + START_TIMEOUT)) serving
  while :; do
    serving=0
    for ((id = 1; id <= size; id++)); do
      port=$((CLIENT_BASE + id - 1))
      [[ "$(mode_of "${port}")" != "not serving" ]] && serving=$((serving + 1))
    done
    ((serving == size)) && break
    if ((SECONDS >= deadline)); then
      echo "error: only ${serving} of ${size} members serve after ${START_TIMEOUT}s" >&2
      status
      exit 1
    fi
    sleep 0.5
  done
  status
}

stop() {
  local dir pid i
  for dir in $(member_dirs); do
    if pid="$(pid_of "${dir}")"; then
      kill -TERM "${pid}"
      for ((i = 0; i < 100; i++)); do
        kill -0 "${pid}" 2>/dev/null || break
        sleep 0.1
      done
      kill -0 "${pid}" 2>/dev/null && kill -KILL "${pid}"
      echo "stopped ${dir} (pid ${pid})"
    fi
    rm -f "${dir}/pid"
  done
}

status() {
  local dir pid port
  printf "%-18s %-8s %-6s %s\n" member pid port mode
  for dir in $(member_dirs); do
    port="$(client_port_of "${dir}")"
    if pid="$(pid_of "${dir}")"; then
      printf "%-18s %-8s %-6s %s\n" "${dir}" "${pid}" "${port}" "$(mode_of "${port}")"
    else
      printf "%-18s %-8s %-6s %s\n" "${dir}" "-" "${port}" "stopped"
    fi
  done
  local hosts=""
  for dir in $(member_dirs); do hosts+="${hosts:+,}127.0.0.1:$(client_port_of "${dir}")"; done
  echo "connect string: ${hosts}"
}

case "${1:-}" in
  start) start "${2:-3}" ;;
  stop) stop ;;
  status) status ;;
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac
