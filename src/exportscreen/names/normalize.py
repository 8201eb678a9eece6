"""Name normalisation: from a name as written to tokens in a canonical compare form.

The rule, step by step (every word list is a data file under ``names/data/``):

1. Unicode NFKC; list relation text cut off ("... and any successor, sub-unit, or
   subsidiary thereof"); casefold.
2. Transliteration: Han characters to toneless pinyin syllables (pypinyin), every other
   script to Latin (anyascii); accents are dropped.
3. Punctuation: "&" is "and"; apostrophes and dots inside a word are deleted
   ("U.S.A." -> "usa", "Qa'ida" -> "qaida"); then digits standing for letters inside a
   word are read as letters ("Sech1n" -> "sechin"); every other mark separates words.
4. Legal forms and trade abbreviations become one compare form, longest phrase first
   ("Co., Ltd." / "Company Limited" / "有限公司" -> "co ltd"; "ООО" -> "llc";
   "INTL" -> "international"); a legal form of several words with one word a typo away,
   and a long word one typo from a legal form or generic word, are read as it.
5. A name of 30 or more characters whose last words are the beginning of a legal form
   was probably cut at a field limit: those words are read as that legal form
   ("... JOINT STOCK COMPAN" -> "jsc"); so is a lone letter after a legal form that
   continues it, at any length ("Co., L" -> "co ltd"). A lone letter that joins the word
   before it into a known abbreviation is read so ("INT L" -> "international"); legal
   forms are also known with their words shortened one by one ("Ltd. Liab. Co.").
6. Number words, ordinals and series Roman numerals become digits ("First" -> "1",
   "Forty-Four" -> "44", "Fund VII" -> "fund 7").
7. Honorifics and vessel prefixes at the start are dropped ("Mr.", "President", "MV").
8. Each token gets a class: ``legal``, ``stop``, ``generic``, ``location``, ``number``,
   ``initial`` (one letter) or ``word``; the scorer weighs them differently. An address
   or district typed after the name ("..., Haidian District, Beijing") is ``location``.

Example::

    >>> normalize_name("SAMSUNG ELECTRONICS CO., LTD.")
    'samsung electronic co ltd'
    >>> normalize_name("Общество с ограниченной ответственностью «Ромашка»")
    'llc romashka'
    >>> normalize_name("PUTIN, Vladimir")
    'putin vladimir'

References: rigour's org_types and text normalisation (anchors-screening.md §1.4),
nomenklatura issues #245/#274 (trade abbreviations), CSL quirks (§3).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache, cached_property, lru_cache

from .numbering import drop_number_markers
from .scripts import alternate_texts, describe, primary_reading_wanted, script_of
from .scripts._data import data_lines, mapping_file
from .scripts._data import han_glossary as _han_glossary  # Han words -> compare form
from .scripts._numerals import _HAN_DIGITS, _HAN_UNITS, _han_number

__all__ = [
    "TOKEN_CLASSES",
    "NameAnalysis",
    "analyze_name",
    "analyze_readings",
    "normalize_name",
    "split_aliases",
]

TOKEN_CLASSES = ("word", "initial", "number", "location", "generic", "legal", "stop")

_ALIAS_MARKERS = re.compile(
    r"\s*[,;(]?\s*\b(?:a\.?k\.?a\.?|f\.?k\.?a\.?|n\.?k\.?a\.?|d/b/a|also known as|"
    r"formerly known as|doing business as)(?=[\s:]|$)[\s:]*",
    re.IGNORECASE,
)
_APOSTROPHES = "'’ʼ`´‘ʻ"
_INNER_DOT = re.compile(r"(?<=[^\W_])\.(?=[^\W_])")
_NON_WORD = re.compile(r"[\W_]+")
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "9": "g"}
_LEET_RE = re.compile(r"(?<=[a-z])[0134579]+(?=[a-z])")
_ROMAN = re.compile(r"^(?=[ivxl]+$)(?:xl|l?x{0,3})(?:ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50}
_TRUNCATION_LENGTH = 30
_NAME_SYLLABLES = frozenset({"li", "xi"})  # Roman 51 and 11, and Chinese names (李, 习)


def _roman_to_int(token: str) -> int:
    total = 0
    for current, following in zip(token, [*token[1:], ""], strict=True):
        value = _ROMAN_VALUES[current]
        total += -value if following and _ROMAN_VALUES[following] > value else value
    return total


@dataclass(frozen=True)
class NameAnalysis:
    """A normalised name: compare tokens, their classes, and what was dropped.

    ``tokens`` and ``classes`` have the same length. ``dropped`` lists the honorifics
    and relation text that were removed, for explanations.
    """

    text: str
    tokens: tuple[str, ...]
    classes: tuple[str, ...]
    dropped: tuple[str, ...] = ()
    abjad: bool = False  # written in Arabic or Hebrew script (vowels mostly unwritten)
    # the script the name was read from (names/scripts: korean, japanese, thai, greek,
    # han; "" for Latin and scripts read letter by letter) and how, for explanations
    script: str = ""
    reading: str = ""

    @property
    def normalized(self) -> str:
        return " ".join(self.tokens)

    @cached_property
    def compact(self) -> str:
        """All tokens run together: catches joined and split words ("SiemensAG")."""
        return "".join(self.tokens)

    @cached_property
    def plain(self) -> str:
        """The text as written, casefolded, with punctuation and spacing reduced to single
        spaces (for telling a name cut short at a field limit)."""
        return " ".join(_NON_WORD.sub(" ", self.text.casefold()).split())

    @cached_property
    def has_long_word(self) -> bool:
        """Whether a distinctive word of three letters or more is present."""
        return any(
            c == "word" and len(t) >= 3 for t, c in zip(self.tokens, self.classes, strict=True)
        )


# ---------------------------------------------------------------------------
# data files




@dataclass(frozen=True)
class _Tables:
    phrases: dict[tuple[str, ...], tuple[tuple[str, ...], str]]  # variant -> (compare, class)
    max_phrase: int
    legal_prefixes: dict[str, tuple[str, ...]]  # text prefix of a legal variant -> compare
    word_class: dict[str, str]
    numbers: dict[str, int]
    titles: frozenset[tuple[str, ...]]
    relations: tuple[str, ...]
    nicknames: dict[str, frozenset[int]]
    address: frozenset[str] = frozenset()  # words that make an address ("district", "road")
    address_before: frozenset[str] = frozenset()  # ... that come before their street ("no")
    qualifiers: frozenset[str] = frozenset()  # "private", "public" before a legal form


def _base_tokens(text: str) -> list[str]:
    """Steps 1-4 without data-driven rewriting; used for data variants too."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _transliterate(text)
    text = text.lower()
    text = text.replace("&", " and ").replace("+", " and ")
    for mark in _APOSTROPHES:
        text = text.replace(mark, "")
    text = _INNER_DOT.sub("", text)
    text = _LEET_RE.sub(lambda m: "".join(_LEET[c] for c in m.group()), text)
    return [t for t in _NON_WORD.split(text) if t]


