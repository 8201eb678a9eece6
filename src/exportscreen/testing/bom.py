"""Hypothesis strategy for bills of materials: :func:`bom_frames`.

Draws pandas DataFrames in the BOM contract (DESIGN.md "BOM CSV"): several
products, each a tree of lines linked by ``parent_id`` with one top line, rare-earth
compositions, origins (some unknown), values as exact decimal text (some unknown)
and shipment columns on the top line. Hypothesis is an optional dependency
(``pip install exportscreen[testing]``).

Example test in a downstream project::

    from hypothesis import given
    import exportscreen as xs
    from exportscreen.testing.bom import bom_frames

    @given(bom_frames(max_products=4))
    def test_every_product_gets_one_verdict(frame):
        verdicts = xs.check_bom(frame, date="2026-03-01")
        assert [v.product_id for v in verdicts] == sorted(set(frame["product_id"]))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COLUMNS", "bom_frame", "bom_frames", "bom_line", "bom_product"]

COLUMNS = (
    "product_id", "line_id", "parent_id", "category", "value", "description", "elements",
    "origin", "made_in", "cn_technology", "export_from", "destination", "ship_date", "end_use",
    "end_user_listed",
)
_CATEGORIES = (
    "metal", "alloy", "oxide", "compound", "target", "magnet", "magnet_part", "rotor_stator",
    "motor", "sensor", "phosphor", "catalyst", "consumer_good", "component", "assembly",
    "finished_product", "other",
)
_COMPOSITIONS = (
    "", "Dy", "Dy:99.9", "Tb", "Sm:22.6;Co:50", "Nd:29;Dy:1.9;Fe:66;B:1", "Nd:30;Tb:0.05;Fe:68",
    "Nd:30;Pr:5;Fe:64;B:1", "Dy;Fe", "Tb;Dy;Fe", "Ho:2;Nd:28;Fe:69", "Eu:3", "Gd", "Y;Al",
    "Fe", "Cu;Fe", "Ce:15;Nd:13",
)
_COUNTRIES = ("CN", "JP", "US", "DE", "MX", "")


def _decimal_text() -> st.SearchStrategy[str]:
    return st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False,
                       allow_infinity=False).map(str)


@st.composite
def _product(
    draw: st.DrawFn, product_id: str, max_lines: int, unknowns: bool
) -> list[dict[str, Any]]:
    n = draw(st.integers(min_value=1, max_value=max_lines))
    countries = _COUNTRIES if unknowns else _COUNTRIES[:-1]
    rows: list[dict[str, Any]] = []
    for k in range(n):
        parent = "" if k == 0 else f"L{draw(st.integers(min_value=0, max_value=k - 1))}"
        value = draw(_decimal_text())
        if unknowns and draw(st.integers(0, 9)) == 0:
            value = ""
        rows.append({
            "product_id": product_id,
            "line_id": f"L{k}",
            "parent_id": parent,
            # "other" says nothing of what the line is: an unknown too
            "category": draw(st.sampled_from(_CATEGORIES if unknowns else _CATEGORIES[:-1])),
            "value": value,
            "description": "",
            "elements": draw(st.sampled_from(_COMPOSITIONS if unknowns else _COMPOSITIONS[1:])),
            "origin": draw(st.sampled_from(countries)),
            "made_in": draw(st.sampled_from(countries)),
            "cn_technology": draw(st.sampled_from(("yes", "no", "unknown") if unknowns
                                                  else ("yes", "no"))),
            "export_from": "", "destination": "", "ship_date": "", "end_use": "",
            "end_user_listed": "",
        })
    top = rows[0]
    top["export_from"] = draw(st.sampled_from(("CN", "JP", "US", "DE")))
    top["destination"] = draw(st.sampled_from(("US", "DE", "KR", "CN", "JP")))
    top["ship_date"] = draw(st.sampled_from(("2025-04-04", "2025-10-20", "2025-11-06",
                                             "2025-11-07", "2026-03-01", "2026-11-10",
                                             "2026-11-11", "2026-12-01")))
    top["end_use"] = draw(st.sampled_from(("civil", "military", "advanced_semiconductor",
                                           "humanitarian", "")))
    top["end_user_listed"] = draw(st.sampled_from(("yes", "no", "")))
    return rows


@st.composite
def bom_frames(
    draw: st.DrawFn,
    *,
    min_products: int = 1,
    max_products: int = 5,
    max_lines: int = 6,
    unknowns: bool = True,
) -> pd.DataFrame:
    """DataFrames in the BOM contract: ``min_products..max_products`` products of up to
    ``max_lines`` lines each (random trees). With ``unknowns=False`` every origin,
    value, composition (``elements``), category (no ``other``) and ``cn_technology`` is
    given, so no verdict depends on a missing fact.
    """
    import pandas as pd

    count = draw(st.integers(min_value=min_products, max_value=max_products))
    rows: list[dict[str, Any]] = []
    for p in range(count):
        rows.extend(draw(_product(f"P{p}", max_lines, unknowns)))
    return pd.DataFrame(rows, columns=list(COLUMNS))


def bom_line(line_id: str, category: str, value: str = "", elements: str = "", parent: str = "",
             origin: str = "", made_in: str = "", cn_technology: str = "no", product: str = "P",
             **extra: str) -> dict[str, Any]:
    """One BOM row as a dict (for hand-written examples); other columns are empty."""
    row: dict[str, Any] = dict.fromkeys(COLUMNS, "")
    row.update(product_id=product, line_id=line_id, parent_id=parent, category=category,
               value=value, elements=elements, origin=origin, made_in=made_in,
               cn_technology=cn_technology)
    row.update(extra)
    return row


def bom_product(*lines: dict[str, Any], export_from: str, destination: str,
                ship_date: str = "", end_use: str = "civil",
                end_user_listed: str = "no") -> list[dict[str, Any]]:
    """A product's rows with the shipment facts written on its first (top) line."""
    rows = [dict(r) for r in lines]
    rows[0].update(export_from=export_from, destination=destination, ship_date=ship_date,
                   end_use=end_use, end_user_listed=end_user_listed)
    return rows


def bom_frame(*products: list[dict[str, Any]]) -> pd.DataFrame:
    """A DataFrame in the BOM contract from :func:`bom_product` lists.

    >>> frame = bom_frame(bom_product(bom_line("L1", "oxide", "10", "Dy", origin="CN"),
    ...                               export_from="JP", destination="KR"))
    >>> list(frame["line_id"])
    ['L1']
    """
    import pandas as pd

    return pd.DataFrame([r for p in products for r in p], columns=list(COLUMNS))
