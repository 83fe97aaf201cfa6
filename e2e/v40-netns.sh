#!/usr/bin/env bash
# End to end with the Linux kernel client over NFSv4.0 with a callback path: the shared smoke test
# and e2e/io.sh in network-namespace mode (../shared/e2e/linux-client/netns), where the server can
# open its connection to the guest's callback service. With qemu's user networking (.ci/run's
# plain 4.0 runs) that connection cannot be made, so 4.0 clients get no delegations there; here
# they do, and both scripts run under them: afterwards ./jnfsd stats must show delegations
# granted to the 4.0 client and, as it is the only client, none recalled or revoked.
#
#   e2e/v40-netns.sh [--netns NAME]     (default name: jnfsd-v40)
# The namespace is made here and removed on exit. Exit status 0 on success; bounded (each guest
# run has run's own timeout). JNFSD_E2E_KEEP=1 keeps the work directory (server log, export).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
shared=${JNFSD_SHARED:-$top/../shared}
ns=jnfsd-v40
while [[ $# -gt 0 ]]; do
  case $1 in
    --netns) ns=$2; shift 2 ;;
    *) echo "usage: $0 [--netns NAME]" >&2; exit 2 ;;
  esac
done
source "$top/scripts/java-env.sh"
source "$top/e2e/lib.sh"

e2e_begin v40-netns
chmod 0777 "$export_dir"
e2e_more_cleanup() { "$shared/e2e/linux-client/netns" down "$ns"; }

./jnfsd --help >/dev/null  # builds it, if needed, outside the namespace
"$shared/e2e/linux-client/netns" up "$ns"
jnfsd_cmd="$shared/e2e/linux-client/netns exec $ns ./jnfsd"
counter() { server_counter "$port" "$1"; }

echo "== smoke and io over NFSv4.0 with a callback path (network namespace $ns)"
# every address of the namespace (nothing outside reaches it): the guest comes to 10.77.0.1,
# ./jnfsd stats (loopback callers only) to 127.0.0.1
start_jnfsd "$work/server.log" "$export_dir" --no-root-squash --port "$port" --state-dir "$work/state" \
  --bind 0.0.0.0 --clients 10.77.0.0/24,127.0.0.1
for script in "$shared/e2e/linux-client/smoke.sh" "$top/e2e/io.sh"; do
  echo "== $(basename "$script") over NFSv4.0 (netns)"
  "$shared/e2e/linux-client/run" --netns "$ns" --port "$port" --vers 4.0 "$script" \
    || fail "$(basename "$script") exited $?"
done
granted=$(counter jnfsd.delegations.granted) recalls=$(counter jnfsd.callbacks.recall.sent)
revoked=$(counter jnfsd.delegations.revoked)
echo "   the 4.0 client: $granted delegations granted, $recalls recalled, $revoked revoked"
[[ $granted != missing && $granted -ge 1 ]] || fail "no delegation granted over 4.0 (jnfsd.delegations.granted $granted)"
# one client conflicts with nobody: its own requests (REMOVE, GETATTR, ... naming no client) recall nothing
[[ $recalls == 0 && $revoked == 0 ]] || fail "$recalls recalls and $revoked revocations for a single client"
grep -q "callback .* not used" "$work/server.log" && fail "the guest's callback address was refused"
kill -TERM "$server_pid"
rc=0; wait "$server_pid" || rc=$?
server_pid=
[[ $rc -eq 0 ]] || fail "server exited $rc on SIGTERM"
echo "v40-netns: passed (smoke and io over NFSv4.0 with delegations, $granted granted)"
