"""``exportscreen lists``: what list ``default`` resolves to, and safe updates of it."""

from __future__ import annotations

import argparse
import sys

from ..io.read import dump_json
from ..lists.cache import current_list_info

__all__ = ["register", "run_lists"]


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
    info.set_defaults(func=run_lists)
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
    update.set_defaults(func=run_lists)
    parser.set_defaults(func=run_lists)







def run_lists(args: argparse.Namespace) -> int:
    action = getattr(args, "lists_action", None)
    if action == "info":
        return _info(args)
    if action == "update":
        return _update(args)
    print("exportscreen lists: choose an action: info or update", file=sys.stderr)
    return 2


def _info(args: argparse.Namespace) -> int:
    info = current_list_info()
    if args.format == "json":
        dump_json(info, sys.stdout)
        return 0
    from ..report.table import format_table

    rows = [{"field": k, "value": v} for k, v in info.items() if k not in {"sources", "notices"}]
    rows += [{"field": f"entries on {s}", "value": n} for s, n in info["sources"].items()]
    rows += [{"field": "notice", "value": n} for n in info["notices"]]
    sys.stdout.write(format_table(rows, ["field", "value"], max_width=100))
    return 0


def _update(args: argparse.Namespace) -> int:
    from ..lists.update import UpdateError, update_list

    try:
        result = update_list(
            args.url, min_ratio=args.min_ratio, timeout=args.timeout,
            progress=not args.no_progress and sys.stderr.isatty(),
        )
    except UpdateError as exc:
        print(f"exportscreen: list update failed: {exc}\n"
              "the list in use is unchanged (see `exportscreen lists info`)", file=sys.stderr)
        return 1
    print(
        f"installed {result.entries} entries (sha256 {result.sha256[:16]}...) at {result.path}\n"
        f"compared with the previous list ({result.previous_source}, "
        f"{result.previous_entries} entries): {result.diff_summary}",
        file=sys.stderr,
    )
    dump_json({"path": str(result.path), "entries": result.entries, "sha256": result.sha256,
               "previous_entries": result.previous_entries, "changes": result.diff_summary},
              sys.stdout)
    return 0
