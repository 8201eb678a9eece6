"""Hypothesis strategies for ownership graphs, and an independent brute-force reference.

Downstream projects can property-test code built on the affiliates engine::

    from hypothesis import given
    from exportscreen import apply_affiliates_rule
    from exportscreen.testing.ownership import ownership_cases

    @given(ownership_cases(rule="us-ofac"))
    def test_engine_matches_reference(case):
        graph, listed, expected = case
        result = apply_affiliates_rule(graph, listed, rule=expected.rule, as_of=expected.as_of)
        assert result.ids("covered") == expected
        assert result.ids("covered") | result.ids("undetermined") == expected.possibly

``ownership_graphs()`` draws ``(OwnershipGraph, {id: list})``; ``ownership_cases()``
adds the expected covered set computed by :func:`reference_coverage`, which enumerates
the vertices of every stake range (no shared code with the engine: plain Decimals and
loops). Hypothesis is an optional dependency (``pip install exportscreen[testing]``).
"""

from __future__ import annotations

import datetime as _dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from ..ownership.graph import OwnershipGraph
from ..ownership.rules import RulePreset, get_rule

__all__ = [
    "ExpectedCoverage",
    "StakeRow",
    "in_force_day",
    "ownership_cases",
    "ownership_graphs",
    "ownership_rows",
    "reference_coverage",
    "rows_to_graph",
]

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class StakeRow:
    """One row of the ownership CSV, with bounds as Decimals (None = unknown)."""

    owner: str
    owned: str
    lo: Decimal | None
    hi: Decimal | None
    relation: str = "ownership"
    joint_group: str = ""


class ExpectedCoverage(frozenset[str]):
    """The definitely covered ids (a frozenset), with ``possibly`` (covered on some
    admissible stakes), the ``rule`` and the ``as_of`` date to apply."""

    possibly: frozenset[str]
    rule: RulePreset
    as_of: _dt.date

    def __new__(cls, covered: frozenset[str], possibly: frozenset[str], rule: RulePreset,
                as_of: _dt.date) -> ExpectedCoverage:
        obj = super().__new__(cls, covered)
        obj.possibly = possibly
        obj.rule = rule
        obj.as_of = as_of
        return obj


def in_force_day(rule: RulePreset) -> _dt.date:
    """A date at which *rule* is in force and not suspended."""
    candidates = [d for d in (rule.in_force_from, rule.in_force_until) if d] + [
        _dt.date(2026, 11, 28)]
    candidates += [w.end + _dt.timedelta(days=1) for w in rule.suspensions if w.end]
    for day in sorted(candidates):
        if rule.in_force(day) and rule.suspension_at(day) is None:
            return day
    raise ValueError(f"{rule.id} is never in force without a suspension")


def rows_to_graph(rows: Sequence[StakeRow], countries: Mapping[str, str] | None = None
                  ) -> OwnershipGraph:
    """Build the graph through the public DataFrame contract."""
    import pandas as pd

    def text(d: Decimal | None) -> str:
        return "" if d is None else format(d, "f")

    frame = pd.DataFrame(
        [{"owner_id": r.owner, "owned_id": r.owned, "percent_min": text(r.lo),
          "percent_max": text(r.hi), "relation": r.relation, "joint_group": r.joint_group}
         for r in rows],
        columns=["owner_id", "owned_id", "percent_min", "percent_max", "relation",
                 "joint_group"], dtype=object)
    entities = None
    if countries:
        entities = pd.DataFrame([{"id": k, "country": v} for k, v in sorted(countries.items())],
                                columns=["id", "country"], dtype=object)
    return OwnershipGraph.from_frame(frame, entities=entities)


def _reaches_by_branch(rows: list[StakeRow], start: str, target: str) -> bool:
    """True when *target* is *start* or a head entity of *start*, of its head, ..."""
    heads: dict[str, set[str]] = {}
    for r in rows:
        if r.relation == "branch":
            heads.setdefault(r.owned, set()).add(r.owner)
    pending, seen = [start], set()
    while pending:
        node = pending.pop()
        if node == target:
            return True
        if node not in seen:
            seen.add(node)
            pending.extend(heads.get(node, ()))
    return False


