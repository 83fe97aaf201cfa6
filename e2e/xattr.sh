#!/usr/bin/env bash
# End to end with the Linux kernel client: extended attributes (RFC 8276) over NFSv4.2.
#
# The host starts ./jnfsd serve (local backend on a fresh export), sets user.origin on a file of
# the export, builds e2e/xattrtool (static; busybox has no setfattr/getfattr) and boots the guest
# (../shared/e2e/linux-client/run) running xattr-guest.sh: set, get, create/replace errors, the
# getfattr -d style dump, replace, removal, a directory's attribute and a 3000-byte value, each read
# after dropping caches, and the host's attribute read through the mount. Afterwards the host
# checks on the export itself that the guest's attribute is stored as user.kept and the removed
# one is gone.
#
#   e2e/xattr.sh
# Exit status 0 on success. Bounded (the guest's --timeout, 150 s for the server's start).
# JNFSD_E2E_KEEP=1 keeps the work directory (server log, export).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
shared=${JNFSD_SHARED:-$top/../shared}
source "$top/scripts/java-env.sh"
source "$top/e2e/lib.sh"
e2e_begin xattr
chmod 0777 "$export_dir"
getx() { python3 -c 'import os,sys; print(os.getxattr(sys.argv[1], sys.argv[2]).decode())' "$@"; }

echo data > "$export_dir/from-host"
python3 -c 'import os,sys; os.setxattr(sys.argv[1], "user.origin", b"the host")' "$export_dir/from-host" \
  || fail "the export's file system takes no user extended attributes"
gcc -static -O2 -o e2e/xattrtool e2e/xattrtool.c || fail "building e2e/xattrtool"

echo "== extended attributes: NFSv4.2"
start_jnfsd "$work/server.log" "$export_dir" --no-root-squash --port "$port"
"$shared/e2e/linux-client/run" --port "$port" --vers 4.2 --timeout 600 --with e2e/xattrtool \
  "$top/e2e/xattr-guest.sh" >"$work/guest.log" 2>&1 || fail "the guest script failed (exit $?)"
grep -q "xattr-guest: ok" "$work/guest.log" || fail "no ok from the guest"

[[ $(getx "$export_dir/kept" user.kept) == "by the guest" ]] || fail "user.kept not on the export's file"
[[ $(getx "$export_dir/f" user.shape) == round ]] || fail "user.shape not on the export's file"
if getx "$export_dir/f" user.colour >/dev/null 2>&1; then fail "the removed user.colour is still on the export's file"; fi
echo "xattr: ok"
