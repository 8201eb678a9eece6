"""The list cache: where ``lists update`` installs lists and what ``default`` resolves to.

Layout under ``$EXPORTSCREEN_CACHE`` (else the platform user cache dir, via platformdirs),
one folder per source (``csl``, ``ofac-sdn``, ``ofac-cons``, ``un``, ``eu``, ``uk``)::

    lists/<source>/<sha256[:16]>/<file>            the downloaded bytes, as published
    lists/<source>/<sha256[:16]>/entries.json.gz   the parsed entries (compact form, fast to load)
    lists/<source>/current.json                    pointer + metadata of the installed list
    lists/<source>/update.lock                     held (flock) while an update installs
    lists/<source>/.staging-*/                     an update in progress (its own lock inside)

An update downloads and validates in its own staging folder, then, holding the source's
``update.lock``, moves the version folder into place, swaps ``current.json`` with
``os.replace`` (atomic on POSIX and Windows) and prunes the version folders no pointer
refers to (it keeps the installed one and the one it replaced). Concurrent updates
therefore install one after the other and the pointer never names a pruned folder.
Readers take no lock: they follow ``current.json`` and see the old list or the new one.

A damaged pointer or entry is never fatal: ``default`` falls back to the embedded snapshot
and the list's ``provenance.notices`` say why (the CLI prints them on stderr).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .models import ListProvenance, ScreeningList

__all__ = [
    "DEFAULT_MAX_LIST_AGE_DAYS",
    "cache_dir",
    "cache_lock",
    "clean_stale_staging",
    "current_list_info",
    "describe_list",
    "installed_sources",
    "list_age_days",
    "list_info",
    "lists_dir",
    "load_cached",
    "load_default",
    "make_staging",
    "max_list_age_days",
    "read_pointer",
    "stale_list_warning",
]

LIST_NAME = "csl"
LOCK_FILE = "update.lock"
STAGING_PREFIX = ".staging-"
PENDING_PREFIX = ".pending-staging-"  # a staging folder before its lock is taken
STAGING_LOCK = ".owner.lock"
# a staging folder whose owner never got to lock it (killed in the microseconds between
# creating it and locking it) is removed once it is this old
UNLOCKED_STAGING_AGE_S = 3600.0
DEFAULT_MAX_LIST_AGE_DAYS = 7  # issue 14: a week for downloaded lists; the snapshot always warns
MAX_AGE_ENV = "EXPORTSCREEN_MAX_LIST_AGE_DAYS"
CACHE_NOTICE = "could not be used"  # every cache fallback notice says this (describe_list)


def cache_dir() -> Path:
    """``$EXPORTSCREEN_CACHE`` if set, else the platform user cache dir for exportscreen."""
    env = os.environ.get("EXPORTSCREEN_CACHE")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("exportscreen", appauthor=False))


def lists_dir(source: str = LIST_NAME) -> Path:
    """The cache folder of one list source (``csl`` is what ``default`` reads)."""
    return cache_dir() / "lists" / source


def _pointer(source: str = LIST_NAME) -> Path:
    return lists_dir(source) / "current.json"


# ----------------------------------------------------------------------------- locks


def _lock(handle: IO[bytes], *, blocking: bool) -> bool:
    """An exclusive lock on an open file; False when *blocking* is off and it is held."""
    try:
        import fcntl
    except ImportError:  # Windows: one locked byte stands for the whole file
        import msvcrt

        while True:  # LK_LOCK gives up after 10 s: a blocking lock tries again
            try:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            except OSError:
                if not blocking:
                    return False
                time.sleep(0.1)
                continue
            return True
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def cache_lock(base: Path, *, blocking: bool = True) -> Iterator[bool]:
    """Hold the update lock of one source's cache folder (an OS file lock, released by the
    kernel when the process dies, so a killed update never leaves the cache locked).

    Yields whether the lock is held: always with *blocking*, else only if it was free."""
    base.mkdir(parents=True, exist_ok=True)
    with (base / LOCK_FILE).open("a+b") as handle:
        yield _lock(handle, blocking=blocking)  # closing the file releases the lock


class Staging:
    """A private staging folder, locked by its owner for as long as it exists."""

    def __init__(self, base: Path) -> None:
        # made under a name the cleaner leaves alone, locked, then renamed: a folder under
        # STAGING_PREFIX is always locked while its owner lives (between creating the lock
        # file and taking the lock, another update's cleaner could take it and remove the
        # folder); the lock is on the open file, so it survives the rename
        pending = Path(tempfile.mkdtemp(prefix=PENDING_PREFIX, dir=base))
        self._handle: IO[bytes] | None = (pending / STAGING_LOCK).open("a+b")
        _lock(self._handle, blocking=True)
        self.path = base / (STAGING_PREFIX + pending.name[len(PENDING_PREFIX):])
        pending.rename(self.path)

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def make_staging(base: Path) -> Staging:
    """A new staging folder under *base*, locked until :meth:`Staging.remove`."""
    base.mkdir(parents=True, exist_ok=True)
    return Staging(base)


def clean_stale_staging(base: Path, keep: Path | None = None) -> list[str]:
    """Remove staging folders and temporary pointer files left by killed updates.

    A staging folder is stale when its owner's lock can be taken (the owner died: the
    kernel released its lock) or, without a lock file, when it is over an hour old. Call
    it holding :func:`cache_lock` (pointer temp files are only written under that lock).
    Returns the names removed.
    """
    removed: list[str] = []
    if not base.is_dir():
        return removed
    for child in sorted(base.iterdir()):
        if keep is not None and child == keep:
            continue
        if child.is_file() and child.name.startswith(".current.json.") and \
                child.name.endswith(".tmp"):
            with contextlib.suppress(OSError):
                child.unlink()
                removed.append(child.name)
            continue
        if child.is_dir() and child.name.startswith(PENDING_PREFIX):
            # an update killed between making its folder and locking it
            with contextlib.suppress(OSError):
                if time.time() - child.stat().st_mtime > UNLOCKED_STAGING_AGE_S:
                    shutil.rmtree(child, ignore_errors=True)
                    removed.append(child.name)
            continue
        if not (child.is_dir() and child.name.startswith(STAGING_PREFIX)):
            continue
        lock_file = child / STAGING_LOCK
        try:
            handle = lock_file.open("rb")
        except OSError:
            try:
                age = time.time() - child.stat().st_mtime
            except OSError:
                continue
            if age > UNLOCKED_STAGING_AGE_S:
                shutil.rmtree(child, ignore_errors=True)
                removed.append(child.name)
            continue
        with handle:
            if _lock(handle, blocking=False):  # nobody holds it: the owner is gone
                shutil.rmtree(child, ignore_errors=True)
                removed.append(child.name)
    return removed


# ----------------------------------------------------------------------------- reading


def _pointer_state(source: str = LIST_NAME) -> tuple[dict[str, Any] | None, str | None]:
    """(metadata, None), (None, None) when nothing is installed, (None, why) when damaged."""
    path = _pointer(source)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None, None
    except (OSError, UnicodeDecodeError) as exc:
        return None, f"cannot read {path}: {exc}"
    try:
        meta = json.loads(text)
    except ValueError as exc:
        return None, f"{path} is damaged (not valid JSON: {exc})"
    if not isinstance(meta, dict) or "version" not in meta or "entries_sha256" not in meta:
        return None, f"{path} is damaged (not a list pointer)"
    return meta, None


def read_pointer(source: str = LIST_NAME) -> dict[str, Any] | None:
    """The installed list's metadata, or ``None`` when nothing usable is installed."""
    return _pointer_state(source)[0]


