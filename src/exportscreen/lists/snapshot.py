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
import json
from importlib import resources
from typing import Any

from .models import ListEntry, ListProvenance, ScreeningList

__all__ = ["SNAPSHOT_CSV", "SNAPSHOT_ENTRIES", "load_snapshot",
           "snapshot_metadata"]

SNAPSHOT_CSV = "csl_2022-05.csv.gz"
SNAPSHOT_ENTRIES = "csl_2022-05.entries.json.gz"
SNAPSHOT_META = "csl_2022-05.json"
# bump when the compact form changes shape
FORMAT_VERSION = 2

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


def _constructor() -> Any:
    # Entries in the snapshot and the cache were validated when they were built (and by
    # the test suite); building them without re-validation keeps cold start fast. This
    # sets exactly the four slots pydantic's own model_construct sets.
    new = object.__new__
    setattr_ = object.__setattr__

    def construct(values: dict[str, Any], fields_set: set[str]) -> ListEntry:
        entry = new(ListEntry)
        setattr_(entry, "__dict__", values)
        setattr_(entry, "__pydantic_fields_set__", fields_set)
        setattr_(entry, "__pydantic_extra__", None)
        setattr_(entry, "__pydantic_private__", None)
        return entry

    return construct


def encode_entries(entries: list[ListEntry]) -> bytes:
    """The compact, column-wise form; gzip with mtime 0 so the bytes are reproducible.

    ``{"version", "fields", "strings", "columns"}``: each column lists, per entry, an index
    into ``strings`` (-1 for ``None``), or for tuple fields an index into ``tuples`` (a
    table of index lists), so repeated values are stored once.
    """
    strings: dict[str, int] = {}
    tuples: dict[tuple[int, ...], int] = {}

    def ix(text: str) -> int:
        return strings.setdefault(text, len(strings))

    columns: list[list[int]] = []
    for name in _FIELDS:
        column: list[int] = []
        for entry in entries:
            value = getattr(entry, name)
            if name in _TUPLE_FIELDS:
                key = tuple(ix(v) for v in value)
                column.append(tuples.setdefault(key, len(tuples)))
            elif value is None:
                column.append(-1)
            elif isinstance(value, _dt.date):
                column.append(ix(value.isoformat()))
            else:
                column.append(ix(value))
        columns.append(column)
    doc = {"version": FORMAT_VERSION, "fields": list(_FIELDS), "strings": list(strings),
           "tuples": [list(t) for t in tuples], "columns": columns}
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def decode_entries(blob: bytes) -> tuple[ListEntry, ...]:
    """Entries from :func:`encode_entries` bytes."""
    doc = json.loads(gzip.decompress(blob))
    if doc.get("version") != FORMAT_VERSION or tuple(doc["fields"]) != _FIELDS:
        raise ValueError("the pre-parsed list was built for another version of exportscreen")
    strings: list[Any] = doc["strings"]
    tuples = [tuple(strings[i] for i in t) for t in doc["tuples"]]
    lookup = [*strings, None]  # index -1 is None
    decoded: list[list[Any]] = []
    for name, column in zip(_FIELDS, doc["columns"], strict=True):
        if name in _TUPLE_FIELDS:
            decoded.append([tuples[i] for i in column])
        elif name == "start_date":
            dates = {i: _dt.date.fromisoformat(strings[i]) for i in set(column) if i != -1}
            dates[-1] = None  # type: ignore[assignment]
            decoded.append([dates[i] for i in column])
        else:
            decoded.append([lookup[i] for i in column])
    construct = _constructor()
    fields = _FIELDS
    fields_set = set(fields)
    return tuple(construct(dict(zip(fields, row, strict=True)), fields_set)
                 for row in zip(*decoded, strict=True))


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
