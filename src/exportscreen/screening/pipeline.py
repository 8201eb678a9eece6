
from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from .._version import __version__
from ..errors import InputError
from ..io.read import SURROGATES as _SURROGATES
from ..io.read import Table, blank_rows_notice, iso_date, read_table, takes_read_options
from ..lists.models import ListEntry, ScreeningList
from ..names import NameMatch
from ..ownership import OwnershipGraph, RulePreset, apply_affiliates_rule
from ..ownership.graph import check_percent_scale
from ..ownership.rules import get_rule
from .affiliates import (
    _affiliate_alert,
    _entity_list,
    _entity_queries,
    _EntityLookup,
    _finding_map,
    _listed_parties,
    _listed_party,
    _load_graph,
    _Ownership,
    _seed_preference,
)
from .columns import _country_code, detect_columns
from .decisions import Decision, DecisionBook, load_decisions, row_key, supplier_hash
from .matching import (
    ListSource,
    _check_thresholds,
    _make_matcher,
    _match_unique,
    _name_alert,
    _only_exact,
    _thresholds,
    _unscreenable_name,
    list_and_matcher,
)
from .model import (
    EXTRA_COLUMNS,
    FINDING_TO_STATUS,
    RESULT_COLUMNS,
    Alert,
    Change,
    InputInfo,
    LibraryInfo,
    Provenance,
    RowResult,
    ScreeningRun,
    Status,
    Thresholds,
    _file_sha256,
    _num,
    _sha256_json,
)
from .since import _diff, _load_previous