def _load_cached(meta: dict[str, Any], source: str = LIST_NAME) -> ScreeningList:
    from .snapshot import decode_entries

    folder = lists_dir(source) / str(meta["version"])
    blob = (folder / "entries.json.gz").read_bytes()
    if hashlib.sha256(blob).hexdigest() != meta["entries_sha256"]:
        raise ValueError("the cached entries do not match their recorded sha256")
    entries = decode_entries(blob)
    if len(entries) != meta["entries"]:
        raise ValueError("the cached entry count does not match its metadata")
    provenance = ListProvenance(
        source=meta["source"],
        format=meta.get("format", "csl-csv"),
        path=str(folder / meta.get("file", "list.csv")),
        snapshot_date=_dt.date.fromisoformat(meta["snapshot_date"]),
        sha256=meta["sha256"],
        entries=len(entries),
        rejected=int(meta.get("rejected", 0)),
        retrieved_at=_dt.datetime.fromisoformat(meta["retrieved_at"]),
        url=meta.get("url"),
        notices=tuple(meta.get("notices", ())),
    )
    return ScreeningList.model_construct(entries=entries, provenance=provenance, rejected=())


_CACHE_ERRORS = (OSError, ValueError, KeyError, TypeError, AttributeError)


def load_cached(source: str = LIST_NAME) -> tuple[ScreeningList | None, str | None]:
    """The list installed for *source*, or ``(None, why)`` when none is usable.

    ``why`` is ``None`` when nothing was ever installed, else the reason the installed
    list cannot be used (a damaged pointer, a missing or tampered entries file).
    """
    tried: set[str] = set()
    while True:
        meta, problem = _pointer_state(source)
        if meta is None:
            return None, problem
        try:
            return _load_cached(meta, source), None
        except FileNotFoundError as exc:
            # updates may have swapped the pointer and pruned this folder since we read it
            # (several in a row while this process waited): follow the pointer while it
            # moves on; a folder missing under a pointer that stays is a damaged cache
            version = str(meta.get("version"))
            if version not in tried:
                tried.add(version)
                continue
            problem = f"the cached list in {lists_dir(source)} {CACHE_NOTICE} ({exc})"
        except _CACHE_ERRORS as exc:
            # a cache of another shape (older version, edited by hand) is unusable, not fatal
            problem = f"the cached list in {lists_dir(source)} {CACHE_NOTICE} ({exc})"
        return None, problem


