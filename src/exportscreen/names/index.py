"""Candidate index: which list names are worth scoring for a query.

Work must not grow as list size × queries. Every distinctive token of every list
name (words, numbers, locations, initials; not legal forms or stop words) is cut into
character trigrams of the padded token (``"$huawei$"`` -> ``$hu``, ``hua`` ...). A
trigram's weight is its inverse document frequency, ``log(N / df)``; trigrams found in
more than 5 % of names carry no weight. A query adds up, per list name, the weights
of the trigrams it shares with it (one ``numpy.bincount`` over the postings), and
the names that reach a share of the query's own trigram weight are the candidates,
best first after dividing by the square root of each name's own weight (so that, among
names sharing the query's words, those with fewer other words come first). Typos,
joined words ("SiemensAG") and truncated words still share most trigrams, so they are
found; the precise scoring happens afterwards on a few dozen
names instead of tens of thousands. A long query may be a name cut at a field limit
("OTKRYTOE AKTSIONERNOE OBSHCHESTVO N", nothing distinctive left): the names whose text
starts with it are found by binary search over the sorted texts and scored too. A typo
in a short word changes most of its trigrams ("SARV"/"SAFV" share one of four), so
short distinctive words are also indexed by their one-letter deletions (a typo of one
edit leaves a deletion in common, as in SymSpell), and up to two dozen names found that
way are scored as well, when they agree on the query's other distinctive words.

Example::

    >>> from exportscreen.names.normalize import analyze_name
    >>> index = CandidateIndex([analyze_name("Huawei Technologies Co., Ltd."),
    ...                         analyze_name("ZTE Corporation")])
    >>> index.candidates(analyze_name("Huawei Technolgies"), limit=5)
    [0]
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from .normalize import NameAnalysis, field_length
from .scoring import CLASS_WEIGHTS

__all__ = ["INDEXED_CLASSES", "CandidateIndex", "trigrams"]

INDEXED_CLASSES = frozenset({"word", "number", "location", "initial", "generic"})
_MAX_DOCUMENT_SHARE = 0.05
# a query this long may be a name cut at a data-field limit (the shortest common limit
# is SWIFT's 35 characters per line; some systems cut shorter)
CUT_QUERY_MIN_LENGTH = 30
_MAX_PREFIX_CANDIDATES = 24
_SHORT_WORD = (3, 7)  # lengths of the words indexed by their deletions
_MAX_SHORT_POSTINGS = 50  # a deletion shared by more names is no evidence
_MAX_SHORT_CANDIDATES = 24


def _deletions(token: str) -> set[str]:
    """The token, its one-letter deletions, and its letters sorted (a key two
    neighbouring letters swapped keep, when the deletions they share are too common)."""
    return ({token, "#" + "".join(sorted(token))}
            | {token[:k] + token[k + 1 :] for k in range(len(token))})


def trigrams(analysis: NameAnalysis) -> list[str]:
    """Trigrams of the padded distinctive tokens (not legal forms or stop words)."""
    return [gram for gram, _ in weighted_trigrams(analysis)]


def weighted_trigrams(analysis: NameAnalysis) -> list[tuple[str, float]]:
    """Trigrams with a share of their token's class weight: each token counts by its
    class (a generic word half a distinctive one), however long it is; the places of a
    name share one place's weight."""
    grams: list[tuple[str, float]] = []
    # places together weigh as one (a district with its street address is one place)
    places = sum(1 for c in analysis.classes if c == "location")
    for token, cls in zip(analysis.tokens, analysis.classes, strict=True):
        if cls not in INDEXED_CLASSES:
            continue
        padded = f"${token}$"
        count = len(padded) - 2
        share = CLASS_WEIGHTS[cls] / count / (places if cls == "location" else 1)
        grams.extend((padded[i : i + 3], share) for i in range(count))
    return grams


