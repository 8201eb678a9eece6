"""The name stage: the list and its matcher, thresholds, and the name alerts."""

from __future__ import annotations

import os
import sys
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from typing import Any

from .. import names
from ..errors import InputError
from ..lists import combine_lists, load_list
from ..lists.models import ListEntry, ScreeningList
from ..names import HIT_THRESHOLD, POSSIBLE_THRESHOLD, NameMatcher, analyze_name
from ..names.matcher import identifies_someone
from .model import Alert, _num, alert_status


def _resolve_list(source: Any) -> ScreeningList:
    if isinstance(source, ScreeningList):
        return source
    if isinstance(source, (list, tuple)) and any(isinstance(s, ScreeningList) for s in source):
        return combine_lists([_resolve_list(s) for s in source])

    return load_list(source if source is not None else "default")

def _thresholds(matcher: Any, hit: float | None, possible: float | None) -> tuple[float, float]:
    hit_value = getattr(matcher, "hit_threshold", None)
    possible_value = getattr(matcher, "possible_threshold", None)
    return (
        float(hit if hit is not None else hit_value if hit_value is not None
              else names.HIT_THRESHOLD),
        float(possible if possible is not None else possible_value if possible_value is not None
              else names.POSSIBLE_THRESHOLD),
    )

def _check_thresholds(hit: float | None, possible: float | None) -> None:
    hit_value = HIT_THRESHOLD if hit is None else hit
    possible_value = POSSIBLE_THRESHOLD if possible is None else possible
    if not 0 <= possible_value <= hit_value <= 100:  # also false for NaN
        raise InputError(
            f"the score thresholds must satisfy 0 <= possible ({possible_value:g}) <= hit "
            f"({hit_value:g}) <= 100", column="--hit-threshold/--possible-threshold",
        )

def _unscreenable_name(name: str) -> str | None:
    """Why a name gives the matcher nothing to compare (so "clear" would say nothing)."""
    text = " ".join(name.split())
    if not any(ch.isalnum() for ch in text):
        return "it has no letters or digits"
    if len(text.split()) <= 4:  # a long name always has a word beyond its legal form

        analysis = analyze_name(text)
        if not analysis.tokens:
            return "it has no letters or digits the matcher can compare"
        if all(c == "legal" for c in analysis.classes):
            return "it is only a legal form"
    return None

def _only_exact(name: str) -> bool:
    """True when the matcher compares *name* only with list names written the same (it
    holds only initials, numbers, legal forms and stop words: "AT&T", "7-28")."""

    analysis = analyze_name(name)
    return bool(analysis.tokens) and not identifies_someone(analysis)

# what screen(list=...) takes
ListSource = ScreeningList | NameMatcher | str | os.PathLike[str] | Sequence[
    ScreeningList | str | os.PathLike[str]]

# matchers built by screen(), by list content and thresholds: building one takes about a
# second for the CSL, and a script that screens one row at a time must not pay it per call
_MATCHERS: OrderedDict[tuple[str, str, float, float], NameMatcher] = OrderedDict()
_MATCHERS_KEPT = 4


def list_and_matcher(
    source: Any, hit: float | None, possible: float | None
) -> tuple[ScreeningList, NameMatcher]:
    """The list to screen against and its matcher, from what ``screen(list=...)`` takes: a
    :class:`NameMatcher` (reused as it is unless other thresholds are asked for), a
    :class:`ScreeningList`, ``"default"``/``None``, a path to a list file, or a list of
    these screened together."""
    if isinstance(source, NameMatcher):
        lst = source.screening_list
        if lst is None:
            raise TypeError("list=: a NameMatcher built from a ScreeningList is needed (this "
                            "one was built from bare entries, which carry no provenance)")
        if (hit is None or float(hit) == source.hit_threshold) and (
                possible is None or float(possible) == source.possible_threshold):
            return lst, source
        return lst, NameMatcher(
            lst, params=source.params,
            hit_threshold=source.hit_threshold if hit is None else hit,
            possible_threshold=source.possible_threshold if possible is None else possible,
        )
    several = isinstance(source, list | tuple) and bool(source) and all(
        isinstance(s, ScreeningList | str | os.PathLike) for s in source)
    if not (source is None or several
            or isinstance(source, ScreeningList | str | os.PathLike)):
        raise TypeError(
            "list= takes a ScreeningList, a NameMatcher, 'default', the path of a list "
            f"file or a list of these (screened together), not {type(source).__name__}"
        )
    lst = _resolve_list(source)
    return lst, _make_matcher(lst, hit, possible)


