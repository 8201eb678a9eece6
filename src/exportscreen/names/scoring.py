"""Scoring two normalised names: token alignment with class weights, 0-100.

The rule (constants in :class:`ScoringParams`, documented in docs/names.md):

* Each token has a weight by class: a distinctive ``word`` 1.0, a ``number`` 1.0,
  a ``location`` 0.5, an ``initial`` 0.5, a ``generic`` word 0.45, a ``legal`` form 0.2,
  a ``stop`` word 0.15 (a matcher can pass its own weights, e.g. from word frequency).
* Tokens are aligned one to one, best pairs first. Two tokens agree when they are equal,
  when they are forms of one given name (Bill/William, ``nicknames.txt``: 0.9), when
  they are within a typo budget that grows with length (Damerau/OSA distance: 0 for one
  letter, 1 up to five, 2 up to nine, 3 up to sixteen, then a fifth of the length;
  agreement ``1 - (edits + 0.5 × edits beyond the first) / length``), when one is the
  initial of the other (0.8), or when the last token of a name of 25+ characters is the
  start of a token on the other side (a name cut at a field limit, 0.9). A slip of the
  hand (two neighbouring letters swapped, a letter doubled or a double written once) in
  a token of five letters or more costs half an edit.
* Distinctive tokens left over on *both* sides are a contradiction ("Daniel Tusk" vs
  "Donald Tusk", "Bowne of Atlanta" vs "Bowne of Boston"): each such pair counts as a
  mismatch and multiplies the score by 0.72; different generic words by 0.88; different
  numbers ("Fund VII" vs "Fund VIII") count half and multiply by 0.88.
* Tokens left over on one side only are extra detail; they count at a fraction of their
  weight (0.15-0.55, by side and by whether the names are of people or organisations:
  people's names often add or drop middle names; organisations rarely add a word and stay
  the same organisation, so a descriptive word left over counts double for them).
* Different legal forms multiply the score by 0.75 (Deutsche Bank AG vs Deutsche Bank
  GmbH; Co/Corp/Inc/Ltd are interchangeable), by 0.95 only when they are forms of one
  family from different jurisdictions (JSC vs LLC, S.A. vs LLC: one company written in
  another country's terms); places left over after the last agreeing token count
  together as one place; a number on one side only by 0.9; the
  names beside bin/ibn swapped ("X bin Y" vs "Y bin X") by 0.6; a single distinctive word
  that agrees only up to a typo by 0.9; in the matcher, one agreeing part of a person's
  multi-part name by 0.75.
* Joined or split words are compared on the run-together form ("SiemensAG",
  "van der bilt"), which can only raise the score. A name written in Arabic or Hebrew
  script is also compared with a Latin one as consonant skeletons (×0.9).
* A match made only of generic words, legal forms and stop words scores at most 50.
* A query of 30+ characters whose text starts a longer name (a data-field cut, SWIFT's
  35 characters; not when it ends with a closing quote or bracket): its
  left-over piece is ignored, the other name's words after the cut count 0.1 each (0.3
  at most), without number penalty or the generic-only cap.
* A left-over word of 4+ letters one edit from a legal form, abbreviation or generic
  word with the same first letter pairs with that word left over on the other side
  (0.8, at that word's class and weight); a word at either end one edit from the other
  name's legal form is read as that form.

score = 100 × (Σ weight × agreement) / (Σ weight counted) × penalties

Example::

    >>> compare_names("Siemens Aktiengesellschaft", "Siemens AG")
    100.0
    >>> compare_names("Daniel Tusk", "Donald Tusk") < 50
    True

References: logic-v2 (nomenklatura) weights unmatched query/result parts 0.8/0.2 and
down-weights org classes and stopwords (anchors-screening.md §1.3); the typo budget
follows rigour's length-dependent cost cliff.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from rapidfuzz.distance import OSA

from .normalize import (
    NameAnalysis,
    analyze_readings,
    consonant_skeleton,
    cut_from,
    is_address_word,
    legal_forms_translated,
    read_typo_word,
    same_given_name,
)

__all__ = [
    "CLASS_WEIGHTS",
    "Alignment",
    "ScoringParams",
    "align",
    "compare_names",
    "token_similarity",
]

Kind = Literal["person", "organization"] | None

CLASS_WEIGHTS: dict[str, float] = {
    "word": 1.0,
    "number": 1.0,
    "initial": 0.5,
    "location": 0.5,
    "generic": 0.45,
    "legal": 0.2,
    "stop": 0.15,
}
CONTENT_CLASSES = frozenset({"word", "number", "initial", "location"})
# content that names the party (a place only says where it is)
NAME_CLASSES = CONTENT_CLASSES - {"location"}
# English generic company designations used loosely and interchangeably in trade
# documents ("Homs Refinery Corporation" / "The Homs Refinery Company"); a clash
# between two of these is no evidence of a different company.
INTERCHANGEABLE_LEGAL = frozenset({"co", "corp", "inc", "ltd"})
# Arabic genealogical particles: "X bin Y" (X, son of Y) and "Y bin X" are different people.
PATRONYMIC_PARTICLES = frozenset({"bin", "ibn", "ben", "bint", "binti", "ould", "walad"})


@dataclass(frozen=True)
class ScoringParams:
    """The constants of the rule (see the module docstring); all documented in docs/names.md."""

    extra_query_person: float = 0.25
    extra_candidate_person: float = 0.15
    extra_query_organization: float = 0.55
    extra_candidate_organization: float = 0.4
    extra_query_unknown: float = 0.45
    extra_candidate_unknown: float = 0.3
    substitution_penalty: float = 0.72
    number_substitution_penalty: float = 0.88
    number_substitution_weight: float = 0.5
    particle_order_penalty: float = 0.6
    min_agreement: float = 0.0
    given_name_agreement: float = 0.9
    organization_generic_extra: float = 2.0
    skeleton_factor: float = 0.9
    legal_conflict_penalty: float = 0.75
    foreign_legal_penalty: float = 0.95
    extra_number_penalty: float = 0.9
    typo_cost: float = 1.0
    slip_cost: float = 0.5
    slip_min_length: int = 5
    initial_agreement: float = 0.8
    truncation_agreement: float = 0.9
    generic_only_cap: float = 0.5
    truncation_min_length: int = 25
    truncated_query_min_length: int = 30
    truncated_tail_weight: float = 0.1
    truncated_tail_cap: float = 0.3
    typo_word_agreement: float = 0.8
    extra_edit_cost: float = 0.5
    lone_typo_penalty: float = 0.9
    generic_substitution_penalty: float = 0.88
    lone_person_token_penalty: float = 0.75
    # two names whose numbers differ are different entities of a series (fund VII vs
    # VIII, vessel No. 8 vs No. 18): capped below the possible threshold (numbering.py)
    number_conflict_cap: float = 0.6

    def extras(self, kind: Kind) -> tuple[float, float]:
        if kind == "person":
            return self.extra_query_person, self.extra_candidate_person
        if kind == "organization":
            return self.extra_query_organization, self.extra_candidate_organization
        return self.extra_query_unknown, self.extra_candidate_unknown


DEFAULT_PARAMS = ScoringParams()


def typo_budget(length: int) -> int:
    """How many edits a token of *length* characters may carry and still agree."""
    if length <= 1:
        return 0
    if length <= 5:
        return 1
    if length <= 9:
        return 2
    if length <= 16:
        return 3
    return length // 5


def token_similarity(
    a: str,
    b: str,
    class_a: str = "word",
    class_b: str = "word",
    *,
    prefix_a: bool = False,
    prefix_b: bool = False,
    params: ScoringParams = DEFAULT_PARAMS,
) -> float:
    """Agreement of two tokens, 0..1 (see the module docstring).

    ``prefix_a`` says *a* may be a cut-off word (the last token of its name).
    """
    if a == b:
        return 1.0
    number_a, number_b = class_a == "number", class_b == "number"
    if number_a or number_b:
        return 0.0
    if class_a == "initial" or class_b == "initial":
        if class_a == "initial" and class_b == "word" and b.startswith(a):
            return params.initial_agreement
        if class_b == "initial" and class_a == "word" and a.startswith(b):
            return params.initial_agreement
        return 0.0
    if (class_a == "legal") != (class_b == "legal"):
        return 0.0
    if class_a == class_b == "word" and same_given_name(a, b):
        return params.given_name_agreement
    if prefix_a and len(a) >= 3 and len(b) > len(a) and b.startswith(a):
        return params.truncation_agreement
    if prefix_b and len(b) >= 3 and len(a) > len(b) and a.startswith(b):
        return params.truncation_agreement
    longest = max(len(a), len(b))
    budget = 1 if min(len(a), len(b)) == 2 else typo_budget(longest)
    if budget == 0 or abs(len(a) - len(b)) > budget:
        return 0.0
    distance = OSA.distance(a, b, score_cutoff=budget)
    if distance > budget:
        return 0.0
    if distance == 1 and longest >= params.slip_min_length and slip_of_the_hand(a, b):
        return max(0.0, 1.0 - params.slip_cost / longest)
    return _typo_agreement(distance, longest, params)


def slip_of_the_hand(a: str, b: str) -> bool:
    """Whether *a* and *b* differ by two neighbouring letters swapped ("Bnak"/"Bank") or
    one letter doubled ("Hhikvision"/"Hikvision"): the commonest typing slips, which
    keep every letter of the word, wherever in the word and in the name they happen."""
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        return (len(diff) == 2 and diff[1] == diff[0] + 1
                and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    if abs(len(a) - len(b)) != 1:
        return False
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    k = next((k for k in range(len(shorter)) if longer[k] != shorter[k]), len(shorter))
    return longer[:k] + longer[k + 1:] == shorter and (
        (k > 0 and longer[k] == longer[k - 1])
        or (k + 1 < len(longer) and longer[k] == longer[k + 1])
    )


def _typo_agreement(distance: int, longest: int, params: ScoringParams) -> float:
    """1 - cost × edits / length, where edits after the first cost more (real typos are
    mostly single; two or three edits are more often a different name)."""
    cost = params.typo_cost * distance + params.extra_edit_cost * max(0, distance - 1)
    return max(0.0, 1.0 - cost / longest)


@dataclass(frozen=True)
class Alignment:
    """How two names were compared: the score and the evidence behind it."""

    score: float  # 0-100
    pairs: tuple[tuple[str, str, float], ...]  # (query token, candidate token, agreement)
    substitutions: tuple[tuple[str, str], ...]  # contradicting distinctive tokens
    extra_query: tuple[str, ...]
    extra_candidate: tuple[str, ...]
    legal_query: tuple[str, ...]
    legal_candidate: tuple[str, ...]
    penalties: tuple[str, ...] = field(default=())
    compact: bool = False


def _weights(analysis: NameAnalysis, weights: Sequence[float] | None) -> Sequence[float]:
    if weights is not None:
        return weights
    return [CLASS_WEIGHTS[c] for c in analysis.classes]


def align(
    query: NameAnalysis,
    candidate: NameAnalysis,
    *,
    kind: Kind = None,
    query_weights: Sequence[float] | None = None,
    candidate_weights: Sequence[float] | None = None,
    symmetric: bool = False,
    params: ScoringParams = DEFAULT_PARAMS,
) -> Alignment:
    """Align two analysed names and score them (the rule is in the module docstring).

    When exactly one of the names was written in Arabic or Hebrew script, the names are
    also compared as consonant skeletons (those scripts leave most vowels unwritten);
    that comparison counts at 90 % and is used when it is the better one.
    """
    result = _align(
        query,
        candidate,
        kind=kind,
        query_weights=query_weights,
        candidate_weights=candidate_weights,
        symmetric=symmetric,
        params=params,
    )
    result = _script_readings(result, query, candidate, kind=kind, query_weights=query_weights,
                              candidate_weights=candidate_weights, symmetric=symmetric,
                              params=params)
    if query.abjad == candidate.abjad or result.score >= 100.0:
        return result
    skeletal = _align(
        consonant_skeleton(query),
        consonant_skeleton(candidate),
        kind=kind,
        query_weights=query_weights,
        candidate_weights=candidate_weights,
        symmetric=symmetric,
        params=params,
    )
    score = round(skeletal.score * params.skeleton_factor, 1)
    if score <= result.score:
        return result
    return replace(
        skeletal,
        score=score,
        penalties=(
            *skeletal.penalties,
            f"compared as consonant skeletons (Arabic/Hebrew script): ×{params.skeleton_factor}",
        ),
    )


def _script_readings(
    result: Alignment,
    query: NameAnalysis,
    candidate: NameAnalysis,
    **options: Any,
) -> Alignment:
    """The names/scripts hooks: two Hangul names that differ in a syllable are
    penalised; a name read from Hangul is also compared with a Latin one with the
    romanisation differences folded (``scripts.script_views``), when that is better."""
    from .scripts import script_conflicts, script_views

    conflict = script_conflicts((query.script, query.text), (candidate.script, candidate.text))
    if conflict is not None:
        factor, note = conflict
        result = replace(result, score=round(result.score * factor, 1),
                         penalties=(*result.penalties, note))
    for tokens_q, tokens_c, factor, note in script_views(
        (query.script, query.tokens), (candidate.script, candidate.tokens)
    ):
        folded = _align(replace(query, tokens=tokens_q), replace(candidate, tokens=tokens_c),
                        **options)
        score = round(folded.score * factor, 1)
        if score > result.score:
            result = replace(folded, score=score, penalties=(*folded.penalties, note))
    return result


def _align(
    query: NameAnalysis,
    candidate: NameAnalysis,
    *,
    kind: Kind = None,
    query_weights: Sequence[float] | None = None,
    candidate_weights: Sequence[float] | None = None,
    symmetric: bool = False,
    params: ScoringParams = DEFAULT_PARAMS,
) -> Alignment:
    qt, ct = query.tokens, candidate.tokens
    qc: Sequence[str] = query.classes
    cc: Sequence[str] = candidate.classes
    qw, cw = _weights(query, query_weights), _weights(candidate, candidate_weights)
    if not qt or not ct:
        return Alignment(0.0, (), (), qt, ct, (), ())
    qc, qw = _legal_form_typos(qt, qc, qw, ct, cc)
    # a cut-off last word only where a field limit can have cut the name
    # a query cut at a field limit: the list name's text starts with the query's
    cut = cut_from(query, candidate, params.truncated_query_min_length)
    last_q = len(qt) - 1 if cut or len(query.normalized) >= params.truncation_min_length else -1
    last_c = len(ct) - 1 if len(candidate.normalized) >= params.truncation_min_length else -1
    candidates: list[tuple[float, float, int, int]] = []
    for i, (a, ca) in enumerate(zip(qt, qc, strict=True)):
        la = len(a)
        for j, (b, cb) in enumerate(zip(ct, cc, strict=True)):
            if a == b:
                candidates.append((-1.0, -(qw[i] + cw[j]), i, j))
                continue
            lb = len(b)
            # fast exit: lengths too far apart for any typo budget, and no initial or cut-off
            if (
                la > 1
                and lb > 1
                and abs(la - lb) > 3
                and max(la, lb) <= 20
                and i != last_q
                and j != last_c
            ):
                continue
            sim = token_similarity(
                a, b, ca, cb, prefix_a=i == last_q, prefix_b=j == last_c, params=params
            )
            if sim > 0.0 and sim >= params.min_agreement:
                candidates.append((-sim, -(qw[i] + cw[j]), i, j))
    candidates.sort()
    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs: list[tuple[int, int, float]] = []
    for neg_sim, _, i, j in candidates:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        pairs.append((i, j, -neg_sim))
    pairs.sort()

    if len(pairs) < min(len(qt), len(ct)):
        left_q = [i for i in range(len(qt)) if i not in used_q]
        left_c = [j for j in range(len(ct)) if j not in used_c]
        qc, qw = _typo_generic_pairs(qt, qc, qw, ct, cc, cw, left_q, left_c, pairs, params)
        used_q.update(i for i, _, _ in pairs)
        used_c.update(j for _, j, _ in pairs)

    numerator = 0.0
    denominator = 0.0
    content_matched = False
    for i, j, sim in pairs:
        weight = (qw[i] + cw[j]) / 2
        numerator += weight * sim
        denominator += weight
        if sim >= 0.5 and (qc[i] in CONTENT_CLASSES or cc[j] in CONTENT_CLASSES):
            content_matched = True

    left_q = [i for i in range(len(qt)) if i not in used_q]
    left_c = [j for j in range(len(ct)) if j not in used_c]
    # a query cut at a field limit is all there in the list name's text: a word of it
    # left over is a cut-off piece ("... Co., L", "Joint" of "Joint Stock"); the list
    # name's words after the last agreeing one were never in the field and count little
    tail_c: set[int] = set()
    if cut:
        left_q = []
        last_paired = max((j for _, j, _ in pairs), default=-1)
        tail_c = {j for j in left_c if j > last_paired}
    content_q = sorted((i for i in left_q if qc[i] in CONTENT_CLASSES), key=lambda i: -qw[i])
    content_c = sorted((j for j in left_c if cc[j] in CONTENT_CLASSES), key=lambda j: -cw[j])
    substitutions = list(zip(content_q, content_c, strict=False))
    substituted_q = {i for i, _ in substitutions}
    substituted_c = {j for _, j in substitutions}
    generic_q = [i for i in left_q if qc[i] == "generic"]
    generic_c = [j for j in left_c if cc[j] == "generic"]
    generic_subs = list(zip(generic_q, generic_c, strict=False))
    substituted_q.update(i for i, _ in generic_subs)
    substituted_c.update(j for _, j in generic_subs)
    for i, j in generic_subs:
        denominator += (qw[i] + cw[j]) / 2
    number_subs = [(i, j) for i, j in substitutions if qc[i] == "number" and cc[j] == "number"]
    word_subs = [(i, j) for i, j in substitutions if (i, j) not in number_subs]
    for i, j in word_subs:
        denominator += (qw[i] + cw[j]) / 2
    for i, j in number_subs:
        denominator += params.number_substitution_weight * (qw[i] + cw[j]) / 2
    extra_q_weight, extra_c_weight = params.extras(kind)
    if symmetric:
        extra_q_weight = extra_c_weight = (extra_q_weight + extra_c_weight) / 2
    extra_q = [i for i in left_q if i not in substituted_q]
    extra_c = [j for j in left_c if j not in substituted_c]
    # an organisation that adds a descriptive word ("Systems", "Trust") is usually a
    # sibling, not the same organisation: such words count in full when left over
    generic_extra = params.organization_generic_extra if kind == "organization" else 1.0
    # places left over at the end of a name (a city, a district with its street
    # address) say where the party is: together they count as one place
    place_q = _places_around(qt, qc, extra_q, pairs, 0)
    place_c = _places_around(ct, cc, [j for j in extra_c if j not in tail_c], pairs, 1)
    for i in extra_q:
        if i not in place_q:
            denominator += qw[i] * extra_q_weight * (generic_extra if qc[i] == "generic" else 1.0)
    for j in extra_c:
        if j not in tail_c and j not in place_c:
            denominator += cw[j] * extra_c_weight * (generic_extra if cc[j] == "generic" else 1.0)
    denominator += extra_q_weight * max((qw[i] for i in place_q), default=0.0)
    denominator += extra_c_weight * max((cw[j] for j in place_c), default=0.0)
    # however many words a long name has after the cut, together they count at most
    # as much as one (names with less after the cut still come first)
    denominator += min(
        params.truncated_tail_weight * sum(cw[j] for j in tail_c), params.truncated_tail_cap
    )
    base = numerator / denominator if denominator else 0.0

    penalties: list[str] = []
    factor = 1.0
    if word_subs:
        factor *= params.substitution_penalty ** len(word_subs)
        penalties.append(
            f"{len(word_subs)} contradicting word(s): ×{params.substitution_penalty}"
            + (f"^{len(word_subs)}" if len(word_subs) > 1 else "")
        )
    if number_subs:
        factor *= params.number_substitution_penalty ** len(number_subs)
        penalties.append(
            "different numbers (a sibling entity or series?): "
            f"×{params.number_substitution_penalty}"
            + (f"^{len(number_subs)}" if len(number_subs) > 1 else "")
        )
    if generic_subs:
        factor *= params.generic_substitution_penalty ** len(generic_subs)
        penalties.append(
            f"{len(generic_subs)} different generic word(s): ×{params.generic_substitution_penalty}"
            + (f"^{len(generic_subs)}" if len(generic_subs) > 1 else "")
        )
    if kind == "person" and not symmetric:
        matched_content = sum(
            1 for i, j, sim in pairs if sim >= 0.5 and cc[j] in ("word", "initial")
        )
        candidate_content = sum(1 for c in cc if c == "word")
        if matched_content == 1 and candidate_content >= 2:
            factor *= params.lone_person_token_penalty
            penalties.append(
                f"only one part of the person's name agrees: ×{params.lone_person_token_penalty}"
            )
    content_c_count = sum(1 for c in cc if c in CONTENT_CLASSES)
    content_q_count = sum(1 for c in qc if c in CONTENT_CLASSES)
    # (the piece of a word at the end of a cut query is no typo)
    if (content_c_count == 1 or content_q_count == 1) and any(
        sim < 1.0 and (qc[i] in CONTENT_CLASSES) and not (cut and i == last_q)
        for i, _, sim in pairs
    ):
        factor *= params.lone_typo_penalty
        penalties.append(
            f"the one distinctive word agrees only up to a typo: ×{params.lone_typo_penalty}"
        )
    if _particle_order_swapped(query, candidate, pairs):
        factor *= params.particle_order_penalty
        penalties.append(
            f"names around bin/ibn/ben in a different order: ×{params.particle_order_penalty}"
        )
    legal_q = tuple(t for t, c in zip(qt, qc, strict=True) if c == "legal")
    legal_c = tuple(t for t, c in zip(ct, cc, strict=True) if c == "legal")
    distinct_q = set(legal_q) - INTERCHANGEABLE_LEGAL
    distinct_c = set(legal_c) - INTERCHANGEABLE_LEGAL
    if distinct_q and distinct_c and not distinct_q & distinct_c:
        if not legal_forms_translated(distinct_q, distinct_c):
            factor *= params.legal_conflict_penalty
            penalties.append(f"different legal forms: ×{params.legal_conflict_penalty}")
        else:
            factor *= params.foreign_legal_penalty
            penalties.append(
                "legal forms of different jurisdictions (one written in another's terms?): "
                f"×{params.foreign_legal_penalty}"
            )
    if any(qc[i] == "number" for i in extra_q) or any(
        cc[j] == "number" for j in extra_c if j not in tail_c
    ):
        factor *= params.extra_number_penalty
        penalties.append(f"number on one side only: ×{params.extra_number_penalty}")
    score = base * factor
    if number_subs and score > params.number_conflict_cap:
        score = params.number_conflict_cap
        penalties.append(
            f"different numbers (another entity of a series): capped at "
            f"{params.number_conflict_cap:g}"
        )
    # (a cut query's distinctive words may all lie beyond the cut: its whole text is
    # the evidence then)
    if (
        not cut
        and not content_matched
        and (any(c in NAME_CLASSES for c in qc) or any(c in NAME_CLASSES for c in cc))
    ):
        if score > params.generic_only_cap:
            penalties.append(f"only generic words agree: capped at {params.generic_only_cap:g}")
        score = min(score, params.generic_only_cap)

    compact_used = False
    if len(qt) != len(ct) or score < 0.9:
        compact_score = _compact_score(query, candidate, params)
        if compact_score > score:
            score = compact_score
            compact_used = True
            # the run-together comparison replaces the word-by-word evidence
            substitutions, word_subs, number_subs = [], [], []
            extra_q, extra_c = [], []
            penalties = [f"'{query.compact}' ~ '{candidate.compact}' run together"]

    return Alignment(
        score=round(100.0 * min(1.0, max(0.0, score)), 1),
        pairs=tuple((qt[i], ct[j], round(sim, 3)) for i, j, sim in pairs),
        substitutions=tuple((qt[i], ct[j]) for i, j in substitutions),
        extra_query=tuple(qt[i] for i in extra_q),
        extra_candidate=tuple(ct[j] for j in extra_c),
        legal_query=legal_q,
        legal_candidate=legal_c,
        penalties=tuple(penalties),
        compact=compact_used,
    )


def _places_around(
    tokens: Sequence[str],
    classes: Sequence[str],
    extra: list[int],
    pairs: list[tuple[int, int, float]],
    side: int,
) -> set[int]:
    """The left-over places after the name's last agreeing token, on one side (0 the
    query, 1 the other name), and those before its first when they hold an address word
    ("Moscow Region ...", "Tehran Province ..."; not "East West ...")."""
    last = max((pair[side] for pair in pairs), default=-1)
    first = min((pair[side] for pair in pairs), default=len(tokens))
    places = {k for k in extra if k > last and classes[k] == "location"}
    leading = {k for k in extra if k < first and classes[k] == "location"}
    if any(is_address_word(tokens[k]) for k in leading):
        places |= leading
    return places


def _typo_generic_pairs(
    qt: Sequence[str],
    qc: Sequence[str],
    qw: Sequence[float],
    ct: Sequence[str],
    cc: Sequence[str],
    cw: Sequence[float],
    left_q: list[int],
    left_c: list[int],
    pairs: list[tuple[int, int, float]],
    params: ScoringParams,
) -> tuple[Sequence[str], Sequence[float]]:
    """Pair a left-over query word that is one edit from a legal form, trade
    abbreviation or generic word ("TARDE", "INVKST", "LLAC", "PHHRM") with that word left
    over in the other name; the pair counts as that word, with its class and weight.
    *pairs* is extended in place."""
    classes, weights = list(qc), list(qw)
    free_c = list(left_c)
    for i in left_q:
        if classes[i] != "word" or not free_c:
            continue
        reading = read_typo_word(qt[i])
        if reading is None or len(reading[0]) != 1:
            continue
        for j in free_c:
            if ct[j] == reading[0][0]:
                classes[i], weights[i] = cc[j], cw[j]
                pairs.append((i, j, params.typo_word_agreement))
                free_c.remove(j)
                break
    pairs.sort()
    return classes, weights


def _legal_form_typos(
    qt: Sequence[str],
    qc: Sequence[str],
    qw: Sequence[float],
    ct: Sequence[str],
    cc: Sequence[str],
) -> tuple[Sequence[str], Sequence[float]]:
    """Classes and weights of the query with a typo'd legal form read as one: a word at
    either end of the name (where legal forms stand), not in the other name, one edit
    from a legal form of three letters or more that the other name has ("POTRICO
    CROP." vs "POTRICO CORP.", "... LTJD")."""
    if len(qt) < 2:
        return qc, qw
    legal_c = sorted({t for t, c in zip(ct, cc, strict=True) if c == "legal" and len(t) >= 3})
    if not legal_c:
        return qc, qw
    classes, weights = list(qc), list(qw)
    for i in {0, len(qt) - 1}:
        token = qt[i]
        if classes[i] != "word" or len(token) < 3 or token in ct:
            continue
        if any(OSA.distance(token, form, score_cutoff=1) <= 1 for form in legal_c):
            classes[i], weights[i] = "legal", CLASS_WEIGHTS["legal"]
    return classes, weights


def _particle_order_swapped(
    query: NameAnalysis, candidate: NameAnalysis, pairs: list[tuple[int, int, float]]
) -> bool:
    """True when both names use a patronymic particle and the names beside it differ:
    "X bin Y" vs "Y bin X" (the father's name after the particle is another word)."""
    q_particles = [i for i, t in enumerate(query.tokens) if t in PATRONYMIC_PARTICLES]
    c_particles = [j for j, t in enumerate(candidate.tokens) if t in PATRONYMIC_PARTICLES]
    if not q_particles or not c_particles:
        return False
    partner = {i: j for i, j, _ in pairs}
    partnered = set(partner.values())

    def swapped(qp: int, cp: int) -> bool:
        for offset in (1, -1):
            i, j = qp + offset, cp + offset
            if not (0 <= i < len(query.tokens) and 0 <= j < len(candidate.tokens)):
                continue
            if i in partner and partner[i] != j and j in partnered:
                return True
        return False

    # names written "SURNAME, Given bin Father" have several particles: one pairing
    # whose neighbours agree is enough
    return all(swapped(qp, cp) for qp in q_particles for cp in c_particles)


def _compact_score(query: NameAnalysis, candidate: NameAnalysis, params: ScoringParams) -> float:
    """Agreement of the run-together forms, for joined/split words; numbers must agree.

    Compared with and without legal forms ("SiemensAG" / "Siemens AG", "Gazprom Bank" /
    "GAZPROMBANK LTD"); only when the names have different numbers of words.
    """
    best = 0.0
    if not (query.has_long_word and candidate.has_long_word):
        return 0.0  # run-together generic words prove nothing
    for drop_legal in (False, True):
        qt = [
            t
            for t, c in zip(query.tokens, query.classes, strict=True)
            if not (drop_legal and c == "legal")
        ]
        ct = [
            t
            for t, c in zip(candidate.tokens, candidate.classes, strict=True)
            if not (drop_legal and c == "legal")
        ]
        if len(qt) != len(ct) and qt and ct:
            best = max(best, _compact_pair("".join(qt), "".join(ct), query, candidate, params))
    return best


def _compact_pair(
    a: str, b: str, query: NameAnalysis, candidate: NameAnalysis, params: ScoringParams
) -> float:
    digits_q = sorted(t for t, c in zip(query.tokens, query.classes, strict=True) if c == "number")
    digits_c = sorted(
        t for t, c in zip(candidate.tokens, candidate.classes, strict=True) if c == "number"
    )
    if digits_q != digits_c:
        return 0.0
    if len(a) < 6 or len(b) < 6:
        return 0.0
    longest = max(len(a), len(b))
    budget = typo_budget(longest)
    if abs(len(a) - len(b)) > budget:
        return 0.0
    distance = OSA.distance(a, b, score_cutoff=budget)
    if distance > budget:
        return 0.0
    return _typo_agreement(distance, longest, params)


def compare_names(a: str, b: str, *, kind: Kind = None) -> float:
    """Similarity of two names, 0-100, symmetric: ``compare_names(a, b) == compare_names(b, a)``.

    *kind* is ``"person"``, ``"organization"`` or ``None`` (unknown); it sets how much
    a word present in one name only counts.

    >>> compare_names("OAO Gazprom", "Open Joint Stock Company Gazprom")
    100.0
    >>> compare_names("Bowne of Atlanta, Inc.", "Bowne of Boston, Inc.") < 50
    True
    """
    best = 0.0
    # a name in Han characters only is read the Mandarin, Korean and Japanese ways
    for first in analyze_readings(a):
        for second in analyze_readings(b):
            forward = align(first, second, kind=kind, symmetric=True)
            backward = align(second, first, kind=kind, symmetric=True)
            best = max(best, forward.score, backward.score)
    return best
