"""The records every list format is turned into: :class:`ListEntry` and :class:`ScreeningList`.

These models are the contract between the list loaders, the name matcher, the
affiliates engine (listed roots) and the screening reports.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from .csl_format import csl_csv_text

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ListDiff", "ListEntry", "ListProvenance", "RejectedRecord", "ScreeningList"]

# When one id sits on several lists (an OFAC entity on both SDN and SSI, say), ``get(id)``
# returns the entry from the list earliest here: the blocking lists first.
SOURCE_PRIORITY: tuple[str, ...] = (
    "sdn", "entity_list", "meu", "dpl", "itar_debarred", "isn", "fse", "ssi", "capta",
    "ns_mbs", "cmic", "plc", "uvl",
)


class ListEntry(BaseModel):
    """One restricted party as published on a government list.

    ``source`` is a short, stable code for the list the entry comes from
    (``entity_list``, ``meu``, ``sdn``, ``dpl``, ``uvl``, ``isn``, ``itar_debarred``,
    ``ssi``, ``plc``, ``cmic``, ``capta``, ``ns_mbs``, ``fse``, or a user's own name);
    ``source_name`` is the list's name as published.

    ``name`` is the party's name with relation text taken out (``"..., Tsim Sha Tsui"``,
    ``"(Huawei)"``, ``"and any successor, sub-unit, or subsidiary thereof"``);
    ``published_name`` keeps the name exactly as published whenever it differs, and
    ``notes`` says what was changed and why. ``relations`` holds the relation text
    (``"affiliated entity of: Huawei Technologies Co., Ltd."``).

    Example::

        >>> e = ListEntry(id="1", source="sdn", name="ACME LTD", aliases=("ACME",))
        >>> e.all_names
        ('ACME LTD', 'ACME')
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    source: str
    source_name: str = ""
    name: str
    aliases: tuple[str, ...] = ()
    entity_type: str | None = Field(
        default=None, description="entity, individual, vessel or aircraft, when the list says"
    )
    countries: tuple[str, ...] = Field(default=(), description="ISO 3166 alpha-2 codes")
    addresses: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    license_requirement: str | None = None
    license_policy: str | None = None
    federal_register_notice: str | None = None
    start_date: _dt.date | None = None
    remarks: str | None = None
    identifiers: tuple[str, ...] = Field(
        default=(), description="identity documents and registration numbers as published"
    )
    published_name: str | None = Field(
        default=None, description="the name exactly as published, when `name` was cleaned"
    )
    relations: tuple[str, ...] = Field(
        default=(), description="relation text found in the published name"
    )
    notes: tuple[str, ...] = Field(
        default=(), description="what the loader changed while reading this entry, and why"
    )

    @property
    def key(self) -> tuple[str, str]:
        """``(source, id)``: unique within a list even when one id sits on several lists."""
        return (self.source, self.id)

    @property
    def content_hash(self) -> str:
        """sha256 of the entry's content: changes whenever anything published about it changes."""
        # the same JSON as model_dump(mode="json"), built directly: diffs hash every entry
        data = {
            name: list(value) if isinstance(value, tuple)
            else value.isoformat() if isinstance(value, _dt.date) else value
            for name, value in ((n, getattr(self, n)) for n in _ENTRY_FIELDS)
        }
        payload = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    @property
    def all_names(self) -> tuple[str, ...]:
        """The primary name followed by its aliases, without repeats."""
        seen: dict[str, None] = {self.name: None}
        for alias in self.aliases:
            seen.setdefault(alias, None)
        return tuple(seen)


_ENTRY_FIELDS: tuple[str, ...] = tuple(ListEntry.model_fields)


