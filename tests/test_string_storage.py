"""The same cells, row numbers, errors and screening results under every way pandas
stores strings: object, ``string[python]``, ``string[pyarrow]`` and pandas' ``str``
dtype (Arrow-backed in pandas 3 when pyarrow is installed, which cannot hold the lone
surrogates that stand for bytes that are not UTF-8).

The Arrow-backed cases need pyarrow: without it they are skipped, unless
EXPORTSCREEN_REQUIRE_PYARROW is set, when they fail.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from exportscreen.errors import InputError
from exportscreen.io.read import read_columns, read_table
from exportscreen.lists.models import ListEntry, ListProvenance, ScreeningList
from exportscreen.screening import screen

ARROW = "arrow"  # the id of a case that needs pyarrow ends with this


def _require_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        if os.environ.get("EXPORTSCREEN_REQUIRE_PYARROW"):
            pytest.fail("pyarrow is required here (EXPORTSCREEN_REQUIRE_PYARROW) but is "
                        "not installed")
        pytest.skip("pyarrow is not installed: Arrow-backed string storage not tested")


def _str_dtype(storage: str) -> Any:
    """pandas' ``str`` dtype (missing values NaN) with the given storage."""
    try:
        return pd.StringDtype(storage, na_value=np.nan)
    except TypeError:  # pandas < 2.3: no str dtype
        pytest.skip("this pandas has no str dtype (StringDtype with na_value=NaN)")


STORAGES = ["object", "string-python", "str-python", "default", "string-arrow", "str-arrow"]


def _dtype(storage: str) -> Any:
    if storage.endswith(ARROW):
        _require_pyarrow()
    if storage == "object":
        return object
    if storage == "string-python":
        return pd.StringDtype("python")
    if storage == "string-arrow":
        return pd.StringDtype("pyarrow")
    if storage == "default":  # what pandas infers for strings (str in pandas 3)
        return pd.Series(["x"]).dtype
    return _str_dtype("python" if storage == "str-python" else "pyarrow")


def _frame(columns: dict[str, list[str | None]], storage: str) -> pd.DataFrame:
    dtype = _dtype(storage)
    frame = pd.DataFrame({name: pd.Series(values, dtype=dtype)
                          for name, values in columns.items()})
    assert all(frame[name].dtype == dtype for name in frame.columns)
    return frame


SUPPLIERS: dict[str, list[str | None]] = {
    " supplier_id ": ["007", "A2", None, "B4"],
    "name": ["Rostov Precision Instruments JSC", "Acme Widgets GmbH", None, "  "],
    "country": ["RU", "DE", None, "CN"],
}


def _cells(table: Any) -> dict[str, list[Any]]:
    return {name: table.texts(name).tolist() for name in table.columns}


@pytest.mark.parametrize("storage", STORAGES)
def test_a_frame_is_read_as_the_same_python_strings(storage: str) -> None:
    frame = _frame(SUPPLIERS, storage)
    for reader in (read_table, read_columns):
        table = reader(frame, required=["supplier_id", "name"])
        assert _cells(table) == {
            "supplier_id": ["007", "A2", "", "B4"],
            "name": ["Rostov Precision Instruments JSC", "Acme Widgets GmbH", "", "  "],
            "country": ["RU", "DE", "", "CN"],
        }
        assert table.row_numbers().tolist() == [0, 1, 2, 3]
        cells = [table.frame[name].tolist() for name in table.columns]
        assert all(type(cell) is str for column in cells for cell in column)
        codes, values = table.factorize("country")
        assert values[codes].tolist() == ["RU", "DE", "", "CN"]
    with pytest.raises(InputError) as info:
        read_table(frame, required=["owner_id"])
    assert str(info.value) == ("<DataFrame>, column 'owner_id': missing required column "
                               "(columns found: supplier_id, name, country)")


# ways of setting pandas' default string storage, which read_csv(dtype=str) would follow
OPTIONS = ["infer_string-off", "storage-python", "storage-arrow"]


@contextmanager
def _strings(option: str) -> Iterator[None]:
    with warnings.catch_warnings():
        # pandas 3 deprecates turning the inference of str off; it still works
        warnings.filterwarnings("ignore", message=".*future.infer_string")
        if option == "infer_string-off":
            context = pd.option_context("future.infer_string", False)
        else:
            if option.endswith(ARROW):
                _require_pyarrow()
            context = pd.option_context(
                "future.infer_string", True,
                "mode.string_storage", "pyarrow" if option.endswith(ARROW) else "python")
        with context:
            yield


# a double quote: read_columns takes the csv-module and pandas path, as read_table does
CSV = (b'id,name,note\n007,M\xfcller GmbH,"a, b"\n\n  \n0012,Acme,\n'
       b"B3,\xe4\xb8\xad\xe5\x9b\xbd,x\n")


