# Guest side of failover.sh (busybox sh): mounts the service address ADDR (the harness mounted its
# own server address, which is not the service) with the harness's mount options, and runs
# append-records.sh there: N numbered records through one descriptor, each synced, then the file
# read back and compared. Usage: failover-guest.sh N ADDR
set -u
n=$1 addr=$2
. /share/env
mkdir -p /mnt/ha
mount -t nfs4 -o "$MOUNT_OPTS,clientaddr=$GUEST_ADDR" "$addr:/" /mnt/ha \
  || { echo "guest: mount -t nfs4 -o $MOUNT_OPTS $addr:/ failed"; exit 2; }
cd /mnt/ha
sh /share/append-records.sh "$n"
rc=$?
cd /
umount /mnt/ha || { echo "guest: umount of $addr failed"; [ "$rc" = 0 ] && rc=1; }
exit "$rc"
