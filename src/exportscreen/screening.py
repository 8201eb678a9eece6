"""Supplier screening end to end: lists + ownership affiliates + names -> one result per row.

The rule of the output (DESIGN.md, "screen output"): every input row comes out
exactly once, in input order, with all its columns, plus

``screen_status``
    ``hit`` (the name matches a list entry at or above the hit threshold, or the row
    is an ownership-graph entity that is itself listed), ``affiliate`` (a covered
    affiliate under the chosen ownership rule), ``possible`` (a name match between the
    possible and hit thresholds, an ``undetermined``/``red_flag``/``suspended``
    ownership finding, or a name that only resembles an affiliate), ``clear``, or
    ``error`` (the row cannot be screened: empty name, bytes that are not UTF-8).
``score``, ``matched_name``, ``matched_list``, ``matched_entry_id``,
``license_requirement``, ``reason``
    the evidence of the alert that decided the status.

plus ``license_policy``, ``affiliate_path``, ``decision``, ``decision_note``,
``row_key``, ``supplier_hash``, ``entry_hash`` (and ``change`` with ``previous=``).

Affiliates (``research/ownership-rules.md`` §1.3-§1.5): the ownership graph's entity
names and aliases are screened against the list; an entity whose best match is a
``hit`` becomes a listed party of that entry's source, with the entry's licence terms;
the rule preset then extends the listed set (``apply_affiliates_rule``). A supplier is
linked to a graph entity by id when its id is an entity id, else by name (the supplier
name screened against the names of the entities the rule flagged).

Example::

    >>> import pandas as pd, exportscreen as xs                      # doctest: +SKIP
    >>> frame = pd.DataFrame({"name": ["Hangzhou Hikvision Digital Technology Co Ltd"],
    ...                       "country": ["CN"]})
    >>> xs.screen_suppliers(frame)[["name", "screen_status", "matched_list"]]
                                              name screen_status matched_list
    0  Hangzhou Hikvision Digital Technology Co Ltd           hit  entity_list
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ._io import SURROGATES as _SURROGATES
from ._io import blank_rows_notice, has_undecodable, iso_date, read_json_file, read_table
from ._version import __version__
from .decisions import Decision, DecisionBook, load_decisions, row_key, supplier_hash
from .errors import InputError

if TYPE_CHECKING:
    import argparse

    import pandas as pd

    from .lists.models import ListEntry, ScreeningList

__all__ = [
    "RESULT_COLUMNS",
    "STATUSES",
    "AffiliateLink",
    "Alert",
    "Change",
    "PathStep",
    "RowResult",
    "ScreeningRun",
    "detect_columns",
    "run_screen_command",
    "screen",
    "screen_suppliers",
]

STATUSES: tuple[str, ...] = ("hit", "affiliate", "possible", "clear", "error")
RESULT_COLUMNS: tuple[str, ...] = (
    "screen_status", "score", "matched_name", "matched_list", "matched_entry_id",
    "license_requirement", "reason",
)
EXTRA_COLUMNS: tuple[str, ...] = (
    "license_policy", "affiliate_path", "decision", "decision_note",
    "row_key", "supplier_hash", "entry_hash",
)
_SEVERITY = {"hit": 0, "affiliate": 1, "possible": 2}
_KIND_ORDER = {"name": 0, "listed_entity": 1, "affiliate": 2, "affiliate_name": 3}
# Tie-break between equally scored entries: the lists with the widest export effect first
# (SDN blocking, Denied Persons: no export privileges, Entity List, MEU, ...).
_SOURCE_ORDER = {s: i for i, s in enumerate(
    ("sdn", "dpl", "entity_list", "meu", "itar_debarred", "isn", "uvl", "fse", "ssi", "cmic",
     "plc", "capta", "ns_mbs"))}
# An ownership finding's status -> the row status it gives (DESIGN.md "Statuses").
FINDING_TO_STATUS: dict[str, str] = {
    "covered": "affiliate",
    "undetermined": "possible",
    "red_flag": "possible",
    "suspended": "possible",
}

# Column detection: header text is casefolded and stripped of everything but letters
# and digits, then compared with these, in this order (first found wins). SAP vendor
# (LFA1) and customer (KNA1) exports use NAME1 / LAND1 / LIFNR / KUNNR.
NAME_COLUMN_CANDIDATES: tuple[str, ...] = (
    "name", "suppliername", "vendorname", "customername", "companyname", "partyname",
    "legalname", "entityname", "counterpartyname", "businessname", "organisationname",
    "organizationname", "accountname", "name1", "supplier", "vendor", "customer", "company",
    "counterparty", "party", "organisation", "organization",
)
COUNTRY_COLUMN_CANDIDATES: tuple[str, ...] = (
    "country", "countrycode", "countryiso", "iso2", "suppliercountry", "vendorcountry",
    "customercountry", "partycountry", "land1", "land", "ctry", "nation",
)
ID_COLUMN_CANDIDATES: tuple[str, ...] = (
    "id", "supplierid", "vendorid", "customerid", "partyid", "entityid", "accountid",
    "suppliernumber", "vendornumber", "customernumber", "supplierno", "vendorno", "customerno",
    "lifnr", "kunnr", "lei",
)


def _header_key(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


# --------------------------------------------------------------------------- models


@dataclass(frozen=True)
class PathStep:
    """An entity on an ownership path and its stake in the next one (toward the supplier)."""

    entity_id: str
    name: str
    country: str | None
    percent_min: float | None
    percent_max: float | None
    listed_entry_id: str | None = None

    def stake_text(self) -> str:
        if self.percent_min is None and self.percent_max is None:
            return ""
        low, high = self.percent_min, self.percent_max
        if low is None or high is None:
            return "?%"
        if low == 0 and high == 100:
            return "unknown stake"
        if low == high:
            return f"{_num(low)}%"
        return f"{_num(low)}-{_num(high)}%"


@dataclass(frozen=True)
class AffiliateLink:
    """How a supplier row is tied to a flagged entity of the ownership graph."""

    entity_id: str
    entity_name: str
    link: str  # "id" or "name"
    link_score: float
    finding_status: str  # covered, undetermined, red_flag, suspended, or listed
    path: tuple[PathStep, ...]  # listed root first, the supplier's entity last
    roots: tuple[str, ...]
    aggregate_min: float | None
    aggregate_max: float | None
    reason: str
    # (owner id, owner name, percent min, percent max, owner status) of each stake counted
    contributions: tuple[tuple[str, str, float | None, float | None, str], ...] = ()

    def path_text(self) -> str:
        """``Supplier [id] <- 100% Owner [id] <- 60% Listed root [id]`` (supplier first)."""
        parts: list[str] = []
        steps = list(self.path)
        for index in range(len(steps) - 1, -1, -1):
            step = steps[index]
            label = f"{step.name or step.entity_id} [{step.entity_id}]"
            if step.listed_entry_id:
                label += f" (listed: entry {step.listed_entry_id})"
            if index == len(steps) - 1:
                parts.append(label)
            else:
                stake = step.stake_text()
                parts.append(f"{stake + ' ' if stake else ''}{label}")
        return " <- ".join(parts)


@dataclass(frozen=True)
class Alert:
    """One reason a row may be restricted: a name match, a listed graph entity or an affiliate."""

    kind: str  # "name", "listed_entity", "affiliate", "affiliate_name"
    status: str  # hit, affiliate, possible
    score: float
    entry_id: str
    entry_name: str
    matched_alias: str
    source: str
    source_name: str
    license_requirement: str
    license_policy: str
    reason: str
    alert_hash: str
    affiliate: AffiliateLink | None = None

    def sort_key(self) -> tuple[int, float, int, int, str]:
        """Most severe first, then score, then direct name matches, then list priority."""
        return (_SEVERITY[self.status], -self.score, _KIND_ORDER.get(self.kind, 9),
                _SOURCE_ORDER.get(self.source, len(_SOURCE_ORDER)), self.entry_id)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind, "status": self.status, "score": self.score,
            "entry_id": self.entry_id, "entry_name": self.entry_name,
            "matched_alias": self.matched_alias, "source": self.source,
            "source_name": self.source_name,
            "license_requirement": self.license_requirement,
            "license_policy": self.license_policy, "reason": self.reason,
            "entry_hash": self.alert_hash,
        }
        if self.affiliate is not None:
            data["affiliate"] = _affiliate_dict(self.affiliate)
        return data


@dataclass(frozen=True)
class RowResult:
    """The screening result of one input row (all alerts, the deciding one, the decision)."""

    position: int
    row: int
    row_key: str
    supplier_hash: str
    name: str
    country: str
    supplier_id: str
    status: str
    reason: str
    alerts: tuple[Alert, ...] = ()
    top: Alert | None = None
    decision: str = ""
    decision_note: str = ""
    suppressed: tuple[tuple[Alert, Decision], ...] = ()
    reopened: tuple[tuple[Alert, Decision, str], ...] = ()
    change: str = ""

    @property
    def is_open_alert(self) -> bool:
        """An alert an analyst still has to look at (not decided, or re-opened)."""
        return self.status in _SEVERITY and self.decision != "confirmed"

    def result_columns(self) -> dict[str, Any]:
        top = self.top
        return {
            "screen_status": self.status,
            "score": None if top is None else top.score,
            "matched_name": "" if top is None else top.entry_name,
            "matched_list": "" if top is None else top.source,
            "matched_entry_id": "" if top is None else top.entry_id,
            "license_requirement": "" if top is None else top.license_requirement,
            "reason": self.reason,
            "license_policy": "" if top is None else top.license_policy,
            "affiliate_path": "" if top is None or top.affiliate is None
            else top.affiliate.path_text(),
            "decision": self.decision,
            "decision_note": self.decision_note,
            "row_key": self.row_key,
            "supplier_hash": self.supplier_hash,
            "entry_hash": "" if top is None else top.alert_hash,
        }


@dataclass(frozen=True)
class Change:
    """A row whose outcome differs from the previous run, and why."""

    row_key: str
    row: int | None
    name: str
    before: str
    after: str
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"row_key": self.row_key, "row": self.row, "name": self.name,
                "before": self.before, "after": self.after, "reasons": list(self.reasons)}

    def text(self) -> str:
        return f"{self.before} -> {self.after}: {'; '.join(self.reasons)}"


@dataclass(frozen=True)
class ScreeningRun:
    """Everything one screening produced: the output frame, per-row evidence, provenance."""

    frame: pd.DataFrame
    rows: tuple[RowResult, ...]
    input_columns: tuple[str, ...]
    columns: dict[str, str | None]
    provenance: dict[str, Any]
    notices: tuple[str, ...]
    list_entry_hashes: dict[str, str]
    ownership: dict[str, Any] | None = None
    decisions: dict[str, Any] | None = None
    changes: tuple[Change, ...] | None = None
    input_rows: tuple[dict[str, str], ...] = field(default=(), repr=False)

    @property
    def summary(self) -> dict[str, int]:
        """Rows per status (all five), open alerts, rows with alerts closed as false positive,
        rows whose deciding alert is confirmed, rows with re-opened decisions."""
        counts = {status: 0 for status in STATUSES}
        for result in self.rows:
            counts[result.status] += 1
        counts["rows"] = len(self.rows)
        counts["open_alerts"] = sum(1 for r in self.rows if r.is_open_alert)
        counts["false_positive"] = sum(1 for r in self.rows if r.suppressed)
        counts["confirmed"] = sum(1 for r in self.rows if r.decision == "confirmed")
        counts["reopened"] = sum(1 for r in self.rows if r.reopened)
        return counts

    def alerts(self) -> list[RowResult]:
        """Rows with status hit, affiliate or possible, most severe first, then input order."""
        flagged = [r for r in self.rows if r.status in _SEVERITY]
        return sorted(
            flagged,
            key=lambda r: (_SEVERITY[r.status], -(r.top.score if r.top else 0.0), r.position),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON report (see :func:`exportscreen.report.json.run_to_dict`)."""
        from .report.json import run_to_dict

        return run_to_dict(self)


