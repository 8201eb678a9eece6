"""What a format reader hands the loader, and the helpers the XML readers share.

Every reader in this package returns a :class:`ParsedList`: the entries, the records it
rejected (lenient mode) with file and record number, notices, the sha256 of the bytes it
read, a title and the list's own date. XML is read with defusedxml (no entity expansion,
no external references) through :func:`stream_records`, which yields one record element at
a time and drops it from the tree afterwards, so memory stays bounded by one record, not by
the file.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import InputError
from .csl import RecordError, parse_date
from .models import ListEntry, RejectedRecord
from .unpack import XmlElementCounter

__all__ = [
    "ParsedList",
    "RecordError",
    "child",
    "children",
    "csv_records",
    "file_sha256",
    "generation_date",
    "index_children",
    "local_name",
    "parse_date",
    "record_failed",
    "stream_records",
    "text_of",
]


@dataclass
class ParsedList:
    entries: list[ListEntry]
    rejected: list[RejectedRecord]
    notices: list[str]
    sha256: str
    title: str
    label: str
    snapshot_date: _dt.date | None = None
    files: list[str] = field(default_factory=list)


def file_sha256(path: Path) -> str:
    """sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", file=str(path)) \
            from None
    return digest.hexdigest()


@lru_cache(maxsize=4096)
def local_name(tag: str) -> str:
    """The tag without its ``{namespace}``."""
    return tag.rsplit("}", 1)[-1]


def index_children(elem: Any) -> dict[str, list[Any]]:
    """The direct children of *elem* by local name (one pass, for records read field by
    field)."""
    index: dict[str, list[Any]] = {}
    for c in elem:
        index.setdefault(local_name(c.tag), []).append(c)
    return index


def record_failed(exc: RecordError, *, strict: bool, label: str, number: int, what: str,
                  rejected: list[RejectedRecord], raw: str = "") -> None:
    """Raise (strict) or record (lenient) a record that cannot be used."""
    reason = f"{what}: {exc.reason}"
    if strict:
        raise InputError(reason + " (load with strict=False to report bad records and keep "
                         "the rest)", file=label, row=number, column=exc.column) from None
    rejected.append(RejectedRecord(file=label, line=number, column=exc.column, reason=reason,
                                   raw=raw[:300]))


def stream_records(
    path: Path,
    *,
    roots: frozenset[str],
    records: frozenset[str],
    on_root: Callable[[Any], None] | None = None,
    format_name: str,
) -> Iterator[tuple[int, Any]]:
    """Yield ``(number, element)`` for every element whose local name is in *records*.

    The root element's local name must be one of *roots* (else :class:`InputError` saying
    the file is not *format_name*); *on_root* sees the root element at its start (its
    attributes, e.g. a generation date). Each record is removed from its parent after the
    caller has used it. Unsafe XML (entities, external references) and malformed XML raise
    :class:`InputError` naming the file and line.
    """
    from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
    from defusedxml.ElementTree import iterparse  # type: ignore[import-untyped]

    label = str(path)
    stack: list[Any] = []
    number = 0
    depth_of_record = -1
    elements = XmlElementCounter(label)
    try:
        with path.open("rb") as fh:
            for event, elem in iterparse(fh, events=("start", "end")):
                if event == "start":
                    elements.add()
                    if not stack:
                        tag = local_name(elem.tag)
                        if tag not in roots:
                            raise InputError(
                                f"not {format_name}: the root element is <{tag}>", file=label)
                        if on_root is not None:
                            on_root(elem)
                    if depth_of_record < 0 and local_name(elem.tag) in records:
                        depth_of_record = len(stack)
                    stack.append(elem)
                    continue
                stack.pop()
                if len(stack) == depth_of_record and local_name(elem.tag) in records:
                    depth_of_record = -1
                    number += 1
                    yield number, elem
                    elem.clear()
                    if stack:
                        stack[-1].remove(elem)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", file=label) from None
    except DefusedXmlException as exc:
        raise InputError(f"refused unsafe XML ({type(exc).__name__}): {exc}", file=label) \
            from None
    except SyntaxError as exc:  # xml.etree.ElementTree.ParseError
        position = getattr(exc, "position", None)
        where = f" at line {position[0]}, column {position[1]}" if position else ""
        raise InputError(f"malformed XML{where}: {exc}", file=label,
                         row=position[0] if position else None) from None


def text_of(elem: Any) -> str:
    """The element's text with whitespace runs collapsed ('' for a missing element)."""
    return " ".join((elem.text or "").split()) if elem is not None else ""


def children(elem: Any, name: str) -> list[Any]:
    """Direct children with this local name."""
    if elem is None:
        return []
    return [c for c in elem if local_name(c.tag) == name]


def child(elem: Any, name: str) -> Any:
    """The first direct child with this local name, else ``None``."""
    if elem is None:
        return None
    for c in elem:
        if local_name(c.tag) == name:
            return c
    return None




def generation_date(value: str | None, attribute: str, notices: list[str]) -> _dt.date | None:
    """The list's date from its root attribute (*attribute*, e.g. ``dateGenerated``): the
    first ten characters as an ISO date; a value that is none gets a notice, not a date."""
    if not value:
        return None
    try:
        return _dt.date.fromisoformat(value[:10])
    except ValueError:
        notices.append(f"{attribute} {value!r} is not a date")
        return None


def csv_records(reader: Iterator[list[str]], label: str) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` of every non-blank record a ``csv.reader`` gives; a malformed
    record is an :class:`InputError` naming the file and its line."""
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"malformed CSV: {exc}", file=label,
                             row=getattr(reader, "line_num", None)) from None
        if any(c.strip() for c in cells):
            yield getattr(reader, "line_num", 0), cells
