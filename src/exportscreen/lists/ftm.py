"""OpenSanctions / FollowTheMoney (FtM) data: entity JSON lines and ``targets.simple.csv``.

**Entity JSON lines** (``entities.ftm.json``; https://www.opensanctions.org/docs/bulk/json):
one JSON object per line with ``id``, ``schema``, ``properties`` (every property a list of
strings: ``name``, ``alias``, ``weakAlias``, ``previousName``, ``country``,
``nationality``, ``jurisdiction``, ``address``, ``registrationNumber``, ``idNumber``,
``imoNumber``, ``program``, ...), ``datasets`` and ``referents`` (the source ids merged
into this entity). Only parties are screened: ``Person``, ``Company``, ``Organization``,
``LegalEntity``, ``PublicBody``, ``Vessel``, ``Airplane``; other schemas (``Sanction``,
``Address``, ``Ownership``, ...) are counted in a notice, not dropped silently.

**targets.simple.csv**: a header ``id,schema,name,aliases,birth_date,countries,addresses,
identifiers,sanctions,phones,emails,[program_ids,]dataset,first_seen,last_seen,
last_change``, multi-valued cells joined with ``;``, ``countries`` as lower-case ISO-2,
``dataset`` as the datasets' titles.

An entity in several datasets becomes one entry per dataset (the same ``id``, one
``source`` each), as the CSL does for an id on several lists, so an alert names every list
and each ownership rule sees the lists that seed it. A dataset's source code comes from
``knowledge/data/ownership/list_sources.json`` (``eu_fsf`` -> ``eu``, ...); a dataset not
mapped there keeps its own name as the code. The ``followthemoney`` package is not needed:
the export is plain JSON and only names, countries and identifiers are read.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..knowledge._files import read_shipped_json
from .clean import is_country_code
from .models import ListEntry, RejectedRecord
from .parsed import ParsedList, RecordError, csv_records, file_sha256, parse_date, record_failed

__all__ = ["SIMPLE_COLUMNS", "is_ftm_json_line", "is_targets_simple_header", "parse_ftm_json",
           "parse_targets_simple_csv"]

PARTY_SCHEMAS = {"Person": "individual", "Company": "entity", "Organization": "entity",
                 "LegalEntity": "entity", "PublicBody": "entity", "Vessel": "vessel",
                 "Airplane": "aircraft"}
SIMPLE_COLUMNS = ("id", "schema", "name", "aliases", "countries", "dataset")
_NAME_PROPS = ("alias", "weakAlias", "previousName", "abbreviation")
_COUNTRY_PROPS = ("country", "nationality", "citizenship", "jurisdiction", "flag")
_ID_PROPS = ("registrationNumber", "idNumber", "passportNumber", "taxNumber", "innCode",
             "ogrnCode", "leiCode", "swiftBic", "imoNumber", "mmsi", "icaoCode")


def is_ftm_json_line(line: bytes) -> bool:
    """True for a line that is an FtM entity object (``schema`` and ``properties``)."""
    try:
        obj = json.loads(line.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(obj, dict) and "schema" in obj and "properties" in obj


def is_targets_simple_header(header: list[str]) -> bool:
    return all(c in header for c in SIMPLE_COLUMNS)


def _dataset_sources() -> dict[str, str]:
    data = read_shipped_json("ownership", "list_sources.json")
    return {k.lower(): v for k, v in data.get("opensanctions_datasets", {}).items()}


def _source_of(dataset: str, table: Mapping[str, str]) -> str:
    key = " ".join(dataset.split()).lower()
    return table.get(key) or re.sub(r"[^a-z0-9]+", "_", key).strip("_") or "opensanctions"


def _entries_for(entity_id: str, schema: str, names: list[str], weak: list[str],
                 countries: list[str], addresses: list[str], identifiers: list[str],
                 programs: list[str], datasets: list[str], start: Any, remarks: str | None,
                 table: Mapping[str, str]) -> list[ListEntry]:
    clean = [" ".join(n.split()) for n in names if n and n.strip()]
    if not clean:
        raise RecordError("name", "the entity has no name")
    name = clean[0]
    codes = tuple(dict.fromkeys(c.upper() for c in countries if is_country_code(c.upper())))
    notes = [f"weak alias (FtM weakAlias): {w}" for w in weak]
    sources = list(dict.fromkeys(datasets)) or ["opensanctions"]
    if len(sources) > 1:
        notes.append(f"in datasets: {', '.join(sources)}")
    return [
        ListEntry.model_construct(
            id=entity_id, source=_source_of(d, table), source_name=d, name=name,
            aliases=tuple(dict.fromkeys(a for a in clean[1:] if a != name)),
            entity_type=PARTY_SCHEMAS.get(schema), countries=codes,
            addresses=tuple(dict.fromkeys(addresses)), programs=tuple(dict.fromkeys(programs)),
            license_requirement=None, license_policy=None, federal_register_notice=None,
            start_date=start, remarks=remarks, identifiers=tuple(dict.fromkeys(identifiers)),
            published_name=None, relations=(), notes=tuple(notes),
        )
        for d in sources
    ]


def _strings(properties: Mapping[str, Any], key: str) -> list[str]:
    value = properties.get(key, [])
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise RecordError(f"properties.{key}", "a property must be a list of strings")
    return [v for v in value if isinstance(v, str) and v.strip()]


def parse_ftm_json(path: Path, *, strict: bool = True) -> ParsedList:
    """Parse FtM entity JSON lines, one entity per line, reading line by line."""
    label = str(path)
    table = _dataset_sources()
    entries: list[ListEntry] = []
    rejected: list[RejectedRecord] = []
    skipped: dict[str, int] = {}
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", file=label) from None
    with fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                try:
                    obj = json.loads(raw.decode("utf-8-sig"))
                except UnicodeDecodeError as exc:
                    raise RecordError(None, f"not UTF-8 text at byte {exc.start}") from None
                except json.JSONDecodeError as exc:
                    raise RecordError(None, f"not valid JSON: {exc.msg}") from None
                if not isinstance(obj, dict) or not isinstance(obj.get("properties"), dict):
                    raise RecordError("properties", "not an FtM entity (no properties object)")
                entity_id = str(obj.get("id") or "").strip()
                if not entity_id:
                    raise RecordError("id", "the entity has no id")
                schema = str(obj.get("schema") or "")
                if schema not in PARTY_SCHEMAS:
                    skipped[schema or "(none)"] = skipped.get(schema or "(none)", 0) + 1
                    continue
                props = obj["properties"]
                names = _strings(props, "name")
                for key in ("alias", "previousName", "abbreviation"):
                    names.extend(_strings(props, key))
                weak = _strings(props, "weakAlias")
                countries = [c for k in _COUNTRY_PROPS for c in _strings(props, k)]
                identifiers = [f"{k} {v}" for k in _ID_PROPS for v in _strings(props, k)]
                starts = sorted(_strings(props, "createdAt") + _strings(props, "listingDate"))
                datasets = obj.get("datasets") or []
                if not isinstance(datasets, list):
                    raise RecordError("datasets", "datasets must be a list")
                notes_text = "; ".join(_strings(props, "notes")) or None
                entries.extend(_entries_for(
                    entity_id, schema, names + weak, weak, countries,
                    _strings(props, "address"), identifiers, _strings(props, "program"),
                    [str(d) for d in datasets], None if not starts else
                    _maybe_date(starts[0]), notes_text, table))
            except RecordError as exc:
                record_failed(exc, strict=strict, label=label, number=number,
                              what="entity", rejected=rejected,
                              raw=raw.decode("utf-8", "replace"))
    notices = [f"{count} {schema} entit{'y' if count == 1 else 'ies'} not screened: the "
               f"schema is not a party (Person, Company, Organization, ...)"
               for schema, count in sorted(skipped.items())]
    return ParsedList(entries=entries, rejected=rejected, notices=notices,
                      sha256=file_sha256(path), title="OpenSanctions / FollowTheMoney entities",
                      label=label)


def _maybe_date(text: str) -> Any:
    try:
        return parse_date(text, "date") if len(text) >= 10 else None
    except RecordError:
        return None


def parse_targets_simple_csv(path: Path, *, strict: bool = True) -> ParsedList:
    """Parse OpenSanctions ``targets.simple.csv``; rows numbered with the header as row 1."""
    label = str(path)
    table = _dataset_sources()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", file=label) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text at byte {exc.start}", file=label) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    if not is_targets_simple_header(header):
        missing = [c for c in SIMPLE_COLUMNS if c not in header]
        raise InputError(f"not an OpenSanctions targets.simple.csv: the header lacks "
                         f"{', '.join(missing)}", file=label, row=1)
    entries: list[ListEntry] = []
    rejected: list[RejectedRecord] = []
    skipped: dict[str, int] = {}
    for line, cells in csv_records(reader, label):
        row = dict(zip(header, cells, strict=False))
        try:
            if len(cells) != len(header):
                raise RecordError(None, f"{len(cells)} cells where the header has "
                                        f"{len(header)}")
            entity_id = row["id"].strip()
            if not entity_id:
                raise RecordError("id", "the row has no id")
            schema = row["schema"].strip()
            if schema not in PARTY_SCHEMAS:
                skipped[schema or "(none)"] = skipped.get(schema or "(none)", 0) + 1
                continue

            def multi(column: str, row: dict[str, str] = row) -> list[str]:
                return [v.strip() for v in row.get(column, "").split(";") if v.strip()]

            names = [row["name"], *multi("aliases")]
            sanctions = multi("sanctions")
            programs = multi("program_ids")
            entries.extend(_entries_for(
                entity_id, schema, names, [], multi("countries"), multi("addresses"),
                multi("identifiers"), programs, multi("dataset"), None,
                "; ".join(sanctions) or None, table))
        except RecordError as exc:
            record_failed(exc, strict=strict, label=label, number=line,
                          what=f"row {row.get('id') or '?'}", rejected=rejected,
                          raw=",".join(cells))
    notices = [f"{count} {schema} row{'' if count == 1 else 's'} not screened: the schema "
               f"is not a party (Person, Company, Organization, ...)"
               for schema, count in sorted(skipped.items())]
    return ParsedList(entries=entries, rejected=rejected, notices=notices,
                      sha256=file_sha256(path), title="OpenSanctions targets.simple.csv",
                      label=label)
