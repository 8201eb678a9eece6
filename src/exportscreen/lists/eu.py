"""The EU Financial Sanctions Files (FSF) consolidated list, XML ``xmlFullSanctionsList_1_1``.

Layout (shared/data/SOURCES.md §7): ``<export generationDate=...>`` in the namespace
``http://eu.europa.ec/fpi/fsd/export``, one ``<sanctionEntity>`` per listed party with the
attributes ``logicalId`` (the EU's id), ``euReferenceNumber``, ``unitedNationId`` and
``designationDate``, and children ``regulation`` (``programme``), ``subjectType``
(``code``: person or enterprise), ``nameAlias`` (``wholeName``, ``strong``), ``citizenship``,
``address``, ``identification``, ``birthdate`` and ``remark``.

Mapping: the entry id is ``logicalId``; the first ``nameAlias`` with a ``wholeName`` is the
name and the others are aliases. The EU marks some aliases ``strong="false"`` (weak); they
are screened too and named in ``notes``. ``euReferenceNumber`` and the UN reference go to
``identifiers``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .clean import country_code, is_country_code
from .models import ListEntry, RejectedRecord
from .parsed import (
    ParsedList,
    RecordError,
    children,
    file_sha256,
    generation_date,
    parse_date,
    record_failed,
    stream_records,
    text_of,
)

__all__ = ["parse_eu_xml"]

SOURCE = "eu"
SOURCE_NAME = "EU Financial Sanctions Files (consolidated list)"
_TYPES = {"person": "individual", "enterprise": "entity"}


def parse_eu_xml(path: Path, *, strict: bool = True) -> ParsedList:
    """Parse the EU FSF consolidated list XML, streaming entity by entity."""
    label = str(path)
    generated: list[str] = []
    entries: list[ListEntry] = []
    rejected: list[RejectedRecord] = []
    notices: list[str] = []
    for number, elem in stream_records(
        path, roots=frozenset({"export"}), records=frozenset({"sanctionEntity"}),
        on_root=lambda root: generated.append(root.get("generationDate", "")),
        format_name="an EU Financial Sanctions Files XML list",
    ):
        what = f"sanctionEntity {elem.get('logicalId') or '?'}"
        try:
            entry = _entry(elem)
        except RecordError as exc:
            record_failed(exc, strict=strict, label=label, number=number, what=what,
                          rejected=rejected)
            continue
        entries.append(entry)
    snapshot = generation_date(generated[0] if generated else None, "generationDate", notices)
    return ParsedList(entries=entries, rejected=rejected, notices=notices,
                      sha256=file_sha256(path), title=SOURCE_NAME, label=label,
                      snapshot_date=snapshot)


def _country(elem: Any) -> str | None:
    iso = (elem.get("countryIso2Code") or "").strip().upper()
    if is_country_code(iso):
        return iso
    return country_code(elem.get("countryDescription") or "")


def _entry(elem: Any) -> ListEntry:
    logical_id = (elem.get("logicalId") or "").strip()
    if not logical_id:
        raise RecordError("logicalId", "the sanctionEntity has no logicalId")
    names: list[str] = []
    weak: list[str] = []
    for alias in children(elem, "nameAlias"):
        whole = " ".join((alias.get("wholeName") or "").split())
        if not whole:
            continue
        names.append(whole)
        if (alias.get("strong") or "").strip().lower() == "false":
            weak.append(whole)
    if not names:
        raise RecordError("nameAlias", "the sanctionEntity has no nameAlias with a wholeName")
    name = names[0]
    subject = children(elem, "subjectType")
    code = (subject[0].get("code") or "").strip().lower() if subject else ""
    countries: dict[str, None] = {}
    for citizenship in children(elem, "citizenship"):
        if c := _country(citizenship):
            countries.setdefault(c, None)
    addresses: list[str] = []
    for address in children(elem, "address"):
        parts = [address.get(a) or "" for a in ("street", "poBox", "zipCode", "city", "place",
                                                 "region", "countryDescription")]
        text = ", ".join(" ".join(p.split()) for p in parts if p.strip())
        if text:
            addresses.append(text)
        if c := _country(address):
            countries.setdefault(c, None)
    identifiers: list[str] = []
    for ident in children(elem, "identification"):
        number = (ident.get("number") or "").strip()
        if number:
            kind = ident.get("identificationTypeDescription") or "Identification"
            issuer = _country(ident)
            identifiers.append(f"{kind} {number}" + (f" ({issuer})" if issuer else ""))
    if ref := (elem.get("euReferenceNumber") or "").strip():
        identifiers.append(f"EU reference {ref}")
    if un_ref := (elem.get("unitedNationId") or "").strip():
        identifiers.append(f"UN reference {un_ref}")
    programs = tuple(dict.fromkeys(
        p for p in ((r.get("programme") or "").strip() for r in children(elem, "regulation"))
        if p))
    remarks = "; ".join(text_of(r) for r in children(elem, "remark") if text_of(r))
    notes = tuple(f"weak alias (EU strong='false'): {w}" for w in weak)
    return ListEntry.model_construct(
        id=logical_id, source=SOURCE, source_name=SOURCE_NAME, name=name,
        aliases=tuple(dict.fromkeys(a for a in names[1:] if a != name)),
        entity_type=_TYPES.get(code, code or None), countries=tuple(countries),
        addresses=tuple(addresses), programs=programs, license_requirement=None,
        license_policy=None, federal_register_notice=None,
        start_date=parse_date(elem.get("designationDate") or "", "designationDate"),
        remarks=remarks or None, identifiers=tuple(identifiers), published_name=None,
        relations=(), notes=notes,
    )
