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

from ..io.read import dump_json
from ..io.write import write_text_atomic
from ..screening.model import FORMAT_VERSION, ScreeningRun, run_to_dict

__all__ = ["FORMAT_VERSION", "run_json_text", "run_to_dict", "write_json"]



def run_json_text(run: ScreeningRun) -> str:
    """The JSON report as text (stable key order as built, 2-space indent)."""
    return dump_json(run_to_dict(run))


def write_json(run: ScreeningRun, path: str | Path) -> None:
    """Write the JSON report (UTF-8), atomically."""
    write_text_atomic(path, run_json_text(run))
