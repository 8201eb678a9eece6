"""exportscreen.spark.apply_affiliates_rule gives what the in-memory engine and
``exportscreen affiliates --format csv`` give, on fixtures and on random graphs.

Spark is slow to start and each call runs several jobs, so the examples are few: one
session for the module, a handful of Hypothesis examples that each draw a preset and a
date (inside, before and after the rule's windows).
"""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

import exportscreen as xs
from exportscreen.cli import main
from exportscreen.ownership import get_rule
from exportscreen.ownership.engine import CSV_COLUMNS
from exportscreen.testing.ownership import in_force_day, ownership_rows, rows_to_graph
from spark_session import spark_session

PRESETS = ("us-bis-affiliates", "us-ofac", "eu", "eu-pre2024", "uk")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    yield from spark_session()


def _records(frame: pd.DataFrame) -> list[dict[str, str]]:
    return [{c: ("" if v is None else str(v)) for c, v in row.items()}
            for row in frame[list(CSV_COLUMNS)].to_dict("records")]


def _spark_frame(spark: Any, frame: pd.DataFrame) -> Any:
    return spark.createDataFrame(frame.astype(str))


def _dates(rule: str) -> list[_dt.date]:
    """A day inside the rule's window, one before it starts (if it does) and one in a
    suspension (if it has one)."""
    preset = get_rule(rule)
    days = [in_force_day(preset)]
    if preset.in_force_from is not None:
        days.append(preset.in_force_from - _dt.timedelta(days=1))
    for window in preset.suspensions:
        if window.start is not None:
            days.append(window.start)
    return days


def test_fixtures_every_preset_and_date(spark: Any, fixtures_dir: Any) -> None:
    folder = fixtures_dir / "ownership"
    stakes = spark.read.csv(str(folder / "ownership.csv"), header=True)
    listed = spark.read.csv(str(folder / "listed.csv"), header=True)
    entities = spark.read.csv(str(folder / "entities.csv"), header=True)
    graph = xs.OwnershipGraph.from_csv(folder / "ownership.csv",
                                       entities=folder / "entities.csv")
    parties = xs.load_listed_csv(folder / "listed.csv")
    seen = set()
    for rule in PRESETS:
        for day in _dates(rule):
            expected = xs.apply_affiliates_rule(graph, parties, rule=rule, as_of=day)
            # the rows are checked once (the first call); the rest is the same input
            got = xs_spark().apply_affiliates_rule(stakes, listed, rule, day, entities,
                                                   validate=not seen)
            assert got.columns == list(CSV_COLUMNS)
            assert _records(got.toPandas()) == _records(expected.to_frame()), (rule, day)
            seen.update(f.status for f in expected.findings)
            seen.add("checked")
    assert {"covered", "suspended"} <= seen  # the fixture exercises the statuses


def test_agrees_with_the_cli_csv(spark: Any, fixtures_dir: Any,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    folder = fixtures_dir / "ownership"
    code = main(["affiliates", "--ownership", str(folder / "ownership.csv"),
                 "--listed", str(folder / "listed.csv"), "--entities",
                 str(folder / "entities.csv"), "--rule", "us-bis-affiliates",
                 "--as-of", "2025-10-15", "--format", "csv"])
    assert code == 0
    cli = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str, keep_default_na=False)
    got = xs_spark().apply_affiliates_rule(
        spark.read.csv(str(folder / "ownership.csv"), header=True),
        spark.read.csv(str(folder / "listed.csv"), header=True), "us-bis-affiliates",
        "2025-10-15", spark.read.csv(str(folder / "entities.csv"), header=True))
    assert len(cli) > 0
    assert _records(got.toPandas()) == _records(cli)


def test_custom_rule(spark: Any, fixtures_dir: Any) -> None:
    folder = fixtures_dir / "ownership"
    rule = get_rule("us-ofac").model_copy(update={
        "id": "ofac-strict", "threshold": get_rule("us-ofac").threshold / 2,
        "seeds": {**get_rule("us-ofac").seeds, "entity_list": None, "meu": None}})
    graph = xs.OwnershipGraph.from_csv(folder / "ownership.csv",
                                       entities=folder / "entities.csv")
    expected = xs.apply_affiliates_rule(graph, xs.load_listed_csv(folder / "listed.csv"),
                                        rule=rule, as_of="2025-10-15")
    got = xs_spark().apply_affiliates_rule(
        spark.read.csv(str(folder / "ownership.csv"), header=True),
        spark.read.csv(str(folder / "listed.csv"), header=True), rule, "2025-10-15",
        spark.read.csv(str(folder / "entities.csv"), header=True))
    assert expected.findings
    assert _records(got.toPandas()) == _records(expected.to_frame())


