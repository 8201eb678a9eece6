"""Names across scripts: watchman's 22 cross-script pairs, scored by ``compare_names``.

Prints each pair's score next to watchman's own minimum (its scale 0-1, shown x100) and
how many reach the ``possible`` threshold. Asserts nothing.

Input: ../shared/data/name_matching/watchman_cross_script_pairs.csv (query, expected
match, watchman's minimum score, description; '#' lines are comments).

Run: .venv/bin/python benchmarks/names_cross_script.py [--shared-data PATH]
"""

from __future__ import annotations

import argparse
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared-data", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args()

    from exportscreen.io.read import read_table
    from exportscreen.names import POSSIBLE_THRESHOLD, analyze_name, compare_names

    path = args.shared_data / "name_matching" / "watchman_cross_script_pairs.csv"
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    import pandas as pd

    frame = pd.DataFrame(
        [line.split(",", 3) for line in lines],
        columns=["query", "expected", "minimum", "description"],
    )
    table = read_table(frame, required=["query", "expected", "minimum"])
    reached = 0
    print(f"{'score':>6} {'watchman min':>12}  pair (reading of the query)")
    for row in table.frame.itertuples(index=False):
        score = compare_names(str(row.query), str(row.expected))
        reached += score >= POSSIBLE_THRESHOLD
        reading = analyze_name(str(row.query)).normalized
        print(f"{score:6.1f} {100 * float(str(row.minimum)):12.0f}  "
              f"{row.query} / {row.expected}  ({reading})")
    print(f"{reached} of {len(table.frame)} pairs reach possible ({POSSIBLE_THRESHOLD:g})")


if __name__ == "__main__":
    main()
