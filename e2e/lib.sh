# Shared by the e2e scripts (source it after cd-ing to the repository): a free loopback port,
# starting ./jnfsd serve and waiting for its ready line, and reading one of its counters.
# start_jnfsd expects the sourcing script to define fail MESSAGE (print, clean up, exit 1).

# A TCP port free on 127.0.0.1 now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_jnfsd LOG SERVE-ARGS...: ./jnfsd serve SERVE-ARGS (or $jnfsd_cmd serve ..., e.g. an
# installed launcher) in the background, its output in LOG; sets server_pid and returns once the
# server logged its ready line (fail after 150 s, or when the server exits first).
start_jnfsd() {
  local log=$1
  shift
  ${jnfsd_cmd:-./jnfsd} serve "$@" >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    grep -q ready "$log" && return 0
    kill -0 "$server_pid" 2>/dev/null || fail "server exited before ready"
    sleep 0.5
  done
  fail "server not ready after 150 s"
}

# server_counter PORT NAME: the value of counter or gauge NAME of the server on PORT
# (./jnfsd stats prints "name value" lines), or "missing".
server_counter() {
  ${jnfsd_cmd:-./jnfsd} stats --port "$1" | awk -v n="$2" '$1 == n { print $2; found = 1 } END { if (!found) print "missing" }'
}

# e2e_begin NAME: the set-up every host script shares, once it has parsed its options: a free
# port ($port); a work directory ($work) holding an empty $export_dir; and an EXIT trap that stops
# $guest_pid and $server_pid (set them when you start either), runs the script's own
# e2e_more_cleanup if it defines one (after both have stopped: a network namespace, a database),
# and removes $work unless JNFSD_E2E_KEEP=1. fail MESSAGE then prints "NAME: FAILED: MESSAGE" and
# the tail of every log in $work, and exits 1; a script may define its own fail after this call.
e2e_begin() {
  e2e_name=$1
  port=$(free_port)
  work=$(mktemp -d)
  export_dir=$work/export
  mkdir -p "$export_dir"
  server_pid= guest_pid=
  trap e2e_cleanup EXIT
}

e2e_cleanup() {
  local p
  for p in $guest_pid $server_pid; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if declare -F e2e_more_cleanup >/dev/null; then e2e_more_cleanup || true; fi
  if [[ -n ${JNFSD_E2E_KEEP:-} ]]; then echo "logs kept in $work"; else rm -rf "$work"; fi
}

fail() {
  echo "$e2e_name: FAILED: $*"
  local f
  for f in "$work"/*.log; do
    [[ -f $f ]] && { echo "--- $f (tail)"; tail -80 "$f"; }
  done
  exit 1
}

# wait_for SECONDS WHAT COMMAND...: run COMMAND every 0.5 s until it succeeds. fail "no WHAT
# after SECONDS s" when it never does, and at once ("the guest ended, and no WHAT") when
# $guest_pid is set and the guest has ended.
wait_for() {
  local secs=$1 what=$2 i
  shift 2
  for ((i = 0; i < secs * 2; i++)); do
    "$@" && return 0
    if [[ -n ${guest_pid:-} ]] && ! kill -0 "$guest_pid" 2>/dev/null; then
      "$@" && return 0
      fail "the guest ended, and no $what"
    fi
    sleep 0.5
  done
  fail "no $what after $secs s"
}

# For the scripts whose guest runs append-records.sh (4 KiB records, one per line, numbered from 1).
# records_landed FILE: how many whole records FILE holds now. check_records FILE N: FILE is exactly
# records 1..N (fail naming the first bad one otherwise).
records_landed() {
  local size
  size=$(stat -c %s "$1" 2>/dev/null || echo 0)
  echo $((size / 4096))
}
check_records() {
  python3 - "$1" "$2" <<'PY' || fail "host check of $1"
import sys
path, n = sys.argv[1], int(sys.argv[2])
want = b"".join(b"%05d:" % i + b"x" * 4089 + b"\n" for i in range(1, n + 1))
got = open(path, "rb").read()
if got != want:
    bad = next((i for i in range(0, min(len(got), len(want)), 4096) if got[i:i+4096] != want[i:i+4096]), None)
    sys.exit(f"{path}: {len(got)} bytes, want {len(want)}; first bad record at offset {bad}")
PY
}
