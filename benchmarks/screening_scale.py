"""Benchmark: `exportscreen screen` end to end at 100,000 suppliers x a 100,000-entity graph.

Generates (deterministically, seed 2026) under ``.bench/screening/``:

* ``entities.csv`` — 100,000 entities in ~20,000 corporate groups (trees of 1-3 levels
  with majority, minority, aggregated, banded and undisclosed stakes). Group heads of
  200 groups carry real Entity List names from the embedded 2022 CSL, so the list match
  finds them and the affiliates rule extends them; every other name is made of
  invented words (no real company).
* ``ownership.csv`` — the stakes (~80,000 rows).
* ``suppliers.csv`` — 100,000 rows: 60,000 are graph entities (same id and name), the
  rest companies outside the graph.

Then it runs the CLI in a child process — list load, name screening of the graph's
owners and of every supplier, the affiliates rule, supplier-to-entity linking, CSV out —
and prints wall time, peak RSS of the child and the status counts. It asserts nothing
about time (see docs/benchmarks.md for recorded figures).

    python benchmarks/screening_scale.py [--suppliers 100000] [--entities 100000]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / ".bench" / "screening"
SYLLABLES = ["ka", "lo", "ven", "tra", "mir", "so", "del", "qua", "rin", "bo", "zen", "ta",
             "por", "li", "nex", "va", "dor", "cu", "mel", "ri", "sta", "xo", "fen", "gal"]
SUFFIXES = ["Trading", "Components", "Optics", "Systems", "Logistics", "Industrial", "Labs",
            "Precision", "Electronics", "Materials", "Services", "Technology"]
FORMS = ["Ltd.", "Co., Ltd.", "GmbH", "Inc.", "Pte. Ltd.", "S.A.", "LLC", "Sdn. Bhd.", "AG"]
COUNTRIES = ["CN", "HK", "SG", "DE", "MY", "TW", "AE", "GB", "IN", "US", "KR", "VN"]


def invented_name(rnd: random.Random) -> str:
    word = "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 3))).capitalize()
    word2 = "".join(rnd.choice(SYLLABLES) for _ in range(2)).capitalize()
    return f"{word} {word2} {rnd.choice(SUFFIXES)} {rnd.choice(FORMS)}"


def entity_list_names(count: int) -> list[tuple[str, str]]:
    import exportscreen as xs

    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for entry in xs.load_list("default").entries:
        if entry.source == "entity_list" and entry.name not in seen and len(entry.name) < 60:
            seen.add(entry.name)
            out.append((entry.name, entry.countries[0] if entry.countries else "CN"))
    random.Random(7).shuffle(out)
    return out[:count]


def generate(n_suppliers: int, n_entities: int, listed_heads: int) -> None:
    rnd = random.Random(2026)
    OUT.mkdir(parents=True, exist_ok=True)
    heads = entity_list_names(listed_heads)
    entities: list[tuple[str, str, str]] = []
    stakes: list[tuple[str, str, str, str, str]] = []
    names_used: set[str] = set()

    def new_entity(name: str | None = None, country: str | None = None) -> str:
        while name is None or name in names_used:
            name = invented_name(rnd)
        names_used.add(name)
        entity_id = f"E{len(entities) + 1:06d}"
        entities.append((entity_id, name, country or rnd.choice(COUNTRIES)))
        return entity_id

    group = 0
    while len(entities) < n_entities:
        head_name, head_country = heads[group] if group < len(heads) else (None, None)
        head = new_entity(head_name, head_country)
        group += 1
        for _ in range(rnd.randint(1, 3)):
            if len(entities) >= n_entities:
                break
            mid = new_entity()
            kind = rnd.random()
            if kind < 0.6:
                stakes.append((head, mid, "100", "", ""))
            elif kind < 0.8:
                stakes.append((head, mid, str(rnd.choice([51, 60, 75])), "", ""))
            elif kind < 0.9:
                stakes.append((head, mid, "", "25", "50"))
            else:
                stakes.append((head, mid, str(rnd.choice([10, 20, 30, 49])), "", ""))
            for _ in range(rnd.randint(0, 2)):
                if len(entities) >= n_entities:
                    break
                leaf = new_entity()
                if rnd.random() < 0.15:  # aggregation: head and mid together
                    stakes.append((head, leaf, "30", "", ""))
                    stakes.append((mid, leaf, "25", "", ""))
                elif rnd.random() < 0.05:
                    stakes.append((mid, leaf, "", "", ""))  # undisclosed
                else:
                    stakes.append((mid, leaf, str(rnd.choice([100, 100, 51, 70, 40])), "", ""))
    with open(OUT / "entities.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "name", "country", "aliases"])
        writer.writerows((e[0], e[1], e[2], "") for e in entities)
    with open(OUT / "ownership.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["owner_id", "owned_id", "percent", "percent_min", "percent_max"])
        writer.writerows(stakes)
    in_graph = rnd.sample(entities, min(len(entities), n_suppliers * 6 // 10))
    with open(OUT / "suppliers.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["supplier_id", "supplier_name", "country", "spend"])
        for entity_id, name, country in in_graph:
            writer.writerow([entity_id, name, country, rnd.randrange(1000, 10**7)])
        for index in range(n_suppliers - len(in_graph)):
            name = invented_name(rnd)
            writer.writerow([f"S{index:06d}", name, rnd.choice(COUNTRIES),
                             rnd.randrange(1000, 10**7)])
    print(f"generated {len(entities)} entities, {len(stakes)} stakes, {n_suppliers} suppliers "
          f"({len(in_graph)} in the graph), {min(len(heads), group)} listed group heads")


def phases(as_of: str) -> None:
    """Run ``screen()`` in this process with timers around each phase and print them."""
    import exportscreen.ownership as ownership
    import exportscreen.screening as screening
    from exportscreen.report.csv import write_csv

    spent: dict[str, float] = {}

    def timed(label: str, function):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - start
        return wrapper

    screening._resolve_list = timed("list load", screening._resolve_list)
    screening._make_matcher = timed("matcher build", screening._make_matcher)
    screening._load_graph = timed("graph load", screening._load_graph)
    screening._match_unique = timed("name matching", screening._match_unique)
    ownership.apply_affiliates_rule = timed("affiliates rule", ownership.apply_affiliates_rule)
    start = time.perf_counter()
    run = screening.screen(OUT / "suppliers.csv", ownership=OUT / "ownership.csv",
                           entities=OUT / "entities.csv", as_of=as_of)
    total = time.perf_counter() - start
    start = time.perf_counter()
    write_csv(run, OUT / "results_phases.csv")
    spent["csv write"] = time.perf_counter() - start
    spent["rest of screen()"] = total - sum(v for k, v in spent.items() if k != "csv write")
    for label, seconds in spent.items():
        print(f"  {label}: {seconds:.1f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  in-process total {total + spent['csv write']:.1f} s, peak RSS {peak:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--listed-heads", type=int, default=200)
    parser.add_argument("--as-of", default="2026-12-01")
    parser.add_argument("--phases", action="store_true",
                        help="also run in-process with a time per phase")
    args = parser.parse_args()
    generate(args.suppliers, args.entities, args.listed_heads)
    results = OUT / "results.csv"
    command = [sys.executable, "-m", "exportscreen", "screen", str(OUT / "suppliers.csv"),
               "--ownership", str(OUT / "ownership.csv"), "--entities", str(OUT / "entities.csv"),
               "--as-of", args.as_of, "--out", str(results), "--progress", "never", "--quiet"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        print(done.stderr[-3000:])
        raise SystemExit(done.returncode)
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    with open(results, encoding="utf-8-sig", newline="") as handle:
        counts = Counter(row["screen_status"] for row in csv.DictReader(handle))
    print(f"end to end: {elapsed:.1f} s wall, peak RSS {peak_mib:.0f} MiB (largest process)")
    print("statuses:", dict(sorted(counts.items())))
    if args.phases:
        print("phases (in-process):")
        phases(args.as_of)


if __name__ == "__main__":
    main()
