"""``exportscreen match``: screen one name, or a file of names, against a list."""

from __future__ import annotations

import argparse

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "match",
        help="fuzzy-match a name (or a file of names) against a screening list",
        description="Fuzzy-match a name against a screening list and explain each match. "
        "With --input, screen every row of a CSV/Excel file in one run.",
    )
    parser.add_argument("name", nargs="?", help="the name to screen (omit with --input)")
    parser.add_argument("--country", help="ISO 3166 alpha-2 country of the party, if known")
    parser.add_argument("--entity-type", help="individual/person or entity/organization, if known")
    parser.add_argument(
        "--list", dest="list_path", default="default", help="list file or 'default'"
    )
    parser.add_argument("--format", choices=("json", "table", "csv"), default="json")
    parser.add_argument(
        "--limit", type=int, default=None, help="matches per name (default 5; 1 with --input)"
    )
    parser.add_argument(
        "--min-score", type=float, help="lowest score shown (default: the possible threshold)"
    )
    parser.add_argument("--input", help="CSV/TSV/Excel file of names to screen in one batch")
    parser.add_argument(
        "--name-column", default="name", help="name column of --input (default name)"
    )
    parser.add_argument("--country-column", help="country column of --input, if any")
    parser.add_argument("--workers", type=int, help="processes for --input (default: all cores)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..names.cli import run_match

    return run_match(args)
