#!/bin/sh
# The --service-address-hook of e2e/failover.sh, run inside the test's network namespace:
# up ADDR puts ADDR on tap0 (replace: the address a killed node left behind is taken as is),
# down ADDR removes it.
set -eu
case $1 in
  up) ip addr replace "$2/24" dev tap0 ;;
  down) ip addr del "$2/24" dev tap0 2>/dev/null || true ;;
  *) echo "usage: $0 up|down ADDR" >&2; exit 2 ;;
esac
