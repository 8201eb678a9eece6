"""Analyst decisions on screening alerts that expire when either side changes.

An analyst closes an alert as a ``false_positive`` or marks it ``confirmed``. The
decision is bound to two content hashes:

* ``supplier_hash`` — sha256 of the supplier row's screened fields (name, country,
  id: the search criteria), see :func:`supplier_hash`;
* ``entry_hash`` — sha256 of what was matched: the list entry's
  :attr:`~exportscreen.ListEntry.content_hash`, and for an ownership affiliate also
  the ownership evidence (path and stakes), see ``screening.alert_hash``.

A later run honours the decision only while both hashes are unchanged; otherwise the
alert re-opens and the run says why (supplier row changed, list entry changed,
ownership evidence changed). This is the "accept list with auto-invalidation" that
commercial tools sell (LexisNexis Bridger's Accept List re-alerts "if search criteria
or the result record change"; ``research/anchors-screening.md`` §5, (c) 3).

File format (CSV or JSON; JSON is a list of objects or ``{"decisions": [...]}``)::

    row_key,supplier_hash,entry_id,entry_hash,decision,analyst,date,note
    id:V10023,9f2c...,d05d55fa...,41ab...,false_positive,J. Ortiz,2026-03-02,different company

``row_key`` is ``id:<supplier id>`` when the file has an id column, else
``name:<name>|<country>`` (casefolded, spaces collapsed). The decisions file is a log:
when one alert has several decisions, the one with the latest ``date`` wins (on a tie
the later line). Lines whose ``decision`` is empty (an unfilled template line) are
counted and reported, never applied.

Example::

    >>> from exportscreen.decisions import supplier_hash
    >>> len(supplier_hash({"name": "ACME Corp", "country": "US", "id": "V1"}))
    64
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import InputError
from ..io.read import Table, has_undecodable, parse_date, read_table

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DECISION_COLUMNS",
    "DECISION_VALUES",
    "Decision",
    "DecisionBook",
    "load_decisions",
    "row_key",
    "supplier_hash",
]

DecisionValue = Literal["false_positive", "confirmed"]
DECISION_VALUES: tuple[str, ...] = ("false_positive", "confirmed")
DECISION_COLUMNS: tuple[str, ...] = (
    "row_key", "supplier_hash", "entry_id", "entry_hash", "decision", "analyst", "date", "note",
)
_REQUIRED = ("row_key", "supplier_hash", "entry_id", "entry_hash", "decision")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def row_key(name: str, country: str = "", supplier_id: str = "") -> str:
    """Stable key of a supplier row across runs: its id when it has one, else name and country.

    >>> row_key("ACME  Corp", "us")
    'name:acme corp|us'
    >>> row_key("ACME Corp", "US", "V-17")
    'id:V-17'
    """
    supplier_id = supplier_id.strip()
    if supplier_id:
        return f"id:{supplier_id}"
    return f"name:{_fold(name)}|{_fold(country)}"


def supplier_hash(fields: Mapping[str, str]) -> str:
    """sha256 of a row's screened fields (role -> raw text), independent of column order."""
    payload = json.dumps(
        {k: fields[k] for k in sorted(fields)}, ensure_ascii=False, sort_keys=True
    )
    return hashlib.sha256(payload.encode("utf-8", "surrogateescape")).hexdigest()


@dataclass(frozen=True)
class Decision:
    """One analyst decision on one alert (a supplier row x a list entry)."""

    row_key: str
    supplier_hash: str
    entry_id: str
    entry_hash: str
    decision: DecisionValue
    analyst: str
    date: _dt.date | None
    note: str
    source_row: int | None = None

    def describe(self) -> str:
        """One line for reports: ``false_positive by J. Ortiz on 2026-03-02: note``."""
        who = f" by {self.analyst}" if self.analyst else ""
        when = f" on {self.date.isoformat()}" if self.date else ""
        note = f": {self.note}" if self.note else ""
        return f"{self.decision}{who}{when}{note}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "row_key": self.row_key,
            "supplier_hash": self.supplier_hash,
            "entry_id": self.entry_id,
            "entry_hash": self.entry_hash,
            "decision": self.decision,
            "analyst": self.analyst,
            "date": self.date.isoformat() if self.date else None,
            "note": self.note,
        }


