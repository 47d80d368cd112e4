#!/bin/sh
# Builds the gateway of another git revision side by side with this checkout, for a before/after bench:
#   routemq-bench/build-before.sh <rev>        prints the path of that revision's routemq.jar (the gateway's class path)
# The revision's tree is exported with `git archive` into a folder of its own (default
# ${TMPDIR:-/tmp}/routemq-before-<short hash>; BENCH_BEFORE_DIR=<dir> to choose), and built there with
# `./mvnw -DskipTests package -pl routemq-server -am` (offline first, online only if an artifact is missing).
# Nothing is written to this checkout, to its git metadata or to the local Maven repository (no install).
# A folder already built from the same commit is reused. run-e2e.sh --before <rev> calls this script.
set -eu

[ $# -eq 1 ] || { echo "usage: build-before.sh <git revision>   (prints the path of the revision's routemq.jar)" >&2; exit 2; }
rev=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

commit=$(git -C "$root" rev-parse --verify --quiet "$rev^{commit}") \
  || { echo "build-before.sh: '$rev' is not a commit of $root; give a hash, tag or branch (git log --oneline)" >&2; exit 2; }
short=$(printf '%s' "$commit" | cut -c1-12)
dir=${BENCH_BEFORE_DIR:-${TMPDIR:-/tmp}/routemq-before-$short}
jar="$dir/routemq-server/target/routemq.jar"

if [ -f "$dir/.routemq-before-commit" ]; then
  have=$(cat "$dir/.routemq-before-commit")
  [ "$have" = "$commit" ] \
    || { echo "build-before.sh: $dir holds commit $have, not $commit; remove it or set BENCH_BEFORE_DIR" >&2; exit 2; }
elif [ -e "$dir" ]; then
  echo "build-before.sh: $dir exists and was not made by this script; remove it or set BENCH_BEFORE_DIR" >&2
  exit 2
else
  mkdir -p "$dir"
  git -C "$root" archive --format=tar "$commit" | tar -x -C "$dir"
  printf '%s\n' "$commit" > "$dir/.routemq-before-commit"
fi

if [ -f "$jar" ] && [ -f "$dir/.routemq-before-built" ]; then
  echo "build-before.sh: $short already built in $dir" >&2
else
  echo "build-before.sh: building $short (routemq-server and what it needs) in $dir ..." >&2
  rm -f "$dir/.routemq-before-built"
  (cd "$dir" && { ./mvnw -B -q -o -DskipTests package -pl routemq-server -am >&2 \
      || { echo "build-before.sh: the offline build failed; trying online (an artifact may be missing)" >&2;
           ./mvnw -B -q -DskipTests package -pl routemq-server -am >&2; }; })
  [ -f "$jar" ] || { echo "build-before.sh: the build of $short wrote no $jar" >&2; exit 1; }
  touch "$dir/.routemq-before-built"
fi
printf '%s\n' "$jar"
