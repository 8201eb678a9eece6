"""Every output file exportscreen writes: CSV, TSV, JSON, HTML and XLSX, the same rules for all.

* **Format from the file name.** :func:`format_for_path` maps ``.csv``, ``.tsv``,
  ``.json``, ``.html``/``.htm`` and ``.xlsx`` to a format; an unknown extension, or a
  ``--format`` that contradicts the extension, is an :class:`~exportscreen.errors.InputError`
  (exit code 2). Commands call it (or :func:`check_output`) before doing any work.
* **Formula defusing.** A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return is run as a formula by Excel, LibreOffice and Google Sheets (OWASP "CSV
  injection"); :func:`cell_text` prefixes it with ``'``, in CSV, TSV and XLSX alike, header
  included. A real number (a Python or numpy int or float, not a string) is not defused:
  ``-5`` is a number to a spreadsheet, not a formula, and ``'-5`` would be text that no
  longer sums. A non-finite float (``-inf``) is text and is defused.
* **One row stays one row.** CSV and TSV quote a cell holding a CR, an LF, the delimiter
  or a double quote; records end in CRLF (RFC 4180); a file starts with a UTF-8 BOM so
  Excel reads the encoding; text written to stdout has no BOM.
* **XLSX** cells are the CSV cells, as text cells (never formulas or error codes); real
  numbers stay numbers; one sheet, a bold header. XML cannot carry a CR (it reads back as
  LF), characters U+0000-U+001F other than tab and LF, U+FFFE/U+FFFF or lone surrogates:
  CR LF and CR become LF, the others U+FFFD. The same table gives the same bytes (fixed
  document and zip dates).
* **Atomic.** A file is written to a temporary file in its folder, flushed, fsynced and
  renamed over the target: readers see the old file or the new one, never half of one; on
  any failure the old file is left as it was and the temporary file is removed, and the
  failure is an :class:`~exportscreen.errors.OutputError` (``could not write FILE: reason``,
  exit code 1).

This module is a low layer: it imports :mod:`exportscreen.errors` and third-party
libraries only (pandas and openpyxl lazily, when a table needs them).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as _dt
import errno
import io
import math
import numbers
import os
import re
import sys
import tempfile
import zipfile
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO, TypeAlias, cast

from ..errors import InputError, OutputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "EXTENSIONS",
    "FORMULA_TRIGGERS",
    "TABLE_FORMATS",
    "XLSX_MAX_CELL",
    "OutputFormat",
    "Table",
    "cell_text",
    "check_output",
    "csv_bytes",
    "csv_text",
    "defuse_text",
    "format_for_path",
    "table_bytes",
    "table_to_stdout",
    "write_bytes_atomic",
    "write_table",
    "write_text_atomic",
    "xlsx_bytes",
]

OutputFormat: TypeAlias = Literal["csv", "tsv", "json", "html", "xlsx"]
Table: TypeAlias = "pd.DataFrame | Iterable[Mapping[str, Any]]"
"""A pandas DataFrame (any string storage), or rows as mappings with a column order."""

EXTENSIONS: dict[str, OutputFormat] = {
    ".csv": "csv", ".tsv": "tsv", ".json": "json", ".html": "html", ".htm": "html",
    ".xlsx": "xlsx",
}
TABLE_FORMATS: frozenset[OutputFormat] = frozenset({"csv", "tsv", "xlsx"})
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is defused (same list as report/csv.py)."""
XLSX_MAX_CELL = 32_767
"""Characters an Excel cell holds; openpyxl would cut a longer text silently."""

_TRIGGER_CHARS = frozenset(FORMULA_TRIGGERS)
_DELIMITERS = {"csv": ",", "tsv": "\t"}
_FIXED_TIME = _dt.datetime(2000, 1, 1)  # docProps/core.xml created/modified of every xlsx
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest zip date: every xlsx member gets it
_SURROGATES = re.compile("[\ud800-\udfff]")
# not an XML 1.0 character (CR is one, but parsers read it back as LF: see _xlsx_text)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# --- formats ---------------------------------------------------------------------------