def _legal_word_shortenings() -> dict[str, tuple[str, ...]]:
    """Words of legal forms -> the ways trade documents shorten them one by one
    (``legal_words.txt``: "limited" -> "ltd", "liability" -> "liab")."""
    out: dict[str, tuple[str, ...]] = {}
    for word, variants in mapping_file("legal_words.txt"):
        out[word] = tuple(" ".join(_base_tokens(v)) for v in variants if _base_tokens(v))
    return out


_MAX_SHORTENED = 64


def _shortened(
    key: tuple[str, ...], shortenings: dict[str, tuple[str, ...]]
) -> list[tuple[str, ...]]:
    """A legal form of several words with any of its words shortened ("Limited Liability
    Company" -> "Ltd. Liab. Co.", "Ltd Liability Co"), at most a few dozen spellings."""
    if len(key) < 2 or not any(t in shortenings for t in key):
        return []
    spellings: list[tuple[str, ...]] = [()]
    for token in key:
        options = [token, *shortenings.get(token, ())]
        spellings = [(*s, *o.split()) for s in spellings for o in options][:_MAX_SHORTENED]
    return [s for s in spellings if s != key]


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    phrases: dict[tuple[str, ...], tuple[tuple[str, ...], str]] = {}
    legal_prefixes: dict[str, tuple[str, ...]] = {}
    shortenings = _legal_word_shortenings()
    for form, variants in mapping_file("legal_forms.txt"):
        compare = tuple(form.split())
        for variant in [form, *variants]:
            key = tuple(_base_tokens(variant))
            for short in _shortened(key, shortenings):
                phrases.setdefault(short, (compare, "legal"))
            if key:
                phrases.setdefault(key, (compare, "legal"))
                joined = " ".join(key)
                for cut in range(3, len(joined)):
                    legal_prefixes.setdefault(joined[:cut], compare)
    for word, variants in mapping_file("abbreviations.txt"):
        for variant in [word, *variants]:
            key = tuple(_base_tokens(variant))
            if key and key not in phrases:
                phrases[key] = (tuple(word.split()), "")
    word_class: dict[str, str] = {}
    titles: set[tuple[str, ...]] = set()
    address: set[str] = set()
    address_before: set[str] = set()
    qualifiers: set[str] = set()
    for cls, words in mapping_file("words.txt"):
        for word in words:
            key = tuple(_base_tokens(word))
            if cls == "title":
                titles.add(key)
            elif cls == "address":
                address.update(key)
            elif cls == "address_before":
                address_before.update(key)
            elif cls == "legal_qualifier":
                qualifiers.update(key)
            elif len(key) == 1:
                word_class.setdefault(key[0], cls)
    numbers: dict[str, int] = {}
    for digits, words in mapping_file("numbers.txt"):
        for word in words:
            numbers[word] = int(digits)
    relations = tuple(line.casefold() for line in data_lines("relations.txt"))
    groups: dict[str, set[int]] = {}
    from .scripts import given_name_groups  # Greek given names and their English forms

    for number, line in enumerate([*data_lines("nicknames.txt"), *given_name_groups()]):
        for name in line.split("|"):
            key = tuple(_base_tokens(name))
            if len(key) == 1:
                groups.setdefault(key[0], set()).add(number)
    return _Tables(
        phrases=phrases,
        max_phrase=max(len(k) for k in phrases),
        legal_prefixes=legal_prefixes,
        word_class=word_class,
        numbers=numbers,
        titles=frozenset(titles),
        relations=relations,
        nicknames={name: frozenset(ids) for name, ids in groups.items()},
        address=frozenset(address | address_before),
        address_before=frozenset(address_before),
        qualifiers=frozenset(qualifiers),
    )


