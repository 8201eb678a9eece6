"""Supplier screening end to end: lists + ownership affiliates + names -> one result per row.

The rule of the output (DESIGN.md, "screen output"): every input row comes out
exactly once, in input order, with all its columns, plus

``screen_status``
    ``hit`` (the name matches a list entry at or above the hit threshold, or the row
    is an ownership-graph entity that is itself listed), ``affiliate`` (a covered
    affiliate under the chosen ownership rule), ``possible`` (a name match between the
    possible and hit thresholds, an ``undetermined``/``red_flag``/``suspended``
    ownership finding, or a name that only resembles an affiliate), ``clear``, or
    ``error`` (the row cannot be screened: empty name, bytes that are not UTF-8).
``score``, ``matched_name``, ``matched_list``, ``matched_entry_id``,
``license_requirement``, ``reason``
    the evidence of the alert that decided the status.

plus ``license_policy``, ``affiliate_path``, ``decision``, ``decision_note``,
``row_key``, ``supplier_hash``, ``entry_hash`` (and ``change`` with ``previous=``).

The stages, one module each: :mod:`.columns` (which column is the name, country, id),
:mod:`.matching` (the list, its matcher and the name alerts), :mod:`.affiliates` (the
ownership graph's listed roots, the rule, links from rows to flagged entities),
:mod:`.decisions` (an analyst's earlier decisions), :mod:`.since` (what changed since a
previous run) and :mod:`.pipeline` (:func:`screen`, which runs them in order);
:mod:`.model` holds the typed results.

Example::

    >>> import pandas as pd, exportscreen as xs                      # doctest: +SKIP
    >>> frame = pd.DataFrame({"name": ["Hangzhou Hikvision Digital Technology Co Ltd"],
    ...                       "country": ["CN"]})
    >>> xs.screen_suppliers(frame)[["name", "screen_status", "matched_list"]]
                                              name screen_status matched_list
    0  Hangzhou Hikvision Digital Technology Co Ltd           hit  entity_list
"""

from .columns import detect_columns
from .model import (
    RESULT_COLUMNS,
    STATUSES,
    AffiliateLink,
    Alert,
    Change,
    PathStep,
    RowResult,
    ScreeningRun,
)
from .pipeline import screen, screen_suppliers

__all__ = [
    "RESULT_COLUMNS",
    "STATUSES",
    "AffiliateLink",
    "Alert",
    "Change",
    "PathStep",
    "RowResult",
    "ScreeningRun",
    "detect_columns",
    "screen",
    "screen_suppliers",
]
