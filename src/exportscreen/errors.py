"""Errors raised by exportscreen.

Every problem with a user's input is an :class:`InputError` that names where it
is: the file (or ``<DataFrame>``), the row and the column. The CLI turns it into
exit code 2 with that message; anything else escaping the library is an internal
error (exit code 1).

An output file that cannot be written (folder missing, permission denied, disk full)
is an :class:`OutputError`, not an :class:`InputError`: the input was fine, the
command could not deliver its result, and the CLI exits with code 1 and the message
``could not write FILE: reason``.

Row numbers follow what a spreadsheet shows: in a CSV file with a header, the
header is row 1 and the first record is row 2. For a DataFrame given directly the
row is the 0-based position in the frame and the message says so.
"""

from __future__ import annotations

__all__ = ["ExportScreenError", "InputError", "OutputError"]


class ExportScreenError(Exception):
    """Base class of every exception exportscreen raises on purpose."""


class InputError(ExportScreenError, ValueError):
    """Bad input: says which file, row and column, and what is wrong there."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(str(self.file))
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def __reduce__(self) -> tuple[object, ...]:  # keep file/row/column through pickling
        return (_rebuild_input_error, (self.message, self.file, self.row, self.column))


def _rebuild_input_error(
    message: str, file: str | None, row: int | None, column: str | None
) -> InputError:
    return InputError(message, file=file, row=row, column=column)


class OutputError(ExportScreenError):
    """An output file could not be written: ``could not write FILE: reason``.

    Not an :class:`InputError` (the input was fine): the CLI exits with code 1. The file
    that was there before is left as it was (see :mod:`exportscreen.io.write`). Not an
    :class:`OSError` either, so that an ``except OSError`` meant for reading does not
    catch it.
    """

    def __init__(self, file: str, reason: str) -> None:
        self.file = str(file)
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"could not write {self.file}: {self.reason}"

    def __reduce__(self) -> tuple[object, ...]:
        return (OutputError, (self.file, self.reason))