# ---------------------------------------------------------------------------
# transliteration


def _is_han(ch: str) -> bool:
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x2FA1F
    )


def _transliterate(text: str) -> str:
    if text.isascii():
        return text
    from anyascii import anyascii

    from .scripts import read_scripts  # Hangul, kana, Thai, Greek, Arabic عبد (names/scripts)

    text = read_scripts(text)

    pieces: list[str] = []
    run: list[str] = []
    han = False
    for ch in text:
        is_han = _is_han(ch)
        if run and is_han != han:
            pieces.append(_translit_run("".join(run), han, anyascii))
            run = []
        han = is_han
        run.append(ch)
    if run:
        pieces.append(_translit_run("".join(run), han, anyascii))
    out = "".join(pieces)
    return out if out.isascii() else str(anyascii(out))


def _han_ordinal(run: str, i: int) -> tuple[int, int] | None:
    """``(value, end)`` of an ordinal 第 + Han numeral starting at *i*, else ``None``."""
    if run[i] != "第":
        return None
    end = i + 1
    while end < len(run) and (run[end] in _HAN_DIGITS or run[end] in _HAN_UNITS):
        end += 1
    value = _han_number(run[i + 1:end])
    return None if value is None else (value, end)


def _translit_run(run: str, han: bool, anyascii: object) -> str:
    if han:
        from pypinyin import lazy_pinyin

        glossary, longest = _han_glossary()
        pieces: list[str] = []
        rest = 0  # start of the text not glossed yet, read as pinyin in one piece
        i = 0
        while i < len(run):
            ordinal = _han_ordinal(run, i)
            if ordinal is not None:  # 第十四 -> 14, as "14th" reads
                pieces.extend(lazy_pinyin(run[rest:i], errors="ignore"))
                pieces.append(str(ordinal[0]))
                i = rest = ordinal[1]
                continue
            for size in range(min(longest, len(run) - i), 1, -1):
                compare = glossary.get(run[i : i + size])
                if compare is not None:
                    pieces.extend(lazy_pinyin(run[rest:i], errors="ignore"))
                    pieces.append(compare)
                    i += size
                    rest = i
                    break
            else:
                i += 1
        pieces.extend(lazy_pinyin(run[rest:], errors="ignore"))
        return " " + " ".join(pieces) + " "
    if run.isascii():
        return run
    return str(anyascii(run))  # type: ignore[operator]


# ---------------------------------------------------------------------------
# the pipeline


