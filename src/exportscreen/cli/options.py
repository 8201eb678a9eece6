"""What several commands share, defined once: the output options and how an output is
written, the input options (``--list``, ``--rule``, ``--as-of``, ``--encoding``,
``--sheet``), the date options, and the one message for one mistake.

Each shared option is added by one ``add_*`` function and read back by one function
(:func:`cli_lists`, :func:`cli_rule`, :func:`cli_as_of`, :func:`cli_read_options`), so a
mistake in it gives the same message whichever command it is made in.

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
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..io.read import check_encoding, check_sheet, iso_date
from ..io.write import (
    check_output,
    csv_bytes,
    table_to_stdout,
    write_bytes_atomic,
    write_table,
    write_text_atomic,
)
from ..lists import describe_list, load_list
from ..lists.models import ScreeningList
from ..ownership.rules import BUILTIN_RULES, RulePreset, get_rule, load_rule_file

__all__ = ["add_as_of_option", "add_list_option", "add_out_option", "add_read_options",
           "add_rule_option", "cli_as_of", "cli_date", "cli_lists", "cli_read_options",
           "cli_rule", "emit", "output_format", "print_list_formats", "print_list_notice"]

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
    if prov.lists:  # entries that several of the lists give were counted once: say so
        for notice in prov.notices:
            if notice.endswith("counted once"):
                print(f"exportscreen: notice: {notice}", file=sys.stderr)


def print_list_notice(lst: ScreeningList) -> None:
    """Which list a command screens against, and how old it is, on stderr."""
    print(describe_list(lst), file=sys.stderr)


# ---------------------------------------------------------------- input options


def add_list_option(parser: argparse.ArgumentParser) -> None:
    """``--list PATH|default`` (repeatable: the lists are screened as one)."""
    parser.add_argument(
        "--list", dest="lists", action="append", metavar="PATH|default",
        help="screening list: 'default' (the cached update, else the embedded snapshot) or "
        "a list file or folder; repeat it to screen against several lists at once",
    )


def cli_lists(args: argparse.Namespace) -> ScreeningList:
    """The list(s) ``--list`` names, read as one (``default`` when none is given)."""
    sources = list(args.lists or ["default"])
    return load_list(sources if len(sources) > 1 else sources[0])


def add_rule_option(parser: argparse.ArgumentParser) -> None:
    """``--rule RULE``: a preset id or a rule JSON file (default ``us-bis-affiliates``)."""
    parser.add_argument(
        "--rule", default="us-bis-affiliates", metavar="RULE",
        help=f"ownership rule: a preset id ({', '.join(BUILTIN_RULES)}) or a rule JSON "
        "file (default us-bis-affiliates)",
    )


def cli_rule(text: str) -> RulePreset:
    """The rule ``--rule`` names: a JSON file when it ends in ``.json`` or is a file (a
    missing one is "rule file not found", naming it), else a preset id (an unknown one
    names the presets)."""
    if text.strip().lower().endswith(".json") or Path(text).is_file():
        return load_rule_file(text)
    try:
        return get_rule(text)
    except InputError as exc:
        raise InputError(exc.message, column="--rule") from None


def add_as_of_option(parser: argparse.ArgumentParser) -> None:
    """``--as-of DATE``: the date the stakes and the rule are taken at."""
    parser.add_argument(
        "--as-of", dest="as_of", metavar="DATE",
        help="date the ownership stakes and the rule are taken at (YYYY-MM-DD; default today)",
    )


def cli_as_of(args: argparse.Namespace) -> _dt.date | None:
    """``--as-of`` as a date (``None`` when not given)."""
    return None if args.as_of is None else cli_date(args.as_of, "--as-of")


def add_read_options(parser: argparse.ArgumentParser) -> None:
    """``--encoding`` and ``--sheet``: how the command's input tables are read."""
    parser.add_argument(
        "--encoding", metavar="NAME",
        help="text encoding of the input CSV/TSV files (default utf-8; e.g. cp1252 for a "
        "Windows export, latin-1); never guessed. A file that starts with the UTF-8 byte "
        "order mark is read as UTF-8",
    )
    parser.add_argument(
        "--sheet", metavar="NAME|NUMBER",
        help="sheet of the input .xlsx workbooks, by name or number (1 = first tab); "
        "needed when a workbook has several sheets with cells",
    )


def cli_read_options(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """``(encoding, sheet)`` of ``--encoding``/``--sheet``, checked before any work: an
    unknown encoding or an empty sheet name is exit 2 naming the option."""
    encoding, sheet = args.encoding, args.sheet
    if encoding is not None:
        try:
            check_encoding(encoding)
        except InputError as exc:
            raise InputError(exc.message, column="--encoding") from None
    if sheet is not None:
        try:
            check_sheet(sheet)
        except InputError as exc:
            raise InputError(exc.message, column="--sheet") from None
    return encoding, sheet
