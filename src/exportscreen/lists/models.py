"""The records every list format is turned into: :class:`ListEntry` and :class:`ScreeningList`.

These models are the contract between the list loaders, the name matcher, the
affiliates engine (listed roots) and the screening reports.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ListEntry", "ListProvenance", "ScreeningList"]


class ListEntry(BaseModel):
    """One restricted party as published on a government list.

    ``source`` is a short, stable code for the list the entry comes from
    (``entity_list``, ``meu``, ``sdn``, ``dpl``, ``uvl``, ``isn``, ``itar_debarred``,
    ``ssi``, ``plc``, ``cmic``, ``capta``, ``ns_mbs``, ``fse``, or a user's own name);
    ``source_name`` is the list's name as published.
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

    @property
    def content_hash(self) -> str:
        """sha256 of the entry's content: changes whenever anything published about it changes."""
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    @property
    def all_names(self) -> tuple[str, ...]:
        """The primary name followed by its aliases, without repeats."""
        seen: dict[str, None] = {self.name: None}
        for alias in self.aliases:
            seen.setdefault(alias, None)
        return tuple(seen)


class ListProvenance(BaseModel):
    """Where a list came from, so every result can say what it was screened against."""

    model_config = ConfigDict(frozen=True)

    source: str = Field(description="e.g. 'US Consolidated Screening List (embedded snapshot)'")
    format: str = Field(description="csl-csv, csl-json, ofac-csv, ofac-xml, ...")
    path: str | None = None
    snapshot_date: _dt.date | None = None
    sha256: str = Field(description="sha256 of the bytes the list was parsed from")
    entries: int


class ScreeningList(BaseModel):
    """A parsed list: its entries in published order and its provenance."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    entries: tuple[ListEntry, ...]
    provenance: ListProvenance

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[ListEntry]:  # type: ignore[override]
        return iter(self.entries)
