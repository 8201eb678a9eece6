"""Reports of a screening run: plain-text tables, CSV/TSV/XLSX (spreadsheet-safe), JSON and
HTML, all written through :mod:`exportscreen.io.write` (atomic, formulas defused)."""

from __future__ import annotations

import os

from ..io.write import format_for_path, write_table, write_text_atomic
from ..screening.model import ScreeningRun
from .html import render_html
from .json import run_json_text
from .table import format_table

__all__ = ["REPORT_FORMATS", "format_table", "write_report"]

REPORT_FORMATS = ("csv", "tsv", "xlsx", "json", "html")


def write_report(run: ScreeningRun, path: str | os.PathLike[str],
                 format: str | None = None) -> None:
    """Write a screening run to *path*, the format chosen by its extension: ``.csv``,
    ``.tsv`` or ``.xlsx`` (the results table, every input column kept, formulas defused),
    ``.json`` (the full report with provenance, readable later with ``--since``) or
    ``.html`` (one file for analysts). *format*, if given, must agree with the extension.

    The file is replaced atomically: on any failure the previous file is left as it was
    and :class:`~exportscreen.errors.OutputError` is raised; an unknown extension is an
    :class:`~exportscreen.errors.InputError`.

    >>> import exportscreen as xs                                    # doctest: +SKIP
    >>> xs.write_report(xs.screen("suppliers.csv"), "results.xlsx")
    """
    fmt = format_for_path(path, format, allowed=REPORT_FORMATS)
    if fmt == "json":
        write_text_atomic(path, run_json_text(run))
    elif fmt == "html":
        write_text_atomic(path, render_html(run))
    else:
        write_table(path, run.frame)
