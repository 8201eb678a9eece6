"""The rule pack: China's rare-earth export controls as versioned, cited data.

Every legal parameter the checker uses (which elements and forms each control
lists, control codes, effective dates, suspension windows, the 0.1 % threshold,
the FAQ scope rulings, licensing policy) lives in a JSON file under
``exportscreen/knowledge/data/rareearth/``, each with a citation, the sources it
rests on (``sources``: ids in the shipped bibliography, :mod:`exportscreen.knowledge`)
and a reliability letter on the one evidence scale (``T`` official text or a copy of
it, ``S`` secondary, ``U`` unverified; see ``reliability_legend`` and
docs/knowledge.md). Nothing legal is hard-coded in the checker. The pack's
``sources`` map is filled from the bibliography with every source it cites.

A user's pack file either replaces the built-in pack (a complete pack) or
extends it: ``{"extends": "default", ...}`` with only the keys to change (the
overlay mechanism of :mod:`exportscreen.knowledge.overlay`).
Suspension windows are merged by ``id``; other top-level keys replace the
built-in value, and ``policies``-like dictionaries (``export_from_china``,
``foreign_export``) are merged one level deep. Example, recording an extension of
the No. 70 suspension::

    {"extends": "default", "version": "2027-01-local",
     "suspensions": [{"id": "no70", "end": "2027-01-10", "after_end": "unknown",
                      "citation": "our counsel's memo of 2026-11-12", "reliability": "S"}]}

>>> pack = load_rule_pack()
>>> pack.pack_id, pack.suspensions[0].end.isoformat()
('mofcom-rare-earth', '2026-11-10')
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..errors import InputError
from ..knowledge import (
    Evidence,
    MergePolicy,
    PackLetter,
    bibliography,
    data_path,
    evidence_of,
    load_overlay,
    read_shipped_json,
)

__all__ = [
    "CATEGORIES",
    "ELEMENT_SYMBOLS",
    "RARE_EARTHS",
    "RulePack",
    "default_pack_path",
    "load_rule_pack",
]

PACK_DIR = data_path("rareearth")
DEFAULT_PACK = "mofcom-2025.json"

#: BOM ``category`` values (DESIGN.md, BOM CSV contract).
CATEGORIES: tuple[str, ...] = (
    "metal", "alloy", "oxide", "compound", "target", "magnet", "magnet_part", "rotor_stator",
    "motor", "sensor", "phosphor", "catalyst", "consumer_good", "component", "assembly",
    "finished_product", "other",
    # product forms named by No. 57 (research §3.3): added after "other" so the existing
    # categories keep their positions
    "crystal", "optical_fibre", "hydrogen_storage", "ceramic", "magnetocaloric",
    "magnetostrictive", "thermal_barrier_coating",
)
#: The No. 57 product-form categories (materials whose composition decides).
PRODUCT_FORMS: tuple[str, ...] = (
    "crystal", "optical_fibre", "hydrogen_storage", "ceramic", "magnetocaloric",
    "magnetostrictive", "thermal_barrier_coating",
)

Reliability = PackLetter
Outcome = Literal["needs_review", "license_required", "not_required"]


def _load_elements() -> tuple[tuple[str, ...], tuple[str, ...]]:
    data = read_shipped_json("rareearth", "elements.json")
    return tuple(data["symbols"]), tuple(data["rare_earths"])


ELEMENT_SYMBOLS, RARE_EARTHS = _load_elements()
_SYMBOLS = frozenset(ELEMENT_SYMBOLS)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _check_symbols(values: list[str]) -> list[str]:
    for value in values:
        if value not in _SYMBOLS:
            raise ValueError(f"unknown element symbol {value!r}")
    return values


class Cited(_Model):
    citation: str
    reliability: Reliability
    sources: tuple[str, ...] = ()

    @property
    def evidence(self) -> Evidence:
        """The reliability letter on the one evidence scale."""
        return evidence_of(self.reliability)


class Announcement(Cited):
    """An announcement; ``articles`` summarises the articles the pack models (article ->
    what it says), so a suspension of one article can name it."""

    title: str
    scope: Literal["export_from_china", "foreign_export", "suspension", "technology",
                   "destination"]
    issued: _dt.date
    articles: dict[str, str] = Field(default_factory=dict)


class Suspension(Cited):
    """A window in which the listed announcements are not implemented.

    ``after_end``: ``unknown`` when nothing is known after ``end`` (the checker then
    treats the controls as in force again and says so in a notice), ``revived``
    when the controls are known to apply again.
    """

    id: str
    announcement: str
    applies_to: list[str]
    articles: list[str] = Field(
        default_factory=list,
        description="the articles suspended (empty: the whole announcements in applies_to)")
    start: _dt.date
    end: _dt.date
    end_inclusive: bool = True
    after_end: Literal["unknown", "revived"] = "unknown"
    note: str = ""

    def covers(self, day: _dt.date) -> bool:
        return self.start <= day and (day <= self.end if self.end_inclusive else day < self.end)

    def lapsed_unknown(self, day: _dt.date) -> bool:
        """True when *day* is after the window and the pack knows nothing later."""
        return self.after_end == "unknown" and not self.covers(day) and day > self.end


class Form(Cited):
    control_code: str
    partners: list[str] | None = None
    family: Literal["SmCo", "NdFeB", "any"] | None = None
    trace_rule: bool = False

    _v = field_validator("partners")(lambda cls, v: v if v is None else _check_symbols(v))


FormName = Literal["metal", "alloy", "target", "magnet", "oxide", "compound", "phosphor",
                   "crystal", "optical_fibre", "hydrogen_storage", "ceramic", "magnetocaloric",
                   "magnetostrictive", "thermal_barrier_coating"]


class ElementControl(_Model):
    """One element's entry in an export-from-China announcement (No. 18, No. 57)."""

    announcement: str
    element: str
    control_code: str
    code_reliability: Reliability
    effective: _dt.date
    forms: dict[FormName, Form]
    note: str = ""

    _v = field_validator("element")(lambda cls, v: _check_symbols([v])[0])