class ListProvenance(BaseModel):
    """Where a list came from, so every result can say what it was screened against."""

    model_config = ConfigDict(frozen=True)

    source: str = Field(description="e.g. 'US Consolidated Screening List (embedded snapshot)'")
    format: str = Field(description="csl-csv, csl-json, ofac-csv, ofac-xml, ...")
    path: str | None = None
    snapshot_date: _dt.date | None = None
    sha256: str = Field(description="sha256 of the bytes the list was parsed from")
    entries: int
    rejected: int = Field(
        default=0, description="entry records rejected in lenient loading (record_type 'entry')"
    )
    retrieved_at: _dt.datetime | None = Field(
        default=None, description="when `lists update` downloaded it (UTC)"
    )
    url: str | None = None
    notices: tuple[str, ...] = ()
    lists: tuple[ListProvenance, ...] = Field(
        default=(), description="for several lists screened together (format 'combined'): "
        "the provenance of each, in the order given"
    )

    @property
    def records(self) -> int:
        """Records read from the source: always ``entries + rejected``."""
        return self.entries + self.rejected


class RejectedRecord(BaseModel):
    """A record lenient loading could not use, with where it is and why."""

    model_config = ConfigDict(frozen=True)

    file: str
    line: int | None = Field(description="line (CSV: header = 1) or record number (XML, JSON)")
    column: str | None = None
    reason: str
    raw: str = Field(default="", description="the record's text, shortened")
    record_type: str = Field(
        default="entry",
        description="entry (a list entry), or alias/address/comment (an OFAC companion row)",
    )