def format_for_path(
    path: str | os.PathLike[str],
    explicit_format: str | None = None,
    *,
    allowed: Collection[str] | None = None,
    option: str = "--out",
) -> OutputFormat:
    """The output format of *path*, from its extension (case-insensitive).

    *explicit_format* (a ``--format`` value) must agree with the extension; *allowed*
    limits the formats a command writes. Anything else is an :class:`InputError` naming
    the file, raised before any work is done::

        >>> format_for_path("report.XLSX")
        'xlsx'
        >>> format_for_path("report.txt")
        Traceback (most recent call last):
        ...
        exportscreen.errors.InputError: report.txt: --out must end in .csv, .tsv, .json, .html, .htm or .xlsx
    """  # noqa: E501
    label = os.fspath(path)
    accepted = [ext for ext, fmt in EXTENSIONS.items() if allowed is None or fmt in allowed]
    suffix = Path(label).suffix.lower()
    fmt = EXTENSIONS.get(suffix)
    if fmt is None or (allowed is not None and fmt not in allowed):
        names = ", ".join(accepted[:-1]) + f" or {accepted[-1]}" if len(accepted) > 1 else (
            accepted[0] if accepted else "(no file format)")
        raise InputError(f"{option} must end in {names}", file=label)
    if explicit_format is not None and explicit_format.lower() != fmt:
        raise InputError(
            f"{option} ends in {suffix} but the format asked for is {explicit_format}; "
            f"use a file name ending in .{explicit_format.lower()} or drop the format",
            file=label,
        )
    return fmt


def check_output(
    path: str | os.PathLike[str],
    explicit_format: str | None = None,
    *,
    allowed: Collection[str] | None = None,
    option: str = "--out",
    inputs: Iterable[str | os.PathLike[str] | None] = (),
) -> OutputFormat:
    """:func:`format_for_path`, and the checks a command makes before it reads anything:
    *path* is not a folder, its folder exists, and it is none of *inputs*. Each failure
    is an :class:`InputError` (exit code 2)."""
    fmt = format_for_path(path, explicit_format, allowed=allowed, option=option)
    label = os.fspath(path)
    target = Path(label)
    if target.is_dir():
        raise InputError(f"{option} is a folder; give a file name", file=label)
    if not target.parent.is_dir():
        raise InputError(f"the folder of {option} does not exist", file=label)
    for given in inputs:
        if given is not None and Path(given).exists() and target.resolve() == Path(
                given).resolve():
            raise InputError(f"{option} would overwrite an input file", file=label)
    return fmt


# --- cells -----------------------------------------------------------------------------


