#!/bin/sh
# Kernel-client scenarios for OPEN/READ/WRITE/COMMIT and open state, run in the guest by
# ../shared/e2e/linux-client/run (busybox sh, as root, in the mounted directory). Every result is
# checked; exits non-zero at the first failure.
set -e
fail() { echo "IO FAIL: $*"; exit 1; }
step() { echo "== $*"; }
d=io.$$
# users for the non-root steps (the guest's root file system is a writable initramfs)
grep -q '^u1000:' /etc/passwd 2>/dev/null || {
    echo 'u1000:x:1000:1000::/tmp:/bin/sh' >>/etc/passwd
    echo 'u2000:x:2000:2000::/tmp:/bin/sh' >>/etc/passwd
}
# the initramfs is root-only: let the test users run busybox and reach the mount
chmod a+rx / /bin /bin/busybox "$(dirname "$MNT")" 2>/dev/null || :
as() { u=$1; shift; su "$u" -s /bin/sh -c "$*"; }
rm -rf "$d"; mkdir "$d" && cd "$d"

step "exclusive create (O_EXCL): second create fails, file intact"
( set -C; echo first >excl ) || fail "first O_EXCL create"
if ( set -C; echo second >excl ) 2>/dev/null; then fail "second O_EXCL create succeeded"; fi
[ "$(cat excl)" = first ] || fail "O_EXCL clobbered the file"

step "O_TRUNC of an existing file"
echo 0123456789 >t; echo ab >t
[ "$(stat -c %s t)" -eq 3 ] || fail "truncate on open: size $(stat -c %s t)"

step "non-root creates a 0444 file with O_CREAT|O_WRONLY and writes it"
mkdir u; chown 1000:1000 u
as u1000 'cd u && umask 222 && echo data >ro' || fail "create 0444 and write as uid 1000"
[ "$(cat u/ro)" = data ] || fail "0444 file content"
[ "$(stat -c %a u/ro)" = 444 ] || fail "0444 file mode $(stat -c %a u/ro)"
[ "$(stat -c %u u/ro)" = 1000 ] || fail "owner $(stat -c %u u/ro)"
if as u2000 'echo x >>u/ro' 2>/dev/null; then fail "another user wrote a 0444 file"; fi

step "partial-page writes through a write-only open, then read back"
dd if=/dev/urandom of=/tmp/p bs=1000 count=20 2>/dev/null
cp /tmp/p p; sync; echo 3 >/proc/sys/vm/drop_caches
dd if=/dev/zero of=p bs=1 seek=4097 count=100 conv=notrunc 2>/dev/null
dd if=/dev/zero of=/tmp/p bs=1 seek=4097 count=100 conv=notrunc 2>/dev/null
sync; echo 3 >/proc/sys/vm/drop_caches
cmp p /tmp/p || fail "partial-page write"

step "read past end of file, sparse extension"
[ "$(dd if=p bs=1 skip=30000 count=10 2>/dev/null | wc -c)" -eq 0 ] || fail "read past eof"
dd if=/dev/zero of=s bs=1 seek=1048575 count=1 2>/dev/null
[ "$(stat -c %s s)" -eq 1048576 ] || fail "sparse size"
[ "$(od -An -tx1 -N4 -j 500000 s | tr -d ' ')" = 00000000 ] || fail "hole reads as zeros"

step "many opens and closes of one file"
i=0; while [ $i -lt 200 ]; do echo $i >>many; i=$((i+1)); done
[ "$(wc -l <many)" -eq 200 ] || fail "append through 200 opens"

cd ..; rm -r "$d" || fail "cleanup"
echo "IO PASS"
