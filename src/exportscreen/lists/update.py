"""``lists update``: download the current CSL, validate it, install it atomically.

Nothing is replaced until the new list has been downloaded completely, parsed in
strict mode and checked; any failure leaves the installed list (or the embedded
snapshot) exactly as it was and raises :class:`UpdateError`.

Checks, in order: the HTTP status; the content type (a CSV, JSON or generic binary
type, never an HTML error page); the byte count against ``Content-Length`` (a
truncated download fails); strict parsing of every record; at least ``min_ratio``
times as many entries as the list in use now (a half-empty file from a broken
mirror fails).
"""

from __future__ import annotations

import datetime as _dt
import gzip
import hashlib
import json
import shutil
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ExportScreenError, InputError, OutputError
from ..io.write import write_bytes_atomic
from .cache import lists_dir, load_default, read_pointer

__all__ = ["OFFICIAL_CSL_URL", "UpdateError", "UpdateResult", "update_list"]

# research/anchors-screening.md §2-3: the CSV download of the trade.gov CSL
OFFICIAL_CSL_URL = (
    "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
)
ACCEPTED_TYPES = frozenset({
    "text/csv", "application/csv", "text/plain", "application/octet-stream",
    "application/json", "text/json", "application/vnd.ms-excel", "text/comma-separated-values",
    "binary/octet-stream", "application/gzip", "application/x-gzip",
})
USER_AGENT = "exportscreen-list-update (+https://pypi.org/project/exportscreen/)"
CHUNK = 64 * 1024


class UpdateError(ExportScreenError):
    """The update failed; the previously installed list is unchanged."""


@dataclass(frozen=True)
class UpdateResult:
    """What an update installed and how it differs from the list it replaced."""

    path: Path
    entries: int
    sha256: str
    previous_entries: int
    previous_source: str
    diff_summary: str
    unchanged: bool


