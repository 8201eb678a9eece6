"""exportscreen.spark.screen_names: every row once, row for row as ``exportscreen screen``."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

import exportscreen as xs
from exportscreen.cli import main
from spark_session import spark_session


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    yield from spark_session()


def _xsp() -> Any:
    import exportscreen.spark as xsp

    return xsp


def _texts(frame: pd.DataFrame) -> list[dict[str, str]]:
    def text(v: Any) -> str:
        if v is None or (isinstance(v, float) and v != v):
            return ""
        if isinstance(v, float):
            return repr(v)
        return str(v)

    return [{c: text(v) for c, v in row.items()} for row in frame.to_dict("records")]


def test_row_for_row_as_the_cli(spark: Any, fixtures_dir: Any,
                                capsys: pytest.CaptureFixture[str]) -> None:
    path = fixtures_dir / "suppliers.csv"
    assert main(["screen", str(path), "--format", "csv", "--country-column", "country"]) == 0
    cli = pd.read_csv(io.StringIO(capsys.readouterr().out.lstrip("\ufeff")), dtype=str,
                      keep_default_na=False)
    df = spark.read.csv(str(path), header=True).repartition(3)  # rows leave file order
    out = _xsp().screen_names(df, name_col="supplier_name", country_col="country").toPandas()
    assert list(out.columns) == list(cli.columns)
    assert len(out) == len(cli)
    got = sorted(_texts(out), key=lambda r: r["supplier_id"])
    want = sorted(_texts(cli), key=lambda r: r["supplier_id"])
    # the CLI writes scores as text; compare them as numbers. A row whose bytes were not
    # UTF-8 is an error on both sides, but only the CLI saw the bytes its hash is of
    for rows in (got, want):
        for r in rows:
            r["score"] = repr(float(r["score"])) if r["score"] else ""
            if "\ufffd" in r["supplier_name"]:
                assert r["screen_status"] == "error"
                r["supplier_hash"] = ""
    assert got == want
    assert {"hit", "clear"} <= {r["screen_status"] for r in got}


def test_bad_rows_are_errors_and_nothing_is_dropped(spark: Any) -> None:
    names = ["Huawei Technologies Co., Ltd.", "", None, "!!!", "   ", "Acme Widgets"]
    frame = pd.DataFrame({"key": [str(i) for i in range(len(names))], "name": names})
    df = spark.createDataFrame(frame, schema="key string, name string").repartition(2)
    out = _xsp().screen_names(df).toPandas().sort_values("key").reset_index(drop=True)
    assert out["key"].tolist() == frame["key"].tolist()
    status = dict(zip(out["key"], out["screen_status"], strict=True))
    reason = dict(zip(out["key"], out["reason"], strict=True))
    assert status["0"] == "hit"
    for key in ("1", "2", "4"):
        assert status[key] == "error"
        assert "cannot screen" in reason[key]
    assert status["3"] == "error" and "nothing to compare" in reason["3"]
    assert pd.isna(out["name"].tolist()[2])  # the input values are kept as they were (null)


def test_an_own_list_in_the_closure(spark: Any, fixtures_dir: Any) -> None:
    lst = xs.load_list(fixtures_dir / "lists" / "own_list.csv")
    first = lst.entries[0]
    df = spark.createDataFrame(pd.DataFrame({"name": [first.name, "Nobody In Particular"]}))
    out = _xsp().screen_names(df, lists=lst).toPandas()
    assert out["screen_status"].tolist()[0] == "hit"
    assert out["matched_entry_id"].tolist()[0] == first.id
    expected = xs.screen_suppliers(pd.DataFrame({"name": [first.name, "Nobody In Particular"]}),
                                   list=lst)
    assert _texts(out) == _texts(expected)


def test_a_column_screening_adds_is_refused(spark: Any) -> None:
    df = spark.createDataFrame(pd.DataFrame({"name": ["A"], "score": ["1"]}))
    with pytest.raises(xs.InputError, match="already has this column"):
        _xsp().screen_names(df)
    with pytest.raises(xs.InputError, match="no column 'nom'"):
        _xsp().screen_names(df, name_col="nom")
