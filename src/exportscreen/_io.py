"""Reading tabular input the same way everywhere: CSV files, Excel sheets and DataFrames.

All cells are read as text (no silent coercion: ``"007"`` stays ``"007"``, an empty
cell is ``""``), bytes that are not UTF-8 are kept as lone surrogates so the row can
be reported instead of the whole file failing, and every record keeps the row number
a person would look up in a spreadsheet.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Table",
    "dump_json",
    "has_undecodable",
    "parse_date",
    "parse_decimal",
    "read_json_file",
    "read_table",
    "to_jsonable",
]

DATAFRAME_LABEL = "<DataFrame>"


@dataclass(frozen=True)
class Table:
    """A table of text cells with its origin, for error messages that say where."""

    frame: pd.DataFrame
    label: str
    from_file: bool

    def row_number(self, position: int) -> int:
        """Row as a person finds it: header is row 1 in a file; 0-based position in a frame."""
        return position + 2 if self.from_file else position

    def error(
        self, message: str, position: int | None = None, column: str | None = None
    ) -> InputError:
        row = None if position is None else self.row_number(position)
        if not self.from_file and row is not None:
            message = f"{message} (0-based position in the DataFrame)"
        return InputError(message, file=self.label, row=row, column=column)

    def require(self, columns: Iterable[str]) -> None:
        """Raise naming the first required column that is absent."""
        present = set(self.frame.columns)
        for column in columns:
            if column not in present:
                found = ", ".join(map(str, self.frame.columns)) or "none"
                raise InputError(
                    f"missing required column (columns found: {found})",
                    file=self.label,
                    row=1 if self.from_file else None,
                    column=column,
                )


def read_table(
    source: str | Path | pd.DataFrame,
    *,
    required: Sequence[str] = (),
    sheet: str | int | None = None,
) -> Table:
    """Read a CSV/TSV/Excel file or take a DataFrame, as text cells, headers stripped.

    Raises :class:`InputError` when the file is missing, unreadable, or lacks a
    required column.
    """
    import pandas as pd

    if isinstance(source, pd.DataFrame):
        frame = source.copy()
        frame.columns = [str(c).strip() for c in frame.columns]
        frame = _frame_to_text(frame)
        table = Table(frame.reset_index(drop=True), DATAFRAME_LABEL, from_file=False)
    else:
        path = Path(source)
        label = str(source)
        if not path.exists():
            raise InputError("file not found", file=label)
        if path.is_dir():
            raise InputError("expected a file, found a folder", file=label)
        suffix = path.suffix.lower()
        try:
            if suffix in {".xlsx", ".xlsm"}:
                frame = pd.read_excel(
                    path, sheet_name=0 if sheet is None else sheet, dtype=str,
                    keep_default_na=False, engine="openpyxl",
                )
                frame = _frame_to_text(frame)
            else:
                frame = pd.read_csv(
                    path,
                    dtype=str,
                    keep_default_na=False,
                    na_filter=False,
                    encoding="utf-8-sig",
                    encoding_errors="surrogateescape",
                    sep="\t" if suffix == ".tsv" else ",",
                    skipinitialspace=False,
                )
        except pd.errors.EmptyDataError:
            raise InputError("the file is empty (no header row)", file=label) from None
        except pd.errors.ParserError as exc:
            raise InputError(f"not a well-formed table: {exc}", file=label) from None
        except (ValueError, OSError) as exc:
            raise InputError(f"cannot read the file: {exc}", file=label) from None
        frame.columns = [str(c).strip() for c in frame.columns]
        table = Table(frame, label, from_file=True)
    duplicated = [c for c in table.frame.columns if list(table.frame.columns).count(c) > 1]
    if duplicated:
        raise table.error("the column appears more than once in the header", None, duplicated[0])
    table.require(required)
    return table


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
        return repr(value) if not value.is_integer() else str(int(value))
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


def parse_date(text: str, table: Table, position: int, column: str) -> _dt.date | None:
    """Parse an ISO date (YYYY-MM-DD); "" is ``None``."""
    text = text.strip()
    if not text:
        return None
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        message = f"not a date in the form YYYY-MM-DD: {text!r}"
        raise table.error(message, position, column) from None


def read_json_file(path: str | Path, what: str = "file") -> Any:
    """Parse a user's JSON file (UTF-8, a BOM allowed); :class:`InputError` naming the file
    and the line when it is missing, unreadable or not JSON. *what* names the file's role
    in messages ("rule pack", "previous run", ...)."""
    label = str(path)
    file = Path(path)
    if not file.is_file():
        raise InputError(f"{what} not found", file=label)
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read the {what}: {exc}", file=label) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"the {what} is not UTF-8 text: {exc}", file=label) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"the {what} is not valid JSON: {exc.msg} (column {exc.colno})", file=label,
            row=exc.lineno,
        ) from None


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
