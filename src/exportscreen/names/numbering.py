"""Numbers that tell entities apart: the marker words before a number.

A fund series, a vessel or a numbered institute is told from its siblings by its number
alone. ``normalize.py`` reads every way of writing one (digits, ``#3``, ``No. 3``,
``III`` after a word, ``Third``, ``第三``) as the same digits, so the same number
written differently agrees; ``scoring.py`` caps two names whose numbers differ below the
possible threshold (``ScoringParams.number_conflict_cap``), so "Sino Iron I" / "Sino
Iron II" and 第八星風丸 / 第十八星風丸 are no match.

This module drops the word that only announces a number ("No. 3", "Nr. 3",
"Number 3"; "Nº" is "No" after NFKC), as ``#`` is dropped with punctuation.
"""

from __future__ import annotations

__all__ = ["NUMBER_MARKERS", "drop_number_markers"]

NUMBER_MARKERS = frozenset({"no", "nr", "nro", "number", "num", "numero"})


def drop_number_markers(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """*pairs* (token, class) without a marker word directly before a number token
    (digits) that follows another word: "Fund No 3" -> "Fund 3". A name that is only
    "No 3" keeps it."""
    if len(pairs) < 3:
        return pairs
    return [
        pair
        for position, pair in enumerate(pairs)
        if not (
            0 < position < len(pairs) - 1
            and pair[0] in NUMBER_MARKERS
            and pairs[position + 1][0].isdigit()
        )
    ]
