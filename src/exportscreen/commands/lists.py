"""``exportscreen lists``: what list ``default`` resolves to, and safe updates of it."""

from __future__ import annotations

import argparse

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "lists",
        help="show or update the screening list 'default' resolves to",
        description="Show the list 'default' resolves to (info) or download the current "
        "Consolidated Screening List into the cache (update).",
    )
    actions = parser.add_subparsers(dest="lists_action", metavar="ACTION")
    actions.required = True
    info = actions.add_parser("info", help="show source, entry count, date, sha256 and path")
    info.add_argument("--format", choices=("json", "table"), default="table")
    info.set_defaults(func=run)
    update = actions.add_parser(
        "update", help="download, validate and atomically install the current list"
    )
    update.add_argument("--url", help="download from this URL instead of the official CSL")
    update.add_argument(
        "--min-ratio",
        type=float,
        default=0.5,
        help="reject a download with fewer entries than this share of the current list "
        "(default 0.5)",
    )
    update.add_argument("--timeout", type=float, default=60.0, help="network timeout in seconds")
    update.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    update.set_defaults(func=run)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..lists.cli import run_lists

    return run_lists(args)
