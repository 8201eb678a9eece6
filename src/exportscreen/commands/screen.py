"""``exportscreen screen``: screen a supplier or customer file end to end."""

from __future__ import annotations

import argparse

__all__ = ["register", "run"]

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

--out picks the format from the extension: .csv (spreadsheet-safe), .json (full
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
    parser.add_argument(
        "--list", dest="list_path", default="default",
        help="screening list: 'default' (cached update, else embedded snapshot) or a list file",
    )
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
    parser.add_argument(
        "--rule", default="us-bis-affiliates",
        help="ownership rule preset (us-bis-affiliates, us-ofac, eu, eu-pre2024, uk); "
        "default us-bis-affiliates",
    )
    parser.add_argument(
        "--as-of", dest="as_of", metavar="DATE", help="date (YYYY-MM-DD) for the rule"
    )
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
        "--out", metavar="FILE", help="write results.csv, results.json or report.html"
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
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..screening import run_screen_command

    return run_screen_command(args)
