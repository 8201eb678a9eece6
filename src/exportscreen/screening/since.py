"""``--since``: what changed against a previous run's JSON report, row by row, and why."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .._version import __version__
from ..errors import InputError
from ..io.read import read_json_file
from .model import STATUSES, Change, RowResult


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
            change = Change(row_key=result.row_key, row=result.row, name=result.name,
                            before="new", after=after,
                            reasons=("row not in the previous run",))
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
            change = Change(row_key=result.row_key, row=result.row, name=result.name,
                            before=before, after=after,
                            reasons=tuple(reasons))
        changes.append(change)
        updated.append(result.model_copy(update={"change": change.text()}))
    for key, rows in sorted(by_key.items()):
        for row in rows[seen.get(key, 0):]:
            before = _outcome(str(row["screen_status"]), str(row.get("matched_entry_id") or ""),
                              str(row.get("decision") or ""))
            changes.append(Change(row_key=key, row=None, name=str(row.get("name") or ""),
                                  before=before, after="removed",
                                  reasons=("row no longer in the supplier file",)))
    return tuple(changes), updated
