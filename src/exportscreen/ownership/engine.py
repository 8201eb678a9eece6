"""The affiliates resolver: which entities a 50 % rule covers, with the evidence.

:func:`apply_affiliates_rule` computes the least fixed point the rules describe (OFAC
FAQ 401; BIS Supp. No. 8 to Part 744 (b); research note §2.3)::

    covered := listed
    repeat until nothing changes:
        an entity E joins covered when the stakes held in E by members of covered
        reach the threshold (summed across owners, or per listed party for the UK)

Covered intermediaries pass their *full* stake (never multiplied down a chain), so
cycles terminate: each entity joins at most once. The fixpoint runs twice — on the
lower bounds of every stake (definitely covered) and on the upper bounds limited by
what the other stakes leave free of 100 % (possibly covered) — giving ``covered`` and
``undetermined``. Percents are integers of 10⁻⁹ %, so ``24.99 + 25.01 == 50`` exactly.

Example (OFAC FAQ 401, Example 2)::

    >>> import pandas as pd
    >>> from exportscreen.ownership import OwnershipGraph, apply_affiliates_rule
    >>> g = OwnershipGraph.from_frame(pd.DataFrame({
    ...     "owner_id": ["X", "X", "A", "B"], "owned_id": ["A", "B", "C", "C"],
    ...     "percent": ["50", "50", "25", "25"]}))
    >>> r = apply_affiliates_rule(g, {"X": "sdn"}, rule="us-ofac", as_of="2025-01-01")
    >>> [(f.id, f.status) for f in r.findings]
    [('A', 'covered'), ('B', 'covered'), ('C', 'covered')]
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..errors import InputError
from ..io.read import iso_date
from ..knowledge import read_shipped_json
from .graph import BRANCH, CONTROL, HUNDRED, OWNERSHIP, UNITS_PER_PERCENT, OwnershipGraph
from .rules import (
    GeneralLicence,
    RulePreset,
    SuspensionWindow,
    get_rule,
    list_rules,
    normalise_list_source,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "STATUSES",
    "AffiliateFinding",
    "AffiliatesResult",
    "Contribution",
    "ListedParty",
    "apply_affiliates_rule",
    "information_as_of",
    "load_listed_csv",
    "policy_rank",
]

Status = Literal["covered", "undetermined", "suspended", "red_flag"]
STATUSES: tuple[str, ...] = ("covered", "undetermined", "suspended", "red_flag")
_NONE, _COVERED, _UNDET, _RED = 0, 1, 2, 3


class ListedParty(BaseModel):
    """A party on a government list that seeds a rule: ``id`` as in the ownership graph,
    ``list`` its list code (``entity_list``, ``meu``, ``sdn``, ``eu``, ``uk``, ...).
    Surrounding spaces are taken off every text field, as :class:`OwnershipGraph` takes
    them off its ids, so ``" A "`` names the graph's entity ``A``."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    id: str = Field(min_length=1)
    list: str = Field(min_length=1)
    name: str | None = None
    programs: tuple[str, ...] = ()
    license_requirement: str | None = None
    license_policy: str | None = None


@dataclass(frozen=True, slots=True)
class Contribution:
    """A stake (or control/branch tie) held in a finding by a listed or covered owner."""

    owner_id: str
    percent_min: float | None
    percent_max: float | None
    relation: str = "ownership"
    owner_status: str = "covered"
    joint_group: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"owner_id": self.owner_id, "percent_min": self.percent_min,
                               "percent_max": self.percent_max, "relation": self.relation,
                               "owner_status": self.owner_status}
        if self.joint_group is not None:
            out["joint_group"] = self.joint_group
        return out


@dataclass(frozen=True, slots=True)
class AffiliateFinding:
    """One non-listed entity whose status is not clear, with its evidence."""

    id: str
    status: Status
    aggregate_min: float
    aggregate_max: float
    contributions: tuple[Contribution, ...]
    roots: tuple[str, ...]
    path: tuple[str, ...]
    license_requirement: str | None
    license_policy: str | None
    reason: str
    name: str | None = None
    country: str | None = None
    status_if_in_force: str | None = None
    basis: str = "ownership"
    #: False when the finding is not settled: the rule's suspension lapsed and the preset
    #: has no information after it, or it rests on a reading the sources leave open. The
    #: status is then the conservative one (never cleared) and ``reason`` says why.
    certain: bool = True
    #: general licences that may authorise a transaction with the entity on the date
    #: (e.g. BIS TGL No. 7), as text; "" when none
    licence_outlook: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "status": self.status, "aggregate_min": self.aggregate_min,
            "aggregate_max": self.aggregate_max,
            "contributions": [c.to_dict() for c in self.contributions],
            "roots": list(self.roots), "path": list(self.path),
            "license_requirement": self.license_requirement,
            "license_policy": self.license_policy, "name": self.name, "country": self.country,
            "basis": self.basis, "status_if_in_force": self.status_if_in_force,
            "certain": self.certain, "licence_outlook": self.licence_outlook,
            "reason": self.reason,
        }


CSV_COLUMNS = ("id", "status", "aggregate_min", "aggregate_max", "roots", "path", "name",
               "country", "basis", "status_if_in_force", "license_requirement",
               "license_policy", "contributions", "certain", "licence_outlook", "reason")


@dataclass(frozen=True)
class AffiliatesResult:
    """The outcome of one rule at one date: findings sorted by id, plus notices."""

    rule: RulePreset
    as_of: _dt.date
    rule_in_force: bool
    suspended: bool
    notices: tuple[str, ...]
    findings: list[AffiliateFinding]
    #: "" when the rule's state on the date is settled; else why it is not (a suspension
    #: that lapsed with nothing known after it). Every finding it touches is ``certain=False``.
    caveat: str = ""
    #: the date of the newest source the preset cites (its "information as of")
    information_as_of: _dt.date | None = None
    _by_id: dict[str, AffiliateFinding] = field(default_factory=dict, repr=False)

    def finding(self, entity_id: str) -> AffiliateFinding | None:
        if not self._by_id and self.findings:
            self._by_id.update((f.id, f) for f in self.findings)
        return self._by_id.get(entity_id)

    def ids(self, status: str) -> frozenset[str]:
        """Ids of the findings with *status*."""
        return frozenset(f.id for f in self.findings if f.status == status)

    def to_dict(self) -> dict[str, Any]:
        """The ``affiliates --format json`` document."""
        return {"rule": self.rule.id, "rule_version": self.rule.version,
                "rule_period": self.rule.period or None,
                "as_of": self.as_of.isoformat(), "rule_in_force": self.rule_in_force,
                "suspended": self.suspended, "settled": not self.caveat,
                "caveat": self.caveat or None,
                "information_as_of": (self.information_as_of.isoformat()
                                      if self.information_as_of else None),
                "notices": list(self.notices),
                "findings": [f.to_dict() for f in self.findings]}

    def csv_rows(self) -> list[dict[str, Any]]:
        """One flat row per finding (lists joined: roots ``;``, path `` > ``)."""
        rows = []
        for f in self.findings:
            rows.append({
                "id": f.id, "status": f.status, "aggregate_min": _num(f.aggregate_min),
                "aggregate_max": _num(f.aggregate_max), "roots": ";".join(f.roots),
                "path": " > ".join(f.path), "name": f.name or "", "country": f.country or "",
                "basis": f.basis, "status_if_in_force": f.status_if_in_force or "",
                "license_requirement": f.license_requirement or "",
                "license_policy": f.license_policy or "",
                "contributions": ";".join(_contribution_text(c) for c in f.contributions),
                "certain": "true" if f.certain else "false",
                "licence_outlook": f.licence_outlook,
                "reason": f.reason,
            })
        return rows

    def to_frame(self) -> pd.DataFrame:
        """Findings as a DataFrame with the CSV columns."""
        import pandas as pd

        return pd.DataFrame(self.csv_rows(), columns=list(CSV_COLUMNS))