@st.composite
def ownership_rows(
    draw: st.DrawFn,
    max_entities: int = 7,
    max_stakes: int = 12,
    ranges: bool = True,
    controls: bool = True,
    branches: bool = True,
    joint_groups: bool = False,
    max_ranges: int = 3,
) -> tuple[list[StakeRow], list[str]]:
    """Rows of a small ownership graph (inbound lower bounds never exceed 100 %) and the
    entity names. Exact stakes have up to 2 decimals; ranges sit on a 25 % grid."""
    n = draw(st.integers(2, max_entities))
    names = [f"E{i}" for i in range(n)]
    budget = dict.fromkeys(names, HUNDRED)
    rows: list[StakeRow] = []
    n_ranges = 0
    for _ in range(draw(st.integers(1, max_stakes))):
        owner, owned = draw(st.sampled_from(list(itertools.permutations(names, 2))))
        kind = draw(st.sampled_from(
            ["exact"] * 6 + (["range"] if ranges else []) + (["unknown"] if ranges else [])
            + (["control"] if controls else []) + (["branch"] if branches else [])))
        group = ""
        if joint_groups and kind in ("exact", "range"):
            group = draw(st.sampled_from(["", "", "J1", "J2"]))
        if kind == "exact":
            left = budget[owned]
            value = draw(st.one_of(
                st.sampled_from([d for d in (Decimal(25), Decimal(50), Decimal("24.99"),
                                             Decimal("25.01"), Decimal(10), Decimal(40),
                                             left)
                                 if d <= left]),
                st.decimals(min_value=0, max_value=left, places=2, allow_nan=False,
                            allow_infinity=False)))
            budget[owned] -= value
            rows.append(StakeRow(owner, owned, value, value, joint_group=group))
        elif kind in ("range", "unknown") and n_ranges < max_ranges:
            n_ranges += 1
            if kind == "unknown":
                rows.append(StakeRow(owner, owned, None, None))
                continue
            grid = [Decimal(v) for v in (0, 25, 50, 75, 100)]
            lo = draw(st.sampled_from([g for g in grid if g <= budget[owned]]))
            hi = draw(st.sampled_from([g for g in grid if g >= lo]))
            budget[owned] -= lo
            rows.append(StakeRow(owner, owned, lo, hi, joint_group=group))
        elif kind == "control":
            rows.append(StakeRow(owner, owned, None, None, "control"))
        elif kind == "branch" and not _reaches_by_branch(rows, owner, owned) and not any(
                r.relation == "branch" and r.owned == owned and r.owner != owner
                for r in rows):
            # OwnershipGraph rejects branches that form a cycle and a branch of two heads
            rows.append(StakeRow(owner, owned, None, None, "branch"))
    return rows, names


@st.composite
def ownership_graphs(
    draw: st.DrawFn, /, rule: str | RulePreset = "us-ofac", **kwargs: Any
) -> tuple[OwnershipGraph, dict[str, str]]:
    """``(OwnershipGraph, {listed id: list})`` with a list name that seeds *rule*."""
    preset = get_rule(rule)
    rows, names = draw(ownership_rows(**kwargs))
    listed_ids = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    source = sorted(preset.seeds)[0] if preset.seeds else "sdn"
    return rows_to_graph(rows), dict.fromkeys(sorted(listed_ids), source)


def _vertices(rows: Sequence[StakeRow]) -> list[list[Decimal]]:
    """Every vertex of the admissible stake values (bounds, or one stake per entity
    filling up to 100 %)."""
    lows = [(r.lo if r.lo is not None else Decimal(0)) for r in rows]
    highs = [(r.hi if r.hi is not None else HUNDRED) for r in rows]
    free = [i for i, r in enumerate(rows) if r.relation == "ownership" and lows[i] != highs[i]]
    out: list[list[Decimal]] = []
    for choice in itertools.product(("lo", "hi", "fill"), repeat=len(free)):
        values = [lows[i] if r.relation == "ownership" else Decimal(0)
                  for i, r in enumerate(rows)]
        fills = []
        for i, c in zip(free, choice, strict=True):
            if c == "hi":
                values[i] = highs[i]
            elif c == "fill":
                fills.append(i)
        owned_of_fills = [rows[i].owned for i in fills]
        if len(set(owned_of_fills)) < len(owned_of_fills):
            continue
        for i in fills:
            others = sum((values[j] for j, r in enumerate(rows)
                          if r.owned == rows[i].owned and j != i
                          and r.relation == "ownership"), Decimal(0))
            values[i] = max(lows[i], min(highs[i], HUNDRED - others))
        totals: dict[str, Decimal] = {}
        for v, r in zip(values, rows, strict=True):
            if r.relation == "ownership":
                totals[r.owned] = totals.get(r.owned, Decimal(0)) + v
        if all(t <= HUNDRED for t in totals.values()):
            out.append(values)
    return out