@st.composite
def _cases(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str], str,
                                     _dt.date]:
    """A random graph with countries and dated stakes, listed parties, a preset, a date."""
    rule = draw(st.sampled_from(PRESETS))
    rows, names = draw(ownership_rows(joint_groups=rule == "uk"))
    stakes = rows_to_graph(rows).stake_rows()
    days = ["", "2024-01-01", "2025-06-01"]
    starts = [draw(st.sampled_from(days)) for _ in range(len(stakes))]
    stakes["valid_from"] = starts
    stakes["valid_to"] = [draw(st.sampled_from([d for d in ["", "2024-12-31", "2026-01-01"]
                                                if not s or not d or s <= d]))
                          for s in starts]
    entities = pd.DataFrame({"id": names, "country": [
        draw(st.sampled_from(["", "US", "CN", "GB"])) for _ in names]}, dtype=object)
    preset = get_rule(rule)
    source = draw(st.sampled_from([*sorted(preset.seeds), "sdn", "other"]))
    listed = {i: source for i in draw(st.lists(st.sampled_from(names), min_size=1,
                                               max_size=3, unique=True))}
    day = draw(st.sampled_from([*_dates(rule), _dt.date(2024, 6, 1)]))
    return stakes, entities, listed, rule, day


# no shrinking: each example runs Spark jobs, and a shrink would take many minutes
@settings(max_examples=6, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(case=_cases())
def test_random_graphs_agree_with_the_engine(spark: Any, case: Any) -> None:
    stakes, entities, listed, rule, day = case
    graph = xs.OwnershipGraph.from_frame(stakes, entities=entities)
    expected = xs.apply_affiliates_rule(graph, listed, rule=rule, as_of=day)
    listed_frame = pd.DataFrame({"id": list(listed), "list": list(listed.values())})
    run = xs_spark().run_affiliates(_spark_frame(spark, stakes),
                                    _spark_frame(spark, listed_frame), rule, day,
                                    _spark_frame(spark, entities), validate=False)
    # the narrowing is sound: every finding is in the candidate subgraph ...
    assert {f.id for f in expected.findings} <= set(run.graph.ids.tolist())
    # ... and the engine on it gives the same findings, evidence and notices
    assert _records(run.frame.toPandas()) == _records(expected.to_frame())
    assert [f.to_dict() for f in run.result.findings] == [
        f.to_dict() for f in expected.findings]


@pytest.mark.parametrize(("row", "message", "column"), [
    ({"owner_id": "A", "owned_id": "B", "percent": "150"}, "percent 150 is outside 0-100",
     "percent"),
    ({"owner_id": "A", "owned_id": "B", "percent": "1e2"}, "not a plain decimal", "percent"),
    ({"owner_id": "A", "owned_id": "B", "percent": "50", "valid_from": "2025-13-01"},
     "not a date in the form YYYY-MM-DD", "valid_from"),
    ({"owner_id": "C", "owned_id": "B", "percent": "60"}, "add up to 110", "percent"),
])
def test_validation_names_the_row(spark: Any, row: dict[str, str], message: str,
                                  column: str) -> None:
    good = [{"owner_id": f"X{i}", "owned_id": f"Y{i}", "percent": "10"} for i in range(20)]
    rows = [*good, {"owner_id": "D", "owned_id": "B", "percent": "50"}, row]
    frame = pd.DataFrame(rows).fillna("")
    with pytest.raises(xs.InputError) as err:
        xs_spark().apply_affiliates_rule(
            _spark_frame(spark, frame).repartition(3),
            _spark_frame(spark, pd.DataFrame({"id": ["A"], "list": ["sdn"]})), "us-ofac",
            "2025-10-15")
    assert message in err.value.message
    assert f"owner_id={row['owner_id']!r}, owned_id={row['owned_id']!r}" in err.value.message
    assert err.value.column == column


def test_a_missing_column_is_named(spark: Any) -> None:
    frame = _spark_frame(spark, pd.DataFrame({"owner": ["A"], "owned_id": ["B"]}))
    listed = _spark_frame(spark, pd.DataFrame({"id": ["A"], "list": ["sdn"]}))
    with pytest.raises(xs.InputError, match="owner_id"):
        xs_spark().apply_affiliates_rule(frame, listed, "us-ofac", "2025-10-15")


def xs_spark() -> Any:
    import exportscreen.spark as xsp

    return xsp
