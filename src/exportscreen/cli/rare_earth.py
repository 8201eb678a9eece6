"""``exportscreen rare-earth``: check a bill of materials against China's rare-earth controls.

One verdict per product (``license_required``, ``not_required``, ``needs_review``,
``suspended``) with the triggers that decided it. JSON goes to stdout, notices to stderr.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys

from ..errors import InputError
from ..io.read import iso_date

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
    parser.add_argument("--format", choices=("json", "csv", "table"), default="json")
    parser.add_argument(
        "--pack",
        help="rule pack JSON file replacing or extending the built-in pack "
        "(e.g. to record an extension of a suspension)",
    )
    parser.add_argument("--out", help="write the result to this file instead of stdout")
    parser.set_defaults(func=run_rare_earth)






CSV_COLUMNS = ("product_id", "status", "date", "regime", "control_codes", "trigger_lines",
               "in_force", "ratio", "ratio_min", "ratio_max", "headroom", "licensing_outlook",
               "reasons", "notices")
TABLE_COLUMNS = ("product_id", "status", "control_codes", "trigger_lines", "ratio", "headroom",
                 "licensing_outlook")


def render(report: object, fmt: str) -> str:
    import json

    from ..rareearth.models import BomCheckReport
    from ..report.table import format_table

    assert isinstance(report, BomCheckReport)
    if fmt == "json":
        # to_dict() is already plain JSON data: same layout as io.read.dump_json, without its walk
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    rows = report.rows()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()
    return format_table(rows, TABLE_COLUMNS, empty="(no products)")


def run_rare_earth(args: argparse.Namespace) -> int:

    from ..rareearth.checker import check_bom_report

    date = None
    if args.date is not None:
        # only YYYY-MM-DD: fromisoformat alone also takes 20260301 and 2026-W10-1, and an
        # empty --date would silently become today
        try:
            date = iso_date(args.date)
        except ValueError:
            raise InputError(f"not a date in the form YYYY-MM-DD: {args.date!r}",
                             column="--date") from None
    report = check_bom_report(args.bom, date=date, pack=args.pack)
    for notice in report.notices:
        print(f"exportscreen: notice: {notice}", file=sys.stderr)
    text = render(report, args.format)
    if args.out:
        try:
            with open(args.out, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        except OSError as exc:
            raise InputError(f"cannot write the output: {exc}", file=args.out) from None
    else:
        sys.stdout.write(text)
    counts: dict[str, int] = {}
    for verdict in report.verdicts:
        counts[verdict.status] = counts.get(verdict.status, 0) + 1
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "no products"
    print(f"exportscreen: {len(report.verdicts)} products: {summary}", file=sys.stderr)
    return 0