def _download(url: str, target: Path, timeout: float, progress: bool) -> dict[str, Any]:
    from tqdm import tqdm  # type: ignore[import-untyped]

    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        raise UpdateError(f"download failed: HTTP {exc.code} {exc.reason} from {url}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise UpdateError(f"download failed: {reason} ({url})") from None
    with response:
        content_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type and content_type not in ACCEPTED_TYPES:
            raise UpdateError(
                f"download refused: content type {content_type!r} is not a list file "
                f"(expected CSV or JSON) from {url}"
            )
        length_header = response.headers.get("Content-Length")
        expected = int(length_header) if length_header and length_header.isdigit() else None
        digest = hashlib.sha256()
        received = 0
        with target.open("wb") as fh, tqdm(
            total=expected, unit="B", unit_scale=True, desc="downloading list",
            disable=not progress, file=sys.stderr, leave=False,
        ) as bar:
            while True:
                try:
                    chunk = response.read(CHUNK)
                except (OSError, ValueError) as exc:  # includes http.client.IncompleteRead
                    raise UpdateError(f"download interrupted after {received} bytes: {exc}") \
                        from None
                if not chunk:
                    break
                fh.write(chunk)
                digest.update(chunk)
                received += len(chunk)
                bar.update(len(chunk))
    if expected is not None and received != expected:
        raise UpdateError(f"download truncated: {received} of {expected} bytes from {url}")
    if received == 0:
        raise UpdateError(f"download empty: no bytes from {url}")
    return {"content_type": content_type, "bytes": received, "sha256": digest.hexdigest()}


def update_list(
    url: str | None = None,
    *,
    min_ratio: float = 0.5,
    timeout: float = 60.0,
    progress: bool = True,
) -> UpdateResult:
    """Download the CSL from *url* (default: the official trade.gov CSV) and install it.

    Raises :class:`UpdateError` on any failure; the list in use stays unchanged.

    Example::

        >>> from exportscreen.lists.update import update_list
        >>> result = update_list()                     # doctest: +SKIP
        >>> result.entries, result.diff_summary        # doctest: +SKIP
    """
    from .csl import parse_csl_csv, parse_csl_json
    from .snapshot import encode_entries

    url = url or OFFICIAL_CSL_URL
    if not 0 <= min_ratio <= 1:
        raise InputError(f"min_ratio must be between 0 and 1, got {min_ratio}", column="min_ratio")
    if urllib.parse.urlsplit(url).scheme.lower() not in ("http", "https", "file"):
        raise InputError(f"the URL must start with https://, http:// or file://, not {url!r}",
                         column="url")
    if not 0 < timeout < float("inf"):  # also false for NaN
        raise InputError(f"timeout must be a positive number of seconds, got {timeout}",
                         column="timeout")
    base = lists_dir()
    previous = load_default()
    try:
        base.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=base))
    except OSError as exc:
        raise UpdateError(f"cannot write to the cache folder {base}: {exc}") from None
    try:
        download = staging / "download"
        meta = _download(url, download, timeout, progress)
        raw = download.read_bytes()
        label = f"download from {url}"
        if raw.startswith(b"\x1f\x8b"):  # a .csv.gz mirror
            try:
                raw = gzip.decompress(raw)
            except (OSError, EOFError, zlib.error) as exc:
                raise UpdateError(f"downloaded gzip file is corrupt: {exc}") from None
        head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        try:
            if head in (b"{", b"["):
                try:
                    document = json.loads(raw.decode("utf-8-sig"))
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    raise UpdateError(f"downloaded JSON is corrupt: {exc}") from None
                entries, _rejected, notices = parse_csl_json(document, label, strict=True)
                fmt, filename = "csl-json", "list.json"
            else:
                entries, _rejected, notices = parse_csl_csv(raw, label, strict=True)
                fmt, filename = "csl-csv", "list.csv"
        except InputError as exc:
            raise UpdateError(f"downloaded list is not a valid CSL: {exc}") from None
        floor = int(previous.provenance.entries * min_ratio)
        if len(entries) < max(1, floor):
            raise UpdateError(
                f"downloaded list has {len(entries)} entries, fewer than {floor} "
                f"({min_ratio:.0%} of the {previous.provenance.entries} in the list in use): "
                "refusing it as incomplete"
            )
        version = meta["sha256"][:16]
        folder = base / version
        blob = encode_entries(entries)
        now = _dt.datetime.now(_dt.UTC).replace(microsecond=0)
        pointer = {
            "version": version,
            "file": filename,
            "format": fmt,
            "source": "US Consolidated Screening List (downloaded)",
            "url": url,
            "retrieved_at": now.isoformat(),
            "snapshot_date": now.date().isoformat(),
            "sha256": meta["sha256"],
            "bytes": meta["bytes"],
            "content_type": meta["content_type"],
            "entries": len(entries),
            "entries_sha256": hashlib.sha256(blob).hexdigest(),
            "notices": notices,
        }
        try:
            if not folder.exists():
                tmp_folder = staging / "version"
                tmp_folder.mkdir()
                download.replace(tmp_folder / filename)
                write_bytes_atomic(tmp_folder / "entries.json.gz", blob)
                try:
                    tmp_folder.replace(folder)
                except OSError:
                    if not folder.is_dir():  # not a concurrent update of the same list
                        raise
            write_bytes_atomic(base / "current.json",
                               (json.dumps(pointer, indent=2, ensure_ascii=False) + "\n").encode())
        except (OSError, OutputError) as exc:
            raise UpdateError(f"cannot install the list in {base}: {exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _prune(base, keep={version, _previous_version(previous)})
    installed = load_default()
    diff = previous.diff(installed)
    return UpdateResult(
        path=folder / filename, entries=len(entries), sha256=meta["sha256"],
        previous_entries=previous.provenance.entries, previous_source=previous.provenance.source,
        diff_summary=diff.summary(), unchanged=diff.is_empty,
    )


def _previous_version(previous: Any) -> str | None:
    path = previous.provenance.path
    if path and not path.startswith("<embedded>"):
        return Path(path).parent.name
    return None


def _prune(base: Path, keep: set[str | None]) -> None:
    """Remove version folders other than the installed one and the one before it."""
    current = read_pointer()
    if current is not None:
        keep.add(str(current["version"]))
    for child in base.iterdir():
        if child.is_dir() and not child.name.startswith(".") and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)
