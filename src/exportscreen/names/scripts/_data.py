"""Reading the data files of the script readers (``names/data/``)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib import resources

__all__ = ["data_lines", "han_glossary", "mapping_file"]


def data_lines(name: str) -> list[str]:
    """The non-empty, non-comment lines of ``names/data/<name>``."""
    text = resources.files("exportscreen.names").joinpath("data").joinpath(name).read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def mapping_file(name: str) -> list[tuple[str, list[str]]]:
    """``head: a | b | c`` lines of a data file as ``(head, [a, b, c])``."""
    records = []
    for line in data_lines(name):
        head, _, rest = line.partition(":")
        records.append((head.strip(), [v.strip() for v in rest.split("|") if v.strip()]))
    return records


def _is_han(ch: str) -> bool:
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x2FA1F
    )


@lru_cache(maxsize=1)
def han_glossary() -> tuple[dict[str, str], int]:
    """Han words of the data files -> their compare form (有限公司 -> "co ltd", 科技 ->
    "technology"), and the longest word's length. Read here, at the script level, so a
    Latin name is never glossed syllable by syllable ("Wang Luo" is a name, not 网络)."""
    glossary: dict[str, str] = {}
    for name in ("han_glossary.txt", "han_trade_glossary.txt", "legal_forms.txt",
                 "abbreviations.txt"):
        for compare, variants in mapping_file(name):
            for variant in variants:
                key = unicodedata.normalize("NFKC", variant).casefold()
                if key and all(_is_han(ch) for ch in key):
                    glossary.setdefault(key, compare)
    return glossary, max((len(k) for k in glossary), default=0)
