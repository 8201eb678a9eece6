"""OFAC lists: the legacy CSV sets and the enhanced XML (SDN_ENHANCED / CONS_ENHANCED).

Legacy CSV (OFAC ``dat_spec.txt``; shared/data/SOURCES.md §2): no header row; ``-0-``
(often ``"-0- "``) means empty; CRLF line ends; the file ends with an EOF byte 0x1A on
its own line, which is skipped. Files and columns:

* ``sdn.csv`` / ``cons_prim.csv``: ent_num, name, type, programs, title, call_sign,
  vessel_type, tonnage, GRT, vessel_flag, vessel_owner, remarks;
* ``add.csv`` / ``cons_add.csv``: ent_num, add_num, address, city/state/postal, country,
  add_remarks;
* ``alt.csv`` / ``cons_alt.csv``: ent_num, alt_num, alt_type, alt_name, alt_remarks;
* ``sdn_comments.csv`` / ``cons_comments.csv``: ent_num, remarks overflow (appended to
  the entry's remarks as is: OFAC splits the text mid-word).

Several programs are written ``"SDGT] [IFSR"`` (the brackets of ``[SDGT] [IFSR]`` with
the outer ones removed). OFAC leaves the type of entities blank: a blank type is read
as ``entity``.

Enhanced XML (``https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/
exports/ENHANCED_XML``) is parsed with defusedxml (no entity expansion, no external
references), streaming entity by entity. Each ``<entity>`` is one entry; its list is
the most restrictive of its ``<sanctionsList>`` elements (the others are recorded in
``notes``), ``start_date`` is that list's ``datePublished``, and relationships
("Owned or Controlled By: X") go to ``relations``.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from .clean import country_code, repair_mojibake
from .csl import RecordError, duplicate_notices
from .models import SOURCE_PRIORITY, ListEntry, RejectedRecord
from .parsed import ParsedList
from .unpack import XmlElementCounter, open_zip_member

__all__ = ["OfacResult", "parse_ofac_csv", "parse_ofac_xml"]

EMPTY = "-0-"
SDN_COLUMNS = ("ent_num", "name", "type", "programs", "title", "call_sign", "vessel_type",
               "tonnage", "grt", "vessel_flag", "vessel_owner", "remarks")
ADD_COLUMNS = ("ent_num", "add_num", "address", "city_state_postal", "country", "add_remarks")
ALT_COLUMNS = ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks")
COMMENT_COLUMNS = ("ent_num", "remarks")
SETS = {
    "sdn": ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"),
    "cons": ("cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv"),
}
# programs that name exactly one non-SDN list (OFAC program tags)
CONS_PROGRAM_SOURCES = {"NS-PLC": "plc", "CMIC-EO13959": "cmic"}
# <sanctionsList> names in the enhanced XML -> source codes
XML_LISTS = {
    "SDN List": "sdn",
    "Sectoral Sanctions Identifications List": "ssi",
    "Non-SDN Palestinian Legislative Council List": "plc",
    "Non-SDN CMIC List": "cmic",
    "Non-SDN Menu-Based Sanctions List": "ns_mbs",
    "CAPTA List": "capta",
    "FSE List": "fse",
    "Consolidated List": "ofac_cons",
}
_NATIONALITY = re.compile(r"\b(?:nationality|citizen)\s+([A-Z][A-Za-z ,.'-]+?)(?=;|\.(?:\s|$)|$)")


# the result of every list reader (one dataclass: parsed.ParsedList)
OfacResult = ParsedList


def _value(cell: str) -> str:
    cell = cell.strip()
    return "" if cell == EMPTY else cell


def _read_rows(path: Path, width: int, strict: bool,
               rejected: list[RejectedRecord], kind: str) -> Iterator[tuple[int, list[str]]]:
    """Rows of a legacy OFAC CSV as (line number, cells); bad rows are raised or rejected."""
    label = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", file=label) from None
    text = raw.decode("utf-8-sig", errors="surrogateescape")
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"malformed CSV: {exc}", file=label, row=reader.line_num) from None
        line = reader.line_num
        if not cells or cells == [""] or cells == ["\x1a"]:
            continue  # blank line, or the EOF byte OFAC writes on its own last line
        problem = None
        column = None
        if len(cells) != width:
            problem = f"{len(cells)} cells where OFAC's format has {width}"
        elif any("\udc80" <= ch <= "\udcff" for c in cells for ch in c):
            problem = "bytes that are not UTF-8 in this row"
        elif not cells[0].strip().isdigit():
            column = "ent_num"
            problem = (f"ent_num must be a whole number, found {cells[0].strip()!r}"
                       if cells[0].strip() else "the row has no ent_num")
        if problem:
            if strict:
                raise InputError(problem + " (load with strict=False to report bad rows and "
                                 "keep the rest)", file=label, row=line, column=column)
            rejected.append(RejectedRecord(file=label, line=line, column=column, reason=problem,
                                           raw=",".join(cells)[:300], record_type=kind))
            continue
        yield line, cells


def _split_programs(text: str) -> tuple[str, ...]:
    parts = re.split(r"\]\s*\[|;", text)
    return tuple(p for p in (x.strip(" []") for x in parts) if p)


def parse_ofac_csv(path: Path, *, strict: bool = True) -> OfacResult:
    """Parse an OFAC legacy CSV set: a folder, or its ``sdn.csv`` / ``cons_prim.csv``."""
    folder = path if path.is_dir() else path.parent
    names = {p.name.lower(): p for p in folder.iterdir()} if folder.is_dir() else {}
    if path.is_dir():
        kind = "sdn" if "sdn.csv" in names else "cons" if "cons_prim.csv" in names else None
    else:
        kind = "cons" if path.name.lower().startswith("cons") else "sdn"
    if kind is None or SETS[kind][0] not in names:
        raise InputError("no sdn.csv or cons_prim.csv in the folder", file=str(path))
    prim_name, add_name, alt_name, com_name = SETS[kind]
    prim = names[prim_name]
    digest = hashlib.sha256()
    files = [n for n in SETS[kind] if n in names]
    for n in files:
        digest.update(n.encode() + b"\0" + names[n].read_bytes() + b"\0")
    rejected: list[RejectedRecord] = []
    notices: list[str] = []
    base: dict[str, dict[str, Any]] = {}
    lines: dict[str, int] = {}
    seen: dict[tuple[str, str], list[int]] = {}
    for line, cells in _read_rows(prim, len(SDN_COLUMNS), strict, rejected, "entry"):
        row = dict(zip(SDN_COLUMNS, (_value(c) for c in cells), strict=True))
        ent = row["ent_num"]
        try:
            if not row["name"]:
                raise RecordError("name", "the row has no name")
            if ent in base:
                raise RecordError("ent_num", f"ent_num {ent} repeats (first at line {lines[ent]})")
        except RecordError as exc:
            if strict:
                raise InputError(exc.reason, file=str(prim), row=line, column=exc.column) from None
            rejected.append(RejectedRecord(file=str(prim), line=line, column=exc.column,
                                           reason=exc.reason, raw=",".join(cells)[:300]))
            continue
        lines[ent] = line
        base[ent] = {"row": row, "aliases": [], "addresses": [], "countries": {},
                     "comments": []}
    companions = ((add_name, ADD_COLUMNS, "address"), (alt_name, ALT_COLUMNS, "alias"),
                  (com_name, COMMENT_COLUMNS, "comment"))
    for fname, columns, rtype in companions:
        if fname not in names:
            notices.append(f"{fname} is not in {folder}: entries have no {rtype}es from it"
                           if rtype == "address" else
                           f"{fname} is not in {folder}: entries have no {rtype}s from it")
            continue
        fpath = names[fname]
        for line, cells in _read_rows(fpath, len(columns), strict, rejected, rtype):
            row = dict(zip(columns, (_value(c) for c in cells), strict=True))
            target = base.get(row["ent_num"])
            if target is None:
                reason = f"ent_num {row['ent_num']} is not in {prim_name}"
                if strict:
                    raise InputError(reason, file=str(fpath), row=line, column="ent_num")
                rejected.append(RejectedRecord(file=str(fpath), line=line, column="ent_num",
                                               reason=reason, raw=",".join(cells)[:300],
                                               record_type=rtype))
                continue
            if rtype == "alias":
                if row["alt_name"]:
                    target["aliases"].append(row["alt_name"])
            elif rtype == "address":
                parts = [row["address"], row["city_state_postal"], row["country"]]
                text = ", ".join(p for p in parts if p)
                if text:
                    target["addresses"].append(text)
                code = country_code(row["country"]) if row["country"] else None
                if code:
                    target["countries"].setdefault(code, None)
                elif row["country"]:
                    target.setdefault("unmapped", []).append(row["country"])
            else:
                target["comments"].append(cells[1])  # overflow text, not stripped
    entries: list[ListEntry] = []
    for ent, data in base.items():
        row = data["row"]
        programs = _split_programs(row["programs"])
        if kind == "sdn":
            source, source_name = "sdn", "Specially Designated Nationals (SDN) - OFAC"
        else:
            source = next((CONS_PROGRAM_SOURCES[p] for p in programs
                           if p in CONS_PROGRAM_SOURCES), "ofac_cons")
            source_name = "OFAC Consolidated (non-SDN) Sanctions List"
        remarks = row["remarks"] + "".join(data["comments"])
        notes: list[str] = []
        name, fixes = repair_mojibake(row["name"])
        notes.extend(f"name: {n}" for n in fixes)
        countries: dict[str, None] = dict(data["countries"])
        for match in _NATIONALITY.finditer(remarks):
            code = country_code(match.group(1))
            if code:
                countries.setdefault(code, None)
        for country in data.get("unmapped", []):
            notes.append(f"country {country!r} has no single ISO 3166 code: kept in the address")
        identifiers = tuple(
            f"{label} {row[key]}" for key, label in
            (("call_sign", "Call Sign"), ("vessel_type", "Vessel Type"),
             ("vessel_flag", "Vessel Flag"), ("vessel_owner", "Vessel Owner"),
             ("tonnage", "Tonnage"), ("grt", "GRT")) if row[key]
        )
        if row["title"]:
            remarks = f"{remarks}; title: {row['title']}" if remarks else f"title: {row['title']}"
        aliases = tuple(dict.fromkeys(a for a in data["aliases"] if a != name))
        seen.setdefault((source, ent), []).append(lines[ent])
        entries.append(ListEntry.model_construct(
            id=ent, source=source, source_name=source_name, name=name, aliases=aliases,
            entity_type=row["type"].lower() or "entity", countries=tuple(countries),
            addresses=tuple(data["addresses"]), programs=programs, license_requirement=None,
            license_policy=None, federal_register_notice=None, start_date=None,
            remarks=remarks or None, identifiers=identifiers,
            published_name=row["name"] if name != row["name"] else None, relations=(),
            notes=tuple(notes),
        ))
    notices.extend(duplicate_notices(seen, "line"))
    title = ("OFAC Specially Designated Nationals list (legacy CSV)" if kind == "sdn"
             else "OFAC Consolidated non-SDN list (legacy CSV)")
    return OfacResult(entries=entries, rejected=rejected, notices=notices,
                      sha256=digest.hexdigest(), title=title, label=str(prim), files=files)


# ---------------------------------------------------------------- enhanced XML


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(elem: Any, name: str) -> Any:
    for child in elem:
        if _local(child.tag) == name:
            return child
    return None


def _children(elem: Any, name: str) -> list[Any]:
    if elem is None:
        return []
    return [c for c in elem if _local(c.tag) == name]


def _text(elem: Any) -> str:
    return " ".join((elem.text or "").split()) if elem is not None else ""


def _open_xml(path: Path) -> tuple[Any, str, str]:
    """A binary stream of the XML, its label, and the sha256 of the file given."""
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if raw.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # a zip (the second: empty)
        try:
            archive = zipfile.ZipFile(io.BytesIO(raw))
            members = [m for m in archive.namelist() if m.lower().endswith(".xml")]
        except zipfile.BadZipFile as exc:
            raise InputError(f"not a readable zip file: {exc}", file=str(path)) from None
        if len(members) != 1:
            raise InputError(f"the zip file must hold exactly one .xml file, found "
                             f"{len(members)}", file=str(path))
        # streamed and capped (open_zip_member): a zip bomb is refused
        try:
            stream = open_zip_member(archive, members[0], f"{path}!{members[0]}")
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise InputError(f"cannot unpack {members[0]}: {exc}", file=str(path)) from None
        return stream, f"{path}!{members[0]}", digest
    return io.BytesIO(raw), str(path), digest


def parse_ofac_xml(path: Path, *, strict: bool = True) -> OfacResult:
    """Parse OFAC enhanced XML (``SDN_ENHANCED.XML`` / ``CONS_ENHANCED.XML``, or a .zip)."""
    from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
    from defusedxml.ElementTree import iterparse  # type: ignore[import-untyped]

    if path.is_dir():
        xmls = sorted(p for p in path.iterdir() if p.suffix.lower() in {".xml", ".zip"})
        if len(xmls) != 1:
            raise InputError("the folder must hold exactly one OFAC .xml or .zip file",
                             file=str(path))
        path = xmls[0]
    stream, label, digest = _open_xml(path)
    countries_by_ref: dict[str, str] = {}
    entries: list[ListEntry] = []
    rejected: list[RejectedRecord] = []
    notices: list[str] = []
    seen: dict[tuple[str, str], list[int]] = {}
    data_as_of: _dt.date | None = None
    number = 0
    root_seen = False
    rank = {s: i for i, s in enumerate(SOURCE_PRIORITY)}
    elements = XmlElementCounter(label)
    try:
        for event, elem in iterparse(stream, events=("start", "end")):
            tag = _local(elem.tag)
            if event == "start":
                elements.add()
                if not root_seen:
                    root_seen = True
                    if tag != "sanctionsData":
                        raise InputError(f"not OFAC enhanced XML: the root element is <{tag}>, "
                                         "not <sanctionsData>", file=label)
                continue
            if tag == "dataAsOf":
                try:
                    data_as_of = _dt.date.fromisoformat(_text(elem)[:10])
                except ValueError:
                    notices.append(f"dataAsOf {_text(elem)!r} is not a date")
            elif tag == "referenceValue":
                if _text(_child(elem, "type")) == "COUNTRY":
                    iso = _text(_child(elem, "isoCode"))
                    if iso:
                        countries_by_ref[elem.get("refId", "")] = iso
                elem.clear()
            elif tag == "entity":
                number += 1
                try:
                    entry = _xml_entity(elem, countries_by_ref, rank)
                except RecordError as exc:
                    reason = f"entity {elem.get('id') or '?'}: {exc.reason}"
                    if strict:
                        raise InputError(reason, file=label, row=number,
                                         column=exc.column) from None
                    rejected.append(RejectedRecord(file=label, line=number, column=exc.column,
                                                   reason=reason))
                else:
                    seen.setdefault(entry.key, []).append(number)
                    entries.append(entry)
                elem.clear()
    except DefusedXmlException as exc:
        raise InputError(f"refused unsafe XML ({type(exc).__name__}): {exc}", file=label) \
            from None
    except SyntaxError as exc:  # xml.etree.ElementTree.ParseError
        position = getattr(exc, "position", None)
        where = f" at line {position[0]}, column {position[1]}" if position else ""
        raise InputError(f"malformed XML{where}: {exc}", file=label,
                         row=position[0] if position else None) from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # the member is read as it streams
        raise InputError(f"cannot unpack: {exc}", file=label) from None
    finally:
        stream.close()
    if not root_seen:
        raise InputError("empty XML file", file=label)
    notices.extend(duplicate_notices(seen, "entity"))
    title = "OFAC sanctions list (enhanced XML)"
    name = path.name.upper()
    if "SDN" in name:
        title = "OFAC Specially Designated Nationals list (enhanced XML)"
    elif "CONS" in name:
        title = "OFAC Consolidated non-SDN list (enhanced XML)"
    return OfacResult(entries=entries, rejected=rejected, notices=notices, sha256=digest,
                      title=title, label=label, snapshot_date=data_as_of)


def _xml_entity(elem: Any, countries_by_ref: dict[str, str], rank: dict[str, int]) -> ListEntry:
    entity_id = (elem.get("id") or "").strip()
    if not entity_id:
        raise RecordError("id", "the <entity> has no id attribute")
    info = _child(elem, "generalInfo")
    entity_type = _text(_child(info, "entityType")).lower() if info is not None else ""
    remarks = _text(_child(info, "remarks")) if info is not None else ""
    lists: list[tuple[str, str, str]] = []
    for item in _children(_child(elem, "sanctionsLists"), "sanctionsList"):
        list_name = _text(item)
        list_code = XML_LISTS.get(list_name) or re.sub(r"[^a-z0-9]+", "_",
                                                        list_name.lower()).strip("_")
        lists.append((list_code, list_name, item.get("datePublished", "")))
    specific = [x for x in lists if x[0] != "ofac_cons"] or lists
    if not specific:
        raise RecordError("sanctionsLists", "the entity is on no sanctions list")
    specific.sort(key=lambda x: (rank.get(x[0], len(rank)), x[0]))
    source, source_name, published = specific[0]
    notes: list[str] = []
    others = sorted({x[0] for x in specific[1:]})
    if others:
        notes.append(f"also on: {', '.join(others)}")
    start = None
    if published:
        try:
            start = _dt.date.fromisoformat(published[:10])
        except ValueError:
            raise RecordError("datePublished", f"not a date: {published!r}") from None
    programs = tuple(_text(p) for p in _children(_child(elem, "sanctionsPrograms"),
                                                  "sanctionsProgram"))
    primary = ""
    aliases: list[str] = []
    for name in _children(_child(elem, "names"), "name"):
        is_primary = _text(_child(name, "isPrimary")) == "true"
        for translation in _children(_child(name, "translations"), "translation"):
            full = _text(_child(translation, "formattedFullName"))
            if not full:
                continue
            if is_primary and not primary and _text(_child(translation, "isPrimary")) == "true":
                primary = full
            else:
                aliases.append(full)
    if not primary:
        raise RecordError("names", "the entity has no primary name")
    fixed, fixes = repair_mojibake(primary)
    notes.extend(f"name: {n}" for n in fixes)
    addresses: list[str] = []
    countries: dict[str, None] = {}
    code: str | None = None
    for address in _children(_child(elem, "addresses"), "address"):
        country = _child(address, "country")
        parts: list[str] = []
        for translation in _children(_child(address, "translations"), "translation"):
            if _text(_child(translation, "isPrimary")) != "true":
                continue
            for part in _children(_child(translation, "addressParts"), "addressPart"):
                value = _text(_child(part, "value"))
                if value:
                    parts.append(value)
        if country is not None:
            parts.append(_text(country))
            code = countries_by_ref.get(country.get("refId", "")) or country_code(_text(country))
            if code:
                countries.setdefault(code, None)
        if parts:
            addresses.append(", ".join(parts))
    identifiers: list[str] = []
    for feature in _children(_child(elem, "features"), "feature"):
        kind = _text(_child(feature, "type"))
        value = _text(_child(feature, "value"))
        if kind in {"Nationality Country", "Citizenship Country", "Nationality of Registration"}:
            code = country_code(value)
            if code:
                countries.setdefault(code, None)
        elif kind in {"SWIFT/BIC", "ISIN", "Equity Ticker", "BIK (RU)"} and value:
            identifiers.append(f"{kind} {value}")
    for document in _children(_child(elem, "identityDocuments"), "identityDocument"):
        kind = _text(_child(document, "type"))
        number = _text(_child(document, "documentNumber"))
        issuer = _text(_child(document, "issuingCountry"))
        if number:
            identifiers.append(f"{kind} {number}" + (f" ({issuer})" if issuer else ""))
    relations_list: list[str] = []
    for relationship in _children(_child(elem, "relationships"), "relationship"):
        related = _child(relationship, "relatedEntity")
        text = f"{_text(_child(relationship, 'type'))}: {_text(related)}"
        if related is not None and related.get("entityId"):
            text += f" [{related.get('entityId')}]"
        relations_list.append(text)
    relations = tuple(relations_list)
    return ListEntry.model_construct(
        id=entity_id, source=source, source_name=source_name, name=fixed,
        aliases=tuple(dict.fromkeys(a for a in aliases if a != fixed)),
        entity_type=entity_type or None, countries=tuple(countries),
        addresses=tuple(addresses), programs=programs, license_requirement=None,
        license_policy=None, federal_register_notice=None, start_date=start,
        remarks=remarks or None, identifiers=tuple(identifiers),
        published_name=primary if fixed != primary else None, relations=relations,
        notes=tuple(notes),
    )
