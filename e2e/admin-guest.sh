# Guest side of admin.sh (busybox sh, in the mounted export; see that script).
# Creates held.txt and holds it open (fd 3), creates signal.txt and guest-ready; then waits
# (bounded) until the host writes "evicted" into signal.txt. The server has by then expired this
# client: the next operations make the kernel client re-establish itself. It then reads held.txt
# again (content intact) and writes after.txt, which the host checks.
set -u
rm -f held.txt signal.txt after.txt guest-ready
echo "held by the guest" >held.txt || { echo "guest: cannot create held.txt"; exit 1; }
exec 3<held.txt || { echo "guest: cannot open held.txt"; exit 1; }
echo waiting >signal.txt
: >guest-ready
echo "guest: holding held.txt open; waiting for the host to evict this client"
i=0
# each check opens the file again: close-to-open consistency makes it ask the server
until grep -q evicted signal.txt 2>/dev/null; do
  i=$((i + 1))
  [ "$i" -le 240 ] || { echo "guest: no eviction signal within 120 s"; exit 1; }
  sleep 0.5
done
echo "guest: evicted; working on"
exec 3<&- 2>/dev/null
content=$(cat held.txt) || { echo "guest: cannot read held.txt after the eviction"; exit 1; }
[ "$content" = "held by the guest" ] || { echo "guest: held.txt reads '$content'"; exit 1; }
echo "written after the eviction" >after.txt || { echo "guest: cannot write after the eviction"; exit 1; }
sync
echo "guest: held.txt intact and after.txt written after the eviction"
