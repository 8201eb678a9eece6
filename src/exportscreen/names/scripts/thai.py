"""Thai: the Royal Thai General System of Transcription (RTGS, Royal Institute 1999).

Thai writes no spaces inside a name and leaves short vowels unwritten, so each word is
cut into syllables by the usual spelling rule: an optional leading vowel (เ แ โ ใ ไ),
an initial consonant (with ห silent before a sonorant, and a cluster with ร/ล/ว),
vowel signs, and a final consonant when the next consonant does not start a syllable.
A syllable without a written vowel has the inherent ``o`` when closed (สม -> som) and
``a`` when open (สบาย -> sabai). Consonants take their RTGS value as initial or final
(ย final -> i, ว final -> o: ชาย chai, ดาว dao), ์ silences its consonant, tone marks
are not written.

Limits: RTGS is what the government and most lists use, but people write their own
names in older or personal spellings (วชิราลงกรณ: RTGS Wachiralongkon, written
Vajiralongkorn; ชินวัตร: RTGS Chinnawat, written Shinawatra); those come out in RTGS.
Syllable cutting follows spelling rules without a dictionary, so a few words are cut
wrongly (an inherent ``a`` can be missed).
"""

from __future__ import annotations

import re

__all__ = ["is_thai", "read_thai"]

_INITIAL = {
    "ก": "k", "ข": "kh", "ฃ": "kh", "ค": "kh", "ฅ": "kh", "ฆ": "kh", "ง": "ng", "จ": "ch",
    "ฉ": "ch", "ช": "ch", "ซ": "s", "ฌ": "ch", "ญ": "y", "ฎ": "d", "ฏ": "t", "ฐ": "th",
    "ฑ": "th", "ฒ": "th", "ณ": "n", "ด": "d", "ต": "t", "ถ": "th", "ท": "th", "ธ": "th",
    "น": "n", "บ": "b", "ป": "p", "ผ": "ph", "ฝ": "f", "พ": "ph", "ฟ": "f", "ภ": "ph",
    "ม": "m", "ย": "y", "ร": "r", "ล": "l", "ว": "w", "ศ": "s", "ษ": "s", "ส": "s",
    "ห": "h", "ฬ": "l", "อ": "", "ฮ": "h",
}
_FINAL = {
    "ก": "k", "ข": "k", "ค": "k", "ฆ": "k", "ง": "ng", "จ": "t", "ช": "t", "ซ": "t",
    "ญ": "n", "ฎ": "t", "ฏ": "t", "ฐ": "t", "ฑ": "t", "ฒ": "t", "ณ": "n", "ด": "t",
    "ต": "t", "ถ": "t", "ท": "t", "ธ": "t", "น": "n", "บ": "p", "ป": "p", "พ": "p",
    "ฟ": "p", "ภ": "p", "ม": "m", "ย": "i", "ร": "n", "ล": "n", "ว": "o", "ศ": "t",
    "ษ": "t", "ส": "t", "ฬ": "n",
}
_LEAD = "เแโใไ"
_POST = "ะัาำิีึืุู็"
_TONES = "่้๊๋"
_SILENT = "์"
_SONORANTS = "งญนมยรลว"
_CLUSTER_FIRST = "กขคตปผพ"
_SILENCED = re.compile("[\u0e01-\u0e2e][\u0e34\u0e38]?\u0e4c")


def is_thai(ch: str) -> bool:
    return 0x0E00 <= ord(ch) <= 0x0E7F


def _vowel(lead: str, signs: str, word: str, i: int) -> tuple[str, int]:
    """The vowel of a syllable from its leading vowel and signs; may take a following
    อ, ย or ว that belongs to the vowel. Returns (vowel, new position)."""
    nxt = word[i] if i < len(word) else ""
    if lead == "เ":
        if signs.startswith("า"):
            return ("o", i) if "ะ" in signs else ("ao", i)
        if signs == "ี" and nxt == "ย":
            return "ia", i + 1
        if signs == "ื" and nxt == "อ":
            return "uea", i + 1
        if signs in ("ิ",) or (not signs and nxt == "อ"):
            return "oe", i + (0 if signs else 1)
        return "e", i
    if lead == "แ":
        return "ae", i
    if lead == "โ":
        return "o", i
    if lead and lead in "ใไ":
        return "ai", i
    if signs == "ั" and nxt == "ว":
        return "ua", i + 1
    if signs == "ื" and nxt == "อ":
        return "ue", i + 1
    table = {"ะ": "a", "ั": "a", "า": "a", "ำ": "am", "ิ": "i", "ี": "i", "ึ": "ue",
             "ื": "ue", "ุ": "u", "ู": "u", "็": ""}
    return "".join(table.get(s, "") for s in signs), i


def _starts_syllable(word: str, i: int) -> bool:
    """Whether the consonant at *i* begins a syllable (a vowel sign follows it)."""
    after = word[i + 1] if i + 1 < len(word) else ""
    return bool(after) and (after in _POST or (after in _TONES and i + 2 < len(word)
                            and word[i + 2] in _POST))


def _read_word(word: str) -> str:
    word = _SILENCED.sub("", word)  # a consonant (and its vowel) under ์ is not read
    out: list[str] = []
    i, n = 0, len(word)
    while i < n:
        lead = ""
        if word[i] in _LEAD:
            lead = word[i]
            i += 1
        if i >= n:
            break
        ch = word[i]
        if ch not in _INITIAL:
            i += 1
            continue
        initial = _INITIAL[ch]
        i += 1
        if ch == "ห" and i < n and word[i] in _SONORANTS:
            initial = _INITIAL[word[i]]
            i += 1
        elif ch in _CLUSTER_FIRST and i < n and word[i] in "รลว" and _starts_syllable(word, i):
            initial += _INITIAL[word[i]]
            i += 1
        signs = ""
        while i < n and (word[i] in _POST or word[i] in _TONES):
            if word[i] in _POST:
                signs += word[i]
            i += 1
        vowel, i = _vowel(lead, signs, word, i)
        while i < n and word[i] in _TONES:
            i += 1
        if not vowel and not signs and i < n and word[i] == "อ" and not _starts_syllable(word, i):
            vowel, i = "o", i + 1  # consonant + อ: the vowel o (พอ pho)
        final = ""
        if i < n and word[i] in _FINAL and not _starts_syllable(word, i):
            if i + 1 < n and word[i + 1] == _SILENT:
                i += 2  # silenced by thanthakhat
            else:  # closes the syllable (สม som, ชาย chai)
                final = _FINAL[word[i]]
                i += 1
        while i < n and word[i] == _SILENT:
            i += 1
        if not vowel and not signs:
            vowel = "o" if final else "a"
        if final in ("i", "o") and vowel.endswith(final):
            final = ""  # ไทย thai, not thaii
        out.append(initial + vowel + final)
    return "".join(out)


def read_thai(text: str) -> str:
    """*text* with each Thai word transcribed by RTGS (สมชาย -> somchai)."""
    return re.sub("[\u0e00-\u0e7f]+", lambda m: _read_word(m.group()), text)