def supplier_table(suppliers: object) -> str | Path | pd.DataFrame:
    """What :func:`screen` takes as suppliers, as the table reader takes it: a DataFrame or
    a path as they are, a Series of names as a one-column frame (named after the Series,
    else ``name``), a list or tuple of names as a ``name`` column."""
    if isinstance(suppliers, pd.DataFrame | str | Path):
        return suppliers
    if isinstance(suppliers, os.PathLike):
        return Path(suppliers)
    if isinstance(suppliers, pd.Series):
        column = str(suppliers.name) if suppliers.name is not None else "name"
        return pd.DataFrame({column: suppliers.tolist()}, dtype=object)
    if isinstance(suppliers, list | tuple):
        wrong = next((v for v in suppliers if not isinstance(v, str)), None)
        if wrong is not None:
            raise TypeError(f"suppliers: a list of names holds only str, not "
                            f"{type(wrong).__name__} ({wrong!r})")
        return pd.DataFrame({"name": list(suppliers)}, dtype=object)
    raise TypeError(
        "suppliers: screen() takes a DataFrame, a Series of names, a list of names or the "
        f"path of a CSV/TSV/Excel file, not {type(suppliers).__name__}"
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

@dataclass
class _Rows:
    """The supplier table being screened, row by row: what each row asks, and which rows
    cannot be screened (they stay in the output as ``error``, never dropped)."""

    table: Table
    columns: dict[str, str | None]
    names: list[str]
    countries: list[str]
    ids: list[str]
    bad_columns: list[list[str]]  # columns whose bytes are not UTF-8, per row
    errors: dict[int, str]  # position -> why the row cannot be screened
    query_of: list[tuple[str, str | None] | None]  # position -> (name, country code)
    country_notes: dict[int, str]

    @property
    def input_columns(self) -> tuple[str, ...]:
        return tuple(str(c) for c in self.table.frame.columns)

    @property
    def queries(self) -> list[tuple[str, str | None]]:
        return [q for q in self.query_of if q is not None]


@dataclass
class _Links:
    """How supplier rows meet the ownership graph: by id or name (position -> entity id,
    link kind, score), and rows whose name only resembles a flagged entity."""

    by_row: dict[int, tuple[str, str, float]] = field(default_factory=dict)
    resemblance: dict[int, list[NameMatch]] = field(default_factory=dict)


@takes_read_options  # encoding= and sheet= reach every table read: decisions, ownership
def screen(
    suppliers: str | Path | pd.DataFrame | pd.Series | Sequence[str],
    *,
    list: ListSource = "default",
    ownership: OwnershipGraph | str | Path | pd.DataFrame | None = None,
    entities: str | Path | pd.DataFrame | None = None,
    rule: RulePreset | str = "us-bis-affiliates",
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
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> ScreeningRun:
    """Screen a supplier table and keep all the evidence (:class:`ScreeningRun`).

    :func:`screen_suppliers` returns ``screen(...).frame``; the CLI writes the run's
    CSV / JSON / HTML reports. ``previous`` is an earlier run's JSON (path or dict):
    the run then reports, per row, what changed and why (``changes``, ``change`` column).
    ``percent_scale`` says how an ownership file or DataFrame writes stakes (``"percent"``
    or ``"fraction"``, see :meth:`OwnershipGraph.from_csv`).

    *suppliers* is a DataFrame, a Series of names, a list of names, or the path of a CSV,
    TSV or Excel file. *list* is a :class:`~exportscreen.ScreeningList`, a prebuilt
    :class:`~exportscreen.NameMatcher` (reused: build it once, screen many times),
    ``"default"``, the path of a list file, or a list of these screened together (one
    index; each alert names its list); the matcher built for a list is kept for the
    next call with the same list and thresholds. Anything else is a ``TypeError`` naming
    what is accepted.

    *encoding* (default UTF-8) and *sheet* (of a workbook, by name or
    number from 1) apply to every file read: suppliers, decisions, ownership, entities.

    The stages, in order: the table and its columns, the rows that can be screened, the
    list and its matcher, the ownership graph's listed roots and the rule, name matching,
    links from rows to flagged entities, one :class:`RowResult` per row (alerts, decisions,
    status), provenance, and the change against *previous*.
    """
    as_of_date = _as_of(as_of)
    _check_thresholds(hit_threshold, possible_threshold)
    check_percent_scale(percent_scale)
    if ownership is None and isinstance(rule, str):
        get_rule(rule)  # an unknown rule is an error even when no ownership graph uses it
    rows = _read_rows(supplier_table(suppliers), name_column, country_column, id_column)
    book = load_decisions(decisions)
    previous_data = _load_previous(previous)
    lst, matcher = list_and_matcher(list, hit_threshold, possible_threshold)
    hit_t, possible_t = _thresholds(matcher, hit_threshold, possible_threshold)
    # keyed by (source, id): one CSL _id can sit on several lists (SDN, SSI, CAPTA ...),
    # and each record carries its own list and licence terms
    entries = {e.key: e for e in lst.entries}
    notices = _row_notices(rows)

    graph = None if ownership is None else _load_graph(ownership, entities, percent_scale)
    entity_queries = [] if graph is None else _entity_queries(
        graph[0], _EntityLookup(graph[0]),
        (rows.ids[p].strip() for p, q in enumerate(rows.query_of) if q is not None))
    matches = _match_unique(matcher, rows.queries + [(q[1], q[2]) for q in entity_queries],
                            limit=5, progress=progress, desc="screening")
    own = None if graph is None else _apply_rule(
        graph, entity_queries, matches, entries, rule, as_of_date, hit_threshold,
        possible_threshold, notices)
    rule_id = _rule_id(rule, own)
    links = _Links() if own is None else _link_rows(own, rows, progress)

    used: set[tuple[str, str]] = set()
    results = [_row_result(position, rows, matches, entries, own, links, book, used, rule_id,
                           possible_t)
               for position in range(len(rows.names))]
    decisions_info = None if decisions is None else _decisions_info(book, results, used,
                                                                    notices)
    ownership_info = None if own is None else _ownership_info(own, rule_id, as_of_date, links)
    provenance = Provenance(
        library=LibraryInfo(name="exportscreen", version=__version__),
        input=InputInfo(
            path=rows.table.label if rows.table.from_file else None,
            sha256=_file_sha256(rows.table.label) if rows.table.from_file else None,
            rows=len(results), columns=rows.input_columns, detected=dict(rows.columns)),
        list=lst.provenance.model_dump(mode="json"),
        thresholds=Thresholds(hit=hit_t, possible=possible_t),
        rule=rule_id if own is not None else None,
        as_of=ownership_info["as_of"] if ownership_info else _iso(as_of_date),
    )
    list_hashes = _entry_hashes(lst)
    changes: tuple[Change, ...] | None = None
    if previous_data is not None:
        changes, results = _diff(previous_data, results, list_hashes, ownership_info,
                                 provenance.to_dict())
        provenance = provenance.model_copy(update={"previous": {
            key: previous_data.get("provenance", {}).get(key)
            for key in ("library", "list", "input")}})
    return ScreeningRun(
        frame=_output_frame(rows, results, changes, provenance), rows=tuple(results),
        input_columns=rows.input_columns, columns=dict(rows.columns), provenance=provenance,
        notices=tuple(notices), list_entry_hashes=list_hashes, ownership=ownership_info,
        decisions=decisions_info, changes=changes,
    )


def _as_of(as_of: _dt.date | str | None) -> _dt.date | None:
    if not isinstance(as_of, str):
        return as_of
    try:
        return iso_date(as_of)
    except ValueError:
        raise InputError(f"not a date in the form YYYY-MM-DD: {as_of!r}",
                         column="as_of") from None


def _read_rows(
    suppliers: str | Path | pd.DataFrame, name_column: str | None,
    country_column: str | None, id_column: str | None,
) -> _Rows:
    """The table, its columns, and per row the query or why there is none."""
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
    n = len(frame)
    name_col, country_col, id_col = cols["name"], cols["country"], cols["id"]
    assert name_col is not None  # detect_columns raises when there is no name column
    names: list[str] = frame[name_col].tolist() if n else []
    countries: list[str] = frame[country_col].tolist() if country_col and n else [""] * n
    ids: list[str] = frame[id_col].tolist() if id_col and n else [""] * n
    bad_columns: list[list[str]] = [[] for _ in range(n)]
    for column in input_columns:
        # searched in the Python strings, not with .str.contains: Arrow-backed strings
        # (pandas 3 with pyarrow) cannot even take the pattern of lone surrogates
        for position, text in enumerate(frame[column].tolist()):
            if _SURROGATES.search(text):
                bad_columns[position].append(column)
    rows = _Rows(table=table, columns=cols, names=names, countries=countries, ids=ids,
                 bad_columns=bad_columns, errors={}, query_of=[], country_notes={})
    for position in range(n):
        rows.query_of.append(_row_query(rows, position))
    return rows


def _row_query(rows: _Rows, position: int) -> tuple[str, str | None] | None:
    """The (name, country code) a row asks about, or ``None`` with its reason in
    ``rows.errors``; a country that is no code nor known name is noted, not used."""
    name = rows.names[position]
    bad = rows.bad_columns[position]
    if bad:
        listed_cols = ", ".join(repr(c) for c in bad)
        plural = "s" if len(bad) > 1 else ""
        rows.errors[position] = (
            f"cannot screen: column{plural} {listed_cols} ha{'ve' if plural else 's'} bytes "
            "that are not valid UTF-8 "
            "(shown as U+FFFD in the output); fix the file's encoding"
        )
        return None
    if not name.strip():
        blank = not any(str(v).strip() for v in rows.table.frame.iloc[position].tolist())
        rows.errors[position] = (
            "cannot screen: the row is blank" if blank
            else f"cannot screen: the name (column {rows.columns['name']!r}) is empty")
        return None
    raw_country = rows.countries[position].strip()
    code = _country_code(raw_country)
    if raw_country and code is None:
        rows.country_notes[position] = (
            f"country {raw_country!r} is neither an ISO 3166 alpha-2 code nor a known "
            "country name, so it was not used to corroborate the match"
        )
    return (" ".join(name.split()), code)


def _row_notices(rows: _Rows) -> list[str]:
    notices: list[str] = []
    if rows.table.blank_rows:  # only blank lines after the last row are left out
        notices.append(f"{blank_rows_notice(rows.table)}: they follow the last row")
    if rows.country_notes:
        notices.append(f"{len(rows.country_notes)} row(s) have a country that is neither an "
                       "ISO 3166 alpha-2 code nor a known country name; those rows were "
                       "screened on the name alone")
    return notices


def _apply_rule(
    graph: tuple[OwnershipGraph, dict[str, Any]],
    entity_queries: list[tuple[str, str, str | None]],
    matches: Mapping[tuple[str, str | None], Sequence[NameMatch]],
    entries: Mapping[tuple[str, str], ListEntry],
    rule: RulePreset | str,
    as_of: _dt.date | None,
    hit_threshold: float | None,
    possible_threshold: float | None,
    notices: list[str],
) -> _Ownership:
    """The ownership stage: graph entities whose names hit the list become listed parties
    of that entry's list, the rule extends them; the flagged entities get a matcher."""
    ownership_graph, graph_info = graph
    listed, possible_roots, all_hits = _listed_parties(
        entity_queries, matches, entries, _seed_preference(rule)
    )
    parties = [_listed_party(eid, entry) for eid in sorted(all_hits)
               for entry in all_hits[eid]]
    result = apply_affiliates_rule(ownership_graph, parties, rule=rule, as_of=as_of)
    own = _Ownership(
        graph=ownership_graph, entities=_EntityLookup(ownership_graph), result=result,
        listed=listed, possible_roots=possible_roots, flagged=_finding_map(result),
        provenance=graph_info,
    )
    notices.extend(str(x) for x in result.notices)
    if possible_roots:
        notices.append(
            f"{len(possible_roots)} ownership-graph entit(y/ies) only resemble a list entry "
            "(possible match) and were not treated as listed; see ownership.possible_roots"
        )
    flagged_ids = set(own.flagged) | set(listed)
    if flagged_ids:
        own.entity_matcher = _make_matcher(
            _entity_list(own, flagged_ids), hit_threshold, possible_threshold
        )
    return own


def _rule_id(rule: RulePreset | str, own: _Ownership | None) -> str:
    if own is not None:
        return str(own.result.rule.id)
    return rule.id if isinstance(rule, RulePreset) else str(rule)


def _link_rows(own: _Ownership, rows: _Rows, progress: bool) -> _Links:
    """Link supplier rows to graph entities: by id, else by name (a hit on a flagged
    entity's name links; a possible only resembles)."""
    links = _Links()
    by_name: list[int] = []
    for position, query in enumerate(rows.query_of):
        if query is None:
            continue
        sid = rows.ids[position].strip()
        if sid and sid in own.entities:
            links.by_row[position] = (sid, "id", 100.0)
        else:
            by_name.append(position)
    if own.entity_matcher is None or not by_name:
        return links
    entity_matches = _match_unique(
        own.entity_matcher, [q for p in by_name if (q := rows.query_of[p]) is not None],
        limit=3, progress=progress, desc="affiliates",
    )
    for position in by_name:
        found = entity_matches.get(rows.query_of[position] or ("", None), [])
        hits = [m for m in found if m.status == "hit"]
        if hits:
            best = min(hits, key=lambda m: (-float(m.score), str(m.entry_id)))
            links.by_row[position] = (str(best.entry_id), "name", float(best.score))
        else:
            links.resemblance[position] = [m for m in found if m.status == "possible"]
    return links


def _row_alerts(
    position: int, rows: _Rows, matches: Mapping[tuple[str, str | None], Sequence[NameMatch]],
    entries: Mapping[tuple[str, str], ListEntry], own: _Ownership | None, links: _Links,
    rule_id: str,
) -> list[Alert]:
    """Every alert of one row, most severe first: name matches, the affiliate it is linked
    to, the flagged entities its name only resembles."""
    alerts: list[Alert] = []
    for match in matches.get(rows.query_of[position] or ("", None), ()):
        entry = entries.get((str(match.source), str(match.entry_id)))
        if entry is not None and match.status in ("hit", "possible"):
            alerts.append(_name_alert(match, entry))
    if own is not None:
        link = links.by_row.get(position)
        if link is not None:
            alert = _affiliate_alert(own, link[0], link[1], link[2], rule_id)
            if alert is not None:
                alerts.append(alert)
        for match in links.resemblance.get(position, ()):
            alert = _affiliate_alert(own, str(match.entry_id), "name", float(match.score),
                                     rule_id)
            if alert is not None:
                alerts.append(alert.model_copy(update={
                    "kind": "affiliate_name", "status": "possible",
                    "reason": "name only resembles: " + alert.reason,
                }))
    alerts.sort(key=Alert.sort_key)
    return alerts


def _row_result(
    position: int, rows: _Rows, matches: Mapping[tuple[str, str | None], Sequence[NameMatch]],
    entries: Mapping[tuple[str, str], ListEntry], own: _Ownership | None, links: _Links,
    book: DecisionBook, used: set[tuple[str, str]], rule_id: str, possible_t: float,
) -> RowResult:
    """One row's result: its alerts, the analyst's decisions on them, its status and why."""
    name, country, sid = rows.names[position], rows.countries[position], rows.ids[position]
    fields = {"name": name}
    if rows.columns["country"]:
        fields["country"] = country
    if rows.columns["id"]:
        fields["id"] = sid
    s_hash = supplier_hash(fields)  # of the raw bytes, undecodable ones included
    if rows.bad_columns[position]:
        name, country, sid = (_SURROGATES.sub("\ufffd", t) for t in (name, country, sid))
    key = row_key(name, country, sid)
    row = rows.table.row_number(position)
    if position in rows.errors:
        return RowResult(position=position, row=row, row_key=key, supplier_hash=s_hash,
                         name=name, country=country, supplier_id=sid, status="error",
                         reason=rows.errors[position])
    alerts = _row_alerts(position, rows, matches, entries, own, links, rule_id)
    remaining, suppressed, reopened, confirmed = _decide(key, s_hash, alerts, book, used)
    top = remaining[0] if remaining else None
    decision = decision_note = ""
    status: Status
    if top is not None:
        status, reason = top.status, top.reason
        if len(remaining) > 1:
            # the same party on several lists: name every other list and entry that
            # matched as strongly, so a CSV reader sees them all; each entry once (one
            # entry may also come back as a listed graph entity or under another name)
            named = {(top.source, top.entry_id)}
            same: list[Alert] = []
            for a in remaining[1:]:
                if a.status == top.status and (a.source, a.entry_id) not in named:
                    named.add((a.source, a.entry_id))
                    same.append(a)
            if same:
                reason += "; also " + "; ".join(
                    f"{a.source} entry {a.entry_id} '{a.entry_name}' (score {a.score:g})"
                    for a in same)
            others = len(remaining) - 1 - len(same)
            if others:
                reason += f" (+{others} more alert(s) in the JSON report)"
        if top.alert_hash in confirmed:
            decision = "confirmed"
            decision_note = confirmed[top.alert_hash].describe()
    elif suppressed:
        status = "clear"
        reason = "; ".join(f"alert on entry {a.entry_id} {a.entry_name!r} closed: "
                           f"{d.describe()}" for a, d in suppressed)
        decision = "false_positive"
        decision_note = "; ".join(d.describe() for _, d in suppressed)
    elif not alerts and (why := _unscreenable_name(name)) is not None:
        status = "error"
        reason = (f"cannot screen: the name (column {rows.columns['name']!r}) has nothing to "
                  f"compare: {why}")
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
    if position in rows.country_notes:
        reason += f" ({rows.country_notes[position]})"
    return RowResult(
        position=position, row=row, row_key=key, supplier_hash=s_hash, name=name,
        country=country, supplier_id=sid, status=status, reason=reason, alerts=tuple(alerts),
        top=top,
        decision=decision, decision_note=decision_note, suppressed=tuple(suppressed),
        reopened=tuple(reopened),
    )


def _decisions_info(book: DecisionBook, results: Sequence[RowResult],
                    used: set[tuple[str, str]], notices: list[str]) -> dict[str, Any]:
    """The decisions section of the report: what was applied, re-opened and left unused."""
    unused = [
        {"row_key": d.row_key, "entry_id": d.entry_id, "decision": d.describe()}
        for d in book.latest() if (d.row_key, d.entry_id) not in used
    ]
    info: dict[str, Any] = {
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
    if info["reopened"]:
        notices.append(f"{len(info['reopened'])} decision(s) re-opened because "
                       "the supplier row, the list entry or the ownership evidence changed")
    if unused:
        notices.append(f"{len(unused)} decision(s) matched no current alert")
    if book.undecided_rows:
        notices.append(f"{len(book.undecided_rows)} line(s) of the decisions file have no "
                       "decision and were not applied")
    return info


def _ownership_info(own: _Ownership, rule_id: str, as_of: _dt.date | None,
                    links: _Links) -> dict[str, Any]:
    """The ownership section of the report: graph, rule, listed roots, finding counts."""
    result = own.result
    return {
        **own.provenance,
        "rule": rule_id,
        "as_of": _iso(result.as_of or as_of),
        "rule_in_force": result.rule_in_force,
        # not settled: the rule's state on the date is unknown (a lapsed suspension)
        "settled": not getattr(result, "caveat", ""),
        "caveat": getattr(result, "caveat", "") or None,
        "entities": len(own.entities),
        "listed_roots": [
            {"entity_id": eid, "entry_id": entry.id, "entry_name": entry.name,
             "source": entry.source, "matched_name": alias, "score": score}
            for eid, (entry, score, alias) in sorted(own.listed.items())
        ],
        "possible_roots": own.possible_roots,
        "findings": {s: sum(1 for f in own.flagged.values() if f.status == s)
                     for s in FINDING_TO_STATUS},
        "linked_rows": len(links.by_row),
    }


def _output_frame(rows: _Rows, results: Sequence[RowResult],
                  changes: tuple[Change, ...] | None, provenance: Provenance) -> pd.DataFrame:
    """The input table, every column kept (undecodable bytes shown as U+FFFD), plus the
    result columns; the provenance in ``attrs["exportscreen"]``."""
    out = rows.table.frame.copy()
    if len(out):
        for column in rows.input_columns:  # Python strings; the column stays object
            out[column] = pd.Series([_SURROGATES.sub("\ufffd", text)
                                     for text in out[column].tolist()],
                                    index=out.index, dtype="object")
    columns = [r.result_columns() for r in results]
    for column in (*RESULT_COLUMNS, *EXTRA_COLUMNS):
        values = [c[column] for c in columns]
        out[column] = pd.Series(values, index=out.index,
                                dtype="float64" if column == "score" else "object")
    if changes is not None:
        out["change"] = pd.Series([r.change for r in results], index=out.index, dtype="object")
    out.attrs["exportscreen"] = provenance.to_dict()
    return out


def _entry_hashes(lst: ScreeningList) -> dict[str, str]:
    """Entry id -> content hash; an id on several lists (records) hashes all its records,
    so a change to any of them shows in ``--since``."""
    by_id: dict[str, list[str]] = {}
    for entry in lst.entries:
        by_id.setdefault(entry.id, []).append(entry.content_hash)
    return {k: v[0] if len(v) == 1 else _sha256_json(sorted(v)) for k, v in by_id.items()}

def _iso(value: _dt.date | None) -> str | None:
    return None if value is None else value.isoformat()

def screen_suppliers(
    frame: str | Path | pd.DataFrame | pd.Series | Sequence[str],
    list: ListSource = "default",
    ownership: OwnershipGraph | str | Path | pd.DataFrame | None = None,
    rule: RulePreset | str = "us-bis-affiliates",
    as_of: _dt.date | str | None = None,
    name_column: str | None = None,
    country_column: str | None = None,
    id_column: str | None = None,
    decisions: str | Path | pd.DataFrame | DecisionBook | None = None,
    *,
    entities: str | Path | pd.DataFrame | None = None,
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