def _make_matcher(lst: ScreeningList, hit: float | None, possible: float | None) -> NameMatcher:
    key = (lst.list_id, lst.provenance.model_dump_json(),
           HIT_THRESHOLD if hit is None else float(hit),
           POSSIBLE_THRESHOLD if possible is None else float(possible))
    cached = _MATCHERS.get(key)
    if cached is not None:
        _MATCHERS.move_to_end(key)
        return cached
    matcher = _build_matcher(lst, hit, possible)
    _MATCHERS[key] = matcher
    while len(_MATCHERS) > _MATCHERS_KEPT:
        _MATCHERS.popitem(last=False)
    return matcher


def _build_matcher(lst: ScreeningList, hit: float | None, possible: float | None) -> NameMatcher:
    return NameMatcher(
        lst,
        hit_threshold=HIT_THRESHOLD if hit is None else hit,
        possible_threshold=POSSIBLE_THRESHOLD if possible is None else possible,
    )

def _match_unique(
    matcher: Any,
    queries: Sequence[tuple[str, str | None]],
    *,
    limit: int,
    progress: bool,
    desc: str,
) -> dict[tuple[str, str | None], list[Any]]:
    """Match each distinct (name, country) once; in slices so a progress bar can advance.

    A :class:`NameMatcher` with 2,000 distinct queries or more is run in one pool of
    forked worker processes for the whole call (one per CPU; the slices are handed out as
    workers free up), instead of a new pool per slice; the results are the same, in the
    same order."""
    unique = sorted(set(queries), key=lambda q: (q[0], q[1] or ""))
    results: dict[tuple[str, str | None], list[Any]] = {}
    bar = None
    if progress and unique:
        from tqdm import tqdm  # type: ignore[import-untyped]

        bar = tqdm(total=len(unique), desc=desc, unit="name", file=sys.stderr, leave=False)
    try:
        for part, found in _matched_slices(matcher, unique, limit):
            for query, matches in zip(part, found, strict=True):
                results[query] = list(matches)
            if bar is not None:
                bar.update(len(part))
    finally:
        if bar is not None:
            bar.close()
    return results


_POOL_MIN_QUERIES = 2000
_POOL_MATCHER: NameMatcher | None = None


def _matched_slices(
    matcher: Any, unique: list[tuple[str, str | None]], limit: int
) -> Iterator[tuple[list[tuple[str, str | None]], list[list[Any]]]]:
    """(slice, its matches) for consecutive slices of *unique*, in order."""
    workers = os.cpu_count() or 1
    context = None
    if isinstance(matcher, NameMatcher) and len(unique) >= _POOL_MIN_QUERIES and workers > 1:
        import multiprocessing

        try:
            context = multiprocessing.get_context("fork")
        except ValueError:  # platforms without fork: stay in one process
            context = None
    if context is None:
        chunk = 50000
        for start in range(0, len(unique), chunk):
            part = unique[start:start + chunk]
            found = matcher.match_many([q[0] for q in part], [q[1] for q in part], limit=limit)
            yield part, found
        return
    size = max(200, min(5000, -(-len(unique) // (workers * 8))))
    parts = [unique[i:i + size] for i in range(0, len(unique), size)]
    global _POOL_MATCHER
    _POOL_MATCHER = matcher
    try:
        with context.Pool(workers) as pool:
            yield from zip(parts, pool.imap(_match_slice, [(p, limit) for p in parts]),
                           strict=True)
    finally:
        _POOL_MATCHER = None


def _match_slice(job: tuple[list[tuple[str, str | None]], int]) -> list[list[Any]]:
    part, limit = job
    matcher = _POOL_MATCHER
    if matcher is None:  # pragma: no cover - only when the pool is misused
        raise RuntimeError("no matcher in this worker")
    return [matcher.match(name, country=country, limit=limit) for name, country in part]


def _name_alert(match: Any, entry: ListEntry) -> Alert:
    score = float(match.score)
    alias = str(getattr(match, "matched_alias", "") or entry.name)
    explanation = str(getattr(match, "explanation", "") or "")
    word = "matches" if match.status == "hit" else "resembles"
    reason = (
        f"name {word} {entry.source_name or entry.source} entry {entry.id} {entry.name!r}"
        f"{' via alias ' + repr(alias) if alias != entry.name else ''} (score {_num(score)})"
        f"{': ' + explanation if explanation else ''}"
    )
    return Alert(
        kind="name", status=alert_status(str(match.status)), score=score, entry_id=entry.id,
        entry_name=entry.name, matched_alias=alias, source=entry.source,
        source_name=entry.source_name, license_requirement=entry.license_requirement or "",
        license_policy=entry.license_policy or "", reason=reason, alert_hash=entry.content_hash,
    )
