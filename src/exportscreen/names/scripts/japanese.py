"""Japanese: kanji and kana read to Hepburn romaji by pykakasi, where it is installed.

pykakasi (GPL-3.0-or-later, pure Python, its own dictionary of ~10 MB, no compiled parts)
splits the text into words and gives each its Hepburn reading (山田太郎 -> yamada tarou).
It is an optional extra (``pip install 'exportscreen[japanese]'``), not a dependency:
exportscreen is Apache-2.0 and does not make a GPL package part of every install. Without
it, kana are read syllable by syllable (anyascii gives their Hepburn letters, so やまだ
still reads yamada) and kanji keep the Han reading; the explanation of a match says which
reading was used.
Before that, the company words of the Han glossaries (株式会社 -> ``kk``, 工業 ->
``industry``, 商事 -> ``trading``) are taken out and read as their gloss. Long vowels are
written as passports and the lists write them, without macrons or doubled letters
(tarou -> taro, itou -> ito, yuuko -> yuko).

Limits: a kanji name has several readings (the dictionary's most common one is taken:
東海林 may be Shoji or Tokairin); a kanji-only text is as likely Chinese, so it gets the
Japanese reading only as an alternative reading (see ``scripts.alternate_readings``).
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from typing import Any

from anyascii import anyascii

from ._numerals import han_ordinals

__all__ = ["has_kakasi", "has_kana", "read_japanese"]

_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_LONG_VOWELS = (("ou", "o"), ("oo", "o"), ("uu", "u"))


def has_kana(text: str) -> bool:
    """Whether *text* holds hiragana or katakana (then it is Japanese)."""
    return bool(_KANA.search(text))


@lru_cache(maxsize=1)
def _kakasi() -> Any:
    """pykakasi's converter, or ``None`` where the optional extra is not installed."""
    try:
        module: Any = importlib.import_module("pykakasi")
    except ImportError:
        return None
    return module.kakasi()


def has_kakasi() -> bool:
    """Whether kanji are read the Japanese way here (the ``japanese`` extra)."""
    return _kakasi() is not None


def _romaji(text: str) -> list[str]:
    converter = _kakasi()
    items = ([{"hepburn": anyascii(text).lower()}] if converter is None
             else converter.convert(text))
    words: list[str] = []
    for item in items:
        reading = str(item["hepburn"]).strip()
        if not reading:
            continue
        for old, new in _LONG_VOWELS:
            reading = reading.replace(old, new)
        words.append(reading)
    return words


def read_japanese(text: str, glossary: dict[str, str], longest: int) -> str:
    """*text* read to romaji, the glossary's words (Han company words) as their gloss and
    ordinals (第十八) as digits."""
    pieces: list[str] = []
    text = han_ordinals(text)
    start = i = 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), 1, -1):
            gloss = glossary.get(text[i : i + size])
            if gloss is not None:
                pieces.extend(_romaji(text[start:i]))
                pieces.append(gloss)
                i = start = i + size
                break
        else:
            i += 1
    pieces.extend(_romaji(text[start:]))
    return " " + " ".join(pieces) + " "
