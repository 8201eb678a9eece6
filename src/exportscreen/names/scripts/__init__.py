"""Readings of names written in other scripts, for the matcher's normalisation.

``normalize.py`` calls :func:`read_scripts` on every name that is not plain ASCII,
before its own transliteration (pinyin for Han, anyascii for everything else), and
:func:`script_of` to note which script the name was read from; ``scoring.py`` asks
:func:`script_views` for extra ways to compare two names; the matcher and
``compare_names`` ask :func:`alternate_texts` for the other readings of a Han name.

* Hangul (and Hanja in a Hangul text): Revised Romanization, list spellings of
  surnames (``korean.py``).
* Kana (and the kanji with it): Hepburn romaji through pykakasi (``japanese.py``).
* Thai: RTGS (``thai.py``). Greek: ELOT 743 (``greek.py``).
* Arabic: عبد + name joined (``arabic.py``).
* Han only: Mandarin (pinyin) is the reading the name is indexed under; the Korean and
  the Japanese readings are alternatives, used as the country says (KR/KP Korean,
  JP Japanese, any other Mandarin) and all three when no country is given.

docs/names.md ("Names in other scripts") describes each reading and its limits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ._data import data_lines, han_glossary
from ._numerals import han_ordinals

__all__ = [
    "KOREAN_COUNTRIES",
    "alternate_texts",
    "given_name_groups",
    "read_scripts",
    "script_of",
    "script_views",
]

KOREAN_COUNTRIES = frozenset({"KR", "KP"})
JAPANESE_COUNTRIES = frozenset({"JP"})
_HANGUL = re.compile("[\uac00-\ud7a3]")
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_THAI = re.compile("[\u0e00-\u0e7f]")
_GREEK = re.compile("[\u0370-\u03ff\u1f00-\u1fff]")
_SCRIPT_NAMES = {
    "korean": "Hangul (Revised Romanization, list spellings of surnames)",
    "japanese": "Japanese kana/kanji (Hepburn, pykakasi)",
    "thai": "Thai (RTGS)",
    "greek": "Greek (ELOT 743)",
    "han": "Han characters (Mandarin pinyin)",
}


def script_of(text: str) -> str:
    """``korean``, ``japanese``, ``thai``, ``greek``, ``han`` or ``""`` (Latin and the
    scripts read letter by letter, such as Cyrillic and Arabic)."""
    if text.isascii():
        return ""
    if _HANGUL.search(text):
        return "korean"
    if _KANA.search(text):
        return "japanese"
    if _THAI.search(text):
        return "thai"
    if _GREEK.search(text):
        return "greek"
    if _HAN.search(text):
        return "han"
    return ""


def describe(script: str, tokens: Iterable[str]) -> str:
    """"read from Hangul (...) as 'park ji seong'" for an explanation; "" for Latin."""
    if not script:
        return ""
    return f"read from {_SCRIPT_NAMES[script]} as {' '.join(tokens)!r}"


def read_scripts(text: str) -> str:
    """*text* (casefolded) with Hangul, kana, Thai, Greek and Arabic عبد read to Latin;
    Han characters and other scripts are left for the caller's transliteration."""
    script = script_of(text)
    if script == "korean":
        from .korean import hanja_to_hangul, read_hangul

        if _HAN.search(text):
            text = hanja_to_hangul(text) or text
        text = read_hangul(text)
    elif script == "japanese":
        from .japanese import read_japanese

        glossary, longest = han_glossary()
        text = read_japanese(text, glossary, longest)
    elif script == "thai":
        from .thai import read_thai

        text = read_thai(text)
    elif script == "greek":
        from .greek import read_greek

        text = read_greek(text)
    if "عبد" in text:
        from .arabic import join_abd

        text = join_abd(text)
    return text


def alternate_texts(text: str, countries: Iterable[str] = ()) -> tuple[tuple[str, str], ...]:
    """The other readings of a name written in Han characters only: ``(text to
    normalise, script)`` pairs. KR/KP: the Korean reading (its Hangul form); JP: the
    Japanese reading (romaji); another country: none (Mandarin, the primary reading);
    no country: both. Empty for every other name."""
    if text.isascii() or script_of(text) != "han":
        return ()
    codes = {c.strip().upper() for c in countries if c and c.strip()}
    korean = not codes or bool(codes & KOREAN_COUNTRIES)
    japanese = not codes or bool(codes & JAPANESE_COUNTRIES)
    out: list[tuple[str, str]] = []
    if korean:
        from .korean import hanja_to_hangul

        hangul = hanja_to_hangul(han_ordinals(text))
        if hangul is not None:
            out.append((hangul, "korean"))
    if japanese:
        import unicodedata

        from .japanese import read_japanese

        glossary, longest = han_glossary()
        folded = unicodedata.normalize("NFKC", text).casefold()
        out.append((read_japanese(folded, glossary, longest), "japanese"))
    return tuple(out)


def primary_reading_wanted(text: str, countries: Iterable[str] = ()) -> bool:
    """Whether a Han-only name is also read the Mandarin way: unless the country is
    only Korean or Japanese."""
    codes = {c.strip().upper() for c in countries if c and c.strip()}
    return not codes or bool(codes - KOREAN_COUNTRIES - JAPANESE_COUNTRIES)


@lru_cache(maxsize=1)
def given_name_groups() -> tuple[str, ...]:
    """Lines of ``a|b|c`` given-name forms to join like nicknames (Greek given names)."""
    return tuple(data_lines("greek_given_names.txt"))


KOREAN_KEY_FACTOR = 0.95
HANGUL_CONFLICT_PENALTY = 0.72


def script_views(
    query: tuple[str, tuple[str, ...]], candidate: tuple[str, tuple[str, ...]]
) -> tuple[tuple[tuple[str, ...], tuple[str, ...], float, str], ...]:
    """Other ways to compare two names given as ``(script, tokens)``: ``(query tokens,
    candidate tokens, factor, note)``. One name read from Hangul, the other not: both
    with their romanisation differences folded (:func:`korean.korean_key`), at
    ``KOREAN_KEY_FACTOR``."""
    if (query[0] == "korean") == (candidate[0] == "korean"):
        return ()
    from .korean import korean_key

    return ((tuple(korean_key(t) for t in query[1]), tuple(korean_key(t) for t in candidate[1]),
             KOREAN_KEY_FACTOR,
             "compared with Korean romanisation differences folded "
             f"(eo/o/u, k/g, Lee/Yi/Rhee ...): ×{KOREAN_KEY_FACTOR}"),)


def script_conflicts(
    query: tuple[str, str], candidate: tuple[str, str]
) -> tuple[float, str] | None:
    """Two names given as ``(script, text)``, both written in Hangul, and a syllable
    differs (김종은 / 김정은): a factor ``HANGUL_CONFLICT_PENALTY`` per differing
    syllable, and its note; else ``None``."""
    if query[0] != "korean" or candidate[0] != "korean":
        return None
    from .korean import hangul_conflicts

    count = hangul_conflicts(query[1], candidate[1])
    if not count:
        return None
    return (HANGUL_CONFLICT_PENALTY ** count,
            f"{count} different Hangul syllable(s): ×{HANGUL_CONFLICT_PENALTY}"
            + (f"^{count}" if count > 1 else ""))
