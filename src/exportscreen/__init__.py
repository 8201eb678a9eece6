"""exportscreen: export-control screening you can explain to an auditor.

The public API is everything named in ``__all__``; import it from here::

    import exportscreen as xs
    lst = xs.load_list("default")
    xs.NameMatcher(lst).match("Huawei Technologies", country="CN")

Names are imported lazily (PEP 562) so that ``import exportscreen`` and the CLI
start fast; ``dir(exportscreen)`` and type checkers see all of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_attributes
from ._version import __version__
from .errors import ExportScreenError, InputError

# public name -> module that defines it. Each area keeps its own block.
_LAZY: dict[str, str] = {
    # lists
    "ListDiff": "exportscreen.lists",
    "ListEntry": "exportscreen.lists",
    "ListProvenance": "exportscreen.lists",
    "RejectedRecord": "exportscreen.lists",
    "ScreeningList": "exportscreen.lists",
    "describe_list": "exportscreen.lists",
    "load_list": "exportscreen.lists",
    # ownership
    "AffiliateFinding": "exportscreen.ownership",
    "AffiliatesResult": "exportscreen.ownership",
    "Entity": "exportscreen.ownership",
    "ListedParty": "exportscreen.ownership",
    "OwnershipGraph": "exportscreen.ownership",
    "RulePreset": "exportscreen.ownership",
    "apply_affiliates_rule": "exportscreen.ownership",
    "get_rule": "exportscreen.ownership",
    "list_rules": "exportscreen.ownership",
    "load_listed_csv": "exportscreen.ownership",
    # names
    "HIT_THRESHOLD": "exportscreen.names",
    "NameMatch": "exportscreen.names",
    "NameMatcher": "exportscreen.names",
    "POSSIBLE_THRESHOLD": "exportscreen.names",
    "compare_names": "exportscreen.names",
    "normalize_name": "exportscreen.names",
    # rare earth
    "BomCheckReport": "exportscreen.rareearth",
    "RulePack": "exportscreen.rareearth",
    "Trigger": "exportscreen.rareearth",
    "Verdict": "exportscreen.rareearth",
    "check_bom": "exportscreen.rareearth",
    "check_bom_report": "exportscreen.rareearth",
    "load_bom": "exportscreen.rareearth",
    "load_rule_pack": "exportscreen.rareearth",
    # screening
    "screen_suppliers": "exportscreen.screening",
    "screen": "exportscreen.screening",
    "ScreeningRun": "exportscreen.screening",
    "RowResult": "exportscreen.screening",
    "Alert": "exportscreen.screening",
    "AffiliateLink": "exportscreen.screening",
    "detect_columns": "exportscreen.screening",
    "Decision": "exportscreen.screening.decisions",
    "DecisionBook": "exportscreen.screening.decisions",
    "load_decisions": "exportscreen.screening.decisions",
}

__all__ = ["ExportScreenError", "InputError", "__version__", *sorted(_LAZY)]


__getattr__, __dir__ = lazy_attributes(__name__, _LAZY, globals())


if TYPE_CHECKING:  # what the lazy table resolves to, for type checkers and IDEs
    from .lists import (
        ListDiff,
        ListEntry,
        ListProvenance,
        RejectedRecord,
        ScreeningList,
        describe_list,
        load_list,
    )
    from .names import (
        HIT_THRESHOLD,
        POSSIBLE_THRESHOLD,
        NameMatch,
        NameMatcher,
        compare_names,
        normalize_name,
    )
    from .ownership import (
        AffiliateFinding,
        AffiliatesResult,
        Entity,
        ListedParty,
        OwnershipGraph,
        RulePreset,
        apply_affiliates_rule,
        get_rule,
        list_rules,
        load_listed_csv,
    )
    from .rareearth import (
        BomCheckReport,
        RulePack,
        Trigger,
        Verdict,
        check_bom,
        check_bom_report,
        load_bom,
        load_rule_pack,
    )
    from .screening import (
        AffiliateLink,
        Alert,
        RowResult,
        ScreeningRun,
        detect_columns,
        screen,
        screen_suppliers,
    )
    from .screening.decisions import Decision, DecisionBook, load_decisions
