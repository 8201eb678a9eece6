"""Plain-text tables for the terminal (``--format table``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["format_table"]


def _cell(value: Any, width: int) -> str:
    if value is None:
        text = ""
    elif isinstance(value, (list, tuple)):
        text = " > ".join(map(str, value)) if value else ""
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    *,
    max_width: int = 48,
    empty: str = "(no rows)",
) -> str:
    """Align *rows* under *columns*; long cells are cut at *max_width* with an ellipsis."""
    if not rows:
        return empty + "\n"
    cells = [[_cell(row.get(c), max_width) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"
