"""``exportscreen affiliates``: apply a 50 % ownership rule to an ownership graph.

Reads the ownership CSV (and optionally an entities CSV) and the listed parties CSV
described in DESIGN.md, applies a rule preset (``us-bis-affiliates`` by default) at an
as-of date, and prints every non-listed entity whose status is not clear, with its
evidence: contributions, roots, one shortest path and aggregate bounds.
"""

from __future__ import annotations

import argparse
import sys

from ..errors import InputError
from ..io.read import dump_json
from ..ownership.engine import CSV_COLUMNS, AffiliatesResult, apply_affiliates_rule, load_listed_csv
from ..ownership.graph import OwnershipGraph
from ..ownership.rules import RulePreset, SuspensionWindow
from ..report.table import format_table
from .options import (
    add_as_of_option,
    add_out_option,
    add_read_options,
    add_rule_option,
    cli_as_of,
    cli_date,
    cli_read_options,
    cli_rule,
    emit,
    output_format,
)

__all__ = ["parse_suspensions", "register", "resolve_rule", "run_affiliates", "write_result"]

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
    add_rule_option(parser)
    add_as_of_option(parser)
    add_read_options(parser)
    parser.add_argument("--suspended", action="append", default=None, metavar="FROM..TO",
                        help="replace the preset's suspension windows (repeatable; "
                        "'none' for no suspension; either end may be empty); the rule is "
                        "taken to apply again after a window you give")
    parser.add_argument("--unknown-country", dest="unknown_country",
                        choices=("in_scope", "out_of_scope"),
                        help="how an entity with no country is treated by a foreign-only rule "
                        "(preset default: in_scope, flagged)")
    add_out_option(parser, ("json", "csv", "tsv", "xlsx", "table"), "json")
    parser.set_defaults(func=run_affiliates)






TABLE_COLUMNS = ("id", "status", "certain", "aggregate_min", "aggregate_max", "roots", "path",
                 "license_policy")


def resolve_rule(text: str) -> RulePreset:
    """A preset id, or a path to a rule JSON file (:func:`~.options.cli_rule`)."""
    return cli_rule(text)



def parse_suspensions(values: list[str]) -> tuple[SuspensionWindow, ...]:
    """``["2025-11-10..2026-11-09"]`` -> windows; ``["none"]`` -> no suspension."""
    windows: list[SuspensionWindow] = []
    for value in values:
        if value.strip().lower() == "none":
            continue
        if ".." not in value:
            raise InputError(f"expected FROM..TO, got {value!r}", column="--suspended")
        start, end = value.split("..", 1)
        s = cli_date(start, "--suspended") if start.strip() else None
        e = cli_date(end, "--suspended") if end.strip() else None
        if s and e and s > e:
            raise InputError(f"suspension starts after it ends: {value!r}", column="--suspended")
        # dates the user states: the rule applies again after the end (not "unknown")
        windows.append(SuspensionWindow(start=s, end=e, note="set on the command line",
                                        after_end="revived"))
    return tuple(windows)


def render_table(result: AffiliatesResult) -> str:
    """The plain-text table of ``--format table``, with a head line saying the rule's state."""
    rows = [dict(r, path=r["path"].split(" > ") if r["path"] else []) for r in
            result.csv_rows()]
    state = ("suspended" if result.suspended else "not in force" if not result.rule_in_force
             else "treated as in force, NOT SETTLED" if result.caveat else "in force")
    period = f" [{result.rule.period}]" if result.rule.period else ""
    info = (f"; information as of {result.information_as_of.isoformat()}"
            if result.information_as_of else "")
    head = (f"rule {result.rule.id} at {result.as_of.isoformat()} ({state}{info}){period}"
            f": {len(rows)} finding(s)\n")
    if result.caveat:
        head += result.caveat + "\n"
    return head + format_table(rows, TABLE_COLUMNS, empty="(no findings)")


def write_result(result: AffiliatesResult, fmt: str, args: argparse.Namespace) -> None:
    """Write *result* as ``json``, ``csv``/``tsv``/``xlsx`` or ``table`` (:func:`emit`)."""
    if fmt == "json":
        emit(args, fmt, text=dump_json(result.to_dict()))
    elif fmt == "table":
        emit(args, fmt, text=render_table(result))
    else:
        emit(args, fmt, rows=result.csv_rows(), columns=list(CSV_COLUMNS))

def run_affiliates(args: argparse.Namespace) -> int:
    fmt = output_format(args, file_formats=("json", "csv", "tsv", "xlsx"),
                        inputs=(args.ownership, args.listed, args.entities))
    encoding, sheet = cli_read_options(args)
    rule = resolve_rule(args.rule)
    updates: dict[str, object] = {}
    if args.suspended is not None:
        updates["suspensions"] = parse_suspensions(args.suspended)
    if getattr(args, "unknown_country", None):
        updates["unknown_country"] = args.unknown_country
    if updates:
        rule = rule.model_copy(update=updates)
    as_of = cli_as_of(args)
    graph = OwnershipGraph.from_csv(args.ownership, entities=args.entities,
                                    percent_scale=getattr(args, "percent_scale", "percent"),
                                    encoding=encoding, sheet=sheet)
    listed = load_listed_csv(args.listed, encoding=encoding, sheet=sheet)
    result = apply_affiliates_rule(graph, listed, rule=rule, as_of=as_of)
    for notice in result.notices:
        print(f"exportscreen: notice: {notice}", file=sys.stderr)
    write_result(result, fmt, args)
    return 0
