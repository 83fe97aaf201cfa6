#!/bin/sh
# Runs in the e2e guest, in the mounted directory: the static lock test built by ./run.
set -e
cd "$MNT"
# first: block on the host client's lock (./run starts HostLockHolder before the guest boots)
./locktest --wait-host hostlock
./locktest lockfile
