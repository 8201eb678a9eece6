"""Ownership rule presets: the 50 % rules as data, each parameter with its citation.

The five built-in presets live in ``ownership/presets/*.json`` (ids ``us-bis-affiliates``,
``us-ofac``, ``eu``, ``eu-pre2024``, ``uk``). A custom rule is the same model::

    >>> from exportscreen.ownership import get_rule
    >>> bis = get_rule("us-bis-affiliates")
    >>> bis.threshold, bis.comparator, bis.scope
    (Decimal('50'), '>=', 'foreign')
    >>> no_suspension = bis.model_copy(update={"suspensions": ()})

The preset files live in ``exportscreen/knowledge/data/ownership/``. Each parameter's
``citations`` cite sources by id in the shipped bibliography
(:func:`exportscreen.knowledge.bibliography`), each with its class on the one evidence
scale (``official``, ``official_copy``, ``secondary``, ``unverified``; docs/knowledge.md).
Every ``unverified`` entry becomes a notice in each result computed with the preset, and
``reasons`` holds the legal wording of the findings' reasons for the rule's jurisdiction.

A custom rule file may give every field, or ``"extends": "<preset id>"`` and only the
fields to change (``citations`` and ``reasons`` merge one level deep; other fields
replace the preset's)::

    {"extends": "us-ofac", "id": "ofac-strict", "minority_red_flag": "10"}
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..errors import InputError
from ..knowledge import (
    Citation,
    FindingReasons,
    MergePolicy,
    load_overlay,
    read_shipped_json,
)
from ..knowledge._files import shipped_text

__all__ = [
    "GeneralLicence",
    "RulePeriod",
    "RulePreset",
    "SeedGroup",
    "SuspensionWindow",
    "UnverifiedParameter",
    "get_rule",
    "list_rules",
    "load_rule_file",
    "normalise_list_source",
]

BUILTIN_RULES = ("us-bis-affiliates", "us-ofac", "eu", "eu-pre2024", "uk")


class SuspensionWindow(BaseModel):
    """A period (both ends inclusive; ``None`` = open) during which the rule is suspended."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: _dt.date | None = None
    end: _dt.date | None = None
    note: str = ""
    citations: tuple[str, ...] = ()
    #: what is known after ``end``: ``unknown`` (the pack has no information: findings after
    #: the end are not settled) or ``revived`` (the rule is known to apply again)
    after_end: Literal["unknown", "revived"] = "unknown"

    def contains(self, day: _dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def lapsed_unknown(self, day: _dt.date) -> bool:
        """True when *day* is after the window's end and nothing is known after it."""
        return self.after_end == "unknown" and self.end is not None and day > self.end


class UnverifiedParameter(BaseModel):
    """A parameter the research marks unverified [U]: configurable and reported as a notice."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    parameter: str
    note: str


class SeedGroup(BaseModel):
    """Listed parties whose owned entities take a *different* effect than the rule's main
    seeds (OFAC: entities owned 50 % or more by persons on the SSI List are subject to the
    same Directive(s), FAQ 373 — not blocked). Each group runs its own fixpoint, one run
    per program in ``programs`` (a Directive), and findings name the program(s) whose
    prohibitions extend. ``start``: the group applies from this date."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    list: str = Field(min_length=1)
    programs: tuple[str, ...] = Field(min_length=1)
    start: _dt.date | None = None
    effect: str = Field(min_length=1)
    cross_program_aggregation: Literal["unsettled", "yes", "no"] = "unsettled"
    citations: tuple[Citation, ...] = ()

    @field_validator("list")
    @classmethod
    def _normalise_list(cls, value: str) -> str:
        return normalise_list_source(value)

    @field_validator("programs")
    @classmethod
    def _upper_programs(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(" ".join(p.split()).upper() for p in value)


class RulePeriod(BaseModel):
    """An earlier regime of a rule, as a dated part of its preset (both ends inclusive).

    On a date inside ``start``..``end`` the preset's own parameters are replaced by the
    period's (those it gives), so ``us-ofac`` on 2013-06-01 applies the 2008 guidance
    (no aggregation across blocked persons) instead of covering nothing.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: _dt.date | None = None
    end: _dt.date
    title: str = Field(min_length=1)
    threshold: Decimal | None = Field(default=None, ge=0, le=100)
    comparator: Literal[">=", ">"] | None = None
    aggregation: Literal["across_listed", "per_listed_party"] | None = None
    indirect: Literal["cascade", "direct_only"] | None = None
    seed_groups: tuple[SeedGroup, ...] | None = None
    #: parameter -> why its reading in this period is open ("aggregation": findings that
    #: need stakes of several owners summed are reported as not settled)
    unsettled: dict[str, str] = Field(default_factory=dict)
    citations: dict[str, tuple[Citation, ...]] = Field(default_factory=dict)
    unverified: tuple[UnverifiedParameter, ...] = ()

    def contains(self, day: _dt.date) -> bool:
        return (self.start is None or self.start <= day) and day <= self.end


class GeneralLicence(BaseModel):
    """A general licence that may authorise transactions with covered entities on some
    dates (BIS Temporary General License No. 7). exportscreen does not decide whether it
    applies (that needs the party's country group or joint-venture facts); each finding
    on a date in ``start``..``end`` whose coverage derives from a list in ``lists`` names it
    in its licence outlook. ``end_alternatives``: other end dates the sources give."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    start: _dt.date
    end: _dt.date
    end_alternatives: tuple[_dt.date, ...] = ()
    lists: tuple[str, ...] = ()
    text: str = Field(min_length=1)
    citations: tuple[Citation, ...] = ()

    def contains(self, day: _dt.date) -> bool:
        return self.start <= day <= self.end


class RulePreset(BaseModel):
    """One ownership rule: threshold, aggregation, cascade, control, scope and time windows.

    * ``threshold``/``comparator``: an entity is covered when the stakes held in it by
      qualifying owners reach ``threshold`` per cent (``>=``) or exceed it (``>``).
    * ``aggregation``: ``across_listed`` sums the stakes of all listed and covered owners
      (OFAC FAQ 399, BIS, EU); ``per_listed_party`` tests each listed party on its own,
      except stakes tied by a ``joint_group`` (UK, OFSI guidance 4.14, Sch. 1 para 3).
    * ``indirect``: ``cascade`` (a covered entity passes its full stake, never multiplied:
      OFAC FAQ 401) or ``direct_only``.
    * ``control``: what a ``control`` row does: ``covers`` (EU/UK control tests),
      ``red_flag`` (OFAC FAQ 398, BIS FAQ #43) or ``ignore``.
    * ``minority_red_flag``: listed/covered ownership at or above this (but short of
      coverage) is reported as ``red_flag``; ``None`` switches it off.
    * ``seeds``: list source -> allowed programs (``None`` = every program).
    * ``scope``: ``foreign`` covers only entities whose country is not in
      ``home_countries`` (BIS); ``unknown_country`` says how a missing country counts.
    * ``in_force_from``/``in_force_until``/``suspensions``: the rule's time windows;
      ``information_current_to`` is the last date the pack has information for.
    * ``periods``: earlier regimes as dated parts of the preset (:meth:`at`);
      ``seed_groups``: listed parties with their own effect (OFAC SSI Directives);
      ``general_licences``: general licences named in the licence outlook on their dates.
    * ``reasons``: the legal wording of the findings' reasons (per jurisdiction);
      ``citations``: per parameter, the sources (bibliography ids) it rests on.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    version: str = ""
    title: str = ""
    jurisdiction: str = ""
    threshold: Decimal = Field(ge=0, le=100)
    comparator: Literal[">=", ">"] = ">="
    aggregation: Literal["across_listed", "per_listed_party"] = "across_listed"
    indirect: Literal["cascade", "direct_only"] = "cascade"
    control: Literal["covers", "red_flag", "ignore"] = "red_flag"
    minority_red_flag: Decimal | None = Field(default=None, ge=0, le=100)
    seeds: dict[str, tuple[str, ...] | None] = Field(default_factory=dict)
    scope: Literal["all", "foreign"] = "all"
    home_countries: tuple[str, ...] = ()
    unknown_country: Literal["in_scope", "out_of_scope"] = "in_scope"
    out_of_scope_intermediaries: Literal["pass", "block"] = "pass"
    in_force_from: _dt.date | None = None
    in_force_until: _dt.date | None = None
    suspensions: tuple[SuspensionWindow, ...] = ()
    information_current_to: _dt.date | None = None
    covered_effect: str = ""
    periods: tuple[RulePeriod, ...] = ()
    seed_groups: tuple[SeedGroup, ...] = ()
    general_licences: tuple[GeneralLicence, ...] = ()
    #: the title of the period the preset was resolved to by :meth:`at` ("" = the main rule)
    period: str = ""
    #: parameter -> why its reading is open (``aggregation``: findings that need several
    #: owners' stakes summed are reported as not settled, ``certain=False``)
    unsettled: dict[str, str] = Field(default_factory=dict)
    reasons: FindingReasons = FindingReasons()
    citations: dict[str, tuple[Citation, ...]] = Field(default_factory=dict)
    unverified: tuple[UnverifiedParameter, ...] = ()

    @field_validator("seeds")
    @classmethod
    def _normalise_seeds(
        cls, value: dict[str, tuple[str, ...] | None]
    ) -> dict[str, tuple[str, ...] | None]:
        return {
            normalise_list_source(k): (None if v is None else tuple(p.strip().upper() for p in v))
            for k, v in value.items()
        }

    @field_validator("home_countries")
    @classmethod
    def _upper_countries(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(c.strip().upper() for c in value)

    def at(self, day: _dt.date) -> RulePreset:
        """The rule as it stood on *day*: the preset itself inside its own window, else the
        dated part (:class:`RulePeriod`) that covers *day*, else the preset unchanged (not
        in force on *day*)."""
        if self.in_force(day) or self.period:
            return self
        part = next((p for p in self.periods if p.contains(day)), None)
        if part is None:
            return self
        update: dict[str, object] = {
            name: getattr(part, name) for name in
            ("threshold", "comparator", "aggregation", "indirect", "seed_groups")
            if getattr(part, name) is not None}
        update.update(in_force_from=part.start, in_force_until=part.end, suspensions=(),
                      general_licences=(), period=part.title, unsettled=part.unsettled,
                      citations={**self.citations, **part.citations},
                      unverified=part.unverified)
        return self.model_copy(update=update)

    def cited_sources(self) -> set[str]:
        """Every bibliography id the preset cites (parameters, windows, periods, reasons)."""
        ids: set[str] = set(self.reasons.cited_ids())
        for cites in self.citations.values():
            ids.update(s for c in cites for s in c.sources)
        for w in self.suspensions:
            ids.update(w.citations)
        for p in self.periods:
            for cites in p.citations.values():
                ids.update(s for c in cites for s in c.sources)
        groups: list[tuple[Citation, ...]] = [g.citations for g in self.seed_groups]
        groups += [g.citations for g in self.general_licences]
        for part in self.periods:
            groups += [g.citations for g in part.seed_groups or ()]
        for cites in groups:
            ids.update(s for c in cites for s in c.sources)
        return ids

    def in_force(self, day: _dt.date) -> bool:
        """True when *day* is inside the rule's effective window (suspensions aside)."""
        return (self.in_force_from is None or self.in_force_from <= day) and (
            self.in_force_until is None or day <= self.in_force_until
        )

    def suspension_at(self, day: _dt.date) -> SuspensionWindow | None:
        """The suspension window containing *day*, if any."""
        return next((w for w in self.suspensions if w.contains(day)), None)

    def lapsed_suspension(self, day: _dt.date) -> SuspensionWindow | None:
        """The latest suspension that ended before *day* with nothing known after it, when
        no later suspension contains *day*: findings on *day* are then not settled."""
        if self.suspension_at(day) is not None:
            return None
        lapsed = [w for w in self.suspensions if w.lapsed_unknown(day)]
        return max(lapsed, key=lambda w: w.end or day) if lapsed else None

    def seeds_party(self, source: str, programs: tuple[str, ...]) -> bool | None:
        """Whether a party on list *source* with *programs* seeds this rule.

        ``None`` means it depends on programs the party does not state (it is then
        treated as a seed, and the result says so).
        """
        source = normalise_list_source(source)
        if source not in self.seeds:
            return False
        allowed = self.seeds[source]
        if allowed is None:
            return True
        if not programs:
            return None
        wanted = set(allowed)
        return any(p.strip().upper() in wanted for p in programs)


PRESETS_DIR = "ownership"  # under exportscreen/knowledge/data
_RULE_OVERLAY = MergePolicy(one_level=frozenset({"citations", "reasons"}))


@cache
def _builtin(rule_id: str) -> RulePreset:
    return RulePreset.model_validate_json(shipped_text(PRESETS_DIR, f"{rule_id}.json"))


def _shipped_rules() -> dict[str, dict[str, Any]]:
    return {r: read_shipped_json(PRESETS_DIR, f"{r}.json") for r in BUILTIN_RULES}


def list_rules() -> list[RulePreset]:
    """All built-in presets, in a fixed order (BIS, OFAC, EU, EU before 2024, UK)."""
    return [_builtin(r) for r in BUILTIN_RULES]


def get_rule(rule: str | RulePreset) -> RulePreset:
    """The preset with id *rule* (or *rule* itself if it is already a :class:`RulePreset`).

    Raises :class:`InputError` for an unknown id, naming the ids that exist.
    """
    if isinstance(rule, RulePreset):
        return rule
    key = str(rule).strip().lower().replace("_", "-")
    aliases = {"eu-2024": "eu", "us-bis": "us-bis-affiliates", "bis": "us-bis-affiliates",
               "ofac": "us-ofac"}
    key = aliases.get(key, key)
    if key not in BUILTIN_RULES:
        raise InputError(
            f"unknown rule {rule!r}; the presets are {', '.join(BUILTIN_RULES)} "
            "(or give a rule JSON file)",
            column="rule",
        )
    return _builtin(key)


def load_rule_file(path: str | Path) -> RulePreset:
    """A custom rule from a JSON file with the same fields as the built-in presets, or
    ``"extends": "<preset id>"`` and the fields to change. :class:`InputError` names the
    file and the field."""
    return load_overlay(RulePreset, path, what="rule", shipped=_shipped_rules(),
                        policy=_RULE_OVERLAY, label=str(path), file_what="rule file")


@cache
def _source_aliases() -> dict[str, str]:
    data = read_shipped_json(PRESETS_DIR, "list_sources.json")
    out: dict[str, str] = {}
    for code, names in data["aliases"].items():
        out[code] = code
        for name in names:
            out[name.lower()] = code
    return out


def normalise_list_source(source: str) -> str:
    """Short list code for a list name: ``"Entity List"`` -> ``"entity_list"``; unknown kept.

    >>> normalise_list_source(" Military End User ")
    'meu'
    """
    key = " ".join(str(source).strip().lower().split())
    return _source_aliases().get(key, key.replace(" ", "_"))