@pytest.mark.parametrize("option", OPTIONS)
def test_a_file_is_read_as_the_same_cells_rows_and_errors(option: str, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(CSV)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"id,name\nA,\xff\nB\n")
    simple = tmp_path / "simple.csv"  # read from its bytes by read_columns
    simple.write_bytes(b"id,name\n007,x\n\n0012,\xe4\xb8\xad\n")
    with _strings(option):
        for reader in (read_table, read_columns):
            table = reader(path, required=["id", "name"])
            assert _cells(table) == {
                "id": ["007", "0012", "B3"],
                "name": ["M\udcfcller GmbH", "Acme", "中国"],
                "note": ["a, b", "", "x"],
            }
            assert table.row_numbers().tolist() == [2, 5, 6]
            assert table.blank_rows == (3, 4)
            with pytest.raises(InputError) as info:
                reader(bad)
            assert str(info.value) == (f"{bad}, row 3, column 'name': the row has 1 cell, "
                                       "the header 2: cells from this column on are missing")
            simple_table = reader(simple)
            assert _cells(simple_table) == {"id": ["007", "0012"], "name": ["x", "中"]}
            assert simple_table.row_numbers().tolist() == [2, 4]
        kept = read_table(path, keep_blank=True)
        assert kept.frame["id"].tolist() == ["007", "", "", "0012", "B3"]
        assert kept.row_numbers().tolist() == [2, 3, 4, 5, 6]


TEST_LIST = ScreeningList(
    entries=(ListEntry(id="E1", source="entity_list", source_name="Entity List",
                       name="Rostov Precision Instruments JSC", countries=("RU",),
                       license_requirement="All items subject to the EAR.",
                       license_policy="Policy of denial."),),
    provenance=ListProvenance(source="test list", format="test", sha256="0" * 64, entries=1),
)


def _outcome(run: Any) -> tuple[list[Any], dict[str, list[Any]]]:
    frame = run.frame.drop(columns=["score"])
    return ([(r.row, r.status, r.reason) for r in run.rows],
            {str(c): frame[c].tolist() for c in frame.columns})


@pytest.fixture(scope="module")
def baseline() -> tuple[list[Any], dict[str, list[Any]]]:
    return _outcome(screen(pd.DataFrame(SUPPLIERS, dtype=object), list=TEST_LIST,
                           as_of="2026-01-01"))


@pytest.mark.parametrize("storage", STORAGES)
def test_screening_a_frame_gives_the_same_results(
    storage: str, baseline: tuple[list[Any], dict[str, list[Any]]]
) -> None:
    run = screen(_frame(SUPPLIERS, storage), list=TEST_LIST, as_of="2026-01-01")
    assert _outcome(run) == baseline
    statuses = [r.status for r in run.rows]
    assert statuses[0] == "hit" and statuses[1] == "clear"
    assert [r.status for r in run.rows[2:]] == ["error", "error"]


@pytest.mark.parametrize("option", OPTIONS)
def test_screening_a_file_gives_the_same_results(option: str, tmp_path: Path) -> None:
    path = tmp_path / "suppliers.csv"
    path.write_bytes(b"id,name,country\n1,Rostov Precision Instruments JSC,RU\n"
                     b"2,M\xfcller GmbH,DE\n3,Acme Widgets GmbH,\n")
    with _strings(option):
        run = screen(path, list=TEST_LIST, as_of="2026-01-01")
    assert [(r.row, r.status) for r in run.rows] == [(2, "hit"), (3, "error"), (4, "clear")]
    assert "not valid UTF-8" in run.rows[1].reason
    assert run.frame["name"].tolist()[1] == "M\ufffdller GmbH"
    ascii_path = tmp_path / "ascii.csv"
    ascii_path.write_bytes(b"id,name\n1,Rostov Precision Instruments JSC\n2,Acme\n")
    with _strings(option):
        ascii_only = screen(ascii_path, list=TEST_LIST, as_of="2026-01-01")
    assert [r.status for r in ascii_only.rows] == ["hit", "clear"]


# frames the loaders build from records keep Python strings: a lone surrogate (a byte
# that is not UTF-8, or a JSON \udcXX escape) is reported, not a UnicodeEncodeError
@pytest.mark.parametrize("option", OPTIONS)
def test_loaders_report_undecodable_text_under_every_storage(
    option: str, tmp_path: Path
) -> None:
    from exportscreen.decisions import load_decisions
    from exportscreen.ownership.graph import OwnershipGraph

    gleif = tmp_path / "rr.csv"
    gleif.write_bytes(b"Relationship.StartNode.NodeID,Relationship.EndNode.NodeID,"
                      b"Relationship.RelationshipType\nA\xe9,B,IS_DIRECTLY_CONSOLIDATED_BY\n")
    bods = tmp_path / "bods.json"
    bods.write_text('[{"statementID": "s1", "statementType": "entityStatement", '
                    '"name": "A\\udce9"}]', encoding="ascii")
    decisions = tmp_path / "decisions.json"
    decisions.write_text('[{"row_key": "k", "supplier_hash": "h", "entry_id": "E1", '
                         '"entry_hash": "x", "decision": "false_positive", '
                         '"analyst": "a\\udce9", "date": "2026-01-01", "note": ""}]',
                         encoding="ascii")
    with _strings(option):
        with pytest.raises(InputError) as info:
            OwnershipGraph.from_gleif_csv(gleif)
        assert (info.value.row, info.value.column) == (2, "owned_id")
        assert "not UTF-8" in str(info.value)
        with pytest.raises(InputError) as info:
            OwnershipGraph.from_bods(bods)
        assert info.value.column == "name" and "not UTF-8" in str(info.value)
        with pytest.raises(InputError) as info:
            load_decisions(decisions)
        assert (info.value.row, info.value.column) == (1, "analyst")
