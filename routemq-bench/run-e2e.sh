#!/bin/sh
# Builds routemq-bench and runs the end-to-end bench (io.routemq.bench.e2e.BenchMain), writing into
# results/bench/<UTC stamp>/ (repo root) unless --out is given:
#   results.md     every round's table (also printed), each round's ratio to raw and the median, the goals, notes
#   results.json   the same figures, the configuration and the machine
#   throughput.png, cpu.png, latency.png, latency-half-load.png (with --half-load-latency): every round plotted
#   latency-<scenario>-qos<q>-<load>-r<round>.hgrm   HdrHistogram percentile distributions (ms)
#   logs/          each consumer process's output and the generated gateway configs
#   latest -> the newest results folder (symlink in results/bench/)
# This JVM runs the publishers and the HTTP receiver; each consumer under test (raw client, RouteMQ, the gateway,
# the forwarder) runs in a child JVM of the same java with --consumer-jvm-opts, and the broker is a private
# Mosquitto on a free port when the mosquitto binary exists.
#
# Usage:
#   routemq-bench/run-e2e.sh                          every scenario at QoS 0 and 1, 100k messages each, 2 rounds
#   routemq-bench/run-e2e.sh --help                   all options
#   routemq-bench/run-e2e.sh --qos 0,1 --messages 200k --qos1-messages 100k --http-messages 20k --rounds 2
#   routemq-bench/run-e2e.sh --scenarios raw,router --qos 0 --rounds 3 --duration 20s
#   routemq-bench/run-e2e.sh --broker mqtt://127.0.0.1:1883 --duration 20s --rate 20000
#   routemq-bench/run-e2e.sh --before <rev> --scenarios raw,http-batch --qos 1 --rounds 2
#       before/after: builds the gateway of git revision <rev> beside this checkout (build-before.sh: git archive into
#       ${TMPDIR:-/tmp}/routemq-before-<hash>, ./mvnw package there, no install), then runs the gateway scenarios once
#       with that build (rows <scenario>@before) and once with this checkout's (<scenario>@after) in every round,
#       = --gateway before=<that routemq.jar> --gateway after=routemq-server/target/routemq.jar
# Environment:
#   JAVA_HOME            a JDK 21+; when unset or older, the newest JDK >= 21 under /usr/lib/jvm is taken
#   BENCH_SKIP_BUILD=1   run the existing build without building
#   BENCH_HEAP=1g        the bench JVM's heap (-Xms/-Xmx; default 1g); consumers take --consumer-jvm-opts
#   BENCH_JAVA_OPTS      extra JVM options of the bench JVM
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

# shellcheck disable=SC1091
. "$root/.mvn/find-jdk.sh"
routemq_find_jdk
java="$JAVA_HOME/bin/java"

# --before <rev>: taken out of the arguments here, passed on as two --gateway options below
before=""
n=$#
i=0
while [ "$i" -lt "$n" ]; do
  a=$1; shift; i=$((i + 1))
  case "$a" in
    --before)
      [ "$i" -lt "$n" ] || { echo "run-e2e.sh: --before needs a git revision, e.g. --before b6a074a" >&2; exit 2; }
      before=$1; shift; i=$((i + 1)) ;;
    --before=*) before=${a#--before=} ;;
    *) set -- "$@" "$a" ;;
  esac
done

cd "$root"
if [ -n "$before" ]; then
  before_jar=$("$here/build-before.sh" "$before")
fi
if [ "${BENCH_SKIP_BUILD-}" != 1 ]; then
  # -am: the RouteMQ modules come from this checkout (their target/ jars), never from an older install
  ./mvnw -q -pl routemq-bench -am package -DskipTests
fi
cpfile="$here/target/e2e-classpath.txt"
[ -f "$cpfile" ] && [ -d "$here/target/classes/io/routemq/bench/e2e" ] \
  || { echo "run-e2e.sh: $cpfile or the compiled classes are missing; run without BENCH_SKIP_BUILD=1" >&2; exit 1; }

# the results folder: --out if given, else results/bench/<stamp>
out=""
prev=""
for a in "$@"; do
  if [ "$prev" = "--out" ]; then out="$a"; fi
  case "$a" in --out=*) out="${a#--out=}" ;; esac
  prev="$a"
done
stamp=$(date -u +%Y%m%dT%H%M%SZ)
if [ -z "$out" ]; then
  out="$root/results/bench/$stamp"
  set -- "$@" --out "$out"
fi
mkdir -p "$out"
if [ -n "$before" ]; then
  # both builds the same way: the shaded routemq.jar of routemq-server (this checkout's comes from the build above)
  after_jar="$root/routemq-server/target/routemq.jar"
  [ -f "$after_jar" ] || { echo "run-e2e.sh: $after_jar is missing; run without BENCH_SKIP_BUILD=1" >&2; exit 1; }
  set -- "$@" --gateway "before=$before_jar" --gateway "after=$after_jar"
fi

heap=${BENCH_HEAP:-1g}
echo "# run-e2e.sh $stamp: jdk $("$java" -version 2>&1 | head -n 1); cpus $(nproc 2>/dev/null || echo ?); load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?)" >&2
status=0
# shellcheck disable=SC2086
"$java" -Xms"$heap" -Xmx"$heap" -XX:+UseG1GC -Djava.awt.headless=true --enable-native-access=ALL-UNNAMED \
  -Dlogback.configurationFile=routemq-bench-logback.xml ${BENCH_JAVA_OPTS-} \
  -cp "$here/target/classes:$(cat "$cpfile")" io.routemq.bench.e2e.BenchMain "$@" || status=$?
echo "# load after run: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?)" >&2
case "$out" in
  "$root"/results/bench/*) ln -sfn "$(basename "$out")" "$root/results/bench/latest" ;;
esac
exit "$status"
