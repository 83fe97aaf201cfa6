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
e2e_begin restart-while-writing
state_dir=$work/state

n=0
start_server() {
  n=$((n + 1))
  start_jnfsd "$work/server-$n.log" "$export_dir" --no-root-squash --port "$port" --state-dir "$state_dir" --lease 10 --grace "$grace"
}
landed() { [[ $(records_landed "$export_dir/data.bin") -ge $1 ]]; }
stop_server() {
  kill -TERM "$server_pid"
  local rc=0
  wait "$server_pid" || rc=$?
  server_pid=
  [[ $rc -eq 0 ]] || fail "server $n exited $rc on SIGTERM"
}

echo "== restart while writing: NFSv$vers, $records records, restarts after ${marks[*]}"
start_server
"$shared/e2e/linux-client/run" --port "$port" --vers "$vers" --timeout 600 \
  "$top/e2e/append-records.sh" "$records" >"$work/guest.log" 2>&1 &
guest_pid=$!

grace_over() {  # the running server's grace period ended (the client reclaimed, or grace ran out)
  # (a guest that already wrote every record may have ended: not a failure here)
  guest_pid= wait_for 120 "end of server $n's grace period" grep -q "grace period over" "$work/server-$n.log"
}

for mark in "${marks[@]}"; do
  # a restarted server first sees the client reclaim: a guest that wrote fast may have passed the
  # next mark already, and stopping that server at once would leave it nothing to reclaim
  [[ $n -gt 1 ]] && grace_over
  # the guest boots in seconds and writes a record every fraction of a second; 600 s is ample
  wait_for 600 "$mark records landed" landed "$mark"
  echo "   $(records_landed "$export_dir/data.bin") records landed: restarting the server"
  stop_server
  start_server
done

guest_rc=0
wait "$guest_pid" || guest_rc=$?
guest_pid=
cat "$work/guest.log"
[[ $guest_rc -eq 0 ]] || fail "the guest exited $guest_rc"

# the host's own check of the file on disk
check_records "$export_dir/data.bin" "$records"
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
