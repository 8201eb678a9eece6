"""Real ownership data -> the ownership-CSV shape: GLEIF Level 2 and BODS.

Both loaders return plain DataFrames with the ownership-CSV columns (plus ``_row``,
the record's place in the source file, for error messages) and a list of notices
saying what was not used and why — nothing is dropped silently.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..io.read import read_table

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["bods_frames", "gleif_frame"]

OWN_COLUMNS = ["owner_id", "owned_id", "percent_min", "percent_max", "relation", "joint_group",
               "valid_from", "valid_to", "source", "_row"]

_G = "Relationship."


def gleif_frame(path: str | Path) -> tuple[pd.DataFrame, list[str]]:
    """Read a GLEIF RR-CDF golden-copy CSV (one relationship per row).

    Mapping (StartNode = child, EndNode = parent):

    * ``IS_DIRECTLY_CONSOLIDATED_BY`` -> an ``ownership`` stake parent -> child with the
      ``ACCOUNTING_CONSOLIDATION`` percentage when one is given (else unknown), and a
      ``control`` row (accounting consolidation means the parent controls the child,
      IFRS 10 / ASC 810);
    * ``IS_INTERNATIONAL_BRANCH_OF`` -> ``branch`` (head -> branch);
    * ``IS_ULTIMATELY_CONSOLIDATED_BY`` is not used (it summarises a chain the direct
      relationships already give), nor are fund-management and sub-fund relationships;
      the notices count them.

    The ``RELATIONSHIP_PERIOD`` gives ``valid_from``/``valid_to``.
    """
    table = read_table(path, required=[f"{_G}StartNode.NodeID", f"{_G}EndNode.NodeID",
                                       f"{_G}RelationshipType"])
    f = table.frame
    cols = set(f.columns)
    records: list[dict[str, Any]] = []
    unused: dict[str, int] = {}
    fraction_like = 0
    inactive = 0

    def cell(rec: Mapping[Any, Any], name: str) -> str:
        return str(rec.get(name, "")).strip() if name in cols else ""

    for pos, rec in enumerate(f.to_dict("records")):
        row = table.row_number(pos)
        child = cell(rec, f"{_G}StartNode.NodeID")
        parent = cell(rec, f"{_G}EndNode.NodeID")
        kind = cell(rec, f"{_G}RelationshipType")
        if kind not in ("IS_DIRECTLY_CONSOLIDATED_BY", "IS_INTERNATIONAL_BRANCH_OF"):
            unused[kind or "(blank type)"] = unused.get(kind or "(blank type)", 0) + 1
            continue
        start = end = ""
        for k in range(1, 6):
            if cell(rec, f"{_G}Period.{k}.periodType") == "RELATIONSHIP_PERIOD":
                start = cell(rec, f"{_G}Period.{k}.startDate")[:10]
                end = cell(rec, f"{_G}Period.{k}.endDate")[:10]
        if cell(rec, f"{_G}RelationshipStatus") == "INACTIVE" and not end:
            inactive += 1
            continue
        base = {"owner_id": parent, "owned_id": child, "joint_group": "", "valid_from": start,
                "valid_to": end, "_row": row}
        if kind == "IS_INTERNATIONAL_BRANCH_OF":
            records.append({**base, "percent_min": "", "percent_max": "", "relation": "branch",
                            "source": "GLEIF RR IS_INTERNATIONAL_BRANCH_OF"})
            continue
        percent = ""
        for k in range(1, 6):
            if cell(rec, f"{_G}Quantifiers.{k}.MeasurementMethod") == "ACCOUNTING_CONSOLIDATION":
                units = cell(rec, f"{_G}Quantifiers.{k}.QuantifierUnits")
                amount = cell(rec, f"{_G}Quantifiers.{k}.QuantifierAmount")
                if units not in ("", "PERCENTAGE"):
                    raise InputError(f"quantifier unit {units!r} is not PERCENTAGE",
                                     file=table.label, row=row,
                                     column=f"{_G}Quantifiers.{k}.QuantifierUnits")
                percent = amount
                try:
                    if amount and Decimal(amount) <= 1:
                        fraction_like += 1
                except ArithmeticError:
                    pass
        records.append({**base, "percent_min": percent, "percent_max": percent,
                        "relation": "ownership",
                        "source": "GLEIF RR IS_DIRECTLY_CONSOLIDATED_BY"})
        records.append({**base, "percent_min": "", "percent_max": "", "relation": "control",
                        "source": "GLEIF RR IS_DIRECTLY_CONSOLIDATED_BY (consolidation)"})
    notices = [f"{table.label}: {count} {kind} relationship(s) not used as stakes"
               for kind, count in sorted(unused.items())]
    if inactive:
        notices.append(f"{table.label}: {inactive} INACTIVE relationship(s) without an end "
                       "date not used")
    if fraction_like:
        notices.append(f"{table.label}: {fraction_like} consolidation percentage(s) are 1 or "
                       "less; GLEIF data sometimes gives 1.00 for 100 %, but they were read "
                       "as written (per cent)")
    notices.append(f"{table.label}: direct accounting consolidation was read as a stake of "
                   "the consolidation percentage (unknown when absent) plus control")
    return _frame(records, OWN_COLUMNS), notices


_CONTROL_TYPES = {
    "appointment-of-board", "other-influence-or-control", "significant-influence-or-control",
    "control-via-company-rules-or-articles", "control-by-legal-framework",
    "rights-granted-by-contract", "conditional-rights-granted-by-contract",
}


def _frame(records: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """*records* as a frame of Python strings (``_row`` as int64), whatever pandas'
    default string storage: Arrow-backed ``str`` (pandas 3 with pyarrow) refuses the lone
    surrogates of bytes that are not UTF-8, which the graph's checks name by row."""
    import pandas as pd

    frame = pd.DataFrame(records, columns=columns, dtype=object)
    if "_row" in columns:
        frame["_row"] = frame["_row"].astype("int64")
    return frame