def _num(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else repr(x)


def _contribution_text(c: Contribution) -> str:
    if c.relation != "ownership":
        return f"{c.owner_id}:{c.relation}"
    if c.percent_min is None:
        return f"{c.owner_id}:unknown"
    if c.percent_min == c.percent_max:
        return f"{c.owner_id}:{_num(c.percent_min)}"
    return f"{c.owner_id}:{_num(c.percent_min)}-{_num(c.percent_max)}"


# --------------------------------------------------------------------- licences
@cache
def _policy_ranks() -> list[tuple[int, re.Pattern[str], str]]:
    data = read_shipped_json("ownership", "license_policies.json")
    return [(int(r["rank"]), re.compile(r["pattern"], re.I), r["label"]) for r in data["ranks"]]


@cache
def policy_rank(policy: str | None) -> int:
    """Restrictiveness of a licence review policy (higher = stricter; 0 = not recognised).

    >>> policy_rank("Presumption of denial.") > policy_rank("Case-by-case review")
    True
    """
    if not policy:
        return 0
    return max((rank for rank, pat, _ in _policy_ranks() if pat.search(policy)), default=0)


def _most_restrictive(parties: list[ListedParty]) -> tuple[str | None, str | None]:
    reqs = sorted({p.license_requirement.strip() for p in parties if p.license_requirement
                   and p.license_requirement.strip()})
    all_items = [r for r in reqs if re.search(r"all items subject to the EAR", r, re.I)]
    requirement = all_items[0] if all_items else ("; ".join(reqs) if reqs else None)
    pols = sorted({p.license_policy.strip() for p in parties if p.license_policy
                   and p.license_policy.strip()})
    if not pols:
        return requirement, None
    unknown = [p for p in pols if policy_rank(p) == 0]
    if unknown:  # cannot rank them: show every policy, strictest recognised first
        ordered = sorted(pols, key=lambda p: (-policy_rank(p), p))
        return requirement, " | ".join(ordered)
    return requirement, max(pols, key=lambda p: (policy_rank(p), p))


# ------------------------------------------------------------------ arithmetic
def _meets(v: np.ndarray, k: np.ndarray, thr: int, strict: bool) -> np.ndarray:
    """v + k·ε compared with the threshold (ε an infinitesimal: open bounds)."""
    return np.asarray((v > thr) | ((v == thr) & ((k > 0) if strict else (k >= 0))))


def _pair_min(av: np.ndarray, ak: np.ndarray, bv: np.ndarray, bk: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray]:
    take_a = (av < bv) | ((av == bv) & (ak <= bk))
    return np.where(take_a, av, bv), np.where(take_a, ak, bk)


@dataclass
class _Edges:
    src: np.ndarray
    dst: np.ndarray
    kind: np.ndarray        # 0 ownership, 1 control, 2 branch
    lo: np.ndarray
    hi: np.ndarray
    lo_open: np.ndarray
    hi_open: np.ndarray
    jg: np.ndarray
    ids: np.ndarray         # position in the graph's stake columns
    indptr: np.ndarray      # CSR by src
    tot_v: np.ndarray       # per node: sum of lower bounds of stakes held in it
    tot_k: np.ndarray


def _stable_order(keys: np.ndarray) -> np.ndarray:
    """``np.argsort(keys, kind="stable")`` for non-negative integers below 2³², as two
    16-bit radix passes (numpy sorts 16-bit keys by radix; wider ones by timsort, about
    twice as slow on millions of stakes)."""
    low = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    if len(keys) == 0 or int(keys.max()) <= 0xFFFF:
        return low
    high = (keys[low] >> 16).astype(np.uint16)
    return np.asarray(low[np.argsort(high, kind="stable")])


def _prepare(graph: OwnershipGraph, day: int) -> _Edges:
    act = np.flatnonzero((graph.valid_from <= day) & (day <= graph.valid_to))
    src = graph.owner[act]
    order = _stable_order(src)
    act = act[order]
    src = graph.owner[act].astype(np.int64)
    dst = graph.owned[act].astype(np.int64)
    n = len(graph.ids)
    kind = graph.relation[act]
    lo = graph.lo[act]
    lo_open = graph.lo_open[act].astype(np.int64)
    own = kind == OWNERSHIP
    tot_v = np.bincount(dst[own], weights=None, minlength=n).astype(np.int64) * 0
    np.add.at(tot_v, dst[own], lo[own])
    tot_k = np.bincount(dst[own], weights=lo_open[own], minlength=n).astype(np.int64)
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    return _Edges(src, dst, kind, lo, graph.hi[act], lo_open, graph.hi_open[act].astype(np.int64),
                  graph.joint_group[act], act, indptr, tot_v, tot_k)


def _gather(indptr: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    """Indices of the CSR edges leaving *nodes*."""
    starts = indptr[nodes]
    counts = indptr[nodes + 1] - starts
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    offsets = np.repeat(starts - np.r_[0, np.cumsum(counts)[:-1]], counts)
    return np.asarray(np.arange(total, dtype=np.int64) + offsets)


@dataclass
class _Run:
    reached: np.ndarray   # met the test (any scope)
    covered: np.ndarray   # met the test and in scope (or a branch of such)
    active: np.ndarray    # passes its stakes on (seeds, covered, passing out-of-scope)
    via_branch: np.ndarray


def _cascade(e: _Edges, n: int, seeds: np.ndarray, upper: bool, thr: int, strict: bool,
             can_cover: np.ndarray, can_pass: np.ndarray, control_covers: bool,
             direct_only: bool) -> _Run:
    """Aggregated least fixpoint, frontier by frontier, with numpy."""
    active = seeds.copy()
    reached = np.zeros(n, bool)
    covered = np.zeros(n, bool)
    via_branch = np.zeros(n, bool)
    acc_v = np.zeros(n, np.int64)
    acc_k = np.zeros(n, np.int64)
    acc2_v = np.zeros(n, np.int64) if upper else acc_v
    acc2_k = np.zeros(n, np.int64) if upper else acc_k
    w_v = e.hi if upper else e.lo
    w_k = -e.hi_open if upper else e.lo_open
    seedlike = seeds.copy()
    frontier = np.flatnonzero(seeds)
    while frontier.size:
        idx = _gather(e.indptr, frontier)
        if direct_only:  # only listed parties (and their branches) hold directly
            idx = idx[seedlike[e.src[idx]] | (e.kind[idx] == BRANCH)]
        d = e.dst[idx]
        # an entity reached out of scope is looked at again through a branch tie: a branch
        # of a covered head shares its status (BIS FAQ #45) whatever its own country
        keep = ~(covered[d] | seeds[d]) & (~reached[d] | (e.kind[idx] == BRANCH))
        idx, d = idx[keep], d[keep]
        if idx.size == 0:
            break
        kind = e.kind[idx]
        own = kind == OWNERSHIP
        io, do = idx[own], d[own]
        np.add.at(acc_v, do, w_v[io])
        np.add.at(acc_k, do, w_k[io])
        if upper:
            np.add.at(acc2_v, do, e.lo[io])
            np.add.at(acc2_k, do, e.lo_open[io])
        forced = np.zeros(0, np.int64)
        branch_hit = d[kind == BRANCH]
        if direct_only:
            from_seedlike = (kind == BRANCH) & seedlike[e.src[idx]]
            seedlike[d[from_seedlike]] = True
        if control_covers:
            forced = d[kind == CONTROL]
        cand = np.unique(d)
        if upper:
            fv, fk = _pair_min(acc_v[cand], acc_k[cand],
                               HUNDRED - e.tot_v[cand] + acc2_v[cand],
                               -e.tot_k[cand] + acc2_k[cand])
        else:
            fv, fk = acc_v[cand], acc_k[cand]
        meets = _meets(fv, fk, thr, strict)
        if forced.size or branch_hit.size:
            flag = np.zeros(n, bool)
            flag[forced] = True
            flag[branch_hit] = True
            meets |= flag[cand]
        newly = cand[meets]
        if newly.size == 0:
            break
        reached[newly] = True
        bflag = np.zeros(n, bool)
        bflag[branch_hit] = True
        by_branch = bflag[newly]
        via_branch[newly[by_branch]] = True
        in_scope = can_cover[newly] | by_branch
        covered[newly[in_scope]] = True
        passing = newly[in_scope | can_pass[newly]]
        passing = passing[~active[passing]]  # stakes are passed on once
        active[passing] = True
        frontier = passing
    return _Run(reached, covered, active, via_branch)


def _per_party(e: _Edges, n: int, seed_idx: np.ndarray, upper: bool, thr: int, strict: bool,
               can_cover: np.ndarray, can_pass: np.ndarray, control_covers: bool,
               direct_only: bool) -> tuple[dict[int, set[int]], dict[int, dict[int, int]],
                                           dict[int, dict[int, tuple[int, int]]]]:
    """Per listed party fixpoint (UK): no aggregation across parties except stakes in one
    joint arrangement. Returns node -> roots, root -> {node: parent},
    root -> {node: aggregate (v, k)}."""
    indptr = e.indptr.tolist()
    dst = e.dst.tolist()
    kind = e.kind.tolist()
    w_v = (e.hi if upper else e.lo).tolist()
    w_k = (-e.hi_open if upper else e.lo_open).tolist()
    lo_v, lo_k = e.lo.tolist(), e.lo_open.tolist()
    jg = e.jg.tolist()
    tot_v, tot_k = e.tot_v, e.tot_k
    group_edges: dict[tuple[int, int], list[int]] = defaultdict(list)
    for k in np.flatnonzero(e.jg >= 0).tolist():
        group_edges[(dst[k], jg[k])].append(k)

    def meets(v: int, k: int) -> bool:
        return v > thr or (v == thr and (k > 0 if strict else k >= 0))

    roots_of: dict[int, set[int]] = defaultdict(set)
    parents: dict[int, dict[int, int]] = {}
    aggregates: dict[int, dict[int, tuple[int, int]]] = {}
    for r in seed_idx.tolist():
        parent: dict[int, int] = {}
        acc: dict[int, list[int]] = {}
        counted: set[int] = set()
        active = {r}
        direct_holders = {r}  # the party and its branches (direct_only)
        queue = deque([r])
        while queue:
            u = queue.popleft()
            if direct_only and u not in direct_holders:
                edges = [k for k in range(indptr[u], indptr[u + 1]) if kind[k] == BRANCH]
            else:
                edges = list(range(indptr[u], indptr[u + 1]))
            for k in edges:
                v = dst[k]
                if v == r:
                    continue
                # reached before (out of scope): a branch tie still brings it in
                if (v in active or v in parent) and not (kind[k] == BRANCH
                                                         and r not in roots_of[v]):
                    continue
                hit = kind[k] == BRANCH or (kind[k] == CONTROL and control_covers)
                if kind[k] == OWNERSHIP:
                    a = acc.setdefault(v, [0, 0, 0, 0])
                    batch = [k]
                    if jg[k] >= 0:
                        batch = group_edges[(v, jg[k])]
                    for b in batch:
                        if b in counted:
                            continue
                        counted.add(b)
                        a[0] += w_v[b]
                        a[1] += w_k[b]
                        a[2] += lo_v[b]
                        a[3] += lo_k[b]
                    fv, fk = a[0], a[1]
                    if upper:
                        sv, sk = HUNDRED - int(tot_v[v]) + a[2], -int(tot_k[v]) + a[3]
                        if (sv, sk) < (fv, fk):
                            fv, fk = sv, sk
                    hit = hit or meets(fv, fk)
                if not hit:
                    continue
                parent[v] = u
                if kind[k] == BRANCH and u in direct_holders:
                    direct_holders.add(v)
                in_scope = bool(can_cover[v]) or kind[k] == BRANCH
                if in_scope:
                    roots_of[v].add(r)
                if (in_scope or can_pass[v]) and v not in active:
                    active.add(v)
                    queue.append(v)
        parents[r] = parent
        # aggregates from every stake the party's holders have, whatever the visiting order
        final: dict[int, list[int]] = {}
        seen_edges: set[int] = set()
        for u in active:
            for k in range(indptr[u], indptr[u + 1]):
                if kind[k] != OWNERSHIP:
                    continue
                v = dst[k]
                a = final.setdefault(v, [0, 0, 0, 0])
                for b in (group_edges[(v, jg[k])] if jg[k] >= 0 else [k]):
                    if b in seen_edges:
                        continue
                    seen_edges.add(b)
                    a[0] += w_v[b]
                    a[1] += w_k[b]
                    a[2] += lo_v[b]
                    a[3] += lo_k[b]
        result: dict[int, tuple[int, int]] = {}
        for v, a in final.items():
            pair = (a[0], a[1])
            if upper:
                pair = min(pair, (HUNDRED - int(tot_v[v]) + a[2], -int(tot_k[v]) + a[3]))
            result[v] = pair
        aggregates[r] = result
    return roots_of, parents, aggregates


# ------------------------------------------------------------------- the API
def _coerce_listed(
    listed: Mapping[str, str] | Mapping[str, ListedParty] | Iterable[Any],
) -> list[ListedParty]:
    parties: list[ListedParty] = []
    if isinstance(listed, Mapping):
        for key, value in listed.items():
            if isinstance(value, ListedParty):
                parties.append(value)
            elif isinstance(value, str):
                if not str(key).strip() or not value.strip():
                    raise InputError(f"listed party {key!r}: empty "
                                     f"{'id' if not str(key).strip() else 'list name'}",
                                     column="id" if not str(key).strip() else "list")
                parties.append(ListedParty(id=str(key), list=value))
            else:
                raise InputError(f"listed party {key!r}: expected a list name or a "
                                 f"ListedParty, got {type(value).__name__}", column="list")
        return parties
    for item in listed:
        if isinstance(item, ListedParty):
            parties.append(item)
        elif hasattr(item, "id") and hasattr(item, "source"):  # a lists.ListEntry
            parties.append(ListedParty(
                id=str(item.id), list=str(item.source), name=getattr(item, "name", None),
                programs=tuple(getattr(item, "programs", ()) or ()),
                license_requirement=getattr(item, "license_requirement", None),
                license_policy=getattr(item, "license_policy", None)))
        else:
            raise InputError(f"listed party {item!r}: expected a ListedParty", column="list")
    return parties


def _as_date(value: _dt.date | str | None) -> _dt.date:
    if value is None:
        return _dt.datetime.now(_dt.UTC).date()
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    text = str(value).strip()
    try:
        return iso_date(text)
    except ValueError:
        raise InputError(f"as-of date is not in the form YYYY-MM-DD: {value!r}",
                         column="as_of") from None


def _pct(units: int) -> float:
    return units / UNITS_PER_PERCENT


def apply_affiliates_rule(
    graph: OwnershipGraph,
    listed: Mapping[str, str] | Mapping[str, ListedParty] | Iterable[ListedParty],
    rule: str | RulePreset = "us-bis-affiliates",
    as_of: _dt.date | str | None = None,
) -> AffiliatesResult:
    """Apply an ownership rule to *graph* seeded by *listed*, at *as_of* (default today).

    *listed*: ``{id: list}``, ``{id: ListedParty}``, or ListedParty / ListEntry objects.
    Only parties on a list the rule names (``rule.seeds``) seed it. Returns every
    non-listed entity whose status is not clear: ``covered`` (lower bounds reach the
    threshold), ``undetermined`` (only the upper bounds do — e.g. a listed owner with an
    unknown stake, BIS Red Flag 29), ``suspended`` (would be covered, but the rule is
    suspended at *as_of*) or ``red_flag`` (control, or a significant minority interest,
    without coverage). A ``branch`` shares its head's status (BIS FAQ #45).
    """
    day = _as_date(as_of)
    preset = get_rule(rule).at(day)
    parties = _coerce_listed(listed)
    notices: list[str] = list(graph.notices)
    n = len(graph.ids)
    in_force = preset.in_force(day)
    suspension: SuspensionWindow | None = preset.suspension_at(day) if in_force else None

    # seeds -----------------------------------------------------------------
    by_id: dict[str, list[ListedParty]] = defaultdict(list)
    unsure_program = 0
    ignored_lists: set[str] = set()
    off_program: dict[str, set[str]] = defaultdict(set)  # seeding list -> programs outside
    group_lists = {g.list for g in preset.seed_groups}
    group_parties: list[ListedParty] = []
    for p in parties:
        verdict = preset.seeds_party(p.list, p.programs)
        if verdict is False:
            src = normalise_list_source(p.list)
            if src in group_lists:
                group_parties.append(p)
            elif src in preset.seeds:
                allowed = set(preset.seeds[src] or ())
                off_program[src].update(q.strip().upper() for q in p.programs
                                        if q.strip().upper() not in allowed)
            else:
                ignored_lists.add(src)
            continue
        if verdict is None:
            unsure_program += 1
        by_id[p.id].append(p)
    seed_ids = sorted(by_id)
    seed_pos = graph.positions(seed_ids)
    seed_idx = np.unique(seed_pos[seed_pos >= 0])
    absent = [i for i, pos in zip(seed_ids, seed_pos.tolist(), strict=True) if pos < 0]
    if absent:  # nothing is dropped silently: say which listed parties own nothing here
        shown = ", ".join(absent[:5]) + (f" and {len(absent) - 5} more" if len(absent) > 5 else "")
        one = len(absent) == 1
        notices.append(f"{len(absent)} listed part{'y' if one else 'ies'} ({shown}) "
                       f"{'does' if one else 'do'} not appear in the ownership graph, so "
                       f"{'it holds' if one else 'they hold'} no stakes there")
    seeds = np.zeros(n, bool)
    seeds[seed_idx] = True
    if ignored_lists:
        notices.append(f"parties on {', '.join(sorted(ignored_lists))} do not seed "
                       f"{preset.id} (it is seeded by {_seeds_text(preset)}); they "
                       "were treated as ordinary entities")
    for src, progs in sorted(off_program.items()):
        named = ", ".join(sorted(progs)) or "(none given)"
        notices.append(f"parties on {src} only under program(s) {named} do not seed "
                       f"{preset.id}: the {src} programs that seed it are "
                       f"{', '.join(preset.seeds[src] or ())}; they were treated as ordinary "
                       "entities")
    if unsure_program:
        notices.append(f"{unsure_program} listed part{'y' if unsure_program == 1 else 'ies'} on "
                       "a program-limited list had no programs given and were treated as seeds")

    # scope -----------------------------------------------------------------
    countries = graph.countries
    unknown_country = ~countries.astype(bool) if n else np.zeros(0, bool)  # "" or None
    if preset.scope == "foreign":
        home = np.isin(countries, np.asarray(preset.home_countries, dtype=object))
        can_cover = ~home & (~unknown_country | (preset.unknown_country == "in_scope"))
    else:
        can_cover = np.ones(n, bool)
    can_pass = np.ones(n, bool) if preset.out_of_scope_intermediaries == "pass" else can_cover

    # fixpoints -----------------------------------------------------------------
    e = _prepare(graph, day.toordinal())
    thr = int(preset.threshold * UNITS_PER_PERCENT)
    strict = preset.comparator == ">"
    control_covers = preset.control == "covers"
    direct_only = preset.indirect == "direct_only"
    args = (thr, strict, can_cover, can_pass, control_covers, direct_only)
    status = np.zeros(n, np.int8)
    roots_lo: dict[int, set[int]] = {}
    roots_hi: dict[int, set[int]] = {}
    parent_of: dict[int, int] = {}
    agg_lo_v = np.zeros(n, np.int64)
    agg_lo_k = np.zeros(n, np.int64)
    agg_hi_v = np.zeros(n, np.int64)
    agg_hi_k = np.zeros(n, np.int64)
    if preset.aggregation == "across_listed":
        lo_run = _cascade(e, n, seeds, False, *args)
        hi_run = _cascade(e, n, seeds, True, *args)
        active_lo, active_hi = lo_run.active, hi_run.active
        status[hi_run.covered] = _UNDET
        status[lo_run.covered] = _COVERED
        own = e.kind == OWNERSHIP
        m_lo = own & active_lo[e.src]
        np.add.at(agg_lo_v, e.dst[m_lo], e.lo[m_lo])
        np.add.at(agg_lo_k, e.dst[m_lo], e.lo_open[m_lo])
        m_hi = own & active_hi[e.src]
        hv = np.zeros(n, np.int64)
        hk = np.zeros(n, np.int64)
        lv = np.zeros(n, np.int64)
        lk = np.zeros(n, np.int64)
        np.add.at(hv, e.dst[m_hi], e.hi[m_hi])
        np.add.at(hk, e.dst[m_hi], -e.hi_open[m_hi])
        np.add.at(lv, e.dst[m_hi], e.lo[m_hi])
        np.add.at(lk, e.dst[m_hi], e.lo_open[m_hi])
        agg_hi_v, agg_hi_k = _pair_min(hv, hk, HUNDRED - e.tot_v + lv, -e.tot_k + lk)
        # red flags: control or a significant minority interest without coverage
        if preset.control == "red_flag" or preset.minority_red_flag is not None:
            flag = np.zeros(n, bool)
            if preset.control == "red_flag":
                ctl = (e.kind == CONTROL) & active_hi[e.src]
                flag[e.dst[ctl]] = True
            if preset.minority_red_flag is not None:
                mthr = int(preset.minority_red_flag * UNITS_PER_PERCENT)
                flag |= _meets(agg_lo_v, agg_lo_k, mthr, False) & (agg_lo_v > 0)
            flag &= (status == _NONE) & ~seeds & can_cover
            status[flag] = _RED
        finding_idx = np.flatnonzero(status != _NONE)
        roots_lo, parent_lo = _roots_and_parents(e, n, seeds, active_lo, lo_run.covered, False)
        roots_hi, parent_hi = _roots_and_parents(e, n, seeds, active_hi,
                                                 hi_run.covered | (status == _RED), True)
        parent_of = {**parent_hi, **parent_lo}
    else:
        seed_list = np.flatnonzero(seeds)
        r_lo, p_lo, a_lo = _per_party(e, n, seed_list, False, *args)
        r_hi, p_hi, a_hi = _per_party(e, n, seed_list, True, *args)
        for rs in (r_lo, r_hi):  # a listed party covered by another stays a listed party
            for s_ in seed_list.tolist():
                rs.pop(s_, None)
        for i in r_hi:
            status[i] = _UNDET
        for i in r_lo:
            status[i] = _COVERED
        roots_lo, roots_hi = dict(r_lo), dict(r_hi)
        finding_idx = np.flatnonzero(status != _NONE)
        active_lo = seeds.copy()
        active_hi = seeds.copy()
        for rs, target in ((r_lo, active_lo), (r_hi, active_hi)):
            for i in rs:
                target[i] = True
        for i in finding_idx.tolist():
            best = sorted(roots_lo.get(i) or roots_hi.get(i) or ())
            for r in best:
                lo_pair = a_lo[r].get(i, (0, 0))
                if (lo_pair[0], lo_pair[1]) > (int(agg_lo_v[i]), int(agg_lo_k[i])):
                    agg_lo_v[i], agg_lo_k[i] = lo_pair
            for r in sorted(roots_hi.get(i, ())):
                hv_, hk_ = a_hi[r].get(i, (0, 0))
                if (hv_, hk_) > (int(agg_hi_v[i]), int(agg_hi_k[i])):
                    agg_hi_v[i], agg_hi_k[i] = hv_, hk_
            # one path: from the root with the shortest chain
            best_path: list[int] | None = None
            for r in best:
                chain = [i]
                par = p_lo[r] if i in p_lo[r] else p_hi[r]
                while chain[-1] != r and chain[-1] in par:
                    chain.append(par[chain[-1]])
                if best_path is None or len(chain) < len(best_path):
                    best_path = chain
            parent_of[i] = best_path[1] if best_path and len(best_path) > 1 else -1
        parent_lo = {i: parent_of[i] for i in finding_idx.tolist()}
        parent_hi = parent_lo

    # branches of listed parties are part of the listed party: covered whatever the rule
    branch_of_listed = _branch_closure(e, n, seeds)

    # time ------------------------------------------------------------------------
    lapse = preset.lapsed_suspension(day) if in_force else None
    info = information_as_of(preset)
    caveat = ""
    if lapse is not None:
        caveat = (f"Not settled: the suspension of {preset.id} ended {lapse.end} and the "
                  f"preset has no information after it (information as of "
                  f"{info or preset.information_current_to or 'unknown'}); exportscreen "
                  "treats the rule as in force again (the conservative reading) — check for "
                  "a later extension, reimposition or withdrawal.")
    if preset.period:
        notices.append(f"{preset.id} on {day.isoformat()}: the earlier regime applies: "
                       f"{preset.period} ({preset.in_force_from or 'open start'} to "
                       f"{preset.in_force_until or 'open end'})")
    if not in_force:
        others = _presets_in_force(preset, day)
        notices.append(f"{preset.id} is not in force on {day.isoformat()} (in force "
                       f"{preset.in_force_from or 'always'} to {preset.in_force_until or 'now'}"
                       + "".join(f"; earlier part {p.start or 'open start'} to {p.end}"
                                 for p in preset.periods)
                       + "); it covers nothing at that date"
                       + (f"; on that date {' or '.join(others)} applies" if others else
                          "; no preset of exportscreen models that date"))
    elif suspension is not None:
        notices.append(f"{preset.id} is suspended on {day.isoformat()} "
                       f"({suspension.start or 'open start'} to {suspension.end or 'open end'}: "
                       f"{suspension.note}); entities it would cover are reported as suspended")
    elif lapse is not None:
        notices.append(
            f"the suspension of {preset.id} ended {lapse.end} per the rule pack, which has "
            f"no information after it (newest source {info or 'undated'}); the rule is "
            f"treated as in force on {day.isoformat()} and every finding is marked not "
            "settled (certain: false). Check for a later extension (override with a custom "
            "rule or --suspended)")
    for u in preset.unverified:
        notices.append(f"{preset.id}: {u.parameter}: {u.note}")

    # findings ----------------------------------------------------------------------
    findings = _build_findings(graph, e, preset, by_id, seeds, status, finding_idx,
                               branch_of_listed, roots_lo, roots_hi, parent_of,
                               active_lo, active_hi, agg_lo_v, agg_lo_k, agg_hi_v, agg_hi_k,
                               in_force, suspension is not None, unknown_country, caveat,
                               tuple(g for g in preset.general_licences if g.contains(day)))
    if "aggregation" in preset.unsettled and findings:
        findings = _mark_unsettled_aggregation(findings, preset)
    if group_parties or preset.seed_groups:
        findings = _with_seed_groups(graph, preset, group_parties, day, findings, notices,
                                     in_force and suspension is None)
    if preset.scope == "foreign":
        n_unknown = sum(1 for f in findings if f.country is None and f.basis == "ownership")
        if n_unknown:
            notices.append(f"{n_unknown} finding(s) have no country; {preset.id} covers foreign "
                           f"entities only and treats an unknown country as "
                           f"{preset.unknown_country.replace('_', ' ')}")
        passed = np.flatnonzero(~can_cover & active_hi & ~seeds)
        if passed.size:
            notices.append(f"{passed.size} entit{'y' if passed.size == 1 else 'ies'} outside the "
                           f"rule's scope ({', '.join(preset.home_countries) or 'home'}) met the "
                           "ownership test and "
                           + ("passed" if preset.out_of_scope_intermediaries == "pass"
                              else "did not pass") + " their stakes on")
    return AffiliatesResult(preset, day, in_force, suspension is not None, tuple(notices),
                            findings, caveat, info)


def _branch_closure(e: _Edges, n: int, seeds: np.ndarray) -> np.ndarray:
    out = np.zeros(n, bool)
    frontier = np.flatnonzero(seeds)
    while frontier.size:
        idx = _gather(e.indptr, frontier)
        idx = idx[e.kind[idx] == BRANCH]
        d = e.dst[idx]
        d = np.unique(d[~out[d] & ~seeds[d]])
        out[d] = True
        frontier = d
    return out


def _roots_and_parents(e: _Edges, n: int, seeds: np.ndarray, active: np.ndarray,
                       targets: np.ndarray, upper: bool) -> tuple[dict[int, set[int]],
                                                                  dict[int, int]]:
    """Listed roots each target derives from, and a BFS parent (shortest chain)."""
    positive = (e.hi > 0) | (e.hi_open > 0) if upper else (e.lo > 0) | (e.lo_open > 0)
    usable = (e.kind != OWNERSHIP) | positive
    usable &= active[e.src] & (targets[e.dst] | active[e.dst]) & ~seeds[e.dst]
    # multi-source BFS for parents
    depth = np.full(n, -1, np.int64)
    parent = np.full(n, -1, np.int64)
    frontier = np.flatnonzero(seeds)
    depth[frontier] = 0
    level = 0
    while frontier.size:
        idx = _gather(e.indptr, frontier)
        idx = idx[usable[idx]]
        d = e.dst[idx]
        new = depth[d] < 0
        idx, d = idx[new], d[new]
        if d.size == 0:
            break
        order = np.lexsort((e.src[idx], d))
        d_sorted = d[order]
        first = np.r_[True, d_sorted[1:] != d_sorted[:-1]]
        chosen = order[first]
        level += 1
        nodes = d[chosen]
        depth[nodes] = level
        parent[nodes] = e.src[idx[chosen]]
        frontier = nodes[active[nodes]]
    # pair propagation for roots
    seed_idx = np.flatnonzero(seeds)
    pair_node = seed_idx.copy()
    pair_root = seed_idx.copy()
    seen = set((pair_node * n + pair_root).tolist())
    f_node, f_root = pair_node, pair_root
    collected_n: list[np.ndarray] = []
    collected_r: list[np.ndarray] = []
    while f_node.size:
        starts = e.indptr[f_node]
        counts = e.indptr[f_node + 1] - starts
        idx = _gather(e.indptr, f_node)
        roots = np.repeat(f_root, counts)
        ok = usable[idx]
        idx, roots = idx[ok], roots[ok]
        d = e.dst[idx]
        fresh = [k for k in np.unique(d * n + roots).tolist() if k not in seen]
        if not fresh:
            break
        seen.update(fresh)
        keys = np.asarray(fresh, dtype=np.int64)
        nn, rr = keys // n, keys % n
        collected_n.append(nn)
        collected_r.append(rr)
        keep = active[nn]
        f_node, f_root = nn[keep], rr[keep]
    roots_of: dict[int, set[int]] = defaultdict(set)
    if collected_n:
        all_n = np.concatenate(collected_n).tolist()
        all_r = np.concatenate(collected_r).tolist()
        for a, b in zip(all_n, all_r, strict=True):
            roots_of[a].add(b)
    t = np.flatnonzero(parent >= 0)
    return dict(roots_of), dict(zip(t.tolist(), parent[t].tolist(), strict=True))


def _fmt(v: int, k: int) -> str:
    text = f"{_pct(v):g}" if v % (UNITS_PER_PERCENT // 1000) == 0 else f"{_pct(v)}"
    if k > 0:
        return f"more than {text} %"
    if k < 0:
        return f"less than {text} %"
    return f"{text} %"


def _build_findings(graph: OwnershipGraph, e: _Edges, preset: RulePreset,
                    by_id: dict[str, list[ListedParty]], seeds: np.ndarray, status: np.ndarray,
                    finding_idx: np.ndarray, branch_of_listed: np.ndarray,
                    roots_lo: dict[int, set[int]], roots_hi: dict[int, set[int]],
                    parent_of: dict[int, int], active_lo: np.ndarray, active_hi: np.ndarray,
                    agg_lo_v: np.ndarray, agg_lo_k: np.ndarray, agg_hi_v: np.ndarray,
                    agg_hi_k: np.ndarray, in_force: bool, suspended: bool,
                    unknown_country: np.ndarray, caveat: str = "",
                    licences: tuple[GeneralLicence, ...] = ()) -> list[AffiliateFinding]:
    ids = graph.ids.tolist()  # list indexing is much faster than numpy's, per finding
    seed_set = set(np.flatnonzero(seeds).tolist())
    terms: dict[tuple[str, ...], tuple[str | None, str | None]] = {}

    def terms_of(root_ids: tuple[str, ...]) -> tuple[str | None, str | None]:
        if root_ids not in terms:
            terms[root_ids] = _most_restrictive([p for r in root_ids for p in by_id.get(r, [])])
        return terms[root_ids]

    outlooks: dict[tuple[str, ...], str] = {}

    def outlook_of(root_ids: tuple[str, ...]) -> str:
        if not licences:
            return ""
        if root_ids not in outlooks:
            outlooks[root_ids] = _licence_outlook(
                licences, {normalise_list_source(p.list) for r in root_ids
                           for p in by_id.get(r, [])})
        return outlooks[root_ids]

    cmp_text = ("at least" if preset.comparator == ">=" else "more than")
    thr_text = f"{preset.threshold.normalize():f} %"
    everything = set(finding_idx.tolist()) | set(np.flatnonzero(branch_of_listed).tolist())
    if not in_force:
        everything = set(np.flatnonzero(branch_of_listed).tolist())
    if not everything:
        return []
    wanted = np.zeros(len(ids), bool)
    wanted[list(everything)] = True
    # contributions: ties into a finding from listed, covered or possibly covered owners
    sel = np.flatnonzero(wanted[e.dst] & (active_hi[e.src] | seeds[e.src]))
    # an unknown stake and a stated 0-100 range have the same bounds but read differently:
    # the unknown flag is a key too, so the order never depends on the order of the rows
    sel = sel[np.lexsort((graph.unknown[e.ids[sel]], e.jg[sel], e.hi[sel], e.lo[sel],
                          e.kind[sel], e.src[sel], e.dst[sel]))]
    contrib: dict[int, list[Contribution]] = defaultdict(list)
    rel_names = ("ownership", "control", "branch")
    heads_of: dict[int, list[int]] = defaultdict(list)
    cols = zip(sel.tolist(), e.src[sel].tolist(), e.dst[sel].tolist(), e.kind[sel].tolist(),
               e.jg[sel].tolist(), graph.unknown[e.ids[sel]].tolist(), e.lo[sel].tolist(),
               e.hi[sel].tolist(), strict=True)
    for _, s, d, kind, jg, unknown, lo, hi in cols:
        owner_status = ("listed" if seeds[s] else "covered" if active_lo[s] and status[s] ==
                        _COVERED else "undetermined" if status[s] == _UNDET else
                        "out_of_scope" if active_lo[s] else "possibly_covered")
        if kind == OWNERSHIP:
            c = Contribution(str(ids[s]), None if unknown else _pct(lo),
                             None if unknown else _pct(hi), "ownership", owner_status,
                             graph.joint_groups[jg] if jg >= 0 else None)
        else:
            c = Contribution(str(ids[s]), None, None, rel_names[kind], owner_status)
            if kind == BRANCH:
                heads_of[d].append(s)
        contrib[d].append(c)
    for head_list in heads_of.values():
        head_list.sort()

    def path_to(i: int) -> tuple[str, ...]:
        chain = [i]
        seen = {i}
        while chain[-1] not in seed_set:
            p = parent_of.get(chain[-1], -1)
            if p < 0 or p in seen:
                break
            chain.append(p)
            seen.add(p)
        return tuple([str(ids[c]) for c in reversed(chain)])

    out: list[AffiliateFinding] = []
    for i in sorted(everything):
        st = int(status[i])
        ent_id = str(ids[i])
        name = str(graph.names[i]).strip() or None
        country = str(graph.countries[i]) or None
        cs = tuple(contrib.get(i, ()))
        agg_min = _pct(int(agg_lo_v[i]))
        agg_max = _pct(int(agg_hi_v[i]))
        if branch_of_listed[i]:
            head_ids = [c.owner_id for c in cs if c.relation == "branch"]
            chain = _branch_path(graph, heads_of, seeds, i)
            root_ids: tuple[str, ...] = (chain[0],) if chain else tuple(head_ids[:1])
            req, pol = terms_of(root_ids)
            out.append(AffiliateFinding(
                ent_id, "covered", agg_min, agg_max, cs, root_ids, chain, req, pol,
                preset.reasons.branch(ent_id, root_ids[0] if root_ids else "?"),
                name, country, "covered", "branch_of_listed", True, outlook_of(root_ids)))
            continue
        roots_set = roots_lo.get(i) if st == _COVERED else roots_hi.get(i)
        root_ids = tuple(sorted(str(ids[r]) for r in (roots_set or ())))
        path = path_to(i)
        if not root_ids and path and str(path[0]) in by_id:
            root_ids = (path[0],)
        req, pol = terms_of(root_ids) if st != _RED else (None, None)
        lo_text = _fmt(int(agg_lo_v[i]), int(agg_lo_k[i]))
        hi_text = _fmt(int(agg_hi_v[i]), int(agg_hi_k[i]))
        owners = ", ".join(
            f"{c.owner_id} ({c.owner_status}) "
            + (c.relation if c.relation != "ownership" else
               "unknown %" if c.percent_min is None else
               f"{_num(c.percent_min)} %" if c.percent_min == c.percent_max else
               f"{_num(c.percent_min)}-{_num(c.percent_max)} %")
            for c in cs)
        via = f" Chain: {' > '.join(path)}." if len(path) > 1 else ""
        scope_note = ""
        if preset.scope == "foreign" and unknown_country[i]:
            scope_note = " Its country is not known; it was treated as foreign (in scope)."
        agg_word = ("from one listed party (no aggregation across listed parties)"
                    if preset.aggregation == "per_listed_party" else "in aggregate")
        if st == _COVERED:
            if agg_lo_v[i] == 0 and any(c.relation in ("control", "branch") for c in cs):
                basis = "control" if any(c.relation == "control" for c in cs) else "branch"
                core = (f"{ent_id} is {'controlled by' if basis == 'control' else 'a branch of'}"
                        f" a listed or covered party ({owners}); under {preset.id} "
                        f"{'control' if basis == 'control' else 'a branch'} is enough.")
            else:
                basis = "ownership"
                core = (f"{ent_id} is owned {lo_text} {agg_word} by listed or covered parties "
                        f"({owners}), {cmp_text} {thr_text}.")
            label = "covered"
        elif st == _UNDET:
            basis = "ownership"
            core = (f"{ent_id} is owned between {lo_text} and {hi_text} by listed or "
                    f"possibly covered parties ({owners}); it is covered only if the true "
                    f"stakes reach {cmp_text} {thr_text}. {preset.reasons.unknown()}")
            label = "undetermined"
        else:
            basis = "red_flag"
            why = []
            if any(c.relation == "control" for c in cs):
                why.append("is controlled by a listed or covered party")
            if preset.minority_red_flag is not None and agg_lo_v[i] > 0:
                why.append(f"has {lo_text} listed/covered ownership (flag level "
                           f"{preset.minority_red_flag.normalize():f} %)")
            core = (f"{ent_id} {' and '.join(why) or 'has ties to listed parties'} ({owners}) "
                    f"but is not covered by {preset.id} (needs {cmp_text} {thr_text} "
                    "ownership): a red flag calling for due diligence.")
            label = "red_flag"
        final: Status = label  # type: ignore[assignment]
        if suspended and label in ("covered", "undetermined"):
            final = "suspended"
            core += f" {preset.id} is suspended at the as-of date, so this is not in force."
        reason = core + via + scope_note
        if caveat and final != "suspended":
            reason += " " + caveat
        out.append(AffiliateFinding(
            ent_id, final, agg_min, agg_max, cs, root_ids, path, req, pol,
            reason, name, country, label, basis, not caveat,
            outlook_of(root_ids) if final in ("covered", "undetermined") else ""))
    return out


def _branch_path(graph: OwnershipGraph, heads_of: dict[int, list[int]], seeds: np.ndarray,
                 i: int) -> tuple[str, ...]:
    """Walk up branch ties (smallest head id first) to a listed head."""
    chain = [i]
    seen = {i}
    while not seeds[chain[-1]]:
        nxt = next((h for h in heads_of.get(chain[-1], ()) if h not in seen), None)
        if nxt is None:
            break
        chain.append(nxt)
        seen.add(nxt)
    return tuple(str(graph.ids[c]) for c in reversed(chain))


# ------------------------------------------------------------ knowledge helpers
def information_as_of(preset: RulePreset) -> _dt.date | None:
    """The date of the newest dated source the preset cites (its "information as of");
    ``preset.information_current_to`` for a custom rule that cites no dated source."""
    from ..knowledge import bibliography

    bib = bibliography()
    dates = [bib[i].date for i in preset.cited_sources() if i in bib and bib[i].date]
    return max((d for d in dates if d is not None), default=preset.information_current_to)


def _seeds_text(preset: RulePreset) -> str:
    parts = []
    for src, programs in sorted(preset.seeds.items()):
        parts.append(src if programs is None else f"{src} under {len(programs)} program(s)")
    return ", ".join(parts)


def _presets_in_force(preset: RulePreset, day: _dt.date) -> list[str]:
    """Built-in presets of *preset*'s jurisdiction in force on *day* (its own dated parts
    are applied by :meth:`RulePreset.at` before this is asked)."""
    out = []
    for other in list_rules():
        if other.id == preset.id or other.jurisdiction != preset.jurisdiction:
            continue
        if other.seeds.keys() != preset.seeds.keys():
            continue
        resolved = other.at(day)
        if resolved.in_force(day):
            out.append(other.id + (f" ({resolved.period})" if resolved.period else ""))
    return out


def _licence_outlook(licences: tuple[GeneralLicence, ...], lists: set[str]) -> str:
    texts = []
    for g in licences:
        alt = (f"; the sources also give {', '.join(d.isoformat() for d in g.end_alternatives)}"
               " as its end" if g.end_alternatives else "")
        if lists & set(g.lists):
            texts.append(f"{g.id} ({g.start} to {g.end}{alt}) may authorise the transaction: "
                         f"{g.text}")
        else:
            texts.append(f"{g.id} ({g.start} to {g.end}) does not apply: coverage derives from "
                         f"{', '.join(sorted(lists)) or 'no listed party'}, and {g.id} "
                         f"overcomes only the {', '.join(g.lists)} restrictions")
    return " ".join(texts)


def _meets_float(value: float | None, preset: RulePreset) -> bool:
    if value is None:
        return False
    thr = float(preset.threshold)
    return value > thr if preset.comparator == ">" else value >= thr


def _mark_unsettled_aggregation(findings: list[AffiliateFinding], preset: RulePreset
                                ) -> list[AffiliateFinding]:
    """Under a period whose aggregation is open, a finding is settled only when one owner's
    stake alone meets the test and that owner is listed or itself settled."""
    note = preset.unsettled["aggregation"]
    cand = {f.id: f for f in findings
            if f.status in ("covered", "undetermined", "suspended") and f.basis == "ownership"}
    unsettled: set[str] = set()
    changed = True
    while changed:
        changed = False
        for fid, f in cand.items():
            if fid in unsettled:
                continue
            alone = any(c.relation == "ownership" and _meets_float(c.percent_min, preset)
                        and (c.owner_status == "listed"
                             or (c.owner_id in cand and c.owner_id not in unsettled))
                        for c in f.contributions)
            if not alone:
                unsettled.add(fid)
                changed = True
    if not unsettled:
        return findings
    return [replace(f, certain=False, reason=f"{f.reason} Not settled: it needs the stakes "
                    f"of more than one owner summed, and {note}")
            if f.id in unsettled else f for f in findings]


def _with_seed_groups(graph: OwnershipGraph, preset: RulePreset, parties: list[ListedParty],
                      day: _dt.date, findings: list[AffiliateFinding], notices: list[str],
                      effective: bool) -> list[AffiliateFinding]:
    """Findings for each seed group (OFAC SSI Directives), merged into *findings*: an
    entity the main rule already covers keeps that finding; otherwise it gets the
    group's finding."""
    main = {f.id: f for f in findings if f.status != "red_flag"}
    extra: dict[str, AffiliateFinding] = {}
    for group in preset.seed_groups:
        members = [p for p in parties if normalise_list_source(p.list) == group.list]
        if not members:
            continue
        if group.start is not None and day < group.start:
            notices.append(f"{len(members)} part(ies) on {group.list}: {preset.id} models "
                           f"{group.id} only from {group.start}; they were not applied")
            continue
        if not effective:
            continue
        base = preset.model_copy(update={
            "seed_groups": (), "general_licences": (), "minority_red_flag": None,
            "control": "ignore", "covered_effect": group.effect, "unverified": (),
            "periods": (), "suspensions": (), "unsettled": {}})
        per_program: dict[str, dict[str, AffiliateFinding]] = {}
        for program in group.programs:
            rule = base.model_copy(update={"seeds": {group.list: (program,)}})
            sub = apply_affiliates_rule(graph, [p for p in members if program in
                                                {q.strip().upper() for q in p.programs}],
                                        rule=rule, as_of=day)
            per_program[program] = {f.id: f for f in sub.findings}
        together = apply_affiliates_rule(
            graph, [ListedParty(id=p.id, list=p.list, name=p.name) for p in members],
            rule=base.model_copy(update={"seeds": {group.list: None}}), as_of=day)
        programs_of = {p.id: sorted({q.strip().upper() for q in p.programs}
                                    & set(group.programs)) for p in members}
        for f in together.findings:
            if f.id in main:
                continue
            hits = [(prog, per_program[prog][f.id]) for prog in group.programs
                    if f.id in per_program[prog]
                    and per_program[prog][f.id].status in ("covered", "undetermined")]
            covered_by = [prog for prog, g in hits if g.status == "covered"]
            if covered_by:
                first = dict(hits)[covered_by[0]]
                status: Status = "covered"
                progs = covered_by
                certain = True
                why = (f"Under {preset.id} ({group.id}) it is subject to the prohibitions of "
                       f"{', '.join(progs)}: {group.effect}")
                src = first
            else:
                progs = sorted({q for r in f.roots for q in programs_of.get(r, [])})
                status = "undetermined"
                certain = False
                src = hits[0][1] if hits else f
                if hits:
                    why = (f"Under {preset.id} ({group.id}) it may be subject to the "
                           f"prohibitions of {', '.join(p for p, _ in hits)}: {group.effect}")
                else:
                    missing = [r for r in f.roots if not programs_of.get(r)]
                    why = (f"Not settled under {preset.id} ({group.id}): it is reached only "
                           "by summing stakes of owners subject to different programs"
                           + (f" ({', '.join(progs)})" if progs else "")
                           + (f" or of owners whose program is not given "
                              f"({', '.join(missing)})" if missing else "")
                           + "; the sources do not say whether such stakes aggregate or "
                           f"which prohibitions would extend ({group.effect})")
            extra[f.id] = replace(
                src, status=status, certain=certain and src.certain, basis=group.id,
                status_if_in_force=status,
                license_requirement=f"{group.effect} ({', '.join(progs) or 'program unknown'})",
                license_policy=None, licence_outlook="",
                reason=f"{src.reason} {why}")
    if not extra:
        return findings
    merged = {f.id: f for f in findings}
    merged.update(extra)
    keys = list(merged)
    pos = dict(zip(keys, graph.positions(keys).tolist(), strict=True))
    return [merged[k] for k in sorted(keys, key=lambda k: (pos[k], k))]


# ------------------------------------------------------------------- listed CSV
def load_listed_csv(
    path: str | Path | pd.DataFrame, *, encoding: str | None = None,
    sheet: str | int | None = None,
) -> list[ListedParty]:
    """Read the listed-parties CSV: ``id,list`` required; ``name``, ``programs``
    (``;``-separated), ``license_requirement``, ``license_policy`` optional. *encoding*
    and *sheet* as :func:`~exportscreen.io.read.read_table` takes them."""
    from ..io.read import SURROGATES, has_undecodable, read_table

    table = read_table(path, required=["id", "list"], encoding=encoding, sheet=sheet)
    f = table.frame
    columns = {str(name): f[name].tolist() for name in f.columns}
    # a listed party's terms are copied into every finding: never pass on bytes that are
    # not UTF-8. The rows holding such bytes, each with its first such column, so that
    # the first bad row is the one named whatever its fault
    undecodable: dict[int, str] = {}
    for name, cells in columns.items():
        if SURROGATES.search("".join(cells)):
            for k, cell in enumerate(cells):
                if has_undecodable(cell):
                    undecodable.setdefault(k, name)
    empty = [""] * len(f)

    def opt(name: str) -> list[str | None]:
        return [cell.strip() or None for cell in columns.get(name, empty)]

    names, requirements, policies = opt("name"), opt("license_requirement"), opt("license_policy")
    out: list[ListedParty] = []
    for pos, (raw_id, raw_list, raw_programs) in enumerate(
            zip(columns["id"], columns["list"], columns.get("programs", empty), strict=True)):
        pid, lst = raw_id.strip(), raw_list.strip()
        if not pid:
            raise table.error("empty id", pos, "id")
        if not lst:
            raise table.error("empty list name", pos, "list")
        if pos in undecodable:
            raise table.error("the cell holds bytes that are not UTF-8 (save the file as "
                              "UTF-8)", pos, undecodable[pos])
        if any(ch < " " or ch == "\x7f" for ch in pid):
            raise table.error(f"id contains a control character: {pid!r}", pos, "id")
        programs = tuple(p.strip() for p in raw_programs.split(";") if p.strip())
        out.append(ListedParty(id=pid, list=lst, name=names[pos], programs=programs,
                               license_requirement=requirements[pos],
                               license_policy=policies[pos]))
    return out
