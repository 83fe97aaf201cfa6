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
rm -f src dst sparse sparse-copy
echo "copy-file-range: ok"
