#!/usr/bin/env bash
# End to end with the Linux kernel client: a read delegation recalled and returned.
#
# The host starts ./jnfsd serve (local backend, a fresh export and state directory, read
# delegations on, write delegations off) and boots the guest (../shared/e2e/linux-client/run)
# running delegation-guest.sh, which creates deleg.txt, holds it open for reading (the kernel
# client gets a read delegation) and
# creates guest-ready. The host waits for that marker in the export directory, then opens
# deleg.txt for writing through NFS with the Java client (org.jnfsd.client.cli.NfsWrite): the
# server answers NFS4ERR_DELAY and sends the kernel client a CB_RECALL; the kernel returns the
# delegation (DELEGRETURN) and the host's retried OPEN succeeds; it writes and closes. The guest
# then sees the new content. The host checks the server's counters (./jnfsd stats): one recall
# sent, one delegation granted and returned at the moment the host's write went through, and still
# one recall sent when the guest is done.
#
#   e2e/delegation-recall.sh [--vers 4.2] [--netns NAME]
# --netns NAME (needed for 4.0, whose callbacks travel over a connection the server opens to the
# guest): the server, ./jnfsd stats and the host's writer run inside network namespace NAME
# (../shared/e2e/linux-client/netns, made here and removed on exit), the server on every address
# of the namespace and serving 10.77.0.0/24 and 127.0.0.1; the guest mounts 10.77.0.1 from
# 10.77.0.2. The host's writer speaks
# NFSv4.1 (org.jnfsd.client.cli.NfsWrite has no 4.0), so the recall goes to the 4.0 guest.
# Exit status 0 on success. Bounded: every wait has a limit (about 2 minutes in all).
# JNFSD_E2E_KEEP=1 keeps the work directory (server log, export).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
shared=${JNFSD_SHARED:-$top/../shared}
vers=4.2 ns=
while [[ $# -gt 0 ]]; do
  case $1 in
    --vers) vers=$2; shift 2 ;;
    --netns) ns=$2; shift 2 ;;
    *) echo "usage: $0 [--vers 4.0|4.1|4.2] [--netns NAME]" >&2; exit 2 ;;
  esac
done
source "$top/scripts/java-env.sh"
source "$top/e2e/lib.sh"
e2e_begin delegation-recall
state_dir=$work/state
chmod 0777 "$export_dir"
e2e_more_cleanup() { [[ -z $ns ]] || "$shared/e2e/linux-client/netns" down "$ns"; }
serve_net=() run_net=() in_ns=()
if [[ -n $ns ]]; then
  [[ $vers == 4.0 || $vers == 4.1 || $vers == 4.2 ]] || { echo "--vers $vers" >&2; exit 2; }
  ./jnfsd --help >/dev/null  # builds it, if needed, outside the namespace
  "$shared/e2e/linux-client/netns" up "$ns"
  in_ns=("$shared/e2e/linux-client/netns" exec "$ns")
  jnfsd_cmd="${in_ns[*]} ./jnfsd"
  # every address of the namespace (nothing outside reaches it): the guest comes to 10.77.0.1,
  # ./jnfsd stats (loopback callers only) and the host's writer to 127.0.0.1
  serve_net=(--bind 0.0.0.0 --clients 10.77.0.0/24,127.0.0.1) run_net=(--netns "$ns")
elif [[ $vers == 4.0 ]]; then
  echo "delegation-recall: NFSv4.0 needs --netns NAME (the server must reach the guest's callback service)" >&2
  exit 2
fi
writer_minor=${vers#4.}
[[ $writer_minor == 0 ]] && writer_minor=1
counter() { server_counter "$port" "$1"; }

echo "== delegation recall: NFSv$vers${ns:+ (network namespace $ns)}"
# read delegations only: with write delegations the guest's create would get a write delegation
# (and its marker file another), and the counters below would count those too
start_jnfsd "$work/server.log" "$export_dir" --no-root-squash --port "$port" --state-dir "$state_dir" --max-delegations 100 \
  --no-write-delegations "${serve_net[@]}"
# the Java client: built with the server by ./jnfsd (mvn package), run from the jars
client_jar=$(ls "$top"/client/target/jnfsd-client-*.jar 2>/dev/null | head -1)
[[ -n $client_jar ]] || fail "no client jar under client/target (./jnfsd builds it)"

"$shared/e2e/linux-client/run" "${run_net[@]}" --port "$port" --vers "$vers" --timeout 300 \
  "$top/e2e/delegation-guest.sh" >"$work/guest.log" 2>&1 &
guest_pid=$!

# the guest boots in seconds; 120 s is ample
wait_for 120 "guest-ready marker (the guest holding deleg.txt open)" test -e "$export_dir/guest-ready"
[[ $(counter jnfsd.delegations.granted) -ge 1 ]] || fail "the kernel client got no delegation (granted $(counter jnfsd.delegations.granted))"

echo "   guest holds deleg.txt open with a read delegation: opening it for writing from the host"
"${in_ns[@]}" "$JAVA_HOME/bin/java" -cp "$client_jar:$top/daemon/target/lib/*" org.jnfsd.client.cli.NfsWrite \
  --port "$port" --minor "$writer_minor" --path /deleg.txt --data "written by the host" --retries 120 --retry-ms 500 \
  >"$work/nfs-write.log" 2>&1 || { cat "$work/nfs-write.log"; fail "the host's write through NFS failed"; }
echo "   $(grep 'nfs-write:' "$work/nfs-write.log")"
sent=$(counter jnfsd.callbacks.recall.sent) returned=$(counter jnfsd.delegations.returned) granted=$(counter jnfsd.delegations.granted)
echo "   after the host's write: recall.sent $sent, delegations.granted $granted, delegations.returned $returned"
[[ $sent == 1 ]] || fail "jnfsd.callbacks.recall.sent is $sent, want 1"
[[ $returned == 1 ]] || fail "jnfsd.delegations.returned is $returned, want 1"
[[ $granted -ge 1 ]] || fail "jnfsd.delegations.granted is $granted, want at least 1"

guest_rc=0
wait "$guest_pid" || guest_rc=$?
guest_pid=
cat "$work/guest.log"
[[ $guest_rc -eq 0 ]] || fail "the guest exited $guest_rc"
[[ $(cat "$export_dir/deleg.txt") == "written by the host" ]] || fail "deleg.txt on the host: $(cat "$export_dir/deleg.txt")"
sent=$(counter jnfsd.callbacks.recall.sent) revoked=$(counter jnfsd.delegations.revoked)
[[ $sent == 1 ]] || fail "jnfsd.callbacks.recall.sent is $sent at the end, want 1"
[[ $revoked == 0 ]] || fail "jnfsd.delegations.revoked is $revoked, want 0"
kill -TERM "$server_pid"
rc=0; wait "$server_pid" || rc=$?
server_pid=
[[ $rc -eq 0 ]] || fail "server exited $rc on SIGTERM"
echo "delegation-recall: passed (one CB_RECALL sent, the delegation returned, the host's write seen by the guest)"
