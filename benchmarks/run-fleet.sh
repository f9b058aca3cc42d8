#!/usr/bin/env bash
# Issue #16's fleet-mode measurements, as recorded in RESULTS.md ("Issue #16").
# Build first:  mvn -B -o -q -pl benchmarks -am package -DskipTests
# Results go to benchmarks/target/results/ (fleet-*.md, fleet-shared-hit*.json/.txt) and the steps,
# with `uptime` before and after each, to fleet-load.log. Each part takes under ~2 minutes.
# THREADS (default "1 4") lists the thread counts SharedHitBenchmark runs with.
set -euo pipefail
cd "$(dirname "$0")"
JAR=target/benchmarks.jar
OUT=target/results
mkdir -p "$OUT"
step() { echo "$(date -u +%FT%TZ) $* | $(uptime)" | tee -a "$OUT/fleet-load.log"; }

step "start FleetCoalescingMain"
java -cp "$JAR" dev.patguard.bench.FleetCoalescingMain 8 1000 400 25 50 > "$OUT/fleet-coalescing.md" 2> "$OUT/fleet-coalescing.log"
step "start FleetProcessesMain (replicas in 8 JVMs, default Redis timeouts)"
java -cp "$JAR" dev.patguard.bench.FleetProcessesMain 8 1000 200 25 50 default > "$OUT/fleet-processes.md" 2> "$OUT/fleet-processes.log"
step "start FleetProcessesMain (replicas in 8 JVMs, patient Redis timeouts)"
java -cp "$JAR" dev.patguard.bench.FleetProcessesMain 8 1000 200 25 50 patient > "$OUT/fleet-processes-patient.md" 2> "$OUT/fleet-processes-patient.log"
step "start FleetRevocationMain"
java -cp "$JAR" dev.patguard.bench.FleetRevocationMain 8 300 30 > "$OUT/fleet-revocation.md" 2> "$OUT/fleet-revocation.log"
for t in ${THREADS:-1 4}; do
  step "start SharedHitBenchmark -t $t"
  java -jar "$JAR" 'SharedHitBenchmark' -t "$t" -rf json -rff "$OUT/fleet-shared-hit-t$t.json" \
    > "$OUT/fleet-shared-hit-t$t.txt" 2>&1
done
step "start SharedHitPairsMain"
java -cp "$JAR" dev.patguard.bench.SharedHitPairsMain 20 2000 5 > "$OUT/fleet-shared-hit-pairs.md" 2> "$OUT/fleet-shared-hit-pairs.log"
step "start FleetSoakMain"
java -cp "$JAR" dev.patguard.bench.FleetSoakMain 20000 16 10 2 > "$OUT/fleet-soak.md" 2> "$OUT/fleet-soak.log"
step "end"
python3 summarise.py "$OUT" | sed -n '/Fleet\|fleet\|Shared hit/,$p'
