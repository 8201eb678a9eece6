"""The UN Security Council Consolidated List, XML (``sc-sanctions.xsd``).

Layout (the file the UN publishes; shared/data/SOURCES.md §7): ``<CONSOLIDATED_LIST
dateGenerated=...>`` with ``INDIVIDUALS/INDIVIDUAL`` and ``ENTITIES/ENTITY`` records. Each
record has ``DATAID``, ``FIRST_NAME`` .. ``FOURTH_NAME`` (an entity's name is all in
``FIRST_NAME``), ``UN_LIST_TYPE`` (the sanctions regime: ``DRC``, ``Al-Qaida``, ...),
``REFERENCE_NUMBER`` (the permanent reference, ``CDi.001``), ``LISTED_ON``, ``COMMENTS1``,
``NAME_ORIGINAL_SCRIPT``, ``NATIONALITY/VALUE``, ``*_ALIAS`` (``QUALITY`` and
``ALIAS_NAME``), ``*_ADDRESS`` (``STREET``, ``CITY``, ``STATE_PROVINCE``, ``ZIP_CODE``,
``COUNTRY``, ``NOTE``) and ``INDIVIDUAL_DOCUMENT``.

Mapping: the entry id is the reference number (the id the EU and UK lists quote as "UN
Ref"), else the DATAID; the DATAID is kept in ``identifiers``. Every alias is screened,
whatever its quality: the UN marks some individual aliases ``Low`` quality (too vague to
identify someone alone), and those are named in ``notes`` so a reviewer sees that a hit on
one needs more corroboration. The name in original script is an alias too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .clean import country_code
from .models import ListEntry, RejectedRecord
from .parsed import (
    ParsedList,
    RecordError,
    child,
    children,
    file_sha256,
    generation_date,
    index_children,
    parse_date,
    record_failed,
    stream_records,
    text_of,
)

__all__ = ["parse_un_xml"]

SOURCE = "un"
SOURCE_NAME = "UN Security Council Consolidated List"
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
ADDRESS_PARTS = ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY", "NOTE")


def parse_un_xml(path: Path, *, strict: bool = True) -> ParsedList:
    """Parse the UN Security Council Consolidated List XML, streaming record by record."""
    label = str(path)
    generated: list[str] = []
    entries: list[ListEntry] = []
    rejected: list[RejectedRecord] = []
    notices: list[str] = []
    seen: dict[str, int] = {}
    for number, elem in stream_records(
        path, roots=frozenset({"CONSOLIDATED_LIST"}),
        records=frozenset({"INDIVIDUAL", "ENTITY"}),
        on_root=lambda root: generated.append(root.get("dateGenerated", "")),
        format_name="a UN Security Council Consolidated List",
    ):
        what = f"{elem.tag.lower()} {text_of(child(elem, 'DATAID')) or '?'}"
        try:
            entry = _entry(elem)
        except RecordError as exc:
            record_failed(exc, strict=strict, label=label, number=number, what=what,
                          rejected=rejected, raw=text_of(child(elem, "FIRST_NAME")))
            continue
        if entry.id in seen:
            notices.append(f"reference {entry.id!r} appears twice (records {seen[entry.id]} "
                           f"and {number}); both are kept")
        seen.setdefault(entry.id, number)
        entries.append(entry)
    snapshot = generation_date(generated[0] if generated else None, "dateGenerated", notices)
    return ParsedList(entries=entries, rejected=rejected, notices=notices,
                      sha256=file_sha256(path), title=SOURCE_NAME, label=label,
                      snapshot_date=snapshot)


def _entry(elem: Any) -> ListEntry:
    kind = "individual" if elem.tag == "INDIVIDUAL" else "entity"
    fields = index_children(elem)

    def first(name: str) -> str:
        found = fields.get(name)
        return text_of(found[0]) if found else ""

    def every(name: str) -> list[Any]:
        return fields.get(name, [])

    data_id = first("DATAID")
    reference = first("REFERENCE_NUMBER")
    if not (reference or data_id):
        raise RecordError("DATAID", "the record has neither a REFERENCE_NUMBER nor a DATAID")
    name = " ".join(p for p in (first(n) for n in NAME_PARTS) if p)
    if not name:
        raise RecordError("FIRST_NAME", "the record has no name")
    aliases: list[str] = []
    low: list[str] = []
    for alias in every(f"{elem.tag}_ALIAS"):
        alias_name = text_of(child(alias, "ALIAS_NAME"))
        if not alias_name:
            continue
        aliases.append(alias_name)
        if text_of(child(alias, "QUALITY")).casefold() == "low":
            low.append(alias_name)
    for original in every("NAME_ORIGINAL_SCRIPT"):
        if text_of(original):
            aliases.append(text_of(original))
    countries: dict[str, None] = {}
    for nationality in every("NATIONALITY"):
        for value in children(nationality, "VALUE"):
            code = country_code(text_of(value))
            if code:
                countries.setdefault(code, None)
    addresses: list[str] = []
    for address in every(f"{elem.tag}_ADDRESS"):
        parts = [text_of(child(address, p)) for p in ADDRESS_PARTS]
        text = ", ".join(p for p in parts if p)
        if text:
            addresses.append(text)
        code = country_code(text_of(child(address, "COUNTRY")))
        if code:
            countries.setdefault(code, None)
    identifiers: list[str] = []
    for document in every("INDIVIDUAL_DOCUMENT"):
        doc_type = text_of(child(document, "TYPE_OF_DOCUMENT"))
        number = text_of(child(document, "NUMBER"))
        issuer = (text_of(child(document, "ISSUING_COUNTRY"))
                  or text_of(child(document, "COUNTRY_OF_ISSUE")))
        if number:
            identifiers.append(f"{doc_type or 'Document'} {number}"
                               + (f" ({issuer})" if issuer else ""))
    if data_id:
        identifiers.append(f"UN DATAID {data_id}")
    notes = tuple(f"low-quality alias (UN QUALITY 'Low'): {a}" for a in low)
    return ListEntry.model_construct(
        id=reference or data_id, source=SOURCE, source_name=SOURCE_NAME, name=name,
        aliases=tuple(dict.fromkeys(a for a in aliases if a != name)), entity_type=kind,
        countries=tuple(countries), addresses=tuple(addresses),
        programs=tuple(p for p in (first("UN_LIST_TYPE"),) if p),
        license_requirement=None, license_policy=None, federal_register_notice=None,
        start_date=parse_date(first("LISTED_ON"), "LISTED_ON"),
        remarks=first("COMMENTS1") or None, identifiers=tuple(identifiers),
        published_name=None, relations=(), notes=notes,
    )