def _load_statements(path: Path) -> list[dict[str, Any]]:
    label = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the file: {exc}", file=label) from None
    stripped = text.lstrip()
    try:
        if stripped.startswith("["):
            data = json.loads(text, parse_float=Decimal, parse_int=Decimal)
        elif stripped.startswith("{") and "\n{" in stripped:
            data = []
            for number, line in enumerate(text.splitlines(), start=1):
                if line.strip():
                    try:
                        data.append(json.loads(line, parse_float=Decimal, parse_int=Decimal))
                    except json.JSONDecodeError as exc:
                        raise InputError(f"not JSON: {exc.msg}", file=label,
                                         row=number) from None
        else:
            one = json.loads(text, parse_float=Decimal, parse_int=Decimal)
            data = one.get("statements", [one]) if isinstance(one, dict) else one
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc.msg} (line {exc.lineno})", file=label) from None
    if not isinstance(data, list) or not all(isinstance(s, dict) for s in data):
        raise InputError("expected a JSON array of BODS statements", file=label)
    return data


def _number_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal) and value.is_finite():
        return format(value, "f")
    return str(value)


def bods_frames(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Read BODS JSON (an array or JSON Lines of statements; versions 0.2 to 0.4).

    Entities and persons become graph entities (id = ``statementID`` in 0.2/0.3, the
    ``recordId`` in 0.4). Interests map to rows: ``shareholding`` -> ownership with
    ``share`` ``exact`` / ``minimum``..``maximum`` (``exclusiveMinimum``/
    ``exclusiveMaximum`` kept as open bounds, e.g. "more than 50 %");
    ``voting-rights`` with a majority, ``appointment-of-board`` and the influence/control
    types -> ``control``; *indirect* interests are not used (the chain gives them);
    statements replaced by a later one are not used. Notices count what was skipped.
    """
    p = Path(path)
    label = str(path)
    statements = _load_statements(p)
    replaced = {str(r) for s in statements for r in s.get("replacesStatements", []) or []}
    entities: dict[str, dict[str, str]] = {}
    rels: list[tuple[int, dict[str, Any]]] = []
    counts: dict[str, int] = {}

    def bump(key: str) -> None:
        counts[key] = counts.get(key, 0) + 1

    for number, s in enumerate(statements, start=1):
        sid = str(s.get("statementID") or s.get("statementId") or "")
        if sid and sid in replaced:
            bump("replaced statement(s) not used")
            continue
        stype = s.get("statementType") or s.get("recordType") or ""
        details: dict[str, Any] = (s.get("recordDetails") or {}) if "recordDetails" in s else s
        key = str(s.get("recordId") or sid)
        if stype in ("entityStatement", "entity"):
            juris: Any = (details.get("incorporatedInJurisdiction") or details.get("jurisdiction")
                          or {})
            names = [str(a) for a in details.get("alternateNames", []) or []]
            entities[key] = {"id": key, "name": str(details.get("name") or ""),
                             "country": str(juris.get("code") or "")[:2]
                             if isinstance(juris, dict) else "",
                             "aliases": ";".join(names)}
        elif stype in ("personStatement", "person"):
            person_names: list[Any] = details.get("names") or []
            full = next((str(n.get("fullName")) for n in person_names
                         if isinstance(n, dict) and n.get("fullName")), "")
            entities[key] = {"id": key, "name": full, "country": "", "aliases": ""}
        elif stype in ("ownershipOrControlStatement", "relationship"):
            rels.append((number, s))
        else:
            bump(f"statement(s) of type {stype or '(none)'} not used")

    def party(ref: Any) -> str:
        if isinstance(ref, str):
            return ref
        if isinstance(ref, dict):
            for k in ("describedByEntityStatement", "describedByPersonStatement"):
                if ref.get(k):
                    return str(ref[k])
        return ""

    rows: list[dict[str, Any]] = []
    for number, s in rels:
        details = (s.get("recordDetails") or {}) if "recordDetails" in s else s
        subject = party(details.get("subject"))
        owner = party(details.get("interestedParty"))
        if not subject or not owner:
            bump("relationship(s) with an unspecified party not used")
            continue
        for interest in details.get("interests", []) or []:
            kind = str(interest.get("type") or "")
            level = str(interest.get("interestLevel") or interest.get("directOrIndirect") or "")
            if level == "indirect":
                bump("indirect interest(s) not used (the ownership chain gives them)")
                continue
            share = interest.get("share") or {}
            exact, lo, hi = share.get("exact"), share.get("minimum"), share.get("maximum")
            lo_open = bool(share.get("exclusiveMinimum")) and exact is None
            hi_open = bool(share.get("exclusiveMaximum")) and exact is None
            if isinstance(share.get("exclusiveMinimum"), Decimal):  # JSON-schema style number
                lo, lo_open = share["exclusiveMinimum"], True
            if isinstance(share.get("exclusiveMaximum"), Decimal):
                hi, hi_open = share["exclusiveMaximum"], True
            base = {"owner_id": owner, "owned_id": subject, "joint_group": "",
                    "valid_from": str(interest.get("startDate") or "")[:10],
                    "valid_to": str(interest.get("endDate") or "")[:10],
                    "source": f"BODS {kind}", "_row": number}
            if kind == "shareholding":
                pmin = exact if exact is not None else lo
                pmax = exact if exact is not None else hi
                # a JSON number as plain decimal text (str(Decimal) writes 1E+2, 1E-7)
                rows.append({**base, "percent_min": _number_text(pmin),
                             "percent_max": _number_text(pmax),
                             "relation": "ownership", "_lo_open": lo_open and pmin is not None,
                             "_hi_open": hi_open and pmax is not None})
            elif kind in _CONTROL_TYPES or (kind == "voting-rights" and (
                    (exact is not None and exact > 50) or (lo is not None and (
                        lo > 50 or (lo == 50 and lo_open))))):
                rows.append({**base, "percent_min": "", "percent_max": "", "relation": "control",
                             "_lo_open": False, "_hi_open": False})
            else:
                bump(f"{kind or 'untyped'} interest(s) not used")
    frame = _frame(rows, [*OWN_COLUMNS, "_lo_open", "_hi_open"])
    frame["_lo_open"] = frame["_lo_open"].astype(bool)
    frame["_hi_open"] = frame["_hi_open"].astype(bool)
    ent = _frame(list(entities.values()), ["id", "name", "country", "aliases"])
    notices = [f"{label}: {count} {what}" for what, count in sorted(counts.items())]
    return frame, ent, notices
