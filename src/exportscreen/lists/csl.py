"""The trade.gov Consolidated Screening List (CSL): CSV and JSON.

Format (research/anchors-screening.md §3): 29 columns, ``_id, source, entity_number,
type, programs, name, title, addresses, federal_register_notice, start_date, end_date,
standard_order, license_requirement, license_policy, call_sign, vessel_type,
gross_tonnage, gross_registered_tonnage, vessel_flag, vessel_owner, remarks,
source_list_url, alt_names, citizenships, dates_of_birth, nationalities,
places_of_birth, source_information_url, ids``; multi-valued fields are joined with
``"; "``. The JSON download (``{"results": [...]}``) has the same keys with lists for
multi-valued fields and address objects.

One OFAC id can sit on several CSL lists (SDN and SSI, say): each is its own entry,
unique on ``(source, id)``.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import InputError
from .clean import (
    clean_alias,
    clean_name,
    country_code,
    country_codes_in_address,
    repair_mojibake,
    split_multi,
)
from .csl_format import CSL_COLUMNS, CSL_SOURCES, csl_csv_text, source_code
from .models import ListEntry, RejectedRecord

__all__ = ["CSL_COLUMNS", "CSL_SOURCES", "RecordError", "csl_csv_text", "entry_from_csl",
           "parse_csl_csv", "parse_csl_json", "source_code"]

REQUIRED_COLUMNS = ("source", "name")

# lists whose names carry relation text; OFAC names are published with aliases apart
_CLEANED_SOURCES = frozenset({"entity_list", "meu", "uvl", "dpl", "isn", "itar_debarred"})
_TYPES = {"individual": "individual", "entity": "entity", "vessel": "vessel",
          "aircraft": "aircraft"}


class RecordError(Exception):
    """A record that cannot be used: the column and why. Loaders add file and row."""

    def __init__(self, column: str | None, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


def parse_date(text: str, column: str) -> _dt.date | None:
    """An ISO date (first 10 characters), ``None`` for empty; RecordError otherwise."""
    text = text.strip()
    if not text:
        return None
    try:
        return _dt.date.fromisoformat(text[:10])
    except ValueError:
        raise RecordError(column, f"not a date in the form YYYY-MM-DD: {text!r}") from None


def _text(value: str) -> str | None:
    value = " ".join(value.split())
    return value or None


def entry_from_csl(row: Mapping[str, str]) -> ListEntry:
    """Build a :class:`ListEntry` from one CSL record (CSV cells as text).

    Raises :class:`RecordError` naming the column when the record cannot be used.
    """
    entry_id = row.get("_id", "").strip() or row.get("id", "").strip()
    if not entry_id:
        entry_id = row.get("entity_number", "").strip()
    if not entry_id:
        raise RecordError("_id", "the record has no id (_id)")
    source_name = " ".join(row.get("source", "").split())
    if not source_name:
        raise RecordError("source", "the record names no source list")
    source = source_code(source_name)
    try:
        "".join(row.values()).encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: bytes that were not UTF-8
        column = next(k for k, v in row.items() if any("\udc80" <= ch <= "\udcff" for ch in v))
        raise RecordError(column, "bytes that are not UTF-8 in this cell") from None
    published = row.get("name", "").strip()
    if not published:
        raise RecordError("name", "the record has no name")
    notes: list[str] = []
    name, fixes = repair_mojibake(" ".join(published.split()))
    notes.extend(f"name: {n}" for n in fixes)
    aliases: list[str] = []
    relations: list[str] = []
    if source in _CLEANED_SOURCES:
        cleaned = clean_name(name)
        name = cleaned.name
        aliases.extend(cleaned.aliases)
        relations.extend(cleaned.relations)
        notes.extend(f"name: {n}" for n in cleaned.notes)
    for raw in split_multi(row.get("alt_names", "")):
        alias, fixes = repair_mojibake(clean_alias(raw))
        notes.extend(f"alias: {n}" for n in fixes)
        if alias:
            aliases.append(alias)
    seen: dict[str, None] = {}
    for alias in aliases:
        if alias != name:
            seen.setdefault(alias, None)
    addresses: list[str] = []
    countries: dict[str, None] = {}
    for raw in split_multi(row.get("addresses", "")):
        address, fixes = repair_mojibake(raw)
        addresses.append(address)
        code = country_codes_in_address(address)
        if code:
            countries.setdefault(code, None)
    for column in ("citizenships", "nationalities"):
        for raw in split_multi(row.get(column, "")):
            code = country_code(raw)
            if code:
                countries.setdefault(code, None)
    kind = row.get("type", "").strip().lower()
    entry_type = _TYPES.get(kind, kind or None)
    if source in {"entity_list", "meu", "uvl", "cmic"} and entry_type is None:
        entry_type = None  # these lists do not say; the name matcher infers it when it needs to
    start = parse_date(row.get("start_date", ""), "start_date")
    remarks = _text(row.get("remarks", ""))
    title = _text(row.get("title", ""))
    if title:
        remarks = f"{remarks}; title: {title}" if remarks else f"title: {title}"
    return ListEntry.model_construct(
        id=entry_id,
        source=source,
        source_name=source_name,
        name=name,
        aliases=tuple(seen),
        entity_type=entry_type,
        countries=tuple(countries),
        addresses=tuple(addresses),
        programs=split_multi(row.get("programs", "")),
        license_requirement=_text(row.get("license_requirement", "")),
        license_policy=_text(row.get("license_policy", "")),
        federal_register_notice=_text(row.get("federal_register_notice", "")),
        start_date=start,
        remarks=remarks,
        identifiers=split_multi(row.get("ids", "")),
        published_name=published if name != published else None,
        relations=tuple(relations),
        notes=tuple(notes),
    )


def _collect(
    records: Iterable[tuple[int, Mapping[str, str], str]],
    label: str,
    strict: bool,
    row_word: str = "row",
) -> tuple[list[ListEntry], list[RejectedRecord], list[str]]:
    entries: list[ListEntry] = []
    rejected: list[RejectedRecord] = []
    seen: dict[tuple[str, str], list[int]] = {}
    for number, record, raw in records:
        try:
            entry = entry_from_csl(record)
        except RecordError as exc:
            if strict:
                raise InputError(exc.reason, file=label, row=number, column=exc.column) from None
            rejected.append(RejectedRecord(file=label, line=number, column=exc.column,
                                           reason=exc.reason, raw=raw[:300]))
            continue
        seen.setdefault(entry.key, []).append(number)
        entries.append(entry)
    return entries, rejected, duplicate_notices(seen, row_word)


def duplicate_notices(seen: Mapping[tuple[str, str], list[int]], row_word: str) -> list[str]:
    """Notices for ids that repeat on one list; the records are kept (the CSL has such)."""
    notices = []
    for (source, entry_id), numbers in sorted(seen.items()):
        if len(numbers) > 1:
            where = ", ".join(str(n) for n in numbers)
            notices.append(
                f"id {entry_id!r} appears {len(numbers)} times on list {source!r} "
                f"({row_word}s {where}); all records are kept"
            )
    return notices


def parse_csl_csv(
    data: bytes, label: str, *, strict: bool = True
) -> tuple[list[ListEntry], list[RejectedRecord], list[str]]:
    """Parse CSL CSV bytes. Rows are numbered as a spreadsheet shows them (header = 1).

    Raises :class:`InputError` for a file that is not a CSL CSV at all (no header with
    ``source`` and ``name``), and in strict mode for the first bad record.
    """
    text = data.decode("utf-8-sig", errors="surrogateescape")
    if "\x00" in text[:4096]:
        raise InputError("not a text file (NUL bytes): is it compressed or binary?", file=label)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("the file is empty (no header row)", file=label) from None
    except csv.Error as exc:
        raise InputError(f"not a well-formed CSV header: {exc}", file=label, row=1) from None
    header = [h.strip() for h in header]
    own = "source" not in header and "name" in header
    notices: list[str] = []
    if own:
        for column in OWN_REQUIRED:
            if column not in header:
                raise InputError(
                    "missing required column of an own list (id, name; optional "
                    f"{', '.join(OWN_OPTIONAL)}) (columns found: {', '.join(header[:12])})",
                    file=label, row=1, column=column,
                )
        unused = [h for h in header if h not in OWN_REQUIRED and h not in OWN_OPTIONAL]
        if unused:
            notices.append(f"columns not used by exportscreen: {', '.join(unused)}")
    for column in () if own else REQUIRED_COLUMNS:
        if column not in header:
            raise InputError(
                "missing required column of a Consolidated Screening List CSV "
                f"(columns found: {', '.join(header[:12]) or 'none'}); an own list needs "
                "at least the columns id and name",
                file=label, row=1, column=column,
            )
    if not own and "_id" not in header and "id" not in header and "entity_number" not in header:
        raise InputError("missing the id column", file=label, row=1, column="_id")
    width = len(header)

    def records() -> Iterable[tuple[int, Mapping[str, str], str]]:
        number = 1
        while True:
            number += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if strict:
                    raise InputError(f"malformed CSV: {exc}", file=label, row=number) from None
                yield number, {}, f"<malformed CSV: {exc}>"
                return
            if not cells or cells == [""]:
                continue
            raw = ",".join(cells)
            if len(cells) != width:
                yield number, {"__width__": str(len(cells))}, raw
                continue
            record = dict(zip(header, cells, strict=True))
            if own:
                try:
                    record = own_to_csl(record)
                except RecordError as exc:
                    yield number, _BadRecord(exc.reason, exc.column), raw
                    continue
            yield number, record, raw

    def checked() -> Iterable[tuple[int, Mapping[str, str], str]]:
        for number, record, raw in records():
            if "__width__" in record:
                reason = f"{record['__width__']} cells where the header has {width}"
                if strict:
                    raise InputError(reason, file=label, row=number)
                yield number, {"_id": "", "source": "", "name": "", "__bad__": reason}, raw
                continue
            if isinstance(record, _BadRecord):
                yield number, record, raw
                continue
            if not record:
                yield number, {"_id": "", "source": "", "name": "", "__bad__": raw}, raw
                continue
            yield number, record, raw

    entries, rejected, more = _collect(_fix_reasons(checked()), label, strict)
    return entries, rejected, notices + more


def _fix_reasons(
    records: Iterable[tuple[int, Mapping[str, str], str]],
) -> Iterable[tuple[int, Mapping[str, str], str]]:
    # records flagged as structurally bad keep their own reason through entry_from_csl
    for number, record, raw in records:
        if "__bad__" in record:
            yield number, _BadRecord(record["__bad__"]), raw
        else:
            yield number, record, raw


class _BadRecord(dict[str, str]):
    """A record that failed before field parsing; ``entry_from_csl`` reports its reason."""

    def __init__(self, reason: str, column: str | None = None) -> None:
        super().__init__()
        self.reason = reason
        self.column = column

    def get(self, key: str, default: Any = None) -> Any:
        raise RecordError(self.column, self.reason)


# ---------------------------------------------------------------- own lists

OWN_REQUIRED = ("id", "name")
OWN_OPTIONAL = (
    "list", "aliases", "entity_type", "type", "country", "countries", "address", "addresses",
    "programs", "license_requirement", "license_policy", "federal_register_notice",
    "start_date", "remarks",
)


def own_to_csl(row: Mapping[str, str]) -> dict[str, str]:
    """A row of a user's own list as a CSL record.

    Own lists are CSV files with ``id`` and ``name`` and optionally ``list`` (the source
    code, default ``own``), ``aliases`` and ``programs`` (``;``-separated), ``country`` /
    ``countries`` (ISO 3166 alpha-2 codes or country names, ``;``-separated),
    ``entity_type`` / ``type``, ``address`` / ``addresses``, ``license_requirement``,
    ``license_policy``, ``federal_register_notice``, ``start_date`` (YYYY-MM-DD) and
    ``remarks``. A country that is not a known code or name is an error in that column.
    """
    if not row.get("id", "").strip():
        raise RecordError("id", "the record has no id")  # the own list's column, not CSL _id
    countries: list[str] = []
    for column in ("country", "countries"):
        for value in split_multi(row.get(column, "")):
            code = country_code(value)
            if code is None:
                raise RecordError(column, f"not an ISO 3166 country code or name: {value!r}")
            countries.append(code)
    return {
        "_id": row.get("id", ""),
        "source": row.get("list", "").strip() or "own",
        "name": row.get("name", ""),
        "alt_names": row.get("aliases", ""),
        "type": row.get("entity_type", "") or row.get("type", ""),
        "addresses": row.get("addresses", "") or row.get("address", ""),
        "nationalities": "; ".join(countries),
        "programs": row.get("programs", ""),
        "license_requirement": row.get("license_requirement", ""),
        "license_policy": row.get("license_policy", ""),
        "federal_register_notice": row.get("federal_register_notice", ""),
        "start_date": row.get("start_date", ""),
        "remarks": row.get("remarks", ""),
    }


def _join_json(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "; ".join(p for p in (_join_json(v) for v in value) if p)
    if isinstance(value, dict):
        if "number" in value:  # ids: {"type", "number", "country", "issue_date", ...}
            parts = [value.get(k) for k in ("country", "number", "type")]
        else:  # addresses: {"address", "city", "state", "postal_code", "country"}
            parts = [value.get(k) for k in ("address", "city", "state", "postal_code", "country")]
        return ", ".join(str(p).strip() for p in parts if p not in (None, ""))
    raise RecordError(None, f"unexpected JSON value {value!r}")


def parse_csl_json(
    document: Any, label: str, *, strict: bool = True
) -> tuple[list[ListEntry], list[RejectedRecord], list[str]]:
    """Parse the CSL JSON shape: ``{"results": [...]}`` or a plain list of records.

    Records are numbered from 1 in the order they appear.
    """
    if isinstance(document, dict):
        if "results" not in document or not isinstance(document["results"], list):
            raise InputError("a CSL JSON object needs a 'results' list", file=label,
                             column="results")
        results = document["results"]
    elif isinstance(document, list):
        results = document
    else:
        raise InputError("expected a JSON object with 'results' or a list of records",
                         file=label)

    def records() -> Iterable[tuple[int, Mapping[str, str], str]]:
        for number, item in enumerate(results, start=1):
            raw = repr(item)[:300]
            if not isinstance(item, dict):
                yield number, _BadRecord(f"record is a {type(item).__name__}, not an object"), raw
                continue
            try:
                record = {str(k): _join_json(v) for k, v in item.items()}
            except RecordError as exc:
                yield number, _BadRecord(exc.reason), raw
                continue
            if "_id" not in record and "id" in record:
                record["_id"] = record["id"]
            yield number, record, raw

    return _collect(records(), label, strict, row_word="record")




