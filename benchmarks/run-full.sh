#!/usr/bin/env bash
# One full run of issue #7's core measurements, as recorded in RESULTS.md.
# Build first:  mvn -B -pl benchmarks -am package -DskipTests
# Results go to benchmarks/target/results/: raw JMH JSON and text, the programs' tables,
# machine.txt, load.log (uptime every 15 s and at each step) and summary.md (medians, ratios).
# REAL_ENTRIES (default 100000) sizes the real-PatGuard memory fills (under a minute each since
# fake-brms indexes tokens by owner). The synthetic part always uses 100000. FLOOD_SECONDS (default 60) bounds each flood. PROFILE=0 skips the JFR
# profiles (profile.sh) of the cold lookup and filter benchmarks that end the run. FLEET=0 skips
# the fleet-mode parts (run-fleet.sh, issue #16; ~8 min).
set -euo pipefail
cd "$(dirname "$0")"
JAR=target/benchmarks.jar
OUT=target/results
mkdir -p "$OUT"
: > "$OUT/load.log"
step() { echo "$(date -u +%FT%TZ) $* | $(uptime)" | tee -a "$OUT/load.log"; }

{
  echo "nproc: $(nproc)"
  free -h
  grep -m1 'model name' /proc/cpuinfo
  java -version 2>&1
  echo "date: $(date -u +%FT%TZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
} > "$OUT/machine.txt"

( while sleep 15; do echo "$(date -u +%FT%TZ) sample | $(uptime)" >> "$OUT/load.log"; done ) &
SAMPLER=$!
trap 'kill "$SAMPLER" 2>/dev/null || true' EXIT

step "start DecisionBenchmark"
java -jar "$JAR" 'DecisionBenchmark' -prof gc -rf json -rff "$OUT/decision.json" > "$OUT/decision.txt"
step "start CacheHitBenchmark"
java -jar "$JAR" 'CacheHitBenchmark' -prof gc -rf json -rff "$OUT/cachehit.json" > "$OUT/cachehit.txt"
step "start ColdLookupBenchmark"
java -jar "$JAR" 'ColdLookupBenchmark' -prof gc -rf json -rff "$OUT/cold.json" > "$OUT/cold.txt"
step "start ColdLookupPairsMain"
java -cp "$JAR" dev.patguard.bench.ColdLookupPairsMain 15 300 5 > "$OUT/cold-pairs.md"
step "start FilterOverheadBenchmark"
java -jar "$JAR" 'FilterOverheadBenchmark' -prof gc -rf json -rff "$OUT/filter.json" > "$OUT/filter.txt"
step "start FilterThroughputMain"
java -cp "$JAR" dev.patguard.bench.FilterThroughputMain > "$OUT/throughput.md"
step "start MemoryMain"
java -Xmx8g -Djdk.attach.allowAttachSelf=true -cp "$JAR" dev.patguard.bench.MemoryMain 100000 "${REAL_ENTRIES:-100000}" \
  > "$OUT/memory.md"
step "start CoalescingMain"
java -Xmx2g -cp "$JAR" dev.patguard.bench.CoalescingMain 1000 100000 "${FLOOD_SECONDS:-60}" 200 > "$OUT/coalescing.md"
if [ "${FLEET:-1}" = 1 ]; then
  step "start run-fleet.sh (issue #16)"
  ./run-fleet.sh > "$OUT/fleet.log" 2>&1 || echo "run-fleet.sh failed; see $OUT/fleet.log" >&2
fi
if [ "${PROFILE:-1}" = 1 ]; then
  step "start profile.sh (JFR of the cold lookup and the filter)"
  ./profile.sh > "$OUT/profile.log" 2>&1 || echo "profile.sh failed; see $OUT/profile.log" >&2
fi
step "end"
python3 summarise.py "$OUT" > "$OUT/summary.md"
cat "$OUT/summary.md"
