#!/usr/bin/env bash
# End to end with the Linux kernel client: the administrator's view of a live client (issue 13).
#
# The host starts ./jnfsd serve (no delegations, so the guest asks the server on every open) and
# boots the guest (../shared/e2e/linux-client/run) running admin-guest.sh, which holds held.txt
# open and creates guest-ready. The host then:
#  - `jnfsd clients --json`: exactly one client, the guest's, with its minor version and address;
#  - `jnfsd states CLIENT`: the guest's open of held.txt among its stateids;
#  - `jnfsd evict CLIENT`: torn down, at least that open released;
# and writes "evicted" into signal.txt. The guest's next operations meet a server that forgot it:
# the kernel client re-establishes itself, reads held.txt intact and writes after.txt. The host
# checks after.txt, and that the server log shows the guest's client confirmed again under a new id.
#
#   e2e/admin.sh [--vers 4.2]
# Exit status 0 on success. Bounded: every wait has a limit. JNFSD_E2E_KEEP=1 keeps the work directory.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
shared=${JNFSD_SHARED:-$top/../shared}
vers=4.2
while [[ $# -gt 0 ]]; do
  case $1 in
    --vers) vers=$2; shift 2 ;;
    *) echo "usage: $0 [--vers 4.0|4.1|4.2]" >&2; exit 2 ;;
  esac
done
source "$top/scripts/java-env.sh"
source "$top/e2e/lib.sh"
e2e_begin admin
chmod 0777 "$export_dir"

echo "== clients, states and evict with the kernel client: NFSv$vers"
start_jnfsd "$work/server.log" "$export_dir" --no-root-squash --port "$port" --state-dir "$work/state" --no-delegations
"$shared/e2e/linux-client/run" --port "$port" --vers "$vers" --timeout 300 \
  "$top/e2e/admin-guest.sh" >"$work/guest.log" 2>&1 &
guest_pid=$!
wait_for 120 "guest-ready marker (the guest holding held.txt open)" test -e "$export_dir/guest-ready"

clients=$(./jnfsd clients --port "$port" --json) || fail "jnfsd clients failed"
echo "   jnfsd clients --json: $clients"
count=$(grep -o '"id":' <<<"$clients" | wc -l)
[[ $count -eq 1 ]] || fail "jnfsd clients lists $count clients, want the guest's alone"
id=$(sed -n 's/.*"id":"\([0-9a-f]*\)".*/\1/p' <<<"$clients")
grep -q "\"minorVersion\":${vers#4.}," <<<"$clients" || fail "the guest's client is not minor version ${vers#4.}"
grep -q '"address":"127.0.0.1:[0-9]*"' <<<"$clients" || fail "the guest's address is not shown"
grep -q '"state":"ACTIVE"' <<<"$clients" || fail "the guest's client is not ACTIVE"

states=$(./jnfsd states --port "$port" "$id") || fail "jnfsd states $id failed"
echo "$states" | sed 's/^/   /'
opens=$(grep -c '^OPEN ' <<<"$states" || true)
[[ $opens -ge 1 ]] || fail "jnfsd states shows no open of the guest's"

evicted=$(./jnfsd evict --port "$port" "$id") || fail "jnfsd evict $id failed"
echo "   $evicted"
[[ $evicted =~ ^client\ $id\ evicted:\ released\ ([0-9]+)\ opens ]] || fail "unexpected evict output: $evicted"
[[ ${BASH_REMATCH[1]} -ge 1 ]] || fail "evict released no open"
grep -q "client $id .*evicted by the administrator" "$work/server.log" || fail "the eviction is not logged"
echo evicted >"$export_dir/signal.txt"

guest_rc=0
wait "$guest_pid" || guest_rc=$?
guest_pid=
cat "$work/guest.log"
[[ $guest_rc -eq 0 ]] || fail "the guest exited $guest_rc"
[[ $(cat "$export_dir/after.txt" 2>/dev/null) == "written after the eviction" ]] || fail "after.txt not written"
[[ $(cat "$export_dir/held.txt") == "held by the guest" ]] || fail "held.txt changed"
# the guest unmounted (DESTROY_CLIENTID) before it ended: its new client shows in the log
new_id=$(awk -v old="$id" '/evicted by the administrator/ { seen = 1 } seen && /: confirmed$/ && $0 !~ old { print $7; exit }' \
  "$work/server.log")
[[ $new_id =~ ^[0-9a-f]{16}$ ]] || fail "no client confirmed after the eviction: the guest did not re-establish itself"
echo "   re-established as client $new_id (was $id)"
kill -TERM "$server_pid"
rc=0; wait "$server_pid" || rc=$?
server_pid=
[[ $rc -eq 0 ]] || fail "server exited $rc on SIGTERM"
echo "admin: passed (the guest listed, its open shown, evicted, re-established with its file intact)"
