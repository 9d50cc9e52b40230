# Shared by scripts/bench-*.sh (sourced, not run): starts our server or Apache
# ZooKeeper 3.8 (Debian's `zookeeper` package) from a fresh zoo.cfg on a free
# 127.0.0.1 port, and stops every server it started by PID on exit.
#
# Environment:
#   BUILD_DIR         build tree holding zkserver and zkload (default: build/)
#   ZKSERVER_BIN      our server (default: $BUILD_DIR/server/zkserver)
#   ZKLOAD_BIN        the load generator (default: $BUILD_DIR/tests/bench/zkload)
#   APACHE_JVM_FLAGS  JVM flags for Apache (default: -Xmx2g)
#   BENCH_DIR         where data dirs go (default: a new temp dir, removed on exit)

bench_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-${bench_root}/build}"
case "${build}" in /*) ;; *) build="${bench_root}/${build}" ;; esac
zkserver_bin="${ZKSERVER_BIN:-${build}/server/zkserver}"
zkload_bin="${ZKLOAD_BIN:-${build}/tests/bench/zkload}"
probe="${bench_root}/tests/bench/restart_probe.py"
python=/usr/bin/python3
apache_classpath="/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar"
read -r -a apache_jvm_flags <<<"${APACHE_JVM_FLAGS:--Xmx2g}"

for bin in "${zkserver_bin}" "${zkload_bin}"; do
  if [[ ! -x "${bin}" ]]; then
    echo "missing ${bin}: build the zkserver and zkload targets (scripts/build.sh)" >&2
    exit 1
  fi
done

if [[ -n "${BENCH_DIR:-}" ]]; then
  work="${BENCH_DIR}"
  mkdir -p "${work}"
  keep_work=1
else
  work="$(mktemp -d -t zkbench.XXXXXX)"
  keep_work=0
fi

# Probe processes we started; each is the parent of one server.
declare -A probe_pids=()

bench_cleanup() {
  local name
  for name in "${!probe_pids[@]}"; do
    server_stop "${name}"
  done
  if [[ "${keep_work}" == 0 ]]; then rm -rf "${work}"; fi
}
trap bench_cleanup EXIT

free_port() {
  "${python}" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# server_prepare NAME [KEY=VALUE...]: a fresh data dir and zoo.cfg for server
# NAME on a free port, plus the given zoo.cfg lines. Sync stays at both
# servers' default (on; Apache's forceSync=yes).
server_prepare() {
  local name="$1" dir="${work}/$1"
  shift
  rm -rf "${dir}"
  mkdir -p "${dir}/data"
  local port
  port="$(free_port)"
  cat >"${dir}/zoo.cfg" <<EOF
tickTime=2000
initLimit=10
syncLimit=5
dataDir=${dir}/data
clientPort=${port}
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=*
EOF
  local line
  for line in "$@"; do echo "${line}" >>"${dir}/zoo.cfg"; done
  echo "${port}" >"${dir}/port"
}

server_port() { cat "${work}/$1/port"; }
server_pid() { cat "${work}/$1/pid"; }
server_data_dir() { echo "${work}/$1/data"; }

# server_argv IMPL CFG: the command line for IMPL (ours|apache).
server_argv() {
  if [[ "$1" == apache ]]; then
    echo java "${apache_jvm_flags[@]}" -Dzookeeper.admin.enableServer=false \
      -cp "${apache_classpath}" org.apache.zookeeper.server.quorum.QuorumPeerMain "$2"
  else
    echo "${zkserver_bin}" "$2"
  fi
}

# server_start NAME IMPL [PATH]: starts the server and waits until a new
# session can read PATH (default /). Sets START_MS to the time from spawn to
# that first successful read.
server_start() {
  local name="$1" impl="$2" path="${3:-/}" dir="${work}/$1"
  local -a argv
  read -r -a argv <<<"$(server_argv "${impl}" "${dir}/zoo.cfg")"
  rm -f "${dir}/probe.out" "${dir}/pid"
  "${python}" "${probe}" --port "$(server_port "${name}")" --path "${path}" \
    --pidfile "${dir}/pid" --log "${dir}/server.log" --timeout 600 -- "${argv[@]}" \
    >"${dir}/probe.out" &
  probe_pids["${name}"]=$!
  while ! grep -q '^START_MS=' "${dir}/probe.out" 2>/dev/null; do
    if ! kill -0 "${probe_pids[${name}]}" 2>/dev/null; then
      echo "${name} (${impl}) did not start; log tail:" >&2
      tail -n 20 "${dir}/server.log" >&2
      unset "probe_pids[${name}]"
      exit 1
    fi
    sleep 0.05
  done
  START_MS="$(sed -n 's/^START_MS=//p' "${dir}/probe.out")"
}

# server_stop NAME: SIGTERM to the server, SIGKILL after 60 s; then reaps the probe.
server_stop() {
  local name="$1"
  local probe_pid="${probe_pids[${name}]:-}"
  [[ -n "${probe_pid}" ]] || return 0
  local pid
  pid="$(server_pid "${name}" 2>/dev/null || true)"
  if [[ -n "${pid}" ]] && kill -0 "${pid}" 2>/dev/null; then
    kill -TERM "${pid}" 2>/dev/null || true
    local i
    for ((i = 0; i < 600; i++)); do
      kill -0 "${probe_pid}" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "${pid}" 2>/dev/null || true
  fi
  kill -0 "${probe_pid}" 2>/dev/null && kill -TERM "${probe_pid}" 2>/dev/null
  wait "${probe_pid}" 2>/dev/null || true
  unset "probe_pids[${name}]"
}

# cpu_ms PID: utime+stime of PID in milliseconds.
cpu_ms() {
  local stat
  stat="$(cat "/proc/$1/stat")"
  stat="${stat##*) }"
  local -a f
  read -r -a f <<<"${stat}"
  # f[0] is field 3 (state); utime and stime are fields 14 and 15.
  echo $(((f[11] + f[12]) * 1000 / $(getconf CLK_TCK)))
}

# rss_kb PID: resident set size in KiB.
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# disk_kb DIR: bytes on disk under DIR, in KiB.
disk_kb() { du -sk "$1" | cut -f1; }

# kv KEY LINE: the value of KEY=... in a RESULT line.
kv() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }

# jv KEY LINE: the value of "KEY": in a RESULT {json} line (zkbench).
jv() { sed -n "s/.*\"$1\":\\([^,}]*\\).*/\\1/p" <<<"$2"; }

# calc EXPR: floating-point arithmetic.
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }

# mntr_value PORT KEY: one value from the server's `mntr` four-letter word.
mntr_value() {
  "${python}" - "$1" "$2" <<'PY'
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10) as s:
    s.sendall(b"mntr")
    out = b""
    while chunk := s.recv(65536):
        out += chunk
for line in out.decode().splitlines():
    key, _, value = line.partition("\t")
    if key == sys.argv[2]:
        print(value)
PY
}
