"""What several commands share, defined once: the output options and how an output is
written, the date options, and the one message for one mistake.

Every command that writes a file goes through :func:`output_format` before any work (an
unknown extension, or a ``--format`` that contradicts ``--out``, is exit 2) and through
:func:`emit` after it (atomic, formulas defused, a failed write is exit 1 with
``could not write FILE: reason``).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..errors import InputError
from ..io.read import iso_date
from ..io.write import (
    check_output,
    csv_bytes,
    table_to_stdout,
    write_bytes_atomic,
    write_table,
    write_text_atomic,
)
from ..lists import describe_list
from ..lists.models import ScreeningList

__all__ = ["add_out_option", "cli_date", "emit", "output_format", "print_list_formats",
           "print_list_notice"]

TABLE_FORMATS = ("csv", "tsv", "xlsx")


def add_out_option(parser: argparse.ArgumentParser, formats: Sequence[str], default: str) -> None:
    """``--format`` (default *default*) and ``--out FILE`` (its extension sets the format)."""
    parser.add_argument(
        "--format", choices=tuple(formats), default=None,
        help=f"output format (default {default}, or the one --out's extension names)",
    )
    parser.add_argument(
        "--out", metavar="FILE",
        help="write the result to FILE instead of stdout, atomically; the extension "
        "(.json, .csv, .tsv, .xlsx) sets the format",
    )
    parser.set_defaults(default_format=default)


def output_format(args: argparse.Namespace, *, file_formats: Sequence[str],
                  inputs: Iterable[str | None] = ()) -> str:
    """The format of this run's output, checked before any work is done.

    With ``--out`` the file's extension decides (one of *file_formats*); a ``--format``
    that says otherwise is an error. Without it, ``--format`` or the command's default.
    """
    if args.out:
        return check_output(args.out, args.format, allowed=file_formats,
                            inputs=[p for p in inputs if p])
    return str(args.format or args.default_format)


def emit(args: argparse.Namespace, fmt: str, *, text: str | None = None,
         rows: Iterable[Mapping[str, Any]] | None = None,
         columns: Sequence[str] | None = None) -> None:
    """Write the result to ``--out`` (atomically) or stdout: a table (*rows*, *columns*) as
    CSV/TSV/XLSX with every cell defused, or *text* (JSON, a plain-text table) as it is."""
    if fmt in TABLE_FORMATS:
        table = list(rows or ())
        if args.out and fmt == "xlsx":
            write_table(args.out, table, columns=columns, format=fmt)
        elif args.out:  # no BOM: these files were always plain UTF-8, read by programs
            write_bytes_atomic(args.out, csv_bytes(table, columns=columns, format=fmt,
                                                   bom=False))
        else:
            table_to_stdout(table, columns=columns, format=fmt)
        return
    if text is None:
        raise ValueError(f"no text to write as {fmt}")
    if args.out:
        write_text_atomic(args.out, text)
    else:
        sys.stdout.write(text)


def cli_date(text: str, option: str) -> _dt.date:
    """A ``YYYY-MM-DD`` option value (``fromisoformat`` alone also takes 20260301 and
    2026-W10-1, and an empty value must not silently mean today)."""
    try:
        return iso_date(text.strip())
    except ValueError:
        raise InputError(f"not a date in the form YYYY-MM-DD: {text!r}", column=option) from None


def print_list_formats(lst: ScreeningList) -> None:
    """Which format each list file was read as, on stderr (one line per list)."""
    prov = lst.provenance
    for item in prov.lists or (prov,):
        if item.path and not item.path.startswith("<"):
            print(f"exportscreen: read {item.path} as {item.format} ({item.entries} entries)",
                  file=sys.stderr)


def print_list_notice(lst: ScreeningList) -> None:
    """Which list a command screens against, and how old it is, on stderr."""
    print(describe_list(lst), file=sys.stderr)
