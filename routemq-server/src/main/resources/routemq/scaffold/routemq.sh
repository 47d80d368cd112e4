#!/usr/bin/env sh
# @name@'s launcher: builds the app when a source or the pom changed, then runs a RouteMQ command in this directory.
#   ./routemq run [--config FILE]   run the app (routemq.yaml: the embedded broker on 127.0.0.1:1883)
#   ./routemq check                 validate the config and list every route with its source
#   ./routemq routes [--topic T]    the route table, or where a topic goes
#   ./routemq dev                   run, and reload in the running JVM when a source under src/main/java changes
# Maven options (offline, another local repository) go in MAVEN_ARGS, which Maven 3.9 reads itself.
set -eu
APP=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC1091
. "$APP/.mvn/find-jdk.sh"
routemq_find_jdk
JAVA_OPTS="${JAVA_OPTS-}"
# The embedded broker touches native access and sun.misc.Unsafe; JDK 24+ warns about both at every start.
if [ "$(routemq_jdk_major "$JAVA_HOME")" -ge 24 ]; then
  JAVA_OPTS="$JAVA_OPTS --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
fi

cmd="${1:-run}"
[ $# -eq 0 ] || shift
case "$cmd" in
  run|check|routes|dev) ;;
  -h|--help|help) sed -n '2,7p' "$0" | cut -c3-; exit 0 ;;
  *) echo "routemq: unknown command '$cmd' (run, check, routes, dev; ./mvnw test runs the tests)" >&2; exit 2 ;;
esac

# dev compiles in the running JVM: its class path also has the provided annotation processors (scope compile has them)
# and the runtime-only libraries (scope test has every scope)
STAMP="$APP/target/classpath.txt"
[ "$cmd" = dev ] && STAMP="$APP/target/classpath-dev.txt"
SCOPE=runtime
[ "$cmd" = dev ] && SCOPE=test
if [ ! -f "$STAMP" ] || [ -n "$(find "$APP/src/main" "$APP/pom.xml" -newer "$STAMP" -print -quit)" ]; then
  echo "routemq: building the app ..." >&2
  (cd "$APP" && ./mvnw -q -B compile dependency:build-classpath -Dmdep.outputFile="$STAMP" -Dmdep.includeScope=$SCOPE >&2)
fi
cd "$APP"
exec "$JAVA_HOME/bin/java" $JAVA_OPTS -cp "$APP/target/classes:$(cat "$STAMP")" io.routemq.server.cli.RouteMqCli "$cmd" "$@"