# --------------------------------------------------------------------------- columns


def detect_columns(
    columns: Sequence[str],
    *,
    name_column: str | None = None,
    country_column: str | None = None,
    id_column: str | None = None,
    label: str = "<input>",
    from_file: bool = True,
    header_row: int = 1,
) -> dict[str, str | None]:
    """Pick the name, country and id columns: the ones given, else the first known header.

    >>> detect_columns(["Vendor Number", "NAME1", "LAND1"])
    {'name': 'NAME1', 'country': 'LAND1', 'id': 'Vendor Number'}
    """
    row = header_row if from_file else None
    chosen: dict[str, str | None] = {}
    for role, given, candidates in (
        ("name", name_column, NAME_COLUMN_CANDIDATES),
        ("country", country_column, COUNTRY_COLUMN_CANDIDATES),
        ("id", id_column, ID_COLUMN_CANDIDATES),
    ):
        if given is not None:
            if given not in columns:
                raise InputError(
                    f"no such column for --{role}-column (columns found: {', '.join(columns)})",
                    file=label, row=row, column=given,
                )
            chosen[role] = given
            continue
        keyed: dict[str, str] = {}
        for column in columns:
            keyed.setdefault(_header_key(column), column)
        used = {v for v in chosen.values() if v}
        chosen[role] = next(
            (keyed[c] for c in candidates if c in keyed and keyed[c] not in used), None
        )
    if chosen["name"] is None:
        separator = next((s for s in (";", "\t", "|") if any(s in c for c in columns)), None)
        hint = (f"; the header holds {separator!r}: save the file as comma-separated CSV"
                if separator and len(columns) <= 2 else "")
        raise InputError(
            "cannot tell which column holds the party name (columns found: "
            f"{', '.join(columns) or 'none'}); pass --name-column / name_column={hint}",
            file=label, row=row,
        )
    return chosen


def _country_code(text: str) -> str | None:
    """ISO 3166 alpha-2 code for a code in any case ("cn") or a country name as ERPs and
    lists write it ("China", "Korea, North"); ``None`` when it is neither."""
    from .lists.clean import country_code, is_country_code

    text = text.strip()
    if len(text) == 2 and text.isascii() and is_country_code(text.upper()):
        return text.upper()
    return country_code(text) if text else None


# --------------------------------------------------------------------------- helpers


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _sha256_json(value: Any) -> str:
    payload = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def _file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _affiliate_dict(link: AffiliateLink) -> dict[str, Any]:
    return {
        "entity_id": link.entity_id, "entity_name": link.entity_name, "link": link.link,
        "link_score": link.link_score, "finding_status": link.finding_status,
        "roots": list(link.roots), "aggregate_min": link.aggregate_min,
        "aggregate_max": link.aggregate_max, "reason": link.reason,
        "path": [
            {"entity_id": s.entity_id, "name": s.name, "country": s.country,
             "percent_min": s.percent_min, "percent_max": s.percent_max,
             "listed_entry_id": s.listed_entry_id}
            for s in link.path
        ],
        "contributions": [
            {"owner_id": o, "owner_name": n, "percent_min": lo, "percent_max": hi,
             "owner_status": st}
            for o, n, lo, hi, st in link.contributions
        ],
        "path_text": link.path_text(),
    }


def _float(value: Any) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- lists, matcher


def _resolve_list(source: Any) -> ScreeningList:
    from .lists.models import ScreeningList

    if isinstance(source, ScreeningList):
        return source
    from .lists import load_list

    return load_list(source if source is not None else "default")


def _thresholds(matcher: Any, hit: float | None, possible: float | None) -> tuple[float, float]:
    from . import names

    hit_value = getattr(matcher, "hit_threshold", None)
    possible_value = getattr(matcher, "possible_threshold", None)
    return (
        float(hit if hit is not None else hit_value if hit_value is not None
              else names.HIT_THRESHOLD),
        float(possible if possible is not None else possible_value if possible_value is not None
              else names.POSSIBLE_THRESHOLD),
    )


def _check_thresholds(hit: float | None, possible: float | None) -> None:
    from .names import HIT_THRESHOLD, POSSIBLE_THRESHOLD

    hit_value = HIT_THRESHOLD if hit is None else hit
    possible_value = POSSIBLE_THRESHOLD if possible is None else possible
    if not 0 <= possible_value <= hit_value <= 100:  # also false for NaN
        raise InputError(
            f"the score thresholds must satisfy 0 <= possible ({possible_value:g}) <= hit "
            f"({hit_value:g}) <= 100", column="--hit-threshold/--possible-threshold",
        )


