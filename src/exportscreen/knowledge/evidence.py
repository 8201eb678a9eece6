"""The one evidence scale for every cited legal fact exportscreen ships.

Four classes, strongest first:

========================  =====================================================================
``official``              official text seen directly (agency site, Federal Register / eCFR
                          mirror, legislation.gov.uk)
``official_copy``         official text seen only as a verbatim copy, quotation or full-text
                          translation on a third-party site
``secondary``             a secondary source (law-firm alert, news, vendor, repository summary)
                          describing the official text
``unverified``            from memory, inference, conflicting sources or a garbled copy: check
                          before relying on it
========================  =====================================================================

The research notes and the data before this scale used their own tags; they map so:

====================  ===================  ===========================================
old tag               where                class
====================  ===================  ===========================================
``O``                 ownership presets    ``official``
``O-copy``            ownership presets    ``official_copy``
``T``                 rare-earth pack      ``official_copy`` (the MOFCOM originals were
                                           never read directly, only copies and
                                           translations: rare-earth research note)
``S``                 both                 ``secondary``
``U``                 both                 ``unverified``
====================  ===================  ===========================================

The rare-earth pack keeps its one-letter ``reliability`` field (``T``/``S``/``U``) as part of
its JSON contract; :func:`pack_letter` and :func:`evidence_of` convert between the two.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = [
    "EVIDENCE_SCALE",
    "LEGACY_TAGS",
    "Evidence",
    "PackLetter",
    "evidence_of",
    "pack_letter",
    "short_tag",
    "weakest",
]

Evidence = Literal["official", "official_copy", "secondary", "unverified"]
#: The classes, strongest first.
EVIDENCE_SCALE: tuple[Evidence, ...] = get_args(Evidence)

#: The rare-earth pack's one-letter spelling of a class (its ``reliability`` field).
PackLetter = Literal["T", "S", "U"]

#: Old tags (research notes, ownership presets, rare-earth pack) -> class.
LEGACY_TAGS: dict[str, Evidence] = {
    "O": "official",
    "O-copy": "official_copy",
    "T": "official_copy",
    "S": "secondary",
    "U": "unverified",
}

_SHORT: dict[Evidence, str] = {
    "official": "O", "official_copy": "O-copy", "secondary": "S", "unverified": "U"}
_LETTER: dict[Evidence, PackLetter] = {
    "official": "T", "official_copy": "T", "secondary": "S", "unverified": "U"}


def evidence_of(tag: str) -> Evidence:
    """The class for a class name or an old tag (``"O-copy"``, ``"T"``, ``"[S]"``).

    >>> evidence_of("T"), evidence_of("[O-copy]"), evidence_of("secondary")
    ('official_copy', 'official_copy', 'secondary')
    """
    key = tag.strip().strip("[]").strip()
    if key in EVIDENCE_SCALE:
        return key
    if key in LEGACY_TAGS:
        return LEGACY_TAGS[key]
    raise ValueError(f"unknown evidence class {tag!r}; use one of {', '.join(EVIDENCE_SCALE)} "
                     f"or an old tag ({', '.join(LEGACY_TAGS)})")


def short_tag(evidence: Evidence) -> str:
    """The bracket tag printed after a citation: ``O``, ``O-copy``, ``S`` or ``U``."""
    return _SHORT[evidence]


def pack_letter(evidence: Evidence) -> PackLetter:
    """The rare-earth pack letter for a class (``official`` and ``official_copy`` -> ``T``)."""
    return _LETTER[evidence]


def weakest(*classes: Evidence) -> Evidence:
    """The weakest of *classes* (``unverified`` beats everything); ``official`` if none."""
    return max(classes, key=EVIDENCE_SCALE.index, default="official")
