"""``exportscreen rare-earth``: check a bill of materials against China's rare-earth controls.

One verdict per product (``license_required``, ``not_required``, ``needs_review``,
``suspended``) with the triggers that decided it. JSON goes to stdout, notices to stderr.
"""

from __future__ import annotations

import argparse

__all__ = ["register", "run"]


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
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..rareearth.cli import run_rare_earth

    return run_rare_earth(args)