class FaqRuling(Cited):
    category: str
    outcome: Literal["not_controlled", "controlled"]
    announcements: list[str]


class TraceRule(Cited):
    elements: list[str]
    max_total_wt_pct: Decimal
    outcome: Outcome


class ExportFromChina(_Model):
    controls: list[ElementControl]
    faq_rulings: list[FaqRuling]
    unruled_container_outcome: Outcome
    unruled_container_reason: str
    trace_rule: TraceRule | None = None
    unnamed_alloy_outcome: Outcome
    general_licence_note: str = ""


class Limb(Cited):
    title: str
    control_code: str
    effective: _dt.date
    threshold: Decimal | None = None
    comparator: Literal[">=", ">"] = ">="


class PartIItem(_Model):
    name: str
    category: Literal["metal", "alloy", "oxide"]
    elements: list[str]

    _v = field_validator("elements")(lambda cls, v: _check_symbols(v))


class PartII(Cited):
    categories: list[str]
    elements: list[str]


class PartIIAssemblies(Cited):
    categories: list[str]
    outcome: Literal["needs_review", "include", "exclude"]


class Humanitarian(Cited):
    outcome: Literal["not_required", "license_required"]


class ForeignExport(_Model):
    announcement: str
    limbs: dict[Literal["1", "2", "3"], Limb]
    part_i: list[PartIItem]
    part_i_citation: str
    part_i_sources: tuple[str, ...] = ()
    part_i_reliability: Reliability
    part_ii: PartII
    part_ii_assemblies: PartIIAssemblies
    aggregation: Literal["sum", "max"]
    aggregation_citation: str
    aggregation_sources: tuple[str, ...] = ()
    aggregation_reliability: Reliability
    limb2_requires_chinese_rare_earths: bool
    limb2_citation: str
    limb2_sources: tuple[str, ...] = ()
    limb2_reliability: Reliability
    humanitarian: Humanitarian


EndUserList = Literal["yes", "no", "control_list", "watch_list"]


class OutlookRule(Cited):
    """One licensing-outlook rule; the first rule whose conditions all hold applies.

    ``regimes`` limits it to exports from China or foreign exports (judged by the
    announcements of the product's triggers); ``end_user_lists`` to the BOM's
    ``end_user_listed`` values; ``basis``/``article`` name the provision it rests on, so
    that a suspension of that article (``suspensions[].articles``) switches it off.
    """

    outlook: str
    end_uses: list[str] | None = None
    end_user_listed: bool | None = None
    end_user_lists: list[EndUserList] | None = None
    destinations: list[str] | None = None
    announcements: list[str] | None = None
    regimes: list[Literal["export_from_china", "foreign_export"]] | None = None
    effective: _dt.date | None = None
    basis: str | None = None
    article: str | None = None


