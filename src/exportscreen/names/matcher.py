"""Screening names against a list: :class:`NameMatcher` and :class:`NameMatch`.

For each query the matcher (1) normalises it, (2) asks the trigram
:class:`~exportscreen.names.index.CandidateIndex` for a few dozen list names worth
scoring, (3) aligns the query with each of them (:func:`~exportscreen.names.scoring.align`),
with token weights that fall as a word gets common in the list (a word found in many
list names says less about which party is meant), (4) keeps the best alias per entry,
(5) lets a given country and entity type corroborate or count against it, and
(6) labels the result against the documented operating thresholds:

* ``HIT_THRESHOLD`` = 85: the names agree on every distinctive word, up to small
  typos, legal forms, generic words and a missing middle name. Precision on the
  nomenklatura name benchmark at 85 is 0.96 (docs/benchmarks.md).
* ``POSSIBLE_THRESHOLD`` = 70: worth an analyst's look (a sibling entity, a larger
  typo, a dropped distinctive word). This is the default cut for what is returned
  and the threshold the quality figures are reported at.

Example::

    matcher = NameMatcher(exportscreen.load_list("default"))
    for m in matcher.match("Huawei Technologies", country="CN"):
        print(m.score, m.status, m.name, m.explanation)
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from ..lists.models import ListEntry, ScreeningList
from .index import CandidateIndex
from .normalize import (
    NameAnalysis,
    analyze_name,
    analyze_readings,
    read_typo_word,
    split_aliases,
)
from .scoring import CLASS_WEIGHTS, DEFAULT_PARAMS, Alignment, Kind, ScoringParams, align

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "COUNTRY_MATCH_BONUS",
    "COUNTRY_MISMATCH_PENALTY",
    "ENTITY_TYPE_MISMATCH_PENALTY",
    "HIT_THRESHOLD",
    "IDENTIFYING_CLASSES",
    "POSSIBLE_THRESHOLD",
    "NameMatch",
    "NameMatcher",
    "identifies_someone",
]

HIT_THRESHOLD = 85.0
POSSIBLE_THRESHOLD = 70.0
COUNTRY_MATCH_BONUS = 3.0
COUNTRY_MISMATCH_PENALTY = 8.0
ENTITY_TYPE_MISMATCH_PENALTY = 10.0

Status = Literal["hit", "possible"]

_PERSON_TYPES = frozenset({"individual", "person", "people"})
_ORGANIZATION_TYPES = frozenset(
    {"entity", "organization", "organisation", "company", "legalentity", "legal entity"}
)


def _kind_of(entity_type: str | None) -> Kind:
    if not entity_type:
        return None
    lowered = entity_type.strip().casefold()
    if lowered in _PERSON_TYPES:
        return "person"
    if lowered in _ORGANIZATION_TYPES:
        return "organization"
    return None


class NameMatch(BaseModel):
    """One list entry that matches a query, with the alias that matched best and why."""

    model_config = ConfigDict(frozen=True)

    query: str
    entry_id: str
    name: str
    matched_alias: str
    score: float
    name_score: float
    status: Status | None
    source: str
    source_name: str = ""
    entity_type: str | None = None
    countries: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    license_requirement: str | None = None
    explanation: str


def status_for(
    score: float, hit: float = HIT_THRESHOLD, possible: float = POSSIBLE_THRESHOLD
) -> Status | None:
    """``hit`` at or above *hit*, ``possible`` at or above *possible*, else ``None``."""
    if score >= hit:
        return "hit"
    if score >= possible:
        return "possible"
    return None


IDENTIFYING_CLASSES = frozenset({"word", "location", "generic"})


def identifies_someone(analysis: NameAnalysis) -> bool:
    """False when a name holds only initials, numbers, legal forms and stop words ("A",
    "12", "AT&T", "Co., Ltd."): any list entry with such a token would score high
    against it while none of them says who the party is, so such a name is matched only
    with list names whose compare form is the same (``NameMatcher.match``)."""
    return any(c in IDENTIFYING_CLASSES for c in analysis.classes)


# a list name made of parts: the parent's name (often with its short name in
# brackets), a marker, then the listed subsidiary's name
_PART_MARKERS = re.compile(
    r"[.;,]?\s*\b(?:subordinate institutions?|affiliated entit(?:y|ies)|"
    r"subsidiar(?:y|ies)|affiliates?)\s*[-:\u2013\u2014]+\s*",
    re.IGNORECASE,
)
PARENT_PART_FACTOR = 0.9


def _alias_variants(name: str) -> list[tuple[str, float]]:
    """A published name as the names it stands for, each with the factor its score is
    multiplied by: alias markers split, brackets dropped, and a name made of parts
    indexed as each part (the subsidiary after "Subordinate Institution -" or
    "Affiliated Entity:", the short name in brackets with and without it, and, at
    ``PARENT_PART_FACTOR``, the parent's name, which other entries share)."""
    variants: list[tuple[str, float]] = []
    for part in split_aliases(name):
        variants.append((part, 1.0))
        if "(" in part and ")" in part:
            stripped = " ".join(_strip_brackets(part).split())
            if stripped and stripped != part:
                variants.append((stripped, 1.0))
        pieces = [p.strip(" .,;-") for p in _PART_MARKERS.split(part)]
        pieces = [p for p in pieces if p]
        if len(pieces) >= 2:
            child = pieces[-1]
            variants.append((child, 1.0))
            for parent in pieces[:-1]:
                variants.append((parent, PARENT_PART_FACTOR))
                plain = " ".join(_strip_brackets(parent).split())
                if plain and plain != parent:
                    variants.append((plain, PARENT_PART_FACTOR))
                for short in _bracketed(parent):
                    variants.append((f"{short} {child}", 1.0))
        for short in _bracketed(part):
            # a short name in brackets ("(CETC 13)", "(BIT)") is a name of its own when
            # it says who the party is (not a place or a legal form: "(Shenzhen)")
            analysis = analyze_name(short)
            if "word" in analysis.classes and len(analysis.compact) >= 3:
                variants.append((short, PARENT_PART_FACTOR if len(pieces) >= 2 else 1.0))
    return variants


def _bracketed(text: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(r"\(([^()]{2,60})\)", text)
            if m.group(1).strip()]


def _strip_brackets(text: str) -> str:
    out: list[str] = []
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(ch)
    return "".join(out)


class NameMatcher:
    """Fuzzy name screening against a list, with explanations.

    >>> from exportscreen.lists.models import ListEntry
    >>> matcher = NameMatcher([ListEntry(id="1", source="entity_list",
    ...                                  name="Huawei Technologies Co., Ltd.")])
    >>> [(m.entry_id, m.status) for m in matcher.match("HUAWEI TECHNOLOGIES COMPANY LIMITED")]
    [('1', 'hit')]
    """

    def __init__(
        self,
        lst: ScreeningList | Iterable[ListEntry],
        *,
        hit_threshold: float = HIT_THRESHOLD,
        possible_threshold: float = POSSIBLE_THRESHOLD,
        params: ScoringParams = DEFAULT_PARAMS,
    ) -> None:
        if not 0 <= possible_threshold <= hit_threshold <= 100:
            raise ValueError("thresholds must satisfy 0 <= possible <= hit <= 100")
        self.entries: tuple[ListEntry, ...] = tuple(lst)
        self.provenance = lst.provenance if isinstance(lst, ScreeningList) else None
        # the list it was built from, so screen(list=matcher) can reuse the matcher
        self.screening_list = lst if isinstance(lst, ScreeningList) else None
        self.hit_threshold = float(hit_threshold)
        self.possible_threshold = float(possible_threshold)
        self.params = params
        alias_text: list[str] = []
        alias_entry: list[int] = []
        alias_factor: list[float] = []
        analyses: list[NameAnalysis] = []
        for position, entry in enumerate(self.entries):
            seen: dict[str, int] = {}
            for published in entry.all_names:
                for variant, factor in _alias_variants(published):
                    # a name in Han characters only: each reading its country allows
                    for analysis in analyze_readings(variant, entry.countries):
                        if not analysis.tokens:
                            continue
                        known = seen.get(analysis.normalized)
                        if known is not None:
                            alias_factor[known] = max(alias_factor[known], factor)
                            continue
                        seen[analysis.normalized] = len(analyses)
                        alias_text.append(variant)
                        alias_entry.append(position)
                        alias_factor.append(factor)
                        analyses.append(analysis)
        self._alias_text = alias_text
        self._alias_entry = alias_entry
        self._alias_factor = alias_factor
        self._analyses = analyses
        document_frequency: Counter[str] = Counter()
        per_entry: dict[int, set[str]] = {}
        for analysis, position in zip(analyses, alias_entry, strict=True):
            per_entry.setdefault(position, set()).update(analysis.tokens)
        for tokens in per_entry.values():
            document_frequency.update(tokens)
        self._df = document_frequency
        self._alias_weights = [self._weights(a) for a in analyses]
        self._index = CandidateIndex(analyses)

    # -- weights -----------------------------------------------------------------

    def _token_weight(self, token: str, cls: str) -> float:
        weight = CLASS_WEIGHTS[cls]
        if cls == "word":
            df = self._df.get(token, 0)
            if df > 2:
                weight *= max(0.45, 1.0 - 0.12 * math.log2(df / 2))
        return weight

    def _weights(self, analysis: NameAnalysis) -> list[float]:
        return [
            self._token_weight(t, c) for t, c in zip(analysis.tokens, analysis.classes, strict=True)
        ]

    # -- matching ----------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def alias_count(self) -> int:
        """How many distinct names (primary names and aliases) are screened against."""
        return len(self._analyses)

    def match(
        self,
        name: str,
        country: str | None = None,
        entity_type: str | None = None,
        limit: int = 5,
        min_score: float | None = None,
    ) -> list[NameMatch]:
        """The entries whose names match *name*, best first (score, then entry id).

        *country* (ISO 3166 alpha-2) and *entity_type* (``individual``/``person`` or
        ``entity``/``organization``) corroborate or count against a match when the
        list says. Only matches scoring at least *min_score* (default: the possible
        threshold) are returned, at most *limit* of them.
        """
        if not isinstance(name, str):
            raise TypeError(f"name must be a string, not {type(name).__name__}")
        floor = self.possible_threshold if min_score is None else float(min_score)
        readings = analyze_readings(name, (country,) if country else ())
        query = readings[0]
        if not query.tokens or limit <= 0:
            return []
        # a name of initials, numbers and legal forms only ("AT&T", "7-28") would score
        # high against any name holding those tokens: only names equal to it are looked at
        exact_only = not identifies_someone(query)
        query_kind = _kind_of(entity_type)
        if query_kind is None and "legal" in query.classes:
            query_kind = "organization"  # a legal form says the query is an organisation
        country_code = country.strip().upper() if country and country.strip() else None
        best: dict[int, tuple[float, float, int, Alignment]] = {}
        readings_used: dict[int, NameAnalysis] = {}  # alias -> the query reading that won
        for query in readings:  # one, unless the name is in Han characters only
            query_weights = self._weights(query)
            for alias in (self._index.exact(query) if exact_only else
                          self._candidates(query)):
                position = self._alias_entry[alias]
                entry = self.entries[position]
                kind = query_kind or _kind_of(entry.entity_type)
                alignment = align(
                    query,
                    self._analyses[alias],
                    kind=kind,
                    query_weights=query_weights,
                    candidate_weights=self._alias_weights[alias],
                    params=self.params,
                )
                alignment = self._part_and_whole(query, alias, alignment)
                score = alignment.score
                score = self._adjust(score, entry, country_code, query_kind)
                current = best.get(position)
                if current is None or (score, alignment.score) > (current[0], current[1]):
                    best[position] = (score, alignment.score, alias, alignment)
                    readings_used[alias] = query
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], self.entries[item[0]].id))
        results: list[NameMatch] = []
        for position, (score, name_score, alias, alignment) in ranked:
            if score < floor or len(results) >= limit:
                break
            entry = self.entries[position]
            results.append(
                NameMatch(
                    query=name,
                    entry_id=entry.id,
                    name=entry.name,
                    matched_alias=self._alias_text[alias],
                    score=score,
                    name_score=name_score,
                    status=status_for(score, self.hit_threshold, self.possible_threshold),
                    source=entry.source,
                    source_name=entry.source_name,
                    entity_type=entry.entity_type,
                    countries=entry.countries,
                    programs=entry.programs,
                    license_requirement=entry.license_requirement,
                    explanation=self._explain(
                        alignment,
                        self._alias_text[alias],
                        entry,
                        country_code,
                        query_kind,
                        score,
                        readings=(readings_used[alias].reading, self._analyses[alias].reading),
                    ),
                )
            )
        return results

    def _candidates(self, query: NameAnalysis) -> list[int]:
        """The index's candidates for *query*, and for the query with a word no list
        name has read as the generic word, legal form or abbreviation it is one slip
        from ("PARSIAN BNAK" is looked up as "parsian bank" too: the slip's trigrams may
        belong to unrelated names and outweigh the rest)."""
        found = self._index.candidates(query)
        tokens = list(query.tokens)
        classes = list(query.classes)
        changed = False
        for k, (token, cls) in enumerate(zip(query.tokens, query.classes, strict=True)):
            if cls != "word" or token in self._df:
                continue
            reading = read_typo_word(token)
            if reading is not None and reading[1] == ("generic",):
                tokens[k], classes[k] = reading[0][0], reading[1][0]
                changed = True
        if not changed or "word" not in classes:
            return found
        reread = NameAnalysis(query.text, tuple(tokens), tuple(classes), query.dropped,
                              query.abjad)
        seen = set(found)
        return found + [p for p in self._index.candidates(reread) if p not in seen]

    def _part_and_whole(
        self, query: NameAnalysis, alias: int, alignment: Alignment
    ) -> Alignment:
        """The alignment with the alias's factor applied (a parent's name in a list name
        of parts) and, when the query holds the list name whole, raised to the possible
        threshold (see :meth:`_holds_whole_name`)."""
        factor = self._alias_factor[alias]
        if factor != 1.0:
            alignment = replace(
                alignment,
                score=round(alignment.score * factor, 1),
                penalties=(*alignment.penalties,
                           f"the parent's part of a list name made of parts: ×{factor:g}"),
            )
        floor = min(self.possible_threshold, POSSIBLE_THRESHOLD)
        if alignment.score < floor and self._holds_whole_name(
                query, self._analyses[alias], alignment):
            alignment = replace(
                alignment,
                score=floor,
                penalties=(*alignment.penalties,
                           "the query holds the list name whole, with only places, legal "
                           f"forms and stop words added: at least {floor:g}"),
            )
        return alignment

    @staticmethod
    def _holds_whole_name(
        query: NameAnalysis, candidate: NameAnalysis, alignment: Alignment
    ) -> bool:
        """True when every word of the list name that says who the party is (not legal
        forms or stop words; two or more, a distinctive one of three letters or more among
        them) agrees with the query up to a typo, nothing contradicts, and the query adds
        only places, legal forms and stop words ("Zhejiang Dahua Technology Co., Ltd."
        holds "Dahua Technology"; "Golden Star Resources Corp." adds a word that may make
        it another company than "Golden Star Co")."""
        if alignment.compact or alignment.substitutions:
            return False
        named = [t for t, c in zip(candidate.tokens, candidate.classes, strict=True)
                 if c not in ("legal", "stop")]
        if len(named) < 2 or not any(
                c == "word" and len(t) >= 3
                for t, c in zip(candidate.tokens, candidate.classes, strict=True)):
            return False
        agreed = {b for _, b, sim in alignment.pairs if sim >= 0.85}
        if any(t not in agreed for t in named):
            return False
        query_class = dict(zip(query.tokens, query.classes, strict=True))
        return all(query_class.get(t) in ("location", "legal", "stop")
                   for t in alignment.extra_query)

    def _adjust(
        self, score: float, entry: ListEntry, country: str | None, query_kind: Kind
    ) -> float:
        if country and entry.countries:
            if country in entry.countries:
                score = min(100.0, score + COUNTRY_MATCH_BONUS)
            else:
                score = max(0.0, score - COUNTRY_MISMATCH_PENALTY)
        entry_kind = _kind_of(entry.entity_type)
        if query_kind and entry_kind and query_kind != entry_kind:
            score = max(0.0, score - ENTITY_TYPE_MISMATCH_PENALTY)
        return round(score, 1)

    def _explain(
        self,
        alignment: Alignment,
        alias: str,
        entry: ListEntry,
        country: str | None,
        query_kind: Kind,
        score: float,
        readings: tuple[str, str] = ("", ""),
    ) -> str:
        which = "alias" if alias != entry.name else "the name"
        parts = [f"name score {alignment.score:g} against {which} {alias!r}"]
        # names in other scripts: how each side was read (names/scripts)
        parts.extend(f"{side} {note}" for side, note in zip(
            ("the query", "the list name"), readings, strict=True) if note)
        shown = () if alignment.compact else alignment.pairs
        exact = [a for a, b, s in shown if a == b]
        fuzzy = [f"{a!r}~{b!r}" for a, b, s in shown if a != b]
        if exact:
            parts.append("same words: " + ", ".join(repr(a) for a in exact))
        if fuzzy:
            parts.append("near words (typo, initial or cut-off): " + ", ".join(fuzzy))
        if alignment.compact:
            parts.append(
                "the names agree when their words are run together (joined or split words)"
            )
        if alignment.substitutions:
            parts.append(
                "different words: "
                + ", ".join(f"{a!r} vs {b!r}" for a, b in alignment.substitutions)
            )
        if alignment.extra_query:
            parts.append("only in the query: " + ", ".join(repr(t) for t in alignment.extra_query))
        if alignment.extra_candidate:
            parts.append(
                "only in the list name: " + ", ".join(repr(t) for t in alignment.extra_candidate)
            )
        if alignment.legal_query or alignment.legal_candidate:
            parts.append("legal forms count little")
        parts.extend(alignment.penalties)
        if country and entry.countries:
            if country in entry.countries:
                parts.append(f"country {country} agrees with the list (+{COUNTRY_MATCH_BONUS:g})")
            else:
                parts.append(
                    f"country {country} is not the list's {', '.join(entry.countries)} "
                    f"(-{COUNTRY_MISMATCH_PENALTY:g})"
                )
        entry_kind = _kind_of(entry.entity_type)
        if query_kind and entry_kind and query_kind != entry_kind:
            parts.append(
                f"the list entry is {'a person' if entry_kind == 'person' else 'an organisation'}"
                f" (-{ENTITY_TYPE_MISMATCH_PENALTY:g})"
            )
        parts.append(f"final score {score:g}")
        return "; ".join(parts)

    # -- batches -----------------------------------------------------------------

    def match_many(
        self,
        names: Sequence[str],
        countries: Sequence[str | None] | None = None,
        limit: int = 1,
        *,
        min_score: float | None = None,
        workers: int | None = None,
    ) -> list[list[NameMatch]]:
        """:meth:`match` for many names, in input order; uses several processes for big batches.

        *workers* defaults to the CPU count for 2,000 names or more (1 below that); results
        do not depend on it.
        """
        if countries is not None and len(countries) != len(names):
            raise ValueError("countries must have one value per name")
        jobs = [(n, None if countries is None else countries[i]) for i, n in enumerate(names)]
        if workers is None:
            workers = (os.cpu_count() or 1) if len(jobs) >= 2000 else 1
        if workers <= 1 or len(jobs) < 2 * workers:
            return [self.match(n, country=c, limit=limit, min_score=min_score) for n, c in jobs]
        import multiprocessing

        try:
            context = multiprocessing.get_context("fork")
        except ValueError:  # platforms without fork: stay in one process
            return [self.match(n, country=c, limit=limit, min_score=min_score) for n, c in jobs]
        size = math.ceil(len(jobs) / (workers * 4))
        chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
        global _WORKER_MATCHER
        _WORKER_MATCHER = self
        try:
            with context.Pool(workers) as pool:
                parts = pool.map(_match_chunk, [(chunk, limit, min_score) for chunk in chunks])
        finally:
            _WORKER_MATCHER = None
        return [result for part in parts for result in part]

    def match_frame(
        self,
        frame: pd.DataFrame,
        name_column: str = "name",
        country_column: str | None = None,
    ) -> pd.DataFrame:
        """Screen every row of *frame*; returns the rows with match columns added, in order.

        Added columns: ``match_status`` (``hit``/``possible``/``clear``), ``match_score``,
        ``matched_entry_id``, ``matched_name``, ``matched_alias``, ``matched_source``,
        ``match_explanation``. An empty name raises :class:`~exportscreen.InputError`
        naming the row and column.
        """
        from ..io.read import read_table

        required = [name_column] + ([country_column] if country_column else [])
        table = read_table(frame, required=required)
        names = list(table.frame[name_column])
        for position, value in enumerate(names):
            if not value.strip():
                raise table.error("the name is empty", position, name_column)
        countries = list(table.frame[country_column]) if country_column else None
        results = self.match_many(names, countries=countries, limit=1)
        return with_best_match_columns(frame, results)


