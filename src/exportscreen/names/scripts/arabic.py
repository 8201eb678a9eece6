"""Arabic: عبد ("servant of") joined with the name after it, as lists write it.

Names built on عبد are one name in Latin lists: عبد الله -> Abdullah, عبد العزيز ->
Abdulaziz (also written Abdelaziz, Abd al-Aziz), عبد الرحمن -> Abdulrahman. The word
after عبد is read with the article as ``ul`` (the sun letters' assimilation is not
written: Abdulrahman, not Abdurrahman) and run together with ``abd``; الله is ``ullah``.
The rest of an Arabic name is transliterated letter by letter as before, and a name in
Arabic script is also compared with a Latin one as consonant skeletons (scoring.py), so
the vowels lists add (Abdelaziz/Abdulaziz) do not matter.
"""

from __future__ import annotations

import re

__all__ = ["join_abd"]

_ABD = re.compile("عبد\\s*(ال)?(\\S+)")


def _latin(word: str) -> str:
    from anyascii import anyascii

    return re.sub("[^a-z]", "", str(anyascii(word)).lower())


def _joined(match: re.Match[str]) -> str:
    article, name = match.group(1), match.group(2)
    if article and name in ("له", "لة"):  # الله
        return " abdullah "
    return f" abd{'ul' if article else ''}{_latin(name)} "


def join_abd(text: str) -> str:
    """*text* with each عبد + name read as one Latin name (عبد الله -> abdullah)."""
    if "عبد" not in text:
        return text
    return _ABD.sub(_joined, text)
