"""Ordinals in Han characters (第十八) as digits, for the readings that do not go
through normalize.py's own Han reading (Japanese, Korean)."""

from __future__ import annotations

import re

__all__ = ["han_ordinals"]

_ORDINAL = re.compile("第([〇零一二三四五六七八九十百千]+)")


def han_ordinals(text: str) -> str:
    """第 + Han numeral as digits (第十八 -> 18), as normalize.py reads Chinese text."""
    from ..normalize import _han_number

    def digits(match: re.Match[str]) -> str:
        value = _han_number(match.group(1))
        return match.group() if value is None else f" {value} "

    return _ORDINAL.sub(digits, text)