def _unscreenable_name(name: str) -> str | None:
    """Why a name gives the matcher nothing to compare (so "clear" would say nothing)."""
    text = " ".join(name.split())
    if not any(ch.isalnum() for ch in text):
        return "it has no letters or digits"
    if len(text.split()) <= 4:  # a long name always has a word beyond its legal form
        from .names import analyze_name

        analysis = analyze_name(text)
        if not analysis.tokens:
            return "it has no letters or digits the matcher can compare"
        if all(c == "legal" for c in analysis.classes):
            return "it is only a legal form"
    return None


def _only_exact(name: str) -> bool:
    """True when the matcher compares *name* only with list names written the same (it
    holds only initials, numbers, legal forms and stop words: "AT&T", "7-28")."""
    from .names import analyze_name
    from .names.matcher import identifies_someone

    analysis = analyze_name(name)
    return bool(analysis.tokens) and not identifies_someone(analysis)


def _make_matcher(lst: ScreeningList, hit: float | None, possible: float | None) -> Any:
    from .names import HIT_THRESHOLD, POSSIBLE_THRESHOLD, NameMatcher

    return NameMatcher(
        lst,
        hit_threshold=HIT_THRESHOLD if hit is None else hit,
        possible_threshold=POSSIBLE_THRESHOLD if possible is None else possible,
    )


def _match_unique(
    matcher: Any,
    queries: Sequence[tuple[str, str | None]],
    *,
    limit: int,
    progress: bool,
    desc: str,
) -> dict[tuple[str, str | None], list[Any]]:
    """Match each distinct (name, country) once; chunked so a progress bar can advance."""
    unique = sorted(set(queries), key=lambda q: (q[0], q[1] or ""))
    results: dict[tuple[str, str | None], list[Any]] = {}
    chunk = 50000
    starts = range(0, len(unique), chunk)
    bar = None
    if progress and unique:
        from tqdm import tqdm  # type: ignore[import-untyped]

        bar = tqdm(total=len(unique), desc=desc, unit="name", file=sys.stderr, leave=False)
    try:
        for start in starts:
            part = unique[start:start + chunk]
            names = [q[0] for q in part]
            countries = [q[1] for q in part]
            found = matcher.match_many(names, countries, limit=limit)
            for query, matches in zip(part, found, strict=True):
                results[query] = list(matches)
            if bar is not None:
                bar.update(len(part))
    finally:
        if bar is not None:
            bar.close()
    return results


# --------------------------------------------------------------------------- ownership


class _EntityLookup(Mapping[str, Any]):
    """id -> Entity with one dict build (a graph's own lookup may cost a pandas call each)."""

    def __init__(self, graph: Any) -> None:
        self._graph = graph
        ids = getattr(graph, "ids", None)
        if ids is not None and hasattr(graph, "entity_at"):
            self._positions: dict[str, int] | None = {str(v): i for i, v in enumerate(ids)}
        else:
            self._positions = None

    def __getitem__(self, key: str) -> Any:
        if self._positions is None:
            return self._graph.entities[key]
        return self._graph.entity_at(self._positions[key])

    def __contains__(self, key: object) -> bool:
        if self._positions is None:
            return key in self._graph.entities
        return key in self._positions

    def __iter__(self) -> Any:
        return iter(self._positions if self._positions is not None else self._graph.entities)

    def __len__(self) -> int:
        return len(self._positions if self._positions is not None else self._graph.entities)

    def position(self, key: str) -> int | None:
        return None if self._positions is None else self._positions.get(key)


@dataclass
class _Ownership:
    graph: Any
    entities: _EntityLookup
    result: Any
    listed: dict[str, tuple[ListEntry, float, str]]  # entity id -> (entry, score, alias)
    possible_roots: list[dict[str, Any]]
    flagged: dict[str, Any]  # entity id -> finding (status not clear)
    provenance: dict[str, Any]
    entity_matcher: Any = None
    path_cache: dict[str, tuple[PathStep, ...]] = field(default_factory=dict)


def _load_graph(
    ownership: Any, entities: Any, percent_scale: str = "percent"
) -> tuple[Any, dict[str, Any]]:
    from .ownership import OwnershipGraph
    from .ownership.graph import check_percent_scale

    scale = check_percent_scale(percent_scale)
    if isinstance(ownership, OwnershipGraph):
        if scale != "percent":
            raise InputError("percent_scale is for an ownership file or DataFrame; an "
                             "OwnershipGraph is already read", column="percent_scale")
        return ownership, {"source": "OwnershipGraph object"}
    import pandas as pd

    if isinstance(ownership, pd.DataFrame):
        graph = OwnershipGraph.from_frame(ownership, entities=entities, percent_scale=scale)
        return graph, {"source": "<DataFrame>"}
    info: dict[str, Any] = {"path": str(ownership), "sha256": None}
    if scale != "percent":  # the same file read another way is other evidence
        info["percent_scale"] = scale
    if Path(ownership).is_file():
        info["sha256"] = _file_sha256(ownership)
    if entities is not None and not isinstance(entities, pd.DataFrame):
        info["entities_path"] = str(entities)
        if Path(entities).is_file():
            info["entities_sha256"] = _file_sha256(entities)
    graph = OwnershipGraph.from_csv(ownership, entities=entities, percent_scale=scale)
    return graph, info


def _seed_preference(rule: Any) -> Callable[[ListEntry], int]:
    """0 for entries whose source seeds the rule, 1 otherwise (so seeding entries win ties)."""
    try:
        from .ownership.rules import get_rule

        preset = get_rule(rule)
    except InputError:
        raise
    except Exception:  # a rule object of another shape: no preference
        return lambda entry: 0

    def rank(entry: ListEntry) -> int:
        return 0 if preset.seeds_party(entry.source, tuple(entry.programs)) is not False else 1

    return rank


def _entity_queries(
    graph: Any, lookup: _EntityLookup, linked_ids: Iterable[str] = ()
) -> list[tuple[str, str, str | None]]:
    """(entity id, name or alias, country) for the graph entities that need screening.

    Only an entity that holds a stake can make another one an affiliate, so the names
    screened are those of owners, plus entities a supplier row is linked to by id (a
    listed entity supplying under another name). Leaves owning nothing are skipped:
    at 100,000 entities this halves the matching work without changing any result.
    """
    import numpy as np

    owner_positions = getattr(graph, "owner", None)
    if owner_positions is None or not hasattr(graph, "entity_at"):
        selected: Iterable[Any] = graph.entities.values()
    else:
        positions = set(np.unique(np.asarray(owner_positions)).tolist())
        for entity_id in linked_ids:
            position = lookup.position(entity_id)
            if position is not None:
                positions.add(int(position))
        selected = (graph.entity_at(p) for p in sorted(positions))
    queries: list[tuple[str, str, str | None]] = []
    for entity in selected:
        entity_id = str(entity.id)
        country = _country_code(getattr(entity, "country", None) or "")
        names = [getattr(entity, "name", None) or "", *(getattr(entity, "aliases", ()) or ())]
        seen: set[str] = set()
        for name in names:
            name = " ".join(name.split())
            if name and name not in seen and not has_undecodable(name):
                seen.add(name)
                queries.append((entity_id, name, country))
    return queries