def _covered_once(rows: Sequence[StakeRow], values: Sequence[Decimal], seeds: set[str],
                  rule: RulePreset, countries: Mapping[str, str]) -> set[str]:
    thr = rule.threshold

    def meets(x: Decimal) -> bool:
        return x > thr if rule.comparator == ">" else x >= thr

    def in_scope(e: str) -> bool:
        if rule.scope != "foreign":
            return True
        c = countries.get(e, "")
        if not c:
            return rule.unknown_country == "in_scope"
        return c not in rule.home_countries

    def passes(e: str) -> bool:
        return in_scope(e) or rule.out_of_scope_intermediaries == "pass"

    def closure(start: set[str]) -> set[str]:
        holders = set(start)      # pass their stakes
        covered: set[str] = set()
        changed = True
        while changed:
            changed = False
            for target in sorted({r.owned for r in rows}):
                # an out-of-scope entity that only passes stakes on is looked at again: it
                # is covered once it turns out to be a branch of a covered head
                if target in start or target in covered:
                    continue
                edges = [(r, v) for r, v in zip(rows, values, strict=True)
                         if r.owned == target]
                held = [(r, v) for r, v in edges if r.owner in holders]
                branch = any(r.relation == "branch" for r, _ in held)
                control = rule.control == "covers" and any(r.relation == "control"
                                                           for r, _ in held)
                counted = {id(r) for r, _ in held if r.relation == "ownership"}
                if rule.aggregation == "per_listed_party":
                    groups = {r.joint_group for r, _ in held
                              if r.relation == "ownership" and r.joint_group}
                    counted |= {id(r) for r, _ in edges if r.relation == "ownership"
                                and r.joint_group in groups}
                total = sum((v for r, v in edges if id(r) in counted), Decimal(0))
                if branch or control or meets(total):
                    if branch or in_scope(target):
                        covered.add(target)
                        holders.add(target)
                        changed = True
                    elif passes(target) and target not in holders:
                        holders.add(target)
                        changed = True
        return covered

    if rule.aggregation == "per_listed_party":
        out: set[str] = set()
        for s in sorted(seeds):
            out |= closure({s})
        return out - seeds
    return closure(set(seeds)) - seeds


def reference_coverage(
    rows: Sequence[StakeRow], listed: Sequence[str], rule: str | RulePreset,
    countries: Mapping[str, str] | None = None,
) -> tuple[frozenset[str], frozenset[str]]:
    """(definitely covered, possibly covered) by brute force over every vertex of the
    admissible stakes — the naive fixpoint of the rule text, run once per vertex."""
    preset = get_rule(rule)
    seeds = set(listed)
    countries = countries or {}
    results = [_covered_once(rows, values, seeds, preset, countries)
               for values in _vertices(rows)]
    if not results:
        return frozenset(), frozenset()
    definitely = set.intersection(*results)
    possibly = set.union(*results)
    return frozenset(definitely), frozenset(possibly)


@st.composite
def ownership_cases(
    draw: st.DrawFn, /, rule: str | RulePreset = "us-ofac", **kwargs: Any
) -> tuple[OwnershipGraph, dict[str, str], ExpectedCoverage]:
    """``(graph, listed, expected)``: *expected* is the reference's definitely covered set
    (a frozenset) with ``.possibly``, ``.rule`` and ``.as_of``."""
    preset = get_rule(rule)
    rows, names = draw(ownership_rows(**kwargs))
    listed_ids = sorted(draw(st.lists(st.sampled_from(names), min_size=1, max_size=3,
                                      unique=True)))
    countries: dict[str, str] = {}
    if preset.scope == "foreign":
        for name in names:
            countries[name] = draw(st.sampled_from(["CN", "CN", "US", ""]))
    source = sorted(preset.seeds)[0] if preset.seeds else "sdn"
    graph = rows_to_graph(rows, countries or None)
    covered, possibly = reference_coverage(rows, listed_ids, preset, countries)
    expected = ExpectedCoverage(covered, possibly, preset, in_force_day(preset))
    return graph, dict.fromkeys(listed_ids, source), expected
