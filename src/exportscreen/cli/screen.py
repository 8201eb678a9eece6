"""``exportscreen screen``: screen a supplier or customer file end to end."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import InputError
from ..io.read import dump_json
from ..io.write import check_output, table_to_stdout
from ..lists import describe_list
from ..report import REPORT_FORMATS, write_report
from ..report.csv import write_decisions_template
from ..report.json import run_to_dict
from ..report.summary import format_summary
from ..screening import STATUSES, screen
from .options import (
    add_as_of_option,
    add_list_option,
    add_read_options,
    add_rule_option,
    cli_as_of,
    cli_lists,
    cli_read_options,
    cli_rule,
    print_list_formats,
)

__all__ = ["register", "run_screen_command"]

DESCRIPTION = """\
Screen every row of a supplier/customer file (CSV or .xlsx) against a restricted-party
list and, with --ownership, against the affiliates the chosen 50 % rule derives from an
ownership graph. Every input row comes out exactly once, in input order, with all its
columns plus screen_status (hit, affiliate, possible, clear, error), score, matched_name,
matched_list, matched_entry_id, license_requirement and reason.
"""

EPILOG = """\
examples:
  exportscreen screen fixtures/suppliers.csv
  exportscreen screen fixtures/suppliers.csv --ownership fixtures/ownership.csv \\
      --entities fixtures/entities.csv --out report.html
  exportscreen screen vendors.xlsx --name-column "Vendor Name" --country-column Land \\
      --out results.csv
  exportscreen screen suppliers.csv --decisions-template decisions.csv --out week1.json
  exportscreen screen suppliers.csv --decisions decisions.csv --since week1.json \\
      --out week2.json

--out picks the format from the extension: .csv, .tsv or .xlsx (spreadsheet-safe:
formulas defused), .json (full
provenance, usable later with --since), .html (single-file report for analysts).
A readable summary (counts per status and every alert) goes to stdout; --format csv|json
puts the results there instead (exportscreen screen s.csv --format json | jq ...);
--quiet prints nothing.

exit codes: 0 ran (whatever was found), 2 bad input or usage, 1 internal error.
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "screen",
        help="screen a supplier/customer file against lists and ownership affiliates",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("suppliers", metavar="SUPPLIERS", help="supplier file (.csv, .tsv, .xlsx)")
    add_list_option(parser)
    parser.add_argument(
        "--ownership", metavar="OWN.csv", help="ownership edges (owner_id,owned_id,...)"
    )
    parser.add_argument("--entities", metavar="ENT.csv", help="entities of the ownership graph")
    parser.add_argument(
        "--percent-scale", dest="percent_scale", choices=("percent", "fraction"),
        default="percent",
        help="how --ownership writes stakes: percent (60 = 60 %%, default) or fraction "
        "(0.6 = 60 %%)",
    )
    add_rule_option(parser)
    add_as_of_option(parser)
    add_read_options(parser)
    parser.add_argument("--name-column", help="column holding the party name (default: detected)")
    parser.add_argument("--country-column", help="column holding the country (default: detected)")
    parser.add_argument("--id-column", help="column holding the supplier id (default: detected)")
    parser.add_argument(
        "--decisions", metavar="DECISIONS", help="analyst decisions file (.csv or .json)"
    )
    parser.add_argument(
        "--decisions-template", metavar="FILE.csv",
        help="also write a decisions CSV pre-filled with the open alerts, for the analyst",
    )
    parser.add_argument(
        "--since", metavar="PREVIOUS.json", help="previous run's JSON: report what changed"
    )
    parser.add_argument(
        "--out", metavar="FILE",
        help="write results.csv, results.tsv, results.xlsx, results.json or report.html "
        "(the extension sets the format; written atomically)",
    )
    parser.add_argument(
        "--hit-threshold", type=float, default=None, help="name score for a hit (0-100)"
    )
    parser.add_argument(
        "--possible-threshold", type=float, default=None,
        help="name score for a possible match (0-100)",
    )
    parser.add_argument(
        "--format", choices=("summary", "csv", "json"), default="summary",
        help="what goes to stdout: the readable summary (default), or the results as CSV "
             "or as the JSON report, for a pipe",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true",
        help="print nothing to stdout (the --out file is still written)",
    )
    parser.add_argument(
        "--progress", choices=("auto", "always", "never"), default="auto",
        help="progress bar on stderr (auto: only when stderr is a terminal)",
    )
    parser.set_defaults(func=run_screen_command)


def _stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def run_screen_command(args: argparse.Namespace) -> int:
    """``exportscreen screen``: run, write ``--out`` (by extension) or print a summary."""

    out = getattr(args, "out", None)
    progress = {"always": True, "never": False}.get(getattr(args, "progress", "auto"),
                                                    _stderr_is_tty())
    if args.entities and not args.ownership:
        raise InputError("--entities needs --ownership", column="--entities")
    if getattr(args, "percent_scale", "percent") != "percent" and not args.ownership:
        raise InputError("--percent-scale needs --ownership", column="--percent-scale")
    inputs = [args.suppliers, args.ownership, args.entities, args.decisions, args.since]
    template_path = getattr(args, "decisions_template", None)
    if out:  # before any work: the format from the extension, a folder that exists
        check_output(out, allowed=REPORT_FORMATS, inputs=inputs)
    if template_path:
        check_output(template_path, "csv", allowed=("csv",), option="--decisions-template",
                     inputs=inputs)
    if out and template_path and Path(out).resolve() == Path(template_path).resolve():
        raise InputError("--decisions-template and --out name the same file", file=out)
    encoding, sheet = cli_read_options(args)
    rule = cli_rule(args.rule)
    as_of = cli_as_of(args)
    lst = cli_lists(args)
    print_list_formats(lst)
    print(f"exportscreen: {describe_list(lst)}", file=sys.stderr)
    run = screen(
        args.suppliers, list=lst, ownership=args.ownership, entities=args.entities,
        rule=rule, as_of=as_of, name_column=args.name_column,
        country_column=args.country_column, id_column=args.id_column,
        decisions=args.decisions, previous=args.since, hit_threshold=args.hit_threshold,
        possible_threshold=args.possible_threshold, progress=progress,
        percent_scale=getattr(args, "percent_scale", "percent"), encoding=encoding,
        sheet=sheet,
    )
    for notice in run.notices:
        print(f"exportscreen: notice: {notice}", file=sys.stderr)
    template = getattr(args, "decisions_template", None)
    if template:
        write_decisions_template(run, template)
    if out:
        write_report(run, out)
        counts = run.summary
        print(
            f"exportscreen: wrote {out}: {counts['rows']} rows, "
            + ", ".join(f"{counts[s]} {s}" for s in STATUSES),
            file=sys.stderr,
        )
    if not getattr(args, "quiet", False):
        stdout_format = getattr(args, "format", "summary")
        if stdout_format == "csv":
            table_to_stdout(run.frame)
        elif stdout_format == "json":
            dump_json(run_to_dict(run), sys.stdout)
        else:
            sys.stdout.write(format_summary(run))
    return 0
