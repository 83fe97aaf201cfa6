# Shared by the e2e scripts (source it after cd-ing to the repository): a free loopback port,
# starting ./jnfsd serve and waiting for its ready line, and reading one of its counters.
# start_jnfsd expects the sourcing script to define fail MESSAGE (print, clean up, exit 1).

# A TCP port free on 127.0.0.1 now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_jnfsd LOG SERVE-ARGS...: ./jnfsd serve SERVE-ARGS (or $jnfsd_cmd serve ..., e.g. an
# installed launcher) in the background, its output in LOG; sets server_pid and returns once the
# server logged its ready line (fail after 150 s, or when the server exits first).
start_jnfsd() {
  local log=$1
  shift
  ${jnfsd_cmd:-./jnfsd} serve "$@" >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    grep -q ready "$log" && return 0
    kill -0 "$server_pid" 2>/dev/null || fail "server exited before ready"
    sleep 0.5
  done
  fail "server not ready after 150 s"
}

# server_counter PORT NAME: the value of counter or gauge NAME of the server on PORT
# (./jnfsd stats prints "name value" lines), or "missing".
server_counter() {
  ${jnfsd_cmd:-./jnfsd} stats --port "$1" | awk -v n="$2" '$1 == n { print $2; found = 1 } END { if (!found) print "missing" }'
}
