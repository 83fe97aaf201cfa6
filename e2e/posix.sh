#!/bin/sh
# e2e: POSIX ownership, set-id and permission rules through the Linux kernel client, as on a local
# file system (issue 17): set-group-id directories, set-id bits cleared by writes, truncation,
# chown and chmod, permission checks and SETATTR by non-owners, with other uids through a static
# helper. Run with:
#   ../shared/e2e/linux-client/run --port P --vers 4.2 --with e2e/asuser e2e/posix.sh
# (build the helper first: gcc -static -O2 -o e2e/asuser e2e/asuser.c; the server must run
# with --no-root-squash so that root in the guest may chown)
set -e
cd "$MNT"
# the other uids run busybox from a copy every user may execute (the initramfs's is root's)
mkdir -p /ub
for bb in /bin/busybox /usr/bin/busybox /sbin/busybox "$(readlink -f /bin/sh)"; do [ -f "$bb" ] && break; done
cp "$bb" /ub/busybox
chmod 755 / /ub /ub/busybox  # the initramfs root may be root's only: a throw-away guest
for a in sh mkdir cat chmod chown chgrp; do ln -sf busybox /ub/$a; done
as() { # as UID GID[,GID...] APPLET ARG...: APPLET run as that user
  u=$1 g=$2 a=$3
  shift 3
  /share/asuser "$u" "$g" /ub/"$a" "$@"
}
umask 022
fails=0
check() { # check WHAT EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then echo "ok: $1"; else echo "FAIL: $1: expected $2, got $3"; fails=$((fails + 1)); fi
}
fresh() { echo 3 > /proc/sys/vm/drop_caches; }
mkdir -p posix && cd posix
chmod 777 .

# a set-group-id directory: new objects take its group, new directories keep the bit
mkdir sg && chgrp 3000 sg && chmod 2777 sg
as 1000 1000 mkdir sg/sub
as 1000 1000 sh -c 'echo x > sg/f'
fresh
check "mkdir in g+s dir: group" 3000 "$(stat -c %g sg/sub)"
check "mkdir in g+s dir: mode" 2755 "$(stat -c %a sg/sub)"
check "file in g+s dir: group" 3000 "$(stat -c %g sg/f)"
check "file in g+s dir: no set-gid" 644 "$(stat -c %a sg/f)"

# a write by another uid clears set-uid and set-gid (set-gid only with group-execute)
echo data > w && chmod 6777 w
as 2000 2000 sh -c 'echo more >> w'
echo data > m && chmod 2666 m
as 2000 2000 sh -c 'echo more >> m'
fresh
check "write by another uid" 777 "$(stat -c %a w)"
check "write keeps set-gid without g+x" 2666 "$(stat -c %a m)"
# (no truncate case here: root's OPEN that created a file gets a write delegation, and the Linux
# client then sends another uid's ftruncate as a SETATTR with the delegation's credential, root's,
# so the server cannot know a non-root user changed the size; PosixSemanticsTcpTest covers it)

# chown by root, chgrp by the owner (a member of the new group) clear them too
echo d > o && chmod 6755 o && chown 2000 o
echo d > g && chown 1000:1000 g && chmod 6755 g
as 1000 1000,3000 chgrp 3000 g
fresh
check "chown by root" 755 "$(stat -c %a o)"
check "chgrp by the owner: group" 3000 "$(stat -c %g g)"
check "chgrp by the owner: mode" 755 "$(stat -c %a g)"

# chmod g+s by an owner outside the file's group drops it; inside keeps it
echo d > c && chown 1000:3000 c
as 1000 1000 chmod 2755 c
echo d > k && chown 1000:1000 k
as 1000 1000 chmod 2755 k
fresh
check "chmod g+s outside the group" 755 "$(stat -c %a c)"
check "chmod g+s inside the group" 2755 "$(stat -c %a k)"

# permissions by the mode bits, and SETATTR by a non-owner
echo d > ro && chown 1000:1000 ro && chmod 444 ro
echo d > none && chown 1000:1000 none && chmod 000 none
echo d > own && chown 1000:1000 own && chmod 644 own
fresh
if as 1000 1000 sh -c 'echo x >> ro' 2>/dev/null; then r=written; else r=refused; fi
check "owner writes its 0444 file" refused "$r"
if as 1000 1000 cat none >/dev/null 2>&1; then r=read; else r=refused; fi
check "owner reads its 0000 file" refused "$r"
if as 2000 2000 cat own >/dev/null 2>&1; then r=read; else r=refused; fi
check "other reads a 0644 file" read "$r"
if as 2000 2000 chmod 777 own 2>/dev/null; then r=changed; else r=refused; fi
check "chmod by a non-owner" refused "$r"
if as 2000 2000 chown 2000 own 2>/dev/null; then r=changed; else r=refused; fi
check "chown by a non-owner" refused "$r"
if as 2000 2000,3000 chgrp 3000 own 2>/dev/null; then r=changed; else r=refused; fi
check "chgrp by a non-owner" refused "$r"
fresh
check "mode unchanged" 644 "$(stat -c %a own)"

cd .. && rm -rf posix
[ "$fails" = 0 ] || { echo "posix: $fails failure(s)"; exit 1; }
echo "posix: ok"
