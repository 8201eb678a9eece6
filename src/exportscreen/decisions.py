"""Analyst decisions: moved to :mod:`exportscreen.screening.decisions`; this name stays."""

from .screening.decisions import (
    Decision,
    DecisionBook,
    load_decisions,
    row_key,
    supplier_hash,
)

__all__ = ["Decision", "DecisionBook", "load_decisions", "row_key", "supplier_hash"]
