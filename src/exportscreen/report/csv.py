"""Spreadsheet-safe CSV output of a screening run.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
executed as a formula by Excel, LibreOffice and Google Sheets (CSV/formula injection,
OWASP "CSV Injection"). :func:`defuse_cell` prefixes such a cell with a single quote,
which spreadsheets show as text; the original value stays readable. The rule applies to
every cell, input columns included, because supplier names come from outside.

Example::

    >>> defuse_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> defuse_cell("ACME Corp")
    'ACME Corp'
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from ..screening import ScreeningRun

__all__ = ["DANGEROUS_PREFIXES", "defuse_cell", "frame_to_csv", "write_csv",
           "write_decisions_template"]

DANGEROUS_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def defuse_cell(value: Any) -> str:
    """Text of a cell that no spreadsheet will evaluate as a formula."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        text = f"{value:.1f}" if value == round(value, 1) else repr(value)
    else:
        text = str(value)
    if text.startswith(DANGEROUS_PREFIXES):
        return "'" + text
    return text


def frame_to_csv(frame: pd.DataFrame) -> str:
    """CSV text (header + rows, CRLF line ends as RFC 4180) with every cell defused."""
    buffer = io.StringIO()
    # CRLF (RFC 4180): the writer then quotes any cell holding a CR or LF, so it stays one cell
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([defuse_cell(c) for c in frame.columns])
    for values in frame.itertuples(index=False, name=None):
        writer.writerow([defuse_cell(v) for v in values])
    return buffer.getvalue()


def write_csv(run_or_frame: ScreeningRun | pd.DataFrame, path: str | Path) -> None:
    """Write the results table as UTF-8 CSV (with BOM, so Excel reads the encoding)."""
    frame: pd.DataFrame = (
        run_or_frame.frame if hasattr(run_or_frame, "frame") else run_or_frame  # type: ignore[assignment]
    )
    Path(path).write_text(frame_to_csv(frame), encoding="utf-8-sig", newline="")


def write_decisions_template(run: ScreeningRun, path: str | Path) -> None:
    """A decisions CSV pre-filled with every open alert; the analyst fills decision/analyst/date.

    Lines left without a decision are reported and ignored when the file is read back.
    """
    import pandas as pd

    from ..screening.decisions import DECISION_COLUMNS

    records = []
    for result in run.rows:
        for alert in result.alerts:
            if any(a is alert for a, _ in result.suppressed):
                continue
            records.append({
                "row_key": result.row_key, "supplier_hash": result.supplier_hash,
                "entry_id": alert.entry_id, "entry_hash": alert.alert_hash,
                "decision": result.decision if alert is result.top else "",
                "analyst": "", "date": "", "note": "",
                "row": result.row, "name": result.name, "status": alert.status,
                "score": alert.score, "matched_name": alert.entry_name,
                "matched_list": alert.source,
            })
    columns = [*DECISION_COLUMNS, "row", "name", "status", "score", "matched_name",
               "matched_list"]
    write_csv(pd.DataFrame(records, columns=columns), path)
