"""Columns of a simple CSV file read straight from its bytes, and factorizing columns.

A CSV file with no double quote, LF or CRLF line ends, valid UTF-8 and no NUL byte has
its cells exactly between its delimiters and line ends, so its cells can be located by
numpy in one pass over the bytes (:func:`byte_table`). A column of such a file is then
factorized (``codes, distinct values``) without making a Python string per cell: each
cell is read as big-endian 64-bit words of its bytes (zero-padded; a cell holds no NUL),
the words are hashed as integers, and only the distinct values are decoded. Reading an
ownership file of 2 million stakes this way takes a fraction of the time pandas takes to
make its 16 million Python strings, which are then hashed again to factorize them.

Big-endian words of UTF-8 bytes compare like the texts do (UTF-8 keeps code point
order; zero padding puts a prefix first), so the distinct values come out sorted without
comparing strings. Every other file is read by :func:`exportscreen.io.read.read_table` (the
csv module and pandas), and both readers give the same cells: the tests hold them to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Protocol

import numpy as np

from ..errors import InputError


def is_blank_line(text: str) -> bool:
    """Whether a line of a CSV file is blank: empty, or only spaces, form feeds, other
    white space and the DOS end-of-file mark (0x1A)."""
    return not text.strip().strip("\x1a").strip()


__all__ = ["ByteTable", "ColumnTable", "byte_table", "factorize_columns", "is_blank_line",
           "line_bounds", "simple_lines"]

_BOM = b"\xef\xbb\xbf"
_MAX_WORDS = 32  # a column with a cell over 256 bytes is factorized as Python strings
# _KEEP[k]: the k leading bytes of a big-endian word kept, the rest zeroed
_KEEP = np.array([0] + [(0xFFFFFFFFFFFFFFFF << (64 - 8 * k)) & 0xFFFFFFFFFFFFFFFF
                        for k in range(1, 9)], dtype=np.uint64)


class ColumnTable(Protocol):
    """What the column-wise readers need of a table: a pandas-backed
    :class:`~exportscreen.io.read.Table` or a :class:`ByteTable`."""

    @property
    def label(self) -> str: ...

    @property
    def blank_rows(self) -> tuple[int, ...]: ...

    @property
    def columns(self) -> list[str]: ...

    @property
    def n_rows(self) -> int: ...

    def row_numbers(self) -> np.ndarray: ...

    def error(
        self, message: str, position: int | None = None, column: str | None = None
    ) -> InputError: ...

    def factorize(self, name: str) -> tuple[np.ndarray, np.ndarray]: ...

    def texts(self, name: str) -> np.ndarray: ...


def line_bounds(data: bytes) -> tuple[np.ndarray, np.ndarray] | None:
    """Start and end (the line break and a CR before it excluded) of every line of a
    file with no double quote and LF or CRLF line ends; ``None`` for any other file.
    A UTF-8 byte order mark is not part of the first line."""
    if b'"' in data or data.count(b"\r") != data.count(b"\r\n"):
        return None
    start = len(_BOM) if data.startswith(_BOM) else 0
    buf = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(buf == 10)
    if not data.endswith(b"\n"):
        ends = np.append(ends, len(data))
    starts = np.concatenate(([start], ends[:-1] + 1)).astype(np.int64)
    crlf = (ends > starts) & (buf[np.maximum(ends - 1, 0)] == 13)
    return starts, (ends - crlf).astype(np.int64)


# bytes a line of only white space (or 0x1A) can start with; >= 0x80 for the white space
# outside ASCII (U+00A0, U+3000, ...)
_MAY_START_BLANK = np.zeros(256, dtype=bool)
_MAY_START_BLANK[list(b" \t\x0b\x0c\x1a\x1c\x1d\x1e\x1f")] = True
_MAY_START_BLANK[0x80:] = True


def _blank_lines(data: bytes, starts: np.ndarray, ends: np.ndarray, width: int) -> np.ndarray:
    """Which lines (from :func:`line_bounds`) the csv-module reader counts as blank: the
    empty ones and, in a file of one column, the ones of only white space (see
    :func:`exportscreen.io.read.is_blank_line`). The first line (a header) is never blank
    but when empty. In a wider file such a line has no delimiter, so the delimiter count
    sends the file to the csv-module reader anyway."""
    blank: np.ndarray = ends == starts
    if width == 1 and len(starts) > 1:
        buf = np.frombuffer(data, dtype=np.uint8)
        maybe = np.flatnonzero(~blank[1:] & _MAY_START_BLANK[buf[np.minimum(
            starts[1:], len(buf) - 1)]]) + 1
        for line in maybe.tolist():
            text = data[starts[line]:ends[line]].decode("utf-8", "surrogateescape")
            blank[line] = is_blank_line(text)
    return blank


def simple_lines(
    data: bytes, delimiter: str, width: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """``(starts, ends, blank)`` of the lines of a CSV file whose records are its lines
    (see :func:`line_bounds`) and whose delimiters number ``width - 1`` per line that is
    not blank; ``None`` for any other file (the csv-module reader then decides)."""
    lines = line_bounds(data)
    if lines is None:
        return None
    starts, ends = lines
    blank = _blank_lines(data, starts, ends, width)
    if data.count(delimiter.encode()) != (width - 1) * (len(blank) - int(blank.sum())):
        return None
    return starts, ends, blank


def byte_table(
    data: bytes, label: str, delimiter: str, names: list[str], header: list[str]
) -> ByteTable | None:
    """The cells of *data* (a CSV file whose header row gave *names*) located by byte
    offsets, or ``None`` when the file is not simple enough to be read that way: a
    double quote anywhere, a CR that is not part of CRLF, a NUL byte, bytes that are not
    UTF-8, an empty header cell, or a row whose width differs from the header's (the
    csv-module reader then reads the file and names what is wrong)."""
    width = len(names)
    if (not all(cell.strip() for cell in header) or b"\x00" in data
            or (not data.isascii() and not _is_utf8(data))):
        return None
    lines = simple_lines(data, delimiter, width)
    if lines is None:
        return None
    starts, ends, blank_line = lines
    filled = ~blank_line
    first, last = starts[filled], ends[filled]
    buf = np.frombuffer(data, dtype=np.uint8)  # no copy: the file's own bytes
    found = np.flatnonzero(buf == ord(delimiter))
    cuts = found.reshape(len(first), width - 1)
    # the i-th run of width - 1 delimiters lies within the i-th filled line, for every
    # line: with the totals equal, every line has exactly width - 1 of them
    if width > 1 and (np.any(cuts[:, 0] < first) or np.any(cuts[:, -1] >= last)):
        return None
    line_numbers = np.flatnonzero(filled) + 1  # a person's row numbers; the header is 1
    blank = tuple(int(r) for r in (np.flatnonzero(~filled) + 1).tolist())
    # the header is the first filled line: the records are the ones after it; a column's
    # cells are read together, so the delimiters are kept column by column
    bounds = np.empty((width + 1, len(first) - 1), dtype=np.int64)
    bounds[0] = first[1:] - 1  # as if a delimiter stood before each line
    bounds[1:width] = cuts[1:].T
    bounds[width] = last[1:]
    return ByteTable(buf, label, names, bounds, line_numbers[1:], blank)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class ByteTable:
    """The cells of a simple CSV file as byte offsets (see :func:`byte_table`): the
    column-wise twin of :class:`~exportscreen.io.read.Table`, with the same row numbers and
    error messages, for readers that take a column at a time."""

    header_row = 1

    def __init__(
        self,
        buf: np.ndarray,
        label: str,
        names: list[str],
        bounds: np.ndarray,
        rows: np.ndarray,
        blank_rows: tuple[int, ...],
    ) -> None:
        self._buf = buf
        self.label = label
        self._names = list(names)
        self._position = {name: k for k, name in enumerate(self._names)}
        # column k of record r is buf[bounds[k, r] + 1 : bounds[k + 1, r]]
        self._bounds = bounds
        self.rows = rows.astype(np.int64)
        self.blank_rows = blank_rows

    @property
    def columns(self) -> list[str]:
        return list(self._names)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    def row_number(self, position: int) -> int:
        return int(self.rows[position])

    def row_numbers(self) -> np.ndarray:
        return self.rows

    def error(
        self, message: str, position: int | None = None, column: str | None = None
    ) -> InputError:
        row = None if position is None else self.row_number(position)
        return InputError(message, file=self.label, row=row, column=column)

    def require(self, columns: Iterable[str]) -> None:
        """Raise naming the first required column that is absent (as
        :meth:`exportscreen.io.read.Table.require`)."""
        for column in columns:
            if column not in self._position:
                raise InputError(
                    f"missing required column (columns found: {', '.join(self._names)})",
                    file=self.label, row=self.header_row, column=column)

    def cells(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(buffer, start, end)``: the byte range of every cell of column *name*."""
        k = self._position[name]
        return self._buf, self._bounds[k] + 1, self._bounds[k + 1]

    def texts(self, name: str) -> np.ndarray:
        """Every cell of column *name* as text (an object array)."""
        return _decode(*self.cells(name))

    def factorize(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """``(codes, distinct values)`` of column *name*, the values in order of first
        appearance (as :meth:`exportscreen.io.read.Table.factorize`)."""
        codes, uniques = _factorize_bytes([self.cells(name)], sort=False)
        return codes[0], uniques


def factorize_columns(
    columns: Sequence[tuple[ColumnTable, str]],
) -> tuple[list[np.ndarray], np.ndarray]:
    """Factorize several columns (of one table or several) together: one codes array
    per column, into the sorted distinct values of all of them (an object array)."""
    if all(isinstance(table, ByteTable) for table, _ in columns):
        return _factorize_bytes([table.cells(name) for table, name in columns
                                 if isinstance(table, ByteTable)])
    import pandas as pd

    texts = [table.texts(name) for table, name in columns]
    codes, uniques = pd.factorize(np.concatenate(texts) if texts else np.array([], object),
                                  sort=False)
    rank, values = sorted_distinct(np.asarray(uniques, dtype=object))
    joint = rank[codes]
    bounds = np.cumsum([0] + [len(t) for t in texts])
    return [joint[a:b] for a, b in pairwise(bounds.tolist())], values


def sorted_distinct(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(rank, sorted)`` of distinct text *values*: ``sorted[rank[k]] == values[k]``.
    Short texts are sorted as fixed-width numpy text, which is fast."""
    if len(values) == 0:
        return np.zeros(0, np.int64), values
    longest = max(map(len, values.tolist()))
    order = (np.argsort(values.astype(f"U{longest}"), kind="stable") if longest <= 64
             else np.argsort(values, kind="stable"))
    rank = np.empty(len(values), np.int64)
    rank[order] = np.arange(len(values))
    return rank, values[order]


def _words(buf: np.ndarray, start: np.ndarray, length: np.ndarray, k: int) -> np.ndarray:
    """Bytes ``8k .. 8k + 7`` of every cell as a big-endian uint64, bytes past the end of
    the cell zero. The words are read in place from overlapping 8-byte windows of *buf*;
    the few that would run past its end are read from a zero-padded copy of its tail."""
    at = start + 8 * k
    n_windows = max(len(buf) - 7, 0)
    if n_windows:
        windows = np.ndarray(shape=(n_windows,), dtype=">u8", buffer=buf, strides=(1,))
        word = windows[np.minimum(at, n_windows - 1)].astype(np.uint64)
    else:
        word = np.zeros(len(at), np.uint64)
    past = np.flatnonzero(at >= n_windows)
    if len(past):
        base = max(len(buf) - 8, 0)
        tail = np.zeros(16, np.uint8)
        tail[:len(buf) - base] = buf[base:]
        tail_windows = np.ndarray(shape=(9,), dtype=">u8", buffer=tail, strides=(1,))
        word[past] = tail_windows[np.minimum(at[past] - base, 8)]
    out: np.ndarray = word & _KEEP[np.clip(length - 8 * k, 0, 8)]
    return out


def _n_words(length: np.ndarray) -> int:
    return max(1, -(-int(length.max()) // 8)) if len(length) else 1


def _factorize_bytes(
    parts: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]], *, sort: bool = True
) -> tuple[list[np.ndarray], np.ndarray]:
    """Codes of the cells of every part into their distinct texts, sorted or (*sort*
    false) in order of first appearance."""
    import pandas as pd

    sizes = [len(start) for _, start, _ in parts]
    offsets = np.cumsum([0, *sizes])
    length = np.concatenate([end - start for _, start, end in parts])
    if len(length) == 0:
        return [np.zeros(0, np.int64) for _ in parts], np.array([], dtype=object)
    if _n_words(length) > _MAX_WORDS:  # long texts: hashed as Python strings
        codes, uniques = factorize_texts(np.concatenate([_decode(*part) for part in parts]))
        rank = np.arange(len(uniques))
        if sort:
            rank, uniques = sorted_distinct(uniques)
        joint = rank[codes]
        return [joint[offsets[p]:offsets[p + 1]] for p in range(len(parts))], uniques
    # a mostly empty column (an optional one): only its filled cells are hashed
    filled = np.flatnonzero(length > 0)
    sparse = len(filled) < len(length) // 2
    # the cells hashed: (buffer, starts, sizes) of each part, *size* of all of them
    if sparse:
        starts = np.concatenate([start for _, start, _ in parts])[filled]
        sources = np.searchsorted(offsets, filled, side="right") - 1
        size = length[filled]
        pieces = [(buf, starts[sources == p], size[sources == p])
                  for p, (buf, _, _) in enumerate(parts)]
    else:
        size = length
        pieces = [(buf, start, length[offsets[p]:offsets[p + 1]])
                  for p, (buf, start, _) in enumerate(parts)]
    piece_offsets = np.cumsum([0, *(len(piece_start) for _, piece_start, _ in pieces)])
    # word k is read only for the cells longer than 8k bytes (the others' is zero), so one
    # long cell does not make every cell pay for its words
    words: list[tuple[np.ndarray | None, np.ndarray]] = []  # (cells holding it, word)
    key = np.zeros(0, np.int64)
    top = 0  # the number of codes given so far
    cells: np.ndarray | None = None  # None: every cell
    for k in range(_n_words(length)):
        if k:  # the cells longer than 8k bytes, among those longer than 8(k - 1)
            cells = (np.flatnonzero(size > 8 * k) if cells is None
                     else cells[size[cells] > 8 * k])
            if len(cells) == len(size):
                cells = None
        chunks = []
        for (buf, start, part_size), lo, hi in zip(pieces, piece_offsets[:-1],
                                                   piece_offsets[1:], strict=True):
            if cells is not None:
                local = cells[(cells >= lo) & (cells < hi)] - lo
                start, part_size = start[local], part_size[local]
            chunks.append(_words(buf, start, part_size, k))
        word = chunks[0] if len(chunks) == 1 else np.concatenate(chunks)
        del chunks  # (each word is the size of a column: no copy kept longer than needed)
        words.append((cells, word))
        # a hash table sized for every cell at once: no rehashing as it fills
        if k == 0:
            codes, distinct = pd.factorize(word, sort=False, size_hint=len(word))
            key, top = np.asarray(codes, np.int64), len(distinct)
            continue
        word_codes, word_uniques = pd.factorize(word, sort=False, size_hint=len(word))
        codes, distinct = pd.factorize(
            (key if cells is None else key[cells]) * len(word_uniques) + word_codes,
            sort=False, size_hint=len(word))
        del word_codes, word_uniques
        if cells is None:
            key, top = np.asarray(codes, np.int64), len(distinct)
        else:  # the longer cells take new codes: they differ from every shorter one
            key[cells] = codes + top
            top += len(distinct)
    if words[-1][0] is not None:
        # some word was read for some cells only (and so for the ones after it): the
        # codes are numbered again in order of first appearance
        key = np.asarray(pd.factorize(key, sort=False, size_hint=len(key))[0], np.int64)
    # pd.factorize numbers values in order of first appearance: a code's first cell is
    # where the running maximum of the codes steps up
    # (no filled cell at all in a sparse column: no code)
    peak = np.maximum.accumulate(key) if len(key) else key
    first = np.flatnonzero(np.r_[True, peak[1:] > peak[:-1]]) if len(key) else key
    chosen_words = [_word_of(held, word, first) for held, word in words]
    chosen_size = size[first]
    if sparse:  # the empty cells take the code after the others: the value ""
        full = np.full(len(length), len(first), np.int64)
        full[filled] = key
        key = full
        chosen_words = [np.append(w, np.uint64(0)) for w in chosen_words]
        chosen_size = np.append(chosen_size, 0)
    if sort:
        order = np.lexsort(list(reversed(chosen_words)))
        rank = np.empty(len(order), np.int64)
        rank[order] = np.arange(len(order))
        chosen_words = [w[order] for w in chosen_words]
        chosen_size = chosen_size[order]
    else:
        rank = np.arange(len(chosen_words[0]))
    values = _text_of_values(chosen_words, chosen_size)
    joint = rank[key]
    return [joint[offsets[p]:offsets[p + 1]] for p in range(len(parts))], values


def _text_of_values(words: list[np.ndarray], size: np.ndarray) -> np.ndarray:
    """Texts of *size* bytes from their big-endian words: a text is decoded from as many
    words as it fills (a few long values do not make every value a wide copy)."""
    n_words = np.maximum(1, -(-size // 8))
    if len(words) == 1 or int(n_words.min()) == len(words):
        return _text_of_words(words)
    values = np.empty(len(size), dtype=object)
    for count in np.unique(n_words).tolist():
        which = np.flatnonzero(n_words == count)
        values[which] = _text_of_words([w[which] for w in words[:count]])
    return values


def _word_of(cells: np.ndarray | None, word: np.ndarray, which: np.ndarray) -> np.ndarray:
    """The word of cells *which* (sorted) from *word*, the word of *cells* (sorted; ``None``:
    of every cell); zero for a cell not in *cells*."""
    if cells is None:
        out: np.ndarray = word[which]
        return out
    at = np.searchsorted(cells, which)
    held = at < len(cells)
    held[held] = cells[at[held]] == which[held]
    out = np.zeros(len(which), np.uint64)
    out[held] = word[at[held]]
    return out


def factorize_texts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(codes, distinct values)`` of an object array of texts, the values in order of
    first appearance, except that in a mostly empty column (an optional one) only the
    filled cells are hashed and the value ``""`` comes last."""
    import pandas as pd

    filled = values != ""
    if int(np.count_nonzero(filled)) < len(values) // 2:
        sub_codes, sub_uniques = pd.factorize(values[filled], sort=False)
        codes = np.full(len(values), len(sub_uniques), np.int64)
        codes[filled] = sub_codes
        return codes, np.append(np.asarray(sub_uniques, dtype=object),
                                np.array([""], dtype=object))
    codes, uniques = pd.factorize(values, sort=False)
    return np.asarray(codes, np.int64), np.asarray(uniques, dtype=object)


def _text_of_words(words: list[np.ndarray]) -> np.ndarray:
    """Texts from the big-endian words of their bytes (zero-padded)."""
    n = len(words[0]) if words else 0
    out = np.empty(n, dtype=object)
    if n == 0:
        return out
    stacked = np.empty((n, len(words)), dtype=">u8")
    for k, word in enumerate(words):
        stacked[:, k] = word
    # a numpy bytes array drops the zero padding at the end of each value
    out[:] = list(map(bytes.decode, stacked.view(f"S{8 * len(words)}").ravel().tolist()))
    return out


def _decode(buf: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The cells ``buf[start:end]`` as text."""
    length = end - start
    n_words = _n_words(length)
    if len(length) * n_words * 8 <= max(64 << 20, 4 * int(length.sum())):
        return _text_of_words([_words(buf, start, length, k) for k in range(n_words)])
    # one long cell would make the fixed-width copy huge: slice cell by cell
    data = memoryview(buf.data)
    out = np.empty(len(start), dtype=object)
    out[:] = [str(data[a:b], "utf-8") for a, b in zip(start.tolist(), end.tolist(),
                                                      strict=True)]
    return out
