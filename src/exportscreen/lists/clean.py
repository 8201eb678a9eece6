"""Repairs for the quirks of published list text: mojibake, relation text in names, countries.

Every repair here is conservative: it changes text only when the published form is
unambiguous, and the loaders record each change in ``ListEntry.notes`` and keep the
name as published in ``ListEntry.published_name``. The quirks are those reported for
the trade.gov CSL (research/anchors-screening.md §3, "Data quirks"): relation text
inside names, ``;``-joined addresses and ``?`` in place of non-ASCII characters.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

__all__ = [
    "CleanName",
    "clean_alias",
    "clean_name",
    "country_code",
    "country_codes_in_address",
    "is_country_code",
    "repair_mojibake",
    "split_multi",
]

# C1 control characters never occur in real names; in list text they are cp1252 bytes
# read as latin-1 (e.g. "Xi\x92an" for "Xi’an"). Mapping them back through cp1252 is
# unambiguous. (Other candidates, such as "Co”peratief" for "Coöperatief", are not: ”
# is also a real quotation mark, so they are left alone.)
_C1 = re.compile("[\x80-\x9f]")
# "?" standing for an apostrophe in a possessive: "China?s" -> "China’s".
_POSSESSIVE = re.compile(r"(?<=[A-Za-z])\?s\b")
# "?" standing for a pair of quotation marks around a word group: "OOO ?Gazprom Neft?".
_QUOTED = re.compile(r"(?:(?<=\s)|^)\?([^?\s][^?]*[^?\s]|[^?\s])\?(?=\s|$|[,.;)])")


def repair_mojibake(text: str) -> tuple[str, list[str]]:
    """Repair mojibake when it is unambiguous; returns the text and what was repaired.

    >>> repair_mojibake("CAST Xi\\x92an Spaceflight Engine Factory")[0]
    'CAST Xi’an Spaceflight Engine Factory'
    >>> repair_mojibake("Obshchestvo ?Achim Development?")[0]
    'Obshchestvo “Achim Development”'
    """
    notes: list[str] = []
    if _C1.search(text):
        def fix(m: re.Match[str]) -> str:
            try:
                return bytes([ord(m.group())]).decode("cp1252")
            except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d are unassigned in cp1252
                return m.group()
        repaired = _C1.sub(fix, text)
        if repaired != text:
            notes.append("cp1252 characters read as latin-1 repaired")
            text = repaired
    if "?" in text:
        repaired = _POSSESSIVE.sub("’s", text)
        repaired = _QUOTED.sub(lambda m: f"“{m.group(1)}”", repaired)
        if repaired != text:
            notes.append("'?' in place of an apostrophe or quotation marks repaired")
            text = repaired
    if "\xa0" in text:
        text = text.replace("\xa0", " ")
    return text, notes


def split_multi(text: str, sep: str = ";") -> tuple[str, ...]:
    """Split a ``; ``-joined field, trimming each part and dropping empty parts."""
    if not text:
        return ()
    return tuple(p for p in (part.strip() for part in text.split(sep)) if p)


# ---------------------------------------------------------------- relation text in names

# legal forms after which a ", Place" tail is a location (not "Corporation": the CSL writes
# subsidiaries as "Tactical Missile Corporation, Joint Stock Company Avangard")
_COMPANY_FORM_END = re.compile(
    r"\b(?:Co\.?,?\s*Ltd|Ltd|Limited|Co|Inc|LLC|L\.L\.C|GmbH|JSC|OJSC|PJSC|CJSC|OOO|AO|ZAO|OAO|"
    r"S\.?A|B\.?V|Pte|Pvt|PLC|FZE|FZCO|LLP|Bhd|S\.?R\.?L|AG|Sarl|SARL)\.?\s*$",
    re.IGNORECASE,
)
_ORG_WORDS = re.compile(
    r"\b(?:Institute|Center|Centre|Company|Corporation|Plant|Bureau|Design|Engineering|Group|"
    r"Factory|Laboratory|Academy|University|Branch|Division|Department|Office|Association|"
    r"Enterprise|Concern|Trading|Technolog\w*|Research|Works|Shipyard|Bank|NPO|JSC|OJSC|PJSC|"
    r"AO|OOO|LLC|Ltd|Limited|Inc|Co|Lab\w*)\b",
    re.IGNORECASE,
)
_LEGAL_FORM_WORDS = {
    "fzc", "fze", "fzco", "llp", "pte", "pvt", "bhd", "ag", "bv", "b.v.",
    "llc", "ltd", "ltd.", "limited", "inc", "inc.", "co", "co.", "corp", "corp.", "jsc", "ojsc",
    "pjsc", "cjsc", "ooo", "ao", "zao", "oao", "gmbh", "plc", "sa", "s.a.", "company",
    "corporation",
}
_ALIAS_PREFIX = re.compile(
    r"^(?:,\s*)?(?:f\.?k\.?a\.?|a\.?k\.?a\.?|n\.?k\.?a\.?|formerly(?: known as)?|also known as)"
    r"[\s,:]+",
    re.IGNORECASE,
)
_RELATION_PREFIX = re.compile(
    r"^(?:a |an |the )?(?:subordinate|subsidiary|affiliate|branch|division|unit|part)\b",
    re.IGNORECASE,
)
_SUCCESSOR = re.compile(
    r"[,;]?\s+and any successors?,? sub-units?,? or subsidiar(?:y|ies) thereof\.?\s*$",
    re.IGNORECASE,
)
_AFFILIATED = re.compile(
    r"^(?P<parent>.+?)[.,]?\s+(?P<kind>Affiliated Entity:|entity:|,?\s*and subordinate entity)"
    r"\s*(?P<name>.+)$"
)
_AKA_INLINE = re.compile(
    r"^(?P<name>.+?),?\s+(?:a\.k\.a\.|f\.k\.a\.|aka|fka)[,:]?\s+(?P<alias>.+)$"
)
_TRAILING_PAREN = re.compile(r"^(?P<name>.*\S)\s*\((?P<inner>[^()]+)\)\s*\.?\s*$")
_ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9&.\- /?]{0,39}$")


@dataclass
class CleanName:
    """A published name taken apart: the name, aliases and relation text found in it."""

    name: str
    aliases: list[str] = field(default_factory=list)
    relations: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _paren_is_alias(inner: str, rest: str) -> bool:
    words = inner.split()
    if inner.casefold() in _LEGAL_FORM_WORDS or country_code(inner) is not None:
        return False
    if _ACRONYM.match(inner) and any(c.isalpha() for c in inner) and len(words) <= 4:
        return True
    # a short name repeated from the full name: "Huawei Technologies Co., Ltd. (Huawei)"
    return len(words) == 1 and inner.casefold() in rest.casefold()


def clean_name(published: str) -> CleanName:
    """Take relation text out of a BIS/State list name.

    Rules, each recorded in ``notes``:

    * ``"X and any successor, sub-unit, or subsidiary thereof"`` (ISN) -> ``X``, relation kept;
    * ``"P (Huawei).  Affiliated Entity:  Y"`` (Entity List) -> ``Y``, relation
      ``"affiliated entity of: P"``;
    * ``"X, a.k.a. Y"`` -> ``X`` with alias ``Y``;
    * a trailing ``"(f.k.a. Y)"`` -> alias ``Y``; a trailing acronym or short name
      ``"(CASC)"``, ``"(Huawei)"`` -> alias; ``"(a subordinate institute of CETC-7)"`` -> relation;
    * ``"..., Co. Ltd., Tsim Sha Tsui"``: place text after a legal form -> relation
      ``"location: Tsim Sha Tsui"``.

    >>> c = clean_name("Huawei Technologies Co. Ltd., Tsim Sha Tsui")
    >>> c.name, c.relations
    ('Huawei Technologies Co. Ltd.', ['location: Tsim Sha Tsui'])
    >>> clean_name("Huawei Technologies Co., Ltd. (Huawei)").aliases
    ['Huawei']
    """
    text = " ".join(published.split())
    result = CleanName(name=text)
    m = _SUCCESSOR.search(text)
    if m:
        text = text[: m.start()].rstrip(" ,")
        result.relations.append("and any successor, sub-unit, or subsidiary thereof")
        result.notes.append("relation text 'and any successor, ...' taken out of the name")
    m = _AFFILIATED.match(text)
    if m:
        parent = m.group("parent").strip().rstrip(",")
        kind = m.group("kind").strip(" ,:").removeprefix("and ").lower()
        text = m.group("name").strip()
        result.relations.append(f"{kind} of: {parent}")
        result.notes.append(
            f"'{m.group('kind').strip(' ,')}' text: the entry is the {kind}, not {parent!r}"
        )
    m = _AKA_INLINE.match(text)
    if m and "(" not in m.group("name"):
        text = m.group("name").strip().rstrip(",")
        alias = m.group("alias").strip()
        inner = _TRAILING_PAREN.match(alias)
        if inner and len(inner.group("inner").split()) <= 4 and (
            inner.group("inner").casefold() not in _LEGAL_FORM_WORDS
        ):
            result.aliases.append(inner.group("name").strip())
            result.aliases.append(inner.group("inner").strip())
        else:
            result.aliases.extend(split_multi(alias))
        result.notes.append("'a.k.a.' text in the name moved to aliases")
    for _ in range(2):  # "X (ABC) (f.k.a. Y)" has two trailing groups
        m = _TRAILING_PAREN.match(text)
        if not m:
            break
        inner_text, rest = m.group("inner").strip(), m.group("name").strip()
        prefix = _ALIAS_PREFIX.match(inner_text)
        if prefix:
            result.aliases.extend(split_multi(inner_text[prefix.end():]))
            result.notes.append("trailing '(f.k.a. ...)' moved to aliases")
        elif _RELATION_PREFIX.match(inner_text):
            result.relations.append(inner_text)
            result.notes.append("trailing relation text in parentheses taken out of the name")
        elif _paren_is_alias(inner_text, rest):
            result.aliases.append(inner_text)
            result.notes.append("trailing acronym or short name in parentheses added as alias")
        else:
            break
        text = rest.rstrip(" ,")
    head, sep, tail = text.rpartition(",")
    tail = tail.strip()
    if (
        sep
        and tail
        and _COMPANY_FORM_END.search(head)
        and not _ORG_WORDS.search(tail)
        and not re.search(r"[\"“”«»()]|\b[A-Z]{2,}\b", tail)
        and tail.casefold() not in _LEGAL_FORM_WORDS
        and len(tail.split()) <= 3
        and tail[0].isupper()
    ):
        text = head.strip()
        result.relations.append(f"location: {tail}")
        result.notes.append("place name after the legal form taken out of the name")
    result.name = text.strip() or result.name
    return result


def clean_alias(alias: str) -> str:
    """Strip list boilerplate from an alias: leading ``"and "``, ``"f.k.a. "``, ``"a.k.a. "``."""
    alias = " ".join(alias.split())
    if alias.lower().startswith("and "):
        alias = alias[4:]
    m = _ALIAS_PREFIX.match(alias)
    if m:
        alias = alias[m.end():]
    return alias.strip()


# ---------------------------------------------------------------- countries


@cache
def _countries() -> tuple[dict[str, str], dict[str, str]]:
    data = json.loads(
        resources.files("exportscreen.lists").joinpath("data/countries.json").read_text("utf-8")
    )
    return data["codes"], data["names"]


def is_country_code(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code (and XK, which OFAC and the EU use for Kosovo)."""
    return code in _countries()[0]


def country_code(text: str) -> str | None:
    """ISO-2 code for a country code or name as lists write it, else ``None``.

    >>> country_code("Korea, North"), country_code("CN"), country_code("undetermined")
    ('KP', 'CN', None)
    """
    text = text.strip()
    codes, names = _countries()
    if len(text) == 2 and text.upper() == text and text in codes:
        return text
    return names.get(text.casefold())


def country_codes_in_address(address: str) -> str | None:
    """The country of a CSL address: its last comma-separated part, as an ISO-2 code or name."""
    last = address.rsplit(",", 1)[-1].strip()
    return country_code(last) if last else None
