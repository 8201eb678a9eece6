"""``exportscreen lists``: what list ``default`` resolves to, and safe updates of it."""

from __future__ import annotations

import argparse
import sys

from ..io.read import dump_json
from ..lists import load_list
from ..lists.cache import current_list_info
from ..lists.update import SOURCES, UpdateError, update_list
from ..report.table import format_table

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
    info = actions.add_parser(
        "info", help="show source, entry count, date, age, sha256 and path of each list in use")
    info.add_argument("--format", choices=("json", "table"), default="table")
    info.add_argument("--list", action="append", dest="lists", metavar="PATH|default",
                      help="a list in use (repeatable; default: 'default')")
    info.set_defaults(func=run_lists)
    update = actions.add_parser(
        "update", help="download, validate and atomically install the current list"
    )

    update.add_argument("--source", choices=SOURCES, default="csl",
                        help="which official list to download (default csl, the one 'default' "
                        "uses); each source has its own cache entry")
    update.add_argument("--url", help="download from this URL instead of the source's official "
                        "address (a mirror)")
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
    lists = [load_list(item) for item in (args.lists or ["default"])]
    info = current_list_info(lists)
    if args.format == "json":
        dump_json(info, sys.stdout)
        return 0

    rows: list[dict[str, object]] = []
    for number, item in enumerate(info["lists"], start=1):
        prefix = "" if len(info["lists"]) == 1 else f"list {number} "
        rows += [{"field": prefix + k, "value": v} for k, v in item.items()
                 if k not in {"sources", "notices"}]
        rows += [{"field": f"{prefix}entries on {s}", "value": n}
                 for s, n in item["sources"].items()]
        rows += [{"field": f"{prefix}notice", "value": n} for n in item["notices"]]
    for source, item in info["installed"].items():
        if item["usable"]:
            text = (f"{item['entries']} entries, retrieved {item['retrieved_at']} "
                    f"({item['age_days']} days old), {item['path']}")
        else:
            text = f"not usable: {item['problem']}"
        rows.append({"field": f"installed {source}", "value": text})
    sys.stdout.write(format_table(rows, ["field", "value"], max_width=100))
    for item in info["lists"]:
        for notice in item["notices"]:
            if "could not be used" in notice:
                print(f"exportscreen: notice: {notice}", file=sys.stderr)
    return 0


def _update(args: argparse.Namespace) -> int:
    try:
        result = update_list(
            args.url, source=args.source, min_ratio=args.min_ratio, timeout=args.timeout,
            progress=not args.no_progress and sys.stderr.isatty(),
        )
    except UpdateError as exc:
        print(f"exportscreen: list update failed: {exc}\n"
              "the list in use is unchanged (see `exportscreen lists info`)", file=sys.stderr)
        return 1
    for name in result.removed_staging:
        print(f"removed {name}, left by an interrupted update", file=sys.stderr)
    print(
        f"installed {result.entries} entries of {result.source} ({result.format}, sha256 "
        f"{result.sha256[:16]}...) at {result.path}\n"
        f"compared with the previous list ({result.previous_source}, "
        f"{result.previous_entries} entries): {result.diff_summary}",
        file=sys.stderr,
    )
    dump_json({"source": result.source, "format": result.format, "path": str(result.path),
               "entries": result.entries, "sha256": result.sha256,
               "previous_entries": result.previous_entries, "changes": result.diff_summary},
              sys.stdout)
    return 0
