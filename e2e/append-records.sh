# Guest side of restart-while-writing.sh (busybox sh, in the mounted export; see that script).
# Appends N numbered 4 KiB records to data.bin through one file descriptor held open the whole
# time (so the client holds an open stateid across every server restart and must reclaim it),
# syncing after each record, then checks the file read back from the server is exactly what it
# wrote: N records, each once, in order.  Usage: append-records.sh N
set -u
n=$1
rm -f data.bin
pad=/tmp/pad expected=/tmp/expected
# a record is "%05d:" (6 bytes) + 4089 'x' + "\n" = 4096 bytes
head -c 4089 /dev/zero | tr '\0' 'x' >"$pad"; echo >>"$pad"
: >"$expected"
exec 3>>data.bin || { echo "guest: cannot open data.bin"; exit 1; }
i=1
while [ "$i" -le "$n" ]; do
  { printf '%05d:' "$i"; cat "$pad"; } >&3 || { echo "guest: write of record $i failed"; exit 1; }
  { printf '%05d:' "$i"; cat "$pad"; } >>"$expected"
  sync || { echo "guest: sync after record $i failed"; exit 1; }
  i=$((i + 1))
done
exec 3>&-
echo 3 >/proc/sys/vm/drop_caches
size=$(stat -c %s data.bin)
want=$((n * 4096))
[ "$size" -eq "$want" ] || { echo "guest: data.bin has $size bytes, want $want"; exit 1; }
cmp data.bin "$expected" || { echo "guest: data.bin differs from what was written"; exit 1; }
echo "guest: $n records written and read back intact"
