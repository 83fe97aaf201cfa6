# Guest side of delegation-recall.sh (busybox sh, in the mounted export; see that script).
# Creates deleg.txt, opens it for reading and keeps it open (fd 3), so the kernel client gets a
# read delegation; creates guest-ready so the host knows; then waits (bounded) until the host's
# write, which recalls that delegation, shows through NFS, and checks the content.
set -u
rm -f deleg.txt guest-ready
echo "written by the guest" >deleg.txt || { echo "guest: cannot create deleg.txt"; exit 1; }
exec 3<deleg.txt || { echo "guest: cannot open deleg.txt"; exit 1; }
read -r first <&3
[ "$first" = "written by the guest" ] || { echo "guest: read back '$first'"; exit 1; }
: >guest-ready
echo "guest: holding deleg.txt open for reading; waiting for the host's write"
i=0
# each check opens the file again: close-to-open consistency makes it revalidate with the server
until grep -q "written by the host" deleg.txt 2>/dev/null; do
  i=$((i + 1))
  [ "$i" -le 240 ] || { echo "guest: the host's write did not show within 120 s"; cat deleg.txt; exit 1; }
  sleep 0.5
done
exec 3<&-
echo "guest: sees the host's write: $(cat deleg.txt)"
