#!/bin/sh
# Runs in the e2e guest, in the mounted directory: the static lock test built by ./run.
set -e
cd "$MNT"
./locktest lockfile
