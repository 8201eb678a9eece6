"""Korean: Hangul read by the Revised Romanization, Hanja read the Korean way.

* Each Hangul syllable is split into its letters (Unicode's algorithmic composition:
  ``0xAC00 + (initial × 21 + vowel) × 28 + final``) and each letter written as the
  Revised Romanization of Korean (Ministry of Culture and Tourism notice 2000-8) writes it
  at the start of a syllable or at its end: 박지성 -> ``bak ji seong``.
* A word of two to four syllables whose first syllable is a common surname is read as a
  person's name: the surname as the lists spell it (``korean_surnames.txt``: 박 -> Park,
  이 -> Lee, 김 -> Kim), each given-name syllable a token of its own, so that "Ji Sung",
  "Ji-sung" and "Jisung" all meet it (the run-together comparison takes the last).
* Other words are company words: the longest Hangul words of ``korean_glossary.txt``
  (주식회사 -> ``co ltd``, 전자 -> ``electronic``) are read as their gloss, the rest
  syllable by syllable, run together as RR writes a word.
* Hanja are read by their Korean sound (Unihan ``kHangul``, ``hanja_korean.txt``;
  the personal-name reading first where the Unihan data marks one: 金 -> 김, not 금).

The spellings lists use differ from RR mostly in vowels and in voicing (Kim Jong Un for
김정은, RR Gim Jeong-eun; Park Ji Sung for 박지성, RR Bak Ji-seong): :func:`korean_key`
folds those differences away for comparing a name read from Hangul with a Latin one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ._data import data_lines

__all__ = [
    "hangul_conflicts",
    "hanja_to_hangul",
    "is_hangul",
    "korean_key",
    "read_hangul",
]

_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
             "k", "t", "p", "h")
_VOWELS = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
           "wo", "we", "wi", "yu", "eu", "ui", "i")
_FINALS = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m",
           "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t")
_FIRST, _LAST = 0xAC00, 0xD7A3


def is_hangul(ch: str) -> bool:
    """A precomposed Hangul syllable (U+AC00-U+D7A3)."""
    return _FIRST <= ord(ch) <= _LAST


def syllable(ch: str) -> str:
    """The Revised Romanization of one Hangul syllable on its own (박 -> ``bak``)."""
    code = ord(ch) - _FIRST
    initial, rest = divmod(code, 21 * 28)
    vowel, final = divmod(rest, 28)
    return _INITIALS[initial] + _VOWELS[vowel] + _FINALS[final]


@lru_cache(maxsize=1)
def _surnames() -> dict[str, str]:
    """Hangul surname -> the spelling lists use most (first of its line)."""
    table: dict[str, str] = {}
    for line in data_lines("korean_surnames.txt"):
        hangul, _, spellings = line.partition(":")
        first = spellings.split("|")[0].strip()
        for ch in hangul.split():
            table[ch.strip()] = first
    return table


@lru_cache(maxsize=1)
def surname_groups() -> list[str]:
    """The Latin spellings of each surname as ``a|b|c`` lines (for given-name groups)."""
    return [
        "|".join(s.strip() for s in line.partition(":")[2].split("|") if s.strip())
        for line in data_lines("korean_surnames.txt")
    ]


@lru_cache(maxsize=1)
def _glossary() -> tuple[dict[str, str], int]:
    table: dict[str, str] = {}
    for line in data_lines("korean_glossary.txt"):
        head, _, rest = line.partition(":")
        words, _, _source = rest.partition("#")
        for word in words.split("|"):
            if word.strip():
                table[word.strip()] = head.strip()
    return table, max((len(k) for k in table), default=0)


def _read_word(word: str) -> str:
    surnames = _surnames()
    glossary, longest = _glossary()
    if word in glossary:
        return glossary[word]
    if 2 <= len(word) <= 4 and word[0] in surnames and word not in glossary:
        return " ".join([surnames[word[0]], *(syllable(ch) for ch in word[1:])])
    pieces: list[str] = []
    plain = ""
    i = 0
    while i < len(word):
        for size in range(min(longest, len(word) - i), 1, -1):
            gloss = glossary.get(word[i : i + size])
            if gloss is not None:
                if plain:
                    pieces.append(plain)
                pieces.append(gloss)
                plain = ""
                i += size
                break
        else:
            plain += syllable(word[i])
            i += 1
    if plain:
        pieces.append(plain)
    return " ".join(pieces)


def read_hangul(text: str) -> str:
    """Every Hangul word of *text* read as described in the module docstring; other
    characters are kept as they are."""
    out: list[str] = []
    for piece in re.split(r"([\uac00-\ud7a3]+)", text):
        if piece and is_hangul(piece[0]):
            out.append(f" {_read_word(piece)} ")
        else:
            out.append(piece)
    return "".join(out)


@lru_cache(maxsize=1)
def _hanja() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in data_lines("hanja_korean.txt"):
        han, _, hangul = line.partition("\t")
        if hangul:
            table[han] = hangul.strip()
    return table


def hanja_to_hangul(text: str) -> str | None:
    """*text* with every Hanja replaced by its Korean sound (金正恩 -> 김정은); ``None``
    when a Han character has no Korean reading in the data."""
    table = _hanja()
    out: list[str] = []
    for ch in text:
        if ch in table:
            out.append(table[ch])
        elif 0x4E00 <= ord(ch) <= 0x9FFF or 0x3400 <= ord(ch) <= 0x4DBF:
            return None
        else:
            out.append(ch)
    return "".join(out)


def hangul_conflicts(a: str, b: str) -> int:
    """How many Hangul syllables of *a* stand where *b* has another (the smaller of the
    two one-sided differences, as multisets): 김종은 / 김정은 -> 1. Two names written
    in Hangul that differ in a syllable are different names, however close the
    romanisations are (종 jong, 정 jeong)."""
    from collections import Counter

    first = Counter(ch for ch in a if is_hangul(ch))
    second = Counter(ch for ch in b if is_hangul(ch))
    return min(sum((first - second).values()), sum((second - first).values()))


_KEY_RULES = (
    ("sh", "s"), ("ch", "j"), ("eo", "o"), ("eu", "u"), ("oo", "u"), ("ou", "u"),
    ("ee", "i"), ("ui", "i"), ("ae", "e"), ("wo", "o"), ("yeo", "yo"),
)
_KEY_LETTERS = str.maketrans({"o": "u", "k": "g", "t": "d", "p": "b", "r": "l", "c": "g"})


@lru_cache(maxsize=50_000)
def korean_key(token: str) -> str:
    """A romanised Korean syllable or word with the differences between romanisations
    folded away: surnames to one spelling (Lee/Yi/Rhee -> lee), then eo/o/u/eu,
    ee/i, ae/e, sh/s, ch/j, k/g, t/d, p/b and r/l merged: "Jeong", "Jung" and "Jong"
    -> ``jung``; "Seong"/"Sung" -> ``sung``."""
    surname = _surname_key().get(token)
    if surname is not None:
        return surname
    if token.isdigit():
        return token
    for old, new in _KEY_RULES:
        token = token.replace(old, new)
    return token.translate(_KEY_LETTERS)


@lru_cache(maxsize=1)
def _surname_key() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in surname_groups():
        spellings = line.split("|")
        for spelling in spellings:
            table.setdefault(spelling, spellings[0])
    return table