def _listed_parties(
    queries: list[tuple[str, str, str | None]],
    matches: Mapping[tuple[str, str | None], list[Any]],
    entries: Mapping[tuple[str, str], ListEntry],
    rank: Callable[[ListEntry], int],
) -> tuple[dict[str, tuple[ListEntry, float, str]], list[dict[str, Any]],
           dict[str, list[ListEntry]]]:
    """Graph entities whose name or alias is a list ``hit`` -> (entry, score, matched name).

    The entry shown for an entity is the one whose list seeds the rule, then the higher
    score, then the smaller entry id (deterministic); every hit entry becomes a listed
    party of the entity (third value), so the rule sees all the lists it is on.
    """
    best: dict[str, tuple[tuple[int, float, str], ListEntry, float, str]] = {}
    every: dict[str, dict[tuple[str, str], ListEntry]] = {}
    possible: dict[str, dict[str, Any]] = {}
    for entity_id, name, country in queries:
        for match in matches.get((name, country), ()):
            entry = entries.get((str(match.source), str(match.entry_id)))
            if entry is None:
                continue
            score = float(match.score)
            if match.status == "hit":
                key = (rank(entry), -score, entry.id)
                every.setdefault(entity_id, {})[entry.key] = entry
                if entity_id not in best or key < best[entity_id][0]:
                    best[entity_id] = (key, entry, score, name)
            elif match.status == "possible":
                current = possible.get(entity_id)
                if current is None or score > current["score"]:
                    possible[entity_id] = {
                        "entity_id": entity_id, "entity_name": name, "entry_id": entry.id,
                        "entry_name": entry.name, "source": entry.source, "score": score,
                    }
    listed = {k: (v[1], v[2], v[3]) for k, v in best.items()}
    maybes = [possible[k] for k in sorted(possible) if k not in listed]
    hits = {k: [v[i] for i in sorted(v)] for k, v in every.items()}
    return listed, maybes, hits


def _listed_party(entity_id: str, entry: ListEntry) -> Any:
    from .ownership import ListedParty

    return ListedParty(
        id=entity_id, list=entry.source, name=entry.name, programs=tuple(entry.programs),
        license_requirement=entry.license_requirement, license_policy=entry.license_policy,
    )


def _finding_map(result: Any) -> dict[str, Any]:
    return {str(f.id): f for f in result.findings if f.status in FINDING_TO_STATUS}


def _stake(finding: Any, owner_id: str) -> tuple[float | None, float | None]:
    for contribution in getattr(finding, "contributions", ()) or ():
        owner = getattr(contribution, "owner_id", None)
        if owner is None and isinstance(contribution, Mapping):
            owner = contribution.get("owner_id")
        if str(owner) == owner_id:
            get = (contribution.get if isinstance(contribution, Mapping)
                   else lambda k, c=contribution: getattr(c, k, None))
            return _float(get("percent_min")), _float(get("percent_max"))
    return None, None


def _contributions(
    own: _Ownership, finding: Any
) -> tuple[tuple[str, str, float | None, float | None, str], ...]:
    out = []
    for c in getattr(finding, "contributions", ()) or ():
        owner = str(c.owner_id)
        entity = own.entities.get(owner)
        out.append((owner, (getattr(entity, "name", None) or "") if entity else "",
                     _float(c.percent_min), _float(c.percent_max),
                     str(getattr(c, "owner_status", "") or "")))
    return tuple(out)


def _path_steps(own: _Ownership, entity_id: str, finding: Any) -> tuple[PathStep, ...]:
    cached = own.path_cache.get(entity_id)
    if cached is not None:
        return cached
    path = [str(p) for p in (getattr(finding, "path", None) or ())]
    if not path:
        roots = [str(r) for r in (getattr(finding, "roots", None) or ())]
        path = [*roots[:1], entity_id] if roots else [entity_id]
    entities = own.entities
    steps: list[PathStep] = []
    for index, node in enumerate(path):
        entity = entities.get(node)
        low = high = None
        if index + 1 < len(path):
            nxt = path[index + 1]
            holder = own.result.finding(nxt) if nxt != entity_id else finding
            if holder is not None:
                low, high = _stake(holder, node)
        listed = own.listed.get(node)
        steps.append(PathStep(
            entity_id=node,
            name=(getattr(entity, "name", None) or "") if entity is not None else "",
            country=getattr(entity, "country", None) if entity is not None else None,
            percent_min=low, percent_max=high,
            listed_entry_id=listed[0].id if listed else None,
        ))
    result = tuple(steps)
    own.path_cache[entity_id] = result
    return result


def _affiliate_alert(
    own: _Ownership, entity_id: str, link: str, link_score: float, rule_id: str,
) -> Alert | None:
    """The alert for a supplier tied to graph entity *entity_id*, if the entity is flagged."""
    entity = own.entities.get(entity_id)
    entity_name = (getattr(entity, "name", None) or entity_id) if entity is not None else entity_id
    how = ("supplier id is ownership-graph entity" if link == "id"
           else f"supplier name matches ownership-graph entity (score {_num(link_score)})")
    listed = own.listed.get(entity_id)
    if listed is not None:
        entry, score, alias = listed
        reason = (
            f"{how} {entity_name!r} [{entity_id}], which is itself listed: its name "
            f"{alias!r} matches {entry.source_name or entry.source} entry {entry.id} "
            f"{entry.name!r} (score {_num(score)})"
        )
        return Alert(
            kind="listed_entity", status="hit", score=min(link_score, score), entry_id=entry.id,
            entry_name=entry.name, matched_alias=alias, source=entry.source,
            source_name=entry.source_name, license_requirement=entry.license_requirement or "",
            license_policy=entry.license_policy or "", reason=reason,
            alert_hash=_sha256_json({"entry": entry.content_hash, "entity": entity_id}),
        )
    finding = own.flagged.get(entity_id)
    if finding is None:
        return None
    steps = _path_steps(own, entity_id, finding)
    roots = tuple(str(r) for r in (getattr(finding, "roots", None) or ()))
    root_id = steps[0].entity_id if steps and steps[0].entity_id in own.listed else (
        next((r for r in roots if r in own.listed), None))
    root = own.listed.get(root_id) if root_id else None
    status = FINDING_TO_STATUS[finding.status]
    affiliate = AffiliateLink(
        entity_id=entity_id, entity_name=entity_name, link=link, link_score=link_score,
        finding_status=str(finding.status), path=steps, roots=roots,
        aggregate_min=_float(getattr(finding, "aggregate_min", None)),
        aggregate_max=_float(getattr(finding, "aggregate_max", None)),
        reason=str(getattr(finding, "reason", "") or ""),
        contributions=_contributions(own, finding),
    )
    label = {"covered": "a covered affiliate", "undetermined": "possibly a covered affiliate "
             "(undetermined)", "red_flag": "a red flag", "suspended": "an affiliate whose rule "
             "is suspended at the as-of date"}[str(finding.status)]
    reason = (
        f"{how} {entity_name!r} [{entity_id}], {label} under {rule_id}"
        f"{': ' + affiliate.reason if affiliate.reason else ''}; path: {affiliate.path_text()}"
    )
    root_entry = root[0] if root else None
    evidence = {
        "status": str(finding.status), "entity": entity_id,
        "roots": {r: own.listed[r][0].content_hash for r in roots if r in own.listed},
        "path": [(s.entity_id, s.percent_min, s.percent_max) for s in steps],
        "aggregate": (affiliate.aggregate_min, affiliate.aggregate_max),
    }
    return Alert(
        kind="affiliate", status=status, score=link_score,
        entry_id=root_entry.id if root_entry else (root_id or ""),
        entry_name=root_entry.name if root_entry else "", matched_alias="",
        source=root_entry.source if root_entry else "",
        source_name=root_entry.source_name if root_entry else "",
        license_requirement=str(getattr(finding, "license_requirement", None)
                                or (root_entry.license_requirement if root_entry else "") or ""),
        license_policy=str(getattr(finding, "license_policy", None)
                           or (root_entry.license_policy if root_entry else "") or ""),
        reason=reason, alert_hash=_sha256_json(evidence), affiliate=affiliate,
    )


def _entity_list(own: _Ownership, ids: Iterable[str]) -> ScreeningList:
    from .lists.models import ListEntry, ListProvenance, ScreeningList

    made: list[ListEntry] = []
    for entity_id in sorted(set(ids)):
        entity = own.entities.get(entity_id)
        if entity is None or not (getattr(entity, "name", None) or "").strip():
            continue
        country = _country_code(getattr(entity, "country", None) or "")
        made.append(ListEntry(
            id=entity_id, source="ownership_graph", source_name="ownership graph",
            name=entity.name.strip(),
            aliases=tuple(a for a in (getattr(entity, "aliases", ()) or ()) if a.strip()),
            countries=(country,) if country else (),
        ))
    provenance = ListProvenance(
        source="ownership graph (flagged entities)", format="ownership",
        sha256=_sha256_json([e.id for e in made]), entries=len(made),
    )
    return ScreeningList(entries=tuple(made), provenance=provenance)


