"""The DESIGN.md "Python API (stable names)" block, executed as written.

Each test runs one line of that block literally (same names, same arguments) and checks
the documented result type and attributes, so a rename or a changed signature fails here
before it breaks a downstream project.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import exportscreen as xs

REPO = Path(__file__).resolve().parents[1]
FIX = REPO / "fixtures"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def lst() -> xs.ScreeningList:
    return xs.load_list("default")


@pytest.fixture()
def graph_files(tmp_path: Path) -> tuple[Path, Path]:
    own = write(tmp_path / "own.csv", "owner_id,owned_id,percent\nX,A,50\nA,B,50\nY,C,49\n")
    ent = write(tmp_path / "ent.csv", "id,name,country\nX,Xeno Trading,IR\nA,Alpha Holdings,AE\n"
                "B,Beta Works,AE\nC,Gamma,AE\nY,Ypsilon,AE\n")
    return own, ent


def test_load_list_default_is_a_screening_list(lst: xs.ScreeningList) -> None:
    assert isinstance(lst, xs.ScreeningList)
    assert len(lst.entries) > 0


def test_graph_from_csv_and_apply_ofac_rule(graph_files: tuple[Path, Path]) -> None:
    own, ent = graph_files
    graph = xs.OwnershipGraph.from_csv(str(own), entities=str(ent))
    result = xs.apply_affiliates_rule(graph, {"X": "sdn"}, rule="us-ofac", as_of=None)
    assert isinstance(result, xs.AffiliatesResult)
    by_id = {f.id: f for f in result.findings}
    # OFAC 50 % (>= 50, full stake passed through covered A): A and B covered, C is not
    assert by_id["A"].status == "covered"
    assert by_id["B"].status == "covered"
    assert "C" not in by_id and "X" not in by_id
    assert [f.id for f in result.findings] == sorted(by_id)
    frame = result.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame["id"]) == ["A", "B"]
    assert {"id", "status", "aggregate_min", "aggregate_max", "roots", "path"} <= set(frame)


def test_graph_from_frame_and_from_networkx_agree_with_from_csv(
        graph_files: tuple[Path, Path]) -> None:
    own, ent = graph_files
    from_csv = xs.OwnershipGraph.from_csv(own, entities=ent)
    from_frame = xs.OwnershipGraph.from_frame(pd.read_csv(own, dtype=str), entities=ent)
    from_nx = xs.OwnershipGraph.from_networkx(from_csv.to_networkx())
    statuses = []
    for graph in (from_csv, from_frame, from_nx):
        result = xs.apply_affiliates_rule(graph, {"X": "sdn"}, rule="us-ofac",
                                          as_of=dt.date(2025, 10, 15))
        statuses.append([(f.id, f.status) for f in result.findings])
    assert statuses[0] == statuses[1] == statuses[2] == [("A", "covered"), ("B", "covered")]


def test_name_matcher_match(lst: xs.ScreeningList) -> None:
    matches = xs.NameMatcher(lst).match("Huawei Technologies", country="CN", limit=5)
    assert 0 < len(matches) <= 5
    assert "huawei" in matches[0].name.lower()
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)


def test_screen_suppliers_returns_one_row_per_input(
        lst: xs.ScreeningList, graph_files: tuple[Path, Path]) -> None:
    own, ent = graph_files
    graph = xs.OwnershipGraph.from_csv(own, entities=ent)
    frame = pd.DataFrame({"name": ["Huawei Technologies Co., Ltd.", "Plainly Unlisted Bakery"],
                          "country": ["CN", "FR"]})
    out = xs.screen_suppliers(frame, list=lst, ownership=graph, rule="us-bis-affiliates",
                              as_of=None)
    assert isinstance(out, pd.DataFrame)
    assert list(out["name"]) == list(frame["name"])
    for column in ("screen_status", "score", "matched_name", "matched_list",
                   "matched_entry_id", "license_requirement", "reason"):
        assert column in out.columns
    assert out["screen_status"].iloc[0] == "hit"
    assert out["screen_status"].iloc[1] == "clear"


def test_check_bom_takes_a_path_or_a_frame() -> None:
    path = FIX / "bom" / "example.csv"
    from_path = xs.check_bom(path, date=None)
    from_frame = xs.check_bom(pd.read_csv(path, dtype=str, keep_default_na=False), date=None)
    assert isinstance(from_path, list) and from_path
    assert [(v.product_id, v.status) for v in from_path] == \
        [(v.product_id, v.status) for v in from_frame]
    dated = {v.product_id: v.status for v in xs.check_bom(str(path), date="2026-03-01")}
    # No. 18 (in force since 2025-04-04, never suspended) covers the Dy-bearing NdFeB magnet
    assert dated["NDFEB-A"] == "license_required"
    assert set(dated.values()) <= {"license_required", "not_required", "needs_review",
                                   "suspended"}


def test_testing_strategies_are_importable_and_draw() -> None:
    from exportscreen.testing import bom_frames, name_variants, ownership_graphs

    seen: list[tuple[str, int]] = []

    @settings(max_examples=5, database=None)
    @given(ownership_graphs(), bom_frames(max_products=2, max_lines=3),
           name_variants("Huawei Technologies Co., Ltd."), st.just(None))
    def draw(pair: tuple[xs.OwnershipGraph, dict[str, str]], bom: pd.DataFrame, variant: str,
             _: None) -> None:
        graph, listed = pair
        assert isinstance(graph, xs.OwnershipGraph)
        result = xs.apply_affiliates_rule(graph, listed, rule="us-ofac")
        assert all(f.status != "clear" for f in result.findings)
        assert {"product_id", "line_id", "category", "value"} <= set(bom.columns)
        assert xs.check_bom(bom, date="2026-03-01")
        assert isinstance(variant, str) and variant
        seen.append((variant, len(bom)))

    draw()
    assert 1 <= len(seen) <= 5


def test_api_bad_arguments_are_input_errors(graph_files: tuple[Path, Path]) -> None:
    own, ent = graph_files
    graph = xs.OwnershipGraph.from_csv(own, entities=ent)
    # an empty list name or id used to escape as a pydantic ValidationError
    for listed, column in (({"X": ""}, "list"), ({"": "sdn"}, "id")):
        with pytest.raises(xs.InputError) as info:
            xs.apply_affiliates_rule(graph, listed, rule="us-ofac", as_of=None)
        assert info.value.column == column
    # the same YYYY-MM-DD as the command line: 20260301 was read as 2026-03-01
    for date in ("20260301", "2026-W10-1", "soon"):
        with pytest.raises(xs.InputError):
            xs.check_bom(FIX / "bom" / "example.csv", date=date)


def test_listed_ids_are_taken_like_graph_ids() -> None:
    import pandas as pd

    # the graph strips its ids; " A " in the listed mapping names the same entity
    graph = xs.OwnershipGraph.from_frame(
        pd.DataFrame({"owner_id": [" A "], "owned_id": ["B"], "percent": ["60"]}))
    for listed in ({" A ": "sdn"}, [xs.ListedParty(id="A\t", list=" sdn ")]):
        result = xs.apply_affiliates_rule(graph, listed, rule="us-ofac", as_of="2026-01-01")
        assert [(f.id, f.status) for f in result.findings] == [("B", "covered")]
