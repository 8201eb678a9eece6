"""``lists update``: download a list, validate it, install it atomically under a lock.

Nothing is replaced until the new list has been downloaded completely, read by
:func:`~exportscreen.lists.load_list` in strict mode and checked; any failure leaves the
installed list (or the embedded snapshot) exactly as it was and raises :class:`UpdateError`.

Sources (``--source``, data in ``lists/data/sources.json`` with the publisher's page):
``csl`` (the default), ``ofac-sdn``, ``ofac-cons``, ``un``, ``eu``, ``uk``. Each has its
own cache folder; ``default`` reads the ``csl`` one.

Checks, in order: a reader for the source's format exists in this version; the HTTP status;
the content type (never an HTML error page); the byte count against ``Content-Length`` (a
truncated download fails); the unpacked size (a compressed download is unpacked within the
caps of :mod:`exportscreen.lists.unpack`); strict parsing of every record, in the format the
source publishes; at least ``min_ratio`` times as many entries as the list installed for that
source now (a half-empty file from a broken mirror fails).

Concurrency: the download and validation happen in a private staging folder; the install
(moving the version folder in, swapping ``current.json``, pruning) holds the source's
``update.lock`` (:func:`~exportscreen.lists.cache.cache_lock`), so concurrent updates install
one after another and never prune a folder a pointer names. Staging folders of killed
updates are removed by the next update.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import shutil
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ExportScreenError, InputError, OutputError
from ..io.write import write_bytes_atomic
from .cache import (
    cache_lock,
    clean_stale_staging,
    lists_dir,
    load_cached,
    load_default,
    make_staging,
    read_pointer,
)
from .models import ScreeningList

__all__ = ["OFFICIAL_CSL_URL", "SOURCES", "ListSource", "UpdateError", "UpdateResult",
           "list_sources", "update_list"]

ACCEPTED_TYPES = frozenset({
    "text/csv", "application/csv", "text/plain", "application/octet-stream",
    "application/json", "text/json", "application/vnd.ms-excel", "text/comma-separated-values",
    "binary/octet-stream", "application/gzip", "application/x-gzip",
    "application/xml", "text/xml", "application/zip", "application/x-zip-compressed",
})
USER_AGENT = "exportscreen-list-update (+https://pypi.org/project/exportscreen/)"
CHUNK = 64 * 1024


@dataclass(frozen=True)
class ListSource:
    """One downloadable list: its official address, page and the format it is published in."""

    id: str
    title: str
    publisher: str
    url: str
    page: str
    formats: tuple[str, ...]
    file: str
    checked: str


@cache
def list_sources() -> dict[str, ListSource]:
    """The sources ``lists update --source`` knows, from ``lists/data/sources.json``."""
    raw = json.loads(resources.files("exportscreen.lists").joinpath("data/sources.json")
                     .read_text("utf-8"))
    return {key: ListSource(id=key, title=v["title"], publisher=v["publisher"], url=v["url"],
                            page=v["page"], formats=tuple(v["formats"]), file=v["file"],
                            checked=v["checked"])
            for key, v in raw["sources"].items()}


SOURCES = tuple(list_sources())
OFFICIAL_CSL_URL = list_sources()["csl"].url


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
    source: str = "csl"
    format: str = "csl-csv"
    removed_staging: tuple[str, ...] = ()


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
                f"(expected CSV, JSON, XML or an archive) from {url}"
            )
        length_header = response.headers.get("Content-Length")
        expected = int(length_header) if length_header and length_header.isdigit() else None
        digest = hashlib.sha256()
        received = 0
        with target.open("wb") as fh, tqdm(
            total=expected, unit="B", unit_scale=True, desc="downloading list",
            disable=not progress, file=sys.stderr, leave=False,
        ) as bar:
            # read1: what has arrived, so a slow download is written as it comes
            read = getattr(response, "read1", response.read)
            while True:
                try:
                    chunk = read(CHUNK)
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
    source: str = "csl",
    min_ratio: float = 0.5,
    timeout: float = 60.0,
    progress: bool = True,
) -> UpdateResult:
    """Download *source* (default the CSL) from its official address, or *url*, and install it.

    Raises :class:`UpdateError` on any failure; the list in use stays unchanged.

    Example::

        >>> from exportscreen.lists.update import update_list
        >>> result = update_list(source="un")          # doctest: +SKIP
        >>> result.entries, result.diff_summary        # doctest: +SKIP
    """
    from .loader import FORMATS, load_list
    from .snapshot import encode_entries

    sources = list_sources()
    if source not in sources:
        raise InputError(f"unknown list source {source!r}; one of {', '.join(sources)}",
                         column="source")
    spec = sources[source]
    url = url or spec.url
    if not 0 <= min_ratio <= 1:
        raise InputError(f"min_ratio must be between 0 and 1, got {min_ratio}", column="min_ratio")
    if urllib.parse.urlsplit(url).scheme.lower() not in ("http", "https", "file"):
        raise InputError(f"the URL must start with https://, http:// or file://, not {url!r}",
                         column="url")
    if not 0 < timeout < float("inf"):  # also false for NaN
        raise InputError(f"timeout must be a positive number of seconds, got {timeout}",
                         column="timeout")
    readable = [f for f in spec.formats if f in FORMATS]
    if not readable:
        raise UpdateError(
            f"this version of exportscreen has no reader for the {spec.title} "
            f"({' or '.join(spec.formats)}), so it cannot validate a download of it"
        )
    base = lists_dir(source)
    previous: ScreeningList | None
    if source == "csl":
        previous = load_default()
    else:
        previous, _problem = load_cached(source)
    try:
        staging = make_staging(base)
        removed: list[str] = []
        # what killed updates left, even if this one fails (unless another update is
        # installing right now: then the clean-up comes with this one's install)
        with cache_lock(base, blocking=False) as free:
            if free:
                removed = clean_stale_staging(base, keep=staging.path)
    except OSError as exc:
        raise UpdateError(f"cannot write to the cache folder {base}: {exc}") from None
    try:
        download = staging.path / spec.file
        meta = _download(url, download, timeout, progress)
        try:
            loaded = load_list(download, strict=True)
        except InputError as exc:
            raise UpdateError(f"downloaded list from {url} is not valid: {exc.message}") \
                from None
        fmt = loaded.provenance.format
        if fmt not in spec.formats:
            raise UpdateError(f"the download from {url} is a {fmt} list, not the "
                              f"{' or '.join(spec.formats)} the {spec.title} is published in")
        entries = list(loaded.entries)
        previous_entries = previous.provenance.entries if previous is not None else 0
        floor = int(previous_entries * min_ratio)
        if len(entries) < max(1, floor):
            raise UpdateError(
                f"downloaded list has {len(entries)} entries, fewer than {floor} "
                f"({min_ratio:.0%} of the {previous_entries} in the list in use): "
                "refusing it as incomplete"
            )
        filename = "list.json" if fmt == "csl-json" else spec.file
        version = meta["sha256"][:16]
        folder = base / version
        blob = encode_entries(entries)
        now = _dt.datetime.now(_dt.UTC).replace(microsecond=0)
        published = loaded.provenance.snapshot_date
        # a CSL file has no publication date (its latest start_date is only a lower bound):
        # it is as current as its download; other formats carry their own date
        snapshot_date = now.date() if fmt.startswith("csl-") or published is None else published
        pointer = {
            "version": version,
            "file": filename,
            "format": fmt,
            "source": f"{spec.title} (downloaded)",
            "source_id": source,
            "url": url,
            "retrieved_at": now.isoformat(),
            "snapshot_date": snapshot_date.isoformat(),
            "sha256": meta["sha256"],
            "bytes": meta["bytes"],
            "content_type": meta["content_type"],
            "entries": len(entries),
            "entries_sha256": hashlib.sha256(blob).hexdigest(),
            "notices": list(loaded.provenance.notices),
        }
        tmp_folder = staging.path / "version"
        try:
            tmp_folder.mkdir()
            download.replace(tmp_folder / filename)
            write_bytes_atomic(tmp_folder / "entries.json.gz", blob)
        except (OSError, OutputError) as exc:
            raise UpdateError(f"cannot write the list in {staging.path}: {exc}") from None
        with cache_lock(base):
            removed += clean_stale_staging(base, keep=staging.path)
            replaced = read_pointer(source)  # under the lock: what this install replaces
            try:
                if not folder.exists():
                    tmp_folder.replace(folder)
                write_bytes_atomic(base / "current.json",
                                   (json.dumps(pointer, indent=2, ensure_ascii=False) + "\n")
                                   .encode())
            except (OSError, OutputError) as exc:
                raise UpdateError(f"cannot install the list in {base}: {exc}") from None
            _prune(base, keep={version, None if replaced is None else str(replaced["version"])})
    finally:
        staging.remove()
    installed, _problem = load_cached(source)
    if installed is None:  # pragma: no cover - another update replaced it in between
        installed = loaded
    if previous is not None:
        diff = previous.diff(installed)
        summary, unchanged = diff.summary(), diff.is_empty
    else:
        summary, unchanged = f"{len(entries)} added (first install of {source})", False
    return UpdateResult(
        path=folder / filename, entries=len(entries), sha256=meta["sha256"],
        previous_entries=previous_entries,
        previous_source=previous.provenance.source if previous is not None else "none",
        diff_summary=summary, unchanged=unchanged, source=source, format=fmt,
        removed_staging=tuple(removed),
    )


def _prune(base: Path, keep: set[str | None]) -> None:
    """Remove version folders no pointer names: keep the installed one and the one it
    replaced (a reader that read the old pointer a moment ago can still load it).

    Call it holding :func:`~exportscreen.lists.cache.cache_lock`."""
    for child in base.iterdir():
        if child.is_dir() and not child.name.startswith(".") and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)
