"""Greek: ELOT 743 (ISO 843 type 2) transcription, as Greek passports write names.

Digraphs first: αι ai, ει ei, οι oi, ου ou, αυ/ευ/ηυ av/ev/iv (af/ef/if before a
voiceless consonant or at the end), γγ ng, γκ gk (g at the start of a word), γξ nx,
γχ nch, μπ b at the start of a word (mp inside), ντ d at the start (nt inside); then
one letter each: β v, γ g, δ d, ζ z, η i, θ th, ξ x, υ y, φ f, χ ch, ψ ps, ω o.
Accents and diaeresis are dropped (the diaeresis splits a digraph: ϊ, ϋ).

Lists write many Greek given names in their English form (Αλέξανδρος -> Alexandros,
listed as Alexander); ``greek_given_names.txt`` joins them as forms of one given name
(the same way ``nicknames.txt`` joins Bill and William).
"""

from __future__ import annotations

import unicodedata

__all__ = ["is_greek", "read_greek"]

_SINGLE = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
    "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p",
    "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps",
    "ω": "o",
}
_PAIRS = {"αι": "ai", "ει": "ei", "οι": "oi", "ου": "ou", "γγ": "ng", "γξ": "nx", "γχ": "nch"}
_VOICELESS = set("θκξπστφχψ")
_U_DIGRAPH = {"α": "a", "ε": "e", "η": "i"}


def is_greek(ch: str) -> bool:
    code = ord(ch)
    return 0x0370 <= code <= 0x03FF or 0x1F00 <= code <= 0x1FFF


def _strip(text: str) -> tuple[str, set[int]]:
    """Lower-case letters without accents, and the positions of a diaeresis."""
    letters: list[str] = []
    diaeresis: set[int] = set()
    for ch in unicodedata.normalize("NFD", text.lower()):
        if ch == "\u0308":
            diaeresis.add(len(letters) - 1)
        elif not unicodedata.combining(ch):
            letters.append(ch)
    return "".join(letters), diaeresis


def read_greek(text: str) -> str:
    """*text* with its Greek letters transcribed by ELOT 743; other characters kept."""
    s, diaeresis = _strip(text)
    out: list[str] = []
    i = 0
    while i < len(s):
        ch = s[i]
        nxt = s[i + 1] if i + 1 < len(s) else ""
        start = i == 0 or not is_greek(s[i - 1])
        if ch in _U_DIGRAPH and nxt == "υ" and i + 1 not in diaeresis:
            after = s[i + 2] if i + 2 < len(s) else ""
            voiceless = not after or not is_greek(after) or after in _VOICELESS
            out.append(_U_DIGRAPH[ch] + ("f" if voiceless else "v"))
            i += 2
            continue
        pair = ch + nxt
        if pair in _PAIRS and i + 1 not in diaeresis:
            out.append(_PAIRS[pair])
            i += 2
            continue
        if pair == "γκ":
            out.append("g" if start else "gk")
            i += 2
            continue
        if pair == "μπ":
            out.append("b" if start else "mp")
            i += 2
            continue
        if pair == "ντ":
            out.append("d" if start else "nt")
            i += 2
            continue
        out.append(_SINGLE.get(ch, ch))
        i += 1
    return "".join(out)
