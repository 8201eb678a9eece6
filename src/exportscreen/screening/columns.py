"""Which column of a supplier table holds the name, the country and the id."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..errors import InputError
from ..lists.clean import country_code, is_country_code

# Column detection: header text is casefolded and stripped of everything but letters
# and digits, then compared with these, in this order (first found wins). SAP vendor
# (LFA1) and customer (KNA1) exports use NAME1 / LAND1 / LIFNR / KUNNR.
NAME_COLUMN_CANDIDATES: tuple[str, ...] = (
    "name", "suppliername", "vendorname", "customername", "companyname", "partyname",
    "legalname", "entityname", "counterpartyname", "businessname", "organisationname",
    "organizationname", "accountname", "name1", "supplier", "vendor", "customer", "company",
    "counterparty", "party", "organisation", "organization",
)

COUNTRY_COLUMN_CANDIDATES: tuple[str, ...] = (
    "country", "countrycode", "countryiso", "iso2", "suppliercountry", "vendorcountry",
    "customercountry", "partycountry", "land1", "land", "ctry", "nation",
)

ID_COLUMN_CANDIDATES: tuple[str, ...] = (
    "id", "supplierid", "vendorid", "customerid", "partyid", "entityid", "accountid",
    "suppliernumber", "vendornumber", "customernumber", "supplierno", "vendorno", "customerno",
    "lifnr", "kunnr", "lei",
)

def _header_key(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())

def detect_columns(
    columns: Sequence[str],
    *,
    name_column: str | None = None,
    country_column: str | None = None,
    id_column: str | None = None,
    label: str = "<input>",
    from_file: bool = True,
    header_row: int = 1,
) -> dict[str, str | None]:
    """Pick the name, country and id columns: the ones given, else the first known header.

    >>> detect_columns(["Vendor Number", "NAME1", "LAND1"])
    {'name': 'NAME1', 'country': 'LAND1', 'id': 'Vendor Number'}
    """
    row = header_row if from_file else None
    chosen: dict[str, str | None] = {}
    for role, given, candidates in (
        ("name", name_column, NAME_COLUMN_CANDIDATES),
        ("country", country_column, COUNTRY_COLUMN_CANDIDATES),
        ("id", id_column, ID_COLUMN_CANDIDATES),
    ):
        if given is not None:
            if given not in columns:
                raise InputError(
                    f"no such column for --{role}-column (columns found: {', '.join(columns)})",
                    file=label, row=row, column=given,
                )
            chosen[role] = given
            continue
        keyed: dict[str, str] = {}
        for column in columns:
            keyed.setdefault(_header_key(column), column)
        used = {v for v in chosen.values() if v}
        chosen[role] = next(
            (keyed[c] for c in candidates if c in keyed and keyed[c] not in used), None
        )
    if chosen["name"] is None:
        separator = next((s for s in (";", "\t", "|") if any(s in c for c in columns)), None)
        hint = (f"; the header holds {separator!r}: save the file as comma-separated CSV"
                if separator and len(columns) <= 2 else "")
        raise InputError(
            "cannot tell which column holds the party name (columns found: "
            f"{', '.join(columns) or 'none'}); pass --name-column / name_column={hint}",
            file=label, row=row,
        )
    return chosen

def _country_code(text: str) -> str | None:
    """ISO 3166 alpha-2 code for a code in any case ("cn") or a country name as ERPs and
    lists write it ("China", "Korea, North"); ``None`` when it is neither."""

    text = text.strip()
    if len(text) == 2 and text.isascii() and is_country_code(text.upper()):
        return text.upper()
    return country_code(text) if text else None
