"""Writers for results: plain-text tables, CSV (spreadsheet-safe), JSON and HTML."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .table import format_table

if TYPE_CHECKING:
    from ..screening import ScreeningRun

__all__ = ["format_table", "write_report"]


def write_report(run: ScreeningRun, path: str | Path) -> None:
    """Write a screening run as CSV, JSON or HTML, chosen by the file extension."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        from .csv import write_csv

        write_csv(run, path)
    elif suffix == ".json":
        from .json import write_json

        write_json(run, path)
    elif suffix in (".html", ".htm"):
        from .html import write_html

        write_html(run, path)
    else:
        from ..errors import InputError

        raise InputError("the report must end in .csv, .json or .html", file=str(path))
