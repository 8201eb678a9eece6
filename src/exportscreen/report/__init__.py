"""Writers for results: plain-text tables, CSV (spreadsheet-safe), JSON and HTML."""

from .table import format_table

__all__ = ["format_table"]
