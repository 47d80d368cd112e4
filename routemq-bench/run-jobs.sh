#!/bin/sh
# Builds routemq-bench and runs the jobs bench (io.routemq.bench.jobs.JobsBench): per driver, jobs/s dispatched and
# completed, beside the raw store's rate in the same run (Redis XADD / XREADGROUP+XACK, plain SQL INSERT / DELETE),
# and the lateness of delayed jobs (p50/p99). Needs the Redis, PostgreSQL and MariaDB of the machine (docs/jobs.md);
# a driver whose store is absent is reported as skipped. Figures: docs/performance.md.
#
# Usage:
#   routemq-bench/run-jobs.sh [--jobs 20000] [--sql-jobs 5000] [--threads 16] [--drivers local,redis,postgresql,mariadb]
# Environment:
#   BENCH_SKIP_BUILD=1   run the existing build without building
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

# shellcheck disable=SC1091
. "$root/.mvn/find-jdk.sh"
routemq_find_jdk
java="$JAVA_HOME/bin/java"

cd "$root"
if [ "${BENCH_SKIP_BUILD-}" != 1 ]; then
  ./mvnw -q -pl routemq-bench -am package -DskipTests
fi
cpfile="$here/target/e2e-classpath.txt"
[ -f "$cpfile" ] && [ -d "$here/target/classes/io/routemq/bench/jobs" ] \
  || { echo "run-jobs.sh: $cpfile or the compiled classes are missing; run without BENCH_SKIP_BUILD=1" >&2; exit 1; }
echo "# run-jobs.sh: jdk $("$java" -version 2>&1 | head -n 1); cpus $(nproc 2>/dev/null || echo ?); load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?)" >&2
"$java" -Xms512m -Xmx512m -Dlogback.configurationFile=routemq-bench-logback.xml \
  -cp "$here/target/classes:$(cat "$cpfile")" io.routemq.bench.jobs.JobsBench "$@"