class RulePack(_Model):
    """A complete, validated rule pack (see the module docstring)."""

    pack_id: str
    version: str
    title: str
    information_until: _dt.date = Field(
        description="the last date the pack's information covers (the date of its newest "
        "source); later events are unknown"
    )
    information_until_note: str = ""
    research: str = ""
    reliability_legend: dict[str, str] = Field(default_factory=dict)
    sources: dict[str, str] = Field(default_factory=dict)
    announcements: dict[str, Announcement]
    suspensions: list[Suspension]
    export_from_china: ExportFromChina
    foreign_export: ForeignExport
    licensing_outlook: list[OutlookRule]
    source_path: str | None = None

    def suspension_at(self, announcement: str, day: _dt.date,
                      article: str | None = None) -> Suspension | None:
        """The suspension window covering *announcement* (or one *article* of it) on *day*.

        A window that names ``articles`` covers only those articles, never the whole
        announcement."""
        for window in self.suspensions:
            if announcement in window.applies_to and window.covers(day) and (
                    not window.articles or article in window.articles):
                return window
        return None

    def lapsed_suspensions(self, announcement: str, day: _dt.date,
                           article: str | None = None) -> list[Suspension]:
        return [
            w for w in self.suspensions if announcement in w.applies_to and w.lapsed_unknown(day)
            and (not w.articles or article in w.articles)
        ]

    def cited(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """``(field path, source ids)`` for every citation in the pack."""
        for key, ann in self.announcements.items():
            yield f"announcements.{key}.sources", ann.sources
        for n, window in enumerate(self.suspensions):
            yield f"suspensions.{n}.sources", window.sources
        cfc, fe = self.export_from_china, self.foreign_export
        for n, control in enumerate(cfc.controls):
            for form_name, form in control.forms.items():
                yield f"export_from_china.controls.{n}.forms.{form_name}.sources", form.sources
        for n, ruling in enumerate(cfc.faq_rulings):
            yield f"export_from_china.faq_rulings.{n}.sources", ruling.sources
        if cfc.trace_rule is not None:
            yield "export_from_china.trace_rule.sources", cfc.trace_rule.sources
        for key, limb in fe.limbs.items():
            yield f"foreign_export.limbs.{key}.sources", limb.sources
        yield "foreign_export.part_i_sources", fe.part_i_sources
        yield "foreign_export.part_ii.sources", fe.part_ii.sources
        yield "foreign_export.part_ii_assemblies.sources", fe.part_ii_assemblies.sources
        yield "foreign_export.aggregation_sources", fe.aggregation_sources
        yield "foreign_export.limb2_sources", fe.limb2_sources
        yield "foreign_export.humanitarian.sources", fe.humanitarian.sources
        for n, rule in enumerate(self.licensing_outlook):
            yield f"licensing_outlook.{n}.sources", rule.sources

    def cite(self, item: Cited) -> str:
        """*item*'s citation with its sources resolved (``citation [sources: S1 = title
        (publisher, date), url; ...]``), as shown in the checker's triggers."""
        if not item.sources:
            return item.citation
        resolved = "; ".join(f"{i} = {self.sources[i]}" if i in self.sources else i
                             for i in item.sources)
        return f"{item.citation} [sources: {resolved}]"


def default_pack_path() -> Path:
    """Path of the built-in pack, to copy and edit."""
    return PACK_DIR / DEFAULT_PACK


#: How a pack with ``"extends": "default"`` merges over the built-in pack.
PACK_OVERLAY = MergePolicy(
    by_id={"suspensions": "id"},
    one_level=frozenset({"export_from_china", "foreign_export", "announcements", "sources"}),
)
_NOTE_IDS = re.compile(r"\bS\d+\b")


def load_rule_pack(source: str | Path | dict[str, Any] | RulePack | None = None) -> RulePack:
    """Load and validate a rule pack: the built-in one (``None`` or ``"default"``), a JSON
    file path, or a dictionary. A pack with ``"extends": "default"`` is merged onto the
    built-in pack. Raises :class:`InputError` naming the file and the offending key.
    """
    if isinstance(source, RulePack):
        return source
    builtin: dict[str, Any] = read_shipped_json("rareearth", DEFAULT_PACK)
    if source is None or source == "default":
        source, label = builtin, str(default_pack_path())
    elif isinstance(source, dict):
        label = "<pack dict>"
    else:
        label = str(source)
    pack = load_overlay(RulePack, source, what="rule pack", shipped={"default": builtin},
                        policy=PACK_OVERLAY, label=label, extra={"source_path": label})
    _check_references(pack, label)
    return _resolve_sources(pack, label)


def _resolve_sources(pack: RulePack, label: str) -> RulePack:
    """Check that every cited id resolves (in the bibliography or the pack's own
    ``sources``) and fill ``sources`` with the bibliography entries the pack cites or
    names in a note."""
    bib = bibliography()
    wanted: dict[str, None] = {}
    for where, ids in pack.cited():
        missing = bib.unknown(ids, pack.sources)
        if missing:
            raise InputError(f"unknown source id {missing[0]!r}: not in the bibliography nor "
                             "in the pack's 'sources'", file=label, column=where)
        wanted.update(dict.fromkeys(ids))
    notes = [w.note for w in pack.suspensions] + [pack.export_from_china.general_licence_note]
    for note in notes:
        wanted.update(dict.fromkeys(i for i in _NOTE_IDS.findall(note) if i in bib))
    sources = {i: bib[i].describe() for i in wanted if i in bib and i not in pack.sources}
    if not sources:
        return pack
    return pack.model_copy(update={"sources": {**pack.sources, **sources}})


def _check_references(pack: RulePack, label: str) -> None:
    known = set(pack.announcements)
    for window in pack.suspensions:
        for ann in [window.announcement, *window.applies_to]:
            if ann not in known:
                raise InputError(f"suspension {window.id!r} names unknown announcement {ann!r}",
                                 file=label, column="suspensions")
        if window.end < window.start:
            raise InputError(f"suspension {window.id!r} ends before it starts", file=label,
                             column="suspensions")
        for article in window.articles:
            if not any(article in pack.announcements[a].articles for a in window.applies_to):
                raise InputError(f"suspension {window.id!r} names article {article!r}, which no "
                                 "announcement it applies to lists", file=label,
                                 column="suspensions")
    for n, rule in enumerate(pack.licensing_outlook):
        if rule.basis is not None and rule.basis not in known:
            raise InputError(f"outlook rule names unknown announcement {rule.basis!r}",
                             file=label, column=f"licensing_outlook.{n}.basis")
        if rule.article is not None and (
                rule.basis is None or rule.article not in pack.announcements[rule.basis].articles):
            raise InputError(f"outlook rule names article {rule.article!r}, which its basis "
                             "does not list", file=label, column=f"licensing_outlook.{n}.article")
    for control in pack.export_from_china.controls:
        if control.announcement not in known:
            raise InputError(f"control {control.control_code} names unknown announcement "
                             f"{control.announcement!r}", file=label, column="export_from_china")
    for ruling in pack.export_from_china.faq_rulings:
        if ruling.category not in CATEGORIES:
            raise InputError(f"FAQ ruling for unknown category {ruling.category!r}", file=label,
                             column="export_from_china.faq_rulings")
    for cat in [*pack.foreign_export.part_ii.categories,
                *pack.foreign_export.part_ii_assemblies.categories]:
        if cat not in CATEGORIES:
            raise InputError(f"unknown category {cat!r}", file=label, column="foreign_export")
    if pack.foreign_export.announcement not in known:
        raise InputError("foreign_export names an unknown announcement", file=label,
                         column="foreign_export.announcement")
    if pack.foreign_export.limbs.keys() != {"1", "2", "3"}:
        raise InputError("foreign_export.limbs needs limbs '1', '2' and '3'", file=label,
                         column="foreign_export.limbs")
    if pack.foreign_export.limbs["1"].threshold is None:
        raise InputError("limb 1 needs a threshold", file=label, column="foreign_export.limbs.1")
