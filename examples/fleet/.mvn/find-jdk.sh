# Sourced by ./mvnw, ./routemq and .ci/run: makes JAVA_HOME point at a JDK 21 or newer.
# Keeps JAVA_HOME when it already is one; otherwise takes the newest JDK >= 21 under /usr/lib/jvm,
# /usr/local/lib/jvm, /opt/java or ~/.sdkman/candidates/java. Prints a clear error when there is none.
routemq_jdk_major() {
  _rel="$1/release"
  if [ -f "$_rel" ]; then
    _v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$_rel" | head -n 1)
  else
    _v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1)
  fi
  [ "$_v" = "1" ] && _v=8
  echo "${_v:-0}"
}

routemq_find_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(routemq_jdk_major "$JAVA_HOME")" -ge 21 ]; then
    return 0
  fi
  _best="" _bestv=0 _noglob=""
  case $- in *f*) _noglob=1; set +f ;; esac
  for _d in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* "${HOME}"/.sdkman/candidates/java/*; do
    [ -x "$_d/bin/javac" ] || continue
    _v=$(routemq_jdk_major "$_d")
    if [ "$_v" -ge 21 ] && [ "$_v" -gt "$_bestv" ]; then _best="$_d" _bestv="$_v"; fi
  done
  [ -z "$_noglob" ] || set -f
  if [ -z "$_best" ] && command -v javac >/dev/null 2>&1; then
    _d=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    [ "$(routemq_jdk_major "$_d")" -ge 21 ] && _best="$_d"
  fi
  if [ -z "$_best" ]; then
    echo "RouteMQ needs a JDK 21 or newer and found none (JAVA_HOME='${JAVA_HOME-}', /usr/lib/jvm)." >&2
    echo "Install one (for example Debian's openjdk-21-jdk or a Temurin 21/25 JDK) or point JAVA_HOME at it." >&2
    return 1
  fi
  JAVA_HOME="$_best"
  export JAVA_HOME
}

# Prints the JVM flags the gateway (`routemq run`) and the JMH forks run with (ROUTEMQ_JVM_TUNING=0: none), for the
# JDK at $1:
#   -XX:+UseTransparentHugePages -XX:+AlwaysPreTouch  (Linux) heap in 2 MB pages, touched at start: a large route
#       table is tens of MB read at random, and with 4 KB pages most deep levels also miss the TLB
#   -XX:+UseCompactObjectHeaders  (JDK 25+) 8-byte object headers: smaller topics, messages and matches
# docs/performance.md has the router figures with and without them; JAVA_OPTS come after, so they can override.
routemq_jvm_tuning() {
  [ "${ROUTEMQ_JVM_TUNING-1}" = 0 ] && return 0
  _t=""
  [ "$(uname -s 2>/dev/null)" = Linux ] && _t="-XX:+UseTransparentHugePages -XX:+AlwaysPreTouch"
  [ "$(routemq_jdk_major "$1")" -ge 25 ] && _t="$_t -XX:+UseCompactObjectHeaders"
  echo "$_t"
}
