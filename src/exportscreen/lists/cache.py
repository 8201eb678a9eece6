"""The list cache: where ``lists update`` installs lists and what ``default`` resolves to.

Layout under ``$EXPORTSCREEN_CACHE`` (else the platform user cache dir, via platformdirs)::

    lists/csl/<sha256[:16]>/list.csv          the downloaded bytes, as published
    lists/csl/<sha256[:16]>/entries.json.gz   the parsed entries (compact form, fast to load)
    lists/csl/current.json                    pointer + metadata of the installed list

An update writes a new version folder, validates it, then swaps ``current.json`` with
``os.replace`` (atomic on POSIX and Windows). Readers only ever follow ``current.json``,
so they see the old list or the new one, never a half-written one. The previous
version folder is kept; older ones are pruned.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .models import ListProvenance, ScreeningList

__all__ = ["cache_dir", "current_list_info", "describe_list", "lists_dir", "load_default"]

LIST_NAME = "csl"


def cache_dir() -> Path:
    """``$EXPORTSCREEN_CACHE`` if set, else the platform user cache dir for exportscreen."""
    env = os.environ.get("EXPORTSCREEN_CACHE")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("exportscreen", appauthor=False))


def lists_dir() -> Path:
    return cache_dir() / "lists" / LIST_NAME


def _pointer() -> Path:
    return lists_dir() / "current.json"


def read_pointer() -> dict[str, Any] | None:
    """The installed list's metadata, or ``None`` when nothing usable is installed."""
    try:
        meta: dict[str, Any] = json.loads(_pointer().read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or "version" not in meta or "entries_sha256" not in meta:
        return None
    return meta


def _load_cached(meta: dict[str, Any]) -> ScreeningList:
    from .snapshot import decode_entries

    folder = lists_dir() / str(meta["version"])
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


def load_default() -> ScreeningList:
    """The newest good list in the cache, else the embedded snapshot.

    A cache that cannot be read or fails its integrity check is not used: the
    snapshot is returned with a notice saying why.
    """
    from .snapshot import load_snapshot

    meta = read_pointer()
    if meta is not None:
        try:
            return _load_cached(meta)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            # a cache of another shape (older version, edited by hand) is unusable, not fatal
            snapshot = load_snapshot()
            notice = (f"the cached list in {lists_dir()} could not be used ({exc}); "
                      "using the embedded snapshot")
            prov = snapshot.provenance.model_copy(
                update={"notices": (*snapshot.provenance.notices, notice)}
            )
            return ScreeningList.model_construct(
                entries=snapshot.entries, provenance=prov, rejected=()
            )
    return load_snapshot()


def current_list_info() -> dict[str, Any]:
    """``{"source", "entries", "snapshot_date", "sha256", "path"}`` for what ``default`` is."""
    lst = load_default()
    prov = lst.provenance
    info: dict[str, Any] = {
        "source": prov.source,
        "entries": prov.entries,
        "snapshot_date": prov.snapshot_date.isoformat() if prov.snapshot_date else None,
        "sha256": prov.sha256,
        "path": prov.path,
        "format": prov.format,
        "cached": prov.retrieved_at is not None,
        "retrieved_at": prov.retrieved_at.isoformat() if prov.retrieved_at else None,
        "url": prov.url,
        "list_id": lst.list_id,
        "sources": {s: sum(1 for e in lst.entries if e.source == s) for s in lst.sources},
        "notices": list(prov.notices),
    }
    return info


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
        elif prov.retrieved_at is not None and age > 30:
            text += "; consider `exportscreen lists update`"
        parts.append(text + ")")
    else:
        parts.append("date unknown")
    line = ", ".join(parts)
    for notice in prov.notices:
        if "could not be used" in notice:
            line += f"\nnotice: {notice}"
    return line


