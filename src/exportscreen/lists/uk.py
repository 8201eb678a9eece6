"""The UK HM Treasury / OFSI Consolidated List of financial sanctions targets (``ConList.csv``).

Layout (shared/data/SOURCES.md §7): a first line ``Last Updated,DD/MM/YYYY,...``, then the
header ``Name 6,Name 1,...,Name 5,Title,Name Non-Latin Script,...,Nationality,Passport
Number,...,Address 1,...,Address 6,Post/Zip Code,Country,Other Information,Group Type,Alias
Type,Alias Quality,Regime,Listed On,...,Group ID``. There is one row per *name*: the rows of
one target share a ``Group ID`` and repeat its other details.

Mapping: one entry per Group ID (the entry id), in the order the groups first appear. A
name is ``Name 1`` .. ``Name 5`` (given names) followed by ``Name 6`` (surname, or an
entity's whole name). The target's name is its first ``Prime Alias`` row, else its first
row; the other names, and names in non-Latin script, are aliases. ``Alias Quality`` ``Low``
aliases are screened and named in ``notes``. A "UN Ref" in Other Information goes to
``identifiers``. Rows are numbered as a spreadsheet shows them (the date line is row 1).
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
from pathlib import Path
from typing import Any

from ..errors import InputError
from .clean import country_code
from .models import ListEntry, RejectedRecord
from .parsed import ParsedList, RecordError, csv_records, file_sha256

__all__ = ["is_ofsi_header", "parse_ofsi_csv"]

SOURCE = "uk"
SOURCE_NAME = "UK OFSI Consolidated List of Financial Sanctions Targets"
NAME_COLUMNS = ("Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Name 6")
REQUIRED = ("Name 6", "Group Type", "Group ID")
ADDRESS_COLUMNS = ("Address 1", "Address 2", "Address 3", "Address 4", "Address 5",
                   "Address 6", "Post/Zip Code", "Country")
_TYPES = {"individual": "individual", "entity": "entity", "ship": "vessel"}
_UN_REF = re.compile(r"\bUN Ref\s+([A-Za-z]{2,3}\.\d+)")


def is_ofsi_header(first_lines: str) -> bool:
    """True when the text starts like an OFSI ConList CSV (date line or header)."""
    head = first_lines.lstrip("\ufeff")
    return head.startswith("Last Updated,") or ("Group ID" in head and "Name 6" in head)


def _date(text: str, column: str) -> _dt.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return _dt.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise RecordError(column, f"not a date in the form DD/MM/YYYY: {text!r}") from None


def _decode(raw: bytes, label: str, notices: list[str]) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        notices.append(f"not UTF-8 (byte {exc.start}): read as Windows-1252")
        return raw.decode("cp1252", errors="replace")


def parse_ofsi_csv(path: Path, *, strict: bool = True) -> ParsedList:
    """Parse an OFSI ConList CSV: one entry per Group ID."""
    label = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", file=label) from None
    notices: list[str] = []
    text = _decode(raw, label, notices)
    reader = csv.reader(io.StringIO(text, newline=""))
    snapshot: _dt.date | None = None
    header: list[str] | None = None
    try:
        for cells in reader:
            if cells and cells[0].strip() == "Last Updated":
                try:
                    snapshot = _date(cells[1] if len(cells) > 1 else "", "Last Updated")
                except RecordError as exc:
                    notices.append(exc.reason)
                continue
            header = [c.strip() for c in cells]
            break
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", file=label, row=reader.line_num) from None
    if header is None or any(c not in header for c in REQUIRED):
        missing = [c for c in REQUIRED if header is None or c not in header]
        raise InputError(f"not an OFSI Consolidated List CSV: the header lacks "
                         f"{', '.join(missing)}", file=label, row=reader.line_num or 1)
    groups: dict[str, dict[str, Any]] = {}
    rejected: list[RejectedRecord] = []
    for line, cells in csv_records(reader, label):
        row = dict(zip(header, (c.strip() for c in cells), strict=False))
        try:
            if len(cells) != len(header):
                raise RecordError(None, f"{len(cells)} cells where the header has "
                                        f"{len(header)}")
            group_id = row.get("Group ID", "")
            if not group_id:
                raise RecordError("Group ID", "the row has no Group ID")
            name = " ".join(" ".join(row.get(c, "").split()) for c in NAME_COLUMNS
                            if row.get(c, "").strip())
            if not name:
                raise RecordError("Name 6", "the row has no name")
            listed = _date(row.get("Listed On", ""), "Listed On")
        except RecordError as exc:
            reason = f"row of group {row.get('Group ID') or '?'}: {exc.reason}"
            if strict:
                raise InputError(reason + " (load with strict=False to report bad rows and "
                                 "keep the rest)", file=label, row=line,
                                 column=exc.column) from None
            rejected.append(RejectedRecord(file=label, line=line, column=exc.column,
                                           reason=reason, raw=",".join(cells)[:300]))
            continue
        group = groups.setdefault(group_id, {"rows": [], "lines": []})
        group["rows"].append((row, name, listed))
        group["lines"].append(line)
    entries = [_entry(group_id, g["rows"]) for group_id, g in groups.items()]
    return ParsedList(entries=entries, rejected=rejected, notices=notices,
                      sha256=file_sha256(path), title=SOURCE_NAME, label=label,
                      snapshot_date=snapshot)


def _entry(group_id: str, rows: list[tuple[dict[str, str], str, _dt.date | None]]) -> ListEntry:
    prime = next((r for r in rows if r[0].get("Alias Type", "").lower() == "prime alias"),
                 rows[0])
    first = prime[0]
    name = prime[1]
    aliases: dict[str, None] = {}
    low: dict[str, None] = {}
    countries: dict[str, None] = {}
    addresses: dict[str, None] = {}
    identifiers: dict[str, None] = {}
    programs: dict[str, None] = {}
    remarks: dict[str, None] = {}
    dates = [d for _, _, d in rows if d is not None]
    for row, row_name, _ in rows:
        if row_name != name:
            aliases.setdefault(row_name, None)
            if row.get("Alias Quality", "").lower() == "low":
                low.setdefault(row_name, None)
        if script := row.get("Name Non-Latin Script", ""):
            aliases.setdefault(" ".join(script.split()), None)
        for column in ("Nationality", "Country"):
            value = re.sub(r"\(.*?\)", "", row.get(column, "")).strip()
            if value and (code := country_code(value)):
                countries.setdefault(code, None)
        address = ", ".join(row[c] for c in ADDRESS_COLUMNS if row.get(c))
        if address:
            addresses.setdefault(address, None)
        for column, kind in (("Passport Number", "Passport"),
                             ("National Identification Number", "National ID")):
            if row.get(column):
                identifiers.setdefault(f"{kind} {row[column]}", None)
        other = row.get("Other Information", "")
        if other:
            remarks.setdefault(other, None)
            for ref in _UN_REF.findall(other):
                identifiers.setdefault(f"UN reference {ref}", None)
        if row.get("Regime"):
            programs.setdefault(row["Regime"], None)
    group_type = first.get("Group Type", "").lower()
    return ListEntry.model_construct(
        id=group_id, source=SOURCE, source_name=SOURCE_NAME, name=name,
        aliases=tuple(aliases), entity_type=_TYPES.get(group_type, group_type or None),
        countries=tuple(countries), addresses=tuple(addresses), programs=tuple(programs),
        license_requirement=None, license_policy=None, federal_register_notice=None,
        start_date=min(dates) if dates else None, remarks="; ".join(remarks) or None,
        identifiers=tuple(identifiers), published_name=None, relations=(),
        notes=tuple(f"low-quality alias (OFSI Alias Quality 'Low'): {a}" for a in low),
    )
