"""Rebuild the embedded CSL snapshot's compact entries file and metadata (maintainers only).

    python tools/build_snapshot.py [NEW_CONSOLIDATED.csv]

Writes into src/exportscreen/data/ (atomically): the gzipped CSV when a new one is given,
the entries file the package loads, and the metadata with the snapshot's sha256.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from exportscreen.io.write import write_bytes_atomic, write_text_atomic
from exportscreen.lists.csl import parse_csl_csv
from exportscreen.lists.snapshot import (
    SNAPSHOT_CSV,
    SNAPSHOT_ENTRIES,
    SNAPSHOT_META,
    encode_entries,
)

DATA = Path(__file__).resolve().parents[1] / "src" / "exportscreen" / "data"


def build_snapshot(csv_path: Path | None = None, data_dir: Path | None = None) -> dict[str, Any]:
    """(Re)build the compact entries file and metadata from the CSV (maintainers only)."""
    data_dir = data_dir or DATA
    if csv_path is not None:
        raw = csv_path.read_bytes()
        write_bytes_atomic(data_dir / SNAPSHOT_CSV, gzip.compress(raw, compresslevel=9, mtime=0))
    else:
        raw = gzip.decompress((data_dir / SNAPSHOT_CSV).read_bytes())
    entries, _rejected, notices = parse_csl_csv(raw, SNAPSHOT_CSV, strict=True)
    write_bytes_atomic(data_dir / SNAPSHOT_ENTRIES, encode_entries(entries))
    meta = {
        "source": "US Consolidated Screening List (embedded snapshot, May 2022)",
        "publisher": "US International Trade Administration (data from BIS, Treasury/OFAC "
        "and State)",
        "url": "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",
        "snapshot_date": "2022-05-16",
        "snapshot_date_basis": "commit date of the copy; latest start_date in the data is "
        "2022-04-21",
        "sha256": hashlib.sha256(raw).hexdigest(),
        "entries": len(entries),
        "notices": notices,
    }
    write_text_atomic(data_dir / SNAPSHOT_META,
                      json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return meta


if __name__ == "__main__":
    print(json.dumps(build_snapshot(Path(sys.argv[1]) if len(sys.argv) > 1 else None), indent=2))
