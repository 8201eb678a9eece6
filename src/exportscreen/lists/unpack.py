"""Bounded decompression of list files: a cap on the unpacked size and on the unpack ratio.

A list file may arrive compressed (``consolidated.csv.gz``, OFAC's ``SDN_ENHANCED.ZIP``).
A few megabytes of gzip or zip can unpack to gigabytes (a "decompression bomb"): reading
one whole would exhaust memory. Every place the package unpacks list data goes through
this module, which streams the data and stops with :class:`UnpackLimitError` (an
:class:`~exportscreen.InputError` naming the file: exit code 2 in the CLI) as soon as

* the unpacked bytes exceed ``max_bytes`` (default 512 MiB: about four times the largest
  official list, OFAC's SDN enhanced XML, at roughly 120 MB), or
* past the first 8 MiB, the unpacked bytes exceed ``max_ratio`` (default 100) times the
  compressed size (text lists compress about 5 to 20 times; a bomb about 1000 times).

Both are configurable: ``EXPORTSCREEN_MAX_UNPACKED_BYTES`` (a number of bytes, or with a
``K``/``M``/``G`` suffix: ``2G``) and ``EXPORTSCREEN_MAX_UNPACK_RATIO``, or an
:class:`UnpackLimits` passed to the functions here.

    >>> gunzip(gzip.compress(b"a,b\\n"), "list.csv.gz")  # doctest: +SKIP
    b'a,b\\n'
"""

from __future__ import annotations

import gzip
import io
import os
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

from ..errors import InputError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_RATIO",
    "LimitedReader",
    "UnpackLimitError",
    "UnpackLimits",
    "gunzip",
    "gunzip_head",
    "open_zip_member",
    "parse_size",
]

DEFAULT_MAX_BYTES = 512 * 1024 * 1024
DEFAULT_MAX_RATIO = 100.0
RATIO_FLOOR = 8 * 1024 * 1024  # below this, any ratio is fine (tiny files compress oddly)
MAX_BYTES_ENV = "EXPORTSCREEN_MAX_UNPACKED_BYTES"
MAX_RATIO_ENV = "EXPORTSCREEN_MAX_UNPACK_RATIO"
CHUNK = 1024 * 1024
# XML elements one list file may hold: the full OFAC SDN enhanced XML has a few million,
# the UN list about 100,000; a file past this is no list (an element flood)
DEFAULT_MAX_XML_ELEMENTS = 50_000_000
MAX_XML_ELEMENTS_ENV = "EXPORTSCREEN_MAX_XML_ELEMENTS"
_SUFFIXES = {"": 1, "B": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


class UnpackLimitError(InputError):
    """A compressed list unpacks to more than the configured cap: refused, nothing kept."""


def parse_size(text: str) -> int:
    """``"512M"`` -> 536870912; a plain number is bytes. Raises ValueError."""
    value = text.strip().upper().removesuffix("IB").removesuffix("B") or "x"
    unit = value[-1] if value[-1] in _SUFFIXES else ""
    number = float(value[: len(value) - len(unit)])
    if not number > 0 or number == float("inf"):
        raise ValueError(f"not a positive size: {text!r}")
    return int(number * _SUFFIXES[unit])


@dataclass(frozen=True)
class UnpackLimits:
    """The caps: at most ``max_bytes`` unpacked and at most ``max_ratio`` times the packed size."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_ratio: float = DEFAULT_MAX_RATIO

    @classmethod
    def from_env(cls) -> UnpackLimits:
        """The caps from ``EXPORTSCREEN_MAX_UNPACKED_BYTES`` / ``..._MAX_UNPACK_RATIO``."""
        max_bytes, max_ratio = DEFAULT_MAX_BYTES, DEFAULT_MAX_RATIO
        raw_bytes = os.environ.get(MAX_BYTES_ENV, "").strip()
        raw_ratio = os.environ.get(MAX_RATIO_ENV, "").strip()
        if raw_bytes:
            try:
                max_bytes = parse_size(raw_bytes)
            except ValueError:
                raise InputError(f"not a size in bytes (e.g. 512M): {raw_bytes!r}",
                                 column=MAX_BYTES_ENV) from None
        if raw_ratio:
            try:
                max_ratio = float(raw_ratio)
            except ValueError:
                max_ratio = 0.0
            if not 1 <= max_ratio < float("inf"):
                raise InputError(f"not a ratio of at least 1: {raw_ratio!r}",
                                 column=MAX_RATIO_ENV)
        return cls(max_bytes=max_bytes, max_ratio=max_ratio)


class _Meter:
    """Counts unpacked bytes and raises the moment a cap is passed."""

    def __init__(self, label: str, packed: int, limits: UnpackLimits | None) -> None:
        self.label = label
        self.packed = max(packed, 1)
        self.limits = limits or UnpackLimits.from_env()
        self.total = 0

    def add(self, count: int) -> None:
        self.total += count
        limits = self.limits
        if self.total > limits.max_bytes:
            raise UnpackLimitError(
                f"unpacks to more than {limits.max_bytes:,} bytes (from {self.packed:,} "
                f"compressed): refused as a possible decompression bomb; raise "
                f"{MAX_BYTES_ENV} if the list is genuine", file=self.label)
        if self.total > RATIO_FLOOR and self.total > limits.max_ratio * self.packed:
            raise UnpackLimitError(
                f"unpacks to more than {limits.max_ratio:g} times its compressed size "
                f"({self.total:,} bytes from {self.packed:,}): refused as a possible "
                f"decompression bomb; raise {MAX_RATIO_ENV} if the list is genuine",
                file=self.label)


def gunzip(raw: bytes, label: str, limits: UnpackLimits | None = None) -> bytes:
    """The unpacked bytes of a gzip file (all members), within the caps."""
    meter = _Meter(label, len(raw), limits)
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as stream:
            while chunk := stream.read(CHUNK):
                meter.add(len(chunk))
                out += chunk
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"not a readable gzip file: {exc}", file=label) from None
    return bytes(out)


def gunzip_head(raw: bytes, size: int, label: str) -> bytes:
    """The first *size* unpacked bytes of a gzip file (for format detection)."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as stream:
            return stream.read(size)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"not a readable gzip file: {exc}", file=label) from None


