"""Benchmark: ``exportscreen affiliates`` at 1 M entities / ~2 M stakes / 10 k listed roots.

Generates a realistic ownership graph (corporate groups as trees with majority and
minority stakes, second and third shareholders forming joint ventures and
cross-holdings, some register bands and unknown stakes, control ties, branches, dated
stakes; countries incl. US and unknown), then times, each in its own process:

1. ``exportscreen affiliates --rule us-bis-affiliates --format csv`` end to end
   (CSV in, CSV out), and
2. a straightforward networkx worklist implementation of the same rule (build a
   DiGraph from the CSV, propagate from the listed roots, write the covered ids),

and prints wall time and peak RSS of both, plus how far their covered sets agree.
It prints figures; it asserts nothing.

    .venv/bin/python benchmarks/affiliates_scale.py [--entities 1000000] [--roots 10000]
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / ".bench" / "affiliates"

BASELINE = r'''
import csv, sys, time
from collections import deque
import networkx as nx
own, ent, listed, out, as_of = sys.argv[1:6]
t0 = time.perf_counter()
country = {}
with open(ent, newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        country[row["id"]] = row["country"]
G = nx.DiGraph()
with open(own, newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        if row["valid_from"] and row["valid_from"] > as_of:
            continue
        if row["valid_to"] and row["valid_to"] < as_of:
            continue
        rel = row["relation"] or "ownership"
        pct = float(row["percent"] or row["percent_min"] or 0.0)
        u, v = row["owner_id"], row["owned_id"]
        if G.has_edge(u, v):
            G[u][v]["pct"] += pct if rel == "ownership" else 0.0
            G[u][v]["branch"] = G[u][v]["branch"] or rel == "branch"
        else:
            G.add_edge(u, v, pct=pct if rel == "ownership" else 0.0, branch=rel == "branch")
t_build = time.perf_counter()
seeds = set()
with open(listed, newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        seeds.add(row["id"])
covered = set()
acc = {}
queue = deque(s for s in sorted(seeds) if s in G)
active = set(queue)
while queue:
    u = queue.popleft()
    for v, data in G[u].items():
        if v in active:
            continue
        acc[v] = acc.get(v, 0.0) + data["pct"]
        if acc[v] >= 50.0 or data["branch"]:
            active.add(v)
            queue.append(v)
            if country.get(v, "") != "US" or data["branch"]:
                covered.add(v)
with open(out, "w", encoding="utf-8") as f:
    f.write("id\n")
    for v in sorted(covered - seeds):
        f.write(v + "\n")
print(f"BASELINE build={t_build - t0:.2f}s total={time.perf_counter() - t0:.2f}s",
      file=sys.stderr)
'''


def generate(n: int, n_roots: int, seed: int = 20261128) -> tuple[Path, Path, Path]:
    """Write ownership.csv, entities.csv and listed.csv under .bench/ (reused if present)."""
    import pandas as pd

    OUT.mkdir(parents=True, exist_ok=True)
    own, ent, listed = OUT / f"own_{n}.csv", OUT / f"ent_{n}.csv", OUT / f"listed_{n}.csv"
    if own.exists() and ent.exists() and listed.exists():
        return own, ent, listed
    rng = np.random.default_rng(seed)
    ids = np.array([f"E{i:07d}" for i in range(n)], dtype=object)
    countries = rng.choice(np.array(["CN", "HK", "SG", "MY", "AE", "RU", "DE", "GB", "US", ""],
                                    dtype=object), size=n,
                           p=[.25, .1, .08, .07, .05, .1, .08, .07, .18, .02])
    # corporate groups: consecutive blocks, each member owned by an earlier member
    sizes = rng.geometric(1 / 20, size=n)
    starts = np.cumsum(np.r_[0, sizes])
    starts = starts[starts < n]
    group_start = np.zeros(n, np.int64)
    group_start[starts] = starts
    group_start = np.maximum.accumulate(group_start)
    member = np.arange(n)
    non_root = member > group_start
    child = member[non_root]
    parent = group_start[non_root] + (rng.random(child.size) *
                                      (child - group_start[non_root])).astype(np.int64)
    majority = rng.random(child.size) < 0.7
    s1 = np.where(majority, rng.integers(5100, 10001, child.size),
                  rng.integers(1000, 5000, child.size))  # hundredths of a percent
    room = 10000 - s1
    # second and third shareholders anywhere in the graph (JVs, cross-holdings)
    sec = rng.random(child.size) < 0.6
    s2 = (rng.random(child.size) * room).astype(np.int64) * sec
    o2 = rng.integers(0, n, child.size)
    third = sec & (rng.random(child.size) < 0.75)
    s3 = (rng.random(child.size) * (room - s2)).astype(np.int64) * third
    o3 = rng.integers(0, n, child.size)
    owners = np.concatenate([parent, o2[sec], o3[third]])
    owned = np.concatenate([child, child[sec], child[third]])
    stake = np.concatenate([s1, s2[sec], s3[third]])
    keep = owners != owned
    owners, owned, stake = owners[keep], owned[keep], stake[keep]
    m = owners.size
    pct = np.array([f"{v // 100}.{v % 100:02d}" for v in stake.tolist()], dtype=object)
    pmin = np.full(m, "", dtype=object)
    pmax = np.full(m, "", dtype=object)
    kind = rng.random(m)
    band = kind < 0.03           # register bands around the true stake
    unknown = (kind >= 0.03) & (kind < 0.05)
    lo_band = (stake // 2500) * 25
    pmin[band] = [str(v) for v in lo_band[band].tolist()]
    pmax[band] = [str(min(v + 25, 100)) for v in lo_band[band].tolist()]
    pct[band | unknown] = ""
    dated = rng.random(m) < 0.05
    valid_from = np.where(dated, "2020-01-01", "").astype(object)
    frame = pd.DataFrame({
        "owner_id": ids[owners], "owned_id": ids[owned], "percent": pct,
        "percent_min": pmin, "percent_max": pmax, "relation": "",
        "valid_from": valid_from, "valid_to": ""})
    # a few band rows may now overlap with exact siblings above 100 % on lower bounds:
    # bands start at or below the true stake, so lower bounds never exceed it.
    extra_n = n // 100
    ctl = pd.DataFrame({
        "owner_id": ids[rng.integers(0, n, extra_n)], "owned_id": ids[rng.integers(0, n, extra_n)],
        "percent": "", "percent_min": "", "percent_max": "",
        "relation": np.where(rng.random(extra_n) < 0.5, "control", "branch"),
        "valid_from": "", "valid_to": ""})
    ctl = ctl[ctl["owner_id"] != ctl["owned_id"]]
    # a branch has one head office (a second one is refused): the first row per branch
    ctl = pd.concat([ctl[ctl["relation"] != "branch"],
                     ctl[ctl["relation"] == "branch"].drop_duplicates("owned_id")])
    frame = pd.concat([frame, ctl], ignore_index=True)
    frame.to_csv(own, index=False)
    pd.DataFrame({"id": ids, "name": [f"Company {i}" for i in range(n)],
                  "country": countries}).to_csv(ent, index=False)
    roots = rng.choice(n, size=n_roots, replace=False)
    lists = rng.choice(np.array(["entity_list", "meu", "sdn"], dtype=object), n_roots,
                       p=[.6, .1, .3])
    pd.DataFrame({"id": ids[np.sort(roots)], "list": lists,
                  "programs": np.where(lists == "sdn", "RUSSIA-EO14024", ""),
                  "license_policy": np.where(lists == "sdn", "Policy of denial",
                                             "Presumption of denial")}).to_csv(listed,
                                                                               index=False)
    return own, ent, listed


# a fresh wrapper process per run, so RUSAGE_CHILDREN is that one command's peak RSS
WRAP = (
    "import resource, subprocess, sys, time\n"
    "t0 = time.perf_counter()\n"
    "code = subprocess.call(sys.argv[1:])\n"
    "t = time.perf_counter() - t0\n"
    "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(f'WRAP {t:.3f} {rss} {code}', file=sys.stderr)\n"
)


def timed(cmd: list[str]) -> tuple[float, float, int, str]:
    """Run *cmd*; return (seconds, peak RSS MiB of that command, exit code, stderr tail)."""
    proc = subprocess.run([sys.executable, "-c", WRAP, *cmd], capture_output=True, text=True)
    lines = proc.stderr.strip().splitlines()
    _, secs, rss, code = lines[-1].split()
    return float(secs), int(rss) / 1024, int(code), "\n".join(lines[:-1])[-600:]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--roots", type=int, default=10_000)
    parser.add_argument("--as-of", default="2025-10-15")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    t0 = time.perf_counter()
    own, ent, listed = generate(args.entities, args.roots)
    with open(own, encoding="utf-8") as f:
        n_stakes = sum(1 for _ in f) - 1
    print(f"input: {args.entities:,} entities, {n_stakes:,} stakes, {args.roots:,} listed roots "
          f"(generated/reused in {time.perf_counter() - t0:.1f}s) -> {OUT}")
    ours_out = OUT / "ours.csv"
    exe = str(Path(sys.executable).with_name("exportscreen"))
    cmd = [exe, "affiliates", "--ownership", str(own), "--entities", str(ent), "--listed",
           str(listed), "--rule", "us-bis-affiliates", "--as-of", args.as_of, "--format", "csv",
           "--out", str(ours_out)]
    secs, rss, code, err = timed(cmd)
    print(f"exportscreen affiliates: {secs:.2f}s wall, peak RSS {rss:.0f} MiB, exit {code}")
    if code:
        print(err)
    if args.skip_baseline:
        return
    base_out = OUT / "baseline.csv"
    script = OUT / "baseline_networkx.py"
    script.write_text(BASELINE, encoding="utf-8")
    bsecs, brss, bcode, berr = timed([sys.executable, str(script), str(own), str(ent),
                                      str(listed), str(base_out), args.as_of])
    print(f"networkx worklist baseline: {bsecs:.2f}s wall, peak RSS {brss:.0f} MiB "
          f"exit {bcode}; {berr.strip().splitlines()[-1] if berr else ''}")
    print(f"speed-up: {bsecs / secs:.1f}x")
    with open(ours_out, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    ours_covered = {r["id"] for r in rows if r["status"] == "covered"}
    with open(base_out, encoding="utf-8") as f:
        base_covered = {line.strip() for line in f.readlines()[1:]}
    statuses: dict[str, int] = {}
    for r in rows:
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    print(f"findings: {statuses}")
    print(f"covered: exportscreen {len(ours_covered):,}, baseline (lower bounds, floats) "
          f"{len(base_covered):,}; only exportscreen {len(ours_covered - base_covered):,}, "
          f"only baseline {len(base_covered - ours_covered):,}")
    print(f"machine: {os.cpu_count()} cores (shared with other jobs while measuring)")


if __name__ == "__main__":
    main()
