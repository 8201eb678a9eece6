"""Name screening: normalisation, candidate index, scoring, explanations.

    >>> from exportscreen.names import compare_names, normalize_name
    >>> normalize_name("Huawei Technologies Co., Ltd.")
    'huawei technology co ltd'
    >>> compare_names("OAO Gazprom", "Gazprom JSC")
    100.0

See docs/names.md for the rule, the thresholds and the known failure modes.
"""

from .matcher import (
    HIT_THRESHOLD,
    POSSIBLE_THRESHOLD,
    NameMatch,
    NameMatcher,
    identifies_someone,
)
from .normalize import NameAnalysis, analyze_name, normalize_name, split_aliases
from .scoring import compare_names

__all__ = [
    "HIT_THRESHOLD",
    "POSSIBLE_THRESHOLD",
    "NameAnalysis",
    "NameMatch",
    "NameMatcher",
    "analyze_name",
    "compare_names",
    "identifies_someone",
    "normalize_name",
    "split_aliases",
]