_WORKER_MATCHER: NameMatcher | None = None


def _match_chunk(
    job: tuple[list[tuple[str, str | None]], int, float | None],
) -> list[list[NameMatch]]:
    chunk, limit, min_score = job
    matcher = _WORKER_MATCHER
    if matcher is None:  # pragma: no cover - only when a pool is misused
        raise RuntimeError("no matcher in this worker")
    return [matcher.match(n, country=c, limit=limit, min_score=min_score) for n, c in chunk]


def with_best_match_columns(
    frame: pd.DataFrame, results: Sequence[Sequence[NameMatch]]
) -> pd.DataFrame:
    """A copy of *frame* (index reset) with the best match of each row as columns:
    ``match_status`` (hit/possible/clear), ``match_score``, ``matched_entry_id``,
    ``matched_name``, ``matched_alias``, ``matched_source``, ``match_explanation``."""
    out = frame.copy().reset_index(drop=True)
    best = [r[0] if r else None for r in results]
    out["match_status"] = [m.status if m and m.status else "clear" for m in best]
    out["match_score"] = [m.score if m else 0.0 for m in best]
    out["matched_entry_id"] = [m.entry_id if m else "" for m in best]
    out["matched_name"] = [m.name if m else "" for m in best]
    out["matched_alias"] = [m.matched_alias if m else "" for m in best]
    out["matched_source"] = [m.source if m else "" for m in best]
    out["match_explanation"] = [m.explanation if m else "" for m in best]
    return out
