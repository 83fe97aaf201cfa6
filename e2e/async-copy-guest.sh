#!/bin/sh
# Guest part of e2e/async-copy.sh (run it through that script, which starts the server with a small
# --async-copy-threshold and checks its counters afterwards).
#   async-copy-guest.sh copy        a 64 MiB copy_file_range, which the kernel sends as one COPY that the
#                                   server runs asynchronously (CB_OFFLOAD); content verified
#   async-copy-guest.sh interrupt   a copy of the host-made 2 GiB file "big", killed while the server
#                                   copies; the script then ends and the guest unmounts
set -e
cd "$MNT"
case $1 in
  copy)
    dd if=/dev/urandom of=src bs=1M count=64 2>/dev/null
    sync
    /share/cfr src dst
    echo 3 > /proc/sys/vm/drop_caches
    [ "$(md5sum < src)" = "$(md5sum < dst)" ] || { echo "content differs"; exit 1; }
    [ "$(stat -c %s dst)" = "$((64 * 1024 * 1024))" ] || { echo "size differs"; exit 1; }
    rm -f src dst
    echo "async-copy: copy ok"
    ;;
  interrupt)
    [ -f big ] || { echo "no host-made source 'big'"; exit 1; }
    /share/cfr big big-copy &
    pid=$!
    sleep 1
    kill -9 "$pid" 2>/dev/null || echo "the copy had finished already"
    wait "$pid" || true
    echo "async-copy: interrupted, unmounting"
    ;;
  *) echo "usage: async-copy-guest.sh copy|interrupt"; exit 2 ;;
esac