def defuse_text(text: str) -> str:
    """*text*, with ``'`` in front when it starts with a formula trigger."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if type(value).__module__.startswith("pandas"):
        import pandas as pd

        return value is pd.NA or value is pd.NaT
    return False


def _number(value: object) -> int | float | None:
    """*value* as a plain int or float when it is a real, finite number (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    number = float(value)
    return number if math.isfinite(number) else None


def _number_text(value: object) -> str:
    if isinstance(value, float):  # as report/csv.py: 92.0 -> "92.0", 0.125 -> "0.125"
        value = float(value)  # numpy 2's repr of an np.float64 is "np.float64(0.125)"
        return f"{value:.1f}" if value == round(value, 1) else repr(value)
    return str(value)


def cell_text(value: object) -> str:
    """The text of one output cell, defused.

    ``None``, NaN, ``pd.NA`` and ``NaT`` are empty; a float is written with at least one
    decimal (``92.0``) or as ``repr`` (``0.125``); a finite number is never defused; any
    other value is ``str(value)``, defused::

        >>> cell_text("=1+1"), cell_text("-5"), cell_text(-5), cell_text(float("nan"))
        ("'=1+1", "'-5", '-5', '')
    """
    if value.__class__ is str:
        return "'" + value if value[:1] in _TRIGGER_CHARS else value
    if _is_missing(value):
        return ""
    if _number(value) is not None:
        return _number_text(value)
    if isinstance(value, float):  # inf, -inf
        return defuse_text(_number_text(value))
    return defuse_text(str(value))


def _column_texts(values: Iterable[object]) -> list[str]:
    # the hot loop of a large CSV: plain strings that need nothing stay as they are
    return [v if v.__class__ is str and v[:1] not in _TRIGGER_CHARS
            else cell_text(v) for v in values]


# --- tables ----------------------------------------------------------------------------


def _as_frame(table: object) -> pd.DataFrame | None:
    pandas = sys.modules.get("pandas")  # not imported: the table cannot be a DataFrame
    if pandas is not None and isinstance(table, pandas.DataFrame):
        return cast("pd.DataFrame", table)
    return None


def _columns_of(
    table: Table, columns: Sequence[str] | None
) -> tuple[list[str], list[list[Any]]]:
    """The header and the columns' values (as lists of Python objects)."""
    frame = _as_frame(table)
    if frame is not None:
        if columns is not None:
            missing = [c for c in columns if c not in frame.columns]
            if missing:
                raise ValueError(f"columns not in the table: {missing}")
            frame = frame.loc[:, list(columns)]
        header = [str(c) for c in frame.columns]
        # tolist() gives Python str / float / pd.NA whatever the storage (object,
        # string[python], string[pyarrow], the pandas 3 str dtype)
        return header, [frame.iloc[:, k].tolist() for k in range(frame.shape[1])]
    rows = list(cast("Iterable[Mapping[str, Any]]", table))
    if columns is None:
        seen: dict[str, None] = {}
        for row in rows:
            seen.update(dict.fromkeys(row))
        header = list(seen)
    else:
        header = list(columns)
        known = set(header)
        for position, row in enumerate(rows):
            extra = [k for k in row if k not in known]
            if extra:
                raise ValueError(f"row {position} has keys not in the columns: {extra}")
    return header, [[row.get(c) for row in rows] for c in header]


def _rows(table: Table, columns: Sequence[str] | None) -> tuple[list[str], Iterator[tuple[str, ...]]]:  # noqa: E501
    header, values = _columns_of(table, columns)
    texts = [_column_texts(column) for column in values]
    return _column_texts(header), zip(*texts, strict=True)


def csv_text(
    table: Table, *, columns: Sequence[str] | None = None, format: str = "csv"
) -> str:
    """The table as CSV (or TSV) text: header then rows, every cell defused, CRLF record
    ends, a cell with CR, LF, the delimiter or ``"`` quoted. No BOM."""
    delimiter = _DELIMITERS.get(format)
    if delimiter is None:
        raise ValueError(f"not a delimited text format: {format!r}")
    header, rows = _rows(table, columns)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (undecodable input): U+FFFD, as screen does
        return _SURROGATES.sub("\ufffd", text).encode("utf-8")


def csv_bytes(
    table: Table, *, columns: Sequence[str] | None = None, format: str = "csv",
    bom: bool = True,
) -> bytes:
    """:func:`csv_text` as UTF-8 bytes, with a BOM (Excel then reads UTF-8) unless *bom* is
    false; a lone surrogate becomes U+FFFD."""
    return (b"\xef\xbb\xbf" if bom else b"") + _utf8(csv_text(table, columns=columns,
                                                              format=format))


def _xlsx_text(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("\ufffd", text)


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose members all carry the same date, so that the bytes depend on the
    content only (openpyxl adds members with the current time)."""

    def writestr(  # type: ignore[override]
        self, zinfo_or_arcname: str | zipfile.ZipInfo, data: bytes | str,
        compress_type: int | None = None, compresslevel: int | None = None,
    ) -> None:
        name = zinfo_or_arcname.filename if isinstance(
            zinfo_or_arcname, zipfile.ZipInfo) else zinfo_or_arcname
        info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        super().writestr(info, data, compress_type, compresslevel)

    def write(  # type: ignore[override]
        self, filename: str | os.PathLike[str], arcname: str | None = None,
        compress_type: int | None = None, compresslevel: int | None = None,
    ) -> None:
        self.writestr(arcname or os.fspath(filename), Path(filename).read_bytes(),
                      compress_type, compresslevel)


def _xlsx_value(value: object) -> int | float | str | None:
    """A finite number as itself (an int of 16 digits or more as text: Excel would round
    it), anything else as its defused, XML-safe text; None for an empty cell."""
    number = _number(value)
    if number is not None and not (isinstance(number, int) and abs(number) >= 10**15):
        return number
    return _xlsx_text(cell_text(value)) or None


def _check_lengths(label: str, name: str, column: list[Any], first_row: int) -> None:
    for position, value in enumerate(column):
        if isinstance(value, str) and len(value) > XLSX_MAX_CELL:
            raise OutputError(label, f"row {position + first_row}, column {name!r} has "
                              f"{len(value):,} characters; a spreadsheet cell holds at most "
                              f"{XLSX_MAX_CELL:,} (write .csv instead)")


def _discard(sheet: Any) -> None:
    """Close a half-written write-only sheet and remove its temporary file."""
    with contextlib.suppress(Exception):
        sheet.close()
    writer = getattr(sheet, "_writer", None)
    if writer is not None:
        with contextlib.suppress(Exception):
            writer.cleanup()


def xlsx_bytes(
    table: Table, *, columns: Sequence[str] | None = None, sheet_name: str = "results",
    bold_header: bool = True, label: str = "<xlsx>",
) -> bytes:
    """The table as an .xlsx workbook of one sheet; the same table gives the same bytes.

    Text cells are the defused CSV cells stored as text (never a formula or an error
    code); finite numbers are numbers (an int of 16 digits or more is text, which Excel
    would round); missing values are empty cells. A text longer than an Excel cell holds
    is an :class:`OutputError` naming *label*, the row and the column (openpyxl would cut
    it silently).
    """
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
    from openpyxl.cell.cell import ERROR_CODES  # type: ignore[import-untyped]
    from openpyxl.styles import Font  # type: ignore[import-untyped]
    from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped]

    header, values = _columns_of(table, columns)
    head = [_xlsx_text(cell_text(name)) for name in header]
    cells = [[_xlsx_value(v) for v in column] for column in values]
    for name, text, column in zip(header, head, cells, strict=True):  # before writing
        _check_lengths(label, name, [text], 1)
        _check_lengths(label, name, column, 2)
    workbook = Workbook(write_only=True)
    workbook.properties.created = workbook.properties.modified = _FIXED_TIME
    workbook.properties.creator = "exportscreen"
    sheet = workbook.create_sheet(sheet_name)
    bold = Font(bold=True) if bold_header else None

    def text_cell(text: str) -> Any:
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"  # text, even "#N/A" (an error code to openpyxl) or "=..."
        return cell

    try:
        row = [text_cell(text) if text else None for text in head]
        if bold is not None:
            for cell in row:
                if cell is not None:
                    cell.font = bold
        sheet.append(row)
        for values_of_row in zip(*cells, strict=True):
            # a plain str is a text cell to openpyxl unless it starts with "=" (never, once
            # defused) or is an error code: only those need a cell of their own
            sheet.append([text_cell(v) if v.__class__ is str and v in ERROR_CODES else v
                          for v in values_of_row])
        buffer = io.BytesIO()
        ExcelWriter(workbook, _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED,
                                            allowZip64=True)).save()
    except BaseException:
        _discard(sheet)
        raise
    return buffer.getvalue()


def table_bytes(
    table: Table, format: str, *, columns: Sequence[str] | None = None,
    label: str = "<table>",
) -> bytes:
    """The bytes of a table file: ``csv``/``tsv`` (:func:`csv_bytes`, with BOM) or
    ``xlsx`` (:func:`xlsx_bytes`)."""
    if format in _DELIMITERS:
        return csv_bytes(table, columns=columns, format=format)
    if format == "xlsx":
        return xlsx_bytes(table, columns=columns, label=label)
    raise ValueError(f"{format!r} is not a table format (csv, tsv, xlsx)")


# --- writing ---------------------------------------------------------------------------


def _reason(exc: OSError, target: Path) -> str:
    if exc.errno == errno.ENOENT and not target.parent.is_dir():
        return f"the folder {target.parent} does not exist"
    return exc.strerror or str(exc)


def _new_file_mode() -> int:
    """0o666 less the umask: the mode ``open(path, "w")`` would give a new file."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace the file at *path* with *data*, atomically.

    The bytes go to a temporary file in the same folder (``.NAME.*.tmp``), which is
    flushed, fsynced and renamed over *path* (``os.replace``). A file already there keeps
    its permissions; a symbolic link is followed (the file it points to is replaced). Any
    failure leaves the previous file as it was, removes the temporary file and raises
    :class:`OutputError` (``could not write PATH: reason``).
    """
    label = os.fspath(path)
    target = Path(os.path.realpath(label)) if os.path.islink(label) else Path(label)
    try:
        mode = os.stat(target).st_mode & 0o7777
    except OSError:
        mode = _new_file_mode()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                   dir=target.parent)
    except OSError as exc:
        raise OutputError(label, _reason(exc, target)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(label, _reason(exc, target)) from None
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """fsync the folder so the rename survives a crash (POSIX; best effort)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_text_atomic(
    path: str | os.PathLike[str], text: str, *, bom: bool = False
) -> None:
    """:func:`write_bytes_atomic` of *text* in UTF-8 (JSON, HTML), with a BOM if *bom*; a
    lone surrogate becomes U+FFFD. Newlines are written as they are in *text*."""
    write_bytes_atomic(path, (b"\xef\xbb\xbf" if bom else b"") + _utf8(text))


def write_table(
    path: str | os.PathLike[str], table: Table, *, columns: Sequence[str] | None = None,
    format: str | None = None,
) -> None:
    """Write a table to *path* as CSV, TSV or XLSX, chosen by the extension (*format*, if
    given, must agree), atomically. A failure to write is an :class:`OutputError`.

    The bytes are made in memory first: a table that cannot be serialised leaves the
    previous file untouched too.
    """
    label = os.fspath(path)
    fmt = format_for_path(label, format, allowed=TABLE_FORMATS)
    write_bytes_atomic(label, table_bytes(table, fmt, columns=columns, label=label))


def table_to_stdout(
    table: Table, *, columns: Sequence[str] | None = None, format: str = "csv",
    stream: TextIO | None = None,
) -> None:
    """Write a table as CSV or TSV text (:func:`csv_text`, no BOM, CRLF) to *stream*
    (default ``sys.stdout``)."""
    text = csv_text(table, columns=columns, format=format)
    if _SURROGATES.search(text):  # a strict stdout could not encode it
        text = _SURROGATES.sub("\ufffd", text)
    (stream if stream is not None else sys.stdout).write(text)
