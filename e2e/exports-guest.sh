# Guest side of exports.sh (busybox sh, as root, in the mounted pseudo-root "/"; see that script).
# Arguments: BASE (the host directory holding the exports rw, ro and hidden) and PORT.
# Checks the pseudo-root's view, mounts each visible export directly, writes into rw (as root:
# squashed to 65534 by the default root_squash), is refused by ro and by the pseudo-root itself.
set -u
base=$1 port=$2
fail() { echo "guest: FAILED: $*"; exit 1; }
opts="vers=4.2,port=$port,proto=tcp"

seen=$(ls "$MNT$base" | tr '\n' ' ')
[ "$seen" = "ro rw " ] || fail "the pseudo-root shows '$seen' in $base, want 'ro rw ' (hidden must not show)"
[ -d "$MNT$base/rw" ] && [ -d "$MNT$base/ro" ] || fail "the exports are not directories"
ls "$MNT$base/hidden" >/dev/null 2>&1 && fail "$base/hidden, exported to another host, is reachable"
mkdir "$MNT$base/new" 2>/dev/null && fail "mkdir in the pseudo-root succeeded"
[ "$(cat "$MNT$base/ro/readme")" = "read me" ] || fail "cannot read ro/readme through the pseudo-root"
echo "guest: the pseudo-root shows the two exports as directories and hides the third"

mkdir -p /mnt/rw /mnt/ro /mnt/hidden
mount -t nfs4 -o "$opts" "10.0.2.2:$base/rw" /mnt/rw || fail "mount $base/rw failed"
mount -t nfs4 -o "$opts" "10.0.2.2:$base/ro" /mnt/ro || fail "mount $base/ro failed"
mount -t nfs4 -o "$opts" "10.0.2.2:$base/hidden" /mnt/hidden 2>/dev/null && fail "mounted $base/hidden"
echo "written by guest root" >/mnt/rw/byroot || fail "cannot write into the rw export"
[ "$(cat /mnt/rw/byroot)" = "written by guest root" ] || fail "rw/byroot reads back wrong"
owner=$(ls -ln /mnt/rw/byroot | awk '{ print $3 ":" $4 }')
[ "$owner" = "65534:65534" ] || fail "rw/byroot is owned by $owner, want 65534:65534 (root_squash)"
(echo nope >/mnt/ro/nope) 2>/dev/null && fail "wrote into the ro export"
[ -e /mnt/ro/nope ] && fail "ro/nope exists"
rm -f /mnt/ro/readme 2>/dev/null && fail "removed a file of the ro export"
[ "$(cat /mnt/ro/readme)" = "read me" ] || fail "cannot read the ro export mounted directly"
sync
umount /mnt/rw || fail "umount /mnt/rw"
umount /mnt/ro || fail "umount /mnt/ro"
echo "guest: rw takes writes (root squashed to 65534), ro refuses them"