@dataclass(frozen=True)
class DecisionBook:
    """Decisions indexed by alert, plus what the loader set aside (reported, never silent)."""

    decisions: tuple[Decision, ...]
    path: str | None = None
    sha256: str | None = None
    undecided_rows: tuple[int, ...] = ()
    _index: dict[tuple[str, str], list[Decision]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        index: dict[tuple[str, str], list[Decision]] = {}
        for decision in self.decisions:
            index.setdefault((decision.row_key, decision.entry_id), []).append(decision)
        for key, found in index.items():
            # latest date wins; stable sort keeps file order for ties, so take the last
            found.sort(key=lambda d: d.date or _dt.date.min)
            index[key] = found
        object.__setattr__(self, "_index", index)

    def __len__(self) -> int:
        return len(self.decisions)

    def latest(self) -> list[Decision]:
        """The decision in force per alert key (latest wins), sorted by key."""
        return [self._index[k][-1] for k in sorted(self._index)]

    def for_alert(self, key: str, entry_id: str) -> Decision | None:
        """The decision in the log for this row key and entry id (latest wins), if any."""
        found = self._index.get((key, entry_id))
        return found[-1] if found else None

    def alert_keys(self) -> list[tuple[str, str]]:
        return sorted(self._index)

    def provenance(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "decisions": len(self.decisions),
            "undecided_rows": list(self.undecided_rows),
        }


def load_decisions(source: str | Path | pd.DataFrame | DecisionBook | None) -> DecisionBook:
    """Read a decisions file (CSV, .xlsx, JSON) or DataFrame into a :class:`DecisionBook`.

    Raises :class:`InputError` naming the file, row and column for a missing column,
    an unknown decision (allowed: false_positive, confirmed), a malformed hash or date.
    """
    import pandas as pd

    if source is None:
        return DecisionBook(())
    if isinstance(source, DecisionBook):
        return source
    digest: str | None = None
    label: str | None = None
    if isinstance(source, pd.DataFrame):
        table = read_table(source, required=_REQUIRED)
    else:
        path = Path(source)
        label = str(source)
        if path.is_dir():
            raise InputError("expected a decisions file, found a folder", file=label)
        if not path.is_file():
            raise InputError("file not found", file=label)
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if path.suffix.lower() == ".json":
            table = _json_table(raw, label)
        else:
            table = read_table(path, required=_REQUIRED)
    decisions: list[Decision] = []
    undecided: list[int] = []
    frame = table.frame
    columns = [c for c in DECISION_COLUMNS if c in frame.columns]
    for position, values in enumerate(frame[columns].itertuples(index=False, name=None)):
        record = dict(zip(columns, values, strict=True))
        for column, text in record.items():
            if has_undecodable(text):
                raise table.error("the cell has bytes that are not valid UTF-8", position, column)
        value = record["decision"].strip()
        if not value:
            undecided.append(table.row_number(position))
            continue
        decisions.append(_decision(table, position, record, value))
    return DecisionBook(
        tuple(decisions), path=label, sha256=digest, undecided_rows=tuple(undecided)
    )


def _decision(table: Table, position: int, record: dict[str, str], value: str) -> Decision:
    if value not in DECISION_VALUES:
        raise table.error(
            f"unknown decision {value!r}; use one of: {', '.join(DECISION_VALUES)}",
            position, "decision",
        )
    for column in ("row_key", "entry_id"):
        if not record[column].strip():
            raise table.error("must not be empty", position, column)
    for column in ("supplier_hash", "entry_hash"):
        text = record[column].strip().lower()
        if not _HEX64.match(text):
            raise table.error(
                "must be the 64-character sha256 copied from the screening output", position, column
            )
    date = parse_date(record.get("date", ""), table, position, "date")
    return Decision(
        row_key=record["row_key"].strip(),
        supplier_hash=record["supplier_hash"].strip().lower(),
        entry_id=record["entry_id"].strip(),
        entry_hash=record["entry_hash"].strip().lower(),
        decision=value,  # type: ignore[arg-type]  # checked against DECISION_VALUES above
        analyst=record.get("analyst", "").strip(),
        date=date,
        note=record.get("note", "").strip(),
        source_row=table.row_number(position),
    )


def _json_table(raw: bytes, label: str) -> Table:
    import pandas as pd

    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text at byte {exc.start}", file=label) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg} (column {exc.colno})", file=label,
                         row=exc.lineno) from None
    if isinstance(data, dict):
        data = data.get("decisions")
    if not isinstance(data, list):
        raise InputError("expected a list of decisions or {\"decisions\": [...]}", file=label)
    records: list[dict[str, str]] = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise InputError(f"decision #{number} is not an object", file=label)
        records.append(
            {k: "" if item.get(k) is None else str(item.get(k)) for k in DECISION_COLUMNS}
        )
    # object, not str: Arrow-backed str (pandas 3 with pyarrow) refuses the lone
    # surrogates a JSON \udcXX escape gives, which the checks below report
    frame = pd.DataFrame(records, columns=list(DECISION_COLUMNS), dtype=object)
    # JSON has no spreadsheet rows: errors name the 1-based position of the decision
    return _JsonTable(frame, label, from_file=False)


class _JsonTable(Table):
    """Errors in a JSON decisions file name the decision's 1-based position."""

    def row_number(self, position: int) -> int:
        return position + 1

    def error(
        self, message: str, position: int | None = None, column: str | None = None
    ) -> InputError:
        row = None if position is None else position + 1
        return InputError(f"{message} (decision #{row} in the JSON list)", file=self.label,
                          row=row, column=column)
