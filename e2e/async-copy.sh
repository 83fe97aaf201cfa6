#!/usr/bin/env bash
# End to end with the Linux kernel client: asynchronous COPY with CB_OFFLOAD, and the same kind of
# copy interrupted by killing the copying process and unmounting.
#
# The host starts ./jnfsd serve on a free port (local backend, a 1 MiB --async-copy-threshold, a
# short lease), then boots the guest twice (../shared/e2e/linux-client/run --with e2e/cfr):
#  (a) async-copy-guest.sh copy: a 64 MiB copy_file_range, content verified in the guest; the host
#      then checks the server's counters (./jnfsd stats): jnfsd.copies.async.started >= 1 and
#      jnfsd.callbacks.offload.sent >= 1;
#  (b) async-copy-guest.sh interrupt: a copy of a 2 GiB file made by the host, killed after a
#      second, then the guest unmounts; the host waits (bounded) until the server has no copy task
#      running (jnfsd.copies.async.running 0), no copy left for OFFLOAD_STATUS (jnfsd.copies.async.tracked
#      0: the client was destroyed, or its copies were reaped after the 10 s lease) and no callback in
#      flight (jnfsd.callbacks.in_flight 0).
#
#   e2e/async-copy.sh [--vers 4.2]
# Exit status 0 on success. JNFSD_E2E_KEEP=1 keeps the work directory (server log, export).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
shared=${JNFSD_SHARED:-$top/../shared}
vers=4.2
while [[ $# -gt 0 ]]; do
  case $1 in
    --vers) vers=$2; shift 2 ;;
    *) echo "usage: $0 [--vers 4.2]" >&2; exit 2 ;;
  esac
done

source "$top/e2e/lib.sh"
e2e_begin async-copy
chmod 755 "$export_dir"
log=$work/server.log
stat_of() { server_counter "$port" "$1"; }

[[ -x e2e/cfr && e2e/cfr -nt e2e/cfr.c ]] || gcc -static -O2 -o e2e/cfr e2e/cfr.c
start_jnfsd "$log" "$export_dir" --no-root-squash --port "$port" --state-dir "$work/state" --lease 10 --grace 10 \
  --async-copy-threshold 1048576

echo "== (a) async COPY of 64 MiB over NFSv$vers"
"$shared/e2e/linux-client/run" --port "$port" --vers "$vers" --with e2e/cfr e2e/async-copy-guest.sh copy \
  || fail "guest copy failed"
started=$(stat_of jnfsd.copies.async.started)
sent=$(stat_of jnfsd.callbacks.offload.sent)
echo "server: jnfsd.copies.async.started $started, jnfsd.callbacks.offload.sent $sent"
[[ $started =~ ^[0-9]+$ ]] && (( started >= 1 )) || fail "no async COPY on the server"
[[ $sent =~ ^[0-9]+$ ]] && (( sent >= 1 )) || fail "no CB_OFFLOAD sent"

echo "== (b) the copy of a 2 GiB file interrupted by kill and unmount"
fallocate -l 2G "$export_dir/big" 2>/dev/null || head -c 2G /dev/zero >"$export_dir/big"
"$shared/e2e/linux-client/run" --port "$port" --vers "$vers" --with e2e/cfr e2e/async-copy-guest.sh interrupt \
  || fail "guest interrupt run failed"
ok=
for _ in $(seq 1 120); do
  running=$(stat_of jnfsd.copies.async.running)
  tracked=$(stat_of jnfsd.copies.async.tracked)
  inflight=$(stat_of jnfsd.callbacks.in_flight)
  if [[ $running == 0 && $tracked == 0 && $inflight == 0 ]]; then ok=1; break; fi
  sleep 0.5
done
./jnfsd stats --port "$port" | grep -E 'copies|offload|callbacks.in_flight|clients' || true
[[ -n $ok ]] || fail "after 60 s: $running copy tasks running, $tracked copies tracked, $inflight callbacks in flight"
echo "server: no copy running or tracked, no callback in flight"

kill -TERM "$server_pid"
rc=0
wait "$server_pid" || rc=$?
server_pid=
[[ $rc -eq 0 ]] || fail "server exited $rc on SIGTERM"
echo "async-copy: ok"
