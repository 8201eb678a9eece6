"""The JSON report of a screening run: full provenance plus every row's evidence.

Layout (stable; ``--since`` reads it back)::

    {"report": "exportscreen-screen", "format_version": 1,
     "provenance": {"library": {...}, "input": {...}, "list": {source, format, snapshot_date,
                    sha256, entries, path}, "thresholds": {"hit", "possible"}, "rule", "as_of"},
     "summary": {"hit": 3, "affiliate": 2, ...}, "notices": [...],
     "ownership": {...} | null, "decisions": {...} | null, "changes": [...] | null,
     "rows": [{"row": 2, "row_key": ..., "supplier_hash": ..., "input": {...},
               "screen_status": ..., "score": ..., "matched_name": ..., "matched_list": ...,
               "matched_entry_id": ..., "entry_hash": ..., "license_requirement": ...,
               "license_policy": ..., "reason": ..., "decision": ..., "alerts": [...]}],
     "list_entries": {"<entry id>": "<content sha256>", ...}}

No timestamps: the same inputs give the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..io.read import dump_json

if TYPE_CHECKING:
    from ..screening import ScreeningRun

__all__ = ["FORMAT_VERSION", "run_to_dict", "write_json"]

FORMAT_VERSION = 1


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
        "provenance": run.provenance,
        "summary": run.summary,
        "notices": [*run.notices],
        "ownership": run.ownership,
        "decisions": run.decisions,
        "changes": None if run.changes is None else [c.to_dict() for c in run.changes],
        "rows": rows,
        "list_entries": dict(sorted(run.list_entry_hashes.items())),
    }


def write_json(run: ScreeningRun, path: str | Path) -> None:
    """Write the JSON report (UTF-8, stable key order as built, 2-space indent)."""
    Path(path).write_text(dump_json(run_to_dict(run)), encoding="utf-8")
