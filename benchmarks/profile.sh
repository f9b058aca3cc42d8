#!/usr/bin/env bash
# JFR profiles of the benchmarks whose targets RESULTS.md reports as missed, summarised as text.
# Build first:  mvn -B -pl benchmarks -am package -DskipTests
# Usage: benchmarks/profile.sh [JMH regex ...]   (default: the cold lookup and filter benchmarks)
# Output: benchmarks/target/profiles/<benchmark>/: the .jfr recordings JMH's jfr profiler wrote
# (measurement iterations only, "profile" settings), and <benchmark>.txt with
#   hot methods (execution samples by top frame), allocation by site and by class, CPU by thread,
#   the machine's CPU load against this JVM's (other processes show as the difference), lock
#   contention and GC pauses.
# The summaries use `jfr view`, which appeared in JDK 21; JFR files from JDK 17 read fine with it.
set -euo pipefail
cd "$(dirname "$0")"
JAR=target/benchmarks.jar
OUT=target/profiles
JFR_TOOL=${JFR_TOOL:-$( (ls -d /usr/lib/jvm/*25*/bin/jfr /usr/lib/jvm/*21*/bin/jfr 2>/dev/null || true) | head -1)}
if [ -z "$JFR_TOOL" ]; then
  echo "profile.sh needs the jfr tool of JDK 21 or later (set JFR_TOOL)" >&2
  exit 2
fi
mkdir -p "$OUT"
if [ $# -eq 0 ]; then
  set -- 'ColdLookupBenchmark' 'FilterOverheadBenchmark.patguardFilterCacheHit'
fi
for regex in "$@"; do
  dir="$OUT/$(echo "$regex" | tr -c 'A-Za-z0-9.\n' '_')"
  mkdir -p "$dir"
  echo "$(date -u +%FT%TZ) profiling $regex | $(uptime)" | tee "$dir/load.txt"
  java -jar "$JAR" "$regex" -f 1 -wi 3 -w 1 -i 5 -r 2 -prof "jfr:dir=$dir" > "$dir/jmh.txt"
  echo "$(date -u +%FT%TZ) done | $(uptime)" >> "$dir/load.txt"
  find "$dir" -name '*.jfr' | sort | while read -r rec; do
    name=$(basename "$(dirname "$rec")")
    {
      echo "# $name"
      echo
      for view in hot-methods allocation-by-site allocation-by-class thread-cpu-load cpu-load \
          contention-by-site gc-pauses; do
        echo "## $view"
        "$JFR_TOOL" view --width 160 "$view" "$rec" 2>&1 || true
        echo
      done
    } > "$dir/$name.txt"
    echo "  summary: $dir/$name.txt"
  done
done
