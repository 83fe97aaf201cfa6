#!/bin/sh
# Runs in the e2e guest, in the mounted directory: the static lock test built by ./run.
# NFSv4.0: the lock test alone (4.0 has no CB_NOTIFY_LOCK, so no host holder to block on)
set -e
cd "$MNT"
./locktest lockfile
