# Sourced by ./jnfsd, ./test and .ci/run: finds a JDK 25 or newer and exports JAVA_HOME.
# Order: $JAVA_HOME, then JDKs under /usr/lib/jvm (newest first), then `java` on PATH.

jnfsd_java_major() { # prints the major version of the java binary $1
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

jnfsd_find_java() {
  local c
  for c in ${JAVA_HOME:+"$JAVA_HOME"} $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    c=${c%/}
    if [[ -x $c/bin/java && -x $c/bin/javac ]] && (( $(jnfsd_java_major "$c/bin/java" || echo 0) >= 25 )); then
      export JAVA_HOME=$c
      return 0
    fi
  done
  if command -v javac >/dev/null && (( $(jnfsd_java_major "$(command -v java)" || echo 0) >= 25 )); then
    export JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    return 0
  fi
  cat >&2 <<'MSG'
jnfsd: no JDK 25 found. jnfsd builds and runs on Java 25 or newer.
  Install one (for example Eclipse Temurin 25 from adoptium.net, or your distribution's
  openjdk-25-jdk package) and either put it under /usr/lib/jvm or set JAVA_HOME to it.
MSG
  return 1
}

jnfsd_find_java || exit 1
export PATH=$JAVA_HOME/bin:$PATH