# --------------------------------------------------------------------------- the run



def _name_alert(match: Any, entry: ListEntry) -> Alert:
    score = float(match.score)
    alias = str(getattr(match, "matched_alias", "") or entry.name)
    explanation = str(getattr(match, "explanation", "") or "")
    word = "matches" if match.status == "hit" else "resembles"
    reason = (
        f"name {word} {entry.source_name or entry.source} entry {entry.id} {entry.name!r}"
        f"{' via alias ' + repr(alias) if alias != entry.name else ''} (score {_num(score)})"
        f"{': ' + explanation if explanation else ''}"
    )
    return Alert(
        kind="name", status=str(match.status), score=score, entry_id=entry.id,
        entry_name=entry.name, matched_alias=alias, source=entry.source,
        source_name=entry.source_name, license_requirement=entry.license_requirement or "",
        license_policy=entry.license_policy or "", reason=reason, alert_hash=entry.content_hash,
    )


def _decision_for(book: DecisionBook, key: str, alert: Alert) -> Decision | None:
    """The row's decision on this alert: one taken on exactly this alert content (its
    ``entry_hash``) first, since one CSL id can sit on several lists, each record its own
    alert; else the latest on the entry id (which then re-opens)."""
    latest = book.for_alert(key, alert.entry_id)
    if latest is None or latest.entry_hash == alert.alert_hash:
        return latest
    same = [d for d in book.decisions if d.row_key == key and d.entry_id == alert.entry_id
            and d.entry_hash == alert.alert_hash]
    if not same:
        return latest
    return sorted(same, key=lambda d: d.date or _dt.date.min)[-1]  # stable: latest line wins


def _decide(
    key: str, s_hash: str, alerts: list[Alert], book: DecisionBook, used: set[tuple[str, str]],
) -> tuple[list[Alert], list[tuple[Alert, Decision]], list[tuple[Alert, Decision, str]],
           dict[str, Decision]]:
    """Split alerts into open ones, suppressed false positives and re-opened decisions."""
    remaining: list[Alert] = []
    suppressed: list[tuple[Alert, Decision]] = []
    reopened: list[tuple[Alert, Decision, str]] = []
    confirmed: dict[str, Decision] = {}
    for alert in alerts:
        decision = _decision_for(book, key, alert) if len(book) else None
        if decision is not None and decision.entry_hash != alert.alert_hash and any(
            other is not alert and other.entry_id == alert.entry_id
            and other.alert_hash == decision.entry_hash for other in alerts
        ):
            # the decision is about another alert of this row with the same entry id (one
            # CSL id on several lists, or the id's name match beside its affiliate alert)
            decision = None
        if decision is None:
            remaining.append(alert)
            continue
        used.add((key, alert.entry_id))
        why: list[str] = []
        if decision.supplier_hash != s_hash:
            why.append("the supplier row changed")
        if decision.entry_hash != alert.alert_hash:
            why.append("the ownership evidence changed" if alert.affiliate is not None
                       else "the list entry changed")
        if why:
            reopened.append((alert, decision, " and ".join(why)))
            remaining.append(alert)
        elif decision.decision == "false_positive":
            suppressed.append((alert, decision))
        else:
            confirmed[alert.alert_hash] = decision
            remaining.append(alert)
    return remaining, suppressed, reopened, confirmed


