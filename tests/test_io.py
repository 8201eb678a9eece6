"""The shared table reader: text cells, no silent coercion, places named in errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exportscreen._io import has_undecodable, read_json_file, read_table
from exportscreen.errors import InputError


def test_dataframe_cells_become_text_without_coercion() -> None:
    frame = pd.DataFrame({
        "id": ["007", "A", None],
        "percent": [50.0, np.nan, 12.5],
        "when": [dt.date(2025, 9, 29), pd.NaT, dt.datetime(2025, 11, 10)],
        "count": pd.array([1, None, 3], dtype="Int64"),
    })
    table = read_table(frame, required=["id"])
    assert table.frame.to_dict("list") == {
        "id": ["007", "A", ""],
        "percent": ["50", "", "12.5"],
        "when": ["2025-09-29", "", "2025-11-10"],
        "count": ["1", "", "3"],
    }
    assert not table.from_file


def test_file_keeps_leading_zeros_and_undecodable_bytes(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"id,name\n007,M\xfcller GmbH\n")
    table = read_table(path, required=["id", "name"])
    assert table.frame.loc[0, "id"] == "007"
    assert has_undecodable(table.frame.loc[0, "name"])


def test_missing_column_names_file_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("owner_id,percent\nA,50\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_table(path, required=["owner_id", "owned_id"])
    assert (info.value.file, info.value.row, info.value.column) == (str(path), 1, "owned_id")


def test_json_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "rule.json"
    path.write_text('{"id": "x",\n oops}\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_json_file(path, "rule file")
    assert info.value.row == 2 and "rule file is not valid JSON" in str(info.value)


@given(st.lists(st.one_of(st.text(max_size=8), st.none(), st.floats(allow_nan=True),
                          st.integers(-10**6, 10**6)), min_size=1, max_size=20))
def test_every_cell_is_text_and_row_count_is_kept(cells: list[object]) -> None:
    table = read_table(pd.DataFrame({"c": pd.Series(cells, dtype=object)}))
    assert len(table.frame) == len(cells)
    assert all(isinstance(v, str) for v in table.frame["c"])
    assert [v for v, c in zip(table.frame["c"], cells, strict=True) if isinstance(c, str)] == [
        c for c in cells if isinstance(c, str)
    ]
