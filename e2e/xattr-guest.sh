#!/bin/sh
# Guest half of e2e/xattr.sh: extended attributes through the kernel client's mount (NFSv4.2,
# RFC 8276), each read checked again after dropping caches. /share/xattrtool stands in for
# setfattr/getfattr, which busybox lacks.
set -e
cd "$MNT"
X=/share/xattrtool
fail() { echo "xattr-guest: FAILED: $*"; exit 1; }
drop() { sync; echo 3 > /proc/sys/vm/drop_caches; }

echo data > f
$X set f user.colour blue
[ "$($X get f user.colour)" = blue ] || fail "get after set"
$X set f user.shape round create
if $X set f user.shape square create 2>err; then fail "create of an existing attribute succeeded"; fi
grep -q EEXIST err || fail "create of an existing attribute: $(cat err)"
if $X set f user.none v replace 2>err; then fail "replace of a missing attribute succeeded"; fi
grep -q ENODATA err || fail "replace of a missing attribute: $(cat err)"
drop
[ "$($X get f user.colour)" = blue ] || fail "get after dropping caches"
[ "$($X get f user.shape)" = round ] || fail "shape after dropping caches"
dump=$($X dump f)
echo "$dump"
[ "$dump" = 'user.colour="blue"
user.shape="round"' ] || fail "dump: $dump"

$X set f user.colour green
drop
[ "$($X get f user.colour)" = green ] || fail "replaced value after dropping caches"
$X remove f user.colour
drop
if $X get f user.colour 2>err; then fail "removed attribute still there"; fi
grep -q ENODATA err || fail "get of the removed attribute: $(cat err)"
[ "$($X dump f)" = 'user.shape="round"' ] || fail "dump after removal: $($X dump f)"

mkdir d
$X set d user.dir yes
v=$(head -c 3000 /dev/zero | tr '\0' 'v')
$X set f user.big "$v"
drop
[ "$($X get d user.dir)" = yes ] || fail "directory attribute"
[ "$($X get f user.big)" = "$v" ] || fail "3000-byte value"

# set by the host on the export, before the guest started
[ "$($X get from-host user.origin)" = "the host" ] || fail "attribute set on the server: $($X get from-host user.origin)"
# checked by the host after the guest is done
echo keep > kept
$X set kept user.kept "by the guest"
rm -f err
echo "xattr-guest: ok"
