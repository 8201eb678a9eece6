"""Hypothesis strategies for supplier tables, the input of :func:`exportscreen.screen_suppliers`.

Requires the optional ``hypothesis`` dependency (``pip install exportscreen[testing]``).

Example — the property every screening pipeline must keep (no row lost, order kept)::

    from hypothesis import given, settings
    import exportscreen as xs
    from exportscreen.testing.suppliers import supplier_frames

    @settings(max_examples=25)
    @given(supplier_frames(max_rows=20))
    def test_every_row_comes_out_once(frame):
        out = xs.screen_suppliers(frame, list=my_small_list)
        assert len(out) == len(frame)
        assert out["supplier_name"].tolist() == frame["supplier_name"].tolist()
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from hypothesis import strategies as st

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["company_names", "supplier_frames"]

_WORDS = (
    "Acme", "Nordic", "Pacific", "Summit", "Harbor", "Vertex", "Blue", "River", "Granite",
    "Quantum", "Polar", "Cedar", "Atlas", "Orion", "Delta", "Sterling", "Maple", "Apex",
    "Precision", "Global", "Micro", "Systems", "Logistics", "Components", "Optics",
    "Industrial", "Energy", "Data", "Labs", "Trading", "Shenzhen", "Zürich", "Москва",
)
_FORMS = ("", "Inc.", "Ltd", "GmbH", "Co., Ltd.", "S.A. de C.V.", "LLC", "AG", "有限公司", "ООО")
_COUNTRIES = ("US", "CN", "DE", "GB", "RU", "HK", "SG", "IN", "JP", "", "us", "China")
# cells spreadsheets would execute (CSV injection) and other awkward real-world values
_AWKWARD = ("=SUM(A1:A2)", "+49 Components GmbH", "-Minus Tools Ltd", "@Home Supply Inc",
            "\tTabbed Trading", "O'Brien & Sons", 'The "Best" Co', "  padded  name  ")


def company_names() -> st.SearchStrategy[str]:
    """Plausible company names: 1-4 words, optional legal form, some non-Latin and awkward."""
    words = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4)
    built = st.builds(
        lambda ws, form: " ".join([*ws, form]).strip(), words, st.sampled_from(_FORMS)
    )
    return st.one_of(built, built, built, st.sampled_from(_AWKWARD))


@st.composite
def supplier_frames(
    draw: st.DrawFn,
    *,
    min_rows: int = 0,
    max_rows: int = 30,
    names: Sequence[str] | None = None,
    with_errors: bool = True,
    name_column: str = "supplier_name",
    country_column: str | None = "country",
    id_column: str | None = "supplier_id",
    extra_columns: bool = True,
) -> pd.DataFrame:
    """A supplier DataFrame (all cells text) as an ERP export would give it.

    *names* adds real names to draw from (e.g. list entry names, so some rows hit);
    *with_errors* lets some rows have an empty name (they must come out as ``error``).
    Ids are unique unless the draw repeats a supplier on purpose (duplicates happen in
    real exports and must not be merged).
    """
    import pandas as pd

    pool = company_names()
    if names:
        pool = st.one_of(pool, st.sampled_from(list(names)))
    name = st.one_of(pool, st.just("")) if with_errors else pool
    n = draw(st.integers(min_value=min_rows, max_value=max_rows))
    rows: list[dict[str, str]] = []
    for index in range(n):
        row = {name_column: draw(name)}
        if country_column:
            row[country_column] = draw(st.sampled_from(_COUNTRIES))
        if id_column:
            duplicate = index > 0 and index % 7 == 0 and draw(st.booleans())
            row[id_column] = rows[-1][id_column] if duplicate else f"V{10000 + index}"
        if extra_columns:
            row["spend"] = str(draw(st.integers(min_value=0, max_value=10**7)))
        rows.append(row)
    columns = [c for c in (id_column, name_column, country_column) if c]
    if extra_columns:
        columns.append("spend")
    return pd.DataFrame(rows, columns=columns, dtype="object")
