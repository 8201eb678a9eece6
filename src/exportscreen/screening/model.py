"""The typed results of a screening: one :class:`RowResult` per input row, its
:class:`Alert` s, and the :class:`ScreeningRun` that holds them with their provenance."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, InstanceOf

from .decisions import Decision

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

Status = Literal["hit", "affiliate", "possible", "clear", "error"]
AlertStatus = Literal["hit", "affiliate", "possible"]
AlertKind = Literal["name", "listed_entity", "affiliate", "affiliate_name"]


def alert_status(text: str) -> AlertStatus:
    """*text* as an alert's status; anything but hit, affiliate or possible is a bug."""
    if text == "hit":
        return "hit"
    if text == "affiliate":
        return "affiliate"
    if text == "possible":
        return "possible"
    raise ValueError(f"not an alert status: {text!r}")


class Record(BaseModel):
    """A frozen result model. ``record["field"]`` and ``record.get("field")`` read a field
    as the dicts of earlier releases were read, so scripts written against them still run."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    def __getitem__(self, key: str) -> Any:
        if key not in type(self).model_fields:
            raise KeyError(key)
        return getattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key) if key in type(self).model_fields else default


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")

class PathStep(Record):
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

class AffiliateLink(Record):
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
    #: every stake that contributes to the aggregate, down from the listed roots:
    #: (owner id, owner name, owned id, percent min, percent max, relation, owner status);
    #: percent None = unknown stake
    contribution_edges: tuple[
        tuple[str, str, str, float | None, float | None, str, str], ...] = ()
    #: False when the finding is not settled (its reason says why)
    certain: bool = True

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

class Alert(Record):
    """One reason a row may be restricted: a name match, a listed graph entity or an affiliate."""

    kind: AlertKind
    status: AlertStatus
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

class RowResult(Record):
    """The screening result of one input row (all alerts, the deciding one, the decision)."""

    position: int
    row: int
    row_key: str
    supplier_hash: str
    name: str
    country: str
    supplier_id: str
    status: Status
    reason: str
    alerts: tuple[Alert, ...] = ()
    top: Alert | None = None
    decision: str = ""
    decision_note: str = ""
    suppressed: tuple[tuple[Alert, InstanceOf[Decision]], ...] = ()
    reopened: tuple[tuple[Alert, InstanceOf[Decision], str], ...] = ()
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

class Change(Record):
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

class LibraryInfo(Record):
    """Which exportscreen produced the run."""

    name: str
    version: str


class InputInfo(Record):
    """The supplier table: its file (``None`` for a DataFrame), size and detected columns."""

    path: str | None
    sha256: str | None
    rows: int
    columns: tuple[str, ...]
    detected: dict[str, str | None]


class Thresholds(Record):
    """The name scores at and above which a match is a hit, or a possible match."""

    hit: float
    possible: float


class Provenance(Record):
    """What a run was computed from: library, input, list, thresholds, rule and date; with
    ``--since``, what the previous run was computed from."""

    library: LibraryInfo
    input: InputInfo
    list: dict[str, Any]  # the list's ListProvenance, as JSON
    thresholds: Thresholds
    rule: str | None
    as_of: str | None
    previous: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """As the JSON report writes it (``previous`` only when there was one)."""
        data = self.model_dump(mode="json")
        data["input"]["columns"] = [*self.input.columns]
        if self.previous is None:
            del data["previous"]
        return data


class ScreeningRun(Record):
    """Everything one screening produced: the output frame, per-row evidence, provenance."""

    frame: pd.DataFrame
    rows: tuple[RowResult, ...]
    input_columns: tuple[str, ...]
    columns: dict[str, str | None]
    provenance: Provenance
    notices: tuple[str, ...]
    list_entry_hashes: dict[str, str]
    ownership: dict[str, Any] | None = None
    decisions: dict[str, Any] | None = None
    changes: tuple[Change, ...] | None = None
    input_rows: tuple[dict[str, str], ...] = Field(default=(), repr=False)

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
        """The JSON report (see :func:`run_to_dict` and :mod:`exportscreen.report.json`)."""

        return run_to_dict(self)

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


def _sha256_json(value: Any) -> str:
    payload = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def _file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _float(value: Any) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


FORMAT_VERSION = 1  # of the JSON report (report/json.py); --since reads it back


def run_to_dict(run: ScreeningRun) -> dict[str, Any]:
    """The report as plain JSON values."""
    frame = run.frame
    input_columns = [*run.input_columns]
    inputs = frame[input_columns].to_dict("records") if input_columns else [{}] * len(run.rows)
    rows: list[dict[str, Any]] = []
    for result, values in zip(run.rows, inputs, strict=True):
        columns = result.result_columns()
        row: dict[str, Any] = {
            "row": result.row,
            "row_key": result.row_key,
            "supplier_hash": result.supplier_hash,
            "name": result.name,
            "input": values,
            **{k: v for k, v in columns.items() if k not in ("row_key", "supplier_hash")},
            "alerts": [a.to_dict() for a in result.alerts],
        }
        if result.top is not None and result.top.affiliate is not None:
            row["affiliate"] = result.top.to_dict()["affiliate"]
        if result.reopened:
            row["reopened"] = [
                {"entry_id": a.entry_id, "decision": d.describe(), "why": why}
                for a, d, why in result.reopened
            ]
        if run.changes is not None:
            row["change"] = result.change
        rows.append(row)
    return {
        "report": "exportscreen-screen",
        "format_version": FORMAT_VERSION,
        "provenance": run.provenance.to_dict(),
        "summary": run.summary,
        "notices": [*run.notices],
        "ownership": run.ownership,
        "decisions": run.decisions,
        "changes": None if run.changes is None else [c.to_dict() for c in run.changes],
        "rows": rows,
        "list_entries": dict(sorted(run.list_entry_hashes.items())),
    }
