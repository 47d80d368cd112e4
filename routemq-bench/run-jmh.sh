#!/bin/sh
# Builds routemq-bench/target/routemq-bench.jar and runs the JMH benchmarks, writing into results/jmh/ (repo root):
#   jmh-<UTC stamp>.json   JMH's JSON result (-rf json)
#   jmh-<UTC stamp>.txt    the console output
#   jmh-<UTC stamp>.md     the Markdown tables of docs/performance.md (io.routemq.bench.jmh.JmhReport)
#   latest.{json,txt,md}   copies of the newest run
#
# Usage:
#   routemq-bench/run-jmh.sh                  the main table: RouterMatchBenchmark + DispatchBenchmark,
#                                             -f 1 -wi 3 -w 1s -i 5 -r 1s
#   routemq-bench/run-jmh.sh <JMH args...>    any JMH command line instead, e.g.
#                                             routemq-bench/run-jmh.sh RouterMatchBenchmark -f 1 -i 5 -r 1s
#                                             routemq-bench/run-jmh.sh RouterMatchBenchmark.trieMatch -prof gc
# Environment:
#   JAVA_HOME            a JDK 21+; when unset or older, the newest JDK >= 21 under /usr/lib/jvm is taken
#   ROUTEMQ_JVM_TUNING=0 fork without the gateway's default JVM flags (see .mvn/find-jdk.sh)
#   BENCH_WITH_CORE=1    also build routemq-core from source (-am) instead of using the one installed in ~/.m2
#   BENCH_SKIP_BUILD=1   run the existing jar without building
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

# shellcheck disable=SC1091
. "$root/.mvn/find-jdk.sh"
routemq_find_jdk
java="$JAVA_HOME/bin/java"
jar="$here/target/routemq-bench.jar"

cd "$root"
if [ "${BENCH_SKIP_BUILD-}" != 1 ]; then
  if [ "${BENCH_WITH_CORE-}" = 1 ]; then
    ./mvnw -q -pl routemq-bench -am package -DskipTests
  else
    ./mvnw -q -pl routemq-bench package
  fi
fi
[ -f "$jar" ] || { echo "run-jmh.sh: $jar is missing; run without BENCH_SKIP_BUILD=1" >&2; exit 1; }

out="$root/results/jmh"
mkdir -p "$out"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
base="$out/jmh-$stamp"

if [ "$#" -eq 0 ]; then
  set -- RouterMatchBenchmark DispatchBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s
fi
# The forks run with the flags the gateway runs with (routemq_jvm_tuning: 2 MB pages, compact headers on JDK 25+;
# ROUTEMQ_JVM_TUNING=0 for none), unless the command line gives its own -jvmArgsAppend.
case " $* " in
  *" -jvmArgsAppend "*) ;;
  *) set -- "$@" -jvmArgsAppend "-Xms1g -Xmx1g $(routemq_jvm_tuning "$JAVA_HOME")" ;;
esac

{
  echo "# run-jmh.sh $stamp"
  echo "# command: $java -jar $jar $* -rf json -rff $base.json"
  echo "# jdk: $("$java" -version 2>&1 | head -n 1); cpus: $(nproc 2>/dev/null || echo ?); load: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?)"
} | tee "$base.txt"

{ "$java" -jar "$jar" "$@" -rf json -rff "$base.json" 2>&1; echo $? > "$base.rc"; } | tee -a "$base.txt"
status=$(cat "$base.rc"); rm -f "$base.rc"
echo "# load after run: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?)" | tee -a "$base.txt"

if [ -s "$base.json" ]; then
  "$java" -cp "$jar" io.routemq.bench.jmh.JmhReport "$base.json" > "$base.md"
  cp "$base.json" "$out/latest.json"
  cp "$base.txt" "$out/latest.txt"
  cp "$base.md" "$out/latest.md"
  echo
  cat "$base.md"
  echo "results: $base.{json,txt,md}"
fi
exit "$status"
