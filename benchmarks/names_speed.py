"""Name-screening speed: 10,000 names vs the full 2022 CSL, end to end in the CLI.

Prints figures; asserts nothing.

* Input: the 7,847 distinct SEC company names (../shared/data/sec) plus 2,153 realistic
  variants of CSL names (``exportscreen.testing.names.make_variant``, seeded), written to
  .bench/names_10k.csv.
* exportscreen: ``exportscreen match --input .bench/names_10k.csv --format csv`` run as
  a subprocess, so the time includes process start, loading the embedded list, building
  the index over every name and alias (~33,000) and writing the CSV. Peak RSS is the
  largest resident set of the CLI and its worker processes (``RUSAGE_CHILDREN``).
* Baseline, in the same run: rapidfuzz ``process.extractOne(name, all_names,
  scorer=fuzz.WRatio, processor=utils.default_process)`` over the same ~33,000 CSL names
  and aliases, timed on a seeded sample of the same 10,000 names (a full pass would take
  about 10 minutes) and reported per name.

Run: .venv/bin/python benchmarks/names_speed.py [--sample 300] [--workers N]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def build_input(shared: Path, target: Path, total: int = 10_000, seed: int = 7) -> list[str]:
    import exportscreen as xs
    from exportscreen.testing.names import make_variant

    data = json.loads((shared / "sec" / "company_tickers_exchange_2025-08.json").read_text())
    names = sorted({row[1] for row in data["data"]})
    rng = random.Random(seed)
    entries = list(xs.load_list("default").entries)
    while len(names) < total:
        names.append(make_variant(rng.choice(entries).name, rng)[0])
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name"])
        writer.writerows([n] for n in names)
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared-data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--sample", type=int, default=300, help="names timed for the baseline")
    parser.add_argument("--workers", type=int, default=None, help="CLI --workers (default: all)")
    args = parser.parse_args()

    source = REPO / ".bench" / "names_10k.csv"
    names = build_input(args.shared_data, source)
    print(f"input: {len(names)} names -> {source.relative_to(REPO)} (cores: {os.cpu_count()})")

    command = [
        sys.executable,
        "-m",
        "exportscreen",
        "match",
        "--input",
        str(source),
        "--format",
        "csv",
    ]
    if args.workers:
        command += ["--workers", str(args.workers)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    cli_seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        print(done.stderr)
        raise SystemExit(f"the CLI failed with exit code {done.returncode}")
    rows = list(csv.DictReader(done.stdout.splitlines()))
    flagged = sum(1 for r in rows if r["match_status"] != "clear")
    print(
        f"exportscreen CLI end to end: {cli_seconds:.2f} s for {len(rows)} names "
        f"= {1000 * cli_seconds / len(rows):.3f} ms/name; flagged {flagged}; "
        f"peak RSS {peak_kib / 1024:.0f} MiB"
    )

    # library batch path only (list already loaded, index built), for reference
    import exportscreen as xs
    from exportscreen.names import NameMatcher

    started = time.perf_counter()
    matcher = NameMatcher(xs.load_list("default"))
    build_seconds = time.perf_counter() - started
    started = time.perf_counter()
    matcher.match_many(names, limit=1, workers=args.workers)
    batch_seconds = time.perf_counter() - started
    print(
        f"library: index build {build_seconds:.2f} s ({matcher.alias_count} names); "
        f"match_many {batch_seconds:.2f} s = {1000 * batch_seconds / len(names):.3f} ms/name"
    )

    from rapidfuzz import fuzz, process, utils

    choices = sorted({n for e in matcher.entries for n in e.all_names})
    sample = random.Random(11).sample(names, args.sample)
    started = time.perf_counter()
    for name in sample:
        process.extractOne(name, choices, scorer=fuzz.WRatio, processor=utils.default_process)
    per_name = (time.perf_counter() - started) / len(sample)
    print(
        f"baseline rapidfuzz extractOne(WRatio) over {len(choices)} names: "
        f"{1000 * per_name:.2f} ms/name (sample of {len(sample)}); "
        f"10,000 names would take {per_name * 10_000:.0f} s"
    )
    print(
        f"speed-up per name: CLI end to end {per_name / (cli_seconds / len(rows)):.0f}x; "
        f"library batch {per_name / (batch_seconds / len(names)):.0f}x"
    )
    print(
        f"this process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
