"""The work behind ``exportscreen match`` (argument parsing lives in commands/match.py).

One name::

    exportscreen match "Huawei Technologies" --country CN --format json

prints ``{"query", "list": {provenance}, "thresholds", "matches": [...]}`` with the
matches best first. A batch::

    exportscreen match --input names.csv --name-column name --format csv > out.csv

screens every row (in several processes) and prints the rows with ``match_status``,
``match_score``, ``matched_entry_id``, ``matched_name``, ``matched_alias``,
``matched_source`` and ``match_explanation`` added (``--format json`` gives one record
per row with its matches).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import InputError
from .matcher import NameMatch, NameMatcher, with_best_match_columns

__all__ = ["run_match"]

_TABLE_COLUMNS = ("score", "status", "entry_id", "name", "matched_alias", "source", "countries")


def _match_record(match: NameMatch) -> dict[str, Any]:
    record = match.model_dump(mode="json")
    record.pop("query", None)
    return record


def run_match(args: argparse.Namespace) -> int:
    from .._io import dump_json
    from ..lists import load_list, print_list_notice
    from ..report.table import format_table

    if args.input and args.name:
        raise InputError("give either a NAME or --input FILE, not both")
    if not args.input and not (args.name and args.name.strip()):
        raise InputError("give a NAME to screen, or --input FILE for a batch")
    if args.limit is not None and args.limit < 1:
        raise InputError("--limit must be at least 1")
    if args.country and (len(args.country.strip()) != 2 or not args.country.strip().isalpha()):
        raise InputError(f"--country must be an ISO 3166 alpha-2 code, not {args.country!r}")

    lst = load_list(args.list_path)
    print_list_notice(lst)
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
            import pandas as pd

            frame = pd.DataFrame([_match_record(m) for m in matches])
            sys.stdout.write(frame.to_csv(index=False, lineterminator="\n"))
        else:
            rows = [_match_record(m) for m in matches]
            sys.stdout.write(format_table(rows, _TABLE_COLUMNS, empty="(no match)"))
            for m in matches:
                print(f"- {m.entry_id}: {m.explanation}", file=sys.stderr)
        return 0

    return _run_batch(args, matcher, provenance, thresholds)


def _run_batch(
    args: argparse.Namespace,
    matcher: NameMatcher,
    provenance: dict[str, Any],
    thresholds: dict[str, float],
) -> int:
    from .._io import dump_json, read_table
    from ..report.table import format_table

    required = [args.name_column] + ([args.country_column] if args.country_column else [])
    table = read_table(args.input, required=required)
    names = list(table.frame[args.name_column])
    for position, value in enumerate(names):
        if not value.strip():
            raise table.error("the name is empty", position, args.name_column)
    countries: list[str | None] | None = None
    if args.country_column:
        countries = []
        for position, value in enumerate(table.frame[args.country_column]):
            code = value.strip().upper()
            if code and (len(code) != 2 or not code.isalpha()):
                raise table.error(
                    f"not an ISO 3166 alpha-2 country code: {value!r}",
                    position,
                    args.country_column,
                )
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
        sys.stdout.write(out.to_csv(index=False, lineterminator="\n"))
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
