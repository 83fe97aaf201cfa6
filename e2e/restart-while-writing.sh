#!/usr/bin/env bash
# End to end with the Linux kernel client: restart the server twice while the guest appends to a
# file, and check every record landed exactly once, in order.
#
# The host starts ./jnfsd serve (local backend, its own state directory, a short lease and grace),
# boots the guest (../shared/e2e/linux-client/run) running append-records.sh, and, each time the
# exported file has grown past a mark, stops the server with SIGTERM and starts it again on the
# same port, directory and state directory. The kernel client sees BADSESSION / STALE_CLIENTID,
# establishes a new client with the same owner, reclaims its open with CLAIM_PREVIOUS during grace
# and sends RECLAIM_COMPLETE, which ends the grace early (4.0 has none: its grace runs its time).
# The guest then verifies the file; the host verifies it again byte for byte and checks that each
# restarted server offered a grace period.
#
#   e2e/restart-while-writing.sh [--vers 4.2] [--records 120]
# Exit status 0 on success. Bounded: every wait has a limit; the whole run takes a few minutes.
# JNFSD_E2E_KEEP=1 keeps the work directory (server logs, export, state); JNFSD_LOG_LEVEL=DEBUG
# makes the server logs show every operation that failed (GRACE, BADSESSION, ...).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
shared=${JNFSD_SHARED:-$top/../shared}
vers=4.2 records=120
while [[ $# -gt 0 ]]; do
  case $1 in
    --vers) vers=$2; shift 2 ;;
    --records) records=$2; shift 2 ;;
    *) echo "usage: $0 [--vers 4.0|4.1|4.2] [--records N]" >&2; exit 2 ;;
  esac
done
marks=($((records / 4)) $((records / 2)))   # restart after this many records have landed
# a 4.0 client sends no RECLAIM_COMPLETE, so each grace period runs its full time (and is extended
# once the client reclaims), in which the guest goes on writing: a short one keeps the restarts
# ahead of the guest, but not so short that a slow guest comes back after it (3 s was, on a loaded
# machine: the kernel client's SETCLIENTID came 4 s after the restart)
grace=10
[[ $vers == 4.0 ]] && grace=6

source "$top/e2e/lib.sh"
port=$(free_port)
work=$(mktemp -d)
export_dir=$work/export state_dir=$work/state
mkdir -p "$export_dir"
server_pid= guest_pid=
cleanup() {
  [[ -n $guest_pid ]] && kill -TERM "$guest_pid" 2>/dev/null || true
  [[ -n $server_pid ]] && kill -TERM "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  if [[ -n ${JNFSD_E2E_KEEP:-} ]]; then echo "logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
fail() {
  echo "restart-while-writing: FAILED: $*"
  for f in "$work"/server-*.log; do echo "--- $f (tail)"; tail -40 "$f"; done
  echo "--- guest"; cat "$work/guest.log" 2>/dev/null || true
  exit 1
}

n=0
start_server() {
  n=$((n + 1))
  start_jnfsd "$work/server-$n.log" "$export_dir" --no-root-squash --port "$port" --state-dir "$state_dir" --lease 10 --grace "$grace"
}
stop_server() {
  kill -TERM "$server_pid"
  local rc=0
  wait "$server_pid" || rc=$?
  server_pid=
  [[ $rc -eq 0 ]] || fail "server $n exited $rc on SIGTERM"
}
records_landed() {
  local size
  size=$(stat -c %s "$export_dir/data.bin" 2>/dev/null || echo 0)
  echo $((size / 4096))
}

echo "== restart while writing: NFSv$vers, $records records, restarts after ${marks[*]}"
start_server
"$shared/e2e/linux-client/run" --port "$port" --vers "$vers" --timeout 600 \
  "$top/e2e/append-records.sh" "$records" >"$work/guest.log" 2>&1 &
guest_pid=$!

grace_over() {  # the running server's grace period ended (the client reclaimed, or grace ran out)
  for _ in $(seq 1 240); do
    grep -q "grace period over" "$work/server-$n.log" && return 0
    sleep 0.5
  done
  fail "server $n: grace period not over after 120 s"
}

for mark in "${marks[@]}"; do
  # a restarted server first sees the client reclaim: a guest that wrote fast may have passed the
  # next mark already, and stopping that server at once would leave it nothing to reclaim
  [[ $n -gt 1 ]] && grace_over
  # the guest boots in seconds and writes a record every fraction of a second; 600 s is ample
  for _ in $(seq 1 1200); do
    [[ $(records_landed) -ge $mark ]] && break
    kill -0 "$guest_pid" 2>/dev/null || fail "the guest ended before $mark records landed"
    sleep 0.5
  done
  [[ $(records_landed) -ge $mark ]] || fail "fewer than $mark records after 600 s"
  echo "   $(records_landed) records landed: restarting the server"
  stop_server
  start_server
done

guest_rc=0
wait "$guest_pid" || guest_rc=$?
guest_pid=
cat "$work/guest.log"
[[ $guest_rc -eq 0 ]] || fail "the guest exited $guest_rc"

# the host's own check of the file on disk
python3 - "$export_dir/data.bin" "$records" <<'PY' || fail "host check of data.bin"
import sys
path, n = sys.argv[1], int(sys.argv[2])
want = b"".join(b"%05d:" % i + b"x" * 4089 + b"\n" for i in range(1, n + 1))
got = open(path, "rb").read()
if got != want:
    bad = next((i for i in range(0, min(len(got), len(want)), 4096) if got[i:i+4096] != want[i:i+4096]), None)
    sys.exit(f"data.bin: {len(got)} bytes, want {len(want)}; first bad record at offset {bad}")
PY
grace_over   # the last server's (4.0: ended by time, by the laundromat)
for i in $(seq 2 "$n"); do
  grep -q "client(s) may reclaim" "$work/server-$i.log" || fail "server $i offered no grace period"
  grep -q "grace period over" "$work/server-$i.log" || fail "server $i never ended its grace period"
  # the kernel client falls back to a new OPEN after grace when a reclaim fails, and the data
  # would survive that too: so check that it really reclaimed
  grep -Eq "grace period over: .* [1-9][0-9]* reclaim" "$work/server-$i.log" \
    || fail "server $i: the kernel client reclaimed nothing"
  echo "   server $i: $(grep -o 'grace period over: .*' "$work/server-$i.log" | head -1)"
done
stop_server
echo "restart-while-writing: passed ($records records intact across $((n - 1)) restarts)"
