#!/bin/sh
# e2e: the Linux client's copy_file_range on the mount (an NFSv4.2 COPY to the server), content
# verified after dropping caches. Run with:
#   ../shared/e2e/linux-client/run --port P --vers 4.2 --with e2e/cfr e2e/copy-file-range.sh
# (build the helper first: gcc -static -O2 -o e2e/cfr e2e/cfr.c)
set -e
cd "$MNT"
dd if=/dev/urandom of=src bs=1M count=48 2>/dev/null
sync
/share/cfr src dst
echo 3 > /proc/sys/vm/drop_caches
a=$(md5sum < src)
b=$(md5sum < dst)
[ "$a" = "$b" ] || { echo "content differs: $a vs $b"; exit 1; }
[ "$(stat -c %s dst)" = "$((48 * 1024 * 1024))" ] || { echo "size differs"; exit 1; }
# a second copy into the middle of an existing file, and a sparse source (SEEK / READ_PLUS holes)
truncate -s 64M sparse
echo tail >> sparse
/share/cfr sparse sparse-copy
echo 3 > /proc/sys/vm/drop_caches
[ "$(md5sum < sparse)" = "$(md5sum < sparse-copy)" ] || { echo "sparse content differs"; exit 1; }
# SEEK: the sparse file is a hole up to its last block; DEALLOCATE punches one into dst, ALLOCATE grows a file
out=$(/share/cfr --seek sparse 0)
echo "sparse: $out"
set -- $out
# the data is the last block (the server may also keep a byte at the old end of the truncate)
[ "$4" = 0 ] && [ "$2" -ge $((64 * 1024 * 1024 - 65536)) ] || { echo "SEEK on the sparse file: $out"; exit 1; }
/share/cfr --punch dst 1048576 2097152
echo 3 > /proc/sys/vm/drop_caches
[ "$(dd if=dst bs=1M skip=1 count=2 2>/dev/null | md5sum)" = "$(dd if=/dev/zero bs=1M count=2 2>/dev/null | md5sum)" ] \
  || { echo "punched range is not zeros"; exit 1; }
[ "$(dd if=dst bs=1M count=1 2>/dev/null | md5sum)" = "$(dd if=src bs=1M count=1 2>/dev/null | md5sum)" ] \
  || { echo "bytes before the punched range changed"; exit 1; }
out=$(/share/cfr --seek dst 1048576)
echo "dst: $out"
[ "$out" = "data 3145728 hole 1048576" ] || { echo "SEEK after DEALLOCATE: $out"; exit 1; }
: > grown
/share/cfr --alloc grown 0 5000000
[ "$(stat -c %s grown)" = 5000000 ] || { echo "ALLOCATE did not grow the file"; exit 1; }
rm -f src dst sparse sparse-copy grown
echo "copy-file-range: ok"
