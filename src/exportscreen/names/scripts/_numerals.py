"""Ordinals in Han characters (第十八) as digits, for the readings that do not go
through normalize.py's own Han reading (Japanese, Korean)."""

from __future__ import annotations

import re

__all__ = ["han_ordinals"]

_HAN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
               "六": 6, "七": 7, "八": 8, "九": 9}
_HAN_UNITS = {"十": 10, "百": 100, "千": 1000}


def _han_number(text: str) -> int | None:
    """The value of a Han numeral below 10,000 (十四 14, 五十四 54, 一百零八 108,
    二〇一 201 read digit by digit); ``None`` when *text* is not one."""
    if not text:
        return None
    if not any(ch in _HAN_UNITS for ch in text):  # digit by digit: 二〇一
        return int("".join(str(_HAN_DIGITS[ch]) for ch in text)) if all(
            ch in _HAN_DIGITS for ch in text) else None
    total, digit, last_unit = 0, None, 10_000
    for ch in text:
        if ch in _HAN_DIGITS:
            if digit is not None and _HAN_DIGITS[ch] != 0:
                return None  # two digits in a row inside a unit numeral
            digit = _HAN_DIGITS[ch] or None
        elif ch in _HAN_UNITS:
            unit = _HAN_UNITS[ch]
            if unit >= last_unit:
                return None
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            return None
    return total + (digit or 0)

_ORDINAL = re.compile("第([〇零一二三四五六七八九十百千]+)")


def han_ordinals(text: str) -> str:
    """第 + Han numeral as digits (第十八 -> 18), as normalize.py reads Chinese text."""
    def digits(match: re.Match[str]) -> str:
        value = _han_number(match.group(1))
        return match.group() if value is None else f" {value} "

    return _ORDINAL.sub(digits, text)
