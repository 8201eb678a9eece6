"""Screening against several lists at once: does a combined index cost more per name?

Prints figures; asserts nothing. In one process, for two lists:

* the CSL alone (the embedded 2022 snapshot, 14,160 entries);
* the CSL + the Dec 2025 OFAC non-SDN CSV set + the full UN list of 2026-02-27, combined;

it times building the ``NameMatcher`` index and matching the same names: a seeded sample of
SEC company names (mostly no match) plus realistic variants of CSL and UN names
(``exportscreen.testing.names.make_variant``). Reported per name, best of ``--repeat`` runs.

Run: .venv/bin/python benchmarks/lists_combined_match.py [--names 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"


def queries(csl: object, un: object, count: int, seed: int = 11) -> list[str]:
    from exportscreen.testing.names import make_variant

    rng = random.Random(seed)
    sec = json.loads((SHARED / "sec" / "company_tickers_exchange_2025-08.json").read_text())
    fields = sec["fields"]
    names = [dict(zip(fields, row, strict=True))["name"] for row in sec["data"]]
    picked = rng.sample(names, count * 3 // 4)
    listed = [e.name for e in csl] + [e.name for e in un]  # type: ignore[attr-defined]
    for name in rng.sample(listed, count - len(picked)):
        picked.append(make_variant(name, rng)[0])
    return picked


def time_matcher(lst: object, names: list[str], repeat: int) -> tuple[float, float]:
    import exportscreen as xs

    build = match = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        matcher = xs.NameMatcher(lst)  # type: ignore[arg-type]
        t1 = time.perf_counter()
        for name in names:
            matcher.match(name, limit=1)
        t2 = time.perf_counter()
        build, match = min(build, t1 - t0), min(match, t2 - t1)
    return build, match


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--names", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit("../shared/data is needed")
    import exportscreen as xs

    csl = xs.load_list("default")
    un = xs.load_list(SHARED / "un_sc" / "consolidated_2026-02-27.xml")
    combined = xs.load_list(["default", SHARED / "ofac_nonsdn_2025-12",
                             SHARED / "un_sc" / "consolidated_2026-02-27.xml"])
    names = queries(csl, un, args.names)
    print(f"{len(names)} names, best of {args.repeat}")
    print(f"{'index':42} {'entries':>8} {'build s':>8} {'match s':>8} {'ms/name':>8}")
    base = None
    for label, lst in (("CSL snapshot alone", csl),
                       ("CSL + OFAC non-SDN (Dec 2025) + UN (full)", combined)):
        build, match = time_matcher(lst, names, args.repeat)
        per = match / len(names) * 1000
        base = base or per
        print(f"{label:42} {len(lst):>8} {build:>8.2f} {match:>8.2f} {per:>8.3f}"
              f"  ({per / base:.2f}x per name)")


if __name__ == "__main__":
    main()