def screen(
    suppliers: str | Path | pd.DataFrame,
    *,
    list: Any = "default",
    ownership: Any = None,
    entities: Any = None,
    rule: Any = "us-bis-affiliates",
    as_of: _dt.date | str | None = None,
    name_column: str | None = None,
    country_column: str | None = None,
    id_column: str | None = None,
    decisions: str | Path | pd.DataFrame | DecisionBook | None = None,
    previous: str | Path | Mapping[str, Any] | None = None,
    hit_threshold: float | None = None,
    possible_threshold: float | None = None,
    progress: bool = False,
    percent_scale: Literal["percent", "fraction"] = "percent",
) -> ScreeningRun:
    """Screen a supplier table and keep all the evidence (:class:`ScreeningRun`).

    :func:`screen_suppliers` returns ``screen(...).frame``; the CLI writes the run's
    CSV / JSON / HTML reports. ``previous`` is an earlier run's JSON (path or dict):
    the run then reports, per row, what changed and why (``changes``, ``change`` column).
    ``percent_scale`` says how an ownership file or DataFrame writes stakes (``"percent"``
    or ``"fraction"``, see :meth:`OwnershipGraph.from_csv`).
    """
    import pandas as pd

    # blank lines stay rows (of empty cells, reported as errors): every row comes out
    table = read_table(suppliers, keep_blank=True)
    frame = table.frame
    input_columns = tuple(str(c) for c in frame.columns)
    for column in (*RESULT_COLUMNS, *EXTRA_COLUMNS, "change"):
        if column in input_columns:
            raise table.error(
                "the input already has this column, which screening adds; rename it "
                "(is this a results file being screened again?)",
                None, column,
            )
    cols = detect_columns(
        input_columns, name_column=name_column, country_column=country_column,
        id_column=id_column, label=table.label, from_file=table.from_file,
        header_row=table.header_row,
    )
    if isinstance(as_of, str):
        try:
            as_of = iso_date(as_of)
        except ValueError:
            raise InputError(f"not a date in the form YYYY-MM-DD: {as_of!r}",
                             column="as_of") from None
    _check_thresholds(hit_threshold, possible_threshold)
    from .ownership.graph import check_percent_scale

    check_percent_scale(percent_scale)
    if ownership is None and isinstance(rule, str):
        from .ownership.rules import get_rule

        get_rule(rule)  # an unknown rule is an error even when no ownership graph uses it
    book = load_decisions(decisions)
    previous_data = _load_previous(previous)

    lst = _resolve_list(list)
    matcher = _make_matcher(lst, hit_threshold, possible_threshold)
    hit_t, possible_t = _thresholds(matcher, hit_threshold, possible_threshold)
    # keyed by (source, id): one CSL _id can sit on several lists (SDN, SSI, CAPTA ...),
    # and each record carries its own list and licence terms
    entries = {e.key: e for e in lst.entries}
    notices: list[str] = []
    if table.blank_rows:  # only blank lines after the last row are left out
        notices.append(f"{blank_rows_notice(table)}: they follow the last row")

    # ---- the rows: what can be screened, and what cannot (never dropped)
    n = len(frame)
    names = frame[cols["name"]].tolist() if n else []
    countries = frame[cols["country"]].tolist() if cols["country"] and n else [""] * n
    ids = frame[cols["id"]].tolist() if cols["id"] and n else [""] * n
    bad_columns: list[list[str]] = [[] for _ in range(n)]
    for column in input_columns:
        flags: Any = frame[column].str.contains(_SURROGATES) if n else []
        for position in [i for i, flag in enumerate(flags) if flag]:
            bad_columns[position].append(column)
    errors: dict[int, str] = {}
    queries: list[tuple[str, str | None]] = []
    query_of: list[tuple[str, str | None] | None] = []
    country_notes: dict[int, str] = {}
    for position in range(n):
        name = names[position]
        if bad_columns[position]:
            listed_cols = ", ".join(repr(c) for c in bad_columns[position])
            plural = "s" if len(bad_columns[position]) > 1 else ""
            errors[position] = (
                f"cannot screen: column{plural} {listed_cols} ha{'ve' if plural else 's'} bytes "
                "that are not valid UTF-8 "
                "(shown as U+FFFD in the output); fix the file's encoding"
            )
        elif not name.strip():
            errors[position] = (
                "cannot screen: the row is blank" if not any(
                    str(v).strip() for v in frame.iloc[position].tolist())
                else f"cannot screen: the name (column {cols['name']!r}) is empty")
        if position in errors:
            query_of.append(None)
            continue
        raw_country = countries[position].strip()
        code = _country_code(raw_country)
        if raw_country and code is None:
            country_notes[position] = (
                f"country {raw_country!r} is neither an ISO 3166 alpha-2 code nor a known "
                "country name, so it was not used to corroborate the match"
            )
        query = (" ".join(name.split()), code)
        queries.append(query)
        query_of.append(query)
    if country_notes:
        notices.append(f"{len(country_notes)} row(s) have a country that is neither an ISO "
                       "3166 alpha-2 code nor a known country name; those rows were screened "
                       "on the name alone")

    # ---- ownership: listed roots by name, the rule, flagged entities
    own: _Ownership | None = None
    entity_queries: list[tuple[str, str, str | None]] = []
    if ownership is not None:
        graph, graph_info = _load_graph(ownership, entities, percent_scale)
        lookup = _EntityLookup(graph)
        entity_queries = _entity_queries(
            graph, lookup, (ids[p].strip() for p in range(n) if query_of[p] is not None)
        )
    all_queries = queries + [(q[1], q[2]) for q in entity_queries]
    matches = _match_unique(matcher, all_queries, limit=5, progress=progress, desc="screening")
    rule_id = str(getattr(rule, "id", rule))
    if ownership is not None:
        from .ownership import apply_affiliates_rule

        listed, possible_roots, all_hits = _listed_parties(
            entity_queries, matches, entries, _seed_preference(rule)
        )
        parties = [_listed_party(eid, entry) for eid in sorted(all_hits)
                   for entry in all_hits[eid]]
        result = apply_affiliates_rule(graph, parties, rule=rule, as_of=as_of)
        own = _Ownership(
            graph=graph, entities=lookup, result=result, listed=listed,
            possible_roots=possible_roots, flagged=_finding_map(result), provenance=graph_info,
        )
        notices.extend(str(x) for x in (getattr(result, "notices", ()) or ()))
        if possible_roots:
            notices.append(
                f"{len(possible_roots)} ownership-graph entit(y/ies) only resemble a list entry "
                "(possible match) and were not treated as listed; see ownership.possible_roots"
            )
        rule_id = str(getattr(getattr(result, "rule", None), "id", None)
                      or getattr(result, "rule_id", None) or rule_id)
        flagged_ids = set(own.flagged) | set(listed)
        if flagged_ids:
            own.entity_matcher = _make_matcher(
                _entity_list(own, flagged_ids), hit_threshold, possible_threshold
            )

    # ---- link suppliers to graph entities: by id, else by name
    links: dict[int, tuple[str, str, float]] = {}
    name_resemblance: dict[int, list[Any]] = {}
    if own is not None:
        entity_ids = own.entities
        by_name: list[int] = []
        for position in range(n):
            if query_of[position] is None:
                continue
            sid = ids[position].strip()
            if sid and sid in entity_ids:
                links[position] = (sid, "id", 100.0)
            else:
                by_name.append(position)
        if own.entity_matcher is not None and by_name:
            entity_matches = _match_unique(
                own.entity_matcher, [q for p in by_name if (q := query_of[p]) is not None],
                limit=3, progress=progress, desc="affiliates",
            )
            for position in by_name:
                found = entity_matches.get(query_of[position] or ("", None), [])
                hits = [m for m in found if m.status == "hit"]
                if hits:
                    best = min(hits, key=lambda m: (-float(m.score), str(m.entry_id)))
                    links[position] = (str(best.entry_id), "name", float(best.score))
                else:
                    name_resemblance[position] = [m for m in found if m.status == "possible"]

    # ---- alerts, decisions, status per row
    used: set[tuple[str, str]] = set()
    results: list[RowResult] = []
    for position in range(n):
        name, country, sid = names[position], countries[position], ids[position]
        fields = {"name": name}
        if cols["country"]:
            fields["country"] = country
        if cols["id"]:
            fields["id"] = sid
        s_hash = supplier_hash(fields)  # of the raw bytes, undecodable ones included
        if bad_columns[position]:
            name, country, sid = (_SURROGATES.sub("\ufffd", t) for t in (name, country, sid))
        key = row_key(name, country, sid)
        row_number = table.row_number(position)
        if position in errors:
            results.append(RowResult(
                position=position, row=row_number, row_key=key, supplier_hash=s_hash,
                name=name, country=country, supplier_id=sid, status="error",
                reason=errors[position],
            ))
            continue
        alerts: list[Alert] = []
        for match in matches.get(query_of[position] or ("", None), ()):
            entry = entries.get((str(match.source), str(match.entry_id)))
            if entry is not None and match.status in ("hit", "possible"):
                alerts.append(_name_alert(match, entry))
        if own is not None:
            link = links.get(position)
            if link is not None:
                alert = _affiliate_alert(own, link[0], link[1], link[2], rule_id)
                if alert is not None:
                    alerts.append(alert)
            for match in name_resemblance.get(position, ()):
                alert = _affiliate_alert(own, str(match.entry_id), "name", float(match.score),
                                         rule_id)
                if alert is not None:
                    alerts.append(replace(
                        alert, kind="affiliate_name", status="possible",
                        reason="name only resembles: " + alert.reason,
                    ))
        alerts.sort(key=Alert.sort_key)
        remaining, suppressed, reopened, confirmed = _decide(key, s_hash, alerts, book, used)
        top = remaining[0] if remaining else None
        decision = decision_note = ""
        if top is not None:
            status = top.status
            reason = top.reason
            if len(remaining) > 1:
                reason += f" (+{len(remaining) - 1} more alert(s) in the JSON report)"
            if top.alert_hash in confirmed:
                decision = "confirmed"
                decision_note = confirmed[top.alert_hash].describe()
        elif suppressed:
            status = "clear"
            reason = "; ".join(
                f"alert on entry {a.entry_id} {a.entry_name!r} closed: {d.describe()}"
                for a, d in suppressed
            )
            decision = "false_positive"
            decision_note = "; ".join(d.describe() for _, d in suppressed)
        elif not alerts and (why := _unscreenable_name(name)) is not None:
            status = "error"
            reason = f"cannot screen: the name (column {cols['name']!r}) has nothing to " \
                f"compare: {why}"
        else:
            status = "clear"
            reason = (f"no list entry scored at or above {_num(possible_t)}"
                      if not _only_exact(name) else
                      "no list name is written the same (the name has only initials, numbers "
                      "or a legal form, so only list names equal to it are looked for)")
            if own is not None:
                reason += "; not a flagged entity of the ownership graph"
        if reopened:
            decision_note = "; ".join(
                f"re-opened: {d.describe()} no longer applies because {why}"
                for _, d, why in reopened
            ) + (f"; {decision_note}" if decision_note else "")
        if position in country_notes:
            reason += f" ({country_notes[position]})"
        results.append(RowResult(
            position=position, row=row_number, row_key=key, supplier_hash=s_hash, name=name,
            country=country, supplier_id=sid, status=status, reason=reason,
            alerts=tuple(alerts), top=top, decision=decision, decision_note=decision_note,
            suppressed=tuple(suppressed), reopened=tuple(reopened),
        ))

    # ---- provenance
    list_hashes = _entry_hashes(lst)
    decisions_info: dict[str, Any] | None = None
    if decisions is not None:
        unused = [
            {"row_key": d.row_key, "entry_id": d.entry_id, "decision": d.describe()}
            for d in book.latest() if (d.row_key, d.entry_id) not in used
        ]
        decisions_info = {
            **book.provenance(),
            "applied_false_positive": sum(len(r.suppressed) for r in results),
            "applied_confirmed": sum(1 for r in results if r.decision == "confirmed"),
            "reopened": [
                {"row": r.row, "row_key": r.row_key, "entry_id": a.entry_id,
                 "decision": d.describe(), "why": why}
                for r in results for a, d, why in r.reopened
            ],
            "unused": unused,
        }
        if decisions_info["reopened"]:
            notices.append(f"{len(decisions_info['reopened'])} decision(s) re-opened because "
                           "the supplier row, the list entry or the ownership evidence changed")
        if unused:
            notices.append(f"{len(unused)} decision(s) matched no current alert")
        if book.undecided_rows:
            notices.append(f"{len(book.undecided_rows)} line(s) of the decisions file have no "
                           "decision and were not applied")
    ownership_info: dict[str, Any] | None = None
    if own is not None:
        result = own.result
        ownership_info = {
            **own.provenance,
            "rule": rule_id,
            "as_of": _iso(getattr(result, "as_of", None) or as_of),
            "rule_in_force": getattr(result, "rule_in_force", None),
            "entities": len(own.entities),
            "listed_roots": [
                {"entity_id": eid, "entry_id": entry.id, "entry_name": entry.name,
                 "source": entry.source, "matched_name": alias, "score": score}
                for eid, (entry, score, alias) in sorted(own.listed.items())
            ],
            "possible_roots": own.possible_roots,
            "findings": {s: sum(1 for f in own.flagged.values() if f.status == s)
                         for s in FINDING_TO_STATUS},
            "linked_rows": len(links),
        }
    provenance: dict[str, Any] = {
        "library": {"name": "exportscreen", "version": __version__},
        "input": {
            "path": None if not table.from_file else table.label,
            "sha256": _file_sha256(table.label) if table.from_file else None,
            "rows": n, "columns": [*input_columns], "detected": dict(cols),
        },
        "list": lst.provenance.model_dump(mode="json"),
        "thresholds": {"hit": hit_t, "possible": possible_t},
        "rule": rule_id if own is not None else None,
        "as_of": ownership_info["as_of"] if ownership_info else _iso(as_of),
    }

    changes: tuple[Change, ...] | None = None
    if previous_data is not None:
        changes, results = _diff(previous_data, results, list_hashes, ownership_info, provenance)
        provenance["previous"] = {
            "library": previous_data.get("provenance", {}).get("library"),
            "list": previous_data.get("provenance", {}).get("list"),
            "input": previous_data.get("provenance", {}).get("input"),
        }

    out = frame.copy()
    if n:
        for column in input_columns:
            out[column] = out[column].str.replace(_SURROGATES, "\ufffd", regex=True)
    columns = [r.result_columns() for r in results]
    for column in (*RESULT_COLUMNS, *EXTRA_COLUMNS):
        values = [c[column] for c in columns]
        if column == "score":
            out[column] = pd.Series(values, index=out.index, dtype="float64")
        else:
            out[column] = pd.Series(values, index=out.index, dtype="object")
    if changes is not None:
        out["change"] = pd.Series([r.change for r in results], index=out.index, dtype="object")
    out.attrs["exportscreen"] = provenance
    return ScreeningRun(
        frame=out, rows=tuple(results), input_columns=input_columns, columns=dict(cols),
        provenance=provenance, notices=tuple(notices), list_entry_hashes=list_hashes,
        ownership=ownership_info, decisions=decisions_info, changes=changes,
    )


