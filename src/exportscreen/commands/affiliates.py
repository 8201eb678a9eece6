"""``exportscreen affiliates``: apply a 50 % ownership rule to an ownership graph.

Reads the ownership CSV (and optionally an entities CSV) and the listed parties CSV
described in DESIGN.md, applies a rule preset (``us-bis-affiliates`` by default) at an
as-of date, and prints every non-listed entity whose status is not clear, with its
evidence: contributions, roots, one shortest path and aggregate bounds.
"""

from __future__ import annotations

import argparse

__all__ = ["register", "run"]

RULE_IDS = ("us-bis-affiliates", "us-ofac", "eu", "eu-pre2024", "uk")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "affiliates",
        help="find entities covered by a 50 %% ownership rule (BIS, OFAC, EU, UK)",
        description="Apply a 50 % ownership rule to an ownership graph and list every "
        "entity that is covered, undetermined, suspended or a red flag, with the evidence.",
    )
    parser.add_argument("--ownership", required=True, metavar="OWN.csv",
                        help="ownership CSV: owner_id,owned_id[,percent|percent_min,percent_max,"
                        "relation,joint_group,valid_from,valid_to,source]")
    parser.add_argument("--listed", required=True, metavar="LISTED.csv",
                        help="listed parties CSV: id,list[,name,programs,license_requirement,"
                        "license_policy]")
    parser.add_argument("--percent-scale", dest="percent_scale", choices=("percent", "fraction"),
                        default="percent",
                        help="how the ownership file writes stakes: percent (60 = 60 %%, "
                        "default) or fraction (0.6 = 60 %%)")
    parser.add_argument("--entities", metavar="ENT.csv",
                        help="entities CSV: id[,name,country,aliases] (country decides the "
                        "BIS foreign-entity scope)")
    parser.add_argument("--rule", default="us-bis-affiliates", metavar="RULE",
                        help=f"rule preset id ({', '.join(RULE_IDS)}) or a rule JSON file "
                        "(default us-bis-affiliates)")
    parser.add_argument("--as-of", dest="as_of", metavar="DATE",
                        help="date the stakes and the rule are taken at (YYYY-MM-DD; "
                        "default today)")
    parser.add_argument("--suspended", action="append", default=None, metavar="FROM..TO",
                        help="replace the preset's suspension windows (repeatable; "
                        "'none' for no suspension; either end may be empty)")
    parser.add_argument("--unknown-country", dest="unknown_country",
                        choices=("in_scope", "out_of_scope"),
                        help="how an entity with no country is treated by a foreign-only rule "
                        "(preset default: in_scope, flagged)")
    parser.add_argument("--format", choices=("json", "csv", "table"), default="json")
    parser.add_argument("--out", metavar="PATH", help="write the result here instead of stdout")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..ownership.cli import run_affiliates

    return run_affiliates(args)
