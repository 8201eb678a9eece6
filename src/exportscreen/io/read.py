"""Reading tabular input the same way everywhere: CSV files, Excel sheets and DataFrames.

All cells are read as text (no silent coercion: ``"007"`` stays ``"007"``, an empty
cell is ``""``), bytes that are not UTF-8 are kept as lone surrogates so the row can
be reported instead of the whole file failing, and every record keeps the row number
a person would look up in a spreadsheet.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as _dt
import functools
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TextIO, TypeVar, overload

from .._jsonfile import read_json_file
from ..errors import InputError
from .cells import (
    ByteTable,
    ColumnTable,
    byte_table,
    factorize_texts,
    is_blank_line,
    simple_lines,
)

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = [
    "Table",
    "blank_rows_notice",
    "check_encoding",
    "check_sheet",
    "dump_json",
    "has_undecodable",
    "iso_date",
    "parse_date",
    "parse_decimal",
    "read_columns",
    "read_json_file",
    "read_options",
    "read_table",
    "takes_read_options",
    "to_jsonable",
]

DATAFRAME_LABEL = "<DataFrame>"


@dataclass(frozen=True, eq=False)
class Table:
    """A table of text cells with its origin, for error messages that say where.

    ``rows`` holds the spreadsheet row number of each position when it is not simply
    position + 2 (blank lines were taken out, or a sheet's header is not on row 1);
    ``blank_rows`` lists the blank rows that were taken out, so a caller can say so;
    ``header_row`` is the header's row (1 unless a sheet starts lower down).
    ``frame`` holds Python ``str`` in object columns, whatever pandas' default string
    storage (Arrow-backed ``str`` cannot hold the lone surrogates of undecodable bytes).
    """

    frame: pd.DataFrame
    label: str
    from_file: bool
    rows: np.ndarray | None = None
    blank_rows: tuple[int, ...] = ()
    header_row: int = 1
    encoding: str = "utf-8"

    def row_number(self, position: int) -> int:
        """Row as a person finds it: header is row 1 in a file; 0-based position in a frame."""
        if self.rows is not None:
            return int(self.rows[position])
        return position + 2 if self.from_file else position

    def row_numbers(self) -> np.ndarray:
        """:meth:`row_number` of every position, as an int64 array."""
        import numpy as np

        if self.rows is not None:
            return np.asarray(self.rows, dtype=np.int64)
        return np.arange(len(self.frame), dtype=np.int64) + (2 if self.from_file else 0)

    def error(
        self, message: str, position: int | None = None, column: str | None = None
    ) -> InputError:
        row = None if position is None else self.row_number(position)
        if not self.from_file and row is not None:
            message = f"{message} (0-based position in the DataFrame)"
        if self.encoding != "utf-8":
            # the readers say "not (valid) UTF-8" of a cell with undecodable bytes; the
            # file was read with another encoding, and those bytes are not valid in it
            message = _NOT_UTF8.sub(f"not valid {self.encoding}", message)
        return InputError(message, file=self.label, row=row, column=column)

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    @property
    def n_rows(self) -> int:
        return len(self.frame)

    def texts(self, name: str) -> np.ndarray:
        """Every cell of column *name* (an object array of text)."""
        return self.frame[name].to_numpy(dtype=object)

    def factorize(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """``(codes, distinct values)`` of column *name* (values in order of first
        appearance; see :func:`exportscreen.io.cells.factorize_texts`)."""

        return factorize_texts(self.texts(name))

    def require(self, columns: Iterable[str]) -> None:
        """Raise naming the first required column that is absent."""
        present = set(self.frame.columns)
        for column in columns:
            if column not in present:
                found = ", ".join(map(str, self.frame.columns)) or "none"
                raise InputError(
                    f"missing required column (columns found: {found})",
                    file=self.label,
                    row=self.header_row if self.from_file else None,
                    column=column,
                )



EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
SURROGATES = re.compile("[\udc80-\udcff]")
"""Lone surrogates: the bytes of a file that were not UTF-8 (see :func:`has_undecodable`)."""
_NOT_UTF8 = re.compile(r"not (?:valid )?UTF-8")
DEFAULT_ENCODING = "utf-8"


def check_encoding(encoding: str | None) -> str:
    """The canonical name of the text encoding *encoding* names (``None`` is UTF-8):
    ``"cp1252"``, ``"latin-1"`` -> ``"iso8859-1"``, ``"UTF8"`` -> ``"utf-8"``.

    An encoding is never guessed: a file is read as UTF-8 unless another one is named.
    :class:`InputError` for a name Python does not know as a text encoding.
    """
    if encoding is None:
        return DEFAULT_ENCODING
    name = str(encoding).strip()
    try:
        info = codecs.lookup(name)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True) or not name:
        raise InputError(f"unknown encoding {encoding!r}: give a text encoding such as "
                         "utf-8 (the default), cp1252 (Windows Western Europe) or latin-1")
    # utf-8-sig reads as utf-8: a byte order mark is always skipped
    return "utf-8" if info.name in ("utf-8", "utf-8-sig") else info.name


def check_sheet(sheet: str | int | None) -> str | int | None:
    """A sheet as :func:`read_table` takes it: a name, or a number counted from 1 as a
    spreadsheet shows the tabs (an int, or text of digits that is not a sheet's name).
    :class:`InputError` for an empty name or a number below 1."""
    if sheet is None:
        return None
    if isinstance(sheet, bool) or not isinstance(sheet, str | int):
        raise TypeError(f"sheet= takes a sheet name or number, not {type(sheet).__name__}")
    if isinstance(sheet, int) and sheet < 1:
        raise InputError(f"sheet number {sheet}: sheets are numbered from 1")
    if isinstance(sheet, str) and not sheet.strip():
        raise InputError("the sheet name is empty")
    return sheet


# the encoding and sheet a call of read_table uses when it names none (see read_options)
_READ_OPTIONS: ContextVar[tuple[str | None, str | int | None]] = ContextVar(
    "exportscreen_read_options", default=(None, None))


@contextlib.contextmanager
def read_options(
    *, encoding: str | None = None, sheet: str | int | None = None
) -> Iterator[None]:
    """Within the block, :func:`read_table` and :func:`read_columns` read every file with
    this *encoding* and *sheet* unless the call names its own: how one ``--encoding`` or
    ``screen(encoding=...)`` reaches every table a command reads (the supplier file, the
    decisions, the ownership and entities files) without each reader passing it on.
    Checked on entry (:func:`check_encoding`, :func:`check_sheet`)."""
    token = _READ_OPTIONS.set((check_encoding(encoding) if encoding is not None else None,
                               check_sheet(sheet)))
    try:
        yield
    finally:
        _READ_OPTIONS.reset(token)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def takes_read_options(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run *func* within :func:`read_options` of its own ``encoding=`` and ``sheet=``
    keywords, so that every table it reads, however deep, uses them."""

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        encoding = kwargs.get("encoding")
        sheet = kwargs.get("sheet")
        if encoding is None and sheet is None:
            return func(*args, **kwargs)
        with read_options(encoding=encoding, sheet=sheet):  # type: ignore[arg-type]
            return func(*args, **kwargs)

    return wrapper


def _effective(
    encoding: str | None, sheet: str | int | None
) -> tuple[str, str | int | None]:
    """The encoding and sheet a read uses: its own, else :func:`read_options`', else
    UTF-8 and no sheet."""
    default_encoding, default_sheet = _READ_OPTIONS.get()
    return (check_encoding(encoding if encoding is not None else default_encoding),
            check_sheet(sheet if sheet is not None else default_sheet))


def _python_codec(encoding: str) -> str:
    """The codec to decode a file with: UTF-8 skips a byte order mark."""
    return "utf-8-sig" if encoding == "utf-8" else encoding


def read_table(
    source: str | Path | pd.DataFrame,
    *,
    required: Sequence[str] = (),
    sheet: str | int | None = None,
    keep_blank: bool = False,
    encoding: str | None = None,
) -> Table:
    """Read a CSV/TSV/Excel file or take a DataFrame, as text cells, headers stripped.

    *encoding* is the text encoding of a CSV/TSV file (default UTF-8, a byte order mark
    skipped; ``"cp1252"``, ``"latin-1"``, any Python codec by name): it is never guessed,
    and bytes that are not valid in it are kept (as lone surrogates, see
    :func:`has_undecodable`) for the row to be reported; a file that starts with the
    UTF-8 byte order mark is read as UTF-8 whatever is named. *sheet* picks the sheet of
    an Excel workbook by name or by number counted from 1; without it a workbook whose
    sheets hold more than one table is an error listing them. A workbook ignores
    *encoding*, a CSV file or a DataFrame *sheet*. Either left ``None`` takes the value
    of an enclosing :func:`read_options`.

    A file is read strictly, so that no cell is lost or moved and every row number is
    the one a spreadsheet shows: a row with more or fewer cells than the header, a
    column named twice, a header that is not UTF-8, a binary or damaged file are each an
    :class:`InputError` naming file, row and column. Blank lines are taken out (their rows
    are in :attr:`Table.blank_rows`, the other rows keep their numbers) unless
    *keep_blank*, which keeps them as rows of empty cells. A header cell that is empty
    is named ``Unnamed: N`` (N the 0-based column); such a column with no cell filled is
    left out, as it holds nothing. Excel cells are turned into text: whole numbers
    without ``.0``, dates at midnight as ``YYYY-MM-DD``.

    Raises :class:`InputError` when the file is missing, unreadable or malformed, or
    lacks a required column.
    """
    import pandas as pd

    encoding, sheet = _effective(encoding, sheet)
    if isinstance(source, pd.DataFrame):
        frame = source.copy()
        frame.columns = [str(c).strip() for c in frame.columns]
        _header_names(list(frame.columns), DATAFRAME_LABEL, None)
        frame = _frame_to_text(frame)
        table = Table(frame.reset_index(drop=True), DATAFRAME_LABEL, from_file=False)
    else:
        path = Path(source)
        label = str(source)
        if not path.exists():
            raise InputError("file not found", file=label)
        if path.is_dir():
            raise InputError("expected a file, found a folder", file=label)
        if path.suffix.lower() in EXCEL_SUFFIXES:
            table = _read_excel(path, label, sheet, keep_blank)
        else:
            table = _read_csv(path, label, keep_blank, encoding=encoding)
    table.require(required)
    return table


def blank_rows_notice(table: ColumnTable) -> str | None:
    """A line saying which blank rows :func:`read_table` took out, or ``None``."""
    rows = table.blank_rows
    if not rows:
        return None
    shown = ", ".join(map(str, rows[:10])) + (f" and {len(rows) - 10} more" if len(rows) > 10
                                              else "")
    return (f"{table.label}: {len(rows)} blank row{'s' if len(rows) > 1 else ''} skipped "
            f"(row{'s' if len(rows) > 1 else ''} {shown})")


def _header_names(
    cells: Sequence[str], label: str, row: int | None, encoding: str = DEFAULT_ENCODING
) -> list[str]:
    """Stripped header names; empty ones become ``Unnamed: N``; a repeated name or one
    with bytes that are not valid in *encoding* is an error."""
    names = [c.strip() or f"Unnamed: {i}" for i, c in enumerate(cells)]
    seen: set[str] = set()
    for name in names:
        if has_undecodable(name):
            hint = ("save the file as CSV UTF-8, or name its encoding with --encoding "
                    "(e.g. cp1252)" if encoding == DEFAULT_ENCODING
                    else "save the file as CSV UTF-8")
            word = "UTF-8" if encoding == DEFAULT_ENCODING else encoding
            raise InputError(f"the header has bytes that are not valid {word}; {hint}",
                             file=label, row=row, column=SURROGATES.sub("\ufffd", name))
        if name in seen:
            raise InputError("the column appears more than once in the header", file=label,
                             row=row, column=name)
        seen.add(name)
    return names


def _drop_empty_unnamed(frame: pd.DataFrame, cells: Sequence[str]) -> pd.DataFrame:
    """Leave out columns with an empty header cell and no filled cell (trailing commas,
    a sheet's formatted but empty column): nothing is in them."""
    empty = [name for name, cell in zip(frame.columns, cells, strict=True)
             if not cell.strip() and not frame[name].astype(bool).any()]
    return frame.drop(columns=empty) if empty else frame


def _check_text_file(head: bytes, label: str, encoding: str = DEFAULT_ENCODING) -> None:
    """Refuse a file that is not text before it is read as CSV (an old binary .xls, an
    .ods, a zip, a UTF-16 export would otherwise come out as rows of garbage)."""
    # OLE2 (.xls), zip (.ods, .xlsx under another name), UTF-16 (a BOM, or NUL in every
    # other byte) unless a UTF-16/32 encoding was named; a lone NUL in a cell is left to
    # the cell checks, which name its row
    wide = encoding.startswith(("utf-16", "utf-32"))
    if (head.startswith((b"\xd0\xcf\x11\xe0", b"PK\x03\x04"))
            or (not wide and (head.startswith((b"\xff\xfe", b"\xfe\xff"))
                              or head.count(b"\x00") * 8 > len(head)))):
        raise InputError(
            "not a CSV text file (binary content: an old .xls, .ods or a UTF-16 export?); "
            "save it as .xlsx or as CSV UTF-8", file=label,
        )


def read_columns(
    source: str | Path | pd.DataFrame,
    *,
    required: Sequence[str] = (),
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> Table | ByteTable:
    """:func:`read_table` for readers that take a column at a time (the ownership
    graph): a simple UTF-8 CSV file (see :func:`exportscreen.io.cells.byte_table`) is
    read from its bytes, without a DataFrame of Python strings; any other source (another
    *encoding*, a workbook, a DataFrame) as :func:`read_table` reads it. Same cells, row
    numbers and errors either way."""
    encoding, sheet = _effective(encoding, sheet)
    if isinstance(source, str | Path):
        path = Path(source)
        if path.is_file() and path.suffix.lower() not in EXCEL_SUFFIXES:
            table = _read_csv(path, str(source), keep_blank=False, columns=True,
                              encoding=encoding)
            table.require(required)
            return table
    return read_table(source, required=required, encoding=encoding, sheet=sheet)


def _csv_header(
    path: Path, label: str, encoding: str = DEFAULT_ENCODING
) -> tuple[bytes, str, list[str], list[str]]:
    """The bytes of a CSV/TSV file, its delimiter, header cells and column names, the
    file refused when it is binary or its header row is empty or malformed."""
    import csv

    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    csv.field_size_limit(2**31 - 1)  # a long quoted cell is text, not an error (default 128 KiB)
    try:
        data = path.read_bytes()
        _check_text_file(data[:4096], label, encoding)
        with path.open(encoding=_python_codec(encoding), errors="surrogateescape",
                       newline="") as handle:
            header = next(csv.reader(handle, delimiter=delimiter), [])
    except csv.Error as exc:
        raise InputError(f"not a well-formed CSV file: {exc}", file=label, row=1) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc}", file=label) from None
    if not header or not "".join(header).strip():
        if not re.search(rb"[^\s\xef\xbb\xbf]", data):
            raise InputError("the file is empty (no header row)", file=label)
        raise InputError("the first row is empty; it must be the header", file=label, row=1)
    return data, delimiter, header, _header_names(header, label, 1, encoding)


@overload
def _read_csv(path: Path, label: str, keep_blank: bool, *, encoding: str = ...) -> Table: ...


@overload
def _read_csv(
    path: Path, label: str, keep_blank: bool, *, columns: bool, encoding: str = ...
) -> Table | ByteTable: ...


def _read_csv(
    path: Path, label: str, keep_blank: bool, *, columns: bool = False,
    encoding: str = DEFAULT_ENCODING,
) -> Table | ByteTable:
    """A CSV/TSV file as a :class:`Table`, or with *columns* as a
    :class:`~exportscreen.io.cells.ByteTable` when it is simple enough (the bytes and
    header are read once either way). The byte paths (:func:`byte_table`, the fast
    count of blank lines) read UTF-8 only; a file in another *encoding* is read by the
    csv module and pandas."""
    import csv
    import warnings

    import numpy as np
    import pandas as pd

    if encoding != DEFAULT_ENCODING and _declares_utf8(path):
        encoding = DEFAULT_ENCODING
    data, delimiter, header, names = _csv_header(path, label, encoding)
    utf8 = encoding == DEFAULT_ENCODING
    if columns and utf8:
        fast = byte_table(data, label, delimiter, names, header)
        if fast is not None:
            return fast
    width = len(names)
    # pandas pads a short row, shifts a row with one cell too many into the index and
    # skips blank lines, each without a word: the shape of every record is checked first
    blank = _blank_records_fast(data, delimiter, width) if utf8 else None
    del data
    if blank is None:
        blank = _blank_records_exact(path, label, delimiter, names, header, encoding)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                # header=0 with names, not skiprows=1: with CR-only line ends pandas
                # mis-splits the first data row after a skipped line; dtype=object, not
                # str: pandas 3 with pyarrow stores str in Arrow, which refuses the lone
                # surrogates of bytes that are not UTF-8 (and a Table is of Python strings)
                path, header=0, names=list(range(width)), index_col=False,
                dtype=object, keep_default_na=False, na_filter=False, skip_blank_lines=False,
                encoding=_python_codec(encoding), encoding_errors="surrogateescape",
                sep=delimiter,
                quoting=csv.QUOTE_MINIMAL,
            )
    except (pd.errors.ParserError, pd.errors.ParserWarning) as exc:
        # a row with a cell too many: the exact pass names it
        _blank_records_exact(path, label, delimiter, names, header, encoding)
        if "EOF inside string" in str(exc):
            # the csv module ends the last record's quoted cell at the end of the file:
            # that record, row len(blank) + 1, is where the quote opened
            raise InputError(
                "a double quote in this row opens a quoted cell that is never closed, so "
                "the rest of the file would be one cell (a stray double quote?)",
                file=label, row=len(blank) + 1) from None
        raise InputError(f"not a well-formed CSV file: {exc}", file=label) from None
    except (pd.errors.EmptyDataError, ValueError, OSError) as exc:
        raise InputError(f"not a well-formed CSV file: {exc}", file=label) from None
    if len(frame) != len(blank):
        raise InputError(
            f"the rows could not be told apart consistently ({len(blank)} by the csv "
            f"rules, {len(frame)} by pandas): is there a stray double quote?", file=label)
    frame.columns = names
    frame = _drop_empty_unnamed(frame, header)
    if blank.any() and frame.shape[1]:
        # a line of spaces (or 0x1A) is blank: its one cell is not a value
        frame.iloc[np.flatnonzero(blank), 0] = ""
    return _table_of_rows(frame, label, blank, header_row=1, keep_blank=keep_blank,
                          encoding=encoding)


def _declares_utf8(path: Path) -> bool:
    """Whether the file starts with the UTF-8 byte order mark, which says the file is
    UTF-8 whatever encoding was named for the other files of the run (a decisions file
    this package wrote next to a cp1252 supplier file); no other byte is taken as a sign."""
    try:
        with path.open("rb") as handle:
            return handle.read(3) == b"\xef\xbb\xbf"
    except OSError:
        return False


def _table_of_rows(
    frame: pd.DataFrame, label: str, blank: np.ndarray, *, header_row: int, keep_blank: bool,
    encoding: str = DEFAULT_ENCODING,
) -> Table:
    """The table of a file whose data rows follow the header row one by one, *blank*
    marking the blank ones: those are taken out (listed in ``blank_rows``, the other rows
    keeping their numbers), or with *keep_blank* kept as rows of empty cells except the
    ones after the last filled row, which are no rows of the table."""
    import numpy as np

    if keep_blank:
        filled = np.flatnonzero(~blank)
        keep = np.arange(len(blank)) <= (filled[-1] if len(filled) else -1)
    else:
        keep = ~blank
    if keep.all() and header_row == 1:
        return Table(frame, label, from_file=True, encoding=encoding)
    numbers = np.arange(len(blank), dtype=np.int64) + header_row + 1
    return Table(frame[keep].reset_index(drop=True), label, from_file=True,
                 rows=numbers[keep], blank_rows=tuple(int(r) for r in numbers[~keep]),
                 header_row=header_row, encoding=encoding)


def _blank_records_fast(data: bytes, delimiter: str, width: int) -> np.ndarray | None:
    """Which records after the header are blank lines, when the file is simple enough to
    vouch for every record's width by counting (see :func:`exportscreen.io.cells.simple_lines`:
    no double quote, so no quoted delimiter or line break; LF or CRLF line ends; the
    delimiters of the whole file ``width - 1`` per line that is not blank). A row with a
    cell too many makes pandas fail afterwards, so equal totals mean no short row either.
    ``None`` when it cannot tell; the exact pass then decides."""

    lines = simple_lines(data, delimiter, width)
    if lines is None:
        return None
    out: np.ndarray = lines[2][1:]
    return out


def _quote_left_open(path: Path, encoding: str = DEFAULT_ENCODING) -> bool:
    """Whether the csv module's reading of *path* ends inside a quoted cell (strict mode
    says so: "unexpected end of data")."""
    import csv

    with path.open(encoding=_python_codec(encoding), errors="surrogateescape",
                   newline="") as handle:
        try:
            for _ in csv.reader(handle, strict=True):
                pass
        except csv.Error as exc:
            return "unexpected end of data" in str(exc)
    return False


def _record_width(record: list[str]) -> int:
    """Cells in a record; 0 for a blank line (see :func:`is_blank_line`)."""
    if len(record) == 1 and is_blank_line(record[0]):
        return 0
    return len(record)


def _blank_records_exact(
    path: Path, label: str, delimiter: str, names: list[str], header: list[str],
    encoding: str = DEFAULT_ENCODING,
) -> np.ndarray:
    """Which records after the header are blank, by the csv module (about 1 s per 2
    million rows); an :class:`InputError` naming the first row of another width."""
    import csv

    import numpy as np

    width = len(names)
    try:
        with path.open(encoding=_python_codec(encoding), errors="surrogateescape",
                       newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            next(reader, None)
            try:
                widths = np.fromiter(map(_record_width, reader), dtype=np.int64)
            except csv.Error as exc:
                raise InputError(f"not a well-formed CSV file: {exc} (line {reader.line_num})",
                                 file=label) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc}", file=label) from None
    blank = widths == 0
    wrong = np.flatnonzero((widths != width) & ~blank)
    if len(wrong):
        position = int(wrong[0])
        cells = int(widths[position])
        if cells < width:
            message = (f"the row has {cells} cell{'s' if cells != 1 else ''}, the header "
                       f"{width}: cells from this column on are missing")
            column: str | None = names[cells]
        else:
            message = (f"the row has {cells} cells, the header {width}: a cell without a "
                       f"column (a stray delimiter, or a value with '{delimiter}' that is "
                       "not in double quotes?)")
            column = None
        other = next((c for c in (";", "\t", "|") if c != delimiter and c in header[0]), None)
        if width == 1 and other:
            message += f"; the header holds {other!r}: save the file as comma-separated CSV"
        if position == len(widths) - 1 and _quote_left_open(path, encoding):
            message += ("; a double quote in this row opens a quoted cell that is never "
                        "closed, so the rest of the file is one cell")
        raise InputError(message, file=label, row=position + 2, column=column)
    out: np.ndarray = blank
    return out


def _read_excel(path: Path, label: str, sheet: str | int | None, keep_blank: bool) -> Table:
    import zipfile

    import numpy as np
    import pandas as pd

    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            raw = _read_sheet(book, label, sheet)
    except InputError:
        raise
    except ValueError as exc:
        raise InputError(f"not a readable Excel workbook (.xlsx): {exc}", file=label) from None
    except (zipfile.BadZipFile, KeyError, OSError):
        raise InputError("not an Excel workbook (.xlsx): the file is damaged or of another "
                         "kind", file=label) from None
    except Exception as exc:  # openpyxl raises its own errors for damaged workbooks
        raise InputError(f"not a readable Excel workbook (.xlsx): {exc}", file=label) from None
    text = _frame_to_text(raw)
    # pandas keeps a sheet's leading empty rows, so position p is spreadsheet row p + 1
    filled: np.ndarray = np.asarray((text != "").to_numpy().any(axis=1), dtype=bool)
    if not filled.any():
        raise InputError("the sheet is empty (no header row)", file=label)
    top = int(np.argmax(filled))
    header = [str(v) for v in text.iloc[top].tolist()]
    names = _header_names(header, label, top + 1)
    frame = text.iloc[top + 1:].reset_index(drop=True)
    frame.columns = names
    frame = _drop_empty_unnamed(frame, header)
    return _table_of_rows(frame, label, ~filled[top + 1:], header_row=top + 1,
                          keep_blank=keep_blank)


def _sheet_list(names: Sequence[str]) -> str:
    return ", ".join(f"{k} {name!r}" for k, name in enumerate(names, 1))


def _read_sheet(book: pd.ExcelFile, label: str, sheet: str | int | None) -> pd.DataFrame:
    """The cells of the sheet *sheet* names (see :func:`read_table`), as objects.

    Without *sheet*, a workbook of one sheet, or of several of which only one holds any
    cell, gives that sheet; any other workbook is an error that lists its sheets and
    asks for one (its first sheet is not silently taken for the table).
    """
    import pandas as pd

    names = [str(n) for n in book.sheet_names]

    def parse(name: str) -> pd.DataFrame:
        out: pd.DataFrame = pd.read_excel(book, sheet_name=name, header=None, dtype=object,
                                          keep_default_na=False, na_filter=False)
        return out

    if sheet is None:
        if len(names) == 1:
            return parse(names[0])
        frames = {name: parse(name) for name in names}
        filled = [name for name, frame in frames.items()
                  if frame.map(lambda v: _cell_to_text(v).strip() != "").to_numpy().any()]
        if len(filled) == 1:
            return frames[filled[0]]
        raise InputError(
            f"the workbook has {len(names)} sheets ({_sheet_list(names)}); say which one "
            "holds the table with --sheet NAME or --sheet NUMBER (sheet= in Python)",
            file=label)
    if isinstance(sheet, str) and sheet in names:
        return parse(sheet)
    if isinstance(sheet, int) or sheet.strip().isdigit():
        number = int(sheet)
        if 1 <= number <= len(names):
            return parse(names[number - 1])
        raise InputError(
            f"no sheet number {number}: the workbook has {len(names)} "
            f"sheet{'s' if len(names) > 1 else ''} ({_sheet_list(names)})", file=label)
    raise InputError(f"no sheet named {sheet!r}: the workbook's sheets are "
                     f"{_sheet_list(names)}", file=label)


def _frame_to_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as text, column by column; cells that are already ``str`` are kept as
    they are (the common case, and the fast path for frames of millions of rows)."""
    import pandas as pd

    columns = {}
    for position in range(frame.shape[1]):
        values = frame.iloc[:, position].tolist()
        columns[position] = [v if type(v) is str else _cell_to_text(v) for v in values]
    out = pd.DataFrame(columns, index=frame.index, dtype=object)
    out.columns = frame.columns
    return out


def _cell_to_text(value: Any) -> str:
    """Text of a cell in a user's DataFrame or Excel sheet: missing -> "", 12.0 -> "12"."""
    import pandas as pd

    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
        text = repr(value)
        # a small number is a plain decimal, as a person writes it: 1e-05 -> 0.00001
        return format(Decimal(text), "f") if "e" in text else text
    if isinstance(value, _dt.datetime) and value.time() == _dt.time(0):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def has_undecodable(text: str) -> bool:
    """True when *text* carries bytes that were not valid UTF-8 (kept as lone surrogates)."""
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def parse_decimal(
    text: str,
    table: Table,
    position: int,
    column: str,
    *,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
) -> Decimal | None:
    """Parse an exact decimal; "" is ``None`` (unknown). Bounds are inclusive."""
    text = text.strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise table.error(f"not a number: {text!r}", position, column) from None
    if not value.is_finite():
        raise table.error(f"not a finite number: {text!r}", position, column)
    if minimum is not None and value < minimum:
        raise table.error(f"{text} is below the minimum {minimum}", position, column)
    if maximum is not None and value > maximum:
        raise table.error(f"{text} is above the maximum {maximum}", position, column)
    return value


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_date(text: str) -> _dt.date:
    """The date of ``YYYY-MM-DD`` text (surrounding spaces allowed); :class:`ValueError`
    for anything else. ``date.fromisoformat`` alone also takes ``20260301``,
    ``2026-W10-1`` and non-ASCII digits, which no file contract here allows."""
    text = text.strip()
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(f"not a date in the form YYYY-MM-DD: {text!r}")
    return _dt.date.fromisoformat(text)


def parse_date(text: str, table: Table, position: int, column: str) -> _dt.date | None:
    """Parse an ISO date (YYYY-MM-DD); "" is ``None``."""
    text = text.strip()
    if not text:
        return None
    try:
        return iso_date(text)
    except ValueError:
        message = f"not a date in the form YYYY-MM-DD: {text!r}"
        raise table.error(message, position, column) from None



def to_jsonable(value: Any) -> Any:
    """Plain JSON values for models, dates, decimals, sets and frames; deterministic."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return to_jsonable(value.model_dump(mode="python"))
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((to_jsonable(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return to_jsonable(value.item())
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def dump_json(value: Any, stream: TextIO | None = None) -> str:
    """Serialise to stable, human-readable JSON (UTF-8, 2-space indent, newline at end)."""
    text = json.dumps(to_jsonable(value), ensure_ascii=False, indent=2) + "\n"
    if stream is not None:
        stream.write(text)
    return text
