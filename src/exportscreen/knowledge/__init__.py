"""Shipped legal knowledge as data: the bibliography, the evidence scale, reason templates
and user overlays.

This is the bottom layer: it imports nothing from exportscreen but :mod:`exportscreen.errors`.
The ownership presets (``data/ownership/``) and the rare-earth pack (``data/rareearth/``)
live here as JSON; their models stay with the code that uses them and cite sources by
bibliography id (``data/bibliography.json``). See ``docs/knowledge.md``.
"""

from __future__ import annotations

from ._files import data_path, read_json_file, read_shipped_json
from .bibliography import Bibliography, Citation, Source, bibliography
from .evidence import (
    EVIDENCE_SCALE,
    LEGACY_TAGS,
    Evidence,
    PackLetter,
    evidence_of,
    pack_letter,
    short_tag,
    weakest,
)
from .overlay import MergePolicy, OverlayError, load_overlay, merge, validate
from .reasons import FindingReasons, ReasonTemplate

__all__ = [
    "EVIDENCE_SCALE",
    "LEGACY_TAGS",
    "Bibliography",
    "Citation",
    "Evidence",
    "FindingReasons",
    "MergePolicy",
    "OverlayError",
    "PackLetter",
    "ReasonTemplate",
    "Source",
    "bibliography",
    "data_path",
    "evidence_of",
    "load_overlay",
    "merge",
    "pack_letter",
    "read_json_file",
    "read_shipped_json",
    "short_tag",
    "validate",
    "weakest",
]
