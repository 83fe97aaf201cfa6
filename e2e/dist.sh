#!/usr/bin/env bash
# The installable jnfsd, as an administrator gets it (issue 13):
#  1. scripts/build-dist builds dist/target/jnfsd-VERSION.tar.gz and jnfsd_VERSION_all.deb;
#  2. the tarball, unpacked in a scratch directory with a failing `mvn` first on the PATH (the
#     installed launcher never builds), serves the Linux kernel client the shared smoke test over
#     NFSv4.2 (../shared/e2e/linux-client/run); its /metrics then shows the kernel's OPEN, READ and
#     WRITE counted and their latency histogram; SIGHUP (systemctl reload) leaves it serving;
#     SIGTERM ends it with exit status 0;
#  3. the .deb: its layout (launcher, jars, conffile, unit, man page, dashboard, state directory),
#     its unit checked by systemd-analyze verify, and its daemon started from the unpacked package
#     root, answering `jnfsd stats`.
#
#   e2e/dist.sh
# Exit status 0 on success. Bounded: every wait has a limit. JNFSD_E2E_KEEP=1 keeps the work directory.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
shared=${JNFSD_SHARED:-$top/../shared}
source "$top/e2e/lib.sh"
work=$(mktemp -d)
server_pid=
cleanup() {
  [[ -n $server_pid ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [[ -n ${JNFSD_E2E_KEEP:-} ]] && echo "dist: work directory kept: $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "dist: FAIL: $*" >&2; [[ -f $work/server.log ]] && tail -40 "$work/server.log" >&2; exit 1; }

echo "dist: building the tarball and the .deb"
scripts/build-dist >/dev/null || fail "scripts/build-dist failed"
tarball=$(ls dist/target/jnfsd-*.tar.gz)
deb=$(ls dist/target/jnfsd_*_all.deb)

# -- the tarball, without Maven
mkdir -p "$work/opt" "$work/fakebin" "$work/export"
chmod 0777 "$work/export"
tar -xzf "$tarball" -C "$work/opt"
home=$(ls -d "$work"/opt/jnfsd-*)
printf '#!/bin/sh\necho "mvn must not run from an installed jnfsd" >&2\nexit 97\n' >"$work/fakebin/mvn"
chmod 755 "$work/fakebin/mvn"
for f in bin/jnfsd etc/jnfsd/jnfsd.env lib/systemd/system/jnfsd.service share/man/man8/jnfsd.8 \
    share/jnfsd/grafana/jnfsd-dashboard.json LICENSE; do
  [[ -e $home/$f ]] || fail "tarball lacks $f"
done
ls "$home"/lib/jnfsd/jnfsd-daemon-*.jar >/dev/null 2>&1 || fail "tarball lacks the daemon jar"
port=$(free_port) mport=$(free_port)
jnfsd_cmd="$home/bin/jnfsd"
# SIGHUP at its default disposition: a CI launched under nohup has it ignored, a disposition the
# JVM keeps (it installs no handler for an ignored SIGHUP), so the reload check below would fail
PATH=$work/fakebin:$PATH jnfsd_cmd="env --default-signal=HUP $home/bin/jnfsd" start_jnfsd "$work/server.log" "$work/export" --no-root-squash --port "$port" \
  --state-dir "$work/state" --metrics "127.0.0.1:$mport"
grep -q "mvn must not run" "$work/server.log" && fail "the installed launcher ran mvn"
echo "dist: tarball's jnfsd ready on port $port; kernel smoke over NFSv4.2"
"$shared/e2e/linux-client/run" --port "$port" --vers 4.2 "$shared/e2e/linux-client/smoke.sh" \
  || fail "kernel smoke test over the tarball's server"
metrics=$(curl -sf --max-time 10 "http://127.0.0.1:$mport/metrics") || fail "no /metrics"
for series in 'jnfsd_ops_total{op="OPEN",status="OK"}' 'jnfsd_ops_total{op="READ",status="OK"}' \
    'jnfsd_ops_total{op="WRITE",status="OK"}' 'jnfsd_op_duration_seconds_bucket{op="WRITE",le="+Inf"}'; do
  value=$(awk -v s="$series" '$1 == s { print $2 }' <<<"$metrics")
  [[ -n $value ]] && awk -v v="$value" 'BEGIN { exit !(v > 0) }' || fail "$series is '${value:-missing}' after the smoke run"
  echo "dist: $series $value"
done
# systemctl reload sends SIGHUP: logged, and the server keeps serving
kill -HUP "$server_pid"
for _ in $(seq 1 120); do grep -q "SIGHUP received" "$work/server.log" && break; sleep 0.5; done
grep -q "SIGHUP received" "$work/server.log" \
  || fail "SIGHUP not logged within 60 s (server $(kill -0 "$server_pid" 2>/dev/null && echo alive || echo gone))"
kill -0 "$server_pid" 2>/dev/null || fail "SIGHUP stopped the server"
[[ $(server_counter "$port" jnfsd.connections.accepted) != missing ]] || fail "no stats after SIGHUP"
kill -TERM "$server_pid"
rc=0; wait "$server_pid" || rc=$?
server_pid=
[[ $rc -eq 0 ]] || fail "the tarball's server exited $rc on SIGTERM"

# -- the .deb
dpkg-deb --info "$deb" >/dev/null || fail "not a Debian package: $deb"
root=$work/root
dpkg-deb -x "$deb" "$root"
for f in usr/bin/jnfsd etc/jnfsd/jnfsd.env lib/systemd/system/jnfsd.service usr/share/man/man8/jnfsd.8 \
    usr/share/jnfsd/grafana/jnfsd-dashboard.json; do
  [[ -e $root/$f ]] || fail ".deb lacks /$f"
done
[[ -x $root/usr/bin/jnfsd ]] || fail "/usr/bin/jnfsd is not executable"
[[ -d $root/var/lib/jnfsd ]] || fail ".deb lacks /var/lib/jnfsd"
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/jnfsd/jnfsd.env || fail "jnfsd.env is not a conffile"
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./postinst | grep -q "adduser --system" || fail "postinst creates no jnfsd user"
if command -v systemd-analyze >/dev/null; then
  mkdir -p "$work/unit"
  sed "s#/usr/bin/jnfsd#$root/usr/bin/jnfsd#" "$root/lib/systemd/system/jnfsd.service" >"$work/unit/jnfsd.service"
  out=$(systemd-analyze verify --man=no "$work/unit/jnfsd.service" 2>&1) || fail "systemd-analyze verify: $out"
  [[ -z $out ]] || fail "systemd-analyze verify: $out"
  echo "dist: jnfsd.service verified"
fi
port=$(free_port)
jnfsd_cmd="$root/usr/bin/jnfsd"
PATH=$work/fakebin:$PATH start_jnfsd "$work/server.log" --backend memory /unused --port "$port"
accepted=$(server_counter "$port" jnfsd.connections.accepted)
[[ $accepted != missing ]] || fail "the .deb's jnfsd answers no stats"
kill -TERM "$server_pid"
rc=0; wait "$server_pid" || rc=$?
server_pid=
[[ $rc -eq 0 ]] || fail "the .deb's server exited $rc on SIGTERM"
echo "dist: PASS (tarball served the kernel client without Maven; .deb layout, unit and daemon)"