def split_aliases(text: str) -> list[str]:
    """Split a published name at alias markers (a.k.a., f.k.a., d/b/a ...).

    >>> split_aliases("Far East Trading Company, Inc. (a.k.a. FETCO, Inc.)")
    ['Far East Trading Company, Inc.', 'FETCO, Inc.']
    """
    parts = _ALIAS_MARKERS.split(text)
    names = []
    for part in parts:
        part = part.strip().strip(";,").strip()
        if part.endswith(")") and part.count(")") > part.count("("):
            part = part[:-1].strip()
        for sub in part.split(";") if len(parts) > 1 else [part]:
            sub = sub.strip().strip(",").strip()
            if sub:
                names.append(sub)
    return names or [text]


def _cut_relations(text: str, tables: _Tables) -> tuple[str, tuple[str, ...]]:
    lowered = text.casefold()
    for phrase in tables.relations:
        index = lowered.find(phrase)
        if index > 0:
            return text[:index].rstrip(" ,;-"), (text[index:].strip(),)
    return text, ()


_DIGIT_ORDINAL = re.compile(r"(\d{1,4})(?:st|nd|rd|th)")


def _read_numbers(pairs: list[tuple[str, str]], tables: _Tables) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for position, (token, cls) in enumerate(pairs):
        value: int | None = None
        if cls != "legal":
            value = tables.numbers.get(token)
            if value is None and token.isdigit() and len(token) <= 2:
                value = int(token)
            ordinal = _DIGIT_ORDINAL.fullmatch(token) if value is None else None
            if ordinal:  # any "38th", "52nd", "101st" (numbers.txt spells out 1st-20th)
                value = int(ordinal.group(1))
            previous_class = tables.word_class.get(pairs[position - 1][0]) if position else None
            if (value is None and _ROMAN.match(token) and position > 0
                    and previous_class != "stop"
                    and (token not in _NAME_SYLLABLES or previous_class == "generic")):
                # a series numeral follows a word: "Fund VII"; a lone letter only near
                # the end ("Partners V L.P.") so that initials stay initials; "Li" and "Xi"
                # are names far more often ("Wang Li", "Al Li"), numerals only after a
                # generic word ("Fund XI")
                # a lone letter right after a legal form is a cut-off or a lost
                # apostrophe ("Co., L", "INT L"), never a numeral
                rest_is_legal = all(c == "legal" for _, c in pairs[position + 1 :])
                after_legal = pairs[position - 1][1] == "legal"
                if len(token) > 1 or (position >= 2 and rest_is_legal and not after_legal):
                    value = _roman_to_int(token)
        if value is not None and out and out[-1][0].isdigit():
            previous = int(out[-1][0])
            if previous >= 20 and previous % 10 == 0 and 0 < value < 10 and len(out[-1][0]) < 4:
                out[-1] = (str(previous + value), "")  # forty four -> 44
                continue
        out.append((str(value), "") if value is not None else (token, cls))
    return out


def _rewrite_phrases(tokens: list[str], tables: _Tables) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    i = 0
    n = len(tokens)
    while i < n:
        if i + 1 < n and len(tokens[i + 1]) == 1 and len(tokens[i]) >= 2:
            # an apostrophe lost to a space splits a contraction: "INT L" is "INT'L"
            joined = tables.phrases.get((tokens[i] + tokens[i + 1],))
            if joined is not None and (tokens[i + 1],) not in tables.phrases:
                out.extend((t, joined[1]) for t in joined[0])
                i += 2
                continue
        exact: tuple[int, tuple[tuple[str, ...], str]] | None = None
        for size in range(min(tables.max_phrase, n - i), 0, -1):
            hit = tables.phrases.get(tuple(tokens[i : i + size]))
            if hit is not None:
                exact = (size, hit)
                break
        fuzzy = _fuzzy_legal_phrase(tokens, i) if exact is None or exact[0] == 1 else None
        if fuzzy is not None and (exact is None or fuzzy[0] > exact[0]):
            size, compare = fuzzy
            out.extend((t, "legal") for t in compare)
            i += size
        elif exact is not None:
            size, (compare, cls) = exact
            out.extend((t, cls) for t in compare)
            i += size
        else:
            out.append(_fuzzy_vocabulary(tokens[i]))
            i += 1
    return out


