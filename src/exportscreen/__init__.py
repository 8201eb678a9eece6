"""exportscreen: export-control screening you can explain to an auditor.

The public API is everything named in ``__all__``; import it from here::

    import exportscreen as xs
    lst = xs.load_list("default")
    xs.NameMatcher(lst).match("Huawei Technologies", country="CN")

The top level is small on purpose (``__all__``: about twenty names); the other names of
earlier releases (``ListEntry``, ``Verdict``, ``DecisionBook``, ...) are still importable
from here and are documented with their modules. Names are imported lazily (PEP 562) so
that ``import exportscreen`` and the CLI start fast; ``dir(exportscreen)`` and type
checkers see all of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_attributes
from ._version import __version__
from .errors import ExportScreenError, InputError, OutputError

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
    # reports
    "write_report": "exportscreen.report",
}

# The documented top level: what a compliance script needs, written out (not computed) so
# that type checkers see what is exported. Every other name of _LAZY stays importable from
# here, as in earlier releases, and is documented with its module (docs/api.md).
__all__ = [
    "AffiliatesResult",
    "ExportScreenError",
    "InputError",
    "NameMatch",
    "NameMatcher",
    "OutputError",
    "OwnershipGraph",
    "RulePack",
    "RulePreset",
    "ScreeningList",
    "ScreeningRun",
    "__version__",
    "apply_affiliates_rule",
    "check_bom",
    "get_rule",
    "load_list",
    "load_rule_pack",
    "screen",
    "screen_suppliers",
    "write_report",
]


__getattr__, __dir__ = lazy_attributes(__name__, _LAZY, globals())


if TYPE_CHECKING:  # what the lazy table resolves to, for type checkers and IDEs
    from .lists import (
        ListDiff as ListDiff,
    )
    from .lists import (
        ListEntry as ListEntry,
    )
    from .lists import (
        ListProvenance as ListProvenance,
    )
    from .lists import (
        RejectedRecord as RejectedRecord,
    )
    from .lists import (
        ScreeningList as ScreeningList,
    )
    from .lists import (
        describe_list as describe_list,
    )
    from .lists import (
        load_list as load_list,
    )
    from .names import (
        HIT_THRESHOLD as HIT_THRESHOLD,
    )
    from .names import (
        POSSIBLE_THRESHOLD as POSSIBLE_THRESHOLD,
    )
    from .names import (
        NameMatch as NameMatch,
    )
    from .names import (
        NameMatcher as NameMatcher,
    )
    from .names import (
        compare_names as compare_names,
    )
    from .names import (
        normalize_name as normalize_name,
    )
    from .ownership import (
        AffiliateFinding as AffiliateFinding,
    )
    from .ownership import (
        AffiliatesResult as AffiliatesResult,
    )
    from .ownership import (
        Entity as Entity,
    )
    from .ownership import (
        ListedParty as ListedParty,
    )
    from .ownership import (
        OwnershipGraph as OwnershipGraph,
    )
    from .ownership import (
        RulePreset as RulePreset,
    )
    from .ownership import (
        apply_affiliates_rule as apply_affiliates_rule,
    )
    from .ownership import (
        get_rule as get_rule,
    )
    from .ownership import (
        list_rules as list_rules,
    )
    from .ownership import (
        load_listed_csv as load_listed_csv,
    )
    from .rareearth import (
        BomCheckReport as BomCheckReport,
    )
    from .rareearth import (
        RulePack as RulePack,
    )
    from .rareearth import (
        Trigger as Trigger,
    )
    from .rareearth import (
        Verdict as Verdict,
    )
    from .rareearth import (
        check_bom as check_bom,
    )
    from .rareearth import (
        check_bom_report as check_bom_report,
    )
    from .rareearth import (
        load_bom as load_bom,
    )
    from .rareearth import (
        load_rule_pack as load_rule_pack,
    )
    from .report import write_report as write_report
    from .screening import (
        AffiliateLink as AffiliateLink,
    )
    from .screening import (
        Alert as Alert,
    )
    from .screening import (
        RowResult as RowResult,
    )
    from .screening import (
        ScreeningRun as ScreeningRun,
    )
    from .screening import (
        detect_columns as detect_columns,
    )
    from .screening import (
        screen as screen,
    )
    from .screening import (
        screen_suppliers as screen_suppliers,
    )
    from .screening.decisions import Decision as Decision
    from .screening.decisions import DecisionBook as DecisionBook
    from .screening.decisions import load_decisions as load_decisions
