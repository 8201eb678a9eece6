"""The ``exportscreen`` command.

Exit codes (stable contract, see DESIGN.md): 0 the command ran, whatever it found;
2 bad input or usage, with a message naming the file, row and column; 1 an internal
error. Results go to stdout (or ``--out``); progress and notices go to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence

from .._version import __version__
from ..errors import InputError, OutputError
from . import affiliates, lists, match, rare_earth, screen

__all__ = ["build_parser", "main"]

# the subcommand modules, in the order --help lists them
COMMANDS = (screen, affiliates, match, rare_earth, lists)

EPILOG = """\
examples:
  exportscreen screen suppliers.csv --out report.html
  exportscreen affiliates --ownership own.csv --listed listed.csv --rule us-bis-affiliates
  exportscreen match "Huawei Technologies" --country CN
  exportscreen rare-earth bom.csv --date 2026-12-01 --format table
  exportscreen lists info --format json

exit codes: 0 ran (whatever was found), 2 bad input or usage, 1 internal error.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="exportscreen",
        description="Export-control screening: restricted-party lists, 50 % ownership rules, "
        "China's rare-earth controls.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"exportscreen {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for module in COMMANDS:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (also used by ``python -m exportscreen``)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = args.func(args)
    except InputError as exc:
        print(f"exportscreen: error: {exc}", file=sys.stderr)
        return 2
    except OutputError as exc:  # the input was fine; the result could not be written
        print(f"exportscreen: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. `exportscreen ... | head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("exportscreen: interrupted", file=sys.stderr)
        return 1
    except Exception as exc:  # the documented exit code 1 for anything unexpected
        if os.environ.get("EXPORTSCREEN_DEBUG"):
            traceback.print_exc()
        print(
            f"exportscreen: internal error: {type(exc).__name__}: {exc}\n"
            "(set EXPORTSCREEN_DEBUG=1 for the traceback; please report it)",
            file=sys.stderr,
        )
        return 1
    return int(code or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
