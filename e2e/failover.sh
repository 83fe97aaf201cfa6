#!/usr/bin/env bash
# End to end with the Linux kernel client: the node serving a service is killed with SIGKILL while
# the guest appends to a file; the standby takes the service address over, the kernel client
# reclaims its open there, its writes go on after a pause with no error, and the file is exact.
#
# In a network namespace of the shared harness (--netns): PostgreSQL (scripts/pg-test.sh) on the
# namespace's 127.0.0.1; node A and node B (./jnfsd serve --cluster, --failover auto, a 6 s service
# lease) sharing one export directory, each binding the service address 10.77.0.10 only while it
# serves, its --service-address-hook (e2e/failover-address-hook.sh) putting the address on the
# namespace's tap0 first and taking it away after. The harness's guest mounts its fixed server address
# 10.77.0.1 first, so a scratch single-node jnfsd (--backend memory) answers there; the guest
# script then mounts 10.77.0.10, the service, and appends numbered records through one open
# descriptor (append-records.sh). Once a quarter of them landed, A gets SIGKILL and the script runs
# A's hook "down", as systemd's ExecStopPost would, so the address is gone; B's next tick
# after A's lease finds it lapsed and serves; the guest's client reconnects, reclaims its open in
# B's grace period (same server owner and scope, same file handles: the handle key is in the
# database) and writes on. The host then checks the file byte for byte and that B granted reclaims.
#
#   e2e/failover.sh [--vers 4.1|4.2] [--records 120]
# Exit status 0 only when the file is exact and the guest saw no error. Bounded waits throughout.
# JNFSD_E2E_KEEP=1 keeps the work directory (node logs, export).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
shared=${JNFSD_SHARED:-$top/../shared}
vers=4.2 records=120
while [[ $# -gt 0 ]]; do
  case $1 in
    --vers) vers=$2; shift 2 ;;
    --records) records=$2; shift 2 ;;
    *) echo "usage: $0 [--vers 4.1|4.2] [--records N]" >&2; exit 2 ;;
  esac
done
mark=$((records / 4))
ns=ha-failover-$$
service_addr=10.77.0.10
netns=$shared/e2e/linux-client/netns

source "$top/e2e/lib.sh"
e2e_begin failover
pg=$(mktemp -d -t jnfsd-pg.XXXXXX)   # its own: the postgres user must reach it
a_pid= b_pid= scratch_pid=
e2e_more_cleanup() {
  local p
  for p in $a_pid $b_pid $scratch_pid; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$netns" exec "$ns" "$top/scripts/pg-test.sh" stop "$pg" >/dev/null 2>&1 || rm -rf "$pg"
  "$netns" down "$ns"
}
# wait_log FILE REGEX SECONDS: until FILE has a line matching REGEX (fail after SECONDS)
wait_log() { guest_pid= wait_for "$3" "/$2/ in $1" grep -sEq "$2" "$1"; }

echo "== failover: NFSv$vers, $records records, node A killed after $mark"
"$netns" up "$ns"
"$netns" exec "$ns" "$top/scripts/pg-test.sh" start "$pg" >/dev/null || fail "PostgreSQL did not start"
source "$pg/env"
cred=$work/cluster.credentials
(umask 077 && printf 'user=%s\npassword=%s\n' "$JNFSD_TEST_PG_USER" "$(cat "$JNFSD_TEST_PG_PASSWORD_FILE")" >"$cred")

jnfsd_cmd="$netns exec $ns ./jnfsd"
# the harness's mount target (10.77.0.1): a scratch server, not the service
start_jnfsd "$work/scratch.log" --backend memory --bind 10.77.0.1 --port "$port" --clients '*'
scratch_pid=$server_pid
node() {  # node ID LOG
  start_jnfsd "$2" "$export_dir" --node-id "$1" --cluster "$JNFSD_TEST_PG_URL" --cluster-credentials "$cred" \
    --service-address "$service_addr" --service-address-hook "$top/e2e/failover-address-hook.sh" --port "$port" \
    --failover auto --cluster-lease 6 --lease 10 --grace 30 --clients '*' --no-root-squash
}
node A "$work/node-a.log"
a_pid=$server_pid
wait_log "$work/node-a.log" "node A: serving" 60
node B "$work/node-b.log"
b_pid=$server_pid
grep -q "standby" "$work/node-b.log" || fail "node B is not standing by"

"$shared/e2e/linux-client/run" --netns "$ns" --port "$port" --vers "$vers" --timeout 900 \
  --with "$top/e2e/append-records.sh" "$top/e2e/failover-guest.sh" "$records" "$service_addr" \
  >"$work/guest.log" 2>&1 &
guest_pid=$!

landed() { [[ $(records_landed "$export_dir/data.bin") -ge $1 ]]; }
wait_for 600 "$mark records landed" landed "$mark"
echo "   $(records_landed "$export_dir/data.bin") records landed: SIGKILL to node A"
kill -KILL "$a_pid"
wait "$a_pid" 2>/dev/null || true
a_pid=
# what systemd's ExecStopPost does after any end of the unit: the dead node's address goes away
"$netns" exec "$ns" "$top/e2e/failover-address-hook.sh" down "$service_addr"
wait_log "$work/node-b.log" "node B: serving" 60
echo "   node B serves: $(grep -o 'node B: serving.*' "$work/node-b.log" | head -1)"

guest_rc=0
wait "$guest_pid" || guest_rc=$?
guest_pid=
cat "$work/guest.log"
[[ $guest_rc -eq 0 ]] || fail "the guest exited $guest_rc"

check_records "$export_dir/data.bin" "$records"
grep -q "taken over from node A" "$work/node-b.log" || fail "node B did not take the service over from A"
wait_log "$work/node-b.log" "grace period over" 60
grep -Eq "grace period over: .* [1-9][0-9]* reclaim" "$work/node-b.log" \
  || fail "node B: the kernel client reclaimed nothing"
echo "   node B: $(grep -o 'grace period over: .*' "$work/node-b.log" | head -1)"
echo "failover: passed ($records records intact across a SIGKILL of the serving node)"
