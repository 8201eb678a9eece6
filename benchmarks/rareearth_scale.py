"""Rare-earth checker at scale: the `exportscreen rare-earth` CLI end to end on generated BOMs.

Generates BOMs of 10 lines per product (a mix of foreign-made motors with a magnet and
Chinese-origin Dy metal, magnets exported from China, Part I materials resold abroad,
rotors, and products without rare-earth content) under .bench/, then runs the CLI in a
subprocess for each size and prints wall time, lines per second and peak RSS of the
child (ru_maxrss). It prints figures; it asserts nothing.

    .venv/bin/python benchmarks/rareearth_scale.py            # 10k, 30k, 100k products
    .venv/bin/python benchmarks/rareearth_scale.py 1000 5000  # custom product counts
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / ".bench"
LINES_PER_PRODUCT = 10

# (top category, export_from, destination, per-line (category, elements, origin, parent)
KINDS = [
    ("motor", "JP", "US", [("magnet", "Nd:28;Dy:3;Fe:67;B:1", "JP", 0),
                           ("metal", "Dy:99.9", "CN", 1)] + [("component", "Fe;Cu", "JP", 0)] * 7),
    ("magnet", "CN", "DE", [("alloy", "Nd;Pr;Fe", "CN", 0)] + [("other", "", "CN", 0)] * 8),
    ("oxide", "JP", "KR", [("other", "", "JP", 0)] * 9),
    ("rotor_stator", "CN", "US", [("magnet", "Nd:30;Dy:1;Fe;B", "CN", 0)]
     + [("component", "Fe", "CN", 0)] * 8),
    ("finished_product", "DE", "FR", [("component", "Fe", "DE", 0)] * 5
     + [("assembly", "", "DE", 0)] + [("component", "Cu", "DE", 6)] * 3),
]
TOP_ELEMENTS = {"motor": "", "magnet": "Nd:29;Tb:0.8;Fe;B", "oxide": "Dy", "rotor_stator": "",
                "finished_product": ""}


def generate(products: int) -> Path:
    path = BENCH / f"bom_{products}.csv"
    if path.exists():
        return path
    BENCH.mkdir(exist_ok=True)
    rng = np.random.default_rng(products)
    kind_of = rng.integers(0, len(KINDS), size=products)
    values = rng.integers(1, 100_000, size=products * LINES_PER_PRODUCT) / 100
    dates = np.array(["2025-10-20", "2026-03-01", "2026-11-28"])[rng.integers(0, 3, products)]
    rows: dict[str, list[str]] = {c: [] for c in (
        "product_id", "line_id", "parent_id", "category", "value", "elements", "origin",
        "made_in", "cn_technology", "export_from", "destination", "ship_date", "end_use",
        "end_user_listed")}
    k = 0
    for p in range(products):
        top, src, dst, children = KINDS[kind_of[p]]
        pid = f"P{p:07d}"
        spec = [(top, TOP_ELEMENTS[top], src, -1), *children]
        for i, (cat, elements, origin, parent) in enumerate(spec):
            rows["product_id"].append(pid)
            rows["line_id"].append(f"L{i}")
            rows["parent_id"].append("" if parent < 0 else f"L{parent}")
            rows["category"].append(cat)
            rows["value"].append(f"{values[k]:.2f}")
            rows["elements"].append(elements)
            rows["origin"].append(origin)
            rows["made_in"].append(origin)
            rows["cn_technology"].append("no")
            first = i == 0
            rows["export_from"].append(src if first else "")
            rows["destination"].append(dst if first else "")
            rows["ship_date"].append(dates[p] if first else "")
            rows["end_use"].append("civil" if first else "")
            rows["end_user_listed"].append("no" if first else "")
            k += 1
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def measure(products: int) -> None:
    path = generate(products)
    out = BENCH / f"verdicts_{products}.json"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "exportscreen", "rare-earth", str(path), "--out", str(out)],
        capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        raise SystemExit(proc.returncode)
    lines = products * LINES_PER_PRODUCT
    summary = proc.stderr.strip().splitlines()[-1]
    print(f"{products:>8} products {lines:>9} lines  {elapsed:7.2f} s  "
          f"{lines / elapsed:>9,.0f} lines/s  peak RSS {max(peak, before) / 1024:7.0f} MiB"
          f"  ({summary.removeprefix('exportscreen: ')})")


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [10_000, 30_000, 100_000]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; CLI end to end "
          "(read CSV, validate, check, write JSON)")
    for products in sizes:
        measure(products)


if __name__ == "__main__":
    main(sys.argv[1:])