def _entry_hashes(lst: ScreeningList) -> dict[str, str]:
    """Entry id -> content hash; an id on several lists (records) hashes all its records,
    so a change to any of them shows in ``--since``."""
    by_id: dict[str, list[str]] = {}
    for entry in lst.entries:
        by_id.setdefault(entry.id, []).append(entry.content_hash)
    return {k: v[0] if len(v) == 1 else _sha256_json(sorted(v)) for k, v in by_id.items()}


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def screen_suppliers(
    frame: str | Path | pd.DataFrame,
    list: Any = "default",
    ownership: Any = None,
    rule: Any = "us-bis-affiliates",
    as_of: _dt.date | str | None = None,
    name_column: str | None = None,
    country_column: str | None = None,
    id_column: str | None = None,
    decisions: str | Path | pd.DataFrame | DecisionBook | None = None,
    *,
    entities: Any = None,
    previous: str | Path | Mapping[str, Any] | None = None,
    hit_threshold: float | None = None,
    possible_threshold: float | None = None,
    percent_scale: Literal["percent", "fraction"] = "percent",
) -> pd.DataFrame:
    """Screen every row of a supplier table; one output row per input row, in input order.

    *frame* is a DataFrame or a CSV/TSV/.xlsx path. *list* is a
    :class:`~exportscreen.ScreeningList` or anything ``load_list`` takes (``"default"``).
    *ownership* is an :class:`~exportscreen.OwnershipGraph`, an ownership CSV path (with
    *entities*; *percent_scale* ``"percent"`` or ``"fraction"`` says how its stakes are
    written) or ``None``. Output columns: the input's, then ``screen_status`` (hit,
    affiliate, possible, clear, error), ``score``, ``matched_name``, ``matched_list``,
    ``matched_entry_id``, ``license_requirement``, ``reason``, ``license_policy``,
    ``affiliate_path``, ``decision``, ``decision_note``, ``row_key``, ``supplier_hash``,
    ``entry_hash`` (``change`` too with *previous*). The run's provenance is in
    ``result.attrs["exportscreen"]``. Statuses and the affiliate logic: module docstring
    and ``docs/screening.md``.

    Example::

        >>> import pandas as pd, exportscreen as xs                  # doctest: +SKIP
        >>> out = xs.screen_suppliers(pd.DataFrame({"name": ["Sichuan University"]}))
        >>> out.loc[0, "screen_status"], out.loc[0, "matched_list"]
        ('hit', 'entity_list')
    """
    return screen(
        frame, list=list, ownership=ownership, entities=entities, rule=rule, as_of=as_of,
        name_column=name_column, country_column=country_column, id_column=id_column,
        decisions=decisions, previous=previous, hit_threshold=hit_threshold,
        possible_threshold=possible_threshold, percent_scale=percent_scale,
    ).frame


# --------------------------------------------------------------------------- --since


def _load_previous(previous: str | Path | Mapping[str, Any] | None) -> dict[str, Any] | None:
    if previous is None:
        return None
    if isinstance(previous, Mapping):
        data: Any = dict(previous)
        label = "<previous run>"
    else:
        label = str(previous)
        data = read_json_file(previous, "previous run")
    if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
        raise InputError("not an exportscreen screening JSON report (no 'rows' list); "
                         "write one with --out results.json", file=label)
    _check_previous(data, label)
    return data


def _check_previous(data: Mapping[str, Any], label: str) -> None:
    """The parts of a previous report ``--since`` reads must have the shape it wrote."""

    def fail(where: str, message: str) -> InputError:
        return InputError(f"not an exportscreen screening JSON report: {message}",
                          file=label, column=where)

    for key in ("provenance", "ownership", "list_entries"):
        if data.get(key) is not None and not isinstance(data[key], dict):
            raise fail(key, "expected an object")
    provenance = data.get("provenance") or {}
    if provenance.get("library") is not None and not isinstance(provenance["library"], dict):
        raise fail("provenance.library", "expected an object")
    for entry_id, digest in (data.get("list_entries") or {}).items():
        if not isinstance(digest, str):
            raise fail(f"list_entries.{entry_id}", "expected the entry's sha256 text")
    texts = ("name", "matched_entry_id", "decision", "supplier_hash", "entry_hash")
    for number, row in enumerate(data["rows"], start=1):
        where = f"rows[{number}]"
        if not isinstance(row, dict) or "row_key" not in row or "screen_status" not in row:
            raise fail(where, f"row #{number} of the report lacks row_key/screen_status")
        if not isinstance(row["row_key"], str) or not row["row_key"]:
            raise fail(f"{where}.row_key", "expected the row key text")
        if row["screen_status"] not in STATUSES:
            raise fail(f"{where}.screen_status",
                       f"{row['screen_status']!r} is not one of {', '.join(STATUSES)}")
        for key in texts:
            if row.get(key) is not None and not isinstance(row[key], str):
                raise fail(f"{where}.{key}", "expected text")
        alerts = row.get("alerts")
        if alerts is not None and (not isinstance(alerts, list)
                                   or not all(isinstance(a, dict) for a in alerts)):
            raise fail(f"{where}.alerts", "expected a list of objects")


def _outcome(status: str, entry_id: str, decision: str) -> str:
    text = status
    if entry_id:
        text += f" ({entry_id})"
    if decision:
        text += f" [{decision}]"
    return text


