"""Government lists -> :class:`ListEntry` records."""

from .models import ListEntry, ListProvenance, ScreeningList

__all__ = ["ListEntry", "ListProvenance", "ScreeningList"]
