"""The ``exportscreen lists info|update`` subcommands (argparse glue over the library)."""

from __future__ import annotations

import argparse
import sys

from .._io import dump_json
from .cache import current_list_info

__all__ = ["run_lists"]


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
    from .update import UpdateError, update_list

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