def _diff(
    previous: Mapping[str, Any],
    results: list[RowResult],
    list_hashes: Mapping[str, str],
    ownership_info: Mapping[str, Any] | None,
    provenance: Mapping[str, Any],
) -> tuple[tuple[Change, ...], list[RowResult]]:
    """Rows whose outcome (status, deciding entry, decision) differs from *previous*, and why."""
    before_hashes: Mapping[str, str] = previous.get("list_entries") or {}
    prev_prov = previous.get("provenance") or {}
    prev_own = previous.get("ownership") or {}
    ownership_changed = bool(ownership_info or prev_own) and (
        (ownership_info or {}).get("sha256") != prev_own.get("sha256")
        or (ownership_info or {}).get("entities_sha256") != prev_own.get("entities_sha256")
        or (ownership_info or {}).get("rule") != prev_own.get("rule")
        or (ownership_info or {}).get("percent_scale") != prev_own.get("percent_scale")
        or (ownership_info or {}).get("as_of") != prev_own.get("as_of")
    )
    by_key: dict[str, list[Mapping[str, Any]]] = {}
    for row in previous["rows"]:
        by_key.setdefault(str(row["row_key"]), []).append(row)
    seen: dict[str, int] = {}
    changes: list[Change] = []
    updated: list[RowResult] = []

    def entry_reasons(entry_ids: Iterable[str]) -> list[str]:
        out: list[str] = []
        for entry_id in sorted(set(e for e in entry_ids if e)):
            old, new = before_hashes.get(entry_id), list_hashes.get(entry_id)
            if old is None and new is not None and before_hashes:
                out.append(f"list entry {entry_id} was added")
            elif old is not None and new is None:
                out.append(f"list entry {entry_id} was removed")
            elif old is not None and new is not None and old != new:
                out.append(f"list entry {entry_id} changed")
        return out

    for result in results:
        occurrence = seen.get(result.row_key, 0)
        seen[result.row_key] = occurrence + 1
        candidates = by_key.get(result.row_key, [])
        prev = candidates[occurrence] if occurrence < len(candidates) else None
        after = _outcome(result.status, result.top.entry_id if result.top else "", result.decision)
        if prev is None:
            change = Change(result.row_key, result.row, result.name, "new", after,
                            ("row not in the previous run",))
        else:
            before = _outcome(str(prev["screen_status"]), str(prev.get("matched_entry_id") or ""),
                              str(prev.get("decision") or ""))
            if before == after:
                updated.append(result)
                continue
            reasons: list[str] = []
            if prev.get("supplier_hash") != result.supplier_hash:
                reasons.append("the supplier row changed")
            prev_entries = [str(a.get("entry_id", "")) for a in prev.get("alerts") or ()]
            prev_entries.append(str(prev.get("matched_entry_id") or ""))
            now_entries = [a.entry_id for a in result.alerts]
            reasons.extend(entry_reasons([*prev_entries, *now_entries]))
            affiliate_involved = (
                (result.top is not None and result.top.affiliate is not None)
                or any(a.get("kind") in ("affiliate", "listed_entity", "affiliate_name")
                       for a in prev.get("alerts") or ())
                or any(a.affiliate is not None for a in result.alerts)
            )
            if affiliate_involved and (ownership_changed or prev.get("entry_hash") != (
                    result.top.alert_hash if result.top else "")):
                reasons.append("the ownership evidence changed" if ownership_info and prev_own
                               else "ownership screening was added or dropped")
            if result.suppressed:
                reasons.append("alert(s) closed as false positive: " + ", ".join(
                    f"entry {a.entry_id} ({d.describe()})" for a, d in result.suppressed))
            if str(prev.get("decision") or "") != result.decision or result.reopened:
                reasons.append("an analyst decision applies, expired or re-opened"
                               if result.decision or result.reopened or prev.get("decision")
                               else "decision changed")
            if prev_prov.get("thresholds") != provenance.get("thresholds"):
                reasons.append("the score thresholds changed")
            if (prev_prov.get("library") or {}).get("version") != __version__:
                reasons.append("the exportscreen version changed (matching may differ)")
            if not reasons:
                reasons.append("the match scoring changed for the same row and entries")
            change = Change(result.row_key, result.row, result.name, before, after,
                            tuple(reasons))
        changes.append(change)
        updated.append(replace(result, change=change.text()))
    for key, rows in sorted(by_key.items()):
        for row in rows[seen.get(key, 0):]:
            before = _outcome(str(row["screen_status"]), str(row.get("matched_entry_id") or ""),
                              str(row.get("decision") or ""))
            changes.append(Change(key, None, str(row.get("name") or ""), before, "removed",
                                  ("row no longer in the supplier file",)))
    return tuple(changes), updated


# --------------------------------------------------------------------------- CLI


def _stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _check_output(flag: str, target: str, inputs: Sequence[str]) -> None:
    path = Path(target)
    if path.is_dir():
        raise InputError(f"{flag} is a folder; give a file name", file=target)
    if not path.parent.is_dir():
        raise InputError(f"the folder of {flag} does not exist", file=target)
    for given in inputs:
        if Path(given).exists() and path.resolve() == Path(given).resolve():
            raise InputError(f"{flag} would overwrite an input file", file=target)


def _write(target: str, write: Callable[[], None]) -> None:
    try:
        write()
    except OSError as exc:
        raise InputError(f"cannot write the file: {exc.strerror or exc}", file=target) from None


def run_screen_command(args: argparse.Namespace) -> int:
    """``exportscreen screen``: run, write ``--out`` (by extension) or print a summary."""
    from .report import write_report
    from .report.summary import format_summary

    out = getattr(args, "out", None)
    if out:
        suffix = Path(out).suffix.lower()
        if suffix not in (".csv", ".json", ".html", ".htm"):
            raise InputError("--out must end in .csv, .json or .html", file=str(out))
    progress = {"always": True, "never": False}.get(getattr(args, "progress", "auto"),
                                                    _stderr_is_tty())
    if args.entities and not args.ownership:
        raise InputError("--entities needs --ownership", column="--entities")
    if getattr(args, "percent_scale", "percent") != "percent" and not args.ownership:
        raise InputError("--percent-scale needs --ownership", column="--percent-scale")
    inputs = [args.suppliers, args.ownership, args.entities, args.decisions, args.since]
    template_path = getattr(args, "decisions_template", None)
    for flag, target in (("--out", out), ("--decisions-template", template_path)):
        if target:
            _check_output(flag, target, [p for p in inputs if p])
    if out and template_path and Path(out).resolve() == Path(template_path).resolve():
        raise InputError("--decisions-template and --out name the same file", file=out)
    lst = _resolve_list(args.list_path)
    try:
        from .lists import describe_list

        print(f"exportscreen: {describe_list(lst)}", file=sys.stderr)
    except ImportError:
        prov = lst.provenance
        print(f"exportscreen: screening against {prov.source} ({prov.entries} entries, "
              f"snapshot {prov.snapshot_date or 'undated'})", file=sys.stderr)
    rule: Any = args.rule
    if rule and Path(rule).suffix.lower() == ".json" and Path(rule).is_file():
        from .ownership.rules import load_rule_file

        rule = load_rule_file(rule)
    run = screen(
        args.suppliers, list=lst, ownership=args.ownership, entities=args.entities,
        rule=rule, as_of=args.as_of, name_column=args.name_column,
        country_column=args.country_column, id_column=args.id_column,
        decisions=args.decisions, previous=args.since, hit_threshold=args.hit_threshold,
        possible_threshold=args.possible_threshold, progress=progress,
        percent_scale=getattr(args, "percent_scale", "percent"),
    )
    for notice in run.notices:
        print(f"exportscreen: notice: {notice}", file=sys.stderr)
    template = getattr(args, "decisions_template", None)
    if template:
        from .report.csv import write_decisions_template

        _write(template, lambda: write_decisions_template(run, template))
    if out:
        _write(out, lambda: write_report(run, out))
        counts = run.summary
        print(
            f"exportscreen: wrote {out}: {counts['rows']} rows, "
            + ", ".join(f"{counts[s]} {s}" for s in STATUSES),
            file=sys.stderr,
        )
    if not getattr(args, "quiet", False):
        stdout_format = getattr(args, "format", "summary")
        if stdout_format == "csv":
            from .report.csv import frame_to_csv

            sys.stdout.write(frame_to_csv(run.frame))
        elif stdout_format == "json":
            from ._io import dump_json
            from .report.json import run_to_dict

            dump_json(run_to_dict(run), sys.stdout)
        else:
            sys.stdout.write(format_summary(run))
    return 0
