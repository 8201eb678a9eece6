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

from pathlib import Path
from typing import Any

import pandas as pd

from ..io.write import FORMULA_TRIGGERS, cell_text, csv_text, write_table
from ..screening.decisions import DECISION_COLUMNS
from ..screening.model import ScreeningRun

__all__ = ["DANGEROUS_PREFIXES", "defuse_cell", "frame_to_csv", "write_csv",
           "write_decisions_template"]

DANGEROUS_PREFIXES: tuple[str, ...] = FORMULA_TRIGGERS


def defuse_cell(value: Any) -> str:
    """Text of a cell that no spreadsheet will evaluate as a formula
    (:func:`exportscreen.io.write.cell_text`, the one rule of every output)."""
    return cell_text(value)


def frame_to_csv(frame: pd.DataFrame) -> str:
    """CSV text (header + rows, CRLF line ends as RFC 4180) with every cell defused."""
    return csv_text(frame)


def write_csv(run_or_frame: ScreeningRun | pd.DataFrame, path: str | Path) -> None:
    """Write the results table as UTF-8 CSV (with BOM, so Excel reads the encoding),
    atomically (:func:`exportscreen.io.write.write_table`)."""
    frame = run_or_frame.frame if isinstance(run_or_frame, ScreeningRun) else run_or_frame
    write_table(path, frame)


def write_decisions_template(run: ScreeningRun, path: str | Path) -> None:
    """A decisions CSV pre-filled with every open alert; the analyst fills decision/analyst/date.

    Lines left without a decision are reported and ignored when the file is read back.
    """

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
    write_table(path, pd.DataFrame(records, columns=columns), format="csv")
