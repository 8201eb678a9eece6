"""BOM and rule-pack validation: every bad input names file, row and column (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import exportscreen as xs
from exportscreen.cli import main
from exportscreen.errors import InputError
from exportscreen.rareearth import load_bom, load_rule_pack

HEADER = ("product_id,line_id,parent_id,category,value,elements,origin,cn_technology,"
          "export_from,destination,ship_date,end_use,end_user_listed\n")
GOOD = [
    "P1,L1,,magnet,100,Nd:30;Dy:1,JP,no,JP,US,2026-03-01,civil,no",
    "P1,L2,L1,metal,0.1,Dy,CN,no,,,,,",
]


def write(tmp_path: Path, rows: list[str], header: str = HEADER) -> Path:
    path = tmp_path / "bom.csv"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("rows", "row", "column", "text"), [
    ([GOOD[0], GOOD[1].replace(",0.1,", ",-0.1,")], 3, "value", "negative"),
    ([GOOD[0], GOOD[1].replace(",0.1,", ",abc,")], 3, "value", "not a number"),
    ([GOOD[0], GOOD[1].replace(",0.1,", ",1_000,")], 3, "value", "not a plain decimal"),
    ([GOOD[0], GOOD[1].replace(",0.1,", ",NaN,")], 3, "value", "not a number"),
    ([GOOD[0], GOOD[1].replace(",L1,", ",,")], 3, "parent_id", "second top line"),
    ([GOOD[0], GOOD[1].replace(",L1,", ",L9,")], 3, "parent_id", "unknown parent"),
    ([GOOD[0].replace("P1,L1,,", "P1,L1,L2,"), GOOD[1]], 2, "parent_id", "parent cycle"),
    ([GOOD[0], GOOD[1].replace(",L1,", ",L2,")], 3, "parent_id", "its own parent"),
    ([GOOD[0], GOOD[1].replace(",Dy,", ",Xx,")], 3, "elements", "unknown element symbol"),
    ([GOOD[0], GOOD[1].replace(",Dy,", ",DY,")], 3, "elements", "did you mean 'Dy'"),
    ([GOOD[0], GOOD[1].replace(",Dy,", ",Dy:abc,")], 3, "elements", "not a number"),
    ([GOOD[0], GOOD[1].replace(",Dy,", ",Dy:60;Fe:50,")], 3, "elements", "more than 100"),
    ([GOOD[0], GOOD[1].replace(",Dy,", ",Dy;Dy,")], 3, "elements", "twice"),
    ([GOOD[0], GOOD[1].replace(",metal,", ",metals,")], 3, "category", "unknown category"),
    ([GOOD[0].replace("2026-03-01", "2026-13-01"), GOOD[1]], 2, "ship_date", "YYYY-MM-DD"),
    ([GOOD[0].replace(",no,JP", ",maybe,JP"), GOOD[1]], 2, "cn_technology", "yes|no"),
    ([GOOD[0].replace("civil,no", "civil,y"), GOOD[1]], 2, "end_user_listed", "yes|no"),
    ([GOOD[0].replace("civil,no", "peaceful,no"), GOOD[1]], 2, "end_use", "expected"),
    ([GOOD[0].replace(",JP,no,JP", ",Japan,no,JP"), GOOD[1]], 2, "origin", "ISO 3166"),
    ([GOOD[0], GOOD[1].replace(",,,,", ",DE,,,")], 3, "export_from", "differs"),
    ([GOOD[0], GOOD[1].replace("P1,L2", "P1,L1")], 3, "line_id", "appears twice"),
    ([GOOD[0], GOOD[1].replace("P1,L2", ",L2")], 3, "product_id", "empty"),
])
def test_bad_input_names_row_and_column(tmp_path: Path, rows: list[str], row: int,
                                        column: str, text: str) -> None:
    path = write(tmp_path, rows)
    with pytest.raises(InputError) as info:
        load_bom(path)
    err = info.value
    assert (err.file, err.row, err.column) == (str(path), row, column), str(err)
    assert text in str(err)


def test_cli_exit_2_with_location(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, [GOOD[0], GOOD[1].replace(",0.1,", ",-5,")])
    assert main(["rare-earth", str(path)]) == 2
    err = capsys.readouterr().err
    assert "row 3" in err and "'value'" in err and str(path) in err


def test_missing_required_column(tmp_path: Path) -> None:
    path = write(tmp_path, ["P1,L1,,magnet"], header="product_id,line_id,parent_id,category\n")
    with pytest.raises(InputError) as info:
        load_bom(path)
    assert info.value.column == "value" and info.value.row == 1


def test_longer_cycle_message_names_the_lines(tmp_path: Path) -> None:
    rows = ["P1,T,,assembly,1,,,,,,,,", "P1,A,C,component,1,,,,,,,,",
            "P1,B,A,component,1,,,,,,,,", "P1,C,B,component,1,,,,,,,,"]
    with pytest.raises(InputError, match=r"parent cycle: A > C > B > A|cycle"):
        load_bom(write(tmp_path, rows))


def test_dataframe_errors_give_the_position() -> None:
    frame = pd.DataFrame({"product_id": ["P", "P"], "line_id": ["A", "B"],
                          "parent_id": ["", "A"], "category": ["magnet", "metal"],
                          "value": ["1", "-1"]})
    with pytest.raises(InputError) as info:
        xs.check_bom(frame)
    assert info.value.row == 1 and "0-based" in str(info.value)


def test_empty_value_and_origin_are_unknown_not_errors() -> None:
    frame = pd.DataFrame({"product_id": ["P"], "line_id": ["A"], "category": ["magnet"],
                          "value": [""], "elements": ["Nd;Dy"]})
    bom = load_bom(frame)
    assert bom.value(0) is None and bom.origin[0] == ""


# the No. 70 suspension known to have ended (the built-in pack knows nothing after it)
REVIVED = {"extends": "default", "suspensions": [
    {"id": "no70", "after_end": "revived", "citation": "test", "reliability": "S"}]}


def test_numbers_read_exactly_from_a_frame_of_floats() -> None:
    frame = pd.DataFrame({"product_id": ["P", "P"], "line_id": ["G", "D"],
                          "parent_id": ["", "G"], "category": ["magnet", "metal"],
                          "value": [100.0, 0.1], "elements": ["Nd;Dy", "Dy"],
                          "origin": ["JP", "CN"], "cn_technology": ["no", "no"],
                          "export_from": ["JP", ""], "destination": ["US", ""]})
    (v,) = xs.check_bom(frame, date="2026-11-28", pack=REVIVED)
    assert str(v.ratio) == "0.001" and v.status == "license_required"


@pytest.mark.parametrize(("pack", "column"), [
    ({"extends": "default", "suspensions": [{"id": "no70", "end": "not-a-date"}]}, "suspensions"),
    ({"extends": "default", "suspensions": [{"id": "x", "start": "2026-01-01"}]}, "suspensions"),
    ({"extends": "default", "foreign_export": {"aggregation": "mean"}}, "foreign_export"),
    ({"pack_id": "x"}, "version"),
])
def test_bad_pack_is_an_input_error(tmp_path: Path, pack: dict[str, object],
                                    column: str) -> None:
    path = tmp_path / "pack.json"
    path.write_text(json.dumps(pack), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_rule_pack(path)
    assert info.value.file == str(path)
    assert info.value.column is not None and info.value.column.startswith(column)


def test_pack_not_json(tmp_path: Path) -> None:
    path = tmp_path / "pack.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        load_rule_pack(path)


def test_builtin_pack_cites_every_control() -> None:
    pack = load_rule_pack()
    for control in pack.export_from_china.controls:
        for form in control.forms.values():
            assert form.citation and form.reliability in {"T", "S", "U"}
    for window in pack.suspensions:
        assert window.citation
    assert len(pack.foreign_export.part_i) == 13  # research §6: 13 Part I items
    assert {c.element for c in pack.export_from_china.controls} == {
        "Sm", "Gd", "Tb", "Dy", "Lu", "Sc", "Y", "Ho", "Er", "Tm", "Eu", "Yb"}


def test_undecodable_bytes_are_reported_where_they_are(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"product_id,line_id,category,value,description\n"
                     b"P,A,magnet,1,ok\nP2,B,metal,2,caf\xe9\n")
    with pytest.raises(InputError) as info:
        load_bom(path)
    assert (info.value.row, info.value.column) == (3, "description")


def test_excel_and_tsv_inputs(tmp_path: Path) -> None:
    frame = pd.DataFrame({"product_id": ["P", "P"], "line_id": ["G", "D"],
                          "parent_id": ["", "G"], "category": ["magnet", "metal"],
                          "value": ["100", "0.1"], "elements": ["Nd;Dy", "Dy"],
                          "origin": ["JP", "CN"], "cn_technology": ["no", "no"],
                          "export_from": ["JP", ""], "destination": ["US", ""]})
    xlsx = tmp_path / "bom.xlsx"
    frame.to_excel(xlsx, index=False)
    tsv = tmp_path / "bom.tsv"
    frame.to_csv(tsv, sep="\t", index=False)
    for path in (xlsx, tsv):
        (v,) = xs.check_bom(path, date="2026-11-28", pack=REVIVED)
        assert v.status == "license_required" and str(v.ratio) == "0.001"


def test_deep_chain_loads_with_correct_depth() -> None:
    n = 3000
    frame = pd.DataFrame({"product_id": ["P"] * n, "line_id": [f"L{i}" for i in range(n)],
                          "parent_id": [""] + [f"L{i}" for i in range(n - 1)],
                          "category": ["component"] * n, "value": ["1"] * n})
    bom = load_bom(frame.iloc[::-1].reset_index(drop=True))
    assert sorted(bom.depth.tolist()) == list(range(n))
    assert set(bom.root.tolist()) == {n - 1}
