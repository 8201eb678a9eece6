"""Hypothesis strategies for name screening: realistic variants of a listed name.

Trade documents, customer master data and payment messages rarely carry a listed
party's name exactly as published. :func:`name_variants` draws the kinds of change
seen in practice (anchors-screening.md §6; nomenklatura #245/#274; CSL #61/#147):

* ``legal``: legal-form swaps and drops ("Co., Ltd." -> "Company Limited", "LLC" -> "")
* ``abbreviate``: trade abbreviations ("International" -> "INTL", "Group" -> "GRP")
* ``truncate``: a 35-character field limit (SWIFT/EDI)
* ``typo``: one inserted, dropped, replaced or swapped letter in a longer word
* ``punctuation``: punctuation lost and case changed
* ``city``: a leading or trailing city moved ("Beijing X Co." <-> "X Co. (Beijing)")
* ``transliterate``: accents dropped, other scripts written in Latin letters

Use it in your own tests::

    from hypothesis import given
    from exportscreen.testing.names import name_variants

    @given(name_variants("Huawei Technologies Co., Ltd."))
    def test_my_screening_catches_variants(variant):
        assert my_screen(variant).flagged

:func:`make_variant` applies the same changes with a :class:`random.Random`, for
benchmarks that need reproducible samples without Hypothesis.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

__all__ = ["VARIANT_KINDS", "make_variant", "name_variants"]

VARIANT_KINDS = (
    "legal",
    "abbreviate",
    "truncate",
    "typo",
    "punctuation",
    "city",
    "transliterate",
)

_LEGAL_SWAPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\bco\.?,?\s*ltd\b\.?", ("Company Limited", "CO LTD", "Co Limited", "Ltd", "")),
    (r"\bcompany limited\b", ("Co., Ltd.", "CO LTD", "Ltd.", "")),
    (r"\blimited liability company\b", ("LLC", "L.L.C.", "")),
    (r"\bl\.?l\.?c\b\.?", ("Limited Liability Company", "", "L.L.C")),
    (r"\bincorporated\b", ("Inc.", "INC", "")),
    (r"\binc\b\.?", ("Incorporated", "", "INC")),
    (r"\bcorporation\b", ("Corp.", "CORP", "Company", "")),
    (r"\bcorp\b\.?", ("Corporation", "")),
    (r"\bjoint[- ]stock company\b", ("JSC", "OAO", "AO", "")),
    (r"\bjsc\b", ("Joint Stock Company", "OAO", "")),
    (r"\bgmbh\b", ("Gesellschaft mit beschränkter Haftung", "G.m.b.H.", "")),
    (r"\blimited\b", ("Ltd", "LTD.", "")),
    (r"\bltd\b\.?", ("Limited", "")),
    (r"\bcompany\b", ("Co.", "COMP", "")),
    (r"\bco\b\.?", ("Company", "")),
    (r"\bs\.?a\.?$", ("Sociedad Anonima", "")),
    (r"\bplc\b", ("Public Limited Company", "")),
)
_ABBREVIATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\binternational\b", ("INTL", "Int'l", "INTERNATL")),
    (r"\bgroup\b", ("GRP",)),
    (r"\bcompany\b", ("COMP", "CO")),
    (r"\btechnolog(?:y|ies)\b", ("TECH", "TECHN")),
    (r"\bservices?\b", ("SRVCES", "SVCS")),
    (r"\bcommunications?\b", ("COMM", "COMMS")),
    (r"\bmanufactur(?:ing|er)\b", ("MFG",)),
    (r"\bengineering\b", ("ENG", "ENGG")),
    (r"\bindustr(?:y|ies|ial)\b", ("IND", "INDS")),
    (r"\bnational\b", ("NATL",)),
    (r"\belectronics?\b", ("ELEC",)),
    (r"\bequipment\b", ("EQPT", "EQUIP")),
    (r"\bdevelopment\b", ("DEV",)),
    (r"\binstitute\b", ("INST",)),
    (r"\bresearch\b", ("RES",)),
    (r"\bholdings?\b", ("HLDGS", "HLDG")),
    (r"\bmanagement\b", ("MGMT",)),
    (r"\btrading\b", ("TRDG",)),
    (r"\bassociation\b", ("ASSN",)),
    (r"\buniversity\b", ("UNIV",)),
    (r"\bdepartment\b", ("DEPT",)),
    (r"\bbrothers\b", ("BROS",)),
    (r"\band\b", ("&",)),
    (r"&", ("AND",)),
)
_CITIES = (
    "Beijing",
    "Shanghai",
    "Shenzhen",
    "Guangzhou",
    "Tianjin",
    "Chengdu",
    "Wuhan",
    "Xian",
    "Hangzhou",
    "Nanjing",
    "Dalian",
    "Harbin",
    "Moscow",
    "Tehran",
    "Dubai",
    "Hong Kong",
    "Istanbul",
    "Karachi",
    "Minsk",
    "Damascus",
)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _match_case(template: str, text: str) -> str:
    return text.upper() if template.isupper() else text


def _legal(name: str, rng: random.Random) -> str:
    options = [(p, r) for p, r in _LEGAL_SWAPS if re.search(p, name, re.IGNORECASE)]
    if not options:
        return f"{name} {rng.choice(('Ltd', 'LLC', 'Co.', 'Inc.', 'Corp.'))}"
    pattern, replacements = rng.choice(options)
    replacement = rng.choice(replacements)
    found = re.search(pattern, name, re.IGNORECASE)
    template = found.group() if found else ""
    out = re.sub(pattern, _match_case(template, replacement), name, count=1, flags=re.IGNORECASE)
    return " ".join(out.replace(" ,", ",").split()).strip(" ,") or name


def _abbreviate(name: str, rng: random.Random) -> str:
    options = [(p, r) for p, r in _ABBREVIATIONS if re.search(p, name, re.IGNORECASE)]
    if not options:
        return _punctuation(name, rng)
    pattern, replacements = rng.choice(options)
    return re.sub(pattern, rng.choice(replacements), name, count=1, flags=re.IGNORECASE)


def _truncate(name: str, rng: random.Random) -> str:
    return name[:35].rstrip() if len(name) > 35 else _typo(name, rng)


def _typo(name: str, rng: random.Random) -> str:
    words = [(m.start(), m.end()) for m in re.finditer(r"[^\W\d_]{5,}", name)]
    if not words:
        return _punctuation(name, rng)
    start, end = rng.choice(words)
    word = name[start:end]
    i = rng.randrange(1, len(word) - 1)  # keep the first letter, as most typos do
    letter = rng.choice(_LETTERS)
    letter = letter.upper() if word.isupper() else letter
    operation = rng.choice(("insert", "delete", "replace", "swap"))
    if operation == "insert":
        word = word[:i] + letter + word[i:]
    elif operation == "delete":
        word = word[:i] + word[i + 1 :]
    elif operation == "replace":
        word = word[:i] + letter + word[i + 1 :]
    else:
        word = word[:i] + word[i + 1] + word[i] + word[i + 2 :] if i + 1 < len(word) else word
    return name[:start] + word + name[end:]


def _punctuation(name: str, rng: random.Random) -> str:
    out = re.sub(r"[^\w\s&]", rng.choice(("", " ")), name)
    out = " ".join(out.split())
    return rng.choice((out.upper(), out.lower(), out.title(), out)) or name


def _city(name: str, rng: random.Random) -> str:
    for city in _CITIES:
        if name.lower().startswith(city.lower() + " "):
            rest = name[len(city) :].strip()
            return rng.choice((f"{rest} ({city})", f"{rest}, {city}", f"{rest} {city}"))
        for suffix in (f" ({city})", f", {city}", f" {city}"):
            if name.lower().endswith(suffix.lower()):
                return f"{city} {name[: -len(suffix)].strip()}"
    city = rng.choice(_CITIES)
    return f"{city} {name}" if rng.random() < 0.5 else f"{name} ({city})"


def _transliterate(name: str, rng: random.Random) -> str:
    from anyascii import anyascii

    folded = "".join(
        ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)
    )
    out = str(anyascii(folded))
    return out if out != name else _punctuation(name, rng)


_TRANSFORMS: dict[str, Callable[[str, random.Random], str]] = {
    "legal": _legal,
    "abbreviate": _abbreviate,
    "truncate": _truncate,
    "typo": _typo,
    "punctuation": _punctuation,
    "city": _city,
    "transliterate": _transliterate,
}


def make_variant(
    name: str, rng: random.Random, kinds: Sequence[str] = VARIANT_KINDS, changes: int = 1
) -> tuple[str, tuple[str, ...]]:
    """Apply *changes* randomly chosen kinds of change to *name*; returns (variant, kinds used).

    >>> make_variant("Huawei Technologies Co., Ltd.", random.Random(1), ["legal"])[0]
    'Huawei Technologies Company, Ltd.'
    """
    unknown = set(kinds) - set(_TRANSFORMS)
    if unknown:
        raise ValueError(f"unknown variant kinds: {', '.join(sorted(unknown))}")
    used = []
    out = name
    for _ in range(changes):
        kind = rng.choice(list(kinds))
        changed = _TRANSFORMS[kind](out, rng)
        if changed.strip():
            out = changed
            used.append(kind)
    return out, tuple(used)


def name_variants(
    name: str, kinds: Sequence[str] = VARIANT_KINDS, max_changes: int = 2
) -> SearchStrategy[str]:
    """A Hypothesis strategy of realistic variants of *name* (1..*max_changes* changes)."""
    from hypothesis import strategies as st

    def build(seed: int, changes: int) -> str:
        return make_variant(name, random.Random(seed), kinds, changes)[0]

    strategy: Any = st.builds(
        build, st.integers(min_value=0, max_value=2**32 - 1), st.integers(1, max_changes)
    )
    return strategy  # type: ignore[no-any-return]
