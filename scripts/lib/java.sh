# Sourced by the launchers and scripts: sets LAIN_JAVA to a java binary of a JDK >= 21
# and exports JAVA_HOME for it. Debian 12's default java is 17, so we look beside it.
lain_java_major() {
  local home=$1 v
  if [ -r "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)
  fi
  echo "${v:-0}"
}

lain_select_java() {
  local c best="" best_major=0 m
  for c in "${LAIN_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* \
           "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] || continue
    m=$(lain_java_major "$c")
    # An explicit LAIN_JAVA_HOME or JAVA_HOME that is new enough wins over a newer one found by scanning.
    if [ "$m" -ge 21 ] && { [ "$c" = "${LAIN_JAVA_HOME:-}" ] || [ "$c" = "${JAVA_HOME:-}" ]; }; then
      best=$c; break
    fi
    if [ "$m" -ge 21 ] && [ "$m" -gt "$best_major" ]; then best=$c; best_major=$m; fi
  done
  if [ -z "$best" ]; then
    echo "error: LAIN needs a JDK >= 21 and none was found (looked at LAIN_JAVA_HOME, JAVA_HOME, /usr/lib/jvm)." >&2
    echo "       Install one (e.g. Temurin 21+) or set LAIN_JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME=$best
  LAIN_JAVA=$best/bin/java
  LAIN_JAVA_MAJOR=$(lain_java_major "$best")
}

# For Maven runs: JDK 24+ warns loudly about Maven's own use of sun.misc.Unsafe; silence just that.
lain_maven_opts() {
  if [ "${LAIN_JAVA_MAJOR:-0}" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
}
