"""``exportscreen rare-earth``: check a bill of materials against China's rare-earth controls.

One verdict per product (``license_required``, ``not_required``, ``needs_review``,
``suspended``) with the triggers that decided it. JSON goes to stdout, notices to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..rareearth.checker import check_bom_report
from ..rareearth.models import BomCheckReport
from ..report.table import format_table
from .options import (
    add_out_option,
    add_read_options,
    cli_date,
    cli_read_options,
    emit,
    output_format,
)

__all__ = ["register", "run_rare_earth"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "rare-earth",
        help="check a bill of materials against MOFCOM rare-earth export controls",
        description="Check a BOM (CSV/Excel) against China's rare-earth export controls "
        "(MOFCOM Announcements No. 18, 57, 61 of 2025 and the No. 70 suspension) and say, "
        "per product, whether a Chinese export licence is needed and why.",
    )
    parser.add_argument("bom", help="BOM file (CSV, TSV or Excel) in the BOM contract")
    parser.add_argument(
        "--date",
        help="shipment date YYYY-MM-DD for every product (default: each product's ship_date, "
        "else today)",
    )
    add_out_option(parser, ("json", "csv", "tsv", "xlsx", "table"), "json")
    parser.add_argument(
        "--composition-tolerance", metavar="POINTS",
        help="how many percentage points a line's element weights may add up beyond 100 %% "
        "(rounded laboratory or customs assays) before the BOM is refused; default 1",
    )
    parser.add_argument(
        "--pack",
        help="rule pack JSON file replacing or extending the built-in pack "
        "(e.g. to record an extension of a suspension)",
    )
    add_read_options(parser)
    parser.set_defaults(func=run_rare_earth)






CSV_COLUMNS = ("product_id", "status", "date", "regime", "control_codes", "trigger_lines",
               "in_force", "ratio", "ratio_min", "ratio_max", "headroom", "licensing_outlook",
               "reporting_obligation", "certain", "caveats", "reasons", "notices")
TABLE_COLUMNS = ("product_id", "status", "certain", "control_codes", "trigger_lines", "ratio",
                 "headroom", "licensing_outlook", "reporting_obligation", "caveats")


def render(report: BomCheckReport, fmt: str) -> str:
    """The report as JSON or as the plain-text table (tables in files go through emit)."""
    if fmt == "json":
        # to_dict() is already plain JSON data: same layout as io.read.dump_json, without its walk
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    return format_table(report.rows(), TABLE_COLUMNS, empty="(no products)")


def run_rare_earth(args: argparse.Namespace) -> int:
    fmt = output_format(args, file_formats=("json", "csv", "tsv", "xlsx"),
                        inputs=(args.bom, args.pack))
    encoding, sheet = cli_read_options(args)
    date = None
    if args.date is not None:
        # only YYYY-MM-DD: fromisoformat alone also takes 20260301 and 2026-W10-1, and an
        # empty --date would silently become today
        date = cli_date(args.date, "--date")
    report = check_bom_report(args.bom, date=date, pack=args.pack,
                              composition_tolerance=args.composition_tolerance,
                              encoding=encoding, sheet=sheet)
    for notice in report.notices:
        print(f"exportscreen: notice: {notice}", file=sys.stderr)
    if fmt in ("json", "table"):
        emit(args, fmt, text=render(report, fmt))
    else:
        emit(args, fmt, rows=report.rows(), columns=list(CSV_COLUMNS))
    counts: dict[str, int] = {}
    for verdict in report.verdicts:
        counts[verdict.status] = counts.get(verdict.status, 0) + 1
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "no products"
    print(f"exportscreen: {len(report.verdicts)} products: {summary}", file=sys.stderr)
    return 0
