"""``exportscreen match``: screen one name (or a file of names) against a list."""

from __future__ import annotations

import argparse

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "match",
        help="fuzzy-match a name against a screening list",
        description="Fuzzy-match a name against a screening list and explain each match.",
    )
    parser.add_argument("name", nargs="?", help="the name to screen")
    parser.add_argument("--country", help="ISO 3166 alpha-2 country of the party, if known")
    parser.add_argument("--list", dest="list_path", default="default", help="list file or 'default'")
    parser.add_argument("--format", choices=("json", "table"), default="json")
    parser.add_argument("--limit", type=int, default=5, help="matches to show (default 5)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..names.cli import run_match

    return run_match(args)