def _fuzzy_legal_phrase(tokens: list[str], i: int) -> tuple[int, tuple[str, ...]] | None:
    """A legal form of two or more words with one word a typo away ("JOYNT STOCK COMPANY",
    "PUBIC JOINT STOCK COMPANY"); the other words must be exact."""
    from rapidfuzz.distance import OSA

    index = _legal_phrase_index()
    options: set[tuple[str, ...]] = set(index.get((0, tokens[i]), ()))
    if i + 1 < len(tokens):
        options.update(index.get((1, tokens[i + 1]), ()))
    best: tuple[int, tuple[str, ...]] | None = None
    for phrase in sorted(options):
        size = len(phrase)
        if i + size > len(tokens) or (best is not None and size <= best[0]):
            continue
        window = tokens[i : i + size]
        different = [(a, b) for a, b in zip(window, phrase, strict=True) if a != b]
        if len(different) != 1:
            continue
        seen, wanted = different[0]
        if min(len(seen), len(wanted)) >= 4 and OSA.distance(seen, wanted, score_cutoff=1) <= 1:
            best = (size, _tables().phrases[phrase][0])
    return best


@lru_cache(maxsize=1)
def _legal_phrase_index() -> dict[tuple[int, str], list[tuple[str, ...]]]:
    index: dict[tuple[int, str], list[tuple[str, ...]]] = {}
    for phrase, (_, cls) in sorted(_tables().phrases.items()):
        if cls == "legal" and len(phrase) >= 2:
            for position in (0, 1):
                index.setdefault((position, phrase[position]), []).append(phrase)
    return index


_FUZZY_MIN_LENGTH = 7


@lru_cache(maxsize=100_000)
def _fuzzy_vocabulary(token: str) -> tuple[str, str]:
    """A long word one typo away from a legal form or a generic word is read as that word
    ("Aktiengeselschaft" -> "ag", "Technolgy" -> "technology"); anything else is kept."""
    if len(token) < _FUZZY_MIN_LENGTH or token.isdigit():
        return token, ""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    vocabulary = _fuzzy_table()
    found = process.extractOne(token, vocabulary.keys(), scorer=OSA.distance, score_cutoff=1)
    if found is None:
        return token, ""
    compare, cls = vocabulary[found[0]]
    if len(compare) != 1:
        return token, ""
    return compare[0], cls


_TYPO_MIN_LENGTH = 4


@lru_cache(maxsize=4096)
def _typo_choices(first: str, second: str) -> tuple[str, ...]:
    """The words a typo starting with *first* and *second* may stand for: a different first
    letter is more often another word than a typo ("Gold"/"hold"), unless the first two
    letters are swapped ("Rgupo", "Iarn"). Kept per letter pair, not built per word."""
    return tuple(word for word in _typo_table()
                 if word[0] == first or (word[:2] == second + first and word[:2] != first + second))


