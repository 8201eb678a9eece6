"""China's rare-earth export controls: rule pack, BOM loader and checker.

>>> import exportscreen as xs
>>> verdicts = xs.check_bom("fixtures/bom/example.csv")  # doctest: +SKIP
"""

from __future__ import annotations

from .bom import Bom, Composition, load_bom
from .checker import check_bom, check_bom_report
from .models import BomCheckReport, PartIIItem, Trigger, Verdict
from .pack import CATEGORIES, RulePack, default_pack_path, load_rule_pack

__all__ = [
    "CATEGORIES",
    "Bom",
    "BomCheckReport",
    "Composition",
    "PartIIItem",
    "RulePack",
    "Trigger",
    "Verdict",
    "check_bom",
    "check_bom_report",
    "default_pack_path",
    "load_bom",
    "load_rule_pack",
]
