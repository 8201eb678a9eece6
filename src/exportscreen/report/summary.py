"""The readable summary ``exportscreen screen`` prints when there is no ``--out``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..screening import STATUSES
from .html import list_warnings
from .table import format_table

if TYPE_CHECKING:
    from ..screening import ScreeningRun

__all__ = ["format_summary"]


def format_summary(run: ScreeningRun, *, max_alerts: int = 200) -> str:
    """Counts per status, then every alert (most severe first), then errors and changes."""

    counts = run.summary
    prov = run.provenance
    lst = prov["list"]
    lines = [
        f"Screened {counts['rows']} rows of {prov['input']['path'] or 'a DataFrame'} against "
        f"{lst['source']} ({lst['entries']} entries, "
        f"snapshot {lst.get('snapshot_date') or 'undated'})",
    ]

    lines.extend(f"WARNING: {w}" for w in list_warnings(run))
    if run.ownership:
        own = run.ownership
        state = ("NOT in force" if not own.get("rule_in_force") else
                 "treated as in force, NOT SETTLED" if own.get("caveat") else "in force")
        lines.append(
            f"Ownership: {own['entities']} entities, {len(own['listed_roots'])} listed by name, "
            f"rule {own['rule']} as of {own['as_of']} ({state})"
        )
        if own.get("caveat"):  # the rule's state on that date is not settled
            lines.append(f"  {own['caveat']}")
    lines.append("")
    lines.append("  ".join(f"{s}: {counts[s]}" for s in STATUSES)
                 + f"   open alerts: {counts['open_alerts']}")
    if counts["false_positive"] or counts["confirmed"] or counts["reopened"]:
        lines.append(f"decisions: {counts['false_positive']} closed as false positive, "
                     f"{counts['confirmed']} confirmed, {counts['reopened']} re-opened")
    alerts = run.alerts()
    lines.append("")
    if alerts:
        lines.append(f"Alerts ({len(alerts)}):")
        table_rows = [
            {"row": r.row, "status": r.status,
             "score": "" if r.top is None else f"{r.top.score:.1f}",
             "name": r.name, "matched": "" if r.top is None else r.top.entry_name,
             "list": "" if r.top is None else r.top.source,
             "decision": r.decision,
             "path/reason": r.top.affiliate.path_text()
             if r.top is not None and r.top.affiliate is not None else r.reason}
            for r in alerts[:max_alerts]
        ]
        lines.append(format_table(
            table_rows,
            ["row", "status", "score", "name", "matched", "list", "decision", "path/reason"],
            max_width=60,
        ).rstrip("\n"))
        if len(alerts) > max_alerts:
            lines.append(f"... and {len(alerts) - max_alerts} more (use --out)")
    else:
        lines.append("No alerts.")
    errors = [r for r in run.rows if r.status == "error"]
    if errors:
        lines.append("")
        lines.append(f"Rows that could not be screened ({len(errors)}):")
        lines.extend(f"  row {r.row}: {r.reason}" for r in errors[:max_alerts])
    if run.changes is not None:
        lines.append("")
        lines.append(f"Changes since the previous run ({len(run.changes)}):")
        lines.extend(
            f"  row {c.row if c.row is not None else '-'} {c.name}: {c.text()}"
            for c in run.changes[:max_alerts]
        )
    return "\n".join(lines) + "\n"
