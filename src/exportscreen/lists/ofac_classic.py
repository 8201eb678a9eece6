"""OFAC's classic XML layout (``sdn.xml`` and ``consolidated.xml``: ``sdnList/sdnEntry``).

Layout (shared/data/SOURCES.md §7): ``<sdnList>`` in the namespace
``http://tempuri.org/sdnList.xsd``; ``publshInformation/Publish_Date`` (MM/DD/YYYY, OFAC's
spelling of the element); one ``<sdnEntry>`` per entry with ``uid`` (the same number as
``ent_num`` in the legacy CSV), ``firstName``, ``lastName``, ``title``, ``sdnType``,
``remarks``, ``programList/program``, ``idList/id`` (``idType``, ``idNumber``,
``idCountry``), ``akaList/aka`` (``type``, ``category`` strong/weak, ``firstName``,
``lastName``), ``addressList/address`` and ``nationalityList``/``citizenshipList``.

Names are written as OFAC's CSV writes them: ``LAST, First`` for a person with a first
name, the ``lastName`` alone otherwise. Weak a.k.a.s are screened too and named in
``notes``. The layout does not say which list the file is: a file whose name starts with
``cons`` (OFAC's ``consolidated.xml``) is read as the non-SDN Consolidated list (NS-PLC and
CMIC entries get their own codes, as in the legacy CSV), anything else as the SDN list,
and a notice says which was assumed.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from .clean import country_code, repair_mojibake
from .csl import duplicate_notices
from .models import ListEntry, RejectedRecord
from .ofac import CONS_PROGRAM_SOURCES
from .parsed import (
    ParsedList,
    RecordError,
    child,
    children,
    file_sha256,
    local_name,
    record_failed,
    stream_records,
    text_of,
)

__all__ = ["parse_ofac_classic_xml"]


def _is_consolidated(path: Path) -> bool:
    return path.name.lower().startswith("cons")


def _person_name(first: str, last: str) -> str:
    return f"{last}, {first}" if first and last else last or first


def parse_ofac_classic_xml(path: Path, *, strict: bool = True) -> ParsedList:
    """Parse OFAC classic ``sdn.xml`` / ``consolidated.xml``, streaming entry by entry."""
    label = str(path)
    consolidated = _is_consolidated(path)
    entries: list[ListEntry] = []
    rejected: list[RejectedRecord] = []
    notices: list[str] = [
        f"the classic OFAC XML layout does not say which list it holds: read as the "
        f"{'Consolidated non-SDN' if consolidated else 'SDN'} list from the file name "
        f"{path.name!r}"
    ]
    published: _dt.date | None = None
    seen: dict[tuple[str, str], list[int]] = {}
    number = 0
    for _, elem in stream_records(
        path, roots=frozenset({"sdnList"}),
        records=frozenset({"sdnEntry", "publshInformation"}),
        format_name="an OFAC sdn.xml list",
    ):
        if local_name(elem.tag) == "publshInformation":
            text = text_of(child(elem, "Publish_Date"))
            try:
                published = _dt.datetime.strptime(text, "%m/%d/%Y").date()
            except ValueError:
                notices.append(f"Publish_Date {text!r} is not a date in the form MM/DD/YYYY")
            continue
        number += 1
        try:
            entry = _entry(elem, consolidated)
        except RecordError as exc:
            record_failed(exc, strict=strict, label=label, number=number,
                          what=f"sdnEntry {text_of(child(elem, 'uid')) or '?'}",
                          rejected=rejected)
            continue
        seen.setdefault(entry.key, []).append(number)
        entries.append(entry)
    notices.extend(duplicate_notices(seen, "sdnEntry"))
    title = ("OFAC Consolidated non-SDN list (classic XML)" if consolidated
             else "OFAC Specially Designated Nationals list (classic XML)")
    return ParsedList(entries=entries, rejected=rejected, notices=notices,
                      sha256=file_sha256(path), title=title, label=label,
                      snapshot_date=published)


def _entry(elem: Any, consolidated: bool) -> ListEntry:
    uid = text_of(child(elem, "uid"))
    if not uid.isdigit():
        raise RecordError("uid", f"uid must be a whole number, found {uid!r}")
    published = _person_name(text_of(child(elem, "firstName")), text_of(child(elem, "lastName")))
    if not published:
        raise RecordError("lastName", "the entry has no name")
    name, fixes = repair_mojibake(published)
    notes = [f"name: {n}" for n in fixes]
    programs = tuple(text_of(p) for p in children(child(elem, "programList"), "program")
                     if text_of(p))
    if consolidated:
        source = next((CONS_PROGRAM_SOURCES[p] for p in programs if p in CONS_PROGRAM_SOURCES),
                      "ofac_cons")
        source_name = "OFAC Consolidated (non-SDN) Sanctions List"
    else:
        source, source_name = "sdn", "Specially Designated Nationals (SDN) - OFAC"
    aliases: list[str] = []
    for aka in children(child(elem, "akaList"), "aka"):
        alias = _person_name(text_of(child(aka, "firstName")), text_of(child(aka, "lastName")))
        if not alias:
            continue
        aliases.append(alias)
        if text_of(child(aka, "category")).lower() == "weak":
            notes.append(f"weak alias (OFAC category 'weak'): {alias}")
    countries: dict[str, None] = {}
    addresses: list[str] = []
    for address in children(child(elem, "addressList"), "address"):
        parts = [text_of(child(address, p)) for p in
                 ("address1", "address2", "address3", "city", "stateOrProvince", "postalCode",
                  "country")]
        text = ", ".join(p for p in parts if p)
        if text:
            addresses.append(text)
        if code := country_code(text_of(child(address, "country"))):
            countries.setdefault(code, None)
    for group, item in (("nationalityList", "nationality"), ("citizenshipList", "citizenship")):
        for nationality in children(child(elem, group), item):
            if code := country_code(text_of(child(nationality, "country"))):
                countries.setdefault(code, None)
    identifiers: list[str] = []
    for ident in children(child(elem, "idList"), "id"):
        kind, value = text_of(child(ident, "idType")), text_of(child(ident, "idNumber"))
        issuer = text_of(child(ident, "idCountry"))
        if value:
            identifiers.append(f"{kind or 'ID'} {value}" + (f" ({issuer})" if issuer else ""))
    remarks = text_of(child(elem, "remarks"))
    if title := text_of(child(elem, "title")):
        remarks = f"{remarks}; title: {title}" if remarks else f"title: {title}"
    entity_type = text_of(child(elem, "sdnType")).lower() or "entity"
    return ListEntry.model_construct(
        id=uid, source=source, source_name=source_name, name=name,
        aliases=tuple(dict.fromkeys(a for a in aliases if a != name)), entity_type=entity_type,
        countries=tuple(countries), addresses=tuple(addresses), programs=programs,
        license_requirement=None, license_policy=None, federal_register_notice=None,
        start_date=None, remarks=remarks or None, identifiers=tuple(identifiers),
        published_name=published if name != published else None, relations=(),
        notes=tuple(notes),
    )