@lru_cache(maxsize=100_000)
def read_typo_word(token: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """A word of four letters or more one edit from a legal form, trade abbreviation or
    generic word with the same first letter, read as that word: compare tokens and their
    classes ("tarde" -> trading, "llac" -> llc, "invkst" -> investment); None when there
    is none.

    Shorter and common words would too often be read wrongly, so the matcher asks only
    for query words that no list name has (a word the list has is no typo)."""
    if len(token) < _TYPO_MIN_LENGTH or not token.isalpha():
        return None
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    vocabulary = _typo_table()
    found = process.extractOne(token, _typo_choices(token[0], token[1]), scorer=OSA.distance,
                               score_cutoff=1)
    if found is None:
        return None
    compare, cls = vocabulary[found[0]]
    tables = _tables()
    return compare, tuple(_classify(t, cls, tables) for t in compare)


@lru_cache(maxsize=1)
def _typo_table() -> dict[str, tuple[tuple[str, ...], str]]:
    tables = _tables()
    vocabulary: dict[str, tuple[tuple[str, ...], str]] = {}
    for key, value in sorted(tables.phrases.items()):
        if (len(key) == 1 and len(key[0]) >= 3 and key[0].isalpha()
                and not _is_place(value[0], tables)):
            vocabulary[key[0]] = value
    for word, cls in sorted(tables.word_class.items()):
        if cls == "generic" and len(word) >= 3:
            vocabulary.setdefault(word, ((word,), ""))
    return vocabulary


def _is_place(compare: tuple[str, ...], tables: _Tables) -> bool:
    """A compare form that names a place ("hangzhou", "hong kong"): one letter away is
    another place or word (Changzhou, Nanning), never a typo to read as it."""
    return all(tables.word_class.get(t) == "location" for t in compare)


@lru_cache(maxsize=1)
def _fuzzy_table() -> dict[str, tuple[tuple[str, ...], str]]:
    tables = _tables()
    vocabulary: dict[str, tuple[tuple[str, ...], str]] = {}
    for key, value in sorted(tables.phrases.items()):
        if (len(key) == 1 and len(key[0]) >= _FUZZY_MIN_LENGTH
                and not _is_place(value[0], tables)):
            vocabulary[key[0]] = value
    for word, cls in sorted(tables.word_class.items()):
        if cls == "generic" and len(word) >= _FUZZY_MIN_LENGTH:
            vocabulary.setdefault(word, ((word,), ""))
    return vocabulary


def _complete_truncated_legal(
    pairs: list[tuple[str, str]], tables: _Tables
) -> list[tuple[str, str]]:
    for size in (3, 2, 1):
        if len(pairs) <= size:
            continue
        tail = pairs[-size:]
        if any(cls == "legal" for _, cls in tail):
            continue
        joined = " ".join(t for t, _ in tail)
        compare = tables.legal_prefixes.get(joined)
        if compare is not None:
            return [*pairs[:-size], *((t, "legal") for t in compare)]
    return pairs


def _complete_cut_letter(
    pairs: list[tuple[str, str]], tables: _Tables
) -> list[tuple[str, str]]:
    """A lone letter right after a legal form, ending the name, that continues that form
    ("Co., L" -> "co ltd", "Joint Stock C" -> "jsc"): the name was cut inside its legal
    form, whatever its length (a letter after a legal form says nothing else)."""
    if len(pairs) < 3 or len(pairs[-1][0]) != 1 or pairs[-1][1] == "legal":
        return pairs
    if pairs[-2][1] != "legal":
        return pairs
    for size in (3, 2):
        if len(pairs) <= size or any(c != "legal" for _, c in pairs[-size:-1]):
            continue
        compare = tables.legal_prefixes.get(" ".join(t for t, _ in pairs[-size:]))
        if compare is not None:
            return [*pairs[:-size], *((t, "legal") for t in compare)]
    return pairs


def _location_tail(
    text: str, tokens: tuple[str, ...], classes: list[str], tables: _Tables
) -> tuple[str, ...]:
    """Classes with an address or district typed after the name read as location
    ("... Co., Ltd. Haidian District, Beijing", "..., No. 12 Calea Victoriei",
    "... (Kadikoy, Ankara)").

    The tail is the longest run at the end of address words (``words.txt``: district,
    road, no ...), places, numbers, stop words, and other words standing right next to
    an address word or before a place ("Presnensky District", "Calea Victoriei",
    "Industrial Zone", "Abu Dhabi"). It
    counts when it holds an address word or follows a legal form; the words of a closing
    bracket that names a known place count too. It must name a place (a word other than
    an address word or number: "Institute No. 3" is a series, "Management Company 23"
    a number) unless it is an address after a legal form ("..., Ltd., Sector 3
    District"), and a distinctive word must remain before it."""
    address = tables.address
    n = len(tokens)
    k = n
    marker = False
    while k > 0:
        token, cls = tokens[k - 1], classes[k - 1]
        before = tables.address_before
        beside_address = (
            k < n and ((tokens[k] in address and tokens[k] not in before)
                       or classes[k] == "location")
        ) or (k >= 2 and tokens[k - 2] in before)
        if token in address and cls != "legal":
            marker = True
        elif not (cls in ("location", "number", "stop")
                  or (cls in ("word", "initial", "generic") and beside_address)):
            break
        k -= 1
    bracket = _closing_bracket_words(text)
    if 0 < bracket < n and (k > n - bracket or not (marker or classes[k - 1] == "legal")):
        inside = range(n - bracket, n)
        if any(classes[i] == "location" for i in inside) and all(
            classes[i] in ("location", "word", "initial", "number", "stop") for i in inside
        ):
            k, marker = n - bracket, True
    # a place with its address word in front ("Tehran Province ...", "Shenzhen City ...")
    head = 0
    while head + 1 < k and classes[head] == "location" and tokens[head + 1] in address:
        head += 2
    if head and any(c in ("word", "number", "generic") for c in classes[head:k]):
        classes = ["location"] * head + classes[head:]
    while k < n and not any(c in ("word", "generic", "number") for c in classes[:k]):
        k += 1  # the name itself is never all address
    if k == n or not (marker or classes[k - 1] == "legal"):
        return tuple(classes)
    names_place = any(
        tokens[i] not in address and classes[i] in ("location", "word", "initial", "generic")
        for i in range(k, n))
    if not names_place and not (marker and classes[k - 1] == "legal"):
        return tuple(classes)
    return tuple(classes[:k]) + tuple(
        "location" if c in ("word", "initial", "number", "generic") else c for c in classes[k:]
    )


_LAST_BRACKET = re.compile(r"\(([^()]*)\)\s*$")


def _closing_bracket_words(text: str) -> int:
    """How many words the bracket that ends *text* holds (0 when it does not end so)."""
    found = _LAST_BRACKET.search(text)
    return len(_base_tokens(found.group(1))) if found else 0


def _drop_titles(
    pairs: list[tuple[str, str]], tables: _Tables
) -> tuple[list[tuple[str, str]], list[str]]:
    dropped: list[str] = []
    changed = True
    while changed:
        changed = False
        for size in (2, 1):
            head = tuple(t for t, _ in pairs[:size])
            if len(pairs) > size and len(head) == size and head in tables.titles:
                dropped.append(" ".join(head))
                pairs = pairs[size:]
                changed = True
                break
    return pairs, dropped


def _classify(token: str, cls: str, tables: _Tables) -> str:
    if cls == "legal":
        return "legal"
    if token.isdigit():
        return "number"
    known = tables.word_class.get(token)
    if known is not None:
        return known
    if len(token) == 1 and token.isalpha():
        return "initial"
    return "word"


@cache  # two files, asked for in turn: one slot made every call re-read
def _legal_groups(name: str) -> tuple[frozenset[str], ...]:
    """Sets of legal compare forms, one per line of data file *name*
    (``legal_jurisdictions.txt``: the forms one jurisdiction offers side by side;
    ``legal_families.txt``: forms of one kind of party)."""
    return tuple(frozenset(forms) for _, forms in mapping_file(name))


def is_address_word(token: str) -> bool:
    """Whether *token* is an address word of ``words.txt`` (district, road, province ...)."""
    return token in _tables().address


def legal_forms_translated(first: set[str], second: set[str]) -> bool:
    """Whether two different legal forms are most likely one company's form written in
    another country's terms: forms of one family (``legal_families.txt``: companies,
    partnerships ...) that no jurisdiction offers side by side (a Russian JSC as "LLC",
    a Mexican S.A. as "Inc."; not AG vs GmbH, not a non-profit ANO vs an LLC)."""
    pairs = [(a, b) for a in first for b in second if a != b]
    if any(a in group and b in group
           for group in _legal_groups("legal_jurisdictions.txt") for a, b in pairs):
        return False
    return any(a in group and b in group
               for group in _legal_groups("legal_families.txt") for a, b in pairs)


def field_length(text: str) -> int:
    """Length of *text* as a data field holds it (outer and repeated spaces not counted)."""
    return len(" ".join(text.split()))


_CLOSING = frozenset(")]}\"'”’»」』")


def cut_from(query: NameAnalysis, candidate: NameAnalysis, min_length: int) -> bool:
    """Whether *query* reads as *candidate* cut at a data-field limit (SWIFT/EDI 35
    characters): at least *min_length* characters, the candidate's text starts with it
    (case, punctuation and spacing aside), and it does not end as a complete name does,
    with a closing bracket or quote ("Ltd." can be where the field ended)."""
    text = query.text.rstrip()
    length = field_length(text)
    if length < min_length or text[-1] in _CLOSING or field_length(candidate.text) <= length:
        return False
    return len(query.plain) < len(candidate.plain) and candidate.plain.startswith(query.plain)


def analyze_name(text: str) -> NameAnalysis:
    """Normalise *text* into classed compare tokens (see the module docstring)."""
    return _analyze_cached(text)


@lru_cache(maxsize=200_000)
def _analyze_cached(text: str) -> NameAnalysis:
    tables = _tables()
    cut, dropped = _cut_relations(unicodedata.normalize("NFKC", text), tables)
    tokens = _base_tokens(cut)
    pairs = _rewrite_phrases(tokens, tables)
    for _ in range(3):  # a rewrite can form a longer phrase with its neighbours
        rewritten = [t for t, _ in pairs]
        if rewritten == tokens:
            break
        tokens = rewritten
        again = _rewrite_phrases(tokens, tables)
        # keep the classes found on the first pass for tokens that did not change
        pairs = (
            [(t, c or old) for (t, c), (_, old) in zip(again, pairs, strict=False)]
            if len(again) == len(pairs)
            else again
        )
    # a qualifier right before a legal form adds nothing to it ("Private LLC" -> "llc")
    pairs = [
        pair for k, pair in enumerate(pairs)
        if not (pair[0] in tables.qualifiers and pair[1] != "legal" and k + 1 < len(pairs)
                and pairs[k + 1][1] == "legal" and k > 0)
    ]
    if len(" ".join(t for t, _ in pairs)) >= _TRUNCATION_LENGTH:
        pairs = _complete_truncated_legal(pairs, tables)
    pairs = _complete_cut_letter(pairs, tables)
    pairs = _read_numbers(pairs, tables)
    pairs = drop_number_markers(pairs)  # "No. 3", "Nr 3" -> 3, as "#3" reads
    pairs, titles = _drop_titles(pairs, tables)
    out_tokens = tuple(t for t, _ in pairs)
    classes = _location_tail(cut, out_tokens, [_classify(t, c, tables) for t, c in pairs], tables)
    script = script_of(text)
    return NameAnalysis(
        text, out_tokens, classes, tuple(titles) + dropped, abjad=bool(_ABJAD.search(text)),
        script=script, reading=describe(script, out_tokens),
    )


def analyze_readings(text: str, countries: Iterable[str] = ()) -> tuple[NameAnalysis, ...]:
    """Every reading of *text* worth comparing: the primary one (:func:`analyze_name`)
    and, for a name in Han characters only, its Korean and Japanese readings as the
    *countries* allow (``names.scripts.alternate_texts``). One analysis for any other
    name."""
    primary = analyze_name(text)
    if text.isascii():
        return (primary,)
    alternates = alternate_texts(text, countries)
    if not alternates:
        return (primary,)
    out = [primary] if primary_reading_wanted(text, countries) else []
    for reading, script in alternates:
        analysis = analyze_name(reading)
        if analysis.tokens:
            out.append(replace(
                analysis,
                text=reading if script == "korean" else text,
                script=script,
                reading=describe(script, analysis.tokens).replace(
                    "read from", "read from Han characters, the " + script + " way; as", 1),
            ))
    return tuple(out) or (primary,)


_ABJAD = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_SKELETON_MAP = str.maketrans({"p": "b", "v": "b", "c": "k", "q": "k", "g": "j"})
_SKELETON_DROP = re.compile("[aeiouyhw]")


def consonant_skeleton(analysis: NameAnalysis) -> NameAnalysis:
    """The name's consonants only, for comparing a name written in Arabic or Hebrew
    script (where short vowels are not written) with its Latin spelling.

    Vowels and the letters Arabic uses as long vowels (y, w, h) are dropped, letters the
    scripts do not tell apart are merged (p/b/v, c/k/q, g/j) and doubled letters are
    collapsed: "Fernando Perez" and "فرناندو بيريز" both become "frnd brz".
    """
    tokens = []
    for token in analysis.tokens:
        if token.isdigit():
            tokens.append(token)
            continue
        skeleton = _SKELETON_DROP.sub("", token.translate(_SKELETON_MAP))
        collapsed = "".join(ch for i, ch in enumerate(skeleton) if i == 0 or ch != skeleton[i - 1])
        tokens.append(collapsed or token[:1])
    return NameAnalysis(analysis.text, tuple(tokens), analysis.classes, analysis.dropped)


def same_given_name(a: str, b: str) -> bool:
    """True when two tokens are forms of one given name (``nicknames.txt``: Bill/William)."""
    groups = _tables().nicknames
    first, second = groups.get(a), groups.get(b)
    return bool(first and second and first & second)


def normalize_name(text: str) -> str:
    """The canonical compare form of a name: tokens joined by single spaces.

    Idempotent, and invariant under case, punctuation, spacing and legal-form
    spelling ("Co., Ltd." / "Company Limited" / "有限公司" all give ``co ltd``).

    >>> normalize_name("Huawei Technologies Co., Ltd.")
    'huawei technology co ltd'
    >>> normalize_name("HUAWEI TECHNOLOGIES COMPANY LIMITED")
    'huawei technology co ltd'
    """
    return analyze_name(text).normalized
