"""The ownership engine: the 50 % rules (BIS Affiliates Rule, OFAC, EU, UK) as a library.

    >>> import exportscreen as xs
    >>> graph = xs.OwnershipGraph.from_csv("fixtures/ownership/ownership.csv",
    ...     entities="fixtures/ownership/entities.csv")  # doctest: +SKIP
    >>> result = xs.apply_affiliates_rule(graph, {"X": "sdn"}, rule="us-ofac")  # doctest: +SKIP

See ``docs/ownership.md`` for the rules side by side and the CSV formats.
"""

from .engine import (
    STATUSES,
    AffiliateFinding,
    AffiliatesResult,
    Contribution,
    ListedParty,
    apply_affiliates_rule,
    load_listed_csv,
    policy_rank,
)
from .graph import UNITS_PER_PERCENT, Entity, OwnershipGraph, parse_percent
from .rules import (
    RulePreset,
    SuspensionWindow,
    UnverifiedParameter,
    get_rule,
    list_rules,
    load_rule_file,
    normalise_list_source,
)

__all__ = [
    "STATUSES",
    "UNITS_PER_PERCENT",
    "AffiliateFinding",
    "AffiliatesResult",
    "Contribution",
    "Entity",
    "ListedParty",
    "OwnershipGraph",
    "RulePreset",
    "SuspensionWindow",
    "UnverifiedParameter",
    "apply_affiliates_rule",
    "get_rule",
    "list_rules",
    "load_listed_csv",
    "load_rule_file",
    "normalise_list_source",
    "parse_percent",
    "policy_rank",
]
