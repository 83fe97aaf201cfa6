#!/usr/bin/env bash
# End to end with the Linux kernel client: several exports under the NFSv4 pseudo-root (issue 12).
#
# The host writes an exports file with three exports under one work directory BASE: BASE/rw
# (127.0.0.1(rw), root_squash by default), BASE/ro (127.0.0.1(ro)) and BASE/hidden (exported to
# 127.0.0.9 only). The guest (qemu user networking: the server sees it as 127.0.0.1) mounts "/",
# runs exports-guest.sh: the pseudo-root shows rw and ro as directories and not hidden; it mounts
# rw and ro directly, writes into rw as root and is refused by ro and by the pseudo-root. The host
# then checks the file the guest wrote is owned by 65534:65534 on disk, and ro is unchanged.
#
#   e2e/exports.sh [--vers 4.2]
# Exit status 0 on success. Bounded: every wait has a limit. JNFSD_E2E_KEEP=1 keeps the work directory.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
shared=${JNFSD_SHARED:-$top/../shared}
vers=4.2
while [[ $# -gt 0 ]]; do
  case $1 in
    --vers) vers=$2; shift 2 ;;
    *) echo "usage: $0 [--vers 4.1|4.2]" >&2; exit 2 ;;
  esac
done
source "$top/scripts/java-env.sh"
source "$top/e2e/lib.sh"
e2e_begin exports
chmod 0755 "$work"
base=$work/exp
mkdir -p "$base/rw" "$base/ro" "$base/hidden"
chmod 0777 "$base/rw"
echo "read me" >"$base/ro/readme"
cat >"$work/exports" <<EXPORTS
# written by e2e/exports.sh
$base/rw      127.0.0.1(rw)
$base/ro      127.0.0.1(ro)
$base/hidden  127.0.0.9(rw)
EXPORTS
echo "== several exports under the pseudo-root with the kernel client: NFSv$vers"
start_jnfsd "$work/server.log" --exports "$work/exports" --port "$port" --state-dir "$work/state"
rc=0
"$shared/e2e/linux-client/run" --port "$port" --vers "$vers" --path / --timeout 600 \
  "$top/e2e/exports-guest.sh" "$base" "$port" || rc=$?
[[ $rc -eq 0 ]] || fail "the guest exited $rc"
[[ $(cat "$base/rw/byroot" 2>/dev/null) == "written by guest root" ]] || fail "rw/byroot not on the host"
owner=$(stat -c %u:%g "$base/rw/byroot")
[[ $owner == 65534:65534 ]] || fail "the host shows rw/byroot owned by $owner, want 65534:65534"
[[ $(ls "$base/ro") == readme ]] || fail "the ro export changed: $(ls "$base/ro")"
kill -TERM "$server_pid"
rc=0; wait "$server_pid" || rc=$?
server_pid=
[[ $rc -eq 0 ]] || fail "server exited $rc on SIGTERM"
echo "exports: passed (two exports seen and mounted, the third hidden, rw written as 65534, ro refused)"