class ListDiff(BaseModel):
    """What changed between two lists, matched on ``(source, id)`` and compared by content hash.

    The basis for re-screening only what a list update affects: screen again the
    names of ``added`` and ``changed`` entries, and drop hits on ``removed`` ones.
    """

    model_config = ConfigDict(frozen=True)

    added: tuple[ListEntry, ...]
    removed: tuple[ListEntry, ...]
    changed: tuple[tuple[ListEntry, ListEntry], ...] = Field(description="(old, new) pairs")
    unchanged: int
    old_list_id: str
    new_list_id: str

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    @property
    def affected(self) -> tuple[ListEntry, ...]:
        """Entries whose names need screening again: added and the new side of changed."""
        return self.added + tuple(new for _, new in self.changed)

    def changed_fields(self, old: ListEntry, new: ListEntry) -> list[str]:
        """Names of the fields that differ between two versions of an entry."""
        a, b = old.model_dump(), new.model_dump()
        return sorted(k for k in a if a[k] != b[k])

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.removed)} removed, "
            f"{len(self.changed)} changed, {self.unchanged} unchanged"
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per difference: ``change`` (added/removed/changed), source, id, name, fields."""
        import pandas as pd

        rows: list[dict[str, str]] = []
        for e in self.added:
            rows.append({"change": "added", "source": e.source, "id": e.id, "name": e.name,
                         "fields": ""})
        for e in self.removed:
            rows.append({"change": "removed", "source": e.source, "id": e.id, "name": e.name,
                         "fields": ""})
        for old, new in self.changed:
            rows.append({"change": "changed", "source": new.source, "id": new.id,
                         "name": new.name, "fields": ";".join(self.changed_fields(old, new))})
        return pd.DataFrame(rows, columns=["change", "source", "id", "name", "fields"])


def _keyed(entries: Iterable[ListEntry]) -> dict[tuple[str, str, int], ListEntry]:
    """Entries by ``(source, id, occurrence)``: a repeated id (the CSL has one) stays apart."""
    counts: dict[tuple[str, str], int] = {}
    keyed: dict[tuple[str, str, int], ListEntry] = {}
    for entry in entries:
        n = counts.get(entry.key, 0)
        counts[entry.key] = n + 1
        keyed[(entry.source, entry.id, n)] = entry
    return keyed


class ScreeningList(BaseModel):
    """A parsed list: its entries in published order and its provenance.

    Example::

        >>> lst = ScreeningList(entries=(ListEntry(id="7", source="sdn", name="X CO"),),
        ...     provenance=ListProvenance(source="demo", format="csl-csv", sha256="0", entries=1))
        >>> lst.get("7").name
        'X CO'
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    entries: tuple[ListEntry, ...]
    provenance: ListProvenance
    rejected: tuple[RejectedRecord, ...] = ()

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[ListEntry]:  # type: ignore[override]
        return iter(self.entries)

    @cached_property
    def _by_id(self) -> dict[str, tuple[ListEntry, ...]]:
        index: dict[str, list[ListEntry]] = {}
        for entry in self.entries:
            index.setdefault(entry.id, []).append(entry)
        rank = {s: i for i, s in enumerate(SOURCE_PRIORITY)}
        return {
            k: tuple(sorted(v, key=lambda e: rank.get(e.source, len(rank))))
            for k, v in index.items()
        }

    def get(self, entry_id: str, source: str | None = None) -> ListEntry | None:
        """The entry with this id (and source, if given), else ``None``.

        When several lists carry the id (OFAC puts some entities on both SDN and SSI)
        and no source is given, the entry of the most restrictive list is returned
        (order: ``SOURCE_PRIORITY``); :meth:`get_all` returns all of them.
        """
        found = self._by_id.get(entry_id, ())
        if source is not None:
            found = tuple(e for e in found if e.source == source)
        return found[0] if found else None

    def get_all(self, entry_id: str) -> tuple[ListEntry, ...]:
        """Every entry with this id, most restrictive list first."""
        return self._by_id.get(entry_id, ())

    @property
    def sources(self) -> tuple[str, ...]:
        """The source codes present, sorted."""
        return tuple(sorted({e.source for e in self.entries}))

    def filter(self, sources: Iterable[str]) -> ScreeningList:
        """A list with only the entries of the given sources (provenance kept, counts updated)."""
        wanted = set(sources)
        kept = tuple(e for e in self.entries if e.source in wanted)
        prov = self.provenance.model_copy(update={"entries": len(kept), "rejected": 0})
        return ScreeningList.model_construct(entries=kept, provenance=prov, rejected=())

    @cached_property
    def list_id(self) -> str:
        """A stable id of the list's content: the same entries give the same id.

        It does not depend on the file format, the order of entries or where the
        file lives: ``"sl-"`` + the first 16 hex digits of a sha256 over the sorted
        ``(source, id, content_hash)`` of every entry.
        """
        digest = hashlib.sha256()
        for source, entry_id, content in sorted(
            (e.source, e.id, e.content_hash) for e in self.entries
        ):
            digest.update(f"{source}\x1f{entry_id}\x1f{content}\x1e".encode())
        return "sl-" + digest.hexdigest()[:16]

    def diff(self, other: ScreeningList) -> ListDiff:
        """Changes from this list (old) to *other* (new), by ``(source, id)`` and content hash.

        Example::

            >>> d = old.diff(new)
            >>> [e.name for e in d.affected]   # screen these names again
        """
        old = _keyed(self.entries)
        new = _keyed(other.entries)
        added = tuple(new[k] for k in sorted(new.keys() - old.keys()))
        removed = tuple(old[k] for k in sorted(old.keys() - new.keys()))
        changed: list[tuple[ListEntry, ListEntry]] = []
        unchanged = 0
        for k in sorted(old.keys() & new.keys()):
            if old[k].content_hash != new[k].content_hash:
                changed.append((old[k], new[k]))
            else:
                unchanged += 1
        return ListDiff(
            added=added, removed=removed, changed=tuple(changed), unchanged=unchanged,
            old_list_id=self.list_id, new_list_id=other.list_id,
        )

    def to_csl_csv(self) -> str:
        """The entries as trade.gov CSL CSV text (:func:`.csl_format.csl_csv_text`).

        Example: ``Path("mine.csv").write_text(lst.filter(["entity_list"]).to_csl_csv())``.
        """
        return csl_csv_text(self.entries)

    def to_frame(self) -> pd.DataFrame:
        """One row per entry; multi-valued fields joined with ``"; "`` (as the CSL publishes)."""
        import pandas as pd

        columns = list(ListEntry.model_fields)
        rows: list[dict[str, Any]] = []
        for entry in self.entries:
            row: dict[str, Any] = {}
            for name in columns:
                value = getattr(entry, name)
                if isinstance(value, tuple):
                    value = "; ".join(value)
                elif isinstance(value, _dt.date):
                    value = value.isoformat()
                row[name] = value
            rows.append(row)
        return pd.DataFrame(rows, columns=columns)