class CandidateIndex:
    """An inverted trigram index over analysed list names (see the module docstring)."""

    def __init__(self, names: Sequence[NameAnalysis]) -> None:
        self.size = len(names)
        postings: dict[str, list[int]] = defaultdict(list)
        shares: list[dict[str, float]] = []
        for position, analysis in enumerate(names):
            own: dict[str, float] = {}
            for gram, share in weighted_trigrams(analysis):
                own[gram] = own.get(gram, 0.0) + share
            shares.append(own)
            for gram in own:
                postings[gram].append(position)
        limit = max(50, int(self.size * _MAX_DOCUMENT_SHARE))
        self._postings: dict[str, np.ndarray] = {}
        self._idf: dict[str, float] = {}
        self._frequent: set[str] = set()
        for gram, positions in postings.items():
            if len(positions) > limit:
                self._frequent.add(gram)
                continue
            self._postings[gram] = np.asarray(positions, dtype=np.int32)
            self._idf[gram] = math.log(self.size / len(positions)) + 1.0
        # each name's own trigram weight: among equally good candidates the ranking
        # prefers names with less else in them (a cosine-like normalisation)
        self._norms = np.asarray(
            [
                max(sum(w * self._idf.get(g, 0.0) for g, w in own.items()), 1e-9) ** 0.5
                for own in shares
            ],
            dtype=np.float64,
        )
        # exact compare forms -> names, so an exact match is never missed
        self._exact: dict[str, list[int]] = defaultdict(list)
        for position, analysis in enumerate(names):
            self._exact[analysis.normalized].append(position)
        # short distinctive words by their one-letter deletions, for typos in them
        short: dict[str, set[int]] = defaultdict(set)
        for position, analysis in enumerate(names):
            for token, cls in zip(analysis.tokens, analysis.classes, strict=True):
                if cls == "word" and _SHORT_WORD[0] <= len(token) <= _SHORT_WORD[1]:
                    for key in _deletions(token):
                        short[key].add(position)
        self._short = {
            key: sorted(positions)
            for key, positions in short.items()
            if len(positions) <= _MAX_SHORT_POSTINGS
        }
        self._words = [
            frozenset(t for t, c in zip(a.tokens, a.classes, strict=True) if c == "word")
            for a in names
        ]
        # the texts as written (plain), sorted, for names cut at a field limit
        ordered = sorted((analysis.plain, position) for position, analysis in enumerate(names))
        self._plain = [text for text, _ in ordered]
        self._plain_positions = [position for _, position in ordered]

    def near_short_words(self, query: NameAnalysis, scores: np.ndarray | None = None) -> list[int]:
        """Positions of names with a short distinctive word one edit from one of the
        query's (sharing a one-letter deletion), most such words first, then by the
        trigram *scores* if given, at most a few dozen."""
        counts: dict[int, int] = defaultdict(int)
        words = {t for t, c in zip(query.tokens, query.classes, strict=True) if c == "word"}
        near: dict[str, set[int]] = {}  # short word -> names one edit from it
        for token in words:
            if not _SHORT_WORD[0] <= len(token) <= _SHORT_WORD[1]:
                continue
            found: set[int] = set()
            for key in _deletions(token):
                found.update(self._short.get(key, ()))
            near[token] = found
            for position in found:
                counts[position] += 1
        # the neighbours are for a typo in one short word of a name whose other
        # distinctive words agree: a name that agrees on fewer words (all of them, one
        # left out from three on) cannot reach the thresholds and is not worth scoring;
        # random names would otherwise bring two dozen such neighbours each and make
        # screening 4x slower
        needed = len(words) if len(words) <= 2 else len(words) - 1
        if needed > 1:
            # a word agrees when the name holds it, or (a short word) one edit from it;
            # a frequent short word's deletions are not indexed, so holding it counts
            counts = defaultdict(int, {
                position: count for position, count in counts.items()
                if sum(1 for w in words if w in self._words[position]
                       or position in near.get(w, ())) >= needed
            })
        # a name whose word is one edit from the query's (not merely sharing a
        # deletion, which allows two) comes first: "AQAS" is "AQSA" swapped
        from rapidfuzz.distance import OSA

        def one_edit(position: int) -> int:
            return sum(
                1 for w in near for x in self._words[position]
                if abs(len(x) - len(w)) <= 1 and OSA.distance(w, x, score_cutoff=1) <= 1
            )

        close = {p: one_edit(p) for p in counts}
        if scores is None:
            ranked = sorted(counts, key=lambda p: (-counts[p], -close[p], p))
        else:
            ranked = sorted(
                counts, key=lambda p: (-counts[p], -close[p], -scores[p] / self._norms[p], p)
            )
        return ranked[:_MAX_SHORT_CANDIDATES]

    def exact(self, query: NameAnalysis) -> list[int]:
        """Positions of the names whose compare form equals the query's."""
        return list(self._exact.get(query.normalized, []))

    def starting_with(self, query: NameAnalysis) -> list[int]:
        """Positions of the names whose plain text starts with the query's (a long query
        cut at a field limit), in text order, at most a few dozen."""
        if field_length(query.text) < CUT_QUERY_MIN_LENGTH or not query.plain:
            return []
        start = bisect.bisect_left(self._plain, query.plain)
        found = []
        for k in range(start, min(start + _MAX_PREFIX_CANDIDATES, len(self._plain))):
            if not self._plain[k].startswith(query.plain):
                break
            found.append(self._plain_positions[k])
        return found

    def candidates(
        self, query: NameAnalysis, *, limit: int = 24, min_share: float = 0.35
    ) -> list[int]:
        """Positions of the names worth scoring for *query*, best first, deterministic."""
        exact = self._exact.get(query.normalized, []) + self.starting_with(query)
        shares: dict[str, float] = {}
        own = 0.0
        # a trigram no list name has is most often a typo: it counts, but at half weight
        unseen_idf = (math.log(max(self.size, 1)) + 1.0) / 2
        for gram, share in weighted_trigrams(query):
            if gram in self._postings:
                shares[gram] = shares.get(gram, 0.0) + share
                own += share * self._idf[gram]
            elif gram not in self._frequent:
                own += share * unseen_idf
        if not shares:
            return sorted(set(exact + self.near_short_words(query)))
        grams = sorted(shares)
        weights = np.repeat(
            np.asarray([self._idf[g] * shares[g] for g in grams]),
            [len(self._postings[g]) for g in grams],
        )
        positions = np.concatenate([self._postings[g] for g in grams])
        scores = np.bincount(positions, weights=weights, minlength=self.size)
        hits = np.flatnonzero(scores >= own * min_share)
        order = np.argsort(-scores[hits] / self._norms[hits], kind="stable")[:limit]
        found = [int(p) for p in hits[order]]
        seen = set(found)
        for p in exact + self.near_short_words(query, scores):
            if p not in seen:
                seen.add(p)
                found.append(p)
        return found
