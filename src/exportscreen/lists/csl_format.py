"""The trade.gov CSL CSV layout: its columns, its source names and their short codes, and
the writer of entries in that layout.

Kept apart from the reader (:mod:`.csl`) so that :class:`~.models.ScreeningList` can write
itself as CSL CSV without the models importing the reader that builds them.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
from collections.abc import Iterable, Sequence
from typing import Protocol

__all__ = ["CSL_COLUMNS", "CSL_SOURCES", "CslRecord", "csl_csv_text", "source_code"]

CSL_COLUMNS: tuple[str, ...] = (
    "_id", "source", "entity_number", "type", "programs", "name", "title", "addresses",
    "federal_register_notice", "start_date", "end_date", "standard_order",
    "license_requirement", "license_policy", "call_sign", "vessel_type", "gross_tonnage",
    "gross_registered_tonnage", "vessel_flag", "vessel_owner", "remarks", "source_list_url",
    "alt_names", "citizenships", "dates_of_birth", "nationalities", "places_of_birth",
    "source_information_url", "ids",
)

# abbreviation in the CSL source name -> our short code (trade.gov source codes, §3)
CSL_SOURCES: dict[str, str] = {
    "EL": "entity_list", "MEU": "meu", "SDN": "sdn", "DPL": "dpl", "UVL": "uvl", "ISN": "isn",
    "DTC": "itar_debarred", "SSI": "ssi", "PLC": "plc", "CMIC": "cmic", "CAP": "capta",
    "NS-MBS": "ns_mbs", "NS-MBS LIST": "ns_mbs", "FSE": "fse",
}
_ABBREV = re.compile(r"\(([A-Za-z][A-Za-z\- ]*?)\)")


class CslRecord(Protocol):
    """What the writer reads of a list entry (:class:`~.models.ListEntry` has it all)."""

    @property
    def id(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def source_name(self) -> str | None: ...
    @property
    def entity_type(self) -> str | None: ...
    @property
    def programs(self) -> Sequence[str]: ...
    @property
    def name(self) -> str: ...
    @property
    def published_name(self) -> str | None: ...
    @property
    def addresses(self) -> Sequence[str]: ...
    @property
    def federal_register_notice(self) -> str | None: ...
    @property
    def start_date(self) -> _dt.date | None: ...
    @property
    def license_requirement(self) -> str | None: ...
    @property
    def license_policy(self) -> str | None: ...
    @property
    def remarks(self) -> str | None: ...
    @property
    def aliases(self) -> Sequence[str]: ...
    @property
    def countries(self) -> Sequence[str]: ...
    @property
    def identifiers(self) -> Sequence[str]: ...


def source_code(source_name: str) -> str:
    """Short code for a CSL source name: ``"Entity List (EL) - Bureau ..."`` -> ``entity_list``.

    Also accepts the codes themselves (``"EL"``, ``"sdn"``). A list that is not known gets
    a code made from its name (lower case, ``_`` between words).

    >>> source_code("Capta List (CAP) - Treasury Department")
    'capta'
    """
    text = source_name.strip()
    upper = text.upper()
    if upper in CSL_SOURCES:
        return CSL_SOURCES[upper]
    if text in CSL_SOURCES.values():
        return text
    for abbrev in _ABBREV.findall(text):
        code = CSL_SOURCES.get(abbrev.upper().strip())
        if code:
            return code
    slug = re.sub(r"[^a-z0-9]+", "_", text.split(" - ")[0].lower()).strip("_")
    return slug or "unknown"


_SOURCE_NAMES = {
    "entity_list": "Entity List (EL) - Bureau of Industry and Security",
    "meu": "Military End User (MEU) List - Bureau of Industry and Security",
    "dpl": "Denied Persons List (DPL) - Bureau of Industry and Security",
    "uvl": "Unverified List (UVL) - Bureau of Industry and Security",
    "isn": "Nonproliferation Sanctions (ISN) - State Department",
    "itar_debarred": "ITAR Debarred (DTC) - State Department",
    "sdn": "Specially Designated Nationals (SDN) - Treasury Department",
    "ssi": "Sectoral Sanctions Identifications List (SSI) - Treasury Department",
    "plc": "Palestinian Legislative Council List (PLC) - Treasury Department",
    "cmic": "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - "
    "Treasury Department",
    "capta": "Capta List (CAP) - Treasury Department",
    "ns_mbs": "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department",
    "fse": "Foreign Sanctions Evaders (FSE) - Treasury Department",
}


def csl_csv_text(entries: Iterable[CslRecord]) -> str:
    """Write entries as a trade.gov CSL CSV (29 columns, ``"; "``-joined multi-values).

    The name is written as published (``published_name`` when set); countries go to
    ``nationalities``; fields the CSL has no column for (relations, notes) are not
    written. Reading the text back with :func:`parse_csl_csv` gives the same ids,
    sources, names and aliases.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")  # CRLF so a bare \r in a cell is quoted
    writer.writerow(CSL_COLUMNS)
    for e in entries:
        source = e.source_name if source_code(e.source_name or "") == e.source else (
            _SOURCE_NAMES.get(e.source, e.source))
        cells = {
            "_id": e.id, "source": source,
            "type": (e.entity_type or "").capitalize(),
            "programs": "; ".join(e.programs), "name": e.published_name or e.name,
            "addresses": "; ".join(e.addresses),
            "federal_register_notice": e.federal_register_notice or "",
            "start_date": e.start_date.isoformat() if e.start_date else "",
            "license_requirement": e.license_requirement or "",
            "license_policy": e.license_policy or "", "remarks": e.remarks or "",
            "alt_names": "; ".join(e.aliases), "nationalities": "; ".join(e.countries),
            "ids": "; ".join(e.identifiers),
        }
        writer.writerow([cells.get(c, "") for c in CSL_COLUMNS])
    return out.getvalue()
