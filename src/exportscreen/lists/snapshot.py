"""The embedded CSL snapshot: the published CSV (gzip) plus a pre-parsed compact form.

Loading sits on every CLI call, so the snapshot is not parsed from CSV at run time:
``csl_2022-05.entries.json.gz`` holds the entries exactly as the CSV loader builds
them (a string table plus rows of indexes), made by :func:`build_snapshot` from the
shipped ``csl_2022-05.csv.gz``; a test re-parses the CSV and checks both agree.

Rebuild after changing the CSV loader::

    python -m exportscreen.lists.snapshot
"""

from __future__ import annotations

import datetime as _dt
import gzip
import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

from .models import ListEntry, ListProvenance, ScreeningList

__all__ = ["SNAPSHOT_CSV", "SNAPSHOT_ENTRIES", "build_snapshot", "load_snapshot",
           "snapshot_metadata"]

SNAPSHOT_CSV = "csl_2022-05.csv.gz"
SNAPSHOT_ENTRIES = "csl_2022-05.entries.json.gz"
SNAPSHOT_META = "csl_2022-05.json"
# bump when the compact form changes shape
FORMAT_VERSION = 1

_FIELDS: tuple[str, ...] = tuple(ListEntry.model_fields)
_TUPLE_FIELDS = frozenset(
    name for name, f in ListEntry.model_fields.items() if "tuple" in str(f.annotation)
)


def _data_file(name: str) -> Any:
    return resources.files("exportscreen").joinpath("data", name)


def snapshot_metadata() -> dict[str, Any]:
    """The snapshot's metadata: source, snapshot date, sha256 of the CSV, entry count."""
    data: dict[str, Any] = json.loads(_data_file(SNAPSHOT_META).read_text("utf-8"))
    return data


def snapshot_csv_bytes() -> bytes:
    """The embedded CSL CSV exactly as published (decompressed)."""
    return gzip.decompress(_data_file(SNAPSHOT_CSV).read_bytes())


def _construct(values: dict[str, Any]) -> ListEntry:
    # Entries in the snapshot were validated when it was built (and by the test suite);
    # building them without re-validation keeps cold start fast.
    entry = object.__new__(ListEntry)
    object.__setattr__(entry, "__dict__", values)
    object.__setattr__(entry, "__pydantic_fields_set__", set(values))
    object.__setattr__(entry, "__pydantic_extra__", None)
    object.__setattr__(entry, "__pydantic_private__", None)
    return entry


def encode_entries(entries: list[ListEntry]) -> bytes:
    """The compact form: ``{"fields", "strings", "rows"}``; -1 is ``None``; gzip, mtime 0."""
    table: dict[str, int] = {}

    def ix(text: str) -> int:
        return table.setdefault(text, len(table))

    rows: list[list[Any]] = []
    for entry in entries:
        row: list[Any] = []
        for name in _FIELDS:
            value = getattr(entry, name)
            if value is None:
                row.append(-1)
            elif isinstance(value, tuple):
                row.append([ix(v) for v in value])
            elif isinstance(value, _dt.date):
                row.append(ix(value.isoformat()))
            else:
                row.append(ix(value))
        rows.append(row)
    doc = {"version": FORMAT_VERSION, "fields": list(_FIELDS), "strings": list(table),
           "rows": rows}
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def decode_entries(blob: bytes) -> tuple[ListEntry, ...]:
    doc = json.loads(gzip.decompress(blob))
    if doc.get("version") != FORMAT_VERSION or tuple(doc["fields"]) != _FIELDS:
        raise ValueError("the pre-parsed snapshot was built for another version of exportscreen")
    strings: list[str] = doc["strings"]
    tuple_cols = [i for i, name in enumerate(_FIELDS) if name in _TUPLE_FIELDS]
    date_col = _FIELDS.index("start_date")
    dates: dict[int, _dt.date] = {}
    fields = _FIELDS
    out: list[ListEntry] = []
    for row in doc["rows"]:
        values: list[Any] = [None if v == -1 else strings[v] if type(v) is int else v
                             for v in row]
        for i in tuple_cols:
            values[i] = tuple(strings[j] for j in row[i])
        d = row[date_col]
        if d != -1:
            if d not in dates:
                dates[d] = _dt.date.fromisoformat(strings[d])
            values[date_col] = dates[d]
        out.append(_construct(dict(zip(fields, values, strict=True))))
    return tuple(out)


def load_snapshot() -> ScreeningList:
    """The embedded 2022 CSL snapshot as a :class:`ScreeningList`."""
    meta = snapshot_metadata()
    entries = decode_entries(_data_file(SNAPSHOT_ENTRIES).read_bytes())
    provenance = ListProvenance(
        source=meta["source"],
        format="csl-csv",
        path=f"<embedded>/{SNAPSHOT_CSV}",
        snapshot_date=_dt.date.fromisoformat(meta["snapshot_date"]),
        sha256=meta["sha256"],
        entries=len(entries),
        url=meta.get("url"),
        notices=tuple(meta.get("notices", ())),
    )
    return ScreeningList.model_construct(entries=entries, provenance=provenance, rejected=())


def build_snapshot(csv_path: Path | None = None, data_dir: Path | None = None) -> dict[str, Any]:
    """(Re)build the compact entries file and metadata from the CSV (maintainers only)."""
    from .csl import parse_csl_csv

    data_dir = data_dir or Path(str(resources.files("exportscreen").joinpath("data")))
    if csv_path is not None:
        raw = csv_path.read_bytes()
        (data_dir / SNAPSHOT_CSV).write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    else:
        raw = gzip.decompress((data_dir / SNAPSHOT_CSV).read_bytes())
    entries, _rejected, notices = parse_csl_csv(raw, SNAPSHOT_CSV, strict=True)
    (data_dir / SNAPSHOT_ENTRIES).write_bytes(encode_entries(entries))
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
    (data_dir / SNAPSHOT_META).write_text(
        json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return meta


if __name__ == "__main__":  # pragma: no cover - maintainer tool
    import sys

    print(json.dumps(build_snapshot(Path(sys.argv[1]) if len(sys.argv) > 1 else None), indent=2))
