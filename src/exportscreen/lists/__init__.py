"""Government lists -> :class:`ListEntry` records; the embedded snapshot; safe updates.

    >>> import exportscreen as xs
    >>> lst = xs.load_list("default")          # cached update, else the 2022 CSL snapshot
    >>> xs.describe_list(lst)                  # which list, how old (for stderr)
"""

from .cache import cache_dir, current_list_info, describe_list
from .loader import detect_format, load_list, load_lists
from .models import ListDiff, ListEntry, ListProvenance, RejectedRecord, ScreeningList

__all__ = [
    "ListDiff",
    "ListEntry",
    "ListProvenance",
    "RejectedRecord",
    "ScreeningList",
    "cache_dir",
    "current_list_info",
    "describe_list",
    "detect_format",
    "load_list",
    "load_lists",
]