class LimitedReader(io.RawIOBase):
    """A binary stream over *inner* that raises :class:`UnpackLimitError` past the caps."""

    def __init__(self, inner: IO[bytes], meter: _Meter, keep: object = None) -> None:
        super().__init__()
        self._inner = inner
        self._meter = meter
        self._keep = keep  # the archive the member stream reads from

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(min(len(buffer), CHUNK))
        self._meter.add(len(data))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._inner.close()
        super().close()


def open_zip_member(archive: zipfile.ZipFile, member: str, label: str,
                    limits: UnpackLimits | None = None) -> io.BufferedReader:
    """A stream of one zip member that stops at the caps (checked before reading too)."""
    info = archive.getinfo(member)
    meter = _Meter(label, info.compress_size, limits)
    # the sizes the zip declares can lie, so they only refuse early; the stream checks again
    if info.file_size > meter.limits.max_bytes or (
            info.file_size > RATIO_FLOOR
            and info.file_size > meter.limits.max_ratio * meter.packed):
        meter.add(info.file_size)
    inner = archive.open(member)
    return io.BufferedReader(LimitedReader(inner, meter, keep=archive), buffer_size=CHUNK)


def max_xml_elements() -> int:
    """``EXPORTSCREEN_MAX_XML_ELEMENTS`` (default 50,000,000): the XML readers stop with an
    :class:`InputError` naming the file past this many elements."""
    raw = os.environ.get(MAX_XML_ELEMENTS_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_XML_ELEMENTS
    try:
        value = parse_size(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise InputError(f"not a number of elements of at least 1: {raw!r}",
                         column=MAX_XML_ELEMENTS_ENV)
    return value


class XmlElementCounter:
    """Counts the elements an XML reader has started and refuses a file past the cap."""

    def __init__(self, label: str, limit: int | None = None) -> None:
        self.label = label
        self.limit = max_xml_elements() if limit is None else limit
        self.count = 0

    def add(self) -> None:
        self.count += 1
        if self.count > self.limit:
            raise InputError(
                f"more than {self.limit:,} XML elements: refused as an element flood, not "
                f"read on (raise {MAX_XML_ELEMENTS_ENV} if this is a genuine list)",
                file=self.label)
