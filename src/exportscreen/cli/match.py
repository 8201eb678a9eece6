"""``exportscreen match``: screen one name, or a file of names, against a list."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import InputError
from ..io.read import blank_rows_notice, dump_json, has_undecodable, read_table
from ..io.write import table_to_stdout
from ..lists.clean import is_country_code
from ..names.matcher import (
    _ORGANIZATION_TYPES,
    _PERSON_TYPES,
    NameMatch,
    NameMatcher,
    with_best_match_columns,
)
from ..report.table import format_table
from .options import (
    add_list_option,
    add_read_options,
    cli_lists,
    cli_read_options,
    print_list_formats,
    print_list_notice,
)

__all__ = ["register", "run_match"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "match",
        help="fuzzy-match a name (or a file of names) against a screening list",
        description="Fuzzy-match a name against a screening list and explain each match. "
        "With --input, screen every row of a CSV/Excel file in one run.",
    )
    parser.add_argument("name", nargs="?", help="the name to screen (omit with --input)")
    parser.add_argument("--country", help="ISO 3166 alpha-2 country of the party, if known")
    parser.add_argument("--entity-type", help="individual/person or entity/organization, if known")
    add_list_option(parser)
    parser.add_argument("--format", choices=("json", "table", "csv"), default="json")
    parser.add_argument(
        "--limit", type=int, default=None, help="matches per name (default 5; 1 with --input)"
    )
    parser.add_argument(
        "--min-score", type=float, help="lowest score shown (default: the possible threshold)"
    )
    parser.add_argument("--input", help="CSV/TSV/Excel file of names to screen in one batch")
    parser.add_argument(
        "--name-column", default="name", help="name column of --input (default name)"
    )
    parser.add_argument("--country-column", help="country column of --input, if any")
    parser.add_argument("--workers", type=int, help="processes for --input (default: all cores)")
    add_read_options(parser)
    parser.set_defaults(func=run_match)






_TABLE_COLUMNS = ("score", "status", "entry_id", "name", "matched_alias", "source", "countries")


def _country_problem(text: str) -> str | None:
    code = text.strip().upper()
    if len(code) != 2 or not code.isalpha() or not is_country_code(code):
        return f"not an ISO 3166 alpha-2 country code: {text!r}"
    return None


def _nothing_to_compare(name: str) -> bool:
    return not any(ch.isalnum() for ch in name)


def _check_options(args: argparse.Namespace) -> None:
    if args.input and args.name:
        raise InputError("give either a NAME or --input FILE, not both")
    if not args.input and not (args.name and args.name.strip()):
        raise InputError("give a NAME to screen, or --input FILE for a batch")
    if args.name and _nothing_to_compare(args.name):
        raise InputError(f"the name {args.name!r} has no letters or digits to compare")
    if args.limit is not None and args.limit < 1:
        raise InputError("--limit must be at least 1")
    if args.workers is not None and args.workers < 1:
        raise InputError("--workers must be at least 1")
    if args.min_score is not None and not 0 <= args.min_score <= 100:  # also catches NaN
        raise InputError(f"--min-score must be between 0 and 100, not {args.min_score:g}")
    if args.country and (problem := _country_problem(args.country)):
        raise InputError(f"--country: {problem}")
    known = sorted(_PERSON_TYPES | _ORGANIZATION_TYPES)
    if args.entity_type and args.entity_type.strip().casefold() not in known:
        raise InputError(
            f"--entity-type must be one of {', '.join(known)}, not {args.entity_type!r}"
        )


def _match_record(match: NameMatch) -> dict[str, Any]:
    record = match.model_dump(mode="json")
    record.pop("query", None)
    return record


def run_match(args: argparse.Namespace) -> int:
    _check_options(args)
    encoding, sheet = cli_read_options(args)
    lst = cli_lists(args)
    print_list_notice(lst)
    print_list_formats(lst)
    matcher = NameMatcher(lst)
    provenance = lst.provenance.model_dump(mode="json")
    thresholds = {"hit": matcher.hit_threshold, "possible": matcher.possible_threshold}

    if not args.input:
        matches = matcher.match(
            args.name,
            country=args.country,
            entity_type=args.entity_type,
            limit=args.limit or 5,
            min_score=args.min_score,
        )
        if args.format == "json":
            dump_json(
                {
                    "query": args.name,
                    "country": args.country,
                    "list": provenance,
                    "thresholds": thresholds,
                    "matches": [_match_record(m) for m in matches],
                },
                sys.stdout,
            )
        elif args.format == "csv":
            columns = [f for f in NameMatch.model_fields if f != "query"]
            table_to_stdout([_match_record(m) for m in matches], columns=columns)
        else:
            rows = [_match_record(m) for m in matches]
            sys.stdout.write(format_table(rows, _TABLE_COLUMNS, empty="(no match)"))
            for m in matches:
                print(f"- {m.entry_id}: {m.explanation}", file=sys.stderr)
        return 0

    return _run_batch(args, matcher, provenance, thresholds, encoding=encoding, sheet=sheet)


def _run_batch(
    args: argparse.Namespace,
    matcher: NameMatcher,
    provenance: dict[str, Any],
    thresholds: dict[str, float],
    *,
    encoding: str | None = None,
    sheet: str | None = None,
) -> int:

    required = [args.name_column] + ([args.country_column] if args.country_column else [])
    table = read_table(args.input, required=required, encoding=encoding, sheet=sheet)
    skipped = blank_rows_notice(table)
    if skipped:
        print(f"exportscreen: notice: {skipped}", file=sys.stderr)
    names = list(table.frame[args.name_column])
    for position, value in enumerate(names):
        if not value.strip():
            raise table.error("the name is empty", position, args.name_column)
        if has_undecodable(value):
            raise table.error(
                "the name has bytes that are not valid UTF-8; fix the file's encoding",
                position,
                args.name_column,
            )
        if _nothing_to_compare(value):
            raise table.error(
                f"the name {value!r} has no letters or digits to compare",
                position,
                args.name_column,
            )
    countries: list[str | None] | None = None
    if args.country_column:
        countries = []
        for position, value in enumerate(table.frame[args.country_column]):
            code = value.strip().upper()
            if code and (problem := _country_problem(value)):
                raise table.error(problem, position, args.country_column)
            countries.append(code or None)
    elif args.country:
        countries = [args.country.strip().upper()] * len(names)
    limit = args.limit or 1
    results = matcher.match_many(
        names, countries=countries, limit=limit, min_score=args.min_score, workers=args.workers
    )
    if args.format == "json":
        dump_json(
            {
                "input": args.input,
                "list": provenance,
                "thresholds": thresholds,
                "results": [
                    {
                        "row": table.row_number(position),
                        "query": name,
                        "country": countries[position] if countries else None,
                        "status": matches[0].status if matches else "clear",
                        "matches": [_match_record(m) for m in matches],
                    }
                    for position, (name, matches) in enumerate(zip(names, results, strict=True))
                ],
            },
            sys.stdout,
        )
        return 0
    out = with_best_match_columns(table.frame, results)
    if args.format == "csv":
        table_to_stdout(out)
    else:
        columns = [
            args.name_column,
            "match_status",
            "match_score",
            "matched_entry_id",
            "matched_name",
            "matched_source",
        ]
        records = [{str(k): v for k, v in row.items()} for row in out.to_dict("records")]
        sys.stdout.write(format_table(records, columns))
    flagged = sum(1 for r in results if r and r[0].status)
    print(f"screened {len(names)} names: {flagged} flagged (hit or possible)", file=sys.stderr)
    return 0