def load_default() -> ScreeningList:
    """The newest good CSL in the cache, else the embedded snapshot.

    A cache that cannot be read (a truncated or corrupt ``current.json``, missing or
    tampered entries) is not used: the snapshot is returned with a notice saying why.
    """
    from .snapshot import load_snapshot

    cached, problem = load_cached(LIST_NAME)
    if cached is not None:
        return cached
    snapshot = load_snapshot()
    if problem is None:
        return snapshot
    if CACHE_NOTICE not in problem:
        problem = f"the cache pointer {CACHE_NOTICE}: {problem}"
    notice = f"{problem}; using the embedded snapshot (run `exportscreen lists update`)"
    prov = snapshot.provenance.model_copy(
        update={"notices": (*snapshot.provenance.notices, notice)}
    )
    return ScreeningList.model_construct(entries=snapshot.entries, provenance=prov, rejected=())


def installed_sources() -> list[str]:
    """The sources with a cache folder (installed or damaged), sorted."""
    root = cache_dir() / "lists"
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir()
                  if p.is_dir() and (p / "current.json").exists())


# ----------------------------------------------------------------------------- age


def max_list_age_days() -> int:
    """``EXPORTSCREEN_MAX_LIST_AGE_DAYS`` (default 7): older lists get a warning."""
    from ..errors import InputError

    raw = os.environ.get(MAX_AGE_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_LIST_AGE_DAYS
    try:
        days = int(raw)
    except ValueError:
        days = -1
    if days < 0:
        raise InputError(f"not a whole number of days: {raw!r}", column=MAX_AGE_ENV)
    return days


def _list_date(prov: ListProvenance) -> _dt.date | None:
    return prov.retrieved_at.date() if prov.retrieved_at else prov.snapshot_date


def list_age_days(prov: ListProvenance, today: _dt.date | None = None) -> int | None:
    """Days since the list was retrieved (a download) or its snapshot date; None if undated."""
    when = _list_date(prov)
    if when is None:
        return None
    today = today or _dt.datetime.now(_dt.UTC).date()
    return (today - when).days


def stale_list_warning(prov: ListProvenance | dict[str, Any], today: _dt.date | None = None,
                       max_age_days: int | None = None) -> str | None:
    """A warning when the list is older than *max_age_days* (or undated), else ``None``.

    Takes the provenance or its JSON form (a report's ``provenance["list"]``).
    """
    if isinstance(prov, dict):
        prov = ListProvenance.model_validate(prov)
    limit = max_list_age_days() if max_age_days is None else max_age_days
    age = list_age_days(prov, today)
    if age is None:
        return (f"The list {prov.source} carries no date: its age is unknown and it may be "
                f"out of date (the warning limit is {limit} days).")
    if age <= limit:
        return None
    when = _list_date(prov)
    assert when is not None
    how = "retrieved" if prov.retrieved_at else "dated"
    return (f"The list {prov.source} was {how} {when.isoformat()}, {age} days ago: older "
            f"than the {limit}-day limit ({MAX_AGE_ENV}). Parties listed since then are not "
            "screened; run `exportscreen lists update`.")


def list_info(lst: ScreeningList, today: _dt.date | None = None) -> dict[str, Any]:
    """``{"source", "entries", "snapshot_date", "sha256", "path", "age_days", ...}`` of a list."""
    prov = lst.provenance
    limit = max_list_age_days()
    return {
        "source": prov.source,
        "entries": prov.entries,
        "snapshot_date": prov.snapshot_date.isoformat() if prov.snapshot_date else None,
        "sha256": prov.sha256,
        "path": prov.path,
        "format": prov.format,
        "cached": prov.retrieved_at is not None,
        "retrieved_at": prov.retrieved_at.isoformat() if prov.retrieved_at else None,
        "age_days": list_age_days(prov, today),
        "max_age_days": limit,
        "stale": stale_list_warning(prov, today, limit) is not None,
        "url": prov.url,
        "list_id": lst.list_id,
        "sources": {s: sum(1 for e in lst.entries if e.source == s) for s in lst.sources},
        "notices": list(prov.notices),
    }


def current_list_info(lists: list[ScreeningList] | None = None,
                      today: _dt.date | None = None) -> dict[str, Any]:
    """What ``lists info --format json`` prints.

    The top level describes the first list in use (``default`` unless *lists* is given:
    ``{"source", "entries", "snapshot_date", "sha256", "path"}`` and more, with
    ``age_days``); ``"lists"`` has the same for every list in use, and ``"installed"`` one
    entry per source installed in the cache by ``lists update`` (with ``"usable"`` and
    the reason when it is not).
    """
    in_use = lists if lists else [load_default()]
    infos = [list_info(lst, today) for lst in in_use]
    installed: dict[str, Any] = {}
    for source in installed_sources():
        cached, problem = load_cached(source)
        if cached is not None:
            entry = list_info(cached, today)
            entry.pop("sources", None)
            installed[source] = {"usable": True, **entry}
        else:
            installed[source] = {"usable": False, "problem": problem,
                                 "path": str(lists_dir(source))}
    return {**infos[0], "lists": infos, "installed": installed}


def describe_list(lst: ScreeningList, today: _dt.date | None = None) -> str:
    """One line for stderr saying which list is used and how old it is.

    >>> describe_list(xs.load_list("default"))  # doctest: +SKIP
    'list: US Consolidated Screening List (embedded snapshot, May 2022), 14160 entries,
    as of 2022-05-16 (1657 days old; run `exportscreen lists update`)'
    """
    prov = lst.provenance
    today = today or _dt.datetime.now(_dt.UTC).date()
    parts = [f"list: {prov.source}, {prov.entries} entries"]
    if prov.rejected:
        parts.append(f"{prov.rejected} records rejected")
    when = prov.retrieved_at.date() if prov.retrieved_at else prov.snapshot_date
    if when is not None:
        age = (today - when).days
        text = f"as of {when.isoformat()} ({age} day{'s' if age != 1 else ''} old"
        if prov.retrieved_at is None and prov.path and prov.path.startswith("<embedded>"):
            text += "; run `exportscreen lists update` for the current list"
        elif prov.retrieved_at is not None and age > max_list_age_days():
            text += "; consider `exportscreen lists update`"
        parts.append(text + ")")
    else:
        parts.append("date unknown")
    line = ", ".join(parts)
    for notice in prov.notices:
        if CACHE_NOTICE in notice:
            line += f"\nnotice: {notice}"
    return line


