#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests (the cluster recovery store, e2e/failover.sh).
#
#   scripts/pg-test.sh start DIR     initdb in DIR (must not exist or be empty), start on 127.0.0.1
#                                    on a free port (bounded wait), create database "jnfsd", write
#                                    DIR/env (JNFSD_TEST_PG_URL, _USER, _PASSWORD_FILE, _DATA) for
#                                    `source`, and print it
#   scripts/pg-test.sh stop DIR      stop the server (fast shutdown, bounded) and delete DIR
#   scripts/pg-test.sh kill DIR      stop it at once (immediate shutdown: as a crash), keep DIR
#   scripts/pg-test.sh restart DIR   start it again on the same port after kill/stop-keep
#
# On a fresh Debian machine as root it installs the "postgresql" package first when no server
# binaries are in /usr/lib/postgresql/*/bin. As root the server runs as the "postgres" user (the
# package creates it), since PostgreSQL refuses to run as root. Password authentication
# (scram-sha-256) for the superuser "jnfsd"; the password is in DIR/password.
set -euo pipefail
cmd=${1:?usage: pg-test.sh start|stop|kill|restart DIR}
dir=${2:?usage: pg-test.sh start|stop|kill|restart DIR}
start_wait=60   # seconds pg_ctl waits for the server to accept connections

bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]] && { echo "$d"; return 0; }
  done
  return 1
}

ensure_installed() {
  bindir >/dev/null && return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "pg-test.sh: no PostgreSQL server in /usr/lib/postgresql/*/bin; install the postgresql package" >&2
    return 1
  fi
  echo "pg-test.sh: installing postgresql with apt-get" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 \
    || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2; }
  bindir >/dev/null
}

# runs a PostgreSQL binary as the user that owns the data directory
as_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

pg_start() {
  local bin=$1 port=$2
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t "$start_wait" \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock -c fsync=on" start >/dev/null \
    || { tail -20 "$dir/server.log" >&2; return 1; }
}

case $cmd in
  start)
    ensure_installed
    bin=$(bindir)
    mkdir -p "$dir"
    [[ -z $(ls -A "$dir") ]] || { echo "pg-test.sh: $dir is not empty" >&2; exit 1; }
    mkdir "$dir/sock"
    head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$dir/password"
    chmod 600 "$dir/password"
    [[ $(id -u) -eq 0 ]] && chown -R postgres: "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -U jnfsd --auth=scram-sha-256 --pwfile="$dir/password" \
      -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    port=$(free_port)
    echo "$port" >"$dir/port"
    pg_start "$bin" "$port"
    PGPASSWORD=$(cat "$dir/password") "$bin/psql" -q -h 127.0.0.1 -p "$port" -U jnfsd -d postgres \
      -c 'CREATE DATABASE jnfsd' >/dev/null
    cat >"$dir/env" <<EOF
export JNFSD_TEST_PG_URL=jdbc:postgresql://127.0.0.1:$port/jnfsd
export JNFSD_TEST_PG_USER=jnfsd
export JNFSD_TEST_PG_PASSWORD_FILE=$dir/password
export JNFSD_TEST_PG_DIR=$dir
EOF
    chmod 644 "$dir/env" "$dir/password"   # the tests may run as another user than the server
    cat "$dir/env"
    ;;
  kill)
    as_pg "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null
    ;;
  restart)
    pg_start "$(bindir)" "$(cat "$dir/port")"
    ;;
  stop)
    if [[ -f $dir/data/postmaster.pid ]]; then
      as_pg "$(bindir)/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null \
        || as_pg "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: pg-test.sh start|stop|kill|restart DIR" >&2; exit 2 ;;
esac
