"""The ownership stage: the graph's entities screened against the list become listed
roots, the rule extends them, and a supplier row is linked to a flagged entity."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..io.read import has_undecodable
from ..lists.models import ListEntry, ListProvenance, ScreeningList
from ..ownership import ListedParty, OwnershipGraph
from ..ownership.graph import check_percent_scale
from ..ownership.rules import get_rule
from .columns import _country_code
from .model import (
    FINDING_TO_STATUS,
    AffiliateLink,
    Alert,
    PathStep,
    _file_sha256,
    _float,
    _num,
    _sha256_json,
    alert_status,
)


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
    scale = check_percent_scale(percent_scale)

    if isinstance(ownership, OwnershipGraph):
        if scale != "percent":
            raise InputError("percent_scale is for an ownership file or DataFrame; an "
                             "OwnershipGraph is already read", column="percent_scale")
        return ownership, {"source": "OwnershipGraph object"}

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
    matches: Mapping[tuple[str, str | None], Sequence[Any]],
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

_MAX_EDGES = 80  # a diagram an analyst can read; the text list under it says if cut


def _contribution_edges(
    own: _Ownership, finding: Any
) -> tuple[tuple[str, str, str, float | None, float | None, str, str], ...]:
    """Every stake counted toward *finding*'s aggregate, and recursively toward each
    covered (or possibly covered) owner's, up to the listed roots."""
    edges: list[tuple[str, str, str, float | None, float | None, str, str]] = []
    seen: set[str] = set()
    queue = [finding]
    while queue and len(edges) < _MAX_EDGES:
        current = queue.pop(0)
        owned = str(current.id)
        if owned in seen:
            continue
        seen.add(owned)
        for c in getattr(current, "contributions", ()) or ():
            owner = str(c.owner_id)
            entity = own.entities.get(owner)
            status = str(getattr(c, "owner_status", "") or "")
            edges.append((owner, (getattr(entity, "name", None) or "") if entity else "",
                          owned, _float(c.percent_min), _float(c.percent_max),
                          str(getattr(c, "relation", "ownership") or "ownership"), status))
            if status != "listed" and owner not in seen:
                upstream = own.result.finding(owner)
                if upstream is not None:
                    queue.append(upstream)
    return tuple(edges[:_MAX_EDGES])


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
        contribution_edges=(_contribution_edges(own, finding)
                            if hasattr(own.result, "finding") else ()),
        certain=bool(getattr(finding, "certain", True)),
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
        kind="affiliate", status=alert_status(status), score=link_score,
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
