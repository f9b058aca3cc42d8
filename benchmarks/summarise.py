#!/usr/bin/env python3
"""Summarises run-full.sh's JMH JSON: median of the per-iteration scores, B/op from -prof gc,
and each figure's ratio to its baseline or peer from the same run."""
import json
import statistics
import sys
from pathlib import Path

out = Path(sys.argv[1] if len(sys.argv) > 1 else "target/results")


def load(name):
    path = out / name
    if not path.exists():
        return {}
    rows = {}
    for r in json.loads(path.read_text()):
        method = r["benchmark"].rsplit(".", 1)[1]
        params = tuple(sorted((r.get("params") or {}).items()))
        raw = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
        sec = r.get("secondaryMetrics", {})
        alloc = (sec.get("gc.alloc.rate.norm") or sec.get("·gc.alloc.rate.norm") or {}).get("score")
        rows[(method, params)] = {
            "median": statistics.median(raw), "mean": r["primaryMetric"]["score"],
            "error": r["primaryMetric"]["scoreError"], "unit": r["primaryMetric"]["scoreUnit"],
            "alloc": alloc, "n": len(raw)}
    return rows


def fmt(x, digits=1):
    return "n/a" if x is None else f"{x:,.{digits}f}"


decision = load("decision.json")
if decision:
    print("## 1. Decision on a compiled grant (ns/op, median of iterations; B/op from -prof gc)\n")
    print("| perms | projects | path | patguard | B/op | naive Set | Shiro | jCasbin | Shiro / patguard | jCasbin / patguard | naive / patguard |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    keys = sorted({p for (_, p) in decision if p}, key=lambda p: (int(dict(p)["permissions"]), int(dict(p)["projects"])))
    for p in keys:
        d = dict(p)
        for path in ("Permit", "Deny"):
            pg = decision.get(("patguard" + path, p))
            nv = decision.get(("naiveSet" + path, p))
            sh = decision.get(("shiro" + path, p))
            cb = decision.get(("casbin" + path, p))
            if not pg:
                continue
            m = pg["median"]
            print(f"| {d['permissions']} | {d['projects']} | {path.lower()} | {fmt(m)} | {fmt(pg['alloc'])} "
                  f"| {fmt(nv and nv['median'])} | {fmt(sh and sh['median'])} | {fmt(cb and cb['median'], 0)} "
                  f"| {fmt(sh and sh['median'] / m, 2)} | {fmt(cb and cb['median'] / m, 0)} | {fmt(nv and nv['median'] / m, 2)} |")
    print()

def baseline_table(file, title, base_method, last_column, compare, alloc_digits):
    """One JMH class: every method's median, mean, B/op and its comparison with base_method."""
    rows = load(file)
    if not rows:
        return
    print(f"## {title}\n")
    print(f"| benchmark | median | mean ± error | B/op | {last_column} |")
    print("|---|---:|---:|---:|---:|")
    base = rows.get((base_method, ()))
    for (m, _), r in sorted(rows.items()):
        versus = compare(r["median"], base["median"]) if base else None
        print(f"| {m} | {fmt(r['median'])} | {fmt(r['mean'])} ± {fmt(r['error'])} | {fmt(r['alloc'], alloc_digits)} "
              f"| {fmt(versus, 2 if last_column.startswith('ratio') else 1)} |")
    print()


def ratio(value, base):
    return value / base


def extra(value, base):
    return value - base


baseline_table("cachehit.json", "2. Secret -> decision on a cache hit (ns/op, median)", "patguardDecideCacheHit",
               "ratio to patguard", ratio, 1)
baseline_table("cold.json", "4. Cold lookup over loopback (us/op, median)", "bareHttpClientSend",
               "ratio to bareHttpClientSend", ratio, 0)
baseline_table("filter.json", "3. Filter overhead in-process (ns/op, median)", "passThroughFilter",
               "minus passThroughFilter", extra, 0)

for threads in (1, 4):
    baseline_table(f"fleet-shared-hit-t{threads}.json",
                   f"16. Fleet: shared-level hit vs a bare Lettuce GET, {threads} thread(s) (us/op, median)",
                   "bareLettuceGet", "ratio to bareLettuceGet", ratio, 0)

for name in ("cold-pairs.md", "throughput.md", "memory.md", "coalescing.md",
             "fleet-coalescing.md", "fleet-processes.md", "fleet-processes-patient.md", "fleet-revocation.md", "fleet-shared-hit-pairs.md", "fleet-soak.md"):
    path = out / name
    if path.exists():
        lines = path.read_text().splitlines()
        # the programs end with their summary table
        table = []
        for line in reversed(lines):
            if line.startswith("|"):
                table.append(line)
            elif table:
                break
        print("\n".join(reversed(table)))
        print()
